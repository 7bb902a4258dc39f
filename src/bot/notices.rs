//! The words of notifications that other parts of the product cause (payments today), written
//! to the outbox in the recipient's language and time zone.

use std::sync::Arc;

use chrono_tz::Tz;

use super::html::escape;
use super::timefmt;
use crate::domain::{MoneyLocale, SessionKind};
use crate::i18n::{Lang, Locales};
use crate::payments::service::PaymentNotices;
use crate::store::bookings::BookingDetails;
use crate::store::outbox::OutboxMessage;
use crate::store::packages::PackageRecord;
use crate::tr;

pub struct LocaleNotices {
    pub locales: Arc<Locales>,
    pub default_tz: Tz,
    pub default_lang: Lang,
}

/// A session kind in words.
pub fn kind_name(l: &Locales, lang: Lang, kind: SessionKind) -> String {
    match kind {
        SessionKind::Individual => tr!(l, lang, "session-kind-individual"),
        SessionKind::Group => tr!(l, lang, "session-kind-group"),
        SessionKind::Consultation => tr!(l, lang, "session-kind-consultation"),
    }
}

/// An amount in the viewer's language.
pub fn money(lang: Lang, m: crate::domain::Money) -> String {
    m.format(match lang {
        Lang::Ru => MoneyLocale::Ru,
        Lang::En => MoneyLocale::En,
    })
}

/// A client's name as therapists see it: "deleted client" for a client who had their data
/// deleted (R-CLI-7: the name is blanked, the bookings stay for accounting).
pub fn client_label(l: &Locales, lang: Lang, name: &str) -> String {
    if name.trim().is_empty() {
        tr!(l, lang, "client-deleted-label")
    } else {
        name.to_owned()
    }
}

impl PaymentNotices for LocaleNotices {
    fn booking_paid(&self, b: &BookingDetails) -> Vec<OutboxMessage> {
        let l = &self.locales;
        let mut out = Vec::new();
        let lang = b.client_language;
        let when = timefmt::local_time(b.starts_at, b.client_tz.unwrap_or(self.default_tz), lang);
        out.push(
            OutboxMessage::new(
                b.client_id,
                tr!(
                    l,
                    lang,
                    "payment-paid-client",
                    therapist = escape(&b.therapist_name),
                    kind = kind_name(l, lang, b.kind),
                    when = when,
                    amount = money(lang, b.price)
                ),
            )
            .dedupe(format!("booking-paid:client:{}", b.id)),
        );
        if let Some(t) = b.therapist_telegram_id {
            let lang = b.therapist_language.unwrap_or(self.default_lang);
            let when = timefmt::local_time(b.starts_at, b.therapist_tz.unwrap_or(self.default_tz), lang);
            out.push(
                OutboxMessage::new(
                    t,
                    tr!(
                        l,
                        lang,
                        "payment-paid-therapist",
                        client = escape(&client_label(l, lang, &b.client_name)),
                        kind = kind_name(l, lang, b.kind),
                        when = when,
                        amount = money(lang, b.price)
                    ),
                )
                .dedupe(format!("booking-paid:therapist:{}", b.id)),
            );
        }
        out
    }

    fn pay_message_paid(&self, b: &BookingDetails) -> String {
        let l = &self.locales;
        let lang = b.client_language;
        let when = timefmt::local_time(b.starts_at, b.client_tz.unwrap_or(self.default_tz), lang);
        tr!(
            l,
            lang,
            "book-pay-closed-paid",
            therapist = escape(&b.therapist_name),
            kind = kind_name(l, lang, b.kind),
            when = when
        )
    }

    fn late_money_returned(&self, b: &BookingDetails, released: bool) -> Vec<OutboxMessage> {
        let lang = b.client_language;
        // A released hold was never taken; captured money is refunded to the card.
        let text = if released {
            tr!(
                &self.locales,
                lang,
                "payment-late-returned",
                amount = money(lang, b.price)
            )
        } else {
            tr!(
                &self.locales,
                lang,
                "payment-late-refunded",
                amount = money(lang, b.price)
            )
        };
        vec![OutboxMessage::new(b.client_id, text)]
    }

    fn package_paid(&self, p: &PackageRecord) -> Vec<OutboxMessage> {
        let lang = p.client_language;
        vec![OutboxMessage::new(
            p.client_id,
            tr!(
                &self.locales,
                lang,
                "package-paid-client",
                therapist = escape(&p.therapist_name),
                size = p.package.size(),
                amount = money(lang, p.package.paid())
            ),
        )
        .dedupe(format!("package-paid:client:{}", p.id))]
    }

    fn package_pay_message_paid(&self, p: &PackageRecord) -> String {
        tr!(
            &self.locales,
            p.client_language,
            "package-pay-closed-paid",
            therapist = escape(&p.therapist_name),
            size = p.package.size()
        )
    }

    fn package_late_money_returned(&self, p: &PackageRecord) -> Vec<OutboxMessage> {
        let lang = p.client_language;
        vec![OutboxMessage::new(
            p.client_id,
            tr!(
                &self.locales,
                lang,
                "package-late-returned",
                therapist = escape(&p.therapist_name),
                amount = money(lang, p.package.paid())
            ),
        )]
    }
}
