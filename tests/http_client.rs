//! The HTTP order API in the browser: the page's meta tag picks it, requests go
//! through the real `fetch` (replaced here by a scripted stand-in that answers
//! like the server would), with the buyer token, time limits, retries on 503,
//! unreadable answers as errors, and requests aborted when their screen goes.

mod support;

use std::rc::Rc;

use checkout_api::http::{HttpApi, RetryPolicy};
use checkout_api::AllOrders;
use checkout_app::api::http_transport::{BrowserTokenStore, FetchTransport, BUYER_TOKEN_KEY};
use checkout_app::api::{backend_from, Backend, OrderApi};
use checkout_app::api::polling::next_delay;
use support::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Replaces `window.fetch` with a script: `routes` maps "METHOD /path" to a
/// list of answers `[status, body, retryAfter]` used in turn (the last one
/// repeats); status 0 never answers (until aborted). Calls are recorded in
/// `window.__calls` as {key, auth, body, aborted}.
fn stub_fetch(routes: &str) {
    let script = format!(
        r#"
        window.__realFetch = window.__realFetch || window.fetch;
        window.__calls = [];
        const routes = {routes};
        window.fetch = async function (req) {{
            const url = new URL(req.url);
            const key = req.method + ' ' + url.pathname;
            const call = {{ key, auth: req.headers.get('authorization'), body: await req.text(), aborted: false }};
            window.__calls.push(call);
            const list = routes[key] || [[404, '{{"error":"not_found"}}']];
            const [status, body, retryAfter] = list.length > 1 ? list.shift() : list[0];
            if (status === 0) {{
                return new Promise((_, reject) => req.signal.addEventListener('abort', () => {{
                    call.aborted = true;
                    reject(new DOMException('aborted', 'AbortError'));
                }}));
            }}
            const headers = {{ 'content-type': 'application/json' }};
            if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
            return new Response(body, {{ status, headers }});
        }};"#
    );
    js_sys::Function::new_no_args(&script).call0(&JsValue::NULL).unwrap();
}

fn calls() -> Vec<(String, Option<String>, bool)> {
    let calls = js_sys::Reflect::get(&web_sys::window().unwrap(), &"__calls".into()).unwrap();
    js_sys::Array::from(&calls)
        .iter()
        .map(|c| {
            let get = |k: &str| js_sys::Reflect::get(&c, &k.into()).unwrap();
            (get("key").as_string().unwrap(), get("auth").as_string(), get("aborted").as_bool().unwrap_or(false))
        })
        .collect()
}

fn api(policy: RetryPolicy) -> HttpApi<FetchTransport, BrowserTokenStore> {
    HttpApi::with_policy(FetchTransport, "/api", BrowserTokenStore, policy)
}

fn quick() -> RetryPolicy {
    RetryPolicy { attempts: 3, base_ms: 5, cap_ms: 50, timeout_ms: 2_000 }
}

#[wasm_bindgen_test]
fn the_meta_tag_picks_the_mock_or_a_server_and_refuses_anything_else() {
    assert_eq!(backend_from(None), Ok(Backend::Mock));
    assert_eq!(backend_from(Some("mock")), Ok(Backend::Mock));
    assert_eq!(backend_from(Some(" ")), Ok(Backend::Mock));
    assert_eq!(backend_from(Some("/api/")), Ok(Backend::Http("/api".into())));
    assert_eq!(backend_from(Some("https://orders.example.com/v1")), Ok(Backend::Http("https://orders.example.com/v1".into())));
    for bad in ["//evil.example/api", "javascript:alert(1)", "api", "/api with space", "ftp://x"] {
        let problem = backend_from(Some(bad)).unwrap_err();
        assert!(problem.contains("using the mock"), "{bad}: {problem}");
    }
}

