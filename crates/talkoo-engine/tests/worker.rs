//! The sync worker's exchange (issue 13): a posted request answered with progress and one outcome, as JSON, against the memory store and a scripted network.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::collections::BTreeSet;
use std::path::Path;

use pollster::block_on;
use support::{manifest, serve_feed, store, FakeClock, Net, Reply, TempDir, FEED, NOW};
use talkoo_core::search::SearchIndex;
use talkoo_core::snapshot::{index_parts, Decoding, RegionSnapshot};
use talkoo_engine::platform::Fetched;
use talkoo_engine::worker::{
    self, FromWorker, SnapshotsRequest, SyncFailure, SyncReport, SyncRequest,
};
use talkoo_engine::{catalogue, sync};
use talkoo_store::{MemoryStore, Store};

fn served() -> (TempDir, Net, FakeClock, MemoryStore) {
    let dir = TempDir::new("feed");
    support::build(&support::demo_source(), &dir.0, "2026-12-01T00:00:00Z");
    let net = Net::new();
    serve_feed(&net, &dir.0);
    (dir, net, FakeClock::at(NOW), store())
}

fn request(regions: &[&str]) -> String {
    SyncRequest {
        base: FEED.to_owned(),
        pins: Vec::new(),
        regions: regions.iter().map(|r| (*r).to_owned()).collect(),
    }
    .to_json()
}

/// The feed's manifest and signature as the sync worker's script fetched
/// them ahead (with the ETag [`serve_feed`] gives), the manifest's text
/// changed by `change`.
fn fetched_ahead(dir: &Path, change: impl Fn(String) -> String) -> Vec<Fetched> {
    let read = |file: &str| std::fs::read_to_string(dir.join(file)).expect(file);
    let manifest = read("manifest.json");
    let etag = format!("\"{}\"", &support::sha256_hex(manifest.as_bytes())[..16]);
    vec![
        Fetched {
            url: sync::manifest_url(FEED),
            status: 200,
            headers: vec![("ETag".to_owned(), etag)],
            body: change(manifest),
        },
        Fetched {
            url: sync::signature_url(FEED),
            status: 200,
            headers: Vec::new(),
            body: read("manifest.json.sig"),
        },
    ]
}

/// Every message the worker posts for `request`, each read back from the
/// JSON string the page receives.
fn exchange(store: &MemoryStore, net: &Net, clock: &FakeClock, request: &str) -> Vec<FromWorker> {
    let mut posted = Vec::new();
    block_on(worker::run(store, net, clock, request, &mut |m| {
        posted.push(FromWorker::from_json(&m.to_json()).expect("a message the page reads"));
    }));
    posted
}

/// [`exchange`] in a worker that fetched the answers `ahead`.
fn exchange_ahead(
    store: &MemoryStore,
    net: &Net,
    clock: &FakeClock,
    request: &str,
    ahead: Vec<Fetched>,
) -> Vec<FromWorker> {
    let mut posted = Vec::new();
    let mut post = |m: FromWorker| {
        posted.push(FromWorker::from_json(&m.to_json()).expect("a message the page reads"));
    };
    block_on(worker::run_handing(
        store,
        net,
        clock,
        request,
        ahead,
        &mut post,
        &mut |_| {},
    ));
    posted
}

/// Syncs Kainuu into `store`; answers the regions to load.
fn synced_kainuu(store: &MemoryStore, net: &Net, clock: &FakeClock) -> BTreeSet<String> {
    let report = outcome(&exchange(store, net, clock, &request(&["kainuu"])));
    assert_eq!(report.error, None);
    BTreeSet::from(["kainuu".to_owned()])
}

/// Kainuu's stored snapshot, and the version it is stored at.
fn stored_snapshot(store: &impl Store) -> (Vec<u8>, String) {
    let bytes = block_on(store.snapshot("kainuu"))
        .expect("read")
        .expect("stored");
    let version = block_on(store.regions()).expect("regions")[0]
        .version
        .clone();
    (bytes, version)
}

