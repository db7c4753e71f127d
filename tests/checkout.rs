//! The checkout screen: fields that follow the country, checks on leaving a
//! field, the error summary, coupons, the draft that survives a reload (without
//! the card), and paying into one order per seller or into a decline.

mod support;

use support::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const CART: &str = r#"{"version":1,"lines":[
  {"product_id":"bamboo-desk-lamp","quantity":2,"name":"Lamp"},
  {"product_id":"headlamp","quantity":1,"name":"Headlamp"}]}"#;

async fn fill_address(app: &Mounted) {
    app.wait_for("#co-given").await;
    for (id, v) in [
        ("#co-given", "Ana"),
        ("#co-family", "López"),
        ("#co-line1", "1 Market St"),
        ("#co-city", "San Francisco"),
        ("#co-region", "CA"),
        ("#co-postal", "94105"),
        ("#co-phone", "(415) 555-2671"),
        ("#co-email", "ana@example.com"),
    ] {
        app.type_into(id, v).await;
    }
}

async fn fill_card(app: &Mounted, number: &str) {
    app.type_into("#card-number", number).await;
    app.type_into("#card-expiry", "12/30").await;
    app.type_into("#card-cvc", "123").await;
    app.type_into("#card-name", "Ana López").await;
}

async fn until(mut ok: impl FnMut() -> bool) {
    for _ in 0..150 {
        if ok() {
            return;
        }
        sleep(20).await;
    }
}

fn path() -> String {
    let l = web_sys::window().unwrap().location();
    format!("{}{}", l.pathname().unwrap(), l.search().unwrap())
}

/// A checkout of `CART` paid with the card `number`, until the order page opens.
async fn pay_with_card(number: &str) -> Mounted {
    let app = mount_at("/checkout", Some(CART), |_| {}).await;
    fill_address(&app).await;
    fill_card(&app, number).await;
    app.click(".checkout__pay").await;
    until(|| path().starts_with("/orders/")).await;
    app
}

