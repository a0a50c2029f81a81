//! Participants: intake, reads scoped by the actor, and every change written with its history,
//! audit record and event.

use chrono::NaiveDate;
use diesel::prelude::*;
use domain::access::ListScope;
use domain::participant::{
    changed_fields, is_plan_overdue, FollowUp, Interruption, Participant, ParticipantStatus, Period,
};
use domain::shared::{Code, Personnummer};
use uuid::Uuid;

use crate::audit::{self, ActingContext, AuditEntry};
use crate::error::RepoError;
use crate::events::{self, EventScope, NewEvent};
use crate::history;
use crate::pool::DbConnection;
use crate::rows::participant::{contact_of, stored_uuid, FollowUpRow, InterruptionRow, ParticipantRow, PeriodRow};
use crate::rows::reference::stored_code;
use crate::schema::{follow_ups, interruptions, participants, participation_periods as periods, period_target_groups};
use crate::versioned::{self, VersionedRow};

pub const PARTICIPANT: &str = "participant";

/// A new person, or a new participation period of a known one, as the district refers them.
#[derive(Debug, Clone)]
pub struct NewIntake {
    pub personnummer: Personnummer,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: NaiveDate,
    pub contact: domain::participant::Contact,
    pub address: domain::participant::Address,
    pub language_needs: Option<String>,
    pub protected_identity: bool,
    pub period: Period,
}

/// Filters of the participant list; all optional.
#[derive(Debug, Clone, Default)]
pub struct ParticipantFilter {
    pub status: Option<ParticipantStatus>,
    pub jobbtorg: Option<Code>,
    pub district: Option<Code>,
    pub coach: Option<String>,
    pub target_group: Option<Code>,
    pub plan_overdue: Option<bool>,
}

/// A list row: the person's names and the current period, without the rest.
#[derive(Debug, Clone)]
pub struct ParticipantSummary {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub pseudonym: String,
    pub protected_identity: bool,
    pub version: i32,
    pub period: Period,
}

pub struct ParticipantRepo;

impl ParticipantRepo {
    pub fn id_by_personnummer(conn: &mut DbConnection, personnummer: &Personnummer) -> Result<Option<Uuid>, RepoError> {
        let id: Option<String> = participants::table
            .filter(participants::personnummer.eq(personnummer.as_str()))
            .select(participants::id)
            .first(conn)
            .optional()?;
        id.as_deref().map(stored_uuid).transpose()
    }

    /// The participant if its current period lies inside `scope`; `NotFound` otherwise, so a
    /// participant outside the caller's reach is never loaded.
    pub fn get(conn: &mut DbConnection, id: Uuid, scope: &ListScope) -> Result<Participant, RepoError> {
        load_within(conn, &id.to_string(), Some(scope))
    }

    /// Records that `acting` read these participants' data.
    pub fn audit_read(
        conn: &mut DbConnection,
        acting: &ActingContext,
        action: &str,
        ids: &[Uuid],
    ) -> Result<(), RepoError> {
        let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
        let entries: Vec<AuditEntry> = ids
            .iter()
            .map(|id| AuditEntry {
                action,
                resource_type: PARTICIPANT,
                resource_id: id,
                participant_id: Some(id),
            })
            .collect();
        audit::record_reads(conn, acting, &entries)
    }

