//! How catalogue data is laid out in the stores: record keys that make a region or a partition one key range, and region state as JSON.

use serde::{Deserialize, Serialize};
use talkoo_core::feed::Kind;
use talkoo_core::sync::{RecordSpan, StoredFile, StoredRecord, StoredRegion};

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

/// The key of the file `sha256` that holds a partition's records (its
/// kind is the file's: see `talkoo_core::sync::file_partition`). The
/// file's hash is in the key, so the files that hold records are known
/// from the keys alone, without reading every index.
pub fn file_key(region: &str, kind: Kind, partition: &str, sha256: &str) -> String {
    format!("{region}{SEP}{}{SEP}{partition}{SEP}{sha256}", kind.name())
}

/// The half-open key range of the file that holds a partition's records
/// (one at most).
pub fn file_range(region: &str, kind: Kind, partition: &str) -> (String, String) {
    partition_range(region, kind, partition)
}

/// The hash of the file in a `partitions` key.
pub fn file_of_key(key: &str) -> Option<&str> {
    key.split(SEP).nth(3)
}

/// A stored file's place and records, as kept in the `partitions` store.
#[derive(Serialize, Deserialize)]
struct FileJson {
    file: String,
    records: Vec<(Kind, String, u32, u32)>,
}

/// The `partitions` value of a file that holds records.
pub fn stored_file_to_json(file: &StoredFile) -> String {
    serde_json::to_string(&FileJson {
        file: file.file.clone(),
        records: file
            .records
            .iter()
            .map(|r| (r.kind, r.id.clone(), r.start, r.end))
            .collect(),
    })
    .unwrap_or_default()
}

/// Reads a `partitions` entry back: the key of the file in staging and
/// where each record lies in it.
pub fn stored_file_from_json(text: &str) -> Result<(String, Vec<RecordSpan>), StoreError> {
    let json: FileJson = serde_json::from_str(text)
        .map_err(|e| StoreError::Backend(format!("a stored file's index is damaged: {e}")))?;
    let spans = json
        .records
        .into_iter()
        .map(|(kind, id, start, end)| RecordSpan {
            kind,
            id,
            start,
            end,
        })
        .collect();
    Ok((json.file, spans))
}

/// The partition in a `partitions` key.
pub fn parse_file_key(key: &str) -> Option<String> {
    key.split(SEP).nth(2).map(str::to_owned)
}

/// The records `spans` locate in `text`, a stored file of `partition`.
pub fn records_in_file(
    text: &str,
    partition: &str,
    spans: Vec<RecordSpan>,
) -> Result<Vec<LoadedRecord>, StoreError> {
    spans
        .into_iter()
        .map(|span| {
            let json = span_text(text, &span)?;
            Ok(LoadedRecord {
                kind: span.kind,
                partition: partition.to_owned(),
                id: span.id,
                json,
            })
        })
        .collect()
}

/// Hands `each` every record that the `partitions` entry `key` locates
/// (`spans`) in `text`, its staged file: what both stores' `each_record`
/// does with each file once it has read it.
pub fn each_in_file(
    key: &str,
    text: &str,
    spans: Vec<RecordSpan>,
    each: &mut dyn FnMut(LoadedRecord),
) -> Result<(), StoreError> {
    let partition = parse_file_key(key).unwrap_or_default();
    records_in_file(text, &partition, spans)?
        .into_iter()
        .for_each(each);
    Ok(())
}

/// One record's text from its file.
pub fn span_text(text: &str, span: &RecordSpan) -> Result<String, StoreError> {
    text.get(span.start as usize..span.end as usize)
        .map(str::to_owned)
        .ok_or_else(|| StoreError::Backend(format!("the stored file of {} is cut short", span.id)))
}

/// The error for a file a region's records are read from and that is gone.
pub fn missing_file(file: &str) -> StoreError {
    StoreError::Backend(format!("the stored feed file {file} is missing"))
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
        files: talkoo_core::tree::map_of(json.files.into_iter().map(|(k, p, sha)| ((k, p), sha))),
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
    fn file_keys_sort_into_their_region_and_partition_and_name_the_file() {
        let key = file_key("kainuu", Kind::Services, "205", "abc");
        let (start, end) = region_range("kainuu");
        assert!(start <= key && key < end);
        let (start, end) = file_range("kainuu", Kind::Services, "205");
        assert!(start <= key && key < end);
        for other in [
            file_key("kainuu", Kind::Services, "2050", "abc"),
            file_key("kainuu", Kind::Places, "205", "abc"),
        ] {
            assert!(!(start <= other && other < end), "{other:?}");
        }
        assert_eq!(parse_file_key(&key).as_deref(), Some("205"));
        assert_eq!(file_of_key(&key), Some("abc"));
    }

    #[test]
    fn a_stored_file_index_round_trips_and_slices_its_records() {
        let text = r#"{"services":[{"id":"a"},{"id":"bä"}]}"#;
        let spans = vec![
            RecordSpan {
                kind: Kind::Services,
                id: "a".into(),
                start: 13,
                end: 23,
            },
            RecordSpan {
                kind: Kind::Services,
                id: "bä".into(),
                start: 24,
                end: 36,
            },
        ];
        let file = StoredFile {
            partition: (Kind::Services, "205".into()),
            file: "sha".into(),
            records: spans.clone(),
        };
        let (key, back) = stored_file_from_json(&stored_file_to_json(&file)).expect("read");
        assert_eq!((key.as_str(), &back), ("sha", &spans));
        let records = records_in_file(text, "205", back).expect("records");
        let json: Vec<&str> = records.iter().map(|r| r.json.as_str()).collect();
        assert_eq!(json, [r#"{"id":"a"}"#, r#"{"id":"bä"}"#]);
        let past = RecordSpan {
            end: 99,
            ..spans[1].clone()
        };
        assert!(span_text(text, &past).is_err());
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
