//! What every `/api` answer gets whatever the handler did: `Cache-Control:
//! no-store` (answers carry tokens and addresses), HSTS when the request came
//! over https (`X-Forwarded-Proto` from the TLS proxy in front), a JSON body
//! for every error (axum's own rejections, a wrong method, an unreadable path
//! are plain text otherwise), a panic turned into a 500 with the server still
//! answering, and request bodies read under a timeout.

use std::any::Any;
use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::RequestBodyTimeoutLayer;

/// HSTS for a year, once a request shows it came over https.
const HSTS: &str = "max-age=31536000";

/// The error kind a status is known by in this API.
fn kind(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::PAYLOAD_TOO_LARGE => "too_large",
        StatusCode::REQUEST_TIMEOUT => "timed_out",
        s if s.is_server_error() => "internal",
        _ => "bad_request",
    }
}

/// An error answer that is not JSON becomes `{"error": kind}`; its own text
/// (which may repeat the request) is not sent.
async fn json_errors(req: Request, next: Next) -> Response {
    let resp = next.run(req).await;
    let status = resp.status();
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return resp;
    }
    let (mut parts, _) = resp.into_parts();
    let mut fresh = (status, Json(serde_json::json!({ "error": kind(status) }))).into_response();
    // Keep what the error says beside its body (Retry-After, Allow).
    for name in [header::RETRY_AFTER, header::ALLOW] {
        if let Some(v) = parts.headers.remove(&name) {
            fresh.headers_mut().insert(name, v);
        }
    }
    fresh
}

async fn hsts(req: Request, next: Next) -> Response {
    let https = req
        .headers()
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"));
    let mut resp = next.run(req).await;
    if https {
        resp.headers_mut().insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    resp
}

fn panicked(_: Box<dyn Any + Send + 'static>) -> Response<Body> {
    eprintln!("order-api: a handler panicked; the request got a 500");
    (StatusCode::INTERNAL_SERVER_ERROR, Json(serde_json::json!({ "error": "internal" }))).into_response()
}

/// The API's routes with the guards above.
pub fn api(routes: Router, body_timeout: Duration) -> Router {
    routes
        .layer(axum::middleware::from_fn(json_errors))
        .layer(CatchPanicLayer::custom(panicked))
        .layer(RequestBodyTimeoutLayer::new(body_timeout))
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .layer(axum::middleware::from_fn(hsts))
}

/// The app's pages over https get HSTS too.
pub fn pages(routes: Router) -> Router {
    routes.layer(axum::middleware::from_fn(hsts))
}
