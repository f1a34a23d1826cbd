//! Passing the catalogue on: the contents of a bundle of the stored regions, made of the manifest, its signature and the files exactly as the publisher signed them (docs/feed.md, "Passing the information on").
//!
//! The device keeps the verified files of its stored regions' versions
//! (`sync::keep_stored_files`) and the manifest's signature beside the
//! manifest (`sync::meta::SIGNATURE`); `talkoo_core::export` decides which
//! regions are whole. The module writes the bundle with
//! `talkoo_bundle::write_bundle`, which this crate does not link.

use std::collections::BTreeMap;

use talkoo_core::export::{self, NotReady};
use talkoo_core::feed::{self, Manifest};
use talkoo_store::{Store, StoreError};

use crate::import::Bundle;
use crate::sync::meta;

/// A bundle's contents, and what it leaves out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// The stored manifest, for naming the regions.
    pub manifest: Manifest,
    /// What the bundle carries; no data file when no region is ready.
    pub bundle: Bundle,
    /// The regions it carries, in the manifest's order; none means there
    /// is nothing to pass on, for the reasons in `not_ready`.
    pub ready: Vec<String>,
    /// The stored regions it leaves out, and why.
    pub not_ready: Vec<(String, NotReady)>,
}

/// Why no bundle can be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    /// The device has no catalogue yet.
    #[error("there is no catalogue on this device")]
    NoCatalogue,
    /// The stored manifest has no signature, so no other device would
    /// accept a bundle of it.
    #[error("the catalogue on this device is not signed")]
    Unsigned,
    /// A file the device should keep is gone (the region is then not
    /// whole either, so this is only a race with a sync).
    #[error("a kept file is missing")]
    Missing(String),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ExportError {
    /// The i18n key of the plain-words explanation.
    pub fn message_key(&self) -> &'static str {
        match self {
            ExportError::NoCatalogue => "export-error-no-catalogue",
            ExportError::Unsigned => "export-error-unsigned",
            ExportError::Missing(_) | ExportError::Store(_) => "export-error-store",
        }
    }
}

/// Reads what a bundle of this device's catalogue holds: every stored
/// region in the stored manifest's version whose files the device keeps
/// (perhaps none). Reads only; the stored data is not changed.
pub async fn export_bundle<S: Store>(store: &S) -> Result<Export, ExportError> {
    let Some(text) = store.get_meta(meta::MANIFEST).await? else {
        return Err(ExportError::NoCatalogue);
    };
    let signature = store
        .get_meta(meta::SIGNATURE)
        .await?
        .filter(|s| !s.is_empty())
        .ok_or(ExportError::Unsigned)?;
    let manifest: Manifest =
        feed::parse_text("manifest.json", &text).map_err(|_| ExportError::NoCatalogue)?;
    let stored = store.regions().await?;
    if stored.is_empty() {
        return Err(ExportError::NoCatalogue);
    }
    let kept = store.staged_hashes().await?;
    let plan = export::plan(&manifest, &stored, &kept);
    let mut files = BTreeMap::new();
    for file in &plan.files {
        let data = store
            .staged_file(&file.sha256)
            .await?
            .ok_or_else(|| ExportError::Missing(file.path.clone()))?;
        files.insert(file.path.clone(), data.into_bytes());
    }
    Ok(Export {
        manifest,
        bundle: Bundle {
            manifest: text.into_bytes(),
            signature: Some(signature.into_bytes()),
            files,
        },
        ready: plan.ready,
        not_ready: plan.not_ready,
    })
}
