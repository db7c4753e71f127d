//! The mock order API: the contract implemented in memory on the rules of
//! `checkout-core`, with seeded data, simulated latency and failures, a clock
//! that can run faster than real time, and sellers, carriers and the platform
//! acting by themselves on that clock (see [`Scenario`]). Its state is saved
//! through [`Env`] (localStorage in the browser), so orders survive reloads.

mod catalog_seed;
mod order_seed;
mod scenario;
pub mod script;

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;

use async_trait::async_trait;
use checkout_core::catalog::Catalog;
use checkout_core::checkout::{quote, Coupon, CouponValue, Ledger, Quote, QuoteError};
use checkout_core::evidence::{check_file, sniff, EvidenceFile, EvidenceKind};
use checkout_core::money::{Currency, Money};
use checkout_core::order::{apply, BuyerActionKind, DeclineReason, Order, OrderEvent, OrderId, PaidWith};
use checkout_core::time::Timestamp;
use checkout_core::validate::{address, contact, FieldError};
use serde::{Deserialize, Serialize};

pub use scenario::Scenario;

use crate::contract::*;

/// What the mock needs from where it runs: a wall clock, a timer and a place to
/// keep its state. The browser gives Date.now, setTimeout and localStorage;
/// native tests give a hand-moved clock and memory.
pub trait Env {
    fn now_ms(&self) -> i64;
    fn sleep(&self, ms: u32) -> Pin<Box<dyn Future<Output = ()>>>;
    fn load(&self) -> Option<String>;
    fn save(&self, state: &str);
}

const STATE_VERSION: u32 = 1;
/// A fixed start for the mock clock on a fresh state: 2026-11-01 00:00 UTC.
const MOCK_EPOCH: Timestamp = Timestamp(1_793_491_200);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Challenge {
    orders: Vec<OrderId>,
    attempt_key: String,
    method: PaymentMethod,
    /// Set once answered, so a repeated answer gets the same outcome.
    answer: Option<PaymentOutcome>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct State {
    version: u32,
    /// Mock time = `clock_start` + (wall ms - `wall_start_ms`) × `speed` / 1000 + `skipped`.
    clock_start: Timestamp,
    wall_start_ms: i64,
    skipped: i64,
    /// The speed the clock ran at since `wall_start_ms`.
    #[serde(default = "one")]
    speed: u32,
    ledger: Ledger,
    orders: BTreeMap<OrderId, Order>,
    emails: BTreeMap<OrderId, String>,
    /// Which scenario each order lives by; seeded orders by none (they only tick).
    scripts: BTreeMap<OrderId, Scenario>,
    /// Payment outcomes by idempotency key: a retried attempt gets the same answer.
    payments: BTreeMap<String, PaymentOutcome>,
    challenges: BTreeMap<String, Challenge>,
    /// Each uploaded file: the order it was uploaded for and its kind, read
    /// from its content. A dispute or feedback may name only these.
    #[serde(default)]
    evidence: BTreeMap<String, (OrderId, EvidenceKind)>,
    /// What each payment key paid for (`payment_fingerprint`).
    #[serde(default)]
    paid_for: BTreeMap<String, String>,
    next_id: u64,
}

fn one() -> u32 {
    1
}

impl State {
    fn fresh(wall_ms: i64, speed: u32) -> State {
        let mut s = State {
            version: STATE_VERSION,
            clock_start: MOCK_EPOCH.plus_days(25),
            wall_start_ms: wall_ms,
            skipped: 0,
            speed,
            ledger: Ledger::default(),
            orders: BTreeMap::new(),
            emails: BTreeMap::new(),
            scripts: BTreeMap::new(),
            payments: BTreeMap::new(),
            challenges: BTreeMap::new(),
            evidence: BTreeMap::new(),
            paid_for: BTreeMap::new(),
            next_id: 0,
        };
        for (order, email) in order_seed::orders(s.clock_start) {
            s.emails.insert(order.id.clone(), email);
            s.orders.insert(order.id.clone(), order);
        }
        s
    }
}

/// How the mock behaves: its scenario, how fast its clock runs, and its delay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MockConfig {
    pub scenario: Scenario,
    /// Mock seconds per real second (1 = real time; 3600 = an hour a second).
    pub speed: u32,
    /// Overrides the scenario's delay (0 for tests).
    pub latency_ms: Option<u32>,
}

