//! Passing the catalogue on from one device to another (issue 12): a device exports the publisher's own files, so the bundle it writes is the feed tool's byte for byte and another device imports it against the publisher's key (docs/feed.md, "Passing the information on").
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::collections::BTreeSet;

use pollster::block_on;
use support::{
    bundle_of, demo_key, publish_change, published, store, sync_from, FakeClock, Net, NOW,
};
use talkoo_core::export::NotReady;
use talkoo_engine::export::{export_bundle, Export, ExportError};
use talkoo_engine::import::{import_bundle, Bundle};
use talkoo_engine::sync::meta;
use talkoo_store::{keys, MemoryStore, Store};

const T1: &str = "2026-12-01T00:00:00Z";
const T2: &str = "2026-12-02T00:00:00Z";

fn export(store: &MemoryStore) -> Result<Export, ExportError> {
    block_on(export_bundle(store))
}

/// The bundle as the app writes it and the next device reads it.
fn through_file(bundle: &Bundle) -> Bundle {
    let files: Vec<(String, Vec<u8>)> = bundle
        .files
        .iter()
        .map(|(p, b)| (p.clone(), b.clone()))
        .collect();
    let bytes = talkoo_bundle::write_bundle(&bundle.manifest, bundle.signature.as_deref(), &files)
        .expect("written");
    let read = talkoo_bundle::read_bundle(&bytes).expect("reads");
    Bundle {
        manifest: read.manifest_bytes,
        signature: read.signature,
        files: read.files,
    }
}

/// Imports `bundle` into a fresh device that has never been online and
/// knows the publisher's key only from its build.
fn import_fresh(bundle: Bundle) -> MemoryStore {
    let fresh = store();
    let pins = [demo_key().public().id()];
    let outcome = block_on(import_bundle(
        &fresh,
        &Net::new(),
        &FakeClock::at(NOW),
        &pins,
        bundle,
        &mut |_| {},
    ))
    .expect("imported");
    assert!(!outcome.applied.is_empty());
    fresh
}

#[test]
fn a_synced_device_passes_its_regions_on_as_the_feed_tool_would() {
    let dir = published(T1);
    let phone = store();
    sync_from(&phone, &dir.0, &["kainuu", "meri-lappi"]);
    let made = export(&phone).expect("exported");
    assert_eq!(made.ready, vec!["kainuu", "meri-lappi"]);
    assert!(made.not_ready.is_empty());
    assert_eq!(made.bundle, bundle_of(&dir.0, &["kainuu", "meri-lappi"]));

    // The next phone, offline, takes it, and can pass it on in turn.
    let second = import_fresh(through_file(&made.bundle));
    assert_eq!(
        block_on(second.regions()).expect("regions"),
        block_on(phone.regions()).expect("regions")
    );
    let again = export(&second).expect("passed on again");
    assert_eq!(again.bundle, made.bundle);
}

#[test]
fn a_region_updated_from_a_delta_is_passed_on_once_its_files_are_kept_whole() {
    let dir = published(T1);
    let phone = store();
    sync_from(&phone, &dir.0, &["kainuu", "meri-lappi"]);
    publish_change(&dir.0, T2);
    let asked = sync_from(&phone, &dir.0, &["kainuu", "meri-lappi"]);
    assert!(
        asked.iter().any(|u| u.contains("/delta-")),
        "the update came as a delta: {asked:?}"
    );
    // Only the kept files of the stored versions stay: no delta.
    let kept = block_on(phone.staged_hashes()).expect("kept");
    let listed: BTreeSet<String> = block_on(phone.regions())
        .expect("regions")
        .into_iter()
        .flat_map(|r| r.files.into_values())
        .collect();
    assert!(kept.is_subset(&listed), "{kept:?}");
    let made = export(&phone).expect("meri-lappi is whole");
    assert_eq!(made.ready, vec!["meri-lappi"]);
    assert_eq!(
        made.not_ready,
        vec![("kainuu".to_owned(), NotReady::NotWhole)]
    );

    // Keeping files whole downloads the changed file, and nothing else.
    block_on(phone.put_setting(keys::KEEP_WHOLE, "true")).expect("setting");
    let asked = sync_from(&phone, &dir.0, &["kainuu", "meri-lappi"]);
    let files: Vec<&String> = asked.iter().filter(|u| !u.contains("manifest")).collect();
    assert_eq!(files.len(), 1, "{asked:?}");
    assert!(files[0].contains("/kainuu/services-"), "{asked:?}");
    let made = export(&phone).expect("exported");
    assert_eq!(made.ready, vec!["kainuu", "meri-lappi"]);
    assert_eq!(made.bundle, bundle_of(&dir.0, &["kainuu", "meri-lappi"]));
    import_fresh(through_file(&made.bundle));

    // With files kept whole, the next update skips the delta.
    publish_change(&dir.0, "2026-12-03T00:00:00Z");
    let asked = sync_from(&phone, &dir.0, &["kainuu", "meri-lappi"]);
    assert!(!asked.iter().any(|u| u.contains("/delta-")), "{asked:?}");
    assert_eq!(export(&phone).expect("exported").not_ready, Vec::new());
}

#[test]
fn a_device_without_a_catalogue_or_a_signature_has_nothing_to_pass_on() {
    assert_eq!(export(&store()), Err(ExportError::NoCatalogue));

    // A manifest stored before signatures were stored beside it is
    // fetched again by the next sync rather than answered by a 304.
    let dir = published(T1);
    let phone = store();
    sync_from(&phone, &dir.0, &["kainuu"]);
    block_on(phone.put_meta(meta::SIGNATURE, "")).expect("meta");
    assert_eq!(export(&phone), Err(ExportError::Unsigned));
    assert_eq!(ExportError::Unsigned.message_key(), "export-error-unsigned");
    sync_from(&phone, &dir.0, &["kainuu"]);
    assert_eq!(export(&phone).expect("signed").ready, vec!["kainuu"]);
}
