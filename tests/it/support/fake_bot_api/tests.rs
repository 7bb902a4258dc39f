//! The fake's own tests: a real teloxide `Bot` (and a real `Dispatcher`) against it.

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use teloxide::payloads::setters::*;
use teloxide::prelude::*;
use teloxide::types::{
    BotCommand, BotCommandScope, CallbackQuery, CallbackQueryId, ChatAction, InlineKeyboardButton,
    InlineKeyboardMarkup, InputFile, MenuButton, MessageId, ParseMode, Recipient, UpdateKind,
};
use teloxide::{ApiError, RequestError};

use super::*;

const ANNA: i64 = 1001;

/// A request the way any HTTP client would make it (to send what teloxide can't express).
async fn raw_call(api: &ApiHandle, method: &str, body: Value) -> Value {
    let url = format!("{}bot{}/{method}", api.api_url(), api.token());
    let resp = reqwest::Client::new()
        .post(url)
        .json(&body)
        .send()
        .await
        .expect("request");
    resp.json().await.expect("a JSON answer")
}

async fn started_user(api: &FakeBotApi) -> TestUser {
    let anna = api.user_with(UserInfo::new(ANNA, "Anna").username("anna").language_code("ru"));
    anna.send_command("/start");
    anna
}

fn api_error(r: Result<impl std::fmt::Debug, RequestError>) -> ApiError {
    match r {
        Err(RequestError::Api(e)) => e,
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn send_message_is_recorded_with_visible_text_and_entities() {
    let api = FakeBotApi::start().await;
    let bot = api.bot();
    let anna = started_user(&api).await;
    let me = bot.get_me().await.expect("getMe");
    assert_eq!(me.username(), BOT_USERNAME);

    let keyboard = InlineKeyboardMarkup::new([[
        InlineKeyboardButton::callback("Да", "yes:1"),
        InlineKeyboardButton::url("Сайт", "https://example.com".parse().unwrap()),
    ]]);
    let sent = bot
        .send_message(ChatId(ANNA), "Привет, <b>Анна</b> &amp; 1 &lt; 2")
        .parse_mode(ParseMode::Html)
        .reply_markup(keyboard)
        .await
        .expect("sendMessage");
    assert_eq!(sent.text(), Some("Привет, Анна & 1 < 2"));

    let m = anna.wait_bot_message().await;
    assert_eq!(m.message_id, sent.id.0);
    assert_eq!(m.text(), "Привет, Анна & 1 < 2");
    assert_eq!(m.html(), "Привет, <b>Анна</b> &amp; 1 &lt; 2");
    assert_eq!(m.entities, vec![json!({"type": "bold", "offset": 8, "length": 4})]);
    assert_eq!(
        m.buttons(),
        vec![vec![
            ("Да".to_owned(), "yes:1".to_owned()),
            ("Сайт".to_owned(), "https://example.com/".to_owned())
        ]]
    );
    assert_eq!(m.button_data("Да"), "yes:1");
    assert!(m.has_button("Сай"));
    assert_eq!(api.calls_to("sendMessage").len(), 1);
    assert_eq!(api.calls_to("SendMessage")[0].param("chat_id"), &json!(ANNA));
    anna.assert_no_new_bot_message();
    api.assert_no_violations();
}

#[tokio::test]
async fn text_length_counts_utf16_after_entity_parsing() {
    let api = FakeBotApi::start().await;
    let bot = api.bot();
    started_user(&api).await;

    // 4096 is fine, also when tags make the source longer.
    let ok = format!("<b>{}</b>", "a".repeat(4096));
    bot.send_message(ChatId(ANNA), ok)
        .parse_mode(ParseMode::Html)
        .await
        .expect("4096 is ok");
    // An emoji is two UTF-16 code units: 2048 of them are 4096.
    bot.send_message(ChatId(ANNA), "😀".repeat(2048))
        .await
        .expect("4096 units are ok");
    api.assert_no_violations();

    let e = api_error(bot.send_message(ChatId(ANNA), "a".repeat(4097)).await);
    assert_eq!(e, ApiError::MessageIsTooLong);
    let e = api_error(bot.send_message(ChatId(ANNA), "😀".repeat(2049)).await);
    assert_eq!(e, ApiError::MessageIsTooLong);
    assert_eq!(api.assert_violation("message is too long").len(), 2);

    let e = api_error(
        bot.send_message(ChatId(ANNA), "<b> </b>")
            .parse_mode(ParseMode::Html)
            .await,
    );
    assert_eq!(e, ApiError::MessageTextIsEmpty);
    api.assert_violation("message text is empty");
    api.assert_no_violations();
}

#[tokio::test]
async fn callback_data_over_64_bytes_is_rejected() {
    let api = FakeBotApi::start().await;
    let bot = api.bot();
    started_user(&api).await;

    // 32 Cyrillic letters are 64 bytes: fine. 33 are 66 bytes.
    let ok = InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("x", "я".repeat(32))]]);
    bot.send_message(ChatId(ANNA), "ok")
        .reply_markup(ok)
        .await
        .expect("64 bytes are ok");
    let bad = InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("x", "a".repeat(65))]]);
    let e = api_error(bot.send_message(ChatId(ANNA), "bad").reply_markup(bad).await);
    assert_eq!(e, ApiError::ButtonDataInvalid);
    let v = api.assert_violation("BUTTON_DATA_INVALID");
    assert!(v[0].description.contains("65 bytes"), "{}", v[0]);
    assert_eq!(v[0].method, "sendMessage");
    api.assert_no_violations();
}