    /// Stores an intake: a new participant, or a new current period of the known `existing` one.
    pub fn create(
        conn: &mut DbConnection,
        acting: &ActingContext,
        intake: &NewIntake,
        existing: Option<Uuid>,
    ) -> Result<Participant, RepoError> {
        // A new person is answered from what was written; a known one is read back whole.
        let (id, new_person) = match existing {
            Some(id) => {
                versioned::bump(conn, VersionedRow::Participant(&id.to_string()))?;
                let before = load(conn, &id.to_string())?;
                diesel::update(periods::table.filter(periods::participant_id.eq(id.to_string())))
                    .set(periods::is_current.eq(false))
                    .execute(conn)?;
                let mut row = person_row(&before, acting);
                row.created_at = participants::table
                    .find(id.to_string())
                    .select(participants::created_at)
                    .first(conn)?;
                row.first_name = intake.first_name.clone();
                row.last_name = intake.last_name.clone();
                (row.phone, row.email) = (intake.contact.phone.clone(), intake.contact.email.clone());
                (row.street_address, row.postal_code, row.city) = (
                    intake.address.street.clone(),
                    intake.address.postal_code.clone(),
                    intake.address.city.clone(),
                );
                row.language_needs = intake.language_needs.clone();
                row.protected_identity = intake.protected_identity;
                diesel::update(participants::table.find(&row.id))
                    .set(&row)
                    .execute(conn)?;
                (id, None)
            }
            None => {
                let id = Uuid::now_v7();
                let person = ParticipantRow {
                    id: id.to_string(),
                    personnummer: intake.personnummer.as_str().to_owned(),
                    first_name: intake.first_name.clone(),
                    last_name: intake.last_name.clone(),
                    birth_date: intake.birth_date,
                    phone: intake.contact.phone.clone(),
                    email: intake.contact.email.clone(),
                    street_address: intake.address.street.clone(),
                    postal_code: intake.address.postal_code.clone(),
                    city: intake.address.city.clone(),
                    language_needs: intake.language_needs.clone(),
                    protected_identity: intake.protected_identity,
                    pseudonym: pseudonym_for(id),
                    version: 1,
                    created_at: acting.now,
                    updated_at: acting.now,
                };
                diesel::insert_into(participants::table).values(&person).execute(conn)?;
                (id, Some(person))
            }
        };
        let id_text = id.to_string();
        diesel::insert_into(periods::table)
            .values(PeriodRow::from_domain(
                &intake.period,
                &id_text,
                true,
                acting.subject.clone(),
                acting.now,
            ))
            .execute(conn)?;
        for group in &intake.period.target_groups {
            diesel::insert_into(period_target_groups::table)
                .values((
                    period_target_groups::period_id.eq(intake.period.id.to_string()),
                    period_target_groups::target_group_code.eq(group.as_str()),
                ))
                .execute(conn)?;
        }
        let created = match new_person {
            Some(person) => {
                let mut period = intake.period.clone();
                // In the order a read gives them.
                period.target_groups.sort_by(|a, b| a.as_str().cmp(b.as_str()));
                assemble(person, period, Vec::new(), Vec::new(), Vec::new())?
            }
            None => load(conn, &id_text)?,
        };
        record_change(
            conn,
            acting,
            &created,
            "participant.referred",
            &[("status", None, Some("referred".to_owned()))],
        )?;
        Ok(created)
    }

    /// Applies a change decided by `decide` (a domain rule) to the participant at
    /// `expected_version`, inside the caller's transaction, with history, audit and event.
    pub fn change<E, F>(
        conn: &mut DbConnection,
        acting: &ActingContext,
        id: Uuid,
        scope: &ListScope,
        expected_version: i32,
        event_type: &str,
        decide: F,
    ) -> Result<Participant, E>
    where
        E: From<RepoError>,
        F: FnOnce(Participant) -> Result<Participant, E>,
    {
        let before = Self::get(conn, id, scope)?;
        if before.version != expected_version {
            return Err(RepoError::StaleVersion {
                current: before.version,
            }
            .into());
        }
        // The compare-and-swap comes before the decision: the participant is read in several
        // statements, and a change committed between them (which moved the version) would
        // otherwise be judged on a torn read, e.g. an exit refused as a second exit (409)
        // instead of 412.
        versioned::advance(conn, VersionedRow::Participant(&id.to_string()), expected_version)?;
        let after = decide(before.clone())?;
        let changes = changed_fields(&before.snapshot(), &after.snapshot());
        save(conn, acting, &after)?;
        let saved = load(conn, &id.to_string())?;
        record_change(conn, acting, &saved, event_type, &changes)?;
        Ok(saved)
    }

