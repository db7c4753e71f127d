//! Reading from the order API the way every screen does: the answer is asked
//! for again when the network comes back, and by itself, a little later each
//! time, after a failure on the way (the service unavailable, no answer in
//! time), so a passing fault heals without the shopper. A refusal (not found,
//! a refused coupon) is not asked again: it would answer the same. The Retry
//! button next to an error asks at once.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::rc::Rc;

use leptos::prelude::*;
use send_wrapper::SendWrapper;

use super::ApiError;
use crate::browser::Timeout;
use crate::state::connectivity::use_connectivity;

/// Asks again by itself after 1, 2, 4, 8 and 16 seconds, then leaves it to
/// the Retry button. An answer resets the count.
pub const AUTO_RETRIES: u32 = 5;
const FIRST_WAIT_MS: u32 = 1_000;

/// The wait before the automatic ask number `n` (from 0).
pub fn retry_wait_ms(n: u32) -> u32 {
    FIRST_WAIT_MS.saturating_mul(1 << n.min(16))
}

struct Retrying {
    done: Cell<u32>,
    pending: RefCell<Option<Timeout>>,
}

/// A resource over `fetch` (which reads the signals it depends on before its
/// `async` part), with the retries above, stopped when the screen goes; and
/// the callback of its Retry button.
pub fn use_api_resource<T, Fut>(fetch: impl Fn() -> Fut + 'static) -> (LocalResource<Result<T, ApiError>>, Callback<()>)
where
    T: 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    let connectivity = use_connectivity();
    let resource = LocalResource::new(move || {
        connectivity.track();
        fetch()
    });
    let state = Rc::new(Retrying { done: Cell::new(0), pending: RefCell::new(None) });
    {
        let state = Rc::clone(&state);
        Effect::new(move |_| {
            let (failed, answered) = resource.with(|r| match r {
                Some(Err(e)) => (e.is_retryable(), false),
                Some(Ok(_)) => (false, true),
                None => (false, false),
            });
            if answered {
                state.done.set(0);
            }
            if failed && state.done.get() < AUTO_RETRIES {
                let wait = retry_wait_ms(state.done.get());
                state.done.set(state.done.get() + 1);
                *state.pending.borrow_mut() = Some(Timeout::new(wait, move || resource.refetch()));
            }
        });
    }
    // The screen going away clears a pending ask.
    let state = SendWrapper::new(state);
    on_cleanup(move || {
        state.pending.borrow_mut().take();
    });
    (resource, Callback::new(move |_| resource.refetch()))
}
