//! The `.talkoo` bundle: a gzip-compressed tar file of `manifest.json`, its signature and the data and delta files of some regions, under their feed paths, read with every size capped before inflating.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};

use sha2::{Digest, Sha256};
use talkoo_core::feed::{self, FeedError, Manifest};

use crate::sign::SIGNATURE_FILE;

/// The most a bundle may inflate to, in bytes: far above the largest feed
/// measured (a 2,000-card region is 4.3 MB) and small enough for a phone.
pub const MAX_INFLATED: u64 = 256 * 1024 * 1024;

/// The largest `manifest.json` read.
const MAX_MANIFEST: u64 = 16 * 1024 * 1024;

/// The largest signature file read.
const MAX_SIGNATURE: u64 = 64 * 1024;

/// Why a file is not a usable bundle; each is a plain message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BundleError {
    /// Not gzip, not tar, or cut short.
    #[error("the file is not a Talkoo bundle or is damaged: {0}")]
    Damaged(String),
    /// The first file is not `manifest.json`.
    #[error("the bundle does not start with manifest.json")]
    NoManifest,
    /// `manifest.json` cannot be read.
    #[error("the bundle's manifest cannot be read: {0}")]
    Manifest(FeedError),
    /// A name that leaves the feed's folder or is not a plain path.
    #[error("the bundle has a file with an unsafe name: {0:?}")]
    UnsafeName(String),
    /// An entry that is not a plain file (a link, a folder, a device).
    #[error("the bundle has something that is not a plain file: {0:?}")]
    NotAFile(String),
    /// The same name twice.
    #[error("the bundle has {0:?} twice")]
    Duplicate(String),
    /// A file the manifest does not list.
    #[error("the bundle has a file its manifest does not list: {0:?}")]
    NotInManifest(String),
    /// A file larger than the manifest says, or a bundle that inflates
    /// beyond [`MAX_INFLATED`].
    #[error("the bundle's {name:?} is larger than {limit} bytes")]
    Oversized {
        /// The file, or `bundle` for the whole.
        name: String,
        /// The limit it passed.
        limit: u64,
    },
}

/// A bundle's contents, as they were written; nothing is verified yet
/// except that every data file is one the manifest names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundle {
    /// The exact bytes of `manifest.json`, for the signature check.
    pub manifest_bytes: Vec<u8>,
    /// The parsed manifest.
    pub manifest: Manifest,
    /// `manifest.json.sig`, if the bundle has one.
    pub signature: Option<Vec<u8>>,
    /// Data and delta files by their feed path.
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Bundle {
    /// The regions whose every data file the bundle holds, which are the
    /// ones an import can apply in full.
    pub fn complete_regions(&self) -> Vec<&str> {
        // The app's import decides with the same function, so the tool and
        // the app agree on which regions a bundle carries.
        talkoo_core::import::complete_regions(&self.manifest, |path| self.files.contains_key(path))
    }
}

/// Writes a bundle. The tar headers carry no time, owner or mode of the
/// publisher's machine, so the same feed gives the same bytes.
pub fn write_bundle(
    manifest: &[u8],
    signature: Option<&[u8]>,
    files: &[(String, Vec<u8>)],
) -> Result<Vec<u8>, BundleError> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let mut tar = tar::Builder::new(gz);
    let entries = std::iter::once(("manifest.json", manifest))
        .chain(signature.map(|s| (SIGNATURE_FILE, s)))
        .chain(
            files
                .iter()
                .map(|(name, bytes)| (name.as_str(), &bytes[..])),
        );
    for (name, bytes) in entries {
        let mut header = tar::Header::new_ustar();
        header.set_entry_type(tar::EntryType::Regular);
        header.set_mode(0o644);
        header.set_mtime(0);
        header.set_uid(0);
        header.set_gid(0);
        header.set_size(bytes.len() as u64);
        tar.append_data(&mut header, name, bytes)
            .map_err(|e| BundleError::UnsafeName(format!("{name}: {e}")))?;
    }
    let damaged = |e: std::io::Error| BundleError::Damaged(e.to_string());
    let mut gz = tar.into_inner().map_err(damaged)?;
    gz.flush().map_err(damaged)?;
    gz.finish().map_err(damaged)
}

/// A path of the feed: segments of letters, digits and `-_.`, none empty,
/// `.` or `..`, so it cannot leave the feed's folder on any system.
fn is_safe_name(name: &str) -> bool {
    !name.is_empty()
        && name.split('/').all(|seg| {
            !seg.is_empty()
                && seg != "."
                && seg != ".."
                && seg
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        })
}

/// Reads a bundle, refusing unsafe or repeated names, files the manifest
/// does not list, and any file larger than the manifest declares (so a
/// small file cannot inflate into a large one). It does not check hashes
/// or the signature: [`verify_files`] and
/// [`crate::verify_manifest_signature`] do.
pub fn read_bundle(bytes: &[u8]) -> Result<Bundle, BundleError> {
    read_bundle_capped(bytes, MAX_INFLATED)
}

/// Counts what the tar reader takes from the inflater, in a cell the
/// caller keeps, since the tar reader holds the reader until it is done.
struct Counted<'a, R> {
    inner: R,
    read: &'a std::cell::Cell<u64>,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.set(self.read.get() + n as u64);
        Ok(n)
    }
}

