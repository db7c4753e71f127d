//! The performance benchmark behind `scripts/bench.sh`: figures to read next to
//! their budgets, not timed tests. Nothing here fails on a figure over its
//! budget; only a measurement that could not be made is an error.
//!
//! Every section runs on the release bundle in `dist/` (or `$E2E_DIST`), served
//! on loopback by [`crate::serve`], in headless Chromium:
//!
//! 1. [`sizes`]: every file raw, gzip and brotli ([`crate::size`]), and what a
//!    first visit to `/` downloads, as the browser's resource timing lists it;
//!    [`crates`]: the main module's code by crate;
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
pub mod crates;
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
pub const SAMPLE_CART: &str = concat!(
    r#"{"version":1,"lines":["#,
    r#"{"product_id":"headlamp","quantity":1,"name":"Ultralight rechargeable headlamp"},"#,
    r#"{"product_id":"bamboo-desk-lamp","quantity":2,"name":"Bamboo desk lamp with warm LED"}]}"#,
);

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

/// What to run.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Run only these sections (`loads`, `cart`, `orders`, `memory`,
    /// `lighthouse`); every one when empty. Bytes are always measured; the
    /// first-visit sum needs `loads`.
    pub only: Vec<String>,
    pub skip_lighthouse: bool,
}

impl Options {
    fn wants(&self, section: &str) -> bool {
        (self.only.is_empty() || self.only.iter().any(|s| s == section))
            && !(section == "lighthouse" && self.skip_lighthouse)
    }
}

/// A section left out by the options.
fn skipped(title: &str) -> report::Table {
    let mut t = report::Table::new(title, &[]);
    t.note("skipped (see --only and --skip-lighthouse)");
    t
}

/// The whole report, and whether every section could be measured (Lighthouse
/// excepted: when it cannot run, its section says why and that is all).
pub struct Outcome {
    pub text: String,
    pub complete: bool,
}

/// Runs every section in turn (never two browsers at once: the timings share
/// the machine) and renders the report with a closing summary of budgets.
pub async fn run(opts: Options) -> Outcome {
    let dist = crate::dist_dir();
    let mut tables: Vec<report::Table> = Vec::new();
    let mut complete = true;
    // A section that could not run is reported in place, and the run is incomplete.
    let failed = |title: &str, e: String, tables: &mut Vec<report::Table>, complete: &mut bool| {
        progress(format!("{title}: {e}"));
        *complete = false;
        tables.push(report::Table::failed(title, &e));
    };

    progress("sizes: compressing every file of dist/");
    let d = dist.clone();
    let sizes = match tokio::task::spawn_blocking(move || sizes::measure(&d)).await {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => {
            // Without a bundle nothing else can run either.
            failed("1. Bytes", e, &mut tables, &mut complete);
            return Outcome { text: render(&tables), complete };
        }
        Err(e) => {
            failed("1. Bytes", e.to_string(), &mut tables, &mut complete);
            return Outcome { text: render(&tables), complete };
        }
    };

    let (loads, first_visit) = if opts.wants("loads") {
        let d = dist.clone();
        match guarded("page loads", async move { loads::run(&d).await }).await {
            Ok((t, urls)) => {
                if urls.is_err() {
                    complete = false;
                }
                (Ok(t), urls)
            }
            Err(e) => (Err(e), Err("the page loads could not run".to_string())),
        }
    } else {
        (Ok(skipped("2. Page loads")), Err("not measured: the page loads were skipped".to_string()))
    };
    tables.push(sizes::table(&sizes, first_visit));
    tables.push(crates::table(&crate::workspace_root()));
    match loads {
        Ok(t) => tables.push(t),
        Err(e) => failed("2. Page loads", e, &mut tables, &mut complete),
    }

    if opts.wants("cart") {
        let d = dist.clone();
        match guarded("cart", async move { cart::run(&d).await }).await {
            Ok(t) => tables.push(t),
            Err(e) => failed("3. Cart", e, &mut tables, &mut complete),
        }
    } else {
        tables.push(skipped("3. Cart"));
    }
    if opts.wants("orders") {
        let d = dist.clone();
        match guarded("orders", async move { orders::run(&d).await }).await {
            Ok(t) => tables.push(t),
            Err(e) => failed("4. Orders list", e, &mut tables, &mut complete),
        }
    } else {
        tables.push(skipped("4. Orders list"));
    }
    if opts.wants("memory") {
        let d = dist.clone();
        match guarded("memory", async move { memory::run(&d).await }).await {
            Ok(t) => tables.push(t),
            Err(e) => failed("5. Memory", e, &mut tables, &mut complete),
        }
    } else {
        tables.push(skipped("5. Memory"));
    }
    if opts.wants("lighthouse") {
        let d = dist.clone();
        match guarded("lighthouse", async move { Ok(lighthouse::run(&d).await) }).await {
            Ok(t) => tables.extend(t),
            Err(e) => tables.push(report::Table::failed("6. Lighthouse", &e)),
        }
    } else {
        tables.push(skipped("6. Lighthouse"));
    }
    Outcome { text: render(&tables), complete }
}

/// Every table, then the figures that have a budget, side by side.
fn render(tables: &[report::Table]) -> String {
    let mut s: String = tables.iter().map(report::Table::render).collect();
    let mut summary = report::Table::new(
        "Budgets (reported figures: OVER does not fail the run)",
        &["figure", "value", "budget", ""],
    );
    for b in tables.iter().flat_map(|t| &t.budgets) {
        summary.row(b.to_vec());
    }
    if summary.rows.is_empty() {
        summary.header.clear();
        summary.note("no figure with a budget was measured");
    }
    s += &summary.render();
    s
}
