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

#[tokio::test]
async fn a_counted_write_tells_the_budget_left_in_ratelimit_headers() {
    let second = Utc::now().second();
    if second > 50 {
        tokio::time::sleep(std::time::Duration::from_secs(u64::from(61 - second))).await;
    }
    let app = spawn_app_with(&[("RATE_LIMIT_WRITES_PER_MINUTE", "2")]).await;
    let admin = TestToken::role("admin").subject("admin-c").sign();
    let header = |r: &reqwest::Response, name: &str| r.headers().get(name).map(|v| v.to_str().unwrap().to_owned());
    let first = app
        .post_as(
            &admin,
            "/v1/districts",
            &json!({"id": "nya-staden", "name": "Nya staden", "jobbtorg_id": "jarva"}),
        )
        .await;
    assert_eq!(first.status().as_u16(), 201);
    assert_eq!(header(&first, "ratelimit-limit").as_deref(), Some("2"));
    assert_eq!(header(&first, "ratelimit-remaining").as_deref(), Some("1"));
    let reset: u32 = header(&first, "ratelimit-reset").unwrap().parse().unwrap();
    assert!((1..=60).contains(&reset), "{reset}");
    // A write that fails counts as well, and its answer shows the budget too.
    let second = app
        .post_as(
            &admin,
            "/v1/districts",
            &json!({"id": "nya-staden", "name": "Nya staden igen", "jobbtorg_id": "jarva"}),
        )
        .await;
    assert_eq!(header(&second, "ratelimit-remaining").as_deref(), Some("0"));
    assert_eq!(header(&second, "ratelimit-limit").as_deref(), Some("2"));
    assert_problem(second, 409, "already_exists").await;
    let limited = app
        .post_as(
            &admin,
            "/v1/districts",
            &json!({"id": "tredje", "name": "Tredje", "jobbtorg_id": "jarva"}),
        )
        .await;
    assert_eq!(header(&limited, "ratelimit-remaining").as_deref(), Some("0"));
    assert_eq!(header(&limited, "ratelimit-limit").as_deref(), Some("2"));
    assert_problem(limited, 429, "rate_limited").await;
    // Reads are not counted and carry no budget.
    assert!(header(&app.get_as(&admin, "/v1/districts").await, "ratelimit-remaining").is_none());
}
