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
use crate::time::DateTime;

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

impl Skill {
    /// The address the badge page links the skill's name to: its URI when
    /// that is a web address, such as an ESCO concept. A credential from
    /// anywhere may say anything here, so any other scheme gets no link.
    pub fn link(&self) -> Option<&str> {
        self.url
            .as_deref()
            .filter(|url| crate::feed::is_web_address(url))
    }
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

/// What the badge pages need of the catalogue, which the shell hands to
/// the badges module (a wasm of its own, without the catalogue): the
/// achievements of the user's regions and their trusted issuers.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BadgeFeed {
    /// Every achievement of the regions on this device.
    pub achievements: Vec<crate::model::Achievement>,
    /// The issuers those regions trust.
    pub trusted: Vec<TrustedIssuer>,
}

/// The catalogue's badge records as the shell hands them to the badges
/// module ([`crate::catalogue::Catalogue::published_badges`]): as the
/// regions published them, for the module to read, so that the first-load
/// shell carries no reader of achievements or issuers.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PublishedBadges {
    /// Each region's id, and its achievements and its issuers, each kind
    /// as one JSON array.
    pub regions: Vec<(String, String, String)>,
    /// The names of the organisations the issuers belong to, by id (a
    /// list: a map would bring its sorting into the shell).
    pub names: Vec<(String, crate::model::LangText)>,
}

impl PublishedBadges {
    /// The records read: every achievement and trusted issuer by id, a
    /// later region's record of the same id winning, as in the catalogue.
    pub fn read(&self) -> BadgeFeed {
        use crate::catalogue::{achievements_by_id, issuers_by_id, trusted};
        let names: std::collections::BTreeMap<&str, &crate::model::LangText> = self
            .names
            .iter()
            .map(|(id, name)| (id.as_str(), name))
            .collect();
        let issuers = issuers_by_id(
            self.regions
                .iter()
                .map(|(region, _, issuing)| (region.as_str(), issuing.as_str())),
        );
        BadgeFeed {
            achievements: achievements_by_id(self.regions.iter().map(|(_, a, _)| a.as_str()))
                .into_values()
                .collect(),
            trusted: trusted(&issuers, |id| names.get(id).copied()),
        }
    }
}

/// A badge an inbox awarded, as the shell hands it to the badges module to
/// verify and keep once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwardToKeep {
    /// `organisation/award id`, remembered in the settings once kept.
    pub key: String,
    /// The credential as a VC-JWT.
    pub jwt: String,
}

/// Whether moment `b` is later than moment `a` (RFC 3339). Times are
/// compared as moments, so `+02:00` and `Z` mix correctly, and within one
/// second by their fractions; text that does not parse falls back to plain
/// string order.
fn later(b: &str, a: &str) -> bool {
    match (DateTime::parse(b), DateTime::parse(a)) {
        (Some(tb), Some(ta)) => (tb.unix(), fraction(b)) > (ta.unix(), fraction(a)),
        _ => b > a,
    }
}

/// The fraction of a second of an RFC 3339 time as nine digits (`.1` and
/// `.100` are equal), `000000000` when it has none.
fn fraction(text: &str) -> String {
    let digits: String = text
        .get(19..)
        .and_then(|rest| rest.strip_prefix('.'))
        .map(|rest| rest.chars().take_while(char::is_ascii_digit).collect())
        .unwrap_or_default();
    format!("{digits:0<9}")
}

/// Whether `incoming`'s report is newer than `stored`'s: a badge checked
/// later knows more (a revocation seen since, a status list fetched), and
/// any report is newer than none.
fn report_newer(stored: Option<&Report>, incoming: Option<&Report>) -> bool {
    match (stored, incoming) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some(s), Some(i)) => later(&i.checked_at, &s.checked_at),
    }
}

/// What to store when `incoming` arrives for a badge id the wallet may
/// already hold as `stored`: `None` when the stored copy stays exactly as it
/// is, otherwise the one copy to write. The copy with the newer report wins
/// (on a tie the stored one stays), and `added_at` is the earlier of the
/// two, so adding, re-checking or restoring a badge never makes a second
/// entry and never forgets when it first arrived.
pub fn merge_badge(stored: Option<&WalletBadge>, incoming: &WalletBadge) -> Option<WalletBadge> {
    let Some(stored) = stored else {
        return Some(incoming.clone());
    };
    let mut kept = if report_newer(stored.report.as_ref(), incoming.report.as_ref()) {
        incoming.clone()
    } else {
        stored.clone()
    };
    if later(&stored.added_at, &incoming.added_at) {
        kept.added_at.clone_from(&incoming.added_at);
    } else {
        kept.added_at.clone_from(&stored.added_at);
    }
    (kept != *stored).then_some(kept)
}

