//! Prints the size report for the release bundle (`dist/` or the path given).
fn main() {
    let dist = std::env::args().nth(1).map(std::path::PathBuf::from).unwrap_or_else(e2e::dist_dir);
    match e2e::size::measure(&dist) {
        Ok(sizes) if !sizes.is_empty() => print!("{}", e2e::size::report(&sizes)),
        Ok(_) => {
            eprintln!("{} is empty: build the release bundle first (scripts/build-release.sh)", dist.display());
            std::process::exit(1);
        }
        Err(e) => {
            eprintln!("cannot read {}: {e}. Build the release bundle first (scripts/build-release.sh)", dist.display());
            std::process::exit(1);
        }
    }
}
