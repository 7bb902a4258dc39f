//! The therapist's calendar (R-ONB-5, R-SES-1): the queries behind `/calendar` and `/bookings`.
//! Slots are opened with [`Slots::create`], whose overlap refusal comes from the database; these
//! queries find the slot that was in the way, list a week, read the therapist's zone, and list
//! and settle the therapist's bookings.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sqlx::FromRow;

use super::slots::{Row as SlotRow, Slot, Slots, COLUMNS as SLOT_COLUMNS};
use super::{classify, parse_col, Db, StoreError, StoreResult};
use crate::db_run;
use crate::domain::{BookingState, CancellationOutcome, Money, SessionKind};
use crate::i18n::Lang;

impl Slots<'_> {
    /// The therapist's open slot that overlaps `[starts_at, ends_at)`, if any (the earliest):
    /// the one the database refused a new slot because of, to name it to the therapist.
    pub async fn first_open_overlapping(
        &self,
        therapist_id: i64,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
    ) -> StoreResult<Option<Slot>> {
        let sql = format!(
            "SELECT {SLOT_COLUMNS} FROM slots
             WHERE therapist_id = $1 AND status = 'open' AND starts_at < $3 AND $2 < ends_at
             ORDER BY starts_at LIMIT 1"
        );
        let row: Option<SlotRow> = db_run!(self.0, |p| sqlx::query_as(&sql)
            .bind(therapist_id)
            .bind(starts_at)
            .bind(ends_at)
            .fetch_optional(p)
            .await?);
        row.map(Slot::try_from).transpose()
    }

    /// The therapist's open slots that start in `[from, to)`, in time order (closed ones are
    /// no longer in the calendar).
    pub async fn open_of_therapist(
        &self,
        therapist_id: i64,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<Slot>> {
        let sql = format!(
            "SELECT {SLOT_COLUMNS} FROM slots
             WHERE therapist_id = $1 AND status = 'open' AND starts_at >= $2 AND starts_at < $3
             ORDER BY starts_at"
        );
        let rows: Vec<SlotRow> = db_run!(self.0, |p| sqlx::query_as(&sql)
            .bind(therapist_id)
            .bind(from)
            .bind(to)
            .fetch_all(p)
            .await?);
        rows.into_iter().map(Slot::try_from).collect()
    }
}

/// The zone the therapist's calendar is kept in: the profile's zone, else the zone the user
/// chose with /timezone; `None` when neither is set (the caller uses the default zone).
pub async fn therapist_zone(db: &Db, therapist_id: i64) -> StoreResult<Option<Tz>> {
    let row: Option<(Option<String>, Option<String>)> = db_run!(db, |p| sqlx::query_as(
        "SELECT t.time_zone, u.time_zone FROM therapists t
         LEFT JOIN users u ON u.telegram_id = t.telegram_id WHERE t.id = $1"
    )
    .bind(therapist_id)
    .fetch_optional(p)
    .await?);
    let Some((own, user)) = row else { return Ok(None) };
    own.or(user)
        .map(|z| parse_col::<Tz>(&z, "therapists.time_zone"))
        .transpose()
}

/// One of the therapist's bookings, as `/bookings` shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct TherapistBooking {
    pub booking_id: i64,
    pub state: BookingState,
    pub price: Money,
    pub slot_id: i64,
    pub kind: SessionKind,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub client_id: i64,
    pub client_first_name: String,
    pub client_language: Lang,
}

#[derive(FromRow)]
struct BookingRow {
    booking_id: i64,
    state: String,
    price_kopecks: i64,
    slot_id: i64,
    kind: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    client_id: i64,
    first_name: String,
    language: String,
}

impl TryFrom<BookingRow> for TherapistBooking {
    type Error = StoreError;
    fn try_from(r: BookingRow) -> StoreResult<Self> {
        Ok(TherapistBooking {
            booking_id: r.booking_id,
            state: parse_col(&r.state, "bookings.state")?,
            price: Money::from_kopecks(r.price_kopecks)
                .map_err(|_| StoreError::Corrupt(format!("bookings.price_kopecks = {}", r.price_kopecks)))?,
            slot_id: r.slot_id,
            kind: parse_col(&r.kind, "slots.kind")?,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            client_id: r.client_id,
            client_first_name: r.first_name,
            client_language: parse_col(&r.language, "users.language")?,
        })
    }
}

