//! Whole journeys in a real headless Chromium against the release bundle, served
//! on loopback the way a deployment serves it. Build it first:
//! `scripts/build-release.sh` (scripts/test.sh does).

use std::time::{Duration, Instant};

use e2e::session::{card_fields, session, Session, ADDRESS};
use fantoccini::{key::Key, Locator};

async fn add_to_cart(s: &Session, product_id: &str) {
    s.click(&format!("a[href='/products/{product_id}']")).await;
    s.wait_text("h1", |t| !t.is_empty() && !t.contains("Loading")).await;
    s.click("button[type=submit]").await;
    s.wait_text(".product__feedback", |t| t.contains("Added")).await;
}

#[tokio::test]
async fn shopper_buys_from_two_sellers_changes_a_quantity_and_reloads() {
    let s = session().await;
    s.open("/").await;
    s.wait_count(".product-card:not(.product-card--skeleton)", 14).await;

    // A lamp from Lumen Home Store, then a headlamp from Trailpeak Outdoor.
    add_to_cart(&s, "bamboo-desk-lamp").await;
    assert_eq!(s.wait_text("[data-testid=cart-count]", |t| t == "1").await, "1");
    s.click(".site-header__brand").await;
    s.wait_count(".product-card:not(.product-card--skeleton)", 14).await;
    add_to_cart(&s, "headlamp").await;
    s.wait_text("[data-testid=cart-count]", |t| t == "2").await;

    s.click(".site-header__cart").await;
    s.wait_count("[data-testid=cart-line]", 2).await;
    assert_eq!(s.count(".cart-group").await, 2, "one group per seller");
    assert!(s.title().await.starts_with("Cart"), "title: {}", s.title().await);

    // Three lamps: the field's text selected and typed over, confirmed with Tab.
    let input = s.c().find(Locator::Css("#qty-bamboo-desk-lamp-x")).await.expect("lamp quantity");
    input.click().await.expect("focus the field");
    s.c().execute("document.activeElement.select()", vec![]).await.expect("select the text");
    input.send_keys(&format!("3{}", char::from(Key::Tab))).await.expect("type");
    // 3 × 24.99 = 74.97 (free shipping over 30.00) + 21.30 + 5.49 shipping.
    s.wait_text(".cart-summary__total dd", |t| t == "$101.76").await;
    s.wait_text("[data-testid=cart-count]", |t| t == "4").await;

    s.reload().await;
    s.wait_count("[data-testid=cart-line]", 2).await;
    assert_eq!(s.wait_text(".cart-summary__total dd", |t| !t.is_empty()).await, "$101.76");
    assert_eq!(s.text("[data-testid=cart-count]").await.as_deref(), Some("4"));
    let value = s
        .c()
        .execute("return document.querySelector('#qty-bamboo-desk-lamp-x').value", vec![])
        .await
        .expect("read value");
    assert_eq!(value.as_str(), Some("3"));
    s.browser.client.clone().close().await.expect("close");
}

/// The release bundle downloads each screen's module when it is first shown.
/// Offline, that download fails: the screen says why and offers a retry, the
/// cart stays, nothing panics, and the screen opens by itself once the network
/// is back.
#[tokio::test]
async fn a_screen_that_cannot_be_downloaded_offline_says_so_and_opens_when_the_network_is_back() {
    let s = session().await;
    s.open("/").await;
    s.wait_count(".product-card:not(.product-card--skeleton)", 14).await;
    add_to_cart(&s, "bamboo-desk-lamp").await;
    s.wait_text("[data-testid=cart-count]", |t| t == "1").await;
    s.click(".site-header__brand").await;
    s.wait_count(".product-card:not(.product-card--skeleton)", 14).await;

    // The orders screen has not been downloaded yet (only a product, the cart
    // and the checkout are fetched ahead).
    s.go_offline().await;
    s.click(".site-header a[href='/orders']").await;
    let said = s.wait_text("main .notice--error", |t| !t.is_empty()).await;
    assert!(said.contains("offline"), "the screen should say the shopper is offline, said {said:?}");
    // Retry while still offline: the same message, no crash.
    s.click("main .notice--error button").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(s.wait_text("main .notice--error", |t| !t.is_empty()).await.contains("offline"));
    assert_eq!(s.text("[data-testid=cart-count]").await.as_deref(), Some("1"), "the cart is kept");

    s.go_online().await;
    s.wait_text("h1", |t| t == "My orders").await;
    assert_eq!(s.count("main .notice--error").await, 0, "the message goes when the screen opens");
    assert!(s.problems().await.is_empty(), "problems: {:?}", s.problems().await);
    s.browser.client.clone().close().await.expect("close");
}

