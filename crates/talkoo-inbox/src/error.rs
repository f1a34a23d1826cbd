//! The one error type of the inbox's library and command line, worded for a coordinator reading a terminal.

use std::path::PathBuf;

/// Everything that can go wrong in a command or when starting the server.
/// Refusals of HTTP requests are not errors: they are answers (see `api`).
#[derive(Debug, thiserror::Error)]
pub enum InboxError {
    /// The command line could not be understood; the text says what to type.
    #[error("{0}")]
    Usage(String),
    /// The database file could not be opened or created.
    #[error("cannot open the database {path}: {source}")]
    Open {
        /// The file that was asked for.
        path: PathBuf,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// The database was made by a newer talkoo-inbox, whose tables this one
    /// does not know; it is left untouched rather than guessed at.
    #[error(
        "the database is from a newer talkoo-inbox (schema {found}, this one knows {known}); use the newer program"
    )]
    TooNew {
        /// The schema version in the file.
        found: i64,
        /// The newest version this build knows.
        known: i64,
    },
    /// Reading or writing the database failed.
    #[error("the database failed: {0}")]
    Database(#[from] rusqlite::Error),
    /// A stored entry no longer reads as an entry.
    #[error("the database holds an entry that is not an hours entry any more ({0}); was the file edited by hand?")]
    Corrupt(String),
    /// The organisation id is not registered.
    #[error(
        "there is no organisation {0:?}; register it first with `talkoo-inbox org add ID NAME`"
    )]
    UnknownOrganisation(String),
    /// The join code (or code id) is not in the database.
    #[error("there is no join code {0}")]
    UnknownCode(String),
    /// The join code was revoked: its app can fetch nothing more.
    #[error("join code {0} is revoked, so its volunteer's app can no longer fetch anything; issue a new code first")]
    RevokedCode(String),
    /// The issuer key file is not an Ed25519 private key as JSON. The
    /// reason never quotes the file, which holds the private key.
    #[error("cannot use the issuer key file {path}: {reason}")]
    IssuerKey {
        /// The key file.
        path: PathBuf,
        /// Why, in words that do not quote the file.
        reason: String,
    },
    /// The achievement could not be found or read.
    #[error("{0}")]
    Achievement(String),
    /// The credential could not be made (a bad `--now`, say).
    #[error("cannot issue the badge: {0}")]
    Issue(String),
    /// The key file could not be read or written.
    #[error("cannot use the key file {path}: {source}")]
    KeyFile {
        /// The key file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The key file is not a key: a key file holds exactly 32 bytes.
    #[error("the key file {path} is not a talkoo-inbox key (it must be exactly 32 bytes); restore it from your backup")]
    KeyBroken {
        /// The key file.
        path: PathBuf,
    },
    /// The database has join codes, stored as hashes under a key, and the
    /// key file is gone. Making a new key would turn away every volunteer
    /// without a word, so the inbox refuses to start instead.
    #[error(
        "the database {db} has join codes, but their key file {key} is missing; \
         restore the key file from your backup, or name it with --key-file (without it no code can be checked)"
    )]
    KeyMissing {
        /// Where the key file was looked for.
        key: PathBuf,
        /// The database.
        db: PathBuf,
    },
    /// The key file is not the one the database's codes were stored with.
    #[error(
        "the key file {key} does not belong to the database {db} (its codes were stored with another key); \
         use the key file that was made with this database"
    )]
    KeyMismatch {
        /// The key file given.
        key: PathBuf,
        /// The database.
        db: PathBuf,
    },
    /// No entry with this id was received for the organisation.
    #[error("organisation {org:?} has no entry {id}")]
    UnknownEntry {
        /// The organisation.
        org: String,
        /// The entry id asked for.
        id: String,
    },
    /// Accepted hours are final: the app stops asking about them, so a later
    /// rejection would never reach the volunteer.
    #[error("entry {0} is already accepted, and accepted hours are final")]
    AlreadyAccepted(String),
    /// A date option that is not `YYYY-MM-DD`.
    #[error("{0:?} is not a date; write it as YYYY-MM-DD")]
    BadDate(String),
    /// The server could not listen on the address.
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        /// The address asked for.
        addr: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// The system's random source could not be read, so no code or key was made.
    #[error("cannot read random bytes from the system: {0}")]
    Random(std::io::Error),
    /// Writing the output (a CSV or a listing) failed.
    #[error("cannot write the output: {0}")]
    Output(#[from] std::io::Error),
}
