//! The documented routes by path, so that an unmatched request can be told 405 with `Allow`.

use std::collections::BTreeMap;

use actix_web::http::Method;
use utoipa::openapi::OpenApi as OpenApiDocument;

/// Which methods each documented path accepts, so an unmatched request can be told 405 with
/// `Allow` instead of 404.
#[derive(Debug, Default)]
pub struct RouteTable {
    routes: Vec<(Vec<Segment>, Vec<Method>)>,
}

#[derive(Debug, PartialEq)]
enum Segment {
    Literal(String),
    Parameter,
}

impl RouteTable {
    pub fn from_document(document: &OpenApiDocument) -> Self {
        let mut by_path: BTreeMap<&str, Vec<Method>> = BTreeMap::new();
        for (path, item) in &document.paths.paths {
            let methods = [
                (Method::GET, item.get.is_some()),
                (Method::POST, item.post.is_some()),
                (Method::PUT, item.put.is_some()),
                (Method::PATCH, item.patch.is_some()),
                (Method::DELETE, item.delete.is_some()),
            ];
            by_path
                .entry(path)
                .or_default()
                .extend(methods.into_iter().filter(|(_, present)| *present).map(|(m, _)| m));
        }
        let routes = by_path
            .into_iter()
            .map(|(path, methods)| {
                let segments = path
                    .split('/')
                    .filter(|s| !s.is_empty())
                    .map(|s| {
                        if s.starts_with('{') && s.ends_with('}') {
                            Segment::Parameter
                        } else {
                            Segment::Literal(s.to_owned())
                        }
                    })
                    .collect();
                (segments, methods)
            })
            .collect();
        Self { routes }
    }

    /// The methods a path accepts; empty when no documented route matches it. When several
    /// routes match (`/participants/search` and `/participants/{id}`), the most literal wins, as
    /// it does when the request is routed.
    pub fn allowed_methods(&self, path: &str) -> Vec<Method> {
        let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let matching: Vec<&(Vec<Segment>, Vec<Method>)> = self
            .routes
            .iter()
            .filter(|(segments, _)| {
                segments.len() == parts.len()
                    && segments.iter().zip(&parts).all(|(segment, part)| match segment {
                        Segment::Literal(literal) => literal == part,
                        Segment::Parameter => true,
                    })
            })
            .collect();
        let literals = |segments: &[Segment]| segments.iter().filter(|s| matches!(s, Segment::Literal(_))).count();
        let most_literal = matching
            .iter()
            .map(|(segments, _)| literals(segments))
            .max()
            .unwrap_or(0);
        let mut allowed: Vec<Method> = Vec::new();
        for method in matching
            .iter()
            .filter(|(segments, _)| literals(segments) == most_literal)
            .flat_map(|(_, methods)| methods)
        {
            if !allowed.contains(method) {
                allowed.push(method.clone());
            }
        }
        allowed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::openapi::document;

    #[test]
    fn route_table_matches_literal_and_parameter_segments() {
        let table = RouteTable::from_document(&document());
        assert_eq!(table.allowed_methods("/v1/districts"), vec![Method::GET, Method::POST]);
        assert_eq!(
            table.allowed_methods("/v1/districts/farsta"),
            vec![Method::GET, Method::PATCH]
        );
        assert_eq!(table.allowed_methods("/healthz"), vec![Method::GET]);
        assert!(table.allowed_methods("/v1/nothing-here").is_empty());
        assert_eq!(
            table.allowed_methods("/v1/participants/search"),
            vec![Method::POST],
            "the literal route wins"
        );
        assert!(table.allowed_methods("/v1/districts/extra/segments").is_empty());
    }
}
