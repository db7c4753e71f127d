//! The HTTP side: routes, the buyer token, JSON in and out, status codes,
//! input limits, the scenario's network, and the built app with its headers.

use std::path::PathBuf;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Path, Query, Request, State};
use axum::handler::HandlerWithoutStateExt;
use axum::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use axum::http::request::Parts;
use axum::http::{StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use checkout_api::*;
use checkout_core::cart::MAX_LINES;
use checkout_core::catalog::ProductId;
use checkout_core::order::{OrderId, OrdersTab};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use marketplace::service::BuyerId;
use marketplace::Scenario;

use crate::store::{Fail, Store};
use crate::{openapi, Shared, BODY_LIMIT, CSP};

/// An answer that is not a success.
#[derive(Debug)]
pub(crate) enum Reply {
    Fail(Fail),
    /// The request is not what the contract accepts.
    BadRequest(String),
    Unauthorized,
    TooLarge,
    /// The body's `Content-Type` is not what this call takes; how to send it.
    UnsupportedMediaType(&'static str),
    /// Over a limit of tries; try again after this.
    TooManyTries(Duration),
}

impl From<Fail> for Reply {
    fn from(f: Fail) -> Self {
        Reply::Fail(f)
    }
}

impl From<ApiError> for Reply {
    fn from(e: ApiError) -> Self {
        Reply::Fail(Fail::Api(e))
    }
}

/// The status each contract error is sent with.
pub fn status_of(e: &ApiError) -> StatusCode {
    match e {
        ApiError::NotFound => StatusCode::NOT_FOUND,
        ApiError::Invalid { .. } | ApiError::QuoteRefused { .. } | ApiError::EvidenceRefused { .. } => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
        ApiError::Refused { .. } | ApiError::Conflict { .. } => StatusCode::CONFLICT,
        ApiError::PaymentDeclined { .. } => StatusCode::PAYMENT_REQUIRED,
        ApiError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
        ApiError::Offline | ApiError::TimedOut | ApiError::BadResponse { .. } => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn unavailable(retry_after_ms: u32) -> Response {
    let mut resp =
        (StatusCode::SERVICE_UNAVAILABLE, Json(ApiError::Unavailable { retry_after_ms: Some(retry_after_ms) })).into_response();
    let secs = retry_after_ms.div_ceil(1000);
    resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
    resp
}

#[derive(Serialize)]
struct Plain<'a> {
    error: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_bytes: Option<usize>,
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let plain = |status: StatusCode, error: &str, detail: Option<String>, max_bytes: Option<usize>| {
            (status, Json(Plain { error, detail, max_bytes })).into_response()
        };
        match self {
            Reply::Fail(Fail::Api(ApiError::Unavailable { retry_after_ms })) => unavailable(retry_after_ms.unwrap_or(1000)),
            Reply::Fail(Fail::Api(e)) => (status_of(&e), Json(e)).into_response(),
            Reply::BadRequest(detail) => plain(StatusCode::BAD_REQUEST, "bad_request", Some(detail), None),
            Reply::Fail(Fail::Busy) => unavailable(1000),
            Reply::Fail(Fail::Storage(detail)) => {
                eprintln!("order-api: database error: {detail}");
                plain(StatusCode::INTERNAL_SERVER_ERROR, "internal", None, None)
            }
            Reply::Unauthorized => plain(StatusCode::UNAUTHORIZED, "unauthorized", None, None),
            Reply::TooLarge => plain(StatusCode::PAYLOAD_TOO_LARGE, "too_large", None, Some(BODY_LIMIT)),
            Reply::TooManyTries(wait) => {
                let ms = u32::try_from(wait.as_millis()).unwrap_or(u32::MAX).max(1000);
                let mut resp = (StatusCode::TOO_MANY_REQUESTS, Json(ApiError::Unavailable { retry_after_ms: Some(ms) })).into_response();
                resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(ms.div_ceil(1000)));
                resp
            }
            Reply::UnsupportedMediaType(how) => {
                plain(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", Some(how.into()), None)
            }
        }
    }
}

type Answer<T> = Result<T, Reply>;

/// Runs `f` on the store on tokio's blocking threads (SQLite blocks), so that
/// a slow call holds up no other request. A panic in it is the handler's
/// panic (a 500 from the guard); it left nothing half-written, since each
/// call is one transaction.
async fn blocking<T: Send + 'static>(state: &Shared, f: impl FnOnce(&Store) -> crate::store::Result<T> + Send + 'static) -> Answer<T> {
    let state = state.clone();
    match tokio::task::spawn_blocking(move || f(&state.store)).await {
        Ok(result) => result.map_err(Reply::from),
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(_) => Err(Reply::Fail(Fail::Busy)),
    }
}

/// A JSON body; malformed JSON or wrong types are 400, too large 413.
pub(crate) struct Body<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = Reply;

    async fn from_request(req: Request, state: &S) -> Result<Self, Reply> {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
        if !json {
            return Err(Reply::UnsupportedMediaType("send the body as Content-Type: application/json"));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|r| match r.status() {
            StatusCode::PAYLOAD_TOO_LARGE => Reply::TooLarge,
            _ => Reply::BadRequest("the body could not be read in time".into()),
        })?;
        serde_json::from_slice(&bytes).map(Body).or_else(|e| {
            // JSON has one kind of number: `1.0` is the whole number 1 to many
            // senders (JavaScript among them). Read it as such, once the plain
            // reading failed on the data's shape.
            let mut value: serde_json::Value = match e.classify() {
                serde_json::error::Category::Data => serde_json::from_slice(&bytes).map_err(|_| Reply::BadRequest(json_error(&e)))?,
                _ => return Err(Reply::BadRequest(json_error(&e))),
            };
            if !whole_floats_to_integers(&mut value) {
                return Err(Reply::BadRequest(json_error(&e)));
            }
            serde_json::from_value(value).map(Body).map_err(|_| Reply::BadRequest(json_error(&e)))
        })
    }
}

