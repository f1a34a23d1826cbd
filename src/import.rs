//! Importing a `.talkoo` bundle in the on-demand module: reading the gzip and tar file, and handing its contents to the engine's import, which checks them as a network sync would (docs/feed.md, "Bundles").
//!
//! The reader (flate2 and tar) is compiled into the badges module only,
//! so the first-load shell carries none of it; the shell lends the file's
//! bytes and waits, with its own syncs held back (`src/catalogue.rs`,
//! `UseImportReturn`), then reads the catalogue again. The module opens
//! the same IndexedDB database as the shell, so what is written here is
//! what the shell reads.

use talkoo_bundle::BundleError;
use talkoo_core::i18n::{self, Arg};
use talkoo_core::Lang;
use talkoo_engine::import::{self, Bundle, ImportOutcome};

use crate::browser::Browser;
use crate::pages::common::localized;
use crate::storage::use_store;

/// The most a bundle may inflate to in the app: a phone holds the whole
/// bundle in memory while it is checked, so the app's cap is far below
/// the feed tool's 256 MiB, and still five times the largest region
/// measured (a 50,000-card feed is 108 MB for the whole country).
pub const MAX_INFLATED_IN_APP: u64 = 64 * 1024 * 1024;

/// Reads `bytes` as a bundle and imports it; answers the line that says
/// what is now in use, or the reason it was not used, in `lang`. Must run
/// under the module's owner (it reads the store's context).
pub async fn import_bundle(bytes: Vec<u8>, lang: Lang) -> Result<String, String> {
    let say = |key: &str| i18n::t(lang, key);
    let store = use_store().get().ok_or_else(|| say("bundle-error-store"))?;
    let read = talkoo_bundle::read_bundle_capped(&bytes, MAX_INFLATED_IN_APP).map_err(|e| {
        leptos::logging::warn!("not a usable bundle: {e}");
        say(match e {
            BundleError::Oversized { .. } => "bundle-error-too-large",
            _ => "bundle-error-not-bundle",
        })
    })?;
    drop(bytes);
    let bundle = Bundle {
        manifest: read.manifest_bytes,
        signature: read.signature,
        files: read.files,
    };
    let pins = crate::catalogue::build_pins();
    let mut progress = |_| {};
    match import::import_bundle(&*store, &Browser, &Browser, &pins, bundle, &mut progress).await {
        Ok(outcome) => Ok(done(&outcome, lang)),
        Err(e) => {
            leptos::logging::warn!("bundle refused: {e}");
            Err(say(e.message_key()))
        }
    }
}

/// The line that says which regions the file brought into use, and the
/// note about regions left as they were.
fn done(outcome: &ImportOutcome, lang: Lang) -> String {
    let names = |ids: &[String]| {
        ids.iter()
            .map(|id| {
                outcome
                    .manifest
                    .regions
                    .iter()
                    .find(|r| &r.id == id)
                    .map_or_else(|| id.clone(), |r| localized(&r.name, lang).0)
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut in_use = outcome.applied.clone();
    in_use.extend(outcome.unchanged.iter().cloned());
    let mut line = i18n::t_args(
        lang,
        "bundle-done",
        &[("regions", Arg::Str(&names(&in_use)))],
    );
    if let Some(note) = outcome.note_key() {
        line.push(' ');
        line.push_str(&i18n::t(lang, note));
    }
    line
}
