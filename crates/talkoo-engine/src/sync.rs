//! Catalogue sync: fetches the feed with a deadline on every request, verifies every file, stages it, and applies each region atomically.
//!
//! Decisions come from `talkoo_core::sync`; this module drives the network
//! and the store through the [`Fetch`], [`Clock`] and [`Store`] traits.
//! Nothing is written before a file's size, hash and shape are checked, and
//! a failed or stalled sync leaves the stored catalogue as it was.

use std::collections::{BTreeSet, VecDeque};
use std::future::Future;
use std::task::Poll;

use futures_channel::oneshot;
use futures_util::future::{join, join3, join5, select, Either};

use talkoo_core::catalogue::RawRecord;
use talkoo_core::export;
use talkoo_core::feed::{self, DataFile, DeltaFile, FeedError, FileRef, Kind, Manifest, Region};
use talkoo_core::pinning::{self, KeyId, Pins, Refusal, Source as Origin};
use talkoo_core::snapshot::{LateIndex, RegionSnapshot, ServicesBuilder, SnapshotBuilder};
use talkoo_core::sync::{
    change_from_delta, plan, records_after, rewriting_touched, FilesChange, ProgressPacer,
    RegionChange, RegionPlan, StoredRecord, StoredRegion,
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

/// Starts getting `file`: from staging when it is among the `staged`
/// files' hashes, else from the network, with the deadline of its bytes
/// and the `queued` bytes asked for before it and still on their way,
/// which share the link with it.
#[allow(clippy::too_many_arguments)]
async fn request<S: Store, N: Fetch, C: Clock>(
    store: &S,
    net: &N,
    clock: &C,
    base: &str,
    file: &FileToGet<'_>,
    staged: &BTreeSet<String>,
    queued: u64,
    head: &mut HeadStart<N::Pending, C::Sleep>,
) -> Result<Source<N::Pending, C::Sleep>, SyncError> {
    if staged.contains(file.sha256) {
        if let Some(text) = store.staged_file(file.sha256).await? {
            return Ok(Source::Staged(text));
        }
    }
    if let Some(started) = head.take(file.path, file.sha256) {
        return Ok(Source::Fetching(started));
    }
    Ok(Source::Fetching(start_file(net, clock, base, file, queued)))
}

/// Asks for `file` from the network, with the deadline of its bytes and
/// the `queued` bytes asked for before it (see [`request`]).
fn start_file<N: Fetch, C: Clock>(
    net: &N,
    clock: &C,
    base: &str,
    file: &FileToGet<'_>,
    queued: u64,
) -> Timed<N::Pending, C::Sleep> {
    platform::start(
        net,
        clock,
        Request::get(format!("{base}{}", file.path)),
        file_deadline_ms(queued.saturating_add(file.bytes)),
    )
}

/// Requests of a region's files started before the manifest's answer
/// came, from the manifest the device stored last ([`head_start`]), by
/// path and hash. A request the sync then wants is taken from here; the
/// rest are dropped, which aborts them.
pub(crate) struct HeadStart<P, S> {
    started: Vec<(String, String, Timed<P, S>)>,
}

impl<P, S> Default for HeadStart<P, S> {
    fn default() -> Self {
        HeadStart {
            started: Vec::new(),
        }
    }
}

impl<P, S> HeadStart<P, S> {
    /// The request started for the file at `path` with `sha256`, if one was.
    fn take(&mut self, path: &str, sha256: &str) -> Option<Timed<P, S>> {
        let at = self
            .started
            .iter()
            .position(|(p, h, _)| p == path && h == sha256)?;
        Some(self.started.swap_remove(at).2)
    }

    /// Drops, and so aborts, the requests of files `plans` do not fetch:
    /// the manifest changed since it was stored.
    fn keep_planned(&mut self, plans: &[RegionPlan]) {
        self.started.retain(|(path, sha256, _)| {
            plans.iter().any(|plan| match plan {
                RegionPlan::Files { fetch, .. } => {
                    fetch.iter().any(|f| f.path == *path && f.sha256 == *sha256)
                }
                _ => false,
            })
        });
    }
}

/// Starts, from the manifest stored last (`stored_manifest`), the requests
/// the sync would start first once the manifest's answer is there: the
/// first region's files to fetch, in [`apply`]'s order, up to
/// [`AHEAD_BYTES`]. The answer is most often a 304, and then the files are
/// already on their way, a round trip earlier (a third of a second and more
/// on 3G): the first sync after the first run listed the regions, and a
/// region added later, plan files. A periodic sync whose regions are up to
/// date plans none, so it asks for nothing ahead. Nothing is trusted
/// before the accepted manifest's hashes verify it, so a changed manifest
/// costs only the requests dropped ([`HeadStart::keep_planned`]).
fn head_start<N: Fetch, C: Clock>(
    net: &N,
    clock: &C,
    base: &str,
    stored_manifest: &str,
    state: &PlanningState,
    subscribed: &BTreeSet<String>,
) -> HeadStart<N::Pending, C::Sleep> {
    let mut head = HeadStart::default();
    let Ok(manifest) = feed::parse_text::<Manifest>("manifest.json", stored_manifest) else {
        return head;
    };
    let (stored, whole, staged) = state;
    let mut stored = stored.clone();
    let (_, plans) = planned(&manifest, &mut stored, *whole, staged, subscribed);
    let Some(fetch) = plans.iter().find_map(|plan| match plan {
        RegionPlan::Files { fetch, .. } => Some(fetch),
        _ => None,
    }) else {
        return head;
    };
    let (mut pending, mut pending_bytes) = (0, 0);
    for file in in_fetch_order(fetch) {
        if !asks_ahead(pending, pending_bytes, file.bytes) {
            break;
        }
        if !staged.contains(&file.sha256) {
            let wanted = FileToGet {
                path: &file.path,
                sha256: &file.sha256,
                bytes: file.bytes,
            };
            let started = start_file(net, clock, base, &wanted, pending_bytes);
            head.started
                .push((file.path.clone(), file.sha256.clone(), started));
        }
        pending += 1;
        pending_bytes += file.bytes;
    }
    head
}

/// A region's files in the order a sync takes them: the services last, so
/// that the organisations their search finds them by are known.
fn in_fetch_order(fetch: &[FileRef]) -> Vec<&FileRef> {
    let mut fetch: Vec<&FileRef> = fetch.iter().collect();
    fetch.sort_by_key(|f| f.kind == Kind::Services);
    fetch
}

/// The plans of a sync with `manifest` for the regions `subscribed`, and
/// the manifest they were planned with: a device that passes its data on
/// (`whole`) downloads whole files, so that its regions can always go into
/// a bundle (`talkoo_core::export`), which may change `stored`.
fn planned<'m>(
    manifest: &'m Manifest,
    stored: &mut [StoredRegion],
    whole: bool,
    staged: &BTreeSet<String>,
    subscribed: &BTreeSet<String>,
) -> (std::borrow::Cow<'m, Manifest>, Vec<RegionPlan>) {
    let mut planning = std::borrow::Cow::Borrowed(manifest);
    if whole {
        export::whole_files_planning(planning.to_mut(), stored, staged);
    }
    let plans = plan(&planning, subscribed, stored);
    (planning, plans)
}

