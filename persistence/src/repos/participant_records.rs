//! The mapping and the consents of a participant. Both belong to the participant resource:
//! each change bumps the participant's version and is written with history, audit and event.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use domain::access::ListScope;
use domain::participant::{changed_fields, Assessment, Consent, Participant, RecipientKind};
use uuid::Uuid;

use super::participant::{record_change, ParticipantRepo};
use crate::audit::ActingContext;
use crate::error::RepoError;
use crate::pool::DbConnection;
use crate::rows::participant::stored_uuid;
use crate::schema::{assessments, consents, participants};
use crate::versioned::{self, VersionedRow};

#[derive(Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = assessments, treat_none_as_null = true)]
struct AssessmentRow {
    period_id: String,
    participant_id: String,
    work_history: Option<String>,
    education: Option<String>,
    languages: Option<String>,
    sfi_test_result: Option<String>,
    guidance_notes: Option<String>,
    parties_involved: Option<String>,
    version: i32,
    updated_at: NaiveDateTime,
    updated_by: String,
}

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = consents)]
struct ConsentRow {
    id: String,
    participant_id: String,
    shares: String,
    recipient_kind: String,
    recipient_provider_id: Option<String>,
    given_on: NaiveDate,
    withdrawn_on: Option<NaiveDate>,
    recorded_by: String,
    created_at: NaiveDateTime,
    period_id: Option<String>,
}

impl ConsentRow {
    /// The period that recorded it (every row has one since the case-file migration).
    fn period(&self) -> Result<Uuid, RepoError> {
        let id = self
            .period_id
            .as_deref()
            .ok_or_else(|| RepoError::Unexpected("consent without a period".into()))?;
        stored_uuid(id)
    }

    fn into_domain(self) -> Result<Consent, RepoError> {
        Ok(Consent {
            id: stored_uuid(&self.id)?,
            shares: self.shares,
            recipient_kind: RecipientKind::parse(&self.recipient_kind)
                .ok_or_else(|| RepoError::Unexpected(format!("stored recipient kind {:?}", self.recipient_kind)))?,
            recipient_provider: self.recipient_provider_id.as_deref().map(stored_uuid).transpose()?,
            given_on: self.given_on,
            withdrawn_on: self.withdrawn_on,
        })
    }
}

