//! The therapist's branch of the handler tree: onboarding (R-ONB-2..9) while the profile is
//! being filled in; the shared commands otherwise.

pub mod invite;
pub mod onboarding;
pub mod onboarding_input;

use std::sync::Arc;

use teloxide::prelude::*;

use super::{actor, commands, common, Actor, AppState, BotApi, ChatDialogue, Cx, HandlerResult, State};
use crate::store::therapists::Therapists;

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
        .guard("therapist_message", async {
            if onboarding_message(&cx, &msg, &dialogue).await? {
                return Ok(());
            }
            common::on_private_message(&cx, &msg, &dialogue).await
        })
        .await
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
