//! The foundation's flows end to end: the real dispatcher and handler tree over HTTP against
//! the fake Bot API, which validates every request against the official spec. Runs on the
//! backend in PROEGO_TEST_BACKEND, with Redis dialogue state when PROEGO_TEST_REDIS_URL is set.

use proego::store::therapists::Therapists;
use proego::store::users::Users;
use serde_json::json;

use crate::support::app::{TestApp, ADMIN_CHAT_ID, ADMIN_ID};

#[tokio::test]
async fn start_greets_in_the_users_language_and_shows_what_they_can_do() {
    let app = TestApp::start().await;
    let anna = app.api.user(1001, "Анна", "ru");
    anna.send_command("/start");
    let m = anna.wait_bot_message().await;
    assert!(m.text().contains("Здравствуйте, Анна!"), "{}", m.text());
    assert!(m.text().contains("/timezone") && m.text().contains("/cancel"));

    let john = app.api.user(1002, "John", "en-GB");
    john.send_command("/start");
    let m = john.wait_bot_message().await;
    assert!(m.text().starts_with("Hello, John!"), "{}", m.text());

    let hans = app.api.user(1003, "Hans", "de");
    hans.send_command("/start");
    assert!(
        hans.wait_bot_message().await.text().contains("Здравствуйте"),
        "other languages get DEFAULT_LOCALE"
    );
    app.finish().await;
}

#[tokio::test]
async fn names_typed_by_users_are_escaped() {
    let app = TestApp::start().await;
    let u = app.api.user(1010, "<b>Tom & \"Jerry\"</b>", "en");
    u.send_command("/start");
    let m = u.wait_bot_message().await;
    assert!(
        m.text().contains("Hello, <b>Tom & \"Jerry\"</b>!"),
        "shown as typed: {}",
        m.text()
    );
    app.finish().await;
}

#[tokio::test]
async fn language_switch_is_remembered_and_refreshes_the_menu() {
    let app = TestApp::start().await;
    let u = app.api.user(1020, "Ольга", "ru");
    u.send_command("/language");
    let ask = u.wait_bot_message().await;
    assert!(ask.has_button("English") && ask.has_button("Русский"));
    let cb = u.press(&ask, "English");
    let edited = u.wait_edit(ask.message_id).await;
    assert_eq!(edited.text(), "Done: I speak English now.");
    assert!(edited.buttons().is_empty(), "the choice replaces the question");
    app.api.wait_callback_answer(&cb).await;
    // Telegram still says "ru", the user's choice wins from now on.
    u.send_command("/help");
    assert!(u.wait_bot_message().await.text().contains("leave the current step"));
    let scope = json!({"type": "chat", "chat_id": 1020});
    let menu = app
        .api
        .wait_for("chat menu in English", |a| {
            let m = a.my_commands(scope.clone(), None);
            (!m.is_empty()).then_some(m)
        })
        .await;
    assert!(
        menu.iter().any(|(c, d)| c == "timezone" && d == "Time zone"),
        "{menu:?}"
    );
    app.finish().await;
}

#[tokio::test]
async fn global_menus_are_set_per_role_at_start() {
    let app = TestApp::start().await;
    let default = app.api.my_commands(json!({"type": "default"}), None);
    let ru = app.api.my_commands(json!({"type": "default"}), Some("ru"));
    let en = app.api.my_commands(json!({"type": "default"}), Some("en"));
    assert!(default.iter().any(|(c, _)| c == "start"));
    assert!(ru.iter().any(|(c, d)| c == "help" && d == "Что умеет бот"));
    assert!(en.iter().any(|(c, d)| c == "help" && d == "What the bot can do"));
    let admin_chat = app
        .api
        .my_commands(json!({"type": "chat", "chat_id": ADMIN_CHAT_ID}), None);
    assert!(admin_chat.iter().any(|(c, _)| c == "help"));
    assert!(!admin_chat.iter().any(|(c, _)| c == "start"));
    app.finish().await;
}

