//! From one group's tallies to its key figures.

use super::{attendance, count, measured, per_person, share, Figure, MIN_PERSONS};
use crate::participant::{EmploymentExtent, EmploymentForm, ExitOutcome};
use crate::referral::DeclineReason;

/// Exits in the period with one combination of outcome and employment details.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExitTally {
    /// `None` for an exit without a coded outcome, which must never happen.
    pub outcome: Option<String>,
    pub employment_form: Option<String>,
    pub extent: Option<String>,
    pub wage_subsidy: Option<bool>,
    pub exits: i64,
    /// Exits after an enrolment (a no-show never enrolled) and their days from enrolment to exit.
    pub enrolled_exits: i64,
    pub participation_days: i64,
}

/// Participants enrolled in the period and how their first plan went.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanTally {
    pub approved: i64,
    pub median_days_to_approval: Option<f64>,
    /// Plans approved, or whose deadline has passed unapproved.
    pub due: i64,
    pub on_time: i64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct FollowUpTally {
    pub followed_up: i64,
    pub self_supporting: i64,
}

/// What the database counted for one group (a job centre, target group or provider).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupTally {
    pub enrolled: i64,
    /// Participants enrolled at some time in the period.
    pub active: i64,
    pub exits: Vec<ExitTally>,
    pub plans: PlanTally,
    pub follow_up_2_months: FollowUpTally,
    pub follow_up_8_months: FollowUpTally,
    /// Referrals sent in the period, and of them the declined ones by reason.
    pub referrals_sent: i64,
    pub declined_by_reason: Vec<(String, i64)>,
    /// Of the referrals sent in the period: the group's cases served at another job centre,
    /// and the services the group's centre delivered for another centre's case.
    pub referrals_to_other_centres: i64,
    pub referrals_from_other_centres: i64,
    /// Attended minutes reported for the period, and the participants in an activity then.
    pub delivered_minutes: i64,
    pub persons_in_activities: i64,
    pub paid_ore: i64,
    pub persons_paid_for: i64,
    /// Absence reports on referrals for days in the period, their minutes (a whole day counts
    /// `MINUTES_PER_DAY`) and the persons they concern.
    pub absence_reports: i64,
    pub absent_minutes: i64,
    pub persons_absent: i64,
    /// Working days of the activities in progress in the period (up to today).
    pub planned_days: i64,
}

/// An absence for a whole day counts as this many minutes; hours count as they are, up to it.
pub const MINUTES_PER_DAY: i64 = 480;

