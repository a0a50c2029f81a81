//! What a request matching no route gets: 405 with `Allow` when the path exists under another
//! method, else 404.

use actix_web::{web, HttpRequest, HttpResponse};

use crate::http::route_table::RouteTable;
use crate::problem::ApiError;

pub async fn unmatched(req: HttpRequest, routes: web::Data<RouteTable>) -> Result<HttpResponse, ApiError> {
    let allowed = routes.allowed_methods(req.path());
    if allowed.is_empty() {
        Err(ApiError::RouteNotFound)
    } else {
        Err(ApiError::MethodNotAllowed { allowed })
    }
}
