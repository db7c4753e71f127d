//! `/orders`: every order of this buyer, newest first, filtered by the
//! AliExpress tabs (`?tab=`), 20 to a page (`?page=`), each row with its main
//! action; and tracking an order from another device by number and email.

use checkout_core::order::{Order, OrderStatus};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::use_api;
use crate::components::order_status::StatusBadge;
use crate::components::{load_error::LoadError, price::Price, title::use_title};
use crate::i18n::{format, t, tf};

const PAGE_SIZE: usize = 20;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    All,
    AwaitingPayment,
    AwaitingShipment,
    AwaitingDelivery,
    Completed,
    Disputes,
}

const TABS: [(Tab, &str, &str); 6] = [
    (Tab::All, "all", "orders.tab.all"),
    (Tab::AwaitingPayment, "awaiting-payment", "orders.tab.awaiting_payment"),
    (Tab::AwaitingShipment, "awaiting-shipment", "orders.tab.awaiting_shipment"),
    (Tab::AwaitingDelivery, "awaiting-delivery", "orders.tab.awaiting_delivery"),
    (Tab::Completed, "completed", "orders.tab.completed"),
    (Tab::Disputes, "disputes", "orders.tab.disputes"),
];

impl Tab {
    fn from_slug(slug: &str) -> Tab {
        TABS.iter().find(|(_, s, _)| *s == slug).map_or(Tab::All, |(t, _, _)| *t)
    }

    fn holds(self, o: &Order) -> bool {
        match self {
            Tab::All => true,
            Tab::AwaitingPayment => o.status == OrderStatus::AwaitingPayment,
            // Being verified is on its way to shipment, as on AliExpress.
            Tab::AwaitingShipment => matches!(o.status, OrderStatus::PaymentBeingVerified | OrderStatus::AwaitingShipment),
            Tab::AwaitingDelivery => matches!(o.status, OrderStatus::AwaitingDelivery | OrderStatus::Delivered),
            Tab::Completed => o.status == OrderStatus::Completed,
            Tab::Disputes => o.dispute.is_some(),
        }
    }
}

/// The row's main action for its status, as a link to where it is done.
fn main_action(o: &Order) -> Option<&'static str> {
    match o.status {
        OrderStatus::AwaitingPayment => Some("orders.action.pay"),
        OrderStatus::AwaitingDelivery => Some("orders.action.track"),
        OrderStatus::Delivered => Some("orders.action.confirm"),
        OrderStatus::Completed if o.feedback.is_none() => Some("orders.action.feedback"),
        _ => None,
    }
}

#[component]
pub fn OrdersPage() -> impl IntoView {
    use_title(|| t("orders.title"));
    let query = use_query_map();
    let tab = Memo::new(move |_| Tab::from_slug(&query.read().get("tab").unwrap_or_default()));
    let page = Memo::new(move |_| query.read().get("page").and_then(|p| p.parse::<usize>().ok()).unwrap_or(1).max(1));
    let api = use_api();
    let (orders, retry) = crate::api::resource::use_api_resource(move || {
        let api = api.clone();
        async move { api.orders().await }
    });
    view! {
        <div class="page page--orders">
            <h1>{t("orders.heading")}</h1>
            <nav class="tabs" aria-label=t("orders.tabs_label")>
                {TABS.iter().map(|(tb, slug, key)| {
                    let tb = *tb;
                    // A plain link: the router's <A> marks every link to /orders as
                    // current whatever its query, and here the query is the tab.
                    view! {
                        <a href=format!("/orders?tab={slug}") class="tabs__tab"
                            aria-current=move || (tab.get() == tb).then_some("page")>{t(key)}</a>
                    }
                }).collect_view()}
            </nav>
            <Transition fallback=|| view! { <div class="skeleton orders-skeleton" aria-busy="true"></div> }>
                {move || Suspend::new(async move {
                    match orders.await {
                        Ok(all) => {
                            let shown: Vec<Order> = all.into_iter().filter(|o| tab.get().holds(o)).collect();
                            let pages = shown.len().div_ceil(PAGE_SIZE).max(1);
                            let current = page.get().min(pages);
                            let rows: Vec<Order> = shown.iter().skip((current - 1) * PAGE_SIZE).take(PAGE_SIZE).cloned().collect();
                            if rows.is_empty() {
                                return view! { <div class="empty-state"><p class="empty-state__title">{t("orders.empty")}</p>
                                    <a href="/" class="button button--primary">{t("action.continue_shopping")}</a></div> }.into_any();
                            }
                            let slug = TABS.iter().find(|(tb, _, _)| *tb == tab.get()).map_or("all", |(_, s, _)| *s);
                            view! {
                                <ul class="order-rows">{rows.into_iter().map(|o| view! { <OrderRow order=o/> }).collect_view()}</ul>
                                {(pages > 1).then(|| view! {
                                    <nav class="pager" aria-label=t("orders.pages_label")>
                                        {(current > 1).then(|| view! { <a href=format!("/orders?tab={slug}&page={}", current - 1)>{t("orders.previous")}</a> })}
                                        <span>{tf("orders.page_of", &[("page", &current.to_string()), ("pages", &pages.to_string())])}</span>
                                        {(current < pages).then(|| view! { <a href=format!("/orders?tab={slug}&page={}", current + 1)>{t("orders.next")}</a> })}
                                    </nav>
                                })}
                            }.into_any()
                        }
                        Err(e) => view! { <LoadError error=e on_retry=retry/> }.into_any(),
                    }
                })}
            </Transition>
            <TrackForm/>
        </div>
    }
}

