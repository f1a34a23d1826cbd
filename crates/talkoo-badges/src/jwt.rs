//! VC-JWT (compact JWS) credentials: parsing, verifying EdDSA and RS256 signatures, checking the registered claims against the credential, and signing with EdDSA for issuers.
//!
//! Only `EdDSA` (Ed25519) and `RS256` are accepted. `alg: none` would let
//! anyone forge a badge, and `HS256` uses a shared secret that a public
//! verifier cannot have (and that, confused with a public key, is the
//! classic JWT forgery), so both are refused, as is every other algorithm.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey};
use serde_json::{json, Map, Value};
use talkoo_core::wallet::TrustedIssuer;

use crate::dates;
use crate::keys::{self, KeyError, KeySource, PublicKey};

/// A compact JWS split into its parts, not yet verified.
#[derive(Clone, Debug, PartialEq)]
pub struct Jwt {
    /// The protected header.
    pub header: Map<String, Value>,
    /// The claims.
    pub payload: Map<String, Value>,
    /// `header.payload` as received: the bytes the signature covers.
    pub signing_input: String,
    /// The signature bytes.
    pub signature: Vec<u8>,
}

/// Why a string is not a JWT.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// Not three base64url parts.
    #[error("not a compact JWS")]
    NotCompact,
    /// A part is not base64url.
    #[error("the {0} is not base64url")]
    Base64(&'static str),
    /// The header or payload is not a JSON object.
    #[error("the {0} is not a JSON object")]
    Json(&'static str),
}

/// Why a JWT's signature was not accepted.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum VerifyError {
    /// `alg` is missing, `none`, `HS256` or anything not supported.
    #[error("algorithm {0} is not accepted")]
    Algorithm(String),
    /// Neither `kid` nor `jwk` in the header, nor a did:key issuer.
    #[error("the header names no key")]
    NoKey,
    /// The key could not be had.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// The key's type does not fit `alg`.
    #[error("the key does not fit {0}")]
    KeyMismatch(String),
    /// The signature does not match.
    #[error("the signature does not match")]
    Signature,
}

/// A claim that disagrees with the credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimMismatch {
    /// The claim: `iss`, `sub`, `nbf`, `exp` or `jti`.
    pub claim: &'static str,
    /// The claim's value as text.
    pub value: String,
}

/// Whether `text` looks like a compact JWS (three base64url parts), cheap
/// enough to try on any input.
pub fn looks_like(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() == 3
        && parts[0].starts_with("eyJ")
        && parts.iter().all(|p| {
            p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// Splits and decodes a compact JWS.
pub fn parse(text: &str) -> Result<Jwt, ParseError> {
    let text = text.trim();
    let mut parts = text.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ParseError::NotCompact);
    };
    let object = |part: &str, name: &'static str| -> Result<Map<String, Value>, ParseError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(part)
            .map_err(|_| ParseError::Base64(name))?;
        match serde_json::from_slice(&bytes) {
            Ok(Value::Object(map)) => Ok(map),
            _ => Err(ParseError::Json(name)),
        }
    };
    Ok(Jwt {
        header: object(h, "header")?,
        payload: object(p, "payload")?,
        signing_input: format!("{h}.{p}"),
        signature: URL_SAFE_NO_PAD
            .decode(s)
            .map_err(|_| ParseError::Base64("signature"))?,
    })
}

impl Jwt {
    /// The credential: the `vc` claim (VC Data Model 1.1 JWTs, as in
    /// OB 3.0's examples) or the payload itself (VC-JOSE, VC 2.0).
    pub fn credential(&self) -> Value {
        match self.payload.get("vc") {
            Some(vc @ Value::Object(_)) => vc.clone(),
            _ => Value::Object(self.payload.clone()),
        }
    }

    /// The `alg` header.
    pub fn alg(&self) -> &str {
        self.header.get("alg").and_then(Value::as_str).unwrap_or("")
    }

