//! One payment attempt, the same for the checkout and for paying again
//! (docs/rules.md#payment): its idempotency key, a UUID v4 made once and kept
//! in the session across retries and reloads until the attempt has its
//! answer; and the bank's 3-D Secure check, answered by the shopper in a
//! dialog (closing it gives the check up) through a Leptos action.

use checkout_api::PaymentOutcome;
use checkout_core::order::OrderId;
use leptos::prelude::*;

use crate::api::{use_api_handle, ApiError};
use crate::browser;
use crate::components::dialog::ConfirmDialog;
use crate::i18n::t;

/// A random UUID v4 from the browser's crypto.
pub fn new_uuid() -> String {
    crate::browser::window().and_then(|w| w.crypto().ok()).map(|c| c.random_uuid()).unwrap_or_default()
}

/// The idempotency key of the attempt kept under `name` in the session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attempt {
    name: String,
}

impl Attempt {
    pub fn new(name: impl Into<String>) -> Attempt {
        Attempt { name: name.into() }
    }

    /// The attempt's key: the one kept (a reload mid-payment retries the same
    /// attempt), or a new one.
    pub fn key(&self) -> String {
        match browser::session_get(&self.name) {
            Some(k) if checkout_core::checkout::is_uuid(&k) => k,
            _ => {
                let k = new_uuid();
                browser::session_set(&self.name, &k);
                k
            }
        }
    }

    /// The attempt has its answer (anything but "the bank wants a check"):
    /// the next one needs a new key.
    pub fn answered(&self, outcome: &PaymentOutcome) {
        if !matches!(outcome, PaymentOutcome::ChallengeRequired { .. }) {
            self.start_over();
        }
    }

    /// The next payment is a new attempt.
    pub fn start_over(&self) {
        browser::session_remove(&self.name);
    }
}

/// The bank's check of a payment, while the shopper answers it.
#[derive(Clone, Copy)]
pub struct BankCheck {
    waiting: RwSignal<Option<(String, Vec<OrderId>)>>,
    open: RwSignal<bool>,
    answer: Action<(String, Vec<OrderId>, bool), Result<PaymentOutcome, ApiError>>,
}

/// What the bank said, for these orders; `abandoned` when the shopper gave
/// the check up.
pub struct BankAnswer {
    pub orders: Vec<OrderId>,
    pub outcome: Result<PaymentOutcome, ApiError>,
    pub abandoned: bool,
}

impl BankCheck {
    /// `on_answer` runs with the bank's answer once the shopper has given theirs.
    pub fn new(on_answer: impl Fn(BankAnswer) + 'static) -> BankCheck {
        let handle = use_api_handle();
        let on_answer = std::rc::Rc::new(on_answer);
        let answer = Action::new_local(move |(id, orders, approved): &(String, Vec<OrderId>, bool)| {
            let (api, id, orders, approved) = (handle.get_value(), id.clone(), orders.clone(), *approved);
            let on_answer = on_answer.clone();
            async move {
                let outcome = api.confirm_challenge(&id, approved).await;
                on_answer(BankAnswer { orders, outcome: outcome.clone(), abandoned: !approved });
                outcome
            }
        });
        let check = BankCheck { waiting: RwSignal::new(None), open: RwSignal::new(false), answer };
        // Closing the dialog (Cancel, Escape) without confirming gives it up.
        Effect::new(move |_| {
            if check.waiting.with(Option::is_some) && !check.open.get() {
                check.reply(false);
            }
        });
        check
    }

    /// The bank wants the shopper to confirm `challenge` for `orders`.
    pub fn start(self, challenge: String, orders: Vec<OrderId>) {
        self.waiting.set(Some((challenge, orders)));
        self.open.set(true);
    }

    /// The shopper's answer goes to the bank.
    pub fn reply(self, approved: bool) {
        let Some((id, orders)) = self.waiting.get_untracked() else { return };
        self.waiting.set(None);
        self.open.set(false);
        self.answer.dispatch((id, orders, approved));
    }

    /// While the answer is on its way.
    pub fn busy(self) -> Signal<bool> {
        self.answer.pending().into()
    }
}

/// The 3-D Secure dialog; `id` must be unique on the page.
#[component]
pub fn BankCheckDialog(check: BankCheck, id: &'static str) -> impl IntoView {
    view! {
        <ConfirmDialog open=check.open id=id title=t("payment.challenge_title")
            confirm_label=t("payment.challenge_confirm") cancel_label=t("payment.challenge_cancel")
            on_confirm=Callback::new(move |_| check.reply(true))>
            <p>{t("payment.challenge_body")}</p>
        </ConfirmDialog>
    }
}
