//! Feedback after completion (PRODUCT.md section 1): stars for the item, the
//! seller's communication and shipping speed, and up to 1,000 characters; once
//! only, then shown read-only.

use checkout_core::order::{Feedback, OrderId, FEEDBACK_MAX_CHARS};
use leptos::prelude::*;

use crate::api::{use_api_handle, EvidenceUpload};
use crate::components::evidence_picker::{problems, EvidencePicker, Picked};
use crate::i18n::{format, t, tf, tp};

const ASPECTS: [(&str, &str); 3] = [
    ("item", "feedback.item"),
    ("communication", "feedback.communication"),
    ("shipping", "feedback.shipping"),
];

#[component]
fn Stars(name: &'static str, #[prop(into)] legend: String, value: RwSignal<u8>) -> impl IntoView {
    view! {
        <fieldset class="stars">
            <legend>{legend}</legend>
            {(1u8..=5).map(|n| view! {
                <label class="stars__choice">
                    <input type="radio" name=name id=format!("{name}-{n}") value=n.to_string()
                        prop:checked=move || value.get() == n on:change=move |_| value.set(n)/>
                    <span aria-hidden="true">{if n == 1 { "★".to_string() } else { "★".repeat(n as usize) }}</span>
                    <span class="visually-hidden">{tf("feedback.stars", &[("n", &n.to_string())])}</span>
                </label>
            }).collect_view()}
        </fieldset>
    }
}

/// The form. Photos (optional) are uploaded first; then `on_send` gets the
/// three ratings, the text and the uploaded photos' ids.
#[component]
pub fn FeedbackForm(
    order_id: OrderId,
    on_send: Callback<(u8, u8, u8, String, Vec<String>)>,
    #[prop(into)] busy: Signal<bool>,
) -> impl IntoView {
    let ratings = [RwSignal::new(0u8), RwSignal::new(0u8), RwSignal::new(0u8)];
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let photos = RwSignal::new(Vec::<Picked>::new());
    let uploading = RwSignal::new(false);
    let api = use_api_handle();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let [a, b, c] = ratings.map(|r| r.get_untracked());
        if [a, b, c].contains(&0) {
            error.set(Some(t("feedback.stars_required")));
            return;
        }
        if text.with_untracked(|t| t.chars().count()) > FEEDBACK_MAX_CHARS {
            error.set(Some(tf("feedback.too_long", &[("max", &format::integer(FEEDBACK_MAX_CHARS as u64))])));
            return;
        }
        let picked = photos.get_untracked();
        if picked.iter().any(|p| p.kind.is_some_and(|k| k.is_video())) || !problems(&picked).is_empty() {
            error.set(Some(t("feedback.photos_invalid")));
            return;
        }
        error.set(None);
        let api = api.get_value();
        let id = order_id.clone();
        let body = text.get_untracked();
        uploading.set(true);
        leptos::task::spawn_local(async move {
            let mut refs = Vec::new();
            for p in &picked {
                let upload = EvidenceUpload { name: p.file.name.clone(), bytes: p.file.bytes, head: p.head.clone() };
                match api.upload_evidence(&id, &upload).await {
                    Ok(r) => refs.push(r.id),
                    Err(e) => {
                        error.set(Some(t(e.message_key())));
                        uploading.set(false);
                        return;
                    }
                }
            }
            uploading.set(false);
            on_send.run((a, b, c, body, refs));
        });
    };
    view! {
        <form class="feedback" on:submit=submit novalidate>
            {ASPECTS.iter().zip(ratings).map(|((name, key), value)| view! { <Stars name=name legend=t(key) value=value/> }).collect_view()}
            <label for="feedback-text" class="field__label">{t("feedback.text")}</label>
            <textarea id="feedback-text" class="field__input" rows="4" aria-describedby="feedback-count feedback-error"
                prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            <p class="field__hint" id="feedback-count">
                {move || tf("dispute.counter", &[("count", &format::integer(text.with(|t| t.chars().count()) as u64)), ("max", &format::integer(FEEDBACK_MAX_CHARS as u64))])}
            </p>
            <EvidencePicker id="feedback-photos" files=photos label=t("feedback.photos")/>
            <p class="field-message" id="feedback-error" role="alert">{move || error.get()}</p>
            <button type="submit" class="button button--primary" disabled=move || busy.get() || uploading.get()>{t("feedback.submit")}</button>
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
