//! Whole journeys through the HTTP client against the reference order server
//! (crates/order-api), which serves the release bundle under its strict
//! Content-Security-Policy and points the app at `/api`. Build the bundle first
//! (`scripts/build-release.sh`; scripts/test.sh does).

use std::time::Duration;

use e2e::session::{session_at, Session};
use order_api::Config;

struct Running {
    s: Session,
    server: order_api::Server,
    _db: TempDb,
}

struct TempDb(std::path::PathBuf);
impl Drop for TempDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The server on a fresh database, its clock `speed` times real time, and a
/// browser on it.
async fn start(speed: u32) -> Running {
    start_with(speed, false).await
}

/// The same, with `--dev` (the clock can be moved on) if `dev`.
async fn start_with(speed: u32, dev: bool) -> Running {
    let dist = e2e::dist_dir();
    assert!(dist.join("index.html").exists(), "no release bundle at {}: run `scripts/build-release.sh` first", dist.display());
    let dir = std::env::temp_dir().join(format!("e2e-order-api-{}-{speed}-{}", std::process::id(), rand_suffix()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let config = Config {
        db: dir.join("orders.sqlite3"),
        addr: ([127, 0, 0, 1], 0).into(),
        dist: Some(dist),
        speed,
        dev,
        ..Config::default()
    };
    let (addr, server) = order_api::serve(config).await.expect("start the order server");
    let s = session_at(format!("http://{addr}")).await;
    Running { s, server, _db: TempDb(dir) }
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0)
}


/// Whether the bundle under test is the shoppers' build (no mock): it has no
/// module for the mock's orders.
fn shoppers_build() -> bool {
    let dist = e2e::dist_dir();
    !std::fs::read_dir(&dist).unwrap_or_else(|e| panic!("read {}: {e}", dist.display())).any(|f| f.map(|f| f.file_name().to_string_lossy().starts_with("split_mock-")).unwrap_or(false))
}

/// The HTTP order client is a module of its own. In the default build it is
/// downloaded before the first screen; if that download fails, the page says
/// the store cannot be reached (instead of a blank shell), tries again by
/// itself, and starts once it can. In the shoppers' build the catalog needs
/// only the client's catalog call, in the main module: the catalog shows, and
/// a screen about orders says the store cannot be reached until it can.
#[tokio::test]
async fn when_the_order_client_cannot_be_downloaded_the_page_says_so_and_starts_once_it_can() {
    let r = start(1).await;
    let s = &r.s;
    s.open("/").await; // a first load, so that request blocking applies to the next
    s.block_urls(&["*split_http_client*"]).await;
    if shoppers_build() {
        s.open("/").await;
        s.wait_count(".product-card:not(.product-card--skeleton)", 14).await;
        assert_eq!(s.count("#app-shell-problem").await, 0, "the catalog needs no more of the client");
        s.open("/orders").await;
        let said = s.wait_text("main .notice--error[role=alert]", |t| !t.is_empty()).await;
        assert!(said.contains("couldn't reach the store"), "said {said:?}");
        s.block_urls(&[]).await;
        s.click("main .notice--error button").await;
        let empty = s.wait_text(".empty-state__title", |t| !t.is_empty()).await;
        assert!(!empty.is_empty());
        assert!(s.problems().await.is_empty(), "problems: {:?}", s.problems().await);
        r.s.browser.client.clone().close().await.expect("close");
        r.server.stop().await;
        return;
    }
    // The default build on a server: the app needs the order client before
    // it starts, so it does not (the catalog the server drew stays in view).
    s.c().goto(&format!("{}/", s.base)).await.expect("navigate");
    let said = s.wait_text("#app-shell-problem[role=alert]", |t| !t.is_empty()).await;
    assert!(said.contains("couldn't reach the store"), "said {said:?}");
    assert_eq!(s.count("main .product-card:not(.product-card--skeleton)").await, 0, "no screen without the order client");

    s.block_urls(&[]).await;
    s.wait_count("main .product-card:not(.product-card--skeleton)", 14).await;
    assert_eq!(s.count("#app-shell-problem").await, 0, "the message goes once the app starts");
    assert!(s.problems().await.is_empty(), "problems: {:?}", s.problems().await);
    r.s.browser.client.clone().close().await.expect("close");
    r.server.stop().await;
}

/// From now on (until the page reloads), keeps every request body sent with
/// fetch and every console line, for the card-data check.
async fn record_requests_and_console(s: &Session) {
    s.c()
        .execute(
            "window.__bodies = []; window.__console = [];\n\
             const realFetch = window.fetch;\n\
             window.fetch = function (input, init) {\n\
               if (init && init.body) window.__bodies.push(String(init.body));\n\
               else if (input instanceof Request) input.clone().text().then(t => window.__bodies.push(t));\n\
               return realFetch.apply(this, arguments);\n\
             };\n\
             for (const k of ['log', 'info', 'warn', 'error', 'debug']) {\n\
               const real = console[k];\n\
               console[k] = function (...args) { window.__console.push(args.map(String).join(' ')); return real.apply(this, args); };\n\
             }",
            vec![],
        )
        .await
        .expect("install the recorder");
}

#[tokio::test]
async fn a_purchase_over_http_lands_on_the_live_status_and_a_reload_comes_back_to_it() {
    // A minute of server time a second: verification (about 3 minutes) ends in seconds.
    let Running { s, server, _db } = start(60).await;
    s.headlamp_to_checkout("").await;
    s.fill_checkout("4242424242424242").await;
    s.click(".checkout__pay").await;
    s.wait_text("#confirmation-heading", |t| t.starts_with("Your order is placed")).await;
    let url = s.c().current_url().await.expect("url").to_string();
    assert!(url.contains("/orders/ord_"), "the server's order id: {url}");
    s.wait_text(".status-badge", |t| t == "Payment being verified" || t == "Awaiting shipment").await;
    // A reload during verification lands back on the same live status.
    s.reload().await;
    s.wait_text(".status-badge", |t| t == "Payment being verified" || t == "Awaiting shipment").await;
    s.reload_until(".status-badge", Duration::from_secs(40), |t| t == "Awaiting shipment").await;
    // The token is this browser's: the order is in its list.
    s.open("/orders").await;
    s.wait_text("[data-testid=order-row]", |t| t.contains("headlamp") || t.contains("Headlamp")).await;
    assert_eq!(s.problems().await, Vec::<String>::new(), "no panic and no CSP violation");
    s.browser.client.clone().close().await.expect("close");
    server.stop().await;
}

#[tokio::test]
async fn a_decline_over_http_then_another_card_pays_and_no_card_data_leaves_the_tokenizer() {
    let Running { s, server, _db } = start(1).await;
    s.headlamp_to_checkout("").await;
    s.wait_text("h1", |t| t == "Checkout").await;
    record_requests_and_console(&s).await;
    s.fill_checkout("4000000000009995").await;
    s.click(".checkout__pay").await;
    s.wait_text(".notice--error", |t| t.contains("not enough funds")).await;
    assert_eq!(s.text(".status-badge").await.as_deref(), Some("Awaiting payment"));
    for (css, value) in [("#card-number", "5555555555554444"), ("#card-expiry", "11/29"), ("#card-cvc", "321"), ("#card-name", "Ana López")] {
        s.type_into(css, value).await;
    }
    s.click(".pay-panel button[type=submit]").await;
    s.wait_text(".status-badge", |t| t == "Payment being verified").await;
    // No card number or security code anywhere but the in-page tokenizer: not in
    // a request body, the console, storage, cookies, IndexedDB or the URL.
    let leftovers = s
        .c()
        .execute(
            "const seen = (window.__bodies || []).join('\\n') + (window.__console || []).join('\\n') +\n\
               JSON.stringify({...localStorage}) + JSON.stringify({...sessionStorage}) + document.cookie + location.href;\n\
             return ['4000000000009995', '4000 0000 0000 9995', '5555555555554444', '5555 5555 5555 4444', '\"321\"', '\"123\"', 'cvc']\n\
               .filter(x => seen.includes(x));",
            vec![],
        )
        .await
        .expect("scan");
    assert_eq!(leftovers, serde_json::json!([]), "card data left behind");
    let bodies = s.c().execute("return (window.__bodies || []).length", vec![]).await.expect("bodies");
    assert!(bodies.as_u64().unwrap_or(0) >= 3, "the recorder saw the API calls: {bodies}");
    let dbs = s.c().execute_async("indexedDB.databases().then(d => arguments[0](d.length))", vec![]).await.expect("idb");
    assert_eq!(dbs.as_u64(), Some(0), "nothing in IndexedDB");
    s.open("/orders").await;
    s.wait_count("[data-testid=order-row]", 1).await;
    assert_eq!(s.problems().await, Vec::<String>::new(), "no panic and no CSP violation");
    s.browser.client.clone().close().await.expect("close");
    server.stop().await;
}

/// A dispute's photo travels as the file itself: the server keeps the very
/// bytes the shopper picked, under the evidence id the dispute names.
#[tokio::test]
async fn a_dispute_over_http_sends_the_photo_itself_and_the_server_keeps_it() {
    let Running { s, server, _db } = start_with(60, true).await;
    s.headlamp_to_checkout("").await;
    s.fill_checkout("4242424242424242").await;
    s.click(".checkout__pay").await;
    s.wait_text("#confirmation-heading", |t| t.starts_with("Your order is placed")).await;
    let url = s.c().current_url().await.expect("url").to_string();
    let id = url.rsplit("/orders/").next().unwrap_or_default().split(['?', '#', '/']).next().unwrap_or_default().to_owned();
    s.reload_until(".status-badge", Duration::from_secs(40), |t| t == "Awaiting shipment").await;
    // Twelve days on: shipped and delivered.
    let skipped = s
        .c()
        .execute_async(
            "fetch('/api/dev/skip', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: '{\"seconds\": 1036800}'}).then(r => arguments[0](r.status))",
            vec![],
        )
        .await
        .expect("skip");
    assert_eq!(skipped.as_u64(), Some(200));
    s.open(&format!("/orders/{id}/dispute")).await;
    s.wait_text("h1", |t| t == "Open a dispute").await;
    s.click("#dispute-reason-0").await;
    s.type_into("#dispute-description", "The strap arrived torn at the buckle.").await;
    let mut photo = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1];
    photo.extend((0..50_000u32).map(|i| (i % 251) as u8));
    let path = std::env::temp_dir().join(format!("e2e-strap-{}.jpg", std::process::id()));
    std::fs::write(&path, &photo).expect("photo");
    s.c().find(fantoccini::Locator::Css("#dispute-evidence")).await.expect("file input").send_keys(&path.display().to_string()).await.expect("pick");
    s.wait_count("[data-testid=evidence-item] img", 1).await;
    s.click(".dispute__form button[type=submit]").await;
    s.wait_text(".dispute-section__state", |t| !t.is_empty()).await;
    let _ = std::fs::remove_file(&path);

    let folder = _db.0.join("orders.sqlite3.evidence");
    let kept: Vec<_> = std::fs::read_dir(&folder).expect("the evidence folder").map(|f| f.expect("entry").path()).collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(std::fs::read(&kept[0]).expect("kept file"), photo, "the bytes the shopper picked");
    assert_eq!(s.problems().await, Vec::<String>::new(), "no panic and no CSP violation");
    s.browser.client.clone().close().await.expect("close");
    server.stop().await;
}

