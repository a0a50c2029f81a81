//! Building and running the server: `Application::build` binds the listener first, so tests can
//! start the real server on port 0 and learn the port.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::{from_fn, Logger};
use actix_web::{web, App, HttpServer};
use persistence::access_log_writer::AccessLogWriter;
use persistence::migrations;
use persistence::pool::{build_pool, DbManager, PoolSettings};
use utoipa_actix_web::AppExt;

use crate::auth::TokenVerifier;
use crate::config::Config;
use crate::http::route_table::RouteTable;
use crate::metrics::{self, Metrics};
use crate::openapi;
use crate::routes::docs::{openapi_yaml, swagger_ui, RenderedSpec};
use crate::routes::{self, fallback};
use crate::state::AppState;
use crate::{extract, request_id};

/// Requests whose headers take longer than this are dropped (slowloris).
const CLIENT_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// How long in-flight requests get to finish after SIGTERM/SIGINT.
const SHUTDOWN_TIMEOUT_SECS: u64 = 30;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot connect to the database ({url}): {cause}")]
    Database { url: String, cause: String },
    #[error("{0}")]
    Migration(#[from] migrations::MigrationError),
    #[error("cannot listen on {addr}: {cause}")]
    Bind { addr: String, cause: std::io::Error },
    #[error("cannot render the OpenAPI document: {0}")]
    OpenApi(String),
    #[error("no token keys: set JWT_HS256_SECRET (development) or JWT_JWKS_PATH/JWT_JWKS_URL")]
    NoTokenKeys,
    #[error("cannot load the token keys: {0}")]
    TokenKeys(String),
    #[error("cannot build the webhook client: {0}")]
    Webhooks(String),
    #[error("cannot start the access-log writer: {0}")]
    AccessLog(std::io::Error),
}

pub struct Application {
    server: Server,
    port: u16,
    /// The webhook delivery loop and housekeeping; stopped with the server.
    background: Vec<tokio::task::JoinHandle<()>>,
}

impl Application {
    /// Connects (surfacing a bad URL at once), migrates unless told not to, binds and builds the
    /// server. The server runs when [`Application::run_until_stopped`] is awaited.
    pub async fn build(config: Config, migrate: bool) -> Result<Self, StartupError> {
        let keys = config.jwt_keys.as_ref().ok_or(StartupError::NoTokenKeys)?;
        let verifier = TokenVerifier::new(
            config.jwt_issuer.clone(),
            config.jwt_audience.clone(),
            keys,
            config.jwt_max_ttl,
        )
        .await
        .map_err(StartupError::TokenKeys)?
        .with_claim_mapping(config.claim_mapping.clone());
        let verifier = web::Data::new(Arc::new(verifier));
        let manager = DbManager::new(config.database_url.clone());
        let mut conn = manager.connect().map_err(|e| StartupError::Database {
            url: format!("{:?}", config.database_url),
            cause: e.to_string(),
        })?;
        if migrate {
            let applied = migrations::run_pending(&mut conn)?;
            if !applied.is_empty() {
                log::info!("applied {} migration(s)", applied.len());
            }
        }
        drop(conn);

        let pool = build_pool(
            config.database_url.clone(),
            PoolSettings {
                max_size: config.db_pool_size,
                connection_timeout: config.db_pool_timeout,
            },
        );
        let document = openapi::document();
        let spec = Arc::new(RenderedSpec {
            yaml: openapi::to_yaml(&document).map_err(StartupError::OpenApi)?,
        });
        let route_table = web::Data::new(RouteTable::from_document(&document));
        let write_commits = prometheus_client::metrics::counter::Counter::default();
        let metrics = web::Data::new(Metrics::new(write_commits.clone()));
        let workers = config.http_workers;
        let request_timeout = config.request_timeout;
        let addr = config.bind_addr;
        let access_log =
            AccessLogWriter::start(DbManager::new(config.database_url.clone())).map_err(StartupError::AccessLog)?;
        let state = web::Data::new(AppState {
            pool,
            config: Arc::new(config),
            write_commits,
            access_log,
        });

        let listener = TcpListener::bind(addr).map_err(|cause| StartupError::Bind {
            addr: addr.to_string(),
            cause,
        })?;
        let bound = listener.local_addr().map_err(|cause| StartupError::Bind {
            addr: addr.to_string(),
            cause,
        })?;

        let deliveries =
            crate::webhooks::spawn(state.get_ref().clone()).map_err(|e| StartupError::Webhooks(e.to_string()))?;
        let background = vec![deliveries, crate::housekeeping::spawn(state.get_ref().clone())];

        let cors_origins = state.config.cors_origins.clone();
        let server = HttpServer::new(move || {
            App::new()
                .wrap(from_fn(crate::conventions::apply))
                .wrap(actix_web::middleware::Compress::default())
                .wrap(from_fn(crate::security_headers::add))
                .wrap(from_fn(metrics::record))
                .wrap(from_fn(move |req, next| request_id::assign(req, next, request_timeout)))
                // Path only, never the query string: nothing personal goes into the log.
                .wrap(
                    Logger::new("%{method}xi %U %s %b %Dms req=%{x-request-id}o trace=%{trace}xi")
                        .custom_request_replace("method", |req| req.method().to_string())
                        .custom_request_replace("trace", |req| {
                            let header = req.headers().get("traceparent").and_then(|v| v.to_str().ok());
                            request_id::trace_context(header).unwrap_or("-").to_owned()
                        }),
                )
                // Outermost: a preflight is answered before anything else runs.
                .wrap(crate::cors::cors(&cors_origins))
                .app_data(state.clone())
                .app_data(verifier.clone())
                .app_data(route_table.clone())
                .app_data(metrics.clone())
                .app_data(web::Data::new(spec.clone()))
                .app_data(extract::json_config())
                .app_data(extract::payload_config())
                .app_data(extract::query_config())
                .app_data(extract::path_config())
                .into_utoipa_app()
                .configure(routes::configure)
                .into_app()
                .service(swagger_ui(document.clone()))
                .service(web::resource("/openapi.yaml").get(openapi_yaml))
                .default_service(web::to(fallback::unmatched))
        })
        .workers(workers)
        .client_request_timeout(CLIENT_REQUEST_TIMEOUT)
        .shutdown_timeout(SHUTDOWN_TIMEOUT_SECS)
        .listen(listener)
        .map_err(|cause| StartupError::Bind {
            addr: addr.to_string(),
            cause,
        })?
        .run();

        Ok(Self {
            server,
            port: bound.port(),
            background,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// A handle to stop the server, e.g. when a test ends.
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Runs until SIGTERM/SIGINT (graceful) or a fatal error.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let stopped = self.server.await;
        for task in self.background {
            task.abort();
        }
        stopped
    }
}
