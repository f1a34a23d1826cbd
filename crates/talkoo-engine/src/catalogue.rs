//! The stored catalogue for the screen: the region subscription, and the in-memory catalogue read from storage region by region.
//!
//! Reading fails loudly: a subscription that cannot be read is an error the
//! screen shows, never "nothing chosen yet" (which would show the first-run
//! picker to someone who chose long ago).

use std::collections::BTreeSet;
use std::future::Future;

use talkoo_core::catalogue::{Catalogue, RawRecord};
use talkoo_core::snapshot::{Decoding, RegionSnapshot};
use talkoo_store::{keys, Store, StoreError};

/// The chosen regions: `None` until the user has chosen (the first run).
pub async fn subscription<S: Store>(store: &S) -> Result<Option<BTreeSet<String>>, StoreError> {
    Ok(store.get_setting(keys::REGIONS).await?.map(|text| {
        text.split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    }))
}

/// Saves the chosen regions.
pub async fn subscribe<S: Store>(store: &S, regions: &BTreeSet<String>) -> Result<(), StoreError> {
    let text = regions.iter().cloned().collect::<Vec<_>>().join(",");
    store.put_setting(keys::REGIONS, &text).await
}

/// A catalogue read from storage, with the regions that could not be read.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Everything that was read.
    pub catalogue: Catalogue,
    /// Each region that failed, with why; the others are in the catalogue.
    pub errors: Vec<(String, StoreError)>,
}

/// Reads the stored `regions` into a catalogue. Each region comes from
/// its stored snapshot when that is of this format and of the region's
/// stored version; otherwise its records are read (each parsed as it is
/// read, so the JSON of a large region is never held whole), and the
/// snapshot made of them is stored for the next start.
pub async fn load<S: Store>(store: &S, regions: &BTreeSet<String>) -> Loaded {
    load_paced(store, regions, || std::future::ready(())).await
}

/// Services a snapshot is read by between two pauses of [`load_paced`]:
/// a few milliseconds of a phone's time.
pub const SERVICES_PER_SLICE: usize = 2_000;

/// [`load`], awaiting `pause()` between the slices a stored snapshot is
/// read in ([`SERVICES_PER_SLICE`] services, the index, each other kind of
/// record), so that on a page, where `pause` lets the browser run its
/// other tasks, reading a large region never holds the main thread long.
pub async fn load_paced<S: Store, F: Future<Output = ()>>(
    store: &S,
    regions: &BTreeSet<String>,
    pause: impl FnMut() -> F,
) -> Loaded {
    load_paced_with(store, regions, Vec::new(), pause).await
}

/// [`load_paced`], taking a region from `decoded` instead of storage when
/// it is there at the region's stored version: the snapshots a sync just
/// handed over ([`crate::sync::sync_handing`]), read while it stored them.
pub async fn load_paced_with<S: Store, F: Future<Output = ()>>(
    store: &S,
    regions: &BTreeSet<String>,
    mut decoded: Vec<RegionSnapshot>,
    mut pause: impl FnMut() -> F,
) -> Loaded {
    let mut snapshots = Vec::new();
    let mut errors = Vec::new();
    let stored = match store.regions().await {
        Ok(stored) => stored,
        Err(e) => {
            let errors = regions.iter().map(|r| (r.clone(), e.clone())).collect();
            return Loaded {
                catalogue: Catalogue::default(),
                errors,
            };
        }
    };
    for region in regions {
        let version = stored
            .iter()
            .find(|s| s.id == *region)
            .map_or("", |s| s.version.as_str());
        let handed = decoded
            .iter()
            .position(|s| s.region == *region && s.version == version);
        if let Some(at) = handed {
            snapshots.push(decoded.swap_remove(at));
            continue;
        }
        match read(store, region, version, &mut pause).await {
            Ok(snapshot) => snapshots.push(snapshot),
            Err(e) => errors.push((region.clone(), e)),
        }
    }
    // Putting the regions together is a task of its own, not the end of
    // the last region's.
    pause().await;
    Loaded {
        catalogue: Catalogue::from_regions(snapshots),
        errors,
    }
}

/// One region's snapshot at `version`: the stored one if it can be used,
/// otherwise one built from the records and stored. A snapshot that cannot
/// be stored is still used; the next start builds it again.
async fn read<S: Store, F: Future<Output = ()>>(
    store: &S,
    region: &str,
    version: &str,
    pause: &mut impl FnMut() -> F,
) -> Result<RegionSnapshot, StoreError> {
    if let Some(bytes) = store.snapshot(region).await? {
        // Another format, another version or damaged bytes: the records
        // are the truth, and the snapshot is built again from them.
        if let Some(snapshot) = decode_paced(&bytes, region, version, pause).await {
            return Ok(snapshot);
        }
    }
    let mut builder = RegionSnapshot::builder(region, version);
    store
        .each_record(region, &mut |r| {
            builder.add(RawRecord {
                kind: r.kind,
                region,
                partition: &r.partition,
                json: &r.json,
            });
        })
        .await?;
    let snapshot = builder.finish();
    if !version.is_empty() {
        // Only the next start's speed depends on it: a full disk or a
        // version changed meanwhile leaves it to be built again then.
        let _ = store
            .put_snapshot(region, version, &snapshot.encode())
            .await;
    }
    Ok(snapshot)
}

/// The snapshot in `bytes` if it is of `region` at `version` and reads
/// back whole, read a slice at a time with a pause after each slice.
pub async fn decode_paced<F: Future<Output = ()>>(
    bytes: &[u8],
    region: &str,
    version: &str,
    pause: &mut impl FnMut() -> F,
) -> Option<RegionSnapshot> {
    let mut decoding = Decoding::new(bytes).ok()?;
    if decoding.region() != region || decoding.version() != version {
        return None;
    }
    while !decoding.step(SERVICES_PER_SLICE).ok()? {
        pause().await;
    }
    decoding.finish().ok()
}
