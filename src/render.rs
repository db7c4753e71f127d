//! The first screen of a visit drawn natively, without a browser (`ssr`).
//!
//! The reference order server answers `/`, a product page, `/cart` and
//! `/checkout` with that screen already in the page (crates/order-api,
//! `pages.rs`), and the release build draws the mock's into static pages
//! (crates/e2e, `prerender`): the shopper sees the screen before the app's
//! module has downloaded. The screens are the app's own, drawn by Leptos's
//! server renderer from the catalog given. The shopper's cart is on their
//! device: the cart and the checkout are drawn empty when the server knows
//! the cart is empty (the app keeps its item count in a cookie), and as their
//! loading shells otherwise.
//!
//! The copy sits in the page's static shell beside the running app, which
//! removes it once it has drawn the screen itself
//! (`components::shell::screen_drawn`). So it leaves out what only the running
//! app can do (live regions, the skip link, the language picker, the cart's
//! count, a form that submits), and its ids start with `drawn-`: the app's own elements are in the
//! page at the same time.
//! It is drawn in a language the app has, and says so (the page's `lang`,
//! and `dir` for Arabic): a server draws it in the shopper's language, a
//! static page in English, and the app, at start, drops a copy that is not in
//! the shopper's language or shows an empty cart they do not have (a static
//! page cannot know either; see `components::shell::drawn_copy_fits`).

use std::cell::RefCell;
use std::rc::Rc;

use async_trait::async_trait;
use checkout_api::contract::*;
use checkout_core::catalog::{Catalog, ProductId};
use checkout_core::checkout::Quote;
use checkout_core::order::{Order, OrderId, OrdersTab, TrackedOrder};
use checkout_core::time::Timestamp;
use leptos::prelude::*;
use leptos::tachys::view::RenderHtml;

use crate::api::{ApiError, BuyerAction, EvidenceUpload, OrderApi, ProductDetail};
use crate::AppWith;

/// A screen that can be drawn ahead of the app.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Screen {
    Catalog,
    Product(ProductId),
    Cart,
    Checkout,
}

impl Screen {
    /// The screen a path shows, if it is one drawn ahead (no query: the path
    /// alone).
    pub fn of_path(path: &str) -> Option<Screen> {
        match path {
            "/" => Some(Screen::Catalog),
            "/cart" => Some(Screen::Cart),
            "/checkout" => Some(Screen::Checkout),
            _ => {
                let id = path.strip_prefix("/products/")?;
                let plain = !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
                plain.then(|| Screen::Product(ProductId(id.to_owned())))
            }
        }
    }

    /// Its name, as the page's `data-prerendered` says it.
    pub fn name(&self) -> &'static str {
        match self {
            Screen::Catalog => "catalog",
            Screen::Product(_) => "product",
            Screen::Cart => "cart",
            Screen::Checkout => "checkout",
        }
    }

    /// Its path.
    pub fn path(&self) -> String {
        match self {
            Screen::Catalog => "/".into(),
            Screen::Product(id) => format!("/products/{}", id.0),
            Screen::Cart => "/cart".into(),
            Screen::Checkout => "/checkout".into(),
        }
    }
}

/// Where a drawn screen goes in `index.html` (inside `#app-shell`).
pub const MARKER: &str = "<!-- prerendered screens -->";

/// A screen as drawn: its name and path, its language, the document's
/// title, the markup for the shell, and whether it shows the cart as empty
/// (then it is only right for a shopper whose cart is).
#[derive(Clone, Debug, PartialEq)]
pub struct Drawn {
    pub screen: String,
    pub path: String,
    pub lang: &'static str,
    pub title: String,
    pub html: String,
    pub shows_empty_cart: bool,
}

/// Each language's messages, as the app fetches them (`/locales/<lang>.json`;
/// English's is the one the app embeds whole natively).
const MESSAGES: [(&str, &str); 4] = [
    ("en", include_str!("../locales/en.json")),
    ("es", include_str!("../locales/es.json")),
    ("zh", include_str!("../locales/zh.json")),
    ("ar", include_str!("../locales/ar.json")),
];

