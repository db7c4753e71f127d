//! `/orders/:id`: one order: its status in a sentence, the line of steps, the
//! actions the core allows now, deadlines and countdowns, verification,
//! payment, the dispute, the return, feedback, tracking, every event newest first, and
//! what was bought. It refreshes by itself while open and announces a change
//! of status.
//!
//! Each section is a component of its own (the files beside this one); this
//! one loads the order, runs the buyer's actions, and keeps what the shopper
//! has open or typed ([`OrderForms`]) outside the part drawn from the order, so
//! a re-read (the refresh, Retry, the network coming back) rebuilds that part
//! around it.

mod buyer_actions;
mod confirmation;
mod dispute_section;
mod facts;
mod items;
mod return_section;
mod steps;
mod timeline;
mod verification;

// Also what tracking by number shows on the orders page.
pub use items::Tracking;
pub use timeline::Timeline;

use std::time::Duration;

use checkout_api::{BuyerAction, OrderApi};
use checkout_core::order::{BuyerActionKind as A, Order, OrderId, Verification as V};
use checkout_core::time::Timestamp;
use leptos::prelude::*;
use leptos::Params;
use leptos_router::hooks::use_params;
use leptos_router::params::Params;

use crate::api::polling::use_polling;
use crate::api::resource::use_api_resource;
use crate::api::{use_api, use_api_handle, ApiError};
use crate::browser;
use crate::components::announcer::announce;
use crate::components::evidence_picker::Picked;
use crate::components::feedback::{FeedbackForm, FeedbackShown};
use crate::components::order_status::{sentence_key, status_key, StatusBadge};
use crate::components::pay_panel::PayPanel;
use crate::components::{load_error::LoadError, title::use_title};
use crate::i18n::rules::api_error_text;
use crate::i18n::{format, t, tf};
use crate::pages::not_found::NotFoundContent;
use crate::state::form_draft::{CancelDraft, FeedbackDraft, ReturnSendDraft};
use crate::state::keys;

use buyer_actions::{ActionBar, ActionDialogs};
use confirmation::PlacedNotice;
use dispute_section::DisputeSection;
use facts::Facts;
use items::Items;
use return_section::ReturnSection;
use steps::StepLine;
use verification::{Verification, VerificationFailed};

/// How soon an open order page first asks for news, and the longest it waits
/// between asks as nothing changes.
const REFRESH_FIRST: Duration = Duration::from_secs(5);
const REFRESH_CAP: Duration = Duration::from_secs(60);

#[derive(Params, Clone, Debug, PartialEq)]
struct OrderParams {
    id: Option<String>,
}

/// What the buyer asks of the order: an action, or feedback with photos to
/// upload first.
#[derive(Clone)]
pub enum Intent {
    Act(BuyerAction),
    Feedback(FeedbackDraft, Vec<Picked>),
}

/// What the shopper has open or typed on this page, kept across re-reads of
/// the order; the cancellation reason and the feedback also for the session.
#[derive(Clone, Copy, PartialEq)]
pub struct OrderForms {
    pub cancel_open: RwSignal<bool>,
    pub request_open: RwSignal<bool>,
    pub confirm_open: RwSignal<bool>,
    pub cancel: RwSignal<CancelDraft>,
    pub feedback: RwSignal<FeedbackDraft>,
    pub photos: RwSignal<Vec<Picked>>,
    /// The return parcel's carrier and tracking number.
    pub send: RwSignal<ReturnSendDraft>,
}

impl OrderForms {
    fn new(id: &OrderId) -> OrderForms {
        OrderForms {
            cancel_open: RwSignal::new(false),
            request_open: RwSignal::new(false),
            confirm_open: RwSignal::new(false),
            cancel: CancelDraft::for_order(id),
            feedback: FeedbackDraft::for_order(id),
            photos: RwSignal::new(Vec::new()),
            send: ReturnSendDraft::for_order(id),
        }
    }

