//! The order API as the screens see it. The contract (trait, requests, answers,
//! errors) and the mock live in the `checkout-api` crate so that they build and
//! test natively too; this module chooses the API at start and gives the mock
//! what it needs from the browser (clock, timers, storage).

pub mod browser_env;
pub mod http_transport;
pub mod lazy_api;
pub mod polling;
pub mod resource;

use std::rc::Rc;

#[cfg(feature = "mock")]
pub use marketplace::mock::{MockApi, MockConfig};
#[cfg(feature = "mock")]
pub use marketplace::Scenario;
pub use crate::state::keys::MOCK_STATE as MOCK_STATE_KEY;
pub use checkout_api::{ApiError, BuyerAction, EvidenceUpload, OrderApi, ProductDetail};
use leptos::prelude::*;

#[cfg(feature = "mock")]
pub use browser_env::BrowserEnv;

/// The API the app talks to, shared through context. Held in local storage of the
/// reactive system because `Rc<dyn OrderApi>` is not `Send`.
pub type ApiHandle = StoredValue<Rc<dyn OrderApi>, LocalStorage>;

pub fn provide_api(api: Rc<dyn OrderApi>) {
    provide_context::<ApiHandle>(StoredValue::new_local(api));
}

pub fn use_api() -> Rc<dyn OrderApi> {
    expect_context::<ApiHandle>().get_value()
}

/// The handle itself: `Copy` and `Send`, for callbacks that run later.
pub fn use_api_handle() -> ApiHandle {
    expect_context::<ApiHandle>()
}

/// Which order API a page load talks to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Backend {
    /// The in-browser mock (the default: no server needed).
    Mock,
    /// A server implementing the contract (docs/openapi.json) at this base URL.
    Http(String),
}

/// Reads the deployer's choice from `<meta name="checkout-api" content="…">`:
/// `mock`, a path on this site (`/api`), or an http(s) address. Anything else
/// is refused with the reason, so a typo cannot silently send orders nowhere.
pub fn backend_from(content: Option<&str>) -> Result<Backend, String> {
    let Some(value) = content.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(Backend::Mock);
    };
    if value.eq_ignore_ascii_case("mock") {
        return Ok(Backend::Mock);
    }
    let clean = !value.chars().any(|c| c.is_whitespace() || c.is_control()) && value.len() <= 500;
    let local = value.starts_with('/') && !value.starts_with("//");
    let remote = value.starts_with("https://") || value.starts_with("http://");
    if clean && (local || remote) {
        Ok(Backend::Http(value.trim_end_matches('/').to_owned()))
    } else {
        Err(format!(
            "checkout-api meta tag: {value:?} is neither \"mock\", a path such as \"/api\", nor an http(s) address; using the mock"
        ))
    }
}

/// The deployer's choice in this page's `<meta name="checkout-api">`.
pub fn configured_backend() -> Backend {
    let content = crate::browser::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("meta[name=checkout-api]").ok().flatten())
        .and_then(|m| m.get_attribute("content"));
    backend_from(content.as_deref()).unwrap_or_else(|problem| {
        web_sys::console::error_1(&problem.into());
        Backend::Mock
    })
}

/// The API chosen for this page load: over HTTP if the page names a server,
/// else the in-browser mock, in the scenario and at the clock speed named by
/// `?scenario=` and `?speed=` (kept for the tab's session).
pub fn from_config() -> Rc<dyn OrderApi> {
    match choose() {
        Choice::Server(base) => http_api(&base),
        #[cfg(feature = "mock")]
        Choice::Mock(config) => Rc::new(MockApi::new(BrowserEnv, config)),
    }
}

/// What this page load talks to: the mock, in a scenario and at a speed, or a
/// server at an address.
enum Choice {
    #[cfg(feature = "mock")]
    Mock(MockConfig),
    Server(String),
}

fn choose() -> Choice {
    match configured_backend() {
        Backend::Http(base) => Choice::Server(base),
        #[cfg(feature = "mock")]
        Backend::Mock => Choice::Mock(browser_env::mock_config_from_url()),
        // A build without the mock talks to the server of the site it came from.
        #[cfg(not(feature = "mock"))]
        Backend::Mock => {
            web_sys::console::error_1(&"this build has no mock order API; using the server at /api".into());
            Choice::Server(DEFAULT_API_BASE.to_owned())
        }
    }
}

