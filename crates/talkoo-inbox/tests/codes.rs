//! Join codes kept as keyed hashes: the key file beside the database, and the migration of a schema 1 file that held the codes themselves.

mod support;

use std::path::Path;
use std::process::Command;

use rusqlite::{params, Connection};
use support::{entry, TempDir, ORG, ORG_NAME};
use talkoo_inbox::code::{as_id, display};
use talkoo_inbox::key::{default_path, Key};
use talkoo_inbox::store::{Selection, Status, Submission, SCHEMA_VERSION};
use talkoo_inbox::{Inbox, InboxError};

/// Schema 1 exactly as talkoo-inbox wrote it before codes were hashed.
const SCHEMA_1: &str = "
CREATE TABLE organisations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    added TEXT NOT NULL
);
CREATE TABLE codes (
    code TEXT PRIMARY KEY,
    organisation TEXT NOT NULL REFERENCES organisations(id),
    label TEXT,
    issued TEXT NOT NULL,
    revoked TEXT
);
CREATE INDEX codes_by_organisation ON codes(organisation);
CREATE TABLE entries (
    organisation TEXT NOT NULL REFERENCES organisations(id),
    id TEXT NOT NULL,
    code TEXT NOT NULL REFERENCES codes(code),
    received TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('received', 'accepted', 'rejected')),
    reason TEXT,
    date TEXT NOT NULL,
    entry TEXT NOT NULL,
    content_key TEXT NOT NULL,
    PRIMARY KEY (organisation, id)
);
";

/// The schema 1 file's codes as it stored them: (code, label, revoked).
const OLD_CODES: [(&str, Option<&str>, Option<&str>); 3] = [
    ("K7QM4XPD92HT", Some("Aino"), None),
    ("HJKM2345NPQR", None, None),
    ("ZX9R2B3C4D5E", Some("Eino"), Some("2026-11-02T10:00:00Z")),
];

/// Writes a schema 1 database at `db` as the old build left it: three
/// codes (one revoked) and an entry sent with each, one accepted and one
/// rejected. `dangling` adds an entry whose code is not in the file, which
/// schema 1's foreign key forbade but a hand-edited file may have.
fn write_schema_1(db: &Path, dangling: bool) {
    let conn = Connection::open(db).expect("open");
    let _: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
        .expect("wal");
    conn.execute_batch(SCHEMA_1).expect("schema 1");
    conn.pragma_update(None, "user_version", 1)
        .expect("version");
    conn.execute(
        "INSERT INTO organisations VALUES (?1, ?2, '2026-10-01T08:00:00Z')",
        params![ORG, ORG_NAME],
    )
    .expect("org");
    for (n, (code, label, revoked)) in OLD_CODES.iter().enumerate() {
        conn.execute(
            "INSERT INTO codes VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                code,
                ORG,
                label,
                format!("2026-10-0{}T08:00:00Z", n + 1),
                revoked
            ],
        )
        .expect("code");
    }
    let decisions = [
        ("received", None),
        ("accepted", None),
        ("rejected", Some("Väärä päivä.")),
    ];
    for (n, ((code, _, _), (status, reason))) in OLD_CODES.iter().zip(decisions).enumerate() {
        let e = entry(80 + n as u8);
        conn.execute(
            "INSERT INTO entries VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                ORG,
                e.id,
                code,
                format!("2026-11-1{n}T09:00:00Z"),
                status,
                reason,
                e.date,
                serde_json::to_string(&e).expect("json"),
                e.content_key()
            ],
        )
        .expect("entry");
    }
    // Pages freed during the old build's life keep what they held; a table
    // made and dropped leaves such pages with every code on them, more of
    // them than a migration takes back into use.
    conn.execute_batch(
        "CREATE TABLE scratch AS SELECT code FROM codes, (
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
             SELECT i FROM n);
         DROP TABLE scratch;",
    )
    .expect("scratch");
    if dangling {
        conn.pragma_update(None, "foreign_keys", false)
            .expect("pragma");
        let e = entry(90);
        conn.execute(
            "INSERT INTO entries VALUES (?1, ?2, 'NOTACODE2345', '2026-11-20T09:00:00Z',
             'received', NULL, ?3, ?4, ?5)",
            params![
                ORG,
                e.id,
                e.date,
                serde_json::to_string(&e).expect("json"),
                e.content_key()
            ],
        )
        .expect("dangling entry");
    }
}

