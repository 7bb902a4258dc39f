//! A therapist's profile during onboarding and moderation (R-ONB-2..10): the fields beside the
//! account, ticked specialisations, prices (R-PRICE-1/2), materials, sealed payout details,
//! tax status, accepted documents, and the moderation outcome.

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::outbox::{Outbox, OutboxMessage};
use super::tx::Tx;
use super::{parse_col, Db, StoreError, StoreResult};
pub use crate::domain::matching::Gender;
use crate::domain::readiness::TaxStatus;
use crate::domain::{Money, PriceKind, PriceState};
use crate::{db_run, tx_run};

/// The profile fields (the full name and time zone live on the account).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profile {
    pub therapist_id: i64,
    pub photo_file_id: Option<String>,
    pub bio: Option<String>,
    pub education: Option<String>,
    pub years_of_practice: Option<i32>,
    /// Ids such as `ru`, `en`, `other`.
    pub languages: Vec<String>,
    pub video_room_link: Option<String>,
    pub payout_masked: Option<String>,
    pub tax_status: Option<TaxStatus>,
    pub tax_cert_file_id: Option<String>,
    pub tax_cert_kind: Option<FileKind>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub rejection_reason: Option<String>,
    pub moderated_by_name: Option<String>,
    pub moderated_at: Option<DateTime<Utc>>,
    pub card_message_id: Option<i32>,
    /// `female` or `male` (issue 6 step 4); `None`: not said.
    pub gender: Option<Gender>,
}

/// A change of a field clients see on an active profile (see `Profiles::apply_public_edit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicEdit<'a> {
    Name(&'a str),
    Photo(&'a str),
    Bio(&'a str),
}

impl PublicEdit<'_> {
    /// `name`, `photo` or `bio`.
    pub fn field(&self) -> &'static str {
        match self {
            PublicEdit::Name(_) => "name",
            PublicEdit::Photo(_) => "photo",
            PublicEdit::Bio(_) => "bio",
        }
    }
}

/// How a file was sent to the bot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Document,
    Photo,
}

impl FileKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Document => "document",
            FileKind::Photo => "photo",
        }
    }
}

impl std::str::FromStr for FileKind {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "document" => Ok(FileKind::Document),
            "photo" => Ok(FileKind::Photo),
            _ => Err(()),
        }
    }
}

/// A text field of the profile that the therapist types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    PhotoFileId,
    Bio,
    Education,
    VideoRoomLink,
    Languages,
}

impl TextField {
    fn column(self) -> &'static str {
        match self {
            TextField::PhotoFileId => "photo_file_id",
            TextField::Bio => "bio",
            TextField::Education => "education",
            TextField::VideoRoomLink => "video_room_link",
            TextField::Languages => "languages",
        }
    }
}

#[derive(FromRow)]
struct Row {
    therapist_id: i64,
    photo_file_id: Option<String>,
    bio: Option<String>,
    education: Option<String>,
    years_of_practice: Option<i32>,
    languages: String,
    video_room_link: Option<String>,
    payout_masked: Option<String>,
    tax_status: Option<String>,
    tax_cert_file_id: Option<String>,
    tax_cert_kind: Option<String>,
    submitted_at: Option<DateTime<Utc>>,
    rejection_reason: Option<String>,
    moderated_by_name: Option<String>,
    moderated_at: Option<DateTime<Utc>>,
    card_message_id: Option<i32>,
    gender: Option<String>,
}

impl TryFrom<Row> for Profile {
    type Error = StoreError;
    fn try_from(r: Row) -> StoreResult<Self> {
        Ok(Profile {
            therapist_id: r.therapist_id,
            photo_file_id: r.photo_file_id,
            bio: r.bio,
            education: r.education,
            years_of_practice: r.years_of_practice,
            languages: r
                .languages
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            video_room_link: r.video_room_link,
            payout_masked: r.payout_masked,
            tax_status: r
                .tax_status
                .map(|s| parse_col(&s, "therapist_profiles.tax_status"))
                .transpose()?,
            tax_cert_file_id: r.tax_cert_file_id,
            tax_cert_kind: r
                .tax_cert_kind
                .map(|s| parse_col(&s, "therapist_profiles.tax_cert_kind"))
                .transpose()?,
            submitted_at: r.submitted_at,
            rejection_reason: r.rejection_reason,
            moderated_by_name: r.moderated_by_name,
            moderated_at: r.moderated_at,
            card_message_id: r.card_message_id,
            gender: r
                .gender
                .map(|s| parse_col(&s, "therapist_profiles.gender"))
                .transpose()?,
        })
    }
}

