//! `talkoo-feed build`: turns a source folder into a feed of content-hashed files, a manifest and deltas.
//!
//! Re-running on unchanged input writes nothing. When a region changes, the
//! previous version (still in the output folder) is compared with the new
//! one to write a delta from it, and the deltas from older versions are
//! extended to the new version, so clients a few versions behind also fetch
//! only the changed records.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use talkoo_core::feed::{
    self, DataFile, DeltaFile, DeltaRef, FileRef, Kind, Manifest, Placed, RecordRef, Region,
};
use talkoo_core::model::{Achievement, Event, Issuer, Organisation, Place, Service, Tombstone};

use crate::source::{FeedSource, RegionSource};
use crate::{sha256_hex, ToolError};

/// How many deltas a region keeps: clients further behind fetch the changed
/// data files instead.
pub const KEEP_DELTAS: usize = 8;

/// What a build did for one region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuiltRegion {
    /// Region id.
    pub id: String,
    /// Its new version.
    pub version: String,
    /// Whether the version differs from the previous build.
    pub changed: bool,
    /// Data files in the version.
    pub files: usize,
    /// Their total size.
    pub bytes: u64,
    /// Deltas listed.
    pub deltas: usize,
}

/// A record of any kind, as deltas need them.
#[derive(Debug, Clone, PartialEq)]
enum AnyRecord {
    Organisation(Organisation),
    Service(Service),
    Place(Place),
    Event(Event),
    Achievement(Achievement),
    Issuer(Issuer),
}

/// (kind, id) → (partition, canonical JSON, record).
type RecordMap = BTreeMap<(Kind, String), (String, String, AnyRecord)>;

fn partition_files(region: &RegionSource) -> BTreeMap<(Kind, String), DataFile> {
    let first = region
        .municipalities
        .first()
        .map(|m| m.code.clone())
        .unwrap_or_default();
    let org_home: BTreeMap<&str, &str> = region
        .organisations
        .iter()
        .map(|o| (o.id.as_str(), o.municipality.as_str()))
        .collect();
    let place_home: BTreeMap<&str, &str> = region
        .places
        .iter()
        .map(|p| (p.id.as_str(), p.municipality.as_str()))
        .collect();
    let mut files: BTreeMap<(Kind, String), DataFile> = BTreeMap::new();
    fn file<'a>(
        files: &'a mut BTreeMap<(Kind, String), DataFile>,
        region: &str,
        kind: Kind,
        partition: &str,
    ) -> &'a mut DataFile {
        files
            .entry((kind, partition.to_owned()))
            .or_insert_with(|| DataFile {
                schema_version: feed::SCHEMA_VERSION.to_owned(),
                region: region.to_owned(),
                partition: partition.to_owned(),
                ..DataFile::default()
            })
    }
    let id = region.id.as_str();
    for o in &region.organisations {
        file(&mut files, id, Kind::Organisations, &o.municipality)
            .organisations
            .push(o.clone());
    }
    for s in &region.services {
        let home = s
            .municipalities
            .first()
            .map(String::as_str)
            .or_else(|| org_home.get(s.organisation.as_str()).copied());
        file(&mut files, id, Kind::Services, home.unwrap_or(&first))
            .services
            .push(s.clone());
    }
    for p in &region.places {
        file(&mut files, id, Kind::Places, &p.municipality)
            .places
            .push(p.clone());
    }
    for e in &region.events {
        let home = e
            .place
            .as_deref()
            .and_then(|p| place_home.get(p).copied())
            .or_else(|| org_home.get(e.organiser.as_str()).copied());
        file(&mut files, id, Kind::Events, home.unwrap_or(&first))
            .events
            .push(e.clone());
    }
    // Achievements and issuers travel in their organisation's file (see
    // `Kind`), so a 1.0 client's manifest lists no kind it does not know.
    for a in &region.achievements {
        let home = org_home.get(a.organisation.as_str()).copied();
        file(&mut files, id, Kind::Organisations, home.unwrap_or(&first))
            .achievements
            .push(a.clone());
    }
    for i in &region.issuers {
        let home = org_home.get(i.organisation.as_str()).copied();
        file(&mut files, id, Kind::Organisations, home.unwrap_or(&first))
            .issuers
            .push(i.clone());
    }
    for w in &region.withdrawn {
        file(&mut files, id, w.kind, &w.partition)
            .tombstones
            .push(Tombstone {
                id: w.id.clone(),
                withdrawn: w.withdrawn.clone(),
            });
    }
    for data in files.values_mut() {
        data.organisations.sort_by(|a, b| a.id.cmp(&b.id));
        data.services.sort_by(|a, b| a.id.cmp(&b.id));
        data.places.sort_by(|a, b| a.id.cmp(&b.id));
        data.events.sort_by(|a, b| a.id.cmp(&b.id));
        data.achievements.sort_by(|a, b| a.id.cmp(&b.id));
        data.issuers.sort_by(|a, b| a.id.cmp(&b.id));
        data.tombstones.sort_by(|a, b| a.id.cmp(&b.id));
    }
    files
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, ToolError> {
    serde_json::to_vec(value).map_err(|e| ToolError::Io(format!("cannot serialise: {e}")))
}

