//! The Bot API methods the fake implements, and Telegram's limits that the data file states
//! only in prose. Every other method of the spec is validated and answered with `true`.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use super::html::{self, utf16_len, Parsed};
use super::spec::{spec, Problem};
use super::state::{CallbackAnswer, ChatKind, ChatMessage, FileRecord, State, Upload, BOT_ID};

pub(crate) const NOT_MODIFIED: &str = "Bad Request: message is not modified: specified new \
    message content and reply markup are exactly the same as a current content and reply markup \
    of the message";

/// An error answer. `violation`: the bot did something wrong (recorded as a violation), as
/// opposed to a condition a correct bot must cope with (a user who blocked it).
#[derive(Debug)]
pub(crate) struct ApiError {
    pub code: u16,
    /// Exactly what Telegram answers.
    pub description: String,
    /// More for the violation report.
    pub detail: Option<String>,
    pub violation: bool,
    pub retry_after: Option<u32>,
}

impl ApiError {
    pub fn bad(description: impl AsRef<str>) -> Self {
        ApiError {
            code: 400,
            description: format!("Bad Request: {}", description.as_ref()),
            detail: None,
            violation: true,
            retry_after: None,
        }
    }
    fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
    fn not_modified() -> Self {
        ApiError {
            code: 400,
            description: NOT_MODIFIED.into(),
            detail: None,
            violation: true,
            retry_after: None,
        }
    }
    fn forbidden(description: &str, violation: bool) -> Self {
        ApiError {
            code: 403,
            description: format!("Forbidden: {description}"),
            detail: None,
            violation,
            retry_after: None,
        }
    }
}

type Res = Result<Value, ApiError>;

const CHAT_ACTIONS: &[&str] = &[
    "typing",
    "upload_photo",
    "record_video",
    "upload_video",
    "record_voice",
    "upload_voice",
    "upload_document",
    "choose_sticker",
    "find_location",
    "record_video_note",
    "upload_video_note",
];

/// The visible text and entities of a text or caption parameter.
pub(crate) fn content(p: &Map<String, Value>, field: &str, entities_field: &str) -> Result<Option<Parsed>, String> {
    let Some(raw) = p.get(field).and_then(Value::as_str) else {
        return Ok(None);
    };
    let mode = p.get("parse_mode").and_then(Value::as_str).map(str::to_ascii_lowercase);
    match mode.as_deref() {
        Some("html") => html::parse(raw)
            .map(Some)
            .map_err(|e| format!("can't parse entities: {e}")),
        // Not validated: the project uses HTML. The text is stored as sent.
        Some("markdownv2") | Some("markdown") => Ok(Some(Parsed {
            text: raw.to_owned(),
            entities: Vec::new(),
        })),
        Some(other) => Err(format!("unsupported parse_mode {other:?}")),
        None => Ok(Some(Parsed {
            text: raw.to_owned(),
            entities: p
                .get(entities_field)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
        })),
    }
}

