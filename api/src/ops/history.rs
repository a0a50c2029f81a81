//! Field-level history, one way for every resource that keeps it: the record must be within
//! the caller's reach (else not found), a read of personal data is written to the access log,
//! and the rows come oldest first.

use domain::access::ListScope;
use domain::ids::{ContractId, ParticipantId, PlanId, ProviderId, ReferralId};
use persistence::history::{self, HistoryRow};
use persistence::repos::activity_plan::ACTIVITY_PLAN;
use persistence::repos::contract::CONTRACT;
use persistence::repos::participant::PARTICIPANT;
use persistence::repos::provider::PROVIDER;
use persistence::repos::referral::REFERRAL;
use persistence::repos::{ContractRepo, ParticipantRepo, ProviderRepo, ReferralRepo};
use persistence::DbConnection;

use super::{case_file, plans, Context, OpError};

/// Whose history.
#[derive(Debug, Clone, Copy)]
pub enum HistoryOf {
    Participant(ParticipantId),
    Plan(PlanId),
    Referral(ReferralId),
    Provider(ProviderId),
    Contract(ContractId),
}

impl HistoryOf {
    /// The resource as a not-found error names it.
    pub fn resource(self) -> &'static str {
        match self {
            HistoryOf::Participant(_) => "participant",
            HistoryOf::Plan(_) => "activity plan",
            HistoryOf::Referral(_) => "referral",
            HistoryOf::Provider(_) => "provider",
            HistoryOf::Contract(_) => "contract",
        }
    }
}

/// The history of `of` as a caller whose reach is `scope` may read it.
pub fn of(
    conn: &mut DbConnection,
    ctx: &Context,
    scope: &ListScope,
    of: HistoryOf,
) -> Result<Vec<HistoryRow>, OpError> {
    let acting = ctx.acting();
    let read = |conn: &mut DbConnection| -> Result<Vec<HistoryRow>, OpError> {
        let (resource_type, id) = match of {
            HistoryOf::Participant(id) => {
                let participant = ParticipantRepo::get(conn, id.uuid(), scope)?;
                ParticipantRepo::audit_read(conn, &acting, "participant.history", &[id.uuid()])?;
                let file = case_file::load(conn, id.uuid())?;
                let rows = history::for_resource(conn, PARTICIPANT, &id.uuid().to_string())?;
                return Ok(case_file::history(&file, &ctx.actor, &participant.identity(), rows));
            }
            HistoryOf::Plan(id) => {
                let (_, participant) = plans::load_scoped(conn, ctx, id, scope)?;
                ParticipantRepo::audit_read(conn, &acting, "activity_plan.history", &[participant.id])?;
                (ACTIVITY_PLAN, id.uuid())
            }
            HistoryOf::Referral(id) => {
                let referral = ReferralRepo::get(conn, id.uuid(), scope, ctx.today())?;
                ReferralRepo::audit_read(conn, &acting, &[&referral])?;
                (REFERRAL, id.uuid())
            }
            // The register holds no personal data: no access-log record.
            HistoryOf::Provider(id) => {
                ProviderRepo::get(conn, id.uuid())?;
                (PROVIDER, id.uuid())
            }
            HistoryOf::Contract(id) => {
                ContractRepo::get(conn, id.uuid())?;
                (CONTRACT, id.uuid())
            }
        };
        Ok(history::for_resource(conn, resource_type, &id.to_string())?)
    };
    read(conn).map_err(|e| e.for_resource(of.resource()))
}