/// Writes every number such as `2.0` as the integer `2`; whether any was.
fn whole_floats_to_integers(value: &mut serde_json::Value) -> bool {
    use serde_json::Value;
    match value {
        Value::Number(n) if n.is_f64() => {
            let f = n.as_f64().unwrap_or(f64::NAN);
            // Exactly representable whole numbers only (|f| < 2^53).
            if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
                *value = Value::from(f as i64);
                return true;
            }
            false
        }
        Value::Array(items) => items.iter_mut().fold(false, |any, v| whole_floats_to_integers(v) | any),
        Value::Object(fields) => fields.values_mut().fold(false, |any, v| whole_floats_to_integers(v) | any),
        _ => false,
    }
}

/// What is wrong with a body, and where, without repeating any of it (serde's
/// own message quotes the values it refused).
fn json_error(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match e.classify() {
        Category::Syntax | Category::Eof => "the body is not well-formed JSON",
        Category::Data => "a field is missing or has the wrong type or value",
        Category::Io => "the body could not be read",
    };
    format!("{what} (line {}, column {}); see docs/openapi.json", e.line(), e.column())
}

/// The address the request came from, when the server knows it.
pub(crate) struct Client(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = Reply;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Reply> {
        Ok(Client(parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip())))
    }
}

/// The buyer named by `Authorization: Bearer <token>`; 401 if none or unknown.
pub(crate) struct Buyer(pub BuyerId);

impl FromRequestParts<Shared> for Buyer {
    type Rejection = Reply;

    async fn from_request_parts(parts: &mut Parts, state: &Shared) -> Result<Self, Reply> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(Reply::Unauthorized)?;
        let token = token.to_owned();
        blocking(state, move |s| s.buyer(&token)).await?.map(Buyer).ok_or(Reply::Unauthorized)
    }
}

// ---- input limits (beyond the body limit and the core's own checks) ----

const MAX_ID: usize = 64;
const MAX_NAME: usize = 200;
const MAX_EMAIL: usize = 254;
const MAX_NOTE: usize = 2_000;