/// The last message, which must be the only `Done`.
fn outcome(posted: &[FromWorker]) -> SyncReport {
    let done: Vec<&SyncReport> = posted
        .iter()
        .filter_map(|m| match m {
            FromWorker::Done(report) => Some(report),
            _ => None,
        })
        .collect();
    assert_eq!(done.len(), 1, "one outcome: {posted:?}");
    match posted.last() {
        Some(FromWorker::Done(report)) => report.clone(),
        other => panic!("the outcome comes last, got {other:?}"),
    }
}

#[test]
fn a_sync_reports_progress_then_its_outcome_and_leaves_a_snapshot_the_page_reads() {
    let (dir, net, clock, store) = served();
    let total: u64 = manifest(&dir.0).regions[0]
        .files
        .iter()
        .map(|f| f.bytes)
        .sum();
    let posted = exchange(&store, &net, &clock, &request(&["kainuu"]));
    let report = outcome(&posted);
    assert_eq!(report.error, None);
    assert_eq!(report.changed, 1);
    let progress: Vec<(u64, u64)> = posted
        .iter()
        .filter_map(|m| match m {
            FromWorker::Progress(p) => Some((p.done, p.total)),
            _ => None,
        })
        .collect();
    assert_eq!(progress.first(), Some(&(0, total)));
    assert_eq!(progress.last(), Some(&(total, total)));
    // The page has no snapshot in hand: it reads the one the worker stored.
    let regions = BTreeSet::from(["kainuu".to_owned()]);
    assert!(block_on(store.snapshot("kainuu")).expect("read").is_some());
    let loaded = block_on(catalogue::load(&store, &regions));
    assert!(loaded.errors.is_empty());
    assert!(!loaded.catalogue.services.is_empty());
}

#[test]
fn a_failed_sync_ends_with_its_message_key_and_nothing_changed() {
    let (dir, net, clock, store) = served();
    let first = manifest(&dir.0).regions[0].files[0].path.clone();
    net.script(
        &format!("{FEED}{first}"),
        vec![Reply::Answer(503, Vec::new(), Vec::new())],
    );
    let report = outcome(&exchange(&store, &net, &clock, &request(&["kainuu"])));
    assert_eq!(report.changed, 0);
    let error = report.error.expect("failed");
    assert_eq!(error.message_key(), "sync-error-http");
    assert!(error.text.contains("503"), "{}", error.text);
    assert_eq!(block_on(store.regions()), Ok(Vec::new()));
}

#[test]
fn an_unreadable_request_is_answered_not_ignored() {
    let (_dir, net, clock, store) = served();
    for request in ["", "{}", "not json", r#"{"base":1}"#] {
        let report = outcome(&exchange(&store, &net, &clock, request));
        assert_eq!(
            report.error.as_ref().map(SyncFailure::message_key),
            Some(SyncFailure::WORKER),
            "{request:?}"
        );
    }
}

#[test]
fn the_first_run_reports_success_with_nothing_changed() {
    let (_dir, net, clock, store) = served();
    let report = outcome(&exchange(&store, &net, &clock, &request(&[])));
    assert_eq!(report.error, None);
    assert_eq!(report.changed, 0);
    // The manifest the page reads back to offer the regions.
    assert!(block_on(store.get_meta(sync::meta::MANIFEST))
        .expect("read")
        .is_some());
}

