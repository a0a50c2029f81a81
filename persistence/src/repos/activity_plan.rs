//! Activity plans: stored whole (plan, activities, decisions) and written with history, audit
//! and event in the caller's transaction.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use domain::activity_plan::{Activity, ActivityPlan, ActivityStatus, Decision, DecisionKind, PlanStatus, ProviderKind};
use domain::participant::{changed_fields, Participant};
use uuid::Uuid;

use crate::audit::ActingContext;
use crate::error::RepoError;
use crate::events::EventScope;
use crate::journal::{self, Change};
use crate::pool::DbConnection;
use crate::rows::participant::stored_uuid;
use crate::rows::reference::stored_code;
use crate::schema::{activity_plans, participation_periods, plan_activities, plan_decisions};
use crate::versioned::{self, VersionedRow};

pub const ACTIVITY_PLAN: &str = "activity_plan";

#[derive(Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = activity_plans, treat_none_as_null = true)]
struct PlanRow {
    id: String,
    participant_id: String,
    period_id: String,
    plan_number: i32,
    status: String,
    valid_from: NaiveDate,
    valid_to: NaiveDate,
    goal: String,
    goal_ssyk: Option<String>,
    wishes: Option<String>,
    revision_of: Option<String>,
    version: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = plan_activities)]
struct ActivityRow {
    id: String,
    plan_id: String,
    position: i32,
    activity_type: String,
    description: String,
    provider_kind: String,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    hours_per_week: i32,
    expected_result: Option<String>,
    status: String,
    follow_up_result: Option<String>,
    followed_up_on: Option<NaiveDate>,
    discontinued_reason: Option<String>,
    replaced_by: Option<String>,
}

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = plan_decisions)]
struct DecisionRow {
    id: String,
    plan_id: String,
    decision: String,
    decided_by: String,
    decided_at: NaiveDateTime,
    reason: Option<String>,
    plan_version: i32,
    content_hash: String,
}

fn corrupt(what: &str, value: &str) -> RepoError {
    RepoError::Unexpected(format!("stored {what} {value:?} is not valid"))
}

impl ActivityRow {
    fn into_domain(self) -> Result<Activity, RepoError> {
        Ok(Activity {
            id: stored_uuid(&self.id)?,
            activity_type: stored_code(&self.activity_type)?,
            description: self.description,
            provider_kind: ProviderKind::parse(&self.provider_kind)
                .ok_or_else(|| corrupt("provider kind", &self.provider_kind))?,
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            hours_per_week: u32::try_from(self.hours_per_week)
                .map_err(|_| corrupt("hours", &self.hours_per_week.to_string()))?,
            expected_result: self.expected_result,
            status: ActivityStatus::parse(&self.status).ok_or_else(|| corrupt("activity status", &self.status))?,
            follow_up_result: self.follow_up_result,
            followed_up_on: self.followed_up_on,
            discontinued_reason: self.discontinued_reason,
            replaced_by: self.replaced_by.as_deref().map(stored_uuid).transpose()?,
        })
    }

    fn from_domain(a: &Activity, plan_id: &str, position: usize) -> Self {
        Self {
            id: a.id.to_string(),
            plan_id: plan_id.to_owned(),
            position: i32::try_from(position).unwrap_or(i32::MAX),
            activity_type: a.activity_type.to_string(),
            description: a.description.clone(),
            provider_kind: a.provider_kind.as_str().to_owned(),
            starts_on: a.starts_on,
            ends_on: a.ends_on,
            hours_per_week: i32::try_from(a.hours_per_week).unwrap_or(i32::MAX),
            expected_result: a.expected_result.clone(),
            status: a.status.as_str().to_owned(),
            follow_up_result: a.follow_up_result.clone(),
            followed_up_on: a.followed_up_on,
            discontinued_reason: a.discontinued_reason.clone(),
            replaced_by: a.replaced_by.map(|r| r.to_string()),
        }
    }
}

