//! Webhook subscriptions and their delivery log. Deliveries are rows, so every API node can send
//! them: a node turns new events into deliveries by moving the subscription's cursor with a
//! compare-and-set, and leases a delivery before sending it, so no attempt is made twice.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::webhook::DeliveryStatus;
use uuid::Uuid;

use crate::error::RepoError;
use crate::pool::DbConnection;
use crate::schema::{events, webhook_deliveries, webhook_subscriptions};
use crate::tx;

/// Events turned into deliveries per subscription and round.
const ENQUEUE_BATCH: i64 = 500;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub id: Uuid,
    pub owner_subject: String,
    pub owner_role: String,
    pub url: String,
    pub secret: String,
    /// Empty for every event type.
    pub event_types: Vec<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = webhook_deliveries)]
pub struct DeliveryRow {
    pub id: String,
    pub subscription_id: String,
    pub event_id: String,
    pub event_position: i64,
    pub event_type: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub leased_until: Option<NaiveDateTime>,
    pub last_attempt_at: Option<NaiveDateTime>,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub delivered_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

/// A leased delivery with what is needed to send it.
#[derive(Debug, Clone)]
pub struct DueDelivery {
    pub delivery: DeliveryRow,
    pub url: String,
    pub secret: String,
}

/// What one attempt came to.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub at: NaiveDateTime,
    pub status_code: Option<i32>,
    /// Why it failed, in a few words (never the response body).
    pub error: Option<String>,
    /// When to try again; `None` after a success, or when the attempts are used up.
    pub retry_at: Option<NaiveDateTime>,
}

#[derive(Insertable, Queryable, Selectable)]
#[diesel(table_name = webhook_subscriptions)]
struct SubscriptionRow {
    id: String,
    owner_subject: String,
    owner_role: String,
    url: String,
    secret: String,
    event_types: String,
    cursor_position: i64,
    created_at: NaiveDateTime,
    deleted_at: Option<NaiveDateTime>,
}

impl SubscriptionRow {
    fn into_domain(self) -> Result<Subscription, RepoError> {
        Ok(Subscription {
            id: Uuid::parse_str(&self.id).map_err(|_| RepoError::Unexpected(format!("subscription id {}", self.id)))?,
            owner_subject: self.owner_subject,
            owner_role: self.owner_role,
            url: self.url,
            secret: self.secret,
            event_types: self
                .event_types
                .split(',')
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect(),
            created_at: self.created_at,
        })
    }
}

pub struct WebhookRepo;

impl WebhookRepo {
    /// Stores a subscription that starts with the events appended after now.
    pub fn insert(conn: &mut DbConnection, subscription: &Subscription) -> Result<(), RepoError> {
        let latest: Option<i64> = events::table.select(diesel::dsl::max(events::position)).first(conn)?;
        diesel::insert_into(webhook_subscriptions::table)
            .values(SubscriptionRow {
                id: subscription.id.to_string(),
                owner_subject: subscription.owner_subject.clone(),
                owner_role: subscription.owner_role.clone(),
                url: subscription.url.clone(),
                secret: subscription.secret.clone(),
                event_types: subscription.event_types.join(","),
                cursor_position: latest.unwrap_or(0),
                created_at: subscription.created_at,
                deleted_at: None,
            })
            .execute(conn)?;
        Ok(())
    }

    /// Live subscriptions by id after `after`; only `owner`'s when given.
    pub fn list(
        conn: &mut DbConnection,
        owner: Option<&str>,
        after: Option<Uuid>,
        limit: i64,
    ) -> Result<Vec<Subscription>, RepoError> {
        let mut query = webhook_subscriptions::table
            .filter(webhook_subscriptions::deleted_at.is_null())
            .select(SubscriptionRow::as_select())
            .order(webhook_subscriptions::id)
            .limit(limit)
            .into_boxed();
        if let Some(owner) = owner {
            query = query.filter(webhook_subscriptions::owner_subject.eq(owner.to_owned()));
        }
        if let Some(after) = after {
            query = query.filter(webhook_subscriptions::id.gt(after.to_string()));
        }
        query
            .load(conn)?
            .into_iter()
            .map(SubscriptionRow::into_domain)
            .collect()
    }

    /// A live subscription; `NotFound` when deleted or, with `owner`, someone else's.
    pub fn get(conn: &mut DbConnection, id: Uuid, owner: Option<&str>) -> Result<Subscription, RepoError> {
        let row: SubscriptionRow = webhook_subscriptions::table
            .find(id.to_string())
            .filter(webhook_subscriptions::deleted_at.is_null())
            .select(SubscriptionRow::as_select())
            .first(conn)?;
        if owner.is_some_and(|owner| owner != row.owner_subject) {
            return Err(RepoError::NotFound);
        }
        row.into_domain()
    }

