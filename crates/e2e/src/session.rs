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
        "no release bundle at {}: run `trunk build --release` first",
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

    pub async fn open(&self, path: &str) {
        self.c().goto(&format!("{}{path}", self.base)).await.expect("navigate");
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
}

