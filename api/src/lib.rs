//! The Jobbtorg HTTP API: configuration, routes, problem+json errors and the OpenAPI document.

pub mod cli;
pub mod config;
pub mod extract;
pub mod openapi;
pub mod problem;
pub mod request_id;
pub mod routes;
pub mod startup;
pub mod state;
