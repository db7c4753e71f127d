//! `/products/:id`: images, price, options with their own stock, quantity,
//! "Add to cart", and the seller card. An unknown id is a proper not-found state.

use checkout_core::cart::AddError;
use checkout_core::catalog::{Product, ProductId};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::{use_api, ApiError, ProductDetail};
use crate::components::announcer::announce;
use crate::components::{
    load_error::LoadError, price::Price, quantity::QuantityControl, seller_card::SellerCard, title::use_title,
};
use crate::i18n::{option_kind, t, tf};
use crate::pages::not_found::NotFoundContent;
use crate::state::cart::use_cart;

#[component]
pub fn ProductPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let api = use_api();
    let (detail, retry) = crate::api::resource::use_api_resource(move || {
        let api = api.clone();
        let id = ProductId(id.get());
        async move { api.product(&id).await }
    });
    let page_title = RwSignal::new(t("product.loading_title"));
    use_title(move || page_title.get());
    view! {
        <Transition fallback=ProductSkeleton>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => {
                        // The page drawn into index.html (by the server) gives way now.
                        crate::components::shell::screen_drawn();
                        page_title.set(d.product.name.clone());
                        view! { <ProductView detail=d/> }.into_any()
                    }
                    Err(ApiError::NotFound) => {
                        crate::components::shell::screen_drawn();
                        page_title.set(t("product.not_found_heading"));
                        view! { <NotFoundContent heading_key="product.not_found_heading" body_key="product.not_found_body"/> }.into_any()
                    }
                    Err(e) => {
                        page_title.set(t(e.message_key()));
                        view! { <div class="page"><LoadError error=e on_retry=retry/></div> }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn ProductSkeleton() -> impl IntoView {
    view! {
        <div class="page product" aria-busy="true">
            <div class="product__gallery"><div class="skeleton skeleton--image"></div></div>
            <div class="product__info">
                <div class="skeleton skeleton--heading"></div>
                <div class="skeleton skeleton--line"></div>
                <div class="skeleton skeleton--line skeleton--short"></div>
            </div>
        </div>
    }
}

fn first_in_stock(product: &Product) -> Option<String> {
    product.options.as_ref()?.choices.iter().find(|c| c.stock > 0).map(|c| c.id.clone())
}

#[component]
fn ProductView(detail: ProductDetail) -> impl IntoView {
    let ProductDetail { product, seller } = detail;
    let store = use_cart();
    let product = StoredValue::new(product);
    let image = RwSignal::new(0usize);
    let option = RwSignal::new(product.with_value(first_in_stock));
    let quantity = RwSignal::new(1u32);
    let feedback = RwSignal::new(None::<(bool, String)>);

    let line_key = move || {
        checkout_core::cart::LineKey::new(product.with_value(|p| p.id.clone()), option.get())
    };
    let in_cart = Memo::new(move |_| {
        let key = line_key();
        store.cart.with(|c| c.line(&key).map_or(0, |l| l.quantity))
    });
    let stock = Memo::new(move |_| product.with_value(|p| p.stock_for(option.get().as_deref())));
    // What can still be added: the bound left after what the cart already holds.
    let addable = Memo::new(move |_| {
        let max = product.with_value(|p| p.max_quantity(option.get().as_deref()));
        max.saturating_sub(in_cart.get())
    });
    Effect::new(move |_| {
        let a = addable.get();
        if quantity.get_untracked() > a.max(1) {
            quantity.set(a.max(1));
        }
    });

    let add = move |_| {
        let mut result = None;
        store.cart.update(|c| {
            result = Some(product.with_value(|p| c.add(p, option.get_untracked().as_deref(), quantity.get_untracked())));
        });
        let name = product.with_value(|p| p.name.clone());
        let msg = match result {
            Some(Ok(o)) => match o.limited_to {
                None => (true, tf("product.added", &[("name", &name)])),
                Some(max) => (true, tf("product.added_limited", &[("max", &max.to_string())])),
            },
            Some(Err(AddError::OptionRequired)) => (false, t("product.choose_option")),
            Some(Err(AddError::OutOfStock | AddError::UnknownOption)) => (false, t("product.option_sold_out")),
            Some(Err(AddError::CartFull)) => (false, t("product.cart_full")),
            Some(Err(AddError::AlreadyAtMaximum { max })) => {
                (false, tf("product.already_max", &[("max", &max.to_string())]))
            }
            None => return,
        };
        announce(msg.1.clone());
        feedback.set(Some(msg));
        quantity.set(1);
    };

    let images = product.with_value(|p| p.images.clone());
    let gallery_images = images.clone();
    let main_image = move || gallery_images.get(image.get()).cloned();
    let thumbs = (images.len() > 1).then(|| {
        images
            .iter()
            .enumerate()
            .map(|(i, img)| {
                let label = tf("product.show_image", &[("n", &(i + 1).to_string())]);
                view! {
                    <li>
                        <button type="button" class="product__thumb" aria-label=label
                            aria-pressed=move || (image.get() == i).to_string()
                            on:click=move |_| image.set(i)>
                            <img src=img.src.clone() width="64" height="64" alt=""/>
                        </button>
                    </li>
                }
            })
            .collect_view()
    });

    let options_view = product.with_value(|p| p.options.clone()).map(|opts| {
        let legend = option_kind(opts.kind);
        let chosen_label = move || {
            product.with_value(|p| p.option_label(option.get().as_deref()).map(str::to_owned)).unwrap_or_default()
        };
        let choices = opts
            .choices
            .into_iter()
            .map(|c| {
                let id = c.id.clone();
                let checked_id = c.id.clone();
                let checked_at_first = option.get_untracked().as_deref() == Some(c.id.as_str());
                let sold_out = c.stock == 0;
                view! {
                    <label class="chip" class:chip--disabled=sold_out>
                        <input type="radio" name="product-option" value=c.id.clone() disabled=sold_out checked=checked_at_first
                            prop:checked=move || option.get().as_deref() == Some(checked_id.as_str())
                            on:change=move |_| { option.set(Some(id.clone())); feedback.set(None); }/>
                        <span>{c.label.clone()}</span>
                        {sold_out.then(|| view! { <span class="chip__note">{t("product.sold_out")}</span> })}
                    </label>
                }
            })
            .collect_view();
        view! {
            <fieldset class="options">
                <legend>{legend}": " <strong>{chosen_label}</strong></legend>
                <div class="options__choices">{choices}</div>
            </fieldset>
        }
    });

    let name = product.with_value(|p| p.name.clone());
    let description = product.with_value(|p| p.description.clone());
    let price = product.with_value(|p| p.price);
    let max_per_order = product.with_value(|p| p.max_per_order);
    let stock_text = move || match stock.get() {
        None => t("product.choose_option"),
        Some(0) => t("product.sold_out"),
        Some(n) => tf("product.in_stock", &[("count", &n.to_string())]),
    };
    let can_add = move || addable.get() > 0;
    view! {
        <div class="page product">
            <div class="product__gallery">
                {move || main_image().map(|img| view! {
                    <img class="product__image" src=img.src width=img.width height=img.height alt=name.clone()/>
                })}
                {thumbs.map(|t| view! { <ul class="product__thumbs">{t}</ul> })}
            </div>
            <div class="product__info">
                <h1 class="product__name">{product.with_value(|p| p.name.clone())}</h1>
                <Price money=price class="product__price"/>
                <p class="product__description">{description}</p>
                <form class="product__buy" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); add(()); }>
                    {options_view}
                    <p class="product__stock" id="product-stock">
                        {stock_text} " · " {tf("product.limit", &[("max", &max_per_order.to_string())])}
                    </p>
                    {move || (in_cart.get() > 0).then(|| view! {
                        <p class="product__in-cart">{tf("product.in_cart", &[("count", &in_cart.get().to_string())])}</p>
                    })}
                    <QuantityControl id="product-quantity".to_string() item_name=product.with_value(|p| p.name.clone())
                        value=quantity max=Signal::derive(move || addable.get().max(1))
                        on_set=Callback::new(move |q| quantity.set(q))/>
                    <button type="submit" class="button button--primary" disabled=move || !can_add()>
                        {t("product.add_to_cart")}
                    </button>
                    <div class="product__feedback">
                        {move || feedback.get().map(|(ok, msg)| view! {
                            <p class=if ok { "notice notice--success" } else { "notice notice--warning" }>
                                {msg} " "
                                {ok.then(|| view! { <a href="/cart">{t("product.view_cart")}</a> })}
                            </p>
                        })}
                    </div>
                </form>
            </div>
            <aside class="product__seller">
                <SellerCard seller=seller/>
            </aside>
        </div>
    }
}
