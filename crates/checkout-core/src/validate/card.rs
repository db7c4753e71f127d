//! Card input: brand from the first digits, Luhn check, length per brand, expiry
//! not past, CVC length. Only used to help the shopper type; the card itself is
//! turned into a token before anything leaves the browser.

use serde::{Deserialize, Serialize};

use super::{Field, FieldError};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Brand {
    Visa,
    Mastercard,
    Amex,
    Discover,
    Diners,
    Jcb,
    UnionPay,
}

impl Brand {
    pub const ALL: [Brand; 7] =
        [Brand::Visa, Brand::Mastercard, Brand::Amex, Brand::Discover, Brand::Diners, Brand::Jcb, Brand::UnionPay];

    /// A lower-case name for tokens and logs ("visa", "amex").
    pub fn slug(self) -> &'static str {
        match self {
            Brand::Visa => "visa",
            Brand::Mastercard => "mastercard",
            Brand::Amex => "amex",
            Brand::Discover => "discover",
            Brand::Diners => "diners",
            Brand::Jcb => "jcb",
            Brand::UnionPay => "unionpay",
        }
    }

    /// Card-number lengths the brand issues.
    pub fn lengths(self) -> &'static [usize] {
        match self {
            Brand::Visa => &[13, 16, 19],
            Brand::Mastercard => &[16],
            Brand::Amex => &[15],
            Brand::Discover | Brand::Jcb | Brand::UnionPay => &[16, 17, 18, 19],
            Brand::Diners => &[14, 15, 16, 17, 18, 19],
        }
    }

    pub fn cvc_length(self) -> usize {
        if self == Brand::Amex { 4 } else { 3 }
    }

    /// Digits per group when the number is shown for reading: 4-6-5 for Amex
    /// (and 14-digit Diners 4-6-4), groups of four otherwise.
    fn groups(self, len: usize) -> &'static [usize] {
        match (self, len) {
            (Brand::Amex, _) => &[4, 6, 5],
            (Brand::Diners, 14) => &[4, 6, 4],
            _ => &[4, 4, 4, 4, 3],
        }
    }
}

fn prefix_in(digits: &str, len: usize, lo: u32, hi: u32) -> bool {
    digits.get(..len).and_then(|p| p.parse::<u32>().ok()).is_some_and(|p| (lo..=hi).contains(&p))
}

/// The brand, known from the first digits as soon as they are typed.
pub fn detect_brand(digits: &str) -> Option<Brand> {
    let d = digits;
    if d.starts_with('4') {
        Some(Brand::Visa)
    } else if prefix_in(d, 2, 51, 55) || prefix_in(d, 4, 2221, 2720) {
        Some(Brand::Mastercard)
    } else if prefix_in(d, 2, 34, 34) || prefix_in(d, 2, 37, 37) {
        Some(Brand::Amex)
    } else if d.starts_with("6011") || prefix_in(d, 3, 644, 649) || d.starts_with("65") {
        Some(Brand::Discover)
    } else if d.starts_with("62") {
        Some(Brand::UnionPay)
    } else if prefix_in(d, 4, 3528, 3589) {
        Some(Brand::Jcb)
    } else if prefix_in(d, 3, 300, 305) || ["36", "38", "39"].iter().any(|p| d.starts_with(p)) {
        Some(Brand::Diners)
    } else {
        None
    }
}

/// The Luhn (mod 10) check digit test.
pub fn luhn_valid(digits: &str) -> bool {
    let mut sum = 0;
    for (i, b) in digits.bytes().rev().enumerate() {
        if !b.is_ascii_digit() {
            return false;
        }
        let mut d = u32::from(b - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    !digits.is_empty() && sum % 10 == 0
}

/// The digits of a typed card number; spaces and dashes are ignored, anything
/// else makes it unreadable (None).
pub fn card_digits(raw: &str) -> Option<String> {
    let mut out = String::new();
    for c in raw.chars() {
        match c {
            '0'..='9' => out.push(c),
            ' ' | '-' => {}
            _ => return None,
        }
    }
    Some(out)
}

/// The number grouped for reading as it is typed ("4242 4242 4242 4242").
pub fn group_for_display(text: &str) -> String {
    // Only ASCII digits are grouped (and split by byte safely); anything else
    // in the text is not part of a card number.
    let only_digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let digits = only_digits.as_str();
    let brand = detect_brand(digits).unwrap_or(Brand::Visa);
    let mut out = String::with_capacity(digits.len() + 4);
    let mut rest = digits;
    for &g in brand.groups(digits.len()) {
        if rest.is_empty() {
            break;
        }
        let (head, tail) = rest.split_at(g.min(rest.len()));
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(head);
        rest = tail;
    }
    if !rest.is_empty() {
        out.push(' ');
        out.push_str(rest);
    }
    out
}

/// A card number that passed: its brand, its digits (kept in memory only) and
/// the last four for receipts.
#[derive(Clone, PartialEq, Eq)]
pub struct CardNumber {
    pub brand: Brand,
    digits: String,
}

impl CardNumber {
    pub fn digits(&self) -> &str {
        &self.digits
    }

    pub fn last4(&self) -> &str {
        &self.digits[self.digits.len() - 4..]
    }
}

/// Never prints the number, so it cannot end up in a log by accident.
impl std::fmt::Debug for CardNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CardNumber({:?} ending {})", self.brand, self.last4())
    }
}

