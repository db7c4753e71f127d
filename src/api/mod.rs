//! The order API as the screens see it: one async trait, served by the in-browser
//! mock by default. Later the HTTP client implements the same trait, and a
//! deployer picks one at start without rebuilding.

pub mod mock;

use std::rc::Rc;

use async_trait::async_trait;
use checkout_core::catalog::{Catalog, Product, ProductId, Seller};
use leptos::prelude::*;

/// Why a call to the order API did not give an answer the screens can use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// The thing asked for does not exist (an unknown product id in the URL).
    NotFound,
    /// The network or the server failed; trying again may work.
    Unavailable,
    /// The answer was malformed or broke a rule (mixed currencies, unknown seller).
    BadResponse(String),
}

impl ApiError {
    /// The message key that explains this error to a shopper.
    pub fn message_key(&self) -> &'static str {
        match self {
            ApiError::NotFound => "error.not_found",
            ApiError::Unavailable => "error.unavailable",
            ApiError::BadResponse(_) => "error.bad_response",
        }
    }
}

/// A product with the store that sells it, for the product page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductDetail {
    pub product: Product,
    pub seller: Seller,
}

/// Everything the screens ask of the order backend. Futures are not `Send`: in the
/// browser everything runs on one thread.
#[async_trait(?Send)]
pub trait OrderApi {
    /// The whole catalog: products and the sellers who sell them.
    async fn catalog(&self) -> Result<Catalog, ApiError>;

    /// One product with its seller; `ApiError::NotFound` for an unknown id.
    async fn product(&self, id: &ProductId) -> Result<ProductDetail, ApiError> {
        let catalog = self.catalog().await?;
        let product = catalog.product(id).cloned().ok_or(ApiError::NotFound)?;
        let seller = catalog
            .seller(&product.seller_id)
            .cloned()
            .ok_or_else(|| ApiError::BadResponse(format!("no seller for {id}")))?;
        Ok(ProductDetail { product, seller })
    }
}

/// The API the app talks to, shared through context. Held in local storage of the
/// reactive system because `Rc<dyn OrderApi>` is not `Send`.
pub type ApiHandle = StoredValue<Rc<dyn OrderApi>, LocalStorage>;

pub fn provide_api(api: Rc<dyn OrderApi>) {
    provide_context::<ApiHandle>(StoredValue::new_local(api));
}

pub fn use_api() -> Rc<dyn OrderApi> {
    expect_context::<ApiHandle>().get_value()
}

/// The API chosen for this page load. Only the mock exists so far.
pub fn from_config() -> Rc<dyn OrderApi> {
    Rc::new(mock::MockApi::seeded())
}
