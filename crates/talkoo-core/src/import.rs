//! Importing a `.talkoo` bundle: which of its regions are complete, and which of those it may write, so that an older bundle never replaces newer data (docs/feed.md, "Bundles").
//!
//! Pure: the engine reads what the device stores and the bundle's files,
//! and this module decides. The signature is decided by
//! [`crate::pinning`] (a bundle is checked only against keys already
//! pinned), and the data is applied with the network sync's own plan and
//! region changes ([`crate::sync`]).

use crate::feed::Manifest;
use crate::sync::StoredRegion;
use crate::time::DateTime;

/// The regions of `manifest` whose every data file `has` says the bundle
/// holds: the ones an import can apply in full. A region the bundle holds
/// only in part is left out, since a region is always entirely one
/// version.
pub fn complete_regions(manifest: &Manifest, has: impl Fn(&str) -> bool) -> Vec<&str> {
    manifest
        .regions
        .iter()
        .filter(|r| r.files.iter().all(|f| has(&f.path)))
        .map(|r| r.id.as_str())
        .collect()
}

/// How a bundle's manifest compares in time (`generated`) with the
/// manifest the device stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Age {
    /// Newer, or the device stores no manifest.
    Newer,
    /// Made at the same moment.
    Same,
    /// Older, or either time cannot be read: a time that cannot be read
    /// never replaces data.
    Older,
}

/// Compares the bundle's `generated` with the stored manifest's.
pub fn age(bundle: &str, stored: Option<&str>) -> Age {
    let Some(stored) = stored else {
        return Age::Newer;
    };
    match (DateTime::parse(bundle), DateTime::parse(stored)) {
        (Some(new), Some(old)) => match new.unix().cmp(&old.unix()) {
            std::cmp::Ordering::Greater => Age::Newer,
            std::cmp::Ordering::Equal => Age::Same,
            std::cmp::Ordering::Less => Age::Older,
        },
        _ => Age::Older,
    }
}

/// What an import does with one complete region of the bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionImport {
    /// Its data is written (only the partitions that differ from what is
    /// stored).
    Apply,
    /// The device already stores this version: equal versions mean equal
    /// data, so nothing is written.
    Unchanged,
    /// The device stores other data for it, which may be newer than the
    /// bundle's: it is left as it is.
    Older,
}

/// What an import does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportPlan {
    /// Each complete region of the bundle, in the manifest's order.
    pub regions: Vec<(String, RegionImport)>,
    /// Whether the bundle's manifest replaces the stored one: only when it
    /// is newer, so the stored manifest never goes back in time.
    pub replace_manifest: bool,
}

impl ImportPlan {
    /// The regions that get `what`.
    pub fn regions_that(&self, what: RegionImport) -> Vec<String> {
        self.regions
            .iter()
            .filter(|(_, w)| *w == what)
            .map(|(id, _)| id.clone())
            .collect()
    }
}

/// Why a bundle, whose signature was accepted, is not imported. Nothing is
/// written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The bundle holds no region whole.
    #[error("the file holds no complete region")]
    NoCompleteRegion,
    /// Every region it holds is stored on the device in other data that
    /// may be newer.
    #[error("the file is older than the catalogue on this device")]
    Older,
}

impl Refusal {
    /// The i18n key of the plain-words message.
    pub fn message_key(&self) -> &'static str {
        match self {
            Refusal::NoCompleteRegion => "bundle-error-incomplete",
            Refusal::Older => "bundle-error-older",
        }
    }
}

