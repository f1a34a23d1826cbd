//! The inbox's SQLite file: organisations, join codes and received entries, each change in one transaction.
//!
//! The file (with its key file) is the whole state, so the server and the
//! coordinator's commands can run at the same time (WAL mode lets a reader and a writer proceed
//! together, and a busy timeout makes a second writer wait instead of
//! failing). Every change is one transaction with `synchronous = FULL`: a
//! process killed mid-request leaves either the whole entry or none of it,
//! and an entry the app was told is stored survives a power cut.
//!
//! Join codes are kept only as their keyed hash (see `key`), under a key
//! from a file beside the database, so the file alone lets no one send
//! hours. Schema 1 kept the codes themselves; [`Inbox::open`] migrates such
//! a file in one transaction and then rewrites the whole file, so that no
//! copy of a plain code is left in its free space. Schema 3 adds the badges
//! a coordinator awarded, kept signed until the volunteer's app fetches them.

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
use talkoo_core::hours::Entry;
use talkoo_core::time::Date;

use crate::key::{self, Key};
use crate::{code, InboxError};

/// The newest schema this build writes; see [`Inbox::open`]. Version 1
/// stored join codes in plain text; version 2 stores their keyed hashes
/// and gives each a public id; version 3 adds the awarded badges.
pub const SCHEMA_VERSION: i64 = 3;

/// How long a write waits for another process (a command run while the
/// server is up) to finish its transaction.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The organisations table, unchanged since schema 1 (a migration keeps it
/// as it is, so its text must stay the same).
const ORGANISATIONS: &str = "
CREATE TABLE organisations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    added TEXT NOT NULL
);
";

/// The tables of schema 2 besides the organisations. The same text creates
/// a new database and the tables a migration fills, so a migrated file has
/// exactly the schema of a new one. `codes.hash` is the keyed hash of the
/// normalised code; `codes.id` the public id that listings, revocations
/// and entries use; `meta` holds the key's check value and whether the
/// file still has to be rewritten after a migration.
const CODES_AND_ENTRIES: &str = "
CREATE TABLE codes (
    id TEXT PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    organisation TEXT NOT NULL REFERENCES organisations(id),
    label TEXT,
    issued TEXT NOT NULL,
    revoked TEXT
);
CREATE INDEX codes_by_organisation ON codes(organisation);
CREATE TABLE entries (
    organisation TEXT NOT NULL REFERENCES organisations(id),
    id TEXT NOT NULL,
    code_id TEXT NOT NULL REFERENCES codes(id),
    received TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('received', 'accepted', 'rejected')),
    reason TEXT,
    date TEXT NOT NULL,
    entry TEXT NOT NULL,
    content_key TEXT NOT NULL,
    PRIMARY KEY (organisation, id)
);
CREATE TABLE meta (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
";

/// The awards table of schema 3. An award belongs to the join code of the
/// volunteer it was given to, as entries do, so the app holding that code
/// receives it with its status poll. `jwt` is the VC-JWT every award has;
/// `credential` the credential with an embedded Data Integrity proof, when
/// this build could make one.
const AWARDS: &str = "
CREATE TABLE awards (
    id TEXT PRIMARY KEY,
    organisation TEXT NOT NULL REFERENCES organisations(id),
    code_id TEXT NOT NULL REFERENCES codes(id),
    achievement TEXT NOT NULL,
    jwt TEXT NOT NULL,
    credential TEXT,
    created TEXT NOT NULL
);
CREATE INDEX awards_by_code ON awards(code_id);
";

/// The `meta` row with the key's check value.
const KEY_CHECK: &str = "key_check";

/// The `meta` row present while a migrated file still holds the old tables'
/// freed pages, which may contain plain codes.
const SCRUB: &str = "scrub";

/// Where a received entry stands with the coordinator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// In the inbox, not yet looked at.
    Received,
    /// The coordinator accepted the hours.
    Accepted,
    /// The coordinator rejected them, with a reason.
    Rejected,
}

