//! What sellers, carriers and the platform do by themselves in the mock, on its
//! clock, according to the order's scenario. Each step is a core event applied
//! at the time it falls due, so the timeline shows realistic times; the rules'
//! own deadlines ([`tick`]) run before each step and at the end.

use checkout_core::order::{
    apply, next_deadline, tick, CheckpointKind, DisputeState, Order, OrderEvent, OrderStatus, ReturnState, SellerDisputeResponse,
    TimelineKind,
};
use checkout_core::money::Money;
use checkout_core::time::{DateRange, Timestamp, DAY, HOUR};

use crate::Scenario;

/// Days after shipment of each checkpoint, and of delivery.
const ROUTE: [(i64, CheckpointKind, &str); 5] = [
    (1, CheckpointKind::OriginFacility, "Shenzhen sorting centre"),
    (2, CheckpointKind::LeftOriginCountry, "Shenzhen airport"),
    (4, CheckpointKind::Customs, "Import customs"),
    (6, CheckpointKind::ArrivedDestinationCountry, "Destination hub"),
    (8, CheckpointKind::OutForDelivery, "Local delivery office"),
];
const DELIVERED_AFTER_DAYS: i64 = 9;
const SELLER_ANSWERS_AFTER: i64 = 6 * HOUR;
const SELLER_DISPUTE_ANSWER_AFTER: i64 = DAY;
const PLATFORM_DECIDES_AFTER: i64 = 2 * DAY;
/// Days after a return is sent of each checkpoint of the parcel back...
const RETURN_ROUTE: [(i64, CheckpointKind, &str); 2] =
    [(1, CheckpointKind::OriginFacility, "Drop-off point"), (2, CheckpointKind::Other, "International returns hub")];
/// ...and of its delivery to the seller.
const RETURN_DELIVERED_AFTER_DAYS: i64 = 4;
const SELLER_RETURN_ANSWER_AFTER: i64 = DAY;

fn last_at(order: &Order, pred: impl Fn(&TimelineKind) -> bool) -> Option<Timestamp> {
    order.timeline.iter().rev().find(|e| pred(&e.kind)).map(|e| e.at)
}

/// The next step the scenario takes for this order, and when.
fn next_step(order: &Order, scenario: Scenario) -> Option<(Timestamp, OrderEvent)> {
    match order.status {
        OrderStatus::PaymentBeingVerified => {
            let paid = order.payment.as_ref()?.authorised_at;
            let (after, passes) = scenario.verification();
            let event = if passes { OrderEvent::VerificationPassed } else { OrderEvent::VerificationFailed };
            Some((paid.plus(after), event))
        }
        OrderStatus::AwaitingShipment => {
            if let Some(req) = &order.cancellation_request {
                if scenario.seller_answers() {
                    return Some((req.requested_at.plus(SELLER_ANSWERS_AFTER), OrderEvent::SellerAnswersCancellation { approve: true }));
                }
            }
            let verified = last_at(order, |k| *k == TimelineKind::VerificationPassed)?;
            let shipped = verified.plus(scenario.ships_after()?);
            let days = |d: i64| shipped.plus_days(d);
            let estimate = DateRange { from: days(DELIVERED_AFTER_DAYS - 2), to: days(DELIVERED_AFTER_DAYS + 6) };
            let tracking_number = format!("LP{:0>10}", order.number.chars().filter(char::is_ascii_digit).collect::<String>());
            Some((shipped, OrderEvent::Shipped { carrier: "Cainiao Global".into(), tracking_number, estimate }))
        }
        OrderStatus::AwaitingDelivery => {
            let shipment = order.shipment.as_ref()?;
            let done = shipment.checkpoints.len();
            let (gap, stops_after) = match scenario {
                Scenario::ShipmentDelayed => (12, None),
                Scenario::LostParcel => (0, Some(2)),
                _ => (0, None),
            };
            if stops_after.is_some_and(|n| done >= n) {
                return None;
            }
            // A delayed parcel is silent for `gap` days after its first checkpoint.
            let delay = |i: usize| if i >= 1 { gap } else { 0 };
            match ROUTE.get(done) {
                Some((day, kind, place)) => Some((
                    shipment.shipped_at.plus_days(day + delay(done)),
                    OrderEvent::Checkpoint { kind: *kind, location: (*place).into() },
                )),
                None => Some((shipment.shipped_at.plus_days(DELIVERED_AFTER_DAYS + delay(done)), OrderEvent::Delivered)),
            }
        }
        _ => None,
    }
    .or_else(|| dispute_step(order, scenario))
    .or_else(|| return_step(order, scenario))
}

