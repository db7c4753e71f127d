//! One contract suite, written once against `&dyn OrderApi`, run twice: on the
//! mock in process (a hand-moved clock, no latency) and on the reference server
//! over real HTTP through `checkout_api::http::HttpApi`. Same calls, same
//! answers: what the app sees cannot depend on which one it talks to.

mod common;

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use checkout_api::http::Method;
use marketplace::mock::{CardDetails, Env, MockApi, MockConfig, MockTokenizer, Tokenizer};
use marketplace::Scenario;
use checkout_api::*;
use checkout_core::cart::Cart;
use checkout_core::catalog::ProductId;
use checkout_core::checkout::{PlaceError, QuoteError};
use checkout_core::evidence::{EvidenceError, EvidenceKind};
use checkout_core::money::Money;
use checkout_core::order::{
    CloseReason, DeclineReason, DisputeReason, OrderId, OrderStatus, OrdersTab, RefundRequest, ReturnLine, ReturnReason, ReturnState,
    RuleError, TimelineKind,
};
use checkout_core::time::{DAY, MINUTE};
use checkout_core::validate::address::AddressInput;
use checkout_core::validate::card::Expiry;
use checkout_core::validate::Field;
use common::*;

// ---- the two implementations behind one face ----

#[async_trait(?Send)]
trait Harness {
    fn api(&self) -> &dyn OrderApi;
    /// Moves the implementation's clock forward.
    async fn skip(&self, seconds: i64);
}

#[derive(Clone, Default)]
struct TestEnv {
    wall_ms: Rc<Cell<i64>>,
    stored: Rc<RefCell<Option<String>>>,
}

impl Env for TestEnv {
    fn now_ms(&self) -> i64 {
        self.wall_ms.get()
    }
    fn sleep(&self, _ms: u32) -> Pin<Box<dyn Future<Output = ()>>> {
        Box::pin(async {})
    }
    fn load(&self) -> Option<String> {
        self.stored.borrow().clone()
    }
    fn save(&self, state: &str) {
        *self.stored.borrow_mut() = Some(state.to_owned());
    }
}

struct OnMock(MockApi<TestEnv>);

#[async_trait(?Send)]
impl Harness for OnMock {
    fn api(&self) -> &dyn OrderApi {
        &self.0
    }
    async fn skip(&self, seconds: i64) {
        self.0.skip(seconds);
    }
}

fn on_mock() -> OnMock {
    OnMock(MockApi::new(TestEnv::default(), MockConfig { scenario: Scenario::HappyPath, speed: 1, latency_ms: Some(0) }))
}

struct OnServer {
    server: TestServer,
    api: Client_,
}

