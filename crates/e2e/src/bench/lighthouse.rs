//! Lighthouse (npm `lighthouse`, installed into .tools/node by scripts/bench.sh)
//! on `/`, `/cart` and `/checkout` with its default mobile settings (a
//! mid-range phone, simulated slow 4G and 4x CPU slowdown), in its own headless
//! Chromium (`CHROME_PATH`). Categories performance, accessibility and best
//! practices, plus the largest contentful paint and total blocking time, read
//! from its JSON report.
//!
//! Run twice: against [`crate::serve`] as the other sections use it (files sent
//! uncompressed), and against the same bundle sent brotli-compressed
//! ([`super::brotli_serve`]), as a production host would.
//!
//! Lighthouse starts each page with an empty profile, so `/cart` and `/checkout`
//! are audited with an empty cart (their empty states).

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;

use super::report::{ms, verdict, Table};
use super::{progress, Result};

const ROUTES: [&str; 3] = ["/", "/cart", "/checkout"];

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

/// Section 6. Never an error: when Lighthouse cannot run, the table says why.
pub async fn run(dist: &Path) -> Table {
    let mut t = Table::new(
        "6. Lighthouse (mobile defaults: simulated slow 4G, 4x CPU slowdown)",
        &["served", "route", "performance", "accessibility", "best practices", "LCP", "TBT"],
    );
    let Some(bin) = command() else {
        t.note("NOT RUN: lighthouse is not installed (scripts/bench.sh installs it into .tools/node).");
        return t;
    };
    // `LIGHTHOUSE_REPORTS=dir` keeps the JSON reports there (to read which
    // element was the LCP, or the long tasks); otherwise they go with the run.
    let keep = std::env::var_os("LIGHTHOUSE_REPORTS").map(PathBuf::from);
    let out_dir = keep.clone().unwrap_or_else(|| std::env::temp_dir().join(format!("bench-lighthouse-{}", std::process::id())));
    if let Err(e) = std::fs::create_dir_all(&out_dir) {
        t.note(format!("NOT RUN: cannot create {}: {e}", out_dir.display()));
        return t;
    }
    let plain = super::new_origin(dist).await;
    let compressed = super::brotli_serve::start(dist).await;
    let servers: Vec<(&str, Result<String>)> = vec![
        ("as is (e2e::serve)", plain),
        ("brotli", compressed.as_ref().map(|(base, _)| base.clone()).map_err(Clone::clone)),
    ];
    let mut failures = Vec::new();
    for (served, base) in servers {
        let base = match base {
            Ok(b) => b,
            Err(e) => {
                failures.push(format!("{served}: {e}"));
                continue;
            }
        };
        let mut audits = Vec::new();
        for route in ROUTES {
            progress(format!("lighthouse {route} ({served})"));
            let file = out_dir.join(format!(
                "{}-{}.json",
                if served == "brotli" { "br" } else { "plain" },
                route.trim_matches('/').replace('/', "-")
            ));
            match audit(&bin, &format!("{base}{route}"), &file).await {
                Ok(a) => {
                    t.row(vec![
                        served.into(),
                        route.into(),
                        score_cell(a.performance, Some(100.0)),
                        score_cell(a.accessibility, Some(100.0)),
                        score_cell(a.best_practices, None),
                        a.lcp_ms.map_or("n/a".into(), ms),
                        a.tbt_ms.map_or("n/a".into(), ms),
                    ]);
                    audits.push((route, a));
                }
                // The same reason for every run (Lighthouse missing) is said once.
                Err(e) if !failures.contains(&e) => failures.push(e),
                Err(_) => {}
            }
        }
        // One summary line per category and server: every route's score.
        for (category, pick) in [
            ("performance", (|a: &Audit| a.performance) as fn(&Audit) -> Option<f64>),
            ("accessibility", |a: &Audit| a.accessibility),
        ] {
            let scores: Vec<(&str, f64)> = audits.iter().filter_map(|(r, a)| pick(a).map(|s| (*r, s))).collect();
            if !scores.is_empty() {
                let value = scores.iter().map(|(r, s)| format!("{r} {s:.0}")).collect::<Vec<_>>().join(", ");
                t.budget(
                    format!("Lighthouse {category}, served {served}"),
                    value,
                    "100 each",
                    scores.iter().all(|(_, s)| *s >= 100.0),
                );
            }
        }
    }
    if keep.is_none() {
        let _ = std::fs::remove_dir_all(&out_dir);
    }
    drop(compressed);
    if t.rows.is_empty() {
        t.header.clear();
    }
    if !failures.is_empty() {
        t.note(format!("NOT RUN (some or all): {}", failures.join("; ")));
    }
    t.note(
        "Budgets: performance 100 and accessibility 100 (PASS/OVER next to the score). LCP and TBT are \
         Lighthouse's simulated (Lantern) values for its mobile profile, not times measured on this machine. \
         /cart and /checkout are audited with an empty cart: Lighthouse starts each run with an empty profile.",
    );
    t.note(
        "'as is' is the loopback server the tests use, which sends every file uncompressed (the main module is 0.8 MB raw); 'brotli' serves \
         the same files brotli-compressed (quality 11, as a host with precompressed files would), which is what \
         the first-visit byte budget assumes.",
    );
    t
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
