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
use super::fake_bot_api::FakeBotApi;

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
    vars: HashMap<String, String>,
    redis_prefix: String,
}

impl TestApp {
    pub async fn start() -> Self {
        Self::start_with(&[]).await
    }

    /// Starts with extra configuration variables (e.g. WEBHOOK_URL).
    pub async fn start_with(extra: &[(&str, &str)]) -> Self {
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
            vars,
            redis_prefix,
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
        };
        let app = App::build(config, self.db.db.clone(), options)
            .await
            .expect("the app builds");
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