#[async_trait(?Send)]
impl Harness for OnServer {
    fn api(&self) -> &dyn OrderApi {
        &self.api
    }
    async fn skip(&self, seconds: i64) {
        let body = format!(r#"{{"seconds":{seconds}}}"#);
        let resp = raw(&self.server, Method::Post, "/api/dev/skip", &[("Content-Type", "application/json")], Some(&body)).await;
        assert_eq!(resp.status, 200, "{}", resp.body);
    }
}

async fn on_server(name: &str) -> OnServer {
    let server = start_fresh(name).await;
    let api = client(&server);
    OnServer { server, api }
}

// ---- fixtures ----

fn cart() -> Cart {
    let catalog = MockApi::<TestEnv>::seed_catalog();
    let mut cart = Cart::default();
    let p = |id: &str| catalog.product(&ProductId(id.into())).unwrap().clone();
    cart.add(&p("bamboo-desk-lamp"), None, 2).unwrap();
    cart.add(&p("headlamp"), None, 1).unwrap();
    cart
}


async fn card(number: &str) -> PaymentMethod {
    let card = CardDetails { number: number.into(), expiry: "12/30".into(), cvc: "123".into(), name: "Ana López".into() };
    PaymentMethod::Card(MockTokenizer.tokenize(&card, Expiry { year: 2026, month: 11 }).await.unwrap())
}

/// A fresh UUID-shaped key for each attempt.
fn key() -> String {
    static N: AtomicU64 = AtomicU64::new(1);
    format!("6f1c2d3e-4a5b-4c6d-8e7f-{:012x}", N.fetch_add(1, Ordering::Relaxed))
}

fn quote_request() -> QuoteRequest {
    QuoteRequest { cart: cart(), country: "US".into(), ..Default::default() }
}

async fn place_request(api: &dyn OrderApi, payment: PaymentMethod) -> PlaceOrder {
    let quote = api.quote(&quote_request()).await.unwrap();
    PlaceOrder {
        idempotency_key: key(),
        quote: quote_request(),
        expected_total: quote.totals.total,
        address: address(),
        email: EMAIL.into(),
        phone: "+1 415 555 2671".into(),
        payment,
    }
}

async fn place(api: &dyn OrderApi, payment: PaymentMethod) -> Placement {
    let req = place_request(api, payment).await;
    api.place_order(&req).await.unwrap()
}

fn ids(p: &Placement) -> Vec<OrderId> {
    p.orders.iter().map(|o| o.id.clone()).collect()
}

async fn status(api: &dyn OrderApi, id: &OrderId) -> OrderStatus {
    api.order(id).await.unwrap().status
}

// ---- the suite ----

async fn catalog_and_products(h: &dyn Harness) {
    let api = h.api();
    let catalog = api.catalog().await.unwrap();
    assert_eq!(catalog, MockApi::<TestEnv>::seed_catalog());
    let detail = api.product(&ProductId("headlamp".into())).await.unwrap();
    assert_eq!(detail.product.id.0, "headlamp");
    assert_eq!(detail.seller.id, detail.product.seller_id);
    assert_eq!(api.product(&ProductId("no-such-product".into())).await, Err(ApiError::NotFound));
    assert!(api.now().await.unwrap() >= MOCK_START);
}

async fn quotes_with_coupons(h: &dyn Harness) {
    let api = h.api();
    let plain = api.quote(&quote_request()).await.unwrap();
    assert_eq!(plain.sellers.len(), 2, "grouped by seller");
    let coupon = QuoteRequest { coupon: Some(" welcome10 ".into()), ..quote_request() };
    let off = api.quote(&coupon).await.unwrap();
    assert_eq!(off.coupon.as_deref(), Some("WELCOME10"));
    assert_eq!(off.totals.discount.minor, (plain.totals.items.minor + 5) / 10, "10% of the items");
    assert!(off.totals.total.minor < plain.totals.total.minor);
    let unknown = QuoteRequest { coupon: Some("NOPE".into()), ..quote_request() };
    assert_eq!(api.quote(&unknown).await, Err(ApiError::QuoteRefused { reason: QuoteError::CouponUnknown }));
    let expired = QuoteRequest { coupon: Some("SUMMER25".into()), ..quote_request() };
    assert_eq!(api.quote(&expired).await, Err(ApiError::QuoteRefused { reason: QuoteError::CouponExpired }));
    let taxed = QuoteRequest { country: "DE".into(), ..quote_request() };
    assert_eq!(api.quote(&taxed).await.unwrap().tax_rate_bp, 1900);
    let empty = QuoteRequest { cart: Cart::default(), ..quote_request() };
    assert_eq!(api.quote(&empty).await, Err(ApiError::QuoteRefused { reason: QuoteError::NothingToBuy }));
}

async fn placing_makes_one_order_per_seller_and_replays_by_key(h: &dyn Harness) {
    let api = h.api();
    let req = place_request(api, card("4242 4242 4242 4242").await).await;
    let first = api.place_order(&req).await.unwrap();
    assert_eq!(first.payment, PaymentOutcome::Authorised);
    assert_eq!(first.orders.len(), 2, "one order per seller");
    assert_ne!(first.orders[0].number, first.orders[1].number);
    assert!(first.orders.iter().all(|o| o.status == OrderStatus::PaymentBeingVerified));
    assert!(first.orders.iter().all(|o| o.delivery_estimate.is_some()));
    let again = api.place_order(&req).await.unwrap();
    assert_eq!(ids(&again), ids(&first), "the same key never makes a second order");
    assert_eq!(again.payment, PaymentOutcome::Authorised, "nor a second charge");
    let changed = PlaceOrder { address: AddressInput { city: "Oakland".into(), ..address() }, ..req.clone() };
    assert_eq!(api.place_order(&changed).await, Err(ApiError::Conflict { reason: PlaceError::KeyReusedWithDifferentQuote }));
    let bad_key = PlaceOrder { idempotency_key: "not-a-uuid".into(), ..req.clone() };
    assert_eq!(api.place_order(&bad_key).await, Err(ApiError::Conflict { reason: PlaceError::BadKey }));

    let list = api.all_orders().await.unwrap();
    let newest: Vec<OrderId> = list.iter().take(2).map(|o| o.id.clone()).collect();
    assert_eq!(newest, vec![first.orders[1].id.clone(), first.orders[0].id.clone()], "newest first");
    let one = api.order(&first.orders[0].id).await.unwrap();
    assert_eq!(one.id, first.orders[0].id);
    assert_eq!(api.order(&OrderId("ord_nope".into())).await, Err(ApiError::NotFound));

    let tracked = api.track(&first.orders[1].number, " ANA@example.com ").await.unwrap();
    assert_eq!(tracked, api.order(&first.orders[1].id).await.unwrap().tracked());
    let seen = serde_json::to_string(&tracked).unwrap();
    assert!(!seen.contains("Market St") && !seen.contains("López") && !seen.contains("4242"), "no address nor card: {seen}");
    assert_eq!(api.track(&first.orders[1].number, "someone@example.com").await, Err(ApiError::NotFound));
    assert_eq!(api.track("0000", EMAIL).await, Err(ApiError::NotFound));
}

async fn time_moves_orders_along(h: &dyn Harness) {
    let api = h.api();
    let placed = place(api, card("4242424242424242").await).await;
    let id = placed.orders[0].id.clone();
    h.skip(5 * MINUTE).await;
    assert_eq!(status(api, &id).await, OrderStatus::AwaitingShipment);
    h.skip(DAY).await;
    assert_eq!(status(api, &id).await, OrderStatus::AwaitingDelivery);
    h.skip(10 * DAY).await;
    let o = api.order(&id).await.unwrap();
    assert_eq!(o.status, OrderStatus::Delivered);
    assert_eq!(o.shipment.as_ref().unwrap().checkpoints.len(), 5);
    let tracked = api.track(&o.number, EMAIL).await.unwrap();
    assert_eq!(tracked, o.tracked());
}

async fn refused_details_and_changed_prices(h: &dyn Harness) {
    let api = h.api();
    let good = place_request(api, card("4242424242424242").await).await;
    let bad =
        PlaceOrder { email: "ana@".into(), address: AddressInput { postal_code: "9410".into(), ..address() }, ..good.clone() };
    match api.place_order(&bad).await {
        Err(ApiError::Invalid { fields }) => {
            let named: Vec<Field> = fields.iter().map(|f| f.field).collect();
            assert!(named.contains(&Field::Email) && named.contains(&Field::PostalCode), "{named:?}");
        }
        other => panic!("expected invalid fields, got {other:?}"),
    }
    let cheaper =
        PlaceOrder { expected_total: Money::new(good.expected_total.minor - 1, good.expected_total.currency), ..good.clone() };
    assert_eq!(
        api.place_order(&cheaper).await,
        Err(ApiError::QuoteRefused { reason: QuoteError::PriceChanged { total: good.expected_total } })
    );
    assert!(api.all_orders().await.unwrap().iter().all(|o| o.status != OrderStatus::AwaitingPayment || o.id.0.starts_with("seed")));
}

async fn a_decline_then_paying_again(h: &dyn Harness) {
    let api = h.api();
    let placed = place(api, card("4000 0000 0000 0002").await).await;
    assert_eq!(placed.payment, PaymentOutcome::Declined { reason: DeclineReason::DoNotHonour }, "orders exist; not an error");
    assert!(placed.orders.iter().all(|o| o.status == OrderStatus::AwaitingPayment));
    let short = PayAgain { idempotency_key: key(), order_ids: ids(&placed), payment: card("4000 0000 0000 9995").await };
    assert_eq!(api.pay(&short).await, Ok(PaymentOutcome::Declined { reason: DeclineReason::InsufficientFunds }));
    let retry = PayAgain { idempotency_key: key(), order_ids: ids(&placed), payment: card("4242 4242 4242 4242").await };
    assert_eq!(api.pay(&retry).await, Ok(PaymentOutcome::Authorised));
    assert_eq!(api.pay(&retry).await, Ok(PaymentOutcome::Authorised), "the same key: the same outcome, no second charge");
    for id in ids(&placed) {
        assert_eq!(status(api, &id).await, OrderStatus::PaymentBeingVerified);
    }
    let paid_again = PayAgain { idempotency_key: key(), ..retry.clone() };
    assert_eq!(
        api.pay(&paid_again).await,
        Err(ApiError::Refused { rule: RuleError::NotInThisStatus { status: OrderStatus::PaymentBeingVerified } })
    );
    let nothing = PayAgain { idempotency_key: key(), order_ids: vec![OrderId("ord_nope".into())], ..retry };
    assert_eq!(api.pay(&nothing).await, Err(ApiError::NotFound));
}

async fn three_d_secure_passed_and_abandoned(h: &dyn Harness) {
    let api = h.api();
    let placed = place(api, card("4000 0025 0000 3155").await).await;
    let PaymentOutcome::ChallengeRequired { challenge_id } = placed.payment.clone() else { panic!("{:?}", placed.payment) };
    assert!(placed.orders.iter().all(|o| o.status == OrderStatus::AwaitingPayment));
    assert_eq!(api.confirm_challenge(&challenge_id, true).await, Ok(PaymentOutcome::Authorised));
    assert_eq!(api.confirm_challenge(&challenge_id, false).await, Ok(PaymentOutcome::Authorised), "answered once");
    assert_eq!(status(api, &placed.orders[0].id).await, OrderStatus::PaymentBeingVerified);

    let abandoned = place(api, card("4000 0025 0000 3155").await).await;
    let PaymentOutcome::ChallengeRequired { challenge_id } = abandoned.payment.clone() else { panic!() };
    assert_eq!(
        api.confirm_challenge(&challenge_id, false).await,
        Ok(PaymentOutcome::Declined { reason: DeclineReason::DoNotHonour })
    );
    assert_eq!(status(api, &abandoned.orders[0].id).await, OrderStatus::AwaitingPayment, "left to pay again");
    assert_eq!(api.confirm_challenge("chl_nope", true).await, Err(ApiError::NotFound));
}

async fn wallet_redirect_and_return(h: &dyn Harness) {
    let api = h.api();
    let placed = place(api, PaymentMethod::Wallet).await;
    let PaymentOutcome::Redirect { url, return_path } = placed.payment.clone() else { panic!("{:?}", placed.payment) };
    assert_eq!(return_path, format!("/orders/{}", placed.orders[0].id.0));
    let challenge = url.strip_prefix("/pay/wallet?challenge=").expect("the wallet's page").to_owned();
    assert_eq!(api.confirm_challenge(&challenge, true).await, Ok(PaymentOutcome::Authorised));
    let o = api.order(&placed.orders[0].id).await.unwrap();
    assert_eq!(o.status, OrderStatus::PaymentBeingVerified);
    assert_eq!(o.payment.unwrap().method, checkout_core::order::PaidWith::Wallet);
}

async fn cancelling_before_shipment_and_refused_actions(h: &dyn Harness) {
    let api = h.api();
    let unpaid = place(api, card("4000 0000 0000 0069").await).await;
    assert_eq!(unpaid.payment, PaymentOutcome::Declined { reason: DeclineReason::CardExpired });
    let closed = api.cancel(&unpaid.orders[0].id).await.unwrap();
    assert_eq!(closed.status, OrderStatus::Closed(CloseReason::CancelledByBuyer), "cancelled while awaiting payment");
    assert_eq!(status(api, &unpaid.orders[1].id).await, OrderStatus::AwaitingPayment, "each order lives its own life");

    let paid = place(api, card("4242424242424242").await).await;
    let refused = api.confirm_receipt(&paid.orders[0].id).await;
    assert_eq!(
        refused,
        Err(ApiError::Refused { rule: RuleError::NotInThisStatus { status: OrderStatus::PaymentBeingVerified } })
    );
    let closed = api.cancel(&paid.orders[0].id).await.unwrap();
    assert_eq!(closed.status, OrderStatus::Closed(CloseReason::CancelledByBuyer), "cancelled at once while being verified");
    assert!(matches!(api.cancel(&paid.orders[0].id).await, Err(ApiError::Refused { .. })), "not twice");
    assert_eq!(api.cancel(&OrderId("ord_nope".into())).await, Err(ApiError::NotFound));
}

const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1];

