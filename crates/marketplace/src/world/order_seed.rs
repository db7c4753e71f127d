//! Past orders the mock starts with: one in every status a shopper can meet,
//! some with disputes, in USD, EUR and JPY, built with the core rules at times
//! before the mock clock's start. They follow no scenario: only the rules'
//! own deadlines move them.

use checkout_core::catalog::SellerId;
use checkout_core::money::{Currency, Money};
use checkout_core::order::{
    apply, CancelReason, CheckpointKind, DeclineReason, DisputeReason, Order, OrderEvent, OrderId, OrderLine,
    OrderTotals, PaidWith, RefundRequest, ReturnLine, ReturnReason, SellerDisputeResponse,
};
use checkout_core::time::{DateRange, Timestamp, DAY, HOUR, MINUTE};
use checkout_core::validate::address::Address;
use checkout_core::validate::card::Brand;

pub const SEED_EMAIL: &str = "shopper@example.com";

fn address() -> Address {
    Address {
        country: "US".into(),
        given_name: "Ana".into(),
        family_name: "López".into(),
        line1: "1 Market St".into(),
        line2: Some("Apt 5".into()),
        city: "San Francisco".into(),
        region: Some("CA".into()),
        postal_code: Some("94105".into()),
    }
}

struct Seed {
    n: u32,
    seller: (&'static str, &'static str),
    product: (&'static str, &'static str),
    unit: i64,
    quantity: u32,
    shipping: i64,
    currency: Currency,
}

fn place(s: &Seed, at: Timestamp) -> Order {
    let m = |minor: i64| Money::new(minor, s.currency);
    let line_total = m(s.unit * i64::from(s.quantity));
    let line = OrderLine {
        product_name: s.product.1.into(),
        option_label: None,
        image: Some(format!("/images/products/{}-1.svg", s.product.0)),
        quantity: s.quantity,
        unit_price: m(s.unit),
        line_total,
    };
    let totals = OrderTotals::new(line_total, m(s.shipping), m(0), m(0)).unwrap_or_else(|_| unreachable!());
    let number = format!("{:012}", 8_000_000_000_000u64 + u64::from(s.n));
    let mut o = Order::place(
        OrderId(format!("seed_{:02}", s.n)),
        number,
        SellerId(s.seller.0.into()),
        s.seller.1.into(),
        vec![line],
        totals,
        address(),
        5,
        at,
    );
    o.return_policy = super::return_policy(&o.seller_id);
    o
}

/// Applies events in turn, each at its own time. A refused step would be a bug in
/// the seed; the native test that checks every status is seeded catches it, so
/// the browser bundle carries no formatting code for it.
fn live(mut o: Order, steps: Vec<(Timestamp, OrderEvent)>) -> Order {
    for (at, e) in steps {
        if let Ok(next) = apply(&o, e, at) {
            o = next;
        }
    }
    o
}

fn card() -> OrderEvent {
    OrderEvent::PaymentAuthorised { method: PaidWith::Card { brand: Brand::Visa, last4: "4242".into() } }
}

fn shipped(days_ago: Timestamp) -> OrderEvent {
    OrderEvent::Shipped {
        carrier: "Cainiao Global".into(),
        tracking_number: format!("LP{}", days_ago.0 % 10_000_000_000),
        estimate: DateRange { from: days_ago.plus_days(8), to: days_ago.plus_days(20) },
    }
}

fn checkpoint(kind: CheckpointKind, place: &str) -> OrderEvent {
    OrderEvent::Checkpoint { kind, location: place.into() }
}

