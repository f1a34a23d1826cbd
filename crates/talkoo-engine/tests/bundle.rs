//! Importing `.talkoo` bundles made by the feed tool: checked against keys already pinned, verified whole before anything is written, never replacing newer data, and leaving the pins and personal data as they were (docs/feed.md, "Bundles").
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::collections::BTreeSet;

use pollster::block_on;
use support::{
    build, bundle_of, demo_key, demo_source, entry, key, publish_change, published, store,
    sync_from, FakeClock, Net, TempDir, CHANGED, NOW,
};
use talkoo_core::hours::outbox::{Delivery, Record};
use talkoo_core::import::Refusal as Older;
use talkoo_core::pinning::Refusal;
use talkoo_core::sync::StoredRegion;
use talkoo_engine::catalogue;
use talkoo_engine::import::{import_bundle, Bundle, ImportError, ImportOutcome};
use talkoo_engine::sync::{meta, Progress, SyncError};
use talkoo_store::{keys, LoadedRecord, MemoryStore, Store};

const T1: &str = "2026-12-01T00:00:00Z";
const T2: &str = "2026-12-02T00:00:00Z";

fn demo_id() -> String {
    demo_key().public().id()
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|id| (*id).to_owned()).collect()
}

/// Imports `bundle` with a network that answers nothing: an import sends
/// no request, so any request would fail it.
fn import(
    store: &MemoryStore,
    bundle: Bundle,
    build_pins: &[String],
) -> Result<ImportOutcome, ImportError> {
    let net = Net::new();
    let result = block_on(import_bundle(
        store,
        &net,
        &FakeClock::at(NOW),
        build_pins,
        bundle,
        &mut |_| {},
    ));
    assert_eq!(
        net.urls(),
        Vec::<String>::new(),
        "an import asks the network"
    );
    result
}

/// Everything on the device an import may touch, with the pins and the
/// manifest as their stored text, so "the same" means byte for byte.
#[derive(Debug, PartialEq)]
struct Snapshot {
    regions: Vec<StoredRegion>,
    records: Vec<LoadedRecord>,
    manifest: Option<String>,
    etag: Option<String>,
    pins: Option<String>,
    subscription: Option<String>,
    personal: Personal,
}

/// The personal data no import may touch.
#[derive(Debug, PartialEq)]
struct Personal {
    language: Option<String>,
    hours: Vec<Record>,
}

fn snapshot(store: &MemoryStore) -> Snapshot {
    let regions = block_on(store.regions()).expect("regions");
    // In key order: records kept in files and records of their own (a
    // delta's) are listed apart.
    let mut records: Vec<LoadedRecord> = regions
        .iter()
        .flat_map(|r| block_on(store.records(&r.id)).expect("records"))
        .collect();
    records.sort_by(|a, b| (a.kind, &a.partition, &a.id).cmp(&(b.kind, &b.partition, &b.id)));
    let meta = |key| block_on(store.get_meta(key)).expect("meta");
    Snapshot {
        regions,
        records,
        manifest: meta(meta::MANIFEST),
        etag: meta(meta::ETAG),
        pins: meta(meta::PINS),
        subscription: block_on(store.get_setting(keys::REGIONS)).expect("setting"),
        personal: personal(store),
    }
}

fn personal(store: &MemoryStore) -> Personal {
    Personal {
        language: block_on(store.get_setting(keys::LANGUAGE)).expect("setting"),
        hours: block_on(store.hour_records()).expect("hours"),
    }
}

/// A volunteer's language and one entry of hours, which imports must keep.
fn add_personal_data(store: &MemoryStore) {
    block_on(store.put_setting(keys::LANGUAGE, "sv")).expect("setting");
    let record = Record {
        entry: entry(1, "org-a", 90),
        delivery: Delivery::Local,
    };
    block_on(store.put_hour_records(&[record])).expect("hours");
}

/// Each stored region's id and version.
fn versions(store: &MemoryStore) -> Vec<(String, String)> {
    block_on(store.regions())
        .expect("regions")
        .into_iter()
        .map(|r| (r.id, r.version))
        .collect()
}

/// The region and version of each stored region's snapshot, as read back
/// from its bytes; a region without one is left out.
fn snapshot_versions(store: &MemoryStore) -> Vec<(String, String)> {
    versions(store)
        .into_iter()
        .filter_map(|(id, _)| block_on(store.snapshot(&id)).expect("read"))
        .map(|bytes| {
            let s = talkoo_core::snapshot::RegionSnapshot::decode(&bytes).expect("reads back");
            (s.region, s.version)
        })
        .collect()
}

fn summary_of(store: &MemoryStore, id: &str) -> Option<String> {
    let loaded = block_on(catalogue::load(store, &set(&["kainuu"])));
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    loaded
        .catalogue
        .services
        .iter()
        .find(|s| s.id == id)
        .and_then(|s| s.summary.get("fi").cloned())
}

