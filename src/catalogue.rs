//! The catalogue for components: the in-memory catalogue, the region subscription, and sync state with its triggers.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use leptos::ev;
use leptos::prelude::*;
use talkoo_core::catalogue::{Catalogue, CatalogueBuilder, RawRecord};
use talkoo_core::feed::{self, Manifest};
use talkoo_core::sync::StoredRecord;
use talkoo_store::idb::IdbStore;
use talkoo_store::{keys, Store};

use crate::pwa::base_href;
use crate::storage::use_store;
use crate::sync::{self, meta, Progress, SyncError};

/// How often an open app looks for new catalogue data.
const SYNC_INTERVAL: Duration = Duration::from_secs(30 * 60);
/// A page that becomes visible syncs only if the last try is older than this.
const VISIBLE_SYNC_AFTER_MS: f64 = 5.0 * 60.0 * 1000.0;

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
    pub last_attempt: Option<f64>,
    /// Why the last sync failed; the stored data is still shown.
    pub error: Option<SyncError>,
    /// The stored catalogue has been read at least once.
    pub loaded: bool,
}

#[derive(Debug, Clone, Copy)]
struct CatalogueContext {
    catalogue: RwSignal<Arc<Catalogue>>,
    manifest: RwSignal<Option<Arc<Manifest>>>,
    subscribed: RwSignal<Option<BTreeSet<String>>>,
    status: RwSignal<SyncStatus>,
}

/// The catalogue hook's parts.
#[derive(Debug, Clone, Copy)]
pub struct UseCatalogueReturn {
    /// Everything stored for the subscribed regions.
    pub catalogue: Signal<Arc<Catalogue>>,
    /// The last manifest read: regions, municipality names, demo flag.
    pub manifest: Signal<Option<Arc<Manifest>>>,
    /// The chosen regions; `None` until the user has chosen (first run).
    pub subscribed: Signal<Option<BTreeSet<String>>>,
    /// Sync state.
    pub status: Signal<SyncStatus>,
    /// Starts a sync now.
    pub sync_now: Callback<()>,
    /// Saves a new subscription and syncs it.
    pub subscribe: Callback<BTreeSet<String>>,
}

fn feed_base() -> String {
    format!("{}feed/", base_href())
}

/// Reads the stored regions into a catalogue, parsing each record as it is
/// read so the JSON of a large region is never held whole. A region that a
/// sync has just downloaded whole comes from `fresh` instead of being read
/// back, and each of its records is dropped once parsed.
async fn load(
    store: &IdbStore,
    regions: &BTreeSet<String>,
    mut fresh: Vec<(String, Vec<StoredRecord>)>,
) -> Catalogue {
    let mut builder = CatalogueBuilder::default();
    for region in regions {
        if let Some(at) = fresh.iter().position(|(id, _)| id == region) {
            for record in fresh.swap_remove(at).1 {
                builder.add(RawRecord {
                    kind: record.partition.0,
                    region,
                    json: &record.json,
                });
            }
            continue;
        }
        let read = store
            .each_record(region, &mut |r| {
                builder.add(RawRecord {
                    kind: r.kind,
                    region,
                    json: &r.json,
                });
            })
            .await;
        if let Err(e) = read {
            leptos::logging::warn!("cannot read region {region}: {e}");
        }
    }
    builder.finish()
}

impl CatalogueContext {
    /// Puts a freshly read catalogue on screen, then builds its search index
    /// in the next task after that frame is painted: the first results show
    /// without waiting for the index, and by the time a query is typed it
    /// is usually there (a query typed sooner builds it itself).
    fn show(self, catalogue: Catalogue) {
        let catalogue = Arc::new(catalogue);
        self.catalogue.set(catalogue.clone());
        request_animation_frame(move || {
            set_timeout(
                move || {
                    let current = self
                        .catalogue
                        .with_untracked(|c| Arc::ptr_eq(c, &catalogue));
                    if current {
                        catalogue.prepare_search();
                    }
                },
                Duration::ZERO,
            );
        });
    }

