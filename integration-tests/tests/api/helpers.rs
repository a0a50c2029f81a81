use std::collections::HashMap;
use std::path::PathBuf;

use actix_web::dev::ServerHandle;
use diesel::{Connection, PgConnection, RunQueryDsl};
use jobbtorg_api::config::Config;
use jobbtorg_api::startup::Application;
use serde_json::Value;

pub const DEFAULT_TEST_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A running server and the database it owns; both are torn down on drop.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    server: ServerHandle,
    _database: TestDatabase,
}

enum TestDatabase {
    Sqlite { dir: PathBuf },
    Postgres { admin_url: String, name: String },
}

impl TestDatabase {
    fn create() -> (Self, String) {
        match std::env::var("TEST_BACKEND").as_deref() {
            Ok("postgres") => {
                let admin_url =
                    std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_TEST_DATABASE_URL.to_owned());
                let name = format!("test_{}", uuid::Uuid::now_v7().simple());
                let mut admin = PgConnection::establish(&admin_url)
                    .unwrap_or_else(|e| panic!("PostgreSQL at TEST_DATABASE_URL is not reachable: {e}"));
                diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut admin).unwrap();
                let url = replace_database(&admin_url, &name);
                (TestDatabase::Postgres { admin_url, name }, url)
            }
            Ok("sqlite") | Err(_) => {
                let dir = std::env::temp_dir().join(format!("jobbtorg-test-{}", uuid::Uuid::now_v7()));
                let url = format!("sqlite://{}", dir.join("jobbtorg.db").display());
                (TestDatabase::Sqlite { dir }, url)
            }
            Ok(other) => panic!("TEST_BACKEND must be sqlite or postgres, not {other:?}"),
        }
    }
}

/// `postgres://user@host:port/db?x` with its database name replaced.
fn replace_database(url: &str, database: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_part = base[scheme_end..].split('/').next().unwrap_or_default();
    let mut replaced = format!("{}{}/{}", &base[..scheme_end], host_part, database);
    if let Some(query) = query {
        replaced.push('?');
        replaced.push_str(query);
    }
    replaced
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        match self {
            TestDatabase::Sqlite { dir } => {
                let _ = std::fs::remove_dir_all(dir);
            }
            TestDatabase::Postgres { admin_url, name } => {
                if let Ok(mut admin) = PgConnection::establish(admin_url) {
                    let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin);
                }
            }
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Sends the stop command at once; the returned future only waits for completion.
        drop(self.server.stop(false));
    }
}

/// Starts the server with the given extra environment on top of test defaults.
pub async fn spawn_app_with(overrides: &[(&str, &str)]) -> TestApp {
    let (database, database_url) = TestDatabase::create();
    let mut vars: HashMap<String, String> = HashMap::from([
        ("DATABASE_URL".to_owned(), database_url),
        ("BIND_ADDR".to_owned(), "127.0.0.1:0".to_owned()),
        ("HTTP_WORKERS".to_owned(), "1".to_owned()),
        ("DB_POOL_SIZE".to_owned(), "4".to_owned()),
    ]);
    for (key, value) in overrides {
        vars.insert((*key).to_owned(), (*value).to_owned());
    }
    let config = Config::from_lookup(|name| vars.get(name).cloned()).expect("test configuration is valid");
    let app = Application::build(config, true).expect("server starts");
    let port = app.port();
    let server = app.handle();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        client: reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap(),
        server,
        _database: database,
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("request is sent")
    }
}

/// Asserts a problem+json response with the given status and code and returns its body.
pub async fn assert_problem(response: reqwest::Response, status: u16, code: &str) -> Value {
    assert_eq!(response.status().as_u16(), status, "unexpected status");
    let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert_eq!(content_type, "application/problem+json");
    let request_id = response.headers().get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let body: Value = response.json().await.expect("problem body is JSON");
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["status"], status, "{body}");
    assert_eq!(body["type"], format!("urn:jobbtorg:problem:{code}"));
    assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert_eq!(body["request_id"].as_str().map(str::to_owned), request_id, "problem names the request id");
    body
}

#[test]
fn replaces_the_database_name_in_a_postgres_url() {
    assert_eq!(replace_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"), "postgres://postgres@127.0.0.1:5432/t1");
    assert_eq!(replace_database("postgres://u:p@h/db?sslmode=disable", "t2"), "postgres://u:p@h/t2?sslmode=disable");
    assert_eq!(replace_database("postgres://h", "t3"), "postgres://h/t3");
}
