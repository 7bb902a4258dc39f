//! Resolving who sent an update, on every update: admins are exactly the ids in ADMIN_IDS,
//! therapists are users bound to a therapist record, everyone else is a client. A changed
//! role (or a newly chosen language) refreshes the user's command menu.

use std::sync::Arc;

use teloxide::prelude::*;

use super::{menus, AppState, BotApi, Cx};
use crate::i18n::Lang;
use crate::roles::Role;
use crate::store::therapists::Therapists;
use crate::store::users::{User, Users};

/// The person behind an update, as the bot sees them now.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user: User,
    pub role: Role,
}

/// dptree step: resolves the actor, or drops updates with no human sender.
pub async fn resolve(upd: Update, app: Arc<AppState>, bot: BotApi) -> Option<Actor> {
    let from = upd.from()?.clone();
    if from.is_bot {
        return None;
    }
    let private = upd.chat().map(|c| c.is_private()).unwrap_or(false);
    let id = i64::try_from(from.id.0).ok()?;
    let now = app.clock.now();
    let tg_lang = Lang::from_telegram(from.language_code.as_deref(), app.default_lang);
    let users = Users(&app.db);
    let user = match users.seen(id, &from.first_name, tg_lang, now).await {
        Ok(u) => u,
        Err(e) => {
            tracing::error!(error = %e, "could not record the user; update dropped");
            return None;
        }
    };
    let role = if app.is_admin(from.id.0) {
        Role::Admin
    } else {
        match Therapists(&app.db).by_telegram(id).await {
            Ok(Some(_)) => Role::Therapist,
            Ok(None) => Role::Client,
            Err(e) => {
                tracing::error!(error = %e, "could not resolve the role; update dropped");
                return None;
            }
        }
    };
    if private {
        match users.update_role(id, role, now).await {
            Ok(Some(previous)) => {
                tracing::info!(user = id, from = %previous, to = %role, "role changed; refreshing the command menu");
                refresh_menu(&bot, &app, &user, role).await;
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "could not store the role"),
        }
    }
    Some(Actor { user, role })
}

/// Sets the user's private-chat menu; a failure is logged, never shown.
pub async fn refresh_menu(bot: &BotApi, app: &AppState, user: &User, role: Role) {
    if let Err(e) = menus::set_for_user(
        bot,
        &app.locales,
        user.telegram_id,
        role,
        user.language,
        user.language_chosen,
    )
    .await
    {
        tracing::warn!(error = %e, user = user.telegram_id, "could not set the command menu");
    }
}

/// Builds a handler's context.
pub fn cx(bot: BotApi, app: Arc<AppState>, actor: Actor, chat_id: ChatId) -> Cx {
    Cx {
        bot,
        app,
        actor,
        chat_id,
    }
}
