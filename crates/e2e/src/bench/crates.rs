//! The main module's code by crate: which crates the first visit's wasm is
//! made of. Read from the main module as the split left it
//! (`target/release-bundle/split/checkout-app.wasm`, which still has its
//! function names), before wasm-bindgen and wasm-opt: the shares are what to
//! read, not the byte counts, which the optimiser then shrinks.

use std::collections::HashMap;
use std::path::Path;

use wasmparser::{KnownCustom, Name, Parser, Payload, TypeRef};

use super::report::{bytes, Table};
use super::Result;

/// The crate a function's name belongs to: `checkout_app::pages::cart::…` is
/// `checkout_app`; `<tachys::html::… as …>::build` is `tachys`. Names may be
/// mangled (`_ZN12checkout_app5pages…`, where an impl's first part is
/// `_$LT$tachys..html..…`), as the linker leaves them in the name section.
pub fn crate_of(name: &str) -> &str {
    // v0 mangling (`_RNvNtCs<hash>_4core3str…`): the first crate root.
    if name.starts_with("_R") {
        return v0_crate(name).unwrap_or("(unnamed)");
    }
    let first = match name.strip_prefix("_ZN") {
        Some(rest) => {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            let len: usize = rest[..digits].parse().unwrap_or(0);
            let part = rest.get(digits..digits + len).unwrap_or("");
            let mut part = part.trim_start_matches('_');
            for prefix in ["$LT$", "$RF$", "mut$u20$", "dyn$u20$", "$BP$"] {
                part = part.trim_start_matches(prefix);
            }
            // A blanket impl (`<T as tachys::view::…>`): the trait's crate.
            if let Some(at) = part.find("$u20$as$u20$").filter(|at| !part[..*at].contains("..")) {
                part = &part[at + "$u20$as$u20$".len()..];
            }
            let end = part.find("..").or_else(|| part.find('$')).unwrap_or(part.len());
            return Some(&part[..end]).filter(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')).unwrap_or("(unnamed)");
        }
        None => name.trim_start_matches(['<', '&', '*', '(']).trim_start_matches("mut ").trim_start_matches("dyn "),
    };
    match first.find("::") {
        Some(end) if end > 0 && first[..end].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') => &first[..end],
        _ => "(unnamed)",
    }
}

/// The crate root of a v0-mangled name: after `Cs<disambiguator>_`, a
/// length and the crate's name.
fn v0_crate(name: &str) -> Option<&str> {
    let at = name.find("Cs")?;
    let rest = &name[at + 2..];
    let rest = &rest[rest.find('_')? + 1..];
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let len: usize = rest[..digits].parse().ok()?;
    let ident = rest.get(digits..digits + len)?;
    Some(ident.trim_start_matches('_')).filter(|c| !c.is_empty())
}

/// Bytes of function bodies by crate, and of data, in `wasm`.
pub fn by_crate(wasm: &[u8]) -> Result<(Vec<(String, u64)>, u64)> {
    let mut imported = 0u32;
    let mut bodies: Vec<u64> = Vec::new();
    let mut names: HashMap<u32, String> = HashMap::new();
    let mut data = 0u64;
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(|e| format!("unreadable wasm: {e}"))? {
            Payload::ImportSection(r) => {
                for import in r.into_imports() {
                    if matches!(import.map_err(|e| e.to_string())?.ty, TypeRef::Func(_)) {
                        imported += 1;
                    }
                }
            }
            Payload::CodeSectionEntry(body) => bodies.push((body.range().end - body.range().start) as u64),
            Payload::DataSection(r) => {
                for d in r {
                    data += d.map_err(|e| e.to_string())?.data.len() as u64;
                }
            }
            Payload::CustomSection(c) => {
                if let KnownCustom::Name(section) = c.as_known() {
                    for part in section {
                        if let Ok(Name::Function(map)) = part {
                            for naming in map.into_iter().flatten() {
                                names.insert(naming.index, naming.name.to_owned());
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    if names.is_empty() {
        return Err("the module has no function names".into());
    }
    let mut totals: HashMap<String, u64> = HashMap::new();
    for (i, size) in bodies.iter().enumerate() {
        let name = names.get(&(imported + i as u32)).map_or("(unnamed)", |n| crate_of(n));
        *totals.entry(name.to_owned()).or_default() += size;
    }
    let mut list: Vec<(String, u64)> = totals.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok((list, data))
}

/// Section 1b: the table, or why it could not be made.
pub fn table(workspace: &Path) -> Table {
    let mut t = Table::new("1b. The main module by crate (function bodies, before wasm-opt)", &["crate", "bytes", "share"]);
    let file = workspace.join("target/release-bundle/split/checkout-app.wasm");
    let made = std::fs::read(&file).map_err(|e| format!("{}: {e} (scripts/build-release.sh writes it)", file.display())).and_then(|w| by_crate(&w));
    let (list, data) = match made {
        Ok(m) => m,
        Err(e) => {
            t.note(format!("NOT RUN: {e}"));
            return t;
        }
    };
    let code: u64 = list.iter().map(|(_, n)| n).sum();
    let share = |n: u64| format!("{:.1} %", n as f64 * 100.0 / (code + data) as f64);
    for (name, n) in list.iter().take(15) {
        t.row(vec![name.clone(), bytes(*n), share(*n)]);
    }
    let rest: u64 = list.iter().skip(15).map(|(_, n)| n).sum();
    if rest > 0 {
        t.row(vec![format!("{} other crates", list.len() - 15), bytes(rest), share(rest)]);
    }
    t.row(vec!["data (strings, tables)".into(), bytes(data), share(data)]);
    t.note("Of the build last made by scripts/build-release.sh (the default build unless it was the shoppers' last). \"(unnamed)\": names this reading does not attribute (impls on tuples and closures, shims).");
    t
}

#[cfg(test)]
mod tests {
    use super::crate_of;

    #[test]
    fn a_function_belongs_to_the_crate_that_names_it() {
        assert_eq!(crate_of("checkout_app::pages::cart::CartPage::h12ab"), "checkout_app");
        assert_eq!(crate_of("<tachys::html::element::HtmlElement<E,At,Ch> as tachys::view::Render>::build"), "tachys");
        assert_eq!(crate_of("<&mut serde_json::de::Deserializer<R> as serde::de::Deserializer>::deserialize_any"), "serde_json");
        assert_eq!(crate_of("_ZN12wasm_bindgen9externref5statics17h5ea31045121aef10E"), "wasm_bindgen");
        assert_eq!(crate_of("_ZN79_$LT$tachys..html..element..HtmlElement$LT$E$GT$$u20$as$u20$tachys..view..Render$GT$5build17h0E"), "tachys");
        assert_eq!(crate_of("_ZN45_$LT$$RF$mut$u20$serde_json..de..Deserializer$GT$3any17h0E"), "serde_json");
        assert_eq!(crate_of("_ZN53_$LT$T$u20$as$u20$tachys..view..any_view..IntoAny$GT$8into_any7rebuild17h2fE"), "tachys");
        assert_eq!(crate_of("_RNvMs0_NtCsjqx8TIyZbP9_8dlmalloc8dlmallocINtB5_8DlmallocNtNtB7_3sys6SystemE6mallocCsebHcaeoSrxy_3std"), "dlmalloc");
        assert_eq!(crate_of("_RNvNtCsgXGp5Oqx2Ny_4core3str19slice_error_fail_rt"), "core");
        assert_eq!(crate_of("dlmalloc"), "(unnamed)");
        assert_eq!(crate_of("__wbindgen_malloc"), "(unnamed)");
    }
}
