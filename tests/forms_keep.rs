//! Forms keep what was typed: the dispute, feedback, cancellation and
//! tracking forms, across a re-read of the screen's data (the network going
//! and coming back), and a reload (a language change is one). And the orders
//! list offers on each row only what the order page offers.

mod support;

use support::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The network drops and comes back: every screen reads its data again and
/// draws it anew (Leptos patches the same elements, so what a rebuilt form
/// would lose shows in their values).
async fn drop_the_network_and_come_back() {
    let window = web_sys::window().unwrap();
    window.dispatch_event(&web_sys::Event::new("offline").unwrap()).unwrap();
    settle().await;
    window.dispatch_event(&web_sys::Event::new("online").unwrap()).unwrap();
    for _ in 0..10 {
        settle().await;
    }
}

fn checked(app: &Mounted, css: &str) -> bool {
    app.one(css).unchecked_into::<web_sys::HtmlInputElement>().checked()
}

fn area(app: &Mounted, css: &str) -> String {
    app.one(css).unchecked_into::<web_sys::HtmlTextAreaElement>().value()
}

const DESCRIPTION: &str = "The left earbud has no sound at all, from the first day.";

#[wasm_bindgen_test]
async fn the_dispute_form_keeps_every_field_across_a_reread_and_a_reload() {
    let app = mount_at("/orders/seed_08/dispute", None, |_| {}).await;
    app.click("#dispute-reason-3").await;
    app.click("#dispute-refund-partial").await;
    app.type_into("#dispute-amount", "1500").await;
    app.type_into("#dispute-description", DESCRIPTION).await;
    let same = |app: &Mounted| {
        assert!(checked(app, "#dispute-reason-3"), "the reason");
        assert!(checked(app, "#dispute-refund-partial"), "a partial refund");
        assert_eq!(app.input_value("#dispute-amount"), "1500");
        assert_eq!(area(app, "#dispute-description"), DESCRIPTION);
    };
    drop_the_network_and_come_back().await;
    same(&app);
    drop(app);
    let app = mount_keep_storage("/orders/seed_08/dispute").await;
    app.wait_for(".dispute__form").await;
    settle().await;
    same(&app);
}

#[wasm_bindgen_test]
async fn the_feedback_form_keeps_its_stars_and_text_across_a_reread_and_a_reload() {
    let app = mount_at("/orders/seed_09", None, |_| {}).await;
    app.wait_for(".feedback").await;
    app.click("#item-4").await;
    app.click("#shipping-2").await;
    app.type_into("#feedback-text", "Comfortable, but the seams are loose.").await;
    let same = |app: &Mounted| {
        assert!(checked(app, "#item-4") && checked(app, "#shipping-2"), "the stars");
        assert!(!checked(app, "#communication-1") && !checked(app, "#communication-5"), "nothing chosen for the third");
        assert_eq!(area(app, "#feedback-text"), "Comfortable, but the seams are loose.");
    };
    // Time passes meanwhile: the dispute window closes, so the re-read shows.
    app.api.skip(16 * 24 * 3600);
    assert!(app.maybe("a[href='/orders/seed_09/dispute']").is_some());
    drop_the_network_and_come_back().await;
    assert!(app.maybe("a[href='/orders/seed_09/dispute']").is_none(), "the order was read again");
    same(&app);
    drop(app);
    let app = mount_keep_storage("/orders/seed_09").await;
    app.wait_for(".feedback").await;
    settle().await;
    same(&app);
}

