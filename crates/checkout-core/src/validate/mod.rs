//! Checks for what a shopper types at checkout: address (per country), phone,
//! email and card. Errors are values (a field and a message key), never text
//! built here: the app turns the key into words in the shopper's language.

pub mod address;
pub mod card;
pub mod contact;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

/// A checkout field an error can point at (the app links its error summary to it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Country,
    GivenName,
    FamilyName,
    AddressLine1,
    AddressLine2,
    City,
    Region,
    PostalCode,
    Phone,
    Email,
    CardNumber,
    CardExpiry,
    CardCvc,
    CardName,
}

/// One problem with one field: `key` names the message that says how to fix it
/// (for example `validation.postal_code.format`), `example` is a value of the
/// right shape where the message shows one ("12345 or 12345-6789").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FieldError {
    pub field: Field,
    pub key: Cow<'static, str>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<Cow<'static, str>>,
}

impl FieldError {
    pub const fn new(field: Field, key: &'static str) -> Self {
        FieldError { field, key: Cow::Borrowed(key), example: None }
    }

    pub const fn with_example(field: Field, key: &'static str, example: &'static str) -> Self {
        FieldError { field, key: Cow::Borrowed(key), example: Some(Cow::Borrowed(example)) }
    }
}

/// Longest text accepted in any free-text field; longer input is refused with a
/// message rather than cut silently.
pub const MAX_TEXT_CHARS: usize = 200;

/// Trims and refuses control characters (NUL, newlines, direction overrides)
/// that have no place in a name or an address line.
pub(crate) fn clean_text(field: Field, raw: &str, required: bool) -> Result<Option<String>, FieldError> {
    let s = raw.trim();
    if s.is_empty() {
        return if required { Err(FieldError::new(field, "validation.required")) } else { Ok(None) };
    }
    if s.chars().count() > MAX_TEXT_CHARS {
        return Err(FieldError::new(field, "validation.too_long"));
    }
    let forbidden = |c: char| c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    if s.chars().any(forbidden) {
        return Err(FieldError::new(field, "validation.invalid_characters"));
    }
    Ok(Some(s.to_owned()))
}
