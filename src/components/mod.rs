//! Pieces used by several screens.
pub mod announcer;
pub mod load_error;
pub mod price;
pub mod product_card;
pub mod quantity;
pub mod seller_card;
pub mod shell;
pub mod title;
