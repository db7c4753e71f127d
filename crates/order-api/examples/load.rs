//! Load on the reference server: one buyer with 500 orders whose list is
//! polled by several clients at once, and what an unrelated request
//! (`GET /api/now`) waits meanwhile. Prints figures; asserts nothing.
//!
//!     cargo run --release -p order-api --example load [-- --orders 500 --pollers 4 --seconds 5]
//!
//! The server runs in this process on a fresh database in the system's temp
//! folder, on a tokio runtime of its own; the clients run on another, over
//! loopback. The pollers ask `GET /api/orders` as the app does (the first
//! page; a server without paging answers the whole list).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use checkout_api::tokenizer::{CardDetails, MockTokenizer, Tokenizer};
use checkout_api::{PaymentMethod, PlaceOrder, QuoteRequest};
use checkout_core::cart::Cart;
use checkout_core::catalog::ProductId;
use checkout_core::checkout::Quote;
use checkout_core::validate::address::AddressInput;
use checkout_core::validate::card::Expiry;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

type Http = Client<HttpConnector, Full<Bytes>>;

struct Args {
    orders: usize,
    pollers: usize,
    seconds: u64,
}

fn args() -> Args {
    let mut a = Args { orders: 500, pollers: 4, seconds: 5 };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().and_then(|v| v.parse::<u64>().ok()).unwrap_or_else(|| panic!("{flag} needs a number"));
        match flag.as_str() {
            "--orders" => a.orders = value() as usize,
            "--pollers" => a.pollers = value() as usize,
            "--seconds" => a.seconds = value(),
            other => panic!("unknown flag {other}; see the file's header"),
        }
    }
    a
}

