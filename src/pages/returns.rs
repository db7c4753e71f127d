//! `/orders/:id/return`: asking to return items (docs/rules.md#returns): how
//! many of each line go back, why (the reasons this seller takes), the refund
//! that gives as the core prices it, and what happens next: where to send the
//! parcel and by when. On sending, focus moves to a summary of every error.

use checkout_api::BuyerAction;
use checkout_core::order::{BuyerActionKind, Order, ReturnLine, ReturnReason, RETURN_SEND_WITHIN};
use checkout_core::time::DAY;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::use_api_handle;
use crate::browser;
use crate::components::announcer::announce;
use crate::components::error_summary::ErrorSummary;
use crate::components::order_form_screen::{use_order_id, FormWords, OrderFormScreen};
use crate::components::title::use_title;
use crate::i18n::rules::{api_error_text, refusal};
use crate::i18n::{format, t, tf};
use crate::state::form_draft::ReturnDraft;

/// The message key of a reason's name.
pub fn reason_key(reason: ReturnReason) -> &'static str {
    match reason {
        ReturnReason::ChangedMind => "return.reason.changed_mind",
        ReturnReason::NotAsDescribed => "dispute.reason.not_as_described",
        ReturnReason::Damaged => "dispute.reason.damaged",
        ReturnReason::WrongItem => "dispute.reason.wrong_item",
        ReturnReason::Counterfeit => "dispute.reason.counterfeit",
        ReturnReason::MissingParts => "dispute.reason.missing_parts",
    }
}

#[component]
pub fn ReturnPage() -> impl IntoView {
    use_title(|| t("return.title"));
    let id = use_order_id();
    // Made outside the part drawn from the order, so a re-read keeps it.
    let draft = Memo::new(move |_| ReturnDraft::for_order(&id.get()));
    let form = Callback::new(move |order: Order| {
        view! { <ReturnForm order=order draft=draft.get_untracked()/> }.into_any()
    });
    let words = FormWords { heading: "return.heading", not_for_status: "return.not_for_status", back: "return.back" };
    let class = "page dispute return-request";
    view! { <OrderFormScreen id=id action=BuyerActionKind::RequestReturn words=words class=class form=form/> }
}

/// The lines chosen, as the request sends them.
fn chosen(d: &ReturnDraft) -> Vec<ReturnLine> {
    d.quantities.iter().enumerate().filter(|(_, q)| **q > 0).map(|(i, q)| ReturnLine { line: i as u32, quantity: *q }).collect()
}

