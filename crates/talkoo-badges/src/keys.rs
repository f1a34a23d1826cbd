//! Public keys for verification: did:key decoded offline, JWKs (Ed25519 and RSA), and finding the key a proof or JWT names among the user's trusted issuers.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::VerifyingKey;
use rsa::BoxedUint;
use serde_json::{json, Value};
use talkoo_core::wallet::TrustedIssuer;

/// The multicodec prefix of an Ed25519 public key (0xed as a varint).
const ED25519_PUB: [u8; 2] = [0xed, 0x01];

/// A public key that can check a signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublicKey {
    /// Ed25519 (JWT `EdDSA`, Data Integrity).
    Ed25519(VerifyingKey),
    /// RSA (JWT `RS256`).
    Rsa(rsa::PublicKey),
}

/// Where a key was found, which decides what the issuer check can say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeySource {
    /// Decoded from a did:key (integrity only: anyone can make one).
    DidKey,
    /// Embedded in the JWT header (integrity only).
    HeaderJwk,
    /// One of a trusted issuer's keys: the index in the request's list.
    Trusted(usize),
}

/// Why no key could be had for a verification method.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum KeyError {
    /// A did:key that is not a well-formed Ed25519 did:key.
    #[error("malformed did:key {0}")]
    BadDidKey(String),
    /// A JWK this verifier cannot use.
    #[error("unsupported or malformed key: {0}")]
    BadJwk(String),
    /// The key is published online only (did:web, an https address) and
    /// none of the trusted issuers has it.
    #[error("key {0} is not available offline")]
    NotFound(String),
    /// A key id that no verifier could resolve, online or not: no scheme,
    /// an unknown scheme or DID method.
    #[error("key {0} cannot be resolved")]
    Unresolvable(String),
}

/// The Ed25519 key of a `did:key:z6Mk…` (with or without a `#fragment`).
pub fn did_key(did: &str) -> Result<VerifyingKey, KeyError> {
    let bad = || KeyError::BadDidKey(did.to_owned());
    let id = did.split('#').next().unwrap_or(did);
    let encoded = id.strip_prefix("did:key:z").ok_or_else(bad)?;
    let bytes = bs58::decode(encoded).into_vec().map_err(|_| bad())?;
    let raw = bytes.strip_prefix(&ED25519_PUB[..]).ok_or_else(bad)?;
    let raw: [u8; 32] = raw.try_into().map_err(|_| bad())?;
    VerifyingKey::from_bytes(&raw).map_err(|_| bad())
}

/// The did:key of an Ed25519 public key, without a fragment.
pub fn to_did_key(key: &VerifyingKey) -> String {
    let mut bytes = ED25519_PUB.to_vec();
    bytes.extend_from_slice(key.as_bytes());
    format!("did:key:z{}", bs58::encode(bytes).into_string())
}

/// The verification method id a did:key names its own key by
/// (`did:key:z…#z…`).
pub fn did_key_method(key: &VerifyingKey) -> String {
    let did = to_did_key(key);
    let fragment = did.trim_start_matches("did:key:");
    format!("{did}#{fragment}")
}

/// The public JWK (`OKP`, `Ed25519`) of an Ed25519 key.
pub fn ed25519_jwk(key: &VerifyingKey) -> Value {
    json!({"kty": "OKP", "crv": "Ed25519", "x": URL_SAFE_NO_PAD.encode(key.as_bytes())})
}

