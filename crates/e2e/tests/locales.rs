//! Every message key the app uses exists in every message file, and every file
//! has the same keys, so no shopper ever sees a raw key.

use std::collections::BTreeSet;
use std::path::Path;

fn keys_in(file: &Path) -> BTreeSet<String> {
    let raw = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let map: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&raw).unwrap_or_else(|e| panic!("{} is not a flat JSON object: {e}", file.display()));
    for (k, v) in &map {
        assert!(v.is_string(), "{}: {k} is not text", file.display());
        assert!(!v.as_str().unwrap_or_default().trim().is_empty(), "{}: {k} is empty", file.display());
        assert!(!v.as_str().unwrap_or_default().contains('<'), "{}: {k} has markup; messages are plain text", file.display());
    }
    map.keys().cloned().collect()
}

/// String literals in the app and the core crates that look like message keys
/// (`"area.name"`), each with whether it is passed straight to `t`, `tf` or `tp`.
fn keys_used() -> BTreeSet<(String, bool)> {
    let mut files = Vec::new();
    files.extend(e2e::rust_files(&e2e::workspace_root().join("src")));
    files.extend(e2e::rust_files(&e2e::workspace_root().join("crates/checkout-core/src")));
    files.extend(e2e::rust_files(&e2e::workspace_root().join("crates/checkout-api/src")));
    let mut used = BTreeSet::new();
    for f in files {
        let src = std::fs::read_to_string(&f).expect("read");
        let pieces: Vec<&str> = src.split('"').collect();
        for i in (1..pieces.len()).step_by(2) {
            let lit = pieces[i];
            let is_key = lit.contains('.')
                && lit.split('.').all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
            if is_key {
                let before = pieces[i - 1];
                let direct = ["t(", "tf(", "tp("].iter().any(|p| before.ends_with(p));
                used.insert((lit.to_string(), direct));
            }
        }
    }
    used
}

#[test]
fn every_key_used_in_the_app_has_a_message() {
    let en = keys_in(&e2e::workspace_root().join("locales/en.json"));
    // A literal counts when it is passed to t/tf/tp, or is in a namespace the
    // messages use ("cart.", "validation.", ...): file names in tests
    // ("photo.jpg") are neither.
    let namespaces: BTreeSet<&str> = en.iter().filter_map(|k| k.split('.').next()).collect();
    let used: BTreeSet<String> = keys_used()
        .into_iter()
        .filter(|(k, direct)| *direct || k.split('.').next().is_some_and(|n| namespaces.contains(n)))
        .map(|(k, _)| k)
        .collect();
    assert!(used.len() > 40, "the scan found too few keys ({}); is it still looking at src/?", used.len());
    let missing: Vec<_> = used
        .iter()
        .filter(|k| !en.contains(*k) && !en.contains(&format!("{k}.other")))
        .collect();
    assert!(missing.is_empty(), "keys used in src/ but missing in locales/en.json: {missing:?}");
}

#[test]
fn every_message_file_has_the_same_keys() {
    let dir = e2e::workspace_root().join("locales");
    let en = keys_in(&dir.join("en.json"));
    for entry in std::fs::read_dir(&dir).expect("locales/") {
        let path = entry.expect("entry").path();
        let keys = keys_in(&path);
        // Plural forms differ by language (one/few/many/other); compare the bases.
        let base = |set: &BTreeSet<String>| -> BTreeSet<String> {
            set.iter()
                .map(|k| {
                    for cat in [".zero", ".one", ".two", ".few", ".many", ".other"] {
                        if let Some(b) = k.strip_suffix(cat) {
                            return b.to_string();
                        }
                    }
                    k.clone()
                })
                .collect()
        };
        assert_eq!(base(&keys), base(&en), "{} differs from en.json", path.display());
    }
}

fn flat(file: &str) -> serde_json::Map<String, serde_json::Value> {
    let raw = std::fs::read_to_string(e2e::workspace_root().join("locales").join(file)).expect("read");
    serde_json::from_str(&raw).expect("flat JSON")
}

