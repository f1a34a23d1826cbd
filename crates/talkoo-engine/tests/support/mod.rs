//! Test doubles for the engine: a scripted network, a virtual clock, built feeds on disk, and a small idempotent inbox.
#![allow(dead_code)]

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

use sha2::{Digest, Sha256};
use talkoo_core::hours::{uuid_v4, Category, Entry, OrgRef};
use talkoo_engine::{Clock, Fetch, FetchError, Method, Request, Response};
use talkoo_store::{MemoryDisk, MemoryStore};

/// The tests' "now": 2026-12-03, ms since the epoch.
pub const NOW: i64 = 1_796_312_516_000;

/// A fresh in-memory store at the current schema.
pub fn store() -> MemoryStore {
    MemoryDisk::new()
        .open("talkoo", talkoo_store::SCHEMA_VERSION)
        .expect("open")
}

/// Entry number `n` (its id is made of `n`) for organisation `org`.
pub fn entry(n: u8, org: &str, minutes: u32) -> Entry {
    Entry {
        id: uuid_v4([n; 16]),
        date: "2026-12-01".to_owned(),
        start: None,
        end: None,
        minutes,
        organisation: OrgRef {
            id: Some(org.to_owned()),
            name: org.to_owned(),
        },
        service: None,
        category: Category::Transport,
        note: String::new(),
        created: "2026-12-01T10:00:00.000Z".to_owned(),
        modified: "2026-12-01T10:00:00.000Z".to_owned(),
    }
}

/// What the scripted network answers to one request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// An answer with a status, headers and body.
    Answer(u16, Vec<(String, String)>, Vec<u8>),
    /// No answer: the connection was refused or dropped.
    Fail(String),
    /// The request never ends (a stalled mobile link).
    Stall,
    /// This reply, once the answer has been polled this many times
    /// before: a link that takes a while.
    Later(u8, Box<Reply>),
}

impl Reply {
    /// A JSON answer.
    pub fn json(status: u16, body: &str) -> Reply {
        Reply::Answer(
            status,
            vec![("Content-Type".into(), "application/json".into())],
            body.as_bytes().to_vec(),
        )
    }
}

type Handler = Box<dyn FnMut(&Request) -> Reply>;

/// A network whose answers come from handlers chosen by URL prefix; every
/// request is logged in the order it was started.
#[derive(Default)]
pub struct Net {
    routes: RefCell<Vec<(String, Handler)>>,
    /// Every request started, in order.
    pub log: RefCell<Vec<Request>>,
    offline: Cell<bool>,
}

impl std::fmt::Debug for Net {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Net").field("log", &self.log).finish()
    }
}

impl Net {
    pub fn new() -> Self {
        Self::default()
    }

    /// Routes every URL that starts with `prefix` to `handler`; a later
    /// route for a longer prefix wins.
    pub fn route(&self, prefix: &str, handler: impl FnMut(&Request) -> Reply + 'static) {
        self.routes
            .borrow_mut()
            .push((prefix.to_owned(), Box::new(handler)));
    }

    /// Answers requests for URLs starting with `prefix` from `replies`, in
    /// order, then repeats the last one.
    pub fn script(&self, prefix: &str, replies: Vec<Reply>) {
        let mut replies = replies
            .into_iter()
            .collect::<std::collections::VecDeque<_>>();
        self.route(prefix, move |_| {
            if replies.len() > 1 {
                replies.pop_front().expect("a reply")
            } else {
                replies.front().cloned().expect("a reply")
            }
        });
    }

    pub fn set_offline(&self, offline: bool) {
        self.offline.set(offline);
    }

    /// The URLs requested, in order.
    pub fn urls(&self) -> Vec<String> {
        self.log.borrow().iter().map(|r| r.url.clone()).collect()
    }

    /// How many requests were made to URLs containing `part`.
    pub fn count(&self, part: &str) -> usize {
        self.log
            .borrow()
            .iter()
            .filter(|r| r.url.contains(part))
            .count()
    }

    pub fn clear_log(&self) {
        self.log.borrow_mut().clear();
    }
}

pub type Pending = Pin<Box<dyn Future<Output = Result<Response<Vec<u8>>, FetchError>>>>;

impl Fetch for Net {
    type Body = Vec<u8>;
    type Pending = Pending;

    fn start(&self, request: Request) -> Pending {
        self.log.borrow_mut().push(request.clone());
        let reply = {
            let mut routes = self.routes.borrow_mut();
            // The longest prefix wins; among equal ones, the newest route.
            let best = routes
                .iter_mut()
                .filter(|(prefix, _)| request.url.starts_with(prefix.as_str()))
                .max_by_key(|(prefix, _)| prefix.len());
            match best {
                Some((_, handler)) => handler(&request),
                None => Reply::Fail(format!("no route for {}", request.url)),
            }
        };
        answer(reply)
    }

