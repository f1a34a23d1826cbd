//! Importing a `.talkoo` bundle in the on-demand module: reading the gzip and tar file, and handing its contents to the engine's import, which checks them as a network sync would (docs/feed.md, "Bundles"); and writing one of the stored catalogue to pass it on to another device.
//!
//! The reader (flate2 and tar) is compiled into the badges module only,
//! so the first-load shell carries none of it; the shell lends the file's
//! bytes and waits, with its own syncs held back (`src/catalogue.rs`,
//! `UseImportReturn`), then reads the catalogue again. The module opens
//! the same IndexedDB database as the shell, so what is written here is
//! what the shell reads.

use talkoo_bundle::BundleError;
use talkoo_core::export::NotReady;
use talkoo_core::feed::Manifest;
use talkoo_core::i18n::{self, Arg};
use talkoo_core::Lang;
use talkoo_engine::export;
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

/// A bundle of the stored catalogue, ready to be saved or shared.
#[derive(Debug, Clone)]
pub struct ExportedFile {
    /// The file's name: the regions and the date the data was published.
    pub name: String,
    /// The `.talkoo` file.
    pub bytes: Vec<u8>,
    /// The line that says what it holds and any region left out, and why.
    pub done: String,
}

/// Writes a bundle of every stored region this device keeps whole, as the
/// feed tool would (`talkoo_engine::export`); answers the file, or why
/// there is none, in `lang`. Must run under the module's owner.
pub async fn export_bundle(lang: Lang) -> Result<ExportedFile, String> {
    let say = |key: &str| i18n::t(lang, key);
    let store = use_store().get().ok_or_else(|| say("export-error-store"))?;
    let made = export::export_bundle(&*store).await.map_err(|e| {
        leptos::logging::warn!("cannot pass the catalogue on: {e}");
        say(e.message_key())
    })?;
    if made.ready.is_empty() {
        let mut line = say("export-error-nothing-ready");
        push_left_out(&mut line, &made.not_ready, &made.manifest, lang);
        return Err(line);
    }
    let files: Vec<(String, Vec<u8>)> = made.bundle.files.into_iter().collect();
    let bytes = talkoo_bundle::write_bundle(
        &made.bundle.manifest,
        made.bundle.signature.as_deref(),
        &files,
    )
    .map_err(|e| {
        leptos::logging::warn!("cannot write the bundle: {e}");
        say("export-error-store")
    })?;
    let date = made.manifest.generated.get(..10).unwrap_or_default();
    let name = format!("talkoo-{}-{date}.talkoo", made.ready.join("-"));
    let mut done = i18n::t_args(
        lang,
        "export-done",
        &[(
            "regions",
            Arg::Str(&region_names(&made.manifest, &made.ready, lang)),
        )],
    );
    push_left_out(&mut done, &made.not_ready, &made.manifest, lang);
    Ok(ExportedFile { name, bytes, done })
}

/// Adds to `line` a sentence for each region left out of a bundle.
fn push_left_out(line: &mut String, left: &[(String, NotReady)], manifest: &Manifest, lang: Lang) {
    for (id, why) in left {
        let name = region_names(manifest, std::slice::from_ref(id), lang);
        line.push(' ');
        line.push_str(&i18n::t_args(
            lang,
            why.message_key(),
            &[("region", Arg::Str(&name))],
        ));
    }
}

/// The regions' names in `lang`, as `manifest` gives them (the id where it
/// has none).
fn region_names(manifest: &Manifest, ids: &[String], lang: Lang) -> String {
    ids.iter()
        .map(|id| {
            manifest
                .regions
                .iter()
                .find(|r| &r.id == id)
                .map_or_else(|| id.clone(), |r| localized(&r.name, lang).0)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The line that says which regions the file brought into use, and the
/// note about regions left as they were.
fn done(outcome: &ImportOutcome, lang: Lang) -> String {
    let names = |ids: &[String]| region_names(&outcome.manifest, ids, lang);
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
