//! R-PAY-1: the message that shows a booking's or a package's payment link is remembered, so
//! that once it is paid or expires it can be edited in place (see `store::pay_messages`) and no
//! longer asks for payment.

use teloxide::prelude::*;
use teloxide::types::InlineKeyboardMarkup;
use teloxide::{ApiError, RequestError};

use crate::bot::therapist::Press;
use crate::bot::{Cx, HandlerResult};
use crate::store::pay_messages::{PayMessages, PayOwner};

/// Shows the payment-link text in place of the pressed message (or as a new message when the
/// pressed one is unknown or has no text, e.g. a photo card: a caption cannot become a text
/// message) and remembers which message it is. Remembering is best effort: a failure only
/// leaves that message unedited later, never the booking.
pub async fn show_pay(
    cx: &Cx,
    press: Option<&Press<'_>>,
    owner: PayOwner,
    text: String,
    kb: InlineKeyboardMarkup,
) -> HandlerResult {
    let in_place = press.and_then(|p| {
        p.message_id
            .filter(|_| p.q.regular_message().is_some_and(|m| m.text().is_some()))
    });
    // Remembered before the link shows where it is known (an edit in place), so the link is
    // never visible in a message that a payment or expiry would not close.
    if let Some(mid) = in_place {
        remember(cx, owner, mid).await;
        match cx.bot.edit_message_text(cx.chat_id, mid, text).reply_markup(kb).await {
            Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) => {}
            Err(e) => return Err(e.into()),
        }
    } else {
        let mid = cx.send_with(text, kb).await?.id;
        remember(cx, owner, mid).await;
    }
    Ok(())
}

/// Best effort: a failure only leaves that message unedited later, never the booking.
async fn remember(cx: &Cx, owner: PayOwner, mid: teloxide::types::MessageId) {
    let now = cx.app.clock.now();
    if let Err(e) = PayMessages(&cx.app.db)
        .record_for(owner, cx.chat_id.0, mid.0, now)
        .await
    {
        tracing::warn!(?owner, error = %e, "pay-link message not remembered");
    }
}