#[tokio::test]
async fn deep_links_reload_into_their_screen_and_unknown_ones_say_not_found() {
    let s = session().await;
    s.open("/products/rain-jacket").await;
    s.wait_text("h1", |t| t == "Packable rain jacket").await;
    assert_eq!(s.title().await, "Packable rain jacket · Bazaar");
    // The sold-out size is offered but cannot be chosen.
    let disabled = s
        .c()
        .execute("return document.querySelector(\"input[value='m']\").disabled", vec![])
        .await
        .expect("read option");
    assert_eq!(disabled.as_bool(), Some(true));

    s.open("/products/no-such-thing").await;
    s.wait_text("h1", |t| t == "This product isn't available").await;

    s.open("/some/unknown/page").await;
    s.wait_text("h1", |t| t == "This page doesn't exist").await;
    assert_eq!(s.title().await, "Page not found · Bazaar");

    // Back and forward keep the screen the URL names.
    s.open("/cart").await;
    s.wait_text(".empty-state__title", |t| t == "Your cart is empty").await;
    // The app saves its (empty) cart once at start; seed only after that.
    s.wait_stored_cart().await;
    s.c().back().await.expect("back");
    s.wait_text("h1", |t| t == "This page doesn't exist").await;
    s.c().forward().await.expect("forward");
    s.wait_text("h1", |t| t == "Your cart").await;
    s.browser.client.clone().close().await.expect("close");
}

#[tokio::test]
async fn a_corrupt_saved_cart_is_cleared_with_a_message_not_a_crash() {
    let s = session().await;
    s.open("/cart").await;
    s.wait_text(".empty-state__title", |t| t == "Your cart is empty").await;
    // The app saves its (empty) cart once at start; seed only after that.
    s.wait_stored_cart().await;
    s.c()
        .execute("localStorage.setItem('checkout.cart.v1', '{\"version\":1,\"lines\":[{\"product_id\":\"headlamp\",\"quantity\":2,\"name\":\"Headlamp\"},{\"bad\":true}]}')", vec![])
        .await
        .expect("seed storage");
    s.reload().await;
    s.wait_text("[role=alert]", |t| t.contains("1 item saved in your cart couldn't be read")).await;
    s.wait_count("[data-testid=cart-line]", 1).await;

    s.c().execute("localStorage.setItem('checkout.cart.v1', 'not json at all')", vec![]).await.expect("seed");
    s.reload().await;
    s.wait_text("[role=alert]", |t| t.contains("couldn't read the cart saved on this device")).await;
    s.wait_text(".empty-state__title", |t| t == "Your cart is empty").await;
    s.browser.client.clone().close().await.expect("close");
}

#[tokio::test]
async fn a_shopper_filters_orders_by_tab_and_confirms_a_delivered_one() {
    let s = session().await;
    s.open("/orders").await;
    s.wait_text(".tabs__tab[aria-current=page]", |t| t == "All").await;
    s.click("a[href='/orders?tab=awaiting-delivery']").await;
    s.wait_text(".tabs__tab[aria-current=page]", |t| t == "Awaiting delivery").await;
    // Four on their way or delivered, and the five delivered ones with a return.
    s.wait_count("[data-testid=order-row]", 9).await;
    s.click("a[href='/orders/seed_08'].order-row__title").await;
    s.wait_text(".status-badge", |t| t == "Delivered").await;
    s.click(".order__actions .button--primary").await;
    // Escape closes the dialog and nothing changes.
    s.c().active_element().await.expect("focus").send_keys(&char::from(Key::Escape).to_string()).await.expect("escape");
    let open = s.c().execute("return document.querySelector('#confirm-dialog').open", vec![]).await.expect("dialog");
    assert_eq!(open.as_bool(), Some(false));
    s.click(".order__actions .button--primary").await;
    s.click("#confirm-dialog .button--primary").await;
    s.wait_text(".status-badge", |t| t == "Completed").await;
    s.reload().await;
    s.wait_text(".status-badge", |t| t == "Completed").await;
    s.browser.client.clone().close().await.expect("close");
}


#[tokio::test]
async fn cancel_a_verified_order_and_see_a_silent_seller_approve_a_request() {
    let s = session().await;
    s.open("/orders/seed_02").await;
    s.wait_text(".status-badge", |t| t == "Payment being verified").await;
    s.click(".order__actions button").await;
    s.click("#cancel-dialog .button--primary").await;
    s.wait_text(".status-badge", |t| t == "Closed").await;
    s.wait_text(".order-facts", |t| t.contains("Refund")).await;

    // The seller stays silent; the mock clock runs 100,000 times faster.
    s.open("/orders/seed_04?scenario=seller-misses-ship-by&speed=100000").await;
    s.wait_text(".status-badge", |t| t == "Awaiting shipment").await;
    s.click(".order__actions button").await;
    s.click("#request-dialog input[type=radio]").await;
    s.click("#request-dialog .button--primary").await;
    s.wait_text(".order__sentence", |t| t.starts_with("You asked to cancel")).await;
    s.reload_until(".status-badge", Duration::from_secs(30), |t| t == "Closed").await;
    let timeline = s.text(".timeline").await.unwrap_or_default();
    assert!(timeline.contains("didn't answer in 48 hours"), "{timeline}");
    s.browser.client.clone().close().await.expect("close");
}

#[tokio::test]
async fn confirm_receipt_then_leave_feedback() {
    let s = session().await;
    s.open("/orders/seed_08").await;
    s.wait_text(".status-badge", |t| t == "Delivered").await;
    s.click(".order__actions .button--primary").await;
    s.click("#confirm-dialog .button--primary").await;
    s.wait_text(".status-badge", |t| t == "Completed").await;
    s.click("label[for]:has(#item-5), #item-5").await;
    s.click("#communication-5").await;
    s.click("#shipping-4").await;
    s.type_into("#feedback-text", "Great sound, fast delivery.").await;
    s.click(".feedback button[type=submit]").await;
    s.wait_text(".feedback-shown__text", |t| t == "Great sound, fast delivery.").await;
    s.browser.client.clone().close().await.expect("close");
}

