//! The dispute form's rules and evidence checks, the dispute on the order page,
//! feedback, the actions each status offers (and hides), and the dialogs' focus.

mod support;

use support::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Puts files on a file input as if the shopper picked them.
async fn pick(app: &Mounted, css: &str, files: &[(&str, &[u8])]) {
    let dt = web_sys::DataTransfer::new().unwrap();
    for (name, bytes) in files {
        let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(*bytes));
        let file = web_sys::File::new_with_u8_array_sequence(&parts, name).unwrap();
        dt.items().add_with_file(&file).unwrap();
    }
    let input: web_sys::HtmlInputElement = app.wait_for(css).await.unchecked_into();
    input.set_files(dt.files().as_ref());
    input.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    for _ in 0..20 {
        settle().await;
    }
}

const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1];
const EXE: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00";

fn texts(app: &Mounted, css: &str) -> Vec<String> {
    app.all(css).iter().filter_map(|e| e.text_content()).collect()
}

async fn wait_until(mut ok: impl FnMut() -> bool) {
    for _ in 0..100 {
        if ok() {
            return;
        }
        sleep(20).await;
    }
}

#[wasm_bindgen_test]
async fn sending_an_empty_dispute_lists_every_error_and_takes_focus() {
    let app = mount_at("/orders/seed_08/dispute", None, |_| {}).await;
    app.wait_for(".dispute__form").await;
    app.click(".dispute__form button[type=submit]").await;
    let summary = texts(&app, "#dispute-summary li");
    assert_eq!(summary.len(), 2, "{summary:?}");
    assert_eq!(summary[0], "Choose what went wrong.");
    assert!(summary[1].starts_with("Write at least 20 characters"));
    assert_eq!(document().active_element().and_then(|e| e.get_attribute("id")).as_deref(), Some("dispute-summary"));
    assert_eq!(app.one("#dispute-description").get_attribute("aria-invalid").as_deref(), Some("true"));
    // Fixing a field clears its error at once.
    app.type_into("#dispute-description", "The earbuds arrived with a cracked case.").await;
    assert_eq!(app.text("#dispute-description-error"), "");
    assert_eq!(app.text("#dispute-description-count"), "40 of 2,000 characters");
}

#[wasm_bindgen_test]
async fn a_partial_refund_is_bounded_by_what_was_paid_in_the_orders_currency() {
    // seed_08 was paid in yen: no decimals, at most ¥4,480.
    let app = mount_at("/orders/seed_08/dispute", None, |_| {}).await;
    app.click("#dispute-refund-partial").await;
    app.wait_for("#dispute-amount").await;
    assert!(app.text(".dispute__form").contains("Amount (JPY)"));
    let amount: web_sys::HtmlElement = app.one("#dispute-amount").unchecked_into();
    amount.focus().unwrap();
    app.type_into("#dispute-amount", "5000").await;
    amount.blur().unwrap();
    settle().await;
    assert_eq!(app.text("#dispute-amount-error"), "Enter an amount more than zero and at most ¥4,480.");
    app.type_into("#dispute-amount", "12.5").await;
    assert_eq!(app.text("#dispute-amount-error"), "Use at most 0 digits after the decimal point.");
    app.type_into("#dispute-amount", "2000").await;
    assert_eq!(app.text("#dispute-amount-error"), "");
}

#[wasm_bindgen_test]
async fn evidence_is_checked_by_content_previewed_and_removable() {
    let app = mount_at("/orders/seed_08/dispute", None, |_| {}).await;
    pick(&app, "#dispute-evidence", &[("box.jpg", JPEG), ("invoice.jpg", EXE)]).await;
    assert_eq!(app.all("[data-testid=evidence-item]").len(), 2);
    assert_eq!(app.all("[data-testid=evidence-item] img").len(), 1, "a preview for the real photo");
    let errors = texts(&app, "#dispute-evidence-errors li");
    assert_eq!(errors.len(), 1);
    assert!(errors[0].starts_with("invoice.jpg isn't a photo or video"), "{errors:?}");
    app.click("[aria-label='Remove invoice.jpg']").await;
    assert_eq!(app.all("[data-testid=evidence-item]").len(), 1);
    assert!(texts(&app, "#dispute-evidence-errors li").is_empty());
    let seven: Vec<(String, &[u8])> = (0..6).map(|i| (format!("p{i}.jpg"), JPEG)).collect();
    let refs: Vec<(&str, &[u8])> = seven.iter().map(|(n, b)| (n.as_str(), *b)).collect();
    pick(&app, "#dispute-evidence", &refs).await;
    assert!(texts(&app, "#dispute-evidence-errors li")[0].starts_with("You can add up to 6 files"));
}