    fn online(&self) -> bool {
        !self.offline.get()
    }

    async fn sha256_hex(&self, body: &Vec<u8>) -> Result<String, FetchError> {
        Ok(sha256_hex(body))
    }

    async fn verify_ed25519(
        &self,
        public_key: &[u8; 32],
        message: &[u8],
        signature: &[u8; 64],
    ) -> Result<bool, FetchError> {
        // The strict check, as the feed tool's and as WebCrypto's.
        let key = ed25519_dalek::VerifyingKey::from_bytes(public_key)
            .map_err(|e| FetchError::Failed(e.to_string()))?;
        let signature = ed25519_dalek::Signature::from_bytes(signature);
        Ok(key.verify_strict(message, &signature).is_ok())
    }
}

/// The pending answer `reply` describes.
fn answer(reply: Reply) -> Pending {
    match reply {
        Reply::Answer(status, headers, body) => Box::pin(std::future::ready(Ok(Response {
            status,
            headers,
            body,
        }))),
        Reply::Fail(message) => Box::pin(std::future::ready(Err(FetchError::Failed(message)))),
        Reply::Stall => Box::pin(std::future::pending()),
        Reply::Later(polls, reply) => {
            let mut before = polls;
            let mut inner = answer(*reply);
            Box::pin(std::future::poll_fn(move |cx| {
                if before == 0 {
                    inner.as_mut().poll(cx)
                } else {
                    before -= 1;
                    cx.waker().wake_by_ref();
                    Poll::Pending
                }
            }))
        }
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A clock whose time moves only when a timer it made is waited on to the
/// end (a deadline that passed); it records every timer asked for.
#[derive(Debug, Clone)]
pub struct FakeClock {
    now: Rc<Cell<i64>>,
    /// The length of every timer started, in order.
    pub timers: Rc<RefCell<Vec<u64>>>,
    counter: Rc<Cell<u8>>,
    jitter: f64,
}

impl FakeClock {
    pub fn at(now_ms: i64) -> Self {
        Self {
            now: Rc::new(Cell::new(now_ms)),
            timers: Rc::new(RefCell::new(Vec::new())),
            counter: Rc::new(Cell::new(0)),
            jitter: 0.0,
        }
    }

    pub fn advance(&self, ms: i64) {
        self.now.set(self.now.get() + ms);
    }
}

/// A timer of [`FakeClock`]: finishing it moves the clock to its end.
#[derive(Debug)]
pub struct Sleep {
    now: Rc<Cell<i64>>,
    ends_at: i64,
}

impl Future for Sleep {
    type Output = ();
    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        if self.now.get() < self.ends_at {
            self.now.set(self.ends_at);
        }
        Poll::Ready(())
    }
}

impl Clock for FakeClock {
    type Sleep = Sleep;
    fn now_ms(&self) -> i64 {
        self.now.get()
    }
    fn sleep(&self, ms: u64) -> Sleep {
        self.timers.borrow_mut().push(ms);
        Sleep {
            now: self.now.clone(),
            ends_at: self.now.get() + ms as i64,
        }
    }
    fn random_unit(&self) -> f64 {
        self.jitter
    }
    fn random_bytes(&self) -> [u8; 16] {
        let n = self.counter.get().wrapping_add(1);
        self.counter.set(n);
        [n.wrapping_add(100); 16]
    }
}

/// A directory removed when dropped.
#[derive(Debug)]
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "talkoo-engine-{name}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The feed's base URL in these tests.
pub const FEED: &str = "https://feed.test/feed/";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The demo feed's editable source.
pub fn demo_source() -> talkoo_feed::source::FeedSource {
    talkoo_feed::source::read_source(&repo().join("feed-src")).expect("feed-src")
}

/// The demo publisher's key, which the demo source announces.
pub fn demo_key() -> talkoo_bundle::SigningKey {
    talkoo_feed::publish::read_key(&repo().join("feed-src/demo-publisher/demo-publisher.key"))
        .expect("demo key")
}

/// Builds `source` into `dir` (over an earlier build, which makes deltas)
/// and signs it with the demo key when the source announces keys, as
/// `make feed` does.
pub fn build(source: &talkoo_feed::source::FeedSource, dir: &Path, now: &str) {
    talkoo_feed::build::build(source, dir, now, &mut |_| {}).expect("build");
    if !source.signing_keys.is_empty() {
        sign(dir, &[demo_key()]);
    }
}

/// Signs the feed in `dir` with `keys`, whether or not it announces them.
pub fn sign(dir: &Path, keys: &[talkoo_bundle::SigningKey]) {
    let bytes = std::fs::read(dir.join("manifest.json")).expect("manifest");
    let refs: Vec<&talkoo_bundle::SigningKey> = keys.iter().collect();
    std::fs::write(
        dir.join("manifest.json.sig"),
        talkoo_bundle::sign_manifest(&bytes, &refs),
    )
    .expect("write signature");
}

/// A new key made of one repeated byte.
pub fn key(seed: u8) -> talkoo_bundle::SigningKey {
    talkoo_bundle::keygen([seed; 32])
}

/// Serves the feed in `dir` at [`FEED`] as a static server would, with an
/// ETag on the manifest and 304 to a matching If-None-Match. Files are read
/// at request time, so a test can publish a new build between syncs.
pub fn serve_feed(net: &Net, dir: &Path) {
    let dir = dir.to_owned();
    net.route(FEED, move |request| {
        let path = &request.url[FEED.len()..];
        let Ok(bytes) = std::fs::read(dir.join(path)) else {
            return Reply::Answer(404, Vec::new(), Vec::new());
        };
        let etag = format!("\"{}\"", &sha256_hex(&bytes)[..16]);
        let matches = request
            .headers
            .iter()
            .any(|(n, v)| n.eq_ignore_ascii_case("If-None-Match") && *v == etag);
        if matches {
            return Reply::Answer(304, vec![("ETag".into(), etag)], Vec::new());
        }
        Reply::Answer(200, vec![("ETag".into(), etag)], bytes)
    });
}

/// The built manifest in `dir`.
pub fn manifest(dir: &Path) -> talkoo_core::feed::Manifest {
    serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).expect("manifest"))
        .expect("manifest json")
}

