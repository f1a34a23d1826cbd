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
        talkoo_core::tree::set_of(text.split(',').filter(|s| !s.is_empty()).map(str::to_owned))
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
    decoded: Vec<RegionSnapshot>,
    pause: impl FnMut() -> F,
) -> Loaded {
    let mut read = read_stored(store, regions, decoded, pause).await;
    for (region, version) in std::mem::take(&mut read.stale) {
        match rebuild(store, &region, &version, &mut |_| {}).await {
            Ok(snapshot) => read.add(snapshot),
            Err(e) => read.errors.push((region, e)),
        }
    }
    read.finish()
}

/// The chosen regions as their stored snapshots say, before they are put
/// together ([`Read::finish`]).
#[derive(Debug, Default)]
pub struct Read {
    /// The regions read, or taken as handed over, in the order of their
    /// ids ([`Read::add`]).
    pub snapshots: Vec<RegionSnapshot>,
    /// Each region that failed, with why.
    pub errors: Vec<(String, StoreError)>,
    /// Each region stored whose snapshot cannot be used (of another
    /// format, damaged, or never written), with its stored version: its
    /// snapshot must be built again from its records ([`rebuild`]).
    pub stale: Vec<(String, String)>,
}

impl Read {
    /// Adds a region's snapshot, built again or handed over, in the order
    /// of the regions' ids that `read_stored` reads them in: a catalogue
    /// does not depend on which were built again. (A search, not a sort:
    /// each sort of another type is kilobytes of the first-load shell.)
    pub fn add(&mut self, snapshot: RegionSnapshot) {
        let at = self
            .snapshots
            .partition_point(|s| s.region < snapshot.region);
        self.snapshots.insert(at, snapshot);
    }

    /// The regions read put together.
    pub fn finish(self) -> Loaded {
        Loaded {
            catalogue: Catalogue::from_regions(self.snapshots),
            errors: self.errors,
        }
    }
}

/// The chosen `regions` as a sync just handed them over, without reading
/// storage, when it handed over a snapshot of each (other regions handed
/// are left out); `None` when it did not. A sync stores a region at its
/// snapshot's version before it hands the snapshot over
/// ([`crate::sync::sync_handing`]), so the page can show them while the
/// sync worker still writes the snapshots, whose transaction a read of the
/// stored versions ([`read_stored`]) would wait for. The versions are
/// taken as handed: a newer one another tab stores meanwhile is read at
/// the next load.
pub fn from_handed(regions: &BTreeSet<String>, decoded: Vec<RegionSnapshot>) -> Option<Read> {
    let mut read = Read::default();
    for snapshot in decoded {
        if regions.contains(&snapshot.region)
            && !read.snapshots.iter().any(|s| s.region == snapshot.region)
        {
            read.add(snapshot);
        }
    }
    (read.snapshots.len() == regions.len()).then_some(read)
}

/// Reads the chosen `regions` from their stored snapshots only, taking a
/// region from `decoded` when it is there at the region's stored version,
/// and pausing as [`load_paced`] does. A region whose snapshot cannot be
/// used is left `stale`, never built here: the page has a sync worker
/// build it ([`crate::worker::SnapshotsRequest`]), since building a large
/// region is seconds of work, and its code stays out of the first-load
/// shell. A region chosen but not stored yet is empty.
pub async fn read_stored<S: Store, F: Future<Output = ()>>(
    store: &S,
    regions: &BTreeSet<String>,
    mut decoded: Vec<RegionSnapshot>,
    mut pause: impl FnMut() -> F,
) -> Read {
    let mut read = Read::default();
    let stored = match store.regions().await {
        Ok(stored) => stored,
        Err(e) => {
            read.errors = regions.iter().map(|r| (r.clone(), e.clone())).collect();
            return read;
        }
    };
    for region in regions {
        let Some(version) = stored
            .iter()
            .find(|s| s.id == *region)
            .map(|s| s.version.as_str())
        else {
            read.snapshots.push(RegionSnapshot::empty(region, ""));
            continue;
        };
        // One handed over without its index (`from_handed` shows it while
        // the index is built) is not kept: the worker stores a snapshot
        // only with its index, so storage has the one to use.
        let handed = decoded
            .iter()
            .position(|s| s.region == *region && s.version == version && s.indexed());
        if let Some(at) = handed {
            read.snapshots.push(decoded.swap_remove(at));
            continue;
        }
        match store.snapshot(region).await {
            // Another format, another version or damaged bytes: the
            // records are the truth, and the snapshot is built again from
            // them.
            Ok(Some(bytes)) => match decode_paced(&bytes, region, version, &mut pause).await {
                Some(snapshot) => read.snapshots.push(snapshot),
                None => read.stale.push((region.clone(), version.to_owned())),
            },
            Ok(None) => read.stale.push((region.clone(), version.to_owned())),
            Err(e) => read.errors.push((region.clone(), e)),
        }
    }
    // Putting the regions together is a task of its own, not the end of
    // the last region's.
    pause().await;
    read
}

