//! How far an order has come, as the screens show it (docs/rules.md#orders):
//! the line of steps, the delivery estimate that applies, the verification's
//! state, and which tab of the orders list holds it.

use serde::{Deserialize, Serialize};

use super::{CloseReason, Order, OrderStatus, TimelineKind};
use crate::time::{DateRange, Timestamp};

/// The steps of the progress line, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    Placed,
    Paid,
    Verified,
    Shipped,
    InTransit,
    Delivered,
    Completed,
}

impl Step {
    pub const ALL: [Step; 7] =
        [Step::Placed, Step::Paid, Step::Verified, Step::Shipped, Step::InTransit, Step::Delivered, Step::Completed];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StepState {
    Done,
    /// The step the order is at; a closed or completed order has none.
    Current,
    Todo,
}

/// The payment verification as its section shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verification {
    /// Still running; `overdue` past the 24-hour promise (support is offered).
    Running { overdue: bool },
    /// Failed: the order was closed and refunded.
    Failed,
}

impl Order {
    /// Each step of the progress line with its state.
    pub fn steps(&self) -> [(Step, StepState); 7] {
        let has = |f: &dyn Fn(&TimelineKind) -> bool| self.timeline.iter().any(|e| f(&e.kind));
        let shipment = self.shipment.as_ref();
        let reached = [
            true,
            self.payment.is_some(),
            has(&|k| *k == TimelineKind::VerificationPassed),
            shipment.is_some(),
            shipment.is_some_and(|s| !s.checkpoints.is_empty()),
            shipment.is_some_and(|s| s.delivered_at.is_some()),
            self.status == OrderStatus::Completed,
        ];
        let done = reached.iter().rposition(|r| *r).map_or(1, |i| i + 1);
        let finished = matches!(self.status, OrderStatus::Closed(_) | OrderStatus::Completed);
        Step::ALL.map(|step| {
            let n = Step::ALL.iter().position(|s| *s == step).unwrap_or(0) + 1;
            let state = if n < done || (n == done && finished) {
                StepState::Done
            } else if n == done {
                StepState::Current
            } else {
                StepState::Todo
            };
            (step, state)
        })
    }

    /// The delivery estimate to show: the carrier's once shipped, the one
    /// promised at checkout until then, none once the order is closed.
    pub fn estimate_shown(&self) -> Option<DateRange> {
        match (&self.shipment, self.status) {
            (Some(s), _) => Some(s.estimate),
            (None, OrderStatus::AwaitingPayment | OrderStatus::PaymentBeingVerified | OrderStatus::AwaitingShipment) => {
                self.delivery_estimate
            }
            _ => None,
        }
    }

    /// The verification's state, while it runs or once it failed.
    pub fn verification(&self, now: Timestamp) -> Option<Verification> {
        match self.status {
            OrderStatus::PaymentBeingVerified => Some(Verification::Running { overdue: self.verification_overdue(now) }),
            OrderStatus::Closed(CloseReason::VerificationFailed) => Some(Verification::Failed),
            _ => None,
        }
    }
}

/// Orders shown on one page of the orders list.
pub const ORDERS_PAGE_SIZE: usize = 20;

/// The tabs of the orders list, AliExpress's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum OrdersTab {
    #[default]
    All,
    AwaitingPayment,
    AwaitingShipment,
    AwaitingDelivery,
    Completed,
    Disputes,
}

impl OrdersTab {
    pub const ALL: [OrdersTab; 6] = [
        OrdersTab::All,
        OrdersTab::AwaitingPayment,
        OrdersTab::AwaitingShipment,
        OrdersTab::AwaitingDelivery,
        OrdersTab::Completed,
        OrdersTab::Disputes,
    ];

    /// Its name in a URL (`/orders?tab=awaiting-payment`).
    pub fn slug(self) -> &'static str {
        match self {
            OrdersTab::All => "all",
            OrdersTab::AwaitingPayment => "awaiting-payment",
            OrdersTab::AwaitingShipment => "awaiting-shipment",
            OrdersTab::AwaitingDelivery => "awaiting-delivery",
            OrdersTab::Completed => "completed",
            OrdersTab::Disputes => "disputes",
        }
    }

    /// The tab a slug names; anything else is "all".
    pub fn from_slug(slug: &str) -> OrdersTab {
        OrdersTab::parse(slug).unwrap_or(OrdersTab::All)
    }

    /// The tab a slug names, if any.
    pub fn parse(slug: &str) -> Option<OrdersTab> {
        OrdersTab::ALL.into_iter().find(|t| t.slug() == slug)
    }

    /// Page `page` (from 1; past the last, the last) of the orders this tab
    /// holds, in the order given: the page's orders, its number and how many
    /// pages there are (at least one).
    pub fn page(self, orders: Vec<Order>, page: usize) -> (Vec<Order>, usize, usize) {
        let held: Vec<Order> = orders.into_iter().filter(|o| self.holds(o)).collect();
        let (page, pages) = OrdersTab::clamp_page(held.len(), page);
        let rows = held.into_iter().skip((page - 1) * ORDERS_PAGE_SIZE).take(ORDERS_PAGE_SIZE).collect();
        (rows, page, pages)
    }

    /// The page shown when `page` is asked of a tab holding `held` orders,
    /// and how many pages it has: (page, pages). Rows from
    /// `(page - 1) * ORDERS_PAGE_SIZE`.
    pub fn clamp_page(held: usize, page: usize) -> (usize, usize) {
        let pages = held.div_ceil(ORDERS_PAGE_SIZE).max(1);
        (page.clamp(1, pages), pages)
    }

    /// This tab's bit in [`OrdersTab::mask`].
    pub fn bit(self) -> u32 {
        1 << (self as u32)
    }

    /// The tabs holding this order, one bit each ([`OrdersTab::bit`]): a
    /// storage can keep it to page a tab without knowing what tabs hold.
    pub fn mask(order: &Order) -> u32 {
        OrdersTab::ALL.into_iter().filter(|t| t.holds(order)).fold(0, |m, t| m | t.bit())
    }

    pub fn holds(self, o: &Order) -> bool {
        match self {
            OrdersTab::All => true,
            OrdersTab::AwaitingPayment => o.status == OrderStatus::AwaitingPayment,
            // Being verified is on its way to shipment, as on AliExpress.
            OrdersTab::AwaitingShipment => matches!(o.status, OrderStatus::PaymentBeingVerified | OrderStatus::AwaitingShipment),
            OrdersTab::AwaitingDelivery => matches!(o.status, OrderStatus::AwaitingDelivery | OrderStatus::Delivered),
            OrdersTab::Completed => o.status == OrderStatus::Completed,
            // After-sales: disputes and returns, as AliExpress groups them.
            OrdersTab::Disputes => o.dispute.is_some() || o.item_return.is_some(),
        }
    }
}
