//! Numbers, prices and plural categories in the page language: in English
//! written here (`english`, what `Intl` writes in English), in any other
//! language through the browser's `Intl`. Dates go through `Intl` in the
//! browser, for the shopper's time zone. Money goes in as an exact decimal
//! string, never as a float.
//!
//! Why English is written here: the first `Intl` formatter of a page loads the
//! browser's locale data, a long task on a slow phone (about 120 ms at 4×
//! slowdown), and the first screens show numbers and prices but no date.
//! Drawn natively (the server's renderer) there is no `Intl` at all, and
//! the screens are drawn in English.

use checkout_core::money::Money;
use checkout_core::time::Timestamp;

#[cfg(not(target_arch = "wasm32"))]
use english as engine;

/// In the browser: English here, other languages through `Intl`.
#[cfg(target_arch = "wasm32")]
mod engine {
    use checkout_core::money::Money;

    use super::{english, intl, NumberStyle};
    pub(super) use intl::{format_date, iso};

    fn in_english() -> bool {
        crate::i18n::lang() == crate::i18n::LANGUAGES[0]
    }

    pub(super) fn forget_cached() {
        intl::forget_cached();
    }

    pub(super) fn format_number(style: NumberStyle, value: &str) -> Option<String> {
        if in_english() { english::format_number(style, value) } else { intl::format_number(style, value) }
    }

    pub(super) fn money(m: &Money) -> String {
        if in_english() { english::money(m) } else { intl::money(m) }
    }

