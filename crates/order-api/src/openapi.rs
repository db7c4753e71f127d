//! The OpenAPI 3.1 document of the wire contract, built from the Rust types:
//! every body's schema comes from `schemars` (JSON Schema 2020-12, which
//! OpenAPI 3.1 embeds as it is), so it follows the serde attributes the client
//! and the server actually use. Checked in at `docs/openapi.json`; a test fails
//! when the two differ (regenerate with
//! `cargo run -p order-api -- --print-openapi > docs/openapi.json`).

use checkout_api::*;
use checkout_core::catalog::Catalog;
use checkout_core::checkout::Quote;
use checkout_core::order::{Order, OrdersTab, TrackedOrder};
use checkout_core::time::Timestamp;
use schemars::generate::{SchemaGenerator, SchemaSettings};
use schemars::JsonSchema;
use serde_json::{json, Map, Value};

/// `POST /buyers` answer.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct BuyerToken {
    /// Opaque, at least 128 random bits, url-safe; send it as `Authorization: Bearer <token>`.
    token: String,
}

/// `POST /track` body.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct TrackRequest {
    /// The order number (not its id).
    number: String,
    /// The email the order was placed with (any case).
    email: String,
}

/// `POST /test-provider/challenges/{id}` body, and its answer: the shopper's
/// answer on the simulated payment provider's page.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct ProviderAnswer {
    approved: bool,
}

/// `POST /dev/skip` body (only with `--dev`).
#[derive(JsonSchema)]
#[allow(dead_code)]
struct Skip {
    seconds: i64,
}

/// 400: the body is not JSON, or not of the expected shape.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct BadRequest {
    /// Always `bad_request`.
    error: String,
    detail: String,
}

/// 401: no token, or one the server does not know; get a new one from `POST /buyers`.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct Unauthorized {
    /// Always `unauthorized`.
    error: String,
}

/// 413: the body is larger than the server accepts.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct TooLarge {
    /// Always `too_large`.
    error: String,
    max_bytes: u64,
}

/// 415: the body is not sent as `Content-Type: application/json`.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct UnsupportedMediaType {
    /// Always `unsupported_media_type`.
    error: String,
    detail: String,
}

/// 500: something failed on the server (a handler's panic, the database);
/// nothing of the request is repeated.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct Internal {
    /// Always `internal`.
    error: String,
}

struct Doc {
    generator: SchemaGenerator,
}

impl Doc {
    fn schema<T: JsonSchema>(&mut self) -> Value {
        self.generator.subschema_for::<T>().to_value()
    }

    fn body<T: JsonSchema>(&mut self) -> Value {
        json!({ "required": true, "content": { "application/json": { "schema": self.schema::<T>() } } })
    }

    fn answer<T: JsonSchema>(&mut self, description: &str) -> Value {
        json!({ "description": description, "content": { "application/json": { "schema": self.schema::<T>() } } })
    }

    /// An error answer whose body is an `ApiError` of the kinds named.
    fn error(&mut self, description: &str) -> Value {
        self.answer::<ApiError>(description)
    }
}

fn ref_response(name: &str) -> Value {
    json!({ "$ref": format!("#/components/responses/{name}") })
}

fn operation(id: &str, summary: &str, buyer: bool, request: Option<Value>, responses: Vec<(&str, Value)>) -> Value {
    let mut op = Map::new();
    op.insert("operationId".into(), id.into());
    op.insert("summary".into(), summary.into());
    if buyer {
        op.insert("security".into(), json!([{ "buyerToken": [] }]));
    }
    if let Some(body) = request {
        op.insert("requestBody".into(), body);
    }
    let mut rs = Map::new();
    for (code, r) in responses {
        rs.insert(code.to_owned(), r);
    }
    if buyer {
        rs.insert("401".into(), ref_response("Unauthorized"));
    }
    if op.contains_key("requestBody") {
        rs.insert("400".into(), ref_response("BadRequest"));
        rs.insert("413".into(), ref_response("TooLarge"));
        rs.insert("415".into(), ref_response("UnsupportedMediaType"));
    }
    rs.insert("500".into(), ref_response("Internal"));
    rs.insert("503".into(), ref_response("Unavailable"));
    op.insert("responses".into(), Value::Object(rs));
    Value::Object(op)
}

