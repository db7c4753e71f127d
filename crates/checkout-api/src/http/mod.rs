//! The order API over HTTP, for any transport: [`HttpApi`] implements
//! [`OrderApi`] on the wire contract of the reference server (`/api`, JSON
//! bodies, bearer token, `Idempotency-Key`; see `docs/openapi.json`), and asks a
//! [`Transport`] to move the bytes. The browser gives one built on `fetch`; native
//! tests give one on hyper. Nothing here needs a browser or an async runtime.
//!
//! Retries follow what each call can bear:
//! - safe calls (every GET, the quote, tracking) are retried on network errors,
//!   429 and 503, with exponential backoff and full jitter, honouring the
//!   server's `Retry-After` (or its `retry_after_ms`);
//! - placing and paying are retried the same way, always with the same
//!   idempotency key, so the server replays instead of charging twice; answering
//!   a challenge is keyed by the challenge, which the server answers once;
//! - buyer actions are retried only when the server said 429 or 503, which it
//!   answers before doing anything; a lost answer is left to the shopper.
//!
//! A buyer token is made on first use (`POST /buyers`) and kept in a
//! [`TokenStore`]; a 401 gets a new token once.

#[cfg(test)]
mod tests;

use std::cell::RefCell;

use async_trait::async_trait;
use checkout_core::catalog::{Catalog, ProductId};
use checkout_core::checkout::Quote;
use checkout_core::order::{Order, OrderId, OrdersTab, TrackedOrder};
use checkout_core::time::Timestamp;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::contract::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// One request as the transport sends it.
#[derive(Clone, Debug, PartialEq)]
pub struct HttpRequest {
    pub method: Method,
    /// The address to send it to: the base URL given to [`HttpApi::new`] joined
    /// with the API path, e.g. `/api/orders/ord_000001` for a base of `/api`, or
    /// `http://127.0.0.1:8787/api/orders/ord_000001`.
    pub path: String,
    /// Names as written here (`Content-Type`, `Authorization`, `Idempotency-Key`).
    pub headers: Vec<(String, String)>,
    /// JSON, if the call has a body.
    pub body: Option<String>,
    /// A file sent as the body instead (an evidence upload).
    pub upload: Option<FileContent>,
}

/// One answer as the transport received it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpResponse {
    /// The first header of that name (any case asked, stored lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Why no answer came back at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransportError {
    /// No network (the browser says so, or the connection could not be made).
    Offline,
    /// No answer within the time allowed.
    TimedOut,
    /// Anything else the transport could not do.
    Other(String),
}

/// Moves requests and answers, waits, and draws random numbers: everything
/// [`HttpApi`] needs from where it runs.
#[async_trait(?Send)]
pub trait Transport {
    /// Sends the request; gives up with `TimedOut` after `timeout_ms`.
    async fn send(&self, req: HttpRequest, timeout_ms: u32) -> Result<HttpResponse, TransportError>;
    async fn sleep(&self, ms: u32);
    /// A random number, for the jitter of retries.
    fn random(&self) -> u64;
}

/// Where the buyer token is kept between visits (localStorage in the browser).
pub trait TokenStore {
    fn load(&self) -> Option<String>;
    fn save(&self, token: &str);
}

/// A token store that forgets on drop: native clients and tests.
#[derive(Debug, Default)]
pub struct MemoryTokenStore(RefCell<Option<String>>);

impl TokenStore for MemoryTokenStore {
    fn load(&self) -> Option<String> {
        self.0.borrow().clone()
    }

    fn save(&self, token: &str) {
        *self.0.borrow_mut() = Some(token.to_owned());
    }
}

/// How hard to try before giving up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries in all, the first included (1 = no retry).
    pub attempts: u32,
    /// The first backoff's ceiling; each further one doubles it.
    pub base_ms: u32,
    /// The largest backoff; a `Retry-After` longer than this is not waited for:
    /// the call fails with `Unavailable` and its `retry_after_ms`.
    pub cap_ms: u32,
    /// Each try's time limit.
    pub timeout_ms: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { attempts: 4, base_ms: 300, cap_ms: 5_000, timeout_ms: 15_000 }
    }
}

impl RetryPolicy {
    /// The wait before retry number `retry` (0 for the first retry): full
    /// jitter, a uniform draw in `[0, min(cap, base × 2^retry)]`.
    pub fn backoff_ms(&self, retry: u32, random: u64) -> u32 {
        let ceiling = u64::from(self.base_ms).saturating_mul(1u64 << retry.min(31)).min(u64::from(self.cap_ms));
        (random % (ceiling + 1)) as u32
    }
}

