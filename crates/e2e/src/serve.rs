//! Serves a built bundle on loopback as a static host would. Files are served
//! as they are; a path without a file extension (a client route such as /cart
//! or /products/headlamp) gets its own page if the build wrote one
//! (`cart.html`, `products/headlamp.html`), else `shell.html`
//! (`crate::prerender::page_for`), so reloads and deep links work; a missing
//! asset (a path with an extension) is a 404, not HTML in place of a script.
//! Every answer carries the reference server's Content-Security-Policy (no
//! inline script but the app's start-up script, by its hash; no eval beyond
//! `'wasm-unsafe-eval'`), so every journey runs under it.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::services::ServeDir;

/// A page of the bundle, with its policy (its inline start-up script allowed by its hash).
async fn html_page(page: PathBuf) -> Response {
    match tokio::fs::read_to_string(&page).await {
        Ok(html) => {
            let csp = order_api::csp_for_page(&html);
            ([(header::CONTENT_TYPE, "text/html; charset=utf-8".to_owned()), (header::CONTENT_SECURITY_POLICY, csp)], html).into_response()
        }
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, format!("{} is missing from the bundle", page.display())).into_response(),
    }
}

async fn client_route(dist: PathBuf, uri: Uri) -> Response {
    let path = uri.path();
    let last = path.rsplit('/').next().unwrap_or_default();
    if last.contains('.') {
        return StatusCode::NOT_FOUND.into_response();
    }
    html_page(crate::prerender::page_for(&dist, path)).await
}

pub fn app(dist: &Path) -> Router {
    let (home, index, root) = (dist.to_owned(), dist.join("index.html"), dist.to_owned());
    let fallback = axum::routing::get(move |uri: Uri| client_route(root.clone(), uri));
    Router::new()
        .route("/", axum::routing::get(move || client_route(home.clone(), Uri::from_static("/"))))
        .route("/index.html", axum::routing::get(move || html_page(index.clone())))
        .fallback_service(ServeDir::new(dist).fallback(fallback))
        .layer(tower_http::set_header::SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(order_api::CSP),
        ))
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

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    async fn get(addr: std::net::SocketAddr, path: &str) -> String {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        s.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes()).await.unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).await.unwrap();
        out
    }

    #[tokio::test]
    async fn serves_files_falls_back_for_routes_and_404s_missing_assets() {
        let dir = std::env::temp_dir().join(format!("serve-test-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("images")).unwrap();
        std::fs::write(dir.join("index.html"), "<!doctype html><p>app</p>").unwrap();
        std::fs::write(dir.join("app.js"), "console.log(1)").unwrap();
        std::fs::write(dir.join("images/a.svg"), "<svg/>").unwrap();
        let addr = super::start(&dir, ([127, 0, 0, 1], 0).into()).await.unwrap();

        let js = get(addr, "/app.js").await;
        assert!(js.starts_with("HTTP/1.1 200") && js.ends_with("console.log(1)"), "{js}");
        assert!(get(addr, "/images/a.svg").await.ends_with("<svg/>"));
        for route in ["/", "/cart", "/products/headlamp", "/orders/42/dispute"] {
            let r = get(addr, route).await;
            assert!(r.starts_with("HTTP/1.1 200") && r.contains("<p>app</p>"), "{route}: {r}");
            assert!(r.to_ascii_lowercase().contains("content-type: text/html"), "{route}: {r}");
        }
        assert!(get(addr, "/missing.js").await.starts_with("HTTP/1.1 404"));
        // A route's own page, where the build wrote one; the shell elsewhere.
        std::fs::create_dir_all(dir.join("products")).unwrap();
        std::fs::write(dir.join("products/headlamp.html"), "<!doctype html><p>headlamp</p>").unwrap();
        std::fs::write(dir.join("shell.html"), "<!doctype html><p>shell</p>").unwrap();
        assert!(get(addr, "/products/headlamp").await.ends_with("<p>headlamp</p>"));
        assert!(get(addr, "/products/mug").await.ends_with("<p>shell</p>"), "no page of its own: the shell");
        assert!(get(addr, "/").await.ends_with("<p>app</p>"), "/ is index.html");
        // Everything under the policy; the page names no inline script (it has none).
        let page = get(addr, "/cart").await.to_ascii_lowercase();
        assert!(page.contains("content-security-policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval';"), "{page}");
        assert!(js.to_ascii_lowercase().contains("content-security-policy:"), "{js}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
