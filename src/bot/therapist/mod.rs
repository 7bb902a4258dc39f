//! The therapist's branch of the handler tree: onboarding (R-ONB-2..9) while the profile is
//! being filled in, the working menu (/calendar, /bookings, /programs) and its dialogue steps;
//! everything else goes to the shared commands.

pub mod bookings;
pub mod calendar;
pub mod datepicker;
pub mod invite;
pub mod onboarding;
pub mod onboarding_input;
pub mod payouts;
pub mod prices;
pub mod profile;
pub mod programs;

use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardMarkup, MessageId};
use teloxide::{ApiError, RequestError};

use super::{actor, commands, common, Actor, AppState, BotApi, BotError, ChatDialogue, Cx, HandlerResult, State};
use crate::roles::Role;
use crate::store::therapists::{Therapist, Therapists};
use crate::tr;

/// A therapist's private message.
pub async fn private_message(
    bot: BotApi,
    app: Arc<AppState>,
    actor: Actor,
    msg: Message,
    dialogue: ChatDialogue,
) -> HandlerResult {
    let cx = actor::cx(bot, app, actor, msg.chat.id);
    cx.clone()
        .guard("therapist_message", on_message(&cx, &msg, &dialogue))
        .await
}

async fn on_message(cx: &Cx, msg: &Message, dialogue: &ChatDialogue) -> HandlerResult {
    if onboarding_message(cx, msg, dialogue).await? {
        return Ok(());
    }
    let state = dialogue.get().await?.unwrap_or_default();
    if let Some(text) = msg.text() {
        match commands::parse(text, &cx.app.bot_username) {
            Some(cmd) => match cmd.name.as_str() {
                "calendar" => {
                    dialogue.exit().await?;
                    return calendar::open(cx).await;
                }
                "bookings" => {
                    dialogue.exit().await?;
                    return bookings::open(cx).await;
                }
                "programs" => {
                    dialogue.exit().await?;
                    return programs::open(cx).await;
                }
                "profile" => {
                    dialogue.exit().await?;
                    return profile::open(cx).await;
                }
                "prices" => {
                    dialogue.exit().await?;
                    return prices::open(cx).await;
                }
                // R-PAY-2..4: the therapist's own payouts (admins are routed before this
                // branch and keep their /payouts).
                "payouts" => {
                    dialogue.exit().await?;
                    return payouts::open(cx).await;
                }
                _ => {}
            },
            None => match state {
                State::Calendar { draft } => return calendar::on_text(cx, text, dialogue, draft).await,
                State::Program { draft } => return programs::on_text(cx, text, dialogue, draft).await,
                State::PriceChange { kind } => return prices::on_text(cx, text, dialogue, kind).await,
                State::Receipt { booking_id } => return payouts::on_text(cx, text, dialogue, booking_id).await,
                State::ForceMajeureDocument { .. } => {
                    cx.send(tr!(cx.l(), cx.lang(), "bookings-fm-send-document")).await?;
                    return Ok(());
                }
                _ => {}
            },
        }
    } else if let Some(doc) = msg.document() {
        match state {
            State::ForceMajeureDocument { slot_id } => {
                return bookings::on_document(cx, dialogue, slot_id, &doc.file.id.0).await;
            }
            State::Program { draft } => return programs::on_document(cx, dialogue, draft, doc).await,
            State::Receipt { booking_id } => return payouts::on_document(cx, dialogue, booking_id, doc).await,
            _ => {}
        }
    } else if let Some(photo) = msg
        .photo()
        .and_then(|sizes| sizes.iter().max_by_key(|p| p.width * p.height))
    {
        match state {
            // A scan sent as a photo is a document too.
            State::ForceMajeureDocument { slot_id } => {
                return bookings::on_document(cx, dialogue, slot_id, &photo.file.id.0).await;
            }
            State::Program { .. } => {
                cx.send(tr!(cx.l(), cx.lang(), "programs-ask-presentation")).await?;
                return Ok(());
            }
            State::Receipt { booking_id } => {
                return payouts::on_photo(cx, dialogue, booking_id, &photo.file.id.0).await;
            }
            _ => {}
        }
    }
    common::on_private_message(cx, msg, dialogue).await
}

/// The therapist record of the person writing; `None` (after telling them) when there is none.
pub async fn me(cx: &Cx) -> Result<Option<Therapist>, BotError> {
    let t = Therapists(&cx.app.db).by_telegram(cx.actor.user.telegram_id).await?;
    if t.is_none() {
        cx.send(tr!(cx.l(), cx.lang(), "unexpected-command")).await?;
    }
    Ok(t)
}

