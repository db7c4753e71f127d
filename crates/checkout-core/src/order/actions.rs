//! What a buyer may do with an order now, why not, and by when
//! (docs/rules.md). [`Order::may`] is the one check of each action's
//! preconditions: [`apply`](super::apply) runs it before every buyer event, and
//! [`Order::actions`] reports it for every action, so a screen and the order
//! service cannot disagree.

use serde::{Deserialize, Serialize};

use super::{
    DisputeState, Order, ReturnState, OrderStatus, RuleError, DESCRIPTION_MAX_CHARS, DESCRIPTION_MIN_CHARS, FEEDBACK_MAX_CHARS,
    FEEDBACK_WINDOW, MAX_DISPUTE_OPENINGS, PROTECTION_MAX_DAYS,
};
use crate::evidence::{EvidenceKind, MAX_FILES};
use crate::money::Money;
use crate::time::Timestamp;

/// Each thing a buyer can do to an order: one button or link on a screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum BuyerActionKind {
    Pay,
    Cancel,
    RequestCancellation,
    ConfirmReceipt,
    RequestProtectionExtension,
    LeaveFeedback,
    OpenDispute,
    AcceptDisputeProposal,
    EscalateDispute,
    WithdrawDispute,
    RequestReturn,
    SendReturn,
    EscalateReturn,
}

impl BuyerActionKind {
    pub const ALL: [BuyerActionKind; 13] = [
        BuyerActionKind::Pay,
        BuyerActionKind::Cancel,
        BuyerActionKind::RequestCancellation,
        BuyerActionKind::ConfirmReceipt,
        BuyerActionKind::RequestProtectionExtension,
        BuyerActionKind::LeaveFeedback,
        BuyerActionKind::OpenDispute,
        BuyerActionKind::AcceptDisputeProposal,
        BuyerActionKind::EscalateDispute,
        BuyerActionKind::WithdrawDispute,
        BuyerActionKind::RequestReturn,
        BuyerActionKind::SendReturn,
        BuyerActionKind::EscalateReturn,
    ];
}

/// The one thing an orders list offers on a row, most pressing first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RowAction {
    Pay,
    /// The parcel is on its way: follow it.
    Track,
    ConfirmReceipt,
    LeaveFeedback,
}

/// One action as it stands now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionState {
    pub kind: BuyerActionKind,
    /// Why it cannot be done now; `None` when it can.
    pub refused: Option<RuleError>,
    /// When it stops being possible or something happens by itself instead:
    /// the seller's answer to a cancellation request, protection's end (and
    /// the automatic receipt), the end of the feedback or dispute window, the
    /// dispute's automatic escalation.
    pub deadline: Option<Timestamp>,
}

impl ActionState {
    pub fn allowed(&self) -> bool {
        self.refused.is_none()
    }
}

/// Every buyer action on one order at one moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuyerActions(Vec<ActionState>);

impl BuyerActions {
    pub fn get(&self, kind: BuyerActionKind) -> &ActionState {
        // Built from ALL, so every kind is there.
        self.0.iter().find(|a| a.kind == kind).expect("every action kind is listed")
    }

    pub fn allowed(&self, kind: BuyerActionKind) -> bool {
        self.get(kind).allowed()
    }

    pub fn iter(&self) -> impl Iterator<Item = &ActionState> {
        self.0.iter()
    }
}

