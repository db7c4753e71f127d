//! What only the server has: buyers kept apart, orders kept across restarts,
//! idempotency and errors as HTTP statuses, limits, the built app with its
//! headers, and the checked-in OpenAPI document.

mod common;

use checkout_api::http::{Method, TokenStore};
use marketplace::Scenario;
use checkout_api::*;
use checkout_core::order::{DisputeReason, OrderId, RefundRequest};
use common::*;
use order_api::CSP;
use serde_json::Value;


const KEY: &str = "0b9a8c7d-6e5f-4a3b-9c1d-2e3f4a5b6c7d";

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

#[tokio::test]
async fn another_buyer_cannot_see_or_touch_the_first_buyers_orders() {
    let server = start_fresh("other_buyer").await;
    let ana = client(&server);
    let placed = ana.place_order(&place_request(&ana, KEY, "4242424242424242").await).await.unwrap();
    let id = placed.orders[0].id.clone();

    let bob = client(&server);
    assert_eq!(bob.all_orders().await, Ok(vec![]), "only this buyer's orders");
    assert_eq!(bob.order(&id).await, Err(ApiError::NotFound));
    assert_eq!(bob.cancel(&id).await, Err(ApiError::NotFound));
    let dispute = bob
        .open_dispute(
            &id,
            DisputeReason::NotReceived,
            RefundRequest::Full,
            "It never arrived at my address at all.".into(),
            vec![],
        )
        .await;
    assert_eq!(dispute, Err(ApiError::NotFound));
    let file = EvidenceUpload::from_bytes("a.png", b"\x89PNG\r\n\x1a\n\0\0".to_vec());
    assert_eq!(bob.upload_evidence(&id, &file).await, Err(ApiError::NotFound));
    let pay = PayAgain {
        idempotency_key: "1b9a8c7d-6e5f-4a3b-9c1d-2e3f4a5b6c7d".into(),
        order_ids: vec![id.clone()],
        payment: PaymentMethod::Wallet,
    };
    assert_eq!(bob.pay(&pay).await, Err(ApiError::NotFound));
    // Bob replaying Ana's key makes Bob's own orders, never returns Ana's.
    let bobs = bob.place_order(&place_request(&bob, KEY, "4242424242424242").await).await.unwrap();
    assert!(bobs.orders.iter().all(|o| !placed.orders.iter().any(|p| p.id == o.id)));

    // Ana's order is untouched.
    assert_eq!(ana.order(&id).await.unwrap().status, placed.orders[0].status);
    server.stop().await;
}

#[tokio::test]
async fn orders_survive_a_restart_on_the_same_database() {
    let db = temp_db("restart");
    let server = start(config(db.clone())).await;
    let api = client(&server);
    let placed = api.place_order(&place_request(&api, KEY, "4242424242424242").await).await.unwrap();
    let token = api.token_store().load().unwrap();
    let before = api.now().await.unwrap();
    server.stop().await;

    let server = start(config(db)).await;
    let api = client(&server);
    api.token_store().save(&token);
    let orders = api.all_orders().await.unwrap();
    let mut got: Vec<OrderId> = orders.iter().map(|o| o.id.clone()).collect();
    got.sort();
    let mut want: Vec<OrderId> = placed.orders.iter().map(|o| o.id.clone()).collect();
    want.sort();
    assert_eq!(got, want);
    assert!(api.now().await.unwrap() >= before, "the clock does not go back");
    // New orders get new numbers.
    let more =
        api.place_order(&place_request(&api, "2b9a8c7d-6e5f-4a3b-9c1d-2e3f4a5b6c7d", "4242424242424242").await).await.unwrap();
    assert!(more.orders.iter().all(|o| !placed.orders.iter().any(|p| p.number == o.number || p.id == o.id)));
    server.stop().await;
}

