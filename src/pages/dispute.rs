//! `/orders/:id/dispute`: opening a dispute (docs/rules.md#disputes): a reason, a
//! full or partial refund bounded by what is left of the payment, a description
//! of 20 to 2,000 characters with a counter, and evidence files. Fields are
//! checked on leaving them; on sending, focus moves to a summary of every error
//! with links to the fields. Files upload one by one with progress.

use checkout_core::money::Money;
use checkout_api::OrderApi;
use checkout_core::order::{
    check_dispute_description, BuyerActionKind, DisputeReason, Order, OrderId, RefundRequest, DESCRIPTION_MAX_CHARS,
    DESCRIPTION_MIN_CHARS,
};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::{use_api_handle, ApiError};
use crate::browser;
use crate::components::announcer::announce;
use crate::components::error_summary::ErrorSummary;
use crate::components::evidence_picker::{problems, EvidencePicker, Picked};
use crate::components::order_form_screen::{use_order_id, FormWords, OrderFormScreen};
use crate::components::title::use_title;
use crate::i18n::rules::{api_error_text, refusal};
use crate::i18n::{format, t, tf};
use crate::state::form_draft::DisputeDraft;

const REASONS: [(DisputeReason, &str); 6] = [
    (DisputeReason::NotReceived, "dispute.reason.not_received"),
    (DisputeReason::NotAsDescribed, "dispute.reason.not_as_described"),
    (DisputeReason::Damaged, "dispute.reason.damaged"),
    (DisputeReason::WrongItem, "dispute.reason.wrong_item"),
    (DisputeReason::Counterfeit, "dispute.reason.counterfeit"),
    (DisputeReason::MissingParts, "dispute.reason.missing_parts"),
];

/// What the form holds: the typed fields (kept for the session) and the
/// files picked (kept while the page is open). Made outside the part drawn
/// from the order, so a re-read of it keeps them.
#[derive(Clone, Copy, PartialEq)]
struct DisputeFields {
    draft: RwSignal<DisputeDraft>,
    files: RwSignal<Vec<Picked>>,
}

#[component]
pub fn DisputePage() -> impl IntoView {
    use_title(|| t("dispute.title"));
    let id = use_order_id();
    let fields = Memo::new(move |_| DisputeFields { draft: DisputeDraft::for_order(&id.get()), files: RwSignal::new(Vec::new()) });
    let form = Callback::new(move |order: Order| {
        view! { <DisputeForm order=order fields=fields.get_untracked()/> }.into_any()
    });
    let words = FormWords { heading: "dispute.heading", not_for_status: "dispute.not_for_status", back: "dispute.back" };
    view! { <OrderFormScreen id=id action=BuyerActionKind::OpenDispute words=words class="page dispute" form=form/> }
}

/// Uploads the files one by one (saying which), then opens the dispute.
async fn send(
    api: std::rc::Rc<dyn OrderApi>,
    id: OrderId,
    reason: DisputeReason,
    refund: RefundRequest,
    description: String,
    picked: Vec<Picked>,
    progress: RwSignal<Option<(usize, usize)>>,
) -> Result<(), ApiError> {
    let mut refs = Vec::new();
    for (i, p) in picked.iter().enumerate() {
        progress.set(Some((i, picked.len())));
        refs.push(api.upload_evidence(&id, &p.upload()).await?.id);
    }
    progress.set(Some((picked.len(), picked.len())));
    api.open_dispute(&id, reason, refund, description, refs).await.map(|_| ())
}