impl Status {
    /// The wire and database name.
    pub fn name(self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::Accepted => "accepted",
            Status::Rejected => "rejected",
        }
    }

    fn from_name(name: &str) -> Status {
        match name {
            "accepted" => Status::Accepted,
            "rejected" => Status::Rejected,
            // The table's CHECK admits nothing else.
            _ => Status::Received,
        }
    }
}

/// An entry's status as the app learns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The entry id.
    pub id: String,
    /// Its status.
    pub status: Status,
    /// The coordinator's reason for a rejection.
    pub reason: Option<String>,
}

/// The holder of a live join code, as a request's token resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The code's public id.
    pub code_id: String,
    /// The organisation's feed id.
    pub organisation_id: String,
    /// The organisation's name.
    pub organisation_name: String,
    /// What the coordinator wrote about the code (often the volunteer's name).
    pub label: Option<String>,
}

/// A join code as the coordinator lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeInfo {
    /// The code's public id (the code itself is not kept).
    pub id: String,
    /// The coordinator's label.
    pub label: Option<String>,
    /// When it was issued, RFC 3339.
    pub issued: String,
    /// When it was revoked, if it was.
    pub revoked: Option<String>,
}

/// What submitting an entry found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Submission {
    /// The id was new: the entry is now stored (or would have been, when
    /// storing was held back).
    New,
    /// The same entry was already stored; nothing changed.
    Repeat(Decision),
    /// A different entry is stored under the id; nothing changed.
    Conflict(Box<Entry>),
}

/// A stored entry with what the inbox knows about it, for the export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The entry as received.
    pub entry: Entry,
    /// The public id of the code that sent it.
    pub code_id: String,
    /// That code's label.
    pub label: Option<String>,
    /// Its status.
    pub status: Status,
    /// The reason for a rejection.
    pub reason: Option<String>,
    /// When it arrived, RFC 3339 UTC.
    pub received: String,
}

/// Which entries a decision is about.
#[derive(Debug, Clone, Copy)]
pub enum Selection<'a> {
    /// Every entry still waiting (`received`); earlier decisions stand.
    AllWaiting,
    /// These ids, whatever their status.
    Ids(&'a [String]),
}

/// A newly issued join code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    /// The normalised code: shown to the coordinator this once, never stored.
    pub code: String,
    /// Its public id.
    pub id: String,
}

/// A badge awarded to the holder of a join code, signed and waiting to be
/// fetched by their app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Award {
    /// The award's id (a version 4 UUID, also the credential's `urn:uuid:`).
    pub id: String,
    /// The organisation that awarded it.
    pub organisation_id: String,
    /// The public id of the code it was awarded to.
    pub code_id: String,
    /// The Open Badges id of the achievement.
    pub achievement: String,
    /// The credential as a VC-JWT.
    pub jwt: String,
    /// The credential with an embedded Data Integrity proof, as JSON text,
    /// when one could be made.
    pub credential: Option<String>,
    /// When it was awarded, RFC 3339.
    pub created: String,
}

/// An open inbox database and the key its codes are hashed with.
#[derive(Debug)]
pub struct Inbox {
    conn: Connection,
    key: Key,
}

impl Inbox {
    /// Opens the database at `path` with the key file beside it
    /// ([`key::default_path`]); see [`Inbox::open_with_key`].
    pub fn open(path: &Path) -> Result<Inbox, InboxError> {
        Inbox::open_with_key(path, &key::default_path(path))
    }

