//! Asking the API for news while a screen is open (a payment being verified, a
//! parcel on its way): the wait between asks grows by half each time up to a
//! cap, starts short again when something changed, pauses while the tab is
//! hidden (and asks at once when it is shown again), and stops when the screen
//! goes away.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// The next wait after `current`: half as long again, never above `cap`.
pub fn next_delay(current: Duration, cap: Duration) -> Duration {
    (current + current / 2).min(cap)
}

struct Inner {
    first: Duration,
    cap: Duration,
    delay: Cell<Duration>,
    /// The pending timeout, if any.
    timer_id: Cell<Option<i32>>,
    stopped: Cell<bool>,
    tick: Box<dyn Fn()>,
    /// One callback for every timeout, made once and dropped with the screen:
    /// a callback per timeout would stay allocated whenever its timeout is
    /// cleared before it fires (wasm-bindgen frees a one-shot only on its call).
    callback: RefCell<Option<Closure<dyn FnMut()>>>,
}

fn hidden() -> bool {
    crate::browser::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Hidden)
}

impl Inner {
    fn clear(&self) {
        if let (Some(id), Some(w)) = (self.timer_id.take(), crate::browser::window()) {
            w.clear_timeout_with_handle(id);
        }
    }

    fn schedule(&self) {
        self.clear();
        if self.stopped.get() || hidden() {
            return;
        }
        let (Some(w), Some(cb)) = (crate::browser::window(), self.callback.borrow().as_ref().map(|c| c.as_ref().clone())) else { return };
        let ms = self.delay.get().as_millis().min(i32::MAX as u128) as i32;
        self.timer_id.set(w.set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), ms).ok());
    }
}

/// A handle to the polling of the current screen.
#[derive(Clone, Copy)]
pub struct Polling {
    inner: StoredValue<SendWrapper<Rc<Inner>>>,
}

impl Polling {
    /// Something changed: ask again soon, then slow down again.
    pub fn reset(&self) {
        self.inner.with_value(|i| {
            i.delay.set(i.first);
            i.schedule();
        });
    }

    /// The wait before the next ask.
    pub fn delay(&self) -> Duration {
        self.inner.with_value(|i| i.delay.get())
    }
}

/// Calls `tick` after `first`, then at growing intervals up to `cap`, while
/// the current screen is open and the tab visible.
pub fn use_polling(first: Duration, cap: Duration, tick: impl Fn() + 'static) -> Polling {
    let inner = Rc::new(Inner {
        first,
        cap,
        delay: Cell::new(first),
        timer_id: Cell::new(None),
        stopped: Cell::new(false),
        tick: Box::new(tick),
        callback: RefCell::new(None),
    });
    let weak = Rc::downgrade(&inner);
    *inner.callback.borrow_mut() = Some(Closure::<dyn FnMut()>::new(move || {
        let Some(this) = weak.upgrade() else { return };
        this.timer_id.set(None);
        if this.stopped.get() || hidden() {
            return;
        }
        (this.tick)();
        this.delay.set(next_delay(this.delay.get(), this.cap));
        this.schedule();
    }));
    inner.schedule();

    // Shown again: ask at once and start the waits over; hidden: the next
    // timer sees it and stops.
    let on_visibility = {
        let inner = Rc::clone(&inner);
        Closure::<dyn Fn()>::new(move || {
            if !hidden() && !inner.stopped.get() {
                (inner.tick)();
                inner.delay.set(inner.first);
                inner.schedule();
            }
        })
    };
    let document = crate::browser::window().and_then(|w| w.document());
    if let Some(d) = &document {
        let _ = d.add_event_listener_with_callback("visibilitychange", on_visibility.as_ref().unchecked_ref());
    }
    let cleanup = SendWrapper::new((Rc::clone(&inner), on_visibility, document));
    on_cleanup(move || {
        let (inner, on_visibility, document) = cleanup.take();
        inner.stopped.set(true);
        inner.clear();
        inner.callback.borrow_mut().take();
        if let Some(d) = document {
            let _ = d.remove_event_listener_with_callback("visibilitychange", on_visibility.as_ref().unchecked_ref());
        }
    });
    Polling { inner: StoredValue::new(SendWrapper::new(inner)) }
}
