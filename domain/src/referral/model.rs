//! A referral to a provider and the closed loop around it: answer, start, progress, outcome.

use chrono::NaiveDate;
use uuid::Uuid;

use super::delivery::CrossCentre;
use super::status::{ReferralAction, ReferralStatus, ReferralTransitionError};
use crate::activity_plan::{ActivityPlan, ActivityStatus, PlanStatus};
use crate::claim::ClaimEvidence;
use crate::code_enum;
use crate::participant::{Consent, ExitOutcome, ExitRecord, FollowUp, ParticipantStatus, RecipientKind};
use crate::shared::Code;

code_enum! {
    /// Why a provider declines a referral.
    pub enum DeclineReason {
        NoCapacity = "no_capacity",
        NotEligible = "not_eligible",
        ParticipantUnreachable = "participant_unreachable",
        Other = "other",
    }
}

/// Activity types the coach may refer before the participant has an approved plan: the mapping
/// starts on day one.
pub const PRE_PLAN_ACTIVITY_TYPES: [&str; 4] = ["mapping", "guidance", "coaching", "job_search"];

pub fn may_refer_without_plan(activity_type: &Code) -> bool {
    PRE_PLAN_ACTIVITY_TYPES.contains(&activity_type.as_str())
}

/// What sharing the participant's data with the provider rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LegalBasis {
    Consent(Uuid),
    /// The statute relied on, e.g. "SoL 4 kap. 4 §".
    Statutory(String),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LegalBasisError {
    #[error("the participant has no such consent")]
    UnknownConsent,
    #[error("the consent is not in force today")]
    ConsentNotInForce,
    #[error("the consent does not cover this provider")]
    ConsentToAnotherRecipient,
}

/// A consent basis must be the participant's own, in force, and given for this very provider.
pub fn check_legal_basis(
    basis: &LegalBasis,
    consents: &[Consent],
    provider: Uuid,
    today: NaiveDate,
) -> Result<(), LegalBasisError> {
    let LegalBasis::Consent(id) = basis else {
        return Ok(());
    };
    let consent = consents
        .iter()
        .find(|c| c.id == *id)
        .ok_or(LegalBasisError::UnknownConsent)?;
    if !consent.is_active_on(today) {
        return Err(LegalBasisError::ConsentNotInForce);
    }
    if consent.recipient_kind != RecipientKind::Provider || consent.recipient_provider != Some(provider) {
        return Err(LegalBasisError::ConsentToAnotherRecipient);
    }
    Ok(())
}

