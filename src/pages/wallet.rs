//! `/pay/wallet?challenge=…`: the mock's stand-in for a wallet's own page
//! (PayPal-like). A real wallet lives on its own site; the order API's answer
//! then names an https address and the app goes there instead. Here the shopper
//! approves or cancels, the answer goes to the order API, and the shopper comes
//! back to the page the checkout named: the confirmation, or the order
//! awaiting payment with the reason.

use checkout_api::PaymentOutcome;
use leptos::prelude::*;
use leptos::Params;
use leptos_router::hooks::{use_navigate, use_query};
use leptos_router::params::Params;

use crate::api::{use_api_handle, ApiError};
use crate::browser;
use crate::components::announcer::announce;
use crate::components::payment_method::wallet_return;
use crate::components::title::use_title;
use crate::i18n::t;

/// A challenge id as the API makes them: short, letters, digits, `_` and `-`.
fn valid_challenge(id: &str) -> bool {
    !id.is_empty() && id.len() <= 100 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// `?challenge=…`.
#[derive(Params, Clone, Debug, PartialEq)]
struct WalletQuery {
    challenge: Option<String>,
}

/// Why the answer could not be given; the shopper can give it again (the
/// API keeps the first one).
fn problem_text(e: &ApiError) -> String {
    match e {
        ApiError::NotFound => t("wallet.unknown"),
        e => t(e.message_key()),
    }
}

#[component]
pub fn WalletPage() -> impl IntoView {
    use_title(|| t("wallet.title"));
    let query = use_query::<WalletQuery>();
    let challenge = Memo::new(move |_| query.with(|q| q.as_ref().ok().and_then(|q| q.challenge.clone())).filter(|c| valid_challenge(c)));
    let api = use_api_handle();
    let navigate = use_navigate();
    let answer = Action::new_local(move |(id, approved): &(String, bool)| {
        let (api, navigate, id, approved) = (api.get_value(), navigate.clone(), id.clone(), *approved);
        async move {
            let back = match api.confirm_challenge(&id, approved).await? {
                PaymentOutcome::Authorised => {
                    announce(t("payment.authorised"));
                    wallet_return(&id, "/orders")
                }
                PaymentOutcome::Declined { reason } => {
                    let text = if approved { t(ApiError::PaymentDeclined { reason }.message_key()) } else { t("wallet.cancelled") };
                    browser::session_set(crate::state::keys::DECLINED, &text);
                    // Back to the order awaiting payment, not to a confirmation.
                    let back = wallet_return(&id, "/orders");
                    back.split('?').next().unwrap_or("/orders").to_owned()
                }
                _ => return Err(ApiError::BadResponse { detail: "a wallet's answer that is neither paid nor declined".into() }),
            };
            navigate(&back, Default::default());
            Ok(())
        }
    });
    let busy = answer.pending();
    let error = move || answer.value().with(|v| v.as_ref().and_then(|r| r.as_ref().err()).map(problem_text));
    let reply = move |approved: bool| {
        if let (Some(id), false) = (challenge.get_untracked(), busy.get_untracked()) {
            answer.dispatch((id, approved));
        }
    };

    view! {
        <div class="page wallet">
            <div class="wallet__frame">
                <p class="wallet__brand" aria-hidden="true">"◆ " {t("wallet.brand")}</p>
                <h1>{t("wallet.heading")}</h1>
                {move || match challenge.get() {
                    None => view! {
                        <div class="notice notice--error" role="alert"><p>{t("wallet.unknown")}</p></div>
                        <a class="button button--secondary" href="/orders">{t("nav.orders")}</a>
                    }.into_any(),
                    Some(_) => {
                        view! {
                            <p>{t("wallet.body")}</p>
                            {move || error().map(|e| view! { <div class="notice notice--error" role="alert"><p>{e}</p></div> })}
                            <div class="wallet__actions">
                                <button type="button" class="button button--primary" id="wallet-approve"
                                    aria-busy=move || busy.get().to_string() disabled=move || busy.get()
                                    on:click=move |_| reply(true)>{t("wallet.approve")}</button>
                                <button type="button" class="button button--secondary" id="wallet-cancel"
                                    disabled=move || busy.get() on:click=move |_| reply(false)>{t("wallet.cancel")}</button>
                            </div>
                            <p class="field__hint">{t("wallet.simulated")}</p>
                        }.into_any()
                    }
                }}
            </div>
        </div>
    }
}
