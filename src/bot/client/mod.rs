//! The client's branch of the handler tree: consent, the intake questionnaire, the tests and
//! their data; the shared commands otherwise. Catalogue, recommendations and booking plug in
//! here. An invite link (`/start inv_...`) is opened here, since its opener is not a therapist
//! yet (R-ONB-1).

pub mod actions;
pub mod booking;
pub mod card;
pub mod catalog;
pub mod intake;
pub mod mybookings;
pub mod mydata;
pub mod packages;
pub mod pay_message;
pub mod programs;
pub mod recommend;
pub mod screening;

use std::sync::Arc;

use teloxide::prelude::*;

use super::{actor, commands, common, therapist, Actor, AppState, BotApi, ChatDialogue, HandlerResult, State};
use crate::tr;

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
            let state = dialogue.get().await?.unwrap_or_default();
            if let Some(text) = msg.text() {
                if let Some(cmd) = commands::parse(text, &cx.app.bot_username) {
                    match cmd.name.as_str() {
                        "start" if therapist::invite::invite_code(cmd.args).is_some() => {
                            dialogue.exit().await?;
                            let code = therapist::invite::invite_code(cmd.args).unwrap_or_default();
                            return therapist::invite::open(&cx, code).await;
                        }
                        "start" if card::deep_link_id(cmd.args).is_some() => {
                            dialogue.exit().await?;
                            return card::show(&cx, card::deep_link_id(cmd.args).unwrap_or_default()).await;
                        }
                        "mybookings" => return mybookings::show(&cx).await,
                        "start" => {
                            dialogue.exit().await?;
                            common::start(&cx).await?;
                            return intake::after_start(&cx).await;
                        }
                        "questionnaire" => return intake::open(&cx, &dialogue).await,
                        "tests" => {
                            if matches!(state, State::Screening { .. }) {
                                dialogue.exit().await?;
                            }
                            return screening::offer(&cx).await;
                        }
                        "mydata" => return mydata::show(&cx).await,
                        "recommend" => return recommend::show(&cx).await,
                        "therapists" => return catalog::open(&cx).await,
                        "programs_list" => return catalog::programs(&cx).await,
                        "cancel" if state == State::Questionnaire => {
                            dialogue.exit().await?;
                            cx.send(tr!(cx.l(), cx.lang(), "intake-paused")).await?;
                            return Ok(());
                        }
                        _ => {}
                    }
                } else if state == State::Questionnaire {
                    return intake::on_text(&cx, text, &dialogue).await;
                }
            }
            common::on_private_message(&cx, &msg, &dialogue).await
        })
        .await
}