fn plan_row(plan: &ActivityPlan, created_at: NaiveDateTime, now: NaiveDateTime) -> PlanRow {
    PlanRow {
        id: plan.id.to_string(),
        participant_id: plan.participant_id.to_string(),
        period_id: plan.period_id.to_string(),
        plan_number: plan.number,
        status: plan.status.as_str().to_owned(),
        valid_from: plan.valid_from,
        valid_to: plan.valid_to,
        goal: plan.goal.clone(),
        goal_ssyk: plan.goal_ssyk.clone(),
        wishes: plan.wishes.clone(),
        revision_of: plan.revision_of.map(|r| r.to_string()),
        version: plan.version,
        created_at,
        updated_at: now,
    }
}

/// The plan's fields as text, for field-level history.
fn snapshot(plan: &ActivityPlan) -> Vec<(&'static str, Option<String>)> {
    let activities = plan
        .activities
        .iter()
        .map(|a| {
            format!(
                "{} {} {}..{} {}h {}",
                a.id,
                a.activity_type,
                a.starts_on,
                a.ends_on,
                a.hours_per_week,
                a.status.as_str()
            )
        })
        .collect::<Vec<_>>();
    vec![
        ("status", Some(plan.status.as_str().to_owned())),
        ("valid_from", Some(plan.valid_from.to_string())),
        ("valid_to", Some(plan.valid_to.to_string())),
        ("goal", Some(plan.goal.clone())),
        ("goal_ssyk", plan.goal_ssyk.clone()),
        ("wishes", plan.wishes.clone()),
        ("activities", Some(activities.join("; "))),
    ]
}

pub struct PlanRepo;

impl PlanRepo {
    pub fn get(conn: &mut DbConnection, id: Uuid) -> Result<ActivityPlan, RepoError> {
        let row: PlanRow = activity_plans::table
            .find(id.to_string())
            .select(PlanRow::as_select())
            .first(conn)?;
        assemble(conn, row)
    }

    /// All plans of the participant, newest first.
    pub fn for_participant(conn: &mut DbConnection, participant_id: Uuid) -> Result<Vec<ActivityPlan>, RepoError> {
        let rows: Vec<PlanRow> = activity_plans::table
            .filter(activity_plans::participant_id.eq(participant_id.to_string()))
            .order(activity_plans::plan_number.desc())
            .select(PlanRow::as_select())
            .load(conn)?;
        assemble_all(conn, rows)
    }

    pub fn next_number(conn: &mut DbConnection, participant_id: Uuid) -> Result<i32, RepoError> {
        let last: Option<i32> = activity_plans::table
            .filter(activity_plans::participant_id.eq(participant_id.to_string()))
            .select(diesel::dsl::max(activity_plans::plan_number))
            .first(conn)?;
        Ok(last.unwrap_or(0) + 1)
    }

    /// Stores a new plan (a draft, or a revision's draft).
    pub fn insert(
        conn: &mut DbConnection,
        acting: &ActingContext,
        plan: &ActivityPlan,
        participant: &Participant,
        event_type: &str,
    ) -> Result<ActivityPlan, RepoError> {
        diesel::insert_into(activity_plans::table)
            .values(plan_row(plan, acting.now, acting.now))
            .execute(conn)?;
        write_parts(conn, plan)?;
        let changes = changed_fields(
            &[("status", None)],
            &[("status", Some(plan.status.as_str().to_owned()))],
        );
        record(conn, acting, plan, participant, event_type, &changes)?;
        Self::get(conn, plan.id)
    }

    /// Stores `after` over `before` (same plan), bumping its version, with history, audit, event.
    pub fn save(
        conn: &mut DbConnection,
        acting: &ActingContext,
        before: &ActivityPlan,
        after: &ActivityPlan,
        participant: &Participant,
        event_type: &str,
    ) -> Result<ActivityPlan, RepoError> {
        let mut next = after.clone();
        next.version = versioned::advance(conn, VersionedRow::ActivityPlan(&before.id.to_string()), before.version)?;
        let created_at: NaiveDateTime = activity_plans::table
            .find(before.id.to_string())
            .select(activity_plans::created_at)
            .first(conn)?;
        diesel::update(activity_plans::table.find(before.id.to_string()))
            .set(plan_row(&next, created_at, acting.now))
            .execute(conn)?;
        diesel::delete(plan_activities::table.filter(plan_activities::plan_id.eq(before.id.to_string())))
            .execute(conn)?;
        write_parts(conn, &next)?;
        let changes = changed_fields(&snapshot(before), &snapshot(&next));
        record(conn, acting, &next, participant, event_type, &changes)?;
        Self::get(conn, before.id)
    }