/// Builds `region`'s snapshot at `version` again from its stored records,
/// hands its bytes to `hand` (the sync worker posts them to the page) and
/// stores them for the next start. A snapshot that cannot be stored (a
/// full disk, or a version changed meanwhile) is still used; the next
/// start builds it again.
pub async fn rebuild<S: Store>(
    store: &S,
    region: &str,
    version: &str,
    hand: &mut dyn FnMut(crate::sync::NewSnapshot<'_>),
) -> Result<RegionSnapshot, StoreError> {
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
    let bytes = snapshot.encode();
    hand(crate::sync::NewSnapshot {
        region,
        version,
        bytes: &bytes,
        index_only: false,
    });
    // Only the next start's speed depends on it.
    let _ = store.put_snapshot(region, version, &bytes).await;
    Ok(snapshot)
}

/// Builds again, from their records, the snapshots of those of `regions`
/// that are stored, handing each to `hand` before it is stored: the sync
/// worker's answer to a [`crate::worker::SnapshotsRequest`]. Answers how
/// many it built.
pub async fn rebuild_all<S: Store>(
    store: &S,
    regions: &BTreeSet<String>,
    hand: &mut dyn FnMut(crate::sync::NewSnapshot<'_>),
) -> Result<usize, StoreError> {
    let stored = store.regions().await?;
    let mut built = 0;
    for region in stored.iter().filter(|s| regions.contains(&s.id)) {
        rebuild(store, &region.id, &region.version, hand).await?;
        built += 1;
    }
    Ok(built)
}

/// Bytes of a snapshot the page copies out of the sync worker's message
/// between two pauses of [`copy_paced`]: one copy of a 50,000-card
/// region's 42.5 MB held the page for 31 ms, and a garbage collection in
/// the same task made it 65 ms (issue 13, `make bench`'s longest task).
pub const BYTES_PER_SLICE: usize = 4 << 20;

/// Copies `len` bytes into a new buffer, [`BYTES_PER_SLICE`] at a time,
/// awaiting `pause()` between two slices. `copy(from, into)` fills `into`
/// with the source's bytes from offset `from` on.
pub async fn copy_paced<F: Future<Output = ()>>(
    len: usize,
    copy: impl FnMut(usize, &mut [u8]),
    pause: &mut impl FnMut() -> F,
) -> Vec<u8> {
    copy_in_slices(len, BYTES_PER_SLICE, copy, pause).await
}

async fn copy_in_slices<F: Future<Output = ()>>(
    len: usize,
    slice: usize,
    mut copy: impl FnMut(usize, &mut [u8]),
    pause: &mut impl FnMut() -> F,
) -> Vec<u8> {
    // Zeroed at once, which costs nothing in memory the allocator has just
    // grown; growing the vector a slice at a time zeroed it a byte at a
    // time in the size-optimised wasm, half of the copy's time in a
    // profile of the page taking a 10,000-card region (issue 13).
    let mut bytes = vec![0; len];
    let mut from = 0;
    while from < len {
        if from > 0 {
            pause().await;
        }
        let to = len.min(from + slice.max(1));
        copy(from, &mut bytes[from..to]);
        from = to;
    }
    bytes
}

/// The snapshot in `bytes` if it is of `region` at `version` and reads
/// back whole, read a slice at a time with a pause after each slice.
pub async fn decode_paced<F: Future<Output = ()>>(
    bytes: &[u8],
    region: &str,
    version: &str,
    pause: &mut impl FnMut() -> F,
) -> Option<RegionSnapshot> {
    decode_in_slices(Decoding::new(bytes).ok()?, region, version, pause).await
}

/// [`decode_paced`] for a snapshot a sync worker handed over, which may
/// come without its search index ([`crate::sync`] hands a region's first
/// snapshot over before its index is built).
pub async fn decode_handed_paced<F: Future<Output = ()>>(
    bytes: &[u8],
    region: &str,
    version: &str,
    pause: &mut impl FnMut() -> F,
) -> Option<RegionSnapshot> {
    let decoding = Decoding::new(bytes).ok()?.index_may_follow();
    decode_in_slices(decoding, region, version, pause).await
}

async fn decode_in_slices<F: Future<Output = ()>>(
    mut decoding: Decoding<'_>,
    region: &str,
    version: &str,
    pause: &mut impl FnMut() -> F,
) -> Option<RegionSnapshot> {
    if decoding.region() != region || decoding.version() != version {
        return None;
    }
    while !decoding.step(SERVICES_PER_SLICE).ok()? {
        pause().await;
    }
    decoding.finish().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A slice at a time, with a pause between two slices and none after
    /// the last; the copy is the source, whole. Native only: pollster, which
    /// runs the future, is a native dev-dependency.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn snapshot_bytes_are_copied_a_slice_at_a_time() {
        let check = |len: usize, slice: usize, pauses: usize| {
            let source: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            let mut paused = 0;
            let copied = pollster::block_on(copy_in_slices(
                len,
                slice,
                |from, into| into.copy_from_slice(&source[from..from + into.len()]),
                &mut || {
                    paused += 1;
                    std::future::ready(())
                },
            ));
            assert_eq!(copied, source, "{len} bytes in slices of {slice}");
            assert_eq!(paused, pauses, "{len} bytes in slices of {slice}");
        };
        check(0, 4, 0);
        check(1, 4, 0);
        check(4, 4, 0);
        check(5, 4, 1);
        check(12, 4, 2);
        check(13, 4, 3);
        check(3, 0, 2);
    }

    /// Snapshots built again come in any order; the catalogue's regions
    /// stay in the order of their ids.
    #[test]
    fn snapshots_added_keep_the_order_of_region_ids() {
        let check = |read: &[&str], added: &[&str], expected: &[&str]| {
            let mut r = Read {
                snapshots: read
                    .iter()
                    .map(|id| RegionSnapshot::empty(id, ""))
                    .collect(),
                ..Read::default()
            };
            for id in added {
                r.add(RegionSnapshot::empty(id, "v"));
            }
            let order: Vec<&str> = r.snapshots.iter().map(|s| s.region.as_str()).collect();
            assert_eq!(order, expected, "{read:?} + {added:?}");
        };
        check(&[], &["b", "a"], &["a", "b"]);
        check(
            &["kainuu"],
            &["lappi", "etela-karjala"],
            &["etela-karjala", "kainuu", "lappi"],
        );
        check(&["a", "c"], &["b"], &["a", "b", "c"]);
    }
}
