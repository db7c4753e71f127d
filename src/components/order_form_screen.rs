//! A screen about one order that the shopper fills in (the dispute and the
//! return forms): the order's id from the route, the order and the service's
//! time read together, a skeleton while they load, "not found" for an order
//! that is not the shopper's, and the error with Retry otherwise.

use checkout_core::order::{Order, OrderId};
use checkout_core::time::Timestamp;
use leptos::prelude::*;
use leptos::Params;
use leptos_router::hooks::use_params;
use leptos_router::params::Params;

use crate::api::{resource::use_api_resource, use_api, ApiError};
use crate::components::load_error::LoadError;
use crate::pages::not_found::NotFoundContent;

#[derive(Params, Clone, Debug, PartialEq)]
struct OrderParams {
    id: Option<String>,
}

/// The order the route names (`/orders/:id/…`).
pub fn use_order_id() -> Memo<OrderId> {
    let params = use_params::<OrderParams>();
    Memo::new(move |_| OrderId(params.with(|p| p.as_ref().ok().and_then(|p| p.id.clone())).unwrap_or_default()))
}

/// Draws `form` with the order `id` and the time, once both are read.
#[component]
pub fn OrderFormScreen(id: Memo<OrderId>, form: Callback<(Order, Timestamp), AnyView>) -> impl IntoView {
    let api = use_api();
    let (data, retry) = use_api_resource(move || {
        let api = api.clone();
        let id = id.get();
        async move { Ok::<_, ApiError>((api.order(&id).await?, api.now().await?)) }
    });
    view! {
        <Transition fallback=|| view! { <div class="page skeleton order-skeleton" aria-busy="true"></div> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(loaded) => form.run(loaded),
                    Err(ApiError::NotFound) => view! { <NotFoundContent heading_key="order.not_found_heading" body_key="order.not_found_body"/> }.into_any(),
                    Err(e) => view! { <div class="page"><LoadError error=e on_retry=retry/></div> }.into_any(),
                }
            })}
        </Transition>
    }
}