/// A text no longer than `max` characters (as JSON Schema's `maxLength`
/// counts them, not bytes).
fn limit_text(what: &str, text: &str, max: usize) -> Result<(), Reply> {
    // Past 4 bytes a character, it cannot be short enough: no need to count.
    if text.len() > max && (text.len() > max * 4 || text.chars().count() > max) {
        return Err(Reply::BadRequest(format!("{what} is longer than {max} characters")));
    }
    Ok(())
}

fn limit(what: &str, len: usize, max: usize) -> Result<(), Reply> {
    if len > max {
        return Err(Reply::BadRequest(format!("{what} is longer than {max}")));
    }
    Ok(())
}

fn check_quote(q: &QuoteRequest) -> Result<(), Reply> {
    limit("cart.lines", q.cart.lines.len(), MAX_LINES)?;
    for line in &q.cart.lines {
        limit_text("cart line product_id", &line.key.product_id.0, MAX_ID)?;
        limit_text("cart line option_id", line.key.option_id.as_deref().unwrap_or(""), MAX_ID)?;
        limit_text("cart line name", &line.name, MAX_NAME)?;
    }
    limit("shipping", q.shipping.len(), MAX_LINES)?;
    for seller in q.shipping.keys() {
        limit_text("shipping seller id", &seller.0, MAX_ID)?;
    }
    limit_text("coupon", q.coupon.as_deref().unwrap_or(""), MAX_ID)?;
    limit_text("country", &q.country, 8)
}

fn check_payment(p: &PaymentMethod) -> Result<(), Reply> {
    if let PaymentMethod::Card(t) = p {
        limit_text("payment token", &t.token, MAX_NAME)?;
        limit_text("last4", &t.last4, 4)?;
    }
    Ok(())
}

fn check_place(p: &PlaceOrder) -> Result<(), Reply> {
    limit_text("idempotency_key", &p.idempotency_key, MAX_ID)?;
    check_quote(&p.quote)?;
    // Address fields are held to 200 characters by the core's checks; emails
    // to 254 and phones by theirs. These only stop absurd sizes early.
    limit_text("email", &p.email, MAX_EMAIL)?;
    limit_text("phone", &p.phone, MAX_NAME)?;
    check_payment(&p.payment)
}

fn check_action(a: &BuyerAction) -> Result<(), Reply> {
    match a {
        BuyerAction::RequestCancellation { note, .. } => {
            limit_text("note", note.as_deref().unwrap_or(""), MAX_NOTE)
        }
        BuyerAction::LeaveFeedback { text, photos, .. } => {
            limit_text("text", &text, MAX_NOTE)?;
            limit("photos", photos.len(), checkout_core::evidence::MAX_FILES)?;
            photos.iter().try_for_each(|p| limit_text("photo id", &p, MAX_ID))
        }
        BuyerAction::OpenDispute { description, evidence, .. } => {
            limit_text("description", &description, checkout_core::order::DESCRIPTION_MAX_CHARS * 2)?;
            limit("evidence", evidence.len(), checkout_core::evidence::MAX_FILES)?;
            evidence.iter().try_for_each(|e| limit_text("evidence id", &e, MAX_ID))
        }
        _ => Ok(()),
    }
}

fn check_id(id: &str) -> Result<(), Reply> {
    if id.is_empty() || id.len() > MAX_ID {
        return Err(ApiError::NotFound.into());
    }
    Ok(())
}

// ---- handlers ----

#[derive(Serialize, Deserialize)]
pub struct TokenAnswer {
    pub token: String,
}

#[derive(Deserialize)]
pub struct TrackRequest {
    pub number: String,
    pub email: String,
}

/// The shopper's answer on the simulated provider's challenge page.
#[derive(Serialize, Deserialize)]
pub struct ProviderAnswer {
    pub approved: bool,
}

#[derive(Deserialize)]
pub struct Skip {
    pub seconds: i64,
}

