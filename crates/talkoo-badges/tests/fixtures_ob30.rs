//! The 1EdTech validator's own OB 3.0 test resources (see fixtures/ob30/SOURCES.md): each positive reads and verifies as far as it can offline, and each negative fails for its stated reason.
//!
//! Their JSON fixtures name keys by issuer address (`https://example.com/
//! issuers/876543#z6Mk…`), which their validator fetches. Offline such a
//! key is known only when the feed lists it, so these tests pass the
//! issuer as a trusted issuer whose key is the one the fragment encodes,
//! as a region's feed would; without it the proof check must say the key
//! is not available offline. Their `simple.jwt` names no key at all (the
//! validator fetches the issuer's profile), which reads the same way.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use talkoo_badges::{inspect, keys};
use talkoo_core::lang_map::LangMap;
use talkoo_core::wallet::{
    CachedStatusList, Format, Inspection, Level, TrustedIssuer, TrustedKey, VerifyRequest,
};

const NOW: &str = "2026-12-03T10:00:00Z";

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/ob30/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A trusted issuer `id` whose keys are `id#<multikey>` for each multikey.
fn trusted(id: &str, multikeys: &[&str]) -> TrustedIssuer {
    TrustedIssuer {
        id: id.into(),
        name: LangMap::new(),
        region: "test".into(),
        keys: multikeys
            .iter()
            .map(|m| TrustedKey {
                id: format!("{id}#{m}"),
                jwk: keys::ed25519_jwk(&keys::did_key(&format!("did:key:{m}")).unwrap()),
            })
            .collect(),
    }
}

const KEY_J: &str = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi";
const KEY_R: &str = "z6MkrvfzkMnvCroEUP2DVc9SHPE48CRsvHiVSusHioxTYu1x";

fn example_com() -> TrustedIssuer {
    trusted("https://example.com/issuers/876543", &[KEY_J, KEY_R])
}

fn example_edu() -> TrustedIssuer {
    trusted("https://example.edu/issuers/565049", &[KEY_J])
}

