//! Data Integrity proofs (`eddsa-rdfc-2022`, legacy `Ed25519Signature2020`): canonicalisation with bundled JSON-LD contexts, verification and signing.
//!
//! Both suites sign the same bytes: SHA-256 of the canonical proof
//! configuration followed by SHA-256 of the canonical document without its
//! proof, where "canonical" is RDFC-1.0 over the JSON-LD document expanded
//! with the contexts in [`contexts`] (W3C vc-di-eddsa, and the w3id
//! ed25519-signature-2020 suite which predates it).

mod canon;
pub mod contexts;

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// The proof types this module verifies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Suite {
    /// `DataIntegrityProof` with `cryptosuite: eddsa-rdfc-2022`.
    EddsaRdfc2022,
    /// The legacy `Ed25519Signature2020`.
    Ed25519Signature2020,
}

/// What a verified proof said about itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProofInfo {
    /// The proof type.
    pub suite: Suite,
    /// The key that signed it.
    pub verification_method: String,
    /// When the proof was made, if it says.
    pub created: Option<String>,
}

/// Why a Data Integrity proof did not verify, or a document could not be
/// signed.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum DiError {
    /// The document is not a JSON object.
    #[error("the credential is not a JSON object")]
    NotAnObject,
    /// The document has no `@context`, so it cannot be read as JSON-LD.
    #[error("the credential has no @context")]
    NoContext,
    /// The document has no `proof`.
    #[error("the credential has no proof")]
    NoProof,
    /// A proof type or cryptosuite not supported here.
    #[error("unsupported proof type {0}")]
    Unsupported(String),
    /// A proof member is missing or is not what the suite requires.
    #[error("the proof is malformed: {0}")]
    MalformedProof(String),
    /// The proof is not for asserting a credential.
    #[error("the proof's purpose is {0}, not assertionMethod")]
    WrongPurpose(String),
    /// The proof's `created` is not a date and time.
    #[error("the proof's creation time {0:?} is not a valid date and time")]
    BadCreated(String),
    /// The verification method names no key we know.
    #[error("the signing key {0} is not known")]
    UnknownKey(String),
    /// The `proofValue` is not a base58btc multibase Ed25519 signature.
    #[error("the proof value is not an Ed25519 signature in base58btc")]
    BadProofValue,
    /// The signature does not match the credential: it was changed after
    /// signing, or signed by another key.
    #[error("the signature does not match the credential")]
    BadSignature,
    /// The credential names a JSON-LD context this app does not carry.
    #[error("the context {0} is not bundled with this app")]
    ContextNotBundled(String),
    /// The credential uses a term its contexts do not define, which would be
    /// left out of what is signed.
    #[error("the term {0} is not defined by the credential's contexts")]
    UndefinedTerm(String),
    /// A value used as an identifier is not an absolute IRI, so the
    /// statements about it would be left out of what is signed.
    #[error("{0:?} is used as an identifier but is not an absolute IRI")]
    NotAnIri(String),
    /// A language tag is malformed, so the text carrying it would be left
    /// out of what is signed.
    #[error("the language tag {0:?} is malformed")]
    BadLanguage(String),
    /// A part of the credential that JSON-LD leaves out of the signed
    /// statements, such as an `@index`.
    #[error("{0} is not covered by the signature")]
    Unsigned(String),
    /// The JSON-LD processor refused the document for another reason.
    #[error("the credential is not valid JSON-LD: {0}")]
    JsonLd(String),
    /// RDF canonicalisation failed (for example on a pathological graph).
    #[error("the credential could not be canonicalised: {0}")]
    Canonicalization(String),
    /// The document to sign already carries a proof.
    #[error("the credential is already signed")]
    AlreadySigned,
}

/// The proofs a document carries, whether one object or a set.
fn proofs(doc: &Map<String, Value>) -> Result<Vec<&Map<String, Value>>, DiError> {
    match doc.get("proof") {
        None | Some(Value::Null) => Err(DiError::NoProof),
        Some(Value::Object(proof)) => Ok(vec![proof]),
        Some(Value::Array(items)) if items.is_empty() => Err(DiError::NoProof),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                item.as_object()
                    .ok_or_else(|| DiError::MalformedProof("a proof is not an object".into()))
            })
            .collect(),
        Some(_) => Err(DiError::MalformedProof("proof is not an object".into())),
    }
}