impl Order {
    /// Whether the buyer may do `kind` now, or the rule that refuses it. Only
    /// the order's state and time: what the buyer sends with the action (a
    /// refund amount, a description, stars) is checked by the `check_*`
    /// functions below.
    pub fn may(&self, kind: BuyerActionKind, now: Timestamp) -> Result<(), RuleError> {
        use BuyerActionKind as A;
        use OrderStatus as S;
        let not_here = RuleError::NotInThisStatus { status: self.status };
        let shipped_or_later = matches!(self.status, S::AwaitingDelivery | S::Delivered | S::Completed);
        let in_transit_or_delivered = matches!(self.status, S::AwaitingDelivery | S::Delivered);
        match kind {
            A::Pay => (self.status == S::AwaitingPayment).then_some(()).ok_or(not_here),
            A::Cancel => match self.status {
                S::AwaitingPayment | S::PaymentBeingVerified => Ok(()),
                S::AwaitingShipment => Err(RuleError::CancellationNeedsSeller),
                _ if shipped_or_later => Err(RuleError::CancelAfterShipment),
                _ => Err(not_here),
            },
            A::RequestCancellation => match self.status {
                S::AwaitingShipment if self.cancellation_request.is_some() => Err(RuleError::CancellationAlreadyRequested),
                S::AwaitingShipment => Ok(()),
                _ if shipped_or_later => Err(RuleError::CancelAfterShipment),
                _ => Err(not_here),
            },
            A::ConfirmReceipt => {
                if !in_transit_or_delivered {
                    Err(not_here)
                } else if self.open_dispute().is_some() {
                    Err(RuleError::DisputeOpen)
                } else if self.open_return().is_some() {
                    Err(RuleError::ReturnOpen)
                } else {
                    Ok(())
                }
            }
            A::RequestProtectionExtension => {
                if !in_transit_or_delivered {
                    return Err(not_here);
                }
                if self.extension_requested {
                    return Err(RuleError::ExtensionAlreadyRequested);
                }
                match (self.protection_ends_at, self.protection_cap()) {
                    (Some(ends), Some(cap)) if ends < cap => Ok(()),
                    _ => Err(RuleError::ProtectionAtMaximum),
                }
            }
            A::LeaveFeedback => {
                if self.status != S::Completed {
                    Err(not_here)
                } else if self.feedback.is_some() {
                    Err(RuleError::FeedbackAlreadyGiven)
                } else if self.completed_at.is_none_or(|c| now.since(c) > FEEDBACK_WINDOW) {
                    Err(RuleError::FeedbackWindowClosed)
                } else {
                    Ok(())
                }
            }
            A::OpenDispute => {
                let (opens, closes) = self.dispute_window().ok_or(not_here)?;
                if self.open_dispute().is_some() {
                    return Err(RuleError::DisputeAlreadyOpen);
                }
                if self.open_return().is_some() {
                    return Err(RuleError::ReturnOpen);
                }
                if self.dispute_openings() >= MAX_DISPUTE_OPENINGS {
                    return Err(RuleError::DisputeLimitReached { max: MAX_DISPUTE_OPENINGS });
                }
                if now < opens {
                    return Err(RuleError::DisputeNotYetOpen { opens_at: opens });
                }
                if closes.is_some_and(|c| now > c) {
                    return Err(RuleError::DisputeWindowClosed);
                }
                let max = self.refundable();
                if max.minor <= 0 {
                    return Err(RuleError::RefundOutOfBounds { max });
                }
                Ok(())
            }
            A::AcceptDisputeProposal => {
                let d = self.open_dispute().ok_or(RuleError::NoOpenDispute)?;
                matches!(d.state, DisputeState::SellerProposed(_)).then_some(()).ok_or(RuleError::NoProposal)
            }
            A::EscalateDispute => {
                let d = self.open_dispute().ok_or(RuleError::NoOpenDispute)?;
                if d.state == DisputeState::Escalated {
                    return Err(RuleError::AlreadyEscalated);
                }
                let possible_at = d.escalation_possible_from();
                if now < possible_at {
                    return Err(RuleError::EscalationTooEarly { possible_at });
                }
                Ok(())
            }
            A::WithdrawDispute => self.open_dispute().map(|_| ()).ok_or(RuleError::NoOpenDispute),
            A::RequestReturn => {
                let closes = self.return_window_closes().ok_or(not_here)?;
                if self.return_policy.is_none() {
                    return Err(RuleError::ReturnsNotAccepted);
                }
                if self.item_return.is_some() {
                    return Err(RuleError::ReturnAlreadyRequested);
                }
                if self.open_dispute().is_some() {
                    return Err(RuleError::DisputeOpen);
                }
                if now > closes {
                    return Err(RuleError::ReturnWindowClosed);
                }
                let max = self.refundable();
                if max.minor <= 0 {
                    return Err(RuleError::RefundOutOfBounds { max });
                }
                Ok(())
            }
            A::SendReturn => {
                self.return_in(ReturnState::AwaitingParcel)?;
                // From `send_by` the return has lapsed (`tick`).
                match self.item_return.as_ref() {
                    Some(r) if now >= r.send_by => Err(RuleError::NoReturnAtThisStep),
                    _ => Ok(()),
                }
            }
            A::EscalateReturn => self.return_in(ReturnState::Refused),
        }
    }

    /// The deadline that goes with `kind` now, if it has one (see
    /// [`ActionState::deadline`]).
    pub fn deadline(&self, kind: BuyerActionKind) -> Option<Timestamp> {
        use BuyerActionKind as A;
        match kind {
            A::Pay | A::Cancel | A::WithdrawDispute | A::EscalateReturn => None,
            A::RequestReturn => self.return_window_closes().filter(|_| self.item_return.is_none()),
            A::SendReturn => self.open_return().filter(|r| r.state == ReturnState::AwaitingParcel).map(|r| r.send_by),
            A::RequestCancellation => match &self.cancellation_request {
                Some(r) => Some(r.answer_by),
                None => self.ship_by_pending(),
            },
            A::ConfirmReceipt | A::RequestProtectionExtension => self.protection_running(),
            A::LeaveFeedback => (self.status == OrderStatus::Completed && self.feedback.is_none())
                .then(|| self.completed_at.map(|c| c.plus(FEEDBACK_WINDOW)))
                .flatten(),
            A::OpenDispute => self.dispute_window().and_then(|(_, closes)| closes),
            A::AcceptDisputeProposal | A::EscalateDispute => {
                self.open_dispute().filter(|d| d.state != DisputeState::Escalated).map(|d| d.seller_respond_by())
            }
        }
    }