pub fn card_number(raw: &str) -> Result<CardNumber, FieldError> {
    let digits = card_digits(raw).ok_or(FieldError::new(Field::CardNumber, "validation.card.number_format"))?;
    if digits.is_empty() {
        return Err(FieldError::new(Field::CardNumber, "validation.required"));
    }
    let brand = detect_brand(&digits).ok_or(FieldError::new(Field::CardNumber, "validation.card.unknown_brand"))?;
    if !brand.lengths().contains(&digits.len()) {
        return Err(FieldError::new(Field::CardNumber, "validation.card.length"));
    }
    // UnionPay issues numbers without a Luhn check digit; every other brand has one.
    if brand != Brand::UnionPay && !luhn_valid(&digits) {
        return Err(FieldError::new(Field::CardNumber, "validation.card.check_digit"));
    }
    Ok(CardNumber { brand, digits })
}

/// A card's expiry month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Expiry {
    pub year: u16,
    pub month: u8,
}

/// Reads "MM/YY", "MM / YY", "MMYY" or "MM/YYYY". A card is valid through the
/// last day of its month, so the current month is still accepted; more than 20
/// years ahead is a typing mistake.
pub fn expiry(raw: &str, now: Expiry) -> Result<Expiry, FieldError> {
    let s: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if s.is_empty() {
        return Err(FieldError::new(Field::CardExpiry, "validation.required"));
    }
    let bad = || FieldError::with_example(Field::CardExpiry, "validation.card.expiry_format", "08/29");
    let (m, y) = match s.split_once('/') {
        Some((m, y)) => (m.to_owned(), y.to_owned()),
        None if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) => (s[..2].to_owned(), s[2..].to_owned()),
        None => return Err(bad()),
    };
    let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if !(1..=2).contains(&m.len()) || !(y.len() == 2 || y.len() == 4) || !all_digits(&m) || !all_digits(&y) {
        return Err(bad());
    }
    let month: u8 = m.parse().map_err(|_| bad())?;
    let year: u16 = y.parse().map_err(|_| bad())?;
    let year = if y.len() == 2 { 2000 + year } else { year };
    if !(1..=12).contains(&month) {
        return Err(bad());
    }
    let e = Expiry { year, month };
    if e < now {
        return Err(FieldError::new(Field::CardExpiry, "validation.card.expired"));
    }
    if year > now.year + 20 {
        return Err(bad());
    }
    Ok(e)
}

