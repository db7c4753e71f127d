//! Bytes: the size report of every file ([`crate::size`]), and the sum of what a
//! first visit to `/` downloads. That set is not guessed from file names: it
//! is the document plus every resource the browser's resource timing lists once
//! the catalog is shown and its images have loaded (scripts, wasm, styles,
//! images, and a locale file if the page fetched one; English is inside the
//! wasm, so none is).

use std::path::Path;

use fantoccini::Client;

use super::report::{bytes, verdict, Table};
use super::Result;
use crate::size::FileSize;

/// First visit budget: 200 KB (200,000 bytes) brotli.
pub const FIRST_VISIT_BUDGET: u64 = 200_000;

/// Waits until the page has stopped fetching (no new resource for half a
/// second, every image complete), then lists the document and its resources.
const RESOURCES_SCRIPT: &str = r#"
const done = arguments[arguments.length - 1];
const names = () => performance.getEntriesByType('resource').map(e => e.name);
let last = -1, quiet = 0;
(function tick() {
  const n = names().length;
  const images = [...document.images].every(i => i.complete);
  quiet = (n === last && images) ? quiet + 1 : 0;
  last = n;
  if (quiet >= 5) done([location.href, ...names()]);
  else setTimeout(tick, 100);
})();
"#;

/// The URLs the current page downloaded, the document first.
pub async fn first_visit_urls(c: &Client) -> Result<Vec<String>> {
    let v = super::exec_async(c, "list the first visit's resources", RESOURCES_SCRIPT, vec![]).await?;
    Ok(v.as_array().map(|a| a.iter().filter_map(|u| u.as_str().map(str::to_owned)).collect()).unwrap_or_default())
}

/// The file of the bundle a URL of the first visit to `/` is served from:
/// the document (no extension) is index.html.
fn dist_path(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let last = path.rsplit('/').next().unwrap_or_default();
    if !last.contains('.') {
        "index.html".into()
    } else {
        path.trim_start_matches('/').to_string()
    }
}

pub fn measure(dist: &Path) -> Result<Vec<FileSize>> {
    match crate::size::measure(dist) {
        Ok(s) if !s.is_empty() => Ok(s),
        Ok(_) => Err(format!("{} is empty: build the release bundle first", dist.display())),
        Err(e) => Err(format!("cannot read {}: {e}", dist.display())),
    }
}

/// The size report, then the first visit's files and their sum against the budget.
pub fn table(sizes: &[FileSize], urls: Result<Vec<String>>) -> Table {
    let mut t = Table::new(
        "1. Bytes: every file of dist/, and a first visit to /",
        &["first visit", "raw", "gzip", "brotli", "budget", ""],
    );
    t.preface = Some(crate::size::report(sizes));
    let urls = match urls {
        Ok(u) => u,
        Err(e) => {
            t.note(format!("COULD NOT RUN the first-visit part: {e}"));
            return t;
        }
    };
    let mut files: Vec<&FileSize> = Vec::new();
    let mut elsewhere = Vec::new();
    for url in &urls {
        let p = dist_path(url);
        match sizes.iter().find(|f| f.path == p) {
            Some(f) if !files.iter().any(|g| g.path == f.path) => files.push(f),
            Some(_) => {}
            None => elsewhere.push(url.clone()),
        }
    }
    for f in &files {
        t.row(vec![f.path.clone(), bytes(f.raw), bytes(f.gzip), bytes(f.brotli), String::new(), String::new()]);
    }
    let (r, g, b) = files.iter().fold((0, 0, 0), |(r, g, b), f| (r + f.raw, g + f.gzip, b + f.brotli));
    t.row(vec![
        format!("total ({} files)", files.len()),
        bytes(r),
        bytes(g),
        bytes(b),
        format!("brotli <= {}", bytes(FIRST_VISIT_BUDGET)),
        verdict(b <= FIRST_VISIT_BUDGET),
    ]);
    t.budget(
        "first visit to /, brotli",
        format!("{} bytes", bytes(b)),
        format!("<= {} bytes", bytes(FIRST_VISIT_BUDGET)),
        b <= FIRST_VISIT_BUDGET,
    );
    t.note(
        "First visit = the document and every resource Chromium's resource timing lists after a cold load of / \
         (1280x900 window) once the catalog is shown and no request has started for 0.5 s. Sizes are the files' \
         own, compressed here at gzip -9 and brotli -q 11; the loopback server used for the timings sends them \
         uncompressed.",
    );
    if !elsewhere.is_empty() {
        t.note(format!("Also requested, not files of dist/: {}", elsewhere.join(", ")));
    }
    t
}

#[cfg(test)]
mod tests {
    use super::dist_path;

    #[test]
    fn urls_map_to_the_files_that_serve_them() {
        assert_eq!(dist_path("http://127.0.0.1:4000/"), "index.html");
        assert_eq!(dist_path("http://127.0.0.1:4000/?x=1"), "index.html");
        assert_eq!(dist_path("http://127.0.0.1:4000/app-1.wasm"), "app-1.wasm");
        assert_eq!(dist_path("http://h/images/products/headlamp-1.svg"), "images/products/headlamp-1.svg");
    }
}