async fn new_buyer(State(state): State<Shared>, Client(client): Client) -> Answer<impl IntoResponse> {
    state.new_buyers.count(&[client_key(client)]).map_err(Reply::TooManyTries)?;
    let token = blocking(&state, |s| s.new_buyer()).await?;
    Ok((StatusCode::CREATED, Json(TokenAnswer { token })))
}

/// Revokes the token the request carries: it opens nothing after this.
async fn revoke_buyer(State(state): State<Shared>, Buyer(buyer): Buyer) -> Answer<StatusCode> {
    blocking(&state, move |s| s.revoke(buyer)).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn client_key(client: Option<std::net::IpAddr>) -> String {
    format!("client:{}", client.map_or("?".into(), |ip| ip.to_string()))
}

/// One change more for this buyer in this minute, or 429 with when to try again.
fn count_write(state: &Shared, buyer: BuyerId) -> Result<(), Reply> {
    state.writes.count(&[format!("buyer:{}", buyer.0)]).map_err(Reply::TooManyTries)
}

async fn catalog(State(state): State<Shared>) -> Answer<impl IntoResponse> {
    Ok(Json(state.store.catalog().clone()))
}

async fn product(State(state): State<Shared>, Path(id): Path<String>) -> Answer<impl IntoResponse> {
    check_id(&id)?;
    Ok(Json(state.store.product(&ProductId(id))?))
}

async fn quote(State(state): State<Shared>, Body(req): Body<QuoteRequest>) -> Answer<impl IntoResponse> {
    check_quote(&req)?;
    Ok(Json(state.store.quote(&req)?))
}

async fn place(
    State(state): State<Shared>,
    Buyer(buyer): Buyer,
    headers: axum::http::HeaderMap,
    Body(req): Body<PlaceOrder>,
) -> Answer<impl IntoResponse> {
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok());
    match key {
        None => return Err(Reply::BadRequest("the Idempotency-Key header is required".into())),
        Some(k) if k != req.idempotency_key => {
            return Err(Reply::BadRequest("the Idempotency-Key header differs from the body's idempotency_key".into()))
        }
        Some(_) => {}
    }
    check_place(&req)?;
    count_write(&state, buyer)?;
    let (placement, new) = blocking(&state, move |s| s.place(buyer, &req)).await?;
    Ok((if new { StatusCode::CREATED } else { StatusCode::OK }, Json(placement)))
}

/// A payment outcome: 200, or 402 with the decline.
fn outcome(o: PaymentOutcome) -> Response {
    match o {
        PaymentOutcome::Declined { reason } => {
            (StatusCode::PAYMENT_REQUIRED, Json(ApiError::PaymentDeclined { reason })).into_response()
        }
        other => Json(other).into_response(),
    }
}

async fn pay(
    State(state): State<Shared>,
    Buyer(buyer): Buyer,
    headers: axum::http::HeaderMap,
    Body(req): Body<PayAgain>,
) -> Answer<Response> {
    if let Some(k) = headers.get("idempotency-key").and_then(|v| v.to_str().ok()) {
        if k != req.idempotency_key {
            return Err(Reply::BadRequest("the Idempotency-Key header differs from the body's idempotency_key".into()));
        }
    }
    limit_text("idempotency_key", &req.idempotency_key, MAX_ID)?;
    limit("order_ids", req.order_ids.len(), MAX_LINES)?;
    req.order_ids.iter().try_for_each(|id| check_id(&id.0))?;
    check_payment(&req.payment)?;
    count_write(&state, buyer)?;
    Ok(outcome(blocking(&state, move |s| s.pay(buyer, &req)).await?))
}

/// What became of a challenge, as the payment provider says. The body, if
/// any, is not read: a buyer who claims "approved" gets nothing paid; the
/// answer is the provider's.
async fn challenge(State(state): State<Shared>, Buyer(buyer): Buyer, Path(id): Path<String>) -> Answer<Response> {
    check_id(&id)?;
    Ok(outcome(blocking(&state, move |s| s.complete_challenge(buyer, &id)).await?))
}

