//! Choosing how to pay, shared by the checkout and "pay again" on an order: a
//! card kept from before (brand + last 4, only if the shopper asked to keep
//! it), a new card (turned into a token in the browser), or a wallet that
//! sends the shopper to its own page and back (PayPal-like; the mock
//! simulates it at `/pay/wallet`).

use checkout_api::tokenizer::{MockTokenizer, Tokenizer};
use checkout_api::{PaymentMethod, PaymentOutcome, PaymentToken};
use checkout_core::order::OrderId;
use checkout_core::validate::FieldError;
use leptos::prelude::*;

use crate::browser;
use crate::components::card_form::{this_month, CardFields, CardForm};
use crate::i18n::{t, tf};
use crate::state::saved_card::SavedCard;

/// The session key under which the page to come back to after the wallet is
/// kept, per challenge.
pub use crate::state::keys::WALLET_RETURN as WALLET_RETURN_KEY;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    SavedCard,
    NewCard,
    Wallet,
}

/// The shopper's choice and what they typed, in memory only.
#[derive(Clone, Copy)]
pub struct PayChoice {
    pub method: RwSignal<Method>,
    pub card: CardFields,
    /// "Keep this card for next time" (brand + last 4 + token).
    pub keep: RwSignal<bool>,
    pub saved: RwSignal<Option<SavedCard>>,
    /// The new card's token while its payment is decided: kept only if it is paid.
    pending: RwSignal<Option<PaymentToken>>,
}

impl PayChoice {
    pub fn new() -> Self {
        let saved = SavedCard::load();
        let method = if saved.is_some() { Method::SavedCard } else { Method::NewCard };
        PayChoice {
            method: RwSignal::new(method),
            card: CardFields::new(),
            keep: RwSignal::new(false),
            saved: RwSignal::new(saved),
            pending: RwSignal::new(None),
        }
    }

    /// The payment method to send, or the card's errors.
    pub async fn resolve(self) -> Result<PaymentMethod, Vec<FieldError>> {
        match self.method.get_untracked() {
            Method::Wallet => Ok(PaymentMethod::Wallet),
            Method::SavedCard => match self.saved.get_untracked() {
                Some(saved) => Ok(PaymentMethod::Card(saved.token)),
                None => {
                    self.method.set(Method::NewCard);
                    Err(Vec::new())
                }
            },
            Method::NewCard => {
                let token = MockTokenizer.tokenize(&self.card.details(), this_month()).await.inspect_err(|errors| {
                    self.card.show_errors(errors.clone());
                })?;
                self.pending.set(Some(token.clone()));
                Ok(PaymentMethod::Card(token))
            }
        }
    }

    /// The payment went through: forget the typed card, keep it if asked.
    pub fn paid(self) {
        if let Some(token) = self.pending.get_untracked() {
            if self.keep.get_untracked() {
                self.saved.set(Some(SavedCard::save(&token)));
            }
        }
        self.pending.set(None);
        self.card.clear_secrets();
    }

    /// The payment did not go through: nothing is kept.
    pub fn failed(self) {
        self.pending.set(None);
    }

    /// Turns the provider's answer into the shopper's next step, the same on
    /// every screen that takes a payment: the typed card is forgotten once
    /// paid (kept as a token if asked), a decline says why in plain words
    /// (`abandoned`: the shopper gave up the bank's check), and a wallet's
    /// page is followed only to an address a wallet may send to, with
    /// `back_to` remembered for the way back.
    pub fn settle(
        self,
        outcome: PaymentOutcome,
        abandoned: bool,
        back_to: &str,
        navigate: &dyn Fn(&str, leptos_router::NavigateOptions),
    ) -> PaymentStep {
        match outcome {
            PaymentOutcome::Authorised => {
                self.paid();
                PaymentStep::Paid
            }
            PaymentOutcome::Declined { reason } => {
                self.failed();
                let key = if abandoned { "payment.challenge_abandoned" } else { crate::api::ApiError::PaymentDeclined { reason }.message_key() };
                PaymentStep::Declined(t(key))
            }
            PaymentOutcome::ChallengeRequired { challenge_id } => PaymentStep::Challenge(challenge_id),
            PaymentOutcome::Redirect { url, .. } if follow_redirect(&url, back_to, navigate) => PaymentStep::Redirected,
            PaymentOutcome::Redirect { .. } => PaymentStep::BadRedirect,
        }
    }

    pub fn forget_saved(self) {
        SavedCard::forget();
        self.saved.set(None);
        self.method.set(Method::NewCard);
    }
}

impl Default for PayChoice {
    fn default() -> Self {
        Self::new()
    }
}

/// Where a payment's answer leaves the shopper (see [`PayChoice::settle`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PaymentStep {
    Paid,
    /// Not paid, the orders still await payment; the message says why.
    Declined(String),
    /// The bank asks the shopper to confirm (3-D Secure) in this challenge.
    Challenge(String),
    /// On the way to the wallet's page, which brings the shopper back.
    Redirected,
    /// The wallet's address was not one to follow.
    BadRedirect,
}

/// A path in this app: starts with one slash, no scheme, host or backslash.
pub fn is_local_path(path: &str) -> bool {
    path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') && !path.chars().any(char::is_control) && path.len() <= 512
}

/// Where the wallet sends the shopper: a page of this app (the mock's
/// simulated wallet) or an https page of the wallet. Anything else is refused.
pub enum WalletTarget {
    Here(String),
    Away(String),
}

