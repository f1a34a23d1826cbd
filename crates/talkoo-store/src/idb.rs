//! The IndexedDB store used in the browser, with the same upgrade loop as the memory store.

use indexed_db_futures::database::Database;
use indexed_db_futures::error::{Error as IdbError, OpenDbError};
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;

use crate::schema::{self, SCHEMA_VERSION, SETTINGS};
use crate::{Store, StoreError};

/// The database name the app uses; tests use their own names.
pub const DATABASE_NAME: &str = "talkoo";

/// An open IndexedDB database.
#[derive(Debug)]
pub struct IdbStore {
    db: Database,
    version: u32,
}

impl IdbStore {
    /// Opens the app's database at the current schema version.
    pub async fn open_default() -> Result<Self, StoreError> {
        Self::open(DATABASE_NAME, SCHEMA_VERSION).await
    }

    /// Opens `name` at `version`, creating or upgrading it step by step.
    pub async fn open(name: &str, version: u32) -> Result<Self, StoreError> {
        let db = Database::open(name)
            .with_version(version)
            .with_on_blocked(|_| Ok(()))
            .with_on_upgrade_needed(move |event, db| {
                // Versions are whole numbers stored as f64 by the browser.
                let old = event.old_version() as u32;
                for migration in schema::steps(old, version) {
                    for gone in migration.delete {
                        db.delete_object_store(gone)?;
                    }
                    for store in migration.create {
                        db.create_object_store(store.name).build()?;
                    }
                }
                Ok(())
            })
            .await
            .map_err(|e| open_error(e, version))?;
        Ok(Self { db, version })
    }

    /// Deletes a database (tests start from a clean one).
    pub async fn delete(name: &str) -> Result<(), StoreError> {
        Database::delete_by_name(name)
            .map_err(|e| open_error(e, SCHEMA_VERSION))?
            .await
            .map_err(backend)
    }

    /// Closes the connection so another one can upgrade the database.
    pub fn close(self) {
        self.db.close();
    }
}

fn backend(e: IdbError) -> StoreError {
    StoreError::Backend(e.to_string())
}

fn open_error(e: OpenDbError, version: u32) -> StoreError {
    match e {
        OpenDbError::NullFactory | OpenDbError::UnsupportedEnvironment => {
            StoreError::Unavailable(e.to_string())
        }
        OpenDbError::Base(base) => {
            let text = base.to_string();
            if text.contains("VersionError") || text.contains("less than the existing version") {
                StoreError::TooNew { supported: version }
            } else {
                StoreError::Backend(text)
            }
        }
        other => StoreError::Backend(other.to_string()),
    }
}

impl Store for IdbStore {
    fn schema_version(&self) -> u32 {
        self.version
    }

    async fn get_setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        let tx = self
            .db
            .transaction(SETTINGS.name)
            .build()
            .map_err(backend)?;
        let store = tx.object_store(SETTINGS.name).map_err(backend)?;
        let value: Option<String> = store.get(key.to_owned()).await.map_err(backend)?;
        Ok(value)
    }

    async fn put_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let tx = self
            .db
            .transaction(SETTINGS.name)
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(backend)?;
        let store = tx.object_store(SETTINGS.name).map_err(backend)?;
        store
            .put(value.to_owned())
            .with_key(key.to_owned())
            .await
            .map_err(backend)?;
        tx.commit().await.map_err(backend)
    }

    async fn delete_setting(&self, key: &str) -> Result<(), StoreError> {
        let tx = self
            .db
            .transaction(SETTINGS.name)
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(backend)?;
        let store = tx.object_store(SETTINGS.name).map_err(backend)?;
        store.delete(key.to_owned()).await.map_err(backend)?;
        tx.commit().await.map_err(backend)
    }

    async fn settings(&self) -> Result<Vec<(String, String)>, StoreError> {
        let tx = self
            .db
            .transaction(SETTINGS.name)
            .build()
            .map_err(backend)?;
        let store = tx.object_store(SETTINGS.name).map_err(backend)?;
        let keys: Vec<String> = store
            .get_all_keys::<String>()
            .await
            .map_err(backend)?
            .collect::<Result<_, _>>()
            .map_err(backend)?;
        let values: Vec<String> = store
            .get_all::<String>()
            .await
            .map_err(backend)?
            .collect::<Result<_, _>>()
            .map_err(backend)?;
        // Both lists come in key order from the same snapshot.
        Ok(keys.into_iter().zip(values).collect())
    }
}
