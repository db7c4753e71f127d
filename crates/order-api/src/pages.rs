//! The app's page as this server answers it: `index.html` pointed at this
//! server's API and, for the first screens (`/`, a product page, `/cart`,
//! `/checkout`), with that screen drawn into the page by the app itself,
//! natively (`checkout_app::render`): the shopper sees the catalog, or the
//! product with its price, before the app's module has arrived, and a link
//! preview or a search engine reads the product's name and description.
//!
//! A screen is drawn in the language the app will show (the shopper's
//! choice, which the app keeps in a cookie, or else the first of the
//! browser's languages the app has). (If a cookie was lost, the app drops a
//! copy at start that does not fit the shopper.) The cart and the checkout
//! are drawn empty when the cart is (the app keeps the number of items in a
//! cookie; none on a first visit), and as their loading shells otherwise.
//! The catalog does not change while the server runs, so each screen is
//! drawn once per language and kept.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use checkout_app::render::{self, CartSeen, Drawn, Screen, MARKER};
use checkout_core::catalog::Catalog;

use crate::CSP;

const API_META_MOCK: &str = r#"<meta name="checkout-api" content="mock">"#;
const API_META_HTTP: &str = r#"<meta name="checkout-api" content="/api">"#;

/// The screens drawn so far, for the server's lifetime: in each language,
/// at most the three fixed screens, twice for the cart's two states, and one
/// per product.
#[derive(Default)]
pub(crate) struct Drawings(Mutex<HashMap<(Screen, CartSeen, &'static str), Option<Arc<Drawn>>>>);

impl Drawings {
    async fn get(&self, screen: Screen, catalog: &Catalog, cart: CartSeen, lang: &'static str) -> Option<Arc<Drawn>> {
        // (`page` answers an unknown product before asking.) Only the cart and the checkout differ with the cart.
        let cart = if matches!(screen, Screen::Cart | Screen::Checkout) { cart } else { CartSeen::Empty };
        let key = (screen, cart, lang);
        if let Some(d) = self.0.lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
            return d.clone();
        }
        let (screen, catalog) = (key.0.clone(), catalog.clone());
        // The app's views hold `Rc`s: drawn on a thread of their own.
        let drawn = match tokio::task::spawn_blocking(move || render::draw(&screen, &catalog, cart, lang)).await {
            Ok(Ok(d)) => Some(Arc::new(d)),
            // Kept too: drawing again would fail again (the page then shows
            // its skeleton, and the app draws).
            Ok(Err(e)) => {
                eprintln!("order-api: could not draw {}: {e}", key.0.path());
                None
            }
            Err(e) => {
                eprintln!("order-api: drawing {} panicked: {e}", key.0.path());
                None
            }
        };
        self.0.lock().unwrap_or_else(|p| p.into_inner()).insert(key, drawn.clone());
        drawn
    }
}

/// A cookie's value, if the request has it.
fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.trim())
}

/// The cart as the app last said (its item count); no cookie is a first
/// visit, whose cart is empty.
fn cart_seen(headers: &HeaderMap) -> CartSeen {
    match cookie(headers, checkout_app::state::keys::CART_ITEMS_COOKIE) {
        None | Some("0") => CartSeen::Empty,
        Some(_) => CartSeen::NotKnown,
    }
}

/// The language the app will show: the shopper's choice (its cookie), else
/// the first of the browser's languages the app has.
fn language(headers: &HeaderMap) -> &'static str {
    let chosen = cookie(headers, checkout_app::i18n::LANG_KEY).and_then(checkout_app::i18n::supported);
    chosen.unwrap_or_else(|| {
        let mut wanted = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .split(',')
            .filter_map(|tag| {
                let mut parts = tag.split(';');
                let tag = parts.next()?.trim();
                // A weight that does not read as one counts as 1, as the tag alone would.
                let q = parts.find_map(|p| p.trim().strip_prefix("q=")).map_or(1.0, |q| q.trim().parse::<f32>().unwrap_or(1.0));
                (!tag.is_empty() && tag != "*" && q > 0.0).then(|| (tag.to_owned(), q))
            })
            .collect::<Vec<_>>();
        // Most wanted first; equal weights keep the header's order.
        wanted.sort_by(|a, b| b.1.total_cmp(&a.1));
        let wanted: Vec<String> = wanted.into_iter().map(|(tag, _)| tag).collect();
        checkout_app::i18n::negotiate(&wanted)
    })
}

