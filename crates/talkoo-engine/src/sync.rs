//! Catalogue sync: fetches the feed with a deadline on every request, verifies every file, stages it, and applies each region atomically.
//!
//! Decisions come from `talkoo_core::sync`; this module drives the network
//! and the store through the [`Fetch`], [`Clock`] and [`Store`] traits.
//! Nothing is written before a file's size, hash and shape are checked, and
//! a failed or stalled sync leaves the stored catalogue as it was.

use std::collections::{BTreeSet, VecDeque};

use talkoo_core::catalogue::RawRecord;
use talkoo_core::export;
use talkoo_core::feed::{self, DataFile, DeltaFile, FeedError, Kind, Manifest};
use talkoo_core::pinning::{self, KeyId, Pins, Refusal, Source as Origin};
use talkoo_core::snapshot::{RegionSnapshot, ServicesBuilder};
use talkoo_core::sync::{
    change_from_delta, plan, records_after, FilesChange, RegionChange, RegionPlan, StoredRecord,
    StoredRegion,
};
use talkoo_store::{keys, LoadedRecord, Store, StoreError};

use crate::platform::{self, Body, Clock, Fetch, FetchError, Request, Response, Timed};

/// Keys of the sync bookkeeping store.
pub mod meta {
    /// The manifest's ETag from the last 200 answer.
    pub const ETAG: &str = "manifest.etag";
    /// Its Last-Modified.
    pub const LAST_MODIFIED: &str = "manifest.last_modified";
    /// The manifest text itself, for planning after a 304.
    pub const MANIFEST: &str = "manifest.json";
    /// The manifest's `manifest.json.sig` as it came, stored beside the
    /// manifest so the device can pass both on in a bundle; empty for an
    /// unsigned feed.
    pub const SIGNATURE: &str = "manifest.json.sig";
    /// When the last sync finished without error, ms since the epoch, or
    /// when the publisher made a bundle imported since, if that is later
    /// (`talkoo_core::import::updated_at`): how old the information is.
    pub const LAST_SUCCESS: &str = "sync.last_success";
    /// The pinned publisher keys, as `talkoo_core::pinning::Pins` JSON.
    /// A sync writes it only beside a manifest it accepted and never
    /// removes it.
    pub const PINS: &str = "signing.pins";
}

/// The manifest is small and its size unknown beforehand: it gets this long.
pub const MANIFEST_DEADLINE_MS: u64 = 30_000;

/// Every data file gets this long plus the time its declared size takes at
/// [`SLOWEST_BYTES_PER_S`]: enough for a weak 2G link in Lapland, and a
/// stalled connection still ends.
pub const FILE_DEADLINE_BASE_MS: u64 = 20_000;

/// The slowest transfer rate a sync waits for (64 kbit/s).
pub const SLOWEST_BYTES_PER_S: u64 = 8 * 1024;

/// The deadline of a feed file of `bytes` declared bytes.
pub const fn file_deadline_ms(bytes: u64) -> u64 {
    FILE_DEADLINE_BASE_MS.saturating_add(bytes.saturating_mul(1000) / SLOWEST_BYTES_PER_S)
}

/// Why a sync failed. Stored data is untouched in every case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyncError {
    /// No connection, the server did not answer, or it stalled.
    #[error("the feed could not be reached ({0})")]
    Network(FetchError),
    /// The server answered with an error status.
    #[error("the feed server answered {status} for {file}")]
    Http {
        /// The file asked for.
        file: String,
        /// The HTTP status.
        status: u16,
    },
    /// A file was damaged, of an unknown version, or broke the format.
    #[error(transparent)]
    Feed(#[from] FeedError),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The manifest is not signed by a key this device trusts (the pinning
    /// rules of docs/feed.md), so it was not used.
    #[error("the feed was refused: {0}")]
    Signature(#[from] Refusal),
    /// The signature could not be checked (a browser without Ed25519), so
    /// the manifest was not used.
    #[error("the feed's signature could not be checked ({0})")]
    CannotVerify(FetchError),
}

impl From<FetchError> for SyncError {
    fn from(e: FetchError) -> Self {
        SyncError::Network(e)
    }
}

impl SyncError {
    /// The i18n key of the plain-words explanation.
    pub fn message_key(&self) -> &'static str {
        match self {
            SyncError::Network(FetchError::TimedOut(_)) => "sync-error-stalled",
            SyncError::Network(_) => "sync-error-network",
            SyncError::Http { .. } => "sync-error-http",
            SyncError::Feed(FeedError::UnsupportedVersion { .. }) => "sync-error-version",
            SyncError::Feed(_) => "sync-error-feed",
            SyncError::Store(_) => "sync-error-store",
            SyncError::Signature(refusal) => refusal.message_key(),
            SyncError::CannotVerify(_) => "sync-error-verify",
        }
    }
}

