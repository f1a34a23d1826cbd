//! Importing a `.talkoo` bundle someone handed over: the same manifest check, file verification and atomic per-region apply as a network sync, against keys already pinned, never replacing newer data (docs/feed.md, "Bundles").
//!
//! The shell reads the file with `talkoo_bundle::read_bundle` and passes
//! its contents here as a [`Bundle`]; this crate does not link the reader,
//! so neither does anything that only syncs. The bundle's files are served
//! to the sync's own code by [`BundleFiles`], a [`Fetch`] that answers
//! from memory and leaves hashing and signatures to the real platform, so
//! there is one verify-and-apply path, not two.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use talkoo_core::feed::{self, FeedError, Manifest};
use talkoo_core::import::{self, RegionImport};
use talkoo_core::pinning::{self, KeyId, Refusal, Source as Origin};
use talkoo_core::sync::plan;
use talkoo_store::{Store, StoreError};

use crate::catalogue;
use crate::platform::{Clock, Fetch, FetchError, Request, Response};
use crate::sync::{self, meta, FilesFrom, Outcome, Progress, SyncError};

/// A bundle's contents as `talkoo_bundle::read_bundle` reads them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bundle {
    /// The exact bytes of `manifest.json`, which its signature covers.
    pub manifest: Vec<u8>,
    /// `manifest.json.sig`, if the bundle has one.
    pub signature: Option<Vec<u8>>,
    /// The data (and any delta) files by their feed path.
    pub files: BTreeMap<String, Vec<u8>>,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportOutcome {
    /// The manifest in use now: the bundle's when it was newer than the
    /// stored one, otherwise the stored one.
    pub manifest: Manifest,
    /// Regions whose data was written.
    pub applied: Vec<String>,
    /// Regions the device already had in the bundle's version.
    pub unchanged: Vec<String>,
    /// Regions left as they were because the device's data may be newer.
    pub older: Vec<String>,
    /// The chosen regions after the import: the bundle's applied and
    /// unchanged regions are added, so that the next sync keeps them.
    pub subscribed: BTreeSet<String>,
    /// Bytes of the bundle's files that were read and written.
    pub bytes: u64,
}

impl ImportOutcome {
    /// The i18n key of a note to show beside the result, when some of the
    /// bundle's regions were left as they were.
    pub fn note_key(&self) -> Option<&'static str> {
        (!self.older.is_empty()).then_some("bundle-note-older")
    }
}

/// Why a bundle was not imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// The bundle is signed and whole, but older than the device's data or
    /// without a complete region. Nothing was written.
    #[error("the file was not used: {0}")]
    Refused(#[from] import::Refusal),
    /// What would stop a network sync: a signature the pinning rules
    /// refuse (nothing was written), a damaged file (nothing was written),
    /// a manifest of a newer major version, or a storage failure.
    #[error(transparent)]
    Sync(#[from] SyncError),
}

impl From<StoreError> for ImportError {
    fn from(e: StoreError) -> Self {
        ImportError::Sync(e.into())
    }
}

impl From<FeedError> for ImportError {
    fn from(e: FeedError) -> Self {
        ImportError::Sync(e.into())
    }
}

impl ImportError {
    /// The i18n key of the plain-words explanation, worded for a file the
    /// user chose rather than for an update from the network.
    pub fn message_key(&self) -> &'static str {
        match self {
            ImportError::Refused(refusal) => refusal.message_key(),
            ImportError::Sync(SyncError::Signature(Refusal::NothingPinned)) => {
                "bundle-error-not-pinned"
            }
            ImportError::Sync(SyncError::Signature(_)) => "bundle-error-signature",
            ImportError::Sync(SyncError::CannotVerify(_)) => "bundle-error-verify",
            ImportError::Sync(SyncError::Feed(FeedError::UnsupportedVersion { .. })) => {
                "bundle-error-version"
            }
            ImportError::Sync(SyncError::Store(_)) => "bundle-error-store",
            // A request to the bundle fails only for a file it lacks.
            ImportError::Sync(
                SyncError::Feed(_) | SyncError::Http { .. } | SyncError::Network(_),
            ) => "bundle-error-damaged",
        }
    }
}