/// `index.html` for `path`, pointed at this server's API, with its screen
/// drawn in when there is one for this shopper.
pub(crate) async fn page(dist: &Path, path: &str, headers: &HeaderMap, state: &crate::AppState) -> Response {
    let (catalog, drawings) = (state.store.catalog(), &state.drawings);
    let Ok(html) = tokio::fs::read_to_string(render::plain_page(dist)).await else {
        return (StatusCode::NOT_FOUND, "index.html is missing from the app's directory").into_response();
    };
    let mut html = html.replace(API_META_MOCK, API_META_HTTP);
    let screen = Screen::of_path(path);
    // A product the shop does not sell is not found, whoever asks.
    let product = match &screen {
        Some(Screen::Product(id)) => match catalog.product(id) {
            Some(p) => Some(p.clone()),
            None => return answer(StatusCode::NOT_FOUND, html),
        },
        _ => None,
    };
    let mut drawn_in = false;
    if let Some(screen) = screen.filter(|_| html.contains(MARKER)) {
        if let Some(drawn) = drawings.get(screen, catalog, cart_seen(headers), language(headers)).await {
            match render::page_with_screen(&html, &drawn) {
                Ok(page) => (html, drawn_in) = (page, true),
                // A page without the marker or the skeleton (an older build):
                // it goes as it is, the app draws the screen.
                Err(e) => eprintln!("order-api: the {} screen not drawn into the page: {e}", drawn.screen),
            }
        }
    }
    // A link preview or a search engine reads the product whatever is drawn
    // (a drawn screen has its title in its language already).
    if let Some(p) = &product {
        if !drawn_in {
            html = render::with_title(&html, &format!("{} · {}", p.name, checkout_app::i18n::t("app.store_name")));
        }
        html = render::with_product_tags(&html, p, state.config.public_url.as_deref());
    }
    answer(StatusCode::OK, html)
}

fn answer(status: StatusCode, html: String) -> Response {
    let csp = HeaderValue::from_str(&crate::routes::csp_for_page(&html)).unwrap_or(HeaderValue::from_static(CSP));
    (
        status,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (header::CONTENT_SECURITY_POLICY, csp),
            // The drawn screen depends on these.
            (header::VARY, HeaderValue::from_static("accept-language, cookie")),
        ],
        html,
    )
        .into_response()
}

