//! `script::wake_at` lets the server catch up only the orders whose time came
//! (`Storage::due_order_ids_of`). It is only right if no order changes by
//! itself before its wake time: checked here for every seeded order under
//! every scenario, at half-day steps over 60 days.

use checkout_core::order::Order;
use checkout_core::time::{Timestamp, DAY, HOUR};
use marketplace::script::{run, wake_at};
use marketplace::world::{order_seed, EPOCH};
use marketplace::Scenario;

fn cases() -> Vec<(Order, Option<Scenario>, Scenario)> {
    let mut cases = Vec::new();
    for (order, _) in order_seed::orders(EPOCH) {
        for s in Scenario::ALL {
            // Seeded orders get only answers, in the session's scenario;
            // placed ones follow their own.
            cases.push((order.clone(), None, s));
            cases.push((order.clone(), Some(s), Scenario::HappyPath));
        }
    }
    cases
}

#[test]
fn nothing_changes_before_the_wake_time() {
    let mut checked = 0;
    for (order, scenario, session) in cases() {
        let wake = wake_at(&order, scenario, session);
        for step in 0..120 {
            let t = Timestamp(EPOCH.0 + step * 12 * HOUR);
            if wake.is_some_and(|w| t >= w) {
                break;
            }
            assert_eq!(run(&order, scenario, session, t), order, "{} ({scenario:?}, {session:?}) changed at {t:?} before its wake time {wake:?}", order.id.0);
            checked += 1;
        }
    }
    assert!(checked > 1_000, "the sample reaches orders that do not move: {checked}");
}

/// Waking an order at each of its wake times brings it where one read at the
/// end would: no step or deadline is skipped, and each wake time moves it.
#[test]
fn waking_at_each_wake_time_reaches_what_one_late_read_gives() {
    let end = Timestamp(EPOCH.0 + 90 * DAY);
    let mut moved = 0;
    for (order, scenario, session) in cases() {
        let mut o = order.clone();
        for _ in 0..64 {
            let Some(w) = wake_at(&o, scenario, session).filter(|w| *w <= end) else { break };
            let next = run(&o, scenario, session, w.max(EPOCH));
            if next == o {
                break;
            }
            moved += 1;
            o = next;
        }
        assert_eq!(run(&o, scenario, session, end), run(&order, scenario, session, end), "{} ({scenario:?}, {session:?})", order.id.0);
    }
    assert!(moved > 100, "the sample has orders that move: {moved}");
}