/// Decides an import of the `complete` regions of a bundle whose manifest
/// is `bundle`, when the device stores the manifest generated at
/// `stored_generated` and the regions `stored`.
///
/// The stored data of a region is at most as new as the stored manifest
/// (a sync stores the manifest before the regions it lists, and an import
/// stores a manifest only when it is newer), so a region the device holds
/// in another version is replaced only by a bundle at least as new as the
/// stored manifest. A region the device does not hold is applied even
/// from an older bundle: there is nothing newer to replace, and the next
/// sync from the network brings it up to date. An import that would
/// write nothing because its regions are older is refused, so that the
/// user hears why.
pub fn plan(
    bundle: &Manifest,
    complete: &[&str],
    stored_generated: Option<&str>,
    stored: &[StoredRegion],
) -> Result<ImportPlan, Refusal> {
    let age = age(&bundle.generated, stored_generated);
    let regions: Vec<(String, RegionImport)> = bundle
        .regions
        .iter()
        .filter(|r| complete.contains(&r.id.as_str()))
        .map(|region| {
            let what = match stored.iter().find(|s| s.id == region.id) {
                Some(have) if have.version == region.version => RegionImport::Unchanged,
                Some(_) if age == Age::Older => RegionImport::Older,
                _ => RegionImport::Apply,
            };
            (region.id.clone(), what)
        })
        .collect();
    if regions.is_empty() {
        return Err(Refusal::NoCompleteRegion);
    }
    let writes = regions.iter().any(|(_, w)| *w == RegionImport::Apply);
    if !writes && regions.iter().any(|(_, w)| *w == RegionImport::Older) {
        return Err(Refusal::Older);
    }
    Ok(ImportPlan {
        regions,
        replace_manifest: age == Age::Newer,
    })
}

