//! What the mock needs from the browser: `Date.now`, `setTimeout`, localStorage,
//! and its settings from the URL (kept in sessionStorage for the tab).

#[cfg(feature = "mock")]
use std::future::Future;
#[cfg(feature = "mock")]
use std::pin::Pin;

#[cfg(feature = "mock")]
use marketplace::mock::{Env, MockConfig};
#[cfg(feature = "mock")]
use marketplace::Scenario;

#[cfg(feature = "mock")]
use crate::state::keys::MOCK_STATE as STATE_KEY;

#[cfg(feature = "mock")]
use crate::browser;

#[cfg(feature = "mock")]
pub struct BrowserEnv;

#[cfg(feature = "mock")]
impl Env for BrowserEnv {
    fn now_ms(&self) -> i64 {
        js_sys::Date::now() as i64
    }

    fn sleep(&self, ms: u32) -> Pin<Box<dyn Future<Output = ()>>> {
        Box::pin(sleep(ms))
    }

    fn load(&self) -> Option<String> {
        browser::storage_get(STATE_KEY)
    }

    fn save(&self, state: &str) {
        browser::storage_set(STATE_KEY, state);
    }
}

/// Waits `ms` milliseconds on the browser's timer without blocking the page.
/// (No wait at all for 0: the caller goes on in the same task.)
pub async fn sleep(ms: u32) {
    if ms > 0 {
        crate::browser::after_ms(ms).await;
    }
}

#[cfg(feature = "mock")]
use crate::state::keys::MOCK_SCENARIO as SCENARIO_KEY;
#[cfg(feature = "mock")]
use crate::state::keys::MOCK_SPEED as SPEED_KEY;
/// The fastest the mock clock may run: a day in under a second.
#[cfg(feature = "mock")]
const MAX_SPEED: u32 = 100_000;

/// `?scenario=card-declined&speed=3600`: the values in the URL win and are kept
/// for the session; an unknown scenario or a bad speed is ignored (and logged),
/// never an error page.
#[cfg(feature = "mock")]
pub fn mock_config_from_url() -> MockConfig {
    // Read before the router starts, so by the browser's URL parser.
    if let Some(s) = browser::page_query_param("scenario") {
        browser::session_set(SCENARIO_KEY, &s);
    }
    if let Some(s) = browser::page_query_param("speed") {
        browser::session_set(SPEED_KEY, &s);
    }
    let scenario = browser::session_get(SCENARIO_KEY).and_then(|s| Scenario::from_slug(&s)).unwrap_or_default();
    let speed = browser::session_get(SPEED_KEY).and_then(|s| s.parse::<u32>().ok()).unwrap_or(1).clamp(1, MAX_SPEED);
    MockConfig { scenario, speed, latency_ms: None }
}