/// The simulated provider's challenge page (its test mode): the shopper
/// completes or fails the 3-D Secure check or the wallet approval here, on
/// the provider's side. A real provider has its own page; this route is the
/// reference server's stand-in, outside the order service.
async fn provider_page(State(state): State<Shared>, Path(id): Path<String>, Body(answer): Body<ProviderAnswer>) -> Answer<impl IntoResponse> {
    check_id(&id)?;
    let approved = blocking(&state, move |s| s.provider_answer(&id, answer.approved)).await?;
    Ok(Json(ProviderAnswer { approved }))
}

/// `GET /orders?tab=…&page=…`: both optional (all, the first page).
#[derive(Deserialize)]
pub struct OrdersQuery {
    pub tab: Option<String>,
    pub page: Option<String>,
}

async fn orders(
    State(state): State<Shared>,
    Buyer(buyer): Buyer,
    q: Result<Query<OrdersQuery>, axum::extract::rejection::QueryRejection>,
) -> Answer<impl IntoResponse> {
    let Query(q) = q.map_err(|_| Reply::BadRequest("the query takes tab and page, each at most once".into()))?;
    let tab = match q.tab.as_deref() {
        None => OrdersTab::All,
        Some(slug) => OrdersTab::parse(slug).ok_or_else(|| {
            let slugs: Vec<&str> = OrdersTab::ALL.iter().map(|t| t.slug()).collect();
            Reply::BadRequest(format!("tab must be one of {}", slugs.join(", ")))
        })?,
    };
    let page = match q.page.as_deref() {
        None => 1,
        Some(p) => p.parse::<u32>().ok().filter(|p| *p >= 1).ok_or_else(|| Reply::BadRequest("page must be a whole number from 1".into()))?,
    };
    Ok(Json(blocking(&state, move |s| s.orders(buyer, tab, page)).await?))
}

async fn order(State(state): State<Shared>, Buyer(buyer): Buyer, Path(id): Path<String>) -> Answer<impl IntoResponse> {
    check_id(&id)?;
    Ok(Json(blocking(&state, move |s| s.order(buyer, &OrderId(id))).await?))
}

async fn track(State(state): State<Shared>, Client(client): Client, Body(req): Body<TrackRequest>) -> Answer<impl IntoResponse> {
    limit_text("number", &req.number, MAX_ID)?;
    limit_text("email", &req.email, MAX_EMAIL)?;
    let keys = [client_key(client), format!("number:{}", req.number.trim())];
    state.track_tries.count(&keys).map_err(Reply::TooManyTries)?;
    Ok(Json(blocking(&state, move |s| s.track(&req.number, &req.email)).await?))
}

async fn act(
    State(state): State<Shared>,
    Buyer(buyer): Buyer,
    Path(id): Path<String>,
    Body(action): Body<BuyerAction>,
) -> Answer<impl IntoResponse> {
    check_id(&id)?;
    check_action(&action)?;
    count_write(&state, buyer)?;
    Ok(Json(blocking(&state, move |s| s.act(buyer, &OrderId(id), action)).await?))
}

#[derive(Deserialize)]
pub struct UploadQuery {
    pub name: String,
}

/// The longest file name an upload may have.
pub const MAX_FILE_NAME: usize = 255;

/// A dispute file: the body is the file itself (`uploads` reads it), the
/// query names it. The order is looked up before anything large is read.
async fn evidence(
    State(state): State<Shared>,
    Buyer(buyer): Buyer,
    Path(id): Path<String>,
    q: Result<Query<UploadQuery>, axum::extract::rejection::QueryRejection>,
    req: Request,
) -> Answer<impl IntoResponse> {
    check_id(&id)?;
    let Query(UploadQuery { name }) = q.map_err(|_| Reply::BadRequest("the query takes the file's name, once: ?name=photo.jpg".into()))?;
    if name.trim().is_empty() {
        return Err(Reply::BadRequest("name must be the file's name, e.g. ?name=photo.jpg".into()));
    }
    limit_text("name", &name, MAX_FILE_NAME)?;
    let media = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).and_then(|v| v.split(';').next());
    let media = media.map(|m| m.trim().to_ascii_lowercase()).unwrap_or_default();
    if !(media == "application/octet-stream" || media.starts_with("image/") || media.starts_with("video/")) {
        return Err(Reply::UnsupportedMediaType("send the file itself as the body, as Content-Type: application/octet-stream (or its image/ or video/ type)"));
    }
    count_write(&state, buyer)?;
    let order = OrderId(id);
    let lookup = order.clone();
    blocking(&state, move |s| s.order(buyer, &lookup)).await?;
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
    let dir = state.config.evidence_dir();
    let staged = crate::uploads::stage(req.into_body(), &dir, &name, declared).await?;
    let file = staged.measured(name);
    let evidence = blocking(&state, move |s| s.upload_evidence(buyer, &order, &file, &staged.path, &dir)).await?;
    Ok((StatusCode::CREATED, Json(evidence)))
}

