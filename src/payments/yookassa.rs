//! A thin typed client of YooKassa's API v3 (https://yookassa.ru/developers/api): two-stage
//! card payments (`capture: false`, `confirmation.type = redirect`, bank cards only), capture,
//! cancel, refunds. Every call carries an `Idempotence-Key` derived from our own ids; HTTP 5xx,
//! 429 and timeouts are retried with back-off under the same key, so a retry repeats and never
//! duplicates.

use std::time::Duration;

use async_trait::async_trait;
use reqwest::StatusCode;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::{json, Value};

use super::provider::{
    amount_string, parse_amount, NewPayment, PaymentProvider, ProviderError, ProviderPayment, ProviderStatus,
};
use crate::domain::Money;

/// Connection settings.
#[derive(Clone)]
pub struct YooKassaConfig {
    /// `https://api.yookassa.ru/v3` in production; a local fake in tests.
    pub base_url: String,
    pub shop_id: String,
    pub secret_key: SecretString,
    /// Per-request timeout.
    pub timeout: Duration,
    /// Attempts per call (1 = no retry).
    pub attempts: u32,
    /// First back-off; doubled each retry.
    pub backoff: Duration,
}

impl YooKassaConfig {
    pub fn production(shop_id: String, secret_key: SecretString) -> Self {
        Self {
            base_url: "https://api.yookassa.ru/v3".to_owned(),
            shop_id,
            secret_key,
            timeout: Duration::from_secs(15),
            attempts: 4,
            backoff: Duration::from_millis(500),
        }
    }
}

pub struct YooKassa {
    http: reqwest::Client,
    config: YooKassaConfig,
}

#[derive(Deserialize)]
struct AmountJson {
    value: String,
}

#[derive(Deserialize)]
struct ConfirmationJson {
    confirmation_url: Option<String>,
}

#[derive(Deserialize)]
struct CardJson {
    issuer_country: Option<String>,
}

#[derive(Deserialize)]
struct MethodJson {
    card: Option<CardJson>,
}

#[derive(Deserialize)]
struct PaymentJson {
    id: String,
    status: String,
    amount: AmountJson,
    refunded_amount: Option<AmountJson>,
    confirmation: Option<ConfirmationJson>,
    payment_method: Option<MethodJson>,
}

impl PaymentJson {
    fn into_payment(self) -> Result<ProviderPayment, ProviderError> {
        let bad = |what: &str| ProviderError::Refused(format!("unexpected {what} in YooKassa's answer"));
        let status = ProviderStatus::parse(&self.status).ok_or_else(|| bad("status"))?;
        let amount = parse_amount(&self.amount.value).ok_or_else(|| bad("amount"))?;
        let refunded = match &self.refunded_amount {
            Some(a) => parse_amount(&a.value).ok_or_else(|| bad("refunded_amount"))?,
            None => Money::ZERO,
        };
        let foreign = self
            .payment_method
            .and_then(|m| m.card)
            .and_then(|c| c.issuer_country)
            .is_some_and(|country| !country.eq_ignore_ascii_case("RU"));
        Ok(ProviderPayment {
            id: self.id,
            status,
            amount,
            refunded,
            confirmation_url: self.confirmation.and_then(|c| c.confirmation_url),
            foreign,
        })
    }
}

