//! The order's timeline: every event, newest first, each with its time, a
//! sentence and a mark for how it reads at a glance.

use checkout_core::order::{TimelineEvent, TimelineKind};
use leptos::prelude::*;

use crate::i18n::{format, t, tf};

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
        K::ReturnRequested { .. } => t("timeline.return_requested"),
        K::ReturnSent { carrier, tracking_number } => tf("timeline.return_sent", &[("carrier", carrier), ("tracking", tracking_number)]),
        K::ReturnCheckpoint { location, .. } => tf("timeline.return_checkpoint", &[("location", location)]),
        K::ReturnDelivered => t("timeline.return_delivered"),
        K::ReturnAccepted { by_silence: true } => t("timeline.return_accepted_silence"),
        K::ReturnAccepted { by_silence: false } => t("timeline.return_accepted"),
        K::ReturnRefused => t("timeline.return_refused"),
        K::ReturnEscalated { automatically: false } => t("timeline.return_escalated"),
        K::ReturnEscalated { automatically: true } => t("timeline.return_escalated_auto"),
        K::ReturnDeclined => t("timeline.return_declined"),
        K::ReturnLapsed => t("timeline.return_lapsed"),
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
        K::ReturnAccepted { .. } | K::ReturnDelivered => "good",
        K::ReturnRefused | K::ReturnDeclined | K::ReturnLapsed => "bad",
        K::ReturnRequested { .. } | K::ReturnEscalated { .. } => "warn",
        K::PaymentDeclined { .. } | K::VerificationFailed | K::ClosedSellerMissedShipBy | K::DisputeSellerRejected => "bad",
        K::Cancelled | K::CancellationRejected | K::DisputeOpened { .. } | K::DisputeEscalated { .. } | K::DisputeSellerProposed { .. } => "warn",
        _ => "neutral",
    }
}

/// The events, newest first, under their heading (`heading_id` ties the two).
#[component]
pub fn Timeline(events: Vec<TimelineEvent>, #[prop(default = "timeline-heading")] heading_id: &'static str) -> impl IntoView {
    let events: Vec<_> = events.into_iter().rev().collect();
    view! {
        <section class="order-section" aria-labelledby=heading_id>
            <h2 id=heading_id>{t("order.timeline")}</h2>
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

