//! The verifier worker's entry point: listens for requests from the page and posts each answer back.
//!
//! Built by Trunk as a worker (`data-type="worker"` in index.html) and
//! started by `src/badges/verifier.rs` only when a badge page needs it, so
//! the verifier's wasm is never part of the first-load shell. A panic
//! aborts (release profile), which the page sees as the worker's `error`
//! event.

#[cfg(target_arch = "wasm32")]
fn main() {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let message = event.data().as_string().unwrap_or_default();
        let reply = talkoo_verifier::answer(&message);
        // Posting a string to the page that created this worker cannot
        // fail: strings are always cloneable.
        let _ = reply_to.post_message(&JsValue::from_str(&reply));
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The listener lives as long as the worker.
    on_message.forget();
    // Messages posted before the listener existed were dropped, so the page
    // waits for this before it sends any.
    let ready = talkoo_core::verifier_protocol::FromVerifier::ready().to_json();
    let _ = scope.post_message(&JsValue::from_str(&ready));
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("talkoo-verifier runs as a Web Worker in the browser: Trunk builds it with the app.");
    std::process::exit(2);
}
