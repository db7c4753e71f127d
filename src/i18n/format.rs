//! Numbers, prices and plural categories in the page language: in the
//! browser, English is written here ([`written`], what `Intl` writes) and any
//! other language goes through the browser's `Intl`; natively (the server's
//! renderer, which has no `Intl`) every language is written here. Dates go
//! through `Intl` in the browser, for the shopper's time zone. Money goes in
//! as an exact decimal string, never as a float.
//!
//! Why English is written here in the browser too: the first `Intl` formatter
//! of a page loads the browser's locale data, a long task on a slow phone
//! (about 120 ms at 4× slowdown), and the first screens show numbers and
//! prices but no date.

use checkout_core::money::Money;
use checkout_core::time::Timestamp;

/// Natively: every language written here, dates in UTC.
#[cfg(not(target_arch = "wasm32"))]
mod engine {
    use checkout_core::money::Money;
    use checkout_core::time::Timestamp;

    use super::{written, DateStyle, NumberStyle};
    pub(super) use written::iso;

    fn here() -> &'static written::Locale {
        written::locale(crate::i18n::lang())
    }

    /// Nothing is cached natively.
    pub(super) fn forget_cached() {}

    pub(super) fn format_number(style: NumberStyle, value: &str) -> Option<String> {
        written::format_number(here(), style, value)
    }

    pub(super) fn money(m: &Money) -> String {
        written::money(here(), m)
    }

    pub(super) fn plural_category(count: u64) -> String {
        written::plural_category(here(), count).to_owned()
    }

    pub(super) fn format_date(style: DateStyle, t: Timestamp) -> String {
        written::format_date(here(), style, t)
    }
}

/// In the browser: English here, other languages through `Intl`.
#[cfg(target_arch = "wasm32")]
mod engine {
    use checkout_core::money::Money;

    use super::written::{self, EN};
    use super::{intl, NumberStyle};
    pub(super) use intl::{format_date, iso};

    fn in_english() -> bool {
        crate::i18n::lang() == EN.lang
    }

    pub(super) fn forget_cached() {
        intl::forget_cached();
    }

    pub(super) fn format_number(style: NumberStyle, value: &str) -> Option<String> {
        if in_english() { written::format_number(&EN, style, value) } else { intl::format_number(style, value) }
    }

    pub(super) fn money(m: &Money) -> String {
        if in_english() { written::money(&EN, m) } else { intl::money(m) }
    }

    pub(super) fn plural_category(count: u64) -> String {
        if in_english() { written::plural_category(&EN, count).to_owned() } else { intl::plural_category(count) }
    }
}

/// How a number is written: whole, with one decimal, or as a percentage.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum NumberStyle {
    Integer,
    Tenths,
    Percent,
}

/// `Intl`'s medium date style, with or without the short time style.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateStyle {
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

/// What `Intl` writes, for each language the app has (tests/i18n.rs
/// compares the two in the browser, currency by currency): the browser uses
/// it for English, natively (the server's renderer) it writes every
/// language. Dates in UTC: the browser writes them in the shopper's time
/// zone through `Intl`.
pub mod written {
    use checkout_core::money::{Currency, Money};
    use checkout_core::time::Timestamp;

    use super::{DateStyle, NumberStyle};

    /// How a language writes numbers, prices, plurals and dates (CLDR, as
    /// Chromium's `Intl` has it).
    pub struct Locale {
        pub lang: &'static str,
        decimal: char,
        group: char,
        /// Digits a whole part has before it is grouped: 4 ("1,000"), or 5
        /// in Spanish ("1234", "12.345").
        grouped_from: usize,
        /// After the number of a percentage ("98,6 %" in Spanish).
        percent: &'static str,
        /// Before a whole price (Arabic's right-to-left mark).
        price_lead: &'static str,
        /// Before a negative price's number, or its symbol when that comes first.
        minus: &'static str,
        /// The symbol before the number ("$12.00"), or after it ("12,00 US$").
        symbol_first: bool,
        /// A currency's symbol; `None` writes its code.
        symbol: fn(Currency) -> Option<&'static str>,
        plural: fn(u64) -> &'static str,
    }

    pub const EN: Locale = Locale {
        lang: "en",
        decimal: '.',
        group: ',',
        grouped_from: 4,
        percent: "%",
        price_lead: "",
        minus: "-",
        symbol_first: true,
        symbol: |c| {
            Some(match c {
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
                _ => return None,
            })
        },
        plural: |n| if n == 1 { "one" } else { "other" },
    };

    pub const ES: Locale = Locale {
        lang: "es",
        decimal: ',',
        group: '.',
        grouped_from: 5,
        percent: "\u{a0}%",
        price_lead: "",
        minus: "-",
        symbol_first: false,
        symbol: |c| match c {
            Currency::USD => Some("US$"),
            Currency::EUR => Some("€"),
            _ => None,
        },
        plural: |n| match n {
            1 => "one",
            n if n != 0 && n % 1_000_000 == 0 => "many",
            _ => "other",
        },
    };

