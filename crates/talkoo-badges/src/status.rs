//! Revocation and status lists: the credential's `credentialStatus` entries, the 1EdTech Revocation List and Bitstring Status List (and its predecessor StatusList2021) as fetched and cached, and writing them for issuers.
//!
//! A list is only as good as its signature: `crate::verify` checks it as it
//! checks a badge before reading a bit, and the issuing side signs every
//! list it writes (`crate::issue::sign_status_list`).
//!
//! A bitstring list is gzip-compressed and base64url-encoded (multibase `u`
//! for Bitstring Status List, bare for StatusList2021); bit 0 is the most
//! significant bit of the first byte. Lists are at least 16 KB (131,072
//! entries) uncompressed so a credential's index says little about whom it
//! was issued to.

use std::io::{Read, Write};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};

use crate::jwt::{self, Jwt};

/// The smallest bitstring the Bitstring Status List recommends, in bits.
pub const MIN_BITS: usize = 131_072;

/// One `credentialStatus` entry this verifier understands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    /// `1EdTechRevocationList`: the list at `url` names revoked credential ids.
    RevocationList {
        /// The list's address.
        url: String,
    },
    /// `BitstringStatusListEntry` or `StatusList2021Entry`.
    Bitstring {
        /// The status list credential's address.
        url: String,
        /// The credential's bit.
        index: usize,
        /// `revocation`, `suspension` or another purpose.
        purpose: String,
    },
}

impl Entry {
    /// The address to fetch.
    pub fn url(&self) -> &str {
        match self {
            Entry::RevocationList { url } | Entry::Bitstring { url, .. } => url,
        }
    }
}

/// Why a status entry or list could not be used.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum StatusError {
    /// A `credentialStatus` of a type not supported here, or malformed.
    #[error("unsupported status entry {0}")]
    Unsupported(String),
    /// The cached list is not a list of the expected kind.
    #[error("the status list is malformed: {0}")]
    Malformed(&'static str),
    /// The index lies beyond the list.
    #[error("index {0} is beyond the list")]
    OutOfRange(usize),
}

/// The credential's status entries, each understood or the reason not.
pub fn entries(credential: &Value) -> Vec<Result<Entry, StatusError>> {
    let list = match credential.get("credentialStatus") {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Array(a)) => a.iter().collect(),
        Some(one) => vec![one],
    };
    list.into_iter().map(entry).collect()
}

fn entry(status: &Value) -> Result<Entry, StatusError> {
    let kind = crate::read::types(status)
        .first()
        .copied()
        .unwrap_or("")
        .to_owned();
    let text = |name: &str| status.get(name).and_then(Value::as_str).map(str::to_owned);
    match kind.as_str() {
        "1EdTechRevocationList" | "RevocationList" => Ok(Entry::RevocationList {
            url: text("id").ok_or_else(|| StatusError::Unsupported(kind.clone()))?,
        }),
        "BitstringStatusListEntry" | "StatusList2021Entry" => {
            let index = match status.get("statusListIndex") {
                Some(Value::String(s)) => s.parse().ok(),
                Some(Value::Number(n)) => n.as_u64().and_then(|n| usize::try_from(n).ok()),
                _ => None,
            };
            let size = status
                .get("statusSize")
                .and_then(Value::as_u64)
                .unwrap_or(1);
            match (text("statusListCredential"), index, size) {
                (Some(url), Some(index), 1) => Ok(Entry::Bitstring {
                    url,
                    index,
                    purpose: text("statusPurpose").unwrap_or_else(|| "revocation".into()),
                }),
                _ => Err(StatusError::Unsupported(kind)),
            }
        }
        _ => Err(StatusError::Unsupported(kind)),
    }
}

/// The status list credential in a fetched body (JSON or a VC-JWT), with
/// the JWT it came in, if any, for checking its signature.
pub fn read_list(body: &str) -> Result<(Value, Option<Jwt>), StatusError> {
    let body = body.trim();
    if jwt::looks_like(body) {
        let token = jwt::parse(body).map_err(|_| StatusError::Malformed("not a JWT"))?;
        return Ok((token.credential(), Some(token)));
    }
    let list: Value = serde_json::from_str(body).map_err(|_| StatusError::Malformed("not JSON"))?;
    if !list.is_object() {
        return Err(StatusError::Malformed("not a JSON object"));
    }
    Ok((list, None))
}

