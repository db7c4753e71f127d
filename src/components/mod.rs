//! Pieces used by several screens.
pub mod announcer;
pub mod card_form;
pub mod dialog;
pub mod error_summary;
pub mod evidence_picker;
pub mod feedback;
pub mod load_error;
pub mod order_status;
pub mod pay_panel;
pub mod payment_flow;
pub mod payment_method;
pub mod price;
pub mod product_card;
pub mod quantity;
pub mod seller_card;
pub mod shell;
pub mod title;
