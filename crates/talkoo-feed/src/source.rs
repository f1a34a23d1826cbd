//! Reads the editable source of a feed: one folder per region with readable JSON arrays of records.
//!
//! ```text
//! SRC/feed.json                 publisher and demo flag
//! SRC/<region>/region.json      id, names, municipalities
//! SRC/<region>/organisations.json, services.json, places.json, events.json
//! SRC/<region>/withdrawn.json   optional: [{kind, id, partition, withdrawn}]
//! ```

use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};
use talkoo_core::feed::{Kind, Municipality, Publisher};
use talkoo_core::model::{Event, LangText, Organisation, Place, Service};

use crate::ToolError;

/// A whole feed's source.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedSource {
    /// Who publishes it.
    pub publisher: Publisher,
    /// Demo data.
    pub demo: bool,
    /// The regions, sorted by id.
    pub regions: Vec<RegionSource>,
}

/// One region's source.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RegionSource {
    /// Region id.
    pub id: String,
    /// Name by language.
    pub name: LangText,
    /// Municipalities.
    pub municipalities: Vec<Municipality>,
    /// Organisations.
    pub organisations: Vec<Organisation>,
    /// Services.
    pub services: Vec<Service>,
    /// Places.
    pub places: Vec<Place>,
    /// Events.
    pub events: Vec<Event>,
    /// Withdrawn records, published as tombstones.
    pub withdrawn: Vec<Withdrawn>,
}

/// A record withdrawn by its publisher.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withdrawn {
    /// Its kind.
    pub kind: Kind,
    /// Its id.
    pub id: String,
    /// The partition (municipality code) it was published in.
    pub partition: String,
    /// When, RFC 3339.
    pub withdrawn: String,
}

#[derive(Deserialize)]
struct FeedJson {
    publisher: Publisher,
    #[serde(default)]
    demo: bool,
}

#[derive(Deserialize)]
struct RegionJson {
    id: String,
    name: LangText,
    municipalities: Vec<Municipality>,
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, ToolError> {
    let bytes = fs::read(path)
        .map_err(|e| ToolError::Io(format!("cannot read {}: {e}", path.display())))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| ToolError::Source(format!("{}: {e}", path.display())))
}

fn read_optional<T: serde::de::DeserializeOwned + Default>(path: &Path) -> Result<T, ToolError> {
    if path.exists() {
        read_json(path)
    } else {
        Ok(T::default())
    }
}

/// Reads a source folder.
pub fn read_source(dir: &Path) -> Result<FeedSource, ToolError> {
    let feed: FeedJson = read_json(&dir.join("feed.json"))?;
    let mut regions = Vec::new();
    let mut entries: Vec<_> = fs::read_dir(dir)
        .map_err(|e| ToolError::Io(format!("cannot list {}: {e}", dir.display())))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("region.json").is_file())
        .collect();
    entries.sort();
    for folder in entries {
        let region: RegionJson = read_json(&folder.join("region.json"))?;
        regions.push(RegionSource {
            id: region.id,
            name: region.name,
            municipalities: region.municipalities,
            organisations: read_optional(&folder.join("organisations.json"))?,
            services: read_optional(&folder.join("services.json"))?,
            places: read_optional(&folder.join("places.json"))?,
            events: read_optional(&folder.join("events.json"))?,
            withdrawn: read_optional(&folder.join("withdrawn.json"))?,
        });
    }
    if regions.is_empty() {
        return Err(ToolError::Source(format!(
            "{} has no region folders (folders with a region.json)",
            dir.display()
        )));
    }
    Ok(FeedSource {
        publisher: feed.publisher,
        demo: feed.demo,
        regions,
    })
}
