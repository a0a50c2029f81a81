//! The mapping (kartläggning) and the consents that let data be shared.

use chrono::NaiveDate;
use uuid::Uuid;

/// The mapping started on day one: work history, education, languages, the SFI test, study and
/// vocational guidance, and who else is involved. Every part is optional free text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Assessment {
    pub work_history: Option<String>,
    pub education: Option<String>,
    pub languages: Option<String>,
    pub sfi_test_result: Option<String>,
    pub guidance_notes: Option<String>,
    pub parties_involved: Option<String>,
}

impl Assessment {
    pub fn snapshot(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("assessment.work_history", self.work_history.clone()),
            ("assessment.education", self.education.clone()),
            ("assessment.languages", self.languages.clone()),
            ("assessment.sfi_test_result", self.sfi_test_result.clone()),
            ("assessment.guidance_notes", self.guidance_notes.clone()),
            ("assessment.parties_involved", self.parties_involved.clone()),
        ]
    }
}

/// Who may receive the shared data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecipientKind {
    /// A named provider (`recipient_provider_id`).
    Provider,
    Employer,
    PublicAgency,
    Education,
    Other,
}

impl RecipientKind {
    pub const ALL: [RecipientKind; 5] = [
        RecipientKind::Provider,
        RecipientKind::Employer,
        RecipientKind::PublicAgency,
        RecipientKind::Education,
        RecipientKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecipientKind::Provider => "provider",
            RecipientKind::Employer => "employer",
            RecipientKind::PublicAgency => "public_agency",
            RecipientKind::Education => "education",
            RecipientKind::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    pub id: Uuid,
    /// What may be shared, in the participant's words as recorded.
    pub shares: String,
    pub recipient_kind: RecipientKind,
    pub recipient_provider: Option<Uuid>,
    pub given_on: NaiveDate,
    pub withdrawn_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConsentError {
    #[error("a consent to a provider names the provider (recipient_provider_id)")]
    ProviderRequired,
    #[error("only a consent to a provider names a provider")]
    ProviderNotAllowed,
    #[error("{field} may not be in the future")]
    InFuture { field: &'static str },
    #[error("withdrawn_on may not be before given_on")]
    WithdrawnBeforeGiven,
    /// 409: already withdrawn.
    #[error("the consent was already withdrawn")]
    AlreadyWithdrawn,
}

impl Consent {
    pub fn give(
        id: Uuid,
        shares: String,
        recipient_kind: RecipientKind,
        recipient_provider: Option<Uuid>,
        given_on: NaiveDate,
        today: NaiveDate,
    ) -> Result<Self, ConsentError> {
        match (recipient_kind, recipient_provider) {
            (RecipientKind::Provider, None) => return Err(ConsentError::ProviderRequired),
            (RecipientKind::Provider, Some(_)) | (_, None) => {}
            (_, Some(_)) => return Err(ConsentError::ProviderNotAllowed),
        }
        if given_on > today {
            return Err(ConsentError::InFuture { field: "given_on" });
        }
        Ok(Self {
            id,
            shares,
            recipient_kind,
            recipient_provider,
            given_on,
            withdrawn_on: None,
        })
    }

    pub fn withdraw(mut self, on: NaiveDate, today: NaiveDate) -> Result<Self, ConsentError> {
        if self.withdrawn_on.is_some() {
            return Err(ConsentError::AlreadyWithdrawn);
        }
        if on > today {
            return Err(ConsentError::InFuture { field: "withdrawn_on" });
        }
        if on < self.given_on {
            return Err(ConsentError::WithdrawnBeforeGiven);
        }
        self.withdrawn_on = Some(on);
        Ok(self)
    }

    /// In force on `date`: given on or before it and not withdrawn by then.
    pub fn is_active_on(&self, date: NaiveDate) -> bool {
        self.given_on <= date && self.withdrawn_on.is_none_or(|w| w > date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn today() -> NaiveDate {
        day(2026, 11, 23)
    }

    #[test]
    fn a_provider_consent_names_the_provider_and_only_it_does() {
        let provider = Some(Uuid::from_u128(5));
        assert!(Consent::give(
            Uuid::nil(),
            "cv".into(),
            RecipientKind::Provider,
            provider,
            today(),
            today()
        )
        .is_ok());
        assert_eq!(
            Consent::give(
                Uuid::nil(),
                "cv".into(),
                RecipientKind::Provider,
                None,
                today(),
                today()
            ),
            Err(ConsentError::ProviderRequired)
        );
        assert_eq!(
            Consent::give(
                Uuid::nil(),
                "cv".into(),
                RecipientKind::Employer,
                provider,
                today(),
                today()
            ),
            Err(ConsentError::ProviderNotAllowed)
        );
        assert_eq!(
            Consent::give(
                Uuid::nil(),
                "cv".into(),
                RecipientKind::Employer,
                None,
                day(2026, 11, 24),
                today()
            ),
            Err(ConsentError::InFuture { field: "given_on" })
        );
    }

    #[test]
    fn withdrawal_ends_the_consent_once() {
        let consent = Consent::give(
            Uuid::nil(),
            "cv".into(),
            RecipientKind::Employer,
            None,
            day(2026, 11, 1),
            today(),
        )
        .unwrap();
        assert!(consent.is_active_on(day(2026, 11, 10)));
        assert_eq!(
            consent.clone().withdraw(day(2026, 10, 1), today()),
            Err(ConsentError::WithdrawnBeforeGiven)
        );
        let withdrawn = consent.withdraw(day(2026, 11, 10), today()).unwrap();
        assert!(withdrawn.is_active_on(day(2026, 11, 9)));
        assert!(!withdrawn.is_active_on(day(2026, 11, 10)));
        assert_eq!(
            withdrawn.withdraw(today(), today()),
            Err(ConsentError::AlreadyWithdrawn)
        );
    }

    #[test]
    fn recipient_kinds_round_trip() {
        for kind in RecipientKind::ALL {
            assert_eq!(RecipientKind::parse(kind.as_str()), Some(kind));
        }
    }
}
