//! The order lifecycle, rule by rule: each test names the docs/rules.md rule it
//! checks. A property test then runs random sequences of events and time.

use checkout_core::catalog::SellerId;
use checkout_core::money::{Currency, Money};
use checkout_core::order::*;
use checkout_core::time::{DateRange, Timestamp, DAY, HOUR};
use checkout_core::validate::address::Address;
use checkout_core::validate::card::Brand;
use proptest::prelude::*;

const T0: Timestamp = Timestamp(1_790_000_000);

fn usd(minor: i64) -> Money {
    Money::new(minor, Currency::USD)
}

fn new_order() -> Order {
    let totals = OrderTotals::new(usd(4000), usd(500), usd(0), usd(0)).unwrap();
    let address = Address {
        country: "US".into(),
        given_name: "Ana".into(),
        family_name: "López".into(),
        line1: "1 Market St".into(),
        line2: None,
        city: "San Francisco".into(),
        region: Some("CA".into()),
        postal_code: Some("94105".into()),
    };
    let line = |name: &str, quantity, unit| OrderLine {
        product_name: name.into(),
        option_label: None,
        image: None,
        quantity,
        unit_price: usd(unit),
        line_total: usd(unit * i64::from(quantity)),
    };
    let lines = vec![line("Mug", 2, 1500), line("Teapot", 1, 1000)];
    let mut o = Order::place(OrderId("o1".into()), "100200300".into(), SellerId("s".into()), "Store".into(), lines, totals, address, 5, T0);
    o.return_policy = Some(ReturnPolicy { change_of_mind: true, address: "Store returns, 1 Dock Rd, Shenzhen".into() });
    o
}

fn at(h: i64) -> Timestamp {
    T0.plus(h * HOUR)
}

fn go(o: &Order, e: OrderEvent, now: Timestamp) -> Order {
    apply(o, e, now).unwrap_or_else(|err| panic!("{err:?}"))
}

fn paid() -> Order {
    go(&new_order(), OrderEvent::PaymentAuthorised { method: PaidWith::Card { brand: Brand::Visa, last4: "4242".into() } }, at(1))
}

fn verified() -> Order {
    go(&paid(), OrderEvent::VerificationPassed, at(2))
}

fn shipped() -> Order {
    let estimate = DateRange { from: at(24 * 10), to: at(24 * 20) };
    go(&verified(), OrderEvent::Shipped { carrier: "Cainiao".into(), tracking_number: "LP00123".into(), estimate }, at(24))
}

fn delivered() -> Order {
    go(&shipped(), OrderEvent::Delivered, at(24 * 12))
}

fn completed() -> Order {
    go(&delivered(), OrderEvent::BuyerConfirmsReceipt, at(24 * 13))
}

fn dispute(refund: RefundRequest) -> OrderEvent {
    OrderEvent::OpenDispute {
        reason: DisputeReason::NotAsDescribed,
        refund,
        description: "The colour is completely different from the photos.".into(),
        evidence: vec![],
    }
}

// rules.md#orders: Awaiting payment: "pay (again) with the same or another method".
#[test]
fn a_decline_keeps_the_order_awaiting_payment_and_it_can_be_paid_again() {
    let o = go(&new_order(), OrderEvent::PaymentDeclined { reason: DeclineReason::InsufficientFunds }, at(1));
    assert_eq!(o.status, OrderStatus::AwaitingPayment);
    assert!(matches!(o.timeline.last().unwrap().kind, TimelineKind::PaymentDeclined { reason: DeclineReason::InsufficientFunds }));
    let o = go(&o, OrderEvent::PaymentAuthorised { method: PaidWith::Wallet }, at(2));
    assert_eq!(o.status, OrderStatus::PaymentBeingVerified);
    assert_eq!(o.paid(), usd(4500));
}

// §1/§2 Awaiting payment and being verified: "cancel now, no approval; refund shown".
#[test]
fn cancelling_before_verification_is_immediate_and_refunds_what_was_paid() {
    let o = go(&new_order(), OrderEvent::BuyerCancels, at(1));
    assert_eq!(o.status, OrderStatus::Closed(CloseReason::CancelledByBuyer));
    assert!(o.refunds.is_empty(), "nothing was paid");
    let o = go(&paid(), OrderEvent::BuyerCancels, at(3));
    assert_eq!(o.status, OrderStatus::Closed(CloseReason::CancelledByBuyer));
    assert_eq!(o.refunded(), usd(4500));
}

// rules.md#orders: Verification failure: "cancelled automatically and the money returned".
#[test]
fn failed_verification_closes_and_refunds() {
    let o = go(&paid(), OrderEvent::VerificationFailed, at(5));
    assert_eq!(o.status, OrderStatus::Closed(CloseReason::VerificationFailed));
    assert_eq!(o.refunded(), o.paid());
}

// rules.md#orders: "After 24 h still being verified: show a contact-support path."
#[test]
fn verification_is_overdue_after_24_hours() {
    let o = paid();
    assert!(!o.verification_overdue(at(24)));
    assert!(o.verification_overdue(at(25)));
}

// rules.md#orders: Awaiting shipment: seller ship-by deadline; auto-close with refund when missed.
#[test]
fn a_missed_ship_by_deadline_closes_the_order_with_a_refund() {
    let o = verified();
    assert_eq!(o.ship_by, Some(at(2).plus(5 * DAY)));
    assert_eq!(tick(&o, at(2).plus(5 * DAY - 1)).status, OrderStatus::AwaitingShipment);
    let closed = tick(&o, at(2).plus(6 * DAY));
    assert_eq!(closed.status, OrderStatus::Closed(CloseReason::SellerMissedShipBy));
    assert_eq!(closed.refunded(), usd(4500));
    assert_eq!(tick(&closed, at(2).plus(7 * DAY)), closed, "tick is idempotent");
}

// rules.md#cancellation: Awaiting shipment: "a request to the seller ... the seller has 48 h; no answer = approved".
#[test]
fn after_verification_cancelling_is_a_request_the_seller_answers_within_48_hours() {
    let o = verified();
    assert_eq!(apply(&o, OrderEvent::BuyerCancels, at(3)), Err(RuleError::CancellationNeedsSeller));
    let o = go(&o, OrderEvent::BuyerRequestsCancellation { reason: CancelReason::ChangedMind, note: None }, at(3));
    assert_eq!(o.cancellation_request.as_ref().unwrap().answer_by, at(3 + 48));
    assert_eq!(
        apply(&o, OrderEvent::BuyerRequestsCancellation { reason: CancelReason::Other, note: None }, at(4)),
        Err(RuleError::CancellationAlreadyRequested)
    );
    let rejected = go(&o, OrderEvent::SellerAnswersCancellation { approve: false }, at(10));
    assert_eq!(rejected.status, OrderStatus::AwaitingShipment);
    let approved = go(&o, OrderEvent::SellerAnswersCancellation { approve: true }, at(10));
    assert_eq!(approved.status, OrderStatus::Closed(CloseReason::CancellationApproved));
    assert_eq!(approved.refunded(), usd(4500));
    let silent = tick(&o, at(3 + 48));
    assert_eq!(silent.status, OrderStatus::Closed(CloseReason::CancellationApproved));
    assert!(silent.timeline.iter().any(|e| e.kind == TimelineKind::CancellationApproved { by_silence: true }));
}

