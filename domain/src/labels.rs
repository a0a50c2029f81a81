//! Labels for people: every code list in Swedish (the default) and English, chosen by the
//! request's `Accept-Language`. Codes stay the machine's; only the label is translated.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Language {
    #[default]
    Sv,
    En,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Sv => "sv",
            Language::En => "en",
        }
    }

    /// The language an `Accept-Language` header (RFC 9110 §12.5.4) asks for: of the ranges we
    /// speak (`sv`, `sv-SE`, `en`, `en-GB`, … or `*`), the one of highest quality, the first of
    /// equal ones; Swedish when none or no header.
    pub fn from_accept_language(header: Option<&str>) -> Language {
        let Some(header) = header else {
            return Language::Sv;
        };
        let mut best: Option<(u16, Language)> = None;
        for range in header.split(',') {
            let mut parts = range.split(';');
            let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let quality = parts
                .filter_map(|p| p.trim().strip_prefix("q=").or_else(|| p.trim().strip_prefix("Q=")))
                .find_map(quality)
                .unwrap_or(1000);
            let primary = tag.split('-').next().unwrap_or("");
            let language = match primary {
                "sv" | "*" => Language::Sv,
                "en" => Language::En,
                _ => continue,
            };
            if quality > 0 && best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, language));
            }
        }
        best.map_or(Language::Sv, |(_, language)| language)
    }
}

/// A quality value in thousandths (`0`, `0.5`, `1.000`); `None` when malformed.
fn quality(raw: &str) -> Option<u16> {
    let value: f64 = raw.trim().parse().ok()?;
    (0.0..=1.0).contains(&value).then(|| (value * 1000.0).round() as u16)
}

/// One code with its Swedish and English label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label {
    pub code: &'static str,
    pub sv: &'static str,
    pub en: &'static str,
}

impl Label {
    pub fn in_language(&self, language: Language) -> &'static str {
        match language {
            Language::Sv => self.sv,
            Language::En => self.en,
        }
    }
}

const fn l(code: &'static str, sv: &'static str, en: &'static str) -> Label {
    Label { code, sv, en }
}

/// The code lists served at `/v1/code-lists/{name}`, by name.
pub const CODE_LISTS: [(&str, &[Label]); 9] = [
    ("absence-reasons", ABSENCE_REASONS),
    ("decline-reasons", DECLINE_REASONS),
    ("interruption-reasons", INTERRUPTION_REASONS),
    ("participant-statuses", PARTICIPANT_STATUSES),
    ("plan-statuses", PLAN_STATUSES),
    ("referral-statuses", REFERRAL_STATUSES),
    ("claim-statuses", CLAIM_STATUSES),
    ("transfer-statuses", TRANSFER_STATUSES),
    ("task-kinds", TASK_KINDS),
];

/// The list called `name`, if there is one.
pub fn code_list(name: &str) -> Option<&'static [Label]> {
    CODE_LISTS.iter().find(|(n, _)| *n == name).map(|(_, labels)| *labels)
}

pub const ABSENCE_REASONS: &[Label] = &[
    l("sick", "Sjuk", "Sick"),
    l("child_sick", "Vård av sjukt barn", "Caring for a sick child"),
    l("no_show", "Uteblev utan besked", "Did not show up"),
    l("late", "Kom för sent", "Late"),
    l("left_early", "Gick tidigare", "Left early"),
    l("other", "Annat", "Other"),
];

pub const DECLINE_REASONS: &[Label] = &[
    l("no_capacity", "Ingen plats", "No place available"),
    l("not_eligible", "Uppfyller inte villkoren", "Not eligible"),
    l(
        "participant_unreachable",
        "Deltagaren går inte att nå",
        "Participant unreachable",
    ),
    l("other", "Annat", "Other"),
];

pub const INTERRUPTION_REASONS: &[Label] = &[
    l("pregnancy", "Graviditet", "Pregnancy"),
    l("parental_leave", "Föräldraledighet", "Parental leave"),
    l("sickness", "Sjukdom", "Sickness"),
    l("other", "Annat", "Other"),
];

pub const PARTICIPANT_STATUSES: &[Label] = &[
    l("referred", "Anvisad", "Referred"),
    l("enrolled", "Inskriven", "Enrolled"),
    l("interrupted", "Avbrott", "Interrupted"),
    l("exited", "Avslutad", "Exited"),
];

