//! Awarding a badge to a joined volunteer: the issuer key and the achievement read from files, the credential made and signed by talkoo-badges' issuing code, ready to store.
//!
//! The inbox signs with the same code as the issuing tool, so a badge that
//! arrives through the status poll is the same kind of credential as one
//! issued by hand. Every award carries a VC-JWT. It also carries the
//! credential with an embedded `eddsa-rdfc-2022` proof when this build can
//! make one; when it cannot, the award is still made with the VC-JWT alone
//! (which every Open Badges 3.0 verifier accepts), rather than not at all.
//!
//! The key file holds the issuer's private key, so no message here ever
//! quotes it: a file that cannot be used is described, not shown.

use std::path::{Path, PathBuf};

use serde_json::Value;
use talkoo_badges::issue::{self, Award as Credential, IssueError, Issuer};

use crate::key::{hex, random_bytes};
use crate::store::{Award, Member};
use crate::InboxError;

/// How deep a feed directory is searched for `achievements.json` files
/// (a feed source has them one level down, in each region's directory).
const FEED_DEPTH: usize = 3;

/// What to award, to whom and when.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The holder of the join code it is awarded to.
    pub member: &'a Member,
    /// The achievement: its feed id or its Open Badges id.
    pub achievement: &'a str,
    /// The language of the credential's texts, where the feed has several.
    pub lang: &'a str,
    /// The recipient's name, shown on the badge.
    pub recipient_name: Option<&'a str>,
    /// The recipient's email address, put in the credential only hashed.
    pub recipient_email: Option<&'a str>,
    /// When it is awarded, RFC 3339.
    pub now: &'a str,
}

/// An award made, and whether it has the Data Integrity form too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Made {
    /// The award, ready to store.
    pub award: Award,
    /// Why there is no credential with an embedded proof, when there is
    /// none (the build cannot make one yet).
    pub without_proof: Option<String>,
}

/// The issuer in a key file: a private Ed25519 JWK, either alone (as the
/// issuing tool writes it) or under `jwk` (as the demo feed's issuer files
/// hold it). Its name is the file's `name`, or `organisation_name` when it
/// has none.
pub fn load_issuer(path: &Path, organisation_name: &str) -> Result<Issuer, InboxError> {
    let refuse = |reason: String| InboxError::IssuerKey {
        path: path.to_owned(),
        reason,
    };
    let text = std::fs::read_to_string(path).map_err(|e| refuse(e.to_string()))?;
    // serde_json's messages name a line and column, never the text; still,
    // the wording here is fixed so nothing of the file can reach a terminal.
    let file: Value = serde_json::from_str(&text)
        .map_err(|_| refuse("it is not JSON (a private key as a JWK is expected)".to_owned()))?;
    let jwk = match file.get("jwk") {
        Some(inner) if inner.is_object() => inner,
        _ => &file,
    };
    let mut issuer = Issuer::from_private_jwk(jwk).map_err(|e| refuse(e.to_string()))?;
    if issuer.name.trim().is_empty() {
        issuer.name = file
            .get("name")
            .and_then(Value::as_str)
            .filter(|n| !n.trim().is_empty())
            .unwrap_or(organisation_name)
            .to_owned();
    }
    Ok(issuer)
}

/// The Open Badges 3.0 Achievement named `wanted` (a feed id or an Open
/// Badges id), from `path`: a JSON file holding one achievement or a list
/// of them, or a feed source directory whose regions have
/// `achievements.json`. An achievement of another organisation than
/// `organisation` is refused: the code's organisation is the one awarding.
pub fn load_achievement(
    path: &Path,
    wanted: &str,
    organisation: &str,
    lang: &str,
) -> Result<Value, InboxError> {
    let files = if path.is_dir() {
        let mut found = Vec::new();
        achievement_files(path, FEED_DEPTH, &mut found)?;
        found.sort();
        found
    } else {
        vec![path.to_owned()]
    };
    let mut looked_at = 0;
    for file in &files {
        let text = std::fs::read_to_string(file)
            .map_err(|e| InboxError::Achievement(format!("cannot read {}: {e}", file.display())))?;
        let value: Value = serde_json::from_str(&text)
            .map_err(|e| InboxError::Achievement(format!("{} is not JSON: {e}", file.display())))?;
        let records = match value {
            Value::Array(list) => list,
            one => vec![one],
        };
        looked_at += records.len();
        let Some(record) = records.into_iter().find(|r| names(r, wanted)) else {
            continue;
        };
        if let Some(owner) = record.get("organisation").and_then(Value::as_str) {
            if owner != organisation {
                return Err(InboxError::Achievement(format!(
                    "achievement {wanted} is awarded by organisation {owner:?}, \
                     but the join code belongs to {organisation:?}"
                )));
            }
        }
        return issue::achievement_from_feed(&record, lang)
            .map_err(|e| InboxError::Achievement(format!("achievement {wanted}: {e}")));
    }
    Err(InboxError::Achievement(format!(
        "there is no achievement {wanted} in {} ({looked_at} achievements in {} files)",
        path.display(),
        files.len()
    )))
}

/// Whether a feed record is the achievement `wanted`.
fn names(record: &Value, wanted: &str) -> bool {
    ["id", "ob_id"]
        .iter()
        .any(|field| record.get(field).and_then(Value::as_str) == Some(wanted))
}

