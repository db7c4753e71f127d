//! Test support that runs natively: a static server for the release bundle (with
//! the fallback to index.html that client routes need), a headless Chromium
//! session through chromedriver, and the bundle size report.

pub mod bench;
pub mod browser;
pub mod fault_proxy;
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
