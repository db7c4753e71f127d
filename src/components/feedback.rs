//! Feedback after completion (docs/rules.md#feedback): stars for the item, the
//! seller's communication and shipping speed, up to 1,000 characters and six
//! photos; once only, then shown read-only.

use checkout_core::evidence::EvidenceKind;
use checkout_core::order::{check_feedback, Feedback, FEEDBACK_MAX_CHARS};
use leptos::prelude::*;

use crate::components::evidence_picker::{problems, EvidencePicker, Picked};
use crate::i18n::rules::refusal;
use crate::i18n::{format, t, tf, tp};
use crate::state::form_draft::FeedbackDraft;

const ASPECTS: [(&str, &str); 3] = [
    ("item", "feedback.item"),
    ("communication", "feedback.communication"),
    ("shipping", "feedback.shipping"),
];

#[component]
fn Stars(name: &'static str, #[prop(into)] legend: String, draft: RwSignal<FeedbackDraft>, index: usize) -> impl IntoView {
    view! {
        <fieldset class="stars">
            <legend>{legend}</legend>
            {(1u8..=5).map(|n| view! {
                <label class="stars__choice">
                    <input type="radio" name=name id=format!("{name}-{n}") value=n.to_string()
                        prop:checked=move || draft.with(|d| d.stars[index] == n) on:change=move |_| draft.update(|d| d.stars[index] = n)/>
                    <span aria-hidden="true">{if n == 1 { "★".to_string() } else { "★".repeat(n as usize) }}</span>
                    <span class="visually-hidden">{tf("feedback.stars", &[("n", &n.to_string())])}</span>
                </label>
            }).collect_view()}
        </fieldset>
    }
}

/// The form. Its fields are the page's (`draft`, `photos`), so a re-read of
/// the order keeps them; `on_send` runs once the core's checks pass, and the
/// page uploads the photos and sends the feedback.
#[component]
pub fn FeedbackForm(
    draft: RwSignal<FeedbackDraft>,
    photos: RwSignal<Vec<Picked>>,
    on_send: Callback<()>,
    #[prop(into)] busy: Signal<bool>,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let picked = photos.get_untracked();
        let message = if problems(&picked).is_empty() {
            let kinds: Vec<EvidenceKind> = picked.iter().filter_map(|p| p.kind).collect();
            draft.with_untracked(|d| check_feedback(d.stars, &d.text, &kinds)).err().map(|e| refusal(&e))
        } else {
            Some(t("feedback.photos_invalid"))
        };
        error.set(message.clone());
        if message.is_none() {
            on_send.run(());
        }
    };
    let count = move || draft.with(|d| d.text.chars().count()) as u64;
    view! {
        <form class="feedback" on:submit=submit novalidate>
            {ASPECTS.iter().enumerate().map(|(i, (name, key))| view! { <Stars name=name legend=t(key) draft=draft index=i/> }).collect_view()}
            <label for="feedback-text" class="field__label">{t("feedback.text")}</label>
            <textarea id="feedback-text" class="field__input" rows="4" aria-describedby="feedback-count feedback-error"
                prop:value=move || draft.with(|d| d.text.clone()) on:input=move |ev| draft.update(|d| d.text = event_target_value(&ev))></textarea>
            <p class="field__hint" id="feedback-count">
                {move || tf("dispute.counter", &[("count", &format::integer(count())), ("max", &format::integer(FEEDBACK_MAX_CHARS as u64))])}
            </p>
            <EvidencePicker id="feedback-photos" files=photos label=t("feedback.photos")/>
            <p class="field-message" id="feedback-error" role="alert">{move || error.get()}</p>
            <button type="submit" class="button button--primary" disabled=move || busy.get()>{t("feedback.submit")}</button>
        </form>
    }
}

#[component]
pub fn FeedbackShown(feedback: Feedback) -> impl IntoView {
    let rows = [
        ("feedback.item", feedback.item_stars),
        ("feedback.communication", feedback.communication_stars),
        ("feedback.shipping", feedback.shipping_stars),
    ];
    view! {
        <dl class="feedback-shown">
            {rows.into_iter().map(|(k, n)| view! {
                <div><dt>{t(k)}</dt><dd>{tf("feedback.stars", &[("n", &n.to_string())])}</dd></div>
            }).collect_view()}
        </dl>
        {(!feedback.text.is_empty()).then(|| view! { <blockquote class="feedback-shown__text">{feedback.text.clone()}</blockquote> })}
        {(!feedback.photos.is_empty()).then(|| view! { <p class="field__hint">{tp("feedback.photos_count", feedback.photos.len() as u64, &[])}</p> })}
        <p class="field__hint">{tf("feedback.left_on", &[("date", &format::date(feedback.left_at))])}</p>
    }
}
