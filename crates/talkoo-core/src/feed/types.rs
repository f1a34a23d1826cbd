//! The files of feed format v1 (1.1) as Rust types (manifest, data file, delta file), and the errors and problems reported about them.
//!
//! The JSON Schemas in `docs/schema/` are generated from these types, so
//! their doc comments are also the schema's descriptions.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::{Achievement, Event, Issuer, LangText, Organisation, Place, Service, Tombstone};

/// The format version this build writes: 1.1 added achievements and issuers.
pub const SCHEMA_VERSION: &str = "1.1";
/// The major version this build reads; other majors are refused.
pub const SUPPORTED_MAJOR: u32 = 1;

/// The kinds of record in a feed. The first four have data files of their
/// own; achievements and issuers (format 1.1) travel inside the
/// organisations files of their organisation's municipality, because a 1.0
/// client refuses a manifest that lists a kind it does not know, while it
/// ignores fields it does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Associations and other organisations.
    Organisations,
    /// Product cards.
    Services,
    /// Meeting places and shared premises.
    Places,
    /// Events.
    Events,
    /// Competence badges organisations award (format 1.1).
    Achievements,
    /// The awarding organisations' issuer identities and keys (format 1.1).
    Issuers,
}

impl Kind {
    /// Every kind, in the order files are listed.
    pub const ALL: [Kind; 6] = [
        Kind::Organisations,
        Kind::Services,
        Kind::Places,
        Kind::Events,
        Kind::Achievements,
        Kind::Issuers,
    ];

    /// The kinds a manifest may list data files of.
    pub const FILES: [Kind; 4] = [
        Kind::Organisations,
        Kind::Services,
        Kind::Places,
        Kind::Events,
    ];

    /// The kinds carried inside organisations files.
    pub const BADGES: [Kind; 2] = [Kind::Achievements, Kind::Issuers];

    /// The name used in file names and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Organisations => "organisations",
            Kind::Services => "services",
            Kind::Places => "places",
            Kind::Events => "events",
            Kind::Achievements => "achievements",
            Kind::Issuers => "issuers",
        }
    }
}

/// Who publishes the feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Publisher {
    /// Name by language.
    pub name: LangText,
    /// Web site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Contact e-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// A municipality of a region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Municipality {
    /// Statistics Finland code, three digits.
    pub code: String,
    /// Name by language.
    pub name: LangText,
}

/// A data file as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FileRef {
    /// Path relative to the manifest.
    pub path: String,
    /// What the file holds.
    pub kind: Kind,
    /// The partition (a municipality code) within the region.
    pub partition: String,
    /// Lower-case hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Number of records (not counting tombstones).
    pub records: u32,
}

/// A delta file: every change from an older region version to this one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DeltaRef {
    /// The region version the delta starts from.
    pub from: String,
    /// Path relative to the manifest.
    pub path: String,
    /// Lower-case hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: u64,
}

/// One region's entry in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Region {
    /// Stable id (`kainuu`).
    pub id: String,
    /// Name by language.
    pub name: LangText,
    /// Its municipalities.
    pub municipalities: Vec<Municipality>,
    /// Content version: a hash over the region's data files.
    pub version: String,
    /// The data files that make up this version.
    pub files: Vec<FileRef>,
    /// Deltas from recent versions to this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deltas: Vec<DeltaRef>,
}

/// `manifest.json`, the feed's entry point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Manifest {
    /// `major.minor`; a client refuses an unknown major.
    pub schema_version: String,
    /// When the feed was built, RFC 3339.
    pub generated: String,
    /// Who publishes it.
    pub publisher: Publisher,
    /// Demo data, to be marked as such in the app.
    #[serde(default)]
    pub demo: bool,
    /// The regions.
    pub regions: Vec<Region>,
    /// Optional: the ids of the publisher's keys that sign this feed from
    /// now on (docs/feed.md, "Signed feeds"). A client that accepted this
    /// manifest's signature pins exactly these keys, which is how a
    /// publisher introduces a new key and retires an old one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signing_keys: Vec<String>,
}

/// What the app's pages show of a manifest: whether it is demo data, and
/// the regions to choose from with their names and municipalities. The
/// page reads the stored manifest as this (unknown fields are skipped),
/// so the first-load shell carries no parser of the data files, deltas,
/// publisher and keys, which only a sync (in its worker) or an import (in
/// the badges module) reads: 12.9 KB of the shell's wasm, 3.6 KB brotli
/// (issue 13).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ManifestView {
    /// Demo data, to be marked as such in the app.
    #[serde(default)]
    pub demo: bool,
    /// The regions.
    pub regions: Vec<RegionView>,
}

/// A region as the pages show it (see [`ManifestView`]).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RegionView {
    /// Stable id (`kainuu`).
    pub id: String,
    /// Name by language.
    pub name: LangText,
    /// Its municipalities.
    pub municipalities: Vec<Municipality>,
}

