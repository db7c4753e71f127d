//! The server's state in SQLite and the rules it runs on it: the same as the
//! mock's (checkout-core's quote, order rules and the scenario scripts; the
//! mock's coupons, tax table, catalog and card decisions), with buyers, order
//! ownership and idempotency kept in tables. Every call runs in one
//! transaction; the caller holds the only connection behind a mutex.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use checkout_api::mock::{coupons, decide_card, script, tax_rate_bp, CardDecision, Scenario};
use checkout_api::*;
use checkout_core::catalog::{Catalog, ProductId};
use checkout_core::checkout::{quote, Ledger, PlaceError, Quote, QuoteError};
use checkout_core::evidence::{check_file, sniff, EvidenceFile, EvidenceKind};
use checkout_core::order::{apply, BuyerActionKind, DeclineReason, Order, OrderEvent, OrderId, PaidWith, RuleError};
use checkout_core::time::Timestamp;
use checkout_core::validate::address::Address;
use checkout_core::validate::{address, contact, FieldError};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{de::DeserializeOwned, Serialize};
use sha2::{Digest, Sha256};

/// The schema version this build writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = 2;

const MIGRATIONS: [&str; 2] = [r#"
CREATE TABLE clock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    clock_start INTEGER NOT NULL,
    wall_start_ms INTEGER NOT NULL,
    skipped INTEGER NOT NULL,
    speed INTEGER NOT NULL
);
CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE buyers (
    id INTEGER PRIMARY KEY,
    token_sha256 TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);
CREATE TABLE orders (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    buyer INTEGER NOT NULL REFERENCES buyers(id),
    email TEXT NOT NULL,
    scenario TEXT NOT NULL,
    placed_at INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX orders_by_buyer ON orders (buyer, placed_at);
CREATE TABLE placements (
    buyer INTEGER NOT NULL REFERENCES buyers(id),
    key TEXT NOT NULL,
    body_sha256 TEXT NOT NULL,
    answer TEXT NOT NULL,
    PRIMARY KEY (buyer, key)
);
CREATE TABLE payments (
    buyer INTEGER NOT NULL REFERENCES buyers(id),
    key TEXT NOT NULL,
    outcome TEXT NOT NULL,
    PRIMARY KEY (buyer, key)
);
CREATE TABLE challenges (
    id TEXT PRIMARY KEY,
    buyer INTEGER NOT NULL REFERENCES buyers(id),
    orders TEXT NOT NULL,
    attempt_key TEXT NOT NULL,
    method TEXT NOT NULL,
    answer TEXT
);
CREATE TABLE evidence (
    id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL REFERENCES orders(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
"#,
// What each payment key paid for: a key reused for other orders is refused.
r#"
ALTER TABLE payments ADD COLUMN paid_for TEXT NOT NULL DEFAULT '';
"#];

/// Why a call failed: a contract error, or the database.
#[derive(Debug)]
pub enum Fail {
    Api(ApiError),
    /// The request is not what the contract accepts (400 `bad_request`).
    BadRequest(String),
    /// The database is busy (503 with Retry-After).
    Busy,
    /// Anything else the database said (500).
    Db(String),
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

impl From<rusqlite::Error> for Fail {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => Fail::Busy,
            _ => Fail::Db(e.to_string()),
        }
    }
}

impl From<serde_json::Error> for Fail {
    fn from(e: serde_json::Error) -> Self {
        Fail::Db(format!("stored JSON: {e}"))
    }
}

pub type Result<T> = std::result::Result<T, Fail>;

/// A buyer, known by the token they were given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BuyerId(pub i64);

/// The server clock: `clock_start` + (wall ms − `wall_start_ms`) × `speed` / 1000
/// + `skipped`, as the mock's, so a faster clock and skips work the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Clock {
    clock_start: i64,
    wall_start_ms: i64,
    skipped: i64,
    speed: u32,
}

impl Clock {
    fn at(&self, wall_ms: i64) -> Timestamp {
        let elapsed_ms = wall_ms.saturating_sub(self.wall_start_ms).max(0);
        Timestamp(self.clock_start).plus(elapsed_ms.saturating_mul(i64::from(self.speed)) / 1000).plus(self.skipped)
    }
}

pub fn wall_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// `bytes` of randomness from the system, as url-safe text.
/// An order number as shoppers quote it: 13 digits, the first an 8, the rest
/// random, so that one number tells nothing of another.
pub fn random_order_number() -> String {
    let mut buf = [0u8; 8];
    getrandom::fill(&mut buf).expect("the system has no random source");
    format!("8{:012}", u64::from_le_bytes(buf) % 1_000_000_000_000)
}

pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).expect("the system has no random source");
    base64(&buf, URL_SAFE, false)
}

