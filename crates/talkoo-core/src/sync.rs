//! Sync planning: from what the device stores and what the manifest lists, which files to fetch and the change to apply.
//!
//! Pure: the browser fetches, verifies and stores; this module decides. A
//! region's change is built completely in memory from verified files before
//! the store applies it in one transaction, so a region is always entirely
//! one version.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::feed::{
    DataFile, DeltaFile, DeltaRef, FeedError, FileRef, Kind, Manifest, RecordRef, Region,
};

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

/// Where one record lies in a stored feed file: its kind, its id and its
/// bytes, `start..end`, in the file's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordSpan {
    /// Its kind (an organisations file also holds achievements and issuers).
    pub kind: Kind,
    /// Its id.
    pub id: String,
    /// Its first byte in the file.
    pub start: u32,
    /// The byte after its last.
    pub end: u32,
}

/// A verified feed file that holds its partition's records: the store
/// keeps the file once (by its SHA-256, among the staged files) and where
/// each record lies in it, instead of writing every record on its own.
/// At 50,000 cards the records' 50,000 writes took 4.6 s in the sync
/// worker; in a page, 124 MB took 3.0 to 3.4 s as 50,000 values and 0.8 s
/// as 32 `Blob`s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    /// The file's kind and partition.
    pub partition: Partition,
    /// The SHA-256 under which the file is staged.
    pub file: String,
    /// Every record in it.
    pub records: Vec<RecordSpan>,
}

/// Everything that turns a stored region into the new version, applied by
/// the store in one transaction: drop the listed partitions (their own
/// records and any file holding them), remove the deleted records, then
/// write the new ones, the files that hold records, and the new region
/// state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RegionChange {
    /// The region's new state.
    pub state: StoredRegion,
    /// Partitions whose records are all removed first (replaced or gone).
    pub clear: Vec<Partition>,
    /// Single records removed. Only records stored on their own can be:
    /// see [`rewriting_touched`].
    pub deletes: Vec<RecordRef>,
    /// Records written on their own.
    pub records: Vec<StoredRecord>,
    /// Staged files whose records the region now holds.
    pub files: Vec<StoredFile>,
}

