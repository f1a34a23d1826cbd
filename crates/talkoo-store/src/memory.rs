//! The in-memory store: the same schema and upgrade loop as IndexedDB, for fast native tests.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

use talkoo_core::feed::Kind;
use talkoo_core::sync::{file_partition, RegionChange, StoredRegion};

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
    SETTINGS, SNAPSHOTS, STAGING, SYNC_META,
};
use crate::wallet::{badge_from_json, badge_to_json, status_from_json, status_to_json};
use crate::{interrupted, Store, StoreError};
use talkoo_core::hours::outbox::{Membership, Record};
use talkoo_core::wallet::{merge_badges, BadgeMerge, CachedStatusList, WalletBadge};

/// Stands for the browser's storage of one origin: databases by name. Cloning
/// shares it, so a test can "close" a store and open the same database again.
#[derive(Debug, Clone, Default)]
pub struct MemoryDisk {
    databases: Rc<RefCell<HashMap<String, MemoryDatabase>>>,
}

#[derive(Debug, Default)]
struct MemoryDatabase {
    version: u32,
    stores: BTreeMap<&'static str, BTreeMap<String, String>>,
}

/// One open in-memory database.
#[derive(Debug, Clone)]
pub struct MemoryStore {
    disk: MemoryDisk,
    name: String,
}

impl MemoryDisk {
    /// An empty origin.
    pub fn new() -> Self {
        Self::default()
    }

    /// Opens `name` at `version`, running the upgrade loop like IndexedDB's
    /// `upgradeneeded` would; a newer database than `version` is refused.
    pub fn open(&self, name: &str, version: u32) -> Result<MemoryStore, StoreError> {
        self.open_with(name, version, schema::MIGRATIONS)
    }

    /// [`MemoryDisk::open`] with another list of migrations (tests of a
    /// future schema change).
    pub fn open_with(
        &self,
        name: &str,
        version: u32,
        migrations: &[Migration],
    ) -> Result<MemoryStore, StoreError> {
        let mut databases = self.databases.borrow_mut();
        let database = databases.entry(name.to_owned()).or_default();
        if database.version > version {
            return Err(StoreError::TooNew { supported: version });
        }
        for migration in schema::steps_in(migrations, database.version, version) {
            for gone in migration.delete {
                database.stores.remove(gone);
            }
            for store in migration.create {
                database.stores.entry(store.name).or_default();
            }
        }
        database.version = version;
        Ok(MemoryStore {
            disk: self.clone(),
            name: name.to_owned(),
        })
    }

    /// The object stores of a database, for migration tests.
    pub fn store_names(&self, name: &str) -> Vec<&'static str> {
        self.databases
            .borrow()
            .get(name)
            .map(|db| db.stores.keys().copied().collect())
            .unwrap_or_default()
    }
}

impl MemoryStore {
    fn with_store<T>(
        &self,
        name: &str,
        f: impl FnOnce(&mut BTreeMap<String, String>) -> T,
    ) -> Result<T, StoreError> {
        let mut databases = self.disk.databases.borrow_mut();
        let store = databases
            .get_mut(&self.name)
            .and_then(|db| db.stores.get_mut(name))
            .ok_or_else(|| StoreError::Backend(format!("no object store `{name}`")))?;
        Ok(f(store))
    }

    /// Removes `region`'s snapshot, where the database has the store.
    fn drop_snapshot(&self, region: &str) -> Result<(), StoreError> {
        if schema::has_snapshots(self.schema_version()) {
            self.with_store(SNAPSHOTS.name, |s| {
                s.remove(region);
            })?;
        }
        Ok(())
    }

    fn get(&self, store: &str, key: &str) -> Result<Option<String>, StoreError> {
        self.with_store(store, |s| s.get(key).cloned())
    }

    fn put(&self, store: &str, key: &str, value: &str) -> Result<(), StoreError> {
        self.with_store(store, |s| {
            s.insert(key.to_owned(), value.to_owned());
        })
    }
}

