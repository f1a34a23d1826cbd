//! The in-memory store: the same schema and upgrade loop as IndexedDB, for fast native tests.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use crate::schema::{self, SETTINGS};
use crate::{Store, StoreError};

/// Stands for the browser's storage of one origin: databases by name. Cloning
/// shares it, so a test can "close" a store and open the same database again.
#[derive(Debug, Clone, Default)]
pub struct MemoryDisk {
    databases: Rc<RefCell<HashMap<String, MemoryDatabase>>>,
}

#[derive(Debug, Default)]
struct MemoryDatabase {
    version: u32,
    stores: BTreeMap<&'static str, BTreeMap<String, String>>,
}

/// One open in-memory database.
#[derive(Debug, Clone)]
pub struct MemoryStore {
    disk: MemoryDisk,
    name: String,
}

impl MemoryDisk {
    /// An empty origin.
    pub fn new() -> Self {
        Self::default()
    }

    /// Opens `name` at `version`, running the upgrade loop like IndexedDB's
    /// `upgradeneeded` would; a newer database than `version` is refused.
    pub fn open(&self, name: &str, version: u32) -> Result<MemoryStore, StoreError> {
        let mut databases = self.databases.borrow_mut();
        let database = databases.entry(name.to_owned()).or_default();
        if database.version > version {
            return Err(StoreError::TooNew { supported: version });
        }
        for migration in schema::steps(database.version, version) {
            for gone in migration.delete {
                database.stores.remove(gone);
            }
            for store in migration.create {
                database.stores.entry(store.name).or_default();
            }
        }
        database.version = version;
        Ok(MemoryStore {
            disk: self.clone(),
            name: name.to_owned(),
        })
    }

    /// The object stores of a database, for migration tests.
    pub fn store_names(&self, name: &str) -> Vec<&'static str> {
        self.databases
            .borrow()
            .get(name)
            .map(|db| db.stores.keys().copied().collect())
            .unwrap_or_default()
    }
}

impl MemoryStore {
    fn with_settings<T>(
        &self,
        f: impl FnOnce(&mut BTreeMap<String, String>) -> T,
    ) -> Result<T, StoreError> {
        let mut databases = self.disk.databases.borrow_mut();
        let store = databases
            .get_mut(&self.name)
            .and_then(|db| db.stores.get_mut(SETTINGS.name))
            .ok_or_else(|| StoreError::Backend(format!("no object store `{}`", SETTINGS.name)))?;
        Ok(f(store))
    }
}

impl Store for MemoryStore {
    fn schema_version(&self) -> u32 {
        self.disk
            .databases
            .borrow()
            .get(&self.name)
            .map_or(0, |db| db.version)
    }

    async fn get_setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.with_settings(|s| s.get(key).cloned())
    }

    async fn put_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.with_settings(|s| {
            s.insert(key.to_owned(), value.to_owned());
        })
    }

    async fn delete_setting(&self, key: &str) -> Result<(), StoreError> {
        self.with_settings(|s| {
            s.remove(key);
        })
    }

    async fn settings(&self) -> Result<Vec<(String, String)>, StoreError> {
        self.with_settings(|s| s.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suite::Harness;

    /// Each harness owns a fresh origin, so tests never see each other's data.
    #[derive(Debug, Default)]
    struct MemoryHarness {
        disk: MemoryDisk,
    }

    impl Harness for MemoryHarness {
        type S = MemoryStore;
        async fn open(&self, name: &str, version: u32) -> Result<MemoryStore, StoreError> {
            self.disk.open(name, version)
        }
    }

    macro_rules! memory_suite {
        ($($name:ident),* $(,)?) => {
            $(
                #[test]
                fn $name() {
                    pollster::block_on(crate::suite::$name(&MemoryHarness::default()));
                }
            )*
        };
    }

    crate::for_each_suite_test!(memory_suite);

    #[test]
    fn upgrade_creates_every_store_of_the_current_schema() {
        let disk = MemoryDisk::new();
        disk.open("db", crate::SCHEMA_VERSION).expect("open");
        let mut expected: Vec<_> = schema::stores_at(crate::SCHEMA_VERSION)
            .iter()
            .map(|s| s.name)
            .collect();
        expected.sort_unstable();
        assert_eq!(disk.store_names("db"), expected);
    }
}
