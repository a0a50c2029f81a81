//! A participant in one PostgreSQL statement: the person with its periods (each with its
//! target groups), interruptions and follow-ups aggregated as JSON, and the scope checked in
//! the same statement. One round trip instead of four, and one snapshot without a transaction.

use diesel::pg::PgConnection;
use diesel::sql_types::{Bool, Nullable, Text};
use diesel::{sql_query, QueryableByName, RunQueryDsl};
use domain::access::ListScope;
use serde::Deserialize;

use super::participant::{scope_filter, StoredParticipant};
use crate::error::RepoError;
use crate::rows::participant::{FollowUpRow, InterruptionRow, PeriodRow};

/// In the orders the four-statement read gives (see `fetch_in_statements`).
const PARTICIPANT: &str = "SELECT row_to_json(pa)::text AS person,
    (SELECT json_agg(x ORDER BY x.referred_on, x.created_at, x.id)::text
       FROM (SELECT pp.*, ARRAY(SELECT g.target_group_code FROM period_target_groups g
                                WHERE g.period_id = pp.id ORDER BY g.target_group_code) AS target_groups
             FROM participation_periods pp WHERE pp.participant_id = pa.id) x) AS periods,
    (SELECT json_agg(i ORDER BY i.started_on, i.id)::text FROM interruptions i
      WHERE i.participant_id = pa.id) AS interruptions,
    (SELECT json_agg(f ORDER BY f.followed_up_on, f.id)::text FROM follow_ups f
      WHERE f.participant_id = pa.id) AS follow_ups
  FROM participants pa
  WHERE pa.id = $1 AND ($2 OR EXISTS (
    SELECT 1 FROM participation_periods c
    WHERE c.participant_id = pa.id AND c.is_current AND $3
      AND ($4 IS NULL OR c.job_centre_code = $4) AND ($5 IS NULL OR c.district_code = $5)))";

#[derive(QueryableByName)]
struct ParticipantJson {
    #[diesel(sql_type = Text)]
    person: String,
    #[diesel(sql_type = Nullable<Text>)]
    periods: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    interruptions: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    follow_ups: Option<String>,
}

#[derive(Deserialize)]
struct PeriodJson {
    #[serde(flatten)]
    row: PeriodRow,
    target_groups: Vec<String>,
}

/// The stored participant; with a scope, `NotFound` unless its current period lies inside it.
pub(super) fn fetch(conn: &mut PgConnection, id: &str, scope: Option<&ListScope>) -> Result<StoredParticipant, RepoError> {
    let (reaches, (jobbtorg, district)) = match scope.map(scope_filter) {
        None => (true, (None, None)),
        Some(None) => (false, (None, None)),
        Some(Some(filter)) => (true, filter),
    };
    let found: ParticipantJson = sql_query(PARTICIPANT)
        .bind::<Text, _>(id)
        .bind::<Bool, _>(scope.is_none())
        .bind::<Bool, _>(reaches)
        .bind::<Nullable<Text>, _>(jobbtorg)
        .bind::<Nullable<Text>, _>(district)
        .get_result(conn)?;
    let periods: Vec<PeriodJson> = parse(found.periods.as_deref())?;
    Ok(StoredParticipant {
        person: serde_json::from_str(&found.person).map_err(unreadable)?,
        periods: periods.into_iter().map(|p| (p.row, p.target_groups)).collect(),
        interruptions: parse::<InterruptionRow>(found.interruptions.as_deref())?,
        follow_ups: parse::<FollowUpRow>(found.follow_ups.as_deref())?,
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

