use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use chrono::{DateTime, NaiveDate, Utc};
use domain::access::{can, Action, Actor, ResourceScope};
use persistence::audit::ActingContext;

use super::verifier::{AuthError, TokenVerifier};
use crate::problem::ApiError;
use crate::state::AppState;

/// The authenticated caller of a request, and the one clock reading the request works with.
/// Extracting it fails with 401 when no valid bearer token is present.
#[derive(Debug, Clone)]
pub struct Authenticated(pub Actor, DateTime<Utc>);

impl Authenticated {
    /// Who is acting, for the audit record and events of the change this request makes.
    pub fn acting(&self) -> ActingContext {
        ActingContext {
            subject: self.0.subject().to_owned(),
            role: self.0.role().as_str().to_owned(),
            request_id: crate::request_id::current(),
            now: self.1.naive_utc(),
            reads: None,
        }
    }

    /// The request's context for the operations layer: actor, request id, clock reading.
    pub fn context(&self) -> crate::ops::Context {
        crate::ops::Context {
            actor: self.0.clone(),
            request_id: crate::request_id::current(),
            now: self.1,
            reads: None,
        }
    }

    /// The instant the request is served at, from the server's clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.1
    }

    /// Today in Stockholm, for every date rule of this request.
    pub fn today(&self) -> NaiveDate {
        domain::shared::city_date(self.1)
    }
}

impl FromRequest for Authenticated {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let verifier = req
            .app_data::<web::Data<Arc<TokenVerifier>>>()
            .map(|data| Arc::clone(data.get_ref()));
        let token = bearer_token(req);
        let clock = req
            .app_data::<web::Data<AppState>>()
            .map(|state| state.config.clock)
            .unwrap_or_default();
        Box::pin(async move {
            let verifier = verifier.ok_or_else(|| ApiError::internal("no token verifier configured"))?;
            let token = token.map_err(ApiError::Unauthorized)?;
            let caller = verifier
                .verify(&token)
                .await
                .map(|actor| Authenticated(actor, clock.now()))
                .map_err(ApiError::Unauthorized)?;
            Ok(caller)
        })
    }
}

fn bearer_token(req: &HttpRequest) -> Result<String, AuthError> {
    let value = req.headers().get(header::AUTHORIZATION).ok_or(AuthError::Missing)?;
    let value = value.to_str().map_err(|_| AuthError::Malformed)?;
    let (scheme, token) = value.split_once(' ').ok_or(AuthError::Malformed)?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(AuthError::Malformed);
    }
    Ok(token.trim().to_owned())
}

/// 403 unless the policy lets `actor` do `action` on a resource with `scope`.
pub fn authorize(actor: &Actor, action: Action, scope: &ResourceScope) -> Result<(), ApiError> {
    if can(actor, action, scope) {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}
