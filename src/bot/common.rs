//! What every role can do in a private chat (/start, /help, /language, /timezone, /cancel),
//! the answer to everything unexpected, the admin-chat rules, and the shared buttons.

use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId};

use super::callback::Action;
use super::commands::{self, Command};
use super::html::{escape, truncate};
use super::{actor, timefmt, Actor, AppState, BotApi, ChatDialogue, Cx, HandlerResult, State};
use crate::i18n::Lang;
use crate::roles::Role;
use crate::store::users::Users;
use crate::tr;

/// The client's commands about their own intake, data and bookings (issue 6): anyone else
/// typing them is told they are for clients.
pub const CLIENT_ONLY_COMMANDS: [&str; 5] = ["mybookings", "questionnaire", "tests", "mydata", "recommend"];

/// Issue 6: the client's buttons that book, manage the client's bookings or their intake are
/// for clients only. A therapist or an admin may browse (the catalogue, a card and its
/// materials) but never books as a client, even through a deep link's card; the press is
/// refused before any client handler runs.
pub fn client_only_press(role: Role, action: &Action) -> bool {
    use super::client::booking::CbPress;
    role != Role::Client
        && match action {
            Action::Book(p) => !matches!(p, CbPress::Card(_) | CbPress::Materials(_)),
            Action::Intake(_) => true,
            _ => false,
        }
}

/// Handles a private message that no role-specific handler took: the shared commands, the
/// current dialogue step, or a clear answer that says what the bot expected.
pub async fn on_private_message(cx: &Cx, msg: &Message, dialogue: &ChatDialogue) -> HandlerResult {
    let state = dialogue.get().await?.unwrap_or_default();
    if let Some(text) = msg.text() {
        if let Some(cmd) = commands::parse(text, &cx.app.bot_username) {
            return on_command(cx, &cmd, dialogue, &state).await;
        }
        return on_text(cx, text, dialogue, &state).await;
    }
    // Stickers, photos, voice...: nothing here takes them yet.
    let key = if state.is_idle() {
        "unexpected-media"
    } else {
        "expected-text-or-button"
    };
    let text = match key {
        "unexpected-media" => tr!(cx.l(), cx.lang(), "unexpected-media"),
        _ => tr!(cx.l(), cx.lang(), "expected-text-or-button"),
    };
    cx.send(text).await?;
    Ok(())
}

/// The commands every role shares.
pub async fn on_command(cx: &Cx, cmd: &Command<'_>, dialogue: &ChatDialogue, state: &State) -> HandlerResult {
    match cmd.name.as_str() {
        // Issue 6: a therapist or an admin may look at a colleague's card and the catalogue
        // (booking from them is refused at the button, see `client_only_press`).
        "start" if super::client::card::deep_link_id(cmd.args).is_some() => {
            dialogue.exit().await?;
            super::client::card::show(cx, super::client::card::deep_link_id(cmd.args).unwrap_or_default()).await
        }
        "start" => {
            dialogue.exit().await?;
            start(cx).await
        }
        "therapists" => super::client::catalog::open(cx).await,
        "programs_list" => super::client::catalog::programs(cx).await,
        "help" => help(cx).await,
        "language" => ask_language(cx).await,
        "timezone" => {
            dialogue.update(State::AwaitingTimeZone).await?;
            ask_time_zone(cx).await
        }
        "cancel" => {
            let text = if state.is_idle() {
                tr!(cx.l(), cx.lang(), "cancel-nothing")
            } else {
                dialogue.exit().await?;
                tr!(cx.l(), cx.lang(), "cancel-done")
            };
            cx.send(text).await?;
            Ok(())
        }
        // The client's own commands from a therapist or an admin (clients never get here).
        name if CLIENT_ONLY_COMMANDS.contains(&name) => {
            cx.send(tr!(cx.l(), cx.lang(), "role-client-only-command")).await?;
            Ok(())
        }
        // Admin commands from anyone else: the short refusal (admins never get here).
        name if super::admin::COMMANDS.contains(&name) => {
            cx.send(tr!(cx.l(), cx.lang(), "admin-only")).await?;
            Ok(())
        }
        _ => {
            cx.send(tr!(cx.l(), cx.lang(), "unexpected-command")).await?;
            Ok(())
        }
    }
}