    pub(super) fn plural_category(count: u64) -> String {
        if in_english() { english::plural_category(count) } else { intl::plural_category(count) }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum NumberStyle {
    Integer,
    Tenths,
    Percent,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum DateStyle {
    DateTime,
    Date,
}

/// Drops the formatters made for the previous language.
pub(crate) fn forget_cached() {
    engine::forget_cached();
}

/// Makes the formatters every screen uses (a count's plural, a whole number)
/// ahead of the first render, in a language `Intl` writes. The first `Intl`
/// formatter of a page loads the browser's locale data, a long task on a slow
/// phone: start-up does it in a task of its own rather than inside the first
/// render.
pub fn prepare() {
    let _ = plural_category(0);
    let _ = integer(0);
}

/// "$1,234.50", "¥1,200", "1.234,50 €": the price as the page language writes it.
pub fn money(m: &Money) -> String {
    engine::money(m)
}

/// A whole number with the page language's grouping ("12,000").
pub fn integer(n: u64) -> String {
    engine::format_number(NumberStyle::Integer, &n.to_string()).unwrap_or_else(|| n.to_string())
}

/// A value given in tenths, with one decimal ("4.8").
pub fn tenths(value: u32) -> String {
    let decimal = format!("{}.{}", value / 10, value % 10);
    engine::format_number(NumberStyle::Tenths, &decimal).unwrap_or(decimal)
}

/// A share given in tenths of a percent, as a percentage ("98.6%").
pub fn percent_permille(permille: u32) -> String {
    let decimal = format!("{}.{:03}", permille / 1000, permille % 1000);
    engine::format_number(NumberStyle::Percent, &decimal).unwrap_or_else(|| format!("{}.{}%", permille / 10, permille % 10))
}

/// The CLDR plural category ("one", "few", "other", ...) of `count` in the page language.
pub fn plural_category(count: u64) -> String {
    engine::plural_category(count)
}

/// "26 Nov 2026, 17:06" in the shopper's language and time zone.
pub fn date_time(t: Timestamp) -> String {
    engine::format_date(DateStyle::DateTime, t)
}

/// "26 Nov 2026" in the shopper's language and time zone.
pub fn date(t: Timestamp) -> String {
    engine::format_date(DateStyle::Date, t)
}

/// The machine-readable form for `<time datetime=...>`.
pub fn iso(t: Timestamp) -> String {
    engine::iso(t)
}

/// The browser's `Intl`, in the page language.
#[cfg(target_arch = "wasm32")]
mod intl {
    use std::cell::RefCell;
    use std::collections::HashMap;

    use checkout_core::money::{Currency, Money};
    use checkout_core::time::Timestamp;
    use js_sys::{Array, Intl, Object, Reflect};
    use wasm_bindgen::JsValue;

    use super::{DateStyle, NumberStyle};

    // Formatters are made once per language and kept: making an `Intl` formatter
    // costs about as much as a whole screen's render (a catalog made one per card,
    // a third of its first render's time), using one is cheap.
    thread_local! {
        static MONEY: RefCell<HashMap<Currency, Intl::NumberFormat>> = RefCell::new(HashMap::new());
        static NUMBERS: RefCell<HashMap<NumberStyle, Intl::NumberFormat>> = RefCell::new(HashMap::new());
        static DATES: RefCell<HashMap<DateStyle, Intl::DateTimeFormat>> = RefCell::new(HashMap::new());
        static PLURALS: RefCell<Option<Intl::PluralRules>> = const { RefCell::new(None) };
    }

    pub(super) fn forget_cached() {
        MONEY.with(|m| m.borrow_mut().clear());
        NUMBERS.with(|m| m.borrow_mut().clear());
        DATES.with(|m| m.borrow_mut().clear());
        PLURALS.with(|p| *p.borrow_mut() = None);
    }

    /// Formats `value` (a decimal string) in a number style, with its formatter
    /// made the first time.
    pub(super) fn format_number(style: NumberStyle, value: &str) -> Option<String> {
        NUMBERS.with(|cache| {
            let mut cache = cache.borrow_mut();
            let f = cache.entry(style).or_insert_with(|| {
                let opts = match style {
                    NumberStyle::Integer => Object::new(),
                    NumberStyle::Tenths => options(&[("minimumFractionDigits", 1.into()), ("maximumFractionDigits", 1.into())]),
                    NumberStyle::Percent => options(&[("style", "percent".into()), ("maximumFractionDigits", 1.into())]),
                };
                Intl::NumberFormat::new(&locales(), &opts)
            });
            call_format(f, value)
        })
    }

    fn locales() -> Array {
        Array::of1(&JsValue::from_str(crate::i18n::lang()))
    }

    fn options(pairs: &[(&str, JsValue)]) -> Object {
        let o = Object::new();
        for (k, v) in pairs {
            let _ = Reflect::set(&o, &JsValue::from_str(k), v);
        }
        o
    }

    fn call_format(f: &Intl::NumberFormat, value: &str) -> Option<String> {
        f.format().call1(&JsValue::NULL, &JsValue::from_str(value)).ok()?.as_string()
    }

    pub(super) fn money(m: &Money) -> String {
        let decimal = m.to_decimal_string();
        MONEY
            .with(|cache| {
                let mut cache = cache.borrow_mut();
                let f = cache.entry(m.currency).or_insert_with(|| {
                    Intl::NumberFormat::new(
                        &locales(),
                        &options(&[("style", "currency".into()), ("currency", m.currency.code().into())]),
                    )
                });
                call_format(f, &decimal)
            })
            // Intl missing or refusing: still show an exact, readable amount.
            .unwrap_or_else(|| format!("{} {}", decimal, m.currency.code()))
    }

    pub(super) fn plural_category(count: u64) -> String {
        PLURALS.with(|p| {
            let mut p = p.borrow_mut();
            let rules = p.get_or_insert_with(|| Intl::PluralRules::new(&locales(), &Object::new()));
            // Counts are item numbers, far below 2^53, so the conversion is exact.
            rules.select(count as f64).into()
        })
    }

    /// Formats an instant in a date style, with its formatter made the first time.
    pub(super) fn format_date(style: DateStyle, t: Timestamp) -> String {
        let date = js_sys::Date::new(&JsValue::from_f64(t.0 as f64 * 1000.0));
        DATES.with(|cache| {
            let mut cache = cache.borrow_mut();
            let f = cache.entry(style).or_insert_with(|| {
                let opts = match style {
                    DateStyle::DateTime => options(&[("dateStyle", "medium".into()), ("timeStyle", "short".into())]),
                    DateStyle::Date => options(&[("dateStyle", "medium".into())]),
                };
                Intl::DateTimeFormat::new(&locales(), &opts)
            });
            f.format().call1(&JsValue::NULL, &date).ok().and_then(|v| v.as_string()).unwrap_or_default()
        })
    }

    pub(super) fn iso(t: Timestamp) -> String {
        js_sys::Date::new(&JsValue::from_f64(t.0 as f64 * 1000.0)).to_iso_string().into()
    }
}

/// What `Intl` writes in English (tests/i18n.rs compares the two in the
/// browser). Dates only natively, in UTC: the browser writes them in the
/// shopper's time zone through `Intl`.
mod english {
    use checkout_core::money::{Currency, Money};
    #[cfg(not(target_arch = "wasm32"))]
    use checkout_core::time::Timestamp;

    #[cfg(not(target_arch = "wasm32"))]
    use super::DateStyle;
    use super::NumberStyle;

    /// "1234567" as "1,234,567".
    fn grouped(digits: &str) -> String {
        let mut out = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        out
    }

    /// A decimal string with its whole part grouped.
    fn decimal(value: &str) -> String {
        let (sign, value) = value.strip_prefix('-').map_or(("", value), |v| ("-", v));
        match value.split_once('.') {
            Some((whole, fraction)) => format!("{sign}{}.{fraction}", grouped(whole)),
            None => format!("{sign}{}", grouped(value)),
        }
    }

    pub(super) fn format_number(style: NumberStyle, value: &str) -> Option<String> {
        match style {
            NumberStyle::Integer | NumberStyle::Tenths => Some(decimal(value)),
            NumberStyle::Percent => {
                // "0.986" (a share) as "98.6%": at most one decimal, none if it is 0.
                let (whole, fraction) = value.split_once('.').unwrap_or((value, "0"));
                let permille: u64 = format!("{whole}{:0<3}", &fraction[..fraction.len().min(3)]).parse().ok()?;
                let (whole, tenth) = (grouped(&(permille / 10).to_string()), permille % 10);
                Some(if tenth == 0 { format!("{whole}%") } else { format!("{whole}.{tenth}%") })
            }
        }
    }

    /// Nothing is cached natively.
    #[cfg(not(target_arch = "wasm32"))]
    pub(super) fn forget_cached() {}

    pub(super) fn money(m: &Money) -> String {
        let amount = m.to_decimal_string();
        let (sign, abs) = amount.strip_prefix('-').map_or(("", amount.as_str()), |a| ("-", a));
        let symbol = match m.currency {
            Currency::USD => "$",
            Currency::EUR => "€",
            Currency::GBP => "£",
            Currency::JPY => "¥",
            Currency::KRW => "₩",
            Currency::CNY => "CN¥",
            Currency::BRL => "R$",
            Currency::MXN => "MX$",
            Currency::CAD => "CA$",
            Currency::AUD => "A$",
            Currency::INR => "₹",
            Currency::ILS => "₪",
            // Intl writes these with their code, the sign first: "-CHF 12.00".
            other => return format!("{sign}{}\u{a0}{}", other.code(), decimal(abs)),
        };
        format!("{sign}{symbol}{}", decimal(abs))
    }

    pub(super) fn plural_category(count: u64) -> String {
        if count == 1 { "one" } else { "other" }.to_owned()
    }

    /// (year, month 1–12, day, hour, minute, second) in UTC.
    #[cfg(not(target_arch = "wasm32"))]
    fn civil(t: Timestamp) -> (i64, u32, u32, u32, u32, u32) {
        let days = t.0.div_euclid(86_400);
        let secs = t.0.rem_euclid(86_400) as u32;
        // Howard Hinnant's days-to-civil.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        (year, month, day, secs / 3600, secs / 60 % 60, secs % 60)
    }

    #[cfg(not(target_arch = "wasm32"))]
    pub(super) fn format_date(style: DateStyle, t: Timestamp) -> String {
        const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        let (year, month, day, hour, minute, _) = civil(t);
        let date = format!("{} {day}, {year}", MONTHS[month as usize - 1]);
        match style {
            DateStyle::Date => date,
            DateStyle::DateTime => {
                let (h12, half) = (if hour % 12 == 0 { 12 } else { hour % 12 }, if hour < 12 { "AM" } else { "PM" });
                format!("{date}, {h12}:{minute:02}\u{202f}{half}")
            }
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    pub(super) fn iso(t: Timestamp) -> String {
        let (year, month, day, hour, minute, second) = civil(t);
        format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.000Z")
    }

    #[cfg(all(test, not(target_arch = "wasm32")))]
    mod tests {
        use super::*;

        #[test]
        fn numbers_prices_and_dates_read_as_the_browser_writes_them_in_english() {
            assert_eq!(format_number(NumberStyle::Integer, "1234567").unwrap(), "1,234,567");
            assert_eq!(format_number(NumberStyle::Tenths, "4.8").unwrap(), "4.8");
            assert_eq!(format_number(NumberStyle::Percent, "0.986").unwrap(), "98.6%");
            assert_eq!(format_number(NumberStyle::Percent, "1.000").unwrap(), "100%");
            assert_eq!(money(&Money::new(123_450, Currency::USD)), "$1,234.50");
            assert_eq!(money(&Money::new(4_480, Currency::JPY)), "¥4,480");
            assert_eq!(money(&Money::new(-250, Currency::EUR)), "-€2.50");
            assert_eq!(money(&Money::new(-1_200, Currency::CHF)), "-CHF\u{a0}12.00");
            assert_eq!(money(&Money::new(1_200, Currency::ILS)), "₪12.00");
            assert_eq!(plural_category(1), "one");
            assert_eq!(plural_category(2), "other");
            // 2026-11-26 17:06:05 UTC
            let t = Timestamp(1_795_712_765);
            assert_eq!(iso(t), "2026-11-26T17:06:05.000Z");
            assert_eq!(format_date(DateStyle::Date, t), "Nov 26, 2026");
            assert_eq!(format_date(DateStyle::DateTime, t), "Nov 26, 2026, 5:06\u{202f}PM");
        }
    }
}
