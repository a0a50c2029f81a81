//! The error-code catalogue: every `code` a problem document can carry, with its status, what it
//! means and what the client should do. The spec's `ProblemCode` enum and `docs/errors.md` are
//! this list; a test fails when the source answers a code that is not in it, or the docs page
//! misses one.

/// One code of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProblemCode {
    pub code: &'static str,
    pub status: u16,
    pub meaning: &'static str,
    pub action: &'static str,
}

const fn c(code: &'static str, status: u16, meaning: &'static str, action: &'static str) -> ProblemCode {
    ProblemCode {
        code,
        status,
        meaning,
        action,
    }
}

pub const CATALOGUE: &[ProblemCode] = &[
    c(
        "malformed_json",
        400,
        "The body is not valid JSON.",
        "Fix the request; do not retry it as it is.",
    ),
    c(
        "unknown_field",
        400,
        "The body has a field the operation does not take.",
        "Remove the field (see the schema).",
    ),
    c(
        "invalid_body",
        400,
        "The body does not match the operation's schema (a wrong type, a missing field).",
        "Fix the request.",
    ),
    c(
        "invalid_query",
        400,
        "A query parameter is invalid.",
        "Fix the query string.",
    ),
    c(
        "invalid_header",
        400,
        "A request header is invalid, e.g. a malformed If-Match.",
        "Fix the header.",
    ),
    c(
        "unauthorized",
        401,
        "No valid bearer token: missing, expired, wrong audience, issuer or signature, or living too long.",
        "Get a new token from the identity provider; `detail` says why.",
    ),
    c(
        "forbidden",
        403,
        "The token's role or scope may not do this at all.",
        "Do not retry; ask for another role or scope.",
    ),
    c(
        "route_not_found",
        404,
        "No route has this path.",
        "Check the path against the spec.",
    ),
    c(
        "not_found",
        404,
        "The resource does not exist, or the caller may not see it (the two are one answer).",
        "Do not retry; check the id and your scope.",
    ),
    c(
        "method_not_allowed",
        405,
        "The path exists, not with this method; `Allow` lists the methods.",
        "Use a method from `Allow`.",
    ),
    c(
        "conflict",
        409,
        "The change collided with data written at the same time.",
        "Read again and retry.",
    ),
    c(
        "invalid_transition",
        409,
        "The resource's status does not allow this step now; `detail` names the status.",
        "Read the resource; do not retry the same step.",
    ),
    c(
        "already_exists",
        409,
        "A resource with this id exists.",
        "Use another id, or read the existing one.",
    ),
    c(
        "already_recorded",
        409,
        "This follow-up is recorded already.",
        "Read the participant.",
    ),
    c(
        "already_withdrawn",
        409,
        "The consent is withdrawn already.",
        "Read the consents.",
    ),
    c(
        "already_seen",
        409,
        "The absence report is marked seen already.",
        "Nothing to do.",
    ),
    c(
        "follow_up_not_due",
        409,
        "The follow-up may not be recorded yet; `follow_ups_due[].opens_on` says from when.",
        "Record it when it is due.",
    ),
    c(
        "open_plan_exists",
        409,
        "The participant has an open plan; revise it instead of drafting another.",
        "Read the plans.",
    ),
    c(
        "open_participation",
        409,
        "The person has an open participation that must end first.",
        "Ask the office holding it.",
    ),
    c(
        "activity_not_referable",
        409,
        "The plan activity cannot be referred now (plan not approved, activity closed).",
        "Read the plan.",
    ),
    c(
        "reference_taken",
        409,
        "A contract with this reference is registered.",
        "Use the registered contract or another reference.",
    ),
    c(
        "org_number_taken",
        409,
        "A provider with this organisation number is registered.",
        "Use the registered provider.",
    ),
    c(
        "corrects_a_correction",
        409,
        "A correction is corrected through the note it corrects.",
        "Correct the original note.",
    ),
    c(
        "not_started",
        409,
        "Absences are reported once the activity has started.",
        "Report after the start.",
    ),
    c(
        "participation_ended",
        409,
        "The participation period this concerns has ended.",
        "Read the participant.",
    ),
    c(
        "transfer_pending",
        409,
        "A move of this participant waits for an answer already.",
        "Wait for the answer, or read the transfer.",
    ),
    c(
        "transfer_answered",
        409,
        "The move is answered already.",
        "Read the transfer.",
    ),
    c(
        "idempotency_in_progress",
        409,
        "A request with this Idempotency-Key is still running.",
        "Retry after `Retry-After` seconds with the same key.",
    ),
    c(
        "payload_too_large",
        413,
        "The body is larger than the operation accepts.",
        "Send less.",
    ),
    c(
        "unsupported_media_type",
        415,
        "The body is not application/json.",
        "Send JSON with `Content-Type: application/json`.",
    ),
    c(
        "precondition_failed",
        412,
        "If-Match names a version that is no longer current.",
        "Read the resource again and reapply the change.",
    ),
    c(
        "validation_failed",
        422,
        "Fields are invalid; `errors` lists each with its own code.",
        "Fix the fields named.",
    ),
    c(
        "idempotency_key_reused",
        422,
        "The Idempotency-Key was used with another body or by a token of another reach.",
        "Use a new key for a new request.",
    ),
    c(
        "precondition_required",
        428,
        "The change needs If-Match.",
        "Send If-Match with the ETag you read.",
    ),
    c(
        "rate_limited",
        429,
        "The token's write requests for this minute are used up.",
        "Retry after `Retry-After` seconds.",
    ),
    c(
        "internal_error",
        500,
        "An unexpected failure; the cause is logged under the request id.",
        "Retry later; report the request id if it persists.",
    ),
    c(
        "service_unavailable",
        503,
        "The database (or the access log) cannot be reached.",
        "Retry after `Retry-After` seconds.",
    ),
    c(
        "request_timeout",
        503,
        "The request was not finished in time; a change may still have been applied.",
        "Retry with the same Idempotency-Key, or read first.",
    ),
];

