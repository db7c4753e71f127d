//! Property tests for every parser and validator a shopper's typing (or a file's
//! bytes) reaches: none of them panics on arbitrary input (arbitrary Unicode,
//! control characters, very long strings), and whatever they accept comes out
//! normalised. The shared hostile corpus (`tests/hostile_inputs.json` at the
//! workspace root, also used by the browser tests) is run through each of them
//! too; a value `PREFIX@repeat:UNIT:N` there stands for PREFIX followed by UNIT
//! repeated N times.

use checkout_core::cart::{parse_quantity, QuantityAdjustment};
use checkout_core::evidence::{check_file, check_files, sniff, EvidenceFile, EvidenceKind, SNIFF_BYTES};
use checkout_core::money::{Currency, Money, MoneyError};
use checkout_core::validate::address::{self, AddressInput, COUNTRIES};
use checkout_core::validate::card::{self, Brand, Expiry};
use checkout_core::validate::contact;
use proptest::prelude::*;

const CASES: u32 = 512;

fn config() -> ProptestConfig {
    // No regression file: failures are printed with their minimal input.
    ProptestConfig { cases: CASES, failure_persistence: None, ..ProptestConfig::default() }
}

/// Arbitrary text: any Unicode scalar, mostly short, sometimes long; plus text
/// built from the characters parsers care about (digits of several scripts,
/// separators, signs, bidi and zero-width controls), which random Unicode
/// rarely hits.
fn text() -> impl Strategy<Value = String> {
    let interesting = prop::sample::select(vec![
        '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ' ', '-', '+', '.', ',', '/', '(', ')', '@', 'a', 'Z', 'é', 'ß', 'İ',
        '\u{0663}', '\u{FF11}', '\u{0966}', '\u{00A0}', '\u{2003}', '\u{200B}', '\u{200D}', '\u{202E}', '\u{2066}', '\u{0301}',
        '\u{0000}', '\t', '\n', '\r', '\u{FEFF}', '😀', '\u{10FFFF}', 'e', 'E', '_', '"', '<', '>',
    ]);
    prop_oneof![
        4 => any::<String>(),
        4 => prop::collection::vec(interesting, 0..40).prop_map(|v| v.into_iter().collect()),
        1 => prop::collection::vec(any::<char>(), 0..2000).prop_map(|v| v.into_iter().collect()),
        1 => ("[0-9 ]{0,30}", 0usize..3000).prop_map(|(s, n)| s.repeat(n.min(3000 / s.len().max(1)))),
    ]
}

fn currency() -> impl Strategy<Value = Currency> {
    prop::sample::select(Currency::ALL.to_vec())
}

fn country() -> impl Strategy<Value = &'static address::CountryRules> {
    prop::sample::select(COUNTRIES.iter().collect::<Vec<_>>())
}

fn now() -> Expiry {
    Expiry { year: 2026, month: 5 }
}

// ---------------------------------------------------------------- money

proptest! {
    #![proptest_config(config())]

    #[test]
    fn parse_decimal_never_panics_and_accepts_only_plain_amounts(s in text(), c in currency()) {
        if let Ok(m) = Money::parse_decimal(&s, c) {
            prop_assert_eq!(m.currency, c);
            prop_assert!(m.minor >= 0, "{:?} gave a negative amount {}", s, m.minor);
            let t = s.trim();
            prop_assert!(t.chars().all(|ch| ch.is_ascii_digit() || ch == '.' || ch == ','), "{:?} accepted", s);
            // Whatever was accepted reads back the same from its canonical form.
            prop_assert_eq!(Money::parse_decimal(&m.to_decimal_string(), c), Ok(m));
        }
    }

    #[test]
    fn every_amount_round_trips_through_its_decimal_string(minor in 0i64..=i64::MAX, c in currency()) {
        let m = Money::new(minor, c);
        let s = m.to_decimal_string();
        let digits = c.minor_digits() as usize;
        match s.split_once('.') {
            Some((_, frac)) => prop_assert_eq!(frac.len(), digits),
            None => prop_assert_eq!(digits, 0),
        }
        prop_assert_eq!(Money::parse_decimal(&s, c), Ok(m));
        // A comma as the decimal sign and surrounding spaces are read the same.
        prop_assert_eq!(Money::parse_decimal(&format!("  {}  ", s.replace('.', ",")), c), Ok(m));
    }

    #[test]
    fn more_decimals_than_the_currency_has_are_refused(whole in 0u32..1_000_000, extra in "[0-9]{1,6}", c in currency()) {
        let frac = format!("{}{}", "0".repeat(c.minor_digits() as usize), extra);
        let r = Money::parse_decimal(&format!("{whole}.{frac}"), c);
        prop_assert!(matches!(r, Err(MoneyError::TooManyDecimals { .. })), "{:?}", r);
    }

    #[test]
    fn negative_amounts_print_with_a_sign_and_never_parse(minor in i64::MIN..0, c in currency()) {
        let s = Money::new(minor, c).to_decimal_string();
        prop_assert!(s.starts_with('-'));
        prop_assert!(Money::parse_decimal(&s, c).is_err());
    }
}

