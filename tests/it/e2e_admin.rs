//! End to end through the fake Bot API: the admin tools of issue 5 (payouts R-PAY-2..4, the
//! accountant's CSV, /stats, /audit) and the rules of the room for them.

use chrono::{TimeDelta, TimeZone, Utc};
use proego::store::payouts::Payouts;

use crate::store_admin::seed_payout;
use crate::support::app::{TestApp, ADMIN_CHAT_ID, ADMIN_ID, SECOND_ADMIN_ID};
use crate::support::seed;

/// "5833.50" -> 583350.
fn kopecks(s: &str) -> i64 {
    let (r, k) = s.split_once('.').expect("two decimals");
    assert_eq!(k.len(), 2, "{s}");
    r.parse::<i64>().unwrap() * 100 + k.parse::<i64>().unwrap()
}

struct Seeded {
    anna: i64,
    boris: i64,
    b1: i64,
    b2: i64,
    b3: i64,
}

/// Anna (Telegram 501) has two sessions with payouts due, Boris (502) one; all in November.
async fn seed_payouts(app: &TestApp) -> Seeded {
    let db = &app.db.db;
    let now = app.clock_now();
    let anna = seed::active_therapist(db, 501, "Анна", None, now).await;
    let boris = seed::active_therapist(db, 502, "Борис", None, now).await;
    let d1 = Utc.with_ymd_and_hms(2026, 11, 20, 7, 0, 0).unwrap();
    let b1 = seed_payout(db, anna, 601, d1, 333_300, 99_990, now).await;
    let b2 = seed_payout(db, anna, 602, d1 + TimeDelta::hours(14), 250_050, 75_015, now).await;
    let b3 = seed_payout(db, boris, 603, d1 + TimeDelta::hours(1), 300_000, 90_000, now).await;
    Seeded {
        anna,
        boris,
        b1,
        b2,
        b3,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn payouts_listed_marked_paid_once_and_exported_to_the_kopeck() {
    let app = TestApp::start_without_session_jobs().await;
    let group = app.api.group(ADMIN_CHAT_ID, "proEgo admins");
    let admin = app.api.user(ADMIN_ID, "Maria", "en");
    let admin2 = app.api.user(SECOND_ADMIN_ID, "Oleg", "en");
    let anna_tg = app.api.user(501, "Анна", "ru");
    admin.join(&group);
    admin2.join(&group);
    let s = seed_payouts(&app).await;
    // Anna has talked to the bot (so it may write to her).
    anna_tg.send_command("/help");
    anna_tg.wait_bot_message().await;

    // The listing, per therapist, earliest due first.
    admin.send_text_in(&group, "/payouts");
    assert!(group.wait_bot_message().await.text().contains("2 therapists"));
    let card = group.wait_bot_message().await;
    let boris_card = group.wait_bot_message().await;
    let text = card.text();
    for needle in [
        "Анна Терапевтова",
        "Sessions: 2",
        "Clients paid: RUB\u{a0}5,833.50",
        "Commission: RUB\u{a0}1,750.05",
        "To pay out: RUB\u{a0}4,083.45",
        "Due from: 21 Nov 2026, 11:00 (Europe/Moscow)",
        "missing for 2 sessions",
        "Payout details: not given",
    ] {
        assert!(text.contains(needle), "{needle}: {text}");
    }
    assert!(boris_card.text().contains("Борис Терапевтова"));
    assert!(card.has_button("Mark paid"));

    // Two admins mark Anna's payouts at once, one in the admin chat, one privately.
    admin2.send_command("/payouts");
    let private = admin2.wait_bot_messages(3).await;
    admin.press(&card, "Mark paid");
    let ask = group.wait_bot_message().await;
    assert!(
        ask.text()
            .contains("2 sessions of Анна Терапевтова (RUB\u{a0}4,083.45)"),
        "{}",
        ask.text()
    );
    admin2.press(&private[1], "Mark paid");
    assert!(admin2.wait_bot_message().await.text().contains("reference"));
    admin.send_text_in(&group, "x");
    assert!(group.wait_bot_message().await.text().contains("3 to 200 characters"));
    admin2.send_text_in(&group, "not the one asked");
    admin.send_text_in(&group, "PP-2026-117");
    let edited = group.wait_edit(card.message_id).await;
    assert!(
        edited.text().contains("Paid by Maria at 27 Nov 2026, 12:00"),
        "{}",
        edited.text()
    );
    assert!(edited.text().contains("PP-2026-117"));
    assert!(edited.buttons().is_empty());
    assert!(group
        .wait_bot_message()
        .await
        .text()
        .contains("therapist has been told"));
    let told = anna_tg.wait_bot_message().await;
    assert!(told.text().contains("4\u{a0}083,45\u{a0}₽"), "{}", told.text());
    assert!(told.text().contains("PP-2026-117"));
    admin2.send_text("PP-dup");
    let second = admin2.wait_bot_message().await;
    assert!(
        second.text().contains("already marked paid by Maria"),
        "{}",
        second.text()
    );
    let due = Payouts(&app.db.db).due_groups().await.unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].therapist_id, s.boris);
    // The old card's button, pressed again: nothing is due any more.
    let cb = admin2.press(&private[1], "Mark paid");
    assert!(format!("{:?}", app.api.wait_callback_answer(&cb).await).contains("Nothing is due"));

    // The accountant's CSV of November (admin's zone), to the kopeck.
    admin.send_text_in(&group, "/export 2026-11-01");
    assert!(group
        .wait_bot_message()
        .await
        .text()
        .contains("/export 2026-11-01 2026-11-30"));
    admin.send_text_in(&group, "/export 2026-11-01 2026-11-30");
    let doc = group.wait_bot_message().await;
    let file = doc.document.clone().expect("a document");
    assert_eq!(file.file_name.as_deref(), Some("payouts_2026-11-01_2026-11-30.csv"));
    assert!(doc.text().contains("Sessions: 3"), "{}", doc.text());
    let csv = String::from_utf8(app.api.file(&file.file_id).unwrap().content.unwrap()).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "booking_id,therapist,session_utc,session_local (Europe/Moscow),kind,paid_rub,commission_rub,payout_rub,due_utc,paid_out_utc,reference"
    );
    assert_eq!(
        lines[1],
        format!(
            "{},Анна Терапевтова,2026-11-20T07:00:00Z,2026-11-20 10:00,individual,3333.00,999.90,2333.10,2026-11-21T08:00:00Z,2026-11-27T09:00:00Z,PP-2026-117",
            s.b1
        )
    );
    assert!(
        lines[2].starts_with(&format!("{},Борис Терапевтова,", s.b3)),
        "{}",
        lines[2]
    );
    assert!(
        lines[2].ends_with(",3000.00,900.00,2100.00,2026-11-21T09:00:00Z,,"),
        "{}",
        lines[2]
    );
    assert!(lines[3].starts_with(&format!("{},", s.b2)), "{}", lines[3]);
    assert_eq!(lines.len(), 4);
    let (mut paid, mut commission, mut payout) = (0, 0, 0);
    for l in &lines[1..] {
        let c: Vec<&str> = l.split(',').collect();
        paid += kopecks(c[5]);
        commission += kopecks(c[6]);
        payout += kopecks(c[7]);
        assert_eq!(kopecks(c[5]), kopecks(c[6]) + kopecks(c[7]), "{l}");
    }
    assert_eq!((paid, commission, payout), (883_350, 265_005, 618_345));
    assert_eq!(paid, commission + payout);
    // A period with nothing in it is an empty table, not an error.
    admin.send_command("/export 2026-10-01 2026-10-31");
    let empty = admin.wait_bot_message().await;
    let content = app.api.file(&empty.document.unwrap().file_id).unwrap().content.unwrap();
    assert_eq!(String::from_utf8(content).unwrap().lines().count(), 1);

    // /stats on the seeded data; the audit of the payment.
    admin.send_text_in(&group, "/stats");
    let stats = group.wait_bot_message().await;
    for needle in [
        "active: 2",
        "Last 7 days: bookings 3, revenue RUB\u{a0}0, commission RUB\u{a0}2,650.05",
        "Payouts due: 1 sessions, RUB\u{a0}2,100",
    ] {
        assert!(stats.text().contains(needle), "{needle}: {}", stats.text());
    }
    admin.send_text_in(&group, &format!("/audit therapist {}", s.anna));
    let audit = group.wait_bot_message().await;
    assert!(
        audit.text().contains("payout_paid (Maria) — PP-2026-117"),
        "{}",
        audit.text()
    );
    admin.send_text_in(&group, &format!("/audit booking {}", s.b2));
    assert!(group.wait_bot_message().await.text().contains("PP-2026-117"));
    admin.send_text_in(&group, &format!("/audit booking {}", s.b3));
    assert!(group.wait_bot_message().await.text().contains("No admin actions"));
    admin.send_text_in(&group, "/audit somebody");
    assert!(group.wait_bot_message().await.text().contains("/audit therapist 7"));
    let _ = s.b1;
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn non_admins_cannot_use_the_admin_tools() {
    let app = TestApp::start_without_session_jobs().await;
    let group = app.api.group(ADMIN_CHAT_ID, "proEgo admins");
    let admin = app.api.user(ADMIN_ID, "Maria", "en");
    let stranger = app.api.user(777, "Peter", "en");
    let therapist = app.api.user(501, "Анна", "en");
    admin.join(&group);
    stranger.join(&group);
    let s = seed_payouts(&app).await;
    admin.send_text_in(&group, "/payouts");
    let mut cards = Vec::new();
    for _ in 0..3 {
        cards.push(group.wait_bot_message().await);
    }

    let commands = [
        "/payouts",
        "/export 2026-11-01 2026-11-30",
        "/stats",
        &format!("/audit therapist {}", s.anna),
        &format!("/booking {}", s.b1),
        "/client 601",
        "/cases",
    ];
    for c in commands {
        stranger.send_text_in(&group, c);
        let m = group.wait_bot_message().await;
        assert!(m.text().contains("administrators only"), "{c}: {}", m.text());
        assert!(m.document.is_none());
        for who in [&stranger, &therapist] {
            who.send_command(c);
            let m = who.wait_bot_message().await;
            if c == "/payouts" && who.id() == therapist.id() {
                // A therapist's /payouts is their own payouts and receipts (R-PAY-3), never
                // the admins' list.
                assert!(m.text().contains("Payouts and receipts"), "{c}: {}", m.text());
                assert!(!m.text().contains("Борис"), "{c}: {}", m.text());
                continue;
            }
            assert!(m.text().contains("administrators only"), "{c}: {}", m.text());
        }
    }
    // The real button pressed by a non-admin in the admin chat, and forged in private.
    let cb = stranger.press(&cards[1], "Mark paid");
    assert!(format!("{:?}", app.api.wait_callback_answer(&cb).await).contains("administrators only"));
    let refusal = stranger.last_bot_message().unwrap();
    for who in [&stranger, &therapist] {
        for data in [
            format!("a:pp:{}", s.anna),
            format!("a:rf:{}", s.b1),
            format!("a:rq:{}", s.b1),
            format!("a:ac:{}", s.b1),
            "a:fa:1".to_owned(),
            "a:fr:1".to_owned(),
        ] {
            let a = app.forged_press(who, refusal.message_id, &data).await;
            assert!(format!("{a:?}").contains("administrators only"), "{data}: {a:?}");
        }
    }
    // Nothing changed: no question asked, nothing paid.
    group.assert_no_new_bot_message();
    assert_eq!(Payouts(&app.db.db).unpaid_of(s.anna).await.unwrap(), vec![s.b1, s.b2]);
    app.finish().await;
}

