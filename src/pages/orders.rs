//! `/orders`: this buyer's orders, newest first, in the AliExpress tabs
//! (`?tab=`), one page of 20 at a time (`?page=`, paged by the order API),
//! each row with its main action; and tracking an order from another device
//! by number and email.

use checkout_api::OrdersPage;
use checkout_core::order::{Order, OrdersTab, RowAction, TrackedOrder};
use checkout_core::time::Timestamp;
use leptos::prelude::*;
use leptos::Params;
use leptos_router::hooks::use_query;
use leptos_router::params::Params;

use crate::api::{use_api, use_api_handle, ApiError};
use crate::components::order_status::StatusBadge;
use crate::components::{load_error::LoadError, price::Price, title::use_title};
use crate::i18n::rules::api_error_text;
use crate::pages::order::{Timeline, Tracking};
use crate::i18n::{format, t, tf};
use crate::state::form_draft::TrackDraft;

fn tab_key(tab: OrdersTab) -> &'static str {
    match tab {
        OrdersTab::All => "orders.tab.all",
        OrdersTab::AwaitingPayment => "orders.tab.awaiting_payment",
        OrdersTab::AwaitingShipment => "orders.tab.awaiting_shipment",
        OrdersTab::AwaitingDelivery => "orders.tab.awaiting_delivery",
        OrdersTab::Completed => "orders.tab.completed",
        OrdersTab::Disputes => "orders.tab.disputes",
    }
}

fn row_action_key(action: RowAction) -> &'static str {
    match action {
        RowAction::Pay => "orders.action.pay",
        RowAction::Track => "orders.action.track",
        RowAction::ConfirmReceipt => "orders.action.confirm",
        RowAction::LeaveFeedback => "orders.action.feedback",
    }
}

/// `?tab=awaiting-payment&page=2`.
#[derive(Params, Clone, Debug, PartialEq)]
struct OrdersQuery {
    tab: Option<String>,
    page: Option<u32>,
}

#[component]
pub fn OrdersPage() -> impl IntoView {
    use_title(|| t("orders.title"));
    let query = use_query::<OrdersQuery>();
    let tab = Memo::new(move |_| query.with(|q| OrdersTab::from_slug(q.as_ref().ok().and_then(|q| q.tab.as_deref()).unwrap_or_default())));
    // A page that is not a number is the first; one past the last, the last.
    let page = Memo::new(move |_| query.with(|q| q.as_ref().ok().and_then(|q| q.page)).unwrap_or(1).max(1));
    let api = use_api();
    let (orders, retry) = crate::api::resource::use_api_resource(move || {
        let (api, tab, page) = (api.clone(), tab.get(), page.get());
        async move { Ok((api.orders(tab, page).await?, api.now().await?)) }
    });
    view! {
        <div class="page page--orders">
            <h1>{t("orders.heading")}</h1>
            <nav class="tabs" aria-label=t("orders.tabs_label")>
                {OrdersTab::ALL.into_iter().map(|tb| {
                    let (slug, key) = (tb.slug(), tab_key(tb));
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
                        Ok((OrdersPage { orders: rows, page: current, pages }, now)) => {
                            if rows.is_empty() {
                                return view! { <div class="empty-state"><p class="empty-state__title">{t("orders.empty")}</p>
                                    <a href="/" class="button button--primary">{t("action.continue_shopping")}</a></div> }.into_any();
                            }
                            let slug = tab.get().slug();
                            view! {
                                <ul class="order-rows">{rows.into_iter().map(|o| view! { <OrderRow order=o now=now/> }).collect_view()}</ul>
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
fn OrderRow(order: Order, now: Timestamp) -> impl IntoView {
    let href = format!("/orders/{}", order.id.0);
    let image = order.lines.first().and_then(|l| l.image.clone());
    let first = order.lines.first().map(|l| l.product_name.clone()).unwrap_or_default();
    let action = order.row_action(now).map(row_action_key);
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

/// What tracking found: where the order is, as anyone with its number and
/// email may see it (no address, no payment). Its heading takes the focus,
/// so that a screen reader reads the result the shopper asked for.
#[component]
fn Tracked(order: TrackedOrder) -> impl IntoView {
    let heading = NodeRef::<leptos::html::H3>::new();
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    view! {
        <div class="tracked" data-testid="tracked">
            <h3 tabindex="-1" node_ref=heading>{tf("order.title", &[("number", &order.number)])}</h3>
            <StatusBadge status=order.status/>
            <p class="tracked__meta">{order.seller_name.clone()} " · " {format::date(order.placed_at)}</p>
            <ul class="tracked__items">
                {order.items.iter().map(|i| view! {
                    <li>{i.product_name.clone()} {i.option_label.clone().map(|o| format!(" ({o})"))} {format!(" × {}", i.quantity)}</li>
                }).collect_view()}
            </ul>
            {order.delivery_estimate.map(|e| view! {
                <p>{t("order.estimate")} ": " {tf("order.range", &[("from", &format::date(e.from)), ("to", &format::date(e.to))])}</p>
            })}
            {order.shipment.clone().map(|s| view! { <Tracking shipment=s/> })}
            <Timeline events=order.timeline.clone() heading_id="tracked-timeline-heading"/>
        </div>
    }
}

/// Track an order placed on another device: its number and the email used.
#[component]
fn TrackForm() -> impl IntoView {
    let draft = TrackDraft::load();
    let number = Signal::derive(move || draft.with(|d| d.number.clone()));
    let email = Signal::derive(move || draft.with(|d| d.email.clone()));
    let missing = RwSignal::new(false);
    let handle = use_api_handle();
    let track = Action::new_local(move |(n, e): &(String, String)| {
        let (api, n, e) = (handle.get_value(), n.clone(), e.clone());
        async move {
            let tracked = api.track(&n, &e).await?;
            draft.set(TrackDraft::default());
            Ok::<_, ApiError>(tracked)
        }
    });
    let found = move || track.value().with(|v| v.as_ref().and_then(|r| r.as_ref().ok().cloned()));
    let error = move || {
        if missing.get() {
            return Some(t("orders.track_missing"));
        }
        track.value().with(|v| match v {
            Some(Err(ApiError::NotFound)) => Some(t("orders.track_not_found")),
            Some(Err(e)) => Some(api_error_text(e)),
            _ => None,
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let TrackDraft { number, email } = draft.get_untracked();
        missing.set(number.trim().is_empty() || email.trim().is_empty());
        if !missing.get_untracked() && !track.pending().get_untracked() {
            track.dispatch((number, email));
        }
    };
    view! {
        <section class="order-section track-form" aria-labelledby="track-heading">
            <h2 id="track-heading">{t("orders.track_heading")}</h2>
            <form on:submit=submit novalidate>
                <label for="track-number">{t("orders.track_number")}</label>
                <input id="track-number" inputmode="numeric" autocomplete="off" prop:value=number
                    on:input=move |ev| draft.update(|d| d.number = event_target_value(&ev)) aria-describedby="track-error"/>
                <label for="track-email">{t("orders.track_email")}</label>
                <input id="track-email" type="email" inputmode="email" autocomplete="email" prop:value=email
                    on:input=move |ev| draft.update(|d| d.email = event_target_value(&ev)) aria-describedby="track-error"/>
                <p id="track-error" class="field-message" role="alert">{error}</p>
                <button type="submit" class="button button--primary">{t("orders.track_submit")}</button>
            </form>
            {move || found().map(|order| view! { <Tracked order=order/> })}
        </section>
    }
}
