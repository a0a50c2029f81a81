//! Webhook subscriptions: a partner system registers an https URL and receives a signed,
//! id-only notification of each event it may read; the delivery log shows what was sent.

use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use domain::access::Action;
use domain::access::Role;
use domain::webhook::{check_event_types, DeliveryStatus};
use persistence::repos::webhook::{DeliveryRow, Subscription};
use persistence::repos::WebhookRepo;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;
use validator::Validate;

use crate::auth::Authenticated;
use crate::http::limits;
use crate::http::paging::{path_id, Page};
use crate::http::scope_for;
use crate::http::valid::{Valid, ValidQuery};
use crate::idempotency::{self, IdempotencyKey};
use crate::ops::webhooks;
use crate::problem::{ApiError, FieldErrors};
use crate::state::AppState;
use crate::webhooks::signature::new_secret;
use crate::webhooks::target;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(create_subscription)
        .service(list_subscriptions)
        .service(get_subscription)
        .service(delete_subscription)
        .service(rotate_secret)
        .service(list_deliveries);
}

#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateWebhookSubscription {
    /// Where to POST notifications: https, and never a private, local or reserved address.
    #[schema(example = "https://partner.example.org/jobbtorg/webhook", max_length = 2048)]
    #[validate(length(max = limits::URL_MAX))]
    pub url: String,
    /// Event types to deliver, e.g. `participant.enrolled`; every type when left out.
    #[schema(example = json!(["participant.enrolled", "referral.accepted"]), max_items = 50)]
    #[validate(length(max = limits::CODES_MAX))]
    pub event_types: Option<Vec<String>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookSubscriptionResponse {
    pub id: String,
    #[schema(example = "https://partner.example.org/jobbtorg/webhook")]
    pub url: String,
    /// Empty for every event type.
    pub event_types: Vec<String>,
    /// The token subject that made it.
    #[schema(example = "af-integration")]
    pub owner: String,
    pub created_at: DateTime<Utc>,
    /// The key to check `Jobbtorg-Signature` with. Only in the response that creates the
    /// subscription: store it then.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "whsec_4f1c…")]
    pub secret: Option<String>,
}