#[wasm_bindgen_test]
fn polling_slows_down_by_half_each_time_up_to_its_cap() {
    use std::time::Duration;
    let cap = Duration::from_secs(60);
    let mut d = Duration::from_secs(5);
    let mut seen = vec![d.as_secs()];
    for _ in 0..8 {
        d = next_delay(d, cap);
        seen.push(d.as_millis() as u64 / 1000);
    }
    assert_eq!(seen, [5, 7, 11, 16, 25, 37, 56, 60, 60]);
}

#[wasm_bindgen_test]
async fn a_buyer_token_is_made_once_kept_and_sent_with_every_call() {
    storage().remove_item(BUYER_TOKEN_KEY).unwrap();
    stub_fetch(r#"{ "POST /api/buyers": [[201, '{"token":"tok-abc_123"}']], "GET /api/orders": [[200, '{"orders":[],"page":1,"pages":1}']] }"#);
    let api = api(quick());
    assert_eq!(api.all_orders().await, Ok(vec![]));
    assert_eq!(api.all_orders().await, Ok(vec![]));
    let c = calls();
    assert_eq!(c.iter().filter(|(k, _, _)| k == "POST /api/buyers").count(), 1, "{c:?}");
    assert!(c.iter().filter(|(k, _, _)| k == "GET /api/orders").all(|(_, auth, _)| auth.as_deref() == Some("Bearer tok-abc_123")));
    assert_eq!(storage().get_item(BUYER_TOKEN_KEY).unwrap().as_deref(), Some("tok-abc_123"));
}

#[wasm_bindgen_test]
async fn a_503_with_retry_after_is_retried_and_an_unreadable_answer_is_an_error() {
    stub_fetch(r#"{ "GET /api/now": [[503, '{"error":"unavailable","retry_after_ms":10}', 0], [200, '1793491200']],
                  "GET /api/catalog": [[200, '<html>not json</html>']] }"#);
    let api = api(quick());
    assert_eq!(api.now().await.map(|t| t.0), Ok(1_793_491_200));
    assert_eq!(calls().iter().filter(|(k, _, _)| k == "GET /api/now").count(), 2);
    match api.catalog().await {
        Err(checkout_app::api::ApiError::BadResponse { .. }) => {}
        other => panic!("expected an unreadable answer, got {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn a_call_with_no_answer_times_out() {
    stub_fetch(r#"{ "GET /api/now": [[0, '']] }"#);
    let api = api(RetryPolicy { attempts: 1, base_ms: 5, cap_ms: 50, timeout_ms: 100 });
    assert_eq!(api.now().await, Err(checkout_app::api::ApiError::TimedOut));
    assert!(calls()[0].2, "the request was aborted, not left running");
}

#[wasm_bindgen_test]
async fn leaving_a_screen_aborts_what_it_asked_for() {
    storage().set_item(BUYER_TOKEN_KEY, "tok-screen").unwrap();
    stub_fetch(r#"{ "GET /api/orders/ord_1": [[0, '']], "GET /api/now": [[0, '']] }"#);
    let http: Rc<dyn OrderApi> = Rc::new(api(quick()));
    let host: web_sys::HtmlElement = wasm_bindgen::JsCast::unchecked_into(document().create_element("div").unwrap());
    document().body().unwrap().append_child(&host).unwrap();
    web_sys::window().unwrap().history().unwrap().replace_state_with_url(&JsValue::NULL, "", Some("/orders/ord_1")).unwrap();
    let handle = leptos::mount::mount_to(host.clone(), move || {
        use leptos::prelude::*;
        view! { <checkout_app::AppWith api=http.clone()/> }
    });
    for _ in 0..50 {
        if !calls().is_empty() {
            break;
        }
        sleep(10).await;
    }
    assert_eq!(calls().len(), 1, "the order page asked for its order: {:?}", calls());
    assert!(!calls()[0].2);
    drop(handle);
    host.remove();
    sleep(20).await;
    assert!(calls()[0].2, "the order request was aborted when the page went away");
}

#[wasm_bindgen_test]
async fn a_screen_that_asks_many_times_has_only_what_is_still_open_aborted_when_it_goes() {
    storage().set_item(BUYER_TOKEN_KEY, "tok-scope").unwrap();
    stub_fetch(r#"{ "GET /api/now": [[200, '1793491200'], [200, '1793491200'], [0, '']] }"#);
    let http = Rc::new(api(quick()));
    let owner = leptos::prelude::Owner::new();
    let answered = Rc::new(std::cell::Cell::new(0));
    for i in 0..3 {
        let (http, answered) = (http.clone(), answered.clone());
        owner.with(|| {
            leptos::task::spawn_local(leptos::reactive::computed::ScopedFuture::new(async move {
                sleep(i * 40).await;
                if http.now().await.is_ok() {
                    answered.set(answered.get() + 1);
                }
            }))
        });
    }
    for _ in 0..100 {
        if calls().len() == 3 {
            break;
        }
        sleep(10).await;
    }
    assert_eq!((calls().len(), answered.get()), (3, 2), "two answered, one still open: {:?}", calls());
    assert!(calls().iter().all(|c| !c.2), "nothing aborted while the screen is there");
    owner.cleanup();
    sleep(20).await;
    let c = calls();
    assert_eq!(c.iter().filter(|c| c.2).count(), 1, "only the open request was aborted: {c:?}");
}

/// Mounts the whole app at `path` over `http`.
fn mount_http(path: &str, http: Rc<dyn OrderApi>) -> (Box<dyn std::any::Any>, web_sys::HtmlElement) {
    let host: web_sys::HtmlElement = wasm_bindgen::JsCast::unchecked_into(document().create_element("div").unwrap());
    document().body().unwrap().append_child(&host).unwrap();
    web_sys::window().unwrap().history().unwrap().replace_state_with_url(&JsValue::NULL, "", Some(path)).unwrap();
    let handle = leptos::mount::mount_to(host.clone(), move || {
        use leptos::prelude::*;
        view! { <checkout_app::AppWith api=http.clone()/> }
    });
    (Box::new(handle), host)
}

fn count(key: &str) -> usize {
    calls().iter().filter(|(k, _, _)| k == key).count()
}

#[wasm_bindgen_test]
async fn a_screen_asks_again_by_itself_after_a_passing_fault_but_not_after_a_refusal() {
    use checkout_app::api::resource::retry_wait_ms;
    assert_eq!((0..5).map(retry_wait_ms).collect::<Vec<_>>(), [1_000, 2_000, 4_000, 8_000, 16_000]);
    storage().set_item(BUYER_TOKEN_KEY, "tok-heal").unwrap();
    let catalog = serde_json::to_string(&marketplace::world::catalog()).unwrap();
    let catalog = catalog.replace('\\', "\\\\").replace('\'', "\\'");
    stub_fetch(&format!(
        r#"{{ "GET /api/catalog": [[503, '{{"error":"unavailable"}}'], [503, '{{"error":"unavailable"}}'], [200, '{catalog}']] }}"#
    ));
    // The client itself tries once, so what heals is the screen asking again.
    let once = RetryPolicy { attempts: 1, base_ms: 5, cap_ms: 50, timeout_ms: 2_000 };
    let (handle, host) = mount_http("/", Rc::new(api(once)));
    for _ in 0..100 {
        if host.query_selector_all(".product-card:not(.product-card--skeleton)").unwrap().length() > 0 {
            break;
        }
        sleep(50).await;
    }
    assert_eq!(count("GET /api/catalog"), 3, "asked at once, after 1 s and after 2 s more: {:?}", calls());
    assert!(host.query_selector_all(".product-card:not(.product-card--skeleton)").unwrap().length() > 0, "the catalog healed without Retry");
    drop(handle);
    host.remove();

    // A product that is not there is not asked for again.
    stub_fetch(r#"{ "GET /api/products/nope": [[404, '{"error":"not_found"}']] }"#);
    let (handle, host) = mount_http("/products/nope", Rc::new(api(once)));
    sleep(2_500).await;
    assert_eq!(count("GET /api/products/nope"), 1, "{:?}", calls());
    drop(handle);
    host.remove();
}

#[wasm_bindgen_test]
async fn going_offline_says_so_keeps_what_was_typed_and_coming_back_loads_again() {
    let app = mount_at("/checkout", Some(r#"{"version":1,"lines":[{"product_id":"headlamp","quantity":1,"name":"Headlamp"}]}"#), |_| {}).await;
    app.wait_for("#co-given").await;
    app.type_into("#co-given", "Ana").await;
    let notice = || app.one(".offline-notice");
    assert!(notice().has_attribute("hidden"));
    let window = web_sys::window().unwrap();
    window.dispatch_event(&web_sys::Event::new("offline").unwrap()).unwrap();
    settle().await;
    assert!(!notice().has_attribute("hidden"), "the offline notice shows");
    assert!(app.text(".offline-notice").starts_with("You're offline"));
    assert_eq!(app.input_value("#co-given"), "Ana", "what was typed stays");
    window.dispatch_event(&web_sys::Event::new("online").unwrap()).unwrap();
    settle().await;
    assert!(notice().has_attribute("hidden"));
    for _ in 0..50 {
        if app.text("#announcer") == "You're back online." {
            break;
        }
        sleep(10).await;
    }
    assert_eq!(app.text("#announcer"), "You're back online.");
    assert_eq!(app.input_value("#co-given"), "Ana");
}

#[wasm_bindgen_test]
async fn a_price_that_failed_on_the_network_is_asked_for_again_by_itself() {
    use checkout_app::api::{BrowserEnv, MockApi, MockConfig};
    const CART: &str = r#"{"version":1,"lines":[{"product_id":"headlamp","quantity":1,"name":"Headlamp"}]}"#;
    storage().clear().unwrap();
    storage().set_item(checkout_app::state::keys::CART, CART).unwrap();
    // A real quote for that cart, from the mock, for the scripted server to give.
    let mock = MockApi::new(BrowserEnv, MockConfig { latency_ms: Some(0), ..Default::default() });
    let request = checkout_api::QuoteRequest {
        cart: serde_json::from_str(CART).unwrap(),
        country: "US".into(),
        ..Default::default()
    };
    let quote = serde_json::to_string(&mock.quote(&request).await.unwrap()).unwrap();
    let busy = r#"[503, '{"error":"unavailable","retry_after_ms":1}', 0]"#;
    stub_fetch(&format!("{{ \"POST /api/quote\": [{busy}, {busy}, {busy}, [200, {quote:?}]] }}"));
    let http: Rc<dyn OrderApi> = Rc::new(api(quick()));
    let host: web_sys::HtmlElement = wasm_bindgen::JsCast::unchecked_into(document().create_element("div").unwrap());
    document().body().unwrap().append_child(&host).unwrap();
    web_sys::window().unwrap().history().unwrap().replace_state_with_url(&JsValue::NULL, "", Some("/checkout")).unwrap();
    let handle = leptos::mount::mount_to(host.clone(), move || {
        use leptos::prelude::*;
        view! { <checkout_app::AppWith api=http.clone()/> }
    });
    // Three busy answers use up the client's own tries; the page asks again after a second.
    let total = || document().query_selector("[data-testid=checkout-total]").unwrap().and_then(|e| e.text_content());
    for _ in 0..150 {
        if total().is_some_and(|t| !t.is_empty()) {
            break;
        }
        sleep(20).await;
    }
    assert_eq!(total().as_deref(), Some("$26.79"), "calls: {:?}", calls());
    assert_eq!(calls().iter().filter(|(k, _, _)| k == "POST /api/quote").count(), 4);
    drop(handle);
    host.remove();
}
