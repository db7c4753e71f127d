//! The mock in the browser (localStorage, Date.now, setTimeout), each scenario
//! checked for the outcome it promises, through the same trait the screens use.

use std::cell::Cell;
use std::rc::Rc;

use checkout_app::api::browser_env::sleep;
use checkout_app::api::lazy_api::{download_failed, LazyApi};
use checkout_app::api::{ApiError, BrowserEnv, MockApi, MockConfig, OrderApi, Scenario};
use checkout_api::tokenizer::{CardDetails, MockTokenizer, Tokenizer};
use checkout_app::state::keys::MOCK_STATE as STATE_KEY;
use checkout_api::{AllOrders, PaymentMethod, PaymentOutcome, PlaceOrder, Placement, QuoteRequest};
use checkout_core::cart::Cart;
use checkout_core::catalog::ProductId;
use checkout_core::order::{CloseReason, DeclineReason, DisputeReason, DisputeState, OrderStatus, RefundRequest};
use checkout_core::time::{DAY, HOUR, MINUTE};
use checkout_core::validate::address::AddressInput;
use checkout_core::validate::card::Expiry;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn fresh(scenario: Scenario, latency_ms: u32) -> MockApi<BrowserEnv> {
    storage().remove_item(STATE_KEY).unwrap();
    MockApi::new(BrowserEnv, MockConfig { scenario, speed: 1, latency_ms: Some(latency_ms) })
}

async fn place(api: &MockApi<BrowserEnv>, card: &str) -> Result<Placement, ApiError> {
    place_with(api, card).await
}

async fn place_with(api: &dyn OrderApi, card: &str) -> Result<Placement, ApiError> {
    let catalog = MockApi::<BrowserEnv>::seed_catalog();
    let mut cart = Cart::default();
    cart.add(catalog.product(&ProductId("bamboo-desk-lamp".into())).unwrap(), None, 1).unwrap();
    let quote_req = QuoteRequest { cart, country: "US".into(), ..Default::default() };
    let quote = api.quote(&quote_req).await?;
    let details = CardDetails { number: card.into(), expiry: "12/30".into(), cvc: "123".into(), name: "Ana".into() };
    let token = MockTokenizer.tokenize(&details, Expiry { year: 2026, month: 11 }).await.unwrap();
    api.place_order(&PlaceOrder {
        idempotency_key: "5a0c9f7e-2b1d-4c3e-9f8a-7b6c5d4e3f21".into(),
        quote: quote_req,
        expected_total: quote.totals.total,
        address: AddressInput {
            country: "US".into(),
            given_name: "Ana".into(),
            family_name: "López".into(),
            line1: "1 Market St".into(),
            line2: String::new(),
            city: "San Francisco".into(),
            region: "CA".into(),
            postal_code: "94105".into(),
        },
        email: "ana@example.com".into(),
        phone: "+14155552671".into(),
        payment: PaymentMethod::Card(token),
    })
    .await
}

/// Places an order in `scenario`, moves the mock clock `skip` seconds, and
/// returns the order as the API then shows it.
async fn after(scenario: Scenario, skip: i64) -> checkout_core::order::Order {
    let api = fresh(scenario, 0);
    let placed = place(&api, "4242424242424242").await.unwrap();
    api.skip(skip);
    api.order(&placed.orders[0].id).await.unwrap()
}

#[wasm_bindgen_test]
async fn happy_path_delivers() {
    assert_eq!(after(Scenario::HappyPath, 12 * DAY).await.status, OrderStatus::Delivered);
}

#[wasm_bindgen_test]
async fn card_declined_scenarios_decline_with_their_reason() {
    for (s, reason) in [
        (Scenario::CardDeclined, DeclineReason::DoNotHonour),
        (Scenario::CardDeclinedInsufficientFunds, DeclineReason::InsufficientFunds),
        (Scenario::CardDeclinedExpired, DeclineReason::CardExpired),
    ] {
        let placed = place(&fresh(s, 0), "4242424242424242").await.unwrap();
        assert_eq!(placed.payment, PaymentOutcome::Declined { reason });
        assert_eq!(placed.orders[0].status, OrderStatus::AwaitingPayment);
    }
}

#[wasm_bindgen_test]
async fn three_d_secure_asks_for_a_challenge() {
    let placed = place(&fresh(Scenario::ThreeDsChallenge, 0), "4242424242424242").await.unwrap();
    assert!(matches!(placed.payment, PaymentOutcome::ChallengeRequired { .. }));
}

#[wasm_bindgen_test]
async fn verification_scenarios_take_their_time_or_fail() {
    let slow = after(Scenario::VerificationSlow, 25 * HOUR).await;
    assert_eq!(slow.status, OrderStatus::PaymentBeingVerified);
    let failed = after(Scenario::VerificationFailed, HOUR).await;
    assert_eq!(failed.status, OrderStatus::Closed(CloseReason::VerificationFailed));
}

#[wasm_bindgen_test]
async fn shipping_scenarios_close_delay_or_lose() {
    let missed = after(Scenario::SellerMissesShipBy, 10 * DAY).await;
    assert_eq!(missed.status, OrderStatus::Closed(CloseReason::SellerMissedShipBy));
    for s in [Scenario::ShipmentDelayed, Scenario::LostParcel] {
        let o = after(s, 10 * DAY).await;
        assert_eq!(o.status, OrderStatus::AwaitingDelivery);
        assert!(o.shipment.as_ref().unwrap().checkpoints.len() <= 2, "{s:?}");
    }
}

