//! One file per screen, named after its route.
pub mod cart;
pub mod catalog;
pub mod checkout;
pub mod dispute;
pub mod lazy;
pub mod not_found;
pub mod order;
pub mod orders;
#[cfg(feature = "preview")]
pub mod preview;
pub mod product;
pub mod returns;
pub mod wallet;