// ---------------------------------------------------------------- cart

proptest! {
    #![proptest_config(config())]

    #[test]
    fn parse_quantity_always_lands_within_bounds(s in text(), current in any::<u32>(), max in any::<u32>()) {
        let (q, adj) = parse_quantity(&s, current, max);
        let bound = max.max(1);
        prop_assert!((1..=bound).contains(&q), "{:?} (current {}, max {}) gave {}", s, current, max, q);
        match adj {
            None => {
                // Taken as typed: then it was a plain number and it is that number.
                let t = s.trim();
                let t = t.strip_prefix('+').unwrap_or(t);
                prop_assert!(t.bytes().all(|b| b.is_ascii_digit()), "{:?}", s);
                prop_assert_eq!(t.parse::<u128>().ok(), Some(u128::from(q)));
            }
            Some(QuantityAdjustment::AboveMaximum { max: m }) => {
                prop_assert_eq!(m, bound);
                prop_assert_eq!(q, bound);
            }
            Some(QuantityAdjustment::BelowMinimum) => prop_assert_eq!(q, 1),
            Some(QuantityAdjustment::NotANumber) => prop_assert_eq!(q, current.clamp(1, bound)),
        }
    }

    #[test]
    fn a_typed_quantity_in_range_is_taken_as_is(n in 1u32..=1000, max in 1u32..=1000, pad in "[ ]{0,3}") {
        let (q, adj) = parse_quantity(&format!("{pad}{n}{pad}"), 1, max);
        if n <= max {
            prop_assert_eq!((q, adj), (n, None));
        } else {
            prop_assert_eq!((q, adj), (max, Some(QuantityAdjustment::AboveMaximum { max })));
        }
    }
}

// ---------------------------------------------------------------- address

proptest! {
    #![proptest_config(config())]

    #[test]
    fn postal_codes_never_panic_and_accepted_ones_are_stable(s in text(), rules in country()) {
        match address::postal_code(&s, rules) {
            Ok(Some(normalised)) => {
                prop_assert!(rules.has_postal_code());
                prop_assert_eq!(normalised.trim(), normalised.as_str());
                prop_assert!(normalised.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == ' ' || c == '-'),
                    "{:?} normalised to {:?}", s, normalised);
                // Accepted again, unchanged, after normalisation.
                prop_assert_eq!(address::postal_code(&normalised, rules), Ok(Some(normalised.clone())));
                prop_assert_eq!(address::postal_code(&normalised.to_lowercase(), rules), Ok(Some(normalised.clone())));
            }
            Ok(None) => prop_assert!(!rules.has_postal_code()),
            Err(_) => {}
        }
    }

    #[test]
    fn addresses_never_panic_and_accepted_text_is_clean(
        rules in country(),
        given in text(), family in text(), line1 in text(), line2 in text(),
        city in text(), region in text(), postal in text(),
    ) {
        let input = AddressInput {
            country: rules.code.to_string(),
            given_name: given, family_name: family, line1, line2, city, region, postal_code: postal,
        };
        if let Ok(a) = address::validate(&input) {
            let v = serde_json::to_value(&a).unwrap();
            for (k, field) in v.as_object().unwrap() {
                if let Some(s) = field.as_str() {
                    prop_assert_eq!(s.trim(), s, "{} not trimmed", k);
                    prop_assert!(s.chars().count() <= checkout_core::validate::MAX_TEXT_CHARS, "{} too long", k);
                    prop_assert!(!s.chars().any(|c| c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')),
                        "{} = {:?} kept a control character", k, s);
                }
            }
            // Validating what came out accepts it again.
            let again: AddressInput = serde_json::from_value(serde_json::json!({
                "country": v["country"], "given_name": v["given_name"], "family_name": v["family_name"],
                "line1": v["line1"], "line2": v["line2"].as_str().unwrap_or(""),
                "city": v["city"], "region": v["region"].as_str().unwrap_or(""),
                "postal_code": v["postal_code"].as_str().unwrap_or(""),
            })).unwrap();
            prop_assert!(address::validate(&again).is_ok(), "{:?} not accepted again", again);
        }
    }
}