impl WebhookSubscriptionResponse {
    fn new(subscription: &Subscription, with_secret: bool) -> Self {
        WebhookSubscriptionResponse {
            id: subscription.id.to_string(),
            url: subscription.url.clone(),
            event_types: subscription.event_types.clone(),
            owner: subscription.owner_subject.clone(),
            created_at: subscription.created_at.and_utc(),
            secret: with_secret.then(|| subscription.secret.clone()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookSubscriptionList {
    pub items: Vec<WebhookSubscriptionResponse>,
    pub next_cursor: Option<String>,
}

/// One notification and how its attempts went.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookDeliveryResponse {
    pub id: String,
    pub event_id: String,
    /// The event's position in `/v1/events`.
    pub event_position: i64,
    #[schema(example = "participant.enrolled")]
    pub event_type: String,
    #[schema(value_type = crate::codes::WebhookDeliveryStatus, example = "delivered")]
    pub status: String,
    pub attempts: i32,
    /// When the next attempt is due, while pending.
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// The receiver's HTTP status on the last attempt, if it answered.
    pub last_status_code: Option<i32>,
    /// Why the last attempt failed, in a few words.
    #[schema(example = "HTTP 503")]
    pub last_error: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<&DeliveryRow> for WebhookDeliveryResponse {
    fn from(row: &DeliveryRow) -> Self {
        let pending = row.status == DeliveryStatus::Pending.as_str();
        WebhookDeliveryResponse {
            id: row.id.clone(),
            event_id: row.event_id.clone(),
            event_position: row.event_position,
            event_type: row.event_type.clone(),
            status: row.status.clone(),
            attempts: row.attempts,
            next_attempt_at: pending.then(|| row.next_attempt_at.and_utc()),
            last_attempt_at: row.last_attempt_at.map(|t| t.and_utc()),
            last_status_code: row.last_status_code,
            last_error: row.last_error.clone(),
            delivered_at: row.delivered_at.map(|t| t.and_utc()),
            created_at: row.created_at.and_utc(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookDeliveryList {
    pub items: Vec<WebhookDeliveryResponse>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    #[param(minimum = 1, maximum = 200, example = 50)]
    #[validate(range(min = 1, max = limits::PAGE_MAX))]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    pub cursor: Option<String>,
}

/// Whose subscriptions the caller reaches: an admin everyone's, a machine client its own.
fn owner_filter(caller: &Authenticated) -> Result<Option<String>, ApiError> {
    scope_for(&caller.0, Action::ManageWebhooks)?;
    Ok((caller.0.role() != Role::Admin).then(|| caller.0.subject().to_owned()))
}

impl CreateWebhookSubscription {
    /// The subscription the request asks for, owned by `caller`, with a fresh secret; the URL
    /// must be a public https endpoint (loopback http only when `allow_loopback_http`).
    async fn parse(self, caller: &Authenticated, allow_loopback_http: bool) -> Result<Subscription, ApiError> {
        let body = self;
        let mut errors = FieldErrors::default();
        let event_types = body.event_types.unwrap_or_default();
        if let Err(refusal) = check_event_types(&event_types) {
            errors.add("event_types", refusal.code(), refusal.to_string());
        }
        // The length is checked with the shape (`Valid`); the target only when it is sane.
        if let Err(refusal) = target::check(&body.url, allow_loopback_http).await {
            errors.add("url", refusal.code(), refusal.to_string());
        }
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors.into_vec()));
        }
        let subscription = Subscription {
            id: Uuid::now_v7(),
            owner_subject: caller.0.subject().to_owned(),
            owner_role: caller.0.role().to_string(),
            url: body.url,
            secret: new_secret().map_err(ApiError::internal)?,
            event_types,
            created_at: caller.now().naive_utc(),
        };
        Ok(subscription)
    }
}

/// Subscribe to webhook notifications
///
/// Each event the caller may read from `/v1/events` (of the given types) is POSTed to `url` as
/// a `WebhookNotification` (`{delivery_id, subscription_id, attempt, event: {id, position,
/// type}}`): ids only, never personal data. The body is signed in `Jobbtorg-Signature: t=<unix seconds>,v1=<hex
/// HMAC-SHA256 of "<t>.<body>" with the secret>`. A delivery counts as made on any 2xx; other
/// answers are retried with doubling waits, up to 8 attempts. The secret is in this response
/// only: a replay of it (the same `Idempotency-Key`) comes without `secret`, as the secret is
/// kept with the subscription alone, never with the key; `POST .../rotate-secret` gives a new one.
/// Admins and machine clients with `events:read`.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(crate::http::docs::IdempotencyKeyHeader),
    request_body = CreateWebhookSubscription,
    responses(
        (status = 201, description = "The subscription, with its secret.", body = WebhookSubscriptionResponse,
            headers(("Location" = String, description = "The subscription's URL"))),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
    )
)]
#[post("/webhook-subscriptions")]
pub async fn create_subscription(
    caller: Authenticated,
    key: IdempotencyKey,
    body: Valid<CreateWebhookSubscription>,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    scope_for(&caller.0, Action::ManageWebhooks)?;
    let fingerprint = idempotency::fingerprint(&req, &*body)?;
    let subscription = body
        .into_inner()
        .parse(&caller, state.config.webhooks.allow_loopback_http)
        .await?;
    // The secret goes out in this first answer only: the idempotency record keeps the answer
    // without it, and so does a replay (rotate it if the first answer was lost).
    crate::write_request::create_revealing(&state, &caller, key, fingerprint, move |conn| {
        webhooks::subscribe(conn, &subscription)?;
        let stored = idempotency::created(
            &WebhookSubscriptionResponse::new(&subscription, false),
            None,
            Some(format!("/v1/webhook-subscriptions/{}", subscription.id)),
        )?;
        let revealed = serde_json::to_string(&WebhookSubscriptionResponse::new(&subscription, true))
            .map_err(ApiError::internal)?;
        Ok((stored, Some(revealed)))
    })
    .await
}

/// Rotate a webhook subscription's secret
///
/// A new signing secret, in this answer only; every delivery attempt from now on, retries of
/// pending ones included, is signed with it, so the receiver should accept both secrets for the
/// few minutes it takes to switch. The subscription's owner or an admin.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("subscription_id" = String, Path, description = "The subscription's id")),
    responses(
        (status = 200, description = "The subscription, with its new secret.", body = WebhookSubscriptionResponse),
        (status = 404, response = crate::http::docs::NotFoundResponse),
    )
)]
#[post("/webhook-subscriptions/{subscription_id}/rotate-secret")]
pub async fn rotate_secret(
    caller: Authenticated,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<web::Json<WebhookSubscriptionResponse>, ApiError> {
    let owner = owner_filter(&caller)?;
    let id = path_id(&path, "webhook subscription")?;
    let secret = new_secret().map_err(ApiError::internal)?;
    let subscription = crate::write_request::change(&state, &caller, move |conn| {
        Ok(webhooks::rotate_secret(conn, id, owner.as_deref(), secret)?)
    })
    .await?;
    Ok(web::Json(WebhookSubscriptionResponse::new(&subscription, true)))
}

/// List webhook subscriptions
///
/// A machine client sees its own, an admin all.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, description = "A page of subscriptions.", body = WebhookSubscriptionList))
)]
#[get("/webhook-subscriptions")]
pub async fn list_subscriptions(
    caller: Authenticated,
    query: ValidQuery<PageQuery>,
    state: web::Data<AppState>,
) -> Result<web::Json<WebhookSubscriptionList>, ApiError> {
    let owner = owner_filter(&caller)?;
    let query = query.into_inner();
    let page = Page::parse(query.limit, query.cursor)?;
    let subscriptions = state
        .db(move |conn| Ok(WebhookRepo::list(conn, owner.as_deref(), page.after, page.limit)?))
        .await?;
    Ok(web::Json(WebhookSubscriptionList {
        items: subscriptions
            .iter()
            .map(|s| WebhookSubscriptionResponse::new(s, false))
            .collect(),
        next_cursor: page.next_cursor(&subscriptions, |s| s.id),
    }))
}