/// The partition of the file that holds records of `partition`: an
/// organisations file also holds its partition's achievements and issuers.
pub fn file_partition(partition: &Partition) -> Partition {
    let kind = if Kind::BADGES.contains(&partition.0) {
        Kind::Organisations
    } else {
        partition.0
    };
    (kind, partition.1.clone())
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

fn push_records<T: Serialize>(
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

/// The change for a full (file-based) sync: `fetched` are the verified
/// files the plan asked for, parsed, with their text. Partitions the new
/// version no longer has are cleared too. Returns the change and the
/// records it writes.
pub fn change_from_files(
    region: &Region,
    stored: Option<&StoredRegion>,
    fetched: &[(FileRef, DataFile, String)],
) -> Result<(RegionChange, Vec<StoredRecord>), FeedError> {
    let mut change = FilesChange::new(region, stored);
    for (file, data, text) in fetched {
        change.add(file, data, text)?;
    }
    Ok(change.finish())
}

/// A data file's records as they stand in its text, array by array.
#[derive(Deserialize)]
struct RawFile<'a> {
    #[serde(borrow, default)]
    organisations: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    services: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    places: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    events: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    achievements: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    issuers: Vec<&'a RawValue>,
}

/// Where each record of `data`, parsed from `text`, lies in `text`: each
/// record's kind and id from `data` and its bytes as published. The
/// records are stored as they came, never written out again.
pub fn record_spans(
    file: &FileRef,
    data: &DataFile,
    text: &str,
) -> Result<Vec<RecordSpan>, FeedError> {
    let broken = |message: String| FeedError::Shape {
        file: file.path.clone(),
        message,
    };
    let raw: RawFile<'_> = serde_json::from_str(text).map_err(|e| broken(e.to_string()))?;
    let base = text.as_ptr() as usize;
    let mut spans = Vec::new();
    let mut add = |kind: Kind, raws: &[&RawValue], ids: Vec<&str>| {
        if raws.len() != ids.len() {
            return Err(broken(format!("the {} could not be located", kind.name())));
        }
        for (raw, id) in raws.iter().zip(ids) {
            // A borrowed `RawValue` is a slice of `text` itself.
            let start = raw.get().as_ptr() as usize - base;
            let end = start + raw.get().len();
            let (Ok(start), Ok(end)) = (u32::try_from(start), u32::try_from(end)) else {
                return Err(broken("the file is larger than 4 GiB".into()));
            };
            spans.push(RecordSpan {
                kind,
                id: id.to_owned(),
                start,
                end,
            });
        }
        Ok(())
    };
    add(
        file.kind,
        &raw.organisations,
        data.organisations.iter().map(|r| r.id.as_str()).collect(),
    )?;
    add(
        file.kind,
        &raw.services,
        data.services.iter().map(|r| r.id.as_str()).collect(),
    )?;
    add(
        file.kind,
        &raw.places,
        data.places.iter().map(|r| r.id.as_str()).collect(),
    )?;
    add(
        file.kind,
        &raw.events,
        data.events.iter().map(|r| r.id.as_str()).collect(),
    )?;
    add(
        Kind::Achievements,
        &raw.achievements,
        data.achievements.iter().map(|r| r.id.as_str()).collect(),
    )?;
    add(
        Kind::Issuers,
        &raw.issuers,
        data.issuers.iter().map(|r| r.id.as_str()).collect(),
    )?;
    Ok(spans)
}

/// [`change_from_files`] one file at a time, so a sync can drop each parsed
/// file once its records are located: at 50,000 cards the parsed files of
/// a whole region would take well over 100 MB more.
#[derive(Debug)]
pub struct FilesChange {
    change: RegionChange,
    stale: Vec<Partition>,
    written: Vec<StoredRecord>,
    /// Whether `written` is kept ([`FilesChange::keeping_records`]).
    keep: bool,
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
            written: Vec::new(),
            keep: true,
        }
    }

    /// Whether [`FilesChange::finish`] returns the records written, a copy
    /// of each as it stands in its file. A sync that replaces a whole
    /// region builds its snapshot from the files as they come, and needs
    /// no copy: at 50,000 cards the copies took over 100 MB.
    pub fn keeping_records(mut self, keep: bool) -> Self {
        self.keep = keep;
        self
    }

    /// Adds a verified file, parsed, with its text: its partition is
    /// replaced by its records, which stay in the staged file. Returns
    /// where each of them lies in `text`.
    pub fn add(
        &mut self,
        file: &FileRef,
        data: &DataFile,
        text: &str,
    ) -> Result<&[RecordSpan], FeedError> {
        let spans = record_spans(file, data, text)?;
        if self.keep {
            for span in &spans {
                self.written.push(StoredRecord {
                    partition: (span.kind, file.partition.clone()),
                    id: span.id.clone(),
                    json: text[span.start as usize..span.end as usize].to_owned(),
                });
            }
        }
        let partition = (file.kind, file.partition.clone());
        self.change.clear.extend(with_badges(&partition));
        self.change.files.push(StoredFile {
            partition,
            file: file.sha256.clone(),
            records: spans,
        });
        Ok(self
            .change
            .files
            .last()
            .map_or(&[][..], |f| f.records.as_slice()))
    }

    /// The whole change, and the records it writes (for the region's
    /// snapshot).
    pub fn finish(mut self) -> (RegionChange, Vec<StoredRecord>) {
        self.change.clear.append(&mut self.stale);
        (self.change, self.written)
    }
}

/// The records a region holds after `change` is applied to `before` (its
/// records as stored), in key order, as the store applies a change:
/// cleared partitions emptied, deleted records removed, then the new ones
/// (`written`: the change's own records and those of its files) written.
/// A region's snapshot is built of them when the change is not the whole
/// region.
pub fn records_after(
    before: impl IntoIterator<Item = StoredRecord>,
    change: &RegionChange,
    written: &[StoredRecord],
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
    for r in written {
        records.insert(key(r), r.clone());
    }
    records.into_values().collect()
}

/// `change` (a delta's) rewritten so that every partition it touches is
/// cleared and written again whole, from `after`, the region's records
/// once the change is applied ([`records_after`]). A record kept in a
/// stored file cannot be replaced or removed on its own, so a delta
/// rewrites the few partitions it touches as records of their own: a
/// one-card change writes its partition's records (the file of an
/// organisations partition also holds its achievements and issuers).
pub fn rewriting_touched(mut change: RegionChange, after: &[StoredRecord]) -> RegionChange {
    let touched: BTreeSet<Partition> = change
        .records
        .iter()
        .map(|r| file_partition(&r.partition))
        .chain(
            change
                .deletes
                .iter()
                .map(|d| file_partition(&(d.kind, d.partition.clone()))),
        )
        .flat_map(|p| with_badges(&p))
        .collect();
    for partition in &touched {
        if !change.clear.contains(partition) {
            change.clear.push(partition.clone());
        }
    }
    change.deletes.clear();
    change.records = after
        .iter()
        .filter(|r| touched.contains(&r.partition))
        .cloned()
        .collect();
    change
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
        files: Vec::new(),
    }
}

