//! The order service: what the order API does, on the rules of
//! `checkout-core`, written once for the mock and the server. Each call gets
//! the time and one open [`Storage`] (the server's is a SQLite transaction,
//! committed only if the call succeeds; the mock's is its state in memory,
//! saved to localStorage after the call).

use std::collections::BTreeMap;

use checkout_api::{
    payment_fingerprint, ApiError, BuyerAction, EvidenceRef, OrdersPage, PayAgain, PaymentMethod,
    PaymentOutcome, PlaceOrder, Placement, ProductDetail, QuoteRequest,
};
use checkout_core::catalog::{Catalog, ProductId};
use checkout_core::checkout::{quote, Coupon, Ledger, PlaceError, Quote, QuoteError};
use checkout_core::evidence::{check_file, EvidenceFile, EvidenceKind};
use checkout_core::money::Money;
use checkout_core::order::{apply, BuyerActionKind, DeclineReason, Order, OrderEvent, OrderId, OrdersTab, RuleError, TrackedOrder};
use checkout_core::time::Timestamp;
use checkout_core::validate::address::Address;
use checkout_core::validate::{address, contact, FieldError};
use serde::{Deserialize, Serialize};

use crate::provider::{Charge, ChallengeResult, PaymentProvider, ProviderBook, SimulatedProvider};
use crate::{script, world, Scenario};

/// A buyer, as the storage knows them (the server by token; the mock has one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct BuyerId(pub i64);

/// Why a call failed: a contract error, or the storage.
#[derive(Debug)]
pub enum Fail {
    Api(ApiError),
    /// The storage is busy; try again shortly.
    Busy,
    /// Anything else the storage said.
    Storage(String),
}

impl From<ApiError> for Fail {
    fn from(e: ApiError) -> Self {
        Fail::Api(e)
    }
}

impl From<RuleError> for Fail {
    fn from(rule: RuleError) -> Self {
        Fail::Api(ApiError::Refused { rule })
    }
}

pub type Result<T> = std::result::Result<T, Fail>;

/// An order as the service keeps it: whose it is, the email it was placed
/// with (for tracking), and the scenario it lives by (none: only the rules'
/// own deadlines move it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptOrder {
    pub order: Order,
    pub buyer: BuyerId,
    pub email: String,
    pub scenario: Option<Scenario>,
}

/// A checkout placed under an idempotency key: the request (as
/// [`Storage::digest`] keeps it) and the first answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacementRecord {
    pub request: String,
    pub placement: Placement,
}

/// A payment attempt under its key: the outcome, and what it paid for
/// ([`payment_fingerprint`]; empty for attempts kept before that was).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentRecord {
    pub outcome: PaymentOutcome,
    pub paid_for: String,
}

/// A payment waiting for the shopper on the provider's side.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChallengeRecord {
    pub buyer: BuyerId,
    pub orders: Vec<OrderId>,
    pub attempt_key: String,
    pub method: PaymentMethod,
    /// Set once the provider answered, so a repeated call gets the same outcome.
    pub answer: Option<PaymentOutcome>,
}

/// An uploaded file: the order it is for and its kind, read from its content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceRecord {
    pub order: OrderId,
    pub kind: EvidenceKind,
    pub name: String,
    pub bytes: u64,
}

