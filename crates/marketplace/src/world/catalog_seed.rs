//! The seeded catalog: four stores and fourteen products, with options,
//! a sold-out option, a sold-out product and a per-order limit, so every state of
//! the catalog, product and cart screens can be seen without a backend.

use checkout_core::catalog::{
    Catalog, ExpressShipping, OptionChoice, OptionKind, Product, ProductId, ProductImage, ProductOptions, Seller,
    SellerId, ShippingPolicy,
};
use checkout_core::money::{Currency, Money};

fn usd(minor: i64) -> Money {
    Money::new(minor, Currency::USD)
}

#[allow(clippy::too_many_arguments)] // one row of the seed table, read as such
fn seller(
    id: &str,
    name: &str,
    rating_tenths: u8,
    positive_feedback_permille: u16,
    years_open: u8,
    orders_served: u32,
    verified: bool,
    shipping: ShippingPolicy,
) -> Seller {
    Seller {
        id: SellerId(id.into()),
        name: name.into(),
        rating_tenths,
        positive_feedback_permille,
        years_open,
        orders_served,
        verified,
        shipping,
    }
}

fn images(id: &str) -> Vec<ProductImage> {
    (1..=2)
        .map(|n| ProductImage { src: format!("/images/products/{id}-{n}.svg"), width: 480, height: 480 })
        .collect()
}

struct P<'a> {
    id: &'a str,
    seller: &'a str,
    name: &'a str,
    description: &'a str,
    price: i64,
    stock: u32,
    max: u32,
}

fn product(p: P<'_>) -> Product {
    Product {
        id: ProductId(p.id.into()),
        seller_id: SellerId(p.seller.into()),
        name: p.name.into(),
        description: p.description.into(),
        price: usd(p.price),
        images: images(p.id),
        stock: p.stock,
        options: None,
        max_per_order: p.max,
    }
}

fn with_options(mut p: Product, kind: OptionKind, choices: &[(&str, &str, u32)]) -> Product {
    p.options = Some(ProductOptions {
        kind,
        choices: choices
            .iter()
            .map(|(id, label, stock)| OptionChoice { id: (*id).into(), label: (*label).into(), stock: *stock })
            .collect(),
    });
    p
}

