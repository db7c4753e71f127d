//! The cart and adding to it, in headless Chromium: totals, quantity bounds with
//! their messages, remove and undo, unavailable products, and what is saved.

mod support;

use support::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Two lamps (Lumen, free shipping over $30), a headlamp (Trailpeak, $5.49
/// shipping under $50) and earbuds (Pixel, free shipping).
const SEEDED: &str = r#"{"version":1,"lines":[
  {"product_id":"bamboo-desk-lamp","quantity":2,"name":"Bamboo desk lamp with warm LED"},
  {"product_id":"headlamp","quantity":1,"name":"Ultralight rechargeable headlamp"},
  {"product_id":"wireless-earbuds","quantity":1,"name":"Wireless earbuds with charging case"}]}"#;

const HEADLAMP_QTY: &str = "#qty-headlamp-x";

#[wasm_bindgen_test]
async fn lines_are_grouped_by_seller_with_subtotals_and_totals() {
    let app = mount_at("/cart", Some(SEEDED), |_| {}).await;
    app.wait_for("[data-testid=cart-line]").await;
    let groups = app.all(".cart-group");
    assert_eq!(groups.len(), 3);
    let sellers: Vec<_> = app.all(".cart-group__seller").iter().filter_map(|e| e.text_content()).collect();
    assert_eq!(sellers, ["Lumen Home Store", "Trailpeak Outdoor", "Pixel Gadget Official Store"]);
    let subtotals: Vec<_> = app.all(".cart-group__totals div:first-child dd").iter().filter_map(|e| e.text_content()).collect();
    assert_eq!(subtotals, ["$49.98", "$21.30", "$29.99"]);
    let shipping: Vec<_> = app.all(".cart-group__totals div:last-child dd").iter().filter_map(|e| e.text_content()).collect();
    assert_eq!(shipping, ["Free", "$5.49", "Free"]);
    assert_eq!(app.text(".cart-summary__rows div:first-child dt"), "4 items");
    assert_eq!(app.text(".cart-summary__rows div:first-child dd"), "$101.27");
    assert_eq!(app.text(".cart-summary__total dd"), "$106.76");
    assert_eq!(app.text("[data-testid=cart-count]"), "4");
    // The link's name starts with what it shows ("Cart 4"), then says what the number counts.
    let name: String = app.one(".site-header__cart").text_content().unwrap().split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(name, "Cart 4 items");
}

#[wasm_bindgen_test]
async fn plus_and_minus_change_the_quantity_and_the_totals() {
    let app = mount_at("/cart", Some(SEEDED), |_| {}).await;
    app.wait_for(HEADLAMP_QTY).await;
    let plus = app.one("[aria-label='Increase quantity of Ultralight rechargeable headlamp']");
    assert!(!plus.has_attribute("disabled"), "1 of 4 allowed: more can be added");
    app.click("[aria-label='Increase quantity of Ultralight rechargeable headlamp']").await;
    assert_eq!(app.input_value(HEADLAMP_QTY), "2");
    assert_eq!(app.text(".cart-summary__total dd"), "$128.06");
    assert_eq!(stored_cart().item_count(), 5, "the change is saved");
    app.click("[aria-label='Decrease quantity of Ultralight rechargeable headlamp']").await;
    assert_eq!(app.input_value(HEADLAMP_QTY), "1");
    assert_eq!(app.text(".cart-summary__total dd"), "$106.76");
    let minus = app.one("[aria-label='Decrease quantity of Ultralight rechargeable headlamp']");
    assert!(minus.has_attribute("disabled"), "cannot go below 1");
}

#[wasm_bindgen_test]
async fn typed_quantities_are_clamped_with_a_message_tied_to_the_field() {
    let app = mount_at("/cart", Some(SEEDED), |_| {}).await;
    app.wait_for(HEADLAMP_QTY).await;
    let message = "#qty-headlamp-x-message";
    assert_eq!(app.one(HEADLAMP_QTY).get_attribute("aria-describedby").as_deref(), Some("qty-headlamp-x-message"));

    app.type_into(HEADLAMP_QTY, "99").await;
    assert_eq!(app.input_value(HEADLAMP_QTY), "4", "headlamp: limit 4 per order");
    assert_eq!(app.text(message), "Only 4 can be ordered, so the quantity is now 4.");
    let plus = app.one("[aria-label='Increase quantity of Ultralight rechargeable headlamp']");
    assert!(plus.has_attribute("disabled"), "at the limit, + is off");
    // 4 × 21.30 = 85.20: over $50, so Trailpeak now ships free.
    assert_eq!(app.text(".cart-summary__total dd"), "$165.17");

    app.type_into(HEADLAMP_QTY, "two").await;
    assert_eq!(app.input_value(HEADLAMP_QTY), "4", "text keeps the previous quantity");
    assert_eq!(app.text(message), "Enter a whole number from 1 to 4.");

    app.type_into(HEADLAMP_QTY, "0").await;
    assert_eq!(app.input_value(HEADLAMP_QTY), "1");
    assert!(app.text(message).contains("can't be less than 1"));

    app.type_into(HEADLAMP_QTY, "-7").await;
    assert_eq!(app.input_value(HEADLAMP_QTY), "1");
    assert_eq!(app.text(".cart-summary__total dd"), "$106.76", "never a negative total");

    app.type_into(HEADLAMP_QTY, "3").await;
    assert_eq!(app.text(message), "", "a valid number clears the message");
    assert_eq!(stored_cart().line(&key("headlamp")).map(|l| l.quantity), Some(3));
}

