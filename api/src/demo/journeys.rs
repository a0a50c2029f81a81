//! One demo participant's way through the case work up to a stage, each step by the role
//! that takes it, on the day it happened.

use chrono::{Months, NaiveDate};
use domain::absence::{AbsenceReason, AbsenceReport, AbsenceSpan};
use domain::access::{Action, Actor, Role};
use domain::activity_plan::{Activity, ActivityStatus, ProviderKind};
use domain::ids::{ActivityId, ClaimId, ParticipantId, PlanId, ReferralId};
use domain::participant::{
    EmploymentDetails, EmploymentExtent, EmploymentForm, ExitOutcome, ExitRecord, InterruptionReason,
};
use domain::reference::Phase;
use domain::referral::{DeclineReason, Granularity, LegalBasis, ProgressLine};
use domain::shared::{add_working_days, is_working_day, subtract_working_days, Code};
use persistence::repos::ClaimRepo;
use persistence::DbConnection;
use uuid::Uuid;

use super::people;
use super::providers::DemoProvider;
use super::{actor, coach_subject, officer_subject, reach, Clock};
use crate::ops::intake;
use crate::ops::participants::{self, FollowUp, Interruption};
use crate::ops::plans::{self, NewPlan};
use crate::ops::referrals::{self, ActivityChoice, NewReport, SendReferral};
use crate::ops::{absences, claims, journal, Context, OpError};

/// How far a demo participant has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Referred yesterday or the day before; not arrived yet.
    Referred,
    /// Enrolled with a coach; the plan is due within the week.
    Enrolled,
    /// A draft plan, past its five-working-day deadline.
    PlanOverdue,
    /// A plan awaiting the district's decision.
    PlanSubmitted,
    /// A plan the district returned with a reason.
    PlanReturned,
    /// An approved plan and a referral the provider has not answered.
    ReferralSent,
    /// A referral the provider declined (or the coach cancelled, every other one).
    ReferralClosed,
    /// A referral accepted, its activity starting soon.
    ReferralAccepted,
    /// In an activity: attendance reported, an absence yesterday, a journal note.
    InActivity,
    /// In an activity and off sick: the participation and the referral interrupted.
    Interrupted,
    /// Left for work four months ago, followed up at two months, claims approved and paid.
    ExitedToWork,
    /// Left for studies over two months ago; the two-month follow-up is due.
    ExitedToStudies,
    /// Never arrived: exited as a no-show.
    NeverArrived,
}

impl Stage {
    pub const ALL: [Stage; 13] = [
        Stage::Referred,
        Stage::Enrolled,
        Stage::PlanOverdue,
        Stage::PlanSubmitted,
        Stage::PlanReturned,
        Stage::ReferralSent,
        Stage::ReferralClosed,
        Stage::ReferralAccepted,
        Stage::InActivity,
        Stage::Interrupted,
        Stage::ExitedToWork,
        Stage::ExitedToStudies,
        Stage::NeverArrived,
    ];

    /// Working days between the intake and today.
    fn intake_ago(self, variant: usize) -> u32 {
        let days = match self {
            Stage::Referred => 1,
            Stage::Enrolled => 3,
            Stage::PlanOverdue => 12,
            Stage::PlanSubmitted => 5,
            Stage::PlanReturned => 6,
            Stage::ReferralSent => 8,
            Stage::ReferralClosed | Stage::ReferralAccepted => 9,
            Stage::InActivity | Stage::Interrupted => 45,
            Stage::ExitedToWork => 150,
            Stage::ExitedToStudies => 110,
            Stage::NeverArrived => 14,
        };
        days + variant as u32
    }
}

/// Where and with whom a demo case runs.
pub struct Case<'a> {
    pub clock: &'a Clock,
    pub centre: &'a Code,
    pub district: &'a Code,
    /// Which of the stage's participants at this centre (coach, provider, target group).
    pub variant: usize,
    pub providers: &'a [DemoProvider],
}

/// A participant on their way: the case, the people acting and the versions seen last.
struct Walk<'c, 'a> {
    conn: &'c mut DbConnection,
    case: &'c Case<'a>,
    intake_day: NaiveDate,
    participant: ParticipantId,
    version: i32,
    coach: Actor,
    officer: Actor,
    provider: &'a DemoProvider,
}

