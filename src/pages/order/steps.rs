//! The line of steps from placed to completed, as the core counts them.

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
    view! {
        <ol class="steps" aria-label=t("order.steps_label")>
            {order.steps().into_iter().map(|(step, state)| {
                let (class, hidden) = match state {
                    StepState::Done => ("done", t("order.step.done")),
                    StepState::Current => ("current", t("order.step.current")),
                    StepState::Todo => ("todo", t("order.step.todo")),
                };
                view! {
                    <li class=format!("steps__item steps__item--{class}") aria-current=(state == StepState::Current).then_some("step")>
                        <span class="steps__dot" aria-hidden="true"></span>
                        <span>{t(step_key(step))}</span>
                        <span class="visually-hidden">{format!(" ({hidden})")}</span>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}