/// Where the service keeps its data, opened for one call. It also names new
/// things (ids and order numbers) its own way, and keeps the simulated
/// provider's book beside the data.
pub trait Storage: ProviderBook<Error = Fail> {
    fn order(&mut self, id: &OrderId) -> Result<Option<KeptOrder>>;
    /// The buyer's orders that may have changed by themselves by `now`: those
    /// kept with a wake time at or before it (or all of them, for a storage
    /// that keeps none).
    fn due_order_ids_of(&mut self, buyer: BuyerId, now: Timestamp) -> Result<Vec<OrderId>>;
    /// One page of the buyer's orders in `tab`, newest first (by placing
    /// time, then id), as kept: (orders, page, pages) as [`OrdersTab::page`]
    /// gives them.
    fn orders_page(&mut self, buyer: BuyerId, tab: OrdersTab, page: usize) -> Result<(Vec<Order>, usize, usize)>;
    fn order_by_number(&mut self, number: &str) -> Result<Option<OrderId>>;
    /// `wake_at`: when the order next changes by itself ([`script::wake_at`]).
    fn insert_order(&mut self, kept: &KeptOrder, wake_at: Option<Timestamp>) -> Result<()>;
    fn update_order(&mut self, order: &Order, wake_at: Option<Timestamp>) -> Result<()>;
    fn new_order_id(&mut self) -> Result<OrderId>;
    /// An order number no order has: one that tells nothing of another
    /// where tracking is open to anyone (the server).
    fn new_order_number(&mut self) -> Result<String>;
    /// A new id for a challenge (`chl`) or an uploaded file (`evd`).
    fn new_id(&mut self, prefix: &str) -> Result<String>;
    /// How a placing request is kept to recognise its retries (the server
    /// keeps a hash; memory, the request).
    fn digest(&self, request: &str) -> String {
        request.to_owned()
    }
    fn placement(&mut self, buyer: BuyerId, key: &str) -> Result<Option<PlacementRecord>>;
    fn insert_placement(&mut self, buyer: BuyerId, key: &str, record: &PlacementRecord) -> Result<()>;
    fn payment(&mut self, buyer: BuyerId, key: &str) -> Result<Option<PaymentRecord>>;
    fn put_payment(&mut self, buyer: BuyerId, key: &str, record: &PaymentRecord) -> Result<()>;
    fn challenge(&mut self, id: &str) -> Result<Option<ChallengeRecord>>;
    fn put_challenge(&mut self, id: &str, record: &ChallengeRecord) -> Result<()>;
    fn evidence(&mut self, id: &str) -> Result<Option<EvidenceRecord>>;
    fn insert_evidence(&mut self, id: &str, record: &EvidenceRecord, now: Timestamp) -> Result<()>;
    /// How many placed checkouts of the buyer used the coupon `code`.
    fn coupon_uses(&mut self, buyer: BuyerId, code: &str) -> Result<u32>;
    fn record_coupon_use(&mut self, buyer: BuyerId, code: &str, key: &str) -> Result<()>;
}

/// The service: the marketplace it sells from, the scenario new orders live
/// by, and the payment provider.
pub struct Service<P: PaymentProvider = SimulatedProvider> {
    pub catalog: Catalog,
    pub coupons: Vec<Coupon>,
    pub scenario: Scenario,
    pub provider: P,
}

impl Service<SimulatedProvider> {
    /// The simulated marketplace with the provider's test mode, both in `scenario`.
    pub fn simulated(scenario: Scenario) -> Self {
        Service { catalog: world::catalog(), coupons: world::coupons(), scenario, provider: SimulatedProvider { scenario } }
    }
}

impl<P: PaymentProvider> Service<P> {
    pub fn product(&self, id: &ProductId) -> std::result::Result<ProductDetail, ApiError> {
        ProductDetail::from_catalog(&self.catalog, id)
    }

    /// Every cost of buying the cart as chosen.
    pub fn quote(&self, req: &QuoteRequest, now: Timestamp) -> std::result::Result<Quote, ApiError> {
        let code = req.coupon.as_deref().map(str::trim).filter(|c| !c.is_empty());
        let coupon = code.map(|c| (c, self.coupons.iter().find(|k| k.code.eq_ignore_ascii_case(c))));
        quote(&req.cart, &self.catalog, &req.shipping, coupon, world::tax_rate_bp(&req.country), now)
            .map_err(|reason| ApiError::QuoteRefused { reason })
    }

    /// The order caught up with the clock (the scenario's steps that fell
    /// due, then the rules' deadlines), kept if it moved. Another buyer's
    /// order does not exist for this one; `None` reads any (tracking).
    fn advanced<S: Storage>(&self, st: &mut S, buyer: Option<BuyerId>, id: &OrderId, now: Timestamp) -> Result<Order> {
        self.advanced_kept(st, buyer, id, now).map(|k| k.order)
    }

