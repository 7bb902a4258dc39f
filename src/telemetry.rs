//! Logs (tracing, text or JSON; teloxide's `log` records bridged in) and metrics
//! (Prometheus text at `/metrics`): updates received and handled, handler latency, errors.
//! Logs carry ids and kinds, never message texts, health data, payout details or tokens.

use std::sync::OnceLock;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// Installs the tracing subscriber once (later calls do nothing).
pub fn init_logs(json: bool) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,teloxide=info"));
    let result = if json {
        tracing_subscriber::fmt().with_env_filter(filter).json().try_init()
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).try_init()
    };
    // Already installed (tests start several apps in one process): keep the first.
    let _ = result;
}

static METRICS: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// The Prometheus recorder, installed on first use. `None` if another recorder was
/// installed by someone else in this process.
pub fn metrics() -> Option<&'static PrometheusHandle> {
    METRICS
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Full("proego_handler_seconds".to_owned()),
                    &[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0],
                )
                .ok()?
                .build_recorder();
            let handle = recorder.handle();
            metrics::set_global_recorder(recorder).ok()?;
            metrics::describe_counter!("proego_updates_received_total", "Telegram updates received");
            metrics::describe_counter!("proego_updates_handled_total", "Updates handled, by handler kind");
            metrics::describe_counter!("proego_handler_errors_total", "Handlers that failed, by kind");
            metrics::describe_histogram!("proego_handler_seconds", "Handler latency in seconds");
            Some(handle)
        })
        .as_ref()
}

/// Counts an update as it arrives.
pub fn record_received() {
    metrics::counter!("proego_updates_received_total").increment(1);
}

/// Records one handled update.
pub fn record_update(kind: &'static str, seconds: f64, failed: bool) {
    metrics::counter!("proego_updates_handled_total", "kind" => kind).increment(1);
    metrics::histogram!("proego_handler_seconds", "kind" => kind).record(seconds);
    if failed {
        metrics::counter!("proego_handler_errors_total", "kind" => kind).increment(1);
    }
}

/// The metrics as Prometheus text.
pub fn render() -> String {
    metrics().map(PrometheusHandle::render).unwrap_or_default()
}
