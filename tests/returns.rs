//! Returns in the browser: the request form's errors and the refund it
//! previews from the core, the return on the order page with its tracking
//! number form, and escalation after a refusal.

mod support;

use support::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Chooses an option of a select, as a shopper does.
async fn choose(app: &Mounted, css: &str, value: &str) {
    let select: web_sys::HtmlSelectElement = app.wait_for(css).await.unchecked_into();
    select.set_value(value);
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    settle().await;
}

fn focused_id() -> Option<String> {
    document().active_element().and_then(|e| e.get_attribute("id"))
}

async fn wait_text(app: &Mounted, css: &str, ok: impl Fn(&str) -> bool) -> String {
    for _ in 0..150 {
        if let Some(t) = app.maybe(css).and_then(|e| e.text_content()) {
            if ok(&t) {
                return t;
            }
        }
        sleep(20).await;
    }
    panic!("{css} never read as expected; page: {}", app.one("main").inner_html());
}

#[wasm_bindgen_test]
async fn an_empty_return_request_lists_both_errors_ties_them_to_their_fields_and_takes_focus() {
    let app = mount_at("/orders/seed_09/return", None, |_| {}).await;
    app.wait_for(".return-request form").await;
    app.click(".return-request button[type=submit]").await;
    let summary: Vec<String> = app.all("#return-summary li").iter().filter_map(|e| e.text_content()).collect();
    assert_eq!(summary, ["Choose at least one item to return.", "Choose why you're returning them."]);
    assert_eq!(focused_id().as_deref(), Some("return-summary"));
    assert_eq!(app.text("#return-lines-error"), "Choose at least one item to return.");
    let described = app.one("#return-qty-0").get_attribute("aria-describedby").unwrap_or_default();
    assert!(described.contains("return-lines-error"), "{described}");
    // Choosing clears the error at once.
    choose(&app, "#return-qty-0", "1").await;
    assert_eq!(app.text("#return-lines-error"), "");
}

#[wasm_bindgen_test]
async fn the_refund_preview_adds_shipping_only_when_the_seller_is_at_fault() {
    // seed_09: two linen covers at $9.99 from Lumen Home, $3.99 shipping;
    // Lumen takes returns for a change of mind.
    let app = mount_at("/orders/seed_09/return", None, |_| {}).await;
    app.wait_for(".return-request form").await;
    assert_eq!(app.text("#return-refund"), "Choose the items and a reason to see your refund.");
    let reasons = app.text(".return-request form");
    assert!(reasons.contains("I changed my mind"), "{reasons}");
    choose(&app, "#return-qty-0", "1").await;
    app.click("#return-reason-5").await;
    assert_eq!(app.text("#return-refund"), "$9.99 Shipping isn't refunded when you change your mind.");
    choose(&app, "#return-qty-0", "2").await;
    app.click("#return-reason-1").await;
    assert_eq!(app.text("#return-refund"), "$23.97 This includes the shipping you paid ($3.99), as the seller is at fault.");
    assert!(app.text(".return-how").contains("Lumen Home Returns, 18 Keji Road"));

    // Pixel Gadget takes no returns for a change of mind: the reason is not offered.
    let app = mount_at("/orders/seed_08/return", None, |_| {}).await;
    app.wait_for(".return-request form").await;
    assert!(!app.text(".return-request form").contains("I changed my mind"));
}

#[wasm_bindgen_test]
async fn a_return_goes_from_the_request_to_the_tracking_number_on_the_order_page() {
    let app = mount_at("/orders/seed_09/return", None, |_| {}).await;
    choose(&app, "#return-qty-0", "1").await;
    app.click("#return-reason-1").await;
    app.click(".return-request button[type=submit]").await;
    let state = wait_text(&app, ".return-section__state", |t| !t.is_empty()).await;
    assert!(state.starts_with("Send the parcel by"), "{state}");
    assert!(app.text(".return-section").contains("Lumen Home Returns"));
    assert!(app.text(".timeline").contains("You asked to return items."));
    assert!(app.maybe("a[href='/orders/seed_09/return']").is_none(), "one return per order");

    // The tracking number is checked by the core's rule, on the field.
    app.type_into("#return-carrier", "China Post").await;
    app.type_into("#return-tracking", "RR 12").await;
    app.click(".return-send button[type=submit]").await;
    assert_eq!(app.text("#return-tracking-error"), "Enter the tracking number from your receipt: 6 to 40 letters, digits or hyphens.");
    assert_eq!(app.one("#return-tracking").get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(focused_id().as_deref(), Some("return-tracking"));
    app.type_into("#return-tracking", "rr 2049 1833 7cn").await;
    app.click(".return-send button[type=submit]").await;
    let state = wait_text(&app, ".return-section__state", |t| t.starts_with("On its way back")).await;
    assert_eq!(state, "On its way back with China Post, tracking number RR204918337CN.");
    assert!(app.maybe(".return-send").is_none(), "the form is gone once sent");
}

#[wasm_bindgen_test]
async fn a_refused_return_can_go_to_the_platform() {
    let app = mount_at("/orders/seed_19", None, |_| {}).await;
    let state = wait_text(&app, ".return-section__state", |t| !t.is_empty()).await;
    assert_eq!(state, "The seller refused the returned items. You can ask the platform to decide.");
    app.click(".return-section .button--secondary").await;
    wait_text(&app, ".return-section__state", |t| t == "The platform is reviewing the return.").await;
}

#[wasm_bindgen_test]
async fn an_order_not_yet_delivered_cannot_be_returned_and_says_why() {
    let app = mount_at("/orders/seed_06/return", None, |_| {}).await;
    let why = wait_text(&app, ".return-request .notice", |t| !t.is_empty()).await;
    assert_eq!(why, "Items can be returned once the order has been delivered.");
    assert!(app.maybe("a[href='/orders/seed_06/return']").is_none());
}