fn id_param(description: &str) -> Value {
    json!([{ "name": "id", "in": "path", "required": true, "description": description, "schema": { "type": "string" } }])
}

/// The whole document.
pub fn document() -> Value {
    let settings = SchemaSettings::draft2020_12().with(|s| {
        s.definitions_path = "/components/schemas".into();
        s.meta_schema = None;
    });
    let mut d = Doc { generator: settings.into_generator() };

    let not_found = ref_response("NotFound");
    let idempotency = json!({ "$ref": "#/components/parameters/IdempotencyKey" });

    let mut place = operation(
        "placeOrder",
        "Place the checkout: one order per seller, paid by one payment",
        true,
        Some(d.body::<PlaceOrder>()),
        vec![
            (
                "201",
                d.answer::<Placement>(
                    "Placed (first time). A card decline is not an error: the orders exist, `payment` is `declined`.",
                ),
            ),
            (
                "200",
                d.answer::<Placement>(
                    "A replay of the same key with the same body: the same orders, as they are now, and the payment's outcome.",
                ),
            ),
            ("409", d.error("`conflict`: the key was used with a different body (or is not a UUID).")),
            ("429", d.error("`unavailable`: more than the changes one buyer may ask for in a minute (120 by default); `Retry-After` says when to try again.")),
            ("422", d.error("`invalid` (with the fields) or `quote_refused` (including `price_changed`).")),
        ],
    );
    place["parameters"] = json!([idempotency.clone()]);

    let mut pay = operation(
        "pay",
        "Pay orders awaiting payment again, with the same or another method",
        true,
        Some(d.body::<PayAgain>()),
        vec![
            ("200", d.answer::<PaymentOutcome>("The outcome; a repeated key gets the first outcome.")),
            ("402", d.error("`payment_declined` with the reason (the client maps it to a `declined` outcome).")),
            ("404", not_found.clone()),
            ("409", d.error("`refused`: an order is no longer awaiting payment.")),
            ("429", d.error("`unavailable`: more than the changes one buyer may ask for in a minute (120 by default); `Retry-After` says when to try again.")),
        ],
    );
    pay["parameters"] = json!([{ "$ref": "#/components/parameters/IdempotencyKeyOptional" }]);

    let mut challenge = operation(
        "completeChallenge",
        "What the payment provider says of a 3-D Secure challenge or a wallet approval, once the shopper answered it on the provider's page. No body: nothing the buyer says about the outcome counts",
        true,
        None,
        vec![
            (
                "200",
                d.answer::<PaymentOutcome>(
                    "`authorised` once the provider approved; the same `challenge_required` or `redirect` while the shopper has not answered on the provider's page. Asking again gets the same outcome.",
                ),
            ),
            ("402", d.error("`payment_declined`: the shopper failed or gave up on the provider's page; the orders stay awaiting payment.")),
            ("404", not_found.clone()),
        ],
    );
    challenge["parameters"] = id_param("The challenge id from `challenge_required` or the wallet URL.");

    let mut provider_page = operation(
        "testProviderAnswer",
        "The simulated payment provider's challenge page (its test mode): the shopper completes or fails 3-D Secure or the wallet approval. A real provider has its own page; the order API never writes this answer",
        false,
        Some(d.body::<ProviderAnswer>()),
        vec![
            ("200", d.answer::<ProviderAnswer>("The answer the provider keeps: the first one given.")),
            ("404", not_found.clone()),
        ],
    );
    provider_page["parameters"] = id_param("The challenge id.");

    let mut product = operation(
        "product",
        "One product with its seller",
        false,
        None,
        vec![("200", d.answer::<ProductDetail>("The product and its seller.")), ("404", not_found.clone())],
    );
    product["parameters"] = id_param("The product id.");

    let mut order = operation(
        "order",
        "One of this buyer's orders, caught up with the clock",
        true,
        None,
        vec![("200", d.answer::<Order>("The order.")), ("404", d.error("`not_found`, also for another buyer's order."))],
    );
    order["parameters"] = id_param("The order id.");

    let mut act = operation(
        "act",
        "Something the buyer does to an order (cancel, confirm receipt, dispute...)",
        true,
        Some(d.body::<BuyerAction>()),
        vec![
            ("200", d.answer::<Order>("The order after the action.")),
            ("404", not_found.clone()),
            ("409", d.error("`refused`, naming the rule that refused the action.")),
            ("429", d.error("`unavailable`: more than the changes one buyer may ask for in a minute (120 by default); `Retry-After` says when to try again.")),
        ],
    );
    act["parameters"] = id_param("The order id.");

    let mut evidence = operation(
        "uploadEvidence",
        "Upload a file for a dispute: checked by its content (type from its first bytes, size by type) and kept",
        true,
        Some(json!({
            "required": true,
            "description": "The file itself, as it is. `image/*` and `video/*` types are taken too; the content decides the type, never this header. JPEG, PNG, WebP up to 10 MiB; MP4, WebM up to 100 MiB. Reading stops once the file cannot be accepted.",
            "content": { "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } }
        })),
        vec![
            ("201", d.answer::<EvidenceRef>("Accepted: its id, to list in `open_dispute`.")),
            ("404", not_found.clone()),
            ("422", d.error("`evidence_refused`: the content's type, the size, or a name that lies about the type.")),
            ("429", d.error("`unavailable`: more than the changes one buyer may ask for in a minute (120 by default); `Retry-After` says when to try again.")),
        ],
    );
    evidence["parameters"] = json!([
        id_param("The order id.")[0],
        { "name": "name", "in": "query", "required": true, "description": "The file's name, with the extension of its type (`photo.jpg`).",
          "schema": { "type": "string", "minLength": 1, "maxLength": crate::routes::MAX_FILE_NAME, "pattern": "\\S" } },
    ]);
    // Uploads are not held to the JSON body limit: their limits are by type (422).
    evidence["responses"].as_object_mut().map(|r| r.remove("413"));

    let mut orders = operation(
        "orders",
        "One page of this buyer's orders in a tab of the list, newest first (20 a page)",
        true,
        None,
        vec![
            ("200", d.answer::<OrdersPage>("Only this buyer's orders; a page past the last is the last.")),
            ("400", ref_response("BadRequest")),
        ],
    );
    orders["parameters"] = json!([
        { "name": "tab", "in": "query", "required": false, "description": "The tab (default `all`).",
          "schema": { "type": "string", "enum": OrdersTab::ALL.iter().map(|t| t.slug()).collect::<Vec<_>>() } },
        { "name": "page", "in": "query", "required": false, "description": "The page, from 1 (default 1).",
          "schema": { "type": "integer", "minimum": 1, "maximum": 4294967295u64 } },
    ]);

    let paths = json!({
        "/buyers": { "post": operation("newBuyer", "A new buyer token", false, None, vec![
            ("201", d.answer::<BuyerToken>("The token; keep it and send it as a bearer token. It stops working after 180 days unused, or once revoked.")),
            ("429", d.error("`unavailable`: more new tokens than one client may ask for in a minute (60 by default); `Retry-After` says when to try again.")),
        ]) },
        "/buyers/current/revoke": { "post": operation("revokeBuyer", "Revoke the token this request carries (sign out everywhere): it opens nothing after this", true, None, vec![
            ("204", json!({ "description": "Revoked." })),
        ]) },
        "/catalog": { "get": operation("catalog", "The whole catalog", false, None, vec![
            ("200", d.answer::<Catalog>("Products and their sellers.")),
        ]) },
        "/products/{id}": { "get": product },
        "/quote": { "post": operation("quote", "Every cost of buying the cart as chosen", false, Some(d.body::<QuoteRequest>()), vec![
            ("200", d.answer::<Quote>("The quote.")),
            ("422", d.error("`quote_refused` with the reason.")),
        ]) },
        "/orders": {
            "post": place,
            "get": orders,
        },
        "/orders/{id}": { "get": order },
        "/orders/{id}/actions": { "post": act },
        "/orders/{id}/evidence": { "post": evidence },
        "/payments": { "post": pay },
        "/challenges/{id}": { "post": challenge },
        "/test-provider/challenges/{id}": { "post": provider_page },
        "/track": { "post": operation("track", "An order by its number and email, from any device: where it is, not whom it is for nor how it was paid", false, Some(d.body::<TrackRequest>()), vec![
            ("200", d.answer::<TrackedOrder>("Status, items, carrier and tracking number, checkpoints and timeline; no address, no payment details.")),
            ("404", not_found.clone()),
            ("429", d.error("`unavailable`: more than 20 tries in a minute from this client, or for this order number; `Retry-After` says when to try again.")),
        ]) },
        "/now": { "get": operation("now", "The server's clock (seconds since the Unix epoch)", false, None, vec![
            ("200", d.answer::<Timestamp>("Now, as the server's deadlines see it.")),
        ]) },
        "/openapi.json": { "get": {
            "operationId": "openapi",
            "summary": "This document",
            "responses": { "200": { "description": "The OpenAPI 3.1 document.", "content": { "application/json": {} } } },
        } },
        "/dev/skip": { "post": operation("devSkip", "Move the clock forward (only when started with --dev)", false, Some(d.body::<Skip>()), vec![
            ("200", d.answer::<Timestamp>("The clock after the skip.")),
            ("404", not_found.clone()),
        ]) },
    });

    let responses = json!({
        "NotFound": d.error("`not_found`."),
        "Unavailable": {
            "description": "`unavailable`: busy or rate-limited, nothing was done; try again after `Retry-After` seconds (or `retry_after_ms`).",
            "headers": { "Retry-After": { "description": "Seconds to wait.", "schema": { "type": "integer", "minimum": 0 } } },
            "content": { "application/json": { "schema": d.schema::<ApiError>() } },
        },
        "BadRequest": d.answer::<BadRequest>("`bad_request`: malformed JSON, wrong types, a body not read in time, or a missing or mismatched Idempotency-Key header; `detail` says where, never repeating the body."),
        "Unauthorized": d.answer::<Unauthorized>("`unauthorized`: no bearer token or an unknown one."),
        "TooLarge": d.answer::<TooLarge>("`too_large`: the body is over the limit (64 KiB)."),
        "UnsupportedMediaType": d.answer::<UnsupportedMediaType>("`unsupported_media_type`: the body is not sent as application/json."),
        "Internal": d.answer::<Internal>("`internal`: the server failed; it goes on answering."),
    });

    let schemas = Value::Object(d.generator.take_definitions(true));
    json!({
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "Bazaar order API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The order API the checkout app talks to: the contract of `checkout_api::OrderApi` over HTTP. Bodies are the serde forms of the Rust types. Errors are `{\"error\": \"<kind>\", ...}` (`ApiError`), except `bad_request`, `unauthorized` and `too_large`. Buyer-scoped calls need `Authorization: Bearer <token>` from `POST /buyers`; another buyer's orders are 404. Every response carries a Content-Security-Policy, `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer`.",
            "license": { "name": "MIT", "identifier": "MIT" },
        },
        "servers": [{ "url": "/api" }],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": responses,
            "parameters": {
                "IdempotencyKey": {
                    "name": "Idempotency-Key", "in": "header", "required": true,
                    "description": "The body's `idempotency_key` (a UUID made once per checkout attempt). The same key with the same body replays the first answer (200); with another body, 409.",
                    "schema": { "type": "string", "maxLength": 64 },
                },
                "IdempotencyKeyOptional": {
                    "name": "Idempotency-Key", "in": "header", "required": false,
                    "description": "If sent, must equal the body's `idempotency_key`.",
                    "schema": { "type": "string", "maxLength": 64 },
                },
            },
            "securitySchemes": {
                "buyerToken": { "type": "http", "scheme": "bearer", "description": "The token from `POST /buyers`." },
            },
        },
    })
}

/// The document as checked in: pretty JSON with a final newline.
pub fn document_text() -> String {
    let mut text = serde_json::to_string_pretty(&document()).expect("a JSON value always serializes");
    text.push('\n');
    text
}
