//! The last step of the release build (`scripts/build-release.sh`).
//!
//! Trunk cannot split a wasm module into lazily loaded ones (trunk-rs/trunk#1022),
//! so the release build runs cargo, `wasm-split-cli`, `wasm-bindgen` and
//! `wasm-opt` itself, and Trunk only for the page, the CSS and the images. This
//! step puts the two together, as Trunk would have:
//!
//! - **Names.** Every file of the app gets the build's fingerprint in its name
//!   (`checkout-app-<id>.js`, `checkout-app-<id>_bg.wasm`, `product-<id>.wasm`),
//!   so a server can let browsers keep them for a year. The id is a hash of all
//!   the files together: the main script and the split loader import each other,
//!   so neither could carry a hash of its own contents.
//! - **Integrity.** `index.html` preloads the two scripts and the main module
//!   with their `sha256` hashes, and fetches the main module with it; the loader
//!   fetches each screen's module with its hash. A file changed on the way is
//!   refused by the browser.
//! - **Start.** `index.html` gets the module script that starts the app (the
//!   reference server allows it by its hash in the Content-Security-Policy).

use std::fmt;
use std::path::Path;

use base64::Engine as _;
use sha2::{Digest, Sha256};

/// The file `wasm-split-cli` writes to load the split modules.
pub const LOADER: &str = "__wasm_split.js";

/// One file of the app, by its name in wasm-bindgen's output folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The app's files as they go into `dist/`, and what `index.html` needs.
#[derive(Debug)]
pub struct Bundle {
    pub files: Vec<File>,
    /// Goes before `</body>`: the preloads and the script that starts the app.
    pub start: String,
    /// Routes not preloaded, because this build has no module of that name.
    pub absent: Vec<String>,
}

/// A short hash of every file (names and bytes), the same for the same build.
pub fn build_id(files: &[File]) -> String {
    let mut sorted: Vec<&File> = files.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    let mut hash = Sha256::new();
    for f in sorted {
        hash.update((f.name.len() as u64).to_le_bytes());
        hash.update(f.name.as_bytes());
        hash.update((f.bytes.len() as u64).to_le_bytes());
        hash.update(&f.bytes);
    }
    hash.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// `name.ext` → `name-<id>.ext`, keeping wasm-bindgen's `_bg` last, as Trunk
/// names its files (and as the reference server recognises them).
pub fn fingerprinted(name: &str, id: &str) -> String {
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let dot = if ext.is_empty() { "" } else { "." };
    match stem.strip_suffix("_bg") {
        Some(base) => format!("{base}-{id}_bg{dot}{ext}"),
        None => format!("{stem}-{id}{dot}{ext}"),
    }
}

/// Subresource integrity of `bytes`: `sha256-<base64>`. SHA-256 rather than
/// Trunk's SHA-384: each hash is incompressible, a first visit's page and
/// loader carry one per module file, and 20 characters less each keep the
/// first visit within its budget; SHA-256 is as accepted and as safe here.
pub fn integrity(bytes: &[u8]) -> String {
    format!("sha256-{}", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(bytes)))
}

/// Which files each split module needs, from the loader `wasm-split-cli`
/// wrote: `split_<name>.wasm`, and every chunk whose comment names it
/// (`/* orders, shop */` above a chunk's fetch).
pub fn module_files(loader: &str) -> Vec<(String, Vec<String>)> {
    let mut modules: Vec<(String, Vec<String>)> = Vec::new();
    let mut add = |module: &str, file: &str| match modules.iter_mut().find(|(m, _)| m == module) {
        Some((_, files)) => files.push(file.to_owned()),
        None => modules.push((module.to_owned(), vec![file.to_owned()])),
    };
    let mut serves: Vec<String> = Vec::new();
    for line in loader.lines().map(str::trim) {
        if let Some(names) = line.strip_prefix("/*").and_then(|l| l.strip_suffix("*/")) {
            serves = names.split(',').map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()).collect();
        } else if let Some(rest) = line.split("fetch(new URL(\"./").nth(1) {
            let Some(file) = rest.split('"').next() else { continue };
            match file.strip_prefix("split_").and_then(|f| f.strip_suffix(".wasm")) {
                Some(module) => add(module, file),
                None => serves.drain(..).for_each(|module| add(&module, file)),
            }
        }
    }
    modules
}

/// The whole order API, in the route table: the module `mock`, or `http_client`.
pub const API: &str = "api";

