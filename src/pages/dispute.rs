//! `/orders/:id/dispute`: opening a dispute (PRODUCT.md section 3): a reason, a
//! full or partial refund bounded by what is left of the payment, a description
//! of 20 to 2,000 characters with a counter, and evidence files. Fields are
//! checked on leaving them; on sending, focus moves to a summary of every error
//! with links to the fields. Files upload one by one with progress.

use checkout_core::money::Money;
use checkout_core::order::{
    DisputeReason, Order, OrderId, RefundRequest, DESCRIPTION_MAX_CHARS, DESCRIPTION_MIN_CHARS,
};
use checkout_core::time::Timestamp;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::api::{use_api, use_api_handle, ApiError, EvidenceUpload};
use crate::browser;
use crate::components::announcer::announce;
use crate::components::error_summary::ErrorSummary;
use crate::components::evidence_picker::{problems, EvidencePicker, Picked};
use crate::components::{load_error::LoadError, title::use_title};
use crate::i18n::{format, t, tf};
use crate::pages::not_found::NotFoundContent;

const REASONS: [(DisputeReason, &str); 6] = [
    (DisputeReason::NotReceived, "dispute.reason.not_received"),
    (DisputeReason::NotAsDescribed, "dispute.reason.not_as_described"),
    (DisputeReason::Damaged, "dispute.reason.damaged"),
    (DisputeReason::WrongItem, "dispute.reason.wrong_item"),
    (DisputeReason::Counterfeit, "dispute.reason.counterfeit"),
    (DisputeReason::MissingParts, "dispute.reason.missing_parts"),
];

