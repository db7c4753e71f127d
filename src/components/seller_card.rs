//! The store behind a product or a cart group, with what a shopper checks before
//! buying (docs/rules.md#sellers): rating, positive feedback, years open, orders
//! served and the verification badge.

use checkout_core::catalog::Seller;
use leptos::prelude::*;

use crate::i18n::{format, t, tf, tp};

#[component]
pub fn VerifiedBadge(verified: bool) -> impl IntoView {
    verified.then(|| {
        view! {
            <span class="badge badge--verified">
                <svg class="icon" aria-hidden="true" viewBox="0 0 16 16" width="16" height="16">
                    <path d="M8 1l2 1.5 2.5-.2.8 2.4 2 1.5-.8 2.4.8 2.4-2 1.5-.8 2.4-2.5-.2L8 15l-2-1.5-2.5.2-.8-2.4-2-1.5.8-2.4-.8-2.4 2-1.5.8-2.4 2.5.2z" fill="currentColor"/>
                    <path d="M5 8l2 2 4-4" stroke="var(--color-on-accent)" stroke-width="1.6" fill="none"/>
                </svg>
                {t("seller.verified")}
            </span>
        }
    })
}

#[component]
pub fn SellerCard(seller: Seller) -> impl IntoView {
    let rating = format::tenths(u32::from(seller.rating_tenths));
    view! {
        <section class="seller-card" aria-labelledby="seller-card-name">
            <h2 class="seller-card__name" id="seller-card-name">{seller.name.clone()}</h2>
            <VerifiedBadge verified=seller.verified/>
            <dl class="seller-card__facts">
                <div>
                    <dt>{t("seller.rating")}</dt>
                    <dd>{tf("seller.rating_value", &[("rating", &rating)])}</dd>
                </div>
                <div>
                    <dt>{t("seller.positive_feedback")}</dt>
                    <dd>{format::percent_permille(u32::from(seller.positive_feedback_permille))}</dd>
                </div>
                <div>
                    <dt>{t("seller.years_open")}</dt>
                    <dd>{tp("seller.years", u64::from(seller.years_open), &[])}</dd>
                </div>
                <div>
                    <dt>{t("seller.orders_served")}</dt>
                    <dd>{format::integer(u64::from(seller.orders_served))}</dd>
                </div>
            </dl>
        </section>
    }
}
