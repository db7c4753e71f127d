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