    pub const ZH: Locale = Locale {
        lang: "zh",
        symbol: |c| {
            Some(match c {
                Currency::USD => "US$",
                Currency::JPY => "JP¥",
                Currency::CNY => "¥",
                Currency::AUD => "AU$",
                other => return (EN.symbol)(other),
            })
        },
        plural: |_| "other",
        ..EN
    };

    pub const AR: Locale = Locale {
        lang: "ar",
        percent: "\u{200e}%\u{200e}",
        price_lead: "\u{200f}",
        minus: "\u{200e}-",
        symbol_first: false,
        symbol: |c| {
            Some(match c {
                Currency::GBP => "UK£",
                Currency::JPY => "JP¥",
                Currency::AUD => "AU$",
                Currency::USD => "US$",
                Currency::SAR => "ر.س.\u{200f}",
                Currency::KWD => "د.ك.\u{200f}",
                other => return (EN.symbol)(other),
            })
        },
        plural: |n| match (n, n % 100) {
            (0, _) => "zero",
            (1, _) => "one",
            (2, _) => "two",
            (_, 3..=10) => "few",
            (_, 11..=99) => "many",
            _ => "other",
        },
        ..EN
    };

    /// The writer of `lang`, English for a language the app does not have.
    pub fn locale(lang: &str) -> &'static Locale {
        [&EN, &ES, &ZH, &AR].into_iter().find(|l| l.lang == lang).unwrap_or(&EN)
    }

    /// "1234567" grouped as the language does ("1,234,567", "1.234.567").
    fn grouped(l: &Locale, digits: &str) -> String {
        let mut out = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && digits.len() >= l.grouped_from && (digits.len() - i).is_multiple_of(3) {
                out.push(l.group);
            }
            out.push(c);
        }
        out
    }

    /// A decimal string ("1234.5", no sign) with its whole part grouped and
    /// the language's decimal sign.
    fn decimal(l: &Locale, value: &str) -> String {
        match value.split_once('.') {
            Some((whole, fraction)) => format!("{}{}{fraction}", grouped(l, whole), l.decimal),
            None => grouped(l, value),
        }
    }

    /// `value`, a decimal string of a non-negative number, in a number style.
    pub fn format_number(l: &Locale, style: NumberStyle, value: &str) -> Option<String> {
        match style {
            NumberStyle::Integer | NumberStyle::Tenths => Some(decimal(l, value)),
            NumberStyle::Percent => {
                // "0.986" (a share) as "98.6%": at most one decimal, none if it is 0.
                let (whole, fraction) = value.split_once('.').unwrap_or((value, "0"));
                let permille: u64 = format!("{whole}{:0<3}", &fraction[..fraction.len().min(3)]).parse().ok()?;
                let number = match permille % 10 {
                    0 => (permille / 10).to_string(),
                    tenth => format!("{}.{tenth}", permille / 10),
                };
                Some(format!("{}{}", decimal(l, &number), l.percent))
            }
        }
    }

    /// A price in the language's way ("$1,234.50", "1234,50 US$").
    pub fn money(l: &Locale, m: &Money) -> String {
        let amount = m.to_decimal_string();
        let (minus, abs) = amount.strip_prefix('-').map_or(("", amount.as_str()), |a| (l.minus, a));
        let number = decimal(l, abs);
        let lead = l.price_lead;
        match ((l.symbol)(m.currency), l.symbol_first) {
            (Some(symbol), true) => format!("{lead}{minus}{symbol}{number}"),
            // A code goes first with a space: "-CHF 12.00".
            (None, true) => format!("{lead}{minus}{}\u{a0}{number}", m.currency.code()),
            (symbol, false) => format!("{lead}{minus}{number}\u{a0}{}", symbol.unwrap_or(m.currency.code())),
        }
    }

    /// The CLDR plural category of `count`.
    pub fn plural_category(l: &Locale, count: u64) -> &'static str {
        (l.plural)(count)
    }

    /// An instant in UTC, as the language writes it with `Intl`'s medium
    /// date style (and short time style). By the language's tag, not a field
    /// of its [`Locale`]: the browser writes dates with `Intl`, and leaves
    /// this out of its module.
    pub fn format_date(l: &Locale, style: DateStyle, t: Timestamp) -> String {
        let c = Civil::of(t);
        let (date, time) = match l.lang {
            "es" => {
                const MONTHS: [&str; 12] = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"];
                (format!("{} {} {}", c.day, MONTHS[c.month as usize - 1], c.year), format!(", {}:{:02}", c.hour, c.minute))
            }
            "zh" => (format!("{}年{}月{}日", c.year, c.month, c.day), format!(" {:02}:{:02}", c.hour, c.minute)),
            "ar" => (
                format!("{:02}\u{200f}/{:02}\u{200f}/{}", c.day, c.month, c.year),
                format!("\u{60c} {}:{:02} {}", c.hour12(), c.minute, if c.hour < 12 { "ص" } else { "م" }),
            ),
            _ => {
                const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
                (format!("{} {}, {}", MONTHS[c.month as usize - 1], c.day, c.year), format!(", {}:{:02} {}", c.hour12(), c.minute, if c.hour < 12 { "AM" } else { "PM" }))
            }
        };
        match style {
            DateStyle::Date => date,
            DateStyle::DateTime => date + &time,
        }
    }

    /// "2026-11-26T17:06:05.000Z".
    pub fn iso(t: Timestamp) -> String {
        let c = Civil::of(t);
        format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.000Z", c.year, c.month, c.day, c.hour, c.minute, c.second)
    }

    /// A date and time of day in UTC.
    #[derive(Clone, Copy)]
    struct Civil {
        year: i64,
        month: u32,
        day: u32,
        hour: u32,
        minute: u32,
        second: u32,
    }

    impl Civil {
        fn of(t: Timestamp) -> Civil {
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
            Civil { year, month, day, hour: secs / 3600, minute: secs / 60 % 60, second: secs % 60 }
        }

        /// The hour on a 12-hour clock (12, 1, … 11).
        fn hour12(self) -> u32 {
            if self.hour.is_multiple_of(12) { 12 } else { self.hour % 12 }
        }
    }

    #[cfg(all(test, not(target_arch = "wasm32")))]
    mod tests {
        use super::*;

        #[test]
        fn numbers_prices_and_dates_read_as_the_browser_writes_them() {
            assert_eq!(format_number(&EN, NumberStyle::Integer, "1234567").unwrap(), "1,234,567");
            assert_eq!(format_number(&EN, NumberStyle::Tenths, "4.8").unwrap(), "4.8");
            assert_eq!(format_number(&EN, NumberStyle::Percent, "0.986").unwrap(), "98.6%");
            assert_eq!(format_number(&EN, NumberStyle::Percent, "1.000").unwrap(), "100%");
            assert_eq!(money(&EN, &Money::new(123_450, Currency::USD)), "$1,234.50");
            assert_eq!(money(&EN, &Money::new(4_480, Currency::JPY)), "¥4,480");
            assert_eq!(money(&EN, &Money::new(-250, Currency::EUR)), "-€2.50");
            assert_eq!(money(&EN, &Money::new(-1_200, Currency::CHF)), "-CHF\u{a0}12.00");
            assert_eq!(plural_category(&EN, 1), "one");
            assert_eq!(plural_category(&EN, 2), "other");
            // Spanish groups from five digits, and writes the symbol after.
            assert_eq!(format_number(&ES, NumberStyle::Integer, "1234").unwrap(), "1234");
            assert_eq!(format_number(&ES, NumberStyle::Integer, "12345").unwrap(), "12.345");
            assert_eq!(format_number(&ES, NumberStyle::Percent, "0.986").unwrap(), "98,6\u{a0}%");
            assert_eq!(money(&ES, &Money::new(-123_450, Currency::USD)), "-1234,50\u{a0}US$");
            assert_eq!(money(&ES, &Money::new(1_234_567_890, Currency::GBP)), "12.345.678,90\u{a0}GBP");
            assert_eq!(plural_category(&ES, 2_000_000), "many");
            assert_eq!(money(&ZH, &Money::new(4_480, Currency::CNY)), "¥44.80");
            assert_eq!(money(&ZH, &Money::new(-1_200, Currency::CHF)), "-CHF\u{a0}12.00");
            // Arabic: a right-to-left mark first, a left-to-right mark before the minus.
            assert_eq!(money(&AR, &Money::new(-250, Currency::USD)), "\u{200f}\u{200e}-2.50\u{a0}US$");
            assert_eq!(money(&AR, &Money::new(1_500, Currency::KWD)), "\u{200f}1.500\u{a0}د.ك.\u{200f}");
            assert_eq!(format_number(&AR, NumberStyle::Percent, "0.5").unwrap(), "50\u{200e}%\u{200e}");
            let ar: Vec<&str> = [0, 1, 2, 3, 11, 100, 102].into_iter().map(|n| plural_category(&AR, n)).collect();
            assert_eq!(ar, ["zero", "one", "two", "few", "many", "other", "other"]);
            // 2026-11-26 17:06:05 UTC
            let t = Timestamp(1_795_712_765);
            assert_eq!(iso(t), "2026-11-26T17:06:05.000Z");
            assert_eq!(format_date(&EN, DateStyle::Date, t), "Nov 26, 2026");
            assert_eq!(format_date(&EN, DateStyle::DateTime, t), "Nov 26, 2026, 5:06 PM");
            assert_eq!(format_date(&ES, DateStyle::DateTime, t), "26 nov 2026, 17:06");
            assert_eq!(format_date(&ZH, DateStyle::DateTime, t), "2026年11月26日 17:06");
            assert_eq!(format_date(&AR, DateStyle::DateTime, t), "26\u{200f}/11\u{200f}/2026\u{60c} 5:06 م");
            assert_eq!(locale("fr").lang, "en", "a language the app does not have is written in English");
            for lang in crate::i18n::LANGUAGES {
                assert_eq!(locale(lang).lang, *lang, "every language the app has is written natively");
            }
        }
    }
}
