//! The recommendation score (R-CLI-4), pure: a client's answers against one candidate (an active
//! therapist for individual sessions, or a published group program) give a total and the typed
//! reasons behind it, so the bot can say "why" in one line in the client's own words.
//!
//! Every point of the total comes from exactly one reason (`Scored::total` is the sum of the
//! reasons' points), so a reason is never shown without having counted and nothing counts
//! without a reason. The weights come from `dialogues/recommendation.toml` (`MatchWeights`).
//!
//! The client's gender preference (R-CLI-2) counts only when the client has one and the
//! therapist's profile says their gender: a match gives `gender_match` points and is said in
//! "why"; "does not matter", a skipped question or a profile without gender give nothing and
//! exclude nobody.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use serde::Deserialize;

use super::money::Money;

string_enum! {
    /// A therapist's gender as their profile says it (optional), and a client's preference
    /// (the questionnaire's `gender`, R-CLI-2).
    pub enum Gender {
        Female => "female",
        Male => "male",
    }
}

/// How the client prefers to work (the questionnaire's `format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatPref {
    Individual,
    Group,
    Either,
}

/// A time of day the client is usually free (the questionnaire's `time_of_day`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TimeOfDay {
    Morning,
    Afternoon,
    Evening,
    Weekend,
}

impl TimeOfDay {
    /// The questionnaire option id.
    pub fn parse(id: &str) -> Option<Self> {
        match id {
            "morning" => Some(Self::Morning),
            "afternoon" => Some(Self::Afternoon),
            "evening" => Some(Self::Evening),
            "weekend" => Some(Self::Weekend),
            _ => None,
        }
    }
}

/// What the matching knows about the client, from their own answers.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientNeeds {
    /// The questionnaire's `request` options (anxiety, low_mood, ...).
    pub requests: Vec<String>,
    pub format: FormatPref,
    /// The most they want to pay per session; `None`: any price.
    pub budget: Option<Money>,
    /// Empty: no preference (every free time counts).
    pub times: Vec<TimeOfDay>,
    /// `ru` or `en`; `None`: any language.
    pub language: Option<String>,
    /// The client's zone: times of day are counted in it.
    pub zone: Tz,
    /// The latest PHQ-9/GAD-7 band is moderate or above, or the state scale is low.
    pub moderate_or_above: bool,
    /// The questionnaire's risk question or PHQ-9 item 9 (R-CLI-3).
    pub risk: bool,
    /// The therapist gender the client prefers; `None`: no preference.
    pub gender: Option<Gender>,
}

/// Individual sessions with a therapist, or a group program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CandidateKind {
    Individual,
    Group,
}

/// One thing that could be recommended.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Therapist id or program id (by `kind`).
    pub id: i64,
    pub kind: CandidateKind,
    /// Specialisation ids (dialogues/specializations.toml); for a program its approach and topic.
    pub specializations: Vec<String>,
    /// What THIS client would pay for one session (domain `quote_client_price`).
    pub price: Money,
    /// Language ids the therapist works in.
    pub languages: Vec<String>,
    /// Free times (starts, UTC) within the next 14 days.
    pub free_starts: Vec<DateTime<Utc>>,
    /// The (leading) therapist's gender, if their profile says it.
    pub gender: Option<Gender>,
}

/// Why a candidate was chosen; each carries what the bot needs to say it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// The client's request options (their own words) that the candidate works with.
    TopicMatch(Vec<String>),
    /// The format the client asked for.
    FormatMatch(CandidateKind),
    /// The price for this client is within the client's budget.
    WithinBudget,
    /// This many free times in the next 14 days fall in the client's preferred times of day.
    FitsYourTime(u32),
    /// Works in the language the client asked for.
    SpeaksYourLanguage(String),
    /// The therapist is of the gender the client prefers.
    GenderMatch(Gender),
    /// Moderate-and-above severity or risk: individual sessions first.
    IndividualFirst,
}

/// One reason and the points it gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub reason: Reason,
    pub points: u32,
}

/// A candidate's score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scored {
    pub id: i64,
    pub kind: CandidateKind,
    /// The sum of the parts' points.
    pub total: u32,
    /// Every reason with positive points, in a fixed order (topic, format, budget, time,
    /// language, gender, individual first).
    pub parts: Vec<Part>,
}

