//! The mock, downloaded in two parts. A first visit to the catalog, a product
//! or the cart asks the mock only for its catalog, which the small
//! [`MockShopfront`] answers from the main module. Everything about orders (a
//! quote, placing and paying, the orders, the clock) needs the whole mock,
//! with its saved state and the order rules: in the split release bundle that
//! is a module of its own (`mock`), loaded the first time such a call is made
//! and reused after.
//!
//! If the whole mock cannot be loaded (offline, a dropped connection), the
//! call fails as a network call would, with [`ApiError::Offline`] or
//! [`ApiError::Unavailable`], so the screen says so and its Retry (or the
//! network coming back) tries the download again. Nothing is lost: the cart
//! and the draft are stored, and the orders are in the mock's saved state.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use async_trait::async_trait;
use checkout_api::mock::MockShopfront;
use checkout_api::{EvidenceRef, PayAgain, PaymentOutcome, PlaceOrder, Placement, QuoteRequest};
use checkout_core::catalog::Catalog;
use checkout_core::checkout::Quote;
use checkout_core::order::{Order, OrderId};
use checkout_core::time::Timestamp;

use super::{ApiError, BrowserEnv, BuyerAction, EvidenceUpload, MockConfig, OrderApi};

/// A download of the whole mock: the API, or why it could not be had.
pub type MockLoad = Pin<Box<dyn Future<Output = Result<Rc<dyn OrderApi>, ApiError>>>>;

/// The mock as the screens see it: the shopfront at once, the rest on first use.
pub struct LazyMock {
    front: MockShopfront<BrowserEnv>,
    load: Box<dyn Fn() -> MockLoad>,
    whole: async_once_cell::OnceCell<Rc<dyn OrderApi>>,
}

impl LazyMock {
    /// `load` builds the whole mock (downloading its module first, in the
    /// split bundle); it is called again after a failure, never after success.
    pub fn new(config: MockConfig, load: impl Fn() -> MockLoad + 'static) -> Self {
        LazyMock { front: MockShopfront::new(BrowserEnv, config), load: Box::new(load), whole: async_once_cell::OnceCell::new() }
    }

    /// Whether the whole mock is loaded.
    pub fn is_loaded(&self) -> bool {
        self.whole.get().is_some()
    }

    /// The whole mock, loaded once: calls made while it loads wait for the
    /// same load, so there is never a second mock with its own state.
    async fn whole(&self) -> Result<&dyn OrderApi, ApiError> {
        // `load` is called inside the cell's init, which only the first caller
        // runs: the others wait for it without starting a load of their own.
        self.whole.get_or_try_init(async { (self.load)().await }).await.map(|api| api.as_ref())
    }
}

/// What a failed download of a module means to the shopper: offline, or the
/// store (here, the app's own files) unavailable for now.
pub fn download_failed() -> ApiError {
    let online = web_sys::window().map(|w| w.navigator().on_line()).unwrap_or(true);
    if online {
        ApiError::Unavailable { retry_after_ms: None }
    } else {
        ApiError::Offline
    }
}

#[async_trait(?Send)]
impl OrderApi for LazyMock {
    async fn catalog(&self) -> Result<Catalog, ApiError> {
        // Once loaded, the whole mock answers, so that any change it made to
        // the catalog shows.
        match self.whole.get() {
            Some(whole) => whole.catalog().await,
            None => self.front.catalog().await,
        }
    }

    async fn quote(&self, request: &QuoteRequest) -> Result<Quote, ApiError> {
        self.whole().await?.quote(request).await
    }

    async fn place_order(&self, request: &PlaceOrder) -> Result<Placement, ApiError> {
        self.whole().await?.place_order(request).await
    }

    async fn pay(&self, request: &PayAgain) -> Result<PaymentOutcome, ApiError> {
        self.whole().await?.pay(request).await
    }

    async fn confirm_challenge(&self, challenge_id: &str, approved: bool) -> Result<PaymentOutcome, ApiError> {
        self.whole().await?.confirm_challenge(challenge_id, approved).await
    }

    async fn orders(&self) -> Result<Vec<Order>, ApiError> {
        self.whole().await?.orders().await
    }

    async fn order(&self, id: &OrderId) -> Result<Order, ApiError> {
        self.whole().await?.order(id).await
    }

    async fn track(&self, number: &str, email: &str) -> Result<Order, ApiError> {
        self.whole().await?.track(number, email).await
    }

    async fn act(&self, id: &OrderId, action: BuyerAction) -> Result<Order, ApiError> {
        self.whole().await?.act(id, action).await
    }

    async fn upload_evidence(&self, order: &OrderId, file: &EvidenceUpload) -> Result<EvidenceRef, ApiError> {
        self.whole().await?.upload_evidence(order, file).await
    }

    async fn now(&self) -> Result<Timestamp, ApiError> {
        self.whole().await?.now().await
    }
}