/// What the manifest says of one file.
struct FileToGet<'a> {
    path: &'a str,
    sha256: &'a str,
    bytes: u64,
}

/// Verified downloads not staged yet, staged together in one transaction
/// ([`Store::stage_files`]): once the sync has waited
/// [`STAGE_AFTER_WAIT_MS`] for the network (so no verified file waits in
/// memory on a slow link, where an interrupted sync finds it staged), once
/// they reach [`STAGE_BATCH_BYTES`], and before a region is applied.
///
/// A batch's transaction is started and left to commit while the sync goes
/// on (`in_flight`): at 10,000 cards the sync otherwise sat idle for tens of
/// milliseconds at each batch, waiting for storage to write it. The next
/// batch waits for it, so at most one is on its way; so does the region's
/// change, or, for the last batch, the change is started after it, which
/// storage runs after it (see [`apply`]).
#[derive(Default)]
struct Unstaged<'s> {
    files: Vec<(String, String)>,
    bytes: usize,
    in_flight: Option<Staging<'s>>,
}

/// A batch's staging on its way ([`Unstaged`]).
type Staging<'s> = std::pin::Pin<Box<dyn Future<Output = Result<(), StoreError>> + 's>>;

/// The most verified bytes kept in memory before they are staged. With a
/// batch kept until it commits while the next one gathers, twice this is
/// held at most: at 8 MiB, the sync worker's peak at 10,000 cards rose
/// from 46 to 55 MiB.
pub const STAGE_BATCH_BYTES: usize = 4 << 20;

/// How long the sync waits for an answer before it stages the files
/// verified so far. Staging is a transaction of several milliseconds; on a
/// fast link the next answer is usually there sooner, and staging at every
/// short wait held up the demo's first sync by about 80 ms (eleven
/// transactions for 31 files). A longer wait means the link is what the
/// sync waits for, so staging then costs nothing; files that came this
/// quickly would come as quickly again after an interruption.
pub const STAGE_AFTER_WAIT_MS: u64 = 50;