    /// After an action went through: the dialogs close, and what was sent is
    /// no longer a draft.
    fn done(self, intent: &Intent) {
        self.cancel_open.set(false);
        self.request_open.set(false);
        self.confirm_open.set(false);
        match intent {
            Intent::Act(BuyerAction::RequestCancellation { .. }) => self.cancel.set(CancelDraft::default()),
            Intent::Act(BuyerAction::SendReturn { .. }) => self.send.set(ReturnSendDraft::default()),
            Intent::Feedback(..) => {
                self.feedback.set(FeedbackDraft::default());
                self.photos.set(Vec::new());
            }
            Intent::Act(_) => {}
        }
    }
}

async fn run(api: std::rc::Rc<dyn OrderApi>, id: OrderId, intent: Intent) -> Result<Order, ApiError> {
    match intent {
        Intent::Act(action) => api.act(&id, action).await,
        Intent::Feedback(draft, photos) => {
            let mut ids = Vec::new();
            for p in &photos {
                ids.push(api.upload_evidence(&id, &p.upload()).await?.id);
            }
            let [item_stars, communication_stars, shipping_stars] = draft.stars;
            api.act(&id, BuyerAction::LeaveFeedback { item_stars, communication_stars, shipping_stars, text: draft.text, photos: ids })
                .await
        }
    }
}

#[component]
pub fn OrderPage() -> impl IntoView {
    let params = use_params::<OrderParams>();
    let id = Memo::new(move |_| OrderId(params.with(|p| p.as_ref().ok().and_then(|p| p.id.clone())).unwrap_or_default()));
    let forms = Memo::new(move |_| OrderForms::new(&id.get()));
    // A decline is said once, when the page opens from the checkout; kept
    // here so that a re-read does not lose it.
    let declined = browser::session_get(keys::DECLINED);
    browser::session_remove(keys::DECLINED);
    // Here at last: a reload of the checkout no longer needs to come here.
    crate::components::payment_method::forget_placed();

    let handle = use_api_handle();
    let action = Action::new_local(move |(id, intent): &(OrderId, Intent)| {
        let (api, id, intent) = (handle.get_value(), id.clone(), intent.clone());
        async move {
            let result = run(api, id, intent.clone()).await;
            if let Ok(o) = &result {
                // (The page may have gone while the action ran.)
                if let Some(forms) = forms.try_get_untracked() {
                    forms.done(&intent);
                }
                announce(tf("order.status_changed", &[("status", &t(status_key(o.status)))]));
            }
            result
        }
    });
    let busy = action.pending();
    let act = Callback::new(move |intent: Intent| {
        action.dispatch((id.get_untracked(), intent));
    });
    let error = Signal::derive(move || action.value().with(|v| v.as_ref().and_then(|r| r.as_ref().err()).map(api_error_text)));

    let api = use_api();
    let (data, retry) = use_api_resource(move || {
        let api = api.clone();
        let id = id.get();
        // Every action that went through changes the order: read it again.
        action.version().track();
        async move {
            let order = api.order(&id).await?;
            let now = api.now().await?;
            Ok::<_, ApiError>((order, now))
        }
    });
    let polling = use_polling(REFRESH_FIRST, REFRESH_CAP, move || retry.run(()));
    // Say a change of status that happened by itself, and ask again soon after one.
    Effect::new(move |prev: Option<Option<checkout_core::order::OrderStatus>>| {
        let status = data.get().and_then(|r| r.ok()).map(|(o, _)| o.status);
        if let (Some(Some(before)), Some(now)) = (prev, status) {
            if before != now {
                announce(tf("order.status_changed", &[("status", &t(status_key(now)))]));
                polling.reset();
            }
        }
        status
    });
    let title = RwSignal::new(t("order.loading_title"));
    use_title(move || title.get());
    let declined = StoredValue::new(declined);
    view! {
        <Transition fallback=|| view! { <div class="page order skeleton order-skeleton" aria-busy="true"></div> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((order, now)) => {
                        title.set(tf("order.title", &[("number", &order.number)]));
                        let declined = declined.get_value();
                        view! { <OrderView order=order now=now forms=forms.get_untracked() act=act busy=busy error=error declined=declined on_paid=retry/> }.into_any()
                    }
                    Err(ApiError::NotFound) => {
                        title.set(t("order.not_found_heading"));
                        view! { <NotFoundContent heading_key="order.not_found_heading" body_key="order.not_found_body"/> }.into_any()
                    }
                    Err(e) => view! { <div class="page"><LoadError error=e on_retry=retry/></div> }.into_any(),
                }
            })}
        </Transition>
        {move || { let forms = forms.get(); view! { <ActionDialogs forms=forms act=act busy=busy/> } }}
    }
}

