//! The sync worker's entry point: runs the one sync the page asks for and posts its progress and outcome back.
//!
//! Built by Trunk as a worker (`data-type="worker"` in index.html) and
//! started by the shell (`src/sync_worker.rs`) for each sync, which ends
//! it afterwards. It opens its own connection to the app's IndexedDB
//! database. A panic aborts (release profile), which the page sees as the
//! worker's `error` event.

#[cfg(target_arch = "wasm32")]
fn main() {
    use std::cell::Cell;
    use std::rc::Rc;

    use talkoo_engine::worker::{self, FromWorker, SyncFailure, SyncReport};
    use talkoo_store::idb::IdbStore;
    use talkoo_web::Browser;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    // Posting a string to the page that created this worker cannot fail:
    // strings are always cloneable.
    let post = {
        let scope = scope.clone();
        move |mut message: FromWorker| {
            if let FromWorker::Done(report) = &mut message {
                report.memory = memory_bytes();
            }
            let _ = scope.post_message(&JsValue::from_str(&message.to_json()));
        }
    };
    // Each region's new snapshot goes to the page as bytes, apart from the
    // JSON messages, with its buffer transferred rather than copied; the
    // page reads it while this worker stores it. A region downloaded whole
    // comes without its search index, which follows alone (`index`).
    let hand = {
        let scope = scope.clone();
        move |snapshot: talkoo_engine::sync::NewSnapshot<'_>| {
            let bytes = js_sys::Uint8Array::from(snapshot.bytes);
            let message = js_sys::Object::new();
            for (key, value) in [
                ("snapshot", JsValue::from_str(snapshot.region)),
                ("version", JsValue::from_str(snapshot.version)),
                ("bytes", bytes.clone().into()),
                ("index", JsValue::from_bool(snapshot.index_only)),
            ] {
                let _ = js_sys::Reflect::set(&message, &JsValue::from_str(key), &value);
            }
            let _ =
                scope.post_message_with_transfer(&message, &js_sys::Array::of1(&bytes.buffer()));
        }
    };
    // The database is opened while the worker waits for its request: a
    // worker the page prepared ahead of a sync (`src/sync_worker.rs`) then
    // starts the sync at once, and a new one opens it while the page posts.
    let (opened, opening) = futures_channel::oneshot::channel();
    wasm_bindgen_futures::spawn_local(async move {
        let _ = opened.send(IdbStore::open_default().await);
    });
    let opening = Rc::new(Cell::new(Some(opening)));
    let busy = Rc::new(Cell::new(false));
    let answer = post.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let request = event.data().as_string().unwrap_or_default();
        // A prepared worker's warm-up runs at once, in one task: a request
        // posted meanwhile waits for it in the worker's queue. What it
        // made is kept from the optimiser, which could otherwise drop work
        // whose result nobody reads.
        if request == worker::WARM_UP {
            match std::hint::black_box(talkoo_engine::warm::warm_up()) {
                Ok(_) => {}
                Err(e) => {
                    web_sys::console::warn_1(&format!("the sync worker's warm-up: {e}").into())
                }
            }
            // The storage reads a sync starts with, on a connection of
            // their own, closed after: the one opened at start is the
            // sync's.
            wasm_bindgen_futures::spawn_local(async {
                if let Ok(store) = IdbStore::open_default().await {
                    if let Err(e) =
                        std::hint::black_box(talkoo_engine::warm::warm_storage(&store).await)
                    {
                        web_sys::console::warn_1(
                            &format!("the sync worker's warm-up of storage: {e}").into(),
                        );
                    }
                    store.close();
                }
            });
            return;
        }
        let mut post = answer.clone();
        let mut hand = hand.clone();
        // The page asks once per worker; a second request while one runs
        // would write the same regions twice at once, so it is refused.
        if busy.replace(true) {
            post(FromWorker::Done(SyncReport {
                error: Some(SyncFailure::worker("a sync is already running")),
                ..SyncReport::default()
            }));
            return;
        }
        let busy = busy.clone();
        let opening = opening.clone();
        wasm_bindgen_futures::spawn_local(async move {
            // The first request takes the connection opened at start. A
            // later one (the page sends one per worker), or one after that
            // opening failed, opens the database now.
            let store = match opening.take() {
                Some(opening) => match opening.await {
                    Ok(Ok(store)) => Ok(store),
                    _ => IdbStore::open_default().await,
                },
                None => IdbStore::open_default().await,
            };
            match store {
                Ok(store) => {
                    let ahead = fetched_ahead().await;
                    worker::run_handing(
                        &store, &Browser, &Browser, &request, ahead, &mut post, &mut hand,
                    )
                    .await;
                    store.close();
                }
                Err(e) => {
                    let e = talkoo_engine::sync::SyncError::from(e);
                    post(FromWorker::Done(SyncReport {
                        error: Some(SyncFailure::from(&e)),
                        ..SyncReport::default()
                    }));
                }
            }
            busy.set(false);
        });
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The listener lives as long as the worker.
    on_message.forget();
    // Messages posted before the listener existed were dropped, so the page
    // waits for this before it posts its request.
    post(FromWorker::Ready);
}

/// The answers this worker's script fetched ahead (`talkooAhead`, see
/// `sync-loader.js`): the manifest and its signature for a worker started
/// with none stored, else none. Taken once, by the worker's one sync.
#[cfg(target_arch = "wasm32")]
async fn fetched_ahead() -> Vec<talkoo_engine::platform::Fetched> {
    use wasm_bindgen::JsCast;
    let global = js_sys::global();
    let key = wasm_bindgen::JsValue::from_str("talkooAhead");
    let Some(promise) = js_sys::Reflect::get(&global, &key)
        .ok()
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok())
    else {
        return Vec::new();
    };
    let _ = js_sys::Reflect::delete_property(&global, &key);
    let text = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .ok()
        .and_then(|t| t.as_string())
        .unwrap_or_default();
    talkoo_engine::platform::Fetched::list_from_json(&text)
}

/// The size of this worker's wasm memory, which only grows: the sync's
/// peak.
#[cfg(target_arch = "wasm32")]
fn memory_bytes() -> u64 {
    use wasm_bindgen::JsCast;
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .ok()
        .and_then(|m| m.buffer().dyn_into::<js_sys::ArrayBuffer>().ok())
        .map_or(0, |b| u64::from(b.byte_length()))
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("talkoo-sync runs as a Web Worker in the browser: Trunk builds it with the app.");
    std::process::exit(2);
}
