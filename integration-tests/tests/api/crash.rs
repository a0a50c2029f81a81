//! The server process killed with SIGKILL in the middle of idempotent writes, then started
//! again: every retry with its key completes at once (created, or replayed if its first try
//! had committed), and nothing is created twice. The claim of a key commits only with its
//! work, so a killed request leaves no key behind to wait for.
//!
//! On PostgreSQL a lock held by the test stops each intake inside its transaction, after its
//! key was taken, so the kill lands mid-transaction for certain. On SQLite writers queue for
//! the database lock, so the kill lands while they run or wait.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use diesel::{Connection, PgConnection, RunQueryDsl};
use serde_json::Value;

use crate::helpers::{TestDatabase, AUDIENCE, ISSUER, TEST_SECRET};
use crate::participants::{intake_body, officer, personnummer};

const WRITES: u32 = 6;

/// The server binary beside this test binary (`make test` builds it first).
pub fn server_binary() -> std::path::PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().and_then(|deps| deps.parent()).unwrap();
    let binary = dir.join("jobbtorg-api");
    assert!(
        binary.exists(),
        "build the server first: cargo build -p jobbtorg-api ({binary:?})"
    );
    binary
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn start(database_url: &str) -> (Child, String) {
    let port = free_port();
    let child = Command::new(server_binary())
        .arg("serve")
        .env("DATABASE_URL", database_url)
        .env("BIND_ADDR", format!("127.0.0.1:{port}"))
        .env("HTTP_WORKERS", "2")
        .env("DB_POOL_SIZE", "8")
        .env("JWT_HS256_SECRET", TEST_SECRET)
        .env("JWT_ISSUER", ISSUER)
        .env("JWT_AUDIENCE", AUDIENCE)
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let address = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while client
        .get(format!("{address}/readyz"))
        .send()
        .await
        .map(|r| r.status().as_u16())
        .ok()
        != Some(200)
    {
        assert!(Instant::now() < deadline, "the server did not come up");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    (child, address)
}

fn intake(address: &str, serial: u32) -> reqwest::RequestBuilder {
    let birth = chrono::NaiveDate::from_ymd_opt(1984, 3, 9).unwrap();
    reqwest::Client::new()
        .post(format!("{address}/v1/participants"))
        .bearer_auth(officer("rinkeby-kista"))
        .header("Idempotency-Key", format!("intake-{serial}"))
        .json(&intake_body(&personnummer(birth, serial)))
}

fn count(database_url: &str, sql: &str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut conn = persistence::pool::DbManager::new(persistence::DatabaseUrl::parse(database_url).unwrap())
        .connect()
        .unwrap();
    diesel::sql_query(sql).get_result::<Count>(&mut conn).unwrap().n
}

#[tokio::test]
async fn a_server_killed_mid_write_leaves_nothing_a_retry_must_wait_for() {
    let (_database, url) = TestDatabase::create(None);
    let (mut server, address) = start(&url).await;

    let mut lock = url.starts_with("postgres").then(|| {
        let mut conn = PgConnection::establish(&url).unwrap();
        diesel::sql_query("BEGIN").execute(&mut conn).unwrap();
        diesel::sql_query("LOCK TABLE participants IN EXCLUSIVE MODE")
            .execute(&mut conn)
            .unwrap();
        conn
    });
    let in_flight: Vec<_> = (1..=WRITES)
        .map(|serial| tokio::spawn(intake(&address, serial).send()))
        .collect();
    if lock.is_some() {
        // Each intake has taken its key and waits at the lock.
        let deadline = Instant::now() + Duration::from_secs(10);
        let waiting = "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() \
                       AND wait_event_type = 'Lock'";
        while count(&url, waiting) < i64::from(WRITES) {
            assert!(Instant::now() < deadline, "the intakes did not reach the lock");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    } else {
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    server.kill().unwrap(); // SIGKILL
    server.wait().unwrap();
    for request in in_flight {
        assert!(
            request.await.unwrap().is_err() || lock.is_none(),
            "no answer came from a killed server"
        );
    }
    if let Some(conn) = lock.as_mut() {
        diesel::sql_query("ROLLBACK").execute(conn).unwrap();
    }

    let (mut server, address) = start(&url).await;
    for serial in 1..=WRITES {
        let started = Instant::now();
        let retry = intake(&address, serial).send().await.unwrap();
        let status = retry.status().as_u16();
        let body: Value = retry.json().await.unwrap();
        assert_eq!(status, 201, "retry {serial}: {body}");
        assert!(started.elapsed() < Duration::from_secs(5), "retry {serial} waited");
    }
    assert_eq!(count(&url, "SELECT COUNT(*) AS n FROM participants"), i64::from(WRITES));
    assert_eq!(
        count(
            &url,
            "SELECT COUNT(*) AS n FROM events WHERE event_type = 'participant.referred'"
        ),
        i64::from(WRITES),
        "nothing was created twice"
    );
    let replay = intake(&address, 1).send().await.unwrap();
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    server.kill().unwrap();
    server.wait().unwrap();
}
