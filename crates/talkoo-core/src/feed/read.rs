//! Reading received feed bytes: the size and hash check against the manifest, and parsing with the major-version check first.

use serde::Deserialize;

use super::types::{DataFile, DeltaFile, FeedError, SUPPORTED_MAJOR};

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
    supported(file, versioned.schema_version.unwrap_or_default())?;
    serde_json::from_str(text).map_err(|e| FeedError::Shape {
        file: file.to_owned(),
        message: e.to_string(),
    })
}

/// A feed file whose type holds its schema version, so that it can be read
/// in one pass ([`parse_versioned`]).
pub trait SchemaVersioned {
    /// The file's `schema_version`.
    fn schema_version(&self) -> &str;
}

impl SchemaVersioned for DataFile {
    fn schema_version(&self) -> &str {
        &self.schema_version
    }
}

impl SchemaVersioned for DeltaFile {
    fn schema_version(&self) -> &str {
        &self.schema_version
    }
}

/// [`parse_text`] in one pass where the file reads: [`parse_text`] reads a
/// file twice, its version first, and at 10,000 cards that first pass was
/// 7 % of the sync worker's time taking its data files in. The
/// version is checked once the file is read; a file that does not read
/// gets [`parse_text`]'s answer, which puts an unknown major version first.
pub fn parse_versioned<T: serde::de::DeserializeOwned + SchemaVersioned>(
    file: &str,
    text: &str,
) -> Result<T, FeedError> {
    match serde_json::from_str::<T>(text) {
        Ok(parsed) => {
            supported(file, parsed.schema_version().to_owned())?;
            Ok(parsed)
        }
        Err(_) => parse_text(file, text),
    }
}

/// Refuses a schema version `found` of a major version other than the
/// one this app reads.
fn supported(file: &str, found: String) -> Result<(), FeedError> {
    let major = found.split('.').next().and_then(|m| m.parse::<u32>().ok());
    if major == Some(SUPPORTED_MAJOR) {
        Ok(())
    } else {
        Err(FeedError::UnsupportedVersion {
            file: file.to_owned(),
            found,
        })
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 13: reading a data or delta file in one pass answers as
    /// reading its version first does, for the files it takes and for
    /// every file it refuses.
    #[test]
    fn one_pass_answers_as_reading_the_version_first() {
        fn check<T>(text: &str, accepted: bool)
        where
            T: serde::de::DeserializeOwned + SchemaVersioned + PartialEq + std::fmt::Debug,
        {
            let once = parse_versioned::<T>("f.json", text);
            assert_eq!(once, parse_text::<T>("f.json", text), "{text}");
            assert_eq!(once.is_ok(), accepted, "{text}: {once:?}");
        }
        let data = |version: &str, rest: &str| {
            format!(r#"{{{version}"region": "kainuu", "partition": "205"{rest}}}"#)
        };
        for (text, accepted) in [
            (data(r#""schema_version": "1.2", "#, ""), true),
            (data(r#""schema_version": "2.0", "#, ""), false),
            (
                data(r#""schema_version": "2.0", "#, r#", "services": 3"#),
                false,
            ),
            (data("", ""), false),
            (data(r#""schema_version": 1, "#, ""), false),
            (
                data(r#""schema_version": "1.0", "#, r#", "services": 3"#),
                false,
            ),
            (data(r#""schema_version": "1.0", "#, ","), false),
            (String::from("{"), false),
            (String::new(), false),
        ] {
            check::<DataFile>(&text, accepted);
        }
        let delta = |version: &str| {
            format!(
                r#"{{"schema_version": "{version}", "region": "kainuu", "from": "a", "to": "b"}}"#
            )
        };
        check::<DeltaFile>(&delta("1.0"), true);
        check::<DeltaFile>(&delta("0.9"), false);
    }
}