// rules.md#cancellation: "Shipped or later: no cancel button; explain that a return or dispute is the way."
#[test]
fn shipped_orders_cannot_be_cancelled() {
    for o in [shipped(), delivered(), completed()] {
        assert_eq!(apply(&o, OrderEvent::BuyerCancels, at(24 * 14)), Err(RuleError::CancelAfterShipment));
        assert_eq!(
            apply(&o, OrderEvent::BuyerRequestsCancellation { reason: CancelReason::ChangedMind, note: None }, at(24 * 14)),
            Err(RuleError::CancelAfterShipment)
        );
    }
}

// rules.md#orders: "Buyer protection: runs from shipment, up to 90 days ... The buyer can ask the seller to extend it."
#[test]
fn protection_runs_from_shipment_extends_up_to_90_days_and_then_auto_confirms() {
    let o = shipped();
    assert_eq!(o.protection_ends_at, Some(at(24).plus_days(PROTECTION_DAYS)));
    let o = go(&o, OrderEvent::BuyerRequestsProtectionExtension { days: 15 }, at(48));
    assert!(o.extension_requested);
    assert_eq!(
        apply(&o, OrderEvent::BuyerRequestsProtectionExtension { days: 15 }, at(49)),
        Err(RuleError::ExtensionAlreadyRequested),
        "one request per order"
    );
    let o = go(&o, OrderEvent::SellerExtendsProtection { days: 45 }, at(50));
    assert_eq!(o.protection_ends_at, Some(at(24).plus_days(PROTECTION_MAX_DAYS)), "capped at 90 days");
    assert_eq!(
        apply(&o, OrderEvent::BuyerRequestsProtectionExtension { days: 15 }, at(51)),
        Err(RuleError::ExtensionAlreadyRequested),
        "still spent once the seller answered"
    );
    assert_eq!(apply(&o, OrderEvent::SellerExtendsProtection { days: 1 }, at(51)), Err(RuleError::ProtectionAtMaximum));
    let done = tick(&o, at(24).plus_days(91));
    assert_eq!(done.status, OrderStatus::Completed);
    assert!(done.timeline.iter().any(|e| e.kind == TimelineKind::ReceiptConfirmed { automatically: true }));
}

// Found by the property test below: protection ran out while a dispute was
// open; the platform then refused a refund, and the automatic confirmation was
// dated when protection ended, before the decision it followed.
#[test]
fn protection_that_runs_out_during_a_dispute_completes_the_order_when_the_dispute_closes() {
    let o = shipped();
    let ends = o.protection_ends_at.unwrap();
    let o = go(&o, dispute(RefundRequest::Partial(usd(1000))), ends.plus(-20 * DAY));
    let o = tick(&o, ends.plus(HOUR));
    assert_eq!(o.status, OrderStatus::AwaitingDelivery, "no confirmation while the dispute is open");
    let decided = ends.plus(2 * HOUR);
    let o = tick(&go(&o, OrderEvent::PlatformDecides { refund: usd(0) }, decided), decided);
    assert_eq!(o.status, OrderStatus::Completed);
    assert_eq!(o.completed_at, Some(decided), "completed when the dispute closed, not when protection ended");
    assert!(o.timeline.windows(2).all(|w| w[0].at <= w[1].at), "{:?}", o.timeline);
}

// rules.md#orders: "A shipment with no tracking update for 7 days is delayed."
#[test]
fn a_shipment_without_checkpoints_for_7_days_is_delayed() {
    let o = shipped();
    assert!(!o.is_delayed(at(24).plus(7 * DAY - 1)));
    assert!(o.is_delayed(at(24).plus(7 * DAY)));
    let o = go(&o, OrderEvent::Checkpoint { kind: CheckpointKind::Customs, location: "Liège".into() }, at(24 * 6));
    assert!(!o.is_delayed(at(24 * 12)));
    assert!(o.is_delayed(at(24 * 13)));
}

// rules.md#orders: Awaiting delivery: "open a dispute from 5 days after shipment".
#[test]
fn a_dispute_opens_five_days_after_shipment() {
    let o = shipped();
    assert_eq!(
        apply(&o, dispute(RefundRequest::Full), at(24 + 24 * 4)),
        Err(RuleError::DisputeNotYetOpen { opens_at: at(24).plus(5 * DAY) })
    );
    let o = go(&o, dispute(RefundRequest::Full), at(24 + 24 * 5));
    assert_eq!(o.open_dispute().unwrap().requested, usd(4500));
}

// rules.md#orders: Completed: "open a dispute within 15 days"; "leave feedback within 30 days".
#[test]
fn after_completion_disputes_last_15_days_and_feedback_30() {
    let o = completed();
    let done = o.completed_at.unwrap();
    assert_eq!(apply(&o, dispute(RefundRequest::Full), done.plus(15 * DAY + 1)), Err(RuleError::DisputeWindowClosed));
    assert!(apply(&o, dispute(RefundRequest::Full), done.plus(15 * DAY)).is_ok());
    let fb = |text: &str| OrderEvent::LeaveFeedback {
        item_stars: 5,
        communication_stars: 4,
        shipping_stars: 3,
        text: text.into(),
        photos: vec![],
    };
    assert_eq!(apply(&o, fb("Great"), done.plus(30 * DAY + 1)), Err(RuleError::FeedbackWindowClosed));
    let with = go(&o, fb("Great"), done.plus(10 * DAY));
    assert_eq!(apply(&with, fb("Again"), done.plus(11 * DAY)), Err(RuleError::FeedbackAlreadyGiven));
    assert_eq!(apply(&o, fb(&"x".repeat(1001)), done.plus(DAY)), Err(RuleError::FeedbackTextTooLong { max: 1000 }));
    let zero_stars = OrderEvent::LeaveFeedback { item_stars: 0, communication_stars: 5, shipping_stars: 5, text: String::new(), photos: vec![] };
    assert_eq!(apply(&o, zero_stars, done.plus(DAY)), Err(RuleError::FeedbackInvalid));
    assert_eq!(apply(&delivered(), fb("early"), at(24 * 12)), Err(RuleError::NotInThisStatus { status: OrderStatus::Delivered }));
}

// rules.md#disputes: "partial with an amount in (0, amount paid for the order]; the currency of the order".
#[test]
fn a_requested_refund_is_bounded_by_what_was_paid() {
    let o = delivered();
    let max = RuleError::RefundOutOfBounds { max: usd(4500) };
    assert_eq!(apply(&o, dispute(RefundRequest::Partial(usd(0))), at(300)), Err(max.clone()));
    assert_eq!(apply(&o, dispute(RefundRequest::Partial(usd(4501))), at(300)), Err(max.clone()));
    assert_eq!(apply(&o, dispute(RefundRequest::Partial(Money::new(100, Currency::EUR))), at(300)), Err(max));
    assert!(apply(&o, dispute(RefundRequest::Partial(usd(4500))), at(300)).is_ok());
}

