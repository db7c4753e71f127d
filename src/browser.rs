//! Thin, failure-tolerant access to the browser: storage, title, focus.
//!
//! Storage can be missing (privacy modes), full, or hold anything another tab or a
//! person wrote; every call here degrades to "nothing stored" instead of failing.

use wasm_bindgen::JsCast;

/// The page's window; none when the app is drawn natively (the server's
/// renderer, `ssr`), where every call below then does nothing.
pub fn window() -> Option<web_sys::Window> {
    #[cfg(target_arch = "wasm32")]
    return web_sys::window();
    #[cfg(not(target_arch = "wasm32"))]
    return None;
}

fn local_storage() -> Option<web_sys::Storage> {
    window()?.local_storage().ok().flatten()
}

pub fn storage_get(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

/// Returns false when the value could not be written (storage full or disabled).
pub fn storage_set(key: &str, value: &str) -> bool {
    local_storage().is_some_and(|s| s.set_item(key, value).is_ok())
}

pub fn storage_remove(key: &str) {
    if let Some(s) = local_storage() {
        let _ = s.remove_item(key);
    }
}

fn session_storage() -> Option<web_sys::Storage> {
    window()?.session_storage().ok().flatten()
}

pub fn session_get(key: &str) -> Option<String> {
    session_storage()?.get_item(key).ok().flatten()
}

pub fn session_set(key: &str, value: &str) {
    if let Some(s) = session_storage() {
        let _ = s.set_item(key, value);
    }
}

pub fn session_remove(key: &str) {
    if let Some(s) = session_storage() {
        let _ = s.remove_item(key);
    }
}

/// Sets a cookie for the whole site for a year (`SameSite=Lax`): only what
/// the server needs to draw the right first screen, never a secret.
pub fn set_cookie(name: &str, value: &str) {
    if let Some(document) = window().and_then(|w| w.document()) {
        let cookie = format!("{name}={value}; Path=/; Max-Age=31536000; SameSite=Lax");
        let _ = js_sys::Reflect::set(&document, &"cookie".into(), &cookie.into());
    }
}

/// A parameter of `url`'s query (relative to this page), read by the
/// browser's own URL parser.
pub fn query_param(url: &str, name: &str) -> Option<String> {
    let base = window()?.location().href().ok()?;
    web_sys::Url::new_with_base(url, &base).ok()?.search_params().get(name)
}

/// A parameter of this page's query.
pub fn page_query_param(name: &str) -> Option<String> {
    query_param(&window()?.location().href().ok()?, name)
}

pub fn set_document_title(title: &str) {
    if let Some(doc) = window().and_then(|w| w.document()) {
        doc.set_title(title);
    }
}

/// Moves keyboard focus to the element with this id, if it exists.
pub fn focus_id(id: &str) {
    let el = window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(el) = el {
        let _ = el.focus();
    }
}

/// The browser's preferred languages, most preferred first.
pub fn preferred_languages() -> Vec<String> {
    let Some(nav) = window().map(|w| w.navigator()) else {
        return Vec::new();
    };
    let list: Vec<String> = nav.languages().iter().filter_map(|v| v.as_string()).collect();
    if list.is_empty() {
        nav.language().into_iter().collect()
    } else {
        list
    }
}

/// A one-shot timer that is cleared when dropped, its callback freed with it
/// whether it fired or not (wasm-bindgen frees a one-shot closure only when it
/// is called, so a cleared `once_into_js` callback would stay allocated).
pub struct Timeout {
    id: Option<i32>,
    _callback: wasm_bindgen::closure::Closure<dyn FnMut()>,
}

impl Timeout {
    pub fn new(ms: u32, f: impl FnOnce() + 'static) -> Timeout {
        let mut f = Some(f);
        let callback = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
            if let Some(f) = f.take() {
                f();
            }
        });
        let id = window().and_then(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(callback.as_ref().unchecked_ref(), ms.min(i32::MAX as u32) as i32)
                .ok()
        });
        Timeout { id, _callback: callback }
    }
}

impl Drop for Timeout {
    fn drop(&mut self) {
        if let (Some(id), Some(w)) = (self.id, window()) {
            w.clear_timeout_with_handle(id);
        }
    }
}

/// Whether the browser says it is online (true if it cannot say).
pub fn online() -> bool {
    window().map(|w| w.navigator().on_line()).unwrap_or(true)
}

/// Whether the browser asks to save data (`navigator.connection.saveData`)
/// or is on a 2G connection: then nothing is fetched ahead of the shopper.
/// Browsers that cannot say (Safari, Firefox) count as not saving.
pub fn saving_data() -> bool {
    let Some(connection) = window().and_then(|w| js_sys::Reflect::get(&w.navigator(), &"connection".into()).ok()) else {
        return false;
    };
    let field = |name: &str| js_sys::Reflect::get(&connection, &name.into()).ok().filter(|_| connection.is_object());
    field("saveData").and_then(|v| v.as_bool()).unwrap_or(false)
        || field("effectiveType").and_then(|v| v.as_string()).is_some_and(|t| t.ends_with("2g"))
}

/// Resolves once the browser is idle (`requestIdleCallback`, waiting at most
/// `within_ms`), or after `within_ms` in a browser without it.
pub async fn idle(within_ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let Some(w) = window() else { return };
        let ask = js_sys::Reflect::get(&w, &"requestIdleCallback".into()).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"timeout".into(), &within_ms.into());
        let asked = ask.is_some_and(|f| f.call2(&w, &resolve, &options).is_ok());
        if !asked {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, within_ms.min(i32::MAX as u32) as i32);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Resolves after `ms` milliseconds on the browser's timer, in a task of its
/// own, without blocking the page.
pub async fn after_ms(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms.min(i32::MAX as u32) as i32);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Lets the browser paint and handle input before going on: resolves in a new
/// task (a zero-delay timeout), so long start-up work does not block the page
/// as one long task.
pub async fn next_task() {
    after_ms(0).await;
}

/// Whether the page is showing a screen drawn ahead of the app (by the order
/// server, or the default build's release step; see `crate::render`), which
/// stays in view until the app has drawn that screen itself.
pub fn shows_prerendered_screen() -> bool {
    window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .is_some_and(|root| root.has_attribute("data-prerendered"))
}

/// Takes a screen drawn ahead of the app out of the page, and shows the
/// static shell's skeleton in its place.
pub fn drop_drawn_screen() {
    let Some(document) = window().and_then(|w| w.document()) else { return };
    if let Ok(Some(copy)) = document.query_selector("#app-shell [data-prerendered]") {
        copy.remove();
    }
    if let Ok(Some(skeleton)) = document.query_selector("#app-shell .app-shell__skeleton") {
        let _ = skeleton.remove_attribute("hidden");
    }
    if let Some(root) = document.document_element() {
        let _ = root.remove_attribute("data-prerendered");
    }
}

/// Takes the static shell of the page away and shows the app in its place.
/// Called once the app is mounted, or, while a drawn screen is in view, once
/// the app's own first screen is drawn. Does nothing the second time.
pub fn remove_app_shell() {
    let Some(document) = window().and_then(|w| w.document()) else { return };
    if let Some(shell) = document.get_element_by_id("app-shell") {
        shell.remove();
    }
    if let Some(root) = document.document_element() {
        let _ = root.remove_attribute("data-prerendered");
    }
}