/// A file of `len` bytes that starts with `head`.
fn file_of(head: &[u8], len: usize) -> Vec<u8> {
    let mut v = head.to_vec();
    v.resize(len, 0x5A);
    v
}

async fn evidence_is_checked_by_content(h: &dyn Harness) {
    let api = h.api();
    let placed = place(api, card("4242424242424242").await).await;
    let id = &placed.orders[0].id;
    let jpeg = EvidenceUpload::from_bytes("parcel.jpg", file_of(JPEG, 120_000));
    assert_eq!(api.upload_evidence(id, &jpeg).await.unwrap().kind, EvidenceKind::Jpeg);
    let gif = EvidenceUpload::from_bytes("parcel.jpg", file_of(b"GIF89a\x01\x00", 1_000));
    assert_eq!(
        api.upload_evidence(id, &gif).await,
        Err(ApiError::EvidenceRefused { problems: vec![EvidenceError::WrongType { name: "parcel.jpg".into() }] })
    );
    let renamed = EvidenceUpload { name: "parcel.png".into(), ..jpeg.clone() };
    assert_eq!(
        api.upload_evidence(id, &renamed).await,
        Err(ApiError::EvidenceRefused { problems: vec![EvidenceError::ContentMismatch { name: "parcel.png".into() }] })
    );
    let huge = EvidenceUpload::from_bytes("parcel.jpg", file_of(JPEG, 11 * 1024 * 1024));
    assert!(matches!(api.upload_evidence(id, &huge).await, Err(ApiError::EvidenceRefused { .. })));
    assert_eq!(api.upload_evidence(&OrderId("ord_nope".into()), &jpeg).await, Err(ApiError::NotFound));
}

