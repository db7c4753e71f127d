//! The shopping cart: lines keyed by product and option, quantity bounds,
//! grouping by seller with subtotals, and the versioned form kept in storage.

use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, Product, ProductId, Seller};
use crate::money::{Money, MoneyError};

/// The version of the stored cart: a value of another schema is discarded,
/// never misread (the app's storage key carries it too).
pub const SCHEMA_VERSION: u32 = 1;
/// Distinct lines a cart may hold; a limit so a hostile stored value stays small.
pub const MAX_LINES: usize = 100;
/// Longest name kept for a line (a snapshot shown if the product disappears).
const MAX_NAME_CHARS: usize = 200;
const MAX_ID_CHARS: usize = 64;

/// A line is one product in one option (a size, a colour).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LineKey {
    pub product_id: ProductId,
    #[serde(default)]
    pub option_id: Option<String>,
}

impl LineKey {
    pub fn new(product_id: ProductId, option_id: Option<String>) -> Self {
        LineKey { product_id, option_id }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CartLine {
    #[serde(flatten)]
    pub key: LineKey,
    pub quantity: u32,
    /// The product's name when it was added, shown if it later leaves the catalog.
    pub name: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Cart {
    #[cfg_attr(feature = "schema", schemars(length(max = 100)))]
    pub lines: Vec<CartLine>,
}

/// Why an item could not go into the cart.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AddError {
    #[error("choose an option first")]
    OptionRequired,
    #[error("that option does not exist")]
    UnknownOption,
    #[error("out of stock")]
    OutOfStock,
    #[error("the cart is full")]
    CartFull,
    #[error("the cart already holds the most allowed")]
    AlreadyAtMaximum { max: u32 },
}

/// What happened to a quantity the shopper asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuantityAdjustment {
    /// Not a whole number: the previous quantity is kept.
    NotANumber,
    /// Zero or negative: raised to 1 (removing is its own action, with undo).
    BelowMinimum,
    /// More than stock or the per-order limit allow: lowered to `max`.
    AboveMaximum { max: u32 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddOutcome {
    /// The line's quantity after adding.
    pub quantity: u32,
    /// Set when less was added than asked, because of stock or the limit.
    pub limited_to: Option<u32>,
}

/// Reads a quantity typed by the shopper and keeps it within 1..=max.
/// Never fails: text keeps `current`, out-of-range values are clamped; the
/// adjustment says what happened so the screen can tell the shopper.
pub fn parse_quantity(input: &str, current: u32, max: u32) -> (u32, Option<QuantityAdjustment>) {
    let s = input.trim();
    let digits = s.strip_prefix('+').unwrap_or(s);
    let value: Option<i128> = if let Some(neg) = s.strip_prefix('-') {
        (!neg.is_empty() && neg.bytes().all(|b| b.is_ascii_digit())).then_some(-1)
    } else if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        // A very long run of digits is simply "a lot".
        Some(digits.parse::<i128>().unwrap_or(i128::MAX))
    } else {
        None
    };
    let max = max.max(1);
    match value {
        None => (current.clamp(1, max), Some(QuantityAdjustment::NotANumber)),
        Some(n) if n < 1 => (1, Some(QuantityAdjustment::BelowMinimum)),
        Some(n) if n > i128::from(max) => (max, Some(QuantityAdjustment::AboveMaximum { max })),
        Some(n) => (n as u32, None),
    }
}

/// A line taken out of the cart, kept so that "Undo" can put it back where it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemovedLine {
    pub index: usize,
    pub line: CartLine,
}

/// The outcome of reading the cart back from storage.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Restored {
    pub cart: Cart,
    /// Lines that could not be read and were left out.
    pub dropped_lines: usize,
    /// The stored value was unreadable or of another schema and was discarded whole.
    pub discarded: bool,
}

impl Restored {
    /// Whether the shopper must be told that something was lost.
    pub fn lost_something(&self) -> bool {
        self.discarded || self.dropped_lines > 0
    }
}

#[derive(Serialize)]
struct StoredCartRef<'a> {
    version: u32,
    lines: &'a [CartLine],
}

impl Cart {
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Number of items (not lines), as the cart link in the header shows it.
    pub fn item_count(&self) -> u32 {
        self.lines.iter().fold(0u32, |n, l| n.saturating_add(l.quantity))
    }

