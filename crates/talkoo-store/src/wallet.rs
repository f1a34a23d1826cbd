//! How the badge wallet and its status-list cache are kept: JSON values keyed by badge id and by list address, read back without ever dropping one silently.

use talkoo_core::wallet::{CachedStatusList, WalletBadge};

use crate::StoreError;

/// A badge as stored.
pub fn badge_to_json(badge: &WalletBadge) -> String {
    // Strings, enums and maps with string keys always serialise, so the
    // empty fallback is never used.
    serde_json::to_string(badge).unwrap_or_default()
}

/// A stored badge; a value that does not parse is an error rather than a
/// skipped row, because a badge must never disappear without a word.
pub fn badge_from_json(key: &str, text: &str) -> Result<WalletBadge, StoreError> {
    serde_json::from_str(text)
        .map_err(|e| StoreError::Backend(format!("badge {key} could not be read: {e}")))
}

/// A status list as stored.
pub fn status_to_json(list: &CachedStatusList) -> String {
    serde_json::to_string(list).unwrap_or_default()
}

/// A stored status list.
pub fn status_from_json(key: &str, text: &str) -> Result<CachedStatusList, StoreError> {
    serde_json::from_str(text)
        .map_err(|e| StoreError::Backend(format!("status list {key} could not be read: {e}")))
}