/// Bytes downloaded so far and in all (also what the sync worker posts,
/// `worker::FromWorker::Progress`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Progress {
    /// Downloaded and verified.
    pub done: u64,
    /// To download in this sync.
    pub total: u64,
}

/// What a finished sync did.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outcome {
    /// The manifest in use.
    pub manifest: Option<Manifest>,
    /// Regions written or removed.
    pub changed: usize,
    /// Bytes downloaded, the manifest included.
    pub bytes: u64,
}

/// Where a file listed in the manifest comes from: staging, when an earlier,
/// interrupted sync already verified it, or a request under way.
enum Source<P, S> {
    Staged(String),
    Fetching(Timed<P, S>),
}

async fn request<S: Store, N: Fetch, C: Clock>(
    store: &S,
    net: &N,
    clock: &C,
    base: &str,
    file: &FileToGet<'_>,
) -> Result<Source<N::Pending, C::Sleep>, SyncError> {
    if let Some(text) = store.staged_file(file.sha256).await? {
        return Ok(Source::Staged(text));
    }
    Ok(Source::Fetching(platform::start(
        net,
        clock,
        Request::get(format!("{base}{}", file.path)),
        file_deadline_ms(file.bytes),
    )))
}

/// What the manifest says of one file.
struct FileToGet<'a> {
    path: &'a str,
    sha256: &'a str,
    bytes: u64,
}

/// Takes a file from its source and checks its size and hash; a downloaded
/// file is staged when `stage` says so. Returns its text, which is UTF-8
/// by then, and whether it was downloaded.
async fn verified<S: Store, N: Fetch, C: Clock>(
    source: Source<N::Pending, C::Sleep>,
    store: &S,
    net: &N,
    file: &FileToGet<'_>,
    stage: bool,
) -> Result<(String, bool), SyncError> {
    let response: Response<N::Body> = match source {
        Source::Staged(text) => return Ok((text, false)),
        Source::Fetching(timed) => timed.answer().await?,
    };
    if !response.ok() {
        return Err(SyncError::Http {
            file: file.path.to_owned(),
            status: response.status,
        });
    }
    let actual = net.sha256_hex(&response.body).await?;
    let data = response.body.into_bytes();
    feed::verify(file.path, &data, &actual, file.sha256, file.bytes)?;
    let text = String::from_utf8(data).map_err(|_| FeedError::Json {
        file: file.path.to_owned(),
        message: "not UTF-8".into(),
    })?;
    if stage {
        store.stage_file(file.sha256, &text).await?;
    }
    Ok((text, true))
}

/// How many of a region's files are asked for before the earliest is
/// verified: the network works while files are hashed and parsed, and at
/// most this many large files are in flight at once.
pub const FILES_AHEAD: usize = 4;

/// The pins stored on this device; unreadable pins are a refusal rather
/// than "nothing pinned", which would trust the next key offered.
pub(crate) async fn stored_pins<S: Store>(store: &S) -> Result<Option<Pins>, SyncError> {
    match store.get_meta(meta::PINS).await? {
        None => Ok(None),
        Some(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| Refusal::Malformed(format!("the pinned keys cannot be read: {e}")).into()),
    }
}

