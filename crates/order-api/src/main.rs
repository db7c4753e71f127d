//! `order-api`: the reference order server. See `--help`.

use std::path::PathBuf;
use std::process::ExitCode;

use marketplace::Scenario;
use order_api::{serve, Config};

const HELP: &str = "order-api: the reference order server (the order API over HTTP, on SQLite)

USAGE: order-api [FLAGS]

  --db PATH         SQLite file, created and migrated at start   [order-api.sqlite3]  (ORDER_API_DB)
  --evidence DIR    where uploaded dispute files are kept        [<db>.evidence]      (ORDER_API_EVIDENCE)
  --addr HOST:PORT  where to listen                              [127.0.0.1:8787]     (ORDER_API_ADDR)
  --dist DIR        also serve the built app from DIR, client routes getting the app's page,
                    with its <meta name=\"checkout-api\"> pointed at /api          (ORDER_API_DIST)
  --public-url URL  the shop's public address, e.g. https://shop.example: product pages then
                    carry absolute og:url, og:image and canonical links   (ORDER_API_PUBLIC_URL)
  --speed N         server seconds per real second                [1]                  (ORDER_API_SPEED)
  --scenario NAME   how sellers, carriers, banks and the network behave for new orders,
                    one of the mock's scenarios                   [happy-path]         (ORDER_API_SCENARIO)
  --dev             enable POST /api/dev/skip {\"seconds\": n} to move the clock      (ORDER_API_DEV=1)
  --print-openapi   print the OpenAPI 3.1 document and exit
  --help            this text
";

fn scenario(name: &str) -> Result<Scenario, String> {
    Scenario::from_slug(&name.replace('_', "-")).ok_or_else(|| {
        let names: Vec<&str> = Scenario::ALL.iter().map(|s| s.slug()).collect();
        format!("unknown scenario {name:?}; one of: {}", names.join(", "))
    })
}

fn parse(args: Vec<String>) -> Result<Option<Config>, String> {
    let mut config = Config::default();
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    if let Some(v) = env("ORDER_API_DB") {
        config.db = PathBuf::from(v);
    }
    if let Some(v) = env("ORDER_API_EVIDENCE") {
        config.evidence = Some(PathBuf::from(v));
    }
    if let Some(v) = env("ORDER_API_ADDR") {
        config.addr = v.parse().map_err(|e| format!("ORDER_API_ADDR: {e}"))?;
    }
    if let Some(v) = env("ORDER_API_DIST") {
        config.dist = Some(PathBuf::from(v));
    }
    if let Some(v) = env("ORDER_API_PUBLIC_URL") {
        config.public_url = Some(order_api::public_origin(&v).map_err(|e| format!("ORDER_API_PUBLIC_URL: {e}"))?);
    }
    if let Some(v) = env("ORDER_API_SPEED") {
        config.speed = v.parse().map_err(|e| format!("ORDER_API_SPEED: {e}"))?;
    }
    if let Some(v) = env("ORDER_API_SCENARIO") {
        config.scenario = scenario(&v)?;
    }
    if env("ORDER_API_DEV").is_some_and(|v| v != "0") {
        config.dev = true;
    }
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        let (flag, inline) = match flag.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (flag, None),
        };
        let mut value = || inline.clone().or_else(|| args.next()).ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--db" => config.db = PathBuf::from(value()?),
            "--evidence" => config.evidence = Some(PathBuf::from(value()?)),
            "--addr" => config.addr = value()?.parse().map_err(|e| format!("--addr: {e}"))?,
            "--dist" => config.dist = Some(PathBuf::from(value()?)),
            "--public-url" => config.public_url = Some(order_api::public_origin(&value()?).map_err(|e| format!("--public-url: {e}"))?),
            "--speed" => {
                config.speed = value()?.parse().map_err(|e| format!("--speed: {e}"))?;
                if !(1..=100_000).contains(&config.speed) {
                    return Err("--speed must be 1 to 100000".into());
                }
            }
            "--scenario" => config.scenario = scenario(&value()?)?,
            "--dev" => config.dev = true,
            "--print-openapi" => {
                print!("{}", order_api::openapi::document_text());
                return Ok(None);
            }
            "-h" | "--help" => {
                print!("{HELP}");
                return Ok(None);
            }
            other => return Err(format!("unknown flag {other}; see --help")),
        }
    }
    Ok(Some(config))
}

fn main() -> ExitCode {
    let config = match parse(std::env::args().skip(1).collect()) {
        Ok(Some(c)) => c,
        Ok(None) => return ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("order-api: {e}");
            return ExitCode::from(2);
        }
    };
    if let Some(dist) = &config.dist {
        if !dist.join("index.html").is_file() {
            eprintln!("order-api: {} has no index.html (build the app first: scripts/build-release.sh --no-default-features)", dist.display());
            return ExitCode::from(2);
        }
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("order-api: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let summary = format!(
            "db {}, scenario {}, speed {}x{}{}",
            config.db.display(),
            config.scenario.slug(),
            config.speed,
            if config.dev { ", dev" } else { "" },
            config.dist.as_ref().map(|d| format!(", app from {}", d.display())).unwrap_or_default(),
        );
        let (addr, server) = match serve(config).await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("order-api: {e}");
                return ExitCode::FAILURE;
            }
        };
        eprintln!("order-api: listening on http://{addr} ({summary}); API at http://{addr}/api");
        tokio::select! {
            r = server.wait() => {
                if let Err(e) = r {
                    eprintln!("order-api: {e}");
                    return ExitCode::FAILURE;
                }
            }
            _ = tokio::signal::ctrl_c() => eprintln!("order-api: stopping"),
        }
        ExitCode::SUCCESS
    })
}
