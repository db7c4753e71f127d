//! The hostile-input corpus (`tests/hostile_inputs.json`), read the same way
//! by the browser tests (`tests/hostile.rs`) and the native fuzz tests of
//! checkout-core (`crates/checkout-core/tests/fuzz_parsers.rs`).

/// One entry: what it tries, and the text itself.
#[derive(Clone)]
pub struct Entry {
    pub name: String,
    pub value: String,
}

pub fn corpus() -> Vec<Entry> {
    let list: Vec<serde_json::Value> = serde_json::from_str(include_str!("../hostile_inputs.json")).expect("the corpus is a JSON array");
    list.iter()
        .map(|e| Entry { name: e["name"].as_str().unwrap().to_owned(), value: expand(e["value"].as_str().unwrap()) })
        .collect()
}

/// `PREFIX@repeat:UNIT:N` is PREFIX then UNIT N times.
fn expand(v: &str) -> String {
    match v.find("@repeat:") {
        Some(at) => {
            let (unit, n) = v[at + 8..].rsplit_once(':').expect("@repeat:UNIT:N");
            format!("{}{}", &v[..at], unit.repeat(n.parse().expect("N")))
        }
        None => v.to_owned(),
    }
}