/// Takes the `serial`th demo person from intake to `stage`.
pub fn walk(conn: &mut DbConnection, case: &Case<'_>, serial: usize, stage: Stage) -> Result<(), OpError> {
    let clock = case.clock;
    let intake_day = subtract_working_days(clock.today, stage.intake_ago(case.variant));
    let officer = actor(
        &officer_subject(case.district),
        Role::DistrictOfficer,
        None,
        Some(case.district),
        None,
    )?;
    let coach = actor(
        &coach_subject(case.centre, case.variant % 2),
        Role::Coach,
        Some(case.centre),
        None,
        None,
    )?;
    let provider = pick(case.providers, case.variant + stage as usize, "provider")?;
    let target_group = provider_target_group(provider, case.variant)?;
    let ctx = clock.at(intake_day, officer.clone());
    let intake = people::intake(serial, clock.today, case.district, target_group, intake_day)?;
    let referred = intake::refer(conn, &ctx, intake, Phase::One)?;
    let mut walk = Walk {
        conn,
        case,
        intake_day,
        participant: ParticipantId::from(referred.id),
        version: referred.version,
        coach,
        officer,
        provider,
    };
    walk.to(stage)
}

/// The `n`th of `items`, round and round; an error when there are none.
pub fn pick<'a, T>(items: &'a [T], n: usize, what: &str) -> Result<&'a T, OpError> {
    if items.is_empty() {
        return Err(OpError::Internal(format!("the demo has no {what} to choose from")));
    }
    Ok(&items[n % items.len()])
}

/// The contract's first target group a person can be referred to (not the derived youth group).
fn provider_target_group(provider: &DemoProvider, variant: usize) -> Result<Code, OpError> {
    let open: Vec<&str> = provider
        .target_groups
        .iter()
        .copied()
        .filter(|g| *g != "youth_16_24")
        .collect();
    let raw = *pick(&open, variant, "target group")?;
    Code::parse(raw).map_err(|e| OpError::Internal(format!("demo target group {raw}: {e}")))
}

/// A referral at the version seen last.
type ReferralAt = (ReferralId, i32);

impl Walk<'_, '_> {
    fn day(&self, working_days: u32) -> NaiveDate {
        add_working_days(self.intake_day, working_days)
    }

    fn as_coach(&self, day: NaiveDate) -> Context {
        self.case.clock.at(day, self.coach.clone())
    }

    fn as_provider(&self, day: NaiveDate) -> Result<Context, OpError> {
        let desk = actor(
            &format!("desk-{}", self.provider.id.simple()),
            Role::ProviderStaff,
            None,
            None,
            Some(self.provider.id),
        )?;
        Ok(self.case.clock.at(day, desk))
    }

    fn to(&mut self, stage: Stage) -> Result<(), OpError> {
        match stage {
            Stage::Referred => Ok(()),
            Stage::NeverArrived => {
                let record = exit_record(ExitOutcome::NoShow)?;
                self.exit(self.day(10), record)
            }
            Stage::Enrolled => self.enrol(),
            Stage::PlanOverdue => {
                self.enrol()?;
                self.plan(None).map(|_| ())
            }
            Stage::PlanSubmitted => {
                self.enrol()?;
                let (plan, _) = self.plan(None)?;
                self.submit(plan).map(|_| ())
            }
            Stage::PlanReturned => {
                self.enrol()?;
                let (plan, _) = self.plan(None)?;
                let plan = self.submit(plan)?;
                let ctx = self.case.clock.at(self.day(4), self.officer.clone());
                let scope = reach(&self.officer, Action::DecidePlan)?;
                let reason = "Beskriv språkstödet under praktiken.".to_owned();
                plans::send_back(self.conn, &ctx, &scope, plan, reason).map(|_| ())
            }
            Stage::ReferralSent => {
                let activity = self.approved_plan(self.day(17))?;
                self.send(self.day(7), activity).map(|_| ())
            }
            Stage::ReferralClosed => {
                let activity = self.approved_plan(self.day(19))?;
                let referral = self.send(self.day(5), activity)?;
                self.close(referral)
            }
            Stage::ReferralAccepted => {
                let activity = self.approved_plan(self.day(19))?;
                let referral = self.send(self.day(5), activity)?;
                self.accept(referral).map(|_| ())
            }
            Stage::InActivity => {
                let referral = self.in_activity(self.day(120))?;
                self.note(self.day(20), "Trivs på praktikplatsen, vill fortsätta inom lager.")?;
                self.absent(
                    referral.0,
                    subtract_working_days(self.case.clock.today, 1 + self.case.variant as u32),
                )
            }
            Stage::Interrupted => {
                let referral = self.in_activity(self.day(120))?;
                let ill = self.day(40);
                self.interrupt(ill)?;
                let ctx = self.as_provider(ill)?;
                let scope = reach(&ctx.actor, Action::AnswerReferral)?;
                let why = "Sjukskriven enligt läkarintyg.".to_owned();
                referrals::interrupt(self.conn, &ctx, &scope, referral, (ill, why)).map(|_| ())
            }
            Stage::ExitedToWork => {
                let referral = self.in_activity(self.day(70))?;
                let left = self.day(70);
                let work = employment();
                self.complete(
                    referral,
                    left,
                    exit_record_with(ExitOutcome::Employment, Some(work.clone()))?,
                )?;
                self.exit(left, exit_record_with(ExitOutcome::Employment, Some(work.clone()))?)?;
                self.follow_up(left, Some(work))?;
                self.settle_claims(referral.0, self.day(75))
            }
            Stage::ExitedToStudies => {
                let referral = self.in_activity(self.day(60))?;
                let left = self.day(60);
                self.complete(referral, left, exit_record(ExitOutcome::Studies)?)?;
                self.exit(left, exit_record(ExitOutcome::Studies)?)
            }
        }
    }

