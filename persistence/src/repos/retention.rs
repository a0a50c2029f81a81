//! Retention: the participations past the records policy, and the anonymisation that replaces
//! a person's identity and removes every free text about them, keeping the coded, dated facts
//! (periods, target groups, outcomes, follow-ups, plan and referral dates and codes, claims)
//! that the key figures are made of.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::max;
use diesel::prelude::*;
use uuid::Uuid;

use crate::audit::ActingContext;
use crate::error::RepoError;
use crate::events::EventScope;
use crate::journal::{self, Change};
use crate::pool::DbConnection;
use crate::repos::participant::PARTICIPANT;
use crate::rows::participant::stored_uuid;
use crate::schema::{
    absences, activity_plans, assessments, claims, field_history, follow_ups, handovers, interruptions,
    journal_entries, participants, participation_periods as periods, plan_activities, plan_decisions, progress_reports,
    referral_deliveries, referrals, transfers,
};

/// What replaces a removed free text that may not be empty.
pub const REMOVED: &str = "[borttaget]";

/// A participation that may be past the policy, with the day of its last entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub participant_id: Uuid,
    pub last_entry: NaiveDate,
}

fn day(at: Option<NaiveDateTime>) -> Option<NaiveDate> {
    at.map(|t| t.date())
}

pub struct RetentionRepo;

impl RetentionRepo {
    /// Persons not yet anonymised whose current participation ended before `exited_before`,
    /// each with the day of the last entry about them: the latest of the exit, a follow-up, a
    /// change, a journal note and an absence report.
    pub fn candidates(conn: &mut DbConnection, exited_before: NaiveDate) -> Result<Vec<Candidate>, RepoError> {
        let rows: Vec<(String, Option<NaiveDate>)> = periods::table
            .inner_join(participants::table)
            .filter(periods::is_current.eq(true))
            .filter(periods::exited_on.lt(exited_before))
            .filter(participants::anonymised_at.is_null())
            .select((periods::participant_id, periods::exited_on))
            .order(periods::participant_id)
            .load(conn)?;
        let mut found = Vec::with_capacity(rows.len());
        for (id, exited_on) in rows {
            let follow_up: Option<NaiveDate> = follow_ups::table
                .filter(follow_ups::participant_id.eq(&id))
                .select(max(follow_ups::followed_up_on))
                .first(conn)?;
            let changed: Option<NaiveDateTime> = field_history::table
                .filter(field_history::participant_id.eq(&id))
                .select(max(field_history::changed_at))
                .first(conn)?;
            let noted: Option<NaiveDateTime> = journal_entries::table
                .filter(journal_entries::participant_id.eq(&id))
                .select(max(journal_entries::written_at))
                .first(conn)?;
            let absent: Option<NaiveDateTime> = absences::table
                .filter(absences::participant_id.eq(&id))
                .select(max(absences::reported_at))
                .first(conn)?;
            let last = [exited_on, follow_up, day(changed), day(noted), day(absent)]
                .into_iter()
                .flatten()
                .max();
            if let Some(last_entry) = last {
                found.push(Candidate {
                    participant_id: stored_uuid(&id)?,
                    last_entry,
                });
            }
        }
        Ok(found)
    }

    /// Anonymises the person `id` in the caller's transaction: identity and contact replaced,
    /// every free text about them removed, the field history's old and new values cleared; the
    /// participant's version moves on and the change is in the access log and the feed.
    pub fn anonymise(conn: &mut DbConnection, acting: &ActingContext, id: Uuid) -> Result<(), RepoError> {
        let key = id.to_string();
        let version = crate::versioned::bump(conn, crate::versioned::VersionedRow::Participant(&key))?;
        let pseudonym: String = participants::table
            .find(&key)
            .select(participants::pseudonym)
            .first(conn)?;
        let birth: NaiveDate = participants::table
            .find(&key)
            .select(participants::birth_date)
            .first(conn)?;
        // The year of birth stays (age groups); the day goes with the identity number.
        let birth_year = NaiveDate::from_yo_opt(chrono::Datelike::year(&birth), 1).unwrap_or(birth);
        diesel::update(participants::table.find(&key))
            .set((
                participants::personnummer.eq(format!("anonymised:{}", id.simple())),
                participants::first_name.eq(REMOVED),
                participants::last_name.eq(&pseudonym),
                participants::birth_date.eq(birth_year),
                participants::phone.eq(None::<String>),
                participants::email.eq(None::<String>),
                participants::street_address.eq(None::<String>),
                participants::postal_code.eq(None::<String>),
                participants::city.eq(None::<String>),
                participants::language_needs.eq(None::<String>),
                participants::anonymised_at.eq(Some(acting.now)),
                participants::updated_at.eq(acting.now),
            ))
            .execute(conn)?;
        Self::remove_free_texts(conn, &key)?;
        diesel::update(field_history::table.filter(field_history::participant_id.eq(&key)))
            .set((
                field_history::old_value.eq(None::<String>),
                field_history::new_value.eq(None::<String>),
            ))
            .execute(conn)?;
        journal::record(
            conn,
            acting,
            Change {
                event_type: "participant.anonymised",
                resource_type: PARTICIPANT,
                resource_id: &key,
                resource_version: version,
                participant_id: Some(&key),
                scope: EventScope {
                    participant: Some(key.clone()),
                    ..EventScope::default()
                },
            },
            &[],
        )
    }

