//! The whole path invite -> onboarding -> moderation -> active profile through the fake Bot API
//! (R-ONB-1..10, R-PRICE-1), with every refusal on the way. Runs on PROEGO_TEST_BACKEND.

use chrono::TimeDelta;
use proego::crypto::DataKey;
use proego::domain::PriceKind;
use proego::store::profiles::Profiles;
use proego::store::slots::{NewSlot, SlotKind, Slots};
use proego::store::therapists::{TherapistStatus, Therapists};
use serde_json::json;

use crate::support::app::{TestApp, ADMIN_CHAT_ID, ADMIN_ID, SECOND_ADMIN_ID, TEST_DATA_KEY};
use crate::support::fake_bot_api::{ChatMessage, TestUser};

/// The admin invites a therapist privately and returns the code of the link.
async fn invite(admin: &TestUser, name: &str, email: &str) -> String {
    admin.send_command("/invite");
    assert!(admin.wait_bot_message().await.text().contains("full name"));
    admin.send_text(name);
    assert!(admin.wait_bot_message().await.text().contains("e-mail"));
    admin.send_text(email);
    let m = admin.wait_bot_message().await;
    let text = m.text();
    let at = text.find("?start=inv_").unwrap_or_else(|| panic!("no link in {text}")) + "?start=".len();
    let payload: String = text[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    assert!(payload.len() <= 64);
    payload.trim_start_matches("inv_").to_owned()
}

/// Presses a checklist step and returns the edited message (the step's prompt).
async fn step(t: &TestUser, msg: &ChatMessage, button: &str) -> ChatMessage {
    t.press(msg, button);
    t.wait_edit(msg.message_id).await
}

async fn text_step(t: &TestUser, checklist: &ChatMessage, button: &str, answer: &str, saved: &str) -> ChatMessage {
    step(t, checklist, button).await;
    t.send_text(answer);
    let m = t.wait_bot_message().await;
    assert!(m.text().contains(saved), "expected {saved:?}: {}", m.text());
    m
}

/// Fills in every step but the documents; returns the last checklist.
async fn fill_profile(app: &TestApp, t: &TestUser, mut c: ChatMessage) -> ChatMessage {
    let first = c.message_id;
    c = text_step(t, &c, "Name", "Anna Petrova-Smith", "Name saved").await;
    // One checklist: the previous one (which became the prompt) is deleted.
    let chat = t.id();
    app.api
        .wait_until("the previous checklist deleted", |a| {
            a.chat(chat).message(first).is_some_and(|m| m.deleted)
        })
        .await;
    step(t, &c, "Photo").await;
    t.send_text("here it is");
    assert!(t.wait_bot_message().await.text().contains("waiting for a photo"));
    t.send_photo(800, 800, 90_000);
    c = t.wait_bot_message().await;
    assert!(c.text().contains("Photo saved"));
    step(t, &c, "About me").await;
    t.send_text("too short");
    assert!(t.wait_bot_message().await.text().contains("20 to 1000"));
    t.send_text("I work with anxiety and relationships, gently and in depth.");
    c = t.wait_bot_message().await;
    c = text_step(
        t,
        &c,
        "Education",
        "Moscow State University, clinical psychology",
        "Education saved",
    )
    .await;
    step(t, &c, "Experience").await;
    t.send_text("seventy-one");
    assert!(t.wait_bot_message().await.text().contains("from 0 to 70"));
    t.send_text("71");
    assert!(t.wait_bot_message().await.text().contains("from 0 to 70"));
    t.send_text("12");
    c = t.wait_bot_message().await;
    // Languages: toggles edit the same message.
    let langs = step(t, &c, "Languages").await;
    t.press(&langs, "English");
    let langs = t.wait_edit(c.message_id).await;
    assert!(langs.has_button("✅ English"));
    t.press(&langs, "Russian");
    let langs = t.wait_edit(c.message_id).await;
    t.press(&langs, "Back to profile");
    c = t.wait_edit(c.message_id).await;
    assert!(c.text().contains("✅ Languages"), "{}", c.text());
    // Time zone by button, in place.
    let tz = step(t, &c, "Time zone").await;
    t.press(&tz, "Novosibirsk");
    c = t.wait_edit(c.message_id).await;
    assert!(c.text().contains("Asia/Novosibirsk"), "{}", c.text());
    // Video room: https only.
    step(t, &c, "Video room link").await;
    t.send_text("http://zoom.us/j/1");
    assert!(t.wait_bot_message().await.text().contains("https://"));
    t.send_text("zoom.us/j/1");
    assert!(t.wait_bot_message().await.text().contains("not an https"));
    t.send_text("https://zoom.us/j/123456");
    c = t.wait_bot_message().await;
    // Specialisation: pages of toggles, each answered by an edit.
    let mut page = step(t, &c, "Specialisation").await;
    for (item, next) in [
        ("Anxiety", true),
        ("CBT", true),
        ("Adults", true),
        ("Individual sessions", false),
    ] {
        t.press(&page, item);
        page = t.wait_edit(c.message_id).await;
        assert!(page.has_button(&format!("✅ {item}")), "{}", page.summary());
        if next {
            t.press(&page, "Next →");
            page = t.wait_edit(c.message_id).await;
        }
    }
    t.press(&page, "Back to profile");
    c = t.wait_edit(c.message_id).await;
    assert!(c.text().contains("✅ Approaches and methods"), "{}", c.text());
    // Prices (R-PRICE-1): below the floor refused with the floor named.
    let prices = step(t, &c, "Prices").await;
    t.press(&prices, "Individual");
    t.wait_edit(c.message_id).await;
    t.send_text("2000");
    let m = t.wait_bot_message().await;
    assert!(m.text().contains("2,500"), "the floor is named: {}", m.text());
    t.send_text("lots");
    assert!(t.wait_bot_message().await.text().contains("could not read"));
    t.send_text("3 500");
    c = t.wait_bot_message().await;
    assert!(c.text().contains("Price saved"), "{}", c.text());
    // Materials (R-ONB-6): PDF up to 20 MB or photos.
    let mats = step(t, &c, "Materials").await;
    t.press(&mats, "Add material");
    t.wait_edit(c.message_id).await;
    t.send_document("cv.docx", "application/msword", 10_000);
    assert!(t.wait_bot_message().await.text().contains("not a PDF"));
    t.send_document("big.pdf", "application/pdf", 25 * 1024 * 1024);
    assert!(t.wait_bot_message().await.text().contains("larger than 20 MB"));
    t.send_document("about.pdf", "application/pdf", 300_000);
    assert!(t.wait_bot_message().await.text().contains("title"));
    t.send_text("About my practice");
    c = t.wait_bot_message().await;
    // Payout details (R-ONB-7): Luhn, INN checksum, the number deleted, shown masked.
    let payout = step(t, &c, "Payout details").await;
    t.press(&payout, "Bank card");
    t.wait_edit(c.message_id).await;
    let bad = t.send_text("4111 1111 1111 1112");
    let msgs = t.wait_bot_messages(2).await;
    assert!(msgs[0].text().contains("deleted your message"));
    assert!(msgs[1].text().contains("did not pass"));
    assert!(t.chat().message(bad.message_id).unwrap().deleted);
    let good = t.send_text("4111 1111 1111 1111");
    let msgs = t.wait_bot_messages(2).await;
    assert!(msgs[1].text().contains("Card accepted"));
    assert!(t.chat().message(good.message_id).unwrap().deleted);
    t.send_text("500100732258");
    assert!(t.wait_bot_message().await.text().contains("checksum"));
    t.send_text("500100732259");
    c = t.wait_bot_message().await;
    assert!(c.text().contains("card •••• 1111, INN ••••2259"), "{}", c.text());
    // Encrypted at rest (R-ONB-7): the stored value opens only with the data key.
    let id = Therapists(&app.db.db).by_telegram(t.id()).await.unwrap().unwrap().id;
    let sealed = Profiles(&app.db.db).payout_sealed(id).await.unwrap().unwrap();
    assert!(!sealed.contains("4111"));
    let key = DataKey::from_base64(TEST_DATA_KEY).unwrap();
    let plain = String::from_utf8(key.open(&sealed).unwrap()).unwrap();
    assert!(
        plain.contains("4111111111111111") && plain.contains("500100732259"),
        "{plain}"
    );
    // Tax status (R-ONB-8) and the certificate.
    let tax = step(t, &c, "Tax status").await;
    t.press(&tax, "Self-employed");
    t.wait_edit(c.message_id).await;
    t.send_text("done");
    assert!(t
        .wait_bot_message()
        .await
        .text()
        .contains("waiting for a PDF document or a photo"));
    t.send_document("npd.pdf", "application/pdf", 200_000);
    c = t.wait_bot_message().await;
    assert!(c.text().contains("Tax status and certificate saved"), "{}", c.text());
    c
}

/// Accepts the three documents on the checklist message; returns the last edit.
async fn accept_documents(t: &TestUser, c: &ChatMessage) -> ChatMessage {
    let mut m = step(t, c, "Documents").await;
    for b in ["I accept the offer", "I accept the policy", "I accept the rules"] {
        t.press(&m, b);
        m = t.wait_edit(c.message_id).await;
    }
    m
}

#[tokio::test]
async fn invite_onboarding_reject_resubmit_approve_end_to_end() {
    let app = TestApp::start().await;
    let group = app.api.group(ADMIN_CHAT_ID, "proEgo admins");
    let admin = app.api.user(ADMIN_ID, "Maria", "en");
    let admin2 = app.api.user(SECOND_ADMIN_ID, "Oleg", "en");
    let stranger = app.api.user(3001, "Peter", "en");
    admin.join(&group);
    admin2.join(&group);
    stranger.join(&group);

    // R-ONB-1: the e-mail is validated, the link is made.
    admin.send_command("/invite");
    admin.wait_bot_message().await;
    admin.send_text("Anna Petrova");
    admin.wait_bot_message().await;
    admin.send_text("anna at example");
    assert!(admin
        .wait_bot_message()
        .await
        .text()
        .contains("does not look like an e-mail"));
    admin.send_text("anna@example.org");
    let link = admin.wait_bot_message().await;
    assert!(link.text().contains("https://t.me/"), "{}", link.text());
    let text = link.text().to_owned();
    let code = text
        .split("start=inv_")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();

    let t = app.api.user(2001, "Anna", "en");
    t.send_command(&format!("/start inv_{code}"));
    let c = t.wait_bot_message().await;
    assert!(c.text().contains("Welcome, Anna Petrova"), "{}", c.text());
    assert!(c.text().contains("⬜ Photo"));
    let therapist = Therapists(&app.db.db).by_telegram(2001).await.unwrap().unwrap();
    assert_eq!(therapist.status, TherapistStatus::Onboarding);
    // A second tap: the link is used now.
    let other = app.api.user(2002, "Eve", "en");
    other.send_command(&format!("/start inv_{code}"));
    assert!(other.wait_bot_message().await.text().contains("already been used"));
    assert!(Therapists(&app.db.db).by_telegram(2002).await.unwrap().is_none());

    let c = fill_profile(&app, &t, c).await;
    // The calendar is missing: accepting the last document says exactly that.
    let m = accept_documents(&t, &c).await;
    assert!(m.text().contains("cannot go to moderation yet"), "{}", m.text());
    assert!(m.text().contains("Open times in the calendar"), "{}", m.text());
    // Pressing "Send to moderation" again: the same answer in an alert, nothing sent.
    let cb = t.press(&m, "Send to moderation");
    let a = app.api.wait_callback_answer(&cb).await;
    assert!(format!("{a:?}").contains("Open times in the calendar"), "{a:?}");
    assert_eq!(
        Therapists(&app.db.db).get(therapist.id).await.unwrap().unwrap().status,
        TherapistStatus::Onboarding
    );
    let start = app.clock_now() + TimeDelta::days(3);
    Slots(&app.db.db)
        .create(
            &NewSlot {
                therapist_id: therapist.id,
                kind: SlotKind::Individual,
                starts_at: start,
                ends_at: start + TimeDelta::minutes(50),
                capacity: 1,
            },
            app.clock_now(),
        )
        .await
        .unwrap();
    t.press(&m, "Send to moderation");
    let m = t.wait_edit(c.message_id).await;
    assert!(m.text().contains("sent to moderation"), "{}", m.text());
    let card = group.wait_bot_message().await;
    assert!(card.text().contains("Anna Petrova-Smith"), "{}", card.text());
    assert!(card.text().contains("card •••• 1111"));
    assert!(!card.text().contains("4111 1111"));
    assert!(
        card.has_button("Одобрить") && card.has_button("Отклонить"),
        "the admin chat speaks DEFAULT_LOCALE"
    );
    let files = [
        group.wait_bot_message().await,
        group.wait_bot_message().await,
        group.wait_bot_message().await,
    ];
    assert!(files[0].photo.is_some());
    assert!(files[1].document.is_some() && files[1].text().contains("About my practice"));
    assert!(files[2].document.is_some() && files[2].text().contains("Справка ФНС"));

    // While pending, /start says so.
    t.send_command("/start");
    assert!(t.wait_bot_message().await.text().contains("in moderation"));

    // A non-admin in the admin chat presses Reject: nothing changes.
    let cb = stranger.press(&card, "Отклонить");
    let a = app.api.wait_callback_answer(&cb).await;
    assert!(format!("{a:?}").contains("administrators only"), "{a:?}");
    // A forged Approve in the stranger's private chat: nothing changes.
    stranger.send_command("/queue");
    let refusal = stranger.wait_bot_message().await;
    assert!(refusal.text().contains("administrators only"));
    app.api.push_raw_update(json!({"callback_query": {
        "id": "forged-approve", "from": stranger.json(), "chat_instance": "2",
        "data": format!("a:ap:{}", therapist.id),
        "message": {
            "message_id": refusal.message_id,
            "date": 1_700_000_000,
            "chat": {"id": stranger.id(), "type": "private", "first_name": "Peter"},
            "from": app.api.bot_user(),
            "text": refusal.text(),
        }
    }}));
    let a = app.api.wait_callback_answer("forged-approve").await;
    assert!(format!("{a:?}").contains("administrators only"), "{a:?}");
    assert_eq!(
        Therapists(&app.db.db).get(therapist.id).await.unwrap().unwrap().status,
        TherapistStatus::PendingModeration
    );
    // Reject with a reason.
    admin.press(&card, "Отклонить");
    let ask = group.wait_bot_message().await;
    assert!(ask.text().contains("why the profile"), "{}", ask.text());
    stranger.send_text_in(&group, "I think it is fine");
    admin.send_text_in(&group, "Please use a clearer photo");
    let card_edit = admin.wait_edit_in(ADMIN_CHAT_ID, card.message_id).await;
    assert!(card_edit.text().contains("Отклонено: Maria"), "{}", card_edit.text());
    assert!(card_edit.buttons().is_empty());
    assert!(group.wait_bot_message().await.text().contains("got the reason"));
    let told = t.wait_bot_message().await;
    assert!(told.text().contains("Please use a clearer photo"), "{}", told.text());

    // Fix and resubmit.
    t.send_command("/start");
    let c = t.wait_bot_message().await;
    assert!(c.text().contains("Please use a clearer photo"), "{}", c.text());
    step(&t, &c, "Photo").await;
    t.send_photo(1200, 1200, 150_000);
    let c = t.wait_bot_message().await;
    t.press(&c, "Send to moderation");
    assert!(t.wait_edit(c.message_id).await.text().contains("sent to moderation"));
    let card = group.wait_bot_message().await;
    for _ in 0..3 {
        group.wait_bot_message().await;
    }
    admin.send_text_in(&group, "/queue");
    assert!(group.wait_bot_message().await.text().contains("Anna Petrova-Smith"));

    // Two admins press Approve at once: one wins, the other is told who did it.
    let cb1 = admin.press(&card, "Одобрить");
    let cb2 = admin2.press(&card, "Одобрить");
    let a1 = format!("{:?}", app.api.wait_callback_answer(&cb1).await);
    let a2 = format!("{:?}", app.api.wait_callback_answer(&cb2).await);
    let winners = [&a1, &a2].iter().filter(|a| a.contains("Profile approved")).count();
    assert_eq!(winners, 1, "{a1} / {a2}");
    assert!(
        a1.contains("Already approved by") || a2.contains("Already approved by"),
        "{a1} / {a2}"
    );
    let edited = group.wait_edit(card.message_id).await;
    assert!(edited.text().contains("Одобрено:"), "{}", edited.text());
    assert!(t.wait_bot_message().await.text().contains("approved"));
    assert_eq!(
        Therapists(&app.db.db).get(therapist.id).await.unwrap().unwrap().status,
        TherapistStatus::Active
    );
    let prices = Profiles(&app.db.db).prices(therapist.id).await.unwrap();
    let (_, individual) = prices.iter().find(|(k, _)| *k == PriceKind::Individual).unwrap();
    assert!(
        individual.activated_at.is_some(),
        "R-PRICE-2: the first activation is recorded"
    );
    assert_eq!(individual.amount.kopecks(), 350_000);

    // A therapist opening another invite gets a clear answer.
    t.send_command("/start inv_AAAAAAAAAAAAAAAAAAAAAA");
    assert!(t.wait_bot_message().await.text().contains("already linked"));
    t.wait_bot_message().await;

    // Suspend and reinstate, with reasons (R-ONB-10).
    assert!(edited.has_button("Приостановить"));
    admin2.press(&edited, "Приостановить");
    assert!(group.wait_bot_message().await.text().contains("why the account"));
    admin.send_text_in(&group, "not me");
    admin2.send_text_in(&group, "Complaint under review");
    let suspended = group.wait_edit(card.message_id).await;
    assert!(
        suspended.text().contains("Приостановлено: Oleg"),
        "{}",
        suspended.text()
    );
    assert!(suspended.has_button("Восстановить"));
    assert!(group.wait_bot_message().await.text().contains("suspended"));
    assert!(t.wait_bot_message().await.text().contains("Complaint under review"));
    assert_eq!(
        Therapists(&app.db.db).get(therapist.id).await.unwrap().unwrap().status,
        TherapistStatus::Suspended
    );
    t.send_command("/start");
    assert!(t.wait_bot_message().await.text().contains("suspended"));
    admin.press(&suspended, "Восстановить");
    group.wait_bot_message().await;
    admin.send_text_in(&group, "Review closed");
    let reinstated = group.wait_edit(card.message_id).await;
    assert!(
        reinstated.text().contains("Восстановлено: Maria"),
        "{}",
        reinstated.text()
    );
    assert!(t.wait_bot_message().await.text().contains("active again"));
    assert_eq!(
        Therapists(&app.db.db).get(therapist.id).await.unwrap().unwrap().status,
        TherapistStatus::Active
    );
    app.finish().await;
}

#[tokio::test]
async fn invite_refusals_unknown_expired_revoked_and_non_admins() {
    let app = TestApp::start().await;
    let group = app.api.group(ADMIN_CHAT_ID, "proEgo admins");
    let admin = app.api.user(ADMIN_ID, "Maria", "en");
    let stranger = app.api.user(3002, "Peter", "en");
    admin.join(&group);
    stranger.join(&group);

    // Non-admins typing /invite: the short refusal, nothing created.
    stranger.send_command("/invite");
    let refusal = stranger.wait_bot_message().await;
    assert!(refusal.text().contains("administrators only"));
    stranger.send_text_in(&group, "/invite");
    assert!(group.wait_bot_message().await.text().contains("administrators only"));
    // A forged Approve in private changes nothing.
    app.api.push_raw_update(json!({"callback_query": {
        "id": "forged1", "from": stranger.json(), "chat_instance": "1", "data": "a:ap:1",
        "message": {
            "message_id": refusal.message_id,
            "date": 1_700_000_000,
            "chat": {"id": stranger.id(), "type": "private", "first_name": "Peter"},
            "from": app.api.bot_user(),
            "text": refusal.text(),
        }
    }}));
    let a = app.api.wait_callback_answer("forged1").await;
    assert!(format!("{a:?}").contains("administrators only"), "{a:?}");

    admin.send_command("/help");
    let help = admin.wait_bot_message().await;
    assert!(
        help.text().contains("/invite") && help.text().contains("/queue"),
        "{}",
        help.text()
    );

    let t = app.api.user(2101, "Boris", "en");
    t.send_command("/start inv_AAAAAAAAAAAAAAAAAAAAAA");
    assert!(t.wait_bot_message().await.text().contains("no such invite"));

    let expired = invite(&admin, "Boris Ivanov", "boris@example.org").await;
    app.clock.advance(TimeDelta::days(8));
    t.send_command(&format!("/start inv_{expired}"));
    assert!(t.wait_bot_message().await.text().contains("expired"));

    // The admin chat dialogue: /invite there, answered by the admin who started it.
    admin.send_text_in(&group, "/invite");
    group.wait_bot_message().await;
    stranger.send_text_in(&group, "hello all");
    admin.send_text_in(&group, "Vera Sokolova");
    assert!(group.wait_bot_message().await.text().contains("Vera Sokolova"));
    admin.send_text_in(&group, "vera@example.org");
    let link = group.wait_bot_message().await;
    let code = link
        .text()
        .split("start=inv_")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();

    admin.send_command("/invites");
    let list = admin.wait_bot_message().await;
    assert!(list.text().contains("Vera Sokolova") && list.text().contains("vera@example.org"));
    assert!(!list.text().contains("Boris"), "expired invites are not pending");
    admin.press(&list, "Revoke 1");
    let edited = admin.wait_edit(list.message_id).await;
    assert!(edited.text().contains("revoked"), "{}", edited.text());
    t.send_command(&format!("/start inv_{code}"));
    assert!(t.wait_bot_message().await.text().contains("revoked"));
    assert!(Therapists(&app.db.db).by_telegram(2101).await.unwrap().is_none());
    app.finish().await;
}
