//! Participants: intake from the home district, reads scoped by role, the lifecycle actions,
//! history, access log and export.

mod absences;
mod dto;
mod export;
mod intake;
mod journal;
mod lifecycle;
mod read;
mod records;
mod transfers;

use actix_web::http::header;
use actix_web::HttpResponse;
use domain::ids::ParticipantId;
use domain::participant::Participant;
use utoipa_actix_web::service_config::ServiceConfig;

pub use dto::ParticipantResponse;

use crate::concurrency::etag;
use crate::http::scope_for;
use crate::problem::ApiError;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(intake::create_participant)
        .service(intake::search_participants)
        // Before `/participants/{participant_id}`, which would take the path.
        .service(transfers::reassign_coach)
        .service(read::list_participants)
        .service(read::get_participant)
        .service(read::participant_history)
        .service(export::participant_access_log)
        .service(export::export_participant)
        .service(export::hand_over)
        .service(export::list_handovers)
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
        .service(records::withdraw_consent)
        .service(journal::write_journal_entry)
        .service(journal::read_journal)
        .service(journal::correct_journal_entry)
        .service(absences::report_referral_absence)
        .service(absences::report_own_absence)
        .service(absences::list_absences)
        .service(absences::mark_absence_seen)
        .service(transfers::request_transfer)
        .service(transfers::get_transfer)
        .service(transfers::accept_transfer)
        .service(transfers::reject_transfer);
}

/// A participant id from the path; anything but a UUID names nothing.
pub(crate) fn participant_id(raw: &str) -> Result<ParticipantId, ApiError> {
    ParticipantId::parse(raw).ok_or(ApiError::NotFound {
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
