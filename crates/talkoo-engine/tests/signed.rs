//! Signed feeds in the catalogue sync: the first signed manifest pins its keys, and afterwards a manifest not signed by a pinned key is refused and nothing stored changes (docs/feed.md, "Pinning: what the app does").
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::collections::BTreeSet;
use std::path::Path;

use pollster::block_on;
use support::{
    build, demo_key, demo_source, key, serve_feed, sign, store, FakeClock, Net, TempDir, FEED, NOW,
};
use talkoo_core::pinning::{Pins, Refusal};
use talkoo_engine::platform::FetchError;
use talkoo_engine::sync::{self, meta, Outcome, SyncError};
use talkoo_store::{MemoryStore, Store};

fn kainuu() -> BTreeSet<String> {
    BTreeSet::from(["kainuu".to_owned()])
}

fn run(store: &MemoryStore, net: &Net, build_pins: &[String]) -> Result<Outcome, SyncError> {
    let clock = FakeClock::at(NOW);
    block_on(sync::sync(
        store,
        net,
        &clock,
        FEED,
        build_pins,
        &kainuu(),
        &mut |_| {},
    ))
}

/// The demo feed, built and signed with the demo key, served.
fn served() -> (TempDir, Net, MemoryStore) {
    let dir = TempDir::new("signed");
    build(&demo_source(), &dir.0, "2026-12-01T00:00:00Z");
    let net = Net::new();
    serve_feed(&net, &dir.0);
    (dir, net, store())
}

fn pins(store: &MemoryStore) -> Option<Pins> {
    block_on(store.get_meta(meta::PINS))
        .expect("meta")
        .map(|text| serde_json::from_str(&text).expect("pins json"))
}

/// Everything a refused sync must leave as it was.
fn snapshot(
    store: &MemoryStore,
) -> (
    Vec<talkoo_core::sync::StoredRegion>,
    Option<String>,
    Option<String>,
    Option<Pins>,
) {
    (
        block_on(store.regions()).expect("regions"),
        block_on(store.get_meta(meta::MANIFEST)).expect("meta"),
        block_on(store.get_meta(meta::ETAG)).expect("meta"),
        pins(store),
    )
}

/// Changes one byte of the published manifest (a space in its
/// pretty-printed JSON becomes a tab), keeping the old signature.
fn tamper(dir: &Path) {
    let path = dir.join("manifest.json");
    let mut bytes = std::fs::read(&path).expect("manifest");
    let at = bytes.iter().position(|b| *b == b' ').expect("a space");
    bytes[at] = b'\t';
    std::fs::write(&path, bytes).expect("write");
}

fn demo_id() -> String {
    demo_key().public().id()
}

#[test]
fn the_first_signed_sync_pins_the_announced_key() {
    let (_dir, net, store) = served();
    run(&store, &net, &[]).expect("sync");
    let pinned = pins(&store).expect("pinned");
    assert_eq!(pinned.keys, vec![demo_id()]);
    assert_eq!(pinned.generated.as_deref(), Some("2026-12-01T00:00:00Z"));
    assert!(pinned.build.is_empty());
    assert_eq!(block_on(store.regions()).expect("regions").len(), 1);
}

#[test]
fn a_manifest_changed_after_pinning_is_refused_and_nothing_changes() {
    let (dir, net, store) = served();
    run(&store, &net, &[]).expect("first");
    let before = snapshot(&store);
    tamper(&dir.0);
    let error = run(&store, &net, &[]).expect_err("refused");
    assert_eq!(
        error,
        SyncError::Signature(Refusal::BadSignature(demo_id()))
    );
    assert_eq!(error.message_key(), "sync-error-signature");
    assert_eq!(snapshot(&store), before);
    // The refusal is not remembered: a correct manifest is used again.
    sign(&dir.0, &[demo_key()]);
    run(&store, &net, &[]).expect("signed again");
}

