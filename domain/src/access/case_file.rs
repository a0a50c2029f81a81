//! Whose case file a record belongs to, and who may see it: the one visibility rule that the
//! participant resource, its history, its access log and its export all apply (DESIGN.md §6,
//! "Each job centre's case file is its own").
//!
//! A participation period's records (the mapping, plan texts, consents, referrals, history,
//! access log) belong to the job centre and district that made them. A new period sees the
//! person's identity and contact and the earlier periods' dates and coded outcomes (the 18-month
//! clock needs them); the rest of an earlier period only through a recorded handover that names
//! it. Within what a caller's office holds, some records are not for every role: the mapping is
//! the job centre's working material, so the home district's officer, who decides on the plan,
//! does not read it.

use chrono::NaiveDateTime;
use uuid::Uuid;

use super::actor::{Actor, Role};
use crate::shared::Code;

/// The kinds of record in a participant's case file, as a handover names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CaseRecord {
    /// The mapping (kartläggning): work history, education, languages, guidance notes.
    Mapping,
    /// Activity plans with their goals, activities and the district's decisions.
    Plans,
    Consents,
    /// Referrals to providers with their progress reports, absences and claims.
    Referrals,
    /// Interruption notes (the dates and coded reasons are shared with every period).
    InterruptionNotes,
    /// Field-level history.
    History,
    AccessLog,
    /// The case journal's notes (a confidential note stays with the job centre that wrote it).
    Journal,
}

impl CaseRecord {
    pub const ALL: [CaseRecord; 8] = [
        CaseRecord::Mapping,
        CaseRecord::Plans,
        CaseRecord::Consents,
        CaseRecord::Referrals,
        CaseRecord::InterruptionNotes,
        CaseRecord::History,
        CaseRecord::AccessLog,
        CaseRecord::Journal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseRecord::Mapping => "mapping",
            CaseRecord::Plans => "plans",
            CaseRecord::Consents => "consents",
            CaseRecord::Referrals => "referrals",
            CaseRecord::InterruptionNotes => "interruption_notes",
            CaseRecord::History => "history",
            CaseRecord::AccessLog => "access_log",
            CaseRecord::Journal => "journal",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw)
    }

    /// Whether a role may read this kind of record at all, in its own office's case file.
    pub fn readable_by(self, role: Role) -> bool {
        match role {
            Role::Coach | Role::JobbtorgManager => true,
            // The district decides on the plan and sees participation; the mapping is not its.
            Role::DistrictOfficer => self != CaseRecord::Mapping,
            _ => false,
        }
    }

    /// The kind of record a field of the participant's history is about.
    pub fn of_participant_field(field: &str) -> Option<CaseRecord> {
        if field.starts_with("assessment.") {
            Some(CaseRecord::Mapping)
        } else if field.starts_with("consent") {
            Some(CaseRecord::Consents)
        } else {
            // The person's identity, contact and the period's dates and codes.
            None
        }
    }
}

/// A participation period as the rule sees it: who made it and when it began.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodOwner {
    pub period_id: Uuid,
    pub jobbtorg: Code,
    pub district: Code,
    /// When the intake that opened it was recorded.
    pub opened_at: NaiveDateTime,
}

impl PeriodOwner {
    /// Whether `actor` works at the job centre or district that made this period.
    pub fn made_by_office_of(&self, actor: &Actor) -> bool {
        match actor.role() {
            Role::Coach | Role::JobbtorgManager => actor.jobbtorg() == Some(&self.jobbtorg),
            Role::DistrictOfficer => actor.district() == Some(&self.district),
            _ => false,
        }
    }
}

/// A recorded handover: these kinds of record of period `from` are shared with period `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handover {
    pub from: Uuid,
    pub to: Uuid,
    pub records: Vec<CaseRecord>,
}

/// A participant's periods, oldest first (the last is the current one), and the handovers
/// between them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFile {
    pub periods: Vec<PeriodOwner>,
    pub handovers: Vec<Handover>,
}

impl CaseFile {
    fn period(&self, id: Uuid) -> Option<&PeriodOwner> {
        self.periods.iter().find(|p| p.period_id == id)
    }

    /// The period in force at `at`: the last one opened at or before it (the first for
    /// anything older, which cannot happen for records made after the intake).
    pub fn period_at(&self, at: NaiveDateTime) -> Option<Uuid> {
        self.periods
            .iter()
            .rev()
            .find(|p| p.opened_at <= at)
            .or(self.periods.first())
            .map(|p| p.period_id)
    }

    /// May `actor` read records of kind `record` that belong to period `period_id`? Yes when
    /// the role reads such records and either the actor's office made the period or a handover
    /// shared them with a period the actor's office made.
    pub fn sees(&self, actor: &Actor, record: CaseRecord, period_id: Uuid) -> bool {
        if !record.readable_by(actor.role()) {
            return false;
        }
        let Some(period) = self.period(period_id) else {
            return false;
        };
        period.made_by_office_of(actor)
            || self.handovers.iter().any(|h| {
                h.from == period_id
                    && h.records.contains(&record)
                    && self.period(h.to).is_some_and(|to| to.made_by_office_of(actor))
            })
    }

