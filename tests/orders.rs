//! My orders and the order page, on the mock's seeded orders, in headless
//! Chromium: tabs, status sentences, the step line, the timeline, and the
//! cancel / request-cancellation / confirm-receipt dialogs.

mod support;

use support::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn texts(app: &Mounted, css: &str) -> Vec<String> {
    app.all(css).iter().filter_map(|e| e.text_content()).collect()
}

#[wasm_bindgen_test]
async fn orders_are_listed_newest_first() {
    let app = mount_at("/orders", None, |_| {}).await;
    app.wait_for("[data-testid=order-row]").await;
    assert!(app.all("[data-testid=order-row]").len() >= 15);
    assert_eq!(app.one(".tabs__tab[aria-current=page]").text_content().as_deref(), Some("All"));
    let dates: Vec<String> = texts(&app, ".order-row__meta");
    assert!(dates[0].contains("Nov 25, 2026"), "{dates:?}");
    assert!(dates.last().unwrap().contains("Oct 27, 2026"), "{dates:?}");
}

// Clicking a tab is covered end to end (crates/e2e); here the URL picks it.
#[wasm_bindgen_test]
async fn the_tab_in_the_url_filters_the_orders() {
    let app = mount_at("/orders?tab=awaiting-payment", None, |_| {}).await;
    app.wait_for("[data-testid=order-row]").await;
    assert_eq!(app.one(".tabs__tab[aria-current=page]").text_content().as_deref(), Some("Awaiting payment"));
    let statuses = texts(&app, "[data-testid=order-row] .status-badge");
    assert_eq!(statuses, ["Awaiting payment"]);
    assert_eq!(texts(&app, "[data-testid=order-row] .order-row__side a"), ["Pay"]);
    drop(app);
    let app = mount_at("/orders?tab=disputes", None, |_| {}).await;
    app.wait_for("[data-testid=order-row]").await;
    assert_eq!(app.all("[data-testid=order-row]").len(), 7, "two seeded disputes and five returns");
}

#[wasm_bindgen_test]
async fn the_order_page_says_where_the_order_is_and_what_happened() {
    let app = mount_at("/orders/seed_06", None, |_| {}).await;
    app.wait_for(".order__sentence").await;
    assert_eq!(app.text("h1"), "Order 8000000000006");
    assert_eq!(app.text(".status-badge"), "Awaiting delivery");
    assert!(app.text(".order__sentence").starts_with("Your parcel is on its way."));
    assert_eq!(app.text(".steps__item[aria-current=step] span:nth-child(2)"), "In transit");
    let events = texts(&app, ".timeline__item p");
    assert_eq!(events.first().map(String::as_str), Some("Tracking update: Liège customs."), "newest first");
    assert_eq!(events.last().map(String::as_str), Some("Order placed."));
    assert!(app.text(".tracking__number").contains("LP"));
    assert!(app.text(".order-facts").contains("Buyer protection ends"));
    assert!(app.maybe("button.button--secondary[type=button]").is_some());
    assert!(app.text(".order__note").contains("can't be cancelled"), "after shipment: the dispute path, no cancel");
    assert!(!texts(&app, ".order__actions button").iter().any(|b| b.contains("Cancel")));
    assert_eq!(document().title(), "Order 8000000000006 · Bazaar");
}

#[wasm_bindgen_test]
async fn cancelling_while_verified_is_immediate_after_a_confirmation() {
    let app = mount_at("/orders/seed_02", None, |_| {}).await;
    app.wait_for(".order__actions button").await;
    app.click(".order__actions button").await;
    let dialog: web_sys::HtmlDialogElement = app.one("#cancel-dialog").unchecked_into();
    assert!(dialog.open(), "a dialog asks first");
    app.click("#cancel-dialog .button--primary").await;
    for _ in 0..50 {
        if app.maybe(".status-badge").and_then(|e| e.text_content()).as_deref() == Some("Closed") {
            break;
        }
        sleep(20).await;
    }
    assert_eq!(app.text(".status-badge"), "Closed");
    assert!(app.text(".order__sentence").contains("refunded"));
    assert!(app.text(".order-facts").contains("Refund"));
}

#[wasm_bindgen_test]
async fn after_verification_cancelling_is_a_request_with_a_reason() {
    let app = mount_at("/orders/seed_04", None, |_| {}).await;
    app.wait_for(".order__actions button").await;
    assert_eq!(app.text(".order__actions button"), "Ask the seller to cancel");
    assert!(app.text(".order-facts").contains("Seller ships by"));
    app.click(".order__actions button").await;
    let send: web_sys::HtmlButtonElement = app.one("#request-dialog .button--primary").unchecked_into();
    assert!(send.disabled(), "a reason is needed first");
    app.click("#request-dialog input[type=radio]").await;
    assert!(!send.disabled());
    app.click("#request-dialog .button--primary").await;
    for _ in 0..50 {
        if app.text(".order__sentence").starts_with("You asked to cancel") {
            break;
        }
        sleep(20).await;
    }
    assert!(app.text(".order__sentence").starts_with("You asked to cancel"));
    assert!(app.text(".order-facts").contains("Seller answers your cancellation by"));
}

