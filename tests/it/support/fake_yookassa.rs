//! A local fake of YooKassa's API v3 for tests: payments with statuses, idempotence keys
//! (the same key returns the same result), capture, cancel, refunds, Basic auth, and failure
//! injection (HTTP 500, slow answers). It records every request.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

pub const SHOP_ID: &str = "123456";
pub const SECRET: &str = "test_secret";

#[derive(Default)]
struct Book {
    payments: HashMap<String, Value>,
    /// Idempotence key -> the answer given.
    answers: HashMap<String, Value>,
    /// (method path, idempotence key, body)
    requests: Vec<(String, Option<String>, Value)>,
    fail_next: usize,
    slow_next: usize,
}

#[derive(Clone)]
pub struct FakeYooKassa {
    book: Arc<Mutex<Book>>,
    pub addr: SocketAddr,
}

fn money(v: &str) -> Value {
    json!({"value": v, "currency": "RUB"})
}

impl FakeYooKassa {
    pub async fn start() -> Self {
        let book = Arc::new(Mutex::new(Book::default()));
        let app = Router::new()
            .route("/v3/payments", post(create))
            .route("/v3/payments/{id}", get(fetch))
            .route("/v3/payments/{id}/capture", post(capture))
            .route("/v3/payments/{id}/cancel", post(cancel))
            .route("/v3/refunds", post(refund))
            .with_state(book.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { book, addr }
    }

    pub fn base_url(&self) -> String {
        format!("http://{}/v3", self.addr)
    }

    /// The next `n` requests answer HTTP 500.
    pub fn fail_next(&self, n: usize) {
        self.book.lock().unwrap().fail_next = n;
    }

    /// The next `n` requests answer after 2 seconds.
    pub fn slow_next(&self, n: usize) {
        self.book.lock().unwrap().slow_next = n;
    }

    /// The client pays on YooKassa's page: the amount is held.
    pub fn client_pays(&self, id: &str, issuer_country: &str) {
        let mut b = self.book.lock().unwrap();
        let p = b.payments.get_mut(id).expect("known payment");
        p["status"] = json!("waiting_for_capture");
        p["paid"] = json!(true);
        p["payment_method"] = json!({"type": "bank_card", "id": id, "saved": false,
            "card": {"first6": "555555", "last4": "4444", "card_type": "MasterCard", "issuer_country": issuer_country}});
    }

    pub fn set_status(&self, id: &str, status: &str) {
        self.book.lock().unwrap().payments.get_mut(id).expect("known payment")["status"] = json!(status);
    }

    pub fn payment(&self, id: &str) -> Value {
        self.book.lock().unwrap().payments[id].clone()
    }

    pub fn payment_count(&self) -> usize {
        self.book.lock().unwrap().payments.len()
    }

    pub fn requests(&self) -> Vec<(String, Option<String>, Value)> {
        self.book.lock().unwrap().requests.clone()
    }
}

type Shared = Arc<Mutex<Book>>;

/// Auth, failure injection, recording and idempotence around one operation.
async fn handle(
    book: &Shared,
    what: String,
    headers: &HeaderMap,
    body: Value,
    op: impl FnOnce(&mut Book) -> Result<Value, (StatusCode, Value)>,
) -> Response {
    let auth_ok = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == format!("Basic {}", base64_basic(SHOP_ID, SECRET)));
    let key = headers
        .get("idempotence-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let (slow, fail) = {
        let mut b = book.lock().unwrap();
        b.requests.push((what.clone(), key.clone(), body));
        let slow = b.slow_next > 0;
        if slow {
            b.slow_next -= 1;
        }
        let fail = !slow && b.fail_next > 0;
        if fail {
            b.fail_next -= 1;
        }
        (slow, fail)
    };
    if slow {
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
    if fail {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(json!({"type": "error", "code": "internal_server_error"})),
        )
            .into_response();
    }
    if !auth_ok {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"type": "error", "code": "invalid_credentials"})),
        )
            .into_response();
    }
    let mut b = book.lock().unwrap();
    if let Some(k) = &key {
        if let Some(prev) = b.answers.get(&format!("{what}|{k}")) {
            return Json(prev.clone()).into_response();
        }
    }
    match op(&mut b) {
        Ok(v) => {
            if let Some(k) = key {
                b.answers.insert(format!("{what}|{k}"), v.clone());
            }
            Json(v).into_response()
        }
        Err((code, v)) => (code, Json(v)).into_response(),
    }
}

