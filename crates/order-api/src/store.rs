//! The server's data in SQLite: the order service (`marketplace::service`,
//! the mock's too) runs on it through [`Sql`], one transaction per call,
//! committed only if the call succeeds. Buyers and their tokens are the
//! server's own.

use std::path::Path;
use std::sync::{Mutex, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use checkout_api::*;
use checkout_core::catalog::{Catalog, ProductId};
use checkout_core::checkout::Quote;
use checkout_core::evidence::EvidenceFile;
use checkout_core::order::{Order, OrderId, OrdersTab, TrackedOrder, ORDERS_PAGE_SIZE};
use checkout_core::time::Timestamp;
use marketplace::clock::Clock;
use marketplace::provider::{ProviderBook, SimulatedProvider};
use marketplace::service::{
    BuyerId, ChallengeRecord, EvidenceRecord, KeptOrder, PaymentRecord, PlacementRecord, Service, Storage,
};
use marketplace::Scenario;
use r2d2::{Pool, PooledConnection};
use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
use serde::{de::DeserializeOwned, Serialize};
use sha2::{Digest, Sha256};

pub use marketplace::service::Fail;

/// The schema version this build writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = 6;
const MIGRATIONS: [&str; 6] = [r#"
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
"#,
// The simulated payment provider's book: what the shopper answered on its
// challenge page. Only the provider's endpoint writes it.
r#"
CREATE TABLE provider_answers (
    challenge_id TEXT PRIMARY KEY REFERENCES challenges(id),
    approved INTEGER NOT NULL
);
"#,
// Tokens expire after a while unused and can be revoked. Times are the
// wall clock's seconds (never the service clock, which a --dev skip moves).
r#"
ALTER TABLE buyers ADD COLUMN last_seen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE buyers ADD COLUMN revoked INTEGER NOT NULL DEFAULT 0;
UPDATE buyers SET last_seen = CAST(strftime('%s', 'now') AS INTEGER);
"#,
// Which placed checkout of which buyer used which coupon (for per-buyer limits).
r#"
CREATE TABLE coupon_uses (
    buyer INTEGER NOT NULL REFERENCES buyers(id),
    code TEXT NOT NULL,
    key TEXT NOT NULL,
    PRIMARY KEY (buyer, key)
);
CREATE INDEX coupon_uses_by_code ON coupon_uses (buyer, code);
"#,
// What a list read needs without opening every order: when each order next
// changes by itself (NULL: never), and the tabs that hold it (bits of
// `OrdersTab::mask`; every order is in "all", so 0 means not yet written;
// `Store::open` writes them for the orders already there).
r#"
ALTER TABLE orders ADD COLUMN wake_at INTEGER;
ALTER TABLE orders ADD COLUMN tabs INTEGER NOT NULL DEFAULT 0;
CREATE INDEX orders_due ON orders (buyer, wake_at);
"#];


pub type Result<T> = std::result::Result<T, Fail>;

/// Writes the wake time and tabs of orders kept before schema 6 (`tabs` 0),
/// once, when the database is brought to it.
fn fill_order_index(conn: &Connection, session: Scenario) -> Result<()> {
    let tx = conn.unchecked_transaction().map_err(db)?;
    {
        let mut read = tx.prepare("SELECT body, scenario FROM orders WHERE tabs = 0").map_err(db)?;
        let rows = read.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))).map_err(db)?;
        let mut write = tx.prepare("UPDATE orders SET wake_at = ?2, tabs = ?3 WHERE id = ?1").map_err(db)?;
        for row in rows {
            let (body, scenario) = row.map_err(db)?;
            let order: Order = parse(&body)?;
            let wake_at = marketplace::script::wake_at(&order, Scenario::from_slug(&scenario), session);
            write.execute(params![order.id.0, wake_at.map(|t| t.0), OrdersTab::mask(&order)]).map_err(db)?;
        }
    }
    tx.commit().map_err(db)
}

/// What SQLite said, as the service's failure: busy (503, try again) or anything else.
fn db(e: rusqlite::Error) -> Fail {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => Fail::Busy,
        _ => Fail::Storage(e.to_string()),
    }
}

