//! The list of every error in a form, shown on sending: it takes focus, and
//! each entry links to (and focuses) its field.

use leptos::prelude::*;

use crate::browser;
use crate::i18n::t;

/// `items` are (field id, message) pairs; empty hides the summary.
#[component]
pub fn ErrorSummary(id: &'static str, items: RwSignal<Vec<(String, String)>>) -> impl IntoView {
    view! {
        <div id=id tabindex="-1" class="error-summary" role="alert" hidden=move || items.with(Vec::is_empty)>
            <h2>{t("form.fix_these")}</h2>
            <ul>
                {move || items.get().into_iter().map(|(field, text)| view! {
                    <li><a href=format!("#{field}") on:click=move |e| { e.prevent_default(); browser::focus_id(&field); }>{text}</a></li>
                }).collect_view()}
            </ul>
        </div>
    }
}
