//! The backup file that moves a volunteer's personal data (settings, hours, memberships, the badge wallet) to a new device, and how it is merged into what is there.
//!
//! Restoring must never lose or duplicate hours: entries are matched by
//! their id, the copy that got further on its way to the organisation wins,
//! and the device's own settings and memberships are left as they are.
//! Badges are matched by their id too, the copy with the newer report
//! winning ([`crate::wallet::merge_badges`]). Restoring the same file twice
//! changes nothing the second time.
//!
//! The file names its `format` and `version`. Fields are added under
//! version 1 only when older builds may ignore them: `badges` came that way
//! (issue 11), so a file without it restores with no badges, and an older
//! build restores a newer file's hours and leaves its badges out. This
//! build ignores fields it does not know, and refuses a higher version
//! instead of guessing at its meaning.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::export::in_date_order;
use super::outbox::{Membership, Record};
use super::Problem;
use crate::time::{Date, DateTime};
use crate::wallet::WalletBadge;

/// The `format` value that marks a Talkoo backup.
pub const BACKUP_FORMAT: &str = "talkoo-backup";

/// The backup version this build writes and the highest it reads.
pub const BACKUP_VERSION: u32 = 1;

/// Everything personal on the device, as written to the backup file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Backup {
    /// Always [`BACKUP_FORMAT`].
    pub format: String,
    /// The file's version, [`BACKUP_VERSION`] when written by this build.
    pub version: u32,
    /// When the backup was made, RFC 3339.
    pub exported: String,
    /// The settings store's keys and values (language, regions, …).
    #[serde(default)]
    pub settings: BTreeMap<String, String>,
    /// Every logged entry with its delivery state.
    #[serde(default)]
    pub entries: Vec<Record>,
    /// The organisations whose inboxes the volunteer has joined, with their
    /// join codes.
    #[serde(default)]
    pub memberships: Vec<Membership>,
    /// The badge wallet, each badge with its original credential and last
    /// report. Absent from files made before the wallet existed.
    #[serde(default)]
    pub badges: Vec<WalletBadge>,
}

/// The backup file's text: pretty-printed JSON of a [`Backup`] made now
/// (`exported_rfc3339`), with the entries in date order and the badges in
/// the order they were added, so two backups can be compared by eye. The
/// file holds the join codes of `memberships`, so it is as private as the
/// device itself.
pub fn to_backup_json(
    exported_rfc3339: &str,
    settings: &[(String, String)],
    entries: &[Record],
    memberships: &[Membership],
    badges: &[WalletBadge],
) -> String {
    let mut badges = badges.to_vec();
    badges.sort_by(|a, b| (&a.added_at, &a.id).cmp(&(&b.added_at, &b.id)));
    let backup = Backup {
        format: BACKUP_FORMAT.to_owned(),
        version: BACKUP_VERSION,
        exported: exported_rfc3339.to_owned(),
        settings: settings.iter().cloned().collect(),
        entries: in_date_order(entries).into_iter().cloned().collect(),
        memberships: memberships.to_vec(),
        badges,
    };
    // A struct of strings, numbers and maps with string keys always
    // serialises, so the empty fallback is never used.
    serde_json::to_string_pretty(&backup).unwrap_or_default()
}

/// One entry of a backup that cannot be restored: its position in the
/// file's `entries` list (from 0), its id, and what is wrong with it.
pub type InvalidEntry = (usize, String, Vec<Problem>);

/// Why a file cannot be restored, in words the volunteer can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BackupError {
    /// The bytes are not JSON: a damaged file, or a different kind of file.
    #[error("the file cannot be read: it is damaged or is not a backup (line {line}, column {column}: {message})")]
    NotJson {
        /// Line of the first error, from 1.
        line: usize,
        /// Column of the first error, from 1.
        column: usize,
        /// The JSON reader's message.
        message: String,
    },
    /// JSON, but not marked as a Talkoo backup (an hours export, say).
    #[error("the file is not a Talkoo backup{}", found_format(.found.as_deref()))]
    NotABackup {
        /// The `format` the file declares, if any.
        found: Option<String>,
    },
    /// A backup from a newer Talkoo, which this version cannot read safely.
    #[error("the backup was made by a newer version of Talkoo (backup version {version}); update the app and try again")]
    TooNew {
        /// The version the file declares.
        version: u64,
    },
    /// A Talkoo backup whose contents do not have the expected shape.
    #[error(
        "the backup is damaged and cannot be restored (line {line}, column {column}: {message})"
    )]
    Damaged {
        /// Line of the first error, from 1.
        line: usize,
        /// Column of the first error, from 1.
        column: usize,
        /// The JSON reader's message.
        message: String,
    },
    /// Entries that would not pass the inbox's check, every one of them.
    #[error("{}", describe_invalid(.0))]
    InvalidEntries(Vec<InvalidEntry>),
}

