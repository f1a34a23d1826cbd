//! The sync worker's side of a sync: the messages between the page and the worker, and the run that answers a request.
//!
//! A sync (downloads, hashing, parsing, validation, the writes and the
//! regions' snapshots) runs in a dedicated Web Worker (`crates/talkoo-sync`),
//! so the page never freezes while it runs and the first-load shell does
//! not carry its code. The page starts a worker for each sync: the worker
//! says [`FromWorker::Ready`], the page posts one [`SyncRequest`], the
//! worker answers with [`FromWorker::Progress`] as the sync reports it (at
//! its start, at most every tenth of a second, once it has waited a while
//! for the network, and complete: `talkoo_core::sync::ProgressPacer`),
//! each region's new snapshot as it is about to store it, and one
//! [`FromWorker::Done`], and the page ends the worker, which frees the
//! memory the sync used. Messages are JSON strings, but for the snapshots,
//! whose bytes go as they are ([`run_handing`]). The page then reads the
//! stored manifest, and shows the handed snapshots or reads the stored
//! ones. A page that finds stored snapshots it cannot use posts a
//! [`SnapshotsRequest`] instead: the worker builds them again from the
//! stored records, hands each over as it stores it, and says
//! [`FromWorker::Done`].
//!
//! [`run`] is generic over the platform, so the whole exchange is tested
//! natively; the worker's `main` only moves strings and bytes.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use talkoo_store::Store;

use crate::platform::{Answered, Clock, Fetch, Fetched};
use crate::sync::{self, Progress, SyncError};

/// The most the sync worker's files (its script, wasm-bindgen's glue and
/// its wasm) may weigh as sent without compression. They weigh 656 KiB
/// today (the warm-up's sample, `crate::warm`, is 21 KB of it); an
/// end-to-end test fails when they outgrow this, as the deadline below
/// would then be too short.
pub const WORKER_BYTES: u64 = 704 * 1024;

/// How long the page waits for a new worker to say it is ready: the time
/// its files take at the slowest rate a sync waits for, as for a feed file
/// ([`sync::file_deadline_ms`]). A first visit on a weak 2G link fetches
/// them from the network; later the service worker has them. Without it,
/// a worker whose files never arrive, as when a server leaves the request
/// unread, left "Fetching regions…" on screen until the page was reloaded.
pub const START_DEADLINE_MS: u64 = sync::file_deadline_ms(WORKER_BYTES);

/// What the page posts to a worker it prepared ahead of a sync, once the
/// worker is ready: the worker then warms its code
/// ([`crate::warm::warm_up`]) while the volunteer chooses; a sync asked
/// for meanwhile starts once that is done. A worker a sync took before it
/// was ready is not posted this.
pub const WARM_UP: &str = "warm-up";

/// What the page asks the worker: one sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncRequest {
    /// The feed's address, ending in `/`.
    pub base: String,
    /// The publisher keys the app was built with.
    pub pins: Vec<String>,
    /// The regions chosen when the sync started.
    pub regions: BTreeSet<String>,
}

/// What the page asks a worker when stored regions' snapshots cannot be
/// used (of another format after an update, damaged, or never written):
/// build them again from their stored records
/// ([`crate::catalogue::rebuild_all`]), hand each to the page and store
/// it. At 50,000 cards that is seconds of work, which on the page would
/// freeze it, and its code would weigh on the first-load shell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotsRequest {
    /// The regions whose snapshots are built again.
    pub rebuild: BTreeSet<String>,
}

impl SnapshotsRequest {
    /// The request as posted.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Why a sync failed, as the page shows it: the plain-words message's key
/// and, for the log, the error's own text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncFailure {
    /// The i18n key of the explanation ([`SyncError::message_key`]).
    pub key: String,
    /// The error in English, for the console.
    pub text: String,
}

impl SyncFailure {
    /// The worker could not be started, its files could not be loaded, or
    /// it stopped in the middle of a sync.
    pub const WORKER: &'static str = "sync-error-worker";

    /// The failure of a worker that could not run the sync: `text` says
    /// what happened.
    pub fn worker(text: impl Into<String>) -> Self {
        SyncFailure {
            key: Self::WORKER.to_owned(),
            text: text.into(),
        }
    }

    /// The failure of a worker that did not say it was ready within
    /// [`START_DEADLINE_MS`]: as for a stalled download, the user is told
    /// the connection stalled or was too slow.
    pub fn start_timed_out() -> Self {
        SyncFailure {
            key: "sync-error-stalled".to_owned(),
            text: format!("the sync worker did not start within {START_DEADLINE_MS} ms"),
        }
    }

