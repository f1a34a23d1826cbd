//! Property tests: the parsers take arbitrary and mutated bytes without a panic, and no change to a signed VC-JWT, its algorithm or its signature's payload lets it verify.

use proptest::prelude::*;
use serde_json::{json, Value};
use talkoo_badges::issue::{self, Award, Issuer};
use talkoo_badges::{bake, inspect_bytes, jwt, png, read, svg};
use talkoo_core::wallet::{Level, VerifyRequest};

fn request() -> VerifyRequest {
    VerifyRequest {
        bytes: String::new(),
        now: "2026-12-03T10:00:00Z".into(),
        trusted: vec![],
        status_lists: vec![],
    }
}

fn issuer() -> Issuer {
    Issuer::from_seed([4; 32], "Kylätalkoot ry")
}

fn credential(name: &str) -> Value {
    let achievement = json!({"id": "https://feed.example/a/1", "type": ["Achievement"], "name": name, "criteria": {"narrative": "x"}});
    issue::credential(
        &issuer(),
        &Award {
            achievement: &achievement,
            credential_id: "urn:uuid:00000000-0000-4000-8000-000000000002",
            recipient_name: None,
            recipient_email: Some("a@example.org"),
            salt: "s",
            now: "2026-01-01T00:00:00Z",
            status: None,
        },
    )
    .unwrap()
}

fn signed_jwt() -> String {
    issue::sign_jwt(&issuer(), &credential("Ensiapu"))
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/ob30/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// Whether `bytes` inspect to a report whose proof check passed.
fn proof_passes(bytes: &[u8]) -> bool {
    inspect_bytes(bytes, &request()).is_ok_and(|i| {
        i.report
            .checks
            .iter()
            .any(|c| c.code == "proof-valid" && c.level == Level::Valid)
    })
}

/// Inputs that are valid in each format, to mutate.
fn seeds() -> Vec<Vec<u8>> {
    let token = signed_jwt();
    vec![
        token.clone().into_bytes(),
        credential("x").to_string().into_bytes(),
        fixture("simple-jwt.png"),
        fixture("simple-jwt.svg"),
        fixture("simple.json"),
        bake::bake_svg(r#"<svg xmlns="http://www.w3.org/2000/svg"/>"#, &token)
            .unwrap()
            .into_bytes(),
    ]
}

#[derive(Clone, Debug)]
enum Mutation {
    Set(usize, u8),
    Delete(usize),
    Insert(usize, u8),
    Truncate(usize),
}

fn mutate(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let n = bytes.len().max(1);
        match *m {
            Mutation::Set(i, b) if !bytes.is_empty() => bytes[i % n] = b,
            Mutation::Delete(i) if !bytes.is_empty() => {
                bytes.remove(i % n);
            }
            Mutation::Insert(i, b) => bytes.insert(i % (bytes.len() + 1), b),
            Mutation::Truncate(i) => bytes.truncate(i % n),
            _ => {}
        }
    }
    bytes
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Set(i, b)),
        any::<usize>().prop_map(Mutation::Delete),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Insert(i, b)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn parsers_take_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = read::read(&bytes);
        let _ = jwt::parse(&text);
        let _ = png::chunks(&bytes);
        let _ = svg::baked(&text);
        let _ = serde_json::from_slice::<Value>(&bytes);
        let _ = inspect_bytes(&bytes, &request());
        let mut png_like = png::SIGNATURE.to_vec();
        png_like.extend_from_slice(&bytes);
        let _ = read::read(&png_like);
        let _ = bake::bake_png(&png_like, "x");
        let _ = bake::bake_svg(&text, "x");
    }

    #[test]
    fn mutated_valid_inputs_do_not_panic(
        seed in 0usize..6,
        mutations in proptest::collection::vec(mutation(), 1..6),
    ) {
        let bytes = mutate(seeds()[seed].clone(), &mutations);
        let _ = inspect_bytes(&bytes, &request());
        let text = String::from_utf8_lossy(&bytes);
        let _ = svg::baked(&text);
        let _ = jwt::parse(&text);
    }

    #[test]
    fn unsigned_or_shared_secret_jwts_fail(
        name in "[a-zA-Z äöå]{1,40}",
        alg in prop_oneof![Just("none"), Just("HS256"), Just("HS512"), Just("ES256"), Just("NONE")],
        sig in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        use base64::Engine;
        let token = issue::sign_jwt(&issuer(), &credential(&name));
        let payload = token.split('.').nth(1).unwrap();
        let kid = issuer().method();
        let header = URL_SAFE_NO_PAD.encode(json!({"alg": alg, "kid": kid}).to_string());
        let forged = format!("{header}.{payload}.{}", URL_SAFE_NO_PAD.encode(&sig));
        prop_assert!(!proof_passes(forged.as_bytes()));
        let got = inspect_bytes(forged.as_bytes(), &request()).unwrap();
        prop_assert!(got.report.checks.iter().any(|c| c.code == "proof-algorithm-refused"));
    }

    #[test]
    fn a_signature_moved_to_another_payload_fails(a in "[a-z]{1,20}", b in "[a-z]{1,20}") {
        prop_assume!(a != b);
        let first = issue::sign_jwt(&issuer(), &credential(&a));
        let second = issue::sign_jwt(&issuer(), &credential(&b));
        let (input, _) = second.rsplit_once('.').unwrap();
        let (_, sig) = first.rsplit_once('.').unwrap();
        let moved = format!("{input}.{sig}");
        prop_assert!(proof_passes(first.as_bytes()));
        prop_assert!(!proof_passes(moved.as_bytes()));
    }

    #[test]
    fn changes_to_an_rs256_fixture_fail(i in any::<usize>(), b in any::<u8>()) {
        let svg = String::from_utf8(fixture("simple-jwt.svg")).unwrap();
        let token = svg::baked(&svg).unwrap().unwrap().text;
        let (input, sig) = token.rsplit_once('.').unwrap();
        let mut bytes = input.as_bytes().to_vec();
        let at = i % bytes.len();
        prop_assume!(bytes[at] != b);
        bytes[at] = b;
        let changed = [bytes.as_slice(), b".", sig.as_bytes()].concat();
        prop_assert!(!proof_passes(&changed));
    }
}

/// Every single-byte change of the signing input (each position, to a
/// base64url letter that still decodes, the separator, and a byte outside
/// base64url) fails the proof check.
#[test]
fn every_single_byte_change_of_the_signing_input_fails() {
    let token = signed_jwt();
    assert!(
        proof_passes(token.as_bytes()),
        "the unchanged token verifies"
    );
    let (input, sig) = token.rsplit_once('.').unwrap();
    let mut tried = 0;
    for at in 0..input.len() {
        for replacement in [b'A', b'w', b'.', 0] {
            let mut bytes = input.as_bytes().to_vec();
            if bytes[at] == replacement {
                continue;
            }
            bytes[at] = replacement;
            let changed = [bytes.as_slice(), b".", sig.as_bytes()].concat();
            assert!(!proof_passes(&changed), "position {at} to {replacement}");
            tried += 1;
        }
    }
    assert!(tried > input.len() * 3);
}
