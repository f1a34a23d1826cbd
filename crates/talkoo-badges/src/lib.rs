//! Open Badges credentials for the badge wallet: reading them from files, verifying them offline, and signing and baking them for issuers.
//!
//! Pure Rust with no browser or storage dependency: time, the trusted
//! issuers and cached status lists are passed in. It runs natively in tests
//! and in the issuing tool, and in the browser inside the verifier worker,
//! never in the first-load shell (see ARCHITECTURE.md).
//!
//! - [`read`]: bytes to a credential (JSON, VC-JWT, baked PNG or SVG, OB 2.0,
//!   or a Talkoo QR payload, `TB1:`, described in [`qr`]).
//! - [`qr`]: the QR payload, drawing it as a code and reading camera frames.
//! - [`keys`]: did:key, JWKs and finding the key a proof names.
//! - [`jwt`]: VC-JWT verification and EdDSA signing.
//! - [`di`]: Data Integrity proofs.
//! - [`status`]: revocation and status lists.
//! - [`verify`]: the checks in OB 3.0 order and the wallet's summary.
//! - [`bake`]: putting a credential into a PNG or SVG.
//! - [`issue`]: making and signing credentials, for the issuing tool and
//!   the hours inbox.

pub mod bake;
pub mod dates;
pub mod di;
pub mod issue;
pub mod jwt;
pub mod keys;
pub mod png;
pub mod qr;
pub mod read;
pub mod status;
pub mod svg;
pub mod verify;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use talkoo_core::wallet::{Inspection, VerifyRequest};

pub use read::ReadError;

/// Reads a credential from the request's bytes (JSON, JWT, baked PNG or
/// SVG), verifies it with the request's time, trusted issuers and cached
/// status lists, and says what to show.
pub fn inspect(request: &VerifyRequest) -> Result<Inspection, ReadError> {
    let bytes = STANDARD
        .decode(request.bytes.trim())
        .map_err(|_| ReadError::NotABadge)?;
    inspect_bytes(&bytes, request)
}

/// [`inspect`] with the bytes already decoded (the request's `bytes` field
/// is ignored), for native callers that hold raw bytes.
pub fn inspect_bytes(bytes: &[u8], request: &VerifyRequest) -> Result<Inspection, ReadError> {
    let credential = read::read(bytes)?;
    let outcome = verify::verify(
        &credential,
        verify::Context {
            now: &request.now,
            trusted: &request.trusted,
            status_lists: &request.status_lists,
        },
    );
    Ok(Inspection {
        id: credential.id.clone(),
        format: credential.format,
        summary: verify::summary(&credential),
        report: outcome.report,
        status_urls: outcome.status_urls,
    })
}
