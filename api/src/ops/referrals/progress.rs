//! Progress reports: attendance line by line for a period, each day reported once.

use chrono::NaiveDate;
use domain::access::ListScope;
use domain::referral::{already_reported, Granularity, ProgressLine, Referral};
use persistence::repos::referral::ProgressReport;
use persistence::repos::ReferralRepo;
use persistence::DbConnection;
use uuid::Uuid;

use super::{load_at, referral_error, ReferralAt};
use crate::ops::{Context, FieldErrors, OpError};

/// A report as sent, checked line by line for shape.
#[derive(Debug, Clone)]
pub struct NewReport {
    pub granularity: Granularity,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub lines: Vec<ProgressLine>,
    pub comment: Option<String>,
}

/// Stores the report on the referral at `at`; the referral's version moves on with it.
pub fn report_progress(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    at: ReferralAt,
    new: NewReport,
) -> Result<(Referral, ProgressReport), OpError> {
    let referral = load_at(conn, scope, at, ctx.today())?;
    referral
        .may_report(new.from, new.to, ctx.today())
        .map_err(referral_error)?;
    let earlier = ReferralRepo::reported_lines(conn, referral.id)?;
    let mut errors = FieldErrors::default();
    for i in already_reported(new.granularity, &new.lines, &earlier) {
        errors.add(
            &format!("lines[{i}].date"),
            "already_reported",
            "an earlier report covers this day",
        );
    }
    errors.finish(|| Some(()))?;
    let acting = ctx.acting();
    let report = ProgressReport {
        id: Uuid::now_v7(),
        referral_id: referral.id,
        granularity: new.granularity,
        period_from: new.from,
        period_to: new.to,
        comment: new.comment,
        reported_by: acting.subject.clone(),
        reported_at: acting.now,
        lines: new.lines.into_iter().map(|l| (Uuid::now_v7(), l)).collect(),
    };
    let referral = ReferralRepo::add_progress_report(conn, &acting, &referral, &report)?;
    Ok((referral, report))
}
