//! Typed and uploaded answers during onboarding: each field asked, validated, saved, and the
//! checklist sent again. Bad input gets a clear answer and changes nothing.

use serde::{Deserialize, Serialize};
use teloxide::prelude::*;

use super::onboarding::send_checklist;
use crate::bot::html::{escape, truncate};
use crate::bot::BotError;
use crate::bot::{ChatDialogue, Cx, HandlerResult, State};
use crate::domain::{validate_price, Money, MoneyLocale, PriceKind, PriceState};
use crate::i18n::Lang;
use crate::payout::{parse_account, parse_bik, parse_card, parse_inn, PayoutDetails};
use crate::store::profiles::{FileKind, Profiles, PublicEdit, TextField};
use crate::store::therapists::{Therapist, TherapistStatus, Therapists};
use crate::store::users::Users;
use crate::store::StoreError;
use crate::tr;

/// The longest bio (characters).
pub const BIO_MAX: usize = 1000;
/// The largest document accepted (R-ONB-6): 20 MB.
pub const DOCUMENT_MAX_BYTES: u32 = 20 * 1024 * 1024;

/// What the onboarding dialogue waits for. Partly entered payout details are kept sealed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "onb", rename_all = "snake_case")]
pub enum Awaiting {
    Name,
    Photo,
    Bio,
    Education,
    Years,
    TimeZone,
    Link,
    Price { kind: PriceKind },
    MaterialFile,
    MaterialTitle { file_id: String, kind: String },
    CardNumber,
    Bik,
    Account { bik: String },
    Recipient { sealed: String },
    Inn { sealed: String },
    TaxCertificate,
}

/// Partly entered payout details, sealed in the dialogue state between steps.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Partial {
    number: Option<String>,
    bik: Option<String>,
    account: Option<String>,
    recipient: Option<String>,
}

impl Partial {
    fn seal(&self, cx: &Cx) -> String {
        cx.app.data_key.seal(&serde_json::to_vec(self).unwrap_or_default())
    }
    fn open(cx: &Cx, sealed: &str) -> Option<Self> {
        serde_json::from_slice(&cx.app.data_key.open(sealed)?).ok()
    }
}

