//! The admins' branch: their private chat and the admin group chat. Invites (R-ONB-1) and
//! moderation (R-ONB-10) live in their own modules.
//!
//! Multi-step admin dialogues (invite, rejection reason) are kept in the dialogue state of the
//! chat where they started: an admin's private chat, or the admin group chat, whose one state
//! is shared by everyone there. Each step remembers which admin started it (`by`), and only
//! that admin's messages answer it; other people's conversation in the chat is left alone.

pub mod audit;
pub mod disputes;
pub mod force_majeure;
pub mod invites;
pub mod moderation;
pub mod payouts;
pub mod stats;

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use teloxide::prelude::*;
use teloxide::types::MessageId;

use super::commands::{self, Command};
use super::{actor, common, Actor, AppState, BotApi, ChatDialogue, Cx, HandlerResult, State};
use crate::roles::Role;
use crate::tr;

/// The admin commands (anyone else typing them gets the short refusal).
pub const COMMANDS: [&str; 10] = [
    "invite", "invites", "queue", "payouts", "export", "stats", "audit", "booking", "client", "cases",
];

/// An admin dialogue step, with the admin who started it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "adm", rename_all = "snake_case")]
pub enum AdminStep {
    InviteName {
        by: i64,
    },
    InviteEmail {
        by: i64,
        name: String,
    },
    RejectReason {
        by: i64,
        therapist_id: i64,
    },
    /// Suspend (`suspend`) or reinstate an active therapist, with a reason.
    StatusReason {
        by: i64,
        therapist_id: i64,
        suspend: bool,
    },
    /// "Mark paid" pressed: the transfer reference for exactly these payouts (R-PAY-2).
    PayoutReference {
        by: i64,
        therapist_id: i64,
        booking_ids: Vec<i64>,
        card: Option<i32>,
    },
    /// "Refund part" pressed: the amount, as a person types it.
    RefundAmount {
        by: i64,
        booking_id: i64,
        card: Option<i32>,
    },
    /// "Return" pressed on a submitted group program: the comments for the therapist (R-GRP-2).
    ProgramReturn {
        by: i64,
        program_id: i64,
        card: Option<i32>,
    },
    /// "Refund in full" pressed (`amount` None), or "Refund part" after its amount (kopecks):
    /// the reason, recorded in the audit log and told to the client.
    RefundReason {
        by: i64,
        booking_id: i64,
        card: Option<i32>,
        amount: Option<i64>,
    },
    /// "Cancel on the platform's side" pressed: the reason, as above.
    CancelReason {
        by: i64,
        booking_id: i64,
        card: Option<i32>,
    },
}

impl AdminStep {
    pub fn by(&self) -> i64 {
        match self {
            AdminStep::InviteName { by }
            | AdminStep::InviteEmail { by, .. }
            | AdminStep::RejectReason { by, .. }
            | AdminStep::StatusReason { by, .. }
            | AdminStep::PayoutReference { by, .. }
            | AdminStep::RefundAmount { by, .. }
            | AdminStep::ProgramReturn { by, .. }
            | AdminStep::RefundReason { by, .. }
            | AdminStep::CancelReason { by, .. } => *by,
        }
    }
}

/// Admin buttons' callback data (prefix `a:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdmAction {
    Revoke(i64),
    Approve(i64),
    Reject(i64),
    Suspend(i64),
    Reinstate(i64),
    MarkPaid(i64),
    RefundFull(i64),
    RefundPart(i64),
    AdminCancel(i64),
    FmAccept(i64),
    FmRefuse(i64),
    /// Refund a package's unused credits (R-PAY-1).
    PkgRefund(i64),
}

impl AdmAction {
    pub fn encode(&self) -> String {
        match self {
            AdmAction::Revoke(id) => format!("rv:{id}"),
            AdmAction::Approve(id) => format!("ap:{id}"),
            AdmAction::Reject(id) => format!("rj:{id}"),
            AdmAction::Suspend(id) => format!("sp:{id}"),
            AdmAction::Reinstate(id) => format!("rs:{id}"),
            AdmAction::MarkPaid(id) => format!("pp:{id}"),
            AdmAction::RefundFull(id) => format!("rf:{id}"),
            AdmAction::RefundPart(id) => format!("rq:{id}"),
            AdmAction::AdminCancel(id) => format!("ac:{id}"),
            AdmAction::FmAccept(id) => format!("fa:{id}"),
            AdmAction::FmRefuse(id) => format!("fr:{id}"),
            AdmAction::PkgRefund(id) => format!("kr:{id}"),
        }
    }

