//! Client state that outlives a screen, kept in context.
pub mod cart;