/// `{name}` arguments of a message.
fn placeholders(text: &str) -> BTreeSet<String> {
    text.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string())).collect()
}

/// The key of a plural form's base ("cart.items.one" → "cart.items").
fn base_key(key: &str) -> &str {
    for cat in [".zero", ".one", ".two", ".few", ".many", ".other"] {
        if let Some(b) = key.strip_suffix(cat) {
            return b;
        }
    }
    key
}

#[test]
fn every_translation_keeps_the_arguments_of_the_english_text() {
    let en = flat("en.json");
    for file in ["es.json", "zh.json", "ar.json"] {
        let other = flat(file);
        for (key, text) in &other {
            // A plural form is compared with the English "other" form of its base.
            let english = en.get(key).or_else(|| en.get(&format!("{}.other", base_key(key)))).unwrap_or_else(|| panic!("{file}: {key} is not in en.json"));
            let (want, have) = (placeholders(english.as_str().unwrap_or_default()), placeholders(text.as_str().unwrap_or_default()));
            // "{count}" may be left out of a singular form ("un artículo"),
            // and of Arabic's dual ("منتجان", two products) and zero forms.
            let says_its_count = [".one", ".two", ".zero"].iter().any(|c| key.ends_with(c));
            let missing: Vec<_> = want.difference(&have).filter(|p| !(p.as_str() == "count" && says_its_count)).collect();
            assert!(missing.is_empty(), "{file}: {key} lost {missing:?}");
            assert!(have.is_subset(&want), "{file}: {key} has arguments English does not give: {:?}", have.difference(&want).collect::<Vec<_>>());
        }
    }
}

#[test]
fn nothing_is_left_in_english() {
    let en = flat("en.json");
    // Names that are the same in every language, and words Spanish shares.
    let same_everywhere = |key: &str| {
        ["card.brand.", "lang.", "country.", "app.store_name", "cart.option", "form.summary_line"].iter().any(|p| key.starts_with(p))
    };
    let es = flat("es.json");
    let shared_with_spanish = ["cart.total", "cart.seller_subtotal", "order.total.total", "order.range"];
    let untranslated: Vec<&String> = es
        .iter()
        .filter(|(k, v)| en.get(*k) == Some(*v) && !same_everywhere(k) && !shared_with_spanish.contains(&k.as_str()))
        .map(|(k, _)| k)
        .collect();
    assert!(untranslated.is_empty(), "es.json still in English: {untranslated:?}");
    let zh = flat("zh.json");
    let no_chinese: Vec<&String> = zh
        .iter()
        .filter(|(k, v)| !same_everywhere(k) && !v.as_str().unwrap_or_default().chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)))
        .map(|(k, _)| k)
        .collect();
    assert!(no_chinese.is_empty(), "zh.json has messages with no Chinese: {no_chinese:?}");
    let ar = flat("ar.json");
    let no_arabic: Vec<&String> = ar
        .iter()
        .filter(|(k, v)| !same_everywhere(k) && k.as_str() != "order.range" && !v.as_str().unwrap_or_default().chars().any(|c| ('\u{0600}'..='\u{06ff}').contains(&c)))
        .map(|(k, _)| k)
        .collect();
    assert!(no_arabic.is_empty(), "ar.json has messages with no Arabic: {no_arabic:?}");
}

/// Arabic has six plural categories; each plural message has all six.
#[test]
fn arabic_has_every_plural_form() {
    let en = flat("en.json");
    let ar = flat("ar.json");
    // A base with a ".one" form is a plural ("cancel.reason.other" is not).
    for base in en.keys().filter_map(|k| k.strip_suffix(".other")).filter(|b| en.contains_key(&format!("{b}.one"))) {
        for cat in ["zero", "one", "two", "few", "many", "other"] {
            assert!(ar.contains_key(&format!("{base}.{cat}")), "ar.json lacks {base}.{cat}");
        }
    }
}