/// The page as the server sends it, before any script: its status and body.
async fn page_source(base: &str, path: &str, language: &str) -> (u16, String) {
    page_source_with(base, path, language, "").await
}

/// The same, with these cookies.
async fn page_source_with(base: &str, path: &str, language: &str, cookies: &str) -> (u16, String) {
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build_http::<axum::body::Body>();
    let mut req = axum::http::Request::get(format!("{base}{path}")).header("accept-language", language);
    if !cookies.is_empty() {
        req = req.header("cookie", cookies);
    }
    let req = req.body(axum::body::Body::empty()).expect("request");
    let resp = client.request(req).await.expect("ask the order server");
    let status = resp.status().as_u16();
    let bytes = axum::body::to_bytes(axum::body::Body::new(resp.into_body()), 16 << 20).await.expect("read the page");
    (status, String::from_utf8(bytes.to_vec()).expect("the page is UTF-8"))
}

/// "$1,234.50" from the API's amount in cents (the catalog is in dollars).
fn dollars(price: &serde_json::Value) -> String {
    assert_eq!(price["currency"], "USD", "{price}");
    let minor = price["minor"].as_u64().expect("minor units");
    let whole = (minor / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("${grouped}.{:02}", minor % 100)
}

/// The shoppers' build on its server: `/`, a product page, `/cart` and
/// `/checkout` come with their screen in the page itself (names and prices
/// before any script runs; a product's description and link-preview tags;
/// the cart empty on a first visit, its loading shell when it has items),
/// and the app takes each over with one of everything and no console error
/// or policy violation. A shopper reading another language gets the screen
/// in it.
#[tokio::test]
async fn the_first_screens_come_drawn_in_the_page_and_the_app_takes_them_over() {
    if !shoppers_build() {
        eprintln!("the default build draws its first screens at build time (see journeys.rs); this checks the shoppers' build");
        return;
    }
    let r = start(1).await;
    let base = r.s.base.clone();
    let (_, catalog) = page_source(&base, "/api/catalog", "en").await;
    let catalog: serde_json::Value = serde_json::from_str(&catalog).expect("the catalog as JSON");
    let products = catalog["products"].as_array().expect("products");
    let product = &products[0];
    let (name, id) = (product["name"].as_str().unwrap(), product["id"].as_str().unwrap());
    let html_name = |n: &str| n.replace('&', "&amp;");

    let (status, home) = page_source(&base, "/", "en-GB,en;q=0.9").await;
    assert_eq!(status, 200);
    assert!(home.contains("data-prerendered=\"catalog\""), "the catalog is drawn in: {home}");
    for p in products {
        let shown = html_name(p["name"].as_str().unwrap());
        assert!(home.contains(&shown), "{shown} is in the page");
        assert!(home.contains(&dollars(&p["price"])), "{shown}'s price {} is in the page", dollars(&p["price"]));
    }

    let (status, page) = page_source(&base, &format!("/products/{id}"), "en").await;
    assert_eq!(status, 200);
    let description = product["description"].as_str().unwrap().replace('&', "&amp;").replace('"', "&quot;");
    assert!(page.contains(&format!("<h1 class=\"product__name\">{}</h1>", html_name(name))), "the product's name: {page}");
    assert!(page.contains(&dollars(&product["price"])), "the product's price");
    assert!(page.contains(&format!("<title>{} · Bazaar</title>", html_name(name))), "its title: {page}");
    assert!(page.contains(&format!("<meta name=\"description\" content=\"{description}\">")), "its description");
    assert!(page.contains("<meta property=\"og:title\"") && page.contains("<meta property=\"og:image\""), "its link preview");

    for (path, screen) in [("/cart", "cart"), ("/checkout", "checkout")] {
        let (status, page) = page_source(&base, path, "en").await;
        assert_eq!(status, 200);
        assert!(page.contains(&format!("data-prerendered=\"{screen}\"")), "{path} is drawn in");
        assert!(page.contains("class=\"empty-state"), "{path}: a first visit's cart is empty, drawn so: {page}");
        let (_, full) = page_source_with(&base, path, "en", "checkout.cart-items=3").await;
        assert!(full.contains(&format!("data-prerendered=\"{screen}\"")), "{path} is drawn in");
        assert!(full.contains("aria-busy=\"true\"") && !full.contains("empty-state"), "{path} with items: the loading shell, never an empty cart");
    }

    let (status, unknown) = page_source(&base, "/products/no-such-thing", "en").await;
    assert_eq!(status, 404, "an unknown product is not found");
    assert!(!unknown.contains("data-prerendered=\""), "and not drawn");
    let (_, spanish) = page_source(&base, &format!("/products/{id}"), "es-ES,es;q=0.9").await;
    assert!(spanish.contains("<html lang=\"es\" data-prerendered=\"product\""), "a Spanish reader gets the product in Spanish: {spanish}");
    assert!(spanish.contains("Añadir al carrito"), "{spanish}");

    // The app takes each over: one main, one h1, nothing left of the copy.
    let s = &r.s;
    for path in ["/".to_owned(), format!("/products/{id}"), "/cart".into(), "/checkout".into()] {
        s.open(&path).await;
        assert_eq!(s.count("#app-shell").await, 0, "{path}: the copy is gone");
        assert_eq!(s.count("main").await, 1, "{path}: one main");
        assert_eq!(s.count("h1").await, 1, "{path}: one h1");
        assert!(s.problems().await.is_empty(), "{path}: problems: {:?}", s.problems().await);
    }
    // A shopper reading Spanish: the Spanish copy fits, stays until the app
    // has drawn the screen, and the page stays in Spanish.
    s.watch_drawn_copy().await;
    // (As the language picker leaves them: the choice, and its cookie for the server.)
    s.c().execute("localStorage.setItem('checkout.lang.v1', 'es'); document.cookie = 'checkout.lang.v1=es; path=/'", vec![]).await.expect("choose Spanish");
    assert!(s.drawn_copy_kept_at_mount(&format!("/products/{id}")).await, "drawn in Spanish for a Spanish reader: kept");
    s.wait_for_app().await;
    s.wait_text("main .product button[type=submit]", |t| t == "Añadir al carrito").await;
    assert_eq!(s.count("#app-shell").await, 0, "the copy is gone once the app has drawn");
    assert_eq!((s.count("main").await, s.count("h1").await), (1, 1));
    let lang = s.c().execute("return document.documentElement.lang", vec![]).await.expect("lang");
    assert_eq!(lang.as_str(), Some("es"));
    assert!(s.problems().await.is_empty(), "{:?}", s.problems().await);
    s.c().execute("localStorage.removeItem('checkout.lang.v1'); document.cookie = 'checkout.lang.v1=; max-age=0; path=/'", vec![]).await.expect("back to English");
    // The app tells the server how many items the cart holds, not what.
    s.open("/products/headlamp").await;
    s.click(".product button[type=submit]").await;
    s.wait_text(".product__feedback", |t| t.contains("Added")).await;
    let cookie = s.c().execute("return document.cookie", vec![]).await.expect("cookie");
    assert!(cookie.as_str().is_some_and(|c| c.contains("checkout.cart-items=1")), "cookies: {cookie}");
    r.s.browser.client.clone().close().await.expect("close");
    r.server.stop().await;
}