async fn now(State(state): State<Shared>) -> Answer<impl IntoResponse> {
    Ok(Json(state.store.now()))
}

async fn skip(State(state): State<Shared>, Body(req): Body<Skip>) -> Answer<impl IntoResponse> {
    Ok(Json(blocking(&state, move |s| s.skip(req.seconds)).await?))
}

/// Tests only (`--dev`): a handler that panics, to show the server outlives it.
async fn panic_on_purpose() -> Reply {
    panic!("asked to panic (POST /api/dev/panic)");
}

async fn openapi_json() -> impl IntoResponse {
    Json(openapi::document())
}

async fn api_not_found() -> Reply {
    ApiError::NotFound.into()
}

fn random_percent() -> u64 {
    let mut b = [0u8; 8];
    let _ = getrandom::fill(&mut b);
    u64::from_le_bytes(b) % 100
}

/// The scenario's network, before anything is done: slow, flaky or down.
async fn network(State(state): State<Shared>, req: Request, next: Next) -> Response {
    match state.config.scenario {
        Scenario::ApiSlow => tokio::time::sleep(Duration::from_millis(u64::from(Scenario::ApiSlow.latency_ms()))).await,
        Scenario::ApiFlaky if random_percent() < 15 => return unavailable(500),
        Scenario::Offline => return unavailable(5_000),
        _ => {}
    }
    next.run(req).await
}

// ---- the built app ----

/// The policy for a page with these inline scripts: the same policy, with
/// each script allowed by its hash (Trunk starts the app from an inline module
/// script, which `script-src 'self'` alone would block). Nothing else inline runs.
pub fn csp_for_page(html: &str) -> String {
    let mut hashes = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else { break };
        let tag = &after[..open_end];
        let body_and_more = &after[open_end + 1..];
        let Some(close) = body_and_more.find("</script>") else { break };
        if !tag.contains("src=") {
            let digest = crate::store::sha256(&body_and_more.as_bytes()[..close]);
            hashes.push_str(&format!(" 'sha256-{}'", crate::store::base64(&digest, crate::store::STANDARD, true)));
        }
        rest = &body_and_more[close + "</script>".len()..];
    }
    CSP.replacen("script-src 'self' 'wasm-unsafe-eval'", &format!("script-src 'self' 'wasm-unsafe-eval'{hashes}"), 1)
}

fn app_routes(state: Shared, dist: PathBuf) -> Router {
    // Client routes have no extension and get the app's page; a missing file is 404.
    let spa = {
        let (state, dist) = (state.clone(), dist.clone());
        move |uri: Uri, headers: HeaderMap| {
            let (state, dist) = (state.clone(), dist.clone());
            async move {
                let last = uri.path().rsplit('/').next().unwrap_or("");
                if last.contains('.') {
                    (StatusCode::NOT_FOUND, "not found").into_response()
                } else {
                    crate::pages::page(&dist, uri.path(), &headers, &state).await
                }
            }
        }
    };
    let index = {
        let dist = dist.clone();
        move |headers: HeaderMap| {
            let (state, dist) = (state.clone(), dist.clone());
            async move { crate::pages::page(&dist, "/", &headers, &state).await }
        }
    };
    Router::new()
        .route("/", get(index.clone()))
        .route("/index.html", get(index))
        // A file's `.br` twin (scripts/build-release.sh writes them, at brotli's
        // best) goes to a browser that accepts brotli, as it is.
        .fallback_service(ServeDir::new(dist).precompressed_br().append_index_html_on_directories(false).fallback(spa.into_service()))
        .layer(middleware::from_fn(cache_policy))
        // Anything else, brotli or gzip as the browser accepts, at the
        // library's faster default level; a response already compressed (a
        // `.br` twin) is left alone, as are images other than SVG and tiny files.
        .layer(CompressionLayer::new())
}

