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

/// What a screen reads from the order API: the answer once it is in (`get`,
/// `.await` inside a `Transition`), asked again with `refetch`.
///
/// In the browser it is a `LocalResource`. Drawn natively (`ssr`, the
/// server's renderer, `crate::render`), an answer that is there at the first
/// ask (the catalog the server holds) is drawn into the page; one that is not
/// leaves the screen's loading shell, as a `LocalResource` does there.
pub struct ApiResource<T: 'static> {
    loading: LocalResource<Result<T, ApiError>>,
    #[cfg(feature = "ssr")]
    at_once: StoredValue<Option<Result<T, ApiError>>, LocalStorage>,
}

impl<T: 'static> Clone for ApiResource<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: 'static> Copy for ApiResource<T> {}

impl<T: Clone + 'static> ApiResource<T> {
    /// The answer, if it is in (tracked).
    pub fn get(&self) -> Option<Result<T, ApiError>> {
        #[cfg(feature = "ssr")]
        if let Some(answer) = self.at_once.get_value() {
            return Some(answer);
        }
        self.loading.get()
    }

    /// The answer, if it is in, without tracking it.
    pub fn get_untracked(&self) -> Option<Result<T, ApiError>> {
        #[cfg(feature = "ssr")]
        if let Some(answer) = self.at_once.get_value() {
            return Some(answer);
        }
        self.loading.get_untracked()
    }

    /// Asks again.
    pub fn refetch(&self) {
        self.loading.refetch();
    }
}

#[cfg(not(feature = "ssr"))]
impl<T: Clone + 'static> std::future::IntoFuture for ApiResource<T> {
    type Output = Result<T, ApiError>;
    type IntoFuture = <LocalResource<Result<T, ApiError>> as std::future::IntoFuture>::IntoFuture;

    fn into_future(self) -> Self::IntoFuture {
        self.loading.into_future()
    }
}

#[cfg(feature = "ssr")]
impl<T: Clone + Send + 'static> std::future::IntoFuture for ApiResource<T> {
    type Output = Result<T, ApiError>;
    type IntoFuture = std::pin::Pin<Box<dyn Future<Output = Result<T, ApiError>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        match self.at_once.get_value() {
            Some(answer) => Box::pin(std::future::ready(answer)),
            // Never answers here: the surrounding `Transition` draws its fallback.
            None => Box::pin(self.loading.into_future()),
        }
    }
}

/// A resource over `fetch` (which reads the signals it depends on before its
/// `async` part), with the retries above, stopped when the screen goes; and
/// the callback of its Retry button.
pub fn use_api_resource<T, Fut>(fetch: impl Fn() -> Fut + 'static) -> (ApiResource<T>, Callback<()>)
where
    T: 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    #[cfg(feature = "ssr")]
    let at_once = StoredValue::new_local(answer_at_once(fetch()));
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
    let api_resource = ApiResource {
        loading: resource,
        #[cfg(feature = "ssr")]
        at_once,
    };
    (api_resource, Callback::new(move |_| resource.refetch()))
}

/// The answer of `fetch` if it is there at the first ask, without waiting.
#[cfg(feature = "ssr")]
fn answer_at_once<T>(fetch: impl Future<Output = Result<T, ApiError>>) -> Option<Result<T, ApiError>> {
    let fetch = std::pin::pin!(fetch);
    match fetch.poll(&mut std::task::Context::from_waker(std::task::Waker::noop())) {
        std::task::Poll::Ready(answer) => Some(answer),
        std::task::Poll::Pending => None,
    }
}
