//! `/readyz` follows the database: 503 while PostgreSQL is unreachable, 200 again once it is
//! back, without a restart. The outage is simulated with a TCP proxy between the server and
//! PostgreSQL that the test cuts and restores, so other tests sharing the server keep running.

use std::time::{Duration, Instant};

use crate::helpers::{assert_problem, spawn_app_on, TcpProxy};

// Multi-threaded: the server connects synchronously at start-up, and the proxy must keep running.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_turns_503_when_postgres_is_unreachable_and_recovers() {
    if std::env::var("TEST_BACKEND").as_deref() != Ok("postgres") {
        eprintln!("readyz outage test runs with TEST_BACKEND=postgres (an embedded SQLite file cannot go away)");
        return;
    }
    let proxy = TcpProxy::start("127.0.0.1:5432").await;
    let app = spawn_app_on(Some(proxy.port())).await;
    assert_eq!(app.get("/readyz").await.status().as_u16(), 200);

    proxy.cut().await;
    let started = Instant::now();
    let response = app.get("/readyz").await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "answers quickly: {:?}",
        started.elapsed()
    );
    let body = assert_problem(response, 503, "service_unavailable").await;
    assert!(
        !body["detail"].as_str().unwrap().contains("5432"),
        "no internals leak: {body}"
    );

    proxy.restore().await;
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let status = app.get("/readyz").await.status().as_u16();
        if status == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "readyz did not recover, still {status}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