async fn on_text(cx: &Cx, text: &str, dialogue: &ChatDialogue, state: &State) -> HandlerResult {
    match state {
        State::AwaitingTimeZone => match cx.app.catalog.time_zones.understand(text) {
            Some(tz) => {
                Users(&cx.app.db)
                    .set_time_zone(cx.actor.user.telegram_id, tz, cx.app.clock.now())
                    .await?;
                dialogue.exit().await?;
                cx.send(time_zone_saved(cx, tz)).await?;
                Ok(())
            }
            None => {
                let reply = if text.chars().count() > 60 {
                    tr!(cx.l(), cx.lang(), "timezone-not-understood-long")
                } else {
                    tr!(
                        cx.l(),
                        cx.lang(),
                        "timezone-not-understood",
                        input = escape(&truncate(text.trim(), 60))
                    )
                };
                cx.send(reply).await?;
                Ok(())
            }
        },
        // Onboarding and admin steps are answered by their branches before this fallback.
        State::Idle | State::Onboarding(_) | State::Admin(_) => {
            cx.send(tr!(cx.l(), cx.lang(), "unexpected-text")).await?;
            Ok(())
        }
        State::Questionnaire | State::Screening { .. } => {
            cx.send(tr!(cx.l(), cx.lang(), "intake-error-use-buttons")).await?;
            Ok(())
        }
        // Idle, or a step of a role this user no longer has.
        _ => {
            cx.send(tr!(cx.l(), cx.lang(), "unexpected-text")).await?;
            Ok(())
        }
    }
}

/// The greeting for the user's role, with what they can do.
pub async fn start(cx: &Cx) -> HandlerResult {
    let name = escape(&cx.actor.user.first_name);
    let greeting = match cx.actor.role {
        Role::Client => tr!(cx.l(), cx.lang(), "start-greeting-client", name = name),
        Role::Therapist => tr!(cx.l(), cx.lang(), "start-greeting-therapist", name = name),
        Role::Admin => tr!(cx.l(), cx.lang(), "start-greeting-admin", name = name),
    };
    let text = format!(
        "{greeting}\n\n{}\n{}",
        tr!(cx.l(), cx.lang(), "start-what-you-can-do"),
        help_lines(cx)
    );
    cx.send(text).await?;
    Ok(())
}

fn help_lines(cx: &Cx) -> String {
    let tz = cx.tz().name();
    match cx.actor.role {
        Role::Client => tr!(cx.l(), cx.lang(), "help-client", tz = tz),
        Role::Therapist => tr!(cx.l(), cx.lang(), "help-therapist", tz = tz),
        Role::Admin => tr!(cx.l(), cx.lang(), "help-admin", tz = tz),
    }
}

pub async fn help(cx: &Cx) -> HandlerResult {
    let text = format!("{}\n\n{}", help_lines(cx), tr!(cx.l(), cx.lang(), "help-footer"));
    cx.send(text).await?;
    Ok(())
}

async fn ask_language(cx: &Cx) -> HandlerResult {
    let kb = InlineKeyboardMarkup::new(vec![vec![
        InlineKeyboardButton::callback(
            tr!(cx.l(), cx.lang(), "language-button-ru"),
            Action::Language(Lang::Ru).encode(),
        ),
        InlineKeyboardButton::callback(
            tr!(cx.l(), cx.lang(), "language-button-en"),
            Action::Language(Lang::En).encode(),
        ),
    ]]);
    cx.send_with(tr!(cx.l(), cx.lang(), "language-choose"), kb).await?;
    Ok(())
}

