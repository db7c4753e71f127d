//! Returning items (docs/rules.md#returns): which lines and how many, the
//! refund that gives, the parcel back to the seller and its tracking, and the
//! seller's answer, silence or refusal. One return per order; it and a
//! dispute are never open at once, since a dispute covers every line.

use serde::{Deserialize, Serialize};

use super::{Checkpoint, Order, OrderStatus, RuleError, StepState};
use crate::money::Money;
use crate::time::{Timestamp, DAY};

/// A return can be asked for this long after delivery.
pub const RETURN_WINDOW: i64 = 15 * DAY;
/// The buyer sends the parcel within this of asking, or the return lapses.
pub const RETURN_SEND_WITHIN: i64 = 7 * DAY;
/// A seller who has not answered this long after the parcel arrived has
/// accepted it: the refund is made.
pub const RETURN_REFUND_BY_SILENCE: i64 = 15 * DAY;
/// A return the seller refused goes to the platform by itself this long
/// after the refusal, if the buyer has not taken it there.
pub const RETURN_ESCALATES_AFTER_REFUSAL: i64 = 15 * DAY;
/// A parcel back not delivered this long after it was sent is taken to the
/// platform by itself.
pub const RETURN_PARCEL_LOST_AFTER: i64 = 30 * DAY;
pub const CARRIER_MAX_CHARS: usize = 60;
pub const TRACKING_MIN_CHARS: usize = 6;
pub const TRACKING_MAX_CHARS: usize = 40;

/// What a seller accepts back, copied onto each order when it is placed so
/// that a later change of policy does not change an order already bought.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReturnPolicy {
    /// Whether "changed my mind" is a reason this seller takes.
    pub change_of_mind: bool,
    /// Where returned parcels go, as one line a shopper copies onto a label.
    pub address: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReturnReason {
    ChangedMind,
    NotAsDescribed,
    Damaged,
    WrongItem,
    Counterfeit,
    MissingParts,
}

impl ReturnReason {
    pub const ALL: [ReturnReason; 6] = [
        ReturnReason::NotAsDescribed,
        ReturnReason::Damaged,
        ReturnReason::WrongItem,
        ReturnReason::Counterfeit,
        ReturnReason::MissingParts,
        ReturnReason::ChangedMind,
    ];

    /// Every reason but a change of mind is the seller's fault: then the
    /// shipping paid is refunded too.
    pub fn seller_at_fault(self) -> bool {
        self != ReturnReason::ChangedMind
    }
}

/// A line of the order (its index in `Order::lines`) and how many of it go back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReturnLine {
    pub line: u32,
    pub quantity: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReturnState {
    /// Waiting for the buyer to send the parcel, until `send_by`.
    AwaitingParcel,
    /// The buyer gave the carrier and tracking number; the parcel travels.
    Sent,
    /// The parcel reached the seller, who confirms or refuses it.
    Received,
    /// The seller refused what arrived; the buyer may escalate.
    Refused,
    /// With the platform, who decides the refund.
    Escalated,
    /// Refunded: by the seller, by the seller's silence, or as the platform decided.
    Refunded(Money),
    /// The platform decided on no refund.
    Declined,
    /// Not sent in time: closed without a refund.
    Lapsed,
}

impl ReturnState {
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Self::AwaitingParcel | Self::Sent | Self::Received | Self::Refused | Self::Escalated
        )
    }
}

/// The parcel going back, as its carrier reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReturnParcel {
    pub carrier: String,
    pub tracking_number: String,
    pub sent_at: Timestamp,
    pub checkpoints: Vec<Checkpoint>,
    pub delivered_at: Option<Timestamp>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ItemReturn {
    pub lines: Vec<ReturnLine>,
    pub reason: ReturnReason,
    /// What the return refunds, fixed when it was asked for.
    pub refund: Money,
    /// Whether `refund` includes the shipping paid (the seller's fault).
    pub shipping_refunded: bool,
    /// Where to send the parcel.
    pub address: String,
    pub requested_at: Timestamp,
    pub send_by: Timestamp,
    pub parcel: Option<ReturnParcel>,
    pub state: ReturnState,
    /// When the seller refused what arrived.
    #[serde(default)]
    pub refused_at: Option<Timestamp>,
}

/// The steps of a return, as its own line of steps shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReturnStep {
    Requested,
    Sent,
    Received,
    Refunded,
}

impl ItemReturn {
    /// When the return goes to the platform by itself: a refusal the buyer
    /// did not escalate, or a parcel back that never arrived.
    pub fn escalates_at(&self) -> Option<Timestamp> {
        match self.state {
            ReturnState::Refused => self.refused_at.map(|t| t.plus(RETURN_ESCALATES_AFTER_REFUSAL)),
            ReturnState::Sent => self.parcel.as_ref().map(|p| p.sent_at.plus(RETURN_PARCEL_LOST_AFTER)),
            _ => None,
        }
    }

    /// When the refund is made by itself if the seller says nothing.
    pub fn refund_by_silence_at(&self) -> Option<Timestamp> {
        match self.state {
            ReturnState::Received => self
                .parcel
                .as_ref()?
                .delivered_at
                .map(|d| d.plus(RETURN_REFUND_BY_SILENCE)),
            _ => None,
        }
    }