fn base64_basic(user: &str, pass: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"))
}

fn err(code: StatusCode, description: &str) -> (StatusCode, Value) {
    (
        code,
        json!({"type": "error", "code": "invalid_request", "description": description}),
    )
}

async fn create(State(book): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    let b2 = body.clone();
    handle(&book, "create".into(), &headers, body, move |b| {
        if b2["capture"] != json!(false) || b2["confirmation"]["type"] != json!("redirect") {
            return Err(err(StatusCode::BAD_REQUEST, "expected a two-stage redirect payment"));
        }
        let id = format!(
            "2{:07x}-000f-5000-9000-{:012x}",
            b.payments.len() + 1,
            b.payments.len() + 1
        );
        let p = json!({
            "id": id, "status": "pending", "paid": false, "amount": b2["amount"],
            "confirmation": {"type": "redirect", "confirmation_url": format!("https://yoomoney.example/checkout/{id}")},
            "created_at": "2026-11-27T09:00:00.000Z", "description": b2["description"], "metadata": b2["metadata"],
            "recipient": {"account_id": SHOP_ID, "gateway_id": "1"}, "refundable": false, "test": true
        });
        b.payments.insert(id, p.clone());
        Ok(p)
    })
    .await
}

async fn fetch(State(book): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    handle(&book, format!("get {id}"), &headers, Value::Null, move |b| {
        b.payments
            .get(&id)
            .cloned()
            .ok_or_else(|| err(StatusCode::NOT_FOUND, "not found"))
    })
    .await
}

async fn capture(
    State(book): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    handle(&book, format!("capture {id}"), &headers, body.clone(), move |b| {
        let p = b
            .payments
            .get_mut(&id)
            .ok_or_else(|| err(StatusCode::NOT_FOUND, "not found"))?;
        if p["status"] != json!("waiting_for_capture") {
            return Err(err(StatusCode::BAD_REQUEST, "payment is not waiting for capture"));
        }
        if body["amount"]["value"] != p["amount"]["value"] {
            return Err(err(StatusCode::BAD_REQUEST, "amount mismatch"));
        }
        p["status"] = json!("succeeded");
        p["refundable"] = json!(true);
        Ok(p.clone())
    })
    .await
}

async fn cancel(State(book): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    handle(&book, format!("cancel {id}"), &headers, Value::Null, move |b| {
        let p = b
            .payments
            .get_mut(&id)
            .ok_or_else(|| err(StatusCode::NOT_FOUND, "not found"))?;
        if p["status"] == json!("succeeded") {
            return Err(err(StatusCode::BAD_REQUEST, "a succeeded payment cannot be canceled"));
        }
        p["status"] = json!("canceled");
        Ok(p.clone())
    })
    .await
}

async fn refund(State(book): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    let b2 = body.clone();
    handle(&book, "refund".into(), &headers, body, move |b| {
        let id = b2["payment_id"].as_str().unwrap_or_default().to_owned();
        let p = b
            .payments
            .get_mut(&id)
            .ok_or_else(|| err(StatusCode::NOT_FOUND, "not found"))?;
        if p["status"] != json!("succeeded") {
            return Err(err(StatusCode::BAD_REQUEST, "only succeeded payments are refunded"));
        }
        let kop = |v: &Value| -> i64 {
            let s = v.as_str().unwrap_or("0");
            let (a, c) = s.split_once('.').unwrap_or((s, "0"));
            a.parse::<i64>().unwrap_or(0) * 100 + format!("{c:0<2}").parse::<i64>().unwrap_or(0)
        };
        let already = kop(&p["refunded_amount"]["value"]);
        let want = kop(&b2["amount"]["value"]);
        if already + want > kop(&p["amount"]["value"]) {
            return Err(err(StatusCode::BAD_REQUEST, "refund exceeds the payment"));
        }
        let total = already + want;
        p["refunded_amount"] = money(&format!("{}.{:02}", total / 100, total % 100));
        Ok(json!({"id": format!("r-{id}-{total}"), "payment_id": id, "status": "succeeded", "amount": b2["amount"]}))
    })
    .await
}
