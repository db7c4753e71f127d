//! The mock through the `OrderApi` trait, natively, with a hand-moved clock:
//! each scenario does what it promises, and time running forward moves orders.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use marketplace::mock::{CardDetails, Env, MockApi, MockConfig, MockShopfront, MockTokenizer, Tokenizer};
use marketplace::Scenario;
use checkout_api::*;
use checkout_core::cart::Cart;
use checkout_core::catalog::ProductId;
use checkout_core::order::*;
use checkout_core::time::{DAY, HOUR, MINUTE};
use checkout_core::validate::address::AddressInput;
use checkout_core::validate::card::Expiry;
use futures_executor::block_on;

/// A wall clock moved by hand and storage in memory, shared with the test.
#[derive(Clone, Default)]
struct TestEnv {
    wall_ms: Rc<Cell<i64>>,
    stored: Rc<RefCell<Option<String>>>,
    saves: Rc<Cell<usize>>,
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
        self.saves.set(self.saves.get() + 1);
    }
}

fn mock(scenario: Scenario) -> (MockApi<TestEnv>, TestEnv) {
    let env = TestEnv::default();
    (MockApi::new(env.clone(), MockConfig { scenario, speed: 1, latency_ms: Some(0) }), env)
}

fn cart() -> Cart {
    let catalog = MockApi::<TestEnv>::seed_catalog();
    let mut cart = Cart::default();
    let p = |id: &str| catalog.product(&ProductId(id.into())).unwrap().clone();
    cart.add(&p("bamboo-desk-lamp"), None, 2).unwrap();
    cart.add(&p("headlamp"), None, 1).unwrap();
    cart
}

