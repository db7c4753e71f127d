//! Turning a card into a token in the browser, as a payment provider's script
//! does: only the token, the brand and the last four digits leave it. The mock
//! tokenizer is the provider's test mode; it is used with the mock and with a
//! real order server alike (the server decides by the test card's last four).

use async_trait::async_trait;
use checkout_core::validate::FieldError;

use crate::contract::PaymentToken;

/// Turns card details into a token, as a payment provider's script does in the
/// browser: the details are checked, and only the token, brand and last four
/// digits come out. Declines are decided later, by the order API, from the test
/// card's last four digits (0002 do not honour, 9995 insufficient funds, 0069
/// expired, 3155 asks for 3-D Secure), as providers' test modes do.
pub struct MockTokenizer;

/// What the shopper typed for a card. Never printed whole (see Debug).
#[derive(Clone, PartialEq, Eq)]
pub struct CardDetails {
    pub number: String,
    pub expiry: String,
    pub cvc: String,
    pub name: String,
}

impl std::fmt::Debug for CardDetails {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CardDetails(redacted)")
    }
}

#[async_trait(?Send)]
pub trait Tokenizer {
    async fn tokenize(&self, card: &CardDetails, now: checkout_core::validate::card::Expiry) -> Result<PaymentToken, Vec<FieldError>>;
}

#[async_trait(?Send)]
impl Tokenizer for MockTokenizer {
    async fn tokenize(&self, card: &CardDetails, now: checkout_core::validate::card::Expiry) -> Result<PaymentToken, Vec<FieldError>> {
        use checkout_core::validate::card;
        let mut errors = Vec::new();
        let number = card::card_number(&card.number).map_err(|e| errors.push(e)).ok();
        let _ = card::expiry(&card.expiry, now).map_err(|e| errors.push(e));
        let _ = card::cvc(&card.cvc, number.as_ref().map(|n| n.brand)).map_err(|e| errors.push(e));
        if card.name.trim().is_empty() {
            errors.push(FieldError::new(checkout_core::validate::Field::CardName, "validation.required"));
        }
        match number {
            Some(n) if errors.is_empty() => Ok(PaymentToken {
                token: format!("tok_{}_{}", n.brand.slug(), n.last4()),
                brand: n.brand,
                last4: n.last4().to_owned(),
            }),
            _ => Err(errors),
        }
    }
}