    fn enrol(&mut self) -> Result<(), OpError> {
        let day = self.day(1);
        let ctx = self.as_coach(day);
        let scope = reach(&self.coach, Action::ManageParticipation)?;
        let coach = self.coach.subject().to_owned();
        let enrolled = participants::enrol(self.conn, &ctx, &scope, (self.participant, self.version), (day, coach))?;
        self.version = enrolled.version;
        Ok(())
    }

    /// A draft plan drafted the day after enrolment with one external activity from the
    /// seventh working day after intake to `ends_on` (or four months on).
    fn plan(&mut self, ends_on: Option<NaiveDate>) -> Result<((PlanId, i32), ActivityId), OpError> {
        let ctx = self.as_coach(self.day(2));
        let scope = reach(&self.coach, Action::ManageParticipation)?;
        let starts_on = self.day(10);
        let ends_on = ends_on.unwrap_or_else(|| starts_on.checked_add_months(Months::new(4)).unwrap_or(starts_on));
        // A plan covers at most six months.
        let valid_from = self.day(1);
        let valid_to = valid_from
            .checked_add_months(Months::new(6))
            .and_then(|d| d.pred_opt())
            .unwrap_or(ends_on);
        let new = NewPlan {
            valid_from,
            valid_to,
            goal: "Arbete inom lager och logistik".to_owned(),
            goal_ssyk: Some("9331".to_owned()),
            wishes: Some("Heltid, gärna i norra Stockholm.".to_owned()),
        };
        let (plan, _) = plans::draft(self.conn, &ctx, &scope, self.participant, new)?;
        let activity_type = self.provider.activity_types[0];
        let activity = Activity {
            id: Uuid::now_v7(),
            activity_type: Code::parse(activity_type)
                .map_err(|e| OpError::Internal(format!("demo activity type {activity_type}: {e}")))?,
            description: format!("{} hos {}", activity_type.replace('_', " "), self.provider.name),
            provider_kind: ProviderKind::External,
            starts_on,
            ends_on,
            hours_per_week: 30,
            expected_result: Some("Arbetslivserfarenhet och referens".to_owned()),
            status: ActivityStatus::Planned,
            follow_up_result: None,
            followed_up_on: None,
            discontinued_reason: None,
            replaced_by: None,
        };
        let activity_id = ActivityId::from(activity.id);
        let (plan, _) = plans::add_activity(self.conn, &ctx, &scope, (PlanId::from(plan.id), plan.version), activity)?;
        Ok(((PlanId::from(plan.id), plan.version), activity_id))
    }

    fn submit(&mut self, plan: (PlanId, i32)) -> Result<(PlanId, i32), OpError> {
        let ctx = self.as_coach(self.day(3));
        let scope = reach(&self.coach, Action::ManageParticipation)?;
        let (plan, _) = plans::submit(self.conn, &ctx, &scope, plan)?;
        Ok((PlanId::from(plan.id), plan.version))
    }

