//! Lines of steps as the core counts them: the order's, from placed to
//! completed, and a return's.

use checkout_core::order::{Order, Step, StepState};
use leptos::prelude::*;

use crate::i18n::t;

fn step_key(step: Step) -> &'static str {
    match step {
        Step::Placed => "order.step.placed",
        Step::Paid => "order.step.paid",
        Step::Verified => "order.step.verified",
        Step::Shipped => "order.step.shipped",
        Step::InTransit => "order.step.in_transit",
        Step::Delivered => "order.step.delivered",
        Step::Completed => "order.step.completed",
    }
}

#[component]
pub fn StepLine(order: Order) -> impl IntoView {
    let steps = order.steps().into_iter().map(|(step, state)| (step_key(step), state)).collect();
    view! { <Steps label=t("order.steps_label") steps=steps class="steps"/> }
}

/// Steps by the message key of their name, each with its state; `class`
/// names the list's layout.
#[component]
pub fn Steps(label: String, steps: Vec<(&'static str, StepState)>, class: &'static str) -> impl IntoView {
    view! {
        <ol class=class aria-label=label>
            {steps.into_iter().map(|(key, state)| {
                let (modifier, hidden) = match state {
                    StepState::Done => ("done", t("order.step.done")),
                    StepState::Current => ("current", t("order.step.current")),
                    StepState::Todo => ("todo", t("order.step.todo")),
                };
                view! {
                    <li class=format!("steps__item steps__item--{modifier}") aria-current=(state == StepState::Current).then_some("step")>
                        <span class="steps__dot" aria-hidden="true"></span>
                        <span>{t(key)}</span>
                        <span class="visually-hidden">{format!(" ({hidden})")}</span>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}
