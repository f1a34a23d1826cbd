//! A store that fails the operations a test names, so tests can prove that a storage failure reaches the user instead of vanishing.
//!
//! It wraps any [`Store`] and forwards every call, except that an
//! operation named in [`FaultyStore::fail`] returns a backend error without
//! touching the wrapped store, and `stage_files` can be held, its files
//! staged but its answer kept back as a slow commit would keep it. Kept
//! beside the trait so that a new trait method cannot be forgotten here.

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::task::{Poll, Waker};

use talkoo_core::feed::Kind;
use talkoo_core::hours::outbox::{Membership, Record};
use talkoo_core::sync::{RegionChange, StoredRegion};
use talkoo_core::wallet::{BadgeMerge, CachedStatusList, WalletBadge};

use crate::{Change, LoadedRecord, Store, StoreError};

/// A [`Store`] whose named operations fail on demand.
#[derive(Debug)]
pub struct FaultyStore<S> {
    inner: S,
    failing: RefCell<BTreeSet<&'static str>>,
    calls: RefCell<Vec<&'static str>>,
    staging_held: Cell<bool>,
    held: RefCell<Vec<Waker>>,
}

impl<S: Store> FaultyStore<S> {
    /// Wraps `inner`; nothing fails until [`FaultyStore::fail`] says so.
    pub fn new(inner: S) -> Self {
        Self {
            inner,
            failing: RefCell::new(BTreeSet::new()),
            calls: RefCell::new(Vec::new()),
            staging_held: Cell::new(false),
            held: RefCell::new(Vec::new()),
        }
    }

    /// Makes `stage_files` answer only after
    /// [`FaultyStore::release_staging`], with the files staged at once, as a
    /// transaction slow to commit would: a test sees what goes on meanwhile.
    pub fn hold_staging(&self) {
        self.staging_held.set(true);
    }

    /// Lets the `stage_files` calls held answer.
    pub fn release_staging(&self) {
        self.staging_held.set(false);
        for waker in self.held.borrow_mut().drain(..) {
            waker.wake();
        }
    }

    /// Makes operation `op` (the trait method's name) fail from now on.
    pub fn fail(&self, op: &'static str) {
        self.failing.borrow_mut().insert(op);
    }

    /// Lets every operation succeed again.
    pub fn heal(&self) {
        self.failing.borrow_mut().clear();
    }

    /// The wrapped store, to check what it holds.
    pub fn inner(&self) -> &S {
        &self.inner
    }

    /// How many times operation `op` was called, failed or not.
    pub fn calls(&self, op: &str) -> usize {
        self.calls.borrow().iter().filter(|c| **c == op).count()
    }

    fn check(&self, op: &'static str) -> Result<(), StoreError> {
        self.calls.borrow_mut().push(op);
        if self.failing.borrow().contains(op) {
            Err(StoreError::Backend(format!("{op} failed on purpose")))
        } else {
            Ok(())
        }
    }
}