/// A message while an onboarding step waits.
pub async fn on_input(cx: &Cx, msg: &Message, dialogue: &ChatDialogue, awaiting: Awaiting) -> HandlerResult {
    let Some(t) = Therapists(&cx.app.db).by_telegram(cx.actor.user.telegram_id).await? else {
        dialogue.exit().await?;
        return Ok(());
    };
    if !matches!(
        t.status,
        TherapistStatus::Onboarding | TherapistStatus::Rejected | TherapistStatus::Active
    ) {
        dialogue.exit().await?;
        cx.send(tr!(cx.l(), cx.lang(), "onb-not-now")).await?;
        return Ok(());
    }
    let now = cx.app.clock.now();
    let p = Profiles(&cx.app.db);
    let text = msg.text().map(str::trim);
    let (l, lang) = (cx.l(), cx.lang());
    match (&awaiting, text) {
        (Awaiting::Name, Some(name)) => {
            let n = name.chars().count();
            if !(3..=200).contains(&n) || name.contains('\n') {
                return reply(cx, tr!(l, lang, "onb-bad-name")).await;
            }
            match save_public(cx, dialogue, &t, PublicEdit::Name(name)).await? {
                Public::NotActive => p.set_full_name(t.id, name, now).await?,
                Public::Saved => {}
                Public::Refused => return Ok(()),
            }
            saved(cx, dialogue, t, tr!(l, lang, "onb-saved-name", name = escape(name))).await
        }
        (Awaiting::Bio, Some(bio)) => {
            let n = bio.chars().count();
            if !(20..=BIO_MAX).contains(&n) {
                return reply(cx, tr!(l, lang, "onb-bad-bio", max = BIO_MAX, length = n)).await;
            }
            match save_public(cx, dialogue, &t, PublicEdit::Bio(bio)).await? {
                Public::NotActive => p.set_text(t.id, TextField::Bio, bio, now).await?,
                Public::Saved => {}
                Public::Refused => return Ok(()),
            }
            saved(cx, dialogue, t, tr!(l, lang, "onb-saved-bio")).await
        }
        (Awaiting::Education, Some(edu)) => {
            let n = edu.chars().count();
            if !(3..=1000).contains(&n) {
                return reply(cx, tr!(l, lang, "onb-bad-education")).await;
            }
            p.set_text(t.id, TextField::Education, edu, now).await?;
            saved(cx, dialogue, t, tr!(l, lang, "onb-saved-education")).await
        }
        (Awaiting::Years, Some(y)) => match y.parse::<i32>() {
            Ok(years) if (0..=70).contains(&years) => {
                p.set_years(t.id, years, now).await?;
                saved(cx, dialogue, t, tr!(l, lang, "onb-saved-years", years = years)).await
            }
            _ => reply(cx, tr!(l, lang, "onb-bad-years")).await,
        },
        (Awaiting::TimeZone, Some(z)) => match cx.app.catalog.time_zones.understand(z) {
            Some(tz) => {
                p.set_time_zone(t.id, tz.name(), now).await?;
                // The therapist's zone is also the one their times are shown in.
                Users(&cx.app.db)
                    .set_time_zone(cx.actor.user.telegram_id, tz, now)
                    .await?;
                saved(cx, dialogue, t, tr!(l, lang, "onb-saved-time-zone", tz = tz.name())).await
            }
            None => {
                let input = escape(&truncate(z, 60));
                reply(cx, tr!(l, lang, "timezone-not-understood", input = input)).await
            }
        },
        (Awaiting::Link, Some(link)) => match valid_room_link(link) {
            Some(url) => {
                p.set_text(t.id, TextField::VideoRoomLink, &url, now).await?;
                saved(cx, dialogue, t, tr!(l, lang, "onb-saved-link", link = escape(&url))).await
            }
            None => reply(cx, tr!(l, lang, "onb-bad-link")).await,
        },
        (Awaiting::Price { .. }, _) if t.status == TherapistStatus::Active => {
            // An active profile's prices change only on /prices (R-PRICE-2).
            dialogue.exit().await?;
            reply(cx, tr!(l, lang, "profile-prices-elsewhere")).await
        }
        (Awaiting::Price { kind }, Some(amount)) => {
            let settings = &cx.app.settings;
            let amount = match Money::parse(amount) {
                Ok(m) => m,
                Err(e) => return reply(cx, l.text(lang, e.key(), None)).await,
            };
            // R-PRICE-1: below the floor is refused with the floor named.
            if let Err(crate::domain::PriceError::BelowFloor { floor, .. }) = validate_price(*kind, amount, settings) {
                return reply(cx, tr!(l, lang, "price-error-below-floor", floor = money(lang, floor))).await;
            }
            // R-PRICE-2: before activation an edit is free and not counted.
            let state = match Profiles(&cx.app.db)
                .prices(t.id)
                .await?
                .into_iter()
                .find(|(k, _)| k == kind)
            {
                Some((_, current)) => {
                    let zone = cx.tz();
                    match current.change(*kind, amount, now, zone, settings) {
                        Ok(u) => u.state,
                        Err(e) => return reply(cx, l.text(lang, e.key(), None)).await,
                    }
                }
                None => PriceState::draft(amount),
            };
            p.set_price(t.id, *kind, &state, now).await?;
            saved(
                cx,
                dialogue,
                t,
                tr!(l, lang, "onb-saved-price", amount = money(lang, amount)),
            )
            .await
        }
        (Awaiting::MaterialTitle { file_id, kind }, Some(title)) => {
            let n = title.chars().count();
            if !(1..=200).contains(&n) {
                return reply(cx, tr!(l, lang, "onb-bad-title")).await;
            }
            if p.materials(t.id).await?.len() >= super::onboarding::MAX_MATERIALS {
                dialogue.exit().await?;
                let max = super::onboarding::MAX_MATERIALS;
                return reply(cx, tr!(l, lang, "onb-materials-full", max = max)).await;
            }
            let kind = kind.parse().unwrap_or(FileKind::Document);
            p.add_material(t.id, title, file_id, kind, now).await?;
            saved(
                cx,
                dialogue,
                t,
                tr!(l, lang, "onb-saved-material", title = escape(title)),
            )
            .await
        }
        (Awaiting::CardNumber, Some(number)) => {
            delete_sensitive(cx, msg).await;
            match parse_card(number) {
                Some(number) => {
                    let sealed = Partial {
                        number: Some(number),
                        ..Partial::default()
                    }
                    .seal(cx);
                    dialogue.update(State::Onboarding(Awaiting::Inn { sealed })).await?;
                    reply(cx, tr!(l, lang, "onb-card-accepted-ask-inn")).await
                }
                None => reply(cx, tr!(l, lang, "onb-bad-card")).await,
            }
        }
        (Awaiting::Bik, Some(bik)) => match parse_bik(bik) {
            Some(bik) => {
                dialogue.update(State::Onboarding(Awaiting::Account { bik })).await?;
                reply(cx, tr!(l, lang, "onb-ask-account")).await
            }
            None => reply(cx, tr!(l, lang, "onb-bad-bik")).await,
        },
        (Awaiting::Account { bik }, Some(account)) => {
            delete_sensitive(cx, msg).await;
            match parse_account(account, bik) {
                Some(account) => {
                    let sealed = Partial {
                        bik: Some(bik.clone()),
                        account: Some(account),
                        ..Partial::default()
                    }
                    .seal(cx);
                    dialogue
                        .update(State::Onboarding(Awaiting::Recipient { sealed }))
                        .await?;
                    reply(cx, tr!(l, lang, "onb-account-accepted-ask-recipient")).await
                }
                None => reply(cx, tr!(l, lang, "onb-bad-account")).await,
            }
        }
        (Awaiting::Recipient { sealed }, Some(name)) => {
            let n = name.chars().count();
            if !(3..=200).contains(&n) {
                return reply(cx, tr!(l, lang, "onb-bad-recipient")).await;
            }
            let Some(mut partial) = Partial::open(cx, sealed) else {
                return restart_payout(cx, dialogue).await;
            };
            partial.recipient = Some(name.to_owned());
            let sealed = partial.seal(cx);
            dialogue.update(State::Onboarding(Awaiting::Inn { sealed })).await?;
            reply(cx, tr!(l, lang, "onb-ask-inn")).await
        }
        (Awaiting::Inn { sealed }, Some(inn)) => {
            let Some(inn) = parse_inn(inn) else {
                return reply(cx, tr!(l, lang, "onb-bad-inn")).await;
            };
            let Some(partial) = Partial::open(cx, sealed) else {
                return restart_payout(cx, dialogue).await;
            };
            let details = match partial {
                Partial {
                    number: Some(number), ..
                } => PayoutDetails::Card { number, inn },
                Partial {
                    bik: Some(bik),
                    account: Some(account),
                    recipient: Some(recipient),
                    ..
                } => PayoutDetails::Account {
                    bik,
                    account,
                    recipient,
                    inn,
                },
                _ => return restart_payout(cx, dialogue).await,
            };
            let (what, last, inn_last) = details.mask_parts();
            let masked = match what {
                "card" => tr!(l, lang, "onb-mask-card", last = last, inn = inn_last),
                _ => tr!(l, lang, "onb-mask-account", last = last, inn = inn_last),
            };
            let sealed = cx.app.data_key.seal(&serde_json::to_vec(&details).unwrap_or_default());
            p.set_payout(t.id, &sealed, &masked, now).await?;
            saved(cx, dialogue, t, tr!(l, lang, "onb-saved-payout", masked = masked)).await
        }
        (Awaiting::Photo, _) => match msg.photo().and_then(|s| s.last()) {
            Some(photo) => {
                match save_public(cx, dialogue, &t, PublicEdit::Photo(&photo.file.id.0)).await? {
                    Public::NotActive => p.set_text(t.id, TextField::PhotoFileId, &photo.file.id.0, now).await?,
                    Public::Saved => {}
                    Public::Refused => return Ok(()),
                }
                saved(cx, dialogue, t, tr!(l, lang, "onb-saved-photo")).await
            }
            None => reply(cx, tr!(l, lang, "onb-expected-photo")).await,
        },
        (Awaiting::MaterialFile, _) | (Awaiting::TaxCertificate, _) => {
            let file = match accepted_file(cx, msg) {
                Ok(f) => f,
                Err(text) => return reply(cx, text).await,
            };
            let (file_id, kind) = file;
            if awaiting == Awaiting::TaxCertificate {
                p.set_tax_certificate(t.id, &file_id, kind, now).await?;
                return saved(cx, dialogue, t, tr!(l, lang, "onb-saved-tax-certificate")).await;
            }
            dialogue
                .update(State::Onboarding(Awaiting::MaterialTitle {
                    file_id,
                    kind: kind.as_str().to_owned(),
                }))
                .await?;
            reply(cx, tr!(l, lang, "onb-ask-material-title")).await
        }
        (_, None) => reply(cx, tr!(l, lang, "onb-expected-text")).await,
    }
}