/// Telegram's method-level limits. Runs after the spec validation passed.
pub(crate) fn check_rules(method: &str, p: &Map<String, Value>, errors: &mut Vec<Problem>) {
    if let Some(mode) = p.get("parse_mode").and_then(Value::as_str) {
        if !["html", "markdownv2", "markdown"].contains(&mode.to_ascii_lowercase().as_str()) {
            errors.push(Problem::tg(
                "Bad Request: unsupported parse_mode",
                format!("parse_mode {mode:?}"),
            ));
        }
    }
    if matches!(method, "sendMessage" | "editMessageText") {
        match content(p, "text", "entities") {
            Err(e) => errors.push(Problem::new(e)),
            Ok(Some(parsed)) => {
                let n = utf16_len(&parsed.text);
                if parsed.text.trim().is_empty() {
                    errors.push(Problem::tg(
                        "Bad Request: message text is empty",
                        "the visible text is empty or whitespace",
                    ));
                } else if n > 4096 {
                    // Telegram answers edits with a different description.
                    let tg = if method == "sendMessage" {
                        "Bad Request: message is too long"
                    } else {
                        "Bad Request: MESSAGE_TOO_LONG"
                    };
                    errors.push(Problem::tg(
                        tg,
                        format!("{n} UTF-16 code units after entities parsing, at most 4096"),
                    ));
                }
            }
            Ok(None) => {}
        }
    }
    if p.contains_key("caption") {
        match content(p, "caption", "caption_entities") {
            Err(e) => errors.push(Problem::new(e)),
            Ok(Some(parsed)) => {
                let n = utf16_len(&parsed.text);
                if n > 1024 {
                    errors.push(Problem::tg(
                        "Bad Request: message caption is too long",
                        format!("{n} UTF-16 code units after entities parsing, at most 1024"),
                    ));
                }
            }
            Ok(None) => {}
        }
    }
    match method {
        "answerCallbackQuery" => {
            let n = p.get("text").and_then(Value::as_str).map(utf16_len).unwrap_or(0);
            if n > 200 {
                errors.push(Problem::tg(
                    "Bad Request: MESSAGE_TOO_LONG",
                    format!("the callback answer text has {n} characters, at most 200"),
                ));
            }
        }
        "setMyCommands" => {
            let n = p.get("commands").and_then(Value::as_array).map(Vec::len).unwrap_or(0);
            if n > 100 {
                errors.push(Problem::tg(
                    "Bad Request: too many commands",
                    format!("{n} commands, at most 100"),
                ));
            }
        }
        "sendChatAction" => {
            let action = p.get("action").and_then(Value::as_str).unwrap_or("");
            if !CHAT_ACTIONS.contains(&action) {
                errors.push(Problem::tg(
                    "Bad Request: wrong parameter action in request",
                    format!("action {action:?}"),
                ));
            }
        }
        _ => {}
    }
}

