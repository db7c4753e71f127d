//! How an order's status reads: its name in AliExpress wording, one sentence on
//! what is going on and what the buyer can do, and a badge with an icon and text
//! (never colour alone).

use checkout_core::order::{CloseReason, Order, OrderStatus};
use checkout_core::time::Timestamp;
use leptos::prelude::*;

use crate::i18n::t;

pub fn status_key(status: OrderStatus) -> &'static str {
    match status {
        OrderStatus::AwaitingPayment => "order.status.awaiting_payment",
        OrderStatus::PaymentBeingVerified => "order.status.payment_being_verified",
        OrderStatus::AwaitingShipment => "order.status.awaiting_shipment",
        OrderStatus::AwaitingDelivery => "order.status.awaiting_delivery",
        OrderStatus::Delivered => "order.status.delivered",
        OrderStatus::Completed => "order.status.completed",
        OrderStatus::Closed(_) => "order.status.closed",
    }
}

pub fn close_reason_key(reason: CloseReason) -> &'static str {
    match reason {
        CloseReason::CancelledByBuyer => "order.closed.cancelled_by_buyer",
        CloseReason::CancellationApproved => "order.closed.cancellation_approved",
        CloseReason::VerificationFailed => "order.closed.verification_failed",
        CloseReason::SellerMissedShipBy => "order.closed.seller_missed_ship_by",
        CloseReason::DisputeRefundedInFull => "order.closed.dispute_refunded",
        CloseReason::ReturnRefundedInFull => "order.closed.return_refunded",
    }
}

/// One sentence: what is going on and what the buyer can do now.
pub fn sentence_key(order: &Order, now: Timestamp) -> &'static str {
    match order.status {
        OrderStatus::AwaitingPayment => "order.sentence.awaiting_payment",
        OrderStatus::PaymentBeingVerified if order.verification_overdue(now) => "order.sentence.verification_overdue",
        OrderStatus::PaymentBeingVerified => "order.sentence.payment_being_verified",
        OrderStatus::AwaitingShipment if order.cancellation_request.is_some() => "order.sentence.cancellation_requested",
        OrderStatus::AwaitingShipment => "order.sentence.awaiting_shipment",
        OrderStatus::AwaitingDelivery if order.is_delayed(now) => "order.sentence.delayed",
        OrderStatus::AwaitingDelivery => "order.sentence.awaiting_delivery",
        OrderStatus::Delivered | OrderStatus::Completed if order.open_return().is_some() => "order.sentence.returning",
        OrderStatus::Delivered => "order.sentence.delivered",
        OrderStatus::Completed => "order.sentence.completed",
        OrderStatus::Closed(r) => close_reason_key(r),
    }
}

fn tone(status: OrderStatus) -> &'static str {
    match status {
        OrderStatus::AwaitingPayment => "attention",
        OrderStatus::PaymentBeingVerified | OrderStatus::AwaitingShipment => "progress",
        OrderStatus::AwaitingDelivery | OrderStatus::Delivered => "transit",
        OrderStatus::Completed => "done",
        OrderStatus::Closed(_) => "closed",
    }
}

fn icon_path(status: OrderStatus) -> &'static str {
    match status {
        // Card, hourglass, box, truck, house, check, cross.
        OrderStatus::AwaitingPayment => "M2 5h12v7H2zM2 7.5h12",
        OrderStatus::PaymentBeingVerified => "M4 2h8M4 14h8M5 2c0 4 6 4 6 6s-6 2-6 6M11 2c0 4-6 4-6 6",
        OrderStatus::AwaitingShipment => "M2 5l6-3 6 3v7l-6 3-6-3zM2 5l6 3 6-3M8 8v7",
        OrderStatus::AwaitingDelivery => "M1 4h9v7H1zM10 7h3l2 2v2h-5zM4 13a1.5 1.5 0 1 0 .01 0M12 13a1.5 1.5 0 1 0 .01 0",
        OrderStatus::Delivered => "M2 8l6-5 6 5M4 7v7h8V7M7 14v-4h2v4",
        OrderStatus::Completed => "M3 8.5l3 3 7-7",
        OrderStatus::Closed(_) => "M4 4l8 8M12 4l-8 8",
    }
}

#[component]
pub fn StatusBadge(status: OrderStatus) -> impl IntoView {
    view! {
        <span class=format!("status-badge status-badge--{}", tone(status))>
            <svg class="icon" aria-hidden="true" viewBox="0 0 16 16" width="16" height="16">
                <path d=icon_path(status) fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round"/>
            </svg>
            {t(status_key(status))}
        </span>
    }
}