/// Replaces the file at `path` in a built feed with `bytes` and updates its
/// hash and size in the manifest, so the damage is one the manifest vouches
/// for (only the content is wrong).
pub fn republish_file(dir: &Path, path: &str, bytes: &[u8]) {
    std::fs::write(dir.join(path), bytes).expect("write");
    let manifest_path = dir.join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest_path).expect("manifest")).expect("json");
    for region in manifest["regions"].as_array_mut().expect("regions") {
        for list in ["files", "deltas"] {
            let files = region.get_mut(list).and_then(|l| l.as_array_mut());
            for file in files.into_iter().flatten() {
                if file["path"] == path {
                    file["sha256"] = sha256_hex(bytes).into();
                    file["bytes"] = (bytes.len() as u64).into();
                }
            }
        }
    }
    std::fs::write(&manifest_path, serde_json::to_vec(&manifest).expect("json")).expect("write");
    // The publisher signs what it publishes: the damage is in the content.
    if dir.join("manifest.json.sig").exists() {
        sign(dir, &[demo_key()]);
    }
}

/// An inbox as the protocol describes it: tokens, idempotent storage by
/// id, 409 with the stored entry for different content, and `v1/status`
/// with the awards of the asking token.
#[derive(Debug, Default)]
pub struct Inbox {
    /// The tokens it knows.
    pub tokens: Vec<String>,
    /// What it stored, by id: the entry and its status word.
    pub stored: BTreeMap<String, (Entry, String)>,
    /// How many POSTs of entries it answered.
    pub posts: usize,
    /// Badges awarded, each to the holder of a token: every status answer
    /// to that token carries all of its awards, as the reference inbox's.
    pub awards: Vec<(String, serde_json::Value)>,
}

impl Inbox {
    pub fn with_token(token: &str) -> Rc<RefCell<Inbox>> {
        Rc::new(RefCell::new(Inbox {
            tokens: vec![token.to_owned()],
            ..Inbox::default()
        }))
    }