/// A [`Fetch`] that answers from the bundle's files: each file's feed path
/// is its URL, a file the bundle lacks is a 404, and hashing and signature
/// checks go to the real platform (WebCrypto in the browser).
struct BundleFiles<'a, N> {
    platform: &'a N,
    files: RefCell<BTreeMap<String, Vec<u8>>>,
}

impl<N: Fetch> Fetch for BundleFiles<'_, N>
where
    N::Body: From<Vec<u8>>,
{
    type Body = N::Body;
    type Pending = std::future::Ready<Result<Response<N::Body>, FetchError>>;

    fn start(&self, request: Request) -> Self::Pending {
        // Each file is asked for once, so it is handed over rather than
        // copied.
        let (status, body) = match self.files.borrow_mut().remove(&request.url) {
            Some(bytes) => (200, bytes),
            None => (404, Vec::new()),
        };
        std::future::ready(Ok(Response {
            status,
            headers: Vec::new(),
            body: N::Body::from(body),
        }))
    }

    fn online(&self) -> bool {
        self.platform.online()
    }

    async fn sha256_hex(&self, body: &N::Body) -> Result<String, FetchError> {
        self.platform.sha256_hex(body).await
    }

    async fn verify_ed25519(
        &self,
        public_key: &[u8; 32],
        message: &[u8],
        signature: &[u8; 64],
    ) -> Result<bool, FetchError> {
        self.platform
            .verify_ed25519(public_key, message, signature)
            .await
    }
}

/// Checks the size and SHA-256 of every file of the bundle that its
/// manifest lists, before anything is written, so that one damaged file
/// refuses the whole bundle rather than the regions after it.
async fn verify_every_file<N: Fetch>(
    net: &N,
    manifest: &Manifest,
    files: &BTreeMap<String, Vec<u8>>,
) -> Result<(), ImportError>
where
    N::Body: From<Vec<u8>>,
{
    let listed = manifest.regions.iter().flat_map(|r| {
        r.files
            .iter()
            .map(|f| (&f.path, &f.sha256, f.bytes))
            .chain(r.deltas.iter().map(|d| (&d.path, &d.sha256, d.bytes)))
    });
    for (path, sha256, bytes) in listed {
        let Some(data) = files.get(path) else {
            continue;
        };
        let body = N::Body::from(data.clone());
        let actual = net.sha256_hex(&body).await.map_err(SyncError::Network)?;
        feed::verify(path, data, &actual, sha256, bytes)?;
    }
    Ok(())
}