/// Fetches the manifest (conditionally) and returns it with the bytes
/// downloaded; after a 304 the stored copy, accepted when it was fetched,
/// is used. A new manifest is used and remembered only once parsed, valid
/// and accepted by the pinning rules (`talkoo_core::pinning`) with the
/// keys `build_pins` and the device's pins give; the pins it sets are
/// stored with it.
pub async fn manifest<S: Store, N: Fetch, C: Clock>(
    store: &S,
    net: &N,
    clock: &C,
    base: &str,
    build_pins: &[KeyId],
) -> Result<(Manifest, u64), SyncError> {
    let stored = store.get_meta(meta::MANIFEST).await?;
    let stored_pins = stored_pins(store).await?;
    let pins = pinning::effective(stored_pins.as_ref(), build_pins);
    let mut request = Request::get(format!("{base}manifest.json"));
    // A new build's keys (rule 5) must check the manifest again, so its
    // stored copy is not trusted through a 304 then. A manifest stored
    // without its signature (by a version before bundles were passed on,
    // or by a sync that stopped between the two) is fetched again, so that
    // the signature is stored too.
    let same_pins = stored_pins.clone().unwrap_or_default() == pins;
    let signature_stored = store
        .get_meta(meta::SIGNATURE)
        .await?
        .is_some_and(|s| !s.is_empty());
    if stored.is_some() && same_pins && signature_stored {
        if let Some(etag) = store.get_meta(meta::ETAG).await? {
            request = request.header("If-None-Match", etag);
        }
        if let Some(modified) = store.get_meta(meta::LAST_MODIFIED).await? {
            request = request.header("If-Modified-Since", modified);
        }
    }
    let response = platform::send(net, clock, request, MANIFEST_DEADLINE_MS).await?;
    if response.status == 304 {
        if let Some(text) = stored {
            return Ok((feed::parse_text("manifest.json", &text)?, 0));
        }
    }
    if !response.ok() {
        return Err(SyncError::Http {
            file: "manifest.json".into(),
            status: response.status,
        });
    }
    let etag = response.header("ETag").map(str::to_owned);
    let modified = response.header("Last-Modified").map(str::to_owned);
    let data = response.body.into_bytes();
    let signature_file = signature_file(net, clock, base).await?;
    let text = manifest_text(data)?;
    let (manifest, accepted) = accept(
        net,
        &pins,
        &text,
        signature_file.as_deref(),
        Origin::Network,
    )
    .await?;
    store_manifest(store, &text, signature_file.as_deref()).await?;
    for (value, key) in [(etag, meta::ETAG), (modified, meta::LAST_MODIFIED)] {
        if let Some(value) = value {
            store.put_meta(key, &value).await?;
        }
    }
    if stored_pins.unwrap_or_default() != accepted.pins {
        let json = serde_json::to_string(&accepted.pins).map_err(|e| FeedError::Json {
            file: meta::PINS.into(),
            message: e.to_string(),
        })?;
        store.put_meta(meta::PINS, &json).await?;
    }
    Ok((manifest, text.len() as u64))
}

/// Stores an accepted manifest's text with its signature file. The old
/// signature is emptied first: a signature stored beside another
/// manifest's text would make a bundle the other device refuses, while a
/// manifest whose signature is not stored yet is only not passed on (and
/// fetched again by the next sync). A signature file that is not UTF-8
/// cannot have been accepted, so it is kept as text.
pub(crate) async fn store_manifest<S: Store>(
    store: &S,
    text: &str,
    signature: Option<&[u8]>,
) -> Result<(), SyncError> {
    store.put_meta(meta::SIGNATURE, "").await?;
    store.put_meta(meta::MANIFEST, text).await?;
    let signature = signature
        .map(|s| String::from_utf8_lossy(s).into_owned())
        .unwrap_or_default();
    store.put_meta(meta::SIGNATURE, &signature).await?;
    Ok(())
}

/// The manifest's bytes as text: JSON is UTF-8, and the signature covers
/// these exact bytes, so nothing is trimmed or replaced.
pub(crate) fn manifest_text(data: Vec<u8>) -> Result<String, SyncError> {
    String::from_utf8(data).map_err(|_| {
        FeedError::Json {
            file: "manifest.json".into(),
            message: "not UTF-8".into(),
        }
        .into()
    })
}