/// The suite a proof claims, or why it is not one handled here.
fn suite_of(proof: &Map<String, Value>) -> Result<Suite, DiError> {
    let kind = proof.get("type").and_then(Value::as_str).unwrap_or("");
    match kind {
        "DataIntegrityProof" => match proof.get("cryptosuite").and_then(Value::as_str) {
            Some("eddsa-rdfc-2022") => Ok(Suite::EddsaRdfc2022),
            Some(other) => Err(DiError::Unsupported(format!(
                "DataIntegrityProof with cryptosuite {other}"
            ))),
            None => Err(DiError::MalformedProof("cryptosuite is missing".into())),
        },
        "Ed25519Signature2020" => Ok(Suite::Ed25519Signature2020),
        "" => Err(DiError::MalformedProof("type is missing".into())),
        other => Err(DiError::Unsupported(other.to_owned())),
    }
}

/// A required string member of the proof.
fn member<'a>(proof: &'a Map<String, Value>, name: &str) -> Result<&'a str, DiError> {
    match proof.get(name) {
        Some(Value::String(text)) => Ok(text),
        Some(_) => Err(DiError::MalformedProof(format!("{name} is not a string"))),
        None => Err(DiError::MalformedProof(format!("{name} is missing"))),
    }
}

/// Verifies the document's proof with the key `resolve` finds for its
/// verification method.
///
/// With a set of proofs, every proof of a supported type must verify (an
/// unknown kind of proof next to them is ignored) and the first is
/// described. Proof chains (`previousProof`) are not supported.
pub fn verify(
    doc: &Value,
    resolve: &dyn Fn(&str) -> Option<VerifyingKey>,
) -> Result<ProofInfo, DiError> {
    let object = doc.as_object().ok_or(DiError::NotAnObject)?;
    let all = proofs(object)?;
    let mut supported = Vec::new();
    let mut first_refusal = None;
    for proof in all {
        match suite_of(proof) {
            Ok(suite) => supported.push((suite, proof)),
            Err(refusal) => {
                first_refusal.get_or_insert(refusal);
            }
        }
    }
    if supported.is_empty() {
        return Err(first_refusal.unwrap_or(DiError::NoProof));
    }
    let context = object.get("@context").ok_or(DiError::NoContext)?;
    let mut unsecured = object.clone();
    unsecured.remove("proof");
    let mut document_hash = None;
    let mut first = None;
    for (suite, proof) in supported {
        let info = check_proof(suite, proof, context, resolve, &mut || {
            // The document hash is the same for every proof in a set, so it
            // is canonicalised once.
            if document_hash.is_none() {
                let canonical = canon::canonical_nquads(&Value::Object(unsecured.clone()))?;
                document_hash = Some(Sha256::digest(canonical.as_bytes()).to_vec());
            }
            Ok(document_hash.clone().unwrap_or_default())
        })?;
        first.get_or_insert(info);
    }
    first.ok_or(DiError::NoProof)
}

/// Checks one proof; `document_hash` canonicalises the unsecured document on
/// first use, after the cheap checks have passed.
fn check_proof(
    suite: Suite,
    proof: &Map<String, Value>,
    context: &Value,
    resolve: &dyn Fn(&str) -> Option<VerifyingKey>,
    document_hash: &mut dyn FnMut() -> Result<Vec<u8>, DiError>,
) -> Result<ProofInfo, DiError> {
    if proof.contains_key("previousProof") {
        return Err(DiError::Unsupported("proof chains (previousProof)".into()));
    }
    let purpose = member(proof, "proofPurpose")?;
    if purpose != "assertionMethod" {
        return Err(DiError::WrongPurpose(purpose.to_owned()));
    }
    let created = match proof.get("created") {
        None => None,
        Some(Value::String(text)) if is_date_time(text) => Some(text.clone()),
        Some(Value::String(text)) => return Err(DiError::BadCreated(text.clone())),
        Some(other) => return Err(DiError::BadCreated(other.to_string())),
    };
    let method = member(proof, "verificationMethod")?;
    let key = resolve(method).ok_or_else(|| DiError::UnknownKey(method.to_owned()))?;
    let signature = decode_proof_value(member(proof, "proofValue")?)?;
    if let Some(own) = proof.get("@context") {
        if !context_starts_with(context, own) {
            return Err(DiError::MalformedProof(
                "the proof's @context is not the start of the credential's".into(),
            ));
        }
    }
    let mut config = proof.clone();
    config.remove("proofValue");
    let mut data = proof_config_hash(config, context)?;
    data.extend_from_slice(&document_hash()?);
    key.verify_strict(&data, &signature)
        .map_err(|_| DiError::BadSignature)?;
    Ok(ProofInfo {
        suite,
        verification_method: method.to_owned(),
        created,
    })
}

