//! Participants: intake from the home district, reads scoped by role, the lifecycle actions,
//! history, access log and export.

mod dto;
mod intake;
mod lifecycle;
mod read;
mod records;

use actix_web::http::header;
use actix_web::HttpResponse;
use domain::access::{list_scope, Action, Actor, ListScope};
use domain::participant::{Participant, ParticipantError};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

pub use dto::{
    optional_whole_number, optional_whole_u64, whole_number, whole_u64, EmploymentDto, HistoryList, ParticipantResponse,
};
pub(crate) use lifecycle::outcome_record;
pub use read::history_entries;

use crate::concurrency::etag;
use crate::problem::{ApiError, FieldErrors};

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(intake::create_participant)
        .service(intake::search_participants)
        .service(read::list_participants)
        .service(read::get_participant)
        .service(read::participant_history)
        .service(read::participant_access_log)
        .service(read::export_participant)
        .service(lifecycle::update_participant)
        .service(lifecycle::enrol_participant)
        .service(lifecycle::assign_coach)
        .service(lifecycle::register_af)
        .service(lifecycle::start_interruption)
        .service(lifecycle::end_interruption)
        .service(lifecycle::exit_participant)
        .service(lifecycle::record_follow_up)
        .service(records::get_assessment)
        .service(records::put_assessment)
        .service(records::list_consents)
        .service(records::give_consent)
        .service(records::withdraw_consent);
}

/// The caller's reach for `action`; 403 when the role may not do it at all.
pub fn scope_for(actor: &Actor, action: Action) -> Result<ListScope, ApiError> {
    list_scope(actor, action).ok_or(ApiError::Forbidden)
}

/// A participant id from the path; anything but a UUID names nothing.
pub(crate) fn participant_id(raw: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|_| ApiError::NotFound {
        resource: "participant",
    })
}

pub(crate) fn participant_response(
    participant: &Participant,
    caller: &crate::auth::Authenticated,
    status: actix_web::http::StatusCode,
) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, etag(participant.version)))
        .json(ParticipantResponse::for_viewer(participant, &caller.0, caller.today()))
}

/// The participant rule errors as problems: a forbidden transition is 409 naming the current
/// status; a date out of order is 422 on its field.
pub(crate) fn rule_error(error: ParticipantError) -> ApiError {
    match error {
        ParticipantError::Transition(transition) => ApiError::Conflict {
            code: "invalid_transition",
            detail: format!("{transition}; current status: {}.", transition.from),
        },
        ParticipantError::FollowUpRecorded { .. } => ApiError::Conflict {
            code: "already_recorded",
            detail: error.to_string(),
        },
        ParticipantError::TooEarly { field, .. } | ParticipantError::InFuture { field } => {
            let mut errors = FieldErrors::default();
            errors.add(field, "out_of_order", error.to_string());
            ApiError::Validation(errors.into_vec())
        }
        ParticipantError::FollowUpMonths => {
            let mut errors = FieldErrors::default();
            errors.add("months", "invalid_value", error.to_string());
            ApiError::Validation(errors.into_vec())
        }
    }
}
