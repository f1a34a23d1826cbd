//! The engine's platform in the browser, on the page or in a worker: `fetch` that aborts when abandoned, WebCrypto hashing, timers, the clock and random numbers.
//!
//! The shell uses it for the hours outbox and the badges module for an
//! import; the sync worker (`crates/talkoo-sync`) for the catalogue's sync.
//! Everything goes through the global scope (`fetch`, `crypto`,
//! `navigator`, timers), which a page and a dedicated worker both have,
//! never through `window`. Timers go through gloo-timers; requests call the
//! global `fetch` directly (see [`perform`]), and `web_sys` serves the rest
//! (reading a body as an `ArrayBuffer` without copying it into the wasm,
//! WebCrypto's digest and Ed25519 verification, and
//! `crypto.getRandomValues`).

#![cfg(target_arch = "wasm32")]

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_channel::oneshot;
use js_sys::{ArrayBuffer, Uint8Array};
use talkoo_core::time::{rfc3339_utc, Date};
use talkoo_engine::{Body, Clock, Fetch, FetchError, Method, Request, Response};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, RequestCache};

/// The browser as the engine's network and clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct Browser;

/// Milliseconds since the epoch.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// The device's current time as RFC 3339 (UTC).
pub fn now_rfc3339() -> String {
    rfc3339_utc(now_ms())
}

/// Today's date on the device's clock and time zone.
pub fn today() -> Date {
    let d = js_sys::Date::new_0();
    Date {
        year: d.get_full_year() as i32,
        month: d.get_month() + 1,
        day: d.get_date(),
    }
}

/// A property of the global scope (the page's `window` or a worker's
/// `self`), `undefined` when it has none.
fn global(name: &str) -> wasm_bindgen::JsValue {
    js_sys::Reflect::get(&js_sys::global(), &name.into()).unwrap_or_default()
}

/// Whether the browser reports a network connection (`navigator.onLine`,
/// which a worker's navigator has too). A scope without one counts as
/// online, so that a request is tried rather than never made.
pub fn online() -> bool {
    let navigator = global("navigator");
    js_sys::Reflect::get(&navigator, &"onLine".into())
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(true)
}

/// The global scope's `crypto`.
fn crypto() -> Result<web_sys::Crypto, FetchError> {
    let crypto = global("crypto");
    if crypto.is_undefined() {
        return Err(FetchError::Failed("no WebCrypto".into()));
    }
    Ok(crypto.unchecked_into())
}

/// Lets the browser run its other tasks (input, drawing) before going on.
/// The turn is a message to itself through a `MessageChannel`: a task of
/// its own, which a timer would be too, but without the 4 ms a nested
/// `setTimeout` waits at least, and without stopping where a test's fake
/// clock holds the timers.
pub async fn yield_now() {
    let Ok(channel) = web_sys::MessageChannel::new() else {
        return;
    };
    let (send, receive) = oneshot::channel::<()>();
    // The closure holds the channel, so neither end is collected before
    // the message arrives; it is freed once it has run.
    let kept = channel.clone();
    let on_message = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = send.send(());
        drop(kept);
    });
    channel
        .port1()
        .set_onmessage(Some(on_message.unchecked_ref()));
    if channel
        .port2()
        .post_message(&wasm_bindgen::JsValue::UNDEFINED)
        .is_ok()
    {
        let _ = receive.await;
    }
}