#[tokio::test]
async fn a_button_must_have_exactly_one_action() {
    let api = FakeBotApi::start().await;
    started_user(&api).await;
    let both = json!({
        "chat_id": ANNA,
        "text": "hi",
        "reply_markup": {"inline_keyboard": [[
            {"text": "x", "url": "https://example.com", "callback_data": "x"}
        ]]}
    });
    let r = raw_call(&api, "sendMessage", both).await;
    assert_eq!(r["ok"], json!(false));
    assert_eq!(r["error_code"], json!(400));
    api.assert_violation("exactly one");

    let none = json!({"chat_id": ANNA, "text": "hi", "reply_markup": {"inline_keyboard": [[{"text": "x"}]]}});
    raw_call(&api, "sendMessage", none).await;
    api.assert_violation("exactly one");

    let empty_text = json!({"chat_id": ANNA, "text": "hi",
        "reply_markup": {"inline_keyboard": [[{"text": "", "callback_data": "x"}]]}});
    raw_call(&api, "sendMessage", empty_text).await;
    api.assert_violation("button text is empty");
    api.assert_no_violations();
}

#[tokio::test]
async fn bad_html_is_rejected_and_good_html_accepted() {
    let api = FakeBotApi::start().await;
    let bot = api.bot();
    let anna = started_user(&api).await;

    for bad in [
        "a < b",
        "<b>x",
        "<script>alert(1)</script>",
        "Tom & Jerry",
        "<b><i>x</b></i>",
    ] {
        let e = api_error(bot.send_message(ChatId(ANNA), bad).parse_mode(ParseMode::Html).await);
        assert!(matches!(e, ApiError::CantParseEntities(_)), "{bad:?} gave {e:?}");
        let v = api.take_violations();
        assert_eq!(v.len(), 1, "{bad:?}: {v:?}");
        assert!(v[0].description.contains("can't parse entities"), "{}", v[0]);
    }

    let good = "<b>bold <i>both</i></b> &lt;tag&gt; &amp; &quot;q&quot; &#128512; &#x41; a > b \
                <a href=\"https://example.com/?a=1&amp;b=2\">link</a> \
                <span class=\"tg-spoiler\">s</span> <tg-spoiler>s</tg-spoiler> \
                <blockquote expandable>q</blockquote> <code>c</code> \
                <pre><code class=\"language-rust\">fn main() {}</code></pre> \
                <tg-emoji emoji-id=\"5368324170671202286\">👍</tg-emoji>";
    bot.send_message(ChatId(ANNA), good)
        .parse_mode(ParseMode::Html)
        .await
        .expect("good HTML");
    let m = anna.wait_bot_message().await;
    assert!(m
        .text()
        .starts_with("bold both <tag> & \"q\" 😀 A a > b link s s q c fn main() {} 👍"));
    let kinds: Vec<&str> = m.entities.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "bold",
            "italic",
            "text_link",
            "spoiler",
            "spoiler",
            "expandable_blockquote",
            "code",
            "pre",
            "custom_emoji"
        ]
    );
    let pre = m.entities.iter().find(|e| e["type"] == "pre").unwrap();
    assert_eq!(pre["language"], "rust");
    let link = m.entities.iter().find(|e| e["type"] == "text_link").unwrap();
    assert_eq!(link["url"], "https://example.com/?a=1&b=2");
    api.assert_no_violations();
}