/// Runs a (valid) method call against the state.
pub(crate) fn call(st: &mut State, method: &str, p: &Map<String, Value>, uploads: &HashMap<String, Upload>) -> Res {
    match method {
        "getMe" => Ok(me()),
        "logOut" | "close" => Ok(json!(true)),
        "deleteWebhook" => {
            st.webhook = None;
            if p.get("drop_pending_updates") == Some(&json!(true)) {
                st.updates.clear();
            }
            Ok(json!(true))
        }
        "setWebhook" => {
            let url = p.get("url").and_then(Value::as_str).unwrap_or("");
            st.webhook = (!url.is_empty()).then(|| Value::Object(p.clone()));
            if p.get("drop_pending_updates") == Some(&json!(true)) {
                st.updates.clear();
            }
            if let Some(list) = p.get("allowed_updates").and_then(Value::as_array) {
                st.allowed_updates = Some(list.iter().filter_map(Value::as_str).map(str::to_owned).collect());
            }
            Ok(json!(true))
        }
        "getWebhookInfo" => {
            let url = st.webhook.as_ref().and_then(|w| w["url"].as_str()).unwrap_or("");
            let mut info = json!({
                "url": url,
                "has_custom_certificate": false,
                "pending_update_count": st.updates.len(),
            });
            if let Some(w) = &st.webhook {
                for key in ["max_connections", "allowed_updates", "ip_address"] {
                    if let Some(v) = w.get(key) {
                        info[key] = v.clone();
                    }
                }
            }
            Ok(info)
        }
        "sendMessage" => send_message(st, p),
        "sendDocument" => send_file(st, p, uploads, "document"),
        "sendPhoto" => send_file(st, p, uploads, "photo"),
        "editMessageText" => edit_text(st, p),
        "editMessageCaption" => edit_caption(st, p),
        "editMessageReplyMarkup" => edit_markup(st, p),
        "deleteMessage" => {
            let chat_id = chat(st, p.get("chat_id"))?;
            let id = p.get("message_id").and_then(Value::as_i64).unwrap_or(0) as i32;
            let seq = st.next_seq();
            match st.message_mut(chat_id, id).filter(|m| !m.deleted) {
                Some(m) => {
                    m.deleted = true;
                    m.edit_seq = seq;
                    Ok(json!(true))
                }
                None => Err(ApiError::bad("message to delete not found")),
            }
        }
        "deleteMessages" => {
            let chat_id = chat(st, p.get("chat_id"))?;
            let ids: Vec<i64> = p
                .get("message_ids")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_i64).collect())
                .unwrap_or_default();
            for id in ids {
                let seq = st.next_seq();
                if let Some(m) = st.message_mut(chat_id, id as i32).filter(|m| !m.deleted) {
                    m.deleted = true;
                    m.edit_seq = seq;
                }
            }
            Ok(json!(true))
        }
        "answerCallbackQuery" => {
            let id = p.get("callback_query_id").and_then(Value::as_str).unwrap_or("");
            match st.callbacks.get_mut(id) {
                Some(rec) if rec.answer.is_none() => {
                    rec.answer = Some(CallbackAnswer {
                        callback_query_id: id.to_owned(),
                        text: p.get("text").and_then(Value::as_str).map(str::to_owned),
                        show_alert: p.get("show_alert") == Some(&json!(true)),
                        url: p.get("url").and_then(Value::as_str).map(str::to_owned),
                    });
                    st.seq += 1;
                    Ok(json!(true))
                }
                Some(_) => Err(
                    ApiError::bad("query is too old and response timeout expired or query ID is invalid")
                        .detail("this callback query was already answered"),
                ),
                None => Err(ApiError::bad(
                    "query is too old and response timeout expired or query ID is invalid",
                )),
            }
        }
        "setMyCommands" => {
            let key = commands_key(p);
            let commands = p.get("commands").and_then(Value::as_array).cloned().unwrap_or_default();
            st.commands.insert(key, commands);
            Ok(json!(true))
        }
        "deleteMyCommands" => {
            st.commands.remove(&commands_key(p));
            Ok(json!(true))
        }
        "getMyCommands" => Ok(json!(st.commands.get(&commands_key(p)).cloned().unwrap_or_default())),
        "sendChatAction" => {
            let chat_id = chat(st, p.get("chat_id"))?;
            deliverable(st, chat_id)?;
            let action = p.get("action").and_then(Value::as_str).unwrap_or("").to_owned();
            st.chat_actions.push((chat_id, action));
            Ok(json!(true))
        }
        "getFile" => {
            let id = p.get("file_id").and_then(Value::as_str).unwrap_or("");
            let base = id.trim_end_matches("-thumb");
            match st.files.get(base) {
                Some(f) => Ok(json!({
                    "file_id": id,
                    "file_unique_id": f.file_unique_id,
                    "file_size": f.file_size,
                    "file_path": f.file_path,
                })),
                None => Err(ApiError::bad("invalid file_id")),
            }
        }
        "getChat" => {
            let chat_id = chat(st, p.get("chat_id"))?;
            let mut c = st.chat_json(chat_id);
            c["accent_color_id"] = json!(0);
            c["max_reaction_count"] = json!(11);
            c["accepted_gift_types"] = json!({
                "unlimited_gifts": true,
                "limited_gifts": true,
                "unique_gifts": true,
                "premium_subscription": true,
                "gifts_from_channels": true,
            });
            Ok(c)
        }
        "setChatMenuButton" => {
            let key = p.get("chat_id").and_then(Value::as_i64);
            let button = p.get("menu_button").cloned().unwrap_or(json!({ "type": "default" }));
            st.menu_buttons.insert(key, button);
            Ok(json!(true))
        }
        "getChatMenuButton" => {
            let key = p.get("chat_id").and_then(Value::as_i64);
            Ok(st
                .menu_buttons
                .get(&key)
                .cloned()
                .unwrap_or(json!({ "type": "default" })))
        }
        "copyMessage" | "forwardMessage" => copy_message(st, p, method == "forwardMessage"),
        "getChatMember" => {
            let chat_id = chat(st, p.get("chat_id"))?;
            let user_id = p.get("user_id").and_then(Value::as_i64).unwrap_or(0);
            Ok(chat_member(st, chat_id, user_id))
        }
        "getChatAdministrators" => {
            let chat_id = chat(st, p.get("chat_id"))?;
            let mut admins = vec![BOT_ID];
            if let Some(c) = st.chats.get(&chat_id) {
                admins.extend(c.admins.iter().copied());
            }
            Ok(json!(admins
                .into_iter()
                .map(|u| chat_member(st, chat_id, u))
                .collect::<Vec<_>>()))
        }
        // Everything else in the spec: validated, recorded, answered with `true`.
        _ => Ok(json!(true)),
    }
}

