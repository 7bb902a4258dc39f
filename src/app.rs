//! Wiring: configuration -> database, dialogue storage, locales, catalog, the Bot API client
//! and the dispatcher -> running by long polling or webhook, beside the HTTP server.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use teloxide::adaptors::throttle::Limits;
use teloxide::adaptors::Throttle;
use teloxide::dispatching::dialogue::{ErasedStorage, Storage};
use teloxide::dispatching::ShutdownToken;
use teloxide::prelude::*;
use teloxide::update_listeners::{webhooks, Polling};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::bot::notices::LocaleNotices;
use crate::bot::{self, AppState, BotApi, State};
use crate::catalog::Catalog;
use crate::config::PaymentProviderKind;
use crate::config::{Config, TelegramConfig};
use crate::domain::clock::{Clock, SystemClock};
use crate::http::payments::PaymentRoutes;
use crate::i18n::Locales;
use crate::jobs;
use crate::payments::provider::PaymentProvider;
use crate::payments::sandbox::Sandbox;
use crate::payments::service::PaymentService;
use crate::payments::yookassa::{YooKassa, YooKassaConfig};
use crate::store::dialogue::{RedisDialogueStorage, SqlDialogueStorage};
use crate::store::{Db, StoreError};

/// Why the application could not start.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Invalid(String),
    #[error("database: {0}")]
    Store(#[from] StoreError),
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    #[error("telegram: {0}")]
    Telegram(#[from] teloxide::RequestError),
    #[error("http server: {0}")]
    Io(#[from] std::io::Error),
}

/// Knobs that production leaves at their defaults and tests change.
#[derive(Clone)]
pub struct AppOptions {
    pub clock: Arc<dyn Clock>,
    /// Telegram's rate limits for the Throttle adaptor.
    pub limits: Limits,
    /// Long-polling timeout.
    pub poll_timeout: Duration,
    /// Prefix of the Redis keys (tests isolate themselves with it).
    pub redis_prefix: String,
    /// How often the background jobs (the outbox relay, ...) look for due work.
    pub worker_interval: Duration,
    /// Run the session jobs (expiry, capture, reminders, completion). Tests of other flows
    /// that stand the clock among stale bookings turn them off.
    pub session_jobs: bool,
}

impl Default for AppOptions {
    fn default() -> Self {
        Self {
            clock: Arc::new(SystemClock),
            limits: Limits::default(),
            poll_timeout: Duration::from_secs(25),
            redis_prefix: "proego:".to_owned(),
            worker_interval: Duration::from_secs(1),
            session_jobs: true,
        }
    }
}

/// Opens the database named by the configuration and applies the migrations.
pub async fn open_db(config: &Config) -> Result<Db, AppError> {
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    Ok(db)
}

/// A built application, ready to run.
pub struct App {
    pub state: Arc<AppState>,
    pub bot: BotApi,
    pub storage: Arc<ErasedStorage<State>>,
    config: Config,
    options: AppOptions,
    payment_routes: PaymentRoutes,
}

/// A running application: the dispatcher and the HTTP server.
pub struct RunningApp {
    pub http_addr: SocketAddr,
    shutdown: ShutdownToken,
    dispatcher: JoinHandle<()>,
    http: JoinHandle<()>,
    stop_jobs: watch::Sender<bool>,
    jobs: Vec<JoinHandle<()>>,
}

impl RunningApp {
    /// Stops taking updates, lets handlers in flight finish, and stops the HTTP server.
    pub async fn stop(self) {
        // A dispatcher that has not started dispatching yet reports itself idle: wait until
        // it runs, then ask again, so a quick stop never leaves it running.
        loop {
            match self.shutdown.shutdown() {
                Ok(done) => {
                    done.await;
                    break;
                }
                Err(_) if self.dispatcher.is_finished() => break,
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            }
        }
        let _ = self.dispatcher.await;
        let _ = self.stop_jobs.send(true);
        for j in self.jobs {
            let _ = j.await;
        }
        self.http.abort();
        let _ = self.http.await;
    }

    /// Waits until the dispatcher ends (Ctrl-C in production).
    pub async fn wait(self) {
        let _ = self.dispatcher.await;
        let _ = self.stop_jobs.send(true);
        for j in self.jobs {
            let _ = j.await;
        }
        self.http.abort();
    }
}

impl App {
    /// Builds everything from configuration. `config.telegram` must be present.
    pub async fn build(config: Config, db: Db, options: AppOptions) -> Result<Self, AppError> {
        let tg: TelegramConfig = config
            .telegram
            .clone()
            .ok_or_else(|| AppError::Invalid("Telegram settings are missing".to_owned()))?;
        let _ = crate::telemetry::metrics();
        let locales = Arc::new(Locales::embedded().map_err(|e| AppError::Invalid(e.join("\n")))?);
        let catalog = Catalog::embedded().map_err(|e| AppError::Invalid(e.join("\n")))?;
        let storage: Arc<ErasedStorage<State>> = match &config.redis_url {
            Some(url) => RedisDialogueStorage::<State>::open(url, &options.redis_prefix)
                .await?
                .erase(),
            None => SqlDialogueStorage::<State>::new(db.clone()).erase(),
        };
        let mut raw = Bot::new(secrecy::ExposeSecret::expose_secret(&tg.token));
        if let Some(url) = &tg.api_url {
            raw = raw.set_api_url(url.clone());
        }
        let bot: BotApi = Throttle::new_spawn(raw, options.limits).parse_mode(bot::PARSE_MODE);
        let data_key = match &config.data_key {
            Some(k) => k.clone(),
            None => crate::crypto::DataKey::load_or_create(&crate::crypto::DataKey::default_path(&config.database_url))
                .map_err(AppError::Invalid)?,
        };
        let me = bot.get_me().await?;
        let bot_username = me.username.clone().unwrap_or_default();
        let back_url = format!("https://t.me/{bot_username}");
        let (provider, sandbox): (Arc<dyn PaymentProvider>, Option<Arc<Sandbox>>) = match config.payment_provider {
            PaymentProviderKind::Sandbox => {
                let s = Arc::new(Sandbox::new(db.clone(), config.public_url.as_str()));
                (s.clone(), Some(s))
            }
            PaymentProviderKind::YooKassa => {
                let (Some(shop), Some(secret)) = (config.yookassa_shop_id.clone(), config.yookassa_secret_key.clone())
                else {
                    return Err(AppError::Invalid("YooKassa credentials are missing".to_owned()));
                };
                let mut yk = YooKassaConfig::production(shop, secret);
                yk.base_url = config.yookassa_api_url.clone();
                let client = YooKassa::new(yk).map_err(|e| AppError::Invalid(e.to_string()))?;
                (Arc::new(client), None)
            }
        };
        let payments = Arc::new(PaymentService {
            db: db.clone(),
            provider,
            clock: options.clock.clone(),
            notices: Arc::new(LocaleNotices {
                locales: locales.clone(),
                default_tz: config.default_tz,
                default_lang: config.default_locale,
            }),
            return_url: back_url.clone(),
            settings: config.domain_settings(),
        });
        let payment_routes = PaymentRoutes {
            service: payments.clone(),
            sandbox,
            locales: locales.clone(),
            default_lang: config.default_locale,
            notify_from: config.yookassa_notify_from.clone(),
            back_url,
        };
        let state = Arc::new(AppState {
            db,
            locales,
            catalog,
            clock: options.clock.clone(),
            admin_ids: tg.admin_ids.clone(),
            admin_chat_id: tg.admin_chat_id,
            default_lang: config.default_locale,
            default_tz: config.default_tz,
            bot_username,
            data_key,
            payments,
            settings: config.domain_settings(),
        });
        if let Err(e) = bot::menus::set_global(&bot, &state.locales, state.default_lang, state.admin_chat_id).await {
            // A missing admin chat must not keep clients from being served.
            tracing::warn!(error = %e, "could not set the global command menus");
        }
        Ok(Self {
            state,
            bot,
            storage,
            config,
            options,
            payment_routes,
        })
    }

    /// Starts the dispatcher (long polling, or webhook when WEBHOOK_URL is set) and the HTTP
    /// server, and returns at once.
    pub async fn spawn(self) -> Result<RunningApp, AppError> {
        let listener = TcpListener::bind(self.config.http_addr).await?;
        let http_addr = listener.local_addr()?;
        let mut dispatcher = Dispatcher::builder(self.bot.clone(), bot::schema())
            .dependencies(dptree::deps![self.state.clone(), self.storage.clone()])
            .default_handler(|_| async {})
            .error_handler(LoggingErrorHandler::with_custom_text("an update could not be handled"))
            .enable_ctrlc_handler()
            .build();
        let shutdown = dispatcher.shutdown_token();
        let base = crate::http::router(self.state.db.clone())
            .merge(crate::http::payments::router(self.payment_routes.clone()));
        let (dispatcher, http) = match self.config.webhook_url.clone() {
            Some(url) => {
                let opts = webhooks::Options::new(http_addr, url);
                let (updates, stop, hook) = webhooks::axum_to_router(self.bot.clone(), opts).await?;
                let app = hook.merge(base);
                let http = tokio::spawn(async move {
                    let app = app.into_make_service_with_connect_info::<SocketAddr>();
                    if let Err(e) = axum::serve(listener, app).with_graceful_shutdown(stop).await {
                        tracing::error!(error = %e, "http server stopped");
                    }
                });
                let d = tokio::spawn(async move {
                    dispatcher
                        .dispatch_with_listener(
                            updates,
                            LoggingErrorHandler::with_custom_text("webhook listener error"),
                        )
                        .await;
                });
                (d, http)
            }
            None => {
                let http = tokio::spawn(async move {
                    let app = base.into_make_service_with_connect_info::<SocketAddr>();
                    if let Err(e) = axum::serve(listener, app).await {
                        tracing::error!(error = %e, "http server stopped");
                    }
                });
                let polling = Polling::builder(self.bot.clone())
                    .timeout(self.options.poll_timeout)
                    .delete_webhook()
                    .await
                    .build();
                let d = tokio::spawn(async move {
                    dispatcher
                        .dispatch_with_listener(polling, LoggingErrorHandler::with_custom_text("polling error"))
                        .await;
                });
                (d, http)
            }
        };
        let (stop_jobs, stop_rx) = watch::channel(false);
        let relay = {
            let (db, bot, clock) = (self.state.db.clone(), self.bot.clone(), self.state.clock.clone());
            tokio::spawn(jobs::every(
                "outbox",
                self.options.worker_interval,
                stop_rx.clone(),
                move || {
                    let (db, bot, clock) = (db.clone(), bot.clone(), clock.clone());
                    async move { jobs::outbox_relay::relay_once(&db, &bot, clock.now()).await }
                },
            ))
        };
        let mut jobs = vec![relay];
        if self.options.session_jobs {
            let state = self.state.clone();
            jobs.push(tokio::spawn(jobs::every(
                "sessions",
                self.options.worker_interval,
                stop_rx,
                move || {
                    let state = state.clone();
                    async move { jobs::sessions::tick(&state, state.clock.now()).await }
                },
            )));
        }
        tracing::info!(%http_addr, "proego is running");
        Ok(RunningApp {
            http_addr,
            shutdown,
            dispatcher,
            http,
            stop_jobs,
            jobs,
        })
    }
}