#[test]
fn html_parser_offsets_are_utf16() {
    let p = parse_html("😀 <b>жир</b>").unwrap();
    assert_eq!(p.text, "😀 жир");
    assert_eq!(p.entities, vec![json!({"type": "bold", "offset": 3, "length": 3})]);
    assert!(
        parse_html("<b></b>x").unwrap().entities.is_empty(),
        "empty entities are dropped"
    );
    assert!(parse_html("<span>x</span>").is_err());
    assert!(parse_html("<a>x</a>").is_err());
    assert!(parse_html("<b class=\"x\">x</b>").is_err());
    assert!(parse_html("<code><b>x</b></code>").is_err());
    assert!(parse_html("&nbsp;").is_err());
    assert!(parse_html("</b>").is_err());
    assert!(parse_html("<br/>").is_err());
    assert_eq!(parse_html("<B>x</B>").unwrap().text, "x");
    let t = parse_html("<tg-time unix=\"1647531900\" format=\"wDT\">tomorrow</tg-time>").unwrap();
    assert_eq!(t.entities[0]["unix_time"], 1647531900);
    assert_eq!(escape_html("a<b>&c"), "a&lt;b&gt;&amp;c");
}

#[tokio::test]
async fn editing_to_the_same_content_is_not_modified() {
    let api = FakeBotApi::start().await;
    let bot = api.bot();
    let anna = started_user(&api).await;
    let kb = InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("A", "a")]]);
    let sent = bot
        .send_message(ChatId(ANNA), "<b>Hi</b>")
        .parse_mode(ParseMode::Html)
        .reply_markup(kb.clone())
        .await
        .unwrap();

    // Same text, same entities (via <strong>), same keyboard: not modified.
    let e = api_error(
        bot.edit_message_text(ChatId(ANNA), sent.id, "<strong>Hi</strong>")
            .parse_mode(ParseMode::Html)
            .reply_markup(kb.clone())
            .await,
    );
    assert_eq!(e, ApiError::MessageNotModified);
    api.assert_violation("message is not modified");

    // The same text without the keyboard is a change (the keyboard goes away).
    bot.edit_message_text(ChatId(ANNA), sent.id, "<b>Hi</b>")
        .parse_mode(ParseMode::Html)
        .await
        .expect("removing the keyboard is a change");
    let m = anna.wait_edit(sent.id.0).await;
    assert!(m.buttons().is_empty());
    assert_eq!(m.edit_count, 1);

    let e = api_error(bot.edit_message_reply_markup(ChatId(ANNA), sent.id).await);
    assert_eq!(e, ApiError::MessageNotModified);
    api.assert_violation("message is not modified");

    let e = api_error(bot.edit_message_text(ChatId(ANNA), MessageId(999), "x").await);
    assert_eq!(e, ApiError::MessageToEditNotFound);
    api.assert_violation("message to edit not found");

    bot.delete_message(ChatId(ANNA), sent.id).await.unwrap();
    assert!(api.chat(ANNA).message(sent.id.0).unwrap().deleted);
    let e = api_error(bot.delete_message(ChatId(ANNA), sent.id).await);
    assert_eq!(e, ApiError::MessageToDeleteNotFound);
    api.assert_violation("message to delete not found");
    api.assert_no_violations();
}

#[tokio::test]
async fn a_user_who_never_started_the_bot_is_forbidden() {
    let api = FakeBotApi::start().await;
    let bot = api.bot();
    let boris = api.user(2002, "Boris", "en");
    let e = api_error(bot.send_message(ChatId(boris.id()), "hi").await);
    // teloxide 0.17 expects an outdated wording, so this is ApiError::Unknown.
    assert_eq!(
        e.to_string(),
        "Unknown error: \"Forbidden: bot can't initiate conversation with a user\""
    );
    api.assert_violation("can't initiate conversation");

    api.expect_forbidden(boris.id());
    assert!(bot.send_message(ChatId(boris.id()), "hi").await.is_err());
    api.assert_no_violations();

    let e = api_error(bot.send_message(ChatId(424242), "hi").await);
    assert_eq!(e, ApiError::ChatNotFound);
    api.assert_violation("chat not found");
}

#[tokio::test]
async fn a_user_who_blocked_the_bot_is_forbidden_without_violation() {
    let api = FakeBotApi::start().await;
    let bot = api.bot();
    let anna = started_user(&api).await;
    anna.block_bot();
    let e = api_error(bot.send_message(ChatId(ANNA), "hi").await);
    assert_eq!(e, ApiError::BotBlocked);
    api.assert_no_violations();
    assert!(api.chat(ANNA).bot_messages().is_empty());
    // Writing to the bot again unblocks it.
    anna.send_text("sorry");
    bot.send_message(ChatId(ANNA), "welcome back").await.unwrap();
}

