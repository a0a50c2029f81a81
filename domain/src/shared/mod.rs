//! Value types shared by the resources.

mod code;

pub use code::{Code, InvalidCode};
