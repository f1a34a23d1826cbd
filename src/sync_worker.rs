//! Runs one catalogue sync in the sync worker (`crates/talkoo-sync`), so the page stays responsive while feed files are downloaded, checked, parsed and stored.
//!
//! Each sync starts a worker and ends it once the sync is over, which
//! frees the memory the sync used (hundreds of megabytes for a region of
//! tens of thousands of cards). The caller ends it ([`SyncWorker`]) only
//! once the page has shown the new catalogue and has nothing left to do:
//! the browser frees a large worker's memory on a thread of its own, but
//! while it does (about 100 ms here for the 400 MB a
//! 50,000-card sync took) the page's main
//! thread waits whenever it needs memory mapped, so a page reading and
//! drawing the catalogue at that moment froze for up to 92 ms. The
//! exchange is
//! `talkoo_engine::worker`'s: the worker says it is ready, the page posts
//! the request, the worker reports progress and then the outcome. The
//! same exchange has a worker build stored snapshots the page cannot use
//! again from their records ([`rebuild`]). No sync
//! waits forever: the worker's `error` event (its files failed to load, or
//! it panicked, which aborts), or the page's own download of the worker's
//! wasm failing ([`give_wasm`]), ends the sync with a failure in plain words,
//! and so does a worker that is not ready by
//! [`talkoo_engine::worker::START_DEADLINE_MS`] (its files never arrived).

use std::cell::Cell;
use std::collections::BTreeSet;
use std::rc::Rc;

