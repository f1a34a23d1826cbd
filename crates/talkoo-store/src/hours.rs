//! How volunteer hours and inbox memberships are kept: JSON values keyed by entry id and organisation id, read back without ever dropping one silently.

use talkoo_core::hours::outbox::{Membership, Record};

use crate::StoreError;

/// What [`crate::Store::update_hour_record`] should do with the entry it read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Leave it as it is.
    Keep,
    /// Write this record under the id.
    Put(Box<Record>),
    /// Write this record under the id and these new entries beside it,
    /// all in the same transaction: a conflict settled by keeping both
    /// sides becomes two entries at once or not at all.
    PutWith(Box<Record>, Vec<Record>),
    /// Delete the entry.
    Delete,
}

/// A record as stored.
pub fn record_to_json(record: &Record) -> String {
    serde_json::to_string(record).unwrap_or_default()
}

/// A stored record; a value that does not parse is an error rather than a
/// skipped row, because an entry must never disappear without a word.
pub fn record_from_json(key: &str, text: &str) -> Result<Record, StoreError> {
    serde_json::from_str(text)
        .map_err(|e| StoreError::Backend(format!("hours entry {key} could not be read: {e}")))
}

/// A membership as stored.
pub fn membership_to_json(membership: &Membership) -> String {
    serde_json::to_string(membership).unwrap_or_default()
}

/// Whether any of the stored memberships (key, JSON) can still send
/// hours: each read for its `refused` flag only (see `Store::sends_hours`).
pub fn any_membership_sends<K: AsRef<str>, V: AsRef<str>>(
    rows: impl IntoIterator<Item = (K, V)>,
) -> Result<bool, StoreError> {
    #[derive(serde::Deserialize)]
    struct Refused {
        #[serde(default)]
        refused: bool,
    }
    for (key, text) in rows {
        let membership = serde_json::from_str::<Refused>(text.as_ref()).map_err(|e| {
            StoreError::Backend(format!(
                "membership {} could not be read: {e}",
                key.as_ref()
            ))
        })?;
        if !membership.refused {
            return Ok(true);
        }
    }
    Ok(false)
}

/// A stored membership.
pub fn membership_from_json(key: &str, text: &str) -> Result<Membership, StoreError> {
    serde_json::from_str(text)
        .map_err(|e| StoreError::Backend(format!("membership {key} could not be read: {e}")))
}
