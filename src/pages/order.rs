//! `/orders/:id`: one order: its status in a sentence with what the buyer can
//! do, the line of steps, tracking, deadlines and countdowns, the actions the
//! rules allow now, every event newest first, and what was bought. It refreshes
//! by itself while open and announces a change of status.

use std::time::Duration;

use checkout_api::BuyerAction;
use checkout_core::order::{CancelReason, Order, OrderId, OrderStatus, TimelineKind};
use checkout_core::time::Timestamp;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::polling::use_polling;
use crate::api::{use_api, use_api_handle, ApiError};
use crate::browser;
use crate::components::announcer::announce;
use crate::components::dialog::ConfirmDialog;
use crate::components::feedback::{FeedbackForm, FeedbackShown};
use crate::components::pay_panel::PayPanel;
use crate::components::order_status::{sentence_key, status_key, StatusBadge};
use crate::components::{load_error::LoadError, price::Price, title::use_title};
use crate::i18n::{format, t, tf, tp};
use crate::pages::not_found::NotFoundContent;

/// How soon an open order page first asks for news, and the longest it waits
/// between asks as nothing changes.
const REFRESH_FIRST: Duration = Duration::from_secs(5);
const REFRESH_CAP: Duration = Duration::from_secs(60);

#[component]
pub fn OrderPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| OrderId(params.read().get("id").unwrap_or_default()));
    let api = use_api();
    let refresh = RwSignal::new(0u32);
    let (data, retry) = crate::api::resource::use_api_resource(move || {
        let api = api.clone();
        let id = id.get();
        refresh.track();
        async move {
            let order = api.order(&id).await?;
            let now = api.now().await?;
            Ok::<_, ApiError>((order, now))
        }
    });
    let polling = use_polling(REFRESH_FIRST, REFRESH_CAP, move || refresh.update(|n| *n += 1));
    // Say a change of status that happened by itself, and ask again soon after one.
    Effect::new(move |prev: Option<Option<OrderStatus>>| {
        let status = data.get().and_then(|r| r.ok()).map(|(o, _)| o.status);
        if let (Some(Some(before)), Some(now)) = (prev, status) {
            if before != now {
                announce(tf("order.status_changed", &[("status", &t(status_key(now)))]));
                polling.reset();
            }
        }
        status
    });
    let title = RwSignal::new(t("order.loading_title"));
    use_title(move || title.get());
    view! {
        <Transition fallback=|| view! { <div class="page order skeleton order-skeleton" aria-busy="true"></div> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((order, now)) => {
                        title.set(tf("order.title", &[("number", &order.number)]));
                        view! { <OrderView order=order now=now on_change=Callback::new(move |_| refresh.update(|n| *n += 1))/> }.into_any()
                    }
                    Err(ApiError::NotFound) => {
                        title.set(t("order.not_found_heading"));
                        view! { <NotFoundContent heading_key="order.not_found_heading" body_key="order.not_found_body"/> }.into_any()
                    }
                    Err(e) => view! { <div class="page"><LoadError error=e on_retry=retry/></div> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The orders of the checkout that led here, from `?placed=id,id`: ids as the
/// API makes them, at most one per seller of a cart.
fn placed_ids() -> Vec<OrderId> {
    let query = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let Some(list) = query.trim_start_matches('?').split('&').find_map(|kv| kv.strip_prefix("placed=")) else {
        return Vec::new();
    };
    list.split(',')
        .filter(|id| !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))
        .take(20)
        .map(|id| OrderId(id.to_owned()))
        .collect()
}

/// Said once after checkout: the payment was declined (the order then waits
/// here for payment, the address kept), or the confirmation of every order
/// the checkout placed, with their numbers, totals and delivery ranges.
fn placed_notice(order: &Order) -> Option<AnyView> {
    // Here at last: a reload of the checkout no longer needs to come here.
    crate::components::payment_method::forget_placed();
    if let Some(text) = browser::session_get("checkout:declined") {
        browser::session_remove("checkout:declined");
        return Some(view! { <div class="notice notice--error" role="alert"><p>{text}</p><p>{t("checkout.declined_next")}</p></div> }.into_any());
    }
    let ids = placed_ids();
    if !ids.contains(&order.id) || order.status == OrderStatus::AwaitingPayment {
        return None;
    }
    Some(view! { <Confirmation ids=ids current=order.clone()/> }.into_any())
}

/// The confirmation: every order of this checkout (one per seller).
#[component]
fn Confirmation(ids: Vec<OrderId>, current: Order) -> impl IntoView {
    let api = use_api();
    let others: Vec<OrderId> = ids.iter().filter(|id| **id != current.id).cloned().collect();
    let count = ids.len() as u64;
    let loaded = LocalResource::new(move || {
        let api = api.clone();
        let others = others.clone();
        async move {
            let mut found = Vec::new();
            for id in &others {
                // An order that cannot be read now is left out, not an error here.
                if let Ok(o) = api.order(id).await {
                    found.push(o);
                }
            }
            found
        }
    });
    let track_href = if count > 1 { "/orders".to_owned() } else { format!("/orders/{}", current.id.0) };
    let row = |o: &Order, here: bool| {
        let estimate = o.delivery_estimate.map(|r| tf("order.range", &[("from", &format::date(r.from)), ("to", &format::date(r.to))]));
        view! {
            <li class="confirmation__order">
                {if here {
                    view! { <span class="confirmation__number" aria-current="page">{tf("order.title", &[("number", &o.number)])}</span> }.into_any()
                } else {
                    view! { <a class="confirmation__number" href=format!("/orders/{}", o.id.0)>{tf("order.title", &[("number", &o.number)])}</a> }.into_any()
                }}
                <span>{o.seller_name.clone()}</span>
                <span><Price money=o.totals.total/></span>
                {estimate.map(|e| view! { <span>{tf("confirmation.arrives", &[("range", &e)])}</span> })}
            </li>
        }
    };
    let first = row(&current, true);
    view! {
        <section class="notice notice--success confirmation" aria-labelledby="confirmation-heading">
            <h2 id="confirmation-heading" class="confirmation__heading">{tp("checkout.placed_n", count, &[])}</h2>
            <p>{t("confirmation.email")}</p>
            <ul class="confirmation__orders">
                {first}
                {move || loaded.get().map(|others| others.iter().map(|o| row(o, false)).collect_view())}
            </ul>
            <div class="confirmation__actions">
                <a class="button button--primary" href=track_href>{t(if count > 1 { "confirmation.track_all" } else { "confirmation.track" })}</a>
                <a class="button button--secondary" href="/">{t("action.continue_shopping")}</a>
            </div>
        </section>
    }
}

/// Where a shopper reaches a person: an email naming the order.
#[component]
fn SupportLink(number: String) -> impl IntoView {
    let subject = js_sys::encode_uri_component(&tf("support.subject", &[("number", &number)]));
    view! {
        <a class="button button--secondary" href=format!("mailto:{SUPPORT_EMAIL}?subject={subject}")>{t("support.contact")}</a>
    }
}

/// The support desk's address (the same on every order).
pub const SUPPORT_EMAIL: &str = "support@checkout.example";

/// "Visa ending 4242", or "a wallet".
fn paid_with_text(method: &checkout_core::order::PaidWith) -> String {
    match method {
        checkout_core::order::PaidWith::Card { brand, last4 } => {
            tf("order.card_ending", &[("brand", &t(&format!("card.brand.{}", brand.slug()))), ("last4", last4)])
        }
        checkout_core::order::PaidWith::Wallet => t("order.wallet"),
    }
}

/// "3 days 4 hours" until `deadline`, or "less than an hour".
fn countdown(now: Timestamp, deadline: Timestamp) -> String {
    let left = deadline.since(now).max(0);
    let days = (left / 86_400) as u64;
    let hours = ((left % 86_400) / 3_600) as u64;
    match (days, hours) {
        (0, 0) => t("time.under_an_hour"),
        (0, h) => tp("time.hours", h, &[]),
        (d, 0) => tp("time.days", d, &[]),
        (d, h) => format!("{} {}", tp("time.days", d, &[]), tp("time.hours", h, &[])),
    }
}

const STEPS: [&str; 7] = [
    "order.step.placed",
    "order.step.paid",
    "order.step.verified",
    "order.step.shipped",
    "order.step.in_transit",
    "order.step.delivered",
    "order.step.completed",
];

/// How many of the steps are done.
fn steps_done(o: &Order) -> usize {
    let has = |f: &dyn Fn(&TimelineKind) -> bool| o.timeline.iter().any(|e| f(&e.kind));
    let mut n = 1;
    if o.payment.is_some() {
        n = 2;
    }
    if has(&|k| *k == TimelineKind::VerificationPassed) {
        n = 3;
    }
    if o.shipment.is_some() {
        n = 4;
    }
    if o.shipment.as_ref().is_some_and(|s| !s.checkpoints.is_empty()) {
        n = 5;
    }
    if o.shipment.as_ref().is_some_and(|s| s.delivered_at.is_some()) {
        n = 6;
    }
    if o.status == OrderStatus::Completed {
        n = 7;
    }
    n
}

#[component]
fn StepLine(order: Order) -> impl IntoView {
    let done = steps_done(&order);
    let closed = matches!(order.status, OrderStatus::Closed(_));
    view! {
        <ol class="steps" aria-label=t("order.steps_label")>
            {STEPS.iter().enumerate().map(|(i, key)| {
                let state = if i + 1 < done || (i + 1 == done && (closed || done == STEPS.len())) { "done" } else if i + 1 == done { "current" } else { "todo" };
                let hidden = match state { "done" => t("order.step.done"), "current" => t("order.step.current"), _ => t("order.step.todo") };
                view! {
                    <li class=format!("steps__item steps__item--{state}") aria-current=(state == "current").then_some("step")>
                        <span class="steps__dot" aria-hidden="true"></span>
                        <span>{t(key)}</span>
                        <span class="visually-hidden">{format!(" ({hidden})")}</span>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

fn timeline_text(kind: &TimelineKind) -> String {
    use TimelineKind as K;
    match kind {
        K::Placed => t("timeline.placed"),
        K::PaymentAuthorised { method } => match method {
            checkout_core::order::PaidWith::Card { brand, last4 } => {
                tf("timeline.paid_card", &[("brand", &t(&format!("card.brand.{}", brand.slug()))), ("last4", last4)])
            }
            checkout_core::order::PaidWith::Wallet => t("timeline.paid_wallet"),
        },
        K::PaymentDeclined { reason } => t(crate::api::ApiError::PaymentDeclined { reason: *reason }.message_key()),
        K::VerificationPassed => t("timeline.verification_passed"),
        K::VerificationFailed => t("timeline.verification_failed"),
        K::SellerCheckPassed => t("timeline.seller_check_passed"),
        K::Cancelled => t("timeline.cancelled"),
        K::CancellationRequested { .. } => t("timeline.cancellation_requested"),
        K::CancellationApproved { by_silence: true } => t("timeline.cancellation_approved_silence"),
        K::CancellationApproved { by_silence: false } => t("timeline.cancellation_approved"),
        K::CancellationRejected => t("timeline.cancellation_rejected"),
        K::ClosedSellerMissedShipBy => t("timeline.seller_missed_ship_by"),
        K::Shipped { carrier, tracking_number } => tf("timeline.shipped", &[("carrier", carrier), ("tracking", tracking_number)]),
        K::Checkpoint { location, .. } => tf("timeline.checkpoint", &[("location", location)]),
        K::Delivered => t("timeline.delivered"),
        K::ReceiptConfirmed { automatically: true } => t("timeline.receipt_auto"),
        K::ReceiptConfirmed { automatically: false } => t("timeline.receipt_confirmed"),
        K::ProtectionExtensionRequested { .. } => t("timeline.extension_requested"),
        K::ProtectionExtended { until } => tf("timeline.extended", &[("date", &format::date(*until))]),
        K::FeedbackLeft => t("timeline.feedback_left"),
        K::DisputeOpened { .. } => t("timeline.dispute_opened"),
        K::DisputeSellerAccepted => t("timeline.dispute_seller_accepted"),
        K::DisputeSellerRejected => t("timeline.dispute_seller_rejected"),
        K::DisputeSellerProposed { amount } => tf("timeline.dispute_seller_proposed", &[("amount", &format::money(amount))]),
        K::DisputeProposalAccepted => t("timeline.dispute_proposal_accepted"),
        K::DisputeEscalated { .. } => t("timeline.dispute_escalated"),
        K::DisputeResolved { refund } => tf("timeline.dispute_resolved", &[("amount", &format::money(refund))]),
        K::DisputeWithdrawn => t("timeline.dispute_withdrawn"),
        K::Refunded { amount } => tf("timeline.refunded", &[("amount", &format::money(amount))]),
    }
}

/// How an event reads at a glance (its dot's colour and mark); the text
/// beside it always says what happened, so colour is never alone.
fn timeline_tone(kind: &TimelineKind) -> &'static str {
    use TimelineKind as K;
    match kind {
        K::PaymentAuthorised { .. } | K::VerificationPassed | K::SellerCheckPassed | K::Delivered | K::ReceiptConfirmed { .. } => "good",
        K::Refunded { .. } | K::DisputeResolved { .. } | K::ProtectionExtended { .. } | K::DisputeSellerAccepted | K::FeedbackLeft => "good",
        K::PaymentDeclined { .. } | K::VerificationFailed | K::ClosedSellerMissedShipBy | K::DisputeSellerRejected => "bad",
        K::Cancelled | K::CancellationRejected | K::DisputeOpened { .. } | K::DisputeEscalated { .. } | K::DisputeSellerProposed { .. } => "warn",
        _ => "neutral",
    }
}

#[component]
fn Timeline(order: Order) -> impl IntoView {
    let events: Vec<_> = order.timeline.iter().rev().cloned().collect();
    view! {
        <section class="order-section" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">{t("order.timeline")}</h2>
            <ol class="timeline">
                {events.into_iter().map(|e| view! {
                    <li class=format!("timeline__item timeline__item--{}", timeline_tone(&e.kind))>
                        <time datetime=format::iso(e.at)>{format::date_time(e.at)}</time>
                        <p>{timeline_text(&e.kind)}</p>
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}

fn copy_to_clipboard(text: String) {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(&text);
        announce(t("order.copied"));
    }
}

#[component]
fn OrderView(order: Order, now: Timestamp, on_change: Callback<()>) -> impl IntoView {
    let api = use_api_handle();
    let id = order.id.clone();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    // Callbacks need Send + Sync; the action itself runs on the page's thread.
    let act = {
        move |action: BuyerAction, dialog: RwSignal<bool>| {
            let api = api.get_value();
            let id = id.clone();
            busy.set(true);
            leptos::task::spawn_local(async move {
                match api.act(&id, action).await {
                    Ok(o) => {
                        dialog.set(false);
                        error.set(None);
                        announce(tf("order.status_changed", &[("status", &t(status_key(o.status)))]));
                        on_change.run(());
                    }
                    Err(e) => error.set(Some(t(e.message_key()))),
                }
                busy.set(false);
            });
        }
    };
    let cancel_open = RwSignal::new(false);
    let request_open = RwSignal::new(false);
    let confirm_open = RwSignal::new(false);
    let reason = RwSignal::new(None::<CancelReason>);

    let status = order.status;
    let can_cancel_now = matches!(status, OrderStatus::AwaitingPayment | OrderStatus::PaymentBeingVerified);
    let can_request = status == OrderStatus::AwaitingShipment && order.cancellation_request.is_none();
    let can_confirm = matches!(status, OrderStatus::AwaitingDelivery | OrderStatus::Delivered) && order.open_dispute().is_none();
    let shipped_or_later = matches!(status, OrderStatus::AwaitingDelivery | OrderStatus::Delivered | OrderStatus::Completed);
    let can_dispute = order.open_dispute().is_none()
        && order.dispute_window().is_some_and(|(opens, closes)| now >= opens && closes.is_none_or(|c| now <= c));
    let can_extend = matches!(status, OrderStatus::AwaitingDelivery | OrderStatus::Delivered) && !order.extension_requested;
    let can_feedback = status == OrderStatus::Completed
        && order.feedback.is_none()
        && order.completed_at.is_some_and(|c| now.since(c) <= checkout_core::order::FEEDBACK_WINDOW);
    let dispute_href = format!("/orders/{}/dispute", order.id.0);
    let feedback_order = order.id.clone();
    let sentence = t(sentence_key(&order, now));

    let facts = {
        let mut rows: Vec<(String, String)> = Vec::new();
        if let (OrderStatus::AwaitingShipment, Some(ship_by)) = (status, order.ship_by) {
            rows.push((t("order.ship_by"), tf("order.countdown", &[("left", &countdown(now, ship_by)), ("date", &format::date_time(ship_by))])));
        }
        if let Some(req) = &order.cancellation_request {
            rows.push((t("order.cancellation_pending"), tf("order.countdown", &[("left", &countdown(now, req.answer_by)), ("date", &format::date_time(req.answer_by))])));
        }
        let estimate = order.shipment.as_ref().map(|s| s.estimate).or(order.delivery_estimate.filter(|_| matches!(status, OrderStatus::AwaitingPayment | OrderStatus::PaymentBeingVerified | OrderStatus::AwaitingShipment)));
        if let Some(e) = estimate {
            rows.push((t("order.estimate"), tf("order.range", &[("from", &format::date(e.from)), ("to", &format::date(e.to))])));
        }
        if let (true, Some(ends)) = (matches!(status, OrderStatus::AwaitingDelivery | OrderStatus::Delivered), order.protection_ends_at) {
            rows.push((t("order.protection"), tf("order.countdown", &[("left", &countdown(now, ends)), ("date", &format::date_time(ends))])));
        }
        if let Some((opens, closes)) = order.dispute_window() {
            let text = if now < opens {
                tf("order.dispute_from", &[("date", &format::date_time(opens))])
            } else if let Some(c) = closes {
                tf("order.dispute_until", &[("date", &format::date_time(c))])
            } else {
                t("order.dispute_open_now")
            };
            rows.push((t("order.dispute_window"), text));
        }
        let paid_with = order.payment.as_ref().map(|p| paid_with_text(&p.method)).unwrap_or_default();
        for r in &order.refunds {
            let args = [("amount", format::money(&r.amount)), ("date", format::date(r.at)), ("method", paid_with.clone())];
            let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            rows.push((t("order.refund"), tf("order.refund_value", &args)));
        }
        rows
    };

    let tracking = order.shipment.clone().map(|s| {
        let number = s.tracking_number.clone();
        view! {
            <section class="order-section tracking" aria-labelledby="tracking-heading">
                <h2 id="tracking-heading">{t("order.tracking")}</h2>
                <p>{s.carrier.clone()}</p>
                <p class="tracking__number">
                    <span>{s.tracking_number.clone()}</span>
                    <button type="button" class="button button--secondary"
                        aria-label=tf("order.copy_tracking", &[("number", &s.tracking_number)])
                        on:click=move |_| copy_to_clipboard(number.clone())>{t("order.copy")}</button>
                </p>
            </section>
        }
    });

    let act_cancel = act.clone();
    let act_extend = act.clone();
    let act_dispute = act.clone();
    let act_feedback = act.clone();
    let act_request = act.clone();
    let act_confirm = act.clone();
    let reasons = [
        (CancelReason::ChangedMind, "cancel.reason.changed_mind"),
        (CancelReason::WrongAddress, "cancel.reason.wrong_address"),
        (CancelReason::BetterPrice, "cancel.reason.better_price"),
        (CancelReason::DeliveryTooSlow, "cancel.reason.too_slow"),
        (CancelReason::Other, "cancel.reason.other"),
    ];
    let payment = order.payment.clone();
    let totals = order.totals.clone();
    let address = order.shipping_address.clone();
    view! {
        <div class="page order">
            <header class="order__header">
                <h1>{tf("order.title", &[("number", &order.number)])}</h1>
                <p class="order__meta">{order.seller_name.clone()} " · " {tf("order.placed_on", &[("date", &format::date_time(order.placed_at))])}</p>
                <StatusBadge status=status/>
                <p class="order__sentence" id="order-sentence">{sentence}</p>
            </header>
            {placed_notice(&order)}
            <StepLine order=order.clone()/>
            {move || error.get().map(|e| view! { <div class="notice notice--error" role="alert"><p>{e}</p></div> })}
            <div class="order__actions">
                {can_cancel_now.then(|| view! {
                    <button type="button" class="button button--secondary" on:click=move |_| cancel_open.set(true)>{t("order.cancel")}</button>
                })}
                {can_request.then(|| view! {
                    <button type="button" class="button button--secondary" on:click=move |_| request_open.set(true)>{t("order.request_cancellation")}</button>
                })}
                {can_confirm.then(|| view! {
                    <button type="button" class="button button--primary" on:click=move |_| confirm_open.set(true)>{t("order.confirm_receipt")}</button>
                })}
                {can_dispute.then(|| view! { <a href=dispute_href class="button button--secondary">{t("order.open_dispute")}</a> })}
                {can_extend.then(|| { let act = act_extend.clone(); view! {
                    <button type="button" class="button button--secondary" disabled=move || busy.get()
                        on:click=move |_| act(BuyerAction::RequestProtectionExtension { days: 15 }, RwSignal::new(false))>{t("order.extend_protection")}</button>
                }})}
            </div>
            {(status == OrderStatus::PaymentBeingVerified).then(|| view! { <Verification order=order.clone() now=now/> })}
            {(status == OrderStatus::Closed(checkout_core::order::CloseReason::VerificationFailed)).then(|| view! {
                <section class="order-section" aria-labelledby="failed-heading">
                    <h2 id="failed-heading">{t("verification.failed_heading")}</h2>
                    <p>{t("verification.failed_next")}</p>
                    <div class="order__actions">
                        <a class="button button--primary" href="/">{t("verification.order_again")}</a>
                        <SupportLink number=order.number.clone()/>
                    </div>
                </section>
            })}
            {(status == OrderStatus::AwaitingPayment).then(|| view! { <PayPanel orders=vec![order.id.clone()] on_paid=on_change/> })}
            {order.dispute.clone().map(|d| view! { <DisputeSection dispute=d now=now act=act_dispute.clone() busy=busy/> })}
            {can_feedback.then(|| { let act = act_feedback.clone(); view! {
                <section class="order-section" aria-labelledby="feedback-heading">
                    <h2 id="feedback-heading">{t("feedback.heading")}</h2>
                    <FeedbackForm order_id=feedback_order busy=busy on_send=Callback::new(move |(a, b, c, text, photos): (u8, u8, u8, String, Vec<String>)| act(
                        BuyerAction::LeaveFeedback { item_stars: a, communication_stars: b, shipping_stars: c, text, photos },
                        RwSignal::new(false)))/>
                </section>
            }})}
            {order.feedback.clone().map(|f| view! {
                <section class="order-section" aria-labelledby="feedback-heading">
                    <h2 id="feedback-heading">{t("feedback.yours")}</h2>
                    <FeedbackShown feedback=f/>
                </section>
            })}
            {shipped_or_later.then(|| view! { <p class="order__note">{t("order.no_cancel_after_shipment")}</p> })}
            {(!facts.is_empty()).then(|| view! {
                <dl class="order-facts">
                    {facts.into_iter().map(|(k, v)| view! { <div><dt>{k}</dt><dd>{v}</dd></div> }).collect_view()}
                </dl>
            })}
            {tracking}
            <Timeline order=order.clone()/>
            <section class="order-section" aria-labelledby="items-heading">
                <h2 id="items-heading">{t("order.items")}</h2>
                <ul class="order-lines">
                    {order.lines.iter().map(|l| view! {
                        <li class="order-line">
                            {l.image.clone().map(|src| view! { <img src=src width="56" height="56" alt=""/> })}
                            <span class="order-line__name">{l.product_name.clone()}</span>
                            <span>{format!("× {}", l.quantity)}</span>
                            <Price money=l.line_total/>
                        </li>
                    }).collect_view()}
                </ul>
                <dl class="order-totals">
                    <div><dt>{t("order.total.items")}</dt><dd><Price money=totals.items/></dd></div>
                    <div><dt>{t("order.total.shipping")}</dt><dd><Price money=totals.shipping/></dd></div>
                    {(!totals.discount.is_zero()).then(|| view! { <div><dt>{t("order.total.discount")}</dt><dd>"−"<Price money=totals.discount/></dd></div> })}
                    {(!totals.tax.is_zero()).then(|| view! { <div><dt>{t("order.total.tax")}</dt><dd><Price money=totals.tax/></dd></div> })}
                    <div class="order-totals__total"><dt>{t("order.total.total")}</dt><dd><Price money=totals.total/></dd></div>
                </dl>
                {payment.map(|p| view! {
                    <p class="order__payment">
                        {tf("order.receipt_line", &[("amount", &format::money(&p.amount)), ("method", &paid_with_text(&p.method)), ("date", &format::date_time(p.authorised_at))])}
                    </p>
                    <button type="button" class="button button--secondary order__print" on:click=|_| { if let Some(w) = web_sys::window() { let _ = w.print(); } }>
                        {t("order.print_receipt")}
                    </button>
                })}
                <h3>{t("order.ship_to")}</h3>
                <address class="order__address">
                    {format!("{} {}", address.given_name, address.family_name)}<br/>
                    {address.line1.clone()}<br/>
                    {address.line2.clone().map(|l| view! { {l}<br/> })}
                    {format!("{} {} {}", address.city, address.region.clone().unwrap_or_default(), address.postal_code.clone().unwrap_or_default())}<br/>
                    {address.country.clone()}
                </address>
            </section>

            <ConfirmDialog open=cancel_open id="cancel-dialog" title=t("order.cancel_title")
                confirm_label=t("order.cancel_confirm") cancel_label=t("action.keep_order") busy=busy
                on_confirm=Callback::new(move |_| act_cancel(BuyerAction::Cancel, cancel_open))>
                <p>{t("order.cancel_body")}</p>
            </ConfirmDialog>
            <ConfirmDialog open=request_open id="request-dialog" title=t("order.request_title")
                confirm_label=t("order.request_confirm") cancel_label=t("action.keep_order")
                busy=Signal::derive(move || busy.get() || reason.get().is_none())
                on_confirm=Callback::new(move |_| if let Some(r) = reason.get_untracked() {
                    act_request(BuyerAction::RequestCancellation { reason: r, note: None }, request_open)
                })>
                <p>{t("order.request_body")}</p>
                <fieldset class="reasons">
                    <legend>{t("order.request_reason")}</legend>
                    {reasons.into_iter().map(|(r, key)| view! {
                        <label class="reasons__choice">
                            <input type="radio" name="cancel-reason" on:change=move |_| reason.set(Some(r))/>
                            {t(key)}
                        </label>
                    }).collect_view()}
                </fieldset>
            </ConfirmDialog>
            <ConfirmDialog open=confirm_open id="confirm-dialog" title=t("order.confirm_title")
                confirm_label=t("order.confirm_confirm") cancel_label=t("action.not_yet") busy=busy
                on_confirm=Callback::new(move |_| act_confirm(BuyerAction::ConfirmReceipt, confirm_open))>
                <p>{t("order.confirm_body")}</p>
            </ConfirmDialog>
        </div>
    }
}

#[component]
fn DisputeSection<F>(dispute: checkout_core::order::Dispute, now: Timestamp, act: F, busy: RwSignal<bool>) -> impl IntoView
where
    F: Fn(BuyerAction, RwSignal<bool>) + Clone + Send + Sync + 'static,
{
    use checkout_core::order::DisputeState as D;
    let state_text = match dispute.state {
        D::AwaitingSeller => tf("dispute.state.awaiting_seller", &[("date", &format::date_time(dispute.seller_respond_by()))]),
        D::SellerRejected => t("dispute.state.rejected"),
        D::SellerProposed(m) => tf("dispute.state.proposed", &[("amount", &format::money(&m))]),
        D::Escalated => t("dispute.state.escalated"),
        D::Resolved(m) => tf("dispute.state.resolved", &[("amount", &format::money(&m))]),
        D::Withdrawn => t("dispute.state.withdrawn"),
    };
    let open = dispute.state.is_open();
    let can_accept = matches!(dispute.state, D::SellerProposed(_));
    let escalate_from = dispute.escalation_possible_from();
    let can_escalate = open && dispute.state != D::Escalated && now >= escalate_from;
    let escalate_later = open && dispute.state != D::Escalated && now < escalate_from;
    let (a1, a2, a3) = (act.clone(), act.clone(), act);
    view! {
        <section class="order-section dispute-section" aria-labelledby="dispute-heading">
            <h2 id="dispute-heading">{t("dispute.section")}</h2>
            <p class="dispute-section__state">{state_text}</p>
            <p>{tf("dispute.requested", &[("amount", &format::money(&dispute.requested)), ("date", &format::date(dispute.opened_at))])}</p>
            {escalate_later.then(|| view! { <p class="field__hint">{tf("dispute.escalate_from", &[("date", &format::date_time(escalate_from))])}</p> })}
            <div class="order__actions">
                {can_accept.then(|| view! {
                    <button type="button" class="button button--primary" disabled=move || busy.get()
                        on:click=move |_| a1(BuyerAction::AcceptDisputeProposal, RwSignal::new(false))>{t("dispute.accept")}</button>
                })}
                {can_escalate.then(|| view! {
                    <button type="button" class="button button--secondary" disabled=move || busy.get()
                        on:click=move |_| a2(BuyerAction::EscalateDispute, RwSignal::new(false))>{t("dispute.escalate")}</button>
                })}
                {open.then(|| view! {
                    <button type="button" class="button button--link" disabled=move || busy.get()
                        on:click=move |_| a3(BuyerAction::WithdrawDispute, RwSignal::new(false))>{t("dispute.withdraw")}</button>
                })}
            </div>
        </section>
    }
}

/// While the payment is being verified: its steps as they really stand, and
/// the answers to what shoppers ask at this point (PRODUCT.md section 1).
#[component]
fn Verification(order: Order, now: Timestamp) -> impl IntoView {
    let overdue = order.verification_overdue(now);
    let number = order.number.clone();
    let steps = [
        ("verification.step.payment", if order.payment.is_some() { "done" } else { "todo" }),
        ("verification.step.risk", "current"),
        ("verification.step.seller", "todo"),
    ];
    let faq = [
        ("verification.q.how_long", "verification.a.how_long"),
        ("verification.q.fails", "verification.a.fails"),
        ("verification.q.faster", "verification.a.faster"),
        ("verification.q.delivery", "verification.a.delivery"),
        ("verification.q.stuck", "verification.a.stuck"),
    ];
    view! {
        <section class="order-section verification" aria-labelledby="verification-heading">
            <h2 id="verification-heading">{t("verification.heading")}</h2>
            {overdue.then(|| view! {
                <div class="notice notice--warning" role="status">
                    <p>{t("verification.overdue")}</p>
                    <SupportLink number=number/>
                </div>
            })}
            <ol class="verification__steps">
                {steps.into_iter().map(|(key, state)| view! {
                    <li class=format!("verification__step verification__step--{state}") aria-current=(state == "current").then_some("step")>
                        {t(key)} <span class="visually-hidden">{format!(" ({})", t(&format!("order.step.{state}")))}</span>
                    </li>
                }).collect_view()}
            </ol>
            {faq.into_iter().map(|(q, a)| view! {
                <details class="faq"><summary>{t(q)}</summary><p>{t(a)}</p></details>
            }).collect_view()}
        </section>
    }
}
