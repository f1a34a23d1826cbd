//! Runs one catalogue sync in the sync worker (`crates/talkoo-sync`), so the page stays responsive while feed files are downloaded, checked, parsed and stored.
//!
//! Each sync starts a worker and ends it once the sync is over, which
//! frees the memory the sync used (hundreds of megabytes for a region of
//! tens of thousands of cards). The exchange is
//! `talkoo_engine::worker`'s: the worker says it is ready, the page posts
//! the request, the worker reports progress and then the outcome. No sync
//! waits forever: the worker's `error` event (its files failed to load, or
//! it panicked, which aborts) ends the sync with a failure in plain words.

use futures_channel::mpsc;
use futures_util::StreamExt;
use gloo_events::EventListener;
use talkoo_engine::sync::Progress;
use talkoo_engine::worker::{FromWorker, SyncFailure, SyncReport, SyncRequest};
use wasm_bindgen::JsValue;

use crate::browser::js_text;

/// The worker's script, beside index.html; relative, so it follows the
/// document's base address under a sub-path too.
const WORKER_SCRIPT: &str = "sync-loader.js";

/// What the worker's listeners pass on.
enum Heard {
    Message(Option<FromWorker>),
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

/// Runs `request` in a new worker, calling `progress` as files are
/// verified, and answers what the sync did.
pub async fn sync(request: &SyncRequest, mut progress: impl FnMut(Progress)) -> SyncReport {
    let failed = |text: String| SyncReport {
        error: Some(SyncFailure::worker(text)),
        ..SyncReport::default()
    };
    let worker = match web_sys::Worker::new(WORKER_SCRIPT) {
        Ok(worker) => worker,
        Err(e) => return failed(js_text(&e)),
    };
    let (send, mut heard) = mpsc::unbounded();
    let on_message = {
        let send = send.clone();
        EventListener::new(&worker, "message", move |event| {
            let message = js_sys::Reflect::get(event, &JsValue::from_str("data"))
                .ok()
                .and_then(|d| d.as_string())
                .and_then(|d| FromWorker::from_json(&d));
            let _ = send.unbounded_send(Heard::Message(message));
        })
    };
    let on_error = EventListener::new(&worker, "error", move |event| {
        // Handled here: the page says it in plain words instead.
        event.prevent_default();
        let text = js_sys::Reflect::get(event, &JsValue::from_str("message"))
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_else(|| "the sync worker stopped".to_owned());
        let _ = send.unbounded_send(Heard::Failed(text));
    });
    let running = Running {
        worker,
        _on_message: on_message,
        _on_error: on_error,
    };
    while let Some(event) = heard.next().await {
        match event {
            Heard::Message(Some(FromWorker::Ready)) => {
                // A string is always cloneable, so posting it cannot fail
                // while the worker exists.
                let _ = running
                    .worker
                    .post_message(&JsValue::from_str(&request.to_json()));
            }
            Heard::Message(Some(FromWorker::Progress(p))) => progress(p),
            Heard::Message(Some(FromWorker::Done(report))) => return report,
            Heard::Message(None) => return failed("unreadable message from the worker".into()),
            Heard::Failed(text) => return failed(text),
        }
    }
    failed("the sync worker went away".into())
}
