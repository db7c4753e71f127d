//! The interface in each language: messages, plural forms by the language's
//! own rules, prices and dates in that language (English numbers written by
//! the app exactly as Intl writes them, the rest through Intl), and `<html lang>`.

mod support;

use checkout_app::i18n::{self, format, t, tf, tp};
use checkout_core::money::{Currency, Money};
use support::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const EN: &str = include_str!("../locales/en.json");
const ES: &str = include_str!("../locales/es.json");
const ZH: &str = include_str!("../locales/zh.json");
const AR: &str = include_str!("../locales/ar.json");

fn html_lang() -> String {
    document().document_element().unwrap().get_attribute("lang").unwrap_or_default()
}

fn html_dir() -> String {
    document().document_element().unwrap().get_attribute("dir").unwrap_or_default()
}

#[wasm_bindgen_test]
async fn spanish_has_its_words_its_plurals_and_its_number_format() {
    i18n::install("es", ES);
    assert_eq!(html_lang(), "es");
    assert_eq!(t("cart.heading"), "Tu carrito");
    assert_eq!(tp("cart.items", 1, &[]), "1 artículo");
    assert_eq!(tp("cart.items", 2, &[]), "2 artículos");
    assert_eq!(format::money(&Money::new(123_450, Currency::EUR)), "1234,50\u{a0}€");
    let app = mount_at("/cart", None, |_| {}).await;
    app.wait_for("h1").await;
    assert_eq!(app.text("h1"), "Tu carrito");
    assert_eq!(app.text("label[for=lang-select]"), "Idioma");
    drop(app);
    i18n::install("en", EN);
}

#[wasm_bindgen_test]
async fn chinese_has_one_plural_form_and_its_own_script() {
    i18n::install("zh", ZH);
    assert_eq!(html_lang(), "zh");
    assert_eq!(tp("cart.items", 1, &[]), "1件商品");
    assert_eq!(tp("cart.items", 3, &[]), "3件商品");
    assert_eq!(format::money(&Money::new(4480, Currency::JPY)), "JP¥4,480");
    let app = mount_at("/checkout", None, |_| {}).await;
    app.wait_for("h1").await;
    assert_eq!(app.text("h1"), "结算");
    drop(app);
    i18n::install("en", EN);
    assert_eq!(html_lang(), "en");
    assert_eq!(tp("cart.items", 1, &[]), "1 item");
}

/// Formatters are kept between calls (making one is costly): they are made
/// again in the new language when it changes, never left in the old one.
#[wasm_bindgen_test]
fn kept_formatters_follow_a_change_of_language() {
    use checkout_core::time::Timestamp;
    i18n::install("en", EN);
    let english = (format::percent_permille(982), format::tenths(48), format::integer(12_000), format::date(Timestamp(1_700_000_000)));
    assert_eq!((english.0.as_str(), english.1.as_str(), english.2.as_str()), ("98.2%", "4.8", "12,000"));
    assert_eq!(format::percent_permille(982), english.0, "the same again from the kept formatter");
    i18n::install("es", ES);
    assert_eq!(format::percent_permille(982), "98,2\u{a0}%");
    assert_eq!(format::tenths(48), "4,8");
    assert_eq!(format::integer(12_000), "12.000");
    assert_ne!(format::date(Timestamp(1_700_000_000)), english.3, "a date in Spanish");
    // From one language `Intl` writes to another: Spanish formatters are not kept.
    i18n::install("zh", ZH);
    assert_eq!(format::integer(12_000), "12,000");
    assert_eq!(format::percent_permille(982), "98.2%");
    i18n::install("es", ES);
    assert_eq!(format::integer(12_000), "12.000");
    i18n::install("en", EN);
    assert_eq!(format::percent_permille(982), "98.2%");
    assert_eq!(format::date(Timestamp(1_700_000_000)), english.3);
}

