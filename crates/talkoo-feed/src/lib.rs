//! The feed tool's library: building, validating, signing, bundling and synthesising feeds, shared by the binary and its tests.

pub mod build;
pub mod publish;
pub mod source;
pub mod synth;
pub mod validate;

use sha2::{Digest, Sha256};

/// Why the tool stopped, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ToolError {
    /// A file could not be read or written.
    #[error("{0}")]
    Io(String),
    /// The source folder is not in the expected shape.
    #[error("source: {0}")]
    Source(String),
    /// A built feed, or what was asked of it, does not allow the command:
    /// an unknown region, a damaged file, a key the feed does not announce.
    #[error("feed: {0}")]
    Feed(String),
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The JSON Schemas of the feed format, by file name, generated from the
/// same types the app and the tool read with.
pub fn schemas() -> Vec<(&'static str, String)> {
    use talkoo_core::feed::{DataFile, DeltaFile, Manifest};
    let pretty =
        |schema: schemars::Schema| serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n";
    vec![
        (
            "manifest.schema.json",
            pretty(schemars::schema_for!(Manifest)),
        ),
        (
            "data-file.schema.json",
            pretty(schemars::schema_for!(DataFile)),
        ),
        (
            "delta-file.schema.json",
            pretty(schemars::schema_for!(DeltaFile)),
        ),
    ]
}