#[component]
fn OrderRow(order: Order) -> impl IntoView {
    let href = format!("/orders/{}", order.id.0);
    let image = order.lines.first().and_then(|l| l.image.clone());
    let first = order.lines.first().map(|l| l.product_name.clone()).unwrap_or_default();
    let action = main_action(&order);
    let action_href = href.clone();
    view! {
        <li class="order-row" data-testid="order-row">
            {image.map(|src| view! { <img class="order-row__image" src=src width="64" height="64" alt=""/> })}
            <div class="order-row__body">
                <a href=href class="order-row__title">{first}</a>
                <p class="order-row__meta">{order.seller_name.clone()} " · " {format::date(order.placed_at)} " · " {tf("orders.number", &[("number", &order.number)])}</p>
                <StatusBadge status=order.status/>
            </div>
            <div class="order-row__side">
                <Price money=order.totals.total class="order-row__total"/>
                {action.map(|key| view! { <a href=action_href class="button button--secondary">{t(key)}</a> })}
            </div>
        </li>
    }
}

/// Track an order placed on another device: its number and the email used.
#[component]
fn TrackForm() -> impl IntoView {
    let api = use_api();
    let number = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let api = api.clone();
        let navigate = navigate.clone();
        let (n, e) = (number.get_untracked(), email.get_untracked());
        if n.trim().is_empty() || e.trim().is_empty() {
            error.set(Some(t("orders.track_missing")));
            return;
        }
        leptos::task::spawn_local(async move {
            match api.track(&n, &e).await {
                Ok(o) => navigate(&format!("/orders/{}", o.id.0), Default::default()),
                Err(crate::api::ApiError::NotFound) => error.set(Some(t("orders.track_not_found"))),
                Err(err) => error.set(Some(t(err.message_key()))),
            }
        });
    };
    view! {
        <section class="order-section track-form" aria-labelledby="track-heading">
            <h2 id="track-heading">{t("orders.track_heading")}</h2>
            <form on:submit=submit novalidate>
                <label for="track-number">{t("orders.track_number")}</label>
                <input id="track-number" inputmode="numeric" autocomplete="off" prop:value=move || number.get()
                    on:input=move |ev| number.set(event_target_value(&ev)) aria-describedby="track-error"/>
                <label for="track-email">{t("orders.track_email")}</label>
                <input id="track-email" type="email" inputmode="email" autocomplete="email" prop:value=move || email.get()
                    on:input=move |ev| email.set(event_target_value(&ev)) aria-describedby="track-error"/>
                <p id="track-error" class="field-message" role="alert">{move || error.get()}</p>
                <button type="submit" class="button button--primary">{t("orders.track_submit")}</button>
            </form>
        </section>
    }
}
