//! The client's retries, backoff, token handling and error mapping, against a
//! scripted transport: each test lists the answers the "server" gives in order
//! and checks what was sent, how long the client waited, and what it returned.

use std::cell::RefCell;
use std::collections::VecDeque;

use checkout_core::order::{DeclineReason, OrderId, OrdersTab, RuleError};
use futures_executor::block_on;

use super::*;

type Scripted = Result<HttpResponse, TransportError>;

#[derive(Default)]
struct Fake {
    answers: RefCell<VecDeque<Scripted>>,
    sent: RefCell<Vec<(HttpRequest, u32)>>,
    slept: RefCell<Vec<u32>>,
    /// What `random` returns (the jitter draw), always the same.
    random: u64,
}

impl Fake {
    fn new(answers: Vec<Scripted>) -> Fake {
        Fake { answers: RefCell::new(answers.into()), random: u64::MAX, ..Fake::default() }
    }
}

#[async_trait(?Send)]
impl Transport for &Fake {
    async fn send(&self, req: HttpRequest, timeout_ms: u32) -> Result<HttpResponse, TransportError> {
        self.sent.borrow_mut().push((req, timeout_ms));
        self.answers.borrow_mut().pop_front().unwrap_or_else(|| panic!("unscripted request {:?}", self.sent.borrow().last()))
    }

    async fn sleep(&self, ms: u32) {
        self.slept.borrow_mut().push(ms);
    }

    fn random(&self) -> u64 {
        self.random
    }
}

fn resp(status: u16, body: &str) -> Scripted {
    Ok(HttpResponse { status, headers: vec![("content-type".into(), "application/json".into())], body: body.into() })
}

fn with_header(status: u16, body: &str, name: &str, value: &str) -> Scripted {
    Ok(HttpResponse { status, headers: vec![(name.into(), value.into())], body: body.into() })
}

fn store(token: Option<&str>) -> MemoryTokenStore {
    let s = MemoryTokenStore::default();
    if let Some(t) = token {
        s.save(t);
    }
    s
}

fn api<'a>(fake: &'a Fake, token: Option<&str>) -> HttpApi<&'a Fake, MemoryTokenStore> {
    HttpApi::new(fake, "http://server/api/", store(token))
}

fn header<'a>(req: &'a HttpRequest, name: &str) -> Option<&'a str> {
    req.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

const NOW: &str = "1793491200";
const UNAVAILABLE: &str = r#"{"error":"unavailable","retry_after_ms":null}"#;

fn pay_again() -> PayAgain {
    PayAgain { idempotency_key: "key-1".into(), order_ids: vec![OrderId("ord_1".into())], payment: PaymentMethod::Wallet }
}

#[test]
fn full_jitter_backoff_doubles_up_to_the_cap() {
    let p = RetryPolicy::default();
    assert_eq!((p.attempts, p.base_ms, p.cap_ms, p.timeout_ms), (4, 300, 5_000, 15_000));
    // The ceiling is reached by a draw of ceiling (mod ceiling + 1).
    assert_eq!(p.backoff_ms(0, 300), 300);
    assert_eq!(p.backoff_ms(1, 600), 600);
    assert_eq!(p.backoff_ms(2, 1_200), 1_200);
    assert_eq!(p.backoff_ms(4, 4_800), 4_800);
    assert_eq!(p.backoff_ms(5, 5_000), 5_000, "9 600 would be next: capped");
    assert_eq!(p.backoff_ms(30, 5_000), 5_000);
    assert_eq!(p.backoff_ms(3, 0), 0, "full jitter: zero is a possible wait");
    for r in [1u64, 77, 12_345, u64::MAX] {
        assert!(p.backoff_ms(1, r) <= 600);
        assert!(p.backoff_ms(40, r) <= 5_000);
    }
}

#[test]
fn every_request_has_the_timeout_and_the_base_is_joined_once() {
    let fake = Fake::new(vec![resp(200, NOW)]);
    let got = block_on(api(&fake, None).now()).unwrap();
    assert_eq!(got, Timestamp(1_793_491_200));
    let sent = fake.sent.borrow();
    assert_eq!(sent[0].0.path, "http://server/api/now");
    assert_eq!(sent[0].0.method, Method::Get);
    assert_eq!(sent[0].1, 15_000);
    assert!(header(&sent[0].0, "authorization").is_none(), "the clock needs no token");
}