    /// The participants in `scope` (of `coach`, when given) whose work is not done: in
    /// participation, or exited on or after `exited_since` (their follow-ups may be due).
    pub fn open_case_ids(
        conn: &mut DbConnection,
        scope: &ListScope,
        coach: Option<&str>,
        exited_since: NaiveDate,
    ) -> Result<Vec<Uuid>, RepoError> {
        let mut query = current_with_person_in(scope)
            .filter(
                periods::status
                    .eq_any([
                        ParticipantStatus::Enrolled.as_str(),
                        ParticipantStatus::Interrupted.as_str(),
                    ])
                    .or(periods::exited_on.ge(exited_since)),
            )
            .select(periods::participant_id)
            .order(periods::participant_id);
        if let Some(coach) = coach {
            query = query.filter(periods::coach_subject.eq(coach.to_owned()));
        }
        let ids: Vec<String> = query.load(conn)?;
        ids.iter().map(|id| stored_uuid(id)).collect()
    }

    /// A page of participants in `scope`, ordered by id (creation order), after `after`.
    pub fn list(
        conn: &mut DbConnection,
        scope: &ListScope,
        filter: &ParticipantFilter,
        after: Option<Uuid>,
        limit: i64,
        today: NaiveDate,
    ) -> Result<Vec<ParticipantSummary>, RepoError> {
        let mut query = current_with_person_in(scope)
            .select((PeriodRow::as_select(), ParticipantRow::as_select()))
            .order(periods::participant_id)
            .limit(limit);
        if let Some(after) = after {
            query = query.filter(periods::participant_id.gt(after.to_string()));
        }
        if let Some(status) = filter.status {
            query = query.filter(periods::status.eq(status.as_str()));
        }
        if let Some(jobbtorg) = &filter.jobbtorg {
            query = query.filter(periods::job_centre_code.eq(jobbtorg.to_string()));
        }
        if let Some(district) = &filter.district {
            query = query.filter(periods::district_code.eq(district.to_string()));
        }
        if let Some(coach) = &filter.coach {
            query = query.filter(periods::coach_subject.eq(coach.clone()));
        }
        if let Some(group) = &filter.target_group {
            let in_group = period_target_groups::table
                .filter(period_target_groups::target_group_code.eq(group.to_string()))
                .select(period_target_groups::period_id);
            query = query.filter(periods::id.eq_any(in_group));
        }
        if let Some(overdue) = filter.plan_overdue {
            // The same rule as domain::participant::is_plan_overdue, as SQL.
            let open = periods::status.eq_any([
                ParticipantStatus::Enrolled.as_str(),
                ParticipantStatus::Interrupted.as_str(),
            ]);
            let late = periods::plan_approved_on.is_null().and(periods::plan_due_on.lt(today));
            query = if overdue {
                query.filter(open.and(late))
            } else {
                query.filter(
                    periods::status
                        .ne_all([
                            ParticipantStatus::Enrolled.as_str(),
                            ParticipantStatus::Interrupted.as_str(),
                        ])
                        .or(periods::plan_approved_on.is_not_null())
                        .or(periods::plan_due_on.ge(today)),
                )
            };
        }
        let rows: Vec<(PeriodRow, ParticipantRow)> = query.load(conn)?;
        let period_ids: Vec<String> = rows.iter().map(|(period, _)| period.id.clone()).collect();
        let groups = target_groups_of(conn, &period_ids)?;
        rows.into_iter()
            .map(|(period, person)| {
                let codes = groups
                    .iter()
                    .filter(|(p, _)| *p == period.id)
                    .map(|(_, c)| c.clone())
                    .collect();
                let period = period.into_domain(codes)?;
                debug_assert!(filter.plan_overdue.is_none_or(|o| o == is_plan_overdue(&period, today)));
                Ok(ParticipantSummary {
                    id: stored_uuid(&person.id)?,
                    first_name: person.first_name,
                    last_name: person.last_name,
                    pseudonym: person.pseudonym,
                    protected_identity: person.protected_identity,
                    version: person.version,
                    period,
                })
            })
            .collect()
    }
}

