//! Services across job centres (the 2007 decision: a job centre may use another job centre's
//! services when that is judged best for the person). The job centre holding the case keeps
//! it; the referral records where it is delivered and why.

use crate::shared::Code;

/// A referral delivered at another job centre than the one holding the case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrossCentre {
    /// The job centre whose contract or own-regime activity delivers.
    pub jobbtorg: Code,
    /// Why the coach judged the other centre's service best for the person.
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    /// 422 on `cross_centre_reason`.
    #[error("a referral to another job centre's service records why it is best for the person")]
    ReasonRequired,
    /// 422 on `cross_centre_reason`.
    #[error("a reason is recorded only for a referral delivered at another job centre")]
    NotCrossCentre,
}

/// Where a referral from the case at `home` is delivered: at home (`None`, also when the coach
/// names the home centre itself) or at another centre, which needs the coach's reason.
pub fn delivery(
    home: &Code,
    delivering: Option<Code>,
    reason: Option<String>,
) -> Result<Option<CrossCentre>, DeliveryError> {
    match (delivering.filter(|centre| centre != home), reason) {
        (None, None) => Ok(None),
        (None, Some(_)) => Err(DeliveryError::NotCrossCentre),
        (Some(_), None) => Err(DeliveryError::ReasonRequired),
        (Some(jobbtorg), Some(reason)) => Ok(Some(CrossCentre { jobbtorg, reason })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(raw: &str) -> Code {
        Code::parse(raw).unwrap()
    }

    #[test]
    fn another_centre_needs_a_reason_and_home_needs_none() {
        let home = code("jarva");
        assert_eq!(delivery(&home, None, None), Ok(None));
        assert_eq!(delivery(&home, Some(code("jarva")), None), Ok(None));
        assert_eq!(
            delivery(&home, Some(code("sydost")), Some("SFI evening class".into())),
            Ok(Some(CrossCentre {
                jobbtorg: code("sydost"),
                reason: "SFI evening class".into()
            }))
        );
        assert_eq!(
            delivery(&home, Some(code("sydost")), None),
            Err(DeliveryError::ReasonRequired)
        );
        assert_eq!(
            delivery(&home, Some(code("jarva")), Some("why".into())),
            Err(DeliveryError::NotCrossCentre)
        );
        assert_eq!(
            delivery(&home, None, Some("why".into())),
            Err(DeliveryError::NotCrossCentre)
        );
    }
}
