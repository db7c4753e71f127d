//! The mock order API: the order service ([`crate::service`]) in the browser,
//! on the simulated marketplace and the provider's test mode, behind a
//! simulated network (latency, offline, a flaky connection), with a clock
//! that can run faster than real time. Its state is saved through [`Env`]
//! (localStorage in the browser), so orders survive reloads.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;

use async_trait::async_trait;
use checkout_api::*;
use checkout_core::catalog::Catalog;
use checkout_core::checkout::Quote;
use checkout_core::evidence::{sniff, EvidenceFile};
use checkout_core::order::{Order, OrderId, OrdersTab, TrackedOrder};
use checkout_core::time::Timestamp;
use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::provider::SimulatedProvider;
use crate::service::{answer_on_provider_page, BuyerId, Fail, KeptOrder, MemoryStorage, Service};
use crate::{world, Scenario};

/// What the mock needs from where it runs: a wall clock, a timer and a place to
/// keep its state. The browser gives Date.now, setTimeout and localStorage;
/// native tests give a hand-moved clock and memory.
pub trait Env {
    fn now_ms(&self) -> i64;
    fn sleep(&self, ms: u32) -> Pin<Box<dyn Future<Output = ()>>>;
    fn load(&self) -> Option<String>;
    fn save(&self, state: &str);
}

/// The saved state's layout; a state of another version is started afresh.
const STATE_VERSION: u32 = 2;

/// The one buyer of the mock: whoever uses this browser.
const SHOPPER: BuyerId = BuyerId(1);

#[derive(Clone, Debug, Serialize, Deserialize)]
struct State {
    version: u32,
    clock: Clock,
    store: MemoryStorage,
}

impl State {
    fn fresh(wall_ms: i64, speed: u32) -> State {
        let clock = Clock::starting(world::EPOCH.plus_days(25), wall_ms, speed);
        let seeded = world::order_seed::orders(clock.clock_start)
            .into_iter()
            .map(|(order, email)| KeptOrder { order, buyer: SHOPPER, email, scenario: None });
        State { version: STATE_VERSION, clock, store: MemoryStorage::with_orders(seeded) }
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
        MockShopfront { env, config, catalog: RefCell::new(world::catalog()), rng: Cell::new(seed | 1) }
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
    service: RefCell<Service<SimulatedProvider>>,
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
        let reanchored = state.clock.at_speed(config.speed, wall);
        if let Some(clock) = reanchored {
            state.clock = clock;
        }
        let api = MockApi {
            front: MockShopfront::new(env, config),
            service: RefCell::new(Service::simulated(config.scenario)),
            state: RefCell::new(state),
        };
        if fresh || reanchored.is_some() {
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
        world::catalog()
    }

    /// Changes the catalog the mock serves (a product withdrawn, stock sold).
    pub fn edit_catalog(&self, edit: impl FnOnce(&mut Catalog)) {
        edit(&mut self.front.catalog.borrow_mut());
        self.service.borrow_mut().catalog = self.front.catalog.borrow().clone();
    }

    /// Forgets every order and starts again from the seeded data.
    pub fn reset(&self) {
        *self.state.borrow_mut() = State::fresh(self.front.env.now_ms(), self.front.config.speed);
        self.save();
    }

    /// Moves the mock clock forward, as if that much time had passed.
    pub fn skip(&self, seconds: i64) {
        self.state.borrow_mut().clock.skip(seconds);
        self.save();
    }

    /// The mock clock.
    pub fn mock_now(&self) -> Timestamp {
        self.state.borrow().clock.at(self.front.env.now_ms())
    }

    fn save(&self) {
        if let Ok(raw) = serde_json::to_string(&*self.state.borrow()) {
            self.front.env.save(&raw);
        }
    }

    /// Runs one service call on the state, and keeps the state if the call
    /// changed it (reads that moved no order save nothing).
    fn call<T>(
        &self,
        f: impl FnOnce(&Service<SimulatedProvider>, &mut MemoryStorage, Timestamp) -> Result<T, Fail>,
    ) -> Result<T, ApiError> {
        let now = self.mock_now();
        let result = {
            let service = self.service.borrow();
            let mut state = self.state.borrow_mut();
            f(&service, &mut state.store, now)
        };
        if self.state.borrow_mut().store.take_changed() {
            self.save();
        }
        result.map_err(|fail| match fail {
            Fail::Api(e) => e,
            Fail::Busy => ApiError::Unavailable { retry_after_ms: Some(500) },
            Fail::Storage(detail) => ApiError::BadResponse { detail },
        })
    }

    /// A change made, whose answer a flaky network may still lose.
    fn answered<T>(&self, result: Result<T, ApiError>) -> Result<T, ApiError> {
        let value = result?;
        if self.front.lose_answer() {
            return Err(ApiError::TimedOut);
        }
        Ok(value)
    }
}

#[async_trait(?Send)]
impl<E: Env> OrderApi for MockApi<E> {
    async fn catalog(&self) -> Result<Catalog, ApiError> {
        self.front.catalog().await
    }

    async fn quote(&self, request: &QuoteRequest) -> Result<Quote, ApiError> {
        self.front.network().await?;
        self.service.borrow().quote(request, self.mock_now())
    }

    async fn place_order(&self, request: &PlaceOrder) -> Result<Placement, ApiError> {
        self.front.network().await?;
        let placed = self.call(|service, st, now| service.place(st, SHOPPER, now, request));
        self.answered(placed.map(|(placement, _)| placement))
    }

    async fn pay(&self, request: &PayAgain) -> Result<PaymentOutcome, ApiError> {
        self.front.network().await?;
        self.answered(self.call(|service, st, now| service.pay(st, SHOPPER, now, request)))
    }

    /// The shopper's answer on the provider's page (its test mode keeps it),
    /// then what the provider says, as the server would learn it.
    async fn confirm_challenge(&self, challenge_id: &str, approved: bool) -> Result<PaymentOutcome, ApiError> {
        self.front.network().await?;
        self.call(|service, st, now| {
            answer_on_provider_page(st, challenge_id, approved)?;
            service.complete_challenge(st, SHOPPER, now, challenge_id)
        })
    }

    async fn orders(&self, tab: OrdersTab, page: u32) -> Result<OrdersPage, ApiError> {
        self.front.network().await?;
        self.call(|service, st, now| service.orders(st, SHOPPER, now, tab, page))
    }

    async fn order(&self, id: &OrderId) -> Result<Order, ApiError> {
        self.front.network().await?;
        self.call(|service, st, now| service.order(st, SHOPPER, now, id))
    }

    async fn track(&self, number: &str, email: &str) -> Result<TrackedOrder, ApiError> {
        self.front.network().await?;
        self.call(|service, st, now| service.track(st, now, number, email))
    }

    async fn act(&self, id: &OrderId, action: BuyerAction) -> Result<Order, ApiError> {
        self.front.network().await?;
        self.answered(self.call(|service, st, now| service.act(st, SHOPPER, now, id, action)))
    }

    async fn upload_evidence(&self, order: &OrderId, file: &EvidenceUpload) -> Result<EvidenceRef, ApiError> {
        self.front.network().await?;
        // The browser keeps the file; the mock keeps only what the checks read.
        let measured = EvidenceFile { name: file.name.clone(), bytes: file.bytes, content: sniff(&file.head) };
        self.call(|service, st, now| service.upload_evidence(st, SHOPPER, now, order, &measured))
    }

    async fn now(&self) -> Result<Timestamp, ApiError> {
        Ok(self.mock_now())
    }
}

pub use checkout_api::tokenizer::{CardDetails, MockTokenizer, Tokenizer};
