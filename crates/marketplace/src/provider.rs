//! The payment provider boundary. The service asks the provider to charge a
//! payment method and learns from the provider, never from the buyer, whether
//! it went through: a card's outcome comes from the provider's reading of its
//! own token, and a 3-D Secure or wallet approval is answered on the
//! provider's side (its page) and then looked up by the service.
//!
//! [`SimulatedProvider`] is a provider's test mode: public test cards decide,
//! as they do in real providers' test modes, and its challenge page records
//! the shopper's answer where only the provider writes
//! ([`ProviderBook`]).

use checkout_api::{PaymentMethod, PaymentToken};
use checkout_core::money::Money;
use checkout_core::order::{DeclineReason, PaidWith};
use checkout_core::validate::card::Brand;

use crate::Scenario;

/// What the provider says to a charge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Charge {
    Authorised(PaidWith),
    Declined(DeclineReason),
    /// The shopper must act on the provider's side first: 3-D Secure for a
    /// card, the wallet's own page for a wallet.
    NeedsShopper,
}

/// What the provider knows of a challenge it asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChallengeResult {
    /// The shopper has not answered yet.
    Pending,
    Approved(PaidWith),
    Refused,
}

/// Where a provider keeps what the shopper answered on its pages. The
/// simulated provider keeps it beside the service's data (a table of its own
/// in SQLite, a map in the mock); the order API never writes it.
pub trait ProviderBook {
    type Error;
    fn challenge_answer(&mut self, challenge_id: &str) -> Result<Option<bool>, Self::Error>;
    fn record_challenge_answer(&mut self, challenge_id: &str, approved: bool) -> Result<(), Self::Error>;
}

/// A payment provider, as the service needs one.
pub trait PaymentProvider {
    /// Asks for `amount` by `method`.
    fn charge(&self, method: &PaymentMethod, amount: Money) -> Charge;
    /// What became of challenge `challenge_id`, opened for a charge by `method`.
    fn challenge_result<B: ProviderBook>(
        &self,
        book: &mut B,
        challenge_id: &str,
        method: &PaymentMethod,
    ) -> Result<ChallengeResult, B::Error>;
}

/// A provider's test mode. Card tokens are the ones its browser script makes
/// (`checkout_api::tokenizer::MockTokenizer`: `tok_<brand>_<last4>`), and the
/// test card's last four digits decide: 0002 do not honour, 9995 insufficient
/// funds, 0069 expired, 3155 asks for 3-D Secure, any other passes. A scenario
/// can force a decline or a challenge for every card. A token it did not make
/// is declined.
#[derive(Clone, Copy, Debug, Default)]
pub struct SimulatedProvider {
    pub scenario: Scenario,
}

impl SimulatedProvider {
    /// The card behind one of its tokens: brand and last four, as the
    /// provider issued them (the request's own `brand` and `last4` are only
    /// for display before paying and count for nothing here).
    pub fn card_of(token: &PaymentToken) -> Option<(Brand, String)> {
        let rest = token.token.strip_prefix("tok_")?;
        let (brand, last4) = rest.rsplit_once('_')?;
        let brand = Brand::ALL.into_iter().find(|b| b.slug() == brand)?;
        (last4.len() == 4 && last4.bytes().all(|b| b.is_ascii_digit())).then(|| (brand, last4.to_owned()))
    }

    /// Its challenge page: the shopper's answer, kept once (a second answer
    /// changes nothing).
    pub fn answer_challenge<B: ProviderBook>(book: &mut B, challenge_id: &str, approved: bool) -> Result<bool, B::Error> {
        match book.challenge_answer(challenge_id)? {
            Some(first) => Ok(first),
            None => {
                book.record_challenge_answer(challenge_id, approved)?;
                Ok(approved)
            }
        }
    }

    fn paid_with(method: &PaymentMethod) -> Option<PaidWith> {
        match method {
            PaymentMethod::Wallet => Some(PaidWith::Wallet),
            PaymentMethod::Card(token) => Self::card_of(token).map(|(brand, last4)| PaidWith::Card { brand, last4 }),
        }
    }
}

