//! Sync planning: from what the device stores and what the manifest lists, which files to fetch and the change to apply.
//!
//! Pure: the browser fetches, verifies and stores; this module decides. A
//! region's change is built completely in memory from verified files before
//! the store applies it in one transaction, so a region is always entirely
//! one version.

use std::collections::{BTreeMap, BTreeSet};

use crate::feed::{DataFile, DeltaFile, DeltaRef, FileRef, Kind, Manifest, RecordRef, Region};

/// A partition of a region: one kind in one municipality.
pub type Partition = (Kind, String);

/// What the device has of one region.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StoredRegion {
    /// Region id.
    pub id: String,
    /// The version stored.
    pub version: String,
    /// The SHA-256 of each partition's data file in that version.
    pub files: BTreeMap<Partition, String>,
}

/// What to do for one region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegionPlan {
    /// The stored version is current.
    UpToDate {
        /// Region id.
        region: String,
    },
    /// Fetch one delta file.
    Delta {
        /// Region id.
        region: String,
        /// The delta from the stored version.
        delta: DeltaRef,
    },
    /// Fetch the data files whose hash the device lacks.
    Files {
        /// Region id.
        region: String,
        /// Files to download.
        fetch: Vec<FileRef>,
    },
    /// The region is stored but no longer subscribed: delete it.
    Remove {
        /// Region id.
        region: String,
    },
    /// Subscribed, but the feed no longer has it; stored data is kept.
    Missing {
        /// Region id.
        region: String,
    },
}

impl RegionPlan {
    /// Bytes this plan downloads, for the progress bar.
    pub fn bytes(&self) -> u64 {
        match self {
            RegionPlan::Delta { delta, .. } => delta.bytes,
            RegionPlan::Files { fetch, .. } => fetch.iter().map(|f| f.bytes).sum(),
            _ => 0,
        }
    }
}

/// Plans a sync of the `subscribed` regions, in manifest order, followed by
/// removals of stored regions no longer subscribed.
pub fn plan(
    manifest: &Manifest,
    subscribed: &BTreeSet<String>,
    stored: &[StoredRegion],
) -> Vec<RegionPlan> {
    let stored_by_id: BTreeMap<&str, &StoredRegion> =
        stored.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut plans = Vec::new();
    for region in manifest
        .regions
        .iter()
        .filter(|r| subscribed.contains(&r.id))
    {
        let have = stored_by_id.get(region.id.as_str());
        let plan = match have {
            Some(have) if have.version == region.version => RegionPlan::UpToDate {
                region: region.id.clone(),
            },
            Some(have) => match region.deltas.iter().find(|d| d.from == have.version) {
                // A delta is only worth it when smaller than the changed files.
                Some(delta)
                    if delta.bytes <= changed_files(region, have).iter().map(|f| f.bytes).sum() =>
                {
                    RegionPlan::Delta {
                        region: region.id.clone(),
                        delta: delta.clone(),
                    }
                }
                _ => RegionPlan::Files {
                    region: region.id.clone(),
                    fetch: changed_files(region, have),
                },
            },
            None => RegionPlan::Files {
                region: region.id.clone(),
                fetch: region.files.clone(),
            },
        };
        plans.push(plan);
    }
    let in_feed: BTreeSet<&str> = manifest.regions.iter().map(|r| r.id.as_str()).collect();
    for id in subscribed
        .iter()
        .filter(|id| !in_feed.contains(id.as_str()))
    {
        plans.push(RegionPlan::Missing { region: id.clone() });
    }
    for have in stored.iter().filter(|s| !subscribed.contains(&s.id)) {
        plans.push(RegionPlan::Remove {
            region: have.id.clone(),
        });
    }
    plans
}

fn changed_files(region: &Region, have: &StoredRegion) -> Vec<FileRef> {
    region
        .files
        .iter()
        .filter(|f| have.files.get(&(f.kind, f.partition.clone())) != Some(&f.sha256))
        .cloned()
        .collect()
}

/// One record as the store keeps it: where it belongs and its JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRecord {
    /// Kind and partition.
    pub partition: Partition,
    /// Record id.
    pub id: String,
    /// The record as compact JSON.
    pub json: String,
}

