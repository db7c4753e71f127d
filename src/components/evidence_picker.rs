//! Picking photos and a video for a dispute (or feedback): each file's type is
//! read from its first bytes, sizes and count are checked by the core rules, a
//! preview is shown, and any file can be removed before sending. Nothing is
//! uploaded here; the form sends the accepted files.

use checkout_core::evidence::{check_files, sniff, EvidenceError, EvidenceFile, EvidenceKind, SNIFF_BYTES};
use checkout_api::{EvidenceUpload, FileContent};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;

use crate::i18n::{t, tf};

/// A picked file: what the checks need, and the browser's handle for upload
/// and preview.
#[derive(Clone)]
pub struct Picked {
    pub file: EvidenceFile,
    pub kind: Option<EvidenceKind>,
    pub head: Vec<u8>,
    pub preview_url: String,
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    blob: SendWrapper<web_sys::File>,
}

impl Picked {
    /// The file as the order API takes it: the browser sends its content.
    pub fn upload(&self) -> EvidenceUpload {
        #[cfg(target_arch = "wasm32")]
        let content = FileContent::Blob(web_sys::Blob::clone(&self.blob));
        // Natively (the server's renderer) no file is ever picked.
        #[cfg(not(target_arch = "wasm32"))]
        let content = FileContent::Bytes(std::sync::Arc::from(self.head.as_slice()));
        EvidenceUpload { name: self.file.name.clone(), bytes: self.file.bytes, head: self.head.clone(), content }
    }
}

fn error_text(e: &EvidenceError) -> String {
    let name = match e {
        EvidenceError::WrongType { name }
        | EvidenceError::ContentMismatch { name }
        | EvidenceError::TooLarge { name, .. }
        | EvidenceError::Empty { name }
        | EvidenceError::SecondVideo { name } => name.clone(),
        EvidenceError::TooMany { .. } => String::new(),
    };
    tf(e.message_key(), &[("name", &name)])
}

/// The problems with the files as they stand, in words.
pub fn problems(files: &[Picked]) -> Vec<String> {
    let list: Vec<EvidenceFile> = files.iter().map(|p| p.file.clone()).collect();
    match check_files(&list) {
        Ok(()) => Vec::new(),
        Err(errors) => errors.iter().map(error_text).collect(),
    }
}

async fn read_head(file: &web_sys::File) -> Vec<u8> {
    let Ok(blob) = file.slice_with_i32_and_i32(0, SNIFF_BYTES as i32) else { return Vec::new() };
    match wasm_bindgen_futures::JsFuture::from(blob.array_buffer()).await {
        Ok(buf) => js_sys::Uint8Array::new(&buf).to_vec(),
        Err(_) => Vec::new(),
    }
}

#[component]
pub fn EvidencePicker(
    /// The input's id, for its label and error links.
    id: &'static str,
    files: RwSignal<Vec<Picked>>,
    #[prop(into)] label: String,
) -> impl IntoView {
    let on_change = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(list) = input.files() else { return };
        let picked: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        // Let the same file be picked again after removing it.
        input.set_value("");
        leptos::task::spawn_local(async move {
            for f in picked {
                let head = read_head(&f).await;
                let kind = sniff(&head);
                let preview_url = web_sys::Url::create_object_url_with_blob(&f).unwrap_or_default();
                let file = EvidenceFile { name: f.name(), bytes: f.size() as u64, content: kind };
                files.update(|v| v.push(Picked { file, kind, head, preview_url, blob: SendWrapper::new(f) }));
            }
        });
    };
    let remove = move |index: usize| {
        files.update(|v| {
            if index < v.len() {
                let p = v.remove(index);
                let _ = web_sys::Url::revoke_object_url(&p.preview_url);
            }
        });
    };
    on_cleanup(move || {
        for p in files.get_untracked() {
            let _ = web_sys::Url::revoke_object_url(&p.preview_url);
        }
    });
    let errors_id = format!("{id}-errors");
    view! {
        <div class="evidence">
            <label for=id class="field__label">{label}</label>
            <p class="field__hint" id=format!("{id}-hint")>{t("evidence.hint")}</p>
            <input id=id type="file" multiple accept="image/jpeg,image/png,image/webp,video/mp4,video/webm"
                aria-describedby=format!("{id}-hint {errors_id}") on:change=on_change/>
            <ul class="evidence__list" aria-label=t("evidence.list_label")>
                {move || files.get().into_iter().enumerate().map(|(i, p)| {
                    let is_image = p.kind.is_some_and(|k| !k.is_video());
                    let is_video = p.kind.is_some_and(|k| k.is_video());
                    let name = p.file.name.clone();
                    view! {
                        <li class="evidence__item" data-testid="evidence-item">
                            {is_image.then(|| view! { <img src=p.preview_url.clone() width="72" height="72" alt=""/> })}
                            {is_video.then(|| view! { <video src=p.preview_url.clone() width="72" height="72" muted=true preload="metadata"></video> })}
                            <span class="evidence__name">{name.clone()}</span>
                            <button type="button" class="button button--link" aria-label=tf("evidence.remove", &[("name", &name)])
                                on:click=move |_| remove(i)>{t("action.remove")}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <ul class="field-errors" id=errors_id role="alert">
                {move || problems(&files.get()).into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}
            </ul>
        </div>
    }
}
