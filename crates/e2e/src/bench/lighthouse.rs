//! Lighthouse (npm `lighthouse`, installed into .tools/node by scripts/bench.sh)
//! on `/`, a product page, `/cart` and `/checkout` with its default mobile
//! settings (a mid-range phone, simulated slow 4G and 4x CPU slowdown), in its
//! own headless Chromium (`CHROME_PATH`). Categories performance,
//! accessibility and best practices, plus the largest contentful paint, total
//! blocking time, layout shift and bytes transferred, read from its JSON
//! report; the median of `LIGHTHOUSE_RUNS` runs (3 unless set).
//!
//! Both builds, side by side: the default build on the mock (`dist/`, sent
//! brotli-compressed by [`super::brotli_serve`], as a production host would),
//! and the shoppers' build served by the reference order server
//! (`target/dist-shoppers`, or `$BENCH_SHOPPERS_DIST`), as a shop deploys it.
//!
//! Lighthouse starts each page with an empty profile, so `/cart` and `/checkout`
//! are audited with an empty cart.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;

use super::report::{ms, verdict, Table};
use super::{progress, Result};

const ROUTES: [&str; 4] = ["/", "/products/bamboo-desk-lamp", "/cart", "/checkout"];

/// The Lighthouse command: `$LIGHTHOUSE`, else .tools/node's, else on PATH.
fn command() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("LIGHTHOUSE") {
        return Some(PathBuf::from(p));
    }
    let local = crate::workspace_root().join(".tools/node/node_modules/.bin/lighthouse");
    if local.exists() {
        return Some(local);
    }
    std::env::var_os("PATH")
        .and_then(|paths| std::env::split_paths(&paths).map(|d| d.join("lighthouse")).find(|p| p.exists()))
}

pub struct Audit {
    pub performance: Option<f64>,
    pub accessibility: Option<f64>,
    pub best_practices: Option<f64>,
    pub lcp_ms: Option<f64>,
    pub tbt_ms: Option<f64>,
    pub cls: Option<f64>,
    pub bytes: Option<f64>,
}

/// Reads the figures out of Lighthouse's JSON report.
pub fn parse(report: &Value) -> Result<Audit> {
    if let Some(e) = report.get("runtimeError").and_then(|e| e.get("message")).and_then(Value::as_str) {
        return Err(format!("Lighthouse: {e}"));
    }
    let score = |c: &str| report["categories"][c]["score"].as_f64().map(|s| s * 100.0);
    let audit = |a: &str| report["audits"][a]["numericValue"].as_f64();
    Ok(Audit {
        performance: score("performance"),
        accessibility: score("accessibility"),
        best_practices: score("best-practices"),
        lcp_ms: audit("largest-contentful-paint"),
        tbt_ms: audit("total-blocking-time"),
        cls: audit("cumulative-layout-shift"),
        bytes: audit("total-byte-weight"),
    })
}

async fn audit(bin: &Path, url: &str, out: &Path) -> Result<Audit> {
    let chrome = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let child = tokio::process::Command::new(bin)
        .arg(url)
        .arg("--output=json")
        .arg(format!("--output-path={}", out.display()))
        .arg("--only-categories=performance,accessibility,best-practices")
        .arg("--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage")
        .arg("--quiet")
        .env("CHROME_PATH", chrome)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
    let output = tokio::time::timeout(Duration::from_secs(300), child.wait_with_output())
        .await
        .map_err(|_| format!("Lighthouse on {url} did not finish within 5 minutes"))?
        .map_err(|e| e.to_string())?;
    if !output.status.success() {
        let err = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = err.lines().rev().take(5).collect();
        return Err(format!(
            "Lighthouse on {url} exited with {}: {}",
            output.status,
            tail.into_iter().rev().collect::<Vec<_>>().join(" / ")
        ));
    }
    let text = std::fs::read_to_string(out).map_err(|e| format!("no report at {}: {e}", out.display()))?;
    let json: Value = serde_json::from_str(&text).map_err(|e| format!("unreadable report {}: {e}", out.display()))?;
    parse(&json)
}

fn score_cell(s: Option<f64>, budget: Option<f64>) -> String {
    match (s, budget) {
        (Some(s), Some(b)) => format!("{s:.0} {}", verdict(s >= b)),
        (Some(s), None) => format!("{s:.0}"),
        (None, _) => "n/a".into(),
    }
}

