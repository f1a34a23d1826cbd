//! The badge wallet's records: a credential's original bytes beside what the verifier reported about it, so the shell lists and shows badges without loading the verifier.
//!
//! The verifier (`talkoo-badges`, run in a worker) is too large for the
//! first-load shell. It reads a credential once, when it is added or checked
//! again, and answers with a [`BadgeSummary`] and a [`Report`]; the shell
//! stores them with the original in a [`WalletBadge`] and draws the list and
//! the badge page from those alone. The types are plain data that serialise
//! as JSON, which is also how they cross from the worker to the page.

use serde::{Deserialize, Serialize};

use crate::lang_map::LangMap;

/// How a credential was packaged when it arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// An Open Badges 3.0 credential as JSON (with an embedded proof).
    Ob3Json,
    /// An Open Badges 3.0 credential as a VC-JWT (compact JWS).
    VcJwt,
    /// A PNG image with the credential in an iTXt chunk.
    BakedPng,
    /// An SVG image with the credential in an `openbadges:credential` element.
    BakedSvg,
    /// An Open Badges 2.0 assertion as JSON (hosted or signed).
    Ob2Json,
    /// An Open Badges 2.0 signed assertion (a JWS).
    Ob2Jws,
}

/// How a credential reached this device.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A file picked or dropped.
    File,
    /// Text pasted.
    Paste,
    /// Fetched from an address.
    Url,
    /// Scanned from a QR code.
    Qr,
    /// Shared to Talkoo from another app.
    Share,
    /// Awarded through an hours inbox.
    Inbox,
}

/// The outcome of one check, or of all of them: the worst check decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// The check passed.
    Valid,
    /// The check passed with something the user should know (an issuer not
    /// known in the user's regions, a status that could not be checked).
    Warning,
    /// The check failed: the badge is not valid.
    Invalid,
}

/// The verification steps of Open Badges 3.0, in the order they run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// Structure and required fields.
    Structure,
    /// The signature (VC-JWT or Data Integrity proof).
    Proof,
    /// Who issued it: known in the user's regions or not.
    Issuer,
    /// Validity dates.
    Validity,
    /// Revocation or status list.
    Status,
    /// The recipient.
    Recipient,
}

/// One check's result, as a stable code the UI translates (`badge-check-`
/// followed by the code) with its arguments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// Which step.
    pub kind: CheckKind,
    /// Its outcome.
    pub level: Level,
    /// A stable identifier of what was found, such as `proof-valid` or
    /// `proof-signature-mismatch`; also a Fluent message id suffix.
    pub code: String,
    /// Named values for the message (an issuer's name, a date, a key id).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<(String, String)>,
}

/// A verification's result: every check, and when it ran.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The worst level of the checks.
    pub level: Level,
    /// Every check that ran, in order.
    pub checks: Vec<Check>,
    /// When the verification ran (RFC 3339).
    pub checked_at: String,
    /// When the status list used was fetched (RFC 3339), if one was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_checked_at: Option<String>,
}

impl Report {
    /// A report of `checks`, its level the worst of theirs.
    pub fn new(checks: Vec<Check>, checked_at: String, status_checked_at: Option<String>) -> Self {
        let level = checks
            .iter()
            .map(|c| c.level)
            .max()
            .unwrap_or(Level::Invalid);
        Self {
            level,
            checks,
            checked_at,
            status_checked_at,
        }
    }
}

/// A skill or competence the achievement aligns to (an ESCO concept, say).
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Skill {
    /// The skill's name as the credential gives it.
    pub name: String,
    /// Its address in a framework, such as an ESCO URI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The framework's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framework: Option<String>,
}

/// Evidence attached to the credential.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Evidence {
    /// A name for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Where it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// A narrative of what was done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub narrative: Option<String>,
}

