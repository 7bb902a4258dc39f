//! Recommendations (R-CLI-4): from the client's own answers (questionnaire, latest PHQ-9/GAD-7)
//! the domain score ranks the ACTIVE therapists and the PUBLISHED group programs; the top three
//! therapists and the fitting programs are shown, each with "why" in one line, and a button to
//! the therapist's card (`cb:c:<id>`, owned by the card's module). With risk or moderate and
//! above severity individual sessions come first and the words are gentle (R-CLI-3: the crisis
//! lines were already shown by the intake). Nothing fits: said plainly, with the catalogue.

use chrono::{DateTime, Datelike, NaiveTime, TimeDelta, Utc};
use chrono_tz::Tz;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use super::catalog::{catalogue_button, client_price};
use crate::bot::html::escape;
use crate::bot::notices::money;
use crate::bot::{Cx, HandlerResult};
use crate::catalog::questionnaire::{option_key, Answer};
use crate::domain::matching::{
    individual_first, rank, Candidate, CandidateKind, ClientNeeds, FormatPref, Gender, MatchWeights, Reason, Scored,
    TimeOfDay,
};
use crate::domain::schedule::resolve_local;
use crate::domain::{Money, SeverityBand, TestKind};
use crate::i18n::{Lang, Locales};
use crate::store::catalog::{ListedTherapist, Listings};
use crate::store::intake::{Intake, StoredTest};
use crate::store::programs::Program;
use crate::tr;

/// How many therapists are shown.
const TOP: usize = 3;
/// The window of free times considered.
const DAYS: i64 = 14;

/// The client's needs from their own answers and their latest PHQ-9/GAD-7 (newest first).
/// A gender preference ("female"/"male") counts against the therapist's profile; "any" or a
/// skipped question is no preference.
pub fn needs_from(
    answers: &std::collections::BTreeMap<String, Answer>,
    intake_risk: bool,
    tests: &[StoredTest],
    w: &MatchWeights,
    zone: Tz,
) -> ClientNeeds {
    let options = |q: &str| match answers.get(q) {
        Some(Answer::Options(o)) => o.clone(),
        _ => Vec::new(),
    };
    let first = |q: &str| options(q).into_iter().next().unwrap_or_default();
    let format = match first("format").as_str() {
        "individual" => FormatPref::Individual,
        "group" => FormatPref::Group,
        _ => FormatPref::Either,
    };
    let budget = w.budget_rubles.get(&first("budget")).map(|&r| Money::rubles(r));
    let times = options("time_of_day")
        .iter()
        .filter_map(|t| TimeOfDay::parse(t))
        .collect();
    let language = Some(first("language")).filter(|l| l == "ru" || l == "en");
    // Tests are newest first: the latest of each kind counts.
    let latest = |k: TestKind| tests.iter().find(|t| t.kind == k);
    let test_moderate = [TestKind::Phq9, TestKind::Gad7]
        .into_iter()
        .filter_map(latest)
        .any(|t| t.band >= SeverityBand::Moderate);
    let state_low = matches!(answers.get("state"), Some(Answer::Scale(v)) if *v <= w.state_moderate_at_most);
    let test_risk = latest(TestKind::Phq9).is_some_and(|t| t.risk);
    ClientNeeds {
        requests: options("request"),
        format,
        budget,
        times,
        language,
        zone,
        moderate_or_above: test_moderate || state_low,
        risk: intake_risk || test_risk,
        gender: first("gender").parse::<Gender>().ok(),
    }
}

/// The weekly meetings of a program in `[now, now + days)`, from its weekday and local time
/// in the therapist's zone.
pub fn program_starts(p: &Program, zone: Tz, now: DateTime<Utc>, days: i64) -> Vec<DateTime<Utc>> {
    let Ok(time) = NaiveTime::parse_from_str(&p.fields.local_time, "%H:%M") else {
        return Vec::new();
    };
    let today = now.with_timezone(&zone).date_naive();
    (0..=days)
        .filter_map(|d| today.checked_add_signed(TimeDelta::days(d)))
        .filter(|d| i64::from(d.weekday().number_from_monday()) == i64::from(p.fields.weekday))
        .filter_map(|d| resolve_local(zone, d.and_time(time)).ok().map(|(t, _)| t))
        .filter(|&t| t >= now && t < now + TimeDelta::days(days))
        .collect()
}

/// The therapist's zone, or the default.
pub fn zone_of(t: &ListedTherapist, default: Tz) -> Tz {
    t.time_zone.as_deref().and_then(|z| z.parse().ok()).unwrap_or(default)
}

