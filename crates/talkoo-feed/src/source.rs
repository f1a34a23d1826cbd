//! Reads the editable source of a feed: one folder per region with readable JSON arrays of records.
//!
//! ```text
//! SRC/feed.json                 publisher and demo flag
//! SRC/<region>/region.json      id, names, municipalities
//! SRC/<region>/organisations.json, services.json, places.json, events.json
//! SRC/<region>/withdrawn.json   optional: [{kind, id, partition, withdrawn}]
//! SRC/<region>/achievements.json, issuers.json   optional (format 1.1)
//! SRC/<region>/images/…         badge images that achievements name by path
//! ```
//!
//! An achievement's `image` in the source is a path relative to its region
//! folder; the tool checks the file (a PNG, or an SVG without scripts or
//! outside references, at most `MAX_IMAGE_BYTES`) and writes it into the
//! feed as a `data:` URI, so the image is stored with the record and shows
//! offline.

use std::fs;
use std::path::Path;

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use talkoo_core::feed::MAX_IMAGE_BYTES;
use talkoo_core::feed::{Kind, Municipality, Publisher};
use talkoo_core::model::{Achievement, Event, Issuer, LangText, Organisation, Place, Service};

use crate::ToolError;

/// A whole feed's source.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedSource {
    /// Who publishes it.
    pub publisher: Publisher,
    /// Demo data.
    pub demo: bool,
    /// The ids of the publisher's signing keys, announced in the manifest.
    pub signing_keys: Vec<String>,
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
    /// Competence badges, images already read into `data:` URIs.
    pub achievements: Vec<Achievement>,
    /// Issuers of the awarding organisations.
    pub issuers: Vec<Issuer>,
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
    #[serde(default)]
    signing_keys: Vec<String>,
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

/// Why a badge image cannot go into the feed, if it cannot.
pub fn image_problem(name: &str, bytes: &[u8]) -> Option<String> {
    if bytes.len() > MAX_IMAGE_BYTES {
        return Some(format!(
            "{name} has {} bytes; badge images may have at most {MAX_IMAGE_BYTES}",
            bytes.len()
        ));
    }
    if name.ends_with(".png") {
        return (!bytes.starts_with(b"\x89PNG\r\n\x1a\n"))
            .then(|| format!("{name} is not a PNG image"));
    }
    if !name.ends_with(".svg") {
        return Some(format!("{name} must be a .svg or .png file"));
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Some(format!("{name} is not UTF-8 text"));
    };
    let lower = text.to_ascii_lowercase();
    if !lower.contains("<svg") {
        return Some(format!("{name} has no <svg> element"));
    }
    // An image is shown by an <img> element, which runs no scripts, but the
    // same file is also baked into issued badges that other programs open.
    let refused = [
        "<script",
        "javascript:",
        "<foreignobject",
        "href=\"http",
        "href='http",
        "<!entity",
    ];
    if let Some(found) = refused.iter().find(|r| lower.contains(*r)) {
        return Some(format!(
            "{name} has `{found}`: badge images may have no scripts or outside references"
        ));
    }
    // An event handler is an attribute `on…=`, after white space.
    let handler = lower
        .match_indices(|c: char| c.is_ascii_whitespace())
        .map(|(i, _)| &lower[i + 1..])
        .find(|rest| {
            rest.strip_prefix("on").is_some_and(|name| {
                let letters = name.trim_start_matches(|c: char| c.is_ascii_lowercase());
                letters.len() < name.len() && letters.trim_start().starts_with('=')
            })
        });
    handler.map(|rest| {
        let attribute: String = rest.chars().take_while(|c| *c != '=').collect();
        format!(
            "{name} has the event handler `{}`: badge images may have no scripts",
            attribute.trim()
        )
    })
}

fn read_achievements(folder: &Path) -> Result<Vec<Achievement>, ToolError> {
    let mut achievements: Vec<Achievement> = read_optional(&folder.join("achievements.json"))?;
    for a in &mut achievements {
        let Some(image) = &a.image else { continue };
        if image.starts_with("data:") {
            continue;
        }
        let path = folder.join(image);
        let bytes =
            fs::read(&path).map_err(|e| ToolError::Source(format!("{}: {e}", path.display())))?;
        if let Some(problem) = image_problem(&path.display().to_string(), &bytes) {
            return Err(ToolError::Source(format!(
                "achievement {}: {problem}",
                a.id
            )));
        }
        let mime = if image.ends_with(".png") {
            "image/png"
        } else {
            "image/svg+xml"
        };
        a.image = Some(format!(
            "data:{mime};base64,{}",
            base64::engine::general_purpose::STANDARD.encode(&bytes)
        ));
    }
    Ok(achievements)
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
            achievements: read_achievements(&folder)?,
            issuers: read_optional(&folder.join("issuers.json"))?,
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
        signing_keys: feed.signing_keys,
        regions,
    })
}
