//! The participant as the rules see it: the person, the current participation period and what
//! happened in earlier ones.

use chrono::NaiveDate;
use uuid::Uuid;

use super::clock::{
    follow_up_was_due, follow_ups_due, participation_days_used, FollowUpDue, Interval, MAX_PARTICIPATION_DAYS,
};
use super::exit::{EmploymentDetails, ExitRecord};
use super::status::{InterruptionReason, ParticipantStatus};
use super::target_groups::YOUTH_GROUP;
use crate::access::Identity;
use crate::shared::{age_on, Code, Personnummer};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Contact {
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Address {
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interruption {
    pub id: Uuid,
    pub period_id: Uuid,
    pub reason: InterruptionReason,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    pub id: Uuid,
    pub period_id: Uuid,
    pub months: u32,
    pub followed_up_on: NaiveDate,
    pub self_supporting: bool,
    pub employment: Option<EmploymentDetails>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exit {
    pub on: NaiveDate,
    pub record: ExitRecord,
}

/// One intake from the home district and what followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub id: Uuid,
    pub status: ParticipantStatus,
    pub district: Code,
    pub jobbtorg: Code,
    pub target_groups: Vec<Code>,
    pub referral_reason: String,
    pub requested_start: NaiveDate,
    pub referred_on: NaiveDate,
    pub enrolled_on: Option<NaiveDate>,
    /// The coach's subject (user id from the identity provider).
    pub coach: Option<String>,
    pub plan_due_on: Option<NaiveDate>,
    pub plan_approved_on: Option<NaiveDate>,
    pub af_registered_on: Option<NaiveDate>,
    pub exit: Option<Exit>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    pub id: Uuid,
    pub personnummer: Personnummer,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: NaiveDate,
    pub contact: Contact,
    pub address: Address,
    pub language_needs: Option<String>,
    pub protected_identity: bool,
    /// Shown instead of the name where the name may not be (protected identity).
    pub pseudonym: String,
    pub version: i32,
    pub current: Period,
    /// Earlier periods, oldest first.
    pub earlier: Vec<Period>,
    /// Interruptions of all periods.
    pub interruptions: Vec<Interruption>,
    /// Follow-ups of all periods.
    pub follow_ups: Vec<FollowUp>,
}

/// What every read derives from the stored facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derived {
    pub age: u32,
    pub youth_16_24: bool,
    pub plan_overdue: bool,
    pub participation_days_used: u32,
    pub participation_days_left: u32,
    pub follow_ups_due: Vec<FollowUpDue>,
}

/// An enrolled participant past the plan deadline with no approved plan.
pub fn is_plan_overdue(period: &Period, today: NaiveDate) -> bool {
    matches!(
        period.status,
        ParticipantStatus::Enrolled | ParticipantStatus::Interrupted
    ) && period.plan_approved_on.is_none()
        && period.plan_due_on.is_some_and(|due| today > due)
}

impl Participant {
    /// What the identity rule (`domain::access::sees_identity`) needs of the person.
    pub fn identity(&self) -> Identity<'_> {
        Identity {
            protected: self.protected_identity,
            coach: self.current.coach.as_deref(),
            home_district: &self.current.district,
        }
    }

    pub fn open_interruption(&self) -> Option<&Interruption> {
        self.interruptions
            .iter()
            .find(|i| i.period_id == self.current.id && i.ended_on.is_none())
    }

    /// The follow-ups that were made when due: the only ones that can confirm lasting work.
    pub fn follow_ups_made_when_due(&self) -> Vec<FollowUp> {
        let exit_of = |period_id| {
            std::iter::once(&self.current)
                .chain(&self.earlier)
                .find(|p| p.id == period_id)
                .and_then(|p| p.exit.as_ref())
                .map(|e| e.on)
        };
        self.follow_ups
            .iter()
            .filter(|f| exit_of(f.period_id).is_some_and(|on| follow_up_was_due(on, f.months, f.followed_up_on)))
            .cloned()
            .collect()
    }

    /// The last day the 548-day cap allows, counting from today with the days left.
    pub fn last_participation_day(&self, today: NaiveDate) -> NaiveDate {
        let left = self.derive(today).participation_days_left;
        today + chrono::Days::new(u64::from(left.saturating_sub(1)))
    }

    pub fn derive(&self, today: NaiveDate) -> Derived {
        let periods: Vec<Interval> = self
            .earlier
            .iter()
            .chain(std::iter::once(&self.current))
            .filter_map(|p| {
                let start = p.enrolled_on?;
                Some(Interval {
                    start,
                    end: p.exit.as_ref().map(|e| e.on),
                })
            })
            .collect();
        let interruptions: Vec<Interval> = self
            .interruptions
            .iter()
            .map(|i| Interval {
                start: i.started_on,
                end: i.ended_on.map(super::clock::day_before),
            })
            .collect();
        let used = participation_days_used(&periods, &interruptions, today);
        let recorded: Vec<u32> = self
            .follow_ups
            .iter()
            .filter(|f| f.period_id == self.current.id)
            .map(|f| f.months)
            .collect();
        Derived {
            age: age_on(self.birth_date, today),
            youth_16_24: self.current.target_groups.iter().any(|g| g.as_str() == YOUTH_GROUP),
            plan_overdue: is_plan_overdue(&self.current, today),
            participation_days_used: used,
            participation_days_left: MAX_PARTICIPATION_DAYS.saturating_sub(used),
            follow_ups_due: self
                .current
                .exit
                .as_ref()
                .map(|e| follow_ups_due(e.on, &recorded))
                .unwrap_or_default(),
        }
    }

    /// Every stored field of the person and the current period as text, for field-level history.
    pub fn snapshot(&self) -> Vec<(&'static str, Option<String>)> {
        let p = &self.current;
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string());
        let exit = p.exit.as_ref();
        let employment = exit.and_then(|e| e.record.employment());
        vec![
            ("first_name", Some(self.first_name.clone())),
            ("last_name", Some(self.last_name.clone())),
            ("phone", self.contact.phone.clone()),
            ("email", self.contact.email.clone()),
            ("street_address", self.address.street.clone()),
            ("postal_code", self.address.postal_code.clone()),
            ("city", self.address.city.clone()),
            ("language_needs", self.language_needs.clone()),
            ("protected_identity", Some(self.protected_identity.to_string())),
            ("status", Some(p.status.to_string())),
            ("home_district_id", Some(p.district.to_string())),
            ("jobbtorg_id", Some(p.jobbtorg.to_string())),
            ("enrolled_on", date(p.enrolled_on)),
            ("coach_id", p.coach.clone()),
            ("plan_due_on", date(p.plan_due_on)),
            ("af_registered_on", date(p.af_registered_on)),
            (
                "interruption",
                self.open_interruption()
                    .map(|i| format!("{} since {}", i.reason.as_str(), i.started_on)),
            ),
            ("exited_on", date(exit.map(|e| e.on))),
            ("exit_outcome", exit.map(|e| e.record.outcome().as_str().to_owned())),
            ("exit_employment_form", employment.map(|e| e.form.as_str().to_owned())),
            ("exit_extent", employment.map(|e| e.extent.as_str().to_owned())),
            ("exit_wage_subsidy", employment.map(|e| e.wage_subsidy.to_string())),
            ("exit_reason", exit.and_then(|e| e.record.reason().map(str::to_owned))),
            (
                "follow_ups",
                Some(
                    self.follow_ups
                        .iter()
                        .filter(|f| f.period_id == p.id)
                        .map(|f| f.months.to_string())
                        .collect::<Vec<_>>()
                        .join(","),
                ),
            ),
        ]
    }
}

/// The fields that differ between two snapshots: (field, before, after).
pub fn changed_fields(
    before: &[(&'static str, Option<String>)],
    after: &[(&'static str, Option<String>)],
) -> Vec<(&'static str, Option<String>, Option<String>)> {
    before
        .iter()
        .zip(after)
        .filter(|((_, old), (_, new))| old != new)
        .map(|((field, old), (_, new))| (*field, old.clone(), new.clone()))
        .collect()
}
