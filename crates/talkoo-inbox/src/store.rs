//! The inbox's SQLite file: organisations, join codes and received entries, each change in one transaction.
//!
//! The file is the whole state, so the server and the coordinator's commands
//! can run at the same time (WAL mode lets a reader and a writer proceed
//! together, and a busy timeout makes a second writer wait instead of
//! failing). Every change is one transaction with `synchronous = FULL`: a
//! process killed mid-request leaves either the whole entry or none of it,
//! and an entry the app was told is stored survives a power cut.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use talkoo_core::hours::Entry;
use talkoo_core::time::Date;

use crate::{code, InboxError};

/// The newest schema this build writes; see [`Inbox::open`].
pub const SCHEMA_VERSION: i64 = 1;

/// How long a write waits for another process (a command run while the
/// server is up) to finish its transaction.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

const SCHEMA: &str = "
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
    /// The normalised code.
    pub code: String,
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
    /// The normalised code.
    pub code: String,
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
    /// The code that sent it.
    pub code: String,
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

/// An open inbox database.
#[derive(Debug)]
pub struct Inbox {
    conn: Connection,
}

impl Inbox {
    /// Opens the database at `path`, creating it and its tables when missing.
    /// A file from a newer build is refused untouched.
    pub fn open(path: &Path) -> Result<Inbox, InboxError> {
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
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open_error)?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(InboxError::TooNew {
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        if version == 0 {
            tx.execute_batch(SCHEMA)?;
            tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        }
        tx.commit()?;
        Ok(Inbox { conn })
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

    /// Issues a new join code for the organisation and returns it normalised.
    pub fn issue_code(&mut self, org: &str, label: Option<&str>) -> Result<String, InboxError> {
        self.organisation_name(org)?;
        let label = label.map(str::trim).filter(|l| !l.is_empty());
        loop {
            let code = code::generate()?;
            // A collision is a one-in-10^17 event; a fresh code is the answer.
            let inserted = self.conn.execute(
                "INSERT INTO codes (code, organisation, label, issued) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (code) DO NOTHING",
                params![code, org, label, now()],
            )?;
            if inserted == 1 {
                return Ok(code);
            }
        }
    }

    /// Revokes a code (typed in any form). Entries it sent stay; it can send
    /// no more. Revoking twice keeps the first time.
    pub fn revoke_code(&mut self, typed: &str) -> Result<(), InboxError> {
        let code = code::normalise(typed);
        let changed = self.conn.execute(
            "UPDATE codes SET revoked = coalesce(revoked, ?2) WHERE code = ?1",
            params![code, now()],
        )?;
        if changed == 0 {
            return Err(InboxError::UnknownCode(typed.trim().to_owned()));
        }
        Ok(())
    }

    /// The organisation's codes, oldest first.
    pub fn codes(&self, org: &str) -> Result<Vec<CodeInfo>, InboxError> {
        self.organisation_name(org)?;
        let mut statement = self.conn.prepare(
            "SELECT code, label, issued, revoked FROM codes
             WHERE organisation = ?1 ORDER BY rowid",
        )?;
        let rows = statement.query_map([org], |row| {
            Ok(CodeInfo {
                code: row.get(0)?,
                label: row.get(1)?,
                issued: row.get(2)?,
                revoked: row.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Who holds a typed code, if it exists and is not revoked.
    pub fn member(&self, typed: &str) -> Result<Option<Member>, InboxError> {
        let code = code::normalise(typed);
        Ok(self
            .conn
            .query_row(
                "SELECT c.code, o.id, o.name, c.label FROM codes c
                 JOIN organisations o ON o.id = c.organisation
                 WHERE c.code = ?1 AND c.revoked IS NULL",
                [code],
                |row| {
                    Ok(Member {
                        code: row.get(0)?,
                        organisation_id: row.get(1)?,
                        organisation_name: row.get(2)?,
                        label: row.get(3)?,
                    })
                },
            )
            .optional()?)
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
                        "UPDATE entries SET code = ?3, received = ?4, status = 'received',
                         reason = NULL, date = ?5, entry = ?6, content_key = ?7
                         WHERE organisation = ?1 AND id = ?2",
                        params![
                            member.organisation_id,
                            entry.id,
                            member.code,
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
                 (organisation, id, code, received, status, reason, date, entry, content_key)
                 VALUES (?1, ?2, ?3, ?4, 'received', NULL, ?5, ?6, ?7)",
                params![
                    member.organisation_id,
                    entry.id,
                    member.code,
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
            "SELECT e.entry, e.code, c.label, e.status, e.reason, e.received
             FROM entries e JOIN codes c ON c.code = e.code
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
            let (json, code, label, status, reason, received) = row?;
            entries.push(Received {
                entry: parse_stored(&json)?,
                code,
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