    /// Every buyer action now: allowed or why not, with its deadline.
    pub fn actions(&self, now: Timestamp) -> BuyerActions {
        BuyerActions(
            BuyerActionKind::ALL
                .into_iter()
                .map(|kind| ActionState { kind, refused: self.may(kind, now).err(), deadline: self.deadline(kind) })
                .collect(),
        )
    }

    /// The row action of an orders list: pay, follow the parcel while it
    /// travels, confirm receipt, leave feedback; only what the rules allow now.
    pub fn row_action(&self, now: Timestamp) -> Option<RowAction> {
        let actions = self.actions(now);
        if actions.allowed(BuyerActionKind::Pay) {
            Some(RowAction::Pay)
        } else if self.status == OrderStatus::AwaitingDelivery {
            Some(RowAction::Track)
        } else if actions.allowed(BuyerActionKind::ConfirmReceipt) {
            Some(RowAction::ConfirmReceipt)
        } else if actions.allowed(BuyerActionKind::LeaveFeedback) {
            Some(RowAction::LeaveFeedback)
        } else {
            None
        }
    }

    fn return_in(&self, state: ReturnState) -> Result<(), RuleError> {
        self.item_return.as_ref().filter(|r| r.state == state).map(|_| ()).ok_or(RuleError::NoReturnAtThisStep)
    }

    /// The seller's ship-by deadline, while the order waits for shipment.
    pub fn ship_by_pending(&self) -> Option<Timestamp> {
        self.ship_by.filter(|_| self.status == OrderStatus::AwaitingShipment)
    }

    /// When buyer protection ends, while it runs (shipped, not yet completed).
    pub fn protection_running(&self) -> Option<Timestamp> {
        self.protection_ends_at.filter(|_| matches!(self.status, OrderStatus::AwaitingDelivery | OrderStatus::Delivered))
    }

    /// The latest protection may run to: 90 days from shipment.
    pub fn protection_cap(&self) -> Option<Timestamp> {
        self.shipment.as_ref().map(|s| s.shipped_at.plus_days(PROTECTION_MAX_DAYS))
    }

    /// How many disputes were ever opened on this order.
    pub fn dispute_openings(&self) -> u8 {
        let n = self.timeline.iter().filter(|e| matches!(e.kind, super::TimelineKind::DisputeOpened { .. })).count();
        u8::try_from(n).unwrap_or(u8::MAX)
    }

    /// The most a dispute may ask for: what is left of the payment.
    pub fn dispute_refund_max(&self) -> Money {
        self.refundable()
    }

    /// A requested refund: more than zero, at most what is left of the
    /// payment, in the order's currency.
    pub fn check_refund(&self, amount: Money) -> Result<Money, RuleError> {
        let max = self.refundable();
        if amount.currency != max.currency || amount.minor <= 0 || amount.minor > max.minor {
            return Err(RuleError::RefundOutOfBounds { max });
        }
        Ok(amount)
    }
}

/// A dispute's description: 20 to 2,000 characters once trimmed.
pub fn check_dispute_description(text: &str) -> Result<(), RuleError> {
    let chars = text.trim().chars().count();
    if (DESCRIPTION_MIN_CHARS..=DESCRIPTION_MAX_CHARS).contains(&chars) {
        Ok(())
    } else {
        Err(RuleError::DescriptionLength { min: DESCRIPTION_MIN_CHARS, max: DESCRIPTION_MAX_CHARS })
    }
}

/// A dispute's evidence, by the kinds the service read from the files: at
/// most 6, one of them a video at most.
pub fn check_dispute_evidence(kinds: &[EvidenceKind]) -> Result<(), RuleError> {
    let videos = kinds.iter().filter(|k| k.is_video()).count();
    if kinds.len() > MAX_FILES || videos > 1 {
        return Err(RuleError::EvidenceInvalid { max_files: MAX_FILES });
    }
    Ok(())
}

/// Feedback as the buyer sends it: stars 1 to 5, text up to 1,000
/// characters, up to 6 photos that are images (never a video).
pub fn check_feedback(stars: [u8; 3], text: &str, photos: &[EvidenceKind]) -> Result<(), RuleError> {
    if !stars.iter().all(|s| (1..=5).contains(s)) || photos.len() > MAX_FILES {
        return Err(RuleError::FeedbackInvalid);
    }
    if text.chars().count() > FEEDBACK_MAX_CHARS {
        return Err(RuleError::FeedbackTextTooLong { max: FEEDBACK_MAX_CHARS });
    }
    if photos.iter().any(|k| k.is_video()) {
        return Err(RuleError::FeedbackPhotoNotImage);
    }
    Ok(())
}