/// Imports a bundle that must be refused for `expected`, with the message
/// `key`, and checks that nothing on the device changed.
fn check_refused(
    store: &MemoryStore,
    bundle: Bundle,
    build_pins: &[String],
    expected: ImportError,
    key: &str,
) {
    let before = snapshot(store);
    let error = import(store, bundle, build_pins).expect_err("refused");
    assert_eq!(error, expected);
    assert_eq!(error.message_key(), key);
    assert_eq!(snapshot(store), before);
}

#[test]
fn a_bundle_fills_a_fresh_device_with_a_build_pin_and_chooses_its_regions() {
    let dir = published(T1);
    let store = store();
    add_personal_data(&store);
    let bundle = bundle_of(&dir.0, &["kainuu", "meri-lappi"]);
    let manifest_bytes = bundle.manifest.clone();
    let outcome = import(&store, bundle, &[demo_id()]).expect("imported");

    assert_eq!(outcome.applied, vec!["kainuu", "meri-lappi"]);
    assert_eq!(outcome.subscribed, set(&["kainuu", "meri-lappi"]));
    assert_eq!(outcome.note_key(), None);
    assert_eq!(
        snapshot_versions(&store),
        versions(&store),
        "each region's snapshot is stored"
    );
    // The records are stored, and the first run's picker is skipped.
    let loaded = block_on(catalogue::load(&store, &outcome.subscribed));
    assert!(loaded.errors.is_empty());
    assert!(loaded.catalogue.services.len() > 10);
    assert_eq!(
        block_on(catalogue::subscription(&store)),
        Ok(Some(set(&["kainuu", "meri-lappi"])))
    );
    // The manifest is stored as the bundle had it; the build's pin is not
    // written, nor anything personal touched.
    let after = snapshot(&store);
    assert_eq!(
        after.manifest.as_deref().map(str::as_bytes),
        Some(&manifest_bytes[..])
    );
    assert_eq!(after.pins, None);
    assert_eq!(after.personal.language.as_deref(), Some("sv"));
    assert_eq!(after.personal.hours.len(), 1);
    // The information is as old as the bundle, not "never downloaded".
    assert_eq!(
        block_on(store.get_meta(meta::LAST_SUCCESS)),
        Ok(Some("1796083200000".to_owned()))
    );

    // The same bundle again writes nothing.
    let again = import(
        &store,
        bundle_of(&dir.0, &["kainuu", "meri-lappi"]),
        &[demo_id()],
    )
    .expect("again");
    assert_eq!(again.applied, Vec::<String>::new());
    assert_eq!(again.unchanged, vec!["kainuu", "meri-lappi"]);
    assert_eq!(again.bytes, 0);
    assert_eq!(snapshot(&store), after);
}

#[test]
fn the_regions_applied_are_those_the_bundle_reader_calls_complete() {
    let dir = published(T1);
    let store = store();
    let mut bundle = bundle_of(&dir.0, &["kainuu", "meri-lappi"]);
    // A bundle missing one of Meri-Lappi's files carries Kainuu only.
    let manifest = support::manifest(&dir.0);
    let lapland = manifest
        .regions
        .iter()
        .find(|r| r.id == "meri-lappi")
        .expect("region");
    bundle.files.remove(&lapland.files[0].path);
    let reader = talkoo_bundle::Bundle {
        manifest_bytes: bundle.manifest.clone(),
        manifest: manifest.clone(),
        signature: bundle.signature.clone(),
        files: bundle.files.clone(),
    };
    assert_eq!(reader.complete_regions(), vec!["kainuu"]);
    let outcome = import(&store, bundle.clone(), &[demo_id()]).expect("imported");
    assert_eq!(outcome.applied, reader.complete_regions());

    // With no complete region, nothing is written.
    let kainuu = manifest
        .regions
        .iter()
        .find(|r| r.id == "kainuu")
        .expect("region");
    bundle.files.remove(&kainuu.files[0].path);
    let fresh = support::store();
    check_refused(
        &fresh,
        bundle,
        &[demo_id()],
        ImportError::Refused(Older::NoCompleteRegion),
        "bundle-error-incomplete",
    );
}

#[test]
fn a_key_pinned_by_an_earlier_network_sync_checks_a_bundle() {
    let dir = published(T1);
    let store = store();
    sync_from(&store, &dir.0, &["kainuu"]);
    let pins = snapshot(&store).pins;
    assert!(pins.is_some(), "the network sync pins the demo key");
    let outcome = import(&store, bundle_of(&dir.0, &["meri-lappi"]), &[]).expect("imported");
    assert_eq!(outcome.applied, vec!["meri-lappi"]);
    assert_eq!(outcome.subscribed, set(&["kainuu", "meri-lappi"]));
    let after = snapshot(&store);
    assert_eq!(after.pins, pins);
    assert_eq!(after.regions.len(), 2);
}