    fn advanced_kept<S: Storage>(&self, st: &mut S, buyer: Option<BuyerId>, id: &OrderId, now: Timestamp) -> Result<KeptOrder> {
        let kept = st.order(id)?.filter(|k| buyer.is_none_or(|b| b == k.buyer)).ok_or(ApiError::NotFound)?;
        self.caught_up(st, kept, now)
    }

    fn caught_up<S: Storage>(&self, st: &mut S, mut kept: KeptOrder, now: Timestamp) -> Result<KeptOrder> {
        let next = script::run(&kept.order, kept.scenario, self.scenario, now);
        if next != kept.order {
            kept.order = next;
            st.update_order(&kept.order, self.wake_at(&kept))?;
        }
        Ok(kept)
    }

    /// When the order next changes by itself, in its scenario.
    fn wake_at(&self, kept: &KeptOrder) -> Option<Timestamp> {
        script::wake_at(&kept.order, kept.scenario, self.scenario)
    }

    /// Keeps what the buyer or a payment did to an order.
    fn keep<S: Storage>(&self, st: &mut S, mut kept: KeptOrder, next: Order) -> Result<Order> {
        kept.order = next;
        st.update_order(&kept.order, self.wake_at(&kept))?;
        Ok(kept.order)
    }

    /// Places the checkout: one order per seller, paid by one payment. The
    /// same key with the same request gives the orders as they are now and
    /// the payment's outcome (`false`: a replay); with another request, a
    /// conflict.
    pub fn place<S: Storage>(&self, st: &mut S, buyer: BuyerId, now: Timestamp, req: &PlaceOrder) -> Result<(Placement, bool)> {
        let request = st.digest(&serde_json::to_string(req).map_err(|e| Fail::Storage(e.to_string()))?);
        if let Some(known) = st.placement(buyer, &req.idempotency_key)? {
            if known.request != request {
                return Err(ApiError::Conflict { reason: PlaceError::KeyReusedWithDifferentQuote }.into());
            }
            let orders =
                known.placement.orders.iter().map(|o| self.advanced(st, Some(buyer), &o.id, now)).collect::<Result<_>>()?;
            let payment = st.payment(buyer, &req.idempotency_key)?.map_or(known.placement.payment, |p| p.outcome);
            return Ok((Placement { orders, payment }, false));
        }
        let (address, email) = validate_contact(req)?;
        let quote = self.quote(&req.quote_to_place(&address), now)?;
        if quote.totals.total != req.expected_total {
            return Err(ApiError::QuoteRefused { reason: QuoteError::PriceChanged { total: quote.totals.total } }.into());
        }
        let coupon = quote.coupon.as_deref().and_then(|code| self.coupons.iter().find(|c| c.code == code));
        if let Some(c) = coupon {
            c.check_uses(st.coupon_uses(buyer, &c.code)?).map_err(|reason| ApiError::QuoteRefused { reason })?;
        }
        // The core makes the orders (and refuses a key that is not a UUID);
        // the storage names them.
        let (made, _) = Ledger::default()
            .place(&req.idempotency_key, &quote, &address, now)
            .map_err(|reason| ApiError::Conflict { reason })?;
        let mut ids = Vec::with_capacity(made.len());
        for mut order in made {
            order.return_policy = world::return_policy(&order.seller_id);
            order.id = st.new_order_id()?;
            order.number = st.new_order_number()?;
            ids.push(order.id.clone());
            let kept = KeptOrder { order, buyer, email: email.clone(), scenario: Some(self.scenario) };
            st.insert_order(&kept, self.wake_at(&kept))?;
        }
        if let Some(c) = coupon {
            st.record_coupon_use(buyer, &c.code, &req.idempotency_key)?;
        }
        let payment = self.pay_orders(st, buyer, now, &req.idempotency_key, &ids, &req.payment)?;
        let orders = ids.iter().map(|id| self.advanced(st, Some(buyer), id, now)).collect::<Result<_>>()?;
        let placement = Placement { orders, payment };
        st.insert_placement(buyer, &req.idempotency_key, &PlacementRecord { request, placement: placement.clone() })?;
        Ok((placement, true))
    }