    /// Whether `actor` sees the handover's own record: both offices do, giving and receiving.
    pub fn sees_handover(&self, actor: &Actor, handover: &Handover) -> bool {
        [handover.from, handover.to]
            .iter()
            .any(|id| self.period(*id).is_some_and(|p| p.made_by_office_of(actor)))
    }

    /// The earlier periods whose records of some kind `actor` may not read: what the export
    /// names as held by another office.
    pub fn withheld(&self, actor: &Actor) -> Vec<(&PeriodOwner, Vec<CaseRecord>)> {
        self.periods
            .iter()
            .filter_map(|p| {
                let hidden: Vec<CaseRecord> = CaseRecord::ALL
                    .into_iter()
                    .filter(|r| !self.sees(actor, *r, p.period_id))
                    .collect();
                (!hidden.is_empty()).then_some((p, hidden))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn code(raw: &str) -> Code {
        Code::parse(raw).unwrap()
    }

    fn at(day: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, day)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap()
    }

    fn coach(centre: &str) -> Actor {
        Actor::new("c", Role::Coach, Some(code(centre)), None, None, vec![]).unwrap()
    }

    fn officer(district: &str) -> Actor {
        Actor::new("o", Role::DistrictOfficer, None, Some(code(district)), None, vec![]).unwrap()
    }

    const JARVA: Uuid = Uuid::from_u128(1);
    const SYDOST: Uuid = Uuid::from_u128(2);

    /// Järva's period (Rinkeby-Kista) ended; Farsta referred the person to Sydost.
    fn two_periods(handovers: Vec<Handover>) -> CaseFile {
        CaseFile {
            periods: vec![
                PeriodOwner {
                    period_id: JARVA,
                    jobbtorg: code("jarva"),
                    district: code("rinkeby-kista"),
                    opened_at: at(2),
                },
                PeriodOwner {
                    period_id: SYDOST,
                    jobbtorg: code("sydost"),
                    district: code("farsta"),
                    opened_at: at(20),
                },
            ],
            handovers,
        }
    }

    #[test]
    fn a_new_period_does_not_see_the_earlier_periods_case_file() {
        let file = two_periods(vec![]);
        for record in CaseRecord::ALL {
            assert!(!file.sees(&coach("sydost"), record, JARVA), "{record:?}");
            assert!(!file.sees(&officer("farsta"), record, JARVA), "{record:?}");
            assert!(file.sees(&coach("sydost"), record, SYDOST), "{record:?}");
            assert!(file.sees(&coach("jarva"), record, JARVA), "its own: {record:?}");
        }
        assert_eq!(file.withheld(&coach("sydost")).len(), 1);
        assert!(!file.sees(&coach("innerstaden"), CaseRecord::Plans, SYDOST));
    }

    #[test]
    fn a_handover_shares_what_it_names_and_nothing_else() {
        let handover = Handover {
            from: JARVA,
            to: SYDOST,
            records: vec![CaseRecord::Mapping, CaseRecord::Plans],
        };
        let file = two_periods(vec![handover.clone()]);
        assert!(file.sees(&coach("sydost"), CaseRecord::Mapping, JARVA));
        assert!(file.sees(&coach("sydost"), CaseRecord::Plans, JARVA));
        assert!(!file.sees(&coach("sydost"), CaseRecord::Consents, JARVA));
        assert!(file.sees(&officer("farsta"), CaseRecord::Plans, JARVA));
        assert!(
            !file.sees(&officer("farsta"), CaseRecord::Mapping, JARVA),
            "the district never reads the mapping"
        );
        assert!(!file.sees(&coach("innerstaden"), CaseRecord::Plans, JARVA));
        assert!(file.sees_handover(&coach("jarva"), &handover));
        assert!(file.sees_handover(&officer("farsta"), &handover));
        assert!(!file.sees_handover(&coach("innerstaden"), &handover));
    }

    #[test]
    fn the_home_district_reads_everything_of_its_period_but_the_mapping() {
        let file = two_periods(vec![]);
        let district = officer("farsta");
        assert!(!file.sees(&district, CaseRecord::Mapping, SYDOST));
        for record in CaseRecord::ALL.into_iter().filter(|r| *r != CaseRecord::Mapping) {
            assert!(file.sees(&district, record, SYDOST), "{record:?}");
        }
        assert_eq!(
            CaseRecord::of_participant_field("assessment.work_history"),
            Some(CaseRecord::Mapping)
        );
        assert_eq!(
            CaseRecord::of_participant_field("consent_withdrawn"),
            Some(CaseRecord::Consents)
        );
        assert_eq!(CaseRecord::of_participant_field("last_name"), None);
    }

    #[test]
    fn a_record_belongs_to_the_period_in_force_when_it_was_made() {
        let file = two_periods(vec![]);
        assert_eq!(file.period_at(at(3)), Some(JARVA));
        assert_eq!(
            file.period_at(at(20)),
            Some(SYDOST),
            "the intake itself opens the new one"
        );
        assert_eq!(file.period_at(at(25)), Some(SYDOST));
    }
}