pub fn wall_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// An order number as shoppers quote it: 13 digits, the first an 8, the rest
/// random, so that one number tells nothing of another.
pub fn random_order_number() -> String {
    let mut buf = [0u8; 8];
    getrandom::fill(&mut buf).expect("the system has no random source");
    format!("8{:012}", u64::from_le_bytes(buf) % 1_000_000_000_000)
}

/// `bytes` of randomness from the system, as url-safe text.
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
    serde_json::to_string(value).map_err(|e| Fail::Storage(format!("JSON: {e}")))
}

fn parse<T: DeserializeOwned>(raw: &str) -> Result<T> {
    serde_json::from_str(raw).map_err(|e| Fail::Storage(format!("stored JSON: {e}")))
}


/// The service's storage inside one SQLite transaction.
pub struct Sql<'c>(Transaction<'c>);

fn scenario_slug(s: Option<Scenario>) -> &'static str {
    s.map_or("", Scenario::slug)
}

impl ProviderBook for Sql<'_> {
    type Error = Fail;
    fn challenge_answer(&mut self, challenge_id: &str) -> Result<Option<bool>> {
        self.0
            .query_row("SELECT approved FROM provider_answers WHERE challenge_id = ?1", [challenge_id], |r| r.get(0))
            .optional()
            .map_err(db)
    }
    fn record_challenge_answer(&mut self, challenge_id: &str, approved: bool) -> Result<()> {
        self.0
            .execute("INSERT INTO provider_answers (challenge_id, approved) VALUES (?1, ?2)", params![challenge_id, approved])
            .map_err(db)?;
        Ok(())
    }
}