pub fn catalog() -> Catalog {
    let sellers = vec![
        seller(
            "lumen-home",
            "Lumen Home Store",
            48,
            982,
            6,
            48_210,
            true,
            ShippingPolicy {
                standard_fee: usd(399),
                free_over: Some(usd(3000)),
                days_min: 8,
                days_max: 15,
                express: Some(ExpressShipping { fee: usd(1199), days_min: 3, days_max: 6 }),
            },
        ),
        seller(
            "trailpeak",
            "Trailpeak Outdoor",
            46,
            961,
            3,
            9_874,
            true,
            ShippingPolicy {
                standard_fee: usd(549),
                free_over: Some(usd(5000)),
                days_min: 10,
                days_max: 20,
                express: Some(ExpressShipping { fee: usd(1499), days_min: 4, days_max: 7 }),
            },
        ),
        seller(
            "pixel-gadget",
            "Pixel Gadget Official Store",
            49,
            991,
            9,
            215_430,
            true,
            ShippingPolicy {
                standard_fee: usd(0),
                free_over: None,
                days_min: 6,
                days_max: 12,
                express: Some(ExpressShipping { fee: usd(899), days_min: 2, days_max: 4 }),
            },
        ),
        seller(
            "maple-kids",
            "Maple Kids Corner",
            44,
            934,
            1,
            1_208,
            false,
            ShippingPolicy { standard_fee: usd(299), free_over: None, days_min: 12, days_max: 25, express: None },
        ),
    ];
    let products = vec![
        product(P {
            id: "bamboo-desk-lamp",
            seller: "lumen-home",
            name: "Bamboo desk lamp with warm LED",
            description: "Adjustable arm, three brightness levels, USB-C powered. Bamboo and aluminium.",
            price: 2499,
            stock: 12,
            max: 5,
        }),
        product(P {
            id: "pour-over-set",
            seller: "lumen-home",
            name: "Ceramic pour-over coffee set",
            description: "Dripper, 600 ml server and two cups in matte stoneware.",
            price: 1850,
            stock: 30,
            max: 10,
        }),
        with_options(
            product(P {
                id: "linen-cushion-cover",
                seller: "lumen-home",
                name: "Washed linen cushion cover, 45 × 45 cm",
                description: "Hidden zip, pre-washed for softness. Cushion not included.",
                price: 999,
                stock: 0,
                max: 8,
            }),
            OptionKind::Colour,
            &[("sand", "Sand", 14), ("sage", "Sage", 6), ("charcoal", "Charcoal", 0)],
        ),
        product(P {
            id: "wall-clock",
            seller: "lumen-home",
            name: "Silent wall clock, 30 cm",
            description: "Sweeping movement with no ticking. Takes one AA battery.",
            price: 1500,
            stock: 0,
            max: 3,
        }),
        with_options(
            product(P {
                id: "rain-jacket",
                seller: "trailpeak",
                name: "Packable rain jacket",
                description: "Waterproof 10,000 mm, taped seams, packs into its own pocket.",
                price: 3990,
                stock: 0,
                max: 3,
            }),
            OptionKind::Size,
            &[("s", "S", 4), ("m", "M", 0), ("l", "L", 7), ("xl", "XL", 2)],
        ),
        with_options(
            product(P {
                id: "trail-socks",
                seller: "trailpeak",
                name: "Trail running socks, 3 pairs",
                description: "Merino blend, cushioned heel, seamless toe.",
                price: 1200,
                stock: 0,
                max: 6,
            }),
            OptionKind::Size,
            &[("35-38", "35–38", 20), ("39-42", "39–42", 25), ("43-46", "43–46", 9)],
        ),
        with_options(
            product(P {
                id: "water-bottle",
                seller: "trailpeak",
                name: "Insulated water bottle, 750 ml",
                description: "Keeps drinks cold for 24 hours or hot for 12. Leak-proof lid.",
                price: 1675,
                stock: 0,
                max: 4,
            }),
            OptionKind::Colour,
            &[("glacier", "Glacier blue", 11), ("moss", "Moss green", 5), ("black", "Black", 17)],
        ),
        product(P {
            id: "headlamp",
            seller: "trailpeak",
            name: "Ultralight rechargeable headlamp",
            description: "400 lumens, red night mode, 58 g with strap.",
            price: 2130,
            stock: 15,
            max: 4,
        }),
        product(P {
            id: "wireless-earbuds",
            seller: "pixel-gadget",
            name: "Wireless earbuds with charging case",
            description: "Bluetooth 5.3, 30 hours with the case, splash resistant.",
            price: 2999,
            stock: 40,
            max: 2,
        }),
        product(P {
            id: "usb-c-charger",
            seller: "pixel-gadget",
            name: "65 W USB-C fast charger",
            description: "Two USB-C ports and one USB-A, folding plug.",
            price: 1349,
            stock: 60,
            max: 10,
        }),
        product(P {
            id: "phone-stand",
            seller: "pixel-gadget",
            name: "Aluminium phone stand",
            description: "Adjustable angle, fits phones and small tablets.",
            price: 899,
            stock: 3,
            max: 10,
        }),
        with_options(
            product(P {
                id: "mechanical-keyboard",
                seller: "pixel-gadget",
                name: "Compact mechanical keyboard",
                description: "75% layout, hot-swappable switches, USB-C and Bluetooth.",
                price: 5900,
                stock: 0,
                max: 2,
            }),
            OptionKind::Colour,
            &[("white", "White", 8), ("graphite", "Graphite", 3)],
        ),
        product(P {
            id: "wooden-blocks",
            seller: "maple-kids",
            name: "Wooden building blocks, 50 pieces",
            description: "Beech wood with water-based paint, for ages 3 and up.",
            price: 2250,
            stock: 9,
            max: 3,
        }),
        with_options(
            product(P {
                id: "kids-raincoat",
                seller: "maple-kids",
                name: "Kids' raincoat with reflective strips",
                description: "Lined hood, snap buttons, machine washable.",
                price: 1999,
                stock: 0,
                max: 3,
            }),
            OptionKind::Size,
            &[("98", "98 cm", 5), ("110", "110 cm", 4), ("122", "122 cm", 0)],
        ),
    ];
    Catalog { currency: Currency::USD, sellers, products }
}
