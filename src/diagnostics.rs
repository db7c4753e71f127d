//! What went wrong where nobody was looking: a panic, or something the page's
//! Content-Security-Policy refused. Each is written to the console and kept in
//! `window.__checkout_problems` (a list of strings), which the end-to-end
//! suites read after every journey; a panic also tells the shopper, in a
//! banner, that reloading the page is safe (the cart and the checkout draft
//! are stored).

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

const PROBLEMS: &str = "__checkout_problems";

fn record(problem: &str) {
    let Some(window) = crate::browser::window() else { return };
    let list = js_sys::Reflect::get(&window, &PROBLEMS.into())
        .ok()
        .filter(|v| v.is_object())
        .map(|v| js_sys::Array::from(&v))
        .unwrap_or_else(|| {
            let list = js_sys::Array::new();
            let _ = js_sys::Reflect::set(&window, &PROBLEMS.into(), &list);
            list
        });
    list.push(&JsValue::from_str(problem));
}

/// Problems recorded so far on this page.
pub fn problems() -> Vec<String> {
    crate::browser::window()
        .and_then(|w| js_sys::Reflect::get(&w, &PROBLEMS.into()).ok())
        .filter(|v| v.is_object())
        .map(|v| js_sys::Array::from(&v).iter().filter_map(|p| p.as_string()).collect())
        .unwrap_or_default()
}

fn show_banner(text: &str) {
    let Some(doc) = crate::browser::window().and_then(|w| w.document()) else { return };
    if doc.get_element_by_id("app-crashed").is_some() {
        return;
    }
    let Ok(banner) = doc.create_element("div") else { return };
    banner.set_id("app-crashed");
    banner.set_class_name("notice notice--error app-crashed");
    let _ = banner.set_attribute("role", "alert");
    banner.set_text_content(Some(text));
    if let Some(body) = doc.body() {
        let _ = body.prepend_with_node_1(&banner);
    }
}

/// Installs the panic hook and the CSP violation listener. Call once, after
/// the language is chosen (the banner's words are taken now: after a panic the
/// message layer may be what failed).
pub fn install() {
    let banner_text = crate::i18n::t("app.crashed");
    std::panic::set_hook(Box::new(move |info| {
        let message = info.to_string();
        web_sys::console::error_1(&JsValue::from_str(&message));
        record(&format!("panic: {message}"));
        show_banner(&banner_text);
    }));
    if let Some(doc) = crate::browser::window().and_then(|w| w.document()) {
        let listener = Closure::<dyn Fn(web_sys::SecurityPolicyViolationEvent)>::new(|e: web_sys::SecurityPolicyViolationEvent| {
            let problem = format!("csp: {} blocked {}", e.violated_directive(), e.blocked_uri());
            web_sys::console::error_1(&JsValue::from_str(&problem));
            record(&problem);
        });
        let _ = doc.add_event_listener_with_callback("securitypolicyviolation", listener.as_ref().unchecked_ref());
        // Lives as long as the page.
        listener.forget();
    }
}
