//! Products and the sellers who sell them, as the catalog part of the order API
//! returns them, with the checks that make an API answer safe to show.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::money::{Currency, Money, MoneyError};

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct ProductId(pub String);

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct SellerId(pub String);

impl std::fmt::Display for ProductId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a seller charges for standard shipping, and from which subtotal it is free.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ShippingPolicy {
    pub standard_fee: Money,
    #[serde(default)]
    pub free_over: Option<Money>,
    /// Standard delivery takes between these many days after shipment.
    pub days_min: u16,
    pub days_max: u16,
    /// A faster option at a fixed price, where the seller offers one.
    #[serde(default)]
    pub express: Option<ExpressShipping>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ExpressShipping {
    pub fee: Money,
    pub days_min: u16,
    pub days_max: u16,
}

impl ShippingPolicy {
    /// The standard shipping fee for a seller's part of the cart.
    pub fn fee_for(&self, subtotal: Money) -> Result<Money, MoneyError> {
        match self.free_over {
            Some(threshold) if subtotal.checked_sub(threshold)?.minor >= 0 => Ok(Money::zero(subtotal.currency)),
            _ => Ok(self.standard_fee),
        }
    }
}

/// The store as shoppers check it before buying (docs/rules.md#sellers).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Seller {
    pub id: SellerId,
    pub name: String,
    /// Average rating out of 5, in tenths (48 means 4.8).
    pub rating_tenths: u8,
    /// Share of positive feedback, in tenths of a percent (986 means 98.6 %).
    pub positive_feedback_permille: u16,
    pub years_open: u8,
    pub orders_served: u32,
    pub verified: bool,
    pub shipping: ShippingPolicy,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum OptionKind {
    Size,
    Colour,
}

/// One choice of a product's option (a size, a colour), with its own stock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OptionChoice {
    pub id: String,
    pub label: String,
    pub stock: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProductOptions {
    pub kind: OptionKind,
    pub choices: Vec<OptionChoice>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProductImage {
    pub src: String,
    pub width: u32,
    pub height: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Product {
    pub id: ProductId,
    pub seller_id: SellerId,
    pub name: String,
    pub description: String,
    pub price: Money,
    pub images: Vec<ProductImage>,
    /// Stock of a product without options; ignored when it has options.
    #[serde(default)]
    pub stock: u32,
    #[serde(default)]
    pub options: Option<ProductOptions>,
    /// The most one shopper may buy in one order.
    pub max_per_order: u32,
}

impl Product {
    /// Stock for the chosen option, or for the product itself when it has none.
    /// `None` when the option does not exist (or one is needed and none is given).
    pub fn stock_for(&self, option_id: Option<&str>) -> Option<u32> {
        match (&self.options, option_id) {
            (None, None) => Some(self.stock),
            (Some(opts), Some(id)) => opts.choices.iter().find(|c| c.id == id).map(|c| c.stock),
            _ => None,
        }
    }

    /// The most that can go into the cart for this option: stock, capped by the
    /// per-order maximum.
    pub fn max_quantity(&self, option_id: Option<&str>) -> u32 {
        self.stock_for(option_id).unwrap_or(0).min(self.max_per_order)
    }

    pub fn option_label(&self, option_id: Option<&str>) -> Option<&str> {
        let id = option_id?;
        self.options
            .as_ref()?
            .choices
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.label.as_str())
    }

    /// Whether any option (or the product itself) can be bought.
    pub fn in_stock(&self) -> bool {
        match &self.options {
            None => self.stock > 0 && self.max_per_order > 0,
            Some(o) => self.max_per_order > 0 && o.choices.iter().any(|c| c.stock > 0),
        }
    }
}

/// Why a catalog from the API cannot be shown.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    #[error("product {0} is priced in {1}, the catalog in {2}")]
    MixedCurrency(ProductId, Currency, Currency),
    #[error("product {0} has a negative price")]
    NegativePrice(ProductId),
    #[error("product {0} names unknown seller {1:?}")]
    UnknownSeller(ProductId, String),
    #[error("id {0:?} appears twice")]
    DuplicateId(String),
    #[error("product {0} has an option list with no choices")]
    EmptyOptions(ProductId),
    #[error("seller {0:?} has shipping in another currency")]
    ShippingCurrency(String),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Catalog {
    pub currency: Currency,
    pub sellers: Vec<Seller>,
    pub products: Vec<Product>,
}

impl Catalog {
    /// Checks what the type system cannot: one currency, known sellers, unique ids.
    pub fn validate(&self) -> Result<(), CatalogError> {
        let mut seller_ids = HashSet::new();
        for s in &self.sellers {
            if !seller_ids.insert(&s.id) {
                return Err(CatalogError::DuplicateId(s.id.0.clone()));
            }
            let fees = std::iter::once(s.shipping.standard_fee)
                .chain(s.shipping.free_over)
                .chain(s.shipping.express.as_ref().map(|e| e.fee));
            if fees.into_iter().any(|m| m.currency != self.currency || m.is_negative()) {
                return Err(CatalogError::ShippingCurrency(s.id.0.clone()));
            }
        }
        let mut product_ids = HashSet::new();
        for p in &self.products {
            if !product_ids.insert(&p.id) {
                return Err(CatalogError::DuplicateId(p.id.0.clone()));
            }
            if p.price.currency != self.currency {
                return Err(CatalogError::MixedCurrency(p.id.clone(), p.price.currency, self.currency));
            }
            if p.price.is_negative() {
                return Err(CatalogError::NegativePrice(p.id.clone()));
            }
            if !seller_ids.contains(&p.seller_id) {
                return Err(CatalogError::UnknownSeller(p.id.clone(), p.seller_id.0.clone()));
            }
            if p.options.as_ref().is_some_and(|o| o.choices.is_empty()) {
                return Err(CatalogError::EmptyOptions(p.id.clone()));
            }
        }
        Ok(())
    }

    pub fn product(&self, id: &ProductId) -> Option<&Product> {
        self.products.iter().find(|p| &p.id == id)
    }

    pub fn seller(&self, id: &SellerId) -> Option<&Seller> {
        self.sellers.iter().find(|s| &s.id == id)
    }
}

#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;

    pub fn usd(minor: i64) -> Money {
        Money::new(minor, Currency::USD)
    }

    pub fn seller(id: &str) -> Seller {
        Seller {
            id: SellerId(id.into()),
            name: format!("Store {id}"),
            rating_tenths: 47,
            positive_feedback_permille: 975,
            years_open: 4,
            orders_served: 12_000,
            verified: true,
            shipping: ShippingPolicy {
                standard_fee: usd(499),
                free_over: Some(usd(5000)),
                days_min: 7,
                days_max: 15,
                express: Some(ExpressShipping { fee: usd(1299), days_min: 3, days_max: 5 }),
            },
        }
    }

    pub fn product(id: &str, seller: &str, price: i64, stock: u32) -> Product {
        Product {
            id: ProductId(id.into()),
            seller_id: SellerId(seller.into()),
            name: format!("Product {id}"),
            description: String::new(),
            price: usd(price),
            images: vec![],
            stock,
            options: None,
            max_per_order: 10,
        }
    }

    pub fn sized(id: &str, seller: &str, price: i64, sizes: &[(&str, u32)]) -> Product {
        Product {
            options: Some(ProductOptions {
                kind: OptionKind::Size,
                choices: sizes
                    .iter()
                    .map(|(s, n)| OptionChoice { id: (*s).into(), label: s.to_uppercase(), stock: *n })
                    .collect(),
            }),
            ..product(id, seller, price, 0)
        }
    }

    pub fn catalog() -> Catalog {
        Catalog {
            currency: Currency::USD,
            sellers: vec![seller("a"), seller("b")],
            products: vec![
                product("p1", "a", 1000, 5),
                sized("p2", "a", 2500, &[("s", 0), ("m", 3)]),
                product("p3", "b", 799, 100),
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::*;

    #[test]
    fn stock_is_per_option_when_a_product_has_options() {
        let c = catalog();
        let p2 = c.product(&ProductId("p2".into())).unwrap();
        assert_eq!(p2.stock_for(Some("s")), Some(0));
        assert_eq!(p2.stock_for(Some("m")), Some(3));
        assert_eq!(p2.stock_for(Some("xl")), None);
        assert_eq!(p2.stock_for(None), None, "a product with options needs a choice");
        assert!(p2.in_stock());
    }

    #[test]
    fn max_quantity_is_stock_capped_by_per_order_limit() {
        let c = catalog();
        assert_eq!(c.product(&ProductId("p1".into())).unwrap().max_quantity(None), 5);
        assert_eq!(c.product(&ProductId("p3".into())).unwrap().max_quantity(None), 10);
    }

    #[test]
    fn shipping_is_free_from_the_threshold() {
        let s = seller("a").shipping;
        assert_eq!(s.fee_for(usd(4999)), Ok(usd(499)));
        assert_eq!(s.fee_for(usd(5000)), Ok(usd(0)));
    }

    #[test]
    fn validation_refuses_what_would_mislead_a_shopper() {
        assert_eq!(catalog().validate(), Ok(()));

        let mut c = catalog();
        c.products[0].price = Money::new(1000, Currency::EUR);
        assert!(matches!(c.validate(), Err(CatalogError::MixedCurrency(..))));

        let mut c = catalog();
        c.products[0].price = usd(-1);
        assert!(matches!(c.validate(), Err(CatalogError::NegativePrice(..))));

        let mut c = catalog();
        c.products[0].seller_id = SellerId("ghost".into());
        assert!(matches!(c.validate(), Err(CatalogError::UnknownSeller(..))));

        let mut c = catalog();
        c.products.push(product("p1", "a", 1, 1));
        assert!(matches!(c.validate(), Err(CatalogError::DuplicateId(..))));
    }
}