/// The parcel back travels whatever the scenario; the seller then confirms,
/// refuses or stays silent as the scenario says, and the platform refunds
/// what the return asked for once it is escalated.
fn return_step(order: &Order, scenario: Scenario) -> Option<(Timestamp, OrderEvent)> {
    let r = order.open_return()?;
    let parcel = r.parcel.as_ref();
    match r.state {
        ReturnState::Sent => {
            let parcel = parcel?;
            Some(match RETURN_ROUTE.get(parcel.checkpoints.len()) {
                Some((day, kind, place)) => {
                    (parcel.sent_at.plus_days(*day), OrderEvent::ReturnCheckpoint { kind: *kind, location: (*place).into() })
                }
                None => (parcel.sent_at.plus_days(RETURN_DELIVERED_AFTER_DAYS), OrderEvent::ReturnDelivered),
            })
        }
        ReturnState::Received => {
            let accept = match scenario {
                Scenario::SellerSilentOnReturn => return None,
                Scenario::SellerRefusesReturn => false,
                _ => true,
            };
            Some((parcel?.delivered_at?.plus(SELLER_RETURN_ANSWER_AFTER), OrderEvent::SellerAnswersReturn { accept }))
        }
        ReturnState::Escalated => {
            let since = last_at(order, |k| matches!(k, TimelineKind::ReturnEscalated { .. }))?;
            Some((since.plus(PLATFORM_DECIDES_AFTER), OrderEvent::PlatformDecidesReturn { refund: r.refund }))
        }
        _ => None,
    }
}

fn dispute_step(order: &Order, scenario: Scenario) -> Option<(Timestamp, OrderEvent)> {
    let d = order.open_dispute()?;
    match d.state {
        DisputeState::AwaitingSeller => {
            let response = match scenario {
                Scenario::SellerRejectsDispute => SellerDisputeResponse::Reject,
                Scenario::SellerProposesPartialRefund => {
                    SellerDisputeResponse::Propose(Money::new((d.requested.minor / 2).max(1), d.requested.currency))
                }
                _ => SellerDisputeResponse::Accept,
            };
            Some((d.opened_at.plus(SELLER_DISPUTE_ANSWER_AFTER), OrderEvent::SellerRespondsToDispute { response }))
        }
        DisputeState::Escalated => {
            let since = last_at(order, |k| matches!(k, TimelineKind::DisputeEscalated { .. }))?;
            Some((since.plus(PLATFORM_DECIDES_AFTER), OrderEvent::PlatformDecides { refund: d.requested }))
        }
        _ => None,
    }
}

/// What the seller and the platform do about a seeded order, which follows no
/// scenario for payment and shipping: answer its cancellation request, its
/// dispute and its return as the session's scenario says.
fn answers_only(order: &Order, scenario: Scenario) -> Option<(Timestamp, OrderEvent)> {
    if let (OrderStatus::AwaitingShipment, Some(req)) = (order.status, &order.cancellation_request) {
        return scenario
            .seller_answers()
            .then(|| (req.requested_at.plus(SELLER_ANSWERS_AFTER), OrderEvent::SellerAnswersCancellation { approve: true }));
    }
    dispute_step(order, scenario).or_else(|| return_step(order, scenario))
}

/// The earliest time at which [`run`] changes this order: its next step or
/// the rules' next deadline, whichever comes first (None: never by itself).
/// Before it, `run` gives the order back as it is.
pub fn wake_at(order: &Order, scenario: Option<Scenario>, session: Scenario) -> Option<Timestamp> {
    [step(order, scenario, session).map(|(due, _)| due), next_deadline(order)].into_iter().flatten().min()
}

/// The next step for an order placed in `scenario`; seeded orders (none)
/// only get answers, in the session's scenario.
fn step(order: &Order, scenario: Option<Scenario>, session: Scenario) -> Option<(Timestamp, OrderEvent)> {
    match scenario {
        Some(s) => next_step(order, s),
        None => answers_only(order, session),
    }
}

/// Brings the order up to `now`: each due step in time order, then the
/// deadlines. `scenario` is the one the order was placed in; seeded orders have
/// none and only get answers, in the session's scenario.
pub fn run(order: &Order, scenario: Option<Scenario>, session: Scenario, now: Timestamp) -> Order {
    let mut o = order.clone();
    {
        // Bounded: a route has a handful of steps; this only guards against a loop.
        for _ in 0..32 {
            match step(&o, scenario, session) {
                Some((due, event)) if due <= now => {
                    o = tick(&o, due);
                    match apply(&o, event, due) {
                        Ok(next) => o = next,
                        Err(_) => break,
                    }
                }
                _ => {
                    // A deadline passed by now (a dispute escalating, say) can
                    // make a new step due: look again until nothing moves, so
                    // one read brings the order all the way up to date.
                    let ticked = tick(&o, now);
                    if ticked == o {
                        break;
                    }
                    o = ticked;
                }
            }
        }
    }
    tick(&o, now)
}

