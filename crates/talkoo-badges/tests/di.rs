//! Data Integrity verification and signing against published test vectors and generated negatives (issue 11, "Verifying offline").
//!
//! The fixtures under `tests/fixtures/di/` are copies of published files;
//! `tests/fixtures/di/SOURCES.md` names each one's repository, commit, path
//! and licence.

use std::path::PathBuf;

use ed25519_dalek::{SigningKey, VerifyingKey};
use serde_json::Value;
use sha2::{Digest, Sha256};
use talkoo_badges::di::{self, DiError, Suite};

/// Reads a fixture file as text.
fn text(path: &str) -> String {
    let full = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/di")
        .join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

/// Reads a fixture file as JSON.
fn json(path: &str) -> Value {
    serde_json::from_str(&text(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The Ed25519 public key in a multibase `z6Mk…` value (base58btc of the
/// multicodec 0xed 0x01 and the 32 key bytes), as in did:key.
fn multikey(multibase: &str) -> Option<VerifyingKey> {
    let bytes = bs58::decode(multibase.strip_prefix('z')?).into_vec().ok()?;
    let raw: [u8; 32] = bytes.strip_prefix(&[0xed, 0x01])?.try_into().ok()?;
    VerifyingKey::from_bytes(&raw).ok()
}

/// A test resolver: `did:key:zX` and `did:key:zX#zX` decode to their key.
/// The 1EdTech validator's fixtures name keys by an HTTPS or did:web URL
/// whose fragment is the multibase key; standing in for fetching the issuer's
/// document, the fragment is decoded. Anything else is unknown.
fn resolve(method: &str) -> Option<VerifyingKey> {
    if let Some(rest) = method.strip_prefix("did:key:") {
        let (id, fragment) = rest.split_once('#').unwrap_or((rest, rest));
        return (id == fragment).then(|| multikey(id)).flatten();
    }
    if method.starts_with("https://") || method.starts_with("did:web:") {
        return multikey(method.rsplit_once('#')?.1);
    }
    None
}

/// The W3C vector's signing key: `privateKeyMultibase` is base58btc of the
/// multicodec 0x80 0x26 and the 32-byte seed.
fn w3c_signing_key() -> SigningKey {
    let pair = json("w3c-vc-di-eddsa/keyPair.json");
    let encoded = pair["privateKeyMultibase"].as_str().expect("private key");
    let bytes = bs58::decode(&encoded[1..]).into_vec().expect("base58");
    let seed: [u8; 32] = bytes
        .strip_prefix(&[0x80, 0x26])
        .expect("ed25519-priv")
        .try_into()
        .expect("32 bytes");
    SigningKey::from_bytes(&seed)
}

/// Verifies one fixture and compares the outcome.
fn check(path: &str, expected: Result<Suite, DiError>, why: &str) {
    let got = di::verify(&json(path), &resolve).map(|info| info.suite);
    assert_eq!(got, expected, "{path} ({why})");
}

/// Every published fixture and what it must give at the proof level. A
/// credential that is a negative for another reason (expired, revoked, not
/// yet valid, a schema problem) still carries a good proof, so it verifies
/// here; those reasons belong to the verification report.
fn fixtures() -> Vec<(&'static str, Result<Suite, DiError>, &'static str)> {
    use DiError::*;
    let eddsa = Ok(Suite::EddsaRdfc2022);
    let legacy = Ok(Suite::Ed25519Signature2020);
    let term = |t: &str| Err(UndefinedTerm(t.into()));
    let key = |k: &str| Err(UnknownKey(k.into()));
    vec![
    // W3C vc-di-eddsa test vectors.
    ("w3c-vc-di-eddsa/eddsa-rdfc-2022/signedDataInt.json", eddsa.clone(), "positive"),
    ("w3c-vc-di-eddsa/Ed25519Signature2020/signedEdSig.json", legacy.clone(), "positive"),
    (
        "w3c-vc-di-eddsa/eddsa-rdfc-2022/employ/signedDataInt.json",
        Err(ContextNotBundled("https://w3id.org/citizenship/v4rc1".into())),
        "positive upstream, but its citizenship context is not bundled",
    ),
    // Digital Credentials Consortium vc-test-fixtures, v2 eddsa-rdfc-2022 did:key.
    ("dcc-vc-test-fixtures/legacyRegistry-noStatus-noExpiry-OBSpecExample.json", eddsa.clone(), "positive"),
    ("dcc-vc-test-fixtures/legacyRegistry-noStatus-noExpiry-achievementTypeExample.json", eddsa.clone(), "positive"),
    ("dcc-vc-test-fixtures/legacyRegistry-noStatus-noExpiry-alignments.json", eddsa.clone(), "positive"),
    ("dcc-vc-test-fixtures/legacyRegistry-noStatus-noExpiry-basicOBv3.json", eddsa.clone(), "positive"),
    ("dcc-vc-test-fixtures/legacyRegistry-noStatus-noExpiry-credName.json", eddsa.clone(), "positive"),
    ("dcc-vc-test-fixtures/legacyRegistry-noStatus-noExpiry-credSubjName.json", eddsa.clone(), "positive"),
    ("dcc-vc-test-fixtures/legacyRegistry-noStatus-noExpiry-identityHash.json", eddsa.clone(), "positive"),
    ("dcc-vc-test-fixtures/legacyRegistry-noStatus-noExpiry-minimal.json", eddsa.clone(), "positive"),
    ("dcc-vc-test-fixtures/legacyRegistry-noStatus-notExpired-withSchema.json", eddsa.clone(), "positive"),
    ("dcc-vc-test-fixtures/oidf-noStatus-notExpired-complexIssuer.json", eddsa.clone(), "positive"),
    ("dcc-vc-test-fixtures/noRegistry-revokedStatus-noExpiry.json", eddsa.clone(), "negative: revoked; proof good"),
    ("dcc-vc-test-fixtures/noRegsitry-revokedStatus-notExpired.json", eddsa.clone(), "negative: revoked; proof good"),
    ("dcc-vc-test-fixtures/oidf-noStatus-notExpired-notYetValid.json", eddsa.clone(), "negative: not yet valid; proof good"),
    ("dcc-vc-test-fixtures/oidf-revokedStatus-noExpiry.json", eddsa.clone(), "negative: revoked; proof good"),
    ("dcc-vc-test-fixtures/twoOIDF-revoked-notExpired-badSchema.json", eddsa.clone(), "negative: revoked, bad schema; proof good"),
    ("dcc-vc-test-fixtures/twoOIDF-validStatus-expired.json", eddsa.clone(), "negative: expired; proof good"),
    // 1EdTech digital-credentials-public-validator, ob30 samples.
    ("1edtech-ob30/simple.json", eddsa.clone(), "positive"),
    ("1edtech-ob30/complete.json", eddsa.clone(), "negative: inline schema 404; proof good"),
    ("1edtech-ob30/simple_v1.json", legacy.clone(), "positive, VC 1.1 and OB context.json"),
    ("1edtech-ob30/credential-status-revoked.json", legacy.clone(), "negative: revoked; proof good"),
    ("1edtech-ob30/bit-string-list-credential-status-revoked.json", eddsa.clone(), "negative: revoked; proof good"),
    ("1edtech-ob30/bit-string-list-credential-status-revoked-blank-nodes.json", eddsa.clone(), "negative: revoked; proof good"),
    ("1edtech-ob30/endorsement-valid.json", eddsa.clone(), "positive"),
    ("1edtech-ob30/simple-context-alias.json", eddsa.clone(), "positive"),
    ("1edtech-ob30/simple-context-version.json", eddsa.clone(), "positive, OB context-3.0.2.json"),
    ("1edtech-ob30/simple-did-key-method.json", eddsa.clone(), "positive"),
    ("1edtech-ob30/simple-did-web-method.json", eddsa.clone(), "positive"),
    ("1edtech-ob30/simple-multiple-proofs.json", eddsa.clone(), "positive: an unknown proof type beside a good one"),
    ("1edtech-ob30/simple-err-expired.json", eddsa.clone(), "negative: expired; proof good"),
    ("1edtech-ob30/simple-err-issued.json", eddsa.clone(), "negative: issuance date; proof good"),
    ("1edtech-ob30/simple-err-issuer.json", eddsa.clone(), "negative: issuer shape; proof good"),
    ("1edtech-ob30/simple-err-proof-value.json", Err(BadSignature), "negative: proof value"),
    (
        "1edtech-ob30/simple-err-proof-method.json",
        key("https://example.edu/issuers/565049#z6MkjZRsdasZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"),
        "negative: verification method is not a key",
    ),
    ("1edtech-ob30/simple-err-proof-method-no-scheme.json", key("z6MkrvfzkMnvCroEUP2DVc9SHPE48CRsvHiVSusHioxTYu1x"), "negative: method"),
    ("1edtech-ob30/simple-err-proof-method-unknown-did-method.json", key("did:example:z6MkrvfzkMnvCroEUP2DVc9SHPE48CRsvHiVSusHioxTYu1x"), "negative: method"),
    ("1edtech-ob30/simple-err-proof-method-unknown-scheme.json", key("xxx:z6MkrvfzkMnvCroEUP2DVc9SHPE48CRsvHiVSusHioxTYu1x"), "negative: method"),
    ("1edtech-ob30/simple-noproof.json", Err(NoProof), "negative: no proof"),
    // The validator's JSON-schema negatives change a type or a member after
    // signing, which safe-mode JSON-LD refuses before the signature.
    ("1edtech-ob30/simple-err-context.json", term("created"), "negative: no VC context, so proof terms are undefined"),
    ("1edtech-ob30/simple-err-type.json", term("OtherCredential"), "negative: type OtherCredential"),
    ("1edtech-ob30/simple-err-issuer-type.json", term("InvalidProfile"), "negative: type InvalidProfile"),
    ("1edtech-ob30/simple-err-issuer-parentorg-type.json", term("InvalidProfile"), "negative: parent org type"),
    ("1edtech-ob30/simple-err-credential-subject-profile-type.json", term("InvalidProfile"), "negative: profile type"),
    ("1edtech-ob30/simple-err-credential-subject-type.json", term("achievement"), "negative: subject type"),
    ("1edtech-ob30/simple-err-credential-subject-result-type.json", term("achievedLevel"), "negative: result type"),
    (
        "1edtech-ob30/simple-err-credential-subject-achievement-result-description-type.json",
        term("resultType"),
        "negative: result description type",
    ),
    ("1edtech-ob30/simple-err-credential-subject-identifier-type.json", term("hashed"), "negative: identifier type"),
    ("1edtech-ob30/simple-err-evidence-type.json", term("audience"), "negative: evidence type"),
    ("1edtech-ob30/simple-err-issuer-otheridentifier-type.json", term("identifier"), "negative: other identifier type"),
    (
        "1edtech-ob30/endorsement-err-schema-status-refresh.json",
        Err(BadSignature),
        "negative upstream for schema, status and refresh; its signature does not match either",
    ),
    (
        "1edtech-ob30/complete_v1.json",
        key("https://1edtech.edu/issuers/565049#key-1"),
        "key-1 needs the issuer's profile, which the test resolver does not fetch",
    ),
    (
        "1edtech-ob30/simple-eddsa-2022.json",
        Err(Unsupported("DataIntegrityProof with cryptosuite eddsa-2022".into())),
        "the pre-2023 cryptosuite name eddsa-2022 is not supported",
    ),
    (
        "1edtech-ob30/sd-derivedcredential.json",
        Err(Unsupported("DataIntegrityProof with cryptosuite ecdsa-sd-2023".into())),
        "ecdsa-sd-2023 is not supported",
    ),
    ]
}

#[test]
fn published_fixtures_give_their_expected_outcome() {
    let table = fixtures();
    for (path, expected, why) in &table {
        check(path, expected.clone(), why);
    }
    // Every fixture file is in the table, so none is silently skipped.
    let mut on_disk = Vec::new();
    for dir in [
        "w3c-vc-di-eddsa/eddsa-rdfc-2022",
        "w3c-vc-di-eddsa/eddsa-rdfc-2022/employ",
        "w3c-vc-di-eddsa/Ed25519Signature2020",
        "dcc-vc-test-fixtures",
        "1edtech-ob30",
    ] {
        let full = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/di")
            .join(dir);
        for entry in std::fs::read_dir(full).expect("fixture directory") {
            let name = entry
                .expect("entry")
                .file_name()
                .into_string()
                .expect("utf-8 name");
            if name.starts_with("signed") || !dir.starts_with("w3c") && name.ends_with(".json") {
                on_disk.push(format!("{dir}/{name}"));
            }
        }
    }
    on_disk.sort();
    let mut listed: Vec<String> = table.iter().map(|(path, _, _)| path.to_string()).collect();
    listed.sort();
    assert_eq!(listed, on_disk);
}

/// The unsigned W3C example and the proof options of a vector, with the
/// document's `@context`.
fn w3c_proof_config(signed: &str) -> Value {
    let doc = json(signed);
    let mut config = doc["proof"].clone();
    config.as_object_mut().expect("proof").remove("proofValue");
    config["@context"] = doc["@context"].clone();
    config
}

#[test]
fn canonical_forms_match_the_w3c_intermediate_values() {
    let cases = [
        (
            "eddsa-rdfc-2022/signedDataInt.json",
            "eddsa-rdfc-2022/canonDocDataInt.txt",
            "eddsa-rdfc-2022/proofCanonDataInt.txt",
        ),
        (
            "Ed25519Signature2020/signedEdSig.json",
            "Ed25519Signature2020/canonDocEdSig.txt",
            "Ed25519Signature2020/proofCanonEdSig.txt",
        ),
    ];
    for (signed, canon_doc, canon_proof) in cases {
        let signed = format!("w3c-vc-di-eddsa/{signed}");
        let mut unsecured = json(&signed);
        unsecured.as_object_mut().expect("document").remove("proof");
        let got = di::canonicalize(&unsecured).expect("document canonicalises");
        assert_eq!(
            got,
            text(&format!("w3c-vc-di-eddsa/{canon_doc}")),
            "{signed}"
        );
        let got = di::canonicalize(&w3c_proof_config(&signed)).expect("proof canonicalises");
        assert_eq!(
            got,
            text(&format!("w3c-vc-di-eddsa/{canon_proof}")),
            "{signed}"
        );
    }
}

#[test]
fn signing_reproduces_the_w3c_vector() {
    let expected = json("w3c-vc-di-eddsa/eddsa-rdfc-2022/signedDataInt.json");
    let proof = &expected["proof"];
    let signed = di::sign_eddsa_rdfc_2022(
        &json("w3c-vc-di-eddsa/unsigned.json"),
        &w3c_signing_key(),
        proof["verificationMethod"].as_str().expect("method"),
        proof["created"].as_str().expect("created"),
    )
    .expect("signs");
    assert_eq!(signed, expected);
    assert_eq!(
        signed["proof"]["proofValue"].as_str(),
        Some(text("w3c-vc-di-eddsa/eddsa-rdfc-2022/sigBTC58DataInt.txt").trim())
    );
}

#[test]
fn a_signed_open_badge_verifies_with_its_key_only() {
    let key = SigningKey::from_bytes(&[7; 32]);
    let public =
        bs58::encode([&[0xed, 0x01][..], key.verifying_key().as_bytes()].concat()).into_string();
    let method = format!("did:key:z{public}#z{public}");
    let mut badge = json("dcc-vc-test-fixtures/legacyRegistry-noStatus-noExpiry-basicOBv3.json");
    badge.as_object_mut().expect("badge").remove("proof");
    let signed =
        di::sign_eddsa_rdfc_2022(&badge, &key, &method, "2026-12-03T08:00:00Z").expect("signs");
    let info = di::verify(&signed, &resolve).expect("verifies");
    assert_eq!(info.verification_method, method);
    assert_eq!(info.created.as_deref(), Some("2026-12-03T08:00:00Z"));
    let other = SigningKey::from_bytes(&[8; 32]).verifying_key();
    assert_eq!(
        di::verify(&signed, &|_| Some(other)),
        Err(DiError::BadSignature)
    );
    assert_eq!(
        di::sign_eddsa_rdfc_2022(&signed, &key, &method, "2026-12-03T08:00:00Z"),
        Err(DiError::AlreadySigned)
    );
    assert_eq!(
        di::sign_eddsa_rdfc_2022(&badge, &key, &method, "3 December 2026"),
        Err(DiError::BadCreated("3 December 2026".into()))
    );
}

/// Calls `change` with every string in `value` (keys and values), depth first.
fn strings(value: &Value, path: &mut Vec<String>, change: &mut dyn FnMut(&[String], bool, &str)) {
    match value {
        Value::String(text) => change(path, false, text),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(i.to_string());
                strings(item, path, change);
                path.pop();
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                path.push(k.clone());
                change(path, true, k);
                strings(item, path, change);
                path.pop();
            }
        }
        _ => {}
    }
}

/// `doc` with the string at `path` (or the key, when `is_key`) replaced.
fn replaced(doc: &Value, path: &[String], is_key: bool, new: &str) -> Value {
    let mut out = doc.clone();
    let (last, parents) = path.split_last().expect("non-empty path");
    let mut target = &mut out;
    for step in parents {
        target = match target {
            Value::Array(items) => &mut items[step.parse::<usize>().expect("index")],
            other => &mut other[step.as_str()],
        };
    }
    if is_key {
        let map = target.as_object_mut().expect("object");
        let moved = map.remove(last).expect("key");
        map.insert(new.to_owned(), moved);
    } else {
        match target {
            Value::Array(items) => items[last.parse::<usize>().expect("index")] = Value::from(new),
            other => other[last.as_str()] = Value::from(new),
        }
    }
    out
}

/// One character of `text` changed at `at` (a char index) to another.
fn changed_char(text: &str, at: usize) -> String {
    text.chars()
        .enumerate()
        .map(|(i, c)| {
            if i != at {
                c
            } else if c == 'a' {
                'b'
            } else {
                'a'
            }
        })
        .collect()
}

#[test]
fn every_changed_character_of_the_w3c_vector_fails() {
    let doc = json("w3c-vc-di-eddsa/eddsa-rdfc-2022/signedDataInt.json");
    assert!(di::verify(&doc, &resolve).is_ok());
    let mut tried = 0;
    strings(&doc, &mut Vec::new(), &mut |path, is_key, text| {
        for at in 0..text.chars().count() {
            let mutant = replaced(&doc, path, is_key, &changed_char(text, at));
            tried += 1;
            assert!(
                di::verify(&mutant, &resolve).is_err(),
                "{path:?} char {at} of {text:?} still verifies"
            );
        }
    });
    assert!(tried > 500, "only {tried} changes tried");
}

#[test]
fn a_changed_string_in_an_open_badge_fails() {
    // One change per string (first and last character) keeps this test
    // quick on the larger badge; the W3C vector above gets every character.
    let doc = json("dcc-vc-test-fixtures/legacyRegistry-noStatus-noExpiry-basicOBv3.json");
    assert!(di::verify(&doc, &resolve).is_ok());
    strings(&doc, &mut Vec::new(), &mut |path, is_key, text| {
        let count = text.chars().count();
        for at in [0, count.saturating_sub(1)] {
            let mutant = replaced(&doc, path, is_key, &changed_char(text, at));
            assert!(
                di::verify(&mutant, &resolve).is_err(),
                "{path:?} char {at} of {text:?} still verifies"
            );
        }
    });
}

#[test]
fn a_proof_moved_to_another_credential_fails() {
    let from = json("dcc-vc-test-fixtures/legacyRegistry-noStatus-noExpiry-basicOBv3.json");
    let mut to = json("dcc-vc-test-fixtures/legacyRegistry-noStatus-noExpiry-minimal.json");
    assert_eq!(
        from["proof"]["verificationMethod"],
        to["proof"]["verificationMethod"]
    );
    to["proof"] = from["proof"].clone();
    assert_eq!(di::verify(&to, &resolve), Err(DiError::BadSignature));
}

#[test]
fn safe_mode_names_terms_the_contexts_do_not_define() {
    let ob = "dcc-vc-test-fixtures/legacyRegistry-noStatus-noExpiry-basicOBv3.json";
    let v1 = "1edtech-ob30/simple_v1.json";
    let cases: [(&str, &[&str], Value, DiError); 6] = [
        (
            ob,
            &[],
            "x".into(),
            DiError::UndefinedTerm("nickname".into()),
        ),
        (
            ob,
            &["credentialSubject"],
            "x".into(),
            DiError::UndefinedTerm("nickname".into()),
        ),
        (
            ob,
            &["proof"],
            "x".into(),
            DiError::UndefinedTerm("nickname".into()),
        ),
        (
            v1,
            &["issuer"],
            "x".into(),
            DiError::UndefinedTerm("nickname".into()),
        ),
        (
            ob,
            &["type"],
            Value::Null,
            DiError::UndefinedTerm("Nickname".into()),
        ),
        (
            ob,
            &["@context"],
            Value::Null,
            DiError::ContextNotBundled("https://example.org/nickname/v1".into()),
        ),
    ];
    for (path, at, value, expected) in cases {
        let mut doc = json(path);
        let mut target = &mut doc;
        for step in at {
            target = &mut target[*step];
        }
        match target {
            Value::Array(items) if *at == ["type"] => items.push("Nickname".into()),
            Value::Array(items) => items.push("https://example.org/nickname/v1".into()),
            Value::Object(map) => {
                map.insert("nickname".into(), value);
            }
            other => panic!("{other}"),
        }
        assert_eq!(
            di::verify(&doc, &resolve),
            Err(expected),
            "{path} at {at:?}"
        );
    }
}

#[test]
fn proof_members_are_checked() {
    let path = "dcc-vc-test-fixtures/legacyRegistry-noStatus-noExpiry-minimal.json";
    let cases: [(&str, Value, DiError); 6] = [
        (
            "proofPurpose",
            "authentication".into(),
            DiError::WrongPurpose("authentication".into()),
        ),
        (
            "created",
            "yesterday".into(),
            DiError::BadCreated("yesterday".into()),
        ),
        ("proofValue", "u3q2-7w".into(), DiError::BadProofValue),
        ("proofValue", "z3q27w".into(), DiError::BadProofValue),
        (
            "cryptosuite",
            "eddsa-jcs-2022".into(),
            DiError::Unsupported("DataIntegrityProof with cryptosuite eddsa-jcs-2022".into()),
        ),
        (
            "verificationMethod",
            Value::Null,
            DiError::MalformedProof("verificationMethod is not a string".into()),
        ),
    ];
    for (member, value, expected) in cases {
        let mut doc = json(path);
        doc["proof"][member] = value;
        assert_eq!(di::verify(&doc, &resolve), Err(expected), "{member}");
    }
    let mut doc = json(path);
    doc["proof"]["created"] = "2024-02-30T25:00:00Z".into();
    assert_eq!(
        di::verify(&doc, &resolve),
        Err(DiError::BadCreated("2024-02-30T25:00:00Z".into()))
    );
    doc["proof"]["created"] = "2024-02-03T12:00:00.25+02:00".into();
    assert_eq!(di::verify(&doc, &resolve), Err(DiError::BadSignature));
    assert_eq!(
        di::verify(&Value::from("text"), &resolve),
        Err(DiError::NotAnObject)
    );
}

/// The SHA-256 of every bundled context, so a changed copy is noticed
/// (contexts/SOURCES.md says where each is from). The Open Badges 3.0.3 copy
/// is the 1EdTech validator's (Apache-2.0), which adds `endorsementJwt` and
/// `jti` to the one at purl.imsglobal.org.
#[test]
fn bundled_contexts_are_the_pinned_copies() {
    let ob = "https://purl.imsglobal.org/spec/ob/v3p0";
    let pins = [
        (
            "https://www.w3.org/2018/credentials/v1",
            "ab4ddd9a531758807a79a5b450510d61ae8d147eab966cc9a200c07095b0cdcc",
        ),
        (
            "https://www.w3.org/ns/credentials/v2",
            "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734",
        ),
        (
            "https://www.w3.org/ns/credentials/examples/v2",
            "57393fbc69d6efb9b9b5dc9cb6b9880b0944360abfe2eaf459c9e58cf2279d7c",
        ),
        (
            "https://w3id.org/security/data-integrity/v1",
            "b5d829bd09aa7c42abc6efa0c8ed7635313b5487f37ccfce3ecd149ca9418554",
        ),
        (
            "https://w3id.org/security/data-integrity/v2",
            "67f21e6e33a6c14e5ccfd2fc7865f7474fb71a04af7e94136cb399dfac8ae8f4",
        ),
        (
            "https://w3id.org/security/multikey/v1",
            "ba2c182de2d92f7e47184bcca8fcf0beaee6d3986c527bf664c195bbc7c58597",
        ),
        (
            "https://w3id.org/security/suites/ed25519-2020/v1",
            "b9e1ab971fd8bf2c7553e0c4a9438e0b9450afde1ea1ca5b2492368b9f549588",
        ),
        (
            &format!("{ob}/context.json"),
            "b077fa134d909d92c1dcd1c153f2af1b244aeb415967fdc1467d7fc5dd48ac10",
        ),
        (
            &format!("{ob}/context/ob_v3p0.jsonld"),
            "b077fa134d909d92c1dcd1c153f2af1b244aeb415967fdc1467d7fc5dd48ac10",
        ),
        (
            &format!("{ob}/context-3.0.1.json"),
            "cfc147db5fd5e3575b06bd471fe04784e92de69296f64a351b8dff0ec3372e9c",
        ),
        (
            &format!("{ob}/context-3.0.2.json"),
            "bba433989e1e700ca60838a3c22378e7d8381aeb0c9590f9ddf84d1714f10296",
        ),
        (
            &format!("{ob}/context-3.0.3.json"),
            "3d34f4d4ef1bce691106e63798beb5e7b862ba841423f5ee1e53ab7ddf3bca84",
        ),
        (
            &format!("{ob}/extensions.json"),
            "146f85aa16effd7ca1da8056eb443f53ce1eca8a34186cb062832c0a97d889c3",
        ),
    ];
    for (url, sha) in &pins {
        let text = di::contexts::bundled(url).unwrap_or_else(|| panic!("{url} is not bundled"));
        let got: String = Sha256::digest(text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(&got, sha, "{url}");
    }
    // Every bundled URL is pinned above.
    let bundled: usize = di::contexts::BUNDLED
        .iter()
        .map(|(urls, _)| urls.len())
        .sum();
    assert_eq!(bundled, pins.len());
    assert_eq!(
        di::contexts::bundled("https://w3id.org/citizenship/v4rc1"),
        None
    );
}

/// Times one eddsa-rdfc-2022 Open Badges 3.0 verification; run with
/// `cargo test --release -p talkoo-badges --test di -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, not a check"]
fn time_one_open_badge_verification() {
    let doc = json("dcc-vc-test-fixtures/legacyRegistry-noStatus-noExpiry-basicOBv3.json");
    let runs = 20;
    let start = std::time::Instant::now();
    for _ in 0..runs {
        di::verify(&doc, &resolve).expect("verifies");
    }
    println!(
        "one OB 3.0 eddsa-rdfc-2022 verification: {:?}",
        start.elapsed() / runs
    );
}

#[test]
fn parts_that_json_ld_would_drop_are_refused() {
    // JSON-LD leaves these out of the signed statements (a relative id drops
    // the whole subject), so without these checks each mutant verified.
    let path = "dcc-vc-test-fixtures/legacyRegistry-noStatus-noExpiry-minimal.json";
    let name = serde_json::json!({"@value": "James", "@language": "en_GB"});
    let cases: [(&str, Value, DiError); 6] = [
        (
            "@nickname",
            "x".into(),
            DiError::Unsigned("the member @nickname".into()),
        ),
        (
            "@index",
            "x".into(),
            DiError::Unsigned("@index \"x\"".into()),
        ),
        ("id", "james".into(), DiError::NotAnIri("james".into())),
        (
            "_:nickname",
            "x".into(),
            DiError::UndefinedTerm("_:nickname".into()),
        ),
        (
            "id",
            "not an iri".into(),
            DiError::NotAnIri("not an iri".into()),
        ),
        ("name", name, DiError::BadLanguage("en_GB".into())),
    ];
    for (member, value, expected) in cases {
        let mut doc = json(path);
        doc["credentialSubject"][member] = value;
        assert_eq!(di::verify(&doc, &resolve), Err(expected), "{member}");
    }
}
