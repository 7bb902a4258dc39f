//! The dialogue state of a chat: where the conversation stands. Stored as JSON (see
//! `store::dialogue`), so it survives restarts. Each role's flows add their variants.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum State {
    /// No dialogue in progress.
    #[default]
    Idle,
    /// `/timezone` asked for a zone; a typed city, offset or zone name answers it.
    AwaitingTimeZone,
    /// A therapist's onboarding step waits for a typed or uploaded answer (R-ONB-2..8).
    Onboarding(crate::bot::therapist::onboarding_input::Awaiting),
    /// An admin's multi-step action (invite, rejection reason) waits for that admin's answer.
    Admin(crate::bot::admin::AdminStep),
    /// The client is answering the intake questionnaire (progress is in the database).
    Questionnaire,
    /// The client is taking PHQ-9 or GAD-7; `answers` so far.
    Screening {
        kind: crate::domain::TestKind,
        answers: Vec<u8>,
    },
    /// A therapist opening calendar slots (`bot::therapist::calendar`).
    Calendar {
        draft: crate::bot::therapist::calendar::SlotDraft,
    },
    /// A therapist writing a group program (`bot::therapist::programs`).
    Program {
        draft: crate::bot::therapist::programs::ProgramDraft,
    },
    /// A late therapist cancellation waits for a force-majeure document (R-CAN-3).
    ForceMajeureDocument { slot_id: i64 },
    /// An active therapist typing a new price on /prices (R-PRICE-1..2).
    PriceChange { kind: crate::domain::PriceKind },
    /// A therapist filing the receipt of a paid session (R-PAY-3): a link, a number, a PDF or a
    /// photo (`bot::therapist::payouts`).
    Receipt { booking_id: i64 },
}

impl State {
    pub fn is_idle(&self) -> bool {
        matches!(self, State::Idle)
    }
}
