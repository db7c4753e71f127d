//! Draws the first screens of `/`, `/cart` and `/checkout` into the default
//! build's `index.html`, so that a first visit paints them before the app's
//! module has downloaded and run (the largest paint no longer waits for the
//! wasm).
//!
//! The screens are the app's own, drawn natively by its server renderer
//! (`checkout_app::render`) from the mock's catalog: the same screens the
//! reference order server draws into the page for the shoppers' build
//! (crates/order-api, `pages.rs`), with no browser in the build. The copies
//! leave out what only the running app can do (see `render`). A static page
//! cannot know the shopper, so `index.html`'s own script shows a copy only
//! when the visit is one the app would draw it for; the app removes it once
//! it has drawn the screen itself.

use std::path::Path;

use checkout_app::render::{self, CartSeen, Drawn, Screen};

/// The app's storage keys and languages: the same file the app compiles.
#[path = "../../../src/state/keys.rs"]
#[allow(dead_code)]
mod app_keys;

/// The script that picks the drawn screen for this visit, or none (then the
/// skeleton shows): only a visit the app would draw that same screen for, on
/// the mock in its usual scenario, no query, the first language, online, and
/// for the cart and the checkout (drawn empty) an empty cart and no order
/// just placed. It
/// reads the keys, languages and routes from the constants block, and goes
/// into the page only with the screens: a build that draws none carries
/// neither.
const PICK_SCRIPT: &str = r##"(() => {
  const block = document.getElementById("startup-constants");
  const c = block ? JSON.parse(block.textContent) : null;
  const screen = c?.screens[location.pathname];
  const fits = () => {
    try {
      const meta = document.querySelector('meta[name="checkout-api"]');
      if ((meta?.content ?? "").trim().toLowerCase() !== "mock" || location.search !== "" || !navigator.onLine) return false;
      const scenario = sessionStorage.getItem(c.keys.mockScenario);
      if (scenario !== null && scenario !== "happy-path") return false;
      const supported = tag => c.languages.find(l => l === String(tag).split(/[-_]/)[0].toLowerCase());
      const lang = supported(localStorage.getItem(c.keys.lang)) ?? navigator.languages.map(supported).find(Boolean) ?? c.languages[0];
      if (lang !== c.languages[0]) return false;
      if (c.cartScreens.includes(screen)) {
        const cart = localStorage.getItem(c.keys.cart);
        if (cart !== null && JSON.parse(cart)?.lines?.length !== 0) return false;
        if (sessionStorage.getItem(c.keys.placed) !== null) return false;
      }
      return true;
    } catch {
      return false;
    }
  };
  const drawn = [...document.querySelectorAll("#app-shell [data-prerendered]")];
  const page = screen && drawn.find(p => p.dataset.prerendered === screen);
  const shown = page && fits() ? page : null;
  for (const p of drawn) if (p !== shown) p.remove();
  if (!shown) return;
  document.querySelector("#app-shell .app-shell__skeleton").hidden = true;
  shown.hidden = false;
  document.title = shown.dataset.title || document.title;
  document.documentElement.dataset.prerendered = screen;
})();"##;

/// What the page's start-up script needs to pick a drawn screen, from the
/// app's own constants: the storage keys it reads, the languages, and which
/// screen each path has. Written into `index.html` beside the screens as a
/// JSON data block (not run, so the page's script policy is untouched).
pub fn startup_constants(drawn: &[Drawn]) -> String {
    let screens: serde_json::Map<String, serde_json::Value> =
        drawn.iter().map(|d| (d.path.clone(), serde_json::Value::from(d.screen.as_str()))).collect();
    serde_json::json!({
        "keys": {
            "mockScenario": app_keys::MOCK_SCENARIO,
            "lang": app_keys::LANG,
            "cart": app_keys::CART,
            "placed": app_keys::PLACED,
        },
        "languages": app_keys::LANGUAGES,
        "screens": screens,
        // Drawn empty: shown only for an empty cart.
        "cartScreens": [Screen::Cart.name(), Screen::Checkout.name()],
    })
    .to_string()
}

pub use render::MARKER;

/// The screens drawn into `index.html`; each product has a page of its own
/// (`products/<id>.html`).
pub const SCREENS: [&str; 3] = ["/", "/cart", "/checkout"];

/// `index_html` with the screens in its shell, each hidden until the page's
/// script picks it. Refuses a page without the marker, or one that has them.
pub fn insert(index_html: &str, screens: &[Drawn]) -> Result<String, String> {
    if index_html.matches(MARKER).count() != 1 {
        return Err(format!("index.html must hold `{MARKER}` once, inside #app-shell"));
    }
    if index_html.contains("class=\"app-shell__page\"") {
        return Err("index.html already holds drawn screens".into());
    }
    let mut sections = String::new();
    for d in screens {
        if d.html.contains("<script") {
            return Err(format!("the {} screen holds a script", d.screen));
        }
        sections.push_str(&render::shell_section(d, false));
        sections.push_str("\n    ");
    }
    let page = index_html.replacen(MARKER, sections.trim_end(), 1);
    if screens.is_empty() {
        return Ok(page);
    }
    // Before the start-up script that reads it, outside the shell (it is not
    // a part of the page to show). `<` never appears in it, so it cannot end
    // its block early.
    let constants = startup_constants(screens).replace('<', "\\u003c");
    let block = format!("<script type=\"application/json\" id=\"startup-constants\">{constants}</script>\n  <script>{PICK_SCRIPT}</script>\n  ");
    let shell_at = page.find("class=\"app-shell__page\"").unwrap_or(0);
    let at = page[shell_at..].find("<script").map(|i| shell_at + i).ok_or("index.html has no start-up script after the shell")?;
    Ok(format!("{}{block}{}", &page[..at], &page[at..]))
}


