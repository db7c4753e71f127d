//! The cart as the whole app shares it: a signal over `checkout_core::Cart`,
//! restored from localStorage at start, saved on every change, and followed
//! across tabs. The rules live in checkout-core; this only keeps and persists.

use checkout_core::cart::{Cart, RemovedLine, Restored};

use crate::state::keys::CART as STORAGE_KEY;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::browser;

/// What the shopper is told about the cart found in storage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RestoreNotice {
    pub dropped_lines: usize,
    pub discarded: bool,
}

#[derive(Clone, Copy)]
pub struct CartStore {
    pub cart: RwSignal<Cart>,
    /// Set when the stored cart could not be read whole.
    pub restore_notice: RwSignal<Option<RestoreNotice>>,
    /// The line removed last, until it is put back or the shopper moves on.
    pub last_removed: RwSignal<Option<RemovedLine>>,
    /// Set when the browser refused to save the cart (storage full or disabled).
    pub save_failed: RwSignal<bool>,
}

impl CartStore {
    fn new(restored: Restored) -> Self {
        let notice = restored
            .lost_something()
            .then_some(RestoreNotice { dropped_lines: restored.dropped_lines, discarded: restored.discarded });
        CartStore {
            cart: RwSignal::new(restored.cart),
            restore_notice: RwSignal::new(notice),
            last_removed: RwSignal::new(None),
            save_failed: RwSignal::new(false),
        }
    }

    pub fn remove(&self, key: &checkout_core::cart::LineKey) {
        let mut removed = None;
        self.cart.update(|c| removed = c.remove(key));
        if removed.is_some() {
            self.last_removed.set(removed);
        }
    }

    pub fn undo_remove(&self) {
        if let Some(r) = self.last_removed.get_untracked() {
            self.cart.update(|c| c.undo_remove(r));
            self.last_removed.set(None);
        }
    }
}

/// Whether the cart kept on this device has nothing in it (or none is kept).
pub fn stored_cart_is_empty() -> bool {
    browser::storage_get(STORAGE_KEY).is_none_or(|raw| Cart::from_storage(&raw).cart.is_empty())
}

/// Reads the stored cart, provides the store, and keeps storage in step with it.
pub fn provide_cart_store() {
    let restored = match browser::storage_get(STORAGE_KEY) {
        Some(raw) => Cart::from_storage(&raw),
        None => Restored::default(),
    };
    let store = CartStore::new(restored);
    provide_context(store);

    // A cart taken over from another tab is already stored: writing it back
    // would race that tab, and could undo its next change.
    let adopted = StoredValue::new(None::<Cart>);
    Effect::new(move |_| {
        let from_other_tab = adopted.try_update_value(Option::take).flatten();
        if store.cart.with(|c| from_other_tab.as_ref() == Some(c)) {
            return;
        }
        let raw = store.cart.with(Cart::to_storage);
        store.save_failed.set(!browser::storage_set(STORAGE_KEY, &raw));
        browser::set_cookie(crate::state::keys::CART_ITEMS_COOKIE, &store.cart.with(|c| c.item_count()).to_string());
    });

    // Another tab changed the cart: show the same cart here. (Drawn natively
    // there is no window, nor another tab.)
    if browser::window().is_none() {
        return;
    }
    let handle = window_event_listener(leptos::ev::storage, move |e| {
        let Some(e) = e.dyn_ref::<web_sys::StorageEvent>() else { return };
        if e.key().as_deref() != Some(STORAGE_KEY) {
            return;
        }
        let restored = e.new_value().map(|raw| Cart::from_storage(&raw)).unwrap_or_default();
        if store.cart.with_untracked(|c| *c != restored.cart) {
            adopted.set_value(Some(restored.cart.clone()));
            store.cart.set(restored.cart);
        }
    });
    on_cleanup(move || handle.remove());
}

/// Said (as a context) by the server's renderer when it draws without
/// knowing the shopper's cart, which is on their device: the cart and the
/// checkout then draw their loading shells, not an empty cart.
#[derive(Clone, Copy, Debug)]
pub struct CartNotKnownHere;

pub fn use_cart() -> CartStore {
    expect_context::<CartStore>()
}
