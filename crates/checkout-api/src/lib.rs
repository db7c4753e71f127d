//! The order API as the screens, the HTTP client and the reference server all
//! see it: one async trait ([`OrderApi`]), its requests and answers, one error
//! enum ([`ApiError`]); and [`mock`], which implements it in memory on the rules
//! of `checkout-core`, so it cannot drift from them; and [`http`], the same trait
//! over HTTP on any transport. No browser types here: the app supplies a clock,
//! storage and timers to the mock through [`mock::Env`], and a transport to
//! [`http::HttpApi`].

pub mod contract;
pub mod http;
/// The in-browser mock; left out of builds without the `mock` feature.
#[cfg(feature = "mock")]
pub mod mock;
pub mod tokenizer;

pub use contract::*;
