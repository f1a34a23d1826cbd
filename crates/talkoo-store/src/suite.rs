//! The storage test suite shared by every implementation: natively against memory, in Chromium against IndexedDB.
//!
//! Each test takes a [`Harness`] that opens databases on a fresh origin (or
//! a fresh database name), so tests are independent of order.

use std::collections::BTreeSet;

use talkoo_core::feed::{Kind, RecordRef};
use talkoo_core::sync::{
    Partition, RecordSpan, RegionChange, StoredFile, StoredRecord, StoredRegion,
};

use talkoo_core::hours::outbox::{Delivery, Membership, Record};
use talkoo_core::hours::{uuid_v4, Category, Entry, OrgRef};
use talkoo_core::wallet::{
    BadgeSummary, CachedStatusList, Check, CheckKind, Format, Level, Report, Source, WalletBadge,
};

use crate::schema::{self, Migration, SCHEMA_VERSION};
use crate::{keys, Change, Store, StoreError};

/// Opens databases of one implementation for the suite.
pub trait Harness {
    /// The store under test.
    type S: Store;
    /// Opens (creating or upgrading) database `name` at `version`.
    async fn open(&self, name: &str, version: u32) -> Result<Self::S, StoreError>;
    /// Opens `name` at `version` with another list of migrations.
    async fn open_with(
        &self,
        name: &str,
        version: u32,
        migrations: &[Migration],
    ) -> Result<Self::S, StoreError>;
}

/// Calls `$mac!` with the name of every test in the suite, so each
/// implementation generates one test function per suite test and no test is
/// forgotten by one of them.
#[macro_export]
macro_rules! for_each_suite_test {
    ($mac:ident) => {
        $mac!(
            fresh_database_is_at_current_version,
            missing_setting_reads_none,
            setting_round_trips,
            setting_overwrites,
            setting_delete_is_idempotent,
            settings_list_is_sorted,
            settings_survive_reopening,
            settings_survive_every_upgrade,
            newer_database_is_refused,
            unicode_values_are_kept,
            regions_start_empty,
            apply_writes_records_and_state,
            apply_replaces_cleared_partitions_only,
            delta_apply_deletes_then_upserts,
            interrupted_apply_leaves_the_old_version,
            remove_region_leaves_other_regions_and_settings,
            snapshot_is_removed_with_the_records_it_was_made_of,
            snapshot_is_put_only_for_the_stored_version,
            a_large_snapshot_comes_back_whole,
            one_record_is_read_by_its_key,
            records_after_predicts_what_apply_stores,
            records_in_staged_files_read_like_their_own,
            a_change_refers_only_to_staged_files,
            a_change_started_before_its_staging_commits_finds_its_files,
            staged_files_holding_records_are_kept,
            a_file_partition_is_cleared_and_removed_with_its_region,
            staged_files_survive_reopening_until_dropped,
            sync_meta_round_trips,
            hours_start_empty,
            hour_records_round_trip,
            hour_update_reads_then_decides,
            hour_records_are_written_together,
            hour_update_can_add_entries_beside_it,
            memberships_round_trip,
            sends_hours_while_an_inbox_takes_them,
            join_writes_the_membership_and_queues_in_one_go,
            catalogue_sync_never_touches_personal_data,
            personal_data_survives_a_catalogue_schema_change,
            wallet_starts_empty,
            badge_round_trips_and_deletes,
            adding_a_badge_again_keeps_one_entry,
            status_lists_are_cached_by_address,
            the_wallet_migration_keeps_what_versions_1_to_3_wrote,
        );
    };
}

async fn open_current<H: Harness>(h: &H) -> H::S {
    h.open("talkoo-suite", SCHEMA_VERSION)
        .await
        .expect("open the database")
}

/// A new database is created at the version this build knows.
pub async fn fresh_database_is_at_current_version<H: Harness>(h: &H) {
    assert_eq!(open_current(h).await.schema_version(), SCHEMA_VERSION);
}

/// Reading a key that was never written is not an error.
pub async fn missing_setting_reads_none<H: Harness>(h: &H) {
    let store = open_current(h).await;
    assert_eq!(store.get_setting("never.written").await, Ok(None));
}

/// A written setting reads back the same.
pub async fn setting_round_trips<H: Harness>(h: &H) {
    let store = open_current(h).await;
    store.put_setting(keys::LANGUAGE, "sv").await.expect("put");
    assert_eq!(
        store.get_setting(keys::LANGUAGE).await,
        Ok(Some("sv".to_owned()))
    );
}

/// The last write wins.
pub async fn setting_overwrites<H: Harness>(h: &H) {
    let store = open_current(h).await;
    store.put_setting(keys::LANGUAGE, "sv").await.expect("put");
    store
        .put_setting(keys::LANGUAGE, "en")
        .await
        .expect("put again");
    assert_eq!(
        store.get_setting(keys::LANGUAGE).await,
        Ok(Some("en".to_owned()))
    );
}

/// Deleting removes the value, and deleting twice is harmless.
pub async fn setting_delete_is_idempotent<H: Harness>(h: &H) {
    let store = open_current(h).await;
    store.put_setting("a", "1").await.expect("put");
    store.delete_setting("a").await.expect("delete");
    store.delete_setting("a").await.expect("delete again");
    assert_eq!(store.get_setting("a").await, Ok(None));
}

/// The full list comes back sorted by key.
pub async fn settings_list_is_sorted<H: Harness>(h: &H) {
    let store = open_current(h).await;
    for (k, v) in [("b", "2"), ("a", "1"), ("c", "3")] {
        store.put_setting(k, v).await.expect("put");
    }
    let expected: Vec<(String, String)> = [("a", "1"), ("b", "2"), ("c", "3")]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    assert_eq!(store.settings().await, Ok(expected));
}

/// Closing and opening the database again keeps what was written, as a
/// restart of the app does.
pub async fn settings_survive_reopening<H: Harness>(h: &H) {
    {
        let store = open_current(h).await;
        store.put_setting(keys::LANGUAGE, "sv").await.expect("put");
    }
    let store = open_current(h).await;
    assert_eq!(
        store.get_setting(keys::LANGUAGE).await,
        Ok(Some("sv".to_owned()))
    );
}

/// Personal data written at the first version is still there after opening
/// at every later version in turn (the upgrade loop).
pub async fn settings_survive_every_upgrade<H: Harness>(h: &H) {
    {
        let store = h
            .open("talkoo-upgrade", 1)
            .await
            .expect("open at version 1");
        store.put_setting(keys::LANGUAGE, "en").await.expect("put");
    }
    for version in 1..=SCHEMA_VERSION {
        let store = h.open("talkoo-upgrade", version).await.expect("upgrade");
        assert_eq!(store.schema_version(), version);
        assert_eq!(
            store.get_setting(keys::LANGUAGE).await,
            Ok(Some("en".to_owned())),
            "setting lost at version {version}"
        );
    }
}

