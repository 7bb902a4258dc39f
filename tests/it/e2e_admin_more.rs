//! End to end through the fake Bot API: the reasons asked before refunds and platform
//! cancellations (issue 5; a held payment's release says so, R-PAY-1), with /cancel, two
//! admins and non-admins; and the role guard on the client's buttons and commands (issue 6).

use chrono::TimeDelta;
use proego::domain::{BookingState, Money, PaymentState, PriceKind, PriceState};
use proego::store::bookings::Bookings;
use proego::store::payments::Payments;
use proego::store::profiles::Profiles;
use proego::store::slots::SlotKind;

use crate::e2e_admin::paid_booking;
use crate::support::app::{TestApp, ADMIN_CHAT_ID, ADMIN_ID, SECOND_ADMIN_ID};
use crate::support::seed;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn releasing_a_hold_asks_a_reason_and_tells_the_client_the_money_was_never_taken() {
    let app = TestApp::start_without_session_jobs().await;
    let admin = app.api.user(ADMIN_ID, "Maria", "en");
    let stranger = app.api.user(777, "Peter", "en");
    let (booking, payment) = paid_booking(&app, 48, false).await;
    let client = app.api.user(4002, "Анна", "ru");
    let therapist = app.api.user(4001, "Ирина", "ru");
    client.wait_bot_message().await;
    therapist.wait_bot_message().await;
    stranger.send_command("/help");
    stranger.wait_bot_message().await;

    admin.send_command(&format!("/booking {booking}"));
    let card = admin.wait_bot_message().await;
    assert!(card.has_button("Refund in full") && !card.has_button("Refund part"));

    // /cancel leaves without acting.
    admin.press(&card, "Refund in full");
    let ask = admin.wait_bot_message().await;
    assert!(
        ask.text().contains("Maria, why should RUB\u{a0}3,000 of booking"),
        "{}",
        ask.text()
    );
    admin.send_command("/cancel");
    assert!(admin.wait_bot_message().await.text().contains("we left that step"));
    admin.send_text("The client asked us to");
    assert!(!admin.wait_bot_message().await.text().contains("Hold released"));
    let p = Payments(&app.db.db).get(payment).await.unwrap().unwrap();
    assert_eq!(p.state, PaymentState::Held, "nothing moved");

    // A non-admin cannot reach the step: the button is refused, their text is no answer.
    let forged = app
        .forged_press(&stranger, card.message_id, &format!("a:rf:{booking}"))
        .await;
    assert!(format!("{forged:?}").contains("administrators only"), "{forged:?}");
    stranger.send_text("Refund it, please");
    assert!(!stranger.wait_bot_message().await.text().contains("Hold released"));

    admin.press(&card, "Refund in full");
    admin.wait_bot_message().await;
    admin.send_text("no");
    assert!(admin.wait_bot_message().await.text().contains("3 to 1000 characters"));
    admin.send_text("The client asked to <stop>");
    let edited = admin.wait_edit(card.message_id).await;
    assert!(
        edited.text().contains("Maria released the hold of RUB\u{a0}3,000")
            && edited.text().contains("Reason: The client asked to <stop>"),
        "{}",
        edited.text()
    );
    assert!(!edited.has_button("Refund in full"), "{:?}", edited.buttons());
    assert!(admin.wait_bot_message().await.text().contains("Hold released"));
    let told = client.wait_bot_message().await;
    assert!(
        told.text().contains("Блокировка 3\u{a0}000\u{a0}₽")
            && told.text().contains("деньги не списывались")
            && !told.text().contains("возвращено"),
        "{}",
        told.text()
    );
    assert!(told.html().contains("&lt;stop&gt;"), "escaped: {}", told.html());
    let p = Payments(&app.db.db).get(payment).await.unwrap().unwrap();
    assert_eq!((p.state, p.refunded), (PaymentState::Released, Money::ZERO));
    // Pressed again on the old card: nothing left, nothing asked.
    let again = app
        .forged_press(&admin, card.message_id, &format!("a:rf:{booking}"))
        .await;
    assert!(format!("{again:?}").contains("nothing left to refund"), "{again:?}");
    admin.send_command(&format!("/audit booking {booking}"));
    let audit = admin.wait_bot_message().await;
    assert!(
        audit
            .text()
            .contains("refund_full (Maria) — RUB\u{a0}3,000 — The client asked to <stop>"),
        "{}",
        audit.text()
    );
    admin.assert_no_new_bot_message();
    client.assert_no_new_bot_message();
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_admins_on_a_partial_refund_in_the_admin_chat() {
    let app = TestApp::start_without_session_jobs().await;
    let group = app.api.group(ADMIN_CHAT_ID, "proEgo admins");
    let admin = app.api.user(ADMIN_ID, "Maria", "en");
    let admin2 = app.api.user(SECOND_ADMIN_ID, "Oleg", "en");
    let stranger = app.api.user(777, "Peter", "en");
    for u in [&admin, &admin2, &stranger] {
        u.join(&group);
    }
    let (booking, payment) = paid_booking(&app, 48, true).await;
    let client = app.api.user(4002, "Анна", "ru");
    client.wait_bot_message().await;

    admin.send_text_in(&group, &format!("/booking {booking}"));
    let card = group.wait_bot_message().await;
    admin.press(&card, "Refund part");
    assert!(group.wait_bot_message().await.text().contains("At most RUB\u{a0}3,000"));
    // The other admin's presses meanwhile change nothing and say whose question waits.
    for b in ["Refund in full", "Refund part", "Cancel on the platform's side"] {
        let cb = admin2.press(&card, b);
        let a = format!("{:?}", app.api.wait_callback_answer(&cb).await);
        assert!(a.contains("A question to Maria is already waiting"), "{b}: {a}");
    }
    // Others' words are not answers to Maria's question.
    admin2.send_text_in(&group, "100");
    stranger.send_text_in(&group, "200");
    admin.send_text_in(&group, "500");
    let ask = group.wait_bot_message().await;
    assert!(
        ask.text().contains("Maria, why should RUB\u{a0}500 be refunded"),
        "{}",
        ask.text()
    );
    admin2.send_text_in(&group, "Because I say so");
    admin.send_text_in(&group, "Session started 20 minutes late");
    let edited = group.wait_edit(card.message_id).await;
    assert!(
        edited.text().contains("Maria refunded RUB\u{a0}500")
            && edited.text().contains("Reason: Session started 20 minutes late"),
        "{}",
        edited.text()
    );
    assert!(group
        .wait_bot_message()
        .await
        .text()
        .contains("Refunded; the client has been told"));
    group.assert_no_new_bot_message();
    let told = client.wait_bot_message().await;
    assert!(
        told.text().contains("возвращено 500\u{a0}₽ на карту")
            && told.text().contains("Причина: Session started 20 minutes late"),
        "{}",
        told.text()
    );
    let p = Payments(&app.db.db).get(payment).await.unwrap().unwrap();
    assert_eq!(
        (p.state, p.refunded),
        (PaymentState::PartiallyRefunded, Money::rubles(500))
    );
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_platform_cancellation_of_captured_money_says_it_is_refunded() {
    let app = TestApp::start_without_session_jobs().await;
    let admin = app.api.user(ADMIN_ID, "Maria", "en");
    let (booking, payment) = paid_booking(&app, 48, true).await;
    let client = app.api.user(4002, "Анна", "ru");
    client.wait_bot_message().await;
    admin.send_command(&format!("/booking {booking}"));
    let card = admin.wait_bot_message().await;
    admin.press(&card, "Cancel on the platform's side");
    assert!(admin.wait_bot_message().await.text().contains("why should booking"));
    admin.send_command("/cancel");
    admin.wait_bot_message().await;
    assert_eq!(
        Bookings(&app.db.db).get(booking).await.unwrap().unwrap().state,
        BookingState::Confirmed,
        "/cancel left it alone"
    );
    admin.press(&card, "Cancel on the platform's side");
    admin.wait_bot_message().await;
    admin.send_text("Therapist unavailable");
    let edited = admin.wait_edit(card.message_id).await;
    assert!(
        edited.text().contains("Reason: Therapist unavailable"),
        "{}",
        edited.text()
    );
    assert!(admin
        .wait_bot_message()
        .await
        .text()
        .contains("Cancelled; the client gets"));
    let told = client.wait_bot_message().await;
    assert!(
        told.text().contains("Оплата возвращается на вашу карту полностью")
            && told.text().contains("Причина: Therapist unavailable"),
        "{}",
        told.text()
    );
    let p = Payments(&app.db.db).get(payment).await.unwrap().unwrap();
    assert_eq!((p.state, p.refunded), (PaymentState::Refunded, Money::rubles(3000)));
    app.finish().await;
}

/// Issue 6: a therapist (or an admin) may open a colleague's card and the catalogue but never
/// books as a client: the booking buttons, real or forged, are refused and nothing is created;
/// the client's own commands say they are for clients. A client still books.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn therapists_and_admins_browse_but_do_not_book() {
    let app = TestApp::start_without_session_jobs().await;
    let db = &app.db.db;
    let now = app.clock_now();
    let colleague = app.api.user(4301, "Борис", "en");
    let admin = app.api.user(ADMIN_ID, "Maria", "en");
    let client = app.api.user(4302, "Анна", "en");
    for u in [&colleague, &admin, &client] {
        u.send_command("/help");
        u.wait_bot_message().await;
    }
    let tid = seed::active_therapist(db, 4300, "Ирина", None, now).await;
    seed::active_therapist(db, 4301, "Борис", None, now).await;
    Profiles(db)
        .set_price(
            tid,
            PriceKind::Individual,
            &PriceState {
                amount: Money::rubles(2500),
                activated_at: Some(now),
                last_change_at: None,
            },
            now,
        )
        .await
        .unwrap();
    let slot = seed::slot(db, tid, SlotKind::Individual, now + TimeDelta::hours(72), 50, 1, now).await;

    for who in [&colleague, &admin] {
        who.send_command(&format!("/start t_{tid}"));
        let card = who.wait_bot_message().await;
        assert!(card.text().contains("Ирина"), "{}", card.text());
        let cb = who.press(&card, "Book an individual session");
        let a = format!("{:?}", app.api.wait_callback_answer(&cb).await);
        assert!(a.contains("Only clients can book sessions"), "{a}");
        for data in [
            format!("cb:k:n{tid}i"),
            format!("cb:s:n{tid}i:{slot}"),
            format!("cb:y:n{tid}i:{slot}"),
            "cb:l".to_owned(),
            "i:my".to_owned(),
        ] {
            let a = app.forged_press(who, card.message_id, &data).await;
            assert!(format!("{a:?}").contains("Only clients"), "{data}: {a:?}");
        }
        who.assert_no_new_bot_message();
    }
    // The client's own commands, typed by a therapist: the same polite answer.
    for c in ["/mybookings", "/mydata", "/questionnaire", "/tests", "/recommend"] {
        colleague.send_command(c);
        let m = colleague.wait_bot_message().await;
        assert!(m.text().contains("This command is for clients"), "{c}: {}", m.text());
    }
    colleague.send_command("/therapists");
    let list = colleague.wait_bot_message().await;
    assert!(
        !list.text().contains("for clients"),
        "browsing is allowed: {}",
        list.text()
    );
    assert_eq!(
        Bookings(db).count_for_client(4301).await.unwrap() + Bookings(db).count_for_client(ADMIN_ID).await.unwrap(),
        0,
        "nobody but clients booked"
    );
    // A client pressing the same button gets the calendar.
    client.send_command(&format!("/start t_{tid}"));
    let card = client.wait_bot_message().await;
    client.press(&card, "Book an individual session");
    let picker = client.wait_edit(card.message_id).await;
    assert!(picker.text().contains("Europe/Moscow"), "{}", picker.text());
    app.finish().await;
}

/// R-CLI-7: /mydata says before the confirmation what deleting will do; with an upcoming
/// session only the health data goes; once nothing is upcoming the account is anonymised, and
/// the therapist's notice of a later booking names a "deleted client".
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn mydata_deletion_anonymises_once_nothing_is_upcoming() {
    let app = TestApp::start_without_session_jobs().await;
    let db = &app.db.db;
    let now = app.clock_now();
    let therapist = app.api.user(4401, "Ирина", "ru");
    let client = app.api.user(4402, "Снежана", "en");
    for u in [&therapist, &client] {
        u.send_command("/help");
        u.wait_bot_message().await;
    }
    let tid = seed::active_therapist(db, 4401, "Ирина", None, now).await;
    let slot = seed::slot(db, tid, SlotKind::Individual, now + TimeDelta::hours(72), 50, 1, now).await;
    let soon = seed::booking(db, slot, 4402, 2500, true, now).await;

    client.send_command("/mydata");
    let data = client.wait_bot_message().await;
    client.press(&data, "Delete my data");
    let confirm = client.wait_bot_message().await;
    assert!(
        confirm.text().contains("You have 1 upcoming session") && confirm.text().contains("/mybookings"),
        "{}",
        confirm.text()
    );
    client.press(&confirm, "Yes, delete");
    let done = client.wait_edit(confirm.message_id).await;
    assert!(done.text().contains("not anonymised yet"), "{}", done.text());
    assert_eq!(
        proego::store::users::Users(db)
            .get(4402)
            .await
            .unwrap()
            .unwrap()
            .first_name,
        "Снежана"
    );

    Bookings(db)
        .transition(soon, BookingState::Confirmed, BookingState::CancelledByClient, now)
        .await
        .unwrap();
    client.send_command("/mydata");
    let data = client.wait_bot_message().await;
    client.press(&data, "Delete my data");
    let confirm = client.wait_bot_message().await;
    assert!(
        confirm.text().contains("your account is anonymised") && confirm.text().contains("deleted client"),
        "{}",
        confirm.text()
    );
    client.press(&confirm, "Yes, delete");
    let done = client.wait_edit(confirm.message_id).await;
    assert!(done.text().contains("your account is anonymised"), "{}", done.text());
    client.send_command("/mydata");
    assert!(client
        .wait_bot_message()
        .await
        .text()
        .contains("Your account is anonymised"));
    assert_eq!(
        proego::store::users::Users(db)
            .get(4402)
            .await
            .unwrap()
            .unwrap()
            .first_name,
        ""
    );

    // The booking stays for accounting, with no name: the admins' card says "deleted client".
    let admin = app.api.user(ADMIN_ID, "Maria", "en");
    admin.send_command(&format!("/booking {soon}"));
    let card = admin.wait_bot_message().await;
    assert!(
        card.text().contains("deleted client (id 4402)") && card.text().contains("RUB\u{a0}2,500"),
        "{}",
        card.text()
    );
    // A later booking: the therapist's notice does not name the client.
    let slot = seed::slot(db, tid, SlotKind::Individual, now + TimeDelta::hours(96), 50, 1, now).await;
    let later = seed::booking(db, slot, 4402, 2500, false, now).await;
    let record = app.payments().start_for_booking(later, "Session").await.unwrap();
    let id = record.confirmation_url.unwrap().rsplit('/').next().unwrap().to_owned();
    reqwest::Client::new()
        .post(app.http_url(&format!("/pay/{id}")))
        .form(&[("action", "authorize")])
        .send()
        .await
        .unwrap();
    seed::wait_booking_state(db, later, BookingState::Confirmed).await;
    let told = therapist.wait_bot_message().await;
    assert!(told.text().contains("удалённый клиент"), "{}", told.text());
    assert!(!told.text().contains("Снежана"));
    app.finish().await;
}