/// Get a webhook subscription
///
/// A webhook subscription: its target URL, event types and state; the secret is never shown again
/// after creation.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("subscription_id" = String, Path, description = "The subscription's id")),
    responses(
        (status = 200, description = "The subscription (without its secret).", body = WebhookSubscriptionResponse),
        (status = 404, response = crate::http::docs::NotFoundResponse),
    )
)]
#[get("/webhook-subscriptions/{subscription_id}")]
pub async fn get_subscription(
    caller: Authenticated,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<web::Json<WebhookSubscriptionResponse>, ApiError> {
    let owner = owner_filter(&caller)?;
    let id = path_id(&path, "webhook subscription")?;
    let subscription = state
        .db(move |conn| Ok(WebhookRepo::get(conn, id, owner.as_deref())?))
        .await
        .map_err(|e| e.for_resource("webhook subscription"))?;
    Ok(web::Json(WebhookSubscriptionResponse::new(&subscription, false)))
}

/// Delete a webhook subscription
///
/// Nothing more is sent; deliveries still pending are marked failed. The delivery log stays.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("subscription_id" = String, Path, description = "The subscription's id")),
    responses(
        (status = 204, description = "Deleted."),
        (status = 404, response = crate::http::docs::NotFoundResponse),
    )
)]
#[delete("/webhook-subscriptions/{subscription_id}")]
pub async fn delete_subscription(
    caller: Authenticated,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let owner = owner_filter(&caller)?;
    let id = path_id(&path, "webhook subscription")?;
    let now = caller.now().naive_utc();
    crate::write_request::change(&state, &caller, move |conn| {
        Ok(webhooks::unsubscribe(conn, id, owner.as_deref(), now)?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The delivery log of a subscription
///
/// Every notification made for it, oldest first, with its attempts and the last outcome.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("subscription_id" = String, Path, description = "The subscription's id"), PageQuery),
    responses(
        (status = 200, description = "A page of deliveries.", body = WebhookDeliveryList),
        (status = 404, response = crate::http::docs::NotFoundResponse),
    )
)]
#[get("/webhook-subscriptions/{subscription_id}/deliveries")]
pub async fn list_deliveries(
    caller: Authenticated,
    path: web::Path<String>,
    query: ValidQuery<PageQuery>,
    state: web::Data<AppState>,
) -> Result<web::Json<WebhookDeliveryList>, ApiError> {
    let owner = owner_filter(&caller)?;
    let id = path_id(&path, "webhook subscription")?;
    let query = query.into_inner();
    let page = Page::parse(query.limit, query.cursor)?;
    let rows = state
        .db(move |conn| {
            WebhookRepo::get(conn, id, owner.as_deref())?;
            Ok(WebhookRepo::deliveries(conn, id, page.after, page.limit)?)
        })
        .await
        .map_err(|e| e.for_resource("webhook subscription"))?;
    let next_cursor = page.next_cursor(&rows, |row| Uuid::parse_str(&row.id).unwrap_or_default());
    Ok(web::Json(WebhookDeliveryList {
        items: rows.iter().map(WebhookDeliveryResponse::from).collect(),
        next_cursor,
    }))
}