/// Issue 13: the sync worker of a first run, with no manifest stored,
/// asks for the manifest and its signature as it starts, while its wasm
/// is on its way; the sync takes those answers instead of asking again,
/// which on a first visit lists the regions a round trip sooner.
#[test]
fn a_first_run_takes_the_manifest_fetched_ahead() {
    let (dir, net, clock, store) = served();
    let ahead = fetched_ahead(&dir.0, |m| m);
    let posted = exchange_ahead(&store, &net, &clock, &request(&[]), ahead);
    assert_eq!(outcome(&posted).error, None);
    assert_eq!(
        net.count("manifest.json"),
        0,
        "asked again: {:?}",
        net.urls()
    );
    let stored = |key| block_on(store.get_meta(key)).expect("read");
    assert_eq!(
        stored(sync::meta::MANIFEST),
        Some(std::fs::read_to_string(dir.0.join("manifest.json")).expect("manifest"))
    );
    assert!(stored(sync::meta::ETAG).is_some());

    // A later sync asks the network, with the ETag passed on: the answer
    // is a 304, and the signature is not asked for again.
    let posted = exchange(&store, &net, &clock, &request(&["kainuu"]));
    assert_eq!(outcome(&posted).error, None);
    assert_eq!(net.count("manifest.json"), 1, "{:?}", net.urls());
}

/// Issue 13: a manifest fetched ahead is checked as one the worker
/// fetched: changed after it was signed, it is refused and not stored.
#[test]
fn a_manifest_fetched_ahead_is_refused_when_its_signature_does_not_match() {
    let (dir, net, clock, store) = served();
    let changed = |m: String| m.replacen("Kainuu", "Kainuun", 1);
    let ahead = fetched_ahead(&dir.0, changed);
    let report = outcome(&exchange_ahead(&store, &net, &clock, &request(&[]), ahead));
    let error = report.error.expect("refused");
    assert_eq!(
        error.message_key(),
        "sync-error-signature",
        "{}",
        error.text
    );
    assert_eq!(block_on(store.get_meta(sync::meta::MANIFEST)), Ok(None));
    assert_eq!(net.count("manifest.json"), 0, "{:?}", net.urls());
}

/// Issue 13: each region's new snapshot is handed over as the store will
/// hold it, before the outcome, so the page reads it while the worker
/// stores it instead of reading it back afterwards. A region's first sync
/// hands it over without its search index, so the page lists it while the
/// index is built, then hands the index over, and stores the snapshot
/// with it.
#[test]
fn a_region_s_new_snapshot_is_handed_over_as_it_is_stored() {
    let (_dir, net, clock, store) = served();
    let events = std::cell::RefCell::new(Vec::new());
    let mut handed = Vec::new();
    block_on(worker::run_handing(
        &store,
        &net,
        &clock,
        &request(&["kainuu"]),
        Vec::new(),
        &mut |m| events.borrow_mut().push(format!("{m:?}")),
        &mut |s| {
            events.borrow_mut().push("snapshot".to_owned());
            handed.push((
                s.region.to_owned(),
                s.version.to_owned(),
                s.bytes.to_vec(),
                s.index_only,
            ));
        },
    ));
    let events = events.into_inner();
    assert_eq!(
        handed.len(),
        2,
        "one region changed: its list, then its index"
    );
    let stored = block_on(store.regions()).expect("regions");
    for (region, version, _, _) in &handed {
        assert_eq!(region, "kainuu");
        assert_eq!(&stored[0].version, version);
    }
    let (_, _, list, index_only) = &handed[0];
    assert!(!index_only);
    let first = Decoding::new(list)
        .and_then(|d| d.index_may_follow().finish())
        .expect("the first reads where an index may follow");
    assert!(!first.indexed(), "the first comes without its index");
    assert!(RegionSnapshot::decode(list).is_err());
    let (_, _, index, index_only) = &handed[1];
    assert!(index_only);
    let (_, _, parts) = index_parts(index).expect("an index");
    let stored_snapshot = block_on(store.snapshot("kainuu"))
        .expect("snapshot")
        .expect("stored");
    let stored_snapshot = RegionSnapshot::decode(&stored_snapshot).expect("reads");
    assert_eq!(SearchIndex::from_parts(parts), Some(stored_snapshot.index));
    assert_eq!(stored_snapshot.services, first.services);
    let last = |what: &str| events.iter().rposition(|e| e.starts_with(what));
    assert!(last("snapshot") < last("Done"), "{events:?}");

    // A later sync that changes nothing hands nothing over.
    handed.clear();
    block_on(worker::run_handing(
        &store,
        &net,
        &clock,
        &request(&["kainuu"]),
        Vec::new(),
        &mut |_| {},
        &mut |s| {
            handed.push((
                s.region.to_owned(),
                s.version.to_owned(),
                s.bytes.to_vec(),
                s.index_only,
            ))
        },
    ));
    assert!(handed.is_empty());
}

