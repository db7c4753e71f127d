//! Paying again for an order awaiting payment: the card form, declines in plain
//! words, 3-D Secure, one attempt at a time, and no card data left behind.

mod support;

use support::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn fill_card(app: &Mounted, number: &str) {
    app.type_into("#card-number", number).await;
    app.type_into("#card-expiry", "12/30").await;
    app.type_into("#card-cvc", "123").await;
    app.type_into("#card-name", "Ana López").await;
}

async fn wait_text(app: &Mounted, css: &str, ok: impl Fn(&str) -> bool) -> String {
    for _ in 0..100 {
        if let Some(t) = app.maybe(css).and_then(|e| e.text_content()) {
            if ok(&t) {
                return t;
            }
        }
        sleep(20).await;
    }
    panic!("{css} never matched; now {:?}", app.maybe(css).and_then(|e| e.text_content()));
}

fn no_card_data_kept() {
    let window = web_sys::window().unwrap();
    for storage in [window.local_storage().unwrap().unwrap(), window.session_storage().unwrap().unwrap()] {
        for i in 0..storage.length().unwrap() {
            let key = storage.key(i).unwrap().unwrap();
            let value = storage.get_item(&key).unwrap().unwrap_or_default();
            for secret in ["4242424242424242", "4242 4242 4242 4242", "4000000000009995", "4000 0000 0000 9995"] {
                assert!(!value.contains(secret), "{key} holds a card number");
            }
        }
    }
    assert!(!web_sys::window().unwrap().location().href().unwrap().contains("4242"));
}

#[wasm_bindgen_test]
async fn the_brand_shows_and_the_number_is_grouped_as_typed() {
    let app = mount_at("/orders/seed_01", None, |_| {}).await;
    app.wait_for("#card-number").await;
    app.type_into("#card-number", "4242424242424242").await;
    assert_eq!(app.input_value("#card-number"), "4242 4242 4242 4242");
    assert_eq!(app.text("#card-number-brand"), "Visa");
    app.type_into("#card-number", "378282246310005").await;
    assert_eq!(app.input_value("#card-number"), "3782 822463 10005");
    assert_eq!(app.text("#card-cvc-hint"), "4 digits, on the front");
    for (id, token) in [("card-number", "cc-number"), ("card-expiry", "cc-exp"), ("card-cvc", "cc-csc"), ("card-name", "cc-name")] {
        assert_eq!(app.one(&format!("#{id}")).get_attribute("autocomplete").as_deref(), Some(token));
    }
}