/// A stable pseudonymous reference, shown instead of the name for protected identities: the
/// last 12 hex digits of the id, which in a UUID v7 are random (48 bits, so that collisions stay
/// out of reach; 8 digits collided under load in `make bench`).
fn pseudonym_for(id: Uuid) -> String {
    let simple = id.simple().to_string();
    format!("P-{}", simple[simple.len() - 12..].to_uppercase())
}

type CurrentWithPerson = diesel::dsl::IntoBoxed<
    'static,
    diesel::dsl::Filter<
        diesel::dsl::InnerJoin<periods::table, participants::table>,
        diesel::dsl::Eq<periods::is_current, bool>,
    >,
    <DbConnection as diesel::Connection>::Backend,
>;

/// Current periods joined with their person, inside `scope`: the one WHERE of every scoped
/// participant read, so the person is fetched by the statement that checks the scope.
/// Providers and purchasers reach participants only through referrals; a centre delivering a
/// service never reaches the case.
fn current_with_person_in(scope: &ListScope) -> CurrentWithPerson {
    // An anonymised person (the records policy) is no one's to read any more.
    let query = periods::table
        .inner_join(participants::table)
        .filter(periods::is_current.eq(true))
        .filter(participants::anonymised_at.is_null())
        .into_boxed();
    let Some((jobbtorg, district)) = scope_filter(scope) else {
        return query.filter(periods::id.eq(""));
    };
    let query = match jobbtorg {
        Some(code) => query.filter(periods::job_centre_code.eq(code)),
        None => query,
    };
    match district {
        Some(code) => query.filter(periods::district_code.eq(code)),
        None => query,
    }
}

fn target_groups_of(conn: &mut DbConnection, period_ids: &[String]) -> Result<Vec<(String, Code)>, RepoError> {
    let rows: Vec<(String, String)> = period_target_groups::table
        .filter(period_target_groups::period_id.eq_any(period_ids.to_vec()))
        .order((period_target_groups::period_id, period_target_groups::target_group_code))
        .select((period_target_groups::period_id, period_target_groups::target_group_code))
        .load(conn)?;
    rows.into_iter()
        .map(|(period, code)| Ok((period, stored_code(&code)?)))
        .collect()
}

fn load(conn: &mut DbConnection, id: &str) -> Result<Participant, RepoError> {
    load_within(conn, id, None)
}

/// The participant with every period, interruption and follow-up; with a scope, `NotFound`
/// unless its current period lies inside it (checked in the same statement as the person). On
/// PostgreSQL it is one statement ([`participant_json`]): a read over the network pays per
/// round trip, and a single statement needs no transaction to be consistent.
fn load_within(conn: &mut DbConnection, id: &str, scope: Option<&ListScope>) -> Result<Participant, RepoError> {
    let stored = match conn {
        DbConnection::Postgresql(pg) => super::participant_json::fetch(pg, id, scope)?,
        DbConnection::Sqlite(_) => fetch_in_statements(conn, id, scope)?,
    };
    stored.into_domain()
}

/// A participant as stored: the person, each period with its target groups in period order,
/// the interruptions and the follow-ups.
pub(super) struct StoredParticipant {
    pub person: ParticipantRow,
    pub periods: Vec<(PeriodRow, Vec<String>)>,
    pub interruptions: Vec<InterruptionRow>,
    pub follow_ups: Vec<FollowUpRow>,
}

/// Which current periods a scope reaches: `None` for none at all, else the job centre and the
/// district they must be at (each `None` for any).
pub(super) fn scope_filter(scope: &ListScope) -> Option<(Option<String>, Option<String>)> {
    match scope {
        ListScope::Everything => Some((None, None)),
        ListScope::Jobbtorg(code) => Some((Some(code.to_string()), None)),
        ListScope::District(code) => Some((None, Some(code.to_string()))),
        ListScope::Provider(_)
        | ListScope::AnyProvider
        | ListScope::JobbtorgWithDeliveries(_)
        | ListScope::DeliveredAt(_) => None,
    }
}