thread_local! {
    /// This thread's tasks while drawing (Leptos's `Suspense` spawns some);
    /// everything drawn is in this thread, as the app's `Rc`s ask.
    static POOL: RefCell<futures::executor::LocalPool> = RefCell::new(futures::executor::LocalPool::new());
    static TITLE: RefCell<Option<Box<dyn Fn() -> String>>> = const { RefCell::new(None) };
}

/// Called by `components::title::use_title` while drawing: the title, read
/// once the screen is drawn (a product's name is known by then).
pub(crate) fn title_is(title: impl Fn() -> String + 'static) {
    TITLE.with(|t| *t.borrow_mut() = Some(Box::new(title)));
}

/// What the server knows of the shopper's cart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CartSeen {
    /// Nothing in it (a first visit, or the app said so).
    Empty,
    /// Items, or nothing said: only the shopper's device knows which.
    NotKnown,
}

/// Draws `screen` from `catalog` (what the shop sells now), in `lang` (one
/// of `i18n::LANGUAGES`).
pub fn draw(screen: &Screen, catalog: &Catalog, cart: CartSeen, lang: &str) -> Result<Drawn, String> {
    let (lang, messages) = MESSAGES.into_iter().find(|(l, _)| *l == lang).ok_or_else(|| format!("no messages in {lang:?}"))?;
    // Words, numbers and prices follow the language installed on this
    // thread; English again once drawn, whatever else runs on it next.
    struct EnglishAfter;
    impl Drop for EnglishAfter {
        fn drop(&mut self) {
            crate::i18n::install(crate::i18n::LANGUAGES[0], "");
        }
    }
    let _english_after = EnglishAfter;
    crate::i18n::install(lang, messages);
    let cart_screen = matches!(screen, Screen::Cart | Screen::Checkout);
    // A cart not known here leaves the cart's and the checkout's loading shells.
    let answers = (!cart_screen || cart == CartSeen::Empty).then(|| catalog.clone());
    TITLE.with(|t| t.borrow_mut().take());
    // Once per thread; a thread that has one already keeps it.
    let _ = any_spawner::Executor::init_local_custom_executor(ThisThread(POOL.with(|p| p.borrow().spawner())));
    let owner = Owner::new_root(Some(std::sync::Arc::new(hydration_context::SsrSharedContext::new())));
    let html = owner.with(|| {
        provide_context(leptos_router::location::RequestUrl::new(&screen.path()));
        if cart_screen && cart == CartSeen::NotKnown {
            provide_context(crate::state::cart::CartNotKnownHere);
        }
        let api: Rc<dyn OrderApi> = Rc::new(CatalogAnswers(answers));
        let app = view! { <AppWith api/> };
        let html = futures::StreamExt::collect::<String>(app.to_html_stream_in_order());
        POOL.with(|pool| pool.borrow_mut().run_until(html))
    });
    let title = TITLE.with(|t| t.borrow_mut().take().map(|f| owner.with(|| f()))).ok_or("the screen set no title")?;
    drop(owner);
    let shows_empty_cart = cart_screen && cart == CartSeen::Empty;
    Ok(Drawn { screen: screen.name().to_owned(), path: screen.path(), lang, title, html: copy_for_the_shell(&html)?, shows_empty_cart })
}

/// The static shell's skeleton in `index.html`, hidden when a screen is drawn.
const SKELETON: &str = r#"<div class="app-shell__skeleton" aria-hidden="true">"#;

