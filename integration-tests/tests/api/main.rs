//! Black-box HTTP tests: each test starts the real server on 127.0.0.1:0 against a database of
//! its own (SQLite by default, PostgreSQL with `TEST_BACKEND=postgres`).

// Test code: a panic is how a failed expectation is reported.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod access_log_guarantee;
mod activity_plans;
mod auth;
mod browsers;
mod case_files;
mod city_clock;
mod concurrency;
mod crash;
mod cross_centres;
mod demo;
mod districts;
mod errors;
mod events;
mod health;
mod helpers;
mod housekeeping;
mod identities;
mod intake_dates;
mod integration_clients;
mod journal_absences;
mod journey;
mod key_figures;
mod labels;
mod multi_node;
mod openapi;
mod participants;
mod rate_limit;
mod readiness;
mod reference;
mod referrals;
mod retention;
mod shape_limits;
mod tasks;
mod transactions;
mod transfers;
mod webhooks;
