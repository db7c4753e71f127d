//! `/checkout`: guest checkout on one screen (docs/rules.md#checkout, #payment):
//! contact and shipping address with the country first (fields and postal code
//! follow it), a shipping option per seller, a coupon, the card; the summary
//! with every cost stays in view and follows every choice. Fields are checked
//! on leaving them; on paying, focus moves to a summary of every error. The
//! draft (not the card) survives a reload. Paying places one order per seller
//! under one idempotency key, kept until the attempt has an answer.
//!
//! Each section is a component beside this file; this one holds the draft,
//! the quote and the payment.

mod address;
mod coupon;
mod shipping;
mod summary;

use std::rc::Rc;

use checkout_api::{PaymentOutcome, PlaceOrder, QuoteRequest};
use checkout_core::checkout::{Quote, QuoteError};
use checkout_core::order::OrderId;
use checkout_core::validate::FieldError;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use crate::api::resource::use_api_resource;
use crate::api::{use_api, use_api_handle, ApiError};
use crate::browser;
use crate::components::announcer::announce;
use crate::components::error_summary::ErrorSummary;
use crate::components::payment_flow::{Attempt, BankAnswer, BankCheck, BankCheckDialog};
use crate::components::payment_method::{confirmation_path, forget_placed, remember_placed, take_placed, PayChoice, PaymentMethodPicker, PaymentStep};
use crate::components::title::use_title;
use crate::i18n::t;
use crate::state::cart::use_cart;
use crate::state::draft::CheckoutDraft;
use crate::state::keys;

use address::{summary_line, AddressSection};
use coupon::{quote_error_text, CouponSection};
use shipping::shipping_choices;
use summary::Summary;