#[test]
fn a_first_manifest_changed_on_the_way_is_refused_too() {
    let (dir, net, store) = served();
    tamper(&dir.0);
    let error = run(&store, &net, &[]).expect_err("refused");
    assert_eq!(
        error,
        SyncError::Signature(Refusal::BadSignature(demo_id()))
    );
    assert_eq!(snapshot(&store), (Vec::new(), None, None, None));
}

#[test]
fn a_signature_by_another_key_is_refused() {
    let (dir, net, store) = served();
    run(&store, &net, &[]).expect("first");
    let before = snapshot(&store);
    let mut source = demo_source();
    source.regions[0].services[0]
        .summary
        .insert("fi".into(), "Toisen avaimen muutos.".into());
    build(&source, &dir.0, "2026-12-02T00:00:00Z");
    sign(&dir.0, &[key(7)]);
    let error = run(&store, &net, &[]).expect_err("refused");
    assert_eq!(error, SyncError::Signature(Refusal::UnknownKey));
    assert_eq!(snapshot(&store), before);
}

#[test]
fn an_unsigned_manifest_after_pinning_is_refused() {
    let (dir, net, store) = served();
    run(&store, &net, &[]).expect("first");
    let before = snapshot(&store);
    let mut source = demo_source();
    source.signing_keys.clear();
    build(&source, &dir.0, "2026-12-02T00:00:00Z");
    std::fs::remove_file(dir.0.join("manifest.json.sig")).expect("remove");
    let error = run(&store, &net, &[]).expect_err("refused");
    assert_eq!(error, SyncError::Signature(Refusal::Unsigned));
    assert_eq!(snapshot(&store), before);
}

#[test]
fn keys_rotate_through_an_overlap_and_the_retired_key_is_then_refused() {
    let (dir, net, store) = served();
    run(&store, &net, &[]).expect("first");
    let new = key(9);
    let mut source = demo_source();
    source.signing_keys = vec![demo_id(), new.public().id()];
    build(&source, &dir.0, "2026-12-02T00:00:00Z");
    sign(&dir.0, &[demo_key(), key(9)]);
    run(&store, &net, &[]).expect("overlap");
    let overlap = std::fs::read(dir.0.join("manifest.json")).expect("manifest");
    let mut both = vec![demo_id(), new.public().id()];
    both.sort();
    assert_eq!(pins(&store).expect("pins").keys, both);

    source.signing_keys = vec![new.public().id()];
    build(&source, &dir.0, "2026-12-03T00:00:00Z");
    sign(&dir.0, &[key(9)]);
    run(&store, &net, &[]).expect("new key only");
    assert_eq!(pins(&store).expect("pins").keys, vec![new.public().id()]);

    // The overlap's manifest replayed, signed by both keys, is used but
    // cannot bring back the retired key.
    std::fs::write(dir.0.join("manifest.json"), &overlap).expect("write");
    sign(&dir.0, &[demo_key(), key(9)]);
    run(&store, &net, &[]).expect("replayed overlap");
    assert_eq!(pins(&store).expect("pins").keys, vec![new.public().id()]);

    // A newer manifest signed by the retired key alone (the build signs
    // with the demo key) is refused.
    let before = snapshot(&store);
    source.signing_keys = vec![demo_id()];
    build(&source, &dir.0, "2026-12-04T00:00:00Z");
    let error = run(&store, &net, &[]).expect_err("retired");
    assert_eq!(error, SyncError::Signature(Refusal::UnknownKey));
    assert_eq!(snapshot(&store), before);
}

