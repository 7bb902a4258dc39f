//! The jobs around a booking's time line (R-PAY-1..4, R-SES-1):
//! - unpaid bookings expire 15 minutes after booking: the slot is free, the payment link is
//!   cancelled, the client is told;
//! - held payments are captured when the free cancellation window closes, or earlier when the
//!   hold would lapse (the domain's `capture_plan`);
//! - reminders 24 hours and 1 hour before (a booking made later than that gets none);
//! - the video-room link 15 minutes before the start, to the client and the therapist;
//! - sessions that ended are completed and their payout recorded (due 24 hours after, 14 days
//!   for foreign payments).
//!
//! Every effect is a conditional update or a keyed insert, so a job that runs twice (after a
//! crash, or on two instances) does it once.

use chrono::{DateTime, Duration, Utc};

use crate::bot::html::escape;
use crate::bot::notices::kind_name;
use crate::bot::{timefmt, AppState};
use crate::domain::{
    capture_plan, commission_tier, payment_deadline, payout_due_at, split_payment, BookingEvent, PaymentOrigin,
    PaymentState,
};
use crate::store::bookings::{BookingDetails, Bookings};
use crate::store::due;
use crate::store::outbox::{Outbox, OutboxMessage};
use crate::store::pay_messages::{PayMessages, PayOwner};
use crate::store::payments::Payments;
use crate::store::StoreResult;
use crate::tr;

/// One pass of every session job; returns how many things it did.
pub async fn tick(app: &AppState, now: DateTime<Utc>) -> StoreResult<usize> {
    let mut done = 0;
    done += expire_unpaid(app, now).await?;
    done += expire_unpaid_packages(app, now).await?;
    done += capture_due(app, now).await?;
    done += remind(app, now).await?;
    done += send_links(app, now).await?;
    done += complete_ended(app, now).await?;
    done += super::receipts::remind_missing(app, now).await?;
    // R-CAN-2, R-CAN-3: owed money returns whose provider call failed.
    done += super::money_returns::retry_due(app, now).await?;
    Ok(done)
}

fn client_when(app: &AppState, b: &BookingDetails) -> String {
    timefmt::local_time(b.starts_at, b.client_tz.unwrap_or(app.default_tz), b.client_language)
}

/// R-PAY-1: bookings unpaid 15 minutes after they were made expire.
pub async fn expire_unpaid(app: &AppState, now: DateTime<Utc>) -> StoreResult<usize> {
    // payment_deadline(booked_at) <= now  <=>  booked_at <= now - wait.
    let cutoff = now - (payment_deadline(now, &app.settings) - now);
    let mut done = 0;
    for id in due::unpaid_booked_before(&app.db, cutoff).await? {
        let Some(b) = Bookings(&app.db).details(id).await? else {
            continue;
        };
        let Ok(t) = b.state.apply(BookingEvent::PaymentWindowElapsed) else {
            continue;
        };
        if !t.changed {
            continue;
        }
        let mut tx = app.db.begin().await?;
        if !Bookings::transition_in(&mut tx, id, t.from, t.to, now).await? {
            continue;
        }
        let lang = b.client_language;
        let text = tr!(
            app.locales,
            lang,
            "booking-expired",
            when = client_when(app, &b),
            kind = kind_name(&app.locales, lang, b.kind)
        );
        Outbox::enqueue_in(
            &mut tx,
            &OutboxMessage::new(b.client_id, text).dedupe(format!("expired:booking:{id}")),
            now,
        )
        .await?;
        // R-PAY-1: the pay-link message no longer offers to pay.
        let closed = tr!(
            app.locales,
            lang,
            "book-pay-closed-expired",
            when = client_when(app, &b),
            kind = kind_name(&app.locales, lang, b.kind)
        );
        PayMessages::close_in(&mut tx, id, &closed, now).await?;
        tx.commit().await?;
        done += 1;
        // The link stops working; a late payment would be returned anyway.
        for p in Payments(&app.db).for_booking(id).await? {
            if p.state == PaymentState::Pending {
                if let Err(e) = app.payments.cancel_pending(&p).await {
                    tracing::warn!(payment = p.id, error = %e, "could not cancel an expired booking's payment; it will be returned if paid");
                }
            }
        }
    }
    Ok(done)
}

