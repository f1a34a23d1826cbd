//! The storage test suite shared by every implementation: natively against memory, in Chromium against IndexedDB.
//!
//! Each test takes a [`Harness`] that opens databases on a fresh origin (or
//! a fresh database name), so tests are independent of order.

use crate::schema::SCHEMA_VERSION;
use crate::{keys, Store, StoreError};

/// Opens databases of one implementation for the suite.
pub trait Harness {
    /// The store under test.
    type S: Store;
    /// Opens (creating or upgrading) database `name` at `version`.
    async fn open(&self, name: &str, version: u32) -> Result<Self::S, StoreError>;
}

/// Calls `$mac!` with the name of every test in the suite, so each
/// implementation generates one test function per suite test and no test is
/// forgotten by one of them.
#[macro_export]
macro_rules! for_each_suite_test {
    ($mac:ident) => {
        $mac!(
            fresh_database_is_at_current_version,
            missing_setting_reads_none,
            setting_round_trips,
            setting_overwrites,
            setting_delete_is_idempotent,
            settings_list_is_sorted,
            settings_survive_reopening,
            settings_survive_every_upgrade,
            newer_database_is_refused,
            unicode_values_are_kept,
        );
    };
}

async fn open_current<H: Harness>(h: &H) -> H::S {
    h.open("talkoo-suite", SCHEMA_VERSION)
        .await
        .expect("open the database")
}

/// A new database is created at the version this build knows.
pub async fn fresh_database_is_at_current_version<H: Harness>(h: &H) {
    assert_eq!(open_current(h).await.schema_version(), SCHEMA_VERSION);
}

/// Reading a key that was never written is not an error.
pub async fn missing_setting_reads_none<H: Harness>(h: &H) {
    let store = open_current(h).await;
    assert_eq!(store.get_setting("never.written").await, Ok(None));
}

/// A written setting reads back the same.
pub async fn setting_round_trips<H: Harness>(h: &H) {
    let store = open_current(h).await;
    store.put_setting(keys::LANGUAGE, "sv").await.expect("put");
    assert_eq!(
        store.get_setting(keys::LANGUAGE).await,
        Ok(Some("sv".to_owned()))
    );
}

/// The last write wins.
pub async fn setting_overwrites<H: Harness>(h: &H) {
    let store = open_current(h).await;
    store.put_setting(keys::LANGUAGE, "sv").await.expect("put");
    store
        .put_setting(keys::LANGUAGE, "en")
        .await
        .expect("put again");
    assert_eq!(
        store.get_setting(keys::LANGUAGE).await,
        Ok(Some("en".to_owned()))
    );
}

/// Deleting removes the value, and deleting twice is harmless.
pub async fn setting_delete_is_idempotent<H: Harness>(h: &H) {
    let store = open_current(h).await;
    store.put_setting("a", "1").await.expect("put");
    store.delete_setting("a").await.expect("delete");
    store.delete_setting("a").await.expect("delete again");
    assert_eq!(store.get_setting("a").await, Ok(None));
}

/// The full list comes back sorted by key.
pub async fn settings_list_is_sorted<H: Harness>(h: &H) {
    let store = open_current(h).await;
    for (k, v) in [("b", "2"), ("a", "1"), ("c", "3")] {
        store.put_setting(k, v).await.expect("put");
    }
    let expected: Vec<(String, String)> = [("a", "1"), ("b", "2"), ("c", "3")]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    assert_eq!(store.settings().await, Ok(expected));
}

/// Closing and opening the database again keeps what was written, as a
/// restart of the app does.
pub async fn settings_survive_reopening<H: Harness>(h: &H) {
    {
        let store = open_current(h).await;
        store.put_setting(keys::LANGUAGE, "sv").await.expect("put");
    }
    let store = open_current(h).await;
    assert_eq!(
        store.get_setting(keys::LANGUAGE).await,
        Ok(Some("sv".to_owned()))
    );
}

/// Personal data written at the first version is still there after opening
/// at every later version in turn (the upgrade loop).
pub async fn settings_survive_every_upgrade<H: Harness>(h: &H) {
    {
        let store = h
            .open("talkoo-upgrade", 1)
            .await
            .expect("open at version 1");
        store.put_setting(keys::LANGUAGE, "en").await.expect("put");
    }
    for version in 1..=SCHEMA_VERSION {
        let store = h.open("talkoo-upgrade", version).await.expect("upgrade");
        assert_eq!(store.schema_version(), version);
        assert_eq!(
            store.get_setting(keys::LANGUAGE).await,
            Ok(Some("en".to_owned())),
            "setting lost at version {version}"
        );
    }
}

/// An older build refuses a database written by a newer one instead of
/// damaging it.
pub async fn newer_database_is_refused<H: Harness>(h: &H) {
    {
        let store = h
            .open("talkoo-newer", SCHEMA_VERSION + 1)
            .await
            .expect("open newer");
        store.put_setting("x", "kept").await.expect("put");
    }
    let refused = h.open("talkoo-newer", SCHEMA_VERSION).await;
    assert!(
        matches!(refused, Err(StoreError::TooNew { .. })),
        "expected TooNew, got {:?}",
        refused.as_ref().map(|s| s.schema_version())
    );
}

/// Finnish, Swedish and Sámi letters are stored as written.
pub async fn unicode_values_are_kept<H: Harness>(h: &H) {
    let store = open_current(h).await;
    let value = "Äänekoski – Åland – Ohcejohka đŋŧʒšč";
    store.put_setting("place", value).await.expect("put");
    assert_eq!(store.get_setting("place").await, Ok(Some(value.to_owned())));
}