    /// Replaces the signing secret of a live subscription: every delivery attempt from now on,
    /// retries of pending ones included, is signed with `secret`.
    pub fn set_secret(conn: &mut DbConnection, id: Uuid, secret: &str) -> Result<(), RepoError> {
        let changed = diesel::update(
            webhook_subscriptions::table
                .find(id.to_string())
                .filter(webhook_subscriptions::deleted_at.is_null()),
        )
        .set(webhook_subscriptions::secret.eq(secret))
        .execute(conn)?;
        if changed == 0 {
            return Err(RepoError::NotFound);
        }
        Ok(())
    }

    /// Ends a subscription; its log stays, and what was still pending is marked failed.
    pub fn delete(conn: &mut DbConnection, id: Uuid, now: NaiveDateTime) -> Result<(), RepoError> {
        diesel::update(webhook_subscriptions::table.find(id.to_string()))
            .set(webhook_subscriptions::deleted_at.eq(now))
            .execute(conn)?;
        diesel::update(
            webhook_deliveries::table
                .filter(webhook_deliveries::subscription_id.eq(id.to_string()))
                .filter(webhook_deliveries::status.eq(DeliveryStatus::Pending.as_str())),
        )
        .set((
            webhook_deliveries::status.eq(DeliveryStatus::Failed.as_str()),
            webhook_deliveries::last_error.eq("subscription deleted"),
        ))
        .execute(conn)?;
        Ok(())
    }

    /// The delivery log of a subscription, newest last, by id after `after`.
    pub fn deliveries(
        conn: &mut DbConnection,
        subscription: Uuid,
        after: Option<Uuid>,
        limit: i64,
    ) -> Result<Vec<DeliveryRow>, RepoError> {
        let mut query = webhook_deliveries::table
            .filter(webhook_deliveries::subscription_id.eq(subscription.to_string()))
            .select(DeliveryRow::as_select())
            .order(webhook_deliveries::id)
            .limit(limit)
            .into_boxed();
        if let Some(after) = after {
            query = query.filter(webhook_deliveries::id.gt(after.to_string()));
        }
        Ok(query.load(conn)?)
    }

    /// Turns events appended since each live subscription's cursor into pending deliveries
    /// (after giving the new ones their feed positions). Returns how many were created. Call
    /// outside a transaction.
    pub fn enqueue_new_events(conn: &mut DbConnection, now: NaiveDateTime) -> Result<usize, RepoError> {
        crate::events::sequence(conn)?;
        let latest: Option<i64> = events::table.select(diesel::dsl::max(events::position)).first(conn)?;
        // Only subscriptions behind the feed open a write transaction.
        let live: Vec<SubscriptionRow> = webhook_subscriptions::table
            .filter(webhook_subscriptions::deleted_at.is_null())
            .filter(webhook_subscriptions::cursor_position.lt(latest.unwrap_or(0)))
            .select(SubscriptionRow::as_select())
            .load(conn)?;
        let mut created = 0;
        for subscription in live {
            created += tx::write(conn, |conn| enqueue_for(conn, &subscription, now))?;
        }
        Ok(created)
    }

    /// Leases up to `limit` deliveries that are due, for this node to send until `lease_until`.
    pub fn lease_due(
        conn: &mut DbConnection,
        now: NaiveDateTime,
        lease_until: NaiveDateTime,
        limit: i64,
    ) -> Result<Vec<DueDelivery>, RepoError> {
        let free = webhook_deliveries::leased_until
            .is_null()
            .or(webhook_deliveries::leased_until.lt(now));
        let candidates: Vec<(DeliveryRow, String, String)> = webhook_deliveries::table
            .inner_join(webhook_subscriptions::table)
            .filter(webhook_deliveries::status.eq(DeliveryStatus::Pending.as_str()))
            .filter(webhook_deliveries::next_attempt_at.le(now))
            .filter(free)
            .filter(webhook_subscriptions::deleted_at.is_null())
            .select((
                DeliveryRow::as_select(),
                webhook_subscriptions::url,
                webhook_subscriptions::secret,
            ))
            .order(webhook_deliveries::next_attempt_at)
            .limit(limit)
            .load(conn)?;
        let mut leased = Vec::new();
        for (delivery, url, secret) in candidates {
            // Compare-and-set: only the node whose update matched sends this attempt.
            let taken = diesel::update(
                webhook_deliveries::table
                    .find(&delivery.id)
                    .filter(webhook_deliveries::status.eq(DeliveryStatus::Pending.as_str()))
                    .filter(
                        webhook_deliveries::leased_until
                            .is_null()
                            .or(webhook_deliveries::leased_until.lt(now)),
                    ),
            )
            .set(webhook_deliveries::leased_until.eq(lease_until))
            .execute(conn)?;
            if taken == 1 {
                leased.push(DueDelivery { delivery, url, secret });
            }
        }
        Ok(leased)
    }