/// Every file of the folder, concatenated: the database, its write-ahead
/// log and index, and the key.
fn all_bytes(dir: &TempDir) -> Vec<u8> {
    let mut bytes = Vec::new();
    for file in std::fs::read_dir(&dir.0).expect("list") {
        bytes.extend(std::fs::read(file.expect("file").path()).expect("read"));
    }
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// The schema as SQLite records it: every table and index with its SQL.
fn schema(db: &Path) -> Vec<(String, String, Option<String>)> {
    let conn = Connection::open(db).expect("open");
    let mut statement = conn
        .prepare("SELECT type, name, sql FROM sqlite_master ORDER BY name")
        .expect("prepare");
    let rows = statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .expect("query");
    rows.collect::<Result<_, _>>().expect("rows")
}

fn user_version(db: &Path) -> i64 {
    Connection::open(db)
        .expect("open")
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .expect("version")
}

/// Issue 9: a copy of the database let anyone send hours as any volunteer,
/// because it held the join codes themselves. A schema 1 file is migrated:
/// its codes still work, its entries keep their codes, and no code is left
/// anywhere in the files, free pages and write-ahead log included.
#[test]
fn issue_9_a_migrated_database_keeps_its_codes_working_without_holding_them() {
    let dir = TempDir::new("migrate");
    write_schema_1(&dir.db(), false);
    let before = all_bytes(&dir);
    assert!(
        OLD_CODES.iter().all(|(code, _, _)| contains(&before, code)),
        "the schema 1 file holds its codes (or this test proves nothing)"
    );

    let mut inbox = Inbox::open(&dir.db()).expect("migrate");
    assert_eq!(user_version(&dir.db()), SCHEMA_VERSION);

    // The codes authenticate as before, typed in any form; the revoked one
    // stays revoked.
    for typed in ["K7QM-4XPD-92HT", "k7qm 4xpd 92ht"] {
        let member = inbox.member(typed).expect("db").expect("a live code");
        assert_eq!(member.organisation_id, ORG);
        assert_eq!(member.label.as_deref(), Some("Aino"));
    }
    assert!(inbox.member("HJKM-2345-NPQR").expect("db").is_some());
    assert_eq!(inbox.member("ZX9R-2B3C-4D5E").expect("db"), None);

    // The codes keep their order, labels and times, and get ids.
    let codes = inbox.codes(ORG).expect("codes");
    let listed: Vec<_> = codes
        .iter()
        .map(|c| (c.label.as_deref(), c.issued.as_str(), c.revoked.as_deref()))
        .collect();
    assert_eq!(
        listed,
        [
            (Some("Aino"), "2026-10-01T08:00:00Z", None),
            (None, "2026-10-02T08:00:00Z", None),
            (
                Some("Eino"),
                "2026-10-03T08:00:00Z",
                Some("2026-11-02T10:00:00Z")
            ),
        ]
    );
    let ids: Vec<&str> = codes.iter().map(|c| c.id.as_str()).collect();
    assert!(
        ids.iter().all(|id| as_id(id).as_deref() == Some(*id)),
        "{ids:?}"
    );
    assert!(ids[0] != ids[1] && ids[1] != ids[2] && ids[0] != ids[2]);

    // The entries are all there, each with its sender, status and times.
    let rows = inbox.entries(ORG, None, None).expect("entries");
    let seen: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.entry.clone(),
                r.code_id.as_str(),
                r.status,
                r.reason.as_deref(),
                r.received.as_str(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (
                entry(80),
                ids[0],
                Status::Received,
                None,
                "2026-11-10T09:00:00Z"
            ),
            (
                entry(81),
                ids[1],
                Status::Accepted,
                None,
                "2026-11-11T09:00:00Z"
            ),
            (
                entry(82),
                ids[2],
                Status::Rejected,
                Some("Väärä päivä."),
                "2026-11-12T09:00:00Z"
            ),
        ]
    );
    // A retry from a phone is still recognised as the same entry.
    let aino = inbox.member("K7QM4XPD92HT").expect("db").expect("member");
    assert!(matches!(
        inbox.submit(&aino, &entry(80), true).expect("submit"),
        Submission::Repeat(_)
    ));
    drop(inbox);

    // The coordinator's export: the volunteer is the label, or the code's id.
    let export = Command::new(env!("CARGO_BIN_EXE_talkoo-inbox"))
        .arg("--db")
        .arg(dir.db())
        .args(["export", ORG])
        .output()
        .expect("export");
    assert!(export.status.success(), "{export:?}");
    let csv = String::from_utf8(export.stdout).expect("utf-8");
    let volunteers: Vec<&str> = csv
        .split("\r\n")
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| l.split(',').nth(8).expect("volunteer"))
        .collect();
    assert_eq!(volunteers, ["Aino", ids[1], "Eino"]);

    // No code is left in any file, in any spelling.
    let after = all_bytes(&dir);
    for (code, _, _) in OLD_CODES {
        for spelling in [code.to_owned(), display(code), code.to_ascii_lowercase()] {
            assert!(
                !contains(&after, &spelling),
                "{spelling} is still in the files"
            );
        }
    }

    // The migrated file has exactly the schema of a new one, and opening it
    // again changes nothing.
    let fresh = TempDir::new("migrate-fresh");
    drop(Inbox::open(&fresh.db()).expect("new"));
    assert_eq!(schema(&dir.db()), schema(&fresh.db()));
    let again = Inbox::open(&dir.db()).expect("open again");
    let ids_again: Vec<String> = again
        .codes(ORG)
        .expect("codes")
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(ids_again, ids);
}

