//! The order API as the screens, the HTTP client and the reference server all
//! see it: one async trait ([`OrderApi`]), its requests and answers, one error
//! enum ([`ApiError`]); [`http`], the trait over HTTP on any transport (the app
//! supplies the transport to [`http::HttpApi`]); and [`tokenizer`], the payment
//! provider's part in the browser. The service behind the trait, the mock's and
//! the server's alike, is the `marketplace` crate.

pub mod contract;
pub mod http;
pub mod tokenizer;

pub use contract::*;