/// What the checkout's quote needs, in the route table: on the mock, the
/// module `mock`; nothing in a build without the mock (the checkout's module
/// has the client's quote call: `src/api/mod.rs`). (A build with the mock, on
/// a page that names a server, downloads the whole client before its first
/// screen anyway.)
pub const QUOTE: &str = "quote";

/// `preloadRoute`, a function of the start-up script: preloads the modules the
/// opened route needs (`routes`: a path, or a prefix ending in `/`, and a
/// module; a route needing two has two rows), so that they download alongside
/// the main module instead of after it. Module [`API`] stands for the whole
/// order API: `mock` on a page on the mock, `http_client` on a page that names
/// an order server or in a build without the mock; [`QUOTE`] for `mock` on
/// the mock, nothing else. A build with the mock needs `http_client` before
/// its first screen on a page that names a server.
/// The preloads go a few per task: each costs about a millisecond on a fast
/// machine, and a deep link's twenty in one task blocked a slow phone.
fn route_preloads(routes: &[(&str, &str)], modules: &[(String, Vec<(String, String)>)]) -> String {
    let json = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    let routes = routes.iter().map(|(path, module)| format!("[{},{}]", json(path), json(module))).collect::<Vec<_>>().join(",");
    let modules = modules
        .iter()
        .map(|(module, files)| {
            let files = files.iter().map(|(href, sri)| format!("[{},{}]", json(href), json(sri))).collect::<Vec<_>>().join(",");
            format!("{}:[{files}]", json(module))
        })
        .collect::<Vec<_>>()
        .join(",");
    format!(
        r#"  const preloadRoute = () => {{
    const routes = [{routes}], modules = {{{modules}}};
    const path = location.pathname, wanted = [];
    const api = (document.querySelector('meta[name="checkout-api"]')?.content ?? "").trim();
    const server = api !== "" && api.toLowerCase() !== "mock";
    const whole = server || !modules.mock ? "http_client" : "mock";
    for (const [p, module] of routes) {{
      const m = module === "{API}" ? whole : module === "{QUOTE}" ? (whole === "mock" ? "mock" : "") : module;
      if (m && (p.endsWith("/") ? path.startsWith(p) : path === p || path.startsWith(p + "/"))) wanted.push(m);
    }}
    if (server && modules.mock) wanted.push("http_client");
    const files = [...new Map(wanted.flatMap(m => modules[m] || [])).entries()];
    const next = () => {{
      for (const [href, integrity] of files.splice(0, 4)) {{
        document.head.append(Object.assign(document.createElement("link"), {{ rel: "preload", as: "fetch", type: "application/wasm", crossOrigin: "anonymous", integrity, href }}));
      }}
      if (files.length) setTimeout(next);
    }};
    next();
  }};
"#
    )
}