/// [`from_config`] for the split release build (feature `split`).
///
/// - On the mock, its shopfront answers the catalog at once, and the rest of
///   the mock (the orders) is module `mock`, loaded by the first call about
///   orders ([`lazy_api`]).
/// - In a build without the mock (the shoppers' build), the same holds over
///   HTTP: the client's catalog call is in the main module, its quote call in
///   the checkout's module ([`http_quote`]), and the whole client is module
///   `http_client`, loaded by the first other call about orders.
/// - In a build with the mock, on a page that names a server, the whole
///   client (module `http_client`) is downloaded before the first screen, so
///   that the default build's main module carries no HTTP code. If that
///   download fails, `problem` is told and it is tried again, after 1, 2, 4…
///   up to 16 seconds (`problem(false)` once it is there).
#[cfg(feature = "split")]
// (Without the mock, `Choice` has one variant, and the match below one arm.)
#[cfg_attr(not(feature = "mock"), allow(clippy::infallible_destructuring_match))]
pub async fn from_config_split(problem: impl Fn(bool)) -> Rc<dyn OrderApi> {
    let base = match choose() {
        Choice::Server(base) => base,
        #[cfg(feature = "mock")]
        Choice::Mock(config) => {
            return Rc::new(lazy_api::LazyApi::mock(config, move || {
                Box::pin(async move { mock_module(config).await.map_err(|_| lazy_api::download_failed()) })
            }))
        }
    };
    #[cfg(not(feature = "mock"))]
    {
        let _ = problem;
        // The client's catalog call alone (`fetch_catalog`, statically: no
        // vtable brings the other calls and their JSON into this module).
        let front = Rc::new(checkout_api::http::HttpApi::new(http_transport::FetchTransport, &base, http_transport::BrowserTokenStore));
        let quote_base = base.clone();
        Rc::new(
            lazy_api::LazyApi::new(
                move || {
                    let front = front.clone();
                    Box::pin(async move { front.fetch_catalog().await })
                },
                move || {
                    let base = base.clone();
                    Box::pin(async move { http_api_module(base).await.map_err(|_| lazy_api::download_failed()) })
                },
            )
            .with_quote(move |request| {
                let (base, request) = (quote_base.clone(), request.clone());
                Box::pin(async move { http_quote(base, request).await.map_err(|_| lazy_api::download_failed())?.await })
            }),
        )
    }
    #[cfg(feature = "mock")]
    {
        let mut wait_ms = 1_000;
        loop {
            match http_api_module(base.clone()).await {
                Ok(api) => {
                    problem(false);
                    return api;
                }
                Err(_) => {
                    problem(true);
                    browser_env::sleep(wait_ms).await;
                    wait_ms = (wait_ms * 2).min(16_000);
                }
            }
        }
    }
}

/// The whole HTTP client, in a module of its own.
#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(http_client, fallible, preload(preload_http_client), wasm_split_path = ::leptos::wasm_split)]
fn http_api_module(base: String) -> Result<Rc<dyn OrderApi>, leptos::wasm_split::SplitLoaderError> {
    Ok(http_api(&base))
}

/// The HTTP client's quote call alone, in the checkout's module (called
/// statically, as the catalog's is from the main module): a checkout arrived
/// at directly shows its totals without downloading the whole client, which
/// is fetched ahead once the page is idle, before the shopper places the
/// order.
#[cfg(all(feature = "split", not(feature = "mock")))]
#[leptos::wasm_split::wasm_split(checkout, fallible, wasm_split_path = ::leptos::wasm_split)]
fn http_quote(base: String, request: checkout_api::QuoteRequest) -> Result<lazy_api::Pending<checkout_core::checkout::Quote>, leptos::wasm_split::SplitLoaderError> {
    Ok(Box::pin(async move {
        let client = checkout_api::http::HttpApi::new(http_transport::FetchTransport, &base, http_transport::BrowserTokenStore);
        OrderApi::quote(&client, &request).await
    }))
}

/// The whole mock, in a module of its own (see [`lazy_api`]).
#[cfg(all(feature = "split", feature = "mock"))]
#[leptos::wasm_split::wasm_split(mock, fallible, preload(preload_mock_module), wasm_split_path = ::leptos::wasm_split)]
fn mock_module(config: MockConfig) -> Result<Rc<dyn OrderApi>, leptos::wasm_split::SplitLoaderError> {
    Ok(Rc::new(MockApi::new(BrowserEnv, config)))
}

/// Downloads the whole order API ahead of its first use (see [`lazy_api`]):
/// a quote on the mock, or placing the order over HTTP, then does not wait
/// for it. A failed download is ignored; the first call that needs it tries
/// again.
pub async fn prefetch() {
    #[cfg(all(feature = "split", feature = "mock"))]
    if configured_backend() == Backend::Mock {
        let _ = preload_mock_module().await;
    }
    #[cfg(all(feature = "split", not(feature = "mock")))]
    let _ = preload_http_client().await;
}

/// Where a build without the mock looks for the order API if the page names none.
#[cfg(not(feature = "mock"))]
const DEFAULT_API_BASE: &str = "/api";

fn http_api(base: &str) -> Rc<dyn OrderApi> {
    Rc::new(checkout_api::http::HttpApi::new(http_transport::FetchTransport, base, http_transport::BrowserTokenStore))
}