#[wasm_bindgen_test]
async fn dispute_scenarios_answer_as_promised() {
    for (s, expect_rejected) in [(Scenario::SellerRejectsDispute, true), (Scenario::SellerProposesPartialRefund, false)] {
        let api = fresh(s, 0);
        let id = place(&api, "4242424242424242").await.unwrap().orders[0].id.clone();
        api.skip(12 * DAY);
        api.open_dispute(&id, DisputeReason::Damaged, RefundRequest::Full, "The lamp arrived with a broken arm.".into(), vec![])
            .await
            .unwrap();
        api.skip(2 * DAY);
        let state = api.order(&id).await.unwrap().dispute.unwrap().state;
        if expect_rejected {
            assert_eq!(state, DisputeState::SellerRejected);
        } else {
            assert!(matches!(state, DisputeState::SellerProposed(_)), "{state:?}");
        }
    }
}

#[wasm_bindgen_test]
async fn network_scenarios_are_slow_flaky_or_offline() {
    assert_eq!(fresh(Scenario::Offline, 0).catalog().await, Err(ApiError::Offline));
    let flaky = fresh(Scenario::ApiFlaky, 0);
    let mut failed = 0;
    for _ in 0..60 {
        if flaky.catalog().await.is_err() {
            failed += 1;
        }
    }
    assert!(failed > 0 && failed < 40, "{failed} of 60 failed");
    // api-slow: a real delay on the browser's timer.
    let slow = MockApi::new(BrowserEnv, MockConfig { scenario: Scenario::ApiSlow, speed: 1, latency_ms: None });
    let start = js_sys::Date::now();
    slow.catalog().await.unwrap();
    assert!(js_sys::Date::now() - start >= 2_000.0);
}

#[wasm_bindgen_test]
async fn orders_persist_in_local_storage_across_a_new_mock() {
    let api = fresh(Scenario::HappyPath, 0);
    let placed = place(&api, "4242424242424242").await.unwrap();
    assert!(storage().get_item(STATE_KEY).unwrap().is_some());
    let reloaded = MockApi::new(BrowserEnv, MockConfig { latency_ms: Some(0), ..Default::default() });
    assert_eq!(reloaded.order(&placed.orders[0].id).await.unwrap().id, placed.orders[0].id);
    // No card number is kept anywhere in storage.
    let raw = storage().get_item(STATE_KEY).unwrap().unwrap();
    assert!(!raw.contains("4242424242424242"));
    api.skip(MINUTE);
}

/// A mock whose rest (the orders) loads on first use, as in the split release
/// bundle; `fails` loads fail before one succeeds. Returns it and how many
/// loads were started.
fn lazy(fails: u32) -> (Rc<LazyApi>, Rc<Cell<u32>>) {
    storage().remove_item(STATE_KEY).unwrap();
    let config = MockConfig { scenario: Scenario::HappyPath, speed: 1, latency_ms: Some(0) };
    let loads = Rc::new(Cell::new(0));
    let counted = loads.clone();
    let mock = LazyApi::mock(config, move || {
        counted.set(counted.get() + 1);
        let attempt = counted.get();
        Box::pin(async move {
            // A download takes a moment, so calls made meanwhile overlap it.
            sleep(50).await;
            if attempt <= fails {
                return Err(download_failed());
            }
            Ok(Rc::new(MockApi::new(BrowserEnv, config)) as Rc<dyn OrderApi>)
        })
    });
    (Rc::new(mock), loads)
}

#[wasm_bindgen_test]
async fn the_lazy_mock_shows_the_catalog_before_loading_the_orders_and_loads_them_once() {
    let (api, loads) = lazy(0);
    let catalog = api.catalog().await.unwrap();
    assert_eq!(catalog, MockApi::<BrowserEnv>::seed_catalog());
    assert!(api.product(&ProductId("bamboo-desk-lamp".into())).await.is_ok());
    assert_eq!(loads.get(), 0, "the catalog and a product need only the shopfront");
    assert!(!api.is_loaded());

    // Two screens asking at once share one load: one mock, one saved state.
    let other = api.clone();
    let listed = Rc::new(Cell::new(None));
    let result = listed.clone();
    wasm_bindgen_futures::spawn_local(async move { result.set(Some(other.all_orders().await.map(|o| o.len()).unwrap_or(0))) });
    let now = api.now().await.unwrap();
    while listed.get().is_none() {
        sleep(10).await;
    }
    assert!(listed.get().unwrap() > 0, "the seeded orders are listed");
    assert_eq!(loads.get(), 1);
    assert!(api.is_loaded());

    let placed = place_with(&*api, "4242424242424242").await.unwrap();
    assert_eq!(placed.payment, PaymentOutcome::Authorised);
    assert_eq!(api.order(&placed.orders[0].id).await.unwrap().id, placed.orders[0].id);
    assert!(api.now().await.unwrap() >= now);
    assert_eq!(loads.get(), 1, "once loaded, it is not loaded again");
}

#[wasm_bindgen_test]
async fn a_lazy_mock_that_cannot_load_says_why_and_loads_at_the_next_call() {
    let (api, loads) = lazy(1);
    let refused = api.all_orders().await.unwrap_err();
    assert_eq!(refused, ApiError::Unavailable { retry_after_ms: None });
    assert!(refused.is_retryable(), "the screen offers Retry");
    assert!(api.catalog().await.is_ok(), "the catalog still shows");
    assert!(!api.is_loaded());
    assert!(!api.all_orders().await.unwrap().is_empty(), "the next call loads it");
    assert_eq!(loads.get(), 2);
}
