//! `/checkout`: guest checkout on one screen (docs/rules.md#checkout, #payment):
//! contact and shipping address with the country first (fields and postal code
//! follow it), a shipping option per seller, a coupon, the card; the summary
//! with every cost stays in view and follows every choice. Fields are checked
//! on leaving them; on paying, focus moves to a summary of every error. The
//! draft (not the card) survives a reload. Paying places one order per seller
//! under one idempotency key, kept until the attempt has an answer.

use checkout_api::{PaymentOutcome, PlaceOrder, QuoteRequest};
use checkout_core::checkout::{Quote, QuoteError, ShippingSpeed};
use checkout_core::validate::address::{self, COUNTRIES};
use checkout_core::validate::{contact, Field, FieldError};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use crate::api::resource::use_api_resource;
use crate::api::{use_api, use_api_handle, ApiError};
use crate::browser;
use crate::components::announcer::announce;
use crate::components::error_summary::ErrorSummary;
use crate::components::dialog::ConfirmDialog;
use crate::components::pay_panel::new_uuid;
use crate::components::payment_method::{confirmation_path, forget_placed, remember_placed, take_placed, PayChoice, PaymentMethodPicker, PaymentStep};
use crate::components::{price::Price, title::use_title};
use crate::i18n::{t, tf, tp};
use crate::state::cart::use_cart;
use crate::state::draft::CheckoutDraft;

use crate::state::keys::CHECKOUT_ATTEMPT as ATTEMPT_KEY;

fn field_id(f: Field) -> &'static str {
    match f {
        Field::Country => "co-country",
        Field::GivenName => "co-given",
        Field::FamilyName => "co-family",
        Field::AddressLine1 => "co-line1",
        Field::AddressLine2 => "co-line2",
        Field::City => "co-city",
        Field::Region => "co-region",
        Field::PostalCode => "co-postal",
        Field::Phone => "co-phone",
        Field::Email => "co-email",
        Field::CardNumber => "card-number",
        Field::CardExpiry => "card-expiry",
        Field::CardCvc => "card-cvc",
        Field::CardName => "card-name",
    }
}

fn field_label_key(f: Field) -> &'static str {
    match f {
        Field::Country => "checkout.country",
        Field::GivenName => "checkout.given_name",
        Field::FamilyName => "checkout.family_name",
        Field::AddressLine1 => "checkout.line1",
        Field::AddressLine2 => "checkout.line2",
        Field::City => "checkout.city",
        Field::Region => "checkout.region",
        Field::PostalCode => "checkout.postal_code",
        Field::Phone => "checkout.phone",
        Field::Email => "checkout.email",
        Field::CardNumber => "card.number",
        Field::CardExpiry => "card.expiry",
        Field::CardCvc => "card.cvc",
        Field::CardName => "card.name",
    }
}

/// "Postal code: Enter a postal code like 94105." for the error summary.
fn summary_line(e: &FieldError) -> (String, String) {
    (field_id(e.field).to_string(), tf("form.summary_line", &[("field", &t(field_label_key(e.field))), ("message", &message(e))]))
}

fn message(e: &FieldError) -> String {
    match &e.example {
        Some(x) => tf(&e.key, &[("example", x)]),
        None => t(&e.key),
    }
}

fn quote_error_text(e: &QuoteError) -> String {
    match e {
        QuoteError::CouponUnknown => t("checkout.coupon_unknown"),
        QuoteError::CouponExpired => t("checkout.coupon_expired"),
        QuoteError::CouponMinimumNotMet { min } => tf("checkout.coupon_minimum", &[("min", &crate::i18n::format::money(min))]),
        QuoteError::NothingToBuy => t("checkout.nothing_to_buy"),
        QuoteError::PriceChanged { .. } => t("checkout.price_changed"),
        _ => t("error.quote_refused"),
    }
}