/// [`read_bundle`] with the cap on the inflated size passed in: the app
/// reads bundles with a lower cap than the tool (a phone's memory), and
/// the cap is tested without inflating 256 MiB.
pub fn read_bundle_capped(bytes: &[u8], max_inflated: u64) -> Result<Bundle, BundleError> {
    let read = std::cell::Cell::new(0);
    // One byte past the cap is let through, so that passing it is seen as
    // "too large" rather than as a bundle cut short, or as one that ends
    // at an entry's boundary (the tar reader stops quietly there).
    let inflated = Counted {
        inner: flate2::read::GzDecoder::new(bytes).take(max_inflated.saturating_add(1)),
        read: &read,
    };
    let result = read_entries(tar::Archive::new(inflated));
    if read.get() > max_inflated {
        return Err(BundleError::Oversized {
            name: "bundle".to_owned(),
            limit: max_inflated,
        });
    }
    result
}

/// The entries of an opened bundle, checked as [`read_bundle`] says.
fn read_entries(mut archive: tar::Archive<impl Read>) -> Result<Bundle, BundleError> {
    let damaged = |e: std::io::Error| BundleError::Damaged(e.to_string());
    let mut manifest: Option<(Vec<u8>, Manifest, BTreeMap<String, u64>)> = None;
    let mut signature = None;
    let mut files = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for entry in archive.entries().map_err(damaged)? {
        let mut entry = entry.map_err(damaged)?;
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        if !is_safe_name(&name) {
            return Err(BundleError::UnsafeName(name));
        }
        if entry.header().entry_type() != tar::EntryType::Regular {
            return Err(BundleError::NotAFile(name));
        }
        if !seen.insert(name.clone()) {
            return Err(BundleError::Duplicate(name));
        }
        let limit = match (&manifest, name.as_str()) {
            (None, "manifest.json") => MAX_MANIFEST,
            (None, _) => return Err(BundleError::NoManifest),
            (Some(_), SIGNATURE_FILE) => MAX_SIGNATURE,
            (Some((_, _, listed)), _) => *listed
                .get(&name)
                .ok_or_else(|| BundleError::NotInManifest(name.clone()))?,
        };
        let content = read_capped(&mut entry, &name, limit)?;
        match name.as_str() {
            "manifest.json" => {
                let parsed: Manifest =
                    feed::parse("manifest.json", &content).map_err(BundleError::Manifest)?;
                let listed = parsed
                    .regions
                    .iter()
                    .flat_map(|r| {
                        r.files
                            .iter()
                            .map(|f| (f.path.clone(), f.bytes))
                            .chain(r.deltas.iter().map(|d| (d.path.clone(), d.bytes)))
                    })
                    .collect();
                manifest = Some((content, parsed, listed));
            }
            SIGNATURE_FILE => signature = Some(content),
            _ => {
                files.insert(name, content);
            }
        }
    }
    let (manifest_bytes, manifest, _) = manifest.ok_or(BundleError::NoManifest)?;
    Ok(Bundle {
        manifest_bytes,
        manifest,
        signature,
        files,
    })
}

/// Reads one entry, refusing it when its header or its content passes
/// `limit`. A header may lie about the size; the read is capped anyway.
fn read_capped(entry: &mut impl Read, name: &str, limit: u64) -> Result<Vec<u8>, BundleError> {
    let oversized = || BundleError::Oversized {
        name: name.to_owned(),
        limit,
    };
    let mut content = Vec::new();
    entry
        .take(limit.saturating_add(1))
        .read_to_end(&mut content)
        .map_err(|e| BundleError::Damaged(e.to_string()))?;
    if content.len() as u64 > limit {
        return Err(oversized());
    }
    Ok(content)
}

/// Checks every file of the bundle against the manifest's size and
/// SHA-256 with the same check a network sync uses
/// (`talkoo_core::feed::verify`), returning every problem.
pub fn verify_files(bundle: &Bundle) -> Vec<FeedError> {
    let declared = bundle.manifest.regions.iter().flat_map(|r| {
        r.files
            .iter()
            .map(|f| (&f.path, &f.sha256, f.bytes))
            .chain(r.deltas.iter().map(|d| (&d.path, &d.sha256, d.bytes)))
    });
    declared
        .filter_map(|(path, sha, size)| {
            let bytes = bundle.files.get(path)?;
            let found: String = Sha256::digest(bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            feed::verify(path, bytes, &found, sha, size).err()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A bundle that inflates past the cap is refused as a whole, whether
    /// the cap falls inside an entry or at an entry's boundary.
    #[test]
    fn a_bundle_that_inflates_past_the_cap_is_refused() {
        let manifest = br#"{"schema_version": "1.1", "generated": "2026-11-20T00:00:00Z",
            "publisher": {"name": {"fi": "x"}}, "regions": []}"#;
        let bytes = write_bundle(manifest, Some(b"{}"), &[]).expect("write");
        let whole = read_bundle(&bytes).expect("read");
        assert_eq!(whole.manifest_bytes, manifest);
        // The manifest and the signature take a 512-byte header and one
        // 512-byte block each, so any cap below 2,048 bytes cuts them off,
        // whether it falls inside an entry or at an entry's boundary.
        let mut tar = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut tar)
            .expect("inflate");
        assert!(read_bundle_capped(&bytes, tar.len() as u64).is_ok());
        for cap in [2047, 1536, 1024, 600, 512, 0] {
            assert_eq!(
                read_bundle_capped(&bytes, cap),
                Err(BundleError::Oversized {
                    name: "bundle".to_owned(),
                    limit: cap
                }),
                "cap {cap}"
            );
        }
    }
}