fn me() -> Value {
    let mut me = State::bot_json();
    for key in ["can_join_groups", "supports_inline_queries", "has_main_web_app"] {
        me[key] = json!(key == "can_join_groups");
    }
    me["can_read_all_group_messages"] = json!(false);
    me["can_connect_to_business"] = json!(false);
    me
}

fn chat_member(st: &State, chat_id: i64, user_id: i64) -> Value {
    let user = st.user_json(user_id);
    let status = match st.chats.get(&chat_id).map(|c| (&c.kind, c)) {
        Some((ChatKind::Private { user_id: u }, _)) if *u == user_id || user_id == BOT_ID => "member",
        Some((ChatKind::Group { .. }, c)) if user_id == BOT_ID || c.admins.contains(&user_id) => "administrator",
        Some((ChatKind::Group { .. }, c)) if c.members.contains(&user_id) => "member",
        _ => "left",
    };
    let mut m = json!({ "status": status, "user": user });
    if status == "administrator" {
        // Every required field of ChatMemberAdministrator, from the spec.
        if let Some(fields) = spec()
            .types
            .get("ChatMemberAdministrator")
            .and_then(|t| t.fields.as_ref())
        {
            for f in fields.iter().filter(|f| f.required && f.types == ["Boolean"]) {
                m[&f.name] = json!(f.name != "is_anonymous");
            }
        }
        m["can_be_edited"] = json!(false);
    }
    m
}

fn commands_key(p: &Map<String, Value>) -> (String, String) {
    let scope = p.get("scope").cloned().unwrap_or(json!({ "type": "default" }));
    let lang = p.get("language_code").and_then(Value::as_str).unwrap_or("").to_owned();
    (scope.to_string(), lang)
}

/// Resolves a chat_id parameter (an id, a numeric string or "@username") to a known chat.
pub(crate) fn chat(st: &State, v: Option<&Value>) -> Result<i64, ApiError> {
    let id = match v {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => match s.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                let name = s.trim_start_matches('@');
                st.users
                    .values()
                    .find(|u| u.info.username.as_deref() == Some(name))
                    .map(|u| u.info.id)
            }
        },
        _ => None,
    };
    match id {
        Some(id) if st.chats.contains_key(&id) => Ok(id),
        _ => Err(ApiError::bad("chat not found")),
    }
}

/// Whether the bot may write to the chat (private chats: the user started it and did not
/// block it).
fn deliverable(st: &State, chat_id: i64) -> Result<(), ApiError> {
    if let Some(ChatKind::Private { user_id }) = st.chats.get(&chat_id).map(|c| &c.kind) {
        if let Some(u) = st.users.get(user_id) {
            if u.blocked {
                return Err(ApiError::forbidden("bot was blocked by the user", false));
            }
            if !u.started {
                return Err(ApiError::forbidden(
                    "bot can't initiate conversation with a user",
                    !u.expect_forbidden,
                ));
            }
        }
    }
    Ok(())
}

/// Splits reply_markup into the inline keyboard a message carries and any other markup.
fn split_markup(v: Option<&Value>) -> (Option<Value>, Option<Value>) {
    match v {
        Some(m) if m.get("inline_keyboard").is_some() => {
            let empty = m["inline_keyboard"]
                .as_array()
                .is_none_or(|rows| rows.iter().all(|r| r.as_array().is_none_or(Vec::is_empty)));
            (if empty { None } else { Some(m.clone()) }, None)
        }
        Some(m) => (None, Some(m.clone())),
        None => (None, None),
    }
}

fn reply_to(st: &State, chat_id: i64, p: &Map<String, Value>) -> Result<Option<i32>, ApiError> {
    let Some(rp) = p.get("reply_parameters") else {
        return Ok(None);
    };
    let target_chat = match rp.get("chat_id") {
        Some(c) => chat(st, Some(c))?,
        None => chat_id,
    };
    let id = rp["message_id"].as_i64().unwrap_or(0) as i32;
    let exists = st.message(target_chat, id).is_some_and(|m| !m.deleted);
    if exists && target_chat == chat_id {
        Ok(Some(id))
    } else if exists || rp["allow_sending_without_reply"] == json!(true) {
        Ok(None)
    } else {
        Err(ApiError::bad("message to be replied not found"))
    }
}

