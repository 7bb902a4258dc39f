//! Read queries for the client's catalogue and recommendations (R-CLI-4): only ACTIVE
//! therapists (a suspended, pending or rejected one never appears) and only PUBLISHED group
//! programs (R-GRP-2). Nothing here writes.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::programs::{self, Program};
use super::{Db, StoreError, StoreResult};
use crate::db_run;
use crate::domain::matching::Gender;
use crate::domain::Money;

/// An active therapist as the catalogue lists them.
#[derive(Debug, Clone, PartialEq)]
pub struct ListedTherapist {
    pub id: i64,
    pub full_name: String,
    /// The therapist's zone name, if set.
    pub time_zone: Option<String>,
    /// Language ids (`ru`, `en`, `other`).
    pub languages: Vec<String>,
    /// Specialisation ids, sorted.
    pub specializations: Vec<String>,
    /// The current price of an individual session for new clients, if set.
    pub individual_price: Option<Money>,
    /// Starts of open individual slots with a free seat in the asked window, in time order.
    pub free_starts: Vec<DateTime<Utc>>,
    /// The gender the profile says, if any (matched against the client's preference).
    pub gender: Option<Gender>,
}

#[derive(FromRow)]
struct TherapistRow {
    id: i64,
    full_name: String,
    time_zone: Option<String>,
    languages: Option<String>,
    gender: Option<String>,
}

/// Catalogue read queries.
#[derive(Debug, Clone)]
pub struct Listings<'a>(pub &'a Db);

impl Listings<'_> {
    /// Every active therapist with specialisations, individual price and the free individual
    /// times starting in `[from, to)`; ordered by id.
    pub async fn active_therapists(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Vec<ListedTherapist>> {
        let rows: Vec<TherapistRow> = db_run!(self.0, |p| sqlx::query_as(
            "SELECT t.id, t.full_name, t.time_zone, p.languages, p.gender FROM therapists t
             LEFT JOIN therapist_profiles p ON p.therapist_id = t.id
             WHERE t.status = 'active' ORDER BY t.id"
        )
        .fetch_all(p)
        .await?);
        let specs: Vec<(i64, String)> = db_run!(self.0, |p| sqlx::query_as(
            "SELECT s.therapist_id, s.item_id FROM therapist_specializations s
             JOIN therapists t ON t.id = s.therapist_id
             WHERE t.status = 'active' ORDER BY s.therapist_id, s.item_id"
        )
        .fetch_all(p)
        .await?);
        let prices: Vec<(i64, i64)> = db_run!(self.0, |p| sqlx::query_as(
            "SELECT pr.therapist_id, pr.amount_kopecks FROM therapist_prices pr
             JOIN therapists t ON t.id = pr.therapist_id
             WHERE t.status = 'active' AND pr.kind = 'individual'"
        )
        .fetch_all(p)
        .await?);
        let slots: Vec<(i64, DateTime<Utc>)> = db_run!(self.0, |p| sqlx::query_as(
            "SELECT s.therapist_id, s.starts_at FROM slots s
             JOIN therapists t ON t.id = s.therapist_id
             WHERE t.status = 'active' AND s.kind = 'individual' AND s.status = 'open'
               AND s.booked < s.capacity AND s.starts_at >= $1 AND s.starts_at < $2
             ORDER BY s.therapist_id, s.starts_at"
        )
        .bind(from)
        .bind(to)
        .fetch_all(p)
        .await?);
        let mut spec_map: BTreeMap<i64, Vec<String>> = BTreeMap::new();
        for (id, item) in specs {
            spec_map.entry(id).or_default().push(item);
        }
        let mut price_map = BTreeMap::new();
        for (id, kopecks) in prices {
            let m = Money::from_kopecks(kopecks)
                .map_err(|_| StoreError::Corrupt(format!("therapist_prices.amount_kopecks = {kopecks}")))?;
            price_map.insert(id, m);
        }
        let mut slot_map: BTreeMap<i64, Vec<DateTime<Utc>>> = BTreeMap::new();
        for (id, at) in slots {
            slot_map.entry(id).or_default().push(at);
        }
        rows.into_iter()
            .map(|r| {
                Ok(ListedTherapist {
                    id: r.id,
                    full_name: r.full_name,
                    time_zone: r.time_zone,
                    languages: r
                        .languages
                        .unwrap_or_default()
                        .split(',')
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect(),
                    specializations: spec_map.remove(&r.id).unwrap_or_default(),
                    individual_price: price_map.get(&r.id).copied(),
                    free_starts: slot_map.remove(&r.id).unwrap_or_default(),
                    gender: r
                        .gender
                        .as_deref()
                        .map(|g| super::parse_col(g, "therapist_profiles.gender"))
                        .transpose()?,
                })
            })
            .collect()
    }

    /// Free places of each published program with meetings ahead: the free seats of its next
    /// open meeting starting after `now` (R-GRP-4). A program with no meeting ahead is absent.
    pub async fn free_places(&self, now: DateTime<Utc>) -> StoreResult<std::collections::HashMap<i64, i32>> {
        let rows: Vec<(i64, i32, i32)> = db_run!(self.0, |p| sqlx::query_as(
            "SELECT s.program_id, s.capacity, s.booked FROM slots s
             JOIN group_programs g ON g.id = s.program_id
             WHERE g.status = 'published' AND s.status = 'open' AND s.starts_at > $1
             ORDER BY s.program_id, s.starts_at"
        )
        .bind(now)
        .fetch_all(p)
        .await?);
        let mut out = std::collections::HashMap::new();
        for (program, capacity, booked) in rows {
            out.entry(program).or_insert((capacity - booked).max(0));
        }
        Ok(out)
    }

    /// Published programs of active therapists, by id (their free places:
    /// [`Listings::free_places`]).
    pub async fn published_programs(&self) -> StoreResult<Vec<Program>> {
        let cols = programs::COLUMNS
            .split(',')
            .map(|c| format!("g.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT {cols} FROM group_programs g JOIN therapists t ON t.id = g.therapist_id
             WHERE g.status = 'published' AND t.status = 'active' ORDER BY g.id"
        );
        let rows: Vec<programs::Row> = db_run!(self.0, |p| sqlx::query_as(&sql).fetch_all(p).await?);
        rows.into_iter().map(Program::try_from).collect()
    }
}
