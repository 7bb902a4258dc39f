//! End to end through the fake Bot API: a therapist's /payouts (R-PAY-2..4) listed to the
//! kopeck, receipts filed as a link, a number, a document and a photo and replaced (R-PAY-3),
//! every refusal (bad link, bad text, wrong file type, a file over 20 MB, a forged button for
//! another therapist's session or a free one), the admin's card showing the receipts present,
//! /payouts kept for admins and refused to clients; and the free sessions a therapist owes
//! (R-CAN-3) shown to the therapist in /bookings and /payouts and to the client in
//! /mybookings with a button that books it free.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use proego::domain::{BookingState, Money};
use proego::i18n::Lang;
use proego::store::payouts::Payouts;
use proego::store::receipts::{ReceiptKind, Receipts};
use proego::store::slots::SlotKind;

use crate::store_receipts::{pay_out, session};
use crate::support::app::{TestApp, ADMIN_CHAT_ID, ADMIN_ID};
use crate::support::seed;

const ANNA: i64 = 501;

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn r_pay_3_therapist_payouts_to_the_kopeck_and_receipts_filed_replaced_refused() {
    let app = TestApp::start_without_session_jobs().await;
    let db = &app.db.db;
    let now = app.clock_now();
    let anna_tg = app.api.user(ANNA, "Анна", "en");
    let stranger = app.api.user(777, "Peter", "en");
    let admin = app.api.user(ADMIN_ID, "Maria", "en");
    let group = app.api.group(ADMIN_CHAT_ID, "proEgo admins");
    admin.join(&group);
    let anna = seed::active_therapist(db, ANNA, "Анна", None, now).await;
    let boris = seed::active_therapist(db, 502, "Борис", None, now).await;
    let d1 = utc(2026, 11, 20, 7, 0);
    let b1 = session(db, anna, 601, "Вера", d1, 333_300, 99_990, now).await;
    let b2 = session(db, anna, 602, "Глеб", d1 + TimeDelta::hours(14), 250_050, 75_015, now).await;
    let free = session(db, anna, 603, "Дина", d1 + TimeDelta::hours(3), 0, 0, now).await;
    let b3 = session(db, anna, 604, "Ева", utc(2026, 11, 10, 7, 0), 300_000, 90_000, now).await;
    let other = session(db, boris, 605, "Жанна", d1, 300_000, 90_000, now).await;
    pay_out(db, anna, &[b3], utc(2026, 11, 12, 9, 0)).await;

    // The listing: amounts to the kopeck, due dates in Anna's zone (named), totals, receipts.
    anna_tg.send_command("/payouts");
    let list = anna_tg.wait_bot_message().await;
    let text = list.text();
    for needle in [
        "Payouts and receipts (times: Europe/Moscow)",
        "Awaiting payout",
        "Вера, individual session",
        "Client paid RUB\u{a0}3,333 · commission RUB\u{a0}999.90 · payout RUB\u{a0}2,333.10",
        "due by 21 Nov 2026, 11:00 (Europe/Moscow) · receipt missing",
        "Client paid RUB\u{a0}2,500.50 · commission RUB\u{a0}750.15 · payout RUB\u{a0}1,750.35",
        "no receipt needed (free session)",
        "Total: 3 sessions · paid RUB\u{a0}5,833.50 · commission RUB\u{a0}1,750.05 · payout RUB\u{a0}4,083.45",
        "Paid out",
        "paid out 12 Nov 2026, 12:00 (Europe/Moscow), reference PP-1 · receipt missing",
        "Total: 1 session · paid RUB\u{a0}3,000 · commission RUB\u{a0}900 · payout RUB\u{a0}2,100",
        "Missing receipts: 3",
        "• 20.11 10:00, Вера",
    ] {
        assert!(text.contains(needle), "{needle:?} in {text}");
    }
    assert!(!text.contains("Жанна"), "another therapist's session is not shown");
    // The therapist's own command menu has /payouts (the admins' menu keeps its own meaning).
    let menu = app
        .api
        .wait_for("the therapist's menu", |a| {
            let m = a.my_commands(serde_json::json!({"type": "chat", "chat_id": ANNA}), None);
            (!m.is_empty()).then_some(m)
        })
        .await;
    assert!(
        menu.iter().any(|(c, d)| c == "payouts" && d == "Payouts and receipts"),
        "{menu:?}"
    );
    assert_eq!(
        list.button_texts(),
        vec![
            "Receipt: 10.11 10:00, Ева",
            "Receipt: 20.11 10:00, Вера",
            "Receipt: 21.11 00:00, Глеб"
        ]
    );

    // A link: a bad one refused, text that is neither refused, then a good one saved.
    anna_tg.press(&list, "Receipt: 20.11 10:00, Вера");
    let ask = anna_tg.wait_bot_message().await;
    assert!(ask.text().contains("with Вера (paid RUB\u{a0}3,333)"), "{}", ask.text());
    anna_tg.send_text("http://lknpd.nalog.ru/api/v1/receipt/1/2/print");
    assert!(anna_tg
        .wait_bot_message()
        .await
        .text()
        .contains("This link does not work"));
    anna_tg.send_text("thank you");
    assert!(anna_tg.wait_bot_message().await.text().contains("neither like a link"));
    assert!(Receipts(db).line(anna, b1).await.unwrap().unwrap().receipt.is_none());
    let link = "https://lknpd.nalog.ru/api/v1/receipt/771234567890/20abc1def2/print";
    anna_tg.send_text(link);
    let saved = anna_tg.wait_bot_message().await;
    assert!(saved.text().contains("is saved"), "{}", saved.text());
    let r = Receipts(db).line(anna, b1).await.unwrap().unwrap().receipt.unwrap();
    assert_eq!((r.kind, r.reference.as_str()), (ReceiptKind::Link, link));

    // A number, after a file of the wrong type and one over 20 MB.
    anna_tg.press(&list, "Receipt: 21.11 00:00, Глеб");
    anna_tg.wait_bot_message().await;
    anna_tg.send_document("чек.docx", "application/msword", 10_000);
    assert!(anna_tg.wait_bot_message().await.text().contains("not a PDF"));
    anna_tg.send_document("чек.pdf", "application/pdf", 20 * 1024 * 1024 + 1);
    assert!(anna_tg.wait_bot_message().await.text().contains("larger than 20 MB"));
    assert!(Receipts(db).line(anna, b2).await.unwrap().unwrap().receipt.is_none());
    anna_tg.send_text("20abc1def2");
    assert!(anna_tg.wait_bot_message().await.text().contains("is saved"));
    let r = Receipts(db).line(anna, b2).await.unwrap().unwrap().receipt.unwrap();
    assert_eq!((r.kind, r.reference.as_str()), (ReceiptKind::Number, "20abc1def2"));

    // The admin's card: every unpaid session has its receipt now (the free one needs none).
    admin.send_text_in(&group, "/payouts");
    group.wait_bot_message().await;
    let card = group.wait_bot_message().await;
    assert!(card.text().contains("Receipts: all present"), "{}", card.text());

    // A PDF for the session already paid out.
    anna_tg.press(&list, "Receipt: 10.11 10:00, Ева");
    anna_tg.wait_bot_message().await;
    anna_tg.send_document("чек ноябрь.pdf", "application/pdf", 50_000);
    assert!(anna_tg.wait_bot_message().await.text().contains("is saved"));
    let r = Receipts(db).line(anna, b3).await.unwrap().unwrap().receipt.unwrap();
    assert_eq!(
        (r.kind, r.reference.as_str()),
        (ReceiptKind::Document, "чек ноябрь.pdf")
    );
    assert!(r.file_id.is_some());

    // Replaced by a photo.
    anna_tg.send_command("/payouts");
    let list2 = anna_tg.wait_bot_message().await;
    assert!(list2.text().contains("All receipts are in."), "{}", list2.text());
    assert!(list2.text().contains("receipt: link"), "{}", list2.text());
    assert!(list2.text().contains("receipt: number 20abc1def2"), "{}", list2.text());
    anna_tg.press(&list2, "Replace receipt: 20.11 10:00, Вера");
    let ask = anna_tg.wait_bot_message().await;
    assert!(ask.text().contains("Now on file: receipt: link"), "{}", ask.text());
    anna_tg.send_photo(1280, 960, 200_000);
    assert!(anna_tg.wait_bot_message().await.text().contains("is replaced"));
    let r = Receipts(db).line(anna, b1).await.unwrap().unwrap().receipt.unwrap();
    assert_eq!(r.kind, ReceiptKind::Photo);
    assert!(r.file_id.is_some());

    // Forged buttons: Boris's session, the free one, an unknown one; and a non-therapist.
    for (data, answer) in [
        (format!("po:r:{other}"), "not your session"),
        (format!("po:r:{free}"), "No receipt is needed"),
        ("po:r:99999999".to_owned(), "not your session"),
    ] {
        let a = app.forged_press(&anna_tg, list2.message_id, &data).await;
        assert!(format!("{a:?}").contains(answer), "{data}: {a:?}");
    }
    anna_tg.send_text("12345");
    assert!(
        anna_tg
            .wait_bot_message()
            .await
            .text()
            .contains("I am not expecting text"),
        "no receipt step was opened"
    );
    stranger.send_command("/help");
    stranger.wait_bot_message().await;
    let a = app.forged_press(&stranger, 1, &format!("po:r:{b2}")).await;
    assert!(format!("{a:?}").contains("for the platform's therapists"), "{a:?}");
    assert!(Receipts(db)
        .line(boris, other)
        .await
        .unwrap()
        .unwrap()
        .receipt
        .is_none());
    assert_eq!(
        Receipts(db)
            .line(anna, b2)
            .await
            .unwrap()
            .unwrap()
            .receipt
            .unwrap()
            .reference,
        "20abc1def2"
    );

    // /payouts by role: a client is refused, an admin (privately) gets the admin list.
    stranger.send_command("/payouts");
    assert!(stranger.wait_bot_message().await.text().contains("administrators only"));
    admin.send_command("/payouts");
    let m = admin.wait_bot_message().await;
    assert!(m.text().contains("therapist"), "{}", m.text());
    assert!(!m.text().contains("Payouts and receipts"), "{}", m.text());
    assert_eq!(Payouts(db).unpaid_of(anna).await.unwrap(), vec![b1, b2, free]);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn r_can_3_free_session_owed_shown_to_both_and_booked_from_mybookings() {
    use proego::domain::{decide_cancellation, CancellationRequest, Canceller, DomainSettings, Funding};
    let app = TestApp::start_without_session_jobs().await;
    let db = &app.db.db;
    let now = app.clock_now();
    let anna_tg = app.api.user(ANNA, "Анна", "en");
    let tid = seed::active_therapist(db, ANNA, "Анна", None, now).await;
    seed::client(db, 701, "Vera", Lang::En, None, now).await;
    let start = now + TimeDelta::hours(5);
    let cancelled = seed::slot(db, tid, SlotKind::Individual, start, 60, 1, now).await;
    let b = seed::booking(db, cancelled, 701, 3000, true, now).await;
    let outcome = decide_cancellation(
        &CancellationRequest {
            booking: BookingState::Confirmed,
            by: Canceller::Therapist,
            session_start: start,
            now,
            funding: Funding::Held,
            force_majeure_accepted: false,
        },
        &DomainSettings::default(),
    )
    .unwrap();
    assert!(outcome.therapist_owes_free_session);
    proego::store::calendar::TherapistBookings(db)
        .cancel_session(tid, cancelled, &[(b, BookingState::Confirmed, outcome)], now)
        .await
        .unwrap();
    seed::slot(db, tid, SlotKind::Individual, utc(2026, 11, 30, 7, 0), 60, 1, now).await;

    // The therapist sees the debt in /bookings and /payouts.
    for cmd in ["/bookings", "/payouts"] {
        anna_tg.send_command(cmd);
        let m = anna_tg.wait_bot_message().await;
        assert!(m.text().contains("Free sessions you owe"), "{cmd}: {}", m.text());
        assert!(
            m.text()
                .contains("Vera (cancelled 27 Nov 2026, 12:00 (Europe/Moscow)): not used yet"),
            "{cmd}: {}",
            m.text()
        );
    }

    // The client sees it in /mybookings, with a button that books it free.
    let vera = app.api.user(701, "Vera", "en");
    vera.send_command("/mybookings");
    let my = vera.wait_bot_message().await;
    assert!(
        my.text()
            .contains("Анна Терапевтова owes you a free session (cancelled 27 Nov 2026"),
        "{}",
        my.text()
    );
    vera.press(&my, "Book free: Анна Терапевтова");
    let cal = vera.wait_edit(my.message_id).await;
    vera.press(&cal, &format!("cb:p:n{tid}i:d:20261130"));
    let times = vera.wait_edit(my.message_id).await;
    vera.press(&times, "10:00");
    let confirm = vera.wait_edit(my.message_id).await;
    assert!(confirm.text().contains("free"), "{}", confirm.text());
    vera.press(&confirm, "Confirm");
    vera.wait_edit(my.message_id).await;
    let list = proego::store::client_booking::ClientBookings(db)
        .list(701)
        .await
        .unwrap();
    let booked = list.iter().find(|x| x.state == BookingState::Confirmed).unwrap();
    assert_eq!((booked.price, booked.owed_free), (Money::ZERO, true));

    // Used: gone from the client's list, "booked for" on the therapist's.
    vera.send_command("/mybookings");
    let my = vera.wait_bot_message().await;
    assert!(!my.text().contains("owes you"), "{}", my.text());
    assert!(!my.button_texts().iter().any(|b| b.starts_with("Book free")));
    let told = anna_tg.wait_bot_message().await;
    assert!(told.text().contains("New booking: Vera"), "{}", told.text());
    anna_tg.send_command("/payouts");
    let m = anna_tg.wait_bot_message().await;
    assert!(
        m.text().contains("booked for 30 Nov 2026, 10:00 (Europe/Moscow)"),
        "{}",
        m.text()
    );
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn r_pay_3_the_weekly_reminder_arrives_and_its_button_files_the_receipt() {
    let app = TestApp::start().await;
    let db = &app.db.db;
    let now = app.clock_now();
    let anna_tg = app.api.user(ANNA, "Анна", "ru");
    anna_tg.send_command("/help");
    anna_tg.wait_bot_message().await;
    let anna = seed::active_therapist(db, ANNA, "Анна", None, now).await;
    let b1 = session(db, anna, 601, "Вера", utc(2026, 11, 20, 7, 0), 333_300, 99_990, now).await;
    pay_out(db, anna, &[b1], now - TimeDelta::days(3)).await;
    // `proego run`'s own jobs: the reminder is enqueued and delivered.
    let reminder = anna_tg.wait_bot_message().await;
    assert!(reminder.text().contains("Напоминание: нет чека"), "{}", reminder.text());
    assert!(reminder.text().contains("2\u{a0}333,10\u{a0}₽"), "{}", reminder.text());
    anna_tg.press(&reminder, "Чек: 20.11 10:00, Вера");
    assert!(anna_tg.wait_bot_message().await.text().contains("Чек за сессию"));
    anna_tg.send_text("20abc1def2");
    assert!(anna_tg.wait_bot_message().await.text().contains("сохранён"));
    assert_eq!(
        Receipts(db)
            .line(anna, b1)
            .await
            .unwrap()
            .unwrap()
            .receipt
            .unwrap()
            .kind,
        ReceiptKind::Number
    );
    app.finish().await;
}
