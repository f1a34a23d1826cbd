//! Passing the catalogue on to another device in a bundle: which stored regions this device can write byte for byte, so the other device checks them against the publisher's signature (docs/feed.md, "Passing the information on").
//!
//! Pure: the engine reads the stored manifest, the stored regions and the
//! SHA-256 of every file the device kept, and this module decides. A
//! bundle must carry the publisher's own files, since the signature
//! covers the manifest and the manifest lists each file's hash; a file
//! rebuilt from the stored records would not match it. The device keeps
//! every verified file of its regions' stored versions, but a region
//! updated from a delta has records of the new version without its
//! files, so it cannot be passed on until its files are downloaded whole
//! ([`whole_files_planning`]).

use std::collections::BTreeSet;

use crate::feed::{FileRef, Manifest};
use crate::sync::StoredRegion;

/// Why a stored region cannot be passed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotReady {
    /// The stored data is not the version the stored manifest lists (a
    /// sync or an import stopped before it), or the feed no longer has
    /// the region.
    Behind,
    /// The region is current, but some of its files are not kept: it was
    /// updated from a delta (or before this device kept files).
    NotWhole,
}

impl NotReady {
    /// The i18n key of the plain-words reason.
    pub fn message_key(self) -> &'static str {
        match self {
            NotReady::Behind => "export-not-ready-behind",
            NotReady::NotWhole => "export-not-ready-not-whole",
        }
    }
}

/// What a bundle made now would hold.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExportPlan {
    /// The regions passed on, in the manifest's order.
    pub ready: Vec<String>,
    /// Their files, in the manifest's order.
    pub files: Vec<FileRef>,
    /// The stored regions left out, and why, in the manifest's order
    /// (regions the feed no longer lists last).
    pub not_ready: Vec<(String, NotReady)>,
}

/// Decides which of the `stored` regions a bundle with the stored
/// `manifest` can carry, when the device keeps the files whose SHA-256
/// are `kept`: those stored in the manifest's version whose every file is
/// kept.
pub fn plan(manifest: &Manifest, stored: &[StoredRegion], kept: &BTreeSet<String>) -> ExportPlan {
    let mut out = ExportPlan::default();
    for region in &manifest.regions {
        let Some(have) = stored.iter().find(|s| s.id == region.id) else {
            continue;
        };
        if have.version != region.version {
            out.not_ready.push((region.id.clone(), NotReady::Behind));
        } else if region.files.iter().all(|f| kept.contains(&f.sha256)) {
            out.ready.push(region.id.clone());
            out.files.extend(region.files.iter().cloned());
        } else {
            out.not_ready.push((region.id.clone(), NotReady::NotWhole));
        }
    }
    for have in stored {
        if !manifest.regions.iter().any(|r| r.id == have.id) {
            out.not_ready.push((have.id.clone(), NotReady::Behind));
        }
    }
    out
}