/// Renames the app's files, rewrites the references between them, adds the
/// integrity of every split module to the loader, and writes the head of
/// `index.html`. `main` is wasm-bindgen's out-name (`checkout-app`).
pub fn bundle(files: Vec<File>, main: &str, routes: &[(&str, &str)]) -> Result<Bundle, String> {
    let main_js = format!("{main}.js");
    let main_wasm = format!("{main}_bg.wasm");
    for needed in [main_js.as_str(), main_wasm.as_str(), LOADER] {
        if !files.iter().any(|f| f.name == needed) {
            return Err(format!("{needed} is missing: run wasm-split-cli and wasm-bindgen (--out-name {main}) into the same folder first"));
        }
    }
    if let Some(odd) = files.iter().find(|f| !(f.name.ends_with(".js") || f.name.ends_with(".wasm")) || f.name.contains('/')) {
        return Err(format!("{} is neither a script nor a wasm module of the app; only those belong in the folder", odd.name));
    }
    let id = build_id(&files);
    let renamed = |name: &str| fingerprinted(name, &id);
    let (scripts, modules): (Vec<File>, Vec<File>) = files.into_iter().partition(|f| f.name.ends_with(".js"));

    // Every split module (not the main one), with its final name and hash.
    let chunks: Vec<(String, String, String)> =
        modules.iter().filter(|m| m.name != main_wasm).map(|m| (m.name.clone(), renamed(&m.name), integrity(&m.bytes))).collect();

    let loader_text = scripts.iter().find(|f| f.name == LOADER).map(|f| String::from_utf8_lossy(&f.bytes).into_owned()).unwrap_or_default();
    let needs: Vec<(String, Vec<(String, String)>)> = module_files(&loader_text)
        .into_iter()
        .map(|(module, files)| {
            let files = files.iter().filter_map(|f| chunks.iter().find(|(old, _, _)| old == f)).map(|(_, new, sri)| (format!("/{new}"), sri.clone())).collect();
            (module, files)
        })
        .collect();

    let mut out = Vec::new();
    for script in scripts {
        let mut text = String::from_utf8(script.bytes).map_err(|_| format!("{} is not UTF-8", script.name))?;
        // Imports between the scripts, and the main module's default address.
        // Only those: the same names also key the wasm module's imports
        // (`"./__wasm_split.js": import1`), which must stay as they are.
        for other in [main_js.as_str(), LOADER, main_wasm.as_str()] {
            for q in ['"', '\''] {
                for (before, after) in [("from ", ""), ("import(", ")"), ("new URL(", ", import.meta.url)")] {
                    for dot in ["./", ""] {
                        text = text.replace(&format!("{before}{q}{dot}{other}{q}{after}"), &format!("{before}{q}{dot}{}{q}{after}", renamed(other)));
                    }
                }
            }
        }
        if script.name == LOADER {
            for (old, new, sri) in &chunks {
                let fetch = format!("fetch(new URL(\"./{old}\", import.meta.url))");
                match text.matches(&fetch).count() {
                    1 => text = text.replace(&fetch, &format!("fetch(new URL(\"./{new}\", import.meta.url), {{ integrity: \"{sri}\" }})")),
                    n => return Err(format!("{LOADER} fetches {old} {n} times, not once: wasm-split-cli's loader changed; update release-bundle")),
                }
            }
        }
        for stale in [main_js.as_str(), LOADER, main_wasm.as_str()].into_iter().chain(chunks.iter().map(|(old, _, _)| old.as_str())) {
            let imports = [format!("from \"./{stale}\""), format!("from './{stale}'"), format!("URL(\"./{stale}\""), format!("URL('{stale}'")];
            if imports.iter().any(|i| text.contains(i.as_str())) {
                return Err(format!("{} still loads {stale} by its old name", script.name));
            }
        }
        out.push(File { name: renamed(&script.name), bytes: text.into_bytes() });
    }
    out.extend(modules.into_iter().map(|m| File { name: renamed(&m.name), bytes: m.bytes }));
    // A build without a feature has no module for its routes (the shoppers'
    // build has no gallery): those routes are left out, and said so.
    let present = |module: &str| needs.iter().any(|(m, _)| m == module);
    let (routes, absent): (Vec<(&str, &str)>, Vec<(&str, &str)>) =
        routes.iter().partition(|(_, module)| present(module) || *module == QUOTE || (*module == API && (present("mock") || present("http_client"))));
    let absent = absent.iter().map(|(path, module)| format!("{path} (module {module:?})")).collect();

    let sri = |name: &str| out.iter().find(|f| f.name == renamed(name)).map(|f| integrity(&f.bytes)).unwrap_or_default();
    let (js, loader, wasm) = (renamed(&main_js), renamed(LOADER), renamed(&main_wasm));
    // The start-up script. The main module's preloads wait in a <template>;
    // `start` adds them, imports the app, and asks for the route's modules in
    // a task of its own (on a slow phone one long task blocks the page). A
    // screen drawn into the page (crates/e2e, prerender) is painted first, with its
    // first images: the app's downloads start once the browser reports the
    // first contentful paint as shown (a `paint` entry comes once the frame is
    // on screen; a frame's own callbacks run before it is), rather than share
    // a slow network and the main thread with that paint. After 2 s, or
    // without paint timing, or in a tab not in view, at once: nothing here
    // can keep the app from starting. (Comments here, not in the script: the
    // script is in every page a shopper downloads.)
    let start = format!(
        r##"<template id="app-start"><link rel="modulepreload" href="/{js}" crossorigin="anonymous" integrity="{js_sri}"><link rel="modulepreload" href="/{loader}" crossorigin="anonymous" integrity="{loader_sri}"><link rel="preload" href="/{wasm}" as="fetch" type="application/wasm" crossorigin="anonymous" integrity="{wasm_sri}"></template>
<script>
(() => {{
{preload_route}  const start = () => {{
    document.head.append(document.getElementById("app-start").content.cloneNode(true));
    import("/{js}").then(async bindings => {{
      const wasm = await bindings.default({{ module_or_path: fetch("/{wasm}", {{ integrity: "{wasm_sri}" }}) }});
      window.wasmBindings = bindings;
      dispatchEvent(new CustomEvent("TrunkApplicationStarted", {{ detail: {{ wasm }} }}));
    }});
    setTimeout(preloadRoute);
  }};
  const drawn = document.querySelector("#app-shell [data-prerendered]");
  if (drawn && document.visibilityState === "visible") {{
    let started = false;
    const go = () => {{ if (!started) {{ started = true; start(); }} }};
    const images = [...drawn.querySelectorAll('img[loading="eager"]')].map(i => i.decode().catch(() => {{}}));
    const shown = new Promise(r => {{
      try {{
        if (!PerformanceObserver.supportedEntryTypes.includes("paint")) return r();
        new PerformanceObserver((list, o) => {{ if (list.getEntriesByName("first-contentful-paint").length) {{ o.disconnect(); r(); }} }}).observe({{ type: "paint", buffered: true }});
      }} catch {{ r(); }}
    }});
    Promise.all([...images, shown]).then(() => requestAnimationFrame(() => setTimeout(go)));
    setTimeout(go, 2000);
  }} else start();
}})();
</script>
"##,
        preload_route = route_preloads(&routes, &needs),
        js_sri = sri(&main_js),
        loader_sri = sri(LOADER),
        wasm_sri = sri(&main_wasm),
    );
    Ok(Bundle { files: out, start, absent })
}

