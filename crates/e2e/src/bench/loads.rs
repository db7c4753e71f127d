//! Page loads on a cold cache: for each route, five loads, each from a new
//! origin (a new port of the same server), so that no HTTP cache, compiled wasm
//! or storage of an earlier load applies. Three times, all from the start of
//! the navigation (`performance.now()` in the page):
//!
//! - **FCP**: `first-contentful-paint` from the Paint Timing API. The page
//!   paints a static shell (index.html) before the wasm has loaded, so this is
//!   that shell's paint: the skeleton, or a screen drawn into it
//!   (`e2e::prerender`; the catalog on `/`).
//! - **interactive**: the app has mounted and drawn the route: `main h1` exists
//!   and the app is in view (the wasm has been fetched, compiled and run, and
//!   handlers are attached).
//! - **content**: the route's data is shown (product cards, cart lines, the
//!   checkout's priced summary), by the app, or by the drawn screen, whichever
//!   is first. From the app, it includes the mock API's simulated 150 ms of
//!   network latency per call.
//!
//! The page is watched from the moment its document exists: the browser runs
//! with the page-load strategy `none`, and a MutationObserver stamps the first
//! mutation after which each element is present. A load whose heading was
//! already there when the observer started is not counted and is made again.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::chrome::{Chrome, PageLoad};
use super::report::{ms_spread, Table};
use super::{new_origin, prepare_origin, progress, Result, SAMPLE_CART};

pub const SAMPLES: usize = 5;

/// A route and the element that says its content is shown.
pub struct Route {
    pub path: &'static str,
    pub content: &'static str,
    pub what: &'static str,
}

pub const ROUTES: [Route; 3] = [
    Route { path: "/", content: ".product-card:not(.product-card--skeleton)", what: "product cards" },
    Route { path: "/cart", content: "[data-testid=cart-line]", what: "cart lines" },
    Route { path: "/checkout", content: "[data-testid=checkout-total]", what: "priced summary" },
];

/// Installed as soon as the new document is current; answers once the heading
/// and the content exist and the first contentful paint is known.
const PROBE: &str = r#"
const [path, content, timeoutMs] = arguments;
const done = arguments[arguments.length - 1];
if (location.pathname !== path) return done({ state: 'not-yet' });
// The app's heading, once the app is in view (not behind a screen drawn into index.html).
const heading = () => !document.documentElement.dataset.prerendered && document.querySelector('main h1');
const ready = () => document.querySelector(content);
if (heading()) return done({ state: 'missed' });
const marks = {};
const check = () => {
  const now = performance.now();
  if (marks.interactive === undefined && heading()) marks.interactive = now;
  if (marks.content === undefined && ready()) marks.content = now;
  return marks.interactive !== undefined && marks.content !== undefined;
};
const finish = () => {
  const fallback = setTimeout(() => done({ state: 'ok', fcp: null, ...marks }), 5000);
  new PerformanceObserver((list, obs) => {
    const fcp = list.getEntriesByName('first-contentful-paint')[0];
    if (fcp) { obs.disconnect(); clearTimeout(fallback); done({ state: 'ok', fcp: fcp.startTime, ...marks }); }
  }).observe({ type: 'paint', buffered: true });
};
const observer = new MutationObserver(() => {
  if (check()) { observer.disconnect(); clearTimeout(timer); finish(); }
});
observer.observe(document, { childList: true, subtree: true });
const timer = setTimeout(() => { observer.disconnect(); done({ state: 'timeout', ...marks }); }, timeoutMs);
"#;

#[derive(Clone, Copy, Debug)]
pub struct LoadSample {
    pub fcp: f64,
    pub interactive: f64,
    pub content: f64,
}

/// One cold load of `path` on a new origin whose localStorage holds `storage`
/// first. `chrome` must use the page-load strategy `none`.
pub async fn cold_load(
    chrome: &Chrome,
    dist: &Path,
    path: &str,
    content: &str,
    storage: &[(&str, &str)],
) -> Result<LoadSample> {
    let c = &chrome.client;
    for _attempt in 0..3 {
        let base = new_origin(dist).await?;
        prepare_origin(c, &base, storage).await?;
        let pathname = path.split('?').next().unwrap_or(path);
        c.goto(&format!("{base}{path}")).await.map_err(|e| format!("open {path}: {e}"))?;
        let deadline = Instant::now() + Duration::from_secs(20);
        let answer = loop {
            // Until the new document is current the script runs in the old one
            // (or fails while they swap) and answers "not-yet".
            let v = c.execute_async(PROBE, vec![pathname.into(), content.into(), 15_000.into()]).await;
            let state =
                v.as_ref().ok().and_then(|v| v.get("state")).and_then(Value::as_str).unwrap_or("not-yet").to_owned();
            if state != "not-yet" {
                break v.unwrap_or_default();
            }
            if Instant::now() > deadline {
                return Err(format!("{path} never became the current document"));
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        };
        let num = |k: &str| answer.get(k).and_then(Value::as_f64);
        match answer.get("state").and_then(Value::as_str) {
            Some("ok") => {
                return Ok(LoadSample {
                    fcp: num("fcp").unwrap_or(f64::NAN),
                    interactive: num("interactive").unwrap_or(f64::NAN),
                    content: num("content").unwrap_or(f64::NAN),
                })
            }
            Some("missed") => progress(format!("{path}: the app mounted before the probe started; loading again")),
            _ => return Err(format!("{path}: no {content} within 15 s (marks so far: {answer})")),
        }
    }
    Err(format!("{path}: the probe started too late three times"))
}

/// The table of section 2, and the first load of `/`'s resource list for the
/// first-visit sum of section 1.
pub async fn run(dist: &Path) -> Result<(Table, Result<Vec<String>>)> {
    let chrome = Chrome::launch(&[], PageLoad::None).await?;
    let mut first_visit = Err("no load of / was made".to_string());
    let mut t = Table::new(
        format!("2. Page loads, cold cache (median of {SAMPLES} loads, min–max)"),
        &["route", "FCP", "interactive (main h1)", "content", "content is"],
    );
    for route in &ROUTES {
        let mut samples = Vec::new();
        for i in 0..SAMPLES {
            progress(format!("load {} ({}/{SAMPLES})", route.path, i + 1));
            let s = cold_load(&chrome, dist, route.path, route.content, &[("checkout.cart.v1", SAMPLE_CART)]).await?;
            if route.path == "/" && i == 0 {
                first_visit = super::sizes::first_visit_urls(&chrome.client).await;
            }
            samples.push(s);
        }
        let col = |f: fn(&LoadSample) -> f64| samples.iter().map(f).filter(|x| !x.is_nan()).collect::<Vec<_>>();
        t.row(vec![
            route.path.to_string(),
            ms_spread(&col(|s| s.fcp)),
            ms_spread(&col(|s| s.interactive)),
            ms_spread(&col(|s| s.content)),
            route.what.to_string(),
        ]);
    }
    chrome.close().await;
    t.note(
        "Each load is the first on a new origin (a new loopback port), in one headless Chromium (no GPU, \
         1280x900, no network throttling), with a two-line cart (two sellers) in localStorage so that /cart \
         and /checkout have content. Times run from the start of the navigation.",
    );
    t.note(
        "FCP is the static shell index.html paints before the wasm loads: on / the catalog drawn into it at \
         build time (so content is that paint), elsewhere here a skeleton (the cart is not empty). \
         Interactive: `main h1` exists and the app is in view, so the wasm has been fetched, compiled and \
         mounted. Content: the route's data is on screen; from the app, after the mock API's simulated \
         150 ms of latency.",
    );
    Ok((t, first_visit))
}
