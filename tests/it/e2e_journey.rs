//! Whole journeys across features, played as people play them: every button is chosen by its
//! visible text, never by building callback data. Russian: invite -> onboarding -> moderation
//! -> calendar -> a client's intake, PHQ-9, recommendation, booking and payment over HTTP ->
//! reminders and the room link -> completion -> payout -> receipt. English: a client's
//! timely cancellation (money released), a move and a late cancellation (stays charged).
//! Runs on PROEGO_TEST_BACKEND (and with PROEGO_TEST_REDIS_URL when set).

use std::time::Duration;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use proego::domain::{BookingState, Money, PaymentState};
use proego::store::bookings::Bookings;
use proego::store::payments::Payments;
use proego::store::therapists::{TherapistStatus, Therapists};

use crate::e2e_booking::pay_message_closed;
use crate::support::app::{TestApp, ADMIN_CHAT_ID, ADMIN_ID};
use crate::support::fake_bot_api::{ChatMessage, TestUser};

const NB: char = '\u{a0}';
const THERAPIST: i64 = 2201;
const CLIENT: i64 = 3201;

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

/// The first bot message in `chat`, after the first `skip` ones, whose text contains `needle`.
async fn message_with(app: &TestApp, chat: i64, skip: usize, needle: &str) -> ChatMessage {
    app.api
        .wait_for(&format!("{needle:?} in chat {chat}"), |a| {
            a.chat(chat)
                .bot_messages()
                .into_iter()
                .skip(skip)
                .find(|m| m.text().contains(needle))
        })
        .await
}

/// JOURNEY_TRANSCRIPTS=1 prints every chat, to read the journey as its people saw it.
fn dump(app: &TestApp) {
    if std::env::var_os("JOURNEY_TRANSCRIPTS").is_some() {
        eprintln!("{}", app.api.report());
    }
}

fn count(app: &TestApp, chat: i64) -> usize {
    app.api.chat(chat).bot_messages().len()
}

/// Presses a button and returns the message as the bot edited it.
async fn step(u: &TestUser, msg: &ChatMessage, button: &str) -> ChatMessage {
    u.press(msg, button);
    u.wait_edit(msg.message_id).await
}

/// Presses a button and returns what the bot showed next: the same message edited, or a new
/// message (a card with a photo cannot be edited into text, so the next step comes below it).
async fn next(app: &TestApp, u: &TestUser, msg: &ChatMessage, button: &str) -> ChatMessage {
    let chat = msg.chat_id;
    let mark = app
        .api
        .chat(chat)
        .all_messages()
        .iter()
        .map(|m| m.seq.max(m.edit_seq))
        .max()
        .unwrap_or(0);
    let id = msg.message_id;
    u.press(msg, button);
    app.api
        .wait_for(&format!("the answer to {button:?}"), |a| {
            a.chat(chat)
                .bot_messages()
                .into_iter()
                .find(|m| (m.message_id == id && m.edit_seq > mark) || m.seq > mark)
        })
        .await
}

/// A Russian answer that is not the internal-error message.
fn polite_ru(m: &ChatMessage) {
    let t = m.text();
    assert!(!t.contains("пошло не так"), "an error instead of an answer: {t}");
    assert!(t.chars().any(|c| ('а'..='я').contains(&c)), "answered in Russian: {t}");
}

fn has(m: &ChatMessage, needle: &str) {
    assert!(m.text().contains(needle), "{needle:?} in:\n{}", m.text());
}

