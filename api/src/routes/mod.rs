//! HTTP resources, one module each. Register with `.service` only: `.route` hides a path from
//! the OpenAPI document.

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

pub mod activity_plans;
pub mod claims;
pub mod docs;
pub mod events;
pub mod fallback;
pub mod health;
pub mod participants;
pub mod providers;
pub mod reference;
pub mod referrals;
pub mod reports;
pub mod tasks;
pub mod webhooks;

/// Every documented route. Used both by the server and to generate `openapi.yaml`.
pub fn configure(config: &mut ServiceConfig) {
    config.configure(health::configure);
    config.service(
        scope("/v1")
            .configure(reference::configure)
            .configure(events::configure)
            .configure(participants::configure)
            .configure(activity_plans::configure)
            .configure(providers::configure)
            .configure(referrals::configure)
            .configure(claims::configure)
            .configure(reports::configure)
            .configure(tasks::configure)
            .configure(webhooks::configure),
    );
}
