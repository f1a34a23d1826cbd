//! Runs the shared storage suite in headless Chromium against real IndexedDB, each test on a fresh database.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::collections::BTreeSet;

use talkoo_core::hours::outbox::{Membership, Record};
use talkoo_core::sync::{RegionChange, StoredRegion};
use talkoo_core::wallet::{BadgeMerge, CachedStatusList, WalletBadge};
use talkoo_store::idb::IdbStore;
use talkoo_store::schema::Migration;
use talkoo_store::suite::{self, Harness};
use talkoo_store::{Change, LoadedRecord, StoreError};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Gives every database a name unique to the test, deletes it first in case
/// an earlier run left it, and closes connections so upgrades are not blocked.
#[derive(Debug)]
struct IdbHarness {
    prefix: String,
    open: RefCell<Vec<String>>,
}

impl IdbHarness {
    fn new(test: &str) -> Self {
        Self {
            prefix: format!("test-{test}-{}", js_sys::Date::now()),
            open: RefCell::new(Vec::new()),
        }
    }
}

impl Harness for IdbHarness {
    type S = ClosingStore;
    async fn open(&self, name: &str, version: u32) -> Result<ClosingStore, StoreError> {
        self.open_with(name, version, talkoo_store::schema::MIGRATIONS)
            .await
    }
    async fn open_with(
        &self,
        name: &str,
        version: u32,
        migrations: &[Migration],
    ) -> Result<ClosingStore, StoreError> {
        let full = format!("{}-{name}", self.prefix);
        if !self.open.borrow().contains(&full) {
            IdbStore::delete(&full).await?;
            self.open.borrow_mut().push(full.clone());
        }
        IdbStore::open_with(&full, version, migrations)
            .await
            .map(|s| ClosingStore(Some(s)))
    }
}

/// Closes its connection when dropped, as a closed tab would, so the next
/// open at a higher version is not blocked.
#[derive(Debug)]
struct ClosingStore(Option<IdbStore>);

impl Drop for ClosingStore {
    fn drop(&mut self) {
        if let Some(store) = self.0.take() {
            store.close();
        }
    }
}

impl ClosingStore {
    fn inner(&self) -> &IdbStore {
        self.0.as_ref().expect("store is open until dropped")
    }
}

impl talkoo_store::Store for ClosingStore {
    fn schema_version(&self) -> u32 {
        self.inner().schema_version()
    }
    async fn get_setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.inner().get_setting(key).await
    }
    async fn put_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.inner().put_setting(key, value).await
    }
    async fn delete_setting(&self, key: &str) -> Result<(), StoreError> {
        self.inner().delete_setting(key).await
    }
    async fn settings(&self) -> Result<Vec<(String, String)>, StoreError> {
        self.inner().settings().await
    }
    async fn regions(&self) -> Result<Vec<StoredRegion>, StoreError> {
        self.inner().regions().await
    }
    async fn apply_region_interrupted(
        &self,
        change: &RegionChange,
        interrupt_after: Option<usize>,
    ) -> Result<(), StoreError> {
        self.inner()
            .apply_region_interrupted(change, interrupt_after)
            .await
    }
    async fn remove_region(&self, region: &str) -> Result<(), StoreError> {
        self.inner().remove_region(region).await
    }
    async fn each_record(
        &self,
        region: &str,
        each: &mut dyn FnMut(LoadedRecord),
    ) -> Result<(), StoreError> {
        self.inner().each_record(region, each).await
    }
    async fn record(
        &self,
        region: &str,
        kind: talkoo_core::feed::Kind,
        partition: &str,
        id: &str,
    ) -> Result<Option<String>, StoreError> {
        self.inner().record(region, kind, partition, id).await
    }
    async fn snapshot(&self, region: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.inner().snapshot(region).await
    }
    async fn put_snapshot(
        &self,
        region: &str,
        version: &str,
        bytes: &[u8],
    ) -> Result<bool, StoreError> {
        self.inner().put_snapshot(region, version, bytes).await
    }
    async fn stage_file(&self, sha256: &str, text: &str) -> Result<(), StoreError> {
        self.inner().stage_file(sha256, text).await
    }
    async fn staged_file(&self, sha256: &str) -> Result<Option<String>, StoreError> {
        self.inner().staged_file(sha256).await
    }
    async fn staged_hashes(&self) -> Result<BTreeSet<String>, StoreError> {
        self.inner().staged_hashes().await
    }
    async fn retain_staged(&self, keep: &BTreeSet<String>) -> Result<(), StoreError> {
        self.inner().retain_staged(keep).await
    }
    async fn get_meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.inner().get_meta(key).await
    }
    async fn put_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.inner().put_meta(key, value).await
    }
    async fn hour_records(&self) -> Result<Vec<Record>, StoreError> {
        self.inner().hour_records().await
    }
    async fn update_hour_record(
        &self,
        id: &str,
        change: impl FnOnce(Option<Record>) -> Change,
    ) -> Result<Option<Record>, StoreError> {
        self.inner().update_hour_record(id, change).await
    }
    async fn put_hour_records(&self, records: &[Record]) -> Result<(), StoreError> {
        self.inner().put_hour_records(records).await
    }
    async fn memberships(&self) -> Result<Vec<Membership>, StoreError> {
        self.inner().memberships().await
    }
    async fn put_membership(&self, membership: &Membership) -> Result<(), StoreError> {
        self.inner().put_membership(membership).await
    }
    async fn delete_membership(&self, organisation_id: &str) -> Result<(), StoreError> {
        self.inner().delete_membership(organisation_id).await
    }
    async fn join_inbox(
        &self,
        membership: &Membership,
        queue: impl FnMut(&Record) -> Option<Record>,
    ) -> Result<Vec<Record>, StoreError> {
        self.inner().join_inbox(membership, queue).await
    }
    async fn badges(&self) -> Result<Vec<WalletBadge>, StoreError> {
        self.inner().badges().await
    }
    async fn badge(&self, id: &str) -> Result<Option<WalletBadge>, StoreError> {
        self.inner().badge(id).await
    }
    async fn add_badges(&self, badges: &[WalletBadge]) -> Result<BadgeMerge, StoreError> {
        self.inner().add_badges(badges).await
    }
    async fn add_badge(&self, badge: &WalletBadge) -> Result<Option<WalletBadge>, StoreError> {
        self.inner().add_badge(badge).await
    }
    async fn delete_badge(&self, id: &str) -> Result<(), StoreError> {
        self.inner().delete_badge(id).await
    }
    async fn put_status_list(&self, list: &CachedStatusList) -> Result<(), StoreError> {
        self.inner().put_status_list(list).await
    }
    async fn status_list(&self, url: &str) -> Result<Option<CachedStatusList>, StoreError> {
        self.inner().status_list(url).await
    }
    async fn status_lists(&self) -> Result<Vec<CachedStatusList>, StoreError> {
        self.inner().status_lists().await
    }
}

macro_rules! idb_suite {
    ($($name:ident),* $(,)?) => {
        $(
            #[wasm_bindgen_test]
            async fn $name() {
                suite::$name(&IdbHarness::new(stringify!($name))).await;
            }
        )*
    };
}

talkoo_store::for_each_suite_test!(idb_suite);
