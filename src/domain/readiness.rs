//! The therapist's onboarding checklist (R-ONB-2..9) as data: what is done, what is missing, and
//! whether the profile may go to moderation.
//!
//! **Decided**: every item is required except presentations and materials (R-ONB-6, "that may
//! interest clients"), which are recommended. A specialisation needs at least one ticked topic,
//! modality, client type and format (R-ONB-3). The documents (R-ONB-9) are accepted last:
//! [`ready_to_sign`] says when everything else is done; [`ready_for_moderation`] also needs the
//! three acceptances.

use serde::{Deserialize, Serialize};

string_enum! {
    /// How the therapist is registered with the tax office (R-ONB-8).
    pub enum TaxStatus {
        /// Самозанятый (НПД).
        SelfEmployed => "self_employed",
        /// Индивидуальный предприниматель (ИП).
        IndividualEntrepreneur => "individual_entrepreneur",
    }
}

/// What a therapist's profile has, as plain facts gathered by the store.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileFacts {
    /// R-ONB-2.
    pub has_full_name: bool,
    /// R-ONB-2.
    pub has_photo: bool,
    /// R-ONB-2: short bio.
    pub has_bio: bool,
    /// R-ONB-2.
    pub has_education: bool,
    /// R-ONB-2: years of practice, if given.
    pub years_of_practice: Option<u16>,
    /// R-ONB-2: number of languages.
    pub languages: u32,
    /// R-ONB-2.
    pub has_time_zone: bool,
    /// R-ONB-2: the video-room link.
    pub has_video_room_link: bool,
    /// R-ONB-3: ticked topics.
    pub topics: u32,
    /// R-ONB-3: ticked modalities.
    pub modalities: u32,
    /// R-ONB-3: ticked client types.
    pub client_types: u32,
    /// R-ONB-3: ticked formats (individual / group).
    pub formats: u32,
    /// R-ONB-4: a valid price is set for every format offered.
    pub prices_set: bool,
    /// R-ONB-5: open future slots in the calendar.
    pub open_slots: u32,
    /// R-ONB-6: uploaded presentations and materials.
    pub presentations: u32,
    /// R-ONB-7: payout details linked.
    pub has_payout_details: bool,
    /// R-ONB-8: which tax registration.
    pub tax_status: Option<TaxStatus>,
    /// R-ONB-8: the certificate is uploaded.
    pub has_tax_certificate: bool,
    /// R-ONB-9: the current public offer version is accepted.
    pub accepted_offer: bool,
    /// R-ONB-9: the current privacy policy version is accepted.
    pub accepted_privacy: bool,
    /// R-ONB-9: the current rules and ethics version is accepted.
    pub accepted_ethics: bool,
}

string_enum! {
    /// One line of the checklist, in the order the bot shows them.
    pub enum ChecklistItem {
        /// R-ONB-2
        FullName => "full_name",
        /// R-ONB-2
        Photo => "photo",
        /// R-ONB-2
        Bio => "bio",
        /// R-ONB-2
        Education => "education",
        /// R-ONB-2
        YearsOfPractice => "years_of_practice",
        /// R-ONB-2
        Languages => "languages",
        /// R-ONB-2
        TimeZone => "time_zone",
        /// R-ONB-2
        VideoRoom => "video_room",
        /// R-ONB-3
        Topics => "topics",
        /// R-ONB-3
        Modalities => "modalities",
        /// R-ONB-3
        ClientTypes => "client_types",
        /// R-ONB-3
        Formats => "formats",
        /// R-ONB-4
        Prices => "prices",
        /// R-ONB-5
        Calendar => "calendar",
        /// R-ONB-6 (recommended)
        Presentations => "presentations",
        /// R-ONB-7
        PayoutDetails => "payout_details",
        /// R-ONB-8
        TaxCertificate => "tax_certificate",
        /// R-ONB-9
        OfferAccepted => "offer_accepted",
        /// R-ONB-9
        PrivacyAccepted => "privacy_accepted",
        /// R-ONB-9
        EthicsAccepted => "ethics_accepted",
    }
}