fn money(lang: Lang, m: Money) -> String {
    m.format(match lang {
        Lang::Ru => MoneyLocale::Ru,
        Lang::En => MoneyLocale::En,
    })
}

/// An https link with a host (the video room, R-ONB-2).
fn valid_room_link(text: &str) -> Option<String> {
    if text.chars().count() > 500 || text.contains(char::is_whitespace) {
        return None;
    }
    let url = url::Url::parse(text).ok()?;
    (url.scheme() == "https" && url.host_str().is_some_and(|h| h.contains('.'))).then(|| url.to_string())
}

/// A PDF document up to 20 MB, or a photo (R-ONB-6, R-ONB-8).
fn accepted_file(cx: &Cx, msg: &Message) -> Result<(String, FileKind), String> {
    let (l, lang) = (cx.l(), cx.lang());
    if let Some(photo) = msg.photo().and_then(|s| s.last()) {
        return Ok((photo.file.id.0.clone(), FileKind::Photo));
    }
    let Some(doc) = msg.document() else {
        return Err(tr!(l, lang, "onb-expected-file"));
    };
    let is_pdf = doc
        .mime_type
        .as_ref()
        .is_some_and(|m| m.essence_str() == "application/pdf")
        || doc
            .file_name
            .as_deref()
            .is_some_and(|n| n.to_ascii_lowercase().ends_with(".pdf"));
    if !is_pdf {
        return Err(tr!(l, lang, "onb-bad-file-type"));
    }
    if doc.file.size > DOCUMENT_MAX_BYTES {
        return Err(tr!(l, lang, "onb-bad-file-size"));
    }
    Ok((doc.file.id.0.clone(), FileKind::Document))
}

