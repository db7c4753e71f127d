//! Client state that outlives a screen: the cart (in context), the checkout
//! draft, and the card a shopper chose to keep (token, brand, last 4 only).
pub mod cart;
pub mod connectivity;
pub mod draft;
pub mod saved_card;
pub mod form_draft;
pub mod keys;
