//! The server attacked as an outsider would: a panicking handler, requests
//! sent by halves, bodies of the wrong type, values it must not repeat, and
//! what every answer must carry. Each fails on a server without the guard.

mod common;

use std::time::{Duration, Instant};

use checkout_api::http::Method;
use checkout_api::{AllOrders, OrderApi};
use common::*;
use order_api::Config;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

#[tokio::test]
async fn a_panicking_handler_gets_a_500_and_the_server_goes_on_answering() {
    let server = start_fresh("panic").await;
    let resp = raw(&server, Method::Post, "/api/dev/panic", &[], None).await;
    assert_eq!((resp.status, json(&resp.body)), (500, serde_json::json!({"error": "internal"})));
    for _ in 0..3 {
        assert_eq!(raw(&server, Method::Get, "/api/now", &[], None).await.status, 200, "still answering");
    }
    // The build a shop runs unwinds too (the workspace's release profile aborts).
    let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../Cargo.toml")).unwrap();
    let profile = manifest.split("[profile.server]").nth(1).expect("a [profile.server] for the reference server");
    assert!(profile.split("\n[").next().unwrap().contains("panic = \"unwind\""), "{profile}");
    let script = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/server.sh")).unwrap();
    assert!(script.contains("--profile server"), "scripts/server.sh builds the server with its profile");
    server.stop().await;
}

/// Reads what the server sends until it closes, or `limit` passes.
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> (String, Duration) {
    let started = Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let left = limit.saturating_sub(started.elapsed());
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (String::from_utf8_lossy(&got).into_owned(), started.elapsed()),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
            Err(_) => panic!("still open after {limit:?}; got {:?}", String::from_utf8_lossy(&got)),
        }
    }
}

#[tokio::test]
async fn half_sent_requests_are_closed_within_seconds() {
    let quick = Config { header_timeout: Duration::from_secs(1), body_timeout: Duration::from_secs(1), ..config(temp_db("halves")) };
    let server = start(quick).await;
    // Headers that never end.
    let mut headers = TcpStream::connect(server.addr).await.unwrap();
    headers.write_all(b"POST /api/quote HTTP/1.1\r\nHost: shop\r\nContent-Type: application/json\r\n").await.unwrap();
    let (_, took) = read_until_closed(&mut headers, Duration::from_secs(5)).await;
    assert!(took < Duration::from_secs(4), "closed after {took:?}");
    // A body that stops halfway.
    let mut body = TcpStream::connect(server.addr).await.unwrap();
    body.write_all(b"POST /api/quote HTTP/1.1\r\nHost: shop\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"cart\":").await.unwrap();
    let (answer, took) = read_until_closed(&mut body, Duration::from_secs(5)).await;
    assert!(took < Duration::from_secs(4), "closed after {took:?}");
    assert!(answer.starts_with("HTTP/1.1 400") || answer.starts_with("HTTP/1.1 408") || answer.is_empty(), "{answer}");
    assert_eq!(raw(&server, Method::Get, "/api/now", &[], None).await.status, 200, "and it still answers others");
    server.stop().await;
}

