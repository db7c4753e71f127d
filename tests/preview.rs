//! The designers' gallery: every screen's states as links that open the app in
//! a frame of the chosen width, and a reset of the mock's data.

mod support;

use support::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Opens the gallery with its frame kept quiet: under the test runner, the
/// frame's addresses load the runner's own page, which would run these tests
/// again inside it, on the same storage. A sandboxed frame runs no script;
/// the gallery still sets its address and width.
async fn gallery() -> Mounted {
    let app = mount_at("/preview", None, |_| {}).await;
    let frame = app.wait_for("iframe[name=preview-frame]").await;
    frame.set_attribute("sandbox", "").unwrap();
    frame.set_attribute("src", "about:blank").unwrap();
    settle().await;
    app
}

#[wasm_bindgen_test]
async fn the_gallery_lists_every_screen_and_opens_a_state_in_the_frame() {
    let app = gallery().await;
    app.wait_for(".preview__list").await;
    let screens: Vec<String> = app.all(".preview__group h2").iter().filter_map(|e| e.text_content()).collect();
    assert_eq!(screens, ["Catalog", "Product", "Cart", "Checkout and payment", "My orders", "One order", "Dispute", "Return", "Page not found"]);
    // Each seeded order status has its own state.
    for n in 1..=20 {
        assert!(app.maybe(&format!(".preview__list a[href^='/orders/seed_{n:02}?']")).is_some(), "seed_{n:02}");
    }
    assert!(app.all(".preview__list a").len() >= 53);

    // Opening the two-seller cart puts that cart in storage and the frame on /cart.
    storage().remove_item(checkout_app::state::keys::CART).unwrap();
    app.click(".preview__group:nth-of-type(3) a[data-state='preview.state.two_sellers']").await;
    let frame = app.one("iframe[name=preview-frame]");
    let src = frame.get_attribute("src").unwrap();
    assert!(src.starts_with("/cart?scenario=happy-path&open="), "{src}");
    let cart = storage().get_item(checkout_app::state::keys::CART).unwrap().unwrap();
    assert!(cart.contains("bamboo-desk-lamp") && cart.contains("headlamp"), "{cart}");
    assert_eq!(app.text(".preview__showing"), "Cart · Two sellers");

    // Opening it again reloads the frame (a new address).
    app.click(".preview__group:nth-of-type(3) a[data-state='preview.state.two_sellers']").await;
    assert_ne!(app.one("iframe[name=preview-frame]").get_attribute("src").unwrap(), src);
}

#[wasm_bindgen_test]
async fn the_frame_width_switches_between_phone_tablet_and_desktop() {
    let app = gallery().await;
    app.wait_for("iframe[name=preview-frame]").await;
    let width = || app.one("iframe[name=preview-frame]").get_attribute("width").unwrap();
    assert_eq!(width(), "360");
    let radios = app.all("input[name=preview-width]");
    assert_eq!(radios.len(), 3);
    radios[2].clone().unchecked_into::<web_sys::HtmlElement>().click();
    settle().await;
    assert_eq!(width(), "1280");
    radios[1].clone().unchecked_into::<web_sys::HtmlElement>().click();
    settle().await;
    assert_eq!(width(), "768");
}

#[wasm_bindgen_test]
async fn reset_puts_the_mock_back_to_its_seeded_data() {
    let app = gallery().await;
    storage().set_item(checkout_app::api::MOCK_STATE_KEY, "{\"changed\":true}").unwrap();
    let cart = r#"{"version":1,"lines":[{"product_id":"headlamp","quantity":1,"name":"Headlamp"}]}"#;
    storage().set_item(checkout_app::state::keys::CART, cart).unwrap();
    app.click(".preview__controls .button--secondary").await;
    assert_eq!(storage().get_item(checkout_app::api::MOCK_STATE_KEY).unwrap(), None);
    assert_eq!(storage().get_item(checkout_app::state::keys::CART).unwrap(), None);
    assert!(app.text(".preview__note").starts_with("The mock's orders"));
}