    pub fn line(&self, key: &LineKey) -> Option<&CartLine> {
        self.lines.iter().find(|l| &l.key == key)
    }

    /// Adds `quantity` of a product (in an option, if it has options), merging
    /// with a line already there and never going past stock or the per-order limit.
    pub fn add(&mut self, product: &Product, option_id: Option<&str>, quantity: u32) -> Result<AddOutcome, AddError> {
        let stock = match (product.options.is_some(), option_id) {
            (true, None) => return Err(AddError::OptionRequired),
            _ => product.stock_for(option_id).ok_or(AddError::UnknownOption)?,
        };
        let max = stock.min(product.max_per_order);
        if max == 0 {
            return Err(AddError::OutOfStock);
        }
        let key = LineKey::new(product.id.clone(), option_id.map(str::to_owned));
        let wanted = quantity.max(1);
        match self.lines.iter_mut().find(|l| l.key == key) {
            Some(line) => {
                if line.quantity >= max {
                    line.quantity = max;
                    return Err(AddError::AlreadyAtMaximum { max });
                }
                let asked = line.quantity.saturating_add(wanted);
                line.quantity = asked.min(max);
                Ok(AddOutcome { quantity: line.quantity, limited_to: (asked > max).then_some(max) })
            }
            None => {
                if self.lines.len() >= MAX_LINES {
                    return Err(AddError::CartFull);
                }
                let q = wanted.min(max);
                self.lines.push(CartLine { key, quantity: q, name: truncate(&product.name, MAX_NAME_CHARS) });
                Ok(AddOutcome { quantity: q, limited_to: (wanted > max).then_some(max) })
            }
        }
    }

    /// Sets a line's quantity, kept within 1..=max. Returns the quantity set.
    pub fn set_quantity(&mut self, key: &LineKey, quantity: u32, max: u32) -> Option<u32> {
        let line = self.lines.iter_mut().find(|l| &l.key == key)?;
        line.quantity = quantity.clamp(1, max.max(1));
        Some(line.quantity)
    }

    pub fn remove(&mut self, key: &LineKey) -> Option<RemovedLine> {
        let index = self.lines.iter().position(|l| &l.key == key)?;
        let line = self.lines.remove(index);
        Some(RemovedLine { index, line })
    }

    /// Puts a removed line back where it was. If the same product was added again
    /// in the meantime, the line keeps the larger of the two quantities (both were
    /// within bounds, so the result is too) rather than becoming two lines.
    pub fn undo_remove(&mut self, removed: RemovedLine) {
        if let Some(existing) = self.lines.iter_mut().find(|l| l.key == removed.line.key) {
            existing.quantity = existing.quantity.max(removed.line.quantity);
            return;
        }
        let at = removed.index.min(self.lines.len());
        self.lines.insert(at, removed.line);
    }

    /// Lowers quantities that exceed what is now in stock. Returns the names of the
    /// lines changed, for a message. Lines whose product is gone or sold out are
    /// left as they are: the summary shows them as unavailable.
    pub fn fit_to_stock(&mut self, catalog: &Catalog) -> Vec<String> {
        let mut changed = Vec::new();
        for line in &mut self.lines {
            if let Some(p) = catalog.product(&line.key.product_id) {
                let max = p.max_quantity(line.key.option_id.as_deref());
                if max > 0 && line.quantity > max {
                    line.quantity = max;
                    changed.push(p.name.clone());
                }
            }
        }
        changed
    }

    /// The value written to storage: `{"version":1,"lines":[...]}`.
    pub fn to_storage(&self) -> String {
        serde_json::to_string(&StoredCartRef { version: SCHEMA_VERSION, lines: &self.lines })
            .unwrap_or_else(|_| String::from("{\"version\":1,\"lines\":[]}"))
    }

