//! One browser session on the release bundle and the waits the end-to-end
//! suites share: open a path, read text, wait for text or a count, click.

use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};

use crate::browser::Browser;

/// A headless Chromium on the release bundle, served on loopback.
pub struct Session {
    pub browser: Browser,
    pub base: String,
}

/// Serves the release bundle and starts a browser on it.
pub async fn session() -> Session {
    let dist = crate::dist_dir();
    assert!(
        dist.join("index.html").exists(),
        "no release bundle at {}: run `scripts/build-release.sh` first",
        dist.display()
    );
    let addr = crate::serve::start(&dist, ([127, 0, 0, 1], 0).into()).await.expect("serve the bundle");
    Session { browser: Browser::start().await, base: format!("http://{addr}") }
}

/// A browser on an app someone else serves (the reference order server).
pub async fn session_at(base: String) -> Session {
    Session { browser: Browser::start().await, base }
}

impl Session {
    /// Panics and CSP violations the app recorded on the current page.
    pub async fn problems(&self) -> Vec<String> {
        let v = self
            .c()
            .execute("return (window.__checkout_problems || []).slice()", vec![])
            .await
            .expect("read problems");
        v.as_array().map(|a| a.iter().filter_map(|p| p.as_str().map(str::to_owned)).collect()).unwrap_or_default()
    }

    pub fn c(&self) -> &Client {
        &self.browser.client
    }

    /// Takes the page offline (Chromium's network emulation, as DevTools does).
    pub async fn go_offline(&self) {
        self.c().issue_cmd(NetworkConditions(Some(true))).await.expect("chromedriver network emulation: offline");
    }

    /// Makes the browser fail every request whose URL matches one of
    /// `patterns` (`*` is a wildcard), as DevTools' request blocking does; an
    /// empty list ends it.
    pub async fn block_urls(&self, patterns: &[&str]) {
        for (cmd, params) in [("Network.enable", serde_json::json!({})), ("Network.setBlockedURLs", serde_json::json!({ "urls": patterns }))] {
            self.c().issue_cmd(Cdp { cmd, params }).await.unwrap_or_else(|e| panic!("chromedriver {cmd}: {e}"));
        }
    }

    /// Runs `script` in every page this session opens from now on, before
    /// the page's own scripts (as DevTools' snippets on new documents do).
    pub async fn on_every_page(&self, script: &str) {
        let params = serde_json::json!({ "source": script });
        self.c().issue_cmd(Cdp { cmd: "Page.addScriptToEvaluateOnNewDocument", params }).await.expect("chromedriver Page.addScriptToEvaluateOnNewDocument");
    }

    /// From now on, each page records whether a screen drawn into it was
    /// still there when the app put its `<main>` in (read with
    /// [`Session::drawn_copy_kept_at_mount`]).
    pub async fn watch_drawn_copy(&self) {
        self.on_every_page(
            "window.__copyAtMount = null;
new MutationObserver((changes, observer) => {
  if (!changes.some(c => [...c.addedNodes].some(n => n.nodeName === 'MAIN' || n.querySelector?.('main')))) return;
  window.__copyAtMount = document.querySelector('#app-shell [data-prerendered]') !== null;
  observer.disconnect();
}).observe(document, { childList: true, subtree: true });",
        )
        .await;
    }

