//! `release-bundle PKG DIST`: moves the split, bound and optimised app in PKG
//! (wasm-bindgen's JS and wasm, `__wasm_split.js` and the screens' modules)
//! into Trunk's DIST, with fingerprinted names and integrity, starts it from
//! DIST/index.html, and writes a `.br` twin of each text and wasm file.
//! `scripts/build-release.sh` runs it.
use std::path::PathBuf;
use std::process::ExitCode;

use release_bundle::{API, QUOTE};

/// Which split modules each route needs (`src/pages/lazy.rs` groups the
/// screens; `src/lib.rs` has the route table): preloaded by `index.html` when
/// the page opens on that route. A path, or a prefix ending in `/`. `API` is
/// the whole order API (`src/api/lazy_api.rs`: the mock's orders, or the
/// HTTP client), which the screens that ask about orders need; `QUOTE` what
/// the checkout's quote needs besides the checkout's module.
const ROUTES: &[(&str, &str)] = &[
    ("/products/", "shop"),
    ("/cart", "shop"),
    ("/checkout", "checkout"),
    ("/checkout", QUOTE),
    ("/pay/wallet", "checkout"),
    ("/pay/wallet", API),
    ("/orders", "orders"),
    ("/orders", API),
    ("/preview", "preview"),
];

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [pkg, dist] = args.as_slice() else {
        eprintln!("usage: release-bundle PKG DIST (PKG: the split app after wasm-bindgen and wasm-opt; DIST: Trunk's output with index.html)");
        return ExitCode::from(2);
    };
    match release_bundle::install(pkg, dist, "checkout-app", ROUTES) {
        Ok(report) => {
            println!("{report}");
            match release_bundle::precompress(dist) {
                Ok((n, largest)) => {
                    println!("{n} files also written brotli-compressed (.br, quality 11; the largest {largest} bytes)");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("release-bundle: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Err(e) => {
            eprintln!("release-bundle: {e}");
            ExitCode::FAILURE
        }
    }
}