fn run(name: &str, trusted: Vec<TrustedIssuer>, lists: Vec<CachedStatusList>) -> Inspection {
    inspect(&VerifyRequest {
        bytes: STANDARD.encode(fixture(name)),
        now: NOW.into(),
        trusted,
        status_lists: lists,
    })
    .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Asserts the fixture's format, report level, and that the given codes
/// are among its checks.
fn check(
    name: &str,
    trusted: Vec<TrustedIssuer>,
    format: Format,
    level: Level,
    codes: &[&str],
) -> Inspection {
    let got = run(name, trusted, vec![]);
    let got_codes: Vec<&str> = got.report.checks.iter().map(|c| c.code.as_str()).collect();
    for code in codes {
        assert!(
            got_codes.contains(code),
            "{name}: no {code} in {got_codes:?}"
        );
    }
    assert_eq!(got.format, format, "{name}");
    assert_eq!(got.report.level, level, "{name}: {got_codes:?}");
    got
}

#[test]
fn baked_jwts_with_a_header_key_verify_and_their_issuer_is_unknown() {
    for (name, format) in [
        ("simple-jwt.png", Format::BakedPng),
        ("simple-jwt.svg", Format::BakedSvg),
        ("simple-jwt_v1.png", Format::BakedPng),
        ("simple-jwt_v1.svg", Format::BakedSvg),
    ] {
        let got = check(
            name,
            vec![],
            format,
            Level::Warning,
            &[
                "structure-valid",
                "proof-valid",
                "issuer-unknown",
                "validity-valid",
                "status-none",
            ],
        );
        assert!(got.summary.name.values().next().is_some(), "{name}");
    }
}

#[test]
fn a_jwt_that_names_no_key_says_so() {
    // The VC 1.1 example JWT has no kid and no jwk: its key must be fetched.
    check(
        "simple.jwt",
        vec![],
        Format::VcJwt,
        Level::Invalid,
        &[
            "proof-key-not-found",
            "issuer-not-checked",
            "structure-missing-achievement",
        ],
    );
}

#[test]
fn keys_named_by_issuer_address_are_online_only_unless_trusted() {
    for name in ["simple.json", "simple-json.png", "simple-json.svg"] {
        let got = run(name, vec![], vec![]);
        let proof = got
            .report
            .checks
            .iter()
            .find(|c| c.code.starts_with("proof"))
            .unwrap();
        assert_eq!(proof.code, "proof-key-not-found", "{name}");
        let key = &proof.args[0].1;
        assert!(
            [KEY_J, KEY_R]
                .iter()
                .any(|k| *key == format!("https://example.com/issuers/876543#{k}")),
            "{name}: {key}"
        );
        assert_eq!(got.report.level, Level::Warning, "{name}");
    }
}

#[test]
fn negatives_fail_for_their_stated_reason() {
    // The reasons not tied to the proof hold whatever the proof says.
    let cases: [(&str, &[&str]); 7] = [
        ("simple-err-expired.json", &["validity-expired"]),
        ("simple-err-issued.json", &["validity-not-yet-valid"]),
        ("simple-err-type.json", &["structure-missing-type"]),
        ("simple-err-context.json", &["structure-missing-context"]),
        ("simple-noproof.json", &["no-proof"]),
        (
            "simple-err-proof-method-no-scheme.json",
            &["proof-key-unusable"],
        ),
        (
            "simple-err-proof-method-unknown-did-method.json",
            &["proof-key-unusable"],
        ),
    ];
    for (name, codes) in cases {
        check(
            name,
            vec![example_com(), example_edu()],
            Format::Ob3Json,
            Level::Invalid,
            codes,
        );
    }
    check(
        "simple-err-proof-method-unknown-scheme.json",
        vec![example_com()],
        Format::Ob3Json,
        Level::Invalid,
        &["proof-key-unusable"],
    );
    // A method under the issuer's address that is not one of its keys:
    // their validator fails to dereference it; offline it is not found.
    check(
        "simple-err-proof-method.json",
        vec![example_edu()],
        Format::Ob3Json,
        Level::Warning,
        &["proof-key-not-found"],
    );
}

#[test]
fn a_revoked_credential_is_revoked_with_its_cached_list() {
    let name = "bit-string-list/credential-status-revoked.json";
    let list_url = "https://raw.githubusercontent.com/1EdTech/digital-credentials-public-validator/refs/heads/main/inspector-vc/src/test/resources/ob30/bit-string-list/testlist";
    let got = run(name, vec![], vec![]);
    assert_eq!(got.status_urls, [list_url]);
    assert!(got
        .report
        .checks
        .iter()
        .any(|c| c.code == "status-not-checked"));
    let body = String::from_utf8(fixture("bit-string-list/testlist")).unwrap();
    let cached = CachedStatusList {
        url: list_url.into(),
        fetched_at: "2026-12-01T09:00:00Z".into(),
        body,
    };
    let status_of = |got: &Inspection| {
        got.report
            .checks
            .iter()
            .find(|c| c.code.starts_with("status"))
            .unwrap()
            .code
            .clone()
    };
    // The list is signed by the issuer's key, named by the issuer's
    // address: with the issuer trusted, its signature verifies and its bit
    // says revoked.
    let one_edtech = trusted("https://1edtech.edu/issuers/565049", &[KEY_J]);
    let got = run(name, vec![one_edtech.clone()], vec![cached.clone()]);
    assert_eq!(status_of(&got), "status-revoked", "{:#?}", got.report);
    assert_eq!(got.report.level, Level::Invalid);
    assert_eq!(
        got.report.status_checked_at.as_deref(),
        Some("2026-12-01T09:00:00Z")
    );
    // Without that key offline, neither the badge nor its list can be
    // checked: the list is not believed either way.
    let got = run(name, vec![], vec![cached.clone()]);
    assert_eq!(status_of(&got), "status-list-key-not-found");
    assert_eq!(got.report.level, Level::Warning);
    assert_eq!(got.report.status_checked_at, None);
    // The same list with its bit cleared after signing is a forgery.
    let mut forged = cached;
    let mut list: serde_json::Value = serde_json::from_str(&forged.body).unwrap();
    list["credentialSubject"]["encodedList"] =
        talkoo_badges::status::encode_bitstring(&[0; 16]).into();
    forged.body = list.to_string();
    let got = run(name, vec![one_edtech], vec![forged]);
    assert_eq!(
        status_of(&got),
        "status-list-unverified",
        "{:#?}",
        got.report
    );
    assert_eq!(got.report.level, Level::Warning);

    // The 1EdTech Revocation List of the other fixture is online only.
    let got = run("credential-status-revoked.json", vec![], vec![]);
    assert!(got
        .report
        .checks
        .iter()
        .any(|c| c.code == "status-not-checked"));
    assert_eq!(got.status_urls.len(), 1);
}

#[test]
fn positives_with_embedded_proofs_verify() {
    for (name, format) in [
        ("simple.json", Format::Ob3Json),
        ("simple-json.png", Format::BakedPng),
        ("simple-json.svg", Format::BakedSvg),
    ] {
        check(
            name,
            vec![example_com()],
            format,
            Level::Valid,
            &["proof-valid", "issuer-known"],
        );
    }
    // A did:key method proves integrity; its urn:uuid issuer is unknown.
    check(
        "simple-did-key-method.json",
        vec![],
        Format::Ob3Json,
        Level::Warning,
        &["proof-valid", "issuer-unknown"],
    );
    // A forged proof value under a trusted key.
    check(
        "simple-err-proof-value.json",
        vec![example_com()],
        Format::Ob3Json,
        Level::Invalid,
        &["proof-signature-mismatch"],
    );
}

/// The Digital Credentials Consortium's date negatives (their proofs are
/// good, `tests/di.rs`) fail the whole check for the reason in their names;
/// their revoked ones name status lists on the web, which these offline
/// tests cannot hold.
#[test]
fn dcc_date_negatives_fail_for_their_stated_reason() {
    let cases = [
        ("twoOIDF-validStatus-expired.json", "validity-expired"),
        (
            "oidf-noStatus-notExpired-notYetValid.json",
            "validity-not-yet-valid",
        ),
    ];
    for (name, code) in cases {
        let path = format!(
            "{}/tests/fixtures/di/dcc-vc-test-fixtures/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let got = inspect(&VerifyRequest {
            bytes: STANDARD.encode(bytes),
            now: NOW.into(),
            trusted: vec![],
            status_lists: vec![],
        })
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        let codes: Vec<&str> = got.report.checks.iter().map(|c| c.code.as_str()).collect();
        assert!(codes.contains(&code), "{name}: no {code} in {codes:?}");
        assert_eq!(got.report.level, Level::Invalid, "{name}: {codes:?}");
    }
}