impl Default for MockConfig {
    fn default() -> Self {
        MockConfig { scenario: Scenario::HappyPath, speed: 1, latency_ms: None }
    }
}

/// The coupons the mock knows.
pub fn coupons() -> Vec<Coupon> {
    vec![
        Coupon { code: "WELCOME10".into(), value: CouponValue::PercentOff(10), min_items_total: None, expires_at: None },
        Coupon {
            code: "SAVE5".into(),
            value: CouponValue::AmountOff(Money::new(500, Currency::USD)),
            min_items_total: Some(Money::new(3000, Currency::USD)),
            expires_at: None,
        },
        Coupon {
            code: "SUMMER25".into(),
            value: CouponValue::PercentOff(25),
            min_items_total: None,
            expires_at: Some(MOCK_EPOCH),
        },
    ]
}

/// Tax by destination, in basis points. A stand-in table: VAT-like rates for a
/// few countries, none elsewhere.
pub fn tax_rate_bp(country: &str) -> u32 {
    match country {
        "DE" => 1900,
        "FR" | "GB" => 2000,
        "ES" | "NL" => 2100,
        "IT" => 2200,
        "PL" => 2300,
        _ => 0,
    }
}

/// What the bank says to a card payment, before any challenge is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CardDecision {
    Authorise,
    Decline(DeclineReason),
    /// 3-D Secure: the shopper must confirm first.
    Challenge,
}

/// Decides a card payment as a payment provider's test mode does: by the
/// scenario first, then by the test card's last four digits (0002 do not
/// honour, 9995 insufficient funds, 0069 expired, 3155 3-D Secure). The mock and
/// the reference server both decide with it.
pub fn decide_card(scenario: Scenario, last4: &str) -> CardDecision {
    if let Some(reason) = scenario.forced_decline() {
        return CardDecision::Decline(reason);
    }
    match last4 {
        "0002" => CardDecision::Decline(DeclineReason::DoNotHonour),
        "9995" => CardDecision::Decline(DeclineReason::InsufficientFunds),
        "0069" => CardDecision::Decline(DeclineReason::CardExpired),
        _ if scenario == Scenario::ThreeDsChallenge || last4 == "3155" => CardDecision::Challenge,
        _ => CardDecision::Authorise,
    }
}

/// The mock's shop window: the seeded catalog behind the scenario's network
/// (its delay, offline, a flaky connection). It is all a first screen (the
/// catalog, a product, the cart) asks of the mock, and it holds no orders, so
/// the app can answer those screens with it while the rest of the mock, with
/// its saved orders, is still downloading ([`MockApi`] is built on one).
pub struct MockShopfront<E: Env> {
    env: E,
    config: MockConfig,
    catalog: RefCell<Catalog>,
    rng: Cell<u64>,
}

impl<E: Env> MockShopfront<E> {
    pub fn new(env: E, config: MockConfig) -> Self {
        let seed = (env.now_ms() as u64) ^ 0x9E37_79B9_7F4A_7C15;
        MockShopfront { env, config, catalog: RefCell::new(catalog_seed::catalog()), rng: Cell::new(seed | 1) }
    }

    /// The catalog, after the scenario's network.
    pub async fn catalog(&self) -> Result<Catalog, ApiError> {
        self.network().await?;
        let catalog = self.catalog.borrow().clone();
        catalog.validate().map_err(|e| ApiError::BadResponse { detail: e.to_string() })?;
        Ok(catalog)
    }