/// Where a shopper reaches a person: an email naming the order.
#[component]
pub(super) fn SupportLink(number: String) -> impl IntoView {
    let subject = js_sys::encode_uri_component(&tf("support.subject", &[("number", &number)]));
    view! {
        <a class="button button--secondary" href=format!("mailto:{SUPPORT_EMAIL}?subject={subject}")>{t("support.contact")}</a>
    }
}

/// The support desk's address (the same on every order).
pub const SUPPORT_EMAIL: &str = "support@checkout.example";

/// "Visa ending 4242", or "a wallet".
pub(super) fn paid_with_text(method: &checkout_core::order::PaidWith) -> String {
    match method {
        checkout_core::order::PaidWith::Card { brand, last4 } => {
            tf("order.card_ending", &[("brand", &t(&format!("card.brand.{}", brand.slug()))), ("last4", last4)])
        }
        checkout_core::order::PaidWith::Wallet => t("order.wallet"),
    }
}


#[component]
fn OrderView(
    order: Order,
    now: Timestamp,
    forms: OrderForms,
    act: Callback<Intent>,
    #[prop(into)] busy: Signal<bool>,
    error: Signal<Option<String>>,
    declined: Option<String>,
    on_paid: Callback<()>,
) -> impl IntoView {
    let actions = order.actions(now);
    let paid = !actions.allowed(A::Pay);
    let sentence = t(sentence_key(&order, now));
    let send_feedback = Callback::new(move |_| {
        act.run(Intent::Feedback(forms.feedback.get_untracked(), forms.photos.get_untracked()));
    });
    view! {
        <div class="page order">
            <header class="order__header">
                <h1>{tf("order.title", &[("number", &order.number)])}</h1>
                <p class="order__meta">{order.seller_name.clone()} " · " {tf("order.placed_on", &[("date", &format::date_time(order.placed_at))])}</p>
                <StatusBadge status=order.status/>
                <p class="order__sentence" id="order-sentence">{sentence}</p>
            </header>
            <PlacedNotice order=order.clone() declined=declined paid=paid/>
            <StepLine order=order.clone()/>
            {move || error.get().map(|e| view! { <div class="notice notice--error" role="alert"><p>{e}</p></div> })}
            <ActionBar order_id=order.id.clone() actions=actions.clone() forms=forms act=act busy=busy/>
            {match order.verification(now) {
                Some(V::Running { overdue }) => view! { <Verification number=order.number.clone() overdue=overdue/> }.into_any(),
                Some(V::Failed) => view! { <VerificationFailed number=order.number.clone()/> }.into_any(),
                None => ().into_any(),
            }}
            {actions.allowed(A::Pay).then(|| view! { <PayPanel orders=vec![order.id.clone()] on_paid=on_paid/> })}
            {order.dispute.clone().map(|d| view! { <DisputeSection dispute=d actions=actions.clone() act=act busy=busy/> })}
            <ReturnSection order=order.clone() actions=actions.clone() forms=forms act=act busy=busy/>
            {actions.allowed(A::LeaveFeedback).then(|| view! {
                <section class="order-section" aria-labelledby="feedback-heading">
                    <h2 id="feedback-heading">{t("feedback.heading")}</h2>
                    <FeedbackForm draft=forms.feedback photos=forms.photos busy=busy on_send=send_feedback/>
                </section>
            })}
            {order.feedback.clone().map(|f| view! {
                <section class="order-section" aria-labelledby="feedback-heading">
                    <h2 id="feedback-heading">{t("feedback.yours")}</h2>
                    <FeedbackShown feedback=f/>
                </section>
            })}
            <Facts order=order.clone() actions=actions.clone() now=now/>
            {order.shipment.clone().map(|s| view! { <Tracking shipment=s/> })}
            <Timeline events=order.timeline.clone()/>
            <Items order=order/>
        </div>
    }
}
