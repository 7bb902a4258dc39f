//! What the fake remembers: users, chats and their messages as they stand, updates waiting for
//! the bot, every call, violations, commands, callback answers, files.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::fmt;

use serde_json::{json, Map, Value};

/// The fake bot's identity, as getMe returns it.
pub const BOT_ID: i64 = 123_456;
/// The fake bot's username.
pub const BOT_USERNAME: &str = "proego_test_bot";
/// The fake bot's first name.
pub const BOT_NAME: &str = "proEgo Test";
/// The token the fake accepts (`<BOT_ID>:<secret>`, like a real one).
pub const TOKEN: &str = "123456:TEST-fake-bot-api-token";

/// A user the fake plays. Build with [`UserInfo::new`] and the setters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserInfo {
    pub id: i64,
    pub first_name: String,
    pub last_name: Option<String>,
    pub username: Option<String>,
    pub language_code: Option<String>,
}

impl UserInfo {
    pub fn new(id: i64, first_name: &str) -> Self {
        assert!(id > 0, "a Telegram user id is positive");
        UserInfo {
            id,
            first_name: first_name.to_owned(),
            last_name: None,
            username: None,
            language_code: None,
        }
    }
    pub fn last_name(mut self, last_name: &str) -> Self {
        self.last_name = Some(last_name.to_owned());
        self
    }
    pub fn username(mut self, username: &str) -> Self {
        self.username = Some(username.trim_start_matches('@').to_owned());
        self
    }
    pub fn language_code(mut self, language_code: &str) -> Self {
        self.language_code = Some(language_code.to_owned());
        self
    }

    /// The Telegram `User` object.
    pub fn json(&self) -> Value {
        let mut u = json!({ "id": self.id, "is_bot": false, "first_name": self.first_name });
        if let Some(v) = &self.last_name {
            u["last_name"] = json!(v);
        }
        if let Some(v) = &self.username {
            u["username"] = json!(v);
        }
        if let Some(v) = &self.language_code {
            u["language_code"] = json!(v);
        }
        u
    }
}

/// A request that broke the Bot API's rules (or that Telegram would refuse).
#[derive(Clone, Debug)]
pub struct Violation {
    /// The method as the spec spells it (`sendMessage`), or as the bot sent it if unknown.
    pub method: String,
    pub description: String,
    /// The request's parameters (multipart/form values already converted to JSON).
    pub request: Value,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body = serde_json::to_string_pretty(&self.request).unwrap_or_default();
        write!(
            f,
            "{}: {}\n    request: {}",
            self.method,
            self.description,
            body.replace('\n', "\n    ")
        )
    }
}

/// One request the bot made (getUpdates polls are counted, not recorded).
#[derive(Clone, Debug)]
pub struct Call {
    /// The method as the spec spells it (`sendMessage`).
    pub method: String,
    /// Parameters as JSON (multipart/form values converted to the spec's types; uploaded files
    /// appear as `"attach://<part>"`).
    pub params: Value,
    /// The HTTP status the fake answered.
    pub status: u16,
    /// The whole response body (`{"ok":true,"result":...}` or the error).
    pub response: Value,
}

impl Call {
    pub fn ok(&self) -> bool {
        self.response["ok"] == json!(true)
    }
    pub fn param(&self, name: &str) -> &Value {
        &self.params[name]
    }
}

/// The bot's answer to a callback query.
#[derive(Clone, Debug, PartialEq)]
pub struct CallbackAnswer {
    pub callback_query_id: String,
    pub text: Option<String>,
    pub show_alert: bool,
    pub url: Option<String>,
}

/// A failure to inject with `fail_next`.
#[derive(Clone, Debug, PartialEq)]
pub enum FailMode {
    /// HTTP 429 `Too Many Requests: retry after N` with `parameters.retry_after`.
    TooManyRequests { retry_after: u32 },
    /// HTTP 500 `Internal Server Error`. Note: teloxide sleeps 10 s after any 5xx answer.
    ServerError,
    /// HTTP 403 `Forbidden: bot was blocked by the user`.
    Forbidden,
    /// Any other error, e.g. `Error { code: 400, description: "Bad Request: ...".into() }`.
    Error { code: u16, description: String },
}

/// A file the fake knows: uploaded by the bot or sent by a user.
#[derive(Clone, Debug, PartialEq)]
pub struct FileRecord {
    pub file_id: String,
    pub file_unique_id: String,
    pub file_name: Option<String>,
    pub mime_type: Option<String>,
    pub file_size: u64,
    pub file_path: String,
    /// For photos.
    pub width: u32,
    pub height: u32,
    /// The bytes the bot uploaded (None for files users "sent": downloads get filler bytes).
    pub content: Option<Vec<u8>>,
}

