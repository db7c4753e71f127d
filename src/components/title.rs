//! The document title per route: "<page> · <store>".

#[cfg(not(feature = "ssr"))]
use leptos::prelude::*;

#[cfg(not(feature = "ssr"))]
use crate::browser;
use crate::i18n::t;

/// Keeps the document title in step with the page, which screen readers read on
/// navigation and tabs show.
pub fn use_title(page: impl Fn() -> String + 'static) {
    let title = move || format!("{} · {}", page(), t("app.store_name"));
    // Drawn natively, the renderer reads the title once the screen is drawn.
    #[cfg(feature = "ssr")]
    crate::render::title_is(title);
    #[cfg(not(feature = "ssr"))]
    Effect::new(move |_| browser::set_document_title(&title()));
}
