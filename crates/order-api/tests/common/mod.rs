//! What the server tests share: a native transport for `HttpApi` (hyper, over
//! loopback), a server started in process on a fresh database, and raw
//! requests for what the `OrderApi` trait does not show (statuses, headers).

#![allow(dead_code)]

use std::cell::Cell;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use checkout_api::http::{HttpApi, HttpRequest, HttpResponse, MemoryTokenStore, Method, Transport, TransportError};
use marketplace::Scenario;
use checkout_core::time::Timestamp;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use checkout_api::tokenizer::{CardDetails, MockTokenizer, Tokenizer};
use checkout_api::{FileContent, PaymentMethod, PlaceOrder, QuoteRequest};
use checkout_core::validate::address::AddressInput;
use checkout_core::validate::card::Expiry;
use order_api::{serve, Config, Server};

/// Where the mock's clock starts on a fresh state (its epoch plus 25 days):
/// the server starts there too, so both price coupons alike.
pub const MOCK_START: Timestamp = Timestamp(1_793_491_200 + 25 * 86_400);

pub struct HyperTransport {
    client: Client<HttpConnector, Full<Bytes>>,
    rng: Cell<u64>,
}

impl Default for HyperTransport {
    fn default() -> Self {
        HyperTransport { client: Client::builder(TokioExecutor::new()).build_http(), rng: Cell::new(0x9E37_79B9_7F4A_7C15) }
    }
}

#[async_trait(?Send)]
impl Transport for HyperTransport {
    async fn send(&self, req: HttpRequest, timeout_ms: u32) -> Result<HttpResponse, TransportError> {
        let mut builder = hyper::Request::builder().method(req.method.as_str()).uri(&req.path);
        for (name, value) in &req.headers {
            builder = builder.header(name, value);
        }
        let request = builder
            .body(Full::new(match req.upload {
                Some(FileContent::Bytes(b)) => Bytes::copy_from_slice(&b),
                None => Bytes::from(req.body.unwrap_or_default()),
            }))
            .map_err(|e| TransportError::Other(e.to_string()))?;
        let exchange = async {
            let resp = self.client.request(request).await.map_err(|e| {
                if e.is_connect() {
                    TransportError::Offline
                } else {
                    TransportError::Other(e.to_string())
                }
            })?;
            let status = resp.status().as_u16();
            let headers = resp
                .headers()
                .iter()
                .map(|(n, v)| (n.as_str().to_ascii_lowercase(), v.to_str().unwrap_or("").to_owned()))
                .collect();
            let body = resp.into_body().collect().await.map_err(|e| TransportError::Other(e.to_string()))?.to_bytes();
            Ok(HttpResponse { status, headers, body: String::from_utf8_lossy(&body).into_owned() })
        };
        tokio::time::timeout(Duration::from_millis(u64::from(timeout_ms)), exchange)
            .await
            .map_err(|_| TransportError::TimedOut)?
    }

    async fn sleep(&self, ms: u32) {
        tokio::time::sleep(Duration::from_millis(u64::from(ms))).await;
    }

    fn random(&self) -> u64 {
        let mut x = self.rng.get();
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.rng.set(x);
        x
    }
}

pub type Client_ = HttpApi<HyperTransport, MemoryTokenStore>;

/// A new buyer's client (a token is made on first use).
pub fn client(server: &TestServer) -> Client_ {
    HttpApi::new(HyperTransport::default(), &format!("http://{}/api", server.addr), MemoryTokenStore::default())
}

/// A database file of its own for each server, in the system's temp folder.
pub fn temp_db(name: &str) -> PathBuf {
    static N: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!("order-api-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}-{}.sqlite3", N.fetch_add(1, Ordering::Relaxed)));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    path
}

pub struct TestServer {
    pub addr: std::net::SocketAddr,
    pub db: PathBuf,
    server: Server,
}

impl TestServer {
    pub async fn stop(self) {
        self.server.stop().await;
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

pub fn config(db: PathBuf) -> Config {
    Config {
        db,
        addr: "127.0.0.1:0".parse().unwrap(),
        dist: None,
        speed: 1,
        scenario: Scenario::HappyPath,
        dev: true,
        start: Some(MOCK_START),
        ..Config::default()
    }
}

pub async fn start(config: Config) -> TestServer {
    let db = config.db.clone();
    let (addr, server) = serve(config).await.expect("the server starts");
    TestServer { addr, db, server }
}

pub async fn start_fresh(name: &str) -> TestServer {
    start(config(temp_db(name))).await
}

/// One request as written, with no retries: for statuses and headers.
pub async fn raw(server: &TestServer, method: Method, path: &str, headers: &[(&str, &str)], body: Option<&str>) -> HttpResponse {
    let req = HttpRequest {
        method,
        path: server.url(path),
        headers: headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect(),
        body: body.map(str::to_owned),
        upload: None,
    };
    HyperTransport::default().send(req, 10_000).await.expect("the server answers")
}

/// A buyer token straight from the server.
pub async fn token(server: &TestServer) -> String {
    let resp = raw(server, Method::Post, "/api/buyers", &[], None).await;
    assert_eq!(resp.status, 201, "{}", resp.body);
    let v: serde_json::Value = serde_json::from_str(&resp.body).unwrap();
    v["token"].as_str().unwrap().to_owned()
}

/// Two products from two sellers of the seed catalog.
pub fn cart() -> checkout_core::cart::Cart {
    let catalog = marketplace::world::catalog();
    let mut cart = checkout_core::cart::Cart::default();
    cart.add(catalog.product(&checkout_core::catalog::ProductId("bamboo-desk-lamp".into())).unwrap(), None, 1).unwrap();
    cart.add(catalog.product(&checkout_core::catalog::ProductId("headlamp".into())).unwrap(), None, 1).unwrap();
    cart
}

/// The shopper's delivery address: San Francisco.
pub fn address() -> AddressInput {
    AddressInput {
        country: "US".into(),
        given_name: "Ana".into(),
        family_name: "López".into(),
        line1: "1 Market St".into(),
        line2: String::new(),
        city: "San Francisco".into(),
        region: "CA".into(),
        postal_code: "94105".into(),
    }
}

pub const EMAIL: &str = "ana@example.com";

/// A checkout of [`cart`] to San Francisco, paid with the test card `card`.
pub async fn place_request(api: &dyn checkout_api::OrderApi, key: &str, card: &str) -> PlaceOrder {
    let quote_req = QuoteRequest { cart: cart(), country: "US".into(), ..Default::default() };
    let total = api.quote(&quote_req).await.unwrap().totals.total;
    let details = CardDetails { number: card.into(), expiry: "12/30".into(), cvc: "123".into(), name: "Ana López".into() };
    let token = MockTokenizer.tokenize(&details, Expiry { year: 2026, month: 11 }).await.unwrap();
    PlaceOrder {
        idempotency_key: key.into(),
        quote: quote_req,
        expected_total: total,
        address: address(),
        email: EMAIL.into(),
        phone: "+1 415 555 2671".into(),
        payment: PaymentMethod::Card(token),
    }
}