    /// The `kid` header.
    pub fn kid(&self) -> Option<&str> {
        self.header.get("kid").and_then(Value::as_str)
    }

    /// Verifies the signature with the key the header names: `kid` (a
    /// did:key, or a trusted issuer's key), else the header `jwk`, else
    /// the issuer's did:key. Returns the key and where it came from.
    pub fn verify(
        &self,
        issuer: Option<&str>,
        trusted: &[TrustedIssuer],
    ) -> Result<(PublicKey, KeySource), VerifyError> {
        let alg = self.alg();
        if !matches!(alg, "EdDSA" | "RS256") {
            return Err(VerifyError::Algorithm(alg.to_owned()));
        }
        let (key, source) = if let Some(kid) = self.kid() {
            keys::lookup(kid, issuer, trusted)?
        } else if let Some(jwk) = self.header.get("jwk") {
            (keys::from_jwk(jwk)?, KeySource::HeaderJwk)
        } else if let Some(did) = issuer.filter(|i| i.starts_with("did:key:")) {
            keys::lookup(did, None, trusted)?
        } else {
            return Err(VerifyError::NoKey);
        };
        let message = self.signing_input.as_bytes();
        match (alg, &key) {
            ("EdDSA", PublicKey::Ed25519(k)) => {
                let sig =
                    Signature::from_slice(&self.signature).map_err(|_| VerifyError::Signature)?;
                k.verify_strict(message, &sig)
                    .map_err(|_| VerifyError::Signature)?;
            }
            ("RS256", PublicKey::Rsa(k)) => {
                use rsa::signature::Verifier;
                let vk = rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(k.clone());
                let sig = rsa::pkcs1v15::Signature::try_from(self.signature.as_slice())
                    .map_err(|_| VerifyError::Signature)?;
                vk.verify(message, &sig)
                    .map_err(|_| VerifyError::Signature)?;
            }
            _ => return Err(VerifyError::KeyMismatch(alg.to_owned())),
        }
        Ok((key, source))
    }

    /// The registered claims that disagree with the credential (VC-JWT
    /// §6.3.1): `iss` with the issuer id, `sub` with the subject id, `jti`
    /// with the credential id, `nbf` with validFrom/issuanceDate and `exp`
    /// with validUntil/expirationDate. Missing claims are not a mismatch.
    pub fn claim_mismatches(&self, credential: &Value) -> Vec<ClaimMismatch> {
        let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
        let issuer = match credential.get("issuer") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => text(other.get("id")),
            None => None,
        };
        let subject = text(
            credential
                .get("credentialSubject")
                .and_then(|s| s.get("id")),
        );
        let id = text(credential.get("id"));
        let from = text(
            credential
                .get("validFrom")
                .or(credential.get("issuanceDate")),
        )
        .and_then(|d| dates::parse(&d));
        let until = text(
            credential
                .get("validUntil")
                .or(credential.get("expirationDate")),
        )
        .and_then(|d| dates::parse(&d));
        let mut out = Vec::new();
        for (claim, expected) in [("iss", issuer), ("sub", subject), ("jti", id)] {
            if let Some(value) = self.payload.get(claim) {
                if value.as_str() != expected.as_deref() {
                    out.push(ClaimMismatch {
                        claim,
                        value: value.to_string(),
                    });
                }
            }
        }
        for (claim, expected) in [("nbf", from), ("exp", until)] {
            if let Some(value) = self.payload.get(claim) {
                if value.as_i64() != expected {
                    out.push(ClaimMismatch {
                        claim,
                        value: value.to_string(),
                    });
                }
            }
        }
        out
    }
}