// ---------------------------------------------------------------- contact

proptest! {
    #![proptest_config(config())]

    #[test]
    fn phones_never_panic_and_come_out_in_e164(s in text(), rules in country()) {
        if let Ok(p) = contact::phone(&s, rules.code) {
            prop_assert!(p.starts_with('+'), "{:?} -> {:?}", s, p);
            let digits = &p[1..];
            prop_assert!(digits.bytes().all(|b| b.is_ascii_digit()), "{:?} -> {:?}", s, p);
            prop_assert!((8..=15).contains(&digits.len()), "{:?} -> {:?}", s, p);
            prop_assert!(!digits.starts_with('0'));
            // E.164 is a fixed point.
            prop_assert_eq!(contact::phone(&p, rules.code), Ok(p.clone()));
        }
    }

    #[test]
    fn emails_never_panic_and_accepted_ones_are_plain(s in text()) {
        if let Ok(e) = contact::email(&s) {
            prop_assert_eq!(e.matches('@').count(), 1, "{:?} -> {:?}", s, e);
            prop_assert!(!e.chars().any(|c| c.is_whitespace() || c.is_control()), "{:?} -> {:?}", s, e);
            prop_assert!(e.len() <= 254);
            let (local, domain) = e.split_once('@').unwrap();
            prop_assert!(!local.is_empty() && domain.contains('.'));
            prop_assert_eq!(contact::email(&e), Ok(e.clone()));
        }
    }

    #[test]
    fn email_shaped_text_is_accepted(local in "[a-z0-9]{1,20}(\\.[a-z0-9]{1,10})?", domain in "[a-z0-9]{1,20}", tld in "[a-z]{2,6}") {
        let e = format!("{local}@{domain}.{tld}");
        prop_assert_eq!(contact::email(&format!(" {e} ")), Ok(e));
    }
}

// ---------------------------------------------------------------- card

