//! How catalogue data is laid out in the stores: record keys that make a region or a partition one key range, and region state as JSON.

use serde::{Deserialize, Serialize};
use talkoo_core::feed::Kind;
use talkoo_core::sync::{StoredRecord, StoredRegion};

use crate::StoreError;

/// Separates the parts of a record key; it never occurs in ids, which the
/// feed limits to `a-z0-9-_.`.
const SEP: char = '\u{1}';
/// The character after [`SEP`], closing a key range.
const END: char = '\u{2}';

/// A record read back from the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedRecord {
    /// Its kind.
    pub kind: Kind,
    /// Its partition.
    pub partition: String,
    /// Its id.
    pub id: String,
    /// The record as JSON.
    pub json: String,
}

impl LoadedRecord {
    /// The record as a sync writes it, with its kind and partition
    /// together (`talkoo_core::sync::records_after` takes these).
    pub fn into_stored(self) -> StoredRecord {
        StoredRecord {
            partition: (self.kind, self.partition),
            id: self.id,
            json: self.json,
        }
    }
}

/// The key of one record.
pub fn record_key(region: &str, kind: Kind, partition: &str, id: &str) -> String {
    format!("{region}{SEP}{}{SEP}{partition}{SEP}{id}", kind.name())
}

/// The half-open key range `[start, end)` of every record of a region.
pub fn region_range(region: &str) -> (String, String) {
    (format!("{region}{SEP}"), format!("{region}{END}"))
}

/// The half-open key range of one partition of a region.
pub fn partition_range(region: &str, kind: Kind, partition: &str) -> (String, String) {
    let prefix = format!("{region}{SEP}{}{SEP}{partition}", kind.name());
    (format!("{prefix}{SEP}"), format!("{prefix}{END}"))
}

fn kind_of(name: &str) -> Option<Kind> {
    Kind::ALL.into_iter().find(|k| k.name() == name)
}

/// Splits a record key back into its parts.
pub fn parse_record(key: &str, json: String) -> Option<LoadedRecord> {
    let mut parts = key.split(SEP);
    let (_region, kind, partition, id) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    Some(LoadedRecord {
        kind: kind_of(kind)?,
        partition: partition.to_owned(),
        id: id.to_owned(),
        json,
    })
}

#[derive(Serialize, Deserialize)]
struct RegionJson {
    id: String,
    version: String,
    files: Vec<(Kind, String, String)>,
}

/// A region's state as stored.
pub fn region_to_json(region: &StoredRegion) -> String {
    let files = region
        .files
        .iter()
        .map(|((k, p), sha)| (*k, p.clone(), sha.clone()))
        .collect();
    serde_json::to_string(&RegionJson {
        id: region.id.clone(),
        version: region.version.clone(),
        files,
    })
    .unwrap_or_default()
}

/// Reads a region's state back.
pub fn region_from_json(text: &str) -> Result<StoredRegion, StoreError> {
    let json: RegionJson = serde_json::from_str(text)
        .map_err(|e| StoreError::Backend(format!("a stored region is damaged: {e}")))?;
    Ok(StoredRegion {
        id: json.id,
        version: json.version,
        files: json
            .files
            .into_iter()
            .map(|(k, p, sha)| ((k, p), sha))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_sort_into_region_and_partition_ranges() {
        let key = record_key("kainuu", Kind::Services, "205", "svc-a");
        let (start, end) = region_range("kainuu");
        assert!(start <= key && key < end);
        let (start, end) = partition_range("kainuu", Kind::Services, "205");
        assert!(start <= key && key < end);
        // A neighbouring partition or region falls outside.
        for other in [
            record_key("kainuu", Kind::Services, "2050", "x"),
            record_key("kainuu-x", Kind::Services, "205", "x"),
        ] {
            let (start, end) = partition_range("kainuu", Kind::Services, "205");
            assert!(!(start <= other && other < end), "{other:?}");
        }
        let parsed = parse_record(&key, "{}".into()).expect("parse");
        assert_eq!(
            (parsed.kind, parsed.partition.as_str(), parsed.id.as_str()),
            (Kind::Services, "205", "svc-a")
        );
    }

    #[test]
    fn region_state_round_trips() {
        let region = StoredRegion {
            id: "kainuu".into(),
            version: "v1".into(),
            files: [((Kind::Places, "205".to_owned()), "abc".to_owned())]
                .into_iter()
                .collect(),
        };
        assert_eq!(region_from_json(&region_to_json(&region)), Ok(region));
    }
}