#[component]
pub fn DisputePage() -> impl IntoView {
    use_title(|| t("dispute.title"));
    let params = use_params_map();
    let id = Memo::new(move |_| OrderId(params.read().get("id").unwrap_or_default()));
    let api = use_api();
    let (data, retry) = crate::api::resource::use_api_resource(move || {
        let api = api.clone();
        let id = id.get();
        async move { Ok::<_, ApiError>((api.order(&id).await?, api.now().await?)) }
    });
    view! {
        <Transition fallback=|| view! { <div class="page skeleton order-skeleton" aria-busy="true"></div> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((order, now)) => view! { <DisputeForm order=order now=now/> }.into_any(),
                    Err(ApiError::NotFound) => view! { <NotFoundContent heading_key="order.not_found_heading" body_key="order.not_found_body"/> }.into_any(),
                    Err(e) => view! { <div class="page"><LoadError error=e on_retry=retry/></div> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Why the form cannot be used now, if it cannot.
fn unavailable(order: &Order, now: Timestamp) -> Option<String> {
    if order.open_dispute().is_some() {
        return Some(t("dispute.already_open"));
    }
    match order.dispute_window() {
        None => Some(t("dispute.not_for_status")),
        Some((opens, _)) if now < opens => Some(tf("order.dispute_from", &[("date", &format::date_time(opens))])),
        Some((_, Some(closes))) if now > closes => Some(t("dispute.window_closed")),
        _ => None,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum RefundKind {
    Full,
    Partial,
}

#[component]
fn DisputeForm(order: Order, now: Timestamp) -> impl IntoView {
    let back = format!("/orders/{}", order.id.0);
    if let Some(why) = unavailable(&order, now) {
        return view! {
            <div class="page dispute">
                <h1>{t("dispute.heading")}</h1>
                <p class="notice notice--info">{why}</p>
                <a href=back class="button">{t("dispute.back")}</a>
            </div>
        }
        .into_any();
    }
    let max = order.refundable();
    let currency = max.currency;
    let reason = RwSignal::new(None::<DisputeReason>);
    let refund_kind = RwSignal::new(RefundKind::Full);
    let amount_text = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let files = RwSignal::new(Vec::<Picked>::new());
    // Errors shown per field, set on leaving a field or on sending.
    let reason_error = RwSignal::new(None::<String>);
    let amount_error = RwSignal::new(None::<String>);
    let description_error = RwSignal::new(None::<String>);
    let summary = RwSignal::new(Vec::<(String, String)>::new());
    let sending = RwSignal::new(None::<(usize, usize)>);
    let send_error = RwSignal::new(None::<String>);

    let check_amount = move || -> Result<Money, String> {
        match Money::parse_decimal(&amount_text.get_untracked(), currency) {
            Ok(m) if m.minor > 0 && m.minor <= max.minor => Ok(m),
            Ok(_) => Err(tf("dispute.amount_bounds", &[("max", &format::money(&max))])),
            Err(checkout_core::money::MoneyError::TooManyDecimals { allowed, .. }) => {
                Err(tf("dispute.amount_decimals", &[("digits", &allowed.to_string())]))
            }
            Err(_) => Err(tf("dispute.amount_format", &[("max", &format::money(&max))])),
        }
    };
    let check_description = move || -> Result<(), String> {
        let n = description.get_untracked().trim().chars().count();
        if n < DESCRIPTION_MIN_CHARS {
            Err(tf("dispute.description_short", &[("min", &DESCRIPTION_MIN_CHARS.to_string())]))
        } else if n > DESCRIPTION_MAX_CHARS {
            Err(tf("dispute.description_long", &[("max", &format::integer(DESCRIPTION_MAX_CHARS as u64))]))
        } else {
            Ok(())
        }
    };

    let handle = use_api_handle();
    let navigate = use_navigate();
    let order_id = order.id.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked().is_some() {
            return;
        }
        let mut errors: Vec<(String, String)> = Vec::new();
        reason_error.set(None);
        if reason.get_untracked().is_none() {
            let e = t("dispute.reason_required");
            reason_error.set(Some(e.clone()));
            errors.push(("dispute-reason-0".into(), e));
        }
        let refund = match refund_kind.get_untracked() {
            RefundKind::Full => Some(RefundRequest::Full),
            RefundKind::Partial => match check_amount() {
                Ok(m) => Some(RefundRequest::Partial(m)),
                Err(e) => {
                    amount_error.set(Some(e.clone()));
                    errors.push(("dispute-amount".into(), e));
                    None
                }
            },
        };
        if let Err(e) = check_description() {
            description_error.set(Some(e.clone()));
            errors.push(("dispute-description".into(), e));
        }
        for p in problems(&files.get_untracked()) {
            errors.push(("dispute-evidence".into(), p));
        }
        summary.set(errors.clone());
        if !errors.is_empty() {
            request_animation_frame(|| browser::focus_id("dispute-summary"));
            return;
        }
        let (Some(reason), Some(refund)) = (reason.get_untracked(), refund) else { return };
        let api = handle.get_value();
        let id = order_id.clone();
        let navigate = navigate.clone();
        let picked = files.get_untracked();
        let text = description.get_untracked();
        sending.set(Some((0, picked.len())));
        send_error.set(None);
        leptos::task::spawn_local(async move {
            let mut refs = Vec::new();
            for (i, p) in picked.iter().enumerate() {
                sending.set(Some((i, picked.len())));
                let upload = EvidenceUpload { name: p.file.name.clone(), bytes: p.file.bytes, head: p.head.clone() };
                match api.upload_evidence(&id, &upload).await {
                    Ok(r) => refs.push(r.id),
                    Err(e) => {
                        send_error.set(Some(t(e.message_key())));
                        sending.set(None);
                        return;
                    }
                }
            }
            sending.set(Some((picked.len(), picked.len())));
            match api.open_dispute(&id, reason, refund, text, refs).await {
                Ok(_) => {
                    announce(t("dispute.opened"));
                    navigate(&format!("/orders/{}", id.0), Default::default());
                }
                Err(e) => {
                    send_error.set(Some(t(e.message_key())));
                    sending.set(None);
                }
            }
        });
    };

    let count = move || description.with(|d| d.trim().chars().count());
    view! {
        <div class="page dispute">
            <h1>{t("dispute.heading")}</h1>
            <p>{tf("dispute.intro", &[("number", &order.number), ("max", &format::money(&max))])}</p>
            <ErrorSummary id="dispute-summary" items=summary/>
            <form class="dispute__form" on:submit=submit novalidate>
                <fieldset class="field" aria-describedby="dispute-reason-error">
                    <legend class="field__label">{t("dispute.reason")}</legend>
                    {REASONS.iter().enumerate().map(|(i, (r, key))| {
                        let r = *r;
                        view! {
                            <label class="choice">
                                <input type="radio" name="dispute-reason" id=format!("dispute-reason-{i}")
                                    on:change=move |_| { reason.set(Some(r)); reason_error.set(None); }/>
                                {t(key)}
                            </label>
                        }
                    }).collect_view()}
                    <p class="field-message" id="dispute-reason-error">{move || reason_error.get()}</p>
                </fieldset>
                <fieldset class="field">
                    <legend class="field__label">{t("dispute.refund")}</legend>
                    <label class="choice">
                        <input type="radio" name="dispute-refund" checked=true on:change=move |_| { refund_kind.set(RefundKind::Full); amount_error.set(None); }/>
                        {tf("dispute.refund_full", &[("max", &format::money(&max))])}
                    </label>
                    <label class="choice">
                        <input type="radio" name="dispute-refund" id="dispute-refund-partial" on:change=move |_| refund_kind.set(RefundKind::Partial)/>
                        {t("dispute.refund_partial")}
                    </label>
                    <div class="field" hidden=move || refund_kind.get() != RefundKind::Partial>
                        <label for="dispute-amount" class="field__label">{tf("dispute.amount", &[("currency", currency.code())])}</label>
                        <input id="dispute-amount" class="field__input field__input--short" inputmode="decimal" autocomplete="off"
                            aria-describedby="dispute-amount-error" aria-invalid=move || amount_error.with(Option::is_some).to_string()
                            prop:value=move || amount_text.get()
                            on:input=move |ev| { amount_text.set(event_target_value(&ev)); if amount_error.with_untracked(Option::is_some) { amount_error.set(check_amount().err()); } }
                            on:blur=move |_| if !amount_text.get_untracked().is_empty() { amount_error.set(check_amount().err()); }/>
                        <p class="field-message" id="dispute-amount-error">{move || amount_error.get()}</p>
                    </div>
                </fieldset>
                <div class="field">
                    <label for="dispute-description" class="field__label">{t("dispute.description")}</label>
                    <textarea id="dispute-description" class="field__input" rows="6" maxlength="4000"
                        aria-describedby="dispute-description-count dispute-description-error"
                        aria-invalid=move || description_error.with(Option::is_some).to_string()
                        prop:value=move || description.get()
                        on:input=move |ev| { description.set(event_target_value(&ev)); if description_error.with_untracked(Option::is_some) { description_error.set(check_description().err()); } }
                        on:blur=move |_| if !description.get_untracked().is_empty() { description_error.set(check_description().err()); }></textarea>
                    <p class="field__hint" id="dispute-description-count">
                        {move || tf("dispute.counter", &[("count", &format::integer(count() as u64)), ("max", &format::integer(DESCRIPTION_MAX_CHARS as u64))])}
                    </p>
                    <p class="field-message" id="dispute-description-error">{move || description_error.get()}</p>
                </div>
                <EvidencePicker id="dispute-evidence" files=files label=t("dispute.evidence")/>
                {move || send_error.get().map(|e| view! { <div class="notice notice--error" role="alert"><p>{e}</p></div> })}
                {move || sending.get().map(|(done, total)| view! {
                    <div class="upload-progress" role="status">
                        <progress max=total.max(1).to_string() value=done.to_string()></progress>
                        <span>{if done < total { tf("dispute.uploading", &[("n", &(done + 1).to_string()), ("total", &total.to_string())]) } else { t("dispute.sending") }}</span>
                    </div>
                })}
                <div class="dispute__actions">
                    <button type="submit" class="button button--primary" disabled=move || sending.get().is_some()>{t("dispute.submit")}</button>
                    <a href=back class="button button--secondary">{t("action.cancel")}</a>
                </div>
            </form>
        </div>
    }
    .into_any()
}
