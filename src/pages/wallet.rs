//! `/pay/wallet?challenge=…`: the mock's stand-in for a wallet's own page
//! (PayPal-like). A real wallet lives on its own site; the order API's answer
//! then names an https address and the app goes there instead. Here the shopper
//! approves or cancels, the answer goes to the order API, and the shopper comes
//! back to the page the checkout named: the confirmation, or the order
//! awaiting payment with the reason.

use checkout_api::PaymentOutcome;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

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

#[component]
pub fn WalletPage() -> impl IntoView {
    use_title(|| t("wallet.title"));
    let query = use_query_map();
    let challenge = Memo::new(move |_| query.read().get("challenge").filter(|c| valid_challenge(c)));
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let api = use_api_handle();
    let navigate = use_navigate();

    let answer = move |approved: bool| {
        let Some(id) = challenge.get_untracked() else { return };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let api = api.get_value();
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let outcome = api.confirm_challenge(&id, approved).await;
            busy.set(false);
            let back = match outcome {
                Ok(PaymentOutcome::Authorised) => {
                    announce(t("payment.authorised"));
                    wallet_return(&id, "/orders")
                }
                Ok(PaymentOutcome::Declined { reason }) => {
                    let text = if approved { t(ApiError::PaymentDeclined { reason }.message_key()) } else { t("wallet.cancelled") };
                    browser::session_set(crate::state::keys::DECLINED, &text);
                    // Back to the order awaiting payment, not to a confirmation.
                    let back = wallet_return(&id, "/orders");
                    back.split('?').next().unwrap_or("/orders").to_owned()
                }
                Ok(_) => {
                    error.set(Some(t("error.bad_response")));
                    return;
                }
                Err(ApiError::NotFound) => {
                    error.set(Some(t("wallet.unknown")));
                    return;
                }
                // The answer can be sent again: the API keeps the first one.
                Err(e) => {
                    error.set(Some(t(e.message_key())));
                    return;
                }
            };
            navigate(&back, Default::default());
        });
    };
    let approve = answer.clone();

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
                        let approve = approve.clone();
                        let cancel = answer.clone();
                        view! {
                            <p>{t("wallet.body")}</p>
                            {move || error.get().map(|e| view! { <div class="notice notice--error" role="alert"><p>{e}</p></div> })}
                            <div class="wallet__actions">
                                <button type="button" class="button button--primary" id="wallet-approve"
                                    aria-busy=move || busy.get().to_string() disabled=move || busy.get()
                                    on:click=move |_| approve(true)>{t("wallet.approve")}</button>
                                <button type="button" class="button button--secondary" id="wallet-cancel"
                                    disabled=move || busy.get() on:click=move |_| cancel(false)>{t("wallet.cancel")}</button>
                            </div>
                            <p class="field__hint">{t("wallet.simulated")}</p>
                        }.into_any()
                    }
                }}
            </div>
        </div>
    }
}
