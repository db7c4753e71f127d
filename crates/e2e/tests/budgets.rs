//! Byte budgets of the release bundle, held by the test command (bytes are
//! stable; times are printed by `scripts/bench.sh`, never asserted).
//!
//! The budget for a first visit is 200 KB brotli, and this test holds it, for
//! both builds the test command makes (scripts/test.sh): the default one on
//! the mock, and the shoppers' build for a real server
//! (`E2E_DIST=target/dist-shoppers`); the measured sizes are in
//! docs/route-splitting.md. The release bundle is
//! split (scripts/build-release.sh): a first visit to `/` downloads the page,
//! its styles, the main script, the split loader and the main module (the
//! shell, the router, the catalog, and the order API's catalog call); every
//! other screen, and the rest of the order API (the mock's orders, the HTTP
//! client), are modules of their own, downloaded when first needed.

use std::path::Path;
use std::time::{Duration, Instant};

use e2e::session::{session, session_at};

/// Brotli bytes of the page and of every file it names (`href="/…"`): what a
/// first visit downloads before the app runs, images aside. Returns the main
/// module's share, that total, and the modules a first visit leaves for later.
fn first_visit_brotli(dist: &Path) -> (u64, u64, u64) {
    let page = std::fs::read_to_string(dist.join("index.html")).expect("read dist/index.html");
    // The files its <link>s name (the stylesheet, the icon, the app's modules):
    // not the links of the screens drawn into it.
    let mut named: Vec<String> = page
        .split("<link ")
        .skip(1)
        .filter_map(|tag| tag.split('>').next()?.split("href=\"/").nth(1)?.split('"').next())
        .map(str::to_owned)
        .collect();
    named.sort();
    named.dedup();
    let sizes = e2e::size::measure(dist).expect("measure dist/");
    let brotli = |path: &str| sizes.iter().find(|f| f.path == path).map(|f| f.brotli).unwrap_or_else(|| panic!("index.html names /{path}, which is not in dist/"));
    let wasm: u64 = named.iter().filter(|p| p.ends_with(".wasm")).map(|p| brotli(p)).sum();
    assert!(wasm > 0, "index.html preloads no wasm module: {page}");
    let first: u64 = brotli("index.html") + named.iter().filter(|p| !p.starts_with("images/")).map(|p| brotli(p)).sum::<u64>();
    let later: u64 = sizes.iter().filter(|f| f.path.ends_with(".wasm") && !named.contains(&f.path)).map(|f| f.brotli).sum();
    (wasm, first, later)
}

#[test]
fn a_first_visit_stays_within_its_ceiling_and_the_screens_are_split_off() {
    let dist = e2e::dist_dir();
    assert!(dist.join("index.html").exists(), "no release bundle at {}: run `scripts/build-release.sh` first", dist.display());
    let (wasm, first, later) = first_visit_brotli(&dist);
    println!("brotli: first visit {first} bytes (main module {wasm}; goal 200,000); the other screens' modules {later} bytes");
    assert!(wasm <= 182_000, "the main module grew to {wasm} bytes brotli (ceiling 182,000)");
    assert!(first <= 200_000, "a first visit grew to {first} bytes brotli, over the budget of 200,000");
    // The screens (the rest of the mock, the HTTP client) are really split
    // off (an unsplit build has nothing here), and together they do not grow
    // unnoticed either.
    assert!(later >= 100_000, "only {later} bytes brotli of modules are left for later: is the bundle split (scripts/build-release.sh)?");
    // 400,000 until the screens took their rules from the core, wrote through
    // Leptos actions and kept their forms for the session (+34 KB, most of it
    // the order page's module); 440,000 until the mock became the shared
    // order service with its payment provider, the list was paged by the API
    // and tracking got its own view (+15 KB); 455,000 until returns came
    // (+31 KB: two screens, the seeded returns and the return's data in the
    // mock's, the HTTP client's and the orders' modules); the first visit did
    // not grow; 485,000 until the checkout got a module apart from a product
    // and the cart (+12 KB: more chunks, each compressed alone; a product's
    // deep link 94 KB less).
    assert!(later <= 510_000, "the other screens' modules grew to {later} bytes brotli (ceiling 510,000)");
}

/// The files a page at `path` downloaded before its screen was up: the
/// document, every resource started before the app had drawn the route's
/// heading (so nothing fetched ahead afterwards), and every file the page
/// preloads for its route, images aside. (The preloads count whether or not
/// they started before the heading: on a fast local server some start
/// after it, which made the figures vary by a module's size from run to
/// run.) On the shoppers' build served without an order server, a screen's
/// heading may be its error's: the files are the same.
const STARTED_BEFORE_READY: &str = r#"
const root = document.documentElement;
if (root.dataset.prerendered || document.getElementById('app-shell') || !document.querySelector('main h1, main h2')) return null;
const t = performance.now();
const preloaded = [...document.querySelectorAll('link[rel=preload], link[rel=modulepreload]')].map(l => l.href);
return [location.href, ...performance.getEntriesByType('resource').filter(e => e.startTime <= t).map(e => e.name), ...preloaded];
"#;

