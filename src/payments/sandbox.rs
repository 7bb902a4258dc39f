//! The sandbox provider, the default: it behaves like YooKassa (statuses, holds, capture,
//! cancel, refunds, idempotence keys) and keeps its book in our own database, with a plain
//! payment page served by the bot's HTTP server at `{PUBLIC_URL}/pay/<opaque id>` where the
//! client authorises (holds) or declines. No account needed; the end-to-end tests pay by
//! submitting that form.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::provider::{NewPayment, PaymentProvider, ProviderError, ProviderPayment, ProviderStatus};
use crate::db_run;
use crate::domain::Money;
use crate::store::Db;

pub struct Sandbox {
    db: Db,
    /// `{PUBLIC_URL}` without a trailing slash.
    public_url: String,
}

/// What the payment page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct SandboxPage {
    pub id: String,
    pub amount: Money,
    pub description: String,
    pub status: ProviderStatus,
}

#[derive(FromRow)]
struct Row {
    id: String,
    amount_kopecks: i64,
    refunded_kopecks: i64,
    description: String,
    status: String,
}

fn store_err(e: sqlx::Error) -> ProviderError {
    ProviderError::Unavailable(format!("sandbox book: {e}"))
}

impl Sandbox {
    pub fn new(db: Db, public_url: &str) -> Self {
        Self {
            db,
            public_url: public_url.trim_end_matches('/').to_owned(),
        }
    }

    fn view(&self, r: Row) -> Result<ProviderPayment, ProviderError> {
        let money = |k: i64| Money::from_kopecks(k).map_err(|_| ProviderError::Refused("bad amount".into()));
        Ok(ProviderPayment {
            confirmation_url: Some(format!("{}/pay/{}", self.public_url, r.id)),
            status: ProviderStatus::parse(&r.status).ok_or_else(|| ProviderError::Refused("bad status".into()))?,
            amount: money(r.amount_kopecks)?,
            refunded: money(r.refunded_kopecks)?,
            id: r.id,
            foreign: false,
        })
    }

    async fn row(&self, id: &str) -> Result<Row, ProviderError> {
        let row: Option<Row> = db_run!(&self.db, |p| sqlx::query_as(
            "SELECT id, amount_kopecks, refunded_kopecks, description, status FROM sandbox_payments WHERE id = $1"
        )
        .bind(id)
        .fetch_optional(p)
        .await
        .map_err(store_err)?);
        row.ok_or(ProviderError::NotFound)
    }

    /// Moves the status from one of `from` to `to`; `false` when it was elsewhere.
    async fn set_status(&self, id: &str, from: &[ProviderStatus], to: ProviderStatus) -> Result<bool, ProviderError> {
        let mut changed = false;
        for f in from {
            let n = db_run!(&self.db, |p| sqlx::query(
                "UPDATE sandbox_payments SET status = $3 WHERE id = $1 AND status = $2"
            )
            .bind(id)
            .bind(f.as_str())
            .bind(to.as_str())
            .execute(p)
            .await
            .map_err(store_err)?
            .rows_affected());
            changed |= n == 1;
        }
        Ok(changed)
    }

    /// Records an operation key once; `false` when it was done before (a retry).
    async fn first_time(&self, key: &str, id: &str, kind: &str, amount: Money) -> Result<bool, ProviderError> {
        let n = db_run!(&self.db, |p| {
            sqlx::query(
            "INSERT INTO sandbox_operations (idempotence_key, payment_id, kind, amount_kopecks) VALUES ($1, $2, $3, $4)
             ON CONFLICT (idempotence_key) DO NOTHING"
        )
        .bind(key)
        .bind(id)
        .bind(kind)
        .bind(amount.kopecks())
        .execute(p)
        .await
        .map_err(store_err)?
        .rows_affected()
        });
        Ok(n == 1)
    }

