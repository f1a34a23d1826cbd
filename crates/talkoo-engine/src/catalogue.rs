//! The stored catalogue for the screen: the region subscription, and the in-memory catalogue read from storage region by region.
//!
//! Reading fails loudly: a subscription that cannot be read is an error the
//! screen shows, never "nothing chosen yet" (which would show the first-run
//! picker to someone who chose long ago).

use std::collections::BTreeSet;

use talkoo_core::catalogue::{Catalogue, CatalogueBuilder, RawRecord};
use talkoo_core::sync::StoredRecord;
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

/// Reads the stored `regions` into a catalogue, parsing each record as it
/// is read so the JSON of a large region is never held whole. A region that
/// a sync has just downloaded whole comes from `fresh` instead of being read
/// back, and each of its records is dropped once parsed; fresh records of
/// regions not in `regions` (unsubscribed meanwhile) are ignored.
pub async fn load<S: Store>(
    store: &S,
    regions: &BTreeSet<String>,
    mut fresh: Vec<(String, Vec<StoredRecord>)>,
) -> Loaded {
    let mut builder = CatalogueBuilder::default();
    let mut errors = Vec::new();
    for region in regions {
        if let Some(at) = fresh.iter().position(|(id, _)| id == region) {
            for record in fresh.swap_remove(at).1 {
                builder.add(RawRecord {
                    kind: record.partition.0,
                    region,
                    json: &record.json,
                });
            }
            continue;
        }
        let read = store
            .each_record(region, &mut |r| {
                builder.add(RawRecord {
                    kind: r.kind,
                    region,
                    json: &r.json,
                });
            })
            .await;
        if let Err(e) = read {
            errors.push((region.clone(), e));
        }
    }
    Loaded {
        catalogue: builder.finish(),
        errors,
    }
}
