//! Progress reports: attendance line by line for a period, each line with its own id.

use actix_web::http::header;
use actix_web::{get, post, web, HttpResponse};
use domain::access::Action;
use domain::referral::{check_lines, Granularity, ProgressLine};
use domain::shared::clean_text;
use persistence::repos::ReferralRepo;

use super::dto::{ProgressReportList, ProgressReportRequest, ProgressReportResponse};
use crate::auth::Authenticated;
use crate::concurrency::{etag, IfMatch};
use crate::http::paging::path_id;
use crate::http::scope_for;
use crate::http::valid::Valid;
use crate::ops::referrals::{self, NewReport};
use crate::problem::{ApiError, FieldErrors};
use crate::state::AppState;

const MAX_HOURS: f64 = crate::http::limits::HOURS_MAX;

fn minutes(errors: &mut FieldErrors, field: &str, hours: f64) -> Option<u32> {
    if !hours.is_finite() || !(0.0..=MAX_HOURS).contains(&hours) {
        errors.add(field, "out_of_range", format!("hours are from 0 to {MAX_HOURS}"));
        return None;
    }
    // In range, so the rounded minutes fit a u32.
    Some((hours * 60.0).round() as u32)
}

fn parse(body: ProgressReportRequest) -> Result<NewReport, ApiError> {
    let mut errors = FieldErrors::default();
    let granularity = errors.check(
        "granularity",
        "invalid_value",
        Granularity::parse(&body.granularity).ok_or("use day or week"),
    );
    let comment = body
        .comment
        .filter(|c| !c.trim().is_empty())
        .and_then(|c| errors.check("comment", "invalid_format", clean_text(&c, crate::http::text::TEXT_MAX)));
    let lines: Vec<Option<ProgressLine>> = body
        .lines
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            let attended = minutes(&mut errors, &format!("lines[{i}].attended_hours"), line.attended_hours);
            let absent = minutes(&mut errors, &format!("lines[{i}].absent_hours"), line.absent_hours);
            let reason = line.absence_reason.filter(|r| !r.trim().is_empty()).and_then(|r| {
                errors.check(
                    &format!("lines[{i}].absence_reason"),
                    "invalid_format",
                    clean_text(&r, crate::http::limits::CONTACT_MAX as usize),
                )
            });
            Some(ProgressLine {
                on: line.date,
                attended_minutes: attended?,
                absent_minutes: absent?,
                absence_reason: reason,
            })
        })
        .collect();
    let granularity = errors.finish(|| granularity)?;
    let lines: Vec<ProgressLine> = lines.into_iter().flatten().collect();
    if let Err(problems) = check_lines(granularity, body.period_from, body.period_to, &lines) {
        let mut errors = FieldErrors::default();
        for (index, problem) in problems {
            let field = index.map_or_else(|| "lines".to_owned(), |i| format!("lines[{i}].date"));
            errors.add(&field, "rule", problem.to_string());
        }
        return Err(ApiError::Validation(errors.into_vec()));
    }
    Ok(NewReport {
        granularity,
        from: body.period_from,
        to: body.period_to,
        lines,
        comment,
    })
}

/// Report progress
///
/// By the provider's staff, and for a referral delivered at another job centre also by that
/// centre's coaches and managers, while the referral is `in_progress`: a period from the start to
/// today, attended and absent hours per day or per week (a weekly line is dated on its Monday),
/// and a comment. A day is reported once. Requires `If-Match` with the referral's ETag; the
/// response's `ETag` is the referral's new version.
#[utoipa::path(
    tag = "referrals",
    security(("bearer" = [])),
    params(("referral_id" = String, Path, description = "The referral's id"), crate::http::docs::IfMatchHeader),
    request_body = ProgressReportRequest,
    responses(
        (status = 201, description = "The report as stored, each line with its id.", body = ProgressReportResponse,
            headers(("ETag" = String, description = "The referral's new version"))),
        (status = 404, response = crate::http::docs::NotFoundResponse),
        (status = 409, response = crate::http::docs::ConflictResponse),
        (status = 412, response = crate::http::docs::PreconditionFailedResponse),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
        (status = 428, response = crate::http::docs::PreconditionRequiredResponse),
    )
)]
#[post("/referrals/{referral_id}/progress-reports")]
pub async fn report_progress(
    caller: Authenticated,
    path: web::Path<String>,
    if_match: IfMatch,
    body: Valid<ProgressReportRequest>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let at = (path_id(&path, "referral")?, if_match);
    let report = parse(body.into_inner())?;
    let (referral, report) = crate::write_request::change_at(
        &state,
        &caller,
        Action::ReportOnReferral,
        at,
        move |conn, ctx, scope, at| referrals::report_progress(conn, ctx, scope, at, report),
    )
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::ETAG, etag(referral.version)))
        .json(ProgressReportResponse::from(&report)))
}

/// List a referral's progress reports
///
/// Oldest first, every line with its id and the totals.
#[utoipa::path(
    tag = "referrals",
    security(("bearer" = [])),
    params(("referral_id" = String, Path, description = "The referral's id")),
    responses(
        (status = 200, description = "The reports.", body = ProgressReportList),
        (status = 404, response = crate::http::docs::NotFoundResponse),
    )
)]
#[get("/referrals/{referral_id}/progress-reports")]
pub async fn list_progress_reports(
    caller: Authenticated,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<web::Json<ProgressReportList>, ApiError> {
    let scope = scope_for(&caller.0, Action::ReadReferral)?;
    let id = path_id(&path, "referral")?;
    let reports = state
        .read(&caller, move |conn, ctx| {
            let referral = ReferralRepo::get(conn, id, &scope, ctx.today())?;
            ReferralRepo::audit_read(conn, &ctx.acting(), &[&referral])?;
            Ok(ReferralRepo::progress_reports(conn, id)?)
        })
        .await
        .map_err(|e| e.for_resource("referral"))?;
    Ok(web::Json(ProgressReportList {
        items: reports.iter().map(ProgressReportResponse::from).collect(),
    }))
}
