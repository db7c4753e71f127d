//! The words for each rule the core can refuse an action with
//! (`checkout_core::order::RuleError`): screens say why not, they never work
//! it out themselves.

use checkout_core::order::RuleError;

use super::{format, t, tf};
use crate::components::order_status::status_key;

/// Why an action cannot be done, in a sentence that says what to do instead.
pub fn refusal(rule: &RuleError) -> String {
    use RuleError as R;
    match rule {
        R::NotInThisStatus { status } => tf("rule.not_in_status", &[("status", &t(status_key(*status)))]),
        R::CancellationNeedsSeller => t("rule.cancellation_needs_seller"),
        R::CancelAfterShipment => t("order.no_cancel_after_shipment"),
        R::CancellationAlreadyRequested => t("rule.cancellation_already_requested"),
        R::NoCancellationRequest => t("rule.no_cancellation_request"),
        R::DisputeNotYetOpen { opens_at } => tf("order.dispute_from", &[("date", &format::date_time(*opens_at))]),
        R::DisputeWindowClosed => t("dispute.window_closed"),
        R::DisputeAlreadyOpen => t("dispute.already_open"),
        R::NoOpenDispute => t("rule.no_open_dispute"),
        R::RefundOutOfBounds { max } if max.minor <= 0 => t("rule.nothing_to_refund"),
        R::RefundOutOfBounds { max } => tf("dispute.amount_bounds", &[("max", &format::money(max))]),
        R::DescriptionLength { min, max } => tf(
            "rule.description_length",
            &[("min", &format::integer(*min as u64)), ("max", &format::integer(*max as u64))],
        ),
        R::EscalationTooEarly { possible_at } => {
            tf("dispute.escalate_from", &[("date", &format::date_time(*possible_at))])
        }
        R::NoProposal => t("rule.no_proposal"),
        R::NotEscalated | R::AlreadyEscalated => t("dispute.state.escalated"),
        R::FeedbackWindowClosed => t("rule.feedback_window_closed"),
        R::FeedbackAlreadyGiven => t("rule.feedback_already_given"),
        R::FeedbackInvalid => t("feedback.stars_required"),
        R::FeedbackTextTooLong { max } => tf("feedback.too_long", &[("max", &format::integer(*max as u64))]),
        R::FeedbackPhotoNotImage => t("feedback.photos_invalid"),
        R::DisputeOpen => t("rule.dispute_open"),
        R::ProtectionAtMaximum => t("rule.protection_at_maximum"),
        R::ExtensionAlreadyRequested => t("rule.extension_already_requested"),
        R::DisputeLimitReached { max } => tf("rule.dispute_limit", &[("max", &format::integer(u64::from(*max)))]),
        R::EvidenceInvalid { .. } => t("evidence.too_many"),
        R::UnknownEvidence => t("rule.unknown_evidence"),
        R::Money => t("rule.money"),
        R::ReturnsNotAccepted => t("return.not_accepted"),
        R::ReturnWindowClosed => t("return.window_closed"),
        R::ReturnAlreadyRequested => t("return.already"),
        R::ReturnLinesInvalid => t("return.lines_invalid"),
        R::ChangeOfMindNotAccepted => t("return.change_of_mind_not_accepted"),
        R::ReturnOpen => t("rule.return_open"),
        R::NoReturnAtThisStep => t("rule.no_return_step"),
        R::ReturnCarrierInvalid { max } => tf("return.carrier_invalid", &[("max", &format::integer(*max as u64))]),
        R::ReturnTrackingInvalid { min, max } => tf(
            "return.tracking_invalid",
            &[("min", &format::integer(*min as u64)), ("max", &format::integer(*max as u64))],
        ),
    }
}

/// What went wrong with a call, in words: a refusal says which rule.
pub fn api_error_text(e: &crate::api::ApiError) -> String {
    match e {
        crate::api::ApiError::Refused { rule } => refusal(rule),
        other => t(other.message_key()),
    }
}
