//! The IndexedDB store used in the browser, with the same upgrade loop as the memory store.

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::rc::Rc;

use indexed_db_futures::database::Database;
use indexed_db_futures::error::{Error as IdbError, OpenDbError};
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{Transaction, TransactionMode};

use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::KeyRange;
use talkoo_core::feed::Kind;
use talkoo_core::sync::{file_partition, RecordSpan, RegionChange, StoredRegion};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::catalogue::{
    each_in_file, file_key, file_of_key, file_range, missing_file, parse_record, partition_range,
    record_key, region_from_json, region_range, region_to_json, span_text, stored_file_from_json,
    stored_file_to_json, LoadedRecord,
};
use crate::hours::{
    any_membership_sends, membership_from_json, membership_to_json, record_from_json,
    record_to_json, Change,
};
use crate::schema::{
    self, Migration, BADGES, BADGE_STATUS, HOURS, MEMBERSHIPS, PARTITIONS, RECORDS, REGIONS,
    SCHEMA_VERSION, SETTINGS, SNAPSHOTS, STAGING, SYNC_META,
};
use crate::wallet::{badge_from_json, badge_to_json, status_from_json, status_to_json};
use crate::{interrupted, Store, StoreError};
use talkoo_core::hours::outbox::{Membership, Record};
use talkoo_core::wallet::{merge_badges, BadgeMerge, CachedStatusList, WalletBadge};

/// The database name the app uses; tests use their own names.
pub const DATABASE_NAME: &str = "talkoo";

/// An open IndexedDB database.
#[derive(Debug)]
pub struct IdbStore {
    db: Database,
    version: u32,
    giving_way: GivingWay,
}

/// Closes a connection as soon as another asks to upgrade or delete the
/// database (its `versionchange` event). A newer Talkoo opened in another
/// tab or window then upgrades at once; without this it waited on its
/// loading screen until every older tab was closed. This connection is of
/// no use after, and says so through [`IdbStore::on_given_way`].
struct GivingWay {
    db: web_sys::IdbDatabase,
    state: Rc<GaveWay>,
    _listener: Closure<dyn FnMut()>,
}

#[derive(Default)]
struct GaveWay {
    closed: Cell<bool>,
    then: RefCell<Option<Box<dyn Fn()>>>,
}

impl GivingWay {
    fn new(db: &Database) -> Self {
        let db: web_sys::IdbDatabase = db.as_sys().clone().into();
        let state = Rc::new(GaveWay::default());
        let listener = {
            let (db, state) = (db.clone(), Rc::clone(&state));
            Closure::<dyn FnMut()>::new(move || {
                db.close();
                state.closed.set(true);
                if let Some(then) = state.then.borrow().as_ref() {
                    then();
                }
            })
        };
        db.set_onversionchange(Some(listener.as_ref().unchecked_ref()));
        Self {
            db,
            state,
            _listener: listener,
        }
    }
}

impl Drop for GivingWay {
    fn drop(&mut self) {
        // Nothing can use a dropped store's connection, and without its
        // handler it would hold up another's upgrade until it was
        // garbage-collected: it is closed now. Closing waits for the
        // transactions under way, and closing twice does nothing.
        self.db.set_onversionchange(None);
        self.db.close();
    }
}

impl std::fmt::Debug for GivingWay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GivingWay")
            .field("closed", &self.state.closed.get())
            .finish_non_exhaustive()
    }
}

impl IdbStore {
    /// Opens the app's database at the current schema version.
    pub async fn open_default() -> Result<Self, StoreError> {
        Self::open(DATABASE_NAME, SCHEMA_VERSION).await
    }

    /// Opens `name` at `version`, creating or upgrading it step by step.
    pub async fn open(name: &str, version: u32) -> Result<Self, StoreError> {
        Self::open_with(name, version, schema::MIGRATIONS).await
    }

    /// [`IdbStore::open`] with another list of migrations (tests of a future
    /// schema change).
    pub async fn open_with(
        name: &str,
        version: u32,
        migrations: &[Migration],
    ) -> Result<Self, StoreError> {
        Self::open_noting_blocked(name, version, migrations, || {
            // An older Talkoo, from before connections gave way, still has
            // the database open in another tab: the open waits for it.
            web_sys::console::warn_1(&JsValue::from_str(
                "Talkoo waits for its other tabs or windows to close before it upgrades its storage",
            ));
        })
        .await
    }

