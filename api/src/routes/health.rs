use std::time::Duration;

use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::metrics::Metrics;
use crate::problem::ApiError;
use crate::state::AppState;

/// Readiness waits at most this long for a connection, so a load balancer gets a quick answer.
const READINESS_TIMEOUT: Duration = Duration::from_secs(2);

pub fn configure(config: &mut ServiceConfig) {
    config.service(healthz).service(readyz).service(metrics);
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

/// Metrics for Prometheus
///
/// Requests by route template and status, latency histograms, and database pool use, in the
/// OpenMetrics text format. Contains no personal data.
#[utoipa::path(
    tag = "operations",
    security(()),
    responses((status = 200, description = "The metrics.", content_type = "application/openmetrics-text", body = String))
)]
#[get("/metrics")]
async fn metrics(metrics: web::Data<Metrics>, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let text = metrics.render(&state.pool).map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
        .body(text))
}