#[tokio::test]
async fn get_updates_long_polls_with_offsets() {
    let api = FakeBotApi::start().await;
    let bot = api.bot();
    let anna = started_user(&api).await;
    let sent = bot
        .send_message(ChatId(ANNA), "Choose")
        .reply_markup(InlineKeyboardMarkup::new([[InlineKeyboardButton::callback(
            "One", "one",
        )]]))
        .await
        .unwrap();
    let cb = anna.press(&api.chat(ANNA).message(sent.id.0).unwrap(), "One");

    let started = Instant::now();
    let updates = bot.get_updates().timeout(10).await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "queued updates come at once"
    );
    assert_eq!(updates.len(), 2);
    match &updates[0].kind {
        UpdateKind::Message(m) => {
            assert_eq!(m.text(), Some("/start"));
            assert_eq!(m.from.as_ref().unwrap().id, UserId(ANNA as u64));
        }
        other => panic!("expected a message, got {other:?}"),
    }
    match &updates[1].kind {
        UpdateKind::CallbackQuery(q) => {
            assert_eq!(q.id.0, cb);
            assert_eq!(q.data.as_deref(), Some("one"));
            assert_eq!(q.regular_message().unwrap().id, sent.id);
        }
        other => panic!("expected a callback query, got {other:?}"),
    }
    // Without an offset they come again; with one they are confirmed.
    assert_eq!(bot.get_updates().await.unwrap().len(), 2);
    let next = updates[1].id.as_offset();
    let started = Instant::now();
    let none = bot.get_updates().offset(next).timeout(1).await.unwrap();
    assert!(none.is_empty());
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "waited for the timeout"
    );
    assert!(api.pending_updates().is_empty());

    // A long poll wakes up when a user writes.
    let poll = tokio::spawn({
        let bot = bot.clone();
        async move { bot.get_updates().offset(next).timeout(20).await }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    anna.send_text("hello");
    let got = poll.await.unwrap().unwrap();
    assert!(started.elapsed() < Duration::from_secs(5), "woken up, not timed out");
    assert_eq!(got.len(), 1);

    bot.answer_callback_query(CallbackQueryId(cb.clone()))
        .text("Done")
        .await
        .unwrap();
    assert_eq!(anna.wait_callback_answer(&cb).await.text.as_deref(), Some("Done"));
    let e = api_error(bot.answer_callback_query(CallbackQueryId(cb)).await);
    assert!(e.to_string().contains("query is too old"), "{e}");
    api.assert_violation("already answered");
    api.assert_no_violations();
}

#[tokio::test]
async fn unknown_parameters_wrong_types_and_unknown_methods_are_violations() {
    let api = FakeBotApi::start().await;
    started_user(&api).await;

    let r = raw_call(
        &api,
        "sendMessage",
        json!({"chat_id": ANNA, "text": "x", "colour": "red"}),
    )
    .await;
    assert_eq!(r["error_code"], 400);
    api.assert_violation("unknown parameter \"colour\"");

    let r = raw_call(&api, "sendMessage", json!({"chat_id": true, "text": "x"})).await;
    assert_eq!(r["ok"], false);
    let v = api.assert_violation("chat_id");
    assert!(
        v[0].description.contains("expected Integer or String, got boolean"),
        "{}",
        v[0]
    );

    raw_call(&api, "sendMessage", json!({"chat_id": ANNA})).await;
    api.assert_violation("missing required parameter \"text\"");

    raw_call(
        &api,
        "sendMessage",
        json!({"chat_id": ANNA, "text": "x", "disable_notification": "yes"}),
    )
    .await;
    api.assert_violation("disable_notification");

    raw_call(
        &api,
        "setMyCommands",
        json!({"commands": [{"command": "start", "description": "Go"}],
        "scope": {"type": "chat"}}),
    )
    .await;
    api.assert_violation("scope.chat_id");

    raw_call(
        &api,
        "setMyCommands",
        json!({"commands": [{"command": "start", "description": "Go"}],
        "scope": {"type": "nonsense"}}),
    )
    .await;
    api.assert_violation("scope");

    let r = raw_call(&api, "sendMessagee", json!({"chat_id": ANNA, "text": "x"})).await;
    assert_eq!(r, json!({"ok": false, "error_code": 404, "description": "Not Found"}));
    api.assert_violation("unknown method");

    let url = format!("{}botWRONG/getMe", api.api_url());
    let r: Value = reqwest::get(url).await.unwrap().json().await.unwrap();
    assert_eq!(r["error_code"], 401);
    api.assert_violation("wrong bot token");

    // Other methods of the spec: validated, recorded, answered with true.
    let r = raw_call(&api, "setMyShortDescription", json!({"short_description": "Hi"})).await;
    assert_eq!(r, json!({"ok": true, "result": true}));
    assert_eq!(api.calls_to("setMyShortDescription").len(), 1);

    // Form-encoded and query-string requests are coerced and validated too.
    let url = format!(
        "{}bot{}/sendMessage?chat_id={ANNA}&text=query",
        api.api_url(),
        api.token()
    );
    let r: Value = reqwest::get(url).await.unwrap().json().await.unwrap();
    assert_eq!(r["ok"], true, "{r}");
    let url = format!(
        "{}bot{}/sendMessage?chat_id={ANNA}&text=x&disable_notification=maybe",
        api.api_url(),
        api.token()
    );
    reqwest::get(url).await.unwrap();
    api.assert_violation("disable_notification");
    api.assert_no_violations();
}

#[tokio::test]
async fn multipart_documents_and_photos_are_accepted_and_recorded() {
    let api = FakeBotApi::start().await;
    let bot = api.bot();
    let anna = started_user(&api).await;
    let kb = InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("Ok", "ok")]]);
    let sent = bot
        .send_document(
            ChatId(ANNA),
            InputFile::memory(&b"hello, world"[..]).file_name("report.pdf"),
        )
        .caption("<b>Отчёт</b>")
        .parse_mode(ParseMode::Html)
        .reply_markup(kb)
        .await
        .expect("sendDocument");
    let m = anna.wait_bot_message().await;
    let doc = m.document.clone().expect("a document");
    assert_eq!(doc.file_name.as_deref(), Some("report.pdf"));
    assert_eq!(doc.file_size, 12);
    assert_eq!(doc.mime_type.as_deref(), Some("application/pdf"));
    assert_eq!(m.text(), "Отчёт");
    assert_eq!(m.button_data("Ok"), "ok");
    let call = &api.calls_to("sendDocument")[0];
    assert!(call.param("document").as_str().unwrap().starts_with("attach://"));
    assert_eq!(
        call.param("reply_markup")["inline_keyboard"][0][0]["callback_data"],
        "ok"
    );
    assert_eq!(sent.document().unwrap().file.id.0, doc.file_id);

    // Re-send by file_id, getFile and download.
    let again = bot
        .send_document(ChatId(ANNA), InputFile::file_id(doc.file_id.clone().into()))
        .await
        .unwrap();
    assert_eq!(again.document().unwrap().file.id.0, doc.file_id);
    let file = bot.get_file(doc.file_id.clone().into()).await.unwrap();
    let mut bytes = Vec::new();
    teloxide::net::Download::download_file(&bot, &file.path, &mut bytes)
        .await
        .unwrap();
    assert_eq!(bytes, b"hello, world");

    let e = api_error(
        bot.send_document(ChatId(ANNA), InputFile::file_id("nope".to_owned().into()))
            .await,
    );
    assert_eq!(e, ApiError::WrongFileIdOrUrl);
    api.assert_violation("wrong file identifier");

    let photo = bot
        .send_photo(
            ChatId(ANNA),
            InputFile::memory(vec![0xFF, 0xD8, 0xFF]).file_name("p.jpg"),
        )
        .await
        .expect("sendPhoto");
    assert_eq!(photo.photo().unwrap().len(), 2);
    let long = "x".repeat(1025);
    let e = api_error(
        bot.send_photo(ChatId(ANNA), InputFile::memory(vec![1]).file_name("p.jpg"))
            .caption(long)
            .await,
    );
    assert!(e.to_string().contains("caption is too long"), "{e}");
    api.assert_violation("caption is too long");

    // Files users send can be fetched too.
    let user_doc = anna.send_document("diploma.pdf", "application/pdf", 2048);
    let id = user_doc.document.unwrap().file_id;
    let f = bot.get_file(id.into()).await.unwrap();
    assert_eq!(f.size, 2048);
    api.assert_no_violations();
}

