//! axe-core (from npm, injected into the page) on every route in its main
//! states: the catalog, a product, empty and full cart, the checkout with its
//! errors shown and with the 3-D Secure dialog open, the confirmation, the
//! wallet's page, the orders list, every order status, each order dialog open,
//! the dispute form with its errors, not found and the preview gallery. Any
//! violation of the wcag2a, wcag2aa, wcag21a, wcag21aa or wcag22aa rules fails,
//! and so does any Content-Security-Policy violation or panic the page recorded
//! (the bundle is served under the reference server's policy).
//! Build the bundle first (`scripts/build-release.sh`; scripts/test.sh does).

use std::time::Duration;

use e2e::session::{session, Session};
use fantoccini::Locator;

fn axe_source() -> String {
    let path = std::env::var_os("AXE_CORE_JS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| e2e::workspace_root().join(".tools/node/node_modules/axe-core/axe.min.js"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("axe-core not found at {} ({e}): scripts/setup.sh --browser installs it", path.display()))
}

/// Runs axe on the page as it is now; returns one line per violation.
async fn audit(s: &Session, axe: &str, state: &str) -> Vec<String> {
    // Let transitions and pending renders finish, so axe sees the settled page.
    tokio::time::sleep(Duration::from_millis(300)).await;
    s.c().execute(&format!("if (!window.axe) {{ {axe} }}"), vec![]).await.expect("inject axe-core");
    let result = s
        .c()
        .execute_async(
            "const done = arguments[arguments.length - 1];\n\
             axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })\n\
               .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at ' +\n\
                 v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 160)).join(' | '))))\n\
               .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .expect("run axe");
    let mut found: Vec<String> = result
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str()).map(|v| format!("{state}: {v}")).collect())
        .unwrap_or_else(|| vec![format!("{state}: axe gave no result: {result}")]);
    // What the app marked `hidden` must not be on screen (nor read out): a
    // class that sets `display` beats the browser's own `[hidden]` rule.
    let shown_hidden = s
        .c()
        .execute(
            "return [...document.querySelectorAll('[hidden]')].filter(e => e.getClientRects().length > 0)\n\
               .map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '') + ' ' + e.textContent.trim().slice(0, 60));",
            vec![],
        )
        .await
        .expect("look for hidden elements on screen");
    found.extend(
        shown_hidden
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str())
            .map(|v| format!("{state}: marked hidden but shown: {v}")),
    );
    // The page runs under the server's CSP: any violation (or panic) it recorded fails too.
    found.extend(s.problems().await.into_iter().map(|p| format!("{state}: {p}")));
    found
}

async fn wait_ready(s: &Session, css: &str) {
    s.c()
        .wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css:?}: {e}"));
}

const CART: &str = r#"{"version":1,"lines":[{"product_id":"bamboo-desk-lamp","quantity":2,"name":"Lamp"},{"product_id":"rain-jacket","option_id":"l","quantity":1,"name":"Jacket"}]}"#;

async fn put_cart(s: &Session, cart: &str) {
    // The app saves its cart as it starts: write after that, or it is overwritten.
    // (`#app-shell` goes once the app has mounted and drawn its screen.)
    s.wait_count("#app-shell", 0).await;
    s.c()
        .execute("localStorage.setItem('checkout.cart.v1', arguments[0])", vec![cart.into()])
        .await
        .expect("set cart");
}

fn report(violations: Vec<String>) {
    assert!(violations.is_empty(), "{} accessibility violations:\n{}", violations.len(), violations.join("\n"));
}

