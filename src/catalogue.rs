//! The catalogue for components: the in-memory catalogue, the region subscription, and sync state with its triggers.
//!
//! Sync itself is `talkoo_engine::sync` (tested natively), run in the sync
//! worker (`sync_worker.rs`); this module decides when it runs (start,
//! `online`, the page becoming visible, a 30-minute timer, "Update now", a
//! new subscription), makes sure a trigger that arrives during a sync runs
//! it once more, and shows storage errors instead of hiding them.

use std::cell::Cell;
use std::collections::BTreeSet;
use std::future::Future;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use futures_channel::oneshot;
use futures_util::future::join;
use gloo_timers::callback::Interval;
use leptos::ev;
use leptos::prelude::*;
use talkoo_core::catalogue::Catalogue;
use talkoo_core::feed::{self, ManifestView};
use talkoo_core::search::SearchIndex;
use talkoo_core::snapshot::RegionSnapshot;
use talkoo_engine::catalogue::{self, Loaded};
use talkoo_engine::sync::{meta, Progress};
use talkoo_engine::worker::{SyncFailure, SyncRequest};
use talkoo_engine::Rerun;
use talkoo_store::idb::IdbStore;
use talkoo_store::{Store, StoreError};

use crate::browser::{now_ms, online, yield_now};
use crate::pwa::base_href;
use crate::storage::use_store;
use crate::sync_worker::Handed;

/// How often an open app looks for new catalogue data.
const SYNC_INTERVAL: Duration = Duration::from_secs(30 * 60);
/// A page that becomes visible syncs only if the last try is older than this.
const VISIBLE_SYNC_AFTER_MS: i64 = 5 * 60 * 1000;
/// Records of a replaced catalogue dropped between two turns of the event
/// loop: a few milliseconds of a phone's time.
const SHED_PER_SLICE: usize = 2_000;

/// Where sync stands, for the status bar.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SyncStatus {
    /// A sync is under way.
    pub running: bool,
    /// Bytes of the sync under way.
    pub progress: Option<Progress>,
    /// When the last sync succeeded, ms since the epoch.
    pub last_success: Option<f64>,
    /// When the last sync was tried.
    pub last_attempt: Option<i64>,
    /// Why the last sync failed; the stored data is still shown.
    pub error: Option<SyncFailure>,
    /// Why the stored catalogue or the chosen regions could not be read.
    pub store_error: Option<StoreError>,
    /// The stored catalogue has been read at least once.
    pub loaded: bool,
    /// A sync worker builds stored regions' snapshots again (after an
    /// update changed their format), which at 50,000 cards takes seconds.
    pub rebuilding: bool,
    /// Syncs finished since the app started (with or without error), so a
    /// test or a screen reader status can tell that the sync it started
    /// is over.
    pub finished: u32,
}

#[derive(Debug, Clone, Copy)]
struct CatalogueContext {
    catalogue: RwSignal<Arc<Catalogue>>,
    manifest: RwSignal<Option<Arc<ManifestView>>>,
    subscribed: RwSignal<Option<BTreeSet<String>>>,
    status: RwSignal<SyncStatus>,
    rerun: StoredValue<Rerun, LocalStorage>,
    /// Reads of the stored catalogue started so far ([`Self::load_current`]).
    loads: StoredValue<u64>,
}

/// The catalogue hook's parts.
#[derive(Debug, Clone, Copy)]
pub struct UseCatalogueReturn {
    /// Everything stored for the subscribed regions.
    pub catalogue: Signal<Arc<Catalogue>>,
    /// The last manifest read: regions, municipality names, demo flag.
    pub manifest: Signal<Option<Arc<ManifestView>>>,
    /// The chosen regions; `None` until the user has chosen (first run).
    pub subscribed: Signal<Option<BTreeSet<String>>>,
    /// Sync state.
    pub status: Signal<SyncStatus>,
    /// Starts a sync now.
    pub sync_now: Callback<()>,
    /// Saves a new subscription and syncs it.
    pub subscribe: Callback<BTreeSet<String>>,
}

