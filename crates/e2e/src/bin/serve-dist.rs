//! Serves the release bundle on 127.0.0.1 (port from the first argument, default
//! 8080) with the fallback to index.html for client routes.
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let port: u16 = std::env::args().nth(1).and_then(|p| p.parse().ok()).unwrap_or(8080);
    let dist = e2e::dist_dir();
    if !dist.join("index.html").exists() {
        eprintln!("{} has no index.html: run scripts/build-release.sh first", dist.display());
        std::process::exit(1);
    }
    let addr = e2e::serve::start(&dist, ([127, 0, 0, 1], port).into()).await.expect("bind the port");
    println!("serving {} at http://{addr}", dist.display());
    std::future::pending::<()>().await;
}
