//! Any URL that is no screen: say so and lead back to the catalog.

use leptos::prelude::*;

use crate::components::title::use_title;
use crate::i18n::t;

#[component]
pub fn NotFound() -> impl IntoView {
    use_title(|| t("not_found.title"));
    view! { <NotFoundContent heading_key="not_found.heading" body_key="not_found.body"/> }
}

/// The not-found message, also used by screens whose id in the URL is unknown.
#[component]
pub fn NotFoundContent(heading_key: &'static str, body_key: &'static str) -> impl IntoView {
    view! {
        <div class="page page--not-found">
            <h1>{t(heading_key)}</h1>
            <p>{t(body_key)}</p>
            <a href="/" class="button">{t("action.back_to_catalog")}</a>
        </div>
    }
}
