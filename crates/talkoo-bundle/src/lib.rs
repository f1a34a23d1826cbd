//! Signed feeds and feed bundles (docs/feed.md, "Signed feeds" and "Bundles"): the one place that writes and reads both formats, so the feed tool and the app cannot drift apart.
//!
//! A crate of its own rather than a feature of `talkoo-core`: it links
//! Ed25519, inflate and a tar reader, which the first-load shell must not
//! carry, and a crate keeps them out however cargo unifies features.

pub mod bundle;
pub mod sign;

pub use bundle::{
    read_bundle, read_bundle_capped, verify_files, write_bundle, Bundle, BundleError, MAX_INFLATED,
};
pub use sign::{
    keygen, sign_manifest, verify_manifest_signature, KeyError, KeyId, PublicKey, SignatureError,
    SignatureFile, SigningKey, ALGORITHM, SIGNATURE_FILE,
};