/// Files whose name carries their content's hash (Trunk's `name-<hex>.ext`,
/// the wasm as `name-<hex>_bg.wasm`) never change under that name: the browser
/// keeps them a year without asking. Everything else (index.html, which names
/// the current hashes; images and message files) is asked about each time.
async fn cache_policy(req: Request, next: Next) -> Response {
    let fingerprinted = is_fingerprinted(req.uri().path());
    let mut resp = next.run(req).await;
    if !resp.headers().contains_key(header::CACHE_CONTROL) && (resp.status().is_success() || resp.status() == StatusCode::NOT_MODIFIED) {
        let policy = if fingerprinted { "public, max-age=31536000, immutable" } else { "no-cache" };
        resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    resp
}

/// `checkout-app-82ab625c3450614f_bg.wasm`, `cart-965637e2ed28dce.css`: a
/// name, a dash and 8 to 16 hex digits (Trunk does not pad the hash).
fn is_fingerprinted(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or("");
    let Some((stem, _ext)) = file.rsplit_once('.') else { return false };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(name, hash)| {
        !name.is_empty() && (8..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

/// The whole server: `/api`, and the app if `--dist` was given, every response
/// with the security headers.
pub fn router(state: Shared) -> Router {
    let mut api = Router::new()
        .route("/buyers", post(new_buyer))
        .route("/buyers/current/revoke", post(revoke_buyer))
        .route("/catalog", get(catalog))
        .route("/products/{id}", get(product))
        .route("/quote", post(quote))
        .route("/orders", post(place).get(orders))
        .route("/orders/{id}", get(order))
        .route("/orders/{id}/actions", post(act))
        .route("/orders/{id}/evidence", post(evidence))
        .route("/payments", post(pay))
        .route("/challenges/{id}", post(challenge))
        .route("/test-provider/challenges/{id}", post(provider_page))
        .route("/track", post(track))
        .route("/now", get(now))
        .route("/openapi.json", get(openapi_json));
    if state.config.dev {
        api = api.route("/dev/skip", post(skip)).route("/dev/panic", post(panic_on_purpose));
    }
    let api = api
        .fallback(api_not_found)
        .layer(middleware::from_fn_with_state(state.clone(), network))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state.clone());
    let mut app = Router::new().nest("/api", crate::guard::api(api, state.config.body_timeout));
    if let Some(dist) = &state.config.dist {
        app = app.merge(crate::guard::pages(app_routes(state.clone(), dist.clone())));
    }
    // The page sets its own policy (the same, plus its inline scripts' hashes).
    app.layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("referrer-policy"),
            HeaderValue::from_static("no-referrer"),
        ))
}

#[cfg(test)]
mod tests {
    use super::is_fingerprinted;

    #[test]
    fn only_names_that_carry_a_hash_are_kept_for_good() {
        for hashed in ["/checkout-app-82ab625c3450614f_bg.wasm", "/checkout-app-82ab625c3450614f.js", "/cart-965637e2ed28dce.css", "/favicon-b740c4ec556d7c7b.svg"] {
            assert!(is_fingerprinted(hashed), "{hashed}");
        }
        for plain in ["/", "/index.html", "/images/products/bamboo-desk-lamp-1.svg", "/locales/en.json", "/orders/ord_000001", "/-82ab625c3450614f.js", "/app-82ab625c3450614g.js", "/app-82ab625c3450614f0.js"] {
            assert!(!is_fingerprinted(plain), "{plain}");
        }
    }
}
