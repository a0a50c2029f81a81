use std::time::Duration;

use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::problem::ApiError;
use crate::state::AppState;

/// Readiness waits at most this long for a connection, so a load balancer gets a quick answer.
const READINESS_TIMEOUT: Duration = Duration::from_secs(2);

pub fn configure(config: &mut ServiceConfig) {
    config.service(healthz).service(readyz);
}

#[derive(Serialize, ToSchema)]
pub struct HealthResponse {
    #[schema(example = "ok")]
    pub status: String,
}

/// Liveness: the process is up
///
/// Answers without touching the database.
#[utoipa::path(tag = "operations", security(()), responses((status = 200, description = "OK", body = HealthResponse)))]
#[get("/healthz")]
async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(HealthResponse { status: "ok".into() })
}

/// Readiness: the database is reachable
///
/// 503 when no database connection can be had within two seconds; recovers by itself.
#[utoipa::path(
    tag = "operations",
    security(()),
    responses((status = 200, description = "OK", body = HealthResponse))
)]
#[get("/readyz")]
async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let pool = state.pool.clone();
    web::block(move || persistence::pool::ping(&pool, READINESS_TIMEOUT))
        .await
        .map_err(ApiError::internal)?
        .map_err(|e| ApiError::Unavailable(e.to_string()))?;
    Ok(HttpResponse::Ok().json(HealthResponse { status: "ready".into() }))
}
