//! The screens a first visit does not need, as modules of their own.
//!
//! With the `split` feature (the release bundle, `scripts/build-release.sh`)
//! every screen but the catalog is compiled into a wasm module of its own (one
//! for a product and the cart, one for the checkout, one for after it, one
//! for the designers' gallery), which the browser downloads the first time
//! one of its routes is shown: a first visit to `/` downloads the catalog,
//! the shell and the router, not the checkout. Without the feature (`trunk serve`, the browser tests) each
//! wrapper renders its page directly, with nothing to download.
//!
//! While a screen's module downloads, the page shows a skeleton. If it cannot
//! be downloaded (offline, a dropped connection) the shopper reads why and gets
//! a Retry button; the download is tried again by itself when the network
//! comes back. Nothing is lost: the cart and the checkout draft are stored.

use leptos::prelude::*;

/// One lazily downloaded screen: `$wrapper` is the component the route table
/// uses; `$split` the function that builds `$page`, placed in module `$module`;
/// `$preload` downloads that module without building anything. `$words`:
/// the screen's words are not all in the bundle (`build.rs` leaves out the
/// checkout's and the after-sales messages), so they are fetched with its
/// module.
macro_rules! lazy_screen {
    ($wrapper:ident, $split:ident, $preload:ident, $module:ident, $page:path, $words:expr) => {
        #[cfg(feature = "split")]
        #[leptos::wasm_split::wasm_split($module, fallible, preload($preload), wasm_split_path = ::leptos::wasm_split)]
        fn $split() -> Result<AnyView, leptos::wasm_split::SplitLoaderError> {
            Ok($page().into_any())
        }

        #[component]
        pub fn $wrapper() -> impl IntoView {
            #[cfg(feature = "split")]
            {
                split::LazyScreen($preload, $split, $words)
            }
            #[cfg(not(feature = "split"))]
            {
                $page()
            }
        }
    };
}

// Screens are grouped into modules by the path a shopper takes: browsing (a
// product, the cart), paying (the checkout, the wallet's page) and after it
// (the orders, an order, a dispute, a return). One module per screen made
// about 90 files, as the code two screens share became a chunk of its own; a
// deep link to the cart then waited for 40 of them, one round trip after
// another. The checkout is apart from a product and the cart so that a
// product page arrived at directly does not download the checkout's form,
// address and payment code (docs/route-splitting.md has the figures).
// The words of a product and the cart are all in the bundle, and a deep link
// to them fetches no more (a journey checks no message key is left on
// screen); the checkout's and the payment's words are fetched with their
// module, as the orders' are (build.rs).
lazy_screen!(Product, product_screen, preload_product, shop, crate::pages::product::ProductPage, false);
lazy_screen!(Cart, cart_screen, preload_cart, shop, crate::pages::cart::CartPage, false);
lazy_screen!(Checkout, checkout_screen, preload_checkout, checkout, crate::pages::checkout::CheckoutPage, true);
lazy_screen!(Wallet, wallet_screen, preload_wallet, checkout, crate::pages::wallet::WalletPage, true);
lazy_screen!(Orders, orders_screen, preload_orders, orders, crate::pages::orders::OrdersPage, true);
lazy_screen!(Order, order_screen, preload_order, orders, crate::pages::order::OrderPage, true);
lazy_screen!(Dispute, dispute_screen, preload_dispute, orders, crate::pages::dispute::DisputePage, true);
lazy_screen!(Return, return_screen, preload_return, orders, crate::pages::returns::ReturnPage, true);
#[cfg(feature = "preview")]
lazy_screen!(Preview, preview_screen, preload_preview, preview, crate::pages::preview::PreviewPage, true);
/// Without the designers' gallery, `/preview` is not found.
#[cfg(not(feature = "preview"))]
pub use crate::pages::not_found::NotFound as Preview;

