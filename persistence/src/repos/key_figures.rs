//! Key figures, counted by aggregate SQL in the database: one grouped query per family of
//! figures, no participant row ever leaves the database (the attendance share reads the
//! activities' start and end dates with their group, nothing else, to count working days). The SQL is written once; only the
//! parameter markers and date arithmetic differ between the backends.

use chrono::NaiveDate;
use diesel::connection::SimpleConnection;
use diesel::pg::Pg;
use diesel::sql_types::{BigInt, Bool, Date, Double, Integer, Nullable, Text, Timestamp};
use diesel::sqlite::Sqlite;
use diesel::{sql_query, QueryableByName, RunQueryDsl};
use domain::report::{ExitTally, FollowUpTally, GroupBy, GroupTally};
use std::collections::BTreeMap;

use crate::{DbConnection, RepoError};

/// The period, the breakdown and, for a job centre's manager, the one centre to count.
#[derive(Debug, Clone)]
pub struct KeyFigureQuery {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Plans not approved by their deadline count as late only once the deadline has passed.
    pub today: NaiveDate,
    pub group_by: GroupBy,
    pub job_centre: Option<String>,
}

/// One group's tallies with the name to show for it.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupTallies {
    pub key: String,
    pub label: String,
    pub tally: GroupTally,
}

pub struct KeyFigureRepo;

impl KeyFigureRepo {
    /// The tallies of each group, and of everyone in scope together (a person in two target
    /// groups is counted once there).
    pub fn tallies(
        conn: &mut DbConnection,
        query: &KeyFigureQuery,
    ) -> Result<(Vec<GroupTallies>, GroupTally), RepoError> {
        // One snapshot, so the figures agree with each other.
        crate::tx::read(conn, |conn| Self::tallies_in_snapshot(conn, query))
    }

    fn tallies_in_snapshot(
        conn: &mut DbConnection,
        query: &KeyFigureQuery,
    ) -> Result<(Vec<GroupTallies>, GroupTally), RepoError> {
        if let DbConnection::Postgresql(pg) = conn {
            // The distinct person counts sort tens of thousands of ids: in memory, not on disk.
            pg.batch_execute("SET LOCAL work_mem = '32MB'")?;
        }
        let mut groups = tally_by(conn, query, Some(query.group_by))?;
        let total = tally_by(conn, query, None)?.remove(TOTAL_KEY).unwrap_or_default();
        let mut rows = Vec::new();
        for (key, label) in dimension(conn, query)? {
            let tally = groups.remove(&key);
            // Every job centre and target group has a row; a provider only when it has data.
            if tally.is_some() || query.group_by != GroupBy::Provider {
                rows.push(GroupTallies {
                    key,
                    label,
                    tally: tally.unwrap_or_default(),
                });
            }
        }
        Ok((rows, total))
    }
}

const TOTAL_KEY: &str = "total";

/// How periods and referrals fall into groups: a join (if any) and the key expression, filled
/// into the queries' `{pg}`/`{pk}` (periods, alias `p`) and `{rg}`/`{rk}` (referrals, alias
/// `r`). `None` puts everything in one group. Grouping by an expression of the row itself needs
/// no join, which keeps the per-centre and total queries to one scan.
struct Grouping {
    period_join: &'static str,
    period_key: &'static str,
    referral_join: &'static str,
    referral_key: &'static str,
    /// The key of a referral where it is delivered (alias `d`: its `referral_deliveries` row).
    delivery_key: &'static str,
}

