//! The release build's last step: draws the first screens (`/`, `/cart`,
//! `/checkout`, each product) into pages of their own in the bundle,
//! natively (see `e2e::prerender`).
//! Usage: `prerender <dist>`.
fn main() {
    let Some(dist) = std::env::args_os().nth(1).map(std::path::PathBuf::from) else {
        eprintln!("usage: prerender <dist>   (a release bundle, from scripts/build-release.sh)");
        std::process::exit(2);
    };
    match e2e::prerender::prerender(&dist) {
        Ok(drawn) => {
            for d in drawn {
                eprintln!("drew {} ({} bytes, \"{}\")", d.screen, d.html.len(), d.title);
            }
        }
        Err(e) => {
            eprintln!("prerender: {e}");
            std::process::exit(1);
        }
    }
}
