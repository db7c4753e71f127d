//! The orders list with 1,000 orders in the mock.
//!
//! No app change is needed to get them there: the mock keeps its whole state in
//! localStorage (`checkout.mock.v1`, read when the app starts). The bench lets
//! the app create a fresh state, reads it back, adds copies of the seeded
//! orders (as `checkout_core::order::Order`, so each one is an order the app
//! can read) with new ids (`bench_0001`…) and numbers until there are 1,000,
//! and writes the state back before the app starts again. The state's version,
//! clock (`wall_start_ms`, taken from this browser's own clock) and everything
//! else stay as the mock wrote them.
//!
//! Two times, each with the seeded orders alone and with 1,000:
//! - **open from the catalog**: a click on the header's "Orders" link until the
//!   first row is on screen and the next frame rendered (in-app navigation: the
//!   mock's `orders()` call, with its 150 ms simulated latency, its catch-up of
//!   every order's clock and its save, then 20 rows of the first page);
//! - **cold load of /orders**: as section 2, from the start of the navigation
//!   until the first row exists.

use std::path::Path;
use std::time::Duration;

use checkout_core::order::{Order, OrderId};
use serde_json::Value;

use super::chrome::{Chrome, PageLoad};
use super::loads::cold_load;
use super::report::{median, ms_spread, Table};
use super::{exec, exec_async, new_origin, prepare_origin, progress, Result};
use crate::session::Session;

/// The mock's storage key (the app's `state::keys::MOCK_STATE`).
const STATE_KEY: &str = "checkout.mock.v1";
pub const ORDERS: usize = 1_000;
const SAMPLES: usize = 5;

/// The mock's state with copies of its orders added until it holds `total`.
/// Each kept order is `{order, buyer, email, scenario}` under `store.orders`
/// (marketplace's `MemoryStorage`).
pub fn with_bulk_orders(state: &str, total: usize) -> Result<String> {
    let mut v: Value = serde_json::from_str(state).map_err(|e| format!("the mock's state is not JSON: {e}"))?;
    if v.get("version").and_then(Value::as_u64).is_none() {
        return Err("the mock's state has no version".into());
    }
    let kept = v["store"]["orders"].as_object_mut().ok_or("the mock's state has no store.orders map")?;
    let seeded: Vec<(Value, Order)> = kept
        .values()
        .map(|k| {
            let order = serde_json::from_value(k["order"].clone()).map_err(|e| format!("an order the bench cannot read: {e}"))?;
            Ok((k.clone(), order))
        })
        .collect::<Result<_>>()?;
    if seeded.is_empty() {
        return Err("the mock's state has no orders to copy".into());
    }
    for i in 0..total.saturating_sub(seeded.len()) {
        let (mut copy, mut o) = seeded[i % seeded.len()].clone();
        o.id = OrderId(format!("bench_{:04}", i + 1));
        o.number = format!("{:013}", 9_000_000_000_000u64 + i as u64);
        copy["order"] = serde_json::to_value(&o).map_err(|e| e.to_string())?;
        kept.insert(o.id.0.clone(), copy);
    }
    Ok(v.to_string())
}

/// Clicks the header's Orders link; answers when the first row has been
/// rendered. Then back to the catalog, for the next round.
const OPEN_ORDERS: &str = r#"
const done = arguments[arguments.length - 1];
const row = () => document.querySelector('[data-testid=order-row]');
const pager = () => (document.querySelector('.pager span') || {}).textContent || null;
let t0;
const observer = new MutationObserver(() => {
  if (!row()) return;
  const shown = performance.now();
  observer.disconnect();
  clearTimeout(timer);
  // The task queued from the next frame callback runs once that frame is rendered.
  requestAnimationFrame(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => done({ shown: shown - t0, frame: performance.now() - t0, pager: pager() });
    ch.port2.postMessage(0);
  });
});
observer.observe(document.body, { childList: true, subtree: true });
const timer = setTimeout(() => { observer.disconnect(); done({ error: 'no order row within 20 s' }); }, 20000);
t0 = performance.now();
document.querySelector('header a[href="/orders"]').click();
"#;

/// Waits until the catalog is shown (the starting point of each round).
async fn catalog_shown(s: &Session) -> Result<()> {
    let shown =
        "return location.pathname === '/' && !document.getElementById('app-shell') && !!document.querySelector('main .product-card:not(.product-card--skeleton)')";
    super::wait_until(s.c(), "the catalog", shown, Duration::from_secs(15)).await
}

async fn in_app(s: &Session, state: &str) -> Result<(Vec<f64>, Option<String>)> {
    prepare_origin(s.c(), &s.base, &[(STATE_KEY, state)]).await?;
    s.open("/").await;
    let mut times = Vec::new();
    let mut pager = None;
    for _ in 0..SAMPLES {
        catalog_shown(s).await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let v = exec_async(s.c(), "open the orders", OPEN_ORDERS, vec![]).await?;
        times.push(v["frame"].as_f64().unwrap_or(f64::NAN));
        pager = v["pager"].as_str().map(str::to_owned);
        s.click(".site-header__brand").await;
    }
    Ok((times, pager))
}

