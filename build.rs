//! Puts the English messages into the bundle as the build needs them, on one
//! line, since English is part of every first visit:
//! - without the designers' gallery's messages when the gallery is left out
//!   (a shoppers' build);
//! - in a split build (`split`), only those of the screens that show without
//!   fetching more words (the catalog, a product, the cart, the shell): the
//!   checkout's and the payment's (its address, card and wallet, the checks
//!   on them) and the after-sales screens' (an order, its timeline,
//!   disputes, returns, feedback, the rules' refusals) are fetched from
//!   `/locales/en.json` with those screens (`i18n::load_all_messages`; the
//!   `$words` flag in `src/pages/lazy.rs`).
//!
//! `locales/en.json` is a flat object with one `"key": "text"` per line, as
//! the message-file tests keep it.

use std::{env, fs, path::Path};

/// Key prefixes (before the first dot) of the messages only the screens that
/// fetch the rest use: paying, then after it.
const FETCHED: &str = "checkout payment verification validation wallet country card confirmation \
    order orders timeline dispute return feedback evidence rule support track cancel preview";

fn main() {
    println!("cargo:rerun-if-changed=locales/en.json");
    let raw = fs::read_to_string("locales/en.json").expect("locales/en.json");
    let gallery = env::var_os("CARGO_FEATURE_PREVIEW").is_some();
    let split = env::var_os("CARGO_FEATURE_SPLIT").is_some();
    let mut entries = Vec::new();
    for line in raw.lines().map(str::trim).filter(|l| !matches!(*l, "{" | "}" | "")) {
        assert!(line.starts_with('"') && line.contains("\": \""), "locales/en.json: one \"key\": \"text\" per line, found {line}");
        let left_out = (split && FETCHED.split_whitespace().any(|p| line[1..].starts_with(p) && line[1 + p.len()..].starts_with('.'))) || (!gallery && line.starts_with("\"preview."));
        if !left_out {
            entries.push(line.trim_end_matches(','));
        }
    }
    let out = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("en.json");
    fs::write(out, format!("{{{}}}", entries.join(","))).expect("write the English messages");
}
