//! The payment verification's section: its steps, the 24-hour promise with a
//! way to support past it, the answers to what shoppers ask at this point
//! (docs/rules.md#orders); and what to do when it failed.

use leptos::prelude::*;

use super::SupportLink;
use crate::i18n::t;

/// While the payment is being verified: its steps as they really stand, and
/// the answers to what shoppers ask at this point.
#[component]
pub fn Verification(number: String, overdue: bool) -> impl IntoView {
    // Verification starts once the payment is authorised.
    let steps = [
        ("verification.step.payment", "done"),
        ("verification.step.risk", "current"),
        ("verification.step.seller", "todo"),
    ];
    let faq = [
        ("verification.q.how_long", "verification.a.how_long"),
        ("verification.q.fails", "verification.a.fails"),
        ("verification.q.faster", "verification.a.faster"),
        ("verification.q.delivery", "verification.a.delivery"),
        ("verification.q.stuck", "verification.a.stuck"),
    ];
    view! {
        <section class="order-section verification" aria-labelledby="verification-heading">
            <h2 id="verification-heading">{t("verification.heading")}</h2>
            {overdue.then(|| view! {
                <div class="notice notice--warning" role="status">
                    <p>{t("verification.overdue")}</p>
                    <SupportLink number=number/>
                </div>
            })}
            <ol class="verification__steps">
                {steps.into_iter().map(|(key, state)| view! {
                    <li class=format!("verification__step verification__step--{state}") aria-current=(state == "current").then_some("step")>
                        {t(key)} <span class="visually-hidden">{format!(" ({})", t(&format!("order.step.{state}")))}</span>
                    </li>
                }).collect_view()}
            </ol>
            {faq.into_iter().map(|(q, a)| view! {
                <details class="faq"><summary>{t(q)}</summary><p>{t(a)}</p></details>
            }).collect_view()}
        </section>
    }
}

/// The order was closed because verification failed: what to do next.
#[component]
pub fn VerificationFailed(number: String) -> impl IntoView {
    view! {
        <section class="order-section" aria-labelledby="failed-heading">
            <h2 id="failed-heading">{t("verification.failed_heading")}</h2>
            <p>{t("verification.failed_next")}</p>
            <div class="order__actions">
                <a class="button button--primary" href="/">{t("verification.order_again")}</a>
                <SupportLink number=number/>
            </div>
        </section>
    }
}
