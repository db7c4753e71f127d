//! Shipping addresses: which fields each country needs, in which order the form
//! asks for them, and the shape of its postal code.

use serde::{Deserialize, Serialize};

use super::{clean_text, Field, FieldError};

/// How a country's addresses are written. Postal-code patterns use `9` for a
/// digit, `A` for a letter, and anything else for itself; a space in a pattern
/// may be left out by the shopper.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CountryRules {
    /// ISO 3166-1 alpha-2.
    pub code: &'static str,
    /// Postal-code patterns; empty where the country uses none.
    pub postal_patterns: &'static [&'static str],
    /// A valid example, shown in the error message.
    pub postal_example: &'static str,
    /// Whether the region (state, province, prefecture) is required.
    pub region_required: bool,
    /// Whether the postal code comes before the city (most of Europe) or after.
    pub postal_before_city: bool,
}

impl CountryRules {
    pub fn has_postal_code(&self) -> bool {
        !self.postal_patterns.is_empty()
    }

    /// The address fields of the form, in the order this country writes them.
    pub fn field_order(&self) -> Vec<Field> {
        let mut f = vec![Field::Country, Field::GivenName, Field::FamilyName, Field::AddressLine1, Field::AddressLine2];
        let postal = self.has_postal_code().then_some(Field::PostalCode);
        if self.postal_before_city {
            f.extend(postal);
            f.push(Field::City);
            f.push(Field::Region);
        } else {
            f.push(Field::City);
            f.push(Field::Region);
            f.extend(postal);
        }
        f
    }
}

const fn rules(code: &'static str, postal_patterns: &'static [&'static str], postal_example: &'static str, region_required: bool, postal_before_city: bool) -> CountryRules {
    CountryRules { code, postal_patterns, postal_example, region_required, postal_before_city }
}

/// The countries the store ships to.
pub const COUNTRIES: &[CountryRules] = &[
    rules("US", &["99999", "99999-9999"], "94105", true, false),
    rules("CA", &["A9A 9A9"], "K1A 0B1", true, false),
    rules("GB", &["A9 9AA", "A99 9AA", "AA9 9AA", "AA99 9AA", "A9A 9AA", "AA9A 9AA"], "SW1A 1AA", false, false),
    rules("DE", &["99999"], "10115", false, true),
    rules("FR", &["99999"], "75008", false, true),
    rules("ES", &["99999"], "28013", false, true),
    rules("IT", &["99999"], "00184", false, true),
    rules("NL", &["9999 AA"], "1012 JS", false, true),
    rules("PL", &["99-999"], "00-950", false, true),
    rules("BR", &["99999-999", "99999999"], "01310-100", true, false),
    rules("MX", &["99999"], "06600", true, true),
    rules("JP", &["999-9999", "9999999"], "100-0001", true, true),
    rules("KR", &["99999"], "03187", false, false),
    rules("CN", &["999999"], "100000", true, false),
    rules("IN", &["999999"], "110001", true, false),
    rules("AU", &["9999"], "2000", true, false),
    rules("RU", &["999999"], "101000", false, true),
    rules("TR", &["99999"], "34000", false, true),
    rules("SA", &["99999", "99999-9999"], "11564", false, false),
    rules("IL", &["9999999"], "9100101", false, false),
    rules("CH", &["9999"], "8001", false, true),
    rules("IE", &[], "", false, false),
    rules("AE", &[], "", false, false),
    rules("HK", &[], "", false, false),
];

pub fn country(code: &str) -> Option<&'static CountryRules> {
    COUNTRIES.iter().find(|c| c.code.eq_ignore_ascii_case(code.trim()))
}

fn matches_pattern(value: &str, pattern: &str) -> bool {
    value.len() == pattern.len()
        && value.chars().zip(pattern.chars()).all(|(v, p)| match p {
            '9' => v.is_ascii_digit(),
            'A' => v.is_ascii_uppercase(),
            _ => v == p,
        })
}

