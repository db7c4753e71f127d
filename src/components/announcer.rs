//! One polite live region for the whole app: what changes by itself, or away from
//! the shopper's focus, is said to screen readers through [`announce`].

use leptos::prelude::*;

#[derive(Clone, Copy)]
struct Announcement(RwSignal<String>);

pub fn provide_announcer() {
    provide_context(Announcement(RwSignal::new(String::new())));
}

/// Says `text` to screen readers. Repeating the same text is said again.
pub fn announce(text: String) {
    if let Some(Announcement(sig)) = use_context::<Announcement>() {
        // Clearing first makes an identical message a change the reader notices.
        sig.set(String::new());
        request_animation_frame(move || sig.set(text));
    }
}

#[component]
pub fn Announcer() -> impl IntoView {
    let Announcement(text) = expect_context::<Announcement>();
    view! { <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true" id="announcer">{move || text.get()}</div> }
}