#[test]
fn with_nothing_pinned_a_bundle_cannot_be_checked_yet() {
    let dir = published(T1);
    let store = store();
    add_personal_data(&store);
    let not_pinned = ImportError::Sync(SyncError::Signature(Refusal::NothingPinned));
    check_refused(
        &store,
        bundle_of(&dir.0, &["kainuu"]),
        &[],
        not_pinned.clone(),
        "bundle-error-not-pinned",
    );
    // Not even an unsigned feed's bundle, which a network sync would take.
    let unsigned = TempDir::new("bundle-unsigned");
    let mut source = demo_source();
    source.signing_keys.clear();
    build(&source, &unsigned.0, T1);
    check_refused(
        &store,
        bundle_of(&unsigned.0, &["kainuu"]),
        &[],
        not_pinned,
        "bundle-error-not-pinned",
    );
}

#[test]
fn a_damaged_data_file_refuses_the_whole_bundle_and_the_old_data_stays() {
    let dir = published(T1);
    let store = store();
    sync_from(&store, &dir.0, &["kainuu"]);
    let card = publish_change(&dir.0, T2);
    let mut bundle = bundle_of(&dir.0, &["kainuu", "meri-lappi"]);
    // A byte of a file of the region applied last changes: Kainuu's new
    // data, applied first, must not be written either.
    let lapland = support::manifest(&dir.0)
        .regions
        .into_iter()
        .find(|r| r.id == "meri-lappi")
        .expect("region");
    let bytes = bundle.files.get_mut(&lapland.files[0].path).expect("file");
    let at = bytes.iter().position(|b| *b == b'a').expect("an a");
    bytes[at] = b'b';
    let before = snapshot(&store);
    let error = import(&store, bundle, &[]).expect_err("refused");
    assert!(
        matches!(error, ImportError::Sync(SyncError::Feed(_))),
        "{error:?}"
    );
    assert_eq!(error.message_key(), "bundle-error-damaged");
    assert_eq!(snapshot(&store), before);
    assert_ne!(summary_of(&store, &card).as_deref(), Some(CHANGED));
}

#[test]
fn a_manifest_changed_by_one_byte_is_refused() {
    let dir = published(T1);
    let store = store();
    sync_from(&store, &dir.0, &["kainuu"]);
    publish_change(&dir.0, T2);
    let mut bundle = bundle_of(&dir.0, &["kainuu"]);
    let at = bundle
        .manifest
        .iter()
        .position(|b| *b == b' ')
        .expect("a space");
    bundle.manifest[at] = b'\t';
    check_refused(
        &store,
        bundle,
        &[],
        ImportError::Sync(SyncError::Signature(Refusal::BadSignature(demo_id()))),
        "bundle-error-signature",
    );
}

#[test]
fn an_unsigned_bundle_is_refused() {
    let dir = published(T1);
    let store = store();
    sync_from(&store, &dir.0, &["kainuu"]);
    publish_change(&dir.0, T2);
    let mut bundle = bundle_of(&dir.0, &["kainuu"]);
    bundle.signature = None;
    check_refused(
        &store,
        bundle,
        &[],
        ImportError::Sync(SyncError::Signature(Refusal::Unsigned)),
        "bundle-error-signature",
    );
}

#[test]
fn a_bundle_signed_by_another_key_is_refused() {
    let dir = published(T1);
    let store = store();
    sync_from(&store, &dir.0, &["kainuu"]);
    publish_change(&dir.0, T2);
    let mut bundle = bundle_of(&dir.0, &["kainuu"]);
    let other = talkoo_bundle::sign_manifest(&bundle.manifest, &[&key(7)]);
    bundle.signature = Some(other.into_bytes());
    check_refused(
        &store,
        bundle.clone(),
        &[],
        ImportError::Sync(SyncError::Signature(Refusal::UnknownKey)),
        "bundle-error-signature",
    );
    // A build that lists another key replaces what the device learnt
    // (rule 5), so the demo key's bundle is refused under it too.
    let demo_signed = bundle_of(&dir.0, &["kainuu"]);
    check_refused(
        &store,
        demo_signed,
        &[key(5).public().id()],
        ImportError::Sync(SyncError::Signature(Refusal::UnknownKey)),
        "bundle-error-signature",
    );
}