impl Scored {
    pub fn reasons(&self) -> impl Iterator<Item = &Reason> {
        self.parts.iter().map(|p| &p.reason)
    }
}

/// An inclusive-exclusive range of local hours `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hours {
    pub from: u32,
    pub to: u32,
}

/// The weights and mappings of `dialogues/recommendation.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchWeights {
    /// Points per request option the candidate works with.
    pub topic_per_match: u32,
    /// At most this many request options count.
    pub topic_max_matches: u32,
    pub format_match: u32,
    pub within_budget: u32,
    /// Points per free time that fits the client's times of day.
    pub time_per_slot: u32,
    /// At most this many free times count.
    pub time_max_slots: u32,
    pub language: u32,
    /// The therapist is of the gender the client prefers.
    pub gender_match: u32,
    pub individual_first: u32,
    /// A candidate below this total is not a match.
    pub min_score: u32,
    /// The state scale (0 worst .. 10 best) at or below this counts as moderate and above.
    pub state_moderate_at_most: u8,
    /// Request option -> specialisation ids that serve it.
    pub requests: BTreeMap<String, Vec<String>>,
    /// Budget option -> the most per session, in rubles (an option missing here: any price).
    pub budget_rubles: BTreeMap<String, u32>,
    pub morning: Hours,
    pub afternoon: Hours,
    pub evening: Hours,
}

impl MatchWeights {
    fn hours(&self, t: TimeOfDay) -> Option<Hours> {
        match t {
            TimeOfDay::Morning => Some(self.morning),
            TimeOfDay::Afternoon => Some(self.afternoon),
            TimeOfDay::Evening => Some(self.evening),
            TimeOfDay::Weekend => None,
        }
    }

    /// Whether a start falls in one of the client's times of day, in the client's zone; no
    /// preference: every time fits.
    pub fn fits_times(&self, start: DateTime<Utc>, times: &[TimeOfDay], zone: Tz) -> bool {
        if times.is_empty() {
            return true;
        }
        let local = start.with_timezone(&zone);
        let hour = local.hour();
        times.iter().any(|&t| match self.hours(t) {
            Some(h) => h.from <= hour && hour < h.to,
            None => matches!(local.weekday(), Weekday::Sat | Weekday::Sun),
        })
    }
}

/// Scores one candidate for the client; `None` when it cannot serve them at all (it does not
/// speak the language they asked for).
pub fn score(needs: &ClientNeeds, c: &Candidate, w: &MatchWeights, now: DateTime<Utc>) -> Option<Scored> {
    if let Some(lang) = &needs.language {
        if !c.languages.iter().any(|l| l == lang) {
            return None;
        }
    }
    let mut parts = Vec::new();
    let mut push = |reason: Reason, points: u32| {
        if points > 0 {
            parts.push(Part { reason, points });
        }
    };
    let matched: Vec<String> = needs
        .requests
        .iter()
        .filter(|r| {
            w.requests
                .get(r.as_str())
                .is_some_and(|ids| ids.iter().any(|id| c.specializations.contains(id)))
        })
        .cloned()
        .collect();
    let counted = u32::try_from(matched.len())
        .unwrap_or(u32::MAX)
        .min(w.topic_max_matches);
    push(Reason::TopicMatch(matched), counted.saturating_mul(w.topic_per_match));
    let format_ok = match (needs.format, c.kind) {
        (FormatPref::Either, _) => true,
        (FormatPref::Individual, k) => k == CandidateKind::Individual,
        (FormatPref::Group, k) => k == CandidateKind::Group,
    };
    if format_ok {
        push(Reason::FormatMatch(c.kind), w.format_match);
    }
    if needs.budget.is_some_and(|b| c.price <= b) {
        push(Reason::WithinBudget, w.within_budget);
    }
    let horizon = now + chrono::TimeDelta::days(14);
    let fitting = c
        .free_starts
        .iter()
        .filter(|&&s| s >= now && s < horizon && w.fits_times(s, &needs.times, needs.zone))
        .count();
    let fitting = u32::try_from(fitting).unwrap_or(u32::MAX);
    push(
        Reason::FitsYourTime(fitting),
        fitting.min(w.time_max_slots).saturating_mul(w.time_per_slot),
    );
    if let Some(lang) = &needs.language {
        push(Reason::SpeaksYourLanguage(lang.clone()), w.language);
    }
    if let Some(g) = needs.gender.filter(|g| c.gender == Some(*g)) {
        push(Reason::GenderMatch(g), w.gender_match);
    }
    if (needs.moderate_or_above || needs.risk) && c.kind == CandidateKind::Individual {
        push(Reason::IndividualFirst, w.individual_first);
    }
    let total = parts.iter().fold(0u32, |sum, p| sum.saturating_add(p.points));
    Some(Scored {
        id: c.id,
        kind: c.kind,
        total,
        parts,
    })
}