/// The `achievements.json` files under `dir`, down to `depth` levels.
fn achievement_files(dir: &Path, depth: usize, found: &mut Vec<PathBuf>) -> Result<(), InboxError> {
    let listing = std::fs::read_dir(dir)
        .map_err(|e| InboxError::Achievement(format!("cannot read {}: {e}", dir.display())))?;
    for item in listing {
        let path = item
            .map_err(|e| InboxError::Achievement(format!("cannot read {}: {e}", dir.display())))?
            .path();
        if path.is_dir() && depth > 0 {
            achievement_files(&path, depth - 1, found)?;
        } else if path.file_name().is_some_and(|n| n == "achievements.json") {
            found.push(path);
        }
    }
    Ok(())
}

/// Makes and signs the award of `achievement` by `issuer`, with the random
/// bytes `id_bytes` (the award's and credential's id) and `salt_bytes`
/// (the email hash's salt) passed in.
pub fn make(
    issuer: &Issuer,
    achievement: &Value,
    request: &Request<'_>,
    id_bytes: [u8; 16],
    salt_bytes: [u8; 16],
) -> Result<Made, InboxError> {
    let credential_id = issue::urn_uuid(id_bytes);
    let salt = hex(&salt_bytes);
    let award = Credential {
        achievement,
        credential_id: &credential_id,
        recipient_name: request
            .recipient_name
            .map(str::trim)
            .filter(|n| !n.is_empty()),
        recipient_email: request
            .recipient_email
            .map(str::trim)
            .filter(|e| !e.is_empty()),
        salt: &salt,
        now: request.now,
        // Revocation is the issuing tool's: it publishes the status list
        // with the feed. The inbox has no list to point into.
        status: None,
    };
    let unsigned =
        issue::credential(issuer, &award).map_err(|e| InboxError::Issue(e.to_string()))?;
    let jwt = issue::sign_jwt(issuer, &unsigned);
    // The VC-JWT alone is a whole badge; a build that cannot make the
    // embedded proof yet still awards, and says so.
    let (credential, without_proof) =
        match issue::sign_data_integrity(issuer, &unsigned, request.now) {
            Ok(signed) => (Some(signed.to_string()), None),
            Err(IssueError::Proof(e)) => (None, Some(short(&e.to_string()))),
            Err(e) => return Err(InboxError::Issue(e.to_string())),
        };
    Ok(Made {
        award: Award {
            id: credential_id
                .strip_prefix("urn:uuid:")
                .unwrap_or(&credential_id)
                .to_owned(),
            organisation_id: request.member.organisation_id.clone(),
            code_id: request.member.code_id.clone(),
            achievement: achievement
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or(request.achievement)
                .to_owned(),
            jwt,
            credential,
            created: request.now.to_owned(),
        },
        without_proof,
    })
}

/// The first words of a message, for a note on one line.
fn short(message: &str) -> String {
    let mut words: String = message.chars().take(80).collect();
    if words.len() < message.len() {
        words.push('…');
    }
    words
}

/// Random bytes for an award: its id and its salt.
pub fn random() -> Result<([u8; 16], [u8; 16]), InboxError> {
    let mut id = [0u8; 16];
    let mut salt = [0u8; 16];
    random_bytes(&mut id)?;
    random_bytes(&mut salt)?;
    Ok((id, salt))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// (a feed 1.1 record, the fields of the Achievement it becomes)
    fn check(record: Value, expected: &[(&str, Value)]) {
        let achievement = issue::achievement_from_feed(&record, "sv").expect("an achievement");
        for (field, value) in expected {
            assert_eq!(&achievement[*field], value, "{field} of {achievement}");
        }
    }

    #[test]
    fn feed_records_become_achievements_named_by_their_open_badges_id() {
        check(
            json!({
                "id": "ach-kn-perehdytys",
                "ob_id": "https://example.fi/kajastus/perehdytys",
                "organisation": "org-kn-kajastus",
                "name": {"fi": "Perehdytys", "sv": "Introduktion"},
                "criteria": {"fi": "Käy kurssin.", "sv": "Går kursen."},
                "image": "images/ach-kn-perehdytys.svg",
                "alignments": [{"target_name": {"fi": "Vaitiolo"}, "target_url": "http://data.europa.eu/esco/skill/x"}]
            }),
            &[
                ("id", json!("https://example.fi/kajastus/perehdytys")),
                ("name", json!("Introduktion")),
                ("criteria", json!({"narrative": "Går kursen."})),
                ("image", Value::Null),
                ("inLanguage", json!("sv")),
                (
                    "alignment",
                    json!([{"type": ["Alignment"], "targetName": "Vaitiolo", "targetUrl": "http://data.europa.eu/esco/skill/x"}]),
                ),
            ],
        );
        check(
            json!({"id": "https://x.example/a", "name": "Plain", "image": "https://x.example/a.png"}),
            &[
                ("id", json!("https://x.example/a")),
                ("name", json!("Plain")),
                (
                    "image",
                    json!({"id": "https://x.example/a.png", "type": "Image"}),
                ),
            ],
        );
    }

    #[test]
    fn long_reasons_are_cut_to_one_line() {
        assert_eq!(short("no"), "no");
        assert_eq!(short(&"x".repeat(100)).chars().count(), 81);
    }
}
