//! When a new plan may be drawn up: for an enrolled participant, one open plan at a time.

use chrono::NaiveDate;
use uuid::Uuid;

use super::plan::ActivityPlan;
use super::status::PlanStatus;
use crate::participant::ParticipantStatus;

/// Why a new plan or a revision may not be drafted now (409 at the API).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DraftRefusal {
    #[error("a plan is drawn up for an enrolled participant; current status: {0}")]
    NotEnrolled(ParticipantStatus),
    #[error("plan {id} is {status}; edit it, or revise it when approved")]
    OpenPlan { id: Uuid, status: PlanStatus },
}

/// A new plan needs an enrolled participant and no plan still open (an approved plan in force
/// is revised instead).
pub fn may_draft_new_plan(
    status: ParticipantStatus,
    plans: &[ActivityPlan],
    today: NaiveDate,
) -> Result<(), DraftRefusal> {
    if status != ParticipantStatus::Enrolled {
        return Err(DraftRefusal::NotEnrolled(status));
    }
    match plans.iter().find(|p| p.status_on(today).is_open()) {
        Some(open) => Err(DraftRefusal::OpenPlan {
            id: open.id,
            status: open.status_on(today),
        }),
        None => Ok(()),
    }
}

/// A revision needs no other draft, submitted or returned plan beside the approved one.
pub fn may_revise(plans: &[ActivityPlan]) -> Result<(), DraftRefusal> {
    match plans.iter().find(|p| {
        matches!(
            p.status,
            PlanStatus::Draft | PlanStatus::Submitted | PlanStatus::Returned
        )
    }) {
        Some(open) => Err(DraftRefusal::OpenPlan {
            id: open.id,
            status: open.status,
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn plan(status: PlanStatus, valid_to: NaiveDate) -> ActivityPlan {
        ActivityPlan {
            id: Uuid::from_u128(1),
            participant_id: Uuid::from_u128(2),
            period_id: Uuid::from_u128(3),
            number: 1,
            status,
            valid_from: day(2026, 6, 1),
            valid_to,
            goal: "g".into(),
            goal_ssyk: None,
            wishes: None,
            revision_of: None,
            version: 1,
            activities: vec![],
            decisions: vec![],
        }
    }

    const TODAY: (i32, u32, u32) = (2026, 11, 23);

    fn today() -> NaiveDate {
        day(TODAY.0, TODAY.1, TODAY.2)
    }

    #[test]
    fn a_new_plan_needs_an_enrolled_participant_without_an_open_plan() {
        assert_eq!(may_draft_new_plan(ParticipantStatus::Enrolled, &[], today()), Ok(()));
        assert_eq!(
            may_draft_new_plan(ParticipantStatus::Referred, &[], today()),
            Err(DraftRefusal::NotEnrolled(ParticipantStatus::Referred))
        );
        let in_force = plan(PlanStatus::Approved, day(2026, 12, 1));
        assert!(matches!(
            may_draft_new_plan(ParticipantStatus::Enrolled, &[in_force], today()),
            Err(DraftRefusal::OpenPlan { .. })
        ));
        let ended = plan(PlanStatus::Approved, day(2026, 11, 22));
        assert_eq!(
            may_draft_new_plan(ParticipantStatus::Enrolled, &[ended], today()),
            Ok(()),
            "completed at its end"
        );
        let cancelled = plan(PlanStatus::Cancelled, day(2027, 1, 1));
        assert_eq!(
            may_draft_new_plan(ParticipantStatus::Enrolled, &[cancelled], today()),
            Ok(())
        );
    }

    #[test]
    fn a_revision_waits_for_other_drafts() {
        assert_eq!(may_revise(&[plan(PlanStatus::Approved, day(2027, 1, 1))]), Ok(()));
        assert!(may_revise(&[plan(PlanStatus::Submitted, day(2027, 1, 1))]).is_err());
    }
}
