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
