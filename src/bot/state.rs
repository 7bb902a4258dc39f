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
}

impl State {
    pub fn is_idle(&self) -> bool {
        matches!(self, State::Idle)
    }
}
