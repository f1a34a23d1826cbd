//! Open Badges credentials for the badge wallet: reading them from files, verifying them offline, and signing and baking them for issuers.
//!
//! Pure Rust with no browser or storage dependency: time, the trusted
//! issuers and cached status lists are passed in. It runs natively in tests
//! and in the issuing tool, and in the browser inside the verifier worker,
//! never in the first-load shell (see ARCHITECTURE.md).

pub mod di;

use talkoo_core::wallet::{Inspection, VerifyRequest};

/// Why bytes could not be read as a credential at all.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ReadError {
    /// Nothing in the bytes looks like a credential.
    #[error("this is not a badge")]
    NotABadge,
}

/// Reads a credential from the request's bytes (JSON, JWT, baked PNG or
/// SVG), verifies it with the request's time, trusted issuers and cached
/// status lists, and says what to show.
pub fn inspect(_request: &VerifyRequest) -> Result<Inspection, ReadError> {
    // The reading and the checks arrive with the verifier work.
    Err(ReadError::NotABadge)
}