    /// [`IdbStore::open_with`], calling `blocked` when the open has to wait
    /// for another connection to close (its `blocked` event): one that did
    /// not give way at once.
    pub async fn open_noting_blocked(
        name: &str,
        version: u32,
        migrations: &[Migration],
        blocked: impl Fn() + 'static,
    ) -> Result<Self, StoreError> {
        let migrations = migrations.to_vec();
        let db = Database::open(name)
            .with_version(version)
            .with_on_blocked(move |_| {
                blocked();
                Ok(())
            })
            .with_on_upgrade_needed(move |event, db| {
                // Versions are whole numbers stored as f64 by the browser.
                let old = event.old_version() as u32;
                for migration in schema::steps_in(&migrations, old, version) {
                    for gone in migration.delete {
                        db.delete_object_store(gone)?;
                    }
                    for store in migration.create {
                        db.create_object_store(store.name).build()?;
                    }
                }
                Ok(())
            })
            .await
            .map_err(|e| open_error(e, version))?;
        let giving_way = GivingWay::new(&db);
        Ok(Self {
            db,
            version,
            giving_way,
        })
    }

    /// Calls `then` once this connection has closed so that another could
    /// upgrade or delete the database (a newer Talkoo in another tab): the
    /// page must be loaded again to use storage. Replaces an earlier `then`.
    pub fn on_given_way(&self, then: impl Fn() + 'static) {
        *self.giving_way.state.then.borrow_mut() = Some(Box::new(then));
    }

    /// Whether this connection has closed for another's upgrade.
    pub fn has_given_way(&self) -> bool {
        self.giving_way.state.closed.get()
    }

    /// Deletes a database (tests start from a clean one).
    pub async fn delete(name: &str) -> Result<(), StoreError> {
        Database::delete_by_name(name)
            .map_err(|e| open_error(e, SCHEMA_VERSION))?
            .await
            .map_err(backend)
    }

    /// Closes the connection so another one can upgrade the database, as
    /// dropping the store does.
    pub fn close(self) {
        self.db.close();
    }
}

/// Every key of an object store (all keys are strings).
async fn all_keys(store: &ObjectStore<'_>) -> Result<Vec<String>, StoreError> {
    store
        .get_all_keys::<String>()
        .await
        .map_err(backend)?
        .collect::<Result<_, _>>()
        .map_err(backend)
}

/// Bytes of a snapshot read back at a time (see [`snapshot_value`]).
const SNAPSHOT_READ: usize = 2 << 20;

/// A snapshot as stored: a `Blob`, unless it is small
/// ([`stored_bytes`]). A request for a `Uint8Array` of tens of
/// megabytes copies it whole on the main thread when it succeeds (180 ms
/// at 50,000 cards), while a `Blob` comes back as a handle at once and is
/// read [`SNAPSHOT_READ`] bytes at a time, each read a task of its own.
fn snapshot_value(bytes: &[u8]) -> Result<JsValue, StoreError> {
    stored_bytes(bytes)
}

/// Values of at most this many bytes are stored as a `Uint8Array`, larger
/// ones as a `Blob` ([`stored_bytes`]).
pub const INLINE_BYTES: usize = 64 << 10;

/// `bytes` as stored: a `Uint8Array` up to [`INLINE_BYTES`], else a `Blob`.
/// Each `Blob` made costs a round trip to the browser's blob registry:
/// in a profile of the demo's first sync (which the profiler slows),
/// making them took 46 ms of the sync worker's time, and the staging
/// transaction of its 31 files (5 KB each) took 21 ms as blobs and 8 ms
/// as arrays (issue 13). A small array is cheap to copy when it is read,
/// and Chromium keeps any value over 64 KiB in a blob of its own anyway.
fn stored_bytes(bytes: &[u8]) -> Result<JsValue, StoreError> {
    if bytes.len() <= INLINE_BYTES {
        return Ok(js_sys::Uint8Array::from(bytes).into());
    }
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    web_sys::Blob::new_with_u8_array_sequence(&parts)
        .map(Into::into)
        .map_err(|e| StoreError::Backend(format!("{e:?}")))
}

/// A stored snapshot's bytes: a `Blob` a slice at a time, or a
/// `Uint8Array` (a small one, or any an earlier version stored).
async fn snapshot_bytes(value: JsValue) -> Result<Option<Vec<u8>>, StoreError> {
    let blob = match value.dyn_into::<web_sys::Blob>() {
        Ok(blob) => blob,
        Err(value) => {
            return Ok(value
                .dyn_into::<js_sys::Uint8Array>()
                .ok()
                .map(|array| array.to_vec()))
        }
    };
    let failed = |e: JsValue| StoreError::Backend(format!("{e:?}"));
    let size = blob.size() as usize;
    let mut bytes = Vec::with_capacity(size);
    while bytes.len() < size {
        let end = size.min(bytes.len() + SNAPSHOT_READ);
        let part = blob
            .slice_with_f64_and_f64(bytes.len() as f64, end as f64)
            .map_err(failed)?;
        let buffer = wasm_bindgen_futures::JsFuture::from(part.array_buffer())
            .await
            .map_err(failed)?;
        let array = js_sys::Uint8Array::new(&buffer);
        let at = bytes.len();
        if array.length() as usize != end - at {
            return Err(StoreError::Backend("a saved summary was cut short".into()));
        }
        bytes.resize(end, 0);
        array.copy_to(&mut bytes[at..]);
    }
    Ok(Some(bytes))
}

