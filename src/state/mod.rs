//! Client state that outlives a screen: the cart (in context) and the checkout draft.
pub mod cart;
pub mod draft;
