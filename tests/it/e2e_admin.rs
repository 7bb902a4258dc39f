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
    ];
    for c in commands {
        stranger.send_text_in(&group, c);
        let m = group.wait_bot_message().await;
        assert!(m.text().contains("administrators only"), "{c}: {}", m.text());
        assert!(m.document.is_none());
        for who in [&stranger, &therapist] {
            who.send_command(c);
            let m = who.wait_bot_message().await;
            assert!(m.text().contains("administrators only"), "{c}: {}", m.text());
        }
    }
    // The real button pressed by a non-admin in the admin chat, and forged in private.
    let cb = stranger.press(&cards[1], "Mark paid");
    assert!(format!("{:?}", app.api.wait_callback_answer(&cb).await).contains("administrators only"));
    let refusal = stranger.last_bot_message().unwrap();
    for who in [&stranger, &therapist] {
        let a = app
            .forged_press(who, refusal.message_id, &format!("a:pp:{}", s.anna))
            .await;
        assert!(format!("{a:?}").contains("administrators only"), "{a:?}");
    }
    // Nothing changed: no question asked, nothing paid.
    group.assert_no_new_bot_message();
    assert_eq!(Payouts(&app.db.db).unpaid_of(s.anna).await.unwrap(), vec![s.b1, s.b2]);
    app.finish().await;
}