/// The stored participant in four statements (SQLite, where a statement costs no round trip;
/// the caller's transaction makes them one snapshot).
pub(super) fn fetch_in_statements(
    conn: &mut DbConnection,
    id: &str,
    scope: Option<&ListScope>,
) -> Result<StoredParticipant, RepoError> {
    let person: ParticipantRow = match scope {
        Some(scope) => current_with_person_in(scope)
            .filter(periods::participant_id.eq(id.to_owned()))
            .select(ParticipantRow::as_select())
            .first(conn)?,
        None => participants::table
            .find(id)
            .filter(participants::anonymised_at.is_null())
            .select(ParticipantRow::as_select())
            .first(conn)?,
    };
    // Periods with their target groups in one statement: a row per group, in period order.
    let rows: Vec<(PeriodRow, Option<String>)> = periods::table
        .left_join(period_target_groups::table.on(period_target_groups::period_id.eq(periods::id)))
        .filter(periods::participant_id.eq(id))
        .order((
            periods::referred_on,
            periods::created_at,
            periods::id,
            period_target_groups::target_group_code,
        ))
        .select((
            PeriodRow::as_select(),
            period_target_groups::target_group_code.nullable(),
        ))
        .load(conn)?;
    let mut periods: Vec<(PeriodRow, Vec<String>)> = Vec::new();
    for (row, group) in rows {
        match periods.last_mut() {
            Some((last, groups)) if last.id == row.id => groups.extend(group),
            _ => periods.push((row, group.into_iter().collect())),
        }
    }
    let interruptions = interruptions::table
        .filter(interruptions::participant_id.eq(id))
        .order((interruptions::started_on, interruptions::id))
        .select(InterruptionRow::as_select())
        .load(conn)?;
    let follow_ups = follow_ups::table
        .filter(follow_ups::participant_id.eq(id))
        .order((follow_ups::followed_up_on, follow_ups::id))
        .select(FollowUpRow::as_select())
        .load(conn)?;
    Ok(StoredParticipant {
        person,
        periods,
        interruptions,
        follow_ups,
    })
}

impl StoredParticipant {
    pub(super) fn into_domain(self) -> Result<Participant, RepoError> {
        let mut current = None;
        let mut earlier = Vec::new();
        for (row, groups) in self.periods {
            let codes = groups.iter().map(|g| stored_code(g)).collect::<Result<Vec<_>, _>>()?;
            let is_current = row.is_current;
            let period = row.into_domain(codes)?;
            if is_current {
                current = Some(period);
            } else {
                earlier.push(period);
            }
        }
        let current = current.ok_or_else(|| RepoError::Unexpected("participant without a current period".into()))?;
        let interruptions = self
            .interruptions
            .into_iter()
            .map(InterruptionRow::into_domain)
            .collect::<Result<Vec<_>, _>>()?;
        let follow_ups = self
            .follow_ups
            .into_iter()
            .map(FollowUpRow::into_domain)
            .collect::<Result<Vec<_>, _>>()?;
        assemble(self.person, current, earlier, interruptions, follow_ups)
    }
}

/// The participant from its stored person and its domain parts.
fn assemble(
    person: ParticipantRow,
    current: Period,
    earlier: Vec<Period>,
    interruptions: Vec<Interruption>,
    follow_ups: Vec<FollowUp>,
) -> Result<Participant, RepoError> {
    let (contact, address) = contact_of(&person);
    Ok(Participant {
        id: stored_uuid(&person.id)?,
        personnummer: Personnummer::from_stored(&person.personnummer)
            .map_err(|_| RepoError::Unexpected("stored personnummer is not valid".into()))?,
        first_name: person.first_name,
        last_name: person.last_name,
        birth_date: person.birth_date,
        contact,
        address,
        language_needs: person.language_needs,
        protected_identity: person.protected_identity,
        pseudonym: person.pseudonym,
        version: person.version,
        current,
        earlier,
        interruptions,
        follow_ups,
    })
}