fn grouping(group_by: Option<GroupBy>) -> Grouping {
    match group_by {
        Some(GroupBy::Jobbtorg) => Grouping {
            period_join: "",
            period_key: "p.job_centre_code",
            referral_join: "",
            referral_key: "r.job_centre_code",
            delivery_key: "d.job_centre_code",
        },
        Some(GroupBy::TargetGroup) => Grouping {
            period_join: "JOIN period_target_groups g ON g.period_id = p.id",
            period_key: "g.target_group_code",
            referral_join: "JOIN period_target_groups g ON g.period_id = r.period_id",
            referral_key: "g.target_group_code",
            delivery_key: "g.target_group_code",
        },
        // A participation belongs to each provider the participant started an activity with.
        Some(GroupBy::Provider) => Grouping {
            period_join: "JOIN (SELECT DISTINCT period_id, provider_id FROM referrals WHERE started_on IS NOT NULL) g \
                          ON g.period_id = p.id",
            period_key: "g.provider_id",
            referral_join: "",
            referral_key: "r.provider_id",
            delivery_key: "r.provider_id",
        },
        None => Grouping {
            period_join: "",
            period_key: "'total'",
            referral_join: "",
            referral_key: "'total'",
            delivery_key: "'total'",
        },
    }
}

impl Grouping {
    fn fill(&self, body: &str) -> String {
        body.replace("{pg}", self.period_join)
            .replace("{pk}", self.period_key)
            .replace("{rg}", self.referral_join)
            .replace("{rk}", self.referral_key)
            .replace("{dk}", self.delivery_key)
            .replace("{dc}", "({centre} IS NULL OR d.job_centre_code = {centre})")
            .replace("{pc}", "({centre} IS NULL OR p.job_centre_code = {centre})")
            .replace("{rc}", "({centre} IS NULL OR r.job_centre_code = {centre})")
    }
}

// Grouped by column position: PostgreSQL refuses a constant (the total's key) in GROUP BY.
const PERSONS: &str = "SELECT {pk} AS group_key,
    COUNT(DISTINCT CASE WHEN p.enrolled_on BETWEEN {from} AND {to} THEN p.participant_id END{bytes}) AS enrolled,
    COUNT(DISTINCT p.participant_id{bytes}) AS active
  FROM participation_periods p {pg}
  WHERE {pc} AND p.enrolled_on <= {to} AND (p.exited_on IS NULL OR p.exited_on >= {from})
  GROUP BY 1";

const EXITS: &str =
    "SELECT {pk} AS group_key, p.exit_outcome, p.exit_employment_form, p.exit_extent, p.exit_wage_subsidy,
    COUNT(*) AS exits, COUNT(p.enrolled_on) AS enrolled_exits,
    CAST(COALESCE(SUM(DAYS(p.exited_on, p.enrolled_on)), 0) AS BIGINT) AS participation_days
  FROM participation_periods p {pg}
  WHERE {pc} AND p.exited_on BETWEEN {from} AND {to}
  GROUP BY 1, 2, 3, 4, 5";

const PLANS: &str = "SELECT {pk} AS group_key, COUNT(p.plan_approved_on) AS approved,
    COALESCE(SUM(CASE WHEN p.plan_approved_on IS NOT NULL OR p.plan_due_on < {today} THEN 1 ELSE 0 END), 0) AS due,
    COALESCE(SUM(CASE WHEN p.plan_approved_on <= p.plan_due_on THEN 1 ELSE 0 END), 0) AS on_time
  FROM participation_periods p {pg}
  WHERE {pc} AND p.enrolled_on BETWEEN {from} AND {to}
  GROUP BY 1";

/// The median by row numbers, which both backends have: the middle row, or the mean of the two.
const PLAN_MEDIANS: &str = ", plan_days AS (
    SELECT {pk} AS group_key, DAYS(p.plan_approved_on, p.enrolled_on) AS days
    FROM participation_periods p {pg}
    WHERE {pc} AND p.enrolled_on BETWEEN {from} AND {to} AND p.plan_approved_on IS NOT NULL),
  ranked AS (
    SELECT group_key, days, ROW_NUMBER() OVER (PARTITION BY group_key ORDER BY days) AS n,
      COUNT(*) OVER (PARTITION BY group_key) AS total
    FROM plan_days)
  SELECT group_key, CAST(AVG(days) AS DOUBLE PRECISION) AS median_days
  FROM ranked WHERE n IN ((total + 1) / 2, (total + 2) / 2)
  GROUP BY group_key";

