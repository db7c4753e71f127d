//! Hostile input (issue 8): every string of `tests/hostile_inputs.json` typed
//! into every form, and served back by the API (the mock's catalog, and the
//! HTTP client on a scripted `fetch`), together with malformed answers and
//! lying or oversized evidence files.
//!
//! The corpus is a JSON array of `{"name", "value"}`. A value containing
//! `@repeat:UNIT:N` (at its end) stands for the text before the marker
//! followed by UNIT repeated N times (`"@repeat:a:10000"` is 10,000 `a`s), so
//! very long strings stay readable in the file.
//!
//! For every entry each test checks: nothing ran (`window.__pwned` unset), no
//! panic was recorded (`checkout_app::diagnostics`), no markup was turned into
//! elements (no script/iframe/object/embed/math element nor any `on…`
//! attribute in the page, and no more img/svg elements than the same page with
//! a plain value), a field either shows its error (aria-invalid="true" and a
//! message) or takes the value (aria-invalid="false" and no message), and the
//! page does not scroll sideways in a 360 px wide host with the app's styles.

mod support;

use std::cell::Cell;
use std::rc::Rc;

use checkout_api::http::{HttpApi, RetryPolicy};
use checkout_app::api::http_transport::{BrowserTokenStore, FetchTransport, BUYER_TOKEN_KEY};
use checkout_app::api::{BrowserEnv, MockApi, MockConfig, OrderApi};
use checkout_core::cart::{parse_quantity, QuantityAdjustment};
use checkout_core::money::Money;
use checkout_core::order::OrderId;
use checkout_core::validate::address::{self, AddressInput};
use checkout_core::validate::{card, contact, Field};
use support::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

// ------------------------------------------------------------------ corpus

#[path = "support/hostile_corpus.rs"]
mod hostile_corpus;
use hostile_corpus::{corpus, Entry};

fn short(v: &str) -> String {
    let s: String = v.chars().take(40).collect();
    if v.chars().count() > 40 { format!("{s:?}… ({} chars)", v.chars().count()) } else { format!("{s:?}") }
}

// ------------------------------------------------------------------ page set-up and checks

const STYLES: [&str; 8] = [
    include_str!("../style/tokens.css"),
    include_str!("../style/base.css"),
    include_str!("../style/layout.css"),
    include_str!("../style/components.css"),
    include_str!("../style/catalog.css"),
    include_str!("../style/product.css"),
    include_str!("../style/cart.css"),
    include_str!("../style/orders.css"),
];

thread_local! {
    static READY: Cell<bool> = const { Cell::new(false) };
}

/// Once per page: the app's styles (so the layout check means something) and
/// the app's panic hook, chained with the test harness's own.
fn prepare() {
    if READY.with(|r| r.replace(true)) {
        return;
    }
    let style = document().create_element("style").unwrap();
    style.set_text_content(Some(&STYLES.concat()));
    document().head().unwrap().append_child(&style).unwrap();
    let harness = std::panic::take_hook();
    checkout_app::diagnostics::install();
    let app = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        app(info);
        harness(info);
    }));
    reset_pwned();
}

fn window() -> web_sys::Window {
    web_sys::window().unwrap()
}

fn reset_pwned() {
    // A failed test's panic leaves the app's crash banner behind.
    if let Some(banner) = document().get_element_by_id("app-crashed") {
        banner.remove();
    }
    js_sys::Reflect::delete_property(&window(), &"__pwned".into()).unwrap();
    let problems = js_sys::Reflect::get(&window(), &"__checkout_problems".into()).unwrap();
    if problems.is_object() {
        problems.unchecked_into::<js_sys::Array>().set_length(0);
    }
}

fn narrow(host: &HtmlElement) {
    host.style().set_property("width", "360px").unwrap();
}

async fn mount(path: &str, cart: Option<&str>, edit: impl FnOnce(&mut checkout_core::catalog::Catalog)) -> Mounted {
    prepare();
    let app = mount_at(path, cart, edit).await;
    narrow(&app.host);
    app
}

/// Mounts the whole app at `path` on the real HTTP client (over the scripted
/// `fetch` set up by [`stub_fetch`]).
async fn mount_http(path: &str) -> (Box<dyn std::any::Any>, HtmlElement) {
    prepare();
    storage().clear().unwrap();
    window().session_storage().unwrap().unwrap().clear().unwrap();
    storage().set_item(BUYER_TOKEN_KEY, "tok-hostile").unwrap();
    let http: Rc<dyn OrderApi> =
        Rc::new(HttpApi::with_policy(FetchTransport, "/api", BrowserTokenStore, RetryPolicy { attempts: 2, base_ms: 5, cap_ms: 20, timeout_ms: 3_000 }));
    let host: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    narrow(&host);
    document().body().unwrap().append_child(&host).unwrap();
    window().history().unwrap().replace_state_with_url(&JsValue::NULL, "", Some(path)).unwrap();
    let handle = leptos::mount::mount_to(host.clone(), move || {
        use leptos::prelude::*;
        view! { <checkout_app::AppWith api=http.clone()/> }
    });
    (Box::new(handle), host)
}

