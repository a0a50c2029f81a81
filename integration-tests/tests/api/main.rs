//! Black-box HTTP tests: each test starts the real server on 127.0.0.1:0 against a database of
//! its own (SQLite by default, PostgreSQL with `TEST_BACKEND=postgres`).

mod auth;
mod errors;
mod health;
mod helpers;
mod openapi;
mod reference;