/// The tail of the "not a backup" message naming what the file is instead.
fn found_format(found: Option<&str>) -> String {
    match found {
        Some(super::export::JSON_FORMAT) => {
            " (it is an hours export, which can be opened in a spreadsheet but not restored)"
                .to_owned()
        }
        Some(format) => format!(" (its format is \"{format}\")"),
        None => String::new(),
    }
}

/// Every invalid entry in plain words: number (from 1), id and problems.
fn describe_invalid(invalid: &[InvalidEntry]) -> String {
    let list: Vec<String> = invalid
        .iter()
        .map(|(index, id, problems)| {
            let problems: Vec<String> = problems.iter().map(|p| problem_words(*p)).collect();
            format!("number {} (id {id}): {}", index + 1, problems.join(", "))
        })
        .collect();
    format!(
        "the backup has {} entries that cannot be restored: {}",
        invalid.len(),
        list.join("; ")
    )
}

/// A problem's wire name in words (`times-disagree` → `times disagree`),
/// which stays right when new problems are added.
fn problem_words(problem: Problem) -> String {
    match serde_json::to_value(problem) {
        Ok(serde_json::Value::String(name)) => name.replace('-', " "),
        _ => format!("{problem:?}"),
    }
}

/// A JSON error's line, column and message, the message without the
/// " at line 2 column 14" that `serde_json` appends, since the error says
/// where.
fn position(error: &serde_json::Error) -> (usize, usize, String) {
    let (line, column) = (error.line(), error.column());
    let message = error.to_string();
    let suffix = format!(" at line {line} column {column}");
    let message = message.strip_suffix(&suffix).unwrap_or(&message).to_owned();
    (line, column, message)
}

/// Reads a backup file, checking in order that it is JSON, that it is a
/// Talkoo backup, that this build knows its version, that it has the
/// backup's shape, and that every entry would pass the inbox's check
/// (all invalid entries are listed at once). Fields this build does not
/// know are ignored. A byte order mark added by an editor is allowed.
pub fn parse_backup(text: &str) -> Result<Backup, BackupError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        let (line, column, message) = position(&e);
        BackupError::NotJson {
            line,
            column,
            message,
        }
    })?;
    let format = value.get("format").and_then(serde_json::Value::as_str);
    if format != Some(BACKUP_FORMAT) {
        return Err(BackupError::NotABackup {
            found: format.map(str::to_owned),
        });
    }
    // The version is checked before the shape: a newer file may be shaped
    // differently, and "update the app" is the useful message then.
    if let Some(version) = value.get("version").and_then(serde_json::Value::as_u64) {
        if version > u64::from(BACKUP_VERSION) {
            return Err(BackupError::TooNew { version });
        }
    }
    // Read again from the text rather than the value, so a shape error
    // carries the line and column where it is.
    let backup: Backup = serde_json::from_str(text).map_err(|e| {
        let (line, column, message) = position(&e);
        BackupError::Damaged {
            line,
            column,
            message,
        }
    })?;
    let invalid: Vec<InvalidEntry> = backup
        .entries
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let problems = r.entry.problems();
            (!problems.is_empty()).then(|| (i, r.entry.id.clone(), problems))
        })
        .collect();
    if invalid.is_empty() {
        Ok(backup)
    } else {
        Err(BackupError::InvalidEntries(invalid))
    }
}

/// What restoring a backup's entries does to the device's entries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Merge {
    /// Entries the device does not have: to be added.
    pub add: Vec<Record>,
    /// The backup's copy got further (or is newer): to overwrite the
    /// device's record with the same id.
    pub replace: Vec<Record>,
    /// Entries identical on both sides.
    pub unchanged: usize,
    /// Entries that differ, where the device's copy wins and stays.
    pub kept: usize,
}