    /// Pays orders awaiting payment. The same attempt again gets its answer;
    /// its key with other orders or another card is refused, never given that
    /// answer.
    pub fn pay<S: Storage>(&self, st: &mut S, buyer: BuyerId, now: Timestamp, req: &PayAgain) -> Result<PaymentOutcome> {
        if req.order_ids.is_empty() {
            return Err(ApiError::NotFound.into());
        }
        if let Some(done) = st.payment(buyer, &req.idempotency_key)? {
            if !done.paid_for.is_empty() && done.paid_for != payment_fingerprint(&req.order_ids, &req.payment) {
                return Err(ApiError::Conflict { reason: PlaceError::KeyReusedForOtherPayment }.into());
            }
            return Ok(done.outcome);
        }
        for id in &req.order_ids {
            self.advanced(st, Some(buyer), id, now)?.may(BuyerActionKind::Pay, now).map_err(ApiError::from)?;
        }
        self.pay_orders(st, buyer, now, &req.idempotency_key, &req.order_ids, &req.payment)
    }

    /// What the provider says of a challenge, once the shopper has answered
    /// it on the provider's side. Until then the payment still waits (the
    /// same challenge is given back) and nothing is paid, whatever the buyer
    /// claims. A refusal leaves the orders awaiting payment, to be paid again.
    pub fn complete_challenge<S: Storage>(&self, st: &mut S, buyer: BuyerId, now: Timestamp, id: &str) -> Result<PaymentOutcome> {
        let mut c = st.challenge(id)?.filter(|c| c.buyer == buyer).ok_or(ApiError::NotFound)?;
        if let Some(answer) = c.answer {
            return Ok(answer);
        }
        let outcome = match self.provider.challenge_result(st, id, &c.method)? {
            ChallengeResult::Pending => return Ok(asked(id, &c)),
            ChallengeResult::Approved(paid) => {
                self.settle(st, buyer, now, &c.orders, OrderEvent::PaymentAuthorised { method: paid })?;
                PaymentOutcome::Authorised
            }
            ChallengeResult::Refused => PaymentOutcome::Declined { reason: DeclineReason::DoNotHonour },
        };
        let paid_for = payment_fingerprint(&c.orders, &c.method);
        st.put_payment(buyer, &c.attempt_key, &PaymentRecord { outcome: outcome.clone(), paid_for })?;
        c.answer = Some(outcome.clone());
        st.put_challenge(id, &c)?;
        Ok(outcome)
    }

    /// One page of the buyer's orders in a tab, newest first. The orders
    /// whose wake time came are caught up first, since that decides their tab.
    pub fn orders<S: Storage>(&self, st: &mut S, buyer: BuyerId, now: Timestamp, tab: OrdersTab, page: u32) -> Result<OrdersPage> {
        // Only orders whose time came can have moved (a step or a deadline):
        // catch those up, then page what is kept.
        for id in st.due_order_ids_of(buyer, now)? {
            self.advanced(st, Some(buyer), &id, now)?;
        }
        let (orders, page, pages) = st.orders_page(buyer, tab, page as usize)?;
        Ok(OrdersPage { orders, page: page as u32, pages: pages as u32 })
    }

    pub fn order<S: Storage>(&self, st: &mut S, buyer: BuyerId, now: Timestamp, id: &OrderId) -> Result<Order> {
        self.advanced(st, Some(buyer), id, now)
    }

    /// An order by its number and the email it was placed with, as tracking
    /// may show it to anyone who has both.
    pub fn track<S: Storage>(&self, st: &mut S, now: Timestamp, number: &str, email: &str) -> Result<TrackedOrder> {
        let id = st.order_by_number(number.trim())?.ok_or(ApiError::NotFound)?;
        let kept = st.order(&id)?.ok_or(ApiError::NotFound)?;
        if kept.email.to_lowercase() != email.trim().to_lowercase() {
            return Err(ApiError::NotFound.into());
        }
        Ok(self.caught_up(st, kept, now)?.order.tracked())
    }

