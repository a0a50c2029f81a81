//! Providers and their contracts: the purchaser's register. Everyone signed in may read active
//! providers and contracts (no personal data); only the purchaser changes them.

mod contracts;
mod dto;
mod handlers;

use actix_web::http::header;
use actix_web::HttpResponse;
use domain::access::{can, Action, Actor, ResourceScope};
use domain::provider::Provider;
use utoipa_actix_web::service_config::ServiceConfig;

pub use dto::{ContractResponse, ProviderResponse};

use crate::concurrency::etag;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(handlers::create_provider)
        .service(handlers::list_providers)
        .service(handlers::get_provider)
        .service(handlers::update_provider)
        .service(handlers::provider_history)
        .service(contracts::create_contract)
        .service(contracts::list_contracts)
        .service(contracts::get_contract)
        .service(contracts::update_contract)
        .service(contracts::contract_capacity)
        .service(contracts::contract_history);
}

/// The purchaser (and admin) manage the register and see everything in it.
fn manages(actor: &Actor) -> bool {
    can(actor, Action::ManageProviders, &ResourceScope::default())
}

/// Whether `actor` sees the provider's contact persons: the purchaser and the provider's staff.
fn sees_contacts(actor: &Actor, provider: &Provider) -> bool {
    manages(actor) || actor.provider().is_some_and(|p| p.uuid() == provider.id)
}

fn provider_response(actor: &Actor, provider: &Provider, status: actix_web::http::StatusCode) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, etag(provider.version)))
        .json(ProviderResponse::new(provider, sees_contacts(actor, provider)))
}