impl<'s> Unstaged<'s> {
    /// Keeps `text`, the verified file `sha256`, for staging; starts
    /// staging all kept once they reach [`STAGE_BATCH_BYTES`].
    async fn push<S: Store>(
        &mut self,
        store: &'s S,
        sha256: &str,
        text: String,
    ) -> Result<(), StoreError> {
        self.bytes += text.len();
        self.files.push((sha256.to_owned(), text));
        if self.bytes >= STAGE_BATCH_BYTES {
            self.start(store).await?;
        }
        Ok(())
    }

    /// Starts staging every file kept, once the batch before has been
    /// staged, and returns without waiting for storage to commit it.
    async fn start<S: Store>(&mut self, store: &'s S) -> Result<(), StoreError> {
        self.settle().await?;
        if self.files.is_empty() {
            return Ok(());
        }
        let files = std::mem::take(&mut self.files);
        self.bytes = 0;
        let mut staging: Staging<'s> = Box::pin(async move { store.stage_files(&files).await });
        // Polled once here, so that the transaction starts now, with every
        // write asked for, and not when the sync next waits for it.
        match std::future::poll_fn(|cx| Poll::Ready(staging.as_mut().poll(cx))).await {
            Poll::Ready(staged) => staged,
            Poll::Pending => {
                self.in_flight = Some(staging);
                Ok(())
            }
        }
    }

    /// Waits for the batch being staged, if one is.
    async fn settle(&mut self) -> Result<(), StoreError> {
        match self.in_flight.take() {
            Some(staging) => staging.await,
            None => Ok(()),
        }
    }

    /// Stages every file kept and waits until storage has.
    async fn stage<S: Store>(&mut self, store: &'s S) -> Result<(), StoreError> {
        self.start(store).await?;
        self.settle().await
    }
}

