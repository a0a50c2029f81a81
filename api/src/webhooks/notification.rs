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

/// Describes the notification under the document's `webhooks`, so a receiver's code can be
/// generated like a client's.
pub fn describe(document: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::content::ContentBuilder;
    use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn, PathItem};
    use utoipa::openapi::request_body::RequestBodyBuilder;
    use utoipa::openapi::response::Response;
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    use utoipa::openapi::security::SecurityRequirement;
    use utoipa::openapi::{PathsBuilder, Ref, Required};

    let signature = ParameterBuilder::new()
        .name(super::signature::SIGNATURE_HEADER)
        .parameter_in(ParameterIn::Header)
        .required(Required::True)
        .description(Some(
            "`t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<body>\" with the subscription's secret>`. \
             Recompute it, compare in constant time, and refuse a `t` more than five minutes off.",
        ))
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .build();
    let operation = OperationBuilder::new()
        .operation_id(Some("receive_webhook_notification"))
        .summary(Some("A webhook notification"))
        .description(Some(
            "POSTed to a subscription's URL for each event it covers. Answer 2xx once handled; \
             anything else, or no answer within the timeout, is retried with doubling waits, 8 \
             attempts in all, under the same `delivery_id`.",
        ))
        .tag("webhooks")
        .parameter(signature)
        .request_body(Some(
            RequestBodyBuilder::new()
                .required(Some(Required::True))
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("WebhookNotification")))
                        .build(),
                )
                .build(),
        ))
        .response("2XX", Response::new("Received; not sent again."))
        .response(
            "4XX",
            Response::new("Refused; retried like any answer that is not 2xx."),
        )
        .securities(Some([SecurityRequirement::default()]))
        .build();
    document.webhooks = Some(
        PathsBuilder::new()
            .path("webhook-notification", PathItem::new(HttpMethod::Post, operation))
            .build(),
    );
}