    fn random(&self) -> u64 {
        // xorshift64: enough to decide which calls a flaky network drops.
        let mut x = self.rng.get();
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.rng.set(x);
        x
    }

    /// Latency, then the scenario's network: offline, or flaky before the call.
    async fn network(&self) -> Result<(), ApiError> {
        let latency = self.config.latency_ms.unwrap_or(self.config.scenario.latency_ms());
        if latency > 0 {
            self.env.sleep(latency).await;
        }
        match self.config.scenario {
            Scenario::Offline => Err(ApiError::Offline),
            Scenario::ApiFlaky if self.random() % 100 < 15 => Err(ApiError::Unavailable { retry_after_ms: Some(500) }),
            _ => Ok(()),
        }
    }

    /// A flaky network can also lose the answer after the change was made.
    fn lose_answer(&self) -> bool {
        self.config.scenario == Scenario::ApiFlaky && self.random() % 100 < 10
    }
}

/// The whole mock: the [`MockShopfront`] and the orders, with their saved state.
pub struct MockApi<E: Env> {
    front: MockShopfront<E>,
    state: RefCell<State>,
}

impl<E: Env> MockApi<E> {
    /// The mock over its saved state (or a fresh, seeded one if there is none or
    /// it cannot be read).
    pub fn new(env: E, config: MockConfig) -> Self {
        let wall = env.now_ms();
        let loaded = env.load().and_then(|raw| serde_json::from_str::<State>(&raw).ok()).filter(|s| s.version == STATE_VERSION);
        let fresh = loaded.is_none();
        let mut state = loaded.unwrap_or_else(|| State::fresh(wall, config.speed));
        let reanchored = state.speed != config.speed;
        if reanchored {
            // A new speed starts from the time reached so far, never jumps.
            state.clock_start = mock_time(&state, wall);
            state.wall_start_ms = wall;
            state.skipped = 0;
            state.speed = config.speed;
        }
        let api = MockApi { front: MockShopfront::new(env, config), state: RefCell::new(state) };
        if fresh || reanchored {
            // Kept at once: the next load must go on from this clock, since
            // reads save only what moved.
            api.save();
        }
        api
    }

    pub fn config(&self) -> MockConfig {
        self.front.config
    }

    /// The seeded catalog, for tests and the preview gallery.
    pub fn seed_catalog() -> Catalog {
        catalog_seed::catalog()
    }

    /// Changes the catalog the mock serves (a product withdrawn, stock sold).
    pub fn edit_catalog(&self, edit: impl FnOnce(&mut Catalog)) {
        edit(&mut self.front.catalog.borrow_mut());
    }

    /// Forgets every order and starts again from the seeded data.
    pub fn reset(&self) {
        *self.state.borrow_mut() = State::fresh(self.front.env.now_ms(), self.front.config.speed);
        self.save();
    }

    /// Moves the mock clock forward, as if that much time had passed.
    pub fn skip(&self, seconds: i64) {
        self.state.borrow_mut().skipped += seconds.max(0);
        self.save();
    }

    /// The mock clock.
    pub fn mock_now(&self) -> Timestamp {
        mock_time(&self.state.borrow(), self.front.env.now_ms())
    }

    fn save(&self) {
        if let Ok(raw) = serde_json::to_string(&*self.state.borrow()) {
            self.front.env.save(&raw);
        }
    }

    /// Lets every order catch up with the mock clock: scripted seller, carrier
    /// and platform steps, then the rules' own deadlines. Says whether any
    /// order moved, so that reads save the state only when it changed.
    fn advance(&self) -> bool {
        let now = self.mock_now();
        let mut guard = self.state.borrow_mut();
        let s = &mut *guard;
        let mut moved = false;
        for order in s.orders.values_mut() {
            let next = script::run(order, s.scripts.get(&order.id).copied(), self.front.config.scenario, now);
            if next != *order {
                *order = next;
                moved = true;
            }
        }
        moved
    }