#[tokio::test]
async fn fail_next_injects_telegram_errors() {
    let api = FakeBotApi::start().await;
    let bot = api.bot();
    started_user(&api).await;
    api.fail_next("SendMessage", FailMode::TooManyRequests { retry_after: 3 }, 1);
    let r = raw_call(&api, "sendMessage", json!({"chat_id": ANNA, "text": "x"})).await;
    assert_eq!(
        r,
        json!({"ok": false, "error_code": 429, "description": "Too Many Requests: retry after 3",
               "parameters": {"retry_after": 3}})
    );
    api.fail_next("sendMessage", FailMode::TooManyRequests { retry_after: 1 }, 1);
    match bot.send_message(ChatId(ANNA), "x").await {
        Err(RequestError::RetryAfter(s)) => assert_eq!(s.seconds(), 1),
        other => panic!("expected RetryAfter, got {other:?}"),
    }
    api.fail_next("sendMessage", FailMode::Forbidden, 1);
    assert_eq!(
        api_error(bot.send_message(ChatId(ANNA), "x").await),
        ApiError::BotBlocked
    );
    bot.send_message(ChatId(ANNA), "x")
        .await
        .expect("only the next calls fail");
    assert_eq!(api.chat(ANNA).bot_messages().len(), 1);
    api.assert_no_violations();
}

