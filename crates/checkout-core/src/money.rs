//! Money as integer minor units of an ISO 4217 currency: no floats anywhere.
//!
//! Arithmetic is checked: it refuses to mix currencies and refuses to overflow,
//! instead of wrapping or saturating silently.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The currencies the store can price in, each with its number of minor digits
/// (ISO 4217 "exponent"): cents for USD, none for JPY, three for KWD.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Currency {
    USD,
    EUR,
    GBP,
    JPY,
    KRW,
    CNY,
    RUB,
    BRL,
    MXN,
    CAD,
    AUD,
    INR,
    PLN,
    TRY,
    SAR,
    ILS,
    CHF,
    KWD,
}

impl Currency {
    pub const ALL: [Currency; 18] = [
        Currency::USD,
        Currency::EUR,
        Currency::GBP,
        Currency::JPY,
        Currency::KRW,
        Currency::CNY,
        Currency::RUB,
        Currency::BRL,
        Currency::MXN,
        Currency::CAD,
        Currency::AUD,
        Currency::INR,
        Currency::PLN,
        Currency::TRY,
        Currency::SAR,
        Currency::ILS,
        Currency::CHF,
        Currency::KWD,
    ];

    /// Digits after the decimal point in the currency's minor unit.
    pub const fn minor_digits(self) -> u32 {
        match self {
            Currency::JPY | Currency::KRW => 0,
            Currency::KWD => 3,
            _ => 2,
        }
    }

    /// The ISO 4217 code, as the browser's `Intl.NumberFormat` expects it.
    pub const fn code(self) -> &'static str {
        match self {
            Currency::USD => "USD",
            Currency::EUR => "EUR",
            Currency::GBP => "GBP",
            Currency::JPY => "JPY",
            Currency::KRW => "KRW",
            Currency::CNY => "CNY",
            Currency::RUB => "RUB",
            Currency::BRL => "BRL",
            Currency::MXN => "MXN",
            Currency::CAD => "CAD",
            Currency::AUD => "AUD",
            Currency::INR => "INR",
            Currency::PLN => "PLN",
            Currency::TRY => "TRY",
            Currency::SAR => "SAR",
            Currency::ILS => "ILS",
            Currency::CHF => "CHF",
            Currency::KWD => "KWD",
        }
    }

    fn minor_per_major(self) -> i64 {
        10_i64.pow(self.minor_digits())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Currency::ALL
            .into_iter()
            .find(|c| c.code() == s)
            .ok_or_else(|| MoneyError::UnknownCurrency(s.chars().take(8).collect()))
    }
}

/// Why a money operation was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("cannot combine {0} with {1}")]
    CurrencyMismatch(Currency, Currency),
    #[error("amount too large")]
    Overflow,
    #[error("unknown currency {0:?}")]
    UnknownCurrency(String),
    #[error("not an amount: {0:?}")]
    NotAnAmount(String),
    #[error("{currency} has {allowed} decimal places")]
    TooManyDecimals { currency: Currency, allowed: u32 },
}