#[tokio::test]
async fn a_not_received_dispute_on_a_delayed_parcel_ends_with_a_refund_on_the_timeline() {
    let s = session().await;
    // 20,000× real time: the seller answers in about 4 s, escalation opens after about 13 s.
    s.open("/orders/seed_07?scenario=seller-proposes-partial-refund&speed=20000").await;
    s.wait_text(".order__sentence", |t| t.contains("hasn't had a tracking update for 7 days")).await;
    s.click("a[href='/orders/seed_07/dispute']").await;
    s.wait_text("h1", |t| t == "Open a dispute").await;
    s.click("#dispute-reason-0").await;
    s.c()
        .find(Locator::Css("#dispute-description"))
        .await
        .expect("description")
        .send_keys("Tracking stopped two weeks ago and nothing has arrived.")
        .await
        .expect("type");
    let photo = std::env::temp_dir().join(format!("e2e-parcel-{}.jpg", std::process::id()));
    std::fs::write(&photo, [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]).expect("photo");
    s.c().find(Locator::Css("#dispute-evidence")).await.expect("file input").send_keys(&photo.display().to_string()).await.expect("pick");
    s.wait_count("[data-testid=evidence-item] img", 1).await;
    s.click(".dispute__form button[type=submit]").await;
    s.wait_text(".dispute-section__state", |t| !t.is_empty()).await;
    let _ = std::fs::remove_file(&photo);

    // The seller proposes half; then the buyer escalates once allowed.
    s.reload_until(".dispute-section__state", Duration::from_secs(30), |t| t.starts_with("The seller offers a refund of $12.74")).await;
    s.reload_until(".dispute-section", Duration::from_secs(30), |t| t.contains("Escalate to the platform")).await;
    s.click(".dispute-section .button--secondary").await;
    s.wait_text(".dispute-section__state", |t| t.starts_with("The platform is reviewing")).await;
    s.reload_until(".dispute-section__state", Duration::from_secs(30), |t| t.starts_with("Resolved")).await;
    let timeline = s.text(".timeline").await.unwrap_or_default();
    assert!(timeline.contains("Refunded $25.49."), "{timeline}");
    assert!(timeline.contains("The dispute went to the platform to decide."), "{timeline}");
    s.browser.client.clone().close().await.expect("close");
}

#[tokio::test]
async fn a_delivered_order_is_returned_and_the_refund_shows_on_the_timeline() {
    let s = session().await;
    // 20,000× real time: the parcel back arrives about 17 s after it is sent
    // and the seller confirms about 4 s later. seed_08 was delivered 3 days
    // ago (about a minute of this clock left to ask).
    s.open("/orders/seed_08?speed=20000").await;
    s.click("a[href='/orders/seed_08/return']").await;
    s.wait_text("h1", |t| t == "Return items").await;
    s.click("#return-qty-0 option[value='1']").await;
    s.click("#return-reason-1").await;
    s.wait_text("#return-refund", |t| t.starts_with("¥4,480")).await;
    s.click(".return-request button[type=submit]").await;
    s.wait_text(".return-section__state", |t| t.starts_with("Send the parcel by")).await;
    assert!(s.text(".return-section").await.unwrap_or_default().contains("Pixel Gadget Returns"));
    s.type_into("#return-carrier", "Japan Post").await;
    s.type_into("#return-tracking", "ej 1234 5678 9jp").await;
    s.click(".return-send button[type=submit]").await;
    s.wait_text(".return-section__state", |t| t == "On its way back with Japan Post, tracking number EJ123456789JP.").await;
    s.reload_until(".return-section__state", Duration::from_secs(60), |t| t == "Refunded ¥4,480.").await;
    let timeline = s.text(".timeline").await.unwrap_or_default();
    for line in ["You asked to return items.", "Return parcel: Drop-off point.", "The return parcel reached the seller.", "The seller confirmed the return.", "Refunded ¥4,480."] {
        assert!(timeline.contains(line), "{line} missing from {timeline}");
    }
    assert!(s.problems().await.is_empty(), "{:?}", s.problems().await);
    s.browser.client.clone().close().await.expect("close");
}