    /// Catches up with the clock and keeps the result if anything moved.
    fn advance_and_keep(&self) {
        if self.advance() {
            self.save();
        }
    }

    fn order_ids(&self, n: usize) -> Vec<OrderId> {
        (0..n).map(|_| self.new_id("ord")).map(OrderId).collect()
    }

    fn new_id(&self, prefix: &str) -> String {
        let mut s = self.state.borrow_mut();
        s.next_id += 1;
        format!("{prefix}_{:06}", s.next_id)
    }

    fn make_quote(&self, req: &QuoteRequest) -> Result<Quote, ApiError> {
        let catalog = self.front.catalog.borrow();
        let coupons = coupons();
        let code = req.coupon.as_deref().map(str::trim).filter(|c| !c.is_empty());
        let coupon = code.map(|c| (c, coupons.iter().find(|k| k.code.eq_ignore_ascii_case(c))));
        quote(&req.cart, &catalog, &req.shipping, coupon, tax_rate_bp(&req.country), self.mock_now())
            .map_err(|reason| ApiError::QuoteRefused { reason })
    }

    /// Decides a card payment as a payment provider's test mode does: by the
    /// scenario first, then by the test card's last four digits.
    fn decide(&self, method: &PaymentMethod, orders: &[OrderId], key: &str) -> PaymentOutcome {
        let challenge = |this: &Self| {
            let id = this.new_id("chl");
            let c = Challenge { orders: orders.to_vec(), attempt_key: key.to_owned(), method: method.clone(), answer: None };
            this.state.borrow_mut().challenges.insert(id.clone(), c);
            id
        };
        match method {
            PaymentMethod::Wallet => {
                let id = challenge(self);
                PaymentOutcome::Redirect { url: format!("/pay/wallet?challenge={id}"), return_path: format!("/orders/{}", orders[0].0) }
            }
            PaymentMethod::Card(token) => {
                match decide_card(self.front.config.scenario, &token.last4) {
                    CardDecision::Decline(reason) => PaymentOutcome::Declined { reason },
                    CardDecision::Challenge => PaymentOutcome::ChallengeRequired { challenge_id: challenge(self) },
                    CardDecision::Authorise => PaymentOutcome::Authorised,
                }
            }
        }
    }

    /// Applies a payment outcome to the orders it paid for.
    fn settle(&self, orders: &[OrderId], outcome: &PaymentOutcome, method: &PaymentMethod) {
        let now = self.mock_now();
        let event = match (outcome, method) {
            (PaymentOutcome::Authorised, PaymentMethod::Card(t)) => {
                OrderEvent::PaymentAuthorised { method: PaidWith::Card { brand: t.brand, last4: t.last4.clone() } }
            }
            (PaymentOutcome::Authorised, PaymentMethod::Wallet) => OrderEvent::PaymentAuthorised { method: PaidWith::Wallet },
            (PaymentOutcome::Declined { reason }, _) => OrderEvent::PaymentDeclined { reason: *reason },
            _ => return,
        };
        let mut s = self.state.borrow_mut();
        for id in orders {
            if let Some(o) = s.orders.get(id) {
                if let Ok(next) = apply(o, event.clone(), now) {
                    s.orders.insert(id.clone(), next);
                }
            }
        }
    }

    fn pay_orders(&self, key: &str, orders: &[OrderId], method: &PaymentMethod) -> PaymentOutcome {
        if let Some(done) = self.state.borrow().payments.get(key) {
            return done.clone();
        }
        let outcome = self.decide(method, orders, key);
        self.settle(orders, &outcome, method);
        let mut s = self.state.borrow_mut();
        s.payments.insert(key.to_owned(), outcome.clone());
        s.paid_for.insert(key.to_owned(), payment_fingerprint(orders, method));
        outcome
    }

