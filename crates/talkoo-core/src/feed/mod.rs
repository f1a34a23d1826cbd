//! Feed format v1: the manifest, data and delta files a static host serves, how they are read, and every check on them.
//!
//! Format 1.1 adds competence-badge achievements and their issuers, carried
//! inside the organisations files so that 1.0 clients, which ignore unknown
//! fields, still read 1.1 feeds.
//!
//! The manifest is the only file that changes in place; data files are named
//! by their content hash so hosts and browsers may cache them forever. A
//! region is split into one file per kind and municipality ("partition"),
//! and the manifest also lists delta files from recent versions, so a client
//! that is a version or a few behind fetches only what changed.
//! `docs/feed.md` is the reference; the JSON Schemas in `docs/schema/` are
//! generated from these types by the feed tool.
//!
//! The files' types are in `types`, reading and verifying received bytes in
//! `read`, and the content rules in `validate`; everything is re-exported
//! here, so callers name only `feed::…`.

mod read;
mod types;
mod validate;

pub use read::{parse, parse_text, parse_versioned, verify, SchemaVersioned};
pub use types::{
    DataFile, DeltaFile, DeltaRef, FeedError, FileRef, Kind, Manifest, ManifestView, Municipality,
    Placed, Problem, Publisher, RecordRef, Region, RegionView, SCHEMA_VERSION, SUPPORTED_MAJOR,
};
pub use validate::{
    is_absolute_uri, is_business_id, is_language_tag, is_web_address, validate_badges,
    validate_data_file, validate_manifest, validate_references, RegionRecords, IMAGE_PREFIXES,
    MAX_IMAGE_BYTES,
};
