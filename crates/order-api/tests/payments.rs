//! The buyer does not decide whether a payment went through: the payment
//! provider does. Each test fails on a server that takes the buyer's word
//! (a challenge answered "approved" through the order API, a card decided
//! by the last four digits the request declares).

mod common;

use checkout_api::http::Method;
use checkout_api::{OrderApi, PaymentMethod, PaymentOutcome, PaymentToken};
use checkout_core::order::{OrderStatus, PaidWith};
use checkout_core::validate::card::Brand;
use common::*;
use serde_json::Value;

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// Places the test checkout as `token`'s buyer with `payment`; the answer's JSON.
async fn place_raw(server: &TestServer, token: &str, key: &str, payment: PaymentMethod) -> Value {
    let api = client(server);
    let mut req = place_request(&api, key, "4242 4242 4242 4242").await;
    req.payment = payment;
    let body = serde_json::to_string(&req).unwrap();
    let auth = bearer(token);
    let headers = [("authorization", auth.as_str()), ("content-type", "application/json"), ("idempotency-key", key)];
    let resp = raw(server, Method::Post, "/api/orders", &headers, Some(&body)).await;
    assert!(resp.status == 201 || resp.status == 402, "{} {}", resp.status, resp.body);
    json(&resp.body)
}

async fn statuses(server: &TestServer, token: &str) -> Vec<String> {
    let auth = bearer(token);
    let resp = raw(server, Method::Get, "/api/orders", &[("authorization", auth.as_str())], None).await;
    let v = json(&resp.body);
    v["orders"].as_array().unwrap().iter().map(|o| o["status"].as_str().unwrap_or("?").to_owned()).collect()
}

#[tokio::test]
async fn a_buyer_who_answers_approved_to_the_order_api_gets_nothing_paid() {
    let server = start_fresh("approved-by-buyer").await;
    let token = token(&server).await;
    let auth = bearer(&token);
    let card = |last4: &str| PaymentMethod::Card(PaymentToken { token: format!("tok_visa_{last4}"), brand: Brand::Visa, last4: last4.into() });
    for (key, payment) in [("8f1c7a52-3b7e-4f0e-9a41-0c6f3b1d2e01", card("3155")), ("8f1c7a52-3b7e-4f0e-9a41-0c6f3b1d2e02", PaymentMethod::Wallet)] {
        let placed = place_raw(&server, &token, key, payment).await;
        let payment = &placed["payment"];
        let id = payment["challenge_required"]["challenge_id"]
            .as_str()
            .or_else(|| payment["redirect"]["url"].as_str().and_then(|u| u.split("challenge=").nth(1)))
            .unwrap_or_else(|| panic!("a challenge: {payment}"))
            .to_owned();
        let headers = [("authorization", auth.as_str()), ("content-type", "application/json")];
        for body in [r#"{"approved":true}"#, r#"{"approved":true,"result":"authorised"}"#, "{}"] {
            let resp = raw(&server, Method::Post, &format!("/api/challenges/{id}"), &headers, Some(body)).await;
            assert_eq!(resp.status, 200, "{}", resp.body);
            assert_ne!(json(&resp.body), serde_json::json!("authorised"), "the buyer's claim paid: {}", resp.body);
        }
    }
    assert!(statuses(&server, &token).await.iter().all(|s| s == "awaiting_payment"), "{:?}", statuses(&server, &token).await);
    server.stop().await;
}

#[tokio::test]
async fn the_providers_page_decides_and_the_order_api_only_learns_it() {
    let server = start_fresh("provider-page").await;
    let api = client(&server);
    let placed = api.place_order(&place_request(&api, "8f1c7a52-3b7e-4f0e-9a41-0c6f3b1d2e03", "4000 0025 0000 3155").await).await.unwrap();
    let PaymentOutcome::ChallengeRequired { challenge_id } = placed.payment else { panic!("{:?}", placed.payment) };
    // Only the provider's page answers it; a second answer changes nothing.
    let page = format!("/api/test-provider/challenges/{challenge_id}");
    let ct = [("content-type", "application/json")];
    let first = raw(&server, Method::Post, &page, &ct, Some(r#"{"approved":true}"#)).await;
    assert_eq!((first.status, json(&first.body)), (200, serde_json::json!({"approved": true})));
    let again = raw(&server, Method::Post, &page, &ct, Some(r#"{"approved":false}"#)).await;
    assert_eq!(json(&again.body), serde_json::json!({"approved": true}), "the first answer stays");
    let unknown = raw(&server, Method::Post, "/api/test-provider/challenges/chl_madeup", &ct, Some(r#"{"approved":true}"#)).await;
    assert_eq!(unknown.status, 404);
    // The order API learns it (the client's confirm_challenge asks the page, then the API).
    let learned = raw(&server, Method::Post, &format!("/api/challenges/{challenge_id}"), &[("authorization", &bearer(&api_token(&api)))], None).await;
    assert_eq!(json(&learned.body), serde_json::json!("authorised"), "{}", learned.body);
    let order = api.order(&placed.orders[0].id).await.unwrap();
    assert_eq!(order.status, OrderStatus::PaymentBeingVerified);
    server.stop().await;
}

fn api_token(api: &Client_) -> String {
    use checkout_api::http::TokenStore;
    api.token_store().load().expect("the client has a token")
}

#[tokio::test]
async fn a_card_is_decided_by_the_providers_token_not_the_last_four_the_buyer_sends() {
    let server = start_fresh("token-decides").await;
    let token = token(&server).await;
    let fake = |t: &str, last4: &str| PaymentMethod::Card(PaymentToken { token: t.into(), brand: Brand::Visa, last4: last4.into() });
    let cases = [
        ("8f1c7a52-3b7e-4f0e-9a41-0c6f3b1d2e11", fake("", "4242")),
        ("8f1c7a52-3b7e-4f0e-9a41-0c6f3b1d2e12", fake("tok_anything", "4242")),
        ("8f1c7a52-3b7e-4f0e-9a41-0c6f3b1d2e13", fake("tok_visa_0002", "4242")),
    ];
    for (key, payment) in cases {
        let placed = place_raw(&server, &token, key, payment).await;
        assert!(placed["payment"]["declined"].is_object(), "{}", placed["payment"]);
    }
    // A good token pays, with the card the provider knows, whatever the request says.
    let placed = place_raw(&server, &token, "8f1c7a52-3b7e-4f0e-9a41-0c6f3b1d2e14", fake("tok_mastercard_4444", "0002")).await;
    assert_eq!(placed["payment"], serde_json::json!("authorised"));
    let paid: PaidWith = serde_json::from_value(placed["orders"][0]["payment"]["method"].clone()).unwrap();
    assert_eq!(paid, PaidWith::Card { brand: Brand::Mastercard, last4: "4444".into() });
    server.stop().await;
}