/// Signs `credential` as an EdDSA VC-JWT with the credential as the `vc`
/// claim and the registered claims set from it, the header naming the
/// key by `kid`. The result is what OB 3.0 verifiers expect.
pub fn sign_eddsa(credential: &Value, key: &SigningKey, kid: &str) -> String {
    let header = json!({"alg": "EdDSA", "typ": "JWT", "kid": kid});
    let mut claims = Map::new();
    claims.insert("vc".into(), credential.clone());
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
    let issuer = match credential.get("issuer") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => text(other.get("id")),
        None => None,
    };
    if let Some(iss) = issuer {
        claims.insert("iss".into(), iss.into());
    }
    if let Some(sub) = text(
        credential
            .get("credentialSubject")
            .and_then(|s| s.get("id")),
    ) {
        claims.insert("sub".into(), sub.into());
    }
    if let Some(jti) = text(credential.get("id")) {
        claims.insert("jti".into(), jti.into());
    }
    if let Some(nbf) = text(credential.get("validFrom")).and_then(|d| dates::parse(&d)) {
        claims.insert("nbf".into(), nbf.into());
    }
    if let Some(exp) = text(credential.get("validUntil")).and_then(|d| dates::parse(&d)) {
        claims.insert("exp".into(), exp.into());
    }
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(Value::Object(claims).to_string())
    );
    let signature = key.sign(input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn credential() -> Value {
        json!({
            "id": "urn:uuid:1",
            "issuer": {"id": "did:key:z6Mk", "name": "Kajastus"},
            "validFrom": "2026-01-01T00:00:00Z",
            "credentialSubject": {"id": "did:example:aino"}
        })
    }

    fn signed(seed: u8) -> (String, SigningKey) {
        let key = SigningKey::from_bytes(&[seed; 32]);
        let kid = keys::did_key_method(&key.verifying_key());
        (sign_eddsa(&credential(), &key, &kid), key)
    }

    #[test]
    fn a_signed_jwt_verifies_and_its_claims_match() {
        let (token, key) = signed(1);
        assert!(looks_like(&token));
        let jwt = parse(&token).unwrap();
        assert_eq!(jwt.credential(), credential());
        let (got, source) = jwt.verify(None, &[]).unwrap();
        assert_eq!(got, PublicKey::Ed25519(key.verifying_key()));
        assert_eq!(source, KeySource::DidKey);
        assert_eq!(jwt.claim_mismatches(&credential()), vec![]);
        let mut other = credential();
        other["id"] = "urn:uuid:2".into();
        other["validFrom"] = "2026-01-02T00:00:00Z".into();
        let claims: Vec<_> = jwt
            .claim_mismatches(&other)
            .iter()
            .map(|m| m.claim)
            .collect();
        assert_eq!(claims, ["jti", "nbf"]);
    }

    #[test]
    fn other_algorithms_and_keys_are_refused() {
        let (token, _) = signed(1);
        let jwt = parse(&token).unwrap();
        let with_header = |header: Value| {
            let mut j = jwt.clone();
            j.header = header.as_object().unwrap().clone();
            j.verify(None, &[])
        };
        let kid = jwt.kid().unwrap().to_owned();
        for alg in ["none", "HS256", "ES256", ""] {
            assert_eq!(
                with_header(json!({"alg": alg, "kid": kid})),
                Err(VerifyError::Algorithm(alg.into()))
            );
        }
        assert_eq!(
            with_header(json!({"alg": "RS256", "kid": kid})),
            Err(VerifyError::KeyMismatch("RS256".into()))
        );
        assert_eq!(
            with_header(json!({"alg": "EdDSA"})),
            Err(VerifyError::NoKey)
        );
        let other = keys::did_key_method(&SigningKey::from_bytes(&[2; 32]).verifying_key());
        assert_eq!(
            with_header(json!({"alg": "EdDSA", "kid": other})),
            Err(VerifyError::Signature)
        );
    }

    #[test]
    fn malformed_tokens_do_not_parse() {
        for bad in ["", "a.b", "a.b.c.d", "eyJ.eyJ.", "!!.!!.!!", "e30.W10.AA"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert!(parse("e30.e30.").is_ok());
    }
}
