//! `Valid<T>`: a JSON body checked against its type's `#[validate]` shape rules (lengths,
//! ranges, list sizes, nested bodies) before the handler runs. Every broken rule is listed at
//! once in the 422 problem's `errors`, under the field's dotted path (`address.street`,
//! `lines[3].absence_reason`); the domain's own rules (personnummer, codes, dates) follow in
//! each request's `parse`.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;
use validator::{Validate, ValidationErrors, ValidationErrorsKind};

use crate::problem::{ApiError, FieldError};

pub struct Valid<T>(pub T);

impl<T> Valid<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Valid<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + Validate + 'static> FromRequest for Valid<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = web::Json::<T>::from_request(req, payload);
        Box::pin(async move {
            let body = json.await?.into_inner();
            body.validate()
                .map_err(|errors| ApiError::Validation(field_errors(&errors)))?;
            Ok(Valid(body))
        })
    }
}

/// The broken rules as field errors, sorted by field so the answer is stable.
pub fn field_errors(errors: &ValidationErrors) -> Vec<FieldError> {
    let mut out = Vec::new();
    collect("", errors, &mut out);
    out.sort_by(|a, b| a.field.cmp(&b.field));
    out
}

fn collect(prefix: &str, errors: &ValidationErrors, out: &mut Vec<FieldError>) {
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(list) => {
                for error in list {
                    out.push(FieldError::new(&path, code(error), message(error)));
                }
            }
            ValidationErrorsKind::Struct(nested) => collect(&path, nested, out),
            ValidationErrorsKind::List(items) => {
                for (index, nested) in items {
                    collect(&format!("{path}[{index}]"), nested, out);
                }
            }
        }
    }
}

/// The problem's stable codes for the validator's rules.
fn code(error: &validator::ValidationError) -> &'static str {
    let has = |name: &str| error.params.contains_key(name);
    match error.code.as_ref() {
        "length" if has("max") && !has("min") => "too_long",
        "length" if has("min") && !has("max") => "too_short",
        "length" | "range" => "out_of_range",
        _ => "invalid_format",
    }
}

fn message(error: &validator::ValidationError) -> String {
    let param = |name: &str| error.params.get(name).map(ToString::to_string);
    match error.code.as_ref() {
        "length" => match (param("min"), param("max")) {
            (Some(min), Some(max)) => format!("must have from {min} to {max} characters or items"),
            (None, Some(max)) => format!("may have at most {max} characters or items"),
            (Some(min), None) => format!("must have at least {min} characters or items"),
            _ => "has the wrong length".to_owned(),
        },
        "range" => match (param("min"), param("max")) {
            (Some(min), Some(max)) => format!("must be from {min} to {max}"),
            (None, Some(max)) => format!("may be at most {max}"),
            (Some(min), None) => format!("must be at least {min}"),
            _ => "is out of range".to_owned(),
        },
        _ => "is not valid".to_owned(),
    }
}

/// `ValidQuery<T>`: query parameters checked against their type's `#[validate]` rules (the
/// page size, …). A broken rule is 400 `invalid_query`, as every other query problem is, naming
/// each parameter and its rule.
pub struct ValidQuery<T>(pub T);

impl<T> ValidQuery<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for ValidQuery<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + Validate + 'static> FromRequest for ValidQuery<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let query = web::Query::<T>::from_request(req, payload);
        Box::pin(async move {
            let query = query.await?.into_inner();
            query.validate().map_err(|errors| {
                let reasons: Vec<String> = field_errors(&errors)
                    .into_iter()
                    .map(|e| format!("{} {}", e.field, e.message))
                    .collect();
                ApiError::InvalidQuery(reasons.join("; "))
            })?;
            Ok(ValidQuery(query))
        })
    }
}
