//! The inbox's secret key, kept in a file beside the database, and the keyed hash under which join codes are stored.
//!
//! The database keeps HMAC-SHA256(key, normalised code) instead of the
//! code, so a leaked or carelessly shared copy of the database does not let
//! anyone send hours as a volunteer: without the key, the stored hashes can
//! neither be reversed nor computed for guessed codes. That only holds while
//! the key lives elsewhere, so it is a file of its own (by default the
//! database's name plus `.key`), readable by its owner only, and the
//! database holds just a check value that tells whether a key file belongs
//! to it.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::InboxError;

/// Bytes in a key.
pub const KEY_BYTES: usize = 32;

/// What the check value stored in the database is the hash of. No code can
/// be this text (codes are twelve symbols without spaces), so the check
/// value is never the hash of a code.
const CHECK_MESSAGE: &[u8] = b"talkoo-inbox key check";

/// The secret key. Its `Debug` does not show the bytes, so the key cannot
/// end up in a log through a `{:?}`.
#[derive(Clone, PartialEq, Eq)]
pub struct Key([u8; KEY_BYTES]);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(..)")
    }
}

impl Key {
    /// A key from its bytes (tests make fixed ones).
    pub fn from_bytes(bytes: [u8; KEY_BYTES]) -> Key {
        Key(bytes)
    }

    /// A new key from the system's random source.
    pub fn generate() -> Result<Key, InboxError> {
        let mut bytes = [0u8; KEY_BYTES];
        random_bytes(&mut bytes)?;
        Ok(Key(bytes))
    }

    /// The stored form of a normalised code: HMAC-SHA256 in lower-case hex.
    pub fn hash(&self, normalised_code: &str) -> String {
        self.mac(normalised_code.as_bytes())
    }

    /// The value the database keeps to recognise this key.
    pub fn check_value(&self) -> String {
        self.mac(CHECK_MESSAGE)
    }

    fn mac(&self, message: &[u8]) -> String {
        // HMAC accepts keys of any length, so this cannot fail.
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.0).expect("HMAC takes keys of any length");
        mac.update(message);
        hex(&mac.finalize().into_bytes())
    }

    /// Reads the key file at `path`, which must hold exactly the key's bytes.
    /// `Ok(None)` when there is no such file.
    pub fn load(path: &Path) -> Result<Option<Key>, InboxError> {
        let error = |source| InboxError::KeyFile {
            path: path.to_owned(),
            source,
        };
        let mut file = match File::open(path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(error(e)),
        };
        // One byte more than a key is read, to tell a long file from a key.
        let mut bytes = Vec::with_capacity(KEY_BYTES + 1);
        (&mut file)
            .take(KEY_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(error)?;
        let bytes: [u8; KEY_BYTES] = bytes.try_into().map_err(|_| InboxError::KeyBroken {
            path: path.to_owned(),
        })?;
        Ok(Some(Key(bytes)))
    }

    /// Writes a new key file at `path`, readable and writable by its owner
    /// only, unless one is already there: then that one is returned. The
    /// key is written to a temporary file first and linked into place, so
    /// no process ever sees a half-written key file, and of two processes
    /// creating one at once, both end up with the same key.
    pub fn create(path: &Path) -> Result<Key, InboxError> {
        let error = |source| InboxError::KeyFile {
            path: path.to_owned(),
            source,
        };
        let key = Key::generate()?;
        let temporary = temporary_path(path)?;
        let written = write_private(&temporary, &key.0);
        let linked = written.and_then(|()| std::fs::hard_link(&temporary, path));
        let _ = std::fs::remove_file(&temporary);
        match linked {
            Ok(()) => {
                sync_folder(path).map_err(error)?;
                Ok(key)
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                Key::load(path)?.ok_or_else(|| error(e))
            }
            Err(e) => Err(error(e)),
        }
    }
}

/// Where the key file of the database at `db` is by default: the same name
/// with `.key` added, e.g. `inbox.sqlite.key`.
pub fn default_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".key");
    PathBuf::from(name)
}

/// A name beside `path` for writing a new key before linking it into place.
fn temporary_path(path: &Path) -> Result<PathBuf, InboxError> {
    let mut suffix = [0u8; 8];
    random_bytes(&mut suffix)?;
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".new-{}", hex(&suffix)));
    Ok(PathBuf::from(name))
}

/// Creates `path` (which must not exist) with owner-only permissions and
/// `bytes` in it, and waits until they are on disk: a key lost in a power
/// cut would make every code issued with it useless.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Makes a new name in the folder of `path` durable.
fn sync_folder(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        let folder = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        File::open(folder)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Fills `bytes` from the system's random source.
pub fn random_bytes(bytes: &mut [u8]) -> Result<(), InboxError> {
    getrandom::fill(bytes).map_err(|e| InboxError::Random(e.into()))
}

/// Lower-case hexadecimal, two digits a byte.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (key byte, message, HMAC-SHA256 in hex): RFC 4231's test case 2
    /// checks the construction itself; the rest pin the stored form.
    fn check(key: &[u8], message: &[u8], expected: &str) {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("key");
        mac.update(message);
        assert_eq!(hex(&mac.finalize().into_bytes()), expected);
    }

    #[test]
    fn hmac_sha256_is_the_standard_one() {
        check(
            b"Jefe",
            b"what do ya want for nothing?",
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        );
    }

    #[test]
    fn codes_hash_differently_under_different_keys() {
        let (a, b) = (Key::from_bytes([1; 32]), Key::from_bytes([2; 32]));
        assert_eq!(a.hash("K7QM4XPD92HT"), a.hash("K7QM4XPD92HT"));
        assert_ne!(a.hash("K7QM4XPD92HT"), b.hash("K7QM4XPD92HT"));
        assert_ne!(a.hash("K7QM4XPD92HT"), a.hash("K7QM4XPD92HU"));
        assert_eq!(a.hash("K7QM4XPD92HT").len(), 64);
        assert_ne!(a.check_value(), b.check_value());
        assert_eq!(format!("{a:?}"), "Key(..)");
    }

    #[test]
    fn key_files_are_made_once_private_and_read_back() {
        let dir = std::env::temp_dir().join(format!("talkoo-inbox-key-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("folder");
        let path = default_path(&dir.join("inbox.sqlite"));
        assert_eq!(path, dir.join("inbox.sqlite.key"));
        assert_eq!(Key::load(&path).expect("no file is not an error"), None);
        let made = Key::create(&path).expect("create");
        assert_eq!(Key::load(&path).expect("load"), Some(made.clone()));
        // A second creation finds the first key rather than replacing it.
        assert_eq!(Key::create(&path).expect("again"), made);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path)
                .expect("metadata")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(
            std::fs::read_dir(&dir).expect("list").count(),
            1,
            "no temporary file is left"
        );
        for length in [0, 31, 33] {
            std::fs::write(&path, vec![7u8; length]).expect("write");
            assert!(
                matches!(Key::load(&path), Err(InboxError::KeyBroken { .. })),
                "{length} bytes"
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