#[tokio::test]
async fn placing_twice_with_one_key_is_201_then_200_and_a_changed_body_409() {
    let server = start_fresh("idempotency").await;
    let token = token(&server).await;
    let auth = format!("Bearer {token}");
    let api = client(&server);
    let req = place_request(&api, KEY, "4242424242424242").await;
    let body = serde_json::to_string(&req).unwrap();
    let headers = [("Authorization", auth.as_str()), ("Content-Type", "application/json"), ("Idempotency-Key", KEY)];

    let first = raw(&server, Method::Post, "/api/orders", &headers, Some(&body)).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let again = raw(&server, Method::Post, "/api/orders", &headers, Some(&body)).await;
    assert_eq!(again.status, 200, "{}", again.body);
    let (a, b): (Placement, Placement) = (serde_json::from_str(&first.body).unwrap(), serde_json::from_str(&again.body).unwrap());
    assert_eq!(a, b, "the same answer");
    let list = raw(&server, Method::Get, "/api/orders", &[("Authorization", auth.as_str())], None).await;
    assert_eq!(json(&list.body)["orders"].as_array().unwrap().len(), 2, "one placement: one order per seller, once");

    let changed = serde_json::to_string(&PlaceOrder { email: "other@example.com".into(), ..req.clone() }).unwrap();
    let conflict = raw(&server, Method::Post, "/api/orders", &headers, Some(&changed)).await;
    assert_eq!(conflict.status, 409);
    assert_eq!(
        json(&conflict.body),
        serde_json::json!({"error": "conflict", "reason": {"reason": "key_reused_with_different_quote"}})
    );

    let no_key = raw(&server, Method::Post, "/api/orders", &headers[..2], Some(&body)).await;
    assert_eq!(no_key.status, 400);
    assert_eq!(json(&no_key.body)["error"], "bad_request");
    let other_key = [headers[0], headers[1], ("Idempotency-Key", "3b9a8c7d-6e5f-4a3b-9c1d-2e3f4a5b6c7d")];
    assert_eq!(raw(&server, Method::Post, "/api/orders", &other_key, Some(&body)).await.status, 400);
    server.stop().await;
}

