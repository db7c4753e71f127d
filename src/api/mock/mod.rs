//! The in-browser mock of the order API: seeded data, answered after a short
//! delay so that loading states are seen as a shopper would see them.

mod seed;

use std::cell::RefCell;

use async_trait::async_trait;
use checkout_core::catalog::Catalog;

use super::{ApiError, OrderApi};

pub struct MockApi {
    catalog: RefCell<Catalog>,
    latency_ms: u32,
}

impl MockApi {
    /// The mock with the seeded catalog and a realistic delay.
    pub fn seeded() -> Self {
        Self::with_catalog(seed::catalog(), 150)
    }

    /// A mock over any catalog, answering after `latency_ms` (0 for tests).
    pub fn with_catalog(catalog: Catalog, latency_ms: u32) -> Self {
        MockApi { catalog: RefCell::new(catalog), latency_ms }
    }

    /// The seeded catalog, for tests and the preview gallery.
    pub fn seed_catalog() -> Catalog {
        seed::catalog()
    }

    /// Changes the catalog the mock serves (a product withdrawn, stock sold).
    pub fn edit_catalog(&self, edit: impl FnOnce(&mut Catalog)) {
        edit(&mut self.catalog.borrow_mut());
    }
}

#[async_trait(?Send)]
impl OrderApi for MockApi {
    async fn catalog(&self) -> Result<Catalog, ApiError> {
        sleep(self.latency_ms).await;
        let catalog = self.catalog.borrow().clone();
        catalog.validate().map_err(|e| ApiError::BadResponse(e.to_string()))?;
        Ok(catalog)
    }
}

/// Waits `ms` milliseconds on the browser's timer without blocking the page.
pub async fn sleep(ms: u32) {
    if ms == 0 {
        return;
    }
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
