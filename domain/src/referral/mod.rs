//! Referrals to providers: the closed loop's state machine and expiry. Persistence and API are
//! issue 6.

mod status;

pub use status::{ReferralAction, ReferralStatus, ReferralTransitionError, ANSWER_WITHIN_WORKING_DAYS};