#[tokio::test]
async fn commands_menu_button_chat_actions_and_get_chat() {
    let api = FakeBotApi::start().await;
    let bot = api.bot();
    let anna = started_user(&api).await;
    let admins = api.group(-1001234567890, "Admins");
    anna.join(&admins);
    admins.add_admin(&anna);

    bot.set_my_commands([BotCommand::new("start", "Начать"), BotCommand::new("help", "Помощь")])
        .await
        .unwrap();
    bot.set_my_commands([BotCommand::new("queue", "Очередь")])
        .scope(BotCommandScope::Chat {
            chat_id: Recipient::Id(ChatId(admins.id())),
        })
        .language_code("ru")
        .await
        .unwrap();
    assert_eq!(
        api.my_commands(json!({"type": "default"}), None)[1],
        ("help".into(), "Помощь".into())
    );
    assert_eq!(
        api.my_commands(json!({"type": "chat", "chat_id": admins.id()}), Some("ru")),
        vec![("queue".to_owned(), "Очередь".to_owned())]
    );
    let got = bot.get_my_commands().await.unwrap();
    assert_eq!(got.len(), 2);
    let e = api_error(bot.set_my_commands([BotCommand::new("Start", "x")]).await);
    assert!(e.to_string().contains("BOT_COMMAND_INVALID"), "{e}");
    api.assert_violation("BOT_COMMAND_INVALID");
    bot.delete_my_commands().await.unwrap();
    assert!(api.my_commands(json!({"type": "default"}), None).is_empty());

    bot.set_chat_menu_button()
        .chat_id(ChatId(ANNA))
        .menu_button(MenuButton::Commands)
        .await
        .unwrap();
    assert_eq!(api.menu_button(Some(ANNA)), Some(json!({"type": "commands"})));
    bot.send_chat_action(ChatId(ANNA), ChatAction::Typing).await.unwrap();
    assert_eq!(api.chat_actions(), vec![(ANNA, "typing".to_owned())]);

    let chat = bot.get_chat(ChatId(ANNA)).await.expect("getChat private");
    assert_eq!(chat.username(), Some("anna"));
    let group = bot.get_chat(ChatId(admins.id())).await.expect("getChat group");
    assert_eq!(group.title(), Some("Admins"));
    let member = bot
        .get_chat_member(ChatId(admins.id()), UserId(ANNA as u64))
        .await
        .unwrap();
    assert!(member.is_privileged());

    bot.send_message(ChatId(admins.id()), "New booking").await.unwrap();
    assert_eq!(admins.wait_bot_message().await.text(), "New booking");
    api.assert_no_violations();
}

/// The whole loop: a real Dispatcher polls the fake, answers /start with a keyboard, handles a
/// button press by answering the callback and editing the message.
#[tokio::test]
async fn a_real_dispatcher_talks_to_the_fake() {
    let api = FakeBotApi::start().await;
    let handler = dptree::entry()
        .branch(Update::filter_message().endpoint(|bot: Bot, msg: Message| async move {
            if msg.text() == Some("/start") {
                let kb = InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("Записаться", "book:1")]]);
                bot.send_message(msg.chat.id, "Здравствуйте, <b>Anna</b>!")
                    .parse_mode(ParseMode::Html)
                    .reply_markup(kb)
                    .await?;
            }
            respond(())
        }))
        .branch(
            Update::filter_callback_query().endpoint(|bot: Bot, q: CallbackQuery| async move {
                bot.answer_callback_query(q.id.clone()).text("Готово").await?;
                if let Some(m) = q.regular_message() {
                    bot.edit_message_text(m.chat.id, m.id, format!("Вы выбрали {}", q.data.unwrap()))
                        .await?;
                }
                respond(())
            }),
        );
    let mut dispatcher = Dispatcher::builder(api.bot(), handler).build();
    let shutdown = dispatcher.shutdown_token();
    let task = tokio::spawn(async move { dispatcher.dispatch().await });

    let anna = api.user(ANNA, "Anna", "ru");
    anna.send_command("/start");
    let welcome = anna.wait_bot_message().await;
    assert_eq!(welcome.text(), "Здравствуйте, Anna!");
    let cb = anna.press(&welcome, "Записаться");
    let edited = anna.wait_edit(welcome.message_id).await;
    assert_eq!(edited.text(), "Вы выбрали book:1");
    assert!(edited.buttons().is_empty());
    assert_eq!(anna.wait_callback_answer(&cb).await.text.as_deref(), Some("Готово"));
    assert!(api.unanswered_callbacks().is_empty());
    anna.assert_no_new_bot_message();

    api.wait_until("the dispatcher to poll", |a| a.poll_count() > 0).await;
    shutdown.shutdown().expect("the dispatcher is running").await;
    tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .expect("stops promptly")
        .unwrap();
    assert!(
        api.pending_updates().is_empty(),
        "the final poll confirmed every update"
    );
    api.assert_no_violations();
}

