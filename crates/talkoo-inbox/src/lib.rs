//! The reference hours inbox: a small server a volunteering network runs to receive the hours volunteers send from the Talkoo app.
//!
//! The binary `talkoo-inbox` is a thin shell over this library so the tests
//! can start the server in-process and call the coordinator's decisions
//! directly. The protocol is in docs/hours-protocol.md; the entry it carries
//! is `talkoo_core::hours::Entry`, so the app and the inbox share one shape
//! and one set of rules.

pub mod api;
pub mod award;
pub mod cli;
pub mod code;
mod error;
pub mod export;
pub mod http;
pub mod key;
pub mod limit;
pub mod server;
pub mod store;

pub use api::Fault;
pub use error::InboxError;
pub use server::{start, Config, Running};
pub use store::Inbox;
