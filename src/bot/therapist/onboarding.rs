//! The onboarding checklist (R-ONB-2..9): one message that says what is done and what is
//! missing, with a button per step; the button-driven steps (languages, time zone,
//! specialisation, tax status, agreements) are answered by editing that message in place. Typed
//! and uploaded answers are taken by `onboarding_input`.

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId};

use super::onboarding_input;
use crate::bot::{ChatDialogue, Cx, HandlerResult, State};
use crate::domain::matching::Gender;
use crate::domain::readiness::{checklist, ready_for_moderation, ChecklistItem, ProfileFacts, TaxStatus};
use crate::domain::{MoneyLocale, PriceKind, PriceState};
use crate::i18n::Lang;
use crate::store::profiles::{Material, Profile, Profiles};
use crate::store::therapists::{Therapist, TherapistStatus, Therapists};
use crate::tr;

/// R-ONB-9: the documents a therapist accepts, with their current versions (texts in
/// locales/*/onboarding.ftl carry the same version).
pub const AGREEMENTS: [(&str, &str); 3] = [("offer", "2026-11"), ("privacy", "2026-11"), ("ethics", "2026-11")];

/// The most materials a therapist keeps (so their list fits one message).
pub const MAX_MATERIALS: usize = 20;

/// The languages a therapist may tick (R-ONB-2).
pub const LANGUAGES: [&str; 3] = ["ru", "en", "other"];

/// The steps of the checklist, each with its button.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Name,
    Photo,
    Bio,
    Education,
    Years,
    Languages,
    TimeZone,
    Link,
    Specialization,
    Prices,
    Materials,
    Payout,
    Tax,
    Agreements,
    /// Optional: matched against the client's preference (issue 6 step 4).
    Gender,
}

impl Step {
    pub const ALL: [Step; 15] = [
        Step::Name,
        Step::Photo,
        Step::Bio,
        Step::Education,
        Step::Years,
        Step::Languages,
        Step::TimeZone,
        Step::Link,
        Step::Specialization,
        Step::Prices,
        Step::Materials,
        Step::Payout,
        Step::Tax,
        Step::Agreements,
        Step::Gender,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Step::Name => "name",
            Step::Photo => "photo",
            Step::Bio => "bio",
            Step::Education => "edu",
            Step::Years => "years",
            Step::Languages => "langs",
            Step::TimeZone => "tz",
            Step::Link => "link",
            Step::Specialization => "spec",
            Step::Prices => "prices",
            Step::Materials => "mat",
            Step::Payout => "payout",
            Step::Tax => "tax",
            Step::Agreements => "agr",
            Step::Gender => "gender",
        }
    }

    fn from_code(s: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|st| st.code() == s)
    }

    /// The checklist items this step completes.
    fn done(self, facts: &ProfileFacts) -> bool {
        use ChecklistItem as I;
        let items: &[I] = match self {
            Step::Name => &[I::FullName],
            Step::Photo => &[I::Photo],
            Step::Bio => &[I::Bio],
            Step::Education => &[I::Education],
            Step::Years => &[I::YearsOfPractice],
            Step::Languages => &[I::Languages],
            Step::TimeZone => &[I::TimeZone],
            Step::Link => &[I::VideoRoom],
            Step::Specialization => &[I::Topics, I::Modalities, I::ClientTypes, I::Formats],
            Step::Prices => &[I::Prices],
            Step::Materials => &[I::Presentations],
            Step::Payout => &[I::PayoutDetails],
            Step::Tax => &[I::TaxCertificate],
            Step::Agreements => &[I::OfferAccepted, I::PrivacyAccepted, I::EthicsAccepted],
            // Optional: never "missing"; its mark comes from the profile (`Snapshot::step_done`).
            Step::Gender => &[],
        };
        items.iter().all(|i| i.is_done(facts))
    }

    pub fn label(self, cx: &Cx) -> String {
        let (l, lang) = (cx.l(), cx.lang());
        match self {
            Step::Name => tr!(l, lang, "onb-btn-name"),
            Step::Photo => tr!(l, lang, "onb-btn-photo"),
            Step::Bio => tr!(l, lang, "onb-btn-bio"),
            Step::Education => tr!(l, lang, "onb-btn-education"),
            Step::Years => tr!(l, lang, "onb-btn-years"),
            Step::Languages => tr!(l, lang, "onb-btn-languages"),
            Step::TimeZone => tr!(l, lang, "onb-btn-time-zone"),
            Step::Link => tr!(l, lang, "onb-btn-link"),
            Step::Specialization => tr!(l, lang, "onb-btn-specialization"),
            Step::Prices => tr!(l, lang, "onb-btn-prices"),
            Step::Materials => tr!(l, lang, "onb-btn-materials"),
            Step::Payout => tr!(l, lang, "onb-btn-payout"),
            Step::Tax => tr!(l, lang, "onb-btn-tax"),
            Step::Agreements => tr!(l, lang, "onb-btn-agreements"),
            Step::Gender => tr!(l, lang, "profile-btn-gender"),
        }
    }
}

