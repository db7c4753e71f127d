//! The message layer: every string a shopper reads comes from a message file in
//! `locales/` through [`t`], [`tf`] or [`tp`], and every number, price or date is
//! written for the page language ([`format`]): in the browser by its `Intl`
//! (English numbers and prices by the app's own writer, which natively, on
//! the server, writes every language).
//!
//! Message files are flat JSON objects, key to text. `{name}` marks an argument.
//! Plural forms are keys with a CLDR category suffix (`cart.items.one`,
//! `cart.items.other`), chosen by the language's plural rules (`Intl.PluralRules`
//! in the browser), so each language gets its own without shipping CLDR data
//! in the bundle.

pub mod format;
pub mod rules;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// The languages the interface speaks, by BCP 47 tag; the first is the
/// fallback and the only one inside the bundle. The others are fetched from
/// `/locales/<tag>.json` at start, so a language adds no bytes for the shoppers
/// who do not use it.
pub use crate::state::keys::LANGUAGES;
// Compacted by build.rs: in a split build, only the messages of the catalog,
// a product, the cart and the shell; the rest comes with the other screens
// ([`load_all_messages`]).
const ENGLISH: &str = include_str!(concat!(env!("OUT_DIR"), "/en.json"));
/// Whether [`ENGLISH`] holds every message.
const ENGLISH_COMPLETE: bool = !cfg!(feature = "split");
/// Where the shopper's own choice of language is kept.
pub use crate::state::keys::LANG as LANG_KEY;

pub struct Messages {
    lang: &'static str,
    map: HashMap<String, String>,
    fallback: Option<Rc<Messages>>,
}

impl Messages {
    fn load(lang: &'static str, raw: &str, fallback: Option<Rc<Messages>>) -> Messages {
        // The files are checked by a native test; a broken one falls back to English.
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
    /// Whether every message the screens use is here.
    static ALL_HERE: std::cell::Cell<bool> = const { std::cell::Cell::new(ENGLISH_COMPLETE) };
    /// The download of the whole English file while it runs, which every
    /// screen (and the prefetch) asking meanwhile waits on.
    static FETCHING: RefCell<Option<js_sys::Promise>> = const { RefCell::new(None) };
}

/// The supported language for a tag ("es-MX" → "es"), if any.
pub fn supported(tag: &str) -> Option<&'static str> {
    let primary = tag.split(['-', '_']).next()?;
    LANGUAGES.iter().copied().find(|l| l.eq_ignore_ascii_case(primary))
}

/// Picks the first of the browser's languages that has a message file.
pub fn negotiate(preferred: &[String]) -> &'static str {
    preferred.iter().find_map(|tag| supported(tag)).unwrap_or(LANGUAGES[0])
}

/// The language to show: the shopper's choice if they made one, else the
/// browser's preference.
pub fn chosen_language() -> &'static str {
    crate::browser::storage_get(LANG_KEY)
        .and_then(|l| supported(&l))
        .unwrap_or_else(|| negotiate(&crate::browser::preferred_languages()))
}

fn messages() -> Rc<Messages> {
    CURRENT.with(|c| c.borrow_mut().get_or_insert_with(|| Rc::new(Messages::load(LANGUAGES[0], ENGLISH, None))).clone())
}

/// Shows the interface in `lang` with the messages in `raw` (a flat JSON
/// object), English filling any gap. An unsupported tag keeps English.
pub fn install(lang: &str, raw: &str) {
    let english = Rc::new(Messages::load(LANGUAGES[0], ENGLISH, None));
    let messages = match supported(lang) {
        Some(l) if l != LANGUAGES[0] => Rc::new(Messages::load(l, raw, Some(english))),
        _ => english,
    };
    // English, whole, also fills another language's gaps.
    ALL_HERE.with(|a| a.set(ENGLISH_COMPLETE));
    CURRENT.with(|c| *c.borrow_mut() = Some(messages));
    format::forget_cached();
    if let Some(root) = crate::browser::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("lang", lang_of_current());
        let _ = root.set_attribute("dir", dir(lang_of_current()));
    }
}

/// Whether `lang` is written right to left (the page then has `dir="rtl"`;
/// the styles use logical properties, so the layout mirrors by itself).
pub fn is_rtl(lang: &str) -> bool {
    lang == "ar"
}

/// The page's `dir` in `lang`: set by the app as it runs, and by a server
/// that draws a screen into the page before it (`render::page_with_screen`).
pub fn dir(lang: &str) -> &'static str {
    if is_rtl(lang) { "rtl" } else { "ltr" }
}

fn lang_of_current() -> &'static str {
    messages().lang
}

/// Loads the chosen language before the first screen is drawn. A file that
/// cannot be fetched or read leaves the interface in English.
pub async fn init() {
    let lang = chosen_language();
    if let Some(chosen) = crate::browser::storage_get(LANG_KEY).and_then(|l| supported(&l)) {
        remember_for_the_server(chosen);
    }
    if lang == LANGUAGES[0] {
        install(lang, ENGLISH);
        return;
    }
    match fetch_text(&format!("/locales/{lang}.json")).await {
        Some(raw) if serde_json::from_str::<HashMap<String, String>>(&raw).is_ok() => install(lang, &raw),
        _ => install(LANGUAGES[0], ENGLISH),
    }
}