    /// The payment page's data, or `None` for an unknown id.
    pub async fn page(&self, id: &str) -> Result<Option<SandboxPage>, ProviderError> {
        match self.row(id).await {
            Ok(r) => Ok(Some(SandboxPage {
                amount: Money::from_kopecks(r.amount_kopecks)
                    .map_err(|_| ProviderError::Refused("bad amount".into()))?,
                status: ProviderStatus::parse(&r.status).ok_or_else(|| ProviderError::Refused("bad status".into()))?,
                description: r.description,
                id: r.id,
            })),
            Err(ProviderError::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The client authorises the payment on the page: the amount is held.
    pub async fn authorize(&self, id: &str) -> Result<bool, ProviderError> {
        self.set_status(id, &[ProviderStatus::Pending], ProviderStatus::WaitingForCapture)
            .await
    }

    /// The client declines on the page (or the bank does).
    pub async fn decline(&self, id: &str) -> Result<bool, ProviderError> {
        self.set_status(id, &[ProviderStatus::Pending], ProviderStatus::Canceled)
            .await
    }
}

#[async_trait]
impl PaymentProvider for Sandbox {
    fn name(&self) -> &'static str {
        "sandbox"
    }

    async fn create(&self, p: &NewPayment) -> Result<ProviderPayment, ProviderError> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let metadata = serde_json::to_string(&p.metadata).unwrap_or_default();
        let now: DateTime<Utc> = Utc::now();
        db_run!(&self.db, |pool| {
            sqlx::query(
            "INSERT INTO sandbox_payments (id, idempotence_key, amount_kopecks, description, status, metadata, created_at)
             VALUES ($1, $2, $3, $4, 'pending', $5, $6) ON CONFLICT (idempotence_key) DO NOTHING"
        )
        .bind(&id)
        .bind(&p.idempotence_key)
        .bind(p.amount.kopecks())
        .bind(&p.description)
        .bind(metadata)
        .bind(now)
        .execute(pool)
        .await
        .map_err(store_err)?
        .rows_affected()
        });
        // The same key gives back the same payment.
        let row: Row = db_run!(&self.db, |pool| {
            sqlx::query_as(
            "SELECT id, amount_kopecks, refunded_kopecks, description, status FROM sandbox_payments WHERE idempotence_key = $1"
        )
        .bind(&p.idempotence_key)
        .fetch_one(pool)
        .await
        .map_err(store_err)?
        });
        self.view(row)
    }

    async fn get(&self, id: &str) -> Result<ProviderPayment, ProviderError> {
        let r = self.row(id).await?;
        self.view(r)
    }

    async fn capture(&self, id: &str, amount: Money, key: &str) -> Result<ProviderPayment, ProviderError> {
        let current = self.get(id).await?;
        if current.status == ProviderStatus::Succeeded {
            return Ok(current);
        }
        if current.status != ProviderStatus::WaitingForCapture || amount != current.amount {
            return Err(ProviderError::Refused(format!(
                "cannot capture a {} payment",
                current.status.as_str()
            )));
        }
        self.first_time(key, id, "capture", amount).await?;
        self.set_status(id, &[ProviderStatus::WaitingForCapture], ProviderStatus::Succeeded)
            .await?;
        self.get(id).await
    }

    async fn cancel(&self, id: &str, key: &str) -> Result<ProviderPayment, ProviderError> {
        let current = self.get(id).await?;
        match current.status {
            ProviderStatus::Canceled => Ok(current),
            ProviderStatus::Succeeded => Err(ProviderError::Refused(
                "a captured payment is refunded, not cancelled".into(),
            )),
            _ => {
                self.first_time(key, id, "cancel", Money::ZERO).await?;
                self.set_status(
                    id,
                    &[ProviderStatus::Pending, ProviderStatus::WaitingForCapture],
                    ProviderStatus::Canceled,
                )
                .await?;
                self.get(id).await
            }
        }
    }

    async fn refund(&self, id: &str, amount: Money, key: &str) -> Result<ProviderPayment, ProviderError> {
        let current = self.get(id).await?;
        if current.status != ProviderStatus::Succeeded {
            return Err(ProviderError::Refused("only a captured payment can be refunded".into()));
        }
        if !self.first_time(key, id, "refund", amount).await? {
            return Ok(current);
        }
        let n = db_run!(&self.db, |p| sqlx::query(
            "UPDATE sandbox_payments SET refunded_kopecks = refunded_kopecks + $2
             WHERE id = $1 AND refunded_kopecks + $2 <= amount_kopecks"
        )
        .bind(id)
        .bind(amount.kopecks())
        .execute(p)
        .await
        .map_err(store_err)?
        .rows_affected());
        if n == 0 {
            return Err(ProviderError::Refused("the refund is larger than what is left".into()));
        }
        self.get(id).await
    }
}