/// Whether the manifest `text` from `origin` is used: it must parse, be of
/// a major version this app reads, be valid, and be accepted by the
/// pinning rules with the `pins` in force, its signatures checked through
/// `net`. Nothing is written; the caller stores what was accepted.
pub(crate) async fn accept<N: Fetch>(
    net: &N,
    pins: &Pins,
    text: &str,
    signature_file: Option<&[u8]>,
    origin: Origin,
) -> Result<(Manifest, pinning::Accepted), SyncError> {
    let manifest: Manifest = feed::parse_text("manifest.json", text)?;
    let problems = feed::validate_manifest("manifest.json", &manifest);
    if !problems.is_empty() {
        return Err(FeedError::Invalid { problems }.into());
    }
    let signatures = signature_file
        .map(pinning::parse_signature_file)
        .transpose()?;
    let plan = pinning::plan(
        pins,
        pinning::Manifest {
            signing_keys: &manifest.signing_keys,
            generated: &manifest.generated,
        },
        origin,
        signatures.as_ref(),
    );
    let mut results = Vec::with_capacity(plan.checks.len());
    for check in &plan.checks {
        let matched = net
            .verify_ed25519(&check.public_key, text.as_bytes(), &check.signature)
            .await
            .map_err(SyncError::CannotVerify)?;
        results.push(matched);
    }
    let accepted = plan.decide(&results)?;
    Ok((manifest, accepted))
}

/// `manifest.json.sig` next to the manifest, with the manifest's deadline;
/// `None` when the server has none (404: an unsigned feed).
async fn signature_file<N: Fetch, C: Clock>(
    net: &N,
    clock: &C,
    base: &str,
) -> Result<Option<Vec<u8>>, SyncError> {
    let request = Request::get(format!("{base}{}", pinning::SIGNATURE_FILE));
    let response = platform::send(net, clock, request, MANIFEST_DEADLINE_MS).await?;
    match response.status {
        404 => Ok(None),
        _ if response.ok() => Ok(Some(response.body.into_bytes())),
        status => Err(SyncError::Http {
            file: pinning::SIGNATURE_FILE.into(),
            status,
        }),
    }
}

/// Brings the subscribed regions up to date and removes the others, with
/// the manifest accepted by the pinning rules (`build_pins` are the keys
/// this app was built with, see [`manifest`]).
/// `progress` is called after every verified file. With no region
/// subscribed (the first run) only the manifest is fetched: it lists the
/// regions to choose from.
pub async fn sync<S: Store, N: Fetch, C: Clock>(
    store: &S,
    net: &N,
    clock: &C,
    base: &str,
    build_pins: &[KeyId],
    subscribed: &BTreeSet<String>,
    progress: &mut dyn FnMut(Progress),
) -> Result<Outcome, SyncError> {
    let (manifest, manifest_bytes) = manifest(store, net, clock, base, build_pins).await?;
    let mut outcome = Outcome {
        bytes: manifest_bytes,
        ..Outcome::default()
    };
    if subscribed.is_empty() {
        outcome.manifest = Some(manifest);
        return Ok(outcome);
    }
    let mut stored = store.regions().await?;
    // A device that passes its data on downloads whole files, so that its
    // regions can always go into a bundle (`talkoo_core::export`).
    let mut planning = std::borrow::Cow::Borrowed(&manifest);
    if keeps_whole(store).await? {
        let kept = store.staged_hashes().await?;
        export::whole_files_planning(planning.to_mut(), &mut stored, &kept);
    }
    let plans = plan(&planning, subscribed, &stored);
    let from = FilesFrom { base, stage: true };
    apply(
        store,
        net,
        clock,
        &from,
        &planning,
        &stored,
        &plans,
        &mut outcome,
        progress,
    )
    .await?;
    keep_stored_files(store).await?;
    store
        .put_meta(meta::LAST_SUCCESS, &clock.now_ms().to_string())
        .await?;
    outcome.manifest = Some(manifest);
    Ok(outcome)
}

