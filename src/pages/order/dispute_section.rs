//! The order's dispute as it stands, with the buyer's moves the core allows
//! now: accept the seller's offer, escalate (or from when), withdraw.

use checkout_core::order::{BuyerActionKind as A, BuyerActions, Dispute, DisputeState as D, RuleError};
use checkout_api::BuyerAction;
use leptos::prelude::*;

use super::Intent;
use crate::i18n::{format, t, tf};

#[component]
pub fn DisputeSection(dispute: Dispute, actions: BuyerActions, act: Callback<Intent>, #[prop(into)] busy: Signal<bool>) -> impl IntoView {
    let state_text = match dispute.state {
        D::AwaitingSeller => tf("dispute.state.awaiting_seller", &[("date", &format::date_time(dispute.seller_respond_by()))]),
        D::SellerRejected => t("dispute.state.rejected"),
        D::SellerProposed(m) => tf("dispute.state.proposed", &[("amount", &format::money(&m))]),
        D::Escalated => t("dispute.state.escalated"),
        D::Resolved(m) => tf("dispute.state.resolved", &[("amount", &format::money(&m))]),
        D::Withdrawn => t("dispute.state.withdrawn"),
    };
    let escalate_later = match &actions.get(A::EscalateDispute).refused {
        Some(RuleError::EscalationTooEarly { possible_at }) => Some(*possible_at),
        _ => None,
    };
    let button = move |kind: A, action: BuyerAction, class: &'static str, key: &'static str| {
        actions.allowed(kind).then(|| view! {
            <button type="button" class=class disabled=move || busy.get()
                on:click=move |_| act.run(Intent::Act(action.clone()))>{t(key)}</button>
        })
    };
    view! {
        <section class="order-section dispute-section" aria-labelledby="dispute-heading">
            <h2 id="dispute-heading">{t("dispute.section")}</h2>
            <p class="dispute-section__state">{state_text}</p>
            <p>{tf("dispute.requested", &[("amount", &format::money(&dispute.requested)), ("date", &format::date(dispute.opened_at))])}</p>
            {escalate_later.map(|at| view! { <p class="field__hint">{tf("dispute.escalate_from", &[("date", &format::date_time(at))])}</p> })}
            <div class="order__actions">
                {button(A::AcceptDisputeProposal, BuyerAction::AcceptDisputeProposal, "button button--primary", "dispute.accept")}
                {button(A::EscalateDispute, BuyerAction::EscalateDispute, "button button--secondary", "dispute.escalate")}
                {button(A::WithdrawDispute, BuyerAction::WithdrawDispute, "button button--link", "dispute.withdraw")}
            </div>
        </section>
    }
}
