//! A modal confirmation on the browser's own `<dialog>`: `showModal()` keeps
//! focus inside and makes the page behind inert, Escape closes it, and focus
//! returns to the control that opened it.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

#[component]
pub fn ConfirmDialog(
    /// Whether the dialog is open; set to false when it closes.
    open: RwSignal<bool>,
    /// A page-unique id; the title gets `<id>-title`.
    id: &'static str,
    #[prop(into)] title: String,
    children: Children,
    #[prop(into)] confirm_label: String,
    #[prop(into)] cancel_label: String,
    on_confirm: Callback<()>,
    /// Disables the confirm button (a request in flight, a choice missing).
    #[prop(into, optional)]
    busy: Signal<bool>,
) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    let opener = StoredValue::new_local(None::<web_sys::HtmlElement>);
    Effect::new(move |_| {
        let Some(d) = dialog.get() else { return };
        if open.get() {
            if !d.open() {
                let active = crate::browser::window()
                    .and_then(|w| w.document())
                    .and_then(|doc| doc.active_element())
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
                opener.set_value(active);
                let _ = d.show_modal();
            }
        } else if d.open() {
            d.close();
        }
    });
    let on_close = move |_| {
        open.set(false);
        if let Some(el) = opener.get_value() {
            let _ = el.focus();
        }
    };
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    view! {
        <dialog node_ref=dialog id=id class="dialog" aria-labelledby=labelled_by on:close=on_close>
            <h2 class="dialog__title" id=title_id>{title}</h2>
            <div class="dialog__body">{children()}</div>
            <div class="dialog__actions">
                <button type="button" class="button button--secondary" on:click=move |_| open.set(false)>{cancel_label}</button>
                <button type="button" class="button button--primary" disabled=move || busy.get()
                    on:click=move |_| on_confirm.run(())>{confirm_label}</button>
            </div>
        </dialog>
    }
}