impl YooKassa {
    pub fn new(config: YooKassaConfig) -> Result<Self, ProviderError> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .build()
            .map_err(|e| ProviderError::Refused(format!("http client: {e}")))?;
        Ok(Self { http, config })
    }

    /// One API call with retries under the same idempotence key.
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        key: Option<&str>,
        body: Option<&Value>,
    ) -> Result<Value, ProviderError> {
        let url = format!("{}{}", self.config.base_url.trim_end_matches('/'), path);
        let mut delay = self.config.backoff;
        let mut last = ProviderError::Unavailable("no attempt made".to_owned());
        for attempt in 1..=self.config.attempts.max(1) {
            let mut req = self
                .http
                .request(method.clone(), &url)
                .basic_auth(&self.config.shop_id, Some(self.config.secret_key.expose_secret()));
            if let Some(k) = key {
                req = req.header("Idempotence-Key", k);
            }
            if let Some(b) = body {
                req = req.json(b);
            }
            last = match req.send().await {
                Ok(resp) => {
                    let status = resp.status();
                    let text = resp.text().await.unwrap_or_default();
                    if status.is_success() {
                        return serde_json::from_str(&text)
                            .map_err(|e| ProviderError::Refused(format!("bad JSON from YooKassa: {e}")));
                    }
                    if status == StatusCode::NOT_FOUND {
                        return Err(ProviderError::NotFound);
                    }
                    if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
                        ProviderError::Unavailable(format!("HTTP {status}"))
                    } else {
                        // 4xx: the request itself is wrong; its description is YooKassa's.
                        let description = serde_json::from_str::<Value>(&text)
                            .ok()
                            .and_then(|v| v.get("description").and_then(Value::as_str).map(str::to_owned))
                            .unwrap_or_default();
                        return Err(ProviderError::Refused(format!("HTTP {status}: {description}")));
                    }
                }
                Err(e) if e.is_timeout() => ProviderError::Unavailable("timeout".to_owned()),
                Err(e) => ProviderError::Unavailable(format!("network: {e}")),
            };
            tracing::warn!(path, attempt, error = %last, "YooKassa call failed; retrying with the same idempotence key");
            if attempt < self.config.attempts {
                tokio::time::sleep(delay).await;
                delay *= 2;
            }
        }
        Err(last)
    }

    fn payment(v: Value) -> Result<ProviderPayment, ProviderError> {
        serde_json::from_value::<PaymentJson>(v)
            .map_err(|e| ProviderError::Refused(format!("unexpected payment object: {e}")))?
            .into_payment()
    }
}

fn money_json(m: Money) -> Value {
    json!({"value": amount_string(m), "currency": "RUB"})
}

#[async_trait]
impl PaymentProvider for YooKassa {
    fn name(&self) -> &'static str {
        "yookassa"
    }

    async fn create(&self, p: &NewPayment) -> Result<ProviderPayment, ProviderError> {
        let metadata: serde_json::Map<String, Value> = p
            .metadata
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        // YooKassa takes at most 128 characters of description.
        let description: String = p.description.chars().take(128).collect();
        let body = json!({
            "amount": money_json(p.amount),
            "capture": false,
            "confirmation": {"type": "redirect", "return_url": p.return_url},
            "payment_method_data": {"type": "bank_card"},
            "description": description,
            "metadata": metadata,
        });
        Self::payment(
            self.call(
                reqwest::Method::POST,
                "/payments",
                Some(&p.idempotence_key),
                Some(&body),
            )
            .await?,
        )
    }

    async fn get(&self, id: &str) -> Result<ProviderPayment, ProviderError> {
        Self::payment(
            self.call(
                reqwest::Method::GET,
                &format!("/payments/{}", path_segment(id)?),
                None,
                None,
            )
            .await?,
        )
    }

    async fn capture(&self, id: &str, amount: Money, key: &str) -> Result<ProviderPayment, ProviderError> {
        let body = json!({"amount": money_json(amount)});
        let path = format!("/payments/{}/capture", path_segment(id)?);
        Self::payment(self.call(reqwest::Method::POST, &path, Some(key), Some(&body)).await?)
    }

    async fn cancel(&self, id: &str, key: &str) -> Result<ProviderPayment, ProviderError> {
        let path = format!("/payments/{}/cancel", path_segment(id)?);
        Self::payment(
            self.call(reqwest::Method::POST, &path, Some(key), Some(&json!({})))
                .await?,
        )
    }

    async fn refund(&self, id: &str, amount: Money, key: &str) -> Result<ProviderPayment, ProviderError> {
        let body = json!({"payment_id": id, "amount": money_json(amount)});
        self.call(reqwest::Method::POST, "/refunds", Some(key), Some(&body))
            .await?;
        self.get(id).await
    }
}

/// A provider id used in a URL path: YooKassa's ids are UUID-like; anything else is refused.
fn path_segment(id: &str) -> Result<&str, ProviderError> {
    if !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        Ok(id)
    } else {
        Err(ProviderError::Refused("not a payment id".to_owned()))
    }
}
