//! Payment routes: the sandbox provider's payment page (`GET/POST /pay/<id>`) and YooKassa's
//! notifications (`POST /payments/yookassa/notify`), accepted only from the configured address
//! ranges, de-duplicated on (object id, event), trusted only after re-fetching the payment,
//! answered 200 at once while the work goes on.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use ipnet::IpNet;
use serde::Deserialize;

use crate::bot::html::escape;
use crate::bot::notices::money;
use crate::i18n::{Lang, Locales};
use crate::payments::provider::ProviderStatus;
use crate::payments::sandbox::Sandbox;
use crate::payments::service::PaymentService;
use crate::store::payments::Payments;
use crate::tr;

/// What the payment routes need.
#[derive(Clone)]
pub struct PaymentRoutes {
    pub service: Arc<PaymentService>,
    /// Present when the sandbox is the provider.
    pub sandbox: Option<Arc<Sandbox>>,
    pub locales: Arc<Locales>,
    pub default_lang: Lang,
    /// Where YooKassa's notifications may come from.
    pub notify_from: Vec<IpNet>,
    /// The bot's t.me link, for "back to Telegram".
    pub back_url: String,
}

pub fn router(state: PaymentRoutes) -> Router {
    Router::new()
        .route("/pay/{id}", get(page).post(act))
        .route("/payments/yookassa/notify", post(notify))
        .with_state(state)
}

/// YooKassa's published notification addresses (https://yookassa.ru/developers/using-api/webhooks).
pub const YOOKASSA_NOTIFY_RANGES: &str =
    "185.71.76.0/27,185.71.77.0/27,77.75.153.0/25,77.75.156.11/32,77.75.156.35/32,77.75.154.128/25,2a02:5180::/32";

pub fn parse_ranges(s: &str) -> Result<Vec<IpNet>, String> {
    s.split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(|x| {
            x.parse::<IpNet>()
                .or_else(|_| x.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("{x:?} is not an address or range"))
        })
        .collect()
}

fn lang_of(headers: &HeaderMap, default: Lang) -> Lang {
    headers
        .get("accept-language")
        .and_then(|v| v.to_str().ok())
        .map(|v| Lang::from_telegram(v.split([',', ';']).next(), default))
        .unwrap_or(default)
}

fn html_page(l: &Locales, lang: Lang, body: String) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"{code}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><style>body{{font-family:sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}\
         button{{font-size:1rem;padding:.6rem 1rem;margin:.3rem .3rem 0 0}}.note{{color:#666;font-size:.9rem}}</style></head>\
         <body><h1>{title}</h1>{body}</body></html>",
        code = lang.code(),
        title = tr!(l, lang, "pay-title"),
    ))
}