    /// Requested, sent, received, refunded: each step's state. A return that
    /// ended without a refund has its last step left to do and no current one.
    pub fn steps(&self) -> [(ReturnStep, StepState); 4] {
        use ReturnState as S;
        let done = match self.state {
            S::AwaitingParcel | S::Lapsed => 1,
            S::Sent => 2,
            S::Escalated | S::Declined if self.parcel.as_ref().is_none_or(|p| p.delivered_at.is_none()) => 2,
            S::Received | S::Refused | S::Escalated | S::Declined => 3,
            S::Refunded(_) => 4,
        };
        let open = self.state.is_open();
        [
            ReturnStep::Requested,
            ReturnStep::Sent,
            ReturnStep::Received,
            ReturnStep::Refunded,
        ]
        .map(|step| {
            let n = step as usize + 1;
            let state = if n <= done {
                StepState::Done
            } else if n == done + 1 && open {
                StepState::Current
            } else {
                StepState::Todo
            };
            (step, state)
        })
    }
}

/// What a return of these lines for this reason refunds: what was paid for
/// the items sent back (their price's share of the order's cost beyond
/// shipping, so with its discount and tax), plus the order's shipping when
/// the seller is at fault; never more than is left of the payment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReturnQuote {
    pub refund: Money,
    pub shipping_refunded: bool,
}

impl Order {
    /// The order's return while it is open.
    pub fn open_return(&self) -> Option<&ItemReturn> {
        self.item_return.as_ref().filter(|r| r.state.is_open())
    }

    /// Until when a return may be asked for: 15 days after delivery, on a
    /// delivered or completed order.
    pub fn return_window_closes(&self) -> Option<Timestamp> {
        if !matches!(self.status, OrderStatus::Delivered | OrderStatus::Completed) {
            return None;
        }
        // Receipt confirmed before the carrier's delivery scan: from then.
        let delivered = self.shipment.as_ref()?.delivered_at.or(self.completed_at)?;
        Some(delivered.plus(RETURN_WINDOW))
    }

    /// The reasons this order's seller takes, in the order a form lists them.
    pub fn return_reasons(&self) -> Vec<ReturnReason> {
        let change_of_mind = self.return_policy.as_ref().is_some_and(|p| p.change_of_mind);
        ReturnReason::ALL.into_iter().filter(|r| *r != ReturnReason::ChangedMind || change_of_mind).collect()
    }

    /// The refund a return of `lines` for `reason` gives, or why it cannot be
    /// asked: each line once, at least one, none past what was bought, and a
    /// change of mind only where the seller takes it.
    pub fn return_quote(
        &self,
        lines: &[ReturnLine],
        reason: ReturnReason,
    ) -> Result<ReturnQuote, RuleError> {
        if reason == ReturnReason::ChangedMind
            && !self
                .return_policy
                .as_ref()
                .is_some_and(|p| p.change_of_mind)
        {
            return Err(RuleError::ChangeOfMindNotAccepted);
        }
        let currency = self.totals.total.currency;
        let mut seen = Vec::with_capacity(lines.len());
        let mut items = Money::zero(currency);
        for l in lines {
            let bought = self
                .lines
                .get(l.line as usize)
                .ok_or(RuleError::ReturnLinesInvalid)?;
            if seen.contains(&l.line) || l.quantity == 0 || l.quantity > bought.quantity {
                return Err(RuleError::ReturnLinesInvalid);
            }
            seen.push(l.line);
            items = items.checked_add(bought.unit_price.checked_mul(l.quantity)?)?;
        }
        if lines.is_empty() {
            return Err(RuleError::ReturnLinesInvalid);
        }
        // What was paid for these items: their share, by price, of what the
        // order cost beyond its shipping (the discount and the tax spread
        // over the items), rounded down.
        let t = &self.totals;
        let beyond_shipping = i128::from(t.total.minor - t.shipping.minor).max(0);
        let share = match i128::from(t.items.minor) {
            0 => 0,
            all => i128::from(items.minor) * beyond_shipping / all,
        };
        let items = Money::new(i64::try_from(share).map_err(|_| RuleError::Money)?, currency);
        let shipping_refunded = reason.seller_at_fault() && !t.shipping.is_zero();
        let refund = if shipping_refunded { items.checked_add(t.shipping)? } else { items };
        let max = self.refundable();
        let refund = if refund.minor > max.minor {
            max
        } else {
            refund
        };
        Ok(ReturnQuote {
            refund,
            shipping_refunded,
        })
    }
}

/// The carrier and tracking number the buyer gives for the parcel back,
/// each tidied as [`check_return_carrier`] and [`check_tracking_number`] say.
pub fn check_return_tracking(carrier: &str, tracking_number: &str) -> Result<(String, String), RuleError> {
    Ok((check_return_carrier(carrier)?, check_tracking_number(tracking_number)?))
}

/// The carrier's name, its spaces tidied: 1 to 60 characters, none of them
/// a control or invisible formatting character.
pub fn check_return_carrier(carrier: &str) -> Result<String, RuleError> {
    let invalid = RuleError::ReturnCarrierInvalid { max: CARRIER_MAX_CHARS };
    // Shown on the timeline: no control characters nor direction overrides.
    let hidden = |c: char| c.is_control() || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}');
    if carrier.chars().any(|c| hidden(c) && !c.is_whitespace()) {
        return Err(invalid);
    }
    let carrier = carrier.split_whitespace().collect::<Vec<_>>().join(" ");
    if carrier.is_empty() || carrier.chars().count() > CARRIER_MAX_CHARS {
        return Err(invalid);
    }
    Ok(carrier)
}

/// A tracking number without its spaces and in capitals: 6 to 40 letters,
/// digits or hyphens.
pub fn check_tracking_number(number: &str) -> Result<String, RuleError> {
    let number: String = number.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    let fits = (TRACKING_MIN_CHARS..=TRACKING_MAX_CHARS).contains(&number.len());
    if !fits || !number.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(RuleError::ReturnTrackingInvalid { min: TRACKING_MIN_CHARS, max: TRACKING_MAX_CHARS });
    }
    Ok(number)
}
