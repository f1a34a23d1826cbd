//! The Talkoo browser app: Leptos components and the hooks that connect the pure core to the browser.
//!
//! Everything here is browser-only and compiled for `wasm32` alone; the rules
//! it shows live in `talkoo-core` and are tested natively.

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(all(target_arch = "wasm32", feature = "badges-module"))]
pub mod badges;
#[cfg(target_arch = "wasm32")]
mod badges_host;
#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(target_arch = "wasm32")]
mod catalogue;
#[cfg(target_arch = "wasm32")]
mod files;
#[cfg(all(target_arch = "wasm32", feature = "badges-module"))]
mod hours;
#[cfg(target_arch = "wasm32")]
mod i18n;
#[cfg(all(target_arch = "wasm32", feature = "badges-module"))]
mod import;
#[cfg(all(target_arch = "wasm32", feature = "badges-module"))]
mod kiosk;
#[cfg(target_arch = "wasm32")]
mod kiosk_host;
#[cfg(target_arch = "wasm32")]
mod lazy_pages;
#[cfg(target_arch = "wasm32")]
mod pages;
#[cfg(target_arch = "wasm32")]
mod pwa;
#[cfg(target_arch = "wasm32")]
mod router;
#[cfg(target_arch = "wasm32")]
mod storage;
#[cfg(target_arch = "wasm32")]
mod sync_worker;

#[cfg(target_arch = "wasm32")]
pub use app::mount;
#[cfg(target_arch = "wasm32")]
pub use lazy_pages::{draw_page, LazyPage, NotLoaded};
