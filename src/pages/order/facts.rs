//! The order's deadlines and money at a glance: ship-by, the cancellation
//! request's answer, the delivery estimate, buyer protection, the dispute and
//! feedback windows (as `Order::actions` gives them), and each refund.

use checkout_core::order::{BuyerActionKind as A, BuyerActions, Order, RuleError};
use checkout_core::time::Timestamp;
use leptos::prelude::*;

use super::paid_with_text;
use crate::i18n::{format, t, tf, tp};

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

fn until(now: Timestamp, deadline: Timestamp) -> String {
    tf("order.countdown", &[("left", &countdown(now, deadline)), ("date", &format::date_time(deadline))])
}

fn rows(order: &Order, actions: &BuyerActions, now: Timestamp) -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = Vec::new();
    if let Some(ship_by) = order.ship_by_pending() {
        rows.push((t("order.ship_by"), until(now, ship_by)));
    }
    if let Some(req) = &order.cancellation_request {
        rows.push((t("order.cancellation_pending"), until(now, req.answer_by)));
    }
    if let Some(e) = order.estimate_shown() {
        rows.push((t("order.estimate"), tf("order.range", &[("from", &format::date(e.from)), ("to", &format::date(e.to))])));
    }
    if let Some(ends) = order.protection_running() {
        rows.push((t("order.protection"), until(now, ends)));
    }
    let dispute = actions.get(A::OpenDispute);
    let window = match (&dispute.refused, dispute.deadline) {
        (None, Some(closes)) => Some(tf("order.dispute_until", &[("date", &format::date_time(closes))])),
        (None, None) => Some(t("order.dispute_open_now")),
        (Some(RuleError::DisputeNotYetOpen { opens_at }), _) => Some(tf("order.dispute_from", &[("date", &format::date_time(*opens_at))])),
        _ => None,
    };
    if let Some(text) = window {
        rows.push((t("order.dispute_window"), text));
    }
    let ret = actions.get(A::RequestReturn);
    if let (true, Some(closes)) = (ret.allowed(), ret.deadline) {
        rows.push((t("return.window"), until(now, closes)));
    }
    let send = actions.get(A::SendReturn);
    if let (true, Some(by)) = (send.allowed(), send.deadline) {
        rows.push((t("return.send_by"), until(now, by)));
    }
    let feedback = actions.get(A::LeaveFeedback);
    if let (true, Some(closes)) = (feedback.allowed(), feedback.deadline) {
        rows.push((t("feedback.heading"), tf("order.feedback_until", &[("date", &format::date_time(closes))])));
    }
    let paid_with = order.payment.as_ref().map(|p| paid_with_text(&p.method)).unwrap_or_default();
    for r in &order.refunds {
        let args = [("amount", format::money(&r.amount)), ("date", format::date(r.at)), ("method", paid_with.clone())];
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        rows.push((t("order.refund"), tf("order.refund_value", &args)));
    }
    rows
}

#[component]
pub fn Facts(order: Order, actions: BuyerActions, now: Timestamp) -> impl IntoView {
    let rows = rows(&order, &actions, now);
    (!rows.is_empty()).then(|| view! {
        <dl class="order-facts">
            {rows.into_iter().map(|(k, v)| view! { <div><dt>{k}</dt><dd>{v}</dd></div> }).collect_view()}
        </dl>
    })
}