/// Whether individual sessions go first for this client (moderate and above, or risk).
pub fn individual_first(needs: &ClientNeeds) -> bool {
    needs.moderate_or_above || needs.risk
}

/// The matches (total at least `min_score`), best first: with moderate-and-above severity or
/// risk every individual candidate before any group; then by total, then by id (stable).
pub fn rank(needs: &ClientNeeds, candidates: &[Candidate], w: &MatchWeights, now: DateTime<Utc>) -> Vec<Scored> {
    let mut out: Vec<Scored> = candidates
        .iter()
        .filter_map(|c| score(needs, c, w, now))
        .filter(|s| s.total >= w.min_score && s.total > 0)
        .collect();
    let first = individual_first(needs);
    out.sort_by(|a, b| {
        let kind = |s: &Scored| if first { s.kind } else { CandidateKind::Individual };
        kind(a)
            .cmp(&kind(b))
            .then(b.total.cmp(&a.total))
            .then(a.kind.cmp(&b.kind))
            .then(a.id.cmp(&b.id))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use chrono_tz::{Asia::Novosibirsk, Europe::Moscow};
    use proptest::prelude::*;

    fn weights() -> MatchWeights {
        let text = include_str!("../../dialogues/recommendation.toml");
        toml::from_str(text).expect("the weights file parses")
    }

    fn now() -> DateTime<Utc> {
        // Friday 27 Nov 2026, 09:00 UTC = 12:00 Moscow.
        Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap()
    }

    fn msk(d: u32, h: u32) -> DateTime<Utc> {
        Moscow
            .with_ymd_and_hms(2026, 11, d, h, 0, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn needs() -> ClientNeeds {
        ClientNeeds {
            requests: vec!["anxiety".into(), "burnout".into()],
            format: FormatPref::Individual,
            budget: Some(Money::rubles(4000)),
            times: vec![TimeOfDay::Evening],
            language: Some("ru".into()),
            zone: Moscow,
            moderate_or_above: false,
            risk: false,
            gender: None,
        }
    }

    fn therapist(id: i64, specs: &[&str], rubles: u32, starts: Vec<DateTime<Utc>>) -> Candidate {
        Candidate {
            id,
            kind: CandidateKind::Individual,
            specializations: specs.iter().map(|s| s.to_string()).collect(),
            price: Money::rubles(rubles),
            languages: vec!["ru".into()],
            free_starts: starts,
            gender: None,
        }
    }

    fn reasons(s: &Scored) -> Vec<Reason> {
        s.reasons().cloned().collect()
    }

    #[test]
    fn the_file_maps_every_request_option_and_budget() {
        let w = weights();
        for r in [
            "anxiety",
            "low_mood",
            "relationships",
            "family",
            "burnout",
            "grief",
            "trauma",
            "self_esteem",
            "life_changes",
            "other",
        ] {
            assert!(w.requests.contains_key(r), "{r}");
        }
        assert_eq!(w.budget_rubles.get("up_to_2500"), Some(&2500));
        assert!(!w.budget_rubles.contains_key("any"));
    }

    #[test]
    fn a_full_match_names_every_reason() {
        let w = weights();
        let c = therapist(
            1,
            &["anxiety", "burnout", "cbt"],
            3500,
            vec![msk(28, 19), msk(29, 20), msk(30, 10)],
        );
        let s = score(&needs(), &c, &w, now()).unwrap();
        assert_eq!(
            reasons(&s),
            vec![
                Reason::TopicMatch(vec!["anxiety".into(), "burnout".into()]),
                Reason::FormatMatch(CandidateKind::Individual),
                Reason::WithinBudget,
                Reason::FitsYourTime(2),
                Reason::SpeaksYourLanguage("ru".into()),
            ]
        );
        assert_eq!(
            s.total,
            2 * w.topic_per_match + w.format_match + w.within_budget + 2 * w.time_per_slot + w.language
        );
    }

    #[test]
    fn over_budget_gives_no_budget_reason_and_any_budget_none_either() {
        let w = weights();
        let c = therapist(1, &["anxiety"], 4001, vec![]);
        let s = score(&needs(), &c, &w, now()).unwrap();
        assert!(!reasons(&s).contains(&Reason::WithinBudget));
        let exact = therapist(1, &["anxiety"], 4000, vec![]);
        assert!(reasons(&score(&needs(), &exact, &w, now()).unwrap()).contains(&Reason::WithinBudget));
        let any = ClientNeeds {
            budget: None,
            ..needs()
        };
        assert!(!reasons(&score(&any, &exact, &w, now()).unwrap()).contains(&Reason::WithinBudget));
    }

    #[test]
    fn another_language_is_not_a_candidate_and_any_language_gives_no_reason() {
        let w = weights();
        let mut c = therapist(1, &["anxiety"], 3000, vec![]);
        c.languages = vec!["en".into()];
        assert_eq!(score(&needs(), &c, &w, now()), None);
        let any = ClientNeeds {
            language: None,
            ..needs()
        };
        let s = score(&any, &c, &w, now()).unwrap();
        assert!(!s.reasons().any(|r| matches!(r, Reason::SpeaksYourLanguage(_))));
    }

    #[test]
    fn times_of_day_are_counted_in_the_clients_zone() {
        let w = weights();
        // 15:00 UTC = 18:00 Moscow (evening) = 22:00 Novosibirsk (evening too);
        // 12:00 UTC = 15:00 Moscow (afternoon) = 19:00 Novosibirsk (evening).
        let a = Utc.with_ymd_and_hms(2026, 11, 30, 15, 0, 0).unwrap();
        let b = Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap();
        let c = therapist(1, &[], 3000, vec![a, b]);
        let moscow = score(&needs(), &c, &w, now()).unwrap();
        assert!(reasons(&moscow).contains(&Reason::FitsYourTime(1)));
        let nsk = ClientNeeds {
            zone: Novosibirsk,
            ..needs()
        };
        assert!(reasons(&score(&nsk, &c, &w, now()).unwrap()).contains(&Reason::FitsYourTime(2)));
    }

    #[test]
    fn weekend_is_saturday_and_sunday_local_and_no_preference_counts_all() {
        let w = weights();
        let sat = msk(28, 11);
        let mon = msk(30, 11);
        let c = therapist(1, &[], 3000, vec![sat, mon]);
        let weekend = ClientNeeds {
            times: vec![TimeOfDay::Weekend],
            ..needs()
        };
        assert!(reasons(&score(&weekend, &c, &w, now()).unwrap()).contains(&Reason::FitsYourTime(1)));
        let none = ClientNeeds {
            times: vec![],
            ..needs()
        };
        assert!(reasons(&score(&none, &c, &w, now()).unwrap()).contains(&Reason::FitsYourTime(2)));
    }

    #[test]
    fn only_the_next_14_days_count_and_the_cap_holds() {
        let w = weights();
        let past = now() - chrono::TimeDelta::hours(1);
        let late = now() + chrono::TimeDelta::days(14);
        let c = therapist(1, &[], 3000, vec![past, late]);
        let none = ClientNeeds {
            times: vec![],
            ..needs()
        };
        let s = score(&none, &c, &w, now()).unwrap();
        assert!(!s.reasons().any(|r| matches!(r, Reason::FitsYourTime(_))));
        let many: Vec<_> = (0..40).map(|i| now() + chrono::TimeDelta::hours(2 + i)).collect();
        let c = therapist(1, &[], 3000, many);
        let s = score(&none, &c, &w, now()).unwrap();
        let part = s.parts.iter().find(|p| p.reason == Reason::FitsYourTime(40)).unwrap();
        assert_eq!(part.points, w.time_max_slots * w.time_per_slot);
    }

    #[test]
    fn topics_are_capped_and_mapped_through_the_file() {
        let w = weights();
        // low_mood is served by "depression" in the file.
        let n = ClientNeeds {
            requests: vec!["low_mood".into()],
            ..needs()
        };
        let c = therapist(1, &["depression"], 9000, vec![]);
        assert!(reasons(&score(&n, &c, &w, now()).unwrap()).contains(&Reason::TopicMatch(vec!["low_mood".into()])));
        let all: Vec<String> = w.requests.keys().cloned().collect();
        let every: Vec<String> = w.requests.values().flatten().cloned().collect();
        let n = ClientNeeds {
            requests: all,
            ..needs()
        };
        let c = Candidate {
            specializations: every,
            ..therapist(1, &[], 9000, vec![])
        };
        let s = score(&n, &c, &w, now()).unwrap();
        assert_eq!(s.parts[0].points, w.topic_max_matches * w.topic_per_match);
    }

    #[test]
    fn moderate_or_risk_puts_individual_first() {
        let w = weights();
        let group = Candidate {
            id: 10,
            kind: CandidateKind::Group,
            ..therapist(
                10,
                &["anxiety", "burnout"],
                1000,
                vec![msk(28, 19), msk(29, 19), msk(30, 19)],
            )
        };
        let weak = therapist(2, &["anxiety"], 9000, vec![]);
        let either = ClientNeeds {
            format: FormatPref::Either,
            ..needs()
        };
        let calm = rank(&either, &[weak.clone(), group.clone()], &w, now());
        assert_eq!(calm[0].id, 10, "without severity the better group leads");
        for n in [
            ClientNeeds {
                moderate_or_above: true,
                ..either.clone()
            },
            ClientNeeds {
                risk: true,
                ..either.clone()
            },
        ] {
            let ranked = rank(&n, &[group.clone(), weak.clone()], &w, now());
            assert_eq!(
                ranked.iter().map(|s| s.kind).collect::<Vec<_>>(),
                [CandidateKind::Individual, CandidateKind::Group]
            );
            assert!(ranked[0].reasons().any(|r| *r == Reason::IndividualFirst));
            assert!(!ranked[1].reasons().any(|r| *r == Reason::IndividualFirst));
        }
    }

    #[test]
    fn a_preferred_gender_counts_only_when_it_matches_and_no_preference_changes_nothing() {
        let w = weights();
        let woman = Candidate {
            gender: Some(Gender::Female),
            ..therapist(1, &["anxiety"], 3000, vec![])
        };
        let man = Candidate {
            gender: Some(Gender::Male),
            ..therapist(2, &["anxiety"], 3000, vec![])
        };
        let unsaid = therapist(3, &["anxiety"], 3000, vec![]);
        let wants_woman = ClientNeeds {
            gender: Some(Gender::Female),
            ..needs()
        };
        let s = score(&wants_woman, &woman, &w, now()).unwrap();
        assert!(reasons(&s).contains(&Reason::GenderMatch(Gender::Female)));
        let base = score(&needs(), &woman, &w, now()).unwrap();
        assert_eq!(s.total, base.total + w.gender_match);
        // A man or a profile without gender: no points, but still a candidate.
        for c in [&man, &unsaid] {
            let s = score(&wants_woman, c, &w, now()).unwrap();
            assert!(!s.reasons().any(|r| matches!(r, Reason::GenderMatch(_))));
            assert_eq!(s, score(&needs(), c, &w, now()).unwrap());
        }
        // The preferred gender ranks first among otherwise equal therapists.
        let ranked = rank(&wants_woman, &[man.clone(), unsaid.clone(), woman.clone()], &w, now());
        assert_eq!(ranked.iter().map(|s| s.id).collect::<Vec<_>>(), [1, 2, 3]);
        let wants_man = ClientNeeds {
            gender: Some(Gender::Male),
            ..needs()
        };
        let ranked = rank(&wants_man, &[woman.clone(), unsaid.clone(), man.clone()], &w, now());
        assert_eq!(ranked[0].id, 2);
        // No preference: the order is by id, as without genders.
        let ranked = rank(&needs(), &[man, unsaid, woman], &w, now());
        assert_eq!(ranked.iter().map(|s| s.id).collect::<Vec<_>>(), [1, 2, 3]);
    }

    #[test]
    fn below_min_score_is_no_match_and_ties_break_by_id() {
        let w = weights();
        let n = ClientNeeds {
            requests: vec!["grief".into()],
            budget: Some(Money::rubles(1000)),
            times: vec![TimeOfDay::Morning],
            language: None,
            format: FormatPref::Group,
            ..needs()
        };
        assert!(rank(&n, &[therapist(1, &["cbt"], 9000, vec![])], &w, now()).is_empty());
        let a = therapist(7, &["anxiety"], 3000, vec![]);
        let b = therapist(3, &["anxiety"], 3000, vec![]);
        let ranked = rank(&needs(), &[a, b], &w, now());
        assert_eq!(ranked.iter().map(|s| s.id).collect::<Vec<_>>(), [3, 7]);
    }

    fn arb_needs() -> impl Strategy<Value = ClientNeeds> {
        let opts = prop::sample::subsequence(
            vec!["anxiety", "low_mood", "family", "grief", "other", "nonsense"],
            0..6,
        );
        (
            opts,
            0u8..3,
            prop::option::of(0u32..100_000),
            prop::sample::subsequence(
                vec![
                    TimeOfDay::Morning,
                    TimeOfDay::Afternoon,
                    TimeOfDay::Evening,
                    TimeOfDay::Weekend,
                ],
                0..4,
            ),
            prop::option::of(prop::sample::select(vec!["ru", "en", "xx"])),
            any::<bool>(),
            any::<bool>(),
            prop::option::of(prop::sample::select(vec![Gender::Female, Gender::Male])),
        )
            .prop_map(|(r, f, b, t, l, m, risk, gender)| ClientNeeds {
                requests: r.into_iter().map(String::from).collect(),
                format: [FormatPref::Individual, FormatPref::Group, FormatPref::Either][f as usize],
                budget: b.map(Money::rubles),
                times: t,
                language: l.map(String::from),
                zone: if m { Moscow } else { Novosibirsk },
                moderate_or_above: m,
                risk,
                gender,
            })
    }

    fn arb_candidate() -> impl Strategy<Value = Candidate> {
        (
            any::<i64>(),
            any::<bool>(),
            prop::sample::subsequence(vec!["anxiety", "depression", "grief", "cbt", "parenting", "zzz"], 0..6),
            0u32..1_000_000,
            prop::sample::subsequence(vec!["ru", "en", "other"], 0..3),
            prop::collection::vec(-100_000i64..3_000_000, 0..60),
            prop::option::of(prop::sample::select(vec![Gender::Female, Gender::Male])),
        )
            .prop_map(|(id, g, s, p, l, offs, gender)| Candidate {
                id,
                kind: if g {
                    CandidateKind::Group
                } else {
                    CandidateKind::Individual
                },
                specializations: s.into_iter().map(String::from).collect(),
                price: Money::rubles(p),
                languages: l.into_iter().map(String::from).collect(),
                free_starts: offs
                    .into_iter()
                    .map(|o| now() + chrono::TimeDelta::seconds(o))
                    .collect(),
                gender,
            })
    }

    proptest! {
        #[test]
        fn never_panics_and_reasons_add_up(n in arb_needs(), cs in prop::collection::vec(arb_candidate(), 0..8)) {
            let w = weights();
            for c in &cs {
                if let Some(s) = score(&n, c, &w, now()) {
                    prop_assert_eq!(s.total, s.parts.iter().map(|p| p.points).sum::<u32>());
                    prop_assert!(s.parts.iter().all(|p| p.points > 0));
                    for r in s.reasons() {
                        match r {
                            Reason::TopicMatch(t) => prop_assert!(!t.is_empty() && t.iter().all(|x| n.requests.contains(x))),
                            Reason::WithinBudget => prop_assert!(n.budget.is_some_and(|b| c.price <= b)),
                            Reason::FitsYourTime(k) => prop_assert!(*k > 0 && (*k as usize) <= c.free_starts.len()),
                            Reason::SpeaksYourLanguage(l) => prop_assert!(c.languages.contains(l)),
                            Reason::IndividualFirst => prop_assert!(c.kind == CandidateKind::Individual && (n.risk || n.moderate_or_above)),
                            Reason::FormatMatch(k) => prop_assert_eq!(*k, c.kind),
                            Reason::GenderMatch(g) => prop_assert!(n.gender == Some(*g) && c.gender == Some(*g)),
                        }
                    }
                } else {
                    prop_assert!(n.language.as_ref().is_some_and(|l| !c.languages.contains(l)));
                }
            }
            let ranked = rank(&n, &cs, &w, now());
            prop_assert!(ranked.iter().all(|s| s.total >= w.min_score));
            if individual_first(&n) {
                let kinds: Vec<_> = ranked.iter().map(|s| s.kind).collect();
                let mut sorted = kinds.clone();
                sorted.sort();
                prop_assert_eq!(kinds, sorted);
            }
        }
    }
}