/// Records a change to one of the participant's parts; the version has moved on already
/// (`versioned::advance` or `bump`, the first write of the change) to `version`.
fn touched(
    conn: &mut DbConnection,
    acting: &ActingContext,
    participant: &Participant,
    version: i32,
    event_type: &str,
    changes: &[(&'static str, Option<String>, Option<String>)],
) -> Result<Participant, RepoError> {
    diesel::update(participants::table.find(participant.id.to_string()))
        .set(participants::updated_at.eq(acting.now))
        .execute(conn)?;
    let touched = Participant {
        version,
        ..participant.clone()
    };
    record_change(conn, acting, &touched, event_type, changes)?;
    Ok(touched)
}

fn checked(
    conn: &mut DbConnection,
    id: Uuid,
    scope: &ListScope,
    expected_version: Option<i32>,
) -> Result<Participant, RepoError> {
    let participant = ParticipantRepo::get(conn, id, scope)?;
    match expected_version {
        Some(expected) if expected != participant.version => Err(RepoError::StaleVersion {
            current: participant.version,
        }),
        _ => Ok(participant),
    }
}

impl ParticipantRepo {
    /// The mapping of one participation period, empty until first saved.
    pub fn assessment(conn: &mut DbConnection, period_id: Uuid) -> Result<Assessment, RepoError> {
        let row: Option<AssessmentRow> = assessments::table
            .find(period_id.to_string())
            .select(AssessmentRow::as_select())
            .first(conn)
            .optional()?;
        Ok(row
            .map(|r| Assessment {
                work_history: r.work_history,
                education: r.education,
                languages: r.languages,
                sfi_test_result: r.sfi_test_result,
                guidance_notes: r.guidance_notes,
                parties_involved: r.parties_involved,
            })
            .unwrap_or_default())
    }

    /// Replaces the mapping of the participant at `expected_version`.
    pub fn save_assessment(
        conn: &mut DbConnection,
        acting: &ActingContext,
        id: Uuid,
        scope: &ListScope,
        expected_version: i32,
        assessment: &Assessment,
    ) -> Result<(Participant, Assessment), RepoError> {
        let participant = checked(conn, id, scope, Some(expected_version))?;
        let version = versioned::advance(conn, VersionedRow::Participant(&id.to_string()), expected_version)?;
        let period = participant.current.id;
        let before = Self::assessment(conn, period)?;
        let row = AssessmentRow {
            period_id: period.to_string(),
            participant_id: id.to_string(),
            work_history: assessment.work_history.clone(),
            education: assessment.education.clone(),
            languages: assessment.languages.clone(),
            sfi_test_result: assessment.sfi_test_result.clone(),
            guidance_notes: assessment.guidance_notes.clone(),
            parties_involved: assessment.parties_involved.clone(),
            version,
            updated_at: acting.now,
            updated_by: acting.subject.clone(),
        };
        if diesel::update(assessments::table.find(&row.period_id))
            .set(&row)
            .execute(conn)?
            == 0
        {
            diesel::insert_into(assessments::table).values(&row).execute(conn)?;
        }
        let changes = changed_fields(&before.snapshot(), &assessment.snapshot());
        let participant = touched(
            conn,
            acting,
            &participant,
            version,
            "participant.assessment_updated",
            &changes,
        )?;
        Ok((participant, Self::assessment(conn, period)?))
    }

    /// Every consent of the participant with the period that recorded it, oldest first.
    pub fn consents_by_period(conn: &mut DbConnection, id: Uuid) -> Result<Vec<(Uuid, Consent)>, RepoError> {
        consents::table
            .filter(consents::participant_id.eq(id.to_string()))
            .order((consents::given_on, consents::id))
            .select(ConsentRow::as_select())
            .load::<ConsentRow>(conn)?
            .into_iter()
            .map(|row| Ok((row.period()?, row.into_domain()?)))
            .collect()
    }

    /// The consents recorded in one period: what the current case may rely on.
    pub fn consents(conn: &mut DbConnection, id: Uuid, period_id: Uuid) -> Result<Vec<Consent>, RepoError> {
        Ok(Self::consents_by_period(conn, id)?
            .into_iter()
            .filter(|(period, _)| *period == period_id)
            .map(|(_, consent)| consent)
            .collect())
    }

    pub fn add_consent(
        conn: &mut DbConnection,
        acting: &ActingContext,
        id: Uuid,
        scope: &ListScope,
        consent: &Consent,
    ) -> Result<Participant, RepoError> {
        let participant = checked(conn, id, scope, None)?;
        let version = versioned::bump(conn, VersionedRow::Participant(&id.to_string()))?;
        diesel::insert_into(consents::table)
            .values(ConsentRow {
                id: consent.id.to_string(),
                participant_id: id.to_string(),
                shares: consent.shares.clone(),
                recipient_kind: consent.recipient_kind.as_str().to_owned(),
                recipient_provider_id: consent.recipient_provider.map(|p| p.to_string()),
                given_on: consent.given_on,
                withdrawn_on: None,
                recorded_by: acting.subject.clone(),
                created_at: acting.now,
                period_id: Some(participant.current.id.to_string()),
            })
            .execute(conn)?;
        let change = [(
            "consent",
            None,
            Some(format!("{} to {}", consent.id, consent.recipient_kind.as_str())),
        )];
        touched(
            conn,
            acting,
            &participant,
            version,
            "participant.consent_given",
            &change,
        )
    }

    /// Withdraws a consent by the rule `decide`, at the participant's `expected_version`.
    pub fn withdraw_consent<E, F>(
        conn: &mut DbConnection,
        acting: &ActingContext,
        id: Uuid,
        scope: &ListScope,
        expected_version: i32,
        consent_id: Uuid,
        decide: F,
    ) -> Result<(Participant, Consent), E>
    where
        E: From<RepoError>,
        F: FnOnce(Consent) -> Result<Consent, E>,
    {
        let participant = checked(conn, id, scope, Some(expected_version))?;
        let version = versioned::advance(conn, VersionedRow::Participant(&id.to_string()), expected_version)?;
        let consent = Self::consents(conn, id, participant.current.id)?
            .into_iter()
            .find(|c| c.id == consent_id)
            .ok_or(RepoError::NotFound)?;
        let withdrawn = decide(consent)?;
        diesel::update(consents::table.find(consent_id.to_string()))
            .set(consents::withdrawn_on.eq(withdrawn.withdrawn_on))
            .execute(conn)
            .map_err(RepoError::from)?;
        let change = [(
            "consent_withdrawn",
            None,
            Some(format!(
                "{consent_id} on {}",
                withdrawn.withdrawn_on.map(|d| d.to_string()).unwrap_or_default()
            )),
        )];
        let participant = touched(
            conn,
            acting,
            &participant,
            version,
            "participant.consent_withdrawn",
            &change,
        )?;
        Ok((participant, withdrawn))
    }
}