    /// Opens the database at `path`, creating it and its tables when
    /// missing, with the key in `key_path`. The key file is made on first
    /// use; when it is missing although the database has codes, or is
    /// another database's, the database is refused untouched, as is a file
    /// from a newer build. A schema 1 file is migrated.
    pub fn open_with_key(path: &Path, key_path: &Path) -> Result<Inbox, InboxError> {
        let open_error = |source| InboxError::Open {
            path: path.to_owned(),
            source,
        };
        let mut conn = Connection::open(path).map_err(open_error)?;
        // journal_mode answers with the mode in force, so it is read as a row.
        let _: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
            .map_err(open_error)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(open_error)?;
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(open_error)?;
        // Deleted rows and freed pages are overwritten with zeros, so what
        // the inbox deletes (a replaced entry, a migration's plain codes)
        // does not linger in the file.
        conn.pragma_update(None, "secure_delete", true)
            .map_err(open_error)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open_error)?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(InboxError::TooNew {
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        // Only live codes depend on the key: revoked ones are refused
        // whatever it is, and are revoked by id. So a coordinator who lost
        // the key can revoke every code by hand and start over.
        let (has_codes, stored_check) = if version >= 2 {
            let has_codes = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM codes WHERE revoked IS NULL)",
                [],
                |row| row.get::<_, bool>(0),
            )?;
            (has_codes, meta(&tx, KEY_CHECK)?)
        } else {
            (false, None)
        };
        let key = match Key::load(key_path)? {
            Some(key) => {
                // A key that is not the codes' would refuse every volunteer.
                if has_codes && stored_check.is_some_and(|c| c != key.check_value()) {
                    return Err(InboxError::KeyMismatch {
                        key: key_path.to_owned(),
                        db: path.to_owned(),
                    });
                }
                key
            }
            None if has_codes => {
                return Err(InboxError::KeyMissing {
                    key: key_path.to_owned(),
                    db: path.to_owned(),
                })
            }
            None => Key::create(key_path)?,
        };
        let migrated = version == 1;
        // Each step takes the file one version further, all within this
        // transaction: a failure anywhere leaves the file as it was.
        match version {
            0 => {
                tx.execute_batch(ORGANISATIONS)?;
                tx.execute_batch(CODES_AND_ENTRIES)?;
            }
            1 => migrate_from_1(&tx, &key)?,
            _ => {}
        }
        if version < 3 {
            tx.execute_batch(AWARDS)?;
        }
        tx.execute(
            "INSERT INTO meta (name, value) VALUES (?1, ?2)
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            params![KEY_CHECK, key.check_value()],
        )?;
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        tx.commit()?;
        let inbox = Inbox { conn, key };
        if migrated || meta(&inbox.conn, SCRUB)?.is_some() {
            inbox.scrub()?;
        }
        Ok(inbox)
    }

    /// Rewrites the whole file after a migration and empties the
    /// write-ahead log, so the pages that held plain codes are gone rather
    /// than free. The mark set by the migration goes only once this worked,
    /// so a process stopped in between scrubs at its next start.
    fn scrub(&self) -> Result<(), InboxError> {
        self.conn.execute_batch("VACUUM")?;
        self.conn
            .execute("DELETE FROM meta WHERE name = ?1", [SCRUB])?;
        // The checkpoint answers with a row of counts, not needed here.
        let _: i64 = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| row.get(0))?;
        Ok(())
    }

    /// Registers an organisation under its feed id, or renames it when the
    /// id is already there (feeds rename organisations too).
    pub fn add_organisation(&mut self, id: &str, name: &str) -> Result<(), InboxError> {
        let (id, name) = (id.trim(), name.trim());
        if id.is_empty() || name.is_empty() {
            return Err(InboxError::Usage(
                "an organisation needs both an id and a name".to_owned(),
            ));
        }
        self.conn.execute(
            "INSERT INTO organisations (id, name, added) VALUES (?1, ?2, ?3)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name",
            params![id, name, now()],
        )?;
        Ok(())
    }

    /// The organisation's name, or an error naming the unknown id.
    pub fn organisation_name(&self, id: &str) -> Result<String, InboxError> {
        self.conn
            .query_row(
                "SELECT name FROM organisations WHERE id = ?1",
                [id],
                |row| row.get(0),
            )
            .optional()?
            .ok_or_else(|| InboxError::UnknownOrganisation(id.to_owned()))
    }

    /// How many organisations are registered (the server warns at zero).
    pub fn organisation_count(&self) -> Result<i64, InboxError> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM organisations", [], |row| row.get(0))?)
    }

    /// Issues a new join code for the organisation. Only its hash is
    /// stored: the code returned is the one chance to see it.
    pub fn issue_code(&mut self, org: &str, label: Option<&str>) -> Result<Issued, InboxError> {
        self.organisation_name(org)?;
        let label = label.map(str::trim).filter(|l| !l.is_empty());
        loop {
            let issued = Issued {
                code: code::generate()?,
                id: code::new_id()?,
            };
            // An id or a code drawn twice is settled by drawing both again
            // (an equal code is a one-in-10^17 event, an equal id rare).
            let inserted = self.conn.execute(
                "INSERT INTO codes (id, hash, organisation, label, issued)
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
                params![issued.id, self.key.hash(&issued.code), org, label, now()],
            )?;
            if inserted == 1 {
                return Ok(issued);
            }
        }
    }

    /// Revokes a code, given as its public id or as the code itself (typed
    /// in any form), and returns its id. Entries it sent stay; it can send
    /// no more. Revoking twice keeps the first time.
    pub fn revoke_code(&mut self, typed: &str) -> Result<String, InboxError> {
        let (column, value) = match code::as_id(typed) {
            Some(id) => ("id", id),
            None => ("hash", self.key.hash(&code::normalise(typed))),
        };
        let id = self
            .conn
            .query_row(
                &format!(
                    "UPDATE codes SET revoked = coalesce(revoked, ?2) WHERE {column} = ?1
                     RETURNING id"
                ),
                params![value, now()],
                |row| row.get(0),
            )
            .optional()?;
        id.ok_or_else(|| InboxError::UnknownCode(typed.trim().to_owned()))
    }

    /// The organisation's codes, oldest first.
    pub fn codes(&self, org: &str) -> Result<Vec<CodeInfo>, InboxError> {
        self.organisation_name(org)?;
        let mut statement = self.conn.prepare(
            "SELECT id, label, issued, revoked FROM codes
             WHERE organisation = ?1 ORDER BY rowid",
        )?;
        let rows = statement.query_map([org], |row| {
            Ok(CodeInfo {
                id: row.get(0)?,
                label: row.get(1)?,
                issued: row.get(2)?,
                revoked: row.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Who holds a typed code, if it exists and is not revoked. The code is
    /// looked up by its keyed hash; how long the lookup takes can tell a
    /// caller nothing useful, as no one without the key can compute the
    /// hash of a guess.
    pub fn member(&self, typed: &str) -> Result<Option<Member>, InboxError> {
        let hash = self.key.hash(&code::normalise(typed));
        Ok(self
            .conn
            .query_row(
                "SELECT c.id, o.id, o.name, c.label FROM codes c
                 JOIN organisations o ON o.id = c.organisation
                 WHERE c.hash = ?1 AND c.revoked IS NULL",
                [hash],
                |row| {
                    Ok(Member {
                        code_id: row.get(0)?,
                        organisation_id: row.get(1)?,
                        organisation_name: row.get(2)?,
                        label: row.get(3)?,
                    })
                },
            )
            .optional()?)
    }

    /// The holder of a code named by its public id or typed as the code
    /// itself, for a coordinator's command: an unknown code and a revoked
    /// one are refused, each in its own words, since a revoked code's app
    /// can fetch nothing more.
    pub fn holder(&self, typed: &str) -> Result<Member, InboxError> {
        let (column, value) = match code::as_id(typed) {
            Some(id) => ("c.id", id),
            None => ("c.hash", self.key.hash(&code::normalise(typed))),
        };
        let found = self
            .conn
            .query_row(
                &format!(
                    "SELECT c.id, o.id, o.name, c.label, c.revoked FROM codes c
                     JOIN organisations o ON o.id = c.organisation
                     WHERE {column} = ?1"
                ),
                [value],
                |row| {
                    Ok((
                        Member {
                            code_id: row.get(0)?,
                            organisation_id: row.get(1)?,
                            organisation_name: row.get(2)?,
                            label: row.get(3)?,
                        },
                        row.get::<_, Option<String>>(4)?,
                    ))
                },
            )
            .optional()?;
        match found {
            None => Err(InboxError::UnknownCode(typed.trim().to_owned())),
            Some((member, Some(_))) => Err(InboxError::RevokedCode(member.code_id)),
            Some((member, None)) => Ok(member),
        }
    }

    /// Stores an award. Its id is new (drawn at random by the caller), so
    /// an id already there is refused rather than overwritten.
    pub fn add_award(&mut self, award: &Award) -> Result<(), InboxError> {
        self.conn.execute(
            "INSERT INTO awards (id, organisation, code_id, achievement, jwt, credential, created)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                award.id,
                award.organisation_id,
                award.code_id,
                award.achievement,
                award.jwt,
                award.credential,
                award.created
            ],
        )?;
        Ok(())
    }

    /// The awards given to the holder of `code_id`, oldest first.
    pub fn awards(&self, code_id: &str) -> Result<Vec<Award>, InboxError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT id, organisation, code_id, achievement, jwt, credential, created
             FROM awards WHERE code_id = ?1 ORDER BY created, rowid",
        )?;
        let rows = statement.query_map([code_id], |row| {
            Ok(Award {
                id: row.get(0)?,
                organisation_id: row.get(1)?,
                code_id: row.get(2)?,
                achievement: row.get(3)?,
                jwt: row.get(4)?,
                credential: row.get(5)?,
                created: row.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Stores an entry sent with `member`'s code, unless its id is already
    /// stored for the organisation: then the stored entry is compared by
    /// content and nothing changes, except that a corrected version of a
    /// rejected entry replaces it. `store_new = false` reports a new entry
    /// without storing it (the server's fault modes). The check and the
    /// insert are one transaction, so two copies arriving at once store one.
    pub fn submit(
        &mut self,
        member: &Member,
        entry: &Entry,
        store_new: bool,
    ) -> Result<Submission, InboxError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let stored = tx
            .query_row(
                "SELECT content_key, status, reason, entry FROM entries
                 WHERE organisation = ?1 AND id = ?2",
                params![member.organisation_id, entry.id],
                |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, Option<String>>(2)?,
                        row.get::<_, String>(3)?,
                    ))
                },
            )
            .optional()?;
        if let Some((key, status, reason, json)) = stored {
            if key == entry.content_key() {
                return Ok(Submission::Repeat(Decision {
                    id: entry.id.clone(),
                    status: Status::from_name(&status),
                    reason,
                }));
            }
            if status == Status::Rejected.name() {
                // A rejected entry went back to the volunteer to be put
                // right; the corrected version under the same id replaces
                // it and waits for the coordinator again.
                if store_new {
                    tx.execute(
                        "UPDATE entries SET code_id = ?3, received = ?4, status = 'received',
                         reason = NULL, date = ?5, entry = ?6, content_key = ?7
                         WHERE organisation = ?1 AND id = ?2",
                        params![
                            member.organisation_id,
                            entry.id,
                            member.code_id,
                            now(),
                            entry.date,
                            serde_json::to_string(entry).unwrap_or_default(),
                            entry.content_key()
                        ],
                    )?;
                    tx.commit()?;
                }
                return Ok(Submission::New);
            }
            return Ok(Submission::Conflict(Box::new(parse_stored(&json)?)));
        }
        if store_new {
            let json = serde_json::to_string(entry).unwrap_or_default();
            tx.execute(
                "INSERT INTO entries
                 (organisation, id, code_id, received, status, reason, date, entry, content_key)
                 VALUES (?1, ?2, ?3, ?4, 'received', NULL, ?5, ?6, ?7)",
                params![
                    member.organisation_id,
                    entry.id,
                    member.code_id,
                    now(),
                    entry.date,
                    json,
                    entry.content_key()
                ],
            )?;
            tx.commit()?;
        }
        Ok(Submission::New)
    }

    /// The statuses of those of `ids` the organisation has, in the order
    /// asked, each once; unknown ids are left out.
    pub fn decisions(&self, org: &str, ids: &[String]) -> Result<Vec<Decision>, InboxError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT status, reason FROM entries WHERE organisation = ?1 AND id = ?2",
        )?;
        let mut seen = std::collections::HashSet::new();
        let mut found = Vec::new();
        for id in ids {
            if !seen.insert(id.as_str()) {
                continue;
            }
            let row = statement
                .query_row(params![org, id], |row| {
                    Ok((row.get::<_, String>(0)?, row.get::<_, Option<String>>(1)?))
                })
                .optional()?;
            if let Some((status, reason)) = row {
                found.push(Decision {
                    id: id.clone(),
                    status: Status::from_name(&status),
                    reason,
                });
            }
        }
        Ok(found)
    }

    /// Accepts entries and returns how many changed. Naming an unknown id
    /// changes nothing and says which id.
    pub fn accept(&mut self, org: &str, selection: Selection<'_>) -> Result<usize, InboxError> {
        self.organisation_name(org)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let changed = match selection {
            Selection::AllWaiting => tx.execute(
                "UPDATE entries SET status = 'accepted', reason = NULL
                 WHERE organisation = ?1 AND status = 'received'",
                [org],
            )?,
            Selection::Ids(ids) => {
                let mut changed = 0;
                for id in ids {
                    let n = tx.execute(
                        "UPDATE entries SET status = 'accepted', reason = NULL
                         WHERE organisation = ?1 AND id = ?2",
                        params![org, id],
                    )?;
                    if n == 0 {
                        return Err(InboxError::UnknownEntry {
                            org: org.to_owned(),
                            id: id.clone(),
                        });
                    }
                    changed += n;
                }
                changed
            }
        };
        tx.commit()?;
        Ok(changed)
    }

    /// Rejects one entry with a reason the volunteer will read.
    pub fn reject(&mut self, org: &str, id: &str, reason: &str) -> Result<(), InboxError> {
        self.organisation_name(org)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(InboxError::Usage(
                "a rejection needs a reason the volunteer can act on (--reason TEXT)".to_owned(),
            ));
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let status: Option<String> = tx
            .query_row(
                "SELECT status FROM entries WHERE organisation = ?1 AND id = ?2",
                params![org, id],
                |row| row.get(0),
            )
            .optional()?;
        match status.as_deref() {
            None => {
                return Err(InboxError::UnknownEntry {
                    org: org.to_owned(),
                    id: id.to_owned(),
                })
            }
            Some("accepted") => return Err(InboxError::AlreadyAccepted(id.to_owned())),
            Some(_) => {}
        }
        tx.execute(
            "UPDATE entries SET status = 'rejected', reason = ?3
             WHERE organisation = ?1 AND id = ?2",
            params![org, id, reason],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The organisation's entries dated within `from..=to` (either end
    /// open), by date, start time and id.
    pub fn entries(
        &self,
        org: &str,
        from: Option<Date>,
        to: Option<Date>,
    ) -> Result<Vec<Received>, InboxError> {
        self.organisation_name(org)?;
        let iso = |d: Date| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day);
        let mut statement = self.conn.prepare(
            "SELECT e.entry, e.code_id, c.label, e.status, e.reason, e.received
             FROM entries e JOIN codes c ON c.id = e.code_id
             WHERE e.organisation = ?1 AND e.date >= ?2 AND e.date <= ?3",
        )?;
        let rows = statement.query_map(
            params![
                org,
                from.map(iso).unwrap_or_default(),
                to.map(iso).unwrap_or_else(|| "9999-99-99".to_owned())
            ],
            |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, Option<String>>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, Option<String>>(4)?,
                    row.get::<_, String>(5)?,
                ))
            },
        )?;
        let mut entries = Vec::new();
        for row in rows {
            let (json, code_id, label, status, reason, received) = row?;
            entries.push(Received {
                entry: parse_stored(&json)?,
                code_id,
                label,
                status: Status::from_name(&status),
                reason,
                received,
            });
        }
        entries.sort_by(|a, b| {
            (&a.entry.date, &a.entry.start, &a.entry.id).cmp(&(
                &b.entry.date,
                &b.entry.start,
                &b.entry.id,
            ))
        });
        Ok(entries)
    }

    /// How many entries the organisation has, whatever their status.
    pub fn entry_count(&self, org: &str) -> Result<i64, InboxError> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM entries WHERE organisation = ?1",
            [org],
            |row| row.get(0),
        )?)
    }
}