/// `template` (`index.html`, with [`MARKER`] in its shell) with `drawn` in
/// view from the first paint: the skeleton hidden, the app's own screen hidden
/// until it has drawn it (`data-prerendered` on the root, see
/// style/layout.css), the page in the copy's language and direction, and the
/// screen's title. The copy says what it was drawn for
/// (`components::shell::drawn_for`): the app drops it at start if that is
/// not this visit.
pub fn page_with_screen(template: &str, drawn: &Drawn) -> Result<String, String> {
    if template.matches(MARKER).count() != 1 || !template.contains(SKELETON) {
        return Err(format!("index.html must hold `{MARKER}` once, inside #app-shell beside its skeleton"));
    }
    if drawn.html.contains("<script") {
        return Err(format!("the {} screen holds a script", drawn.screen));
    }
    use crate::components::shell::drawn_for;
    let screen = escape_attr(&drawn.screen);
    let cart = if drawn.shows_empty_cart { format!(" {}", drawn_for::EMPTY_CART) } else { String::new() };
    let section = format!(
        "<div class=\"app-shell__page\" data-prerendered=\"{screen}\" {}=\"{}\" {}=\"{}\"{cart}>{}</div>",
        drawn_for::PATH,
        escape_attr(&drawn.path),
        drawn_for::LANG,
        drawn.lang,
        drawn.html
    );
    let page = template.replacen(MARKER, &section, 1).replacen(SKELETON, &SKELETON.replace('>', " hidden>"), 1);
    if !page.contains("<html") {
        return Err("index.html has no <html> element".into());
    }
    // As the app sets them once it runs (`i18n::install`).
    let page = lol_html::rewrite_str(
        &page,
        lol_html::RewriteStrSettings {
            element_content_handlers: vec![lol_html::element!("html", |e| {
                e.set_attribute("data-prerendered", &drawn.screen)?;
                e.set_attribute("lang", drawn.lang)?;
                e.set_attribute("dir", crate::i18n::dir(drawn.lang))?;
                Ok(())
            })],
            ..lol_html::RewriteStrSettings::default()
        },
    )
    .map_err(|e| format!("index.html: {e}"))?;
    Ok(with_title(&page, &drawn.title))
}

/// The language a static page's screens are drawn in (a static host cannot
/// tell the shopper's).
pub const DRAWN_IN: &str = crate::i18n::LANGUAGES[0];

/// The page every route without a page of its own is answered with, in a
/// build whose first screens were drawn into pages at build time (the
/// default build, for a static host; `index.html` is then the catalog's):
/// the page as Trunk built it, with the skeleton.
pub const SHELL_PAGE: &str = "shell.html";

/// The page of a built app to draw a screen into: `shell.html` if the build
/// has one, else its `index.html`.
pub fn plain_page(dist: &std::path::Path) -> std::path::PathBuf {
    let shell = dist.join(SHELL_PAGE);
    if shell.is_file() {
        shell
    } else {
        dist.join("index.html")
    }
}

/// `page` (an `index.html`) with `title` as its document's title.
pub fn with_title(page: &str, title: &str) -> String {
    let (open, close) = ("<title>", "</title>");
    let Some(start) = page.find(open).map(|i| i + open.len()) else { return page.to_owned() };
    let Some(len) = page[start..].find(close) else { return page.to_owned() };
    format!("{}{}{}", &page[..start], escape_attr(title), &page[start + len..])
}

/// `page` with a product's description, and the tags a link preview reads
/// (Open Graph: name, description, first image and its size). With the
/// shop's public `origin` (`https://shop.example`), the page's own address
/// (`og:url`, the canonical link) and an absolute image address, as link
/// previews need; without it, the image's path.
pub fn with_product_tags(page: &str, product: &checkout_core::catalog::Product, origin: Option<&str>) -> String {
    let mut page = page.to_owned();
    let description = escape_attr(&product.description);
    const META: &str = r#"<meta name="description" content=""#;
    if let Some(from) = page.find(META).map(|i| i + META.len()) {
        if let Some(len) = page[from..].find('"') {
            page.replace_range(from..from + len, &description);
        }
    }
    let mut tags = format!(
        "<meta property=\"og:type\" content=\"product\"><meta property=\"og:title\" content=\"{}\"><meta property=\"og:description\" content=\"{description}\">",
        escape_attr(&product.name)
    );
    let absolute = |path: &str| match origin {
        Some(origin) if path.starts_with('/') => format!("{origin}{path}"),
        _ => path.to_owned(),
    };
    if let Some(origin) = origin {
        let url = escape_attr(&format!("{origin}{}", Screen::Product(product.id.clone()).path()));
        tags.push_str(&format!("<meta property=\"og:url\" content=\"{url}\"><link rel=\"canonical\" href=\"{url}\">"));
    }
    if let Some(image) = product.images.first() {
        tags.push_str(&format!(
            "<meta property=\"og:image\" content=\"{}\"><meta property=\"og:image:width\" content=\"{}\"><meta property=\"og:image:height\" content=\"{}\">",
            escape_attr(&absolute(&image.src)),
            image.width,
            image.height
        ));
    }
    page.replacen("</head>", &format!("{tags}</head>"), 1)
}