/// The median of each figure over several audits of one page.
fn median_of(runs: &[Audit]) -> Audit {
    let m = |pick: fn(&Audit) -> Option<f64>| {
        let xs: Vec<f64> = runs.iter().filter_map(pick).collect();
        (!xs.is_empty()).then(|| super::report::median(&xs))
    };
    Audit {
        performance: m(|a| a.performance),
        accessibility: m(|a| a.accessibility),
        best_practices: m(|a| a.best_practices),
        lcp_ms: m(|a| a.lcp_ms),
        tbt_ms: m(|a| a.tbt_ms),
        cls: m(|a| a.cls),
        bytes: m(|a| a.bytes),
    }
}

/// The shoppers' build on the reference order server, on a fresh database.
async fn shoppers_server() -> Result<(String, order_api::Server, PathBuf)> {
    let dist = std::env::var_os("BENCH_SHOPPERS_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::workspace_root().join("target/dist-shoppers"));
    if !dist.join("index.html").exists() {
        return Err(format!(
            "no shoppers' build at {} (DIST=target/dist-shoppers scripts/build-release.sh --no-default-features)",
            dist.display()
        ));
    }
    let dir = std::env::temp_dir().join(format!("bench-order-api-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let config = order_api::Config { db: dir.join("orders.sqlite3"), addr: ([127, 0, 0, 1], 0).into(), dist: Some(dist), ..order_api::Config::default() };
    let (addr, server) = order_api::serve(config).await.map_err(|e| format!("start the order server: {e}"))?;
    Ok((format!("http://{addr}"), server, dir))
}

/// Section 6, and its figures side by side by route. Never an error: when
/// Lighthouse cannot run, the table says why.
pub async fn run(dist: &Path) -> Vec<Table> {
    let runs: usize = std::env::var("LIGHTHOUSE_RUNS").ok().and_then(|n| n.parse().ok()).filter(|n| *n > 0).unwrap_or(3);
    let mut t = Table::new(
        format!("6. Lighthouse (mobile defaults: simulated slow 4G, 4x CPU slowdown; median of {runs})"),
        &["build, served", "route", "performance", "accessibility", "LCP", "TBT", "CLS", "bytes"],
    );
    let Some(bin) = command() else {
        t.note("NOT RUN: lighthouse is not installed (scripts/bench.sh installs it into .tools/node).");
        return vec![t];
    };
    // `LIGHTHOUSE_REPORTS=dir` keeps the JSON reports there (to read which
    // element was the LCP, or the long tasks); otherwise they go with the run.
    let keep = std::env::var_os("LIGHTHOUSE_REPORTS").map(PathBuf::from);
    let out_dir = keep.clone().unwrap_or_else(|| std::env::temp_dir().join(format!("bench-lighthouse-{}", std::process::id())));
    if let Err(e) = std::fs::create_dir_all(&out_dir) {
        t.note(format!("NOT RUN: cannot create {}: {e}", out_dir.display()));
        return vec![t];
    }
    let compressed = super::brotli_serve::start(dist).await;
    let shoppers = shoppers_server().await;
    let servers: Vec<(&str, &str, Result<String>)> = vec![
        ("default build on the mock, brotli", "default", compressed.as_ref().map(|(base, _)| base.clone()).map_err(Clone::clone)),
        ("shoppers' build on order-api", "shoppers", shoppers.as_ref().map(|(base, _, _)| base.clone()).map_err(Clone::clone)),
    ];
    let mut failures = Vec::new();
    let mut side_by_side: Vec<(String, Vec<String>)> = ROUTES.iter().map(|r| (r.to_string(), Vec::new())).collect();
    for (served, short, base) in servers {
        let base = match base {
            Ok(b) => b,
            Err(e) => {
                failures.push(format!("{served}: {e}"));
                for row in &mut side_by_side {
                    row.1.push("not run".into());
                }
                continue;
            }
        };
        let mut audits = Vec::new();
        for (i, route) in ROUTES.iter().enumerate() {
            let mut got = Vec::new();
            for n in 0..runs {
                progress(format!("lighthouse {route} ({served}, run {})", n + 1));
                let file = out_dir.join(format!("{short}-{}-{n}.json", route.trim_matches('/').replace('/', "-")));
                match audit(&bin, &format!("{base}{route}"), &file).await {
                    Ok(a) => got.push(a),
                    // The same reason for every run (Lighthouse missing) is said once.
                    Err(e) if !failures.contains(&e) => failures.push(e),
                    Err(_) => {}
                }
            }
            if got.is_empty() {
                side_by_side[i].1.push("n/a".into());
                continue;
            }
            let a = median_of(&got);
            let cls = a.cls.map_or("n/a".into(), |c| format!("{c:.2}"));
            let kb = a.bytes.map_or("n/a".into(), |b| format!("{:.0} KB", b / 1000.0));
            t.row(vec![
                served.into(),
                (*route).into(),
                score_cell(a.performance, Some(100.0)),
                score_cell(a.accessibility, Some(100.0)),
                a.lcp_ms.map_or("n/a".into(), ms),
                a.tbt_ms.map_or("n/a".into(), ms),
                cls.clone(),
                kb.clone(),
            ]);
            side_by_side[i].1.push(format!(
                "{kb} · perf {} · LCP {} · TBT {} · CLS {cls}",
                a.performance.map_or("n/a".into(), |p| format!("{:.2}", p / 100.0)),
                a.lcp_ms.map_or("n/a".into(), |v| format!("{:.2} s", v / 1000.0)),
                a.tbt_ms.map_or("n/a".into(), ms),
            ));
            audits.push((*route, a));
        }
        // One summary line per target and build: every route's figure.
        let targets: [(&str, fn(&Audit) -> Option<f64>, &str, fn(f64) -> bool); 5] = [
            ("performance", |a| a.performance, "100 each", |v| v >= 100.0),
            ("accessibility", |a| a.accessibility, "100 each", |v| v >= 100.0),
            ("LCP", |a| a.lcp_ms, "1.0 s at most", |v| v <= 1000.0),
            ("TBT", |a| a.tbt_ms, "50 ms at most", |v| v <= 50.0),
            ("CLS", |a| a.cls, "0", |v| v < 0.005),
        ];
        for (name, pick, budget, ok) in targets {
            let figures: Vec<(&str, f64)> = audits.iter().filter_map(|(r, a)| pick(a).map(|v| (*r, v))).collect();
            if !figures.is_empty() {
                let value = figures.iter().map(|(r, v)| format!("{r} {v:.2}")).collect::<Vec<_>>().join(", ");
                t.budget(format!("Lighthouse {name}, {served}"), value, budget, figures.iter().all(|(_, v)| ok(*v)));
            }
        }
    }
    if keep.is_none() {
        let _ = std::fs::remove_dir_all(&out_dir);
    }
    drop(compressed);
    if let Ok((_, server, dir)) = shoppers {
        server.stop().await;
        let _ = std::fs::remove_dir_all(dir);
    }
    if t.rows.is_empty() {
        t.header.clear();
    }
    if !failures.is_empty() {
        t.note(format!("NOT RUN (some or all): {}", failures.join("; ")));
    }
    t.note(
        "Targets: performance and accessibility 100, LCP at most 1.0 s, TBT at most 50 ms, CLS 0 on every route (PASS/OVER in the summary). \
         LCP and TBT are Lighthouse's simulated (Lantern) values for its mobile profile, not times measured on this machine. \
         /cart and /checkout are audited with an empty cart: Lighthouse starts each run with an empty profile.",
    );
    let mut both = Table::new("6b. Lighthouse, the two builds side by side", &["route", "default build on the mock", "shoppers' build on order-api"]);
    for (route, cells) in side_by_side {
        let mut row = vec![route];
        row.extend(cells);
        both.row(row);
    }
    both.note("Each cell: bytes transferred (Lighthouse's count) · performance · LCP · TBT · CLS.");
    vec![t, both]
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn reads_scores_and_metrics_from_a_report() {
        let report = json!({
            "categories": {
                "performance": { "score": 0.73 },
                "accessibility": { "score": 1 },
                "best-practices": { "score": null },
            },
            "audits": {
                "largest-contentful-paint": { "numericValue": 9771.6 },
                "total-blocking-time": { "numericValue": 157.5 },
            }
        });
        let a = super::parse(&report).unwrap();
        assert_eq!(a.performance.map(f64::round), Some(73.0));
        assert_eq!(a.accessibility, Some(100.0));
        assert_eq!(a.best_practices, None);
        assert_eq!(a.lcp_ms, Some(9771.6));
        let failed = json!({ "runtimeError": { "code": "NO_FCP", "message": "The page did not paint" } });
        assert!(super::parse(&failed).is_err());
    }
}