/// `index.html` with `start` before `</body>`; refused if the page already
/// starts an app (then it was not built from the template without the app).
pub fn inject(index_html: &str, start: &str) -> Result<String, String> {
    if index_html.contains("type=\"module\"") || index_html.contains("modulepreload") {
        return Err("index.html already starts an app: build it with Trunk from the template without the rust link (scripts/build-release.sh does)".into());
    }
    let at = index_html.rfind("</body>").ok_or("index.html has no </body>")?;
    Ok(format!("{}{start}{}", &index_html[..at], &index_html[at..]))
}

/// Joins the page's stylesheets into one file, in their order (so the cascade
/// is the same): a phone on a slow network then makes one request before the
/// first paint instead of one per stylesheet, each of which blocks it. Returns
/// the page with one `<link>` (with its integrity) where the first was, the
/// joined file (`style-<hash>.css`), and the names of the files it replaces.
/// `read` gives a stylesheet's bytes by its name.
pub fn join_stylesheets(index_html: &str, read: impl Fn(&str) -> Result<Vec<u8>, String>) -> Result<(String, File, Vec<String>), String> {
    const OPEN: &str = "<link rel=\"stylesheet\" href=\"/";
    let mut page = String::new();
    let mut joined = Vec::new();
    let mut names = Vec::new();
    let mut rest = index_html;
    let mut first_at = None;
    while let Some(at) = rest.find(OPEN) {
        let end = rest[at..].find('>').ok_or("index.html has a stylesheet link that does not end")? + at + 1;
        let name = rest[at + OPEN.len()..].split('"').next().unwrap_or_default().to_owned();
        if name.contains('/') || !name.ends_with(".css") {
            return Err(format!("index.html links the stylesheet {name:?}, not a .css file at the top of dist/"));
        }
        joined.extend(read(&name)?);
        joined.push(b'\n');
        names.push(name);
        page.push_str(&rest[..at]);
        first_at.get_or_insert(page.len());
        rest = rest[end..].strip_prefix('\n').unwrap_or(&rest[end..]);
    }
    page.push_str(rest);
    let at = first_at.ok_or("index.html links no stylesheet")?;
    let joined = minify_css(&String::from_utf8(joined).map_err(|_| "a stylesheet is not UTF-8")?).into_bytes();
    let hash = Sha256::digest(&joined);
    let name = format!("style-{}.css", hash.iter().take(8).map(|b| format!("{b:02x}")).collect::<String>());
    page.insert_str(at, &format!("<link rel=\"stylesheet\" href=\"/{name}\" integrity=\"{}\"/>\n", integrity(&joined)));
    Ok((page, File { name, bytes: joined }, names))
}

/// The stylesheet as a browser needs it: without comments, and with
/// whitespace cut to what separates tokens (one space, none next to `{`, `}`,
/// `;` or `,`, no `;` before `}`). Strings are kept as written. The sources
/// keep their comments for the people reading them; shoppers do not download
/// them (about 1.3 KB brotli of the first visit).
pub fn minify_css(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    let mut space = false;
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for d in chars.by_ref() {
                    if last == '*' && d == '/' {
                        break;
                    }
                    last = d;
                }
                space = true;
            }
            '"' | '\'' => {
                flush_space(&mut out, &mut space);
                out.push(c);
                while let Some(d) = chars.next() {
                    out.push(d);
                    if d == '\\' {
                        out.extend(chars.next());
                    } else if d == c {
                        break;
                    }
                }
            }
            c if c.is_whitespace() => space = true,
            '{' | '}' | ';' | ',' => {
                space = false;
                if c == '}' && out.ends_with(';') {
                    out.pop();
                }
                out.push(c);
                // No space after these either.
                while chars.peek().is_some_and(|d| d.is_whitespace()) {
                    chars.next();
                }
            }
            c => {
                flush_space(&mut out, &mut space);
                out.push(c);
            }
        }
    }
    out
}