/// Everything that turns a stored region into the new version, applied by
/// the store in one transaction: drop the listed partitions, remove the
/// deleted records, then write the new ones and the new region state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RegionChange {
    /// The region's new state.
    pub state: StoredRegion,
    /// Partitions whose records are all removed first (replaced or gone).
    pub clear: Vec<Partition>,
    /// Single records removed.
    pub deletes: Vec<RecordRef>,
    /// Records written.
    pub records: Vec<StoredRecord>,
}

fn state_of(region: &Region) -> StoredRegion {
    StoredRegion {
        id: region.id.clone(),
        version: region.version.clone(),
        files: region
            .files
            .iter()
            .map(|f| ((f.kind, f.partition.clone()), f.sha256.clone()))
            .collect(),
    }
}

fn push_records<T: serde::Serialize>(
    out: &mut Vec<StoredRecord>,
    partition: &Partition,
    records: &[T],
    id: impl Fn(&T) -> &str,
) {
    for record in records {
        out.push(StoredRecord {
            partition: partition.clone(),
            id: id(record).to_owned(),
            json: serde_json::to_string(record).unwrap_or_default(),
        });
    }
}

/// The change for a full (file-based) sync: `fetched` are the verified,
/// parsed files the plan asked for. Partitions the new version no longer
/// has are cleared too.
pub fn change_from_files(
    region: &Region,
    stored: Option<&StoredRegion>,
    fetched: &[(FileRef, DataFile)],
) -> RegionChange {
    let mut change = FilesChange::new(region, stored);
    for (file, data) in fetched {
        change.add(file, data);
    }
    change.finish()
}

/// [`change_from_files`] one file at a time, so a sync can drop each parsed
/// file once its records are written out as JSON: at 50,000 cards the
/// parsed files of a whole region would take well over 100 MB more.
#[derive(Debug)]
pub struct FilesChange {
    change: RegionChange,
    stale: Vec<Partition>,
}

impl FilesChange {
    /// Starts the change to `region` from what is `stored`.
    pub fn new(region: &Region, stored: Option<&StoredRegion>) -> Self {
        let state = state_of(region);
        let stale = stored
            .map(|stored| {
                stored
                    .files
                    .keys()
                    .filter(|p| !state.files.contains_key(*p))
                    .flat_map(with_badges)
                    .collect()
            })
            .unwrap_or_default();
        FilesChange {
            change: RegionChange {
                state,
                ..RegionChange::default()
            },
            stale,
        }
    }

    /// Adds a verified, parsed file: its partition is replaced by its records.
    pub fn add(&mut self, file: &FileRef, data: &DataFile) {
        let partition = (file.kind, file.partition.clone());
        let records = &mut self.change.records;
        push_records(records, &partition, &data.organisations, |r| &r.id);
        push_records(records, &partition, &data.services, |r| &r.id);
        push_records(records, &partition, &data.places, |r| &r.id);
        push_records(records, &partition, &data.events, |r| &r.id);
        let of = |kind: Kind| (kind, file.partition.clone());
        push_records(records, &of(Kind::Achievements), &data.achievements, |r| {
            &r.id
        });
        push_records(records, &of(Kind::Issuers), &data.issuers, |r| &r.id);
        self.change.clear.extend(with_badges(&partition));
    }

    /// The whole change.
    pub fn finish(mut self) -> RegionChange {
        self.change.clear.append(&mut self.stale);
        self.change
    }
}

/// The records a region holds after `change` is applied to `before` (its
/// records as stored), in key order, as the store applies a change:
/// cleared partitions emptied, deleted records removed, then the new ones
/// written. A region's snapshot is built of them when the change is not
/// the whole region.
pub fn records_after(
    before: impl IntoIterator<Item = StoredRecord>,
    change: &RegionChange,
) -> Vec<StoredRecord> {
    let key = |r: &StoredRecord| (r.partition.clone(), r.id.clone());
    let mut records: BTreeMap<(Partition, String), StoredRecord> = before
        .into_iter()
        .filter(|r| !change.clear.contains(&r.partition))
        .map(|r| (key(&r), r))
        .collect();
    for d in &change.deletes {
        records.remove(&((d.kind, d.partition.clone()), d.id.clone()));
    }
    for r in &change.records {
        records.insert(key(r), r.clone());
    }
    records.into_values().collect()
}