#[component]
pub fn CheckoutPage() -> impl IntoView {
    use_title(|| t("checkout.title"));
    // Drawn by the server without the shopper's cart (crate::render): the
    // page's loading shell.
    if use_context::<crate::state::cart::CartNotKnownHere>().is_some() {
        return view! {
            <div class="page checkout"><h1>{t("checkout.heading")}</h1><div class="skeleton checkout-skeleton" aria-busy="true"></div></div>
        }
        .into_any();
    }
    // Its form (or why there is none) is drawn at once, from the stored cart.
    crate::components::shell::screen_drawn();
    let store = use_cart();
    let draft = RwSignal::new(CheckoutDraft::load());
    Effect::new(move |_| draft.with(CheckoutDraft::save));
    // The coupon counts once applied, not while it is typed.
    let applied_coupon = RwSignal::new(draft.with_untracked(|d| d.coupon.clone()));
    let api = use_api();
    // A price that failed on the way is asked for again by itself (a refused
    // coupon or an empty cart is not). An empty cart has nothing to price: the
    // order API is not asked (nor, on a first visit, downloaded).
    let (quote, _) = use_api_resource(move || {
        let api = api.clone();
        let request = QuoteRequest {
            cart: store.cart.get(),
            shipping: draft.with(|d| d.shipping.clone()),
            coupon: Some(applied_coupon.get()).filter(|c| !c.trim().is_empty()),
            country: draft.with(|d| d.address.country.clone()),
        };
        async move {
            if request.cart.is_empty() {
                return Err(ApiError::QuoteRefused { reason: QuoteError::NothingToBuy });
            }
            api.quote(&request).await
        }
    });
    // Errors per field, shown after leaving the field or on paying.
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let summary = RwSignal::new(Vec::<(String, String)>::new());
    let show_errors = move |found: Vec<FieldError>| {
        summary.set(found.iter().map(summary_line).collect());
        let any = !found.is_empty();
        errors.set(found);
        if any {
            request_animation_frame(|| browser::focus_id("checkout-summary"));
        }
    };
    let choice = PayChoice::new();
    on_cleanup(move || choice.card.clear_secrets());
    let pay_error = RwSignal::new(None::<String>);
    let summary_open = RwSignal::new(false);
    let attempt = Attempt::new(keys::CHECKOUT_ATTEMPT);

    let navigate = use_navigate();
    // A reload after paying emptied the cart but before the address bar moved
    // to the order: go on there. A cart with lines is a new checkout.
    if store.cart.with_untracked(|c| c.is_empty()) {
        if let Some(to) = take_placed() {
            let navigate = navigate.clone();
            request_animation_frame(move || navigate(&to, NavigateOptions { replace: true, ..Default::default() }));
        }
    } else {
        forget_placed();
    }
    // The bank's check, made below: a payment's answer may start it.
    let bank_check = StoredValue::new(None::<BankCheck>);
    // Where the provider's answer leaves the shopper, whether it came from
    // placing the orders or from the bank's check. (An Rc, not a stored
    // value: it navigates away from this screen.)
    let settle = Rc::new({
        let attempt = attempt.clone();
        move |ids: Vec<OrderId>, outcome: PaymentOutcome, abandoned: bool| {
        // The attempt has its answer; the orders exist from here on.
        attempt.answered(&outcome);
        match choice.settle(outcome, abandoned, &confirmation_path(&ids), &navigate) {
            PaymentStep::Paid => {
                let to = confirmation_path(&ids);
                remember_placed(&to);
                store.cart.set(Default::default());
                announce(t("checkout.placed"));
                navigate(&to, Default::default());
            }
            PaymentStep::Declined(text) => {
                // The orders await payment: pay again there, the address kept.
                let to = ids.first().map(|first| format!("/orders/{}", first.0));
                if let Some(to) = &to {
                    remember_placed(to);
                }
                store.cart.set(Default::default());
                browser::session_set(keys::DECLINED, &text);
                if let Some(to) = to {
                    navigate(&to, Default::default());
                }
            }
            PaymentStep::Challenge(challenge_id) => {
                if let Some(check) = bank_check.get_value() {
                    check.start(challenge_id, ids);
                }
            }
            // The orders await payment; the wallet's page decides.
            PaymentStep::Redirected => store.cart.set(Default::default()),
            PaymentStep::BadRedirect => pay_error.set(Some(t("error.bad_response"))),
        }
    }});
    let check = BankCheck::new({
        let settle = settle.clone();
        move |answer: BankAnswer| match answer.outcome {
            Ok(outcome) => settle(answer.orders, outcome, answer.abandoned),
            Err(e) => pay_error.set(Some(t(e.message_key()))),
        }
    });
    bank_check.set_value(Some(check));

    let handle = use_api_handle();
    // Paying: the card becomes a token, every field is checked, then one
    // order per seller is placed and paid under the attempt's key.
    let pay = Action::new_local(move |(d, q): &(CheckoutDraft, Quote)| {
        let (api, settle, attempt, d, total) = (handle.get_value(), settle.clone(), attempt.clone(), d.clone(), q.totals.total);
        async move {
            let mut found = address::problems(&d);
            let method = choice.resolve().await;
            if let Err(card_errors) = &method {
                found.extend(card_errors.iter().cloned());
            }
            let ok = found.is_empty();
            show_errors(found);
            let (Ok(method), true) = (method, ok) else { return };
            let request = PlaceOrder {
                idempotency_key: attempt.key(),
                quote: QuoteRequest {
                    cart: store.cart.get_untracked(),
                    shipping: d.shipping.clone(),
                    coupon: Some(applied_coupon.get_untracked()).filter(|c| !c.trim().is_empty()),
                    country: d.address.country.clone(),
                },
                expected_total: total,
                address: d.address.clone(),
                email: d.email.clone(),
                phone: d.phone.clone(),
                payment: method,
            };
            match api.place_order(&request).await {
                Ok(placed) => settle(placed.orders.iter().map(|o| o.id.clone()).collect(), placed.payment, false),
                Err(ApiError::Conflict { .. }) => {
                    // The cart changed since this attempt began: start a new one.
                    attempt.start_over();
                    pay_error.set(Some(t("checkout.changed_retry")));
                }
                Err(ApiError::Invalid { fields }) => show_errors(fields),
                Err(ApiError::QuoteRefused { reason }) => pay_error.set(Some(quote_error_text(&reason))),
                // Network trouble: the key is kept, so paying again is safe.
                Err(e) => pay_error.set(Some(t(e.message_key()))),
            }
        }
    });
    let paying = Signal::derive(move || pay.pending().get() || check.busy().get());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if paying.get_untracked() {
            return;
        }
        let d = draft.get_untracked();
        match quote.get_untracked() {
            Some(Ok(q)) => {
                pay_error.set(None);
                pay.dispatch((d, q));
            }
            other => {
                // No price to pay yet: say why (a refused coupon says which
                // and how to fix it), and still list what else needs fixing.
                let why = match other {
                    Some(Err(ApiError::QuoteRefused { reason })) => quote_error_text(&reason),
                    // The price could not be had (network): ask again now, so the
                    // next press can pay the total the shopper will then see.
                    _ => {
                        quote.refetch();
                        t("checkout.no_quote")
                    }
                };
                pay_error.set(Some(why));
                show_errors(address::problems(&d));
            }
        }
    };

    view! {
        <div class="page checkout">
            <h1>{t("checkout.heading")}</h1>
            <ErrorSummary id="checkout-summary" items=summary/>
            <Show when=move || !store.cart.with(|c| c.is_empty()) fallback=|| view! {
                <div class="empty-state"><p class="empty-state__title">{t("checkout.empty")}</p>
                    <a href="/" class="button button--primary">{t("action.continue_shopping")}</a></div>
            }>
            <form class="checkout__layout" on:submit=submit novalidate on:focusin=move |ev| summary::field_focused(&ev, summary_open)>
                <div class="checkout__main">
                    <AddressSection draft=draft errors=errors/>
                    <section class="order-section" aria-labelledby="co-shipping-heading">
                        <h2 id="co-shipping-heading">{t("checkout.shipping_heading")}</h2>
                        {move || quote.get().and_then(|r| r.ok()).map(|q| shipping_choices(&q, draft))}
                    </section>
                    <CouponSection draft=draft applied=applied_coupon quote=quote/>
                    <section class="order-section" aria-labelledby="co-pay-heading">
                        <h2 id="co-pay-heading">{t("checkout.payment_heading")}</h2>
                        <PaymentMethodPicker choice=choice name="co-pay"/>
                        <p class="field__hint">{t("payment.safety")}</p>
                    </section>
                </div>
                <Summary quote=quote pay_error=pay_error paying=paying open=summary_open/>
            </form>
            </Show>
            <BankCheckDialog check=check id="checkout-challenge"/>
        </div>
    }
    .into_any()
}
