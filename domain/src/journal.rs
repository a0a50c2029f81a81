//! The case journal: dated, signed notes that are never edited or deleted. A mistake is put
//! right by a correction, a note of its own that names the one it corrects and is shown beside
//! it. A confidential note is read only by the coaches and managers of the job centre that
//! wrote it; every other note follows the case-file rule (`CaseRecord::Journal`).

use chrono::{NaiveDate, NaiveDateTime};
use uuid::Uuid;

use crate::access::{Actor, Role};
use crate::shared::Code;

/// Who wrote a note: subject, role and office, as the token named them when it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    pub subject: String,
    pub role: Role,
    pub jobbtorg: Option<Code>,
    pub district: Option<Code>,
}

impl Author {
    pub fn of(actor: &Actor) -> Self {
        Author {
            subject: actor.subject().to_owned(),
            role: actor.role(),
            jobbtorg: actor.jobbtorg().cloned(),
            district: actor.district().cloned(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalEntry {
    pub id: Uuid,
    pub participant_id: Uuid,
    pub period_id: Uuid,
    /// The note this one corrects; `None` for an original note.
    pub corrects: Option<Uuid>,
    /// The day the note is about.
    pub entry_date: NaiveDate,
    pub body: String,
    pub confidential: bool,
    pub author: Author,
    pub written_at: NaiveDateTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum JournalError {
    #[error("a note may not be dated in the future")]
    InFuture,
    #[error("a note may not be dated before the participation began ({0})")]
    BeforeParticipation(NaiveDate),
    #[error("only the job centre's coaches and managers may write a confidential note")]
    ConfidentialNotAllowed,
    #[error("a correction of a confidential note is confidential too")]
    CorrectionMustBeConfidential,
    #[error("a correction is corrected through the note it corrects")]
    CorrectsACorrection,
}

/// Whether `actor` may read this note, given that the case-file rule lets them read the
/// journal of its period: a confidential note only at the job centre that wrote it.
pub fn sees_entry(actor: &Actor, entry: &JournalEntry) -> bool {
    !entry.confidential
        || (matches!(actor.role(), Role::Coach | Role::JobbtorgManager)
            && entry.author.jobbtorg.is_some()
            && actor.jobbtorg() == entry.author.jobbtorg.as_ref())
}

/// Checks a new note written by `author` on `today`, dated `entry_date`, in a period that
/// began (was referred) on `period_start`; `corrects` is the note it corrects, if any.
pub fn check_new_entry(
    author: &Author,
    entry_date: NaiveDate,
    confidential: bool,
    period_start: NaiveDate,
    today: NaiveDate,
    corrects: Option<&JournalEntry>,
) -> Result<(), JournalError> {
    if entry_date > today {
        return Err(JournalError::InFuture);
    }
    if entry_date < period_start {
        return Err(JournalError::BeforeParticipation(period_start));
    }
    if confidential && !matches!(author.role, Role::Coach | Role::JobbtorgManager) {
        return Err(JournalError::ConfidentialNotAllowed);
    }
    if let Some(original) = corrects {
        if original.corrects.is_some() {
            return Err(JournalError::CorrectsACorrection);
        }
        if original.confidential && !confidential {
            return Err(JournalError::CorrectionMustBeConfidential);
        }
    }
    Ok(())
}

/// Each original note with its corrections beside it, oldest first, of those `visible`.
pub fn with_corrections(entries: Vec<JournalEntry>) -> Vec<(JournalEntry, Vec<JournalEntry>)> {
    let (corrections, originals): (Vec<_>, Vec<_>) = entries.into_iter().partition(|e| e.corrects.is_some());
    originals
        .into_iter()
        .map(|original| {
            let mine = corrections
                .iter()
                .filter(|c| c.corrects == Some(original.id))
                .cloned()
                .collect();
            (original, mine)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(raw: &str) -> Code {
        Code::parse(raw).unwrap()
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn coach(centre: &str) -> Actor {
        Actor::new("coach-anna", Role::Coach, Some(code(centre)), None, None, vec![]).unwrap()
    }

    fn officer() -> Actor {
        Actor::new(
            "officer",
            Role::DistrictOfficer,
            None,
            Some(code("rinkeby-kista")),
            None,
            vec![],
        )
        .unwrap()
    }

    fn entry(id: u128, confidential: bool, corrects: Option<u128>) -> JournalEntry {
        JournalEntry {
            id: Uuid::from_u128(id),
            participant_id: Uuid::from_u128(100),
            period_id: Uuid::from_u128(200),
            corrects: corrects.map(Uuid::from_u128),
            entry_date: day(10),
            body: "Samtal om praktik.".into(),
            confidential,
            author: Author::of(&coach("jarva")),
            written_at: day(10).and_hms_opt(9, 0, 0).unwrap(),
        }
    }

    #[test]
    fn a_confidential_note_is_read_only_at_the_job_centre_that_wrote_it() {
        let secret = entry(1, true, None);
        assert!(sees_entry(&coach("jarva"), &secret));
        assert!(!sees_entry(&coach("sydost"), &secret));
        assert!(!sees_entry(&officer(), &secret));
        let open = entry(2, false, None);
        assert!(sees_entry(&officer(), &open));
        assert!(sees_entry(&coach("sydost"), &open));
    }

    #[test]
    fn a_note_is_dated_within_the_participation_and_never_in_the_future() {
        let author = Author::of(&coach("jarva"));
        assert_eq!(check_new_entry(&author, day(10), false, day(2), day(10), None), Ok(()));
        assert_eq!(
            check_new_entry(&author, day(11), false, day(2), day(10), None),
            Err(JournalError::InFuture)
        );
        assert_eq!(
            check_new_entry(&author, day(1), false, day(2), day(10), None),
            Err(JournalError::BeforeParticipation(day(2)))
        );
    }

    #[test]
    fn only_the_job_centre_writes_confidential_notes() {
        let district = Author::of(&officer());
        assert_eq!(
            check_new_entry(&district, day(10), true, day(2), day(10), None),
            Err(JournalError::ConfidentialNotAllowed)
        );
        assert_eq!(
            check_new_entry(&district, day(10), false, day(2), day(10), None),
            Ok(())
        );
    }

    #[test]
    fn a_correction_names_an_original_and_keeps_its_confidentiality() {
        let author = Author::of(&coach("jarva"));
        let secret = entry(1, true, None);
        assert_eq!(
            check_new_entry(&author, day(10), false, day(2), day(10), Some(&secret)),
            Err(JournalError::CorrectionMustBeConfidential)
        );
        assert_eq!(
            check_new_entry(&author, day(10), true, day(2), day(10), Some(&secret)),
            Ok(())
        );
        let correction = entry(3, false, Some(2));
        assert_eq!(
            check_new_entry(&author, day(10), false, day(2), day(10), Some(&correction)),
            Err(JournalError::CorrectsACorrection)
        );
    }

    #[test]
    fn corrections_are_shown_beside_the_note_they_correct() {
        let grouped = with_corrections(vec![
            entry(1, false, None),
            entry(2, false, None),
            entry(3, false, Some(1)),
        ]);
        assert_eq!(grouped.len(), 2);
        assert_eq!(grouped[0].0.id, Uuid::from_u128(1));
        assert_eq!(grouped[0].1.len(), 1);
        assert!(grouped[1].1.is_empty());
    }
}