fn records_of(data: &DataFile) -> Result<RecordMap, ToolError> {
    let mut map = RecordMap::new();
    let mut put = |kind: Kind, id: &str, json: String, record: AnyRecord| {
        map.insert(
            (kind, id.to_owned()),
            (data.partition.clone(), json, record),
        );
    };
    for r in &data.organisations {
        put(
            Kind::Organisations,
            &r.id,
            serde_json::to_string(r).unwrap_or_default(),
            AnyRecord::Organisation(r.clone()),
        );
    }
    for r in &data.services {
        put(
            Kind::Services,
            &r.id,
            serde_json::to_string(r).unwrap_or_default(),
            AnyRecord::Service(r.clone()),
        );
    }
    for r in &data.places {
        put(
            Kind::Places,
            &r.id,
            serde_json::to_string(r).unwrap_or_default(),
            AnyRecord::Place(r.clone()),
        );
    }
    for r in &data.events {
        put(
            Kind::Events,
            &r.id,
            serde_json::to_string(r).unwrap_or_default(),
            AnyRecord::Event(r.clone()),
        );
    }
    for r in &data.achievements {
        put(
            Kind::Achievements,
            &r.id,
            serde_json::to_string(r).unwrap_or_default(),
            AnyRecord::Achievement(r.clone()),
        );
    }
    for r in &data.issuers {
        put(
            Kind::Issuers,
            &r.id,
            serde_json::to_string(r).unwrap_or_default(),
            AnyRecord::Issuer(r.clone()),
        );
    }
    Ok(map)
}

fn push_upsert(delta: &mut DeltaFile, partition: &str, record: &AnyRecord) {
    let partition = partition.to_owned();
    match record {
        AnyRecord::Organisation(r) => delta.organisations.push(Placed {
            partition,
            record: r.clone(),
        }),
        AnyRecord::Service(r) => delta.services.push(Placed {
            partition,
            record: r.clone(),
        }),
        AnyRecord::Place(r) => delta.places.push(Placed {
            partition,
            record: r.clone(),
        }),
        AnyRecord::Event(r) => delta.events.push(Placed {
            partition,
            record: r.clone(),
        }),
        AnyRecord::Achievement(r) => delta.achievements.push(Placed {
            partition,
            record: r.clone(),
        }),
        AnyRecord::Issuer(r) => delta.issuers.push(Placed {
            partition,
            record: r.clone(),
        }),
    }
}

