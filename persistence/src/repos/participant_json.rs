//! A participant in one PostgreSQL statement: the person with its periods (each with its
//! target groups), interruptions and follow-ups aggregated as JSON, and the scope checked in
//! the same statement. One round trip instead of four, and one snapshot without a transaction.

use diesel::pg::{Pg, PgConnection};
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{Bool, Nullable, Text};
use diesel::{QueryResult, RunQueryDsl};
use domain::access::ListScope;
use serde::Deserialize;

use super::participant::{scope_filter, StoredParticipant};
use crate::error::RepoError;
use crate::rows::participant::{FollowUpRow, InterruptionRow, PeriodRow};

/// In the orders the four-statement read gives (see `fetch_in_statements`). Each parameter is
/// used once: the query binds them in this order.
const PARTICIPANT: [&str; 6] = [
    "SELECT row_to_json(pa)::text AS person,
    (SELECT json_agg(x ORDER BY x.referred_on, x.created_at, x.id)::text
       FROM (SELECT pp.*, ARRAY(SELECT g.target_group_code FROM period_target_groups g
                                WHERE g.period_id = pp.id ORDER BY g.target_group_code) AS target_groups
             FROM participation_periods pp WHERE pp.participant_id = pa.id) x) AS periods,
    (SELECT json_agg(i ORDER BY i.started_on, i.id)::text FROM interruptions i
      WHERE i.participant_id = pa.id) AS interruptions,
    (SELECT json_agg(f ORDER BY f.followed_up_on, f.id)::text FROM follow_ups f
      WHERE f.participant_id = pa.id) AS follow_ups
  FROM participants pa
  WHERE pa.id = ",
    " AND (",
    " OR EXISTS (SELECT 1 FROM participation_periods c WHERE c.participant_id = pa.id AND c.is_current AND ",
    " AND c.job_centre_code = COALESCE(",
    ", c.job_centre_code) AND c.district_code = COALESCE(",
    ", c.district_code)))",
];

/// The statement with its parameters. Unlike `sql_query`, whose text diesel cannot know to be
/// fixed, it is prepared once per connection and kept (cached by its SQL): a read is then one
/// bind and execute, not a parse and plan of five subqueries each time.
struct ParticipantStatement {
    id: String,
    unscoped: bool,
    reaches: bool,
    jobbtorg: Option<String>,
    district: Option<String>,
}

impl QueryFragment<Pg> for ParticipantStatement {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql(PARTICIPANT[0]);
        out.push_bind_param::<Text, _>(&self.id)?;
        out.push_sql(PARTICIPANT[1]);
        out.push_bind_param::<Bool, _>(&self.unscoped)?;
        out.push_sql(PARTICIPANT[2]);
        out.push_bind_param::<Bool, _>(&self.reaches)?;
        out.push_sql(PARTICIPANT[3]);
        out.push_bind_param::<Nullable<Text>, _>(&self.jobbtorg)?;
        out.push_sql(PARTICIPANT[4]);
        out.push_bind_param::<Nullable<Text>, _>(&self.district)?;
        out.push_sql(PARTICIPANT[5]);
        Ok(())
    }
}

impl QueryId for ParticipantStatement {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl Query for ParticipantStatement {
    type SqlType = (Text, Nullable<Text>, Nullable<Text>, Nullable<Text>);
}

impl RunQueryDsl<PgConnection> for ParticipantStatement {}

#[derive(Deserialize)]
struct PeriodJson {
    #[serde(flatten)]
    row: PeriodRow,
    target_groups: Vec<String>,
}

/// The stored participant; with a scope, `NotFound` unless its current period lies inside it.
pub(super) fn fetch(
    conn: &mut PgConnection,
    id: &str,
    scope: Option<&ListScope>,
) -> Result<StoredParticipant, RepoError> {
    let (reaches, (jobbtorg, district)) = match scope.map(scope_filter) {
        None => (true, (None, None)),
        Some(None) => (false, (None, None)),
        Some(Some(filter)) => (true, filter),
    };
    let (person, periods, interruptions, follow_ups): (String, Option<String>, Option<String>, Option<String>) =
        ParticipantStatement {
            id: id.to_owned(),
            unscoped: scope.is_none(),
            reaches,
            jobbtorg,
            district,
        }
        .get_result(conn)?;
    let periods: Vec<PeriodJson> = parse(periods.as_deref())?;
    Ok(StoredParticipant {
        person: serde_json::from_str(&person).map_err(unreadable)?,
        periods: periods.into_iter().map(|p| (p.row, p.target_groups)).collect(),
        interruptions: parse::<InterruptionRow>(interruptions.as_deref())?,
        follow_ups: parse::<FollowUpRow>(follow_ups.as_deref())?,
    })
}

/// A JSON array, or none at all (`json_agg` of no rows is NULL).
fn parse<T: for<'de> Deserialize<'de>>(json: Option<&str>) -> Result<Vec<T>, RepoError> {
    json.map_or(Ok(Vec::new()), |json| serde_json::from_str(json).map_err(unreadable))
}

/// Where, never what: the message of a JSON error can quote the personal data it met.
fn unreadable(error: serde_json::Error) -> RepoError {
    RepoError::Unexpected(format!(
        "a participant's stored rows did not read ({:?} error at line {}, column {})",
        error.classify(),
        error.line(),
        error.column()
    ))
}
