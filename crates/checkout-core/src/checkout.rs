//! From cart to orders (docs/rules.md#checkout, docs/rules.md#payment): a quote
//! with every cost visible before paying (lines grouped by seller, a shipping
//! option per seller, coupon, tax, totals), and placing it, which makes one order
//! per seller under one payment. Placing is keyed by an idempotency key: the
//! same key returns the same orders; the same key with a different quote is
//! refused.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::cart::Cart;
use crate::catalog::{Catalog, SellerId};
use crate::money::{Currency, Money, MoneyError};
use crate::order::{Order, OrderId, OrderLine, OrderTotals};
use crate::time::{DateRange, Timestamp};
use crate::validate::address::Address;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ShippingSpeed {
    Standard,
    Express,
}

/// One way a seller can ship, with its price for this cart and its delivery days.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ShippingOption {
    pub speed: ShippingSpeed,
    pub price: Money,
    pub days_min: u16,
    pub days_max: u16,
}

impl ShippingOption {
    /// The delivery window if the seller ships at `shipped`.
    pub fn window(&self, shipped: Timestamp) -> DateRange {
        DateRange { from: shipped.plus_days(i64::from(self.days_min)), to: shipped.plus_days(i64::from(self.days_max)) }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CouponValue {
    /// Percent off the items (1 to 100).
    PercentOff(u8),
    AmountOff(Money),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Coupon {
    pub code: String,
    pub value: CouponValue,
    /// The items must add up to at least this.
    pub min_items_total: Option<Money>,
    pub expires_at: Option<Timestamp>,
    /// How many placed checkouts of one buyer may use it (none: no limit).
    #[serde(default)]
    pub per_buyer: Option<u32>,
}

impl Coupon {
    /// Whether a buyer who placed `used` checkouts with it may place another.
    pub fn check_uses(&self, used: u32) -> Result<(), QuoteError> {
        match self.per_buyer {
            Some(max) if used >= max => Err(QuoteError::CouponUsedUp),
            _ => Ok(()),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SellerQuote {
    pub seller_id: SellerId,
    pub seller_name: String,
    pub lines: Vec<OrderLine>,
    pub options: Vec<ShippingOption>,
    pub chosen: ShippingSpeed,
    pub handling_days: u16,
    pub totals: OrderTotals,
}

impl SellerQuote {
    /// The delivery range promised when ordering at `placed`: the earliest if
    /// verification is instant and the seller ships at once, the latest after
    /// the full 24 hours of verification and every handling day.
    pub fn delivery_estimate(&self, placed: Timestamp) -> Option<DateRange> {
        let option = self.options.iter().find(|o| o.speed == self.chosen)?;
        let handling = i64::from(self.handling_days);
        Some(DateRange {
            from: placed.plus_days(i64::from(option.days_min)),
            to: placed.plus_days(1 + handling + i64::from(option.days_max)),
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Quote {
    pub currency: Currency,
    pub sellers: Vec<SellerQuote>,
    pub coupon: Option<String>,
    /// Tax rate in basis points (1/100 of a percent) for the destination.
    pub tax_rate_bp: u32,
    pub totals: OrderTotals,
}

/// Why a quote could not be made; each maps to a message for the shopper.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum QuoteError {
    #[error("the cart has nothing that can be bought")]
    NothingToBuy,
    #[error("unknown coupon code")]
    CouponUnknown,
    #[error("the coupon has expired")]
    CouponExpired,
    #[error("this buyer has used the coupon as often as it allows")]
    CouponUsedUp,
    #[error("the coupon needs items worth at least {min}")]
    CouponMinimumNotMet { min: Money },
    #[error("that shipping option is not offered by this seller")]
    ShippingOptionUnavailable { seller_id: SellerId },
    #[error("the price changed since the quote: the total is now {total}")]
    PriceChanged { total: Money },
    #[error("an amount is too large or in another currency")]
    Money,
}

impl From<MoneyError> for QuoteError {
    fn from(_: MoneyError) -> Self {
        QuoteError::Money
    }
}

/// Days a seller has to ship once payment is verified.
pub const HANDLING_DAYS: u16 = 5;

fn options_for(policy: &crate::catalog::ShippingPolicy, subtotal: Money) -> Result<Vec<ShippingOption>, MoneyError> {
    let mut options = vec![ShippingOption {
        speed: ShippingSpeed::Standard,
        price: policy.fee_for(subtotal)?,
        days_min: policy.days_min,
        days_max: policy.days_max,
    }];
    if let Some(e) = &policy.express {
        options.push(ShippingOption { speed: ShippingSpeed::Express, price: e.fee, days_min: e.days_min, days_max: e.days_max });
    }
    Ok(options)
}

/// `amount * bp / 10_000`, rounded half up, without overflow.
fn basis_points(amount: Money, bp: u32) -> Result<Money, MoneyError> {
    let wide = i128::from(amount.minor) * i128::from(bp);
    let rounded = (wide + 5_000).div_euclid(10_000);
    let minor = i64::try_from(rounded).map_err(|_| MoneyError::Overflow)?;
    Ok(Money::new(minor, amount.currency))
}

/// Splits `total` over `weights` in proportion, in whole minor units, so that the
/// parts add up to `total` exactly (the remainder goes to the largest weights).
fn split(total: Money, weights: &[Money]) -> Result<Vec<Money>, MoneyError> {
    let sum: i128 = weights.iter().map(|w| i128::from(w.minor)).sum();
    if sum <= 0 {
        return Ok(weights.iter().map(|w| Money::zero(w.currency)).collect());
    }
    let mut parts: Vec<i64> = weights
        .iter()
        .map(|w| i64::try_from(i128::from(total.minor) * i128::from(w.minor) / sum).map_err(|_| MoneyError::Overflow))
        .collect::<Result<_, _>>()?;
    let mut left = total.minor - parts.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(weights[i].minor));
    for &i in order.iter().cycle().take(weights.len() * 2) {
        if left == 0 {
            break;
        }
        parts[i] += left.signum();
        left -= left.signum();
    }
    Ok(parts.into_iter().map(|m| Money::new(m, total.currency)).collect())
}

/// Prices the cart as it will be paid: only available lines, grouped by seller,
/// the chosen shipping per seller (standard where none is chosen), the coupon's
/// discount spread over the sellers' items, and tax on what remains.
pub fn quote(
    cart: &Cart,
    catalog: &Catalog,
    shipping: &BTreeMap<SellerId, ShippingSpeed>,
    coupon: Option<(&str, Option<&Coupon>)>,
    tax_rate_bp: u32,
    now: Timestamp,
) -> Result<Quote, QuoteError> {
    let summary = cart.summarize(catalog)?;
    if summary.groups.is_empty() {
        return Err(QuoteError::NothingToBuy);
    }
    let currency = catalog.currency;
    let items_total = summary.items_total;

    let discount_total = match coupon {
        None => Money::zero(currency),
        Some((_, None)) => return Err(QuoteError::CouponUnknown),
        Some((_, Some(c))) => {
            if c.expires_at.is_some_and(|e| now >= e) {
                return Err(QuoteError::CouponExpired);
            }
            if let Some(min) = c.min_items_total {
                if items_total.checked_sub(min)?.is_negative() {
                    return Err(QuoteError::CouponMinimumNotMet { min });
                }
            }
            let off = match c.value {
                CouponValue::PercentOff(p) => basis_points(items_total, u32::from(p.min(100)) * 100)?,
                CouponValue::AmountOff(m) => m,
            };
            // Never more than the items, never negative.
            Money::new(off.minor.clamp(0, items_total.minor), currency)
        }
    };
    let subtotals: Vec<Money> = summary.groups.iter().map(|g| g.subtotal).collect();
    let discounts = split(discount_total, &subtotals)?;

    let mut sellers = Vec::new();
    for (group, discount) in summary.groups.iter().zip(discounts) {
        let options = options_for(&group.seller.shipping, group.subtotal)?;
        let chosen = shipping.get(&group.seller.id).copied().unwrap_or(ShippingSpeed::Standard);
        let option = options
            .iter()
            .find(|o| o.speed == chosen)
            .ok_or_else(|| QuoteError::ShippingOptionUnavailable { seller_id: group.seller.id.clone() })?;
        let taxable = group.subtotal.checked_sub(discount)?.checked_add(option.price)?;
        let tax = basis_points(taxable, tax_rate_bp)?;
        let totals = OrderTotals::new(group.subtotal, option.price, discount, tax)?;
        let lines = group
            .lines
            .iter()
            .map(|l| OrderLine {
                product_name: l.product.name.clone(),
                option_label: l.option_label.clone(),
                image: l.product.images.first().map(|i| i.src.clone()),
                quantity: l.quantity,
                unit_price: l.unit_price,
                line_total: l.line_total,
            })
            .collect();
        sellers.push(SellerQuote {
            seller_id: group.seller.id.clone(),
            seller_name: group.seller.name.clone(),
            lines,
            options,
            chosen,
            handling_days: HANDLING_DAYS,
            totals,
        });
    }
    let sum = |f: fn(&OrderTotals) -> Money| Money::sum(currency, sellers.iter().map(|s| f(&s.totals)));
    let totals = OrderTotals::new(sum(|t| t.items)?, sum(|t| t.shipping)?, sum(|t| t.discount)?, sum(|t| t.tax)?)?;
    Ok(Quote { currency, sellers, coupon: coupon.map(|(code, _)| code.trim().to_uppercase()), tax_rate_bp, totals })
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum PlaceError {
    #[error("this idempotency key was already used for a different checkout")]
    KeyReusedWithDifferentQuote,
    #[error("the idempotency key must be a UUID")]
    BadKey,
    #[error("this idempotency key was already used to pay for other orders, or another way")]
    KeyReusedForOtherPayment,
}

/// What a key was first used for, and the orders it made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Placed {
    quote: Quote,
    address: Address,
    orders: Vec<OrderId>,
}

/// Remembers idempotency keys and makes order numbers. The mock and the server
/// each keep one (in browser storage, in SQLite).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ledger {
    placed: BTreeMap<String, Placed>,
    next_number: u64,
}

/// A UUID in its usual text form (any version): 8-4-4-4-12 hex digits.
pub fn is_uuid(key: &str) -> bool {
    let groups: Vec<&str> = key.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

impl Ledger {
    /// Places `quote` for `address` under `key`: one order per seller, each
    /// awaiting payment. The same key and quote give back the same order ids
    /// (`Ok((ids, false))`), made only once; the same key with anything else is
    /// refused. `Ok((ids, true))` means the orders are new and must be stored.
    pub fn place(&mut self, key: &str, quote: &Quote, address: &Address, now: Timestamp) -> Result<(Vec<Order>, bool), PlaceError> {
        if !is_uuid(key) {
            return Err(PlaceError::BadKey);
        }
        if let Some(p) = self.placed.get(key) {
            if &p.quote != quote || &p.address != address {
                return Err(PlaceError::KeyReusedWithDifferentQuote);
            }
            return Ok((Self::make(quote, address, &p.orders, now), false));
        }
        let ids: Vec<OrderId> = quote
            .sellers
            .iter()
            .map(|_| {
                self.next_number += 1;
                OrderId(format!("{:012}", 8_100_000_000_000 + self.next_number))
            })
            .collect();
        let orders = Self::make(quote, address, &ids, now);
        self.placed.insert(key.to_owned(), Placed { quote: quote.clone(), address: address.clone(), orders: ids });
        Ok((orders, true))
    }

    fn make(quote: &Quote, address: &Address, ids: &[OrderId], now: Timestamp) -> Vec<Order> {
        quote
            .sellers
            .iter()
            .zip(ids)
            .map(|(s, id)| {
                let mut order = Order::place(
                    id.clone(),
                    id.0.clone(),
                    s.seller_id.clone(),
                    s.seller_name.clone(),
                    s.lines.clone(),
                    s.totals.clone(),
                    address.clone(),
                    s.handling_days,
                    now,
                );
                order.delivery_estimate = s.delivery_estimate(now);
                order
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::fixtures::{catalog, usd};
    use crate::catalog::ProductId;
    use proptest::prelude::*;

    const NOW: Timestamp = Timestamp(1_790_000_000);
    const KEY: &str = "2f1e4c7a-9b0d-4e8f-a1c2-3d4e5f6a7b8c";

    fn cart() -> Cart {
        let c = catalog();
        let mut cart = Cart::default();
        cart.add(c.product(&ProductId("p1".into())).unwrap(), None, 2).unwrap(); // a: 20.00
        cart.add(c.product(&ProductId("p3".into())).unwrap(), None, 1).unwrap(); // b: 7.99
        cart
    }

    fn address() -> Address {
        Address {
            country: "DE".into(),
            given_name: "Jonas".into(),
            family_name: "Weber".into(),
            line1: "Unter den Linden 1".into(),
            line2: None,
            city: "Berlin".into(),
            region: None,
            postal_code: Some("10117".into()),
        }
    }

    fn q(coupon: Option<(&str, Option<&Coupon>)>, tax: u32) -> Result<Quote, QuoteError> {
        quote(&cart(), &catalog(), &BTreeMap::new(), coupon, tax, NOW)
    }

    // Every cost, with shipping and tax per seller, shows before paying (docs/rules.md#checkout).
    #[test]
    fn a_quote_groups_by_seller_with_shipping_and_tax_per_seller() {
        let quote = q(None, 1900).unwrap();
        assert_eq!(quote.sellers.len(), 2);
        let a = &quote.sellers[0];
        assert_eq!(a.totals.items, usd(2000));
        assert_eq!(a.totals.shipping, usd(499));
        assert_eq!(a.totals.tax, usd(475), "19% of 24.99, rounded half up");
        assert_eq!(a.totals.total, usd(2974));
        assert_eq!(a.options.len(), 2, "standard and express");
        assert_eq!(quote.totals.total, Money::sum(Currency::USD, quote.sellers.iter().map(|s| s.totals.total)).unwrap());
    }

    // Each seller's shipping options, with price and date range (docs/rules.md#checkout).
    #[test]
    fn the_chosen_shipping_option_is_priced_per_seller() {
        let mut choice = BTreeMap::new();
        choice.insert(crate::catalog::SellerId("b".into()), ShippingSpeed::Express);
        let quote = quote(&cart(), &catalog(), &choice, None, 0, NOW).unwrap();
        assert_eq!(quote.sellers[0].chosen, ShippingSpeed::Standard);
        assert_eq!(quote.sellers[1].chosen, ShippingSpeed::Express);
        assert_eq!(quote.sellers[1].totals.shipping, usd(1299));
        let window = quote.sellers[1].options[1].window(NOW);
        assert_eq!(window.from, NOW.plus_days(3));
        assert_eq!(window.to, NOW.plus_days(5));
    }

    // The confirmation shows the delivery date range (docs/rules.md#payment).
    #[test]
    fn placed_orders_promise_a_delivery_range_from_the_chosen_option() {
        let mut choice = BTreeMap::new();
        choice.insert(crate::catalog::SellerId("b".into()), ShippingSpeed::Express);
        let quote = quote(&cart(), &catalog(), &choice, None, 0, NOW).unwrap();
        let (orders, _) = Ledger::default().place(KEY, &quote, &address(), NOW).unwrap();
        let handling = i64::from(quote.sellers[1].handling_days);
        let express = orders[1].delivery_estimate.unwrap();
        assert_eq!(express.from, NOW.plus_days(3));
        assert_eq!(express.to, NOW.plus_days(1 + handling + 5), "a full day of verification and every handling day");
        let standard = orders[0].delivery_estimate.unwrap();
        assert!(standard.from > express.from && standard.to > express.to, "standard arrives later than express");
    }

    // An unknown or expired coupon is refused with its own reason (docs/rules.md#checkout).
    #[test]
    fn coupons_are_refused_with_a_reason_or_spread_over_the_sellers() {
        assert_eq!(q(Some(("NOPE", None)), 0), Err(QuoteError::CouponUnknown));
        let expired = Coupon { code: "OLD".into(), value: CouponValue::PercentOff(10), min_items_total: None, expires_at: Some(NOW), per_buyer: None };
        assert_eq!(q(Some(("old", Some(&expired))), 0), Err(QuoteError::CouponExpired));
        let min = Coupon { code: "BIG".into(), value: CouponValue::AmountOff(usd(500)), min_items_total: Some(usd(5000)), expires_at: None, per_buyer: None };
        assert_eq!(q(Some(("BIG", Some(&min))), 0), Err(QuoteError::CouponMinimumNotMet { min: usd(5000) }));
        let ten = Coupon { code: "TEN".into(), value: CouponValue::PercentOff(10), min_items_total: None, expires_at: None, per_buyer: None };
        let quote = q(Some((" ten ", Some(&ten))), 0).unwrap();
        assert_eq!(quote.coupon.as_deref(), Some("TEN"));
        assert_eq!(quote.totals.discount, usd(280), "10% of 27.99, rounded half up");
        assert_eq!(quote.sellers[0].totals.discount.minor + quote.sellers[1].totals.discount.minor, 280);
        let huge = Coupon { code: "ALL".into(), value: CouponValue::AmountOff(usd(1_000_000)), min_items_total: None, expires_at: None, per_buyer: None };
        let quote = q(Some(("ALL", Some(&huge))), 0).unwrap();
        assert_eq!(quote.totals.discount, usd(2799), "never more than the items");
        assert!(quote.sellers.iter().all(|s| !s.totals.total.is_negative()));
    }

    #[test]
    fn an_empty_or_unavailable_cart_cannot_be_quoted() {
        assert_eq!(quote(&Cart::default(), &catalog(), &BTreeMap::new(), None, 0, NOW), Err(QuoteError::NothingToBuy));
    }

    // The same key gives back the same orders, never a second one (docs/rules.md#payment).
    #[test]
    fn the_same_key_gives_the_same_orders_and_a_different_quote_is_refused() {
        let mut ledger = Ledger::default();
        let quote = q(None, 0).unwrap();
        let (first, new) = ledger.place(KEY, &quote, &address(), NOW).unwrap();
        assert!(new);
        assert_eq!(first.len(), 2, "one order per seller");
        let (again, new) = ledger.place(KEY, &quote, &address(), NOW.plus(5)).unwrap();
        assert!(!new);
        assert_eq!(again.iter().map(|o| &o.id).collect::<Vec<_>>(), first.iter().map(|o| &o.id).collect::<Vec<_>>());
        let other = q(None, 1900).unwrap();
        assert_eq!(ledger.place(KEY, &other, &address(), NOW), Err(PlaceError::KeyReusedWithDifferentQuote));
        let mut moved = address();
        moved.city = "Hamburg".into();
        assert_eq!(ledger.place(KEY, &quote, &moved, NOW), Err(PlaceError::KeyReusedWithDifferentQuote));
        let (fresh, _) = ledger.place("7c9e6679-7425-40de-944b-e07fc1f90ae7", &quote, &address(), NOW).unwrap();
        assert_ne!(fresh[0].id, first[0].id);
        assert_eq!(ledger.place("not-a-uuid", &quote, &address(), NOW), Err(PlaceError::BadKey));
    }

    proptest! {
        // Totals are always the sum of their parts.
        #[test]
        fn split_parts_add_up_exactly(total in 0i64..1_000_000, weights in proptest::collection::vec(0i64..100_000, 1..6)) {
            let w: Vec<Money> = weights.iter().map(|m| usd(*m)).collect();
            let parts = split(usd(total), &w).unwrap();
            if weights.iter().sum::<i64>() > 0 {
                prop_assert_eq!(parts.iter().map(|p| p.minor).sum::<i64>(), total);
                prop_assert!(parts.iter().all(|p| p.minor >= 0));
            }
        }

        #[test]
        fn quote_totals_are_the_sum_of_their_parts(percent in 0u8..=100, tax in 0u32..3000, q1 in 1u32..6, q3 in 1u32..11) {
            let c = catalog();
            let mut cart = Cart::default();
            cart.add(c.product(&ProductId("p1".into())).unwrap(), None, q1).unwrap();
            cart.add(c.product(&ProductId("p3".into())).unwrap(), None, q3).unwrap();
            let coupon = Coupon { code: "P".into(), value: CouponValue::PercentOff(percent), min_items_total: None, expires_at: None, per_buyer: None };
            let quote = quote(&cart, &c, &BTreeMap::new(), Some(("P", Some(&coupon))), tax, NOW).unwrap();
            for s in &quote.sellers {
                let t = &s.totals;
                prop_assert_eq!(t.total.minor, t.items.minor + t.shipping.minor - t.discount.minor + t.tax.minor);
                prop_assert_eq!(t.items.minor, s.lines.iter().map(|l| l.line_total.minor).sum::<i64>());
                prop_assert!(t.total.minor >= 0);
            }
            let sum = |f: fn(&OrderTotals) -> i64| quote.sellers.iter().map(|s| f(&s.totals)).sum::<i64>();
            prop_assert_eq!(quote.totals.total.minor, sum(|t| t.total.minor));
            prop_assert_eq!(quote.totals.discount.minor, sum(|t| t.discount.minor));
        }
    }
}
