//! Email addresses and phone numbers (E.164).

use super::{Field, FieldError};

const MAX_EMAIL: usize = 254;

/// A pragmatic email check: one `@`, a local part, a domain with a dot and
/// letters, digits or hyphens in its labels. Returns the address trimmed, with
/// the domain lower-cased.
pub fn email(raw: &str) -> Result<String, FieldError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(FieldError::new(Field::Email, "validation.required"));
    }
    let bad = || FieldError::with_example(Field::Email, "validation.email.format", "name@example.com");
    if s.len() > MAX_EMAIL || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad());
    }
    let (local, domain) = s.rsplit_once('@').ok_or_else(bad)?;
    if local.is_empty() || local.len() > 64 || local.contains('@') || local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(bad());
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    if labels.len() < 2 || !labels.iter().all(label_ok) || labels.last().is_some_and(|tld| tld.len() < 2) {
        return Err(bad());
    }
    Ok(format!("{local}@{}", domain.to_lowercase()))
}

/// Country calling codes for the countries the address form knows.
pub fn calling_code(country: &str) -> Option<&'static str> {
    Some(match country {
        "US" | "CA" => "1",
        "GB" => "44",
        "DE" => "49",
        "FR" => "33",
        "ES" => "34",
        "IT" => "39",
        "NL" => "31",
        "PL" => "48",
        "BR" => "55",
        "MX" => "52",
        "JP" => "81",
        "KR" => "82",
        "CN" => "86",
        "IN" => "91",
        "AU" => "61",
        "RU" => "7",
        "TR" => "90",
        "SA" => "966",
        "IL" => "972",
        "AE" => "971",
        "HK" => "852",
        "IE" => "353",
        "CH" => "41",
        _ => return None,
    })
}

/// Reads a phone number as people type it ("+1 (415) 555-2671", "020 7946 0958")
/// and returns it in E.164 ("+14155552671"). Without a leading `+` (or `00`), the
/// number is taken as national in `country`: its trunk `0` is dropped and the
/// country's calling code put in front.
pub fn phone(raw: &str, country: &str) -> Result<String, FieldError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(FieldError::new(Field::Phone, "validation.required"));
    }
    let bad = || FieldError::with_example(Field::Phone, "validation.phone.format", "+1 415 555 2671");
    let mut digits = String::new();
    let mut international = false;
    for (i, c) in s.chars().enumerate() {
        match c {
            '+' if i == 0 => international = true,
            '0'..='9' => digits.push(c),
            ' ' | '-' | '(' | ')' | '.' | '/' => {}
            _ => return Err(bad()),
        }
    }
    if !international {
        if let Some(rest) = digits.strip_prefix("00") {
            digits = rest.to_owned();
            international = true;
        }
    }
    if !international {
        let code = calling_code(country).ok_or_else(|| FieldError::new(Field::Phone, "validation.phone.needs_country_code"))?;
        let national = digits.strip_prefix('0').unwrap_or(&digits);
        // Russia's trunk prefix is 8 where others use 0.
        let national = if country == "RU" { national.strip_prefix('8').filter(|n| n.len() == 10).unwrap_or(national) } else { national };
        digits = format!("{code}{national}");
    }
    // E.164: at most 15 digits, no leading zero; 8 is the shortest real number.
    if !(8..=15).contains(&digits.len()) || digits.starts_with('0') {
        return Err(bad());
    }
    Ok(format!("+{digits}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Phone numbers are kept in E.164 (docs/rules.md#checkout).
    #[test]
    fn phone_numbers_come_out_in_e164() {
        assert_eq!(phone("+1 (415) 555-2671", "US"), Ok("+14155552671".into()));
        assert_eq!(phone("(415) 555-2671", "US"), Ok("+14155552671".into()));
        assert_eq!(phone("020 7946 0958", "GB"), Ok("+442079460958".into()));
        assert_eq!(phone("0049 30 901820", "FR"), Ok("+4930901820".into()));
        assert_eq!(phone("8 912 345 67 89", "RU"), Ok("+79123456789".into()));
        assert_eq!(phone("090-1234-5678", "JP"), Ok("+819012345678".into()));
    }

    #[test]
    fn bad_phone_numbers_are_refused_with_an_example() {
        for bad in ["12", "+1234567890123456", "+0 123 456 789", "call me", "+1 415 555 2671 ext 3", "+1+2345678"] {
            let e = phone(bad, "US").unwrap_err();
            assert_eq!(e.field, Field::Phone, "{bad}");
            assert_eq!(e.key, "validation.phone.format", "{bad}");
            assert!(e.example.is_some());
        }
        assert_eq!(phone("", "US").unwrap_err().key, "validation.required");
        assert_eq!(phone("5551234567", "ZZ").unwrap_err().key, "validation.phone.needs_country_code");
    }

    #[test]
    fn emails_are_checked_and_their_domain_lower_cased() {
        assert_eq!(email(" Ana.Lopez+shop@Example.COM "), Ok("Ana.Lopez+shop@example.com".into()));
        assert_eq!(email("ivan@почта.рф"), Ok("ivan@почта.рф".into()));
        for bad in ["ana", "ana@", "@example.com", "ana@example", "ana@@example.com", "ana @example.com", "ana@exa mple.com", "ana@-x.com", "a..b@example.com", "ana@example.c"] {
            let e = email(bad).unwrap_err();
            assert_eq!((e.field, e.key.as_ref()), (Field::Email, "validation.email.format"), "{bad}");
        }
        assert_eq!(email("  ").unwrap_err().key, "validation.required");
    }
}