pub(crate) const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64 in the given alphabet, with or without `=` padding.
pub(crate) fn base64(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(alphabet[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
        if pad {
            for _ in chunk.len()..3 {
                out.push('=');
            }
        }
    }
    out
}

pub(crate) fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

fn json<T: Serialize>(value: &T) -> Result<String> {
    Ok(serde_json::to_string(value)?)
}

fn parse<T: DeserializeOwned>(raw: &str) -> Result<T> {
    Ok(serde_json::from_str(raw)?)
}

pub struct Store {
    conn: Connection,
    rules: Rules,
    catalog: Catalog,
}

/// The clock and the scenario: what the rules need besides the database.
#[derive(Clone, Copy, Debug)]
struct Rules {
    clock: Clock,
    scenario: Scenario,
}

struct Challenge {
    buyer: i64,
    orders: Vec<OrderId>,
    attempt_key: String,
    method: PaymentMethod,
    answer: Option<PaymentOutcome>,
}

impl Store {
    /// Opens (or creates) the database at `path` and brings its schema up to
    /// date. `speed` is the clock's; `start` is where a fresh database's clock
    /// starts (the wall clock if none).
    pub fn open(path: &Path, scenario: Scenario, speed: u32, start: Option<Timestamp>) -> Result<Store> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(2))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(Fail::Db(format!("database schema {version} is newer than this server's {SCHEMA_VERSION}")));
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = conn.unchecked_transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", i as i64 + 1)?;
            tx.commit()?;
        }
        let speed = speed.max(1);
        let wall = wall_ms();
        let stored = conn
            .query_row("SELECT clock_start, wall_start_ms, skipped, speed FROM clock WHERE id = 1", [], |r| {
                Ok(Clock { clock_start: r.get(0)?, wall_start_ms: r.get(1)?, skipped: r.get(2)?, speed: r.get(3)? })
            })
            .optional()?;
        let clock = match stored {
            Some(c) if c.speed == speed => c,
            // A new speed starts from the time reached so far, never jumps.
            Some(c) => Clock { clock_start: c.at(wall).0, wall_start_ms: wall, skipped: 0, speed },
            None => Clock { clock_start: start.map_or(wall / 1000, |t| t.0), wall_start_ms: wall, skipped: 0, speed },
        };
        let catalog = checkout_api::mock::MockApi::<NoEnv>::seed_catalog();
        let mut store = Store { conn, rules: Rules { clock, scenario }, catalog };
        store.save_clock()?;
        Ok(store)
    }

    fn save_clock(&mut self) -> Result<()> {
        let c = self.rules.clock;
        self.conn.execute(
            "INSERT INTO clock (id, clock_start, wall_start_ms, skipped, speed) VALUES (1, ?1, ?2, ?3, ?4)
             ON CONFLICT (id) DO UPDATE SET clock_start = ?1, wall_start_ms = ?2, skipped = ?3, speed = ?4",
            params![c.clock_start, c.wall_start_ms, c.skipped, c.speed],
        )?;
        Ok(())
    }

    pub fn now(&self) -> Timestamp {
        self.rules.now()
    }

    /// Moves the clock forward (the `--dev` skip).
    pub fn skip(&mut self, seconds: i64) -> Result<Timestamp> {
        self.rules.clock.skipped = self.rules.clock.skipped.saturating_add(seconds.max(0));
        self.save_clock()?;
        Ok(self.now())
    }

    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    pub fn product(&self, id: &ProductId) -> Result<ProductDetail> {
        let product = self.catalog.product(id).cloned().ok_or(ApiError::NotFound)?;
        let seller = self.catalog.seller(&product.seller_id).cloned().ok_or(ApiError::NotFound)?;
        Ok(ProductDetail { product, seller })
    }

    pub fn quote(&self, req: &QuoteRequest) -> Result<Quote> {
        make_quote(&self.catalog, self.now(), req)
    }

    // ---- buyers ----

    /// A new buyer and their token (only its hash is kept).
    pub fn new_buyer(&mut self) -> Result<String> {
        let token = random_token(24);
        self.conn.execute(
            "INSERT INTO buyers (token_sha256, created_at) VALUES (?1, ?2)",
            params![sha256_hex(token.as_bytes()), self.now().0],
        )?;
        Ok(token)
    }

    pub fn buyer(&self, token: &str) -> Result<Option<BuyerId>> {
        if token.is_empty() || token.len() > 128 {
            return Ok(None);
        }
        Ok(self
            .conn
            .query_row("SELECT id FROM buyers WHERE token_sha256 = ?1", [sha256_hex(token.as_bytes())], |r| r.get(0))
            .optional()?
            .map(BuyerId))
    }

    // ---- orders ----

    /// A random order number no order has yet.
    fn new_number(tx: &Transaction) -> Result<String> {
        loop {
            let number = random_order_number();
            let taken: Option<i64> =
                tx.query_row("SELECT 1 FROM orders WHERE number = ?1", [&number], |r| r.get(0)).optional()?;
            if taken.is_none() {
                return Ok(number);
            }
        }
    }

    fn next(tx: &Transaction, name: &str) -> Result<i64> {
        Ok(tx.query_row(
            "INSERT INTO counters (name, value) VALUES (?1, 1)
             ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value",
            [name],
            |r| r.get(0),
        )?)
    }

    fn load_order(tx: &Transaction, buyer: Option<BuyerId>, id: &OrderId) -> Result<(Order, Scenario)> {
        let row: Option<(String, String, i64)> = tx
            .query_row("SELECT body, scenario, buyer FROM orders WHERE id = ?1", [&id.0], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        match row {
            Some((body, scenario, owner)) if buyer.is_none_or(|b| b.0 == owner) => {
                Ok((parse(&body)?, Scenario::from_slug(&scenario).unwrap_or_default()))
            }
            // Another buyer's order does not exist for this one.
            _ => Err(ApiError::NotFound.into()),
        }
    }

    fn save_order(tx: &Transaction, order: &Order) -> Result<()> {
        tx.execute("UPDATE orders SET body = ?2 WHERE id = ?1", params![order.id.0, json(order)?])?;
        Ok(())
    }

    pub fn orders(&mut self, buyer: BuyerId) -> Result<Vec<Order>> {
        let tx = self.conn.transaction()?;
        let ids: Vec<String> = {
            let mut stmt = tx.prepare("SELECT id FROM orders WHERE buyer = ?1")?;
            let rows = stmt.query_map([buyer.0], |r| r.get(0))?;
            rows.collect::<std::result::Result<_, _>>()?
        };
        let mut all = Vec::with_capacity(ids.len());
        for id in ids {
            all.push(self.rules.advanced(&tx, Some(buyer), &OrderId(id))?);
        }
        tx.commit()?;
        all.sort_by(|a, b| b.placed_at.cmp(&a.placed_at).then(b.id.cmp(&a.id)));
        Ok(all)
    }

    pub fn order(&mut self, buyer: BuyerId, id: &OrderId) -> Result<Order> {
        let tx = self.conn.transaction()?;
        let order = self.rules.advanced(&tx, Some(buyer), id)?;
        tx.commit()?;
        Ok(order)
    }

    pub fn track(&mut self, number: &str, email: &str) -> Result<Order> {
        let email = email.trim().to_lowercase();
        let tx = self.conn.transaction()?;
        let row: Option<(String, String)> = tx
            .query_row("SELECT id, email FROM orders WHERE number = ?1", [number.trim()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let id = match row {
            Some((id, stored)) if stored.to_lowercase() == email => OrderId(id),
            _ => return Err(ApiError::NotFound.into()),
        };
        let order = self.rules.advanced(&tx, None, &id)?;
        tx.commit()?;
        Ok(order)
    }

    pub fn act(&mut self, buyer: BuyerId, id: &OrderId, action: BuyerAction) -> Result<Order> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        let order = self.rules.advanced(&tx, Some(buyer), id)?;
        // Files are named by id: only this order's uploads count, with the
        // kind read from their content when they came in.
        let mut kinds = tx.prepare("SELECT id, kind FROM evidence WHERE order_id = ?1")?;
        let uploaded: Vec<(String, String)> =
            kinds.query_map([&id.0], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        drop(kinds);
        let event = action.into_event(|e| {
            uploaded.iter().find(|(u, _)| u == e).and_then(|(_, mime)| EvidenceKind::from_mime(mime))
        })?;
        let next = apply(&order, event, now)?;
        Self::save_order(&tx, &next)?;
        tx.commit()?;
        Ok(next)
    }

    pub fn upload_evidence(&mut self, buyer: BuyerId, id: &OrderId, file: &EvidenceUpload) -> Result<EvidenceRef> {
        let now = self.now();
        let tx = self.conn.transaction()?;
        Self::load_order(&tx, Some(buyer), id)?;
        let checked = EvidenceFile { name: file.name.clone(), bytes: file.bytes, content: sniff(&file.head) };
        let kind = check_file(&checked).map_err(|e| ApiError::EvidenceRefused { problems: vec![e] })?;
        let evidence = EvidenceRef { id: format!("evd_{}", random_token(12)), kind };
        tx.execute(
            "INSERT INTO evidence (id, order_id, kind, name, bytes, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![evidence.id, id.0, kind.mime(), file.name, file.bytes as i64, now.0],
        )?;
        tx.commit()?;
        Ok(evidence)
    }

    // ---- placing and paying ----

    /// Places the checkout: one order per seller, paid by one payment. The same
    /// key with the same body gives the orders as they are now and the payment's
    /// outcome (`false`: a replay); with another body, `Conflict`.
    pub fn place(&mut self, buyer: BuyerId, req: &PlaceOrder) -> Result<(Placement, bool)> {
        let now = self.now();
        let body_hash = sha256_hex(json(req)?.as_bytes());
        let tx = self.conn.transaction()?;
        let known: Option<(String, String)> = tx
            .query_row(
                "SELECT body_sha256, answer FROM placements WHERE buyer = ?1 AND key = ?2",
                params![buyer.0, req.idempotency_key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((hash, answer)) = known {
            if hash != body_hash {
                return Err(ApiError::Conflict { reason: PlaceError::KeyReusedWithDifferentQuote }.into());
            }
            let first: Placement = parse(&answer)?;
            let mut orders = Vec::with_capacity(first.orders.len());
            for o in &first.orders {
                orders.push(self.rules.advanced(&tx, Some(buyer), &o.id)?);
            }
            let payment = Self::payment(&tx, buyer, &req.idempotency_key)?.map_or(first.payment, |(outcome, _)| outcome);
            tx.commit()?;
            return Ok((Placement { orders, payment }, false));
        }

        let (address, email) = validate_contact(req)?;
        let quote = make_quote(&self.catalog, now, &req.quote_to_place(&address))?;
        if quote.totals.total != req.expected_total {
            return Err(ApiError::QuoteRefused { reason: QuoteError::PriceChanged { total: quote.totals.total } }.into());
        }
        // The core makes the orders (and refuses a key that is not a UUID);
        // the server gives them its own ids and numbers.
        let (made, _) = Ledger::default()
            .place(&req.idempotency_key, &quote, &address, now)
            .map_err(|reason| ApiError::Conflict { reason })?;
        let mut ids = Vec::with_capacity(made.len());
        for mut order in made {
            let n = Self::next(&tx, "order")?;
            order.id = OrderId(format!("ord_{n:08}"));
            order.number = Self::new_number(&tx)?;
            tx.execute(
                "INSERT INTO orders (id, number, buyer, email, scenario, placed_at, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![order.id.0, order.number, buyer.0, email, self.rules.scenario.slug(), order.placed_at.0, json(&order)?],
            )?;
            ids.push(order.id.clone());
        }
        let payment = self.rules.pay_orders(&tx, buyer, &req.idempotency_key, &ids, &req.payment)?;
        let mut orders = Vec::with_capacity(ids.len());
        for id in &ids {
            orders.push(Self::load_order(&tx, Some(buyer), id)?.0);
        }
        let placement = Placement { orders, payment };
        tx.execute(
            "INSERT INTO placements (buyer, key, body_sha256, answer) VALUES (?1, ?2, ?3, ?4)",
            params![buyer.0, req.idempotency_key, body_hash, json(&placement)?],
        )?;
        tx.commit()?;
        Ok((placement, true))
    }

    pub fn pay(&mut self, buyer: BuyerId, req: &PayAgain) -> Result<PaymentOutcome> {
        if req.order_ids.is_empty() {
            return Err(ApiError::NotFound.into());
        }
        let now = self.now();
        let tx = self.conn.transaction()?;
        if let Some((done, paid_for)) = Self::payment(&tx, buyer, &req.idempotency_key)? {
            // The same attempt again gets its answer; the key with other
            // orders or another card is refused, never given that answer.
            if !paid_for.is_empty() && paid_for != payment_fingerprint(&req.order_ids, &req.payment) {
                return Err(ApiError::Conflict { reason: PlaceError::KeyReusedForOtherPayment }.into());
            }
            return Ok(done);
        }
        for id in &req.order_ids {
            self.rules.advanced(&tx, Some(buyer), id)?.may(BuyerActionKind::Pay, now).map_err(ApiError::from)?;
        }
        let outcome = self.rules.pay_orders(&tx, buyer, &req.idempotency_key, &req.order_ids, &req.payment)?;
        tx.commit()?;
        Ok(outcome)
    }

    pub fn confirm_challenge(&mut self, buyer: BuyerId, id: &str, approved: bool) -> Result<PaymentOutcome> {
        let tx = self.conn.transaction()?;
        let c = Self::challenge(&tx, id)?.filter(|c| c.buyer == buyer.0).ok_or(ApiError::NotFound)?;
        if let Some(answer) = c.answer {
            return Ok(answer);
        }
        // Giving up leaves the orders awaiting payment, to be paid again.
        let outcome =
            if approved { PaymentOutcome::Authorised } else { PaymentOutcome::Declined { reason: DeclineReason::DoNotHonour } };
        if approved {
            self.rules.settle(&tx, buyer, &c.orders, &outcome, &c.method)?;
        }
        tx.execute(
            "INSERT INTO payments (buyer, key, outcome) VALUES (?1, ?2, ?3)
             ON CONFLICT (buyer, key) DO UPDATE SET outcome = ?3",
            params![buyer.0, c.attempt_key, json(&outcome)?],
        )?;
        tx.execute("UPDATE challenges SET answer = ?2 WHERE id = ?1", params![id, json(&outcome)?])?;
        tx.commit()?;
        Ok(outcome)
    }

    /// A key's outcome and what it paid for (empty for a key paid before
    /// that was kept).
    fn payment(tx: &Transaction, buyer: BuyerId, key: &str) -> Result<Option<(PaymentOutcome, String)>> {
        let raw: Option<(String, String)> = tx
            .query_row("SELECT outcome, paid_for FROM payments WHERE buyer = ?1 AND key = ?2", params![buyer.0, key], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        raw.map(|(outcome, paid_for)| Ok((parse(&outcome)?, paid_for))).transpose()
    }

    fn challenge(tx: &Transaction, id: &str) -> Result<Option<Challenge>> {
        let row: Option<(i64, String, String, String, Option<String>)> = tx
            .query_row("SELECT buyer, orders, attempt_key, method, answer FROM challenges WHERE id = ?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .optional()?;
        row.map(|(buyer, orders, attempt_key, method, answer)| {
            Ok(Challenge {
                buyer,
                orders: parse(&orders)?,
                attempt_key,
                method: parse(&method)?,
                answer: answer.map(|a| parse(&a)).transpose()?,
            })
        })
        .transpose()
    }
}

impl Rules {
    fn now(&self) -> Timestamp {
        self.clock.at(wall_ms())
    }

    /// The order caught up with the clock: the scenario's steps that fell due,
    /// then the rules' deadlines (as the mock's `advance`), saved if it moved.
    fn advanced(&self, tx: &Transaction, buyer: Option<BuyerId>, id: &OrderId) -> Result<Order> {
        let (order, scenario) = Store::load_order(tx, buyer, id)?;
        let next = script::run(&order, Some(scenario), self.scenario, self.now());
        if next != order {
            Store::save_order(tx, &next)?;
        }
        Ok(next)
    }

    fn new_challenge(
        &self,
        tx: &Transaction,
        buyer: BuyerId,
        orders: &[OrderId],
        key: &str,
        method: &PaymentMethod,
    ) -> Result<String> {
        let id = format!("chl_{}", random_token(12));
        tx.execute(
            "INSERT INTO challenges (id, buyer, orders, attempt_key, method) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, buyer.0, json(&orders)?, key, json(method)?],
        )?;
        Ok(id)
    }

    /// Decides the payment as the mock does, applies it, and records it under its key.
    fn pay_orders(
        &self,
        tx: &Transaction,
        buyer: BuyerId,
        key: &str,
        orders: &[OrderId],
        method: &PaymentMethod,
    ) -> Result<PaymentOutcome> {
        let outcome = match method {
            PaymentMethod::Wallet => {
                let id = self.new_challenge(tx, buyer, orders, key, method)?;
                PaymentOutcome::Redirect {
                    url: format!("/pay/wallet?challenge={id}"),
                    return_path: format!("/orders/{}", orders[0].0),
                }
            }
            PaymentMethod::Card(token) => match decide_card(self.scenario, &token.last4) {
                CardDecision::Decline(reason) => PaymentOutcome::Declined { reason },
                CardDecision::Challenge => {
                    PaymentOutcome::ChallengeRequired { challenge_id: self.new_challenge(tx, buyer, orders, key, method)? }
                }
                CardDecision::Authorise => PaymentOutcome::Authorised,
            },
        };
        self.settle(tx, buyer, orders, &outcome, method)?;
        tx.execute(
            "INSERT INTO payments (buyer, key, outcome, paid_for) VALUES (?1, ?2, ?3, ?4)",
            params![buyer.0, key, json(&outcome)?, payment_fingerprint(orders, method)],
        )?;
        Ok(outcome)
    }

    /// Applies a payment outcome to the orders it paid for.
    fn settle(
        &self,
        tx: &Transaction,
        buyer: BuyerId,
        orders: &[OrderId],
        outcome: &PaymentOutcome,
        method: &PaymentMethod,
    ) -> Result<()> {
        let event = match (outcome, method) {
            (PaymentOutcome::Authorised, PaymentMethod::Card(t)) => {
                OrderEvent::PaymentAuthorised { method: PaidWith::Card { brand: t.brand, last4: t.last4.clone() } }
            }
            (PaymentOutcome::Authorised, PaymentMethod::Wallet) => OrderEvent::PaymentAuthorised { method: PaidWith::Wallet },
            (PaymentOutcome::Declined { reason }, _) => OrderEvent::PaymentDeclined { reason: *reason },
            _ => return Ok(()),
        };
        let now = self.now();
        for id in orders {
            let (o, _) = Store::load_order(tx, Some(buyer), id)?;
            if let Ok(next) = apply(&o, event.clone(), now) {
                Store::save_order(tx, &next)?;
            }
        }
        Ok(())
    }
}

fn make_quote(catalog: &Catalog, now: Timestamp, req: &QuoteRequest) -> Result<Quote> {
    let coupons = coupons();
    let code = req.coupon.as_deref().map(str::trim).filter(|c| !c.is_empty());
    let coupon = code.map(|c| (c, coupons.iter().find(|k| k.code.eq_ignore_ascii_case(c))));
    quote(&req.cart, catalog, &req.shipping, coupon, tax_rate_bp(&req.country), now)
        .map_err(|reason| Fail::Api(ApiError::QuoteRefused { reason }))
}

/// The contact details checked field by field, as the mock checks them.
fn validate_contact(req: &PlaceOrder) -> Result<(Address, String)> {
    let mut fields: Vec<FieldError> = Vec::new();
    let address = address::validate(&req.address).map_err(|e| fields.extend(e)).ok();
    let email = contact::email(&req.email).map_err(|e| fields.push(e)).ok();
    let phone = contact::phone(&req.phone, &req.address.country).map_err(|e| fields.push(e)).ok();
    match (address, email, phone) {
        (Some(a), Some(e), Some(_)) => Ok((a, e)),
        _ => Err(ApiError::Invalid { fields }.into()),
    }
}

/// The mock's catalog is reached through its type; the server needs no Env.
pub(crate) struct NoEnv;

impl checkout_api::mock::Env for NoEnv {
    fn now_ms(&self) -> i64 {
        wall_ms()
    }
    fn sleep(&self, _ms: u32) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()>>> {
        Box::pin(async {})
    }
    fn load(&self) -> Option<String> {
        None
    }
    fn save(&self, _state: &str) {}
}