#[tokio::test]
async fn shopping_screens_have_no_wcag_violations() {
    let axe = axe_source();
    let s = session().await;
    let mut found = Vec::new();

    s.open("/").await;
    s.wait_count(".product-card:not(.product-card--skeleton)", 14).await;
    found.extend(audit(&s, &axe, "catalog").await);

    s.open("/products/rain-jacket").await;
    s.wait_text("h1", |t| t.contains("jacket")).await;
    found.extend(audit(&s, &axe, "product with options").await);

    s.open("/cart").await;
    s.wait_text("h1", |t| t == "Your cart").await;
    wait_ready(&s, ".empty-state").await;
    found.extend(audit(&s, &axe, "empty cart").await);

    put_cart(&s, CART).await;
    s.open("/cart").await;
    s.wait_count("[data-testid=cart-line]", 2).await;
    found.extend(audit(&s, &axe, "full cart").await);

    s.open("/checkout").await;
    s.wait_text("[data-testid=checkout-total]", |t| !t.is_empty()).await;
    found.extend(audit(&s, &axe, "checkout").await);
    s.click(".checkout__pay").await;
    wait_ready(&s, "#checkout-summary li").await;
    found.extend(audit(&s, &axe, "checkout with errors").await);

    s.open("/nowhere").await;
    s.wait_text("h1", |t| !t.is_empty()).await;
    found.extend(audit(&s, &axe, "not found").await);

    s.open("/pay/wallet?challenge=chl_404").await;
    wait_ready(&s, "#wallet-approve").await;
    found.extend(audit(&s, &axe, "wallet page").await);

    s.open("/preview").await;
    wait_ready(&s, ".preview__list").await;
    found.extend(audit(&s, &axe, "preview gallery").await);

    report(found);
    s.browser.client.clone().close().await.expect("close");
}

#[tokio::test]
async fn paying_and_confirmation_have_no_wcag_violations() {
    let axe = axe_source();
    let s = session().await;
    let mut found = Vec::new();
    s.open("/").await;
    put_cart(&s, CART).await;
    s.open("/checkout").await;
    s.fill_checkout("4000002500003155").await;
    s.click(".checkout__pay").await;
    s.wait_count("#checkout-challenge[open]", 1).await;
    found.extend(audit(&s, &axe, "3-D Secure dialog").await);
    s.click("#checkout-challenge .button--primary").await;
    s.wait_text("#confirmation-heading", |t| !t.is_empty()).await;
    s.wait_count(".confirmation__order", 2).await;
    found.extend(audit(&s, &axe, "confirmation").await);
    report(found);
    s.browser.client.clone().close().await.expect("close");
}

#[tokio::test]
async fn every_order_status_and_dialog_has_no_wcag_violations() {
    let axe = axe_source();
    let s = session().await;
    let mut found = Vec::new();

    s.open("/orders").await;
    s.wait_text("[data-testid=order-row]", |t| !t.is_empty()).await;
    found.extend(audit(&s, &axe, "orders list").await);

    for n in 1..=20 {
        s.open(&format!("/orders/seed_{n:02}")).await;
        s.wait_text(".order__sentence", |t| !t.is_empty()).await;
        found.extend(audit(&s, &axe, &format!("order seed_{n:02}")).await);
    }

    // Each dialog open: cancel (being verified), request (awaiting shipment), confirm receipt (delivered).
    for (order, button, dialog) in [
        ("seed_02", ".order__actions .button--secondary", "#cancel-dialog[open]"),
        ("seed_04", ".order__actions .button--secondary", "#request-dialog[open]"),
        ("seed_08", ".order__actions .button--primary", "#confirm-dialog[open]"),
    ] {
        s.open(&format!("/orders/{order}")).await;
        s.wait_text(".order__sentence", |t| !t.is_empty()).await;
        s.click(button).await;
        s.wait_count(dialog, 1).await;
        found.extend(audit(&s, &axe, &format!("{dialog} on {order}")).await);
    }

    s.open("/orders/seed_07/dispute").await;
    wait_ready(&s, "form").await;
    found.extend(audit(&s, &axe, "dispute form").await);
    s.click("form button[type=submit]").await;
    wait_ready(&s, ".error-summary li").await;
    found.extend(audit(&s, &axe, "dispute form with errors").await);

    s.open("/orders/seed_09/return").await;
    wait_ready(&s, "form").await;
    found.extend(audit(&s, &axe, "return form").await);
    s.click("form button[type=submit]").await;
    wait_ready(&s, ".error-summary li").await;
    found.extend(audit(&s, &axe, "return form with errors").await);

    report(found);
    s.browser.client.clone().close().await.expect("close");
}