    /// Something the buyer does to their order; the order after it.
    pub fn act<S: Storage>(&self, st: &mut S, buyer: BuyerId, now: Timestamp, id: &OrderId, action: BuyerAction) -> Result<Order> {
        let kept = self.advanced_kept(st, Some(buyer), id, now)?;
        // Files are named by id: only this order's uploads count, with the
        // kind read from their content when they came in.
        let mut kinds = BTreeMap::new();
        for file in attached(&action) {
            if let Some(e) = st.evidence(file)?.filter(|e| e.order == *id) {
                kinds.insert(file.clone(), e.kind);
            }
        }
        let event = action.into_event(|file| kinds.get(file).copied())?;
        let next = apply(&kept.order, event, now)?;
        self.keep(st, kept, next)
    }

    /// Takes a file for one of the buyer's orders, as measured where it
    /// arrived (its size, and its type read from its first bytes).
    pub fn upload_evidence<S: Storage>(
        &self,
        st: &mut S,
        buyer: BuyerId,
        now: Timestamp,
        order: &OrderId,
        file: &EvidenceFile,
    ) -> Result<EvidenceRef> {
        st.order(order)?.filter(|k| k.buyer == buyer).ok_or(ApiError::NotFound)?;
        let kind = check_file(file).map_err(|e| ApiError::EvidenceRefused { problems: vec![e] })?;
        let id = st.new_id("evd")?;
        let record = EvidenceRecord { order: order.clone(), kind, name: file.name.clone(), bytes: file.bytes };
        st.insert_evidence(&id, &record, now)?;
        Ok(EvidenceRef { id, kind })
    }

    /// Asks the provider, applies its answer to the orders, and keeps it
    /// under the attempt's key.
    fn pay_orders<S: Storage>(
        &self,
        st: &mut S,
        buyer: BuyerId,
        now: Timestamp,
        key: &str,
        orders: &[OrderId],
        method: &PaymentMethod,
    ) -> Result<PaymentOutcome> {
        let mut totals = Vec::with_capacity(orders.len());
        for id in orders {
            totals.push(st.order(id)?.ok_or(ApiError::NotFound)?.order.totals.total);
        }
        let amount = totals.first().map(|m| Money::sum(m.currency, totals.iter().copied()));
        let amount = amount.and_then(|a| a.ok()).ok_or(ApiError::NotFound)?;
        let outcome = match self.provider.charge(method, amount) {
            Charge::Authorised(paid) => {
                self.settle(st, buyer, now, orders, OrderEvent::PaymentAuthorised { method: paid })?;
                PaymentOutcome::Authorised
            }
            Charge::Declined(reason) => {
                self.settle(st, buyer, now, orders, OrderEvent::PaymentDeclined { reason })?;
                PaymentOutcome::Declined { reason }
            }
            Charge::NeedsShopper => {
                let id = st.new_id("chl")?;
                let c = ChallengeRecord {
                    buyer,
                    orders: orders.to_vec(),
                    attempt_key: key.to_owned(),
                    method: method.clone(),
                    answer: None,
                };
                st.put_challenge(&id, &c)?;
                asked(&id, &c)
            }
        };
        st.put_payment(buyer, key, &PaymentRecord { outcome: outcome.clone(), paid_for: payment_fingerprint(orders, method) })?;
        Ok(outcome)
    }

    /// Applies a payment's result to the orders it paid for.
    fn settle<S: Storage>(&self, st: &mut S, buyer: BuyerId, now: Timestamp, orders: &[OrderId], event: OrderEvent) -> Result<()> {
        for id in orders {
            let kept = self.advanced_kept(st, Some(buyer), id, now)?;
            if let Ok(next) = apply(&kept.order, event.clone(), now) {
                self.keep(st, kept, next)?;
            }
        }
        Ok(())
    }
}