// rules.md#disputes: "Description: 20 to 2,000 characters."
#[test]
fn a_dispute_description_is_20_to_2000_characters() {
    let o = delivered();
    let with = |d: String| OrderEvent::OpenDispute { reason: DisputeReason::Damaged, refund: RefundRequest::Full, description: d, evidence: vec![] };
    let err = RuleError::DescriptionLength { min: 20, max: 2000 };
    assert_eq!(apply(&o, with("x".repeat(19)), at(300)), Err(err.clone()));
    assert_eq!(apply(&o, with("x".repeat(2001)), at(300)), Err(err));
    assert!(apply(&o, with("é".repeat(2000)), at(300)).is_ok(), "characters, not bytes");
}

// rules.md#disputes: "Only one open dispute per order; can be withdrawn by the buyer."
#[test]
fn only_one_open_dispute_and_it_can_be_withdrawn() {
    let o = go(&delivered(), dispute(RefundRequest::Full), at(300));
    assert_eq!(apply(&o, dispute(RefundRequest::Full), at(301)), Err(RuleError::DisputeAlreadyOpen));
    assert_eq!(apply(&o, OrderEvent::BuyerConfirmsReceipt, at(301)), Err(RuleError::DisputeOpen));
    let o = go(&o, OrderEvent::BuyerWithdrawsDispute, at(302));
    assert!(o.open_dispute().is_none());
    assert!(apply(&o, dispute(RefundRequest::Partial(usd(100))), at(303)).is_ok(), "a new one after withdrawal");
}

// rules.md#disputes: Dispute life: seller accepts / rejects / proposes; buyer accepts or escalates after 3 days;
// automatic escalation after 15 days; platform decision; every step on the timeline.
#[test]
fn the_whole_life_of_a_dispute() {
    let open = go(&delivered(), dispute(RefundRequest::Partial(usd(2000))), at(300));

    let accepted = go(&open, OrderEvent::SellerRespondsToDispute { response: SellerDisputeResponse::Accept }, at(310));
    assert_eq!(accepted.dispute.as_ref().unwrap().state, DisputeState::Resolved(usd(2000)));
    assert_eq!(accepted.refunded(), usd(2000));
    assert_eq!(accepted.status, OrderStatus::Delivered, "a partial refund leaves the order going");

    let proposed = go(&open, OrderEvent::SellerRespondsToDispute { response: SellerDisputeResponse::Propose(usd(1000)) }, at(310));
    let agreed = go(&proposed, OrderEvent::BuyerAcceptsProposal, at(320));
    assert_eq!(agreed.refunded(), usd(1000));
    assert_eq!(
        apply(&proposed, OrderEvent::SellerRespondsToDispute { response: SellerDisputeResponse::Propose(usd(9999)) }, at(311)),
        Err(RuleError::NotInThisStatus { status: OrderStatus::Delivered })
    );

    let rejected = go(&open, OrderEvent::SellerRespondsToDispute { response: SellerDisputeResponse::Reject }, at(310));
    assert_eq!(
        apply(&rejected, OrderEvent::BuyerEscalates, at(300 + 71)),
        Err(RuleError::EscalationTooEarly { possible_at: at(300 + 72) })
    );
    let escalated = go(&rejected, OrderEvent::BuyerEscalates, at(300 + 72));
    assert_eq!(escalated.dispute.as_ref().unwrap().state, DisputeState::Escalated);
    let decided = go(&escalated, OrderEvent::PlatformDecides { refund: usd(4500) }, at(500));
    assert_eq!(decided.status, OrderStatus::Closed(CloseReason::DisputeRefundedInFull));
    assert_eq!(decided.refundable(), usd(0));
    let for_seller = go(&escalated, OrderEvent::PlatformDecides { refund: usd(0) }, at(500));
    assert_eq!(for_seller.dispute.as_ref().unwrap().state, DisputeState::Resolved(usd(0)));
    assert_eq!(for_seller.status, OrderStatus::Delivered);

    let auto = tick(&open, at(300).plus(15 * DAY));
    assert_eq!(auto.dispute.as_ref().unwrap().state, DisputeState::Escalated);
    assert!(auto.timeline.iter().any(|e| e.kind == TimelineKind::DisputeEscalated { automatically: true }));
    assert_eq!(tick(&open, at(300).plus(15 * DAY - 1)), open);
}

// rules.md#orders: "auto-confirm when protection ends" is paused while a dispute is open.
#[test]
fn an_open_dispute_pauses_auto_confirmation() {
    let o = go(&shipped(), dispute(RefundRequest::Full), at(24 * 7));
    let later = tick(&o, at(24).plus_days(PROTECTION_DAYS + 1));
    assert_ne!(later.status, OrderStatus::Completed);
}

// rules.md#orders: "Every change of status is an event on the order's timeline, with a time stamp".
#[test]
fn every_status_change_is_on_the_timeline() {
    let o = completed();
    let kinds: Vec<_> = o.timeline.iter().map(|e| std::mem::discriminant(&e.kind)).collect();
    for k in [
        TimelineKind::Placed,
        TimelineKind::PaymentAuthorised { method: PaidWith::Wallet },
        TimelineKind::VerificationPassed,
        TimelineKind::SellerCheckPassed,
        TimelineKind::Shipped { carrier: String::new(), tracking_number: String::new() },
        TimelineKind::Delivered,
        TimelineKind::ReceiptConfirmed { automatically: false },
    ] {
        assert!(kinds.contains(&std::mem::discriminant(&k)), "{k:?} missing");
    }
    assert!(o.timeline.windows(2).all(|w| w[0].at <= w[1].at));
}

#[test]
fn an_order_round_trips_through_json() {
    let o = go(&delivered(), dispute(RefundRequest::Partial(usd(123))), at(300));
    let json = serde_json::to_string(&o).unwrap();
    assert_eq!(serde_json::from_str::<Order>(&json).unwrap(), o);
}