/// Adds a delete to the list a client of its kind reads: `deletes` for the
/// kinds of format 1.0, `badge_deletes` for achievements and issuers.
fn push_delete(delta: &mut DeltaFile, delete: RecordRef) {
    if Kind::BADGES.contains(&delete.kind) {
        delta.badge_deletes.push(delete);
    } else {
        delta.deletes.push(delete);
    }
}

/// The changes from `old` to `new`: upserts for new, changed or moved
/// records, deletes for removed ones and for the old place of moved ones.
fn diff(region: &str, from: &str, to: &str, old: &RecordMap, new: &RecordMap) -> DeltaFile {
    let mut delta = DeltaFile {
        schema_version: feed::SCHEMA_VERSION.to_owned(),
        region: region.to_owned(),
        from: from.to_owned(),
        to: to.to_owned(),
        ..DeltaFile::default()
    };
    for ((kind, id), (partition, json, record)) in new {
        match old.get(&(*kind, id.clone())) {
            Some((old_partition, old_json, _))
                if old_partition == partition && old_json == json => {}
            Some((old_partition, _, _)) => {
                if old_partition != partition {
                    push_delete(
                        &mut delta,
                        RecordRef {
                            kind: *kind,
                            partition: old_partition.clone(),
                            id: id.clone(),
                        },
                    );
                }
                push_upsert(&mut delta, partition, record);
            }
            None => push_upsert(&mut delta, partition, record),
        }
    }
    for ((kind, id), (partition, _, _)) in old {
        if !new.contains_key(&(*kind, id.clone())) {
            push_delete(
                &mut delta,
                RecordRef {
                    kind: *kind,
                    partition: partition.clone(),
                    id: id.clone(),
                },
            );
        }
    }
    delta
}

/// `first` then `second` as one delta. Clients apply deletes before upserts,
/// so deletes can simply be united; an upsert of `first` that `second`
/// deletes from the same partition is dropped.
fn compose(first: &DeltaFile, second: &DeltaFile) -> DeltaFile {
    let deleted: BTreeSet<(Kind, &str, &str)> = second
        .deletes
        .iter()
        .chain(&second.badge_deletes)
        .map(|d| (d.kind, d.id.as_str(), d.partition.as_str()))
        .collect();
    let replaced: BTreeSet<(Kind, &str)> = second
        .organisations
        .iter()
        .map(|p| (Kind::Organisations, p.record.id.as_str()))
        .chain(
            second
                .services
                .iter()
                .map(|p| (Kind::Services, p.record.id.as_str())),
        )
        .chain(
            second
                .places
                .iter()
                .map(|p| (Kind::Places, p.record.id.as_str())),
        )
        .chain(
            second
                .events
                .iter()
                .map(|p| (Kind::Events, p.record.id.as_str())),
        )
        .chain(
            second
                .achievements
                .iter()
                .map(|p| (Kind::Achievements, p.record.id.as_str())),
        )
        .chain(
            second
                .issuers
                .iter()
                .map(|p| (Kind::Issuers, p.record.id.as_str())),
        )
        .collect();
    let keep = |kind: Kind, id: &str, partition: &str| {
        !replaced.contains(&(kind, id)) && !deleted.contains(&(kind, id, partition))
    };
    let mut out = DeltaFile {
        schema_version: feed::SCHEMA_VERSION.to_owned(),
        region: second.region.clone(),
        from: first.from.clone(),
        to: second.to.clone(),
        ..DeltaFile::default()
    };
    out.organisations = first
        .organisations
        .iter()
        .filter(|p| keep(Kind::Organisations, &p.record.id, &p.partition))
        .cloned()
        .chain(second.organisations.iter().cloned())
        .collect();
    out.services = first
        .services
        .iter()
        .filter(|p| keep(Kind::Services, &p.record.id, &p.partition))
        .cloned()
        .chain(second.services.iter().cloned())
        .collect();
    out.places = first
        .places
        .iter()
        .filter(|p| keep(Kind::Places, &p.record.id, &p.partition))
        .cloned()
        .chain(second.places.iter().cloned())
        .collect();
    out.events = first
        .events
        .iter()
        .filter(|p| keep(Kind::Events, &p.record.id, &p.partition))
        .cloned()
        .chain(second.events.iter().cloned())
        .collect();
    out.achievements = first
        .achievements
        .iter()
        .filter(|p| keep(Kind::Achievements, &p.record.id, &p.partition))
        .cloned()
        .chain(second.achievements.iter().cloned())
        .collect();
    out.issuers = first
        .issuers
        .iter()
        .filter(|p| keep(Kind::Issuers, &p.record.id, &p.partition))
        .cloned()
        .chain(second.issuers.iter().cloned())
        .collect();
    let united = |a: &[RecordRef], b: &[RecordRef]| {
        let mut deletes: Vec<RecordRef> = a.iter().chain(b).cloned().collect();
        deletes.sort_by(|a, b| (a.kind, &a.id, &a.partition).cmp(&(b.kind, &b.id, &b.partition)));
        deletes.dedup();
        deletes
    };
    out.deletes = united(&first.deletes, &second.deletes);
    out.badge_deletes = united(&first.badge_deletes, &second.badge_deletes);
    out
}