/// The publisher keys this app was built with (rule 1 of docs/feed.md):
/// `TALKOO_FEED_KEYS` when it was compiled, empty for trust on first use.
pub fn build_pins() -> Vec<String> {
    talkoo_core::pinning::build_list(option_env!("TALKOO_FEED_KEYS"))
}

fn feed_base() -> String {
    format!("{}feed/", base_href())
}

/// The snapshot a sync worker handed over, read a slice at a time.
async fn decode_handed(snapshot: Handed) -> Option<RegionSnapshot> {
    let bytes = snapshot.bytes().await;
    catalogue::decode_handed_paced(&bytes, &snapshot.region, &snapshot.version, &mut yield_now)
        .await
}

/// Has a sync worker build the `stale` regions' snapshots of `read` again
/// from their stored records (after an update changed their format, say),
/// and adds those it handed over: the page never builds one, which
/// at 50,000 cards would hold it for seconds. A region the worker could
/// not build is an error of the read, in plain words like a sync's.
/// Answers the worker, to be ended once the catalogue is shown.
async fn rebuild_stale(read: &mut catalogue::Read) -> crate::sync_worker::SyncWorker {
    let stale = std::mem::take(&mut read.stale);
    let regions = talkoo_core::tree::set_of(stale.iter().map(|(region, _)| region.clone()));
    let (report, handed, worker) = crate::sync_worker::rebuild(regions).await;
    for snapshot in handed {
        if let Some(snapshot) = decode_handed(snapshot).await {
            read.add(snapshot);
        }
    }
    for (region, _) in stale {
        if !read.snapshots.iter().any(|s| s.region == region) {
            let why = report.error.as_ref().map_or_else(
                || "its snapshot was not built".to_owned(),
                ToString::to_string,
            );
            read.errors.push((region, StoreError::Backend(why)));
        }
    }
    worker
}

impl CatalogueContext {
    /// Puts a freshly read catalogue on screen; its search index came with
    /// it (each region's snapshot holds one), except while a sync builds
    /// a region's index after handing its list over. The catalogue it
    /// replaces is then dropped a slice at a time ([`Catalogue::shed`]),
    /// once the pages have drawn the new one and let go of the old.
    async fn show(self, loaded: Loaded) {
        let Loaded { catalogue, errors } = loaded;
        for (region, e) in &errors {
            leptos::logging::warn!("cannot read region {region}: {e}");
        }
        self.status
            .update(|s| s.store_error = errors.into_iter().next().map(|(_, e)| e));
        // Putting it on screen is a task of its own, not the end of the
        // reading's last.
        yield_now().await;
        let mut old = None;
        self.catalogue
            .update(|shown| old = Some(std::mem::replace(shown, Arc::new(catalogue))));
        self.catalogue.with_untracked(|c| mark_if_searchable(c));
        yield_now().await;
        // Still held elsewhere, it is dropped whole by its last holder.
        if let Some(Ok(mut old)) = old.map(Arc::try_unwrap) {
            while old.shed(SHED_PER_SLICE) {
                yield_now().await;
            }
        }
    }

    /// Reads the regions chosen now into the catalogue on screen, from
    /// their stored snapshots, a slice at a time with a turn of the event
    /// loop between slices (`yield_now`), so that taps and drawing are not
    /// held up by a large region.
    ///
    /// Reads may overlap: a new subscription's read runs beside the sync
    /// it starts, and the sync reads again once it has written. Only the
    /// read started last is shown, so an earlier one that ends later
    /// (paced over a large region) never puts older data back on screen.
    async fn load_current(self, store: &IdbStore) {
        self.load_current_with(store, Vec::new()).await;
    }

    /// [`Self::load_current`], taking the regions in `decoded` (the
    /// snapshots a sync handed over) from there instead of storage.
    async fn load_current_with(self, store: &IdbStore, decoded: Vec<RegionSnapshot>) {
        let ticket = self.loads.get_value() + 1;
        self.loads.set_value(ticket);
        let regions = self.subscribed.get_untracked().unwrap_or_default();
        let mut read = catalogue::read_stored(store, &regions, decoded, yield_now).await;
        let worker = if read.stale.is_empty() {
            None
        } else {
            self.status.update(|s| s.rebuilding = true);
            let worker = rebuild_stale(&mut read).await;
            self.status.update(|s| s.rebuilding = false);
            Some(worker)
        };
        if self.loads.get_value() == ticket {
            self.show(read.finish()).await;
        }
        if let Some(worker) = worker {
            worker.end_when_idle().await;
        }
    }

