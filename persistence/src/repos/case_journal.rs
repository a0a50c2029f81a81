//! The case journal: notes are inserted and read, never updated or deleted (a correction is a
//! note of its own). Each note is written with its access-log record and its event.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use domain::access::Role;
use domain::journal::{Author, JournalEntry};
use uuid::Uuid;

use crate::audit::ActingContext;
use crate::error::RepoError;
use crate::events::EventScope;
use crate::journal::{self, Change};
use crate::pool::DbConnection;
use crate::rows::participant::stored_uuid;
use crate::rows::reference::stored_code;
use crate::schema::journal_entries;

pub const JOURNAL_ENTRY: &str = "journal_entry";

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = journal_entries)]
struct JournalRow {
    id: String,
    participant_id: String,
    period_id: String,
    corrects: Option<String>,
    entry_date: NaiveDate,
    body: String,
    confidential: bool,
    author_subject: String,
    author_role: String,
    author_jobbtorg: Option<String>,
    author_district: Option<String>,
    written_at: NaiveDateTime,
}

impl JournalRow {
    fn from_domain(entry: &JournalEntry) -> Self {
        JournalRow {
            id: entry.id.to_string(),
            participant_id: entry.participant_id.to_string(),
            period_id: entry.period_id.to_string(),
            corrects: entry.corrects.map(|c| c.to_string()),
            entry_date: entry.entry_date,
            body: entry.body.clone(),
            confidential: entry.confidential,
            author_subject: entry.author.subject.clone(),
            author_role: entry.author.role.as_str().to_owned(),
            author_jobbtorg: entry.author.jobbtorg.as_ref().map(ToString::to_string),
            author_district: entry.author.district.as_ref().map(ToString::to_string),
            written_at: entry.written_at,
        }
    }

    fn into_domain(self) -> Result<JournalEntry, RepoError> {
        Ok(JournalEntry {
            id: stored_uuid(&self.id)?,
            participant_id: stored_uuid(&self.participant_id)?,
            period_id: stored_uuid(&self.period_id)?,
            corrects: self.corrects.as_deref().map(stored_uuid).transpose()?,
            entry_date: self.entry_date,
            body: self.body,
            confidential: self.confidential,
            author: Author {
                subject: self.author_subject,
                role: Role::parse(&self.author_role)
                    .ok_or_else(|| RepoError::Unexpected(format!("stored role {:?}", self.author_role)))?,
                jobbtorg: self.author_jobbtorg.as_deref().map(stored_code).transpose()?,
                district: self.author_district.as_deref().map(stored_code).transpose()?,
            },
            written_at: self.written_at,
        })
    }
}

pub struct JournalRepo;

impl JournalRepo {
    /// One note, whoever's it is; the caller applies the visibility rule.
    pub fn get(conn: &mut DbConnection, id: Uuid) -> Result<JournalEntry, RepoError> {
        journal_entries::table
            .find(id.to_string())
            .select(JournalRow::as_select())
            .first::<JournalRow>(conn)?
            .into_domain()
    }

    /// Every note of the participant, oldest first.
    pub fn for_participant(conn: &mut DbConnection, participant_id: Uuid) -> Result<Vec<JournalEntry>, RepoError> {
        journal_entries::table
            .filter(journal_entries::participant_id.eq(participant_id.to_string()))
            .order((journal_entries::written_at, journal_entries::id))
            .select(JournalRow::as_select())
            .load::<JournalRow>(conn)?
            .into_iter()
            .map(JournalRow::into_domain)
            .collect()
    }

    /// Writes a note with its access-log record and event; a confidential note's event goes to
    /// its job centre's feed only.
    pub fn insert(
        conn: &mut DbConnection,
        acting: &ActingContext,
        entry: &JournalEntry,
        scope: EventScope,
    ) -> Result<(), RepoError> {
        diesel::insert_into(journal_entries::table)
            .values(JournalRow::from_domain(entry))
            .execute(conn)?;
        let (id, participant) = (entry.id.to_string(), entry.participant_id.to_string());
        let event_type = if entry.corrects.is_some() {
            "participant.journal_entry_corrected"
        } else {
            "participant.journal_entry_added"
        };
        journal::record(
            conn,
            acting,
            Change {
                event_type,
                resource_type: JOURNAL_ENTRY,
                resource_id: &id,
                resource_version: 1,
                participant_id: Some(&participant),
                scope,
            },
            &[],
        )
    }
}