    /// Reads a stored value back. Never fails: a corrupt value or one of another
    /// schema gives an empty cart with `discarded`, bad lines are dropped and counted.
    pub fn from_storage(raw: &str) -> Restored {
        let discarded = || Restored { discarded: true, ..Restored::default() };
        let Ok(value) = serde_json::from_str::<serde_json::Value>(raw) else {
            return discarded();
        };
        let Some(obj) = value.as_object() else {
            return discarded();
        };
        if obj.get("version").and_then(|v| v.as_u64()) != Some(u64::from(SCHEMA_VERSION)) {
            return discarded();
        }
        let Some(raw_lines) = obj.get("lines").and_then(|l| l.as_array()) else {
            return discarded();
        };
        let mut cart = Cart::default();
        let mut dropped = 0;
        for raw_line in raw_lines {
            match serde_json::from_value::<CartLine>(raw_line.clone()) {
                Ok(line) if line_is_sane(&line) && cart.lines.len() < MAX_LINES => {
                    match cart.lines.iter_mut().find(|l| l.key == line.key) {
                        Some(existing) => existing.quantity = existing.quantity.saturating_add(line.quantity),
                        None => cart.lines.push(line),
                    }
                }
                _ => dropped += 1,
            }
        }
        Restored { cart, dropped_lines: dropped, discarded: false }
    }

    /// The lines with each item once: lines naming the same product and option
    /// (a cart sent by hand can repeat one) become one, their quantities added,
    /// where the first stood, so that splitting an item over several lines
    /// beats no limit and no stock.
    fn merged(&self) -> Vec<CartLine> {
        let mut out: Vec<CartLine> = Vec::with_capacity(self.lines.len());
        for line in &self.lines {
            match out.iter_mut().find(|o| o.key == line.key) {
                Some(first) => first.quantity = first.quantity.saturating_add(line.quantity),
                None => out.push(line.clone()),
            }
        }
        out
    }

    /// Prices the cart against the catalog: lines grouped by seller in the order
    /// they were first added, each seller's subtotal and shipping estimate, and the
    /// totals. Lines whose product is gone or sold out are listed apart and left
    /// out of every total.
    pub fn summarize(&self, catalog: &Catalog) -> Result<CartSummary, MoneyError> {
        let currency = catalog.currency;
        let mut groups: Vec<SellerGroup> = Vec::new();
        let mut unavailable = Vec::new();
        for line in &self.merged() {
            let found = catalog
                .product(&line.key.product_id)
                .and_then(|p| catalog.seller(&p.seller_id).map(|s| (p, s)));
            let Some((product, seller)) = found else {
                unavailable.push(UnavailableLine { key: line.key.clone(), name: line.name.clone(), reason: Unavailable::Gone });
                continue;
            };
            let option = line.key.option_id.as_deref();
            let max = product.max_quantity(option);
            if max == 0 {
                let reason = if product.stock_for(option).is_none() { Unavailable::Gone } else { Unavailable::SoldOut };
                unavailable.push(UnavailableLine { key: line.key.clone(), name: product.name.clone(), reason });
                continue;
            }
            let quantity = line.quantity.clamp(1, max);
            let priced = PricedLine {
                key: line.key.clone(),
                product: product.clone(),
                option_label: product.option_label(option).map(str::to_owned),
                quantity,
                max_quantity: max,
                unit_price: product.price,
                line_total: product.price.checked_mul(quantity)?,
            };
            match groups.iter_mut().find(|g| g.seller.id == seller.id) {
                Some(g) => g.lines.push(priced),
                None => groups.push(SellerGroup {
                    seller: seller.clone(),
                    lines: vec![priced],
                    subtotal: Money::zero(currency),
                    shipping: Money::zero(currency),
                }),
            }
        }
        for g in &mut groups {
            g.subtotal = Money::sum(currency, g.lines.iter().map(|l| l.line_total))?;
            g.shipping = g.seller.shipping.fee_for(g.subtotal)?;
        }
        let items_total = Money::sum(currency, groups.iter().map(|g| g.subtotal))?;
        let shipping_estimate = Money::sum(currency, groups.iter().map(|g| g.shipping))?;
        let total = items_total.checked_add(shipping_estimate)?;
        let item_count = groups
            .iter()
            .flat_map(|g| &g.lines)
            .fold(0u32, |n, l| n.saturating_add(l.quantity));
        Ok(CartSummary { groups, unavailable, item_count, items_total, shipping_estimate, total })
    }
}

fn line_is_sane(line: &CartLine) -> bool {
    line.quantity >= 1
        && line.quantity <= 10_000
        && !line.key.product_id.0.is_empty()
        && line.key.product_id.0.chars().count() <= MAX_ID_CHARS
        && line.key.option_id.as_ref().is_none_or(|o| !o.is_empty() && o.chars().count() <= MAX_ID_CHARS)
        && line.name.chars().count() <= MAX_NAME_CHARS
}

fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// A cart line priced against the catalog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PricedLine {
    pub key: LineKey,
    pub product: Product,
    pub option_label: Option<String>,
    /// The quantity that counts, within 1..=max_quantity.
    pub quantity: u32,
    pub max_quantity: u32,
    pub unit_price: Money,
    pub line_total: Money,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SellerGroup {
    pub seller: Seller,
    pub lines: Vec<PricedLine>,
    pub subtotal: Money,
    /// Standard shipping for this seller's part; the real choice is made at checkout.
    pub shipping: Money,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unavailable {
    /// The product (or its option) is no longer in the catalog.
    Gone,
    SoldOut,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnavailableLine {
    pub key: LineKey,
    pub name: String,
    pub reason: Unavailable,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CartSummary {
    pub groups: Vec<SellerGroup>,
    pub unavailable: Vec<UnavailableLine>,
    pub item_count: u32,
    pub items_total: Money,
    pub shipping_estimate: Money,
    pub total: Money,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::fixtures::*;
    use proptest::prelude::*;

    fn key(p: &str, o: Option<&str>) -> LineKey {
        LineKey::new(ProductId(p.into()), o.map(str::to_owned))
    }

    fn p<'a>(c: &'a Catalog, id: &str) -> &'a Product {
        c.product(&ProductId(id.into())).unwrap()
    }

    #[test]
    fn adding_the_same_product_and_option_merges_lines() {
        let c = catalog();
        let mut cart = Cart::default();
        cart.add(p(&c, "p1"), None, 1).unwrap();
        cart.add(p(&c, "p1"), None, 2).unwrap();
        cart.add(p(&c, "p2"), Some("m"), 1).unwrap();
        assert_eq!(cart.lines.len(), 2);
        assert_eq!(cart.line(&key("p1", None)).unwrap().quantity, 3);
        assert_eq!(cart.item_count(), 4);
    }

    // A cart sent by hand may name one item on several lines: priced, they are
    // one line, and its stock (5 of p1) is not beaten by splitting.
    #[test]
    fn repeated_lines_are_priced_as_one_within_the_limits() {
        let c = catalog();
        let line = |q| CartLine { key: key("p1", None), quantity: q, name: "p1".into() };
        let cart = Cart { lines: vec![line(4), line(4), line(4)] };
        let s = cart.summarize(&c).unwrap();
        let lines: Vec<&PricedLine> = s.groups.iter().flat_map(|g| &g.lines).collect();
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].quantity, 5, "capped by the stock as one line");
        assert_eq!(s.item_count, 5);
    }

    #[test]
    fn adding_is_bounded_by_stock_and_says_so() {
        let c = catalog();
        let mut cart = Cart::default();
        assert_eq!(cart.add(p(&c, "p1"), None, 9), Ok(AddOutcome { quantity: 5, limited_to: Some(5) }));
        assert_eq!(cart.add(p(&c, "p1"), None, 1), Err(AddError::AlreadyAtMaximum { max: 5 }));
        assert_eq!(cart.add(p(&c, "p2"), Some("s"), 1), Err(AddError::OutOfStock));
        assert_eq!(cart.add(p(&c, "p2"), None, 1), Err(AddError::OptionRequired));
        assert_eq!(cart.add(p(&c, "p2"), Some("xxl"), 1), Err(AddError::UnknownOption));
    }

    #[test]
    fn adding_is_bounded_by_the_per_order_maximum() {
        let c = catalog();
        let mut cart = Cart::default();
        assert_eq!(cart.add(p(&c, "p3"), None, 50), Ok(AddOutcome { quantity: 10, limited_to: Some(10) }));
    }

    #[test]
    fn typed_quantities_are_clamped_with_a_reason() {
        use QuantityAdjustment::*;
        assert_eq!(parse_quantity("3", 1, 5), (3, None));
        assert_eq!(parse_quantity(" 4 ", 1, 5), (4, None));
        assert_eq!(parse_quantity("abc", 2, 5), (2, Some(NotANumber)));
        assert_eq!(parse_quantity("", 2, 5), (2, Some(NotANumber)));
        assert_eq!(parse_quantity("2.5", 2, 5), (2, Some(NotANumber)));
        assert_eq!(parse_quantity("0", 2, 5), (1, Some(BelowMinimum)));
        assert_eq!(parse_quantity("-3", 2, 5), (1, Some(BelowMinimum)));
        assert_eq!(parse_quantity("6", 2, 5), (5, Some(AboveMaximum { max: 5 })));
        assert_eq!(
            parse_quantity("99999999999999999999999999999999999999999", 2, 5),
            (5, Some(AboveMaximum { max: 5 }))
        );
    }

    #[test]
    fn remove_then_undo_puts_the_line_back_in_place() {
        let c = catalog();
        let mut cart = Cart::default();
        cart.add(p(&c, "p1"), None, 2).unwrap();
        cart.add(p(&c, "p3"), None, 1).unwrap();
        cart.add(p(&c, "p2"), Some("m"), 1).unwrap();
        let before = cart.clone();
        let removed = cart.remove(&key("p3", None)).unwrap();
        assert_eq!(cart.lines.len(), 2);
        cart.undo_remove(removed);
        assert_eq!(cart, before);
    }

    #[test]
    fn summary_groups_lines_by_seller_with_subtotals_and_shipping() {
        let c = catalog();
        let mut cart = Cart::default();
        cart.add(p(&c, "p1"), None, 2).unwrap(); // a: 20.00
        cart.add(p(&c, "p3"), None, 1).unwrap(); // b: 7.99
        cart.add(p(&c, "p2"), Some("m"), 2).unwrap(); // a: 50.00
        let s = cart.summarize(&c).unwrap();
        assert_eq!(s.groups.len(), 2);
        assert_eq!(s.groups[0].seller.id.0, "a");
        assert_eq!(s.groups[0].lines.len(), 2);
        assert_eq!(s.groups[0].subtotal, usd(7000));
        assert_eq!(s.groups[0].shipping, usd(0), "free over 50.00");
        assert_eq!(s.groups[1].subtotal, usd(799));
        assert_eq!(s.groups[1].shipping, usd(499));
        assert_eq!(s.items_total, usd(7799));
        assert_eq!(s.shipping_estimate, usd(499));
        assert_eq!(s.total, usd(8298));
        assert_eq!(s.item_count, 5);
    }

    #[test]
    fn a_product_that_left_the_catalog_is_unavailable_and_not_counted() {
        let mut c = catalog();
        let mut cart = Cart::default();
        cart.add(p(&c, "p1"), None, 1).unwrap();
        cart.add(p(&c, "p3"), None, 1).unwrap();
        c.products.retain(|p| p.id.0 != "p1");
        let s = cart.summarize(&c).unwrap();
        assert_eq!(s.unavailable.len(), 1);
        assert_eq!(s.unavailable[0].name, "Product p1");
        assert_eq!(s.unavailable[0].reason, Unavailable::Gone);
        assert_eq!(s.items_total, usd(799));
    }

    #[test]
    fn stock_that_shrank_lowers_the_line() {
        let mut c = catalog();
        let mut cart = Cart::default();
        cart.add(p(&c, "p1"), None, 4).unwrap();
        c.products[0].stock = 2;
        assert_eq!(cart.summarize(&c).unwrap().groups[0].lines[0].quantity, 2);
        assert_eq!(cart.fit_to_stock(&c), vec!["Product p1".to_string()]);
        assert_eq!(cart.line(&key("p1", None)).unwrap().quantity, 2);
        c.products[0].stock = 0;
        let s = cart.summarize(&c).unwrap();
        assert_eq!(s.unavailable[0].reason, Unavailable::SoldOut);
        assert_eq!(s.total, usd(0));
    }

    #[test]
    fn storage_round_trips_and_carries_its_schema_version() {
        let c = catalog();
        let mut cart = Cart::default();
        cart.add(p(&c, "p2"), Some("m"), 2).unwrap();
        cart.add(p(&c, "p1"), None, 1).unwrap();
        let raw = cart.to_storage();
        assert!(raw.starts_with("{\"version\":1,"), "{raw}");
        let back = Cart::from_storage(&raw);
        assert_eq!(back.cart, cart);
        assert!(!back.lost_something());
    }

    #[test]
    fn corrupt_or_old_storage_is_discarded_and_reported() {
        for raw in ["", "not json", "[]", "null", "{\"lines\":[]}", "{\"version\":0,\"lines\":[]}", "{\"version\":2,\"lines\":[]}", "{\"version\":1}"] {
            let r = Cart::from_storage(raw);
            assert!(r.cart.is_empty(), "{raw}");
            assert!(r.discarded, "{raw}");
        }
    }

    #[test]
    fn bad_lines_are_dropped_and_counted_good_ones_kept() {
        let raw = r#"{"version":1,"lines":[
            {"product_id":"p1","quantity":2,"name":"Lamp"},
            {"product_id":"p1","quantity":-2,"name":"Lamp"},
            {"product_id":"p3","quantity":0,"name":"x"},
            {"product_id":"p3","quantity":"many","name":"x"},
            {"product_id":"","quantity":1,"name":"x"},
            {"product_id":"p2","option_id":"m","quantity":1,"name":"Shirt"},
            {"product_id":"p2","option_id":"m","quantity":2,"name":"Shirt"},
            42
        ]}"#;
        let r = Cart::from_storage(raw);
        assert!(!r.discarded);
        assert_eq!(r.dropped_lines, 5);
        assert_eq!(r.cart.lines.len(), 2);
        assert_eq!(r.cart.line(&key("p2", Some("m"))).unwrap().quantity, 3, "duplicates merged");
    }

    #[derive(Clone, Debug)]
    enum Op {
        Add(usize, u32),
        Set(usize, String),
        Remove(usize),
        Undo,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0usize..4, 0u32..200).prop_map(|(i, q)| Op::Add(i, q)),
            (0usize..4, "[-+]?[0-9a-z.]{0,12}").prop_map(|(i, s)| Op::Set(i, s)),
            (0usize..4).prop_map(Op::Remove),
            Just(Op::Undo),
        ]
    }

    proptest! {
        #[test]
        fn no_sequence_of_actions_breaks_the_cart(ops in proptest::collection::vec(op(), 0..40)) {
            let c = catalog();
            let choices: [(&str, Option<&str>); 4] = [("p1", None), ("p2", Some("m")), ("p3", None), ("p2", Some("s"))];
            let mut cart = Cart::default();
            let mut last_removed = None;
            for op in ops {
                match op {
                    Op::Add(i, q) => { let (id, o) = choices[i]; let _ = cart.add(p(&c, id), o, q); }
                    Op::Set(i, s) => {
                        let (id, o) = choices[i];
                        let k = key(id, o);
                        if let Some(line) = cart.line(&k) {
                            let max = p(&c, id).max_quantity(o);
                            let (q, _) = parse_quantity(&s, line.quantity, max);
                            cart.set_quantity(&k, q, max);
                        }
                    }
                    Op::Remove(i) => { let (id, o) = choices[i]; if let Some(r) = cart.remove(&key(id, o)) { last_removed = Some(r); } }
                    Op::Undo => if let Some(r) = last_removed.take() {
                        let k = r.line.key.clone();
                        cart.undo_remove(r);
                        prop_assert!(cart.line(&k).is_some(), "undo brings the line back");
                    },
                }
                // Every line is within its bounds, and keys are unique.
                for l in &cart.lines {
                    let max = p(&c, &l.key.product_id.0).max_quantity(l.key.option_id.as_deref());
                    prop_assert!(l.quantity >= 1 && l.quantity <= max, "{l:?} max {max}");
                }
                let mut keys: Vec<_> = cart.lines.iter().map(|l| l.key.clone()).collect();
                keys.sort_by(|a, b| (&a.product_id, &a.option_id).cmp(&(&b.product_id, &b.option_id)));
                keys.dedup();
                prop_assert_eq!(keys.len(), cart.lines.len());
                // Totals equal the sum of their parts and are never negative.
                let s = cart.summarize(&c).unwrap();
                let lines: i64 = s.groups.iter().flat_map(|g| &g.lines).map(|l| l.line_total.minor).sum();
                prop_assert_eq!(s.items_total.minor, lines);
                prop_assert_eq!(s.total.minor, s.items_total.minor + s.shipping_estimate.minor);
                prop_assert!(s.total.minor >= 0);
                // What is stored reads back the same.
                prop_assert_eq!(Cart::from_storage(&cart.to_storage()).cart, cart.clone());
            }
        }

        #[test]
        fn any_stored_text_reads_without_panicking(raw in ".{0,200}") {
            let r = Cart::from_storage(&raw);
            prop_assert!(r.cart.lines.len() <= MAX_LINES);
        }
    }
}