/// Each rule the core added to what a buyer may do refuses the same way on
/// both: a second protection-extension request, a video as a feedback photo,
/// a file that was not uploaded for this order, a third dispute.
async fn the_core_refuses_with_the_same_typed_reason(h: &dyn Harness) {
    let api = h.api();
    let placed = place(api, card("4242424242424242").await).await;
    let (id, other) = (&placed.orders[0].id, &placed.orders[1].id);
    h.skip(5 * MINUTE + 11 * DAY).await;
    assert_eq!(status(api, id).await, OrderStatus::Delivered);
    let extend = BuyerAction::RequestProtectionExtension { days: 15 };
    api.act(id, extend.clone()).await.expect("the first request");
    assert_eq!(api.act(id, extend).await, Err(ApiError::Refused { rule: RuleError::ExtensionAlreadyRequested }));

    let mp4 = EvidenceUpload::from_bytes("unboxing.mp4", file_of(b"\0\0\0\x18ftypmp42", 2_000_000));
    let jpeg = EvidenceUpload::from_bytes("label.jpg", file_of(JPEG, 90_000));
    let video = api.upload_evidence(id, &mp4).await.unwrap().id;
    let photo = api.upload_evidence(id, &jpeg).await.unwrap().id;
    let elsewhere = api.upload_evidence(other, &jpeg).await.unwrap().id;
    let text = "The lid cracked in transit and it leaks.".to_owned();
    let open = |evidence: Vec<String>| BuyerAction::OpenDispute {
        reason: DisputeReason::Damaged,
        refund: RefundRequest::Full,
        description: text.clone(),
        evidence,
    };
    for made_up in [vec!["evd_made_up".to_owned()], vec![elsewhere.clone()]] {
        assert_eq!(api.act(id, open(made_up)).await, Err(ApiError::Refused { rule: RuleError::UnknownEvidence }));
    }
    for _ in 0..2 {
        api.act(id, open(vec![video.clone(), photo.clone()])).await.expect("open");
        api.act(id, BuyerAction::WithdrawDispute).await.expect("withdraw");
    }
    assert_eq!(
        api.act(id, open(vec![])).await,
        Err(ApiError::Refused { rule: RuleError::DisputeLimitReached { max: 2 } })
    );

    api.confirm_receipt(id).await.expect("confirm");
    let feedback = |photos: Vec<String>| BuyerAction::LeaveFeedback {
        item_stars: 4,
        communication_stars: 5,
        shipping_stars: 3,
        text: "Fine".into(),
        photos,
    };
    assert_eq!(api.act(id, feedback(vec![video])).await, Err(ApiError::Refused { rule: RuleError::FeedbackPhotoNotImage }));
    assert_eq!(api.act(id, feedback(vec![elsewhere])).await, Err(ApiError::Refused { rule: RuleError::UnknownEvidence }));
    let left = api.act(id, feedback(vec![photo.clone()])).await.expect("a photo is a photo");
    assert_eq!(left.feedback.unwrap().photos, vec![photo]);
}