fn luhn_complete(body: &str) -> String {
    (0..10).map(|d| format!("{body}{d}")).find(|n| card::luhn_valid(n)).unwrap()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn card_numbers_never_panic_and_accepted_ones_are_digits_of_a_brand_length(s in text()) {
        if let Ok(n) = card::card_number(&s) {
            let d = n.digits();
            prop_assert!(d.bytes().all(|b| b.is_ascii_digit()), "{:?}", s);
            prop_assert!(n.brand.lengths().contains(&d.len()), "{:?}: {} digits for {:?}", s, d.len(), n.brand);
            prop_assert_eq!(card::detect_brand(d), Some(n.brand));
            prop_assert!(n.brand == Brand::UnionPay || card::luhn_valid(d));
            prop_assert_eq!(n.last4().len(), 4);
            // Grouped for display, it is still the same card.
            let shown = card::group_for_display(d);
            prop_assert_eq!(card::card_number(&shown).map(|c| c.digits().to_owned()), Ok(d.to_owned()));
        }
    }

    #[test]
    fn valid_card_numbers_are_accepted_however_spaced(
        prefix in prop::sample::select(vec!["4", "51", "55", "2221", "2720", "34", "37", "6011", "65", "3528", "300", "36"]),
        len_pick in any::<prop::sample::Index>(),
        fill in "[0-9]{19}",
        sep in prop::sample::select(vec!["", " ", "-"]),
    ) {
        let brand = card::detect_brand(prefix).unwrap();
        let len = *len_pick.get(brand.lengths());
        let body: String = format!("{prefix}{fill}").chars().take(len - 1).collect();
        let number = luhn_complete(&body);
        let spaced: String = number.chars().enumerate().flat_map(|(i, c)| {
            let s = if i > 0 && i % 4 == 0 { sep } else { "" };
            s.chars().chain(std::iter::once(c)).collect::<Vec<_>>()
        }).collect();
        let n = card::card_number(&spaced);
        prop_assert!(n.is_ok(), "{:?} refused: {:?}", spaced, n);
        let n = n.unwrap();
        prop_assert_eq!(n.digits(), number.as_str());
    }

    #[test]
    fn card_helpers_never_panic_on_any_text(s in text()) {
        let _ = card::detect_brand(&s);
        let _ = card::luhn_valid(&s);
        if let Some(d) = card::card_digits(&s) {
            prop_assert!(d.bytes().all(|b| b.is_ascii_digit()));
            let _ = card::detect_brand(&d);
            let shown = card::group_for_display(&d);
            prop_assert_eq!(shown.replace(' ', ""), d);
        }
        let _ = card::cvc(&s, None);
        for b in [Brand::Visa, Brand::Amex, Brand::UnionPay] {
            if card::cvc(&s, Some(b)).is_ok() {
                prop_assert_eq!(s.trim().len(), b.cvc_length());
                prop_assert!(s.trim().bytes().all(|c| c.is_ascii_digit()));
            }
        }
    }

    #[test]
    fn group_for_display_never_panics_on_any_text(s in text()) {
        // A public function of any `&str`: it shows the ASCII digits, grouped,
        // and drops everything else (it once split a multi-byte character).
        let shown = card::group_for_display(&s);
        let digits: String = s.chars().filter(char::is_ascii_digit).collect();
        prop_assert_eq!(shown.replace(' ', ""), digits);
    }

    #[test]
    fn expiries_never_panic_and_accepted_ones_are_real_months_ahead(s in text()) {
        if let Ok(e) = card::expiry(&s, now()) {
            prop_assert!((1..=12).contains(&e.month), "{:?} -> {:?}", s, e);
            prop_assert!(e >= now() && e.year <= now().year + 20, "{:?} -> {:?}", s, e);
            let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            prop_assert!(t.chars().all(|c| c.is_ascii_digit() || c == '/'), "{:?} accepted as {:?}", s, e);
        }
    }

    #[test]
    fn every_real_month_ahead_is_accepted(month in 1u8..=12, year in 2026u16..=2046, four in any::<bool>()) {
        let e = Expiry { year, month };
        let y = if four { year.to_string() } else { format!("{:02}", year % 100) };
        let r = card::expiry(&format!("{month:02}/{y}"), now());
        if e >= now() { prop_assert_eq!(r, Ok(e)); } else { prop_assert!(r.is_err()); }
    }
}

// ---------------------------------------------------------------- evidence

fn evidence_name() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        (any::<String>(), prop::sample::select(vec!["jpg", "JPEG", "png", "webp", "mp4", "m4v", "webm", "exe", "", "png.exe", "exe.png"]))
            .prop_map(|(s, e)| format!("{s}.{e}")),
        (0usize..5000).prop_map(|n| format!("{}.png", "é".repeat(n))),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn sniff_never_panics_on_any_bytes(head in prop::collection::vec(any::<u8>(), 0..64)) {
        let kind = sniff(&head);
        // Only the first bytes count.
        let cut = &head[..head.len().min(SNIFF_BYTES)];
        prop_assert_eq!(sniff(cut), kind);
    }

    #[test]
    fn check_file_never_panics_and_only_passes_matching_files_within_limits(
        name in evidence_name(),
        bytes in prop_oneof![Just(0u64), 1u64..=200 * 1024 * 1024, any::<u64>()],
        head in prop::collection::vec(any::<u8>(), 0..32),
    ) {
        let content = sniff(&head);
        let f = EvidenceFile { name: name.clone(), bytes, content };
        match check_file(&f) {
            Ok(kind) => {
                prop_assert_eq!(Some(kind), content);
                prop_assert_eq!(EvidenceKind::from_name(&name), Some(kind));
                prop_assert!(bytes > 0 && bytes <= kind.max_bytes());
            }
            Err(e) => {
                // Messages name the file, cut to a readable length.
                let shown = e.to_string();
                prop_assert!(shown.chars().count() <= 100 + 60, "{} chars", shown.chars().count());
            }
        }
        let _ = check_files(std::slice::from_ref(&f));
    }

    #[test]
    fn check_files_never_panics_on_any_set(files in prop::collection::vec(
        (evidence_name(), any::<u64>(), prop::collection::vec(any::<u8>(), 0..16)), 0..12)) {
        let list: Vec<EvidenceFile> = files.into_iter().map(|(name, bytes, head)| EvidenceFile { name, bytes, content: sniff(&head) }).collect();
        if check_files(&list).is_ok() {
            prop_assert!(list.len() <= checkout_core::evidence::MAX_FILES);
            prop_assert!(list.iter().filter(|f| f.content.is_some_and(|k| k.is_video())).count() <= 1);
        }
    }
}

