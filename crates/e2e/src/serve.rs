//! Serves a built bundle on loopback. Files are served as they are; any other
//! path gets index.html, so a reload on a client route such as /cart works.

use std::net::SocketAddr;
use std::path::Path;

use axum::Router;
use tower_http::services::{ServeDir, ServeFile};

pub fn app(dist: &Path) -> Router {
    let index = ServeFile::new(dist.join("index.html"));
    Router::new().fallback_service(ServeDir::new(dist).fallback(index))
}

/// Starts serving `dist` on `addr` (port 0 picks a free one); returns the address.
pub async fn start(dist: &Path, addr: SocketAddr) -> std::io::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let router = app(dist);
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Ok(local)
}