const BOOKING_SELECT: &str = "SELECT b.id AS booking_id, b.state, b.price_kopecks, s.id AS slot_id, s.kind,
        s.starts_at, s.ends_at, b.client_id, u.first_name, u.language
     FROM bookings b JOIN slots s ON s.id = b.slot_id JOIN users u ON u.telegram_id = b.client_id";

/// What the therapist-side booking queries return and do.
#[derive(Debug, Clone)]
pub struct TherapistBookings<'a>(pub &'a Db);

impl TherapistBookings<'_> {
    /// The therapist's live bookings (awaiting payment or confirmed) of sessions that end after
    /// `since`, in time order: the upcoming ones and those that started but are not marked
    /// held or no-show yet.
    pub async fn live(&self, therapist_id: i64, since: DateTime<Utc>) -> StoreResult<Vec<TherapistBooking>> {
        let sql = format!(
            "{BOOKING_SELECT}
             WHERE s.therapist_id = $1 AND b.state IN ('awaiting_payment', 'confirmed') AND s.ends_at > $2
             ORDER BY s.starts_at, b.id"
        );
        let rows: Vec<BookingRow> = db_run!(self.0, |p| sqlx::query_as(&sql)
            .bind(therapist_id)
            .bind(since)
            .fetch_all(p)
            .await?);
        rows.into_iter().map(TherapistBooking::try_from).collect()
    }

    /// One booking, only if it is a booking of this therapist's slot (a forged id of another
    /// therapist's booking reads as `None`).
    pub async fn get(&self, therapist_id: i64, booking_id: i64) -> StoreResult<Option<TherapistBooking>> {
        let sql = format!("{BOOKING_SELECT} WHERE s.therapist_id = $1 AND b.id = $2");
        let row: Option<BookingRow> = db_run!(self.0, |p| sqlx::query_as(&sql)
            .bind(therapist_id)
            .bind(booking_id)
            .fetch_optional(p)
            .await?);
        row.map(TherapistBooking::try_from).transpose()
    }

    /// The live bookings of one of the therapist's slots (all participants of a group).
    pub async fn live_of_slot(&self, therapist_id: i64, slot_id: i64) -> StoreResult<Vec<TherapistBooking>> {
        let sql = format!(
            "{BOOKING_SELECT}
             WHERE s.therapist_id = $1 AND s.id = $2 AND b.state IN ('awaiting_payment', 'confirmed')
             ORDER BY b.id"
        );
        let rows: Vec<BookingRow> = db_run!(self.0, |p| sqlx::query_as(&sql)
            .bind(therapist_id)
            .bind(slot_id)
            .fetch_all(p)
            .await?);
        rows.into_iter().map(TherapistBooking::try_from).collect()
    }

    /// The therapist cancels a session (R-CAN-3) in one transaction: every booking moves by
    /// its decided outcome (only if still in the state it was decided for), each decision is
    /// recorded for the money movement that follows, and the slot is closed so that nobody
    /// books the cancelled time again. `Conflict` (and nothing changed) when a booking moved
    /// meanwhile or a new one arrived.
    pub async fn cancel_session(
        &self,
        therapist_id: i64,
        slot_id: i64,
        decisions: &[(i64, BookingState, CancellationOutcome)],
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        const MOVE: &str = "UPDATE bookings SET state = $4, updated_at = $5
             WHERE id = $1 AND slot_id = $2 AND state = $3";
        const RECORD: &str = "INSERT INTO booking_cancellations
               (booking_id, cancelled_by, timing, money_action, therapist_paid, therapist_owes_free_session, decided_at)
             VALUES ($1, 'therapist', $2, $3, $4, $5, $6)";
        const CLOSE: &str = "UPDATE slots SET status = 'closed'
             WHERE id = $1 AND therapist_id = $2 AND status = 'open' AND booked = 0";
        db_run!(self.0, |p| {
            let mut tx = p.begin().await?;
            for (booking_id, from, outcome) in decisions {
                let moved = sqlx::query(MOVE)
                    .bind(booking_id)
                    .bind(slot_id)
                    .bind(from.as_str())
                    .bind(outcome.new_state.as_str())
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .map_err(classify)?
                    .rows_affected();
                if moved != 1 {
                    return Err(StoreError::Conflict);
                }
                sqlx::query(RECORD)
                    .bind(booking_id)
                    .bind(outcome.timing.as_str())
                    .bind(outcome.money.as_str())
                    .bind(outcome.therapist_paid)
                    .bind(outcome.therapist_owes_free_session)
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .map_err(classify)?;
                // R-CAN-3: a package credit comes back to the client.
                if outcome.money == crate::domain::MoneyAction::ReturnCredit {
                    let gone: Option<(i64,)> =
                        sqlx::query_as("DELETE FROM package_credit_uses WHERE booking_id = $1 RETURNING package_id")
                            .bind(booking_id)
                            .fetch_optional(&mut *tx)
                            .await?;
                    if let Some((package_id,)) = gone {
                        sqlx::query("UPDATE packages SET used = used - 1, updated_at = $2 WHERE id = $1")
                            .bind(package_id)
                            .bind(now)
                            .execute(&mut *tx)
                            .await
                            .map_err(classify)?;
                    }
                }
            }
            let closed = sqlx::query(CLOSE)
                .bind(slot_id)
                .bind(therapist_id)
                .execute(&mut *tx)
                .await
                .map_err(classify)?
                .rows_affected();
            if closed != 1 {
                return Err(StoreError::Conflict);
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// The recorded decision of a cancelled booking: (timing, money action, owes a free session).
    pub async fn cancellation(&self, booking_id: i64) -> StoreResult<Option<(String, String, bool)>> {
        const SQL: &str = "SELECT timing, money_action, therapist_owes_free_session
                           FROM booking_cancellations WHERE booking_id = $1";
        let row: Option<(String, String, bool)> = db_run!(self.0, |p| sqlx::query_as(SQL)
            .bind(booking_id)
            .fetch_optional(p)
            .await?);
        Ok(row)
    }

    /// Files the force-majeure document (R-CAN-3) for every booking of the therapist's slot
    /// whose cancellation left a free session owed and that has no case yet: one pending case
    /// each, for the admins' review. Returns how many cases were opened (0: nothing to file).
    pub async fn file_force_majeure(
        &self,
        therapist_id: i64,
        slot_id: i64,
        file_id: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<u64> {
        const SQL: &str = "INSERT INTO force_majeure_cases
                (booking_id, therapist_id, document_file_id, status, created_at, updated_at)
             SELECT c.booking_id, s.therapist_id, $3, 'pending', $4, $4
             FROM booking_cancellations c JOIN bookings b ON b.id = c.booking_id JOIN slots s ON s.id = b.slot_id
             WHERE s.id = $1 AND s.therapist_id = $2 AND c.cancelled_by = 'therapist'
               AND c.therapist_owes_free_session
               AND NOT EXISTS (SELECT 1 FROM force_majeure_cases f WHERE f.booking_id = c.booking_id)";
        let n = db_run!(self.0, |p| sqlx::query(SQL)
            .bind(slot_id)
            .bind(therapist_id)
            .bind(file_id)
            .bind(now)
            .execute(p)
            .await
            .map_err(classify)?
            .rows_affected());
        Ok(n)
    }

    /// The force-majeure case of a cancelled booking: (status, document file id).
    pub async fn force_majeure(&self, booking_id: i64) -> StoreResult<Option<(String, String)>> {
        const SQL: &str = "SELECT status, document_file_id FROM force_majeure_cases WHERE booking_id = $1";
        let row = db_run!(self.0, |p| sqlx::query_as(SQL)
            .bind(booking_id)
            .fetch_optional(p)
            .await?);
        Ok(row)
    }
}
