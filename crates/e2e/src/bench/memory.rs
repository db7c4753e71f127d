//! Memory after many route changes: does leaving a screen free what it held?
//!
//! One page load, then client-side navigations through every kind of screen,
//! the way a link click does it (an `<a href>` clicked, which the router takes
//! over: history.pushState and the new route drawn, no reload). The cycle of
//! ten routes passes the catalog, two products, the cart, the checkout, the
//! orders list and a tab of it, two orders (one of them polling for updates)
//! and a dispute form, and ends on the catalog; each change waits until the
//! new screen's heading is there and nothing is loading.
//!
//! Readings after 20 and after 200 changes (both on the catalog), each after
//! forcing garbage collection (`gc()`, Chromium started with
//! `--js-flags=--expose-gc`) three times:
//! - **JS heap**: `performance.memory.usedJSHeapSize` (exact with
//!   `--enable-precise-memory-info`);
//! - **wasm memory**: the app's linear memory, `memory.buffer.byteLength` of
//!   the module's exports. Trunk exposes the bindings (`window.wasmBindings`)
//!   but not the exports; the bindings' `default` (wasm-bindgen's init) returns
//!   the already-instantiated exports when called again, so the bench imports
//!   the page's own module (its `modulepreload` link) and calls that. Linear
//!   memory only ever grows: this is the high-water mark of the Rust heap.

use std::path::Path;
use std::time::Duration;

use super::chrome::{Chrome, PageLoad, MEMORY_ARGS};
use super::report::{bytes, mib, verdict, Table};
use super::{exec_async, new_origin, prepare_origin, progress, wait_until, Result, SAMPLE_CART};

/// After 200 changes, at most 110 % of the reading after 20.
const GROWTH_BUDGET: f64 = 1.10;
const FIRST: usize = 20;
/// A reading between the two, to show whether growth is steady or a step.
const MIDDLE: usize = 100;
const SECOND: usize = 200;

/// Ten routes, the catalog last, so that both readings are taken on it.
const CYCLE: [&str; 10] = [
    "/products/headlamp",
    "/cart",
    "/checkout",
    "/orders",
    "/orders/seed_02",
    "/orders?tab=completed",
    "/orders/seed_07/dispute",
    "/products/rain-jacket",
    "/orders/seed_09",
    "/",
];

/// Follows a link to `path` as a click would; answers once the new screen's
/// heading is there and nothing in `main` is loading.
const NAVIGATE: &str = r#"
const [path] = arguments;
const done = arguments[arguments.length - 1];
const old = document.querySelector('main h1');
const a = document.createElement('a');
a.href = path;
document.body.appendChild(a);
a.click();
a.remove();
const t0 = performance.now();
(function poll() {
  const h = document.querySelector('main h1');
  const busy = document.querySelector('main [aria-busy="true"], main .skeleton');
  const here = location.pathname + location.search === path;
  if (here && h && h !== old && !busy) return done({ ms: performance.now() - t0 });
  if (performance.now() - t0 > 10000) return done({ error: 'no settled screen at ' + path + ' within 10 s' });
  setTimeout(poll, 10);
})();
"#;

const READ_MEMORY: &str = r#"
const done = arguments[arguments.length - 1];
(async () => {
  if (typeof gc !== 'function') throw new Error('gc() is missing: Chromium needs --js-flags=--expose-gc');
  for (let i = 0; i < 3; i++) { gc(); await new Promise(r => setTimeout(r, 100)); }
  const js = performance.memory ? performance.memory.usedJSHeapSize : null;
  const link = document.querySelector('link[rel=modulepreload]');
  let wasm = null;
  if (link) {
    const bindings = await import(link.href);
    const exports = await bindings.default();
    if (exports && exports.memory) wasm = exports.memory.buffer.byteLength;
  }
  done({ js, wasm });
})().catch(e => done({ error: String(e) }));
"#;

#[derive(Clone, Copy, Debug)]
struct Reading {
    js: Option<f64>,
    wasm: Option<f64>,
}

