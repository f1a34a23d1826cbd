//! The browser side of catalogue sync: fetches the feed, verifies every file, stages it, and applies each region atomically.
//!
//! Decisions come from `talkoo_core::sync`; this module only talks to the
//! network (fetch), WebCrypto (SHA-256) and the store. Nothing is written
//! before a file's size, hash and shape are checked, and a failed sync
//! leaves the stored catalogue as it was.

use std::collections::{BTreeSet, VecDeque};

use js_sys::{ArrayBuffer, Uint8Array};
use talkoo_core::feed::{self, DataFile, DeltaFile, FeedError, Manifest};
use talkoo_core::sync::{change_from_delta, plan, FilesChange, RegionPlan, StoredRecord};
use talkoo_store::{Store, StoreError};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestCache, RequestInit, Response};

/// Keys of the sync bookkeeping store.
pub mod meta {
    /// The manifest's ETag from the last 200 answer.
    pub const ETAG: &str = "manifest.etag";
    /// Its Last-Modified.
    pub const LAST_MODIFIED: &str = "manifest.last_modified";
    /// The manifest text itself, for planning after a 304.
    pub const MANIFEST: &str = "manifest.json";
    /// When the last sync finished without error, ms since the epoch.
    pub const LAST_SUCCESS: &str = "sync.last_success";
}

/// Why a sync failed. Stored data is untouched in every case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyncError {
    /// No connection, or the server did not answer.
    #[error("the feed could not be reached ({0})")]
    Network(String),
    /// The server answered with an error status.
    #[error("the feed server answered {status} for {file}")]
    Http {
        /// The file asked for.
        file: String,
        /// The HTTP status.
        status: u16,
    },
    /// A file was damaged, of an unknown version, or broke the format.
    #[error(transparent)]
    Feed(#[from] FeedError),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl SyncError {
    /// The i18n key of the plain-words explanation.
    pub fn message_key(&self) -> &'static str {
        match self {
            SyncError::Network(_) => "sync-error-network",
            SyncError::Http { .. } => "sync-error-http",
            SyncError::Feed(FeedError::UnsupportedVersion { .. }) => "sync-error-version",
            SyncError::Feed(_) => "sync-error-feed",
            SyncError::Store(_) => "sync-error-store",
        }
    }
}

/// Bytes downloaded so far and in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    /// Downloaded and verified.
    pub done: u64,
    /// To download in this sync.
    pub total: u64,
}

/// What a finished sync did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outcome {
    /// The manifest in use.
    pub manifest: Option<Manifest>,
    /// Regions written or removed.
    pub changed: usize,
    /// Bytes downloaded, the manifest included.
    pub bytes: u64,
    /// The records of each region downloaded whole in this sync, exactly as
    /// stored: the catalogue is built from them rather than read back.
    pub fresh: Vec<(String, Vec<StoredRecord>)>,
}

fn js_error(value: JsValue) -> SyncError {
    SyncError::Network(value.as_string().unwrap_or_else(|| format!("{value:?}")))
}

/// Starts a request; the returned future is already listening, so a
/// request started ahead of its turn never fails unobserved.
fn start_fetch(url: &str, headers: &[(&str, String)]) -> Result<JsFuture, SyncError> {
    let init = RequestInit::new();
    // `no-store` keeps the browser's HTTP cache out of the way, so our own
    // If-None-Match reaches the server and its 304 reaches this code.
    init.set_cache(RequestCache::NoStore);
    let h = Headers::new().map_err(js_error)?;
    for (name, value) in headers {
        h.set(name, value).map_err(js_error)?;
    }
    init.set_headers(&h);
    let request = Request::new_with_str_and_init(url, &init).map_err(js_error)?;
    let window = web_sys::window().ok_or_else(|| SyncError::Network("no window".into()))?;
    Ok(JsFuture::from(window.fetch_with_request(&request)))
}

async fn fetch(url: &str, headers: &[(&str, String)]) -> Result<Response, SyncError> {
    let response = start_fetch(url, headers)?.await.map_err(js_error)?;
    response.dyn_into().map_err(js_error)
}