    fn remove_free_texts(conn: &mut DbConnection, key: &str) -> Result<(), RepoError> {
        diesel::update(periods::table.filter(periods::participant_id.eq(key)))
            .set((
                periods::referral_reason.eq(REMOVED),
                periods::exit_reason.eq(None::<String>),
            ))
            .execute(conn)?;
        diesel::update(interruptions::table.filter(interruptions::participant_id.eq(key)))
            .set(interruptions::note.eq(None::<String>))
            .execute(conn)?;
        diesel::update(assessments::table.filter(assessments::participant_id.eq(key)))
            .set((
                assessments::work_history.eq(None::<String>),
                assessments::education.eq(None::<String>),
                assessments::languages.eq(None::<String>),
                assessments::sfi_test_result.eq(None::<String>),
                assessments::guidance_notes.eq(None::<String>),
                assessments::parties_involved.eq(None::<String>),
            ))
            .execute(conn)?;
        let plans = activity_plans::table
            .filter(activity_plans::participant_id.eq(key))
            .select(activity_plans::id);
        diesel::update(activity_plans::table.filter(activity_plans::participant_id.eq(key)))
            .set((
                activity_plans::goal.eq(REMOVED),
                activity_plans::wishes.eq(None::<String>),
            ))
            .execute(conn)?;
        diesel::update(plan_activities::table.filter(plan_activities::plan_id.eq_any(plans)))
            .set((
                plan_activities::description.eq(REMOVED),
                plan_activities::expected_result.eq(None::<String>),
                plan_activities::follow_up_result.eq(None::<String>),
                plan_activities::discontinued_reason.eq(None::<String>),
            ))
            .execute(conn)?;
        let plans = activity_plans::table
            .filter(activity_plans::participant_id.eq(key))
            .select(activity_plans::id);
        diesel::update(plan_decisions::table.filter(plan_decisions::plan_id.eq_any(plans)))
            .set(plan_decisions::reason.eq(None::<String>))
            .execute(conn)?;
        let of_person = referrals::table
            .filter(referrals::participant_id.eq(key))
            .select(referrals::id);
        diesel::update(referrals::table.filter(referrals::participant_id.eq(key)))
            .set((
                referrals::note.eq(None::<String>),
                referrals::end_note.eq(None::<String>),
                referrals::outcome_reason.eq(None::<String>),
            ))
            .execute(conn)?;
        diesel::update(progress_reports::table.filter(progress_reports::referral_id.eq_any(of_person)))
            .set(progress_reports::comment.eq(None::<String>))
            .execute(conn)?;
        let of_person = referrals::table
            .filter(referrals::participant_id.eq(key))
            .select(referrals::id);
        diesel::update(claims::table.filter(claims::referral_id.eq_any(of_person)))
            .set(claims::reject_reason.eq(None::<String>))
            .execute(conn)?;
        let of_person = referrals::table
            .filter(referrals::participant_id.eq(key))
            .select(referrals::id);
        diesel::update(referral_deliveries::table.filter(referral_deliveries::referral_id.eq_any(of_person)))
            .set(referral_deliveries::reason.eq(REMOVED))
            .execute(conn)?;
        diesel::update(handovers::table.filter(handovers::participant_id.eq(key)))
            .set(handovers::legal_basis.eq(REMOVED))
            .execute(conn)?;
        diesel::update(journal_entries::table.filter(journal_entries::participant_id.eq(key)))
            .set(journal_entries::body.eq(REMOVED))
            .execute(conn)?;
        diesel::update(absences::table.filter(absences::participant_id.eq(key)))
            .set((
                absences::note.eq(None::<String>),
                absences::late_reason.eq(None::<String>),
            ))
            .execute(conn)?;
        diesel::update(transfers::table.filter(transfers::participant_id.eq(key)))
            .set((
                transfers::note.eq(None::<String>),
                transfers::decision_note.eq(None::<String>),
            ))
            .execute(conn)?;
        Ok(())
    }
}