    /// Shows the regions a sync handed over (`decoded`, one of each of
    /// `regions`, the ones it was asked for), if they are still the ones
    /// chosen, without reading storage (`catalogue::from_handed`): the
    /// worker stores a region before it hands it over, and a read of the
    /// stored versions would wait for its write of the snapshots (5 to
    /// 20 ms after the demo's and a 10,000-card region's, issue 13).
    /// Answers whether it showed them (not when one failed to decode, or
    /// the choice changed meanwhile: the sync's end then reads storage).
    async fn show_handed(self, regions: &BTreeSet<String>, decoded: Vec<RegionSnapshot>) -> bool {
        if self
            .subscribed
            .with_untracked(|s| s.as_ref() != Some(regions))
        {
            return false;
        }
        let Some(read) = catalogue::from_handed(regions, decoded) else {
            return false;
        };
        let ticket = self.loads.get_value() + 1;
        self.loads.set_value(ticket);
        self.show(read.finish()).await;
        true
    }

    /// Adds a region's search index, handed over after the region was
    /// shown without it (`Catalogue::set_index`), to the catalogue on
    /// screen, which shows the new search results of a query typed
    /// meanwhile.
    fn add_index(self, (region, version, index): (String, String, SearchIndex)) {
        if self
            .catalogue
            .with_untracked(|c| c.set_index(&region, &version, index))
        {
            self.catalogue.notify();
            self.catalogue.with_untracked(|c| mark_if_searchable(c));
        }
    }

    /// Shows the stored manifest, when there is one that can be read.
    async fn read_manifest(self, store: &IdbStore) -> Result<(), StoreError> {
        if let Some(text) = store.get_meta(meta::MANIFEST).await? {
            if let Ok(manifest) = feed::parse_text::<ManifestView>("manifest.json", &text) {
                self.manifest.set(Some(Arc::new(manifest)));
            }
        }
        Ok(())
    }

    /// Runs `work`, which reads or (`writes`) writes the catalogue from
    /// outside this context (the module's export or import of a bundle),
    /// while no sync runs: a sync under way finishes first, and one asked
    /// for meanwhile runs afterwards. After a write, shows what is stored:
    /// the chosen regions, the manifest and the catalogue.
    async fn exclusive<T>(
        self,
        store: Rc<IdbStore>,
        work: impl Future<Output = T>,
        writes: bool,
    ) -> T {
        // Asking only when nothing runs, so the wait queues no extra sync.
        while !self.rerun.with_value(|r| !r.running() && r.request(true)) {
            gloo_timers::future::TimeoutFuture::new(100).await;
        }
        let result = work.await;
        if writes {
            if let Ok(Some(regions)) = catalogue::subscription(&*store).await {
                self.subscribed.set(Some(regions));
            }
            if let Err(e) = self.read_manifest(&store).await {
                leptos::logging::warn!("cannot read the stored manifest: {e}");
            }
            // An import moves the information's update time forward.
            if let Ok(Some(time)) = store.get_meta(meta::LAST_SUCCESS).await {
                let time = time.parse().ok();
                self.status
                    .update(|s| s.last_success = time.or(s.last_success));
            }
            self.load_current(&store).await;
        }
        let mut asked = false;
        while self.rerun.with_value(Rerun::finish).is_some() {
            asked = true;
        }
        if asked {
            self.run_sync(store);
        }
        result
    }

