//! The one explicit context an operation runs in: who acts, under which request, at which
//! instant. Built once per request by the route layer; nothing in an operation reads a clock.

use chrono::{DateTime, NaiveDate, Utc};
use domain::access::Actor;
use persistence::audit::{ActingContext, ReadLog};

#[derive(Debug, Clone)]
pub struct Context {
    pub actor: Actor,
    pub request_id: String,
    /// One clock reading for the whole operation.
    pub now: DateTime<Utc>,
    /// A read request's access-log records, made durable by the group-committing writer
    /// before its data leaves (`AppState::read`); `None` writes them in the operation's own
    /// transaction.
    pub reads: Option<ReadLog>,
}

impl Context {
    /// Today in Stockholm, for every date rule.
    pub fn today(&self) -> NaiveDate {
        domain::shared::city_date(self.now)
    }

    /// Who is acting, for the history, access-log record and event of the change.
    pub fn acting(&self) -> ActingContext {
        ActingContext {
            subject: self.actor.subject().to_owned(),
            role: self.actor.role().as_str().to_owned(),
            request_id: self.request_id.clone(),
            now: self.now.naive_utc(),
            reads: self.reads.clone(),
        }
    }
}
