//! Test support that runs natively: a static server for the release bundle (each
//! client route gets its page, as a static host serves them), a headless
//! Chromium session through chromedriver, the bundle size report, and the step
//! of the release build that draws the first screens into pages of their own.

pub mod bench;
pub mod browser;
pub mod fault_proxy;
pub mod prerender;
pub mod serve;
pub mod session;
pub mod size;

use std::path::PathBuf;

/// The workspace root (two levels above this crate).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The release bundle to test: `$E2E_DIST`, or `dist/` at the workspace root.
pub fn dist_dir() -> PathBuf {
    std::env::var_os("E2E_DIST").map(PathBuf::from).unwrap_or_else(|| workspace_root().join("dist"))
}

/// Every `.rs` file below `dir`, for the tests that check the app's sources.
pub fn rust_files(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display())) {
        let p = e.expect("entry").path();
        if p.is_dir() {
            out.extend(rust_files(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out
}
