//! The records policy applied: every participation past it is anonymised (see
//! `domain::retention` and `persistence::repos::retention`). Run by each node's housekeeping and
//! by `jobbtorg-api retention`; safe on several nodes at once (each person in a transaction of
//! its own, and one already anonymised is no longer a candidate).

use domain::retention::{exited_before, is_past_policy, kept_until};
use persistence::repos::retention::RetentionRepo;
use persistence::{tx, DbConnection};
use uuid::Uuid;

use super::{Context, OpError};

/// A participation past the policy: whose, its last entry, and the day the policy ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anonymisation {
    pub participant_id: Uuid,
    pub last_entry: chrono::NaiveDate,
    pub kept_until: chrono::NaiveDate,
}

/// The participations past the policy of `years` on the context's day; each anonymised unless
/// `dry_run`, in a transaction of its own.
pub fn run(conn: &mut DbConnection, ctx: &Context, years: u32, dry_run: bool) -> Result<Vec<Anonymisation>, OpError> {
    let today = ctx.today();
    let due: Vec<Anonymisation> = RetentionRepo::candidates(conn, exited_before(years, today))?
        .into_iter()
        .filter(|c| is_past_policy(c.last_entry, years, today))
        .map(|c| Anonymisation {
            participant_id: c.participant_id,
            last_entry: c.last_entry,
            kept_until: kept_until(c.last_entry, years),
        })
        .collect();
    if !dry_run {
        let acting = ctx.acting();
        for item in &due {
            tx::write(conn, |conn| {
                RetentionRepo::anonymise(conn, &acting, item.participant_id)
            })?;
        }
    }
    Ok(due)
}