impl FileRecord {
    pub fn document_json(&self) -> Value {
        let mut d = json!({
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.file_size,
        });
        if let Some(n) = &self.file_name {
            d["file_name"] = json!(n);
        }
        if let Some(m) = &self.mime_type {
            d["mime_type"] = json!(m);
        }
        d
    }

    pub fn photo_json(&self) -> Value {
        // Telegram sends several sizes; a thumbnail and the full size are enough.
        json!([
            {
                "file_id": format!("{}-thumb", self.file_id),
                "file_unique_id": format!("{}-thumb", self.file_unique_id),
                "width": (self.width / 10).max(1),
                "height": (self.height / 10).max(1),
                "file_size": (self.file_size / 50).max(1),
            },
            {
                "file_id": self.file_id,
                "file_unique_id": self.file_unique_id,
                "width": self.width,
                "height": self.height,
                "file_size": self.file_size,
            }
        ])
    }
}

/// A message as it stands now (after edits; `deleted` after deleteMessage).
#[derive(Clone, Debug)]
pub struct ChatMessage {
    pub chat_id: i64,
    pub message_id: i32,
    pub from_bot: bool,
    /// The sender, for user messages.
    pub from_user: Option<i64>,
    pub date: i64,
    /// The visible text of a text message (HTML tags removed, entities decoded).
    pub text: Option<String>,
    /// The visible caption of a document or photo.
    pub caption: Option<String>,
    /// The text or caption exactly as the bot sent it (the HTML source in HTML mode).
    pub source: Option<String>,
    pub parse_mode: Option<String>,
    /// Entities of the text or caption (as Telegram would compute them from the HTML).
    pub entities: Vec<Value>,
    /// The inline keyboard (`InlineKeyboardMarkup`), the only markup a message carries.
    pub reply_markup: Option<Value>,
    /// A reply keyboard, ReplyKeyboardRemove or ForceReply sent with the message.
    pub reply_keyboard: Option<Value>,
    pub document: Option<FileRecord>,
    pub photo: Option<FileRecord>,
    pub contact: Option<Value>,
    /// For messages the bot forwarded: Telegram's `MessageOrigin`.
    pub forward_origin: Option<Value>,
    pub new_chat_members: Vec<i64>,
    /// The message this one replies to.
    pub reply_to: Option<i32>,
    pub edit_count: u32,
    pub deleted: bool,
    /// The parameters of the request that sent (or last edited) it.
    pub params: Value,
    /// Global sequence numbers of creation and of the last change.
    pub seq: u64,
    pub edit_seq: u64,
}

impl ChatMessage {
    pub(crate) fn new(chat_id: i64, date: i64, from_bot: bool, from_user: Option<i64>) -> Self {
        ChatMessage {
            chat_id,
            message_id: 0,
            from_bot,
            from_user,
            date,
            text: None,
            caption: None,
            source: None,
            parse_mode: None,
            entities: Vec::new(),
            reply_markup: None,
            reply_keyboard: None,
            document: None,
            photo: None,
            contact: None,
            forward_origin: None,
            new_chat_members: Vec::new(),
            reply_to: None,
            edit_count: 0,
            deleted: false,
            params: Value::Null,
            seq: 0,
            edit_seq: 0,
        }
    }

    /// The visible text (or caption), tags removed and entities decoded; "" if none.
    pub fn text(&self) -> &str {
        self.text.as_deref().or(self.caption.as_deref()).unwrap_or("")
    }

    /// The text or caption as sent (the HTML source in HTML mode).
    pub fn html(&self) -> &str {
        self.source.as_deref().unwrap_or_else(|| self.text())
    }

    /// The inline keyboard, row by row: (button text, callback_data or url or the other action
    /// as JSON).
    pub fn buttons(&self) -> Vec<Vec<(String, String)>> {
        let Some(rows) = self.reply_markup.as_ref().and_then(|m| m["inline_keyboard"].as_array()) else {
            return Vec::new();
        };
        rows.iter()
            .map(|row| {
                row.as_array()
                    .into_iter()
                    .flatten()
                    .map(|b| {
                        let text = b["text"].as_str().unwrap_or("").to_owned();
                        let action = if let Some(d) = b["callback_data"].as_str() {
                            d.to_owned()
                        } else if let Some(u) = b["url"].as_str() {
                            u.to_owned()
                        } else {
                            let mut rest = b.clone();
                            if let Some(o) = rest.as_object_mut() {
                                o.remove("text");
                            }
                            rest.to_string()
                        };
                        (text, action)
                    })
                    .collect()
            })
            .collect()
    }

