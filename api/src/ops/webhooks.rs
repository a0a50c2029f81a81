//! Webhook subscriptions of partner systems: created with a fresh signing secret, deleted by
//! their owner. They carry no version; their delivery cursor moves by compare-and-set.

use chrono::NaiveDateTime;
use domain::ids::SubscriptionId;
use persistence::repos::webhook::Subscription;
use persistence::repos::WebhookRepo;
use persistence::DbConnection;

use super::OpError;

pub fn subscribe(conn: &mut DbConnection, subscription: &Subscription) -> Result<(), OpError> {
    WebhookRepo::insert(conn, subscription)?;
    log::info!("webhook subscription {} created", subscription.id);
    Ok(())
}

/// Gives the subscription `id` of `owner` (anyone's, for `None`) a new signing secret; the
/// subscription with it.
pub fn rotate_secret(
    conn: &mut DbConnection,
    id: SubscriptionId,
    owner: Option<&str>,
    secret: String,
) -> Result<Subscription, OpError> {
    let mut subscription =
        WebhookRepo::get(conn, id.uuid(), owner).map_err(|e| OpError::from(e).for_resource("webhook subscription"))?;
    WebhookRepo::set_secret(conn, id.uuid(), &secret)?;
    log::info!("webhook subscription {id}: secret rotated");
    subscription.secret = secret;
    Ok(subscription)
}

/// Deletes the subscription `id` if `owner` (or anyone, for `None`) holds it.
pub fn unsubscribe(
    conn: &mut DbConnection,
    id: SubscriptionId,
    owner: Option<&str>,
    now: NaiveDateTime,
) -> Result<(), OpError> {
    WebhookRepo::get(conn, id.uuid(), owner).map_err(|e| OpError::from(e).for_resource("webhook subscription"))?;
    WebhookRepo::delete(conn, id.uuid(), now)?;
    log::info!("webhook subscription {id} deleted");
    Ok(())
}