/// Checks a postal code for `country` and returns it in its usual form
/// (upper case, the space where the country writes one).
pub fn postal_code(raw: &str, rules: &CountryRules) -> Result<Option<String>, FieldError> {
    if !rules.has_postal_code() {
        return Ok(None);
    }
    let value: String = raw.trim().to_uppercase().split_whitespace().collect::<Vec<_>>().join(" ");
    if value.is_empty() {
        return Err(FieldError::new(Field::PostalCode, "validation.required"));
    }
    let compact: String = value.chars().filter(|c| *c != ' ').collect();
    for pattern in rules.postal_patterns {
        if matches_pattern(&value, pattern) {
            return Ok(Some(value));
        }
        let pattern_compact: String = pattern.chars().filter(|c| *c != ' ').collect();
        if matches_pattern(&compact, &pattern_compact) {
            // Put the space back where the pattern has it.
            let mut out = String::new();
            let mut chars = compact.chars();
            for p in pattern.chars() {
                if p == ' ' {
                    out.push(' ');
                } else if let Some(c) = chars.next() {
                    out.push(c);
                }
            }
            return Ok(Some(out));
        }
    }
    Err(FieldError::with_example(Field::PostalCode, "validation.postal_code.format", rules.postal_example))
}

/// An address as typed into the form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AddressInput {
    #[cfg_attr(feature = "schema", schemars(length(max = 200)))]
    pub country: String,
    #[cfg_attr(feature = "schema", schemars(length(max = 200)))]
    pub given_name: String,
    #[cfg_attr(feature = "schema", schemars(length(max = 200)))]
    pub family_name: String,
    #[cfg_attr(feature = "schema", schemars(length(max = 200)))]
    pub line1: String,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(length(max = 200)))]
    pub line2: String,
    #[cfg_attr(feature = "schema", schemars(length(max = 200)))]
    pub city: String,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(length(max = 200)))]
    pub region: String,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(length(max = 200)))]
    pub postal_code: String,
}

/// An address that passed every check, in its normalised form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Address {
    pub country: String,
    pub given_name: String,
    pub family_name: String,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub region: Option<String>,
    pub postal_code: Option<String>,
}