    /// All button texts, row after row.
    pub fn button_texts(&self) -> Vec<String> {
        self.buttons().into_iter().flatten().map(|(t, _)| t).collect()
    }

    /// Whether a button whose text contains `text` is on the message.
    pub fn has_button(&self, text: &str) -> bool {
        self.buttons().iter().flatten().any(|(t, _)| t.contains(text))
    }

    /// The callback_data (or url) of the one button whose text contains `text`; panics if there
    /// is none or more than one.
    pub fn button_data(&self, text: &str) -> String {
        let matches: Vec<(String, String)> = self
            .buttons()
            .into_iter()
            .flatten()
            .filter(|(t, _)| t.contains(text))
            .collect();
        match matches.as_slice() {
            [(_, data)] => data.clone(),
            [] => panic!(
                "message {} has no button containing {text:?}; buttons: {:?}",
                self.message_id,
                self.buttons()
            ),
            _ => panic!(
                "message {} has several buttons containing {text:?}: {matches:?}",
                self.message_id
            ),
        }
    }

    pub fn is_edited(&self) -> bool {
        self.edit_count > 0
    }

    /// One line for transcripts.
    pub fn summary(&self) -> String {
        let who = if self.from_bot {
            "bot".to_owned()
        } else {
            format!("user {}", self.from_user.unwrap_or_default())
        };
        let mut s = format!("#{} {who}", self.message_id);
        if self.deleted {
            s.push_str(" [deleted]");
        }
        if self.edit_count > 0 {
            s.push_str(&format!(" [edited x{}]", self.edit_count));
        }
        if let Some(r) = self.reply_to {
            s.push_str(&format!(" [reply to #{r}]"));
        }
        s.push_str(": ");
        if let Some(d) = &self.document {
            s.push_str(&format!(
                "[document {} {} bytes] ",
                d.file_name.as_deref().unwrap_or("?"),
                d.file_size
            ));
        }
        if self.photo.is_some() {
            s.push_str("[photo] ");
        }
        if let Some(c) = &self.contact {
            s.push_str(&format!("[contact {}] ", c["phone_number"]));
        }
        if !self.new_chat_members.is_empty() {
            s.push_str(&format!("[joined: {:?}] ", self.new_chat_members));
        }
        s.push_str(&self.html().replace('\n', "\n    "));
        let buttons = self.buttons();
        if !buttons.is_empty() {
            s.push_str("\n    buttons:");
            for row in buttons {
                s.push_str("\n     ");
                for (t, d) in row {
                    s.push_str(&format!(" [{t} | {d}]"));
                }
            }
        }
        if let Some(k) = &self.reply_keyboard {
            s.push_str(&format!("\n    reply keyboard: {k}"));
        }
        s
    }
}

#[derive(Clone, Debug)]
pub(crate) enum ChatKind {
    Private { user_id: i64 },
    Group { title: String },
}

#[derive(Clone, Debug)]
pub(crate) struct ChatRecord {
    pub id: i64,
    pub kind: ChatKind,
    pub messages: Vec<ChatMessage>,
    pub next_message_id: i32,
    pub members: BTreeSet<i64>,
    pub admins: BTreeSet<i64>,
}

#[derive(Clone, Debug)]
pub(crate) struct UserRecord {
    pub info: UserInfo,
    /// Has written to the bot (so the bot may write to them).
    pub started: bool,
    pub blocked: bool,
    /// The test expects "bot can't initiate conversation" for this user: not a violation.
    pub expect_forbidden: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct CallbackRecord {
    pub answer: Option<CallbackAnswer>,
}

/// An uploaded multipart file part.
#[derive(Clone, Debug)]
pub(crate) struct Upload {
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

#[derive(Default)]
pub(crate) struct State {
    pub now: Option<i64>,
    pub next_update_id: i64,
    pub updates: VecDeque<Value>,
    pub dropped_updates: Vec<Value>,
    pub allowed_updates: Option<Vec<String>>,
    pub poll_generation: u64,
    pub poll_count: u64,
    pub seq: u64,
    pub users: BTreeMap<i64, UserRecord>,
    pub chats: BTreeMap<i64, ChatRecord>,
    pub calls: Vec<Call>,
    pub violations: Vec<Violation>,
    pub commands: BTreeMap<(String, String), Vec<Value>>,
    pub webhook: Option<Value>,
    pub callbacks: HashMap<String, CallbackRecord>,
    pub callback_order: Vec<String>,
    pub next_callback: u64,
    pub files: HashMap<String, FileRecord>,
    pub next_file: u64,
    pub fail: HashMap<String, VecDeque<FailMode>>,
    pub chat_actions: Vec<(i64, String)>,
    pub menu_buttons: BTreeMap<Option<i64>, Value>,
}

impl State {
    pub fn new() -> Self {
        State {
            next_update_id: 1,
            ..Default::default()
        }
    }

