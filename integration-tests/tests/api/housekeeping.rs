//! Housekeeping: expired idempotency keys, old rate-limit windows and old finished webhook
//! deliveries are deleted by the server's own loop; what still matters stays.

use std::time::Duration;

use chrono::{NaiveDateTime, Utc};
use diesel::connection::SimpleConnection;

use crate::helpers::spawn_app_with;

fn ago(duration: chrono::Duration) -> String {
    let at: NaiveDateTime = (Utc::now() - duration).naive_utc();
    at.format("%Y-%m-%d %H:%M:%S").to_string()
}

#[actix_web::test]
async fn expired_keys_old_windows_and_old_deliveries_are_deleted() {
    let app = spawn_app_with(&[("HOUSEKEEPING_INTERVAL_MS", "50")]).await;
    let (hours, days) = (chrono::Duration::hours, chrono::Duration::days);
    let seed = format!(
        "INSERT INTO idempotency_keys (actor_subject, idempotency_key, request_hash, status_code, created_at, completed_at)
         VALUES ('a', 'old-done', 'h', 201, '{old}', '{old}'), ('a', 'old-open', 'h', NULL, '{old}', NULL),
                ('a', 'fresh', 'h', 201, '{fresh}', '{fresh}');
         INSERT INTO rate_limit_windows (actor_subject, window_start, requests)
         VALUES ('a', '{two_hours}', 3), ('a', '{now}', 1);
         INSERT INTO webhook_subscriptions (id, owner_subject, owner_role, url, secret, event_types, cursor_position, created_at)
         VALUES ('s1', 'a', 'admin', 'https://93.184.216.34/hook', 'whsec_x', '', 1000000, '{month}');
         INSERT INTO webhook_deliveries (id, subscription_id, event_id, event_position, event_type, status, attempts,
            next_attempt_at, created_at)
         VALUES ('d1', 's1', 'e1', 1, 't.x', 'delivered', 1, '{month}', '{month}'),
                ('d2', 's1', 'e2', 2, 't.x', 'failed', 8, '{month}', '{month}'),
                ('d3', 's1', 'e3', 3, 't.x', 'delivered', 1, '{fresh}', '{fresh}');",
        old = ago(hours(25)),
        fresh = ago(hours(1)),
        two_hours = ago(hours(2)),
        now = ago(hours(0)),
        month = ago(days(31)),
    );
    app.db().batch_execute(&seed).unwrap();

    let remaining = || {
        (
            app.count("SELECT COUNT(*) AS n FROM idempotency_keys"),
            app.count("SELECT COUNT(*) AS n FROM rate_limit_windows"),
            app.count("SELECT COUNT(*) AS n FROM webhook_deliveries"),
        )
    };
    for _ in 0..100 {
        if remaining() == (1, 1, 1) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(remaining(), (1, 1, 1), "keys, windows, deliveries left");
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM idempotency_keys WHERE idempotency_key = 'fresh'"),
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE id = 'd3'"),
        1
    );
}