/// Arabic, right to left, at the gallery's phone width: every main screen
/// passes the audit; the page says `dir="rtl"` and reads from the right (the
/// header's brand is at the right edge) while prices stay left to right.
/// Each screen is also saved as a picture in `target/screenshots/` for the
/// designers (`ar-<screen>.png`).
#[tokio::test]
async fn arabic_screens_read_right_to_left_and_pass_the_audit() {
    let axe = axe_source();
    let s = session().await;
    s.c().set_window_size(360, 800).await.expect("the gallery's phone width");
    s.open("/").await;
    put_cart(&s, CART).await;
    s.c().execute("localStorage.setItem('checkout.lang.v1', 'ar')", vec![]).await.expect("choose Arabic");
    let shots = e2e::workspace_root().join("target/screenshots");
    std::fs::create_dir_all(&shots).expect("screenshots folder");
    let mut found = Vec::new();
    for (path, ready, name) in [
        ("/", ".product-card:not(.product-card--skeleton)", "catalog"),
        ("/products/rain-jacket", ".product h1", "product"),
        ("/cart", "[data-testid=cart-line]", "cart"),
        ("/checkout", "[data-testid=checkout-bar-total]", "checkout"),
        ("/orders", "[data-testid=order-row]", "orders"),
        ("/orders/seed_06", ".order__sentence", "order"),
        ("/orders/seed_07/dispute", "form", "dispute"),
        ("/orders/seed_09/return", "form", "return"),
        ("/orders/seed_17", ".return-section__state", "order-return"),
    ] {
        s.open(path).await;
        wait_ready(&s, ready).await;
        found.extend(audit(&s, &axe, &format!("ar {name}")).await);
        let facts = s
            .c()
            .execute(
                "const html = document.documentElement, price = document.querySelector('main .price');\n\
                 const brand = document.querySelector('.site-header__brand').getBoundingClientRect();\n\
                 return { dir: html.dir, lang: html.lang, main: getComputedStyle(document.querySelector('main')).direction,\n\
                          price: price ? getComputedStyle(price).direction : 'ltr', brand_right: brand.right > html.clientWidth / 2 };",
                vec![],
            )
            .await
            .expect("read the page's direction");
        assert_eq!(
            facts,
            serde_json::json!({ "dir": "rtl", "lang": "ar", "main": "rtl", "price": "ltr", "brand_right": true }),
            "{path} in Arabic"
        );
        let png = s.c().screenshot().await.expect("screenshot");
        std::fs::write(shots.join(format!("ar-{name}.png")), png).expect("save the screenshot");
    }
    report(found);
    s.browser.client.clone().close().await.expect("close");
}

/// Words of up to 12 characters drawn on more than one line, with the element
/// they are in (text a shopper cannot see, such as `.visually-hidden`, aside).
/// A hyphen or a range's dash is a fair place to break ("pour-" / "over",
/// "10–" / "20 days"), so it ends a word.
const BROKEN_WORDS: &str = r#"
const found = [];
const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
const range = document.createRange();
while (walk.nextNode()) {
  const node = walk.currentNode, parent = node.parentElement;
  if (!parent || parent.closest('.visually-hidden, [hidden], script, style, option')) continue;
  const words = /[^\s\-–]+/g;
  let m;
  while ((m = words.exec(node.textContent))) {
    if (m[0].length > 12) continue;
    range.setStart(node, m.index);
    range.setEnd(node, m.index + m[0].length);
    const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
    if (lines.size > 1) found.push(`"${m[0]}" in ${parent.tagName.toLowerCase()}${parent.className ? '.' + String(parent.className).split(' ').join('.') : ''}`);
  }
}
return found;
"#;