/// Writes the one space a run of whitespace or a comment stood for, unless
/// it comes at the start or after a character that needs none.
fn flush_space(out: &mut String, space: &mut bool) {
    if std::mem::take(space) && !out.is_empty() && !out.ends_with(['{', '}', ';', ',']) {
        out.push(' ');
    }
}

/// The files a server should send compressed: text and wasm. `index.html` is
/// left out, as servers answer it themselves (the reference server rewrites it).
const COMPRESSIBLE: [&str; 5] = ["js", "wasm", "css", "svg", "json"];

/// Writes `<file>.br` (brotli, quality 11) beside every compressible file of
/// `dir` and its folders where that is smaller, so that a server can send it
/// as it is (the reference server does, to browsers that accept brotli)
/// instead of compressing each response at a faster, weaker level. Returns
/// how many it wrote, and the brotli bytes of the largest.
pub fn precompress(dir: &Path) -> Result<(usize, u64), String> {
    let mut written = (0, 0);
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            let (n, largest) = precompress(&path)?;
            written = (written.0 + n, written.1.max(largest));
            continue;
        }
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default();
        if !COMPRESSIBLE.contains(&ext) {
            continue;
        }
        let data = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let mut out = Vec::new();
        let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
        brotli::BrotliCompress(&mut &data[..], &mut out, &params).map_err(|e| format!("cannot compress {}: {e}", path.display()))?;
        if out.len() < data.len() {
            let mut name = path.file_name().unwrap_or_default().to_os_string();
            name.push(".br");
            std::fs::write(path.with_file_name(name), &out).map_err(|e| format!("cannot write {}.br: {e}", path.display()))?;
            written = (written.0 + 1, written.1.max(out.len() as u64));
        }
    }
    Ok(written)
}

/// What [`install`] did, for the build log.
pub struct Report {
    pub files: Vec<(String, usize)>,
    pub absent: Vec<String>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "release bundle: {} files of the app", self.files.len())?;
        for (name, bytes) in &self.files {
            writeln!(f, "  {bytes:>9}  {name}")?;
        }
        for route in &self.absent {
            writeln!(f, "not in this build, so not preloaded: {route}")?;
        }
        Ok(())
    }
}