fn send_message(st: &mut State, p: &Map<String, Value>) -> Res {
    let chat_id = chat(st, p.get("chat_id"))?;
    deliverable(st, chat_id)?;
    let parsed = content(p, "text", "entities")
        .map_err(ApiError::bad)?
        .unwrap_or(Parsed {
            text: String::new(),
            entities: Vec::new(),
        });
    let reply = reply_to(st, chat_id, p)?;
    let mut m = ChatMessage::new(chat_id, st.now(), true, None);
    m.text = Some(parsed.text);
    m.entities = parsed.entities;
    m.source = p.get("text").and_then(Value::as_str).map(str::to_owned);
    m.parse_mode = p.get("parse_mode").and_then(Value::as_str).map(str::to_owned);
    (m.reply_markup, m.reply_keyboard) = split_markup(p.get("reply_markup"));
    m.reply_to = reply;
    m.params = Value::Object(p.clone());
    let m = st.add_message(m);
    Ok(st.message_json(&m, true))
}

fn new_file_id(st: &mut State, kind: &str) -> (String, String, u64) {
    st.next_file += 1;
    let n = st.next_file;
    let prefix = if kind == "photo" {
        "AgACAgIAAxkBAAI"
    } else {
        "BQACAgIAAxkBAAI"
    };
    (format!("{prefix}{n:06}-fake"), format!("AgAD{n:06}"), n)
}

fn extension(name: Option<&str>, kind: &str) -> String {
    match name.and_then(|n| n.rsplit_once('.')) {
        Some((_, ext)) if !ext.is_empty() && ext.len() <= 5 => ext.to_ascii_lowercase(),
        _ if kind == "photo" => "jpg".into(),
        _ => "bin".into(),
    }
}

/// Registers a new file the fake knows (uploaded by the bot or sent by a user).
pub(crate) fn register_file(
    st: &mut State,
    kind: &str,
    file_name: Option<String>,
    mime_type: Option<String>,
    file_size: u64,
    content: Option<Vec<u8>>,
    (width, height): (u32, u32),
) -> FileRecord {
    let (file_id, file_unique_id, n) = new_file_id(st, kind);
    let dir = if kind == "photo" { "photos" } else { "documents" };
    let ext = extension(file_name.as_deref(), kind);
    let rec = FileRecord {
        file_id: file_id.clone(),
        file_unique_id,
        file_name,
        mime_type,
        file_size,
        file_path: format!("{dir}/file_{n}.{ext}"),
        width,
        height,
        content,
    };
    st.files.insert(file_id, rec.clone());
    rec
}

fn input_file(
    st: &mut State,
    v: Option<&Value>,
    uploads: &HashMap<String, Upload>,
    kind: &str,
) -> Result<FileRecord, ApiError> {
    let s = v.and_then(Value::as_str).unwrap_or("");
    if let Some(name) = s.strip_prefix("attach://") {
        let up = uploads
            .get(name)
            .ok_or_else(|| ApiError::bad("file not found in request"))?;
        if up.bytes.is_empty() {
            return Err(ApiError::bad("file must be non-empty"));
        }
        let file_name = up.file_name.clone().filter(|n| !n.is_empty());
        let mime = up
            .content_type
            .clone()
            .filter(|m| m != "application/octet-stream")
            .or_else(|| guess_mime(file_name.as_deref()));
        let size = (1280, 720);
        return Ok(register_file(
            st,
            kind,
            file_name,
            mime,
            up.bytes.len() as u64,
            Some(up.bytes.clone()),
            size,
        ));
    }
    if s.starts_with("http://") || s.starts_with("https://") {
        // Telegram would download it; the fake does not fetch anything.
        let name = s.rsplit('/').next().filter(|n| !n.is_empty()).map(str::to_owned);
        let mime = guess_mime(name.as_deref());
        return Ok(register_file(st, kind, name, mime, 0, None, (1280, 720)));
    }
    st.files
        .get(s.trim_end_matches("-thumb"))
        .cloned()
        .ok_or_else(|| ApiError::bad("wrong file identifier/HTTP URL specified"))
}