#[test]
fn an_older_bundle_never_replaces_newer_data() {
    let dir = published(T1);
    let old = bundle_of(&dir.0, &["kainuu", "meri-lappi"]);
    let old_kainuu = bundle_of(&dir.0, &["kainuu"]);
    let card = publish_change(&dir.0, T2);
    let store = store();
    add_personal_data(&store);
    sync_from(&store, &dir.0, &["kainuu"]);
    assert_eq!(summary_of(&store, &card).as_deref(), Some(CHANGED));

    check_refused(
        &store,
        old_kainuu,
        &[],
        ImportError::Refused(Older::Older),
        "bundle-error-older",
    );

    // An older bundle may still fill a region the device lacks; the
    // region it would replace, and the newer manifest, stay.
    let before = snapshot(&store);
    let outcome = import(&store, old, &[]).expect("partly imported");
    assert_eq!(outcome.applied, vec!["meri-lappi"]);
    assert_eq!(outcome.older, vec!["kainuu"]);
    assert_eq!(outcome.note_key(), Some("bundle-note-older"));
    assert_eq!(outcome.manifest.generated, T2);
    let after = snapshot(&store);
    assert_eq!(summary_of(&store, &card).as_deref(), Some(CHANGED));
    assert_eq!(after.manifest, before.manifest);
    assert_eq!(after.pins, before.pins);
    assert_eq!(after.personal, before.personal);
    let kainuu = |s: &Snapshot| s.regions.iter().find(|r| r.id == "kainuu").cloned();
    assert_eq!(kainuu(&after), kainuu(&before));
}

#[test]
fn a_newer_bundle_writes_only_what_changed_like_a_sync() {
    let dir = published(T1);
    let store = store();
    add_personal_data(&store);
    sync_from(&store, &dir.0, &["kainuu"]);
    let old = support::manifest(&dir.0);
    let card = publish_change(&dir.0, T2);
    let new = support::manifest(&dir.0);
    let bundle = bundle_of(&dir.0, &["kainuu"]);
    let manifest_bytes = bundle.manifest.clone();
    let before = snapshot(&store);

    let net = Net::new();
    let mut progress = Vec::new();
    let outcome = block_on(import_bundle(
        &store,
        &net,
        &FakeClock::at(NOW),
        &[],
        bundle,
        &mut |p| progress.push(p),
    ))
    .expect("imported");

    // Only the files whose hash differs from the stored ones are read.
    let (old_region, new_region) = (&old.regions[0], &new.regions[0]);
    let changed: u64 = new_region
        .files
        .iter()
        .filter(|f| !old_region.files.iter().any(|o| o.sha256 == f.sha256))
        .map(|f| f.bytes)
        .sum();
    let whole: u64 = new_region.files.iter().map(|f| f.bytes).sum();
    assert!(changed > 0 && changed < whole / 4, "{changed} of {whole}");
    assert_eq!(outcome.applied, vec!["kainuu"]);
    assert_eq!(outcome.bytes, changed);
    assert_eq!(
        progress.last(),
        Some(&Progress {
            done: changed,
            total: changed
        })
    );
    assert_eq!(
        snapshot_versions(&store),
        versions(&store),
        "the changed region's snapshot is stored"
    );
    assert_eq!(summary_of(&store, &card).as_deref(), Some(CHANGED));

    // The result is what a network sync of the same feed stores, and the
    // newer manifest replaced the stored one; pins and personal data stay.
    let synced = support::store();
    sync_from(&synced, &published(T1).0, &["kainuu"]);
    sync_from(&synced, &dir.0, &["kainuu"]);
    let (after, network) = (snapshot(&store), snapshot(&synced));
    assert_eq!(after.regions, network.regions);
    assert_eq!(after.records, network.records);
    assert_eq!(
        after.manifest.as_deref().map(str::as_bytes),
        Some(&manifest_bytes[..])
    );
    assert_eq!(after.pins, before.pins);
    assert_eq!(after.etag, before.etag);
    assert_eq!(after.personal, before.personal);
}

#[test]
fn a_bundle_that_carries_the_delta_from_the_stored_version_uses_it() {
    let dir = published(T1);
    let store = store();
    sync_from(&store, &dir.0, &["kainuu"]);
    let stored_version = snapshot(&store).regions[0].version.clone();
    let card = publish_change(&dir.0, T2);
    let delta = support::manifest(&dir.0).regions[0]
        .deltas
        .iter()
        .find(|d| d.from == stored_version)
        .cloned()
        .expect("a delta from the stored version");
    let mut bundle = bundle_of(&dir.0, &["kainuu"]);
    let bytes = std::fs::read(dir.0.join(&delta.path)).expect("delta");
    bundle.files.insert(delta.path.clone(), bytes);
    let outcome = import(&store, bundle, &[]).expect("imported");
    assert_eq!(outcome.applied, vec!["kainuu"]);
    assert_eq!(outcome.bytes, delta.bytes, "the delta alone is read");
    assert_eq!(summary_of(&store, &card).as_deref(), Some(CHANGED));
}