/// Lets the page react (events, effects, a resource or two) without the full
/// `settle` of the support module, so the whole corpus fits in the time limit.
async fn tick() {
    leptos::task::tick().await;
    sleep(0).await;
    leptos::task::tick().await;
}

async fn until(mut ok: impl FnMut() -> bool, tries: u32) -> bool {
    for _ in 0..tries {
        if ok() {
            return true;
        }
        sleep(10).await;
    }
    ok()
}

fn pwned() -> bool {
    !js_sys::Reflect::get(&window(), &"__pwned".into()).unwrap().is_undefined()
}

const NEVER_FROM_THE_APP: &str = "script, iframe, object, embed, math, frame, \
    [onerror], [onload], [onmouseover], [ontoggle], [onclick], [srcdoc], [formaction], a[href^='javascript' i]";

fn count(root: &Element, css: &str) -> u32 {
    root.query_selector_all(css).unwrap().length()
}

/// What every entry must leave behind, `where_` naming the place.
fn assert_safe(root: &HtmlElement, baseline_media: u32, where_: &str) {
    assert!(!pwned(), "{where_}: window.__pwned was set");
    let problems = checkout_app::diagnostics::problems();
    assert!(problems.is_empty(), "{where_}: problems recorded: {problems:?}");
    let bad = count(root, NEVER_FROM_THE_APP);
    assert_eq!(bad, 0, "{where_}: markup turned into elements: {}", root.inner_html().chars().take(2000).collect::<String>());
    let media = count(root, "img, svg, video, audio");
    assert!(media <= baseline_media, "{where_}: {media} img/svg elements, {baseline_media} with a plain value");
    assert!(document().get_element_by_id("app-crashed").is_none(), "{where_}: the crash banner shows");
    let doc = document().document_element().unwrap();
    let inner = window().inner_width().unwrap().as_f64().unwrap();
    assert!(f64::from(doc.scroll_width()) <= inner + 1.0, "{where_}: the page scrolls sideways ({} > {inner})", doc.scroll_width());
    assert!(
        root.scroll_width() <= root.client_width() + 1,
        "{where_}: wider than its 360 px host ({} > {}); too wide: {}",
        root.scroll_width(),
        root.client_width(),
        widest(root)
    );
}

