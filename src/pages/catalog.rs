//! `/`: the catalog, every product with its price, seller and the seller's
//! positive feedback. Space for the grid is reserved while it loads.

use leptos::prelude::*;

use crate::api::use_api;
use crate::components::{load_error::LoadError, product_card::ProductCard, shell::screen_drawn, title::use_title};
use crate::i18n::t;

/// How many cards a first screen shows at most (two rows of a wide grid):
/// their images load at once, the rest lazily.
const FIRST_SCREENFUL: usize = 8;

#[component]
pub fn CatalogPage() -> impl IntoView {
    use_title(|| t("catalog.title"));
    let api = use_api();
    let (catalog, retry) = crate::api::resource::use_api_resource(move || {
        let api = api.clone();
        async move { api.catalog().await }
    });
    view! {
        <div class="page page--catalog">
            <h1>{t("catalog.heading")}</h1>
            <Transition fallback=CatalogSkeleton>
                {move || Suspend::new(async move {
                    match catalog.await {
                        Ok(c) => {
                            screen_drawn();
                            let cards = c.products.iter().filter_map(|p| Some((p, c.seller(&p.seller_id)?.clone()))).enumerate().map(|(i, (p, seller))| {
                                view! { <ProductCard product=p.clone() seller=seller eager={i < FIRST_SCREENFUL}/> }
                            }).collect_view();
                            view! { <ul class="product-grid" aria-label=t("catalog.list_label")>{cards}</ul> }.into_any()
                        }
                        Err(e) => view! { <LoadError error=e on_retry=retry/> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

/// Placeholder cards of the real cards' size, so nothing jumps when data arrives.
#[component]
fn CatalogSkeleton() -> impl IntoView {
    view! {
        <ul class="product-grid" aria-busy="true" aria-label=t("common.loading")>
            {(0..8).map(|_| view! {
                <li class="product-card product-card--skeleton" aria-hidden="true">
                    <div class="skeleton skeleton--image"></div>
                    <div class="skeleton skeleton--line"></div>
                    <div class="skeleton skeleton--line skeleton--short"></div>
                </li>
            }).collect_view()}
        </ul>
    }
}
