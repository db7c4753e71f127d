//! Puts the English messages into the bundle as the build needs them: on one
//! line, and without the designers' gallery's messages when the gallery is
//! left out (a shoppers' build), since English is part of every first visit.
//! `locales/en.json` is a flat object with one `"key": "text"` per line, as
//! the message-file tests keep it.

use std::{env, fs, path::Path};

fn main() {
    println!("cargo:rerun-if-changed=locales/en.json");
    let raw = fs::read_to_string("locales/en.json").expect("locales/en.json");
    let gallery = env::var_os("CARGO_FEATURE_PREVIEW").is_some();
    let mut entries = Vec::new();
    for line in raw.lines().map(str::trim).filter(|l| !matches!(*l, "{" | "}" | "")) {
        assert!(line.starts_with('"') && line.contains("\": \""), "locales/en.json: one \"key\": \"text\" per line, found {line}");
        if gallery || !line.starts_with("\"preview.") {
            entries.push(line.trim_end_matches(','));
        }
    }
    let out = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("en.json");
    fs::write(out, format!("{{{}}}", entries.join(","))).expect("write the English messages");
}