/// Whether `b`'s modification time is later than `a`'s. RFC 3339 times are
/// compared as moments, so `+02:00` and `Z` mix correctly; text that does
/// not parse falls back to plain string order.
fn modified_later(b: &str, a: &str) -> bool {
    match (DateTime::parse(b), DateTime::parse(a)) {
        (Some(b), Some(a)) => b.unix() > a.unix(),
        _ => b > a,
    }
}

/// Whether `incoming` should replace `local`, two copies of one entry: the
/// one the inbox has seen further wins (an accepted entry beats a sent one,
/// which beats one still waiting), since a step forward is never undone;
/// between equals the later edit wins, and a tie keeps the local copy.
fn incoming_wins(local: &Record, incoming: &Record) -> bool {
    let (l, i) = (local.delivery.progress(), incoming.delivery.progress());
    if l != i {
        return i > l;
    }
    modified_later(&incoming.entry.modified, &local.entry.modified)
}

/// Merges a backup's entries into the device's by entry id, so nothing is
/// duplicated: a new id is added, an identical record is unchanged, and
/// otherwise the copy that [wins](incoming_wins) is kept. A backup that
/// holds one id twice counts once, with the winning copy.
pub fn merge(existing: &[Record], incoming: &[Record]) -> Merge {
    // Settle duplicates inside the backup first, keeping the file's order.
    let mut chosen: Vec<&Record> = Vec::new();
    let mut position: HashMap<&str, usize> = HashMap::new();
    for record in incoming {
        match position.get(record.entry.id.as_str()) {
            Some(&i) => {
                if incoming_wins(chosen[i], record) {
                    chosen[i] = record;
                }
            }
            None => {
                position.insert(&record.entry.id, chosen.len());
                chosen.push(record);
            }
        }
    }

    let local: HashMap<&str, &Record> = existing.iter().map(|r| (r.entry.id.as_str(), r)).collect();
    let mut merge = Merge::default();
    for record in chosen {
        match local.get(record.entry.id.as_str()) {
            None => merge.add.push(record.clone()),
            Some(mine) if *mine == record => merge.unchanged += 1,
            Some(mine) if incoming_wins(mine, record) => merge.replace.push(record.clone()),
            Some(_) => merge.kept += 1,
        }
    }
    merge
}