    /// Syncs, and syncs again for every trigger that arrives meanwhile.
    /// Each run reads the subscription as it is then, and the catalogue
    /// shown afterwards is that of the regions chosen when the run ended,
    /// so a region chosen during a sync is neither skipped nor shown stale.
    fn run_sync(self, store: Rc<IdbStore>) {
        if !self.rerun.with_value(|r| r.request(true)) {
            return;
        }
        leptos::task::spawn_local(async move {
            // The last run's worker, ended when the page is idle after the
            // last run (see `SyncWorker`), or at once when another starts.
            let mut finished = None;
            loop {
                drop(finished.take());
                self.status.update(|s| {
                    s.running = true;
                    s.progress = None;
                    s.last_attempt = Some(now_ms());
                });
                let subscribed = self.subscribed.get_untracked().unwrap_or_default();
                let request = SyncRequest {
                    base: feed_base(),
                    pins: build_pins(),
                    regions: subscribed.clone(),
                };
                // With no manifest stored (a first visit), the worker's
                // first request is the whole manifest: it asks for it
                // while its wasm loads.
                let ahead = self.manifest.with_untracked(Option::is_none);
                let progress = move |p: Progress| self.status.update(|s| s.progress = Some(p));
                // Each region's new snapshot is read as soon as the worker
                // hands it over, while the worker stores it. Once it has
                // handed over one of every region chosen, they are shown
                // as soon as they are read (`show_handed`), without
                // waiting for the worker to store them; otherwise, once
                // the sync has succeeded. A region downloaded whole (a
                // first sync, say) is handed over without its search
                // index, which follows alone: added to the regions shown
                // early (`add_index`), and otherwise left, as the region
                // is read again at the end.
                let mut reading = Vec::new();
                let mut chosen_handed = 0;
                let mut early = None;
                let shown_early = Rc::new(Cell::new(false));
                // The search indexes that follow regions handed over
                // without them, added once the sync is over.
                let mut indexes = Vec::new();
                let handed = |snapshot: Handed| {
                    if snapshot.index_only {
                        indexes.push(snapshot);
                        return;
                    }
                    // A sync hands a region's list over once.
                    if subscribed.contains(&snapshot.region) {
                        chosen_handed += 1;
                    }
                    let (done, read) = oneshot::channel();
                    reading.push(read);
                    leptos::task::spawn_local(async move {
                        let _ = done.send(decode_handed(snapshot).await);
                    });
                    if early.is_none() && chosen_handed > 0 && chosen_handed == subscribed.len() {
                        let reads = std::mem::take(&mut reading);
                        let regions = subscribed.clone();
                        let shown_early = shown_early.clone();
                        let (shown, wait) = oneshot::channel();
                        early = Some(wait);
                        leptos::task::spawn_local(async move {
                            let decoded = decoded(reads).await;
                            shown_early.set(self.show_handed(&regions, decoded).await);
                            let _ = shown.send(());
                        });
                    }
                };
                let (report, worker) =
                    crate::sync_worker::sync(&request, ahead, progress, handed).await;
                // What was handed over is on screen before the outcome is,
                // and then gets its search index.
                if let Some(wait) = early {
                    let _ = wait.await;
                }
                let shown_early = shown_early.get();
                if shown_early {
                    for handed in indexes {
                        if let Some(index) = decode_index(handed).await {
                            self.add_index(index);
                        }
                    }
                }
                // Shown without an index that never came (the worker could
                // not read a file back): read again, from storage, where a
                // region without a snapshot is built again from its records.
                let unindexed = shown_early && !self.catalogue.with_untracked(|c| c.searchable());
                if let Some(e) = report.error {
                    drop(worker);
                    leptos::logging::warn!("sync failed: {e}");
                    self.status.update(|s| s.error = Some(e));
                    if unindexed {
                        self.load_current_with(&store, decoded(reading).await).await;
                    }
                } else {
                    // The worker stored the manifest it accepted and the
                    // snapshots of the regions it wrote; both are read back,
                    // the manifest while the catalogue is, since the new
                    // results need only the catalogue.
                    let manifest = async {
                        if let Err(e) = self.read_manifest(&store).await {
                            leptos::logging::warn!("cannot read the stored manifest: {e}");
                        }
                    };
                    let now = self.subscribed.get_untracked().unwrap_or_default();
                    let load = async {
                        if (report.changed > 0 && !shown_early) || unindexed || now != subscribed {
                            self.load_current_with(&store, decoded(reading).await).await;
                        }
                    };
                    join(manifest, load).await;
                    finished = Some(worker);
                    self.status.update(|s| {
                        s.error = None;
                        // The first run fetched only the list of regions.
                        if !subscribed.is_empty() {
                            s.last_success = Some(now_ms() as f64);
                        }
                    });
                }
                let again = self.rerun.with_value(Rerun::finish).is_some();
                self.status.update(|s| s.finished += 1);
                if !again {
                    break;
                }
            }
            self.status.update(|s| {
                s.running = false;
                s.progress = None;
            });
            // The first run listed the regions: a tap on one syncs next.
            if finished.is_some()
                && self
                    .subscribed
                    .with_untracked(|s| s.as_ref().is_none_or(BTreeSet::is_empty))
            {
                crate::sync_worker::prepare();
            }
            if let Some(worker) = finished {
                worker.end_when_idle().await;
            }
        });
    }
}