fn person_row(participant: &Participant, acting: &ActingContext) -> ParticipantRow {
    ParticipantRow {
        id: participant.id.to_string(),
        personnummer: participant.personnummer.as_str().to_owned(),
        first_name: participant.first_name.clone(),
        last_name: participant.last_name.clone(),
        birth_date: participant.birth_date,
        phone: participant.contact.phone.clone(),
        email: participant.contact.email.clone(),
        street_address: participant.address.street.clone(),
        postal_code: participant.address.postal_code.clone(),
        city: participant.address.city.clone(),
        language_needs: participant.language_needs.clone(),
        protected_identity: participant.protected_identity,
        pseudonym: participant.pseudonym.clone(),
        version: participant.version,
        created_at: acting.now,
        updated_at: acting.now,
    }
}

/// Writes the person, the current period, and new or changed interruptions and follow-ups; the
/// version has moved on already (`versioned::advance`).
fn save(conn: &mut DbConnection, acting: &ActingContext, after: &Participant) -> Result<(), RepoError> {
    let id = after.id.to_string();
    let row = person_row(after, acting);
    diesel::update(participants::table.find(&id))
        .set((
            participants::first_name.eq(&row.first_name),
            participants::last_name.eq(&row.last_name),
            participants::phone.eq(&row.phone),
            participants::email.eq(&row.email),
            participants::street_address.eq(&row.street_address),
            participants::postal_code.eq(&row.postal_code),
            participants::city.eq(&row.city),
            participants::language_needs.eq(&row.language_needs),
            participants::protected_identity.eq(row.protected_identity),
            participants::updated_at.eq(acting.now),
        ))
        .execute(conn)?;
    let current = &after.current;
    let existing: PeriodRow = periods::table
        .find(current.id.to_string())
        .select(PeriodRow::as_select())
        .first(conn)?;
    let period_row = PeriodRow::from_domain(current, &id, true, existing.referred_by, existing.created_at);
    diesel::update(periods::table.find(&period_row.id))
        .set(&period_row)
        .execute(conn)?;
    for interruption in &after.interruptions {
        let row = InterruptionRow::from_domain(interruption, &id);
        let updated = diesel::update(interruptions::table.find(&row.id))
            .set((
                interruptions::ended_on.eq(row.ended_on),
                interruptions::note.eq(&row.note),
            ))
            .execute(conn)?;
        if updated == 0 {
            diesel::insert_into(interruptions::table).values(&row).execute(conn)?;
        }
    }
    let known: Vec<String> = follow_ups::table
        .filter(follow_ups::participant_id.eq(&id))
        .select(follow_ups::id)
        .load(conn)?;
    for follow_up in after.follow_ups.iter().filter(|f| !known.contains(&f.id.to_string())) {
        diesel::insert_into(follow_ups::table)
            .values(FollowUpRow::from_domain(follow_up, &id, acting.now))
            .execute(conn)?;
    }
    Ok(())
}

pub(crate) fn record_change(
    conn: &mut DbConnection,
    acting: &ActingContext,
    participant: &Participant,
    event_type: &str,
    changes: &[(&'static str, Option<String>, Option<String>)],
) -> Result<(), RepoError> {
    let id = participant.id.to_string();
    history::record(conn, acting, (PARTICIPANT, &id), Some(&id), changes)?;
    audit::record(
        conn,
        acting,
        &AuditEntry {
            action: event_type,
            resource_type: PARTICIPANT,
            resource_id: &id,
            participant_id: Some(&id),
        },
    )?;
    events::append(
        conn,
        acting,
        &NewEvent {
            event_type,
            resource_type: PARTICIPANT,
            resource_id: &id,
            resource_version: participant.version,
            scope: EventScope {
                jobbtorg: Some(participant.current.jobbtorg.to_string()),
                district: Some(participant.current.district.to_string()),
                provider: None,
                participant: Some(id.clone()),
            },
        },
    )
}