#[tokio::test]
async fn roles_are_resolved_on_every_update_with_their_own_menu() {
    let app = TestApp::start().await;
    let admin = app.api.user(ADMIN_ID, "Мария", "ru");
    admin.send_command("/start");
    assert!(admin.wait_bot_message().await.text().contains("администратор"));
    let menu = app
        .api
        .wait_for("admin's private menu", |a| {
            let m = a.my_commands(json!({"type": "chat", "chat_id": ADMIN_ID}), None);
            (!m.is_empty()).then_some(m)
        })
        .await;
    assert!(!menu.iter().any(|(c, _)| c == "start"), "admins get the admin menu");

    // A client becomes a therapist when an account is bound to them.
    let t = app.api.user(1030, "Ирина", "ru");
    t.send_command("/start");
    let [greeting, consent] = <[_; 2]>::try_from(t.wait_bot_messages(2).await).unwrap();
    assert!(greeting.text().contains("проЭго.онлайн"));
    assert!(consent.has_button("Согласен"), "a client is asked for consent");
    let now = app.clock_now();
    let id = Therapists(&app.db.db)
        .create_invited("Ирина Петрова", "irina@example.org", now)
        .await
        .unwrap();
    Therapists(&app.db.db).bind_telegram(id, 1030, now).await.unwrap();
    t.send_command("/start");
    assert!(t.wait_bot_message().await.text().contains("кабинет специалиста"));
    app.api
        .wait_for("therapist's private menu", |a| {
            let m = a.my_commands(json!({"type": "chat", "chat_id": 1030}), None);
            (!m.is_empty()).then_some(())
        })
        .await;
    assert_eq!(
        Users(&app.db.db).get(1030).await.unwrap().unwrap().role,
        proego::roles::Role::Therapist
    );
    app.finish().await;
}

#[tokio::test]
async fn the_admin_chat_answers_only_admins() {
    let app = TestApp::start().await;
    let group = app.api.group(ADMIN_CHAT_ID, "proEgo admins");
    let admin = app.api.user(ADMIN_ID, "Мария", "ru");
    let stranger = app.api.user(1040, "Пётр", "ru");
    admin.join(&group);
    stranger.join(&group);
    stranger.send_text_in(&group, "/help");
    let m = group.wait_bot_message().await;
    assert!(m.text().contains("только администраторам"), "{}", m.text());
    admin.send_text_in(&group, "/help");
    let m = group.wait_bot_message().await;
    assert!(m.text().contains("/language"), "{}", m.text());
    admin.send_text_in(&group, "коллеги, добрый день");
    app.api.wait_updates_consumed().await;
    // No answer to ordinary conversation.
    let before = app.api.chat(ADMIN_CHAT_ID).messages().len();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(app.api.chat(ADMIN_CHAT_ID).messages().len(), before);
    app.finish().await;
}

#[tokio::test]
async fn unexpected_input_never_meets_silence() {
    let app = TestApp::start().await;
    let u = app.api.user(1050, "Vera", "en");
    u.send_text("hello?");
    assert!(u.wait_bot_message().await.text().contains("not expecting text"));
    u.send_command("/frobnicate");
    assert!(u.wait_bot_message().await.text().contains("do not know that command"));
    u.send_photo(800, 600, 50_000);
    assert!(u.wait_bot_message().await.text().contains("only text and buttons"));
    u.send_text(&"x".repeat(5000));
    assert!(u.wait_bot_message().await.text().contains("not expecting text"));
    app.finish().await;
}

#[tokio::test]
async fn cancel_leaves_any_step() {
    let app = TestApp::start().await;
    let u = app.api.user(1060, "Игорь", "ru");
    u.send_command("/cancel");
    assert!(u.wait_bot_message().await.text().contains("нечего отменять"));
    u.send_command("/timezone");
    u.wait_bot_message().await;
    u.send_command("/cancel");
    assert!(u.wait_bot_message().await.text().contains("вышли из этого шага"));
    u.send_text("Новосибирск");
    assert!(
        u.wait_bot_message().await.text().contains("не жду сейчас текста"),
        "the step is gone"
    );
    assert_eq!(Users(&app.db.db).get(1060).await.unwrap().unwrap().time_zone, None);
    app.finish().await;
}