/// Adjusts a sync's planning so that the stored regions end with every
/// file kept, for a device that passes its data on: `manifest` (a copy
/// used for planning) loses its deltas, and a stored region with a file
/// not `kept` is planned as if that partition and the version differed,
/// so the sync downloads exactly the files missing and no more.
pub fn whole_files_planning(
    manifest: &mut Manifest,
    stored: &mut [StoredRegion],
    kept: &BTreeSet<String>,
) {
    for region in &mut manifest.regions {
        region.deltas.clear();
    }
    for have in stored {
        let mut missing = false;
        for sha256 in have.files.values_mut() {
            if !kept.contains(sha256.as_str()) {
                sha256.clear();
                missing = true;
            }
        }
        if missing {
            have.version.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::{DeltaRef, Kind, Region};
    use crate::model::LangText;
    use crate::sync::{plan as sync_plan, RegionPlan};
    use NotReady::{Behind, NotWhole};

    fn file(region: &str, partition: &str, sha: &str) -> FileRef {
        FileRef {
            path: format!("{region}/services-{partition}-{sha}.json"),
            kind: Kind::Services,
            partition: partition.into(),
            sha256: sha.into(),
            bytes: 10,
            records: 1,
        }
    }

    fn region(id: &str, version: &str, files: &[(&str, &str)]) -> Region {
        Region {
            id: id.into(),
            name: LangText::new(),
            municipalities: Vec::new(),
            version: version.into(),
            files: files.iter().map(|(p, sha)| file(id, p, sha)).collect(),
            deltas: vec![DeltaRef {
                from: "old".into(),
                path: format!("{id}/delta-old-{version}.json"),
                sha256: "d".repeat(64),
                bytes: 1,
            }],
        }
    }

    fn manifest() -> Manifest {
        let regions = vec![
            region("a", "a2", &[("1", "a1"), ("2", "a2")]),
            region("b", "b2", &[("1", "b1")]),
            region("c", "c2", &[("1", "c1")]),
        ];
        Manifest::for_tests("1.1", "2026-12-02T00:00:00Z", regions)
    }

    fn stored(id: &str, version: &str, files: &[(&str, &str)]) -> StoredRegion {
        StoredRegion {
            id: id.into(),
            version: version.into(),
            files: files
                .iter()
                .map(|(p, sha)| ((Kind::Services, (*p).into()), (*sha).into()))
                .collect(),
        }
    }

    fn check(have: &[StoredRegion], kept: &[&str], ready: &[&str], not_ready: &[(&str, NotReady)]) {
        let kept: BTreeSet<String> = kept.iter().map(|s| (*s).into()).collect();
        let got = plan(&manifest(), have, &kept);
        let ids = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(got.ready, ids(ready), "ready");
        let reasons: Vec<(String, NotReady)> =
            not_ready.iter().map(|(id, w)| ((*id).into(), *w)).collect();
        assert_eq!(got.not_ready, reasons, "not ready");
        let paths: Vec<&str> = got.files.iter().map(|f| f.path.as_str()).collect();
        let expected: Vec<String> = manifest()
            .regions
            .iter()
            .filter(|r| ready.contains(&r.id.as_str()))
            .flat_map(|r| r.files.iter().map(|f| f.path.clone()))
            .collect();
        assert_eq!(paths, expected, "files");
    }

    #[test]
    fn regions_current_with_every_file_kept_are_passed_on() {
        check(
            &[
                stored("a", "a2", &[("1", "a1"), ("2", "a2")]),
                stored("c", "c2", &[("1", "c1")]),
            ],
            &["a1", "a2", "c1", "stale"],
            &["a", "c"],
            &[],
        );
    }

    #[test]
    fn a_region_missing_a_file_is_not_whole() {
        // Updated from a delta: the records are current, a file is not kept.
        check(
            &[
                stored("a", "a2", &[("1", "a1"), ("2", "a2")]),
                stored("b", "b2", &[("1", "b1")]),
            ],
            &["a1", "b1"],
            &["b"],
            &[("a", NotWhole)],
        );
    }

    #[test]
    fn a_region_in_another_version_or_gone_from_the_feed_is_behind() {
        check(
            &[
                stored("a", "a1", &[("1", "a1"), ("2", "a2")]),
                stored("gone", "g1", &[("1", "g1")]),
                stored("c", "c2", &[("1", "c1")]),
            ],
            &["a1", "a2", "c1", "g1"],
            &["c"],
            &[("a", Behind), ("gone", Behind)],
        );
    }

    #[test]
    fn nothing_stored_passes_nothing_on() {
        check(&[], &["a1"], &[], &[]);
    }

    #[test]
    fn keeping_files_whole_downloads_exactly_the_missing_files() {
        let subscribed: BTreeSet<String> = ["a", "b", "c"].map(String::from).into();
        let mut planning = manifest();
        // "a" is current but was updated from a delta: file 2 is not kept.
        // "b" is an older version that a delta would bring up to date.
        // "c" is current and whole.
        let mut have = vec![
            stored("a", "a2", &[("1", "a1"), ("2", "a2")]),
            stored("b", "old", &[("1", "b0")]),
            stored("c", "c2", &[("1", "c1")]),
        ];
        let kept: BTreeSet<String> = ["a1", "b0", "c1"].map(String::from).into();
        assert!(matches!(
            sync_plan(&planning, &subscribed, &have)[1],
            RegionPlan::Delta { .. }
        ));
        whole_files_planning(&mut planning, &mut have, &kept);
        let fetched = |plan: &RegionPlan| match plan {
            RegionPlan::Files { fetch, .. } => {
                fetch.iter().map(|f| f.sha256.clone()).collect::<Vec<_>>()
            }
            RegionPlan::UpToDate { .. } => Vec::new(),
            other => panic!("unexpected plan {other:?}"),
        };
        let plans = sync_plan(&planning, &subscribed, &have);
        let got: Vec<Vec<String>> = plans.iter().map(fetched).collect();
        assert_eq!(
            got,
            vec![vec!["a2".to_owned()], vec!["b1".to_owned()], Vec::new()]
        );
    }
}