#[tokio::test]
async fn from_cart_to_paid_orders_with_a_double_click_and_verification_on_a_fast_clock() {
    let s = session().await;
    // An hour of mock time a second: verification (minutes) passes in moments.
    s.open("/?speed=3600").await;
    s.wait_count(".product-card:not(.product-card--skeleton)", 14).await;
    add_to_cart(&s, "bamboo-desk-lamp").await;
    s.click(".site-header__brand").await;
    add_to_cart(&s, "headlamp").await;
    s.click(".site-header__cart").await;
    s.click(".cart-summary__checkout").await;
    s.fill_checkout("4242424242424242").await;
    // 24.99 + 3.99 shipping (Lumen) + 21.30 + 5.49 shipping (Trailpeak).
    s.wait_text("[data-testid=checkout-total]", |t| t == "$55.77").await;
    // Two quick clicks: one attempt, one order per seller.
    s.c().execute("const b = document.querySelector('.checkout__pay'); b.click(); b.click();", vec![]).await.expect("double click");
    s.wait_text(".notice--success", |t| t.contains("Your 2 orders are placed")).await;
    s.wait_text("[data-testid=cart-count]", |t| t == "0").await;
    s.reload_until(".status-badge", Duration::from_secs(30), |t| t == "Awaiting shipment").await;

    s.open("/orders").await;
    // A full first page: the 20 seeded orders and the two new ones, newest first.
    s.wait_count("[data-testid=order-row]", 20).await;
    let mine = s
        .c()
        .execute("return [...document.querySelectorAll('.order-row__title')].filter(a => !a.getAttribute('href').includes('seed_')).length", vec![])
        .await
        .expect("count");
    assert_eq!(mine.as_u64(), Some(2), "exactly one order per seller, however often Pay was pressed");
    s.browser.client.clone().close().await.expect("close");
}


/// Fills the checkout, then pays.
async fn checkout_with(s: &Session, card: &str) {
    s.fill_checkout(card).await;
    s.click(".checkout__pay").await;
}

#[tokio::test]
async fn three_d_secure_passed_then_verification_failing_closes_and_refunds() {
    let s = session().await;
    s.headlamp_to_checkout("?scenario=verification-failed&speed=3600").await;
    checkout_with(&s, "4000002500003155").await;
    s.wait_count("#checkout-challenge[open]", 1).await;
    s.click("#checkout-challenge .button--primary").await;
    s.wait_text(".status-badge", |t| t == "Payment being verified" || t == "Closed").await;
    s.reload_until(".status-badge", Duration::from_secs(30), |t| t == "Closed").await;
    s.wait_text(".order__sentence", |t| t.contains("couldn't verify the payment")).await;
    s.wait_text(".order-facts", |t| t.contains("Refund")).await;
    s.browser.client.clone().close().await.expect("close");
}

#[tokio::test]
async fn a_declined_card_then_another_card_gives_one_paid_order_and_no_card_data_is_left() {
    let s = session().await;
    s.headlamp_to_checkout("").await;
    checkout_with(&s, "4000000000000002").await;
    s.wait_text(".notice--error", |t| t.contains("declined")).await;
    for (css, value) in [("#card-number", "5555555555554444"), ("#card-expiry", "11/29"), ("#card-cvc", "321"), ("#card-name", "Ana López")] {
        s.type_into(css, value).await;
    }
    s.click(".pay-panel button[type=submit]").await;
    s.wait_text(".status-badge", |t| t == "Payment being verified").await;
    assert_eq!(own_orders(&s).await, 1, "one order for the two payments");
    let leftovers = s
        .c()
        .execute(
            "const all = JSON.stringify({...localStorage}) + JSON.stringify({...sessionStorage}) + document.cookie + location.href;\n\
             return ['4000000000000002', '5555555555554444', '5555 5555 5555 4444', '\"321\"', '\"123\"'].filter(s => all.includes(s));",
            vec![],
        )
        .await
        .expect("scan storage");
    assert_eq!(leftovers, serde_json::json!([]), "card data found in storage, cookies or the URL");
    let dbs = s.c().execute_async("indexedDB.databases().then(d => arguments[0](d.length))", vec![]).await.expect("idb");
    assert_eq!(dbs.as_u64(), Some(0), "nothing in IndexedDB");
    s.browser.client.clone().close().await.expect("close");
}

/// The shopper's own orders in the list (the seeded ones have `seed_` ids).
async fn own_orders(s: &Session) -> u64 {
    s.open("/orders").await;
    s.wait_text("[data-testid=order-row]", |t| !t.is_empty()).await;
    s.c()
        .execute("return [...document.querySelectorAll('.order-row__title')].filter(a => !a.getAttribute('href').includes('seed_')).length", vec![])
        .await
        .expect("count")
        .as_u64()
        .unwrap_or(0)
}

#[tokio::test]
async fn a_reload_while_paying_keeps_the_attempt_and_paying_again_gives_one_order() {
    let s = session().await;
    // Every call takes 2.5 s: time to reload while the payment is in flight.
    s.headlamp_to_checkout("?scenario=api-slow").await;
    s.fill_checkout("4242424242424242").await;
    s.click(".checkout__pay").await;
    s.wait_text(".checkout__pay", |t| t == "Paying…").await;
    let key = s.c().execute("return sessionStorage.getItem('checkout:attempt')", vec![]).await.expect("key");
    assert!(key.as_str().is_some_and(|k| k.len() == 36), "one key for this attempt: {key}");
    s.reload().await;
    s.wait_text("h1", |t| t == "Checkout").await;
    // Nothing lost but the card, which is never kept: same key, same cart, same address.
    let again = s.c().execute("return sessionStorage.getItem('checkout:attempt')", vec![]).await.expect("key");
    assert_eq!(again, key, "the reload keeps the attempt's key");
    s.wait_text("#co-line1", |_| true).await;
    let line1 = s.c().execute("return document.getElementById('co-line1').value", vec![]).await.expect("value");
    assert_eq!(line1.as_str(), Some("1 Market St"));
    let card = s.c().execute("return document.getElementById('card-number').value", vec![]).await.expect("value");
    assert_eq!(card.as_str(), Some(""), "the card number is not kept across a reload");
    for (css, value) in [("#card-number", "4242424242424242"), ("#card-expiry", "12/30"), ("#card-cvc", "123"), ("#card-name", "Ana López")] {
        s.type_into(css, value).await;
    }
    s.wait_text("[data-testid=checkout-total]", |t| !t.is_empty()).await;
    s.click(".checkout__pay").await;
    s.wait_text("#confirmation-heading", |t| t.starts_with("Your order is placed")).await;
    assert_eq!(own_orders(&s).await, 1, "one order, however the attempt was interrupted");
    s.browser.client.clone().close().await.expect("close");
}