    fn get(&self, id: &OrderId) -> Result<Order, ApiError> {
        self.state.borrow().orders.get(id).cloned().ok_or(ApiError::NotFound)
    }
}

fn mock_time(s: &State, wall_ms: i64) -> Timestamp {
    let elapsed_ms = wall_ms.saturating_sub(s.wall_start_ms).max(0);
    let mock_secs = elapsed_ms.saturating_mul(i64::from(s.speed)) / 1000;
    s.clock_start.plus(mock_secs).plus(s.skipped)
}

fn validate_contact(req: &PlaceOrder) -> Result<(checkout_core::validate::address::Address, String, String), ApiError> {
    let mut fields: Vec<FieldError> = Vec::new();
    let address = address::validate(&req.address).map_err(|e| fields.extend(e)).ok();
    let email = contact::email(&req.email).map_err(|e| fields.push(e)).ok();
    let phone = contact::phone(&req.phone, &req.address.country).map_err(|e| fields.push(e)).ok();
    match (address, email, phone) {
        (Some(a), Some(e), Some(p)) => Ok((a, e, p)),
        _ => Err(ApiError::Invalid { fields }),
    }
}

#[async_trait(?Send)]
impl<E: Env> OrderApi for MockApi<E> {
    async fn catalog(&self) -> Result<Catalog, ApiError> {
        self.front.catalog().await
    }

    async fn quote(&self, request: &QuoteRequest) -> Result<Quote, ApiError> {
        self.front.network().await?;
        self.make_quote(request)
    }

    async fn place_order(&self, request: &PlaceOrder) -> Result<Placement, ApiError> {
        self.front.network().await?;
        self.advance();
        let (address, email, _phone) = validate_contact(request)?;
        let quote = self.make_quote(&request.quote_to_place(&address))?;
        if quote.totals.total != request.expected_total {
            return Err(ApiError::QuoteRefused { reason: QuoteError::PriceChanged { total: quote.totals.total } });
        }
        let now = self.mock_now();
        let placed = self.state.borrow_mut().ledger.place(&request.idempotency_key, &quote, &address, now);
        let (made, new) = placed.map_err(|reason| ApiError::Conflict { reason })?;
        let ids: Vec<OrderId> = if new {
            // The ledger numbers orders; the mock keeps them under its own ids too.
            let ids = self.order_ids(made.len());
            let mut s = self.state.borrow_mut();
            for (mut order, id) in made.into_iter().zip(&ids) {
                order.id = id.clone();
                s.emails.insert(id.clone(), email.clone());
                s.scripts.insert(id.clone(), self.front.config.scenario);
                s.orders.insert(id.clone(), order);
            }
            ids
        } else {
            let s = self.state.borrow();
            let numbers: Vec<&str> = made.iter().map(|o| o.number.as_str()).collect();
            s.orders.values().filter(|o| numbers.contains(&o.number.as_str())).map(|o| o.id.clone()).collect()
        };
        let payment = self.pay_orders(&request.idempotency_key, &ids, &request.payment);
        self.save();
        if self.front.lose_answer() {
            return Err(ApiError::TimedOut);
        }
        let s = self.state.borrow();
        let orders = ids.iter().filter_map(|id| s.orders.get(id).cloned()).collect();
        Ok(Placement { orders, payment })
    }

    async fn pay(&self, request: &PayAgain) -> Result<PaymentOutcome, ApiError> {
        self.front.network().await?;
        self.advance();
        if request.order_ids.is_empty() {
            return Err(ApiError::NotFound);
        }
        let wanted = payment_fingerprint(&request.order_ids, &request.payment);
        if self.state.borrow().paid_for.get(&request.idempotency_key).is_some_and(|paid| *paid != wanted) {
            return Err(ApiError::Conflict { reason: checkout_core::checkout::PlaceError::KeyReusedForOtherPayment });
        }
        let retried = self.state.borrow().payments.contains_key(&request.idempotency_key);
        if !retried {
            for id in &request.order_ids {
                self.get(id)?.may(BuyerActionKind::Pay, self.mock_now())?;
            }
        }
        let outcome = self.pay_orders(&request.idempotency_key, &request.order_ids, &request.payment);
        self.save();
        if self.front.lose_answer() {
            return Err(ApiError::TimedOut);
        }
        Ok(outcome)
    }

