//! The checkout's summary: items, shipping per seller, the discount, tax and
//! total as the quote gives them, the payment's error, and the pay button.
//!
//! On a wide screen it stands beside the form, all of it in view. On a phone
//! it is one compact bar at the bottom (the total, a button that opens the
//! details, and the pay button), and a field the shopper moves to is scrolled
//! clear of the bar and of the on-screen keyboard ([`field_focused`]). Which of
//! the two applies is the stylesheet's choice alone (`style/orders.css`): the
//! code asks whether the details button is shown.

use checkout_core::checkout::Quote;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::api::resource::ApiResource;
use crate::components::price::Price;
use crate::i18n::{t, tf, tp};

const TOGGLE_ID: &str = "co-summary-toggle";
const DETAILS_ID: &str = "co-summary-details";
/// Room left between a field and what would cover it, in CSS pixels.
const MARGIN: f64 = 12.0;

#[component]
pub fn Summary(
    quote: ApiResource<Quote>,
    pay_error: RwSignal<Option<String>>,
    #[prop(into)] paying: Signal<bool>,
    /// Whether the details are open on a phone (the form closes them when
    /// the shopper moves to a field).
    open: RwSignal<bool>,
) -> impl IntoView {
    let quoted = move || quote.get().and_then(|r| r.ok());
    view! {
        <aside class="cart-summary checkout__summary" class:checkout__summary--open=move || open.get() aria-labelledby="co-summary-heading">
            <h2 id="co-summary-heading" class="cart-summary__heading">{t("cart.summary")}</h2>
            <div id=DETAILS_ID class="checkout__details">
                {move || quoted().map(|q| view! {
                    <dl class="cart-summary__rows">
                        <div><dt>{t("order.total.items")}</dt><dd><Price money=q.totals.items/></dd></div>
                        {q.sellers.iter().map(|s| view! {
                            <div><dt>{tf("checkout.shipping_from", &[("seller", &s.seller_name)])}</dt><dd>
                                {if s.totals.shipping.is_zero() { t("cart.free").into_any() } else { view! { <Price money=s.totals.shipping/> }.into_any() }}
                            </dd></div>
                        }).collect_view()}
                        {(!q.totals.discount.is_zero()).then(|| view! { <div><dt>{t("order.total.discount")}</dt><dd>"−"<Price money=q.totals.discount/></dd></div> })}
                        <div><dt>{t("order.total.tax")}</dt><dd><Price money=q.totals.tax/></dd></div>
                        <div class="cart-summary__total"><dt>{t("order.total.total")}</dt><dd data-testid="checkout-total"><Price money=q.totals.total/></dd></div>
                    </dl>
                    <p class="cart-summary__note">{tp("checkout.orders_note", q.sellers.len() as u64, &[])}</p>
                })}
            </div>
            {move || pay_error.get().map(|e| view! { <div class="notice notice--error" role="alert"><p>{e}</p></div> })}
            <div class="checkout__bar">
                <button type="button" id=TOGGLE_ID class="checkout__toggle" aria-controls=DETAILS_ID
                    aria-expanded=move || open.get().to_string() on:click=move |_| open.update(|o| *o = !*o)>
                    <span class="checkout__toggle-total">
                        {t("order.total.total")}" "
                        {move || quoted().map(|q| view! { <strong data-testid="checkout-bar-total"><Price money=q.totals.total/></strong> })}
                    </span>
                    <span class="checkout__toggle-more">{move || if open.get() { t("checkout.summary_hide") } else { t("checkout.summary_show") }}</span>
                </button>
                <button type="submit" class="button button--primary checkout__pay" disabled=move || paying.get() aria-busy=move || paying.get().to_string()>
                    {move || if paying.get() { t("payment.paying") } else { t("checkout.pay") }}
                </button>
            </div>
        </aside>
    }
}

/// Whether the summary is the phone's bar (its details button is shown).
fn is_bar(doc: &web_sys::Document) -> bool {
    doc.get_element_by_id(TOGGLE_ID).is_some_and(|b| b.get_bounding_client_rect().height() > 0.0)
}

/// The shopper moved to a field of the form (its focus event): the details
/// close, and on a phone, once the page has settled, the field is scrolled
/// just clear of the summary bar and of the on-screen keyboard (what the
/// visual viewport leaves visible). The summary's own buttons are left be.
pub fn field_focused(ev: &leptos::ev::FocusEvent, open: RwSignal<bool>) {
    let Some(field) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
    if field.closest(".checkout__summary").ok().flatten().is_some() {
        return;
    }
    open.set(false);
    request_animation_frame(move || {
        let Some(win) = crate::browser::window() else { return };
        let Some(doc) = win.document() else { return };
        if !is_bar(&doc) {
            return;
        }
        let Some(bar) = doc.query_selector(".checkout__summary").ok().flatten() else { return };
        let layout_bottom = win.inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(f64::MAX);
        let visible_bottom = win.visual_viewport().map_or(layout_bottom, |v| v.offset_top() + v.height());
        let limit = bar.get_bounding_client_rect().top().min(visible_bottom) - MARGIN;
        let below = field.get_bounding_client_rect().bottom() - limit;
        if below > 0.0 {
            win.scroll_by_with_x_and_y(0.0, below);
        }
    });
}
