//! Requests, answers and errors of the order API, and the trait itself.

use std::collections::BTreeMap;

use async_trait::async_trait;
use checkout_core::cart::Cart;
use checkout_core::catalog::{Catalog, Product, ProductId, Seller, SellerId};
use checkout_core::checkout::{PlaceError, Quote, QuoteError, ShippingSpeed};
use checkout_core::evidence::{EvidenceError, EvidenceKind};
use checkout_core::order::{
    Attachment, CancelReason, DeclineReason, DisputeReason, Order, OrderEvent, OrderId, OrdersTab, RefundRequest, TrackedOrder,
    ReturnLine, ReturnReason, RuleError,
};
use checkout_core::time::Timestamp;
use checkout_core::validate::address::{Address, AddressInput};
use checkout_core::validate::card::Brand;
use checkout_core::validate::FieldError;
use serde::{Deserialize, Serialize};

/// Why a call gave no usable answer. The UI maps each to words once.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum ApiError {
    #[error("not found")]
    NotFound,
    #[error("invalid input")]
    Invalid { fields: Vec<FieldError> },
    #[error("refused by rule: {rule}")]
    Refused { rule: RuleError },
    #[error("quote refused: {reason}")]
    QuoteRefused { reason: QuoteError },
    #[error("idempotency conflict: {reason}")]
    Conflict { reason: PlaceError },
    #[error("evidence refused")]
    EvidenceRefused { problems: Vec<EvidenceError> },
    #[error("payment declined: {reason:?}")]
    PaymentDeclined { reason: DeclineReason },
    #[error("service unavailable")]
    Unavailable { retry_after_ms: Option<u32> },
    #[error("offline")]
    Offline,
    #[error("timed out")]
    TimedOut,
    #[error("unreadable answer: {detail}")]
    BadResponse { detail: String },
}

impl ApiError {
    /// Whether trying the same call again may work.
    pub fn is_retryable(&self) -> bool {
        matches!(self, ApiError::Unavailable { .. } | ApiError::Offline | ApiError::TimedOut)
    }

    /// The message key that explains this error to a shopper.
    pub fn message_key(&self) -> &'static str {
        match self {
            ApiError::NotFound => "error.not_found",
            ApiError::Invalid { .. } => "error.invalid",
            ApiError::Refused { .. } => "error.refused",
            ApiError::QuoteRefused { .. } => "error.quote_refused",
            ApiError::Conflict { .. } => "error.conflict",
            ApiError::EvidenceRefused { .. } => "error.evidence_refused",
            ApiError::PaymentDeclined { reason } => match reason {
                DeclineReason::InsufficientFunds => "payment.declined.insufficient_funds",
                DeclineReason::CardExpired => "payment.declined.card_expired",
                DeclineReason::DoNotHonour => "payment.declined.do_not_honour",
            },
            ApiError::Unavailable { .. } => "error.unavailable",
            ApiError::Offline => "error.offline",
            ApiError::TimedOut => "error.timed_out",
            ApiError::BadResponse { .. } => "error.bad_response",
        }
    }
}

impl From<RuleError> for ApiError {
    fn from(rule: RuleError) -> Self {
        ApiError::Refused { rule }
    }
}

/// A card turned into a token by the tokenizer: the order API never sees the number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PaymentToken {
    #[cfg_attr(feature = "schema", schemars(length(max = 200)))]
    pub token: String,
    pub brand: Brand,
    #[cfg_attr(feature = "schema", schemars(length(max = 4)))]
    pub last4: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    Card(PaymentToken),
    /// A wallet that sends the shopper away and back (PayPal-like).
    Wallet,
}