#[wasm_bindgen_test]
async fn paying_with_nothing_filled_lists_every_field_and_takes_focus() {
    let app = mount_at("/checkout", Some(CART), |_| {}).await;
    app.wait_for(".checkout__pay").await;
    settle().await;
    app.click(".checkout__pay").await;
    until(|| !app.text("#checkout-summary").is_empty() && app.all("#checkout-summary li").len() > 5).await;
    let items: Vec<String> = app.all("#checkout-summary li").iter().filter_map(|e| e.text_content()).collect();
    assert_eq!(items[0], "First name: This field is required.");
    assert!(items.iter().any(|i| i == "Card number: This field is required."), "{items:?}");
    assert_eq!(document().active_element().and_then(|e| e.get_attribute("id")).as_deref(), Some("checkout-summary"));
    assert_eq!(app.one("#co-given").get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(app.one("#co-given").get_attribute("aria-describedby").as_deref(), Some("co-given-error"));
}

#[wasm_bindgen_test]
async fn the_form_follows_the_country() {
    let app = mount_at("/checkout", Some(CART), |_| {}).await;
    app.wait_for("#co-postal").await;
    let ids = |app: &Mounted| -> Vec<String> { app.all(".checkout__main input[id^=co-]").iter().filter_map(|e| e.get_attribute("id")).collect() };
    let us = ids(&app);
    assert!(us.iter().position(|i| i == "co-city") < us.iter().position(|i| i == "co-postal"), "US: city, then ZIP");
    app.type_into("#co-country", "DE").await;
    settle().await;
    let de = ids(&app);
    assert!(de.iter().position(|i| i == "co-postal") < de.iter().position(|i| i == "co-city"), "DE: postal code before city");
    let postal: web_sys::HtmlElement = wasm_bindgen::JsCast::unchecked_into(app.one("#co-postal"));
    postal.focus().unwrap();
    app.type_into("#co-postal", "SW1A 1AA").await;
    postal.blur().unwrap();
    settle().await;
    assert_eq!(app.text("#co-postal-error"), "Enter a postal code like 10115.");
    app.type_into("#co-postal", "10115").await;
    assert_eq!(app.text("#co-postal-error"), "", "cleared as soon as it is right");
    app.type_into("#co-country", "AE").await;
    settle().await;
    assert!(app.maybe("#co-postal").is_none(), "no postal codes in the UAE");
}

#[wasm_bindgen_test]
async fn coupons_change_the_total_or_say_why_not() {
    let app = mount_at("/checkout", Some(CART), |_| {}).await;
    app.wait_for("[data-testid=checkout-total]").await;
    settle().await;
    assert_eq!(app.text("[data-testid=checkout-total]"), "$76.77");
    app.type_into("#co-coupon", "NOPE").await;
    app.click(".coupon button").await;
    until(|| app.text("#co-coupon-error").starts_with("We don't know")).await;
    assert_eq!(app.text("#co-coupon-error"), "We don't know that coupon code. Check it for typos.");
    app.type_into("#co-coupon", "WELCOME10").await;
    app.click(".coupon button").await;
    until(|| app.text("#co-coupon-error").starts_with("Coupon applied")).await;
    assert_eq!(app.text("[data-testid=checkout-total]"), "$69.64", "10% off $71.28");
}

#[wasm_bindgen_test]
async fn the_draft_survives_a_reload_but_the_card_does_not() {
    let app = mount_at("/checkout", Some(CART), |_| {}).await;
    fill_address(&app).await;
    fill_card(&app, "4242 4242 4242 4242").await;
    settle().await;
    drop(app);
    // Mount again on the same storage, as a reload does.
    let host_storage = storage().get_item("checkout.draft.v1").unwrap().unwrap();
    assert!(host_storage.contains("San Francisco"));
    assert!(!host_storage.contains("4242"), "no card data in the draft");
    let app = mount_keep_storage("/checkout").await;
    app.wait_for("#co-city").await;
    assert_eq!(app.input_value("#co-city"), "San Francisco");
    assert_eq!(app.input_value("#card-number"), "");
}

#[wasm_bindgen_test]
async fn paying_makes_one_order_per_seller_and_empties_the_cart() {
    let app = pay_with_card("4242 4242 4242 4242").await;
    app.wait_for(".order__sentence").await;
    let ids: Vec<String> = path().split("placed=").nth(1).unwrap().split(',').map(str::to_owned).collect();
    assert_eq!(ids.len(), 2, "{}", path());
    assert!(path().starts_with(&format!("/orders/{}?", ids[0])));
    assert_eq!(app.text("#confirmation-heading"), "Your 2 orders are placed, one per seller, under one payment. Thank you!");
    // Every order of the checkout: its number, seller, total and delivery range.
    until(|| app.all(".confirmation__order").len() == 2).await;
    let rows: Vec<String> = app.all(".confirmation__order").iter().filter_map(|e| e.text_content()).collect();
    assert_eq!(rows.len(), 2);
    for row in &rows {
        assert!(row.starts_with("Order ") && row.contains('$') && row.contains("Arrives "), "{row}");
    }
    assert!(app.one(".confirmation__order a").get_attribute("href").unwrap().starts_with("/orders/"));
    assert_eq!(app.one(".confirmation__actions .button--primary").get_attribute("href").as_deref(), Some("/orders"));
    assert_eq!(app.one(".confirmation__actions .button--secondary").get_attribute("href").as_deref(), Some("/"));
    // The receipt below: the card by brand and last four, the address, the delivery estimate.
    app.wait_for(".order__payment").await;
    assert!(app.text(".order__payment").contains("Visa ending 4242"), "{}", app.text(".order__payment"));
    assert!(app.text(".order__address").contains("1 Market St"));
    assert!(app.text(".order-facts").contains("Estimated delivery"), "{}", app.text(".order-facts"));
    assert_eq!(app.text("[data-testid=cart-count]"), "0");
    assert!(storage().get_item("checkout.draft.v1").unwrap().is_some(), "the address stays for next time");
}

#[wasm_bindgen_test]
async fn paying_with_the_wallet_comes_back_to_the_confirmation() {
    let app = mount_at("/checkout", Some(CART), |_| {}).await;
    fill_address(&app).await;
    app.click("#co-pay-wallet").await;
    app.click(".checkout__pay").await;
    until(|| path().starts_with("/pay/wallet?challenge=")).await;
    assert!(path().starts_with("/pay/wallet?challenge="), "{}", path());
    assert_eq!(app.text("[data-testid=cart-count]"), "0", "the orders exist, awaiting the wallet");
    app.wait_for("#wallet-approve").await;
    app.click("#wallet-approve").await;
    until(|| path().starts_with("/orders/")).await;
    assert!(path().contains("?placed="), "{}", path());
    app.wait_for("#confirmation-heading").await;
    until(|| app.text(".status-badge") == "Payment being verified").await;
    assert_eq!(app.text(".status-badge"), "Payment being verified");
}

#[wasm_bindgen_test]
async fn a_declined_payment_keeps_the_order_waiting_with_the_address() {
    let app = pay_with_card("4000 0000 0000 0002").await;
    app.wait_for(".pay-panel").await;
    assert!(app.text(".notice--error").contains("declined the payment without giving a reason"));
    assert_eq!(app.text(".status-badge"), "Awaiting payment");
    assert!(app.text(".order__address").contains("1 Market St"));
}

#[wasm_bindgen_test]
async fn a_refused_coupon_blocks_paying_with_its_reason_and_the_other_errors_still_listed() {
    let app = mount_at("/checkout", Some(CART), |_| {}).await;
    app.wait_for("#co-coupon").await;
    app.type_into("#co-coupon", "NOPE").await;
    app.click(".coupon .button--secondary").await;
    until(|| app.text("#co-coupon-error").starts_with("We don't know that coupon code")).await;
    app.click(".checkout__pay").await;
    until(|| !app.text(".checkout__summary [role=alert]").is_empty()).await;
    assert!(app.text(".checkout__summary [role=alert]").starts_with("We don't know that coupon code"), "{}", app.text(".checkout__summary [role=alert]"));
    until(|| app.all("#checkout-summary li").len() > 5).await;
    assert!(app.all("#checkout-summary li").len() > 5, "the address errors are listed too");
}

#[wasm_bindgen_test]
async fn a_reload_after_paying_but_before_the_order_shows_lands_on_the_order() {
    let session = web_sys::window().unwrap().session_storage().unwrap().unwrap();
    let app = pay_with_card("4242 4242 4242 4242").await;
    app.wait_for("#confirmation-heading").await;
    let confirmation = path();
    drop(app);

    // Once the confirmation has shown, the checkout is a new, empty one.
    let app = mount_keep_storage("/checkout").await;
    app.wait_for(".empty-state").await;
    settle().await;
    assert_eq!(path(), "/checkout");
    drop(app);

    // A reload after the cart was emptied, before the address bar moved: the
    // shopper lands on the confirmation, not on an empty checkout.
    session.set_item("checkout:placed", &confirmation).unwrap();
    let app = mount_keep_storage("/checkout").await;
    until(|| path() == confirmation).await;
    assert_eq!(path(), confirmation);
    app.wait_for("#confirmation-heading").await;
    drop(app);

    // Only a page of this app's orders is followed.
    session.set_item("checkout:placed", "//elsewhere.example/orders/x").unwrap();
    let app = mount_keep_storage("/checkout").await;
    app.wait_for(".empty-state").await;
    settle().await;
    assert_eq!(path(), "/checkout");
    assert!(session.get_item("checkout:placed").unwrap().is_none());
}

/// An empty checkout has nothing to price: it asks the order API for nothing,
/// so a first visit does not download the rest of the API for it (in the
/// release bundle that is a module of its own). A cart with lines is priced.
#[wasm_bindgen_test]
async fn an_empty_checkout_asks_the_order_api_for_nothing_and_a_full_one_is_priced() {
    use std::cell::Cell;
    use std::rc::Rc;

    use checkout_app::api::lazy_api::LazyApi;
    use checkout_app::api::{BrowserEnv, MockApi, MockConfig, OrderApi};
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;

    for (cart, loads_wanted) in [(None, 0), (Some(CART), 1)] {
        storage().clear().unwrap();
        if let Some(cart) = cart {
            storage().set_item(checkout_app::state::keys::CART, cart).unwrap();
        }
        let config = MockConfig { latency_ms: Some(0), ..Default::default() };
        let loads = Rc::new(Cell::new(0));
        let counted = loads.clone();
        let api: Rc<dyn OrderApi> = Rc::new(LazyApi::mock(config, move || {
            counted.set(counted.get() + 1);
            Box::pin(async move { Ok(Rc::new(MockApi::new(BrowserEnv, config)) as Rc<dyn OrderApi>) })
        }));
        web_sys::window().unwrap().history().unwrap().replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/checkout")).unwrap();
        let host: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
        document().body().unwrap().append_child(&host).unwrap();
        let handle = leptos::mount::mount_to(host.clone(), move || view! { <checkout_app::AppWith api=api.clone()/> });
        settle().await;
        sleep(200).await;
        if cart.is_none() {
            assert!(host.query_selector(".empty-state").unwrap().is_some(), "the empty checkout is shown");
        } else {
            assert!(host.query_selector("[data-testid=checkout-total]").unwrap().is_some(), "the full cart is priced");
        }
        assert_eq!(loads.get(), loads_wanted, "loads of the whole order API with cart {cart:?}");
        drop(handle);
        host.remove();
    }
    storage().clear().unwrap();
}
