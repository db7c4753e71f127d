//! The buttons for what the buyer may do now, as `Order::actions` says, and
//! the dialogs that confirm them. Their open state and the reason chosen live
//! in [`OrderForms`], outside the part of the page drawn from the order.

use checkout_api::BuyerAction;
use checkout_core::order::{BuyerActionKind as A, BuyerActions, CancelReason, OrderId, RuleError, PROTECTION_EXTENSION_DAYS};
use leptos::prelude::*;

use super::{Intent, OrderForms};
use crate::components::dialog::ConfirmDialog;
use crate::i18n::rules::refusal;
use crate::i18n::t;

const REASONS: [(CancelReason, &str); 5] = [
    (CancelReason::ChangedMind, "cancel.reason.changed_mind"),
    (CancelReason::WrongAddress, "cancel.reason.wrong_address"),
    (CancelReason::BetterPrice, "cancel.reason.better_price"),
    (CancelReason::DeliveryTooSlow, "cancel.reason.too_slow"),
    (CancelReason::Other, "cancel.reason.other"),
];

#[component]
pub fn ActionBar(
    order_id: OrderId,
    actions: BuyerActions,
    forms: OrderForms,
    act: Callback<Intent>,
    #[prop(into)] busy: Signal<bool>,
) -> impl IntoView {
    let allowed = |k| actions.allowed(k);
    let dispute_href = format!("/orders/{}/dispute", order_id.0);
    let return_href = format!("/orders/{}/return", order_id.0);
    let extension = actions.get(A::RequestProtectionExtension).refused.clone();
    view! {
        <div class="order__actions">
            {allowed(A::Cancel).then(|| view! {
                <button type="button" class="button button--secondary" on:click=move |_| forms.cancel_open.set(true)>{t("order.cancel")}</button>
            })}
            {allowed(A::RequestCancellation).then(|| view! {
                <button type="button" class="button button--secondary" on:click=move |_| forms.request_open.set(true)>{t("order.request_cancellation")}</button>
            })}
            {allowed(A::ConfirmReceipt).then(|| view! {
                <button type="button" class="button button--primary" on:click=move |_| forms.confirm_open.set(true)>{t("order.confirm_receipt")}</button>
            })}
            {allowed(A::RequestReturn).then(|| view! { <a href=return_href class="button button--secondary">{t("return.link")}</a> })}
            {allowed(A::OpenDispute).then(|| view! { <a href=dispute_href class="button button--secondary">{t("order.open_dispute")}</a> })}
            {allowed(A::RequestProtectionExtension).then(|| view! {
                <button type="button" class="button button--secondary" disabled=move || busy.get()
                    on:click=move |_| act.run(Intent::Act(BuyerAction::RequestProtectionExtension { days: PROTECTION_EXTENSION_DAYS }))>
                    {t("order.extend_protection")}
                </button>
            })}
        </div>
        {(extension == Some(RuleError::ExtensionAlreadyRequested)).then(|| view! {
            <p class="order__note">{refusal(&RuleError::ExtensionAlreadyRequested)}</p>
        })}
        {matches!(actions.get(A::Cancel).refused, Some(RuleError::CancelAfterShipment)).then(|| view! {
            <p class="order__note">{t("order.no_cancel_after_shipment")}</p>
        })}
    }
}

#[component]
pub fn ActionDialogs(forms: OrderForms, act: Callback<Intent>, #[prop(into)] busy: Signal<bool>) -> impl IntoView {
    let reason = move || forms.cancel.with(|d| d.reason);
    view! {
        <ConfirmDialog open=forms.cancel_open id="cancel-dialog" title=t("order.cancel_title")
            confirm_label=t("order.cancel_confirm") cancel_label=t("action.keep_order") busy=busy
            on_confirm=Callback::new(move |_| act.run(Intent::Act(BuyerAction::Cancel)))>
            <p>{t("order.cancel_body")}</p>
        </ConfirmDialog>
        <ConfirmDialog open=forms.request_open id="request-dialog" title=t("order.request_title")
            confirm_label=t("order.request_confirm") cancel_label=t("action.keep_order")
            busy=Signal::derive(move || busy.get() || reason().is_none())
            on_confirm=Callback::new(move |_| if let Some(r) = forms.cancel.with_untracked(|d| d.reason) {
                act.run(Intent::Act(BuyerAction::RequestCancellation { reason: r, note: None }))
            })>
            <p>{t("order.request_body")}</p>
            <fieldset class="reasons">
                <legend>{t("order.request_reason")}</legend>
                {REASONS.into_iter().map(|(r, key)| view! {
                    <label class="reasons__choice">
                        <input type="radio" name="cancel-reason" prop:checked=move || reason() == Some(r)
                            on:change=move |_| forms.cancel.update(|d| d.reason = Some(r))/>
                        {t(key)}
                    </label>
                }).collect_view()}
            </fieldset>
        </ConfirmDialog>
        <ConfirmDialog open=forms.confirm_open id="confirm-dialog" title=t("order.confirm_title")
            confirm_label=t("order.confirm_confirm") cancel_label=t("action.not_yet") busy=busy
            on_confirm=Callback::new(move |_| act.run(Intent::Act(BuyerAction::ConfirmReceipt)))>
            <p>{t("order.confirm_body")}</p>
        </ConfirmDialog>
    }
}