fn guess_mime(name: Option<&str>) -> Option<String> {
    let ext = name?.rsplit_once('.')?.1.to_ascii_lowercase();
    let mime = match ext.as_str() {
        "pdf" => "application/pdf",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "txt" => "text/plain",
        "csv" => "text/csv",
        "json" => "application/json",
        "zip" => "application/zip",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => return None,
    };
    Some(mime.to_owned())
}

fn send_file(st: &mut State, p: &Map<String, Value>, uploads: &HashMap<String, Upload>, kind: &str) -> Res {
    let chat_id = chat(st, p.get("chat_id"))?;
    deliverable(st, chat_id)?;
    let reply = reply_to(st, chat_id, p)?;
    let file = input_file(st, p.get(kind), uploads, kind)?;
    let parsed = content(p, "caption", "caption_entities").map_err(ApiError::bad)?;
    let mut m = ChatMessage::new(chat_id, st.now(), true, None);
    if let Some(parsed) = parsed.filter(|c| !c.text.is_empty()) {
        m.caption = Some(parsed.text);
        m.entities = parsed.entities;
        m.source = p.get("caption").and_then(Value::as_str).map(str::to_owned);
        m.parse_mode = p.get("parse_mode").and_then(Value::as_str).map(str::to_owned);
    }
    if kind == "photo" {
        m.photo = Some(file);
    } else {
        m.document = Some(file);
    }
    (m.reply_markup, m.reply_keyboard) = split_markup(p.get("reply_markup"));
    m.reply_to = reply;
    m.params = Value::Object(p.clone());
    let m = st.add_message(m);
    Ok(st.message_json(&m, true))
}

/// The message an edit targets, or None for inline messages (not tracked).
fn edit_target(st: &State, p: &Map<String, Value>) -> Result<Option<(i64, i32)>, ApiError> {
    if p.contains_key("inline_message_id") {
        if p.contains_key("chat_id") || p.contains_key("message_id") {
            return Err(ApiError::bad(
                "inline_message_id can't be combined with chat_id and message_id",
            ));
        }
        return Ok(None);
    }
    let (Some(c), Some(id)) = (p.get("chat_id"), p.get("message_id").and_then(Value::as_i64)) else {
        return Err(ApiError::bad("message identifier is not specified"));
    };
    let chat_id = chat(st, Some(c))?;
    let id = id as i32;
    match st.message(chat_id, id).filter(|m| !m.deleted) {
        None => Err(ApiError::bad("message to edit not found")),
        Some(m) if !m.from_bot => Err(ApiError::bad("message can't be edited")),
        Some(_) => {
            deliverable(st, chat_id)?;
            Ok(Some((chat_id, id)))
        }
    }
}

fn finish_edit(st: &mut State, chat_id: i64, id: i32, p: &Map<String, Value>, m: ChatMessage) -> Res {
    let seq = st.next_seq();
    let slot = st.message_mut(chat_id, id).expect("checked");
    *slot = ChatMessage {
        edit_count: m.edit_count + 1,
        edit_seq: seq,
        params: Value::Object(p.clone()),
        ..m
    };
    let m = slot.clone();
    Ok(st.message_json(&m, true))
}

fn edit_text(st: &mut State, p: &Map<String, Value>) -> Res {
    let Some((chat_id, id)) = edit_target(st, p)? else {
        return Ok(json!(true));
    };
    let old = st.message(chat_id, id).cloned().expect("checked");
    if old.text.is_none() {
        return Err(ApiError::bad("there is no text in the message to edit"));
    }
    let parsed = content(p, "text", "entities")
        .map_err(ApiError::bad)?
        .unwrap_or(Parsed {
            text: String::new(),
            entities: Vec::new(),
        });
    let (inline, _) = split_markup(p.get("reply_markup"));
    if old.text.as_deref() == Some(parsed.text.as_str())
        && old.entities == parsed.entities
        && old.reply_markup == inline
    {
        return Err(ApiError::not_modified());
    }
    let m = ChatMessage {
        text: Some(parsed.text),
        entities: parsed.entities,
        source: p.get("text").and_then(Value::as_str).map(str::to_owned),
        parse_mode: p.get("parse_mode").and_then(Value::as_str).map(str::to_owned),
        reply_markup: inline,
        ..old
    };
    finish_edit(st, chat_id, id, p, m)
}