/// A value from the `meta` table.
fn meta(conn: &Connection, name: &str) -> Result<Option<String>, InboxError> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE name = ?1", [name], |row| {
            row.get(0)
        })
        .optional()?)
}

/// Turns a schema 1 file into schema 2 within the caller's transaction:
/// every code is replaced by its keyed hash and a new public id, and every
/// entry refers to that id. The old tables are renamed aside, the new ones
/// made by the same statements as in a new file, filled, and the old ones
/// dropped, so a failure anywhere leaves the file as it was. An entry
/// whose code is missing stops the migration rather than losing the entry.
fn migrate_from_1(tx: &Transaction<'_>, key: &Key) -> Result<(), InboxError> {
    tx.execute_batch(
        "ALTER TABLE entries RENAME TO entries_v1;
         ALTER TABLE codes RENAME TO codes_v1;
         DROP INDEX codes_by_organisation;",
    )?;
    tx.execute_batch(CODES_AND_ENTRIES)?;
    let old_codes = {
        let mut statement = tx.prepare(
            "SELECT code, organisation, label, issued, revoked FROM codes_v1 ORDER BY rowid",
        )?;
        let rows = statement.query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, Option<String>>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, Option<String>>(4)?,
            ))
        })?;
        rows.collect::<Result<Vec<_>, _>>()?
    };
    let mut ids = HashMap::new();
    for (plain, organisation, label, issued, revoked) in old_codes {
        let id = loop {
            let id = code::new_id()?;
            // Schema 1 stored codes normalised, so the hash is the one a
            // volunteer's typed code will have.
            let inserted = tx.execute(
                "INSERT INTO codes (id, hash, organisation, label, issued, revoked)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (id) DO NOTHING",
                params![id, key.hash(&plain), organisation, label, issued, revoked],
            )?;
            if inserted == 1 {
                break id;
            }
        };
        ids.insert(plain, id);
    }
    {
        let mut statement = tx.prepare(
            "SELECT organisation, id, code, received, status, reason, date, entry, content_key
             FROM entries_v1 ORDER BY rowid",
        )?;
        let mut insert = tx.prepare(
            "INSERT INTO entries
             (organisation, id, code_id, received, status, reason, date, entry, content_key)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let id: String = row.get(1)?;
            let plain: String = row.get(2)?;
            let Some(code_id) = ids.get(&plain) else {
                return Err(InboxError::Corrupt(format!(
                    "entry {id} names a join code that is not in the database"
                )));
            };
            insert.execute(params![
                row.get::<_, String>(0)?,
                id,
                code_id,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, Option<String>>(5)?,
                row.get::<_, String>(6)?,
                row.get::<_, String>(7)?,
                row.get::<_, String>(8)?,
            ])?;
        }
    }
    tx.execute_batch("DROP TABLE entries_v1; DROP TABLE codes_v1;")?;
    tx.execute(
        "INSERT INTO meta (name, value) VALUES (?1, 'pending')",
        [SCRUB],
    )?;
    Ok(())
}

/// An entry as the inbox wrote it; it was an `Entry` going in, so a failure
/// here means the file was changed by something else.
fn parse_stored(json: &str) -> Result<Entry, InboxError> {
    serde_json::from_str(json).map_err(|e| InboxError::Corrupt(e.to_string()))
}

/// The current time as RFC 3339 UTC to the second, e.g. `2026-11-20T08:30:00Z`.
pub fn now() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    timestamp(i64::try_from(seconds).unwrap_or(i64::MAX))
}

/// A Unix time as RFC 3339 UTC to the second.
pub fn timestamp(unix_seconds: i64) -> String {
    let date = Date::from_days(unix_seconds.div_euclid(86_400));
    let of_day = unix_seconds.rem_euclid(86_400);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        date.year,
        date.month,
        date.day,
        of_day / 3600,
        of_day / 60 % 60,
        of_day % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_rfc3339_utc() {
        for (unix, text) in [
            (0, "1970-01-01T00:00:00Z"),
            (1_795_000_000, "2026-11-18T11:06:40Z"),
            (951_782_399, "2000-02-28T23:59:59Z"),
        ] {
            assert_eq!(timestamp(unix), text, "{unix}");
        }
    }
}