#[cfg(test)]
impl Manifest {
    /// A manifest of `regions` generated at `generated`, with no publisher
    /// details and no keys, for the core's table tests.
    pub(crate) fn for_tests(schema_version: &str, generated: &str, regions: Vec<Region>) -> Self {
        Manifest {
            schema_version: schema_version.into(),
            generated: generated.into(),
            publisher: Publisher {
                name: LangText::new(),
                url: None,
                email: None,
            },
            demo: false,
            signing_keys: Vec::new(),
            regions,
        }
    }
}

/// A data file: one kind of record in one partition of a region, plus
/// tombstones of withdrawn records.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DataFile {
    /// As in the manifest.
    pub schema_version: String,
    /// The region id.
    pub region: String,
    /// The partition (a municipality code).
    pub partition: String,
    /// Organisations, in a file of that kind.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organisations: Vec<Organisation>,
    /// Services, in a file of that kind.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<Service>,
    /// Places, in a file of that kind.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub places: Vec<Place>,
    /// Events, in a file of that kind.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<Event>,
    /// Achievements awarded by organisations of this partition, in an
    /// organisations file (format 1.1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub achievements: Vec<Achievement>,
    /// Issuers of organisations of this partition, in an organisations
    /// file (format 1.1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issuers: Vec<Issuer>,
    /// Records withdrawn from this partition.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tombstones: Vec<Tombstone>,
}

/// A record with the partition it belongs to, as a delta carries it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Placed<T> {
    /// The partition the record now belongs to.
    pub partition: String,
    /// The record.
    pub record: T,
}

/// A record that a delta removes (withdrawn, or moved to another partition).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RecordRef {
    /// Its kind.
    pub kind: Kind,
    /// The partition it was in.
    pub partition: String,
    /// Its id.
    pub id: String,
}

/// A delta file: applied to the `from` version it gives the `to` version.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DeltaFile {
    /// As in the manifest.
    pub schema_version: String,
    /// The region id.
    pub region: String,
    /// The version this applies to.
    pub from: String,
    /// The version it produces.
    pub to: String,
    /// New or changed organisations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organisations: Vec<Placed<Organisation>>,
    /// New or changed services.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<Placed<Service>>,
    /// New or changed places.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub places: Vec<Placed<Place>>,
    /// New or changed events.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<Placed<Event>>,
    /// New or changed achievements (format 1.1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub achievements: Vec<Placed<Achievement>>,
    /// New or changed issuers (format 1.1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issuers: Vec<Placed<Issuer>>,
    /// Records to remove, of the four kinds of format 1.0.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deletes: Vec<RecordRef>,
    /// Achievements and issuers to remove (format 1.1): apart from
    /// `deletes`, which a 1.0 client reads strictly and would refuse for a
    /// kind it does not know.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub badge_deletes: Vec<RecordRef>,
}

/// One thing wrong in a feed, located by file and JSON path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// The file, relative to the manifest.
    pub file: String,
    /// A JSON path such as `$.services[3].municipalities[0]`.
    pub path: String,
    /// What is wrong, in plain words.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.path, self.message)
    }
}

/// Why a feed file cannot be used. Each message can be shown as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeedError {
    /// The bytes are not JSON at all (truncated download, an HTML error page).
    #[error("{file} is not valid JSON ({message})")]
    Json {
        /// The file.
        file: String,
        /// The parser's message.
        message: String,
    },
    /// A major format version this build does not know.
    #[error("{file} uses feed format {found}, but this version of Talkoo reads format {SUPPORTED_MAJOR}.x; update the app")]
    UnsupportedVersion {
        /// The file.
        file: String,
        /// The version it declares.
        found: String,
    },
    /// JSON, but not in the shape of the format.
    #[error("{file} does not follow the feed format ({message})")]
    Shape {
        /// The file.
        file: String,
        /// The parser's message, with line and column.
        message: String,
    },
    /// The bytes differ from what the manifest promised.
    #[error("{file} is damaged or changed: its SHA-256 is {found}, the manifest says {expected}")]
    Hash {
        /// The file.
        file: String,
        /// The manifest's hash.
        expected: String,
        /// The hash of the received bytes.
        found: String,
    },
    /// The size differs from what the manifest promised.
    #[error("{file} is incomplete or changed: it has {found} bytes, the manifest says {expected}")]
    Size {
        /// The file.
        file: String,
        /// The manifest's size.
        expected: u64,
        /// The received size.
        found: u64,
    },
    /// Parsed, but the content breaks the rules.
    #[error("{} problems in the feed; the first: {}", problems.len(), problems.first().map(ToString::to_string).unwrap_or_default())]
    Invalid {
        /// Every problem found.
        problems: Vec<Problem>,
    },
}