/// A process stopped between a migration and the rewrite of the file
/// leaves the mark the migration set; the next start rewrites the file.
#[test]
fn an_interrupted_scrub_is_finished_at_the_next_start() {
    let dir = TempDir::new("scrub");
    drop(Inbox::open(&dir.db()).expect("new"));
    {
        let conn = Connection::open(dir.db()).expect("open");
        conn.execute_batch(
            "CREATE TABLE scratch AS SELECT 'K7QM4XPD92HT' AS code FROM (
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
                 SELECT i FROM n);
             DROP TABLE scratch;
             INSERT INTO meta (name, value) VALUES ('scrub', 'pending');",
        )
        .expect("a migrated file not yet scrubbed");
    }
    assert!(contains(&all_bytes(&dir), "K7QM4XPD92HT"));
    drop(Inbox::open(&dir.db()).expect("open"));
    assert!(!contains(&all_bytes(&dir), "K7QM4XPD92HT"));
    let marks: i64 = Connection::open(dir.db())
        .expect("open")
        .query_row(
            "SELECT count(*) FROM meta WHERE name = 'scrub'",
            [],
            |row| row.get(0),
        )
        .expect("count");
    assert_eq!(marks, 0);
}

#[test]
fn a_migration_that_fails_leaves_the_schema_1_file_as_it_was() {
    let dir = TempDir::new("migrate-fails");
    write_schema_1(&dir.db(), true);
    let before = schema(&dir.db());
    let refused = Inbox::open(&dir.db());
    match refused {
        Err(InboxError::Corrupt(why)) => {
            assert!(
                why.contains("names a join code that is not in the database"),
                "{why}"
            )
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(user_version(&dir.db()), 1);
    assert_eq!(schema(&dir.db()), before);
    let conn = Connection::open(dir.db()).expect("open");
    let kept: i64 = conn
        .query_row(
            "SELECT count(*) FROM codes WHERE code = 'K7QM4XPD92HT'",
            [],
            |row| row.get(0),
        )
        .expect("count");
    assert_eq!(kept, 1, "the old build can still use the file");
}

#[test]
fn new_codes_are_stored_only_as_hashes_under_the_key_file() {
    let dir = TempDir::new("hashed");
    let issued = {
        let mut inbox = Inbox::open(&dir.db()).expect("open");
        inbox.add_organisation(ORG, ORG_NAME).expect("org");
        inbox.issue_code(ORG, Some("Aino")).expect("code")
    };
    let key_path = default_path(&dir.db());
    let key = Key::load(&key_path)
        .expect("read")
        .expect("the key file was made");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_path)
            .expect("key")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "only the owner may read the key");
    }
    let conn = Connection::open(dir.db()).expect("open");
    let stored: (String, String) = conn
        .query_row("SELECT id, hash FROM codes", [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .expect("row");
    assert_eq!(stored, (issued.id.clone(), key.hash(&issued.code)));
    drop(conn);
    let bytes = std::fs::read(dir.db()).expect("read");
    assert!(!contains(&bytes, &issued.code));
    assert!(!contains(&bytes, &display(&issued.code)));
}

#[test]
fn a_missing_or_foreign_key_file_is_refused_when_codes_depend_on_it() {
    let dir = TempDir::new("key-missing");
    let code = {
        let mut inbox = Inbox::open(&dir.db()).expect("open");
        inbox.add_organisation(ORG, ORG_NAME).expect("org");
        inbox.issue_code(ORG, None).expect("code").code
    };
    let key_path = default_path(&dir.db());
    let original = std::fs::read(&key_path).expect("key");

    std::fs::remove_file(&key_path).expect("remove");
    let error = Inbox::open(&dir.db()).expect_err("refused");
    assert!(matches!(error, InboxError::KeyMissing { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains(&key_path.display().to_string()),
        "{message}"
    );
    assert!(message.contains("missing"), "{message}");
    assert!(!key_path.exists(), "no new key was made in its place");

    std::fs::write(&key_path, [9u8; 32]).expect("write");
    let error = Inbox::open(&dir.db()).expect_err("refused");
    assert!(matches!(error, InboxError::KeyMismatch { .. }), "{error:?}");

    // With its own key back, the inbox opens and the code works.
    std::fs::write(&key_path, &original).expect("restore");
    let inbox = Inbox::open(&dir.db()).expect("open");
    assert!(inbox.member(&code).expect("db").is_some());

    // Without live codes nothing depends on the key, so a lost one is
    // replaced: the way to start over is to revoke every code by hand.
    drop(inbox);
    std::fs::remove_file(&key_path).expect("remove");
    Connection::open(dir.db())
        .expect("open")
        .execute("UPDATE codes SET revoked = '2026-11-20T08:00:00Z'", [])
        .expect("revoke every code");
    let mut inbox = Inbox::open(&dir.db()).expect("a new key is made");
    assert_ne!(std::fs::read(&key_path).expect("new key"), original);
    assert!(inbox.member(&code).expect("db").is_none());
    let issued = inbox.issue_code(ORG, None).expect("code");
    assert!(inbox.member(&issued.code).expect("db").is_some());
    drop(inbox);
    // The new key is now the one the database knows.
    std::fs::write(&key_path, &original).expect("the old key");
    let error = Inbox::open(&dir.db()).expect_err("refused");
    assert!(matches!(error, InboxError::KeyMismatch { .. }), "{error:?}");
}

#[test]
fn the_key_file_can_live_elsewhere() {
    let dir = TempDir::new("key-file");
    let elsewhere = TempDir::new("key-file-elsewhere");
    let key_file = elsewhere.0.join("inbox.key");
    let run = |args: &[&str], with_key: bool| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_talkoo-inbox"));
        command.arg("--db").arg(dir.db());
        if with_key {
            command.arg("--key-file").arg(&key_file);
        }
        command.args(args).output().expect("run")
    };
    assert!(run(&["org", "add", ORG, ORG_NAME], true).status.success());
    let issued = run(&["code", "issue", ORG], true);
    assert!(issued.status.success(), "{issued:?}");
    let code = String::from_utf8(issued.stdout)
        .expect("utf-8")
        .trim()
        .to_owned();
    assert!(key_file.exists());
    assert!(
        !default_path(&dir.db()).exists(),
        "no key beside the database"
    );

    // Forgetting --key-file is refused in words, not taken as a new inbox.
    let forgot = run(&["code", "list", ORG], false);
    assert_eq!(forgot.status.code(), Some(1));
    let said = String::from_utf8(forgot.stderr).expect("utf-8");
    assert!(
        said.contains("has join codes, but their key file"),
        "{said}"
    );

    let inbox = Inbox::open_with_key(&dir.db(), &key_file).expect("open");
    let member = inbox.member(&code).expect("db").expect("member");
    let mut inbox = inbox;
    inbox
        .submit(&member, &entry(1), true)
        .expect("the code sends");
    assert_eq!(inbox.accept(ORG, Selection::AllWaiting).expect("accept"), 1);
}