impl<S: Store> Store for FaultyStore<S> {
    fn schema_version(&self) -> u32 {
        self.inner.schema_version()
    }
    async fn get_setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.check("get_setting")?;
        self.inner.get_setting(key).await
    }
    async fn put_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.check("put_setting")?;
        self.inner.put_setting(key, value).await
    }
    async fn delete_setting(&self, key: &str) -> Result<(), StoreError> {
        self.check("delete_setting")?;
        self.inner.delete_setting(key).await
    }
    async fn settings(&self) -> Result<Vec<(String, String)>, StoreError> {
        self.check("settings")?;
        self.inner.settings().await
    }
    async fn regions(&self) -> Result<Vec<StoredRegion>, StoreError> {
        self.check("regions")?;
        self.inner.regions().await
    }
    async fn apply_region_interrupted(
        &self,
        change: &RegionChange,
        interrupt_after: Option<usize>,
    ) -> Result<(), StoreError> {
        self.check("apply_region")?;
        self.inner
            .apply_region_interrupted(change, interrupt_after)
            .await
    }
    async fn remove_region(&self, region: &str) -> Result<(), StoreError> {
        self.check("remove_region")?;
        self.inner.remove_region(region).await
    }
    async fn each_record(
        &self,
        region: &str,
        each: &mut dyn FnMut(LoadedRecord),
    ) -> Result<(), StoreError> {
        self.check("each_record")?;
        self.inner.each_record(region, each).await
    }
    async fn record(
        &self,
        region: &str,
        kind: Kind,
        partition: &str,
        id: &str,
    ) -> Result<Option<String>, StoreError> {
        self.check("record")?;
        self.inner.record(region, kind, partition, id).await
    }
    async fn snapshot(&self, region: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.check("snapshot")?;
        self.inner.snapshot(region).await
    }
    async fn put_snapshot(
        &self,
        region: &str,
        version: &str,
        bytes: &[u8],
    ) -> Result<bool, StoreError> {
        self.check("put_snapshot")?;
        self.inner.put_snapshot(region, version, bytes).await
    }
    async fn stage_file(&self, sha256: &str, text: &str) -> Result<(), StoreError> {
        self.check("stage_file")?;
        self.inner.stage_file(sha256, text).await
    }
    async fn stage_files(&self, files: &[(String, String)]) -> Result<(), StoreError> {
        self.check("stage_files")?;
        self.inner.stage_files(files).await?;
        std::future::poll_fn(|cx| {
            if self.staging_held.get() {
                self.held.borrow_mut().push(cx.waker().clone());
                Poll::Pending
            } else {
                Poll::Ready(Ok(()))
            }
        })
        .await
    }
    async fn staged_file(&self, sha256: &str) -> Result<Option<String>, StoreError> {
        self.check("staged_file")?;
        self.inner.staged_file(sha256).await
    }
    async fn staged_hashes(&self) -> Result<BTreeSet<String>, StoreError> {
        self.check("staged_hashes")?;
        self.inner.staged_hashes().await
    }
    async fn retain_staged(&self, keep: &BTreeSet<String>) -> Result<(), StoreError> {
        self.check("retain_staged")?;
        self.inner.retain_staged(keep).await
    }
    async fn get_meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.check("get_meta")?;
        self.inner.get_meta(key).await
    }
    async fn put_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.check("put_meta")?;
        self.inner.put_meta(key, value).await
    }
    async fn hour_records(&self) -> Result<Vec<Record>, StoreError> {
        self.check("hour_records")?;
        self.inner.hour_records().await
    }
    async fn update_hour_record(
        &self,
        id: &str,
        change: impl FnOnce(Option<Record>) -> Change,
    ) -> Result<Option<Record>, StoreError> {
        self.check("update_hour_record")?;
        self.inner.update_hour_record(id, change).await
    }
    async fn put_hour_records(&self, records: &[Record]) -> Result<(), StoreError> {
        self.check("put_hour_records")?;
        self.inner.put_hour_records(records).await
    }
    async fn memberships(&self) -> Result<Vec<Membership>, StoreError> {
        self.check("memberships")?;
        self.inner.memberships().await
    }
    async fn sends_hours(&self) -> Result<bool, StoreError> {
        self.check("sends_hours")?;
        self.inner.sends_hours().await
    }
    async fn put_membership(&self, membership: &Membership) -> Result<(), StoreError> {
        self.check("put_membership")?;
        self.inner.put_membership(membership).await
    }
    async fn delete_membership(&self, organisation_id: &str) -> Result<(), StoreError> {
        self.check("delete_membership")?;
        self.inner.delete_membership(organisation_id).await
    }
    async fn join_inbox(
        &self,
        membership: &Membership,
        queue: impl FnMut(&Record) -> Option<Record>,
    ) -> Result<Vec<Record>, StoreError> {
        self.check("join_inbox")?;
        self.inner.join_inbox(membership, queue).await
    }
    async fn badges(&self) -> Result<Vec<WalletBadge>, StoreError> {
        self.check("badges")?;
        self.inner.badges().await
    }
    async fn badge(&self, id: &str) -> Result<Option<WalletBadge>, StoreError> {
        self.check("badge")?;
        self.inner.badge(id).await
    }
    async fn add_badges(&self, badges: &[WalletBadge]) -> Result<BadgeMerge, StoreError> {
        self.check("add_badges")?;
        self.inner.add_badges(badges).await
    }
    async fn add_badge(&self, badge: &WalletBadge) -> Result<Option<WalletBadge>, StoreError> {
        self.check("add_badge")?;
        self.inner.add_badge(badge).await
    }
    async fn delete_badge(&self, id: &str) -> Result<(), StoreError> {
        self.check("delete_badge")?;
        self.inner.delete_badge(id).await
    }
    async fn put_status_list(&self, list: &CachedStatusList) -> Result<(), StoreError> {
        self.check("put_status_list")?;
        self.inner.put_status_list(list).await
    }
    async fn status_list(&self, url: &str) -> Result<Option<CachedStatusList>, StoreError> {
        self.check("status_list")?;
        self.inner.status_list(url).await
    }
    async fn status_lists(&self) -> Result<Vec<CachedStatusList>, StoreError> {
        self.check("status_lists")?;
        self.inner.status_lists().await
    }
}