use futures_channel::mpsc;
use futures_util::future::{select, Either};
use futures_util::StreamExt;
use gloo_events::EventListener;
use gloo_timers::future::TimeoutFuture;
use talkoo_engine::sync::Progress;
use talkoo_engine::worker::{
    FromWorker, SnapshotsRequest, SyncFailure, SyncReport, SyncRequest, START_DEADLINE_MS, WARM_UP,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::browser::js_text;

/// The worker's script, beside index.html; relative, so it follows the
/// document's base address under a sub-path too.
const WORKER_SCRIPT: &str = "sync-loader.js";

/// The worker's wasm, which the page asks for as it starts the worker
/// ([`give_wasm`]); relative like [`WORKER_SCRIPT`].
const WORKER_WASM: &str = "talkoo-sync_bg.wasm";

/// What the worker's listeners pass on.
enum Heard {
    Message(Option<FromWorker>),
    /// A region's new snapshot (`talkoo_engine::sync::NewSnapshot`), posted
    /// as an object with its bytes before the outcome.
    Snapshot(Handed),
    Failed(String),
}

/// A running worker, ended when dropped (also when the sync's future is
/// dropped before it finished).
struct Running {
    worker: web_sys::Worker,
    _on_message: EventListener,
    _on_error: EventListener,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// The worker of a sync that is over. Dropped, it ends at once (a failed
/// sync, or a page going away); [`SyncWorker::end_when_idle`] ends it once
/// the page is idle.
#[must_use = "the worker ends when this is dropped"]
pub struct SyncWorker {
    running: Option<Running>,
    /// Its peak memory in bytes ([`SyncReport::memory`]).
    memory: u64,
}

impl SyncWorker {
    /// Ends the worker when the page next has nothing to do (at most
    /// [`IDLE_WAIT_MS`] later), and marks that moment for `make bench`
    /// (`talkoo-sync-worker-ended`).
    pub async fn end_when_idle(self) {
        let SyncWorker { running, memory } = self;
        if running.is_none() {
            return;
        }
        idle().await;
        drop(running);
        if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
            // `{ detail }` tells the bench the worker's peak memory.
            let options = js_sys::Object::new();
            let _ = js_sys::Reflect::set(
                &options,
                &JsValue::from_str("detail"),
                &JsValue::from_f64(memory as f64),
            );
            let _ = js_sys::Reflect::get(&performance, &JsValue::from_str("mark"))
                .ok()
                .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
                .map(|mark| {
                    mark.call2(
                        &performance,
                        &JsValue::from_str("talkoo-sync-worker-ended"),
                        &options,
                    )
                });
        }
    }
}

/// How long the page waits for an idle moment before it ends a finished
/// worker all the same: a page kept busy must not keep the worker's
/// memory.
pub const IDLE_WAIT_MS: u32 = 2_000;

/// Resolves when the page is idle (`requestIdleCallback`), or after a turn
/// of the event loop in a browser without it (Safari). Called through
/// reflection: web-sys's typed binding made the first-load shell 1 KB
/// larger (brotli).
pub(crate) async fn idle() {
    let window = js_sys::global();
    let request = js_sys::Reflect::get(&window, &JsValue::from_str("requestIdleCallback"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let Some(request) = request else {
        crate::browser::yield_now().await;
        return;
    };
    let (send, receive) = futures_channel::oneshot::channel::<()>();
    let callback = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = send.send(());
    });
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(
        &options,
        &JsValue::from_str("timeout"),
        &JsValue::from(IDLE_WAIT_MS),
    );
    if request.call2(&window, &callback, &options).is_ok() {
        let _ = receive.await;
    }
}

fn failed(text: String) -> SyncReport {
    SyncReport {
        error: Some(SyncFailure::worker(text)),
        ..SyncReport::default()
    }
}

/// A worker with its listeners, and what they have heard so far.
struct Started {
    running: Running,
    heard: mpsc::UnboundedReceiver<Heard>,
    /// Set once a sync has taken the worker: one prepared ahead of its
    /// sync is then no longer asked to warm up when it says it is ready.
    taken: Rc<Cell<bool>>,
}

thread_local! {
    /// A worker started before the sync it will run ([`prepare`]).
    static SPARE: std::cell::RefCell<Option<Started>> = const { std::cell::RefCell::new(None) };
}

/// Starts a worker and listens to it. A worker started ahead of its
/// sync (`warm`) is asked to warm up as soon as it is ready, unless its
/// sync has taken it by then: the request, posted as soon as the worker
/// is ready, would otherwise wait behind the warm-up (7 to 20 ms here),
/// which only saves time when it runs before the tap. A worker named
/// after the feed's address (`ahead`) asks for its manifest and signature
/// as it starts (`crates/talkoo-sync/sync-loader.js`); its sync takes
/// them, checked as if it had fetched them.
fn start(warm: bool, ahead: Option<&str>) -> Result<Started, String> {
    let options = web_sys::WorkerOptions::new();
    if let Some(feed) = ahead {
        options.set_name(feed);
    }
    let worker =
        web_sys::Worker::new_with_options(WORKER_SCRIPT, &options).map_err(|e| js_text(&e))?;
    let (send, heard) = mpsc::unbounded();
    let taken = Rc::new(Cell::new(false));
    let on_message = {
        let send = send.clone();
        let target = worker.clone();
        let taken = taken.clone();
        EventListener::new(&worker, "message", move |event| {
            let data = js_sys::Reflect::get(event, &JsValue::from_str("data")).ok();
            let heard = match data.as_ref().and_then(Handed::from_message) {
                Some(snapshot) => Heard::Snapshot(snapshot),
                None => Heard::Message(
                    data.and_then(|d| d.as_string())
                        .and_then(|d| FromWorker::from_json(&d)),
                ),
            };
            if warm && !taken.get() && matches!(heard, Heard::Message(Some(FromWorker::Ready))) {
                let _ = target.post_message(&JsValue::from_str(WARM_UP));
            }
            let _ = send.unbounded_send(heard);
        })
    };
    give_wasm(&worker, send.clone());
    let on_error = EventListener::new(&worker, "error", move |event| {
        // Handled here: the page says it in plain words instead.
        event.prevent_default();
        let text = js_sys::Reflect::get(event, &JsValue::from_str("message"))
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_else(|| "the sync worker stopped".to_owned());
        let _ = send.unbounded_send(Heard::Failed(text));
    });
    Ok(Started {
        running: Running {
            worker,
            _on_message: on_message,
            _on_error: on_error,
        },
        heard,
        taken,
    })
}

/// Asks for the worker's wasm and posts its bytes to the worker, which
/// waits for them as its first message (`crates/talkoo-sync/sync-loader.js`),
/// their buffer transferred rather than copied. Asked for here, as the
/// worker starts, rather than by the worker's script once it has arrived:
/// on a first visit, before the service worker serves the app, that script
/// is a round trip of its own, 0.6 s on the slow link of `make bench`
/// (issue 13). A page that cannot get them fails the sync as it does for a
/// worker that cannot load.
fn give_wasm(worker: &web_sys::Worker, heard: mpsc::UnboundedSender<Heard>) {
    let worker = worker.clone();
    leptos::task::spawn_local(async move {
        match wasm_bytes().await {
            Ok(buffer) => {
                // Posting to a worker already ended does nothing.
                let _ = worker.post_message_with_transfer(&buffer, &js_sys::Array::of1(&buffer));
            }
            Err(text) => {
                let _ = heard.unbounded_send(Heard::Failed(text));
            }
        }
    });
}

/// The bytes of [`WORKER_WASM`] as an `ArrayBuffer`.
async fn wasm_bytes() -> Result<JsValue, String> {
    let failed = |e: JsValue| format!("{WORKER_WASM}: {}", js_text(&e));
    let window = web_sys::window().ok_or_else(|| format!("{WORKER_WASM}: no window"))?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(WORKER_WASM))
        .await
        .map_err(failed)?
        .unchecked_into();
    if !response.ok() {
        // The status as JavaScript writes it: the shell formats no other
        // integer of its size.
        return Err(format!(
            "{WORKER_WASM}: HTTP {}",
            js_text(&response.status().into())
        ));
    }
    JsFuture::from(response.array_buffer().map_err(failed)?)
        .await
        .map_err(failed)
}

