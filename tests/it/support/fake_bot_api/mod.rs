//! A fake Telegram Bot API for end-to-end tests: the real bot (a teloxide `Bot` whose API URL
//! points here, driven by the real dispatcher) talks to it over HTTP; the fake plays the users,
//! keeps every chat as it stands, and validates every request against the official spec
//! (`tests/data/bot-api-10.1.json`) and Telegram's documented limits.
//!
//! ```ignore
//! let api = FakeBotApi::start().await;
//! let bot = api.bot(); // Bot::new(api.token()).set_api_url(api.api_url())
//! let dispatcher = tokio::spawn(run_the_bot(bot));          // the real handler tree
//! let anna = api.user(1001, "Anna", "ru");
//! anna.send_command("/start");
//! let welcome = anna.wait_bot_message().await;              // 5 s, then panics with transcripts
//! assert!(welcome.text().contains("Здравствуйте"));
//! let cb = anna.press(&welcome, "Записаться");             // button text, substring or data
//! let edited = anna.wait_edit(welcome.message_id).await;
//! api.wait_callback_answer(&cb).await;
//! api.assert_no_violations();                               // also checked on drop
//! dispatcher.abort();
//! ```
//!
//! Violations: every request that breaks the spec or a Telegram limit gets the error Telegram
//! would give (400 Bad Request, 404 for unknown methods, 403 for a user who never started the
//! bot) and is recorded. **Dropping a `FakeBotApi` with recorded violations panics** (unless the
//! thread is already panicking); a test that expects violations consumes them with
//! [`ApiHandle::take_violations`] or [`ApiHandle::assert_violation`]. A user who blocked the bot
//! is not a violation: the bot must cope with that 403.
//!
//! What is validated, for every request (JSON, multipart/form-data, form or query string):
//! - the method exists in the spec (else 404 "Not Found"), the token is the fake's (else 401);
//! - no unknown parameter, every required one present, every value of the spec's type,
//!   recursively through objects, arrays and unions (`chat_id` Integer or String; `reply_markup`
//!   one of four keyboards; `BotCommandScope` picked by its `type`); multipart/form strings
//!   are converted first (integers, floats, booleans, JSON-serialized objects), `attach://x`
//!   must name an uploaded part; discriminators ("must be chat") and "must be one of" values;
//! - Telegram's limits: text 1-4096 and caption 0-1024 UTF-16 code units after entity parsing;
//!   parse_mode HTML/MarkdownV2/Markdown; HTML well-formed with Telegram's tags only (see
//!   [`parse_html`]: unescaped `<` or `&` refused); callback_data 1-64 bytes; exactly one
//!   action per inline button and non-empty button text; at most 100 inline buttons;
//!   answerCallbackQuery text <= 200; commands 1-32 of `[a-z0-9_]`, descriptions 1-256, at most
//!   100; sendChatAction actions;
//! - state: unknown chat ("chat not found"); a private chat whose user never wrote to the bot
//!   (403, a violation unless [`ApiHandle::expect_forbidden`]); edits of missing, deleted or
//!   foreign messages; edits that change nothing ("message is not modified"); deleting missing
//!   messages; replies to missing messages; unknown file ids; answering an unknown or already
//!   answered callback query; getUpdates while a webhook is set.
//!
//! Not validated: MarkdownV2 syntax (stored as sent), the `entities` parameter's offsets, file
//! contents (a "photo" may be any bytes), URLs (http webhooks on loopback are accepted), rate
//! limits (use `fail_next` to simulate 429), inline mode, payments, business and other
//! methods beyond their parameter types. The fake's own results and the updates it delivers
//! are checked against the spec too (a mismatch is reported as a "FAKE BUG" violation).
//!
//! Methods with real behaviour: getMe, getUpdates (long polling), setWebhook/deleteWebhook/
//! getWebhookInfo (a webhook on a loopback URL gets the updates POSTed to it), sendMessage,
//! sendDocument, sendPhoto, copyMessage, forwardMessage, editMessageText, editMessageCaption,
//! editMessageReplyMarkup, deleteMessage(s), answerCallbackQuery, set/delete/getMyCommands,
//! sendChatAction, getFile (+ file downloads), getChat, getChatMember, getChatAdministrators,
//! set/getChatMenuButton. Every other method of the spec is validated, recorded and answered
//! with `true` (so a method that returns an object will fail to deserialize in teloxide: add it
//! here when the bot starts using it).

#![allow(dead_code, unused_imports)]

mod html;
mod methods;
mod server;
mod spec;
mod state;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::ops::Deref;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::{json, Value};
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use html::{escape as escape_html, parse as parse_html, utf16_len, Parsed};
pub use state::{
    Call, CallbackAnswer, ChatMessage, FailMode, FileRecord, UserInfo, Violation, BOT_ID, BOT_NAME, BOT_USERNAME, TOKEN,
};

use state::{ChatKind, ChatRecord, State, UserRecord};