#[tokio::test]
async fn every_error_is_json_and_repeats_nothing_sent() {
    let server = start_fresh("errors-json").await;
    let ct = ("Content-Type", "application/json");
    // A value that is not one of the allowed ones, long and unique (serde's
    // own message quotes it): the answer must not carry it.
    let secret = format!("never-echo-{}", "x".repeat(40_000));
    let body = format!(r#"{{"cart": {{"lines": []}}, "shipping": {{"s1": "{secret}"}}, "coupon": null, "country": "US"}}"#);
    let resp = raw(&server, Method::Post, "/api/quote", &[ct], Some(&body)).await;
    assert_eq!(resp.status, 400);
    assert!(!resp.body.contains("never-echo"), "{}", resp.body);
    assert!(resp.body.len() < 300, "{} bytes", resp.body.len());
    assert_eq!(json(&resp.body)["error"], "bad_request");

    let text = raw(&server, Method::Post, "/api/quote", &[("Content-Type", "text/plain")], Some("{}")).await;
    assert_eq!((text.status, json(&text.body)["error"].clone()), (415, Value::from("unsupported_media_type")));
    let none = raw(&server, Method::Post, "/api/quote", &[], Some("{}")).await;
    assert_eq!(none.status, 415);

    let wrong_method = raw(&server, Method::Post, "/api/now", &[ct], Some("{}")).await;
    assert_eq!((wrong_method.status, json(&wrong_method.body)), (405, serde_json::json!({"error": "method_not_allowed"})));
    let bad_path = raw(&server, Method::Get, "/api/products/%FF%FE", &[], None).await;
    assert!(bad_path.status == 400 || bad_path.status == 404, "{}", bad_path.status);
    assert!(json(&bad_path.body)["error"].is_string(), "{}", bad_path.body);
    server.stop().await;
}

#[tokio::test]
async fn api_answers_are_never_cached_and_https_gets_hsts() {
    let server = start_fresh("headers").await;
    let plain = raw(&server, Method::Get, "/api/now", &[], None).await;
    assert_eq!(plain.header("cache-control"), Some("no-store"));
    assert_eq!(plain.header("strict-transport-security"), None, "not over plain http");
    let token = token(&server).await;
    let orders = raw(&server, Method::Get, "/api/orders", &[("Authorization", &format!("Bearer {token}"))], None).await;
    assert_eq!(orders.header("cache-control"), Some("no-store"), "a buyer's orders, with addresses");
    let missing = raw(&server, Method::Get, "/api/orders/nope", &[("Authorization", &format!("Bearer {token}"))], None).await;
    assert_eq!(missing.header("cache-control"), Some("no-store"), "errors too");
    let https = raw(&server, Method::Get, "/api/now", &[("X-Forwarded-Proto", "https")], None).await;
    assert_eq!(https.header("strict-transport-security"), Some("max-age=31536000"));
    server.stop().await;
}

/// Tracking needs no account, so guessing must get nowhere: numbers say
/// nothing of each other, and a 21st try in a minute is refused, even one
/// with the right number and email.
#[tokio::test]
async fn guessing_order_numbers_gets_nowhere() {
    let server = start_fresh("guessing").await;
    let api = client(&server);
    let mut numbers = Vec::new();
    for key in ["1b9a8c7d-6e5f-4a3b-9c1d-2e3f4a5b6c71", "1b9a8c7d-6e5f-4a3b-9c1d-2e3f4a5b6c72"] {
        let placed = api.place_order(&place_request(&api, key, "4242424242424242").await).await.unwrap();
        numbers.extend(placed.orders.iter().map(|o| o.number.parse::<u64>().unwrap()));
    }
    assert!(numbers.len() >= 4);
    for (i, a) in numbers.iter().enumerate() {
        for b in &numbers[i + 1..] {
            assert!(a.abs_diff(*b) > 1_000, "{numbers:?}: one number leads to the next");
        }
    }
    let ct = ("Content-Type", "application/json");
    let try_number = |n: String| format!(r#"{{"number": "{n}", "email": "ana@example.com"}}"#);
    for guess in 0..order_api::TRACK_TRIES_PER_MINUTE {
        let resp = raw(&server, Method::Post, "/api/track", &[ct], Some(&try_number(format!("81234567890{guess:02}")))).await;
        assert_eq!(resp.status, 404, "guess {guess}: {}", resp.body);
    }
    let right = raw(&server, Method::Post, "/api/track", &[ct], Some(&try_number(numbers[0].to_string()))).await;
    assert_eq!(right.status, 429, "the 21st try in a minute, even the right one: {}", right.body);
    assert!(!right.body.contains("Market St"), "never an address");
    let wait: u64 = right.header("retry-after").expect("Retry-After").parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    server.stop().await;
}

#[tokio::test]
async fn one_client_or_one_buyer_cannot_ask_for_without_limit() {
    let tight = Config { buyers_per_minute: 4, writes_per_minute: 2, ..config(temp_db("limits")) };
    let server = start(tight).await;
    // A buyer's changes: the third in a minute waits, and nothing is made by it.
    let api = client(&server);
    api.place_order(&place_request(&api, "8f1c7a52-3b7e-4f0e-9a41-0c6f3b1d2e21", "4000 0000 0000 0002").await).await.unwrap();
    api.place_order(&place_request(&api, "8f1c7a52-3b7e-4f0e-9a41-0c6f3b1d2e22", "4000 0000 0000 0002").await).await.unwrap();
    let req = place_request(&api, "8f1c7a52-3b7e-4f0e-9a41-0c6f3b1d2e23", "4000 0000 0000 0002").await;
    let body = serde_json::to_string(&req).unwrap();
    let auth = format!("Bearer {}", {
        use checkout_api::http::TokenStore;
        api.token_store().load().unwrap()
    });
    let headers = [("authorization", auth.as_str()), ("content-type", "application/json"), ("idempotency-key", req.idempotency_key.as_str())];
    let third = raw(&server, Method::Post, "/api/orders", &headers, Some(&body)).await;
    assert_eq!(third.status, 429, "{}", third.body);
    assert!(third.header("retry-after").is_some());
    assert_eq!(api.all_orders().await.unwrap().len(), 4, "two checkouts of two orders, not three");

    // New tokens from one client: the client above had the first.
    for _ in 0..3 {
        assert_eq!(raw(&server, Method::Post, "/api/buyers", &[], None).await.status, 201);
    }
    let fifth = raw(&server, Method::Post, "/api/buyers", &[], None).await;
    assert_eq!(fifth.status, 429, "{}", fifth.body);
    server.stop().await;
}

#[tokio::test]
async fn a_revoked_or_long_unused_token_opens_nothing() {
    let server = start_fresh("tokens").await;
    let revoked = token(&server).await;
    let auth = format!("Bearer {revoked}");
    assert_eq!(raw(&server, Method::Get, "/api/orders", &[("authorization", auth.as_str())], None).await.status, 200);
    assert_eq!(raw(&server, Method::Post, "/api/buyers/current/revoke", &[("authorization", auth.as_str())], None).await.status, 204);
    assert_eq!(raw(&server, Method::Get, "/api/orders", &[("authorization", auth.as_str())], None).await.status, 401);

    let idle = token(&server).await;
    let auth = format!("Bearer {idle}");
    assert_eq!(raw(&server, Method::Get, "/api/orders", &[("authorization", auth.as_str())], None).await.status, 200);
    // 181 days without a use.
    let db = rusqlite::Connection::open(&server.db).unwrap();
    db.execute("UPDATE buyers SET last_seen = last_seen - ?1", [181 * 24 * 3600]).unwrap();
    assert_eq!(raw(&server, Method::Get, "/api/orders", &[("authorization", auth.as_str())], None).await.status, 401);
    server.stop().await;
}

/// A whole number written `2.0` is the number 2 (JavaScript and many JSON
/// writers send it so); `2.5` where a whole number belongs is still a 400.
/// Lengths are counted in characters, as the document's `maxLength` does.
#[tokio::test]
async fn whole_floats_are_whole_numbers_and_lengths_count_characters() {
    let server = start_fresh("numbers").await;
    let ct = ("Content-Type", "application/json");
    let request = checkout_api::QuoteRequest { cart: cart(), country: "US".into(), ..Default::default() };
    let plain = serde_json::to_value(&request).unwrap();
    let mut floats = plain.clone();
    let quantity = floats["cart"]["lines"][0]["quantity"].as_u64().expect("a quantity");
    floats["cart"]["lines"][0]["quantity"] = serde_json::json!(quantity as f64);
    assert!(floats.to_string().contains(&format!("\"quantity\":{quantity}.0")), "{floats}");
    let a = raw(&server, Method::Post, "/api/quote", &[ct], Some(&plain.to_string())).await;
    let b = raw(&server, Method::Post, "/api/quote", &[ct], Some(&floats.to_string())).await;
    assert_eq!((a.status, b.status), (200, 200), "{}", b.body);
    assert_eq!(json(&a.body)["totals"], json(&b.body)["totals"]);

    floats["cart"]["lines"][0]["quantity"] = serde_json::json!(1.5);
    let half = raw(&server, Method::Post, "/api/quote", &[ct], Some(&floats.to_string())).await;
    assert_eq!(half.status, 400, "{}", half.body);
    assert!(json(&half.body)["detail"].as_str().unwrap().contains("wrong type"), "{}", half.body);

    // 60 characters of 3 bytes each (180 bytes) is within 64 characters.
    let number: String = "号".repeat(60);
    let track = serde_json::json!({ "number": number, "email": "ana@example.com" }).to_string();
    assert_eq!(raw(&server, Method::Post, "/api/track", &[ct], Some(&track)).await.status, 404);
    let track = serde_json::json!({ "number": "号".repeat(65), "email": "ana@example.com" }).to_string();
    let long = raw(&server, Method::Post, "/api/track", &[ct], Some(&track)).await;
    assert_eq!(long.status, 400);
    assert!(json(&long.body)["detail"].as_str().unwrap().contains("64 characters"), "{}", long.body);
    server.stop().await;
}
