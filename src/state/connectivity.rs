//! Whether the browser is online, for the whole app: a notice while offline
//! (everything typed stays where it is, the cart and the checkout draft are
//! stored), and, when the network is back, every screen asks for its data
//! again by itself (resources track [`Connectivity::back_online`]).

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

#[derive(Clone, Copy)]
pub struct Connectivity {
    pub online: RwSignal<bool>,
    /// Counts the returns to online; tracked by resources to load again.
    pub back_online: RwSignal<u32>,
}

impl Connectivity {
    /// Makes a resource load again when the network comes back.
    pub fn track(&self) {
        self.back_online.track();
    }
}

pub fn provide_connectivity() -> Connectivity {
    let online = crate::browser::online();
    let c = Connectivity { online: RwSignal::new(online), back_online: RwSignal::new(0) };
    provide_context(c);
    if let Some(window) = crate::browser::window() {
        let on = Closure::<dyn Fn()>::new(move || {
            c.online.set(true);
            c.back_online.update(|n| *n += 1);
        });
        let off = Closure::<dyn Fn()>::new(move || c.online.set(false));
        let _ = window.add_event_listener_with_callback("online", on.as_ref().unchecked_ref());
        let _ = window.add_event_listener_with_callback("offline", off.as_ref().unchecked_ref());
        let listeners = send_wrapper::SendWrapper::new((window, on, off));
        on_cleanup(move || {
            let (window, on, off) = listeners.take();
            let _ = window.remove_event_listener_with_callback("online", on.as_ref().unchecked_ref());
            let _ = window.remove_event_listener_with_callback("offline", off.as_ref().unchecked_ref());
        });
    }
    c
}

/// The app's connectivity; a lone component in a test gets an always-online one.
pub fn use_connectivity() -> Connectivity {
    use_context::<Connectivity>().unwrap_or_else(|| Connectivity { online: RwSignal::new(true), back_online: RwSignal::new(0) })
}
