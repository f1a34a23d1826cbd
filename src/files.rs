//! Files the volunteer saves, picks or shares to Talkoo: exports and backups go out through the share sheet on phones or as a download, backup files are read back, and files other apps shared are taken from the service worker's cache.
//!
//! Reading uses gloo-file; the share sheet and the download link have no
//! gloo wrapper, so they use `web_sys` and `Reflect` (the Web Share API is
//! missing from some browsers and from older `web_sys` bindings).

use js_sys::Reflect;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::browser::js_text;

/// Saves `text` as a file: through the share sheet where the browser can
/// share files (phones), otherwise as a download.
pub async fn save_file(name: &str, mime: &str, text: &str, share: bool) -> Result<(), String> {
    save_part(name, mime, &JsValue::from_str(text), share).await
}

/// Saves `bytes` as a file, as [`save_file`] does text (a badge exactly as
/// it was issued, an image among them). Only the badges module uses it.
#[cfg(feature = "badges-module")]
pub async fn save_bytes(name: &str, mime: &str, bytes: &[u8], share: bool) -> Result<(), String> {
    save_part(name, mime, &js_sys::Uint8Array::from(bytes), share).await
}

/// Saves a file's bytes the module handed over (a `.talkoo` bundle), as
/// [`save_file`] does text.
pub async fn save_array(
    name: &str,
    mime: &str,
    bytes: &js_sys::Uint8Array,
    share: bool,
) -> Result<(), String> {
    save_part(name, mime, bytes, share).await
}

async fn save_part(name: &str, mime: &str, part: &JsValue, share: bool) -> Result<(), String> {
    let parts = js_sys::Array::of1(part);
    let options = web_sys::FilePropertyBag::new();
    options.set_type(mime);
    let file = web_sys::File::new_with_blob_sequence_and_options(&parts, name, &options)
        .map_err(|e| js_text(&e))?;
    if share && can_share_file(&file) {
        let data = js_sys::Object::new();
        let files = js_sys::Array::of1(&file);
        let _ = Reflect::set(&data, &JsValue::from_str("files"), &files);
        let _ = Reflect::set(&data, &JsValue::from_str("title"), &JsValue::from_str(name));
        let navigator = window().navigator();
        let share_fn = Reflect::get(&navigator, &JsValue::from_str("share"))
            .map_err(|e| js_text(&e))?
            .dyn_into::<js_sys::Function>()
            .map_err(|e| js_text(&e))?;
        let promise = share_fn
            .call1(&navigator, &data)
            .map_err(|e| js_text(&e))?
            .dyn_into::<js_sys::Promise>()
            .map_err(|e| js_text(&e))?;
        // A dismissed share sheet is the volunteer's choice, not an error.
        let _ = JsFuture::from(promise).await;
        return Ok(());
    }
    let url = gloo_file::ObjectUrl::from(gloo_file::Blob::from(web_sys::Blob::from(file)));
    let a: web_sys::HtmlAnchorElement = document()
        .create_element("a")
        .map_err(|e| js_text(&e))?
        .unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    Ok(())
}

/// Whether the browser offers to share this file (Web Share API level 2).
fn can_share_file(file: &web_sys::File) -> bool {
    let navigator = window().navigator();
    let Ok(can) = Reflect::get(&navigator, &JsValue::from_str("canShare")) else {
        return false;
    };
    let Ok(can) = can.dyn_into::<js_sys::Function>() else {
        return false;
    };
    let data = js_sys::Object::new();
    let _ = Reflect::set(
        &data,
        &JsValue::from_str("files"),
        &js_sys::Array::of1(file),
    );
    can.call1(&navigator, &data)
        .map(|v| v.as_bool() == Some(true))
        .unwrap_or(false)
}

/// Whether this browser can share files at all (to label the button).
pub fn can_share_files() -> bool {
    let parts = js_sys::Array::of1(&JsValue::from_str(""));
    web_sys::File::new_with_str_sequence(&parts, "probe.txt")
        .map(|f| can_share_file(&f))
        .unwrap_or(false)
}

/// Reads a file the volunteer picked as UTF-8 text.
pub async fn read_file(file: web_sys::File) -> Result<String, String> {
    gloo_file::futures::read_as_text(&gloo_file::File::from(file))
        .await
        .map_err(|e| e.to_string())
}

/// Reads a file the user picked as bytes (a badge may be an image). Only
/// the badges module uses it.
#[cfg(feature = "badges-module")]
pub async fn read_bytes(file: web_sys::File) -> Result<Vec<u8>, String> {
    gloo_file::futures::read_as_bytes(&gloo_file::File::from(file))
        .await
        .map_err(|e| e.to_string())
}

/// Takes a file another app shared to Talkoo (Web Share Target), which the
/// service worker kept in its `talkoo-share` cache under `path` (relative
/// to the app's base: `badges/shared`, `settings/shared-bundle`); once
/// taken it is gone, so a reload does not use it again.
pub async fn take_shared(path: &str) -> Option<js_sys::Uint8Array> {
    let caches = window().caches().ok()?;
    let cache: web_sys::Cache = JsFuture::from(caches.open("talkoo-share"))
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    let url = format!("{}{path}", crate::pwa::base_href());
    let response: web_sys::Response = JsFuture::from(cache.match_with_str(&url))
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    let buffer = JsFuture::from(response.array_buffer().ok()?).await.ok()?;
    let _ = JsFuture::from(cache.delete_with_str(&url)).await;
    Some(js_sys::Uint8Array::new(&buffer))
}