/// The key of a JWK: `OKP`/`Ed25519` with `x`, or `RSA` with `n` and `e`.
pub fn from_jwk(jwk: &Value) -> Result<PublicKey, KeyError> {
    let field = |name: &str| -> Result<Vec<u8>, KeyError> {
        let text = jwk
            .get(name)
            .and_then(Value::as_str)
            .ok_or_else(|| KeyError::BadJwk(format!("no {name}")))?;
        URL_SAFE_NO_PAD
            .decode(text.trim_end_matches('='))
            .map_err(|_| KeyError::BadJwk(format!("{name} is not base64url")))
    };
    match jwk.get("kty").and_then(Value::as_str) {
        Some("OKP") if jwk.get("crv").and_then(Value::as_str) == Some("Ed25519") => {
            let raw: [u8; 32] = field("x")?
                .try_into()
                .map_err(|_| KeyError::BadJwk("x is not 32 bytes".into()))?;
            VerifyingKey::from_bytes(&raw)
                .map(PublicKey::Ed25519)
                .map_err(|_| KeyError::BadJwk("x is not an Ed25519 point".into()))
        }
        Some("RSA") => {
            let n = BoxedUint::from_be_slice_vartime(&field("n")?);
            let e = BoxedUint::from_be_slice_vartime(&field("e")?);
            rsa::PublicKey::new(n, e)
                .map(PublicKey::Rsa)
                .map_err(|e| KeyError::BadJwk(format!("RSA: {e}")))
        }
        other => Err(KeyError::BadJwk(format!("kty {other:?}"))),
    }
}

/// Whether two key ids name the same key: equal, or one is the other's
/// issuer-relative fragment (`#key-1` against `https://x/issuer#key-1`).
fn same_id(a: &str, b: &str) -> bool {
    a == b || (a.starts_with('#') && b.ends_with(a)) || (b.starts_with('#') && a.ends_with(b))
}

/// The key that `method` (a verification method or `kid`) names: a did:key
/// is decoded offline; anything else must be one of the trusted issuers'
/// keys. `issuer` narrows a bare fragment (`#key-1`) to that issuer's keys.
pub fn lookup(
    method: &str,
    issuer: Option<&str>,
    trusted: &[TrustedIssuer],
) -> Result<(PublicKey, KeySource), KeyError> {
    if method.starts_with("did:key:") {
        return did_key(method).map(|k| (PublicKey::Ed25519(k), KeySource::DidKey));
    }
    if let Some(encoded) = method.strip_prefix("did:jwk:") {
        // A did:jwk is its key, base64url-encoded: integrity only, like did:key.
        let encoded = encoded.split('#').next().unwrap_or(encoded);
        let jwk: Value = URL_SAFE_NO_PAD
            .decode(encoded)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or_else(|| KeyError::BadJwk(method.to_owned()))?;
        return from_jwk(&jwk).map(|k| (k, KeySource::DidKey));
    }
    let online = ["did:web:", "https://", "http://", "#"];
    if !online.iter().any(|p| method.starts_with(p)) {
        return Err(KeyError::Unresolvable(method.to_owned()));
    }
    for (i, t) in trusted.iter().enumerate() {
        if method.starts_with('#') && issuer.is_some_and(|id| id != t.id) {
            continue;
        }
        if let Some(key) = t.keys.iter().find(|k| same_id(&k.id, method)) {
            return from_jwk(&key.jwk).map(|k| (k, KeySource::Trusted(i)));
        }
    }
    Err(KeyError::NotFound(method.to_owned()))
}