#[tokio::test]
async fn a_three_d_secure_challenge_given_up_with_escape_charges_nothing_and_the_order_waits() {
    let s = session().await;
    s.headlamp_to_checkout("").await;
    checkout_with(&s, "4000002500003155").await;
    s.wait_count("#checkout-challenge[open]", 1).await;
    s.c().active_element().await.expect("focus").send_keys(&char::from(Key::Escape).to_string()).await.expect("escape");
    s.wait_text(".notice--error", |t| t.starts_with("The payment wasn't confirmed")).await;
    assert_eq!(s.text(".status-badge").await.as_deref(), Some("Awaiting payment"));
    assert_eq!(own_orders(&s).await, 1);
    s.browser.client.clone().close().await.expect("close");
}

#[tokio::test]
async fn paying_with_the_wallet_goes_to_its_page_and_back_to_the_confirmation() {
    let s = session().await;
    s.headlamp_to_checkout("").await;
    s.fill_checkout("").await;
    s.click("label[for=co-pay-wallet]").await;
    s.click(".checkout__pay").await;
    s.wait_text(".wallet h1", |t| t.contains("Approve your payment")).await;
    assert!(s.c().current_url().await.expect("url").as_str().contains("/pay/wallet?challenge="));
    s.click("#wallet-approve").await;
    s.wait_text("#confirmation-heading", |t| t.starts_with("Your order is placed")).await;
    s.wait_text(".order__payment", |t| t.contains("wallet")).await;
    s.browser.client.clone().close().await.expect("close");
}

/// Presses Tab until the focused element matches `css` (at most `max` presses):
/// it is reachable by keyboard, in the order the page gives.
async fn tab_to(s: &Session, css: &str, max: usize) {
    for _ in 0..max {
        let here = s.c().execute("return document.activeElement && document.activeElement.matches(arguments[0])", vec![css.into()]).await.expect("focus");
        if here.as_bool() == Some(true) {
            return;
        }
        s.c().active_element().await.expect("focus").send_keys(&char::from(Key::Tab).to_string()).await.expect("tab");
    }
    let at = s.c().execute("const e = document.activeElement; return e ? e.outerHTML.slice(0, 120) : null", vec![]).await.expect("focus");
    panic!("{css} not reached with {max} Tabs; focus is on {at}");
}

async fn keys(s: &Session, text: &str) {
    s.c().active_element().await.expect("focus").send_keys(text).await.expect("type");
}