async fn pay_over_http(app: &TestApp, url: &str) {
    let id = url.rsplit('/').next().unwrap();
    let page = reqwest::get(app.http_url(&format!("/pay/{id}"))).await.unwrap();
    assert_eq!(page.status(), 200);
    let res = reqwest::Client::new()
        .post(app.http_url(&format!("/pay/{id}")))
        .form(&[("action", "authorize")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

async fn wait_state(app: &TestApp, id: i64, state: BookingState) {
    for _ in 0..300 {
        if Bookings(&app.db.db).get(id).await.unwrap().unwrap().state == state {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("booking {id} never became {state}");
}

/// The Russian onboarding, every step by its button; returns the checklist after the last one.
async fn onboard_ru(app: &TestApp, t: &TestUser, mut c: ChatMessage) -> ChatMessage {
    step(t, &c, "Имя").await;
    t.send_text("Ирина Смирнова");
    c = t.wait_bot_message().await;
    has(&c, "Имя сохранено");
    step(t, &c, "Фото").await;
    t.send_text("вот фото");
    has(&t.wait_bot_message().await, "жду фотографию");
    t.send_photo(800, 800, 90_000);
    c = t.wait_bot_message().await;
    has(&c, "Фото сохранено");
    step(t, &c, "О себе").await;
    t.send_text("Работаю с тревогой и выгоранием: бережно, по шагам, с опорой на КПТ.");
    c = t.wait_bot_message().await;
    step(t, &c, "Образование").await;
    // A sticker where text is expected: a polite Russian answer, the step stays open.
    app.api.push_raw_update(serde_json::json!({"message": {
        "message_id": 90_001, "date": 1_700_000_000, "from": t.json(),
        "chat": {"id": t.id(), "type": "private", "first_name": "Ирина"},
        "sticker": {"file_id": "sticker-1", "file_unique_id": "sticker-u1", "type": "regular",
                    "width": 512, "height": 512, "is_animated": false, "is_video": false}}}));
    polite_ru(&t.wait_bot_message().await);
    t.send_text("МГУ, клиническая психология");
    c = t.wait_bot_message().await;
    step(t, &c, "Стаж").await;
    t.send_text("девять");
    has(&t.wait_bot_message().await, "от 0 до 70");
    t.send_text("9");
    c = t.wait_bot_message().await;
    let langs = step(t, &c, "Языки").await;
    let langs = step(t, &langs, "Русский").await;
    c = step(t, &langs, "← К анкете").await;
    let tz = step(t, &c, "Часовой пояс").await;
    c = step(t, &tz, "Москва (UTC+3)").await;
    has(&c, "Europe/Moscow");
    step(t, &c, "Ссылка на видеокомнату").await;
    t.send_text("https://meet.example.org/irina");
    c = t.wait_bot_message().await;
    let mut page = step(t, &c, "Специализация").await;
    for (item, next) in [
        ("Тревога", true),
        ("КПТ", true),
        ("Взрослые", true),
        ("Индивидуальные сессии", false),
    ] {
        page = step(t, &page, item).await;
        assert!(page.has_button(&format!("✅ {item}")), "{}", page.summary());
        if next {
            page = step(t, &page, "Далее →").await;
        }
    }
    c = step(t, &page, "← К анкете").await;
    let prices = step(t, &c, "Цены").await;
    step(t, &prices, "Индивидуальная").await;
    t.send_text("3333");
    c = t.wait_bot_message().await;
    has(&c, &format!("3{NB}333{NB}₽"));
    let payout = step(t, &c, "Реквизиты").await;
    step(t, &payout, "Банковская карта").await;
    t.send_text("4111 1111 1111 1111");
    t.wait_bot_messages(2).await;
    t.send_text("500100732259");
    c = t.wait_bot_message().await;
    has(&c, "карта •••• 1111");
    let tax = step(t, &c, "Налоговый статус").await;
    step(t, &tax, "Самозанятый").await;
    t.send_document("npd.pdf", "application/pdf", 200_000);
    c = t.wait_bot_message().await;
    has(&c, "Налоговый статус и документ сохранены");
    c
}

/// The therapist opens a time in /calendar by its buttons: day `day` of the month shown,
/// `time`, then the kind `kind`.
async fn open_slot(t: &TestUser, day: &str, time: &str, kind: &str) -> ChatMessage {
    t.send_command("/calendar");
    let week = t.wait_bot_message().await;
    has(&week, "Europe/Moscow");
    t.press(&week, "Открыть окно");
    let picker = t.wait_bot_message().await;
    has(&picker, "Europe/Moscow");
    let times = step(t, &picker, day).await;
    let kinds = step(t, &times, time).await;
    has(&kinds, "Europe/Moscow");
    let done = step(t, &kinds, kind).await;
    has(&done, "окно открыто");
    done
}

/// The Russian questionnaire, answered as a person who wants individual sessions in the morning.
async fn questionnaire_ru(c: &TestUser) -> ChatMessage {
    c.send_command("/start");
    let msgs = c.wait_bot_messages(2).await;
    let consent = step(c, &msgs[1], "Согласен").await;
    assert!(consent.buttons().is_empty(), "the consent buttons are gone");
    let q1 = c.wait_bot_message().await;
    // Free text at a button step: a polite answer in Russian, the question stays answerable.
    c.send_text("не знаю, тревожно");
    let hint = c.wait_bot_message().await;
    polite_ru(&hint);
    let q1 = step(c, &q1, "Тревога").await;
    c.press(&q1, "Готово");
    let details = c.wait_bot_message().await;
    // A photo where text is expected: a polite answer, the question stays.
    c.send_photo(640, 480, 50_000);
    let hint = c.wait_bot_message().await;
    polite_ru(&hint);
    let _ = details;
    c.send_text("Плохо сплю, тревожусь перед работой");
    let state = c.wait_bot_message().await;
    // /start in the middle of the questionnaire: answered, and the questionnaire goes on.
    c.send_command("/start");
    let msgs = c.wait_bot_messages(2).await;
    polite_ru(&msgs[0]);
    has(&msgs[1], "ответы сохраняются");
    c.press(&msgs[1], "Продолжить");
    let again = c.wait_bot_message().await;
    has(&again, "по шкале от 0 до 10");
    let _ = state;
    let state = again;
    c.press(&state, "6");
    let risk = c.wait_bot_message().await;
    has(&risk, "мысли причинить себе вред");
    c.press(&risk, "Нет");
    let format = c.wait_bot_message().await;
    c.press(&format, "Индивидуальные сессии");
    let budget = c.wait_bot_message().await;
    c.press(&budget, "До 4 000");
    let time = c.wait_bot_message().await;
    let time = step(c, &time, "Утром").await;
    c.press(&time, "Готово");
    let gender = c.wait_bot_message().await;
    c.press(&gender, "Пропустить");
    let language = c.wait_bot_message().await;
    c.press(&language, "На русском");
    let done = c.wait_bot_message().await;
    has(&done, "анкета заполнена");
    let rec = c.wait_bot_message().await;
    let offer = c.wait_bot_message().await;
    assert!(offer.has_button("PHQ-9"), "{}", offer.summary());
    let _ = rec;
    offer
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn journey_ru_invite_to_receipt() {
    let app = TestApp::start().await;
    let db = &app.db.db;
    let group = app.api.group(ADMIN_CHAT_ID, "проЭго админы");
    let admin = app.api.user(ADMIN_ID, "Мария", "ru");
    admin.join(&group);

    // The admin invites the therapist.
    admin.send_command("/invite");
    has(&admin.wait_bot_message().await, "полное имя");
    admin.send_text("Ирина Смирнова");
    has(&admin.wait_bot_message().await, "e-mail");
    admin.send_text("irina@example.org");
    let link = admin.wait_bot_message().await;
    has(&link, "Europe/Moscow");
    let text = link.text().to_owned();
    let code = text
        .split("start=inv_")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap();

    // The therapist opens the link and fills in every step.
    let t = app.api.user(THERAPIST, "Ирина", "ru");
    t.send_command(&format!("/start inv_{code}"));
    let c = t.wait_bot_message().await;
    has(&c, "Добро пожаловать");
    let c = onboard_ru(&app, &t, c).await;
    // A free text at a button step: a polite answer, the checklist stays.
    let _ = c;
    // The calendar: an individual session on Monday 30 Nov at 10:00 Moscow and a consultation.
    open_slot(&t, "30", "10:00", "индивидуальная сессия, 60 мин").await;
    open_slot(&t, "30", "12:00", "предварительная консультация").await;
    t.send_command("/start");
    let c = t.wait_bot_message().await;
    let mut m = step(&t, &c, "Документы").await;
    for b in ["Принимаю оферту", "Принимаю политику", "Принимаю правила"] {
        m = step(&t, &m, b).await;
    }
    has(&m, "отправлена на модерацию");
    let card = message_with(&app, ADMIN_CHAT_ID, 0, "Анкета на модерацию").await;
    has(&card, "Ирина Смирнова");
    has(&card, &format!("3{NB}333{NB}₽"));
    has(&card, "языки: Русский;");
    // The missing group price agrees with «цена» (not «групповая не указано»).
    has(&card, "групповой (с участника): не указана");
    assert!(!card.text().contains("групповая не указано"), "{}", card.text());
    admin.press(&card, "Одобрить");
    let approved = admin.wait_edit_in(ADMIN_CHAT_ID, card.message_id).await;
    has(&approved, "Одобрено");
    message_with(&app, THERAPIST, 0, "одобрен").await;
    let tid = Therapists(db).by_telegram(THERAPIST).await.unwrap().unwrap();
    assert_eq!(tid.status, TherapistStatus::Active);

    // The client: consent, questionnaire, PHQ-9, recommendation.
    let cl = app.api.user(CLIENT, "Анна", "ru");
    let offer = questionnaire_ru(&cl).await;
    cl.press(&offer, "Пройти PHQ-9");
    let mut q = cl.wait_bot_message().await;
    let before = count(&app, CLIENT);
    for _ in 0..9 {
        q = step(&cl, &q, "Ни разу").await;
    }
    has(&q, "PHQ-9");
    has(&q, "0 из 27");
    // The recommendation comes again after the test.
    message_with(&app, CLIENT, before, "Почему").await;
    let before = count(&app, CLIENT);
    cl.send_command("/recommend");
    let rec = message_with(&app, CLIENT, before, "Почему").await;
    has(&rec, "Ирина Смирнова");
    has(&rec, "Почему");
    has(&rec, &format!("3{NB}333{NB}₽"));
    let before = count(&app, CLIENT);
    cl.press(&rec, "Ирина Смирнова");
    let card = message_with(&app, CLIENT, before, "Ваша цена").await;
    has(&card, "Europe/Moscow");
    // Each free time names its kind: a consultation is not mistaken for a session.
    has(&card, "— индивидуальная сессия");
    has(&card, "— предварительная консультация");
    let picker = next(&app, &cl, &card, "Записаться на индивидуальную сессию").await;
    has(&picker, "Europe/Moscow");
    let times = next(&app, &cl, &picker, "30").await;
    let confirm = next(&app, &cl, &times, "10:00").await;
    has(&confirm, "Europe/Moscow");
    has(&confirm, &format!("3{NB}333{NB}₽"));
    // A double tap on "Подтвердить": one booking.
    cl.press(&confirm, "Подтвердить");
    let pay = next(&app, &cl, &confirm, "Подтвердить").await;
    let url = pay.button_data(&format!("Оплатить 3{NB}333{NB}₽"));
    let t_before = count(&app, THERAPIST);
    pay_over_http(&app, &url).await;
    let mut bookings = proego::store::client_booking::ClientBookings(db)
        .list(CLIENT)
        .await
        .unwrap();
    assert_eq!(bookings.len(), 1, "one booking after a double tap: {bookings:?}");
    let booking = bookings.pop().unwrap();
    wait_state(&app, booking.id, BookingState::Confirmed).await;
    let paid = message_with(&app, CLIENT, 0, "Оплата получена").await;
    has(&paid, "Europe/Moscow");
    // R-PAY-1: the pay message no longer asks to pay (edited in place, no button).
    pay_message_closed(&app, CLIENT, pay.message_id, "Оплачено ✓").await;
    let told = message_with(&app, THERAPIST, t_before, "Новая запись").await;
    has(&told, "Анна");
    has(&told, "Europe/Moscow");

    // A second client books the free consultation from the shared link: nothing to pay.
    let boris = app.api.user(CLIENT + 2, "Борис", "ru");
    boris.send_command(&format!("/start t_{}", tid.id));
    let bcard = message_with(&app, CLIENT + 2, 0, "Ближайшее свободное время").await;
    let picker = next(&app, &boris, &bcard, "Записаться на бесплатную консультацию").await;
    has(&picker, "Europe/Moscow");
    let times = next(&app, &boris, &picker, "30").await;
    let confirm = next(&app, &boris, &times, "12:00").await;
    has(&confirm, "консультация");
    has(&confirm, "Europe/Moscow");
    let t_before = count(&app, THERAPIST);
    let booked = next(&app, &boris, &confirm, "Подтвердить").await;
    assert!(
        !booked.button_texts().iter().any(|b| b.starts_with("Оплатить")),
        "a free consultation has nothing to pay: {}",
        booked.summary()
    );
    let consultation = proego::store::client_booking::ClientBookings(db)
        .list(CLIENT + 2)
        .await
        .unwrap()
        .pop()
        .unwrap();
    wait_state(&app, consultation.id, BookingState::Confirmed).await;
    let told = message_with(&app, THERAPIST, t_before, "Борис").await;
    has(&told, "консультация");
    has(&told, "Europe/Moscow");

    // Reminders and the room link, as the clock moves.
    let start = utc(2026, 11, 30, 7, 0);
    app.clock.set(start - TimeDelta::hours(24));
    let r24 = message_with(&app, CLIENT, 0, "Напоминание").await;
    has(&r24, "Europe/Moscow");
    app.clock.set(start - TimeDelta::hours(1));
    // The free consultation's reminder does not speak of paying in full.
    let free = message_with(&app, CLIENT + 2, 0, "Напоминание").await;
    has(&free, "/mybookings");
    assert!(!free.text().contains("оплачивается"), "{}", free.text());
    let r1 = message_with(&app, CLIENT, 0, "Через час").await;
    has(&r1, "Europe/Moscow");
    app.clock.set(start - TimeDelta::minutes(15));
    message_with(&app, CLIENT, 0, "https://meet.example.org/irina").await;
    let link = message_with(&app, THERAPIST, 0, "https://meet.example.org/irina").await;
    has(&link, "с клиентом Анна");
    has(&link, "Europe/Moscow");

    // The session ends and completes: the payout is due.
    // The session ends; the therapist marks it held in /bookings.
    app.clock.set(start + TimeDelta::minutes(61));
    let t_before = count(&app, THERAPIST);
    t.send_command("/bookings");
    let list = message_with(&app, THERAPIST, t_before, "Анна").await;
    has(&list, "Europe/Moscow");
    next(&app, &t, &list, "Состоялась: Анна").await;
    wait_state(&app, booking.id, BookingState::Completed).await;
    let p = Payments(db).for_booking(booking.id).await.unwrap().pop().unwrap();
    assert_eq!(p.state, PaymentState::Captured);
    assert_eq!(p.amount.kopecks(), 333_300);
    let _ = t_before;
    // The payout is recorded by the running jobs.
    for _ in 0..300 {
        if !proego::store::payouts::Payouts(db)
            .unpaid_of(tid.id)
            .await
            .unwrap()
            .is_empty()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // The therapist sees it awaiting payout and files the receipt link.
    let t_before = count(&app, THERAPIST);
    t.send_command("/payouts");
    let list = message_with(&app, THERAPIST, t_before, "Ожидают выплаты").await;
    has(&list, "Europe/Moscow");
    has(&list, &format!("к выплате 2{NB}333,10{NB}₽"));
    has(&list, &format!("комиссия 999,90{NB}₽"));
    has(&list, "чека нет");
    t.press(&list, "Чек: 30.11 10:00, Анна");
    let ask = message_with(&app, THERAPIST, t_before + 1, "Чек за сессию").await;
    has(&ask, &format!("3{NB}333{NB}₽"));
    let t_before = count(&app, THERAPIST);
    t.send_text("https://lknpd.nalog.ru/api/v1/receipt/500100732259/20abc/print");
    message_with(&app, THERAPIST, t_before, "сохранён").await;

    // The admin's card shows the receipt present; the admin marks the payout paid.
    let g_before = count(&app, ADMIN_CHAT_ID);
    admin.send_text_in(&group, "/payouts");
    let pcard = message_with(&app, ADMIN_CHAT_ID, g_before, "Ирина Смирнова").await;
    has(&pcard, &format!("К выплате: 2{NB}333,10{NB}₽"));
    has(&pcard, &format!("Комиссия: 999,90{NB}₽"));
    has(&pcard, "Чеки: все есть");
    has(&pcard, "Europe/Moscow");
    admin.press(&pcard, "Отметить выплату");
    message_with(&app, ADMIN_CHAT_ID, g_before, "номер платёжного поручения").await;
    let t_before = count(&app, THERAPIST);
    admin.send_text_in(&group, "ПП-42");
    let done = admin.wait_edit_in(ADMIN_CHAT_ID, pcard.message_id).await;
    has(&done, "ПП-42");
    has(&done, "Europe/Moscow");
    let told = message_with(&app, THERAPIST, t_before, "ПП-42").await;
    has(&told, &format!("2{NB}333,10{NB}₽"));

    // The therapist's /payouts shows it paid, with the receipt.
    let t_before = count(&app, THERAPIST);
    t.send_command("/payouts");
    let list = message_with(&app, THERAPIST, t_before, "Выплачено").await;
    has(&list, "платёж ПП-42");
    has(&list, "чек: ссылка");
    has(&list, "Все чеки на месте");
    dump(&app);
    app.finish().await;
}

const EN_THERAPIST: i64 = 2202;
const EN_CLIENT: i64 = 3202;

/// An active therapist speaking English, with a price of RUB 4,000 and three free times in
/// Moscow: Mon 30 Nov 10:00, Wed 2 Dec 10:00 and Thu 3 Dec 10:00.
async fn english_therapist(app: &TestApp) -> i64 {
    use proego::domain::{PriceKind, PriceState};
    use proego::store::profiles::{Profiles, TextField};
    use proego::store::slots::SlotKind;
    let db = &app.db.db;
    let now = app.clock_now();
    let id =
        crate::support::seed::active_therapist(db, EN_THERAPIST, "Gleb", Some(chrono_tz::Europe::Moscow), now).await;
    let p = Profiles(db);
    p.set_text(id, TextField::Languages, "ru,en", now).await.unwrap();
    p.set_text(
        id,
        TextField::Bio,
        "I help with anxiety and burnout, step by step.",
        now,
    )
    .await
    .unwrap();
    p.set_text(id, TextField::VideoRoomLink, "https://meet.example.org/gleb", now)
        .await
        .unwrap();
    p.set_time_zone(id, "Europe/Moscow", now).await.unwrap();
    for s in ["anxiety", "cbt", "adults", "individual"] {
        p.toggle_specialization(id, s).await.unwrap();
    }
    p.set_price(
        id,
        PriceKind::Individual,
        &PriceState::draft(Money::rubles(4000)).activate(now),
        now,
    )
    .await
    .unwrap();
    for start in [utc(2026, 11, 30, 7, 0), utc(2026, 12, 2, 7, 0), utc(2026, 12, 3, 7, 0)] {
        crate::support::seed::slot(db, id, SlotKind::Individual, start, 60, 1, now).await;
    }
    id
}

/// The English questionnaire; returns the recommendation.
async fn questionnaire_en(c: &TestUser) -> ChatMessage {
    c.send_command("/start");
    let msgs = c.wait_bot_messages(2).await;
    step(c, &msgs[1], "I agree").await;
    let q1 = c.wait_bot_message().await;
    let q1 = step(c, &q1, "Anxiety").await;
    c.press(&q1, "Done");
    let details = c.wait_bot_message().await;
    c.press(&details, "Skip");
    let state = c.wait_bot_message().await;
    c.press(&state, "5");
    let risk = c.wait_bot_message().await;
    c.press(&risk, "No");
    let format = c.wait_bot_message().await;
    c.press(&format, "Individual sessions");
    let budget = c.wait_bot_message().await;
    c.press(&budget, "Up to RUB 6,000");
    let time = c.wait_bot_message().await;
    let time = step(c, &time, "Mornings").await;
    c.press(&time, "Done");
    let gender = c.wait_bot_message().await;
    c.press(&gender, "Skip");
    let language = c.wait_bot_message().await;
    c.press(&language, "English");
    let done = c.wait_bot_message().await;
    has(&done, "Europe/Moscow");
    let rec = c.wait_bot_message().await;
    let offer = c.wait_bot_message().await;
    c.press(&offer, "Not now");
    rec
}

/// From a message with the therapist's card button (or the card itself): books `day` at
/// 10:00 and pays over HTTP; returns the booking id.
async fn book_and_pay_en(app: &TestApp, c: &TestUser, card: &ChatMessage, day: &str) -> i64 {
    let picker = next(app, c, card, "Book an individual session").await;
    has(&picker, "Europe/Moscow");
    let mut picker = picker;
    if !picker.button_texts().iter().any(|b| b == day) {
        picker = next(app, c, &picker, "▶").await;
    }
    let times = next(app, c, &picker, day).await;
    // Typing at a button step: a polite English answer; the buttons still work.
    let before = count(app, EN_CLIENT);
    c.send_text("tomorrow at 10 please");
    let hint = app
        .api
        .wait_for("an answer to the text", |a| {
            a.chat(EN_CLIENT).bot_messages().into_iter().nth(before)
        })
        .await;
    let t = hint.text();
    assert!(
        !t.contains("went wrong") && !t.chars().any(|ch| ('а'..='я').contains(&ch)) && !t.is_empty(),
        "a polite English answer: {t}"
    );
    let confirm = next(app, c, &times, "10:00").await;
    has(&confirm, "Europe/Moscow");
    has(&confirm, "Free cancellation until");
    let pay = next(app, c, &confirm, "Confirm").await;
    let url = pay.button_data(&format!("Pay RUB{NB}4,000"));
    let before = count(app, EN_CLIENT);
    pay_over_http(app, &url).await;
    let b = newest_booking(app).await;
    wait_state(app, b.id, BookingState::Confirmed).await;
    let paid = message_with(app, EN_CLIENT, before, "Payment received").await;
    has(&paid, "Europe/Moscow");
    has(&paid, &format!("RUB{NB}4,000"));
    pay_message_closed(app, EN_CLIENT, pay.message_id, "Paid ✓").await;
    b.id
}

/// The client's most recent booking.
async fn newest_booking(app: &TestApp) -> proego::store::client_booking::ClientBooking {
    proego::store::client_booking::ClientBookings(&app.db.db)
        .list(EN_CLIENT)
        .await
        .unwrap()
        .into_iter()
        .max_by_key(|b| b.id)
        .expect("a booking")
}

async fn my_bookings(app: &TestApp, c: &TestUser) -> ChatMessage {
    let before = count(app, EN_CLIENT);
    c.send_command("/mybookings");
    message_with(app, EN_CLIENT, before, "Your sessions").await
}

fn payment_state(ps: Vec<proego::store::payments::PaymentRecord>) -> PaymentState {
    ps.last().expect("a payment").state
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn journey_en_cancel_in_time_move_and_cancel_late() {
    let app = TestApp::start_without_session_jobs().await;
    let db = &app.db.db;
    let tid = english_therapist(&app).await;
    let t = app.api.user(EN_THERAPIST, "Gleb", "en");
    t.send_command("/help");
    t.wait_bot_message().await;
    let c = app.api.user(EN_CLIENT, "Kate", "en");
    let rec = questionnaire_en(&c).await;
    has(&rec, "Gleb Терапевтова");
    has(&rec, "Why");
    has(&rec, &format!("RUB{NB}4,000"));
    let before = count(&app, EN_CLIENT);
    c.press(&rec, "Gleb Терапевтова");
    let card = message_with(&app, EN_CLIENT, before, "Your price").await;
    has(&card, "Europe/Moscow");
    has(&card, "— individual session");
    let first = book_and_pay_en(&app, &c, &card, "2").await;

    // A timely cancellation: the hold is released, the therapist told.
    let list = my_bookings(&app, &c).await;
    has(&list, "Europe/Moscow");
    let before = count(&app, EN_CLIENT);
    c.press(&list, "Cancel 1");
    let ask = message_with(&app, EN_CLIENT, before, "Cancel individual").await;
    has(&ask, &format!("You get RUB{NB}4,000 back"));
    has(&ask, "Europe/Moscow");
    // A double tap on "Yes, cancel": one cancellation, the therapist told once.
    c.press(&ask, "Yes, cancel");
    let done = next(&app, &c, &ask, "Yes, cancel").await;
    has(&done, "Cancelled");
    assert_eq!(
        Bookings(db).get(first).await.unwrap().unwrap().state,
        BookingState::CancelledByClient
    );
    assert_eq!(
        payment_state(Payments(db).for_booking(first).await.unwrap()),
        PaymentState::Released
    );
    message_with(&app, EN_THERAPIST, 0, "Kate cancelled").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let told = app
        .api
        .chat(EN_THERAPIST)
        .bot_messages()
        .iter()
        .filter(|m| m.text().contains("Kate cancelled"))
        .count();
    assert_eq!(told, 1, "the therapist is told once");

    // Book 30 Nov again from the card, then move it to 3 Dec.
    let before = count(&app, EN_CLIENT);
    c.send_command(&format!("/start t_{tid}"));
    let card = message_with(&app, EN_CLIENT, before, "Your price").await;
    let second = book_and_pay_en(&app, &c, &card, "30").await;
    let list = my_bookings(&app, &c).await;
    let cal = next(&app, &c, &list, "Move 1").await;
    has(&cal, "Europe/Moscow");
    let mut cal = cal;
    if !cal.button_texts().iter().any(|b| b == "3") {
        cal = next(&app, &c, &cal, "▶").await;
    }
    let times = next(&app, &c, &cal, "3").await;
    let confirm = next(&app, &c, &times, "10:00").await;
    // One sentence each: no capital letter after a colon.
    has(
        &confirm,
        &format!("will be cancelled once the new one is made. You get RUB{NB}4,000 back"),
    );
    let before = count(&app, EN_CLIENT);
    let done = next(&app, &c, &confirm, "Confirm").await;
    has(&done, &format!("You get RUB{NB}4,000 back"));
    let moved = message_with(&app, EN_CLIENT, before, "Your earlier booking").await;
    has(&moved, &format!("is cancelled. You get RUB{NB}4,000 back"));
    let pay = app
        .api
        .wait_for("the pay button", |a| {
            a.chat(EN_CLIENT)
                .bot_messages()
                .into_iter()
                .skip(before.saturating_sub(1))
                .find(|m| m.button_texts().iter().any(|b| b.starts_with("Pay RUB")))
        })
        .await;
    let url = pay.button_data(&format!("Pay RUB{NB}4,000"));
    assert_eq!(
        Bookings(db).get(second).await.unwrap().unwrap().state,
        BookingState::CancelledByClient
    );
    assert_eq!(
        payment_state(Payments(db).for_booking(second).await.unwrap()),
        PaymentState::Released
    );
    let before = count(&app, EN_CLIENT);
    pay_over_http(&app, &url).await;
    let third = newest_booking(&app).await.id;
    wait_state(&app, third, BookingState::Confirmed).await;
    message_with(&app, EN_CLIENT, before, "Payment received").await;

    // A late cancellation: 23 hours before, the session stays paid.
    app.clock.set(utc(2026, 12, 3, 7, 0) - TimeDelta::hours(23));
    let list = my_bookings(&app, &c).await;
    let before = count(&app, EN_CLIENT);
    c.press(&list, "Cancel 1");
    let ask = message_with(&app, EN_CLIENT, before, "Cancel individual").await;
    has(&ask, &format!("stays paid in full (RUB{NB}4,000)"));
    let done = next(&app, &c, &ask, "Yes, cancel").await;
    has(&done, "Cancelled");
    assert_eq!(
        Bookings(db).get(third).await.unwrap().unwrap().state,
        BookingState::CancelledByClient
    );
    message_with(&app, EN_THERAPIST, 0, "cancelled: individual session, Thu 3 Dec").await;
    let state = payment_state(Payments(db).for_booking(third).await.unwrap());
    assert!(
        matches!(state, PaymentState::Held | PaymentState::Captured),
        "the money stays charged: {state:?}"
    );
    dump(&app);
    app.finish().await;
}
