//! What the engine needs from the platform, as small traits: requests with a deadline ([`Fetch`]) and time and chance ([`Clock`]).
//!
//! The browser implements them with `fetch`, WebCrypto, timers and
//! `crypto.getRandomValues`; native tests implement them with a scripted
//! network and a virtual clock, so every orchestration path, a stalled
//! request included, runs in `cargo test`.
//! [`Answered`] lets a sync take answers fetched ahead for it.

use std::cell::RefCell;
use std::future::{ready, Future, Ready};
use std::pin::pin;

use futures_util::future::{select, Either};
use serde::{Deserialize, Serialize};

/// An HTTP method the engine uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
}

/// One request. The browser sends every request with `cache: no-store`, so
/// the engine's own conditional headers and the server's 304 meet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The method.
    pub method: Method,
    /// The absolute URL.
    pub url: String,
    /// Header names and values.
    pub headers: Vec<(&'static str, String)>,
    /// A text body (JSON), if any.
    pub body: Option<String>,
}

impl Request {
    /// A `GET` of `url`.
    pub fn get(url: impl Into<String>) -> Self {
        Request {
            method: Method::Get,
            url: url.into(),
            headers: Vec::new(),
            body: None,
        }
    }

    /// A `POST` of a JSON body to `url`.
    pub fn post_json(url: impl Into<String>, body: String) -> Self {
        Request {
            method: Method::Post,
            url: url.into(),
            headers: vec![("Content-Type", "application/json".to_owned())],
            body: Some(body),
        }
    }

    /// The same request with one more header.
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
}

/// A response, its body read whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response<B> {
    /// The HTTP status.
    pub status: u16,
    /// Header names (any case) and values.
    pub headers: Vec<(String, String)>,
    /// The body, held as the platform holds it (in the browser it stays in
    /// JavaScript until the engine asks for its bytes).
    pub body: B,
}

impl<B> Response<B> {
    /// A header's value; names compare without regard to case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether the status is 2xx.
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// A response body as the platform holds it.
pub trait Body {
    /// Its length in bytes.
    fn len(&self) -> u64;
    /// Whether it is empty.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Its bytes, moved into the engine.
    fn into_bytes(self) -> Vec<u8>;
}

impl Body for Vec<u8> {
    fn len(&self) -> u64 {
        self.len() as u64
    }
    fn into_bytes(self) -> Vec<u8> {
        self
    }
}

/// Why a request got no answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// The device has no network connection.
    #[error("the device is offline")]
    Offline,
    /// No whole answer came before the deadline; the request was abandoned.
    #[error("no answer in {} s", .0 / 1000)]
    TimedOut(u64),
    /// The connection was refused or dropped, or the browser refused the
    /// request.
    #[error("{0}")]
    Failed(String),
}

/// The network: starting requests, and hashing what they brought.
pub trait Fetch {
    /// A response body.
    type Body: Body;
    /// A request under way. Dropping it abandons the request (the browser
    /// aborts it), which is how a deadline ends a stalled transfer.
    type Pending: Future<Output = Result<Response<Self::Body>, FetchError>>;

    /// Starts `request` at once, before the returned future is first
    /// polled, so several can be under way while earlier ones are checked.
    fn start(&self, request: Request) -> Self::Pending;

    /// Whether the device reports a network connection.
    fn online(&self) -> bool;

    /// The SHA-256 of a body as lowercase hex (WebCrypto in the browser, so
    /// no hashing code is compiled into the wasm).
    async fn sha256_hex(&self, body: &Self::Body) -> Result<String, FetchError>;

    /// Whether `signature` is `public_key`'s Ed25519 signature over
    /// `message` (WebCrypto in the browser, so no curve arithmetic is
    /// compiled into the first-load shell). An error means the check could
    /// not be made, for example a browser without Ed25519; it never means
    /// "accept".
    async fn verify_ed25519(
        &self,
        public_key: &[u8; 32],
        message: &[u8],
        signature: &[u8; 64],
    ) -> Result<bool, FetchError>;
}

/// Time and chance, passed in so that tests fix both.
pub trait Clock {
    /// A timer under way.
    type Sleep: Future<Output = ()>;
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> i64;
    /// Resolves after `ms` milliseconds; the timer starts at the call.
    fn sleep(&self, ms: u64) -> Self::Sleep;
    /// A number in `0.0..1.0`, for backoff jitter.
    fn random_unit(&self) -> f64;
    /// Sixteen random bytes, for new entry ids.
    fn random_bytes(&self) -> [u8; 16];
}