    /// Opens `path` and says whether its drawn screen was kept until the
    /// app mounted (after [`Session::watch_drawn_copy`]); `false` when it
    /// was dropped as the app started, or there was none.
    pub async fn drawn_copy_kept_at_mount(&self, path: &str) -> bool {
        self.c().goto(&format!("{}{path}", self.base)).await.expect("navigate");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let v = self.c().execute("return window.__copyAtMount", vec![]).await.expect("read");
            if let Some(kept) = v.as_bool() {
                return kept;
            }
            assert!(Instant::now() < deadline, "{path}: the app did not mount");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Makes every request go to the network, as a first visit's do.
    pub async fn disable_cache(&self) {
        for (cmd, params) in [("Network.enable", serde_json::json!({})), ("Network.setCacheDisabled", serde_json::json!({ "cacheDisabled": true }))] {
            self.c().issue_cmd(Cdp { cmd, params }).await.unwrap_or_else(|e| panic!("chromedriver {cmd}: {e}"));
        }
    }

    /// Ends the network emulation: the page is online again.
    pub async fn go_online(&self) {
        if self.c().issue_cmd(NetworkConditions(None)).await.is_err() {
            self.c().issue_cmd(NetworkConditions(Some(false))).await.expect("chromedriver network emulation: back online");
        }
    }

    /// Opens `path` and waits for the app: a screen drawn into the page
    /// (see `e2e::prerender`) is in view until the app has drawn its own, and
    /// a test acts on the app.
    pub async fn open(&self, path: &str) {
        self.c().goto(&format!("{}{path}", self.base)).await.expect("navigate");
        self.wait_for_app().await;
    }

    /// Reloads the page, as the shopper's reload button does, and waits for the app.
    pub async fn reload(&self) {
        self.c().refresh().await.expect("reload");
        self.wait_for_app().await;
    }

    /// Waits until no screen drawn into the page stands in for the app's.
    pub async fn wait_for_app(&self) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let drawn = self
                .c()
                .execute("return document.documentElement.dataset.prerendered ?? null", vec![])
                .await
                .expect("run script");
            let Some(screen) = drawn.as_str() else { return };
            if Instant::now() > deadline {
                panic!("the drawn {screen} screen was still in view after 15 s: the app did not draw its own");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The text of the first element matching `css`, or None if there is none.
    pub async fn text(&self, css: &str) -> Option<String> {
        let v = self
            .c()
            .execute("const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", vec![css.into()])
            .await
            .expect("run script");
        v.as_str().map(str::to_owned)
    }

    pub async fn count(&self, css: &str) -> usize {
        let v = self
            .c()
            .execute("return document.querySelectorAll(arguments[0]).length;", vec![css.into()])
            .await
            .expect("run script");
        v.as_u64().unwrap_or(0) as usize
    }

    /// Waits until the text of `css` satisfies `ok`, and returns it.
    pub async fn wait_text(&self, css: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let t = self.text(css).await;
            if let Some(t) = &t {
                if ok(t) {
                    return t.clone();
                }
            }
            if Instant::now() > deadline {
                panic!("timed out waiting on {css:?}; last text: {t:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn wait_count(&self, css: &str, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while self.count(css).await != n {
            if Instant::now() > deadline {
                panic!("timed out waiting for {n} of {css:?}, have {}", self.count(css).await);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn click(&self, css: &str) {
        let el = self
            .c()
            .wait()
            .at_most(Duration::from_secs(15))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css:?}: {e}"));
        el.click().await.unwrap_or_else(|e| panic!("click {css:?}: {e}"));
    }

    pub async fn wait_stored_cart(&self) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let v = self
                .c()
                .execute("return localStorage.getItem('checkout.cart.v1')", vec![])
                .await
                .expect("read storage");
            if !v.is_null() {
                return;
            }
            assert!(Instant::now() < deadline, "the app never saved its cart");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn title(&self) -> String {
        self.c().title().await.expect("title")
    }

    /// Types `value` into the field `css`.
    pub async fn type_into(&self, css: &str, value: &str) {
        self.c().find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("no {css:?}: {e}")).send_keys(value).await.expect("type");
    }

    /// Puts the headlamp in the cart from its page (opened with `query`, such
    /// as `?scenario=...`) and opens the checkout.
    pub async fn headlamp_to_checkout(&self, query: &str) {
        self.open(&format!("/products/headlamp{query}")).await;
        self.wait_text("h1", |t| t.contains("headlamp")).await;
        self.click(".product button[type=submit]").await;
        self.wait_text(".product__feedback", |t| t.contains("Added")).await;
        self.open("/checkout").await;
    }

    /// Fills the checkout (the address of [`ADDRESS`] and the card `number`),
    /// then waits for the quote's total.
    pub async fn fill_checkout(&self, number: &str) {
        self.wait_text("h1", |t| t == "Checkout").await;
        for (css, value) in ADDRESS.iter().chain(&card_fields(number)) {
            self.type_into(css, value).await;
        }
        self.wait_text("[data-testid=checkout-total]", |t| !t.is_empty()).await;
    }

    /// Reloads the page until `css` shows a text that `ok` accepts, for at
    /// most `within` (things the mock or the server do by themselves).
    pub async fn reload_until(&self, css: &str, within: Duration, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + within;
        loop {
            self.reload().await;
            let seen = self.wait_text(css, |t| !t.is_empty()).await;
            if ok(&seen) {
                return seen;
            }
            assert!(Instant::now() < deadline, "{css} stayed {seen:?}");
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }
}

/// A shopper's address and contact at checkout, field by field, in form order.
pub const ADDRESS: [(&str, &str); 8] = [
    ("#co-given", "Ana"),
    ("#co-family", "López"),
    ("#co-line1", "1 Market St"),
    ("#co-city", "San Francisco"),
    ("#co-region", "CA"),
    ("#co-postal", "94105"),
    ("#co-phone", "+1 415 555 2671"),
    ("#co-email", "ana@example.com"),
];

/// The card form's fields for the test card `number`, in form order.
pub fn card_fields(number: &str) -> [(&'static str, &str); 4] {
    [("#card-number", number), ("#card-expiry", "12/30"), ("#card-cvc", "123"), ("#card-name", "Ana López")]
}


/// `POST /session/{id}/chromium/network_conditions` (offline or not), or
/// `DELETE` of the same to end the emulation.
#[derive(Debug)]
struct NetworkConditions(Option<bool>);

impl fantoccini::wd::WebDriverCompatibleCommand for NetworkConditions {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/chromium/network_conditions", session_id.unwrap_or_default()))
    }
    fn method_and_body(&self, _: &url::Url) -> (axum::http::Method, Option<String>) {
        match self.0 {
            Some(offline) => (
                axum::http::Method::POST,
                Some(serde_json::json!({"network_conditions": {"offline": offline, "latency": 0, "download_throughput": -1, "upload_throughput": -1}}).to_string()),
            ),
            None => (axum::http::Method::DELETE, None),
        }
    }
}

/// `POST /session/{id}/goog/cdp/execute`: one Chrome DevTools Protocol command.
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/goog/cdp/execute", session_id.unwrap_or_default()))
    }
    fn method_and_body(&self, _: &url::Url) -> (axum::http::Method, Option<String>) {
        (axum::http::Method::POST, Some(serde_json::json!({ "cmd": self.cmd, "params": self.params }).to_string()))
    }
}
