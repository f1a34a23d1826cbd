//! `talkoo-feed keygen`, `sign` and `bundle`: the publisher's key file, the manifest's signature next to it, and a `.talkoo` bundle of chosen regions, all through `talkoo_bundle` so the app reads what this writes.

use std::fs;
use std::io::Write;
use std::path::Path;

use talkoo_bundle::{SigningKey, SIGNATURE_FILE};
use talkoo_core::feed::{self, Manifest};

use crate::{sha256_hex, ToolError};

fn io(path: &Path, e: impl std::fmt::Display) -> ToolError {
    ToolError::Io(format!("{}: {e}", path.display()))
}

/// Writes a new key file readable by its owner only and returns the
/// public key's id. An existing file is never overwritten: losing a
/// publisher key strands every client that pinned it.
pub fn keygen(path: &Path, seed: [u8; 32]) -> Result<String, ToolError> {
    let key = talkoo_bundle::keygen(seed);
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| io(path, e))?;
    file.write_all(key.to_file().as_bytes())
        .map_err(|e| io(path, e))?;
    Ok(key.public().id())
}

/// Reads a key file written by [`keygen`].
pub fn read_key(path: &Path) -> Result<SigningKey, ToolError> {
    let text = fs::read_to_string(path).map_err(|e| io(path, e))?;
    SigningKey::from_file(&text).map_err(|e| io(path, e))
}

/// Refuses to sign with keys of which none is among `announced`, the
/// manifest's `signing_keys`: every client that pinned those keys would
/// refuse the feed. A feed that announces no keys may be signed by any.
pub fn check_announced(announced: &[String], keys: &[SigningKey]) -> Result<(), ToolError> {
    let ids: Vec<String> = keys.iter().map(|k| k.public().id()).collect();
    if announced.is_empty() || ids.iter().any(|id| announced.contains(id)) {
        return Ok(());
    }
    Err(ToolError::Feed(format!(
        "none of the keys {ids:?} is among the manifest's signing_keys {announced:?} (feed.json)"
    )))
}

/// Signs `feed/manifest.json` with every key given, writing
/// `manifest.json.sig` only when it changes.
pub fn sign(feed_dir: &Path, keys: &[SigningKey]) -> Result<(), ToolError> {
    let path = feed_dir.join("manifest.json");
    let bytes = fs::read(&path).map_err(|e| io(&path, e))?;
    let manifest: Manifest =
        feed::parse("manifest.json", &bytes).map_err(|e| ToolError::Feed(e.to_string()))?;
    check_announced(&manifest.signing_keys, keys)?;
    let refs: Vec<&SigningKey> = keys.iter().collect();
    let text = talkoo_bundle::sign_manifest(&bytes, &refs);
    let sig = feed_dir.join(SIGNATURE_FILE);
    if fs::read(&sig).ok().as_deref() != Some(text.as_bytes()) {
        fs::write(&sig, text).map_err(|e| io(&sig, e))?;
    }
    Ok(())
}

/// Refuses a feed that announces signing keys but is not signed by one of
/// them, since the app would refuse a bundle of it; the signature stays
/// as it is in the bundle, and the app checks it again against its own
/// pinned keys.
fn check_signed(
    manifest: &Manifest,
    bytes: &[u8],
    signature: Option<&[u8]>,
) -> Result<(), ToolError> {
    if manifest.signing_keys.is_empty() {
        return Ok(());
    }
    let keys = manifest
        .signing_keys
        .iter()
        .map(|id| talkoo_bundle::PublicKey::parse(id))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ToolError::Feed(format!("manifest.json: signing_keys: {e}")))?;
    talkoo_bundle::verify_manifest_signature(bytes, signature, &keys)
        .map(|_| ())
        .map_err(|e| ToolError::Feed(format!("{e}: run `talkoo-feed sign` first")))
}

/// What `bundle` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleReport {
    /// Files in the bundle besides the manifest and its signature.
    pub files: usize,
    /// Their bytes before compression, with the manifest and signature.
    pub raw_bytes: u64,
    /// The bundle's size.
    pub bundle_bytes: u64,
    /// Whether the feed was signed.
    pub signed: bool,
}

/// Writes a bundle of the feed in `feed_dir` holding the data files of
/// `regions`, each checked against the manifest's size and hash first so
/// a damaged feed is not passed on. Delta files stay out: an import
/// replaces a region with its data files, so a delta would only add bytes
/// (10 to 19 % of a demo region).
pub fn bundle(feed_dir: &Path, regions: &[String], out: &Path) -> Result<BundleReport, ToolError> {
    let path = feed_dir.join("manifest.json");
    let manifest_bytes = fs::read(&path).map_err(|e| io(&path, e))?;
    let manifest: Manifest = feed::parse("manifest.json", &manifest_bytes)
        .map_err(|e| ToolError::Feed(e.to_string()))?;
    let signature = fs::read(feed_dir.join(SIGNATURE_FILE)).ok();
    check_signed(&manifest, &manifest_bytes, signature.as_deref())?;
    if regions.is_empty() {
        return Err(ToolError::Feed("name at least one --region".to_owned()));
    }
    let mut files = Vec::new();
    let mut chosen: Vec<&String> = regions.iter().collect();
    chosen.sort();
    chosen.dedup();
    for id in chosen {
        let region = manifest
            .regions
            .iter()
            .find(|r| &r.id == id)
            .ok_or_else(|| {
                let known: Vec<&str> = manifest.regions.iter().map(|r| r.id.as_str()).collect();
                ToolError::Feed(format!("no region {id:?} in the feed (it has {known:?})"))
            })?;
        let listed = region.files.iter().map(|f| (&f.path, &f.sha256, f.bytes));
        for (name, sha, size) in listed {
            let file = feed_dir.join(name);
            let bytes = fs::read(&file).map_err(|e| io(&file, e))?;
            feed::verify(name, &bytes, &sha256_hex(&bytes), sha, size)
                .map_err(|e| ToolError::Feed(e.to_string()))?;
            files.push((name.clone(), bytes));
        }
    }
    let written = talkoo_bundle::write_bundle(&manifest_bytes, signature.as_deref(), &files)
        .map_err(|e| ToolError::Feed(e.to_string()))?;
    fs::write(out, &written).map_err(|e| io(out, e))?;
    Ok(BundleReport {
        files: files.len(),
        raw_bytes: (manifest_bytes.len() + signature.as_ref().map_or(0, Vec::len)) as u64
            + files.iter().map(|(_, b)| b.len() as u64).sum::<u64>(),
        bundle_bytes: written.len() as u64,
        signed: signature.is_some(),
    })
}
