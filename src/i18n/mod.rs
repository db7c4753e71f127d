//! The message layer: every string a shopper reads comes from a message file in
//! `locales/` through [`t`], [`tf`] or [`tp`], and every number, price or date is
//! formatted by the browser's `Intl` for the page language ([`format`]).
//!
//! Message files are flat JSON objects, key to text. `{name}` marks an argument.
//! Plural forms are keys with a CLDR category suffix (`cart.items.one`,
//! `cart.items.other`), chosen by the browser's `Intl.PluralRules`, so each
//! language gets its own plural rules without shipping CLDR data in the bundle.

pub mod format;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// The languages the app has message files for; the first is the fallback.
pub const LANGUAGES: &[(&str, &str)] = &[("en", include_str!("../../locales/en.json"))];

pub struct Messages {
    lang: &'static str,
    map: HashMap<String, String>,
    fallback: Option<Rc<Messages>>,
}

impl Messages {
    fn load(lang: &'static str, raw: &str, fallback: Option<Rc<Messages>>) -> Messages {
        // The files are checked by a native test; a broken one shows keys, not a crash.
        let map = serde_json::from_str(raw).unwrap_or_default();
        Messages { lang, map, fallback }
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.map
            .get(key)
            .map(String::as_str)
            .or_else(|| self.fallback.as_ref().and_then(|f| f.get(key)))
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Rc<Messages>>> = const { RefCell::new(None) };
}

/// Picks the first of the browser's languages that has a message file.
pub fn negotiate(preferred: &[String]) -> &'static str {
    preferred
        .iter()
        .filter_map(|tag| tag.split(['-', '_']).next())
        .find_map(|primary| {
            LANGUAGES
                .iter()
                .find(|(l, _)| l.eq_ignore_ascii_case(primary))
                .map(|(l, _)| *l)
        })
        .unwrap_or(LANGUAGES[0].0)
}

fn messages() -> Rc<Messages> {
    CURRENT.with(|c| {
        c.borrow_mut()
            .get_or_insert_with(|| {
                let lang = negotiate(&crate::browser::preferred_languages());
                load_language(lang)
            })
            .clone()
    })
}

fn load_language(lang: &'static str) -> Rc<Messages> {
    let (base_lang, base_raw) = LANGUAGES[0];
    let base = Rc::new(Messages::load(base_lang, base_raw, None));
    match LANGUAGES.iter().find(|(l, _)| *l == lang) {
        Some((l, raw)) if *l != base_lang => Rc::new(Messages::load(l, raw, Some(base))),
        _ => base,
    }
}

/// The language the interface is shown in (a BCP 47 tag for `Intl`).
pub fn lang() -> &'static str {
    messages().lang
}

/// The name of a product option's kind, as its legend and cart lines show it.
pub fn option_kind(kind: checkout_core::catalog::OptionKind) -> String {
    t(match kind {
        checkout_core::catalog::OptionKind::Size => "product.option.size",
        checkout_core::catalog::OptionKind::Colour => "product.option.colour",
    })
}

/// The text for `key`. An unknown key shows itself, so a gap is visible, not blank.
pub fn t(key: &str) -> String {
    messages().get(key).unwrap_or(key).to_owned()
}

/// The text for `key` with `{name}` arguments filled in.
pub fn tf(key: &str, args: &[(&str, &str)]) -> String {
    fill(&t(key), args)
}

/// The plural form of `key` for `count` (its `{count}` formatted for the page
/// language), with further arguments filled in.
pub fn tp(key: &str, count: u64, args: &[(&str, &str)]) -> String {
    let m = messages();
    let category = format::plural_category(count);
    let text = m
        .get(&format!("{key}.{category}"))
        .or_else(|| m.get(&format!("{key}.other")))
        .unwrap_or(key)
        .to_owned();
    let count_text = format::integer(count);
    let mut all = vec![("count", count_text.as_str())];
    all.extend_from_slice(args);
    fill(&text, &all)
}

fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;
    wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

    #[test]
    fn fills_named_arguments_and_leaves_unknown_ones_visible() {
        assert_eq!(fill("Hello {name}!", &[("name", "Ana")]), "Hello Ana!");
        assert_eq!(fill("{a}{b}", &[("a", "1"), ("b", "2")]), "12");
        assert_eq!(fill("Hi {who}", &[]), "Hi {who}");
        assert_eq!(fill("brace { open", &[]), "brace { open");
    }

    #[test]
    fn an_argument_is_inserted_as_text_not_reinterpreted() {
        assert_eq!(fill("{a}", &[("a", "{b}")]), "{b}");
    }

    #[test]
    fn negotiates_by_primary_language_and_falls_back_to_english() {
        assert_eq!(negotiate(&["en-GB".into()]), "en");
        assert_eq!(negotiate(&["xx".into()]), "en");
        assert_eq!(negotiate(&[]), "en");
    }
}