/// An older build refuses a database written by a newer one instead of
/// damaging it.
pub async fn newer_database_is_refused<H: Harness>(h: &H) {
    {
        let store = h
            .open("talkoo-newer", SCHEMA_VERSION + 1)
            .await
            .expect("open newer");
        store.put_setting("x", "kept").await.expect("put");
    }
    let refused = h.open("talkoo-newer", SCHEMA_VERSION).await;
    assert!(
        matches!(refused, Err(StoreError::TooNew { .. })),
        "expected TooNew, got {:?}",
        refused.as_ref().map(|s| s.schema_version())
    );
}

/// Finnish, Swedish and Sámi letters are stored as written.
pub async fn unicode_values_are_kept<H: Harness>(h: &H) {
    let store = open_current(h).await;
    let value = "Äänekoski – Åland – Ohcejohka đŋŧʒšč";
    store.put_setting("place", value).await.expect("put");
    assert_eq!(store.get_setting("place").await, Ok(Some(value.to_owned())));
}

fn partition(kind: Kind, code: &str) -> Partition {
    (kind, code.to_owned())
}

fn record(kind: Kind, code: &str, id: &str, text: &str) -> StoredRecord {
    StoredRecord {
        partition: partition(kind, code),
        id: id.to_owned(),
        json: format!("{{\"id\":\"{id}\",\"t\":\"{text}\"}}"),
    }
}

/// A full-sync change: the given partitions are replaced by `records`.
fn change(
    region: &str,
    version: &str,
    clear: &[Partition],
    records: Vec<StoredRecord>,
) -> RegionChange {
    RegionChange {
        state: StoredRegion {
            id: region.to_owned(),
            version: version.to_owned(),
            files: clear
                .iter()
                .map(|p| (p.clone(), format!("sha-{version}-{}", p.1)))
                .collect(),
        },
        clear: clear.to_vec(),
        deletes: Vec::new(),
        records,
        files: Vec::new(),
    }
}

/// A full-sync change whose records stay in staged files, as a network
/// sync writes them: for each partition, the file `sha` holding
/// `records`. Returns the change and each file's text, to stage first.
fn file_change(
    region: &str,
    version: &str,
    files: &[(Partition, &str, Vec<StoredRecord>)],
) -> (RegionChange, Vec<(String, String)>) {
    let mut texts = Vec::new();
    let mut stored = Vec::new();
    for (partition, sha, records) in files {
        // Records in a JSON array, with spaces, as a feed file lays them out.
        let mut text = String::from("{\"records\": [");
        let mut spans = Vec::new();
        for (i, record) in records.iter().enumerate() {
            if i > 0 {
                text.push_str(", ");
            }
            let start = text.len() as u32;
            text.push_str(&record.json);
            spans.push(RecordSpan {
                kind: record.partition.0,
                id: record.id.clone(),
                start,
                end: text.len() as u32,
            });
        }
        text.push_str("]}");
        texts.push(((*sha).to_owned(), text));
        stored.push(StoredFile {
            partition: partition.clone(),
            file: (*sha).to_owned(),
            records: spans,
        });
    }
    let clear: Vec<Partition> = files.iter().map(|(p, ..)| p.clone()).collect();
    let mut change = change(region, version, &clear, Vec::new());
    for file in &stored {
        change
            .state
            .files
            .insert(file.partition.clone(), file.file.clone());
    }
    change.files = stored;
    (change, texts)
}

/// Stages `texts` and applies `change`.
async fn apply_files<S: Store>(
    store: &S,
    (change, texts): &(RegionChange, Vec<(String, String)>),
) -> Result<(), StoreError> {
    for (sha, text) in texts {
        store.stage_file(sha, text).await?;
    }
    store.apply_region(change).await
}

/// Version one of Kainuu with its records in two staged files: services
/// of 205 and an organisations file with its achievement.
fn files_one() -> (RegionChange, Vec<(String, String)>) {
    file_change(
        "kainuu",
        "f1",
        &[
            (
                partition(Kind::Services, "205"),
                "sha-svc-205",
                vec![
                    record(Kind::Services, "205", "svc-a", "A1"),
                    record(Kind::Services, "205", "svc-ä", "Ä1"),
                ],
            ),
            (
                partition(Kind::Organisations, "205"),
                "sha-org-205",
                vec![
                    record(Kind::Organisations, "205", "org-a", "O1"),
                    record(Kind::Achievements, "205", "ach-a", "M1"),
                ],
            ),
        ],
    )
}

/// The region's records as "kind/partition/id=json-text" lines, sorted.
async fn contents<S: Store>(store: &S, region: &str) -> Vec<String> {
    let mut lines: Vec<String> = store
        .records(region)
        .await
        .expect("records")
        .into_iter()
        .map(|r| {
            format!(
                "{}/{}/{}={}",
                r.kind.name(),
                r.partition,
                r.id,
                r.json.rsplit('"').nth(1).unwrap_or_default()
            )
        })
        .collect();
    lines.sort();
    lines
}

fn version_one() -> RegionChange {
    change(
        "kainuu",
        "v1",
        &[
            partition(Kind::Services, "205"),
            partition(Kind::Services, "290"),
            partition(Kind::Places, "205"),
        ],
        vec![
            record(Kind::Services, "205", "svc-a", "A1"),
            record(Kind::Services, "205", "svc-b", "B1"),
            record(Kind::Services, "290", "svc-c", "C1"),
            record(Kind::Places, "205", "place-a", "P1"),
        ],
    )
}

/// A new database has no regions and no records.
pub async fn regions_start_empty<H: Harness>(h: &H) {
    let store = open_current(h).await;
    assert_eq!(store.regions().await, Ok(Vec::new()));
    assert_eq!(store.records("kainuu").await, Ok(Vec::new()));
}

/// Applying a first version stores its records and state.
pub async fn apply_writes_records_and_state<H: Harness>(h: &H) {
    let store = open_current(h).await;
    store.apply_region(&version_one()).await.expect("apply");
    assert_eq!(
        contents(&store, "kainuu").await,
        [
            "places/205/place-a=P1",
            "services/205/svc-a=A1",
            "services/205/svc-b=B1",
            "services/290/svc-c=C1"
        ]
    );
    let regions = store.regions().await.expect("regions");
    assert_eq!(regions.len(), 1);
    assert_eq!(
        (
            regions[0].id.as_str(),
            regions[0].version.as_str(),
            regions[0].files.len()
        ),
        ("kainuu", "v1", 3)
    );
}

