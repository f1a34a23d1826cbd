//! Runs the shared storage suite in headless Chromium against real IndexedDB, each test on a fresh database.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::collections::BTreeSet;

use talkoo_core::feed::Kind;
use talkoo_core::hours::outbox::{Membership, Record};
use talkoo_core::sync::{RecordSpan, RegionChange, StoredFile, StoredRegion};
use talkoo_core::wallet::{BadgeMerge, CachedStatusList, WalletBadge};
use talkoo_store::idb::IdbStore;
use talkoo_store::schema::Migration;
use talkoo_store::suite::{self, Harness};
use talkoo_store::{Change, LoadedRecord, Store, StoreError, SCHEMA_VERSION};
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

impl Store for ClosingStore {
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
        kind: Kind,
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
    async fn stage_files(&self, files: &[(String, String)]) -> Result<(), StoreError> {
        self.inner().stage_files(files).await
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
    async fn sends_hours(&self) -> Result<bool, StoreError> {
        self.inner().sends_hours().await
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

/// Issue 13: staged files are stored as `Blob`s, read a record at a time;
/// one an earlier version stored as a string is still read, whole and
/// record by record.
#[wasm_bindgen_test]
async fn a_file_staged_as_a_string_by_an_earlier_version_is_still_read() {
    use indexed_db_futures::database::Database;
    use indexed_db_futures::prelude::*;
    use indexed_db_futures::transaction::TransactionMode;

    let name = format!("test-string-staging-{}", js_sys::Date::now());
    IdbStore::open(&name, SCHEMA_VERSION)
        .await
        .expect("create")
        .close();
    let text = r#"{"records": [{"id":"a","t":"ä"}, {"id":"b"}]}"#;
    {
        let db = Database::open(&name).await.expect("open");
        let tx = db
            .transaction("staging")
            .with_mode(TransactionMode::Readwrite)
            .build()
            .expect("transaction");
        tx.object_store("staging")
            .expect("staging")
            .put(text)
            .with_key("sha-old")
            .await
            .expect("put a string");
        tx.commit().await.expect("commit");
        db.close();
    }
    let store = IdbStore::open(&name, SCHEMA_VERSION).await.expect("reopen");
    store.stage_file("sha-new", text).await.expect("stage");
    for sha in ["sha-old", "sha-new"] {
        assert_eq!(
            store.staged_file(sha).await,
            Ok(Some(text.to_owned())),
            "{sha}"
        );
        let span = |id: &str, start: u32, end: u32| RecordSpan {
            kind: Kind::Services,
            id: id.to_owned(),
            start,
            end,
        };
        let change = RegionChange {
            state: StoredRegion {
                id: "kainuu".into(),
                version: sha.into(),
                files: [((Kind::Services, "205".to_owned()), sha.to_owned())]
                    .into_iter()
                    .collect(),
            },
            clear: vec![(Kind::Services, "205".to_owned())],
            files: vec![StoredFile {
                partition: (Kind::Services, "205".to_owned()),
                file: sha.to_owned(),
                records: vec![span("a", 13, 32), span("b", 34, 44)],
            }],
            ..RegionChange::default()
        };
        store.apply_region(&change).await.expect("apply");
        assert_eq!(
            store.record("kainuu", Kind::Services, "205", "a").await,
            Ok(Some(r#"{"id":"a","t":"ä"}"#.to_owned())),
            "{sha}"
        );
        let json: Vec<String> = store
            .records("kainuu")
            .await
            .expect("records")
            .into_iter()
            .map(|r| r.json)
            .collect();
        assert_eq!(json, [r#"{"id":"a","t":"ä"}"#, r#"{"id":"b"}"#], "{sha}");
    }
    store.close();
    IdbStore::delete(&name).await.expect("delete");
}

/// Issue 13: a small staged file or snapshot is stored as a `Uint8Array`,
/// which the sync puts several times faster than a `Blob`, and a large one
/// as a `Blob`, read a slice at a time; both read back whole and a record
/// at a time, and a span past a small file's end is an error, not a
/// shorter record.
#[wasm_bindgen_test]
async fn small_files_are_stored_as_arrays_and_large_ones_as_blobs() {
    use indexed_db_futures::database::Database;
    use indexed_db_futures::prelude::*;
    use talkoo_store::idb::INLINE_BYTES;
    use wasm_bindgen::JsCast;

    let name = format!("test-inline-staging-{}", js_sys::Date::now());
    let store = IdbStore::open(&name, SCHEMA_VERSION).await.expect("create");
    let record = r#"{"id":"a","t":"ä"}"#;
    let file_of = |bytes: usize| {
        let head = format!(r#"{{"records": [{record}], "pad": ""#);
        format!("{head}{}\"}}", "x".repeat(bytes - head.len() - 2))
    };
    let (small, large) = (file_of(INLINE_BYTES), file_of(INLINE_BYTES + 1));
    assert_eq!((small.len(), large.len()), (INLINE_BYTES, INLINE_BYTES + 1));
    let span = |id: &str, start: u32, end: u32| RecordSpan {
        kind: Kind::Services,
        id: id.to_owned(),
        start,
        end,
    };
    for (sha, text) in [("sha-small", &small), ("sha-large", &large)] {
        store.stage_file(sha, text).await.expect("stage");
        let partition = (Kind::Services, sha.to_owned());
        let change = RegionChange {
            state: StoredRegion {
                id: "kainuu".into(),
                version: sha.into(),
                files: [(partition.clone(), sha.to_owned())].into_iter().collect(),
            },
            files: vec![StoredFile {
                partition,
                file: sha.to_owned(),
                records: vec![span("a", 13, 32), span("past", 13, text.len() as u32 + 1)],
            }],
            ..RegionChange::default()
        };
        store.apply_region(&change).await.expect("apply");
        assert_eq!(
            store.staged_file(sha).await,
            Ok(Some(text.clone())),
            "{sha}"
        );
        assert_eq!(
            store.record("kainuu", Kind::Services, sha, "a").await,
            Ok(Some(record.to_owned())),
            "{sha}"
        );
        assert!(
            store
                .record("kainuu", Kind::Services, sha, "past")
                .await
                .is_err(),
            "{sha}: a span past the end"
        );
        let bytes = text.as_bytes().to_vec();
        assert_eq!(store.put_snapshot("kainuu", sha, &bytes).await, Ok(true));
        assert_eq!(store.snapshot("kainuu").await, Ok(Some(bytes)), "{sha}");
    }
    store.close();
    let db = Database::open(&name).await.expect("open");
    let tx = db
        .transaction(["staging", "snapshots"])
        .build()
        .expect("transaction");
    let stored = |name: &'static str, key: &'static str| {
        let store = tx.object_store(name).expect(name);
        async move {
            let value: Option<wasm_bindgen::JsValue> = store.get(key).await.expect("get");
            value.expect(key)
        }
    };
    assert!(stored("staging", "sha-small")
        .await
        .is_instance_of::<js_sys::Uint8Array>());
    assert!(stored("staging", "sha-large")
        .await
        .is_instance_of::<web_sys::Blob>());
    assert!(stored("snapshots", "kainuu")
        .await
        .is_instance_of::<web_sys::Blob>());
    drop(tx);
    db.close();
    IdbStore::delete(&name).await.expect("delete");
}

/// A fresh database for `test` holding one setting, open at the current
/// version, with its name.
async fn holding_a_setting(test: &str) -> (String, IdbStore) {
    let name = format!("test-{test}-{}", js_sys::Date::now());
    IdbStore::delete(&name).await.expect("delete");
    let store = IdbStore::open(&name, SCHEMA_VERSION).await.expect("open");
    store.put_setting("kept", "yes").await.expect("write");
    (name, store)
}

/// Opens `name` at the next version, as a newer Talkoo would, and checks
/// that the open never waited for another connection (its `blocked`
/// event) and that the setting of [`holding_a_setting`] is kept. A
/// blocked open fails the test at once instead of waiting with it.
async fn upgraded_without_waiting(name: &str) -> IdbStore {
    use std::cell::Cell;
    use std::future::Future;
    use std::rc::Rc;
    use std::task::{Poll, Waker};

    let next = talkoo_store::schema::with_catalogue_rebuild();
    let blocked = Rc::new((Cell::new(false), RefCell::new(None::<Waker>)));
    let noted = Rc::clone(&blocked);
    let open = IdbStore::open_noting_blocked(name, SCHEMA_VERSION + 1, &next, move || {
        noted.0.set(true);
        if let Some(waker) = noted.1.borrow_mut().take() {
            waker.wake();
        }
    });
    let mut open = std::pin::pin!(open);
    let newer = std::future::poll_fn(|cx| {
        if blocked.0.get() {
            return Poll::Ready(None);
        }
        *blocked.1.borrow_mut() = Some(cx.waker().clone());
        open.as_mut().poll(cx).map(Some)
    })
    .await
    .expect("the newer version's open did not wait")
    .expect("upgraded");
    assert_eq!(newer.get_setting("kept").await, Ok(Some("yes".to_owned())));
    newer
}

/// A connection gives way to a newer version opened elsewhere (a newer
/// Talkoo in another tab): it closes at once and says so, so the newer
/// version's open never waits for this tab to be closed, and what was
/// stored is kept.
#[wasm_bindgen_test]
async fn a_connection_gives_way_to_a_newer_version_opened_elsewhere() {
    use std::cell::Cell;
    use std::rc::Rc;

    let (name, older) = holding_a_setting("gives-way").await;
    let told = Rc::new(Cell::new(false));
    older.on_given_way({
        let told = Rc::clone(&told);
        move || told.set(true)
    });
    assert!(!older.has_given_way());

    let newer = upgraded_without_waiting(&name).await;
    assert!(told.get(), "the older connection said it gave way");
    assert!(older.has_given_way());
    assert!(
        older.get_setting("kept").await.is_err(),
        "the older connection is closed"
    );
    newer.close();
    drop(older);
}

/// A store dropped without `close` holds up no upgrade either: its
/// connection closes with it, not when it is garbage-collected.
#[wasm_bindgen_test]
async fn a_dropped_store_holds_up_no_upgrade() {
    let (name, dropped) = holding_a_setting("dropped").await;
    drop(dropped);

    upgraded_without_waiting(&name).await.close();
    IdbStore::delete(&name).await.expect("delete");
}