async fn ask_time_zone(cx: &Cx) -> HandlerResult {
    let buttons: Vec<InlineKeyboardButton> = cx
        .app
        .catalog
        .time_zones
        .buttons()
        .iter()
        .enumerate()
        .map(|(i, z)| {
            let label = match cx.lang() {
                Lang::Ru => z.label_ru.clone(),
                Lang::En => z.label_en.clone(),
            };
            InlineKeyboardButton::callback(label, Action::TimeZone(i).encode())
        })
        .collect();
    let rows: Vec<Vec<InlineKeyboardButton>> = buttons.chunks(2).map(<[_]>::to_vec).collect();
    let now = timefmt::local_time(cx.app.clock.now(), cx.tz(), cx.lang());
    let text = tr!(cx.l(), cx.lang(), "timezone-ask", tz = cx.tz().name(), now = now);
    cx.send_with(text, InlineKeyboardMarkup::new(rows)).await?;
    Ok(())
}

fn time_zone_saved(cx: &Cx, tz: chrono_tz::Tz) -> String {
    let now = timefmt::local_time(cx.app.clock.now(), tz, cx.lang());
    tr!(cx.l(), cx.lang(), "timezone-set", tz = tz.name(), now = now)
}

/// Messages in groups: in the admin chat, admins' commands go to the admin branch and anyone
/// else's commands get a short refusal; elsewhere the bot asks to be written to privately.
/// Ordinary conversation in groups is left alone.
pub async fn group_message(
    bot: BotApi,
    app: Arc<AppState>,
    actor: Actor,
    msg: Message,
    dialogue: ChatDialogue,
) -> HandlerResult {
    let Some(text) = msg.text() else { return Ok(()) };
    let Some(cmd) = commands::parse(text, &app.bot_username) else {
        // An admin's answer to the admin chat's pending question (invite, rejection reason).
        if msg.chat.id.0 == app.admin_chat_id && actor.role == Role::Admin {
            let cx = actor::cx(bot, app, actor, msg.chat.id);
            return cx
                .clone()
                .guard("admin_chat_text", super::admin::admin_chat_text(&cx, text, &dialogue))
                .await;
        }
        return Ok(());
    };
    let cx = actor::cx(bot, app, actor, msg.chat.id);
    cx.clone()
        .guard("group_message", async {
            if cx.chat_id.0 == cx.app.admin_chat_id {
                if cx.actor.role == Role::Admin {
                    return super::admin::admin_chat_command(&cx, &cmd, &dialogue).await;
                }
                cx.send(tr!(cx.l(), cx.lang(), "admin-only")).await?;
                return Ok(());
            }
            cx.send(tr!(cx.l(), cx.lang(), "group-not-admin-chat")).await?;
            Ok(())
        })
        .await
}