/// The shop's public origin as the configuration gives it
/// (`https://shop.example`, a port allowed, a trailing `/` dropped), or why
/// it is not one. Product pages name themselves and their image by absolute
/// URLs from it.
pub fn public_origin(url: &str) -> Result<String, String> {
    let url = url.trim().trim_end_matches('/');
    let how = "give the shop's origin, like https://shop.example or http://localhost:8787, with no path (a host name or an IPv4 address)";
    let host = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")).ok_or_else(|| format!("{url:?} is not an http(s) address: {how}"))?;
    let (name, port) = match host.rsplit_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (host, None),
    };
    let name_ok = !name.is_empty() && name.len() <= 253 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok_and(|p| p > 0));
    if !name_ok || !port_ok {
        return Err(format!("{url:?} has a path, a query or an invalid host or port: {how}"));
    }
    Ok(url.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn the_shoppers_language_is_their_choice_then_their_browsers() {
        assert_eq!(language(&headers(&[])), "en");
        assert_eq!(language(&headers(&[("accept-language", "es-MX,es;q=0.9,en;q=0.8")])), "es");
        assert_eq!(language(&headers(&[("accept-language", "fr-FR, ar;q=0.5")])), "ar");
        assert_eq!(language(&headers(&[("accept-language", "es;q=0, en")])), "en", "q=0 refuses a language");
        assert_eq!(language(&headers(&[("accept-language", "en;q=0.3, es;q=0.9")])), "es", "by weight, not by order");
        let chose = headers(&[("accept-language", "es"), ("cookie", "a=b; checkout.lang.v1=en")]);
        assert_eq!(language(&chose), "en", "the shopper's choice wins");
        assert_eq!(language(&headers(&[("cookie", "checkout.lang.v1=xx"), ("accept-language", "zh-CN")])), "zh", "an unknown choice is ignored");
    }

    #[test]
    fn the_cart_is_empty_on_a_first_visit_or_when_the_app_said_so() {
        assert_eq!(cart_seen(&headers(&[])), CartSeen::Empty);
        assert_eq!(cart_seen(&headers(&[("cookie", "checkout.cart-items=0")])), CartSeen::Empty);
        assert_eq!(cart_seen(&headers(&[("cookie", "a=1; checkout.cart-items=3")])), CartSeen::NotKnown);
        assert_eq!(cart_seen(&headers(&[("cookie", "checkout.cart-items=junk")])), CartSeen::NotKnown, "anything but 0 may hide items");
    }

    #[test]
    fn a_drawn_screen_goes_in_view_with_its_title_and_a_products_tags() {
        let skeleton = r#"<div class="app-shell__skeleton" aria-hidden="true">"#;
        let index = format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta name=\"description\" content=\"Shop.\"><title>Bazaar</title></head><body><div id=\"app-shell\">{skeleton}</div>{MARKER}</div></body></html>"
        );
        let catalog = marketplace::world::catalog();
        let p = &catalog.products[0];
        let drawn = Drawn { screen: "product".into(), path: format!("/products/{}", p.id.0), lang: "en", title: format!("{} · Bazaar", p.name), html: "<h1>x</h1>".into(), shows_empty_cart: false };
        let page = render::with_product_tags(&render::page_with_screen(&index, &drawn).unwrap(), p, None);
        assert!(page.contains("<html lang=\"en\" data-prerendered=\"product\" dir=\"ltr\">"), "{page}");
        assert!(page.contains(&format!("<div class=\"app-shell__page\" data-prerendered=\"product\" data-drawn-for-path=\"/products/{}\" lang=\"en\"><h1>x</h1></div>", p.id.0)), "{page}");
        assert!(page.contains(&skeleton.replace('>', " hidden>")), "the skeleton gives way: {page}");
        assert!(page.contains(&format!("<title>{}</title>", render::escape_attr(&drawn.title))), "{page}");
        assert!(page.contains(&format!("<meta name=\"description\" content=\"{}\">", render::escape_attr(&p.description))), "{page}");
        assert!(page.contains(&format!("<meta property=\"og:title\" content=\"{}\">", render::escape_attr(&p.name))), "{page}");
        assert!(page.contains(&format!("<meta property=\"og:image\" content=\"{}\">", render::escape_attr(&p.images[0].src))), "{page}");
        assert!(!page.contains(MARKER));
        assert!(!page.contains("og:url") && !page.contains("canonical"), "no address without the shop's origin");
        let public = render::with_product_tags(&index, p, Some("https://shop.example"));
        let url = format!("https://shop.example/products/{}", p.id.0);
        assert!(public.contains(&format!("<meta property=\"og:url\" content=\"{url}\"><link rel=\"canonical\" href=\"{url}\">")), "{public}");
        assert!(public.contains(&format!("<meta property=\"og:image\" content=\"https://shop.example{}\">", p.images[0].src)), "{public}");
    }

    #[test]
    fn the_public_address_is_an_origin_or_refused_with_how_to_fix_it() {
        assert_eq!(public_origin("https://shop.example/").unwrap(), "https://shop.example");
        assert_eq!(public_origin(" http://localhost:8787 ").unwrap(), "http://localhost:8787");
        for bad in ["shop.example", "ftp://shop.example", "https://", "https://shop.example/store", "https://shop.example?x=1", "https://a b", "https://shop.example:0", "https://shop.example:99999", "https://shop.example:", "http://[::1]:80", "https://x\"><script>"] {
            let e = public_origin(bad).unwrap_err();
            assert!(e.contains("https://shop.example"), "{bad}: {e}");
        }
    }

    #[test]
    fn a_build_drawn_ahead_is_drawn_into_its_plain_page() {
        let dir = std::env::temp_dir().join(format!("pages-template-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), "catalog").unwrap();
        assert_eq!(render::plain_page(&dir), dir.join("index.html"), "the shoppers' build: index.html is the plain page");
        std::fs::write(dir.join(render::SHELL_PAGE), "plain").unwrap();
        assert_eq!(render::plain_page(&dir), dir.join(render::SHELL_PAGE), "the default build: index.html is the catalog's");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