async fn call(http: &Http, method: &str, url: &str, headers: &[(&str, &str)], body: Option<String>) -> (u16, Bytes) {
    let mut req = hyper::Request::builder().method(method).uri(url);
    for (n, v) in headers {
        req = req.header(*n, *v);
    }
    let req = req.body(Full::new(Bytes::from(body.unwrap_or_default()))).expect("a request");
    let resp = http.request(req).await.expect("the server answers");
    let status = resp.status().as_u16();
    (status, resp.into_body().collect().await.expect("a body").to_bytes())
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn main() {
    let a = args();
    let db = std::env::temp_dir().join(format!("order-api-load-{}.sqlite3", std::process::id()));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    // The server on a runtime of its own, as in production.
    let server_rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
    // One buyer places every order as fast as it can: no per-buyer limit here.
    let config = order_api::Config { db: db.clone(), addr: "127.0.0.1:0".parse().unwrap(), writes_per_minute: u32::MAX, ..Default::default() };
    let (addr, server) = server_rt.block_on(order_api::serve(config)).expect("the server starts");
    let clients = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
    clients.block_on(run(addr, &a));
    server_rt.block_on(server.stop());
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
}

async fn run(addr: SocketAddr, a: &Args) {
    let http: Http = Client::builder(TokioExecutor::new()).build_http();
    let base = format!("http://{addr}/api");
    let (_, token) = call(&http, "POST", &format!("{base}/buyers"), &[], None).await;
    let token: serde_json::Value = serde_json::from_slice(&token).expect("a token");
    let auth = format!("Bearer {}", token["token"].as_str().expect("a token"));

    // One seller's product: one order per placement.
    let (_, catalog) = call(&http, "GET", &format!("{base}/catalog"), &[], None).await;
    let catalog: checkout_core::catalog::Catalog = serde_json::from_slice(&catalog).expect("the catalog");
    let mut cart = Cart::default();
    cart.add(catalog.product(&ProductId("headlamp".into())).expect("the headlamp"), None, 1).expect("in stock");
    let quote_req = QuoteRequest { cart, country: "US".into(), ..Default::default() };
    let (_, quote) = call(&http, "POST", &format!("{base}/quote"), &[("content-type", "application/json")], Some(serde_json::to_string(&quote_req).unwrap())).await;
    let quote: Quote = serde_json::from_slice(&quote).expect("a quote");
    let details = CardDetails { number: "4242424242424242".into(), expiry: "12/30".into(), cvc: "123".into(), name: "Ana López".into() };
    let card = MockTokenizer.tokenize(&details, Expiry { year: 2026, month: 11 }).await.expect("a token");
    let started = Instant::now();
    for i in 0..a.orders {
        let key = format!("00000000-0000-4000-8000-{:012}", i);
        let req = PlaceOrder {
            idempotency_key: key.clone(),
            quote: quote_req.clone(),
            expected_total: quote.totals.total,
            address: AddressInput {
                country: "US".into(),
                given_name: "Ana".into(),
                family_name: "López".into(),
                line1: "1 Market St".into(),
                line2: String::new(),
                city: "San Francisco".into(),
                region: "CA".into(),
                postal_code: "94105".into(),
            },
            email: "ana@example.com".into(),
            phone: "+1 415 555 2671".into(),
            payment: PaymentMethod::Card(card.clone()),
        };
        let headers = [("authorization", auth.as_str()), ("content-type", "application/json"), ("idempotency-key", key.as_str())];
        let (status, body) = call(&http, "POST", &format!("{base}/orders"), &headers, Some(serde_json::to_string(&req).unwrap())).await;
        assert_eq!(status, 201, "{}", String::from_utf8_lossy(&body));
    }
    let placing = started.elapsed();
    let (_, list) = call(&http, "GET", &format!("{base}/orders"), &[("authorization", auth.as_str())], None).await;

    let idle = measure_now(&http, &base, Duration::from_secs(a.seconds)).await;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut pollers = Vec::new();
    for _ in 0..a.pollers {
        let (http, url, auth, stop) = (http.clone(), format!("{base}/orders"), auth.clone(), stop.clone());
        pollers.push(tokio::spawn(async move {
            let mut times = Vec::new();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let t = Instant::now();
                let (status, _) = call(&http, "GET", &url, &[("authorization", auth.as_str())], None).await;
                assert_eq!(status, 200);
                times.push(t.elapsed());
            }
            times
        }));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let loaded = measure_now(&http, &base, Duration::from_secs(a.seconds)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut polls = Vec::new();
    for p in pollers {
        polls.extend(p.await.expect("a poller"));
    }
    polls.sort();

    println!("order-api under load: {} orders of one buyer (placed in {:.1} s), {} clients polling GET /api/orders ({} KB an answer), {} s a side", a.orders, placing.as_secs_f64(), a.pollers, list.len() / 1024, a.seconds);
    println!();
    println!("| GET /api/now | requests/s | p50 ms | p99 ms |");
    println!("|---|---|---|---|");
    for (label, times) in [("alone", &idle), ("while the list is polled", &loaded)] {
        let total: Duration = times.iter().sum();
        println!("| {label} | {:.0} | {:.2} | {:.2} |", times.len() as f64 / total.as_secs_f64().max(1e-9), percentile(times, 0.5), percentile(times, 0.99));
    }
    println!();
    let span = Duration::from_secs(a.seconds) + Duration::from_millis(300);
    println!(
        "GET /api/orders, all pollers: {:.0} requests/s, p50 {:.1} ms, p99 {:.1} ms",
        polls.len() as f64 / span.as_secs_f64(),
        percentile(&polls, 0.5),
        percentile(&polls, 0.99)
    );
}

/// `GET /api/now` one after another for `span`: each request's time, sorted.
async fn measure_now(http: &Http, base: &str, span: Duration) -> Vec<Duration> {
    let url = format!("{base}/now");
    let end = Instant::now() + span;
    let mut times = Vec::new();
    while Instant::now() < end {
        let t = Instant::now();
        let (status, _) = call(http, "GET", &url, &[], None).await;
        assert_eq!(status, 200);
        times.push(t.elapsed());
    }
    times.sort();
    times
}