pub const PLAN_STATUSES: &[Label] = &[
    l("draft", "Utkast", "Draft"),
    l("submitted", "Inskickad för beslut", "Submitted for decision"),
    l("approved", "Godkänd", "Approved"),
    l("returned", "Återsänd", "Returned"),
    l("superseded", "Ersatt", "Superseded"),
    l("completed", "Genomförd", "Completed"),
    l("cancelled", "Makulerad", "Cancelled"),
];

pub const REFERRAL_STATUSES: &[Label] = &[
    l("sent", "Skickad", "Sent"),
    l("accepted", "Accepterad", "Accepted"),
    l("declined", "Avböjd", "Declined"),
    l("cancelled", "Återkallad", "Cancelled"),
    l("expired", "Förfallen", "Expired"),
    l("in_progress", "Pågår", "In progress"),
    l("completed", "Avslutad", "Completed"),
    l("interrupted", "Avbruten", "Interrupted"),
];

pub const CLAIM_STATUSES: &[Label] = &[
    l("pending", "Väntar på beslut", "Pending"),
    l("approved", "Godkänd", "Approved"),
    l("rejected", "Avslagen", "Rejected"),
    l("paid", "Utbetald", "Paid"),
];

pub const TRANSFER_STATUSES: &[Label] = &[
    l("requested", "Begärd", "Requested"),
    l("accepted", "Godtagen", "Accepted"),
    l("rejected", "Avslagen", "Rejected"),
];

pub const TASK_KINDS: &[Label] = &[
    l("plan_due", "Handlingsplan ska upprättas", "Activity plan due"),
    l("follow_up_due", "Uppföljning ska göras", "Follow-up due"),
    l("participation_ending", "18 månader snart slut", "18 months ending"),
    l(
        "plan_awaiting_decision",
        "Handlingsplan väntar på beslut",
        "Plan awaiting decision",
    ),
    l("plan_review_due", "Handlingsplan ska omprövas", "Plan review due"),
    l(
        "activity_follow_up_due",
        "Aktivitet ska följas upp",
        "Activity follow-up due",
    ),
    l("referral_expiring", "Remiss obesvarad", "Referral about to expire"),
    l(
        "claim_awaiting_decision",
        "Ersättningsanspråk väntar på beslut",
        "Claim awaiting decision",
    ),
    l("absence_unseen", "Ny frånvarorapport", "New absence report"),
    l(
        "transfer_awaiting_answer",
        "Flytt väntar på svar",
        "Move awaiting answer",
    ),
];

/// English labels of the seeded reference data (target groups, activity types, exit
/// outcomes); their Swedish names are the stored `name`.
pub const REFERENCE_EN: &[(&str, &str)] = &[
    ("social_assistance_unemployed", "Social assistance, unemployed"),
    ("social_assistance_new_applicant", "New applicant for social assistance"),
    ("sfi_student", "SFI student"),
    ("refugee_introduction", "Refugees and family-reunion immigrants"),
    ("youth_16_24", "Young people 16–24 without occupation"),
    ("social_assistance_other_reasons", "Social assistance for other reasons"),
    ("disability_support", "Persons with a disability"),
    ("mapping", "Mapping"),
    ("guidance", "Study and vocational guidance"),
    ("counselling", "Counselling"),
    ("coaching", "Individual coaching"),
    ("job_matching", "Job matching"),
    ("sfi_test", "SFI test"),
    ("sfi_with_internship", "SFI with internship"),
    ("preparatory", "Preparatory activities"),
    ("work_training", "Work training"),
    ("internship", "Internship"),
    ("short_vocational_course", "Short vocational course"),
    ("validation", "Validation"),
    ("long_vocational_education", "Longer vocational education"),
    ("af_programme", "Arbetsförmedlingen programme"),
    ("recruitment_event", "Recruitment event"),
    ("start_business_advice", "Advice on starting a business"),
    ("job_search", "Own job search"),
    ("employment", "Employment"),
    ("studies", "Studies"),
    ("other_support", "Another authority's programme"),
    ("moved", "Moved away"),
    ("sick_or_parental_leave", "Sick or parental leave"),
    ("no_show", "Did not show up"),
    ("declined_participation", "Declined to take part"),
    ("deceased", "Deceased"),
    ("other", "Other"),
];

