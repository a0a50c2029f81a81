//! The work queue: every item due for the caller, derived from the data by the rules in
//! `domain::tasks` and scoped exactly like the resources the items point to. What a role is
//! asked to do decides what it is shown: the job centre follows its participants' plans,
//! activities, referrals, follow-ups and 548 days; the home district decides on plans, reads
//! absence reports and answers moves; the provider answers referrals; the purchaser decides on
//! claims.

use chrono::{DateTime, Months, NaiveDate, NaiveDateTime, Utc};
use domain::access::{ListScope, Role};
use domain::activity_plan::PlanStatus;
use domain::claim::ClaimStatus;
use domain::referral::ReferralStatus;
use domain::shared::{city_date, Code};
use domain::tasks::{self, Task, TaskKind};
use persistence::repos::claim::ClaimFilter;
use persistence::repos::referral::{ParticipantCard, ReferralFilter};
use persistence::repos::{AbsenceRepo, ClaimRepo, ParticipantRepo, PlanRepo, ReferralRepo, TransferRepo};
use persistence::DbConnection;
use uuid::Uuid;

use super::{Context, OpError};

/// How many of each kind of source record one task list looks at; a queue longer than this
/// is a queue to split by filter.
pub const TASK_SCAN_LIMIT: i64 = 1000;
/// Exited participants are looked at for this many months (their follow-ups fall due at 2 and
/// 8 months, and stay listed while not recorded).
const EXITED_LOOKBACK_MONTHS: u32 = 12;

/// The filters of the task list; all optional.
#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    pub kind: Option<TaskKind>,
    pub due_before: Option<NaiveDate>,
    pub coach: Option<String>,
    pub jobbtorg: Option<Code>,
    pub district: Option<Code>,
}

