//! The simulated marketplace the service sells from: the seeded catalog and
//! its sellers, the coupons, the tax table and the past orders of a fresh mock.

mod catalog_seed;
pub mod order_seed;

use checkout_core::catalog::{Catalog, SellerId};
use checkout_core::checkout::{Coupon, CouponValue};
use checkout_core::money::{Currency, Money};
use checkout_core::order::ReturnPolicy;
use checkout_core::time::Timestamp;

/// A fixed start for a fresh mock's clock: 2026-11-01 00:00 UTC. Seeded data
/// and coupon expiries are set from it.
pub const EPOCH: Timestamp = Timestamp(1_793_491_200);

/// The seeded catalog: products, their options, stock and sellers.
pub fn catalog() -> Catalog {
    catalog_seed::catalog()
}

/// The coupons the marketplace knows.
pub fn coupons() -> Vec<Coupon> {
    vec![
        // A welcome: once per buyer.
        Coupon { code: "WELCOME10".into(), value: CouponValue::PercentOff(10), min_items_total: None, expires_at: None, per_buyer: Some(1) },
        Coupon {
            code: "SAVE5".into(),
            value: CouponValue::AmountOff(Money::new(500, Currency::USD)),
            min_items_total: Some(Money::new(3000, Currency::USD)),
            expires_at: None,
            per_buyer: None,
        },
        Coupon { code: "SUMMER25".into(), value: CouponValue::PercentOff(25), min_items_total: None, expires_at: Some(EPOCH), per_buyer: None },
    ]
}

/// Tax by destination, in basis points. A stand-in table: VAT-like rates for a
/// few countries, none elsewhere.
pub fn tax_rate_bp(country: &str) -> u32 {
    match country {
        "DE" => 1900,
        "FR" | "GB" => 2000,
        "ES" | "NL" => 2100,
        "IT" => 2200,
        "PL" => 2300,
        _ => 0,
    }
}

/// What each seller takes back: where to send it, and whether a change of
/// mind is a reason. Maple Kids Corner takes no returns.
pub fn return_policy(seller: &SellerId) -> Option<ReturnPolicy> {
    let (change_of_mind, address) = match seller.0.as_str() {
        "lumen-home" => (true, "Lumen Home Returns, 18 Keji Road, Nanshan, Shenzhen 518057, China"),
        "trailpeak" => (true, "Trailpeak Returns, Unit 4, 220 Harbour Road, Kowloon, Hong Kong"),
        "pixel-gadget" => (false, "Pixel Gadget Returns, 9 Huaqiang North Road, Futian, Shenzhen 518031, China"),
        _ => return None,
    };
    Some(ReturnPolicy { change_of_mind, address: address.into() })
}
