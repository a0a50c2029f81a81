//! Rate limiting: write requests per token subject and minute, shared through the database.

use chrono::{Timelike, Utc};
use serde_json::json;

use crate::helpers::{assert_problem, spawn_app_with, TestToken};

#[tokio::test]
async fn writes_past_the_limit_get_429_with_retry_after_and_reads_do_not_count() {
    // Start early in a minute, so the window cannot roll over mid-test.
    let second = Utc::now().second();
    if second > 50 {
        tokio::time::sleep(std::time::Duration::from_secs(u64::from(61 - second))).await;
    }
    let app = spawn_app_with(&[("RATE_LIMIT_WRITES_PER_MINUTE", "3")]).await;
    let admin = TestToken::role("admin").subject("admin-a").sign();
    let body = json!({"id": "x", "name": "X", "jobbtorg_id": "nowhere"});
    for _ in 0..3 {
        let status = app.post_as(&admin, "/v1/districts", &body).await.status().as_u16();
        assert_eq!(status, 422, "refused writes count too, but are not limited yet");
        assert_eq!(app.get_as(&admin, "/v1/districts").await.status().as_u16(), 200);
    }
    let limited = app.post_as(&admin, "/v1/districts", &body).await;
    let retry_after: u32 = limited.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert_problem(limited, 429, "rate_limited").await;
    assert_eq!(
        app.get_as(&admin, "/v1/districts").await.status().as_u16(),
        200,
        "reads are not limited"
    );

    let other = TestToken::role("admin").subject("admin-b").sign();
    let status = app.post_as(&other, "/v1/districts", &body).await.status().as_u16();
    assert_eq!(status, 422, "the limit is per token subject");
}

#[tokio::test]
async fn concurrent_writers_of_one_subject_share_exactly_the_limit() {
    let second = Utc::now().second();
    if second > 45 {
        tokio::time::sleep(std::time::Duration::from_secs(u64::from(61 - second))).await;
    }
    let app = spawn_app_with(&[("RATE_LIMIT_WRITES_PER_MINUTE", "10")]).await;
    let admin = TestToken::role("admin").subject("admin-c").sign();
    let body = json!({"id": "x", "name": "X", "jobbtorg_id": "nowhere"});
    let writer = || async {
        let mut statuses = Vec::new();
        for _ in 0..5 {
            statuses.push(app.post_as(&admin, "/v1/districts", &body).await.status().as_u16());
        }
        statuses
    };
    let (a, b, c, d) = tokio::join!(writer(), writer(), writer(), writer());
    let mut statuses: Vec<u16> = [a, b, c, d].concat();
    statuses.sort_unstable();
    assert_eq!(
        (
            statuses.iter().filter(|s| **s == 422).count(),
            statuses.iter().filter(|s| **s == 429).count()
        ),
        (10, 10),
        "{statuses:?}"
    );
}