async fn page(State(s): State<PaymentRoutes>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let lang = lang_of(&headers, s.default_lang);
    let l = &s.locales;
    let Some(sandbox) = &s.sandbox else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let page = match sandbox.page(&id).await {
        Ok(Some(p)) => p,
        Ok(None) => {
            return (
                StatusCode::NOT_FOUND,
                html_page(l, lang, format!("<p>{}</p>", tr!(l, lang, "pay-not-found"))),
            )
                .into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "payment page");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let amount = money(lang, page.amount);
    let mut body = format!(
        "<p class=\"note\">{}</p><p>{}</p><p>{}</p><p>{}</p>",
        tr!(l, lang, "pay-sandbox-note"),
        tr!(l, lang, "pay-for", description = escape(&page.description)),
        tr!(l, lang, "pay-amount", amount = amount.as_str()),
        tr!(l, lang, "pay-hold-rule"),
    );
    match page.status {
        ProviderStatus::Pending => body.push_str(&format!(
            "<form method=\"post\"><button name=\"action\" value=\"authorize\">{}</button>\
             <button name=\"action\" value=\"decline\">{}</button></form>",
            tr!(l, lang, "pay-authorize", amount = amount.as_str()),
            tr!(l, lang, "pay-decline")
        )),
        other => body.push_str(&format!("<p><b>{}</b></p>", status_text(l, lang, other))),
    }
    html_page(l, lang, body).into_response()
}

fn status_text(l: &Locales, lang: Lang, s: ProviderStatus) -> String {
    match s {
        ProviderStatus::Pending => tr!(l, lang, "pay-status-pending"),
        ProviderStatus::WaitingForCapture => tr!(l, lang, "pay-status-held"),
        ProviderStatus::Succeeded => tr!(l, lang, "pay-status-paid"),
        ProviderStatus::Canceled => tr!(l, lang, "pay-status-canceled"),
    }
}

#[derive(Deserialize)]
struct ActForm {
    action: String,
}

async fn act(
    State(s): State<PaymentRoutes>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<ActForm>,
) -> Response {
    let lang = lang_of(&headers, s.default_lang);
    let l = &s.locales;
    let Some(sandbox) = &s.sandbox else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let done = match form.action.as_str() {
        "authorize" => sandbox.authorize(&id).await,
        "decline" => sandbox.decline(&id).await,
        _ => return StatusCode::BAD_REQUEST.into_response(),
    };
    match done {
        Ok(_) => {}
        Err(e) => {
            tracing::error!(error = %e, "payment page action");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    }
    // The sandbox "notifies" us the way a provider would: we re-read the payment and act.
    match s.service.sync(&id).await {
        Ok(_) => {}
        Err(crate::payments::service::PaymentFailure::NotFound) => {
            return (
                StatusCode::NOT_FOUND,
                html_page(l, lang, format!("<p>{}</p>", tr!(l, lang, "pay-not-found"))),
            )
                .into_response()
        }
        Err(e) => tracing::error!(error = %e, "payment sync after the sandbox page"),
    }
    let text = match sandbox.page(&id).await {
        Ok(Some(p)) if p.status == ProviderStatus::Canceled => tr!(l, lang, "pay-declined"),
        Ok(Some(p)) if p.status == ProviderStatus::Pending => tr!(l, lang, "pay-status-pending"),
        Ok(Some(_)) => tr!(l, lang, "pay-held"),
        _ => tr!(l, lang, "pay-not-found"),
    };
    let back = format!(
        "<p><a href=\"{}\">{}</a></p>",
        escape(&s.back_url),
        tr!(l, lang, "pay-back")
    );
    html_page(l, lang, format!("<p>{text}</p>{back}")).into_response()
}

#[derive(Deserialize)]
struct Notification {
    event: String,
    object: NotificationObject,
}

#[derive(Deserialize)]
struct NotificationObject {
    id: String,
    /// Refund notifications name the payment here.
    payment_id: Option<String>,
}

async fn notify(
    State(s): State<PaymentRoutes>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: axum::body::Bytes,
) -> StatusCode {
    if s.service.provider.name() != "yookassa" {
        return StatusCode::NOT_FOUND;
    }
    if !s.notify_from.iter().any(|net| net.contains(&peer.ip())) {
        tracing::warn!(peer = %peer.ip(), "payment notification from an address outside the allowed ranges ignored");
        return StatusCode::FORBIDDEN;
    }
    let Ok(n) = serde_json::from_slice::<Notification>(&body) else {
        return StatusCode::BAD_REQUEST;
    };
    let payment_id = n.object.payment_id.clone().unwrap_or_else(|| n.object.id.clone());
    let payments = Payments(&s.service.db);
    match payments.notification_seen("yookassa", &n.object.id, &n.event).await {
        Ok(true) => return StatusCode::OK,
        Ok(false) => {}
        Err(e) => {
            tracing::error!(error = %e, "notification de-duplication");
            return StatusCode::SERVICE_UNAVAILABLE;
        }
    }
    let service = s.service.clone();
    tokio::spawn(async move {
        // The notification only says "look": the payment is re-fetched and trusted as fetched.
        match service.sync(&payment_id).await {
            // A notice the provider does not (yet) confirm is not marked, so the real one,
            // when it comes, is still handled.
            Ok(o) if !o.changed && n.event != format!("payment.{}", o.provider_status.as_str()) => {
                tracing::warn!(event = %n.event, status = o.provider_status.as_str(), "a payment notification the provider does not confirm");
            }
            Ok(_) => {
                if let Err(e) = Payments(&service.db)
                    .mark_notification("yookassa", &n.object.id, &n.event, service.clock.now())
                    .await
                {
                    tracing::error!(error = %e, "could not mark a notification handled");
                }
            }
            Err(e) => tracing::error!(error = %e, event = %n.event, "payment notification could not be applied"),
        }
    });
    StatusCode::OK
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yookassa_ranges_parse_and_match() {
        let nets = parse_ranges(YOOKASSA_NOTIFY_RANGES).unwrap();
        let ok = |ip: &str| nets.iter().any(|n| n.contains(&ip.parse::<IpAddr>().unwrap()));
        assert!(ok("185.71.76.5"));
        assert!(ok("77.75.156.11"));
        assert!(ok("2a02:5180::1"));
        assert!(!ok("77.75.156.12"));
        assert!(!ok("127.0.0.1"));
        assert!(parse_ranges("1.2.3.4, 10.0.0.0/8").is_ok());
        assert!(parse_ranges("not-an-ip").is_err());
    }
}
