//! The order service, written once.
//!
//! - [`world`]: the simulated marketplace: its catalog and sellers, coupons,
//!   tax table and the past orders a fresh mock starts with.
//! - [`scenario`] and [`script`]: how sellers, carriers, banks and the network
//!   behave, and the steps they take by themselves on the clock.
//! - [`provider`]: the payment provider boundary. The provider, not the buyer,
//!   says whether a payment went through; [`provider::SimulatedProvider`] is a
//!   provider's test mode, where public test cards decide.
//! - [`service`]: quoting, placing, paying, tracking and the buyer's actions on
//!   the rules of `checkout-core`, over a [`service::Storage`] (one transaction
//!   per call) and a clock ([`clock::Clock`]).
//! - [`mock`]: that service in the browser, on localStorage, behind a
//!   simulated network: the app's default backend.
//!
//! The reference server (`crates/order-api`) runs the same [`service`] on
//! SQLite behind HTTP; see `docs/architecture.md`.

pub mod clock;
pub mod mock;
pub mod provider;
pub mod scenario;
pub mod script;
pub mod service;
pub mod world;

pub use scenario::Scenario;