/// When the information in use was last brought up to date, after an
/// import of a bundle generated at `generated`, if that changes it: the
/// stored time (ms since the epoch, of the last sync) is moved forward to
/// the time the publisher made the bundle, never back. The screen then
/// says how old the information is, rather than that none was downloaded;
/// a bundle made two weeks ago makes it two weeks old, however recently it
/// was imported.
pub fn updated_at(generated: &str, stored_ms: Option<i64>) -> Option<i64> {
    let made = DateTime::parse(generated)?.unix().checked_mul(1000)?;
    stored_ms.is_none_or(|s| s < made).then_some(made)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::{FileRef, Kind, Region};
    use crate::model::LangText;
    use RegionImport::{Apply, Older, Unchanged};

    const T1: &str = "2026-12-01T00:00:00Z";
    const T2: &str = "2026-12-02T00:00:00Z";

    fn region(id: &str, version: &str, paths: &[&str]) -> Region {
        Region {
            id: id.into(),
            name: LangText::new(),
            municipalities: Vec::new(),
            version: version.into(),
            files: paths
                .iter()
                .map(|path| FileRef {
                    path: (*path).into(),
                    kind: Kind::Services,
                    partition: "205".into(),
                    sha256: "0".repeat(64),
                    bytes: 1,
                    records: 1,
                })
                .collect(),
            deltas: Vec::new(),
        }
    }

    fn manifest(generated: &str, regions: Vec<Region>) -> Manifest {
        Manifest::for_tests("1.1", generated, regions)
    }

    #[test]
    fn an_import_moves_the_update_time_forward_to_when_the_bundle_was_made() {
        let t1 = 1_796_083_200_000; // T1 in ms
        for (stored, expected) in [
            (None, Some(t1)),
            (Some(t1 - 1), Some(t1)),
            (Some(t1), None),
            (Some(t1 + 1), None),
        ] {
            assert_eq!(updated_at(T1, stored), expected, "stored {stored:?}");
        }
        assert_eq!(updated_at("not a time", None), None);
    }

    #[test]
    fn complete_regions_are_those_with_every_file() {
        let m = manifest(
            T1,
            vec![
                region("a", "va", &["a/1", "a/2"]),
                region("b", "vb", &["b/1"]),
                region("empty", "ve", &[]),
            ],
        );
        let check = |held: &[&str], expected: &[&str]| {
            assert_eq!(
                complete_regions(&m, |p| held.contains(&p)),
                expected,
                "{held:?}"
            );
        };
        check(&["a/1", "a/2", "b/1"], &["a", "b", "empty"]);
        check(&["a/1", "b/1"], &["b", "empty"]);
        check(&["a/1", "a/2"], &["a", "empty"]);
        check(&[], &["empty"]);
    }

    #[test]
    fn age_compares_instants_and_distrusts_unreadable_times() {
        let cases = [
            (T2, Some(T1), Age::Newer),
            (T1, Some(T1), Age::Same),
            // The same instant in another offset is the same time.
            ("2026-12-01T02:00:00+02:00", Some(T1), Age::Same),
            (T1, Some(T2), Age::Older),
            (T1, None, Age::Newer),
            ("yesterday", Some(T1), Age::Older),
            (T2, Some("yesterday"), Age::Older),
        ];
        for (bundle, stored, expected) in cases {
            assert_eq!(age(bundle, stored), expected, "{bundle} vs {stored:?}");
        }
    }

    fn stored(id: &str, version: &str) -> StoredRegion {
        StoredRegion {
            id: id.into(),
            version: version.into(),
            ..StoredRegion::default()
        }
    }

    struct Input {
        generated: &'static str,
        complete: &'static [&'static str],
        stored_generated: Option<&'static str>,
        stored: Vec<StoredRegion>,
    }

    /// The regions' decisions, and whether the manifest is replaced.
    type Expected = Result<(&'static [(&'static str, RegionImport)], bool), Refusal>;

    fn check(input: Input, expected: Expected) {
        let bundle = manifest(
            input.generated,
            vec![
                region("a", "a2", &["a/1"]),
                region("b", "b2", &["b/1"]),
                region("c", "c2", &["c/1"]),
            ],
        );
        let got = plan(
            &bundle,
            input.complete,
            input.stored_generated,
            &input.stored,
        );
        let expected = expected.map(|(regions, replace_manifest)| ImportPlan {
            regions: regions.iter().map(|(id, w)| ((*id).into(), *w)).collect(),
            replace_manifest,
        });
        assert_eq!(got, expected);
    }

    #[test]
    fn a_fresh_device_takes_every_complete_region_and_the_manifest() {
        let input = Input {
            generated: T1,
            complete: &["a", "c"],
            stored_generated: None,
            stored: Vec::new(),
        };
        check(input, Ok((&[("a", Apply), ("c", Apply)], true)));
    }

    #[test]
    fn a_newer_bundle_replaces_other_versions_and_leaves_equal_ones() {
        let input = Input {
            generated: T2,
            complete: &["a", "b", "c"],
            stored_generated: Some(T1),
            stored: vec![stored("a", "a1"), stored("b", "b2")],
        };
        check(
            input,
            Ok((&[("a", Apply), ("b", Unchanged), ("c", Apply)], true)),
        );
    }

    #[test]
    fn a_bundle_as_old_as_the_stored_manifest_applies_but_keeps_the_manifest() {
        let input = Input {
            generated: T1,
            complete: &["a", "b"],
            stored_generated: Some(T1),
            stored: vec![stored("a", "a1"), stored("b", "b2")],
        };
        check(input, Ok((&[("a", Apply), ("b", Unchanged)], false)));
    }

    #[test]
    fn an_older_bundle_never_replaces_stored_data() {
        // Every region it holds is stored in another version: refused.
        let only_older = Input {
            generated: T1,
            complete: &["a"],
            stored_generated: Some(T2),
            stored: vec![stored("a", "a3")],
        };
        check(only_older, Err(Refusal::Older));
        // It may fill a region the device lacks, and skips the rest; the
        // stored manifest stays.
        let fills_a_gap = Input {
            generated: T1,
            complete: &["a", "b", "c"],
            stored_generated: Some(T2),
            stored: vec![stored("a", "a3"), stored("b", "b2")],
        };
        check(
            fills_a_gap,
            Ok((&[("a", Older), ("b", Unchanged), ("c", Apply)], false)),
        );
        // Equal versions are equal data even from an older bundle.
        let equal = Input {
            generated: T1,
            complete: &["b"],
            stored_generated: Some(T2),
            stored: vec![stored("b", "b2")],
        };
        check(equal, Ok((&[("b", Unchanged)], false)));
        // A stored time that cannot be read protects the stored data.
        let unreadable = Input {
            generated: T2,
            complete: &["a"],
            stored_generated: Some("not a time"),
            stored: vec![stored("a", "a1")],
        };
        check(unreadable, Err(Refusal::Older));
    }

    #[test]
    fn a_bundle_without_a_complete_region_is_refused() {
        let input = Input {
            generated: T2,
            complete: &[],
            stored_generated: None,
            stored: Vec::new(),
        };
        check(input, Err(Refusal::NoCompleteRegion));
    }
}