/// A file sync replaces exactly the cleared partitions: records gone from
/// them disappear, other partitions are untouched.
pub async fn apply_replaces_cleared_partitions_only<H: Harness>(h: &H) {
    let store = open_current(h).await;
    store.apply_region(&version_one()).await.expect("v1");
    let v2 = change(
        "kainuu",
        "v2",
        &[partition(Kind::Services, "205")],
        vec![record(Kind::Services, "205", "svc-a", "A2")],
    );
    store.apply_region(&v2).await.expect("v2");
    assert_eq!(
        contents(&store, "kainuu").await,
        [
            "places/205/place-a=P1",
            "services/205/svc-a=A2",
            "services/290/svc-c=C1"
        ]
    );
    assert_eq!(store.regions().await.expect("regions")[0].version, "v2");
}

/// A delta removes records (also from their old partition when moved) and
/// writes the new ones.
pub async fn delta_apply_deletes_then_upserts<H: Harness>(h: &H) {
    let store = open_current(h).await;
    store.apply_region(&version_one()).await.expect("v1");
    let mut delta = change(
        "kainuu",
        "v2",
        &[],
        vec![record(Kind::Services, "290", "svc-b", "B2")],
    );
    delta.deletes = vec![
        RecordRef {
            kind: Kind::Services,
            partition: "205".into(),
            id: "svc-b".into(),
        },
        RecordRef {
            kind: Kind::Places,
            partition: "205".into(),
            id: "place-a".into(),
        },
        RecordRef {
            kind: Kind::Events,
            partition: "205".into(),
            id: "never-stored".into(),
        },
    ];
    store.apply_region(&delta).await.expect("delta");
    assert_eq!(
        contents(&store, "kainuu").await,
        [
            "services/205/svc-a=A1",
            "services/290/svc-b=B2",
            "services/290/svc-c=C1"
        ]
    );
}

/// A sync cut off halfway (the tab closed) leaves the region entirely at
/// the old version: no new records, no new state.
pub async fn interrupted_apply_leaves_the_old_version<H: Harness>(h: &H) {
    let store = open_current(h).await;
    store.apply_region(&version_one()).await.expect("v1");
    let before = contents(&store, "kainuu").await;
    let mut v2 = change(
        "kainuu",
        "v2",
        &[
            partition(Kind::Services, "205"),
            partition(Kind::Services, "290"),
        ],
        (0..50)
            .map(|i| record(Kind::Services, "205", &format!("svc-new-{i:02}"), "N"))
            .collect(),
    );
    v2.deletes = vec![RecordRef {
        kind: Kind::Places,
        partition: "205".into(),
        id: "place-a".into(),
    }];
    let result = store.apply_region_interrupted(&v2, Some(25)).await;
    assert!(result.is_err(), "the interrupted apply must report failure");
    assert_eq!(contents(&store, "kainuu").await, before, "partly applied");
    assert_eq!(store.regions().await.expect("regions")[0].version, "v1");
    // The same change applied whole afterwards works.
    store.apply_region(&v2).await.expect("retry");
    assert_eq!(contents(&store, "kainuu").await.len(), 50);
}

/// Removing a region (unsubscribing) touches neither other regions nor
/// personal data.
pub async fn remove_region_leaves_other_regions_and_settings<H: Harness>(h: &H) {
    let store = open_current(h).await;
    store
        .put_setting(keys::LANGUAGE, "sv")
        .await
        .expect("setting");
    store.apply_region(&version_one()).await.expect("kainuu");
    let other = change(
        "meri-lappi",
        "m1",
        &[partition(Kind::Services, "240")],
        vec![record(Kind::Services, "240", "svc-k", "K")],
    );
    store.apply_region(&other).await.expect("meri-lappi");
    store.remove_region("kainuu").await.expect("remove");
    assert_eq!(contents(&store, "kainuu").await, Vec::<String>::new());
    assert_eq!(
        contents(&store, "meri-lappi").await,
        ["services/240/svc-k=K"]
    );
    let ids: Vec<String> = store
        .regions()
        .await
        .expect("regions")
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(ids, ["meri-lappi"]);
    assert_eq!(
        store.get_setting(keys::LANGUAGE).await,
        Ok(Some("sv".to_owned()))
    );
}

/// Every byte value, so that a snapshot's bytes are proved to come back
/// as written, not as text.
fn all_bytes(tag: u8) -> Vec<u8> {
    std::iter::once(tag).chain(0..=255).collect()
}

/// Issue 13: a region's snapshot goes with its records: a change or a
/// removal of the region removes it in the same transaction (a change cut
/// off halfway keeps it, with the old records), and other regions keep
/// theirs.
pub async fn snapshot_is_removed_with_the_records_it_was_made_of<H: Harness>(h: &H) {
    let store = open_current(h).await;
    assert_eq!(store.snapshot("kainuu").await, Ok(None));
    store.apply_region(&version_one()).await.expect("v1");
    assert_eq!(
        store.put_snapshot("kainuu", "v1", &all_bytes(1)).await,
        Ok(true)
    );
    assert_eq!(store.snapshot("kainuu").await, Ok(Some(all_bytes(1))));
    let v2 = change(
        "kainuu",
        "v2",
        &[partition(Kind::Services, "205")],
        vec![record(Kind::Services, "205", "svc-a", "A2")],
    );
    assert!(store.apply_region_interrupted(&v2, Some(0)).await.is_err());
    assert_eq!(store.snapshot("kainuu").await, Ok(Some(all_bytes(1))));
    store.apply_region(&v2).await.expect("v2");
    assert_eq!(store.snapshot("kainuu").await, Ok(None));
    assert_eq!(
        store.put_snapshot("kainuu", "v2", &all_bytes(2)).await,
        Ok(true)
    );
    let other = change(
        "meri-lappi",
        "m1",
        &[partition(Kind::Services, "240")],
        vec![record(Kind::Services, "240", "svc-k", "K")],
    );
    store.apply_region(&other).await.expect("meri-lappi");
    assert_eq!(
        store.put_snapshot("meri-lappi", "m1", &all_bytes(7)).await,
        Ok(true)
    );
    store.remove_region("kainuu").await.expect("remove");
    assert_eq!(store.snapshot("kainuu").await, Ok(None));
    assert_eq!(store.snapshot("meri-lappi").await, Ok(Some(all_bytes(7))));
}