    fn run_sync(self, store: std::rc::Rc<IdbStore>) {
        if self.status.with_untracked(|s| s.running) {
            return;
        }
        self.status.update(|s| {
            s.running = true;
            s.progress = None;
            s.last_attempt = Some(js_sys::Date::now());
        });
        leptos::task::spawn_local(async move {
            let subscribed = self.subscribed.get_untracked().unwrap_or_default();
            let progress = move |p: Progress| self.status.update(|s| s.progress = Some(p));
            let result = if subscribed.is_empty() {
                // Before the first choice only the list of regions is needed.
                sync::manifest(&*store, &feed_base())
                    .await
                    .map(|(m, _)| sync::Outcome {
                        manifest: Some(m),
                        ..Default::default()
                    })
            } else {
                sync::sync(&*store, &feed_base(), &subscribed, &progress).await
            };
            match result {
                Ok(outcome) => {
                    if let Some(manifest) = outcome.manifest {
                        self.manifest.set(Some(Arc::new(manifest)));
                    }
                    if outcome.changed > 0 {
                        self.show(load(&store, &subscribed, outcome.fresh).await);
                    }
                    self.status.update(|s| {
                        s.error = None;
                        s.last_success = Some(js_sys::Date::now());
                    });
                }
                Err(e) => {
                    leptos::logging::warn!("sync failed: {e}");
                    self.status.update(|s| s.error = Some(e));
                }
            }
            self.status.update(|s| {
                s.running = false;
                s.progress = None;
            });
        });
    }
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
    };
    provide_context(ctx);
    let Some(store) = use_store().get() else {
        ctx.status.update(|s| s.loaded = true);
        return;
    };
    let start_store = store.clone();
    leptos::task::spawn_local(async move {
        let store = start_store;
        let subscribed = store
            .get_setting(keys::REGIONS)
            .await
            .ok()
            .flatten()
            .map(|text| {
                text.split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect::<BTreeSet<_>>()
            });
        if let Some(text) = store.get_meta(meta::MANIFEST).await.ok().flatten() {
            if let Ok(manifest) = feed::parse_text::<Manifest>("manifest.json", &text) {
                ctx.manifest.set(Some(Arc::new(manifest)));
            }
        }
        let last = store
            .get_meta(meta::LAST_SUCCESS)
            .await
            .ok()
            .flatten()
            .and_then(|t| t.parse().ok());
        if let Some(regions) = &subscribed {
            ctx.show(load(&store, regions, Vec::new()).await);
        }
        ctx.subscribed.set(subscribed);
        ctx.status.update(|s| {
            s.loaded = true;
            s.last_success = last;
        });
        if window().navigator().on_line() {
            ctx.run_sync(store);
        }
    });

    let online_store = store.clone();
    let _ = window_event_listener(ev::online, move |_| ctx.run_sync(online_store.clone()));
    let visible_store = store.clone();
    let _ = window_event_listener(ev::visibilitychange, move |_| {
        let recent = ctx.status.with_untracked(|s| {
            s.last_attempt
                .is_some_and(|t| js_sys::Date::now() - t < VISIBLE_SYNC_AFTER_MS)
        });
        if document().visibility_state() == web_sys::VisibilityState::Visible && !recent {
            ctx.run_sync(visible_store.clone());
        }
    });
    let timer_store = store;
    set_interval(
        move || {
            if window().navigator().on_line() {
                ctx.run_sync(timer_store.clone());
            }
        },
        SYNC_INTERVAL,
    );
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
        ctx.subscribed.set(Some(regions.clone()));
        leptos::task::spawn_local(async move {
            let text = regions.iter().cloned().collect::<Vec<_>>().join(",");
            if let Err(e) = store.put_setting(keys::REGIONS, &text).await {
                leptos::logging::warn!("cannot save the regions: {e}");
            }
            // Regions dropped from the subscription disappear from view at
            // once; sync then deletes them from storage.
            ctx.show(load(&store, &regions, Vec::new()).await);
            ctx.run_sync(store);
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