/// Issue 13: a loaded catalogue takes a handed-over snapshot of a region's
/// stored version instead of reading storage, and reads storage for one of
/// another version (another tab's sync stored a newer one meanwhile).
#[test]
fn a_load_takes_handed_snapshots_of_the_stored_version_only() {
    let (_dir, net, clock, store) = served();
    let kainuu = synced_kainuu(&store, &net, &clock);
    let stored = block_on(catalogue::load(&store, &kainuu));
    let store = talkoo_store::FaultyStore::new(store);
    let (bytes, version) = stored_snapshot(&store);
    let decode = |version: &str| {
        block_on(catalogue::decode_paced(
            &bytes,
            "kainuu",
            version,
            &mut || std::future::ready(()),
        ))
    };
    let handed = decode(&version).expect("the stored version decodes");
    let reads = store.calls("snapshot");
    let loaded = block_on(catalogue::load_paced_with(
        &store,
        &kainuu,
        vec![handed],
        || std::future::ready(()),
    ));
    assert!(loaded.errors.is_empty());
    assert_eq!(loaded.catalogue.services, stored.catalogue.services);
    assert_eq!(
        store.calls("snapshot"),
        reads,
        "the handed snapshot was used"
    );

    // Handed as of another version, it is not taken: storage is read.
    assert!(decode("another").is_none(), "a snapshot says its version");
    let mut other = decode(&version).expect("decodes");
    other.version = "another".to_owned();
    let loaded = block_on(catalogue::load_paced_with(
        &store,
        &kainuu,
        vec![other],
        || std::future::ready(()),
    ));
    assert_eq!(loaded.catalogue.services, stored.catalogue.services);
    assert_eq!(store.calls("snapshot"), reads + 1, "storage was read");
}

/// Issue 13: once a sync has handed over a snapshot of every region
/// chosen, the page puts them together from those alone, with no storage
/// to read (the worker's write of the snapshots would hold a read up); a
/// region chosen but not handed over leaves it to a load, and one handed
/// over but not chosen is left out.
#[test]
fn regions_all_handed_over_are_put_together_without_storage() {
    let (_dir, net, clock, store) = served();
    let kainuu = synced_kainuu(&store, &net, &clock);
    let stored = block_on(catalogue::load(&store, &kainuu));
    let (bytes, version) = stored_snapshot(&store);
    let handed = || {
        vec![block_on(catalogue::decode_paced(
            &bytes,
            "kainuu",
            &version,
            &mut || std::future::ready(()),
        ))
        .expect("decodes")]
    };
    let regions = |ids: &[&str]| ids.iter().map(|r| (*r).to_owned()).collect::<BTreeSet<_>>();
    let read = catalogue::from_handed(&kainuu, handed()).expect("all handed over");
    assert!(read.errors.is_empty() && read.stale.is_empty());
    assert_eq!(read.finish().catalogue.services, stored.catalogue.services);
    assert!(catalogue::from_handed(&regions(&["kainuu", "lappi"]), handed()).is_none());
    let none = catalogue::from_handed(&regions(&[]), handed()).expect("nothing chosen");
    assert!(none.snapshots.is_empty(), "a region not chosen is left out");
    assert!(catalogue::from_handed(&regions(&["lappi"]), handed()).is_none());
}

