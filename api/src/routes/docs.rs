//! The OpenAPI document as JSON and YAML, and Swagger UI, all served from the binary.

use std::sync::Arc;

use actix_web::{web, HttpResponse};
use utoipa::openapi::OpenApi as OpenApiDocument;
use utoipa_swagger_ui::SwaggerUi;

/// The document rendered once at start-up.
pub struct RenderedSpec {
    pub yaml: String,
}

pub fn swagger_ui(document: OpenApiDocument) -> SwaggerUi {
    SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", document)
}

pub async fn openapi_yaml(spec: web::Data<Arc<RenderedSpec>>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/yaml")
        .body(spec.yaml.clone())
}