pub fn wallet_target(url: &str) -> Option<WalletTarget> {
    if is_local_path(url) {
        Some(WalletTarget::Here(url.to_owned()))
    } else if url.starts_with("https://") && url.len() <= 2048 && !url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        Some(WalletTarget::Away(url.to_owned()))
    } else {
        None
    }
}

/// Remembers where to come back to after the wallet for this challenge.
pub fn remember_wallet_return(url: &str, back_to: &str) {
    let challenge = browser::query_param(url, "challenge").unwrap_or_default();
    if is_local_path(back_to) {
        browser::session_set(WALLET_RETURN_KEY, &format!("{challenge} {back_to}"));
    }
}

/// Sends the shopper to the wallet's page, remembering `back_to` for the way
/// back. False when the address is not one a wallet may send to.
pub fn follow_redirect(url: &str, back_to: &str, navigate: &dyn Fn(&str, leptos_router::NavigateOptions)) -> bool {
    match wallet_target(url) {
        Some(WalletTarget::Here(path)) => {
            remember_wallet_return(url, back_to);
            navigate(&path, Default::default());
            true
        }
        Some(WalletTarget::Away(address)) => {
            remember_wallet_return(url, back_to);
            crate::browser::window().is_some_and(|w| w.location().assign(&address).is_ok())
        }
        None => false,
    }
}

/// The page to come back to after the wallet's page answered `challenge`.
pub fn wallet_return(challenge: &str, fallback: &str) -> String {
    let stored = browser::session_get(WALLET_RETURN_KEY).unwrap_or_default();
    browser::session_remove(WALLET_RETURN_KEY);
    match stored.split_once(' ') {
        Some((c, path)) if c == challenge && is_local_path(path) => path.to_owned(),
        _ if is_local_path(fallback) => fallback.to_owned(),
        _ => "/orders".to_owned(),
    }
}

/// Where a checkout that has its answer sends the shopper (the confirmation,
/// or the order waiting for payment), kept for the tab until that page shows.
/// The cart is emptied a moment before the address bar moves: a reload in
/// between then still lands there, instead of on an empty checkout.
use crate::state::keys::PLACED as PLACED_KEY;

pub fn remember_placed(path: &str) {
    browser::session_set(PLACED_KEY, path);
}

/// The order page a checkout was sending the shopper to, once; only a page of
/// this app's orders (the value is read back from storage).
pub fn take_placed() -> Option<String> {
    let path = browser::session_get(PLACED_KEY);
    forget_placed();
    path.filter(|p| is_local_path(p) && p.starts_with("/orders/"))
}

pub fn forget_placed() {
    browser::session_remove(PLACED_KEY);
}

/// The confirmation of a checkout: the first order's page, naming every order
/// of this checkout so it can list them.
pub fn confirmation_path(ids: &[OrderId]) -> String {
    let all: Vec<&str> = ids.iter().map(|o| o.0.as_str()).collect();
    match ids.first() {
        Some(first) => format!("/orders/{}?placed={}", first.0, all.join(",")),
        None => "/orders".to_owned(),
    }
}

#[component]
pub fn PaymentMethodPicker(choice: PayChoice, #[prop(into)] name: String) -> impl IntoView {
    let name = StoredValue::new(name);
    let radio = move |m: Method, label: AnyView, hint: Option<String>| {
        let name = name.get_value();
        let id = format!("{name}-{}", match m {
            Method::SavedCard => "saved",
            Method::NewCard => "card",
            Method::Wallet => "wallet",
        });
        let hint_id = format!("{id}-hint");
        view! {
            <div class="pay-method">
                <input type="radio" id=id.clone() name=name.clone() class="pay-method__radio"
                    aria-describedby=hint.as_ref().map(|_| hint_id.clone())
                    prop:checked=move || choice.method.get() == m on:change=move |_| choice.method.set(m)/>
                <label for=id class="pay-method__label">{label}</label>
                {hint.map(|h| view! { <p class="field__hint pay-method__hint" id=hint_id>{h}</p> })}
            </div>
        }
    };
    let saved_label = move || {
        choice.saved.get().map(|s| {
            let brand = t(&format!("card.brand.{}", s.token.brand.slug()));
            tf("payment.saved_card", &[("brand", &brand), ("last4", &s.token.last4)])
        })
    };
    view! {
        <fieldset class="pay-methods">
            <legend class="field__label">{t("payment.method")}</legend>
            {move || saved_label().map(|label| view! {
                {radio(Method::SavedCard, view! { {label} }.into_any(), None)}
                <button type="button" class="button button--link pay-method__forget" on:click=move |_| choice.forget_saved()>
                    {t("payment.forget_card")}
                </button>
            })}
            {radio(Method::NewCard, t("payment.new_card").into_any(), None)}
            <Show when=move || choice.method.get() == Method::NewCard>
                <div class="pay-method__card">
                    <CardForm fields=choice.card/>
                    <label class="choice">
                        <input type="checkbox" prop:checked=move || choice.keep.get()
                            on:change=move |ev| choice.keep.set(event_target_checked(&ev))/>
                        {t("payment.keep_card")}
                    </label>
                </div>
            </Show>
            {radio(Method::Wallet, t("payment.wallet").into_any(), Some(t("payment.wallet_hint")))}
        </fieldset>
    }
}