/// After the first screen is up, downloads the purchase modules (a product
/// and the cart, the checkout), the rest of the English messages, and the
/// rest of the order API (the mock's orders, which the checkout's quote
/// needs; or the whole HTTP client, which placing the order needs): what a
/// shopper most likely opens next; on a slow phone network that is otherwise
/// a wait at the click. It waits a moment and
/// then for the browser to be idle, so the first screen's work goes first, and
/// fetches nothing when the browser asks to save data or is on 2G. A failed
/// download is ignored: the screen tries again when it is opened.
pub fn prefetch_likely_screens() {
    #[cfg(feature = "split")]
    if !crate::browser::saving_data() {
        leptos::task::spawn_local(async {
            crate::browser::after_ms(1500).await;
            crate::browser::idle(3000).await;
            let _ = preload_product().await;
            let _ = preload_checkout().await;
            let _ = crate::i18n::load_all_messages().await;
            crate::api::prefetch().await;
        });
    }
}

#[cfg(feature = "split")]
mod split {
    use std::future::Future;
    use std::task::{Context, Poll, Waker};

    use leptos::prelude::*;
    use leptos::wasm_split::SplitLoaderError;

    use crate::components::load_error::LoadError;
    use crate::state::connectivity::use_connectivity;

    #[derive(Clone, Copy, PartialEq)]
    enum Download {
        Running,
        Done,
        Failed,
    }

    /// Downloads a screen's module (again on Retry), and the words the bundle
    /// leaves out if the screen uses them (`words`), then builds the screen.
    ///
    /// The screen is built in this component's render, as any child is, with
    /// no `<Suspense>` around it: one caught the page's own resources (the
    /// checkout's quote, asked again at each key typed in the address) and
    /// blanked the whole screen while they reloaded.
    #[allow(non_snake_case)]
    pub fn LazyScreen<P, PFut, B, BFut>(preload: P, build: B, words: bool) -> impl IntoView
    where
        P: Fn() -> PFut + Copy + Send + Sync + 'static,
        PFut: Future<Output = Result<(), SplitLoaderError>> + 'static,
        B: Fn() -> BFut + Copy + Send + Sync + 'static,
        BFut: Future<Output = Result<AnyView, SplitLoaderError>>,
    {
        let download = RwSignal::new(Download::Running);
        let start = move || {
            // A module downloaded before (or fetched ahead) is there at once:
            // no skeleton for a frame. Otherwise this first poll has started
            // the download, which the task below joins.
            if let (Some(Ok(())), true) = (ready_now(preload()), !words || crate::i18n::all_messages_here()) {
                download.set(Download::Done);
                return;
            }
            download.set(Download::Running);
            // The words the bundle leaves out come with the module, if the
            // screen uses them: both downloads run at once.
            let fetching = words.then(crate::i18n::load_all_messages);
            leptos::task::spawn_local(async move {
                let loaded = preload().await.is_ok();
                let worded = match fetching {
                    Some(fetching) => fetching.await,
                    None => true,
                };
                let outcome = if loaded && worded { Download::Done } else { Download::Failed };
                // The shopper may have left the screen meanwhile.
                let _ = download.try_set(outcome);
            });
        };
        start();
        let retry = Callback::new(move |_| start());
        move || match download.get() {
            Download::Running => view! { <div class="page"><div class="skeleton screen-skeleton" aria-busy="true"></div></div> }.into_any(),
            // Loaded: building is immediate (the wrapper's await is already done).
            Download::Done => match ready_now(build()) {
                Some(Ok(screen)) => screen,
                _ => view! { <ScreenUnavailable retry/> }.into_any(),
            },
            Download::Failed => view! { <ScreenUnavailable retry/> }.into_any(),
        }
    }

    /// The future's output if it is ready at its first poll.
    fn ready_now<T>(future: impl Future<Output = T>) -> Option<T> {
        let mut future = std::pin::pin!(future);
        match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(value) => Some(value),
            Poll::Pending => None,
        }
    }

    /// Why the screen is missing, a Retry button, and a retry by itself when
    /// the network comes back.
    #[component]
    fn ScreenUnavailable(retry: Callback<()>) -> impl IntoView {
        let connectivity = use_connectivity();
        let error = crate::api::lazy_api::download_failed();
        Effect::new(move |seen: Option<u32>| {
            let back = connectivity.back_online.get();
            if seen.is_some_and(|seen| seen != back) {
                retry.run(());
            }
            back
        });
        view! { <div class="page"><LoadError error on_retry=retry/></div> }
    }
}