/// One line of "why", in the client's own words.
pub fn why(l: &Locales, lang: Lang, s: &Scored) -> String {
    let parts: Vec<String> = s
        .reasons()
        .map(|r| match r {
            Reason::TopicMatch(req) => {
                let topics = req
                    .iter()
                    .map(|o| {
                        tr!(
                            l,
                            lang,
                            "rec-why-topic",
                            topic = l.text(lang, &option_key("request", o), None)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                tr!(l, lang, "rec-why-topics", topics = topics)
            }
            Reason::FormatMatch(CandidateKind::Individual) => tr!(l, lang, "rec-why-format-individual"),
            Reason::FormatMatch(CandidateKind::Group) => tr!(l, lang, "rec-why-format-group"),
            Reason::WithinBudget => tr!(l, lang, "rec-why-budget"),
            Reason::FitsYourTime(n) => tr!(l, lang, "rec-why-time", count = i64::from(*n)),
            Reason::SpeaksYourLanguage(code) if code == "en" => tr!(l, lang, "rec-why-language-en"),
            Reason::SpeaksYourLanguage(_) => tr!(l, lang, "rec-why-language-ru"),
            Reason::GenderMatch(Gender::Female) => tr!(l, lang, "rec-why-gender-female"),
            Reason::GenderMatch(Gender::Male) => tr!(l, lang, "rec-why-gender-male"),
            Reason::IndividualFirst => tr!(l, lang, "rec-why-individual-first"),
        })
        .collect();
    tr!(l, lang, "rec-why", reasons = parts.join(" · "))
}

/// After a saved test result: the recommendation again, if the questionnaire is complete
/// (otherwise the client is in the middle of something else: nothing is added).
pub async fn show_after_test(cx: &Cx) -> HandlerResult {
    let done = Intake(&cx.app.db)
        .get(cx.actor.user.telegram_id)
        .await?
        .is_some_and(|r| r.completed_at.is_some());
    if done {
        show(cx).await?;
    }
    Ok(())
}

/// `/recommend`, and after the questionnaire or a test: the explained recommendation.
pub async fn show(cx: &Cx) -> HandlerResult {
    let id = cx.actor.user.telegram_id;
    let intake = Intake(&cx.app.db);
    let Some(record) = intake.get(id).await?.filter(|r| r.completed_at.is_some()) else {
        cx.send(tr!(cx.l(), cx.lang(), "rec-need-questionnaire")).await?;
        return Ok(());
    };
    let tests = intake.tests(id).await?;
    let w = &cx.app.catalog.recommendation.weights;
    let now = cx.app.clock.now();
    let needs = needs_from(&record.progress.answers, record.risk, &tests, w, cx.tz());
    let listings = Listings(&cx.app.db);
    let therapists = listings.active_therapists(now, now + TimeDelta::days(DAYS)).await?;
    // R-CLI-4: only programs with free places are recommended.
    let places = listings.free_places(now).await?;
    let programs: Vec<Program> = listings
        .published_programs()
        .await?
        .into_iter()
        .filter(|p| places.get(&p.id).is_some_and(|n| *n > 0))
        .collect();
    let locks = super::catalog::client_locks(cx).await?;
    let mut candidates: Vec<Candidate> = therapists
        .iter()
        .filter_map(|t| {
            Some(Candidate {
                id: t.id,
                kind: CandidateKind::Individual,
                specializations: t.specializations.clone(),
                price: client_price(cx, &locks, t.id, t.individual_price?, now),
                languages: t.languages.clone(),
                free_starts: t.free_starts.clone(),
                gender: t.gender,
            })
        })
        .collect();
    for p in &programs {
        let Some(t) = therapists.iter().find(|t| t.id == p.therapist_id) else {
            continue;
        };
        candidates.push(Candidate {
            id: p.id,
            kind: CandidateKind::Group,
            specializations: vec![p.fields.approach.clone(), p.fields.topic.clone()],
            price: p.fields.price,
            languages: t.languages.clone(),
            free_starts: program_starts(p, zone_of(t, cx.app.default_tz), now, DAYS),
            gender: t.gender,
        });
    }
    let ranked = rank(&needs, &candidates, w, now);
    let top: Vec<&Scored> = ranked
        .iter()
        .filter(|s| s.kind == CandidateKind::Individual)
        .take(TOP)
        .collect();
    let groups: Vec<&Scored> = ranked.iter().filter(|s| s.kind == CandidateKind::Group).collect();
    let (l, lang) = (cx.l(), cx.lang());
    if top.is_empty() && groups.is_empty() {
        let kb = InlineKeyboardMarkup::new(vec![vec![catalogue_button(cx)]]);
        cx.send_with(tr!(l, lang, "rec-none"), kb).await?;
        return Ok(());
    }
    let mut blocks = Vec::new();
    let mut rows = Vec::new();
    let gentle = individual_first(&needs) && !top.is_empty();
    blocks.push(if gentle {
        tr!(l, lang, "rec-title-gentle")
    } else {
        tr!(l, lang, "rec-title")
    });
    for (n, s) in top.iter().enumerate() {
        let Some(t) = therapists.iter().find(|t| t.id == s.id) else {
            continue;
        };
        let Some(c) = candidates.iter().find(|c| c.id == s.id && c.kind == s.kind) else {
            continue;
        };
        let name = escape(&t.full_name);
        blocks.push(format!(
            "{}\n{}",
            tr!(
                l,
                lang,
                "rec-therapist",
                n = (n + 1) as i64,
                name = name.clone(),
                price = money(lang, c.price)
            ),
            why(l, lang, s)
        ));
        rows.push(vec![InlineKeyboardButton::callback(
            tr!(l, lang, "rec-btn-profile", name = t.full_name.clone()),
            format!("cb:c:{}", t.id),
        )]);
    }
    if !groups.is_empty() {
        let mut lines = vec![tr!(l, lang, "rec-programs-title")];
        for s in &groups {
            let Some(p) = programs.iter().find(|p| p.id == s.id) else {
                continue;
            };
            let approach = cx
                .app
                .catalog
                .specializations
                .item(&p.fields.approach)
                .map_or_else(|| p.fields.approach.clone(), |i| i.label(lang).to_owned());
            lines.push(format!(
                "{}\n{}",
                tr!(
                    l,
                    lang,
                    "rec-program",
                    title = escape(&p.fields.title),
                    approach = escape(&approach),
                    price = money(lang, p.fields.price),
                    places = i64::from(places.get(&p.id).copied().unwrap_or(0))
                ),
                why(l, lang, s)
            ));
            rows.push(vec![InlineKeyboardButton::callback(
                tr!(
                    l,
                    lang,
                    "enrol-btn-open-program",
                    title = crate::bot::html::truncate(&p.fields.title, 40)
                ),
                crate::bot::client::booking::CbPress::Program(p.id).data(),
            )]);
        }
        blocks.push(lines.join("\n\n"));
    }
    rows.push(vec![catalogue_button(cx)]);
    cx.send_with(blocks.join("\n\n"), InlineKeyboardMarkup::new(rows))
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use chrono::TimeZone;
    use chrono_tz::Europe::Moscow;

    use super::*;
    use crate::catalog::Catalog;

    fn opts(v: &[&str]) -> Answer {
        Answer::Options(v.iter().map(|s| s.to_string()).collect())
    }

    fn answers(state: u8) -> BTreeMap<String, Answer> {
        BTreeMap::from([
            ("request".to_owned(), opts(&["anxiety", "grief"])),
            ("state".to_owned(), Answer::Scale(state)),
            ("format".to_owned(), opts(&["either"])),
            ("budget".to_owned(), opts(&["up_to_2500"])),
            ("time_of_day".to_owned(), opts(&["evening", "weekend"])),
            ("gender".to_owned(), opts(&["female"])),
            ("language".to_owned(), opts(&["any"])),
        ])
    }

    fn test(kind: TestKind, band: SeverityBand, risk: bool, minutes: i64) -> StoredTest {
        StoredTest {
            kind,
            total: 0,
            band,
            risk,
            taken_at: Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap() + TimeDelta::minutes(minutes),
        }
    }

    #[test]
    fn answers_become_needs() {
        let c = Catalog::embedded().unwrap();
        let w = &c.recommendation.weights;
        let n = needs_from(&answers(7), false, &[], w, Moscow);
        assert_eq!(n.requests, vec!["anxiety", "grief"]);
        assert_eq!(n.format, FormatPref::Either);
        assert_eq!(n.budget, Some(Money::rubles(2500)));
        assert_eq!(n.times, vec![TimeOfDay::Evening, TimeOfDay::Weekend]);
        assert_eq!(n.language, None, "any language");
        assert_eq!(n.gender, Some(Gender::Female));
        let mut any = answers(7);
        any.insert("gender".to_owned(), opts(&["any"]));
        assert_eq!(needs_from(&any, false, &[], w, Moscow).gender, None, "no preference");
        any.insert("gender".to_owned(), Answer::Skipped);
        assert_eq!(needs_from(&any, false, &[], w, Moscow).gender, None, "skipped");
        assert!(!n.moderate_or_above && !n.risk);
        // The state scale at or below the file's threshold counts as moderate and above.
        assert!(needs_from(&answers(w.state_moderate_at_most), false, &[], w, Moscow).moderate_or_above);
        assert!(needs_from(&answers(7), true, &[], w, Moscow).risk);
    }

    #[test]
    fn the_latest_test_of_each_kind_counts() {
        let c = Catalog::embedded().unwrap();
        let w = &c.recommendation.weights;
        // Newest first: the latest PHQ-9 is mild although an older one was severe.
        let tests = [
            test(TestKind::Phq9, SeverityBand::Mild, false, 10),
            test(TestKind::Phq9, SeverityBand::Severe, true, 0),
        ];
        let n = needs_from(&answers(7), false, &tests, w, Moscow);
        assert!(!n.moderate_or_above && !n.risk);
        let tests = [test(TestKind::Gad7, SeverityBand::Moderate, false, 0)];
        assert!(needs_from(&answers(7), false, &tests, w, Moscow).moderate_or_above);
        let tests = [test(TestKind::Phq9, SeverityBand::Minimal, true, 0)];
        assert!(needs_from(&answers(7), false, &tests, w, Moscow).risk, "PHQ-9 item 9");
    }
}
