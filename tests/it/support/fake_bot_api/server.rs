//! The HTTP side: `POST|GET /bot<token>/<method>` with JSON, multipart/form-data,
//! x-www-form-urlencoded or query-string parameters; `GET /file/bot<token>/<file_path>`; and the
//! delivery of updates to a webhook on the loopback interface.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::extract::{FromRequest, Multipart, Request, State as AxumState};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde_json::{json, Map, Value};
use tokio::time::Instant;

use super::methods;
use super::spec::{spec, Ctx};
use super::state::{error_body, Call, FailMode, State, Upload, TOKEN};
use super::Shared;

const BODY_LIMIT: usize = 64 << 20;

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .fallback(handle)
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(shared)
}

fn reply(status: u16, body: Value) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (code, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

async fn handle(AxumState(shared): AxumState<Arc<Shared>>, req: Request) -> Response {
    let path = req.uri().path().to_owned();
    if let Some(rest) = path.strip_prefix("/file/bot") {
        return download(&shared, rest);
    }
    let Some((token, method)) = path.strip_prefix("/bot").and_then(|r| r.split_once('/')) else {
        return reply(404, error_body(404, "Not Found", None));
    };
    let (token, method) = (token.to_owned(), method.trim_end_matches('/').to_owned());
    let raw = match read_request(req).await {
        Ok(raw) => raw,
        Err(e) => {
            let mut st = shared.lock();
            st.violation(&method, format!("unreadable request body: {e}"), &Value::Null);
            drop(st);
            shared.notify();
            return reply(400, error_body(400, &format!("Bad Request: {e}"), None));
        }
    };
    let (status, body) = process(&shared, &token, &method, raw).await;
    reply(status, body)
}

fn download(shared: &Shared, rest: &str) -> Response {
    let Some((token, file_path)) = rest.split_once('/') else {
        return reply(404, error_body(404, "Not Found", None));
    };
    // teloxide sends the path as one percent-encoded segment ("documents%2Ffile_1.pdf").
    let file_path = percent_decode(file_path);
    let st = shared.lock();
    let file = st.files.values().find(|f| f.file_path == file_path);
    match file {
        Some(f) if token == TOKEN => {
            let bytes = f.content.clone().unwrap_or_else(|| {
                // Files users "sent" have no content: serve filler of the announced size.
                vec![b'x'; f.file_size.min(BODY_LIMIT as u64) as usize]
            });
            (StatusCode::OK, Body::from(bytes)).into_response()
        }
        _ => reply(404, error_body(404, "Not Found", None)),
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A request's parameters before validation: JSON values from a JSON body, strings from a
/// query string, form or multipart body, and uploaded files.
#[derive(Default)]
pub(crate) struct Raw {
    pub json: Map<String, Value>,
    pub form: Vec<(String, String)>,
    pub uploads: HashMap<String, Upload>,
}

async fn read_request(req: Request) -> Result<Raw, String> {
    let mut raw = Raw::default();
    if let Some(q) = req.uri().query() {
        let pairs: Vec<(String, String)> = axum::extract::Query::try_from_uri(req.uri())
            .map(|q| q.0)
            .map_err(|e| format!("can't parse query string {q:?}: {e}"))?;
        raw.form.extend(pairs);
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if content_type.starts_with("multipart/form-data") {
        let mut mp = Multipart::from_request(req, &()).await.map_err(|e| e.body_text())?;
        while let Some(field) = mp.next_field().await.map_err(|e| e.body_text())? {
            let name = field.name().unwrap_or("").to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let part_type = field.content_type().map(str::to_owned);
            let bytes = field.bytes().await.map_err(|e| e.body_text())?;
            if file_name.is_some() {
                let upload = Upload {
                    file_name,
                    content_type: part_type,
                    bytes: bytes.to_vec(),
                };
                raw.uploads.insert(name, upload);
            } else {
                let text =
                    String::from_utf8(bytes.to_vec()).map_err(|_| format!("multipart field {name:?} is not UTF-8"))?;
                raw.form.push((name, text));
            }
        }
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        let axum::Form(pairs): axum::Form<Vec<(String, String)>> =
            axum::Form::from_request(req, &()).await.map_err(|e| e.body_text())?;
        raw.form.extend(pairs);
    } else {
        let bytes = to_bytes(req.into_body(), BODY_LIMIT).await.map_err(|e| e.to_string())?;
        if !bytes.iter().all(u8::is_ascii_whitespace) {
            match serde_json::from_slice::<Value>(&bytes) {
                Ok(Value::Object(map)) => raw.json = map,
                Ok(other) => return Err(format!("the JSON body is not an object: {other}")),
                Err(e) => return Err(format!("can't parse JSON body: {e}")),
            }
        }
    }
    Ok(raw)
}

enum Prepared {
    Done(u16, Value),
    Poll {
        offset: i64,
        limit: usize,
        timeout: u64,
        generation: u64,
    },
}

async fn process(shared: &Arc<Shared>, token: &str, method: &str, raw: Raw) -> (u16, Value) {
    let prepared = {
        let mut st = shared.lock();
        prepare(&mut st, token, method, raw)
    };
    shared.notify();
    match prepared {
        Prepared::Done(status, body) => (status, body),
        Prepared::Poll {
            offset,
            limit,
            timeout,
            generation,
        } => long_poll(shared, offset, limit, timeout, generation).await,
    }
}

fn prepare(st: &mut State, token: &str, method_name: &str, raw: Raw) -> Prepared {
    let spec = spec();
    if token != TOKEN {
        st.violation(method_name, format!("wrong bot token {token:?}"), &json!(raw.json));
        return Prepared::Done(401, error_body(401, "Unauthorized", None));
    }
    let Some(m) = spec.method(method_name) else {
        let mut request = raw.json.clone();
        request.extend(raw.form.into_iter().map(|(k, v)| (k, Value::String(v))));
        st.violation(
            method_name,
            format!("unknown method {method_name:?}: not in {}", spec.version),
            &Value::Object(request),
        );
        return Prepared::Done(404, error_body(404, "Not Found", None));
    };
    let method = m.name.clone();
    let mut errors = Vec::new();
    let mut params = raw.json;
    params.extend(spec.coerce_form(m, raw.form, &mut errors));
    for name in raw.uploads.keys() {
        if m.fields.iter().any(|f| &f.name == name) && !params.contains_key(name) {
            params.insert(name.clone(), Value::String(format!("attach://{name}")));
        }
    }
    let upload_names: HashSet<String> = raw.uploads.keys().cloned().collect();
    spec.check_params(m, &params, &Ctx { uploads: &upload_names }, &mut errors);
    if errors.is_empty() {
        methods::check_rules(&method, &params, &mut errors);
    }
    let request = Value::Object(params.clone());
    let record = |st: &mut State, status: u16, body: &Value| {
        if method != "getUpdates" {
            st.calls.push(Call {
                method: method.clone(),
                params: request.clone(),
                status,
                response: body.clone(),
            });
        }
    };
    if !errors.is_empty() {
        for e in &errors {
            st.violation(&method, e.violation_text(), &request);
        }
        let body = error_body(400, &errors[0].telegram, None);
        record(st, 400, &body);
        return Prepared::Done(400, body);
    }
    if let Some(mode) = st
        .fail
        .get_mut(&method.to_ascii_lowercase())
        .and_then(|q| q.pop_front())
    {
        let (status, body) = match mode {
            FailMode::TooManyRequests { retry_after } => (
                429,
                error_body(
                    429,
                    &format!("Too Many Requests: retry after {retry_after}"),
                    Some(retry_after),
                ),
            ),
            FailMode::ServerError => (500, error_body(500, "Internal Server Error", None)),
            FailMode::Forbidden => (403, error_body(403, "Forbidden: bot was blocked by the user", None)),
            FailMode::Error { code, description } => (code, error_body(code, &description, None)),
        };
        record(st, status, &body);
        return Prepared::Done(status, body);
    }
    if method == "getUpdates" {
        if st.webhook.is_some() {
            let description = "Conflict: can't use getUpdates method while webhook is active; use \
                               deleteWebhook to delete the webhook first";
            st.violation(&method, description, &request);
            return Prepared::Done(409, error_body(409, description, None));
        }
        if let Some(list) = params.get("allowed_updates").and_then(Value::as_array) {
            st.allowed_updates = Some(list.iter().filter_map(Value::as_str).map(str::to_owned).collect());
        }
        st.poll_count += 1;
        st.poll_generation += 1;
        let int = |k: &str| params.get(k).and_then(Value::as_i64);
        return Prepared::Poll {
            offset: int("offset").unwrap_or(0),
            limit: int("limit").unwrap_or(100).clamp(1, 100) as usize,
            timeout: int("timeout").unwrap_or(0).max(0) as u64,
            generation: st.poll_generation,
        };
    }
    let (status, body) = match methods::call(st, &method, &params, &raw.uploads) {
        Ok(result) => {
            for e in spec.check_result(m, &result) {
                st.violation(
                    &method,
                    format!("FAKE BUG: the fake's result does not match the spec: {e}"),
                    &result,
                );
            }
            (200, json!({ "ok": true, "result": result }))
        }
        Err(e) => {
            if e.violation {
                let text = match &e.detail {
                    Some(d) => format!("{} ({d})", e.description),
                    None => e.description.clone(),
                };
                st.violation(&method, text, &request);
            }
            (e.code, error_body(e.code, &e.description, e.retry_after))
        }
    };
    record(st, status, &body);
    Prepared::Done(status, body)
}

/// getUpdates: confirms updates below `offset`, returns pending ones at once, or waits for one
/// to be pushed, at most `timeout` seconds.
async fn long_poll(shared: &Arc<Shared>, offset: i64, limit: usize, timeout: u64, generation: u64) -> (u16, Value) {
    let deadline = Instant::now() + Duration::from_secs(timeout);
    loop {
        let mut rx = shared.changed.subscribe();
        let (confirmed, answer) = {
            let mut st = shared.lock();
            if st.poll_generation != generation {
                let description = "Conflict: terminated by other getUpdates request; make sure \
                                   that only one bot instance is running";
                return (409, error_body(409, description, None));
            }
            let before = st.updates.len();
            if offset < 0 {
                let keep = offset.unsigned_abs() as usize;
                let skip = st.updates.len().saturating_sub(keep);
                st.updates.drain(..skip);
            } else {
                st.updates.retain(|u| u["update_id"].as_i64().unwrap_or(0) >= offset);
            }
            st.filter_updates();
            let result: Vec<Value> = st.updates.iter().take(limit).cloned().collect();
            let confirmed = st.updates.len() != before;
            if !result.is_empty() || Instant::now() >= deadline {
                let result = Value::Array(result);
                let m = spec().method("getUpdates").expect("in spec");
                for e in spec().check_result(m, &result) {
                    st.violation(
                        "getUpdates",
                        format!("FAKE BUG (or a bad push_raw_update): invalid update: {e}"),
                        &result,
                    );
                }
                (confirmed, Some(result))
            } else {
                (confirmed, None)
            }
        };
        if confirmed {
            shared.notify();
        }
        if let Some(result) = answer {
            return (200, json!({ "ok": true, "result": result }));
        }
        tokio::select! {
            _ = rx.changed() => {}
            _ = tokio::time::sleep_until(deadline) => {}
        }
    }
}

fn is_loopback(url: &str) -> bool {
    let Ok(u) = reqwest::Url::parse(url) else {
        return false;
    };
    match u.host_str() {
        Some("localhost") => true,
        Some(h) => h
            .trim_matches(|c| c == '[' || c == ']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback()),
        None => false,
    }
}

/// Delivers pending updates one by one to a webhook set on a loopback address (never anywhere
/// else), with the secret token header, like Telegram; a non-2xx answer is retried.
pub(crate) async fn deliver_webhooks(shared: Arc<Shared>) {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("a reqwest client");
    loop {
        let mut rx = shared.changed.subscribe();
        let job = {
            let mut st = shared.lock();
            let target = st.webhook.as_ref().and_then(|w| {
                let url = w["url"].as_str()?.to_owned();
                let secret = w["secret_token"].as_str().map(str::to_owned);
                is_loopback(&url).then_some((url, secret))
            });
            match target {
                Some((url, secret)) => {
                    st.filter_updates();
                    st.updates.front().cloned().map(|u| (url, secret, u))
                }
                None => None,
            }
        };
        let Some((url, secret, update)) = job else {
            if rx.changed().await.is_err() {
                return;
            }
            continue;
        };
        let mut req = client.post(&url).json(&update);
        if let Some(s) = secret {
            req = req.header("X-Telegram-Bot-Api-Secret-Token", s);
        }
        match req.send().await {
            Ok(r) if r.status().is_success() => {
                let id = update["update_id"].as_i64();
                shared.lock().updates.retain(|u| u["update_id"].as_i64() != id);
                shared.notify();
            }
            _ => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}
