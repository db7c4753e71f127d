//! Every key the app keeps in the browser's storage, in one place.
//!
//! - localStorage, kept across visits: `checkout.<name>.v<N>`; N changes when
//!   the stored shape does, so an old entry is ignored rather than misread.
//! - sessionStorage, this tab only: `checkout:<name>`.

/// The cart (`state::cart`).
pub const CART: &str = "checkout.cart.v1";
/// The checkout draft: address, contact, shipping choices, coupon; never a card.
pub const CHECKOUT_DRAFT: &str = "checkout.draft.v1";
/// A card the shopper chose to keep: token, brand and last four only.
pub const SAVED_CARD: &str = "checkout.saved-card.v1";
/// The shopper's language.
pub const LANG: &str = "checkout.lang.v1";
/// The buyer's token for an order server.
pub const BUYER_TOKEN: &str = "checkout.buyer.v1";

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

/// What was typed into one of an order's forms (`state::form_draft`).
pub fn session_form(form: &str, order: &str) -> String {
    format!("checkout:form:{form}:{order}")
}
