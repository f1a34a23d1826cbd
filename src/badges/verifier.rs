//! `use_verifier()`: the badge verifier, which runs in a Web Worker of its own that starts on a badge page's first request and stays for the session.
//!
//! The verifier (`crates/talkoo-verifier`, with JSON-LD, canonicalisation
//! and RSA) is several times the size of the app, so it is never part of
//! the first-load shell: nothing starts it until a page asks it something.
//! Requests and answers are JSON strings (`talkoo_core::verifier_protocol`),
//! matched by id. Until the worker says it is ready, requests wait in a
//! queue, since a message posted before the worker listens is lost.
//!
//! No request waits forever: the worker's `error` event (its script or
//! wasm failed to load, or the verifier panicked, which aborts) fails every
//! request still waiting and drops the worker, so the next request starts
//! a new one.

use std::cell::RefCell;

use futures_channel::oneshot;
use gloo_events::EventListener;
use talkoo_core::verifier_protocol::{Bake, Frame, FromVerifier, ToVerifier, BAD_REQUEST, NO_CODE};
use talkoo_core::wallet::{Inspection, VerifyRequest};
use wasm_bindgen::JsValue;

/// The worker's script, beside index.html (see index.html); relative, so it
/// follows the document's base address under a sub-path too.
const WORKER_SCRIPT: &str = "verifier-loader.js";

/// Why a badge could not be checked, each shown in plain words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifierError {
    /// The worker could not be created or its files could not be loaded.
    #[error("the badge checker could not start")]
    CouldNotStart,
    /// The worker stopped or answered something unexpected.
    #[error("the badge checker failed")]
    Failed,
    /// The bytes are not a badge the verifier can read; `code` is its
    /// stable reason, such as `not-a-badge`.
    #[error("this is not a badge ({code})")]
    NotABadge {
        /// The verifier's code, translated as `badge-check-<code>`.
        code: String,
    },
}

impl VerifierError {
    /// The message id that explains this error to the user.
    pub fn message_key(&self) -> &'static str {
        match self {
            VerifierError::CouldNotStart => "verifier-error-start",
            VerifierError::Failed => "verifier-error-failed",
            VerifierError::NotABadge { .. } => "badge-check-not-a-badge",
        }
    }
}

type Answer = Result<FromVerifier, VerifierError>;

/// The running worker and the requests waiting for it.
struct Verifier {
    worker: web_sys::Worker,
    ready: bool,
    next_id: u32,
    /// Requests posted before the worker was ready.
    queued: Vec<String>,
    /// Requests sent or queued, by id; a few at most.
    waiting: Vec<(u32, oneshot::Sender<Answer>)>,
    _on_message: EventListener,
    _on_error: EventListener,
}

impl Drop for Verifier {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

thread_local! {
    /// One worker for the page's session; `None` until the first request
    /// and after a failure.
    static VERIFIER: RefCell<Option<Verifier>> = const { RefCell::new(None) };
}

/// What a page gets from [`use_verifier`].
#[derive(Debug, Clone, Copy)]
pub struct UseVerifierReturn {
    _private: (),
}

/// The verifier hook. Calling it starts nothing; the worker starts on the
/// first [`UseVerifierReturn::inspect`].
pub fn use_verifier() -> UseVerifierReturn {
    UseVerifierReturn { _private: () }
}

impl UseVerifierReturn {
    /// Reads and checks a credential in the worker.
    pub async fn inspect(self, request: VerifyRequest) -> Result<Inspection, VerifierError> {
        let answer = ask(ToVerifier {
            request: Some(request),
            ..ToVerifier::default()
        })
        .await?;
        match answer.outcome() {
            Some(Ok(inspection)) => Ok(inspection),
            Some(Err(code)) => Err(error_of(code)),
            None => Err(VerifierError::Failed),
        }
    }

    /// The badge (its bytes as kept, in base64) as an SVG QR code; a badge
    /// too large for one is `NotABadge` with code `qr-does-not-fit`.
    pub async fn qr_svg(self, badge: String) -> Result<String, VerifierError> {
        text_of(
            ask(ToVerifier {
                qr: Some(badge),
                ..ToVerifier::default()
            })
            .await?,
        )
    }

    /// The text of a QR code in a grey camera frame, `None` when the frame
    /// holds none that can be read.
    pub async fn scan(self, frame: Frame) -> Result<Option<String>, VerifierError> {
        let answer = ask(ToVerifier {
            scan: Some(frame),
            ..ToVerifier::default()
        })
        .await?;
        if answer.error.as_deref() == Some(NO_CODE) {
            return Ok(None);
        }
        text_of(answer).map(Some)
    }