/// Deletes the user's message with a card or account number (R-ONB-7) and says so.
async fn delete_sensitive(cx: &Cx, msg: &Message) {
    let said = match cx.bot.delete_message(cx.chat_id, msg.id).await {
        Ok(_) => tr!(cx.l(), cx.lang(), "onb-deleted-sensitive"),
        Err(_) => tr!(cx.l(), cx.lang(), "onb-delete-sensitive-failed"),
    };
    let _ = cx.send(said).await;
}

async fn restart_payout(cx: &Cx, dialogue: &ChatDialogue) -> HandlerResult {
    dialogue.exit().await?;
    reply(cx, tr!(cx.l(), cx.lang(), "onb-payout-restart")).await
}

async fn reply(cx: &Cx, text: String) -> HandlerResult {
    cx.send(text).await?;
    Ok(())
}

async fn saved(cx: &Cx, dialogue: &ChatDialogue, t: Therapist, header: String) -> HandlerResult {
    dialogue.exit().await?;
    let t = Therapists(&cx.app.db).get(t.id).await?.unwrap_or(t);
    if t.status == TherapistStatus::Active {
        return super::profile::send_menu(cx, &t, Some(header)).await;
    }
    send_checklist(cx, t, Some(header)).await
}

/// What [`save_public`] did.
enum Public {
    /// The profile is not active: the caller saves as in onboarding.
    NotActive,
    /// Saved, the admins' notice enqueued.
    Saved,
    /// Not active any more (suspended meanwhile): nothing changed, the therapist was told.
    Refused,
}

/// A field clients see (name, photo, bio) of an ACTIVE profile: applied at once with the
/// admins' informational notice in the same transaction (decided: no new moderation, see
/// `profile`).
async fn save_public(
    cx: &Cx,
    dialogue: &ChatDialogue,
    t: &Therapist,
    edit: PublicEdit<'_>,
) -> Result<Public, BotError> {
    if t.status != TherapistStatus::Active {
        return Ok(Public::NotActive);
    }
    let notice = super::profile::admin_notice(cx, t, &edit);
    match Profiles(&cx.app.db)
        .apply_public_edit(t.id, edit, &notice, cx.app.clock.now())
        .await
    {
        Ok(()) => Ok(Public::Saved),
        Err(StoreError::NotFound) => {
            dialogue.exit().await?;
            reply(cx, tr!(cx.l(), cx.lang(), "onb-not-now")).await?;
            Ok(Public::Refused)
        }
        Err(e) => Err(e.into()),
    }
}
