//! The benchmark's browser: the tests' own ([`crate::browser::Browser`]), with
//! the flags some measurements need.

pub use crate::browser::{Browser as Chrome, PageLoad};

/// Flags for the memory readings: `gc()` in pages, and `performance.memory`
/// exact and current (it is rounded and cached without the second flag).
pub const MEMORY_ARGS: &[&str] = &["--js-flags=--expose-gc", "--enable-precise-memory-info"];