    /// The badge baked into an image to share: its bytes in base64 and its
    /// media type.
    pub async fn bake(self, bake: Bake) -> Result<(String, String), VerifierError> {
        let answer = ask(ToVerifier {
            bake: Some(bake),
            ..ToVerifier::default()
        })
        .await?;
        let mime = answer.mime.clone().unwrap_or_default();
        text_of(answer).map(|text| (text, mime))
    }
}

/// The error a code from the worker stands for.
fn error_of(code: String) -> VerifierError {
    if code == BAD_REQUEST {
        VerifierError::Failed
    } else {
        VerifierError::NotABadge { code }
    }
}

/// The text of an answer to a task, or its error.
fn text_of(answer: FromVerifier) -> Result<String, VerifierError> {
    match (answer.text, answer.error) {
        (Some(text), _) => Ok(text),
        (None, Some(code)) => Err(error_of(code)),
        (None, None) => Err(VerifierError::Failed),
    }
}

/// Sends one task to the worker (starting it if needed) and waits for its
/// answer.
async fn ask(mut task: ToVerifier) -> Answer {
    let receiver = VERIFIER.with(|cell| -> Result<_, VerifierError> {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            *slot = Some(start()?);
        }
        let verifier = slot.as_mut().ok_or(VerifierError::CouldNotStart)?;
        verifier.next_id = verifier.next_id.wrapping_add(1);
        let id = verifier.next_id;
        task.id = id;
        let message = serde_json::to_string(&task).map_err(|_| VerifierError::Failed)?;
        let (sender, receiver) = oneshot::channel();
        verifier.waiting.push((id, sender));
        if verifier.ready {
            post(&verifier.worker, &message);
        } else {
            verifier.queued.push(message);
        }
        Ok(receiver)
    })?;
    // A dropped sender means the worker went away without a word.
    receiver.await.unwrap_or(Err(VerifierError::Failed))
}

fn post(worker: &web_sys::Worker, message: &str) {
    // A string is always cloneable, so posting it cannot fail while the
    // worker exists; a worker that died reports through `error`.
    let _ = worker.post_message(&JsValue::from_str(message));
}

/// Creates the worker and listens to it.
fn start() -> Result<Verifier, VerifierError> {
    let worker = web_sys::Worker::new(WORKER_SCRIPT).map_err(|_| VerifierError::CouldNotStart)?;
    let on_message = EventListener::new(&worker, "message", |event| {
        let data = js_sys::Reflect::get(event, &JsValue::from_str("data"))
            .ok()
            .and_then(|d| d.as_string());
        match data.and_then(|d| serde_json::from_str::<FromVerifier>(&d).ok()) {
            Some(message) => receive(message),
            None => fail_all(),
        }
    });
    let on_error = EventListener::new(&worker, "error", |event| {
        // Handled here: the page says it in plain words instead.
        event.prevent_default();
        fail_all();
    });
    Ok(Verifier {
        worker,
        ready: false,
        next_id: 0,
        queued: Vec::new(),
        waiting: Vec::new(),
        _on_message: on_message,
        _on_error: on_error,
    })
}

fn receive(message: FromVerifier) {
    VERIFIER.with(|cell| {
        let mut slot = cell.borrow_mut();
        let Some(verifier) = slot.as_mut() else {
            return;
        };
        if message.ready {
            verifier.ready = true;
            for message in std::mem::take(&mut verifier.queued) {
                post(&verifier.worker, &message);
            }
            return;
        }
        let id = message.id;
        let answer = Ok(message);
        if let Some(at) = verifier
            .waiting
            .iter()
            .position(|(waiting, _)| *waiting == id)
        {
            let (_, sender) = verifier.waiting.swap_remove(at);
            let _ = sender.send(answer);
        }
    });
}

/// Fails every waiting request and drops the worker: one that failed to
/// load or aborted answers nothing more.
fn fail_all() {
    let Some(verifier) = VERIFIER.with(|cell| cell.borrow_mut().take()) else {
        return;
    };
    let error = if verifier.ready {
        VerifierError::Failed
    } else {
        VerifierError::CouldNotStart
    };
    let mut verifier = verifier;
    for (_, sender) in verifier.waiting.drain(..) {
        let _ = sender.send(Err(error.clone()));
    }
    // The listener running now belongs to this worker, and a listener must
    // not be dropped while it runs; the worker and its listeners go in a
    // later task.
    leptos::task::spawn_local(async move { drop(verifier) });
}