/// The onboarding buttons' callback data (prefix `o:` in `callback::Action`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OnbAction {
    Menu,
    Step(Step),
    Lang(usize),
    Zone(usize),
    SpecPage(usize),
    Toggle(String),
    Price(PriceKind),
    MaterialAdd,
    MaterialDelete(i64),
    PayoutCard,
    PayoutAccount,
    Tax(TaxStatus),
    Accept(usize),
    Submit,
    /// The therapist's gender (`None`: not said).
    Gender(Option<Gender>),
}

impl OnbAction {
    pub fn encode(&self) -> String {
        match self {
            OnbAction::Menu => "m".to_owned(),
            OnbAction::Step(s) => format!("s:{}", s.code()),
            OnbAction::Lang(i) => format!("l:{i}"),
            OnbAction::Zone(i) => format!("z:{i}"),
            OnbAction::SpecPage(i) => format!("p:{i}"),
            OnbAction::Toggle(id) => format!("t:{id}"),
            OnbAction::Price(k) => format!("r:{}", k.as_str()),
            OnbAction::MaterialAdd => "ma".to_owned(),
            OnbAction::MaterialDelete(id) => format!("md:{id}"),
            OnbAction::PayoutCard => "pc".to_owned(),
            OnbAction::PayoutAccount => "pa".to_owned(),
            OnbAction::Tax(t) => format!("x:{}", t.as_str()),
            OnbAction::Accept(i) => format!("a:{i}"),
            OnbAction::Submit => "go".to_owned(),
            OnbAction::Gender(g) => format!("g:{}", g.map_or("n", |g| &g.as_str()[..1])),
        }
    }

    pub fn decode(s: &str) -> Option<Self> {
        let small = |v: &str| v.parse::<usize>().ok().filter(|n| *n < 100 && v.len() <= 2);
        let (kind, rest) = s.split_once(':').unwrap_or((s, ""));
        Some(match (kind, rest) {
            ("m", "") => OnbAction::Menu,
            ("s", c) => OnbAction::Step(Step::from_code(c)?),
            ("l", i) => OnbAction::Lang(small(i).filter(|n| *n < LANGUAGES.len())?),
            ("z", i) => OnbAction::Zone(small(i)?),
            ("p", i) => OnbAction::SpecPage(small(i)?),
            ("t", id) if !id.is_empty() && id.len() <= 24 => OnbAction::Toggle(id.to_owned()),
            ("r", k) => OnbAction::Price(k.parse().ok()?),
            ("ma", "") => OnbAction::MaterialAdd,
            ("md", id) if id.len() <= 19 => OnbAction::MaterialDelete(id.parse().ok()?),
            ("pc", "") => OnbAction::PayoutCard,
            ("pa", "") => OnbAction::PayoutAccount,
            ("x", t) => OnbAction::Tax(t.parse().ok()?),
            ("a", i) => OnbAction::Accept(small(i).filter(|n| *n < AGREEMENTS.len())?),
            ("go", "") => OnbAction::Submit,
            ("g", "f") => OnbAction::Gender(Some(Gender::Female)),
            ("g", "m") => OnbAction::Gender(Some(Gender::Male)),
            ("g", "n") => OnbAction::Gender(None),
            _ => return None,
        })
    }
}

pub fn button(text: String, a: OnbAction) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(text, crate::bot::callback::Action::Onb(a).encode())
}

fn back_row(cx: &Cx) -> Vec<InlineKeyboardButton> {
    vec![button(tr!(cx.l(), cx.lang(), "onb-btn-back"), OnbAction::Menu)]
}

/// Everything the checklist is computed from.
pub struct Snapshot {
    pub therapist: Therapist,
    pub profile: Profile,
    pub specs: Vec<String>,
    pub prices: Vec<(PriceKind, PriceState)>,
    pub materials: Vec<Material>,
    pub accepted: Vec<String>,
    pub time_zone: Option<String>,
    pub open_slots: u32,
}

impl Snapshot {
    pub async fn load(cx: &Cx, therapist: Therapist) -> Result<Self, crate::store::StoreError> {
        let p = Profiles(&cx.app.db);
        let id = therapist.id;
        let agreements = p.agreements(id).await?;
        let accepted = AGREEMENTS
            .iter()
            .filter(|(doc, ver)| agreements.iter().any(|(d, v, _)| d == doc && v == ver))
            .map(|(doc, _)| (*doc).to_owned())
            .collect();
        Ok(Self {
            profile: p.get(id).await?,
            specs: p.specializations(id).await?,
            prices: p.prices(id).await?,
            materials: p.materials(id).await?,
            accepted,
            time_zone: p.time_zone(id).await?,
            open_slots: p.open_future_slots(id, cx.app.clock.now()).await?,
            therapist,
        })
    }

    /// Whether a step's button shows as done.
    pub fn step_done(&self, cx: &Cx, step: Step) -> bool {
        match step {
            Step::Gender => self.profile.gender.is_some(),
            s => s.done(&self.facts(cx)),
        }
    }

    pub fn price(&self, kind: PriceKind) -> Option<PriceState> {
        self.prices.iter().find(|(k, _)| *k == kind).map(|(_, s)| *s)
    }