/// A snapshot built from the records read at one version is not written
/// once another sync has stored a newer version, nor for a region that is
/// not stored.
pub async fn snapshot_is_put_only_for_the_stored_version<H: Harness>(h: &H) {
    let store = open_current(h).await;
    assert_eq!(
        store.put_snapshot("kainuu", "v1", &all_bytes(1)).await,
        Ok(false)
    );
    assert_eq!(store.snapshot("kainuu").await, Ok(None));
    store.apply_region(&version_one()).await.expect("v1");
    assert_eq!(
        store.put_snapshot("kainuu", "v1", &all_bytes(1)).await,
        Ok(true)
    );
    assert_eq!(store.snapshot("kainuu").await, Ok(Some(all_bytes(1))));
    assert_eq!(
        store.put_snapshot("kainuu", "v0", &all_bytes(0)).await,
        Ok(false)
    );
    assert_eq!(store.snapshot("kainuu").await, Ok(Some(all_bytes(1))));
    let v2 = change(
        "kainuu",
        "v2",
        &[partition(Kind::Services, "205")],
        vec![record(Kind::Services, "205", "svc-a", "A2")],
    );
    store.apply_region(&v2).await.expect("v2");
    assert_eq!(
        store.put_snapshot("kainuu", "v1", &all_bytes(1)).await,
        Ok(false)
    );
    assert_eq!(store.snapshot("kainuu").await, Ok(None));
}

