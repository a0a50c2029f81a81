//! The key figures as CSV, one row per group and a last row for the total, for a spreadsheet.
//! A suppressed cell reads `..` (as in official Swedish statistics); a cell with nothing to
//! compute from is empty.

use std::collections::BTreeMap;

use super::dto::{CountFigure, KeyFigureReport, KeyFigureSet, RateFigure};

pub fn render(report: &KeyFigureReport) -> String {
    let mut out = String::new();
    let header = columns(&report.total).into_iter().map(|(name, _)| name);
    push_row(
        &mut out,
        ["group".to_owned(), "label".to_owned()].into_iter().chain(header),
    );
    for group in &report.groups {
        let cells = columns(&group.figures).into_iter().map(|(_, cell)| cell);
        push_row(
            &mut out,
            [group.key.clone(), group.label.clone()].into_iter().chain(cells),
        );
    }
    let cells = columns(&report.total).into_iter().map(|(_, cell)| cell);
    push_row(
        &mut out,
        ["total".to_owned(), "Total".to_owned()].into_iter().chain(cells),
    );
    out
}

/// Column names and cells in the order of the JSON fields; a map becomes `name.code` columns.
fn columns(f: &KeyFigureSet) -> Vec<(String, String)> {
    let mut cols = Vec::new();
    let mut count = |name: &str, cell: &CountFigure| cols.push((name.to_owned(), count_cell(cell)));
    count("participants_enrolled", &f.participants_enrolled);
    count("participants_active", &f.participants_active);
    count("exits", &f.exits);
    let mut cols = with_map(cols, "exits_by_outcome", &f.exits_by_outcome);
    cols = with_map(cols, "work_by_employment_form", &f.work_by_employment_form);
    cols = with_map(cols, "work_by_extent", &f.work_by_extent);
    cols.push(("work_with_wage_subsidy".into(), count_cell(&f.work_with_wage_subsidy)));
    for (name, cell) in [
        ("share_to_work", &f.share_to_work),
        ("share_to_studies", &f.share_to_studies),
        ("share_without_coded_outcome", &f.share_without_coded_outcome),
        ("median_days_to_approved_plan", &f.median_days_to_approved_plan),
        ("share_plans_on_time", &f.share_plans_on_time),
        ("mean_participation_days", &f.mean_participation_days),
        ("self_supporting_after_2_months", &f.self_supporting_after_2_months),
        ("self_supporting_after_8_months", &f.self_supporting_after_8_months),
    ] {
        cols.push((name.into(), rate_cell(cell)));
    }
    cols.push(("referrals_sent".into(), count_cell(&f.referrals_sent)));
    cols.push(("referrals_declined".into(), count_cell(&f.referrals_declined)));
    cols.push((
        "share_referrals_declined".into(),
        rate_cell(&f.share_referrals_declined),
    ));
    cols.push((
        "referrals_to_other_centres".into(),
        count_cell(&f.referrals_to_other_centres),
    ));
    cols.push((
        "referrals_from_other_centres".into(),
        count_cell(&f.referrals_from_other_centres),
    ));
    cols = with_map(cols, "referrals_declined_by_reason", &f.referrals_declined_by_reason);
    cols.push((
        "activity_hours_per_participant".into(),
        rate_cell(&f.activity_hours_per_participant),
    ));
    cols.push(("absences_reported".into(), count_cell(&f.absences_reported)));
    cols.push(("attendance_share".into(), rate_cell(&f.attendance_share)));
    cols.push(("payments_ore".into(), count_cell(&f.payments_ore)));
    cols.push((
        "cost_per_participant_ore".into(),
        rate_cell(&f.cost_per_participant_ore),
    ));
    cols.push((
        "cost_per_participant_in_work_ore".into(),
        rate_cell(&f.cost_per_participant_in_work_ore),
    ));
    cols
}

fn with_map(mut cols: Vec<(String, String)>, name: &str, map: &BTreeMap<String, CountFigure>) -> Vec<(String, String)> {
    cols.extend(
        map.iter()
            .map(|(code, cell)| (format!("{name}.{code}"), count_cell(cell))),
    );
    cols
}

fn count_cell(cell: &CountFigure) -> String {
    match (cell.value, cell.suppressed) {
        (_, true) => "..".into(),
        (Some(value), false) => value.to_string(),
        (None, false) => String::new(),
    }
}

fn rate_cell(cell: &RateFigure) -> String {
    match (cell.value, cell.suppressed) {
        (_, true) => "..".into(),
        (Some(value), false) => value.to_string(),
        (None, false) => String::new(),
    }
}

fn push_row(out: &mut String, fields: impl Iterator<Item = String>) {
    let fields: Vec<String> = fields.map(|f| quote(&f)).collect();
    out.push_str(&fields.join(","));
    out.push_str("\r\n");
}

/// Quotes a field when it needs it, and defuses a leading formula character so a provider's
/// name cannot run as a formula in a spreadsheet.
fn quote(field: &str) -> String {
    let field = if field.starts_with(['=', '+', '-', '@']) && field.parse::<f64>().is_err() {
        format!("'{field}")
    } else {
        field.to_owned()
    };
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(quote("Jobbtorg Järva"), "Jobbtorg Järva");
        assert_eq!(quote("Arbete, AB"), "\"Arbete, AB\"");
        assert_eq!(quote("Say \"hi\""), "\"Say \"\"hi\"\"\"");
        assert_eq!(quote("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(quote("-3"), "-3");
    }

    #[test]
    fn suppressed_cells_read_two_dots_and_empty_ones_nothing() {
        let suppressed = CountFigure {
            value: None,
            suppressed: true,
        };
        let empty = RateFigure {
            value: None,
            suppressed: false,
        };
        assert_eq!(count_cell(&suppressed), "..");
        assert_eq!(rate_cell(&empty), "");
        assert_eq!(
            rate_cell(&RateFigure {
                value: Some(0.25),
                suppressed: false
            }),
            "0.25"
        );
    }
}