    pub fn decode(s: &str) -> Option<Self> {
        let (kind, id) = s.split_once(':')?;
        if id.is_empty() || id.len() > 19 || !id.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let id: i64 = id.parse().ok()?;
        match kind {
            "rv" => Some(AdmAction::Revoke(id)),
            "ap" => Some(AdmAction::Approve(id)),
            "rj" => Some(AdmAction::Reject(id)),
            "sp" => Some(AdmAction::Suspend(id)),
            "rs" => Some(AdmAction::Reinstate(id)),
            "pp" => Some(AdmAction::MarkPaid(id)),
            "rf" => Some(AdmAction::RefundFull(id)),
            "rq" => Some(AdmAction::RefundPart(id)),
            "ac" => Some(AdmAction::AdminCancel(id)),
            "fa" => Some(AdmAction::FmAccept(id)),
            "fr" => Some(AdmAction::FmRefuse(id)),
            "kr" => Some(AdmAction::PkgRefund(id)),
            _ => None,
        }
    }
}

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
        .guard("admin_message", async {
            if let Some(text) = msg.text() {
                match commands::parse(text, &cx.app.bot_username) {
                    Some(cmd) if COMMANDS.contains(&cmd.name.as_str()) => {
                        return admin_command(&cx, &cmd, &dialogue).await;
                    }
                    Some(cmd) if cmd.name == "start" && crate::bot::client::card::deep_link_id(cmd.args).is_some() => {
                        let id = crate::bot::client::card::deep_link_id(cmd.args).unwrap_or_default();
                        return crate::bot::client::card::show(&cx, id).await;
                    }
                    Some(cmd) if cmd.name == "start" && cmd.args.starts_with("inv_") => {
                        cx.send(tr!(cx.l(), cx.lang(), "invite-admin-cannot-use")).await?;
                        return Ok(());
                    }
                    Some(_) => {}
                    None => {
                        if let Some(State::Admin(step)) = dialogue.get().await? {
                            return on_step_text(&cx, text, &dialogue, step).await;
                        }
                    }
                }
            }
            common::on_private_message(&cx, &msg, &dialogue).await
        })
        .await
}

/// An admin's command in the admin group chat.
pub async fn admin_chat_command(cx: &Cx, cmd: &Command<'_>, dialogue: &ChatDialogue) -> HandlerResult {
    match cmd.name.as_str() {
        "help" | "start" => common::help(cx).await,
        "cancel" => {
            let text = match dialogue.get().await? {
                Some(State::Admin(_)) => {
                    dialogue.exit().await?;
                    tr!(cx.l(), cx.lang(), "cancel-done")
                }
                _ => tr!(cx.l(), cx.lang(), "cancel-nothing"),
            };
            cx.send(text).await?;
            Ok(())
        }
        name if COMMANDS.contains(&name) => admin_command(cx, cmd, dialogue).await,
        _ => {
            cx.send(tr!(cx.l(), cx.lang(), "unexpected-command")).await?;
            Ok(())
        }
    }
}

/// A non-command message of an admin in the admin chat: the answer to a pending step, if that
/// admin started it.
pub async fn admin_chat_text(cx: &Cx, text: &str, dialogue: &ChatDialogue) -> HandlerResult {
    match dialogue.get().await? {
        Some(State::Admin(step)) if step.by() == cx.actor.user.telegram_id => {
            on_step_text(cx, text, dialogue, step).await
        }
        _ => Ok(()),
    }
}

async fn admin_command(cx: &Cx, cmd: &Command<'_>, dialogue: &ChatDialogue) -> HandlerResult {
    match cmd.name.as_str() {
        "invite" => invites::start(cx, dialogue).await,
        "invites" => invites::list(cx).await,
        "payouts" => payouts::list(cx).await,
        "export" => payouts::export(cx, cmd.args).await,
        "stats" => stats::show(cx).await,
        "audit" => audit::show(cx, cmd.args).await,
        "booking" => disputes::show(cx, cmd.args).await,
        "client" => disputes::client(cx, cmd.args).await,
        "cases" => force_majeure::list(cx).await,
        _ => moderation::queue(cx).await,
    }
}

