//! An order as tracking shows it to anyone with its number and the email it
//! was placed with: where it is and what happened to it, never whom it is
//! for, where it goes, nor how it was paid.

use serde::{Deserialize, Serialize};

use super::{Order, OrderStatus, Shipment, TimelineEvent, TimelineKind};
use crate::time::{DateRange, Timestamp};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TrackedOrder {
    pub number: String,
    pub seller_name: String,
    pub items: Vec<TrackedItem>,
    pub status: OrderStatus,
    pub placed_at: Timestamp,
    pub delivery_estimate: Option<DateRange>,
    /// The carrier, its tracking number and the parcel's checkpoints.
    pub shipment: Option<Shipment>,
    /// The order's timeline without its payment events (they name the card).
    pub timeline: Vec<TimelineEvent>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TrackedItem {
    pub product_name: String,
    pub option_label: Option<String>,
    pub image: Option<String>,
    pub quantity: u32,
}

impl Order {
    /// What tracking by number and email may show of this order.
    pub fn tracked(&self) -> TrackedOrder {
        TrackedOrder {
            number: self.number.clone(),
            seller_name: self.seller_name.clone(),
            items: self
                .lines
                .iter()
                .map(|l| TrackedItem {
                    product_name: l.product_name.clone(),
                    option_label: l.option_label.clone(),
                    image: l.image.clone(),
                    quantity: l.quantity,
                })
                .collect(),
            status: self.status,
            placed_at: self.placed_at,
            delivery_estimate: self.estimate_shown(),
            shipment: self.shipment.clone(),
            timeline: self
                .timeline
                .iter()
                .filter(|e| !matches!(e.kind, TimelineKind::PaymentAuthorised { .. } | TimelineKind::PaymentDeclined { .. }))
                .cloned()
                .collect(),
        }
    }
}
