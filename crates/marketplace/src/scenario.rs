//! The situations a designer or a test can put the mock in, chosen with a URL
//! query such as `?scenario=card-declined` and kept for the browser session.

use checkout_core::order::DeclineReason;
use checkout_core::time::{DAY, HOUR, MINUTE};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scenario {
    #[default]
    HappyPath,
    CardDeclined,
    CardDeclinedInsufficientFunds,
    CardDeclinedExpired,
    ThreeDsChallenge,
    VerificationSlow,
    VerificationFailed,
    SellerMissesShipBy,
    ShipmentDelayed,
    LostParcel,
    SellerRejectsDispute,
    SellerProposesPartialRefund,
    SellerRefusesReturn,
    SellerSilentOnReturn,
    ApiSlow,
    ApiFlaky,
    Offline,
}

impl Scenario {
    pub const ALL: [Scenario; 17] = [
        Scenario::HappyPath,
        Scenario::CardDeclined,
        Scenario::CardDeclinedInsufficientFunds,
        Scenario::CardDeclinedExpired,
        Scenario::ThreeDsChallenge,
        Scenario::VerificationSlow,
        Scenario::VerificationFailed,
        Scenario::SellerMissesShipBy,
        Scenario::ShipmentDelayed,
        Scenario::LostParcel,
        Scenario::SellerRejectsDispute,
        Scenario::SellerProposesPartialRefund,
        Scenario::SellerRefusesReturn,
        Scenario::SellerSilentOnReturn,
        Scenario::ApiSlow,
        Scenario::ApiFlaky,
        Scenario::Offline,
    ];

    /// The name used in `?scenario=`.
    pub fn slug(self) -> &'static str {
        match self {
            Scenario::HappyPath => "happy-path",
            Scenario::CardDeclined => "card-declined",
            Scenario::CardDeclinedInsufficientFunds => "card-declined-insufficient-funds",
            Scenario::CardDeclinedExpired => "card-declined-expired",
            Scenario::ThreeDsChallenge => "3ds-challenge",
            Scenario::VerificationSlow => "verification-slow",
            Scenario::VerificationFailed => "verification-failed",
            Scenario::SellerMissesShipBy => "seller-misses-ship-by",
            Scenario::ShipmentDelayed => "shipment-delayed",
            Scenario::LostParcel => "lost-parcel",
            Scenario::SellerRejectsDispute => "seller-rejects-dispute",
            Scenario::SellerProposesPartialRefund => "seller-proposes-partial-refund",
            Scenario::SellerRefusesReturn => "seller-refuses-return",
            Scenario::SellerSilentOnReturn => "seller-silent-on-return",
            Scenario::ApiSlow => "api-slow",
            Scenario::ApiFlaky => "api-flaky",
            Scenario::Offline => "offline",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Scenario> {
        Scenario::ALL.into_iter().find(|s| s.slug() == slug.trim())
    }

    /// One sentence on what the scenario does (README and preview gallery).
    pub fn description(self) -> &'static str {
        match self {
            Scenario::HappyPath => "Payments go through; verification takes minutes; the seller ships within a day; the parcel arrives in about 8 days; the seller accepts disputes and confirms returns a day after they arrive.",
            Scenario::CardDeclined => "Every card payment is declined with \"do not honour\"; the orders stay awaiting payment.",
            Scenario::CardDeclinedInsufficientFunds => "Every card payment is declined for insufficient funds.",
            Scenario::CardDeclinedExpired => "Every card payment is declined because the card has expired.",
            Scenario::ThreeDsChallenge => "Every card payment asks for a 3-D Secure confirmation first.",
            Scenario::VerificationSlow => "Payment verification takes 30 hours, past the 24-hour promise, then passes.",
            Scenario::VerificationFailed => "Payment verification fails after 10 minutes; the orders close and are refunded.",
            Scenario::SellerMissesShipBy => "The seller never ships nor answers; the order closes with a refund at the ship-by deadline, and cancellation requests are approved by silence.",
            Scenario::ShipmentDelayed => "The parcel gets one checkpoint, then nothing for 12 days (\"delayed\" after 7), then arrives.",
            Scenario::LostParcel => "The parcel gets two checkpoints and is never heard of again.",
            Scenario::SellerRejectsDispute => "The seller rejects every dispute a day after it is opened.",
            Scenario::SellerProposesPartialRefund => "The seller answers every dispute with an offer of half the amount asked.",
            Scenario::SellerRefusesReturn => "The seller refuses every returned parcel a day after it arrives; escalated, the platform refunds what the return asked.",
            Scenario::SellerSilentOnReturn => "The seller never answers a returned parcel; it is refunded by itself 15 days after it arrived.",
            Scenario::ApiSlow => "Every call takes 2.5 seconds.",
            Scenario::ApiFlaky => "About one call in four fails or times out, some of them after the change was made.",
            Scenario::Offline => "Every call fails as if the network were down.",
        }
    }

    /// The decline every card payment gets in this scenario, if any.
    pub fn forced_decline(self) -> Option<DeclineReason> {
        match self {
            Scenario::CardDeclined => Some(DeclineReason::DoNotHonour),
            Scenario::CardDeclinedInsufficientFunds => Some(DeclineReason::InsufficientFunds),
            Scenario::CardDeclinedExpired => Some(DeclineReason::CardExpired),
            _ => None,
        }
    }

    pub fn latency_ms(self) -> u32 {
        match self {
            Scenario::ApiSlow => 2_500,
            _ => 150,
        }
    }

    /// Seconds from payment to the end of verification, and whether it passes.
    pub fn verification(self) -> (i64, bool) {
        match self {
            Scenario::VerificationSlow => (30 * HOUR, true),
            Scenario::VerificationFailed => (10 * MINUTE, false),
            _ => (3 * MINUTE, true),
        }
    }

    /// Seconds from verification to shipment; None: never ships.
    pub fn ships_after(self) -> Option<i64> {
        match self {
            Scenario::SellerMissesShipBy => None,
            _ => Some(DAY),
        }
    }

    /// Whether the seller answers cancellation requests (or lets 48 h pass).
    pub fn seller_answers(self) -> bool {
        self != Scenario::SellerMissesShipBy
    }
}