/// Bot commands as (command, description).
pub type Commands = Vec<(String, String)>;

/// How long the `wait_*` helpers wait by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

pub(crate) struct Shared {
    state: Mutex<State>,
    /// Bumped on every change: waiters and long polls subscribe to it.
    changed: watch::Sender<u64>,
    timeout: Mutex<Duration>,
    reported: AtomicBool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn notify(&self) {
        self.changed.send_modify(|v| *v = v.wrapping_add(1));
    }

    fn mutate<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        let r = f(&mut self.lock());
        self.notify();
        r
    }
}

/// The running fake. Dereferences to [`ApiHandle`], which has all the methods. Dropping it stops
/// the server and panics if violations were recorded and not consumed.
pub struct FakeBotApi {
    api: ApiHandle,
    server: JoinHandle<()>,
    webhooks: JoinHandle<()>,
}

impl FakeBotApi {
    /// Starts the fake on 127.0.0.1 on a free port.
    pub async fn start() -> FakeBotApi {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the fake Bot API on 127.0.0.1");
        let addr: SocketAddr = listener.local_addr().expect("local address");
        let (changed, _) = watch::channel(0);
        let shared = Arc::new(Shared {
            state: Mutex::new(State::new()),
            changed,
            timeout: Mutex::new(DEFAULT_TIMEOUT),
            reported: AtomicBool::new(false),
        });
        let app = server::router(shared.clone());
        let server = tokio::spawn(async move {
            axum::serve(listener, app)
                .await
                .expect("the fake Bot API server failed");
        });
        let webhooks = tokio::spawn(server::deliver_webhooks(shared.clone()));
        let api = ApiHandle {
            shared,
            url: format!("http://{addr}/"),
        };
        FakeBotApi { api, server, webhooks }
    }

    /// A clonable handle (for spawned tasks).
    pub fn handle(&self) -> ApiHandle {
        self.api.clone()
    }
}

impl Deref for FakeBotApi {
    type Target = ApiHandle;
    fn deref(&self) -> &ApiHandle {
        &self.api
    }
}

impl Drop for FakeBotApi {
    fn drop(&mut self) {
        self.server.abort();
        self.webhooks.abort();
        if std::thread::panicking() || self.shared.reported.load(Ordering::SeqCst) {
            return;
        }
        let violations = self.shared.lock().violations.clone();
        if !violations.is_empty() {
            panic!(
                "the fake Bot API recorded {} violation(s) that the test did not consume \
                 (call assert_no_violations, or take_violations for expected ones):\n{}",
                violations.len(),
                format_violations(&violations)
            );
        }
    }
}

fn format_violations(v: &[Violation]) -> String {
    v.iter().enumerate().map(|(i, v)| format!("{}. {v}\n", i + 1)).collect()
}

/// Everything a test does with the fake: play users, read chats, check calls and violations,
/// wait for the bot. Cheap to clone.
#[derive(Clone)]
pub struct ApiHandle {
    shared: Arc<Shared>,
    url: String,
}

impl ApiHandle {
    // ----- connecting the bot -----

    /// The base URL for `Bot::set_api_url` (or `TELOXIDE_API_URL`), e.g. `http://127.0.0.1:1234/`.
    pub fn api_url(&self) -> reqwest::Url {
        reqwest::Url::parse(&self.url).expect("a valid URL")
    }

