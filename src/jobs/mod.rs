//! Work that happens at a time rather than in answer to a message, run by `proego run` itself:
//! the outbox relay today; payment expiry, capture, reminders and payouts plug in here. Each
//! loop ticks on an interval, reads "now" from the injected clock, and stops on shutdown.

pub mod money_returns;
pub mod outbox_relay;
pub mod receipts;
pub mod sessions;

use std::future::Future;
use std::time::Duration;

use tokio::sync::watch;

/// Runs `tick` every `interval` until `stop` turns true. A failing tick is logged and the
/// loop goes on.
pub async fn every<F, Fut>(name: &'static str, interval: Duration, mut stop: watch::Receiver<bool>, mut tick: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<usize, crate::store::StoreError>>,
{
    loop {
        if *stop.borrow() {
            break;
        }
        match tick().await {
            Ok(0) => {}
            Ok(n) => tracing::debug!(job = name, done = n, "tick"),
            Err(e) => tracing::error!(job = name, error = %e, "tick failed"),
        }
        tokio::select! {
            _ = tokio::time::sleep(interval) => {}
            _ = stop.changed() => {}
        }
    }
}