#[test]
fn a_safe_call_is_retried_on_network_errors_and_503_with_backoff() {
    let fake =
        Fake::new(vec![Err(TransportError::Offline), Err(TransportError::TimedOut), resp(503, UNAVAILABLE), resp(200, NOW)]);
    let got = block_on(api(&fake, None).now());
    assert_eq!(got, Ok(Timestamp(1_793_491_200)));
    assert_eq!(fake.sent.borrow().len(), 4);
    let max = u64::MAX;
    let p = RetryPolicy::default();
    assert_eq!(*fake.slept.borrow(), vec![p.backoff_ms(0, max), p.backoff_ms(1, max), p.backoff_ms(2, max)]);
}

#[test]
fn retry_after_is_honoured_in_seconds_or_from_the_body() {
    let fake = Fake::new(vec![
        with_header(429, "", "retry-after", "2"),
        resp(503, r#"{"error":"unavailable","retry_after_ms":1500}"#),
        resp(200, NOW),
    ]);
    let mut fake = fake;
    fake.random = 0; // no jitter: the waits are the server's
    block_on(api(&fake, None).now()).unwrap();
    assert_eq!(*fake.slept.borrow(), vec![2_000, 1_500]);
}

#[test]
fn a_retry_after_longer_than_the_cap_is_handed_to_the_caller() {
    let fake = Fake::new(vec![with_header(503, UNAVAILABLE, "retry-after", "60")]);
    let got = block_on(api(&fake, None).now());
    assert_eq!(got, Err(ApiError::Unavailable { retry_after_ms: Some(60_000) }));
    assert_eq!(fake.sent.borrow().len(), 1);
    assert!(fake.slept.borrow().is_empty());
}

#[test]
fn giving_up_maps_the_last_failure() {
    let offline = Fake::new(vec![Err(TransportError::Offline); 4]);
    assert_eq!(block_on(api(&offline, None).now()), Err(ApiError::Offline));
    assert_eq!(offline.sent.borrow().len(), 4, "four tries in all");
    let slow = Fake::new(vec![Err(TransportError::TimedOut); 4]);
    assert_eq!(block_on(api(&slow, None).now()), Err(ApiError::TimedOut));
    let other = Fake::new(vec![Err(TransportError::Other("connection refused".into())); 4]);
    assert_eq!(block_on(api(&other, None).now()), Err(ApiError::Unavailable { retry_after_ms: None }));
    let busy = Fake::new(vec![
        resp(503, UNAVAILABLE),
        resp(503, UNAVAILABLE),
        resp(503, UNAVAILABLE),
        with_header(503, "", "retry-after", "1"),
    ]);
    assert_eq!(block_on(api(&busy, None).now()), Err(ApiError::Unavailable { retry_after_ms: Some(1_000) }));
}

const EMPTY_PAGE: &str = r#"{"orders":[],"page":1,"pages":1}"#;

fn empty_page() -> OrdersPage {
    OrdersPage { orders: vec![], page: 1, pages: 1 }
}

#[test]
fn a_buyer_token_is_made_on_first_use_and_sent_after() {
    let fake = Fake::new(vec![resp(201, r#"{"token":"t1"}"#), resp(200, EMPTY_PAGE), resp(200, EMPTY_PAGE)]);
    let api = api(&fake, None);
    assert_eq!(block_on(api.orders(OrdersTab::All, 1)), Ok(empty_page()));
    assert_eq!(block_on(api.orders(OrdersTab::All, 1)), Ok(empty_page()));
    let sent = fake.sent.borrow();
    assert_eq!((sent[0].0.method, sent[0].0.path.as_str()), (Method::Post, "http://server/api/buyers"));
    assert_eq!(sent[1].0.path, "http://server/api/orders?tab=all&page=1");
    assert_eq!(header(&sent[1].0, "authorization"), Some("Bearer t1"));
    assert_eq!(header(&sent[2].0, "authorization"), Some("Bearer t1"), "kept, not made again");
    assert_eq!(api.token_store().load().as_deref(), Some("t1"));
}

#[test]
fn a_401_gets_a_new_token_once() {
    let unauthorized = r#"{"error":"unauthorized"}"#;
    let fake = Fake::new(vec![resp(401, unauthorized), resp(201, r#"{"token":"t2"}"#), resp(200, EMPTY_PAGE)]);
    let api = api(&fake, Some("stale"));
    assert_eq!(block_on(api.orders(OrdersTab::All, 1)), Ok(empty_page()));
    let sent = fake.sent.borrow();
    assert_eq!(header(&sent[0].0, "authorization"), Some("Bearer stale"));
    assert_eq!(header(&sent[2].0, "authorization"), Some("Bearer t2"));
    assert_eq!(sent[2].0.headers.iter().filter(|(n, _)| n == "Authorization").count(), 1);
    drop(sent);

    let again = Fake::new(vec![resp(401, unauthorized), resp(201, r#"{"token":"t3"}"#), resp(401, unauthorized)]);
    let got = block_on(self::api(&again, Some("stale")).orders(OrdersTab::All, 1));
    assert!(
        matches!(got, Err(ApiError::BadResponse { ref detail }) if detail.contains("401") && detail.contains("unauthorized")),
        "{got:?}"
    );
    assert_eq!(again.sent.borrow().len(), 3, "only once");
}

#[test]
fn placing_sends_the_key_and_retries_with_the_same_key() {
    let placement = Placement { orders: vec![], payment: PaymentOutcome::Authorised };
    let body = serde_json::to_string(&placement).unwrap();
    let fake = Fake::new(vec![Err(TransportError::TimedOut), resp(200, &body)]);
    let request = PlaceOrder {
        idempotency_key: "2f1e4c7a-9b0d-4e8f-a1c2-3d4e5f6a7b8c".into(),
        quote: QuoteRequest::default(),
        expected_total: checkout_core::money::Money::new(0, checkout_core::money::Currency::USD),
        address: Default::default(),
        email: "a@b.c".into(),
        phone: "1".into(),
        payment: PaymentMethod::Wallet,
    };
    assert_eq!(block_on(api(&fake, Some("t")).place_order(&request)), Ok(placement));
    let sent = fake.sent.borrow();
    assert_eq!(sent.len(), 2);
    for (req, _) in sent.iter() {
        assert_eq!(header(req, "idempotency-key"), Some(request.idempotency_key.as_str()));
        assert_eq!(req.path, "http://server/api/orders");
        assert_eq!(req.body, sent[0].0.body, "the same body every time");
        assert_eq!(header(req, "content-type"), Some("application/json"));
    }
}

#[test]
fn a_decline_answered_with_402_is_an_outcome_not_an_error() {
    let declined = r#"{"error":"payment_declined","reason":"insufficient_funds"}"#;
    let fake = Fake::new(vec![resp(402, declined), resp(200, r#"{"approved":false}"#), resp(402, declined)]);
    let api = api(&fake, Some("t"));
    assert_eq!(block_on(api.pay(&pay_again())), Ok(PaymentOutcome::Declined { reason: DeclineReason::InsufficientFunds }));
    assert_eq!(
        block_on(api.confirm_challenge("chl/1", false)),
        Ok(PaymentOutcome::Declined { reason: DeclineReason::InsufficientFunds })
    );
    let sent = fake.sent.borrow();
    assert_eq!(header(&sent[0].0, "idempotency-key"), Some("key-1"));
    // The answer goes to the provider's page; the order API is only asked.
    assert_eq!(sent[1].0.path, "http://server/api/test-provider/challenges/chl%2F1", "ids are encoded as one segment");
    assert_eq!(sent[1].0.body.as_deref(), Some(r#"{"approved":false}"#));
    assert!(header(&sent[1].0, "authorization").is_none());
    assert_eq!(sent[2].0.path, "http://server/api/challenges/chl%2F1");
    assert_eq!(sent[2].0.body, None, "the buyer tells the order API nothing about the outcome");
}

#[test]
fn an_action_is_not_retried_after_a_lost_answer_but_is_after_503() {
    let fake = Fake::new(vec![Err(TransportError::TimedOut)]);
    let got = block_on(api(&fake, Some("t")).cancel(&OrderId("ord_1".into())));
    assert_eq!(got, Err(ApiError::TimedOut));
    assert_eq!(fake.sent.borrow().len(), 1, "the cancel may have happened: not sent again");

    let refused = r#"{"error":"refused","rule":{"rule":"not_in_this_status","status":"completed"}}"#;
    let fake = Fake::new(vec![resp(503, UNAVAILABLE), with_header(429, "", "retry-after", "0"), resp(409, refused)]);
    let got = block_on(api(&fake, Some("t")).cancel(&OrderId("ord_1".into())));
    assert_eq!(
        got,
        Err(ApiError::Refused { rule: RuleError::NotInThisStatus { status: checkout_core::order::OrderStatus::Completed } })
    );
    let sent = fake.sent.borrow();
    assert_eq!(sent.len(), 3);
    assert_eq!(sent[0].0.path, "http://server/api/orders/ord_1/actions");
    assert_eq!(sent[0].0.body.as_deref(), Some(r#""cancel""#));
}

#[test]
fn error_bodies_map_to_api_errors_and_anything_else_is_a_bad_response() {
    let cases: Vec<(Scripted, ApiError)> = vec![
        (resp(404, r#"{"error":"not_found"}"#), ApiError::NotFound),
        (
            resp(422, r#"{"error":"quote_refused","reason":{"reason":"coupon_unknown"}}"#),
            ApiError::QuoteRefused { reason: checkout_core::checkout::QuoteError::CouponUnknown },
        ),
        (resp(400, r#"{"error":"bad_request","detail":"expected value"}"#), bad("HTTP 400: bad_request: expected value")),
        (resp(500, "<html>oops</html>"), bad("HTTP 500: unreadable error")),
        (resp(404, "<html>nginx</html>"), bad("HTTP 404: unreadable error")),
        (resp(400, r#"{"error":"offline"}"#), bad("HTTP 400: offline")),
    ];
    for (answer, want) in cases {
        let fake = Fake::new(vec![answer]);
        let got = block_on(api(&fake, Some("t")).order(&OrderId("ord_1".into())));
        assert_eq!(got, Err(want));
    }
}

#[test]
fn answers_that_do_not_parse_are_bad_responses_never_panics() {
    for body in ["", "nul", "{\"orders\": 3}", "[]", "[1,2", "\u{0}"] {
        let fake = Fake::new(vec![resp(200, body)]);
        let got = block_on(api(&fake, Some("t")).orders(OrdersTab::All, 1));
        assert!(matches!(got, Err(ApiError::BadResponse { ref detail }) if detail.starts_with("HTTP 200")), "{body:?}: {got:?}");
    }
    let fake = Fake::new(vec![resp(201, r#"{"tok":"x"}"#)]);
    assert!(matches!(block_on(api(&fake, None).orders(OrdersTab::All, 1)), Err(ApiError::BadResponse { .. })));
}

#[test]
fn tracking_needs_no_token_and_is_retried() {
    let fake = Fake::new(vec![Err(TransportError::Offline), resp(404, r#"{"error":"not_found"}"#)]);
    let got = block_on(api(&fake, None).track("8100000000001", "a@b.c"));
    assert_eq!(got, Err(ApiError::NotFound));
    let sent = fake.sent.borrow();
    assert_eq!(sent.len(), 2);
    assert!(header(&sent[1].0, "authorization").is_none());
    assert_eq!(sent[1].0.body.as_deref(), Some(r#"{"number":"8100000000001","email":"a@b.c"}"#));
}

#[test]
fn the_catalog_is_retried_like_any_safe_call_and_its_errors_are_read_by_status() {
    // The marketplace's catalog (a dev-dependency: it builds on this crate).
    let catalog = marketplace::world::catalog();
    let body = serde_json::to_string(&catalog).unwrap();
    let fake = Fake::new(vec![Err(TransportError::Offline), resp(503, UNAVAILABLE), resp(200, &body)]);
    assert_eq!(block_on(api(&fake, None).catalog()), Ok(catalog));
    assert_eq!(fake.sent.borrow()[2].0.path, "http://server/api/catalog");
    assert!(header(&fake.sent.borrow()[2].0, "authorization").is_none(), "the catalog needs no token");

    let cases: Vec<(Scripted, ApiError)> = vec![
        (with_header(429, "", "retry-after", "60"), ApiError::Unavailable { retry_after_ms: Some(60_000) }),
        (resp(500, r#"{"error":"internal","detail":"disk full"}"#), bad("HTTP 500: internal: disk full")),
        (resp(404, "<html>nginx</html>"), bad("HTTP 404: unreadable error")),
        // Even an error the contract knows is read as what it says, not believed.
        (resp(422, r#"{"error":"quote_refused","reason":{"reason":"coupon_unknown"}}"#), bad("HTTP 422: quote_refused")),
        (resp(200, r#"{"products": 3}"#), ApiError::BadResponse { detail: String::new() }),
    ];
    for (answer, want) in cases {
        let fake = Fake::new(vec![answer]);
        let got = block_on(api(&fake, None).fetch_catalog());
        match (&got, &want) {
            (Err(ApiError::BadResponse { detail }), ApiError::BadResponse { detail: w }) if w.is_empty() => assert!(detail.starts_with("HTTP 200"), "{detail}"),
            _ => assert_eq!(got, Err(want)),
        }
    }
}