pub fn cvc(raw: &str, brand: Option<Brand>) -> Result<(), FieldError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(FieldError::new(Field::CardCvc, "validation.required"));
    }
    let ok = s.bytes().all(|b| b.is_ascii_digit())
        && match brand {
            Some(b) => s.len() == b.cvc_length(),
            None => s.len() == 3 || s.len() == 4,
        };
    if ok {
        Ok(())
    } else if brand == Some(Brand::Amex) {
        Err(FieldError::new(Field::CardCvc, "validation.card.cvc_amex"))
    } else {
        Err(FieldError::new(Field::CardCvc, "validation.card.cvc"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const NOW: Expiry = Expiry { year: 2026, month: 11 };

    // Public test numbers pass; a wrong check digit fails (docs/rules.md#checkout).
    #[test]
    fn public_test_numbers_pass_with_their_brand() {
        let cases = [
            ("4242 4242 4242 4242", Brand::Visa),
            ("4000 0566 5566 5556", Brand::Visa),
            ("5555 5555 5555 4444", Brand::Mastercard),
            ("2223 0031 2200 3222", Brand::Mastercard),
            ("3782 822463 10005", Brand::Amex),
            ("6011 1111 1111 1117", Brand::Discover),
            ("3056 9300 0902 0004", Brand::Diners),
            ("3622 720627 1667", Brand::Diners),
            ("3566 0020 2036 0505", Brand::Jcb),
            ("6200 0000 0000 0005", Brand::UnionPay),
        ];
        for (n, brand) in cases {
            let c = card_number(n).unwrap_or_else(|e| panic!("{n}: {e:?}"));
            assert_eq!(c.brand, brand, "{n}");
        }
        assert_eq!(card_number("4242-4242-4242-4242").unwrap().last4(), "4242");
    }

    #[test]
    fn a_wrong_check_digit_or_length_is_refused() {
        assert_eq!(card_number("4242 4242 4242 4241").unwrap_err().key, "validation.card.check_digit");
        assert_eq!(card_number("4242 4242 4242").unwrap_err().key, "validation.card.length");
        assert_eq!(card_number("3782 822463 1000").unwrap_err().key, "validation.card.length");
        assert_eq!(card_number("9999 9999 9999 9999").unwrap_err().key, "validation.card.unknown_brand");
        assert_eq!(card_number("4242 4242 4242 424O").unwrap_err().key, "validation.card.number_format");
        assert_eq!(card_number("").unwrap_err().key, "validation.required");
    }

    #[test]
    fn the_brand_shows_from_the_first_digits() {
        assert_eq!(detect_brand("4"), Some(Brand::Visa));
        assert_eq!(detect_brand("51"), Some(Brand::Mastercard));
        assert_eq!(detect_brand("2221"), Some(Brand::Mastercard));
        assert_eq!(detect_brand("2720"), Some(Brand::Mastercard));
        assert_eq!(detect_brand("2721"), None);
        assert_eq!(detect_brand("34"), Some(Brand::Amex));
        assert_eq!(detect_brand("37"), Some(Brand::Amex));
        assert_eq!(detect_brand("6011"), Some(Brand::Discover));
        assert_eq!(detect_brand("65"), Some(Brand::Discover));
        assert_eq!(detect_brand("62"), Some(Brand::UnionPay));
        assert_eq!(detect_brand("3530"), Some(Brand::Jcb));
        assert_eq!(detect_brand("36"), Some(Brand::Diners));
        assert_eq!(detect_brand(""), None);
    }

    #[test]
    fn numbers_are_grouped_for_reading() {
        assert_eq!(group_for_display("4242424242424242"), "4242 4242 4242 4242");
        assert_eq!(group_for_display("424242"), "4242 42");
        assert_eq!(group_for_display("378282246310005"), "3782 822463 10005");
        assert_eq!(group_for_display("4242424242424242123"), "4242 4242 4242 4242 123");
    }

    #[test]
    fn a_card_number_never_prints_in_full() {
        let c = card_number("4242424242424242").unwrap();
        let shown = format!("{c:?}");
        assert!(!shown.contains("42424242"), "{shown}");
        assert!(shown.contains("4242"));
    }

    // An expiry before the current month is refused (docs/rules.md#checkout).
    #[test]
    fn signs_and_non_ascii_text_are_not_read_as_dates_or_grouped_as_digits() {
        // Found by the hostile-input property tests: `"+1/30"` was January 2030,
        // and grouping cut a multi-byte character in half.
        assert!(expiry("+1/30", NOW).is_err());
        assert!(expiry("1/+30", NOW).is_err());
        assert_eq!(group_for_display(" \u{1e030}"), "");
        assert_eq!(group_for_display("4242٤4242 4242 4242"), "4242 4242 4242 4242");
    }

    #[test]
    fn expiry_is_read_in_common_forms_and_not_in_the_past() {
        assert_eq!(expiry("11/26", NOW), Ok(Expiry { year: 2026, month: 11 }), "this month still counts");
        assert_eq!(expiry("0829", NOW), Ok(Expiry { year: 2029, month: 8 }));
        assert_eq!(expiry(" 8 / 2029 ", NOW), Ok(Expiry { year: 2029, month: 8 }));
        assert_eq!(expiry("10/26", NOW).unwrap_err().key, "validation.card.expired");
        assert_eq!(expiry("13/27", NOW).unwrap_err().key, "validation.card.expiry_format");
        assert_eq!(expiry("00/27", NOW).unwrap_err().key, "validation.card.expiry_format");
        assert_eq!(expiry("08/2099", NOW).unwrap_err().key, "validation.card.expiry_format");
        assert_eq!(expiry("aug 29", NOW).unwrap_err().key, "validation.card.expiry_format");
    }

    // The CVC has 3 digits, 4 for Amex (docs/rules.md#checkout).
    #[test]
    fn cvc_length_follows_the_brand() {
        assert!(cvc("123", Some(Brand::Visa)).is_ok());
        assert_eq!(cvc("1234", Some(Brand::Visa)).unwrap_err().key, "validation.card.cvc");
        assert!(cvc("1234", Some(Brand::Amex)).is_ok());
        assert_eq!(cvc("123", Some(Brand::Amex)).unwrap_err().key, "validation.card.cvc_amex");
        assert_eq!(cvc("12a", None).unwrap_err().key, "validation.card.cvc");
    }

    proptest! {
        #[test]
        fn changing_one_digit_breaks_the_luhn_check(n in "[0-9]{12,18}", pos in 0usize..19, delta in 1u8..10) {
            // Append the digit that makes it valid, then change one digit.
            let check = (0..10).find(|d| luhn_valid(&format!("{n}{d}"))).unwrap();
            let valid = format!("{n}{check}");
            prop_assert!(luhn_valid(&valid));
            let pos = pos % valid.len();
            let mut bytes = valid.into_bytes();
            bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
            prop_assert!(!luhn_valid(std::str::from_utf8(&bytes).unwrap()));
        }

        #[test]
        fn validators_never_panic_on_any_text(s in "\\PC{0,40}") {
            let _ = card_number(&s);
            let _ = expiry(&s, NOW);
            let _ = cvc(&s, None);
            let _ = super::super::contact::phone(&s, "US");
            let _ = super::super::contact::email(&s);
            let _ = super::super::address::postal_code(&s, super::super::address::country("GB").unwrap());
        }
    }
}