/// A staged file as stored: its UTF-8 bytes, in a `Blob` unless the file
/// is small ([`stored_bytes`]), so that a card's page reads its one
/// record with `Blob.slice` instead of the whole file.
/// At 50,000 cards a services file is 12 MB: reading it whole as a string
/// took 75 ms and copying it into the wasm 75 ms more, on every card
/// opened.
fn file_value(text: &str) -> Result<JsValue, StoreError> {
    snapshot_value(text.as_bytes())
}

/// A staged file's text: a `Blob` read a slice at a time, or the string
/// an earlier version stored.
async fn file_text(value: JsValue) -> Result<String, StoreError> {
    if let Some(text) = value.as_string() {
        return Ok(text);
    }
    let bytes = snapshot_bytes(value).await?.unwrap_or_default();
    String::from_utf8(bytes)
        .map_err(|_| StoreError::Backend("a stored feed file is not UTF-8".into()))
}

/// One record of a staged file, from its bytes `start..end`.
async fn file_span(value: JsValue, span: &RecordSpan) -> Result<String, StoreError> {
    let bytes = match value.dyn_into::<web_sys::Blob>() {
        Ok(blob) => {
            let failed = |e: JsValue| StoreError::Backend(format!("{e:?}"));
            let part = blob
                .slice_with_f64_and_f64(f64::from(span.start), f64::from(span.end))
                .map_err(failed)?;
            let buffer = wasm_bindgen_futures::JsFuture::from(part.array_buffer())
                .await
                .map_err(failed)?;
            js_sys::Uint8Array::new(&buffer).to_vec()
        }
        Err(value) => match value.dyn_into::<js_sys::Uint8Array>() {
            // A small file: only the record's bytes are copied.
            Ok(array) => {
                let end = span.end.min(array.length());
                array.subarray(span.start.min(end), end).to_vec()
            }
            // A string an earlier version stored: read whole.
            Err(value) => return span_text(&file_text(value).await?, span),
        },
    };
    if bytes.len() != (span.end - span.start) as usize {
        return Err(StoreError::Backend(format!(
            "the stored file of {} is cut short",
            span.id
        )));
    }
    String::from_utf8(bytes)
        .map_err(|_| StoreError::Backend("a stored feed file is not UTF-8".into()))
}

fn backend(e: IdbError) -> StoreError {
    StoreError::Backend(e.to_string())
}

fn open_error(e: OpenDbError, version: u32) -> StoreError {
    match e {
        OpenDbError::NullFactory | OpenDbError::UnsupportedEnvironment => {
            StoreError::Unavailable(e.to_string())
        }
        OpenDbError::Base(base) => {
            let text = base.to_string();
            if text.contains("VersionError") || text.contains("less than the existing version") {
                StoreError::TooNew { supported: version }
            } else {
                StoreError::Backend(text)
            }
        }
        other => StoreError::Backend(other.to_string()),
    }
}

