//! Numbers, prices and plural categories through the browser's `Intl`, in the page
//! language. Money goes in as an exact decimal string, never as a float.

use std::cell::RefCell;
use std::collections::HashMap;

use checkout_core::money::{Currency, Money};
use js_sys::{Array, Intl, Object, Reflect};
use wasm_bindgen::JsValue;

thread_local! {
    static MONEY: RefCell<HashMap<Currency, Intl::NumberFormat>> = RefCell::new(HashMap::new());
    static PLURALS: RefCell<Option<Intl::PluralRules>> = const { RefCell::new(None) };
}

/// Drops the formatters made for the previous language.
pub(crate) fn forget_cached() {
    MONEY.with(|m| m.borrow_mut().clear());
    PLURALS.with(|p| *p.borrow_mut() = None);
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
    let f = Intl::NumberFormat::new(&locales(), &Object::new());
    call_format(&f, &n.to_string()).unwrap_or_else(|| n.to_string())
}

/// A value given in tenths, with one decimal ("4.8").
pub fn tenths(value: u32) -> String {
    let f = Intl::NumberFormat::new(
        &locales(),
        &options(&[("minimumFractionDigits", 1.into()), ("maximumFractionDigits", 1.into())]),
    );
    let decimal = format!("{}.{}", value / 10, value % 10);
    call_format(&f, &decimal).unwrap_or(decimal)
}

/// A share given in tenths of a percent, as a percentage ("98.6%").
pub fn percent_permille(permille: u32) -> String {
    let f = Intl::NumberFormat::new(
        &locales(),
        &options(&[("style", "percent".into()), ("maximumFractionDigits", 1.into())]),
    );
    let decimal = format!("{}.{:03}", permille / 1000, permille % 1000);
    call_format(&f, &decimal).unwrap_or_else(|| format!("{}.{}%", permille / 10, permille % 10))
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

fn date_format(options: &[(&str, JsValue)]) -> Intl::DateTimeFormat {
    Intl::DateTimeFormat::new(&locales(), &self::options(options))
}

fn format_ms(f: &Intl::DateTimeFormat, ms: f64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(ms));
    f.format().call1(&JsValue::NULL, &date).ok().and_then(|v| v.as_string()).unwrap_or_default()
}

/// "26 Nov 2026, 17:06" in the shopper's language and time zone.
pub fn date_time(t: checkout_core::time::Timestamp) -> String {
    let f = date_format(&[("dateStyle", "medium".into()), ("timeStyle", "short".into())]);
    format_ms(&f, t.0 as f64 * 1000.0)
}

/// "26 Nov 2026" in the shopper's language and time zone.
pub fn date(t: checkout_core::time::Timestamp) -> String {
    let f = date_format(&[("dateStyle", "medium".into())]);
    format_ms(&f, t.0 as f64 * 1000.0)
}

/// The machine-readable form for `<time datetime=...>`.
pub fn iso(t: checkout_core::time::Timestamp) -> String {
    js_sys::Date::new(&JsValue::from_f64(t.0 as f64 * 1000.0)).to_iso_string().into()
}