/// The status list credential in a fetched body (JSON or a VC-JWT).
pub fn list_credential(body: &str) -> Result<Value, StatusError> {
    read_list(body).map(|(list, _)| list)
}

/// The list in a body as it was before it was signed (its embedded proof
/// removed, or the credential out of its JWT), for an issuer to change and
/// sign again.
pub fn unsigned_list(body: &str) -> Result<Value, StatusError> {
    let mut list = list_credential(body)?;
    if let Some(map) = list.as_object_mut() {
        map.remove("proof");
    }
    Ok(list)
}

/// Whether the entry's status is set (revoked, suspended…) according to
/// the cached list `body`, for the credential with id `credential_id`.
pub fn is_set(entry: &Entry, credential_id: Option<&str>, body: &str) -> Result<bool, StatusError> {
    let list = list_credential(body)?;
    match entry {
        Entry::RevocationList { .. } => {
            let revoked = list
                .get("revokedCredential")
                .or_else(|| list.get("revokedCredentials"))
                .and_then(Value::as_array)
                .ok_or(StatusError::Malformed("no revokedCredential"))?;
            let Some(id) = credential_id else {
                return Ok(false);
            };
            Ok(revoked.iter().any(|r| {
                r.get("id").and_then(Value::as_str) == Some(id)
                    && r.get("revoked").and_then(Value::as_bool).unwrap_or(true)
            }))
        }
        Entry::Bitstring { index, .. } => {
            let encoded = list
                .get("credentialSubject")
                .and_then(|s| s.get("encodedList"))
                .and_then(Value::as_str)
                .ok_or(StatusError::Malformed("no encodedList"))?;
            let bits = decode_bitstring(encoded)?;
            bit(&bits, *index).ok_or(StatusError::OutOfRange(*index))
        }
    }
}

/// The issuer id a status list credential names, to compare with the
/// credential's own issuer.
pub fn list_issuer(body: &str) -> Option<String> {
    let list = list_credential(body).ok()?;
    match list.get("issuer")? {
        Value::String(s) => Some(s.clone()),
        other => other.get("id")?.as_str().map(str::to_owned),
    }
}

fn bit(bits: &[u8], index: usize) -> Option<bool> {
    let byte = bits.get(index / 8)?;
    Some(byte & (0x80 >> (index % 8)) != 0)
}

/// Decodes an `encodedList`: multibase base64url (`u…`) or bare base64url,
/// gzip inside, at most 16 MB uncompressed.
pub fn decode_bitstring(encoded: &str) -> Result<Vec<u8>, StatusError> {
    // StatusList2021 lists have no multibase prefix; gzip's magic number
    // encodes as `H4sI`, so a `u` before it is the multibase prefix.
    let text = match encoded.strip_prefix('u') {
        Some(rest) if rest.starts_with("H4sI") => rest,
        _ => encoded,
    };
    let gz = URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .map_err(|_| StatusError::Malformed("encodedList is not base64url"))?;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(gz.as_slice())
        .take(16 << 20)
        .read_to_end(&mut out)
        .map_err(|_| StatusError::Malformed("encodedList is not gzip"))?;
    Ok(out)
}

/// Encodes a bitstring as a Bitstring Status List `encodedList`.
pub fn encode_bitstring(bits: &[u8]) -> String {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing to a Vec cannot fail.
    let _ = gz.write_all(bits);
    let bytes = gz.finish().unwrap_or_default();
    format!("u{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// A new, empty Bitstring Status List credential (unsigned) with id `url`.
pub fn new_bitstring_list(url: &str, issuer: &str, valid_from: &str) -> Value {
    json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": format!("{url}#list"),
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_bitstring(&vec![0; MIN_BITS / 8]),
        }
    })
}

/// A new, empty 1EdTech Revocation List with id `url`.
pub fn new_revocation_list(url: &str, issuer: &str) -> Value {
    json!({"id": url, "issuer": issuer, "revokedCredential": []})
}