    /// The token the fake accepts.
    pub fn token(&self) -> &'static str {
        TOKEN
    }

    /// A teloxide `Bot` pointed at the fake.
    pub fn bot(&self) -> teloxide::Bot {
        teloxide::Bot::new(TOKEN).set_api_url(self.api_url())
    }

    /// The bot's `User` object (as in getMe).
    pub fn bot_user(&self) -> Value {
        State::bot_json()
    }

    // ----- playing users and chats -----

    /// Registers (or updates) a user with a private chat with the bot and returns a handle. The
    /// user has not started the bot until they send it something (or press a button). Each
    /// call returns a handle whose read cursor starts now (it has "read" everything so far);
    /// clone a handle to share its cursor.
    pub fn user(&self, id: i64, first_name: &str, language_code: &str) -> TestUser {
        self.user_with(UserInfo::new(id, first_name).language_code(language_code))
    }

    /// Registers a user built with [`UserInfo`] (last name, username, language).
    pub fn user_with(&self, info: UserInfo) -> TestUser {
        let id = info.id;
        let seq = self.shared.mutate(|st| {
            match st.users.get_mut(&id) {
                Some(u) => u.info = info,
                None => {
                    st.users.insert(
                        id,
                        UserRecord {
                            info,
                            started: false,
                            blocked: false,
                            expect_forbidden: false,
                        },
                    );
                }
            }
            st.chats.entry(id).or_insert_with(|| ChatRecord {
                id,
                kind: ChatKind::Private { user_id: id },
                messages: Vec::new(),
                next_message_id: 0,
                members: [id].into(),
                admins: Default::default(),
            });
            st.seq
        });
        TestUser {
            api: self.clone(),
            id,
            cursors: Cursors::new(seq),
        }
    }

    /// Registers (or returns) a group the bot is a member (and admin) of. A chat id below
    /// -1000000000000 makes a supergroup.
    pub fn group(&self, chat_id: i64, title: &str) -> TestGroup {
        assert!(chat_id < 0, "group chat ids are negative");
        let seq = self.shared.mutate(|st| {
            let chat = st.chats.entry(chat_id).or_insert_with(|| ChatRecord {
                id: chat_id,
                kind: ChatKind::Group {
                    title: title.to_owned(),
                },
                messages: Vec::new(),
                next_message_id: 0,
                members: Default::default(),
                admins: Default::default(),
            });
            chat.kind = ChatKind::Group {
                title: title.to_owned(),
            };
            st.seq
        });
        TestGroup {
            api: self.clone(),
            id: chat_id,
            cursors: Cursors::new(seq),
        }
    }

    /// A view of a chat (a user's id for their private chat).
    pub fn chat(&self, chat_id: i64) -> ChatView {
        ChatView {
            api: self.clone(),
            chat_id,
        }
    }

    /// Queues any update (an `update_id` is assigned unless present). It is checked against the
    /// spec when delivered.
    pub fn push_raw_update(&self, update: Value) -> i64 {
        self.shared.mutate(|st| st.push_update(update))
    }

    /// The user blocks the bot: messages to them answer 403 "bot was blocked by the user" (not
    /// a violation).
    pub fn block_bot(&self, user_id: i64) {
        self.shared.mutate(|st| {
            if let Some(u) = st.users.get_mut(&user_id) {
                u.blocked = true;
            }
        });
    }

    pub fn unblock_bot(&self, user_id: i64) {
        self.shared.mutate(|st| {
            if let Some(u) = st.users.get_mut(&user_id) {
                u.blocked = false;
            }
        });
    }

    /// The test expects the bot to write to this user before they started it: the 403 "bot
    /// can't initiate conversation with a user" is then not a violation.
    pub fn expect_forbidden(&self, user_id: i64) {
        self.shared.mutate(|st| {
            if let Some(u) = st.users.get_mut(&user_id) {
                u.expect_forbidden = true;
            }
        });
    }

    /// The next `times` calls of `method` (any case) fail with `mode` (after validation).
    pub fn fail_next(&self, method: &str, mode: FailMode, times: usize) {
        let method = spec::spec()
            .method(method)
            .unwrap_or_else(|| panic!("{method:?} is not a Bot API method"))
            .name
            .to_ascii_lowercase();
        self.shared.mutate(|st| {
            st.fail
                .entry(method)
                .or_default()
                .extend(std::iter::repeat_n(mode, times));
        });
    }

    /// Fixes the `date` of the messages the fake makes (unix seconds); `None` for real time.
    pub fn set_now(&self, unix: Option<i64>) {
        self.shared.mutate(|st| st.now = unix);
    }

    /// Sets how long the `wait_*` helpers wait (default 5 s).
    pub fn set_timeout(&self, timeout: Duration) {
        *self.shared.timeout.lock().unwrap_or_else(|e| e.into_inner()) = timeout;
    }

    fn timeout(&self) -> Duration {
        *self.shared.timeout.lock().unwrap_or_else(|e| e.into_inner())
    }

    // ----- violations -----

    /// The violations recorded so far (not consumed).
    pub fn violations(&self) -> Vec<Violation> {
        self.shared.lock().violations.clone()
    }

    /// Returns and forgets the violations recorded so far (for tests that expect some).
    pub fn take_violations(&self) -> Vec<Violation> {
        std::mem::take(&mut self.shared.lock().violations)
    }

    /// Consumes the violations whose method or description contains `needle`; panics if there
    /// is none. Returns them.
    pub fn assert_violation(&self, needle: &str) -> Vec<Violation> {
        let mut st = self.shared.lock();
        let (found, rest): (Vec<Violation>, Vec<Violation>) = std::mem::take(&mut st.violations)
            .into_iter()
            .partition(|v| v.description.contains(needle) || v.method == needle);
        st.violations = rest;
        let all = st.violations.clone();
        drop(st);
        if found.is_empty() {
            panic!(
                "expected a violation containing {needle:?}; recorded:\n{}",
                format_violations(&all)
            );
        }
        found
    }

    /// Panics with every recorded violation, pretty-printed, if there is any.
    pub fn assert_no_violations(&self) {
        let v = self.violations();
        if !v.is_empty() {
            self.shared.reported.store(true, Ordering::SeqCst);
            panic!(
                "the bot made {} request(s) that break the Bot API:\n{}",
                v.len(),
                format_violations(&v)
            );
        }
    }

    // ----- what the bot did -----

    /// Every request the bot made, in order (getUpdates polls are not recorded).
    pub fn calls(&self) -> Vec<Call> {
        self.shared.lock().calls.clone()
    }

    /// The calls of one method (any case: "sendMessage" or "SendMessage").
    pub fn calls_to(&self, method: &str) -> Vec<Call> {
        self.calls()
            .into_iter()
            .filter(|c| c.method.eq_ignore_ascii_case(method))
            .collect()
    }

    /// How many getUpdates requests the bot made.
    pub fn poll_count(&self) -> u64 {
        self.shared.lock().poll_count
    }

    /// The latest commands set for a scope (e.g. `json!({"type": "default"})`,
    /// `json!({"type": "chat", "chat_id": 42})`) and language ("" or None for all), as
    /// (command, description); empty if none.
    pub fn my_commands(&self, scope: Value, language_code: Option<&str>) -> Vec<(String, String)> {
        let key = (scope.to_string(), language_code.unwrap_or("").to_owned());
        let st = self.shared.lock();
        st.commands.get(&key).map(|c| commands_pairs(c)).unwrap_or_default()
    }

    /// Every (scope, language_code, commands) set.
    pub fn all_my_commands(&self) -> Vec<(Value, String, Commands)> {
        let st = self.shared.lock();
        st.commands
            .iter()
            .map(|((scope, lang), c)| {
                (
                    serde_json::from_str(scope).unwrap_or(Value::Null),
                    lang.clone(),
                    commands_pairs(c),
                )
            })
            .collect()
    }

    /// The parameters of the current webhook (None after deleteWebhook or if never set).
    pub fn webhook(&self) -> Option<Value> {
        self.shared.lock().webhook.clone()
    }

    /// The answers to callback queries, in the order the queries were made.
    pub fn callback_answers(&self) -> Vec<CallbackAnswer> {
        let st = self.shared.lock();
        st.callback_order
            .iter()
            .filter_map(|id| st.callbacks[id].answer.clone())
            .collect()
    }

    pub fn callback_answer(&self, callback_id: &str) -> Option<CallbackAnswer> {
        self.shared
            .lock()
            .callbacks
            .get(callback_id)
            .and_then(|c| c.answer.clone())
    }

    /// Callback queries the bot has not answered (yet): Telegram shows a spinner meanwhile.
    pub fn unanswered_callbacks(&self) -> Vec<String> {
        let st = self.shared.lock();
        st.callback_order
            .iter()
            .filter(|id| st.callbacks[*id].answer.is_none())
            .cloned()
            .collect()
    }

    /// sendChatAction calls as (chat_id, action).
    pub fn chat_actions(&self) -> Vec<(i64, String)> {
        self.shared.lock().chat_actions.clone()
    }

    /// The menu button set for a chat (None: the default one), if any was set.
    pub fn menu_button(&self, chat_id: Option<i64>) -> Option<Value> {
        self.shared.lock().menu_buttons.get(&chat_id).cloned()
    }

    /// Updates queued and not yet confirmed by the bot.
    pub fn pending_updates(&self) -> Vec<Value> {
        self.shared.lock().updates.iter().cloned().collect()
    }

    /// A file the fake knows (bot uploads and user files).
    pub fn file(&self, file_id: &str) -> Option<FileRecord> {
        self.shared.lock().files.get(file_id).cloned()
    }

    /// A chat's transcript (for messages and debugging).
    pub fn transcript(&self, chat_id: i64) -> String {
        self.shared.lock().transcript(chat_id)
    }

    /// All chats, violations, failed calls and recent calls.
    pub fn report(&self) -> String {
        self.shared.lock().report()
    }

    // ----- waiting -----

    /// Waits until `f` returns Some (re-checked on every change of the fake's state), at most
    /// the timeout; panics with a full report then. `f` may call any method of the handle.
    pub async fn wait_for<T>(&self, what: &str, mut f: impl FnMut(&ApiHandle) -> Option<T>) -> T {
        let deadline = tokio::time::Instant::now() + self.timeout();
        loop {
            let mut rx = self.shared.changed.subscribe();
            if let Some(t) = f(self) {
                return t;
            }
            if tokio::time::timeout_at(deadline, rx.changed()).await.is_err() {
                self.timed_out(what);
            }
        }
    }

    /// Waits until `f` holds; see [`ApiHandle::wait_for`].
    pub async fn wait_until(&self, what: &str, mut f: impl FnMut(&ApiHandle) -> bool) {
        self.wait_for(what, |api| f(api).then_some(())).await
    }

    /// Waits for the bot's answer to a callback query.
    pub async fn wait_callback_answer(&self, callback_id: &str) -> CallbackAnswer {
        let what = format!("the answer to callback query {callback_id}");
        self.wait_state(&what, |st| st.callbacks.get(callback_id).and_then(|c| c.answer.clone()))
            .await
    }

    /// Waits until the bot has confirmed (fetched past) every queued update.
    pub async fn wait_updates_consumed(&self) {
        self.wait_state("the bot to fetch every queued update", |st| {
            st.updates.is_empty().then_some(())
        })
        .await
    }

    /// Waits until the bot has made at least `n` calls of `method`; returns them all.
    pub async fn wait_calls(&self, method: &str, n: usize) -> Vec<Call> {
        let what = format!("{n} call(s) of {method}");
        self.wait_state(&what, |st| {
            let calls: Vec<Call> = st
                .calls
                .iter()
                .filter(|c| c.method.eq_ignore_ascii_case(method))
                .cloned()
                .collect();
            (calls.len() >= n).then_some(calls)
        })
        .await
    }

    /// Internal wait with the state locked while `f` runs (`f` must not panic).
    async fn wait_state<T>(&self, what: &str, mut f: impl FnMut(&State) -> Option<T>) -> T {
        let deadline = tokio::time::Instant::now() + self.timeout();
        loop {
            let mut rx = self.shared.changed.subscribe();
            if let Some(t) = f(&self.shared.lock()) {
                return t;
            }
            if tokio::time::timeout_at(deadline, rx.changed()).await.is_err() {
                self.timed_out(what);
            }
        }
    }

    fn timed_out(&self, what: &str) -> ! {
        panic!(
            "fake Bot API: timed out after {:?} waiting for {what}\n{}",
            self.timeout(),
            self.report()
        );
    }
}

