//! A headless Chromium for the measurements that need more than the shared
//! [`crate::browser::Browser`] offers: extra command-line flags (`--js-flags=--expose-gc`
//! and precise memory figures for the memory readings) and the page-load
//! strategy `none`, so that `goto` returns as soon as the navigation starts and
//! the page can be watched while it loads. The shared browser takes neither,
//! and it is not ours to change; this starts chromedriver the same way.

use std::net::TcpListener;
use std::process::Stdio;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use tokio::process::{Child, Command};

use super::Result;

/// Flags for the memory readings: `gc()` in pages, and `performance.memory`
/// exact and current (it is rounded and cached without the second flag).
pub const MEMORY_ARGS: &[&str] = &["--js-flags=--expose-gc", "--enable-precise-memory-info"];

/// When `goto` returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageLoad {
    /// After the load event (WebDriver's default).
    Normal,
    /// As soon as the navigation has started.
    None,
}

pub struct Chrome {
    pub client: Client,
    _driver: Child,
    _profile: Profile,
}

/// The browser profile's directory, removed with the browser.
struct Profile(std::path::PathBuf);
impl Drop for Profile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn free_port() -> Result<u16> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

fn var_or(var: &str, default: &str) -> String {
    std::env::var(var).unwrap_or_else(|_| default.to_string())
}

impl Chrome {
    /// Starts chromedriver and a headless Chromium with a new, empty profile.
    pub async fn start(extra_args: &[&str], page_load: PageLoad) -> Result<Chrome> {
        let port = free_port()?;
        let driver = Command::new(var_or("CHROMEDRIVER", "chromedriver"))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot start chromedriver ({e}); scripts/setup.sh --browser installs it"))?;
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let profile = std::env::temp_dir().join(format!("bench-chromium-{port}-{}", std::process::id()));
        let mut args: Vec<String> = crate::browser::CHROMIUM_ARGS.iter().chain(extra_args).map(|s| s.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({ "binary": var_or("CHROMIUM", "/usr/bin/chromium"), "args": args }),
        );
        if page_load == PageLoad::None {
            caps.insert("pageLoadStrategy".into(), "none".into());
        }
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .map_err(|e| format!("no Chromium session through chromedriver: {e}"))?;
        Ok(Chrome { client, _driver: driver, _profile: Profile(profile) })
    }

    /// Ends the WebDriver session (chromedriver itself stops when this is dropped).
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}