const FOLLOW_UPS: &str = "SELECT {pk} AS group_key, f.months, COUNT(*) AS followed_up,
    COALESCE(SUM(CASE WHEN f.self_supporting THEN 1 ELSE 0 END), 0) AS self_supporting
  FROM follow_ups f JOIN participation_periods p ON p.id = f.period_id {pg}
  WHERE {pc} AND p.exited_on BETWEEN {from} AND {to}
  GROUP BY 1, 2";

const REFERRALS: &str =
    "SELECT {rk} AS group_key, CASE WHEN r.status = 'declined' THEN r.decline_reason END AS decline_reason,
    COUNT(*) AS referrals
  FROM referrals r {rg}
  WHERE {rc} AND r.created_at >= {from_ts} AND r.created_at < {to_ts}
  GROUP BY 1, 2";

/// Referrals to another job centre's services: counted where the case is (`to`) and where it
/// is delivered (`from`), so each centre's manager sees both sides.
const CROSS_CENTRE: &str = "SELECT {rk} AS group_key, 'to' AS side, COUNT(*) AS referrals
  FROM referrals r JOIN referral_deliveries d ON d.referral_id = r.id {rg}
  WHERE {rc} AND r.created_at >= {from_ts} AND r.created_at < {to_ts}
  GROUP BY 1
  UNION ALL
  SELECT {dk} AS group_key, 'from' AS side, COUNT(*) AS referrals
  FROM referrals r JOIN referral_deliveries d ON d.referral_id = r.id {rg}
  WHERE {dc} AND r.created_at >= {from_ts} AND r.created_at < {to_ts}
  GROUP BY 1";

/// Hours over everyone in an activity in the period, so a participant left without hours
/// (parked) lowers the figure.
const HOURS: &str = "SELECT {rk} AS group_key, CAST(COALESCE(SUM(l.minutes), 0) AS BIGINT) AS minutes,
    COUNT(DISTINCT r.participant_id{bytes}) AS persons
  FROM referrals r {rg}
    LEFT JOIN (SELECT pl.referral_id, SUM(pl.attended_minutes) AS minutes FROM progress_lines pl
      WHERE pl.line_date BETWEEN {from} AND {to} GROUP BY pl.referral_id) l ON l.referral_id = r.id
  WHERE {rc} AND r.started_on <= {to} AND (r.ended_on IS NULL OR r.ended_on >= {from})
  GROUP BY 1";

/// Absence reports on referrals for days in the period; a whole day counts a full day's
/// minutes (480, `domain::report::MINUTES_PER_DAY`), hours (`HH:MM` to `HH:MM`) as they are,
/// up to a day.
const ABSENCES: &str = "SELECT {rk} AS group_key, COUNT(*) AS reports,
    CAST(COALESCE(SUM(CASE WHEN a.minutes IS NULL OR a.minutes > 480 THEN 480 ELSE a.minutes END), 0) AS BIGINT)
      AS minutes,
    COUNT(DISTINCT r.participant_id{bytes}) AS persons
  FROM (SELECT referral_id, absent_on,
          (CAST(SUBSTR(to_time, 1, 2) AS INTEGER) * 60 + CAST(SUBSTR(to_time, 4, 2) AS INTEGER))
          - (CAST(SUBSTR(from_time, 1, 2) AS INTEGER) * 60 + CAST(SUBSTR(from_time, 4, 2) AS INTEGER)) AS minutes
        FROM absences) a
    JOIN referrals r ON r.id = a.referral_id {rg}
  WHERE {rc} AND a.absent_on BETWEEN {from} AND {to}
  GROUP BY 1";

/// The activities in progress in the period: their dates only, for the working days they were
/// planned for (counted in the domain, which knows the public holidays).
const ACTIVITY_DAYS: &str = "SELECT {rk} AS group_key, r.started_on, r.ended_on
  FROM referrals r {rg}
  WHERE {rc} AND r.started_on <= {to} AND (r.ended_on IS NULL OR r.ended_on >= {from})";

