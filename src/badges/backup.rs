//! Backup export and restore, done in the badges module: the backup file carries the wallet's badges, whose record types only the module knows, and the shell's Settings page asks for both only when the volunteer does.
//!
//! Keeping the typed wallet records (and the backup's reading, writing and
//! merging) out of the first-load shell saved about 22 KB brotli of it
//! (issue 11's size budget). The shell keeps the section's buttons, the
//! file picker and the share sheet; this side reads and writes the store
//! and answers in the user's language.

use talkoo_core::hours::backup;
use talkoo_core::i18n::Arg;
use talkoo_engine::hours as engine;
use talkoo_store::{Store, StoreError};

use crate::browser::{now_rfc3339, today};
use crate::i18n::use_i18n;
use crate::storage::use_store;

/// A backup file ready to be saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupFile {
    /// `talkoo-backup-<date>.json`.
    pub name: String,
    /// The file's JSON.
    pub text: String,
    /// The message that says what was saved.
    pub done: String,
}

/// Reads everything personal from the store into a backup file: entries,
/// settings, memberships and the wallet's badges. An error is the store's,
/// in plain words.
pub async fn write_backup() -> Result<BackupFile, String> {
    let i18n = use_i18n();
    let store = use_store()
        .get()
        .ok_or_else(|| i18n.t_now("hours-error-store"))?;
    let data = async {
        Ok::<_, StoreError>((
            store.settings().await?,
            store.hour_records().await?,
            store.memberships().await?,
            store.badges().await?,
        ))
    }
    .await;
    let (settings, records, memberships, badges) = data.map_err(|e| e.to_string())?;
    Ok(BackupFile {
        name: backup::file_name(today()),
        text: backup::to_backup_json(&now_rfc3339(), &settings, &records, &memberships, &badges),
        done: i18n.t_args("backup-done", &[("count", Arg::Num(records.len() as f64))]),
    })
}

/// Restores a backup file's text, each kind of data merged with what the
/// device has; answers the line that says what changed, or why nothing
/// did.
pub async fn restore_backup(text: &str) -> Result<String, String> {
    let i18n = use_i18n();
    let parsed = backup::parse_backup(text)
        .map_err(|e| i18n.t_args("backup-error", &[("reason", Arg::Str(&e.to_string()))]))?;
    let store = use_store()
        .get()
        .ok_or_else(|| i18n.t_now("hours-error-store"))?;
    let done = engine::restore(&*store, &parsed)
        .await
        .map_err(|e| i18n.t_now(e.message_key()))?;
    // The wallet on a badge page drawn later reads the restored badges.
    super::reread_wallet();
    let mut line = i18n.t_args(
        "backup-restored",
        &[
            ("added", Arg::Num(done.added as f64)),
            ("updated", Arg::Num(done.updated as f64)),
            ("same", Arg::Num(done.same as f64)),
        ],
    );
    if !parsed.badges.is_empty() {
        line.push(' ');
        line.push_str(&i18n.t_args(
            "backup-restored-badges",
            &[
                ("added", Arg::Num(done.badges_added as f64)),
                ("updated", Arg::Num(done.badges_updated as f64)),
                ("same", Arg::Num(done.badges_same as f64)),
            ],
        ));
    }
    Ok(line)
}