fn edit_caption(st: &mut State, p: &Map<String, Value>) -> Res {
    let Some((chat_id, id)) = edit_target(st, p)? else {
        return Ok(json!(true));
    };
    let old = st.message(chat_id, id).cloned().expect("checked");
    if old.document.is_none() && old.photo.is_none() {
        return Err(ApiError::bad("there is no caption in the message to edit"));
    }
    let parsed = content(p, "caption", "caption_entities")
        .map_err(ApiError::bad)?
        .filter(|c| !c.text.is_empty());
    let (inline, _) = split_markup(p.get("reply_markup"));
    let (caption, entities) = match parsed {
        Some(c) => (Some(c.text), c.entities),
        None => (None, Vec::new()),
    };
    if old.caption == caption && old.entities == entities && old.reply_markup == inline {
        return Err(ApiError::not_modified());
    }
    let m = ChatMessage {
        source: caption
            .as_ref()
            .and(p.get("caption").and_then(Value::as_str).map(str::to_owned)),
        parse_mode: p.get("parse_mode").and_then(Value::as_str).map(str::to_owned),
        caption,
        entities,
        reply_markup: inline,
        ..old
    };
    finish_edit(st, chat_id, id, p, m)
}

fn edit_markup(st: &mut State, p: &Map<String, Value>) -> Res {
    let Some((chat_id, id)) = edit_target(st, p)? else {
        return Ok(json!(true));
    };
    let old = st.message(chat_id, id).cloned().expect("checked");
    let (inline, _) = split_markup(p.get("reply_markup"));
    if old.reply_markup == inline {
        return Err(ApiError::not_modified());
    }
    let m = ChatMessage {
        reply_markup: inline,
        ..old
    };
    finish_edit(st, chat_id, id, p, m)
}

fn copy_message(st: &mut State, p: &Map<String, Value>, forward: bool) -> Res {
    let from_chat = chat(st, p.get("from_chat_id"))?;
    let id = p.get("message_id").and_then(Value::as_i64).unwrap_or(0) as i32;
    let source = st
        .message(from_chat, id)
        .filter(|m| !m.deleted)
        .cloned()
        .ok_or_else(|| {
            ApiError::bad(if forward {
                "message to forward not found"
            } else {
                "message to copy not found"
            })
        })?;
    let chat_id = chat(st, p.get("chat_id"))?;
    deliverable(st, chat_id)?;
    let reply = reply_to(st, chat_id, p)?;
    let mut m = ChatMessage {
        chat_id,
        from_bot: true,
        from_user: None,
        date: st.now(),
        forward_origin: None,
        new_chat_members: Vec::new(),
        ..source.clone()
    };
    m.edit_count = 0;
    m.reply_to = reply;
    m.params = Value::Object(p.clone());
    if forward {
        let sender = match source.from_user {
            Some(u) if !source.from_bot => st.user_json(u),
            _ => State::bot_json(),
        };
        m.forward_origin = Some(json!({ "type": "user", "date": source.date, "sender_user": sender }));
        m.reply_markup = None;
    } else {
        if p.contains_key("caption") {
            let parsed = content(p, "caption", "caption_entities").map_err(ApiError::bad)?;
            m.caption = parsed.as_ref().map(|c| c.text.clone());
            m.entities = parsed.map(|c| c.entities).unwrap_or_default();
            m.source = p.get("caption").and_then(Value::as_str).map(str::to_owned);
        }
        (m.reply_markup, m.reply_keyboard) = split_markup(p.get("reply_markup"));
    }
    let m = st.add_message(m);
    if forward {
        Ok(st.message_json(&m, true))
    } else {
        Ok(json!({ "message_id": m.message_id }))
    }
}