/// How a call may be retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Retry {
    /// Reads and other calls that change nothing, and keyed calls the server
    /// replays: on network errors, 429 and 503.
    Safe,
    /// Calls that change something with no key: only on 429 and 503, which the
    /// server answers before doing anything.
    UnprocessedOnly,
}

/// Whether the call needs the buyer's token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Auth {
    None,
    Buyer,
}

#[derive(Deserialize)]
struct TokenAnswer {
    token: String,
}

#[derive(Serialize)]
struct TrackBody<'a> {
    number: &'a str,
    email: &'a str,
}

/// The shopper's answer on the provider's page.
#[derive(Serialize)]
struct ChallengeAnswer {
    approved: bool,
}

/// The order API over HTTP.
pub struct HttpApi<T: Transport, S: TokenStore> {
    transport: T,
    base: String,
    store: S,
    policy: RetryPolicy,
}

/// A path segment with everything but unreserved characters percent-encoded.
fn segment(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for b in raw.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn bad(detail: impl Into<String>) -> ApiError {
    ApiError::BadResponse { detail: detail.into() }
}

/// A body that says how long to wait: `Retry-After` in seconds, or the
/// `retry_after_ms` of an `unavailable` body.
fn retry_after_ms(resp: &HttpResponse) -> Option<u32> {
    let header = resp.header("retry-after").and_then(|v| v.trim().parse::<u32>().ok()).map(|s| s.saturating_mul(1000));
    // The body's hint, read without the other errors of the contract (a busy
    // answer is retried by every call, the catalog's too).
    #[derive(Deserialize)]
    struct Busy {
        error: String,
        #[serde(default)]
        retry_after_ms: Option<u32>,
    }
    let body = serde_json::from_str::<Busy>(&resp.body).ok().filter(|b| b.error == "unavailable").and_then(|b| b.retry_after_ms);
    body.or(header)
}

/// The error an unsuccessful answer stands for.
fn error_of(resp: &HttpResponse) -> ApiError {
    if resp.status == 429 || resp.status == 503 {
        return ApiError::Unavailable { retry_after_ms: retry_after_ms(resp) };
    }
    match serde_json::from_str::<ApiError>(&resp.body) {
        // Errors only this side makes are not believed from a server.
        Ok(ApiError::Offline | ApiError::TimedOut) | Err(_) => plain_error_of(resp),
        Ok(e) => e,
    }
}

/// An error answer read without the contract's errors: busy (429, 503) or a
/// bad response naming what the server said. For calls that have no rule of
/// their own to refuse with (the catalog).
fn plain_error_of(resp: &HttpResponse) -> ApiError {
    if resp.status == 429 || resp.status == 503 {
        return ApiError::Unavailable { retry_after_ms: retry_after_ms(resp) };
    }
    #[derive(Deserialize)]
    struct Other {
        error: String,
        #[serde(default)]
        detail: Option<String>,
    }
    let what = match serde_json::from_str::<Other>(&resp.body) {
        Ok(o) => match o.detail {
            Some(d) => format!("{}: {d}", o.error),
            None => o.error,
        },
        Err(_) => "unreadable error".to_owned(),
    };
    bad(format!("HTTP {}: {what}", resp.status))
}

fn decode<R: DeserializeOwned>(resp: &HttpResponse) -> Result<R, ApiError> {
    serde_json::from_str(&resp.body).map_err(|e| bad(format!("HTTP {}: {e}", resp.status)))
}

/// A payment answer: 200 with the outcome, or 402 with the decline.
fn payment_outcome(resp: HttpResponse) -> Result<PaymentOutcome, ApiError> {
    match resp.status {
        200 | 201 => decode(&resp),
        402 => match error_of(&resp) {
            ApiError::PaymentDeclined { reason } => Ok(PaymentOutcome::Declined { reason }),
            other => Err(other),
        },
        _ => Err(error_of(&resp)),
    }
}

fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

impl<T: Transport, S: TokenStore> HttpApi<T, S> {
    /// `base_url` is where the API lives: `/api` on the same origin, or a full
    /// URL such as `http://127.0.0.1:8787/api`.
    pub fn new(transport: T, base_url: &str, store: S) -> Self {
        Self::with_policy(transport, base_url, store, RetryPolicy::default())
    }

    pub fn with_policy(transport: T, base_url: &str, store: S, policy: RetryPolicy) -> Self {
        HttpApi { transport, base: base_url.trim_end_matches('/').to_owned(), store, policy }
    }

    pub fn transport(&self) -> &T {
        &self.transport
    }

    pub fn token_store(&self) -> &S {
        &self.store
    }

    pub fn policy(&self) -> RetryPolicy {
        self.policy
    }

    /// Sends one request, retrying as `retry` allows; the answer may still be an
    /// error status (anything but a retried 429/503 on its last try is returned).
    async fn send(&self, req: &HttpRequest, retry: Retry) -> Result<HttpResponse, ApiError> {
        let attempts = self.policy.attempts.max(1);
        let mut tries = 0;
        loop {
            tries += 1;
            let last = tries >= attempts;
            let wait = match self.transport.send(req.clone(), self.policy.timeout_ms).await {
                Ok(resp) if resp.status == 429 || resp.status == 503 => {
                    let asked = retry_after_ms(&resp);
                    if last || asked.is_some_and(|ms| ms > self.policy.cap_ms) {
                        return Ok(resp);
                    }
                    let backoff = self.policy.backoff_ms(tries - 1, self.transport.random());
                    asked.map_or(backoff, |ms| ms.max(backoff))
                }
                Ok(resp) => return Ok(resp),
                Err(e) => {
                    if last || retry == Retry::UnprocessedOnly {
                        return Err(match e {
                            TransportError::Offline => ApiError::Offline,
                            TransportError::TimedOut => ApiError::TimedOut,
                            TransportError::Other(_) => ApiError::Unavailable { retry_after_ms: None },
                        });
                    }
                    self.policy.backoff_ms(tries - 1, self.transport.random())
                }
            };
            if wait > 0 {
                self.transport.sleep(wait).await;
            }
        }
    }

    fn request(&self, method: Method, path: &str, body: Option<String>) -> HttpRequest {
        let mut headers = vec![("Accept".to_owned(), "application/json".to_owned())];
        if body.is_some() {
            headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
        }
        HttpRequest { method, path: format!("{}{path}", self.base), headers, body, upload: None }
    }

    /// A new buyer token from the server, kept in the store.
    async fn new_token(&self) -> Result<String, ApiError> {
        let resp = self.send(&self.request(Method::Post, "/buyers", None), Retry::Safe).await?;
        if !is_success(resp.status) {
            return Err(error_of(&resp));
        }
        let TokenAnswer { token } = decode(&resp)?;
        if token.is_empty() {
            return Err(bad("empty buyer token"));
        }
        self.store.save(&token);
        Ok(token)
    }

    /// Sends a call, with the buyer's token if it needs one (made on first use,
    /// and made again once if the server no longer knows it).
    async fn call(&self, mut req: HttpRequest, auth: Auth, retry: Retry) -> Result<HttpResponse, ApiError> {
        if auth == Auth::None {
            return self.send(&req, retry).await;
        }
        let token = match self.store.load().filter(|t| !t.is_empty()) {
            Some(t) => t,
            None => self.new_token().await?,
        };
        req.headers.push(("Authorization".to_owned(), format!("Bearer {token}")));
        let resp = self.send(&req, retry).await?;
        if resp.status != 401 {
            return Ok(resp);
        }
        let token = self.new_token().await?;
        req.headers.retain(|(n, _)| !n.eq_ignore_ascii_case("authorization"));
        req.headers.push(("Authorization".to_owned(), format!("Bearer {token}")));
        self.send(&req, retry).await
    }

    /// A call whose success is one JSON value.
    async fn json<R: DeserializeOwned>(&self, req: HttpRequest, auth: Auth, retry: Retry) -> Result<R, ApiError> {
        let resp = self.call(req, auth, retry).await?;
        if is_success(resp.status) {
            decode(&resp)
        } else {
            Err(error_of(&resp))
        }
    }

    /// The catalog, as [`OrderApi::catalog`] gives it. It reads an error
    /// answer by its status alone: the catalog has no rule to refuse with,
    /// and reading every error of the contract would put all of their JSON
    /// into the code a first screen needs (the app calls this before it has
    /// downloaded the rest of the client: `src/api/lazy_api.rs`).
    pub async fn fetch_catalog(&self) -> Result<Catalog, ApiError> {
        let resp = self.send(&self.request(Method::Get, "/catalog", None), Retry::Safe).await?;
        if !is_success(resp.status) {
            return Err(plain_error_of(&resp));
        }
        let catalog: Catalog = decode(&resp)?;
        catalog.validate().map_err(|e| bad(e.to_string()))?;
        Ok(catalog)
    }

    fn body<B: Serialize>(value: &B) -> Result<Option<String>, ApiError> {
        serde_json::to_string(value).map(Some).map_err(|e| bad(format!("request not encodable: {e}")))
    }
}

#[async_trait(?Send)]
impl<T: Transport, S: TokenStore> OrderApi for HttpApi<T, S> {
    async fn catalog(&self) -> Result<Catalog, ApiError> {
        self.fetch_catalog().await
    }

    async fn product(&self, id: &ProductId) -> Result<ProductDetail, ApiError> {
        let path = format!("/products/{}", segment(&id.0));
        self.json(self.request(Method::Get, &path, None), Auth::None, Retry::Safe).await
    }

    async fn quote(&self, request: &QuoteRequest) -> Result<Quote, ApiError> {
        let req = self.request(Method::Post, "/quote", Self::body(request)?);
        self.json(req, Auth::None, Retry::Safe).await
    }

    async fn place_order(&self, request: &PlaceOrder) -> Result<Placement, ApiError> {
        let mut req = self.request(Method::Post, "/orders", Self::body(request)?);
        req.headers.push(("Idempotency-Key".to_owned(), request.idempotency_key.clone()));
        self.json(req, Auth::Buyer, Retry::Safe).await
    }

    async fn pay(&self, request: &PayAgain) -> Result<PaymentOutcome, ApiError> {
        let mut req = self.request(Method::Post, "/payments", Self::body(request)?);
        req.headers.push(("Idempotency-Key".to_owned(), request.idempotency_key.clone()));
        payment_outcome(self.call(req, Auth::Buyer, Retry::Safe).await?)
    }

    /// The shopper's answer on the payment provider's challenge page (the
    /// reference server hosts its test mode's page at `/test-provider`), then
    /// what the provider says, learned through the order API, which takes
    /// nothing the buyer claims.
    async fn confirm_challenge(&self, challenge_id: &str, approved: bool) -> Result<PaymentOutcome, ApiError> {
        let page = format!("/test-provider/challenges/{}", segment(challenge_id));
        let answered = self.call(self.request(Method::Post, &page, Self::body(&ChallengeAnswer { approved })?), Auth::None, Retry::Safe).await?;
        if !is_success(answered.status) {
            return Err(error_of(&answered));
        }
        let path = format!("/challenges/{}", segment(challenge_id));
        payment_outcome(self.call(self.request(Method::Post, &path, None), Auth::Buyer, Retry::Safe).await?)
    }

    async fn orders(&self, tab: OrdersTab, page: u32) -> Result<OrdersPage, ApiError> {
        let path = format!("/orders?tab={}&page={page}", tab.slug());
        self.json(self.request(Method::Get, &path, None), Auth::Buyer, Retry::Safe).await
    }

    async fn order(&self, id: &OrderId) -> Result<Order, ApiError> {
        let path = format!("/orders/{}", segment(&id.0));
        self.json(self.request(Method::Get, &path, None), Auth::Buyer, Retry::Safe).await
    }

    async fn track(&self, number: &str, email: &str) -> Result<TrackedOrder, ApiError> {
        let req = self.request(Method::Post, "/track", Self::body(&TrackBody { number, email })?);
        self.json(req, Auth::None, Retry::Safe).await
    }

    async fn act(&self, id: &OrderId, action: BuyerAction) -> Result<Order, ApiError> {
        let path = format!("/orders/{}/actions", segment(&id.0));
        let req = self.request(Method::Post, &path, Self::body(&action)?);
        self.json(req, Auth::Buyer, Retry::UnprocessedOnly).await
    }

    async fn upload_evidence(&self, order: &OrderId, file: &EvidenceUpload) -> Result<EvidenceRef, ApiError> {
        let path = format!("/orders/{}/evidence?name={}", segment(&order.0), segment(&file.name));
        let mut req = self.request(Method::Post, &path, None);
        req.headers.push(("Content-Type".to_owned(), "application/octet-stream".to_owned()));
        req.upload = Some(file.content.clone());
        // Storing a file twice harms nothing but the quota: a safe retry.
        self.json(req, Auth::Buyer, Retry::Safe).await
    }

    async fn now(&self) -> Result<Timestamp, ApiError> {
        self.json(self.request(Method::Get, "/now", None), Auth::None, Retry::Safe).await
    }
}
