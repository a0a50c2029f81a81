//! Response and request types shared between route modules (and the participant export),
//! so that no route module imports another.

pub mod claims;
pub mod plans;
pub mod referrals;
