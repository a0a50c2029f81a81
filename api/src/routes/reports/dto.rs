//! The key figures as they travel: every figure a `{value, suppressed}` cell.

use std::collections::BTreeMap;

use domain::report::{Figure, KeyFigures};
use serde::Serialize;
use utoipa::ToSchema;

/// A count. `value` is null when the cell concerns 1–4 persons (`suppressed` is then true).
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[schema(example = json!({"value": 12, "suppressed": false}))]
pub struct CountFigure {
    pub value: Option<i64>,
    pub suppressed: bool,
}

/// A share, mean or median. `value` is null when it rests on fewer than 5 persons
/// (`suppressed` true) or on nobody (`suppressed` false).
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[schema(example = json!({"value": 0.4167, "suppressed": false}))]
pub struct RateFigure {
    pub value: Option<f64>,
    pub suppressed: bool,
}

impl From<Figure<i64>> for CountFigure {
    fn from(figure: Figure<i64>) -> Self {
        CountFigure {
            value: figure.value,
            suppressed: figure.suppressed,
        }
    }
}

impl From<Figure<f64>> for RateFigure {
    fn from(figure: Figure<f64>) -> Self {
        RateFigure {
            value: figure.value,
            suppressed: figure.suppressed,
        }
    }
}

/// One group's figures. Shares are between 0 and 1; money is in öre.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KeyFigureSet {
    /// Persons enrolled in the period.
    pub participants_enrolled: CountFigure,
    /// Persons enrolled at some time in the period.
    pub participants_active: CountFigure,
    /// Participations ended in the period.
    pub exits: CountFigure,
    /// Exits by outcome code; every code is present.
    pub exits_by_outcome: BTreeMap<String, CountFigure>,
    /// Exits to work by employment form (`permanent`, `fixed_term`, `hourly`).
    pub work_by_employment_form: BTreeMap<String, CountFigure>,
    /// Exits to work by extent (`full_time`, `part_time`).
    pub work_by_extent: BTreeMap<String, CountFigure>,
    pub work_with_wage_subsidy: CountFigure,
    pub share_to_work: RateFigure,
    pub share_to_studies: RateFigure,
    /// Must be 0: every exit carries a coded outcome.
    pub share_without_coded_outcome: RateFigure,
    /// Of persons enrolled in the period: days from enrolment to the approved plan.
    pub median_days_to_approved_plan: RateFigure,
    /// Of persons enrolled in the period whose plan is approved or overdue: approved within
    /// the 5 working days.
    pub share_plans_on_time: RateFigure,
    /// Of exits in the period: calendar days from enrolment to exit.
    pub mean_participation_days: RateFigure,
    /// Of exits in the period followed up after 2 months: still self-supporting.
    pub self_supporting_after_2_months: RateFigure,
    pub self_supporting_after_8_months: RateFigure,
    /// Referrals sent in the period.
    pub referrals_sent: CountFigure,
    pub referrals_declined: CountFigure,
    pub share_referrals_declined: RateFigure,
    /// Referrals sent in the period for the group's cases to another job centre's services
    /// (counted where the case is; with `group_by=jobbtorg`, the centre holding the case).
    pub referrals_to_other_centres: CountFigure,
    /// Referrals sent in the period to the group's services for another centre's case
    /// (counted where delivered; with `group_by=jobbtorg`, the centre delivering).
    pub referrals_from_other_centres: CountFigure,
    /// Declined referrals by reason code; every code is present.
    pub referrals_declined_by_reason: BTreeMap<String, CountFigure>,
    /// Attended hours reported for the period over everyone in an activity with a provider then.
    pub activity_hours_per_participant: RateFigure,
    /// Absence reports on referrals for days in the period.
    pub absences_reported: CountFigure,
    /// The share of the planned working days of activities with providers in the period that
    /// no absence was reported for (a report of hours counts its share of an 8-hour day).
    pub attendance_share: RateFigure,
    /// Claims paid in the period.
    pub payments_ore: CountFigure,
    /// Payments over the persons active in the period.
    pub cost_per_participant_ore: RateFigure,
    /// Payments over the exits to work in the period.
    pub cost_per_participant_in_work_ore: RateFigure,
}

fn cells(cells: &[(&'static str, Figure<i64>)]) -> BTreeMap<String, CountFigure> {
    cells
        .iter()
        .map(|(code, figure)| ((*code).to_owned(), (*figure).into()))
        .collect()
}

impl From<&KeyFigures> for KeyFigureSet {
    fn from(f: &KeyFigures) -> Self {
        KeyFigureSet {
            participants_enrolled: f.participants_enrolled.into(),
            participants_active: f.participants_active.into(),
            exits: f.exits.into(),
            exits_by_outcome: cells(&f.exits_by_outcome),
            work_by_employment_form: cells(&f.work_by_employment_form),
            work_by_extent: cells(&f.work_by_extent),
            work_with_wage_subsidy: f.work_with_wage_subsidy.into(),
            share_to_work: f.share_to_work.into(),
            share_to_studies: f.share_to_studies.into(),
            share_without_coded_outcome: f.share_without_coded_outcome.into(),
            median_days_to_approved_plan: f.median_days_to_approved_plan.into(),
            share_plans_on_time: f.share_plans_on_time.into(),
            mean_participation_days: f.mean_participation_days.into(),
            self_supporting_after_2_months: f.self_supporting_after_2_months.into(),
            self_supporting_after_8_months: f.self_supporting_after_8_months.into(),
            referrals_sent: f.referrals_sent.into(),
            referrals_declined: f.referrals_declined.into(),
            share_referrals_declined: f.share_referrals_declined.into(),
            referrals_to_other_centres: f.referrals_to_other_centres.into(),
            referrals_from_other_centres: f.referrals_from_other_centres.into(),
            referrals_declined_by_reason: cells(&f.referrals_declined_by_reason),
            activity_hours_per_participant: f.activity_hours_per_participant.into(),
            absences_reported: f.absences_reported.into(),
            attendance_share: f.attendance_share.into(),
            payments_ore: f.payments_ore.into(),
            cost_per_participant_ore: f.cost_per_participant_ore.into(),
            cost_per_participant_in_work_ore: f.cost_per_participant_in_work_ore.into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KeyFigureGroup {
    /// The job centre or target group code, or the provider's id.
    #[schema(example = "jarva")]
    pub key: String,
    #[schema(example = "Jobbtorg Järva")]
    pub label: String,
    pub figures: KeyFigureSet,
}

/// Key figures for a period, per group and in total.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KeyFigureReport {
    #[schema(example = "2026-01-01")]
    pub from: chrono::NaiveDate,
    #[schema(example = "2026-06-30")]
    pub to: chrono::NaiveDate,
    #[schema(value_type = crate::codes::KeyFigureGrouping, example = "jobbtorg")]
    pub group_by: &'static str,
    /// Cells about fewer persons than this are suppressed.
    #[schema(example = 5)]
    pub min_persons: i64,
    pub groups: Vec<KeyFigureGroup>,
    /// Everyone the caller may see together; a person in two target groups counts once.
    pub total: KeyFigureSet,
}
