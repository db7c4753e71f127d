//! Said once on arriving from the checkout: the payment was declined (the
//! order then waits here for payment, the address kept), or the confirmation
//! of every order the checkout placed (one per seller), with their numbers,
//! totals and delivery ranges.

use checkout_core::order::{Order, OrderId};
use leptos::prelude::*;
use leptos::Params;
use leptos_router::hooks::use_query;
use leptos_router::params::Params;

use crate::api::use_api;
use crate::components::price::Price;
use crate::i18n::{format, t, tf, tp};

/// `?placed=id,id`: the orders of the checkout that led here.
#[derive(Params, Clone, Debug, PartialEq)]
struct PlacedQuery {
    placed: Option<String>,
}

/// The placed ids as the API makes them, at most one per seller of a cart;
/// anything else in the list is ignored.
fn placed_ids(list: &str) -> Vec<OrderId> {
    list.split(',')
        .filter(|id| !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))
        .take(20)
        .map(|id| OrderId(id.to_owned()))
        .collect()
}

/// The decline or the confirmation, if this visit comes from the checkout.
/// `declined` was taken from the session when the page opened; `paid` says
/// whether the order's payment went through.
#[component]
pub fn PlacedNotice(order: Order, declined: Option<String>, paid: bool) -> impl IntoView {
    let query = use_query::<PlacedQuery>();
    if let Some(text) = declined {
        return view! { <div class="notice notice--error" role="alert"><p>{text}</p><p>{t("checkout.declined_next")}</p></div> }.into_any();
    }
    let ids = query.with_untracked(|q| q.as_ref().ok().and_then(|q| q.placed.as_deref().map(placed_ids))).unwrap_or_default();
    if !ids.contains(&order.id) || !paid {
        return ().into_any();
    }
    view! { <Confirmation ids=ids current=order/> }.into_any()
}

/// The confirmation: every order of this checkout (one per seller).
#[component]
fn Confirmation(ids: Vec<OrderId>, current: Order) -> impl IntoView {
    let api = use_api();
    let others: Vec<OrderId> = ids.iter().filter(|id| **id != current.id).cloned().collect();
    let count = ids.len() as u64;
    let loaded = LocalResource::new(move || {
        let api = api.clone();
        let others = others.clone();
        async move {
            let mut found = Vec::new();
            for id in &others {
                // An order that cannot be read now is left out, not an error here.
                if let Ok(o) = api.order(id).await {
                    found.push(o);
                }
            }
            found
        }
    });
    let track_href = if count > 1 { "/orders".to_owned() } else { format!("/orders/{}", current.id.0) };
    let row = |o: &Order, here: bool| {
        let estimate = o.delivery_estimate.map(|r| tf("order.range", &[("from", &format::date(r.from)), ("to", &format::date(r.to))]));
        view! {
            <li class="confirmation__order">
                {if here {
                    view! { <span class="confirmation__number" aria-current="page">{tf("order.title", &[("number", &o.number)])}</span> }.into_any()
                } else {
                    view! { <a class="confirmation__number" href=format!("/orders/{}", o.id.0)>{tf("order.title", &[("number", &o.number)])}</a> }.into_any()
                }}
                <span>{o.seller_name.clone()}</span>
                <span><Price money=o.totals.total/></span>
                {estimate.map(|e| view! { <span>{tf("confirmation.arrives", &[("range", &e)])}</span> })}
            </li>
        }
    };
    let first = row(&current, true);
    view! {
        <section class="notice notice--success confirmation" aria-labelledby="confirmation-heading">
            <h2 id="confirmation-heading" class="confirmation__heading">{tp("checkout.placed_n", count, &[])}</h2>
            <p>{t("confirmation.email")}</p>
            <ul class="confirmation__orders">
                {first}
                {move || loaded.get().map(|others| others.iter().map(|o| row(o, false)).collect_view())}
            </ul>
            <div class="confirmation__actions">
                <a class="button button--primary" href=track_href>{t(if count > 1 { "confirmation.track_all" } else { "confirmation.track" })}</a>
                <a class="button button--secondary" href="/">{t("action.continue_shopping")}</a>
            </div>
        </section>
    }
}

