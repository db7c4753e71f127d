//! The bundle served as a production host would: each file also stored
//! brotli-compressed (`.br` beside it, quality 11) and sent compressed to a
//! browser that accepts it. [`crate::serve`] sends files as they are, which is
//! right for the tests but makes a page-speed audit measure megabytes of
//! uncompressed wasm; this copy is for the second Lighthouse run. Everything
//! it does not find as a file (client routes, `/`) is answered by
//! [`crate::serve::app`] on the same copy, with its index.html and policy,
//! compressed at each request as the reference server does (the page is not
//! stored compressed: a server writes it).

use std::io::Write;
use std::path::{Path, PathBuf};

use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

use super::Result;

/// A copy of the bundle with `.br` files, removed when dropped.
pub struct CompressedCopy(pub PathBuf);
impl Drop for CompressedCopy {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const COMPRESSIBLE: [&str; 6] = ["html", "js", "wasm", "css", "svg", "json"];

fn copy_compressed(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        // Trunk's staging directory is not part of the bundle.
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(&name));
        if src.is_dir() {
            copy_compressed(&src, &dst)?;
            continue;
        }
        let data = std::fs::read(&src)?;
        std::fs::write(&dst, &data)?;
        let ext = src.extension().and_then(|e| e.to_str()).unwrap_or_default();
        if COMPRESSIBLE.contains(&ext) {
            let mut out = Vec::new();
            let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
            brotli::BrotliCompress(&mut &data[..], &mut out, &params)?;
            std::fs::File::create(to.join(format!("{}.br", name.to_string_lossy())))?.write_all(&out)?;
        }
    }
    Ok(())
}

/// Serves a brotli copy of `dist` on a free loopback port; returns its base URL
/// and the copy (keep it alive while serving).
pub async fn start(dist: &Path) -> Result<(String, CompressedCopy)> {
    let dir = std::env::temp_dir().join(format!("bench-dist-br-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (d, t) = (dist.to_path_buf(), dir.clone());
    tokio::task::spawn_blocking(move || copy_compressed(&d, &t))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("cannot make a compressed copy of {}: {e}", dist.display()))?;
    let copy = CompressedCopy(dir.clone());
    let files = ServeDir::new(&dir)
        .precompressed_br()
        .append_index_html_on_directories(false)
        .fallback(crate::serve::app(&dir));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await.map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let router = Router::new().fallback_service(files).layer(CompressionLayer::new());
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Ok((format!("http://{addr}"), copy))
}