/// A request with its deadline, both started at once: the deadline counts
/// from the moment the request was sent, also while it waits its turn.
#[derive(Debug)]
pub struct Timed<P, S> {
    pending: P,
    deadline: S,
    deadline_ms: u64,
}

impl<P, S: Future<Output = ()>> Timed<P, S> {
    /// The answer, or [`FetchError::TimedOut`] once the deadline passes
    /// first; the abandoned request is dropped, which aborts it.
    pub async fn answer<B>(self) -> Result<Response<B>, FetchError>
    where
        P: Future<Output = Result<Response<B>, FetchError>>,
    {
        let pending = pin!(self.pending);
        let deadline = pin!(self.deadline);
        match select(pending, deadline).await {
            Either::Left((answer, _)) => answer,
            Either::Right(((), _)) => Err(FetchError::TimedOut(self.deadline_ms)),
        }
    }
}

/// Starts `request` with a deadline of `deadline_ms`.
pub fn start<N: Fetch, C: Clock>(
    net: &N,
    clock: &C,
    request: Request,
    deadline_ms: u64,
) -> Timed<N::Pending, C::Sleep> {
    Timed {
        pending: net.start(request),
        deadline: clock.sleep(deadline_ms),
        deadline_ms,
    }
}

/// Sends `request` and waits for the whole answer, at most `deadline_ms`.
pub async fn send<N: Fetch, C: Clock>(
    net: &N,
    clock: &C,
    request: Request,
    deadline_ms: u64,
) -> Result<Response<N::Body>, FetchError> {
    start(net, clock, request, deadline_ms).answer().await
}

/// An answer fetched before the engine asked for it, as it came: the sync
/// worker of a first run asks for the manifest and its signature while
/// its wasm is still on its way (`crate::worker::run_handing`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fetched {
    /// The URL asked for, exactly as the engine builds it.
    pub url: String,
    /// The HTTP status.
    pub status: u16,
    /// The headers the engine reads (`ETag`, `Last-Modified`).
    pub headers: Vec<(String, String)>,
    /// The body, which must be UTF-8 to be passed on as text.
    pub body: String,
}

impl Fetched {
    /// The answers in `text`, a JSON array as the sync worker's script
    /// gives them (`crates/talkoo-sync/sync-loader.js`); none when it
    /// cannot be read, and the sync then asks for them itself.
    pub fn list_from_json(text: &str) -> Vec<Fetched> {
        serde_json::from_str(text).unwrap_or_default()
    }
}

/// A network that answers a `GET` of a URL [`Fetched`] ahead from that
/// answer, once, and every other request from `net`. An answer to a
/// request without conditions is a right answer to one with them too,
/// so the request's headers do not matter. Whatever the answer, the
/// engine checks it as it checks one it fetched: a manifest fetched ahead
/// is used only once its signature is checked.
#[derive(Debug)]
pub struct Answered<'n, N> {
    net: &'n N,
    answers: RefCell<Vec<Fetched>>,
}

impl<'n, N> Answered<'n, N> {
    /// `net` with the `answers` fetched ahead.
    pub fn new(net: &'n N, answers: Vec<Fetched>) -> Self {
        Answered {
            net,
            answers: RefCell::new(answers),
        }
    }
}

impl<N: Fetch> Fetch for Answered<'_, N>
where
    N::Body: From<Vec<u8>>,
{
    type Body = N::Body;
    type Pending = Either<Ready<Result<Response<N::Body>, FetchError>>, N::Pending>;

    fn start(&self, request: Request) -> Self::Pending {
        let mut answers = self.answers.borrow_mut();
        let found = (request.method == Method::Get)
            .then(|| answers.iter().position(|a| a.url == request.url))
            .flatten();
        match found {
            Some(at) => {
                let answer = answers.swap_remove(at);
                Either::Left(ready(Ok(Response {
                    status: answer.status,
                    headers: answer.headers,
                    body: answer.body.into_bytes().into(),
                })))
            }
            None => Either::Right(self.net.start(request)),
        }
    }

    fn online(&self) -> bool {
        self.net.online()
    }

    async fn sha256_hex(&self, body: &Self::Body) -> Result<String, FetchError> {
        self.net.sha256_hex(body).await
    }

    async fn verify_ed25519(
        &self,
        public_key: &[u8; 32],
        message: &[u8],
        signature: &[u8; 64],
    ) -> Result<bool, FetchError> {
        self.net
            .verify_ed25519(public_key, message, signature)
            .await
    }
}
