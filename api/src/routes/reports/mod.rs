//! Key figures for the city, per job centre, target group or provider: aggregates only,
//! counted in the database, with cells about fewer than five persons suppressed.

mod csv;
mod dto;

use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use domain::access::{Action, ListScope};
use domain::report::{check_period, GroupBy, KeyFigures, PeriodError, MIN_PERSONS};
use persistence::repos::key_figures::KeyFigureQuery;
use persistence::repos::KeyFigureRepo;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

pub use dto::{CountFigure, KeyFigureGroup, KeyFigureReport, KeyFigureSet, RateFigure};
use validator::Validate;

use crate::auth::Authenticated;
use crate::http::paging::query_enum;
use crate::http::scope_for;
use crate::http::valid::ValidQuery;
use crate::problem::{ApiError, FieldErrors};
use crate::state::AppState;

pub fn configure(config: &mut ServiceConfig) {
    config.service(key_figures);
}

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct KeyFigureParams {
    /// First day of the period.
    #[param(example = "2026-01-01", format = Date)]
    pub from: String,
    /// Last day of the period, at most ten years after `from`.
    #[param(example = "2026-06-30", format = Date)]
    pub to: String,
    /// The breakdown; `jobbtorg` unless given.
    #[param(value_type = Option<crate::codes::KeyFigureGrouping>, example = "jobbtorg")]
    pub group_by: Option<String>,
}

impl KeyFigureParams {
    /// The query the parameters describe for a caller whose figures are limited to `job_centre`.
    fn parse(self, today: NaiveDate, job_centre: Option<String>) -> Result<KeyFigureQuery, ApiError> {
        let params = self;
        let (from, to) = (query_date(&params.from, "from")?, query_date(&params.to, "to")?);
        check_period(from, to).map_err(|error| {
            let code = match error {
                PeriodError::EndsBeforeStart => "before_from",
                PeriodError::TooLong => "period_too_long",
            };
            let mut errors = FieldErrors::default();
            errors.add("to", code, error.to_string());
            ApiError::Validation(errors.into_vec())
        })?;
        let group_by =
            query_enum(params.group_by, "group_by", GroupBy::parse, &GroupBy::codes())?.unwrap_or(GroupBy::Jobbtorg);
        let query = KeyFigureQuery {
            from,
            to,
            today,
            group_by,
            job_centre,
        };
        Ok(query)
    }
}

/// The report as JSON, or as CSV when the client asks for `text/csv`.
fn render(report: &KeyFigureReport, request: &HttpRequest) -> HttpResponse {
    if wants_csv(request) {
        let filename = format!("key-figures-{}-{}-{}.csv", report.from, report.to, report.group_by);
        return HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ))
            .body(csv::render(report));
    }
    HttpResponse::Ok().json(report)
}

/// Key figures
///
/// Participants enrolled, exits by outcome, shares to work and studies, time to an approved
/// plan, participation days, follow-ups, declined referrals, delivered activity hours and
/// payments for a period, per job centre, target group or provider, and in total. A cell about
/// 1–4 persons is `null` with `suppressed: true`, and so are the other non-zero cells of a
/// breakdown when the total minus the shown cells would give the hidden ones away (with the
/// shares and costs derived from them). Send `Accept: text/csv` for a spreadsheet;
/// there a suppressed cell reads `..`. Analysts and the purchaser see every job centre, a job
/// centre's manager their own.
#[utoipa::path(
    tag = "reports",
    operation_id = "get_key_figures",
    security(("bearer" = [])),
    params(KeyFigureParams),
    responses(
        (status = 200, description = "The key figures.", content(
            (KeyFigureReport = "application/json"),
            (String = "text/csv", example = "group,label,participants_enrolled,…\r\njarva,Jobbtorg Järva,12,…\r\n"),
        )),
        (status = 422, response = crate::http::docs::UnprocessableResponse),
    )
)]
#[get("/reports/key-figures")]
pub async fn key_figures(
    caller: Authenticated,
    request: HttpRequest,
    params: ValidQuery<KeyFigureParams>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let today = caller.today();
    let job_centre = match scope_for(&caller.0, Action::ReadKeyFigures)? {
        ListScope::Jobbtorg(code) => Some(code.as_str().to_owned()),
        _ => None,
    };
    let query = params.into_inner().parse(today, job_centre)?;
    let (from, to, group_by) = (query.from, query.to, query.group_by);
    let (groups, total) = state.db(move |conn| Ok(KeyFigureRepo::tallies(conn, &query)?)).await?;
    let report = KeyFigureReport {
        from,
        to,
        group_by: group_by.as_str(),
        min_persons: MIN_PERSONS,
        groups: groups
            .iter()
            .map(|group| KeyFigureGroup {
                key: group.key.clone(),
                label: group.label.clone(),
                figures: (&KeyFigures::from_tally(&group.tally)).into(),
            })
            .collect(),
        total: (&KeyFigures::from_tally(&total)).into(),
    };
    Ok(render(&report, &request))
}

fn query_date(raw: &str, name: &str) -> Result<NaiveDate, ApiError> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| ApiError::InvalidQuery(format!("{name} must be a date, YYYY-MM-DD")))
}

/// CSV when the caller asks for it before JSON; JSON otherwise.
fn wants_csv(request: &HttpRequest) -> bool {
    request
        .headers()
        .get(header::ACCEPT)
        .and_then(|accept| accept.to_str().ok())
        .is_some_and(|accept| {
            let position = |media: &str| accept.find(media);
            match (position("text/csv"), position("application/json")) {
                (Some(csv), Some(json)) => csv < json,
                (csv, _) => csv.is_some(),
            }
        })
}