#[tokio::test]
async fn the_whole_journey_from_product_to_confirmation_and_a_cancellation_with_the_keyboard_only() {
    let s = session().await;
    s.open("/products/headlamp").await;
    s.wait_text("h1", |t| t.contains("headlamp")).await;
    let enter = char::from(Key::Enter).to_string();
    tab_to(&s, ".product button[type=submit]", 40).await;
    keys(&s, &enter).await;
    s.wait_text(".product__feedback", |t| t.contains("Added")).await;
    tab_to(&s, ".site-header__cart", 60).await;
    keys(&s, &enter).await;
    s.wait_text("h1", |t| t == "Your cart").await;
    // Focus moves to the new screen's heading.
    let deadline = Instant::now() + Duration::from_secs(5);
    while s.c().execute("return document.activeElement.tagName", vec![]).await.expect("focus").as_str() != Some("H1") {
        assert!(Instant::now() < deadline, "focus did not move to the cart's heading");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tab_to(&s, ".cart-summary__checkout", 60).await;
    keys(&s, &enter).await;
    s.wait_text("h1", |t| t == "Checkout").await;
    for (css, value) in ADDRESS.iter().chain(&card_fields("4242424242424242")) {
        tab_to(&s, css, 40).await;
        keys(&s, value).await;
    }
    s.wait_text("[data-testid=checkout-total]", |t| !t.is_empty()).await;
    tab_to(&s, ".checkout__pay", 40).await;
    keys(&s, &enter).await;
    s.wait_text("#confirmation-heading", |t| t.starts_with("Your order is placed")).await;
    tab_to(&s, ".confirmation__actions .button--primary", 60).await;
    keys(&s, &enter).await;
    s.wait_text(".order__sentence", |t| !t.is_empty()).await;
    assert!(!s.c().current_url().await.expect("url").as_str().contains("placed="), "Track leads to the plain order page");
    // Then cancel it, still with the keyboard: the button, the dialog, its confirm.
    s.wait_text(".status-badge", |t| t == "Payment being verified").await;
    tab_to(&s, ".order__actions .button--secondary", 40).await;
    keys(&s, &enter).await;
    s.wait_count("#cancel-dialog[open]", 1).await;
    tab_to(&s, "#cancel-dialog .button--primary", 10).await;
    keys(&s, &enter).await;
    s.wait_text(".status-badge", |t| t == "Closed").await;
    s.wait_text(".order__sentence", |t| t.contains("cancel")).await;
    s.browser.client.clone().close().await.expect("close");
}

#[tokio::test]
async fn the_language_picker_switches_the_interface_and_remembers_the_choice() {
    let s = session().await;
    s.open("/cart").await;
    s.wait_text("h1", |t| t == "Your cart").await;
    // Chosen with the keyboard from the footer's picker: the page starts again in Spanish.
    s.c().execute("const p = document.getElementById('lang-select'); p.value = 'es'; p.dispatchEvent(new Event('change'));", vec![]).await.expect("pick");
    s.wait_text("h1", |t| t == "Tu carrito").await;
    let lang = s.c().execute("return document.documentElement.lang", vec![]).await.expect("lang");
    assert_eq!(lang.as_str(), Some("es"));
    // Remembered: another page, a reload.
    s.open("/checkout").await;
    s.wait_text("h1", |t| t == "Finalizar compra").await;
    s.c().execute("const p = document.getElementById('lang-select'); p.value = 'zh'; p.dispatchEvent(new Event('change'));", vec![]).await.expect("pick");
    s.wait_text("h1", |t| t == "结算").await;
    s.reload().await;
    s.wait_text("h1", |t| t == "结算").await;
    assert_eq!(s.problems().await, Vec::<String>::new());
    s.browser.client.clone().close().await.expect("close");
}

/// What the page paints from its HTML alone, with the app's module never
/// arriving: the screen drawn for this visit, or the skeleton.
async fn drawn_without_the_app(s: &Session, path: &str) -> Option<String> {
    s.c().goto(&format!("{}{path}", s.base)).await.expect("navigate");
    let v = s
        .c()
        .execute(
            "const shown = [...document.querySelectorAll('#app-shell > :not([hidden])')];
             return shown.length === 1 ? (shown[0].dataset.prerendered ?? 'skeleton') : `${shown.length} parts shown`;",
            vec![],
        )
        .await
        .expect("read the shell");
    assert_eq!(s.count("main").await, 0, "{path}: the app ran, though its module was blocked");
    let shown = match v.as_str() {
        Some("skeleton") => None,
        Some(screen) => Some(screen.to_owned()),
        None => panic!("{path}: {v}"),
    };
    // The screens not shown have left the page (nothing hidden to be found).
    assert_eq!(s.count("#app-shell [data-prerendered]").await, usize::from(shown.is_some()), "{path}");
    shown
}

/// A first visit paints its screen before the wasm runs: the release build
/// gives `/`, `/cart`, `/checkout` and each product a page of its own with
/// the screen drawn in (`e2e::prerender`), with no script deciding; every
/// other route paints the skeleton.
#[tokio::test]
async fn each_first_screen_is_painted_from_its_own_page_before_the_app_runs() {
    let s = session().await;
    s.block_urls(&["*_bg.wasm"]).await;

    assert_eq!(drawn_without_the_app(&s, "/").await.as_deref(), Some("catalog"));
    assert_eq!(s.count("#app-shell [data-prerendered=catalog] .product-card").await, 14, "the whole catalog");
    assert!(s.text("#app-shell h1").await.is_some_and(|h| h == "All products"), "{:?}", s.text("#app-shell h1").await);
    assert_eq!(s.count("#app-shell [data-prerendered] [id]:not([id^=drawn-])").await, 0, "no id the app's own elements would repeat");
    assert_eq!(s.count("#app-shell a[href='/products/bamboo-desk-lamp']").await, 1, "its links lead on without the app");
    assert_eq!(drawn_without_the_app(&s, "/cart").await.as_deref(), Some("cart"));
    assert!(s.title().await.starts_with("Cart"), "the screen's title: {}", s.title().await);
    assert_eq!(drawn_without_the_app(&s, "/checkout").await.as_deref(), Some("checkout"));
    assert_eq!(s.count("#app-shell [data-prerendered=checkout] .empty-state").await, 1, "drawn natively, as the app draws an empty cart");
    assert_eq!(drawn_without_the_app(&s, "/products/headlamp").await.as_deref(), Some("product"));
    assert!(s.text("#app-shell h1").await.is_some_and(|h| h == "Ultralight rechargeable headlamp"), "{:?}", s.text("#app-shell h1").await);
    assert!(s.text("#app-shell .product__price").await.is_some_and(|p| p.starts_with('$')), "{:?}", s.text("#app-shell .product__price").await);
    assert!(s.title().await.starts_with("Ultralight rechargeable headlamp"), "{}", s.title().await);
    assert_eq!(drawn_without_the_app(&s, "/orders").await, None, "a screen not drawn ahead: the skeleton");
    assert_eq!(drawn_without_the_app(&s, "/products/no-such-thing").await, None, "nor an unknown product");
    assert_eq!(s.count("script:not([src])").await, 1, "one script, the app's own start-up; none picks a screen");
    s.browser.close().await;
}

/// A static page cannot know the shopper: the app, as it starts, drops a
/// screen drawn for another visit (English for a shopper reading Spanish, an
/// empty cart for one with items or who has just paid), and its own loading
/// screen shows instead; a screen that fits stays in view until the app has
/// drawn its own.
#[tokio::test]
async fn the_app_drops_a_screen_drawn_for_another_visit_as_it_starts() {
    let s = session().await;
    s.watch_drawn_copy().await;
    let kept = |path: &'static str| s.drawn_copy_kept_at_mount(path);
    assert!(kept("/cart").await, "an empty cart, as drawn: kept until the app has drawn the cart");
    assert!(kept("/checkout").await);
    let cart = r#"{"version":1,"lines":[{"product_id":"headlamp","quantity":1,"name":"Headlamp"}]}"#;
    s.c().execute("localStorage.setItem('checkout.cart.v1', arguments[0])", vec![cart.into()]).await.expect("store a cart");
    assert!(!kept("/cart").await, "a cart with a line is not shown empty");
    assert!(!kept("/checkout").await);
    assert!(kept("/").await, "the catalog is the same with a cart");
    assert!(kept("/products/headlamp").await, "and a product");
    s.c().execute("localStorage.removeItem('checkout.cart.v1'); sessionStorage.setItem('checkout:placed', '/orders/ord_1')", vec![]).await.expect("storage");
    assert!(!kept("/checkout").await, "just paid: the app goes on to the order");
    s.c().execute("sessionStorage.clear(); localStorage.setItem('checkout.lang.v1', 'es')", vec![]).await.expect("storage");
    assert!(!kept("/").await, "drawn in English: not for a shopper reading Spanish");
    s.wait_text("h1", |t| t == "Todos los productos").await;
    assert_eq!(s.count("#app-shell").await, 0);
    assert!(s.problems().await.is_empty(), "{:?}", s.problems().await);
    s.browser.close().await;
}

/// Once the app has drawn its own screen, the drawn one is gone: one screen,
/// one `<main>`, the same content, and the app's own title.
#[tokio::test]
async fn the_app_takes_over_from_the_drawn_screen_with_one_of_everything() {
    let s = session().await;
    for (path, ready, n) in [("/", ".product-card:not(.product-card--skeleton)", 14), ("/products/headlamp", ".product__name", 1), ("/cart", ".empty-state", 1), ("/checkout", ".empty-state", 1)] {
        s.c().goto(&format!("{}{path}", s.base)).await.expect("navigate");
        s.wait_for_app().await;
        assert_eq!(s.count("#app-shell").await, 0, "{path}: the shell is gone");
        s.wait_count(ready, n).await;
        assert_eq!(s.count("main").await, 1, "{path}");
        assert_eq!(s.count("h1").await, 1, "{path}");
        let visible = s.c().execute("return document.querySelector('main').checkVisibility()", vec![]).await.expect("visibility");
        assert_eq!(visible.as_bool(), Some(true), "{path}: the app is in view");
        no_message_key_on_screen(&s, path).await;
        assert!(s.problems().await.is_empty(), "{path}: {:?}", s.problems().await);
    }
    // The cart with a line, arrived at directly.
    let cart = r#"{"version":1,"lines":[{"product_id":"headlamp","quantity":2,"name":"Headlamp"}]}"#;
    s.c().execute("localStorage.setItem('checkout.cart.v1', arguments[0])", vec![cart.into()]).await.expect("store a cart");
    s.open("/cart").await;
    s.wait_count("[data-testid=cart-line]", 1).await;
    no_message_key_on_screen(&s, "/cart with a line").await;
    // And the checkout with it, arrived at directly: its form, card and
    // totals, whose words come with its module (build.rs).
    s.open("/checkout").await;
    s.wait_text("[data-testid=checkout-total]", |t| t.starts_with('$')).await;
    s.wait_count("#co-given", 1).await;
    no_message_key_on_screen(&s, "/checkout with a line").await;
    assert!(s.problems().await.is_empty(), "/checkout with a line: {:?}", s.problems().await);
    s.browser.close().await;
}

/// Every word on screen is a message, not its key: a key shows itself when
/// its message is missing (build.rs leaves the checkout's and the after-sales
/// ones out of the bundle, and a screen says whether it fetches them). Text,
/// and the labels only a screen reader or a pointer reads.
async fn no_message_key_on_screen(s: &Session, what: &str) {
    let v = s
        .c()
        .execute(
            "return [document.body.innerText, ...[...document.querySelectorAll('[aria-label],[title],[placeholder],[alt]')].flatMap(e => ['aria-label', 'title', 'placeholder', 'alt'].map(a => e.getAttribute(a) ?? ''))].join(' ')",
            vec![],
        )
        .await
        .expect("text");
    let text = v.as_str().unwrap_or_default();
    let key = text.split_whitespace().find(|w| {
        let w = w.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '_');
        w.split_once('.').is_some_and(|(a, b)| a.len() > 1 && b.len() > 1 && w.bytes().all(|c| c.is_ascii_lowercase() || c == b'_' || c == b'.'))
    });
    assert_eq!(key, None, "{what}: a message key on screen: {text}");
}

