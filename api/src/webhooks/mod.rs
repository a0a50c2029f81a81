//! Webhook deliveries: id-only notifications of the events feed, signed with the
//! subscription's secret, sent by every API node from the shared delivery log.

pub mod dispatcher;
pub mod notification;
pub mod signature;
pub mod target;

pub use dispatcher::spawn;