/// Takes a file from its source and checks its size and hash. When an
/// answer still on its way has not come within [`STAGE_AFTER_WAIT_MS`],
/// the sync is `waiting` for the network, and the files verified so far
/// are staged (`unstaged`) while it comes.
/// Returns the file's text, which is UTF-8 by then, and whether it was
/// downloaded; the caller keeps a download for staging, where the
/// region's records will be read from once it is applied, and where an
/// interrupted sync finds it again.
async fn verified<'s, S: Store, N: Fetch, C: Clock>(
    source: Source<N::Pending, C::Sleep>,
    store: &'s S,
    net: &N,
    clock: &C,
    file: &FileToGet<'_>,
    unstaged: &mut Unstaged<'s>,
    waiting: &mut dyn FnMut(),
) -> Result<(String, bool), SyncError> {
    let response: Response<N::Body> = match source {
        Source::Staged(text) => return Ok((text, false)),
        Source::Fetching(timed) => {
            let mut answer = std::pin::pin!(timed.answer());
            let now = std::future::poll_fn(|cx| Poll::Ready(answer.as_mut().poll(cx))).await;
            match now {
                Poll::Ready(answer) => answer?,
                Poll::Pending => {
                    let waited = std::pin::pin!(clock.sleep(STAGE_AFTER_WAIT_MS));
                    match select(answer.as_mut(), waited).await {
                        Either::Left((answer, _)) => answer?,
                        Either::Right(((), _)) => {
                            waiting();
                            unstaged.start(store).await?;
                            answer.await?
                        }
                    }
                }
            }
        }
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
    Ok((text, true))
}

/// How many bytes of a region's files (as the manifest declares them) are
/// asked for before the earliest is verified: the network works while
/// files are hashed and parsed, and at most this much waits in memory.
/// Four of a 50,000-card region's 4 MB files; all 31 of the demo's small
/// ones, which four at a time took most of a first sync's 0.7 s.
pub const AHEAD_BYTES: u64 = 16 << 20;

/// Whether the next file, of `next` bytes, is asked for while `pending`
/// files of `pending_bytes` wait: always when none does, else while the
/// bytes stay within [`AHEAD_BYTES`].
pub fn asks_ahead(pending: usize, pending_bytes: u64, next: u64) -> bool {
    pending == 0 || pending_bytes.saturating_add(next) <= AHEAD_BYTES
}

/// The pins stored on this device; unreadable pins are a refusal rather
/// than "nothing pinned", which would trust the next key offered.
pub(crate) async fn stored_pins<S: Store>(store: &S) -> Result<Option<Pins>, SyncError> {
    pins_of(store.get_meta(meta::PINS).await?)
}

/// The pins in their stored text (see [`stored_pins`]).
fn pins_of(stored: Option<String>) -> Result<Option<Pins>, SyncError> {
    match stored {
        None => Ok(None),
        Some(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| Refusal::Malformed(format!("the pinned keys cannot be read: {e}")).into()),
    }
}

/// What the device stored of the last manifest it accepted, which a sync
/// reads before it asks for the manifest.
pub(crate) struct ManifestState {
    /// The manifest's text.
    pub stored: Option<String>,
    /// The pinned publisher keys.
    pub stored_pins: Option<Pins>,
    /// Its signature file as text, empty for an unsigned feed.
    pub signature: Option<String>,
    /// Its ETag.
    pub etag: Option<String>,
    /// Its Last-Modified.
    pub modified: Option<String>,
}

/// Reads the [`ManifestState`] all at once: each read is a transaction of
/// its own, and one after the other they held up the manifest's request.
pub(crate) async fn manifest_state<S: Store>(store: &S) -> Result<ManifestState, SyncError> {
    let (stored, stored_pins, signature, etag, modified) = join5(
        store.get_meta(meta::MANIFEST),
        store.get_meta(meta::PINS),
        store.get_meta(meta::SIGNATURE),
        store.get_meta(meta::ETAG),
        store.get_meta(meta::LAST_MODIFIED),
    )
    .await;
    // Field by field in the order the errors were reported before.
    Ok(ManifestState {
        stored: stored?,
        signature: signature?,
        etag: etag?,
        modified: modified?,
        stored_pins: pins_of(stored_pins?)?,
    })
}

/// What a sync plans with besides the manifest: the stored regions,
/// whether the user keeps files whole, and the staged files' hashes.
pub(crate) type PlanningState = (Vec<StoredRegion>, bool, BTreeSet<String>);

/// Reads the [`PlanningState`] all at once.
pub(crate) async fn planning_state<S: Store>(store: &S) -> Result<PlanningState, StoreError> {
    let (stored, whole, staged) =
        join3(store.regions(), keeps_whole(store), store.staged_hashes()).await;
    Ok((stored?, whole?, staged?))
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
    let state = manifest_state(store).await?;
    manifest_after(store, net, clock, base, build_pins, state).await
}

/// [`manifest`] with the [`ManifestState`] already read.
async fn manifest_after<S: Store, N: Fetch, C: Clock>(
    store: &S,
    net: &N,
    clock: &C,
    base: &str,
    build_pins: &[KeyId],
    state: ManifestState,
) -> Result<(Manifest, u64), SyncError> {
    let ManifestState {
        stored,
        stored_pins,
        signature,
        etag,
        modified,
    } = state;
    let pins = pinning::effective(stored_pins.as_ref(), build_pins);
    let mut request = Request::get(manifest_url(base));
    // A new build's keys (rule 5) must check the manifest again, so its
    // stored copy is not trusted through a 304 then. A manifest stored
    // without its signature (by a version before bundles were passed on,
    // or by a sync that stopped between the two) is fetched again, so that
    // the signature is stored too.
    let same_pins = stored_pins.clone().unwrap_or_default() == pins;
    let signature_stored = signature.is_some_and(|s| !s.is_empty());
    let conditional = stored.is_some() && same_pins && signature_stored;
    if conditional {
        if let Some(etag) = etag {
            request = request.header("If-None-Match", etag);
        }
        if let Some(modified) = modified {
            request = request.header("If-Modified-Since", modified);
        }
    }
    // A manifest asked for without conditions comes whole, and its
    // signature is needed to accept it: both are asked for at once, which
    // saves the first sync a round trip (a third of a second and more on
    // 3G). After a conditional request the signature is asked for only
    // when the manifest changed; most answers are a 304.
    let manifest_request = platform::start(net, clock, request, MANIFEST_DEADLINE_MS);
    let signature_started = (!conditional)
        .then(|| platform::start(net, clock, signature_request(base), MANIFEST_DEADLINE_MS));
    let response = manifest_request.answer().await?;
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
    let signature = match signature_started {
        Some(started) => started,
        None => platform::start(net, clock, signature_request(base), MANIFEST_DEADLINE_MS),
    };
    let signature_file = signature_file(signature.answer().await?)?;
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

/// The request for `manifest.json.sig`, next to the manifest; it has the
/// manifest's deadline.
fn signature_request(base: &str) -> Request {
    Request::get(signature_url(base))
}

/// The manifest's URL in the feed at `base` (ending in `/`).
pub fn manifest_url(base: &str) -> String {
    format!("{base}manifest.json")
}

/// The URL of the manifest's signature file in the feed at `base`.
pub fn signature_url(base: &str) -> String {
    format!("{base}{}", pinning::SIGNATURE_FILE)
}

/// The signature file's bytes from its answer; `None` when the server has
/// none (404: an unsigned feed).
fn signature_file<B: Body>(response: Response<B>) -> Result<Option<Vec<u8>>, SyncError> {
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
/// `progress` hears the bytes verified at the start, when complete, once
/// the sync has waited a while for the network, and at most every
/// [`talkoo_core::sync::PROGRESS_EVERY_MS`] between. With no region
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
    // Nothing takes the snapshots but storage.
    let mut unused = |_: NewSnapshot<'_>| {};
    sync_handing(
        store,
        net,
        clock,
        base,
        build_pins,
        subscribed,
        progress,
        &mut unused,
    )
    .await
}

/// A region's snapshot as a sync is about to store it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewSnapshot<'a> {
    /// The region.
    pub region: &'a str,
    /// The region's version it was made of.
    pub version: &'a str,
    /// `talkoo_core::snapshot::RegionSnapshot::encode`'s bytes, or
    /// `encode_index`'s when `index_only`.
    pub bytes: &'a [u8],
    /// Whether `bytes` are only the search index of a region handed over
    /// before without it: the page adds it to the region it shows.
    pub index_only: bool,
}

/// [`sync`], handing each region's new snapshot to `hand` before it is
/// stored: the sync worker posts it to the page, which reads it while the
/// worker writes it instead of reading it back afterwards (at 10,000
/// cards the write took 62 ms and the read 36 ms of the first sync).
#[allow(clippy::too_many_arguments)]
pub async fn sync_handing<S: Store, N: Fetch, C: Clock>(
    store: &S,
    net: &N,
    clock: &C,
    base: &str,
    build_pins: &[KeyId],
    subscribed: &BTreeSet<String>,
    progress: &mut dyn FnMut(Progress),
    hand: &mut dyn FnMut(NewSnapshot<'_>),
) -> Result<Outcome, SyncError> {
    // The stored regions, the setting to keep files whole and the staged
    // files' hashes are read while the manifest is on its way (a round
    // trip, a third of a second on 3G), and their transactions begin
    // before the page's save of the chosen regions, which the setting's
    // read waited for after the manifest. In traces of the demo's first
    // sync, its first file was asked for 4 to 22 ms after the manifest's
    // answer, and 2 to 4 ms after it with this (issue 13).
    // With them, the first files are asked for from the manifest stored
    // last, as the manifest's check read it, while its answer is on its way
    // ([`head_start`]).
    let (read, stored_manifest) = oneshot::channel::<Option<String>>();
    let checked = async {
        let state = manifest_state(store).await?;
        let _ = read.send(state.stored.clone());
        manifest_after(store, net, clock, base, build_pins, state).await
    };
    let stored_state = async {
        if subscribed.is_empty() {
            return None;
        }
        let (state, stored_manifest) = join(planning_state(store), stored_manifest).await;
        let head = match (&state, stored_manifest) {
            (Ok(state), Ok(Some(text))) => head_start(net, clock, base, &text, state, subscribed),
            _ => HeadStart::default(),
        };
        Some((state, head))
    };
    let (manifest, stored_state) = join(checked, stored_state).await;
    let (manifest, manifest_bytes) = manifest?;
    let mut outcome = Outcome {
        bytes: manifest_bytes,
        ..Outcome::default()
    };
    let Some((stored_state, mut head)) = stored_state else {
        outcome.manifest = Some(manifest);
        return Ok(outcome);
    };
    let (mut stored, whole, staged) = stored_state?;
    let (planning, plans) = planned(&manifest, &mut stored, whole, &staged, subscribed);
    head.keep_planned(&plans);
    let from = FilesFrom { base };
    apply(
        store,
        net,
        clock,
        &from,
        &planning,
        &stored,
        &staged,
        &plans,
        &mut head,
        &mut outcome,
        progress,
        hand,
        // The page lists a region downloaded whole (a first sync, say)
        // before its search index is built.
        true,
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

/// Where a sync's files come from.
pub(crate) struct FilesFrom<'a> {
    /// Prefixed to each file's feed path to make its request's URL.
    pub base: &'a str,
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

/// Takes `text`, the verified data file `file` of the region `entry`,
/// into the region's `change` and, when it is replaced whole, the
/// `snapshot` being built: parses and validates it (every problem, not
/// the first) and finds where each record lies in it.
pub(crate) fn take_file(
    entry: &Region,
    file: &FileRef,
    text: &str,
    change: &mut FilesChange,
    snapshot: &mut Option<Snapshotting>,
) -> Result<(), SyncError> {
    let mut data: DataFile = feed::parse_versioned(&file.path, text)?;
    let problems = feed::validate_data_file(&file.path, &data, file, entry);
    if !problems.is_empty() {
        return Err(FeedError::Invalid { problems }.into());
    }
    let spans = change.add(file, &data, text)?;
    if let Some(building) = snapshot.take() {
        *snapshot = Some(building.add_file(&entry.id, file, &mut data, text, spans));
    }
    Ok(())
}

/// The snapshot of a region replaced whole, built as its files come: the
/// other kinds first, then the services, each indexed as it comes since
/// every organisation is known by then, and parsed only once, with its
/// data file.
pub(crate) enum Snapshotting {
    Others(SnapshotBuilder),
    Services(ServicesBuilder),
}

impl Snapshotting {
    /// A snapshot of `region` at `version` to build as its files come,
    /// with its search index left for [`index_late`] when `index_later`.
    pub(crate) fn new(region: &str, version: &str, index_later: bool) -> Self {
        let builder = RegionSnapshot::builder(region, version);
        Snapshotting::Others(if index_later {
            builder.index_later()
        } else {
            builder
        })
    }

    /// Adds a verified data file of `region`, parsed, whose records lie at
    /// `spans` in `text`. Its services are taken out of `data`.
    fn add_file(
        self,
        region: &str,
        file: &FileRef,
        data: &mut DataFile,
        text: &str,
        spans: &[talkoo_core::sync::RecordSpan],
    ) -> Self {
        match (self, file.kind) {
            (Snapshotting::Others(builder), Kind::Services) => {
                Snapshotting::Services(builder.services_follow())
                    .add_file(region, file, data, text, spans)
            }
            (Snapshotting::Services(mut services), Kind::Services) => {
                for service in std::mem::take(&mut data.services) {
                    services.add_parsed(&file.partition, service);
                }
                Snapshotting::Services(services)
            }
            (Snapshotting::Others(mut builder), _) => {
                for span in spans {
                    builder.add(RawRecord {
                        kind: span.kind,
                        region,
                        partition: &file.partition,
                        json: &text[span.start as usize..span.end as usize],
                    });
                }
                Snapshotting::Others(builder)
            }
            // The files come with the services last (see `apply`).
            (Snapshotting::Services(mut services), _) => {
                for span in spans {
                    services.add(
                        &file.partition,
                        &text[span.start as usize..span.end as usize],
                    );
                }
                Snapshotting::Services(services)
            }
        }
    }

    pub(crate) fn finish(self) -> RegionSnapshot {
        match self {
            Snapshotting::Others(builder) => builder.finish(),
            Snapshotting::Services(services) => services.finish(),
        }
    }
}

/// Applies `change`, which replaces a region whole, and stores the
/// snapshot built from its files. The snapshot is finished while storage
/// commits the change. One finished with its index is stored, and not
/// kept here: at 50,000 cards keeping it until the sync ends held tens of
/// megabytes more at the sync's peak. One whose index was left for later
/// is handed over without it, not stored, and answered, for
/// [`index_late`] to finish once every region is on screen.
async fn apply_whole<S: Store>(
    store: &S,
    change: RegionChange,
    snapshot: Snapshotting,
    hand: &mut dyn FnMut(NewSnapshot<'_>),
) -> Result<Option<RegionSnapshot>, StoreError> {
    let (applied, snapshot) = join(store.apply_region(&change), async { snapshot.finish() }).await;
    applied?;
    drop(change);
    if !snapshot.indexed() {
        hand(NewSnapshot {
            region: &snapshot.region,
            version: &snapshot.version,
            bytes: &snapshot.encode(),
            index_only: false,
        });
        return Ok(Some(snapshot));
    }
    put_snapshot(store, snapshot, hand).await;
    Ok(None)
}

/// Builds the search index of `snapshot`, handed over without it
/// ([`apply_whole`]), from the region's services `files` read back from
/// staging, then hands the index over and stores the snapshot. The files
/// are read one at a time, so no more than one is held. If one cannot be
/// read back, the snapshot is not stored: the records are, and the next
/// start has a sync worker build the snapshot from them.
async fn index_late<S: Store>(
    store: &S,
    mut snapshot: RegionSnapshot,
    files: &[&FileRef],
    hand: &mut dyn FnMut(NewSnapshot<'_>),
) {
    let index = {
        let mut late = LateIndex::new(&snapshot);
        for file in files {
            let Ok(Some(text)) = store.staged_file(&file.sha256).await else {
                return;
            };
            if index_file(&mut late, file, &text).is_err() {
                return;
            }
        }
        late.finish()
    };
    if let Some(index) = index {
        snapshot.index = index;
        hand(NewSnapshot {
            region: &snapshot.region,
            version: &snapshot.version,
            bytes: &snapshot.encode_index(),
            index_only: true,
        });
        put_snapshot(store, snapshot, &mut |_| {}).await;
    }
}

/// Indexes the services of `file`, verified before, whose text is `text`.
pub(crate) fn index_file(
    late: &mut LateIndex<'_>,
    file: &FileRef,
    text: &str,
) -> Result<(), FeedError> {
    let data: DataFile = feed::parse_versioned(&file.path, text)?;
    for service in &data.services {
        late.add(&file.partition, service);
    }
    Ok(())
}

/// Applies `change`, which replaces part of a region and writes `written`
/// (its own records and those of its files), and stores the region's
/// snapshot, built of the stored records with the change applied to them,
/// read before the change is stored. Each service is indexed as it is read
/// and kept without its long texts; the index is finished after, once
/// their JSON is gone: at 50,000 cards the two at once needed twice the
/// memory.
async fn apply_part<S: Store>(
    store: &S,
    change: RegionChange,
    written: Vec<StoredRecord>,
    hand: &mut dyn FnMut(NewSnapshot<'_>),
) -> Result<(), StoreError> {
    let (region, version) = (change.state.id.clone(), change.state.version.clone());
    let before = store
        .records(&region)
        .await?
        .into_iter()
        .map(LoadedRecord::into_stored);
    let after = records_after(before, &change, &written);
    drop(written);
    // A record kept in a stored file cannot be replaced or removed on its
    // own, so the partitions a delta touches are written again whole.
    let change = rewriting_touched(change, &after);
    let snapshot = builder_of(&region, &version, &after);
    drop(after);
    store.apply_region(&change).await?;
    drop(change);
    put_snapshot(store, snapshot.finish(), hand).await;
    Ok(())
}

/// Stores `snapshot`, written only if the region is still at its version;
/// if writing it fails, the records are stored all the same, and the next
/// start builds the snapshot from them. It is handed to `hand` first.
async fn put_snapshot<S: Store>(
    store: &S,
    snapshot: RegionSnapshot,
    hand: &mut dyn FnMut(NewSnapshot<'_>),
) {
    let (region, version, bytes) = (
        snapshot.region.clone(),
        snapshot.version.clone(),
        snapshot.encode(),
    );
    hand(NewSnapshot {
        region: &region,
        version: &version,
        bytes: &bytes,
        index_only: false,
    });
    // Freeing a large region's snapshot is work of its own (5 % of a
    // 10,000-card sync natively): it is done while storage writes the
    // bytes, after the page has them, rather than before the page gets them.
    let _ = join(store.put_snapshot(&region, &version, &bytes), async move {
        drop(snapshot);
    })
    .await;
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

/// A sync's progress as [`ProgressPacer`] lets it be reported.
struct Reporter<'a, C> {
    pacer: ProgressPacer,
    clock: &'a C,
    progress: &'a mut dyn FnMut(Progress),
}

impl<C: Clock> Reporter<'_, C> {
    /// `state` reached: reported at the start, when complete, or when
    /// [`talkoo_core::sync::PROGRESS_EVERY_MS`] have passed since the last.
    fn advanced(&mut self, state: Progress) {
        if self
            .pacer
            .advanced(self.clock.now_ms(), state.done, state.total)
        {
            (self.progress)(state);
        }
    }

    /// The sync has waited [`STAGE_AFTER_WAIT_MS`] for the network at
    /// `state`: reported unless it was.
    fn waiting(&mut self, state: Progress) {
        if self.pacer.waiting(self.clock.now_ms(), state.done) {
            (self.progress)(state);
        }
    }
}

/// Carries out `plans` for `manifest`, whose regions the device `stored`
/// before, with the files whose hashes are `staged` taken from staging:
/// fetches files ahead up to [`AHEAD_BYTES`], verifies and parses
/// each, builds each region's change completely and applies it in one
/// transaction, and removes regions no longer wanted. The network sync
/// and a bundle's import both go through here. `progress` hears the bytes
/// verified at the start, when complete, once the sync has waited
/// [`STAGE_AFTER_WAIT_MS`] for the network, and at most every
/// [`talkoo_core::sync::PROGRESS_EVERY_MS`] between ([`ProgressPacer`]).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn apply<S: Store, N: Fetch, C: Clock>(
    store: &S,
    net: &N,
    clock: &C,
    from: &FilesFrom<'_>,
    manifest: &Manifest,
    stored: &[StoredRegion],
    staged: &BTreeSet<String>,
    plans: &[RegionPlan],
    head: &mut HeadStart<N::Pending, C::Sleep>,
    outcome: &mut Outcome,
    progress: &mut dyn FnMut(Progress),
    hand: &mut dyn FnMut(NewSnapshot<'_>),
    index_later: bool,
) -> Result<(), SyncError> {
    let mut state = Progress {
        done: 0,
        total: plans.iter().map(RegionPlan::bytes).sum(),
    };
    let mut report = Reporter {
        pacer: ProgressPacer::default(),
        clock,
        progress,
    };
    report.advanced(state);
    let mut unstaged = Unstaged::default();
    // The regions handed over without their index, with their services'
    // files, indexed once every region is.
    let mut unindexed = Vec::new();
    let result = async {
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
                    // Every partition replaced: the change holds all the
                    // region's records, and its snapshot is built from the
                    // files as they come, the services' files last.
                    let whole = fetch.len() == entry.files.len();
                    let fetch = in_fetch_order(fetch);
                    let mut change = FilesChange::new(entry, have).keeping_records(!whole);
                    let mut snapshot =
                        whole.then(|| Snapshotting::new(&entry.id, &entry.version, index_later));
                    let mut asked = fetch.iter().peekable();
                    let mut pending = VecDeque::new();
                    let mut pending_bytes = 0;
                    for file in fetch.iter().copied() {
                        while let Some(next) =
                            asked.next_if(|n| asks_ahead(pending.len(), pending_bytes, n.bytes))
                        {
                            let wanted = FileToGet {
                                path: &next.path,
                                sha256: &next.sha256,
                                bytes: next.bytes,
                            };
                            pending.push_back(
                                request(
                                    store,
                                    net,
                                    clock,
                                    from.base,
                                    &wanted,
                                    staged,
                                    pending_bytes,
                                    head,
                                )
                                .await?,
                            );
                            pending_bytes += next.bytes;
                        }
                        let Some(source) = pending.pop_front() else {
                            break;
                        };
                        pending_bytes -= file.bytes;
                        let wanted = FileToGet {
                            path: &file.path,
                            sha256: &file.sha256,
                            bytes: file.bytes,
                        };
                        let (text, downloaded) = verified(
                            source,
                            store,
                            net,
                            clock,
                            &wanted,
                            &mut unstaged,
                            &mut || report.waiting(state),
                        )
                        .await?;
                        take_file(entry, file, &text, &mut change, &mut snapshot)?;
                        if downloaded {
                            outcome.bytes += file.bytes;
                            unstaged.push(store, &file.sha256, text).await?;
                        }
                        state.done += file.bytes;
                        report.advanced(state);
                    }
                    // The change refers to its files, so they are staged
                    // first, but the change does not wait for their
                    // transaction to commit: storage runs the change's,
                    // started after it, after it, and the change checks in
                    // its own transaction that each of its files is staged,
                    // so a staging that fails fails the change too.
                    unstaged.start(store).await?;
                    let (change, written) = change.finish();
                    let applying = async {
                        match snapshot {
                            Some(snapshot) => apply_whole(store, change, snapshot, hand).await,
                            None => apply_part(store, change, written, hand)
                                .await
                                .map(|()| None),
                        }
                    };
                    let (staged, applied) = join(unstaged.settle(), applying).await;
                    staged?;
                    if let Some(snapshot) = applied? {
                        let files: Vec<&FileRef> = entry
                            .files
                            .iter()
                            .filter(|f| f.kind == Kind::Services)
                            .collect();
                        unindexed.push((snapshot, files));
                    }
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
                    let source =
                        request(store, net, clock, from.base, &wanted, staged, 0, head).await?;
                    let (text, downloaded) = verified(
                        source,
                        store,
                        net,
                        clock,
                        &wanted,
                        &mut unstaged,
                        &mut || report.waiting(state),
                    )
                    .await?;
                    let file: DeltaFile = feed::parse_versioned(&delta.path, &text)?;
                    if file.region != entry.id
                        || file.from != delta.from
                        || file.to != entry.version
                    {
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
                        unstaged.push(store, &delta.sha256, text).await?;
                        unstaged.stage(store).await?;
                    }
                    state.done += delta.bytes;
                    report.advanced(state);
                    let change = change_from_delta(entry, &file);
                    let written = change.records.clone();
                    apply_part(store, change, written, hand).await?;
                    outcome.changed += 1;
                }
            }
        }
        // Every path above waits for its staging; a batch left on its way
        // would be rolled back when dropped.
        unstaged.settle().await?;
        Ok(())
    }
    .await;
    // What was verified before a failure is staged all the same, so the
    // next sync does not download it again.
    if result.is_err() {
        let _ = unstaged.stage(store).await;
    }
    // A region stored and handed over is indexed even if a later one
    // failed: its files were staged before it was applied.
    for (snapshot, files) in unindexed {
        index_late(store, snapshot, &files, hand).await;
    }
    result
}
