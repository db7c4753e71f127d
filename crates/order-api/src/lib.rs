//! The reference order server: the order API contract (`checkout_api`) over
//! HTTP under `/api`, on SQLite, with the mock's rules and scenarios, and
//! optionally the built app (`--dist`) with its client routes, its first
//! screens drawn into the page (`pages`), and a strict
//! Content-Security-Policy. The wire contract is `docs/openapi.json`, generated
//! by [`openapi::document`].
//!
//! Tests start it in process with [`serve`] on `127.0.0.1:0`.

mod guard;
pub mod openapi;
mod pages;
mod routes;
mod tries;
mod uploads;
pub mod store;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use marketplace::Scenario;
use checkout_core::time::Timestamp;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use pages::public_origin;
pub use routes::{csp_for_page, router};
use store::Store;

/// Largest JSON request body accepted; larger ones get 413. Evidence uploads
/// have their own limits, by type (`uploads`).
pub const BODY_LIMIT: usize = 64 * 1024;

/// The policy every response carries.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'; form-action 'self'";

/// How the server runs (the command line's flags).
#[derive(Clone, Debug)]
pub struct Config {
    /// The SQLite file; created and migrated at start.
    pub db: PathBuf,
    /// Where uploaded evidence files are kept, one file per evidence id; by
    /// default next to the database (`<db>.evidence`).
    pub evidence: Option<PathBuf>,
    pub addr: SocketAddr,
    /// The built app to serve, with client routes getting the app's page.
    pub dist: Option<PathBuf>,
    /// The shop's public origin (`https://shop.example`, from
    /// [`public_origin`]): product pages then name themselves and their image
    /// by absolute URLs, as link previews need.
    pub public_url: Option<String>,
    /// Server seconds per real second.
    pub speed: u32,
    /// How sellers, carriers, banks and the network behave for new orders.
    pub scenario: Scenario,
    /// Enables `POST /api/dev/skip`, which moves the clock forward.
    pub dev: bool,
    /// Where the clock of a fresh database starts (the wall clock if none).
    pub start: Option<Timestamp>,
    /// How long a client may take to send a request's headers, and then its
    /// body, before the connection is closed.
    pub header_timeout: Duration,
    pub body_timeout: Duration,
    /// Connections served at once; more are closed as they arrive.
    pub max_connections: usize,
    /// New buyer tokens one client may ask for in a minute.
    pub buyers_per_minute: u32,
    /// Changes one buyer may ask for in a minute: placing, paying, actions
    /// on orders, uploads.
    pub writes_per_minute: u32,
}

impl Config {
    pub fn evidence_dir(&self) -> PathBuf {
        self.evidence.clone().unwrap_or_else(|| {
            let mut name = self.db.clone().into_os_string();
            name.push(".evidence");
            PathBuf::from(name)
        })
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            db: PathBuf::from("order-api.sqlite3"),
            evidence: None,
            addr: SocketAddr::from(([127, 0, 0, 1], 8787)),
            dist: None,
            public_url: None,
            speed: 1,
            scenario: Scenario::HappyPath,
            dev: false,
            start: None,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            max_connections: 1024,
            buyers_per_minute: 60,
            writes_per_minute: 120,
        }
    }
}

/// What the handlers share.
pub struct AppState {
    pub(crate) store: Store,
    pub(crate) config: Config,
    /// Tracking tries per client and per order number.
    pub(crate) track_tries: tries::Tries,
    /// New tokens per client, and changes per buyer, in a minute.
    pub(crate) new_buyers: tries::Tries,
    pub(crate) writes: tries::Tries,
    /// The app's first screens as drawn for the page (`pages`).
    pub(crate) drawings: pages::Drawings,
}

/// Tracking tries allowed per client, and per order number, in a minute.
pub const TRACK_TRIES_PER_MINUTE: u32 = 20;

pub type Shared = Arc<AppState>;

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Opens the database and builds the state the router needs.
pub fn state(config: Config) -> Result<Shared, BoxError> {
    let store = Store::open(&config.db, config.scenario, config.speed, config.start)
        .map_err(|e| format!("cannot open {}: {e:?}", config.db.display()))?;
    let minute = Duration::from_secs(60);
    let track_tries = tries::Tries::new(TRACK_TRIES_PER_MINUTE, minute);
    let new_buyers = tries::Tries::new(config.buyers_per_minute, minute);
    let writes = tries::Tries::new(config.writes_per_minute, minute);
    Ok(Arc::new(AppState { store, config, track_tries, new_buyers, writes, drawings: pages::Drawings::default() }))
}

/// A running server: stop it with [`Server::stop`].
pub struct Server {
    pub addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Server {
    /// Stops accepting, lets requests in flight finish (for up to 5 seconds),
    /// and closes the database.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if tokio::time::timeout(std::time::Duration::from_secs(5), &mut self.task).await.is_err() {
            self.task.abort();
            let _ = (&mut self.task).await;
        }
    }

    /// Waits until the server stops by itself (an error) or forever.
    pub async fn wait(self) -> std::io::Result<()> {
        let Server { shutdown, task, .. } = self;
        let result = task.await.map_err(std::io::Error::other)?;
        drop(shutdown);
        result
    }
}

/// Starts the server on `config.addr` (port 0 picks a free one) in the
/// current tokio runtime; returns at once with the address it listens on.
///
/// Each connection is hyper's HTTP/1 with a header-read timeout, its request
/// bodies read under a timeout (`guard`), and at most `max_connections` at
/// once: a client that sends half a request, or opens many, holds nothing
/// for long.
pub async fn serve(config: Config) -> Result<(SocketAddr, Server), BoxError> {
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    let addr = listener.local_addr()?;
    let (header_timeout, max_connections) = (config.header_timeout, config.max_connections);
    let app: Router = router(state(config)?);
    let (tx, mut rx) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let open = Arc::new(tokio::sync::Semaphore::new(max_connections));
        let graceful = hyper_util::server::graceful::GracefulShutdown::new();
        loop {
            tokio::select! {
                accepted = listener.accept() => {
                    // A failed accept (too many open files, a reset) ends
                    // that connection, not the server.
                    let Ok((stream, peer)) = accepted else { continue };
                    let Ok(permit) = Arc::clone(&open).try_acquire_owned() else { continue };
                    // Who is asking, for the limits kept per client.
                    let app = tower::ServiceExt::map_request(app.clone(), move |mut req: axum::extract::Request<hyper::body::Incoming>| {
                        req.extensions_mut().insert(axum::extract::ConnectInfo(peer));
                        req
                    });
                    let service = hyper_util::service::TowerToHyperService::new(app);
                    let connection = hyper::server::conn::http1::Builder::new()
                        .timer(hyper_util::rt::TokioTimer::new())
                        .header_read_timeout(header_timeout)
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
                    let connection = graceful.watch(connection);
                    tokio::spawn(async move {
                        let _ = connection.await;
                        drop(permit);
                    });
                }
                _ = &mut rx => break,
            }
        }
        drop(listener);
        // Requests in flight finish; Server::stop bounds the wait.
        graceful.shutdown().await;
        Ok(())
    });
    Ok((addr, Server { addr, shutdown: Some(tx), task }))
}
