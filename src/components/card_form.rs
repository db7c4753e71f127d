//! The card fields: number (brand shown and digits grouped as typed), expiry,
//! security code and name, with the autocomplete tokens and input modes from
//! the HTML standard. Checked on leaving a field by checkout-core's card rules;
//! the details live only in these signals, never in storage, the URL or logs.

use checkout_api::tokenizer::CardDetails;
use checkout_core::validate::card::{self, detect_brand, group_for_display, Expiry};
use checkout_core::validate::FieldError;
use leptos::prelude::*;

use crate::i18n::{t, tf};

/// What the shopper typed, kept in memory only.
#[derive(Clone, Copy)]
pub struct CardFields {
    pub number: RwSignal<String>,
    pub expiry: RwSignal<String>,
    pub cvc: RwSignal<String>,
    pub name: RwSignal<String>,
    errors: RwSignal<Vec<FieldError>>,
}

impl CardFields {
    pub fn new() -> Self {
        CardFields {
            number: RwSignal::new(String::new()),
            expiry: RwSignal::new(String::new()),
            cvc: RwSignal::new(String::new()),
            name: RwSignal::new(String::new()),
            errors: RwSignal::new(Vec::new()),
        }
    }

    pub fn details(&self) -> CardDetails {
        CardDetails {
            number: self.number.get_untracked(),
            expiry: self.expiry.get_untracked(),
            cvc: self.cvc.get_untracked(),
            name: self.name.get_untracked(),
        }
    }

    /// Shows the tokenizer's (or a check's) errors next to their fields.
    pub fn show_errors(&self, errors: Vec<FieldError>) {
        self.errors.set(errors);
    }

    /// Forgets the number and code (after paying, or on leaving).
    pub fn clear_secrets(&self) {
        self.number.set(String::new());
        self.cvc.set(String::new());
    }

    fn error_for(&self, field: checkout_core::validate::Field) -> Option<String> {
        self.errors.with(|e| {
            e.iter().find(|e| e.field == field).map(|e| match &e.example {
                Some(x) => tf(&e.key, &[("example", x)]),
                None => t(&e.key),
            })
        })
    }

    fn set_error(&self, field: checkout_core::validate::Field, result: Result<(), FieldError>) {
        self.errors.update(|errs| {
            errs.retain(|e| e.field != field);
            if let Err(e) = result {
                errs.push(e);
            }
        });
    }
}

impl Default for CardFields {
    fn default() -> Self {
        Self::new()
    }
}

/// The current month, for "expiry not in the past".
pub fn this_month() -> Expiry {
    let d = js_sys::Date::new_0();
    Expiry { year: d.get_full_year() as u16, month: (d.get_month() + 1) as u8 }
}

#[component]
pub fn CardForm(fields: CardFields) -> impl IntoView {
    use checkout_core::validate::Field as F;
    let brand = Memo::new(move |_| fields.number.with(|n| card::card_digits(n).and_then(|d| detect_brand(&d))));
    let check = move |field: F| match field {
        F::CardNumber => fields.set_error(field, card::card_number(&fields.number.get_untracked()).map(|_| ())),
        F::CardExpiry => fields.set_error(field, card::expiry(&fields.expiry.get_untracked(), this_month()).map(|_| ())),
        F::CardCvc => fields.set_error(field, card::cvc(&fields.cvc.get_untracked(), brand.get_untracked())),
        F::CardName => fields.set_error(
            field,
            if fields.name.get_untracked().trim().is_empty() {
                Err(FieldError::new(F::CardName, "validation.required"))
            } else {
                Ok(())
            },
        ),
        _ => {}
    };
    // An error goes away as soon as the input is right; it is not shown while
    // the first characters are typed.
    let recheck = move |field: F| {
        if fields.error_for(field).is_some() {
            check(field);
        }
    };
    let on_number = move |ev| {
        let raw = event_target_value(&ev);
        let digits: String = raw.chars().filter(char::is_ascii_digit).take(19).collect();
        // Group for reading only when the input is plain digits and spaces.
        let shown = if raw.chars().all(|c| c.is_ascii_digit() || c == ' ') { group_for_display(&digits) } else { raw };
        fields.number.set(shown);
        recheck(F::CardNumber);
    };
    let err = move |f: F| move || fields.error_for(f);
    let invalid = move |f: F| move || fields.error_for(f).is_some().to_string();
    view! {
        <div class="card-form">
            <div class="field">
                <label for="card-number" class="field__label">{t("card.number")}</label>
                <div class="card-form__number">
                    <input id="card-number" class="field__input" inputmode="numeric" autocomplete="cc-number" maxlength="23"
                        aria-describedby="card-number-brand card-number-error" aria-invalid=invalid(F::CardNumber)
                        prop:value=move || fields.number.get() on:input=on_number on:blur=move |_| check(F::CardNumber)/>
                    <span id="card-number-brand" class="card-form__brand" aria-live="polite">
                        {move || brand.get().map(|b| t(&format!("card.brand.{}", b.slug())))}
                    </span>
                </div>
                <p class="field-message" id="card-number-error">{err(F::CardNumber)}</p>
            </div>
            <div class="card-form__row">
                <div class="field">
                    <label for="card-expiry" class="field__label">{t("card.expiry")}</label>
                    <p class="field__hint" id="card-expiry-hint">{t("card.expiry_hint")}</p>
                    <input id="card-expiry" class="field__input" inputmode="numeric" autocomplete="cc-exp" maxlength="7"
                        aria-describedby="card-expiry-hint card-expiry-error" aria-invalid=invalid(F::CardExpiry)
                        prop:value=move || fields.expiry.get()
                        on:input=move |ev| { fields.expiry.set(event_target_value(&ev)); recheck(F::CardExpiry); }
                        on:blur=move |_| check(F::CardExpiry)/>
                    <p class="field-message" id="card-expiry-error">{err(F::CardExpiry)}</p>
                </div>
                <div class="field">
                    <label for="card-cvc" class="field__label">{t("card.cvc")}</label>
                    <p class="field__hint" id="card-cvc-hint">{move || t(if brand.get() == Some(card::Brand::Amex) { "card.cvc_hint_amex" } else { "card.cvc_hint" })}</p>
                    <input id="card-cvc" class="field__input" inputmode="numeric" autocomplete="cc-csc" maxlength="4"
                        aria-describedby="card-cvc-hint card-cvc-error" aria-invalid=invalid(F::CardCvc)
                        prop:value=move || fields.cvc.get()
                        on:input=move |ev| { fields.cvc.set(event_target_value(&ev)); recheck(F::CardCvc); }
                        on:blur=move |_| check(F::CardCvc)/>
                    <p class="field-message" id="card-cvc-error">{err(F::CardCvc)}</p>
                </div>
            </div>
            <div class="field">
                <label for="card-name" class="field__label">{t("card.name")}</label>
                <input id="card-name" class="field__input" autocomplete="cc-name" aria-describedby="card-name-error"
                    aria-invalid=invalid(F::CardName) prop:value=move || fields.name.get()
                    on:input=move |ev| { fields.name.set(event_target_value(&ev)); recheck(F::CardName); }
                    on:blur=move |_| check(F::CardName)/>
                <p class="field-message" id="card-name-error">{err(F::CardName)}</p>
            </div>
        </div>
    }
}
