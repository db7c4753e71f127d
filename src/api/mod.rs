//! The order API as the screens see it. The contract (trait, requests, answers,
//! errors) and the mock live in the `checkout-api` crate so that they build and
//! test natively too; this module chooses the API at start and gives the mock
//! what it needs from the browser (clock, timers, storage).

pub mod browser_env;

use std::rc::Rc;

pub use checkout_api::mock::{MockApi, MockConfig, Scenario};
pub use checkout_api::{ApiError, BuyerAction, EvidenceUpload, OrderApi, ProductDetail};
use leptos::prelude::*;

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

/// The API chosen for this page load: the in-browser mock, in the scenario and
/// at the clock speed named by `?scenario=` and `?speed=` (kept for the tab's
/// session, so moving between screens keeps them).
pub fn from_config() -> Rc<dyn OrderApi> {
    Rc::new(MockApi::new(BrowserEnv, browser_env::mock_config_from_url()))
}