/// Whether the catalogue has `code`.
pub fn is_known(code: &str) -> bool {
    CATALOGUE.iter().any(|c| c.code == code)
}

/// The spec's `ProblemCode`: the catalogue as a string enum.
pub struct ProblemCodeSchema;

impl utoipa::PartialSchema for ProblemCodeSchema {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some(
                "Stable machine-readable code of the problem; each is explained in docs/errors.md.",
            ))
            .enum_values(Some(CATALOGUE.iter().map(|c| c.code)))
            .into()
    }
}

impl utoipa::ToSchema for ProblemCodeSchema {
    fn name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("ProblemCode")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code the source can answer: the string literals of `code: "…"` in the operations
    /// and routes, and the codes of `ApiError::code`.
    fn answered_codes() -> Vec<String> {
        fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    files(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    out.push(path);
                }
            }
        }
        let mut paths = Vec::new();
        files(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut paths,
        );
        let mut codes = Vec::new();
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap();
            let is_problem_module = path.ends_with("problem.rs");
            let mut previous = "";
            for line in text.lines() {
                let line = line.trim();
                // A code must be a literal where the conflict is made, so this scan sees it.
                assert!(
                    !(previous.ends_with("Conflict {") && line == "code,"),
                    "{path:?}: a conflict's code is not a literal"
                );
                previous = line;
                if let Some(rest) = line.strip_prefix("code: \"") {
                    codes.push(rest.split('"').next().unwrap().to_owned());
                }
                // `ApiError::X => "code",` in `ApiError::code`.
                if is_problem_module && line.starts_with("ApiError::") && line.contains("=> \"") {
                    let code = line.split("=> \"").nth(1).unwrap().split('"').next().unwrap();
                    if code.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_') {
                        codes.push(code.to_owned());
                    }
                }
            }
        }
        codes.sort();
        codes.dedup();
        codes
    }

    #[test]
    fn every_code_the_api_answers_is_in_the_catalogue() {
        let codes = answered_codes();
        assert!(codes.len() > 30, "the scan finds the codes: {codes:?}");
        let missing: Vec<&String> = codes.iter().filter(|c| !is_known(c)).collect();
        assert!(
            missing.is_empty(),
            "codes answered but not in the catalogue: {missing:?}"
        );
    }

    #[test]
    fn the_docs_explain_every_code_once() {
        let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/errors.md")).unwrap();
        for code in CATALOGUE {
            let row = format!("| `{}` | {} |", code.code, code.status);
            assert_eq!(docs.matches(&row).count(), 1, "docs/errors.md has no row {row}");
        }
        let mut seen: Vec<&str> = CATALOGUE.iter().map(|c| c.code).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), CATALOGUE.len(), "a code is listed twice");
    }
}
