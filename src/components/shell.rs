//! The frame around every screen: skip link, header with the store name and the
//! cart link with its item count, the one `<main>`, and the live region.
//! On navigation, focus moves to the new screen's heading (to `<main>` until
//! it is drawn) so keyboard and screen-reader users start at the new screen,
//! not at the link they left.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::browser;
use crate::components::announcer::{provide_announcer, Announcer};
use crate::i18n::{t, tp};
use crate::state::cart::use_cart;

/// Said on whichever screen the shopper opens first: the cart saved on this device
/// could not be read whole.
#[component]
fn CartRestoreNotice() -> impl IntoView {
    let store = use_cart();
    move || {
        store.restore_notice.get().map(|n| {
            let text = if n.discarded {
                t("cart.restore_discarded")
            } else {
                tp("cart.restore_dropped", n.dropped_lines as u64, &[])
            };
            view! {
                <div class="notice notice--warning" role="alert">
                    <p>{text}</p>
                    <button type="button" class="button button--link" on:click=move |_| store.restore_notice.set(None)>
                        {t("action.dismiss")}
                    </button>
                </div>
            }
        })
    }
}

/// The interface language, remembered on this device. Each language is named
/// in itself, so a shopper finds theirs whatever the page shows now.
#[component]
fn LanguagePicker() -> impl IntoView {
    let current = crate::i18n::lang();
    view! {
        <div class="language-picker">
            <label for="lang-select">{t("lang.label")}</label>
            <select id="lang-select" autocomplete="off" on:change=move |ev| crate::i18n::choose_language(&event_target_value(&ev))>
                {crate::i18n::LANGUAGES.iter().map(|l| view! {
                    <option value=*l selected=*l == current lang=*l>{t(&format!("lang.{l}"))}</option>
                }).collect_view()}
            </select>
        </div>
    }
}

/// Moves focus to the new screen's heading once it is drawn (its data may
/// still be loading), unless the shopper has moved focus elsewhere meanwhile.
/// Checked again on the next frames: the heading found first may be the old
/// screen's, removed a moment later (focus then falls to the body).
fn focus_heading_when_shown(frames_left: u32) {
    use wasm_bindgen::JsCast;
    if frames_left == 0 {
        return;
    }
    let Some(doc) = crate::browser::window().and_then(|w| w.document()) else { return };
    let active = doc.active_element();
    let focus_is_ours = active.as_ref().is_none_or(|a| a.id() == "main" || a.tag_name().eq_ignore_ascii_case("body"));
    let on_a_heading = active.as_ref().is_some_and(|a| a.tag_name().eq_ignore_ascii_case("h1") && a.is_connected());
    if focus_is_ours {
        if let Some(h1) = doc.query_selector("main h1").ok().flatten().and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok()) {
            if !h1.has_attribute("tabindex") {
                let _ = h1.set_attribute("tabindex", "-1");
            }
            let _ = h1.focus();
        }
    } else if !on_a_heading {
        // The shopper moved on (a link, a field): leave their focus alone.
        return;
    }
    request_animation_frame(move || focus_heading_when_shown(frames_left - 1));
}

/// The longest a screen drawn into `index.html` stays in view after the app
/// has mounted, if the app's own screen never says it is drawn.
pub const DRAWN_SCREEN_WAIT_MS: u32 = 5_000;

/// How a screen drawn ahead of the app (`crate::render`) says, on its part of
/// the static shell, what it was drawn for.
pub mod drawn_for {
    /// The path it is the screen of.
    pub const PATH: &str = "data-drawn-for-path";
    /// The language it is written in.
    pub const LANG: &str = "lang";
    /// Present when it shows the cart as empty.
    pub const EMPTY_CART: &str = "data-drawn-for-empty-cart";
}

