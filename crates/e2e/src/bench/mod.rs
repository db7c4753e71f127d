//! The performance benchmark behind `scripts/bench.sh`: figures to read next to
//! their budgets, not timed tests. Nothing here fails on a figure over its
//! budget; only a measurement that could not be made is an error.
//!
//! Every section runs on the release bundle in `dist/` (or `$E2E_DIST`), served
//! on loopback by [`crate::serve`], in headless Chromium:
//!
//! 1. [`sizes`]: every file raw, gzip and brotli ([`crate::size`]), and what a
//!    first visit to `/` downloads, as the browser's resource timing lists it;
//! 2. [`loads`]: first contentful paint, interactive and content of `/`, `/cart`
//!    and `/checkout`, each load from a new origin (cold cache);
//! 3. [`cart`]: a quantity change to the next frame, in carts of 1 line up to
//!    the most lines the cart rules keep;
//! 4. [`orders`]: the orders list with 1,000 orders in the mock;
//! 5. [`memory`]: JS heap and wasm memory after 20 and 200 route changes;
//! 6. [`lighthouse`]: Lighthouse's scores, LCP and TBT (mobile defaults).

pub mod brotli_serve;
pub mod cart;
pub mod chrome;
pub mod lighthouse;
pub mod loads;
pub mod memory;
pub mod orders;
pub mod report;
pub mod sizes;

use std::path::Path;
use std::time::{Duration, Instant};

use fantoccini::Client;
use serde_json::Value;

/// A measurement that could not be made says why.
pub type Result<T> = std::result::Result<T, String>;

/// A same-origin page that loads nothing of the app, opened to write
/// localStorage before a measured load: the English messages, which are inside
/// the wasm, so no page of the app fetches this file.
pub const BLANK_PAGE: &str = "/locales/en.json";

/// The cart the page loads start with (two sellers), so that `/cart` and
/// `/checkout` have something to show.
pub const SAMPLE_CART: &str = r#"{"version":1,"lines":[{"product_id":"headlamp","quantity":1,"name":"Ultralight rechargeable headlamp"},{"product_id":"bamboo-desk-lamp","quantity":2,"name":"Bamboo desk lamp with warm LED"}]}"#;

/// Serves `dist` on a new loopback port and returns its base URL. A new port is
/// a new origin: nothing a browser kept for another one (HTTP cache, compiled
/// wasm, localStorage) applies to it, so a first load there is a cold load.
pub async fn new_origin(dist: &Path) -> Result<String> {
    let addr = crate::serve::start(dist, ([127, 0, 0, 1], 0).into())
        .await
        .map_err(|e| format!("cannot serve {}: {e}", dist.display()))?;
    Ok(format!("http://{addr}"))
}

/// Runs a script; an error names what was being done.
pub async fn exec(c: &Client, what: &str, script: &str, args: Vec<Value>) -> Result<Value> {
    c.execute(script, args).await.map_err(|e| format!("{what}: {e}"))
}

/// Runs an asynchronous script (the last argument is its callback). A script
/// that answers `{"error": ...}` is an error too.
pub async fn exec_async(c: &Client, what: &str, script: &str, args: Vec<Value>) -> Result<Value> {
    let v = c.execute_async(script, args).await.map_err(|e| format!("{what}: {e}"))?;
    match v.get("error").and_then(Value::as_str) {
        Some(e) => Err(format!("{what}: {e}")),
        None => Ok(v),
    }
}

/// Waits until `script` (run in the page) returns true, for at most `limit`.
pub async fn wait_until(c: &Client, what: &str, script: &str, limit: Duration) -> Result<()> {
    let deadline = Instant::now() + limit;
    loop {
        // Errors while a document is being replaced are retried like a false.
        if let Ok(Value::Bool(true)) = c.execute(script, vec![]).await {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("timed out after {limit:?} waiting for {what}"));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Opens [`BLANK_PAGE`] on `base` and writes `entries` into its localStorage,
/// which the next page of that origin starts with. Works whatever the page-load
/// strategy: it waits for the page itself.
pub async fn prepare_origin(c: &Client, base: &str, entries: &[(&str, &str)]) -> Result<()> {
    c.goto(&format!("{base}{BLANK_PAGE}")).await.map_err(|e| format!("open {BLANK_PAGE}: {e}"))?;
    let loaded = format!("return location.pathname === '{BLANK_PAGE}' && document.readyState === 'complete'");
    wait_until(c, BLANK_PAGE, &loaded, Duration::from_secs(15)).await?;
    for (key, value) in entries {
        let stored = exec(
            c,
            "write localStorage",
            "try { localStorage.setItem(arguments[0], arguments[1]); return null; } catch (e) { return String(e); }",
            vec![(*key).into(), (*value).into()],
        )
        .await?;
        if let Some(e) = stored.as_str() {
            return Err(format!("localStorage refused {key} ({} bytes): {e}", value.len()));
        }
    }
    Ok(())
}

/// Runs a section in its own task, so that a panic in a shared helper (the
/// session's waits panic on a timeout) becomes that section's error.
pub async fn guarded<T: Send + 'static>(
    name: &str,
    section: impl std::future::Future<Output = Result<T>> + Send + 'static,
) -> Result<T> {
    match tokio::spawn(section).await {
        Ok(r) => r,
        Err(e) if e.is_panic() => {
            let p = e.into_panic();
            let msg = p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "panicked".into());
            Err(format!("{name}: {msg}"))
        }
        Err(e) => Err(format!("{name}: {e}")),
    }
}

/// Says what is happening on stderr, so a long run shows it is alive.
pub fn progress(msg: impl AsRef<str>) {
    eprintln!("bench: {}", msg.as_ref());
}