    pub fn facts(&self, cx: &Cx) -> ProfileFacts {
        let cat = &cx.app.catalog.specializations;
        let offered: Vec<PriceKind> = [PriceKind::Individual, PriceKind::Group]
            .into_iter()
            .filter(|k| self.specs.iter().any(|s| s == k.as_str()))
            .collect();
        ProfileFacts {
            has_full_name: !self.therapist.full_name.trim().is_empty(),
            has_photo: self.profile.photo_file_id.is_some(),
            has_bio: self.profile.bio.is_some(),
            has_education: self.profile.education.is_some(),
            years_of_practice: self.profile.years_of_practice.and_then(|y| u16::try_from(y).ok()),
            languages: u32::try_from(self.profile.languages.len()).unwrap_or(0),
            has_time_zone: self.time_zone.is_some(),
            has_video_room_link: self.profile.video_room_link.is_some(),
            topics: cat.count_in("topics", &self.specs),
            modalities: cat.count_in("modalities", &self.specs),
            client_types: cat.count_in("client_types", &self.specs),
            formats: cat.count_in("formats", &self.specs),
            prices_set: !offered.is_empty() && offered.iter().all(|k| self.price(*k).is_some()),
            open_slots: self.open_slots,
            presentations: u32::try_from(self.materials.len()).unwrap_or(0),
            has_payout_details: self.profile.payout_masked.is_some(),
            tax_status: self.profile.tax_status,
            has_tax_certificate: self.profile.tax_cert_file_id.is_some(),
            accepted_offer: self.accepted.iter().any(|d| d == "offer"),
            accepted_privacy: self.accepted.iter().any(|d| d == "privacy"),
            accepted_ethics: self.accepted.iter().any(|d| d == "ethics"),
        }
    }
}