/// One item of the queue, with what it is about.
#[derive(Debug, Clone)]
pub struct TaskItem {
    pub task: Task,
    pub participant_id: Option<Uuid>,
    /// The resource's type (`participant`, `activity_plan`, `referral`, `claim`, `absence`,
    /// `transfer`) and id.
    pub resource: (&'static str, Uuid),
    pub coach: Option<String>,
    pub jobbtorg: Option<Code>,
    pub district: Option<Code>,
    /// Whether the caller may see the person's name at all (the purchaser never does).
    pub named: bool,
}

/// The queue as the caller sees it: the items (filtered, by due date), the counts per kind
/// before the `kind` filter, and the cards naming the participants.
#[derive(Debug, Clone)]
pub struct TaskList {
    pub items: Vec<TaskItem>,
    pub counts: Vec<(TaskKind, usize)>,
    pub cards: Vec<ParticipantCard>,
}

fn date(at: NaiveDateTime) -> NaiveDate {
    city_date(DateTime::<Utc>::from_naive_utc_and_offset(at, Utc))
}

pub fn list(conn: &mut DbConnection, ctx: &Context, filter: &TaskFilter) -> Result<TaskList, OpError> {
    let actor = &ctx.actor;
    let mut items = match actor.role() {
        Role::Coach | Role::JobbtorgManager => {
            let centre = actor.jobbtorg().cloned().ok_or(OpError::Forbidden)?;
            // A coach's own participants unless they ask for a colleague's.
            let coach = filter
                .coach
                .clone()
                .or_else(|| (actor.role() == Role::Coach).then(|| actor.subject().to_owned()));
            job_centre_items(conn, ctx, &ListScope::Jobbtorg(centre), coach.as_deref())?
        }
        Role::DistrictOfficer => {
            let district = actor.district().cloned().ok_or(OpError::Forbidden)?;
            district_items(conn, ctx, &district)?
        }
        Role::ProviderStaff => {
            let provider = actor.provider().cloned().ok_or(OpError::Forbidden)?;
            referral_items(conn, ctx, &ListScope::Provider(provider), None)?
        }
        Role::ContractManager => claim_items(conn, ctx)?,
        Role::Analyst | Role::Integration | Role::Admin => return Err(OpError::Forbidden),
    };
    items.retain(|item| {
        filter.due_before.is_none_or(|d| item.task.due_on < d)
            && filter.coach.as_ref().is_none_or(|c| item.coach.as_ref() == Some(c))
            && filter
                .jobbtorg
                .as_ref()
                .is_none_or(|j| item.jobbtorg.as_ref() == Some(j))
            && filter
                .district
                .as_ref()
                .is_none_or(|d| item.district.as_ref() == Some(d))
    });
    let counts = TaskKind::ALL
        .into_iter()
        .map(|kind| (kind, items.iter().filter(|i| i.task.kind == kind).count()))
        .filter(|(_, n)| *n > 0)
        .collect();
    items.retain(|item| filter.kind.is_none_or(|k| item.task.kind == k));
    items.sort_by_key(|item| (item.task.due_on, item.task.kind, item.resource.1));
    let mut named: Vec<Uuid> = items.iter().filter_map(|i| i.participant_id).collect();
    named.sort();
    named.dedup();
    let cards = ReferralRepo::participant_cards(conn, &named)?;
    let shown: Vec<Uuid> = items
        .iter()
        .filter(|i| i.named)
        .filter_map(|i| i.participant_id)
        .collect();
    if !shown.is_empty() {
        let mut shown = shown;
        shown.sort();
        shown.dedup();
        ParticipantRepo::audit_read(conn, &ctx.acting(), "participant.tasks_read", &shown)?;
    }
    Ok(TaskList { items, counts, cards })
}

/// The participants' own items, their plans' and their referrals'.
fn job_centre_items(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    coach: Option<&str>,
) -> Result<Vec<TaskItem>, OpError> {
    let today = ctx.today();
    let exited_since = today
        .checked_sub_months(Months::new(EXITED_LOOKBACK_MONTHS))
        .unwrap_or(today);
    let ids = ParticipantRepo::open_case_ids(conn, scope, coach, exited_since)?;
    let mut items = Vec::new();
    for id in ids.iter().take(TASK_SCAN_LIMIT as usize) {
        let participant = ParticipantRepo::get(conn, *id, scope)?;
        let about = |task: Task, resource: (&'static str, Uuid)| TaskItem {
            task,
            participant_id: Some(participant.id),
            resource,
            coach: participant.current.coach.clone(),
            jobbtorg: Some(participant.current.jobbtorg.clone()),
            district: Some(participant.current.district.clone()),
            named: true,
        };
        for task in tasks::participant_tasks(&participant, today) {
            items.push(about(task, ("participant", participant.id)));
        }
        let plans = PlanRepo::for_participant(conn, participant.id)?;
        for plan in plans.iter().filter(|p| p.status == PlanStatus::Approved) {
            let newer = plans
                .iter()
                .any(|p| p.number > plan.number && p.status != PlanStatus::Cancelled);
            for task in tasks::plan_tasks(plan, &participant, today, newer, today) {
                items.push(about(task, ("activity_plan", plan.id)));
            }
        }
    }
    items.extend(referral_items(conn, ctx, scope, Some(&ids))?);
    Ok(items)
}

/// Unanswered referrals near expiry within `scope` (of these participants, when given).
fn referral_items(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    of: Option<&[Uuid]>,
) -> Result<Vec<TaskItem>, OpError> {
    let today = ctx.today();
    let filter = ReferralFilter {
        status: Some(ReferralStatus::Sent),
        ..Default::default()
    };
    let referrals = ReferralRepo::list(conn, scope, &filter, None, TASK_SCAN_LIMIT, today)?;
    let cards = ReferralRepo::participant_cards(conn, &referrals.iter().map(|r| r.participant_id).collect::<Vec<_>>())?;
    Ok(referrals
        .iter()
        .filter(|r| of.is_none_or(|ids| ids.contains(&r.participant_id)))
        .filter_map(|r| {
            let task = tasks::referral_task(r, today)?;
            let coach = cards
                .iter()
                .find(|c| c.id == r.participant_id.to_string())
                .and_then(|c| c.coach.clone());
            Some(TaskItem {
                task,
                participant_id: Some(r.participant_id),
                resource: ("referral", r.id),
                coach,
                jobbtorg: Some(r.jobbtorg.clone()),
                district: Some(r.district.clone()),
                named: true,
            })
        })
        .collect())
}

/// The home district's: plans waiting for its decision, absence reports not yet seen, moves
/// to it waiting for an answer.
fn district_items(conn: &mut DbConnection, ctx: &Context, district: &Code) -> Result<Vec<TaskItem>, OpError> {
    let today = ctx.today();
    let scope = ListScope::District(district.clone());
    let mut items = Vec::new();
    let submitted = persistence::repos::activity_plan::PlanFilter {
        status: Some(PlanStatus::Submitted),
        ..Default::default()
    };
    for plan in PlanRepo::list(conn, &scope, &submitted, None, TASK_SCAN_LIMIT)? {
        let participant = ParticipantRepo::get(conn, plan.participant_id, &scope)?;
        let submitted_on = date(PlanRepo::changed_at(conn, plan.id)?);
        for task in tasks::plan_tasks(&plan, &participant, submitted_on, false, today) {
            items.push(TaskItem {
                task,
                participant_id: Some(participant.id),
                resource: ("activity_plan", plan.id),
                coach: participant.current.coach.clone(),
                jobbtorg: Some(participant.current.jobbtorg.clone()),
                district: Some(participant.current.district.clone()),
                named: true,
            });
        }
    }
    for absence in AbsenceRepo::unseen(conn, &scope, TASK_SCAN_LIMIT)? {
        items.push(TaskItem {
            task: tasks::absence_task(date(absence.reported_at), today),
            participant_id: Some(absence.participant_id),
            resource: ("absence", absence.id),
            coach: None,
            jobbtorg: None,
            district: Some(district.clone()),
            named: true,
        });
    }
    for transfer in TransferRepo::open_to(conn, Some(district), TASK_SCAN_LIMIT)? {
        items.push(TaskItem {
            task: tasks::transfer_task(date(transfer.requested_at), today),
            // The person is not yet the new district's: the item names the move, not them.
            participant_id: None,
            resource: ("transfer", transfer.id),
            coach: None,
            jobbtorg: Some(transfer.from_jobbtorg.clone()),
            district: Some(district.clone()),
            named: false,
        });
    }
    Ok(items)
}

/// The purchaser's: claims waiting for a decision. Claims concern providers; the item names
/// no person.
fn claim_items(conn: &mut DbConnection, ctx: &Context) -> Result<Vec<TaskItem>, OpError> {
    let today = ctx.today();
    let filter = ClaimFilter {
        status: Some(ClaimStatus::Pending),
        ..Default::default()
    };
    Ok(
        ClaimRepo::list(conn, &ListScope::AnyProvider, &filter, None, TASK_SCAN_LIMIT)?
            .into_iter()
            .map(|claim| TaskItem {
                task: tasks::claim_task(date(claim.created_at), today),
                participant_id: None,
                resource: ("claim", claim.id),
                coach: None,
                jobbtorg: None,
                district: None,
                named: false,
            })
            .collect(),
    )
}
