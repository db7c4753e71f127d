//! The order API over the network, in the browser: `fetch` through gloo-net
//! under [`checkout_api::http::HttpApi`] (which owns retries, backoff, keys and
//! error mapping). Every request has a time limit and is aborted when the
//! screen that asked for it goes away; the buyer token lives in localStorage.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use async_trait::async_trait;
use checkout_api::FileContent;
use checkout_api::http::{HttpRequest, HttpResponse, Method, TokenStore, Transport, TransportError};
use gloo_net::http::RequestBuilder;
use leptos::prelude::{on_cleanup, provide_context, use_context, Owner};
use send_wrapper::SendWrapper;

use crate::browser;

/// Where the guest buyer token is kept between visits.
pub use crate::state::keys::BUYER_TOKEN as BUYER_TOKEN_KEY;

pub struct FetchTransport;

pub struct BrowserTokenStore;

impl TokenStore for BrowserTokenStore {
    fn load(&self) -> Option<String> {
        // Only what a server could have issued: short and URL-safe.
        browser::storage_get(BUYER_TOKEN_KEY)
            .filter(|t| !t.is_empty() && t.len() <= 200 && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
    }

    fn save(&self, token: &str) {
        browser::storage_set(BUYER_TOKEN_KEY, token);
    }
}

/// Ends a request's side effects however `send` ends (answered, timed out,
/// or its future dropped): clears the time limit (and frees its callback), and
/// aborts the request if it had not finished.
struct AbortOnDrop {
    controller: web_sys::AbortController,
    done: Rc<Cell<bool>>,
    _time_limit: browser::Timeout,
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if !self.done.get() {
            self.controller.abort();
        }
    }
}

type InFlight = Rc<RefCell<Vec<(web_sys::AbortController, Rc<Cell<bool>>)>>>;

/// The requests one reactive owner (a screen, a resource) has in flight, aborted
/// together when it is cleaned up. One scope and one cleanup per owner, however
/// many requests it makes: a long-open order page that polls does not pile up
/// a cleanup per request.
#[derive(Clone)]
struct AbortScope {
    owner: usize,
    requests: SendWrapper<InFlight>,
}

impl AbortScope {
    fn register(controller: &web_sys::AbortController, done: &Rc<Cell<bool>>) {
        let Some(owner) = Owner::current() else { return };
        // Context is inherited: a scope found here may be a parent's.
        let scope = use_context::<AbortScope>().filter(|s| s.owner == owner.debug_id()).unwrap_or_else(|| {
            let scope = AbortScope { owner: owner.debug_id(), requests: SendWrapper::new(Rc::default()) };
            provide_context(scope.clone());
            let requests = scope.requests.clone();
            on_cleanup(move || {
                for (controller, done) in requests.take().borrow_mut().drain(..) {
                    if !done.get() {
                        controller.abort();
                    }
                }
            });
            scope
        });
        let mut requests = scope.requests.borrow_mut();
        requests.retain(|(_, done)| !done.get());
        requests.push((controller.clone(), done.clone()));
    }
}

#[async_trait(?Send)]
impl Transport for FetchTransport {
    async fn send(&self, req: HttpRequest, timeout_ms: u32) -> Result<HttpResponse, TransportError> {
        if !browser::online() {
            return Err(TransportError::Offline);
        }
        let controller = web_sys::AbortController::new().map_err(|_| TransportError::Other("no AbortController".into()))?;
        let done = Rc::new(Cell::new(false));
        let timed_out = Rc::new(Cell::new(false));
        let time_limit = {
            let controller = controller.clone();
            let timed_out = timed_out.clone();
            browser::Timeout::new(timeout_ms, move || {
                timed_out.set(true);
                controller.abort();
            })
        };
        let guard = AbortOnDrop { controller: controller.clone(), done: done.clone(), _time_limit: time_limit };
        // The screen going away aborts what it asked for.
        AbortScope::register(&controller, &done);

        let mut builder = match req.method {
            Method::Get => RequestBuilder::new(&req.path).method(gloo_net::http::Method::GET),
            Method::Post => RequestBuilder::new(&req.path).method(gloo_net::http::Method::POST),
        };
        for (name, value) in &req.headers {
            builder = builder.header(name, value);
        }
        let signal = controller.signal();
        builder = builder.abort_signal(Some(&signal));
        let request = match (req.upload, req.body) {
            #[cfg(target_arch = "wasm32")]
            (Some(FileContent::Blob(file)), _) => builder.body(file),
            (Some(FileContent::Bytes(b)), _) => builder.body(js_sys::Uint8Array::from(&b[..])),
            (None, Some(body)) => builder.body(body),
            (None, None) => builder.build(),
        }
        .map_err(|e| TransportError::Other(e.to_string()))?;

        let outcome = async {
            let response = request.send().await?;
            let status = response.status();
            let headers = response.headers().entries().map(|(k, v)| (k.to_ascii_lowercase(), v)).collect();
            let body = response.text().await?;
            Ok::<_, gloo_net::Error>(HttpResponse { status, headers, body })
        }
        .await;
        done.set(true);
        drop(guard);
        outcome.map_err(|e| {
            if timed_out.get() {
                TransportError::TimedOut
            } else if !browser::online() {
                TransportError::Offline
            } else {
                // A refused connection looks like this too: the server is not there.
                TransportError::Other(e.to_string())
            }
        })
    }

    async fn sleep(&self, ms: u32) {
        super::browser_env::sleep(ms).await;
    }

    fn random(&self) -> u64 {
        let mut bytes = [0u8; 8];
        if let Some(c) = crate::browser::window().and_then(|w| w.crypto().ok()) {
            let _ = c.get_random_values_with_u8_array(&mut bytes);
        }
        u64::from_le_bytes(bytes) ^ (js_sys::Date::now() as u64)
    }
}