/// What happened to a payment attempt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PaymentOutcome {
    /// Paid: the orders are now being verified.
    Authorised,
    /// Refused by the bank; the orders stay awaiting payment.
    Declined { reason: DeclineReason },
    /// The bank wants the shopper to confirm (3-D Secure).
    ChallengeRequired { challenge_id: String },
    /// The wallet's page; it sends the shopper back to `return_path`.
    Redirect { url: String, return_path: String },
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct QuoteRequest {
    pub cart: Cart,
    pub shipping: BTreeMap<SellerId, ShippingSpeed>,
    #[cfg_attr(feature = "schema", schemars(length(max = 64)))]
    pub coupon: Option<String>,
    /// ISO country of the shipping address, for the quote's tax (placing taxes
    /// for the delivery address's country).
    #[cfg_attr(feature = "schema", schemars(length(max = 8)))]
    pub country: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PlaceOrder {
    /// A UUID v4 made once per checkout attempt and kept across retries and reloads.
    #[cfg_attr(feature = "schema", schemars(length(max = 64)))]
    pub idempotency_key: String,
    pub quote: QuoteRequest,
    /// The quote the shopper saw; placing refuses if the price changed since.
    pub expected_total: checkout_core::money::Money,
    pub address: AddressInput,
    #[cfg_attr(feature = "schema", schemars(length(max = 254)))]
    pub email: String,
    #[cfg_attr(feature = "schema", schemars(length(max = 200)))]
    pub phone: String,
    pub payment: PaymentMethod,
}

impl PlaceOrder {
    /// The quote to place: the one the shopper saw, taxed for the country of
    /// the delivery address (never the country the request declares).
    pub fn quote_to_place(&self, address: &Address) -> QuoteRequest {
        QuoteRequest { country: address.country.clone(), ..self.quote.clone() }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Placement {
    pub orders: Vec<Order>,
    pub payment: PaymentOutcome,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PayAgain {
    /// A new key per attempt; a retry of the same attempt reuses it.
    #[cfg_attr(feature = "schema", schemars(length(max = 64)))]
    pub idempotency_key: String,
    #[cfg_attr(feature = "schema", schemars(length(max = 100)))]
    pub order_ids: Vec<OrderId>,
    pub payment: PaymentMethod,
}

/// What a payment attempt was for: its orders and how it pays. An attempt's
/// key answers again only for the same; anything else is a conflict, never
/// another request's outcome.
pub fn payment_fingerprint(orders: &[OrderId], method: &PaymentMethod) -> String {
    let mut ids: Vec<&str> = orders.iter().map(|o| o.0.as_str()).collect();
    ids.sort_unstable();
    let how = match method {
        PaymentMethod::Card(t) => format!("card:{}", t.token),
        PaymentMethod::Wallet => "wallet".to_owned(),
    };
    format!("{}|{how}", ids.join(","))
}

/// What the buyer can do to an order after placing it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum BuyerAction {
    Cancel,
    RequestCancellation {
        reason: CancelReason,
        #[cfg_attr(feature = "schema", schemars(length(max = 2000)))]
        note: Option<String>,
    },
    ConfirmReceipt,
    RequestProtectionExtension { days: u16 },
    LeaveFeedback {
        item_stars: u8,
        communication_stars: u8,
        shipping_stars: u8,
        #[cfg_attr(feature = "schema", schemars(length(max = 2000)))]
        text: String,
        /// Ids of files uploaded for this order.
        #[cfg_attr(feature = "schema", schemars(length(max = 6)))]
        photos: Vec<String>,
    },
    OpenDispute {
        reason: DisputeReason,
        refund: RefundRequest,
        #[cfg_attr(feature = "schema", schemars(length(max = 4000)))]
        description: String,
        /// Ids of files uploaded for this order.
        #[cfg_attr(feature = "schema", schemars(length(max = 6)))]
        evidence: Vec<String>,
    },
    AcceptDisputeProposal,
    EscalateDispute,
    WithdrawDispute,
    /// Asks to return these lines (by index in the order) for this reason;
    /// the refund is the core's `Order::return_quote`, never sent.
    RequestReturn {
        #[cfg_attr(feature = "schema", schemars(length(max = 100)))]
        lines: Vec<ReturnLine>,
        reason: ReturnReason,
    },
    /// The parcel back is on its way with this carrier and tracking number.
    SendReturn {
        #[cfg_attr(feature = "schema", schemars(length(max = 200)))]
        carrier: String,
        #[cfg_attr(feature = "schema", schemars(length(max = 200)))]
        tracking_number: String,
    },
    /// Takes a return the seller refused to the platform.
    EscalateReturn,
}

impl BuyerAction {
    /// The core event this action is. Uploaded files are named by id; `kind_of`
    /// is the service's record of each id it took for this order, with the
    /// kind it read from the file's content. An id it does not know is refused.
    pub fn into_event(self, kind_of: impl Fn(&str) -> Option<EvidenceKind>) -> Result<OrderEvent, RuleError> {
        let attach = |ids: Vec<String>| -> Result<Vec<Attachment>, RuleError> {
            ids.into_iter()
                .map(|id| kind_of(&id).map(|kind| Attachment { id, kind }).ok_or(RuleError::UnknownEvidence))
                .collect()
        };
        Ok(match self {
            BuyerAction::Cancel => OrderEvent::BuyerCancels,
            BuyerAction::RequestCancellation { reason, note } => OrderEvent::BuyerRequestsCancellation { reason, note },
            BuyerAction::ConfirmReceipt => OrderEvent::BuyerConfirmsReceipt,
            BuyerAction::RequestProtectionExtension { days } => OrderEvent::BuyerRequestsProtectionExtension { days },
            BuyerAction::LeaveFeedback { item_stars, communication_stars, shipping_stars, text, photos } => {
                OrderEvent::LeaveFeedback { item_stars, communication_stars, shipping_stars, text, photos: attach(photos)? }
            }
            BuyerAction::OpenDispute { reason, refund, description, evidence } => {
                OrderEvent::OpenDispute { reason, refund, description, evidence: attach(evidence)? }
            }
            BuyerAction::AcceptDisputeProposal => OrderEvent::BuyerAcceptsProposal,
            BuyerAction::EscalateDispute => OrderEvent::BuyerEscalates,
            BuyerAction::WithdrawDispute => OrderEvent::BuyerWithdrawsDispute,
            BuyerAction::RequestReturn { lines, reason } => OrderEvent::RequestReturn { lines, reason },
            BuyerAction::SendReturn { carrier, tracking_number } => OrderEvent::SendReturn { carrier, tracking_number },
            BuyerAction::EscalateReturn => OrderEvent::BuyerEscalatesReturn,
        })
    }
}

/// A file for a dispute: its name, its content, and what the checks read from
/// it (size and first bytes). Over HTTP the content is the request's body and
/// the server measures size and type from it; the name travels in the query.
#[derive(Clone, Debug, PartialEq)]
pub struct EvidenceUpload {
    pub name: String,
    pub bytes: u64,
    /// At least [`checkout_core::evidence::SNIFF_BYTES`] of the start, if the
    /// file has them.
    pub head: Vec<u8>,
    pub content: FileContent,
}

impl EvidenceUpload {
    /// A file held in memory (native clients, tests).
    pub fn from_bytes(name: impl Into<String>, content: Vec<u8>) -> Self {
        let head = content[..content.len().min(checkout_core::evidence::SNIFF_BYTES)].to_vec();
        EvidenceUpload { name: name.into(), bytes: content.len() as u64, head, content: FileContent::Bytes(content.into()) }
    }
}

/// A file's content as a transport sends it.
#[derive(Clone, Debug, PartialEq)]
pub enum FileContent {
    Bytes(std::sync::Arc<[u8]>),
    /// A file the browser holds, sent from there without a copy in memory.
    #[cfg(target_arch = "wasm32")]
    Blob(web_sys::Blob),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EvidenceRef {
    pub id: String,
    pub kind: EvidenceKind,
}

/// A product with the store that sells it, for the product page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProductDetail {
    pub product: Product,
    pub seller: Seller,
}

impl ProductDetail {
    /// One product of a catalog with its seller; `NotFound` for an unknown id.
    pub fn from_catalog(catalog: &Catalog, id: &ProductId) -> Result<ProductDetail, ApiError> {
        let product = catalog.product(id).cloned().ok_or(ApiError::NotFound)?;
        let seller = catalog
            .seller(&product.seller_id)
            .cloned()
            .ok_or_else(|| ApiError::BadResponse { detail: format!("no seller for {id}") })?;
        Ok(ProductDetail { product, seller })
    }
}

/// One page of a buyer's orders in one tab of the list, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OrdersPage {
    /// At most `checkout_core::order::ORDERS_PAGE_SIZE` (20).
    pub orders: Vec<Order>,
    /// This page's number, from 1 (a page asked past the last is the last).
    pub page: u32,
    /// How many pages the tab has (at least 1).
    pub pages: u32,
}

/// An order placed with its shipping address, returned once validated.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ValidatedContact {
    pub address: Address,
    pub email: String,
    pub phone: String,
}

/// Everything the screens ask of the order backend. Futures are not `Send`: in
/// the browser everything runs on one thread.
#[async_trait(?Send)]
pub trait OrderApi {
    /// The whole catalog: products and the sellers who sell them.
    async fn catalog(&self) -> Result<Catalog, ApiError>;

    /// One product with its seller; `NotFound` for an unknown id.
    async fn product(&self, id: &ProductId) -> Result<ProductDetail, ApiError> {
        ProductDetail::from_catalog(&self.catalog().await?, id)
    }

    /// Every cost of buying the cart as chosen, before paying.
    async fn quote(&self, request: &QuoteRequest) -> Result<Quote, ApiError>;

    /// Makes one order per seller and pays them with one payment. The same
    /// idempotency key returns the same orders and the same payment.
    async fn place_order(&self, request: &PlaceOrder) -> Result<Placement, ApiError>;

    /// Pays orders that are awaiting payment, with the same or another method.
    async fn pay(&self, request: &PayAgain) -> Result<PaymentOutcome, ApiError>;

    /// The shopper's answer to a 3-D Secure challenge (or to the wallet's page).
    async fn confirm_challenge(&self, challenge_id: &str, approved: bool) -> Result<PaymentOutcome, ApiError>;

    /// One page (from 1) of this buyer's orders in `tab`, newest first.
    async fn orders(&self, tab: OrdersTab, page: u32) -> Result<OrdersPage, ApiError>;


    async fn order(&self, id: &OrderId) -> Result<Order, ApiError>;

    /// An order by its number and the email it was placed with, from any
    /// device: where it is, not whom it is for nor how it was paid.
    async fn track(&self, number: &str, email: &str) -> Result<TrackedOrder, ApiError>;

    /// Something the buyer does to an order; the answer is the order after it.
    async fn act(&self, id: &OrderId, action: BuyerAction) -> Result<Order, ApiError>;

    async fn upload_evidence(&self, order: &OrderId, file: &EvidenceUpload) -> Result<EvidenceRef, ApiError>;

    /// The API's clock, for countdowns that must agree with its deadlines.
    async fn now(&self) -> Result<Timestamp, ApiError>;

    async fn cancel(&self, id: &OrderId) -> Result<Order, ApiError> {
        self.act(id, BuyerAction::Cancel).await
    }

    async fn request_cancellation(&self, id: &OrderId, reason: CancelReason, note: Option<String>) -> Result<Order, ApiError> {
        self.act(id, BuyerAction::RequestCancellation { reason, note }).await
    }

    async fn confirm_receipt(&self, id: &OrderId) -> Result<Order, ApiError> {
        self.act(id, BuyerAction::ConfirmReceipt).await
    }

    async fn open_dispute(
        &self,
        id: &OrderId,
        reason: DisputeReason,
        refund: RefundRequest,
        description: String,
        evidence: Vec<String>,
    ) -> Result<Order, ApiError> {
        self.act(id, BuyerAction::OpenDispute { reason, refund, description, evidence }).await
    }

    async fn escalate_dispute(&self, id: &OrderId) -> Result<Order, ApiError> {
        self.act(id, BuyerAction::EscalateDispute).await
    }

    async fn withdraw_dispute(&self, id: &OrderId) -> Result<Order, ApiError> {
        self.act(id, BuyerAction::WithdrawDispute).await
    }
}

/// Every order of a buyer, newest first, page by page: for tests and tools
/// (the screens ask for the page they show). Not a method of [`OrderApi`], so
/// that the app's vtables, in its first download, do not carry it.
#[async_trait(?Send)]
pub trait AllOrders {
    async fn all_orders(&self) -> Result<Vec<Order>, ApiError>;
}

#[async_trait(?Send)]
impl<T: OrderApi + ?Sized> AllOrders for T {
    async fn all_orders(&self) -> Result<Vec<Order>, ApiError> {
        let mut all = Vec::new();
        for page in 1.. {
            let got = self.orders(OrdersTab::All, page).await?;
            all.extend(got.orders);
            if got.page >= got.pages {
                break;
            }
        }
        Ok(all)
    }
}