/// Text made safe inside an attribute or an element.
pub fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Runs the tasks spawned while drawing on this thread's pool.
struct ThisThread(futures::executor::LocalSpawner);

impl any_spawner::CustomExecutor for ThisThread {
    fn spawn(&self, fut: any_spawner::PinnedFuture<()>) {
        let _ = futures::task::LocalSpawnExt::spawn_local(&self.0, fut);
    }
    fn spawn_local(&self, fut: any_spawner::PinnedLocalFuture<()>) {
        let _ = futures::task::LocalSpawnExt::spawn_local(&self.0, fut);
    }
    fn poll_local(&self) {}
}

/// The start of every id in a drawn screen.
pub const DRAWN_ID_PREFIX: &str = "drawn-";

/// The drawn app as markup that can sit beside the running one (see the
/// module's comment for what it leaves out).
fn copy_for_the_shell(html: &str) -> Result<String, String> {
    use lol_html::{comments, element, rewrite_str, RewriteStrSettings};
    let strip = ["tabindex", "data-testid"];
    rewrite_str(
        html,
        RewriteStrSettings {
            element_content_handlers: vec![
                element!("script, template, .skip-link, [aria-live], [role=status], [role=alert], [hidden], dialog:not([open]), .language-picker", |e| {
                    e.remove();
                    Ok(())
                }),
                element!("main", |e| {
                    e.set_tag_name("div")?;
                    e.set_attribute("class", "site-main")?;
                    Ok(())
                }),
                // Nothing in the copy submits: a tap before the app has
                // started would reload the page and add nothing.
                element!("form", |e| {
                    e.set_tag_name("div")?;
                    e.remove_attribute("novalidate");
                    Ok(())
                }),
                element!("*", move |e| {
                    for name in strip {
                        e.remove_attribute(name);
                    }
                    // Ids and what points at them get a prefix of their own:
                    // labels stay tied to their fields, and no id repeats one
                    // of the running app's.
                    for name in ["id", "for", "aria-labelledby", "aria-describedby", "aria-controls"] {
                        if let Some(ids) = e.get_attribute(name) {
                            let drawn: Vec<String> = ids.split_whitespace().map(|id| format!("{DRAWN_ID_PREFIX}{id}")).collect();
                            e.set_attribute(name, &drawn.join(" "))?;
                        }
                    }
                    Ok(())
                }),
                element!(".site-header__count, .site-header__cart .visually-hidden", |e| {
                    e.set_inner_content("", lol_html::html_content::ContentType::Text);
                    Ok(())
                }),
                comments!("*", |c| {
                    c.remove();
                    Ok(())
                }),
            ],
            ..RewriteStrSettings::default()
        },
    )
    .map(|s| s.trim().to_owned())
    .map_err(|e| format!("copy the drawn screen: {e}"))
}

/// The order API while drawing: the catalog, if this screen draws it; any
/// other ask is left unanswered, so its screen draws its loading shell.
struct CatalogAnswers(Option<Catalog>);

async fn unanswered<T>() -> Result<T, ApiError> {
    std::future::pending().await
}

#[async_trait(?Send)]
impl OrderApi for CatalogAnswers {
    async fn catalog(&self) -> Result<Catalog, ApiError> {
        match &self.0 {
            Some(c) => Ok(c.clone()),
            None => unanswered().await,
        }
    }
    async fn product(&self, id: &ProductId) -> Result<ProductDetail, ApiError> {
        match &self.0 {
            Some(c) => ProductDetail::from_catalog(c, id),
            None => unanswered().await,
        }
    }
    async fn quote(&self, _: &QuoteRequest) -> Result<Quote, ApiError> {
        unanswered().await
    }
    async fn place_order(&self, _: &PlaceOrder) -> Result<Placement, ApiError> {
        unanswered().await
    }
    async fn pay(&self, _: &PayAgain) -> Result<PaymentOutcome, ApiError> {
        unanswered().await
    }
    async fn confirm_challenge(&self, _: &str, _: bool) -> Result<PaymentOutcome, ApiError> {
        unanswered().await
    }
    async fn orders(&self, _: OrdersTab, _: u32) -> Result<OrdersPage, ApiError> {
        unanswered().await
    }
    async fn order(&self, _: &OrderId) -> Result<Order, ApiError> {
        unanswered().await
    }
    async fn track(&self, _: &str, _: &str) -> Result<TrackedOrder, ApiError> {
        unanswered().await
    }
    async fn act(&self, _: &OrderId, _: BuyerAction) -> Result<Order, ApiError> {
        unanswered().await
    }
    async fn upload_evidence(&self, _: &OrderId, _: &EvidenceUpload) -> Result<EvidenceRef, ApiError> {
        unanswered().await
    }
    async fn now(&self) -> Result<Timestamp, ApiError> {
        unanswered().await
    }
}