    /// When the plan last changed (for a submitted plan: when it was submitted).
    pub fn changed_at(conn: &mut DbConnection, plan_id: Uuid) -> Result<NaiveDateTime, RepoError> {
        Ok(activity_plans::table
            .find(plan_id.to_string())
            .select(activity_plans::updated_at)
            .first(conn)?)
    }

    /// Records that the participant's first plan of this period was approved on `on`; the
    /// plan deadline is met from then on.
    pub fn mark_period_plan_approved(conn: &mut DbConnection, period_id: Uuid, on: NaiveDate) -> Result<(), RepoError> {
        diesel::update(
            participation_periods::table
                .find(period_id.to_string())
                .filter(participation_periods::plan_approved_on.is_null()),
        )
        .set(participation_periods::plan_approved_on.eq(Some(on)))
        .execute(conn)?;
        Ok(())
    }
}

fn write_parts(conn: &mut DbConnection, plan: &ActivityPlan) -> Result<(), RepoError> {
    let id = plan.id.to_string();
    for (position, activity) in plan.activities.iter().enumerate() {
        diesel::insert_into(plan_activities::table)
            .values(ActivityRow::from_domain(activity, &id, position))
            .execute(conn)?;
    }
    let known: Vec<String> = plan_decisions::table
        .filter(plan_decisions::plan_id.eq(&id))
        .select(plan_decisions::id)
        .load(conn)?;
    for decision in plan.decisions.iter().filter(|d| !known.contains(&d.id.to_string())) {
        diesel::insert_into(plan_decisions::table)
            .values(DecisionRow {
                id: decision.id.to_string(),
                plan_id: id.clone(),
                decision: decision.kind.as_str().to_owned(),
                decided_by: decision.decided_by.clone(),
                decided_at: decision.decided_at,
                reason: decision.reason.clone(),
                plan_version: decision.plan_version,
                content_hash: decision.content_hash.clone(),
            })
            .execute(conn)?;
    }
    Ok(())
}

fn assemble(conn: &mut DbConnection, row: PlanRow) -> Result<ActivityPlan, RepoError> {
    assemble_all(conn, vec![row])?.pop().ok_or(RepoError::NotFound)
}

/// Plans with their activities and decisions, loaded with one query each for the whole page.
fn assemble_all(conn: &mut DbConnection, rows: Vec<PlanRow>) -> Result<Vec<ActivityPlan>, RepoError> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut activities: Vec<ActivityRow> = plan_activities::table
        .filter(plan_activities::plan_id.eq_any(ids.clone()))
        .order((plan_activities::plan_id, plan_activities::position))
        .select(ActivityRow::as_select())
        .load(conn)?;
    let mut decisions: Vec<DecisionRow> = plan_decisions::table
        .filter(plan_decisions::plan_id.eq_any(ids))
        .order((plan_decisions::plan_id, plan_decisions::decided_at, plan_decisions::id))
        .select(DecisionRow::as_select())
        .load(conn)?;
    rows.into_iter()
        .map(|row| {
            let (mine, rest): (Vec<ActivityRow>, Vec<ActivityRow>) =
                activities.drain(..).partition(|a| a.plan_id == row.id);
            activities = rest;
            let (my_decisions, rest): (Vec<DecisionRow>, Vec<DecisionRow>) =
                decisions.drain(..).partition(|d| d.plan_id == row.id);
            decisions = rest;
            let activities = mine
                .into_iter()
                .map(ActivityRow::into_domain)
                .collect::<Result<Vec<_>, _>>()?;
            let decisions = my_decisions
                .into_iter()
                .map(|d| {
                    Ok(Decision {
                        id: stored_uuid(&d.id)?,
                        kind: DecisionKind::parse(&d.decision).ok_or_else(|| corrupt("decision", &d.decision))?,
                        decided_by: d.decided_by,
                        decided_at: d.decided_at,
                        reason: d.reason,
                        plan_version: d.plan_version,
                        content_hash: d.content_hash,
                    })
                })
                .collect::<Result<Vec<_>, RepoError>>()?;
            Ok(ActivityPlan {
                id: stored_uuid(&row.id)?,
                participant_id: stored_uuid(&row.participant_id)?,
                period_id: stored_uuid(&row.period_id)?,
                number: row.plan_number,
                status: PlanStatus::parse(&row.status).ok_or_else(|| corrupt("plan status", &row.status))?,
                valid_from: row.valid_from,
                valid_to: row.valid_to,
                goal: row.goal,
                goal_ssyk: row.goal_ssyk,
                wishes: row.wishes,
                revision_of: row.revision_of.as_deref().map(stored_uuid).transpose()?,
                version: row.version,
                activities,
                decisions,
            })
        })
        .collect()
}