/// A JavaScript error's message, for logs and plain-words errors.
pub fn js_text(value: &wasm_bindgen::JsValue) -> String {
    value
        .as_string()
        .or_else(|| {
            js_sys::Reflect::get(value, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
        })
        .unwrap_or_else(|| "network error".to_owned())
}

/// A response body kept in JavaScript until the engine asks for its bytes:
/// WebCrypto hashes it where it is, so a large feed file is copied into
/// the wasm's memory once, not three times.
#[derive(Debug)]
pub struct JsBody(Uint8Array);

/// A bundle's file handed to the engine's import as a body, as if it had
/// been downloaded.
impl From<Vec<u8>> for JsBody {
    fn from(bytes: Vec<u8>) -> Self {
        JsBody(Uint8Array::from(bytes.as_slice()))
    }
}

impl Body for JsBody {
    fn len(&self) -> u64 {
        u64::from(self.0.length())
    }
    fn into_bytes(self) -> Vec<u8> {
        self.0.to_vec()
    }
}

type Answer = Result<Response<JsBody>, FetchError>;

/// A request under way in its own task (so it runs while the engine checks
/// earlier files); dropping it aborts the request and its body.
#[derive(Debug)]
pub struct PendingFetch {
    answer: oneshot::Receiver<Answer>,
    controller: Option<AbortController>,
}

impl Future for PendingFetch {
    type Output = Answer;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Answer> {
        match Pin::new(&mut self.answer).poll(cx) {
            Poll::Ready(answer) => {
                // Finished: nothing left to abort when dropped.
                self.controller = None;
                Poll::Ready(answer.unwrap_or_else(|_| Err(FetchError::Failed("cancelled".into()))))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

impl Drop for PendingFetch {
    fn drop(&mut self) {
        if let Some(controller) = self.controller.take() {
            controller.abort();
        }
    }
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// The global scope's `fetch`, a page's or a worker's.
    #[wasm_bindgen(js_name = fetch, catch)]
    fn global_fetch(
        input: &str,
        init: &web_sys::RequestInit,
    ) -> Result<js_sys::Promise, wasm_bindgen::JsValue>;
}

/// Makes the request with the global `fetch` and reads the answer's status,
/// headers and body. Called directly rather than through gloo-net, which
/// builds a `Request` object and parses its URL first: for the demo
/// region's 31 files that took the sync worker 27 ms besides `fetch`'s own
/// 21 ms (issue 13).
async fn perform(request: Request, signal: Option<web_sys::AbortSignal>) -> Answer {
    let failed = |e: wasm_bindgen::JsValue| FetchError::Failed(js_text(&e));
    let init = web_sys::RequestInit::new();
    init.set_method(match request.method {
        Method::Get => "GET",
        Method::Post => "POST",
    });
    // `no-store` keeps the browser's HTTP cache out of the way, so our
    // own If-None-Match reaches the server and its 304 reaches us.
    init.set_cache(RequestCache::NoStore);
    if let Some(signal) = &signal {
        init.set_signal(Some(signal));
    }
    if !request.headers.is_empty() {
        let headers = web_sys::Headers::new().map_err(failed)?;
        for (name, value) in &request.headers {
            headers.append(name, value).map_err(failed)?;
        }
        init.set_headers(&headers);
    }
    if let Some(body) = &request.body {
        init.set_body(&wasm_bindgen::JsValue::from_str(body));
    }
    let response: web_sys::Response =
        JsFuture::from(global_fetch(&request.url, &init).map_err(failed)?)
            .await
            .map_err(failed)?
            .unchecked_into();
    let status = response.status();
    let headers = js_sys::try_iter(&response.headers())
        .ok()
        .flatten()
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let pair: js_sys::Array = entry.ok()?.unchecked_into();
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect::<Vec<_>>();
    let buffer = JsFuture::from(response.array_buffer().map_err(failed)?)
        .await
        .map_err(failed)?;
    Ok(Response {
        status,
        headers,
        body: JsBody(Uint8Array::new(&buffer.unchecked_into::<ArrayBuffer>())),
    })
}

impl Fetch for Browser {
    type Body = JsBody;
    type Pending = PendingFetch;

    fn start(&self, request: Request) -> PendingFetch {
        let (send, answer) = oneshot::channel();
        let controller = AbortController::new().ok();
        let signal = controller.as_ref().map(AbortController::signal);
        wasm_bindgen_futures::spawn_local(async move {
            let _ = send.send(perform(request, signal).await);
        });
        PendingFetch { answer, controller }
    }

    fn online(&self) -> bool {
        online()
    }

    async fn sha256_hex(&self, body: &JsBody) -> Result<String, FetchError> {
        let failed = |e: wasm_bindgen::JsValue| FetchError::Failed(js_text(&e));
        let subtle = crypto()?.subtle();
        let digest = JsFuture::from(
            subtle
                .digest_with_str_and_buffer_source("SHA-256", &body.0)
                .map_err(failed)?,
        )
        .await
        .map_err(failed)?;
        let digest = Uint8Array::new(&digest.unchecked_into::<ArrayBuffer>()).to_vec();
        Ok(digest.iter().map(|b| format!("{b:02x}")).collect())
    }

    async fn verify_ed25519(
        &self,
        public_key: &[u8; 32],
        message: &[u8],
        signature: &[u8; 64],
    ) -> Result<bool, FetchError> {
        // Chromium 137 and later, Firefox 129 and Safari 17 have Ed25519 in
        // WebCrypto; an older browser rejects the import with
        // NotSupportedError, which becomes an error in plain words, never an
        // accepted manifest.
        let failed = |e: wasm_bindgen::JsValue| {
            let name = js_sys::Reflect::get(&e, &"name".into())
                .ok()
                .and_then(|n| n.as_string())
                .unwrap_or_default();
            FetchError::Failed(format!("Ed25519 in WebCrypto: {name} {}", js_text(&e)))
        };
        let subtle = crypto()?.subtle();
        let algorithm = js_sys::Object::new();
        js_sys::Reflect::set(&algorithm, &"name".into(), &"Ed25519".into()).map_err(failed)?;
        let usages = js_sys::Array::of1(&"verify".into());
        // Copies into JavaScript, so nothing points into the wasm's memory
        // while the promises run.
        let key_bytes = Uint8Array::from(&public_key[..]);
        let key = JsFuture::from(
            subtle
                .import_key_with_object("raw", &key_bytes, &algorithm, false, &usages)
                .map_err(failed)?,
        )
        .await
        .map_err(failed)?;
        let verified = JsFuture::from(
            subtle
                .verify_with_str_and_buffer_source_and_buffer_source(
                    "Ed25519",
                    &key.unchecked_into::<web_sys::CryptoKey>(),
                    &Uint8Array::from(&signature[..]),
                    &Uint8Array::from(message),
                )
                .map_err(failed)?,
        )
        .await
        .map_err(failed)?;
        Ok(verified.as_bool() == Some(true))
    }
}

impl Clock for Browser {
    type Sleep = gloo_timers::future::TimeoutFuture;

    fn now_ms(&self) -> i64 {
        now_ms()
    }

    fn sleep(&self, ms: u64) -> Self::Sleep {
        // setTimeout treats a delay above 2^31 - 1 ms as zero.
        gloo_timers::future::TimeoutFuture::new(u32::try_from(ms.min(i32::MAX as u64)).unwrap_or(0))
    }

    fn random_unit(&self) -> f64 {
        js_sys::Math::random()
    }

    fn random_bytes(&self) -> [u8; 16] {
        let mut bytes = [0u8; 16];
        let filled = crypto()
            .ok()
            .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
        if !filled {
            // Only very old browsers lack getRandomValues; Math.random still
            // makes a collision between one volunteer's entries unthinkable.
            for b in &mut bytes {
                *b = (js_sys::Math::random() * 256.0) as u8;
            }
        }
        bytes
    }
}