/// What a request declares about the country or splits over lines decides
/// nothing: tax follows the delivery address, and one item on several lines
/// is one line within its limit.
async fn tax_follows_the_address_and_repeated_lines_count_once(h: &dyn Harness) {
    let api = h.api();
    let berlin = AddressInput {
        country: "DE".into(),
        region: String::new(),
        postal_code: "10115".into(),
        city: "Berlin".into(),
        line1: "Invalidenstraße 1".into(),
        ..address()
    };
    let declared_us = api.quote(&quote_request()).await.unwrap();
    let in_germany = api.quote(&QuoteRequest { country: "DE".into(), ..quote_request() }).await.unwrap();
    assert!(in_germany.totals.tax.minor > 0 && declared_us.totals.tax.minor == 0, "the table taxes Germany, not the US");
    let request = |expected_total| PlaceOrder {
        idempotency_key: key(),
        quote: quote_request(),
        expected_total,
        address: berlin.clone(),
        email: EMAIL.into(),
        phone: "+49 30 901820".into(),
        payment: PaymentMethod::Wallet,
    };
    assert_eq!(
        api.place_order(&request(declared_us.totals.total)).await.map(|_| ()),
        Err(ApiError::QuoteRefused { reason: QuoteError::PriceChanged { total: in_germany.totals.total } }),
        "the US price is not the price of a parcel to Berlin"
    );
    let placed = api.place_order(&request(in_germany.totals.total)).await.unwrap();
    let tax: i64 = placed.orders.iter().map(|o| o.totals.tax.minor).sum();
    assert_eq!(tax, in_germany.totals.tax.minor);

    let catalog = MockApi::<TestEnv>::seed_catalog();
    let headlamp = catalog.product(&ProductId("headlamp".into())).unwrap().clone();
    let mut one = Cart::default();
    one.add(&headlamp, None, headlamp.max_per_order).unwrap();
    let split = Cart { lines: [one.lines.clone(), one.lines.clone(), one.lines.clone()].concat() };
    let quoted = api.quote(&QuoteRequest { cart: split, country: "US".into(), ..Default::default() }).await.unwrap();
    let lines: Vec<u32> = quoted.sellers.iter().flat_map(|s| &s.lines).map(|l| l.quantity).collect();
    assert_eq!(lines, vec![headlamp.max_quantity(None)], "three lines of the headlamp are one, within its limit");
}

