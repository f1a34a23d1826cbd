//! Talkoo's orchestration: catalogue sync and bundle import, the hours outbox and the volunteer's hours actions, generic over storage, network and clock.
//!
//! The browser app (`src/`) supplies IndexedDB, `fetch`, WebCrypto and
//! timers; native tests supply the memory store, a scripted network and a
//! virtual clock. Rules stay in `talkoo-core`; this crate decides the order
//! of requests and writes, their deadlines, and what a failure leaves
//! behind, so all of that is tested in `cargo test` in seconds.

pub mod catalogue;
pub mod export;
pub mod hours;
pub mod import;
pub mod outbox;
pub mod platform;
pub mod rerun;
pub mod sync;
pub mod warm;
pub mod worker;

pub use platform::{Body, Clock, Fetch, FetchError, Method, Request, Response};
pub use rerun::Rerun;