/// Whether the user keeps the catalogue's files whole to pass them on.
pub async fn keeps_whole<S: Store>(store: &S) -> Result<bool, StoreError> {
    Ok(store.get_setting(keys::KEEP_WHOLE).await?.as_deref() == Some("true"))
}

/// Keeps, of the files staged, those of the stored regions' versions, so
/// the device can pass them on byte for byte (`talkoo_core::export`), and
/// drops the rest: deltas, and files of versions no longer stored.
pub(crate) async fn keep_stored_files<S: Store>(store: &S) -> Result<(), StoreError> {
    let keep = store
        .regions()
        .await?
        .into_iter()
        .flat_map(|r| r.files.into_values())
        .collect();
    store.retain_staged(&keep).await
}

/// Where a sync's files come from, and whether they are staged.
pub(crate) struct FilesFrom<'a> {
    /// Prefixed to each file's feed path to make its request's URL.
    pub base: &'a str,
    /// Whether a verified download waits in `staging`, so that an
    /// interrupted sync resumes without fetching it again.
    pub stage: bool,
}

/// A builder holding, parsed, the records of `change`'s region once the
/// change is applied, when it does not replace the whole region: the
/// stored records with the change applied to them, read before the change
/// is stored.
async fn snapshot_of<S: Store>(
    store: &S,
    change: &RegionChange,
) -> Result<ServicesBuilder, StoreError> {
    let (region, version) = (change.state.id.as_str(), change.state.version.as_str());
    let before = store
        .records(region)
        .await?
        .into_iter()
        .map(LoadedRecord::into_stored);
    Ok(builder_of(region, version, &records_after(before, change)))
}

/// A snapshot builder holding `records`: the other kinds first, so that
/// each service is indexed as it is read and only its short texts are
/// kept (`ServicesBuilder`).
fn builder_of(region: &str, version: &str, records: &[StoredRecord]) -> ServicesBuilder {
    let is_service = |r: &&StoredRecord| r.partition.0 == Kind::Services;
    let mut builder = RegionSnapshot::builder(region, version);
    for record in records.iter().filter(|r| !is_service(r)) {
        builder.add(raw(region, record));
    }
    let mut services = builder.services_follow();
    for record in records.iter().filter(is_service) {
        services.add(&record.partition.1, &record.json);
    }
    services
}

/// Applies `change`, which replaces the `whole` region or not, and stores
/// the region's snapshot. The records are parsed for it before the change
/// is stored, each service indexed as it is read and kept without its long
/// texts; the index is finished after, once their JSON is gone: at 50,000
/// cards the two at once needed twice the memory. The screen reads the
/// snapshot back from storage, so none is kept here: at 50,000 cards
/// keeping it until the sync ends held tens of megabytes more at the
/// sync's peak.
async fn apply_with_snapshot<S: Store>(
    store: &S,
    change: RegionChange,
    whole: bool,
) -> Result<(), StoreError> {
    let snapshot = if whole {
        // All the region's records are in the change, so the snapshot is
        // built from them while storage writes them: `join` polls the
        // write first, whose first step queues every request and the
        // commit, and the browser then writes on a thread of its own. At
        // 50,000 cards queueing took most of the write's 4.6 s on this
        // thread, and the rest overlaps the 1.7 s of parsing: the sync
        // ends 0.3 to 0.5 s sooner.
        let (region, version) = (change.state.id.as_str(), change.state.version.as_str());
        let (applied, snapshot) = futures_util::future::join(store.apply_region(&change), async {
            builder_of(region, version, &change.records)
        })
        .await;
        applied?;
        snapshot
    } else {
        let snapshot = snapshot_of(store, &change).await?;
        store.apply_region(&change).await?;
        snapshot
    };
    drop(change);
    let snapshot = snapshot.finish();
    let (region, version, bytes) = (
        snapshot.region.clone(),
        snapshot.version.clone(),
        snapshot.encode(),
    );
    drop(snapshot);
    // Written only if the region is still at this version; if writing it
    // fails, the records are stored all the same, and the next start
    // builds the snapshot from them.
    let _ = store.put_snapshot(&region, &version, &bytes).await;
    Ok(())
}