impl PaymentProvider for SimulatedProvider {
    fn charge(&self, method: &PaymentMethod, _amount: Money) -> Charge {
        let PaymentMethod::Card(token) = method else { return Charge::NeedsShopper };
        let Some((brand, last4)) = Self::card_of(token) else { return Charge::Declined(DeclineReason::DoNotHonour) };
        if let Some(reason) = self.scenario.forced_decline() {
            return Charge::Declined(reason);
        }
        match last4.as_str() {
            "0002" => Charge::Declined(DeclineReason::DoNotHonour),
            "9995" => Charge::Declined(DeclineReason::InsufficientFunds),
            "0069" => Charge::Declined(DeclineReason::CardExpired),
            _ if self.scenario == Scenario::ThreeDsChallenge || last4 == "3155" => Charge::NeedsShopper,
            _ => Charge::Authorised(PaidWith::Card { brand, last4 }),
        }
    }

    fn challenge_result<B: ProviderBook>(
        &self,
        book: &mut B,
        challenge_id: &str,
        method: &PaymentMethod,
    ) -> Result<ChallengeResult, B::Error> {
        Ok(match (book.challenge_answer(challenge_id)?, Self::paid_with(method)) {
            (None, _) => ChallengeResult::Pending,
            (Some(true), Some(paid)) => ChallengeResult::Approved(paid),
            (Some(_), _) => ChallengeResult::Refused,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use checkout_core::money::Currency;

    fn card(token: &str, last4: &str) -> PaymentMethod {
        PaymentMethod::Card(PaymentToken { token: token.into(), brand: Brand::Visa, last4: last4.into() })
    }

    #[test]
    fn the_token_decides_not_the_last_four_the_request_declares() {
        let p = SimulatedProvider::default();
        let usd = Money::new(100, Currency::USD);
        assert_eq!(p.charge(&card("", "4242"), usd), Charge::Declined(DeclineReason::DoNotHonour));
        assert_eq!(p.charge(&card("tok_visa_0002", "4242"), usd), Charge::Declined(DeclineReason::DoNotHonour));
        assert_eq!(p.charge(&card("tok_visa_3155", "4242"), usd), Charge::NeedsShopper);
        assert_eq!(
            p.charge(&card("tok_mastercard_4444", "0002"), usd),
            Charge::Authorised(PaidWith::Card { brand: Brand::Mastercard, last4: "4444".into() })
        );
        assert_eq!(p.charge(&card("tok_visa_42", "4242"), usd), Charge::Declined(DeclineReason::DoNotHonour));
        assert_eq!(p.charge(&PaymentMethod::Wallet, usd), Charge::NeedsShopper);
        let declining = SimulatedProvider { scenario: Scenario::CardDeclinedExpired };
        assert_eq!(declining.charge(&card("tok_visa_4242", "4242"), usd), Charge::Declined(DeclineReason::CardExpired));
    }

    #[derive(Default)]
    struct Book(std::collections::BTreeMap<String, bool>);

    impl ProviderBook for Book {
        type Error = ();
        fn challenge_answer(&mut self, id: &str) -> Result<Option<bool>, ()> {
            Ok(self.0.get(id).copied())
        }
        fn record_challenge_answer(&mut self, id: &str, approved: bool) -> Result<(), ()> {
            self.0.insert(id.into(), approved);
            Ok(())
        }
    }

    #[test]
    fn a_challenge_is_pending_until_the_providers_page_is_answered_and_the_first_answer_stays() {
        let p = SimulatedProvider::default();
        let mut book = Book::default();
        let method = card("tok_visa_3155", "3155");
        assert_eq!(p.challenge_result(&mut book, "chl_1", &method), Ok(ChallengeResult::Pending));
        assert_eq!(SimulatedProvider::answer_challenge(&mut book, "chl_1", false), Ok(false));
        assert_eq!(SimulatedProvider::answer_challenge(&mut book, "chl_1", true), Ok(false));
        assert_eq!(p.challenge_result(&mut book, "chl_1", &method), Ok(ChallengeResult::Refused));
        SimulatedProvider::answer_challenge(&mut book, "chl_2", true).unwrap();
        assert_eq!(
            p.challenge_result(&mut book, "chl_2", &method),
            Ok(ChallengeResult::Approved(PaidWith::Card { brand: Brand::Visa, last4: "3155".into() }))
        );
    }
}
