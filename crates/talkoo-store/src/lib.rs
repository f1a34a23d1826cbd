//! Talkoo's storage boundary: one async trait, an in-memory implementation for native tests, and IndexedDB in the browser.
//!
//! The schema is plain data ([`schema`]) applied by one upgrade loop in every
//! implementation, so the rule that personal data survives every migration is
//! checked once, natively, and holds for IndexedDB too.

pub mod memory;
pub mod schema;
pub mod suite;

#[cfg(target_arch = "wasm32")]
pub mod idb;

pub use memory::{MemoryDisk, MemoryStore};
pub use schema::SCHEMA_VERSION;

/// What can go wrong at the storage boundary, in words the Settings page can show.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The browser offers no IndexedDB (some private windows, old browsers).
    #[error("this browser offers no on-device storage: {0}")]
    Unavailable(String),
    /// The database was written by a newer Talkoo than this one.
    #[error(
        "the saved data is from a newer version of Talkoo (this version knows schema {supported})"
    )]
    TooNew {
        /// The newest schema version this build understands.
        supported: u32,
    },
    /// Another tab runs an older Talkoo and will not let go of the database.
    #[error("another tab with an older version of Talkoo keeps the data open")]
    Blocked,
    /// Any other failure reported by the storage engine.
    #[error("the storage engine reported an error: {0}")]
    Backend(String),
}

/// The storage operations the app needs. Implementations run on one thread
/// (the browser's), so the futures carry no `Send` bound.
pub trait Store {
    /// The schema version the open database is at.
    fn schema_version(&self) -> u32;

    /// Reads one setting, `None` when it was never written.
    async fn get_setting(&self, key: &str) -> Result<Option<String>, StoreError>;

    /// Writes one setting; it is durable when the future resolves.
    async fn put_setting(&self, key: &str, value: &str) -> Result<(), StoreError>;

    /// Removes one setting; removing a missing one is not an error.
    async fn delete_setting(&self, key: &str) -> Result<(), StoreError>;

    /// Every setting, sorted by key, for backups and diagnostics.
    async fn settings(&self) -> Result<Vec<(String, String)>, StoreError>;
}

/// Setting keys, kept in one place so that a typo cannot create a new one.
pub mod keys {
    /// The chosen UI language tag (`fi`, `sv`, `en`).
    pub const LANGUAGE: &str = "ui.language";
}