/// Button presses. Every press is answered (so the client's spinner stops), re-checked, and
/// a stale or forged one changes nothing.
pub async fn callback(
    bot: BotApi,
    app: Arc<AppState>,
    actor: Actor,
    q: CallbackQuery,
    dialogue: ChatDialogue,
) -> HandlerResult {
    let chat_id = q
        .regular_message()
        .map(|m| m.chat.id)
        .unwrap_or(ChatId(actor.user.telegram_id));
    let cx = actor::cx(bot, app, actor, chat_id);
    cx.clone()
        .guard("callback", async {
            let action = q.data.as_deref().and_then(Action::decode);
            let message_id = q.regular_message().map(|m| m.id);
            if action.as_ref().is_some_and(|a| client_only_press(cx.actor.role, a)) {
                cx.bot
                    .answer_callback_query(q.id.clone())
                    .text(tr!(cx.l(), cx.lang(), "role-client-only-button"))
                    .show_alert(true)
                    .await?;
                return Ok(());
            }
            match action {
                Some(Action::Language(lang)) => on_language(&cx, &q, message_id, lang).await,
                Some(Action::TimeZone(i)) => on_time_zone_button(&cx, &q, message_id, i, &dialogue).await,
                Some(Action::Onb(a)) => {
                    super::therapist::onboarding::on_callback(&cx, &q, message_id, a, &dialogue).await
                }
                Some(Action::Adm(a)) => super::admin::on_callback(&cx, &q, message_id, a, &dialogue).await,
                Some(Action::Intake(a)) => super::client::intake::on_callback(&cx, &q, message_id, a, &dialogue).await,
                Some(Action::Calendar(p)) => {
                    super::therapist::calendar::on_press(&cx, &super::therapist::Press::new(&q), &dialogue, p).await
                }
                Some(Action::Bookings(p)) => {
                    super::therapist::bookings::on_press(&cx, &super::therapist::Press::new(&q), &dialogue, p).await
                }
                Some(Action::Programs(p)) => {
                    super::therapist::programs::on_press(&cx, &super::therapist::Press::new(&q), &dialogue, p).await
                }
                Some(Action::Payouts(p)) => {
                    super::therapist::payouts::on_press(&cx, &super::therapist::Press::new(&q), &dialogue, p).await
                }
                Some(Action::Catalog(p)) => super::client::catalog::on_press(&cx, &q, message_id, p).await,
                Some(Action::Prices(p)) => {
                    super::therapist::prices::on_press(&cx, &super::therapist::Press::new(&q), &dialogue, p).await
                }
                Some(Action::Book(p)) => {
                    super::client::booking::on_press(&cx, &super::therapist::Press::new(&q), p).await
                }
                None => {
                    cx.bot
                        .answer_callback_query(q.id.clone())
                        .text(tr!(cx.l(), cx.lang(), "stale-button"))
                        .await?;
                    Ok(())
                }
            }
        })
        .await
}

async fn on_language(cx: &Cx, q: &CallbackQuery, message_id: Option<MessageId>, lang: Lang) -> HandlerResult {
    let users = Users(&cx.app.db);
    let id = cx.actor.user.telegram_id;
    users.set_language(id, lang, cx.app.clock.now()).await?;
    cx.bot.answer_callback_query(q.id.clone()).await?;
    let text = if cx.lang() == lang && cx.actor.user.language_chosen {
        tr!(cx.l(), lang, "language-same")
    } else {
        tr!(cx.l(), lang, "language-set")
    };
    match message_id {
        Some(mid) => {
            cx.bot.edit_message_text(cx.chat_id, mid, text).await?;
        }
        None => {
            cx.send(text).await?;
        }
    }
    if let Some(user) = users.get(id).await? {
        if cx.chat_id.0 == id {
            actor::refresh_menu(&cx.bot, &cx.app, &user, cx.actor.role).await;
        }
    }
    Ok(())
}

async fn on_time_zone_button(
    cx: &Cx,
    q: &CallbackQuery,
    message_id: Option<MessageId>,
    index: usize,
    dialogue: &ChatDialogue,
) -> HandlerResult {
    let Some(zone) = cx.app.catalog.time_zones.buttons().get(index).map(|z| z.zone) else {
        cx.bot
            .answer_callback_query(q.id.clone())
            .text(tr!(cx.l(), cx.lang(), "stale-button"))
            .await?;
        return Ok(());
    };
    Users(&cx.app.db)
        .set_time_zone(cx.actor.user.telegram_id, zone, cx.app.clock.now())
        .await?;
    if dialogue.get().await?.unwrap_or_default() == State::AwaitingTimeZone {
        dialogue.exit().await?;
    }
    cx.bot.answer_callback_query(q.id.clone()).await?;
    let text = time_zone_saved(cx, zone);
    match message_id {
        Some(mid) => {
            cx.bot.edit_message_text(cx.chat_id, mid, text).await?;
        }
        None => {
            cx.send(text).await?;
        }
    }
    Ok(())
}
