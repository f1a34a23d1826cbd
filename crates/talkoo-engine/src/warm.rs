//! Warms the sync worker's code while the volunteer reads the region list, so that the first sync runs compiled code from its first file.
//!
//! A browser compiles a wasm function when it is first called, and
//! compiles it again, optimised, once it has run for a while. A prepared
//! sync worker (`src/sync_worker.rs`) would otherwise do both during the
//! volunteer's first sync, on the parsing, validation and indexing that
//! make most of a small region's sync. In a browser told to compile
//! everything optimised at once, the first sync of the demo's Kainuu took
//! a third less time. [`warm_up`] takes a sample region (`warm-up/`: the
//! demo feed's manifest and Kainuu's four files for Hyrynsalmi, 21 KB)
//! through the sync's own steps for a verified file
//! ([`sync::take_file`]) and builds and encodes its snapshot, all in
//! memory: it sends no request and writes nothing. Network code stays
//! cold; running it would mean a second copy of the generic sync for
//! another platform, which is most of what a sample sync weighs. The
//! storage code a sync starts with is warmed by [`warm_storage`], which
//! reads what the sync reads first from the app's own database.

use talkoo_core::feed::{self, FeedError, FileRef, Kind, Manifest};
use talkoo_core::snapshot::LateIndex;
use talkoo_core::sync::FilesChange;
use talkoo_store::Store;

use crate::sync::{self, Snapshotting, SyncError};

/// The sample's manifest: the demo feed's, with Kainuu's files for one
/// municipality only, and unsigned (signatures are checked by WebCrypto,
/// which needs no warming).
const MANIFEST: &str = include_str!("../warm-up/manifest.json");

/// The sample's files by feed path, one of each kind.
const FILES: [(&str, &str); 4] = [
    (
        "kainuu/organisations-105-d717efbbca8292a9.json",
        include_str!("../warm-up/kainuu/organisations-105-d717efbbca8292a9.json"),
    ),
    (
        "kainuu/places-105-bcc364647a696668.json",
        include_str!("../warm-up/kainuu/places-105-bcc364647a696668.json"),
    ),
    (
        "kainuu/events-105-f30047b0fb9e2834.json",
        include_str!("../warm-up/kainuu/events-105-f30047b0fb9e2834.json"),
    ),
    (
        "kainuu/services-105-479d7e19012faedd.json",
        include_str!("../warm-up/kainuu/services-105-479d7e19012faedd.json"),
    ),
];

/// What the sample's warm-up made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Warmed {
    /// The cards (services) in the sample's snapshot.
    pub cards: usize,
    /// The encoded snapshot's bytes.
    pub bytes: usize,
}

/// Takes the sample region through the sync's steps for its files and
/// encodes its snapshot. Returns what that made, or why the sample no
/// longer passes the feed's checks.
pub fn warm_up() -> Result<Warmed, SyncError> {
    let manifest: Manifest = feed::parse_text("manifest.json", MANIFEST)?;
    let problems = feed::validate_manifest("manifest.json", &manifest);
    if !problems.is_empty() {
        return Err(FeedError::Invalid { problems }.into());
    }
    let Some(entry) = manifest.regions.first() else {
        return Err(FeedError::Shape {
            file: "manifest.json".into(),
            message: "the warm-up sample has no region".into(),
        }
        .into());
    };
    // In the order a sync takes them, the services last.
    let mut files: Vec<&FileRef> = entry.files.iter().collect();
    files.sort_by_key(|f| f.kind == Kind::Services);
    let mut change = FilesChange::new(entry, None);
    let mut snapshot = Some(Snapshotting::new(&entry.id, &entry.version, true));
    for file in files {
        let Some((_, text)) = FILES.iter().find(|(path, _)| *path == file.path) else {
            return Err(FeedError::Shape {
                file: file.path.clone(),
                message: "the warm-up sample lacks this file".into(),
            }
            .into());
        };
        sync::take_file(entry, file, text, &mut change, &mut snapshot)?;
    }
    drop(change.finish());
    // The snapshot is built whole: `take_file` keeps it while it succeeds.
    // Its index is built late, from the services read again, as a first
    // sync's is.
    let mut snapshot = snapshot.map(Snapshotting::finish);
    if let Some(snapshot) = &mut snapshot {
        let index = {
            let mut late = LateIndex::new(snapshot);
            for (path, text) in FILES {
                if let Some(file) = entry
                    .files
                    .iter()
                    .find(|f| f.path == path && f.kind == Kind::Services)
                {
                    sync::index_file(&mut late, file, text)?;
                }
            }
            late.finish()
        };
        if let Some(index) = index {
            snapshot.index = index;
        }
    }
    Ok(Warmed {
        cards: snapshot.as_ref().map_or(0, |s| s.services.len()),
        bytes: snapshot.map_or(0, |s| s.encode().len()),
    })
}

/// Reads what a sync reads from storage before it asks for its first file
/// (the sync's own reads: [`sync::manifest_state`] and
/// [`sync::planning_state`]) and drops it, so that a prepared worker has
/// compiled the storage code a sync starts with.
/// Without it, the task that starts a sync took 14 to 18 ms in traces of
/// the demo's first sync, most of it compiling code on first use, and the
/// manifest was asked for 26 to 27 ms after the tap; with it, 3 to 11 ms
/// and 12 to 21 ms. Reads only; answers how many values it read, for the
/// caller to keep from the optimiser.
pub async fn warm_storage<S: Store>(store: &S) -> Result<usize, SyncError> {
    let manifest = sync::manifest_state(store).await?;
    let (regions, whole, staged) = sync::planning_state(store).await?;
    let metas = [
        manifest.stored.is_some(),
        manifest.stored_pins.is_some(),
        manifest.signature.is_some(),
        manifest.etag.is_some(),
        manifest.modified.is_some(),
        whole,
    ];
    Ok(metas.into_iter().map(usize::from).sum::<usize>() + regions.len() + staged.len())
}