pub fn orders(now: Timestamp) -> Vec<(Order, String)> {
    let lumen = ("lumen-home", "Lumen Home Store");
    let trail = ("trailpeak", "Trailpeak Outdoor");
    let pixel = ("pixel-gadget", "Pixel Gadget Official Store");
    let maple = ("maple-kids", "Maple Kids Corner");
    let ago = |d: i64| now.plus(-d);
    let seed = |n, seller, product, unit, quantity, shipping, currency| Seed { n, seller, product, unit, quantity, shipping, currency };
    let usd = Currency::USD;
    let eur = Currency::EUR;
    let jpy = Currency::JPY;

    let mut out = Vec::new();

    // Awaiting payment, after a declined card.
    let t = ago(2 * HOUR);
    let o = place(&seed(1, lumen, ("pour-over-set", "Ceramic pour-over coffee set"), 1850, 1, 399, usd), t);
    out.push(live(o, vec![(t.plus(MINUTE), OrderEvent::PaymentDeclined { reason: DeclineReason::InsufficientFunds })]));

    // Payment being verified: minutes in, and past the 24-hour promise.
    let t = ago(10 * MINUTE);
    let o = place(&seed(2, pixel, ("usb-c-charger", "65 W USB-C fast charger"), 1349, 2, 0, usd), t);
    out.push(live(o, vec![(t.plus(MINUTE), card())]));
    let t = ago(26 * HOUR);
    let o = place(&seed(3, pixel, ("phone-stand", "Aluminium phone stand"), 899, 1, 0, usd), t);
    out.push(live(o, vec![(t.plus(MINUTE), card())]));

    // Awaiting shipment, and one with a cancellation request waiting for the seller.
    let t = ago(DAY);
    let o = place(&seed(4, trail, ("headlamp", "Ultralight rechargeable headlamp"), 2130, 1, 549, usd), t);
    out.push(live(o, vec![(t.plus(MINUTE), card()), (t.plus(HOUR), OrderEvent::VerificationPassed)]));
    let t = ago(2 * DAY);
    let o = place(&seed(5, lumen, ("bamboo-desk-lamp", "Bamboo desk lamp with warm LED"), 2499, 1, 399, usd), t);
    out.push(live(
        o,
        vec![
            (t.plus(MINUTE), card()),
            (t.plus(HOUR), OrderEvent::VerificationPassed),
            (ago(5 * HOUR), OrderEvent::BuyerRequestsCancellation { reason: CancelReason::WrongAddress, note: None }),
        ],
    ));

    // Awaiting delivery in EUR with checkpoints, and a delayed one.
    let t = ago(6 * DAY);
    let o = place(&seed(6, trail, ("rain-jacket", "Packable rain jacket"), 3690, 1, 499, eur), t);
    out.push(live(
        o,
        vec![
            (t.plus(MINUTE), card()),
            (t.plus(HOUR), OrderEvent::VerificationPassed),
            (t.plus(DAY), shipped(t.plus(DAY))),
            (t.plus(2 * DAY), checkpoint(CheckpointKind::OriginFacility, "Shenzhen sorting centre")),
            (t.plus(3 * DAY), checkpoint(CheckpointKind::LeftOriginCountry, "Shenzhen airport")),
            (t.plus(5 * DAY), checkpoint(CheckpointKind::Customs, "Liège customs")),
        ],
    ));
    let t = ago(16 * DAY);
    let o = place(&seed(7, maple, ("wooden-blocks", "Wooden building blocks, 50 pieces"), 2250, 1, 299, usd), t);
    out.push(live(
        o,
        vec![
            (t.plus(MINUTE), card()),
            (t.plus(HOUR), OrderEvent::VerificationPassed),
            (t.plus(DAY), shipped(t.plus(DAY))),
            (t.plus(3 * DAY), checkpoint(CheckpointKind::OriginFacility, "Yiwu sorting centre")),
        ],
    ));

    // Delivered, in JPY (no minor unit).
    let t = ago(12 * DAY);
    let o = place(&seed(8, pixel, ("wireless-earbuds", "Wireless earbuds with charging case"), 4480, 1, 0, jpy), t);
    out.push(live(
        o,
        vec![
            (t.plus(MINUTE), card()),
            (t.plus(HOUR), OrderEvent::VerificationPassed),
            (t.plus(DAY), shipped(t.plus(DAY))),
            (t.plus(2 * DAY), checkpoint(CheckpointKind::OriginFacility, "Shenzhen sorting centre")),
            (t.plus(6 * DAY), checkpoint(CheckpointKind::ArrivedDestinationCountry, "Narita")),
            (t.plus(9 * DAY), checkpoint(CheckpointKind::OutForDelivery, "Shibuya delivery office")),
            (t.plus(9 * DAY + 4 * HOUR), OrderEvent::Delivered),
        ],
    ));

    // Completed: feedback still open; and one with feedback left.
    for (n, fb) in [(9u32, false), (10, true)] {
        let t = ago(20 * DAY);
        let o = place(&seed(n, lumen, ("linen-cushion-cover", "Washed linen cushion cover, 45 × 45 cm"), 999, 2, 399, usd), t);
        let mut steps = vec![
            (t.plus(MINUTE), card()),
            (t.plus(HOUR), OrderEvent::VerificationPassed),
            (t.plus(DAY), shipped(t.plus(DAY))),
            (t.plus(9 * DAY), OrderEvent::Delivered),
            (t.plus(10 * DAY), OrderEvent::BuyerConfirmsReceipt),
        ];
        if fb {
            steps.push((
                t.plus(11 * DAY),
                OrderEvent::LeaveFeedback {
                    item_stars: 5,
                    communication_stars: 4,
                    shipping_stars: 4,
                    text: "Lovely fabric, the colour is exactly as shown.".into(),
                    photos: vec![],
                },
            ));
        }
        out.push(live(o, steps));
    }

    // Closed: cancelled by the buyer; verification failed; seller missed ship-by.
    let t = ago(3 * DAY);
    let o = place(&seed(11, trail, ("trail-socks", "Trail running socks, 3 pairs"), 1200, 1, 549, usd), t);
    out.push(live(o, vec![(t.plus(MINUTE), card()), (t.plus(5 * MINUTE), OrderEvent::BuyerCancels)]));
    let t = ago(4 * DAY);
    let o = place(&seed(12, pixel, ("mechanical-keyboard", "Compact mechanical keyboard"), 5900, 1, 0, usd), t);
    out.push(live(o, vec![(t.plus(MINUTE), card()), (t.plus(20 * MINUTE), OrderEvent::VerificationFailed)]));
    let t = ago(10 * DAY);
    let o = place(&seed(13, maple, ("kids-raincoat", "Kids' raincoat with reflective strips"), 1999, 1, 299, usd), t);
    let o = live(o, vec![(t.plus(MINUTE), card()), (t.plus(HOUR), OrderEvent::VerificationPassed)]);
    out.push(checkout_core::order::tick(&o, t.plus(7 * DAY)));

    // Disputes: the seller offered half; and one refunded in full.
    let dispute = |refund| OrderEvent::OpenDispute {
        reason: DisputeReason::NotAsDescribed,
        refund,
        description: "The bottle leaks from the lid as soon as it is tipped over.".into(),
        evidence: vec![],
    };
    let t = ago(14 * DAY);
    let o = place(&seed(14, trail, ("water-bottle", "Insulated water bottle, 750 ml"), 1675, 1, 549, usd), t);
    out.push(live(
        o,
        vec![
            (t.plus(MINUTE), card()),
            (t.plus(HOUR), OrderEvent::VerificationPassed),
            (t.plus(DAY), shipped(t.plus(DAY))),
            (t.plus(9 * DAY), OrderEvent::Delivered),
            (t.plus(10 * DAY), dispute(RefundRequest::Full)),
            (t.plus(11 * DAY), OrderEvent::SellerRespondsToDispute { response: SellerDisputeResponse::Propose(Money::new(1100, usd)) }),
        ],
    ));
    let t = ago(30 * DAY);
    let o = place(&seed(15, lumen, ("wall-clock", "Silent wall clock, 30 cm"), 1500, 1, 399, usd), t);
    out.push(live(
        o,
        vec![
            (t.plus(MINUTE), card()),
            (t.plus(HOUR), OrderEvent::VerificationPassed),
            (t.plus(DAY), shipped(t.plus(DAY))),
            (t.plus(9 * DAY), OrderEvent::Delivered),
            (t.plus(10 * DAY), dispute(RefundRequest::Full)),
            (t.plus(11 * DAY), OrderEvent::SellerRespondsToDispute { response: SellerDisputeResponse::Accept }),
        ],
    ));

    // Returns, one in each state that waits: for the parcel, on its way back,
    // arrived (the seller to answer), refused by the seller; and one refunded.
    let delivered_ago = |t: Timestamp, delivered: Timestamp| {
        vec![
            (t.plus(MINUTE), card()),
            (t.plus(HOUR), OrderEvent::VerificationPassed),
            (t.plus(DAY), shipped(t.plus(DAY))),
            (delivered, OrderEvent::Delivered),
        ]
    };
    let give_back = |reason| OrderEvent::RequestReturn { lines: vec![ReturnLine { line: 0, quantity: 1 }], reason };
    let send = || OrderEvent::SendReturn { carrier: "China Post".into(), tracking_number: "RR204918337CN".into() };
    let back = |kind, place: &str| OrderEvent::ReturnCheckpoint { kind, location: place.into() };
    let t = ago(14 * DAY);
    let o = place(&seed(16, lumen, ("pour-over-set", "Ceramic pour-over coffee set"), 1850, 1, 399, usd), t);
    let mut steps = delivered_ago(t, ago(4 * DAY));
    steps.push((ago(DAY), give_back(ReturnReason::ChangedMind)));
    out.push(live(o, steps));
    let t = ago(16 * DAY);
    let o = place(&seed(17, trail, ("trail-socks", "Trail running socks, 3 pairs"), 1200, 2, 549, usd), t);
    let mut steps = delivered_ago(t, ago(6 * DAY));
    steps.extend([
        (ago(4 * DAY), give_back(ReturnReason::WrongItem)),
        (ago(36 * HOUR), send()),
        (ago(12 * HOUR), back(CheckpointKind::OriginFacility, "Drop-off point")),
    ]);
    out.push(live(o, steps));
    let t = ago(17 * DAY);
    let o = place(&seed(18, lumen, ("bamboo-desk-lamp", "Bamboo desk lamp with warm LED"), 2499, 1, 399, usd), t);
    let mut steps = delivered_ago(t, ago(8 * DAY));
    steps.extend([
        (ago(7 * DAY), give_back(ReturnReason::Damaged)),
        (ago(6 * DAY), send()),
        (ago(5 * DAY), back(CheckpointKind::OriginFacility, "Drop-off point")),
        (ago(4 * DAY), back(CheckpointKind::Other, "International returns hub")),
        (ago(2 * HOUR), OrderEvent::ReturnDelivered),
    ]);
    out.push(live(o, steps));
    let t = ago(19 * DAY);
    let o = place(&seed(19, pixel, ("mechanical-keyboard", "Compact mechanical keyboard"), 5900, 1, 0, usd), t);
    let mut steps = delivered_ago(t, ago(10 * DAY));
    steps.extend([
        (ago(9 * DAY), give_back(ReturnReason::NotAsDescribed)),
        (ago(8 * DAY), send()),
        (ago(4 * DAY), OrderEvent::ReturnDelivered),
        (ago(3 * DAY), OrderEvent::SellerAnswersReturn { accept: false }),
    ]);
    out.push(live(o, steps));
    let t = ago(25 * DAY);
    let o = place(&seed(20, trail, ("water-bottle", "Insulated water bottle, 750 ml"), 1675, 2, 549, usd), t);
    let mut steps = delivered_ago(t, ago(15 * DAY));
    steps.extend([
        (ago(14 * DAY), give_back(ReturnReason::Damaged)),
        (ago(13 * DAY), send()),
        (ago(9 * DAY), OrderEvent::ReturnDelivered),
        (ago(8 * DAY), OrderEvent::SellerAnswersReturn { accept: true }),
    ]);
    out.push(live(o, steps));

    out.into_iter().map(|o| (o, SEED_EMAIL.to_owned())).collect()
}