/// English numbers and prices are written by the app itself, not `Intl` (the
/// locale data `Intl` loads first is a long task on a slow phone): they must
/// read exactly as `Intl` writes them, in every currency.
#[wasm_bindgen_test]
fn english_numbers_and_prices_read_exactly_as_intl_writes_them() {
    use js_sys::{Array, Intl, Object, Reflect};
    use wasm_bindgen::JsValue;
    i18n::install("en", EN);
    let intl = |options: &[(&str, JsValue)], value: &str| {
        let o = Object::new();
        for (k, v) in options {
            Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
        }
        let f = Intl::NumberFormat::new(&Array::of1(&JsValue::from_str("en")), &o);
        f.format().call1(&JsValue::NULL, &JsValue::from_str(value)).unwrap().as_string().unwrap()
    };
    for currency in Currency::ALL {
        for minor in [0, 1, 99, 12_345, 123_456_789, -250, -1_200_000] {
            let m = Money::new(minor, currency);
            let expected = intl(&[("style", "currency".into()), ("currency", currency.code().into())], &m.to_decimal_string());
            assert_eq!(format::money(&m), expected, "{currency:?} {minor}");
        }
    }
    for n in [0, 7, 999, 1_000, 12_000, 1_234_567, 9_876_543_210] {
        assert_eq!(format::integer(n), intl(&[], &n.to_string()), "{n}");
    }
    for tenths in [0, 5, 48, 10_000, 123_456] {
        let decimal = format!("{}.{}", tenths / 10, tenths % 10);
        let expected = intl(&[("minimumFractionDigits", 1.into()), ("maximumFractionDigits", 1.into())], &decimal);
        assert_eq!(format::tenths(tenths), expected, "{tenths}");
    }
    for permille in [0, 1, 500, 982, 999, 1_000, 12_345] {
        let decimal = format!("{}.{:03}", permille / 1000, permille % 1000);
        let expected = intl(&[("style", "percent".into()), ("maximumFractionDigits", 1.into())], &decimal);
        assert_eq!(format::percent_permille(permille), expected, "{permille}");
    }
    let rules = Intl::PluralRules::new(&Array::of1(&JsValue::from_str("en")), &Object::new());
    for n in [0, 1, 2, 11, 21, 101] {
        assert_eq!(format::plural_category(n), String::from(rules.select(n as f64)), "{n}");
    }
}

/// The server draws the first screens natively, where there is no `Intl`, in
/// the shopper's language: each language's writer must read exactly as
/// `Intl` writes it, for every currency, count and date (in UTC, as the
/// server has no time zone for the shopper).
#[wasm_bindgen_test]
fn every_language_is_written_natively_exactly_as_intl_writes_it() {
    use checkout_core::time::Timestamp;
    use format::{written, DateStyle, NumberStyle};
    use js_sys::{Array, Intl, Object, Reflect};
    use wasm_bindgen::JsValue;
    let options = |pairs: &[(&str, JsValue)]| {
        let o = Object::new();
        for (k, v) in pairs {
            Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
        }
        o
    };
    for &lang in i18n::LANGUAGES {
        let l = written::locale(lang);
        assert_eq!(l.lang, lang);
        let locales = Array::of1(&JsValue::from_str(lang));
        let intl = |pairs: &[(&str, JsValue)], value: &str| {
            let f = Intl::NumberFormat::new(&locales, &options(pairs));
            f.format().call1(&JsValue::NULL, &JsValue::from_str(value)).unwrap().as_string().unwrap()
        };
        for currency in Currency::ALL {
            // 123_450: four digits before the decimal sign, which Spanish does not group.
            for minor in [0, 1, 99, 12_345, 123_450, 123_456_789, -250, -1_200_000] {
                let m = Money::new(minor, currency);
                let expected = intl(&[("style", "currency".into()), ("currency", currency.code().into())], &m.to_decimal_string());
                assert_eq!(written::money(l, &m), expected, "{lang} {currency:?} {minor}");
            }
        }
        for n in [0u64, 7, 999, 1_000, 9_999, 12_000, 1_234_567, 9_876_543_210] {
            assert_eq!(written::format_number(l, NumberStyle::Integer, &n.to_string()).unwrap(), intl(&[], &n.to_string()), "{lang} {n}");
        }
        for tenths in [0, 5, 48, 10_000, 123_456] {
            let decimal = format!("{}.{}", tenths / 10, tenths % 10);
            let expected = intl(&[("minimumFractionDigits", 1.into()), ("maximumFractionDigits", 1.into())], &decimal);
            assert_eq!(written::format_number(l, NumberStyle::Tenths, &decimal).unwrap(), expected, "{lang} {tenths}");
        }
        for permille in [0, 1, 500, 982, 999, 1_000, 12_345] {
            let decimal = format!("{}.{:03}", permille / 1000, permille % 1000);
            let expected = intl(&[("style", "percent".into()), ("maximumFractionDigits", 1.into())], &decimal);
            assert_eq!(written::format_number(l, NumberStyle::Percent, &decimal).unwrap(), expected, "{lang} {permille}");
        }
        let rules = Intl::PluralRules::new(&locales, &Object::new());
        for n in [0u64, 1, 2, 3, 10, 11, 21, 99, 100, 101, 102, 111, 1_000_000, 2_000_000] {
            assert_eq!(written::plural_category(l, n), String::from(rules.select(n as f64)), "{lang} {n}");
        }
        // Every month, midnight, noon and the hours either side, a leap day.
        let mut instants: Vec<i64> = (0..12).map(|m| 1_767_225_600 + m * 31 * 86_400 + 7 * 60).collect();
        instants.extend([0, 11, 12, 13, 23].map(|h| 1_795_651_200 + h * 3_600 + 5 * 60 + 9));
        instants.push(1_709_208_000); // 2024-02-29 12:00
        for (style, pairs) in [
            (DateStyle::Date, vec![("dateStyle", JsValue::from("medium"))]),
            (DateStyle::DateTime, vec![("dateStyle", "medium".into()), ("timeStyle", "short".into())]),
        ] {
            let mut pairs = pairs;
            pairs.push(("timeZone", "UTC".into()));
            let f = Intl::DateTimeFormat::new(&locales, &options(&pairs));
            for t in &instants {
                let date = js_sys::Date::new(&JsValue::from_f64(*t as f64 * 1000.0));
                let expected = f.format().call1(&JsValue::NULL, &date).unwrap().as_string().unwrap();
                assert_eq!(written::format_date(l, style, Timestamp(*t)), expected, "{lang} {t}");
            }
        }
    }
}

