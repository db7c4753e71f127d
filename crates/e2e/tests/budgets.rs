//! Byte budgets of the release bundle, held by the test command (bytes are
//! stable; times are printed by `scripts/bench.sh`, never asserted).
//!
//! The budget for a first visit is 200 KB brotli. The bundle is not
//! there yet (about 480 KB: the wasm alone is about 470 KB, Leptos's view and
//! reactive code and serde for every wire type being the bulk; see the bench
//! and the notes). Until it is, these ceilings stop it from growing: a change
//! that adds more than a few KB has to lower them, or say why in the commit.

use std::path::Path;

/// The app shell a first visit downloads: the page, its script, wasm and CSS.
fn shell_brotli(dist: &Path) -> (u64, u64) {
    let sizes = e2e::size::measure(dist).expect("measure dist/");
    let wasm: u64 = sizes.iter().filter(|f| f.path.ends_with(".wasm")).map(|f| f.brotli).sum();
    let shell: u64 = sizes
        .iter()
        .filter(|f| !f.path.contains('/') && [".html", ".js", ".wasm", ".css"].iter().any(|x| f.path.ends_with(x)))
        .map(|f| f.brotli)
        .sum();
    (wasm, shell)
}

#[test]
fn the_app_shell_stays_within_its_ceiling() {
    let dist = e2e::dist_dir();
    assert!(dist.join("index.html").exists(), "no release bundle at {}: run `trunk build --release` first", dist.display());
    let (wasm, shell) = shell_brotli(&dist);
    println!("brotli: wasm {wasm} bytes, app shell {shell} bytes (goal 200,000)");
    assert!(wasm <= 485_000, "the wasm grew to {wasm} bytes brotli (ceiling 485,000)");
    assert!(shell <= 505_000, "the app shell grew to {shell} bytes brotli (ceiling 505,000)");
}