/// The elements (up to 12, in document order) that reach past the host's
/// right edge, to name in a failure.
fn widest(root: &HtmlElement) -> String {
    let edge = root.get_bounding_client_rect().right() + 1.0;
    let all = root.query_selector_all("*").unwrap();
    (0..all.length())
        .filter_map(|i| all.item(i)?.dyn_into::<Element>().ok())
        .filter(|e| e.get_bounding_client_rect().right() > edge)
        .take(12)
        .map(|e| {
            let class = e.class_name();
            let tag = e.tag_name().to_lowercase();
            if class.is_empty() { tag } else { format!("{tag}.{}", class.split_whitespace().collect::<Vec<_>>().join(".")) }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn input(root: &HtmlElement, css: &str) -> HtmlInputElement {
    root.query_selector(css).unwrap().unwrap_or_else(|| panic!("no {css}")).unchecked_into()
}

fn fire(el: &Element, name: &str) {
    el.dispatch_event(&web_sys::Event::new(name).unwrap()).unwrap();
}

/// Types `value` into an input or textarea and leaves it: input, change, blur.
fn enter(root: &HtmlElement, css: &str, value: &str) {
    let el = root.query_selector(css).unwrap().unwrap_or_else(|| panic!("no {css}"));
    if let Some(t) = el.dyn_ref::<HtmlTextAreaElement>() {
        t.set_value(value);
    } else {
        el.unchecked_ref::<HtmlInputElement>().set_value(value);
    }
    fire(&el, "input");
    fire(&el, "change");
    fire(&el, "blur");
}

fn value_of(root: &HtmlElement, css: &str) -> String {
    let el = root.query_selector(css).unwrap().unwrap();
    match el.dyn_ref::<HtmlTextAreaElement>() {
        Some(t) => t.value(),
        None => el.unchecked_ref::<HtmlInputElement>().value(),
    }
}

fn text_of(root: &HtmlElement, css: &str) -> String {
    root.query_selector(css).unwrap().and_then(|e| e.text_content()).unwrap_or_default()
}

/// The field shows its error, or takes the value; never half of each.
/// Returns whether it is marked invalid.
fn field_state(root: &HtmlElement, id: &str, message_css: &str, where_: &str) -> bool {
    let invalid = input(root, &format!("#{id}")).get_attribute("aria-invalid");
    let message = text_of(root, message_css);
    match invalid.as_deref() {
        Some("true") => assert!(!message.trim().is_empty(), "{where_}: #{id} is marked invalid without a message"),
        Some("false") => assert!(message.trim().is_empty(), "{where_}: #{id} has the message {message:?} but is not marked invalid"),
        other => panic!("{where_}: #{id} aria-invalid={other:?}"),
    }
    invalid.as_deref() == Some("true")
}

fn this_month() -> card::Expiry {
    checkout_app::components::card_form::this_month()
}

// ------------------------------------------------------------------ typed into forms

const CART: &str = r#"{"version":1,"lines":[{"product_id":"headlamp","quantity":1,"name":"Headlamp"}]}"#;

const CHECKOUT_FIELDS: [(&str, Field); 13] = [
    ("co-given", Field::GivenName),
    ("co-family", Field::FamilyName),
    ("co-line1", Field::AddressLine1),
    ("co-line2", Field::AddressLine2),
    ("co-city", Field::City),
    ("co-region", Field::Region),
    ("co-postal", Field::PostalCode),
    ("co-phone", Field::Phone),
    ("co-email", Field::Email),
    ("card-number", Field::CardNumber),
    ("card-expiry", Field::CardExpiry),
    ("card-cvc", Field::CardCvc),
    ("card-name", Field::CardName),
];

/// Which fields the core rules refuse, for what the page now holds (as the
/// browser keeps it: a text input drops line breaks).
fn expected_refusals(root: &HtmlElement) -> Vec<Field> {
    let v = |id: &str| value_of(root, &format!("#{id}"));
    let country = value_of(root, "#co-country");
    let mut refused: Vec<Field> = address::validate(&AddressInput {
        country: country.clone(),
        given_name: v("co-given"),
        family_name: v("co-family"),
        line1: v("co-line1"),
        line2: v("co-line2"),
        city: v("co-city"),
        region: v("co-region"),
        postal_code: v("co-postal"),
    })
    .err()
    .unwrap_or_default()
    .into_iter()
    .map(|e| e.field)
    .collect();
    if contact::phone(&v("co-phone"), &country).is_err() {
        refused.push(Field::Phone);
    }
    if contact::email(&v("co-email")).is_err() {
        refused.push(Field::Email);
    }
    let number = card::card_number(&v("card-number"));
    if number.is_err() {
        refused.push(Field::CardNumber);
    }
    if card::expiry(&v("card-expiry"), this_month()).is_err() {
        refused.push(Field::CardExpiry);
    }
    if card::cvc(&v("card-cvc"), number.as_ref().ok().map(|n| n.brand)).is_err() {
        refused.push(Field::CardCvc);
    }
    if v("card-name").trim().is_empty() {
        refused.push(Field::CardName);
    }
    refused
}

#[wasm_bindgen_test]
async fn checkout_fields_refuse_or_take_every_hostile_string() {
    let app = mount("/checkout", Some(CART), |_| {}).await;
    app.wait_for("#card-number").await;
    app.wait_for(".checkout__pay").await;
    settle().await;
    let root = app.host.clone();
    let baseline = count(&root, "img, svg, video, audio");
    let mut failures = Vec::new();
    for e in corpus() {
        reset_pwned();
        let where_ = format!("checkout, {} = {}", e.name, short(&e.value));
        for (id, _) in CHECKOUT_FIELDS {
            enter(&root, &format!("#{id}"), &e.value);
        }
        tick().await;
        app.one(".checkout__pay").unchecked_into::<HtmlElement>().click();
        // Paying checks every field (the card through the tokenizer).
        until(|| !app.all("#checkout-summary li").is_empty() || app.maybe(".checkout__summary .notice--error").is_some(), 100).await;
        tick().await;
        let refused = expected_refusals(&root);
        for (id, field) in CHECKOUT_FIELDS {
            let shown = field_state(&root, id, &format!("#{id}-error"), &where_);
            let expected = refused.contains(&field);
            if shown != expected {
                failures.push(format!("{where_}: #{id} (holding {}) is {} but the rules {} it",
                    short(&value_of(&root, &format!("#{id}"))),
                    if shown { "marked invalid" } else { "not marked invalid" },
                    if expected { "refuse" } else { "accept" }));
            }
        }
        assert!(refused.len() > 3, "{where_}: nearly everything accepted, the page would place an order");
        assert_eq!(path(), "/checkout", "{where_}: left the checkout");
        // The coupon: applied, then taken off again.
        enter(&root, "#co-coupon", &e.value);
        app.one(".coupon button").unchecked_into::<HtmlElement>().click();
        until(|| !text_of(&root, "#co-coupon-error").is_empty(), 50).await;
        if !e.value.trim().is_empty() {
            assert!(!text_of(&root, "#co-coupon-error").trim().is_empty(), "{where_}: the coupon {} got no answer", short(&e.value));
        }
        assert_safe(&root, baseline, &where_);
        enter(&root, "#co-coupon", "");
        app.one(".coupon button").unchecked_into::<HtmlElement>().click();
        tick().await;
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

fn path() -> String {
    window().location().pathname().unwrap()
}

#[wasm_bindgen_test]
async fn the_dispute_form_refuses_or_takes_every_hostile_string() {
    let app = mount("/orders/seed_07/dispute", None, |_| {}).await;
    app.wait_for(".dispute__form").await;
    let root = app.host.clone();
    app.one("#dispute-refund-partial").unchecked_into::<HtmlElement>().click();
    tick().await;
    let order = app.api.order(&OrderId("seed_07".into())).await.unwrap();
    let max = order.totals.total;
    let baseline = count(&root, "img, svg, video, audio");
    for e in corpus() {
        reset_pwned();
        let where_ = format!("dispute, {} = {}", e.name, short(&e.value));
        enter(&root, "#dispute-amount", &e.value);
        enter(&root, "#dispute-description", &e.value);
        tick().await;
        app.one(".dispute__form button[type=submit]").unchecked_into::<HtmlElement>().click();
        tick().await;
        let amount_invalid = field_state(&root, "dispute-amount", "#dispute-amount-error", &where_);
        let typed = value_of(&root, "#dispute-amount");
        let amount_ok = Money::parse_decimal(&typed, max.currency).is_ok_and(|m| m.minor > 0 && m.minor <= max.minor);
        assert_eq!(amount_invalid, !amount_ok, "{where_}: amount {} marked invalid: {amount_invalid}", short(&typed));
        let description_invalid = field_state(&root, "dispute-description", "#dispute-description-error", &where_);
        let n = value_of(&root, "#dispute-description").trim().chars().count();
        let description_ok = (checkout_core::order::DESCRIPTION_MIN_CHARS..=checkout_core::order::DESCRIPTION_MAX_CHARS).contains(&n);
        assert_eq!(description_invalid, !description_ok, "{where_}: description of {n} characters marked invalid: {description_invalid}");
        // No reason was chosen: nothing is sent, whatever the text.
        assert_eq!(path(), "/orders/seed_07/dispute", "{where_}");
        assert!(app.maybe(".upload-progress").is_none(), "{where_}: started sending");
        assert_safe(&root, baseline, &where_);
    }
    assert!(app.api.order(&OrderId("seed_07".into())).await.unwrap().dispute.is_none(), "no dispute was opened");
}

#[wasm_bindgen_test]
async fn the_feedback_text_takes_every_hostile_string_and_shows_it_as_text() {
    let app = mount("/orders/seed_09", None, |_| {}).await;
    app.wait_for("#feedback-text").await;
    let root = app.host.clone();
    let baseline = count(&root, "img, svg, video, audio");
    for e in corpus() {
        reset_pwned();
        let where_ = format!("feedback, {} = {}", e.name, short(&e.value));
        enter(&root, "#feedback-text", &e.value);
        tick().await;
        app.one(".feedback button[type=submit]").unchecked_into::<HtmlElement>().click();
        tick().await;
        // No stars chosen: refused with a message, nothing sent.
        assert!(!text_of(&root, "#feedback-error").trim().is_empty(), "{where_}: no message");
        assert!(app.maybe("#feedback-text").is_some(), "{where_}: the form went away");
        let count_shown = text_of(&root, "#feedback-count");
        assert!(!count_shown.is_empty() && !count_shown.contains('{'), "{where_}: counter {count_shown:?}");
        assert_safe(&root, baseline, &where_);
    }
    // Then sent for real: every short hostile entry at once, shown back as text.
    let text: String = corpus()
        .iter()
        .filter(|e| e.value.chars().count() < 80 && !e.value.contains(['\r', '\0']))
        .map(|e| e.value.clone())
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(checkout_core::order::FEEDBACK_MAX_CHARS)
        .collect();
    reset_pwned();
    for aspect in ["item", "communication", "shipping"] {
        app.one(&format!("#{aspect}-5")).unchecked_into::<HtmlElement>().click();
    }
    enter(&root, "#feedback-text", &text);
    tick().await;
    app.one(".feedback button[type=submit]").unchecked_into::<HtmlElement>().click();
    let shown = app.wait_for(".feedback-shown__text").await;
    settle().await;
    assert_eq!(shown.text_content().unwrap_or_default(), value_of_textarea_like(&text), "the feedback is shown as the text typed");
    assert_safe(&root, baseline, "feedback sent");
}

/// What a textarea keeps of `text` (its value normalises CR LF and CR to LF).
fn value_of_textarea_like(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[wasm_bindgen_test]
async fn cart_quantities_end_within_bounds_for_every_hostile_string() {
    let app = mount("/cart", Some(CART), |_| {}).await;
    let qty: HtmlInputElement = app.wait_for(".quantity__input").await.unchecked_into();
    let root = app.host.clone();
    let baseline = count(&root, "img, svg, video, audio");
    let id = qty.id();
    for e in corpus() {
        reset_pwned();
        let where_ = format!("cart, {} = {}", e.name, short(&e.value));
        let before: u32 = qty.value().parse().unwrap();
        qty.set_value(&e.value);
        let typed = qty.value();
        fire(&qty, "input");
        fire(&qty, "change");
        tick().await;
        let after = qty.value();
        let n: u32 = after.parse().unwrap_or_else(|_| panic!("{where_}: the field shows {after:?}"));
        assert!(n >= 1, "{where_}: {n}");
        let (_, adj) = parse_quantity(&typed, before, u32::MAX);
        let message = text_of(&root, &format!("#{id}-message"));
        if matches!(adj, Some(QuantityAdjustment::NotANumber | QuantityAdjustment::BelowMinimum)) {
            assert!(!message.trim().is_empty(), "{where_}: changed to {n} without a word");
        }
        let stored = stored_cart();
        assert_eq!(stored.lines.len(), 1, "{where_}");
        assert_eq!(stored.lines[0].quantity, n, "{where_}: stored and shown differ");
        assert_safe(&root, baseline, &where_);
        // Back to one for the next entry.
        qty.set_value("1");
        fire(&qty, "input");
        fire(&qty, "change");
        tick().await;
    }
}

#[wasm_bindgen_test]
async fn order_tracking_refuses_every_hostile_string() {
    let app = mount("/orders", None, |_| {}).await;
    app.wait_for("#track-number").await;
    let root = app.host.clone();
    let baseline = count(&root, "img, svg, video, audio");
    for e in corpus() {
        reset_pwned();
        let where_ = format!("tracking, {} = {}", e.name, short(&e.value));
        enter(&root, "#track-number", &e.value);
        enter(&root, "#track-email", &e.value);
        tick().await;
        app.one(".track-form button[type=submit]").unchecked_into::<HtmlElement>().click();
        settle().await;
        assert!(until(|| !text_of(&root, "#track-error").trim().is_empty(), 100).await, "{where_}: no answer");
        assert_eq!(path(), "/orders", "{where_}: found an order");
        assert_safe(&root, baseline, &where_);
    }
}

// ------------------------------------------------------------------ served by the mock

/// Puts corpus entries into the catalog: product `i` gets entry `offset + i`
/// as its name, description and option labels, and each seller the entry of
/// its first product.
fn hostile_catalog(entries: &[Entry], offset: usize) -> impl FnOnce(&mut checkout_core::catalog::Catalog) + '_ {
    move |c| {
        let n = c.products.len();
        for (i, p) in c.products.iter_mut().enumerate() {
            let v = &entries[(offset + i) % entries.len()].value;
            p.name = v.clone();
            p.description = v.clone();
            if let Some(o) = p.options.as_mut() {
                for ch in &mut o.choices {
                    ch.label = v.clone();
                }
            }
        }
        for s in c.sellers.iter_mut() {
            if let Some(i) = c.products.iter().position(|p| p.seller_id == s.id) {
                s.name = entries[(offset + i) % entries.len()].value.clone();
            }
        }
        let _ = n;
    }
}

#[wasm_bindgen_test]
async fn hostile_catalog_text_is_shown_as_text_on_the_catalog_product_and_cart() {
    let entries = corpus();
    let seed = MockApi::<BrowserEnv>::seed_catalog();
    let per = seed.products.len();
    let benign = [Entry { name: "plain".into(), value: "Plain name".into() }];
    let baseline_of = |path: &'static str, cart: Option<String>| {
        let benign = &benign;
        async move {
            let app = mount(path, cart.as_deref(), hostile_catalog(benign, 0)).await;
            settle().await;
            count(&app.host, "img, svg, video, audio")
        }
    };
    let all_in_cart = {
        let lines: Vec<String> = seed.products.iter().map(|p| {
            let option = p.options.as_ref().map(|o| format!(r#","option_id":"{}""#, o.choices[0].id)).unwrap_or_default();
            format!(r#"{{"product_id":"{}","quantity":1,"name":"x"{option}}}"#, p.id.0)
        }).collect();
        format!(r#"{{"version":1,"lines":[{}]}}"#, lines.join(","))
    };
    let base_catalog = baseline_of("/", None).await;
    let base_cart = baseline_of("/cart", Some(all_in_cart.clone())).await;
    let mut base_product = std::collections::HashMap::new();
    for p in &seed.products {
        let path: &'static str = Box::leak(format!("/products/{}", p.id.0).into_boxed_str());
        base_product.insert(p.id.0.clone(), baseline_of(path, None).await);
    }
    let mut offset = 0;
    while offset < entries.len() {
        let names: Vec<&str> = (0..per).map(|i| entries[(offset + i) % entries.len()].name.as_str()).collect();
        reset_pwned();
        let app = mount("/", None, hostile_catalog(&entries, offset)).await;
        app.wait_for("main").await;
        settle().await;
        assert_safe(&app.host, base_catalog, &format!("catalog with {names:?}"));
        drop(app);
        reset_pwned();
        let app = mount("/cart", Some(&all_in_cart), hostile_catalog(&entries, offset)).await;
        settle().await;
        assert_safe(&app.host, base_cart, &format!("cart with {names:?}"));
        drop(app);
        // The product pages, reached inside the app (as a link would), on one mount.
        let app = mount("/", None, hostile_catalog(&entries, offset)).await;
        app.wait_for("main").await;
        for (i, p) in seed.products.iter().enumerate() {
            let e = &entries[(offset + i) % entries.len()];
            reset_pwned();
            let path = format!("/products/{}", p.id.0);
            window().history().unwrap().push_state_with_url(&JsValue::NULL, "", Some(&path)).unwrap();
            window().dispatch_event(&web_sys::Event::new("popstate").unwrap()).unwrap();
            let where_ = format!("product page of {}, {} = {}", p.id.0, e.name, short(&e.value));
            let plain = !e.value.trim().is_empty() && !e.value.chars().any(|c| c.is_control());
            until(|| app.maybe("h1.product__name").and_then(|h| h.text_content()).is_some_and(|t| !plain || t == e.value), 100).await;
            settle().await;
            assert_safe(&app.host, base_product[&p.id.0], &where_);
            if plain {
                assert_eq!(app.text("h1.product__name"), e.value, "{where_}: the name is shown as written");
            }
        }
        drop(app);
        offset += per;
    }
}

// ------------------------------------------------------------------ served over HTTP

/// Replaces `window.fetch`: `routes` is a JSON object from "METHOD /path" to
/// `[status, body]` (any other call gets a 404). Calls are kept in
/// `window.__calls` as "METHOD /path".
fn stub_fetch(routes: &serde_json::Value) {
    let script = r#"
        window.__realFetch = window.__realFetch || window.fetch;
        window.__calls = [];
        const table = JSON.parse(routes);
        window.fetch = async function (req) {
            const url = new URL(req.url);
            const key = req.method + ' ' + url.pathname;
            window.__calls.push(key);
            const [status, body] = table[key] || [404, '{"error":"not_found"}'];
            return new Response(body, { status, headers: { 'content-type': 'application/json' } });
        };"#;
    js_sys::Function::new_with_args("routes", script).call1(&JsValue::NULL, &JsValue::from_str(&routes.to_string())).unwrap();
}

fn calls() -> Vec<String> {
    let calls = js_sys::Reflect::get(&window(), &"__calls".into()).unwrap();
    js_sys::Array::from(&calls).iter().filter_map(|c| c.as_string()).collect()
}

fn restore_fetch() {
    let real = js_sys::Reflect::get(&window(), &"__realFetch".into()).unwrap();
    if !real.is_undefined() {
        js_sys::Reflect::set(&window(), &"fetch".into(), &real).unwrap();
    }
}

/// A real order, as the mock serves it, with a shipment and checkpoints.
async fn order_json() -> (serde_json::Value, i64) {
    let api = MockApi::new(BrowserEnv, MockConfig { latency_ms: Some(0), ..Default::default() });
    let now = api.now().await.unwrap().0;
    for n in 1..=20 {
        if let Ok(o) = api.order(&OrderId(format!("seed_{n:02}"))).await {
            if o.shipment.as_ref().is_some_and(|s| !s.checkpoints.is_empty()) {
                return (serde_json::to_value(&o).unwrap(), now);
            }
        }
    }
    panic!("no seeded order with checkpoints");
}

fn routes_for(order: &serde_json::Value, now: i64) -> serde_json::Value {
    serde_json::json!({
        "GET /api/orders/ord_1": [200, order.to_string()],
        "GET /api/orders": [200, serde_json::json!({ "orders": [order], "page": 1, "pages": 1 }).to_string()],
        "GET /api/now": [200, now.to_string()],
    })
}

/// Waits for the order page, or its load error; true when it loaded.
async fn loaded_or_error(host: &HtmlElement) -> bool {
    until(|| host.query_selector(".notice--error button, main h1").unwrap().is_some() && host.query_selector(".skeleton, [aria-busy=true]").unwrap().is_none(), 200).await;
    settle().await;
    host.query_selector(".notice--error button").unwrap().is_none()
}

#[wasm_bindgen_test]
async fn hostile_order_text_from_the_server_is_shown_as_text() {
    let entries = corpus();
    let (order, now) = order_json().await;
    // Baseline: the same order with plain text.
    stub_fetch(&routes_for(&serde_json::json!(order.clone()).as_object().map(|o| {
        let mut o = o.clone();
        o.insert("id".into(), "ord_1".into());
        serde_json::Value::Object(o)
    }).unwrap(), now));
    let (handle, host) = mount_http("/orders/ord_1").await;
    assert!(loaded_or_error(&host).await, "the plain order loads: {}", host.inner_html());
    let baseline = count(&host, "img, svg, video, audio");
    drop(handle);
    host.remove();
    let checkpoints = order["shipment"]["checkpoints"].as_array().unwrap().len();
    let slots = 1 + 7 + 2 + checkpoints;
    let mut offset = 0;
    while offset < entries.len() {
        let pick = |k: usize| entries[(offset + k) % entries.len()].value.clone();
        let mut o = order.clone();
        o["id"] = "ord_1".into();
        o["seller_name"] = pick(0).into();
        for (k, f) in ["given_name", "family_name", "line1", "line2", "city", "region", "postal_code"].iter().enumerate() {
            o["shipping_address"][*f] = pick(1 + k).into();
        }
        o["shipment"]["carrier"] = pick(8).into();
        o["shipment"]["tracking_number"] = pick(9).into();
        for (k, c) in o["shipment"]["checkpoints"].as_array_mut().unwrap().iter_mut().enumerate() {
            c["location"] = pick(10 + k).into();
        }
        let names: Vec<&str> = (0..slots).map(|k| entries[(offset + k) % entries.len()].name.as_str()).collect();
        let where_ = format!("order over HTTP with {names:?}");
        reset_pwned();
        stub_fetch(&routes_for(&o, now));
        let (handle, host) = mount_http("/orders/ord_1").await;
        assert!(loaded_or_error(&host).await, "{where_}: refused a well-formed order: {}", text_of(&host, ".notice--error"));
        assert_safe(&host, baseline, &where_);
        let text = host.text_content().unwrap_or_default();
        let seller = pick(0);
        if !seller.trim().is_empty() && !seller.chars().any(char::is_control) {
            assert!(text.contains(&seller), "{where_}: the seller's name is not shown as written");
        }
        drop(handle);
        host.remove();
        // The list shows the seller's name too.
        reset_pwned();
        let (handle, host) = mount_http("/orders").await;
        until(|| host.query_selector("[data-testid=order-row], .notice--error").unwrap().is_some(), 200).await;
        settle().await;
        assert!(host.query_selector("[data-testid=order-row]").unwrap().is_some(), "{where_}: the list did not show the order");
        assert_safe(&host, u32::MAX, &format!("orders list, {where_}"));
        drop(handle);
        host.remove();
        offset += slots;
    }
    restore_fetch();
}

#[wasm_bindgen_test]
async fn malformed_answers_show_an_error_with_retry_never_a_panic() {
    let (order, now) = order_json().await;
    let mut order = order;
    order["id"] = "ord_1".into();
    let edit = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut o = order.clone();
        f(&mut o);
        o.to_string()
    };
    let bodies: Vec<(&str, String)> = vec![
        ("html", "<html><script>window.__pwned=1</script></html>".into()),
        ("truncated", order.to_string()[..order.to_string().len() / 2].to_owned()),
        ("empty", String::new()),
        ("null", "null".into()),
        ("string", "\"<img src=x onerror=window.__pwned=1>\"".into()),
        ("number_overflow", "1e309".into()),
        ("empty_object", "{}".into()),
        ("empty_array", "[]".into()),
        ("array_instead_of_object", format!("[{order}]")),
        ("object_instead_of_array", order.to_string()),
        ("ten_thousand_nulls", format!("[{}]", vec!["null"; 10_000].join(","))),
        ("string_for_amount", edit(&|o| o["totals"]["total"]["minor"] = "1999".into())),
        ("negative_amount", edit(&|o| o["totals"]["total"]["minor"] = (-1999).into())),
        ("huge_amount", edit(&|o| o["totals"]["total"]["minor"] = i64::MAX.into())),
        ("min_amounts", edit(&|o| { o["totals"]["total"]["minor"] = i64::MIN.into(); o["totals"]["items"]["minor"] = i64::MIN.into(); })),
        ("amount_too_big_for_i64", edit(&|o| o["totals"]["total"]["minor"] = serde_json::json!(1e30))),
        ("missing_field", edit(&|o| { o.as_object_mut().unwrap().remove("seller_name"); })),
        ("extra_fields", edit(&|o| { o["evil"] = "<script>window.__pwned=1</script>".into(); o["__proto__"] = serde_json::json!({"polluted": true}); })),
        ("unknown_status", edit(&|o| o["status"] = "<b>pwned</b>".into())),
        ("unknown_currency", edit(&|o| o["totals"]["total"]["currency"] = "XXX".into())),
        ("far_future_date", edit(&|o| o["placed_at"] = i64::MAX.into())),
        ("negative_date", edit(&|o| o["placed_at"] = i64::MIN.into())),
        ("ten_thousand_checkpoints", edit(&|o| {
            let c = o["shipment"]["checkpoints"][0].clone();
            o["shipment"]["checkpoints"] = serde_json::Value::Array(vec![c; 10_000]);
        })),
    ];
    let mut loaded = Vec::new();
    for (page, route) in [("/orders/ord_1", "GET /api/orders/ord_1"), ("/orders", "GET /api/orders"), ("/", "GET /api/catalog")] {
        for (name, body) in &bodies {
            let where_ = format!("{route} answering {name}");
            reset_pwned();
            stub_fetch(&serde_json::json!({ route: [200, body], "GET /api/now": [200, now.to_string()] }));
            let (handle, host) = mount_http(page).await;
            until(|| host.query_selector(".notice--error button, [data-testid=order-row], .empty-state, main h1").unwrap().is_some(), 300).await;
            settle().await;
            if host.query_selector(".notice--error button").unwrap().is_some() {
                assert!(!text_of(&host, ".notice--error p").trim().is_empty(), "{where_}: an error without words");
                // Retry asks again.
                let before = calls().iter().filter(|c| c.as_str() == route).count();
                host.query_selector(".notice--error button").unwrap().unwrap().unchecked_into::<HtmlElement>().click();
                until(|| calls().iter().filter(|c| c.as_str() == route).count() > before, 100).await;
                assert!(calls().iter().filter(|c| c.as_str() == route).count() > before, "{where_}: Retry did not ask again");
                settle().await;
            } else {
                loaded.push(where_.clone());
            }
            assert_safe(&host, u32::MAX, &where_);
            drop(handle);
            host.remove();
        }
    }
    restore_fetch();
    web_sys::console::log_1(&format!("malformed answers taken as data: {loaded:?}").into());
}

// ------------------------------------------------------------------ evidence files

fn file(name: &str, head: &[u8], size: u32) -> web_sys::File {
    let bytes = js_sys::Uint8Array::new_with_length(size.max(head.len() as u32));
    bytes.subarray(0, head.len() as u32).copy_from(head);
    web_sys::File::new_with_u8_array_sequence(&js_sys::Array::of1(&bytes), name).unwrap()
}

const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1];
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
const MP4: &[u8] = b"\0\0\0\x18ftypmp42\0\0\0\0";
const WEBM: &[u8] = &[0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 1, 0, 0, 0, 0, 0, 0, 0];
const EXE: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00";

#[wasm_bindgen_test]
async fn lying_and_oversized_evidence_is_refused_before_any_upload() {
    let mock = MockApi::new(BrowserEnv, MockConfig { latency_ms: Some(0), ..Default::default() });
    let order = mock.order(&OrderId("seed_07".into())).await.unwrap();
    let now = mock.now().await.unwrap().0;
    stub_fetch(&serde_json::json!({
        "GET /api/orders/seed_07": [200, serde_json::to_string(&order).unwrap()],
        "GET /api/now": [200, now.to_string()],
        "POST /api/orders/seed_07/evidence": [201, r#"{"id":"ev_1"}"#],
    }));
    let (handle, host) = mount_http("/orders/seed_07/dispute").await;
    assert!(until(|| host.query_selector("#dispute-evidence").unwrap().is_some(), 200).await, "{}", host.inner_html());
    let baseline = count(&host, "img, svg, video, audio");
    let hostile_name = "<img src=x onerror=window.__pwned=1>.png";
    let files = [
        file(hostile_name, b"<html><script>window.__pwned=1</script></html>", 0),
        file("holiday.jpg", EXE, 4096),
        file("huge.jpg", JPEG, 20 * 1024 * 1024),
        file("clip.mp4", MP4, 20 * 1024 * 1024),
        file("second.webm", WEBM, 1024),
        file("fine.jpg", JPEG, 2048),
        file("fine.png", PNG, 2048),
    ];
    let dt = web_sys::DataTransfer::new().unwrap();
    for f in &files {
        dt.items().add_with_file(f).unwrap();
    }
    let picker = input(&host, "#dispute-evidence");
    picker.set_files(dt.files().as_ref());
    fire(&picker, "change");
    until(|| count(&host, "[data-testid=evidence-item]") == 7, 200).await;
    settle().await;
    let messages: Vec<String> = (0..host.query_selector_all("#dispute-evidence-errors li").unwrap().length())
        .filter_map(|i| host.query_selector_all("#dispute-evidence-errors li").unwrap().item(i).and_then(|n| n.text_content()))
        .collect();
    let joined = messages.join("\n");
    assert!(messages.len() >= 5, "every problem listed: {messages:?}");
    for name in [hostile_name, "holiday.jpg", "huge.jpg", "second.webm"] {
        assert!(joined.contains(name), "{name} is named among {messages:?}");
    }
    assert!(joined.to_lowercase().contains("6"), "the limit of 6 files is said: {messages:?}");
    assert!(!joined.contains("fine.jpg") && !joined.contains("fine.png"), "good files are not blamed: {messages:?}");
    // Only the real images get a preview.
    assert!(count(&host, "img") <= baseline + 3, "previews only for images that are images");
    // A reason and a description: everything else is right, but the files are not.
    host.query_selector("#dispute-reason-0").unwrap().unwrap().unchecked_into::<HtmlElement>().click();
    enter(&host, "#dispute-description", "The parcel arrived opened and the lamp inside was broken.");
    tick().await;
    host.query_selector(".dispute__form button[type=submit]").unwrap().unwrap().unchecked_into::<HtmlElement>().click();
    settle().await;
    settle().await;
    let c = calls();
    assert!(!c.iter().any(|k| k.starts_with("POST")), "nothing was sent: {c:?}");
    assert!(host.query_selector("#dispute-summary li").unwrap().is_some(), "the summary lists the file problems");
    assert!(!pwned());
    assert!(checkout_app::diagnostics::problems().is_empty(), "{:?}", checkout_app::diagnostics::problems());
    assert_eq!(count(&host, NEVER_FROM_THE_APP), 0);
    drop(handle);
    host.remove();
    restore_fetch();
}