#[cfg(all(test, feature = "mock"))]
mod tests {
    use super::*;

    fn drawn(path: &str) -> Drawn {
        drawn_with(path, CartSeen::Empty)
    }

    fn drawn_with(path: &str, cart: CartSeen) -> Drawn {
        draw(&Screen::of_path(path).expect("a screen drawn ahead"), &marketplace::world::catalog(), cart, DRAWN_IN).unwrap()
    }

    #[test]
    fn the_catalog_is_drawn_with_every_product_name_and_price() {
        let d = drawn("/");
        let catalog = marketplace::world::catalog();
        for p in &catalog.products {
            assert!(d.html.contains(&p.name.replace('&', "&amp;")), "{} missing from {}", p.name, d.html);
        }
        assert!(d.html.contains("$"), "prices are written out");
        assert_eq!(d.html.matches("<h1").count(), 1, "{}", d.html);
        assert!(!d.html.contains("<main"), "the running app holds the one main");
        assert!(!d.html.contains(" id=\"main\""), "no id of the running app's: {}", d.html);
        assert!(!d.html.contains("<!--"), "no comments");
        assert!(d.title.ends_with("· Bazaar"), "{}", d.title);
    }

    #[test]
    fn a_product_page_is_drawn_with_its_name_price_and_seller() {
        let catalog = marketplace::world::catalog();
        let p = &catalog.products[0];
        let d = drawn(&format!("/products/{}", p.id.0));
        assert!(d.html.contains(&p.name.replace('&', "&amp;")), "{}", d.html);
        assert!(d.html.contains(&crate::i18n::format::money(&p.price)), "{}", d.html);
        assert!(d.title.starts_with(&p.name), "{}", d.title);
        assert!(!d.html.contains("<form"), "nothing in the copy submits: {}", d.html);
        assert!(d.html.contains("value=\"1\""), "the quantity the app starts with: {}", d.html);
        // Its quantity field keeps its label, under ids of the copy's own.
        let at = d.html.find("<label for=\"").expect("a label for a field");
        let id = &d.html[at + "<label for=\"".len()..][..d.html[at + "<label for=\"".len()..].find('"').unwrap()];
        assert!(id.starts_with(DRAWN_ID_PREFIX), "{id}");
        assert!(d.html.contains(&format!(" id=\"{id}\"")), "the field {id} is there: {}", d.html);
    }

    #[test]
    fn the_cart_and_checkout_are_drawn_empty_for_an_empty_cart_and_as_loading_shells_otherwise() {
        for path in ["/cart", "/checkout"] {
            let empty = drawn_with(path, CartSeen::Empty);
            assert_eq!(empty.html.matches("<h1").count(), 1, "{path}: {}", empty.html);
            assert!(empty.html.contains("class=\"empty-state"), "{path} says the cart is empty: {}", empty.html);
            let not_known = drawn_with(path, CartSeen::NotKnown);
            assert_eq!(not_known.html.matches("<h1").count(), 1, "{path}: {}", not_known.html);
            assert!(not_known.html.contains("aria-busy"), "{path} shows it is loading: {}", not_known.html);
            assert!(!not_known.html.contains("empty"), "{path} does not claim an empty cart: {}", not_known.html);
            assert!(empty.shows_empty_cart && !not_known.shows_empty_cart, "{path}");
        }
        assert!(!drawn("/").shows_empty_cart, "the catalog is the same whatever the cart");
    }

