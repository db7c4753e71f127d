//! The performance benchmark (`scripts/bench.sh` builds the bundle first and
//! runs this): prints figures next to their budgets. Exits 0 whatever the
//! figures are; non-zero only when a measurement could not be made.
//!
//!     cargo run -p e2e --bin bench -- [--skip-lighthouse] [--only loads,cart,orders,memory,lighthouse]

const USAGE: &str = "usage: bench [--skip-lighthouse] [--only SECTION[,SECTION...]]
Measures the release bundle in dist/ (or $E2E_DIST) in headless Chromium and
prints each figure next to its budget. Sections: sizes, loads, cart, orders,
memory, lighthouse (the byte sizes and the main module by crate are always
measured; their first-visit sum needs loads). See README.md, Benchmark.";

// `sizes` alone: the byte sizes and the main module by crate, always measured.
const SECTIONS: [&str; 6] = ["sizes", "loads", "cart", "orders", "memory", "lighthouse"];

#[tokio::main]
async fn main() {
    let mut opts = e2e::bench::Options::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--skip-lighthouse" => opts.skip_lighthouse = true,
            "--only" => {
                let list = args.next().unwrap_or_default();
                for s in list.split(',').filter(|s| !s.is_empty()) {
                    if !SECTIONS.contains(&s) {
                        eprintln!("unknown section {s:?}\n{USAGE}");
                        std::process::exit(2);
                    }
                    opts.only.push(s.to_string());
                }
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return;
            }
            other => {
                eprintln!("unknown argument {other:?}\n{USAGE}");
                std::process::exit(2);
            }
        }
    }
    let outcome = e2e::bench::run(opts).await;
    print!("{}", outcome.text);
    if !outcome.complete {
        eprintln!("bench: some measurements could not be made (see COULD NOT RUN above)");
        std::process::exit(1);
    }
}
