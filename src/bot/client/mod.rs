//! The client's branch of the handler tree. The client flows (consent, questionnaire, tests,
//! recommendations, booking) plug in here; until then clients get the shared commands.

use std::sync::Arc;

use teloxide::prelude::*;

use super::{actor, common, Actor, AppState, BotApi, ChatDialogue, HandlerResult};

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
        .guard("client_message", common::on_private_message(&cx, &msg, &dialogue))
        .await
}