async fn read(c: &fantoccini::Client) -> Result<Reading> {
    let v = exec_async(c, "read memory", READ_MEMORY, vec![]).await?;
    Ok(Reading { js: v["js"].as_f64(), wasm: v["wasm"].as_f64() })
}

pub async fn run(dist: &Path) -> Result<Table> {
    let chrome = Chrome::launch(MEMORY_ARGS, PageLoad::Normal).await?;
    let c = &chrome.client;
    let base = new_origin(dist).await?;
    prepare_origin(c, &base, &[("checkout.cart.v1", SAMPLE_CART)]).await?;
    c.goto(&format!("{base}/")).await.map_err(|e| format!("open /: {e}"))?;
    wait_until(
        c,
        "the catalog",
        "return !document.getElementById('app-shell') && !!document.querySelector('main .product-card:not(.product-card--skeleton)')",
        Duration::from_secs(20),
    )
    .await?;
    let start = read(c).await?;

    let mut readings = Vec::new();
    let mut nav_ms = Vec::new();
    for i in 1..=SECOND {
        let path = CYCLE[(i - 1) % CYCLE.len()];
        let v = exec_async(c, "navigate", NAVIGATE, vec![path.into()]).await?;
        nav_ms.push(v["ms"].as_f64().unwrap_or(f64::NAN));
        if i % 50 == 0 {
            progress(format!("memory: {i}/{SECOND} route changes"));
        }
        if i == FIRST || i == MIDDLE || i == SECOND {
            // Let timers of the screen just left (polling) run out first.
            tokio::time::sleep(Duration::from_millis(500)).await;
            readings.push(read(c).await?);
        }
    }
    chrome.close().await;

    let (after20, after100, after200) = (readings[0], readings[1], readings[2]);
    let mut t = Table::new(
        "5. Memory after client-side route changes (after gc())",
        &["", "after load", "after 20", "after 100", "after 200", "200 / 20", "budget", ""],
    );
    let show = |x: Option<f64>| x.map_or("n/a".into(), |b| format!("{} ({})", mib(b), bytes(b as u64)));
    for (name, pick) in [
        ("JS heap (usedJSHeapSize)", (|r: &Reading| r.js) as fn(&Reading) -> Option<f64>),
        ("wasm linear memory", |r: &Reading| r.wasm),
    ] {
        let ratio = pick(&after20).zip(pick(&after200)).map(|(a, b)| b / a);
        t.row(vec![
            name.into(),
            show(pick(&start)),
            show(pick(&after20)),
            show(pick(&after100)),
            show(pick(&after200)),
            ratio.map_or("n/a".into(), |r| format!("{:.1} %", r * 100.0)),
            format!("<= {:.0} %", GROWTH_BUDGET * 100.0),
            ratio.map_or(String::new(), |r| verdict(r <= GROWTH_BUDGET)),
        ]);
        if let Some(r) = ratio {
            t.budget(
                format!("{name}, after {SECOND} vs {FIRST} route changes"),
                format!("{:.1} %", r * 100.0),
                format!("<= {:.0} %", GROWTH_BUDGET * 100.0),
                r <= GROWTH_BUDGET,
            );
        }
    }
    let median_nav = super::report::median(&nav_ms);
    t.note(format!(
        "Routes, in a cycle of ten: {}. Each change follows a link (the router's own click handling, no reload) \
         and waits until the new heading is shown and nothing in main is busy (median {} a change, mostly the \
         mock's 150 ms latency). Readings on the catalog after 20 and 200 changes, 0.5 s after arriving, after \
         gc() three times.",
        CYCLE.join(" "),
        super::report::ms(median_nav)
    ));
    t.note(
        "Wasm memory is the module's linear memory (exports.memory.buffer.byteLength, reached by calling the \
         page's own wasm-bindgen init again, which returns the running instance). It grows in 64 KiB pages and \
         never shrinks, so it is the high-water mark of the Rust heap: growth between the readings means more \
         was live at some point, not necessarily a leak; steady growth from reading to reading would be one.",
    );
    Ok(t)
}