/// Webhook mode: teloxide's axum listener sets the webhook, the fake POSTs the updates to it.
#[tokio::test]
async fn webhook_mode_gets_updates_posted() {
    let api = FakeBotApi::start().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let url = format!("http://127.0.0.1:{port}/webhook").parse().unwrap();
    let bot = api.bot();
    let listener = teloxide::update_listeners::webhooks::axum(
        bot.clone(),
        teloxide::update_listeners::webhooks::Options::new(addr, url).secret_token("s3cret".into()),
    )
    .await
    .expect("webhook listener");
    let hook = api.webhook().expect("setWebhook was called");
    assert_eq!(hook["secret_token"], "s3cret");

    let handler = Update::filter_message().endpoint(|bot: Bot, msg: Message| async move {
        bot.send_message(msg.chat.id, "pong").await?;
        respond(())
    });
    let mut dispatcher = Dispatcher::builder(bot, handler).build();
    let shutdown = dispatcher.shutdown_token();
    let task = tokio::spawn(async move {
        dispatcher
            .dispatch_with_listener(listener, LoggingErrorHandler::with_custom_text("webhook"))
            .await
    });
    let anna = api.user(ANNA, "Anna", "en");
    anna.send_text("ping");
    assert_eq!(anna.wait_bot_message().await.text(), "pong");
    api.wait_updates_consumed().await;
    shutdown.shutdown().expect("running").await;
    tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .expect("stops")
        .unwrap();
    api.assert_no_violations();
}

#[tokio::test]
async fn pressing_a_missing_button_panics_with_the_message() {
    let api = FakeBotApi::start().await;
    let bot = api.bot();
    let anna = started_user(&api).await;
    let sent = bot.send_message(ChatId(ANNA), "no buttons").await.unwrap();
    let anna2 = anna.clone();
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
        anna2.press_button(sent.id.0, "Nope")
    }));
    let msg = *r.unwrap_err().downcast::<String>().unwrap();
    assert!(msg.contains("has no button \"Nope\""), "{msg}");
    api.assert_no_violations();
}

#[tokio::test]
#[should_panic(expected = "did not consume")]
async fn unconsumed_violations_panic_on_drop() {
    let api = FakeBotApi::start().await;
    raw_call(&api, "sendMessage", json!({"chat_id": 1})).await;
}

#[tokio::test]
#[should_panic(expected = "timed out")]
async fn waiting_times_out_with_a_report() {
    let api = FakeBotApi::start().await;
    api.set_timeout(Duration::from_millis(200));
    let anna = started_user(&api).await;
    anna.wait_bot_message().await;
}

#[test]
fn every_spec_type_referenced_exists() {
    let spec = spec::spec();
    let mut missing = Vec::new();
    let mut check = |t: &str| {
        let base = t.trim_start_matches("Array of ").trim_start_matches("Array of ");
        let prim = ["Integer", "Float", "Boolean", "String", "InputFile", "True"];
        if !prim.contains(&base) && !spec.types.contains_key(base) {
            missing.push(base.to_owned());
        }
    };
    for m in spec.methods.values() {
        m.fields.iter().flat_map(|f| &f.types).for_each(|t| check(t));
        m.returns.iter().for_each(|t| check(t));
    }
    for t in spec.types.values() {
        t.fields.iter().flatten().flat_map(|f| &f.types).for_each(|t| check(t));
        t.subtypes.iter().flatten().for_each(|t| check(t));
    }
    assert!(missing.is_empty(), "{missing:?}");
}