/// R-PAY-1: packages unpaid 15 minutes after they were bought expire (the same window as a
/// booking's): the payment link is cancelled and the client told. A package whose money is
/// held but not captured yet (the immediate capture failed) gets its capture retried instead;
/// money that still arrives later goes back (the payment service returns it).
pub async fn expire_unpaid_packages(app: &AppState, now: DateTime<Utc>) -> StoreResult<usize> {
    use crate::store::packages::{PackageState, Packages};
    let cutoff = now - (payment_deadline(now, &app.settings) - now);
    let mut done = 0;
    for id in Packages(&app.db).awaiting_created_before(cutoff).await? {
        let payments = Payments(&app.db).for_package(id).await?;
        if let Some(held) = payments.iter().find(|p| p.state == PaymentState::Held) {
            match app.payments.capture(held).await {
                Ok(_) => done += 1,
                Err(e) => {
                    tracing::error!(payment = held.id, error = %e, "package capture failed; retried on the next tick")
                }
            }
            continue;
        }
        let Some(k) = Packages(&app.db).get(id).await? else {
            continue;
        };
        let mut tx = app.db.begin().await?;
        if !Packages::transition_in(&mut tx, id, PackageState::AwaitingPayment, PackageState::Expired, now).await? {
            continue;
        }
        let lang = k.client_language;
        let text = tr!(
            app.locales,
            lang,
            "package-expired",
            size = k.package.size(),
            therapist = escape(&k.therapist_name)
        );
        Outbox::enqueue_in(
            &mut tx,
            &OutboxMessage::new(k.client_id, text).dedupe(format!("expired:package:{id}")),
            now,
        )
        .await?;
        // R-PAY-1: the package's pay-link message no longer offers to pay.
        let closed = tr!(
            app.locales,
            lang,
            "package-pay-closed-expired",
            size = k.package.size(),
            therapist = escape(&k.therapist_name)
        );
        PayMessages::close_owner_in(&mut tx, PayOwner::Package(id), &closed, now).await?;
        tx.commit().await?;
        done += 1;
        for p in payments {
            if p.state == PaymentState::Pending {
                if let Err(e) = app.payments.cancel_pending(&p).await {
                    tracing::warn!(payment = p.id, error = %e, "could not cancel an expired package's payment; it will be returned if paid");
                }
            }
        }
    }
    Ok(done)
}

/// R-PAY-1: capture held payments when the domain says it is time.
pub async fn capture_due(app: &AppState, now: DateTime<Utc>) -> StoreResult<usize> {
    let mut done = 0;
    for h in due::held_payments(&app.db).await? {
        if !capture_plan(h.held_at, h.starts_at, &app.settings).is_due(now) {
            continue;
        }
        let Some(record) = Payments(&app.db).get(h.payment_id).await? else {
            continue;
        };
        match app.payments.capture(&record).await {
            Ok(_) => done += 1,
            Err(e) => {
                tracing::error!(payment = record.id, error = %e, "capture failed; it is retried on the next tick");
                let lapse = crate::domain::hold_lapses_at(h.held_at, &app.settings);
                if now >= lapse {
                    let text = tr!(
                        app.locales,
                        app.default_lang,
                        "admin-capture-failed",
                        payment = record.id,
                        booking = record.booking_id.unwrap_or(0)
                    );
                    Outbox(&app.db)
                        .enqueue(
                            &OutboxMessage::new(app.admin_chat_id, text)
                                .dedupe(format!("capture-failed:payment:{}", record.id)),
                            now,
                        )
                        .await?;
                }
            }
        }
    }
    Ok(done)
}

/// R-SES-1: reminders 24 hours and 1 hour before, to the client.
pub async fn remind(app: &AppState, now: DateTime<Utc>) -> StoreResult<usize> {
    let mut done = 0;
    for (key, lead, until) in [
        ("24h", Duration::hours(24), Duration::hours(1)),
        ("1h", Duration::hours(1), Duration::zero()),
    ] {
        // Sessions starting in (now + until, now + lead]: their reminder is due.
        for id in due::confirmed_starting_between(&app.db, now + until, now + lead).await? {
            let Some(b) = Bookings(&app.db).details(id).await? else {
                continue;
            };
            // A booking made after the reminder's moment gets none (booked 2 hours before: no 24h reminder).
            let moment = b.starts_at - lead;
            let booked = Bookings(&app.db).get(id).await?.map(|x| x.created_at).unwrap_or(now);
            if booked > moment {
                continue;
            }
            let lang = b.client_language;
            let text = match key {
                // A free booking (a consultation, a session owed) has no charge to warn about.
                "24h" if b.price.is_zero() => tr!(
                    app.locales,
                    lang,
                    "reminder-24h-free",
                    kind = kind_name(&app.locales, lang, b.kind),
                    therapist = escape(&b.therapist_name),
                    when = client_when(app, &b)
                ),
                "24h" => tr!(
                    app.locales,
                    lang,
                    "reminder-24h",
                    kind = kind_name(&app.locales, lang, b.kind),
                    therapist = escape(&b.therapist_name),
                    when = client_when(app, &b)
                ),
                _ => tr!(
                    app.locales,
                    lang,
                    "reminder-1h",
                    kind = kind_name(&app.locales, lang, b.kind),
                    therapist = escape(&b.therapist_name),
                    when = client_when(app, &b)
                ),
            };
            if Outbox(&app.db)
                .enqueue(
                    &OutboxMessage::new(b.client_id, text).dedupe(format!("reminder:{key}:booking:{id}")),
                    now,
                )
                .await?
            {
                done += 1;
            }
        }
    }
    Ok(done)
}