/// A user timing mark, so `make bench` can tell when a catalogue with
/// cards and its search index are in use: not for a catalogue with no
/// region downloaded, nor for one whose index is still being built.
fn mark_if_searchable(catalogue: &Catalogue) {
    if catalogue.searchable() && catalogue.region_versions().any(|(_, v)| !v.is_empty()) {
        if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
            let _ = performance.mark("talkoo-search-index");
        }
    }
}

/// A region's search index a sync worker handed over alone, read with a
/// turn of the event loop between its copy, the reading of its arrays and
/// their putting together (each tens of milliseconds at 50,000 cards).
async fn decode_index(handed: Handed) -> Option<(String, String, SearchIndex)> {
    let bytes = handed.bytes().await;
    yield_now().await;
    let (region, version, parts) = talkoo_core::snapshot::index_parts(&bytes).ok()?;
    drop(bytes);
    yield_now().await;
    Some((region, version, SearchIndex::from_parts(parts)?))
}

/// The snapshots whose reads were started as a sync worker handed them
/// over, once read; one that did not read is left out.
async fn decoded(reading: Vec<oneshot::Receiver<Option<RegionSnapshot>>>) -> Vec<RegionSnapshot> {
    let mut decoded = Vec::new();
    for read in reading {
        if let Ok(Some(snapshot)) = read.await {
            decoded.push(snapshot);
        }
    }
    decoded
}

/// Reads what was stored at start: the subscription, the last manifest,
/// when the last sync succeeded, and the catalogue.
async fn start(ctx: CatalogueContext, store: &IdbStore) -> Result<(), StoreError> {
    let subscribed = catalogue::subscription(store).await?;
    ctx.read_manifest(store).await?;
    let last = store
        .get_meta(meta::LAST_SUCCESS)
        .await?
        .and_then(|t| t.parse().ok());
    ctx.subscribed.set(subscribed);
    ctx.status.update(|s| s.last_success = last);
    if ctx.subscribed.with_untracked(Option::is_some) {
        ctx.load_current(store).await;
    }
    Ok(())
}