fn read_feed_file<T: serde::de::DeserializeOwned>(out: &Path, path: &str) -> Option<T> {
    let bytes = fs::read(out.join(path)).ok()?;
    feed::parse(path, &bytes).ok()
}

fn write_if_new(out: &Path, path: &str, bytes: &[u8]) -> Result<bool, ToolError> {
    let target = out.join(path);
    if fs::read(&target).is_ok_and(|existing| existing == bytes) {
        return Ok(false);
    }
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| ToolError::Io(format!("cannot create {}: {e}", parent.display())))?;
    }
    fs::write(&target, bytes)
        .map_err(|e| ToolError::Io(format!("cannot write {}: {e}", target.display())))?;
    Ok(true)
}

/// Builds `src` into `out`. `now` (RFC 3339) is the generation time used
/// when anything changed; it is passed in so builds are reproducible.
pub fn build(
    src: &FeedSource,
    out: &Path,
    now: &str,
    progress: &mut dyn FnMut(String),
) -> Result<Vec<BuiltRegion>, ToolError> {
    fs::create_dir_all(out)
        .map_err(|e| ToolError::Io(format!("cannot create {}: {e}", out.display())))?;
    let previous: Option<Manifest> = read_feed_file(out, "manifest.json");
    let mut regions = Vec::new();
    let mut report = Vec::new();
    for (index, source) in src.regions.iter().enumerate() {
        progress(format!(
            "[{}/{}] {}: partitioning {} services",
            index + 1,
            src.regions.len(),
            source.id,
            source.services.len()
        ));
        let files = partition_files(source);
        let mut refs = Vec::new();
        let mut new_records = RecordMap::new();
        let mut bytes_total = 0;
        for ((kind, partition), data) in &files {
            let bytes = to_json(data)?;
            let sha = sha256_hex(&bytes);
            let path = format!(
                "{}/{}-{}-{}.json",
                source.id,
                kind.name(),
                partition,
                &sha[..16]
            );
            write_if_new(out, &path, &bytes)?;
            bytes_total += bytes.len() as u64;
            let records = match kind {
                Kind::Organisations => data.organisations.len(),
                Kind::Services => data.services.len(),
                Kind::Places => data.places.len(),
                Kind::Events => data.events.len(),
                Kind::Achievements | Kind::Issuers => 0,
            };
            refs.push(FileRef {
                path,
                kind: *kind,
                partition: partition.clone(),
                sha256: sha,
                bytes: bytes.len() as u64,
                records: u32::try_from(records).unwrap_or(u32::MAX),
            });
            new_records.extend(records_of(data)?);
        }
        let listing: String = refs
            .iter()
            .map(|f| format!("{}\t{}\t{}\n", f.kind.name(), f.partition, f.sha256))
            .collect();
        let version = sha256_hex(listing.as_bytes())[..16].to_owned();
        let prev = previous
            .as_ref()
            .and_then(|m| m.regions.iter().find(|r| r.id == source.id));
        let deltas = match prev {
            Some(prev) if prev.version == version => prev.deltas.clone(),
            Some(prev) => deltas_to(out, prev, &version, &new_records, progress)?,
            None => Vec::new(),
        };
        report.push(BuiltRegion {
            id: source.id.clone(),
            version: version.clone(),
            changed: prev.is_none_or(|p| p.version != version),
            files: refs.len(),
            bytes: bytes_total,
            deltas: deltas.len(),
        });
        regions.push(Region {
            id: source.id.clone(),
            name: source.name.clone(),
            municipalities: source.municipalities.clone(),
            version,
            files: refs,
            deltas,
        });
    }
    let unchanged = previous.as_ref().is_some_and(|p| {
        p.regions.len() == regions.len()
            && p.regions.iter().zip(&regions).all(|(a, b)| a == b)
            && p.publisher == src.publisher
            && p.demo == src.demo
            && p.signing_keys == src.signing_keys
    });
    let manifest = Manifest {
        schema_version: feed::SCHEMA_VERSION.to_owned(),
        generated: match (&previous, unchanged) {
            (Some(p), true) => p.generated.clone(),
            _ => now.to_owned(),
        },
        publisher: src.publisher.clone(),
        demo: src.demo,
        regions,
        signing_keys: src.signing_keys.clone(),
    };
    let mut text =
        serde_json::to_string_pretty(&manifest).map_err(|e| ToolError::Io(e.to_string()))?;
    text.push('\n');
    write_if_new(out, "manifest.json", text.as_bytes())?;
    prune(out, &manifest)?;
    Ok(report)
}