#[component]
pub fn CheckoutPage() -> impl IntoView {
    use_title(|| t("checkout.title"));
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
    let choice = PayChoice::new();
    on_cleanup(move || choice.card.clear_secrets());
    let paying = RwSignal::new(false);
    let pay_error = RwSignal::new(None::<String>);
    let challenge = RwSignal::new(None::<(String, Vec<checkout_core::order::OrderId>)>);
    let challenge_open = RwSignal::new(false);

    let check_field = move |f: Field| {
        let d = draft.get_untracked();
        let found: Option<FieldError> = match f {
            Field::Email => contact::email(&d.email).err(),
            Field::Phone => contact::phone(&d.phone, &d.address.country).err(),
            _ => address::validate(&d.address).err().and_then(|v| v.into_iter().find(|e| e.field == f)),
        };
        errors.update(|errs| {
            errs.retain(|e| e.field != f);
            errs.extend(found);
        });
    };
    let error_of = move |f: Field| move || errors.with(|e| e.iter().find(|e| e.field == f).map(message));

    let handle = use_api_handle();
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
    let on_outcome = move |ids: Vec<checkout_core::order::OrderId>, outcome: PaymentOutcome, abandoned: bool| {
        if !matches!(outcome, PaymentOutcome::ChallengeRequired { .. }) {
            // The attempt has its answer; the orders exist from here on.
            browser::session_remove(ATTEMPT_KEY);
        }
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
                browser::session_set(crate::state::keys::DECLINED, &text);
                if let Some(to) = to {
                    navigate(&to, Default::default());
                }
            }
            PaymentStep::Challenge(challenge_id) => {
                challenge.set(Some((challenge_id, ids)));
                challenge_open.set(true);
            }
            // The orders await payment; the wallet's page decides.
            PaymentStep::Redirected => store.cart.set(Default::default()),
            PaymentStep::BadRedirect => pay_error.set(Some(t("error.bad_response"))),
        }
    };

    let pay = {
        let on_outcome = on_outcome.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if paying.get_untracked() {
                return;
            }
            let d = draft.get_untracked();
            let mut found: Vec<FieldError> = address::validate(&d.address).err().unwrap_or_default();
            found.extend(contact::phone(&d.phone, &d.address.country).err());
            found.extend(contact::email(&d.email).err());
            let q = match quote.get_untracked() {
                Some(Ok(q)) => q,
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
                    summary.set(found.iter().map(summary_line).collect());
                    errors.set(found.clone());
                    if !found.is_empty() {
                        request_animation_frame(|| browser::focus_id("checkout-summary"));
                    }
                    return;
                }
            };
            let api = handle.get_value();
            let on_outcome = on_outcome.clone();
            paying.set(true);
            pay_error.set(None);
            leptos::task::spawn_local(async move {
                let method = choice.resolve().await;
                if let Err(card_errors) = &method {
                    found.extend(card_errors.iter().cloned());
                }
                errors.set(found.clone());
                summary.set(found.iter().map(summary_line).collect());
                let Ok(method) = method else {
                    paying.set(false);
                    request_animation_frame(|| browser::focus_id("checkout-summary"));
                    return;
                };
                if !found.is_empty() {
                    paying.set(false);
                    request_animation_frame(|| browser::focus_id("checkout-summary"));
                    return;
                }
                let key = match browser::session_get(ATTEMPT_KEY) {
                    Some(k) if checkout_core::checkout::is_uuid(&k) => k,
                    _ => {
                        let k = new_uuid();
                        browser::session_set(ATTEMPT_KEY, &k);
                        k
                    }
                };
                let request = PlaceOrder {
                    idempotency_key: key,
                    quote: QuoteRequest {
                        cart: store.cart.get_untracked(),
                        shipping: d.shipping.clone(),
                        coupon: Some(applied_coupon.get_untracked()).filter(|c| !c.trim().is_empty()),
                        country: d.address.country.clone(),
                    },
                    expected_total: q.totals.total,
                    address: d.address.clone(),
                    email: d.email.clone(),
                    phone: d.phone.clone(),
                    payment: method,
                };
                match api.place_order(&request).await {
                    Ok(placed) => {
                        let ids = placed.orders.iter().map(|o| o.id.clone()).collect();
                        on_outcome(ids, placed.payment, false);
                    }
                    Err(ApiError::Conflict { .. }) => {
                        // The cart changed since this attempt began: start a new one.
                        browser::session_remove(ATTEMPT_KEY);
                        pay_error.set(Some(t("checkout.changed_retry")));
                    }
                    Err(ApiError::Invalid { fields }) => {
                        summary.set(fields.iter().map(summary_line).collect());
                        errors.set(fields);
                        request_animation_frame(|| browser::focus_id("checkout-summary"));
                    }
                    Err(ApiError::QuoteRefused { reason }) => pay_error.set(Some(quote_error_text(&reason))),
                    // Network trouble: the key is kept, so paying again is safe.
                    Err(e) => pay_error.set(Some(t(e.message_key()))),
                }
                paying.set(false);
            });
        }
    };

    let answer_challenge = {
        let on_outcome = on_outcome.clone();
        move |approved: bool| {
            let Some((id, ids)) = challenge.get_untracked() else { return };
            challenge.set(None);
            challenge_open.set(false);
            let api = handle.get_value();
            let on_outcome = on_outcome.clone();
            leptos::task::spawn_local(async move {
                match api.confirm_challenge(&id, approved).await {
                    Ok(outcome) => on_outcome(ids, outcome, !approved),
                    Err(e) => pay_error.set(Some(t(e.message_key()))),
                }
            });
        }
    };
    let confirm_challenge = answer_challenge.clone();
    Effect::new(move |_| {
        if challenge.with(Option::is_some) && !challenge_open.get() {
            answer_challenge(false);
        }
    });

    let text_field = move |f: Field, label_key: &'static str, autocomplete: &'static str, inputmode: &'static str,
                           get: fn(&CheckoutDraft) -> String, set: fn(&mut CheckoutDraft, String)| {
        let id = field_id(f);
        view! {
            <div class="field">
                <label for=id class="field__label">{t(label_key)}</label>
                <input id=id class="field__input" autocomplete=autocomplete inputmode=inputmode
                    aria-describedby=format!("{id}-error") aria-invalid=move || errors.with(|e| e.iter().any(|e| e.field == f)).to_string()
                    prop:value=move || draft.with(get)
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        draft.update(|d| set(d, v));
                        if errors.with_untracked(|e| e.iter().any(|e| e.field == f)) { check_field(f); }
                    }
                    on:blur=move |_| if !draft.with_untracked(get).is_empty() { check_field(f); }/>
                <p class="field-message" id=format!("{id}-error")>{error_of(f)}</p>
            </div>
        }
    };
    let rules = Memo::new(move |_| draft.with(|d| address::country(&d.address.country).copied()));
    let address_fields = move || {
        let order = rules.get().map(|r| r.field_order()).unwrap_or_default();
        let region_required = rules.get().is_some_and(|r| r.region_required);
        order
            .into_iter()
            .filter(|f| *f != Field::Country)
            .map(|f| match f {
                Field::GivenName => text_field(f, "checkout.given_name", "shipping given-name", "text", |d| d.address.given_name.clone(), |d, v| d.address.given_name = v).into_any(),
                Field::FamilyName => text_field(f, "checkout.family_name", "shipping family-name", "text", |d| d.address.family_name.clone(), |d, v| d.address.family_name = v).into_any(),
                Field::AddressLine1 => text_field(f, "checkout.line1", "shipping address-line1", "text", |d| d.address.line1.clone(), |d, v| d.address.line1 = v).into_any(),
                Field::AddressLine2 => text_field(f, "checkout.line2", "shipping address-line2", "text", |d| d.address.line2.clone(), |d, v| d.address.line2 = v).into_any(),
                Field::City => text_field(f, "checkout.city", "shipping address-level2", "text", |d| d.address.city.clone(), |d, v| d.address.city = v).into_any(),
                Field::Region => text_field(f, if region_required { "checkout.region" } else { "checkout.region_optional" }, "shipping address-level1", "text", |d| d.address.region.clone(), |d, v| d.address.region = v).into_any(),
                Field::PostalCode => text_field(f, "checkout.postal_code", "shipping postal-code", "text", |d| d.address.postal_code.clone(), |d, v| d.address.postal_code = v).into_any(),
                _ => ().into_any(),
            })
            .collect_view()
    };

    let coupon_text = RwSignal::new(draft.with_untracked(|d| d.coupon.clone()));
    let apply_coupon = move |_| {
        let code = coupon_text.get_untracked();
        draft.update(|d| d.coupon = code.clone());
        applied_coupon.set(code);
    };

    view! {
        <div class="page checkout">
            <h1>{t("checkout.heading")}</h1>
            <ErrorSummary id="checkout-summary" items=summary/>
            <Show when=move || !store.cart.with(|c| c.is_empty()) fallback=|| view! {
                <div class="empty-state"><p class="empty-state__title">{t("checkout.empty")}</p>
                    <a href="/" class="button button--primary">{t("action.continue_shopping")}</a></div>
            }>
            <form class="checkout__layout" on:submit=pay.clone() novalidate>
                <div class="checkout__main">
                    <section class="order-section" aria-labelledby="co-address-heading">
                        <h2 id="co-address-heading">{t("checkout.address_heading")}</h2>
                        <div class="field">
                            <label for="co-country" class="field__label">{t("checkout.country")}</label>
                            <select id="co-country" class="field__input" autocomplete="shipping country"
                                on:change=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.address.country = v); errors.update(|e| e.retain(|e| !matches!(e.field, Field::PostalCode | Field::Region | Field::Phone))); }>
                                {COUNTRIES.iter().map(|c| view! {
                                    <option value=c.code selected=move || draft.with(|d| d.address.country == c.code)>{t(&format!("country.{}", c.code))}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        {address_fields}
                        {text_field(Field::Phone, "checkout.phone", "shipping tel", "tel", |d| d.phone.clone(), |d, v| d.phone = v)}
                        {text_field(Field::Email, "checkout.email", "email", "email", |d| d.email.clone(), |d, v| d.email = v)}
                    </section>
                    <section class="order-section" aria-labelledby="co-shipping-heading">
                        <h2 id="co-shipping-heading">{t("checkout.shipping_heading")}</h2>
                        {move || quote.get().and_then(|r| r.ok()).map(|q| shipping_choices(&q, draft))}
                    </section>
                    <section class="order-section" aria-labelledby="co-coupon-heading">
                        <h2 id="co-coupon-heading">{t("checkout.coupon_heading")}</h2>
                        <label for="co-coupon" class="field__label">{t("checkout.coupon")}</label>
                        <div class="coupon">
                            <input id="co-coupon" class="field__input" autocomplete="off" aria-describedby="co-coupon-error"
                                prop:value=move || coupon_text.get() on:input=move |ev| coupon_text.set(event_target_value(&ev))/>
                            <button type="button" class="button button--secondary" on:click=apply_coupon>{t("checkout.apply")}</button>
                        </div>
                        <p class="field-message" id="co-coupon-error" role="status">
                            {move || match quote.get() {
                                Some(Err(ApiError::QuoteRefused { reason })) => Some(quote_error_text(&reason)),
                                Some(Ok(q)) if q.coupon.is_some() => Some(t("checkout.coupon_applied")),
                                _ => None,
                            }}
                        </p>
                    </section>
                    <section class="order-section" aria-labelledby="co-pay-heading">
                        <h2 id="co-pay-heading">{t("checkout.payment_heading")}</h2>
                        <PaymentMethodPicker choice=choice name="co-pay"/>
                        <p class="field__hint">{t("payment.safety")}</p>
                    </section>
                </div>
                <aside class="cart-summary checkout__summary" aria-labelledby="co-summary-heading">
                    <h2 id="co-summary-heading" class="cart-summary__heading">{t("cart.summary")}</h2>
                    {move || quote.get().and_then(|r| r.ok()).map(|q| view! {
                        <dl class="cart-summary__rows">
                            <div><dt>{t("order.total.items")}</dt><dd><Price money=q.totals.items/></dd></div>
                            {q.sellers.iter().map(|s| view! {
                                <div><dt>{tf("checkout.shipping_from", &[("seller", &s.seller_name)])}</dt><dd>
                                    {if s.totals.shipping.is_zero() { t("cart.free").into_any() } else { view! { <Price money=s.totals.shipping/> }.into_any() }}
                                </dd></div>
                            }).collect_view()}
                            {(!q.totals.discount.is_zero()).then(|| view! { <div><dt>{t("order.total.discount")}</dt><dd>"−"<Price money=q.totals.discount/></dd></div> })}
                            <div><dt>{t("order.total.tax")}</dt><dd><Price money=q.totals.tax/></dd></div>
                            <div class="cart-summary__total"><dt>{t("order.total.total")}</dt><dd data-testid="checkout-total"><Price money=q.totals.total/></dd></div>
                        </dl>
                        <p class="cart-summary__note">{tp("checkout.orders_note", q.sellers.len() as u64, &[])}</p>
                    })}
                    {move || pay_error.get().map(|e| view! { <div class="notice notice--error" role="alert"><p>{e}</p></div> })}
                    <button type="submit" class="button button--primary checkout__pay" disabled=move || paying.get() aria-busy=move || paying.get().to_string()>
                        {move || if paying.get() { t("payment.paying") } else { t("checkout.pay") }}
                    </button>
                </aside>
            </form>
            </Show>
            <ConfirmDialog open=challenge_open id="checkout-challenge" title=t("payment.challenge_title")
                confirm_label=t("payment.challenge_confirm") cancel_label=t("payment.challenge_cancel")
                on_confirm=Callback::new(move |_| confirm_challenge(true))>
                <p>{t("payment.challenge_body")}</p>
            </ConfirmDialog>
        </div>
    }
}

fn shipping_choices(q: &Quote, draft: RwSignal<CheckoutDraft>) -> impl IntoView {
    q.sellers
        .iter()
        .map(|s| {
            let seller = s.seller_id.clone();
            let chosen = s.chosen;
            view! {
                <fieldset class="field shipping-choice">
                    <legend class="field__label">{s.seller_name.clone()}</legend>
                    {s.options.iter().map(|o| {
                        let seller = seller.clone();
                        let speed = o.speed;
                        let name = t(if speed == ShippingSpeed::Express { "checkout.express" } else { "checkout.standard" });
                        let days = tf("checkout.days", &[("min", &o.days_min.to_string()), ("max", &o.days_max.to_string())]);
                        let price = if o.price.is_zero() { t("cart.free") } else { crate::i18n::format::money(&o.price) };
                        view! {
                            <label class="choice">
                                <input type="radio" name=format!("ship-{}", seller.0) checked=chosen == speed
                                    on:change=move |_| draft.update(|d| { d.shipping.insert(seller.clone(), speed); })/>
                                {format!("{name} · {price} · {days}")}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
            }
        })
        .collect_view()
}