/// The simulated provider's challenge page (its test mode): the shopper's
/// answer to a challenge the service opened, kept once (the first answer
/// stays). The order API never calls this; the mock's challenge dialog and
/// the reference server's `/api/test-provider` route do.
pub fn answer_on_provider_page<S: Storage>(st: &mut S, challenge_id: &str, approved: bool) -> Result<bool> {
    st.challenge(challenge_id)?.ok_or(ApiError::NotFound)?;
    SimulatedProvider::answer_challenge(st, challenge_id, approved)
}

/// What the buyer is asked to do for a challenge: confirm with the bank (3-D
/// Secure), or go to the wallet's page, which sends them back to the order.
fn asked(id: &str, c: &ChallengeRecord) -> PaymentOutcome {
    match c.method {
        PaymentMethod::Wallet => PaymentOutcome::Redirect {
            url: format!("/pay/wallet?challenge={id}"),
            return_path: format!("/orders/{}", c.orders.first().map_or("", |o| o.0.as_str())),
        },
        PaymentMethod::Card(_) => PaymentOutcome::ChallengeRequired { challenge_id: id.to_owned() },
    }
}

/// The files an action names.
fn attached(action: &BuyerAction) -> &[String] {
    match action {
        BuyerAction::LeaveFeedback { photos, .. } => photos,
        BuyerAction::OpenDispute { evidence, .. } => evidence,
        _ => &[],
    }
}

/// The contact details checked field by field.
fn validate_contact(req: &PlaceOrder) -> std::result::Result<(Address, String), ApiError> {
    let mut fields: Vec<FieldError> = Vec::new();
    let address = address::validate(&req.address).map_err(|e| fields.extend(e)).ok();
    let email = contact::email(&req.email).map_err(|e| fields.push(e)).ok();
    let phone = contact::phone(&req.phone, &req.address.country).map_err(|e| fields.push(e)).ok();
    match (address, email, phone) {
        (Some(a), Some(e), Some(_)) => Ok((a, e)),
        _ => Err(ApiError::Invalid { fields }),
    }
}

/// The service's data in memory: the mock's whole state (saved as JSON to
/// localStorage), and a storage for tests. One buyer or many; ids and order
/// numbers are counted.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct MemoryStorage {
    orders: BTreeMap<OrderId, KeptOrder>,
    /// Keyed by `"<buyer> <key>"`.
    placements: BTreeMap<String, PlacementRecord>,
    payments: BTreeMap<String, PaymentRecord>,
    challenges: BTreeMap<String, ChallengeRecord>,
    evidence: BTreeMap<String, EvidenceRecord>,
    /// The simulated provider's book: each challenge's answer on its page.
    provider_answers: BTreeMap<String, bool>,
    /// Placed checkouts per `"<buyer> <coupon code>"`.
    #[serde(default)]
    coupon_uses: BTreeMap<String, u32>,
    next_id: u64,
    next_number: u64,
    /// Whether anything was written since [`MemoryStorage::take_changed`].
    #[serde(skip)]
    changed: bool,
}

impl MemoryStorage {
    /// Storage holding these orders already (the mock's seeded past).
    pub fn with_orders(orders: impl IntoIterator<Item = KeptOrder>) -> Self {
        let mut m = MemoryStorage::default();
        for kept in orders {
            m.orders.insert(kept.order.id.clone(), kept);
        }
        m
    }

    /// Whether anything changed since the last time this was asked.
    pub fn take_changed(&mut self) -> bool {
        std::mem::take(&mut self.changed)
    }

    fn keyed(buyer: BuyerId, key: &str) -> String {
        format!("{} {key}", buyer.0)
    }
}

impl ProviderBook for MemoryStorage {
    type Error = Fail;
    fn challenge_answer(&mut self, challenge_id: &str) -> Result<Option<bool>> {
        Ok(self.provider_answers.get(challenge_id).copied())
    }
    fn record_challenge_answer(&mut self, challenge_id: &str, approved: bool) -> Result<()> {
        self.changed = true;
        self.provider_answers.insert(challenge_id.to_owned(), approved);
        Ok(())
    }
}