impl ChecklistItem {
    /// The rule the item comes from (`R-ONB-2` ...).
    #[must_use]
    pub const fn rule(self) -> &'static str {
        use ChecklistItem as I;
        match self {
            I::FullName
            | I::Photo
            | I::Bio
            | I::Education
            | I::YearsOfPractice
            | I::Languages
            | I::TimeZone
            | I::VideoRoom => "R-ONB-2",
            I::Topics | I::Modalities | I::ClientTypes | I::Formats => "R-ONB-3",
            I::Prices => "R-ONB-4",
            I::Calendar => "R-ONB-5",
            I::Presentations => "R-ONB-6",
            I::PayoutDetails => "R-ONB-7",
            I::TaxCertificate => "R-ONB-8",
            I::OfferAccepted | I::PrivacyAccepted | I::EthicsAccepted => "R-ONB-9",
        }
    }

    /// Whether moderation needs it (all but presentations).
    #[must_use]
    pub const fn required(self) -> bool {
        !matches!(self, ChecklistItem::Presentations)
    }

    /// Whether it is one of the document acceptances (R-ONB-9).
    #[must_use]
    pub const fn is_acceptance(self) -> bool {
        matches!(
            self,
            ChecklistItem::OfferAccepted | ChecklistItem::PrivacyAccepted | ChecklistItem::EthicsAccepted
        )
    }

    /// The Fluent message id of the item's label: `readiness-full-name`, `readiness-photo`,
    /// `readiness-bio`, `readiness-education`, `readiness-years-of-practice`,
    /// `readiness-languages`, `readiness-time-zone`, `readiness-video-room`, `readiness-topics`,
    /// `readiness-modalities`, `readiness-client-types`, `readiness-formats`, `readiness-prices`,
    /// `readiness-calendar`, `readiness-presentations`, `readiness-payout-details`,
    /// `readiness-tax-certificate` (certificate and status), `readiness-offer-accepted`,
    /// `readiness-privacy-accepted`, `readiness-ethics-accepted`.
    #[must_use]
    pub const fn key(self) -> &'static str {
        use ChecklistItem as I;
        match self {
            I::FullName => "readiness-full-name",
            I::Photo => "readiness-photo",
            I::Bio => "readiness-bio",
            I::Education => "readiness-education",
            I::YearsOfPractice => "readiness-years-of-practice",
            I::Languages => "readiness-languages",
            I::TimeZone => "readiness-time-zone",
            I::VideoRoom => "readiness-video-room",
            I::Topics => "readiness-topics",
            I::Modalities => "readiness-modalities",
            I::ClientTypes => "readiness-client-types",
            I::Formats => "readiness-formats",
            I::Prices => "readiness-prices",
            I::Calendar => "readiness-calendar",
            I::Presentations => "readiness-presentations",
            I::PayoutDetails => "readiness-payout-details",
            I::TaxCertificate => "readiness-tax-certificate",
            I::OfferAccepted => "readiness-offer-accepted",
            I::PrivacyAccepted => "readiness-privacy-accepted",
            I::EthicsAccepted => "readiness-ethics-accepted",
        }
    }

    /// Whether `facts` satisfy this item.
    #[must_use]
    pub fn is_done(self, facts: &ProfileFacts) -> bool {
        use ChecklistItem as I;
        match self {
            I::FullName => facts.has_full_name,
            I::Photo => facts.has_photo,
            I::Bio => facts.has_bio,
            I::Education => facts.has_education,
            I::YearsOfPractice => facts.years_of_practice.is_some(),
            I::Languages => facts.languages > 0,
            I::TimeZone => facts.has_time_zone,
            I::VideoRoom => facts.has_video_room_link,
            I::Topics => facts.topics > 0,
            I::Modalities => facts.modalities > 0,
            I::ClientTypes => facts.client_types > 0,
            I::Formats => facts.formats > 0,
            I::Prices => facts.prices_set,
            I::Calendar => facts.open_slots > 0,
            I::Presentations => facts.presentations > 0,
            I::PayoutDetails => facts.has_payout_details,
            I::TaxCertificate => facts.tax_status.is_some() && facts.has_tax_certificate,
            I::OfferAccepted => facts.accepted_offer,
            I::PrivacyAccepted => facts.accepted_privacy,
            I::EthicsAccepted => facts.accepted_ethics,
        }
    }
}

/// One line of the checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistEntry {
    /// Which item.
    pub item: ChecklistItem,
    /// Done or missing.
    pub done: bool,
    /// Whether moderation needs it.
    pub required: bool,
}

/// The whole checklist for a profile (R-ONB-2..9), in display order.
#[must_use]
pub fn checklist(facts: &ProfileFacts) -> Vec<ChecklistEntry> {
    ChecklistItem::ALL
        .iter()
        .map(|item| ChecklistEntry {
            item: *item,
            done: item.is_done(facts),
            required: item.required(),
        })
        .collect()
}

/// Whether everything required except the document acceptances is done: the bot may now offer
/// the documents to sign (R-ONB-9).
#[must_use]
pub fn ready_to_sign(facts: &ProfileFacts) -> bool {
    ChecklistItem::ALL
        .iter()
        .filter(|i| i.required() && !i.is_acceptance())
        .all(|i| i.is_done(facts))
}

