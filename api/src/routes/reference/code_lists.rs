//! The code lists the API speaks (reasons, statuses, kinds of work), each code with its label
//! in the language asked for.

use actix_web::{get, web};
use domain::labels::{code_list, Label, CODE_LISTS};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Authenticated;
use crate::problem::ApiError;

/// A code and its label.
#[derive(Serialize, ToSchema)]
pub struct CodeLabel {
    #[schema(example = "child_sick")]
    pub code: String,
    #[schema(example = "Vård av sjukt barn")]
    pub label: String,
}

/// One code list.
#[derive(Serialize, ToSchema)]
pub struct CodeList {
    #[schema(example = "absence-reasons")]
    pub name: String,
    pub items: Vec<CodeLabel>,
}

#[derive(Serialize, ToSchema)]
pub struct CodeLists {
    pub items: Vec<CodeList>,
}

fn list(name: &str, labels: &[Label]) -> CodeList {
    let language = crate::request_scope::language();
    CodeList {
        name: name.to_owned(),
        items: labels
            .iter()
            .map(|l| CodeLabel {
                code: l.code.to_owned(),
                label: l.in_language(language).to_owned(),
            })
            .collect(),
    }
}

/// Every code list
///
/// `absence-reasons`, `decline-reasons`, `interruption-reasons`, `participant-statuses`,
/// `plan-statuses`, `referral-statuses`, `claim-statuses`, `transfer-statuses` and
/// `task-kinds`, each code with its label in Swedish (default) or English.
#[utoipa::path(
    tag = "reference",
    security(("bearer" = [])),
    params(crate::http::docs::AcceptLanguageHeader),
    responses((status = 200, description = "The code lists.", body = CodeLists))
)]
#[get("/code-lists")]
pub async fn list_code_lists(_caller: Authenticated) -> web::Json<CodeLists> {
    web::Json(CodeLists {
        items: CODE_LISTS.iter().map(|(name, labels)| list(name, labels)).collect(),
    })
}

/// One code list
///
/// One of the code lists of `/v1/code-lists`, each code with its label in the language of
/// `Accept-Language` (Swedish by default). An unknown list name is 404.
#[utoipa::path(
    tag = "reference",
    security(("bearer" = [])),
    params(("name" = String, Path, description = "The list, e.g. `absence-reasons`"), crate::http::docs::AcceptLanguageHeader),
    responses(
        (status = 200, description = "The list.", body = CodeList),
        (status = 404, response = crate::http::docs::NotFoundResponse),
    )
)]
#[get("/code-lists/{name}")]
pub async fn get_code_list(_caller: Authenticated, path: web::Path<String>) -> Result<web::Json<CodeList>, ApiError> {
    let labels = code_list(&path).ok_or(ApiError::NotFound { resource: "code list" })?;
    Ok(web::Json(list(&path, labels)))
}