    #[test]
    fn a_drawn_screen_goes_into_the_page_in_view_saying_what_it_was_drawn_for() {
        use crate::components::shell::drawn_for;
        let template = format!("<html lang=\"en\"><head><title>Bazaar</title></head><body><div id=\"app-shell\">{SKELETON}</div>{MARKER}</div></body></html>");
        let cart = page_with_screen(&template, &drawn("/cart")).unwrap();
        assert!(cart.starts_with("<html lang=\"en\" data-prerendered=\"cart\" dir=\"ltr\">"), "{cart}");
        assert!(cart.contains(&format!("data-prerendered=\"cart\" {}=\"/cart\" {}=\"{DRAWN_IN}\" {}>", drawn_for::PATH, drawn_for::LANG, drawn_for::EMPTY_CART)), "{cart}");
        assert!(cart.contains(&SKELETON.replace('>', " hidden>")), "the skeleton gives way: {cart}");
        assert!(cart.contains("<title>Cart"), "{cart}");
        assert!(!cart.contains(MARKER));
        let catalog = page_with_screen(&template, &drawn("/")).unwrap();
        assert!(!catalog.contains(drawn_for::EMPTY_CART), "the catalog fits any cart");
        assert!(page_with_screen(&cart, &drawn("/")).unwrap_err().contains("must hold"), "a page drawn already is refused");
        let scripted = Drawn { html: "<script>alert(1)</script>".into(), ..drawn("/") };
        assert!(page_with_screen(&template, &scripted).unwrap_err().contains("script"));
    }

    /// The server draws in the shopper's language: its words, its prices,
    /// the page's language and direction; and a draw in English after one
    /// in Arabic on the same thread is all English again.
    #[test]
    fn a_screen_is_drawn_in_the_language_asked_with_its_prices_and_direction() {
        use crate::i18n::format::written;
        let catalog = marketplace::world::catalog();
        let p = &catalog.products[0];
        let template = format!("<!DOCTYPE html><html lang=\"en\"><head><title>Bazaar</title></head><body><div id=\"app-shell\">{SKELETON}</div>{MARKER}</div></body></html>");
        let screen = Screen::of_path(&format!("/products/{}", p.id.0)).unwrap();
        for (lang, add) in [("es", "Añadir al carrito"), ("zh", "加入购物车"), ("ar", "أضف إلى السلة")] {
            let d = draw(&screen, &catalog, CartSeen::Empty, lang).unwrap();
            assert_eq!(d.lang, lang);
            assert!(d.html.contains(&written::money(written::locale(lang), &p.price)), "{lang}: {}", d.html);
            assert!(d.html.contains(add), "{lang}: the button in {lang}: {}", d.html);
            let page = page_with_screen(&template, &d).unwrap();
            let dir = if lang == "ar" { "rtl" } else { "ltr" };
            assert!(page.contains(&format!("<html lang=\"{lang}\" data-prerendered=\"product\" dir=\"{dir}\">")), "{page}");
            assert!(page.contains(&format!("{}=\"{lang}\"", crate::components::shell::drawn_for::LANG)), "{page}");
        }
        let english = draw(&screen, &catalog, CartSeen::Empty, "en").unwrap();
        assert!(english.html.contains(&written::money(&written::EN, &p.price)) && english.html.contains("Add to cart"), "{}", english.html);
        assert!(draw(&screen, &catalog, CartSeen::Empty, "fr").unwrap_err().contains("fr"), "a language the app has not");
        assert_eq!(crate::i18n::lang(), "en", "the thread is left in English");
        for lang in crate::i18n::LANGUAGES {
            assert!(MESSAGES.iter().any(|(l, _)| l == lang), "{lang} can be drawn");
        }
    }

    #[test]
    fn only_the_first_screens_are_drawn_ahead() {
        assert_eq!(Screen::of_path("/orders"), None);
        assert_eq!(Screen::of_path("/products/"), None);
        assert_eq!(Screen::of_path("/products/a/b"), None);
        assert_eq!(Screen::of_path("/products/x%3Cy"), None);
        assert_eq!(Screen::of_path("/products/mug-1"), Some(Screen::Product(ProductId("mug-1".into()))));
    }
}
