//! Referrals to providers and the closed loop around them. A provider's staff reach only
//! referrals to their own provider (another's reads as 404) and see of the participant only
//! what the referral needs. Every read is written to the access log.

mod actions;
mod create;
mod dto;
mod progress;
mod read;

use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;
use chrono::NaiveDate;
use domain::access::ListScope;
use domain::referral::{Referral, ReferralError};
use persistence::repos::referral::ParticipantCard;
use persistence::repos::ReferralRepo;
use persistence::DbConnection;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

pub use dto::ReferralResponse;

use crate::concurrency::etag;
use crate::problem::{ApiError, FieldErrors};

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(create::create_referral)
        .service(read::list_referrals)
        .service(read::get_referral)
        .service(read::referral_history)
        .service(actions::accept_referral)
        .service(actions::decline_referral)
        .service(actions::cancel_referral)
        .service(actions::start_referral)
        .service(actions::interrupt_referral)
        .service(actions::complete_referral)
        .service(progress::report_progress)
        .service(progress::list_progress_reports);
}

/// The participant card of one referral.
fn card_of(conn: &mut DbConnection, referral: &Referral) -> Result<ParticipantCard, ApiError> {
    ReferralRepo::participant_cards(conn, &[referral.participant_id])?
        .pop()
        .ok_or(ApiError::NotFound {
            resource: "participant",
        })
}

/// Loads the referral inside `scope`, checks `If-Match`; 404 outside the scope.
fn load_for_change(conn: &mut DbConnection, id: Uuid, scope: &ListScope, if_match: i32) -> Result<Referral, ApiError> {
    let referral = ReferralRepo::get(conn, id, scope).map_err(|e| ApiError::from(e).for_resource("referral"))?;
    if referral.version != if_match {
        return Err(ApiError::PreconditionFailed {
            current_version: referral.version,
        });
    }
    Ok(referral)
}

fn referral_response(
    referral: &Referral,
    card: &ParticipantCard,
    today: NaiveDate,
    status: StatusCode,
) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, etag(referral.version)))
        .json(ReferralResponse::new(referral, card, today))
}

/// Referral rule errors as problems: a step not allowed now is 409 naming the status; a date or
/// note problem is 422 on its field.
fn referral_error(error: ReferralError) -> ApiError {
    let field = match &error {
        ReferralError::Transition(t) => {
            return ApiError::Conflict {
                code: "invalid_transition",
                detail: format!("{t}; current status: {}.", t.from),
            }
        }
        ReferralError::InFuture { field } | ReferralError::TooEarly { field, .. } => *field,
        ReferralError::NoteRequired => "note",
    };
    let mut errors = FieldErrors::default();
    errors.add(field, "rule", error.to_string());
    ApiError::Validation(errors.into_vec())
}