#[wasm_bindgen_test]
async fn a_bad_card_is_refused_in_the_browser_with_errors_by_the_fields() {
    let app = mount_at("/orders/seed_01", None, |_| {}).await;
    app.wait_for("#card-number").await;
    app.type_into("#card-number", "4242 4242 4242 4241").await;
    app.type_into("#card-expiry", "01/20").await;
    app.click(".pay-panel button[type=submit]").await;
    wait_text(&app, ".pay-panel [role=alert]", |t| t == "Check the card details marked above.").await;
    assert_eq!(app.text("#card-number-error"), "This card number has a typo. Check it against your card.");
    assert_eq!(app.text("#card-expiry-error"), "This card has expired. Use another card.");
    assert_eq!(app.text("#card-cvc-error"), "This field is required.");
    assert_eq!(app.one("#card-number").get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(app.text(".status-badge"), "Awaiting payment");
}

#[wasm_bindgen_test]
async fn a_decline_says_why_keeps_the_order_and_another_card_pays() {
    let app = mount_at("/orders/seed_01", None, |_| {}).await;
    app.wait_for("#card-number").await;
    fill_card(&app, "4000 0000 0000 9995").await;
    app.click(".pay-panel button[type=submit]").await;
    wait_text(&app, ".pay-panel [role=alert]", |t| t.contains("not enough funds")).await;
    assert_eq!(app.text(".status-badge"), "Awaiting payment");
    no_card_data_kept();
    app.type_into("#card-number", "4242 4242 4242 4242").await;
    app.click(".pay-panel button[type=submit]").await;
    wait_text(&app, ".status-badge", |t| t == "Payment being verified").await;
    assert!(app.text(".order__sentence").contains("up to 24 hours"));
    no_card_data_kept();
}

#[wasm_bindgen_test]
async fn three_d_secure_opens_a_dialog_and_the_payment_goes_on_when_confirmed() {
    let app = mount_at("/orders/seed_01", None, |_| {}).await;
    app.wait_for("#card-number").await;
    fill_card(&app, "4000 0025 0000 3155").await;
    app.click(".pay-panel button[type=submit]").await;
    for _ in 0..100 {
        if app.one("#challenge-dialog").unchecked_into::<web_sys::HtmlDialogElement>().open() {
            break;
        }
        sleep(20).await;
    }
    assert!(app.one("#challenge-dialog").unchecked_into::<web_sys::HtmlDialogElement>().open());
    app.click("#challenge-dialog .button--primary").await;
    wait_text(&app, ".status-badge", |t| t == "Payment being verified").await;
}

#[wasm_bindgen_test]
async fn giving_up_a_challenge_charges_nothing_and_says_so() {
    let app = mount_at("/orders/seed_01", None, |_| {}).await;
    app.wait_for("#card-number").await;
    fill_card(&app, "4000 0025 0000 3155").await;
    app.click(".pay-panel button[type=submit]").await;
    app.wait_for("#challenge-dialog[open]").await;
    app.click("#challenge-dialog .button--secondary").await;
    wait_text(&app, ".pay-panel [role=alert]", |t| t.starts_with("The payment wasn't confirmed")).await;
    assert_eq!(app.text(".status-badge"), "Awaiting payment");
}

#[wasm_bindgen_test]
async fn every_brands_public_test_number_passes_and_typos_fail_with_their_messages() {
    let app = mount_at("/orders/seed_01", None, |_| {}).await;
    app.wait_for("#card-number").await;
    let focus_blur = |id: &str| {
        let el: web_sys::HtmlElement = app.one(id).unchecked_into();
        el.focus().unwrap();
        el.blur().unwrap();
    };
    for (number, brand) in [
        ("4242424242424242", "Visa"),
        ("5555555555554444", "Mastercard"),
        ("2223003122003222", "Mastercard"),
        ("378282246310005", "American Express"),
        ("6011111111111117", "Discover"),
        ("3056930009020004", "Diners Club"),
        ("3566002020360505", "JCB"),
        ("6200000000000005", "UnionPay"),
    ] {
        app.type_into("#card-number", number).await;
        focus_blur("#card-number");
        settle().await;
        assert_eq!(app.text("#card-number-brand"), brand, "{number}");
        assert_eq!(app.text("#card-number-error"), "", "{number}");
    }
    app.type_into("#card-number", "4242424242424241").await;
    focus_blur("#card-number");
    settle().await;
    assert_eq!(app.text("#card-number-error"), "This card number has a typo. Check it against your card.");
    app.type_into("#card-expiry", "10/21").await;
    focus_blur("#card-expiry");
    app.type_into("#card-cvc", "12").await;
    focus_blur("#card-cvc");
    settle().await;
    assert_eq!(app.text("#card-expiry-error"), "This card has expired. Use another card.");
    assert_eq!(app.text("#card-cvc-error"), "Enter the 3-digit security code from the back of your card.");
}

fn saved_card_value() -> Option<String> {
    storage().get_item("checkout.saved-card.v1").unwrap()
}

fn path_and_query() -> String {
    let l = web_sys::window().unwrap().location();
    format!("{}{}", l.pathname().unwrap(), l.search().unwrap())
}

async fn wait_path(start: &str) -> String {
    for _ in 0..100 {
        let p = path_and_query();
        if p.starts_with(start) {
            return p;
        }
        sleep(20).await;
    }
    panic!("never reached {start}; at {}", path_and_query());
}

#[wasm_bindgen_test]
async fn a_card_is_kept_only_when_asked_and_then_only_its_brand_last_four_and_token() {
    // Not asked: nothing is kept.
    let app = mount_at("/orders/seed_01", None, |_| {}).await;
    app.wait_for("#card-number").await;
    fill_card(&app, "4242 4242 4242 4242").await;
    app.click(".pay-panel button[type=submit]").await;
    wait_text(&app, ".status-badge", |t| t == "Payment being verified").await;
    assert_eq!(saved_card_value(), None);
    drop(app);

    // Asked: brand, last four and the provider's token, never the number or code.
    let app = mount_at("/orders/seed_01", None, |_| {}).await;
    app.wait_for("#card-number").await;
    fill_card(&app, "4242 4242 4242 4242").await;
    app.click(".pay-method__card input[type=checkbox]").await;
    app.click(".pay-panel button[type=submit]").await;
    wait_text(&app, ".status-badge", |t| t == "Payment being verified").await;
    let kept = saved_card_value().expect("the card was kept");
    assert!(kept.contains("\"last4\":\"4242\"") && kept.contains("visa"), "{kept}");
    assert!(!kept.contains("424242") && !kept.contains("\"123\"") && !kept.contains("12/30"), "{kept}");
    no_card_data_kept();
}

#[wasm_bindgen_test]
async fn a_kept_card_is_offered_first_pays_without_typing_and_can_be_forgotten() {
    let app = mount_at("/orders/seed_01", None, |_| {}).await;
    storage()
        .set_item("checkout.saved-card.v1", r#"{"token":{"token":"tok_mastercard_4444","brand":"mastercard","last4":"4444"}}"#)
        .unwrap();
    drop(app);
    let app = mount_keep_storage("/orders/seed_01").await;
    app.wait_for("#again-pay-saved").await;
    assert_eq!(app.text("label[for=again-pay-saved]"), "Mastercard ending 4444 (kept from last time)");
    assert!(app.one("#again-pay-saved").unchecked_into::<web_sys::HtmlInputElement>().checked(), "chosen by default");
    assert!(app.maybe("#card-number").is_none(), "no card form to fill");
    app.click(".pay-method__forget").await;
    assert_eq!(saved_card_value(), None);
    assert!(app.maybe("#again-pay-saved").is_none());
    app.wait_for("#card-number").await;
    drop(app);

    // A value someone else wrote that is not a kept card is dropped.
    storage().set_item("checkout.saved-card.v1", r#"{"token":{"token":"<script>","brand":"visa","last4":"42"}}"#).unwrap();
    let app = mount_keep_storage("/orders/seed_01").await;
    app.wait_for("#card-number").await;
    assert!(app.maybe("#again-pay-saved").is_none());
    assert_eq!(saved_card_value(), None);
    drop(app);

    storage()
        .set_item("checkout.saved-card.v1", r#"{"token":{"token":"tok_visa_4242","brand":"visa","last4":"4242"}}"#)
        .unwrap();
    let app = mount_keep_storage("/orders/seed_01").await;
    app.wait_for("#again-pay-saved").await;
    app.click(".pay-panel button[type=submit]").await;
    wait_text(&app, ".status-badge", |t| t == "Payment being verified").await;
}

#[wasm_bindgen_test]
async fn the_wallet_sends_the_shopper_to_its_page_and_back_paid() {
    let app = mount_at("/orders/seed_01", None, |_| {}).await;
    app.wait_for("#again-pay-wallet").await;
    app.click("#again-pay-wallet").await;
    assert!(app.maybe("#card-number").is_none(), "the card form goes away");
    app.click(".pay-panel button[type=submit]").await;
    wait_path("/pay/wallet?challenge=").await;
    app.wait_for("#wallet-approve").await;
    assert_eq!(app.text(".wallet h1"), "Approve your payment to Checkout Store");
    app.click("#wallet-approve").await;
    assert_eq!(wait_path("/orders/seed_01").await, "/orders/seed_01");
    wait_text(&app, ".status-badge", |t| t == "Payment being verified").await;
    assert!(app.text(".order__payment").contains("wallet"), "{}", app.text(".order__payment"));
}

#[wasm_bindgen_test]
async fn cancelling_on_the_wallets_page_charges_nothing_and_the_order_waits() {
    let app = mount_at("/orders/seed_01", None, |_| {}).await;
    app.wait_for("#again-pay-wallet").await;
    app.click("#again-pay-wallet").await;
    app.click(".pay-panel button[type=submit]").await;
    wait_path("/pay/wallet").await;
    app.wait_for("#wallet-cancel").await;
    app.click("#wallet-cancel").await;
    wait_path("/orders/seed_01").await;
    wait_text(&app, ".order [role=alert]", |t| t.starts_with("You cancelled on the wallet's page")).await;
    assert_eq!(app.text(".status-badge"), "Awaiting payment");
}

#[wasm_bindgen_test]
async fn a_wallet_link_that_is_not_valid_says_so() {
    for path in ["/pay/wallet", "/pay/wallet?challenge=%3Cscript%3E", "/pay/wallet?challenge=chl_999999"] {
        let app = mount_at(path, None, |_| {}).await;
        if let Some(approve) = app.maybe("#wallet-approve") {
            approve.unchecked_into::<web_sys::HtmlElement>().click();
        }
        wait_text(&app, ".wallet [role=alert]", |t| t.starts_with("This payment link isn't valid")).await;
    }
}
