//! What can happen to a participant, as pure functions from the current state to the next.
//! The repository stores whatever state these return; they are where the rules live.

use chrono::NaiveDate;
use uuid::Uuid;

use super::clock::{follow_up_window, plan_due_on, FOLLOW_UP_MONTHS};
use super::exit::{EmploymentDetails, ExitRecord};
use super::model::{Address, Contact, Exit, FollowUp, Interruption, Participant};
use super::status::{InterruptionReason, ParticipantAction, TransitionError};
use crate::shared::Code;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParticipantError {
    /// Not allowed in the current status (409).
    #[error(transparent)]
    Transition(#[from] TransitionError),
    /// A date that breaks the order of events (422), e.g. arrival before intake.
    #[error("{field} may not be before {limit} ({limit_name})")]
    TooEarly {
        field: &'static str,
        limit: NaiveDate,
        limit_name: &'static str,
    },
    #[error("{field} may not be in the future")]
    InFuture { field: &'static str },
    #[error("follow-ups are made at 2 or 8 months")]
    FollowUpMonths,
    /// Already recorded (409).
    #[error("the {months}-month follow-up is already recorded")]
    FollowUpRecorded { months: u32 },
    /// Before its window opens (409): the check that work lasted cannot precede the time it
    /// is meant to last.
    #[error("the {months}-month follow-up falls due on {due_on} and may be recorded from {opens_on}")]
    FollowUpNotDue {
        months: u32,
        due_on: NaiveDate,
        opens_on: NaiveDate,
    },
}

/// Changes to the person's own data; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonChanges {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<Option<String>>,
    pub email: Option<Option<String>>,
    pub street: Option<Option<String>>,
    pub postal_code: Option<Option<String>>,
    pub city: Option<Option<String>>,
    pub language_needs: Option<Option<String>>,
    pub protected_identity: Option<bool>,
}

fn not_before(
    field: &'static str,
    date: NaiveDate,
    limit: NaiveDate,
    limit_name: &'static str,
) -> Result<(), ParticipantError> {
    if date < limit {
        Err(ParticipantError::TooEarly {
            field,
            limit,
            limit_name,
        })
    } else {
        Ok(())
    }
}

fn not_future(field: &'static str, date: NaiveDate, today: NaiveDate) -> Result<(), ParticipantError> {
    if date > today {
        Err(ParticipantError::InFuture { field })
    } else {
        Ok(())
    }
}

impl Participant {
    fn transition(&mut self, action: ParticipantAction) -> Result<(), ParticipantError> {
        self.current.status = self.current.status.apply(action)?;
        Ok(())
    }

    pub fn update_person(mut self, changes: PersonChanges) -> Self {
        let PersonChanges {
            first_name,
            last_name,
            phone,
            email,
            street,
            postal_code,
            city,
            language_needs,
            protected_identity,
        } = changes;
        self.first_name = first_name.unwrap_or(self.first_name);
        self.last_name = last_name.unwrap_or(self.last_name);
        let Contact {
            phone: old_phone,
            email: old_email,
        } = self.contact;
        self.contact = Contact {
            phone: phone.unwrap_or(old_phone),
            email: email.unwrap_or(old_email),
        };
        let Address {
            street: old_street,
            postal_code: old_postal,
            city: old_city,
        } = self.address;
        self.address = Address {
            street: street.unwrap_or(old_street),
            postal_code: postal_code.unwrap_or(old_postal),
            city: city.unwrap_or(old_city),
        };
        self.language_needs = language_needs.unwrap_or(self.language_needs);
        self.protected_identity = protected_identity.unwrap_or(self.protected_identity);
        self
    }

    /// Arrival at the job centre: starts the mapping and the 5-working-day plan clock.
    pub fn enrol(mut self, arrived_on: NaiveDate, coach: String, today: NaiveDate) -> Result<Self, ParticipantError> {
        self.transition(ParticipantAction::Enrol)?;
        not_before("arrived_on", arrived_on, self.current.referred_on, "the intake date")?;
        not_future("arrived_on", arrived_on, today)?;
        self.current.enrolled_on = Some(arrived_on);
        self.current.coach = Some(coach);
        self.current.plan_due_on = Some(plan_due_on(arrived_on));
        Ok(self)
    }

    pub fn assign_coach(mut self, coach: String) -> Result<Self, ParticipantError> {
        self.transition(ParticipantAction::AssignCoach)?;
        self.current.coach = Some(coach);
        Ok(self)
    }

    /// A move to another home district, served by `jobbtorg`, on `moves_on`: the participation
    /// continues (the 548 days keep counting), the new centre's `coach` takes over, and an
    /// approved plan goes back to the new district for approval, due 5 working days after the
    /// move.
    pub fn transfer(
        mut self,
        district: Code,
        jobbtorg: Code,
        coach: Option<String>,
        moves_on: NaiveDate,
    ) -> Result<Self, ParticipantError> {
        self.transition(ParticipantAction::Transfer)?;
        self.current.district = district;
        self.current.jobbtorg = jobbtorg;
        self.current.coach = coach;
        if self.current.enrolled_on.is_some() {
            self.current.plan_approved_on = None;
            self.current.plan_due_on = Some(plan_due_on(moves_on.max(self.current.referred_on)));
        }
        Ok(self)
    }

    pub fn register_af(mut self, registered_on: NaiveDate, today: NaiveDate) -> Result<Self, ParticipantError> {
        self.transition(ParticipantAction::RegisterAf)?;
        not_future("registered_on", registered_on, today)?;
        self.current.af_registered_on = Some(registered_on);
        Ok(self)
    }

    pub fn interrupt(
        mut self,
        id: Uuid,
        reason: InterruptionReason,
        from: NaiveDate,
        note: Option<String>,
        today: NaiveDate,
    ) -> Result<Self, ParticipantError> {
        self.transition(ParticipantAction::Interrupt)?;
        if let Some(enrolled_on) = self.current.enrolled_on {
            not_before("started_on", from, enrolled_on, "the enrolment date")?;
        }
        not_future("started_on", from, today)?;
        self.interruptions.push(Interruption {
            id,
            period_id: self.current.id,
            reason,
            started_on: from,
            ended_on: None,
            note,
        });
        Ok(self)
    }

    /// Restart (nystart) after an interruption; `resumed_on` is the first day back.
    pub fn resume(
        mut self,
        interruption_id: Uuid,
        resumed_on: NaiveDate,
        today: NaiveDate,
    ) -> Result<Self, ParticipantError> {
        let open = self
            .open_interruption()
            .filter(|i| i.id == interruption_id)
            .map(|i| i.started_on);
        let Some(started_on) = open else {
            return Err(ParticipantError::Transition(TransitionError {
                from: self.current.status,
                action: ParticipantAction::Resume,
            }));
        };
        self.transition(ParticipantAction::Resume)?;
        not_before("ended_on", resumed_on, started_on, "the start of the interruption")?;
        not_future("ended_on", resumed_on, today)?;
        if let Some(interruption) = self.interruptions.iter_mut().find(|i| i.id == interruption_id) {
            interruption.ended_on = Some(resumed_on);
        }
        Ok(self)
    }

    /// Leaves with a coded outcome; an open interruption ends on the exit date.
    pub fn exit(
        mut self,
        exited_on: NaiveDate,
        record: ExitRecord,
        today: NaiveDate,
    ) -> Result<Self, ParticipantError> {
        self.transition(ParticipantAction::Exit)?;
        let (limit, limit_name) = match self.current.enrolled_on {
            Some(enrolled_on) => (enrolled_on, "the enrolment date"),
            None => (self.current.referred_on, "the intake date"),
        };
        not_before("exited_on", exited_on, limit, limit_name)?;
        not_future("exited_on", exited_on, today)?;
        let current = self.current.id;
        for interruption in self
            .interruptions
            .iter_mut()
            .filter(|i| i.period_id == current && i.ended_on.is_none())
        {
            interruption.ended_on = Some(exited_on.max(interruption.started_on));
        }
        self.current.exit = Some(Exit { on: exited_on, record });
        Ok(self)
    }

    pub fn record_follow_up(
        mut self,
        id: Uuid,
        months: u32,
        followed_up_on: NaiveDate,
        self_supporting: bool,
        employment: Option<EmploymentDetails>,
        today: NaiveDate,
    ) -> Result<Self, ParticipantError> {
        self.transition(ParticipantAction::RecordFollowUp)?;
        if !FOLLOW_UP_MONTHS.contains(&months) {
            return Err(ParticipantError::FollowUpMonths);
        }
        let current = self.current.id;
        if self
            .follow_ups
            .iter()
            .any(|f| f.period_id == current && f.months == months)
        {
            return Err(ParticipantError::FollowUpRecorded { months });
        }
        if let Some(exit) = &self.current.exit {
            not_before("followed_up_on", followed_up_on, exit.on, "the exit date")?;
            if let Some((due_on, opens_on)) = follow_up_window(exit.on, months) {
                if followed_up_on < opens_on {
                    return Err(ParticipantError::FollowUpNotDue {
                        months,
                        due_on,
                        opens_on,
                    });
                }
            }
        }
        not_future("followed_up_on", followed_up_on, today)?;
        self.follow_ups.push(FollowUp {
            id,
            period_id: current,
            months,
            followed_up_on,
            self_supporting,
            employment,
        });
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::participant::fixtures::{day, referred_on};
    use crate::participant::{ExitOutcome, ParticipantStatus};

    fn referred() -> Participant {
        referred_on(day(2026, 11, 2))
    }

    const TODAY: (i32, u32, u32) = (2026, 11, 23);

    fn today() -> NaiveDate {
        day(TODAY.0, TODAY.1, TODAY.2)
    }

    #[test]
    fn the_whole_flow_keeps_the_clock_right() {
        let p = referred().enrol(day(2026, 11, 3), "coach-1".into(), today()).unwrap();
        assert_eq!(p.current.plan_due_on, Some(day(2026, 11, 10)));
        let p = p
            .interrupt(
                Uuid::from_u128(2),
                InterruptionReason::Sickness,
                day(2026, 11, 10),
                None,
                today(),
            )
            .unwrap();
        assert_eq!(p.current.status, ParticipantStatus::Interrupted);
        let p = p.resume(Uuid::from_u128(2), day(2026, 11, 15), today()).unwrap();
        assert_eq!(p.current.status, ParticipantStatus::Enrolled);
        // 3 Nov to 23 Nov is 21 days; 10 to 14 Nov interrupted (5 days).
        assert_eq!(p.derive(today()).participation_days_used, 16);
        let record = ExitRecord::new(ExitOutcome::Studies, None, None).unwrap();
        let p = p.exit(day(2026, 11, 20), record, today()).unwrap();
        assert_eq!(p.derive(today()).participation_days_used, 13);
        assert_eq!(
            p.clone()
                .record_follow_up(Uuid::from_u128(3), 2, today(), true, None, today()),
            Err(ParticipantError::FollowUpNotDue {
                months: 2,
                due_on: day(2027, 1, 20),
                opens_on: day(2027, 1, 13)
            }),
            "three days after exit is no follow-up"
        );
        let later = day(2027, 1, 14);
        let p = p
            .record_follow_up(Uuid::from_u128(3), 2, later, true, None, later)
            .unwrap();
        assert_eq!(p.derive(later).follow_ups_due.iter().filter(|f| f.recorded).count(), 1);
        assert_eq!(
            p.clone()
                .record_follow_up(Uuid::from_u128(4), 2, later, true, None, later),
            Err(ParticipantError::FollowUpRecorded { months: 2 })
        );
        assert_eq!(
            p.clone()
                .record_follow_up(Uuid::from_u128(4), 8, later, true, None, later),
            Err(ParticipantError::FollowUpNotDue {
                months: 8,
                due_on: day(2027, 7, 20),
                opens_on: day(2027, 7, 13)
            })
        );
        assert_eq!(
            p.record_follow_up(Uuid::from_u128(4), 3, later, true, None, later),
            Err(ParticipantError::FollowUpMonths)
        );
    }

    #[test]
    fn arrival_may_not_precede_intake_nor_lie_ahead() {
        assert_eq!(
            referred().enrol(day(2026, 11, 1), "c".into(), today()),
            Err(ParticipantError::TooEarly {
                field: "arrived_on",
                limit: day(2026, 11, 2),
                limit_name: "the intake date"
            })
        );
        assert_eq!(
            referred().enrol(day(2026, 11, 24), "c".into(), today()),
            Err(ParticipantError::InFuture { field: "arrived_on" })
        );
    }

    #[test]
    fn illegal_transitions_name_the_current_status() {
        let error = referred()
            .interrupt(Uuid::from_u128(2), InterruptionReason::Other, today(), None, today())
            .unwrap_err();
        assert_eq!(error.to_string(), "cannot interrupt a participant who is referred");
        let exited = referred()
            .exit(
                today(),
                ExitRecord::new(ExitOutcome::NoShow, None, None).unwrap(),
                today(),
            )
            .unwrap();
        assert!(matches!(
            exited.clone().enrol(today(), "c".into(), today()),
            Err(ParticipantError::Transition(_))
        ));
        assert!(matches!(
            exited.resume(Uuid::from_u128(2), today(), today()),
            Err(ParticipantError::Transition(_))
        ));
    }

    #[test]
    fn exit_closes_an_open_interruption() {
        let p = referred()
            .enrol(day(2026, 11, 3), "c".into(), today())
            .unwrap()
            .interrupt(
                Uuid::from_u128(2),
                InterruptionReason::ParentalLeave,
                day(2026, 11, 10),
                None,
                today(),
            )
            .unwrap();
        let p = p
            .exit(
                day(2026, 11, 20),
                ExitRecord::new(ExitOutcome::SickOrParentalLeave, None, None).unwrap(),
                today(),
            )
            .unwrap();
        assert_eq!(p.interruptions[0].ended_on, Some(day(2026, 11, 20)));
        assert!(p.open_interruption().is_none());
    }

    #[test]
    fn person_changes_touch_only_what_they_name() {
        let changes = PersonChanges {
            phone: Some(Some("070-123".into())),
            city: Some(None),
            ..PersonChanges::default()
        };
        let p = referred().update_person(changes);
        assert_eq!(p.contact.phone.as_deref(), Some("070-123"));
        assert_eq!(p.first_name, "Anna");
        assert_eq!(p.address.city, None);
    }
}