/// Starts a worker for the next sync now, when one is sure to follow (the
/// first run shows the regions, and the next tap syncs one): its files load
/// and its wasm compiles while the volunteer reads the list, not after the
/// tap (40 to 60 ms in `make bench`), and it warms its code up
/// (`talkoo_engine::warm`). Does nothing if one is waiting.
pub fn prepare() {
    SPARE.with(|spare| {
        let mut spare = spare.borrow_mut();
        if spare.is_none() {
            *spare = start(true, None).ok();
        }
    });
}

/// The prepared worker, if it is still usable, and whether it is ready.
/// One whose files failed to load (offline when it was prepared) is ended,
/// and the sync starts a new one.
fn take_spare() -> Option<(Started, bool)> {
    let mut started = SPARE.with(|spare| spare.borrow_mut().take())?;
    started.taken.set(true);
    let mut ready = false;
    while let Ok(event) = started.heard.try_recv() {
        match event {
            Heard::Message(Some(FromWorker::Ready)) => ready = true,
            _ => return None,
        }
    }
    Some((started, ready))
}

/// A region's snapshot as the sync worker handed it over, before it
/// stored it.
#[derive(Debug)]
pub struct Handed {
    /// The region.
    pub region: String,
    /// The version it is of.
    pub version: String,
    /// The encoded snapshot, in the buffer the worker transferred; see
    /// [`Handed::bytes`].
    pub bytes: js_sys::Uint8Array,
    /// Whether `bytes` are only the search index of a region handed over
    /// before without it (`talkoo_engine::sync::NewSnapshot::index_only`).
    pub index_only: bool,
}

impl Handed {
    /// The snapshot in a worker's message, if it is one (the others are
    /// JSON strings).
    fn from_message(data: &JsValue) -> Option<Handed> {
        if !data.is_object() {
            return None;
        }
        let field = |name: &str| js_sys::Reflect::get(data, &JsValue::from_str(name)).ok();
        Some(Handed {
            region: field("snapshot")?.as_string()?,
            version: field("version")?.as_string()?,
            bytes: field("bytes")?.dyn_into::<js_sys::Uint8Array>().ok()?,
            index_only: field("index").is_some_and(|i| i.is_truthy()),
        })
    }

    /// The snapshot's bytes in the page's memory, copied a slice at a time
    /// with a turn of the event loop between two
    /// ([`talkoo_engine::catalogue::copy_paced`]): a large region's, copied
    /// at once when its message arrived, was a long task.
    pub async fn bytes(&self) -> Vec<u8> {
        let array = &self.bytes;
        talkoo_engine::catalogue::copy_paced(
            array.length() as usize,
            |from, into| {
                // Offsets within a typed array's length fit in a u32.
                array
                    .subarray(from as u32, (from + into.len()) as u32)
                    .copy_to(into);
            },
            &mut crate::browser::yield_now,
        )
        .await
    }
}