#[tokio::test]
async fn time_zone_by_button_by_city_and_refusals() {
    let app = TestApp::start().await;
    let u = app.api.user(1070, "Lena", "en");
    u.send_command("/timezone");
    let ask = u.wait_bot_message().await;
    assert!(
        ask.text().contains("Europe/Moscow"),
        "the current zone is named: {}",
        ask.text()
    );
    assert_eq!(ask.buttons().concat().len(), 11);
    u.send_text("Atlantis");
    assert!(u
        .wait_bot_message()
        .await
        .text()
        .contains("could not find a time zone in \"Atlantis\""));
    u.send_text(&"<script>".repeat(600));
    assert!(u
        .wait_bot_message()
        .await
        .text()
        .contains("could not find a time zone in that text"));
    u.send_text("UTC+7");
    let m = u.wait_bot_message().await;
    assert!(m.text().contains("Etc/GMT-7"), "{}", m.text());
    u.send_command("/timezone");
    let ask = u.wait_bot_message().await;
    let cb = u.press(&ask, "Vladivostok (UTC+10)");
    let edited = u.wait_edit(ask.message_id).await;
    // 09:00 UTC on the test clock is 19:00 in Vladivostok.
    assert!(
        edited.text().contains("27 Nov 2026, 19:00 (Asia/Vladivostok)"),
        "{}",
        edited.text()
    );
    app.api.wait_callback_answer(&cb).await;
    let user = Users(&app.db.db).get(1070).await.unwrap().unwrap();
    assert_eq!(user.time_zone, Some(chrono_tz::Asia::Vladivostok));
    u.send_text("Moscow");
    assert!(
        u.wait_bot_message().await.text().contains("not expecting text"),
        "the button ended the step"
    );
    app.finish().await;
}

#[tokio::test]
async fn forged_and_stale_buttons_change_nothing() {
    let app = TestApp::start().await;
    let u = app.api.user(1080, "Sam", "en");
    u.send_command("/start");
    let m = u.wait_bot_message().await;
    for data in ["tz:999", "lang:de", "admin:approve:1", "x", "i:o:0:0", "i:a:gad7:3:1"] {
        let answer = app.forged_press(&u, m.message_id, data).await;
        let text = answer.text.unwrap_or_default();
        assert!(text.contains("no longer works"), "{data}: {text}");
    }
    let user = Users(&app.db.db).get(1080).await.unwrap().unwrap();
    assert_eq!((user.time_zone, user.language_chosen), (None, false));
    app.finish().await;
}

#[tokio::test]
async fn a_dialogue_survives_a_restart() {
    let mut app = TestApp::start().await;
    let u = app.api.user(1090, "Дарья", "ru");
    u.send_command("/timezone");
    u.wait_bot_message().await;
    app.restart().await;
    u.send_text("новосибирск");
    let m = u.wait_bot_message().await;
    assert!(m.text().contains("Asia/Novosibirsk"), "{}", m.text());
    app.finish().await;
}

#[tokio::test]
async fn health_and_metrics_over_http() {
    let app = TestApp::start().await;
    let u = app.api.user(1100, "Max", "en");
    u.send_command("/help");
    u.wait_bot_message().await;
    let health = reqwest::get(app.http_url("/healthz")).await.unwrap();
    assert_eq!(health.status(), 200);
    assert!(health.text().await.unwrap().starts_with("ok "));
    let metrics = reqwest::get(app.http_url("/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for name in [
        "proego_updates_received_total",
        "proego_updates_handled_total",
        "proego_handler_seconds_bucket",
    ] {
        assert!(metrics.contains(name), "{name} missing from:\n{metrics}");
    }
    app.finish().await;
}

#[tokio::test]
async fn webhook_mode_serves_updates_over_http() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let addr = format!("127.0.0.1:{port}");
    let hook = format!("http://{addr}/telegram/hook");
    let app = TestApp::start_with(&[("HTTP_ADDR", &addr), ("WEBHOOK_URL", &hook)]).await;
    let set = app.api.webhook().expect("setWebhook was called");
    assert_eq!(set["url"], json!(hook));
    let u = app.api.user(1110, "Nina", "en");
    u.send_command("/start");
    assert!(u.wait_bot_message().await.text().starts_with("Hello, Nina!"));
    let health = reqwest::get(app.http_url("/healthz")).await.unwrap();
    assert_eq!(health.status(), 200);
    app.finish().await;
}
