//! A headless Chromium session driven through chromedriver, started for one test
//! and stopped with it.

use std::net::TcpListener;
use std::process::Stdio;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use tokio::process::{Child, Command};

/// Headless, and none of the calls Chromium makes by itself to hosts this
/// machine cannot reach. The benchmark starts its browsers with these too.
pub const CHROMIUM_ARGS: &[&str] = &[
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--window-size=1280,900",
];

/// When `goto` returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageLoad {
    /// After the load event (WebDriver's default).
    Normal,
    /// As soon as the navigation has started (the benchmark watches the load).
    None,
}

pub struct Browser {
    pub client: Client,
    _driver: Child,
    _profile: TempDir,
}

/// The browser profile's directory, removed with the browser.
struct TempDir(std::path::PathBuf);
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

fn which(var: &str, default: &str) -> String {
    std::env::var(var).unwrap_or_else(|_| default.to_string())
}

/// Starts chromedriver on a free port and waits until it listens. On a busy
/// machine (two suites starting browsers at once) it can take seconds, and the
/// port found free can be taken before chromedriver binds it: then it tries
/// again on another port, three times in all.
async fn start_chromedriver() -> Result<(u16, Child), String> {
    let mut last = String::new();
    for _ in 0..3 {
        let port = free_port()?;
        let mut driver = Command::new(which("CHROMEDRIVER", "chromedriver"))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot start chromedriver ({e}); scripts/setup.sh --browser installs it"))?;
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return Ok((port, driver));
            }
            if let Ok(Some(status)) = driver.try_wait() {
                last = format!("chromedriver on port {port} exited ({status})");
                break;
            }
            if std::time::Instant::now() > deadline {
                last = format!("chromedriver did not listen on port {port} within 20 s");
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    Err(last)
}

impl Browser {
    /// Starts chromedriver and a fresh headless Chromium with its own profile,
    /// for a test (which fails at once if it cannot).
    pub async fn start() -> Browser {
        Browser::launch(&[], PageLoad::Normal).await.unwrap_or_else(|e| panic!("{e}"))
    }

    /// The same with more Chromium flags and a page-load strategy; the reason
    /// if it cannot start.
    ///
    /// Two suites start browsers at once, so the port a chromedriver was
    /// given can turn out to be another one's (both found it free; ours then
    /// exits, and the other stops with its test): a session that cannot be
    /// made is tried again with a new chromedriver, three times in all.
    pub async fn launch(extra_args: &[&str], page_load: PageLoad) -> Result<Browser, String> {
        let mut last = String::new();
        for _ in 0..3 {
            match Browser::launch_once(extra_args, page_load).await {
                Ok(browser) => return Ok(browser),
                Err(e) => last = e,
            }
        }
        Err(last)
    }

    async fn launch_once(extra_args: &[&str], page_load: PageLoad) -> Result<Browser, String> {
        let (port, mut driver) = start_chromedriver().await?;
        let profile = std::env::temp_dir().join(format!("e2e-chromium-{port}-{}", std::process::id()));
        let mut args: Vec<String> = CHROMIUM_ARGS.iter().chain(extra_args).map(|s| s.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({ "binary": which("CHROMIUM", "/usr/bin/chromium"), "args": args }),
        );
        if page_load == PageLoad::None {
            caps.insert("pageLoadStrategy".into(), "none".into());
        }
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .map_err(|e| format!("no Chromium session through chromedriver: {e}"));
        let client = match (client, driver.try_wait()) {
            (Ok(client), Ok(None)) => client,
            (Ok(client), exited) => {
                // The session is another test's chromedriver's: leave it.
                let _ = client.close().await;
                let _ = std::fs::remove_dir_all(&profile);
                return Err(format!("chromedriver on port {port} exited ({exited:?}); the port was another's"));
            }
            (Err(e), _) => {
                let _ = std::fs::remove_dir_all(&profile);
                return Err(e);
            }
        };
        Ok(Browser { client, _driver: driver, _profile: TempDir(profile) })
    }

    /// Ends the WebDriver session (chromedriver itself stops when this is dropped).
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}