/// A deep link asks for its screen's modules (and the order API's) alongside
/// the main one, each once; the catalog asks for the main module alone.
#[tokio::test]
async fn a_deep_link_preloads_its_screens_modules_once_and_the_catalog_none() {
    let s = session().await;
    let preloaded = |s: &Session| {
        let c = s.c().clone();
        async move {
            let v = c
                .execute("return [...document.querySelectorAll('link[rel=preload][as=fetch]')].map(l => new URL(l.href).pathname)", vec![])
                .await
                .expect("read preloads");
            v.as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_owned()).collect::<Vec<_>>()
        }
    };
    s.open("/checkout").await;
    s.wait_count(".checkout .empty-state", 1).await;
    let links = preloaded(&s).await;
    let mut unique = links.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), links.len(), "each file once: {links:?}");
    for module in ["_bg.wasm", "/split_checkout-", "/split_mock-"] {
        assert!(links.iter().any(|l| l.contains(module)), "{module} preloaded on /checkout: {links:?}");
    }
    assert!(!links.iter().any(|l| l.contains("/split_shop-")), "a product's and the cart's module is not the checkout's: {links:?}");
    s.open("/").await;
    let links = preloaded(&s).await;
    assert!(links.len() == 1 && links[0].contains("_bg.wasm"), "the catalog's first visit: {links:?}");
    s.browser.close().await;
}

