//! The therapist's branch of the handler tree. Onboarding and the working menu plug in here;
//! until then therapists get the shared commands.

use std::sync::Arc;

use teloxide::prelude::*;

use super::{actor, common, Actor, AppState, BotApi, ChatDialogue, HandlerResult};

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
        .guard("therapist_message", common::on_private_message(&cx, &msg, &dialogue))
        .await
}
