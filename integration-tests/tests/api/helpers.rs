use std::collections::HashMap;
use std::path::PathBuf;

use actix_web::dev::ServerHandle;
use diesel::{Connection, PgConnection, RunQueryDsl};
use jobbtorg_api::auth::dev_token::{now_seconds, sign_hs256};
use jobbtorg_api::auth::Claims;
use jobbtorg_api::config::Config;
use jobbtorg_api::startup::Application;
use persistence::pool::DbManager;
use persistence::{DatabaseUrl, DbConnection};
use serde_json::Value;

pub const DEFAULT_TEST_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
pub const TEST_SECRET: &str = "integration-test-secret-of-at-least-32-bytes";
pub const ISSUER: &str = "jobbtorg-test";
pub const AUDIENCE: &str = "jobbtorg-api";

/// A running server and the database it owns; both are torn down on drop.
pub struct TestApp {
    pub address: String,
    pub database_url: String,
    pub client: reqwest::Client,
    server: ServerHandle,
    /// The environment the server was started with, for a restart.
    vars: HashMap<String, String>,
    _database: TestDatabase,
}

pub enum TestDatabase {
    Sqlite { dir: PathBuf },
    Postgres { admin_url: String, name: String },
}

impl TestDatabase {
    /// A fresh database; on PostgreSQL the server may be told to reach it through `via_port`.
    pub fn create(via_port: Option<u16>) -> (Self, String) {
        match std::env::var("TEST_BACKEND").as_deref() {
            Ok("postgres") => {
                let admin_url =
                    std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_TEST_DATABASE_URL.to_owned());
                let name = format!("test_{}", uuid::Uuid::now_v7().simple());
                let mut admin = PgConnection::establish(&admin_url)
                    .unwrap_or_else(|e| panic!("PostgreSQL at TEST_DATABASE_URL is not reachable: {e}"));
                diesel::sql_query(format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .unwrap();
                let mut url = replace_database(&admin_url, &name);
                if let Some(port) = via_port {
                    url = replace_port(&url, port);
                }
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

/// `postgres://user@host:port/db` pointed at 127.0.0.1:`port` instead.
fn replace_port(url: &str, port: u16) -> String {
    let scheme_end = url.find("://").map_or(0, |i| i + 3);
    let rest = &url[scheme_end..];
    let host_end = rest.find('/').unwrap_or(rest.len());
    let userinfo = rest[..host_end]
        .rsplit_once('@')
        .map_or(String::new(), |(user, _)| format!("{user}@"));
    format!("{}{userinfo}127.0.0.1:{port}{}", &url[..scheme_end], &rest[host_end..])
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
                    let _ =
                        diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin);
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

/// Another node on a [`TestApp`]'s database; stopped on drop.
pub struct Node {
    pub address: String,
    server: ServerHandle,
}

impl Drop for Node {
    fn drop(&mut self) {
        drop(self.server.stop(false));
    }
}

/// Starts the server with the given extra environment on top of test defaults.
pub async fn spawn_app_with(overrides: &[(&str, &str)]) -> TestApp {
    spawn(overrides, None).await
}

/// Starts the server reaching PostgreSQL through 127.0.0.1:`port` (a proxy), if given.
pub async fn spawn_app_on(via_port: Option<u16>) -> TestApp {
    spawn(&[], via_port).await
}

async fn spawn(overrides: &[(&str, &str)], via_port: Option<u16>) -> TestApp {
    let (database, database_url) = TestDatabase::create(via_port);
    let mut vars: HashMap<String, String> = HashMap::from([
        ("DATABASE_URL".to_owned(), database_url),
        ("BIND_ADDR".to_owned(), "127.0.0.1:0".to_owned()),
        ("HTTP_WORKERS".to_owned(), "1".to_owned()),
        ("DB_POOL_SIZE".to_owned(), "4".to_owned()),
        ("JWT_HS256_SECRET".to_owned(), TEST_SECRET.to_owned()),
        ("JWT_ISSUER".to_owned(), ISSUER.to_owned()),
        ("JWT_AUDIENCE".to_owned(), AUDIENCE.to_owned()),
    ]);
    for (key, value) in overrides {
        // An empty value unsets a default.
        if value.is_empty() {
            vars.remove(*key);
        } else {
            vars.insert((*key).to_owned(), (*value).to_owned());
        }
    }
    let (address, server) = start_server(&vars).await;
    TestApp {
        address,
        database_url: vars["DATABASE_URL"].clone(),
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        server,
        vars,
        _database: database,
    }
}

async fn start_server(vars: &HashMap<String, String>) -> (String, ServerHandle) {
    let config = Config::from_lookup(|name| vars.get(name).cloned()).expect("test configuration is valid");
    let app = Application::build(config, true).await.expect("server starts");
    let port = app.port();
    let server = app.handle();
    tokio::spawn(app.run_until_stopped());
    (format!("http://127.0.0.1:{port}"), server)
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

impl TestApp {
    /// Stops the server and starts it again on the same database with its clock set to start
    /// at `instant` (RFC 3339): time passes without waiting.
    pub async fn restart_at(&mut self, instant: &str) {
        self.server.stop(true).await;
        self.vars.insert("CLOCK_START".to_owned(), instant.to_owned());
        let (address, server) = start_server(&self.vars).await;
        (self.address, self.server) = (address, server);
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// A second server on this one's database with the same settings: another node.
    pub async fn another_node(&self) -> Node {
        let (address, server) = start_server(&self.vars).await;
        Node { address, server }
    }

    /// A direct connection to the server's database, to check what was written.
    pub fn db(&self) -> DbConnection {
        DbManager::new(DatabaseUrl::parse(&self.database_url).unwrap())
            .connect()
            .unwrap()
    }

    /// A `SELECT COUNT(*) AS n …` on the server's database.
    pub fn count(&self, sql: &str) -> i64 {
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        diesel::RunQueryDsl::get_result::<Count>(diesel::sql_query(sql), &mut self.db())
            .expect("the count runs")
            .n
    }

    /// GET without a token.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("request is sent")
    }

    pub async fn get_as(&self, token: &str, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request is sent")
    }

    pub async fn post_as(&self, token: &str, path: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("request is sent")
    }

    pub async fn delete_as(&self, token: &str, path: &str) -> reqwest::Response {
        self.client
            .delete(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request is sent")
    }

    pub async fn patch_as(&self, token: &str, path: &str, if_match: &str, body: &Value) -> reqwest::Response {
        self.client
            .patch(self.url(path))
            .bearer_auth(token)
            .header("If-Match", if_match)
            .json(body)
            .send()
            .await
            .expect("request is sent")
    }
}

/// Claims for a test token; `sign()` makes an HS256 token the test server accepts.
pub struct TestToken(Claims);

impl TestToken {
    pub fn role(role: &str) -> Self {
        let now = now_seconds();
        TestToken(Claims {
            sub: format!("test-{role}"),
            role: role.to_owned(),
            jobbtorg_id: None,
            district_id: None,
            provider_id: None,
            scope: None,
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.into(),
            exp: now + 600,
            nbf: Some(now),
            iat: Some(now),
        })
    }

    pub fn jobbtorg(mut self, id: &str) -> Self {
        self.0.jobbtorg_id = Some(id.to_owned());
        self
    }

    pub fn district(mut self, id: &str) -> Self {
        self.0.district_id = Some(id.to_owned());
        self
    }

    pub fn provider(mut self, id: &str) -> Self {
        self.0.provider_id = Some(id.to_owned());
        self
    }

    pub fn scope(mut self, scope: &str) -> Self {
        self.0.scope = Some(scope.to_owned());
        self
    }

    pub fn subject(mut self, sub: &str) -> Self {
        self.0.sub = sub.to_owned();
        self
    }

    pub fn claims(self) -> Claims {
        self.0
    }

    pub fn sign(self) -> String {
        sign_hs256(&self.0, TEST_SECRET).unwrap()
    }
}

pub fn admin_token() -> String {
    TestToken::role("admin").sign()
}

/// The `ETag` header of a response.
pub fn etag_of(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// Runs futures concurrently on the current task; their outputs in the order given.
pub async fn join_all<F: std::future::Future>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output> {
    let mut pending: Vec<Option<std::pin::Pin<Box<F>>>> = futures.into_iter().map(|f| Some(Box::pin(f))).collect();
    let mut outputs: Vec<Option<F::Output>> = pending.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        for (slot, output) in pending.iter_mut().zip(outputs.iter_mut()) {
            if let Some(future) = slot {
                if let std::task::Poll::Ready(value) = future.as_mut().poll(cx) {
                    *output = Some(value);
                    *slot = None;
                }
            }
        }
        if pending.iter().all(Option::is_none) {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    outputs.into_iter().map(|o| o.expect("every future finished")).collect()
}

/// Asserts a problem+json response with the given status and code and returns its body.
pub async fn assert_problem(response: reqwest::Response, status: u16, code: &str) -> Value {
    assert_eq!(response.status().as_u16(), status, "unexpected status");
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(content_type, "application/problem+json");
    let request_id = response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body: Value = response.json().await.expect("problem body is JSON");
    assert_eq!(body["code"], code, "{body}");
    assert!(
        jobbtorg_api::problem_codes::CATALOGUE
            .iter()
            .any(|known| known.code == code && known.status == status),
        "{code} ({status}) is not in the error-code catalogue"
    );
    assert_eq!(body["status"], status, "{body}");
    assert_eq!(body["type"], format!("urn:jobbtorg:problem:{code}"));
    assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert_eq!(
        body["request_id"].as_str().map(str::to_owned),
        request_id,
        "problem names the request id"
    );
    body
}

#[test]
fn replaces_the_database_name_in_a_postgres_url() {
    assert_eq!(
        replace_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
        "postgres://postgres@127.0.0.1:5432/t1"
    );
    assert_eq!(
        replace_database("postgres://u:p@h/db?sslmode=disable", "t2"),
        "postgres://u:p@h/t2?sslmode=disable"
    );
    assert_eq!(replace_database("postgres://h", "t3"), "postgres://h/t3");
    assert_eq!(
        replace_port("postgres://postgres@127.0.0.1:5432/t1", 6000),
        "postgres://postgres@127.0.0.1:6000/t1"
    );
    assert_eq!(
        replace_port("postgres://db.internal/t1?x=1", 6000),
        "postgres://127.0.0.1:6000/t1?x=1"
    );
}

/// A tiny HTTP server on 127.0.0.1 answering every request with a JSON document that the test
/// can replace, e.g. an identity provider's JWK set.
pub struct JsonServer {
    port: u16,
    document: std::sync::Arc<tokio::sync::RwLock<Value>>,
    task: tokio::task::JoinHandle<()>,
}

impl JsonServer {
    pub async fn start(document: Value) -> Self {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let document = std::sync::Arc::new(tokio::sync::RwLock::new(document));
        let served = document.clone();
        let task = tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let served = served.clone();
                tokio::spawn(async move {
                    let mut buffer = [0u8; 4096];
                    let _ = stream.read(&mut buffer).await;
                    let body = served.read().await.to_string();
                    let response = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = stream.write_all(response.as_bytes()).await;
                });
            }
        });
        Self { port, document, task }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub async fn set(&self, document: Value) {
        *self.document.write().await = document;
    }
}

impl Drop for JsonServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A TCP proxy on 127.0.0.1 that forwards to `target` until cut: then it closes every open
/// connection and refuses new ones, like a database that went away.
pub struct TcpProxy {
    port: u16,
    open: std::sync::Arc<std::sync::atomic::AtomicBool>,
    connections: std::sync::Arc<tokio::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>>,
    task: tokio::task::JoinHandle<()>,
}

impl TcpProxy {
    pub async fn start(target: &str) -> Self {
        use std::sync::atomic::Ordering;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let open = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let connections = std::sync::Arc::new(tokio::sync::Mutex::new(Vec::new()));
        let (accept_open, accept_connections, target) = (open.clone(), connections.clone(), target.to_owned());
        let task = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if !accept_open.load(Ordering::SeqCst) {
                    drop(inbound);
                    continue;
                }
                let target = target.clone();
                let handle = tokio::spawn(async move {
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                accept_connections.lock().await.push(handle);
            }
        });
        Self {
            port,
            open,
            connections,
            task,
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub async fn cut(&self) {
        self.open.store(false, std::sync::atomic::Ordering::SeqCst);
        for connection in self.connections.lock().await.drain(..) {
            connection.abort();
        }
    }

    pub async fn restore(&self) {
        self.open.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

impl Drop for TcpProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}