/// Every kind of update the fake makes deserializes in teloxide (no UpdateKind::Error) and
/// matches the spec (the fake checks what getUpdates returns); the bot's replies with reply
/// parameters, link preview options and reply keyboards pass validation.
#[tokio::test]
async fn every_update_kind_deserializes_and_replies_validate() {
    use teloxide::types::{
        ButtonRequest, KeyboardButton, KeyboardMarkup, KeyboardRemove, LinkPreviewOptions, ReplyParameters,
    };
    let api = FakeBotApi::start().await;
    let bot = api.bot();
    let anna = api.user_with(
        UserInfo::new(ANNA, "Anna")
            .last_name("K")
            .username("anna")
            .language_code("ru"),
    );
    let admins = api.group(-1001234567890, "Admins");
    let small = api.group(-4321, "Small group");
    let hello = anna.send_text("/start ref_42");
    anna.send_document("diploma.pdf", "application/pdf", 1000);
    anna.send_photo(800, 600, 5000);
    anna.send_contact("+79001234567");
    anna.reply_text(&hello, "a reply");
    anna.join(&admins);
    anna.send_text_in(&admins, "/queue@proego_test_bot");
    anna.send_text_in(&small, "hi all");
    let sent = bot
        .send_message(ChatId(ANNA), "Pick")
        .reply_markup(InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("P", "p")]]));
    let sent = sent.await.unwrap();
    anna.press_button(sent.id.0, "p");
    api.push_raw_update(json!({"edited_message": {
        "message_id": hello.message_id, "date": 1, "edit_date": 2, "text": "edited",
        "chat": {"id": ANNA, "type": "private", "first_name": "Anna"},
        "from": {"id": ANNA, "is_bot": false, "first_name": "Anna"}
    }}));

    let updates = bot.get_updates().await.unwrap();
    assert_eq!(updates.len(), 10);
    for u in &updates {
        assert!(
            !matches!(u.kind, UpdateKind::Error(_)),
            "teloxide could not parse {u:?}"
        );
    }
    match &updates[0].kind {
        UpdateKind::Message(m) => {
            assert_eq!(m.text(), Some("/start ref_42"));
            assert_eq!(m.from.as_ref().unwrap().language_code.as_deref(), Some("ru"));
        }
        other => panic!("{other:?}"),
    }
    match &updates[4].kind {
        UpdateKind::Message(m) => assert_eq!(m.reply_to_message().unwrap().id.0, hello.message_id),
        other => panic!("{other:?}"),
    }
    api.assert_no_violations();

    let reply = bot
        .send_message(ChatId(ANNA), "Share your phone")
        .reply_parameters(ReplyParameters::new(MessageId(hello.message_id)))
        .link_preview_options(LinkPreviewOptions {
            is_disabled: true,
            url: None,
            prefer_small_media: false,
            prefer_large_media: false,
            show_above_text: false,
        })
        .reply_markup(
            KeyboardMarkup::new([[KeyboardButton::new("Share").request(ButtonRequest::Contact)]])
                .resize_keyboard()
                .one_time_keyboard(),
        )
        .await
        .expect("a reply with a reply keyboard");
    assert_eq!(reply.reply_to_message().unwrap().id.0, hello.message_id);
    let m = api.chat(ANNA).message(reply.id.0).unwrap();
    assert_eq!(m.reply_to, Some(hello.message_id));
    assert!(m.reply_keyboard.is_some() && m.reply_markup.is_none());
    bot.send_message(ChatId(ANNA), "Thanks")
        .reply_markup(KeyboardRemove::new())
        .await
        .unwrap();

    let e = api_error(
        bot.send_message(ChatId(ANNA), "x")
            .reply_parameters(ReplyParameters::new(MessageId(77)))
            .await,
    );
    assert_eq!(e, ApiError::MessageToReplyNotFound);
    api.assert_violation("message to be replied not found");

    let copied = bot
        .copy_message(ChatId(admins.id()), ChatId(ANNA), MessageId(2))
        .await
        .unwrap();
    let copy = admins.chat().message(copied.0).unwrap();
    assert_eq!(copy.document.unwrap().file_name.as_deref(), Some("diploma.pdf"));
    let fwd = bot
        .forward_message(ChatId(admins.id()), ChatId(ANNA), MessageId(1))
        .await
        .unwrap();
    assert!(fwd.forward_origin().is_some());
    api.assert_no_violations();
}

#[test]
fn the_result_self_check_catches_malformed_objects() {
    let spec = spec::spec();
    let m = spec.method("sendMessage").unwrap();
    let bad = json!({"message_id": 1, "chat": {"id": 1, "type": "private"}});
    let errors = spec.check_result(m, &bad);
    assert!(errors.iter().any(|e| e.contains("result.date")), "{errors:?}");
    let get_me = spec.method("GETME").unwrap();
    assert!(spec.check_result(get_me, &json!({"id": 1, "is_bot": true})).len() == 1);
}

#[tokio::test]
async fn a_malformed_raw_update_is_reported() {
    let api = FakeBotApi::start().await;
    api.push_raw_update(json!({"message": {"message_id": 1, "text": "no chat, no date"}}));
    let updates = api.bot().get_updates().await.unwrap();
    assert_eq!(updates.len(), 1);
    let v = api.assert_violation("invalid update");
    assert!(v.iter().any(|v| v.description.contains("message.chat\"")), "{v:?}");
    assert!(v.iter().any(|v| v.description.contains("message.date\"")), "{v:?}");
}
