//! The buyer-facing checkout: App, the route table, and start-up.
//!
//! Layers, top to bottom: `pages` (one file per screen) use `components`, `state`
//! and `api`; those use `checkout_core` (the domain rules), which uses nothing of
//! the app. `i18n` is the one place a shopper-visible string comes from.

// Leptos's server renderer walks a screen's whole view type.
#![cfg_attr(feature = "ssr", recursion_limit = "256")]

pub mod api;
pub mod browser;
pub mod diagnostics;
pub mod components;
pub mod i18n;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod render;
pub mod state;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::shell::Shell;
// Every screen but the catalog may be a module of its own (see pages::lazy).
use crate::pages::lazy::{
    Cart as CartPage, Checkout as CheckoutPage, Dispute as DisputePage, Order as OrderPage, Return as ReturnPage, Orders as OrdersPage, Preview as PreviewPage, Product as ProductPage,
    Wallet as WalletPage,
};
use crate::pages::{catalog::CatalogPage, not_found::NotFound};

/// Starts the app in the page's `<body>`, on the order API chosen at start.
pub fn start() {
    console_error_panic_hook::set_once();
    // A screen drawn ahead for another visit (another route's, English for a
    // Spanish reader, an empty cart for a full one) goes at once, before the
    // messages load: the skeleton shows until the app's own screen.
    if browser::shows_prerendered_screen() && !components::shell::drawn_copy_fits(i18n::chosen_language()) {
        browser::drop_drawn_screen();
    }
    // Leptos's executor starts with the mount; until then, the browser's.
    wasm_bindgen_futures::spawn_local(async {
        i18n::init().await;
        diagnostics::install();
        // Each step of start-up in a task of its own (the module's start, the
        // messages, the number formatters, the API, the first render), so that
        // none blocks the page long; the static shell is painted meanwhile.
        browser::next_task().await;
        i18n::format::prepare();
        browser::next_task().await;
        #[cfg(feature = "split")]
        let api = api::from_config_split(shell_problem).await;
        browser::next_task().await;
        // A screen drawn ahead of the app (for this visit: see above) stays in
        // view until the app has drawn it (the screen says so, see
        // components::shell::screen_drawn), so the shopper does not see it go
        // back to a skeleton while its data loads; at most a few seconds,
        // whatever happens.
        let keep_drawn_screen = browser::shows_prerendered_screen();
        if !keep_drawn_screen {
            browser::remove_app_shell();
        }
        #[cfg(feature = "split")]
        leptos::mount::mount_to_body(move || view! { <AppWith api/> });
        #[cfg(not(feature = "split"))]
        leptos::mount::mount_to_body(App);
        if keep_drawn_screen {
            leptos::task::spawn_local(async {
                browser::after_ms(components::shell::DRAWN_SCREEN_WAIT_MS).await;
                browser::remove_app_shell();
            });
        }
        pages::lazy::prefetch_likely_screens();
    });
}

/// Before the first screen: says, above the static shell, that the store
/// cannot be reached (the order API's module did not download), or takes that
/// back.
#[cfg(feature = "split")]
fn shell_problem(failing: bool) {
    let Some(document) = crate::browser::window().and_then(|w| w.document()) else { return };
    let notice = document.get_element_by_id("app-shell-problem");
    match (failing, notice) {
        (true, None) => {
            // Outside the shell, which is aria-hidden: a screen reader reads it.
            let Some(body) = document.body() else { return };
            if let Ok(p) = document.create_element("p") {
                p.set_id("app-shell-problem");
                p.set_class_name("notice notice--error");
                let _ = p.set_attribute("role", "alert");
                p.set_text_content(Some(&i18n::t("error.unavailable")));
                let _ = body.prepend_with_node_1(&p);
            }
        }
        (false, Some(notice)) => notice.remove(),
        _ => {}
    }
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
                    <Route path=path!("/orders/:id/return") view=ReturnPage/>
                    <Route path=path!("/pay/wallet") view=WalletPage/>
                    <Route path=path!("/preview") view=PreviewPage/>
                </Routes>
            </Shell>
        </Router>
    }
}