/// The settings to write when restoring: only keys the device does not have
/// yet, in key order. What the volunteer chose on this device (its language,
/// say) wins over the old device's choice.
pub fn merge_settings(
    existing: &[(String, String)],
    incoming: &BTreeMap<String, String>,
) -> Vec<(String, String)> {
    let have: BTreeSet<&str> = existing.iter().map(|(k, _)| k.as_str()).collect();
    incoming
        .iter()
        .filter(|(k, _)| !have.contains(k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// The memberships to add when restoring: those for organisations the
/// device has not joined (a membership made here has the newer join code),
/// each organisation once.
pub fn merge_memberships(existing: &[Membership], incoming: &[Membership]) -> Vec<Membership> {
    let mut joined: BTreeSet<&str> = existing
        .iter()
        .map(|m| m.organisation_id.as_str())
        .collect();
    incoming
        .iter()
        .filter(|m| joined.insert(m.organisation_id.as_str()))
        .cloned()
        .collect()
}

/// The backup's file name, `talkoo-backup-2026-11-20.json`.
pub fn file_name(today: Date) -> String {
    format!("talkoo-backup-{today}.json")
}

#[cfg(test)]
mod tests {
    use super::super::outbox::Delivery;
    use super::super::{uuid_v4, Category, Entry, OrgRef};
    use super::*;
    use crate::wallet::{merge_badges, BadgeSummary, Format, Level, Report, Source};

    /// The backup version 1 wrote, kept in the repository so every later
    /// build is checked against it.
    const FIXTURE_V1: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/hours/backup-v1.json"
    ));

    /// A version 1 backup with a wallet of two badges, as issue 11 writes
    /// it. Its credentials are unsigned stand-ins: the backup carries a
    /// badge's bytes and last report, and never verifies them itself.
    const FIXTURE_V1_BADGES: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/hours/backup-v1-badges.json"
    ));

    fn entry(n: u8, modified: &str) -> Entry {
        Entry {
            id: uuid_v4([n; 16]),
            date: "2026-11-19".to_owned(),
            start: Some("10:00".to_owned()),
            end: Some("12:00".to_owned()),
            minutes: 120,
            organisation: OrgRef {
                id: Some("kainuu-org-1".to_owned()),
                name: "Kajaanin Setlementti".to_owned(),
            },
            service: None,
            category: Category::Events,
            note: "Joulumyyjäiset".to_owned(),
            created: "2026-11-19T12:05:00+02:00".to_owned(),
            modified: modified.to_owned(),
        }
    }

    fn record(n: u8, delivery: Delivery, modified: &str) -> Record {
        Record {
            entry: entry(n, modified),
            delivery,
        }
    }

    const T1: &str = "2026-11-19T12:05:00+02:00";
    const T2: &str = "2026-11-19T12:30:00+02:00";
    /// The same moment as [`T2`] written in UTC.
    const T2_UTC: &str = "2026-11-19T10:30:00Z";

    fn waiting() -> Delivery {
        Delivery::Waiting {
            attempts: 2,
            next_attempt_ms: 1_000,
            last_error: Some("Ei verkkoyhteyttä".to_owned()),
        }
    }

    fn membership(id: &str, token: &str) -> Membership {
        Membership {
            organisation_id: id.to_owned(),
            organisation_name: format!("Yhdistys {id}"),
            endpoint: format!("https://{id}.example.invalid/hours"),
            token: token.to_owned(),
            joined: T1.to_owned(),
            refused: false,
            wait_until_ms: None,
        }
    }

    fn settings() -> Vec<(String, String)> {
        vec![
            ("lang".to_owned(), "se".to_owned()),
            ("regions".to_owned(), "[\"kainuu\"]".to_owned()),
        ]
    }

    #[test]
    fn a_backup_reads_back_as_written() {
        let entries = vec![
            record(2, Delivery::Sent { at_ms: 7 }, T2),
            record(1, waiting(), T1),
            record(3, Delivery::Local, T1),
        ];
        let memberships = vec![membership("kainuu-org-1", "KOODI-123")];
        let badges = wallet_of_two();
        let json = to_backup_json(T2, &settings(), &entries, &memberships, &badges);
        let backup = parse_backup(&json).expect("our own backup");
        assert_eq!(backup.format, BACKUP_FORMAT);
        assert_eq!(backup.version, 1);
        assert_eq!(backup.exported, T2);
        assert_eq!(backup.settings, settings().into_iter().collect());
        assert_eq!(backup.memberships, memberships);
        // Badges are written in the order they were added.
        assert_eq!(backup.badges, [badges[1].clone(), badges[0].clone()]);
        assert_eq!(backup.entries.len(), 3);
        for record in &entries {
            assert!(backup.entries.contains(record), "{}", record.entry.id);
        }
        // Written again, the text is the same: the order is fixed.
        let again = to_backup_json(
            T2,
            &settings(),
            &backup.entries,
            &backup.memberships,
            &backup.badges,
        );
        assert_eq!(again, json);
    }

    #[test]
    fn the_version_1_fixture_parses() {
        let backup = parse_backup(FIXTURE_V1).expect("the committed version 1 backup");
        assert_eq!(backup.version, 1);
        assert_eq!(backup.exported, "2026-11-20T09:15:00+02:00");
        assert_eq!(backup.settings.get("lang").map(String::as_str), Some("fi"));
        let states: Vec<&str> = backup.entries.iter().map(|r| r.delivery.name()).collect();
        assert_eq!(
            states,
            ["accepted", "sent", "waiting", "local", "rejected", "conflict"]
        );
        let first = &backup.entries[0].entry;
        assert_eq!(first.organisation.name, "Kajaanin Setlementti");
        assert_eq!(first.minutes, 150);
        assert_eq!(backup.entries[3].entry.organisation.id, None);
        assert_eq!(backup.memberships.len(), 2);
        assert!(backup.memberships[1].refused);
        // Made before the wallet existed: it restores, with no badges.
        assert_eq!(backup.badges, []);
        // Restoring it on an empty device adds everything, and restoring it
        // again onto the result adds nothing.
        let first_time = merge(&[], &backup.entries);
        assert_eq!(first_time.add.len(), 6);
        let second_time = merge(&first_time.add, &backup.entries);
        assert_eq!((second_time.add.len(), second_time.unchanged), (0, 6));
    }

    /// Expects `text` to be refused with `expected`.
    fn check(text: &str, expected: BackupError) {
        assert_eq!(parse_backup(text), Err(expected), "{text}");
    }

    #[test]
    fn each_kind_of_bad_file_is_named() {
        let not_json = parse_backup("{\n  \"format\": talkoo").expect_err("not JSON");
        assert!(
            matches!(
                not_json,
                BackupError::NotJson {
                    line: 2,
                    column: 14,
                    ..
                }
            ),
            "{not_json:?}"
        );
        assert_eq!(
            not_json.to_string(),
            "the file cannot be read: it is damaged or is not a backup \
             (line 2, column 14: expected ident)"
        );
        check("[]", BackupError::NotABackup { found: None });
        check(
            r#"{"format":"talkoo-hours","version":1,"entries":[]}"#,
            BackupError::NotABackup {
                found: Some("talkoo-hours".to_owned()),
            },
        );
        check(
            r#"{"format":"talkoo-backup","version":2,"settings":"a new shape"}"#,
            BackupError::TooNew { version: 2 },
        );
        let damaged = parse_backup(
            "{\"format\":\"talkoo-backup\",\n\"version\":1,\n\"exported\":\"x\",\n\"entries\":{}}",
        )
        .expect_err("damaged");
        assert!(
            matches!(damaged, BackupError::Damaged { line: 4, .. }),
            "{damaged:?}"
        );
        let missing = parse_backup(r#"{"format":"talkoo-backup","exported":"x"}"#);
        assert!(
            matches!(missing, Err(BackupError::Damaged { .. })),
            "{missing:?}"
        );
        for (error, message) in [
            (
                BackupError::NotABackup { found: None },
                "the file is not a Talkoo backup",
            ),
            (
                BackupError::NotABackup {
                    found: Some("talkoo-hours".to_owned()),
                },
                "the file is not a Talkoo backup (it is an hours export, which can be \
                 opened in a spreadsheet but not restored)",
            ),
            (
                BackupError::TooNew { version: 2 },
                "the backup was made by a newer version of Talkoo (backup version 2); \
                 update the app and try again",
            ),
        ] {
            assert_eq!(error.to_string(), message);
        }
    }

    #[test]
    fn every_invalid_entry_is_listed_with_every_problem() {
        let good = record(1, Delivery::Local, T1);
        let mut bad_date = record(2, Delivery::Local, T1);
        bad_date.entry.date = "2026-02-30".to_owned();
        let mut many = record(3, waiting(), T1);
        many.entry.id = "not-a-uuid".to_owned();
        many.entry.minutes = 0;
        many.entry.end = None;
        many.entry.organisation.name = " ".to_owned();
        let json = to_backup_json(T1, &[], &[good, bad_date.clone(), many], &[], &[]);
        use Problem::*;
        // Entries are written in date order, so the impossible February
        // date comes first; the other two share a date and go by id.
        let expected = vec![
            (0, bad_date.entry.id.clone(), vec![BadDate]),
            (
                2,
                "not-a-uuid".to_owned(),
                vec![BadId, HalfTimes, NotPositive, NoOrganisation],
            ),
        ];
        check(&json, BackupError::InvalidEntries(expected.clone()));
        assert_eq!(
            BackupError::InvalidEntries(expected).to_string(),
            format!(
                "the backup has 2 entries that cannot be restored: number 1 (id {}): bad date; \
                 number 3 (id not-a-uuid): bad id, half times, not positive, no organisation",
                bad_date.entry.id
            )
        );
    }

    #[test]
    fn unknown_fields_are_ignored() {
        let mut value: serde_json::Value = serde_json::from_str(&to_backup_json(
            T1,
            &settings(),
            &[record(1, waiting(), T1)],
            &[],
            &[],
        ))
        .expect("JSON");
        value["stickers"] = serde_json::json!([{"id": "first-50-hours"}]);
        value["badges"] = serde_json::json!([]);
        value["entries"][0]["entry"]["mood"] = serde_json::json!("hyvä");
        value["entries"][0]["delivery"]["server_id"] = serde_json::json!(42);
        let backup = parse_backup(&value.to_string()).expect("forward compatible");
        assert_eq!(backup.entries, [record(1, waiting(), T1)]);
    }

    /// Merges `incoming` into `existing` and expects the entry numbers
    /// (`uuid_v4([n; 16])`) added and replaced, and the counts.
    fn check_merge(
        existing: &[Record],
        incoming: &[Record],
        add: &[u8],
        replace: &[u8],
        unchanged: usize,
        kept: usize,
    ) {
        let got = merge(existing, incoming);
        let ids = |records: &[Record]| -> Vec<String> {
            records.iter().map(|r| r.entry.id.clone()).collect()
        };
        let want = |ns: &[u8]| -> Vec<String> { ns.iter().map(|n| uuid_v4([*n; 16])).collect() };
        assert_eq!(ids(&got.add), want(add), "add");
        assert_eq!(ids(&got.replace), want(replace), "replace");
        assert_eq!(
            (got.unchanged, got.kept),
            (unchanged, kept),
            "unchanged, kept"
        );
    }

    #[test]
    fn merging_keeps_the_copy_that_got_further() {
        let sent = || Delivery::Sent { at_ms: 9 };
        let accepted = || Delivery::Accepted { at_ms: 10 };
        let rejected = || Delivery::Rejected {
            reason: "Väärä päivä".to_owned(),
        };
        // A new id is added.
        check_merge(&[], &[record(1, waiting(), T1)], &[1], &[], 0, 0);
        // The same record is unchanged.
        check_merge(
            &[record(1, sent(), T1)],
            &[record(1, sent(), T1)],
            &[],
            &[],
            1,
            0,
        );
        // The backup's copy was sent, the device's is still waiting.
        check_merge(
            &[record(1, waiting(), T1)],
            &[record(1, sent(), T1)],
            &[],
            &[1],
            0,
            0,
        );
        // The device's copy was accepted since the backup was made, even
        // though the backup's was edited later.
        check_merge(
            &[record(1, accepted(), T1)],
            &[record(1, sent(), T2)],
            &[],
            &[],
            0,
            1,
        );
        check_merge(
            &[record(1, rejected(), T1)],
            &[record(1, waiting(), T2)],
            &[],
            &[],
            0,
            1,
        );
        check_merge(
            &[record(1, Delivery::Local, T1)],
            &[record(1, rejected(), T1)],
            &[],
            &[1],
            0,
            0,
        );
        // Equal progress: the later edit wins, compared as moments.
        check_merge(
            &[record(1, Delivery::Local, T1)],
            &[record(1, waiting(), T2)],
            &[],
            &[1],
            0,
            0,
        );
        check_merge(
            &[record(1, waiting(), T2)],
            &[record(1, Delivery::Local, T1)],
            &[],
            &[],
            0,
            1,
        );
        let mut edited = record(1, Delivery::Local, T2_UTC);
        edited.entry.minutes = 60;
        edited.entry.end = Some("11:00".to_owned());
        check_merge(&[record(1, Delivery::Local, T2)], &[edited], &[], &[], 0, 1);
        // Equal progress and time: the device keeps its copy.
        check_merge(
            &[record(1, waiting(), T1)],
            &[record(1, Delivery::Local, T1)],
            &[],
            &[],
            0,
            1,
        );
        // A backup listing one id twice adds it once, the further copy.
        check_merge(
            &[],
            &[
                record(1, waiting(), T1),
                record(1, sent(), T1),
                record(2, sent(), T1),
            ],
            &[1, 2],
            &[],
            0,
            0,
        );
        let twice = merge(&[], &[record(1, waiting(), T2), record(1, sent(), T1)]);
        assert_eq!(twice.add, [record(1, sent(), T1)]);
    }

    #[test]
    fn restoring_twice_adds_nothing_the_second_time() {
        let device = vec![
            record(1, waiting(), T1),
            record(2, Delivery::Accepted { at_ms: 3 }, T1),
            record(3, Delivery::Local, T2),
        ];
        let backup = vec![
            record(1, Delivery::Sent { at_ms: 2 }, T1),
            record(2, Delivery::Sent { at_ms: 2 }, T1),
            record(3, Delivery::Local, T2),
            record(4, Delivery::Local, T1),
        ];
        check_merge(&device, &backup, &[4], &[1], 1, 1);
        // Apply the merge as the app would, then restore the same file again.
        let first = merge(&device, &backup);
        let mut after: Vec<Record> = device
            .iter()
            .map(|r| {
                first
                    .replace
                    .iter()
                    .find(|n| n.entry.id == r.entry.id)
                    .unwrap_or(r)
                    .clone()
            })
            .collect();
        after.extend(first.add);
        check_merge(&after, &backup, &[], &[], 3, 1);
    }

    #[test]
    fn the_devices_own_settings_and_memberships_win() {
        let incoming: BTreeMap<String, String> = [
            ("lang", "fi"),
            ("regions", "[\"oulu\"]"),
            ("theme", "dark"),
            ("a-first", "1"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let write = merge_settings(&settings(), &incoming);
        let keys: Vec<(&str, &str)> = write
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(keys, [("a-first", "1"), ("theme", "dark")]);
        assert_eq!(merge_settings(&settings(), &BTreeMap::new()), []);

        let mine = [membership("kainuu-org-1", "UUSI")];
        let theirs = [
            membership("kainuu-org-1", "VANHA"),
            membership("oulu-org-9", "OULU-1"),
            membership("oulu-org-9", "OULU-2"),
        ];
        let add = merge_memberships(&mine, &theirs);
        assert_eq!(add, [membership("oulu-org-9", "OULU-1")]);
        assert_eq!(merge_memberships(&theirs, &theirs), []);
    }

    /// Two badges, the second added before the first.
    fn wallet_of_two() -> Vec<WalletBadge> {
        let badge = |n: u8, added_at: &str| WalletBadge {
            id: format!("{n:064x}"),
            added_at: added_at.to_owned(),
            format: Format::VcJwt,
            source: Source::Inbox,
            original: "ZXlK".to_owned(),
            summary: BadgeSummary {
                name: [("fi".to_owned(), "Ensimmäiset 50 tuntia".to_owned())]
                    .into_iter()
                    .collect(),
                issuer_id: "did:key:z6Mk".to_owned(),
                ..BadgeSummary::default()
            },
            report: Some(Report::new(Vec::new(), T1.to_owned(), None)),
        };
        vec![badge(1, T2), badge(2, T1)]
    }

    #[test]
    fn the_badges_fixture_restores_once() {
        let backup = parse_backup(FIXTURE_V1_BADGES).expect("the committed backup with badges");
        let names: Vec<Option<&String>> = backup
            .badges
            .iter()
            .map(|b| b.summary.name.get("fi"))
            .collect();
        assert_eq!(
            names,
            [
                Some(&"Ruoka-avun vapaaehtoinen".to_owned()),
                Some(&"Kerhonohjaaja".to_owned())
            ]
        );
        assert_eq!(
            backup.badges[0].report.as_ref().map(|r| r.level),
            Some(Level::Valid)
        );
        assert_eq!(backup.badges[1].report, None);
        // On an empty wallet both are added; restored again, neither is.
        let first = merge_badges(&[], &backup.badges);
        assert_eq!((first.added, first.updated, first.unchanged), (2, 0, 0));
        let again = merge_badges(&first.write, &backup.badges);
        assert_eq!((again.write.len(), again.unchanged), (0, 2));
    }

    #[test]
    fn a_badge_of_the_wrong_shape_is_damage_with_its_place() {
        let text = "{\"format\":\"talkoo-backup\",\"version\":1,\"exported\":\"x\",\n\"badges\":[{\"id\":\"first-50-hours\"}]}";
        let damaged = parse_backup(text).expect_err("a badge without its fields");
        assert!(
            matches!(damaged, BackupError::Damaged { line: 2, .. }),
            "{damaged:?}"
        );
    }

    #[test]
    fn the_file_name_carries_the_date() {
        let today = Date::parse("2026-11-20").expect("date");
        assert_eq!(file_name(today), "talkoo-backup-2026-11-20.json");
    }
}
