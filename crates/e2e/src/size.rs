//! The bundle size report: every file of the release bundle in bytes raw, gzip
//! (level 9) and brotli (quality 11), and their sums.

use std::io::Write;
use std::path::{Path, PathBuf};

pub struct FileSize {
    pub path: String,
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

fn gzip_len(data: &[u8]) -> u64 {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(data).expect("gzip into memory");
    enc.finish().expect("gzip into memory").len() as u64
}

fn brotli_len(data: &[u8]) -> u64 {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    brotli::BrotliCompress(&mut &data[..], &mut out, &params).expect("brotli into memory");
    out.len() as u64
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "br") {
            // The release build's compressed twins: the same files again.
        } else {
            out.push(path);
        }
    }
    Ok(())
}

pub fn measure(dist: &Path) -> std::io::Result<Vec<FileSize>> {
    let mut paths = Vec::new();
    files(dist, &mut paths)?;
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let data = std::fs::read(&p)?;
            Ok(FileSize {
                path: p.strip_prefix(dist).unwrap_or(&p).display().to_string(),
                raw: data.len() as u64,
                gzip: gzip_len(&data),
                brotli: brotli_len(&data),
            })
        })
        .collect()
}

/// The report as text: one row per file, then the sum of the app shell (html,
/// js, wasm, css) and the sum of everything.
pub fn report(sizes: &[FileSize]) -> String {
    let mut s = format!("{:<48} {:>10} {:>10} {:>10}\n", "file", "raw", "gzip", "brotli");
    let row = |name: &str, r: u64, g: u64, b: u64| format!("{name:<48} {r:>10} {g:>10} {b:>10}\n");
    for f in sizes {
        s += &row(&f.path, f.raw, f.gzip, f.brotli);
    }
    let sum = |pred: &dyn Fn(&FileSize) -> bool| {
        sizes.iter().filter(|f| pred(f)).fold((0, 0, 0), |(r, g, b), f| (r + f.raw, g + f.gzip, b + f.brotli))
    };
    let shell = sum(&|f| [".wasm", ".js", ".css", ".html"].iter().any(|e| f.path.ends_with(e)));
    let all = sum(&|_| true);
    s += &row("sum: app shell (html, js, wasm, css)", shell.0, shell.1, shell.2);
    s += &row("sum: all files", all.0, all.1, all.2);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_every_file_and_sums_the_app_shell_apart() {
        let dir = std::env::temp_dir().join(format!("size-test-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("images")).unwrap();
        let wasm = vec![7u8; 10_000];
        std::fs::write(dir.join("app_bg.wasm"), &wasm).unwrap();
        std::fs::write(dir.join("index.html"), "<html></html>").unwrap();
        std::fs::write(dir.join("images/p.svg"), "<svg/>").unwrap();
        std::fs::write(dir.join("app_bg.wasm.br"), [1u8; 50]).unwrap();
        let sizes = measure(&dir).unwrap();
        assert_eq!(sizes.len(), 3, "a .br twin is not counted again");
        let w = sizes.iter().find(|f| f.path == "app_bg.wasm").unwrap();
        assert_eq!(w.raw, 10_000);
        assert!(w.gzip < 200 && w.brotli < 200, "repetitive data compresses: {} {}", w.gzip, w.brotli);
        let text = report(&sizes);
        let shell = text.lines().find(|l| l.starts_with("sum: app shell")).unwrap();
        assert!(shell.contains(" 10013 "), "{shell}");
        let all = text.lines().find(|l| l.starts_with("sum: all files")).unwrap();
        assert!(all.contains(" 10019 "), "{all}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