#[wasm_bindgen_test]
async fn confirming_receipt_completes_the_order() {
    let app = mount_at("/orders/seed_08", None, |_| {}).await;
    app.wait_for(".order__actions .button--primary").await;
    app.click(".order__actions .button--primary").await;
    assert!(app.text("#confirm-dialog").contains("ends buyer protection"));
    app.click("#confirm-dialog .button--primary").await;
    for _ in 0..50 {
        if app.text(".status-badge") == "Completed" {
            break;
        }
        sleep(20).await;
    }
    assert_eq!(app.text(".status-badge"), "Completed");
}

#[wasm_bindgen_test]
async fn an_unknown_order_is_a_not_found_state() {
    let app = mount_at("/orders/nope", None, |_| {}).await;
    app.wait_for(".page--not-found").await;
    assert_eq!(app.text("h1"), "We couldn't find this order");
}

#[wasm_bindgen_test]
async fn an_order_can_be_tracked_by_number_and_email() {
    let app = mount_at("/orders", None, |_| {}).await;
    app.wait_for("#track-number").await;
    app.click(".track-form button[type=submit]").await;
    assert_eq!(app.text("#track-error"), "Enter both the order number and the email.");
    app.type_into("#track-number", "8000000000001").await;
    app.type_into("#track-email", "nobody@example.com").await;
    app.click(".track-form button[type=submit]").await;
    for _ in 0..50 {
        if !app.text("#track-error").is_empty() && app.text("#track-error") != "Enter both the order number and the email." {
            break;
        }
        sleep(20).await;
    }
    assert!(app.text("#track-error").starts_with("No order matches"));
    app.type_into("#track-email", "shopper@example.com").await;
    app.click(".track-form button[type=submit]").await;
    app.wait_for("[data-testid=tracked]").await;
    assert_eq!(app.text(".tracked h3"), "Order 8000000000001");
    // Where it is, for anyone with the number and email: no address, no card.
    let shown = app.text("[data-testid=tracked]");
    assert!(!shown.contains("Market St") && !shown.contains("López") && !shown.contains("4242"), "{shown}");
    assert!(shown.contains("What happened"), "{shown}");
    assert_eq!(app.input_value("#track-number"), "", "the form is cleared once found");
}

#[wasm_bindgen_test]
async fn verification_shows_its_real_steps_and_answers_the_usual_questions() {
    let app = mount_at("/orders/seed_02", None, |_| {}).await;
    app.wait_for(".verification").await;
    assert_eq!(app.all(".verification__step--done").len(), 1, "payment received");
    assert!(app.text(".verification__step[aria-current=step]").starts_with("Security check of the payment"));
    let questions = texts(&app, ".faq summary");
    assert_eq!(questions.len(), 5);
    assert!(app.text(".verification").contains("up to 24 hours"));
    assert!(app.text(".order__payment").starts_with("Paid $26.98 with Visa ending 4242"));
}

#[wasm_bindgen_test]
async fn past_24_hours_of_verification_the_shopper_is_offered_support_with_the_order_number() {
    let app = mount_at("/orders/seed_03", None, |_| {}).await;
    app.wait_for(".verification").await;
    assert!(app.text(".verification [role=status]").starts_with("This is taking longer than the 24 hours"));
    let support = app.one(".verification a[href^='mailto:']").get_attribute("href").unwrap();
    assert!(support.starts_with("mailto:support@checkout.example?subject=Order%20"), "{support}");
    assert!(support.ends_with(&app.text("h1").trim_start_matches("Order ").to_string()), "{support}");
    // Minutes in, no support prompt yet.
    let app = mount_at("/orders/seed_02", None, |_| {}).await;
    app.wait_for(".verification").await;
    assert!(app.maybe(".verification a[href^='mailto:']").is_none());
}

#[wasm_bindgen_test]
async fn a_failed_verification_says_the_money_comes_back_and_what_to_do_next() {
    let app = mount_at("/orders/seed_12", None, |_| {}).await;
    app.wait_for("#failed-heading").await;
    assert!(app.text(".order__sentence").contains("refunded"));
    assert_eq!(app.one("#failed-heading + p + .order__actions a.button--primary").get_attribute("href").as_deref(), Some("/"));
    assert!(app.maybe("#failed-heading ~ .order__actions a[href^='mailto:']").is_some());
}

#[wasm_bindgen_test]
async fn timeline_events_carry_their_tone_beside_their_words() {
    let app = mount_at("/orders/seed_12", None, |_| {}).await;
    app.wait_for(".timeline").await;
    let failed = app.one(".timeline__item--bad");
    assert_eq!(failed.text_content().map(|t| t.contains("Payment verification failed.")), Some(true));
    assert!(app.maybe(".timeline__item--good").is_some(), "the payment itself went through");
    let app = mount_at("/orders/seed_08", None, |_| {}).await;
    app.wait_for(".timeline").await;
    assert!(app.all(".timeline__item--good").iter().any(|e| e.text_content().unwrap_or_default().to_lowercase().contains("delivered")));
}