fn address() -> AddressInput {
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

fn token(number: &str) -> PaymentToken {
    let card = CardDetails { number: number.into(), expiry: "12/30".into(), cvc: "123".into(), name: "Ana López".into() };
    block_on(MockTokenizer.tokenize(&card, Expiry { year: 2026, month: 11 })).unwrap()
}

const KEY: &str = "6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f";

fn place(api: &MockApi<TestEnv>, card: &str) -> Result<Placement, ApiError> {
    let quote_req = QuoteRequest { cart: cart(), country: "US".into(), ..Default::default() };
    let quote = block_on(api.quote(&quote_req)).unwrap();
    block_on(api.place_order(&PlaceOrder {
        idempotency_key: KEY.into(),
        quote: quote_req,
        expected_total: quote.totals.total,
        address: address(),
        email: "ana@example.com".into(),
        phone: "+1 415 555 2671".into(),
        payment: PaymentMethod::Card(token(card)),
    }))
}

fn status(api: &MockApi<TestEnv>, id: &OrderId) -> OrderStatus {
    block_on(api.order(id)).unwrap().status
}

#[test]
fn the_happy_path_runs_from_payment_to_delivery_on_the_mock_clock() {
    let (api, _) = mock(Scenario::HappyPath);
    let placed = place(&api, "4242 4242 4242 4242").unwrap();
    assert_eq!(placed.payment, PaymentOutcome::Authorised);
    assert_eq!(placed.orders.len(), 2, "one order per seller");
    let id = placed.orders[0].id.clone();
    assert_eq!(status(&api, &id), OrderStatus::PaymentBeingVerified);
    api.skip(5 * MINUTE);
    assert_eq!(status(&api, &id), OrderStatus::AwaitingShipment);
    api.skip(DAY);
    assert_eq!(status(&api, &id), OrderStatus::AwaitingDelivery);
    api.skip(10 * DAY);
    let o = block_on(api.order(&id)).unwrap();
    assert_eq!(o.status, OrderStatus::Delivered);
    assert_eq!(o.shipment.as_ref().unwrap().checkpoints.len(), 5);
    assert!(o.timeline.windows(2).all(|w| w[0].at <= w[1].at));
}

#[test]
fn the_same_key_never_makes_a_second_order_or_charge() {
    let (api, _) = mock(Scenario::HappyPath);
    let first = place(&api, "4242424242424242").unwrap();
    let again = place(&api, "4242424242424242").unwrap();
    assert_eq!(first.orders.iter().map(|o| &o.id).collect::<Vec<_>>(), again.orders.iter().map(|o| &o.id).collect::<Vec<_>>());
    let mine = block_on(api.all_orders()).unwrap().into_iter().filter(|o| !o.id.0.starts_with("seed")).count();
    assert_eq!(mine, 2);
    let payments = again.orders.iter().filter(|o| o.payment.is_some()).count();
    assert_eq!(payments, 2, "paid once, each order once");
}

#[test]
fn card_declined_keeps_the_orders_awaiting_payment_and_paying_again_works() {
    for (scenario, reason) in [
        (Scenario::CardDeclined, DeclineReason::DoNotHonour),
        (Scenario::CardDeclinedInsufficientFunds, DeclineReason::InsufficientFunds),
        (Scenario::CardDeclinedExpired, DeclineReason::CardExpired),
    ] {
        let (api, _) = mock(scenario);
        let placed = place(&api, "4242424242424242").unwrap();
        assert_eq!(placed.payment, PaymentOutcome::Declined { reason });
        assert!(placed.orders.iter().all(|o| o.status == OrderStatus::AwaitingPayment));
    }
    // Outside the decline scenarios, test cards decide.
    let (api, _) = mock(Scenario::HappyPath);
    let placed = place(&api, "4000 0000 0000 9995").unwrap();
    assert_eq!(placed.payment, PaymentOutcome::Declined { reason: DeclineReason::InsufficientFunds });
    let ids: Vec<_> = placed.orders.iter().map(|o| o.id.clone()).collect();
    let again = PayAgain { idempotency_key: "0b8e7a3c-1111-4222-8333-444455556666".into(), order_ids: ids.clone(), payment: PaymentMethod::Card(token("5555555555554444")) };
    assert_eq!(block_on(api.pay(&again)).unwrap(), PaymentOutcome::Authorised);
    assert_eq!(block_on(api.pay(&again)).unwrap(), PaymentOutcome::Authorised, "a retry answers the same");
    assert!(ids.iter().all(|id| status(&api, id) == OrderStatus::PaymentBeingVerified));
}

#[test]
fn three_d_secure_goes_on_when_confirmed_and_stays_unpaid_when_abandoned() {
    let (api, _) = mock(Scenario::ThreeDsChallenge);
    let placed = place(&api, "4242424242424242").unwrap();
    let PaymentOutcome::ChallengeRequired { challenge_id } = placed.payment else { panic!("{:?}", placed.payment) };
    assert_eq!(block_on(api.confirm_challenge(&challenge_id, true)).unwrap(), PaymentOutcome::Authorised);
    assert_eq!(status(&api, &placed.orders[0].id), OrderStatus::PaymentBeingVerified);

    let (api, _) = mock(Scenario::HappyPath);
    let placed = place(&api, "4000 0025 0000 3155").unwrap();
    let PaymentOutcome::ChallengeRequired { challenge_id } = placed.payment else { panic!() };
    assert!(matches!(block_on(api.confirm_challenge(&challenge_id, false)).unwrap(), PaymentOutcome::Declined { .. }));
    assert_eq!(status(&api, &placed.orders[0].id), OrderStatus::AwaitingPayment);
}

#[test]
fn slow_verification_passes_the_24_hour_promise_and_failed_verification_refunds() {
    let (api, _) = mock(Scenario::VerificationSlow);
    let id = place(&api, "4242424242424242").unwrap().orders[0].id.clone();
    api.skip(25 * HOUR);
    let o = block_on(api.order(&id)).unwrap();
    assert!(o.verification_overdue(block_on(api.now()).unwrap()));
    api.skip(6 * HOUR);
    assert_eq!(status(&api, &id), OrderStatus::AwaitingShipment);

    let (api, _) = mock(Scenario::VerificationFailed);
    let id = place(&api, "4242424242424242").unwrap().orders[0].id.clone();
    api.skip(HOUR);
    let o = block_on(api.order(&id)).unwrap();
    assert_eq!(o.status, OrderStatus::Closed(CloseReason::VerificationFailed));
    assert_eq!(o.refunded(), o.paid());
}

#[test]
fn a_seller_who_misses_ship_by_gets_the_order_closed_and_refunded() {
    let (api, _) = mock(Scenario::SellerMissesShipBy);
    let id = place(&api, "4242424242424242").unwrap().orders[0].id.clone();
    api.skip(10 * DAY);
    let o = block_on(api.order(&id)).unwrap();
    assert_eq!(o.status, OrderStatus::Closed(CloseReason::SellerMissedShipBy));
    assert_eq!(o.refunded(), o.paid());
}

#[test]
fn delayed_and_lost_parcels_show_as_delayed() {
    for scenario in [Scenario::ShipmentDelayed, Scenario::LostParcel] {
        let (api, _) = mock(scenario);
        let id = place(&api, "4242424242424242").unwrap().orders[0].id.clone();
        api.skip(DAY + 10 * MINUTE);
        api.skip(9 * DAY);
        let o = block_on(api.order(&id)).unwrap();
        assert_eq!(o.status, OrderStatus::AwaitingDelivery, "{scenario:?}");
        assert!(o.is_delayed(block_on(api.now()).unwrap()), "{scenario:?}");
    }
    let (api, _) = mock(Scenario::ShipmentDelayed);
    let id = place(&api, "4242424242424242").unwrap().orders[0].id.clone();
    api.skip(30 * DAY);
    assert_eq!(status(&api, &id), OrderStatus::Delivered, "a delayed parcel arrives in the end");
}

fn open_dispute_after_delivery(scenario: Scenario) -> (MockApi<TestEnv>, OrderId) {
    let (api, _) = mock(scenario);
    let id = place(&api, "4242424242424242").unwrap().orders[0].id.clone();
    api.skip(12 * DAY);
    assert_eq!(status(&api, &id), OrderStatus::Delivered);
    block_on(api.open_dispute(&id, DisputeReason::Damaged, RefundRequest::Full, "Arrived with a cracked base and a bent arm.".into(), vec![])).unwrap();
    (api, id)
}

#[test]
fn disputes_are_answered_by_the_seller_as_the_scenario_says() {
    let (api, id) = open_dispute_after_delivery(Scenario::HappyPath);
    api.skip(2 * DAY);
    let o = block_on(api.order(&id)).unwrap();
    assert_eq!(o.status, OrderStatus::Closed(CloseReason::DisputeRefundedInFull));

    let (api, id) = open_dispute_after_delivery(Scenario::SellerProposesPartialRefund);
    api.skip(2 * DAY);
    let o = block_on(api.order(&id)).unwrap();
    let DisputeState::SellerProposed(amount) = o.dispute.as_ref().unwrap().state else { panic!("{:?}", o.dispute) };
    assert_eq!(amount.minor, o.paid().minor / 2);
    let o = block_on(api.act(&id, BuyerAction::AcceptDisputeProposal)).unwrap();
    assert_eq!(o.refunded(), amount);

    let (api, id) = open_dispute_after_delivery(Scenario::SellerRejectsDispute);
    api.skip(2 * DAY);
    assert_eq!(block_on(api.order(&id)).unwrap().dispute.unwrap().state, DisputeState::SellerRejected);
    api.skip(2 * DAY);
    block_on(api.escalate_dispute(&id)).unwrap();
    api.skip(3 * DAY);
    let o = block_on(api.order(&id)).unwrap();
    assert!(matches!(o.dispute.unwrap().state, DisputeState::Resolved(_)), "the platform decides");
}

#[test]
fn a_refused_action_names_its_rule() {
    let (api, _) = mock(Scenario::HappyPath);
    let id = place(&api, "4242424242424242").unwrap().orders[0].id.clone();
    api.skip(2 * DAY);
    assert_eq!(block_on(api.cancel(&id)), Err(ApiError::Refused { rule: RuleError::CancelAfterShipment }));
    assert_eq!(block_on(api.order(&OrderId("nope".into()))), Err(ApiError::NotFound));
}

#[test]
fn the_network_scenarios_fail_as_promised() {
    let (api, _) = mock(Scenario::Offline);
    assert_eq!(block_on(api.catalog()), Err(ApiError::Offline));
    let (api, _) = mock(Scenario::ApiFlaky);
    let failures = (0..200).filter(|_| block_on(api.catalog()).is_err()).count();
    assert!((10..80).contains(&failures), "about 15% fail: {failures}");
    assert!(Scenario::ApiSlow.latency_ms() >= 2000);
}

#[test]
fn the_shopfront_alone_serves_the_catalog_on_the_same_network_and_reads_no_orders() {
    let config = |scenario| MockConfig { scenario, speed: 1, latency_ms: Some(0) };
    let env = TestEnv::default();
    let front = MockShopfront::new(env.clone(), config(Scenario::HappyPath));
    let (whole, _) = mock(Scenario::HappyPath);
    assert_eq!(block_on(front.catalog()), block_on(whole.catalog()));
    assert_eq!(env.saves.get(), 0, "the shopfront neither reads nor writes the orders' state");
    assert_eq!(block_on(MockShopfront::new(env.clone(), config(Scenario::Offline)).catalog()), Err(ApiError::Offline));
    let flaky = MockShopfront::new(env, config(Scenario::ApiFlaky));
    let failures = (0..200).filter(|_| block_on(flaky.catalog()).is_err()).count();
    assert!((10..80).contains(&failures), "about 15% fail: {failures}");
}

#[test]
fn a_flaky_network_that_loses_answers_never_makes_a_second_order() {
    let (api, _) = mock(Scenario::ApiFlaky);
    let mut placed = None;
    for _ in 0..50 {
        match place(&api, "4242424242424242") {
            Ok(p) => {
                placed = Some(p);
                break;
            }
            Err(e) => assert!(e.is_retryable(), "{e:?}"),
        }
    }
    let placed = placed.expect("a retry works within 50 tries");
    let mine = block_on(api.all_orders()).map(|v| v.into_iter().filter(|o| !o.id.0.starts_with("seed")).count());
    if let Ok(n) = mine {
        assert_eq!(n, placed.orders.len());
    }
}

#[test]
fn orders_survive_a_reload_and_seeded_orders_cover_every_status() {
    let (api, env) = mock(Scenario::HappyPath);
    let placed = place(&api, "4242424242424242").unwrap();
    drop(api);
    let reloaded = MockApi::new(env, MockConfig { latency_ms: Some(0), ..Default::default() });
    let o = block_on(reloaded.order(&placed.orders[0].id)).unwrap();
    assert_eq!(o.id, placed.orders[0].id);

    let (api, _) = mock(Scenario::HappyPath);
    let all = block_on(api.all_orders()).unwrap();
    let has = |s: OrderStatus| all.iter().any(|o| o.status == s);
    for s in [
        OrderStatus::AwaitingPayment,
        OrderStatus::PaymentBeingVerified,
        OrderStatus::AwaitingShipment,
        OrderStatus::AwaitingDelivery,
        OrderStatus::Delivered,
        OrderStatus::Completed,
        OrderStatus::Closed(CloseReason::CancelledByBuyer),
        OrderStatus::Closed(CloseReason::VerificationFailed),
        OrderStatus::Closed(CloseReason::SellerMissedShipBy),
        OrderStatus::Closed(CloseReason::DisputeRefundedInFull),
    ] {
        assert!(has(s), "no seeded order {s:?}");
    }
    let currencies: std::collections::BTreeSet<_> = all.iter().map(|o| o.totals.total.currency).collect();
    assert!(currencies.len() >= 3, "{currencies:?}");
    let tracked = block_on(api.track(&all[0].number, "SHOPPER@example.com")).unwrap();
    assert_eq!(tracked, all[0].tracked());
    assert_eq!(block_on(api.track(&all[0].number, "someone@else.com")), Err(ApiError::NotFound));
}

#[test]
fn bad_contact_details_are_refused_field_by_field() {
    let (api, _) = mock(Scenario::HappyPath);
    let quote_req = QuoteRequest { cart: cart(), country: "US".into(), ..Default::default() };
    let quote = block_on(api.quote(&quote_req)).unwrap();
    let mut addr = address();
    addr.postal_code = "ABC".into();
    let r = block_on(api.place_order(&PlaceOrder {
        idempotency_key: KEY.into(),
        quote: quote_req,
        expected_total: quote.totals.total,
        address: addr,
        email: "not-an-email".into(),
        phone: "12".into(),
        payment: PaymentMethod::Card(token("4242424242424242")),
    }));
    let Err(ApiError::Invalid { fields }) = r else { panic!("{r:?}") };
    let keys: Vec<_> = fields.iter().map(|f| f.key.as_ref()).collect();
    assert_eq!(keys, ["validation.postal_code.format", "validation.email.format", "validation.phone.format"]);
}

#[test]
fn a_changed_price_is_refused_before_anything_is_made() {
    let (api, _) = mock(Scenario::HappyPath);
    let quote_req = QuoteRequest { cart: cart(), country: "US".into(), ..Default::default() };
    let r = block_on(api.place_order(&PlaceOrder {
        idempotency_key: KEY.into(),
        quote: quote_req,
        expected_total: checkout_core::money::Money::new(1, checkout_core::money::Currency::USD),
        address: address(),
        email: "ana@example.com".into(),
        phone: "+14155552671".into(),
        payment: PaymentMethod::Card(token("4242424242424242")),
    }));
    assert!(matches!(r, Err(ApiError::QuoteRefused { reason: checkout_core::checkout::QuoteError::PriceChanged { .. } })));
}

#[test]
fn evidence_is_checked_by_content() {
    let (api, _) = mock(Scenario::HappyPath);
    let id = OrderId("seed_14".into());
    let jpeg = EvidenceUpload::from_bytes("crack.jpg", [&[0xFF, 0xD8, 0xFF, 0xE0][..], &[0; 1_996]].concat());
    assert!(block_on(api.upload_evidence(&id, &jpeg)).is_ok());
    let lying = EvidenceUpload::from_bytes("crack.jpg", [&b"MZ\x90\x00"[..], &[0; 1_996]].concat());
    assert!(matches!(block_on(api.upload_evidence(&id, &lying)), Err(ApiError::EvidenceRefused { .. })));
}

#[test]
fn the_tokenizer_gives_only_a_token_brand_and_last_four() {
    let t = token("4242 4242 4242 4242");
    assert_eq!(t.last4, "4242");
    assert!(!t.token.contains("42424242"));
    let bad = CardDetails { number: "4242 4242 4242 4241".into(), expiry: "01/20".into(), cvc: "1".into(), name: " ".into() };
    let errs = block_on(MockTokenizer.tokenize(&bad, Expiry { year: 2026, month: 11 })).unwrap_err();
    assert_eq!(errs.len(), 4);
    assert!(!format!("{bad:?}").contains("4242"));
}

#[test]
fn every_scenario_has_a_slug_that_reads_back_and_a_description() {
    for s in Scenario::ALL {
        assert_eq!(Scenario::from_slug(s.slug()), Some(s));
        assert!(s.description().len() > 20);
    }
}

#[test]
fn seeded_orders_get_answers_in_the_session_scenario() {
    let (api, _) = mock(Scenario::SellerProposesPartialRefund);
    let delayed = OrderId("seed_07".into());
    let o = block_on(api.order(&delayed)).unwrap();
    assert!(o.is_delayed(block_on(api.now()).unwrap()), "the seeded delayed parcel");
    block_on(api.open_dispute(&delayed, DisputeReason::NotReceived, RefundRequest::Full, "Nothing has arrived and tracking stopped.".into(), vec![])).unwrap();
    api.skip(2 * DAY);
    let o = block_on(api.order(&delayed)).unwrap();
    assert!(matches!(o.dispute.unwrap().state, DisputeState::SellerProposed(_)));
    assert_eq!(o.status, OrderStatus::AwaitingDelivery, "no scripted shipping for seeded orders");

    let (api, _) = mock(Scenario::SellerMissesShipBy);
    let waiting = OrderId("seed_04".into());
    block_on(api.request_cancellation(&waiting, CancelReason::ChangedMind, None)).unwrap();
    api.skip(49 * HOUR);
    let o = block_on(api.order(&waiting)).unwrap();
    assert_eq!(o.status, OrderStatus::Closed(CloseReason::CancellationApproved), "approved by silence");
}

#[test]
fn the_mock_clock_runs_at_its_speed_and_a_new_speed_does_not_jump() {
    let env = TestEnv::default();
    let slow = MockApi::new(env.clone(), MockConfig { speed: 1, latency_ms: Some(0), ..Default::default() });
    let t0 = slow.mock_now();
    env.wall_ms.set(60_000);
    assert_eq!(slow.mock_now().since(t0), 60, "real time");
    slow.skip(0);
    let fast = MockApi::new(env.clone(), MockConfig { speed: 3600, latency_ms: Some(0), ..Default::default() });
    assert_eq!(fast.mock_now().since(t0), 60, "switching speed keeps the time reached");
    env.wall_ms.set(61_000);
    assert_eq!(fast.mock_now().since(t0), 60 + 3600, "then an hour a second");
    // A reload at the same speed goes on from the new anchor, even though
    // nothing was written in between.
    let again = MockApi::new(env.clone(), MockConfig { speed: 3600, latency_ms: Some(0), ..Default::default() });
    assert_eq!(again.mock_now().since(t0), 60 + 3600, "a reload keeps the clock");
}

#[test]
fn a_fresh_mock_keeps_its_clock_across_reloads_before_anything_is_written() {
    let env = TestEnv::default();
    let config = MockConfig { speed: 1, latency_ms: Some(0), ..Default::default() };
    let first = MockApi::new(env.clone(), config);
    let t0 = first.mock_now();
    env.wall_ms.set(90_000);
    let reloaded = MockApi::new(env.clone(), config);
    assert_eq!(reloaded.mock_now().since(t0), 90, "the clock went on, it did not start again");
}

#[test]
fn reading_saves_the_state_only_when_an_order_moved() {
    let (api, env) = mock(Scenario::HappyPath);
    let all = block_on(api.all_orders()).unwrap();
    block_on(api.order(&all[0].id)).unwrap();
    let after_reads = env.saves.get();
    block_on(api.all_orders()).unwrap();
    block_on(api.order(&all[0].id)).unwrap();
    assert_eq!(env.saves.get(), after_reads, "reads with nothing due write nothing");
    // Far enough ahead that seeded deadlines pass: the moved orders are kept.
    api.skip(200 * 86_400);
    let before = env.saves.get();
    let moved = block_on(api.all_orders()).unwrap();
    assert_eq!(env.saves.get(), before + 1, "a read that moved orders keeps them");
    let reloaded = MockApi::new(env.clone(), MockConfig { speed: 1, latency_ms: Some(0), ..Default::default() });
    let again = block_on(reloaded.all_orders()).unwrap();
    for (a, b) in again.iter().zip(&moved) {
        assert_eq!(a, b, "what moved survives a reload");
    }
}

// rules.md#returns, as each seller scenario answers: confirmed a day after the
// parcel arrives (happy path), refused and then decided by the platform, or
// refunded by silence 15 days after it arrived.
#[test]
fn a_return_is_confirmed_refused_or_refunded_by_silence_as_the_scenario_says() {
    use checkout_api::BuyerAction;
    use checkout_core::order::{ReturnLine, ReturnReason, ReturnState, TimelineKind};
    let delivered = OrderId("seed_08".into());
    for scenario in [Scenario::HappyPath, Scenario::SellerRefusesReturn, Scenario::SellerSilentOnReturn] {
        let (api, _) = mock(scenario);
        let lines = vec![ReturnLine { line: 0, quantity: 1 }];
        let o = block_on(api.act(&delivered, BuyerAction::RequestReturn { lines, reason: ReturnReason::Damaged })).unwrap();
        let asked = o.item_return.clone().unwrap();
        assert_eq!(asked.state, ReturnState::AwaitingParcel);
        assert_eq!(asked.refund, o.totals.total, "the item and its shipping: the seller is at fault");
        let send = BuyerAction::SendReturn { carrier: "Japan Post".into(), tracking_number: "EJ 1234 5678 9JP".into() };
        block_on(api.act(&delivered, send)).unwrap();
        api.skip(5 * DAY + HOUR);
        let o = block_on(api.order(&delivered)).unwrap();
        let back = o.timeline.iter().filter(|e| matches!(e.kind, TimelineKind::ReturnCheckpoint { .. })).count();
        assert_eq!(back, 2, "{scenario:?}: the parcel's checkpoints are on the timeline");
        let state = o.item_return.as_ref().unwrap().state;
        match scenario {
            Scenario::HappyPath => {
                assert_eq!(state, ReturnState::Refunded(asked.refund));
                assert_eq!(o.refunded(), asked.refund);
            }
            Scenario::SellerRefusesReturn => {
                assert_eq!(state, ReturnState::Refused);
                block_on(api.act(&delivered, BuyerAction::EscalateReturn)).unwrap();
                api.skip(2 * DAY + HOUR);
                let o = block_on(api.order(&delivered)).unwrap();
                assert_eq!(o.item_return.unwrap().state, ReturnState::Refunded(asked.refund), "the platform decides");
            }
            _ => {
                assert_eq!(state, ReturnState::Received, "the seller says nothing");
                api.skip(15 * DAY);
                let o = block_on(api.order(&delivered)).unwrap();
                assert_eq!(o.item_return.unwrap().state, ReturnState::Refunded(asked.refund));
                assert!(o.timeline.iter().any(|e| e.kind == TimelineKind::ReturnAccepted { by_silence: true }));
            }
        }
    }
}