async fn body(response: &Response) -> Result<Vec<u8>, SyncError> {
    let buffer = JsFuture::from(response.array_buffer().map_err(js_error)?)
        .await
        .map_err(js_error)?;
    Ok(Uint8Array::new(&buffer.unchecked_into::<ArrayBuffer>()).to_vec())
}

/// SHA-256 through WebCrypto, so no hashing code is compiled into the wasm.
async fn sha256_hex(bytes: &[u8]) -> Result<String, SyncError> {
    let subtle = web_sys::window()
        .ok_or_else(|| SyncError::Network("no window".into()))?
        .crypto()
        .map_err(js_error)?
        .subtle();
    let array = Uint8Array::from(bytes);
    let digest = JsFuture::from(
        subtle
            .digest_with_str_and_buffer_source("SHA-256", &array)
            .map_err(js_error)?,
    )
    .await
    .map_err(js_error)?;
    let digest = Uint8Array::new(&digest.unchecked_into::<ArrayBuffer>()).to_vec();
    Ok(digest.iter().map(|b| format!("{b:02x}")).collect())
}

/// Where a file listed in the manifest comes from: staging, when an earlier,
/// interrupted sync already verified it, or a request under way.
enum Source {
    Staged(String),
    Fetching(JsFuture),
}

async fn request<S: Store>(
    store: &S,
    base: &str,
    path: &str,
    sha: &str,
) -> Result<Source, SyncError> {
    if let Some(text) = store.staged_file(sha).await? {
        return Ok(Source::Staged(text));
    }
    Ok(Source::Fetching(start_fetch(
        &format!("{base}{path}"),
        &[],
    )?))
}

/// Takes a file from its source and checks its size and hash; a downloaded
/// file is staged. Returns its text, which is UTF-8 by then, and whether
/// it was downloaded.
async fn verified<S: Store>(
    source: Source,
    store: &S,
    path: &str,
    sha: &str,
    bytes: u64,
) -> Result<(String, bool), SyncError> {
    let response: Response = match source {
        Source::Staged(text) => return Ok((text, false)),
        Source::Fetching(response) => response
            .await
            .map_err(js_error)?
            .dyn_into()
            .map_err(js_error)?,
    };
    if !response.ok() {
        return Err(SyncError::Http {
            file: path.to_owned(),
            status: response.status(),
        });
    }
    let data = body(&response).await?;
    feed::verify(path, &data, &sha256_hex(&data).await?, sha, bytes)?;
    let text = String::from_utf8(data).map_err(|_| FeedError::Json {
        file: path.to_owned(),
        message: "not UTF-8".into(),
    })?;
    store.stage_file(sha, &text).await?;
    Ok((text, true))
}

/// How many of a region's files are asked for before the earliest is
/// verified: the network works while files are hashed and parsed, and at
/// most this many large files are in flight at once.
const FILES_AHEAD: usize = 4;

/// Fetches the manifest (conditionally) and returns it; after a 304 the
/// stored copy is used. The new manifest is remembered only once parsed.
pub async fn manifest<S: Store>(store: &S, base: &str) -> Result<(Manifest, u64), SyncError> {
    let stored = store.get_meta(meta::MANIFEST).await?;
    let mut headers = Vec::new();
    if stored.is_some() {
        if let Some(etag) = store.get_meta(meta::ETAG).await? {
            headers.push(("If-None-Match", etag));
        }
        if let Some(modified) = store.get_meta(meta::LAST_MODIFIED).await? {
            headers.push(("If-Modified-Since", modified));
        }
    }
    let response = fetch(&format!("{base}manifest.json"), &headers).await?;
    if response.status() == 304 {
        if let Some(text) = stored {
            return Ok((feed::parse_text("manifest.json", &text)?, 0));
        }
    }
    if !response.ok() {
        return Err(SyncError::Http {
            file: "manifest.json".into(),
            status: response.status(),
        });
    }
    let data = body(&response).await?;
    let manifest: Manifest = feed::parse("manifest.json", &data)?;
    let problems = feed::validate_manifest("manifest.json", &manifest);
    if !problems.is_empty() {
        return Err(FeedError::Invalid { problems }.into());
    }
    store
        .put_meta(meta::MANIFEST, &String::from_utf8_lossy(&data))
        .await?;
    for (header, key) in [("ETag", meta::ETAG), ("Last-Modified", meta::LAST_MODIFIED)] {
        if let Ok(Some(value)) = response.headers().get(header) {
            store.put_meta(key, &value).await?;
        }
    }
    Ok((manifest, data.len() as u64))
}

