//! What a screen shows when its data could not be loaded: why, and a way to retry.

use leptos::prelude::*;

use crate::api::ApiError;
use crate::i18n::t;

#[component]
pub fn LoadError(error: ApiError, on_retry: Callback<()>) -> impl IntoView {
    // Why a first screen is not there is the first screen.
    crate::components::shell::screen_drawn();
    view! {
        <div class="notice notice--error" role="alert">
            <p>{t(error.message_key())}</p>
            <button type="button" class="button button--secondary" on:click=move |_| on_retry.run(())>
                {t("action.retry")}
            </button>
        </div>
    }
}