/// The longest a sync goes without reporting its progress while files keep
/// coming ([`ProgressPacer`]).
pub const PROGRESS_EVERY_MS: i64 = 100;

/// When a sync reports its progress (bytes verified of bytes to get): at
/// its start, when it is complete, when it has waited a while for the
/// network (the caller says when), and otherwise at most every
/// [`PROGRESS_EVERY_MS`]. The sync worker posted one message per verified
/// file, and the page updated its status for each: the demo region's 31
/// small files made 31 messages within a few milliseconds, and in paired
/// runs the first sync took 8 to 10 % longer than with only the first and
/// the last posted (issue 13). A bar that moves ten times a second looks
/// no different, and one held up by a slow link still shows every file
/// verified before the wait, which posting only the last would not.
#[derive(Debug, Default)]
pub struct ProgressPacer {
    /// When the last report was, and the bytes it gave.
    reported: Option<(i64, u64)>,
}

impl ProgressPacer {
    /// Whether to report `done` of `total` bytes, reached at `now_ms`:
    /// the first report, the complete one, and one at least
    /// [`PROGRESS_EVERY_MS`] after the last.
    pub fn advanced(&mut self, now_ms: i64, done: u64, total: u64) -> bool {
        let due = match self.reported {
            None => true,
            Some((at, reported)) => {
                // A clock that went back counts as time gone by, so that
                // it cannot hold the reports up.
                done != reported
                    && (done >= total
                        || now_ms < at
                        || now_ms.saturating_sub(at) >= PROGRESS_EVERY_MS)
            }
        };
        if due {
            self.reported = Some((now_ms, done));
        }
        due
    }

