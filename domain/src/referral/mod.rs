//! Referrals to providers: the closed loop's state machine, expiry, what may be referred and on
//! which legal basis.

mod delivery;
mod model;
mod progress;
mod status;

pub use delivery::{delivery, CrossCentre, DeliveryError};
pub use model::{
    check_legal_basis, may_refer, may_refer_without_plan, plan_activity, pre_plan_activity, ActivityRefusal,
    DeclineReason, LegalBasis, LegalBasisError, Referral, ReferralError, ReferralRefusal, ReferredActivity,
    PRE_PLAN_ACTIVITY_TYPES,
};
pub use progress::{already_reported, check_lines, Granularity, ProgressError, ProgressLine, MAX_LINES};
pub use status::{ReferralAction, ReferralStatus, ReferralTransitionError, ANSWER_WITHIN_WORKING_DAYS};