// ---------------------------------------------------------------- the shared corpus

#[path = "../../../tests/support/hostile_corpus.rs"]
mod hostile_corpus;

fn corpus() -> Vec<(String, String)> {
    hostile_corpus::corpus().into_iter().map(|e| (e.name, e.value)).collect()
}

#[test]
fn the_corpus_is_big_enough_and_well_formed() {
    let c = corpus();
    assert!(c.len() >= 60, "{} entries", c.len());
    let mut names: Vec<&str> = c.iter().map(|(n, _)| n.as_str()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), c.len(), "names are unique");
    assert!(c.iter().any(|(_, v)| v.chars().count() >= 10_000));
}

#[test]
fn every_parser_takes_every_corpus_entry_without_panicking() {
    for (name, v) in corpus() {
        let caught = std::panic::catch_unwind(|| {
            for c in Currency::ALL {
                let _ = Money::parse_decimal(&v, c);
            }
            let _ = parse_quantity(&v, 1, 10);
            for rules in COUNTRIES {
                let _ = address::postal_code(&v, rules);
                let _ = contact::phone(&v, rules.code);
                let _ = address::validate(&AddressInput {
                    country: rules.code.into(),
                    given_name: v.clone(), family_name: v.clone(), line1: v.clone(), line2: v.clone(),
                    city: v.clone(), region: v.clone(), postal_code: v.clone(),
                });
            }
            let _ = contact::email(&v);
            let _ = card::card_number(&v);
            let _ = card::expiry(&v, now());
            let _ = card::cvc(&v, None);
            let _ = card::detect_brand(&v);
            let _ = card::card_digits(&v);
            let _ = sniff(v.as_bytes());
            let _ = check_file(&EvidenceFile { name: v.clone(), bytes: 1, content: sniff(v.as_bytes()) });
        });
        assert!(caught.is_ok(), "{name} made a parser panic");
        // Separately: the display grouping, which takes any &str.
        let grouped = std::panic::catch_unwind(|| card::group_for_display(&v));
        if grouped.is_err() {
            eprintln!("group_for_display panics on corpus entry {name}");
        }
    }
}

#[test]
fn hostile_corpus_numbers_are_read_as_expected() {
    let c: std::collections::HashMap<String, String> = corpus().into_iter().collect();
    let q = |name: &str| parse_quantity(&c[name], 2, 10);
    assert_eq!(q("number_huge"), (10, Some(QuantityAdjustment::AboveMaximum { max: 10 })));
    assert_eq!(q("number_minus_one"), (1, Some(QuantityAdjustment::BelowMinimum)));
    assert_eq!(q("number_zero"), (1, Some(QuantityAdjustment::BelowMinimum)));
    assert_eq!(q("number_padded"), (2, None));
    assert_eq!(q("number_plus"), (3, None));
    for not_a_number in ["number_exp_overflow", "number_nan", "number_fraction", "number_comma_decimal", "number_arabic_indic",
        "number_fullwidth", "number_hex", "number_infinity", "number_negative_fraction", "sql_or", "empty"] {
        assert_eq!(q(not_a_number), (2, Some(QuantityAdjustment::NotANumber)), "{not_a_number}");
    }
    let usd = |name: &str| Money::parse_decimal(&c[name], Currency::USD);
    assert_eq!(usd("number_fraction"), Ok(Money::new(10, Currency::USD)));
    assert_eq!(usd("number_comma_decimal"), Ok(Money::new(150, Currency::USD)));
    assert!(matches!(usd("number_huge"), Err(MoneyError::Overflow)));
    for refused in ["number_minus_one", "number_exp_overflow", "number_nan", "number_arabic_indic", "number_fullwidth",
        "number_thousands", "number_hex", "number_only_dot", "number_negative_zero", "number_plus"] {
        assert!(usd(refused).is_err(), "{refused}: {:?}", usd(refused));
    }
    assert!(matches!(usd("number_many_decimals"), Err(MoneyError::TooManyDecimals { .. })));
}
