//! A change, its audit record and its event commit together or not at all.

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use domain::reference::DistrictChanges;
use domain::shared::Code;
use persistence::audit::ActingContext;
use persistence::pool::DbManager;
use persistence::repos::ReferenceRepo;
use persistence::{migrations, tx, DatabaseUrl, DbConnection, RepoError};

use crate::helpers::TestDatabase;

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn count(conn: &mut DbConnection, table: &str) -> i64 {
    diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
        .get_result::<Count>(conn)
        .unwrap()
        .n
}

fn acting() -> ActingContext {
    ActingContext {
        subject: "admin-1".into(),
        role: "admin".into(),
        request_id: "req-1".into(),
        now: chrono::Utc::now().naive_utc(),
        reads: None,
    }
}

fn move_farsta(conn: &mut DbConnection, expected_version: i32) -> Result<domain::reference::District, RepoError> {
    let changes = DistrictChanges {
        name: None,
        job_centre_code: Some(Code::parse("jarva").unwrap()),
    };
    ReferenceRepo::update_district(
        conn,
        &acting(),
        &Code::parse("farsta").unwrap(),
        expected_version,
        &changes,
    )
}

#[test]
fn audit_record_and_event_commit_with_the_change_and_roll_back_with_it() {
    let (_database, url) = TestDatabase::create(None);
    let mut conn = DbManager::new(DatabaseUrl::parse(&url).unwrap()).connect().unwrap();
    migrations::run_pending(&mut conn).unwrap();

    // The change and its records are written, then something later in the operation fails.
    let failed: Result<(), RepoError> = tx::write(&mut conn, |conn| {
        move_farsta(conn, 1)?;
        assert_eq!(
            (count(conn, "access_log"), count(conn, "events")),
            (1, 1),
            "written inside the transaction"
        );
        Err(RepoError::Unexpected("a later step failed".into()))
    });
    assert!(failed.is_err());
    assert_eq!(
        (count(&mut conn, "access_log"), count(&mut conn, "events")),
        (0, 0),
        "neither record survives"
    );
    let farsta = ReferenceRepo::district(&mut conn, &Code::parse("farsta").unwrap()).unwrap();
    assert_eq!(
        (farsta.job_centre_code.as_str(), farsta.version),
        ("sydost", 1),
        "nor the change"
    );

    let moved = tx::write(&mut conn, |conn| move_farsta(conn, 1)).unwrap();
    assert_eq!((moved.job_centre_code.as_str(), moved.version), ("jarva", 2));
    assert_eq!(
        (count(&mut conn, "access_log"), count(&mut conn, "events")),
        (1, 1),
        "both commit with the change"
    );
}

async fn write_commits(app: &crate::helpers::TestApp) -> u64 {
    let text = app.get("/metrics").await.text().await.unwrap();
    text.lines()
        .find_map(|line| line.strip_prefix("jobbtorg_write_request_commits_total "))
        .unwrap_or_else(|| panic!("no commit counter in {text}"))
        .trim()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn a_write_request_commits_its_key_work_journal_response_and_count_once() {
    // No background work that writes while the request is measured.
    let app =
        crate::helpers::spawn_app_with(&[("WEBHOOK_POLL_MS", "60000"), ("HOUSEKEEPING_INTERVAL_MS", "86400000")]).await;
    let birth = chrono::NaiveDate::from_ymd_opt(1984, 3, 9).unwrap();
    let body = crate::participants::intake_body(&crate::participants::personnummer(birth, 7));
    let before = write_commits(&app).await;
    let created = app
        .client
        .post(app.url("/v1/participants"))
        .bearer_auth(crate::participants::officer("rinkeby-kista"))
        .header("Idempotency-Key", "intake-once")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status().as_u16(), 201);
    assert_eq!(
        write_commits(&app).await - before,
        1,
        "one commit for the whole request"
    );
    // …and that one commit holds all of it.
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM participants"), 1);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM idempotency_keys WHERE status_code = 201"),
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM events WHERE event_type = 'participant.referred'"),
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM access_log WHERE action = 'participant.referred'"),
        1
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM field_history"), 1);
    assert_eq!(
        app.count("SELECT COALESCE(SUM(requests), 0) AS n FROM rate_limit_windows"),
        1
    );
}