/// Bytes kept in a string store, one character per byte (the memory
/// store keeps every value as text, as most of IndexedDB's are).
fn bytes_to_text(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

fn text_to_bytes(text: &str) -> Vec<u8> {
    text.chars().map(|c| c as u8).collect()
}

fn remove_range(map: &mut BTreeMap<String, String>, (start, end): (String, String)) {
    let keys: Vec<String> = map.range(start..end).map(|(k, _)| k.clone()).collect();
    for key in keys {
        map.remove(&key);
    }
}

impl Store for MemoryStore {
    fn schema_version(&self) -> u32 {
        self.disk
            .databases
            .borrow()
            .get(&self.name)
            .map_or(0, |db| db.version)
    }

    async fn get_setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.get(SETTINGS.name, key)
    }

    async fn put_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.put(SETTINGS.name, key, value)
    }

    async fn delete_setting(&self, key: &str) -> Result<(), StoreError> {
        self.with_store(SETTINGS.name, |s| {
            s.remove(key);
        })
    }

    async fn settings(&self) -> Result<Vec<(String, String)>, StoreError> {
        self.with_store(SETTINGS.name, |s| {
            s.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
        })
    }

    async fn regions(&self) -> Result<Vec<StoredRegion>, StoreError> {
        let texts: Vec<String> =
            self.with_store(REGIONS.name, |s| s.values().cloned().collect())?;
        texts.iter().map(|t| region_from_json(t)).collect()
    }

    async fn apply_region_interrupted(
        &self,
        change: &RegionChange,
        interrupt_after: Option<usize>,
    ) -> Result<(), StoreError> {
        let region = change.state.id.as_str();
        let with_files = schema::has_partitions(self.schema_version());
        // Work on copies and swap them in only at the end: the in-memory
        // equivalent of a transaction that commits or rolls back whole.
        let mut records = self.with_store(RECORDS.name, |s| s.clone())?;
        let mut files = if with_files {
            self.with_store(PARTITIONS.name, |s| s.clone())?
        } else {
            BTreeMap::new()
        };
        for (kind, partition) in &change.clear {
            remove_range(&mut records, partition_range(region, *kind, partition));
            remove_range(&mut files, file_range(region, *kind, partition));
        }
        for d in &change.deletes {
            records.remove(&record_key(region, d.kind, &d.partition, &d.id));
        }
        for (written, record) in change.records.iter().enumerate() {
            if interrupt_after == Some(written) {
                return Err(interrupted());
            }
            let (kind, partition) = &record.partition;
            records.insert(
                record_key(region, *kind, partition, &record.id),
                record.json.clone(),
            );
        }
        for (written, file) in change.files.iter().enumerate() {
            if interrupt_after == Some(change.records.len() + written) {
                return Err(interrupted());
            }
            if !with_files {
                return Err(StoreError::Backend(
                    "this database version keeps no feed files".into(),
                ));
            }
            if self.get(STAGING.name, &file.file)?.is_none() {
                return Err(missing_file(&file.file));
            }
            let (kind, partition) = &file.partition;
            files.insert(
                file_key(region, *kind, partition, &file.file),
                stored_file_to_json(file),
            );
        }
        self.with_store(RECORDS.name, |s| *s = records)?;
        if with_files {
            self.with_store(PARTITIONS.name, |s| *s = files)?;
        }
        self.drop_snapshot(region)?;
        self.put(REGIONS.name, region, &region_to_json(&change.state))
    }

    async fn remove_region(&self, region: &str) -> Result<(), StoreError> {
        self.with_store(RECORDS.name, |s| remove_range(s, region_range(region)))?;
        if schema::has_partitions(self.schema_version()) {
            self.with_store(PARTITIONS.name, |s| remove_range(s, region_range(region)))?;
        }
        self.drop_snapshot(region)?;
        self.with_store(REGIONS.name, |s| {
            s.remove(region);
        })
    }

    async fn each_record(
        &self,
        region: &str,
        each: &mut dyn FnMut(LoadedRecord),
    ) -> Result<(), StoreError> {
        let (start, end) = region_range(region);
        self.with_store(RECORDS.name, |s| {
            s.range(start.clone()..end.clone())
                .filter_map(|(k, v)| parse_record(k, v.clone()))
                .for_each(&mut *each);
        })?;
        if !schema::has_partitions(self.schema_version()) {
            return Ok(());
        }
        let files: Vec<(String, String)> = self.with_store(PARTITIONS.name, |s| {
            s.range(start..end)
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })?;
        for (key, value) in files {
            let (file, spans) = stored_file_from_json(&value)?;
            let text = self
                .get(STAGING.name, &file)?
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
        let own = self.get(RECORDS.name, &record_key(region, kind, partition, id))?;
        if own.is_some() || !schema::has_partitions(self.schema_version()) {
            return Ok(own);
        }
        let (file_kind, _) = file_partition(&(kind, partition.to_owned()));
        let (start, end) = file_range(region, file_kind, partition);
        let value = self.with_store(PARTITIONS.name, |s| {
            s.range(start..end).next().map(|(_, v)| v.clone())
        })?;
        let Some(value) = value else {
            return Ok(None);
        };
        let (file, spans) = stored_file_from_json(&value)?;
        let Some(span) = spans.iter().find(|s| s.kind == kind && s.id == id) else {
            return Ok(None);
        };
        let text = self
            .get(STAGING.name, &file)?
            .ok_or_else(|| missing_file(&file))?;
        span_text(&text, span).map(Some)
    }

    async fn snapshot(&self, region: &str) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.get(SNAPSHOTS.name, region)?.map(|t| text_to_bytes(&t)))
    }

    async fn put_snapshot(
        &self,
        region: &str,
        version: &str,
        bytes: &[u8],
    ) -> Result<bool, StoreError> {
        let current = self
            .get(REGIONS.name, region)?
            .map(|t| region_from_json(&t))
            .transpose()?;
        if current.is_none_or(|r| r.version != version) {
            return Ok(false);
        }
        self.put(SNAPSHOTS.name, region, &bytes_to_text(bytes))?;
        Ok(true)
    }

    async fn stage_file(&self, sha256: &str, text: &str) -> Result<(), StoreError> {
        self.put(STAGING.name, sha256, text)
    }

    async fn staged_file(&self, sha256: &str) -> Result<Option<String>, StoreError> {
        self.get(STAGING.name, sha256)
    }

    async fn staged_hashes(&self) -> Result<BTreeSet<String>, StoreError> {
        self.with_store(STAGING.name, |s| s.keys().cloned().collect())
    }

    async fn retain_staged(&self, keep: &BTreeSet<String>) -> Result<(), StoreError> {
        let mut keep = keep.clone();
        if schema::has_partitions(self.schema_version()) {
            let held: Vec<String> = self.with_store(PARTITIONS.name, |s| {
                s.keys()
                    .filter_map(|k| file_of_key(k).map(str::to_owned))
                    .collect()
            })?;
            keep.extend(held);
        }
        self.with_store(STAGING.name, |s| s.retain(|k, _| keep.contains(k)))
    }

    async fn get_meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.get(SYNC_META.name, key)
    }

    async fn put_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.put(SYNC_META.name, key, value)
    }

    async fn hour_records(&self) -> Result<Vec<Record>, StoreError> {
        let rows: Vec<(String, String)> = self.with_store(HOURS.name, |s| {
            s.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
        })?;
        rows.iter().map(|(k, v)| record_from_json(k, v)).collect()
    }

    async fn update_hour_record(
        &self,
        id: &str,
        change: impl FnOnce(Option<Record>) -> Change,
    ) -> Result<Option<Record>, StoreError> {
        let current = match self.get(HOURS.name, id)? {
            Some(text) => Some(record_from_json(id, &text)?),
            None => None,
        };
        match change(current.clone()) {
            Change::Keep => Ok(current),
            Change::Put(record) => {
                self.put(HOURS.name, id, &record_to_json(&record))?;
                Ok(Some(*record))
            }
            Change::PutWith(record, others) => {
                self.with_store(HOURS.name, |s| {
                    s.insert(id.to_owned(), record_to_json(&record));
                    for other in &others {
                        s.insert(other.entry.id.clone(), record_to_json(other));
                    }
                })?;
                Ok(Some(*record))
            }
            Change::Delete => {
                self.with_store(HOURS.name, |s| s.remove(id))?;
                Ok(None)
            }
        }
    }

    async fn put_hour_records(&self, records: &[Record]) -> Result<(), StoreError> {
        self.with_store(HOURS.name, |s| {
            for record in records {
                s.insert(record.entry.id.clone(), record_to_json(record));
            }
        })
    }

    async fn memberships(&self) -> Result<Vec<Membership>, StoreError> {
        let rows: Vec<(String, String)> = self.with_store(MEMBERSHIPS.name, |s| {
            s.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
        })?;
        rows.iter()
            .map(|(k, v)| membership_from_json(k, v))
            .collect()
    }

    async fn sends_hours(&self) -> Result<bool, StoreError> {
        self.with_store(MEMBERSHIPS.name, |s| any_membership_sends(s.iter()))?
    }

    async fn put_membership(&self, membership: &Membership) -> Result<(), StoreError> {
        self.put(
            MEMBERSHIPS.name,
            &membership.organisation_id,
            &membership_to_json(membership),
        )
    }

    async fn delete_membership(&self, organisation_id: &str) -> Result<(), StoreError> {
        self.with_store(MEMBERSHIPS.name, |s| {
            s.remove(organisation_id);
        })
    }

    async fn join_inbox(
        &self,
        membership: &Membership,
        mut queue: impl FnMut(&Record) -> Option<Record>,
    ) -> Result<Vec<Record>, StoreError> {
        // Everything is decided before anything is written, so a stored
        // entry that does not parse fails the join without a partial write.
        let changed = self
            .hour_records()
            .await?
            .iter()
            .filter_map(&mut queue)
            .collect::<Vec<_>>();
        self.put(
            MEMBERSHIPS.name,
            &membership.organisation_id,
            &membership_to_json(membership),
        )?;
        self.put_hour_records(&changed).await?;
        Ok(changed)
    }

    async fn badges(&self) -> Result<Vec<WalletBadge>, StoreError> {
        let rows: Vec<(String, String)> = self.with_store(BADGES.name, |s| {
            s.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
        })?;
        rows.iter().map(|(k, v)| badge_from_json(k, v)).collect()
    }

    async fn badge(&self, id: &str) -> Result<Option<WalletBadge>, StoreError> {
        self.get(BADGES.name, id)?
            .map(|text| badge_from_json(id, &text))
            .transpose()
    }

    async fn add_badges(&self, badges: &[WalletBadge]) -> Result<BadgeMerge, StoreError> {
        // Read, decide and write under one borrow: nothing can come between.
        self.with_store(BADGES.name, |s| {
            let stored = badges
                .iter()
                .filter_map(|b| s.get(&b.id).map(|text| badge_from_json(&b.id, text)))
                .collect::<Result<Vec<_>, _>>()?;
            let merge = merge_badges(&stored, badges);
            for badge in &merge.write {
                s.insert(badge.id.clone(), badge_to_json(badge));
            }
            Ok(merge)
        })?
    }

    async fn delete_badge(&self, id: &str) -> Result<(), StoreError> {
        self.with_store(BADGES.name, |s| {
            s.remove(id);
        })
    }

    async fn put_status_list(&self, list: &CachedStatusList) -> Result<(), StoreError> {
        self.put(BADGE_STATUS.name, &list.url, &status_to_json(list))
    }

    async fn status_list(&self, url: &str) -> Result<Option<CachedStatusList>, StoreError> {
        self.get(BADGE_STATUS.name, url)?
            .map(|text| status_from_json(url, &text))
            .transpose()
    }

    async fn status_lists(&self) -> Result<Vec<CachedStatusList>, StoreError> {
        let rows: Vec<(String, String)> = self.with_store(BADGE_STATUS.name, |s| {
            s.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
        })?;
        rows.iter().map(|(k, v)| status_from_json(k, v)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suite::Harness;

    /// Each harness owns a fresh origin, so tests never see each other's data.
    #[derive(Debug, Default)]
    struct MemoryHarness {
        disk: MemoryDisk,
    }

    impl Harness for MemoryHarness {
        type S = MemoryStore;
        async fn open(&self, name: &str, version: u32) -> Result<MemoryStore, StoreError> {
            self.disk.open(name, version)
        }
        async fn open_with(
            &self,
            name: &str,
            version: u32,
            migrations: &[Migration],
        ) -> Result<MemoryStore, StoreError> {
            self.disk.open_with(name, version, migrations)
        }
    }

    macro_rules! memory_suite {
        ($($name:ident),* $(,)?) => {
            $(
                #[test]
                fn $name() {
                    pollster::block_on(crate::suite::$name(&MemoryHarness::default()));
                }
            )*
        };
    }

    crate::for_each_suite_test!(memory_suite);

    #[test]
    fn upgrade_creates_every_store_of_the_current_schema() {
        let disk = MemoryDisk::new();
        disk.open("db", crate::SCHEMA_VERSION).expect("open");
        let mut expected: Vec<_> = schema::stores_at(crate::SCHEMA_VERSION)
            .iter()
            .map(|s| s.name)
            .collect();
        expected.sort_unstable();
        assert_eq!(disk.store_names("db"), expected);
    }
}
