//! Talkoo's storage boundary: one async trait, an in-memory implementation for native tests, and IndexedDB in the browser.
//!
//! The schema is plain data ([`schema`]) applied by one upgrade loop in every
//! implementation, so the rule that personal data survives every migration is
//! checked once, natively, and holds for IndexedDB too.

pub mod catalogue;
pub mod faulty;
pub mod hours;
pub mod memory;
pub mod schema;
pub mod suite;
pub mod wallet;

#[cfg(target_arch = "wasm32")]
pub mod idb;

pub use catalogue::LoadedRecord;
pub use faulty::FaultyStore;
pub use hours::Change;
pub use memory::{MemoryDisk, MemoryStore};
pub use schema::SCHEMA_VERSION;
use std::collections::BTreeSet;

use talkoo_core::feed::Kind;
use talkoo_core::hours::outbox::{Membership, Record};
use talkoo_core::sync::{RegionChange, StoredRegion};
use talkoo_core::wallet::{BadgeMerge, CachedStatusList, WalletBadge};

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

    /// The regions stored, with their versions and file hashes.
    async fn regions(&self) -> Result<Vec<StoredRegion>, StoreError>;

    /// Applies a region's change in one transaction: either all of it is
    /// stored or none of it is. The region's snapshot, of the records
    /// before the change, is removed in it too; [`Store::put_snapshot`]
    /// writes the new one.
    async fn apply_region(&self, change: &RegionChange) -> Result<(), StoreError> {
        self.apply_region_interrupted(change, None).await
    }

    /// [`Store::apply_region`], failing on purpose after `interrupt_after`
    /// record writes when given: the tests' stand-in for a tab closed in the
    /// middle of a sync, to prove the transaction rolls back.
    #[doc(hidden)]
    async fn apply_region_interrupted(
        &self,
        change: &RegionChange,
        interrupt_after: Option<usize>,
    ) -> Result<(), StoreError>;

    /// Deletes a region's records, snapshot and state in one transaction.
    async fn remove_region(&self, region: &str) -> Result<(), StoreError>;

    /// Every record of a region.
    async fn records(&self, region: &str) -> Result<Vec<LoadedRecord>, StoreError> {
        let mut all = Vec::new();
        self.each_record(region, &mut |record| all.push(record))
            .await?;
        Ok(all)
    }

    /// Every record of a region, handed to `each` as it is read: the app
    /// parses a record and drops its JSON before the next, so a region of
    /// 50,000 cards is never in memory as JSON and as records at once.
    async fn each_record(
        &self,
        region: &str,
        each: &mut dyn FnMut(LoadedRecord),
    ) -> Result<(), StoreError>;

    /// One record's JSON, `None` when the region has no such record: what
    /// a card's page reads, since the catalogue in memory keeps only what
    /// lists, filters and search use.
    async fn record(
        &self,
        region: &str,
        kind: Kind,
        partition: &str,
        id: &str,
    ) -> Result<Option<String>, StoreError>;

    /// A region's snapshot (`talkoo_core::snapshot`) as
    /// [`Store::put_snapshot`] wrote it; `None` if it has none (none was
    /// written since the region last changed).
    async fn snapshot(&self, region: &str) -> Result<Option<Vec<u8>>, StoreError>;

    /// Writes a snapshot made of a region's records at `version`, in one
    /// transaction with the check that the region is still at that
    /// version, so a snapshot built while another tab's sync applied a
    /// newer version is never taken for the newer one's. Returns whether
    /// it was written.
    async fn put_snapshot(
        &self,
        region: &str,
        version: &str,
        bytes: &[u8],
    ) -> Result<bool, StoreError>;

    /// Keeps a verified feed file by its SHA-256: until its region is
    /// applied, so an interrupted sync resumes without fetching it again,
    /// and afterwards while a stored region is in that file's version, so
    /// the device can pass its data on in a bundle byte for byte.
    async fn stage_file(&self, sha256: &str, text: &str) -> Result<(), StoreError>;

    /// [`Store::stage_file`] for several files (SHA-256 and text) at once,
    /// in one transaction where the storage has them: a sync of the demo's
    /// 31 small files spent most of its time committing one each.
    async fn stage_files(&self, files: &[(String, String)]) -> Result<(), StoreError> {
        for (sha256, text) in files {
            self.stage_file(sha256, text).await?;
        }
        Ok(())
    }

    /// A staged file, if this device already downloaded and verified it.
    async fn staged_file(&self, sha256: &str) -> Result<Option<String>, StoreError>;

    /// The SHA-256 of every staged file.
    async fn staged_hashes(&self) -> Result<BTreeSet<String>, StoreError>;

    /// Drops every staged file whose SHA-256 is not in `keep` (after a sync,
    /// the files of the stored regions' versions are kept).
    async fn retain_staged(&self, keep: &BTreeSet<String>) -> Result<(), StoreError>;

    /// Reads a sync bookkeeping value.
    async fn get_meta(&self, key: &str) -> Result<Option<String>, StoreError>;

    /// Writes a sync bookkeeping value.
    async fn put_meta(&self, key: &str, value: &str) -> Result<(), StoreError>;

    /// Every hours entry with its delivery state, in id order.
    async fn hour_records(&self) -> Result<Vec<Record>, StoreError>;

    /// Reads entry `id`, lets `change` decide, and writes the decision, all
    /// in one transaction: the sender marks an entry sent only if it still
    /// holds what was sent, and an edit is refused once the entry was sent,
    /// even when the two race. Returns the entry as stored afterwards.
    async fn update_hour_record(
        &self,
        id: &str,
        change: impl FnOnce(Option<Record>) -> Change,
    ) -> Result<Option<Record>, StoreError>;

    /// Writes several entries in one transaction (a restored backup, a
    /// resolved conflict): all of them or none.
    async fn put_hour_records(&self, records: &[Record]) -> Result<(), StoreError>;

    /// The inboxes the volunteer joined, by organisation id.
    async fn memberships(&self) -> Result<Vec<Membership>, StoreError>;

    /// Whether the volunteer joined an inbox that has not refused them:
    /// whether the outbox has anywhere to send hours. The shell asks this
    /// at start without reading whole memberships, whose parsing is the
    /// badges module's.
    async fn sends_hours(&self) -> Result<bool, StoreError>;

    /// Adds or replaces the membership of one organisation.
    async fn put_membership(&self, membership: &Membership) -> Result<(), StoreError>;

    /// Leaves an organisation's inbox; its entries stay.
    async fn delete_membership(&self, organisation_id: &str) -> Result<(), StoreError>;

    /// Joins an inbox: writes `membership` and replaces every entry for
    /// which `queue` returns a new record, in one transaction that reads
    /// the entries it decides on. Two taps on Join, or a join racing the
    /// outbox, cannot queue an entry twice or undo a send. Returns the
    /// entries it changed.
    async fn join_inbox(
        &self,
        membership: &Membership,
        queue: impl FnMut(&Record) -> Option<Record>,
    ) -> Result<Vec<Record>, StoreError>;

    /// Every badge in the wallet, in id order.
    async fn badges(&self) -> Result<Vec<WalletBadge>, StoreError>;

    /// One badge, `None` when the wallet does not hold it.
    async fn badge(&self, id: &str) -> Result<Option<WalletBadge>, StoreError>;

    /// Adds badges (new ones, badges checked again, a restored backup's),
    /// each merged with the stored badge of its id by
    /// `talkoo_core::wallet::merge_badges` in the transaction that reads it:
    /// one entry per id, the newer report winning and the first `added_at`
    /// staying, so two tabs or two restores cannot make a second copy.
    /// Returns what was written and the counts.
    async fn add_badges(&self, badges: &[WalletBadge]) -> Result<BadgeMerge, StoreError>;

    /// Adds or replaces one badge as [`Store::add_badges`] does, and returns
    /// it as stored afterwards (`None` only if another tab removed it
    /// between the write and the read).
    async fn add_badge(&self, badge: &WalletBadge) -> Result<Option<WalletBadge>, StoreError> {
        let merge = self.add_badges(std::slice::from_ref(badge)).await?;
        match merge.write.into_iter().next() {
            Some(written) => Ok(Some(written)),
            None => self.badge(&badge.id).await,
        }
    }

    /// Removes a badge from the wallet; removing a missing one is not an
    /// error.
    async fn delete_badge(&self, id: &str) -> Result<(), StoreError>;

    /// Keeps a fetched status list under its address, replacing the copy
    /// fetched before.
    async fn put_status_list(&self, list: &CachedStatusList) -> Result<(), StoreError>;

    /// The status list last fetched from `url`, if any.
    async fn status_list(&self, url: &str) -> Result<Option<CachedStatusList>, StoreError>;

    /// Every cached status list, by address, for the verifier's request.
    async fn status_lists(&self) -> Result<Vec<CachedStatusList>, StoreError>;
}