/// A partition to clear and, for an organisations partition, the
/// achievements and issuers that travel in its file.
fn with_badges(partition: &Partition) -> Vec<Partition> {
    let mut all = vec![partition.clone()];
    if partition.0 == Kind::Organisations {
        all.extend(Kind::BADGES.map(|kind| (kind, partition.1.clone())));
    }
    all
}

/// The change for a delta sync.
pub fn change_from_delta(region: &Region, delta: &DeltaFile) -> RegionChange {
    let mut records = Vec::new();
    for placed in &delta.organisations {
        push_records(
            &mut records,
            &(Kind::Organisations, placed.partition.clone()),
            std::slice::from_ref(&placed.record),
            |r| &r.id,
        );
    }
    for placed in &delta.services {
        push_records(
            &mut records,
            &(Kind::Services, placed.partition.clone()),
            std::slice::from_ref(&placed.record),
            |r| &r.id,
        );
    }
    for placed in &delta.places {
        push_records(
            &mut records,
            &(Kind::Places, placed.partition.clone()),
            std::slice::from_ref(&placed.record),
            |r| &r.id,
        );
    }
    for placed in &delta.events {
        push_records(
            &mut records,
            &(Kind::Events, placed.partition.clone()),
            std::slice::from_ref(&placed.record),
            |r| &r.id,
        );
    }
    for placed in &delta.achievements {
        push_records(
            &mut records,
            &(Kind::Achievements, placed.partition.clone()),
            std::slice::from_ref(&placed.record),
            |r| &r.id,
        );
    }
    for placed in &delta.issuers {
        push_records(
            &mut records,
            &(Kind::Issuers, placed.partition.clone()),
            std::slice::from_ref(&placed.record),
            |r| &r.id,
        );
    }
    RegionChange {
        state: state_of(region),
        clear: Vec::new(),
        deletes: delta
            .deletes
            .iter()
            .chain(&delta.badge_deletes)
            .cloned()
            .collect(),
        records,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::Municipality;
    use crate::model::LangText;

    fn file(kind: Kind, partition: &str, sha: &str, bytes: u64) -> FileRef {
        FileRef {
            path: format!("r/{}-{partition}-{sha}.json", kind.name()),
            kind,
            partition: partition.into(),
            sha256: sha.into(),
            bytes,
            records: 1,
        }
    }

    fn manifest(version: &str, files: Vec<FileRef>, deltas: Vec<DeltaRef>) -> Manifest {
        let region = Region {
            id: "kainuu".into(),
            name: LangText::new(),
            municipalities: vec![Municipality {
                code: "205".into(),
                name: LangText::new(),
            }],
            version: version.into(),
            files,
            deltas,
        };
        Manifest::for_tests("1.0", "2026-11-20T00:00:00Z", vec![region])
    }

    fn stored(version: &str, files: &[(Kind, &str, &str)]) -> StoredRegion {
        StoredRegion {
            id: "kainuu".into(),
            version: version.into(),
            files: files
                .iter()
                .map(|(k, p, s)| ((*k, (*p).to_owned()), (*s).to_owned()))
                .collect(),
        }
    }

    fn subscribed(ids: &[&str]) -> BTreeSet<String> {
        ids.iter().map(|s| (*s).to_owned()).collect()
    }

    fn check(manifest: &Manifest, subs: &[&str], have: &[StoredRegion], expected: &[&str]) {
        let described: Vec<String> = plan(manifest, &subscribed(subs), have)
            .iter()
            .map(|p| match p {
                RegionPlan::UpToDate { region } => format!("up-to-date {region}"),
                RegionPlan::Delta { region, delta } => {
                    format!("delta {region} from {}", delta.from)
                }
                RegionPlan::Files { region, fetch } => {
                    format!(
                        "files {region}: {}",
                        fetch
                            .iter()
                            .map(|f| f.sha256.as_str())
                            .collect::<Vec<_>>()
                            .join(",")
                    )
                }
                RegionPlan::Remove { region } => format!("remove {region}"),
                RegionPlan::Missing { region } => format!("missing {region}"),
            })
            .collect();
        assert_eq!(described, expected);
    }

    #[test]
    fn planning_cases() {
        let files = vec![
            file(Kind::Services, "205", "s2", 9_000),
            file(Kind::Places, "205", "p1", 1_000),
        ];
        let delta = DeltaRef {
            from: "v1".into(),
            path: "r/delta.json".into(),
            sha256: "d".into(),
            bytes: 500,
        };
        let m = manifest("v2", files.clone(), vec![delta]);
        // First sync: everything.
        check(&m, &["kainuu"], &[], &["files kainuu: s2,p1"]);
        // Current: nothing to fetch.
        check(
            &m,
            &["kainuu"],
            &[stored("v2", &[])],
            &["up-to-date kainuu"],
        );
        // One version behind with a delta: only the delta.
        check(
            &m,
            &["kainuu"],
            &[stored("v1", &[(Kind::Places, "205", "p1")])],
            &["delta kainuu from v1"],
        );
        // Too far behind for a delta: only the files whose hash changed.
        check(
            &m,
            &["kainuu"],
            &[stored(
                "v0",
                &[(Kind::Places, "205", "p1"), (Kind::Services, "205", "s1")],
            )],
            &["files kainuu: s2"],
        );
        // Unsubscribed: removed. Subscribed but gone from the feed: kept, reported.
        check(&m, &[], &[stored("v1", &[])], &["remove kainuu"]);
        check(
            &m,
            &["kainuu", "lappi"],
            &[],
            &["files kainuu: s2,p1", "missing lappi"],
        );
        // Not subscribed and not stored: nothing at all.
        check(&m, &[], &[], &[]);
        // A delta larger than the changed files is not used.
        let big = DeltaRef {
            from: "v1".into(),
            path: "r/d.json".into(),
            sha256: "d".into(),
            bytes: 50_000,
        };
        check(
            &manifest("v2", files, vec![big]),
            &["kainuu"],
            &[stored("v1", &[(Kind::Places, "205", "p1")])],
            &["files kainuu: s2"],
        );
    }

    #[test]
    fn plan_bytes_count_downloads() {
        let m = manifest(
            "v2",
            vec![
                file(Kind::Services, "205", "a", 700),
                file(Kind::Events, "205", "b", 300),
            ],
            vec![],
        );
        let plans = plan(&m, &subscribed(&["kainuu"]), &[]);
        assert_eq!(plans.iter().map(RegionPlan::bytes).sum::<u64>(), 1_000);
    }

    #[test]
    fn file_change_clears_replaced_and_vanished_partitions() {
        let m = manifest("v2", vec![file(Kind::Services, "205", "s2", 10)], vec![]);
        let have = stored(
            "v1",
            &[(Kind::Services, "205", "s1"), (Kind::Events, "290", "e1")],
        );
        let data: DataFile = serde_json::from_str(
            r#"{"schema_version":"1.0","region":"kainuu","partition":"205","services":[{"id":"svc-a","organisation":"o",
            "name":{"fi":"A"},"summary":{"fi":"a"},"municipalities":["205"],"target_groups":["everyone"],"kind":"ongoing",
            "role":"service","languages":["fi"],"modified":"2026-11-01T10:00:00Z"}]}"#,
        )
        .expect("data file");
        let change = change_from_files(
            &m.regions[0],
            Some(&have),
            &[(m.regions[0].files[0].clone(), data)],
        );
        assert_eq!(
            change.clear,
            vec![
                (Kind::Services, "205".to_owned()),
                (Kind::Events, "290".to_owned())
            ]
        );
        assert_eq!(change.records.len(), 1);
        assert_eq!(change.records[0].id, "svc-a");
        assert!(change.records[0].json.contains("\"svc-a\""));
        assert_eq!(change.state.version, "v2");
        assert_eq!(change.state.files.len(), 1);
    }

    /// Issue 9: `change_from_delta` had no unit test. A delta upserts each
    /// record into the partition it names, removes the listed ones, clears
    /// no partition, and moves the region to the manifest's version.
    #[test]
    fn delta_change_upserts_into_named_partitions_and_deletes() {
        let m = manifest("v2", vec![file(Kind::Services, "205", "s2", 10)], vec![]);
        let delta: DeltaFile = serde_json::from_str(
            r#"{"schema_version":"1.0","region":"kainuu","from":"v1","to":"v2",
            "services":[{"partition":"290","record":{"id":"svc-moved","organisation":"o",
            "name":{"fi":"Siirretty"},"summary":{"fi":"s"},"municipalities":["290"],"target_groups":["everyone"],
            "kind":"ongoing","role":"service","languages":["fi"],"modified":"2026-11-01T10:00:00Z"}}],
            "deletes":[{"kind":"services","partition":"205","id":"svc-moved"},
                       {"kind":"events","partition":"205","id":"evt-gone"}]}"#,
        )
        .expect("delta file");
        let change = change_from_delta(&m.regions[0], &delta);
        assert!(change.clear.is_empty(), "a delta never clears a partition");
        assert_eq!(change.deletes, delta.deletes);
        assert_eq!(change.records.len(), 1);
        let record = &change.records[0];
        assert_eq!(record.partition, (Kind::Services, "290".to_owned()));
        assert_eq!(record.id, "svc-moved");
        assert!(record.json.contains("\"Siirretty\""));
        assert_eq!(change.state.version, "v2");
        assert_eq!(
            change.state.files.get(&(Kind::Services, "205".to_owned())),
            Some(&"s2".to_owned())
        );
    }

    /// Format 1.1: the achievements and issuers of an organisations file
    /// are stored under their own kinds in its partition, and replacing or
    /// dropping that file clears them too, so a withdrawn badge goes.
    #[test]
    fn an_organisations_file_carries_its_badges_into_their_own_partitions() {
        let m = manifest(
            "v2",
            vec![file(Kind::Organisations, "205", "o2", 10)],
            vec![],
        );
        let have = stored(
            "v1",
            &[
                (Kind::Organisations, "205", "o1"),
                (Kind::Organisations, "290", "o1"),
            ],
        );
        let data: DataFile = serde_json::from_str(
            r#"{"schema_version":"1.1","region":"kainuu","partition":"205",
            "organisations":[{"id":"org-a","name":{"fi":"A"},"municipality":"205","modified":"2026-11-01T10:00:00Z"}],
            "achievements":[{"id":"ach-a","ob_id":"urn:uuid:a","organisation":"org-a","issuer":"iss-a",
              "name":{"fi":"Merkki"},"description":{"fi":"d"},"criteria":{"fi":"c"},"modified":"2026-11-01T10:00:00Z"}],
            "issuers":[{"id":"iss-a","organisation":"org-a","issuer_id":"https://example.fi/i","keys":[],
              "modified":"2026-11-01T10:00:00Z"}]}"#,
        )
        .expect("data file");
        let change = change_from_files(
            &m.regions[0],
            Some(&have),
            &[(m.regions[0].files[0].clone(), data)],
        );
        let partitions: Vec<(Kind, &str)> = change
            .records
            .iter()
            .map(|r| (r.partition.0, r.id.as_str()))
            .collect();
        assert_eq!(
            partitions,
            [
                (Kind::Organisations, "org-a"),
                (Kind::Achievements, "ach-a"),
                (Kind::Issuers, "iss-a")
            ]
        );
        let p = |kind: Kind, code: &str| (kind, code.to_owned());
        assert_eq!(
            change.clear,
            vec![
                p(Kind::Organisations, "205"),
                p(Kind::Achievements, "205"),
                p(Kind::Issuers, "205"),
                p(Kind::Organisations, "290"),
                p(Kind::Achievements, "290"),
                p(Kind::Issuers, "290"),
            ]
        );
    }

    #[test]
    fn a_delta_upserts_and_removes_badge_records() {
        let m = manifest("v2", vec![], vec![]);
        let delta: DeltaFile = serde_json::from_str(
            r#"{"schema_version":"1.1","region":"kainuu","from":"v1","to":"v2",
            "achievements":[{"partition":"205","record":{"id":"ach-a","ob_id":"urn:uuid:a","organisation":"org-a",
              "issuer":"iss-a","name":{"fi":"Merkki"},"description":{"fi":"d"},"criteria":{"fi":"c"},
              "modified":"2026-11-01T10:00:00Z"}}],
            "deletes":[{"kind":"events","partition":"205","id":"evt-gone"}],
            "badge_deletes":[{"kind":"issuers","partition":"205","id":"iss-old"}]}"#,
        )
        .expect("delta file");
        let change = change_from_delta(&m.regions[0], &delta);
        assert_eq!(
            change.records[0].partition,
            (Kind::Achievements, "205".to_owned())
        );
        let deleted: Vec<(Kind, &str)> = change
            .deletes
            .iter()
            .map(|d| (d.kind, d.id.as_str()))
            .collect();
        assert_eq!(
            deleted,
            [(Kind::Events, "evt-gone"), (Kind::Issuers, "iss-old")]
        );
    }
}
