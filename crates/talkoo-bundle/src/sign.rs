//! Ed25519 signatures over the exact bytes of `manifest.json`, kept in the detached `manifest.json.sig`, and the publisher's key files.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use ed25519_dalek::Signer as _;
use serde::{Deserialize, Serialize};

// The signature file's name and types are the core's, which the app's
// pinning reads, so the tool that writes the file and the app that reads it
// share one definition.
pub use talkoo_core::pinning::{KeyId, Signature, SignatureFile, SIGNATURE_FILE};

/// The only algorithm this version writes and accepts.
pub const ALGORITHM: &str = "Ed25519";

/// Why a manifest's signature is not accepted; each is a plain message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// There is no signature file, or it holds no signature.
    #[error("the feed is not signed")]
    Unsigned,
    /// The signature file is not in the documented shape.
    #[error("the feed's signature file cannot be read: {0}")]
    Malformed(String),
    /// Every signature is by a key this device does not trust.
    #[error("the feed is signed by a key this device does not trust ({0})")]
    UnknownKey(String),
    /// A trusted key's signature does not match the manifest's bytes.
    #[error("the feed's signature does not match its contents (key {0})")]
    BadSignature(KeyId),
}

/// Why a key or key file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// The text is not a key of the documented shape.
    #[error("not an Ed25519 key: {0}")]
    Malformed(String),
}

/// A publisher's public key, as pinned by the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey(ed25519_dalek::VerifyingKey);

impl PublicKey {
    /// Reads a key id (base64url of the 32 key bytes).
    pub fn parse(id: &str) -> Result<Self, KeyError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(id.trim())
            .map_err(|e| KeyError::Malformed(e.to_string()))?;
        let bytes: [u8; 32] = bytes
            .try_into()
            .map_err(|_| KeyError::Malformed("an Ed25519 public key has 32 bytes".to_owned()))?;
        ed25519_dalek::VerifyingKey::from_bytes(&bytes)
            .map(Self)
            .map_err(|e| KeyError::Malformed(e.to_string()))
    }

    /// The key's id, as written in signature files and pinned lists.
    pub fn id(&self) -> KeyId {
        URL_SAFE_NO_PAD.encode(self.0.as_bytes())
    }
}

/// A publisher's private key. Its `Debug` never shows the key.
pub struct SigningKey(ed25519_dalek::SigningKey);

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SigningKey({})", self.public().id())
    }
}

/// The key file: JSON so that it says what it is, with the public key
/// beside the private one so a person can tell key files apart.
#[derive(Serialize, Deserialize)]
struct KeyFile {
    algorithm: String,
    public_key: String,
    private_key: String,
}

impl SigningKey {
    /// The matching public key.
    pub fn public(&self) -> PublicKey {
        PublicKey(self.0.verifying_key())
    }

    /// Reads a key file written by [`SigningKey::to_file`], refusing one
    /// whose public key does not match its private key.
    pub fn from_file(text: &str) -> Result<Self, KeyError> {
        let file: KeyFile =
            serde_json::from_str(text).map_err(|e| KeyError::Malformed(e.to_string()))?;
        if file.algorithm != ALGORITHM {
            return Err(KeyError::Malformed(format!(
                "algorithm {:?}, expected {ALGORITHM}",
                file.algorithm
            )));
        }
        let seed = URL_SAFE_NO_PAD
            .decode(file.private_key.trim())
            .map_err(|e| KeyError::Malformed(e.to_string()))?;
        let seed: [u8; 32] = seed
            .try_into()
            .map_err(|_| KeyError::Malformed("an Ed25519 private key has 32 bytes".to_owned()))?;
        let key = Self(ed25519_dalek::SigningKey::from_bytes(&seed));
        if key.public().id() != file.public_key.trim() {
            return Err(KeyError::Malformed(
                "the public key does not belong to the private key".to_owned(),
            ));
        }
        Ok(key)
    }

    /// The key file's text.
    pub fn to_file(&self) -> String {
        let file = KeyFile {
            algorithm: ALGORITHM.to_owned(),
            public_key: self.public().id(),
            private_key: URL_SAFE_NO_PAD.encode(self.0.to_bytes()),
        };
        let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// A new key from 32 random bytes, which the caller draws from the
/// operating system (the core takes randomness as input).
pub fn keygen(seed: [u8; 32]) -> SigningKey {
    SigningKey(ed25519_dalek::SigningKey::from_bytes(&seed))
}

/// The signature file's text for `manifest`, signed by every key given.
/// Ed25519 signatures are deterministic, so signing the same manifest
/// again writes the same file.
pub fn sign_manifest(manifest: &[u8], keys: &[&SigningKey]) -> String {
    let file = SignatureFile {
        signatures: keys
            .iter()
            .map(|key| Signature {
                algorithm: ALGORITHM.to_owned(),
                key: key.public().id(),
                signature: URL_SAFE_NO_PAD.encode(key.0.sign(manifest).to_bytes()),
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
    text.push('\n');
    text
}

/// Accepts `manifest` when a signature in `signature_file` is by a pinned
/// key and matches its exact bytes, and says which key it was.
///
/// Signatures by keys that are not pinned, or in algorithms this version
/// does not know, are passed over, so a publisher may add signatures for
/// newer clients. A pinned key whose signature does not match is a
/// [`SignatureError::BadSignature`] even when another signature is by an
/// unknown key: that is the sign of a changed manifest.
pub fn verify_manifest_signature(
    manifest: &[u8],
    signature_file: Option<&[u8]>,
    pinned: &[PublicKey],
) -> Result<KeyId, SignatureError> {
    let Some(bytes) = signature_file else {
        return Err(SignatureError::Unsigned);
    };
    let file: SignatureFile =
        serde_json::from_slice(bytes).map_err(|e| SignatureError::Malformed(e.to_string()))?;
    if file.signatures.is_empty() {
        return Err(SignatureError::Unsigned);
    }
    let mut bad = None;
    let mut unknown = Vec::new();
    for sig in &file.signatures {
        if sig.algorithm != ALGORITHM {
            unknown.push(format!("{} {}", sig.algorithm, sig.key));
            continue;
        }
        let Some(key) = pinned.iter().find(|k| k.id() == sig.key) else {
            unknown.push(sig.key.clone());
            continue;
        };
        let raw = URL_SAFE_NO_PAD
            .decode(&sig.signature)
            .map_err(|e| SignatureError::Malformed(e.to_string()))?;
        let raw: [u8; 64] = raw.try_into().map_err(|_| {
            SignatureError::Malformed("an Ed25519 signature has 64 bytes".to_owned())
        })?;
        let signature = ed25519_dalek::Signature::from_bytes(&raw);
        if key.0.verify_strict(manifest, &signature).is_ok() {
            return Ok(key.id());
        }
        bad = Some(key.id());
    }
    match bad {
        Some(key) => Err(SignatureError::BadSignature(key)),
        None => Err(SignatureError::UnknownKey(unknown.join(", "))),
    }
}