/// Runs `request` in the prepared worker or a new one, calling `progress`
/// as files are verified and `handed` with each region's new snapshot, and
/// answers what the sync did, with the worker, which the caller ends
/// ([`SyncWorker`]). With `ahead` (no manifest stored), a new worker asks
/// for the manifest and its signature as it starts ([`start`]).
pub async fn sync(
    request: &SyncRequest,
    ahead: bool,
    progress: impl FnMut(Progress),
    handed: impl FnMut(Handed),
) -> (SyncReport, SyncWorker) {
    let (
        Started {
            running, mut heard, ..
        },
        ready,
    ) = match take_spare() {
        Some(spare) => spare,
        None => match start(false, ahead.then_some(request.base.as_str())) {
            Ok(started) => (started, false),
            Err(e) => {
                return (
                    failed(e),
                    SyncWorker {
                        running: None,
                        memory: 0,
                    },
                )
            }
        },
    };
    let report = exchange(
        &running,
        &request.to_json(),
        &mut heard,
        ready,
        progress,
        handed,
    )
    .await;
    let worker = SyncWorker {
        running: Some(running),
        memory: report.memory,
    };
    (report, worker)
}

/// Has a new worker build the snapshots of `regions` again from their
/// stored records (`talkoo_engine::worker::SnapshotsRequest`), off the
/// page's thread; answers its report and the snapshots it handed over,
/// with the worker, which the caller ends ([`SyncWorker`]). The prepared
/// worker is left to the sync it waits for.
pub async fn rebuild(regions: BTreeSet<String>) -> (SyncReport, Vec<Handed>, SyncWorker) {
    let Started {
        running, mut heard, ..
    } = match start(false, None) {
        Ok(started) => started,
        Err(e) => {
            let worker = SyncWorker {
                running: None,
                memory: 0,
            };
            return (failed(e), Vec::new(), worker);
        }
    };
    let request = SnapshotsRequest { rebuild: regions }.to_json();
    let mut handed = Vec::new();
    let report = exchange(
        &running,
        &request,
        &mut heard,
        false,
        |_| {},
        |snapshot| handed.push(snapshot),
    )
    .await;
    let worker = SyncWorker {
        running: Some(running),
        memory: report.memory,
    };
    (report, handed, worker)
}

/// Posts `request` once the worker is ready (at once if it said so
/// already) and follows its messages until
/// it reports the outcome or fails. The worker must be ready within
/// [`START_DEADLINE_MS`]; after that, the sync's own requests have their
/// deadlines.
async fn exchange(
    running: &Running,
    request: &str,
    heard: &mut mpsc::UnboundedReceiver<Heard>,
    ready: bool,
    mut progress: impl FnMut(Progress),
    mut handed: impl FnMut(Handed),
) -> SyncReport {
    let post = || {
        // A string is always cloneable, so posting it cannot fail while
        // the worker exists.
        let _ = running.worker.post_message(&JsValue::from_str(request));
    };
    let mut start = if ready {
        post();
        None
    } else {
        Some(TimeoutFuture::new(
            u32::try_from(START_DEADLINE_MS).unwrap_or(u32::MAX),
        ))
    };
    loop {
        let event = match start.as_mut() {
            Some(deadline) => match select(heard.next(), deadline).await {
                Either::Left((event, _)) => event,
                Either::Right(((), _)) => {
                    return SyncReport {
                        error: Some(SyncFailure::start_timed_out()),
                        ..SyncReport::default()
                    }
                }
            },
            None => heard.next().await,
        };
        let Some(event) = event else {
            return failed("the sync worker went away".into());
        };
        match event {
            Heard::Message(Some(FromWorker::Ready)) => {
                start = None;
                post();
            }
            Heard::Message(Some(FromWorker::Progress(p))) => progress(p),
            Heard::Snapshot(snapshot) => handed(snapshot),
            Heard::Message(Some(FromWorker::Done(report))) => return report,
            Heard::Message(None) => return failed("unreadable message from the worker".into()),
            Heard::Failed(text) => return failed(text),
        }
    }
}