async fn on_step_text(cx: &Cx, text: &str, dialogue: &ChatDialogue, step: AdminStep) -> HandlerResult {
    match step {
        AdminStep::InviteName { .. } | AdminStep::InviteEmail { .. } => {
            invites::on_text(cx, text, dialogue, step).await
        }
        AdminStep::RejectReason { therapist_id, .. } => moderation::on_reason(cx, text, dialogue, therapist_id).await,
        AdminStep::StatusReason {
            therapist_id, suspend, ..
        } => moderation::on_status_reason(cx, text, dialogue, therapist_id, suspend).await,
        AdminStep::PayoutReference {
            therapist_id,
            booking_ids,
            card,
            ..
        } => payouts::on_reference(cx, text, dialogue, therapist_id, booking_ids, card).await,
        AdminStep::RefundAmount { booking_id, card, .. } => {
            disputes::on_amount(cx, text, dialogue, booking_id, card).await
        }
        AdminStep::ProgramReturn { program_id, card, .. } => {
            crate::bot::therapist::programs::on_return_comment(cx, text, dialogue, program_id, card).await
        }
        AdminStep::RefundReason {
            booking_id,
            card,
            amount,
            ..
        } => disputes::on_refund_reason(cx, text, dialogue, booking_id, card, amount).await,
        AdminStep::CancelReason { booking_id, card, .. } => {
            disputes::on_cancel_reason(cx, text, dialogue, booking_id, card).await
        }
    }
}

/// Admin buttons: only admins may press them; anyone else changes nothing.
pub async fn on_callback(
    cx: &Cx,
    q: &CallbackQuery,
    mid: Option<MessageId>,
    action: AdmAction,
    dialogue: &ChatDialogue,
) -> HandlerResult {
    if cx.actor.role != Role::Admin {
        cx.bot
            .answer_callback_query(q.id.clone())
            .text(tr!(cx.l(), cx.lang(), "admin-only"))
            .show_alert(true)
            .await?;
        return Ok(());
    }
    match action {
        AdmAction::Revoke(id) => invites::revoke(cx, q, mid, id).await,
        AdmAction::Approve(id) => moderation::approve(cx, q, mid, id).await,
        AdmAction::Reject(id) => moderation::ask_reason(cx, q, id, dialogue).await,
        AdmAction::Suspend(id) => moderation::ask_status_reason(cx, q, id, true, dialogue).await,
        AdmAction::Reinstate(id) => moderation::ask_status_reason(cx, q, id, false, dialogue).await,
        AdmAction::MarkPaid(id) => payouts::ask_reference(cx, q, mid, id, dialogue).await,
        AdmAction::RefundFull(id) => disputes::ask_refund_reason(cx, q, mid, id, dialogue).await,
        AdmAction::RefundPart(id) => disputes::ask_amount(cx, q, mid, id, dialogue).await,
        AdmAction::AdminCancel(id) => disputes::ask_cancel_reason(cx, q, mid, id, dialogue).await,
        AdmAction::FmAccept(id) => force_majeure::decide(cx, q, mid, id, true).await,
        AdmAction::FmRefuse(id) => force_majeure::decide(cx, q, mid, id, false).await,
        AdmAction::PkgRefund(id) => disputes::refund_package(cx, q, mid, id).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bot::callback::Action;

    #[test]
    fn admin_buttons_round_trip_and_refuse_forgeries() {
        for a in [
            AdmAction::Revoke(1),
            AdmAction::Approve(i64::MAX),
            AdmAction::Reject(7),
            AdmAction::Suspend(8),
            AdmAction::Reinstate(9),
            AdmAction::MarkPaid(10),
            AdmAction::RefundFull(11),
            AdmAction::RefundPart(12),
            AdmAction::AdminCancel(13),
            AdmAction::FmAccept(14),
            AdmAction::FmRefuse(15),
            AdmAction::PkgRefund(16),
        ] {
            let data = Action::Adm(a).encode();
            assert!(data.len() <= 64);
            assert_eq!(Action::decode(&data), Some(Action::Adm(a)));
        }
        for s in [
            "a:ap:",
            "a:ap:-1",
            "a:ap:1x",
            "a:zz:1",
            "a:ap:99999999999999999999",
            "a:ap",
        ] {
            assert_eq!(Action::decode(s), None, "{s}");
        }
    }

    #[test]
    fn admin_steps_survive_serialisation() {
        for st in [
            State::Admin(AdminStep::InviteEmail {
                by: 1,
                name: "Анна".into(),
            }),
            State::Admin(AdminStep::StatusReason {
                by: 1,
                therapist_id: 2,
                suspend: true,
            }),
            State::Admin(AdminStep::ProgramReturn {
                by: 1,
                program_id: 3,
                card: Some(4),
            }),
            State::Admin(AdminStep::RefundReason {
                by: 1,
                booking_id: 2,
                card: Some(3),
                amount: Some(100_050),
            }),
            State::Admin(AdminStep::CancelReason {
                by: 1,
                booking_id: 2,
                card: None,
            }),
            State::Onboarding(crate::bot::therapist::onboarding_input::Awaiting::Price {
                kind: crate::domain::PriceKind::Individual,
            }),
        ] {
            let json = serde_json::to_string(&st).unwrap();
            assert_eq!(serde_json::from_str::<State>(&json).unwrap(), st, "{json}");
        }
    }
}
