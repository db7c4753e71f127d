//! `/preview`: the designers' gallery. Every screen in every state the mock can
//! produce, grouped by screen; each link opens the app in that state (a
//! scenario of the mock, a seeded order, a prepared cart) inside a frame whose
//! width switches between phone, tablet and desktop. The mock's data can be
//! reset from here. Built only with the `preview` Cargo feature (on by
//! default; a shoppers' build leaves it out with `--no-default-features`, and
//! the route then answers "not found").

use leptos::prelude::*;

use crate::browser;
use crate::components::title::use_title;
use crate::i18n::t;

/// What a state needs in storage before its screen opens.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Setup {
    /// Leave the cart as it is.
    Keep,
    EmptyCart,
    /// Two lines from two sellers.
    FullCart,
    /// One line of a product the catalog no longer has.
    WithdrawnLine,
    /// A saved cart nobody can read.
    CorruptCart,
}

struct State {
    /// The message key of the state's name.
    label: &'static str,
    path: &'static str,
    setup: Setup,
}

const fn s(label: &'static str, path: &'static str, setup: Setup) -> State {
    State { label, path, setup }
}

/// Every screen with its states, by the message key of the screen's name.
const GALLERY: &[(&str, &[State])] = &[
    ("preview.screen.catalog", &[
        s("preview.state.loaded", "/?scenario=happy-path", Setup::Keep),
        s("preview.state.loading", "/?scenario=api-slow", Setup::Keep),
        s("preview.state.offline", "/?scenario=offline", Setup::Keep),
    ]),
    ("preview.screen.product", &[
        s("preview.state.options", "/products/rain-jacket?scenario=happy-path", Setup::Keep),
        s("preview.state.simple", "/products/headlamp?scenario=happy-path", Setup::Keep),
        s("preview.state.loading", "/products/headlamp?scenario=api-slow", Setup::Keep),
        s("preview.state.not_found", "/products/no-such-product?scenario=happy-path", Setup::Keep),
    ]),
    ("preview.screen.cart", &[
        s("preview.state.empty", "/cart?scenario=happy-path", Setup::EmptyCart),
        s("preview.state.two_sellers", "/cart?scenario=happy-path", Setup::FullCart),
        s("preview.state.withdrawn", "/cart?scenario=happy-path", Setup::WithdrawnLine),
        s("preview.state.corrupt", "/cart?scenario=happy-path", Setup::CorruptCart),
        s("preview.state.offline", "/cart?scenario=offline", Setup::FullCart),
    ]),
    ("preview.screen.checkout", &[
        s("preview.state.empty", "/checkout?scenario=happy-path", Setup::EmptyCart),
        s("preview.state.two_sellers", "/checkout?scenario=happy-path", Setup::FullCart),
        s("preview.state.declined", "/checkout?scenario=card-declined", Setup::FullCart),
        s("preview.state.three_ds", "/checkout?scenario=3ds-challenge", Setup::FullCart),
        s("preview.state.verification_failed", "/checkout?scenario=verification-failed&speed=3600", Setup::FullCart),
        s("preview.state.flaky", "/checkout?scenario=api-flaky", Setup::FullCart),
        s("preview.state.wallet", "/pay/wallet?challenge=chl_000001&scenario=happy-path", Setup::Keep),
    ]),
    ("preview.screen.orders", &[
        s("orders.tab.all", "/orders?scenario=happy-path", Setup::Keep),
        s("orders.tab.awaiting_payment", "/orders?tab=awaiting-payment&scenario=happy-path", Setup::Keep),
        s("orders.tab.awaiting_shipment", "/orders?tab=awaiting-shipment&scenario=happy-path", Setup::Keep),
        s("orders.tab.awaiting_delivery", "/orders?tab=awaiting-delivery&scenario=happy-path", Setup::Keep),
        s("orders.tab.completed", "/orders?tab=completed&scenario=happy-path", Setup::Keep),
        s("orders.tab.disputes", "/orders?tab=disputes&scenario=happy-path", Setup::Keep),
        s("preview.state.offline", "/orders?scenario=offline", Setup::Keep),
    ]),
    ("preview.screen.order", &[
        s("preview.order.awaiting_payment", "/orders/seed_01?scenario=happy-path", Setup::Keep),
        s("preview.order.verifying", "/orders/seed_02?scenario=happy-path", Setup::Keep),
        s("preview.order.verification_overdue", "/orders/seed_03?scenario=happy-path", Setup::Keep),
        s("preview.order.awaiting_shipment", "/orders/seed_04?scenario=happy-path", Setup::Keep),
        s("preview.order.cancellation_requested", "/orders/seed_05?scenario=happy-path", Setup::Keep),
        s("preview.order.awaiting_delivery", "/orders/seed_06?scenario=happy-path", Setup::Keep),
        s("preview.order.delayed", "/orders/seed_07?scenario=happy-path", Setup::Keep),
        s("preview.order.delivered", "/orders/seed_08?scenario=happy-path", Setup::Keep),
        s("preview.order.completed", "/orders/seed_09?scenario=happy-path", Setup::Keep),
        s("preview.order.feedback_left", "/orders/seed_10?scenario=happy-path", Setup::Keep),
        s("preview.order.cancelled", "/orders/seed_11?scenario=happy-path", Setup::Keep),
        s("preview.order.verification_failed", "/orders/seed_12?scenario=happy-path", Setup::Keep),
        s("preview.order.missed_ship_by", "/orders/seed_13?scenario=happy-path", Setup::Keep),
        s("preview.order.dispute_offer", "/orders/seed_14?scenario=happy-path", Setup::Keep),
        s("preview.order.dispute_refunded", "/orders/seed_15?scenario=happy-path", Setup::Keep),
        s("preview.order.return_awaiting_parcel", "/orders/seed_16?scenario=happy-path", Setup::Keep),
        s("preview.order.return_sent", "/orders/seed_17?scenario=happy-path", Setup::Keep),
        s("preview.order.return_received", "/orders/seed_18?scenario=seller-silent-on-return", Setup::Keep),
        s("preview.order.return_refused", "/orders/seed_19?scenario=happy-path", Setup::Keep),
        s("preview.order.return_refunded", "/orders/seed_20?scenario=happy-path", Setup::Keep),
        s("preview.state.not_found", "/orders/no-such-order?scenario=happy-path", Setup::Keep),
    ]),
    ("preview.screen.dispute", &[
        s("preview.dispute.form", "/orders/seed_07/dispute?scenario=happy-path", Setup::Keep),
        s("preview.dispute.not_yet", "/orders/seed_04/dispute?scenario=happy-path", Setup::Keep),
    ]),
    ("preview.screen.return", &[
        s("preview.return.form", "/orders/seed_09/return?scenario=happy-path", Setup::Keep),
        s("preview.return.no_change_of_mind", "/orders/seed_08/return?scenario=happy-path", Setup::Keep),
        s("preview.return.not_yet", "/orders/seed_06/return?scenario=happy-path", Setup::Keep),
    ]),
    ("preview.screen.not_found", &[s("preview.state.not_found", "/no-such-page", Setup::Keep)]),
];