fn key(id: &str) -> checkout_core::cart::LineKey {
    checkout_core::cart::LineKey::new(checkout_core::catalog::ProductId(id.into()), None)
}

#[wasm_bindgen_test]
async fn remove_then_undo_puts_the_line_back_where_it_was() {
    let app = mount_at("/cart", Some(SEEDED), |_| {}).await;
    app.wait_for("[data-testid=cart-line]").await;
    app.click("[aria-label='Remove Ultralight rechargeable headlamp']").await;
    assert_eq!(app.all("[data-testid=cart-line]").len(), 2);
    assert_eq!(app.text(".undo-bar p"), "Ultralight rechargeable headlamp was removed from your cart.");
    assert_eq!(app.text(".cart-summary__total dd"), "$79.97");
    assert_eq!(app.text("[data-testid=cart-count]"), "3");
    assert!(stored_cart().line(&key("headlamp")).is_none());
    let focused = document().active_element().and_then(|e| e.get_attribute("id"));
    assert_eq!(focused.as_deref(), Some("undo-remove"), "focus goes to Undo, not to the page top");

    app.click("#undo-remove").await;
    let names: Vec<_> = app.all(".cart-line__name").iter().filter_map(|e| e.text_content()).collect();
    assert_eq!(names[1], "Ultralight rechargeable headlamp", "back in its place");
    assert_eq!(app.text(".cart-summary__total dd"), "$106.76");
    assert!(app.maybe(".undo-bar").is_none());
    assert_eq!(stored_cart().line(&key("headlamp")).map(|l| l.quantity), Some(1));
}

#[wasm_bindgen_test]
async fn a_withdrawn_product_is_shown_unavailable_and_left_out_of_the_total() {
    let app = mount_at("/cart", Some(SEEDED), |c| c.products.retain(|p| p.id.0 != "headlamp")).await;
    app.wait_for("[data-testid=unavailable-line]").await;
    assert_eq!(app.text("[data-testid=unavailable-line] .cart-line__name"), "Ultralight rechargeable headlamp");
    assert_eq!(app.all("[data-testid=cart-line]").len(), 2);
    assert_eq!(app.text(".cart-summary__total dd"), "$79.97");
    app.click("[aria-label='Remove Ultralight rechargeable headlamp']").await;
    assert!(app.maybe("[data-testid=unavailable-line]").is_none());
}

#[wasm_bindgen_test]
async fn stock_that_shrank_lowers_the_quantity_and_says_so() {
    let app = mount_at("/cart", Some(SEEDED), |c| {
        c.products.iter_mut().find(|p| p.id.0 == "bamboo-desk-lamp").unwrap().stock = 1;
    })
    .await;
    app.wait_for("[data-testid=cart-line]").await;
    settle().await;
    assert_eq!(app.input_value("#qty-bamboo-desk-lamp-x"), "1");
    assert!(app.text(".page--cart").contains("Less is in stock now"));
}

#[wasm_bindgen_test]
async fn an_empty_cart_leads_back_to_the_catalog() {
    let app = mount_at("/cart", None, |_| {}).await;
    app.wait_for(".empty-state").await;
    assert_eq!(app.text(".empty-state__title"), "Your cart is empty");
    assert_eq!(app.one(".empty-state a").get_attribute("href").as_deref(), Some("/"));
    assert!(app.maybe(".cart-summary").is_none());
}

#[wasm_bindgen_test]
async fn unreadable_saved_lines_are_dropped_and_the_shopper_is_told() {
    let raw = r#"{"version":1,"lines":[{"product_id":"headlamp","quantity":1,"name":"H"},{"product_id":"x","quantity":"lots"}]}"#;
    let app = mount_at("/cart", Some(raw), |_| {}).await;
    app.wait_for("[role=alert]").await;
    assert!(app.text("[role=alert]").contains("1 item saved in your cart couldn't be read"));
    assert_eq!(app.all("[data-testid=cart-line]").len(), 1);
}

#[wasm_bindgen_test]
async fn adding_from_the_product_page_respects_options_and_limits() {
    let app = mount_at("/products/rain-jacket", None, |_| {}).await;
    app.wait_for(".product__buy").await;
    assert_eq!(app.text("h1"), "Packable rain jacket");
    assert_eq!(app.text(".seller-card__name"), "Trailpeak Outdoor");
    // The first size in stock is chosen; M is sold out and cannot be chosen.
    let m: web_sys::HtmlInputElement = wasm_bindgen::JsCast::unchecked_into(app.one("input[value='m']"));
    assert!(m.disabled());
    app.click("button[type=submit]").await;
    assert_eq!(app.text(".product__feedback"), "Added to your cart. View cart");
    assert_eq!(app.text("[data-testid=cart-count]"), "1");

    app.click("input[value='l']").await;
    app.type_into("#product-quantity", "5").await;
    assert_eq!(app.input_value("#product-quantity"), "3", "limit 3 per order");
    app.click("button[type=submit]").await;
    let cart = stored_cart();
    let l = checkout_core::cart::LineKey::new(checkout_core::catalog::ProductId("rain-jacket".into()), Some("l".into()));
    assert_eq!(cart.line(&l).map(|l| l.quantity), Some(3));
    assert_eq!(cart.item_count(), 4);
    let submit: web_sys::HtmlButtonElement = wasm_bindgen::JsCast::unchecked_into(app.one("button[type=submit]"));
    assert!(submit.disabled(), "no more L can be added");
}

