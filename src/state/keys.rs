//! Every key the app keeps in the browser's storage, in one place, and the
//! languages it speaks. Plain constants with no dependencies.
//!
//! - localStorage, kept across visits: `checkout.<name>.v<N>`; N changes when
//!   the stored shape does, so an old entry is ignored rather than misread.
//! - sessionStorage, this tab only: `checkout:<name>`.
//! - cookies, for the server's first screen: see `CART_ITEMS_COOKIE`.

/// The cart.
pub const CART: &str = "checkout.cart.v1";
/// The checkout draft: address, contact, shipping choices, coupon; never a card.
pub const CHECKOUT_DRAFT: &str = "checkout.draft.v1";
/// A card the shopper chose to keep: token, brand and last four only.
pub const SAVED_CARD: &str = "checkout.saved-card.v1";
/// The shopper's language.
pub const LANG: &str = "checkout.lang.v1";
/// The buyer's token for an order server.
pub const BUYER_TOKEN: &str = "checkout.buyer.v1";
/// The in-browser mock's whole state: its orders, clock and payments.
pub const MOCK_STATE: &str = "checkout.mock.v1";

/// Cookies, for a server that draws the first screen into the page
/// (crates/order-api, `pages.rs`): how many items the cart holds (not what),
/// and the shopper's language choice (named `LANG`).
pub const CART_ITEMS_COOKIE: &str = "checkout.cart-items";

/// The mock's scenario and clock speed for this tab.
pub const MOCK_SCENARIO: &str = "checkout:mock-scenario";
pub const MOCK_SPEED: &str = "checkout:mock-speed";
/// The idempotency key of the checkout attempt in flight.
pub const CHECKOUT_ATTEMPT: &str = "checkout:attempt";
/// A decline to say once on the order page the shopper lands on.
pub const DECLINED: &str = "checkout:declined";
/// The page a reload of the checkout goes to once orders are placed.
pub const PLACED: &str = "checkout:placed";
/// Where a wallet's page sends the shopper back to.
pub const WALLET_RETURN: &str = "checkout:wallet-return";

/// The idempotency key of a payment attempt for these orders (paying again).
pub fn pay_attempt(order_ids: &[&str]) -> String {
    format!("checkout:pay:{}", order_ids.join(","))
}

/// What was typed into one of an order's forms (`state::form_draft`).
pub fn session_form(form: &str, order: &str) -> String {
    format!("checkout:form:{form}:{order}")
}

/// The languages of the interface, English first (the fallback).
pub const LANGUAGES: &[&str] = &["en", "es", "zh", "ar"];
