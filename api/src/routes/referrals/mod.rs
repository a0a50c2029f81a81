//! Referrals to providers and the closed loop around them. A provider's staff reach only
//! referrals to their own provider (another's reads as 404) and see of the participant only
//! what the referral needs. Every read is written to the access log.

mod actions;
mod create;
use crate::http::wire::referrals as dto;
mod progress;
mod read;

use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;
use chrono::NaiveDate;
use domain::referral::Referral;
use persistence::repos::referral::ParticipantCard;
use utoipa_actix_web::service_config::ServiceConfig;

pub use dto::ReferralResponse;

use crate::auth::Authenticated;
use crate::concurrency::etag;

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

fn referral_response(
    referral: &Referral,
    card: &ParticipantCard,
    caller: &Authenticated,
    today: NaiveDate,
    status: StatusCode,
) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, etag(referral.version)))
        .json(ReferralResponse::new(referral, card, &caller.0, today))
}