    pub fn now(&self) -> i64 {
        self.now.unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0)
        })
    }

    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    pub fn violation(&mut self, method: &str, description: impl Into<String>, request: &Value) {
        self.violations.push(Violation {
            method: method.to_owned(),
            description: description.into(),
            request: request.clone(),
        });
    }

    pub fn bot_json() -> Value {
        json!({ "id": BOT_ID, "is_bot": true, "first_name": BOT_NAME, "username": BOT_USERNAME })
    }

    pub fn user_json(&self, id: i64) -> Value {
        match self.users.get(&id) {
            Some(u) => u.info.json(),
            None if id == BOT_ID => Self::bot_json(),
            None => json!({ "id": id, "is_bot": false, "first_name": format!("User {id}") }),
        }
    }

    pub fn chat_json(&self, chat_id: i64) -> Value {
        match self.chats.get(&chat_id).map(|c| &c.kind) {
            Some(ChatKind::Private { user_id }) => {
                let u = self.users.get(user_id).map(|u| u.info.clone());
                let mut c = json!({ "id": chat_id, "type": "private" });
                if let Some(u) = u {
                    c["first_name"] = json!(u.first_name);
                    if let Some(v) = u.last_name {
                        c["last_name"] = json!(v);
                    }
                    if let Some(v) = u.username {
                        c["username"] = json!(v);
                    }
                }
                c
            }
            Some(ChatKind::Group { title }) => {
                let kind = if chat_id < -1_000_000_000_000 {
                    "supergroup"
                } else {
                    "group"
                };
                json!({ "id": chat_id, "type": kind, "title": title })
            }
            None => json!({ "id": chat_id, "type": "private", "first_name": "Unknown" }),
        }
    }

    pub fn message(&self, chat_id: i64, message_id: i32) -> Option<&ChatMessage> {
        self.chats
            .get(&chat_id)?
            .messages
            .iter()
            .find(|m| m.message_id == message_id)
    }

    pub fn message_mut(&mut self, chat_id: i64, message_id: i32) -> Option<&mut ChatMessage> {
        self.chats
            .get_mut(&chat_id)?
            .messages
            .iter_mut()
            .find(|m| m.message_id == message_id)
    }

    /// Adds a message to its chat, giving it the next id and a sequence number.
    pub fn add_message(&mut self, mut msg: ChatMessage) -> ChatMessage {
        let seq = self.next_seq();
        let chat = self.chats.get_mut(&msg.chat_id).expect("chat exists");
        chat.next_message_id += 1;
        msg.message_id = chat.next_message_id;
        msg.seq = seq;
        msg.edit_seq = seq;
        chat.messages.push(msg.clone());
        msg
    }

    /// The Telegram `Message` object for a message as it stands.
    pub fn message_json(&self, msg: &ChatMessage, with_reply: bool) -> Value {
        let from = if msg.from_bot {
            Self::bot_json()
        } else {
            self.user_json(msg.from_user.unwrap_or_default())
        };
        let mut m = json!({
            "message_id": msg.message_id,
            "from": from,
            "chat": self.chat_json(msg.chat_id),
            "date": msg.date,
        });
        let o = m.as_object_mut().expect("object");
        let entities = (!msg.entities.is_empty()).then(|| json!(msg.entities));
        if let Some(t) = &msg.text {
            o.insert("text".into(), json!(t));
            if let Some(e) = entities.clone() {
                o.insert("entities".into(), e);
            }
        }
        if let Some(c) = &msg.caption {
            o.insert("caption".into(), json!(c));
            if let Some(e) = entities {
                o.insert("caption_entities".into(), e);
            }
        }
        if let Some(d) = &msg.document {
            o.insert("document".into(), d.document_json());
        }
        if let Some(p) = &msg.photo {
            o.insert("photo".into(), p.photo_json());
        }
        if let Some(c) = &msg.contact {
            o.insert("contact".into(), c.clone());
        }
        if let Some(f) = &msg.forward_origin {
            o.insert("forward_origin".into(), f.clone());
        }
        if !msg.new_chat_members.is_empty() {
            let members: Vec<Value> = msg.new_chat_members.iter().map(|id| self.user_json(*id)).collect();
            o.insert("new_chat_members".into(), json!(members));
        }
        if let Some(k) = &msg.reply_markup {
            o.insert("reply_markup".into(), k.clone());
        }
        if msg.edit_count > 0 {
            o.insert("edit_date".into(), json!(self.now().max(msg.date)));
        }
        if with_reply {
            if let Some(r) = msg.reply_to.and_then(|id| self.message(msg.chat_id, id)) {
                o.insert("reply_to_message".into(), self.message_json(r, false));
            }
        }
        m
    }

    /// Queues an update, giving it the next update_id unless it has one.
    pub fn push_update(&mut self, mut update: Value) -> i64 {
        let id = match update["update_id"].as_i64() {
            Some(id) => {
                self.next_update_id = self.next_update_id.max(id + 1);
                id
            }
            None => {
                let id = self.next_update_id;
                self.next_update_id += 1;
                update["update_id"] = json!(id);
                id
            }
        };
        // A callback query pushed raw can be answered like one made by `press`.
        if let Some(cb) = update["callback_query"]["id"].as_str().map(str::to_owned) {
            if !self.callbacks.contains_key(&cb) {
                self.callbacks.insert(cb.clone(), CallbackRecord { answer: None });
                self.callback_order.push(cb);
            }
        }
        self.updates.push_back(update);
        id
    }

    /// Whether an update passes the bot's allowed_updates (Telegram's default: everything but
    /// chat_member, message_reaction and message_reaction_count).
    pub fn allowed(&self, update: &Value) -> bool {
        let kind = update
            .as_object()
            .and_then(|o| o.keys().find(|k| *k != "update_id").cloned())
            .unwrap_or_default();
        match &self.allowed_updates {
            Some(list) if !list.is_empty() => list.contains(&kind),
            _ => !matches!(
                kind.as_str(),
                "chat_member" | "message_reaction" | "message_reaction_count"
            ),
        }
    }

    /// Drops updates the bot does not want (as Telegram would never send them).
    pub fn filter_updates(&mut self) {
        let (keep, drop): (VecDeque<Value>, VecDeque<Value>) = std::mem::take(&mut self.updates)
            .into_iter()
            .partition(|u| self.allowed(u));
        self.updates = keep;
        self.dropped_updates.extend(drop);
    }

    /// A chat's transcript for failure messages.
    pub fn transcript(&self, chat_id: i64) -> String {
        let Some(chat) = self.chats.get(&chat_id) else {
            return format!("(no chat {chat_id})");
        };
        let title = match &chat.kind {
            ChatKind::Private { user_id } => {
                let name = self.users.get(user_id).map(|u| u.info.first_name.clone());
                format!("private chat {chat_id} ({})", name.unwrap_or_default())
            }
            ChatKind::Group { title } => format!("group {chat_id} ({title})"),
        };
        let mut s = format!("--- {title} ---");
        for m in &chat.messages {
            s.push_str("\n  ");
            s.push_str(&m.summary());
        }
        if chat.messages.is_empty() {
            s.push_str("\n  (no messages)");
        }
        s
    }

    /// Everything useful for a failure message: all chats, violations, failed calls, updates.
    pub fn report(&self) -> String {
        let mut s = String::new();
        for id in self.chats.keys() {
            s.push_str(&self.transcript(*id));
            s.push('\n');
        }
        if !self.violations.is_empty() {
            s.push_str(&format!("--- {} violation(s) ---\n", self.violations.len()));
            for v in &self.violations {
                s.push_str(&format!("  {v}\n"));
            }
        }
        let failed: Vec<&Call> = self.calls.iter().filter(|c| !c.ok()).collect();
        if !failed.is_empty() {
            s.push_str("--- failed calls ---\n");
            for c in failed {
                s.push_str(&format!("  {} -> {}\n", c.method, c.response));
            }
        }
        s.push_str(&format!(
            "--- {} call(s), {} getUpdates poll(s), {} update(s) not yet confirmed by the bot, {} \
             dropped by allowed_updates ---\n",
            self.calls.len(),
            self.poll_count,
            self.updates.len(),
            self.dropped_updates.len()
        ));
        for c in self.calls.iter().rev().take(8).rev() {
            s.push_str(&format!("  {} {}\n", c.method, c.params));
        }
        s
    }
}

/// Builds `{"ok":false,...}` like Telegram.
pub(crate) fn error_body(code: u16, description: &str, retry_after: Option<u32>) -> Value {
    let mut body = json!({ "ok": false, "error_code": code, "description": description });
    if let Some(r) = retry_after {
        body["parameters"] = json!({ "retry_after": r });
    }
    body
}

pub(crate) fn obj(v: &Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}