/// Issue 13: the first sync asks for the manifest and its signature at
/// once, rather than for the signature after the manifest's answer, which
/// cost a round trip (a third of a second and more on 3G).
#[test]
fn the_first_sync_asks_for_the_manifest_and_its_signature_at_once() {
    let (_dir, net, store) = served();
    // The manifest never answers, so the sync ends at its deadline
    // (the fake clock's timers end when waited for); one asked for after
    // the manifest's answer would never have been asked for.
    net.script(&format!("{FEED}manifest.json"), vec![support::Reply::Stall]);
    let error = run(&store, &net, &[]).expect_err("no manifest");
    assert!(
        matches!(error, SyncError::Network(FetchError::TimedOut(_))),
        "{error:?}"
    );
    assert_eq!(
        net.urls(),
        vec![
            format!("{FEED}manifest.json"),
            format!("{FEED}manifest.json.sig")
        ]
    );
}

#[test]
fn a_304_uses_the_stored_manifest_without_asking_for_its_signature() {
    let (_dir, net, store) = served();
    run(&store, &net, &[]).expect("first");
    let before = snapshot(&store);
    net.clear_log();
    let outcome = run(&store, &net, &[]).expect("304");
    assert_eq!(outcome.changed, 0);
    assert_eq!(net.urls(), vec![format!("{FEED}manifest.json")]);
    assert_eq!(snapshot(&store), before);
}

#[test]
fn a_build_list_pins_from_the_start_and_a_new_one_checks_the_stored_manifest_again() {
    let (_dir, net, store) = served();
    let other = vec![key(5).public().id()];
    let error = run(&store, &net, &other).expect_err("not the build's key");
    assert_eq!(error, SyncError::Signature(Refusal::UnknownKey));
    assert_eq!(snapshot(&store), (Vec::new(), None, None, None));

    run(&store, &net, &[demo_id()]).expect("the build's key");
    let pinned = pins(&store).expect("pins");
    assert_eq!(
        (pinned.keys, pinned.build),
        (vec![demo_id()], vec![demo_id()])
    );

    // A new build with another list does not trust a 304 of the manifest
    // the old pins accepted: it asks unconditionally and refuses it.
    net.clear_log();
    let before = snapshot(&store);
    let error = run(&store, &net, &other).expect_err("new build");
    assert_eq!(error, SyncError::Signature(Refusal::UnknownKey));
    let asked = &net.log.borrow()[0];
    assert!(asked.headers.is_empty(), "{asked:?}");
    assert_eq!(snapshot(&store), before);
}

#[test]
fn unsigned_feeds_still_sync_when_nothing_is_pinned() {
    let dir = TempDir::new("unsigned");
    let mut source = demo_source();
    source.signing_keys.clear();
    build(&source, &dir.0, "2026-12-01T00:00:00Z");
    let net = Net::new();
    serve_feed(&net, &dir.0);
    let store = store();
    run(&store, &net, &[]).expect("unsigned demo");
    assert_eq!(pins(&store), None, "nothing to pin");

    // The bench's synthetic feed announces no keys either.
    let synth = TempDir::new("synth");
    let source = talkoo_feed::synth::synth(50, 1, 0.0);
    let region = source.regions[0].id.clone();
    build(&source, &synth.0, "2026-12-01T00:00:00Z");
    let net = Net::new();
    serve_feed(&net, &synth.0);
    let store = support::store();
    let clock = FakeClock::at(NOW);
    let regions = BTreeSet::from([region]);
    let outcome = block_on(sync::sync(
        &store,
        &net,
        &clock,
        FEED,
        &[],
        &regions,
        &mut |_| {},
    ))
    .expect("synthetic feed");
    assert_eq!(outcome.changed, 1);
    assert_eq!(pins(&store), None);
}

#[test]
fn a_signature_file_the_server_fails_on_is_an_http_error() {
    let (_dir, net, store) = served();
    net.script(
        &format!("{FEED}manifest.json.sig"),
        vec![support::Reply::Answer(500, Vec::new(), Vec::new())],
    );
    let error = run(&store, &net, &[]).expect_err("500");
    assert!(
        matches!(error, SyncError::Http { status: 500, .. }),
        "{error:?}"
    );
    assert_eq!(snapshot(&store), (Vec::new(), None, None, None));
}
