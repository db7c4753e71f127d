//! The shipping choice per seller: each option with its price and how many
//! days it takes, as the quote gives them.

use checkout_core::checkout::{Quote, ShippingSpeed};
use leptos::prelude::*;

use crate::i18n::{t, tf};
use crate::state::draft::CheckoutDraft;

pub fn shipping_choices(q: &Quote, draft: RwSignal<CheckoutDraft>) -> impl IntoView {
    q.sellers
        .iter()
        .map(|s| {
            let seller = s.seller_id.clone();
            let chosen = s.chosen;
            view! {
                <fieldset class="field shipping-choice">
                    <legend class="field__label">{s.seller_name.clone()}</legend>
                    {s.options.iter().map(|o| {
                        let seller = seller.clone();
                        let speed = o.speed;
                        let name = t(if speed == ShippingSpeed::Express { "checkout.express" } else { "checkout.standard" });
                        let days = tf("checkout.days", &[("min", &o.days_min.to_string()), ("max", &o.days_max.to_string())]);
                        let price = if o.price.is_zero() { t("cart.free") } else { crate::i18n::format::money(&o.price) };
                        view! {
                            <label class="choice">
                                <input type="radio" name=format!("ship-{}", seller.0) checked=chosen == speed
                                    on:change=move |_| draft.update(|d| { d.shipping.insert(seller.clone(), speed); })/>
                                {format!("{name} · {price} · {days}")}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
            }
        })
        .collect_view()
}