const FULL_CART: &str = r#"{"version":1,"lines":[{"product_id":"bamboo-desk-lamp","quantity":2,"name":"Bamboo desk lamp"},{"product_id":"headlamp","quantity":1,"name":"Headlamp"}]}"#;
const WITHDRAWN_CART: &str = r#"{"version":1,"lines":[{"product_id":"headlamp","quantity":1,"name":"Headlamp"},{"product_id":"discontinued-kettle","quantity":1,"name":"Retro kettle"}]}"#;

fn prepare(setup: Setup) {
    let key = crate::state::keys::CART;
    match setup {
        Setup::Keep => {}
        Setup::EmptyCart => browser::storage_remove(key),
        Setup::FullCart => {
            browser::storage_set(key, FULL_CART);
        }
        Setup::WithdrawnLine => {
            browser::storage_set(key, WITHDRAWN_CART);
        }
        Setup::CorruptCart => {
            browser::storage_set(key, "{not json");
        }
    }
}

/// The frame widths a designer checks, in CSS pixels.
const WIDTHS: &[(u32, &str)] = &[(360, "preview.width.phone"), (768, "preview.width.tablet"), (1280, "preview.width.desktop")];

#[component]
pub fn PreviewPage() -> impl IntoView {
    use_title(|| t("preview.title"));
    let width = RwSignal::new(360u32);
    let frame_src = RwSignal::new("/?scenario=happy-path".to_owned());
    let showing = RwSignal::new(String::new());
    let reset_note = RwSignal::new(None::<String>);
    let opened = RwSignal::new(0u32);
    // A new address each time, so opening the same state again reloads the
    // frame's app (which reads its storage at start).
    let open = move |path: &str| {
        opened.update(|n| *n += 1);
        let sep = if path.contains('?') { '&' } else { '?' };
        frame_src.set(format!("{path}{sep}open={}", opened.get_untracked()));
    };
    let reload = move || {
        let src = frame_src.get_untracked();
        let path = src.split("open=").next().unwrap_or("/").trim_end_matches(['&', '?']).to_owned();
        open(&path);
    };
    let reset = move |_| {
        browser::storage_remove(crate::state::keys::MOCK_STATE);
        browser::storage_remove(crate::state::keys::CART);
        browser::storage_remove(crate::state::draft::DRAFT_KEY);
        reset_note.set(Some(t("preview.reset_done")));
        reload();
    };
    view! {
        <div class="page preview">
            <h1>{t("preview.heading")}</h1>
            <p>{t("preview.intro")}</p>
            <div class="preview__controls">
                <fieldset class="preview__widths">
                    <legend>{t("preview.width")}</legend>
                    {WIDTHS.iter().map(|(w, key)| {
                        let w = *w;
                        view! {
                            <label class="choice">
                                <input type="radio" name="preview-width" prop:checked=move || width.get() == w on:change=move |_| width.set(w)/>
                                {format!("{} · {w} px", t(key))}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <button type="button" class="button button--secondary" on:click=reset>{t("preview.reset")}</button>
                <p role="status" class="preview__note">{move || reset_note.get()}</p>
            </div>
            <div class="preview__layout">
                <nav class="preview__list" aria-label=t("preview.states")>
                    {GALLERY.iter().map(|(screen, states)| view! {
                        <section class="preview__group">
                            <h2>{t(screen)}</h2>
                            <ul>
                                {states.iter().map(|st| {
                                    let path = st.path;
                                    let setup = st.setup;
                                    let label = format!("{} · {}", t(screen), t(st.label));
                                    view! {
                                        <li>
                                            <a href=path target="preview-frame" data-state=st.label
                                                aria-current=move || (showing.get() == label).then_some("true")
                                                on:click={
                                                    let label = format!("{} · {}", t(screen), t(st.label));
                                                    move |ev: leptos::ev::MouseEvent| {
                                                        ev.prevent_default();
                                                        prepare(setup);
                                                        showing.set(label.clone());
                                                        open(path);
                                                    }
                                                }>{t(st.label)}</a>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </section>
                    }).collect_view()}
                </nav>
                <div class="preview__stage">
                    <p class="preview__showing" aria-live="polite">{move || showing.get()}</p>
                    <div class="preview__viewport" style:inline-size=move || format!("{}px", width.get())>
                        <iframe name="preview-frame" title=t("preview.frame_title") src=move || frame_src.get()
                            width=move || width.get().to_string() height="900"></iframe>
                    </div>
                </div>
            </div>
        </div>
    }
}