/// Whether the profile can go to moderation (R-ONB-9, R-ONB-10): every required item is done,
/// the acceptances included.
#[must_use]
pub fn ready_for_moderation(facts: &ProfileFacts) -> bool {
    ChecklistItem::ALL
        .iter()
        .filter(|i| i.required())
        .all(|i| i.is_done(facts))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete() -> ProfileFacts {
        ProfileFacts {
            has_full_name: true,
            has_photo: true,
            has_bio: true,
            has_education: true,
            years_of_practice: Some(0),
            languages: 1,
            has_time_zone: true,
            has_video_room_link: true,
            topics: 3,
            modalities: 1,
            client_types: 1,
            formats: 1,
            prices_set: true,
            open_slots: 4,
            presentations: 0,
            has_payout_details: true,
            tax_status: Some(TaxStatus::SelfEmployed),
            has_tax_certificate: true,
            accepted_offer: true,
            accepted_privacy: true,
            accepted_ethics: true,
        }
    }

    #[test]
    fn r_onb_empty_profile_misses_everything() {
        let facts = ProfileFacts::default();
        let list = checklist(&facts);
        assert_eq!(list.len(), ChecklistItem::ALL.len());
        assert!(list.iter().all(|e| !e.done));
        assert!(!ready_to_sign(&facts));
        assert!(!ready_for_moderation(&facts));
    }

    #[test]
    fn r_onb_9_complete_profile_goes_to_moderation_without_presentations() {
        let facts = complete();
        assert!(ready_to_sign(&facts));
        assert!(ready_for_moderation(&facts));
        let missing: Vec<_> = checklist(&facts)
            .into_iter()
            .filter(|e| !e.done)
            .map(|e| (e.item, e.required))
            .collect();
        assert_eq!(missing, vec![(ChecklistItem::Presentations, false)]);
    }

    #[test]
    fn r_onb_9_documents_are_signed_last() {
        let facts = ProfileFacts {
            accepted_ethics: false,
            ..complete()
        };
        assert!(ready_to_sign(&facts));
        assert!(!ready_for_moderation(&facts));
    }

    #[test]
    fn r_onb_2_to_8_each_required_item_blocks_moderation() {
        let cases: Vec<(ChecklistItem, ProfileFacts)> = vec![
            (
                ChecklistItem::FullName,
                ProfileFacts {
                    has_full_name: false,
                    ..complete()
                },
            ),
            (
                ChecklistItem::Photo,
                ProfileFacts {
                    has_photo: false,
                    ..complete()
                },
            ),
            (
                ChecklistItem::Bio,
                ProfileFacts {
                    has_bio: false,
                    ..complete()
                },
            ),
            (
                ChecklistItem::Education,
                ProfileFacts {
                    has_education: false,
                    ..complete()
                },
            ),
            (
                ChecklistItem::YearsOfPractice,
                ProfileFacts {
                    years_of_practice: None,
                    ..complete()
                },
            ),
            (
                ChecklistItem::Languages,
                ProfileFacts {
                    languages: 0,
                    ..complete()
                },
            ),
            (
                ChecklistItem::TimeZone,
                ProfileFacts {
                    has_time_zone: false,
                    ..complete()
                },
            ),
            (
                ChecklistItem::VideoRoom,
                ProfileFacts {
                    has_video_room_link: false,
                    ..complete()
                },
            ),
            (
                ChecklistItem::Topics,
                ProfileFacts {
                    topics: 0,
                    ..complete()
                },
            ),
            (
                ChecklistItem::Modalities,
                ProfileFacts {
                    modalities: 0,
                    ..complete()
                },
            ),
            (
                ChecklistItem::ClientTypes,
                ProfileFacts {
                    client_types: 0,
                    ..complete()
                },
            ),
            (
                ChecklistItem::Formats,
                ProfileFacts {
                    formats: 0,
                    ..complete()
                },
            ),
            (
                ChecklistItem::Prices,
                ProfileFacts {
                    prices_set: false,
                    ..complete()
                },
            ),
            (
                ChecklistItem::Calendar,
                ProfileFacts {
                    open_slots: 0,
                    ..complete()
                },
            ),
            (
                ChecklistItem::PayoutDetails,
                ProfileFacts {
                    has_payout_details: false,
                    ..complete()
                },
            ),
            (
                ChecklistItem::TaxCertificate,
                ProfileFacts {
                    has_tax_certificate: false,
                    ..complete()
                },
            ),
            (
                ChecklistItem::TaxCertificate,
                ProfileFacts {
                    tax_status: None,
                    ..complete()
                },
            ),
            (
                ChecklistItem::OfferAccepted,
                ProfileFacts {
                    accepted_offer: false,
                    ..complete()
                },
            ),
            (
                ChecklistItem::PrivacyAccepted,
                ProfileFacts {
                    accepted_privacy: false,
                    ..complete()
                },
            ),
        ];
        for (item, facts) in cases {
            assert!(!ready_for_moderation(&facts), "{item}");
            let entry = checklist(&facts).into_iter().find(|e| e.item == item).unwrap();
            assert!(!entry.done && entry.required, "{item}");
        }
    }

    #[test]
    fn items_have_rules_and_keys() {
        for item in ChecklistItem::ALL {
            assert!(item.rule().starts_with("R-ONB-"));
            assert!(crate::domain::LOCALE_KEYS.contains(&item.key()), "{item}");
        }
        assert_eq!(ChecklistItem::Presentations.rule(), "R-ONB-6");
        assert_eq!(TaxStatus::IndividualEntrepreneur.as_str(), "individual_entrepreneur");
    }
}
