//! Bearer-token authentication: tokens are verified (HS256 for development, RS256/ES256 from a
//! JWK set in production) and become a domain `Actor`.

mod claims;
pub mod dev_token;
mod extractor;
mod jwks;
mod mapping;
mod verifier;

pub use claims::{Audience, Claims};
pub use extractor::{authorize, Authenticated};
pub use mapping::{parse_role_names, ClaimMapping, ClaimPath};
pub use verifier::{AuthError, KeyConfig, TokenVerifier};
