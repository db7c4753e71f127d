//! A screen about one order that the shopper fills in (the dispute and the
//! return forms): the order's id from the route, the order and the service's
//! time read together, a skeleton while they load, "not found" for an order
//! that is not the shopper's, and the error with Retry otherwise. The form is
//! drawn only if the core allows its action now; otherwise the screen says
//! why, with a way back to the order.

use checkout_core::order::{BuyerActionKind, Order, OrderId, RuleError};
use leptos::prelude::*;
use leptos::Params;
use leptos_router::hooks::use_params;
use leptos_router::params::Params;

use crate::api::{resource::use_api_resource, use_api, ApiError};
use crate::components::load_error::LoadError;
use crate::i18n::rules::refusal;
use crate::i18n::t;
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

/// The words of a form screen, by message key: its heading, why it is not
/// open in the order's status, and the link back to the order.
pub struct FormWords {
    pub heading: &'static str,
    pub not_for_status: &'static str,
    pub back: &'static str,
}

/// Draws `form` with the order `id`, once it and the time are read, if the
/// buyer may do `action` now; otherwise why not, in `class`'s page.
#[component]
pub fn OrderFormScreen(
    id: Memo<OrderId>,
    action: BuyerActionKind,
    words: FormWords,
    class: &'static str,
    form: Callback<Order, AnyView>,
) -> impl IntoView {
    let words = StoredValue::new(words);
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
                    Ok((order, now)) => match order.may(action, now) {
                        Ok(()) => form.run(order),
                        Err(why) => words.with_value(|w| view! {
                            <div class=class>
                                <h1>{t(w.heading)}</h1>
                                <p class="notice notice--info">{match why {
                                    // Not yet shipped or delivered, or closed: said the way a shopper asks it.
                                    RuleError::NotInThisStatus { .. } => t(w.not_for_status),
                                    other => refusal(&other),
                                }}</p>
                                <a href=format!("/orders/{}", order.id.0) class="button">{t(w.back)}</a>
                            </div>
                        }.into_any()),
                    },
                    Err(ApiError::NotFound) => view! { <NotFoundContent heading_key="order.not_found_heading" body_key="order.not_found_body"/> }.into_any(),
                    Err(e) => view! { <div class="page"><LoadError error=e on_retry=retry/></div> }.into_any(),
                }
            })}
        </Transition>
    }
}