    /// Answers one request as the reference inbox would.
    pub fn answer(&mut self, base: &str, request: &Request) -> Reply {
        let token = self
            .tokens
            .iter()
            .find(|t| {
                request
                    .headers
                    .iter()
                    .any(|(n, v)| *n == "Authorization" && *v == format!("Bearer {t}"))
            })
            .cloned();
        let Some(token) = token else {
            return Reply::json(401, r#"{"error":"unknown-token","message":"unknown code"}"#);
        };
        let path = &request.url[base.len()..];
        match (request.method, path) {
            (Method::Get, "v1/me") => Reply::json(
                200,
                r#"{"organisation":{"id":"org-a","name":"Yhdistys A"}}"#,
            ),
            (Method::Post, "v1/entries") => {
                self.posts += 1;
                let entry: Entry =
                    serde_json::from_str(request.body.as_deref().unwrap_or("")).expect("entry");
                match self.stored.get(&entry.id) {
                    None => {
                        self.stored
                            .insert(entry.id.clone(), (entry, "received".to_owned()));
                        Reply::json(201, r#"{"status":"received"}"#)
                    }
                    Some((theirs, status)) if theirs.content_key() == entry.content_key() => {
                        Reply::json(200, &format!(r#"{{"status":"{status}"}}"#))
                    }
                    Some((theirs, _)) => Reply::json(
                        409,
                        &format!(
                            r#"{{"error":"conflict","theirs":{}}}"#,
                            serde_json::to_string(theirs).expect("json")
                        ),
                    ),
                }
            }
            (Method::Post, "v1/status") => {
                let asked: serde_json::Value =
                    serde_json::from_str(request.body.as_deref().unwrap_or("{}")).expect("json");
                let entries: Vec<serde_json::Value> = asked["ids"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|id| {
                        let (_, status) = self.stored.get(id.as_str()?)?;
                        Some(serde_json::json!({ "id": id, "status": status }))
                    })
                    .collect();
                let awards: Vec<&serde_json::Value> = self
                    .awards
                    .iter()
                    .filter(|(holder, _)| *holder == token)
                    .map(|(_, award)| award)
                    .collect();
                Reply::json(
                    200,
                    &serde_json::json!({ "entries": entries, "awards": awards }).to_string(),
                )
            }
            _ => Reply::json(404, r#"{"error":"not-found"}"#),
        }
    }
}

/// Routes `base` to `inbox`.
pub fn serve_inbox(net: &Net, base: &str, inbox: &Rc<RefCell<Inbox>>) {
    let inbox = inbox.clone();
    let owned = base.to_owned();
    net.route(base, move |request| {
        inbox.borrow_mut().answer(&owned, request)
    });
}

/// The summary [`publish_change`] gives the first Kainuu card.
pub const CHANGED: &str = "Uusi kuvaus tiedostosta tuotuna.";

/// Changes the first Kainuu card's Finnish summary to [`CHANGED`] and
/// builds at `now` over the feed in `dir`, which then has a delta from the
/// last version. Returns the card's id.
pub fn publish_change(dir: &Path, now: &str) -> String {
    change_summary(&mut demo_source(), dir, CHANGED, now)
}

/// Changes the first Kainuu card's Finnish summary in `source` to `text`
/// and builds it at `now` over the feed in `dir`. Returns the card's id.
pub fn change_summary(
    source: &mut talkoo_feed::source::FeedSource,
    dir: &Path,
    text: &str,
    now: &str,
) -> String {
    let region = source
        .regions
        .iter_mut()
        .find(|r| r.id == "kainuu")
        .expect("kainuu");
    let service = &mut region.services[0];
    service.summary.insert("fi".to_owned(), text.to_owned());
    let id = service.id.clone();
    build(source, dir, now);
    id
}

/// A bundle of `regions` made by the feed tool from the feed in `dir`, as
/// the shell hands it over after `talkoo_bundle::read_bundle`.
pub fn bundle_of(dir: &Path, regions: &[&str]) -> talkoo_engine::import::Bundle {
    let out = TempDir::new("bundle-file");
    let file = out.0.join("regions.talkoo");
    let regions: Vec<String> = regions.iter().map(|r| (*r).to_owned()).collect();
    talkoo_feed::publish::bundle(dir, &regions, &file).expect("bundle");
    let read = talkoo_bundle::read_bundle(&std::fs::read(&file).expect("read")).expect("reads");
    talkoo_engine::import::Bundle {
        manifest: read.manifest_bytes,
        signature: read.signature,
        files: read.files,
    }
}

/// A network sync of `regions` from the feed in `dir`, with the key
/// pinned on first use; answers the URLs it asked for.
pub fn sync_from(store: &MemoryStore, dir: &Path, regions: &[&str]) -> Vec<String> {
    let net = Net::new();
    serve_feed(&net, dir);
    let regions: std::collections::BTreeSet<String> =
        regions.iter().map(|id| (*id).to_owned()).collect();
    pollster::block_on(talkoo_engine::catalogue::subscribe(store, &regions)).expect("subscribe");
    pollster::block_on(talkoo_engine::sync::sync(
        store,
        &net,
        &FakeClock::at(NOW),
        FEED,
        &[],
        &regions,
        &mut |_| {},
    ))
    .expect("sync");
    net.urls()
}

/// The demo feed built at `now` and signed with the demo key.
pub fn published(now: &str) -> TempDir {
    let dir = TempDir::new("feed");
    build(&demo_source(), &dir.0, now);
    dir
}
