//! The database schema as data: object stores, what kind of data each holds, and the migrations between versions.
//!
//! indexed_db_futures 0.6 cannot add an index to an existing store, so a store
//! that needs a new index gets a new store instead; plan user-data stores with
//! that in mind.

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = 6;

/// Whether a store holds the user's own data or data that a sync can fetch again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataKind {
    /// Hours, badges, settings: never dropped by a migration or a sync.
    Personal,
    /// Catalogue data that can always be downloaded again.
    Catalogue,
    /// Data fetched for the personal data's sake (badge status lists): a
    /// migration may rebuild it, since it can be fetched again, but a
    /// catalogue sync or a catalogue rebuild never touches it.
    Cache,
}

/// One object store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreDef {
    /// The object store's name.
    pub name: &'static str,
    /// What it holds.
    pub kind: DataKind,
}

/// The step that brings a database from version `to - 1` to `to`.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// The version this step produces.
    pub to: u32,
    /// Stores created by this step.
    pub create: &'static [StoreDef],
    /// Stores deleted by this step (never personal ones).
    pub delete: &'static [&'static str],
}

/// User settings such as the UI language.
pub const SETTINGS: StoreDef = StoreDef {
    name: "settings",
    kind: DataKind::Personal,
};

/// Each subscribed region's stored version and file hashes.
pub const REGIONS: StoreDef = StoreDef {
    name: "regions",
    kind: DataKind::Catalogue,
};

/// Catalogue records as JSON, keyed `region␁kind␁partition␁id` so that a
/// region or a partition is one key range.
pub const RECORDS: StoreDef = StoreDef {
    name: "records",
    kind: DataKind::Catalogue,
};

/// Verified feed files by SHA-256: those that hold a stored region's
/// records ([`PARTITIONS`]), and those of a sync that was interrupted, so
/// it resumes without downloading them again.
pub const STAGING: StoreDef = StoreDef {
    name: "staging",
    kind: DataKind::Catalogue,
};

/// Sync bookkeeping: the manifest's ETag and Last-Modified, last success.
pub const SYNC_META: StoreDef = StoreDef {
    name: "sync_meta",
    kind: DataKind::Catalogue,
};

/// Volunteer hours: each entry with its delivery state, keyed by the entry's
/// UUID, as `talkoo_core::hours::outbox::Record` JSON.
pub const HOURS: StoreDef = StoreDef {
    name: "hours",
    kind: DataKind::Personal,
};

/// The organisations' hours inboxes the volunteer joined, keyed by the
/// organisation's feed id, as `Membership` JSON.
pub const MEMBERSHIPS: StoreDef = StoreDef {
    name: "memberships",
    kind: DataKind::Personal,
};

/// The badge wallet: each badge keyed by its id (the SHA-256 of the
/// credential's signed form), as `talkoo_core::wallet::WalletBadge` JSON.
pub const BADGES: StoreDef = StoreDef {
    name: "badges",
    kind: DataKind::Personal,
};

/// Badge status and revocation lists as last fetched, keyed by their
/// address, as `talkoo_core::wallet::CachedStatusList` JSON, so a badge's
/// status is checked offline against the last copy.
pub const BADGE_STATUS: StoreDef = StoreDef {
    name: "badge_status",
    kind: DataKind::Cache,
};

/// Each region's snapshot (`talkoo_core::snapshot`), keyed by region id, as
/// bytes: what a start reads instead of every record.
pub const SNAPSHOTS: StoreDef = StoreDef {
    name: "snapshots",
    kind: DataKind::Catalogue,
};

/// For each data file that holds a region's records, keyed
/// `region␁kind␁partition` (so a region is one key range), its SHA-256 in
/// [`STAGING`] and where each record lies in it, as JSON. Records written
/// one by one (by a delta, or before version 6) stay in [`RECORDS`].
pub const PARTITIONS: StoreDef = StoreDef {
    name: "partitions",
    kind: DataKind::Catalogue,
};

/// Every migration, in order; the first creates the database.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        to: 1,
        create: &[SETTINGS],
        delete: &[],
    },
    Migration {
        to: 2,
        create: &[REGIONS, RECORDS, STAGING, SYNC_META],
        delete: &[],
    },
    Migration {
        to: 3,
        create: &[HOURS, MEMBERSHIPS],
        delete: &[],
    },
    Migration {
        to: 4,
        create: &[BADGES, BADGE_STATUS],
        delete: &[],
    },
    Migration {
        to: 5,
        create: &[SNAPSHOTS],
        delete: &[],
    },
    Migration {
        to: 6,
        create: &[PARTITIONS],
        delete: &[],
    },
];

/// The migrations to run to go from `old` to `new`, in order.
pub fn steps(old: u32, new: u32) -> impl Iterator<Item = &'static Migration> {
    steps_in(MIGRATIONS, old, new)
}

/// [`steps`] over another list: tests open databases with a future
/// migration appended, to prove what a later schema change leaves alone.
pub fn steps_in(migrations: &[Migration], old: u32, new: u32) -> impl Iterator<Item = &Migration> {
    migrations.iter().filter(move |m| m.to > old && m.to <= new)
}