/// A client (4002, started) with a booking of Irina (4001, started) `hours` ahead at 3000 RUB,
/// paid through the sandbox page (held), captured when `capture`. Returns (booking, payment).
pub(crate) async fn paid_booking(app: &TestApp, hours: i64, capture: bool) -> (i64, i64) {
    use proego::domain::BookingState;
    use proego::store::bookings::Bookings;
    use proego::store::slots::SlotKind;
    let db = &app.db.db;
    let now = app.clock_now();
    for (id, name) in [(4001, "Ирина"), (4002, "Анна")] {
        let u = app.api.user(id, name, "ru");
        u.send_command("/help");
        u.wait_bot_message().await;
    }
    let tid = seed::active_therapist(db, 4001, "Ирина", None, now).await;
    let slot = seed::slot(db, tid, SlotKind::Individual, now + TimeDelta::hours(hours), 50, 1, now).await;
    let booking = seed::booking(db, slot, 4002, 3000, false, now).await;
    let service = app.payments();
    let record = service.start_for_booking(booking, "Сессия").await.unwrap();
    let id = record
        .confirmation_url
        .clone()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    reqwest::Client::new()
        .post(app.http_url(&format!("/pay/{id}")))
        .form(&[("action", "authorize")])
        .send()
        .await
        .unwrap();
    for _ in 0..200 {
        if Bookings(db).get(booking).await.unwrap().unwrap().state == BookingState::Confirmed {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    if capture {
        let held = proego::store::payments::Payments(db)
            .get(record.id)
            .await
            .unwrap()
            .unwrap();
        service.capture(&held).await.unwrap();
    }
    (booking, record.id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn refund_part_then_full_and_too_much_refused() {
    use proego::domain::PaymentState;
    use proego::store::payments::Payments;
    let app = TestApp::start_without_session_jobs().await;
    let admin = app.api.user(ADMIN_ID, "Maria", "en");
    let (booking, payment) = paid_booking(&app, 48, true).await;
    let client = app.api.user(4002, "Анна", "ru");
    let therapist = app.api.user(4001, "Ирина", "ru");
    // The booking's notices so far (paid).
    client.wait_bot_message().await;
    therapist.wait_bot_message().await;

    admin.send_command("/booking");
    assert!(admin.wait_bot_message().await.text().contains("/booking 12"));
    admin.send_command("/client 4002");
    assert!(admin
        .wait_bot_message()
        .await
        .text()
        .contains(&format!("/booking {booking}")));
    admin.send_command(&format!("/booking {booking}"));
    let card = admin.wait_bot_message().await;
    for needle in [
        "Анна (id 4002)",
        "Ирина Терапевтова",
        "confirmed",
        "RUB\u{a0}3,000",
        "held → captured",
    ] {
        assert!(card.text().contains(needle), "{needle}: {}", card.text());
    }
    assert!(card.has_button("Refund in full") && card.has_button("Refund part"));
    assert!(card.has_button("Cancel on the platform's side"));

    admin.press(&card, "Refund part");
    assert!(admin.wait_bot_message().await.text().contains("At most RUB\u{a0}3,000"));
    admin.send_text("5000");
    assert!(admin
        .wait_bot_message()
        .await
        .text()
        .contains("more than is left to refund"));
    admin.send_text("lots");
    assert!(admin.wait_bot_message().await.text().contains("type the amount again"));
    admin.send_text("1000.50");
    // Issue 5: then the reason (too short first), which goes to the audit and to the client.
    assert!(admin
        .wait_bot_message()
        .await
        .text()
        .contains("why should RUB\u{a0}1,000.50 be refunded"));
    admin.send_text("ok");
    assert!(admin.wait_bot_message().await.text().contains("3 to 1000 characters"));
    admin.send_text("The video room did not open");
    let edited = admin.wait_edit(card.message_id).await;
    assert!(
        edited.text().contains("refunded RUB\u{a0}1,000.50"),
        "{}",
        edited.text()
    );
    assert!(edited.text().contains("Refunded so far: RUB\u{a0}1,000.50"));
    assert!(admin.wait_bot_message().await.text().contains("Refunded"));
    let told = client.wait_bot_message().await;
    assert!(told.text().contains("1\u{a0}000,50\u{a0}₽") && told.text().contains("возвращено"));
    assert!(
        told.text().contains("Причина: The video room did not open"),
        "{}",
        told.text()
    );
    let p = Payments(&app.db.db).get(payment).await.unwrap().unwrap();
    assert_eq!(
        (p.state, p.refunded.kopecks()),
        (PaymentState::PartiallyRefunded, 100_050)
    );

    // The rest, in full; then nothing is left.
    admin.press(&edited, "Refund in full");
    assert!(admin
        .wait_bot_message()
        .await
        .text()
        .contains("why should RUB\u{a0}1,999.50 of booking"));
    admin.send_text("The rest, as agreed with the client");
    let full = admin.wait_edit(card.message_id).await;
    assert!(full.text().contains("refunded RUB\u{a0}1,999.50"), "{}", full.text());
    assert!(admin
        .wait_bot_message()
        .await
        .text()
        .contains("Refunded; the client has been told"));
    assert!(!full.has_button("Refund part"));
    assert!(client.wait_bot_message().await.text().contains("1\u{a0}999,50\u{a0}₽"));
    let p = Payments(&app.db.db).get(payment).await.unwrap().unwrap();
    assert_eq!((p.state, p.refunded.kopecks()), (PaymentState::Refunded, 300_000));
    let again = app
        .forged_press(&admin, card.message_id, &format!("a:rq:{booking}"))
        .await;
    assert!(format!("{again:?}").contains("nothing left to refund"), "{again:?}");
    admin.send_command(&format!("/audit booking {booking}"));
    let audit = admin.wait_bot_message().await;
    assert!(
        audit
            .text()
            .contains("refund_part (Maria) — RUB\u{a0}1,000.50 — The video room did not open")
            && audit
                .text()
                .contains("refund_full (Maria) — RUB\u{a0}1,999.50 — The rest, as agreed"),
        "{}",
        audit.text()
    );
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn admin_cancel_refunds_in_full_and_charges_nobody() {
    use proego::domain::{BookingState, PaymentState};
    use proego::store::bookings::Bookings;
    use proego::store::payments::Payments;
    let app = TestApp::start_without_session_jobs().await;
    let group = app.api.group(ADMIN_CHAT_ID, "proEgo admins");
    let admin = app.api.user(ADMIN_ID, "Maria", "en");
    let admin2 = app.api.user(SECOND_ADMIN_ID, "Oleg", "en");
    admin.join(&group);
    admin2.join(&group);
    // Late (under 24 hours): an admin cancellation still refunds in full.
    let (booking, payment) = paid_booking(&app, 5, false).await;
    let client = app.api.user(4002, "Анна", "ru");
    let therapist = app.api.user(4001, "Ирина", "ru");
    client.wait_bot_message().await;
    therapist.wait_bot_message().await;

    admin.send_text_in(&group, &format!("/booking {booking}"));
    let card = group.wait_bot_message().await;
    assert!(card.text().contains("pending → held"), "{}", card.text());
    // Issue 5: the first admin is asked for the reason; the second, pressing meanwhile, is
    // told the question is theirs and changes nothing.
    admin.press(&card, "Cancel on the platform's side");
    assert!(group
        .wait_bot_message()
        .await
        .text()
        .contains("Maria, why should booking"));
    let cb2 = admin2.press(&card, "Cancel on the platform's side");
    let a2 = format!("{:?}", app.api.wait_callback_answer(&cb2).await);
    assert!(a2.contains("A question to Maria is already waiting"), "{a2}");
    // The other admin's words in the chat are not an answer to Maria's question.
    admin2.send_text_in(&group, "I think it is a mistake");
    admin.send_text_in(&group, "The therapist is ill");
    let edited = group.wait_edit(card.message_id).await;
    assert!(
        edited.text().contains("Cancelled on the platform's side by"),
        "{}",
        edited.text()
    );
    assert!(edited.text().contains("cancelled_by_admin"));
    assert!(
        edited.text().contains("Reason: The therapist is ill"),
        "{}",
        edited.text()
    );
    assert!(edited.buttons().is_empty(), "{:?}", edited.buttons());
    assert!(group
        .wait_bot_message()
        .await
        .text()
        .contains("Cancelled; the client gets"));
    let told = client.wait_bot_message().await;
    assert!(told.text().contains("отменена платформой"));
    // R-PAY-1: the hold is released, never taken: the notice says so.
    assert!(
        told.text().contains("Блокировка суммы на вашей карте снята") && told.text().contains("The therapist is ill"),
        "{}",
        told.text()
    );
    // The second admin, pressing again afterwards, is told it is already cancelled.
    let cb2 = admin2.press_forged(&edited, &format!("a:ac:{booking}"));
    let a2 = format!("{:?}", app.api.wait_callback_answer(&cb2).await);
    assert!(a2.contains("already cancelled"), "{a2}");
    admin.send_command(&format!("/audit booking {booking}"));
    assert!(admin
        .wait_bot_message()
        .await
        .text()
        .contains("admin_cancel (Maria) — The therapist is ill"));
    assert!(therapist
        .wait_bot_message()
        .await
        .text()
        .contains("отменена администраторами"));
    assert_eq!(
        Bookings(&app.db.db).get(booking).await.unwrap().unwrap().state,
        BookingState::CancelledByAdmin
    );
    let p = Payments(&app.db.db).get(payment).await.unwrap().unwrap();
    assert_eq!((p.state, p.refunded.kopecks()), (PaymentState::Released, 0));
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn force_majeure_cases_accepted_and_refused() {
    use proego::i18n::Lang;
    use proego::store::calendar::TherapistBookings;
    use proego::store::slots::SlotKind;
    let app = TestApp::start_without_session_jobs().await;
    let group = app.api.group(ADMIN_CHAT_ID, "proEgo admins");
    let admin = app.api.user(ADMIN_ID, "Maria", "en");
    let admin2 = app.api.user(SECOND_ADMIN_ID, "Oleg", "en");
    let stranger = app.api.user(777, "Peter", "en");
    admin.join(&group);
    admin2.join(&group);
    stranger.join(&group);
    let db = &app.db.db;
    let now = app.clock_now();
    let tid = seed::active_therapist(db, 4001, "Ирина", None, now).await;
    let mut bookings = Vec::new();
    for (client, name, hour) in [(4002, "Anna", 8), (4003, "Vera", 6)] {
        seed::client(db, client, name, Lang::En, None, now).await;
        let at = Utc.with_ymd_and_hms(2026, 11, 28, hour, 0, 0).unwrap();
        let slot = seed::slot(db, tid, SlotKind::Individual, at, 60, 1, now).await;
        bookings.push(seed::booking(db, slot, client, 3000, true, now).await);
        let u = app.api.user(client, name, "en");
        u.send_command("/start");
        u.wait_bot_messages(2).await;
    }
    // The therapist cancels both late and sends a document for each (R-CAN-3).
    let t = app.api.user(4001, "Ирина", "ru");
    t.send_command("/bookings");
    let list = t.wait_bot_message().await;
    let mut cards = Vec::new();
    for label in ["Отменить: Vera, 28.11 09:00", "Отменить: Anna, 28.11 11:00"] {
        let list = if cards.is_empty() {
            list.clone()
        } else {
            t.press(&list, "К записям");
            t.wait_edit(list.message_id).await
        };
        t.press(&list, label);
        let confirm = t.wait_edit(list.message_id).await;
        t.press(&confirm, "Да, отменить");
        let done = t.wait_edit(list.message_id).await;
        t.press(&done, "форс-мажоре");
        t.wait_bot_message().await;
        t.send_document("справка.pdf", "application/pdf", 50_000);
        assert!(t.wait_bot_message().await.text().contains("Документ получен"));
        let card = group.wait_bot_message().await;
        let doc = group.wait_bot_message().await;
        assert!(doc.document.is_some(), "the document follows the card");
        assert!(card.text().contains("Ирина Терапевтова"), "{}", card.text());
        assert!(card.has_button("Принять") && card.has_button("Отклонить"));
        cards.push(card);
    }
    assert!(cards[0].text().contains("Vera") && cards[0].text().contains("09:00, 28.11.2026 (Europe/Moscow)"));
    // /cases lists both.
    admin.send_command("/cases");
    let listed = admin.wait_bot_messages(4).await;
    assert!(listed[0].has_button("Accept") && listed[2].text().contains("Anna"));

    // A non-admin pressing changes nothing.
    let cb = stranger.press(&cards[0], "Принять");
    assert!(format!("{:?}", app.api.wait_callback_answer(&cb).await).contains("administrators only"));
    // Two admins accept at once: one wins.
    let cb1 = admin.press(&cards[0], "Принять");
    let cb2 = admin2.press(&cards[0], "Отклонить");
    let a1 = format!("{:?}", app.api.wait_callback_answer(&cb1).await);
    let a2 = format!("{:?}", app.api.wait_callback_answer(&cb2).await);
    assert_eq!(
        [&a1, &a2].iter().filter(|a| a.contains("Decided")).count(),
        1,
        "{a1} / {a2}"
    );
    assert!(
        a1.contains("Already decided by") || a2.contains("Already decided by"),
        "{a1} / {a2}"
    );
    let edited = group.wait_edit(cards[0].message_id).await;
    assert!(edited.buttons().is_empty());
    let accepted = edited.text().contains("Accepted by Maria");
    assert!(
        accepted || edited.text().contains("Refused by Oleg"),
        "{}",
        edited.text()
    );
    let tb = TherapistBookings(db);
    let (vera, anna) = (bookings[1], bookings[0]);
    assert_eq!(tb.cancellation(vera).await.unwrap().unwrap().2, !accepted);
    let told = t.wait_bot_message().await;
    assert!(
        told.text().contains(if accepted { "принят" } else { "не принят" }),
        "{}",
        told.text()
    );

    // The other case refused: the free session stays owed.
    admin.press(&cards[1], "Отклонить");
    let edited = group.wait_edit(cards[1].message_id).await;
    assert!(edited.text().contains("Refused by Maria"), "{}", edited.text());
    assert!(t.wait_bot_message().await.text().contains("не принят"));
    assert!(tb.cancellation(anna).await.unwrap().unwrap().2);
    assert_eq!(tb.force_majeure(anna).await.unwrap().unwrap().0, "rejected");
    admin.send_text_in(&group, "/cases");
    assert!(group.wait_bot_message().await.text().contains("No force-majeure cases"));
    admin.send_text_in(&group, &format!("/audit booking {anna}"));
    assert!(group
        .wait_bot_message()
        .await
        .text()
        .contains("force_majeure_refuse (Maria)"));
    app.finish().await;
}
