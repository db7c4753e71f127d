//! Paying (again) for orders awaiting payment (docs/rules.md#payment): the card
//! is turned into a token in the browser, one attempt is in flight at a time,
//! the attempt's idempotency key (a UUID v4) is made once and kept across
//! retries and reloads, declines say why and keep the order awaiting payment,
//! and a 3-D Secure challenge opens an accessible dialog.

use checkout_api::{PayAgain, PaymentOutcome};
use checkout_core::order::OrderId;
use leptos::prelude::*;

use crate::api::{use_api_handle, ApiError};
use crate::browser;
use crate::components::announcer::announce;
use crate::components::dialog::ConfirmDialog;
use crate::components::payment_method::{PayChoice, PaymentMethodPicker, PaymentStep};
use crate::i18n::t;

fn key_name(orders: &[OrderId]) -> String {
    let ids: Vec<&str> = orders.iter().map(|o| o.0.as_str()).collect();
    crate::state::keys::pay_attempt(&ids)
}

/// A random UUID v4 from the browser's crypto.
pub fn new_uuid() -> String {
    web_sys::window().and_then(|w| w.crypto().ok()).map(|c| c.random_uuid()).unwrap_or_default()
}

/// The key of the attempt in progress for these orders, made once and kept in
/// sessionStorage so a reload mid-payment retries the same attempt.
fn attempt_key(orders: &[OrderId]) -> String {
    let name = key_name(orders);
    match browser::session_get(&name) {
        Some(k) if checkout_core::checkout::is_uuid(&k) => k,
        _ => {
            let k = new_uuid();
            browser::session_set(&name, &k);
            k
        }
    }
}

/// The attempt has an answer: the next one needs a new key.
fn finish_attempt(orders: &[OrderId]) {
    browser::session_remove(&key_name(orders));
}

#[component]
pub fn PayPanel(orders: Vec<OrderId>, on_paid: Callback<()>) -> impl IntoView {
    let choice = PayChoice::new();
    let paying = RwSignal::new(false);
    let message = RwSignal::new(None::<(bool, String)>);
    let challenge = RwSignal::new(None::<String>);
    let challenge_open = RwSignal::new(false);
    let api = use_api_handle();
    let orders = StoredValue::new(orders);
    on_cleanup(move || choice.card.clear_secrets());
    let navigate = leptos_router::hooks::use_navigate();

    let handle_outcome = move |outcome: Result<PaymentOutcome, ApiError>| {
        match outcome {
            Ok(outcome) => {
                if !matches!(outcome, PaymentOutcome::ChallengeRequired { .. }) {
                    orders.with_value(|o| finish_attempt(o));
                }
                let here = web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_default();
                match choice.settle(outcome, false, &here, &navigate) {
                    PaymentStep::Paid => {
                        message.set(Some((true, t("payment.authorised"))));
                        announce(t("payment.authorised"));
                        on_paid.run(());
                    }
                    PaymentStep::Declined(text) => message.set(Some((false, text))),
                    PaymentStep::Challenge(id) => {
                        challenge.set(Some(id));
                        challenge_open.set(true);
                    }
                    PaymentStep::Redirected => {}
                    PaymentStep::BadRedirect => message.set(Some((false, t("error.bad_response")))),
                }
            }
            // Network trouble: the same key is kept, so trying again is safe.
            Err(e) => message.set(Some((false, t(e.message_key())))),
        }
        paying.set(false);
    };

    let pay = {
        let handle_outcome = handle_outcome.clone();
        move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if paying.get_untracked() {
            return;
        }
        paying.set(true);
        message.set(None);
        let api = api.get_value();
        let handle_outcome = handle_outcome.clone();
        leptos::task::spawn_local(async move {
            let payment = match choice.resolve().await {
                Ok(method) => method,
                Err(_) => {
                    message.set(Some((false, t("payment.fix_card"))));
                    paying.set(false);
                    return;
                }
            };
            let order_ids = orders.get_value();
            let request = PayAgain { idempotency_key: attempt_key(&order_ids), order_ids, payment };
            handle_outcome(api.pay(&request).await);
        });
    }
    };

    let answer_challenge = {
        let handle_outcome = handle_outcome.clone();
        move |approved: bool| {
        let Some(id) = challenge.get_untracked() else { return };
        challenge_open.set(false);
        paying.set(true);
        let api = api.get_value();
        let handle_outcome = handle_outcome.clone();
        leptos::task::spawn_local(async move {
            let outcome = api.confirm_challenge(&id, approved).await;
            challenge.set(None);
            if !approved {
                orders.with_value(|o| finish_attempt(o));
                message.set(Some((false, t("payment.challenge_abandoned"))));
                paying.set(false);
                return;
            }
            handle_outcome(outcome);
        });
    }
    };
    let confirm = answer_challenge.clone();

    // Closing the challenge (Cancel, Escape) without confirming gives it up.
    Effect::new(move |_| {
        if challenge.with(Option::is_some) && !challenge_open.get() && !paying.get_untracked() {
            answer_challenge(false);
        }
    });

    view! {
        <section class="order-section pay-panel" aria-labelledby="pay-heading">
            <h2 id="pay-heading">{t("payment.heading")}</h2>
            <form on:submit=pay novalidate>
                <PaymentMethodPicker choice=choice name="again-pay"/>
                {move || message.get().map(|(ok, text)| view! {
                    <div class=if ok { "notice notice--success" } else { "notice notice--error" } role="alert"><p>{text}</p></div>
                })}
                <button type="submit" class="button button--primary" aria-busy=move || paying.get().to_string()
                    disabled=move || paying.get()>
                    {move || if paying.get() { t("payment.paying") } else { t("payment.pay") }}
                </button>
                <p class="field__hint">{t("payment.safety")}</p>
            </form>
            <ConfirmDialog open=challenge_open id="challenge-dialog" title=t("payment.challenge_title")
                confirm_label=t("payment.challenge_confirm") cancel_label=t("payment.challenge_cancel")
                on_confirm=Callback::new(move |_| confirm(true))>
                <p>{t("payment.challenge_body")}</p>
            </ConfirmDialog>
        </section>
    }
}
