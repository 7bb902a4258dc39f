//! What a payment provider does for us, as a trait: two-stage card payments (create with a
//! hold, capture, cancel) and refunds, every call with an idempotence key, and the provider's
//! own view of a payment, which is the only thing we trust (notifications only say "look").

use async_trait::async_trait;

use crate::domain::{Money, PaymentEvent};

/// The provider's status of a payment (YooKassa's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderStatus {
    /// Created, waiting for the client.
    Pending,
    /// The amount is held on the card.
    WaitingForCapture,
    /// The money is taken.
    Succeeded,
    /// Declined, abandoned, or a cancelled hold.
    Canceled,
}

impl ProviderStatus {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "pending" => Self::Pending,
            "waiting_for_capture" => Self::WaitingForCapture,
            "succeeded" => Self::Succeeded,
            "canceled" => Self::Canceled,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::WaitingForCapture => "waiting_for_capture",
            Self::Succeeded => "succeeded",
            Self::Canceled => "canceled",
        }
    }
}

/// A payment as the provider sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderPayment {
    pub id: String,
    pub status: ProviderStatus,
    pub amount: Money,
    /// The cumulative refunded amount.
    pub refunded: Money,
    /// Where the client pays (the payment link).
    pub confirmation_url: Option<String>,
    /// Paid with a card issued abroad (R-PAY-4: the payout may take up to 14 days).
    pub foreign: bool,
}

impl ProviderPayment {
    /// The facts this view establishes, in order, for the domain's payment state machine.
    pub fn facts(&self) -> Vec<PaymentEvent> {
        match self.status {
            ProviderStatus::Pending => vec![],
            ProviderStatus::WaitingForCapture => vec![PaymentEvent::Authorized],
            ProviderStatus::Succeeded if self.refunded.is_zero() => vec![PaymentEvent::Captured],
            ProviderStatus::Succeeded => vec![PaymentEvent::Captured, PaymentEvent::Refunded { total: self.refunded }],
            ProviderStatus::Canceled => vec![PaymentEvent::Voided],
        }
    }
}

/// A payment to create.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPayment {
    pub amount: Money,
    /// What it pays for, shown to the client on the payment page.
    pub description: String,
    /// Our own ids (booking), echoed back by the provider.
    pub metadata: Vec<(String, String)>,
    pub idempotence_key: String,
    /// Where the payment page sends the client afterwards.
    pub return_url: String,
}

/// Why a provider call did not go through.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    /// Try again later with the same idempotence key (timeouts, 5xx, 429).
    #[error("the payment provider is unavailable: {0}")]
    Unavailable(String),
    /// The provider refused the request (4xx): retrying will not help.
    #[error("the payment provider refused: {0}")]
    Refused(String),
    #[error("the payment provider does not know this payment")]
    NotFound,
}

/// A payment provider: `sandbox` (the default) or `yookassa`.
#[async_trait]
pub trait PaymentProvider: Send + Sync {
    fn name(&self) -> &'static str;
    /// Creates a two-stage card payment (`capture: false`).
    async fn create(&self, payment: &NewPayment) -> Result<ProviderPayment, ProviderError>;
    async fn get(&self, id: &str) -> Result<ProviderPayment, ProviderError>;
    async fn capture(&self, id: &str, amount: Money, idempotence_key: &str) -> Result<ProviderPayment, ProviderError>;
    /// Cancels a pending payment or releases a hold.
    async fn cancel(&self, id: &str, idempotence_key: &str) -> Result<ProviderPayment, ProviderError>;
    /// Refunds `amount` of a captured payment; returns the payment as it stands after.
    async fn refund(&self, id: &str, amount: Money, idempotence_key: &str) -> Result<ProviderPayment, ProviderError>;
}

/// "2500.00" as the providers want amounts.
pub fn amount_string(m: Money) -> String {
    format!("{}.{:02}", m.kopecks() / 100, m.kopecks() % 100)
}

/// Parses "2500.00" (or "2500", "2500.5") into money.
pub fn parse_amount(s: &str) -> Option<Money> {
    let (int, frac) = s.split_once('.').unwrap_or((s, "0"));
    if int.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > 2
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let rub: i64 = int.parse().ok()?;
    let kop: i64 = format!("{frac:0<2}").parse().ok()?;
    Money::from_kopecks(rub.checked_mul(100)?.checked_add(kop)?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_as_providers_write_them() {
        assert_eq!(amount_string(Money::from_kopecks(250_000).unwrap()), "2500.00");
        assert_eq!(amount_string(Money::from_kopecks(250_050).unwrap()), "2500.50");
        assert_eq!(amount_string(Money::from_kopecks(5).unwrap()), "0.05");
        assert_eq!(parse_amount("2500.00"), Money::from_kopecks(250_000).ok());
        assert_eq!(parse_amount("2500.5"), Money::from_kopecks(250_050).ok());
        assert_eq!(parse_amount("2500"), Money::from_kopecks(250_000).ok());
        for bad in ["", "-1.00", "1.234", "1,00", "abc", ".5"] {
            assert_eq!(parse_amount(bad), None, "{bad}");
        }
    }

    #[test]
    fn provider_views_become_domain_facts() {
        let p = |status, refunded| ProviderPayment {
            id: "p".into(),
            status,
            amount: Money::from_kopecks(100).unwrap(),
            refunded: Money::from_kopecks(refunded).unwrap(),
            confirmation_url: None,
            foreign: false,
        };
        assert!(p(ProviderStatus::Pending, 0).facts().is_empty());
        assert_eq!(
            p(ProviderStatus::WaitingForCapture, 0).facts(),
            vec![PaymentEvent::Authorized]
        );
        assert_eq!(
            p(ProviderStatus::Succeeded, 40).facts(),
            vec![
                PaymentEvent::Captured,
                PaymentEvent::Refunded {
                    total: Money::from_kopecks(40).unwrap()
                }
            ]
        );
        assert_eq!(p(ProviderStatus::Canceled, 0).facts(), vec![PaymentEvent::Voided]);
    }
}