#[tokio::test]
async fn no_screen_scrolls_sideways_on_a_320_px_phone() {
    let s = session().await;
    s.c().set_window_size(320, 740).await.expect("a 320 px window");
    s.open("/").await;
    put_cart(&s, CART).await;
    let mut wide = Vec::new();
    let mut broken = Vec::new();
    // English, Spanish for its longer words ("Fecha de vencimiento"), and
    // Arabic, right to left (where overflow goes out on the left).
    for lang in ["en", "es", "ar"] {
        s.c().execute("localStorage.setItem('checkout.lang.v1', arguments[0])", vec![lang.into()]).await.expect("set language");
        for (path, ready) in [
            ("/", ".product-card:not(.product-card--skeleton)"),
            ("/products/rain-jacket", ".product h1"),
            ("/cart", "[data-testid=cart-line]"),
            ("/checkout", "[data-testid=checkout-total]"),
            ("/orders", "[data-testid=order-row]"),
            ("/orders/seed_06", ".order__sentence"),
            ("/orders/seed_14", ".order__sentence"),
            ("/orders/seed_07/dispute", "form"),
            ("/orders/seed_09/return", "form"),
            ("/orders/seed_16", ".return-send"),
            ("/pay/wallet?challenge=chl_1", "#wallet-approve"),
            ("/preview", ".preview__list"),
            ("/nowhere", "h1"),
        ] {
            s.open(path).await;
            wait_ready(&s, ready).await;
            tokio::time::sleep(Duration::from_millis(200)).await;
            let sizes = s
                .c()
                .execute("const d = document.documentElement; return [d.scrollWidth, d.clientWidth, window.innerWidth];", vec![])
                .await
                .expect("measure");
            // A short word split over two lines ("Fr" / "ee", "App" / "ly") reads
            // as two words; only long runs (an email, an order number, a hostile
            // name) may break to fit.
            let split = s.c().execute(BROKEN_WORDS, vec![]).await.expect("look for broken words");
            broken.extend(split.as_array().into_iter().flatten().filter_map(|v| v.as_str()).map(|v| format!("{lang} {path}: {v}")));
            let (scroll, client) = (sizes[0].as_u64().unwrap_or(0), sizes[1].as_u64().unwrap_or(0));
            assert!(client <= 320, "the window is not 320 px wide: {sizes}");
            if scroll > client {
                let culprit = s
                    .c()
                    .execute(
                        "const w = document.documentElement.clientWidth; const e = [...document.querySelectorAll('body *')]\n\
                         .filter(e => { const r = e.getBoundingClientRect(); return r.right > w + 1 || r.left < -1; })[0];\n\
                         return e ? e.outerHTML.slice(0, 160) : null;",
                        vec![],
                    )
                    .await
                    .expect("find");
                wide.push(format!("{lang} {path}: {scroll} px wide in {client} px; widest: {culprit}"));
            }
        }
    }
    assert!(wide.is_empty(), "horizontal scrolling at 320 px:\n{}", wide.join("\n"));
    assert!(broken.is_empty(), "words broken across lines at 320 px:\n{}", broken.join("\n"));
    s.browser.client.clone().close().await.expect("close");
}

/// The screens drawn into the pages (what a first visit reads before the
/// app runs) pass the same audit, with the app's module never arriving.
#[tokio::test]
async fn the_screens_painted_before_the_app_runs_have_no_wcag_violations() {
    let axe = axe_source();
    let s = session().await;
    s.block_urls(&["*_bg.wasm"]).await;
    let mut found = Vec::new();
    for (path, screen) in [("/", "catalog"), ("/products/headlamp", "product"), ("/cart", "cart"), ("/checkout", "checkout")] {
        s.c().goto(&format!("{}{path}", s.base)).await.expect("navigate");
        wait_ready(&s, &format!("#app-shell [data-prerendered={screen}]:not([hidden])")).await;
        found.extend(audit(&s, &axe, &format!("{path} before the app")).await);
    }
    s.browser.close().await;
    report(found);
}