/// Deltas from the previous version and from every version it had deltas
/// from, to `version`, newest first, at most [`KEEP_DELTAS`].
fn deltas_to(
    out: &Path,
    prev: &Region,
    version: &str,
    new_records: &RecordMap,
    progress: &mut dyn FnMut(String),
) -> Result<Vec<DeltaRef>, ToolError> {
    let mut old_records = RecordMap::new();
    for file in &prev.files {
        let Some(data) = read_feed_file::<DataFile>(out, &file.path) else {
            progress(format!(
                "{}: previous file {} is missing; no deltas this time",
                prev.id, file.path
            ));
            return Ok(Vec::new());
        };
        old_records.extend(records_of(&data)?);
    }
    let latest = diff(&prev.id, &prev.version, version, &old_records, new_records);
    let mut deltas = vec![latest.clone()];
    for older in prev.deltas.iter().take(KEEP_DELTAS - 1) {
        if older.from == version {
            continue;
        }
        if let Some(file) = read_feed_file::<DeltaFile>(out, &older.path) {
            deltas.push(compose(&file, &latest));
        }
    }
    let mut refs = Vec::new();
    for delta in deltas {
        let bytes = to_json(&delta)?;
        let sha = sha256_hex(&bytes);
        let path = format!("{}/delta-{}-{}.json", prev.id, delta.from, &sha[..16]);
        write_if_new(out, &path, &bytes)?;
        refs.push(DeltaRef {
            from: delta.from.clone(),
            path,
            sha256: sha,
            bytes: bytes.len() as u64,
        });
    }
    Ok(refs)
}