/// How long before the start the room link is sent (R-SES-1).
pub const LINK_LEAD: Duration = Duration::minutes(15);

/// R-SES-1: 15 minutes before the start, the video-room link to the client and to the
/// therapist (once per slot), keyed so a rerun or a second instance sends each once.
pub async fn send_links(app: &AppState, now: DateTime<Utc>) -> StoreResult<usize> {
    let mut done = 0;
    for due in crate::store::client_booking::links_due(&app.db, now, now + LINK_LEAD).await? {
        let Some(b) = Bookings(&app.db).details(due.booking_id).await? else {
            continue;
        };
        let l = &app.locales;
        let link = escape(&due.video_room_link);
        let lang = b.client_language;
        let client = OutboxMessage::new(
            b.client_id,
            tr!(
                l,
                lang,
                "link-client",
                kind = kind_name(l, lang, b.kind),
                therapist = escape(&b.therapist_name),
                when = client_when(app, &b),
                link = link.as_str()
            ),
        )
        .dedupe(format!("link:booking:{}", b.id));
        let mut tx = app.db.begin().await?;
        if Outbox::enqueue_in(&mut tx, &client, now).await? {
            done += 1;
        }
        if let Some(t) = due.therapist_telegram_id {
            let lang = b.therapist_language.unwrap_or(app.default_lang);
            let when = timefmt::local_time(b.starts_at, b.therapist_tz.unwrap_or(app.default_tz), lang);
            // One client: named, so the therapist knows who is coming (a group's message is
            // one per slot and names nobody).
            let text = if b.kind == crate::domain::SessionKind::Group {
                tr!(
                    l,
                    lang,
                    "link-therapist",
                    kind = kind_name(l, lang, b.kind),
                    when = when,
                    link = link.as_str()
                )
            } else {
                tr!(
                    l,
                    lang,
                    "link-therapist-client",
                    kind = kind_name(l, lang, b.kind),
                    client = escape(&b.client_name),
                    when = when,
                    link = link.as_str()
                )
            };
            let m = OutboxMessage::new(t, text).dedupe(format!("link:therapist:slot:{}", due.slot_id));
            if Outbox::enqueue_in(&mut tx, &m, now).await? {
                done += 1;
            }
        }
        tx.commit().await?;
    }
    Ok(done)
}

/// How long after a session's end the therapist may still mark a no-show before the session
/// is completed on its own.
pub const COMPLETION_GRACE: Duration = Duration::hours(3);

/// R-PAY-2, R-PAY-4: a session that ended is completed (unless the therapist marked a no-show
/// within [`COMPLETION_GRACE`]), and every session that took place or was missed by the client
/// gets its payout recorded: paid = commission + payout, due 24 hours after the session (14
/// days for foreign payments).
pub async fn complete_ended(app: &AppState, now: DateTime<Utc>) -> StoreResult<usize> {
    let mut done = 0;
    for id in due::confirmed_ended_by(&app.db, now - COMPLETION_GRACE).await? {
        let Some(b) = Bookings(&app.db).get(id).await? else {
            continue;
        };
        let Ok(t) = b.state.apply(BookingEvent::SessionHeld) else {
            continue;
        };
        if t.changed && Bookings(&app.db).transition(id, t.from, t.to, now).await.is_ok() {
            done += 1;
        }
    }
    for id in due::without_payout_ended_by(&app.db, now).await? {
        let Some(b) = Bookings(&app.db).details(id).await? else {
            continue;
        };
        let paying = due::paying_in_slot(&app.db, id).await?;
        let tier = commission_tier(b.kind, u32::try_from(paying).unwrap_or(u32::MAX), &app.settings);
        let split = split_payment(b.price, tier, &app.settings);
        let foreign = Payments(&app.db)
            .for_booking(id)
            .await?
            .iter()
            .any(|p| p.foreign && p.state.was_captured());
        let origin = if foreign {
            PaymentOrigin::Foreign
        } else {
            PaymentOrigin::Domestic
        };
        let mut tx = app.db.begin().await?;
        let due_at = payout_due_at(b.ends_at, origin, &app.settings);
        if due::record_payout_in(&mut tx, id, b.therapist_id, &split, tier, foreign, due_at, now).await? {
            done += 1;
        }
        tx.commit().await?;
    }
    Ok(done)
}