/// SHA-256 of the canonical proof configuration: the proof options under the
/// document's `@context`.
fn proof_config_hash(mut config: Map<String, Value>, context: &Value) -> Result<Vec<u8>, DiError> {
    config.insert("@context".into(), context.clone());
    let canonical = canon::canonical_nquads(&Value::Object(config))?;
    Ok(Sha256::digest(canonical.as_bytes()).to_vec())
}

/// Whether the proof's own `@context` is the document's, or its beginning.
fn context_starts_with(document: &Value, proof: &Value) -> bool {
    let as_list = |v: &Value| match v {
        Value::Array(items) => items.clone(),
        other => vec![other.clone()],
    };
    let (document, proof) = (as_list(document), as_list(proof));
    document.starts_with(&proof)
}

/// The Ed25519 signature in a `z`-prefixed base58btc `proofValue`.
fn decode_proof_value(value: &str) -> Result<Signature, DiError> {
    let encoded = value.strip_prefix('z').ok_or(DiError::BadProofValue)?;
    let bytes = bs58::decode(encoded)
        .into_vec()
        .map_err(|_| DiError::BadProofValue)?;
    let bytes: [u8; 64] = bytes.try_into().map_err(|_| DiError::BadProofValue)?;
    Ok(Signature::from_bytes(&bytes))
}

/// Whether `text` is an XML Schema dateTime (`2023-02-24T23:36:38Z`, with
/// optional fractional seconds and an optional offset), which is what
/// `created` is typed as in the Data Integrity context.
fn is_date_time(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        b.get(range.clone())
            .is_some_and(|s| s.iter().all(u8::is_ascii_digit))
    };
    let number = |range: std::ops::Range<usize>| {
        text.get(range)
            .and_then(|s| s.parse::<u32>().ok())
            .unwrap_or(99)
    };
    let shape = b.len() >= 19
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    if !shape
        || !(1..=12).contains(&number(5..7))
        || !(1..=31).contains(&number(8..10))
        || number(11..13) > 24
        || number(14..16) > 59
        || number(17..19) > 60
    {
        return false;
    }
    let mut rest = &text[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let len = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if len == 0 {
            return false;
        }
        rest = &fraction[len..];
    }
    match rest.as_bytes() {
        [] | [b'Z'] => true,
        [sign, h1, h2, b':', m1, m2]
            if (*sign == b'+' || *sign == b'-')
                && [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit()) =>
        {
            true
        }
        _ => false,
    }
}

/// Adds an `eddsa-rdfc-2022` proof to `doc`, made at `created` (RFC 3339)
/// by `key`, named `verification_method`.
pub fn sign_eddsa_rdfc_2022(
    doc: &Value,
    key: &SigningKey,
    verification_method: &str,
    created: &str,
) -> Result<Value, DiError> {
    let object = doc.as_object().ok_or(DiError::NotAnObject)?;
    if object.contains_key("proof") {
        return Err(DiError::AlreadySigned);
    }
    if !is_date_time(created) {
        return Err(DiError::BadCreated(created.to_owned()));
    }
    let context = object.get("@context").ok_or(DiError::NoContext)?;
    let mut proof = Map::new();
    proof.insert("type".into(), "DataIntegrityProof".into());
    proof.insert("cryptosuite".into(), "eddsa-rdfc-2022".into());
    proof.insert("created".into(), created.into());
    proof.insert("verificationMethod".into(), verification_method.into());
    proof.insert("proofPurpose".into(), "assertionMethod".into());
    let mut data = proof_config_hash(proof.clone(), context)?;
    let canonical = canon::canonical_nquads(doc)?;
    data.extend_from_slice(&Sha256::digest(canonical.as_bytes()));
    let signature = key.sign(&data);
    let value = format!("z{}", bs58::encode(signature.to_bytes()).into_string());
    proof.insert("proofValue".into(), value.into());
    let mut signed = object.clone();
    signed.insert("proof".into(), Value::Object(proof));
    Ok(Value::Object(signed))
}

/// The canonical N-Quads (RDFC-1.0) of a JSON-LD document, with the bundled
/// contexts and in safe mode; exposed so tests can compare the intermediate
/// values of published test vectors.
pub fn canonicalize(doc: &Value) -> Result<String, DiError> {
    canon::canonical_nquads(doc)
}