    async fn confirm_challenge(&self, challenge_id: &str, approved: bool) -> Result<PaymentOutcome, ApiError> {
        self.front.network().await?;
        self.advance();
        let challenge = self.state.borrow().challenges.get(challenge_id).cloned().ok_or(ApiError::NotFound)?;
        if let Some(answer) = challenge.answer {
            return Ok(answer);
        }
        // Giving up leaves the orders awaiting payment, to be paid again.
        let outcome = if approved { PaymentOutcome::Authorised } else { PaymentOutcome::Declined { reason: DeclineReason::DoNotHonour } };
        if approved {
            self.settle(&challenge.orders, &outcome, &challenge.method);
        }
        {
            let mut s = self.state.borrow_mut();
            s.payments.insert(challenge.attempt_key.clone(), outcome.clone());
            if let Some(c) = s.challenges.get_mut(challenge_id) {
                c.answer = Some(outcome.clone());
            }
        }
        self.save();
        Ok(outcome)
    }

    async fn orders(&self) -> Result<Vec<Order>, ApiError> {
        self.front.network().await?;
        self.advance_and_keep();
        let mut all: Vec<Order> = self.state.borrow().orders.values().cloned().collect();
        all.sort_by(|a, b| b.placed_at.cmp(&a.placed_at).then(b.id.cmp(&a.id)));
        Ok(all)
    }

    async fn order(&self, id: &OrderId) -> Result<Order, ApiError> {
        self.front.network().await?;
        self.advance_and_keep();
        self.get(id)
    }

    async fn track(&self, number: &str, email: &str) -> Result<Order, ApiError> {
        self.front.network().await?;
        self.advance_and_keep();
        let s = self.state.borrow();
        let email = email.trim().to_lowercase();
        s.orders
            .values()
            .find(|o| o.number == number.trim() && s.emails.get(&o.id).is_some_and(|e| e.to_lowercase() == email))
            .cloned()
            .ok_or(ApiError::NotFound)
    }

    async fn act(&self, id: &OrderId, action: BuyerAction) -> Result<Order, ApiError> {
        self.front.network().await?;
        self.advance();
        let order = self.get(id)?;
        let event = {
            let s = self.state.borrow();
            action.into_event(|e| s.evidence.get(e).filter(|(o, _)| o == id).map(|(_, k)| *k))?
        };
        let next = apply(&order, event, self.mock_now())?;
        self.state.borrow_mut().orders.insert(id.clone(), next.clone());
        self.save();
        if self.front.lose_answer() {
            return Err(ApiError::TimedOut);
        }
        Ok(next)
    }

    async fn upload_evidence(&self, order: &OrderId, file: &EvidenceUpload) -> Result<EvidenceRef, ApiError> {
        self.front.network().await?;
        self.get(order)?;
        let checked = EvidenceFile { name: file.name.clone(), bytes: file.bytes, content: sniff(&file.head) };
        let kind = check_file(&checked).map_err(|e| ApiError::EvidenceRefused { problems: vec![e] })?;
        let evidence = EvidenceRef { id: self.new_id("evd"), kind };
        self.state.borrow_mut().evidence.insert(evidence.id.clone(), (order.clone(), kind));
        self.save();
        Ok(evidence)
    }

    async fn now(&self) -> Result<Timestamp, ApiError> {
        Ok(self.mock_now())
    }
}

pub use crate::tokenizer::{CardDetails, MockTokenizer, Tokenizer};
