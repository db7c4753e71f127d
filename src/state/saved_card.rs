//! A card kept for a returning browser, only when the shopper asks for it: the
//! payment provider's token, the brand and the last four digits. Never the
//! number, the expiry or the security code. An unreadable or odd value in
//! storage is dropped, and the shopper pays with a new card instead.

use checkout_api::PaymentToken;
use serde::{Deserialize, Serialize};

use crate::browser;

pub use crate::state::keys::SAVED_CARD as SAVED_CARD_KEY;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedCard {
    pub token: PaymentToken,
}

impl SavedCard {
    /// The saved card, if there is one that looks like what was saved.
    pub fn load() -> Option<SavedCard> {
        let raw = browser::storage_get(SAVED_CARD_KEY)?;
        let card = serde_json::from_str::<SavedCard>(&raw).ok().filter(SavedCard::is_sane);
        if card.is_none() {
            browser::storage_remove(SAVED_CARD_KEY);
        }
        card
    }

    pub fn save(token: &PaymentToken) -> SavedCard {
        let card = SavedCard { token: token.clone() };
        if let Ok(raw) = serde_json::to_string(&card) {
            browser::storage_set(SAVED_CARD_KEY, &raw);
        }
        card
    }

    pub fn forget() {
        browser::storage_remove(SAVED_CARD_KEY);
    }

    fn is_sane(&self) -> bool {
        let t = &self.token;
        t.last4.len() == 4
            && t.last4.bytes().all(|b| b.is_ascii_digit())
            && !t.token.is_empty()
            && t.token.len() <= 200
            && t.token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    }
}
