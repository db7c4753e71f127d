//! The checkout draft: address, contact, shipping choices and coupon, saved in
//! localStorage so a reload or a closed tab loses nothing. Card details are
//! never part of it. An unreadable draft is dropped (the shopper retypes less
//! than they would lose to a crash).

use std::collections::BTreeMap;

use checkout_core::catalog::SellerId;
use checkout_core::checkout::ShippingSpeed;
use checkout_core::validate::address::AddressInput;
use serde::{Deserialize, Serialize};

use crate::browser;

pub use crate::state::keys::CHECKOUT_DRAFT as DRAFT_KEY;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutDraft {
    pub address: AddressInput,
    pub email: String,
    pub phone: String,
    pub shipping: BTreeMap<SellerId, ShippingSpeed>,
    pub coupon: String,
}

impl CheckoutDraft {
    pub fn load() -> CheckoutDraft {
        browser::storage_get(DRAFT_KEY)
            .and_then(|raw| serde_json::from_str::<CheckoutDraft>(&raw).ok())
            .map(|mut d| {
                // Stored values are outside input too: keep them to sane sizes.
                for s in [&mut d.email, &mut d.phone, &mut d.coupon] {
                    s.truncate(254);
                }
                d
            })
            .unwrap_or_else(|| CheckoutDraft { address: AddressInput { country: "US".into(), ..Default::default() }, ..Default::default() })
    }

    pub fn save(&self) {
        if let Ok(raw) = serde_json::to_string(self) {
            browser::storage_set(DRAFT_KEY, &raw);
        }
    }

    pub fn clear() {
        browser::storage_remove(DRAFT_KEY);
    }
}
