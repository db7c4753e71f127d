//! One order's life (docs/rules.md#orders to #feedback): its status, what the
//! buyer and seller may do in each, the time-driven steps, and the timeline of
//! every change. [`apply`] is the only way an order changes: a function of the
//! order, an event and `now`, returning the new order or the rule that refused
//! it. [`Order::actions`] tells a screen the same thing before it asks.

mod actions;
mod progress;
mod returns;
mod tracked;

pub use actions::{check_dispute_description, check_dispute_evidence, check_feedback, ActionState, BuyerActionKind, BuyerActions, RowAction};
pub use progress::{OrdersTab, Step, StepState, Verification, ORDERS_PAGE_SIZE};
pub use returns::{
    check_return_carrier, check_return_tracking, check_tracking_number, ItemReturn, RETURN_ESCALATES_AFTER_REFUSAL, RETURN_PARCEL_LOST_AFTER, ReturnLine, ReturnParcel, ReturnPolicy, ReturnQuote, ReturnReason, ReturnState, ReturnStep,
    CARRIER_MAX_CHARS, RETURN_REFUND_BY_SILENCE, RETURN_SEND_WITHIN, RETURN_WINDOW, TRACKING_MAX_CHARS, TRACKING_MIN_CHARS,
};
pub use tracked::{TrackedItem, TrackedOrder};

use serde::{Deserialize, Serialize};

use crate::catalog::SellerId;
use crate::evidence::EvidenceKind;
use crate::money::{Money, MoneyError};
use crate::time::{DateRange, Timestamp, DAY, HOUR};
use crate::validate::address::Address;
use crate::validate::card::Brand;