const PAYMENTS: &str = "SELECT {rk} AS group_key, CAST(SUM(c.amount_ore) AS BIGINT) AS paid_ore,
    COUNT(DISTINCT r.participant_id{bytes}) AS persons
  FROM claims c JOIN referrals r ON r.id = c.referral_id {rg}
  WHERE {rc} AND c.status = 'paid' AND c.paid_on BETWEEN {from} AND {to}
  GROUP BY 1";

fn tally_by(
    conn: &mut DbConnection,
    query: &KeyFigureQuery,
    group_by: Option<GroupBy>,
) -> Result<BTreeMap<String, GroupTally>, RepoError> {
    let grouping = grouping(group_by);
    let mut tallies: BTreeMap<String, GroupTally> = BTreeMap::new();

    for row in run::<PersonsRow>(conn, query, &grouping, PERSONS)? {
        let tally = tallies.entry(row.group_key).or_default();
        tally.enrolled = row.enrolled;
        tally.active = row.active;
    }
    for row in run::<ExitRow>(conn, query, &grouping, EXITS)? {
        tallies.entry(row.group_key).or_default().exits.push(ExitTally {
            outcome: row.exit_outcome,
            employment_form: row.exit_employment_form,
            extent: row.exit_extent,
            wage_subsidy: row.exit_wage_subsidy,
            exits: row.exits,
            enrolled_exits: row.enrolled_exits,
            participation_days: row.participation_days,
        });
    }
    for row in run::<PlanRow>(conn, query, &grouping, PLANS)? {
        let plans = &mut tallies.entry(row.group_key).or_default().plans;
        plans.approved = row.approved;
        plans.due = row.due;
        plans.on_time = row.on_time;
    }
    for row in run::<MedianRow>(conn, query, &grouping, PLAN_MEDIANS)? {
        tallies.entry(row.group_key).or_default().plans.median_days_to_approval = Some(row.median_days);
    }
    for row in run::<FollowUpRow>(conn, query, &grouping, FOLLOW_UPS)? {
        let follow_up = FollowUpTally {
            followed_up: row.followed_up,
            self_supporting: row.self_supporting,
        };
        let tally = tallies.entry(row.group_key).or_default();
        match row.months {
            2 => tally.follow_up_2_months = follow_up,
            _ => tally.follow_up_8_months = follow_up,
        }
    }
    for row in run::<ReferralCountRow>(conn, query, &grouping, REFERRALS)? {
        let tally = tallies.entry(row.group_key).or_default();
        tally.referrals_sent += row.referrals;
        if let Some(reason) = row.decline_reason {
            tally.declined_by_reason.push((reason, row.referrals));
        }
    }
    for row in run::<CrossCentreRow>(conn, query, &grouping, CROSS_CENTRE)? {
        let tally = tallies.entry(row.group_key).or_default();
        match row.side.as_str() {
            "to" => tally.referrals_to_other_centres += row.referrals,
            _ => tally.referrals_from_other_centres += row.referrals,
        }
    }
    for row in run::<HoursRow>(conn, query, &grouping, HOURS)? {
        let tally = tallies.entry(row.group_key).or_default();
        tally.delivered_minutes = row.minutes;
        tally.persons_in_activities = row.persons;
    }
    for row in run::<AbsenceRow>(conn, query, &grouping, ABSENCES)? {
        let tally = tallies.entry(row.group_key).or_default();
        tally.absence_reports = row.reports;
        tally.absent_minutes = row.minutes;
        tally.persons_absent = row.persons;
    }
    for row in run::<ActivityDaysRow>(conn, query, &grouping, ACTIVITY_DAYS)? {
        tallies.entry(row.group_key).or_default().planned_days +=
            domain::report::activity_working_days(row.started_on, row.ended_on, (query.from, query.to), query.today);
    }
    for row in run::<PaymentRow>(conn, query, &grouping, PAYMENTS)? {
        let tally = tallies.entry(row.group_key).or_default();
        tally.paid_ore = row.paid_ore;
        tally.persons_paid_for = row.persons;
    }
    Ok(tallies)
}