/// Marks a credential revoked in a list (either kind), returning whether
/// anything changed. `entry` is the credential's status entry for the list.
pub fn revoke(
    list: &mut Value,
    entry: &Entry,
    credential_id: Option<&str>,
) -> Result<bool, StatusError> {
    match entry {
        Entry::RevocationList { .. } => {
            let id = credential_id.ok_or(StatusError::Malformed("the credential has no id"))?;
            let revoked = list
                .get_mut("revokedCredential")
                .and_then(Value::as_array_mut)
                .ok_or(StatusError::Malformed("no revokedCredential"))?;
            if revoked
                .iter()
                .any(|r| r.get("id").and_then(Value::as_str) == Some(id))
            {
                return Ok(false);
            }
            revoked.push(json!({"id": id, "revoked": true}));
            Ok(true)
        }
        Entry::Bitstring { index, .. } => {
            let subject = list
                .get_mut("credentialSubject")
                .ok_or(StatusError::Malformed("no credentialSubject"))?;
            let encoded = subject
                .get("encodedList")
                .and_then(Value::as_str)
                .ok_or(StatusError::Malformed("no encodedList"))?;
            let mut bits = decode_bitstring(encoded)?;
            let byte = bits
                .get_mut(index / 8)
                .ok_or(StatusError::OutOfRange(*index))?;
            let mask = 0x80 >> (index % 8);
            if *byte & mask != 0 {
                return Ok(false);
            }
            *byte |= mask;
            subject["encodedList"] = encode_bitstring(&bits).into();
            Ok(true)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_entries_are_understood_or_refused() {
        let cred = json!({"credentialStatus": [
            {"type": "1EdTechRevocationList", "id": "https://x/revocations"},
            {"type": "BitstringStatusListEntry", "statusListCredential": "https://x/s", "statusListIndex": "23", "statusPurpose": "revocation"},
            {"type": "StatusList2021Entry", "statusListCredential": "https://x/t", "statusListIndex": 5},
            {"type": "BitstringStatusListEntry", "statusListCredential": "https://x/s", "statusListIndex": 1, "statusSize": 2},
            {"type": "CredentialStatusList2017", "id": "https://x/old"},
        ]});
        let got = entries(&cred);
        assert_eq!(
            got[0],
            Ok(Entry::RevocationList {
                url: "https://x/revocations".into()
            })
        );
        assert_eq!(
            got[1],
            Ok(Entry::Bitstring {
                url: "https://x/s".into(),
                index: 23,
                purpose: "revocation".into()
            })
        );
        assert_eq!(
            got[2],
            Ok(Entry::Bitstring {
                url: "https://x/t".into(),
                index: 5,
                purpose: "revocation".into()
            })
        );
        assert!(got[3].is_err() && got[4].is_err());
        assert!(entries(&json!({})).is_empty());
    }

    #[test]
    fn revoking_sets_exactly_one_bit_and_one_id() {
        let url = "https://x/status";
        let entry = |index| Entry::Bitstring {
            url: url.into(),
            index,
            purpose: "revocation".into(),
        };
        let mut list = new_bitstring_list(url, "did:key:z", "2026-01-01T00:00:00Z");
        assert_eq!(revoke(&mut list, &entry(23), None), Ok(true));
        assert_eq!(revoke(&mut list, &entry(23), None), Ok(false));
        let body = list.to_string();
        for (index, expected) in [
            (22, Ok(false)),
            (23, Ok(true)),
            (24, Ok(false)),
            (MIN_BITS, Err(StatusError::OutOfRange(MIN_BITS))),
        ] {
            assert_eq!(is_set(&entry(index), None, &body), expected, "{index}");
        }
        let rl = Entry::RevocationList { url: url.into() };
        let mut list = new_revocation_list(url, "did:key:z");
        assert_eq!(revoke(&mut list, &rl, Some("urn:uuid:1")), Ok(true));
        assert_eq!(revoke(&mut list, &rl, Some("urn:uuid:1")), Ok(false));
        let body = list.to_string();
        assert_eq!(is_set(&rl, Some("urn:uuid:1"), &body), Ok(true));
        assert_eq!(is_set(&rl, Some("urn:uuid:2"), &body), Ok(false));
        let unrevoked =
            json!({"revokedCredential": [{"id": "urn:uuid:1", "revoked": false}]}).to_string();
        assert_eq!(is_set(&rl, Some("urn:uuid:1"), &unrevoked), Ok(false));
        assert!(is_set(&rl, Some("urn:uuid:1"), "[]").is_err());
    }
}
