//! What was bought and where it goes: the lines, the totals, the payment
//! receipt (printable), the address; and the parcel's tracking number.

use checkout_core::order::{Order, Shipment};
use leptos::prelude::*;

use super::paid_with_text;
use crate::components::announcer::announce;
use crate::components::price::Price;
use crate::i18n::{format, t, tf};

fn copy_to_clipboard(text: String) {
    if let Some(w) = crate::browser::window() {
        let _ = w.navigator().clipboard().write_text(&text);
        announce(t("order.copied"));
    }
}

#[component]
pub fn Tracking(shipment: Shipment) -> impl IntoView {
    let number = shipment.tracking_number.clone();
    view! {
        <section class="order-section tracking" aria-labelledby="tracking-heading">
            <h2 id="tracking-heading">{t("order.tracking")}</h2>
            <p>{shipment.carrier.clone()}</p>
            <p class="tracking__number">
                <span>{shipment.tracking_number.clone()}</span>
                <button type="button" class="button button--secondary"
                    aria-label=tf("order.copy_tracking", &[("number", &shipment.tracking_number)])
                    on:click=move |_| copy_to_clipboard(number.clone())>{t("order.copy")}</button>
            </p>
        </section>
    }
}

#[component]
pub fn Items(order: Order) -> impl IntoView {
    let payment = order.payment.clone();
    let totals = order.totals.clone();
    let address = order.shipping_address.clone();
    view! {
            <section class="order-section" aria-labelledby="items-heading">
                <h2 id="items-heading">{t("order.items")}</h2>
                <ul class="order-lines">
                    {order.lines.iter().map(|l| view! {
                        <li class="order-line">
                            {l.image.clone().map(|src| view! { <img src=src width="56" height="56" alt=""/> })}
                            <span class="order-line__name">{l.product_name.clone()}</span>
                            <span>{format!("× {}", l.quantity)}</span>
                            <Price money=l.line_total/>
                        </li>
                    }).collect_view()}
                </ul>
                <dl class="order-totals">
                    <div><dt>{t("order.total.items")}</dt><dd><Price money=totals.items/></dd></div>
                    <div><dt>{t("order.total.shipping")}</dt><dd><Price money=totals.shipping/></dd></div>
                    {(!totals.discount.is_zero()).then(|| view! { <div><dt>{t("order.total.discount")}</dt><dd>"−"<Price money=totals.discount/></dd></div> })}
                    {(!totals.tax.is_zero()).then(|| view! { <div><dt>{t("order.total.tax")}</dt><dd><Price money=totals.tax/></dd></div> })}
                    <div class="order-totals__total"><dt>{t("order.total.total")}</dt><dd><Price money=totals.total/></dd></div>
                </dl>
                {payment.map(|p| view! {
                    <p class="order__payment">
                        {tf("order.receipt_line", &[("amount", &format::money(&p.amount)), ("method", &paid_with_text(&p.method)), ("date", &format::date_time(p.authorised_at))])}
                    </p>
                    <button type="button" class="button button--secondary order__print" on:click=|_| { if let Some(w) = crate::browser::window() { let _ = w.print(); } }>
                        {t("order.print_receipt")}
                    </button>
                })}
                <h3>{t("order.ship_to")}</h3>
                <address class="order__address">
                    {format!("{} {}", address.given_name, address.family_name)}<br/>
                    {address.line1.clone()}<br/>
                    {address.line2.clone().map(|l| view! { {l}<br/> })}
                    {format!("{} {} {}", address.city, address.region.clone().unwrap_or_default(), address.postal_code.clone().unwrap_or_default())}<br/>
                    {address.country.clone()}
                </address>
            </section>
    }
}