#[component]
fn ReturnForm(order: Order, draft: RwSignal<ReturnDraft>) -> impl IntoView {
    let back = format!("/orders/{}", order.id.0);
    let closes = order.return_window_closes();
    let address = order.return_policy.as_ref().map(|p| p.address.clone()).unwrap_or_default();
    let reasons = order.return_reasons();
    let lines_error = RwSignal::new(None::<String>);
    let reason_error = RwSignal::new(None::<String>);
    let summary = RwSignal::new(Vec::<(String, String)>::new());

    // The refund as the core prices what is chosen so far.
    let priced = order.clone();
    let preview = move || {
        let d = draft.get();
        let lines = chosen(&d);
        match d.reason {
            Some(reason) if !lines.is_empty() => priced.return_quote(&lines, reason).map_err(|e| refusal(&e)),
            _ => Err(t("return.refund_pick")),
        }
    };
    let shipping = format::money(&order.totals.shipping);

    let handle = use_api_handle();
    let navigate = use_navigate();
    let order_id = order.id.clone();
    let sending = Action::new_local(move |(lines, reason): &(Vec<ReturnLine>, ReturnReason)| {
        let (api, id, navigate) = (handle.get_value(), order_id.clone(), navigate.clone());
        let action = BuyerAction::RequestReturn { lines: lines.clone(), reason: *reason };
        async move {
            let result = api.act(&id, action).await;
            if result.is_ok() {
                draft.set(ReturnDraft::default());
                announce(t("return.requested"));
                navigate(&format!("/orders/{}", id.0), Default::default());
            }
            result.map(|_| ())
        }
    });
    let send_error = move || sending.value().with(|v| v.as_ref().and_then(|r| r.as_ref().err()).map(api_error_text));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.pending().get_untracked() {
            return;
        }
        let d = draft.get_untracked();
        let lines = chosen(&d);
        let mut errors = Vec::new();
        lines_error.set(lines.is_empty().then(|| t("return.items_required")));
        reason_error.set(d.reason.is_none().then(|| t("return.reason_required")));
        errors.extend(lines_error.get_untracked().map(|e| ("return-qty-0".to_owned(), e)));
        errors.extend(reason_error.get_untracked().map(|e| ("return-reason-0".to_owned(), e)));
        summary.set(errors);
        match d.reason {
            Some(reason) if !lines.is_empty() => {
                sending.dispatch((lines, reason));
            }
            _ => request_animation_frame(|| browser::focus_id("return-summary")),
        }
    };

    view! {
        <div class="page dispute return-request">
            <h1>{t("return.heading")}</h1>
            <p>{tf("return.intro", &[("number", &order.number), ("seller", &order.seller_name)])}
                {closes.map(|c| view! { " " {tf("return.until", &[("date", &format::date(c))])} })}</p>
            <ErrorSummary id="return-summary" items=summary/>
            <form class="dispute__form" on:submit=submit novalidate>
                <fieldset class="field" aria-describedby="return-lines-error">
                    <legend class="field__label">{t("return.items")}</legend>
                    {order.lines.iter().enumerate().map(|(i, line)| {
                        let bought = line.quantity;
                        let value = move || draft.with(|d| d.quantities.get(i).copied().unwrap_or(0)).to_string();
                        view! {
                            <div class="return-line">
                                <label for=format!("return-qty-{i}") class="return-line__name">
                                    {line.product_name.clone()}
                                    {line.option_label.clone().map(|o| format!(" · {o}"))}
                                </label>
                                <select id=format!("return-qty-{i}") class="field__input field__input--short"
                                    aria-describedby=format!("return-qty-{i}-hint return-lines-error")
                                    prop:value=value
                                    on:change=move |ev| {
                                        let q = event_target_value(&ev).parse::<u32>().unwrap_or(0).min(bought);
                                        draft.update(|d| {
                                            if d.quantities.len() <= i {
                                                d.quantities.resize(i + 1, 0);
                                            }
                                            d.quantities[i] = q;
                                        });
                                        lines_error.set(None);
                                    }>
                                    {(0..=bought).map(|q| view! { <option value=q.to_string()>{format::integer(u64::from(q))}</option> }).collect_view()}
                                </select>
                                <span class="field__hint" id=format!("return-qty-{i}-hint")>
                                    {tf("return.of_bought", &[("count", &format::integer(u64::from(bought))), ("price", &format::money(&line.unit_price))])}
                                </span>
                            </div>
                        }
                    }).collect_view()}
                    <p class="field-message" id="return-lines-error">{move || lines_error.get()}</p>
                </fieldset>
                <fieldset class="field" aria-describedby="return-reason-error">
                    <legend class="field__label">{t("return.reason")}</legend>
                    {reasons.into_iter().enumerate().map(|(i, r)| view! {
                        <label class="choice">
                            <input type="radio" name="return-reason" id=format!("return-reason-{i}")
                                prop:checked=move || draft.with(|d| d.reason == Some(r))
                                on:change=move |_| { draft.update(|d| d.reason = Some(r)); reason_error.set(None); }/>
                            {t(reason_key(r))}
                        </label>
                    }).collect_view()}
                    <p class="field-message" id="return-reason-error">{move || reason_error.get()}</p>
                </fieldset>
                <section class="return-refund" aria-labelledby="return-refund-heading">
                    <h2 id="return-refund-heading">{t("return.refund_heading")}</h2>
                    <p aria-live="polite" id="return-refund">{move || match preview() {
                        Ok(q) => {
                            let note = if q.shipping_refunded {
                                tf("return.refund_with_shipping", &[("amount", &shipping)])
                            } else if draft.with(|d| d.reason == Some(ReturnReason::ChangedMind)) {
                                t("return.refund_no_shipping")
                            } else {
                                String::new()
                            };
                            view! { <strong class="price">{format::money(&q.refund)}</strong> " " <span>{note}</span> }.into_any()
                        }
                        Err(why) => view! { <span>{why}</span> }.into_any(),
                    }}</p>
                </section>
                <section class="return-how" aria-labelledby="return-how-heading">
                    <h2 id="return-how-heading">{t("return.how_heading")}</h2>
                    <ol>
                        <li>{tf("return.how_send", &[("days", &format::integer((RETURN_SEND_WITHIN / DAY) as u64))])}
                            <address class="return-address">{address}</address></li>
                        <li>{t("return.how_tracking")}</li>
                        <li>{t("return.how_refund")}</li>
                    </ol>
                </section>
                {move || send_error().map(|e| view! { <div class="notice notice--error" role="alert"><p>{e}</p></div> })}
                <div class="dispute__actions">
                    <button type="submit" class="button button--primary" disabled=move || sending.pending().get()>{t("return.submit")}</button>
                    <a href=back class="button button--secondary">{t("action.cancel")}</a>
                </div>
            </form>
        </div>
    }
    .into_any()
}