/// A payment key answers again only for what it paid: reused for other
/// orders it is refused, and those orders stay unpaid.
async fn a_payment_key_is_bound_to_what_it_paid(h: &dyn Harness) {
    let api = h.api();
    let paid = place_request(api, card("4242424242424242").await).await;
    api.place_order(&paid).await.unwrap();
    let unpaid = place(api, card("4000 0000 0000 0002").await).await;
    assert!(matches!(unpaid.payment, PaymentOutcome::Declined { .. }));
    let reuse = PayAgain { idempotency_key: paid.idempotency_key.clone(), order_ids: ids(&unpaid), payment: card("4242424242424242").await };
    assert_eq!(api.pay(&reuse).await, Err(ApiError::Conflict { reason: PlaceError::KeyReusedForOtherPayment }));
    for id in ids(&unpaid) {
        assert_eq!(status(api, &id).await, OrderStatus::AwaitingPayment, "still unpaid");
    }
    // Its own attempt, retried, gets its answer each time.
    let again = PayAgain { idempotency_key: key(), order_ids: ids(&unpaid), payment: card("4242424242424242").await };
    assert_eq!(api.pay(&again).await, Ok(PaymentOutcome::Authorised));
    assert_eq!(api.pay(&again).await, Ok(PaymentOutcome::Authorised));
    let other_card = PayAgain { payment: card("5555555555554444").await, ..again };
    assert_eq!(api.pay(&other_card).await, Err(ApiError::Conflict { reason: PlaceError::KeyReusedForOtherPayment }));
}

