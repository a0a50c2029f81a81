//! The body of a webhook notification: ids only. Published in the OpenAPI components so a
//! generated client has a type to read what it receives.

use serde::Serialize;
use utoipa::ToSchema;

/// What a webhook receiver is sent. Read the event from `/v1/events` (after `position - 1`)
/// and the resource with your own token; nothing personal is in here.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookNotification {
    /// The same on every attempt of one delivery: handle it once.
    pub delivery_id: String,
    pub subscription_id: String,
    /// 1 on the first attempt.
    #[schema(example = 1)]
    pub attempt: i32,
    pub event: WebhookEventRef,
}

/// The event a notification is about.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookEventRef {
    pub id: String,
    /// Its position in the change feed.
    #[schema(example = 4711)]
    pub position: i64,
    #[serde(rename = "type")]
    #[schema(example = "participant.enrolled")]
    pub event_type: String,
}