/// Payment verification usually takes minutes; past this, support is offered.
pub const VERIFICATION_PROMISE: i64 = 24 * HOUR;
/// The seller answers a cancellation request within this, or it is approved.
pub const CANCELLATION_ANSWER_WINDOW: i64 = 48 * HOUR;
/// A shipment with no checkpoint for this long is "delayed".
pub const DELAYED_AFTER: i64 = 7 * DAY;
/// Buyer protection runs from shipment for this long by default...
pub const PROTECTION_DAYS: i64 = 60;
/// ...and never longer than this, extensions included.
pub const PROTECTION_MAX_DAYS: i64 = 90;
/// A dispute can be opened this long after shipment (any reason).
pub const DISPUTE_OPENS_AFTER_SHIPMENT: i64 = 5 * DAY;
/// After completion, a dispute can still be opened for this long.
pub const DISPUTE_WINDOW_AFTER_COMPLETION: i64 = 15 * DAY;
/// Feedback can be left for this long after completion.
pub const FEEDBACK_WINDOW: i64 = 30 * DAY;
/// The buyer may escalate a dispute this long after opening it.
pub const ESCALATION_ALLOWED_AFTER: i64 = 3 * DAY;
/// Without agreement, a dispute is escalated automatically after this.
pub const AUTO_ESCALATION_AFTER: i64 = 15 * DAY;
pub const DESCRIPTION_MIN_CHARS: usize = 20;
pub const DESCRIPTION_MAX_CHARS: usize = 2_000;
pub const FEEDBACK_MAX_CHARS: usize = 1_000;
/// How long a cancellation request's note may be; longer is cut.
pub const CANCELLATION_NOTE_MAX_CHARS: usize = 500;
/// How many disputes an order may ever have: withdrawing and opening again
/// cannot go on without end.
pub const MAX_DISPUTE_OPENINGS: u8 = 2;
/// The extension of buyer protection a buyer asks the seller for, once.
pub const PROTECTION_EXTENSION_DAYS: u16 = 15;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct OrderId(pub String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CloseReason {
    CancelledByBuyer,
    CancellationApproved,
    VerificationFailed,
    SellerMissedShipBy,
    DisputeRefundedInFull,
    ReturnRefundedInFull,
}

/// The statuses shoppers see, in AliExpress's wording.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    AwaitingPayment,
    PaymentBeingVerified,
    AwaitingShipment,
    AwaitingDelivery,
    Delivered,
    Completed,
    Closed(CloseReason),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeclineReason {
    InsufficientFunds,
    CardExpired,
    DoNotHonour,
}

/// How an order was paid, as receipts show it: never more of a card than its
/// brand and last four digits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PaidWith {
    Card { brand: Brand, last4: String },
    Wallet,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PaymentSummary {
    pub method: PaidWith,
    pub amount: Money,
    pub authorised_at: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OrderLine {
    pub product_name: String,
    pub option_label: Option<String>,
    pub image: Option<String>,
    pub quantity: u32,
    pub unit_price: Money,
    pub line_total: Money,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OrderTotals {
    pub items: Money,
    pub shipping: Money,
    pub discount: Money,
    pub tax: Money,
    pub total: Money,
}

impl OrderTotals {
    /// items + shipping - discount + tax, checked.
    pub fn new(items: Money, shipping: Money, discount: Money, tax: Money) -> Result<OrderTotals, MoneyError> {
        let total = items.checked_add(shipping)?.checked_sub(discount)?.checked_add(tax)?;
        Ok(OrderTotals { items, shipping, discount, tax, total })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CheckpointKind {
    OriginFacility,
    LeftOriginCountry,
    Customs,
    ArrivedDestinationCountry,
    OutForDelivery,
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Checkpoint {
    pub at: Timestamp,
    pub kind: CheckpointKind,
    pub location: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Shipment {
    pub carrier: String,
    pub tracking_number: String,
    pub shipped_at: Timestamp,
    pub estimate: DateRange,
    pub checkpoints: Vec<Checkpoint>,
    pub delivered_at: Option<Timestamp>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CancelReason {
    ChangedMind,
    WrongAddress,
    BetterPrice,
    DeliveryTooSlow,
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CancellationRequest {
    pub reason: CancelReason,
    pub note: Option<String>,
    pub requested_at: Timestamp,
    /// Silence until then counts as approval.
    pub answer_by: Timestamp,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DisputeReason {
    NotReceived,
    NotAsDescribed,
    Damaged,
    WrongItem,
    Counterfeit,
    MissingParts,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RefundRequest {
    Full,
    Partial(Money),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DisputeState {
    AwaitingSeller,
    SellerRejected,
    SellerProposed(Money),
    Escalated,
    Resolved(Money),
    Withdrawn,
}

impl DisputeState {
    pub fn is_open(self) -> bool {
        !matches!(self, DisputeState::Resolved(_) | DisputeState::Withdrawn)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Dispute {
    pub reason: DisputeReason,
    pub requested: Money,
    pub description: String,
    pub evidence: Vec<String>,
    pub opened_at: Timestamp,
    pub state: DisputeState,
}

impl Dispute {
    pub fn seller_respond_by(&self) -> Timestamp {
        self.opened_at.plus(AUTO_ESCALATION_AFTER)
    }

    pub fn escalation_possible_from(&self) -> Timestamp {
        self.opened_at.plus(ESCALATION_ALLOWED_AFTER)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum SellerDisputeResponse {
    Accept,
    Reject,
    Propose(Money),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Feedback {
    pub item_stars: u8,
    pub communication_stars: u8,
    pub shipping_stars: u8,
    pub text: String,
    pub photos: Vec<String>,
    pub left_at: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Refund {
    pub amount: Money,
    pub at: Timestamp,
    pub reason: RefundReason,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RefundReason {
    Cancelled,
    VerificationFailed,
    SellerMissedShipBy,
    Dispute,
    Return,
}

/// What happened, as the order's timeline shows it. Externally tagged in JSON
/// (`{"shipped": {...}}`, `"delivered"`): the leanest form to decode in wasm.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TimelineKind {
    Placed,
    PaymentAuthorised { method: PaidWith },
    PaymentDeclined { reason: DeclineReason },
    VerificationPassed,
    VerificationFailed,
    SellerCheckPassed,
    Cancelled,
    CancellationRequested { reason: CancelReason },
    CancellationApproved { by_silence: bool },
    CancellationRejected,
    ClosedSellerMissedShipBy,
    Shipped { carrier: String, tracking_number: String },
    Checkpoint { kind: CheckpointKind, location: String },
    Delivered,
    ReceiptConfirmed { automatically: bool },
    ProtectionExtensionRequested { days: u16 },
    ProtectionExtended { until: Timestamp },
    FeedbackLeft,
    DisputeOpened { reason: DisputeReason },
    DisputeSellerAccepted,
    DisputeSellerRejected,
    DisputeSellerProposed { amount: Money },
    DisputeProposalAccepted,
    DisputeEscalated { automatically: bool },
    DisputeResolved { refund: Money },
    DisputeWithdrawn,
    ReturnRequested { reason: ReturnReason },
    ReturnSent { carrier: String, tracking_number: String },
    ReturnCheckpoint { kind: CheckpointKind, location: String },
    ReturnDelivered,
    ReturnAccepted { by_silence: bool },
    ReturnRefused,
    ReturnEscalated { automatically: bool },
    ReturnDeclined,
    ReturnLapsed,
    Refunded { amount: Money },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TimelineEvent {
    pub at: Timestamp,
    pub kind: TimelineKind,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Order {
    pub id: OrderId,
    /// The number shoppers quote to support and use to track without an account.
    pub number: String,
    pub seller_id: SellerId,
    pub seller_name: String,
    pub lines: Vec<OrderLine>,
    pub totals: OrderTotals,
    pub shipping_address: Address,
    pub status: OrderStatus,
    pub placed_at: Timestamp,
    pub payment: Option<PaymentSummary>,
    /// Days the seller has to ship once the payment is verified.
    pub handling_days: u16,
    pub ship_by: Option<Timestamp>,
    /// When the parcel should arrive, promised at checkout: verification, the
    /// seller's handling days and the chosen shipping option's days. Replaced
    /// by the carrier's estimate once shipped.
    #[serde(default)]
    pub delivery_estimate: Option<DateRange>,
    pub shipment: Option<Shipment>,
    pub protection_ends_at: Option<Timestamp>,
    pub extension_requested: bool,
    pub cancellation_request: Option<CancellationRequest>,
    pub dispute: Option<Dispute>,
    pub completed_at: Option<Timestamp>,
    pub feedback: Option<Feedback>,
    /// What the seller accepts back (none: no returns).
    #[serde(default)]
    pub return_policy: Option<ReturnPolicy>,
    #[serde(default)]
    pub item_return: Option<ItemReturn>,
    pub refunds: Vec<Refund>,
    pub timeline: Vec<TimelineEvent>,
}

/// A file the buyer uploaded, with the kind the order service read from its
/// content (never the buyer's word for it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Attachment {
    pub id: String,
    pub kind: EvidenceKind,
}

/// Something that happens to an order: an action by the buyer, the seller, the
/// platform or the carrier. Time-driven steps are [`tick`], not events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrderEvent {
    PaymentAuthorised { method: PaidWith },
    PaymentDeclined { reason: DeclineReason },
    VerificationPassed,
    VerificationFailed,
    BuyerCancels,
    BuyerRequestsCancellation { reason: CancelReason, note: Option<String> },
    SellerAnswersCancellation { approve: bool },
    Shipped { carrier: String, tracking_number: String, estimate: DateRange },
    Checkpoint { kind: CheckpointKind, location: String },
    Delivered,
    BuyerConfirmsReceipt,
    BuyerRequestsProtectionExtension { days: u16 },
    SellerExtendsProtection { days: u16 },
    LeaveFeedback { item_stars: u8, communication_stars: u8, shipping_stars: u8, text: String, photos: Vec<Attachment> },
    OpenDispute { reason: DisputeReason, refund: RefundRequest, description: String, evidence: Vec<Attachment> },
    SellerRespondsToDispute { response: SellerDisputeResponse },
    BuyerAcceptsProposal,
    BuyerEscalates,
    PlatformDecides { refund: Money },
    BuyerWithdrawsDispute,
    RequestReturn { lines: Vec<ReturnLine>, reason: ReturnReason },
    SendReturn { carrier: String, tracking_number: String },
    ReturnCheckpoint { kind: CheckpointKind, location: String },
    ReturnDelivered,
    SellerAnswersReturn { accept: bool },
    BuyerEscalatesReturn,
    PlatformDecidesReturn { refund: Money },
}

/// Why an event was refused, naming the rule (docs/rules.md) that refused it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum RuleError {
    #[error("not possible while the order is {status:?}")]
    NotInThisStatus { status: OrderStatus },
    #[error("the seller must approve a cancellation once payment is verified")]
    CancellationNeedsSeller,
    #[error("an order that has shipped cannot be cancelled: open a dispute or return it")]
    CancelAfterShipment,
    #[error("a cancellation request is already waiting for the seller")]
    CancellationAlreadyRequested,
    #[error("no cancellation request is waiting")]
    NoCancellationRequest,
    #[error("a dispute can be opened from {opens_at:?}")]
    DisputeNotYetOpen { opens_at: Timestamp },
    #[error("the time to open a dispute has passed")]
    DisputeWindowClosed,
    #[error("this order already has an open dispute")]
    DisputeAlreadyOpen,
    #[error("this order has no open dispute")]
    NoOpenDispute,
    #[error("the refund must be more than zero and at most what is left of the payment")]
    RefundOutOfBounds { max: Money },
    #[error("the description must be {min} to {max} characters")]
    DescriptionLength { min: usize, max: usize },
    #[error("a dispute can be escalated from {possible_at:?}")]
    EscalationTooEarly { possible_at: Timestamp },
    #[error("there is no proposal to accept")]
    NoProposal,
    #[error("the dispute is not with the platform")]
    NotEscalated,
    #[error("feedback can be left for 30 days after completion")]
    FeedbackWindowClosed,
    #[error("feedback has already been left")]
    FeedbackAlreadyGiven,
    #[error("stars must be from 1 to 5 and the text at most 1,000 characters")]
    FeedbackInvalid,
    #[error("close the open dispute first")]
    DisputeOpen,
    #[error("buyer protection cannot run past 90 days from shipment")]
    ProtectionAtMaximum,
    #[error("an extension of buyer protection has already been asked for")]
    ExtensionAlreadyRequested,
    #[error("a dispute can be opened at most {max} times per order")]
    DisputeLimitReached { max: u8 },
    #[error("the dispute is already with the platform")]
    AlreadyEscalated,
    #[error("feedback text can be at most {max} characters")]
    FeedbackTextTooLong { max: usize },
    #[error("feedback photos must be images (JPEG, PNG or WebP)")]
    FeedbackPhotoNotImage,
    #[error("at most {max_files} files, one of them a video")]
    EvidenceInvalid { max_files: usize },
    #[error("a file named is not one uploaded for this order")]
    UnknownEvidence,
    #[error("the amount is in another currency or too large")]
    Money,
    #[error("this seller does not take items back")]
    ReturnsNotAccepted,
    #[error("a return can be asked for within 15 days of delivery")]
    ReturnWindowClosed,
    #[error("this order has already had a return")]
    ReturnAlreadyRequested,
    #[error("choose at least one item, each at most as many as were bought")]
    ReturnLinesInvalid,
    #[error("this seller does not take returns for a change of mind")]
    ChangeOfMindNotAccepted,
    #[error("close the open return first")]
    ReturnOpen,
    #[error("this order has no return at that step")]
    NoReturnAtThisStep,
    #[error("the carrier's name must be 1 to {max} characters")]
    ReturnCarrierInvalid { max: usize },
    #[error("the tracking number must be {min} to {max} letters, digits or hyphens")]
    ReturnTrackingInvalid { min: usize, max: usize },
}

impl From<MoneyError> for RuleError {
    fn from(_: MoneyError) -> Self {
        RuleError::Money
    }
}

impl Order {
    /// A new order, awaiting payment.
    #[allow(clippy::too_many_arguments)]
    pub fn place(
        id: OrderId,
        number: String,
        seller_id: SellerId,
        seller_name: String,
        lines: Vec<OrderLine>,
        totals: OrderTotals,
        shipping_address: Address,
        handling_days: u16,
        now: Timestamp,
    ) -> Order {
        Order {
            id,
            number,
            seller_id,
            seller_name,
            lines,
            totals,
            shipping_address,
            status: OrderStatus::AwaitingPayment,
            placed_at: now,
            payment: None,
            handling_days,
            ship_by: None,
            delivery_estimate: None,
            shipment: None,
            protection_ends_at: None,
            extension_requested: false,
            cancellation_request: None,
            dispute: None,
            completed_at: None,
            feedback: None,
            return_policy: None,
            item_return: None,
            refunds: Vec::new(),
            timeline: vec![TimelineEvent { at: now, kind: TimelineKind::Placed }],
        }
    }

    /// What was paid, or nothing before payment.
    pub fn paid(&self) -> Money {
        self.payment.as_ref().map_or(Money::zero(self.totals.total.currency), |p| p.amount)
    }

    pub fn refunded(&self) -> Money {
        Money::sum(self.totals.total.currency, self.refunds.iter().map(|r| r.amount)).unwrap_or(self.paid())
    }

    /// What can still be refunded: paid minus refunded.
    pub fn refundable(&self) -> Money {
        self.paid().checked_sub(self.refunded()).unwrap_or(Money::zero(self.totals.total.currency))
    }

    pub fn open_dispute(&self) -> Option<&Dispute> {
        self.dispute.as_ref().filter(|d| d.state.is_open())
    }

    /// Still being verified past the 24-hour promise: the screen offers support.
    pub fn verification_overdue(&self, now: Timestamp) -> bool {
        self.status == OrderStatus::PaymentBeingVerified
            && self.payment.as_ref().is_some_and(|p| now.since(p.authorised_at) >= VERIFICATION_PROMISE)
    }

    /// Shipped but with no tracking update for 7 days.
    pub fn is_delayed(&self, now: Timestamp) -> bool {
        let Some(s) = &self.shipment else { return false };
        let last = s.checkpoints.last().map_or(s.shipped_at, |c| c.at);
        self.status == OrderStatus::AwaitingDelivery && now.since(last) >= DELAYED_AFTER
    }

    /// When a dispute may be opened, and until when (None: not in this status).
    pub fn dispute_window(&self) -> Option<(Timestamp, Option<Timestamp>)> {
        match self.status {
            OrderStatus::AwaitingDelivery => {
                let shipped = self.shipment.as_ref()?.shipped_at;
                Some((shipped.plus(DISPUTE_OPENS_AFTER_SHIPMENT), None))
            }
            OrderStatus::Delivered => Some((self.placed_at, None)),
            OrderStatus::Completed => {
                let done = self.completed_at?;
                Some((self.placed_at, Some(done.plus(DISPUTE_WINDOW_AFTER_COMPLETION))))
            }
            _ => None,
        }
    }

    fn log(&mut self, now: Timestamp, kind: TimelineKind) {
        self.timeline.push(TimelineEvent { at: now, kind });
    }

    fn refund(&mut self, now: Timestamp, amount: Money, reason: RefundReason) {
        let amount = if amount.minor > self.refundable().minor { self.refundable() } else { amount };
        if amount.minor > 0 {
            self.refunds.push(Refund { amount, at: now, reason });
            self.log(now, TimelineKind::Refunded { amount });
        }
    }

    fn close(&mut self, now: Timestamp, reason: CloseReason, refund: Option<RefundReason>) {
        self.status = OrderStatus::Closed(reason);
        self.cancellation_request = None;
        if let Some(r) = refund {
            let all = self.refundable();
            self.refund(now, all, r);
        }
    }

    fn complete(&mut self, now: Timestamp, automatically: bool) {
        self.status = OrderStatus::Completed;
        self.completed_at = Some(now);
        self.log(now, TimelineKind::ReceiptConfirmed { automatically });
    }

    /// The return, if it is in `state`.
    fn return_at(&mut self, state: ReturnState) -> Result<&mut ItemReturn, RuleError> {
        self.item_return.as_mut().filter(|r| r.state == state).ok_or(RuleError::NoReturnAtThisStep)
    }

    /// Refunds the return (what it was asked for, or `amount` as the
    /// platform decided); an order refunded in full closes.
    fn refund_return(&mut self, now: Timestamp, amount: Option<Money>) {
        let Some(asked) = amount.or(self.item_return.as_ref().map(|r| r.refund)) else { return };
        let refund = if asked.minor > self.refundable().minor { self.refundable() } else { asked };
        if let Some(r) = self.item_return.as_mut() {
            r.state = ReturnState::Refunded(refund);
        }
        self.refund(now, refund, RefundReason::Return);
        if self.refundable().is_zero() && !self.paid().is_zero() {
            self.close(now, CloseReason::ReturnRefundedInFull, None);
        }
    }

    fn resolve_dispute(&mut self, now: Timestamp, refund: Money) {
        let refund = if refund.minor > self.refundable().minor { self.refundable() } else { refund };
        if let Some(d) = self.dispute.as_mut() {
            d.state = DisputeState::Resolved(refund);
        }
        self.log(now, TimelineKind::DisputeResolved { refund });
        self.refund(now, refund, RefundReason::Dispute);
        if self.refundable().is_zero() && !self.paid().is_zero() {
            self.close(now, CloseReason::DisputeRefundedInFull, None);
        }
    }
}

impl OrderEvent {
    /// The buyer action this event is, if the buyer is the one acting.
    pub fn buyer_action(&self) -> Option<BuyerActionKind> {
        use BuyerActionKind as A;
        Some(match self {
            OrderEvent::BuyerCancels => A::Cancel,
            OrderEvent::BuyerRequestsCancellation { .. } => A::RequestCancellation,
            OrderEvent::BuyerConfirmsReceipt => A::ConfirmReceipt,
            OrderEvent::BuyerRequestsProtectionExtension { .. } => A::RequestProtectionExtension,
            OrderEvent::LeaveFeedback { .. } => A::LeaveFeedback,
            OrderEvent::OpenDispute { .. } => A::OpenDispute,
            OrderEvent::BuyerAcceptsProposal => A::AcceptDisputeProposal,
            OrderEvent::BuyerEscalates => A::EscalateDispute,
            OrderEvent::BuyerWithdrawsDispute => A::WithdrawDispute,
            OrderEvent::RequestReturn { .. } => A::RequestReturn,
            OrderEvent::SendReturn { .. } => A::SendReturn,
            OrderEvent::BuyerEscalatesReturn => A::EscalateReturn,
            _ => return None,
        })
    }
}

/// Applies one event at `now`. The order is never changed in place: the caller
/// gets a new order, or the rule that refused the event and the order as it was.
pub fn apply(order: &Order, event: OrderEvent, now: Timestamp) -> Result<Order, RuleError> {
    use OrderStatus as S;
    if let Some(kind) = event.buyer_action() {
        order.may(kind, now)?;
    }
    let mut o = order.clone();
    let not_here = || RuleError::NotInThisStatus { status: order.status };
    match event {
        OrderEvent::PaymentAuthorised { method } => {
            if o.status != S::AwaitingPayment {
                return Err(not_here());
            }
            o.payment = Some(PaymentSummary { method: method.clone(), amount: o.totals.total, authorised_at: now });
            o.status = S::PaymentBeingVerified;
            o.log(now, TimelineKind::PaymentAuthorised { method });
        }
        OrderEvent::PaymentDeclined { reason } => {
            if o.status != S::AwaitingPayment {
                return Err(not_here());
            }
            o.log(now, TimelineKind::PaymentDeclined { reason });
        }
        OrderEvent::VerificationPassed => {
            if o.status != S::PaymentBeingVerified {
                return Err(not_here());
            }
            o.status = S::AwaitingShipment;
            o.ship_by = Some(now.plus_days(i64::from(o.handling_days)));
            o.log(now, TimelineKind::VerificationPassed);
            o.log(now, TimelineKind::SellerCheckPassed);
        }
        OrderEvent::VerificationFailed => {
            if o.status != S::PaymentBeingVerified {
                return Err(not_here());
            }
            o.log(now, TimelineKind::VerificationFailed);
            o.close(now, CloseReason::VerificationFailed, Some(RefundReason::VerificationFailed));
        }
        OrderEvent::BuyerCancels => {
            o.log(now, TimelineKind::Cancelled);
            o.close(now, CloseReason::CancelledByBuyer, Some(RefundReason::Cancelled));
        }
        OrderEvent::BuyerRequestsCancellation { reason, note } => {
            let note = note.map(|n| n.chars().take(CANCELLATION_NOTE_MAX_CHARS).collect());
            o.cancellation_request =
                Some(CancellationRequest { reason, note, requested_at: now, answer_by: now.plus(CANCELLATION_ANSWER_WINDOW) });
            o.log(now, TimelineKind::CancellationRequested { reason });
        }
        OrderEvent::SellerAnswersCancellation { approve } => {
            if o.status != S::AwaitingShipment {
                return Err(not_here());
            }
            if o.cancellation_request.take().is_none() {
                return Err(RuleError::NoCancellationRequest);
            }
            if approve {
                o.log(now, TimelineKind::CancellationApproved { by_silence: false });
                o.close(now, CloseReason::CancellationApproved, Some(RefundReason::Cancelled));
            } else {
                o.log(now, TimelineKind::CancellationRejected);
            }
        }
        OrderEvent::Shipped { carrier, tracking_number, estimate } => {
            if o.status != S::AwaitingShipment {
                return Err(not_here());
            }
            if o.cancellation_request.take().is_some() {
                // Shipping answers a pending request: the parcel is on its way.
                o.log(now, TimelineKind::CancellationRejected);
            }
            o.status = S::AwaitingDelivery;
            o.protection_ends_at = Some(now.plus_days(PROTECTION_DAYS));
            o.log(now, TimelineKind::Shipped { carrier: carrier.clone(), tracking_number: tracking_number.clone() });
            o.shipment = Some(Shipment { carrier, tracking_number, shipped_at: now, estimate, checkpoints: Vec::new(), delivered_at: None });
        }
        OrderEvent::Checkpoint { kind, location } => {
            if o.status != S::AwaitingDelivery {
                return Err(not_here());
            }
            if let Some(s) = o.shipment.as_mut() {
                s.checkpoints.push(Checkpoint { at: now, kind, location: location.clone() });
            }
            o.log(now, TimelineKind::Checkpoint { kind, location });
        }
        OrderEvent::Delivered => {
            if o.status != S::AwaitingDelivery {
                return Err(not_here());
            }
            o.status = S::Delivered;
            if let Some(s) = o.shipment.as_mut() {
                s.delivered_at = Some(now);
            }
            o.log(now, TimelineKind::Delivered);
        }
        OrderEvent::BuyerConfirmsReceipt => o.complete(now, false),
        OrderEvent::BuyerRequestsProtectionExtension { days } => {
            let days = days.clamp(1, PROTECTION_EXTENSION_DAYS);
            o.extension_requested = true;
            o.log(now, TimelineKind::ProtectionExtensionRequested { days });
        }
        OrderEvent::SellerExtendsProtection { days } => {
            if !matches!(o.status, S::AwaitingDelivery | S::Delivered) {
                return Err(not_here());
            }
            let (Some(ends), Some(shipped)) = (o.protection_ends_at, o.shipment.as_ref().map(|s| s.shipped_at)) else {
                return Err(not_here());
            };
            let cap = shipped.plus_days(PROTECTION_MAX_DAYS);
            if ends >= cap {
                return Err(RuleError::ProtectionAtMaximum);
            }
            // The buyer's one request stays spent once the seller answers it.
            let until = ends.plus_days(i64::from(days)).min(cap);
            o.protection_ends_at = Some(until);
            o.log(now, TimelineKind::ProtectionExtended { until });
        }
        OrderEvent::LeaveFeedback { item_stars, communication_stars, shipping_stars, text, photos } => {
            let kinds: Vec<EvidenceKind> = photos.iter().map(|p| p.kind).collect();
            check_feedback([item_stars, communication_stars, shipping_stars], &text, &kinds)?;
            let photos = photos.into_iter().map(|p| p.id).collect();
            o.feedback = Some(Feedback { item_stars, communication_stars, shipping_stars, text, photos, left_at: now });
            o.log(now, TimelineKind::FeedbackLeft);
        }
        OrderEvent::OpenDispute { reason, refund, description, evidence } => {
            check_dispute_description(&description)?;
            let kinds: Vec<EvidenceKind> = evidence.iter().map(|e| e.kind).collect();
            check_dispute_evidence(&kinds)?;
            let requested = match refund {
                RefundRequest::Full => o.check_refund(o.refundable())?,
                RefundRequest::Partial(m) => o.check_refund(m)?,
            };
            o.dispute = Some(Dispute {
                reason,
                requested,
                description: description.trim().to_owned(),
                evidence: evidence.into_iter().map(|e| e.id).collect(),
                opened_at: now,
                state: DisputeState::AwaitingSeller,
            });
            o.log(now, TimelineKind::DisputeOpened { reason });
        }
        OrderEvent::SellerRespondsToDispute { response } => {
            let d = o.open_dispute().cloned().ok_or(RuleError::NoOpenDispute)?;
            if !matches!(d.state, DisputeState::AwaitingSeller) {
                return Err(RuleError::NotInThisStatus { status: o.status });
            }
            match response {
                SellerDisputeResponse::Accept => {
                    o.log(now, TimelineKind::DisputeSellerAccepted);
                    o.resolve_dispute(now, d.requested);
                }
                SellerDisputeResponse::Reject => {
                    set_dispute_state(&mut o, DisputeState::SellerRejected);
                    o.log(now, TimelineKind::DisputeSellerRejected);
                }
                SellerDisputeResponse::Propose(amount) => {
                    let amount = o.check_refund(amount)?;
                    set_dispute_state(&mut o, DisputeState::SellerProposed(amount));
                    o.log(now, TimelineKind::DisputeSellerProposed { amount });
                }
            }
        }
        OrderEvent::BuyerAcceptsProposal => {
            let Some(DisputeState::SellerProposed(amount)) = o.open_dispute().map(|d| d.state) else {
                return Err(RuleError::NoProposal);
            };
            o.log(now, TimelineKind::DisputeProposalAccepted);
            o.resolve_dispute(now, amount);
        }
        OrderEvent::BuyerEscalates => {
            set_dispute_state(&mut o, DisputeState::Escalated);
            o.log(now, TimelineKind::DisputeEscalated { automatically: false });
        }
        OrderEvent::PlatformDecides { refund } => {
            let d = o.open_dispute().cloned().ok_or(RuleError::NoOpenDispute)?;
            if d.state != DisputeState::Escalated {
                return Err(RuleError::NotEscalated);
            }
            // Zero is a decision for the seller; otherwise within what was paid.
            let refund = if refund.is_zero() && refund.currency == o.refundable().currency { refund } else { o.check_refund(refund)? };
            o.resolve_dispute(now, refund);
        }
        OrderEvent::BuyerWithdrawsDispute => {
            set_dispute_state(&mut o, DisputeState::Withdrawn);
            o.log(now, TimelineKind::DisputeWithdrawn);
        }
        OrderEvent::RequestReturn { lines, reason } => {
            let quote = o.return_quote(&lines, reason)?;
            let address = o.return_policy.as_ref().map(|p| p.address.clone()).ok_or(RuleError::ReturnsNotAccepted)?;
            o.item_return = Some(ItemReturn {
                lines,
                reason,
                refund: quote.refund,
                shipping_refunded: quote.shipping_refunded,
                address,
                requested_at: now,
                send_by: now.plus(RETURN_SEND_WITHIN),
                parcel: None,
                state: ReturnState::AwaitingParcel,
                refused_at: None,
            });
            o.log(now, TimelineKind::ReturnRequested { reason });
        }
        OrderEvent::SendReturn { carrier, tracking_number } => {
            let (carrier, tracking_number) = check_return_tracking(&carrier, &tracking_number)?;
            let r = o.item_return.as_mut().ok_or(RuleError::NoReturnAtThisStep)?;
            r.parcel = Some(ReturnParcel {
                carrier: carrier.clone(),
                tracking_number: tracking_number.clone(),
                sent_at: now,
                checkpoints: Vec::new(),
                delivered_at: None,
            });
            r.state = ReturnState::Sent;
            o.log(now, TimelineKind::ReturnSent { carrier, tracking_number });
        }
        OrderEvent::ReturnCheckpoint { kind, location } => {
            let parcel = o.return_at(ReturnState::Sent)?.parcel.as_mut().ok_or(RuleError::NoReturnAtThisStep)?;
            parcel.checkpoints.push(Checkpoint { at: now, kind, location: location.clone() });
            o.log(now, TimelineKind::ReturnCheckpoint { kind, location });
        }
        OrderEvent::ReturnDelivered => {
            let r = o.return_at(ReturnState::Sent)?;
            if let Some(p) = r.parcel.as_mut() {
                p.delivered_at = Some(now);
            }
            r.state = ReturnState::Received;
            o.log(now, TimelineKind::ReturnDelivered);
        }
        OrderEvent::SellerAnswersReturn { accept } => {
            // Past the silence date the refund has been made: too late.
            if o.return_at(ReturnState::Received)?.refund_by_silence_at().is_some_and(|due| now >= due) {
                return Err(RuleError::NoReturnAtThisStep);
            }
            if accept {
                o.log(now, TimelineKind::ReturnAccepted { by_silence: false });
                o.refund_return(now, None);
            } else {
                let r = o.return_at(ReturnState::Received)?;
                r.state = ReturnState::Refused;
                r.refused_at = Some(now);
                o.log(now, TimelineKind::ReturnRefused);
            }
        }
        OrderEvent::BuyerEscalatesReturn => {
            o.return_at(ReturnState::Refused)?.state = ReturnState::Escalated;
            o.log(now, TimelineKind::ReturnEscalated { automatically: false });
        }
        OrderEvent::PlatformDecidesReturn { refund } => {
            o.return_at(ReturnState::Escalated)?;
            if refund.is_zero() && refund.currency == o.refundable().currency {
                o.return_at(ReturnState::Escalated)?.state = ReturnState::Declined;
                o.log(now, TimelineKind::ReturnDeclined);
            } else {
                let refund = o.check_refund(refund)?;
                o.refund_return(now, Some(refund));
            }
        }
    }
    Ok(o)
}

fn set_dispute_state(o: &mut Order, state: DisputeState) {
    if let Some(d) = o.dispute.as_mut() {
        d.state = state;
    }
}

/// The earliest time at which [`tick`] changes this order, if it ever does
/// by itself: before it, `tick` leaves the order as it is. A storage keeps it
/// to catch up only the orders whose time came.
pub fn next_deadline(order: &Order) -> Option<Timestamp> {
    use OrderStatus as S;
    let mut due = Vec::new();
    if order.status == S::AwaitingShipment {
        due.extend(order.cancellation_request.as_ref().map(|r| r.answer_by));
        due.extend(order.ship_by);
    }
    if let Some(r) = order.open_return() {
        match r.state {
            ReturnState::AwaitingParcel => due.push(r.send_by),
            _ => due.extend(r.refund_by_silence_at().or(r.escalates_at())),
        }
    }
    match order.open_dispute() {
        Some(d) if d.state != DisputeState::Escalated => due.push(d.opened_at.plus(AUTO_ESCALATION_AFTER)),
        Some(_) => {}
        None if order.open_return().is_none() && matches!(order.status, S::AwaitingDelivery | S::Delivered) => {
            due.extend(order.protection_ends_at)
        }
        None => {}
    }
    due.into_iter().min()
}

/// The steps that happen by themselves when their time comes: a cancellation
/// request the seller did not answer in 48 h is approved; an order the seller did
/// not ship by the deadline is closed and refunded; a dispute without agreement
/// after 15 days goes to the platform; a return not sent within 7 days lapses,
/// one the seller leaves unanswered 15 days after it arrived is refunded, and
/// one refused 15 days ago or whose parcel has not arrived in 30 days goes to
/// the platform;
/// when protection ends with no dispute or return open, receipt is confirmed. Running it twice at the same `now` changes nothing.
pub fn tick(order: &Order, now: Timestamp) -> Order {
    use OrderStatus as S;
    let mut o = order.clone();
    if o.status == S::AwaitingShipment {
        if let Some(req) = o.cancellation_request.clone() {
            if now >= req.answer_by {
                o.log(req.answer_by, TimelineKind::CancellationApproved { by_silence: true });
                o.close(req.answer_by, CloseReason::CancellationApproved, Some(RefundReason::Cancelled));
            }
        }
    }
    if o.status == S::AwaitingShipment {
        if let Some(ship_by) = o.ship_by {
            if now >= ship_by {
                o.log(ship_by, TimelineKind::ClosedSellerMissedShipBy);
                o.close(ship_by, CloseReason::SellerMissedShipBy, Some(RefundReason::SellerMissedShipBy));
            }
        }
    }
    if let Some(d) = o.open_dispute().cloned() {
        let due = d.opened_at.plus(AUTO_ESCALATION_AFTER);
        if d.state != DisputeState::Escalated && now >= due {
            set_dispute_state(&mut o, DisputeState::Escalated);
            o.log(due, TimelineKind::DisputeEscalated { automatically: true });
        }
    }
    if let Some(r) = o.open_return().cloned() {
        if r.state == ReturnState::AwaitingParcel && now >= r.send_by {
            if let Some(r) = o.item_return.as_mut() {
                r.state = ReturnState::Lapsed;
            }
            o.log(r.send_by, TimelineKind::ReturnLapsed);
        }
        if let Some(due) = r.refund_by_silence_at().filter(|due| now >= *due) {
            o.log(due, TimelineKind::ReturnAccepted { by_silence: true });
            o.refund_return(due, None);
        }
        if let Some(due) = r.escalates_at().filter(|due| now >= *due) {
            if let Some(r) = o.item_return.as_mut() {
                r.state = ReturnState::Escalated;
            }
            o.log(due, TimelineKind::ReturnEscalated { automatically: true });
        }
    }
    if matches!(o.status, S::AwaitingDelivery | S::Delivered) && o.open_dispute().is_none() && o.open_return().is_none() {
        if let Some(ends) = o.protection_ends_at {
            if now >= ends {
                // Protection may have run out while a dispute was open: the
                // order then completes when that dispute closed, never before
                // something already on its timeline.
                let at = o.timeline.last().map_or(ends, |e| e.at.max(ends));
                o.complete(at, true);
            }
        }
    }
    o
}
