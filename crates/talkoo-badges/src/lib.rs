//! Open Badges credentials for the badge wallet: reading them from files, verifying them offline, and signing and baking them for issuers.
//!
//! Pure Rust with no browser or storage dependency: time, the trusted
//! issuers and cached status lists are passed in. It runs natively in tests
//! and in the issuing tool, and in the browser inside the verifier worker,
//! never in the first-load shell (see ARCHITECTURE.md).

pub mod di;