    /// Enrolled, a plan with one activity ending on `ends_on`, submitted and approved.
    fn approved_plan(&mut self, ends_on: NaiveDate) -> Result<ActivityId, OpError> {
        self.enrol()?;
        let (plan, activity) = self.plan(Some(ends_on))?;
        let plan = self.submit(plan)?;
        let ctx = self.case.clock.at(self.day(4), self.officer.clone());
        let scope = reach(&self.officer, Action::DecidePlan)?;
        plans::approve(self.conn, &ctx, &scope, plan)?;
        Ok(activity)
    }

    /// The referral of the plan's activity: to the participant's chosen provider for the
    /// first variant, by the neutral default allocation for the second.
    fn send(&mut self, day: NaiveDate, activity: ActivityId) -> Result<ReferralAt, OpError> {
        let ctx = self.as_coach(day);
        let scope = reach(&self.coach, Action::SendReferral)?;
        let chosen = self.case.variant.is_multiple_of(2).then(|| self.provider.id.into());
        let (referral, _) = referrals::send(
            self.conn,
            &ctx,
            &scope,
            SendReferral {
                participant_id: self.participant,
                activity: ActivityChoice::FromPlan(activity),
                chosen_provider: chosen,
                legal_basis: LegalBasis::Statutory("SoL 4 kap. 4 §".to_owned()),
                note: Some("Behöver stöd med svenska i arbetet.".to_owned()),
                delivery: (None, None),
            },
        )?;
        if let Some(allocated) = self.case.providers.iter().find(|p| p.id == referral.provider_id) {
            self.provider = allocated;
        }
        Ok((ReferralId::from(referral.id), referral.version))
    }

    fn accept(&mut self, referral: ReferralAt) -> Result<ReferralAt, OpError> {
        let ctx = self.as_provider(self.day(6))?;
        let scope = reach(&ctx.actor, Action::AnswerReferral)?;
        let (accepted, _) = referrals::accept(self.conn, &ctx, &scope, referral)?;
        Ok((referral.0, accepted.version))
    }

    fn close(&mut self, referral: ReferralAt) -> Result<(), OpError> {
        if self.case.variant.is_multiple_of(2) {
            let ctx = self.as_provider(self.day(6))?;
            let scope = reach(&ctx.actor, Action::AnswerReferral)?;
            let answer = (
                DeclineReason::NoCapacity,
                Some("Fullt till nästa kursstart.".to_owned()),
            );
            referrals::decline(self.conn, &ctx, &scope, referral, answer).map(|_| ())
        } else {
            let ctx = self.as_coach(self.day(6));
            let scope = reach(&self.coach, Action::SendReferral)?;
            let reason = "Deltagaren önskar en annan aktivitet.".to_owned();
            referrals::cancel(self.conn, &ctx, &scope, referral, reason).map(|_| ())
        }
    }

    /// Enrolled, plan approved, referral accepted and started on the tenth working day, the
    /// first week's attendance reported.
    fn in_activity(&mut self, ends_on: NaiveDate) -> Result<ReferralAt, OpError> {
        let activity = self.approved_plan(ends_on)?;
        let referral = self.send(self.day(5), activity)?;
        let referral = self.accept(referral)?;
        let first = self.day(10);
        let ctx = self.as_provider(first)?;
        let scope = reach(&ctx.actor, Action::AnswerReferral)?;
        let (started, _) = referrals::start(self.conn, &ctx, &scope, referral, first)?;
        let last = self.day(14);
        let ctx = self.as_provider(last)?;
        let scope = reach(&ctx.actor, Action::ReportOnReferral)?;
        let lines = (0..5)
            .map(|n| ProgressLine {
                on: add_working_days(first, n),
                attended_minutes: if n == 2 { 240 } else { 360 },
                absent_minutes: if n == 2 { 120 } else { 0 },
                absence_reason: (n == 2).then(|| "Tandläkarbesök".to_owned()),
            })
            .filter(|line| is_working_day(line.on))
            .collect();
        let report = NewReport {
            granularity: Granularity::Day,
            from: first,
            to: last,
            lines,
            comment: Some("God närvaro första veckan.".to_owned()),
        };
        let (reported, _) = referrals::report_progress(self.conn, &ctx, &scope, (referral.0, started.version), report)?;
        Ok((referral.0, reported.version))
    }

