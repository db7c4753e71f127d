//! Paying (again) for orders awaiting payment (docs/rules.md#payment): the card
//! is turned into a token in the browser, one attempt is in flight at a time,
//! the attempt's idempotency key (a UUID v4) is made once and kept across
//! retries and reloads, declines say why and keep the order awaiting payment,
//! and a 3-D Secure challenge opens an accessible dialog.

use checkout_api::{PayAgain, PaymentOutcome};
use checkout_core::order::OrderId;
use leptos::prelude::*;

use crate::api::{use_api_handle, ApiError};
use crate::components::announcer::announce;
use crate::components::payment_flow::{Attempt, BankAnswer, BankCheck, BankCheckDialog};
use crate::components::payment_method::{PayChoice, PaymentMethodPicker, PaymentStep};
use crate::i18n::t;

/// What the shopper is told after trying: paid (true) or why not (false).
type Message = Option<(bool, String)>;

#[component]
pub fn PayPanel(orders: Vec<OrderId>, on_paid: Callback<()>) -> impl IntoView {
    let choice = PayChoice::new();
    let message = RwSignal::new(None::<(bool, String)>);
    let ids: Vec<&str> = orders.iter().map(|o| o.0.as_str()).collect();
    let attempt = Attempt::new(crate::state::keys::pay_attempt(&ids));
    // Plain values, not stored ones: they are used after an await, when the
    // screen may be gone.
    let orders = std::rc::Rc::new(orders);
    on_cleanup(move || choice.card.clear_secrets());
    let navigate = leptos_router::hooks::use_navigate();
    // The bank's check, made below: a payment's answer may start it.
    let bank_check = StoredValue::new(None::<BankCheck>);

    // The provider's answer, wherever it came from: the payment or the bank's check.
    // (An Rc, not a stored value: following a wallet's page may take this
    // screen away while it runs.)
    let settle = std::rc::Rc::new({
        let (attempt, orders) = (attempt.clone(), orders.clone());
        move |outcome: Result<PaymentOutcome, ApiError>, abandoned: bool| -> Message {
        let outcome = match outcome {
            Ok(outcome) => outcome,
            // The key was spent on something else: the next try is a new attempt.
            Err(e @ ApiError::Conflict { .. }) => {
                attempt.start_over();
                return Some((false, t(e.message_key())));
            }
            // Network trouble: the same key is kept, so trying again is safe.
            Err(e) => return Some((false, t(e.message_key()))),
        };
        attempt.answered(&outcome);
        let here = crate::browser::window().and_then(|w| w.location().pathname().ok()).unwrap_or_default();
        match choice.settle(outcome, abandoned, &here, &navigate) {
            PaymentStep::Paid => {
                announce(t("payment.authorised"));
                on_paid.run(());
                Some((true, t("payment.authorised")))
            }
            PaymentStep::Declined(text) => Some((false, text)),
            PaymentStep::Challenge(id) => {
                if let Some(check) = bank_check.get_value() {
                    check.start(id, orders.to_vec());
                }
                None
            }
            PaymentStep::Redirected => None,
            PaymentStep::BadRedirect => Some((false, t("error.bad_response"))),
        }
    }});
    let check = BankCheck::new({
        let settle = settle.clone();
        move |answer: BankAnswer| message.set(settle(answer.outcome, answer.abandoned))
    });
    bank_check.set_value(Some(check));
    let api = use_api_handle();
    let pay = Action::new_local(move |_: &()| {
        let (api, settle, attempt, orders) = (api.get_value(), settle.clone(), attempt.clone(), orders.to_vec());
        async move {
            let Ok(payment) = choice.resolve().await else {
                message.set(Some((false, t("payment.fix_card"))));
                return;
            };
            let request = PayAgain { idempotency_key: attempt.key(), order_ids: orders, payment };
            let outcome = api.pay(&request).await;
            message.set(settle(outcome, false));
        }
    });
    let paying = Signal::derive(move || pay.pending().get() || check.busy().get());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !paying.get_untracked() {
            message.set(None);
            pay.dispatch(());
        }
    };

    view! {
        <section class="order-section pay-panel" aria-labelledby="pay-heading">
            <h2 id="pay-heading">{t("payment.heading")}</h2>
            <form on:submit=submit novalidate>
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
            <BankCheckDialog check=check id="challenge-dialog"/>
        </section>
    }
}