/// The list comes a page of 20 at a time, per tab, newest first; a page past
/// the last is the last.
async fn orders_come_a_page_at_a_time_per_tab(h: &dyn Harness) {
    let api = h.api();
    let before = api.all_orders().await.unwrap().len();
    let mut mine = Vec::new();
    for _ in 0..11 {
        mine.extend(ids(&place(api, card("4000 0000 0000 0002").await).await));
    }
    let total = before + mine.len();
    let first = api.orders(OrdersTab::All, 1).await.unwrap();
    assert_eq!((first.orders.len(), first.page, first.pages as usize), (20, 1, total.div_ceil(20)));
    assert_eq!(first.orders[0].id, *mine.last().unwrap(), "newest first");
    let past = api.orders(OrdersTab::All, 999).await.unwrap();
    assert_eq!((past.page, past.pages), (first.pages, first.pages));
    assert_eq!(past.orders.len(), total - 20 * (total.div_ceil(20) - 1));
    let all = api.all_orders().await.unwrap();
    assert_eq!(all.len(), total, "every order once");
    let unpaid = api.orders(OrdersTab::AwaitingPayment, 1).await.unwrap();
    assert!(unpaid.orders.iter().all(|o| o.status == OrderStatus::AwaitingPayment));
    assert_eq!(unpaid.orders.len(), 20);
    let second = api.orders(OrdersTab::AwaitingPayment, 2).await.unwrap();
    assert!(second.orders.iter().all(|o| !unpaid.orders.contains(o)), "pages do not overlap");
}

/// WELCOME10 is once per buyer: a second checkout with it is refused before
/// anything is made, and the first one's retries still get their answer.
async fn a_welcome_coupon_is_used_once_per_buyer(h: &dyn Harness) {
    let api = h.api();
    let with_coupon = QuoteRequest { coupon: Some("WELCOME10".into()), ..quote_request() };
    let total = api.quote(&with_coupon).await.unwrap().totals.total;
    let first = PlaceOrder { quote: with_coupon.clone(), expected_total: total, ..place_request(api, card("4242424242424242").await).await };
    let placed = api.place_order(&first).await.unwrap();
    assert_eq!(api.place_order(&first).await.unwrap().orders, placed.orders, "a retry is not a second use");
    let before = api.all_orders().await.unwrap().len();
    let second = PlaceOrder { idempotency_key: key(), ..first.clone() };
    assert_eq!(api.place_order(&second).await, Err(ApiError::QuoteRefused { reason: QuoteError::CouponUsedUp }));
    assert_eq!(api.all_orders().await.unwrap().len(), before, "nothing made");
    // Without the coupon, the same checkout goes through.
    let plain = place_request(api, card("4242424242424242").await).await;
    api.place_order(&plain).await.unwrap();
}

