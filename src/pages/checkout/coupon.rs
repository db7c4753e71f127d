//! The coupon: typed freely, counted once applied, with the quote's answer
//! (applied, or why not and how to fix it).

use checkout_core::checkout::{Quote, QuoteError};
use leptos::prelude::*;

use crate::api::resource::ApiResource;
use crate::api::ApiError;
use crate::i18n::{t, tf};
use crate::state::draft::CheckoutDraft;

pub fn quote_error_text(e: &QuoteError) -> String {
    match e {
        QuoteError::CouponUnknown => t("checkout.coupon_unknown"),
        QuoteError::CouponExpired => t("checkout.coupon_expired"),
        QuoteError::CouponUsedUp => t("checkout.coupon_used_up"),
        QuoteError::CouponMinimumNotMet { min } => tf("checkout.coupon_minimum", &[("min", &crate::i18n::format::money(min))]),
        QuoteError::NothingToBuy => t("checkout.nothing_to_buy"),
        QuoteError::PriceChanged { .. } => t("checkout.price_changed"),
        _ => t("error.quote_refused"),
    }
}

#[component]
pub fn CouponSection(
    draft: RwSignal<CheckoutDraft>,
    applied: RwSignal<String>,
    quote: ApiResource<Quote>,
) -> impl IntoView {
    let typed = RwSignal::new(draft.with_untracked(|d| d.coupon.clone()));
    let apply = move |_| {
        let code = typed.get_untracked();
        draft.update(|d| d.coupon = code.clone());
        applied.set(code);
    };
    view! {
        <section class="order-section" aria-labelledby="co-coupon-heading">
            <h2 id="co-coupon-heading">{t("checkout.coupon_heading")}</h2>
            <label for="co-coupon" class="field__label">{t("checkout.coupon")}</label>
            <div class="coupon">
                <input id="co-coupon" class="field__input" autocomplete="off" aria-describedby="co-coupon-error"
                    prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))/>
                <button type="button" class="button button--secondary" on:click=apply>{t("checkout.apply")}</button>
            </div>
            <p class="field-message" id="co-coupon-error" role="status">
                {move || match quote.get() {
                    Some(Err(ApiError::QuoteRefused { reason })) => Some(quote_error_text(&reason)),
                    Some(Ok(q)) if q.coupon.is_some() => Some(t("checkout.coupon_applied")),
                    _ => None,
                }}
            </p>
        </section>
    }
}
