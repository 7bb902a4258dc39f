//! The client's branch of the handler tree. The client flows (consent, questionnaire, tests,
//! recommendations, booking) plug in here; until then clients get the shared commands. An
//! invite link (`/start inv_...`) is opened here, since its opener is not a therapist yet.

use std::sync::Arc;

use teloxide::prelude::*;

use super::{actor, commands, common, therapist, Actor, AppState, BotApi, ChatDialogue, HandlerResult};

/// A client's private message.
pub async fn private_message(
    bot: BotApi,
    app: Arc<AppState>,
    actor: Actor,
    msg: Message,
    dialogue: ChatDialogue,
) -> HandlerResult {
    let cx = actor::cx(bot, app, actor, msg.chat.id);
    cx.clone()
        .guard("client_message", async {
            let cmd = msg.text().and_then(|t| commands::parse(t, &cx.app.bot_username));
            if let Some(code) = cmd
                .as_ref()
                .filter(|c| c.name == "start")
                .and_then(|c| therapist::invite::invite_code(c.args))
            {
                dialogue.exit().await?;
                return therapist::invite::open(&cx, code).await;
            }
            common::on_private_message(&cx, &msg, &dialogue).await
        })
        .await
}