/// rules.md#returns, the same on both: the refund the core prices, the
/// refusals with their typed reasons, the tracking number tidied, the parcel's
/// checkpoints on the timeline and the refund once the seller confirms.
async fn a_return_from_request_to_refund(h: &dyn Harness) {
    let api = h.api();
    let placed = place(api, card("4242424242424242").await).await;
    let lamps = placed.orders.iter().find(|o| o.lines[0].quantity == 2).expect("the order with two lamps");
    let id = &lamps.id;
    h.skip(5 * MINUTE + 11 * DAY).await;
    let o = api.order(id).await.unwrap();
    assert_eq!(o.status, OrderStatus::Delivered);
    let ask = |line, quantity, reason| BuyerAction::RequestReturn { lines: vec![ReturnLine { line, quantity }], reason };
    let refused = |rule| Err(ApiError::Refused { rule });
    assert_eq!(api.act(id, ask(0, 3, ReturnReason::Damaged)).await, refused(RuleError::ReturnLinesInvalid));
    assert_eq!(api.act(id, ask(7, 1, ReturnReason::Damaged)).await, refused(RuleError::ReturnLinesInvalid));
    let asked = api.act(id, ask(0, 1, ReturnReason::ChangedMind)).await.expect("a return");
    let r = asked.item_return.clone().unwrap();
    assert_eq!((r.refund, r.shipping_refunded, r.state), (o.lines[0].unit_price, false, ReturnState::AwaitingParcel));
    assert!(r.address.starts_with("Lumen Home Returns"), "{}", r.address);
    let dispute = BuyerAction::OpenDispute {
        reason: DisputeReason::Damaged,
        refund: RefundRequest::Full,
        description: "The lamp's shade arrived cracked in two places.".into(),
        evidence: vec![],
    };
    assert_eq!(api.act(id, dispute).await, refused(RuleError::ReturnOpen));
    let send = |number: &str| BuyerAction::SendReturn { carrier: "UPS".into(), tracking_number: number.into() };
    assert_eq!(api.act(id, send("1Z#1")).await, refused(RuleError::ReturnTrackingInvalid { min: 6, max: 40 }));
    let sent = api.act(id, send("1z 999 aa1 0123 4567 84")).await.expect("sent");
    assert_eq!(sent.item_return.unwrap().parcel.unwrap().tracking_number, "1Z999AA10123456784");
    h.skip(5 * DAY + MINUTE).await;
    let o = api.order(id).await.unwrap();
    assert_eq!(o.item_return.as_ref().unwrap().state, ReturnState::Refunded(r.refund));
    let kinds: Vec<_> = o.timeline.iter().map(|e| &e.kind).collect();
    assert_eq!(kinds.iter().filter(|k| matches!(k, TimelineKind::ReturnCheckpoint { .. })).count(), 2);
    assert!(kinds.contains(&&TimelineKind::ReturnAccepted { by_silence: false }));
    assert!(kinds.contains(&&TimelineKind::Refunded { amount: r.refund }));
    assert_eq!(api.act(id, ask(1, 1, ReturnReason::Damaged)).await, refused(RuleError::ReturnAlreadyRequested));
    let tab = api.orders(OrdersTab::Disputes, 1).await.unwrap();
    assert!(tab.orders.iter().any(|o| o.id == *id), "after-sales lists it");
}

macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        mod on_the_mock {
            $(
                #[tokio::test]
                async fn $name() {
                    let h = super::on_mock();
                    super::$name(&h).await;
                }
            )*
        }
        mod on_the_server_over_http {
            $(
                #[tokio::test]
                async fn $name() {
                    let h = super::on_server(stringify!($name)).await;
                    super::$name(&h).await;
                    h.server.stop().await;
                }
            )*
        }
    };
}

contract!(
    catalog_and_products,
    quotes_with_coupons,
    placing_makes_one_order_per_seller_and_replays_by_key,
    time_moves_orders_along,
    refused_details_and_changed_prices,
    a_decline_then_paying_again,
    three_d_secure_passed_and_abandoned,
    wallet_redirect_and_return,
    cancelling_before_shipment_and_refused_actions,
    evidence_is_checked_by_content,
    the_core_refuses_with_the_same_typed_reason,
    tax_follows_the_address_and_repeated_lines_count_once,
    a_payment_key_is_bound_to_what_it_paid,
    orders_come_a_page_at_a_time_per_tab,
    a_welcome_coupon_is_used_once_per_buyer,
    a_return_from_request_to_refund,
);

/// Beyond "the same checks pass": the mock and the server price the same cart
/// to the same JSON.
#[tokio::test]
async fn the_mock_and_the_server_give_the_same_quote() {
    let mock = on_mock();
    let server = on_server("same_quote").await;
    for req in [
        quote_request(),
        QuoteRequest { coupon: Some("SAVE5".into()), country: "FR".into(), ..quote_request() },
        QuoteRequest { coupon: Some("WELCOME10".into()), ..quote_request() },
    ] {
        let a = mock.api().quote(&req).await;
        let b = server.api().quote(&req).await;
        assert_eq!(serde_json::to_value(&a).unwrap(), serde_json::to_value(&b).unwrap());
    }
    server.server.stop().await;
}