/// One group's key figures, every cell suppressed where it concerns too few persons.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyFigures {
    pub participants_enrolled: Figure<i64>,
    pub participants_active: Figure<i64>,
    pub exits: Figure<i64>,
    /// Every exit outcome code, in catalogue order.
    pub exits_by_outcome: Vec<(&'static str, Figure<i64>)>,
    pub work_by_employment_form: Vec<(&'static str, Figure<i64>)>,
    pub work_by_extent: Vec<(&'static str, Figure<i64>)>,
    pub work_with_wage_subsidy: Figure<i64>,
    pub share_to_work: Figure<f64>,
    pub share_to_studies: Figure<f64>,
    pub share_without_coded_outcome: Figure<f64>,
    pub median_days_to_approved_plan: Figure<f64>,
    pub share_plans_on_time: Figure<f64>,
    pub mean_participation_days: Figure<f64>,
    pub self_supporting_after_2_months: Figure<f64>,
    pub self_supporting_after_8_months: Figure<f64>,
    pub referrals_sent: Figure<i64>,
    pub referrals_declined: Figure<i64>,
    pub share_referrals_declined: Figure<f64>,
    pub referrals_to_other_centres: Figure<i64>,
    pub referrals_from_other_centres: Figure<i64>,
    /// Every decline reason code.
    pub referrals_declined_by_reason: Vec<(&'static str, Figure<i64>)>,
    pub activity_hours_per_participant: Figure<f64>,
    /// Absence reports for days in the period (suppressed when they concern 1–4 persons).
    pub absences_reported: Figure<i64>,
    /// The share of the activities' planned working days not reported absent.
    pub attendance_share: Figure<f64>,
    pub payments_ore: Figure<i64>,
    pub cost_per_participant_ore: Figure<f64>,
    pub cost_per_participant_in_work_ore: Figure<f64>,
}

impl KeyFigures {
    pub fn from_tally(tally: &GroupTally) -> Self {
        let exits = tally.exits.iter().map(|e| e.exits).sum::<i64>();
        let exits_where =
            |keep: &dyn Fn(&ExitTally) -> bool| tally.exits.iter().filter(|e| keep(e)).map(|e| e.exits).sum::<i64>();
        let with_outcome = |code: &str| exits_where(&|e| e.outcome.as_deref() == Some(code));
        let to_work = with_outcome(ExitOutcome::Employment.as_str());
        let to_studies = with_outcome(ExitOutcome::Studies.as_str());
        let in_work_where = |keep: &dyn Fn(&ExitTally) -> bool| {
            exits_where(&|e| e.outcome.as_deref() == Some(ExitOutcome::Employment.as_str()) && keep(e))
        };
        let enrolled_exits = tally.exits.iter().map(|e| e.enrolled_exits).sum::<i64>();
        let participation_days = tally.exits.iter().map(|e| e.participation_days).sum::<i64>();
        let declined_for = |code: &str| {
            tally
                .declined_by_reason
                .iter()
                .filter(|(reason, _)| reason == code)
                .map(|(_, n)| n)
                .sum::<i64>()
        };
        let declined = tally.declined_by_reason.iter().map(|(_, n)| n).sum::<i64>();
        let payments = count_money(tally.paid_ore, tally.persons_paid_for);
        let cost_per = |persons: i64| {
            if payments.suppressed {
                Figure::suppressed()
            } else {
                per_person(tally.paid_ore as f64, persons)
            }
        };

        // Exits by outcome, with the exits without one as a cell of their own: together they
        // add up to the published number of exits.
        let mut outcomes: Vec<(&'static str, i64)> = ExitOutcome::ALL
            .iter()
            .map(|o| (o.as_str(), with_outcome(o.as_str())))
            .collect();
        outcomes.push((NO_OUTCOME, exits_where(&|e| e.outcome.is_none())));
        let mut outcomes = breakdown(&outcomes, false);
        let without_outcome = outcomes.pop().map(|(_, figure)| figure).unwrap_or_else(Figure::empty);
        let hidden = |cells: &[(&'static str, Figure<i64>)], code: &str| {
            cells.iter().any(|(c, figure)| *c == code && figure.suppressed)
        };
        let work_hidden = hidden(&outcomes, ExitOutcome::Employment.as_str());
        let studies_hidden = hidden(&outcomes, ExitOutcome::Studies.as_str());
        let in_work = |keep: &dyn Fn(&ExitTally, &str) -> bool, codes: &[&'static str]| {
            let cells: Vec<(&'static str, i64)> = codes
                .iter()
                .map(|code| (*code, in_work_where(&|e| keep(e, code))))
                .collect();
            breakdown(&cells, work_hidden)
        };
        let forms: Vec<&'static str> = EmploymentForm::ALL.iter().map(|f| f.as_str()).collect();
        let extents: Vec<&'static str> = EmploymentExtent::ALL.iter().map(|x| x.as_str()).collect();
        let reasons: Vec<(&'static str, i64)> = DeclineReason::ALL
            .iter()
            .map(|r| (r.as_str(), declined_for(r.as_str())))
            .collect();
        let declined_figure = count(declined);
        let hide_if = |hide: bool, figure: Figure<f64>| if hide { Figure::suppressed() } else { figure };

        KeyFigures {
            participants_enrolled: count(tally.enrolled),
            participants_active: count(tally.active),
            exits: count(exits),
            work_by_employment_form: in_work(&|e, code| e.employment_form.as_deref() == Some(code), &forms),
            work_by_extent: in_work(&|e, code| e.extent.as_deref() == Some(code), &extents),
            work_with_wage_subsidy: hide_count_if(work_hidden, in_work_where(&|e| e.wage_subsidy == Some(true))),
            share_to_work: hide_if(work_hidden, share(to_work, exits)),
            share_to_studies: hide_if(studies_hidden, share(to_studies, exits)),
            share_without_coded_outcome: hide_if(
                without_outcome.suppressed,
                share(exits_where(&|e| e.outcome.is_none()), exits),
            ),
            exits_by_outcome: outcomes,
            median_days_to_approved_plan: measured(tally.plans.median_days_to_approval, tally.plans.approved),
            share_plans_on_time: share(tally.plans.on_time, tally.plans.due),
            mean_participation_days: per_person(participation_days as f64, enrolled_exits),
            self_supporting_after_2_months: share(
                tally.follow_up_2_months.self_supporting,
                tally.follow_up_2_months.followed_up,
            ),
            self_supporting_after_8_months: share(
                tally.follow_up_8_months.self_supporting,
                tally.follow_up_8_months.followed_up,
            ),
            referrals_sent: count(tally.referrals_sent),
            referrals_declined: declined_figure,
            share_referrals_declined: share(declined, tally.referrals_sent),
            referrals_declined_by_reason: breakdown(&reasons, declined_figure.suppressed),
            referrals_to_other_centres: count(tally.referrals_to_other_centres),
            referrals_from_other_centres: count(tally.referrals_from_other_centres),
            activity_hours_per_participant: per_person(
                tally.delivered_minutes as f64 / 60.0,
                tally.persons_in_activities,
            ),
            absences_reported: count_money(tally.absence_reports, tally.persons_absent),
            attendance_share: attendance(
                tally.planned_days,
                tally.absent_minutes as f64 / MINUTES_PER_DAY as f64,
                tally.persons_in_activities,
            ),
            cost_per_participant_ore: cost_per(tally.active),
            // Payments over the persons in work would give their number away.
            cost_per_participant_in_work_ore: hide_if(work_hidden, cost_per(to_work)),
            payments_ore: payments,
        }
    }
}

/// The exits without a coded outcome, as a cell of the outcome breakdown (not published).
const NO_OUTCOME: &str = "";

/// The cells of a breakdown that adds up to a published total. Primary suppression hides the
/// cells of 1–4 persons; but the total minus the shown cells would give their sum away, so when
/// the hidden cells together hold fewer than `MIN_PERSONS`, or the total itself is hidden (and
/// the shown cells would add up to it), every non-zero cell is hidden (secondary suppression).
fn breakdown(cells: &[(&'static str, i64)], total_hidden: bool) -> Vec<(&'static str, Figure<i64>)> {
    let hidden: i64 = cells.iter().map(|(_, n)| *n).filter(|n| count(*n).suppressed).sum();
    let hide_all = total_hidden || (hidden > 0 && hidden < MIN_PERSONS);
    cells
        .iter()
        .map(|(code, n)| (*code, hide_count_if(hide_all && *n > 0, *n)))
        .collect()
}

fn hide_count_if(hide: bool, n: i64) -> Figure<i64> {
    if hide {
        Figure::suppressed()
    } else {
        count(n)
    }
}

/// Money paid for 1–4 persons is suppressed like a count of them.
/// A total (money, reports) shown unless it concerns 1–4 persons.
fn count_money(ore: i64, persons: i64) -> Figure<i64> {
    if count(persons).suppressed {
        Figure::suppressed()
    } else {
        Figure::shown(ore)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exit(outcome: Option<&str>, form: Option<&str>, extent: Option<&str>, subsidy: bool, n: i64) -> ExitTally {
        ExitTally {
            outcome: outcome.map(str::to_owned),
            employment_form: form.map(str::to_owned),
            extent: extent.map(str::to_owned),
            wage_subsidy: outcome.is_some_and(|o| o == "employment").then_some(subsidy),
            exits: n,
            enrolled_exits: n,
            participation_days: 100 * n,
        }
    }

    fn tally() -> GroupTally {
        GroupTally {
            enrolled: 12,
            active: 20,
            exits: vec![
                exit(Some("employment"), Some("permanent"), Some("full_time"), false, 5),
                exit(Some("employment"), Some("fixed_term"), Some("full_time"), true, 2),
                exit(Some("studies"), None, None, false, 5),
            ],
            plans: PlanTally {
                approved: 10,
                median_days_to_approval: Some(4.5),
                due: 11,
                on_time: 8,
            },
            follow_up_2_months: FollowUpTally {
                followed_up: 6,
                self_supporting: 5,
            },
            follow_up_8_months: FollowUpTally {
                followed_up: 2,
                self_supporting: 2,
            },
            referrals_sent: 15,
            declined_by_reason: vec![("no_capacity".into(), 3), ("other".into(), 2)],
            referrals_to_other_centres: 6,
            referrals_from_other_centres: 2,
            delivered_minutes: 60 * 47,
            persons_in_activities: 7,
            paid_ore: 6_000_000,
            persons_paid_for: 6,
            absence_reports: 9,
            absent_minutes: 4 * MINUTES_PER_DAY,
            persons_absent: 5,
            planned_days: 160,
        }
    }

    fn cell<T: Copy>(cells: &[(&'static str, Figure<T>)], code: &str) -> Figure<T> {
        cells.iter().find(|(c, _)| *c == code).unwrap().1
    }

    #[test]
    fn figures_from_a_tally() {
        let figures = KeyFigures::from_tally(&tally());
        assert_eq!(figures.exits, Figure::shown(12));
        assert_eq!(cell(&figures.exits_by_outcome, "employment"), Figure::shown(7));
        assert_eq!(cell(&figures.exits_by_outcome, "studies"), Figure::shown(5));
        assert_eq!(cell(&figures.exits_by_outcome, "deceased"), Figure::shown(0));
        assert_eq!(figures.exits_by_outcome.len(), ExitOutcome::ALL.len());
        assert_eq!(cell(&figures.work_by_extent, "full_time"), Figure::shown(7));
        assert_eq!(figures.work_with_wage_subsidy, Figure::suppressed());
        assert_eq!(figures.share_to_work, Figure::shown(0.5833));
        assert_eq!(figures.share_to_studies, Figure::shown(0.4167));
        assert_eq!(figures.share_without_coded_outcome, Figure::shown(0.0));
        assert_eq!(figures.mean_participation_days, Figure::shown(100.0));
        assert_eq!(figures.median_days_to_approved_plan, Figure::shown(4.5));
        assert_eq!(figures.share_plans_on_time, Figure::shown(0.7273));
        assert_eq!(figures.self_supporting_after_2_months, Figure::shown(0.8333));
        assert_eq!(figures.self_supporting_after_8_months, Figure::suppressed());
        assert_eq!(figures.referrals_declined, Figure::shown(5));
        assert_eq!(figures.referrals_to_other_centres, Figure::shown(6));
        assert_eq!(figures.referrals_from_other_centres, Figure::suppressed());
        assert_eq!(figures.share_referrals_declined, Figure::shown(0.3333));
        // Two hidden reasons hold five referrals together: the others can stay.
        assert_eq!(
            cell(&figures.referrals_declined_by_reason, "no_capacity"),
            Figure::suppressed()
        );
        assert_eq!(
            cell(&figures.referrals_declined_by_reason, "other"),
            Figure::suppressed()
        );
        assert_eq!(
            cell(&figures.referrals_declined_by_reason, "not_eligible"),
            Figure::shown(0)
        );
        assert_eq!(figures.activity_hours_per_participant, Figure::shown(6.71));
        // Four days absent of 160 planned; nine reports about five persons.
        assert_eq!(figures.attendance_share, Figure::shown(0.975));
        assert_eq!(figures.absences_reported, Figure::shown(9));
        assert_eq!(figures.payments_ore, Figure::shown(6_000_000));
        assert_eq!(figures.cost_per_participant_ore, Figure::shown(300_000.0));
        assert_eq!(figures.cost_per_participant_in_work_ore, Figure::shown(857_142.86));
    }

    #[test]
    fn a_hidden_cell_cannot_be_worked_out_from_the_total() {
        // 7 in work: 5 permanent, 2 fixed-term. Shown permanent would give fixed-term away.
        let figures = KeyFigures::from_tally(&tally());
        assert_eq!(
            cell(&figures.work_by_employment_form, "fixed_term"),
            Figure::suppressed()
        );
        assert_eq!(
            cell(&figures.work_by_employment_form, "permanent"),
            Figure::suppressed()
        );
        assert_eq!(cell(&figures.work_by_employment_form, "hourly"), Figure::shown(0));

        // 6 exits: 5 to work and 1 to studies. Showing work would give studies away; hiding
        // work hides its share, its breakdowns and the cost per person in work too.
        let mut few = tally();
        few.exits = vec![
            exit(Some("employment"), Some("permanent"), Some("full_time"), false, 5),
            exit(Some("studies"), None, None, false, 1),
        ];
        let figures = KeyFigures::from_tally(&few);
        assert_eq!(figures.exits, Figure::shown(6));
        assert_eq!(cell(&figures.exits_by_outcome, "employment"), Figure::suppressed());
        assert_eq!(cell(&figures.exits_by_outcome, "studies"), Figure::suppressed());
        assert_eq!(cell(&figures.exits_by_outcome, "moved"), Figure::shown(0));
        assert_eq!(figures.share_to_work, Figure::suppressed());
        assert_eq!(cell(&figures.work_by_extent, "full_time"), Figure::suppressed());
        assert_eq!(cell(&figures.work_by_extent, "part_time"), Figure::shown(0));
        assert_eq!(figures.cost_per_participant_in_work_ore, Figure::suppressed());
        assert_eq!(figures.share_without_coded_outcome, Figure::shown(0.0));
    }

    #[test]
    fn an_exit_without_outcome_shows_in_its_share_and_money_for_few_is_hidden() {
        let mut tally = tally();
        tally.exits.push(exit(None, None, None, false, 5));
        tally.persons_paid_for = 3;
        let figures = KeyFigures::from_tally(&tally);
        assert_eq!(figures.share_without_coded_outcome, Figure::shown(0.2941));
        assert_eq!(
            figures.exits_by_outcome.len(),
            ExitOutcome::ALL.len(),
            "not a published cell"
        );
        assert_eq!(figures.payments_ore, Figure::suppressed());
        assert_eq!(figures.cost_per_participant_ore, Figure::suppressed());
        assert_eq!(figures.cost_per_participant_in_work_ore, Figure::suppressed());

        // Two exits without an outcome: hidden, and so is every outcome they hide among.
        let mut two = self::tally();
        two.exits.push(exit(None, None, None, false, 2));
        let figures = KeyFigures::from_tally(&two);
        assert_eq!(figures.share_without_coded_outcome, Figure::suppressed());
        assert_eq!(cell(&figures.exits_by_outcome, "employment"), Figure::suppressed());
    }

    #[test]
    fn an_empty_group_has_zero_counts_and_nothing_to_divide() {
        let figures = KeyFigures::from_tally(&GroupTally::default());
        assert_eq!(figures.participants_enrolled, Figure::shown(0));
        assert_eq!(figures.share_to_work, Figure::empty());
        assert_eq!(figures.median_days_to_approved_plan, Figure::empty());
        assert_eq!(figures.cost_per_participant_ore, Figure::empty());
    }
}