#[tokio::test]
async fn errors_have_their_statuses_and_bodies() {
    let server = start_fresh("errors").await;
    let token = token(&server).await;
    assert!(token.len() >= 22, "at least 128 bits");
    assert!(token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "url-safe");
    let auth = format!("Bearer {token}");
    let ct = ("Content-Type", "application/json");

    let malformed = raw(&server, Method::Post, "/api/quote", &[ct], Some("{\"cart\": ")).await;
    assert_eq!(malformed.status, 400);
    let body = json(&malformed.body);
    assert_eq!(body["error"], "bad_request");
    assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()));
    let wrong_types =
        raw(&server, Method::Post, "/api/quote", &[ct], Some(r#"{"cart": 3, "shipping": {}, "coupon": null, "country": "US"}"#))
            .await;
    assert_eq!(wrong_types.status, 400);

    let huge = format!(r#"{{"number": "{}", "email": "a@b.c"}}"#, "9".repeat(70 * 1024));
    let too_large = raw(&server, Method::Post, "/api/track", &[ct], Some(&huge)).await;
    assert_eq!(too_large.status, 413);
    assert_eq!(json(&too_large.body)["error"], "too_large");

    for (path, headers) in [("/api/orders", vec![]), ("/api/orders", vec![("Authorization", "Bearer not-a-token")])] {
        let resp = raw(&server, Method::Get, path, &headers, None).await;
        assert_eq!(resp.status, 401);
        assert_eq!(json(&resp.body), serde_json::json!({"error": "unauthorized"}));
    }

    let missing = raw(&server, Method::Get, "/api/orders/ord_nope", &[("Authorization", auth.as_str())], None).await;
    assert_eq!((missing.status, json(&missing.body)), (404, serde_json::json!({"error": "not_found"})));
    let no_route = raw(&server, Method::Get, "/api/nothing-here", &[], None).await;
    assert_eq!((no_route.status, json(&no_route.body)), (404, serde_json::json!({"error": "not_found"})));
    let product = raw(&server, Method::Get, "/api/products/nope", &[], None).await;
    assert_eq!(product.status, 404);

    let refused = raw(
        &server,
        Method::Post,
        "/api/quote",
        &[ct],
        Some(r#"{"cart": {"lines": []}, "shipping": {}, "coupon": null, "country": "US"}"#),
    )
    .await;
    assert_eq!(refused.status, 422);
    assert_eq!(json(&refused.body), serde_json::json!({"error": "quote_refused", "reason": {"reason": "nothing_to_buy"}}));

    // A decline when paying again is 402 with the reason.
    let api = client(&server);
    api.token_store().save(&token);
    let placed = api.place_order(&place_request(&api, KEY, "4000000000000002").await).await.unwrap();
    let pay = PayAgain {
        idempotency_key: "4b9a8c7d-6e5f-4a3b-9c1d-2e3f4a5b6c7d".into(),
        order_ids: placed.orders.iter().map(|o| o.id.clone()).collect(),
        payment: place_request(&api, KEY, "4000000000009995").await.payment,
    };
    let declined = raw(
        &server,
        Method::Post,
        "/api/payments",
        &[("Authorization", auth.as_str()), ct],
        Some(&serde_json::to_string(&pay).unwrap()),
    )
    .await;
    assert_eq!(declined.status, 402);
    assert_eq!(json(&declined.body), serde_json::json!({"error": "payment_declined", "reason": "insufficient_funds"}));

    // An illegal action is 409 with its rule.
    let path = format!("/api/orders/{}/actions", placed.orders[0].id.0);
    let refused = raw(&server, Method::Post, &path, &[("Authorization", auth.as_str()), ct], Some(r#""confirm_receipt""#)).await;
    assert_eq!(refused.status, 409);
    assert_eq!(json(&refused.body)["error"], "refused");
    assert_eq!(json(&refused.body)["rule"]["rule"], "not_in_this_status");

    // Evidence is the file itself: refused by its content with 422, and a
    // JSON description of a file instead of the file is 415.
    let path = format!("/api/orders/{}/evidence?name=x.jpg", placed.orders[0].id.0);
    let octets = ("Content-Type", "application/octet-stream");
    let evidence = raw(&server, Method::Post, &path, &[("Authorization", auth.as_str()), octets], Some("GIF89a\x01\0\x01\0")).await;
    assert_eq!(evidence.status, 422);
    assert_eq!(json(&evidence.body)["error"], "evidence_refused");
    let described = r#"{"name": "x.jpg", "bytes": 10, "head": [255, 216, 255]}"#;
    let evidence = raw(&server, Method::Post, &path, &[("Authorization", auth.as_str()), ct], Some(described)).await;
    assert_eq!(evidence.status, 415);
    assert!(json(&evidence.body)["detail"].as_str().unwrap().contains("application/octet-stream"));
    let unnamed = format!("/api/orders/{}/evidence", placed.orders[0].id.0);
    let evidence = raw(&server, Method::Post, &unnamed, &[("Authorization", auth.as_str()), octets], Some("x")).await;
    assert_eq!(evidence.status, 400);
    assert!(json(&evidence.body)["detail"].as_str().unwrap().contains("?name="));
    server.stop().await;
}

/// What the buyer uploads is what the server keeps, byte for byte, under the
/// evidence id it answered; what it refuses leaves nothing behind, and a
/// declared size past the type's limit is refused before the body is read.
#[tokio::test]
async fn evidence_files_are_kept_as_sent() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server = start_fresh("evidence-files").await;
    let api = client(&server);
    let placed = api.place_order(&place_request(&api, KEY, "4242424242424242").await).await.unwrap();
    let id = &placed.orders[0].id;
    let dir = std::path::PathBuf::from(format!("{}.evidence", server.db.display()));

    let jpeg_head = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1];
    let mut photo = jpeg_head.to_vec();
    photo.extend((0..300_000u32).map(|i| (i * 7 % 251) as u8));
    let kept = api.upload_evidence(id, &EvidenceUpload::from_bytes("crack é.jpg", photo.clone())).await.unwrap();
    assert_eq!(std::fs::read(dir.join(&kept.id)).expect("the file is kept under its id"), photo);

    let mut big = photo.clone();
    big.resize(10 * 1024 * 1024 + 1, 0);
    let refused = api.upload_evidence(id, &EvidenceUpload::from_bytes("big.jpg", big)).await;
    assert!(matches!(refused, Err(ApiError::EvidenceRefused { .. })), "{refused:?}");
    let names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, vec![std::ffi::OsString::from(&kept.id)], "nothing else is left in the folder");

    // 200 MB announced, 16 bytes sent: the answer comes without the rest.
    let token = api.token_store().load().unwrap();
    let mut conn = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let head = format!(
        "POST /api/orders/{}/evidence?name=huge.jpg HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: image/jpeg\r\nContent-Length: 200000000\r\n\r\n",
        id.0
    );
    conn.write_all(head.as_bytes()).await.unwrap();
    conn.write_all(&jpeg_head).await.unwrap();
    let mut answer = vec![0; 4096];
    let n = tokio::time::timeout(std::time::Duration::from_secs(5), conn.read(&mut answer)).await.expect("answered at once").unwrap();
    let answer = String::from_utf8_lossy(&answer[..n]);
    assert!(answer.starts_with("HTTP/1.1 422"), "{answer}");
    assert!(answer.contains("too_large"), "{answer}");
    server.stop().await;
}

#[tokio::test]
async fn a_server_that_is_down_says_503_with_retry_after() {
    let server = start(Config { scenario: Scenario::Offline, ..config(temp_db("offline")) }).await;
    let resp = raw(&server, Method::Get, "/api/now", &[], None).await;
    assert_eq!(resp.status, 503);
    assert_eq!(resp.header("retry-after"), Some("5"));
    assert_eq!(json(&resp.body), serde_json::json!({"error": "unavailable", "retry_after_ms": 5000}));
    server.stop().await;
}

use order_api::Config;

#[tokio::test]
async fn the_app_is_served_with_its_headers_and_pointed_at_the_api() {
    let dist = temp_db("dist").with_extension("d");
    std::fs::create_dir_all(dist.join("assets")).unwrap();
    std::fs::write(
        dist.join("index.html"),
        r#"<!doctype html><html><head><meta name="checkout-api" content="mock"><link rel="stylesheet" href="/app.css"><script type="module">import init from '/app.js'; await init();</script><script src="/other.js"></script></head><body></body></html>"#,
    )
    .unwrap();
    std::fs::write(dist.join("app.css"), "body{}").unwrap();
    let server = start(Config { dist: Some(dist.clone()), ..config(temp_db("app")) }).await;

    // The page's policy is the server's, plus the hash of Trunk's inline
    // start-up script (computed independently: sha256, base64).
    let page_csp = CSP.replace(
        "script-src 'self' 'wasm-unsafe-eval'",
        "script-src 'self' 'wasm-unsafe-eval' 'sha256-KlG4CKAhEwOaotkp3rUpdbFezrNrqW7nWrxT35mBelw='",
    );
    for path in ["/", "/index.html", "/orders/ord_00000001", "/checkout"] {
        let resp = raw(&server, Method::Get, path, &[], None).await;
        assert_eq!(resp.status, 200, "{path}");
        assert_eq!(resp.header("content-security-policy"), Some(page_csp.as_str()), "{path}");
        assert_eq!(resp.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(resp.header("referrer-policy"), Some("no-referrer"));
        assert!(resp.header("content-type").unwrap().starts_with("text/html"));
        assert!(resp.body.contains(r#"<meta name="checkout-api" content="/api">"#), "{path}: {}", resp.body);
        assert!(!resp.body.contains(r#"content="mock""#));
    }
    let css = raw(&server, Method::Get, "/app.css", &[], None).await;
    assert_eq!((css.status, css.body.as_str()), (200, "body{}"));
    assert_eq!(css.header("content-security-policy"), Some(CSP));
    assert_eq!(css.header("cache-control"), Some("no-cache"), "a name without a hash is asked about each time");
    let page = raw(&server, Method::Get, "/", &[], None).await;
    assert_eq!(page.header("cache-control"), Some("no-cache"), "index.html names the current files");

    // A fingerprinted file: kept for good, and sent compressed to a browser that takes it.
    let big = "body { margin: 0; }\n".repeat(500);
    std::fs::write(dist.join("app-82ab625c3450614f.css"), &big).unwrap();
    let plain = raw(&server, Method::Get, "/app-82ab625c3450614f.css", &[], None).await;
    assert_eq!((plain.status, plain.body.len()), (200, big.len()), "sent as is without accept-encoding");
    assert_eq!(plain.header("content-encoding"), None);
    assert_eq!(plain.header("cache-control"), Some("public, max-age=31536000, immutable"));
    for encoding in ["br", "gzip"] {
        let packed = raw(&server, Method::Get, "/app-82ab625c3450614f.css", &[("accept-encoding", encoding)], None).await;
        assert_eq!(packed.status, 200);
        assert_eq!(packed.header("content-encoding"), Some(encoding));
        assert!(packed.body.len() < big.len() / 10, "{encoding}: {} bytes of {}", packed.body.len(), big.len());
        assert_eq!(packed.header("cache-control"), Some("public, max-age=31536000, immutable"));
    }
    // With a `.br` twin beside it (the release build writes them), that is
    // what a browser taking brotli gets, byte for byte; others get the file.
    let twin: Vec<u8> = {
        let mut out = Vec::new();
        let params = brotli::enc::BrotliEncoderParams { quality: 11, ..Default::default() };
        brotli::BrotliCompress(&mut big.as_bytes(), &mut out, &params).unwrap();
        out
    };
    std::fs::write(dist.join("app-82ab625c3450614f.css.br"), &twin).unwrap();
    let sent = raw_bytes(&server, "/app-82ab625c3450614f.css", "br").await;
    assert_eq!((sent.0, sent.1.as_deref()), (200, Some("br")));
    assert!(sent.2 == twin, "the .br file as it is ({} bytes), not compressed again ({} bytes)", twin.len(), sent.2.len());
    let gz = raw(&server, Method::Get, "/app-82ab625c3450614f.css", &[("accept-encoding", "gzip")], None).await;
    assert_eq!(gz.header("content-encoding"), Some("gzip"));
    let missing = raw(&server, Method::Get, "/missing.js", &[], None).await;
    assert_eq!(missing.status, 404, "a missing file is not the app");
    let api = raw(&server, Method::Get, "/api/now", &[], None).await;
    assert_eq!(api.status, 200);
    assert_eq!(api.header("content-security-policy"), Some(CSP), "on the API too");
    assert_eq!(api.header("x-content-type-options"), Some("nosniff"));
    server.stop().await;
}

/// GET `path` with `accept-encoding: encoding`: the status, the
/// content-encoding and the body's bytes as sent (not decoded).
async fn raw_bytes(server: &TestServer, path: &str, encoding: &str) -> (u16, Option<String>, Vec<u8>) {
    use http_body_util::BodyExt;
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build_http::<http_body_util::Empty<bytes::Bytes>>();
    let req = hyper::Request::get(server.url(path)).header("accept-encoding", encoding).body(http_body_util::Empty::new()).unwrap();
    let resp = client.request(req).await.expect("the server answers");
    let status = resp.status().as_u16();
    let coding = resp.headers().get("content-encoding").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let body = resp.into_body().collect().await.expect("the body").to_bytes().to_vec();
    (status, coding, body)
}

#[tokio::test]
async fn the_checked_in_openapi_document_is_the_generated_one() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json");
    let generated = order_api::openapi::document_text();
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    let same = serde_json::from_str::<Value>(&checked_in).ok() == serde_json::from_str::<Value>(&generated).ok();
    assert!(
        same,
        "docs/openapi.json differs from the document the types make. Regenerate it with\n  \
         cargo run -p order-api -- --print-openapi > docs/openapi.json\nor\n  \
         UPDATE_OPENAPI=1 cargo test -p order-api --test server the_checked_in_openapi"
    );
    let doc: Value = serde_json::from_str(&generated).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    for (path, method) in [
        ("/buyers", "post"),
        ("/catalog", "get"),
        ("/products/{id}", "get"),
        ("/quote", "post"),
        ("/orders", "post"),
        ("/orders", "get"),
        ("/orders/{id}", "get"),
        ("/orders/{id}/actions", "post"),
        ("/orders/{id}/evidence", "post"),
        ("/payments", "post"),
        ("/challenges/{id}", "post"),
        ("/track", "post"),
        ("/now", "get"),
    ] {
        assert!(doc["paths"][path][method].is_object(), "{method} {path}");
    }
    // Every reference resolves.
    let text = generated.as_str();
    for part in text.split("\"$ref\": \"#/").skip(1) {
        let pointer = format!("/{}", &part[..part.find('"').unwrap()]);
        assert!(doc.pointer(&pointer).is_some(), "dangling $ref {pointer}");
    }
    // The served document is the same.
    let server = start_fresh("openapi").await;
    let served = raw(&server, Method::Get, "/api/openapi.json", &[], None).await;
    assert_eq!(json(&served.body), doc);
    server.stop().await;
}

#[tokio::test]
async fn a_flaky_server_is_retried_by_the_client_into_one_placement() {
    use checkout_api::http::{HttpApi, MemoryTokenStore, RetryPolicy};
    let server = start(Config { scenario: Scenario::ApiFlaky, ..config(temp_db("flaky")) }).await;
    // About one call in seven is refused with 503 before anything is done;
    // enough tries make a failure of the whole test negligible (0.15^12).
    let policy = RetryPolicy { attempts: 12, base_ms: 10, cap_ms: 1_000, timeout_ms: 5_000 };
    let api = HttpApi::with_policy(HyperTransport::default(), &server.url("/api"), MemoryTokenStore::default(), policy);
    for _ in 0..5 {
        api.catalog().await.unwrap();
    }
    let req = place_request(&api, KEY, "4242424242424242").await;
    let placed = api.place_order(&req).await.unwrap();
    let again = api.place_order(&req).await.unwrap();
    assert_eq!(placed.orders.len(), 2);
    assert_eq!(again.orders.iter().map(|o| &o.id).collect::<Vec<_>>(), placed.orders.iter().map(|o| &o.id).collect::<Vec<_>>());
    assert_eq!(api.all_orders().await.unwrap().len(), 2, "placed once");
    server.stop().await;
}

#[tokio::test]
async fn a_bad_tab_or_page_is_a_400_that_says_what_is_allowed() {
    let server = start_fresh("paging").await;
    let auth = format!("Bearer {}", token(&server).await);
    for (query, says) in [("?tab=bogus", "tab must be one of all, awaiting-payment"), ("?page=0", "page must be"), ("?page=x", "page must be"), ("?page=-1", "page must be"), ("?tab=all&tab=all", "each at most once")] {
        let resp = raw(&server, Method::Get, &format!("/api/orders{query}"), &[("authorization", auth.as_str())], None).await;
        assert_eq!(resp.status, 400, "{query}: {}", resp.body);
        assert!(resp.body.contains(says), "{query}: {}", resp.body);
    }
    let fine = raw(&server, Method::Get, "/api/orders?tab=disputes&page=3", &[("authorization", auth.as_str())], None).await;
    assert_eq!((fine.status, fine.body.as_str()), (200, r#"{"orders":[],"page":1,"pages":1}"#));
    server.stop().await;
}

/// A database from before the order index (schema 5 kept no wake time and
/// no tabs) is indexed when the server opens it: its orders are in their
/// tabs and still move on by themselves.
#[tokio::test]
async fn orders_kept_before_the_index_are_listed_in_their_tabs() {
    use checkout_core::order::OrdersTab;
    let db = temp_db("index");
    let server = start(config(db.clone())).await;
    let api = client(&server);
    let placed = api.place_order(&place_request(&api, KEY, "4242424242424242").await).await.unwrap();
    let token = api.token_store().load().unwrap();
    server.stop().await;
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        // Back to schema 5: no wake times, no tabs.
        conn.execute_batch(
            "DROP INDEX orders_due; ALTER TABLE orders DROP COLUMN wake_at; ALTER TABLE orders DROP COLUMN tabs; PRAGMA user_version = 5;",
        )
        .unwrap();
    }

    let server = start(config(db)).await;
    let api = client(&server);
    api.token_store().save(&token);
    let shipment = api.orders(OrdersTab::AwaitingShipment, 1).await.unwrap();
    assert_eq!(shipment.orders.len(), placed.orders.len(), "being verified is in the awaiting-shipment tab");
    assert!(api.orders(OrdersTab::Completed, 1).await.unwrap().orders.is_empty());
    // The index's wake times are back: verification still ends by itself.
    let skipped = raw(&server, Method::Post, "/api/dev/skip", &[("Content-Type", "application/json")], Some(r#"{"seconds": 3600}"#)).await;
    assert_eq!(skipped.status, 200);
    let after = api.orders(OrdersTab::AwaitingShipment, 1).await.unwrap();
    assert!(after.orders.iter().all(|o| o.status == checkout_core::order::OrderStatus::AwaitingShipment), "{:?}", after.orders.iter().map(|o| o.status).collect::<Vec<_>>());
    server.stop().await;
}

/// The app's first screens come drawn in the page (with the build's own
/// template): the catalog's names and prices, a product's title, description
/// and link-preview tags, the cart empty on a first visit or its loading
/// shell when it has items; each in the shopper's language (Spanish words
/// and prices, Arabic right to left), and an unknown product is not found.
#[tokio::test]
async fn the_first_screens_are_drawn_into_the_page_in_the_shoppers_language() {
    let dist = temp_db("drawn").with_extension("d");
    std::fs::create_dir_all(&dist).unwrap();
    let template = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../index.html")).unwrap();
    std::fs::write(dist.join("index.html"), template).unwrap();
    let server = start(Config { dist: Some(dist.clone()), ..config(temp_db("drawn")) }).await;
    let catalog = marketplace::world::catalog();
    let english = [("accept-language", "en-US,en;q=0.9")];

    let home = raw(&server, Method::Get, "/", &english, None).await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("<html lang=\"en\" data-prerendered=\"catalog\" dir=\"ltr\">"), "{}", home.body);
    assert!(home.body.contains("class=\"app-shell__skeleton\" aria-hidden=\"true\" hidden>"), "the skeleton gives way");
    for p in &catalog.products {
        assert!(home.body.contains(&p.name.replace('&', "&amp;")), "{} is in the page", p.name);
    }
    assert!(home.body.contains("$"), "with prices");
    assert!(!home.body.contains(" id=\"main\""), "no id of the app's own");
    assert_eq!(home.header("vary"), Some("accept-language, cookie"));

    let p = &catalog.products[1];
    let page = raw(&server, Method::Get, &format!("/products/{}", p.id.0), &english, None).await;
    assert_eq!(page.status, 200);
    let name = p.name.replace('&', "&amp;");
    assert!(page.body.contains(&format!("<title>{name} · Bazaar</title>")), "{}", page.body);
    assert!(page.body.contains(&format!("<h1 class=\"product__name\">{name}</h1>")), "{}", page.body);
    assert!(page.body.contains("<meta property=\"og:type\" content=\"product\">"));
    assert!(page.body.contains(&format!("<meta property=\"og:image\" content=\"{}\">", p.images[0].src)));

    let cart = raw(&server, Method::Get, "/cart", &english, None).await;
    assert!(cart.body.contains("data-prerendered=\"cart\"") && cart.body.contains("class=\"empty-state"), "a first visit's empty cart");
    let with_items = raw(&server, Method::Get, "/cart", &[english[0], ("cookie", "checkout.cart-items=2")], None).await;
    assert!(with_items.body.contains("aria-busy=\"true\"") && !with_items.body.contains("empty-state"), "the cart's loading shell");
    let chose_english = raw(&server, Method::Get, "/", &[("accept-language", "es"), ("cookie", "checkout.lang.v1=en")], None).await;
    assert!(chose_english.body.contains("lang=\"en\" data-prerendered=\"catalog\""), "the shopper's own choice counts");
    // Another language: its words and its prices, in the page's language and direction.
    let spanish = raw(&server, Method::Get, "/", &[("accept-language", "es-ES,es;q=0.9")], None).await;
    assert!(spanish.body.contains("<html lang=\"es\" data-prerendered=\"catalog\" dir=\"ltr\">"), "{}", spanish.body);
    assert!(spanish.body.contains("data-prerendered=\"catalog\" data-drawn-for-path=\"/\" lang=\"es\">"), "the copy says its language");
    assert!(spanish.body.contains("Todos los productos"), "{}", spanish.body);
    let spanish_product = raw(&server, Method::Get, &format!("/products/{}", p.id.0), &[("accept-language", "es")], None).await;
    let price = checkout_app::i18n::format::written::money(&checkout_app::i18n::format::written::ES, &p.price);
    assert!(spanish_product.body.contains(&price), "{price} in {}", spanish_product.body);
    assert!(spanish_product.body.contains("Añadir al carrito"), "{}", spanish_product.body);
    assert!(spanish_product.body.contains("<meta property=\"og:title\""), "a link preview reads the product");
    let arabic = raw(&server, Method::Get, "/cart", &[("cookie", "checkout.lang.v1=ar")], None).await;
    assert!(arabic.body.contains("<html lang=\"ar\" data-prerendered=\"cart\" dir=\"rtl\">"), "right to left: {}", arabic.body);
    // English again after other languages: each draw in its own language.
    let again = raw(&server, Method::Get, &format!("/products/{}", catalog.products[2].id.0), &english, None).await;
    assert!(again.body.contains("Add to cart") && !again.body.contains("Añadir"), "{}", again.body);
    let unknown = raw(&server, Method::Get, "/products/no-such-thing", &english, None).await;
    assert_eq!(unknown.status, 404);
    assert!(unknown.body.contains("<meta name=\"checkout-api\" content=\"/api\">"), "the app still starts, and says why");
    server.stop().await;
}
