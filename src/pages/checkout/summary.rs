//! The checkout's summary beside the form: items, shipping per seller, the
//! discount, tax and total as the quote gives them, the payment's error, and
//! the pay button.

use checkout_core::checkout::Quote;
use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::price::Price;
use crate::i18n::{t, tf, tp};

#[component]
pub fn Summary(
    quote: LocalResource<Result<Quote, ApiError>>,
    pay_error: RwSignal<Option<String>>,
    #[prop(into)] paying: Signal<bool>,
) -> impl IntoView {
    view! {
        <aside class="cart-summary checkout__summary" aria-labelledby="co-summary-heading">
            <h2 id="co-summary-heading" class="cart-summary__heading">{t("cart.summary")}</h2>
            {move || quote.get().and_then(|r| r.ok()).map(|q| view! {
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
            {move || pay_error.get().map(|e| view! { <div class="notice notice--error" role="alert"><p>{e}</p></div> })}
            <button type="submit" class="button button--primary checkout__pay" disabled=move || paying.get() aria-busy=move || paying.get().to_string()>
                {move || if paying.get() { t("payment.paying") } else { t("checkout.pay") }}
            </button>
        </aside>
    }
}
