//! Callback data carried by inline buttons: short, versioned by prefix, at most 64 bytes,
//! and never trusted (every press is re-checked by its handler).

/// What a button asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Switch the bot's language.
    Language(crate::i18n::Lang),
    /// Pick the n-th zone of `dialogues/timezones.toml`.
    TimeZone(usize),
    /// An onboarding button (R-ONB-2..9).
    Onb(crate::bot::therapist::onboarding::OnbAction),
    /// An admin button (invites, moderation).
    Adm(crate::bot::admin::AdmAction),
    /// The client intake (consent, questionnaire, tests, my data).
    Intake(crate::bot::client::actions::IntakeAction),
    /// A therapist's calendar button (`bot::therapist::calendar`).
    Calendar(crate::bot::therapist::calendar::CalPress),
    /// A therapist's bookings button (`bot::therapist::bookings`).
    Bookings(crate::bot::therapist::bookings::BookPress),
    /// A therapist's group programs button (`bot::therapist::programs`).
    Programs(crate::bot::therapist::programs::ProgPress),
    Catalog(crate::bot::client::catalog::CatalogPress),
    /// A client's card, booking or my-bookings button (`bot::client::booking`).
    Book(crate::bot::client::booking::CbPress),
    /// A therapist's /prices button (`bot::therapist::prices`).
    Prices(crate::bot::therapist::prices::PricePress),
    /// A therapist's payouts and receipts button (`bot::therapist::payouts`).
    Payouts(crate::bot::therapist::payouts::PayPress),
}

impl Action {
    pub fn encode(&self) -> String {
        match self {
            Action::Language(l) => format!("lang:{}", l.code()),
            Action::TimeZone(i) => format!("tz:{i}"),
            Action::Onb(a) => format!("o:{}", a.encode()),
            Action::Adm(a) => format!("a:{}", a.encode()),
            Action::Intake(a) => a.encode(),
            Action::Calendar(p) => format!("cal:{}", p.encode()),
            Action::Bookings(p) => format!("bk:{}", p.encode()),
            Action::Programs(p) => format!("pg:{}", p.encode()),
            Action::Catalog(p) => format!("ct:{}", p.encode()),
            Action::Book(p) => format!("cb:{}", p.encode()),
            Action::Prices(p) => format!("pr:{}", p.encode()),
            Action::Payouts(p) => format!("po:{}", p.encode()),
        }
    }

    /// `None` for anything we did not produce (stale formats, forgeries).
    pub fn decode(data: &str) -> Option<Self> {
        if data.starts_with("i:") {
            return crate::bot::client::actions::IntakeAction::decode(data).map(Action::Intake);
        }
        let (kind, rest) = data.split_once(':')?;
        match kind {
            "lang" => rest.parse().ok().map(Action::Language),
            "tz" if rest.len() <= 3 && rest.bytes().all(|b| b.is_ascii_digit()) => {
                rest.parse().ok().map(Action::TimeZone)
            }
            "cal" => crate::bot::therapist::calendar::CalPress::decode(rest).map(Action::Calendar),
            "bk" => crate::bot::therapist::bookings::BookPress::decode(rest).map(Action::Bookings),
            "pg" => crate::bot::therapist::programs::ProgPress::decode(rest).map(Action::Programs),
            "ct" => crate::bot::client::catalog::CatalogPress::decode(rest).map(Action::Catalog),
            "cb" => crate::bot::client::booking::CbPress::decode(rest).map(Action::Book),
            "pr" => crate::bot::therapist::prices::PricePress::decode(rest).map(Action::Prices),
            "po" => crate::bot::therapist::payouts::PayPress::decode(rest).map(Action::Payouts),
            "o" => crate::bot::therapist::onboarding::OnbAction::decode(rest).map(Action::Onb),
            "a" => crate::bot::admin::AdmAction::decode(rest).map(Action::Adm),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn round_trips_and_fits_telegram() {
        for a in [
            Action::Language(Lang::En),
            Action::Language(Lang::Ru),
            Action::TimeZone(10),
        ] {
            let s = a.encode();
            assert!(!s.is_empty() && s.len() <= 64);
            assert_eq!(Action::decode(&s), Some(a));
        }
    }

    #[test]
    fn rejects_forgeries() {
        for s in ["", "lang:de", "tz:-1", "tz:99999", "tz:", "x:1", "lang", "tz:1a"] {
            assert_eq!(Action::decode(s), None, "{s}");
        }
    }
}