/// Each route as a shopper arrives at it from a link elsewhere (a deep link,
/// nothing cached): what the browser downloads before the screen is up, by
/// each file's brotli size. Printed for every route of the build under test;
/// `/` is held to the 200 KB budget, every other route to a ceiling at its
/// size now (they are over the budget: issue "Fast where shoppers really
/// arrive" is to bring them under it).
#[tokio::test]
async fn each_route_arrived_at_directly_downloads_what_its_screen_needs() {
    let dist = e2e::dist_dir();
    let sizes = e2e::size::measure(&dist).expect("measure dist/");
    // The shoppers' build has no mock (nor its module): it is served by the
    // reference order server, as a shop deploys it; the default build's order
    // API is the mock, in the page.
    let shoppers = !sizes.iter().any(|f| f.path.starts_with("split_mock-"));
    let db = std::env::temp_dir().join(format!("e2e-budget-{}", std::process::id()));
    let server = if shoppers {
        std::fs::create_dir_all(&db).expect("temp dir");
        let config = order_api::Config {
            db: db.join("orders.sqlite3"),
            addr: ([127, 0, 0, 1], 0).into(),
            dist: Some(dist.clone()),
            ..order_api::Config::default()
        };
        Some(order_api::serve(config).await.expect("start the order server"))
    } else {
        None
    };
    let s = match &server {
        Some((addr, _)) => session_at(format!("http://{addr}")).await,
        None => session().await,
    };
    s.disable_cache().await;
    // A cart for /cart and /checkout, written from a page of the same origin
    // that is no screen (an image), so nothing of the app is loaded first.
    s.c().goto(&format!("{}/images/products/headlamp-1.svg", s.base)).await.expect("open an image");
    let cart = r#"{"version":1,"lines":[{"product_id":"headlamp","quantity":1,"name":"Headlamp"}]}"#;
    s.c().execute("localStorage.setItem('checkout.cart.v1', arguments[0])", vec![cart.into()]).await.expect("set cart");
    let mut rows = Vec::new();
    for path in ["/", "/products/headlamp", "/cart", "/checkout", "/orders", "/orders/seed_06", "/orders/seed_07/dispute"] {
        s.c().goto(&format!("{}{path}", s.base)).await.expect("navigate");
        let deadline = Instant::now() + Duration::from_secs(20);
        let urls = loop {
            let v = s.c().execute(STARTED_BEFORE_READY, vec![]).await.expect("read resource timing");
            if let Some(a) = v.as_array() {
                break a.iter().filter_map(|u| u.as_str().map(str::to_owned)).collect::<Vec<_>>();
            }
            assert!(Instant::now() < deadline, "{path}: the screen was not up after 20 s");
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        let mut files: Vec<String> = urls.iter().filter_map(|u| bundle_file(&dist, u)).filter(|f| !f.starts_with("images/")).collect();
        files.sort();
        files.dedup();
        let brotli: u64 = files.iter().filter_map(|f| sizes.iter().find(|x| x.path == *f)).map(|x| x.brotli).sum();
        println!("{path}: {brotli} bytes brotli before the screen is up ({} files: {})", files.len(), files.join(" "));
        // Over HTTP the checkout's module asks for the quote itself: the
        // totals are in before the whole client is asked for (it is fetched
        // ahead later, for placing the order).
        if shoppers && path == "/checkout" {
            let has = |module: &str| files.iter().any(|f| f.starts_with(&format!("split_{module}-")));
            assert!(has("checkout") && !has("http_client"), "{path} downloaded {files:?}");
            s.wait_text("[data-testid=checkout-total]", |t| t.starts_with('$')).await;
            let v = s.c().execute(QUOTE_BEFORE_CLIENT, vec![]).await.expect("read resource timing");
            let (quoted, client) = (v[0].as_f64(), v[1].as_f64());
            assert!(quoted.is_some(), "{path}: no quote was asked of the server");
            assert!(client.is_none_or(|c| Some(c) > quoted), "{path}: the whole HTTP client was asked for at {client:?} ms, before the quote's answer at {quoted:?} ms");
        }
        rows.push((path, brotli));
    }
    if let Some((_, server)) = server {
        server.stop().await;
        let _ = std::fs::remove_dir_all(&db);
    }
    for (path, brotli) in rows {
        // Measured on 2026-12-06 (default build; shoppers' build), plus 3 %.
        let ceiling = match (path, shoppers) {
            ("/", _) => 200_000,
            ("/products/headlamp" | "/cart", false) => 277_000,
            ("/checkout", false) => 429_000,
            (_, false) => 531_000,
            ("/products/headlamp" | "/cart", true) => 283_000,
            ("/checkout", true) => 369_000,
            (_, true) => 495_000,
        };
        assert!(brotli <= ceiling, "{path}: {brotli} bytes brotli before the screen is up (ceiling {ceiling}; budget 200,000)");
    }
}

/// When the quote's answer came (ms), and when the whole HTTP client's
/// module was asked for (null if not yet).
const QUOTE_BEFORE_CLIENT: &str = r#"
const all = performance.getEntriesByType('resource');
const quote = all.find(e => new URL(e.name).pathname.endsWith('/quote'));
const client = all.find(e => e.name.includes('/split_http_client-'));
return [quote ? quote.responseEnd : null, client ? client.startTime : null];
"#;

/// The file of the bundle a URL names (a route is its page, as a static host
/// serves it: `e2e::prerender::page_for`); None for anything else (the order
/// API, another origin).
fn bundle_file(dist: &Path, url: &str) -> Option<String> {
    let path = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = &path[path.find('/')?..];
    let path = path.split(['?', '#']).next().unwrap_or("/");
    if path.starts_with("/api/") {
        return None;
    }
    let last = path.rsplit('/').next().unwrap_or_default();
    if last.contains('.') {
        return Some(path.trim_start_matches('/').to_owned());
    }
    let page = e2e::prerender::page_for(dist, path);
    Some(page.strip_prefix(dist).ok()?.to_string_lossy().into_owned())
}