/// Checks every field and returns all problems at once, in form order, so the
/// error summary can list them together.
pub fn validate(input: &AddressInput) -> Result<Address, Vec<FieldError>> {
    let Some(rules) = country(&input.country) else {
        let key = if input.country.trim().is_empty() { "validation.required" } else { "validation.country.unsupported" };
        return Err(vec![FieldError::new(Field::Country, key)]);
    };
    let mut errors = Vec::new();
    let mut take = |r: Result<Option<String>, FieldError>| match r {
        Ok(v) => v,
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let given_name = take(clean_text(Field::GivenName, &input.given_name, true));
    let family_name = take(clean_text(Field::FamilyName, &input.family_name, true));
    let line1 = take(clean_text(Field::AddressLine1, &input.line1, true));
    let line2 = take(clean_text(Field::AddressLine2, &input.line2, false));
    let city = take(clean_text(Field::City, &input.city, true));
    let region = take(clean_text(Field::Region, &input.region, rules.region_required));
    let postal_code = take(postal_code(&input.postal_code, rules));
    let order = rules.field_order();
    errors.sort_by_key(|e| order.iter().position(|f| *f == e.field));
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Address {
        country: rules.code.to_owned(),
        given_name: given_name.unwrap_or_default(),
        family_name: family_name.unwrap_or_default(),
        line1: line1.unwrap_or_default(),
        line2,
        city: city.unwrap_or_default(),
        region,
        postal_code,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(code: &str, postal: &str) -> Option<String> {
        postal_code(postal, country(code).unwrap()).unwrap_or_else(|e| panic!("{code} {postal}: {e:?}"))
    }

    fn refused(code: &str, postal: &str) {
        let e = postal_code(postal, country(code).unwrap()).unwrap_err();
        assert_eq!((e.field, e.key.as_ref()), (Field::PostalCode, "validation.postal_code.format"), "{code} {postal}");
        assert!(e.example.is_some_and(|x| !x.is_empty()));
    }

    // Postal codes follow the country: US ZIP of 5 or 9 digits, UK letters and
    // digits, some countries none (docs/rules.md#checkout).
    #[test]
    fn postal_codes_follow_each_country() {
        assert_eq!(ok("US", "94107"), Some("94107".into()));
        assert_eq!(ok("US", "94107-1234"), Some("94107-1234".into()));
        refused("US", "9410");
        refused("US", "941071234");
        assert_eq!(ok("GB", "sw1a 1aa"), Some("SW1A 1AA".into()));
        assert_eq!(ok("GB", "SW1A1AA"), Some("SW1A 1AA".into()));
        assert_eq!(ok("GB", "M1 1AE"), Some("M1 1AE".into()));
        refused("GB", "12345");
        assert_eq!(ok("CA", "k1a0b1"), Some("K1A 0B1".into()));
        assert_eq!(ok("NL", "1012js"), Some("1012 JS".into()));
        assert_eq!(ok("PL", "00-950"), Some("00-950".into()));
        refused("PL", "00950");
        assert_eq!(ok("BR", "01310-100"), Some("01310-100".into()));
        assert_eq!(ok("JP", "100-0001"), Some("100-0001".into()));
        assert_eq!(ok("IL", "9100101"), Some("9100101".into()));
        assert_eq!(ok("AU", "2000"), Some("2000".into()));
        refused("AU", "20000");
        for code in ["DE", "FR", "ES", "IT", "MX", "KR", "TR", "SA"] {
            assert!(ok(code, "12345").is_some(), "{code}");
            refused(code, "1234");
        }
        for code in ["CN", "IN", "RU"] {
            assert!(ok(code, "101000").is_some(), "{code}");
            refused(code, "10100");
        }
        assert_eq!(ok("AE", ""), None, "no postal codes in the UAE");
        assert_eq!(ok("HK", "whatever"), None);
    }

    #[test]
    fn at_least_twenty_countries_with_the_required_ones() {
        assert!(COUNTRIES.len() >= 20);
        for code in ["US", "CA", "GB", "DE", "FR", "ES", "IT", "NL", "PL", "BR", "MX", "JP", "KR", "CN", "IN", "AU", "RU", "TR", "SA", "IL"] {
            let c = country(code).unwrap_or_else(|| panic!("{code} missing"));
            assert!(c.has_postal_code(), "{code}");
            assert!(postal_code(c.postal_example, c).is_ok(), "{code}'s own example must pass");
        }
    }

    #[test]
    fn the_form_order_follows_the_country() {
        let us = country("US").unwrap().field_order();
        let de = country("DE").unwrap().field_order();
        let pos = |v: &[Field], f| v.iter().position(|x| *x == f).unwrap();
        assert!(pos(&us, Field::PostalCode) > pos(&us, Field::City));
        assert!(pos(&de, Field::PostalCode) < pos(&de, Field::City));
        assert!(!country("AE").unwrap().field_order().contains(&Field::PostalCode));
    }

    fn input(country: &str) -> AddressInput {
        AddressInput {
            country: country.into(),
            given_name: " Ana ".into(),
            family_name: "López".into(),
            line1: "1 Market St".into(),
            line2: "".into(),
            city: "San Francisco".into(),
            region: "CA".into(),
            postal_code: "94105".into(),
        }
    }

    #[test]
    fn a_complete_address_is_normalised() {
        let a = validate(&input("us")).unwrap();
        assert_eq!(a.country, "US");
        assert_eq!(a.given_name, "Ana");
        assert_eq!(a.line2, None);
        assert_eq!(a.postal_code.as_deref(), Some("94105"));
    }

    #[test]
    fn every_problem_is_reported_at_once_in_form_order() {
        let mut i = input("US");
        i.given_name = "".into();
        i.region = " ".into();
        i.postal_code = "ABCDE".into();
        i.city = "x".repeat(201);
        let errs = validate(&i).unwrap_err();
        let got: Vec<_> = errs.iter().map(|e| (e.field, e.key.as_ref())).collect();
        assert_eq!(
            got,
            [
                (Field::GivenName, "validation.required"),
                (Field::City, "validation.too_long"),
                (Field::Region, "validation.required"),
                (Field::PostalCode, "validation.postal_code.format"),
            ]
        );
    }

    #[test]
    fn control_and_direction_override_characters_are_refused() {
        for bad in ["Ana\u{0}", "Ana\nLópez", "\u{202E}anA"] {
            let mut i = input("US");
            i.given_name = bad.into();
            assert_eq!(validate(&i).unwrap_err()[0].key, "validation.invalid_characters", "{bad:?}");
        }
    }

    #[test]
    fn an_unknown_or_missing_country_is_its_own_error() {
        assert_eq!(validate(&input("ZZ")).unwrap_err()[0].key, "validation.country.unsupported");
        assert_eq!(validate(&input("")).unwrap_err()[0].key, "validation.required");
    }

    #[test]
    fn region_is_optional_where_the_country_does_not_use_it() {
        let mut i = input("DE");
        i.region = "".into();
        i.postal_code = "10115".into();
        assert!(validate(&i).is_ok());
    }
}