#[component]
fn DisputeForm(order: Order, fields: DisputeFields) -> impl IntoView {
    let back = format!("/orders/{}", order.id.0);
    let DisputeFields { draft, files } = fields;
    let max = order.dispute_refund_max();
    let currency = max.currency;
    // Errors shown per field, set on leaving a field or on sending.
    let reason_error = RwSignal::new(None::<String>);
    let amount_error = RwSignal::new(None::<String>);
    let description_error = RwSignal::new(None::<String>);
    let summary = RwSignal::new(Vec::<(String, String)>::new());
    let progress = RwSignal::new(None::<(usize, usize)>);

    let checked_order = order.clone();
    let check_amount = move || -> Result<Money, String> {
        match Money::parse_decimal(&draft.with_untracked(|d| d.amount.clone()), currency) {
            Ok(m) => checked_order.check_refund(m).map_err(|e| refusal(&e)),
            Err(checkout_core::money::MoneyError::TooManyDecimals { allowed, .. }) => {
                Err(tf("dispute.amount_decimals", &[("digits", &allowed.to_string())]))
            }
            Err(_) => Err(tf("dispute.amount_format", &[("max", &format::money(&max))])),
        }
    };
    let check_description = move || -> Result<(), String> {
        let text = draft.with_untracked(|d| d.description.clone());
        check_dispute_description(&text).map_err(|_| {
            // The rule gives the bounds; the words say which one was missed.
            if text.trim().chars().count() < DESCRIPTION_MIN_CHARS {
                tf("dispute.description_short", &[("min", &DESCRIPTION_MIN_CHARS.to_string())])
            } else {
                tf("dispute.description_long", &[("max", &format::integer(DESCRIPTION_MAX_CHARS as u64))])
            }
        })
    };

    let handle = use_api_handle();
    let navigate = use_navigate();
    let order_id = order.id.clone();
    let sending = Action::new_local(move |(reason, refund, text, picked): &(DisputeReason, RefundRequest, String, Vec<Picked>)| {
        let (api, id, navigate) = (handle.get_value(), order_id.clone(), navigate.clone());
        let (reason, refund, text, picked) = (*reason, *refund, text.clone(), picked.clone());
        async move {
            let result = send(api, id.clone(), reason, refund, text, picked, progress).await;
            progress.set(None);
            if result.is_ok() {
                draft.set(DisputeDraft::default());
                files.set(Vec::new());
                announce(t("dispute.opened"));
                navigate(&format!("/orders/{}", id.0), Default::default());
            }
            result
        }
    });
    let send_error = move || sending.value().with(|v| v.as_ref().and_then(|r| r.as_ref().err()).map(api_error_text));
    let submit = {
        let check_amount = check_amount.clone();
        move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.pending().get_untracked() {
            return;
        }
        let mut errors: Vec<(String, String)> = Vec::new();
        reason_error.set(None);
        let d = draft.get_untracked();
        if d.reason.is_none() {
            let e = t("dispute.reason_required");
            reason_error.set(Some(e.clone()));
            errors.push(("dispute-reason-0".into(), e));
        }
        let refund = if d.partial {
            match check_amount() {
                Ok(m) => Some(RefundRequest::Partial(m)),
                Err(e) => {
                    amount_error.set(Some(e.clone()));
                    errors.push(("dispute-amount".into(), e));
                    None
                }
            }
        } else {
            Some(RefundRequest::Full)
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
        let (Some(reason), Some(refund)) = (d.reason, refund) else { return };
        sending.dispatch((reason, refund, d.description, files.get_untracked()));
    }};

    let count = move || draft.with(|d| d.description.trim().chars().count());
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
                                    prop:checked=move || draft.with(|d| d.reason == Some(r))
                                    on:change=move |_| { draft.update(|d| d.reason = Some(r)); reason_error.set(None); }/>
                                {t(key)}
                            </label>
                        }
                    }).collect_view()}
                    <p class="field-message" id="dispute-reason-error">{move || reason_error.get()}</p>
                </fieldset>
                <fieldset class="field">
                    <legend class="field__label">{t("dispute.refund")}</legend>
                    <label class="choice">
                        <input type="radio" name="dispute-refund" prop:checked=move || draft.with(|d| !d.partial)
                            on:change=move |_| { draft.update(|d| d.partial = false); amount_error.set(None); }/>
                        {tf("dispute.refund_full", &[("max", &format::money(&max))])}
                    </label>
                    <label class="choice">
                        <input type="radio" name="dispute-refund" id="dispute-refund-partial" prop:checked=move || draft.with(|d| d.partial)
                            on:change=move |_| draft.update(|d| d.partial = true)/>
                        {t("dispute.refund_partial")}
                    </label>
                    <div class="field" hidden=move || draft.with(|d| !d.partial)>
                        <label for="dispute-amount" class="field__label">{tf("dispute.amount", &[("currency", currency.code())])}</label>
                        <input id="dispute-amount" class="field__input field__input--short" inputmode="decimal" autocomplete="off"
                            aria-describedby="dispute-amount-error" aria-invalid=move || amount_error.with(Option::is_some).to_string()
                            prop:value=move || draft.with(|d| d.amount.clone())
                            on:input={let check_amount = check_amount.clone(); move |ev| { draft.update(|d| d.amount = event_target_value(&ev)); if amount_error.with_untracked(Option::is_some) { amount_error.set(check_amount().err()); } }}
                            on:blur={let check_amount = check_amount.clone(); move |_| if draft.with_untracked(|d| !d.amount.is_empty()) { amount_error.set(check_amount().err()); }}/>
                        <p class="field-message" id="dispute-amount-error">{move || amount_error.get()}</p>
                    </div>
                </fieldset>
                <div class="field">
                    <label for="dispute-description" class="field__label">{t("dispute.description")}</label>
                    <textarea id="dispute-description" class="field__input" rows="6" maxlength="4000"
                        aria-describedby="dispute-description-count dispute-description-error"
                        aria-invalid=move || description_error.with(Option::is_some).to_string()
                        prop:value=move || draft.with(|d| d.description.clone())
                        on:input=move |ev| { draft.update(|d| d.description = event_target_value(&ev)); if description_error.with_untracked(Option::is_some) { description_error.set(check_description().err()); } }
                        on:blur=move |_| if draft.with_untracked(|d| !d.description.is_empty()) { description_error.set(check_description().err()); }></textarea>
                    <p class="field__hint" id="dispute-description-count">
                        {move || tf("dispute.counter", &[("count", &format::integer(count() as u64)), ("max", &format::integer(DESCRIPTION_MAX_CHARS as u64))])}
                    </p>
                    <p class="field-message" id="dispute-description-error">{move || description_error.get()}</p>
                </div>
                <EvidencePicker id="dispute-evidence" files=files label=t("dispute.evidence")/>
                {move || send_error().map(|e| view! { <div class="notice notice--error" role="alert"><p>{e}</p></div> })}
                {move || progress.get().map(|(done, total)| view! {
                    <div class="upload-progress" role="status">
                        <progress max=total.max(1).to_string() value=done.to_string()></progress>
                        <span>{if done < total { tf("dispute.uploading", &[("n", &(done + 1).to_string()), ("total", &total.to_string())]) } else { t("dispute.sending") }}</span>
                    </div>
                })}
                <div class="dispute__actions">
                    <button type="submit" class="button button--primary" disabled=move || sending.pending().get()>{t("dispute.submit")}</button>
                    <a href=back class="button button--secondary">{t("action.cancel")}</a>
                </div>
            </form>
        </div>
    }
    .into_any()
}