/// Runs one figure query: the parameters, the grouping and the body, with this backend's
/// markers and date arithmetic.
fn run<R>(conn: &mut DbConnection, query: &KeyFigureQuery, grouping: &Grouping, body: &str) -> Result<Vec<R>, RepoError>
where
    R: QueryableByName<Pg> + QueryableByName<Sqlite> + 'static,
{
    // The parameters go straight into the conditions (not through the parameters CTE joined to
    // every row), so the planner sees them: it estimates the rows, sorts in memory and can use
    // the date indexes. The CTE stays, unjoined, to name all six for every query. A body that
    // opens with a comma adds CTEs of its own before its SELECT.
    let joiner = if body.starts_with(',') { "" } else { " " };
    let sql = |marker: &dyn Fn(usize) -> String, days: &dyn Fn(&str, &str) -> String, bytes: &str| {
        let params = format!(
            "WITH params AS (SELECT {} AS date_from, {} AS date_to, {} AS today, {} AS from_ts, {} AS to_ts, {} AS centre)",
            marker(1),
            marker(2),
            marker(3),
            marker(4),
            marker(5),
            marker(6)
        );
        let body = grouping
            .fill(body)
            .replace("{from}", &marker(1))
            .replace("{to}", &marker(2))
            .replace("{today}", &marker(3))
            .replace("{from_ts}", &marker(4))
            .replace("{to_ts}", &marker(5))
            .replace("{centre}", &marker(6))
            .replace("{bytes}", bytes);
        format!("{params}{joiner}{}", with_days(&body, days))
    };
    let rows = match conn {
        DbConnection::Postgresql(pg) => {
            // Ids are compared as bytes for the distinct counts: sorting them by the database's
            // locale halves the heaviest queries, and their order does not matter.
            let sql = sql(
                &|n| format!("${n}"),
                &|later, earlier| format!("({later} - {earlier})"),
                " COLLATE \"C\"",
            );
            bind_params!(sql_query(sql), query).load::<R>(pg)?
        }
        DbConnection::Sqlite(lite) => {
            let sql = sql(
                &|n| format!("?{n}"),
                &|later, earlier| format!("CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"),
                "",
            );
            bind_params!(sql_query(sql), query).load::<R>(lite)?
        }
    };
    Ok(rows)
}

/// Binds the six parameters of `params`, in marker order.
macro_rules! bind_params {
    ($sql:expr, $query:expr) => {{
        let day_start = |date: NaiveDate| date.and_hms_opt(0, 0, 0).unwrap_or_default();
        let after_to = $query.to.succ_opt().unwrap_or($query.to);
        $sql.bind::<Date, _>($query.from)
            .bind::<Date, _>($query.to)
            .bind::<Date, _>($query.today)
            .bind::<Timestamp, _>(day_start($query.from))
            .bind::<Timestamp, _>(day_start(after_to))
            .bind::<Nullable<Text>, _>($query.job_centre.clone())
    }};
}
use bind_params;

/// Replaces each `DAYS(later, earlier)` with the backend's days between two dates.
fn with_days(body: &str, days: &dyn Fn(&str, &str) -> String) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = rest.find("DAYS(") {
        out.push_str(&rest[..start]);
        let args_start = start + "DAYS(".len();
        let Some(len) = rest[args_start..].find(')') else { break };
        let args = &rest[args_start..args_start + len];
        let (later, earlier) = args.split_once(',').unwrap_or((args, args));
        out.push_str(&days(later.trim(), earlier.trim()));
        rest = &rest[args_start + len + 1..];
    }
    out.push_str(rest);
    out
}

/// Keys and names of the groups, in the order to show them.
fn dimension(conn: &mut DbConnection, query: &KeyFigureQuery) -> Result<Vec<(String, String)>, RepoError> {
    let sql = match query.group_by {
        GroupBy::Jobbtorg => "SELECT code AS key, name AS label FROM job_centres ORDER BY sort_order",
        GroupBy::TargetGroup => "SELECT code AS key, name AS label FROM target_groups ORDER BY sort_order",
        GroupBy::Provider => "SELECT id AS key, name AS label FROM providers ORDER BY name, id",
    };
    let rows = sql_query(sql).load::<LabelRow>(conn)?;
    Ok(rows
        .into_iter()
        .filter(|row| {
            query.group_by != GroupBy::Jobbtorg || query.job_centre.as_ref().is_none_or(|own| *own == row.key)
        })
        .map(|row| (row.key, row.label))
        .collect())
}