/// An amount of one currency, in its minor unit (cents for USD, yen for JPY).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    pub const fn new(minor: i64, currency: Currency) -> Self {
        Money { minor, currency }
    }

    pub const fn zero(currency: Currency) -> Self {
        Money { minor: 0, currency }
    }

    pub fn is_zero(&self) -> bool {
        self.minor == 0
    }

    pub fn is_negative(&self) -> bool {
        self.minor < 0
    }

    fn same_currency(&self, other: &Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch(self.currency, other.currency))
        }
    }

    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(&other)?;
        let minor = self.minor.checked_add(other.minor).ok_or(MoneyError::Overflow)?;
        Ok(Money::new(minor, self.currency))
    }

    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(&other)?;
        let minor = self.minor.checked_sub(other.minor).ok_or(MoneyError::Overflow)?;
        Ok(Money::new(minor, self.currency))
    }

    /// The price of `quantity` units at this unit price.
    pub fn checked_mul(self, quantity: u32) -> Result<Money, MoneyError> {
        let minor = self
            .minor
            .checked_mul(i64::from(quantity))
            .ok_or(MoneyError::Overflow)?;
        Ok(Money::new(minor, self.currency))
    }

    /// Adds up amounts that must all be in `currency`; an empty list is zero.
    pub fn sum<I: IntoIterator<Item = Money>>(currency: Currency, items: I) -> Result<Money, MoneyError> {
        items
            .into_iter()
            .try_fold(Money::zero(currency), |acc, m| acc.checked_add(m))
    }

    /// The amount as a plain decimal string in major units, exactly: "1234.50" for
    /// USD, "1200" for JPY, "-0.05" for minus five cents. This is what the UI hands
    /// to `Intl.NumberFormat` (which accepts decimal strings), so no float is involved.
    pub fn to_decimal_string(&self) -> String {
        let digits = self.currency.minor_digits() as usize;
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        if digits == 0 {
            return format!("{sign}{abs}");
        }
        let per = 10_u64.pow(digits as u32);
        format!("{sign}{}.{:0digits$}", abs / per, abs % per)
    }

    /// Parses a shopper-typed amount in major units ("12", "12.5", "12.50") for
    /// `currency`. Refuses more decimals than the currency has, signs, exponents
    /// and anything else that is not a plain amount.
    pub fn parse_decimal(input: &str, currency: Currency) -> Result<Money, MoneyError> {
        let s = input.trim();
        let bad = || MoneyError::NotAnAmount(s.chars().take(32).collect());
        let (whole, frac) = match s.split_once(['.', ',']) {
            Some((w, f)) => (w, f),
            None => (s, ""),
        };
        if whole.is_empty() && frac.is_empty() {
            return Err(bad());
        }
        if !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let allowed = currency.minor_digits();
        if frac.len() > allowed as usize {
            return Err(MoneyError::TooManyDecimals { currency, allowed });
        }
        let whole_value: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| MoneyError::Overflow)?
        };
        let frac_value: i64 = if frac.is_empty() {
            0
        } else {
            let padded = format!("{frac:0<width$}", width = allowed as usize);
            padded.parse().map_err(|_| bad())?
        };
        let minor = whole_value
            .checked_mul(currency.minor_per_major())
            .and_then(|m| m.checked_add(frac_value))
            .ok_or(MoneyError::Overflow)?;
        Ok(Money::new(minor, currency))
    }
}

