//! Numbers, prices and plural categories through the browser's `Intl`, in the page
//! language. Money goes in as an exact decimal string, never as a float.

use std::cell::RefCell;
use std::collections::HashMap;

use checkout_core::money::{Currency, Money};
use js_sys::{Array, Intl, Object, Reflect};
use wasm_bindgen::JsValue;

// Formatters are made once per language and kept: making an `Intl` formatter
// costs about as much as a whole screen's render (a catalog made one per card,
// a third of its first render's time), using one is cheap.
thread_local! {
    static MONEY: RefCell<HashMap<Currency, Intl::NumberFormat>> = RefCell::new(HashMap::new());
    static NUMBERS: RefCell<HashMap<NumberStyle, Intl::NumberFormat>> = RefCell::new(HashMap::new());
    static DATES: RefCell<HashMap<DateStyle, Intl::DateTimeFormat>> = RefCell::new(HashMap::new());
    static PLURALS: RefCell<Option<Intl::PluralRules>> = const { RefCell::new(None) };
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
    MONEY.with(|m| m.borrow_mut().clear());
    NUMBERS.with(|m| m.borrow_mut().clear());
    DATES.with(|m| m.borrow_mut().clear());
    PLURALS.with(|p| *p.borrow_mut() = None);
}

/// Makes the formatters every screen uses (a count's plural, a whole number)
/// ahead of the first render. The first `Intl` formatter of a page loads the
/// browser's locale data, a long task on a slow phone: start-up does it in a
/// task of its own rather than inside the first render.
pub fn prepare() {
    let _ = plural_category(0);
    let _ = integer(0);
}

/// Formats `value` (a decimal string) in a number style, with its formatter
/// made the first time.
fn format_number(style: NumberStyle, value: &str) -> Option<String> {
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
    Array::of1(&JsValue::from_str(super::lang()))
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

/// "$1,234.50", "¥1,200", "1.234,50 €": the price as the page language writes it.
pub fn money(m: &Money) -> String {
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

/// A whole number with the page language's grouping ("12,000").
pub fn integer(n: u64) -> String {
    format_number(NumberStyle::Integer, &n.to_string()).unwrap_or_else(|| n.to_string())
}

/// A value given in tenths, with one decimal ("4.8").
pub fn tenths(value: u32) -> String {
    let decimal = format!("{}.{}", value / 10, value % 10);
    format_number(NumberStyle::Tenths, &decimal).unwrap_or(decimal)
}

/// A share given in tenths of a percent, as a percentage ("98.6%").
pub fn percent_permille(permille: u32) -> String {
    let decimal = format!("{}.{:03}", permille / 1000, permille % 1000);
    format_number(NumberStyle::Percent, &decimal).unwrap_or_else(|| format!("{}.{}%", permille / 10, permille % 10))
}

/// The CLDR plural category ("one", "few", "other", ...) of `count` in the page language.
pub fn plural_category(count: u64) -> String {
    PLURALS.with(|p| {
        let mut p = p.borrow_mut();
        let rules = p.get_or_insert_with(|| Intl::PluralRules::new(&locales(), &Object::new()));
        // Counts are item numbers, far below 2^53, so the conversion is exact.
        rules.select(count as f64).into()
    })
}

/// Formats an instant in a date style, with its formatter made the first time.
fn format_date(style: DateStyle, t: checkout_core::time::Timestamp) -> String {
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

/// "26 Nov 2026, 17:06" in the shopper's language and time zone.
pub fn date_time(t: checkout_core::time::Timestamp) -> String {
    format_date(DateStyle::DateTime, t)
}

/// "26 Nov 2026" in the shopper's language and time zone.
pub fn date(t: checkout_core::time::Timestamp) -> String {
    format_date(DateStyle::Date, t)
}

/// The machine-readable form for `<time datetime=...>`.
pub fn iso(t: checkout_core::time::Timestamp) -> String {
    js_sys::Date::new(&JsValue::from_f64(t.0 as f64 * 1000.0)).to_iso_string().into()
}