#[wasm_bindgen_test]
async fn an_unknown_product_id_is_a_not_found_state() {
    let app = mount_at("/products/does-not-exist", None, |_| {}).await;
    app.wait_for(".page--not-found").await;
    assert_eq!(app.text("h1"), "This product isn't available");
    assert_eq!(document().title(), "This product isn't available · Bazaar");
}


/// What another tab does to the cart, as the browser tells this tab.
fn other_tab_stores(value: Option<&str>) {
    match value {
        Some(v) => storage().set_item(checkout_app::state::keys::CART, v).unwrap(),
        None => storage().remove_item(checkout_app::state::keys::CART).unwrap(),
    }
    let new_value = value.map(|v| format!("{v:?}")).unwrap_or_else(|| "null".into());
    let script = format!("window.dispatchEvent(new StorageEvent('storage', {{ key: 'checkout.cart.v1', newValue: {new_value} }}))");
    js_sys::Function::new_no_args(&script).call0(&wasm_bindgen::JsValue::NULL).unwrap();
}

#[wasm_bindgen_test]
async fn a_cart_changed_in_another_tab_is_shown_here_and_never_written_back_over_its_next_change() {
    let app = mount_at("/cart", Some(SEEDED), |_| {}).await;
    app.wait_for("[data-testid=cart-line]").await;
    // The other tab empties its cart, then at once adds a headlamp; this tab
    // hears of the first change only after the second was stored.
    other_tab_stores(None);
    let headlamp = r#"{"version":1,"lines":[{"product_id":"headlamp","quantity":1,"name":"Ultralight rechargeable headlamp"}]}"#;
    storage().set_item(checkout_app::state::keys::CART, headlamp).unwrap();
    settle().await;
    assert_eq!(app.all("[data-testid=cart-line]").len(), 0, "this tab shows the emptied cart");
    let stored = storage().get_item(checkout_app::state::keys::CART).unwrap().unwrap();
    assert!(stored.contains("headlamp"), "the other tab's headlamp was not overwritten: {stored}");
    other_tab_stores(Some(headlamp));
    settle().await;
    app.wait_for("[data-testid=cart-line]").await;
    assert_eq!(app.text("[data-testid=cart-count]"), "1");
    // A change made here is stored as usual.
    app.click(".cart-line .button--link").await;
    settle().await;
    let stored = storage().get_item(checkout_app::state::keys::CART).unwrap().unwrap();
    assert!(!stored.contains("headlamp"), "{stored}");
}

/// A screen drawn ahead of the app (by the server, or into a static page) is
/// kept only for the visit it was drawn for: this path, this language and,
/// drawn with an empty cart, a cart that is empty; the app drops any other at
/// start (`components::shell::drawn_copy_fits`).
#[wasm_bindgen_test]
fn a_drawn_screen_fits_only_the_visit_it_was_drawn_for() {
    use checkout_app::components::shell::{drawn_copy_fits, drawn_for};
    use checkout_app::state::keys::CART;
    let doc = document();
    let path = web_sys::window().unwrap().location().pathname().unwrap();
    let shell = doc.create_element("div").unwrap();
    shell.set_id("app-shell");
    let copy = doc.create_element("div").unwrap();
    for (name, value) in [("data-prerendered", "cart"), (drawn_for::PATH, path.as_str()), (drawn_for::LANG, "en")] {
        copy.set_attribute(name, value).unwrap();
    }
    shell.append_child(&copy).unwrap();
    doc.body().unwrap().append_child(&shell).unwrap();
    storage().remove_item(CART).unwrap();

    assert!(drawn_copy_fits("en"), "this path, in English");
    assert!(!drawn_copy_fits("es"), "not for a shopper reading Spanish");
    copy.set_attribute(drawn_for::PATH, "/another-route").unwrap();
    assert!(!drawn_copy_fits("en"), "not another route's");
    copy.set_attribute(drawn_for::PATH, &path).unwrap();
    copy.set_attribute(drawn_for::EMPTY_CART, "").unwrap();
    assert!(drawn_copy_fits("en"), "drawn empty, for an empty cart");
    storage().set_item(CART, SEEDED).unwrap();
    assert!(!drawn_copy_fits("en"), "drawn empty, not for a cart with lines");
    storage().remove_item(CART).unwrap();
    shell.remove();
    assert!(!drawn_copy_fits("en"), "no copy, nothing to keep");
}