/// Reads the app from `pkg`, writes it into `dist` and starts it from
/// `dist/index.html`.
pub fn install(pkg: &Path, dist: &Path, main: &str, routes: &[(&str, &str)]) -> Result<Report, String> {
    let mut files = Vec::new();
    let entries = std::fs::read_dir(pkg).map_err(|e| format!("cannot read {}: {e}", pkg.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| e.to_string())?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !entry.file_type().map_err(|e| e.to_string())?.is_file() {
            return Err(format!("{}/{name} is a folder; the app's files must all be at the top of {}", pkg.display(), pkg.display()));
        }
        if name.ends_with(".d.ts") {
            continue;
        }
        files.push(File { bytes: std::fs::read(entry.path()).map_err(|e| e.to_string())?, name });
    }
    let index_path = dist.join("index.html");
    let index = std::fs::read_to_string(&index_path).map_err(|e| format!("cannot read {}: {e}", index_path.display()))?;
    let bundle = bundle(files, main, routes)?;
    let read = |name: &str| std::fs::read(dist.join(name)).map_err(|e| format!("cannot read {name}, which index.html links: {e}"));
    let (index, style, joined) = join_stylesheets(&index, read)?;
    for name in &joined {
        std::fs::remove_file(dist.join(name)).map_err(|e| format!("cannot remove {name}: {e}"))?;
    }
    std::fs::write(dist.join(&style.name), &style.bytes).map_err(|e| format!("cannot write {}: {e}", style.name))?;
    let index = inject(&index, &bundle.start)?;
    let mut report = Report { files: Vec::new(), absent: bundle.absent.clone() };
    for f in &bundle.files {
        std::fs::write(dist.join(&f.name), &f.bytes).map_err(|e| format!("cannot write {}: {e}", f.name))?;
        report.files.push((f.name.clone(), f.bytes.len()));
    }
    report.files.sort();
    std::fs::write(&index_path, index).map_err(|e| format!("cannot write {}: {e}", index_path.display()))?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    #[test]
    fn stylesheets_lose_comments_and_spare_whitespace_but_not_meaning() {
        let css = "/* tokens */\n:root {\n  --a: 1px; /* one */\n}\n.a .b > .c,\n.d:hover { content: \"/* kept */  x\"; margin: 0 calc(1px + 2px) ; }\n@media (min-width: 40rem) and (max-width: 60rem) {\n  .e::before { content: '\\'' }\n}\n";
        assert_eq!(
            super::minify_css(css),
            ":root{--a: 1px}.a .b > .c,.d:hover{content: \"/* kept */  x\";margin: 0 calc(1px + 2px)}@media (min-width: 40rem) and (max-width: 60rem){.e::before{content: '\\''}}"
        );
    }

    use super::*;

    const ROUTES: &[(&str, &str)] = &[("/cart", "cart")];

    fn file(name: &str, text: &str) -> File {
        File { name: name.into(), bytes: text.as_bytes().to_vec() }
    }

    /// The shape of wasm-bindgen's and wasm-split-cli's output, cut down.
    fn app() -> Vec<File> {
        vec![
            file(
                "checkout-app.js",
                "import * as import1 from \"./__wasm_split.js\"\nimports = { \"./__wasm_split.js\": import1 };\nmodule_or_path = new URL('checkout-app_bg.wasm', import.meta.url);\n",
            ),
            file("checkout-app_bg.wasm", "\0asm main"),
            file(
                LOADER,
                "import { initSync } from \"./checkout-app.js\";\n/* cart, checkout */\nconst c = fetch(new URL(\"./chunk_1_cart_checkout.wasm\", import.meta.url));\nconst src = fetch(new URL(\"./split_cart.wasm\", import.meta.url));\n",
            ),
            file("split_cart.wasm", "\0asm cart"),
            file("chunk_1_cart_checkout.wasm", "\0asm shared"),
        ]
    }

    fn text(b: &Bundle, name_starts: &str) -> String {
        let f = b.files.iter().find(|f| f.name.starts_with(name_starts)).unwrap_or_else(|| panic!("no {name_starts}* in {:?}", b.files));
        String::from_utf8(f.bytes.clone()).unwrap()
    }

    #[test]
    fn names_carry_the_build_id_where_servers_and_trunk_expect_it() {
        assert_eq!(fingerprinted("checkout-app_bg.wasm", "0123456789abcdef"), "checkout-app-0123456789abcdef_bg.wasm");
        assert_eq!(fingerprinted("__wasm_split.js", "0123456789abcdef"), "__wasm_split-0123456789abcdef.js");
        assert_eq!(fingerprinted("split_cart.wasm", "00ff"), "split_cart-00ff.wasm");
        assert_eq!(build_id(&app()).len(), 16);
    }

    #[test]
    fn the_build_id_changes_with_any_file_and_not_with_their_order() {
        let mut reversed = app();
        reversed.reverse();
        assert_eq!(build_id(&app()), build_id(&reversed));
        let mut changed = app();
        changed[3].bytes.push(0);
        assert_ne!(build_id(&app()), build_id(&changed));
    }

    #[test]
    fn every_reference_follows_the_new_names_and_each_module_is_fetched_with_its_hash() {
        let b = bundle(app(), "checkout-app", ROUTES).unwrap();
        let id = build_id(&app());
        assert_eq!(b.files.len(), 5);
        let main = text(&b, "checkout-app-");
        assert!(main.contains(&format!("import * as import1 from \"./__wasm_split-{id}.js\"")), "{main}");
        // The key of the wasm module's imports stays what the module asks for.
        assert!(main.contains("{ \"./__wasm_split.js\": import1 }"), "{main}");
        assert!(main.contains(&format!("'checkout-app-{id}_bg.wasm'")), "{main}");
        let loader = text(&b, "__wasm_split-");
        assert!(loader.contains(&format!("from \"./checkout-app-{id}.js\"")), "{loader}");
        let cart_sri = integrity(b"\0asm cart");
        assert!(loader.contains(&format!("fetch(new URL(\"./split_cart-{id}.wasm\", import.meta.url), {{ integrity: \"{cart_sri}\" }})")), "{loader}");
        assert!(loader.contains(&format!("chunk_1_cart_checkout-{id}.wasm\", import.meta.url), {{ integrity: \"sha256-")), "{loader}");
        // The page preloads what it starts with, with the hashes of the final files.
        let main_sri = integrity(main.as_bytes());
        assert!(b.start.contains(&format!("href=\"/checkout-app-{id}.js\" crossorigin=\"anonymous\" integrity=\"{main_sri}\"")), "{}", b.start);
        assert!(b.start.contains(&format!("integrity=\"{}\"", integrity(loader.as_bytes()))), "{}", b.start);
        assert!(b.start.contains(&format!("fetch(\"/checkout-app-{id}_bg.wasm\", {{ integrity: \"{}\" }})", integrity(b"\0asm main"))), "{}", b.start);
        assert!(b.start.contains(&format!("import(\"/checkout-app-{id}.js\")")), "{}", b.start);
        // Kept in a template until the app starts: at once, or once a screen
        // drawn into the page has been shown (its first contentful paint).
        assert!(b.start.starts_with("<template id=\"app-start\"><link rel=\"modulepreload\""), "{}", b.start);
        assert!(b.start.contains("getEntriesByName(\"first-contentful-paint\")"), "{}", b.start);
        assert!(b.start.contains("Promise.all([...images, shown]).then(() => requestAnimationFrame(() => setTimeout(go)));"), "{}", b.start);
        // Whatever the browser does or lacks, the app starts.
        assert!(b.start.contains("} catch { r(); }") && b.start.contains("setTimeout(go, 2000);\n  } else start();"), "{}", b.start);
    }

    #[test]
    fn a_loader_that_does_not_fetch_a_module_as_expected_stops_the_build() {
        let mut files = app();
        files[2] = file(LOADER, "import { initSync } from \"./checkout-app.js\";\nimport(\"./split_cart.wasm\");\n");
        let e = bundle(files, "checkout-app", ROUTES).unwrap_err();
        assert!(e.contains("split_cart.wasm") && e.contains("0 times"), "{e}");
    }

    #[test]
    fn missing_or_foreign_files_are_named() {
        let e = bundle(app().into_iter().filter(|f| f.name != LOADER).collect(), "checkout-app", ROUTES).unwrap_err();
        assert!(e.contains(LOADER), "{e}");
        let mut files = app();
        files.push(file("notes.txt", "hi"));
        assert!(bundle(files, "checkout-app", ROUTES).unwrap_err().contains("notes.txt"));
    }

    #[test]
    fn a_route_preloads_its_module_and_the_chunks_it_shares() {
        let loader = "/* cart, checkout */\nconst src = fetch(new URL(\"./chunk_1.wasm\", import.meta.url));\n/* checkout */\nconst x = fetch(new URL(\"./chunk_2.wasm\", import.meta.url));\nfetch(new URL(\"./split_cart.wasm\", import.meta.url));\nfetch(new URL(\"./split_checkout.wasm\", import.meta.url));\n";
        let modules = module_files(loader);
        assert_eq!(modules, vec![("cart".to_owned(), vec!["chunk_1.wasm".to_owned(), "split_cart.wasm".to_owned()]), ("checkout".to_owned(), vec!["chunk_1.wasm".to_owned(), "chunk_2.wasm".to_owned(), "split_checkout.wasm".to_owned()])]);

        let b = bundle(app(), "checkout-app", ROUTES).unwrap();
        let id = build_id(&app());
        let shared = format!("[\"/chunk_1_cart_checkout-{id}.wasm\",\"{}\"]", integrity(b"\0asm shared"));
        let own = format!("[\"/split_cart-{id}.wasm\",\"{}\"]", integrity(b"\0asm cart"));
        assert!(b.start.contains(&format!("\"cart\":[{shared},{own}]")), "{}", b.start);
        assert!(b.start.contains("const routes = [[\"/cart\",\"cart\"]]"), "{}", b.start);
        // The route's preloads are asked for right after the app's own files.
        assert!(b.start.find("document.head.append(document.getElementById(\"app-start\")") < b.start.find("    setTimeout(preloadRoute);"), "{}", b.start);

        // A route whose module this build lacks (the shoppers' build has no
        // gallery) is left out and named, not an error.
        let b = bundle(app(), "checkout-app", &[("/cart", "cart"), ("/preview", "preview")]).unwrap();
        assert!(b.start.contains("const routes = [[\"/cart\",\"cart\"]]"), "{}", b.start);
        assert_eq!(b.absent, vec!["/preview (module \"preview\")".to_owned()]);

        // The whole order API's row stays when the build has either of its
        // modules, and stands for the one the page talks to.
        let b = bundle(app(), "checkout-app", &[("/orders", API)]).unwrap();
        assert_eq!(b.absent, vec!["/orders (module \"api\")".to_owned()]);
        let mut files = app();
        files[2].bytes.extend(b"const m = fetch(new URL(\"./split_mock.wasm\", import.meta.url));\n");
        files.push(file("split_mock.wasm", "\0asm mock"));
        let b = bundle(files.clone(), "checkout-app", &[("/orders", API)]).unwrap();
        assert!(b.absent.is_empty(), "{:?}", b.absent);
        assert!(b.start.contains("const routes = [[\"/orders\",\"api\"]]") && b.start.contains("module === \"api\" ? whole : "), "{}", b.start);

        // The quote's row stands for the mock's module on the mock, and for
        // nothing else: a build without the mock quotes from the checkout's
        // own module, and that is no missing module.
        for files in [files, app()] {
            let b = bundle(files, "checkout-app", &[("/checkout", QUOTE)]).unwrap();
            assert!(b.absent.is_empty(), "{:?}", b.absent);
            assert!(b.start.contains("module === \"quote\" ? (whole === \"mock\" ? \"mock\" : \"\")"), "{}", b.start);
        }
    }

    #[test]
    fn the_stylesheets_become_one_file_in_their_order_with_its_integrity() {
        let page = "<head>\n<title>x</title>\n<link rel=\"stylesheet\" href=\"/a-1.css\" integrity=\"sha384-a\"/>\n<link rel=\"icon\" href=\"/f.svg\"/>\n<link rel=\"stylesheet\" href=\"/b-2.css\" integrity=\"sha384-b\"/>\n</head>";
        let read = |name: &str| match name {
            "a-1.css" => Ok(b"a{color:red}".to_vec()),
            "b-2.css" => Ok(b"a{color:blue}".to_vec()),
            other => Err(format!("no {other}")),
        };
        let (out, style, joined) = join_stylesheets(page, read).unwrap();
        assert_eq!(style.bytes, b"a{color:red}a{color:blue}", "later rules still come later, minified");
        assert!(style.name.starts_with("style-") && style.name.ends_with(".css"), "{}", style.name);
        assert_eq!(joined, vec!["a-1.css".to_owned(), "b-2.css".to_owned()]);
        assert_eq!(
            out,
            format!("<head>\n<title>x</title>\n<link rel=\"stylesheet\" href=\"/{}\" integrity=\"{}\"/>\n<link rel=\"icon\" href=\"/f.svg\"/>\n</head>", style.name, integrity(&style.bytes))
        );
        assert!(join_stylesheets("<head></head>", read).unwrap_err().contains("no stylesheet"));
        let missing = page.replace("/b-2.css", "/c.css");
        assert!(join_stylesheets(&missing, read).unwrap_err().contains("no c.css"));
    }

    #[test]
    fn compressible_files_get_a_smaller_brotli_twin_and_the_rest_are_left_alone() {
        let dir = std::env::temp_dir().join(format!("release-bundle-br-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("locales")).unwrap();
        let text = "body { margin: 0 }\n".repeat(200);
        std::fs::write(dir.join("app-00ff.css"), &text).unwrap();
        std::fs::write(dir.join("locales/en.json"), format!("{{\"a\": \"{}\"}}", "x".repeat(500))).unwrap();
        std::fs::write(dir.join("tiny.js"), "1").unwrap();
        std::fs::write(dir.join("index.html"), &text).unwrap();
        std::fs::write(dir.join("photo.png"), &text).unwrap();

        let (written, _) = precompress(&dir).unwrap();
        assert_eq!(written, 2);
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut &std::fs::read(dir.join("app-00ff.css.br")).unwrap()[..], &mut back).unwrap();
        assert_eq!(back, text.as_bytes(), "the twin is the same file");
        assert!(dir.join("locales/en.json.br").exists(), "folders too");
        for left in ["tiny.js.br", "index.html.br", "photo.png.br"] {
            assert!(!dir.join(left).exists(), "{left}: not smaller, answered by the server itself, or not text");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_start_goes_once_at_the_end_of_a_page_that_starts_no_app() {
        let page = "<html><head><title>x</title></head><body><p>shell</p></body></html>";
        assert_eq!(inject(page, "<!--s-->").unwrap(), "<html><head><title>x</title></head><body><p>shell</p><!--s--></body></html>");
        assert!(inject("<head><script type=\"module\"></script></head><body></body>", "x").is_err());
        assert!(inject("<head><link rel=\"modulepreload\" href=\"/a.js\"></head><body></body>", "x").is_err());
        assert!(inject("<head></head>", "x").is_err());
        let with_body_script = "<html><head></head><body><script>pick()</script></body></html>";
        assert_eq!(inject(with_body_script, "<!--s-->").unwrap(), "<html><head></head><body><script>pick()</script><!--s--></body></html>");
    }
}
