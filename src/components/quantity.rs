//! A quantity control: minus, a typed number, plus. Whatever is typed ends within
//! 1..=max (checkout-core's `parse_quantity`), and the shopper is told when the
//! number was changed and why, next to the field and through the live region.

use checkout_core::cart::{parse_quantity, QuantityAdjustment};
use leptos::prelude::*;

use crate::components::announcer::announce;
use crate::i18n::{t, tf};

fn adjustment_message(adj: QuantityAdjustment, max: u32) -> String {
    let max = max.to_string();
    match adj {
        QuantityAdjustment::NotANumber => tf("quantity.not_a_number", &[("max", &max)]),
        QuantityAdjustment::BelowMinimum => t("quantity.below_minimum"),
        QuantityAdjustment::AboveMaximum { .. } => tf("quantity.above_maximum", &[("max", &max)]),
    }
}

#[component]
pub fn QuantityControl(
    /// The input's id; its message gets `<id>-message`.
    id: String,
    /// What is being counted, for the buttons' names ("Decrease quantity of …").
    #[prop(into)]
    item_name: String,
    #[prop(into)] value: Signal<u32>,
    #[prop(into)] max: Signal<u32>,
    on_set: Callback<u32>,
) -> impl IntoView {
    let text = RwSignal::new(value.get_untracked().to_string());
    let message = RwSignal::new(None::<String>);
    // Follow changes made elsewhere (the buttons, another tab, stock shrinking).
    Effect::new(move |_| text.set(value.get().to_string()));

    let set = move |q: u32, adj: Option<QuantityAdjustment>| {
        let msg = adj.map(|a| adjustment_message(a, max.get_untracked()));
        if let Some(m) = &msg {
            announce(m.clone());
        }
        message.set(msg);
        text.set(q.to_string());
        if q != value.get_untracked() {
            on_set.run(q);
        }
    };
    let on_change = move |ev| {
        let typed = event_target_value(&ev);
        let (q, adj) = parse_quantity(&typed, value.get_untracked(), max.get_untracked());
        set(q, adj);
    };
    let step = move |delta: i64| {
        let next = i64::from(value.get_untracked()) + delta;
        let (q, adj) = parse_quantity(&next.to_string(), value.get_untracked(), max.get_untracked());
        set(q, adj);
    };
    let message_id = format!("{id}-message");
    let decrease = tf("quantity.decrease", &[("item", &item_name)]);
    let increase = tf("quantity.increase", &[("item", &item_name)]);
    view! {
        <div class="quantity">
            <label class="quantity__label" for=id.clone()>{t("quantity.label")}</label>
            <div class="quantity__row">
                <button type="button" class="quantity__step" aria-label=decrease
                    disabled=move || { value.get() <= 1 } on:click=move |_| step(-1)>"−"</button>
                <input id=id class="quantity__input" type="text" inputmode="numeric" autocomplete="off"
                    // (The attribute too: a screen drawn natively has no properties.)
                    size="3" value=text.get_untracked() prop:value=move || text.get()
                    aria-describedby=message_id.clone()
                    on:input=move |ev| text.set(event_target_value(&ev))
                    on:change=on_change />
                <button type="button" class="quantity__step" aria-label=increase
                    disabled=move || { value.get() >= max.get() } on:click=move |_| step(1)>"+"</button>
            </div>
            <p class="field-message" id=message_id>{move || message.get()}</p>
        </div>
    }
}
