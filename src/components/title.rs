//! The document title per route: "<page> · <store>".

use leptos::prelude::*;

use crate::{browser, i18n::t};

/// Keeps the document title in step with the page, which screen readers read on
/// navigation and tabs show.
pub fn use_title(page: impl Fn() -> String + 'static) {
    Effect::new(move |_| {
        browser::set_document_title(&format!("{} · {}", page(), t("app.store_name")));
    });
}
