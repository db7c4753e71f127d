//! A product in the catalog grid: image, name, price, seller and their positive
//! feedback, one link to the product page.

use checkout_core::catalog::{Product, Seller};
use leptos::prelude::*;

use crate::components::price::Price;
use crate::i18n::{format, t, tf};

/// `eager`: the card is in the first screenful, so its image loads at once
/// (a lazy image waits for layout, and the first one is the page's largest
/// paint); the others load as they scroll near.
#[component]
pub fn ProductCard(product: Product, seller: Seller, #[prop(optional)] eager: bool) -> impl IntoView {
    let href = format!("/products/{}", product.id);
    let image = product.images.first().cloned();
    let feedback = format::percent_permille(u32::from(seller.positive_feedback_permille));
    let sold_out = !product.in_stock();
    view! {
        <li class="product-card">
            <a href=href class="product-card__link">
                {image.map(|img| view! {
                    <img class="product-card__image" src=img.src width=img.width height=img.height alt="" loading=if eager { "eager" } else { "lazy" }/>
                })}
                <span class="product-card__name">{product.name.clone()}</span>
            </a>
            <Price money=product.price class="product-card__price"/>
            {sold_out.then(|| view! { <span class="badge badge--muted">{t("product.sold_out")}</span> })}
            <p class="product-card__seller">
                <span>{seller.name.clone()}</span>
                <span class="product-card__feedback">{tf("seller.feedback_short", &[("percent", &feedback)])}</span>
            </p>
        </li>
    }
}
