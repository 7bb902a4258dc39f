//! The real application (configuration, dispatcher, handler tree, storage) started against
//! the fake Bot API, on the backend chosen for end-to-end tests, with a test clock.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use proego::app::{App, AppOptions, RunningApp};
use proego::config::{Config, Needs};
use proego::domain::clock::TestClock;
use teloxide::adaptors::throttle::Limits;

use super::db::{e2e_backend, e2e_redis, TestDb};
use super::fake_bot_api::{CallbackAnswer, FakeBotApi, TestUser};

pub const ADMIN_CHAT_ID: i64 = -100_777;
pub const ADMIN_ID: i64 = 9001;
pub const SECOND_ADMIN_ID: i64 = 9002;
/// R-ONB-7: the data key of end-to-end tests (base64 of bytes 0..32), so no key file is written.
pub const TEST_DATA_KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

pub struct TestApp {
    pub api: FakeBotApi,
    pub db: TestDb,
    pub clock: Arc<TestClock>,
    pub running: Option<RunningApp>,
    /// The running app's shared state (store, payments, ...).
    pub state: Option<Arc<proego::bot::AppState>>,
    vars: HashMap<String, String>,
    redis_prefix: String,
    session_jobs: bool,
}

impl TestApp {
    pub async fn start() -> Self {
        Self::start_with(&[]).await
    }

    /// An app whose session jobs (expiry, capture, reminders, completion) do not run, for
    /// tests of other flows that stand the clock among bookings the jobs would act on.
    pub async fn start_without_session_jobs() -> Self {
        Self::start_inner(&[], false).await
    }

    /// Starts with extra configuration variables (e.g. WEBHOOK_URL).
    pub async fn start_with(extra: &[(&str, &str)]) -> Self {
        Self::start_inner(extra, true).await
    }

    async fn start_inner(extra: &[(&str, &str)], session_jobs: bool) -> Self {
        let api = FakeBotApi::start().await;
        let db = TestDb::new(e2e_backend()).await;
        let mut vars: HashMap<String, String> = [
            ("TELOXIDE_TOKEN", api.token().to_owned()),
            ("TELOXIDE_API_URL", api.api_url().to_string()),
            ("ADMIN_CHAT_ID", ADMIN_CHAT_ID.to_string()),
            ("ADMIN_IDS", format!("{ADMIN_ID},{SECOND_ADMIN_ID}")),
            ("HTTP_ADDR", "127.0.0.1:0".to_owned()),
            ("DATA_KEY", TEST_DATA_KEY.to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        if let Some(r) = e2e_redis() {
            vars.insert("REDIS_URL".to_owned(), r);
        }
        for (k, v) in extra {
            vars.insert((*k).to_owned(), (*v).to_owned());
        }
        let clock = Arc::new(TestClock::new(Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap()));
        let redis_prefix = format!("proego-e2e:{}:", uuid::Uuid::new_v4().simple());
        let mut app = Self {
            api,
            db,
            clock,
            running: None,
            state: None,
            vars,
            redis_prefix,
            session_jobs,
        };
        app.launch().await;
        app
    }

    async fn launch(&mut self) {
        let config = Config::from_map(&self.vars, Needs::Telegram).expect("test configuration is valid");
        let options = AppOptions {
            clock: self.clock.clone(),
            limits: Limits {
                messages_per_sec_chat: 1000,
                messages_per_min_chat: 100_000,
                messages_per_min_channel_or_supergroup: 100_000,
                messages_per_sec_overall: 10_000,
            },
            poll_timeout: Duration::from_secs(1),
            redis_prefix: self.redis_prefix.clone(),
            worker_interval: Duration::from_millis(50),
            session_jobs: self.session_jobs,
        };
        let app = App::build(config, self.db.db.clone(), options)
            .await
            .expect("the app builds");
        self.state = Some(app.state.clone());
        self.running = Some(app.spawn().await.expect("the app starts"));
    }

    /// Stops the bot (handlers in flight finish) and starts a new one on the same data.
    pub async fn restart(&mut self) {
        self.stop_bot().await;
        self.launch().await;
    }

    pub async fn stop_bot(&mut self) {
        if let Some(r) = self.running.take() {
            r.stop().await;
        }
    }

    pub fn clock_now(&self) -> chrono::DateTime<Utc> {
        proego::domain::clock::Clock::now(&*self.clock)
    }

    /// Presses a button that is not on the message (a forged or stale callback_data) and
    /// returns the bot's answer to it.
    pub async fn forged_press(&self, user: &TestUser, message_id: i32, data: &str) -> CallbackAnswer {
        let id = format!("forged-{}-{}", user.id(), uuid::Uuid::new_v4().simple());
        self.api.push_raw_update(serde_json::json!({"callback_query": {
            "id": id, "from": user.json(), "chat_instance": format!("ci-{}", user.id()), "data": data,
            "message": {"message_id": message_id, "date": 1_700_000_000,
                        "chat": {"id": user.chat_id(), "type": "private", "first_name": user.info().first_name},
                        "from": self.api.bot_user(), "text": "…"}}}));
        self.api.wait_callback_answer(&id).await
    }

    /// The payment service of the running app.
    pub fn payments(&self) -> Arc<proego::payments::service::PaymentService> {
        self.state.as_ref().expect("running").payments.clone()
    }

    pub fn http_url(&self, path: &str) -> String {
        let addr = self.running.as_ref().expect("running").http_addr;
        format!("http://{addr}{path}")
    }

    /// Ends the test: stops the bot and checks that no request broke the Bot API's rules.
    pub async fn finish(mut self) {
        self.stop_bot().await;
        self.api.assert_no_violations();
    }
}

/// The application's shared state over a database, without Telegram (for calling the jobs
/// directly).
pub async fn state_for(db: proego::store::Db) -> proego::bot::AppState {
    use proego::bot::notices::LocaleNotices;
    use proego::payments::sandbox::Sandbox;
    use proego::payments::service::PaymentService;
    let locales = Arc::new(proego::i18n::Locales::embedded().unwrap());
    let clock: Arc<dyn proego::domain::Clock> =
        Arc::new(TestClock::new(Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap()));
    let payments = Arc::new(PaymentService {
        db: db.clone(),
        provider: Arc::new(Sandbox::new(db.clone(), "http://127.0.0.1:8080")),
        clock: clock.clone(),
        notices: Arc::new(LocaleNotices {
            locales: locales.clone(),
            default_tz: chrono_tz::Europe::Moscow,
            default_lang: proego::i18n::Lang::Ru,
        }),
        return_url: "https://t.me/proego_test_bot".into(),
        settings: proego::domain::DomainSettings::default(),
    });
    proego::bot::AppState {
        db,
        locales,
        catalog: proego::catalog::Catalog::embedded().unwrap(),
        clock,
        admin_ids: vec![ADMIN_ID as u64],
        admin_chat_id: ADMIN_CHAT_ID,
        default_lang: proego::i18n::Lang::Ru,
        default_tz: chrono_tz::Europe::Moscow,
        bot_username: "proego_test_bot".into(),
        payments,
        settings: proego::domain::DomainSettings::default(),
        data_key: proego::crypto::DataKey::from_base64(TEST_DATA_KEY).unwrap(),
    }
}