/// The migrations with one more appended that drops and recreates every
/// catalogue store, as a future catalogue format change might: the suite
/// opens a database written by this build with it and finds every entry.
pub fn with_catalogue_rebuild() -> Vec<Migration> {
    let catalogue: &'static [StoreDef] =
        &[REGIONS, RECORDS, STAGING, SYNC_META, SNAPSHOTS, PARTITIONS];
    let names: &'static [&'static str] = &[
        "regions",
        "records",
        "staging",
        "sync_meta",
        "snapshots",
        "partitions",
    ];
    let mut all = MIGRATIONS.to_vec();
    all.push(Migration {
        to: SCHEMA_VERSION + 1,
        create: catalogue,
        delete: names,
    });
    all
}

/// Whether a database at `version` has the snapshot store. The app always
/// opens the current version; the migration tests write catalogue data at
/// older versions, which have none.
pub fn has_snapshots(version: u32) -> bool {
    stores_at(version).contains(&SNAPSHOTS)
}

/// Whether a database at `version` has the [`PARTITIONS`] store: before
/// version 6 every record was stored on its own.
pub fn has_partitions(version: u32) -> bool {
    stores_at(version).contains(&PARTITIONS)
}

/// Every store that exists at `version`, by replaying the migrations.
pub fn stores_at(version: u32) -> Vec<StoreDef> {
    let mut stores: Vec<StoreDef> = Vec::new();
    for migration in steps(0, version) {
        stores.retain(|s| !migration.delete.contains(&s.name));
        stores.extend_from_slice(migration.create);
    }
    stores
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_one_by_one_up_to_the_current_version() {
        let numbers: Vec<u32> = MIGRATIONS.iter().map(|m| m.to).collect();
        let expected: Vec<u32> = (1..=SCHEMA_VERSION).collect();
        assert_eq!(numbers, expected);
    }

    #[test]
    fn no_migration_drops_a_personal_store() {
        for version in 1..=SCHEMA_VERSION {
            let before = stores_at(version - 1);
            for migration in steps(version - 1, version) {
                for name in migration.delete {
                    let dropped = before.iter().find(|s| s.name == *name);
                    assert!(
                        dropped.is_none_or(|s| s.kind != DataKind::Personal),
                        "migration to {version} drops personal store {name}"
                    );
                }
            }
        }
    }

    #[test]
    fn every_personal_store_once_created_exists_at_the_current_version() {
        let current = stores_at(SCHEMA_VERSION);
        for version in 1..=SCHEMA_VERSION {
            for store in stores_at(version)
                .iter()
                .filter(|s| s.kind == DataKind::Personal)
            {
                assert!(
                    current.contains(store),
                    "{} was lost after version {version}",
                    store.name
                );
            }
        }
    }

    #[test]
    fn the_catalogue_rebuild_touches_only_catalogue_stores() {
        let rebuild = with_catalogue_rebuild();
        let last = rebuild.last().expect("one more migration");
        assert_eq!(last.to, SCHEMA_VERSION + 1);
        assert!(last.create.iter().all(|s| s.kind == DataKind::Catalogue));
        let current = stores_at(SCHEMA_VERSION);
        for name in last.delete {
            let store = current.iter().find(|s| s.name == *name).expect("exists");
            assert_eq!(store.kind, DataKind::Catalogue);
        }
    }

    #[test]
    fn the_personal_stores_are_settings_hours_memberships_and_badges() {
        let personal: Vec<&str> = stores_at(SCHEMA_VERSION)
            .iter()
            .filter(|s| s.kind == DataKind::Personal)
            .map(|s| s.name)
            .collect();
        assert_eq!(personal, ["settings", "hours", "memberships", "badges"]);
    }

    #[test]
    fn the_wallet_arrives_at_version_4_beside_what_was_there() {
        let names =
            |version: u32| -> Vec<&str> { stores_at(version).iter().map(|s| s.name).collect() };
        let mut expected = names(3);
        expected.extend(["badges", "badge_status"]);
        assert_eq!(names(4), expected);
        // The rebuild the suite runs leaves the wallet and its cache alone.
        let rebuild = with_catalogue_rebuild();
        let last = rebuild.last().expect("the rebuild");
        assert!(!last.delete.contains(&"badges") && !last.delete.contains(&"badge_status"));
    }

    #[test]
    fn snapshots_arrive_at_version_5_as_catalogue_data() {
        let names =
            |version: u32| -> Vec<&str> { stores_at(version).iter().map(|s| s.name).collect() };
        let mut expected = names(4);
        expected.push("snapshots");
        assert_eq!(names(5), expected);
        assert!(stores_at(5).contains(&SNAPSHOTS));
        assert_eq!(SNAPSHOTS.kind, DataKind::Catalogue);
    }

    #[test]
    fn partitions_arrive_at_version_6_as_catalogue_data() {
        let names =
            |version: u32| -> Vec<&str> { stores_at(version).iter().map(|s| s.name).collect() };
        let mut expected = names(5);
        expected.push("partitions");
        assert_eq!(names(6), expected);
        assert!(has_partitions(6) && !has_partitions(5));
        assert_eq!(PARTITIONS.kind, DataKind::Catalogue);
    }

    #[test]
    fn steps_select_the_right_range() {
        assert_eq!(steps(0, SCHEMA_VERSION).count() as u32, SCHEMA_VERSION);
        assert_eq!(steps(SCHEMA_VERSION, SCHEMA_VERSION).count(), 0);
    }
}