fn any_event() -> impl Strategy<Value = OrderEvent> {
    let money = (0i64..6000).prop_map(usd);
    prop_oneof![
        Just(OrderEvent::PaymentAuthorised { method: PaidWith::Card { brand: Brand::Visa, last4: "4242".into() } }),
        Just(OrderEvent::PaymentDeclined { reason: DeclineReason::DoNotHonour }),
        Just(OrderEvent::VerificationPassed),
        Just(OrderEvent::VerificationFailed),
        Just(OrderEvent::BuyerCancels),
        Just(OrderEvent::BuyerRequestsCancellation { reason: CancelReason::BetterPrice, note: None }),
        any::<bool>().prop_map(|approve| OrderEvent::SellerAnswersCancellation { approve }),
        Just(OrderEvent::Shipped { carrier: "C".into(), tracking_number: "T".into(), estimate: DateRange { from: T0, to: T0 } }),
        Just(OrderEvent::Checkpoint { kind: CheckpointKind::OutForDelivery, location: "X".into() }),
        Just(OrderEvent::Delivered),
        Just(OrderEvent::BuyerConfirmsReceipt),
        (0u16..40).prop_map(|days| OrderEvent::SellerExtendsProtection { days }),
        (0u16..40).prop_map(|days| OrderEvent::BuyerRequestsProtectionExtension { days }),
        Just(OrderEvent::LeaveFeedback { item_stars: 4, communication_stars: 5, shipping_stars: 3, text: "Fine".into(), photos: vec![] }),
        money.clone().prop_map(|m| dispute(RefundRequest::Partial(m))),
        Just(dispute(RefundRequest::Full)),
        money.clone().prop_map(|m| OrderEvent::SellerRespondsToDispute { response: SellerDisputeResponse::Propose(m) }),
        Just(OrderEvent::SellerRespondsToDispute { response: SellerDisputeResponse::Accept }),
        Just(OrderEvent::SellerRespondsToDispute { response: SellerDisputeResponse::Reject }),
        Just(OrderEvent::BuyerAcceptsProposal),
        Just(OrderEvent::BuyerEscalates),
        money.prop_map(|refund| OrderEvent::PlatformDecides { refund }),
        Just(OrderEvent::BuyerWithdrawsDispute),
        (proptest::collection::vec((0u32..3, 0u32..4), 0..3), proptest::sample::select(ReturnReason::ALL.to_vec()))
            .prop_map(|(lines, reason)| OrderEvent::RequestReturn {
                lines: lines.into_iter().map(|(line, quantity)| ReturnLine { line, quantity }).collect(),
                reason,
            }),
        proptest::sample::select(vec!["LP123456", "x", " lp 1234 5678 "])
            .prop_map(|t| OrderEvent::SendReturn { carrier: "Cainiao".into(), tracking_number: t.into() }),
        Just(OrderEvent::ReturnCheckpoint { kind: CheckpointKind::Other, location: "Depot".into() }),
        Just(OrderEvent::ReturnDelivered),
        any::<bool>().prop_map(|accept| OrderEvent::SellerAnswersReturn { accept }),
        Just(OrderEvent::BuyerEscalatesReturn),
        (0i64..6000).prop_map(|m| OrderEvent::PlatformDecidesReturn { refund: usd(m) }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]
    // No sequence of events reaches an illegal state; refunds never exceed what was paid.
    #[test]
    fn no_sequence_of_events_and_time_breaks_the_rules(steps in proptest::collection::vec((any_event(), 0i64..(20 * DAY)), 0..40)) {
        let mut o = new_order();
        let mut now = T0;
        for (event, wait) in steps {
            now = now.plus(wait);
            o = tick(&o, now);
            // What the screens are told and what the service does agree.
            let told = event.buyer_action().map(|kind| o.may(kind, now));
            match apply(&o, event, now) {
                Ok(next) => {
                    prop_assert!(told.is_none_or(|t| t.is_ok()), "applied an action the core refuses");
                    o = next;
                }
                Err(e) => {
                    if let Some(Err(why)) = told {
                        prop_assert_eq!(why, e);
                    }
                }
            }
            // Refunds never exceed what was paid, and are never negative.
            prop_assert!(o.refunded().minor <= o.paid().minor);
            prop_assert!(o.refunds.iter().all(|r| r.amount.minor > 0));
            // Status and the facts behind it agree.
            match o.status {
                OrderStatus::AwaitingPayment => prop_assert!(o.payment.is_none()),
                OrderStatus::PaymentBeingVerified | OrderStatus::AwaitingShipment => prop_assert!(o.payment.is_some() && o.shipment.is_none()),
                OrderStatus::AwaitingDelivery | OrderStatus::Delivered => prop_assert!(o.shipment.is_some() && o.protection_ends_at.is_some()),
                OrderStatus::Completed => prop_assert!(o.completed_at.is_some() && o.shipment.is_some()),
                OrderStatus::Closed(CloseReason::DisputeRefundedInFull) => prop_assert_eq!(o.refunded(), o.paid()),
                OrderStatus::Closed(_) => prop_assert!(o.open_dispute().is_none() || o.shipment.is_some()),
            }
            if o.status == OrderStatus::Delivered {
                prop_assert!(o.shipment.as_ref().unwrap().delivered_at.is_some());
            }
            // Protection never runs past 90 days from shipment.
            if let (Some(ends), Some(s)) = (o.protection_ends_at, &o.shipment) {
                prop_assert!(ends <= s.shipped_at.plus_days(PROTECTION_MAX_DAYS));
            }
            // A closed order owes nothing: what was paid came back, unless it was delivered.
            if matches!(o.status, OrderStatus::Closed(r) if r != CloseReason::DisputeRefundedInFull) {
                prop_assert_eq!(o.refunded(), o.paid());
            }
            prop_assert!(o.timeline.windows(2).all(|w| w[0].at <= w[1].at), "timeline in order");
            // rules.md#returns: never a return and a dispute open at once;
            // a return refunds at most what it said when asked.
            prop_assert!(o.open_return().is_none() || o.open_dispute().is_none());
            if let Some(ReturnState::Refunded(m)) = o.item_return.as_ref().map(|r| r.state) {
                let escalated = o.timeline.iter().any(|e| matches!(e.kind, TimelineKind::ReturnEscalated { .. }));
                prop_assert!(m.minor <= o.item_return.as_ref().unwrap().refund.minor || escalated);
            }
            // Nothing changes by itself before the next deadline.
            if let Some(due) = next_deadline(&o).filter(|d| *d > now) {
                prop_assert_eq!(&tick(&o, due.plus(-1)), &o);
            }
        }
    }
}


/// A valid request for each buyer action: what a screen would send.
fn valid(kind: BuyerActionKind) -> Option<OrderEvent> {
    use BuyerActionKind as A;
    Some(match kind {
        // Paying is the service's (a payment provider's answer), not an event the buyer sends.
        A::Pay => return None,
        A::Cancel => OrderEvent::BuyerCancels,
        A::RequestCancellation => OrderEvent::BuyerRequestsCancellation { reason: CancelReason::WrongAddress, note: None },
        A::ConfirmReceipt => OrderEvent::BuyerConfirmsReceipt,
        A::RequestProtectionExtension => OrderEvent::BuyerRequestsProtectionExtension { days: PROTECTION_EXTENSION_DAYS },
        A::LeaveFeedback => OrderEvent::LeaveFeedback {
            item_stars: 5,
            communication_stars: 5,
            shipping_stars: 4,
            text: "Good".into(),
            photos: vec![Attachment { id: "evd_1".into(), kind: checkout_core::evidence::EvidenceKind::Png }],
        },
        A::OpenDispute => dispute(RefundRequest::Full),
        A::AcceptDisputeProposal => OrderEvent::BuyerAcceptsProposal,
        A::EscalateDispute => OrderEvent::BuyerEscalates,
        A::WithdrawDispute => OrderEvent::BuyerWithdrawsDispute,
        A::RequestReturn => return_of(ReturnReason::Damaged),
        A::SendReturn => send_return(),
        A::EscalateReturn => OrderEvent::BuyerEscalatesReturn,
    })
}

/// Orders in every status and every state of their extras (a pending
/// cancellation request, a dispute in each state, feedback, a withdrawn or
/// spent dispute, an asked-for extension), each with the moments around every
/// deadline it has.
fn every_order() -> Vec<Order> {
    let declined = go(&new_order(), OrderEvent::PaymentDeclined { reason: DeclineReason::CardExpired }, at(1));
    let requested = go(&verified(), OrderEvent::BuyerRequestsCancellation { reason: CancelReason::Other, note: None }, at(3));
    let extended = go(&shipped(), OrderEvent::BuyerRequestsProtectionExtension { days: 15 }, at(30));
    let answered = go(&extended, OrderEvent::SellerExtendsProtection { days: 15 }, at(31));
    let disputed = go(&delivered(), dispute(RefundRequest::Full), at(24 * 12 + 1));
    let proposed = go(&disputed, OrderEvent::SellerRespondsToDispute { response: SellerDisputeResponse::Propose(usd(1000)) }, at(24 * 13));
    let rejected = go(&disputed, OrderEvent::SellerRespondsToDispute { response: SellerDisputeResponse::Reject }, at(24 * 13));
    let escalated = go(&rejected, OrderEvent::BuyerEscalates, at(24 * 16));
    let withdrawn = go(&disputed, OrderEvent::BuyerWithdrawsDispute, at(24 * 13));
    let reopened = go(&withdrawn, dispute(RefundRequest::Partial(usd(100))), at(24 * 13 + 1));
    let spent = go(&reopened, OrderEvent::BuyerWithdrawsDispute, at(24 * 13 + 2));
    let partly = go(&proposed, OrderEvent::BuyerAcceptsProposal, at(24 * 14));
    let in_full = go(&disputed, OrderEvent::SellerRespondsToDispute { response: SellerDisputeResponse::Accept }, at(24 * 13));
    let reviewed = go(&completed(), OrderEvent::LeaveFeedback { item_stars: 5, communication_stars: 5, shipping_stars: 5, text: String::new(), photos: vec![] }, at(24 * 14));
    let completed_disputed = go(&completed(), dispute(RefundRequest::Full), at(24 * 14));
    let returning = go(&delivered(), return_of(ReturnReason::Damaged), at(24 * 13));
    let sent = go(&returning, send_return(), at(24 * 14));
    let received = go(&sent, OrderEvent::ReturnDelivered, at(24 * 18));
    let refused = go(&received, OrderEvent::SellerAnswersReturn { accept: false }, at(24 * 19));
    let return_escalated = go(&refused, OrderEvent::BuyerEscalatesReturn, at(24 * 20));
    let returned = go(&received, OrderEvent::SellerAnswersReturn { accept: true }, at(24 * 19));
    let lapsed = tick(&go(&completed(), return_of(ReturnReason::ChangedMind), at(24 * 14)), at(24 * 30));
    vec![
        returning,
        sent,
        received,
        refused,
        return_escalated,
        returned,
        lapsed,
        new_order(),
        declined,
        paid(),
        verified(),
        requested,
        go(&paid(), OrderEvent::BuyerCancels, at(2)),
        go(&paid(), OrderEvent::VerificationFailed, at(2)),
        tick(&verified(), at(24 * 10)),
        shipped(),
        go(&shipped(), OrderEvent::Checkpoint { kind: CheckpointKind::Customs, location: "Madrid".into() }, at(48)),
        extended,
        answered,
        delivered(),
        disputed,
        proposed,
        rejected,
        escalated,
        withdrawn,
        reopened,
        spent,
        partly,
        in_full,
        completed(),
        reviewed,
        completed_disputed,
    ]
}

/// The moments that matter for an order: its last event, and one second
/// either side of every deadline the rules give it.
fn moments(o: &Order) -> Vec<Timestamp> {
    let last = o.timeline.last().map_or(T0, |e| e.at);
    let mut deadlines = vec![last, last.plus(DAY)];
    deadlines.extend(o.ship_by);
    deadlines.extend(o.protection_ends_at);
    deadlines.extend(o.cancellation_request.as_ref().map(|r| r.answer_by));
    deadlines.extend(o.shipment.as_ref().map(|s| s.shipped_at.plus(DISPUTE_OPENS_AFTER_SHIPMENT)));
    deadlines.extend(o.completed_at.map(|c| c.plus(DISPUTE_WINDOW_AFTER_COMPLETION)));
    deadlines.extend(o.completed_at.map(|c| c.plus(FEEDBACK_WINDOW)));
    deadlines.extend(o.dispute.as_ref().map(|d| d.escalation_possible_from()));
    deadlines.extend(o.dispute.as_ref().map(|d| d.seller_respond_by()));
    deadlines.extend(o.payment.as_ref().map(|p| p.authorised_at.plus(VERIFICATION_PROMISE)));
    deadlines.extend(o.shipment.as_ref().and_then(|s| s.delivered_at).map(|d| d.plus(RETURN_WINDOW)));
    deadlines.extend(o.item_return.as_ref().map(|r| r.send_by));
    deadlines.extend(o.item_return.as_ref().and_then(|r| r.refund_by_silence_at().or(r.escalates_at())));
    deadlines.into_iter().flat_map(|d| [d.plus(-1), d, d.plus(1)]).filter(|t| *t >= last).collect()
}

// Every buyer action × every status and state × the moments around each
// deadline: what `Order::actions` tells a screen is what `apply` does.
#[test]
fn the_actions_a_screen_is_shown_are_exactly_the_ones_the_rules_accept() {
    let mut checked = 0;
    for order in every_order() {
        for now in moments(&order) {
            let actions = order.actions(now);
            for kind in BuyerActionKind::ALL {
                let state = actions.get(kind);
                let Some(event) = valid(kind) else {
                    assert_eq!(state.allowed(), order.status == OrderStatus::AwaitingPayment, "{kind:?} on {:?}", order.status);
                    continue;
                };
                let applied = apply(&order, event, now);
                assert_eq!(
                    state.refused.clone(),
                    applied.err(),
                    "{kind:?} on an order {:?} at {now:?}: the screen and the rules disagree",
                    order.status
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 1_000, "only {checked} cases");
}

// rules.md#orders: the orders list's one action per row comes from the same
// answer: never "confirm receipt" while a dispute is open, never "leave
// feedback" after the window.
#[test]
fn an_order_lists_main_action_is_one_the_rules_allow() {
    let disputed = go(&delivered(), dispute(RefundRequest::Full), at(24 * 12 + 1));
    assert_eq!(disputed.row_action(at(24 * 12 + 2)), None);
    assert_eq!(delivered().row_action(at(24 * 12 + 2)), Some(RowAction::ConfirmReceipt));
    assert_eq!(shipped().row_action(at(25)), Some(RowAction::Track));
    let done = completed();
    let completed_at = done.completed_at.unwrap();
    assert_eq!(done.row_action(completed_at.plus(DAY)), Some(RowAction::LeaveFeedback));
    assert_eq!(done.row_action(completed_at.plus(FEEDBACK_WINDOW + 1)), None);
    assert_eq!(new_order().row_action(at(1)), Some(RowAction::Pay));
}

// rules.md#protection-extension and #disputes: the two rules that once lived
// only in a screen.
#[test]
fn one_extension_request_and_at_most_two_disputes_per_order() {
    let o = go(&shipped(), OrderEvent::BuyerRequestsProtectionExtension { days: 15 }, at(30));
    assert_eq!(o.actions(at(31)).get(BuyerActionKind::RequestProtectionExtension).refused, Some(RuleError::ExtensionAlreadyRequested));
    let o = go(&delivered(), dispute(RefundRequest::Full), at(24 * 12 + 1));
    let o = go(&o, OrderEvent::BuyerWithdrawsDispute, at(24 * 12 + 2));
    let o = go(&o, dispute(RefundRequest::Full), at(24 * 12 + 3));
    let o = go(&o, OrderEvent::BuyerWithdrawsDispute, at(24 * 12 + 4));
    assert_eq!(
        apply(&o, dispute(RefundRequest::Full), at(24 * 12 + 5)),
        Err(RuleError::DisputeLimitReached { max: MAX_DISPUTE_OPENINGS })
    );
}

// rules.md#feedback: photos are images; the service says which from the content.
#[test]
fn a_video_is_not_a_feedback_photo() {
    use checkout_core::evidence::EvidenceKind;
    let done = completed();
    let with = |kind| OrderEvent::LeaveFeedback {
        item_stars: 5,
        communication_stars: 5,
        shipping_stars: 5,
        text: String::new(),
        photos: vec![Attachment { id: "evd".into(), kind }],
    };
    assert_eq!(apply(&done, with(EvidenceKind::Mp4), at(24 * 14)), Err(RuleError::FeedbackPhotoNotImage));
    assert!(apply(&done, with(EvidenceKind::Webp), at(24 * 14)).is_ok());
}

// rules.md#orders: the progress line and the estimate shown.
#[test]
fn the_steps_and_the_estimate_follow_the_order() {
    use StepState::{Current, Done, Todo};
    let states = |o: &Order| o.steps().map(|(_, s)| s);
    assert_eq!(states(&new_order()), [Current, Todo, Todo, Todo, Todo, Todo, Todo]);
    assert_eq!(states(&verified()), [Done, Done, Current, Todo, Todo, Todo, Todo]);
    assert_eq!(states(&delivered()), [Done, Done, Done, Done, Done, Current, Todo], "in transit counts as passed once delivered");
    assert_eq!(states(&completed()), [Done; 7]);
    assert_eq!(states(&go(&paid(), OrderEvent::BuyerCancels, at(2))), [Done, Done, Todo, Todo, Todo, Todo, Todo]);
    assert_eq!(shipped().estimate_shown(), shipped().shipment.map(|s| s.estimate));
    assert_eq!(go(&paid(), OrderEvent::BuyerCancels, at(2)).estimate_shown(), None);
}

#[test]
fn tracking_shows_where_the_parcel_is_but_not_the_address_nor_the_card() {
    let o = shipped();
    let tracked = o.tracked();
    assert_eq!((tracked.number.as_str(), tracked.status), (o.number.as_str(), o.status));
    assert_eq!(tracked.shipment, o.shipment);
    let json = serde_json::to_string(&tracked).unwrap();
    assert!(!json.contains(&o.shipping_address.line1), "{json}");
    assert!(!json.contains(&o.shipping_address.family_name), "{json}");
    assert!(!json.contains("last4") && !json.contains("payment_authorised"), "{json}");
    assert!(tracked.timeline.len() < o.timeline.len(), "the payment events are left out");
}

fn return_of(reason: ReturnReason) -> OrderEvent {
    OrderEvent::RequestReturn { lines: vec![ReturnLine { line: 0, quantity: 1 }], reason }
}

fn send_return() -> OrderEvent {
    OrderEvent::SendReturn { carrier: "Correos".into(), tracking_number: "rr 1234 5678 es".into() }
}

const DELIVERED_AT: i64 = 24 * 12;

// rules.md#returns: within 15 days of delivery, on a delivered or completed
// order of a seller who takes returns; once per order.
#[test]
fn a_return_is_asked_for_within_15_days_of_delivery() {
    let o = delivered();
    let delivered_at = at(DELIVERED_AT);
    assert_eq!(o.return_window_closes(), Some(delivered_at.plus(RETURN_WINDOW)));
    assert!(o.may(BuyerActionKind::RequestReturn, delivered_at.plus(RETURN_WINDOW)).is_ok());
    assert_eq!(o.may(BuyerActionKind::RequestReturn, delivered_at.plus(RETURN_WINDOW + 1)), Err(RuleError::ReturnWindowClosed));
    assert!(completed().may(BuyerActionKind::RequestReturn, at(DELIVERED_AT + 24)).is_ok());
    assert!(matches!(shipped().may(BuyerActionKind::RequestReturn, at(30)), Err(RuleError::NotInThisStatus { .. })));
    let mut no_returns = delivered();
    no_returns.return_policy = None;
    assert_eq!(no_returns.may(BuyerActionKind::RequestReturn, at(DELIVERED_AT + 1)), Err(RuleError::ReturnsNotAccepted));
    let asked = go(&o, return_of(ReturnReason::Damaged), at(DELIVERED_AT + 1));
    let lapsed = tick(&asked, at(DELIVERED_AT + 1).plus(RETURN_SEND_WITHIN));
    assert_eq!(lapsed.may(BuyerActionKind::RequestReturn, at(DELIVERED_AT + 1).plus(RETURN_SEND_WITHIN + 1)), Err(RuleError::ReturnAlreadyRequested));
}

// rules.md#returns: the refund is the items' price; the shipping only when the
// seller is at fault; "changed my mind" only where the seller takes it.
#[test]
fn the_refund_is_the_items_price_and_shipping_only_when_the_seller_is_at_fault() {
    let o = delivered();
    let two_mugs = [ReturnLine { line: 0, quantity: 2 }];
    let q = o.return_quote(&two_mugs, ReturnReason::ChangedMind).unwrap();
    assert_eq!((q.refund, q.shipping_refunded), (usd(3000), false));
    let q = o.return_quote(&two_mugs, ReturnReason::Damaged).unwrap();
    assert_eq!((q.refund, q.shipping_refunded), (usd(3500), true));
    let all = [ReturnLine { line: 0, quantity: 2 }, ReturnLine { line: 1, quantity: 1 }];
    assert_eq!(o.return_quote(&all, ReturnReason::WrongItem).unwrap().refund, usd(4500), "all of it: what was paid");
    let mut strict = o.clone();
    strict.return_policy.as_mut().unwrap().change_of_mind = false;
    assert_eq!(strict.return_quote(&two_mugs, ReturnReason::ChangedMind), Err(RuleError::ChangeOfMindNotAccepted));
    for bad in [
        vec![],
        vec![ReturnLine { line: 0, quantity: 3 }],
        vec![ReturnLine { line: 0, quantity: 0 }],
        vec![ReturnLine { line: 2, quantity: 1 }],
        vec![ReturnLine { line: 1, quantity: 1 }, ReturnLine { line: 1, quantity: 1 }],
    ] {
        assert_eq!(o.return_quote(&bad, ReturnReason::Damaged), Err(RuleError::ReturnLinesInvalid), "{bad:?}");
        let event = OrderEvent::RequestReturn { lines: bad, reason: ReturnReason::Damaged };
        assert_eq!(apply(&o, event, at(DELIVERED_AT + 1)).err(), Some(RuleError::ReturnLinesInvalid));
    }
}

// rules.md#returns: a return and a dispute are never open at once.
#[test]
fn a_return_and_a_dispute_exclude_each_other() {
    let returning = go(&delivered(), return_of(ReturnReason::Damaged), at(DELIVERED_AT + 1));
    assert_eq!(apply(&returning, dispute(RefundRequest::Full), at(DELIVERED_AT + 2)).err(), Some(RuleError::ReturnOpen));
    assert_eq!(apply(&returning, OrderEvent::BuyerConfirmsReceipt, at(DELIVERED_AT + 2)).err(), Some(RuleError::ReturnOpen));
    let disputed = go(&delivered(), dispute(RefundRequest::Full), at(DELIVERED_AT + 1));
    assert_eq!(apply(&disputed, return_of(ReturnReason::Damaged), at(DELIVERED_AT + 2)).err(), Some(RuleError::DisputeOpen));
    // Protection ending does not complete the order under an open return.
    let ends = returning.protection_ends_at.unwrap();
    assert_eq!(tick(&go(&returning, send_return(), at(DELIVERED_AT + 2)), ends.plus(1)).status, OrderStatus::Delivered);
}

// rules.md#returns: sent within 7 days with a carrier and tracking number, or
// it lapses; the parcel's checkpoints on the timeline; the seller's
// confirmation refunds.
#[test]
fn a_sent_return_that_the_seller_confirms_is_refunded() {
    let asked_at = at(DELIVERED_AT + 1);
    let o = go(&delivered(), return_of(ReturnReason::Damaged), asked_at);
    let r = o.item_return.clone().unwrap();
    assert_eq!((r.state, r.send_by, r.refund), (ReturnState::AwaitingParcel, asked_at.plus(RETURN_SEND_WITHIN), usd(2000)));
    assert_eq!(r.address, "Store returns, 1 Dock Rd, Shenzhen");
    assert_eq!(next_deadline(&o), Some(r.send_by));
    assert_eq!(o.actions(asked_at).get(BuyerActionKind::SendReturn).deadline, Some(r.send_by));
    for (carrier, number, err) in [
        ("", "RR123456", RuleError::ReturnCarrierInvalid { max: CARRIER_MAX_CHARS }),
        ("Correos", "RR12", RuleError::ReturnTrackingInvalid { min: TRACKING_MIN_CHARS, max: TRACKING_MAX_CHARS }),
        ("Correos", "RR12345#", RuleError::ReturnTrackingInvalid { min: TRACKING_MIN_CHARS, max: TRACKING_MAX_CHARS }),
        ("Cor\u{202E}reos", "RR123456", RuleError::ReturnCarrierInvalid { max: CARRIER_MAX_CHARS }),
        ("Correos\u{7}", "RR123456", RuleError::ReturnCarrierInvalid { max: CARRIER_MAX_CHARS }),
    ] {
        let e = OrderEvent::SendReturn { carrier: carrier.into(), tracking_number: number.into() };
        assert_eq!(apply(&o, e, asked_at.plus(HOUR)).err(), Some(err));
    }
    let sent = go(&o, send_return(), asked_at.plus(DAY));
    assert_eq!(sent.item_return.as_ref().unwrap().parcel.as_ref().unwrap().tracking_number, "RR12345678ES");
    assert_eq!(check_return_carrier("  China \n Post "), Ok("China Post".to_owned()));
    let moving = go(&sent, OrderEvent::ReturnCheckpoint { kind: CheckpointKind::Other, location: "Madrid depot".into() }, asked_at.plus(2 * DAY));
    assert!(matches!(&moving.timeline.last().unwrap().kind, TimelineKind::ReturnCheckpoint { location, .. } if location == "Madrid depot"));
    let arrived = go(&moving, OrderEvent::ReturnDelivered, asked_at.plus(4 * DAY));
    let refunded = go(&arrived, OrderEvent::SellerAnswersReturn { accept: true }, asked_at.plus(5 * DAY));
    assert_eq!(refunded.item_return.as_ref().unwrap().state, ReturnState::Refunded(usd(2000)));
    assert_eq!(refunded.refunded(), usd(2000));
    assert_eq!(refunded.refunds.last().unwrap().reason, RefundReason::Return);
    assert_eq!(refunded.status, OrderStatus::Delivered, "part of the order is kept");

    // Not sent in 7 days: it lapses, with no refund.
    let lapsed = tick(&o, r.send_by);
    assert_eq!(lapsed.item_return.as_ref().unwrap().state, ReturnState::Lapsed);
    assert!(lapsed.refunds.is_empty());
    assert_eq!(tick(&o, r.send_by.plus(-1)), o);
}

// rules.md#returns: silence for 15 days after the parcel arrived refunds; a
// refusal can be escalated, and the platform decides; everything back closes.
#[test]
fn a_silent_seller_refunds_by_itself_and_a_refusal_goes_to_the_platform() {
    let all = OrderEvent::RequestReturn {
        lines: vec![ReturnLine { line: 0, quantity: 2 }, ReturnLine { line: 1, quantity: 1 }],
        reason: ReturnReason::NotAsDescribed,
    };
    let o = go(&delivered(), all, at(DELIVERED_AT + 1));
    let o = go(&o, send_return(), at(DELIVERED_AT + 2));
    let arrived_at = at(DELIVERED_AT + 100);
    let arrived = go(&o, OrderEvent::ReturnDelivered, arrived_at);
    let due = arrived_at.plus(RETURN_REFUND_BY_SILENCE);
    assert_eq!(next_deadline(&arrived), Some(due));
    assert_eq!(tick(&arrived, due.plus(-1)), arrived);
    let silent = tick(&arrived, due);
    assert!(silent.timeline.iter().any(|e| e.kind == TimelineKind::ReturnAccepted { by_silence: true } && e.at == due));
    assert_eq!(silent.refunded(), usd(4500));
    assert_eq!(silent.status, OrderStatus::Closed(CloseReason::ReturnRefundedInFull));

    let refused = go(&arrived, OrderEvent::SellerAnswersReturn { accept: false }, arrived_at.plus(DAY));
    assert_eq!(next_deadline(&refused), Some(arrived_at.plus(DAY + RETURN_ESCALATES_AFTER_REFUSAL)), "the buyer's time to escalate");
    assert!(refused.may(BuyerActionKind::EscalateReturn, arrived_at.plus(DAY)).is_ok());
    assert_eq!(tick(&refused, due), refused, "a refused return is not refunded by silence");
    let escalated = go(&refused, OrderEvent::BuyerEscalatesReturn, arrived_at.plus(2 * DAY));
    assert_eq!(escalated.may(BuyerActionKind::EscalateReturn, arrived_at.plus(2 * DAY)), Err(RuleError::NoReturnAtThisStep));
    let decided = go(&escalated, OrderEvent::PlatformDecidesReturn { refund: usd(1000) }, arrived_at.plus(4 * DAY));
    assert_eq!(decided.item_return.as_ref().unwrap().state, ReturnState::Refunded(usd(1000)));
    let declined = go(&escalated, OrderEvent::PlatformDecidesReturn { refund: usd(0) }, arrived_at.plus(4 * DAY));
    assert_eq!(declined.item_return.as_ref().unwrap().state, ReturnState::Declined);
    assert!(declined.refunds.is_empty());
}

// The return's own line of steps.
#[test]
fn the_return_steps_follow_the_return() {
    use StepState::{Current, Done, Todo};
    let steps = |o: &Order| o.item_return.as_ref().unwrap().steps().map(|(_, s)| s);
    let asked = go(&delivered(), return_of(ReturnReason::Damaged), at(DELIVERED_AT + 1));
    assert_eq!(steps(&asked), [Done, Current, Todo, Todo]);
    let sent = go(&asked, send_return(), at(DELIVERED_AT + 2));
    assert_eq!(steps(&sent), [Done, Done, Current, Todo]);
    let arrived = go(&sent, OrderEvent::ReturnDelivered, at(DELIVERED_AT + 3));
    assert_eq!(steps(&arrived), [Done, Done, Done, Current]);
    assert_eq!(steps(&go(&arrived, OrderEvent::SellerAnswersReturn { accept: true }, at(DELIVERED_AT + 4))), [Done; 4]);
    assert_eq!(steps(&tick(&asked, at(DELIVERED_AT + 1).plus(RETURN_SEND_WITHIN))), [Done, Todo, Todo, Todo]);
}

// rules.md#returns: nothing waits for ever. A refusal the buyer leaves goes to
// the platform 15 days later; so does a parcel back not delivered in 30 days.
#[test]
fn a_refused_return_or_a_lost_parcel_back_goes_to_the_platform_by_itself() {
    use StepState::{Current, Done, Todo};
    let o = go(&delivered(), return_of(ReturnReason::Damaged), at(DELIVERED_AT + 1));
    let sent_at = at(DELIVERED_AT + 2);
    let sent = go(&o, send_return(), sent_at);
    let lost = sent_at.plus(RETURN_PARCEL_LOST_AFTER);
    assert_eq!(next_deadline(&sent), Some(lost));
    assert_eq!(tick(&sent, lost.plus(-1)), sent);
    let escalated = tick(&sent, lost);
    assert_eq!(escalated.item_return.as_ref().unwrap().state, ReturnState::Escalated);
    assert_eq!(escalated.timeline.last().map(|e| (&e.kind, e.at)), Some((&TimelineKind::ReturnEscalated { automatically: true }, lost)));
    assert_eq!(escalated.item_return.as_ref().unwrap().steps().map(|(_, s)| s), [Done, Done, Current, Todo], "it never arrived");

    let arrived = go(&sent, OrderEvent::ReturnDelivered, sent_at.plus(3 * DAY));
    let refused_at = sent_at.plus(4 * DAY);
    let refused = go(&arrived, OrderEvent::SellerAnswersReturn { accept: false }, refused_at);
    let due = refused_at.plus(RETURN_ESCALATES_AFTER_REFUSAL);
    assert_eq!(next_deadline(&refused), Some(due));
    assert_eq!(tick(&refused, due.plus(-1)), refused);
    assert_eq!(tick(&refused, due).item_return.unwrap().state, ReturnState::Escalated);
}

// rules.md#returns: the refund is what was paid for the items sent back: their
// share of the order beyond shipping, so after the discount and with the tax.
#[test]
fn a_return_refunds_what_was_paid_for_its_items_after_the_discount_and_with_the_tax() {
    let mut o = new_order();
    o.totals = OrderTotals::new(usd(4000), usd(500), usd(400), usd(810)).unwrap();
    let o = go(&o, OrderEvent::PaymentAuthorised { method: PaidWith::Wallet }, at(1));
    let o = go(&o, OrderEvent::VerificationPassed, at(2));
    let estimate = DateRange { from: at(24 * 10), to: at(24 * 20) };
    let o = go(&o, OrderEvent::Shipped { carrier: "Cainiao".into(), tracking_number: "LP00123".into(), estimate }, at(24));
    let o = go(&o, OrderEvent::Delivered, at(DELIVERED_AT));
    assert_eq!(o.paid(), usd(4910));
    let one_mug = [ReturnLine { line: 0, quantity: 1 }];
    // 15.00 of 40.00 in items: 15/40 of the 49.10 - 5.00 paid beyond shipping.
    assert_eq!(o.return_quote(&one_mug, ReturnReason::ChangedMind).unwrap().refund, usd(1653));
    assert_eq!(o.return_quote(&one_mug, ReturnReason::Damaged).unwrap().refund, usd(2153));
    let all = [ReturnLine { line: 0, quantity: 2 }, ReturnLine { line: 1, quantity: 1 }];
    assert_eq!(o.return_quote(&all, ReturnReason::Damaged).unwrap().refund, o.paid(), "everything back: all of it");
    assert_eq!(o.return_quote(&all, ReturnReason::ChangedMind).unwrap().refund, usd(4410), "all but the shipping");
}

// rules.md#returns: a late answer is refused by the rules themselves, not only
// by a clock that ran first; and receipt confirmed before the carrier's
// delivery scan still opens the 15 days, from then.
#[test]
fn late_answers_are_refused_and_an_early_receipt_opens_the_window() {
    let asked_at = at(DELIVERED_AT + 1);
    let o = go(&delivered(), return_of(ReturnReason::Damaged), asked_at);
    let by = o.item_return.as_ref().unwrap().send_by;
    assert_eq!(o.may(BuyerActionKind::SendReturn, by), Err(RuleError::NoReturnAtThisStep));
    assert_eq!(apply(&o, send_return(), by).err(), Some(RuleError::NoReturnAtThisStep));
    let arrived = go(&go(&o, send_return(), asked_at.plus(HOUR)), OrderEvent::ReturnDelivered, asked_at.plus(DAY));
    let due = arrived.item_return.as_ref().unwrap().refund_by_silence_at().unwrap();
    assert_eq!(apply(&arrived, OrderEvent::SellerAnswersReturn { accept: false }, due).err(), Some(RuleError::NoReturnAtThisStep));
    assert!(apply(&arrived, OrderEvent::SellerAnswersReturn { accept: false }, due.plus(-1)).is_ok());

    let early = go(&shipped(), OrderEvent::BuyerConfirmsReceipt, at(48));
    assert_eq!(early.return_window_closes(), Some(at(48).plus(RETURN_WINDOW)));
    assert!(early.may(BuyerActionKind::RequestReturn, at(49)).is_ok());
}