/// On a 390 × 844 phone the checkout's summary is one compact bar (the total,
/// a button for the details, the pay button), and a field the shopper moves
/// to is never left under it: filled field by field, each focused field ends
/// above the bar and inside what the visual viewport shows.
#[tokio::test]
async fn on_a_phone_the_checkout_summary_is_a_bar_that_never_covers_the_field_being_filled() {
    let s = session().await;
    s.c().set_window_size(390, 844).await.expect("a 390 × 844 window");
    s.headlamp_to_checkout("").await;
    s.wait_text("h1", |t| t == "Checkout").await;
    s.wait_text("[data-testid=checkout-bar-total]", |t| t.starts_with('$')).await;

    let m = measure(&s, "#co-given").await;
    assert!(m["width"].as_f64().unwrap() <= 400.0, "a phone-sized window: {m}");
    let height = m["bar_height"].as_f64().unwrap();
    assert!(height <= 140.0, "the summary is a compact bar, not a third of the screen: {height} px");
    assert_eq!(expanded(&s).await.as_deref(), Some("false"));

    // The details open on request and close when the shopper goes back to a field.
    s.click("#co-summary-toggle").await;
    assert_eq!(expanded(&s).await.as_deref(), Some("true"));
    s.wait_text(".checkout__details [data-testid=checkout-total]", |t| t.starts_with('$')).await;
    let shown = s.c().execute("return document.querySelector('.checkout__details').offsetHeight", vec![]).await.expect("details");
    assert!(shown.as_f64().unwrap_or(0.0) > 0.0, "the details are shown: {shown}");

    for (css, value) in ADDRESS.iter().chain(&card_fields("4242424242424242")) {
        s.type_into(css, value).await;
        let m = measure(&s, css).await;
        assert_eq!(m["focused"], serde_json::json!(true), "{css} has focus: {m}");
        let (top, bottom) = (m["top"].as_f64().unwrap(), m["bottom"].as_f64().unwrap());
        let (bar_top, visible) = (m["bar_top"].as_f64().unwrap(), m["visible_bottom"].as_f64().unwrap());
        assert!(top >= 0.0 && bottom <= bar_top && bottom <= visible, "{css} is covered or off screen: {m}");
    }
    assert_eq!(expanded(&s).await.as_deref(), Some("false"), "moving to a field closed the details");
    s.click(".checkout__pay").await;
    s.wait_text("#confirmation-heading", |t| t.starts_with("Your order is placed")).await;
    s.browser.client.clone().close().await.expect("close");
}

/// The summary's details button's `aria-expanded`.
async fn expanded(s: &Session) -> Option<String> {
    let v = s.c().execute("return document.getElementById('co-summary-toggle').getAttribute('aria-expanded')", vec![]).await.expect("toggle");
    v.as_str().map(str::to_owned)
}

/// Where the element `css` and the checkout's summary are, two frames after
/// now (once the page scrolled, if it was going to), and whether it has focus.
async fn measure(s: &Session, css: &str) -> serde_json::Value {
    let script = format!(
        "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => {{\
           const el = document.querySelector({css:?}); const r = el ? el.getBoundingClientRect() : null;\
           const bar = document.querySelector('.checkout__summary').getBoundingClientRect();\
           const vv = window.visualViewport;\
           done({{ top: r && r.top, bottom: r && r.bottom, focused: document.activeElement === el,\
                  bar_top: bar.top, bar_height: bar.height, visible_bottom: vv.offsetTop + vv.height, width: innerWidth }});\
         }}));"
    );
    s.c().execute_async(&script, vec![]).await.expect("measure")
}
