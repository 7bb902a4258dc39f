//! Each role's command menu (`setMyCommands`): clients in the default scope (one list per
//! language), therapists and admins in their own chat's scope, admins also in the admin chat.
//! Menus are refreshed when a user's role or chosen language changes.

use teloxide::prelude::*;
use teloxide::types::{BotCommand, BotCommandScope, Recipient};

use super::BotApi;
use crate::i18n::{Lang, Locales};
use crate::roles::Role;
use crate::tr;

/// The commands a role sees, in a language.
pub fn commands(role: Role, lang: Lang, l: &Locales) -> Vec<BotCommand> {
    let c = |name: &str, desc: String| BotCommand::new(name, desc);
    let mut list = Vec::new();
    if role != Role::Admin {
        list.push(c("start", tr!(l, lang, "cmd-start")));
    }
    if role == Role::Client {
        list.push(c("therapists", tr!(l, lang, "cmd-therapists")));
        list.push(c("programs_list", tr!(l, lang, "cmd-programs-list")));
        list.push(c("recommend", tr!(l, lang, "cmd-recommend")));
        list.push(c("questionnaire", tr!(l, lang, "cmd-questionnaire")));
        list.push(c("tests", tr!(l, lang, "cmd-tests")));
        list.push(c("mybookings", tr!(l, lang, "cmd-mybookings")));
        list.push(c("mydata", tr!(l, lang, "cmd-mydata")));
    }
    if role == Role::Therapist {
        list.push(c("profile", tr!(l, lang, "cmd-profile")));
        list.push(c("prices", tr!(l, lang, "cmd-prices")));
        list.push(c("calendar", tr!(l, lang, "cmd-calendar")));
        list.push(c("bookings", tr!(l, lang, "cmd-bookings")));
        list.push(c("programs", tr!(l, lang, "cmd-programs")));
        list.push(c("payouts", tr!(l, lang, "cmd-payouts-therapist")));
    }
    list.push(c("help", tr!(l, lang, "cmd-help")));
    list.push(c("timezone", tr!(l, lang, "cmd-timezone")));
    list.push(c("language", tr!(l, lang, "cmd-language")));
    list.push(c("cancel", tr!(l, lang, "cmd-cancel")));
    if role == Role::Admin {
        list.push(c("invite", tr!(l, lang, "cmd-invite")));
        list.push(c("invites", tr!(l, lang, "cmd-invites")));
        list.push(c("queue", tr!(l, lang, "cmd-queue")));
        list.push(c("payouts", tr!(l, lang, "cmd-payouts")));
        list.push(c("export", tr!(l, lang, "cmd-export")));
        list.push(c("stats", tr!(l, lang, "cmd-stats")));
        list.push(c("audit", tr!(l, lang, "cmd-audit")));
        list.push(c("booking", tr!(l, lang, "cmd-booking")));
        list.push(c("client", tr!(l, lang, "cmd-client")));
        list.push(c("cases", tr!(l, lang, "cmd-cases")));
    }
    list
}

/// Sets the menus that do not depend on a user: the clients' default (in each language, and
/// without a language for everyone else) and the admin chat's.
pub async fn set_global(
    bot: &BotApi,
    l: &Locales,
    default_lang: Lang,
    admin_chat_id: i64,
) -> Result<(), teloxide::RequestError> {
    bot.set_my_commands(commands(Role::Client, default_lang, l)).await?;
    for lang in Lang::ALL {
        bot.set_my_commands(commands(Role::Client, lang, l))
            .language_code(lang.code())
            .await?;
    }
    bot.set_my_commands(commands(Role::Admin, default_lang, l))
        .scope(BotCommandScope::Chat {
            chat_id: Recipient::Id(ChatId(admin_chat_id)),
        })
        .await?;
    Ok(())
}

/// Sets the menu of one user's private chat for their role and language. Clients who never
/// chose a language follow the default scope, so their chat scope is removed.
pub async fn set_for_user(
    bot: &BotApi,
    l: &Locales,
    user_id: i64,
    role: Role,
    lang: Lang,
    language_chosen: bool,
) -> Result<(), teloxide::RequestError> {
    let scope = BotCommandScope::Chat {
        chat_id: Recipient::Id(ChatId(user_id)),
    };
    if role == Role::Client && !language_chosen {
        bot.delete_my_commands().scope(scope).await?;
    } else {
        bot.set_my_commands(commands(role, lang, l)).scope(scope).await?;
    }
    Ok(())
}
