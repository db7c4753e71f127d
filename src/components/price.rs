//! A price, formatted by the browser for the page language and currency.

use checkout_core::money::Money;
use leptos::prelude::*;

use crate::i18n::format;

#[component]
pub fn Price(#[prop(into)] money: Signal<Money>, #[prop(optional)] class: &'static str) -> impl IntoView {
    view! { <span class=format!("price {class}")>{move || format::money(&money.get())}</span> }
}
