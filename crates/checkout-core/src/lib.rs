//! Checkout domain rules: money, the catalog, the cart, and the checks for what
//! a shopper types at checkout.
//!
//! Plain Rust with serde and nothing of the browser, so every rule compiles and is
//! tested natively as well as for `wasm32-unknown-unknown`. The app only shows what
//! these types decide and sends intents back to them.

pub mod cart;
pub mod catalog;
pub mod checkout;
pub mod evidence;
pub mod money;
pub mod order;
pub mod time;
pub mod validate;

pub use cart::{Cart, CartLine, CartSummary, LineKey, QuantityAdjustment};
pub use catalog::{Catalog, OptionKind, Product, ProductId, Seller, SellerId};
pub use money::{Currency, Money, MoneyError};