/// Whether the screen drawn ahead of the app, in view now, is what the app
/// will draw for this visit: this path's, in the shopper's language and, if
/// it shows the cart as empty, for a cart that is empty with no order just
/// placed (the checkout then goes on to that order; the cart, drawn for an
/// empty cart too, is dropped alike, which costs only its early paint). A static page cannot
/// know the shopper, a host may answer a route with another route's page,
/// and a server may not know the cart; the app drops a copy that does not
/// fit as it starts (the skeleton, then its own screen, shows instead)
/// rather than show, say, an empty cart to a shopper who has items.
pub fn drawn_copy_fits(lang: &str) -> bool {
    let Some((copy, path)) = browser::window().and_then(|w| {
        let copy = w.document()?.query_selector("#app-shell [data-prerendered]").ok().flatten()?;
        Some((copy, w.location().pathname().ok()?))
    }) else {
        return false;
    };
    let same_path = copy.get_attribute(drawn_for::PATH).as_deref() == Some(path.as_str());
    let same_language = copy.get_attribute(drawn_for::LANG).as_deref() == Some(lang);
    let cart_fits = !copy.has_attribute(drawn_for::EMPTY_CART) || (crate::state::cart::stored_cart_is_empty() && browser::session_get(crate::state::keys::PLACED).is_none());
    same_path && same_language && cart_fits
}

/// Said by a screen once it shows its content (or why it cannot): the static
/// shell of `index.html`, if still there, gives way to the app. Called while
/// the screen's view is built; the shell goes once that view is in the page.
pub fn screen_drawn() {
    Effect::new(move |_| request_animation_frame(browser::remove_app_shell));
}

/// While the browser is offline: said once, kept in view, gone when back.
#[component]
fn OfflineNotice() -> impl IntoView {
    let c = crate::state::connectivity::use_connectivity();
    Effect::new(move |was_online: Option<bool>| {
        let online = c.online.get();
        if was_online == Some(false) && online {
            crate::components::announcer::announce(t("offline.back"));
        }
        online
    });
    view! {
        <div class="notice notice--warning offline-notice" role="status" hidden=move || c.online.get()>
            <p>{t("offline.notice")}</p>
        </div>
    }
}

/// The frame, and a task later the screen in it (`children`, the routes):
/// the first render is two shorter tasks rather than one long one, which on a
/// slow phone blocks the page (the static shell is in view meanwhile).
#[component]
pub fn Shell(children: ChildrenFn) -> impl IntoView {
    // Drawn natively (the server's renderer) there is no task to wait for.
    let screen_ready = RwSignal::new(cfg!(feature = "ssr"));
    #[cfg(not(feature = "ssr"))]
    leptos::task::spawn_local(async move {
        browser::next_task().await;
        // (The app may be gone by then, in a test.)
        let _ = screen_ready.try_set(true);
    });
    provide_announcer();
    let store = use_cart();
    let count = Memo::new(move |_| store.cart.with(|c| c.item_count()));
    let location = use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|p| p != path) {
            browser::focus_id("main");
            if let Some(w) = crate::browser::window() {
                w.scroll_to_with_x_and_y(0.0, 0.0);
            }
            focus_heading_when_shown(120);
        }
        path
    });
    let skip = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        browser::focus_id("main");
    };
    view! {
        <a class="skip-link" href="#main" on:click=skip>{t("app.skip_to_content")}</a>
        <header class="site-header">
            <div class="site-header__inner">
                <A href="/" attr:class="site-header__brand">{t("app.store_name")}</A>
                <nav aria-label=t("nav.label") class="site-header__nav">
                    <A href="/orders" attr:class="site-header__link">{t("nav.orders")}</A>
                    <A href="/cart" attr:class="site-header__cart">
                        <svg class="icon" aria-hidden="true" viewBox="0 0 24 24" width="24" height="24">
                            <path d="M3 4h2l2.4 10.2a1 1 0 0 0 1 .8h8.9a1 1 0 0 0 1-.8L20 7H6.2" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/>
                            <circle cx="9" cy="19" r="1.6" fill="currentColor"/>
                            <circle cx="17" cy="19" r="1.6" fill="currentColor"/>
                        </svg>
                        <span class="site-header__cart-text">{t("nav.cart")}</span>
                        " "
                        <span class="site-header__count" data-testid="cart-count">{move || count.get()}</span>
                        // Read as "Cart 4 items": the visible words first, as WCAG 2.5.3 asks.
                        " "
                        <span class="visually-hidden">{move || tp("nav.cart_items", u64::from(count.get()), &[])}</span>
                    </A>
                </nav>
            </div>
        </header>
        <main id="main" tabindex="-1">
            <OfflineNotice/>
            <CartRestoreNotice/>
            {move || screen_ready.get().then(|| children())}
        </main>
        <footer class="site-footer">
            <p>{t("app.footer")}</p>
            <LanguagePicker/>
        </footer>
        <Announcer/>
    }
}