/// Draws the screens from the mock's catalog and writes them into `dist`'s
/// `index.html`, and each product's page into `products/<id>.html` (with its
/// title, description and link-preview tags), which a static host serves for
/// `/products/<id>` (`crate::serve` does; elsewhere, e.g. nginx's
/// `try_files $uri $uri.html /index.html`).
pub fn prerender(dist: &Path) -> Result<Vec<Drawn>, String> {
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| format!("read {}: {e}", index.display()))?;
    let catalog = marketplace::world::catalog();
    let draw = |path: &str| render::draw(&Screen::of_path(path).ok_or(format!("{path} is not a screen drawn ahead"))?, &catalog, CartSeen::Empty);
    let drawn = SCREENS.iter().map(|path| draw(path)).collect::<Result<Vec<_>, _>>()?;
    std::fs::write(&index, insert(&html, &drawn)?).map_err(|e| format!("write {}: {e}", index.display()))?;
    let pages = dist.join("products");
    std::fs::create_dir_all(&pages).map_err(|e| format!("create {}: {e}", pages.display()))?;
    let mut all = drawn;
    for product in &catalog.products {
        let d = draw(&format!("/products/{}", product.id.0))?;
        let page = render::with_product_tags(&render::with_title(&insert(&html, std::slice::from_ref(&d))?, &d.title), product);
        let file = pages.join(format!("{}.html", product.id.0));
        std::fs::write(&file, page).map_err(|e| format!("write {}: {e}", file.display()))?;
        all.push(d);
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> String {
        format!("<body><div id=\"app-shell\"><div class=\"app-shell__skeleton\"></div>\n    {MARKER}\n  </div>\n  <script>start()</script></body>")
    }

    fn drawn(screen: &str, html: &str) -> Drawn {
        Drawn { screen: screen.into(), path: format!("/{screen}"), title: "Cart — \"Bazaar\"".into(), html: html.into() }
    }

    #[test]
    fn screens_go_into_the_shell_hidden_with_their_titles() {
        let out = insert(&page(), &[drawn("catalog", "<h1>Products</h1>"), drawn("cart", "<h1>Cart</h1>")]).unwrap();
        assert!(!out.contains(MARKER));
        let catalog = out.find("data-prerendered=\"catalog\"").unwrap();
        let cart = out.find("data-prerendered=\"cart\"").unwrap();
        assert!(catalog < cart, "in the order drawn");
        assert!(out.contains("data-title=\"Cart — &quot;Bazaar&quot;\" hidden><h1>Cart</h1></div>"), "{out}");
        assert!(out.find("app-shell__skeleton").unwrap() < catalog && cart < out.find("</div>\n  <script").unwrap(), "inside the shell: {out}");
    }

    #[test]
    fn the_start_up_script_reads_the_apps_constants_and_holds_no_copy_of_its_own() {
        let out = insert(&page(), &[drawn("cart", "<h1>Cart</h1>")]).unwrap();
        let at = out.find("<script type=\"application/json\" id=\"startup-constants\">").expect("the constants are written");
        assert!(at > out.rfind("</div>").unwrap() && at < out.find("<script>start()").unwrap(), "after the shell, before the script that reads it: {out}");
        let block = &out[at..];
        let json = &block[block.find('>').unwrap() + 1..block.find("</script>").unwrap()];
        let c: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(c["keys"]["cart"], app_keys::CART);
        assert_eq!(c["keys"]["lang"], app_keys::LANG);
        assert_eq!(c["languages"], serde_json::json!(app_keys::LANGUAGES));
        assert_eq!(c["screens"]["/cart"], "cart", "the screens drawn into this page, by path");
        assert_eq!(c["screens"].as_object().unwrap().len(), 1);
        // The picking script comes with the screens (a build without them has
        // none), after the constants, before the app's start; it names no key,
        // language or route itself.
        let template = std::fs::read_to_string(crate::workspace_root().join("index.html")).unwrap();
        assert!(!template.contains("<script"), "index.html holds no script of its own");
        let pick = out.find(PICK_SCRIPT).expect("the picking script");
        assert!(at < pick && pick < out.find("<script>start()").unwrap(), "{out}");
        let script = PICK_SCRIPT;
        let copies: Vec<&str> = [app_keys::CART, app_keys::LANG, app_keys::PLACED, app_keys::MOCK_SCENARIO, "\"/cart\"", "\"es\""]
            .into_iter()
            .filter(|v| script.contains(*v))
            .collect();
        assert!(copies.is_empty(), "the picking script holds its own copy of {copies:?}: read them from #startup-constants");
    }

    #[test]
    fn a_page_without_the_marker_or_already_drawn_or_a_screen_with_a_script_is_refused() {
        assert!(insert("<body></body>", &[]).unwrap_err().contains("must hold"));
        let twice = format!("{MARKER}{MARKER}");
        assert!(insert(&twice, &[]).is_err());
        let done = insert(&page(), &[drawn("cart", "<p>x</p>")]).unwrap();
        assert!(insert(&format!("{done}{MARKER}"), &[]).unwrap_err().contains("already"));
        assert!(insert(&page(), &[drawn("cart", "<script>alert(1)</script>")]).unwrap_err().contains("script"));
    }
}
