//! The admins' branch: their private chat and the admin group chat. Invites, moderation,
//! publication, payouts and refunds plug in here.

use std::sync::Arc;

use teloxide::prelude::*;

use super::commands::Command;
use super::{actor, common, Actor, AppState, BotApi, ChatDialogue, Cx, HandlerResult};

/// An admin's private message.
pub async fn private_message(
    bot: BotApi,
    app: Arc<AppState>,
    actor: Actor,
    msg: Message,
    dialogue: ChatDialogue,
) -> HandlerResult {
    let cx = actor::cx(bot, app, actor, msg.chat.id);
    cx.clone()
        .guard("admin_message", common::on_private_message(&cx, &msg, &dialogue))
        .await
}

/// An admin's command in the admin group chat.
pub async fn admin_chat_command(cx: &Cx, cmd: &Command<'_>) -> HandlerResult {
    match cmd.name.as_str() {
        "help" | "start" => common::help(cx).await,
        _ => {
            cx.send(crate::tr!(cx.l(), cx.lang(), "unexpected-command")).await?;
            Ok(())
        }
    }
}
