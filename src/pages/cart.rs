//! `/cart`: lines grouped by seller with each seller's subtotal and shipping,
//! bounded quantities, remove with undo, unavailable lines set apart and left out
//! of the totals, and a summary that stays in view.

use checkout_core::cart::{CartSummary, LineKey, PricedLine, SellerGroup, Unavailable, UnavailableLine};
use checkout_core::catalog::{Catalog, SellerId};
use checkout_core::money::Money;
use leptos::prelude::*;

use crate::api::use_api;
use crate::browser;
use crate::components::announcer::announce;
use crate::components::seller_card::VerifiedBadge;
use crate::components::{load_error::LoadError, price::Price, quantity::QuantityControl, title::use_title};
use crate::i18n::{option_kind, t, tf, tp};
use crate::state::cart::{use_cart, CartStore};

#[component]
pub fn CartPage() -> impl IntoView {
    use_title(|| t("cart.title"));
    let store = use_cart();
    let api = use_api();
    let (catalog, retry) = crate::api::resource::use_api_resource(move || {
        let api = api.clone();
        async move { api.catalog().await }
    });
    // Once the catalog is known, lower quantities that exceed today's stock.
    let fitted = RwSignal::new(Vec::<String>::new());
    Effect::new(move |_| {
        if let Some(Ok(c)) = catalog.get() {
            // Write only when something changed: a write is saved and seen by other tabs.
            let mut cart = store.cart.get_untracked();
            let changed = cart.fit_to_stock(&c);
            if !changed.is_empty() {
                store.cart.set(cart);
                fitted.set(changed);
            }
        }
    });
    // Leaving the page ends the chance to undo.
    on_cleanup(move || store.last_removed.set(None));

    view! {
        <div class="page page--cart">
            <h1>{t("cart.heading")}</h1>
            <CartNotices fitted=fitted/>
            <UndoBar/>
            <Transition fallback=|| view! { <div class="cart-skeleton skeleton" aria-busy="true"></div> }>
                {move || Suspend::new(async move {
                    match catalog.await {
                        Ok(c) => view! { <CartContents catalog=c/> }.into_any(),
                        Err(e) => view! { <LoadError error=e on_retry=retry/> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

/// Stock changes and storage failures, which only matter on the cart.
#[component]
fn CartNotices(fitted: RwSignal<Vec<String>>) -> impl IntoView {
    let store = use_cart();
    view! {
        {move || (!fitted.get().is_empty()).then(|| view! {
            <div class="notice notice--warning" role="status">
                <p>{tf("cart.fitted_to_stock", &[("names", &fitted.get().join(", "))])}</p>
            </div>
        })}
        {move || store.save_failed.get().then(|| view! {
            <div class="notice notice--warning" role="status"><p>{t("cart.save_failed")}</p></div>
        })}
    }
}

/// "<item> removed. Undo": shown after a removal until undone or the page is left.
#[component]
fn UndoBar() -> impl IntoView {
    let store = use_cart();
    view! {
        {move || store.last_removed.get().map(|r| {
            let removed_name = r.line.name.clone();
            let undo = move |_| {
                let name = removed_name.clone();
                store.undo_remove();
                announce(tf("cart.restored_line", &[("name", &name)]));
            };
            view! {
                <div class="notice notice--info undo-bar">
                    <p>{tf("cart.removed_line", &[("name", &r.line.name)])}</p>
                    <button type="button" id="undo-remove" class="button button--secondary" on:click=undo>{t("action.undo")}</button>
                </div>
            }
        })}
    }
}

/// Renders the priced cart. Groups and lines are keyed lists over one memoised
/// summary, so changing a quantity updates figures in place: the control the
/// shopper is using (its focus, its message) stays where it is.
#[component]
fn CartContents(catalog: Catalog) -> impl IntoView {
    crate::components::shell::screen_drawn();
    let store = use_cart();
    let catalog = StoredValue::new(catalog);
    let summary = Memo::new(move |_| store.cart.with(|cart| catalog.with_value(|c| cart.summarize(c).ok())));
    let is_empty = move || store.cart.with(|c| c.is_empty());
    view! {
        <Show when=move || !is_empty() fallback=EmptyCart>
            <Show when=move || summary.with(Option::is_some)
                // Only reachable with totals past i64: say so rather than show a wrong total.
                fallback=|| view! { <div class="notice notice--error" role="alert"><p>{t("cart.total_too_large")}</p></div> }>
                <CartLayout summary=summary store=store/>
            </Show>
        </Show>
    }
}

#[component]
fn EmptyCart() -> impl IntoView {
    view! {
        <div class="empty-state">
            <p class="empty-state__title">{t("cart.empty")}</p>
            <p>{t("cart.empty_hint")}</p>
            <a href="/" class="button button--primary">{t("action.continue_shopping")}</a>
        </div>
    }
}

fn pick<T: PartialEq + Clone + Send + Sync + 'static>(
    summary: Memo<Option<CartSummary>>,
    f: impl Fn(&CartSummary) -> Option<T> + Send + Sync + 'static,
) -> Memo<Option<T>> {
    Memo::new(move |_| summary.with(|s| s.as_ref().and_then(&f)))
}

fn money_of<T: PartialEq + Clone + Send + Sync + 'static>(
    part: Memo<Option<T>>,
    f: impl Fn(&T) -> Money + Send + Sync + 'static,
    fallback: Money,
) -> Signal<Money> {
    Signal::derive(move || part.with(|p| p.as_ref().map(&f).unwrap_or(fallback)))
}

#[component]
fn CartLayout(summary: Memo<Option<CartSummary>>, store: CartStore) -> impl IntoView {
    let totals = pick(summary, |s| Some((s.item_count, s.items_total, s.shipping_estimate, s.total)));
    let zero = summary.with_untracked(|s| s.as_ref().map(|s| Money::zero(s.total.currency))).unwrap_or(Money::zero(checkout_core::money::Currency::USD));
    let items_total = money_of(totals, |t| t.1, zero);
    let shipping = money_of(totals, |t| t.2, zero);
    let total = money_of(totals, |t| t.3, zero);
    let item_count = move || totals.with(|t| t.map_or(0, |t| t.0));
    let seller_ids = move || summary.with(|s| s.as_ref().map(|s| s.groups.iter().map(|g| g.seller.id.clone()).collect::<Vec<_>>()).unwrap_or_default());
    let has_unavailable = move || summary.with(|s| s.as_ref().is_some_and(|s| !s.unavailable.is_empty()));
    view! {
        <div class="cart">
            <div class="cart__groups">
                <For each=seller_ids key=|id| id.clone() let:seller_id>
                    <SellerGroupView summary=summary seller_id=seller_id store=store zero=zero/>
                </For>
                <Show when=has_unavailable><UnavailableList summary=summary store=store/></Show>
            </div>
            <aside class="cart-summary" aria-labelledby="cart-summary-heading">
                <h2 id="cart-summary-heading" class="cart-summary__heading">{t("cart.summary")}</h2>
                <dl class="cart-summary__rows">
                    <div><dt>{move || tp("cart.items", u64::from(item_count()), &[])}</dt><dd><Price money=items_total/></dd></div>
                    <div><dt>{t("cart.shipping_estimate")}</dt><dd><PriceOrFree money=shipping/></dd></div>
                    <div class="cart-summary__total"><dt>{t("cart.total")}</dt><dd><Price money=total/></dd></div>
                </dl>
                <p class="cart-summary__note">{t("cart.summary_note")}</p>
                <a href="/checkout" class="button button--primary cart-summary__checkout">{t("cart.checkout")}</a>
            </aside>
        </div>
    }
}

/// Shipping that costs nothing says "Free" rather than "$0.00".
#[component]
fn PriceOrFree(money: Signal<Money>) -> impl IntoView {
    move || if money.get().is_zero() { t("cart.free").into_any() } else { view! { <Price money=money/> }.into_any() }
}

#[component]
fn SellerGroupView(summary: Memo<Option<CartSummary>>, seller_id: SellerId, store: CartStore, zero: Money) -> impl IntoView {
    let id = seller_id.clone();
    let group = pick(summary, move |s| s.groups.iter().find(|g| g.seller.id == id).cloned());
    let seller = group.with_untracked(|g| g.as_ref().map(|g| g.seller.clone()));
    let Some(seller) = seller else { return ().into_any() };
    let subtotal = money_of(group, |g| g.subtotal, zero);
    let shipping = money_of(group, |g| g.shipping, zero);
    let line_keys = move || group.with(|g| g.as_ref().map(|g| g.lines.iter().map(|l| l.key.clone()).collect::<Vec<_>>()).unwrap_or_default());
    let heading_id = format!("seller-{}", seller.id.0);
    let labelled_by = heading_id.clone();
    view! {
        <section class="cart-group" aria-labelledby=labelled_by>
            <header class="cart-group__header">
                <h2 id=heading_id class="cart-group__seller">{seller.name.clone()}</h2>
                <VerifiedBadge verified=seller.verified/>
            </header>
            <ul class="cart-lines">
                <For each=line_keys key=|k| k.clone() let:key>
                    <CartLineView group=group line_key=key store=store zero=zero/>
                </For>
            </ul>
            <dl class="cart-group__totals">
                <div><dt>{t("cart.seller_subtotal")}</dt><dd><Price money=subtotal/></dd></div>
                <div><dt>{t("cart.seller_shipping")}</dt><dd><PriceOrFree money=shipping/></dd></div>
            </dl>
        </section>
    }
    .into_any()
}

fn line_dom_id(line: &LineKey) -> String {
    let raw = format!("{}-{}", line.product_id.0, line.option_id.as_deref().unwrap_or("x"));
    raw.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect()
}

fn remove_and_focus_undo(store: CartStore, key: &LineKey, name: &str) {
    store.remove(key);
    announce(tf("cart.removed_line", &[("name", name)]));
    // The line and its button are gone: keep focus on something meaningful.
    request_animation_frame(|| browser::focus_id("undo-remove"));
}

#[component]
fn CartLineView(group: Memo<Option<SellerGroup>>, line_key: LineKey, store: CartStore, zero: Money) -> impl IntoView {
    let k = line_key.clone();
    let line = Memo::new(move |_| group.with(|g| g.as_ref().and_then(|g| g.lines.iter().find(|l| l.key == k).cloned())));
    let Some(first) = line.get_untracked() else { return ().into_any() };
    let PricedLine { key, product, option_label, max_quantity, .. } = first;
    let quantity = Signal::derive(move || line.with(|l| l.as_ref().map_or(1, |l| l.quantity)));
    let max = Signal::derive(move || line.with(|l| l.as_ref().map_or(max_quantity, |l| l.max_quantity)));
    let unit_price = money_of(line, |l| l.unit_price, zero);
    let line_total = money_of(line, |l| l.line_total, zero);
    let dom_id = line_dom_id(&key);
    let name = product.name.clone();
    let link_name = name.clone();
    let image = product.images.first().cloned();
    let set_key = key.clone();
    let on_set = Callback::new(move |q: u32| store.cart.update(|c| { c.set_quantity(&set_key, q, max.get_untracked()); }));
    let remove_key = key.clone();
    let remove_name = name.clone();
    let remove_label = tf("cart.remove_named", &[("name", &name)]);
    view! {
        <li class="cart-line" data-testid="cart-line">
            {image.map(|img| view! { <img class="cart-line__image" src=img.src width="80" height="80" alt=""/> })}
            <div class="cart-line__body">
                <a href=format!("/products/{}", product.id) class="cart-line__name">{link_name}</a>
                {option_label.zip(product.options.as_ref().map(|o| o.kind)).map(|(label, kind)| view! {
                    <p class="cart-line__option">{tf("cart.option", &[("kind", &option_kind(kind)), ("value", &label)])}</p>
                })}
                <p class="cart-line__unit">{t("cart.unit_price")}" " <Price money=unit_price/></p>
                <QuantityControl id=format!("qty-{dom_id}") item_name=name value=quantity max=max on_set=on_set/>
            </div>
            <div class="cart-line__side">
                <Price money=line_total class="cart-line__total"/>
                <button type="button" class="button button--link" aria-label=remove_label
                    on:click=move |_| remove_and_focus_undo(store, &remove_key, &remove_name)>
                    {t("action.remove")}
                </button>
            </div>
        </li>
    }
    .into_any()
}

#[component]
fn UnavailableList(summary: Memo<Option<CartSummary>>, store: CartStore) -> impl IntoView {
    let lines = move || summary.with(|s| s.as_ref().map(|s| s.unavailable.clone()).unwrap_or_default());
    view! {
        <section class="cart-group cart-group--unavailable" aria-labelledby="unavailable-heading">
            <h2 id="unavailable-heading" class="cart-group__seller">{t("cart.unavailable_heading")}</h2>
            <p class="cart-group__note">{t("cart.unavailable_note")}</p>
            <ul class="cart-lines">
                <For each=lines key=|l: &UnavailableLine| (l.key.clone(), l.reason) let:l>
                    <UnavailableLineView line=l store=store/>
                </For>
            </ul>
        </section>
    }
}

#[component]
fn UnavailableLineView(line: UnavailableLine, store: CartStore) -> impl IntoView {
    let reason = match line.reason {
        Unavailable::Gone => t("cart.gone"),
        Unavailable::SoldOut => t("product.sold_out"),
    };
    let label = tf("cart.remove_named", &[("name", &line.name)]);
    let UnavailableLine { key, name, .. } = line;
    let shown = name.clone();
    view! {
        <li class="cart-line cart-line--unavailable" data-testid="unavailable-line">
            <div class="cart-line__body">
                <p class="cart-line__name">{shown}</p>
                <p class="badge badge--muted">{reason}</p>
            </div>
            <div class="cart-line__side">
                <button type="button" class="button button--link" aria-label=label
                    on:click=move |_| remove_and_focus_undo(store, &key, &name)>{t("action.remove")}</button>
            </div>
        </li>
    }
}