    fn absent(&mut self, referral: ReferralId, day: NaiveDate) -> Result<(), OpError> {
        let ctx = self.as_provider(day)?;
        let scope = reach(&ctx.actor, Action::AnswerReferral)?;
        let report = AbsenceReport {
            absent_on: day,
            span: AbsenceSpan::WholeDay,
            reason: AbsenceReason::Sick,
            note: Some("Ringde in sjuk på morgonen.".to_owned()),
            late_reason: None,
        };
        absences::report_on_referral(self.conn, &ctx, &scope, referral.uuid(), report).map(|_| ())
    }

    fn note(&mut self, day: NaiveDate, text: &str) -> Result<(), OpError> {
        let ctx = self.as_coach(day);
        let scope = reach(&self.coach, Action::UpdateParticipant)?;
        let note = journal::NewNote {
            entry_date: None,
            body: text.to_owned(),
            confidential: false,
        };
        journal::write(self.conn, &ctx, &scope, self.participant, note).map(|_| ())
    }

    fn interrupt(&mut self, day: NaiveDate) -> Result<(), OpError> {
        let ctx = self.as_coach(day);
        let scope = reach(&self.coach, Action::ManageParticipation)?;
        let interruption = Interruption {
            reason: InterruptionReason::Sickness,
            started_on: day,
            note: None,
        };
        let interrupted =
            participants::interrupt(self.conn, &ctx, &scope, (self.participant, self.version), interruption)?;
        self.version = interrupted.version;
        Ok(())
    }

    fn complete(&mut self, referral: ReferralAt, day: NaiveDate, record: ExitRecord) -> Result<(), OpError> {
        let ctx = self.as_provider(day)?;
        let scope = reach(&ctx.actor, Action::AnswerReferral)?;
        referrals::complete(self.conn, &ctx, &scope, referral, (day, record)).map(|_| ())
    }

    fn exit(&mut self, day: NaiveDate, record: ExitRecord) -> Result<(), OpError> {
        let ctx = self.as_coach(day);
        let scope = reach(&self.coach, Action::ManageParticipation)?;
        let exited = participants::exit(self.conn, &ctx, &scope, (self.participant, self.version), (day, record))?;
        self.version = exited.version;
        Ok(())
    }

    /// The two-month follow-up, two months and a few days after `left`.
    fn follow_up(&mut self, left: NaiveDate, employment: Option<EmploymentDetails>) -> Result<(), OpError> {
        let due = left.checked_add_months(Months::new(2)).unwrap_or(left);
        let day = add_working_days(due, 2);
        let ctx = self.as_coach(day);
        let scope = reach(&self.coach, Action::ManageParticipation)?;
        let follow_up = FollowUp {
            months: 2,
            followed_up_on: day,
            self_supporting: true,
            employment,
        };
        let followed =
            participants::record_follow_up(self.conn, &ctx, &scope, (self.participant, self.version), follow_up)?;
        self.version = followed.version;
        Ok(())
    }

    /// The purchaser approves the referral's claims on `day` and pays the start fee.
    fn settle_claims(&mut self, referral: ReferralId, day: NaiveDate) -> Result<(), OpError> {
        let ctx = self.case.clock.at(day, self.case.clock.purchaser()?);
        let scope = reach(&ctx.actor, Action::DecideClaims)?;
        for claim in ClaimRepo::for_referral(self.conn, referral.uuid())? {
            let id = ClaimId::from(claim.id);
            let approved = claims::decide(self.conn, &ctx, &scope, (id, claim.version), claims::Decision::Approve)?;
            if claim.trigger == domain::claim::ClaimTrigger::StartFee {
                let paid = claims::Decision::MarkPaid { on: day };
                claims::decide(self.conn, &ctx, &scope, (id, approved.version), paid)?;
            }
        }
        Ok(())
    }
}

fn employment() -> EmploymentDetails {
    EmploymentDetails {
        form: EmploymentForm::FixedTerm,
        extent: EmploymentExtent::FullTime,
        wage_subsidy: false,
        ssyk: Some("9331".to_owned()),
    }
}

fn exit_record(outcome: ExitOutcome) -> Result<ExitRecord, OpError> {
    exit_record_with(outcome, None)
}

fn exit_record_with(outcome: ExitOutcome, employment: Option<EmploymentDetails>) -> Result<ExitRecord, OpError> {
    ExitRecord::new(outcome, employment, None).map_err(|e| OpError::Internal(format!("demo exit record: {e}")))
}