/// Issue 13: a snapshot of tens of megabytes is read back a part at a
/// time (IndexedDB keeps it as a `Blob`); every byte comes back in its
/// place, the last part shorter than the others.
pub async fn a_large_snapshot_comes_back_whole<H: Harness>(h: &H) {
    let store = open_current(h).await;
    store.apply_region(&version_one()).await.expect("v1");
    let bytes: Vec<u8> = (0..5 * 1024 * 1024 + 3)
        .map(|i: u32| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    assert_eq!(store.put_snapshot("kainuu", "v1", &bytes).await, Ok(true));
    let back = store
        .snapshot("kainuu")
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(back.len(), bytes.len());
    assert!(back == bytes, "the bytes differ");
}

/// A card's page reads its one record by region, kind, partition and id.
pub async fn one_record_is_read_by_its_key<H: Harness>(h: &H) {
    let store = open_current(h).await;
    store.apply_region(&version_one()).await.expect("v1");
    let expected = record(Kind::Services, "290", "svc-c", "C1").json;
    assert_eq!(
        store.record("kainuu", Kind::Services, "290", "svc-c").await,
        Ok(Some(expected))
    );
    for (region, kind, partition, id) in [
        ("kainuu", Kind::Services, "205", "svc-c"),
        ("kainuu", Kind::Places, "290", "svc-c"),
        ("meri-lappi", Kind::Services, "290", "svc-c"),
        ("kainuu", Kind::Services, "290", "svc-x"),
    ] {
        assert_eq!(
            store.record(region, kind, partition, id).await,
            Ok(None),
            "{region} {kind:?} {partition} {id}"
        );
    }
}

/// `talkoo_core::sync::records_after`, from which a change's snapshot is
/// built, predicts exactly what applying the change stores.
pub async fn records_after_predicts_what_apply_stores<H: Harness>(h: &H) {
    let store = open_current(h).await;
    let mut delta = change(
        "kainuu",
        "v3",
        &[],
        vec![
            record(Kind::Services, "290", "svc-b", "B3"),
            record(Kind::Events, "290", "event-a", "E3"),
        ],
    );
    delta.deletes = vec![
        RecordRef {
            kind: Kind::Services,
            partition: "205".into(),
            id: "svc-b".into(),
        },
        RecordRef {
            kind: Kind::Places,
            partition: "205".into(),
            id: "never-stored".into(),
        },
    ];
    let changes = [
        version_one(),
        change(
            "kainuu",
            "v2",
            &[
                partition(Kind::Services, "290"),
                partition(Kind::Places, "205"),
            ],
            vec![record(Kind::Services, "290", "svc-d", "D2")],
        ),
        delta,
    ];
    for change in &changes {
        let before = as_stored(&store, "kainuu").await;
        let predicted = talkoo_core::sync::records_after(before, change, &change.records);
        store.apply_region(change).await.expect("apply");
        let mut after = as_stored(&store, "kainuu").await;
        let mut predicted = predicted;
        let key = |r: &StoredRecord| (r.partition.clone(), r.id.clone());
        after.sort_by_key(key);
        predicted.sort_by_key(key);
        assert_eq!(predicted, after, "{}", change.state.version);
    }
    // Records kept in staged files, then a delta over them, which cannot
    // touch a record in a file and so rewrites the partitions it touches
    // (`rewriting_touched`).
    let files = files_one();
    let before = as_stored(&store, "kainuu").await;
    let written: Vec<StoredRecord> = files
        .0
        .files
        .iter()
        .flat_map(|file| {
            let text = &files
                .1
                .iter()
                .find(|(sha, _)| *sha == file.file)
                .expect("text")
                .1;
            file.records.iter().map(move |span| StoredRecord {
                partition: (span.kind, file.partition.1.clone()),
                id: span.id.clone(),
                json: text[span.start as usize..span.end as usize].to_owned(),
            })
        })
        .collect();
    let predicted = sorted(talkoo_core::sync::records_after(before, &files.0, &written));
    apply_files(&store, &files).await.expect("files");
    assert_eq!(
        sorted(as_stored(&store, "kainuu").await),
        predicted,
        "files"
    );
    let mut delta = change(
        "kainuu",
        "f2",
        &[],
        vec![record(Kind::Services, "205", "svc-a", "A4")],
    );
    delta.deletes = vec![
        RecordRef {
            kind: Kind::Services,
            partition: "205".into(),
            id: "svc-ä".into(),
        },
        RecordRef {
            kind: Kind::Achievements,
            partition: "205".into(),
            id: "ach-a".into(),
        },
    ];
    let before = as_stored(&store, "kainuu").await;
    let after = talkoo_core::sync::records_after(before, &delta, &delta.records);
    let rewritten = talkoo_core::sync::rewriting_touched(delta, &after);
    store.apply_region(&rewritten).await.expect("delta");
    let stored = sorted(as_stored(&store, "kainuu").await);
    assert_eq!(stored, sorted(after), "delta over files");
    let lines: Vec<String> = stored
        .iter()
        .filter(|r| r.partition.1 == "205")
        .map(|r| format!("{}/{}", r.partition.0.name(), r.id))
        .collect();
    assert_eq!(
        lines,
        ["organisations/org-a", "services/svc-a"],
        "the delta's records, and the files' others kept"
    );
}

fn sorted(mut records: Vec<StoredRecord>) -> Vec<StoredRecord> {
    records.sort_by_key(|r| (r.partition.clone(), r.id.clone()));
    records
}

/// Records kept in staged files (schema 6) are listed and read one by one
/// like records stored on their own, those of an organisations file under
/// their own kinds, with the bytes as the file has them.
pub async fn records_in_staged_files_read_like_their_own<H: Harness>(h: &H) {
    let store = open_current(h).await;
    store.apply_region(&version_one()).await.expect("v1");
    let other = change(
        "kainuu",
        "v1",
        &[partition(Kind::Places, "290")],
        vec![record(Kind::Places, "290", "place-b", "P2")],
    );
    store.apply_region(&other).await.expect("own records");
    apply_files(&store, &files_one()).await.expect("files");
    assert_eq!(
        contents(&store, "kainuu").await,
        [
            "achievements/205/ach-a=M1",
            "organisations/205/org-a=O1",
            "places/205/place-a=P1",
            "places/290/place-b=P2",
            "services/205/svc-a=A1",
            "services/205/svc-ä=Ä1",
            "services/290/svc-c=C1",
        ]
    );
    for (kind, id, text) in [
        (Kind::Services, "svc-ä", "Ä1"),
        (Kind::Achievements, "ach-a", "M1"),
        (Kind::Organisations, "org-a", "O1"),
        (Kind::Places, "place-b", "P2"),
    ] {
        let partition = if id == "place-b" { "290" } else { "205" };
        assert_eq!(
            store.record("kainuu", kind, partition, id).await,
            Ok(Some(record(kind, partition, id, text).json)),
            "{id}"
        );
    }
    for (kind, partition, id) in [
        (Kind::Services, "205", "svc-b"),
        (Kind::Issuers, "205", "ach-a"),
        (Kind::Services, "290", "svc-a"),
    ] {
        assert_eq!(
            store.record("kainuu", kind, partition, id).await,
            Ok(None),
            "{kind:?} {partition} {id}"
        );
    }
    assert_eq!(store.regions().await.expect("regions")[0].version, "f1");
}

/// A change whose records are in a file that is not staged (another tab
/// dropped it) fails whole and leaves the region as it was.
pub async fn a_change_refers_only_to_staged_files<H: Harness>(h: &H) {
    let store = open_current(h).await;
    store.apply_region(&version_one()).await.expect("v1");
    let before = contents(&store, "kainuu").await;
    let (change, mut texts) = files_one();
    texts.retain(|(sha, _)| sha != "sha-org-205");
    assert!(apply_files(&store, &(change, texts)).await.is_err());
    assert_eq!(contents(&store, "kainuu").await, before);
    assert_eq!(store.regions().await.expect("regions")[0].version, "v1");
}

/// Issue 13: a sync starts a region's change right after its last files'
/// staging, without waiting for the staging to commit. The change finds
/// them all the same: storage runs the two in the order they started, so
/// the staging must start its transaction when first polled.
pub async fn a_change_started_before_its_staging_commits_finds_its_files<H: Harness>(h: &H) {
    use std::future::Future;
    use std::task::Poll;
    let store = open_current(h).await;
    let (change, texts) = files_one();
    let mut staging = std::pin::pin!(store.stage_files(&texts));
    let mut applying = std::pin::pin!(store.apply_region(&change));
    let (mut staged, mut applied) = (None, None);
    std::future::poll_fn(|cx| {
        if staged.is_none() {
            if let Poll::Ready(result) = staging.as_mut().poll(cx) {
                staged = Some(result);
            }
        }
        if applied.is_none() {
            if let Poll::Ready(result) = applying.as_mut().poll(cx) {
                applied = Some(result);
            }
        }
        if staged.is_some() && applied.is_some() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
    assert_eq!(staged, Some(Ok(())));
    assert_eq!(applied, Some(Ok(())));
    assert_eq!(
        contents(&store, "kainuu").await,
        [
            "achievements/205/ach-a=M1",
            "organisations/205/org-a=O1",
            "services/205/svc-a=A1",
            "services/205/svc-ä=Ä1",
        ]
    );
}

/// Keeping only some staged files never drops one that holds a stored
/// region's records, whatever the caller asks to keep.
pub async fn staged_files_holding_records_are_kept<H: Harness>(h: &H) {
    let store = open_current(h).await;
    apply_files(&store, &files_one()).await.expect("files");
    store.stage_file("sha-other", "{}").await.expect("stage");
    store.retain_staged(&BTreeSet::new()).await.expect("retain");
    let kept: Vec<String> = store
        .staged_hashes()
        .await
        .expect("hashes")
        .into_iter()
        .collect();
    assert_eq!(kept, ["sha-org-205", "sha-svc-205"]);
    assert_eq!(contents(&store, "kainuu").await.len(), 4);
    // Once the region is gone, so may its files be.
    store.remove_region("kainuu").await.expect("remove");
    store.retain_staged(&BTreeSet::new()).await.expect("retain");
    assert_eq!(store.staged_hashes().await, Ok(BTreeSet::new()));
}

/// Clearing a file's partition drops the records it held (the
/// organisations file's achievements with it), and removing the region
/// drops them all.
pub async fn a_file_partition_is_cleared_and_removed_with_its_region<H: Harness>(h: &H) {
    let store = open_current(h).await;
    apply_files(&store, &files_one()).await.expect("files");
    let v2 = change(
        "kainuu",
        "f2",
        &[
            partition(Kind::Organisations, "205"),
            partition(Kind::Achievements, "205"),
            partition(Kind::Issuers, "205"),
        ],
        vec![record(Kind::Organisations, "205", "org-b", "O2")],
    );
    store.apply_region(&v2).await.expect("v2");
    assert_eq!(
        contents(&store, "kainuu").await,
        [
            "organisations/205/org-b=O2",
            "services/205/svc-a=A1",
            "services/205/svc-ä=Ä1",
        ]
    );
    assert_eq!(
        store
            .record("kainuu", Kind::Achievements, "205", "ach-a")
            .await,
        Ok(None)
    );
    store.remove_region("kainuu").await.expect("remove");
    assert_eq!(store.records("kainuu").await, Ok(Vec::new()));
    assert_eq!(
        store.record("kainuu", Kind::Services, "205", "svc-a").await,
        Ok(None)
    );
}

async fn as_stored<S: Store>(store: &S, region: &str) -> Vec<StoredRecord> {
    store
        .records(region)
        .await
        .expect("records")
        .into_iter()
        .map(crate::LoadedRecord::into_stored)
        .collect()
}

/// Verified downloads are kept across a restart, so a sync resumes without
/// fetching them again, until a sync keeps only those of stored versions.
pub async fn staged_files_survive_reopening_until_dropped<H: Harness>(h: &H) {
    {
        let store = open_current(h).await;
        store
            .stage_file("aaa", "{\"first\":1}")
            .await
            .expect("stage");
        store.stage_file("bbb", "{}").await.expect("stage");
    }
    let store = open_current(h).await;
    assert_eq!(
        store.staged_file("aaa").await,
        Ok(Some("{\"first\":1}".to_owned()))
    );
    assert_eq!(store.staged_file("zzz").await, Ok(None));
    assert_eq!(
        store.staged_hashes().await,
        Ok(["aaa", "bbb"].map(String::from).into())
    );
    // What a region's version still lists is kept; the rest is dropped.
    store
        .retain_staged(&["aaa", "zzz"].map(String::from).into())
        .await
        .expect("retain");
    assert_eq!(
        store.staged_hashes().await,
        Ok(["aaa"].map(String::from).into())
    );
    assert_eq!(store.staged_file("bbb").await, Ok(None));
    assert_eq!(
        store.staged_file("aaa").await,
        Ok(Some("{\"first\":1}".to_owned()))
    );
    store.retain_staged(&BTreeSet::new()).await.expect("clear");
    assert_eq!(store.staged_file("aaa").await, Ok(None));
}

/// Sync bookkeeping reads back.
pub async fn sync_meta_round_trips<H: Harness>(h: &H) {
    let store = open_current(h).await;
    assert_eq!(store.get_meta("etag").await, Ok(None));
    store.put_meta("etag", "\"abc\"").await.expect("put");
    assert_eq!(store.get_meta("etag").await, Ok(Some("\"abc\"".to_owned())));
}

/// An hours entry with delivery `delivery`, numbered `n`.
fn hour(n: u8, minutes: u32, delivery: Delivery) -> Record {
    Record {
        entry: Entry {
            id: uuid_v4([n; 16]),
            date: "2026-11-19".to_owned(),
            start: None,
            end: None,
            minutes,
            organisation: OrgRef {
                id: Some("kainuu-org-1".to_owned()),
                name: "Kajaanin Setlementti – Ystäväpiiri".to_owned(),
            },
            service: None,
            category: Category::PeerSupport,
            note: format!("Vuoro {n}: kahvit, bingo ja läksyapu"),
            created: "2026-11-19T18:00:00+02:00".to_owned(),
            modified: "2026-11-19T18:00:00+02:00".to_owned(),
        },
        delivery,
    }
}

fn membership() -> Membership {
    Membership {
        organisation_id: "kainuu-org-1".to_owned(),
        organisation_name: "Kajaanin Setlementti".to_owned(),
        endpoint: "https://inbox.example.fi/".to_owned(),
        token: "K7QM-4XPD-92HT".to_owned(),
        joined: "2026-11-19T18:00:00+02:00".to_owned(),
        refused: false,
        wait_until_ms: None,
    }
}

/// A kiosk's settings as the app stores them (the store keeps the text as
/// given; the app reads it with `KioskSettings::from_json`).
const KIOSK_JSON: &str = r#"{"place":"kylatalo-hyrynsalmi","langs":["Fi","Sv"],"idle_s":90,"warning_s":20,"pin":"sha256.000102030405060708090a0b0c0d0e0f.5bfdf0e64fc7806d2f24250b56e2eaba93fc562d3c555a13afb3ac44c8346596"}"#;

/// Writes three entries (one of each common state), a membership, a
/// setting, two badges and a cached status list: the personal data (and
/// the wallet's cache) the next tests expect to survive.
async fn write_personal_data<S: Store>(store: &S) -> Vec<Record> {
    let records = vec![
        hour(1, 90, Delivery::Local),
        hour(2, 120, Delivery::new(true, 5)),
        hour(3, 45, Delivery::Sent { at_ms: 7 }),
    ];
    store.put_hour_records(&records).await.expect("hours");
    store
        .put_membership(&membership())
        .await
        .expect("membership");
    store
        .put_setting(keys::LANGUAGE, "sv")
        .await
        .expect("setting");
    // A kiosk's settings are what lets it open straight into kiosk mode
    // after a reboot; a catalogue sync must never drop them.
    store
        .put_setting(keys::KIOSK, KIOSK_JSON)
        .await
        .expect("kiosk setting");
    store.add_badges(&wallet()).await.expect("badges");
    store
        .put_status_list(&status_list("a", "2026-11-20T08:00:00.000Z"))
        .await
        .expect("status list");
    records
}

/// Checks that everything [`write_personal_data`] wrote is there as written.
async fn assert_personal_data<S: Store>(store: &S, records: Vec<Record>) {
    assert_eq!(store.hour_records().await, Ok(records));
    assert_eq!(store.memberships().await, Ok(vec![membership()]));
    assert_eq!(
        store.get_setting(keys::LANGUAGE).await,
        Ok(Some("sv".to_owned()))
    );
    assert_eq!(
        store.get_setting(keys::KIOSK).await,
        Ok(Some(KIOSK_JSON.to_owned()))
    );
    assert!(
        talkoo_core::kiosk::KioskSettings::from_json(KIOSK_JSON).is_some(),
        "the fixture is settings the app accepts"
    );
    assert_eq!(store.badges().await, Ok(wallet()));
    assert_eq!(
        store.status_lists().await,
        Ok(vec![status_list("a", "2026-11-20T08:00:00.000Z")])
    );
}

/// A badge numbered `n` (its id is `n` in 64 hex digits), added at
/// `added_at`, last checked at `checked` with the outcome `level`.
fn badge(n: u8, added_at: &str, checked: Option<(&str, Level)>) -> WalletBadge {
    WalletBadge {
        id: format!("{n:064x}"),
        added_at: added_at.to_owned(),
        format: Format::BakedPng,
        source: Source::Inbox,
        original: "iVBORw0KGgo=".to_owned(),
        summary: BadgeSummary {
            name: [
                ("fi".to_owned(), format!("Ystäväpiirin vapaaehtoinen {n}")),
                ("se".to_owned(), "Eaktodáhtolaš".to_owned()),
            ]
            .into_iter()
            .collect(),
            issuer_id: "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK".to_owned(),
            issuer_name: Some("Kajaanin Setlementti".to_owned()),
            ..BadgeSummary::default()
        },
        report: checked.map(|(at, level)| {
            Report::new(
                vec![Check {
                    kind: CheckKind::Status,
                    level,
                    code: "status-checked".to_owned(),
                    args: vec![("date".to_owned(), at.to_owned())],
                }],
                at.to_owned(),
                Some(at.to_owned()),
            )
        }),
    }
}

const ADDED: &str = "2026-11-19T18:00:00.000Z";
const LATER: &str = "2026-11-20T18:00:00.000Z";

/// Two badges, in id order as the store lists them.
fn wallet() -> Vec<WalletBadge> {
    vec![
        badge(1, ADDED, Some((ADDED, Level::Valid))),
        badge(2, LATER, None),
    ]
}

/// A status list fetched from an address ending in `name`.
fn status_list(name: &str, fetched_at: &str) -> CachedStatusList {
    CachedStatusList {
        url: format!("https://badges.example.fi/status/{name}"),
        fetched_at: fetched_at.to_owned(),
        body: format!("{{\"id\":\"{name}\",\"encodedList\":\"H4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA\"}}"),
    }
}

/// A new database has no hours and no memberships.
pub async fn hours_start_empty<H: Harness>(h: &H) {
    let store = open_current(h).await;
    assert_eq!(store.hour_records().await, Ok(Vec::new()));
    assert_eq!(store.memberships().await, Ok(Vec::new()));
}

/// An entry written is read back whole, after reopening too.
pub async fn hour_records_round_trip<H: Harness>(h: &H) {
    let record = hour(1, 90, Delivery::Local);
    {
        let store = open_current(h).await;
        let stored = store
            .update_hour_record(&record.entry.id, |_| Change::Put(Box::new(record.clone())))
            .await;
        assert_eq!(stored, Ok(Some(record.clone())));
    }
    let store = open_current(h).await;
    assert_eq!(store.hour_records().await, Ok(vec![record]));
}

/// The update reads what is stored, and its decision is what gets written:
/// keep, replace or delete.
pub async fn hour_update_reads_then_decides<H: Harness>(h: &H) {
    let store = open_current(h).await;
    let record = hour(1, 90, Delivery::new(true, 0));
    let id = record.entry.id.clone();
    let missing = store
        .update_hour_record(&id, |current| {
            assert_eq!(current, None);
            Change::Keep
        })
        .await;
    assert_eq!(missing, Ok(None));
    store
        .put_hour_records(std::slice::from_ref(&record))
        .await
        .expect("put");
    let sent = Record {
        delivery: Delivery::Sent { at_ms: 9 },
        ..record.clone()
    };
    let after = store
        .update_hour_record(&id, |current| {
            assert_eq!(current.as_ref(), Some(&record));
            Change::Put(Box::new(sent.clone()))
        })
        .await;
    assert_eq!(after, Ok(Some(sent.clone())));
    let kept = store.update_hour_record(&id, |_| Change::Keep).await;
    assert_eq!(kept, Ok(Some(sent)));
    assert_eq!(
        store.update_hour_record(&id, |_| Change::Delete).await,
        Ok(None)
    );
    assert_eq!(store.hour_records().await, Ok(Vec::new()));
}

/// Several entries go in together, and writing an id again replaces it
/// instead of adding a second copy.
pub async fn hour_records_are_written_together<H: Harness>(h: &H) {
    let store = open_current(h).await;
    let records = write_personal_data(&store).await;
    let mut again = records.clone();
    again[0].entry.minutes = 30;
    store.put_hour_records(&again).await.expect("again");
    let mut expected = again;
    expected.sort_by(|a, b| a.entry.id.cmp(&b.entry.id));
    assert_eq!(store.hour_records().await, Ok(expected));
}

/// Issue 9: settling a conflict by keeping both sides writes the entry and
/// its new twin in the same transaction, decided on what is stored.
pub async fn hour_update_can_add_entries_beside_it<H: Harness>(h: &H) {
    let store = open_current(h).await;
    let record = hour(1, 90, Delivery::Local);
    store
        .put_hour_records(std::slice::from_ref(&record))
        .await
        .expect("put");
    let theirs = Record {
        delivery: Delivery::Sent { at_ms: 3 },
        ..record.clone()
    };
    let mine = hour(2, 60, Delivery::new(true, 3));
    let after = store
        .update_hour_record(&record.entry.id, |current| {
            assert_eq!(current.as_ref(), Some(&record));
            Change::PutWith(Box::new(theirs.clone()), vec![mine.clone()])
        })
        .await;
    assert_eq!(after, Ok(Some(theirs.clone())));
    assert_eq!(store.hour_records().await, Ok(vec![theirs, mine]));
}

/// Issue 9: joining writes the membership and queues the entries the
/// closure picks, deciding on the stored entries, in one transaction; the
/// entries it leaves alone are untouched.
pub async fn join_writes_the_membership_and_queues_in_one_go<H: Harness>(h: &H) {
    let store = open_current(h).await;
    let local = hour(1, 90, Delivery::Local);
    let sent = hour(2, 30, Delivery::Sent { at_ms: 1 });
    store
        .put_hour_records(&[local.clone(), sent.clone()])
        .await
        .expect("put");
    let mut seen = Vec::new();
    let changed = store
        .join_inbox(&membership(), |r| {
            seen.push(r.entry.id.clone());
            (r.delivery == Delivery::Local).then(|| Record {
                delivery: Delivery::new(true, 5),
                ..r.clone()
            })
        })
        .await
        .expect("join");
    assert_eq!(seen.len(), 2, "every stored entry is offered");
    let queued = Record {
        delivery: Delivery::new(true, 5),
        ..local
    };
    assert_eq!(changed, vec![queued.clone()]);
    assert_eq!(store.hour_records().await, Ok(vec![queued, sent]));
    assert_eq!(store.memberships().await, Ok(vec![membership()]));
}

/// A membership is kept by organisation, replaced by a new code, and left.
pub async fn memberships_round_trip<H: Harness>(h: &H) {
    let store = open_current(h).await;
    store.put_membership(&membership()).await.expect("put");
    let renewed = Membership {
        token: "AAAA-BBBB-CCCC".to_owned(),
        ..membership()
    };
    store.put_membership(&renewed).await.expect("renew");
    assert_eq!(store.memberships().await, Ok(vec![renewed]));
    store
        .delete_membership("kainuu-org-1")
        .await
        .expect("leave");
    assert_eq!(store.memberships().await, Ok(Vec::new()));
}

/// Issue 13: the shell loads the badges module at start only when an
/// inbox takes the volunteer's hours, and asks without reading whole
/// memberships: none, a refused one, then one that takes them.
pub async fn sends_hours_while_an_inbox_takes_them<H: Harness>(h: &H) {
    let store = open_current(h).await;
    assert_eq!(store.sends_hours().await, Ok(false));
    let refused = Membership {
        refused: true,
        ..membership()
    };
    store.put_membership(&refused).await.expect("refused");
    assert_eq!(store.sends_hours().await, Ok(false));
    store
        .put_membership(&Membership {
            organisation_id: "kainuu-org-2".to_owned(),
            ..membership()
        })
        .await
        .expect("joined");
    assert_eq!(store.sends_hours().await, Ok(true));
}

/// Applying and removing catalogue regions leaves hours, memberships,
/// settings, badges and cached status lists exactly as they were.
pub async fn catalogue_sync_never_touches_personal_data<H: Harness>(h: &H) {
    let store = open_current(h).await;
    let records = write_personal_data(&store).await;
    store.apply_region(&version_one()).await.expect("apply");
    store.remove_region("kainuu").await.expect("remove");
    store.retain_staged(&BTreeSet::new()).await.expect("clear");
    assert_personal_data(&store, records).await;
}

/// The migration test the hours issue asks for: a database written by this
/// schema version, opened by a next version that drops and recreates every
/// catalogue store, still has every entry, membership, setting and badge,
/// and the status lists cached for the badges.
pub async fn personal_data_survives_a_catalogue_schema_change<H: Harness>(h: &H) {
    let records = {
        let store = open_current(h).await;
        store.apply_region(&version_one()).await.expect("apply");
        write_personal_data(&store).await
    };
    let next = schema::with_catalogue_rebuild();
    let store = h
        .open_with("talkoo-suite", SCHEMA_VERSION + 1, &next)
        .await
        .expect("upgrade");
    assert_eq!(store.schema_version(), SCHEMA_VERSION + 1);
    // The catalogue really was rebuilt, so the test can fail.
    assert_eq!(store.regions().await, Ok(Vec::new()));
    assert_personal_data(&store, records).await;
}

/// A new database has an empty wallet and no cached status lists.
pub async fn wallet_starts_empty<H: Harness>(h: &H) {
    let store = open_current(h).await;
    assert_eq!(store.badges().await, Ok(Vec::new()));
    assert_eq!(store.badge(&format!("{:064x}", 1)).await, Ok(None));
    assert_eq!(store.status_lists().await, Ok(Vec::new()));
}

/// A badge added is read back whole, alone and in the list, after
/// reopening too; deleting it removes it, and deleting twice is harmless.
pub async fn badge_round_trips_and_deletes<H: Harness>(h: &H) {
    let [first, second] = <[WalletBadge; 2]>::try_from(wallet()).expect("two badges");
    {
        let store = open_current(h).await;
        // Added in the other order, listed by id.
        assert_eq!(store.add_badge(&second).await, Ok(Some(second.clone())));
        assert_eq!(store.add_badge(&first).await, Ok(Some(first.clone())));
    }
    let store = open_current(h).await;
    assert_eq!(store.badges().await, Ok(wallet()));
    assert_eq!(store.badge(&second.id).await, Ok(Some(second.clone())));
    store.delete_badge(&first.id).await.expect("delete");
    store.delete_badge(&first.id).await.expect("delete again");
    assert_eq!(store.badge(&first.id).await, Ok(None));
    assert_eq!(store.badges().await, Ok(vec![second]));
}

/// Adding a badge the wallet holds keeps one entry: a newer report
/// replaces the stored one, an older one changes nothing, and `added_at`
/// stays the first; a list naming one id twice writes it once.
pub async fn adding_a_badge_again_keeps_one_entry<H: Harness>(h: &H) {
    let store = open_current(h).await;
    let first = badge(1, ADDED, Some((ADDED, Level::Valid)));
    store.add_badge(&first).await.expect("add");
    // Checked again the next day: revoked meanwhile.
    let revoked = badge(1, LATER, Some((LATER, Level::Invalid)));
    let expected = badge(1, ADDED, Some((LATER, Level::Invalid)));
    assert_eq!(store.add_badge(&revoked).await, Ok(Some(expected.clone())));
    // The first copy again (a second tap, an old backup): no change.
    assert_eq!(store.add_badge(&first).await, Ok(Some(expected.clone())));
    assert_eq!(store.badges().await, Ok(vec![expected.clone()]));
    // A list with a new badge twice and the stored one.
    let merge = store
        .add_badges(&[
            badge(2, LATER, None),
            first,
            badge(2, ADDED, Some((LATER, Level::Warning))),
        ])
        .await
        .expect("add a list");
    assert_eq!(
        (merge.added, merge.updated, merge.unchanged),
        (1, 0, 1),
        "added, updated, unchanged"
    );
    let second = badge(2, ADDED, Some((LATER, Level::Warning)));
    assert_eq!(merge.write, vec![second.clone()]);
    assert_eq!(store.badges().await, Ok(vec![expected, second]));
}

/// A fetched status list is kept by address, replaced by a newer fetch of
/// the same address, listed by address, and kept across a restart.
pub async fn status_lists_are_cached_by_address<H: Harness>(h: &H) {
    {
        let store = open_current(h).await;
        for list in [
            status_list("b", ADDED),
            status_list("a", ADDED),
            status_list("b", LATER),
        ] {
            store.put_status_list(&list).await.expect("put");
        }
    }
    let store = open_current(h).await;
    let b = status_list("b", LATER);
    assert_eq!(store.status_list(&b.url).await, Ok(Some(b.clone())));
    assert_eq!(
        store
            .status_list("https://badges.example.fi/status/never")
            .await,
        Ok(None)
    );
    assert_eq!(
        store.status_lists().await,
        Ok(vec![status_list("a", ADDED), b])
    );
}

/// The wallet's migration (version 4) keeps everything personal that
/// versions 1 to 3 wrote, each at its own version, and the new stores work
/// at once.
pub async fn the_wallet_migration_keeps_what_versions_1_to_3_wrote<H: Harness>(h: &H) {
    let name = "talkoo-wallet-upgrade";
    {
        let store = h.open(name, 1).await.expect("open at version 1");
        store.put_setting(keys::LANGUAGE, "sv").await.expect("put");
    }
    {
        let store = h.open(name, 2).await.expect("open at version 2");
        store.apply_region(&version_one()).await.expect("apply");
    }
    let records = vec![
        hour(1, 90, Delivery::Local),
        hour(3, 45, Delivery::Sent { at_ms: 7 }),
    ];
    {
        let store = h.open(name, 3).await.expect("open at version 3");
        store.put_hour_records(&records).await.expect("hours");
        store.put_membership(&membership()).await.expect("join");
    }
    let store = h.open(name, 4).await.expect("upgrade to version 4");
    assert_eq!(store.schema_version(), 4);
    assert_eq!(
        store.get_setting(keys::LANGUAGE).await,
        Ok(Some("sv".to_owned()))
    );
    assert_eq!(store.hour_records().await, Ok(records));
    assert_eq!(store.memberships().await, Ok(vec![membership()]));
    assert_eq!(contents(&store, "kainuu").await.len(), 4);
    assert_eq!(store.badges().await, Ok(Vec::new()));
    store
        .add_badges(&wallet())
        .await
        .expect("badges at version 4");
    assert_eq!(store.badges().await, Ok(wallet()));
}
