//! An order API downloaded in two parts. A first visit to the catalog, a
//! product or the cart asks only for the catalog, which a small part in the
//! main module answers: the mock's [`MockShopfront`], or the HTTP client's
//! catalog call. Over HTTP, the checkout's quote is likewise answered by the
//! client's quote call alone, in the checkout's module. Everything about
//! orders (a quote on the mock, placing and paying, the
//! orders, the clock) needs the whole API (the mock's saved orders and order
//! rules, or every request and answer of the HTTP client, with their JSON): in
//! the split release bundle that is a module of its own, loaded the first
//! time such a call is made and reused after.
//!
//! If the whole API cannot be loaded (offline, a dropped connection), the call
//! fails as a network call would, with [`ApiError::Offline`] or
//! [`ApiError::Unavailable`], so the screen says so and its Retry (or the
//! network coming back) tries the download again. Nothing is lost: the cart
//! and the draft are stored, and the orders are in the mock's saved state or
//! on the server.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use async_trait::async_trait;
use checkout_api::{EvidenceRef, OrdersPage, PayAgain, PaymentOutcome, PlaceOrder, Placement, ProductDetail, QuoteRequest};
use checkout_core::catalog::{Catalog, ProductId};
use checkout_core::checkout::Quote;
use checkout_core::order::{Order, OrderId, OrdersTab, TrackedOrder};
use checkout_core::time::Timestamp;

use super::{ApiError, BuyerAction, EvidenceUpload, OrderApi};

/// An answer still to come: the catalog, or the whole API once downloaded.
pub type Pending<T> = Pin<Box<dyn Future<Output = Result<T, ApiError>>>>;

/// A quote asked for without the whole API (see [`LazyApi::with_quote`]).
type QuoteCall = Box<dyn Fn(&QuoteRequest) -> Pending<Quote>>;

/// The order API as the screens see it: the catalog at once, the rest on
/// first use.
pub struct LazyApi {
    catalog: Box<dyn Fn() -> Pending<Catalog>>,
    quote: Option<QuoteCall>,
    load: Box<dyn Fn() -> Pending<Rc<dyn OrderApi>>>,
    whole: async_once_cell::OnceCell<Rc<dyn OrderApi>>,
}

impl LazyApi {
    /// `catalog` answers the catalog until the whole API is loaded; `load`
    /// builds the whole API (downloading its module first, in the split
    /// bundle), and is called again after a failure, never after success.
    pub fn new(catalog: impl Fn() -> Pending<Catalog> + 'static, load: impl Fn() -> Pending<Rc<dyn OrderApi>> + 'static) -> Self {
        LazyApi { catalog: Box::new(catalog), quote: None, load: Box::new(load), whole: async_once_cell::OnceCell::new() }
    }

    /// `quote` answers the checkout's quote until the whole API is loaded,
    /// so that the checkout's first screen does not wait for it.
    pub fn with_quote(self, quote: impl Fn(&QuoteRequest) -> Pending<Quote> + 'static) -> Self {
        LazyApi { quote: Some(Box::new(quote)), ..self }
    }

    /// The mock: its shopfront answers the catalog.
    #[cfg(feature = "mock")]
    pub fn mock(config: super::MockConfig, load: impl Fn() -> Pending<Rc<dyn OrderApi>> + 'static) -> Self {
        let front = Rc::new(marketplace::mock::MockShopfront::new(super::BrowserEnv, config));
        LazyApi::new(
            move || {
                let front = front.clone();
                Box::pin(async move { front.catalog().await })
            },
            load,
        )
    }

    /// Whether the whole API is loaded.
    pub fn is_loaded(&self) -> bool {
        self.whole.get().is_some()
    }

    /// The whole API, loaded once: calls made while it loads wait for the
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
    if crate::browser::online() {
        ApiError::Unavailable { retry_after_ms: None }
    } else {
        ApiError::Offline
    }
}

#[async_trait(?Send)]
impl OrderApi for LazyApi {
    async fn catalog(&self) -> Result<Catalog, ApiError> {
        // Once loaded, the whole API answers, so that any change the mock
        // made to the catalog shows.
        match self.whole.get() {
            Some(whole) => whole.catalog().await,
            None => (self.catalog)().await,
        }
    }

    async fn product(&self, id: &ProductId) -> Result<ProductDetail, ApiError> {
        match self.whole.get() {
            Some(whole) => whole.product(id).await,
            // The contract's own answer, from the catalog.
            None => ProductDetail::from_catalog(&self.catalog().await?, id),
        }
    }

    async fn quote(&self, request: &QuoteRequest) -> Result<Quote, ApiError> {
        match (self.whole.get(), &self.quote) {
            (None, Some(quote)) => quote(request).await,
            _ => self.whole().await?.quote(request).await,
        }
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

    async fn orders(&self, tab: OrdersTab, page: u32) -> Result<OrdersPage, ApiError> {
        self.whole().await?.orders(tab, page).await
    }

    async fn order(&self, id: &OrderId) -> Result<Order, ApiError> {
        self.whole().await?.order(id).await
    }

    async fn track(&self, number: &str, email: &str) -> Result<TrackedOrder, ApiError> {
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