/// What is referred: a plan activity, or (before a plan) an activity of a pre-plan type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferredActivity {
    pub plan_id: Option<Uuid>,
    pub activity_id: Option<Uuid>,
    pub activity_type: Code,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActivityRefusal {
    #[error("no plan of the participant has this activity")]
    NoSuchActivity,
    #[error("the activity's plan is {0}, not approved")]
    PlanNotApproved(PlanStatus),
    #[error("the activity is already {0}")]
    ActivityClosed(&'static str),
    #[error("{0} needs an approved plan; only mapping, guidance, coaching and job_search may be referred before one")]
    NeedsPlan(Code),
    #[error("ends_on is before starts_on")]
    EndsBeforeStart,
}

/// The plan activity `activity_id` as something to refer, if its plan is approved and it is
/// still planned or ongoing.
pub fn plan_activity(
    plans: &[ActivityPlan],
    activity_id: Uuid,
    today: NaiveDate,
) -> Result<ReferredActivity, ActivityRefusal> {
    let (plan, activity) = plans
        .iter()
        .find_map(|p| p.activities.iter().find(|a| a.id == activity_id).map(|a| (p, a)))
        .ok_or(ActivityRefusal::NoSuchActivity)?;
    let status = plan.status_on(today);
    if status != PlanStatus::Approved {
        return Err(ActivityRefusal::PlanNotApproved(status));
    }
    if matches!(
        activity.status,
        ActivityStatus::Completed | ActivityStatus::Discontinued
    ) {
        return Err(ActivityRefusal::ActivityClosed(activity.status.as_str()));
    }
    Ok(ReferredActivity {
        plan_id: Some(plan.id),
        activity_id: Some(activity.id),
        activity_type: activity.activity_type.clone(),
        starts_on: activity.starts_on,
        ends_on: activity.ends_on,
    })
}

/// An activity referred before a plan exists: only the pre-plan types.
pub fn pre_plan_activity(
    activity_type: Code,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
) -> Result<ReferredActivity, ActivityRefusal> {
    if !may_refer_without_plan(&activity_type) {
        return Err(ActivityRefusal::NeedsPlan(activity_type));
    }
    if ends_on < starts_on {
        return Err(ActivityRefusal::EndsBeforeStart);
    }
    Ok(ReferredActivity {
        plan_id: None,
        activity_id: None,
        activity_type,
        starts_on,
        ends_on,
    })
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReferralRefusal {
    /// 409: only an enrolled participant is referred (not one referred, interrupted or exited).
    #[error("only an enrolled participant is referred; current status: {}", .0.as_str())]
    NotEnrolled(ParticipantStatus),
    /// 422 on `ends_on`.
    #[error("the activity has already ended")]
    ActivityEnded,
}

/// Whether a participant in `status` may be referred to `activity` today.
pub fn may_refer(
    status: ParticipantStatus,
    activity: &ReferredActivity,
    today: NaiveDate,
) -> Result<(), ReferralRefusal> {
    if status != ParticipantStatus::Enrolled {
        return Err(ReferralRefusal::NotEnrolled(status));
    }
    if activity.ends_on < today {
        return Err(ReferralRefusal::ActivityEnded);
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referral {
    pub id: Uuid,
    pub participant_id: Uuid,
    pub period_id: Uuid,
    pub jobbtorg: Code,
    pub district: Code,
    pub activity: ReferredActivity,
    pub provider_id: Uuid,
    pub contract_id: Uuid,
    pub chosen_by_participant: bool,
    /// Why the default allocation picked this contract; `None` when the participant chose.
    pub allocation_reason: Option<String>,
    pub legal_basis: LegalBasis,
    /// Delivered at another job centre than the one holding the case, and why; `None` at home.
    pub cross_centre: Option<CrossCentre>,
    pub note: Option<String>,
    pub referred_by: String,
    pub sent_on: NaiveDate,
    /// The stored status; read it through `status_on`, which also knows about expiry.
    pub status: ReferralStatus,
    pub decline: Option<(DeclineReason, Option<String>)>,
    pub cancel_reason: Option<String>,
    pub started_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub interrupt_reason: Option<String>,
    pub outcome: Option<ExitRecord>,
    pub version: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReferralError {
    #[error(transparent)]
    Transition(#[from] ReferralTransitionError),
    #[error("{field} may not be in the future")]
    InFuture { field: &'static str },
    #[error("{field} may not be before {earlier}")]
    TooEarly { field: &'static str, earlier: NaiveDate },
    #[error("declining for another reason needs a note")]
    NoteRequired,
}

impl Referral {
    /// The job centre that delivers: another one for a cross-centre referral, else the case's.
    pub fn delivering_jobbtorg(&self) -> &Code {
        self.cross_centre.as_ref().map_or(&self.jobbtorg, |c| &c.jobbtorg)
    }

    /// The status as of `today`: unanswered for 5 working days reads as expired.
    pub fn status_on(&self, today: NaiveDate) -> ReferralStatus {
        self.status.on(self.sent_on, today)
    }

    /// Places are held from sending until the referral closes.
    pub fn holds_place(&self, today: NaiveDate) -> bool {
        matches!(
            self.status_on(today),
            ReferralStatus::Sent | ReferralStatus::Accepted | ReferralStatus::InProgress
        )
    }

    fn go(mut self, action: ReferralAction, today: NaiveDate) -> Result<Self, ReferralError> {
        self.status = self.status_on(today).apply(action)?;
        Ok(self)
    }

    fn dated(
        &self,
        field: &'static str,
        on: NaiveDate,
        earliest: NaiveDate,
        today: NaiveDate,
    ) -> Result<(), ReferralError> {
        if on > today {
            return Err(ReferralError::InFuture { field });
        }
        if on < earliest {
            return Err(ReferralError::TooEarly {
                field,
                earlier: earliest,
            });
        }
        Ok(())
    }

    pub fn accept(self, today: NaiveDate) -> Result<Self, ReferralError> {
        self.go(ReferralAction::Accept, today)
    }

    pub fn decline(self, reason: DeclineReason, note: Option<String>, today: NaiveDate) -> Result<Self, ReferralError> {
        let mut next = self.go(ReferralAction::Decline, today)?;
        if reason == DeclineReason::Other && note.is_none() {
            return Err(ReferralError::NoteRequired);
        }
        next.decline = Some((reason, note));
        Ok(next)
    }

    pub fn cancel(self, reason: String, today: NaiveDate) -> Result<Self, ReferralError> {
        let mut next = self.go(ReferralAction::Cancel, today)?;
        next.cancel_reason = Some(reason);
        Ok(next)
    }

    pub fn start(self, on: NaiveDate, today: NaiveDate) -> Result<Self, ReferralError> {
        let mut next = self.go(ReferralAction::Start, today)?;
        next.dated("started_on", on, next.sent_on, today)?;
        next.started_on = Some(on);
        Ok(next)
    }

    pub fn interrupt(self, on: NaiveDate, reason: String, today: NaiveDate) -> Result<Self, ReferralError> {
        let mut next = self.go(ReferralAction::Interrupt, today)?;
        next.dated("interrupted_on", on, next.started_on.unwrap_or(next.sent_on), today)?;
        next.ended_on = Some(on);
        next.interrupt_reason = Some(reason);
        Ok(next)
    }

    pub fn complete(self, on: NaiveDate, outcome: ExitRecord, today: NaiveDate) -> Result<Self, ReferralError> {
        let mut next = self.go(ReferralAction::Complete, today)?;
        next.dated("completed_on", on, next.started_on.unwrap_or(next.sent_on), today)?;
        next.ended_on = Some(on);
        next.outcome = Some(outcome);
        Ok(next)
    }

    /// Progress may be reported while the referral runs, for days from its start to today.
    pub fn may_report(&self, from: NaiveDate, to: NaiveDate, today: NaiveDate) -> Result<(), ReferralError> {
        self.status_on(today).apply(ReferralAction::ReportProgress)?;
        self.dated("period_from", from, self.started_on.unwrap_or(self.sent_on), today)?;
        self.dated("period_to", to, from, today)
    }

    /// What the payment rules see: started, left for work or studies, and the participant's
    /// follow-ups after an exit to work.
    pub fn claim_evidence(&self, follow_ups: &[FollowUp]) -> ClaimEvidence {
        let left_for_work_or_studies = self
            .outcome
            .as_ref()
            .is_some_and(|o| matches!(o.outcome(), ExitOutcome::Employment | ExitOutcome::Studies));
        ClaimEvidence {
            referral_started: self.started_on.is_some(),
            left_for_work_or_studies,
            follow_ups: if left_for_work_or_studies {
                follow_ups
                    .iter()
                    .filter(|f| f.period_id == self.period_id)
                    .map(|f| (f.months, f.self_supporting && f.employment.is_some()))
                    .collect()
            } else {
                Vec::new()
            },
        }
    }

    pub fn snapshot(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            (
                "delivering_jobbtorg_id",
                self.cross_centre.as_ref().map(|c| c.jobbtorg.to_string()),
            ),
            (
                "cross_centre_reason",
                self.cross_centre.as_ref().map(|c| c.reason.clone()),
            ),
            ("status", Some(self.status.to_string())),
            ("decline_reason", self.decline.as_ref().map(|(r, _)| r.to_string())),
            ("decline_note", self.decline.as_ref().and_then(|(_, n)| n.clone())),
            ("cancel_reason", self.cancel_reason.clone()),
            ("started_on", self.started_on.map(|d| d.to_string())),
            ("ended_on", self.ended_on.map(|d| d.to_string())),
            ("interrupt_reason", self.interrupt_reason.clone()),
            (
                "outcome",
                self.outcome.as_ref().map(|o| o.outcome().as_str().to_owned()),
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::participant::{EmploymentDetails, EmploymentExtent, EmploymentForm};

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn code(raw: &str) -> Code {
        Code::parse(raw).unwrap()
    }

    fn referral() -> Referral {
        Referral {
            id: Uuid::from_u128(1),
            participant_id: Uuid::from_u128(2),
            period_id: Uuid::from_u128(3),
            jobbtorg: code("jarva"),
            district: code("rinkeby-kista"),
            activity: pre_plan_activity(code("mapping"), day(11, 23), day(12, 18)).unwrap(),
            provider_id: Uuid::from_u128(4),
            contract_id: Uuid::from_u128(5),
            chosen_by_participant: false,
            allocation_reason: Some("default".into()),
            legal_basis: LegalBasis::Statutory("SoL 4 kap. 4 §".into()),
            cross_centre: None,
            note: None,
            referred_by: "coach".into(),
            sent_on: day(11, 23),
            status: ReferralStatus::Sent,
            decline: None,
            cancel_reason: None,
            started_on: None,
            ended_on: None,
            interrupt_reason: None,
            outcome: None,
            version: 1,
        }
    }

    fn employment() -> ExitRecord {
        ExitRecord::new(
            ExitOutcome::Employment,
            Some(EmploymentDetails {
                form: EmploymentForm::Permanent,
                extent: EmploymentExtent::FullTime,
                wage_subsidy: false,
                ssyk: None,
            }),
            None,
        )
        .unwrap()
    }

    #[test]
    fn the_loop_runs_with_dates_in_order() {
        let today = day(11, 27);
        let done = referral()
            .accept(today)
            .and_then(|r| r.start(day(11, 25), today))
            .and_then(|r| r.complete(day(11, 27), employment(), today))
            .unwrap();
        assert_eq!(done.status_on(today), ReferralStatus::Completed);
        assert_eq!(done.ended_on, Some(day(11, 27)));
        assert!(!done.holds_place(today));
    }

    #[test]
    fn dates_may_not_run_backwards_or_ahead() {
        let today = day(11, 27);
        let accepted = referral().accept(today).unwrap();
        assert_eq!(
            accepted.clone().start(day(11, 20), today),
            Err(ReferralError::TooEarly {
                field: "started_on",
                earlier: day(11, 23)
            })
        );
        assert_eq!(
            accepted.clone().start(day(11, 28), today),
            Err(ReferralError::InFuture { field: "started_on" })
        );
        let started = accepted.start(day(11, 25), today).unwrap();
        assert!(started.may_report(day(11, 25), day(11, 27), today).is_ok());
        assert!(started.may_report(day(11, 24), day(11, 27), today).is_err());
        assert!(started.clone().complete(day(11, 24), employment(), today).is_err());
    }

    #[test]
    fn declining_for_another_reason_needs_a_note() {
        let today = day(11, 24);
        assert_eq!(
            referral().decline(DeclineReason::Other, None, today),
            Err(ReferralError::NoteRequired)
        );
        let declined = referral().decline(DeclineReason::NoCapacity, None, today).unwrap();
        assert_eq!(declined.status, ReferralStatus::Declined);
        assert!(!declined.holds_place(today));
    }

    #[test]
    fn an_expired_referral_can_no_longer_be_accepted() {
        let late = day(12, 1);
        assert_eq!(referral().status_on(late), ReferralStatus::Expired);
        assert!(matches!(referral().accept(late), Err(ReferralError::Transition(_))));
        assert!(!referral().holds_place(late));
    }

    #[test]
    fn a_consent_basis_must_be_in_force_and_name_the_provider() {
        let provider = Uuid::from_u128(4);
        let consent = Consent::give(
            Uuid::from_u128(9),
            "contact details".into(),
            RecipientKind::Provider,
            Some(provider),
            day(11, 1),
            day(11, 23),
        )
        .unwrap();
        let basis = LegalBasis::Consent(consent.id);
        let today = day(11, 23);
        assert_eq!(
            check_legal_basis(&basis, std::slice::from_ref(&consent), provider, today),
            Ok(())
        );
        assert_eq!(
            check_legal_basis(&basis, std::slice::from_ref(&consent), Uuid::from_u128(5), today),
            Err(LegalBasisError::ConsentToAnotherRecipient)
        );
        assert_eq!(
            check_legal_basis(&basis, &[], provider, today),
            Err(LegalBasisError::UnknownConsent)
        );
        let withdrawn = consent.withdraw(day(11, 10), today).unwrap();
        assert_eq!(
            check_legal_basis(&basis, &[withdrawn], provider, today),
            Err(LegalBasisError::ConsentNotInForce)
        );
        assert_eq!(
            check_legal_basis(&LegalBasis::Statutory("SoL".into()), &[], provider, today),
            Ok(())
        );
    }

    #[test]
    fn only_an_enrolled_participant_is_referred_to_an_activity_not_ended() {
        let activity = pre_plan_activity(code("mapping"), day(11, 23), day(11, 30)).unwrap();
        assert_eq!(may_refer(ParticipantStatus::Enrolled, &activity, day(11, 30)), Ok(()));
        assert_eq!(
            may_refer(ParticipantStatus::Enrolled, &activity, day(12, 1)),
            Err(ReferralRefusal::ActivityEnded)
        );
        for status in [
            ParticipantStatus::Referred,
            ParticipantStatus::Interrupted,
            ParticipantStatus::Exited,
        ] {
            assert_eq!(
                may_refer(status, &activity, day(11, 23)),
                Err(ReferralRefusal::NotEnrolled(status))
            );
        }
    }

    #[test]
    fn only_pre_plan_types_go_without_a_plan() {
        assert!(pre_plan_activity(code("guidance"), day(11, 23), day(11, 30)).is_ok());
        assert_eq!(
            pre_plan_activity(code("work_training"), day(11, 23), day(11, 30)),
            Err(ActivityRefusal::NeedsPlan(code("work_training")))
        );
        assert_eq!(
            pre_plan_activity(code("mapping"), day(11, 23), day(11, 20)),
            Err(ActivityRefusal::EndsBeforeStart)
        );
    }

    #[test]
    fn evidence_of_work_counts_the_periods_follow_ups() {
        let today = day(11, 27);
        let done = referral()
            .accept(today)
            .and_then(|r| r.start(day(11, 25), today))
            .and_then(|r| r.complete(day(11, 27), employment(), today))
            .unwrap();
        let follow_up = |period: u128, months: u32, employed: bool| FollowUp {
            id: Uuid::now_v7(),
            period_id: Uuid::from_u128(period),
            months,
            followed_up_on: today,
            self_supporting: employed,
            employment: employed.then(|| employment().employment().cloned()).flatten(),
        };
        let evidence = done.claim_evidence(&[follow_up(3, 8, true), follow_up(7, 2, true)]);
        assert!(evidence.referral_started && evidence.left_for_work_or_studies);
        assert_eq!(evidence.follow_ups, vec![(8, true)], "other periods do not count");
        let unemployed = done.claim_evidence(&[follow_up(3, 8, false)]);
        assert_eq!(unemployed.follow_ups, vec![(8, false)]);
    }
}