impl IdbStore {
    /// The stores a region's change or removal writes: its records, its
    /// state, from schema version 5 its snapshot, and from version 6 the
    /// files that hold its records (with staging, where the files are).
    fn catalogue_stores(&self) -> Vec<&'static str> {
        let mut names = vec![RECORDS.name, REGIONS.name];
        if schema::has_snapshots(self.version) {
            names.push(SNAPSHOTS.name);
        }
        if schema::has_partitions(self.version) {
            names.extend([PARTITIONS.name, STAGING.name]);
        }
        names
    }

    /// Queues the removal of `region`'s snapshot in `tx`, a transaction
    /// over [`IdbStore::catalogue_stores`].
    fn drop_snapshot(&self, tx: &Transaction<'_>, region: &str) -> Result<(), StoreError> {
        if schema::has_snapshots(self.version) {
            tx.object_store(SNAPSHOTS.name)
                .map_err(backend)?
                .delete(region.to_owned())
                .primitive()
                .map_err(backend)?;
        }
        Ok(())
    }

    /// The staged files that `keep` does not name and that hold no stored
    /// region's records (from version 6, the hashes in the `partitions`
    /// keys), read in `tx`, a transaction over staging and partitions.
    async fn unwanted_files(
        &self,
        tx: &Transaction<'_>,
        keep: &BTreeSet<String>,
    ) -> Result<Vec<String>, StoreError> {
        let held = if schema::has_partitions(self.version) {
            all_keys(&tx.object_store(PARTITIONS.name).map_err(backend)?).await?
        } else {
            Vec::new()
        };
        let staged = all_keys(&tx.object_store(STAGING.name).map_err(backend)?).await?;
        Ok(staged
            .into_iter()
            .filter(|k| !keep.contains(k) && !held.iter().any(|h| file_of_key(h) == Some(k)))
            .collect())
    }

    /// A read-write transaction on one store; it rolls back unless committed.
    fn writer(&self, name: &str) -> Result<Transaction<'_>, StoreError> {
        self.db
            .transaction(name)
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(backend)
    }

    async fn get(&self, name: &str, key: &str) -> Result<Option<String>, StoreError> {
        let tx = self.db.transaction(name).build().map_err(backend)?;
        let store = tx.object_store(name).map_err(backend)?;
        let value: Option<String> = store.get(key.to_owned()).await.map_err(backend)?;
        Ok(value)
    }

    /// A staged file's stored value, as it is (see [`file_value`]). A blob
    /// stays readable after its transaction, which ends here: only
    /// IndexedDB requests may be awaited inside one.
    async fn staged_value(&self, sha256: &str) -> Result<Option<JsValue>, StoreError> {
        let tx = self.db.transaction(STAGING.name).build().map_err(backend)?;
        let store = tx.object_store(STAGING.name).map_err(backend)?;
        let value: Option<JsValue> = store.get(sha256.to_owned()).await.map_err(backend)?;
        Ok(value)
    }

    async fn put(&self, name: &str, key: &str, value: &str) -> Result<(), StoreError> {
        let tx = self.writer(name)?;
        let store = tx.object_store(name).map_err(backend)?;
        store
            .put(value.to_owned())
            .with_key(key.to_owned())
            .await
            .map_err(backend)?;
        tx.commit().await.map_err(backend)
    }

    /// Every key and value of a store within `range`, in key order, handed
    /// to `each` a pair at a time. Both lists come from one transaction and
    /// stay in JavaScript until each item is taken, so a large store is never
    /// copied whole into the wasm's memory.
    async fn each_value(
        &self,
        name: &str,
        range: KeyRange<String>,
        each: &mut dyn FnMut(String, String),
    ) -> Result<(), StoreError> {
        let tx = self.db.transaction(name).build().map_err(backend)?;
        let store = tx.object_store(name).map_err(backend)?;
        let keys = store
            .get_all_keys::<String>()
            .with_query::<String, _>(range.clone())
            .await
            .map_err(backend)?;
        let values = store
            .get_all::<String>()
            .with_query::<String, _>(range)
            .await
            .map_err(backend)?;
        for (key, value) in keys.zip(values) {
            each(key.map_err(backend)?, value.map_err(backend)?);
        }
        Ok(())
    }

    /// Every key and value of a store (all keys are strings, and every
    /// string is at least the empty one).
    async fn values(&self, name: &str) -> Result<Vec<(String, String)>, StoreError> {
        let mut all = Vec::new();
        self.each_value(
            name,
            KeyRange::LowerBound(String::new(), false),
            &mut |k, v| {
                all.push((k, v));
            },
        )
        .await?;
        Ok(all)
    }
}

impl Store for IdbStore {
    fn schema_version(&self) -> u32 {
        self.version
    }