/// The trusted issuer, if any, that lists `key` among its keys: a key found
/// elsewhere (a did:key, a header JWK) still counts when an issuer has
/// published the same key material.
pub fn trusted_holder(key: &PublicKey, trusted: &[TrustedIssuer]) -> Option<usize> {
    trusted.iter().position(|t| {
        t.keys
            .iter()
            .any(|k| from_jwk(&k.jwk).is_ok_and(|candidate| &candidate == key))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use talkoo_core::lang_map::LangMap;
    use talkoo_core::wallet::TrustedKey;

    // The did:key test vector of the W3C did:key specification
    // (Ed25519 public key 0x2e6f…).
    const SPEC_DID: &str = "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp";

    fn key(seed: u8) -> VerifyingKey {
        ed25519_dalek::SigningKey::from_bytes(&[seed; 32]).verifying_key()
    }

    #[test]
    fn did_key_round_trips_and_refuses_other_codecs() {
        let k = key(7);
        assert_eq!(did_key(&to_did_key(&k)), Ok(k));
        assert_eq!(did_key(&did_key_method(&k)), Ok(k));
        assert!(did_key(SPEC_DID).is_ok());
        // A secp256k1 did:key (multicodec 0xe7) is not Ed25519.
        let secp = "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme";
        for bad in [
            secp,
            "did:key:z",
            "did:key:zzzz",
            "did:web:example.org",
            "did:key:6Mk",
        ] {
            assert!(did_key(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn jwks_give_ed25519_and_rsa_keys() {
        let k = key(3);
        assert_eq!(from_jwk(&ed25519_jwk(&k)), Ok(PublicKey::Ed25519(k)));
        let rsa = json!({"kty": "RSA", "e": "AQAB", "n": "zrSJSmZhF8HkOD_WMMTqxddzbHC1XxdL1JQ-wYW8eidvw7hE-ANmVipFPTjIgjZy5F7IvO_ukoBdPou_BHWlz_iOHh38WcFV5_Bb_lYqIjITSl8vKwSM2ayTK3a-Oc71ixH3a-lXX28hUvsh-0p9PiSdyy5erldGD5d81SKl_9jQgvtBRJDKl_zz18P-VwDBDlnrsMxYMWHz0M0oS6jG29MIoY5OuTlQAxJ2mE1f5ur7pyobWDfriH0KLUv858mFzNby-Q9q7E_05aLWP5a_AqFPwrW-7_y3nypgROqH0o9z1sxzZyOGti8aMZbu-z7dVjqV6RSmojHb3n6g9wh_Ow"});
        assert!(matches!(from_jwk(&rsa), Ok(PublicKey::Rsa(_))));
        for bad in [
            json!({"kty": "EC", "crv": "P-256"}),
            json!({"kty": "OKP", "crv": "X25519", "x": "AAAA"}),
            json!({"kty": "OKP", "crv": "Ed25519", "x": "AAAA"}),
            json!({"kty": "RSA", "e": "AQAB"}),
            json!("text"),
        ] {
            assert!(from_jwk(&bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn lookup_decodes_did_key_and_otherwise_asks_the_trusted_issuers() {
        let k = key(9);
        let trusted = vec![TrustedIssuer {
            id: "https://kajastus.example/issuer".into(),
            name: LangMap::new(),
            region: "lappi".into(),
            keys: vec![TrustedKey {
                id: "https://kajastus.example/issuer#key-1".into(),
                jwk: ed25519_jwk(&k),
            }],
        }];
        let check = |method: &str, issuer: Option<&str>, expected: Result<KeySource, ()>| {
            let got = lookup(method, issuer, &trusted)
                .map(|(_, s)| s)
                .map_err(|_| ());
            assert_eq!(got, expected, "{method}");
        };
        check(&to_did_key(&k), None, Ok(KeySource::DidKey));
        check(
            "https://kajastus.example/issuer#key-1",
            None,
            Ok(KeySource::Trusted(0)),
        );
        check(
            "#key-1",
            Some("https://kajastus.example/issuer"),
            Ok(KeySource::Trusted(0)),
        );
        check("#key-1", Some("https://other.example/"), Err(()));
        check("did:web:example.org#key-1", None, Err(()));
        let jwk = URL_SAFE_NO_PAD.encode(ed25519_jwk(&k).to_string());
        check(&format!("did:jwk:{jwk}#0"), None, Ok(KeySource::DidKey));
        for unresolvable in ["z6Mkrvfzk", "did:example:z6Mk", "xxx:z6Mk", ""] {
            assert_eq!(
                lookup(unresolvable, None, &trusted).map(|(_, s)| s),
                Err(KeyError::Unresolvable(unresolvable.into()))
            );
        }
        assert_eq!(trusted_holder(&PublicKey::Ed25519(k), &trusted), Some(0));
        assert_eq!(trusted_holder(&PublicKey::Ed25519(key(1)), &trusted), None);
    }
}