#[wasm_bindgen_test]
async fn the_cancellation_request_stays_open_with_its_reason_across_a_reread_and_a_reload() {
    let app = mount_at("/orders/seed_04", None, |_| {}).await;
    app.wait_for(".order__actions button").await;
    app.click(".order__header ~ .order__actions button").await;
    let dialog = |app: &Mounted| app.one("#request-dialog").unchecked_into::<web_sys::HtmlDialogElement>();
    assert!(dialog(&app).open());
    app.click("#request-dialog .reasons__choice:nth-of-type(2) input").await;
    // Time passes meanwhile: the ship-by countdown moves, so the re-read shows.
    let before = app.text(".order-facts");
    app.api.skip(5 * 3600);
    drop_the_network_and_come_back().await;
    assert_ne!(app.text(".order-facts"), before, "the order was read again");
    assert!(dialog(&app).open(), "the dialog is still open");
    assert!(checked(&app, "#request-dialog .reasons__choice:nth-of-type(2) input"), "with the reason chosen");
    drop(app);
    let app = mount_keep_storage("/orders/seed_04").await;
    app.click(".order__header ~ .order__actions button").await;
    assert!(checked(&app, "#request-dialog .reasons__choice:nth-of-type(2) input"), "the reason, after a reload");
}

#[wasm_bindgen_test]
async fn the_tracking_form_keeps_the_number_and_email_across_a_reread_and_a_reload() {
    let app = mount_at("/orders", None, |_| {}).await;
    app.wait_for("[data-testid=order-row]").await;
    app.type_into("#track-number", "8000000000006").await;
    app.type_into("#track-email", "ana@example.com").await;
    drop_the_network_and_come_back().await;
    assert_eq!(app.input_value("#track-number"), "8000000000006");
    assert_eq!(app.input_value("#track-email"), "ana@example.com");
    drop(app);
    let app = mount_keep_storage("/orders").await;
    app.wait_for("#track-number").await;
    settle().await;
    assert_eq!(app.input_value("#track-number"), "8000000000006");
    assert_eq!(app.input_value("#track-email"), "ana@example.com");
}

/// What a row's action promises, the order page has.
#[wasm_bindgen_test]
async fn the_orders_list_and_the_order_page_offer_the_same_actions_for_every_seeded_order() {
    let app = mount_at("/orders", None, |_| {}).await;
    app.wait_for("[data-testid=order-row]").await;
    let rows: Vec<(String, Option<String>)> = app
        .all("[data-testid=order-row]")
        .iter()
        .map(|row| {
            let href = row.query_selector(".order-row__title").unwrap().unwrap().get_attribute("href").unwrap();
            let action = row.query_selector(".order-row__side a").unwrap().and_then(|a| a.text_content());
            (href, action)
        })
        .collect();
    drop(app);
    assert!(rows.len() >= 15, "{rows:?}");
    for (href, action) in rows {
        let app = mount_keep_storage(&href).await;
        app.wait_for(".order__sentence").await;
        let buttons: Vec<String> =
            app.all(".order__header ~ .order__actions > *").iter().filter_map(|e| e.text_content()).collect();
        let has = |label: &str| buttons.iter().any(|b| b == label);
        let pay = app.maybe(".pay-panel").is_some();
        let feedback = app.maybe(".feedback").is_some();
        match action.as_deref() {
            Some("Pay") => assert!(pay, "{href}: the row says Pay"),
            Some("Track") => assert!(app.maybe(".tracking").is_some(), "{href}: the row says Track"),
            Some("Confirm receipt") => assert!(has("Confirm receipt"), "{href}: the row says Confirm receipt; page: {buttons:?}"),
            Some("Leave feedback") => assert!(feedback, "{href}: the row says Leave feedback"),
            None => assert!(!pay && !feedback && !has("Confirm receipt"), "{href}: the row offers nothing, the page {buttons:?}"),
            Some(other) => panic!("{href}: unknown row action {other}"),
        }
        if has("Confirm receipt") {
            assert!(matches!(action.as_deref(), Some("Confirm receipt" | "Track")), "{href}: the page offers Confirm receipt, the row {action:?}");
        }
        if feedback || pay {
            assert_eq!(action.as_deref(), Some(if pay { "Pay" } else { "Leave feedback" }), "{href}");
        }
    }
}
