//! The checkout's contact and shipping address: the country first, then the
//! fields it asks for in its order (its postal code and region rules), phone
//! and email. Each field is checked on leaving it, and again as it is typed
//! once it showed an error.

use checkout_core::validate::address::{self, COUNTRIES};
use checkout_core::validate::{contact, Field, FieldError};
use leptos::prelude::*;

use crate::i18n::{t, tf};
use crate::state::draft::CheckoutDraft;

fn field_id(f: Field) -> &'static str {
    match f {
        Field::Country => "co-country",
        Field::GivenName => "co-given",
        Field::FamilyName => "co-family",
        Field::AddressLine1 => "co-line1",
        Field::AddressLine2 => "co-line2",
        Field::City => "co-city",
        Field::Region => "co-region",
        Field::PostalCode => "co-postal",
        Field::Phone => "co-phone",
        Field::Email => "co-email",
        Field::CardNumber => "card-number",
        Field::CardExpiry => "card-expiry",
        Field::CardCvc => "card-cvc",
        Field::CardName => "card-name",
    }
}

fn field_label_key(f: Field) -> &'static str {
    match f {
        Field::Country => "checkout.country",
        Field::GivenName => "checkout.given_name",
        Field::FamilyName => "checkout.family_name",
        Field::AddressLine1 => "checkout.line1",
        Field::AddressLine2 => "checkout.line2",
        Field::City => "checkout.city",
        Field::Region => "checkout.region",
        Field::PostalCode => "checkout.postal_code",
        Field::Phone => "checkout.phone",
        Field::Email => "checkout.email",
        Field::CardNumber => "card.number",
        Field::CardExpiry => "card.expiry",
        Field::CardCvc => "card.cvc",
        Field::CardName => "card.name",
    }
}

/// "Postal code: Enter a postal code like 94105." for the error summary.
pub fn summary_line(e: &FieldError) -> (String, String) {
    (field_id(e.field).to_string(), tf("form.summary_line", &[("field", &t(field_label_key(e.field))), ("message", &message(e))]))
}

fn message(e: &FieldError) -> String {
    match &e.example {
        Some(x) => tf(&e.key, &[("example", x)]),
        None => t(&e.key),
    }
}

/// Every problem with the address and contact as they stand.
pub fn problems(d: &CheckoutDraft) -> Vec<FieldError> {
    let mut found: Vec<FieldError> = address::validate(&d.address).err().unwrap_or_default();
    found.extend(contact::phone(&d.phone, &d.address.country).err());
    found.extend(contact::email(&d.email).err());
    found
}

#[component]
pub fn AddressSection(draft: RwSignal<CheckoutDraft>, errors: RwSignal<Vec<FieldError>>) -> impl IntoView {
    let check_field = move |f: Field| {
        let d = draft.get_untracked();
        let found: Option<FieldError> = match f {
            Field::Email => contact::email(&d.email).err(),
            Field::Phone => contact::phone(&d.phone, &d.address.country).err(),
            _ => address::validate(&d.address).err().and_then(|v| v.into_iter().find(|e| e.field == f)),
        };
        errors.update(|errs| {
            errs.retain(|e| e.field != f);
            errs.extend(found);
        });
    };
    let error_of = move |f: Field| move || errors.with(|e| e.iter().find(|e| e.field == f).map(message));
    let text_field = move |f: Field, label_key: &'static str, autocomplete: &'static str, inputmode: &'static str,
                           get: fn(&CheckoutDraft) -> String, set: fn(&mut CheckoutDraft, String)| {
        let id = field_id(f);
        view! {
            <div class="field">
                <label for=id class="field__label">{t(label_key)}</label>
                <input id=id class="field__input" autocomplete=autocomplete inputmode=inputmode
                    aria-describedby=format!("{id}-error") aria-invalid=move || errors.with(|e| e.iter().any(|e| e.field == f)).to_string()
                    prop:value=move || draft.with(get)
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        draft.update(|d| set(d, v));
                        if errors.with_untracked(|e| e.iter().any(|e| e.field == f)) { check_field(f); }
                    }
                    on:blur=move |_| if !draft.with_untracked(get).is_empty() { check_field(f); }/>
                <p class="field-message" id=format!("{id}-error")>{error_of(f)}</p>
            </div>
        }
    };
    let rules = Memo::new(move |_| draft.with(|d| address::country(&d.address.country).copied()));
    let address_fields = move || {
        let order = rules.get().map(|r| r.field_order()).unwrap_or_default();
        let region_required = rules.get().is_some_and(|r| r.region_required);
        order
            .into_iter()
            .filter(|f| *f != Field::Country)
            .map(|f| match f {
                Field::GivenName => text_field(f, "checkout.given_name", "shipping given-name", "text", |d| d.address.given_name.clone(), |d, v| d.address.given_name = v).into_any(),
                Field::FamilyName => text_field(f, "checkout.family_name", "shipping family-name", "text", |d| d.address.family_name.clone(), |d, v| d.address.family_name = v).into_any(),
                Field::AddressLine1 => text_field(f, "checkout.line1", "shipping address-line1", "text", |d| d.address.line1.clone(), |d, v| d.address.line1 = v).into_any(),
                Field::AddressLine2 => text_field(f, "checkout.line2", "shipping address-line2", "text", |d| d.address.line2.clone(), |d, v| d.address.line2 = v).into_any(),
                Field::City => text_field(f, "checkout.city", "shipping address-level2", "text", |d| d.address.city.clone(), |d, v| d.address.city = v).into_any(),
                Field::Region => text_field(f, if region_required { "checkout.region" } else { "checkout.region_optional" }, "shipping address-level1", "text", |d| d.address.region.clone(), |d, v| d.address.region = v).into_any(),
                Field::PostalCode => text_field(f, "checkout.postal_code", "shipping postal-code", "text", |d| d.address.postal_code.clone(), |d, v| d.address.postal_code = v).into_any(),
                _ => ().into_any(),
            })
            .collect_view()
    };

    view! {
        <section class="order-section" aria-labelledby="co-address-heading">
            <h2 id="co-address-heading">{t("checkout.address_heading")}</h2>
            <div class="field">
                <label for="co-country" class="field__label">{t("checkout.country")}</label>
                <select id="co-country" class="field__input" autocomplete="shipping country"
                    on:change=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.address.country = v); errors.update(|e| e.retain(|e| !matches!(e.field, Field::PostalCode | Field::Region | Field::Phone))); }>
                    {COUNTRIES.iter().map(|c| view! {
                        <option value=c.code selected=move || draft.with(|d| d.address.country == c.code)>{t(&format!("country.{}", c.code))}</option>
                    }).collect_view()}
                </select>
            </div>
            {address_fields}
            {text_field(Field::Phone, "checkout.phone", "shipping tel", "tel", |d| d.phone.clone(), |d, v| d.phone = v)}
            {text_field(Field::Email, "checkout.email", "email", "email", |d| d.email.clone(), |d, v| d.email = v)}
        </section>
    }
}