/// What merging a list of badges into the wallet does, by badge id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BadgeMerge {
    /// The badges to write: new ids and stored ones that changed, each id
    /// once, in the order they first appear in the incoming list.
    pub write: Vec<WalletBadge>,
    /// How many of `write` are new to the wallet.
    pub added: usize,
    /// How many of `write` replace a stored copy.
    pub updated: usize,
    /// Incoming ids whose stored copy stays as it is.
    pub unchanged: usize,
}

/// Merges `incoming` (a backup's badges, or badges being added) into
/// `stored` by id with [`merge_badge`]: an id listed twice in `incoming` is
/// settled first, so it counts and is written once.
pub fn merge_badges(stored: &[WalletBadge], incoming: &[WalletBadge]) -> BadgeMerge {
    let mut chosen: Vec<WalletBadge> = Vec::new();
    for badge in incoming {
        match chosen.iter_mut().find(|c| c.id == badge.id) {
            Some(earlier) => {
                if let Some(next) = merge_badge(Some(earlier), badge) {
                    *earlier = next;
                }
            }
            None => chosen.push(badge.clone()),
        }
    }
    let mut merge = BadgeMerge::default();
    for badge in chosen {
        let mine = stored.iter().find(|s| s.id == badge.id);
        match merge_badge(mine, &badge) {
            None => merge.unchanged += 1,
            Some(next) => {
                if mine.is_some() {
                    merge.updated += 1;
                } else {
                    merge.added += 1;
                }
                merge.write.push(next);
            }
        }
    }
    merge
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
    fn a_skill_links_only_to_a_web_address() {
        let check = |url: Option<&str>, expected: Option<&str>| {
            let skill = Skill {
                name: "provide first aid".into(),
                url: url.map(str::to_owned),
                framework: Some("ESCO".into()),
            };
            assert_eq!(skill.link(), expected, "{url:?}");
        };
        let esco = "http://data.europa.eu/esco/skill/1d21f6ad-340f-45da-a0a3-4e83867f47a6";
        check(Some(esco), Some(esco));
        check(
            Some("https://example.fi/taidot/ensiapu"),
            Some("https://example.fi/taidot/ensiapu"),
        );
        check(Some("javascript:alert(1)"), None);
        check(Some("data:text/html,x"), None);
        check(Some("urn:uuid:1d21f6ad-340f-45da-a0a3-4e83867f47a6"), None);
        check(Some("https://"), None);
        check(Some("https://example.fi/a b"), None);
        check(None, None);
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

    /// A badge numbered `n`, added at `added_at`, last checked at `checked`
    /// (never when `None`) with the outcome `level`.
    fn badge(n: u8, added_at: &str, checked: Option<(&str, Level)>) -> WalletBadge {
        WalletBadge {
            id: format!("{n:064x}"),
            added_at: added_at.to_owned(),
            format: Format::Ob3Json,
            source: Source::File,
            original: "e30=".to_owned(),
            summary: BadgeSummary {
                issuer_id: "did:key:z6Mk".to_owned(),
                ..BadgeSummary::default()
            },
            report: checked.map(|(at, level)| Report::new(vec![check(level)], at.to_owned(), None)),
        }
    }

    const MON: &str = "2026-11-16T09:00:00+02:00";
    const TUE: &str = "2026-11-17T09:00:00+02:00";
    /// The same moment as [`TUE`], written in UTC.
    const TUE_UTC: &str = "2026-11-17T07:00:00Z";
    const WED: &str = "2026-11-18T09:00:00+02:00";

    /// Expects merging `incoming` into `stored` to write `expected`.
    fn check_one(
        stored: Option<WalletBadge>,
        incoming: WalletBadge,
        expected: Option<WalletBadge>,
    ) {
        assert_eq!(
            merge_badge(stored.as_ref(), &incoming),
            expected,
            "{stored:?} + {incoming:?}"
        );
    }

    #[test]
    fn the_newer_report_wins_and_the_first_added_time_stays() {
        let valid = Level::Valid;
        let revoked = Level::Invalid;
        // A new id is written as it came.
        check_one(None, badge(1, TUE, None), Some(badge(1, TUE, None)));
        // The same badge again changes nothing.
        let same = badge(1, MON, Some((TUE, valid)));
        check_one(Some(same.clone()), same.clone(), None);
        // Checked again later (revoked meanwhile): the new report, the
        // first added time.
        check_one(
            Some(badge(1, MON, Some((TUE, valid)))),
            badge(1, WED, Some((WED, revoked))),
            Some(badge(1, MON, Some((WED, revoked)))),
        );
        // An older report does not replace a newer one, but an earlier
        // added time is kept (a backup from the first device).
        check_one(
            Some(badge(1, TUE, Some((WED, revoked)))),
            badge(1, MON, Some((TUE, valid))),
            Some(badge(1, MON, Some((WED, revoked)))),
        );
        check_one(
            Some(badge(1, MON, Some((WED, revoked)))),
            badge(1, TUE, Some((TUE, valid))),
            None,
        );
        // Any report is newer than none, and none never replaces one.
        check_one(
            Some(badge(1, MON, None)),
            badge(1, TUE, Some((MON, valid))),
            Some(badge(1, MON, Some((MON, valid)))),
        );
        check_one(
            Some(badge(1, MON, Some((MON, valid)))),
            badge(1, MON, None),
            None,
        );
        // Times are moments: the same moment in UTC is not newer, so the
        // stored copy stays.
        check_one(
            Some(badge(1, MON, Some((TUE, valid)))),
            badge(1, MON, Some((TUE_UTC, revoked))),
            None,
        );
        check_one(
            Some(badge(1, MON, Some((TUE_UTC, valid)))),
            badge(1, MON, Some((TUE, revoked))),
            None,
        );
        // Within one second, the fraction decides, whatever the offset.
        check_one(
            Some(badge(1, MON, Some(("2026-11-17T07:00:00.1Z", valid)))),
            badge(1, MON, Some(("2026-11-17T09:00:00.900+02:00", revoked))),
            Some(badge(
                1,
                MON,
                Some(("2026-11-17T09:00:00.900+02:00", revoked)),
            )),
        );
        check_one(
            Some(badge(1, MON, Some(("2026-11-17T07:00:00.9Z", valid)))),
            badge(1, MON, Some(("2026-11-17T09:00:00.100+02:00", revoked))),
            None,
        );
    }

    /// Merges `incoming` into `stored` and expects the badge numbers
    /// written and the counts added, updated and unchanged.
    fn check_many(
        stored: &[WalletBadge],
        incoming: &[WalletBadge],
        written: &[u8],
        counts: (usize, usize, usize),
    ) -> BadgeMerge {
        let merge = merge_badges(stored, incoming);
        let ids: Vec<String> = merge.write.iter().map(|b| b.id.clone()).collect();
        let want: Vec<String> = written.iter().map(|n| format!("{n:064x}")).collect();
        assert_eq!(ids, want, "written");
        assert_eq!(
            (merge.added, merge.updated, merge.unchanged),
            counts,
            "added, updated, unchanged"
        );
        merge
    }

    #[test]
    fn merging_a_list_keeps_one_copy_per_id() {
        let stored = [
            badge(1, MON, Some((MON, Level::Valid))),
            badge(2, MON, Some((WED, Level::Valid))),
        ];
        let incoming = [
            badge(1, TUE, Some((TUE, Level::Invalid))),
            badge(2, TUE, Some((TUE, Level::Valid))),
            badge(3, TUE, None),
            // The same id twice in one file: written once, the newer report.
            badge(4, WED, Some((MON, Level::Valid))),
            badge(4, TUE, Some((WED, Level::Warning))),
        ];
        let first = check_many(&stored, &incoming, &[1, 3, 4], (2, 1, 1));
        assert_eq!(first.write[0], badge(1, MON, Some((TUE, Level::Invalid))));
        assert_eq!(first.write[2], badge(4, TUE, Some((WED, Level::Warning))));
        // Applied, then the same list merged again: nothing to write.
        let mut after: Vec<WalletBadge> = stored.to_vec();
        for badge in first.write {
            match after.iter_mut().find(|b| b.id == badge.id) {
                Some(old) => *old = badge,
                None => after.push(badge),
            }
        }
        check_many(&after, &incoming, &[], (0, 0, 4));
        check_many(&[], &[], &[], (0, 0, 0));
    }
}