/// Issue 13: the page never builds a region's snapshot. One it cannot use
/// (of another format after an update, damaged, or never written) is left
/// stale by `read_stored`, and a worker asked with a `SnapshotsRequest`
/// builds it again from the records, hands it over before its outcome
/// and stores it, so the next start reads it.
#[test]
fn stale_snapshots_are_left_to_the_worker_which_builds_hands_and_stores_them() {
    let (_dir, net, clock, store) = served();
    let kainuu = synced_kainuu(&store, &net, &clock);
    let synced = block_on(catalogue::load(&store, &kainuu));
    let version = block_on(store.regions()).expect("regions")[0]
        .version
        .clone();
    let read = || {
        block_on(catalogue::read_stored(&store, &kainuu, Vec::new(), || {
            std::future::ready(())
        }))
    };
    assert!(read().stale.is_empty(), "the sync stored a usable snapshot");

    // Damaged bytes stand for a snapshot of an older format.
    assert!(block_on(store.put_snapshot("kainuu", &version, b"an older format")).expect("write"));
    let stale = read();
    assert_eq!(stale.stale, vec![("kainuu".to_owned(), version.clone())]);
    assert!(stale.snapshots.is_empty(), "nothing was built on the page");
    assert!(stale.errors.is_empty());

    let posted = std::cell::RefCell::new(Vec::new());
    let mut handed = Vec::new();
    let request = SnapshotsRequest {
        rebuild: kainuu.clone(),
    }
    .to_json();
    block_on(worker::run_handing(
        &store,
        &net,
        &clock,
        &request,
        Vec::new(),
        &mut |m| posted.borrow_mut().push(m),
        &mut |s| {
            handed.push((s.region.to_owned(), s.version.to_owned(), s.bytes.to_vec()));
            // Noted among the messages, so that `outcome` checks that the
            // outcome came after it.
            posted
                .borrow_mut()
                .push(FromWorker::Progress(sync::Progress::default()));
        },
    ));
    let posted = posted.into_inner();
    let report = outcome(&posted);
    assert_eq!((report.changed, report.error), (1, None));
    assert_eq!(handed.len(), 1, "handed before the outcome: {posted:?}");
    let (region, at, bytes) = &handed[0];
    assert_eq!((region.as_str(), at.as_str()), ("kainuu", version.as_str()));
    let decoded = block_on(catalogue::decode_paced(
        bytes,
        "kainuu",
        &version,
        &mut || std::future::ready(()),
    ))
    .expect("the handed bytes are a snapshot");
    let shown = catalogue::Read {
        snapshots: vec![decoded],
        ..catalogue::Read::default()
    }
    .finish();
    assert_eq!(shown.catalogue.services, synced.catalogue.services);

    let next = read();
    assert!(next.stale.is_empty(), "the worker stored what it built");
    assert_eq!(next.finish().catalogue.services, synced.catalogue.services);
}

/// Issue 13: the prepared worker warms its code on a sample of the demo
/// feed before the first sync. The sample must keep passing the feed's
/// checks as the feed's format changes, and it makes a whole snapshot.
#[test]
fn the_warm_up_takes_its_sample_region_through_the_syncs_steps() {
    let warmed = talkoo_engine::warm::warm_up().expect("warm-up");
    assert_eq!(warmed.cards, 8);
    assert!(warmed.bytes > 10_000, "{warmed:?}");
}

/// Issue 13: the prepared worker also warms the storage code a sync
/// starts with, by reading what the sync reads first. It only reads: a
/// warm-up must never change what a sync finds.
#[test]
fn the_storage_warm_up_reads_what_a_sync_starts_with_and_writes_nothing() {
    let (_dir, net, clock, store) = served();
    synced_kainuu(&store, &net, &clock);
    let store = talkoo_store::FaultyStore::new(store);
    let read = block_on(talkoo_engine::warm::warm_storage(&store)).expect("warm-up");
    // The manifest, its signature, the pins, Kainuu and its 31 staged files.
    assert!(read >= 35, "{read}");
    for read in ["get_meta", "regions", "get_setting", "staged_hashes"] {
        assert!(store.calls(read) > 0, "{read} was not warmed up");
    }
    for write in [
        "put_meta",
        "put_setting",
        "apply_region",
        "stage_files",
        "retain_staged",
        "put_snapshot",
        "remove_region",
    ] {
        assert_eq!(store.calls(write), 0, "{write}");
    }
}
