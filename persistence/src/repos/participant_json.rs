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
  WHERE pa.anonymised_at IS NULL AND pa.id = ",
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

#[cfg(test)]
mod tests {
    use diesel::connection::SimpleConnection;
    use diesel::{Connection, PgConnection};
    use domain::access::ListScope;
    use domain::shared::Code;

    use super::fetch;
    use crate::migrations;
    use crate::pool::DbConnection;
    use crate::repos::participant::fetch_in_statements;

    const PERSON_ID: &str = "00000000-0000-7000-8000-000000000001";

    /// A person with an earlier, exited period (one target group, a follow-up) and a current one
    /// (two groups, an interruption): every part the two reads assemble.
    const PERSON: &str = "
        INSERT INTO participants VALUES ('00000000-0000-7000-8000-000000000001', '198112189876', 'Anna', 'Berg', '1981-12-18', '070-1', NULL,
            'Gatan 1', '163 73', 'Spånga', 'Somali', false, 'P-1', 3, '2026-01-01 10:00', '2026-06-01 10:00');
        INSERT INTO participation_periods (id, participant_id, is_current, status, district_code, job_centre_code,
            referral_reason, requested_start, referred_on, referred_by, enrolled_on, coach_subject, plan_due_on,
            plan_approved_on, exited_on, exit_outcome, created_at)
        VALUES ('00000000-0000-7000-8000-000000000002', '00000000-0000-7000-8000-000000000001', false, 'exited', 'rinkeby-kista', 'jarva', 'First.', '2025-01-02', '2025-01-02', 'o',
                '2025-01-03', 'coach-a', '2025-01-10', '2025-01-09', '2025-06-30', 'studies', '2025-01-02 09:00'),
               ('00000000-0000-7000-8000-000000000003', '00000000-0000-7000-8000-000000000001', true, 'interrupted', 'rinkeby-kista', 'jarva', 'Again.', '2026-01-02', '2026-01-02', 'o',
                '2026-01-05', 'coach-b', '2026-01-12', NULL, NULL, NULL, '2026-01-02 09:00');
        INSERT INTO period_target_groups VALUES ('00000000-0000-7000-8000-000000000002', 'sfi_student'), ('00000000-0000-7000-8000-000000000003', 'social_assistance_unemployed'),
            ('00000000-0000-7000-8000-000000000003', 'sfi_student');
        INSERT INTO interruptions VALUES ('00000000-0000-7000-8000-000000000004', '00000000-0000-7000-8000-000000000003', '00000000-0000-7000-8000-000000000001', 'sickness', '2026-03-01', NULL, 'Ill.');
        INSERT INTO follow_ups VALUES ('00000000-0000-7000-8000-000000000005', '00000000-0000-7000-8000-000000000002', '00000000-0000-7000-8000-000000000001', 2, '2025-08-30', true, 'permanent', 'full_time', false,
            NULL, '2025-08-30 12:00');";

    /// Needs PostgreSQL (TEST_DATABASE_URL, as `make test` sets it): skipped, loudly, when none
    /// answers outside CI; in CI that is a failure.
    #[test]
    fn the_one_statement_reads_what_the_four_statements_read() -> Result<(), Box<dyn std::error::Error>> {
        // Unset is "none": an empty URL would let libpq connect by its own defaults.
        let admin = std::env::var("TEST_DATABASE_URL").unwrap_or_default();
        let reached = if admin.is_empty() {
            Err("TEST_DATABASE_URL is not set".into())
        } else {
            PgConnection::establish(&admin).map_err(Box::<dyn std::error::Error>::from)
        };
        let mut server = match reached {
            Ok(server) => server,
            Err(_) if std::env::var("CI").as_deref() != Ok("true") => {
                eprintln!("SKIPPED: no PostgreSQL at TEST_DATABASE_URL");
                return Ok(());
            }
            Err(error) => return Err(error),
        };
        let name = format!("json_read_{}", uuid::Uuid::now_v7().simple());
        server.batch_execute(&format!("CREATE DATABASE {name}"))?;
        let url = format!(
            "{}/{name}",
            admin.rsplit_once('/').map_or(admin.as_str(), |(base, _)| base)
        );
        let outcome = (|| -> Result<(), Box<dyn std::error::Error>> {
            let mut conn = DbConnection::Postgresql(PgConnection::establish(&url)?);
            migrations::run_pending(&mut conn)?;
            conn.batch_execute(PERSON)?;
            let code = |c: &str| Code::parse(c).map_err(|_| "bad code");
            let scopes = [
                None,
                Some(ListScope::Everything),
                Some(ListScope::Jobbtorg(code("jarva")?)),
                Some(ListScope::District(code("rinkeby-kista")?)),
                Some(ListScope::Jobbtorg(code("farsta")?)),
                Some(ListScope::District(code("farsta")?)),
                Some(ListScope::AnyProvider),
            ];
            for scope in &scopes {
                let in_statements = fetch_in_statements(&mut conn, PERSON_ID, scope.as_ref())
                    .and_then(|s| s.into_domain())
                    .map_err(|e| e.to_string());
                let DbConnection::Postgresql(pg) = &mut conn else {
                    return Err("not PostgreSQL".into());
                };
                let in_one = fetch(pg, PERSON_ID, scope.as_ref())
                    .and_then(|s| s.into_domain())
                    .map_err(|e| e.to_string());
                assert_eq!(in_one, in_statements, "scope {scope:?}");
            }
            let everything = fetch_in_statements(&mut conn, PERSON_ID, None)?.into_domain()?;
            assert_eq!(
                (
                    everything.earlier.len(),
                    everything.interruptions.len(),
                    everything.follow_ups.len()
                ),
                (1, 1, 1)
            );
            assert_eq!(everything.current.target_groups.len(), 2);
            Ok(())
        })();
        server.batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)"))?;
        outcome
    }
}