/// Like [`me`] for a button press: anyone but a bound therapist is told the button is not
/// for them, and nothing changes.
pub async fn me_for_press(cx: &Cx, press: &Press<'_>) -> Result<Option<Therapist>, BotError> {
    let t = if cx.actor.role == Role::Therapist {
        Therapists(&cx.app.db).by_telegram(cx.actor.user.telegram_id).await?
    } else {
        None
    };
    if t.is_none() {
        press.alert(cx, tr!(cx.l(), cx.lang(), "therapist-only-button")).await?;
    }
    Ok(t)
}

/// A button press being handled: answer it exactly once, and edit the message it is on.
pub struct Press<'a> {
    pub q: &'a CallbackQuery,
    pub message_id: Option<MessageId>,
}

impl<'a> Press<'a> {
    pub fn new(q: &'a CallbackQuery) -> Self {
        Self {
            q,
            message_id: q.regular_message().map(|m| m.id),
        }
    }

    /// Stops the button's spinner.
    pub async fn answer(&self, cx: &Cx) -> HandlerResult {
        cx.bot.answer_callback_query(self.q.id.clone()).await?;
        Ok(())
    }

    /// Answers with a short notice at the top of the chat.
    pub async fn answer_text(&self, cx: &Cx, text: String) -> HandlerResult {
        let text = crate::bot::html::truncate(&text, 200);
        cx.bot.answer_callback_query(self.q.id.clone()).text(text).await?;
        Ok(())
    }

    /// Answers with a notice the user must dismiss (refusals).
    pub async fn alert(&self, cx: &Cx, text: String) -> HandlerResult {
        let text = crate::bot::html::truncate(&text, 200);
        cx.bot
            .answer_callback_query(self.q.id.clone())
            .text(text)
            .show_alert(true)
            .await?;
        Ok(())
    }

    /// The button no longer means anything (an old step, a forged value).
    pub async fn stale(&self, cx: &Cx) -> HandlerResult {
        self.alert(cx, tr!(cx.l(), cx.lang(), "stale-button")).await
    }

    /// Replaces the message the button is on (or sends a new one when it is unknown). Two
    /// quick presses may render the same content twice: Telegram's "not modified" is fine.
    /// A message without text (a photo card, a document) cannot become text: the next step
    /// is sent below it instead.
    pub async fn show(&self, cx: &Cx, text: String, kb: InlineKeyboardMarkup) -> HandlerResult {
        let has_text = self.q.regular_message().is_some_and(|m| m.text().is_some());
        match self.message_id.filter(|_| has_text) {
            Some(mid) => match cx.bot.edit_message_text(cx.chat_id, mid, text).reply_markup(kb).await {
                Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) => {}
                Err(e) => return Err(e.into()),
            },
            None => {
                cx.send_with(text, kb).await?;
            }
        }
        Ok(())
    }

    /// [`Press::show`] only when the buttons would change (so an unchanged message is not
    /// edited, which Telegram refuses).
    pub async fn show_if_buttons_changed(&self, cx: &Cx, text: String, kb: InlineKeyboardMarkup) -> HandlerResult {
        let current = self.q.regular_message().and_then(|m| m.reply_markup());
        if self.message_id.is_some() && current != Some(&kb) {
            self.show(cx, text, kb).await?;
        }
        Ok(())
    }
}

/// `/start` (status, checklist), an invite opened again, or an answer to an onboarding step.
/// Returns whether the message was taken.
async fn onboarding_message(cx: &Cx, msg: &Message, dialogue: &ChatDialogue) -> Result<bool, super::BotError> {
    let cmd = msg.text().and_then(|t| commands::parse(t, &cx.app.bot_username));
    if let Some(cmd) = &cmd {
        if cmd.name != "start" {
            return Ok(false);
        }
        dialogue.exit().await?;
        if let Some(id) = crate::bot::client::card::deep_link_id(cmd.args) {
            crate::bot::client::card::show(cx, id).await?;
            return Ok(true);
        }
        if cmd.args.starts_with("inv_") {
            cx.send(crate::tr!(cx.l(), cx.lang(), "invite-already-therapist"))
                .await?;
        }
        if let Some(t) = Therapists(&cx.app.db).by_telegram(cx.actor.user.telegram_id).await? {
            onboarding::home(cx, t).await?;
        }
        return Ok(true);
    }
    if let Some(State::Onboarding(awaiting)) = dialogue.get().await? {
        onboarding_input::on_input(cx, msg, dialogue, awaiting).await?;
        return Ok(true);
    }
    Ok(false)
}