/// The label of a reference-data code stored with its Swedish `name`: that name in Swedish,
/// the English label in English (the name again for a code added later without one).
pub fn reference_label(code: &str, swedish_name: &str, language: Language) -> String {
    match language {
        Language::Sv => swedish_name.to_owned(),
        Language::En => REFERENCE_EN
            .iter()
            .find(|(c, _)| *c == code)
            .map_or_else(|| swedish_name.to_owned(), |(_, en)| (*en).to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::absence::AbsenceReason;
    use crate::activity_plan::PlanStatus;
    use crate::claim::ClaimStatus;
    use crate::participant::{InterruptionReason, ParticipantStatus};
    use crate::referral::{DeclineReason, ReferralStatus};
    use crate::tasks::TaskKind;
    use crate::transfer::TransferStatus;

    fn codes(labels: &[Label]) -> Vec<&'static str> {
        labels.iter().map(|l| l.code).collect()
    }

    #[test]
    fn every_code_of_every_list_has_a_label_in_both_languages() {
        let lists: [(&[Label], Vec<&'static str>); 9] = [
            (ABSENCE_REASONS, AbsenceReason::ALL.iter().map(|c| c.as_str()).collect()),
            (DECLINE_REASONS, DeclineReason::ALL.iter().map(|c| c.as_str()).collect()),
            (
                INTERRUPTION_REASONS,
                InterruptionReason::ALL.iter().map(|c| c.as_str()).collect(),
            ),
            (
                PARTICIPANT_STATUSES,
                ParticipantStatus::ALL.iter().map(|c| c.as_str()).collect(),
            ),
            (PLAN_STATUSES, PlanStatus::ALL.iter().map(|c| c.as_str()).collect()),
            (
                REFERRAL_STATUSES,
                ReferralStatus::ALL.iter().map(|c| c.as_str()).collect(),
            ),
            (CLAIM_STATUSES, ClaimStatus::ALL.iter().map(|c| c.as_str()).collect()),
            (
                TRANSFER_STATUSES,
                TransferStatus::ALL.iter().map(|c| c.as_str()).collect(),
            ),
            (TASK_KINDS, TaskKind::ALL.iter().map(|c| c.as_str()).collect()),
        ];
        for (labels, expected) in lists {
            assert_eq!(codes(labels), expected);
            for label in labels {
                assert!(!label.sv.trim().is_empty() && !label.en.trim().is_empty(), "{label:?}");
            }
        }
        assert!(CODE_LISTS.iter().all(|(name, _)| code_list(name).is_some()));
    }

    #[test]
    fn the_language_is_the_best_we_speak_of_those_asked_for_and_swedish_by_default() {
        let lang = |h: Option<&str>| Language::from_accept_language(h);
        assert_eq!(lang(None), Language::Sv);
        assert_eq!(lang(Some("")), Language::Sv);
        assert_eq!(lang(Some("en")), Language::En);
        assert_eq!(lang(Some("en-GB")), Language::En);
        assert_eq!(lang(Some("EN-us")), Language::En);
        assert_eq!(lang(Some("sv-SE,en;q=0.8")), Language::Sv);
        assert_eq!(lang(Some("sv;q=0.5, en-GB;q=0.9")), Language::En);
        assert_eq!(lang(Some("de, en;q=0.3")), Language::En);
        assert_eq!(lang(Some("de, fr")), Language::Sv);
        assert_eq!(lang(Some("en;q=0")), Language::Sv);
        assert_eq!(lang(Some("en;q=bad, sv;q=0.1")), Language::En);
        assert_eq!(lang(Some("*;q=0.5, en;q=0.4")), Language::Sv);
    }

    #[test]
    fn reference_codes_fall_back_to_their_stored_name() {
        assert_eq!(
            reference_label("sfi_student", "SFI-studerande", Language::En),
            "SFI student"
        );
        assert_eq!(
            reference_label("sfi_student", "SFI-studerande", Language::Sv),
            "SFI-studerande"
        );
        assert_eq!(reference_label("new_code", "Ny kod", Language::En), "Ny kod");
    }
}