/// Removes files of earlier versions that the manifest no longer lists.
fn prune(out: &Path, manifest: &Manifest) -> Result<(), ToolError> {
    let listed: BTreeSet<&str> = manifest
        .regions
        .iter()
        .flat_map(|r| {
            r.files
                .iter()
                .map(|f| f.path.as_str())
                .chain(r.deltas.iter().map(|d| d.path.as_str()))
        })
        .collect();
    for region in &manifest.regions {
        let Ok(entries) = fs::read_dir(out.join(&region.id)) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = format!("{}/{name}", region.id);
            if name.ends_with(".json") && !listed.contains(path.as_str()) {
                fs::remove_file(entry.path())
                    .map_err(|e| ToolError::Io(format!("cannot remove {path}: {e}")))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(id: &str, municipality: &str, name: &str) -> Service {
        serde_json::from_value(serde_json::json!({
            "id": id, "organisation": "org-a", "name": {"fi": name}, "summary": {"fi": "Kuvaus"},
            "municipalities": [municipality], "target_groups": ["everyone"], "kind": "ongoing",
            "role": "service", "languages": ["fi"], "modified": "2026-11-01T10:00:00Z"
        }))
        .expect("service")
    }

    fn map(services: &[Service]) -> RecordMap {
        let mut data = DataFile {
            partition: "205".into(),
            ..DataFile::default()
        };
        let mut all = RecordMap::new();
        for s in services {
            data.partition = s.municipalities[0].clone();
            data.services = vec![s.clone()];
            all.extend(records_of(&data).expect("records"));
        }
        all
    }

    fn summary(delta: &DeltaFile) -> (Vec<String>, Vec<String>) {
        let ups = delta
            .services
            .iter()
            .map(|p| format!("{}@{}", p.record.id, p.partition))
            .collect();
        let dels = delta
            .deletes
            .iter()
            .map(|d| format!("{}@{}", d.id, d.partition))
            .collect();
        (ups, dels)
    }

    #[test]
    fn diff_finds_new_changed_moved_and_removed_records() {
        let old = map(&[
            service("a", "205", "A"),
            service("b", "205", "B"),
            service("c", "205", "C"),
            service("d", "205", "D"),
        ]);
        let new = map(&[
            service("a", "205", "A"),
            service("b", "205", "B2"),
            service("c", "290", "C"),
            service("e", "205", "E"),
        ]);
        let delta = diff("kainuu", "v1", "v2", &old, &new);
        assert_eq!(
            summary(&delta),
            (
                vec!["b@205".into(), "c@290".into(), "e@205".into()],
                vec!["c@205".into(), "d@205".into()]
            )
        );
    }

    #[test]
    fn composed_deltas_equal_the_direct_diff_when_applied() {
        let v1 = map(&[
            service("a", "205", "A"),
            service("b", "205", "B"),
            service("c", "205", "C"),
        ]);
        let v2 = map(&[
            service("a", "205", "A2"),
            service("c", "290", "C"),
            service("d", "205", "D"),
        ]);
        let v3 = map(&[
            service("a", "205", "A3"),
            service("c", "290", "C"),
            service("b", "205", "B"),
        ]);
        let composed = compose(
            &diff("r", "v1", "v2", &v1, &v2),
            &diff("r", "v2", "v3", &v2, &v3),
        );
        // Apply to v1: deletes first, then upserts, as clients do.
        let mut state: BTreeMap<String, (String, String)> = v1
            .iter()
            .map(|((_, id), (p, _, r))| (id.clone(), (p.clone(), format!("{r:?}"))))
            .collect();
        for d in &composed.deletes {
            if state.get(&d.id).is_some_and(|(p, _)| *p == d.partition) {
                state.remove(&d.id);
            }
        }
        for u in &composed.services {
            state.insert(
                u.record.id.clone(),
                (
                    u.partition.clone(),
                    format!("{:?}", AnyRecord::Service(u.record.clone())),
                ),
            );
        }
        let expected: BTreeMap<String, (String, String)> = v3
            .iter()
            .map(|((_, id), (p, _, r))| (id.clone(), (p.clone(), format!("{r:?}"))))
            .collect();
        assert_eq!(state, expected);
        assert_eq!((composed.from.as_str(), composed.to.as_str()), ("v1", "v3"));
    }
}