#[wasm_bindgen_test]
fn a_broken_language_file_falls_back_to_english_text_not_keys() {
    i18n::install("es", "{ not json");
    assert_eq!(t("cart.heading"), "Your cart");
    i18n::install("en", EN);
}

#[wasm_bindgen_test]
fn languages_are_negotiated_from_the_browser_and_unknown_tags_ignored() {
    assert_eq!(i18n::negotiate(&["es-MX".into()]), "es");
    assert_eq!(i18n::negotiate(&["zh-Hant-TW".into()]), "zh");
    assert_eq!(i18n::negotiate(&["de-DE".into(), "fr".into()]), "en");
    assert_eq!(i18n::supported("<script>"), None);
}

/// Arabic: the page turns right to left, each of Arabic's six plural forms
/// is chosen by the browser's rules (0, 1, 2, 3–10, 11–99, 100 and more),
/// numbers come from Intl for `ar`, and an order number inside a sentence is
/// set apart so it keeps reading left to right.
#[wasm_bindgen_test]
async fn arabic_reads_right_to_left_with_six_plural_forms_and_numbers_kept_left_to_right() {
    i18n::install("ar", AR);
    assert_eq!((html_lang(), html_dir()), ("ar".to_owned(), "rtl".to_owned()));
    let file: serde_json::Map<String, serde_json::Value> = serde_json::from_str(AR).unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for (n, category) in [(0, "zero"), (1, "one"), (2, "two"), (3, "few"), (11, "many"), (100, "other")] {
        let want = file[&format!("cart.items.{category}")].as_str().unwrap().replace("{count}", &format!("\u{2068}{}\u{2069}", format::integer(n)));
        assert_eq!(tp("cart.items", n, &[]), want, "{n} takes the {category} form");
        seen.insert(want);
    }
    assert_eq!(seen.len(), 6, "six different forms: {seen:?}");
    let intl = js_sys::Intl::NumberFormat::new(&js_sys::Array::of1(&"ar".into()), &js_sys::Object::new());
    let twelve = intl.format().call1(&wasm_bindgen::JsValue::NULL, &12.into()).unwrap().as_string().unwrap();
    assert_eq!(format::integer(12), twelve, "numbers as Intl writes them in Arabic");
    let title = tf("order.title", &[("number", "8123456789012")]);
    assert!(title.contains("\u{2068}8123456789012\u{2069}"), "{title:?}");
    assert!(title.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)), "the words are Arabic: {title}");

    let app = mount_at("/cart", None, |_| {}).await;
    app.wait_for("h1").await;
    assert_eq!(app.text("h1"), t("cart.heading"));
    assert_ne!(app.text("h1"), "Your cart");
    drop(app);
    i18n::install("en", EN);
    assert_eq!((html_lang(), html_dir()), ("en".to_owned(), "ltr".to_owned()));
}