#[wasm_bindgen_test]
async fn a_complete_dispute_is_opened_with_its_photo_and_shown_on_the_order() {
    let app = mount_at("/orders/seed_08/dispute", None, |_| {}).await;
    app.click("#dispute-reason-2").await;
    app.type_into("#dispute-description", "The charging case arrived cracked along the hinge.").await;
    pick(&app, "#dispute-evidence", &[("crack.jpg", JPEG)]).await;
    app.click(".dispute__form button[type=submit]").await;
    app.wait_for(".dispute-section").await;
    assert!(app.text(".dispute-section__state").starts_with("Waiting for the seller's answer"));
    assert!(app.text(".dispute-section").contains("You can escalate to the platform from"));
    assert!(texts(&app, ".timeline__item p").contains(&"You opened a dispute.".to_string()));
    assert!(app.maybe("a[href='/orders/seed_08/dispute']").is_none(), "one open dispute at a time");
    assert!(!texts(&app, ".order__actions button").contains(&"Confirm receipt".to_string()), "not while disputed");
}

#[wasm_bindgen_test]
async fn a_sellers_offer_can_be_accepted() {
    let app = mount_at("/orders/seed_14", None, |_| {}).await;
    app.wait_for(".dispute-section").await;
    assert!(app.text(".dispute-section__state").starts_with("The seller offers a refund of $11.00"));
    app.click(".dispute-section .button--primary").await;
    wait_until(|| app.maybe(".dispute-section__state").and_then(|e| e.text_content()).is_some_and(|t| t.starts_with("Resolved"))).await;
    assert_eq!(app.text(".dispute-section__state"), "Resolved: $11.00 refunded to the way you paid.");
    assert!(texts(&app, ".timeline__item p").contains(&"Refunded $11.00.".to_string()));
}

#[wasm_bindgen_test]
async fn the_dispute_form_says_when_it_cannot_be_used() {
    let app = mount_at("/orders/seed_04/dispute", None, |_| {}).await;
    app.wait_for(".dispute .notice").await;
    assert_eq!(app.text(".dispute .notice"), "A dispute can be opened once the order has shipped.");
    assert!(app.maybe(".dispute__form").is_none());
}

#[wasm_bindgen_test]
async fn feedback_is_given_once_then_shown() {
    let app = mount_at("/orders/seed_09", None, |_| {}).await;
    app.wait_for(".feedback").await;
    app.click(".feedback button[type=submit]").await;
    assert_eq!(app.text("#feedback-error"), "Choose from 1 to 5 stars for each of the three.");
    app.click("#item-5").await;
    app.click("#communication-4").await;
    app.click("#shipping-3").await;
    app.type_into("#feedback-text", "Soft and well made.").await;
    pick(&app, "#feedback-photos", &[("sofa.jpg", JPEG)]).await;
    app.click(".feedback button[type=submit]").await;
    app.wait_for(".feedback-shown").await;
    assert!(app.text(".order-section").contains("With 1 photo."), "{}", app.text(".order-section"));
    assert!(app.maybe(".feedback").is_none(), "once only");
    assert_eq!(texts(&app, ".feedback-shown dd"), ["5 of 5 stars", "4 of 5 stars", "3 of 5 stars"]);
}

/// Each status offers only what its rules allow.
#[wasm_bindgen_test]
async fn each_status_offers_its_actions_and_no_others() {
    let cases: [(&str, &[&str]); 9] = [
        ("seed_01", &["Cancel order"]),
        ("seed_02", &["Cancel order"]),
        ("seed_04", &["Ask the seller to cancel"]),
        ("seed_05", &[]),
        ("seed_06", &["Confirm receipt", "Open a dispute", "Ask the seller for more protection time"]),
        ("seed_09", &["Return items", "Open a dispute"]),
        ("seed_11", &[]),
        // A return open: no dispute and no confirming receipt until it ends;
        // once refunded, no second return.
        ("seed_16", &["Ask the seller for more protection time"]),
        ("seed_20", &["Confirm receipt", "Open a dispute", "Ask the seller for more protection time"]),
    ];
    for (id, expected) in cases {
        let app = mount_at(&format!("/orders/{id}"), None, |_| {}).await;
        app.wait_for(".order__sentence").await;
        let actions = texts(&app, ".order__header ~ .order__actions > *");
        assert_eq!(actions, expected, "{id}");
    }
}

// Escape with a real key press is checked end to end (crates/e2e).
#[wasm_bindgen_test]
async fn a_dialog_takes_focus_and_gives_it_back_when_closed() {
    let app = mount_at("/orders/seed_02", None, |_| {}).await;
    let opener: web_sys::HtmlElement = app.wait_for(".order__actions button").await.unchecked_into();
    opener.focus().unwrap();
    opener.click();
    settle().await;
    let dialog: web_sys::HtmlDialogElement = app.one("#cancel-dialog").unchecked_into();
    assert!(dialog.open());
    let inside = document().active_element().is_some_and(|e| dialog.contains(Some(&e)));
    assert!(inside, "focus moves into the dialog");
    app.click("#cancel-dialog .button--secondary").await;
    settle().await;
    assert!(!dialog.open());
    assert_eq!(document().active_element().map(|e| e.is_same_node(Some(&opener))), Some(true), "focus returns to the opener");
    assert_eq!(app.text(".status-badge"), "Payment being verified", "nothing was cancelled");
}