/// A stored record as the catalogue reads it.
fn raw<'a>(region: &'a str, record: &'a StoredRecord) -> RawRecord<'a> {
    RawRecord {
        kind: record.partition.0,
        region,
        partition: &record.partition.1,
        json: &record.json,
    }
}

/// Carries out `plans` for `manifest`, whose regions the device `stored`
/// before: fetches up to [`FILES_AHEAD`] files ahead, verifies and parses
/// each, builds each region's change completely and applies it in one
/// transaction, and removes regions no longer wanted. The network sync
/// and a bundle's import both go through here.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn apply<S: Store, N: Fetch, C: Clock>(
    store: &S,
    net: &N,
    clock: &C,
    from: &FilesFrom<'_>,
    manifest: &Manifest,
    stored: &[StoredRegion],
    plans: &[RegionPlan],
    outcome: &mut Outcome,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), SyncError> {
    let mut state = Progress {
        done: 0,
        total: plans.iter().map(RegionPlan::bytes).sum(),
    };
    progress(state);
    for region_plan in plans {
        match region_plan {
            RegionPlan::UpToDate { .. } | RegionPlan::Missing { .. } => {}
            RegionPlan::Remove { region } => {
                store.remove_region(region).await?;
                outcome.changed += 1;
            }
            RegionPlan::Files { region, fetch } => {
                let Some(entry) = manifest.regions.iter().find(|r| r.id == *region) else {
                    continue;
                };
                let have = stored.iter().find(|s| s.id == *region);
                let mut change = FilesChange::new(entry, have);
                let mut asked = fetch.iter();
                let mut pending = VecDeque::new();
                for file in fetch {
                    while pending.len() < FILES_AHEAD {
                        let Some(next) = asked.next() else { break };
                        let wanted = FileToGet {
                            path: &next.path,
                            sha256: &next.sha256,
                            bytes: next.bytes,
                        };
                        pending.push_back(request(store, net, clock, from.base, &wanted).await?);
                    }
                    let Some(source) = pending.pop_front() else {
                        break;
                    };
                    let wanted = FileToGet {
                        path: &file.path,
                        sha256: &file.sha256,
                        bytes: file.bytes,
                    };
                    let (text, downloaded) =
                        verified::<S, N, C>(source, store, net, &wanted, from.stage).await?;
                    let data: DataFile = feed::parse_text(&file.path, &text)?;
                    drop(text);
                    let problems = feed::validate_data_file(&file.path, &data, file, entry);
                    if !problems.is_empty() {
                        return Err(FeedError::Invalid { problems }.into());
                    }
                    if downloaded {
                        outcome.bytes += file.bytes;
                    }
                    state.done += file.bytes;
                    progress(state);
                    change.add(file, &data);
                }
                // Every partition replaced: the change holds all the
                // region's records.
                let whole = fetch.len() == entry.files.len();
                let change = change.finish();
                apply_with_snapshot(store, change, whole).await?;
                outcome.changed += 1;
            }
            RegionPlan::Delta { region, delta } => {
                let Some(entry) = manifest.regions.iter().find(|r| r.id == *region) else {
                    continue;
                };
                let wanted = FileToGet {
                    path: &delta.path,
                    sha256: &delta.sha256,
                    bytes: delta.bytes,
                };
                let source = request(store, net, clock, from.base, &wanted).await?;
                let (text, downloaded) =
                    verified::<S, N, C>(source, store, net, &wanted, from.stage).await?;
                let file: DeltaFile = feed::parse_text(&delta.path, &text)?;
                if file.region != entry.id || file.from != delta.from || file.to != entry.version {
                    let message = format!(
                        "the delta goes from {} to {}, not from {} to {}",
                        file.from, file.to, delta.from, entry.version
                    );
                    return Err(FeedError::Shape {
                        file: delta.path.clone(),
                        message,
                    }
                    .into());
                }
                if downloaded {
                    outcome.bytes += delta.bytes;
                }
                state.done += delta.bytes;
                progress(state);
                let change = change_from_delta(entry, &file);
                apply_with_snapshot(store, change, false).await?;
                outcome.changed += 1;
            }
        }
    }
    Ok(())
}