/// The checklist lines (✅ done / ⬜ missing), with the calendar's hint.
pub fn checklist_lines(cx: &Cx, facts: &ProfileFacts, lang: Lang) -> String {
    checklist(facts)
        .iter()
        .map(|e| {
            let mark = if e.done { "✅" } else { "⬜" };
            let mut line = format!("{mark} {}", cx.l().text(lang, e.item.key(), None));
            if !e.required {
                line.push_str(&format!(" — {}", tr!(cx.l(), lang, "onb-recommended")));
            }
            if e.item == ChecklistItem::Calendar && !e.done {
                line.push_str(&format!(" — {}", tr!(cx.l(), lang, "onb-calendar-hint")));
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The missing required items, one per line, for "say exactly what is missing".
pub fn missing_lines(cx: &Cx, facts: &ProfileFacts) -> String {
    checklist(facts)
        .iter()
        .filter(|e| e.required && !e.done && !e.item.is_acceptance())
        .map(|e| format!("• {}", cx.l().text(cx.lang(), e.item.key(), None)))
        .collect::<Vec<_>>()
        .join("\n")
}

fn checklist_view(cx: &Cx, snap: &Snapshot, header: Option<String>) -> (String, InlineKeyboardMarkup) {
    let facts = snap.facts(cx);
    let status = match snap.therapist.status {
        TherapistStatus::Rejected => tr!(
            cx.l(),
            cx.lang(),
            "onb-status-rejected",
            reason = crate::bot::html::escape(snap.profile.rejection_reason.as_deref().unwrap_or("—"))
        ),
        _ => tr!(cx.l(), cx.lang(), "onb-checklist-intro"),
    };
    let mut text = String::new();
    if let Some(h) = header {
        text.push_str(&h);
        text.push_str("\n\n");
    }
    text.push_str(&format!(
        "<b>{}</b>\n{status}\n\n{}",
        tr!(cx.l(), cx.lang(), "onb-checklist-title"),
        checklist_lines(cx, &facts, cx.lang())
    ));
    let buttons: Vec<InlineKeyboardButton> = Step::ALL
        .iter()
        .map(|s| {
            let mark = if snap.step_done(cx, *s) { "✅ " } else { "" };
            button(format!("{mark}{}", s.label(cx)), OnbAction::Step(*s))
        })
        .collect();
    let mut rows: Vec<Vec<InlineKeyboardButton>> = buttons.chunks(2).map(<[_]>::to_vec).collect();
    if snap.accepted.len() == AGREEMENTS.len() {
        rows.push(vec![button(
            tr!(cx.l(), cx.lang(), "onb-btn-submit"),
            OnbAction::Submit,
        )]);
    }
    (text, InlineKeyboardMarkup::new(rows))
}

/// Sends a fresh checklist (after a typed answer, or on /start).
/// The previous checklist message (or the step prompt it became) is deleted, so the chat
/// always has one checklist, at the bottom.
pub async fn send_checklist(cx: &Cx, therapist: Therapist, header: Option<String>) -> HandlerResult {
    let id = therapist.id;
    let snap = Snapshot::load(cx, therapist).await?;
    let (text, kb) = checklist_view(cx, &snap, header);
    let sent = cx.send_with(text, kb).await?;
    let previous = Profiles(&cx.app.db)
        .swap_checklist_message(id, Some(sent.id.0), cx.app.clock.now())
        .await?;
    if let Some(old) = previous.filter(|old| *old != sent.id.0) {
        if let Err(e) = cx.bot.delete_message(cx.chat_id, MessageId(old)).await {
            // Too old to delete (48 hours) or already gone: it stays, harmless.
            tracing::debug!(error = %e, "could not delete the previous checklist");
        }
    }
    Ok(())
}

/// The therapist's `/start`: the checklist while onboarding (or rejected), else the status and
/// what to do.
pub async fn home(cx: &Cx, therapist: Therapist) -> HandlerResult {
    match therapist.status {
        TherapistStatus::Onboarding | TherapistStatus::Rejected | TherapistStatus::Invited => {
            let name = crate::bot::html::escape(&cx.actor.user.first_name);
            let greeting = tr!(cx.l(), cx.lang(), "start-greeting-therapist", name = name);
            send_checklist(cx, therapist, Some(greeting)).await
        }
        TherapistStatus::PendingModeration => {
            cx.send(tr!(cx.l(), cx.lang(), "onb-status-pending")).await?;
            Ok(())
        }
        TherapistStatus::Suspended => {
            let text = format!(
                "{}\n\n{}",
                tr!(cx.l(), cx.lang(), "onb-status-suspended"),
                tr!(cx.l(), cx.lang(), "suspended-what-you-can")
            );
            cx.send(text).await?;
            Ok(())
        }
        TherapistStatus::Active => crate::bot::common::start(cx).await,
    }
}

/// The therapist behind this chat, if their profile may be edited now: while onboarding or
/// rejected (the checklist), or active (`/profile`).
async fn editable(cx: &Cx) -> Result<Option<Therapist>, crate::store::StoreError> {
    let t = Therapists(&cx.app.db).by_telegram(cx.actor.user.telegram_id).await?;
    Ok(t.filter(|t| {
        matches!(
            t.status,
            TherapistStatus::Onboarding | TherapistStatus::Rejected | TherapistStatus::Active
        )
    }))
}

async fn answer(cx: &Cx, q: &CallbackQuery, text: Option<String>) -> HandlerResult {
    let mut req = cx.bot.answer_callback_query(q.id.clone());
    if let Some(t) = text {
        req = req.text(t);
    }
    req.await?;
    Ok(())
}

async fn edit(cx: &Cx, mid: MessageId, text: String, kb: InlineKeyboardMarkup) -> HandlerResult {
    cx.bot.edit_message_text(cx.chat_id, mid, text).reply_markup(kb).await?;
    Ok(())
}

/// A press on an onboarding button.
pub async fn on_callback(
    cx: &Cx,
    q: &CallbackQuery,
    mid: Option<MessageId>,
    action: OnbAction,
    dialogue: &ChatDialogue,
) -> HandlerResult {
    let (Some(t), Some(mid)) = (editable(cx).await?, mid) else {
        return answer(cx, q, Some(tr!(cx.l(), cx.lang(), "onb-not-now"))).await;
    };
    let now = cx.app.clock.now();
    let profiles = Profiles(&cx.app.db);
    if t.status == TherapistStatus::Active {
        // `/profile`: the same steps edit an active profile; what belongs to onboarding only
        // (agreements, submission) is not offered, prices have their own screen (R-PRICE-2).
        match &action {
            OnbAction::Menu => {
                dialogue.exit().await?;
                answer(cx, q, None).await?;
                let (text, kb) = super::profile::menu_view(cx, &t, None);
                return edit(cx, mid, text, kb).await;
            }
            OnbAction::Price(_) => {
                dialogue.exit().await?;
                return answer(cx, q, Some(tr!(cx.l(), cx.lang(), "profile-prices-elsewhere"))).await;
            }
            OnbAction::Step(Step::Prices) => {
                dialogue.exit().await?;
                answer(cx, q, None).await?;
                let (text, kb) = super::prices::view(cx, &t, None).await?;
                return edit(cx, mid, text, kb).await;
            }
            OnbAction::Step(Step::Agreements) | OnbAction::Accept(_) | OnbAction::Submit => {
                return answer(cx, q, Some(tr!(cx.l(), cx.lang(), "profile-already-active"))).await;
            }
            _ => {}
        }
    }
    match action {
        OnbAction::Gender(g) => {
            profiles.set_gender(t.id, g, now).await?;
            dialogue.exit().await?;
            answer(cx, q, None).await?;
            let header = tr!(cx.l(), cx.lang(), "profile-saved-gender");
            back_to_menu(cx, mid, t, header).await
        }
        OnbAction::Menu => {
            dialogue.exit().await?;
            answer(cx, q, None).await?;
            let snap = Snapshot::load(cx, t).await?;
            let (text, kb) = checklist_view(cx, &snap, None);
            edit(cx, mid, text, kb).await
        }
        OnbAction::Step(step) => {
            answer(cx, q, None).await?;
            open_step(cx, mid, t, step, dialogue).await
        }
        OnbAction::Lang(i) => {
            let mut langs = profiles.get(t.id).await?.languages;
            let id = LANGUAGES[i].to_owned();
            if let Some(pos) = langs.iter().position(|l| *l == id) {
                langs.remove(pos);
            } else {
                langs.push(id);
            }
            langs.sort_by_key(|l| LANGUAGES.iter().position(|x| x == l));
            profiles
                .set_text(
                    t.id,
                    crate::store::profiles::TextField::Languages,
                    &langs.join(","),
                    now,
                )
                .await?;
            answer(cx, q, None).await?;
            open_step(cx, mid, t, Step::Languages, dialogue).await
        }
        OnbAction::Zone(i) => {
            let Some(zone) = cx.app.catalog.time_zones.buttons().get(i).map(|z| z.zone) else {
                return answer(cx, q, Some(tr!(cx.l(), cx.lang(), "stale-button"))).await;
            };
            profiles.set_time_zone(t.id, zone.name(), now).await?;
            crate::store::users::Users(&cx.app.db)
                .set_time_zone(cx.actor.user.telegram_id, zone, now)
                .await?;
            dialogue.exit().await?;
            answer(cx, q, None).await?;
            let header = tr!(cx.l(), cx.lang(), "onb-saved-time-zone", tz = zone.name());
            back_to_menu(cx, mid, t, header).await
        }
        OnbAction::SpecPage(page) => {
            answer(cx, q, None).await?;
            spec_page(cx, mid, t.id, page.min(3)).await
        }
        OnbAction::Toggle(id) => {
            let cat = &cx.app.catalog.specializations;
            let Some(page) = cat
                .group_of(&id)
                .and_then(|g| cat.groups().iter().position(|x| x.id == g.id))
            else {
                return answer(cx, q, Some(tr!(cx.l(), cx.lang(), "stale-button"))).await;
            };
            profiles.toggle_specialization(t.id, &id).await?;
            answer(cx, q, None).await?;
            spec_page(cx, mid, t.id, page).await
        }
        OnbAction::Price(kind) => {
            answer(cx, q, None).await?;
            dialogue
                .update(State::Onboarding(onboarding_input::Awaiting::Price { kind }))
                .await?;
            let floor = cx.app.settings.price_floor(kind);
            let text = match kind {
                PriceKind::Individual => {
                    tr!(cx.l(), cx.lang(), "onb-ask-price-individual", floor = money(cx, floor))
                }
                PriceKind::Group => tr!(cx.l(), cx.lang(), "onb-ask-price-group", floor = money(cx, floor)),
            };
            edit(cx, mid, text, InlineKeyboardMarkup::new(vec![back_row(cx)])).await
        }
        OnbAction::MaterialAdd => {
            if profiles.materials(t.id).await?.len() >= MAX_MATERIALS {
                let text = tr!(cx.l(), cx.lang(), "onb-materials-full", max = MAX_MATERIALS);
                cx.bot
                    .answer_callback_query(q.id.clone())
                    .text(text)
                    .show_alert(true)
                    .await?;
                return Ok(());
            }
            answer(cx, q, None).await?;
            dialogue
                .update(State::Onboarding(onboarding_input::Awaiting::MaterialFile))
                .await?;
            edit(
                cx,
                mid,
                tr!(cx.l(), cx.lang(), "onb-ask-material-file"),
                InlineKeyboardMarkup::new(vec![back_row(cx)]),
            )
            .await
        }
        OnbAction::MaterialDelete(id) => match profiles.delete_material(t.id, id).await {
            Ok(()) => {
                answer(cx, q, Some(tr!(cx.l(), cx.lang(), "onb-material-deleted"))).await?;
                open_step(cx, mid, t, Step::Materials, dialogue).await
            }
            Err(crate::store::StoreError::NotFound) => {
                answer(cx, q, Some(tr!(cx.l(), cx.lang(), "stale-button"))).await
            }
            Err(e) => Err(e.into()),
        },
        OnbAction::PayoutCard | OnbAction::PayoutAccount => {
            answer(cx, q, None).await?;
            let (awaiting, text) = if action == OnbAction::PayoutCard {
                (
                    onboarding_input::Awaiting::CardNumber,
                    tr!(cx.l(), cx.lang(), "onb-ask-card"),
                )
            } else {
                (onboarding_input::Awaiting::Bik, tr!(cx.l(), cx.lang(), "onb-ask-bik"))
            };
            dialogue.update(State::Onboarding(awaiting)).await?;
            edit(cx, mid, text, InlineKeyboardMarkup::new(vec![back_row(cx)])).await
        }
        OnbAction::Tax(status) => {
            profiles.set_tax_status(t.id, status, now).await?;
            answer(cx, q, None).await?;
            dialogue
                .update(State::Onboarding(onboarding_input::Awaiting::TaxCertificate))
                .await?;
            let text = match status {
                TaxStatus::SelfEmployed => tr!(cx.l(), cx.lang(), "onb-ask-tax-certificate-npd"),
                TaxStatus::IndividualEntrepreneur => tr!(cx.l(), cx.lang(), "onb-ask-tax-certificate-ip"),
            };
            edit(cx, mid, text, InlineKeyboardMarkup::new(vec![back_row(cx)])).await
        }
        OnbAction::Accept(i) => {
            let (doc, version) = AGREEMENTS[i];
            profiles.accept(t.id, doc, version, now).await?;
            answer(cx, q, None).await?;
            let snap = Snapshot::load(cx, t).await?;
            if snap.accepted.len() < AGREEMENTS.len() {
                return agreement_page(cx, mid, &snap).await;
            }
            submit(cx, Some(mid), snap).await
        }
        OnbAction::Submit => {
            let snap = Snapshot::load(cx, t).await?;
            let facts = snap.facts(cx);
            if !ready_for_moderation(&facts) {
                // Said in an alert: the message may already show this list, and an identical
                // edit is refused by Telegram.
                let text = tr!(
                    cx.l(),
                    cx.lang(),
                    "onb-submit-incomplete-alert",
                    missing = missing_lines(cx, &facts)
                );
                cx.bot
                    .answer_callback_query(q.id.clone())
                    .text(crate::bot::html::truncate(&text, 200))
                    .show_alert(true)
                    .await?;
                return Ok(());
            }
            answer(cx, q, None).await?;
            submit(cx, Some(mid), snap).await
        }
    }
}

/// After a button-driven step: the profile menu (active) or the checklist, with a header.
async fn back_to_menu(cx: &Cx, mid: MessageId, t: Therapist, header: String) -> HandlerResult {
    if t.status == TherapistStatus::Active {
        let (text, kb) = super::profile::menu_view(cx, &t, Some(header));
        return edit(cx, mid, text, kb).await;
    }
    let snap = Snapshot::load(cx, t).await?;
    let (text, kb) = checklist_view(cx, &snap, Some(header));
    edit(cx, mid, text, kb).await
}

fn money(cx: &Cx, m: crate::domain::Money) -> String {
    m.format(match cx.lang() {
        Lang::Ru => MoneyLocale::Ru,
        Lang::En => MoneyLocale::En,
    })
}

/// R-ONB-9/10: submits a complete profile to moderation, or says exactly what is missing.
async fn submit(cx: &Cx, mid: Option<MessageId>, snap: Snapshot) -> HandlerResult {
    let facts = snap.facts(cx);
    if !ready_for_moderation(&facts) {
        let text = tr!(
            cx.l(),
            cx.lang(),
            "onb-submit-incomplete",
            missing = missing_lines(cx, &facts)
        );
        let (_, kb) = checklist_view(cx, &snap, None);
        return match mid {
            Some(mid) => edit(cx, mid, text, kb).await,
            None => {
                cx.send_with(text, kb).await?;
                Ok(())
            }
        };
    }
    let id = snap.therapist.id;
    match Profiles(&cx.app.db).submit(id, cx.app.clock.now()).await {
        Ok(()) => {}
        Err(crate::store::StoreError::Conflict) => {
            cx.send(tr!(cx.l(), cx.lang(), "onb-not-now")).await?;
            return Ok(());
        }
        Err(e) => return Err(e.into()),
    }
    let text = tr!(cx.l(), cx.lang(), "onb-submitted");
    match mid {
        Some(mid) => edit(cx, mid, text, InlineKeyboardMarkup::default()).await?,
        None => {
            cx.send(text).await?;
        }
    }
    crate::bot::admin::moderation::post_card(cx, id).await
}

/// Shows one step in the checklist's message.
async fn open_step(cx: &Cx, mid: MessageId, t: Therapist, step: Step, dialogue: &ChatDialogue) -> HandlerResult {
    use onboarding_input::Awaiting;
    let (l, lang) = (cx.l(), cx.lang());
    let ask = |awaiting: Awaiting, text: String| async move {
        dialogue.update(State::Onboarding(awaiting)).await?;
        edit(cx, mid, text, InlineKeyboardMarkup::new(vec![back_row(cx)])).await
    };
    match step {
        Step::Name => {
            let current = crate::bot::html::escape(&t.full_name);
            ask(Awaiting::Name, tr!(l, lang, "onb-ask-name", current = current)).await
        }
        Step::Photo => ask(Awaiting::Photo, tr!(l, lang, "onb-ask-photo")).await,
        Step::Bio => {
            ask(
                Awaiting::Bio,
                tr!(l, lang, "onb-ask-bio", max = onboarding_input::BIO_MAX),
            )
            .await
        }
        Step::Education => ask(Awaiting::Education, tr!(l, lang, "onb-ask-education")).await,
        Step::Years => ask(Awaiting::Years, tr!(l, lang, "onb-ask-years")).await,
        Step::Link => ask(Awaiting::Link, tr!(l, lang, "onb-ask-link")).await,
        Step::Languages => {
            dialogue.exit().await?;
            let langs = Profiles(&cx.app.db).get(t.id).await?.languages;
            let mut row = Vec::new();
            for (i, id) in LANGUAGES.iter().enumerate() {
                let on = langs.iter().any(|l| l == id);
                let label = match *id {
                    "ru" => tr!(l, lang, "onb-lang-ru"),
                    "en" => tr!(l, lang, "onb-lang-en"),
                    _ => tr!(l, lang, "onb-lang-other"),
                };
                row.push(button(
                    format!("{}{label}", if on { "✅ " } else { "" }),
                    OnbAction::Lang(i),
                ));
            }
            let kb = InlineKeyboardMarkup::new(vec![row, back_row(cx)]);
            let chosen = langs.len();
            edit(cx, mid, tr!(l, lang, "onb-ask-languages", count = chosen), kb).await
        }
        Step::TimeZone => {
            dialogue.update(State::Onboarding(Awaiting::TimeZone)).await?;
            let buttons: Vec<InlineKeyboardButton> = cx
                .app
                .catalog
                .time_zones
                .buttons()
                .iter()
                .enumerate()
                .map(|(i, z)| {
                    let label = match lang {
                        Lang::Ru => z.label_ru.clone(),
                        Lang::En => z.label_en.clone(),
                    };
                    button(label, OnbAction::Zone(i))
                })
                .collect();
            let mut rows: Vec<Vec<InlineKeyboardButton>> = buttons.chunks(2).map(<[_]>::to_vec).collect();
            rows.push(back_row(cx));
            edit(
                cx,
                mid,
                tr!(l, lang, "onb-ask-time-zone"),
                InlineKeyboardMarkup::new(rows),
            )
            .await
        }
        Step::Specialization => {
            dialogue.exit().await?;
            spec_page(cx, mid, t.id, 0).await
        }
        Step::Prices => {
            dialogue.exit().await?;
            let snap = Snapshot::load(cx, t).await?;
            let show = |k: PriceKind| {
                snap.price(k)
                    .map(|s| money(cx, s.amount))
                    .unwrap_or_else(|| tr!(l, lang, "onb-not-set"))
            };
            let text = tr!(
                l,
                lang,
                "onb-prices",
                individual = show(PriceKind::Individual),
                group = show(PriceKind::Group)
            );
            let kb = InlineKeyboardMarkup::new(vec![
                vec![
                    button(
                        tr!(l, lang, "onb-btn-price-individual"),
                        OnbAction::Price(PriceKind::Individual),
                    ),
                    button(tr!(l, lang, "onb-btn-price-group"), OnbAction::Price(PriceKind::Group)),
                ],
                back_row(cx),
            ]);
            edit(cx, mid, text, kb).await
        }
        Step::Materials => {
            dialogue.exit().await?;
            let list = Profiles(&cx.app.db).materials(t.id).await?;
            let mut text = tr!(l, lang, "onb-materials-intro");
            let mut rows = Vec::new();
            for (n, m) in list.iter().enumerate() {
                let title = crate::bot::html::escape(&crate::bot::html::truncate(&m.title, 80));
                text.push_str(&format!("\n{}. {title}", n + 1));
                rows.push(vec![button(
                    tr!(l, lang, "onb-btn-material-delete", n = n + 1),
                    OnbAction::MaterialDelete(m.id),
                )]);
            }
            if list.is_empty() {
                text.push_str(&format!("\n{}", tr!(l, lang, "onb-materials-none")));
            }
            rows.push(vec![button(
                tr!(l, lang, "onb-btn-material-add"),
                OnbAction::MaterialAdd,
            )]);
            rows.push(back_row(cx));
            edit(cx, mid, text, InlineKeyboardMarkup::new(rows)).await
        }
        Step::Payout => {
            dialogue.exit().await?;
            let masked = Profiles(&cx.app.db).get(t.id).await?.payout_masked;
            let text = match masked {
                Some(m) => tr!(l, lang, "onb-payout-current", masked = m),
                None => tr!(l, lang, "onb-payout-intro"),
            };
            let kb = InlineKeyboardMarkup::new(vec![
                vec![
                    button(tr!(l, lang, "onb-btn-payout-card"), OnbAction::PayoutCard),
                    button(tr!(l, lang, "onb-btn-payout-account"), OnbAction::PayoutAccount),
                ],
                back_row(cx),
            ]);
            edit(cx, mid, text, kb).await
        }
        Step::Tax => {
            dialogue.exit().await?;
            let kb = InlineKeyboardMarkup::new(vec![
                vec![
                    button(tr!(l, lang, "onb-btn-tax-npd"), OnbAction::Tax(TaxStatus::SelfEmployed)),
                    button(
                        tr!(l, lang, "onb-btn-tax-ip"),
                        OnbAction::Tax(TaxStatus::IndividualEntrepreneur),
                    ),
                ],
                back_row(cx),
            ]);
            edit(cx, mid, tr!(l, lang, "onb-ask-tax-status"), kb).await
        }
        Step::Agreements => {
            dialogue.exit().await?;
            let snap = Snapshot::load(cx, t).await?;
            agreement_page(cx, mid, &snap).await
        }
        Step::Gender => {
            dialogue.exit().await?;
            let current = Profiles(&cx.app.db).get(t.id).await?.gender;
            let mark = |g: Option<Gender>| if current == g { "✅ " } else { "" };
            let kb = InlineKeyboardMarkup::new(vec![
                vec![
                    button(
                        format!(
                            "{}{}",
                            mark(Some(Gender::Female)),
                            tr!(l, lang, "profile-gender-female")
                        ),
                        OnbAction::Gender(Some(Gender::Female)),
                    ),
                    button(
                        format!("{}{}", mark(Some(Gender::Male)), tr!(l, lang, "profile-gender-male")),
                        OnbAction::Gender(Some(Gender::Male)),
                    ),
                ],
                vec![button(
                    format!("{}{}", mark(None), tr!(l, lang, "profile-gender-unsaid")),
                    OnbAction::Gender(None),
                )],
                back_row(cx),
            ]);
            edit(cx, mid, tr!(l, lang, "profile-ask-gender"), kb).await
        }
    }
}

/// The next document to accept (R-ONB-9), or the submission when all are accepted.
async fn agreement_page(cx: &Cx, mid: MessageId, snap: &Snapshot) -> HandlerResult {
    let (l, lang) = (cx.l(), cx.lang());
    let Some(i) = AGREEMENTS
        .iter()
        .position(|(doc, _)| !snap.accepted.iter().any(|a| a == doc))
    else {
        let kb = InlineKeyboardMarkup::new(vec![
            vec![button(tr!(l, lang, "onb-btn-submit"), OnbAction::Submit)],
            back_row(cx),
        ]);
        return edit(cx, mid, tr!(l, lang, "onb-agreements-all-accepted"), kb).await;
    };
    let (doc, version) = AGREEMENTS[i];
    let text = match doc {
        "offer" => tr!(l, lang, "onb-doc-offer", version = version),
        "privacy" => tr!(l, lang, "onb-doc-privacy", version = version),
        _ => tr!(l, lang, "onb-doc-ethics", version = version),
    };
    let accept = match doc {
        "offer" => tr!(l, lang, "onb-btn-accept-offer"),
        "privacy" => tr!(l, lang, "onb-btn-accept-privacy"),
        _ => tr!(l, lang, "onb-btn-accept-ethics"),
    };
    let kb = InlineKeyboardMarkup::new(vec![vec![button(accept, OnbAction::Accept(i))], back_row(cx)]);
    edit(cx, mid, text, kb).await
}

/// One page of the specialisation catalogue as toggles (R-ONB-3).
async fn spec_page(cx: &Cx, mid: MessageId, therapist_id: i64, page: usize) -> HandlerResult {
    let cat = &cx.app.catalog.specializations;
    let groups = cat.groups();
    let Some(group) = groups.get(page) else { return Ok(()) };
    let ticked = Profiles(&cx.app.db).specializations(therapist_id).await?;
    let buttons: Vec<InlineKeyboardButton> = group
        .items
        .iter()
        .map(|i| {
            let on = ticked.contains(&i.id);
            button(
                format!("{}{}", if on { "✅ " } else { "" }, i.label(cx.lang())),
                OnbAction::Toggle(i.id.clone()),
            )
        })
        .collect();
    let mut rows: Vec<Vec<InlineKeyboardButton>> = buttons.chunks(2).map(<[_]>::to_vec).collect();
    let mut nav = Vec::new();
    if page > 0 {
        nav.push(button(
            tr!(cx.l(), cx.lang(), "onb-btn-prev"),
            OnbAction::SpecPage(page - 1),
        ));
    }
    if page + 1 < groups.len() {
        nav.push(button(
            tr!(cx.l(), cx.lang(), "onb-btn-next"),
            OnbAction::SpecPage(page + 1),
        ));
    }
    rows.push(nav);
    rows.push(back_row(cx));
    let count = cat.count_in(&group.id, &ticked);
    let text = tr!(
        cx.l(),
        cx.lang(),
        "onb-spec-page",
        title = group.label(cx.lang()),
        page = page + 1,
        pages = groups.len(),
        count = count
    );
    edit(cx, mid, text, InlineKeyboardMarkup::new(rows)).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bot::callback::Action;

    #[test]
    fn onboarding_buttons_round_trip_and_fit_telegram() {
        let mut all: Vec<OnbAction> = Step::ALL.iter().map(|s| OnbAction::Step(*s)).collect();
        all.extend([
            OnbAction::Menu,
            OnbAction::Lang(2),
            OnbAction::Zone(10),
            OnbAction::SpecPage(3),
            OnbAction::Toggle("x".repeat(24)),
            OnbAction::Price(PriceKind::Group),
            OnbAction::MaterialAdd,
            OnbAction::MaterialDelete(i64::MAX),
            OnbAction::PayoutCard,
            OnbAction::PayoutAccount,
            OnbAction::Tax(TaxStatus::IndividualEntrepreneur),
            OnbAction::Accept(2),
            OnbAction::Submit,
            OnbAction::Gender(Some(Gender::Female)),
            OnbAction::Gender(Some(Gender::Male)),
            OnbAction::Gender(None),
        ]);
        for a in all {
            let data = Action::Onb(a.clone()).encode();
            assert!(data.len() <= 64, "{data}");
            assert_eq!(Action::decode(&data), Some(Action::Onb(a)));
        }
    }

    #[test]
    fn forged_onboarding_buttons_are_refused() {
        for s in [
            "o:", "o:s:nope", "o:g:x", "o:g:", "o:l:3", "o:a:3", "o:z:100", "o:t:", "o:md:x", "o:r:vip", "o:x:llc",
            "o:go:1",
        ] {
            assert_eq!(Action::decode(s), None, "{s}");
        }
        assert_eq!(Action::decode(&format!("o:t:{}", "x".repeat(25))), None);
    }
}