fn record(
    conn: &mut DbConnection,
    acting: &ActingContext,
    plan: &ActivityPlan,
    participant: &Participant,
    event_type: &str,
    changes: &[(&'static str, Option<String>, Option<String>)],
) -> Result<(), RepoError> {
    let id = plan.id.to_string();
    let participant_id = participant.id.to_string();
    let change = Change {
        event_type,
        resource_type: ACTIVITY_PLAN,
        resource_id: &id,
        resource_version: plan.version,
        participant_id: Some(&participant_id),
        scope: EventScope {
            jobbtorg: Some(participant.current.jobbtorg.to_string()),
            district: Some(participant.current.district.to_string()),
            provider: None,
            participant: Some(participant_id.clone()),
        },
    };
    journal::record(conn, acting, change, changes)
}

/// Filters of the plan list.
#[derive(Debug, Clone, Default)]
pub struct PlanFilter {
    pub status: Option<PlanStatus>,
    /// Plans whose review (their end) falls on or before this date.
    pub review_due_on_or_before: Option<NaiveDate>,
}

impl PlanRepo {
    /// Current-period plans of participants inside `scope`, ordered by id, after `after`.
    pub fn list(
        conn: &mut DbConnection,
        scope: &domain::access::ListScope,
        filter: &PlanFilter,
        after: Option<Uuid>,
        limit: i64,
    ) -> Result<Vec<ActivityPlan>, RepoError> {
        use domain::access::ListScope;
        let mut query = activity_plans::table
            .inner_join(participation_periods::table.on(participation_periods::id.eq(activity_plans::period_id)))
            .filter(participation_periods::is_current.eq(true))
            .select(PlanRow::as_select())
            .order(activity_plans::id)
            .limit(limit)
            .into_boxed();
        query = match scope {
            ListScope::Everything => query,
            ListScope::Jobbtorg(code) => query.filter(participation_periods::job_centre_code.eq(code.to_string())),
            ListScope::District(code) => query.filter(participation_periods::district_code.eq(code.to_string())),
            // Plans are the case's: a centre delivering for another's case reads no plans.
            ListScope::Provider(_)
            | ListScope::AnyProvider
            | ListScope::JobbtorgWithDeliveries(_)
            | ListScope::DeliveredAt(_) => query.filter(activity_plans::id.eq("")),
        };
        if let Some(after) = after {
            query = query.filter(activity_plans::id.gt(after.to_string()));
        }
        if let Some(status) = filter.status {
            query = query.filter(activity_plans::status.eq(status.as_str()));
        }
        if let Some(date) = filter.review_due_on_or_before {
            query = query.filter(activity_plans::valid_to.le(date));
        }
        let rows: Vec<PlanRow> = query.load(conn)?;
        assemble_all(conn, rows)
    }
}

impl PlanRepo {
    /// Which of these periods carry `target_group`.
    pub fn periods_in_group(
        conn: &mut DbConnection,
        period_ids: &[Uuid],
        target_group: &str,
    ) -> Result<Vec<Uuid>, RepoError> {
        let ids: Vec<String> = period_ids.iter().map(ToString::to_string).collect();
        let found: Vec<String> = crate::schema::period_target_groups::table
            .filter(crate::schema::period_target_groups::period_id.eq_any(ids))
            .filter(crate::schema::period_target_groups::target_group_code.eq(target_group))
            .select(crate::schema::period_target_groups::period_id)
            .load(conn)?;
        found.iter().map(|id| stored_uuid(id)).collect()
    }
}