    /// Deletes delivered and failed deliveries made before `cutoff`; pending ones stay.
    pub fn purge_finished_before(conn: &mut DbConnection, cutoff: NaiveDateTime) -> Result<usize, RepoError> {
        Ok(diesel::delete(
            webhook_deliveries::table
                .filter(webhook_deliveries::status.ne(DeliveryStatus::Pending.as_str()))
                .filter(webhook_deliveries::created_at.lt(cutoff)),
        )
        .execute(conn)?)
    }

    /// Records an attempt: delivered on a 2xx, otherwise pending again at `retry_at` or failed.
    pub fn record_attempt(
        conn: &mut DbConnection,
        delivery: &DeliveryRow,
        attempt: &Attempt,
        delivered: bool,
    ) -> Result<(), RepoError> {
        let status = match (delivered, attempt.retry_at) {
            (true, _) => DeliveryStatus::Delivered,
            (false, Some(_)) => DeliveryStatus::Pending,
            (false, None) => DeliveryStatus::Failed,
        };
        diesel::update(webhook_deliveries::table.find(&delivery.id))
            .set((
                webhook_deliveries::status.eq(status.as_str()),
                webhook_deliveries::attempts.eq(delivery.attempts + 1),
                webhook_deliveries::next_attempt_at.eq(attempt.retry_at.unwrap_or(delivery.next_attempt_at)),
                webhook_deliveries::leased_until.eq(None::<NaiveDateTime>),
                webhook_deliveries::last_attempt_at.eq(attempt.at),
                webhook_deliveries::last_status_code.eq(attempt.status_code),
                webhook_deliveries::last_error.eq(attempt.error.clone()),
                webhook_deliveries::delivered_at.eq(delivered.then_some(attempt.at)),
            ))
            .execute(conn)?;
        Ok(())
    }
}

#[derive(Insertable)]
#[diesel(table_name = webhook_deliveries)]
struct NewDelivery {
    id: String,
    subscription_id: String,
    event_id: String,
    event_position: i64,
    event_type: String,
    status: &'static str,
    attempts: i32,
    next_attempt_at: NaiveDateTime,
    created_at: NaiveDateTime,
}

fn enqueue_for(
    conn: &mut DbConnection,
    subscription: &SubscriptionRow,
    now: NaiveDateTime,
) -> Result<usize, RepoError> {
    let new_events: Vec<(i64, String, String)> = events::table
        .filter(events::position.gt(subscription.cursor_position))
        .order(events::position)
        .limit(ENQUEUE_BATCH)
        .select((events::position.assume_not_null(), events::id, events::event_type))
        .load(conn)?;
    let Some(last) = new_events.last().map(|(position, _, _)| *position) else {
        return Ok(0);
    };
    // Another node got here first when the cursor has moved; the transaction then rolls back.
    let moved = diesel::update(
        webhook_subscriptions::table
            .find(&subscription.id)
            .filter(webhook_subscriptions::cursor_position.eq(subscription.cursor_position)),
    )
    .set(webhook_subscriptions::cursor_position.eq(last))
    .execute(conn)?;
    if moved == 0 {
        return Ok(0);
    }
    let wanted = |event_type: &str| {
        subscription.event_types.is_empty() || subscription.event_types.split(',').any(|t| t == event_type)
    };
    let rows: Vec<NewDelivery> = new_events
        .into_iter()
        .filter(|(_, _, event_type)| wanted(event_type))
        .map(|(position, event_id, event_type)| NewDelivery {
            id: Uuid::now_v7().to_string(),
            subscription_id: subscription.id.clone(),
            event_id,
            event_position: position,
            event_type,
            status: DeliveryStatus::Pending.as_str(),
            attempts: 0,
            next_attempt_at: now,
            created_at: now,
        })
        .collect();
    // One statement per row: the multi-backend connection has no batch insert.
    for row in &rows {
        diesel::insert_into(webhook_deliveries::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(rows.len())
}
