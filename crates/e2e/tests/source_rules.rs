//! Rules about the app's source that the benchmark found, kept by a test.
//!
//! Screens link with a plain `<a href>` (the router takes over its click all
//! the same), not leptos_router's `<A>`: each `<A>` drawn left about 48 bytes
//! of the wasm heap behind after its screen went (measured with a counting
//! allocator over 180 route changes: 1,350 blocks of 48 bytes on the catalog's
//! 14 product links), which put the wasm memory over its budget. `<A>` keeps
//! its use where it lasts as long as the app: the header's links, which show
//! `aria-current`.

#[test]
fn screens_link_with_plain_anchors_not_the_routers_a_component() {
    let root = e2e::workspace_root().join("src");
    let files = e2e::rust_files(&root);
    assert!(files.len() > 20, "the app's sources were not found under {}", root.display());
    let shell = root.join("components/shell.rs");
    let mut found = Vec::new();
    for f in files.iter().filter(|f| **f != shell) {
        let text = std::fs::read_to_string(f).expect("read");
        for (n, line) in text.lines().enumerate() {
            if line.contains("<A ") || line.contains("components::A") {
                found.push(format!("{}:{}: {}", f.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "use <a href> on screens (see this file's comment):\n{}", found.join("\n"));
}

/// Screens draw what the core decides (docs/rules.md): what a buyer may do
/// with an order, and when, is `Order::actions`, `Order::row_action`,
/// `Order::steps` and their kin in checkout-core. A screen that tests an
/// order's status itself is deciding a rule again, and copies drift. Only the
/// component that says how a status reads (its name, sentence, colour and
/// icon) looks at the status.
#[test]
fn screens_ask_the_core_what_a_buyer_may_do_and_never_test_a_status_themselves() {
    let root = e2e::workspace_root().join("src");
    let reads_status = root.join("components/order_status.rs");
    let mut found = Vec::new();
    for dir in ["pages", "components"] {
        for f in e2e::rust_files(&root.join(dir)).iter().filter(|f| **f != reads_status) {
            let text = std::fs::read_to_string(f).expect("read");
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or_default();
                let compact: String = code.chars().filter(|c| !c.is_whitespace()).collect();
                let decides = code.contains("OrderStatus::")
                    || code.contains("CloseReason::")
                    || compact.contains(".status==")
                    || compact.contains(".status!=")
                    || (compact.contains("matches!(") && compact.contains(".status,"))
                    || compact.contains("match order.status")
                    || compact.contains("matcho.status");
                if decides {
                    found.push(format!("{}:{}: {}", f.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "a screen decides from an order's status; ask checkout-core (Order::actions and its kin) instead:\n{}",
        found.join("\n")
    );
}