fn commands_pairs(c: &[Value]) -> Vec<(String, String)> {
    c.iter()
        .map(|c| {
            (
                c["command"].as_str().unwrap_or("").to_owned(),
                c["description"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

/// What a handle has already read: the sequence number of the last bot message seen per chat,
/// and the edit count seen per message.
#[derive(Default)]
struct CursorState {
    start: u64,
    seen: HashMap<i64, u64>,
    edits: HashMap<(i64, i32), u32>,
}

#[derive(Clone)]
struct Cursors(Arc<Mutex<CursorState>>);

impl Cursors {
    fn new(start: u64) -> Self {
        Cursors(Arc::new(Mutex::new(CursorState {
            start,
            ..Default::default()
        })))
    }
    fn lock(&self) -> MutexGuard<'_, CursorState> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
    fn seen(&self, chat_id: i64) -> u64 {
        let c = self.lock();
        c.seen.get(&chat_id).copied().unwrap_or(c.start)
    }
    fn saw(&self, m: &ChatMessage) {
        let mut c = self.lock();
        let e = c.seen.entry(m.chat_id).or_insert(0);
        *e = (*e).max(m.seq);
        c.edits.insert((m.chat_id, m.message_id), m.edit_count);
    }
    fn saw_edit(&self, m: &ChatMessage) {
        self.lock().edits.insert((m.chat_id, m.message_id), m.edit_count);
    }
    fn edits_seen(&self, chat_id: i64, message_id: i32) -> u32 {
        self.lock().edits.get(&(chat_id, message_id)).copied().unwrap_or(0)
    }
}

async fn wait_new_bot_message(api: &ApiHandle, cursors: &Cursors, chat_id: i64, who: &str) -> ChatMessage {
    let after = cursors.seen(chat_id);
    let what = format!("a new bot message in chat {chat_id} ({who})");
    let m = api
        .wait_state(&what, |st| {
            st.chats
                .get(&chat_id)?
                .messages
                .iter()
                .find(|m| m.from_bot && !m.deleted && m.seq > after)
                .cloned()
        })
        .await;
    cursors.saw(&m);
    m
}

async fn wait_message_edit(api: &ApiHandle, cursors: &Cursors, chat_id: i64, message_id: i32) -> ChatMessage {
    let seen = cursors.edits_seen(chat_id, message_id);
    let what = format!("an edit of message #{message_id} in chat {chat_id} (edits seen: {seen})");
    let m = api
        .wait_state(&what, |st| {
            st.message(chat_id, message_id)
                .filter(|m| !m.deleted && m.edit_count > seen)
                .cloned()
        })
        .await;
    cursors.saw_edit(&m);
    m
}

fn unread_bot_messages(api: &ApiHandle, cursors: &Cursors, chat_id: i64) -> Vec<ChatMessage> {
    let after = cursors.seen(chat_id);
    let st = api.shared.lock();
    st.chats
        .get(&chat_id)
        .map(|c| {
            c.messages
                .iter()
                .filter(|m| m.from_bot && !m.deleted && m.seq > after)
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

/// A user the fake plays. Each handle remembers which bot messages it has already read.
#[derive(Clone)]
pub struct TestUser {
    api: ApiHandle,
    id: i64,
    cursors: Cursors,
}

impl TestUser {
    pub fn id(&self) -> i64 {
        self.id
    }

    /// The user's private chat with the bot (same as the user id).
    pub fn chat_id(&self) -> i64 {
        self.id
    }

    pub fn info(&self) -> UserInfo {
        self.api.shared.lock().users[&self.id].info.clone()
    }

    /// The `User` object.
    pub fn json(&self) -> Value {
        self.info().json()
    }

    /// The user's private chat.
    pub fn chat(&self) -> ChatView {
        self.api.chat(self.id)
    }

    /// Sends a text message to the bot (a leading "/command" gets a bot_command entity).
    pub fn send_text(&self, text: &str) -> ChatMessage {
        self.send_text_to(self.id, text, None)
    }

    /// Sends a command, e.g. "/start" or "/start payload".
    pub fn send_command(&self, command: &str) -> ChatMessage {
        assert!(command.starts_with('/'), "a command starts with '/': {command:?}");
        self.send_text(command)
    }

    /// Sends a text message in a group (joining it silently if needed).
    pub fn send_text_in(&self, group: &TestGroup, text: &str) -> ChatMessage {
        self.send_text_to(group.id, text, None)
    }

    /// Replies to a message (in that message's chat).
    pub fn reply_text(&self, to: &ChatMessage, text: &str) -> ChatMessage {
        self.send_text_to(to.chat_id, text, Some(to.message_id))
    }

    fn send_text_to(&self, chat_id: i64, text: &str, reply_to: Option<i32>) -> ChatMessage {
        assert!(!text.is_empty(), "Telegram has no empty text messages");
        self.send(chat_id, |m| {
            m.text = Some(text.to_owned());
            if text.starts_with('/') {
                let command = text.split_whitespace().next().unwrap_or(text);
                m.entities = vec![json!({ "type": "bot_command", "offset": 0, "length": utf16_len(command) })];
            }
            m.reply_to = reply_to;
        })
    }

    /// Sends a document (no content: downloads get `size_bytes` filler bytes).
    pub fn send_document(&self, file_name: &str, mime_type: &str, size_bytes: u64) -> ChatMessage {
        self.send_document_in(self.id, file_name, mime_type, size_bytes, None)
    }

    /// Sends a document with a caption to any chat (the private chat: `user.id()`).
    pub fn send_document_in(
        &self,
        chat_id: i64,
        file_name: &str,
        mime_type: &str,
        size_bytes: u64,
        caption: Option<&str>,
    ) -> ChatMessage {
        let file = self.api.shared.mutate(|st| {
            methods::register_file(
                st,
                "document",
                Some(file_name.to_owned()),
                Some(mime_type.to_owned()),
                size_bytes,
                None,
                (0, 0),
            )
        });
        self.send(chat_id, |m| {
            m.document = Some(file);
            m.caption = caption.map(str::to_owned);
        })
    }

    /// Sends a photo of the given size.
    pub fn send_photo(&self, width: u32, height: u32, size_bytes: u64) -> ChatMessage {
        let file = self.api.shared.mutate(|st| {
            methods::register_file(
                st,
                "photo",
                None,
                Some("image/jpeg".into()),
                size_bytes,
                None,
                (width, height),
            )
        });
        self.send(self.id, |m| m.photo = Some(file))
    }

    /// Shares the user's own contact (as the "share my phone number" keyboard button does).
    pub fn send_contact(&self, phone_number: &str) -> ChatMessage {
        let info = self.info();
        let mut contact = json!({
            "phone_number": phone_number,
            "first_name": info.first_name,
            "user_id": info.id,
        });
        if let Some(l) = info.last_name {
            contact["last_name"] = json!(l);
        }
        self.send(self.id, |m| m.contact = Some(contact))
    }

    /// Joins a group: a service message with new_chat_members.
    pub fn join(&self, group: &TestGroup) -> ChatMessage {
        let id = self.id;
        self.send(group.id, |m| m.new_chat_members = vec![id])
    }

    fn send(&self, chat_id: i64, build: impl FnOnce(&mut ChatMessage)) -> ChatMessage {
        let user = self.id;
        let sent = self.api.shared.mutate(|st| {
            let private = match st.chats.get_mut(&chat_id) {
                None => return None,
                Some(chat) => {
                    chat.members.insert(user);
                    matches!(chat.kind, ChatKind::Private { .. })
                }
            };
            if private {
                let u = st.users.get_mut(&user).expect("registered");
                u.started = true;
                u.blocked = false;
            }
            let mut m = ChatMessage::new(chat_id, st.now(), false, Some(user));
            build(&mut m);
            let m = st.add_message(m);
            let message = st.message_json(&m, true);
            st.push_update(json!({ "message": message }));
            Some(m)
        });
        sent.unwrap_or_else(|| panic!("chat {chat_id} is unknown to the fake: create it with api.group()"))
    }

    /// Presses an inline button of the message in its current state (found by exact
    /// callback_data, exact text, or a unique substring of the text); panics if the message
    /// has no such button now. Queues a callback_query; returns its id.
    pub fn press(&self, message: &ChatMessage, button: &str) -> String {
        self.press_in(message.chat_id, message.message_id, button)
    }

    /// [`TestUser::press`] on a message of the private chat, by id.
    pub fn press_button(&self, message_id: i32, button: &str) -> String {
        self.press_in(self.id, message_id, button)
    }

    /// [`TestUser::press`] on a message of any chat, by id.
    pub fn press_in(&self, chat_id: i64, message_id: i32, button: &str) -> String {
        let user = self.id;
        let result = self.api.shared.mutate(|st| {
            let Some(msg) = st.message(chat_id, message_id).cloned() else {
                return Err(format!("there is no message #{message_id} in chat {chat_id}"));
            };
            if msg.deleted {
                return Err(format!("message #{message_id} in chat {chat_id} was deleted"));
            }
            let buttons: Vec<Value> = msg
                .reply_markup
                .as_ref()
                .and_then(|m| m["inline_keyboard"].as_array())
                .into_iter()
                .flatten()
                .filter_map(Value::as_array)
                .flatten()
                .cloned()
                .collect();
            let exact_data = buttons.iter().find(|b| b["callback_data"] == json!(button));
            let exact_text = buttons.iter().find(|b| b["text"] == json!(button));
            let partial: Vec<&Value> = buttons
                .iter()
                .filter(|b| b["text"].as_str().is_some_and(|t| t.contains(button)))
                .collect();
            let found = match (exact_data, exact_text, partial.as_slice()) {
                (Some(b), _, _) | (None, Some(b), _) | (None, None, &[b]) => b,
                (None, None, []) => {
                    return Err(format!(
                        "message #{message_id} has no button {button:?} now; it has {:?}\n{}",
                        msg.buttons(),
                        msg.summary()
                    ))
                }
                (None, None, _) => {
                    return Err(format!(
                        "{button:?} matches several buttons of message #{message_id}: {:?}",
                        msg.buttons()
                    ))
                }
            };
            let Some(data) = found["callback_data"].as_str().map(str::to_owned) else {
                return Err(format!("button {found} makes no callback query"));
            };
            Ok((queue_callback(st, user, chat_id, &msg, &data), msg))
        });
        match result {
            Ok((id, msg)) => {
                self.cursors.saw_edit(&msg);
                id
            }
            Err(e) => panic!("user {} can't press {button:?}: {e}", self.id),
        }
    }

    /// Presses a button that is NOT on the message: a forged or outdated callback_data, as a
    /// tampered client could send it. Queues the callback_query; returns its id.
    pub fn press_forged(&self, message: &ChatMessage, data: &str) -> String {
        let user = self.id;
        let (id, msg) = self.api.shared.mutate(|st| {
            let msg = st
                .message(message.chat_id, message.message_id)
                .cloned()
                .unwrap_or_else(|| {
                    panic!(
                        "there is no message #{} in chat {}",
                        message.message_id, message.chat_id
                    )
                });
            (queue_callback(st, user, message.chat_id, &msg, data), msg)
        });
        self.cursors.saw_edit(&msg);
        id
    }

    /// Blocks the bot (see [`ApiHandle::block_bot`]).
    pub fn block_bot(&self) {
        self.api.block_bot(self.id);
    }

    /// Waits for the next bot message in the private chat that this handle has not read yet
    /// (oldest first; deleted ones skipped). Panics with transcripts on timeout.
    pub async fn wait_bot_message(&self) -> ChatMessage {
        wait_new_bot_message(&self.api, &self.cursors, self.id, &format!("user {}", self.id)).await
    }

    /// Waits for the next `n` unread bot messages in the private chat.
    pub async fn wait_bot_messages(&self, n: usize) -> Vec<ChatMessage> {
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(self.wait_bot_message().await);
        }
        out
    }

    /// Like [`TestUser::wait_bot_message`] in a group.
    pub async fn wait_bot_message_in(&self, group: &TestGroup) -> ChatMessage {
        wait_new_bot_message(&self.api, &self.cursors, group.id, &format!("user {}", self.id)).await
    }

    /// Waits until the bot edits a private-chat message again (more edits than this handle saw
    /// of it: when it read it, pressed one of its buttons, or waited for an edit before).
    pub async fn wait_edit(&self, message_id: i32) -> ChatMessage {
        wait_message_edit(&self.api, &self.cursors, self.id, message_id).await
    }

    /// [`TestUser::wait_edit`] in any chat.
    pub async fn wait_edit_in(&self, chat_id: i64, message_id: i32) -> ChatMessage {
        wait_message_edit(&self.api, &self.cursors, chat_id, message_id).await
    }

    /// Waits for the bot's answer to a callback query.
    pub async fn wait_callback_answer(&self, callback_id: &str) -> CallbackAnswer {
        self.api.wait_callback_answer(callback_id).await
    }

    /// Bot messages in the private chat that this handle has not read (does not mark them).
    pub fn unread_bot_messages(&self) -> Vec<ChatMessage> {
        unread_bot_messages(&self.api, &self.cursors, self.id)
    }

    /// Panics if the bot wrote anything in the private chat that this handle has not read.
    pub fn assert_no_new_bot_message(&self) {
        let unread = self.unread_bot_messages();
        if !unread.is_empty() {
            panic!(
                "user {} got unexpected bot message(s):\n{}",
                self.id,
                unread
                    .iter()
                    .map(|m| format!("  {}\n", m.summary()))
                    .collect::<String>()
            );
        }
    }

    /// Waits `within`, then asserts the bot wrote nothing new to this user.
    pub async fn assert_silence(&self, within: Duration) {
        tokio::time::sleep(within).await;
        self.assert_no_new_bot_message();
    }

    /// The bot's last (not deleted) message in the private chat.
    pub fn last_bot_message(&self) -> Option<ChatMessage> {
        self.chat().last_bot_message()
    }
}

/// A group chat the bot is in.
#[derive(Clone)]
pub struct TestGroup {
    api: ApiHandle,
    id: i64,
    cursors: Cursors,
}

impl TestGroup {
    pub fn id(&self) -> i64 {
        self.id
    }

    pub fn chat(&self) -> ChatView {
        self.api.chat(self.id)
    }

    /// Makes a user an administrator of the group (for getChatMember/getChatAdministrators).
    pub fn add_admin(&self, user: &TestUser) {
        let (id, uid) = (self.id, user.id);
        self.api.shared.mutate(|st| {
            if let Some(c) = st.chats.get_mut(&id) {
                c.members.insert(uid);
                c.admins.insert(uid);
            }
        });
    }

    /// Waits for the next bot message in the group that this handle has not read.
    pub async fn wait_bot_message(&self) -> ChatMessage {
        wait_new_bot_message(&self.api, &self.cursors, self.id, &format!("group {}", self.id)).await
    }

    /// Waits for the next edit of a group message (see [`TestUser::wait_edit`]).
    pub async fn wait_edit(&self, message_id: i32) -> ChatMessage {
        wait_message_edit(&self.api, &self.cursors, self.id, message_id).await
    }

    pub fn unread_bot_messages(&self) -> Vec<ChatMessage> {
        unread_bot_messages(&self.api, &self.cursors, self.id)
    }

    pub fn assert_no_new_bot_message(&self) {
        let unread = self.unread_bot_messages();
        if !unread.is_empty() {
            panic!(
                "group {} got unexpected bot message(s):\n{}",
                self.id,
                unread
                    .iter()
                    .map(|m| format!("  {}\n", m.summary()))
                    .collect::<String>()
            );
        }
    }
}

/// A chat's messages as they stand.
pub struct ChatView {
    api: ApiHandle,
    chat_id: i64,
}

impl ChatView {
    fn all(&self) -> Vec<ChatMessage> {
        let st = self.api.shared.lock();
        st.chats
            .get(&self.chat_id)
            .map(|c| c.messages.clone())
            .unwrap_or_default()
    }

    /// The messages, oldest first, without deleted ones.
    pub fn messages(&self) -> Vec<ChatMessage> {
        self.all().into_iter().filter(|m| !m.deleted).collect()
    }

    /// The messages including deleted ones.
    pub fn all_messages(&self) -> Vec<ChatMessage> {
        self.all()
    }

    pub fn bot_messages(&self) -> Vec<ChatMessage> {
        self.messages().into_iter().filter(|m| m.from_bot).collect()
    }

    pub fn last_bot_message(&self) -> Option<ChatMessage> {
        self.bot_messages().pop()
    }

    pub fn last_message(&self) -> Option<ChatMessage> {
        self.messages().pop()
    }

    pub fn message(&self, message_id: i32) -> Option<ChatMessage> {
        self.all().into_iter().find(|m| m.message_id == message_id)
    }

    pub fn transcript(&self) -> String {
        self.api.transcript(self.chat_id)
    }
}

/// Queues a callback_query of `user` pressing `data` on `msg`; returns the query's id.
fn queue_callback(st: &mut State, user: i64, chat_id: i64, msg: &ChatMessage, data: &str) -> String {
    if let Some(ChatKind::Private { .. }) = st.chats.get(&chat_id).map(|c| &c.kind) {
        if let Some(u) = st.users.get_mut(&user) {
            u.started = true;
            u.blocked = false;
        }
    }
    st.next_callback += 1;
    let id = format!("{}{:05}", user, st.next_callback);
    st.callbacks.insert(id.clone(), state::CallbackRecord { answer: None });
    st.callback_order.push(id.clone());
    let update = json!({
        "callback_query": {
            "id": id,
            "from": st.user_json(user),
            "message": st.message_json(msg, true),
            "chat_instance": format!("{}", chat_id.unsigned_abs() * 7 + 11),
            "data": data,
        }
    });
    st.push_update(update);
    id
}