impl Storage for Sql<'_> {
    fn order(&mut self, id: &OrderId) -> Result<Option<KeptOrder>> {
        let row: Option<(String, i64, String, String)> = self
            .0
            .query_row("SELECT body, buyer, email, scenario FROM orders WHERE id = ?1", [&id.0], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()
            .map_err(db)?;
        row.map(|(body, buyer, email, scenario)| {
            Ok(KeptOrder { order: parse(&body)?, buyer: BuyerId(buyer), email, scenario: Scenario::from_slug(&scenario) })
        })
        .transpose()
    }

    fn due_order_ids_of(&mut self, buyer: BuyerId, now: Timestamp) -> Result<Vec<OrderId>> {
        let mut stmt = self.0.prepare_cached("SELECT id FROM orders WHERE buyer = ?1 AND wake_at <= ?2").map_err(db)?;
        let rows = stmt.query_map(params![buyer.0, now.0], |r| r.get(0).map(OrderId)).map_err(db)?;
        rows.collect::<rusqlite::Result<_>>().map_err(db)
    }

    fn orders_page(&mut self, buyer: BuyerId, tab: OrdersTab, page: usize) -> Result<(Vec<Order>, usize, usize)> {
        let held: i64 = self
            .0
            .prepare_cached("SELECT COUNT(*) FROM orders WHERE buyer = ?1 AND tabs & ?2 != 0")
            .and_then(|mut s| s.query_row(params![buyer.0, tab.bit()], |r| r.get(0)))
            .map_err(db)?;
        let (page, pages) = OrdersTab::clamp_page(held as usize, page);
        let mut stmt = self
            .0
            .prepare_cached(
                "SELECT body FROM orders WHERE buyer = ?1 AND tabs & ?2 != 0
                 ORDER BY placed_at DESC, id DESC LIMIT ?3 OFFSET ?4",
            )
            .map_err(db)?;
        let offset = (page - 1) * ORDERS_PAGE_SIZE;
        let rows = stmt
            .query_map(params![buyer.0, tab.bit(), ORDERS_PAGE_SIZE as i64, offset as i64], |r| r.get::<_, String>(0))
            .map_err(db)?;
        let orders = rows.map(|body| parse(&body.map_err(db)?)).collect::<Result<Vec<Order>>>()?;
        Ok((orders, page, pages))
    }

    fn order_by_number(&mut self, number: &str) -> Result<Option<OrderId>> {
        self.0.query_row("SELECT id FROM orders WHERE number = ?1", [number], |r| r.get(0).map(OrderId)).optional().map_err(db)
    }

    fn insert_order(&mut self, kept: &KeptOrder, wake_at: Option<Timestamp>) -> Result<()> {
        let o = &kept.order;
        self.0
            .execute(
                "INSERT INTO orders (id, number, buyer, email, scenario, placed_at, body, wake_at, tabs)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    o.id.0,
                    o.number,
                    kept.buyer.0,
                    kept.email,
                    scenario_slug(kept.scenario),
                    o.placed_at.0,
                    json(o)?,
                    wake_at.map(|t| t.0),
                    OrdersTab::mask(o)
                ],
            )
            .map_err(db)?;
        Ok(())
    }

    fn update_order(&mut self, order: &Order, wake_at: Option<Timestamp>) -> Result<()> {
        self.0
            .execute(
                "UPDATE orders SET body = ?2, wake_at = ?3, tabs = ?4 WHERE id = ?1",
                params![order.id.0, json(order)?, wake_at.map(|t| t.0), OrdersTab::mask(order)],
            )
            .map_err(db)?;
        Ok(())
    }

    fn new_order_id(&mut self) -> Result<OrderId> {
        let n: i64 = self
            .0
            .query_row(
                "INSERT INTO counters (name, value) VALUES ('order', 1)
                 ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value",
                [],
                |r| r.get(0),
            )
            .map_err(db)?;
        Ok(OrderId(format!("ord_{n:08}")))
    }

    /// Random, so that one number tells nothing of another (tracking is open
    /// to anyone with a number and its email).
    fn new_order_number(&mut self) -> Result<String> {
        loop {
            let number = random_order_number();
            if self.order_by_number(&number)?.is_none() {
                return Ok(number);
            }
        }
    }

    fn new_id(&mut self, prefix: &str) -> Result<String> {
        Ok(format!("{prefix}_{}", random_token(12)))
    }

    fn digest(&self, request: &str) -> String {
        sha256_hex(request.as_bytes())
    }

    fn placement(&mut self, buyer: BuyerId, key: &str) -> Result<Option<PlacementRecord>> {
        let row: Option<(String, String)> = self
            .0
            .query_row("SELECT body_sha256, answer FROM placements WHERE buyer = ?1 AND key = ?2", params![buyer.0, key], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()
            .map_err(db)?;
        row.map(|(request, answer)| Ok(PlacementRecord { request, placement: parse(&answer)? })).transpose()
    }

    fn insert_placement(&mut self, buyer: BuyerId, key: &str, record: &PlacementRecord) -> Result<()> {
        self.0
            .execute(
                "INSERT INTO placements (buyer, key, body_sha256, answer) VALUES (?1, ?2, ?3, ?4)",
                params![buyer.0, key, record.request, json(&record.placement)?],
            )
            .map_err(db)?;
        Ok(())
    }

    fn payment(&mut self, buyer: BuyerId, key: &str) -> Result<Option<PaymentRecord>> {
        let row: Option<(String, String)> = self
            .0
            .query_row("SELECT outcome, paid_for FROM payments WHERE buyer = ?1 AND key = ?2", params![buyer.0, key], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()
            .map_err(db)?;
        row.map(|(outcome, paid_for)| Ok(PaymentRecord { outcome: parse(&outcome)?, paid_for })).transpose()
    }

    fn put_payment(&mut self, buyer: BuyerId, key: &str, record: &PaymentRecord) -> Result<()> {
        self.0
            .execute(
                "INSERT INTO payments (buyer, key, outcome, paid_for) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (buyer, key) DO UPDATE SET outcome = ?3, paid_for = ?4",
                params![buyer.0, key, json(&record.outcome)?, record.paid_for],
            )
            .map_err(db)?;
        Ok(())
    }

    fn challenge(&mut self, id: &str) -> Result<Option<ChallengeRecord>> {
        let row: Option<(i64, String, String, String, Option<String>)> = self
            .0
            .query_row("SELECT buyer, orders, attempt_key, method, answer FROM challenges WHERE id = ?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .optional()
            .map_err(db)?;
        row.map(|(buyer, orders, attempt_key, method, answer)| {
            Ok(ChallengeRecord {
                buyer: BuyerId(buyer),
                orders: parse(&orders)?,
                attempt_key,
                method: parse(&method)?,
                answer: answer.map(|a| parse(&a)).transpose()?,
            })
        })
        .transpose()
    }

    fn put_challenge(&mut self, id: &str, c: &ChallengeRecord) -> Result<()> {
        let answer = c.answer.as_ref().map(json).transpose()?;
        self.0
            .execute(
                "INSERT INTO challenges (id, buyer, orders, attempt_key, method, answer) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (id) DO UPDATE SET answer = ?6",
                params![id, c.buyer.0, json(&c.orders)?, c.attempt_key, json(&c.method)?, answer],
            )
            .map_err(db)?;
        Ok(())
    }

    fn evidence(&mut self, id: &str) -> Result<Option<EvidenceRecord>> {
        let row: Option<(String, String, String, i64)> = self
            .0
            .query_row("SELECT order_id, kind, name, bytes FROM evidence WHERE id = ?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()
            .map_err(db)?;
        Ok(row.and_then(|(order, kind, name, bytes)| {
            let kind = checkout_core::evidence::EvidenceKind::from_mime(&kind)?;
            Some(EvidenceRecord { order: OrderId(order), kind, name, bytes: bytes as u64 })
        }))
    }

    fn coupon_uses(&mut self, buyer: BuyerId, code: &str) -> Result<u32> {
        self.0
            .query_row("SELECT COUNT(*) FROM coupon_uses WHERE buyer = ?1 AND code = ?2", params![buyer.0, code], |r| r.get(0))
            .map_err(db)
    }

    fn record_coupon_use(&mut self, buyer: BuyerId, code: &str, key: &str) -> Result<()> {
        self.0
            .execute("INSERT INTO coupon_uses (buyer, code, key) VALUES (?1, ?2, ?3)", params![buyer.0, code, key])
            .map_err(db)?;
        Ok(())
    }

    fn insert_evidence(&mut self, id: &str, e: &EvidenceRecord, now: Timestamp) -> Result<()> {
        self.0
            .execute(
                "INSERT INTO evidence (id, order_id, kind, name, bytes, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id, e.order.0, e.kind.mime(), e.name, e.bytes as i64, now.0],
            )
            .map_err(db)?;
        Ok(())
    }
}

/// The server's data and the service it runs on it. Every method blocks
/// (SQLite): the routes call them off the async threads. A few connections
/// share the database in WAL mode. Service calls take turns at writing: each
/// is one `BEGIN IMMEDIATE` transaction (so none fails half-way for want of
/// the write lock), queued on `writer` in turn rather than on SQLite's busy
/// handler, which sleeps in growing steps and made the slowest waits
/// hundreds of milliseconds.
pub struct Store {
    pool: Pool<SqliteConnectionManager>,
    writer: Mutex<()>,
    clock: RwLock<Clock>,
    service: Service<SimulatedProvider>,
}

/// A token not used for this long (180 days) names no one any more.
pub const TOKEN_IDLE_SECS: i64 = 180 * 24 * 3600;

/// Connections in the pool: a couple of writers' worth, since SQLite writes
/// one at a time, and readers besides.
const POOL_SIZE: u32 = 4;

impl Store {
    /// Opens (or creates) the database at `path` and brings its schema up to
    /// date. `speed` is the clock's; `start` is where a fresh database's clock
    /// starts (the wall clock if none).
    pub fn open(path: &Path, scenario: Scenario, speed: u32, start: Option<Timestamp>) -> Result<Store> {
        let conn = Connection::open(path).map_err(db)?;
        conn.busy_timeout(Duration::from_secs(5)).map_err(db)?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(db)?;
        conn.pragma_update(None, "foreign_keys", true).map_err(db)?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(db)?;
        if version > SCHEMA_VERSION {
            return Err(Fail::Storage(format!("database schema {version} is newer than this server's {SCHEMA_VERSION}")));
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = conn.unchecked_transaction().map_err(db)?;
            tx.execute_batch(sql).map_err(db)?;
            tx.pragma_update(None, "user_version", i as i64 + 1).map_err(db)?;
            tx.commit().map_err(db)?;
        }
        let wall = wall_ms();
        let stored = conn
            .query_row("SELECT clock_start, wall_start_ms, skipped, speed FROM clock WHERE id = 1", [], |r| {
                Ok(Clock { clock_start: Timestamp(r.get(0)?), wall_start_ms: r.get(1)?, skipped: r.get(2)?, speed: r.get(3)? })
            })
            .optional()
            .map_err(db)?;
        let clock = match stored {
            Some(c) => c.at_speed(speed, wall).unwrap_or(c),
            None => Clock::starting(start.unwrap_or(Timestamp(wall / 1000)), wall, speed),
        };
        save_clock(&conn, &clock)?;
        if version < 6 {
            fill_order_index(&conn, scenario)?;
        }
        drop(conn);
        let manager = SqliteConnectionManager::file(path).with_init(|c| {
            c.busy_timeout(Duration::from_secs(5))?;
            c.pragma_update(None, "foreign_keys", true)?;
            // In WAL mode this loses nothing on a crash of the server, only
            // possibly the last commits on a power cut, for far fewer syncs.
            c.pragma_update(None, "synchronous", "NORMAL")
        });
        let pool = Pool::builder()
            .max_size(POOL_SIZE)
            .connection_timeout(Duration::from_secs(5))
            .build(manager)
            .map_err(|e| Fail::Storage(format!("connection pool: {e}")))?;
        Ok(Store { pool, writer: Mutex::new(()), clock: RwLock::new(clock), service: Service::simulated(scenario) })
    }

    fn conn(&self) -> Result<PooledConnection<SqliteConnectionManager>> {
        // Every connection busy for 5 seconds: the client tries again later.
        self.pool.get().map_err(|_| Fail::Busy)
    }

    fn clock(&self) -> Clock {
        *self.clock.read().unwrap_or_else(|p| p.into_inner())
    }

    pub fn now(&self) -> Timestamp {
        self.clock().at(wall_ms())
    }

    /// Moves the clock forward (the `--dev` skip).
    pub fn skip(&self, seconds: i64) -> Result<Timestamp> {
        let mut clock = self.clock.write().unwrap_or_else(|p| p.into_inner());
        let mut next = *clock;
        next.skip(seconds);
        save_clock(&*self.conn()?, &next)?;
        *clock = next;
        Ok(next.at(wall_ms()))
    }

    pub fn catalog(&self) -> &Catalog {
        &self.service.catalog
    }

    pub fn product(&self, id: &ProductId) -> Result<ProductDetail> {
        Ok(self.service.product(id)?)
    }

    pub fn quote(&self, req: &QuoteRequest) -> Result<Quote> {
        Ok(self.service.quote(req, self.now())?)
    }

    /// Runs one service call in one transaction, committed only if it succeeds.
    fn run<T>(&self, call: impl FnOnce(&Service<SimulatedProvider>, &mut Sql<'_>, Timestamp) -> Result<T>) -> Result<T> {
        let mut conn = self.conn()?;
        // A call that panicked rolled back; the turn is free again.
        let _turn = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let now = self.now();
        let mut sql = Sql(conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(db)?);
        let value = call(&self.service, &mut sql, now)?;
        sql.0.commit().map_err(db)?;
        Ok(value)
    }

    // ---- buyers ----

    /// A new buyer and their token (only its hash is kept).
    pub fn new_buyer(&self) -> Result<String> {
        let token = random_token(24);
        self.conn()?
            .execute(
                "INSERT INTO buyers (token_sha256, created_at, last_seen) VALUES (?1, ?2, ?3)",
                params![sha256_hex(token.as_bytes()), self.now().0, wall_ms() / 1000],
            )
            .map_err(db)?;
        Ok(token)
    }

    /// The buyer a token names, unless it was revoked or has not been used
    /// for [`TOKEN_IDLE_SECS`]. Each use keeps it alive (written at most
    /// once an hour).
    pub fn buyer(&self, token: &str) -> Result<Option<BuyerId>> {
        if token.is_empty() || token.len() > 128 {
            return Ok(None);
        }
        let conn = self.conn()?;
        let row: Option<(i64, i64, bool)> = conn
            .query_row("SELECT id, last_seen, revoked FROM buyers WHERE token_sha256 = ?1", [sha256_hex(token.as_bytes())], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()
            .map_err(db)?;
        let now = wall_ms() / 1000;
        match row {
            Some((id, last_seen, false)) if now - last_seen <= TOKEN_IDLE_SECS => {
                if now - last_seen > 3600 {
                    conn.execute("UPDATE buyers SET last_seen = ?2 WHERE id = ?1", params![id, now]).map_err(db)?;
                }
                Ok(Some(BuyerId(id)))
            }
            _ => Ok(None),
        }
    }

    /// Revokes the buyer's token: it names no one after this.
    pub fn revoke(&self, buyer: BuyerId) -> Result<()> {
        self.conn()?.execute("UPDATE buyers SET revoked = 1 WHERE id = ?1", [buyer.0]).map_err(db)?;
        Ok(())
    }

    // ---- the service ----

    pub fn orders(&self, buyer: BuyerId, tab: OrdersTab, page: u32) -> Result<OrdersPage> {
        self.run(|s, st, now| s.orders(st, buyer, now, tab, page))
    }

    pub fn order(&self, buyer: BuyerId, id: &OrderId) -> Result<Order> {
        self.run(|s, st, now| s.order(st, buyer, now, id))
    }

    pub fn track(&self, number: &str, email: &str) -> Result<TrackedOrder> {
        self.run(|s, st, now| s.track(st, now, number, email))
    }

    pub fn act(&self, buyer: BuyerId, id: &OrderId, action: BuyerAction) -> Result<Order> {
        self.run(|s, st, now| s.act(st, buyer, now, id, action))
    }

    /// Takes a received file (`staged`, measured into `file`): once the
    /// service accepts it, it is kept in `dir` under its evidence id, before
    /// the record is committed (a failed commit leaves a file no one names,
    /// never a record without its file).
    pub fn upload_evidence(&self, buyer: BuyerId, id: &OrderId, file: &EvidenceFile, staged: &Path, dir: &Path) -> Result<EvidenceRef> {
        self.run(|s, st, now| {
            let evidence = s.upload_evidence(st, buyer, now, id, file)?;
            std::fs::rename(staged, dir.join(&evidence.id)).map_err(|e| Fail::Storage(format!("evidence folder: {e}")))?;
            Ok(evidence)
        })
    }

    /// Places the checkout; `false` with the answer: a replay of the same request.
    pub fn place(&self, buyer: BuyerId, req: &PlaceOrder) -> Result<(Placement, bool)> {
        self.run(|s, st, now| s.place(st, buyer, now, req))
    }

    pub fn pay(&self, buyer: BuyerId, req: &PayAgain) -> Result<PaymentOutcome> {
        self.run(|s, st, now| s.pay(st, buyer, now, req))
    }

    /// What the provider says of the buyer's challenge (nothing the buyer says counts).
    pub fn complete_challenge(&self, buyer: BuyerId, id: &str) -> Result<PaymentOutcome> {
        self.run(|s, st, now| s.complete_challenge(st, buyer, now, id))
    }

    /// The simulated provider's challenge page: the shopper's answer, kept
    /// once. The order API never writes here.
    pub fn provider_answer(&self, id: &str, approved: bool) -> Result<bool> {
        self.run(|_, st, _| marketplace::service::answer_on_provider_page(st, id, approved))
    }
}

fn save_clock(conn: &Connection, c: &Clock) -> Result<()> {
    conn.execute(
        "INSERT INTO clock (id, clock_start, wall_start_ms, skipped, speed) VALUES (1, ?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET clock_start = ?1, wall_start_ms = ?2, skipped = ?3, speed = ?4",
        params![c.clock_start.0, c.wall_start_ms, c.skipped, c.speed],
    )
    .map_err(db)?;
    Ok(())
}
