//! The participant: intake from the home district, enrolment, interruptions, exit with a coded
//! outcome and the follow-ups; the 18-month clock and the 5-working-day plan deadline.

mod actions;
mod clock;
mod exit;
#[cfg(test)]
pub(crate) mod fixtures;
mod model;
mod records;
mod status;
mod target_groups;

pub use actions::{ParticipantError, PersonChanges};
pub use clock::{
    day_before, follow_up_was_due, follow_up_window, follow_ups_due, intake_date, participation_days_used, plan_due_on,
    FollowUpDue, IntakeDateError, Interval, FOLLOW_UP_EARLY_DAYS, FOLLOW_UP_MONTHS, INTAKE_BACKDATE_DAYS,
    MAX_PARTICIPATION_DAYS, PLAN_DEADLINE_WORKING_DAYS,
};
pub use exit::{
    validate_ssyk, EmploymentDetails, EmploymentExtent, EmploymentForm, ExitError, ExitOutcome, ExitRecord,
};
pub use model::{
    changed_fields, is_plan_overdue, Address, Contact, Derived, Exit, FollowUp, Interruption, Participant, Period,
};
pub use records::{Assessment, Consent, ConsentError, RecipientKind};
pub use status::{InterruptionReason, ParticipantAction, ParticipantStatus, TransitionError};
pub use target_groups::{intake_target_groups, TargetGroupError, YOUTH_GROUP};