/// The error a deliberately interrupted apply returns.
pub fn interrupted() -> StoreError {
    StoreError::Backend("interrupted on purpose".to_owned())
}

/// Setting keys, kept in one place so that a typo cannot create a new one.
pub mod keys {
    /// The chosen UI language tag (`fi`, `sv`, `en`).
    pub const LANGUAGE: &str = "ui.language";
    /// The subscribed region ids, comma-separated.
    pub const REGIONS: &str = "catalogue.regions";
    /// The home municipality code, if the user chose one.
    pub const MUNICIPALITY: &str = "catalogue.municipality";
    /// Set once the one-time "Install Talkoo" offer has been shown, so it
    /// never comes back on this device.
    pub const INSTALL_OFFERED: &str = "ui.install_offered";
    /// The awards already taken into the wallet from hours inboxes, as a
    /// JSON array of `organisation/award id`: every status answer carries
    /// every award, and each is verified and kept once.
    pub const AWARDS_RECEIVED: &str = "badges.awards_received";
    /// Kiosk mode's settings as JSON (`talkoo_core::kiosk::KioskSettings`);
    /// present only while the device is a kiosk, read before the first
    /// paint so a kiosk opens straight into kiosk mode.
    pub const KIOSK: &str = "kiosk.settings";
    /// `true` while the user keeps the catalogue's files whole to pass
    /// them on: syncs then download changed files rather than deltas.
    pub const KEEP_WHOLE: &str = "catalogue.keep_whole";
}
