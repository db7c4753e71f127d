//! The order's return as it stands: its own line of steps, what goes back and
//! the refund, where to send the parcel and by when with the form for its
//! tracking number, the parcel's way back, and escalation once the seller
//! refused. Which of these shows is what the core says of the return.

use checkout_api::BuyerAction;
use checkout_core::order::{
    check_return_carrier, check_tracking_number, BuyerActionKind as A, BuyerActions, ItemReturn, Order, ReturnState as S,
    ReturnStep, CARRIER_MAX_CHARS, TRACKING_MAX_CHARS,
};
use leptos::prelude::*;

use super::steps::Steps;
use super::{Intent, OrderForms};
use crate::browser;
use crate::i18n::rules::refusal;
use crate::i18n::{format, t, tf};

fn state_text(r: &ItemReturn) -> String {
    let parcel = r.parcel.as_ref();
    match r.state {
        S::AwaitingParcel => tf("return.state.awaiting_parcel", &[("date", &format::date_time(r.send_by))]),
        S::Sent => tf(
            "return.state.sent",
            &[("carrier", parcel.map_or("", |p| p.carrier.as_str())), ("tracking", parcel.map_or("", |p| p.tracking_number.as_str()))],
        ),
        S::Received => tf("return.state.received", &[("date", &r.refund_by_silence_at().map(format::date).unwrap_or_default())]),
        S::Refused => t("return.state.refused"),
        S::Escalated => t("return.state.escalated"),
        S::Refunded(m) => tf("return.state.refunded", &[("amount", &format::money(&m))]),
        S::Declined => t("return.state.declined"),
        S::Lapsed => t("return.state.lapsed"),
    }
}

fn step_key(step: ReturnStep) -> &'static str {
    match step {
        ReturnStep::Requested => "return.step.requested",
        ReturnStep::Sent => "return.step.sent",
        ReturnStep::Received => "return.step.received",
        ReturnStep::Refunded => "return.step.refunded",
    }
}

#[component]
pub fn ReturnSection(
    order: Order,
    actions: BuyerActions,
    forms: OrderForms,
    act: Callback<Intent>,
    #[prop(into)] busy: Signal<bool>,
) -> impl IntoView {
    let Some(r) = order.item_return.clone() else { return ().into_any() };
    let returning: Vec<String> = r
        .lines
        .iter()
        .filter_map(|l| order.lines.get(l.line as usize).map(|line| format!("{} × {}", format::integer(u64::from(l.quantity)), line.product_name)))
        .collect();
    let refund = if r.shipping_refunded {
        tf("return.refund_line_shipping", &[("amount", &format::money(&r.refund))])
    } else {
        tf("return.refund_line", &[("amount", &format::money(&r.refund))])
    };
    let can_send = actions.allowed(A::SendReturn);
    let can_escalate = actions.allowed(A::EscalateReturn);
    let checkpoints = r.parcel.as_ref().map(|p| p.checkpoints.clone()).unwrap_or_default();
    view! {
        <section class="order-section return-section" id="return" aria-labelledby="return-heading">
            <h2 id="return-heading">{t("return.section")}</h2>
            <Steps label=t("return.steps_label") steps=r.steps().into_iter().map(|(step, state)| (step_key(step), state)).collect()
                class="steps steps--return"/>
            <p class="return-section__state">{state_text(&r)}</p>
            <p>{t("return.returning")} " " {returning.join(", ")}</p>
            <p>{refund}</p>
            {can_send.then(|| view! {
                <div class="return-section__send">
                    <p>{t("return.send_to")}</p>
                    <address class="return-address">{r.address.clone()}</address>
                    <SendForm forms=forms act=act busy=busy/>
                </div>
            })}
            {(!checkpoints.is_empty()).then(|| view! {
                <ol class="return-section__parcel">
                    {checkpoints.into_iter().rev().map(|c| view! {
                        <li><time datetime=format::iso(c.at)>{format::date_time(c.at)}</time> " " {c.location}</li>
                    }).collect_view()}
                </ol>
            })}
            {can_escalate.then(|| view! {
                <div class="order__actions">
                    <button type="button" class="button button--secondary" disabled=move || busy.get()
                        on:click=move |_| act.run(Intent::Act(BuyerAction::EscalateReturn))>{t("return.escalate")}</button>
                </div>
            })}
        </section>
    }
    .into_any()
}

/// The carrier and tracking number of the parcel back, checked by the
/// core's rules on leaving a field and on sending; kept in [`OrderForms`].
#[component]
fn SendForm(forms: OrderForms, act: Callback<Intent>, #[prop(into)] busy: Signal<bool>) -> impl IntoView {
    let draft = forms.send;
    let carrier_error = RwSignal::new(None::<String>);
    let number_error = RwSignal::new(None::<String>);
    let check_carrier = move || check_return_carrier(&draft.with_untracked(|d| d.carrier.clone())).map_err(|e| refusal(&e));
    let check_number = move || check_tracking_number(&draft.with_untracked(|d| d.number.clone())).map_err(|e| refusal(&e));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (carrier, number) = (check_carrier(), check_number());
        carrier_error.set(carrier.clone().err());
        number_error.set(number.clone().err());
        match (carrier, number) {
            (Ok(carrier), Ok(tracking_number)) => act.run(Intent::Act(BuyerAction::SendReturn { carrier, tracking_number })),
            (Err(_), _) => browser::focus_id("return-carrier"),
            _ => browser::focus_id("return-tracking"),
        }
    };
    view! {
        <form class="return-send" on:submit=submit novalidate>
            <div class="field">
                <label for="return-carrier" class="field__label">{t("return.carrier")}</label>
                <input id="return-carrier" class="field__input" autocomplete="off" maxlength=(CARRIER_MAX_CHARS * 2).to_string()
                    aria-describedby="return-carrier-error" aria-invalid=move || carrier_error.with(Option::is_some).to_string()
                    prop:value=move || draft.with(|d| d.carrier.clone())
                    on:input=move |ev| { draft.update(|d| d.carrier = event_target_value(&ev)); if carrier_error.with_untracked(Option::is_some) { carrier_error.set(check_carrier().err()); } }
                    on:blur=move |_| if draft.with_untracked(|d| !d.carrier.is_empty()) { carrier_error.set(check_carrier().err()); }/>
                <p class="field-message" id="return-carrier-error">{move || carrier_error.get()}</p>
            </div>
            <div class="field">
                <label for="return-tracking" class="field__label">{t("return.tracking")}</label>
                <input id="return-tracking" class="field__input" autocomplete="off" autocapitalize="characters" spellcheck="false" dir="ltr"
                    maxlength=(TRACKING_MAX_CHARS * 2).to_string()
                    aria-describedby="return-tracking-hint return-tracking-error" aria-invalid=move || number_error.with(Option::is_some).to_string()
                    prop:value=move || draft.with(|d| d.number.clone())
                    on:input=move |ev| { draft.update(|d| d.number = event_target_value(&ev)); if number_error.with_untracked(Option::is_some) { number_error.set(check_number().err()); } }
                    on:blur=move |_| if draft.with_untracked(|d| !d.number.is_empty()) { number_error.set(check_number().err()); }/>
                <p class="field__hint" id="return-tracking-hint">{t("return.tracking_hint")}</p>
                <p class="field-message" id="return-tracking-error">{move || number_error.get()}</p>
            </div>
            <button type="submit" class="button button--primary" disabled=move || busy.get()>{t("return.send")}</button>
        </form>
    }
}