#[derive(QueryableByName)]
struct LabelRow {
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = Text)]
    label: String,
}

#[derive(QueryableByName)]
struct PersonsRow {
    #[diesel(sql_type = Text)]
    group_key: String,
    #[diesel(sql_type = BigInt)]
    enrolled: i64,
    #[diesel(sql_type = BigInt)]
    active: i64,
}

#[derive(QueryableByName)]
struct ExitRow {
    #[diesel(sql_type = Text)]
    group_key: String,
    #[diesel(sql_type = Nullable<Text>)]
    exit_outcome: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    exit_employment_form: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    exit_extent: Option<String>,
    #[diesel(sql_type = Nullable<Bool>)]
    exit_wage_subsidy: Option<bool>,
    #[diesel(sql_type = BigInt)]
    exits: i64,
    #[diesel(sql_type = BigInt)]
    enrolled_exits: i64,
    #[diesel(sql_type = BigInt)]
    participation_days: i64,
}

#[derive(QueryableByName)]
struct PlanRow {
    #[diesel(sql_type = Text)]
    group_key: String,
    #[diesel(sql_type = BigInt)]
    approved: i64,
    #[diesel(sql_type = BigInt)]
    due: i64,
    #[diesel(sql_type = BigInt)]
    on_time: i64,
}

#[derive(QueryableByName)]
struct MedianRow {
    #[diesel(sql_type = Text)]
    group_key: String,
    #[diesel(sql_type = Double)]
    median_days: f64,
}

#[derive(QueryableByName)]
struct FollowUpRow {
    #[diesel(sql_type = Text)]
    group_key: String,
    #[diesel(sql_type = Integer)]
    months: i32,
    #[diesel(sql_type = BigInt)]
    followed_up: i64,
    #[diesel(sql_type = BigInt)]
    self_supporting: i64,
}

#[derive(QueryableByName)]
struct ReferralCountRow {
    #[diesel(sql_type = Text)]
    group_key: String,
    #[diesel(sql_type = Nullable<Text>)]
    decline_reason: Option<String>,
    #[diesel(sql_type = BigInt)]
    referrals: i64,
}

#[derive(QueryableByName)]
struct CrossCentreRow {
    #[diesel(sql_type = Text)]
    group_key: String,
    #[diesel(sql_type = Text)]
    side: String,
    #[diesel(sql_type = BigInt)]
    referrals: i64,
}

#[derive(QueryableByName)]
struct HoursRow {
    #[diesel(sql_type = Text)]
    group_key: String,
    #[diesel(sql_type = BigInt)]
    minutes: i64,
    #[diesel(sql_type = BigInt)]
    persons: i64,
}

#[derive(QueryableByName)]
struct AbsenceRow {
    #[diesel(sql_type = Text)]
    group_key: String,
    #[diesel(sql_type = BigInt)]
    reports: i64,
    #[diesel(sql_type = BigInt)]
    minutes: i64,
    #[diesel(sql_type = BigInt)]
    persons: i64,
}

#[derive(QueryableByName)]
struct ActivityDaysRow {
    #[diesel(sql_type = Text)]
    group_key: String,
    #[diesel(sql_type = Date)]
    started_on: NaiveDate,
    #[diesel(sql_type = Nullable<Date>)]
    ended_on: Option<NaiveDate>,
}

#[derive(QueryableByName)]
struct PaymentRow {
    #[diesel(sql_type = Text)]
    group_key: String,
    #[diesel(sql_type = BigInt)]
    paid_ore: i64,
    #[diesel(sql_type = BigInt)]
    persons: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_written_per_backend() {
        let pg = with_days("SUM(DAYS(p.a, p.b)) + DAYS(x, y)", &|l, e| format!("({l} - {e})"));
        assert_eq!(pg, "SUM((p.a - p.b)) + (x - y)");
    }
}