impl Storage for MemoryStorage {
    fn order(&mut self, id: &OrderId) -> Result<Option<KeptOrder>> {
        Ok(self.orders.get(id).cloned())
    }
    fn due_order_ids_of(&mut self, buyer: BuyerId, _now: Timestamp) -> Result<Vec<OrderId>> {
        // A shopper's few orders in the browser: all of them.
        Ok(self.orders.values().filter(|k| k.buyer == buyer).map(|k| k.order.id.clone()).collect())
    }
    fn orders_page(&mut self, buyer: BuyerId, tab: OrdersTab, page: usize) -> Result<(Vec<Order>, usize, usize)> {
        let mut all: Vec<Order> = self.orders.values().filter(|k| k.buyer == buyer).map(|k| k.order.clone()).collect();
        all.sort_by(|a, b| b.placed_at.cmp(&a.placed_at).then(b.id.cmp(&a.id)));
        Ok(tab.page(all, page))
    }
    fn order_by_number(&mut self, number: &str) -> Result<Option<OrderId>> {
        Ok(self.orders.values().find(|k| k.order.number == number).map(|k| k.order.id.clone()))
    }
    fn insert_order(&mut self, kept: &KeptOrder, _wake_at: Option<Timestamp>) -> Result<()> {
        self.changed = true;
        self.orders.insert(kept.order.id.clone(), kept.clone());
        Ok(())
    }
    fn update_order(&mut self, order: &Order, _wake_at: Option<Timestamp>) -> Result<()> {
        let kept = self.orders.get_mut(&order.id).ok_or(ApiError::NotFound)?;
        self.changed = true;
        kept.order = order.clone();
        Ok(())
    }
    fn new_order_id(&mut self) -> Result<OrderId> {
        self.new_id("ord").map(OrderId)
    }
    fn new_order_number(&mut self) -> Result<String> {
        self.changed = true;
        self.next_number += 1;
        Ok(format!("{:013}", 8_100_000_000_000 + self.next_number))
    }
    fn new_id(&mut self, prefix: &str) -> Result<String> {
        self.changed = true;
        self.next_id += 1;
        Ok(format!("{prefix}_{:06}", self.next_id))
    }
    fn placement(&mut self, buyer: BuyerId, key: &str) -> Result<Option<PlacementRecord>> {
        Ok(self.placements.get(&Self::keyed(buyer, key)).cloned())
    }
    fn insert_placement(&mut self, buyer: BuyerId, key: &str, record: &PlacementRecord) -> Result<()> {
        self.changed = true;
        self.placements.insert(Self::keyed(buyer, key), record.clone());
        Ok(())
    }
    fn payment(&mut self, buyer: BuyerId, key: &str) -> Result<Option<PaymentRecord>> {
        Ok(self.payments.get(&Self::keyed(buyer, key)).cloned())
    }
    fn put_payment(&mut self, buyer: BuyerId, key: &str, record: &PaymentRecord) -> Result<()> {
        self.changed = true;
        self.payments.insert(Self::keyed(buyer, key), record.clone());
        Ok(())
    }
    fn challenge(&mut self, id: &str) -> Result<Option<ChallengeRecord>> {
        Ok(self.challenges.get(id).cloned())
    }
    fn put_challenge(&mut self, id: &str, record: &ChallengeRecord) -> Result<()> {
        self.changed = true;
        self.challenges.insert(id.to_owned(), record.clone());
        Ok(())
    }
    fn evidence(&mut self, id: &str) -> Result<Option<EvidenceRecord>> {
        Ok(self.evidence.get(id).cloned())
    }
    fn insert_evidence(&mut self, id: &str, record: &EvidenceRecord, _now: Timestamp) -> Result<()> {
        self.changed = true;
        self.evidence.insert(id.to_owned(), record.clone());
        Ok(())
    }
    fn coupon_uses(&mut self, buyer: BuyerId, code: &str) -> Result<u32> {
        Ok(self.coupon_uses.get(&Self::keyed(buyer, code)).copied().unwrap_or(0))
    }
    fn record_coupon_use(&mut self, buyer: BuyerId, code: &str, _key: &str) -> Result<()> {
        self.changed = true;
        *self.coupon_uses.entry(Self::keyed(buyer, code)).or_default() += 1;
        Ok(())
    }
}