/// Reads the subscription and stored catalogue, then keeps it in sync: at
/// start, when the device comes online, when the page becomes visible, on a
/// timer, and on demand.
pub fn provide_catalogue() {
    let ctx = CatalogueContext {
        catalogue: RwSignal::new(Arc::new(Catalogue::default())),
        manifest: RwSignal::new(None),
        subscribed: RwSignal::new(None),
        status: RwSignal::new(SyncStatus::default()),
        rerun: StoredValue::new_local(Rerun::new()),
        loads: StoredValue::new(0),
    };
    provide_context(ctx);
    let Some(store) = use_store().get() else {
        ctx.status.update(|s| s.loaded = true);
        return;
    };
    let start_store = store.clone();
    leptos::task::spawn_local(async move {
        let read = start(ctx, &start_store).await;
        let failed = read.is_err();
        ctx.status.update(|s| {
            s.loaded = true;
            if let Err(e) = read {
                leptos::logging::warn!("cannot read the stored catalogue: {e}");
                s.store_error = Some(e);
            }
        });
        // Without knowing what was chosen a sync could only guess; the
        // error stays on screen instead.
        if online() && !failed {
            ctx.run_sync(start_store);
        }
    });

    let online_store = store.clone();
    let _ = window_event_listener(ev::online, move |_| ctx.run_sync(online_store.clone()));
    let visible_store = store.clone();
    let _ = window_event_listener(ev::visibilitychange, move |_| {
        let recent = ctx.status.with_untracked(|s| {
            s.last_attempt
                .is_some_and(|t| now_ms() - t < VISIBLE_SYNC_AFTER_MS)
        });
        if document().visibility_state() == web_sys::VisibilityState::Visible && !recent {
            ctx.run_sync(visible_store.clone());
        }
    });
    let timer_store = store;
    // The timer lives as long as the page.
    Interval::new(SYNC_INTERVAL.as_millis() as u32, move || {
        if online() {
            ctx.run_sync(timer_store.clone());
        }
    })
    .forget();
}

/// Importing a `.talkoo` bundle, for Settings: the module reads and
/// applies it (`src/import.rs`) while this context holds its syncs back.
#[derive(Debug, Clone, Copy)]
pub struct UseImportReturn {
    ctx: CatalogueContext,
    store: crate::storage::UseStoreReturn,
    module: crate::badges_host::UseBackupReturn,
}

/// The import hook: see [`UseImportReturn::import`].
pub fn use_import() -> UseImportReturn {
    UseImportReturn {
        ctx: expect_context::<CatalogueContext>(),
        store: use_store(),
        module: crate::badges_host::use_backup(),
    }
}

impl UseImportReturn {
    /// Imports a bundle's bytes (a `Uint8Array`); answers the line that
    /// says what is now in use, or why the file was not used.
    pub async fn import(self, bytes: js_sys::Uint8Array) -> Result<String, String> {
        let Some(store) = self.store.get() else {
            return Err(self.module.import_load_failed());
        };
        self.ctx
            .exclusive(store, self.module.import_bundle(bytes), true)
            .await
    }

    /// Writes a bundle of the stored catalogue to pass it on, with syncs
    /// held back so that none drops a file the bundle is read from.
    pub async fn export(self) -> Result<crate::badges_host::BundleFile, String> {
        let Some(store) = self.store.get() else {
            return Err(self.module.import_load_failed());
        };
        self.ctx
            .exclusive(store, self.module.export_bundle(), false)
            .await
    }
}

/// The catalogue hook.
pub fn use_catalogue() -> UseCatalogueReturn {
    let ctx = expect_context::<CatalogueContext>();
    let store = use_store();
    let sync_now = Callback::new(move |()| {
        if let Some(store) = store.get() {
            ctx.run_sync(store);
        }
    });
    let subscribe = Callback::new(move |regions: BTreeSet<String>| {
        let Some(store) = store.get() else { return };
        // The sync starts at once: its request names the regions, so it
        // need not wait for their save and the read below, which took
        // 30 ms of the demo's first sync. It is asked for before the
        // regions are set, so that its task, which reads them, runs before
        // the tasks drawing the page for them, and the worker has its
        // request while the page draws (it waited 13 ms for that drawing).
        ctx.run_sync(store.clone());
        ctx.subscribed.set(Some(regions.clone()));
        leptos::task::spawn_local(async move {
            let saved = catalogue::subscribe(&*store, &regions).await;
            // Regions dropped from the subscription disappear from view at
            // once; sync then deletes them from storage.
            ctx.load_current(&store).await;
            // After the load, which reports only what it read, so a failed
            // save stays on screen.
            if let Err(e) = saved {
                leptos::logging::warn!("cannot save the regions: {e}");
                ctx.status.update(|s| s.store_error = Some(e));
            }
        });
    });
    UseCatalogueReturn {
        catalogue: ctx.catalogue.into(),
        manifest: ctx.manifest.into(),
        subscribed: ctx.subscribed.into(),
        status: ctx.status.into(),
        sync_now,
        subscribe,
    }
}
