//! Helpers for the browser tests: mount the app at a URL on a mock without
//! delays, wait for the page to settle, read and act on the DOM.

#![allow(dead_code)]

use std::rc::Rc;

use checkout_app::api::{BrowserEnv, MockApi, MockConfig, Scenario};
use checkout_app::AppWith;
use checkout_core::catalog::Catalog;
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement};

pub struct Mounted {
    _handle: Box<dyn std::any::Any>,
    pub host: HtmlElement,
    pub api: Rc<MockApi<BrowserEnv>>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.host.remove();
    }
}

pub fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

pub fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// Mounts the whole app at `path`, after `storage_value` (if any) was saved as
/// the cart, on a fresh mock (seeded catalog changed by `edit`) with no latency.
pub async fn mount_at(path: &str, storage_value: Option<&str>, edit: impl FnOnce(&mut Catalog)) -> Mounted {
    mount_in(Scenario::HappyPath, path, storage_value, edit).await
}

pub async fn mount_in(scenario: Scenario, path: &str, storage_value: Option<&str>, edit: impl FnOnce(&mut Catalog)) -> Mounted {
    let s = storage();
    s.clear().unwrap();
    web_sys::window().unwrap().session_storage().unwrap().unwrap().clear().unwrap();
    if let Some(v) = storage_value {
        s.set_item(checkout_app::state::keys::CART, v).unwrap();
    }
    let api = Rc::new(MockApi::new(BrowserEnv, MockConfig { scenario, speed: 1, latency_ms: Some(0) }));
    api.edit_catalog(edit);
    mount_with(path, api).await
}

/// Mounts the app at `path` without touching storage: a reload.
pub async fn mount_keep_storage(path: &str) -> Mounted {
    mount_with(path, Rc::new(MockApi::new(BrowserEnv, MockConfig { latency_ms: Some(0), ..Default::default() }))).await
}

/// Puts the browser at `path` and mounts the whole app on `api`.
async fn mount_with(path: &str, api: Rc<MockApi<BrowserEnv>>) -> Mounted {
    web_sys::window().unwrap().history().unwrap().replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path)).unwrap();
    let host: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&host).unwrap();
    let app_api: Rc<dyn checkout_app::api::OrderApi> = api.clone();
    let handle = mount_to(host.clone(), move || view! { <AppWith api=app_api.clone()/> });
    settle().await;
    Mounted { _handle: Box::new(handle), host, api }
}

/// Lets effects, resources and timers run.
pub async fn settle() {
    for _ in 0..3 {
        leptos::task::tick().await;
        sleep(20).await;
    }
}

pub async fn sleep(ms: i32) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
}

impl Mounted {
    pub fn all(&self, css: &str) -> Vec<Element> {
        let list = self.host.query_selector_all(css).unwrap();
        (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<Element>().ok()).collect()
    }

    pub fn one(&self, css: &str) -> Element {
        self.host.query_selector(css).unwrap().unwrap_or_else(|| panic!("no element {css}"))
    }

    pub fn maybe(&self, css: &str) -> Option<Element> {
        self.host.query_selector(css).unwrap()
    }

    pub fn text(&self, css: &str) -> String {
        self.one(css).text_content().unwrap_or_default()
    }

    /// Waits (up to about 2 s) for `css` to exist.
    pub async fn wait_for(&self, css: &str) -> Element {
        for _ in 0..100 {
            if let Some(e) = self.maybe(css) {
                return e;
            }
            sleep(20).await;
        }
        panic!("{css} never appeared; page: {}", self.host.inner_html());
    }

    pub async fn click(&self, css: &str) {
        self.wait_for(css).await.unchecked_into::<HtmlElement>().click();
        settle().await;
    }

    /// Types into an input and leaves it, as a shopper does (input, then change).
    pub async fn type_into(&self, css: &str, value: &str) {
        let input: HtmlInputElement = self.wait_for(css).await.unchecked_into();
        input.set_value(value);
        input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
        input.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
        settle().await;
    }

    pub fn input_value(&self, css: &str) -> String {
        self.one(css).unchecked_into::<HtmlInputElement>().value()
    }
}

pub fn stored_cart() -> checkout_core::cart::Cart {
    let raw = storage().get_item(checkout_app::state::keys::CART).unwrap().unwrap_or_default();
    checkout_core::cart::Cart::from_storage(&raw).cart
}
