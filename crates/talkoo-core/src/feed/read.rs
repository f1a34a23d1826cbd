//! Reading received feed bytes: the size and hash check against the manifest, and parsing with the major-version check first.

use serde::Deserialize;

use super::types::{FeedError, SUPPORTED_MAJOR};

#[derive(Deserialize)]
struct Versioned {
    schema_version: Option<String>,
}

/// Parses any feed file, refusing an unknown major version with a clear
/// message before looking at the rest.
pub fn parse<T: serde::de::DeserializeOwned>(file: &str, bytes: &[u8]) -> Result<T, FeedError> {
    // JSON is UTF-8; reading it as text lets the app use one serde_json
    // reader (`from_str`) everywhere, which keeps a second copy out of the
    // wasm.
    let text = std::str::from_utf8(bytes).map_err(|e| FeedError::Json {
        file: file.to_owned(),
        message: format!("the file is not UTF-8 text ({e})"),
    })?;
    parse_text(file, text)
}

/// [`parse`] for a file already checked to be UTF-8 text, such as one the
/// app has verified and staged.
pub fn parse_text<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> Result<T, FeedError> {
    let versioned: Versioned = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) if e.is_syntax() || e.is_eof() => {
            return Err(FeedError::Json {
                file: file.to_owned(),
                message: e.to_string(),
            })
        }
        Err(e) => {
            return Err(FeedError::Shape {
                file: file.to_owned(),
                message: e.to_string(),
            })
        }
    };
    let found = versioned.schema_version.unwrap_or_default();
    let major = found.split('.').next().and_then(|m| m.parse::<u32>().ok());
    if major != Some(SUPPORTED_MAJOR) {
        return Err(FeedError::UnsupportedVersion {
            file: file.to_owned(),
            found,
        });
    }
    serde_json::from_str(text).map_err(|e| FeedError::Shape {
        file: file.to_owned(),
        message: e.to_string(),
    })
}

/// Checks size and hash of received bytes against the manifest.
pub fn verify(
    file: &str,
    bytes: &[u8],
    sha256_hex: &str,
    expected_sha: &str,
    expected_bytes: u64,
) -> Result<(), FeedError> {
    let found = bytes.len() as u64;
    if found != expected_bytes {
        return Err(FeedError::Size {
            file: file.to_owned(),
            expected: expected_bytes,
            found,
        });
    }
    if !sha256_hex.eq_ignore_ascii_case(expected_sha) {
        return Err(FeedError::Hash {
            file: file.to_owned(),
            expected: expected_sha.to_owned(),
            found: sha256_hex.to_owned(),
        });
    }
    Ok(())
}