/// Imports `bundle`: checks its manifest as a sync does, but against the
/// keys already pinned (the device's, or `build_pins`, the keys this app
/// was built with) and never changing them; checks every file; then
/// writes the bundle's complete regions that are not older than what the
/// device stores, each in one transaction and only the partitions that
/// differ from what is stored, and adds them to the chosen regions. The
/// stored manifest is replaced only by a newer one. Personal data is not
/// touched, and a refusal writes nothing.
///
/// `net` hashes and checks signatures (it sends no request); `clock` gives
/// the sync's per-file deadlines, which a file in memory never reaches.
/// `progress` hears the bytes written as the sync's `apply` reports them
/// (`talkoo_core::sync::ProgressPacer`).
pub async fn import_bundle<S: Store, N: Fetch, C: Clock>(
    store: &S,
    net: &N,
    clock: &C,
    build_pins: &[KeyId],
    bundle: Bundle,
    progress: &mut dyn FnMut(Progress),
) -> Result<ImportOutcome, ImportError>
where
    N::Body: From<Vec<u8>>,
{
    let text = sync::manifest_text(bundle.manifest)?;
    let stored_pins = sync::stored_pins(store).await?;
    let pins = pinning::effective(stored_pins.as_ref(), build_pins);
    // The pins this returns are those in force: a bundle never changes
    // them, so they are not written.
    let (manifest, _) = sync::accept(
        net,
        &pins,
        &text,
        bundle.signature.as_deref(),
        Origin::Bundle,
    )
    .await?;

    let stored_manifest: Option<Manifest> = match store.get_meta(meta::MANIFEST).await? {
        Some(stored) => Some(feed::parse_text("manifest.json", &stored)?),
        None => None,
    };
    let stored = store.regions().await?;
    let complete = import::complete_regions(&manifest, |path| bundle.files.contains_key(path));
    let decision = import::plan(
        &manifest,
        &complete,
        stored_manifest.as_ref().map(|m| m.generated.as_str()),
        &stored,
    )?;
    verify_every_file(net, &manifest, &bundle.files).await?;

    let applied = decision.regions_that(RegionImport::Apply);
    let unchanged = decision.regions_that(RegionImport::Unchanged);
    // Chosen before the data is written: a region written but not chosen
    // would be removed by the next sync, while one chosen but not yet
    // written is simply fetched by it.
    let chosen = catalogue::subscription(store).await?;
    let mut subscribed = chosen.clone().unwrap_or_default();
    subscribed.extend(applied.iter().chain(&unchanged).cloned());
    if chosen.as_ref() != Some(&subscribed) {
        catalogue::subscribe(store, &subscribed).await?;
    }
    // Stored before the regions, as a sync does, so that the stored
    // manifest is never older than any region's data. The ETag and
    // Last-Modified stay those of the last manifest from the network: a
    // 304 for it then keeps this newer one instead of bringing that back.
    if decision.replace_manifest {
        sync::store_manifest(store, &text, bundle.signature.as_deref()).await?;
    }

    // The sync's plan for the regions to write, against what is stored of
    // them, so a region shares every unchanged partition with the device.
    // Deltas the bundle does not carry are left out of the plan; a
    // bundle that carries one, from the stored version, is used as a sync
    // would.
    let wanted: BTreeSet<String> = applied.iter().cloned().collect();
    let have: Vec<_> = stored
        .into_iter()
        .filter(|s| wanted.contains(&s.id))
        .collect();
    let mut planning = manifest.clone();
    for region in &mut planning.regions {
        region.deltas.retain(|d| bundle.files.contains_key(&d.path));
    }
    let plans = plan(&planning, &wanted, &have);
    let files = BundleFiles {
        platform: net,
        files: RefCell::new(bundle.files),
    };
    // Staged like a sync's downloads: the records are read from the
    // files, and this device can pass the bundle's regions on in turn.
    let from = FilesFrom { base: "" };
    let mut written = Outcome::default();
    let staged = store.staged_hashes().await?;
    sync::apply(
        store,
        &files,
        clock,
        &from,
        &planning,
        &have,
        &staged,
        &plans,
        &mut sync::HeadStart::default(),
        &mut written,
        progress,
        // The page reads an import's snapshots back when it is done,
        // so each is built with its index at once.
        &mut |_| {},
        false,
    )
    .await?;
    sync::keep_stored_files(store).await?;
    let stored_time = store
        .get_meta(meta::LAST_SUCCESS)
        .await?
        .and_then(|t| t.parse().ok());
    if let Some(time) = import::updated_at(&manifest.generated, stored_time) {
        store
            .put_meta(meta::LAST_SUCCESS, &time.to_string())
            .await?;
    }

    let manifest = match stored_manifest {
        Some(stored) if !decision.replace_manifest => stored,
        _ => manifest,
    };
    Ok(ImportOutcome {
        manifest,
        applied,
        unchanged,
        older: decision.regions_that(RegionImport::Older),
        subscribed,
        bytes: written.bytes,
    })
}
