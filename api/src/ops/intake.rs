//! Intake: the home district refers a person it found to belong to a target group. A person
//! whose earlier participation has ended gets a new period; an open one elsewhere is refused.

use chrono::NaiveDate;
use domain::access::{can, Action, ListScope, ResourceScope};
use domain::participant::{
    intake_date, intake_target_groups, Address, Contact, IntakeDateError, Participant, ParticipantStatus, Period,
    TargetGroupError,
};
use domain::reference::Phase;
use domain::shared::{Code, Personnummer};
use persistence::repos::participant::NewIntake;
use persistence::repos::{ParticipantRepo, ReferenceRepo};
use persistence::DbConnection;
use uuid::Uuid;

use super::{invalid, Context, FieldErrors, OpError};

/// The intake as the district sent it, checked for shape.
#[derive(Debug, Clone)]
pub struct Intake {
    pub personnummer: Personnummer,
    pub first_name: String,
    pub last_name: String,
    pub contact: Contact,
    pub address: Address,
    pub language_needs: Option<String>,
    pub protected_identity: bool,
    pub district: Code,
    pub target_groups: Vec<Code>,
    pub referral_reason: String,
    pub requested_start: NaiveDate,
    /// The district's decision date; today when `None`.
    pub referred_on: Option<NaiveDate>,
}

fn target_group_errors(errors: Vec<TargetGroupError>) -> OpError {
    let mut fields = FieldErrors::default();
    for error in errors {
        let (field, code) = match &error {
            TargetGroupError::UnderAge { .. } => ("personal_identity_number", "under_age"),
            TargetGroupError::Derived(_) => ("target_groups", "derived"),
            TargetGroupError::Unknown(_) => ("target_groups", "unknown"),
            TargetGroupError::NotEnabled(_) => ("target_groups", "not_enabled"),
            TargetGroupError::Empty => ("target_groups", "required"),
        };
        fields.add(field, code, error.to_string());
    }
    OpError::Validation(fields.into_vec())
}

/// Refers the person: a new participant, or a new period of a known one whose participation
/// has ended. `phase` is the highest target-group phase open for intake.
pub fn refer(conn: &mut DbConnection, ctx: &Context, intake: Intake, phase: Phase) -> Result<Participant, OpError> {
    let referred_on = intake_date(intake.referred_on, ctx.today()).map_err(|e| {
        let code = match e {
            IntakeDateError::InFuture => "in_future",
            IntakeDateError::TooOld { .. } => "out_of_range",
        };
        invalid("referred_on", code, e.to_string())
    })?;
    let district = ReferenceRepo::district(conn, &intake.district)
        .map_err(|_| invalid("home_district_id", "unknown", "no district has this id"))?;
    let catalogue = ReferenceRepo::target_groups(conn)?;
    let birth_date = intake
        .personnummer
        .birth_date()
        .ok_or_else(|| OpError::Internal("parsed personnummer without a birth date".into()))?;
    let groups = intake_target_groups(&intake.target_groups, birth_date, referred_on, &catalogue, phase)
        .map_err(target_group_errors)?;
    let existing = ParticipantRepo::id_by_personnummer(conn, &intake.personnummer)?;
    if let Some(id) = existing {
        let known = ParticipantRepo::get(conn, id, &ListScope::Everything)?;
        if known.current.status.is_open() {
            // Named only to a district that may read it: the open period may be another's.
            let open_at = ResourceScope {
                jobbtorg: Some(known.current.jobbtorg.clone()),
                district: Some(known.current.district.clone()),
                provider: None,
                delivered_at: None,
            };
            let detail = if can(&ctx.actor, Action::ReadParticipant, &open_at) {
                format!("The person already has an open participation: participant {id}.")
            } else {
                "The person already has an open participation referred by another district.".to_owned()
            };
            return Err(OpError::Conflict {
                code: "open_participation",
                detail,
            });
        }
    }
    let new = NewIntake {
        personnummer: intake.personnummer,
        first_name: intake.first_name,
        last_name: intake.last_name,
        birth_date,
        contact: intake.contact,
        address: intake.address,
        language_needs: intake.language_needs,
        protected_identity: intake.protected_identity,
        period: Period {
            id: Uuid::now_v7(),
            status: ParticipantStatus::Referred,
            district: district.code,
            jobbtorg: district.job_centre_code,
            target_groups: groups,
            referral_reason: intake.referral_reason,
            requested_start: intake.requested_start,
            referred_on,
            enrolled_on: None,
            coach: None,
            plan_due_on: None,
            plan_approved_on: None,
            af_registered_on: None,
            exit: None,
        },
    };
    Ok(ParticipantRepo::create(conn, &ctx.acting(), &new, existing)?)
}
