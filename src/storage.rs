//! Access to on-device storage for components: the open store, its error, and the browser's storage estimate.

use std::rc::Rc;

use js_sys::Reflect;
use leptos::prelude::*;
use talkoo_core::storage_status::StorageStatus;
use talkoo_store::idb::IdbStore;
use talkoo_store::StoreError;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

#[derive(Debug, Clone, Copy)]
struct StoreContext {
    store: StoredValue<Result<Rc<IdbStore>, StoreError>, LocalStorage>,
    given_way: RwSignal<bool>,
}

/// The open store, or why it could not be opened.
#[derive(Debug, Clone, Copy)]
pub struct UseStoreReturn {
    store: StoredValue<Result<Rc<IdbStore>, StoreError>, LocalStorage>,
    given_way: RwSignal<bool>,
}

impl UseStoreReturn {
    /// The store, when it opened.
    pub fn get(self) -> Option<Rc<IdbStore>> {
        self.store.with_value(|s| s.as_ref().ok().cloned())
    }

    /// Why the store could not be opened, for Settings.
    pub fn error(self) -> Option<StoreError> {
        self.store.with_value(|s| s.as_ref().err().cloned())
    }

    /// Whether the store has closed for a newer Talkoo opened in another
    /// tab or window (`IdbStore::on_given_way`): this page must be loaded
    /// again to read or write anything. Reactive.
    pub fn given_way(self) -> bool {
        self.given_way.get()
    }
}

/// Makes the store available to every component.
pub fn provide_store(store: Result<IdbStore, StoreError>) {
    if let Err(e) = &store {
        leptos::logging::warn!("storage unavailable: {e}");
    }
    let given_way = RwSignal::new(false);
    if let Ok(store) = &store {
        store.on_given_way(move || given_way.set(true));
    }
    provide_context(StoreContext {
        store: StoredValue::new_local(store.map(Rc::new)),
        given_way,
    });
}

/// The store hook.
pub fn use_store() -> UseStoreReturn {
    let StoreContext { store, given_way } = expect_context::<StoreContext>();
    UseStoreReturn { store, given_way }
}

fn storage_manager() -> Option<web_sys::StorageManager> {
    let navigator = window().navigator();
    Reflect::has(&navigator, &JsValue::from_str("storage"))
        .unwrap_or(false)
        .then(|| navigator.storage())
}

/// Asks the browser to keep our data under storage pressure. Chromium
/// answers from its own heuristics without a dialog, so asking at start is
/// harmless; Settings shows the answer.
pub fn request_persistence() {
    let Some(manager) = storage_manager() else {
        return;
    };
    if let Ok(promise) = manager.persist() {
        // Called before Leptos is mounted, so not through Leptos' executor.
        wasm_bindgen_futures::spawn_local(async move {
            let _ = JsFuture::from(promise).await;
        });
    }
}

/// Reads persistence and usage from `navigator.storage`; parts the browser
/// does not answer stay `None`.
pub async fn storage_status() -> StorageStatus {
    let Some(manager) = storage_manager() else {
        return StorageStatus::default();
    };
    let persisted = match manager.persisted() {
        Ok(promise) => JsFuture::from(promise).await.ok().and_then(|v| v.as_bool()),
        Err(_) => None,
    };
    let estimate = match manager.estimate() {
        Ok(promise) => JsFuture::from(promise).await.ok(),
        Err(_) => None,
    };
    let number = |name: &str| {
        estimate
            .as_ref()
            .and_then(|e| Reflect::get(e, &JsValue::from_str(name)).ok())
            .and_then(|v| v.as_f64())
            .map(|v| v as u64)
    };
    StorageStatus {
        persisted,
        usage: number("usage"),
        quota: number("quota"),
    }
}

/// Reads the build id from `version.json`, written next to `sw.js` at build
/// time from the contents of the build; it is answered from the offline
/// copy when a service worker controls the page, so it names the version
/// actually running.
pub async fn build_id() -> Option<String> {
    let url = format!("{}version.json", crate::pwa::base_href());
    let response = gloo_net::http::Request::get(&url).send().await.ok()?;
    if !response.ok() {
        return None;
    }
    /// Of `version.json`, only the id: a reader of any JSON value would
    /// bring its code into the first-load shell.
    #[derive(serde::Deserialize)]
    struct Version {
        version: String,
    }
    let json: Version = serde_json::from_str(&response.text().await.ok()?).ok()?;
    Some(json.version)
}