const COLUMNS: &str = "therapist_id, photo_file_id, bio, education, years_of_practice, languages, \
    video_room_link, payout_masked, tax_status, tax_cert_file_id, tax_cert_kind, submitted_at, \
    rejection_reason, moderated_by_name, moderated_at, card_message_id, gender";

/// An uploaded material (R-ONB-6).
#[derive(Debug, Clone, PartialEq)]
pub struct Material {
    pub id: i64,
    pub title: String,
    pub file_id: String,
    pub kind: FileKind,
}

/// A therapist waiting for moderation, for `/queue`.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct QueuedProfile {
    pub therapist_id: i64,
    pub full_name: String,
    pub submitted_at: Option<DateTime<Utc>>,
}

/// The outcome of a moderation decision that lost the race: who decided first.
#[derive(Debug, Clone, PartialEq)]
pub struct Decided {
    pub status: crate::store::therapists::TherapistStatus,
    pub by: Option<String>,
    pub at: Option<DateTime<Utc>>,
}

/// Records an admin action in the audit log inside a transaction.
async fn audit_in(
    tx: &mut Tx,
    admin_id: i64,
    action: &str,
    therapist_id: i64,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    tx_run!(tx, |c| sqlx::query(
        "INSERT INTO audit_log (actor_id, action, subject, reason, at) VALUES ($1, $2, $3, $4, $5)"
    )
    .bind(admin_id)
    .bind(action)
    .bind(format!("therapist:{therapist_id}"))
    .bind(reason)
    .bind(now)
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

/// (kind, amount in kopecks, first activation, last counted change).
type PriceRow = (String, i64, Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// One admin's moderation decision (R-ONB-10).
#[derive(Debug, Clone, Copy)]
pub struct Decision<'a> {
    pub therapist_id: i64,
    /// Approve (`active`) or reject (`rejected`).
    pub approve: bool,
    pub admin_id: i64,
    pub admin_name: &'a str,
    /// The rejection reason the therapist sees.
    pub reason: Option<&'a str>,
    /// The therapist's notice, enqueued with the decision.
    pub notice: Option<&'a OutboxMessage>,
}

/// Profiles repository.
#[derive(Debug, Clone)]
pub struct Profiles<'a>(pub &'a Db);

impl Profiles<'_> {
    /// Creates the empty profile row if missing.
    pub async fn ensure(&self, therapist_id: i64, now: DateTime<Utc>) -> StoreResult<()> {
        db_run!(self.0, |p| sqlx::query(
            "INSERT INTO therapist_profiles (therapist_id, updated_at) VALUES ($1, $2)
             ON CONFLICT (therapist_id) DO NOTHING"
        )
        .bind(therapist_id)
        .bind(now)
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }

    /// The profile; an empty one when nothing was saved yet.
    pub async fn get(&self, therapist_id: i64) -> StoreResult<Profile> {
        let sql = format!("SELECT {COLUMNS} FROM therapist_profiles WHERE therapist_id = $1");
        let row: Option<Row> = db_run!(self.0, |p| sqlx::query_as(&sql)
            .bind(therapist_id)
            .fetch_optional(p)
            .await?);
        match row {
            Some(r) => Profile::try_from(r),
            None => Ok(Profile {
                therapist_id,
                ..Profile::default()
            }),
        }
    }

    pub async fn set_text(
        &self,
        therapist_id: i64,
        field: TextField,
        value: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.ensure(therapist_id, now).await?;
        let sql = format!(
            "UPDATE therapist_profiles SET {} = $2, updated_at = $3 WHERE therapist_id = $1",
            field.column()
        );
        db_run!(self.0, |p| sqlx::query(&sql)
            .bind(therapist_id)
            .bind(value)
            .bind(now)
            .execute(p)
            .await?
            .rows_affected());
        Ok(())
    }

    /// Sets or clears the therapist's gender (optional, issue 6 step 4).
    pub async fn set_gender(&self, therapist_id: i64, gender: Option<Gender>, now: DateTime<Utc>) -> StoreResult<()> {
        self.ensure(therapist_id, now).await?;
        db_run!(self.0, |p| sqlx::query(
            "UPDATE therapist_profiles SET gender = $2, updated_at = $3 WHERE therapist_id = $1"
        )
        .bind(therapist_id)
        .bind(gender.map(Gender::as_str))
        .bind(now)
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }

    /// Years of practice, 0..=70 (the database refuses others).
    pub async fn set_years(&self, therapist_id: i64, years: i32, now: DateTime<Utc>) -> StoreResult<()> {
        self.ensure(therapist_id, now).await?;
        db_run!(self.0, |p| sqlx::query(
            "UPDATE therapist_profiles SET years_of_practice = $2, updated_at = $3 WHERE therapist_id = $1"
        )
        .bind(therapist_id)
        .bind(years)
        .bind(now)
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }

    pub async fn set_full_name(&self, therapist_id: i64, name: &str, now: DateTime<Utc>) -> StoreResult<()> {
        db_run!(self.0, |p| sqlx::query(
            "UPDATE therapists SET full_name = $2, updated_at = $3 WHERE id = $1"
        )
        .bind(therapist_id)
        .bind(name)
        .bind(now)
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }

    /// An edit of a field clients see (name, photo, bio) of an ACTIVE profile, applied at once
    /// (no new moderation) with the admins' informational notice in the same transaction.
    /// `NotFound` (nothing changed) when the therapist is not active any more.
    pub async fn apply_public_edit(
        &self,
        therapist_id: i64,
        edit: PublicEdit<'_>,
        notice: &OutboxMessage,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.ensure(therapist_id, now).await?;
        let (sql, value) = match edit {
            PublicEdit::Name(v) => (
                "UPDATE therapists SET full_name = $2, updated_at = $3 WHERE id = $1 AND status = 'active'",
                v,
            ),
            PublicEdit::Photo(v) => (
                "UPDATE therapist_profiles SET photo_file_id = $2, updated_at = $3
                 WHERE therapist_id = $1 AND EXISTS (SELECT 1 FROM therapists t WHERE t.id = $1 AND t.status = 'active')",
                v,
            ),
            PublicEdit::Bio(v) => (
                "UPDATE therapist_profiles SET bio = $2, updated_at = $3
                 WHERE therapist_id = $1 AND EXISTS (SELECT 1 FROM therapists t WHERE t.id = $1 AND t.status = 'active')",
                v,
            ),
        };
        let mut tx = self.0.begin().await?;
        let n = tx_run!(&mut tx, |c| sqlx::query(sql)
            .bind(therapist_id)
            .bind(value)
            .bind(now)
            .execute(c)
            .await?
            .rows_affected());
        if n != 1 {
            return Err(StoreError::NotFound);
        }
        Outbox::enqueue_in(&mut tx, notice, now).await?;
        tx.commit().await
    }

    pub async fn set_time_zone(&self, therapist_id: i64, zone: &str, now: DateTime<Utc>) -> StoreResult<()> {
        db_run!(self.0, |p| sqlx::query(
            "UPDATE therapists SET time_zone = $2, updated_at = $3 WHERE id = $1"
        )
        .bind(therapist_id)
        .bind(zone)
        .bind(now)
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }

    pub async fn time_zone(&self, therapist_id: i64) -> StoreResult<Option<String>> {
        let row: Option<(Option<String>,)> = db_run!(self.0, |p| sqlx::query_as(
            "SELECT time_zone FROM therapists WHERE id = $1"
        )
        .bind(therapist_id)
        .fetch_optional(p)
        .await?);
        Ok(row.and_then(|r| r.0))
    }

    /// Stores sealed payout details (R-ONB-7) with their mask; never the plain text.
    pub async fn set_payout(
        &self,
        therapist_id: i64,
        sealed: &str,
        masked: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.ensure(therapist_id, now).await?;
        db_run!(self.0, |p| sqlx::query(
            "UPDATE therapist_profiles SET payout_sealed = $2, payout_masked = $3, updated_at = $4
             WHERE therapist_id = $1"
        )
        .bind(therapist_id)
        .bind(sealed)
        .bind(masked)
        .bind(now)
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }

    /// The sealed payout details, for whoever holds the key (payouts).
    pub async fn payout_sealed(&self, therapist_id: i64) -> StoreResult<Option<String>> {
        let row: Option<(Option<String>,)> = db_run!(self.0, |p| sqlx::query_as(
            "SELECT payout_sealed FROM therapist_profiles WHERE therapist_id = $1"
        )
        .bind(therapist_id)
        .fetch_optional(p)
        .await?);
        Ok(row.and_then(|r| r.0))
    }

    /// R-ONB-8: the tax status; a changed status asks for its certificate again.
    pub async fn set_tax_status(&self, therapist_id: i64, status: TaxStatus, now: DateTime<Utc>) -> StoreResult<()> {
        self.ensure(therapist_id, now).await?;
        db_run!(self.0, |p| sqlx::query(
            "UPDATE therapist_profiles SET
                tax_cert_file_id = CASE WHEN tax_status = $2 THEN tax_cert_file_id ELSE NULL END,
                tax_cert_kind = CASE WHEN tax_status = $2 THEN tax_cert_kind ELSE NULL END,
                tax_status = $2, updated_at = $3
             WHERE therapist_id = $1"
        )
        .bind(therapist_id)
        .bind(status.as_str())
        .bind(now)
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }

    pub async fn set_tax_certificate(
        &self,
        therapist_id: i64,
        file_id: &str,
        kind: FileKind,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.ensure(therapist_id, now).await?;
        db_run!(self.0, |p| sqlx::query(
            "UPDATE therapist_profiles SET tax_cert_file_id = $2, tax_cert_kind = $3, updated_at = $4
             WHERE therapist_id = $1"
        )
        .bind(therapist_id)
        .bind(file_id)
        .bind(kind.as_str())
        .bind(now)
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }

    /// Ticks or unticks a catalogue item (R-ONB-3); returns whether it is ticked now.
    pub async fn toggle_specialization(&self, therapist_id: i64, item_id: &str) -> StoreResult<bool> {
        let removed = db_run!(self.0, |p| sqlx::query(
            "DELETE FROM therapist_specializations WHERE therapist_id = $1 AND item_id = $2"
        )
        .bind(therapist_id)
        .bind(item_id)
        .execute(p)
        .await?
        .rows_affected());
        if removed > 0 {
            return Ok(false);
        }
        db_run!(self.0, |p| sqlx::query(
            "INSERT INTO therapist_specializations (therapist_id, item_id) VALUES ($1, $2)
             ON CONFLICT DO NOTHING"
        )
        .bind(therapist_id)
        .bind(item_id)
        .execute(p)
        .await?
        .rows_affected());
        Ok(true)
    }

    pub async fn specializations(&self, therapist_id: i64) -> StoreResult<Vec<String>> {
        let rows: Vec<(String,)> = db_run!(self.0, |p| sqlx::query_as(
            "SELECT item_id FROM therapist_specializations WHERE therapist_id = $1 ORDER BY item_id"
        )
        .bind(therapist_id)
        .fetch_all(p)
        .await?);
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// Stores a price state (R-PRICE-1 checked by the caller with `domain::validate_price`,
    /// R-PRICE-2 by `PriceState::change`).
    pub async fn set_price(
        &self,
        therapist_id: i64,
        kind: PriceKind,
        state: &PriceState,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        db_run!(self.0, |p| {
            sqlx::query(
            "INSERT INTO therapist_prices (therapist_id, kind, amount_kopecks, activated_at, last_change_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (therapist_id, kind) DO UPDATE SET amount_kopecks = $3, activated_at = $4,
                last_change_at = $5, updated_at = $6"
        )
        .bind(therapist_id)
        .bind(kind.as_str())
        .bind(state.amount.kopecks())
        .bind(state.activated_at)
        .bind(state.last_change_at)
        .bind(now)
        .execute(p)
        .await?
        .rows_affected()
        });
        Ok(())
    }

    /// R-PRICE-2 for an active profile: stores `new` only if the stored price is still `old`
    /// (amount and last counted change), so two changes at once cannot both pass the six-month
    /// check. `Conflict` (nothing changed) when someone changed it meanwhile.
    pub async fn change_price(
        &self,
        therapist_id: i64,
        kind: PriceKind,
        old: &PriceState,
        new: &PriceState,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let n = db_run!(self.0, |p| sqlx::query(
            "UPDATE therapist_prices SET amount_kopecks = $4, last_change_at = $5, updated_at = $6
             WHERE therapist_id = $1 AND kind = $2 AND amount_kopecks = $3
               AND ((last_change_at IS NULL AND $7 IS NULL) OR last_change_at = $7)"
        )
        .bind(therapist_id)
        .bind(kind.as_str())
        .bind(old.amount.kopecks())
        .bind(new.amount.kopecks())
        .bind(new.last_change_at)
        .bind(now)
        .bind(old.last_change_at)
        .execute(p)
        .await?
        .rows_affected());
        if n == 1 {
            Ok(())
        } else {
            Err(StoreError::Conflict)
        }
    }

    pub async fn prices(&self, therapist_id: i64) -> StoreResult<Vec<(PriceKind, PriceState)>> {
        let rows: Vec<PriceRow> = db_run!(self.0, |p| {
            sqlx::query_as(
                "SELECT kind, amount_kopecks, activated_at, last_change_at FROM therapist_prices
                 WHERE therapist_id = $1 ORDER BY kind DESC",
            )
            .bind(therapist_id)
            .fetch_all(p)
            .await?
        });
        rows.into_iter()
            .map(|(kind, amount, activated_at, last_change_at)| {
                Ok((
                    parse_col(&kind, "therapist_prices.kind")?,
                    PriceState {
                        amount: Money::from_kopecks(amount)
                            .map_err(|_| StoreError::Corrupt(format!("therapist_prices.amount_kopecks = {amount}")))?,
                        activated_at,
                        last_change_at,
                    },
                ))
            })
            .collect()
    }

    pub async fn add_material(
        &self,
        therapist_id: i64,
        title: &str,
        file_id: &str,
        kind: FileKind,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        let (id,): (i64,) = db_run!(self.0, |p| sqlx::query_as(
            "INSERT INTO therapist_materials (therapist_id, title, file_id, kind, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id"
        )
        .bind(therapist_id)
        .bind(title)
        .bind(file_id)
        .bind(kind.as_str())
        .bind(now)
        .fetch_one(p)
        .await?);
        Ok(id)
    }

    pub async fn materials(&self, therapist_id: i64) -> StoreResult<Vec<Material>> {
        let rows: Vec<(i64, String, String, String)> = db_run!(self.0, |p| sqlx::query_as(
            "SELECT id, title, file_id, kind FROM therapist_materials WHERE therapist_id = $1 ORDER BY id"
        )
        .bind(therapist_id)
        .fetch_all(p)
        .await?);
        rows.into_iter()
            .map(|(id, title, file_id, kind)| {
                Ok(Material {
                    id,
                    title,
                    file_id,
                    kind: parse_col(&kind, "therapist_materials.kind")?,
                })
            })
            .collect()
    }

    /// Deletes one of this therapist's materials; `NotFound` for anyone else's or a gone one.
    pub async fn delete_material(&self, therapist_id: i64, id: i64) -> StoreResult<()> {
        let n = db_run!(self.0, |p| sqlx::query(
            "DELETE FROM therapist_materials WHERE id = $1 AND therapist_id = $2"
        )
        .bind(id)
        .bind(therapist_id)
        .execute(p)
        .await?
        .rows_affected());
        if n == 1 {
            Ok(())
        } else {
            Err(StoreError::NotFound)
        }
    }

    /// R-ONB-9: records the acceptance of a document version (once).
    pub async fn accept(
        &self,
        therapist_id: i64,
        document: &str,
        version: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        db_run!(self.0, |p| sqlx::query(
            "INSERT INTO therapist_agreements (therapist_id, document, version, accepted_at)
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING"
        )
        .bind(therapist_id)
        .bind(document)
        .bind(version)
        .bind(now)
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }

    /// Accepted (document, version, when).
    pub async fn agreements(&self, therapist_id: i64) -> StoreResult<Vec<(String, String, DateTime<Utc>)>> {
        Ok(db_run!(self.0, |p| sqlx::query_as(
            "SELECT document, version, accepted_at FROM therapist_agreements WHERE therapist_id = $1
             ORDER BY accepted_at, document"
        )
        .bind(therapist_id)
        .fetch_all(p)
        .await?))
    }

    /// R-ONB-5: open slots that start after `now`.
    pub async fn open_future_slots(&self, therapist_id: i64, now: DateTime<Utc>) -> StoreResult<u32> {
        let (n,): (i64,) = db_run!(self.0, |p| sqlx::query_as(
            "SELECT COUNT(*) FROM slots WHERE therapist_id = $1 AND status = 'open' AND starts_at > $2"
        )
        .bind(therapist_id)
        .bind(now)
        .fetch_one(p)
        .await?);
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// R-ONB-9: sends the profile to moderation from onboarding or after a rejection
    /// (conditional on the status). `Conflict` when it is in another state.
    pub async fn submit(&self, therapist_id: i64, now: DateTime<Utc>) -> StoreResult<()> {
        db_run!(self.0, |p| {
            let mut tx = p.begin().await?;
            let n = sqlx::query(
                "UPDATE therapists SET status = 'pending_moderation', updated_at = $2
                 WHERE id = $1 AND status IN ('onboarding', 'rejected')",
            )
            .bind(therapist_id)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n != 1 {
                return Err(StoreError::Conflict);
            }
            sqlx::query(
                "UPDATE therapist_profiles SET submitted_at = $2, rejection_reason = NULL, moderated_by = NULL,
                    moderated_by_name = NULL, moderated_at = NULL, card_message_id = NULL,
                    checklist_message_id = NULL, updated_at = $2
                 WHERE therapist_id = $1",
            )
            .bind(therapist_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Records the current checklist message and returns the previous one (to delete).
    pub async fn swap_checklist_message(
        &self,
        therapist_id: i64,
        message_id: Option<i32>,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<i32>> {
        self.ensure(therapist_id, now).await?;
        db_run!(self.0, |p| {
            let mut tx = p.begin().await?;
            sqlx::query("UPDATE therapist_profiles SET updated_at = $2 WHERE therapist_id = $1")
                .bind(therapist_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            let (old,): (Option<i32>,) =
                sqlx::query_as("SELECT checklist_message_id FROM therapist_profiles WHERE therapist_id = $1")
                    .bind(therapist_id)
                    .fetch_one(&mut *tx)
                    .await?;
            sqlx::query("UPDATE therapist_profiles SET checklist_message_id = $2 WHERE therapist_id = $1")
                .bind(therapist_id)
                .bind(message_id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(old)
        })
    }

    pub async fn set_card_message(&self, therapist_id: i64, message_id: i32) -> StoreResult<()> {
        db_run!(self.0, |p| sqlx::query(
            "UPDATE therapist_profiles SET card_message_id = $2 WHERE therapist_id = $1"
        )
        .bind(therapist_id)
        .bind(message_id)
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }

    /// R-ONB-10: one admin's decision on a pending profile: `active` (prices get their first
    /// activation, R-PRICE-2) or `rejected` with a reason; audited, and the therapist's notice
    /// (if any) enqueued in the same transaction. Conditional: when another admin decided
    /// first, `Ok(Err(Decided))` says who.
    pub async fn decide(&self, d: &Decision<'_>, now: DateTime<Utc>) -> StoreResult<Result<(), Decided>> {
        let Decision {
            therapist_id,
            approve,
            admin_id,
            admin_name,
            reason,
            notice,
        } = *d;
        let to = if approve { "active" } else { "rejected" };
        let mut tx = self.0.begin().await?;
        let n = tx_run!(&mut tx, |c| sqlx::query(
            "UPDATE therapists SET status = $2, updated_at = $3 WHERE id = $1 AND status = 'pending_moderation'"
        )
        .bind(therapist_id)
        .bind(to)
        .bind(now)
        .execute(c)
        .await?
        .rows_affected());
        if n == 1 {
            tx_run!(&mut tx, |c| sqlx::query(
                "UPDATE therapist_profiles SET moderated_by = $2, moderated_by_name = $3, moderated_at = $4,
                    rejection_reason = $5, updated_at = $4
                 WHERE therapist_id = $1"
            )
            .bind(therapist_id)
            .bind(admin_id)
            .bind(admin_name)
            .bind(now)
            .bind(reason)
            .execute(c)
            .await?
            .rows_affected());
            if approve {
                tx_run!(&mut tx, |c| sqlx::query(
                    "UPDATE therapist_prices SET activated_at = COALESCE(activated_at, $2) WHERE therapist_id = $1"
                )
                .bind(therapist_id)
                .bind(now)
                .execute(c)
                .await?
                .rows_affected());
            }
            audit_in(
                &mut tx,
                admin_id,
                if approve { "approve" } else { "reject" },
                therapist_id,
                reason,
                now,
            )
            .await?;
            if let Some(m) = notice {
                Outbox::enqueue_in(&mut tx, m, now).await?;
            }
            tx.commit().await?;
            return Ok(Ok(()));
        }
        drop(tx);
        let status = crate::store::therapists::Therapists(self.0)
            .get(therapist_id)
            .await?
            .ok_or(StoreError::NotFound)?
            .status;
        let profile = self.get(therapist_id).await?;
        Ok(Err(Decided {
            status,
            by: profile.moderated_by_name,
            at: profile.moderated_at,
        }))
    }

    /// R-ONB-10: suspends an active therapist (`suspend`) or reinstates a suspended one, with
    /// the admin's reason, audited, the therapist's notice enqueued in the same transaction.
    /// Conditional: `Conflict` when the status is not the expected one (someone acted first).
    pub async fn set_suspended(
        &self,
        therapist_id: i64,
        suspend: bool,
        admin_id: i64,
        reason: &str,
        notice: Option<&OutboxMessage>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let (from, to, action) = if suspend {
            ("active", "suspended", "suspend")
        } else {
            ("suspended", "active", "reinstate")
        };
        let mut tx = self.0.begin().await?;
        let n = tx_run!(&mut tx, |c| sqlx::query(
            "UPDATE therapists SET status = $3, updated_at = $4 WHERE id = $1 AND status = $2"
        )
        .bind(therapist_id)
        .bind(from)
        .bind(to)
        .bind(now)
        .execute(c)
        .await?
        .rows_affected());
        if n != 1 {
            return Err(StoreError::Conflict);
        }
        audit_in(&mut tx, admin_id, action, therapist_id, Some(reason), now).await?;
        if let Some(m) = notice {
            Outbox::enqueue_in(&mut tx, m, now).await?;
        }
        tx.commit().await
    }

    /// Profiles waiting for moderation, oldest submission first.
    pub async fn queue(&self) -> StoreResult<Vec<QueuedProfile>> {
        Ok(db_run!(self.0, |p| sqlx::query_as(
            "SELECT t.id AS therapist_id, t.full_name, pr.submitted_at
             FROM therapists t LEFT JOIN therapist_profiles pr ON pr.therapist_id = t.id
             WHERE t.status = 'pending_moderation' ORDER BY pr.submitted_at, t.id"
        )
        .fetch_all(p)
        .await?))
    }
}