    async fn get_setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        let tx = self
            .db
            .transaction(SETTINGS.name)
            .build()
            .map_err(backend)?;
        let store = tx.object_store(SETTINGS.name).map_err(backend)?;
        let value: Option<String> = store.get(key.to_owned()).await.map_err(backend)?;
        Ok(value)
    }

    async fn put_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let tx = self.writer(SETTINGS.name)?;
        let store = tx.object_store(SETTINGS.name).map_err(backend)?;
        store
            .put(value.to_owned())
            .with_key(key.to_owned())
            .await
            .map_err(backend)?;
        tx.commit().await.map_err(backend)
    }

    async fn delete_setting(&self, key: &str) -> Result<(), StoreError> {
        let tx = self.writer(SETTINGS.name)?;
        let store = tx.object_store(SETTINGS.name).map_err(backend)?;
        store.delete(key.to_owned()).await.map_err(backend)?;
        tx.commit().await.map_err(backend)
    }

    async fn regions(&self) -> Result<Vec<StoredRegion>, StoreError> {
        self.values(REGIONS.name)
            .await?
            .iter()
            .map(|(_, v)| region_from_json(v))
            .collect()
    }

    async fn apply_region_interrupted(
        &self,
        change: &RegionChange,
        interrupt_after: Option<usize>,
    ) -> Result<(), StoreError> {
        let region = change.state.id.as_str();
        let tx = self
            .db
            .transaction(self.catalogue_stores())
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(backend)?;
        let records = tx.object_store(RECORDS.name).map_err(backend)?;
        // Requests are queued without awaiting each one, as a plain
        // JavaScript loop would: the transaction runs them in order, and any
        // failure aborts the whole transaction at commit.
        let with_files = schema::has_partitions(self.version);
        let files = if with_files {
            Some(tx.object_store(PARTITIONS.name).map_err(backend)?)
        } else {
            None
        };
        for (kind, partition) in &change.clear {
            let (start, end) = partition_range(region, *kind, partition);
            records
                .delete::<String, _>(KeyRange::Bound(start, false, end, true))
                .primitive()
                .map_err(backend)?;
            if let Some(files) = &files {
                let (start, end) = file_range(region, *kind, partition);
                files
                    .delete::<String, _>(KeyRange::Bound(start, false, end, true))
                    .primitive()
                    .map_err(backend)?;
            }
        }
        for d in &change.deletes {
            records
                .delete(record_key(region, d.kind, &d.partition, &d.id))
                .primitive()
                .map_err(backend)?;
        }
        for (written, record) in change.records.iter().enumerate() {
            if interrupt_after == Some(written) {
                // Dropping the uncommitted transaction rolls it back.
                return Err(interrupted());
            }
            let (kind, partition) = &record.partition;
            records
                .put(record.json.clone())
                .with_key(record_key(region, *kind, partition, &record.id))
                .primitive()
                .map_err(backend)?;
        }
        if !change.files.is_empty() {
            let Some(files) = &files else {
                return Err(StoreError::Backend(
                    "this database version keeps no feed files".into(),
                ));
            };
            let staging = tx.object_store(STAGING.name).map_err(backend)?;
            // Each file's staged copy is asked for with its write, all at
            // once, and the answers are read after: awaiting each before
            // the next took 15 ms of the demo region's 31 files.
            let mut checks = Vec::with_capacity(change.files.len());
            for (written, file) in change.files.iter().enumerate() {
                if interrupt_after == Some(change.records.len() + written) {
                    return Err(interrupted());
                }
                checks.push((
                    staging
                        .get_key::<String, _>(file.file.clone())
                        .primitive()
                        .map_err(backend)?,
                    file,
                ));
                let (kind, partition) = &file.partition;
                files
                    .put(stored_file_to_json(file))
                    .with_key(file_key(region, *kind, partition, &file.file))
                    .primitive()
                    .map_err(backend)?;
            }
            // A file another tab's sync dropped after this one staged it
            // fails the change, which rolls back with what was written.
            for (check, file) in checks {
                if check.await.map_err(backend)?.is_none() {
                    return Err(missing_file(&file.file));
                }
            }
        }
        // The old snapshot is of the old records.
        self.drop_snapshot(&tx, region)?;
        let regions = tx.object_store(REGIONS.name).map_err(backend)?;
        regions
            .put(region_to_json(&change.state))
            .with_key(region.to_owned())
            .primitive()
            .map_err(backend)?;
        tx.commit().await.map_err(backend)
    }

    async fn remove_region(&self, region: &str) -> Result<(), StoreError> {
        let tx = self
            .db
            .transaction(self.catalogue_stores())
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(backend)?;
        self.drop_snapshot(&tx, region)?;
        let (start, end) = region_range(region);
        let records = tx.object_store(RECORDS.name).map_err(backend)?;
        records
            .delete::<String, _>(KeyRange::Bound(start.clone(), false, end.clone(), true))
            .primitive()
            .map_err(backend)?;
        if schema::has_partitions(self.version) {
            tx.object_store(PARTITIONS.name)
                .map_err(backend)?
                .delete::<String, _>(KeyRange::Bound(start, false, end, true))
                .primitive()
                .map_err(backend)?;
        }
        let regions = tx.object_store(REGIONS.name).map_err(backend)?;
        regions
            .delete(region.to_owned())
            .primitive()
            .map_err(backend)?;
        tx.commit().await.map_err(backend)
    }

    async fn each_record(
        &self,
        region: &str,
        each: &mut dyn FnMut(LoadedRecord),
    ) -> Result<(), StoreError> {
        let (start, end) = region_range(region);
        self.each_value(
            RECORDS.name,
            KeyRange::Bound(start.clone(), false, end.clone(), true),
            &mut |key, value| {
                if let Some(record) = parse_record(&key, value) {
                    each(record);
                }
            },
        )
        .await?;
        if !schema::has_partitions(self.version) {
            return Ok(());
        }
        let mut files = Vec::new();
        self.each_value(
            PARTITIONS.name,
            KeyRange::Bound(start, false, end, true),
            &mut |key, value| files.push((key, value)),
        )
        .await?;
        // One file at a time, each read and dropped before the next.
        for (key, value) in files {
            let (file, spans) = stored_file_from_json(&value)?;
            let text = self
                .staged_file(&file)
                .await?
                .ok_or_else(|| missing_file(&file))?;
            each_in_file(&key, &text, spans, &mut *each)?;
        }
        Ok(())
    }

    async fn record(
        &self,
        region: &str,
        kind: Kind,
        partition: &str,
        id: &str,
    ) -> Result<Option<String>, StoreError> {
        if !schema::has_partitions(self.version) {
            return self
                .get(RECORDS.name, &record_key(region, kind, partition, id))
                .await;
        }
        let (file_kind, _) = file_partition(&(kind, partition.to_owned()));
        let (start, end) = file_range(region, file_kind, partition);
        // One read transaction over the three stores, since a card's page
        // waits for this: the record's own entry, else its file's index,
        // then the file. A blob stays readable after the transaction, which
        // ends before the slice is read: only IndexedDB requests may be
        // awaited inside one.
        let tx = self
            .db
            .transaction([RECORDS.name, PARTITIONS.name, STAGING.name])
            .build()
            .map_err(backend)?;
        let own: Option<String> = tx
            .object_store(RECORDS.name)
            .map_err(backend)?
            .get(record_key(region, kind, partition, id))
            .await
            .map_err(backend)?;
        if own.is_some() {
            return Ok(own);
        }
        let index: Option<String> = tx
            .object_store(PARTITIONS.name)
            .map_err(backend)?
            .get::<String, String, _>(KeyRange::Bound(start, false, end, true))
            .await
            .map_err(backend)?;
        let Some(index) = index else {
            return Ok(None);
        };
        let (file, spans) = stored_file_from_json(&index)?;
        let Some(span) = spans.iter().find(|s| s.kind == kind && s.id == id) else {
            return Ok(None);
        };
        let value: Option<JsValue> = tx
            .object_store(STAGING.name)
            .map_err(backend)?
            .get(file.clone())
            .await
            .map_err(backend)?;
        drop(tx);
        let value = value.ok_or_else(|| missing_file(&file))?;
        file_span(value, span).await.map(Some)
    }

    async fn snapshot(&self, region: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let tx = self
            .db
            .transaction(SNAPSHOTS.name)
            .build()
            .map_err(backend)?;
        let store = tx.object_store(SNAPSHOTS.name).map_err(backend)?;
        let value: Option<JsValue> = store.get(region.to_owned()).await.map_err(backend)?;
        // A blob stays readable after its transaction, which ends here:
        // only IndexedDB requests may be awaited inside one.
        drop(store);
        drop(tx);
        match value {
            Some(value) => snapshot_bytes(value).await,
            None => Ok(None),
        }
    }

    async fn put_snapshot(
        &self,
        region: &str,
        version: &str,
        bytes: &[u8],
    ) -> Result<bool, StoreError> {
        let tx = self
            .db
            .transaction([REGIONS.name, SNAPSHOTS.name])
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(backend)?;
        let regions = tx.object_store(REGIONS.name).map_err(backend)?;
        let state: Option<String> = regions.get(region.to_owned()).await.map_err(backend)?;
        let current = state.map(|t| region_from_json(&t)).transpose()?;
        if current.is_none_or(|r| r.version != version) {
            return Ok(false);
        }
        tx.object_store(SNAPSHOTS.name)
            .map_err(backend)?
            .put(snapshot_value(bytes)?)
            .with_key(region.to_owned())
            .primitive()
            .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        Ok(true)
    }

    async fn stage_file(&self, sha256: &str, text: &str) -> Result<(), StoreError> {
        self.stage_files(&[(sha256.to_owned(), text.to_owned())])
            .await
    }

    async fn stage_files(&self, files: &[(String, String)]) -> Result<(), StoreError> {
        let tx = self.writer(STAGING.name)?;
        let store = tx.object_store(STAGING.name).map_err(backend)?;
        for (sha256, text) in files {
            store
                .put(file_value(text)?)
                .with_key(sha256.as_str())
                .primitive()
                .map_err(backend)?;
        }
        tx.commit().await.map_err(backend)
    }

    async fn staged_file(&self, sha256: &str) -> Result<Option<String>, StoreError> {
        match self.staged_value(sha256).await? {
            Some(value) => file_text(value).await.map(Some),
            None => Ok(None),
        }
    }

    async fn staged_hashes(&self) -> Result<BTreeSet<String>, StoreError> {
        let tx = self.db.transaction(STAGING.name).build().map_err(backend)?;
        let store = tx.object_store(STAGING.name).map_err(backend)?;
        Ok(all_keys(&store).await?.into_iter().collect())
    }

    async fn retain_staged(&self, keep: &BTreeSet<String>) -> Result<(), StoreError> {
        let mut names = vec![STAGING.name];
        if schema::has_partitions(self.version) {
            names.push(PARTITIONS.name);
        }
        // Which files would go is read first without a write lock: a sync
        // ends with this, usually with nothing to drop, and a lock on the
        // staged files would hold up a card's page reading its record.
        {
            let tx = self
                .db
                .transaction(names.clone())
                .build()
                .map_err(backend)?;
            if self.unwanted_files(&tx, keep).await?.is_empty() {
                return Ok(());
            }
        }
        let tx = self
            .db
            .transaction(names)
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(backend)?;
        // Read again in the transaction of the deletions, so no change can
        // refer to a file between the two.
        let unwanted = self.unwanted_files(&tx, keep).await?;
        let store = tx.object_store(STAGING.name).map_err(backend)?;
        for key in unwanted {
            store.delete(key).await.map_err(backend)?;
        }
        tx.commit().await.map_err(backend)
    }

    async fn get_meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.get(SYNC_META.name, key).await
    }

    async fn put_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.put(SYNC_META.name, key, value).await
    }

    async fn hour_records(&self) -> Result<Vec<Record>, StoreError> {
        self.values(HOURS.name)
            .await?
            .iter()
            .map(|(k, v)| record_from_json(k, v))
            .collect()
    }

    async fn update_hour_record(
        &self,
        id: &str,
        change: impl FnOnce(Option<Record>) -> Change,
    ) -> Result<Option<Record>, StoreError> {
        let tx = self.writer(HOURS.name)?;
        let store = tx.object_store(HOURS.name).map_err(backend)?;
        let text: Option<String> = store.get(id.to_owned()).await.map_err(backend)?;
        let current = text.map(|t| record_from_json(id, &t)).transpose()?;
        // `change` is plain code, so the transaction stays alive between the
        // read and the write: nothing else can slip in between.
        let after = match change(current.clone()) {
            Change::Keep => return Ok(current),
            Change::Put(record) => {
                store
                    .put(record_to_json(&record))
                    .with_key(id.to_owned())
                    .await
                    .map_err(backend)?;
                Some(*record)
            }
            Change::PutWith(record, others) => {
                for other in &others {
                    store
                        .put(record_to_json(other))
                        .with_key(other.entry.id.clone())
                        .primitive()
                        .map_err(backend)?;
                }
                store
                    .put(record_to_json(&record))
                    .with_key(id.to_owned())
                    .await
                    .map_err(backend)?;
                Some(*record)
            }
            Change::Delete => {
                store.delete(id.to_owned()).await.map_err(backend)?;
                None
            }
        };
        tx.commit().await.map_err(backend)?;
        Ok(after)
    }

    async fn put_hour_records(&self, records: &[Record]) -> Result<(), StoreError> {
        let tx = self.writer(HOURS.name)?;
        let store = tx.object_store(HOURS.name).map_err(backend)?;
        for record in records {
            store
                .put(record_to_json(record))
                .with_key(record.entry.id.clone())
                .primitive()
                .map_err(backend)?;
        }
        tx.commit().await.map_err(backend)
    }

    async fn memberships(&self) -> Result<Vec<Membership>, StoreError> {
        self.values(MEMBERSHIPS.name)
            .await?
            .iter()
            .map(|(k, v)| membership_from_json(k, v))
            .collect()
    }

    async fn sends_hours(&self) -> Result<bool, StoreError> {
        any_membership_sends(self.values(MEMBERSHIPS.name).await?)
    }

    async fn put_membership(&self, membership: &Membership) -> Result<(), StoreError> {
        self.put(
            MEMBERSHIPS.name,
            &membership.organisation_id,
            &membership_to_json(membership),
        )
        .await
    }

    async fn delete_membership(&self, organisation_id: &str) -> Result<(), StoreError> {
        let tx = self.writer(MEMBERSHIPS.name)?;
        let store = tx.object_store(MEMBERSHIPS.name).map_err(backend)?;
        store
            .delete(organisation_id.to_owned())
            .await
            .map_err(backend)?;
        tx.commit().await.map_err(backend)
    }

    async fn join_inbox(
        &self,
        membership: &Membership,
        mut queue: impl FnMut(&Record) -> Option<Record>,
    ) -> Result<Vec<Record>, StoreError> {
        let tx = self
            .db
            .transaction([MEMBERSHIPS.name, HOURS.name])
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(backend)?;
        let hours = tx.object_store(HOURS.name).map_err(backend)?;
        let keys = hours.get_all_keys::<String>().await.map_err(backend)?;
        let values = hours.get_all::<String>().await.map_err(backend)?;
        let mut changed = Vec::new();
        // Deciding is plain code between IndexedDB requests, so the
        // transaction stays alive from the read to the writes.
        for (key, value) in keys.zip(values) {
            let key = key.map_err(backend)?;
            let record = record_from_json(&key, &value.map_err(backend)?)?;
            if let Some(next) = queue(&record) {
                hours
                    .put(record_to_json(&next))
                    .with_key(key)
                    .primitive()
                    .map_err(backend)?;
                changed.push(next);
            }
        }
        tx.object_store(MEMBERSHIPS.name)
            .map_err(backend)?
            .put(membership_to_json(membership))
            .with_key(membership.organisation_id.clone())
            .primitive()
            .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        Ok(changed)
    }

    async fn settings(&self) -> Result<Vec<(String, String)>, StoreError> {
        let tx = self
            .db
            .transaction(SETTINGS.name)
            .build()
            .map_err(backend)?;
        let store = tx.object_store(SETTINGS.name).map_err(backend)?;
        let keys = all_keys(&store).await?;
        let values: Vec<String> = store
            .get_all::<String>()
            .await
            .map_err(backend)?
            .collect::<Result<_, _>>()
            .map_err(backend)?;
        // Both lists come in key order from the same snapshot.
        Ok(keys.into_iter().zip(values).collect())
    }

    async fn badges(&self) -> Result<Vec<WalletBadge>, StoreError> {
        self.values(BADGES.name)
            .await?
            .iter()
            .map(|(k, v)| badge_from_json(k, v))
            .collect()
    }

    async fn badge(&self, id: &str) -> Result<Option<WalletBadge>, StoreError> {
        self.get(BADGES.name, id)
            .await?
            .map(|text| badge_from_json(id, &text))
            .transpose()
    }

    async fn add_badges(&self, badges: &[WalletBadge]) -> Result<BadgeMerge, StoreError> {
        let tx = self.writer(BADGES.name)?;
        let store = tx.object_store(BADGES.name).map_err(backend)?;
        // Only IndexedDB requests are awaited between the reads and the
        // writes, so the transaction stays alive and no other tab's add can
        // slip in between: one entry per id, decided on what is stored.
        let mut stored = Vec::new();
        for badge in badges {
            let text: Option<String> = store.get(badge.id.clone()).await.map_err(backend)?;
            if let Some(text) = text {
                stored.push(badge_from_json(&badge.id, &text)?);
            }
        }
        let merge = merge_badges(&stored, badges);
        for badge in &merge.write {
            store
                .put(badge_to_json(badge))
                .with_key(badge.id.clone())
                .primitive()
                .map_err(backend)?;
        }
        tx.commit().await.map_err(backend)?;
        Ok(merge)
    }

    async fn delete_badge(&self, id: &str) -> Result<(), StoreError> {
        let tx = self.writer(BADGES.name)?;
        let store = tx.object_store(BADGES.name).map_err(backend)?;
        store.delete(id.to_owned()).await.map_err(backend)?;
        tx.commit().await.map_err(backend)
    }

    async fn put_status_list(&self, list: &CachedStatusList) -> Result<(), StoreError> {
        self.put(BADGE_STATUS.name, &list.url, &status_to_json(list))
            .await
    }

    async fn status_list(&self, url: &str) -> Result<Option<CachedStatusList>, StoreError> {
        self.get(BADGE_STATUS.name, url)
            .await?
            .map(|text| status_from_json(url, &text))
            .transpose()
    }

    async fn status_lists(&self) -> Result<Vec<CachedStatusList>, StoreError> {
        self.values(BADGE_STATUS.name)
            .await?
            .iter()
            .map(|(k, v)| status_from_json(k, v))
            .collect()
    }
}
