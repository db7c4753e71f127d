//! The buyer-facing checkout: App, the route table, and start-up.
//!
//! Layers, top to bottom: `pages` (one file per screen) use `components`, `state`
//! and `api`; those use `checkout_core` (the domain rules), which uses nothing of
//! the app. `i18n` is the one place a shopper-visible string comes from.

pub mod api;
pub mod browser;
pub mod diagnostics;
pub mod components;
pub mod i18n;
pub mod pages;
pub mod state;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::shell::Shell;
// Every screen but the catalog may be a module of its own (see pages::lazy).
use crate::pages::lazy::{
    Cart as CartPage, Checkout as CheckoutPage, Dispute as DisputePage, Order as OrderPage, Orders as OrdersPage, Preview as PreviewPage, Product as ProductPage,
    Wallet as WalletPage,
};
use crate::pages::{catalog::CatalogPage, not_found::NotFound};

/// Starts the app in the page's `<body>`, on the order API chosen at start.
pub fn start() {
    console_error_panic_hook::set_once();
    // Leptos's executor starts with the mount; until then, the browser's.
    wasm_bindgen_futures::spawn_local(async {
        i18n::init().await;
        diagnostics::install();
        if let Some(shell) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("app-shell")) {
            shell.remove();
        }
        leptos::mount::mount_to_body(App);
        pages::lazy::prefetch_likely_screens();
    });
}

/// The app on the order API chosen by configuration.
#[component]
pub fn App() -> impl IntoView {
    view! { <AppWith api=api::from_config()/> }
}

/// The app on a given order API (tests pass a mock without delays).
#[component]
pub fn AppWith(api: std::rc::Rc<dyn api::OrderApi>) -> impl IntoView {
    api::provide_api(api);
    state::cart::provide_cart_store();
    state::connectivity::provide_connectivity();
    view! {
        <Router>
            <Shell>
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=CatalogPage/>
                    <Route path=path!("/products/:id") view=ProductPage/>
                    <Route path=path!("/cart") view=CartPage/>
                    <Route path=path!("/checkout") view=CheckoutPage/>
                    <Route path=path!("/orders") view=OrdersPage/>
                    <Route path=path!("/orders/:id") view=OrderPage/>
                    <Route path=path!("/orders/:id/dispute") view=DisputePage/>
                    <Route path=path!("/pay/wallet") view=WalletPage/>
                    <Route path=path!("/preview") view=PreviewPage/>
                </Routes>
            </Shell>
        </Router>
    }
}