/// What the wallet shows of a credential, read from it by the verifier.
///
/// Texts are by language: a credential's plain strings are filed under its
/// own language if it declares one, otherwise under `und`; the UI prefers
/// the feed's achievement (matched by `achievement_id`) when there is one.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BadgeSummary {
    /// The credential's `id`, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_id: Option<String>,
    /// The achievement's `id`, to match it with the feed's achievements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub achievement_id: Option<String>,
    /// The achievement's name.
    pub name: LangMap<String>,
    /// The achievement's description.
    #[serde(default)]
    pub description: LangMap<String>,
    /// The achievement's criteria (narrative).
    #[serde(default)]
    pub criteria: LangMap<String>,
    /// The achievement's image: an address or a `data:` URI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// The issuer's id (a DID or an address).
    pub issuer_id: String,
    /// The issuer's name as the credential gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer_name: Option<String>,
    /// The recipient's name, if the credential names them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient_name: Option<String>,
    /// Skills and alignments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<Skill>,
    /// Evidence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
    /// When it was issued (`validFrom`, or `issuanceDate`/`issuedOn`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<String>,
    /// When it stops being valid, if ever.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
}

/// A badge in the wallet: personal data, never dropped by a migration or
/// a catalogue sync, and part of the backup file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WalletBadge {
    /// The SHA-256 of the credential's signed form (the JWT, or the JSON as
    /// received without an image around it), in lowercase hex: the same
    /// badge added twice, even baked into different images, is one entry.
    pub id: String,
    /// When it was added (RFC 3339).
    pub added_at: String,
    /// How it was packaged.
    pub format: Format,
    /// How it arrived.
    pub source: Source,
    /// The original bytes as received, in standard base64, so it can be
    /// shared or verified again exactly as issued.
    pub original: String,
    /// What the wallet shows.
    pub summary: BadgeSummary,
    /// The last verification; kept, with its date, while offline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<Report>,
}

/// An issuer the user's regions trust, from the feed: a badge whose issuer
/// and key match one of these is "issued by" its name; any other is a
/// warning, never the same mark as a forgery.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustedIssuer {
    /// The issuer's id as credentials name it (a DID or an address).
    pub id: String,
    /// The awarding organisation's name by language.
    pub name: LangMap<String>,
    /// The region whose feed names it.
    pub region: String,
    /// Its public keys.
    pub keys: Vec<TrustedKey>,
}

/// One public key of a trusted issuer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustedKey {
    /// The verification method id or JWT `kid` that names it.
    pub id: String,
    /// The public key as a JWK (`OKP`/`Ed25519` or `RSA`).
    pub jwk: serde_json::Value,
}

/// A status or revocation list as last fetched, for checking offline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedStatusList {
    /// The address it was fetched from.
    pub url: String,
    /// When (RFC 3339).
    pub fetched_at: String,
    /// The body as fetched (a status list credential or a revocation list).
    pub body: String,
}

/// What the page asks the verifier: the bytes and everything the checks
/// need, since the verifier has no storage or network of its own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyRequest {
    /// The credential's bytes as received, in standard base64.
    pub bytes: String,
    /// The time to check validity dates against (RFC 3339).
    pub now: String,
    /// The trusted issuers of the user's regions.
    pub trusted: Vec<TrustedIssuer>,
    /// Status lists fetched earlier.
    pub status_lists: Vec<CachedStatusList>,
}

/// What the verifier answers about one credential.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inspection {
    /// The wallet id (see [`WalletBadge::id`]).
    pub id: String,
    /// How it was packaged.
    pub format: Format,
    /// What to show.
    pub summary: BadgeSummary,
    /// Every check.
    pub report: Report,
    /// Status lists the credential refers to, to fetch when online and
    /// pass in again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub status_urls: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(level: Level) -> Check {
        Check {
            kind: CheckKind::Proof,
            level,
            code: "x".into(),
            args: Vec::new(),
        }
    }

    #[test]
    fn a_report_is_as_bad_as_its_worst_check() {
        let cases = [
            (vec![Level::Valid, Level::Valid], Level::Valid),
            (vec![Level::Valid, Level::Warning], Level::Warning),
            (
                vec![Level::Warning, Level::Invalid, Level::Valid],
                Level::Invalid,
            ),
            (vec![], Level::Invalid),
        ];
        for (levels, expected) in cases {
            let report = Report::new(
                levels.iter().copied().map(check).collect(),
                String::new(),
                None,
            );
            assert_eq!(report.level, expected, "{levels:?}");
        }
    }
}
