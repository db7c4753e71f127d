//! What a shopper typed into an order's forms (a dispute, a return, feedback,
//! a cancellation request, tracking an order), kept for the tab's session: a
//! re-read of the screen's data, a Retry, a network drop, a language change
//! (which reloads the page) or a reload loses none of it. Nothing of a card is
//! ever in a form here. Files picked for upload live only while the page is
//! open: a browser cannot give them back after a reload.

use checkout_core::order::{CancelReason, DisputeReason, OrderId, ReturnReason};
use leptos::prelude::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::browser;
use crate::state::keys;

/// A signal holding a form's fields, read from sessionStorage under `key` when
/// made and written back on every change; a form back at its empty state
/// leaves nothing stored. An unreadable entry counts as empty.
pub fn session_draft<T>(key: String) -> RwSignal<T>
where
    T: Serialize + DeserializeOwned + Default + Clone + PartialEq + Send + Sync + 'static,
{
    let initial = browser::session_get(&key).and_then(|raw| serde_json::from_str::<T>(&raw).ok()).unwrap_or_default();
    let draft = RwSignal::new(initial);
    Effect::new(move |_| {
        draft.with(|d| {
            if *d == T::default() {
                browser::session_remove(&key);
            } else if let Ok(raw) = serde_json::to_string(d) {
                browser::session_set(&key, &raw);
            }
        })
    });
    draft
}

/// The dispute form's fields.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeDraft {
    pub reason: Option<DisputeReason>,
    pub partial: bool,
    pub amount: String,
    pub description: String,
}

impl DisputeDraft {
    pub fn for_order(id: &OrderId) -> RwSignal<DisputeDraft> {
        session_draft(keys::session_form("dispute", &id.0))
    }
}

/// The return request's fields: how many of each line go back (by line
/// index; missing means none) and why.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnDraft {
    pub quantities: Vec<u32>,
    pub reason: Option<ReturnReason>,
}

impl ReturnDraft {
    pub fn for_order(id: &OrderId) -> RwSignal<ReturnDraft> {
        session_draft(keys::session_form("return", &id.0))
    }
}

/// The return parcel's carrier and tracking number.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnSendDraft {
    pub carrier: String,
    pub number: String,
}

impl ReturnSendDraft {
    pub fn for_order(id: &OrderId) -> RwSignal<ReturnSendDraft> {
        session_draft(keys::session_form("return-send", &id.0))
    }
}

/// The feedback form's fields: the three ratings (0 = not chosen) and the text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackDraft {
    pub stars: [u8; 3],
    pub text: String,
}

impl FeedbackDraft {
    pub fn for_order(id: &OrderId) -> RwSignal<FeedbackDraft> {
        session_draft(keys::session_form("feedback", &id.0))
    }
}

/// The cancellation request's reason.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelDraft {
    pub reason: Option<CancelReason>,
}

impl CancelDraft {
    pub fn for_order(id: &OrderId) -> RwSignal<CancelDraft> {
        session_draft(keys::session_form("cancel", &id.0))
    }
}

/// Tracking an order from another device: its number and email.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackDraft {
    pub number: String,
    pub email: String,
}

impl TrackDraft {
    pub fn load() -> RwSignal<TrackDraft> {
        session_draft(keys::session_form("track", "any"))
    }
}
