//! The default build's first screens, drawn at build time for a static host:
//! `index.html` is the catalog, `cart.html` and `checkout.html` the cart and
//! the checkout (drawn empty, as on a first visit), and `products/<id>.html`
//! each product with its title, description and link-preview tags. Each is in
//! view from the first paint, before the app's module has downloaded and run.
//! Every other route gets `shell.html`, the page as Trunk built it (the
//! skeleton). A static host serves `$uri`, then `$uri.html`, then
//! `shell.html` (`crate::serve` does; nginx: `try_files $uri $uri.html
//! /shell.html`).
//!
//! The screens are the app's own, drawn natively by its server renderer
//! (`checkout_app::render`) from the mock's catalog, as the reference order
//! server draws them for the shoppers' build (crates/order-api, `pages.rs`),
//! with no browser in the build. A static page cannot know the shopper: each
//! copy says what it was drawn for (English; an empty cart), and the app drops
//! one at start that does not fit this visit
//! (`components::shell::drawn_copy_fits`). The page holds no script of its
//! own.

use std::path::{Path, PathBuf};

use checkout_app::render::{self, CartSeen, Drawn, Screen};

pub use render::SHELL_PAGE;

/// The routes drawn into pages of their own besides the products', and
/// their files.
pub const PAGES: [(&str, &str); 3] = [("/", "index.html"), ("/cart", "cart.html"), ("/checkout", "checkout.html")];

/// The file a static host serves for a client route of a bundle (a path
/// without an extension): its own page if the build wrote one, else
/// `shell.html` (or `index.html`, in a build that drew nothing).
pub fn page_for(dist: &Path, path: &str) -> PathBuf {
    // Plain names only, never out of the bundle.
    let plain = |route: &&str| route.split('/').all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    let own = match path {
        "" | "/" => Some(dist.join("index.html")),
        _ => path.strip_prefix('/').filter(plain).map(|route| dist.join(format!("{route}.html"))),
    };
    own.filter(|p| p.is_file()).unwrap_or_else(|| render::plain_page(dist))
}

/// Draws the screens from the mock's catalog into pages of their own in
/// `dist`, from its `index.html` (kept as `shell.html`). Refuses a bundle
/// drawn already.
pub fn prerender(dist: &Path) -> Result<Vec<Drawn>, String> {
    let write = |file: &Path, page: &str| std::fs::write(file, page).map_err(|e| format!("write {}: {e}", file.display()));
    let shell = dist.join(SHELL_PAGE);
    if shell.exists() {
        return Err(format!("{} exists: the bundle is drawn already (build it again)", shell.display()));
    }
    let index = dist.join("index.html");
    let template = std::fs::read_to_string(&index).map_err(|e| format!("read {}: {e}", index.display()))?;
    let catalog = marketplace::world::catalog();
    let draw = |path: &str| render::draw(&Screen::of_path(path).ok_or(format!("{path} is not a screen drawn ahead"))?, &catalog, CartSeen::Empty, render::DRAWN_IN);
    let mut pages = Vec::new();
    for (path, file) in PAGES {
        let d = draw(path)?;
        pages.push((dist.join(file), render::page_with_screen(&template, &d)?, d));
    }
    let products = dist.join("products");
    std::fs::create_dir_all(&products).map_err(|e| format!("create {}: {e}", products.display()))?;
    for product in &catalog.products {
        let d = draw(&format!("/products/{}", product.id.0))?;
        let page = render::with_product_tags(&render::page_with_screen(&template, &d)?, product, None);
        pages.push((products.join(format!("{}.html", product.id.0)), page, d));
    }
    // Every page is drawn before any is written: a screen that cannot be
    // drawn leaves the bundle as Trunk built it.
    write(&shell, &template)?;
    let mut drawn = Vec::new();
    for (file, page, d) in pages {
        write(&file, &page)?;
        drawn.push(d);
    }
    Ok(drawn)
}

#[cfg(test)]
mod tests {
    use super::*;
    use checkout_app::components::shell::drawn_for;

    fn bundle(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("prerender-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let template = std::fs::read_to_string(crate::workspace_root().join("index.html")).unwrap();
        std::fs::write(dir.join("index.html"), template).unwrap();
        dir
    }

    #[test]
    fn each_first_screen_gets_a_page_of_its_own_in_view_with_no_script() {
        let dist = bundle("pages");
        let drawn = prerender(&dist).unwrap();
        let catalog = marketplace::world::catalog();
        assert_eq!(drawn.len(), 3 + catalog.products.len());
        let read = |file: &str| std::fs::read_to_string(dist.join(file)).unwrap();
        let template = std::fs::read_to_string(crate::workspace_root().join("index.html")).unwrap();
        assert_eq!(read(SHELL_PAGE), template, "every other route: the page as built");
        assert!(!template.contains("<script"), "index.html holds no script of its own");
        for (file, screen) in [("index.html", "catalog"), ("cart.html", "cart"), ("checkout.html", "checkout"), ("products/headlamp.html", "product")] {
            let page = read(file);
            assert!(page.contains(&format!("<html lang=\"en\" data-prerendered=\"{screen}\" dir=\"ltr\">")), "{file}: {page}");
            assert_eq!(page.matches("data-prerendered=").count(), 2, "{file}: one screen, in view");
            assert!(page.contains("app-shell__skeleton\" aria-hidden=\"true\" hidden>"), "{file}: the skeleton gives way");
            assert_eq!(page.matches(" hidden>").count(), 1, "{file}: nothing else is hidden");
            assert!(!page.contains("<script"), "{file}: no script of the page's own");
            assert_eq!(page.contains(drawn_for::EMPTY_CART), screen == "cart" || screen == "checkout", "{file}: drawn for an empty cart");
        }
        assert!(read("products/headlamp.html").contains("<meta property=\"og:title\""), "link-preview tags");
        assert!(read("cart.html").contains("<title>Cart"), "each page has its screen's title");
        assert!(prerender(&dist).unwrap_err().contains("drawn already"));
        let _ = std::fs::remove_dir_all(&dist);
    }

    #[test]
    fn a_static_host_serves_a_routes_own_page_else_the_shell() {
        let dist = bundle("routes");
        assert_eq!(page_for(&dist, "/cart"), dist.join("index.html"), "a build that drew nothing: index.html for all");
        prerender(&dist).unwrap();
        assert_eq!(page_for(&dist, "/"), dist.join("index.html"));
        assert_eq!(page_for(&dist, "/cart"), dist.join("cart.html"));
        assert_eq!(page_for(&dist, "/products/headlamp"), dist.join("products/headlamp.html"));
        for other in ["/orders", "/orders/ord_1/dispute", "/products/none", "/products/../cart", "//cart", "/cart/"] {
            assert_eq!(page_for(&dist, other), dist.join(SHELL_PAGE), "{other}");
        }
        let _ = std::fs::remove_dir_all(&dist);
    }
}