    /// The i18n key of the explanation.
    pub fn message_key(&self) -> &str {
        &self.key
    }
}

impl From<&SyncError> for SyncFailure {
    fn from(e: &SyncError) -> Self {
        SyncFailure {
            key: e.message_key().to_owned(),
            text: e.to_string(),
        }
    }
}

impl std::fmt::Display for SyncFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// What a finished sync did, for the page.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SyncReport {
    /// Regions written or removed.
    pub changed: usize,
    /// The sync failed; what it had applied before stays applied.
    pub error: Option<SyncFailure>,
    /// The worker's wasm memory when it reported, in bytes: its peak, as
    /// a wasm memory never shrinks. `make bench` shows it; 0 where
    /// unknown.
    #[serde(default)]
    pub memory: u64,
}

/// A message from the worker to the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FromWorker {
    /// The worker listens; the page may post its request.
    Ready,
    /// Bytes downloaded and verified so far, and in all.
    Progress(Progress),
    /// The sync is over.
    Done(SyncReport),
}

impl FromWorker {
    /// The message as posted.
    pub fn to_json(&self) -> String {
        // A plain enum of strings and numbers always serialises.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a posted message; `None` for anything else.
    pub fn from_json(text: &str) -> Option<Self> {
        serde_json::from_str(text).ok()
    }
}

impl SyncRequest {
    /// The request as posted.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Answers one posted request, a [`SyncRequest`] or a
/// [`SnapshotsRequest`]: reports progress through `post` and ends with
/// [`FromWorker::Done`], also when the request cannot be read.
pub async fn run<S: Store, N: Fetch<Body: From<Vec<u8>>>, C: Clock>(
    store: &S,
    net: &N,
    clock: &C,
    request: &str,
    post: &mut dyn FnMut(FromWorker),
) {
    run_handing(store, net, clock, request, Vec::new(), post, &mut |_| {}).await;
}

/// [`run`], handing each region's new snapshot to `hand` before it is
/// stored ([`sync::sync_handing`]): the worker posts it to the page as
/// bytes, apart from the JSON messages, before its [`FromWorker::Done`].
/// A sync takes the answers fetched `ahead` instead of asking for them
/// ([`Answered`]): a worker started for a first run, with no manifest
/// stored, asks for the manifest and its signature as it starts, while
/// its wasm is still on its way (`crates/talkoo-sync/sync-loader.js`),
/// which on a first visit lists the regions a round trip sooner (0.6 s on
/// a slow phone link).
pub async fn run_handing<S: Store, N: Fetch<Body: From<Vec<u8>>>, C: Clock>(
    store: &S,
    net: &N,
    clock: &C,
    request: &str,
    ahead: Vec<Fetched>,
    post: &mut dyn FnMut(FromWorker),
    hand: &mut dyn FnMut(sync::NewSnapshot<'_>),
) {
    // A sync request is read first, as the one almost always posted: a
    // snapshots request lacks its fields, so it never reads as one. Trying
    // the other way round made every sync build a serde error, its message
    // formatted, before its first request (issue 13).
    let report = match serde_json::from_str::<SyncRequest>(request) {
        Ok(request) => {
            let mut progress = |p: Progress| post(FromWorker::Progress(p));
            let net = Answered::new(net, ahead);
            let result = sync::sync_handing(
                store,
                &net,
                clock,
                &request.base,
                &request.pins,
                &request.regions,
                &mut progress,
                hand,
            )
            .await;
            match result {
                Ok(outcome) => SyncReport {
                    changed: outcome.changed,
                    ..SyncReport::default()
                },
                Err(e) => SyncReport {
                    error: Some(SyncFailure::from(&e)),
                    ..SyncReport::default()
                },
            }
        }
        Err(unreadable) => match serde_json::from_str::<SnapshotsRequest>(request) {
            Ok(snapshots) => {
                match crate::catalogue::rebuild_all(store, &snapshots.rebuild, hand).await {
                    Ok(built) => SyncReport {
                        changed: built,
                        ..SyncReport::default()
                    },
                    Err(e) => SyncReport {
                        error: Some(SyncFailure::from(&SyncError::from(e))),
                        ..SyncReport::default()
                    },
                }
            }
            Err(_) => SyncReport {
                error: Some(SyncFailure::worker(format!(
                    "unreadable request: {unreadable}"
                ))),
                ..SyncReport::default()
            },
        },
    };
    post(FromWorker::Done(report));
}
