//! The Jobbtorg HTTP API: configuration, routes, problem+json errors and the OpenAPI document.

pub mod auth;
pub mod cli;
pub mod clock;
pub mod codes;
pub mod concurrency;
pub mod config;
pub mod conventions;
pub mod cors;
pub mod demo;
pub mod extract;
pub mod housekeeping;
pub mod http;
pub mod idempotency;
pub mod metrics;
pub mod openapi;
pub mod ops;
pub mod problem;
pub mod problem_codes;
pub mod request_id;
pub mod request_scope;
pub mod routes;
pub mod security_headers;
pub mod startup;
pub mod state;
pub mod webhooks;
pub mod write_request;
