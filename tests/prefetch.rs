//! Fetching ahead respects the shopper's data plan: when the browser asks to
//! save data, or the connection is 2G, nothing is downloaded before the
//! shopper asks for it (`browser::saving_data`, read by the prefetch).

use checkout_app::browser::saving_data;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Makes `navigator.connection` say what a test needs (undefined: say nothing).
fn connection(value: JsValue) {
    let navigator = web_sys::window().unwrap().navigator();
    let descriptor = js_sys::Object::new();
    js_sys::Reflect::set(&descriptor, &"value".into(), &value).unwrap();
    js_sys::Reflect::set(&descriptor, &"configurable".into(), &true.into()).unwrap();
    js_sys::Object::define_property(&navigator, &"connection".into(), &descriptor);
}

fn says(save_data: bool, effective_type: &str) -> JsValue {
    let c = js_sys::Object::new();
    js_sys::Reflect::set(&c, &"saveData".into(), &save_data.into()).unwrap();
    js_sys::Reflect::set(&c, &"effectiveType".into(), &effective_type.into()).unwrap();
    c.into()
}

#[wasm_bindgen_test]
fn nothing_is_fetched_ahead_when_the_browser_saves_data_or_is_on_2g() {
    connection(says(false, "4g"));
    assert!(!saving_data(), "a fast connection fetches ahead");
    connection(says(true, "4g"));
    assert!(saving_data(), "Data Saver on");
    connection(says(false, "2g"));
    assert!(saving_data(), "2G");
    connection(says(false, "slow-2g"));
    assert!(saving_data(), "slow 2G");
    connection(says(false, "3g"));
    assert!(!saving_data(), "3G still fetches ahead");
    connection(JsValue::UNDEFINED);
    assert!(!saving_data(), "a browser that cannot say");
}