/// Brings the subscribed regions up to date and removes the others.
/// `progress` is called after every verified file.
pub async fn sync<S: Store>(
    store: &S,
    base: &str,
    subscribed: &BTreeSet<String>,
    progress: &dyn Fn(Progress),
) -> Result<Outcome, SyncError> {
    let (manifest, manifest_bytes) = manifest(store, base).await?;
    let stored = store.regions().await?;
    let plans = plan(&manifest, subscribed, &stored);
    let mut state = Progress {
        done: 0,
        total: plans.iter().map(RegionPlan::bytes).sum(),
    };
    progress(state);
    let mut outcome = Outcome {
        bytes: manifest_bytes,
        ..Outcome::default()
    };
    for region_plan in &plans {
        match region_plan {
            RegionPlan::UpToDate { .. } | RegionPlan::Missing { .. } => {}
            RegionPlan::Remove { region } => {
                store.remove_region(region).await?;
                outcome.changed += 1;
            }
            RegionPlan::Files { region, fetch } => {
                let Some(entry) = manifest.regions.iter().find(|r| r.id == *region) else {
                    continue;
                };
                let have = stored.iter().find(|s| s.id == *region);
                let mut change = FilesChange::new(entry, have);
                let mut asked = fetch.iter();
                let mut pending = VecDeque::new();
                for file in fetch {
                    while pending.len() < FILES_AHEAD {
                        let Some(next) = asked.next() else { break };
                        pending.push_back(request(store, base, &next.path, &next.sha256).await?);
                    }
                    let Some(source) = pending.pop_front() else {
                        break;
                    };
                    let (text, downloaded) =
                        verified(source, store, &file.path, &file.sha256, file.bytes).await?;
                    let data: DataFile = feed::parse_text(&file.path, &text)?;
                    drop(text);
                    let problems = feed::validate_data_file(&file.path, &data, file, entry);
                    if !problems.is_empty() {
                        return Err(FeedError::Invalid { problems }.into());
                    }
                    if downloaded {
                        outcome.bytes += file.bytes;
                    }
                    state.done += file.bytes;
                    progress(state);
                    change.add(file, &data);
                }
                let whole = fetch.len() == entry.files.len();
                let change = change.finish();
                store.apply_region(&change).await?;
                if whole {
                    // Every partition was replaced, so these are all the
                    // region's records now.
                    outcome.fresh.push((region.clone(), change.records));
                }
                outcome.changed += 1;
            }
            RegionPlan::Delta { region, delta } => {
                let Some(entry) = manifest.regions.iter().find(|r| r.id == *region) else {
                    continue;
                };
                let source = request(store, base, &delta.path, &delta.sha256).await?;
                let (text, downloaded) =
                    verified(source, store, &delta.path, &delta.sha256, delta.bytes).await?;
                let file: DeltaFile = feed::parse_text(&delta.path, &text)?;
                if file.region != entry.id || file.from != delta.from || file.to != entry.version {
                    let message = format!(
                        "the delta goes from {} to {}, not from {} to {}",
                        file.from, file.to, delta.from, entry.version
                    );
                    return Err(FeedError::Shape {
                        file: delta.path.clone(),
                        message,
                    }
                    .into());
                }
                if downloaded {
                    outcome.bytes += delta.bytes;
                }
                state.done += delta.bytes;
                progress(state);
                store.apply_region(&change_from_delta(entry, &file)).await?;
                outcome.changed += 1;
            }
        }
    }
    store.clear_staged().await?;
    store
        .put_meta(meta::LAST_SUCCESS, &js_sys::Date::now().to_string())
        .await?;
    outcome.manifest = Some(manifest);
    Ok(outcome)
}