    /// Whether to report `done` bytes when the sync has waited a while for
    /// the network, at `now_ms`: whenever they were not reported yet.
    pub fn waiting(&mut self, now_ms: i64, done: u64) -> bool {
        let due = self.reported.is_none_or(|(_, reported)| reported != done);
        if due {
            self.reported = Some((now_ms, done));
        }
        due
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

    /// One step of a sync for [`ProgressPacer`]: at a time, the bytes
    /// verified after a file, or a wait for the network.
    enum Step {
        Advanced(i64, u64),
        Waiting(i64),
    }

    /// Feeds `steps` of a sync of `total` bytes to a pacer and compares the
    /// bytes it reports with `expected`.
    fn check_pacing(total: u64, steps: &[Step], expected: &[u64]) {
        let mut pacer = ProgressPacer::default();
        let mut done = 0;
        let mut reported = Vec::new();
        for step in steps {
            let due = match *step {
                Step::Advanced(at, bytes) => {
                    done = bytes;
                    pacer.advanced(at, done, total)
                }
                Step::Waiting(at) => pacer.waiting(at, done),
            };
            if due {
                reported.push(done);
            }
        }
        assert_eq!(reported, expected);
    }

    #[test]
    fn progress_is_reported_at_the_start_the_end_after_a_wait_and_every_tenth_of_a_second() {
        use Step::{Advanced, Waiting};
        // Files that come at once: the start and the end only.
        check_pacing(
            30,
            &[
                Advanced(0, 0),
                Advanced(1, 10),
                Advanced(2, 20),
                Advanced(3, 30),
            ],
            &[0, 30],
        );
        // A wait for the network reports what was verified before it, once.
        check_pacing(
            30,
            &[
                Advanced(0, 0),
                Advanced(1, 10),
                Waiting(1),
                Waiting(40),
                Advanced(900, 20),
                Advanced(901, 30),
            ],
            &[0, 10, 20, 30],
        );
        // Files that keep coming: one report per tenth of a second at most.
        check_pacing(
            50,
            &[
                Advanced(0, 0),
                Advanced(60, 10),
                Advanced(100, 20),
                Advanced(150, 30),
                Advanced(199, 40),
                Advanced(200, 45),
            ],
            &[0, 20, 45],
        );
        // A sync with nothing to get reports its start and nothing after.
        check_pacing(0, &[Advanced(0, 0), Waiting(5)], &[0]);
        // A clock that went back does not hold the reports up.
        check_pacing(
            30,
            &[
                Advanced(500, 0),
                Advanced(100, 10),
                Advanced(150, 20),
                Advanced(151, 30),
            ],
            &[0, 10, 30],
        );
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
        let text = r#"{"schema_version":"1.0","region":"kainuu","partition":"205","services":[ {"id":"svc-a","organisation":"o",
            "name":{"fi":"A"},"summary":{"fi":"a"},"municipalities":["205"],"target_groups":["everyone"],"kind":"ongoing",
            "role":"service","languages":["fi"],"modified":"2026-11-01T10:00:00Z"} ]}"#;
        let data: DataFile = serde_json::from_str(text).expect("data file");
        let (change, written) = change_from_files(
            &m.regions[0],
            Some(&have),
            &[(m.regions[0].files[0].clone(), data, text.to_owned())],
        )
        .expect("change");
        assert_eq!(
            change.clear,
            vec![
                (Kind::Services, "205".to_owned()),
                (Kind::Events, "290".to_owned())
            ]
        );
        // The records stay in the file, located by their bytes as
        // published, spaces and line breaks included.
        assert!(change.records.is_empty());
        assert_eq!(change.files.len(), 1);
        let file = &change.files[0];
        assert_eq!(
            (&file.partition, file.file.as_str()),
            (&(Kind::Services, "205".to_owned()), "s2")
        );
        let span = &file.records[0];
        let json = &text[span.start as usize..span.end as usize];
        assert!(
            json.starts_with(r#"{"id":"svc-a""#) && json.ends_with("Z\"}"),
            "{json}"
        );
        assert!(json.contains("\n"));
        assert_eq!((span.kind, span.id.as_str()), (Kind::Services, "svc-a"));
        assert_eq!(written.len(), 1);
        assert_eq!(
            (written[0].id.as_str(), written[0].json.as_str()),
            ("svc-a", json)
        );
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
        let text = r#"{"schema_version":"1.1","region":"kainuu","partition":"205",
            "organisations":[{"id":"org-a","name":{"fi":"A"},"municipality":"205","modified":"2026-11-01T10:00:00Z"}],
            "achievements":[{"id":"ach-a","ob_id":"urn:uuid:a","organisation":"org-a","issuer":"iss-a",
              "name":{"fi":"Merkki"},"description":{"fi":"d"},"criteria":{"fi":"c"},"modified":"2026-11-01T10:00:00Z"}],
            "issuers":[{"id":"iss-a","organisation":"org-a","issuer_id":"https://example.fi/i","keys":[],
              "modified":"2026-11-01T10:00:00Z"}]}"#;
        let data: DataFile = serde_json::from_str(text).expect("data file");
        let (change, written) = change_from_files(
            &m.regions[0],
            Some(&have),
            &[(m.regions[0].files[0].clone(), data, text.to_owned())],
        )
        .expect("change");
        let partitions: Vec<(Kind, &str)> = written
            .iter()
            .map(|r| (r.partition.0, r.id.as_str()))
            .collect();
        let spans: Vec<(Kind, &str)> = change.files[0]
            .records
            .iter()
            .map(|r| (r.kind, r.id.as_str()))
            .collect();
        assert_eq!(spans, partitions);
        assert_eq!(
            change.files[0].partition,
            (Kind::Organisations, "205".to_owned())
        );
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

    /// A delta cannot replace or remove a record kept in a stored file,
    /// so every partition it touches is cleared and written again whole
    /// from the records after it; an achievement touches its
    /// organisations file's three partitions, and untouched ones stay.
    #[test]
    fn a_delta_rewrites_the_partitions_it_touches_whole() {
        let rec = |kind: Kind, partition: &str, id: &str| StoredRecord {
            partition: (kind, partition.to_owned()),
            id: id.to_owned(),
            json: format!("{{\"id\":\"{id}\"}}"),
        };
        let after = vec![
            rec(Kind::Organisations, "205", "org-a"),
            rec(Kind::Achievements, "205", "ach-new"),
            rec(Kind::Issuers, "205", "iss-a"),
            rec(Kind::Services, "205", "svc-kept"),
            rec(Kind::Services, "290", "svc-other"),
            rec(Kind::Places, "205", "place-a"),
        ];
        let change = RegionChange {
            state: StoredRegion::default(),
            clear: vec![(Kind::Events, "205".to_owned())],
            deletes: vec![RecordRef {
                kind: Kind::Services,
                partition: "205".into(),
                id: "svc-gone".into(),
            }],
            records: vec![rec(Kind::Achievements, "205", "ach-new")],
            files: Vec::new(),
        };
        let rewritten = rewriting_touched(change, &after);
        let p = |kind: Kind, code: &str| (kind, code.to_owned());
        assert_eq!(
            rewritten.clear,
            vec![
                p(Kind::Events, "205"),
                p(Kind::Organisations, "205"),
                p(Kind::Services, "205"),
                p(Kind::Achievements, "205"),
                p(Kind::Issuers, "205"),
            ]
        );
        assert!(rewritten.deletes.is_empty());
        let ids: Vec<&str> = rewritten.records.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["org-a", "ach-new", "iss-a", "svc-kept"]);
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