async fn fetch_text(url: &str) -> Option<String> {
    read_text(crate::browser::window()?.fetch_with_str(url)).await
}

async fn read_text(fetching: js_sys::Promise) -> Option<String> {
    use wasm_bindgen::JsCast;
    let response = wasm_bindgen_futures::JsFuture::from(fetching).await.ok()?;
    let response: web_sys::Response = response.dyn_into().ok()?;
    if !response.ok() {
        return None;
    }
    // A copy of the body: several readers may wait on one download.
    let body = response.clone().ok()?;
    wasm_bindgen_futures::JsFuture::from(body.text().ok()?).await.ok()?.as_string()
}

/// Whether every message is here: always, but in a split build before
/// [`load_all_messages`] finished (English, or the English that fills
/// another language's gaps).
pub fn all_messages_here() -> bool {
    ALL_HERE.with(std::cell::Cell::get)
}

/// Brings the English messages a split build leaves out of the bundle
/// (those of the checkout and the payment, and of the screens after it: an
/// order, its timeline, disputes, returns, feedback); a lazily loaded screen
/// that uses them waits for them with its module (`pages::lazy`).
/// The download starts at the call, not at the first poll, so it runs beside
/// the module's. `false` if it could not be fetched (the screen offers Retry).
pub fn load_all_messages() -> impl std::future::Future<Output = bool> {
    let fetching = if all_messages_here() {
        None
    } else {
        FETCHING.with(|f| {
            let mut f = f.borrow_mut();
            if f.is_none() {
                *f = crate::browser::window().map(|w| w.fetch_with_str("/locales/en.json"));
            }
            f.clone()
        })
    };
    async move {
        let Some(fetching) = fetching else { return all_messages_here() };
        let raw = read_text(fetching).await;
        // Done, either way: a failed download is tried again at the next ask.
        FETCHING.with(|f| f.borrow_mut().take());
        if all_messages_here() {
            return true;
        }
        let Some(fetched) = raw.and_then(|raw| serde_json::from_str::<HashMap<String, String>>(&raw).ok()) else {
            return false;
        };
        // Over the embedded messages: a file older than the bundle drops none.
        let mut map: HashMap<String, String> = serde_json::from_str(ENGLISH).unwrap_or_default();
        map.extend(fetched);
        let english = Rc::new(Messages { lang: LANGUAGES[0], map, fallback: None });
        CURRENT.with(|c| {
            let mut current = c.borrow_mut();
            *current = Some(match current.as_ref() {
                // English fills another language's gaps.
                Some(m) if m.lang != LANGUAGES[0] => Rc::new(Messages { lang: m.lang, map: m.map.clone(), fallback: Some(english) }),
                _ => english,
            });
        });
        ALL_HERE.with(|a| a.set(true));
        true
    }
}

/// Remembers the shopper's language and starts the interface again in it
/// (everything typed is kept: the cart and the checkout draft are stored).
pub fn choose_language(lang: &str) {
    if let Some(l) = supported(lang) {
        crate::browser::storage_set(LANG_KEY, l);
        remember_for_the_server(l);
        if let Some(w) = crate::browser::window() {
            let _ = w.location().reload();
        }
    }
}

/// The shopper's choice as a cookie too: a server that draws the first
/// screen into the page (crates/order-api, `pages.rs`) draws it only in the
/// language the app will show.
fn remember_for_the_server(lang: &str) {
    crate::browser::set_cookie(LANG_KEY, lang);
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
    let m = messages();
    fill(m.get(key).unwrap_or(key), args, is_rtl(m.lang))
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
    fill(&text, &all, is_rtl(m.lang))
}

/// `template` with its arguments. In a right-to-left language each argument
/// is set apart (first-strong isolate): an order number, a phone number or a
/// price keeps its own direction inside the sentence instead of being
/// reordered with the words around it.
fn fill(template: &str, args: &[(&str, &str)], isolate: bool) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, v)) if isolate => {
                        out.push('\u{2068}');
                        out.push_str(v);
                        out.push('\u{2069}');
                    }
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
        assert_eq!(fill("Hello {name}!", &[("name", "Ana")], false), "Hello Ana!");
        assert_eq!(fill("{a}{b}", &[("a", "1"), ("b", "2")], false), "12");
        assert_eq!(fill("Hi {who}", &[], false), "Hi {who}");
        assert_eq!(fill("brace { open", &[], false), "brace { open");
        assert_eq!(fill("الطلب {n}", &[("n", "8123")], true), "الطلب \u{2068}8123\u{2069}");
    }

    #[test]
    fn an_argument_is_inserted_as_text_not_reinterpreted() {
        assert_eq!(fill("{a}", &[("a", "{b}")], false), "{b}");
    }

    #[test]
    fn negotiates_by_primary_language_and_falls_back_to_english() {
        assert_eq!(negotiate(&["en-GB".into()]), "en");
        assert_eq!(negotiate(&["es-MX".into(), "en".into()]), "es");
        assert_eq!(negotiate(&["fr".into(), "zh-Hans-CN".into()]), "zh");
        assert_eq!(negotiate(&["xx".into()]), "en");
        assert_eq!(negotiate(&[]), "en");
    }
}