pub async fn run(dist: &Path) -> Result<Table> {
    // A fresh mock state, written by the app itself.
    let base = new_origin(dist).await?;
    let s = crate::session::session_at(base).await;
    s.open("/orders").await;
    s.wait_text("[data-testid=order-row]", |t| !t.is_empty()).await;
    let seeded =
        exec(s.c(), "read the mock's state", &format!("return localStorage.getItem('{STATE_KEY}')"), vec![]).await?;
    let seeded = seeded.as_str().ok_or("the app saved no mock state")?.to_owned();
    let seeded_count =
        serde_json::from_str::<Value>(&seeded).ok().and_then(|v| v["store"]["orders"].as_object().map(|m| m.len())).unwrap_or(0);
    let bulk = with_bulk_orders(&seeded, ORDERS)?;

    progress(format!("orders: open the list with {seeded_count} and with {ORDERS} orders"));
    let (small, _) = in_app(&s, &seeded).await?;
    let (large, pager) = in_app(&s, &bulk).await?;
    s.browser.client.clone().close().await.map_err(|e| format!("close the browser: {e}"))?;

    progress("orders: cold loads of /orders");
    let chrome = Chrome::launch(&[], PageLoad::None).await?;
    let row = "[data-testid=order-row]";
    let mut cold_small = Vec::new();
    let mut cold_large = Vec::new();
    for _ in 0..SAMPLES {
        cold_small.push(cold_load(&chrome, dist, "/orders", row, &[(STATE_KEY, &seeded)]).await?.content);
        cold_large.push(cold_load(&chrome, dist, "/orders", row, &[(STATE_KEY, &bulk)]).await?.content);
    }
    chrome.close().await;

    let mut t = Table::new(
        format!("4. Orders list (median of {SAMPLES}, min–max)"),
        &["time", &format!("{seeded_count} orders (seed)"), &format!("{ORDERS} orders"), "ratio"],
    );
    let ratio = |a: &[f64], b: &[f64]| format!("{:.2}x", median(b) / median(a));
    t.row(vec![
        "open from the catalog, to first row painted".into(),
        ms_spread(&small),
        ms_spread(&large),
        ratio(&small, &large),
    ]);
    t.row(vec![
        "cold load of /orders, to first row".into(),
        ms_spread(&cold_small),
        ms_spread(&cold_large),
        ratio(&cold_small, &cold_large),
    ]);
    t.note(format!(
        "The {ORDERS} orders are copies of the {seeded_count} seeded ones (new ids and numbers) written into the \
         mock's saved state (localStorage {STATE_KEY}, {} bytes with {ORDERS} orders) before the app starts; the \
         list shows 20 a page{}. Both times include the mock's simulated 150 ms latency, its catch-up of every \
         order with its clock (the whole state is saved again only when an order moved). No budget was set \
         for this figure.",
        super::report::bytes(bulk.len() as u64),
        pager.map(|p| format!(" (the pager read \"{p}\")")).unwrap_or_default()
    ));
    Ok(t)
}

#[cfg(test)]
mod tests {
    use checkout_core::catalog::SellerId;
    use checkout_core::money::{Currency, Money};
    use checkout_core::order::{Order, OrderId, OrderLine, OrderTotals};
    use checkout_core::time::Timestamp;
    use checkout_core::validate::address::Address;
    use serde_json::{json, Value};

    fn order(n: u32) -> Order {
        let usd = |m| Money::new(m, Currency::USD);
        let line = OrderLine {
            product_name: "p".into(),
            option_label: None,
            image: None,
            quantity: 1,
            unit_price: usd(100),
            line_total: usd(100),
        };
        let address = Address {
            country: "US".into(),
            given_name: "A".into(),
            family_name: "B".into(),
            line1: "1 St".into(),
            line2: None,
            city: "C".into(),
            region: None,
            postal_code: None,
        };
        let totals = OrderTotals::new(usd(100), usd(0), usd(0), usd(0)).unwrap();
        Order::place(
            OrderId(format!("seed_{n:02}")),
            format!("{n:012}"),
            SellerId("s".into()),
            "S".into(),
            vec![line],
            totals,
            address,
            3,
            Timestamp(1_000),
        )
    }

    #[test]
    fn bulk_orders_are_copies_with_their_own_ids_and_numbers() {
        let kept = |n: u32, email: &str| json!({ "order": order(n), "buyer": 1, "email": email, "scenario": null });
        let state = json!({
            "version": 2,
            "clock": { "wall_start_ms": 5 },
            "store": { "orders": { "seed_01": kept(1, "a@example.com"), "seed_02": kept(2, "b@example.com") }, "next_id": 0 },
        });
        let out: Value = serde_json::from_str(&super::with_bulk_orders(&state.to_string(), 10).unwrap()).unwrap();
        let orders = out["store"]["orders"].as_object().unwrap();
        assert_eq!(orders.len(), 10);
        let numbers: std::collections::HashSet<&str> = orders.values().map(|k| k["order"]["number"].as_str().unwrap()).collect();
        assert_eq!(numbers.len(), 10, "every order has its own number");
        for (id, k) in orders {
            assert_eq!(k["order"]["id"].as_str(), Some(id.as_str()));
            serde_json::from_value::<Order>(k["order"].clone()).expect("a readable order");
        }
        assert_eq!(orders["bench_0001"]["email"], "a@example.com");
        assert_eq!(orders["bench_0002"]["email"], "b@example.com");
        assert_eq!((out["version"].clone(), out["clock"].clone()), (json!(2), json!({ "wall_start_ms": 5 })), "the rest is kept");
    }

    #[test]
    fn bulk_orders_need_a_readable_state() {
        assert!(super::with_bulk_orders("{}", 10).is_err());
        assert!(super::with_bulk_orders("not json", 10).is_err());
    }
}