impl fmt::Display for Money {
    /// A neutral, locale-free rendering ("USD 12.50") for logs and tests; shoppers
    /// see the browser's `Intl.NumberFormat` rendering instead.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.currency, self.to_decimal_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn usd(minor: i64) -> Money {
        Money::new(minor, Currency::USD)
    }

    #[test]
    fn adds_amounts_of_one_currency() {
        assert_eq!(usd(1999).checked_add(usd(1)), Ok(usd(2000)));
    }

    #[test]
    fn refuses_to_add_different_currencies() {
        let eur = Money::new(100, Currency::EUR);
        assert_eq!(
            usd(100).checked_add(eur),
            Err(MoneyError::CurrencyMismatch(Currency::USD, Currency::EUR))
        );
    }

    #[test]
    fn multiplies_by_quantity() {
        assert_eq!(usd(1250).checked_mul(3), Ok(usd(3750)));
        assert_eq!(usd(1250).checked_mul(0), Ok(usd(0)));
    }

    #[test]
    fn refuses_overflow_instead_of_wrapping() {
        assert_eq!(usd(i64::MAX).checked_add(usd(1)), Err(MoneyError::Overflow));
        assert_eq!(usd(i64::MAX / 2 + 1).checked_mul(2), Err(MoneyError::Overflow));
        assert_eq!(usd(i64::MIN).checked_sub(usd(1)), Err(MoneyError::Overflow));
        assert_eq!(Money::sum(Currency::USD, [usd(i64::MAX), usd(1)]), Err(MoneyError::Overflow));
    }

    #[test]
    fn sum_of_nothing_is_zero_in_that_currency() {
        assert_eq!(Money::sum(Currency::JPY, []), Ok(Money::zero(Currency::JPY)));
    }

    #[test]
    fn decimal_string_follows_the_currency_minor_unit() {
        assert_eq!(usd(123450).to_decimal_string(), "1234.50");
        assert_eq!(usd(5).to_decimal_string(), "0.05");
        assert_eq!(usd(-5).to_decimal_string(), "-0.05");
        assert_eq!(Money::new(1200, Currency::JPY).to_decimal_string(), "1200");
        assert_eq!(Money::new(1200, Currency::KRW).to_decimal_string(), "1200");
        assert_eq!(Money::new(1234, Currency::KWD).to_decimal_string(), "1.234");
        assert_eq!(usd(i64::MIN).to_decimal_string(), "-92233720368547758.08");
    }

    #[test]
    fn parses_typed_amounts_per_currency() {
        assert_eq!(Money::parse_decimal("12", Currency::USD), Ok(usd(1200)));
        assert_eq!(Money::parse_decimal(" 12.5 ", Currency::USD), Ok(usd(1250)));
        assert_eq!(Money::parse_decimal("12,05", Currency::EUR), Ok(Money::new(1205, Currency::EUR)));
        assert_eq!(Money::parse_decimal(".5", Currency::USD), Ok(usd(50)));
        assert_eq!(Money::parse_decimal("1500", Currency::JPY), Ok(Money::new(1500, Currency::JPY)));
        assert_eq!(
            Money::parse_decimal("15.5", Currency::JPY),
            Err(MoneyError::TooManyDecimals { currency: Currency::JPY, allowed: 0 })
        );
        assert_eq!(
            Money::parse_decimal("1.005", Currency::USD),
            Err(MoneyError::TooManyDecimals { currency: Currency::USD, allowed: 2 })
        );
        for bad in ["", ".", "-1", "+1", "1e3", "12.3.4", "abc", "1 000", "NaN", "١٢"] {
            assert!(Money::parse_decimal(bad, Currency::USD).is_err(), "{bad:?} must be refused");
        }
        assert_eq!(Money::parse_decimal("99999999999999999999", Currency::USD), Err(MoneyError::Overflow));
    }

    #[test]
    fn currency_codes_round_trip_and_unknown_codes_are_refused() {
        for c in Currency::ALL {
            assert_eq!(c.code().parse::<Currency>(), Ok(c));
        }
        assert!("XXX".parse::<Currency>().is_err());
        assert!(serde_json::from_str::<Money>(r#"{"minor":1,"currency":"ZZZ"}"#).is_err());
        assert!(serde_json::from_str::<Money>(r#"{"minor":1.5,"currency":"USD"}"#).is_err());
    }

    proptest! {
        #[test]
        fn decimal_string_parses_back_to_the_same_amount(minor in 0_i64..=i64::MAX, idx in 0usize..18) {
            let c = Currency::ALL[idx];
            let m = Money::new(minor, c);
            prop_assert_eq!(Money::parse_decimal(&m.to_decimal_string(), c), Ok(m));
        }

        #[test]
        fn checked_add_never_wraps(a in any::<i64>(), b in any::<i64>()) {
            match usd(a).checked_add(usd(b)) {
                Ok(sum) => prop_assert_eq!(i128::from(sum.minor), i128::from(a) + i128::from(b)),
                Err(e) => {
                    prop_assert_eq!(e, MoneyError::Overflow);
                    let wide = i128::from(a) + i128::from(b);
                    prop_assert!(wide > i128::from(i64::MAX) || wide < i128::from(i64::MIN));
                }
            }
        }

        #[test]
        fn checked_mul_is_exact_or_refused(a in any::<i64>(), q in any::<u32>()) {
            let wide = i128::from(a) * i128::from(q);
            match usd(a).checked_mul(q) {
                Ok(p) => prop_assert_eq!(i128::from(p.minor), wide),
                Err(_) => prop_assert!(wide > i128::from(i64::MAX) || wide < i128::from(i64::MIN)),
            }
        }
    }
}
