//! The OB 3.0 checks through `inspect`, on credentials made with the issuing code: each case names the report's level and every check code it must give.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};
use talkoo_badges::issue::{self, Award, Issuer, StatusSpec};
use talkoo_badges::{bake, inspect, keys, status};
use talkoo_core::lang_map::LangMap;
use talkoo_core::wallet::{
    CachedStatusList, Format, Inspection, Level, TrustedIssuer, TrustedKey, VerifyRequest,
};

const NOW: &str = "2026-12-03T10:00:00Z";
const LIST: &str = "https://feed.example/status/1";

fn kajastus() -> Issuer {
    Issuer::from_seed([1; 32], "Kajastus ry")
}

fn trusted(issuer: &Issuer) -> TrustedIssuer {
    let mut name = LangMap::new();
    name.insert("fi".into(), "Kajastus ry".into());
    name.insert("sv".into(), "Kajastus rf".into());
    TrustedIssuer {
        id: issuer.did(),
        name,
        region: "lappi".into(),
        keys: vec![TrustedKey {
            id: issuer.method(),
            jwk: issuer.public_jwk(),
        }],
    }
}

fn achievement() -> Value {
    json!({
        "id": "https://feed.example/achievements/first-aid",
        "type": ["Achievement"],
        "name": "Ensiapu",
        "description": "Osaa antaa ensiapua.",
        "criteria": {"narrative": "Ensiapukurssi käyty."},
        "image": {"id": "https://feed.example/first-aid.png", "type": "Image"},
        "inLanguage": "fi",
        "alignment": [{"type": ["Alignment"], "targetName": "antaa ensiapua", "targetUrl": "http://data.europa.eu/esco/skill/first-aid", "targetFramework": "ESCO"}]
    })
}

fn credential(status: Option<StatusSpec>) -> Value {
    let a = achievement();
    issue::credential(
        &kajastus(),
        &Award {
            achievement: &a,
            credential_id: "urn:uuid:00000000-0000-4000-8000-000000000001",
            recipient_name: Some("Aino Virtanen"),
            recipient_email: Some("aino@example.org"),
            salt: "pepper",
            now: "2026-06-01T12:00:00Z",
            status,
        },
    )
    .unwrap()
}

fn jwt_of(cred: &Value) -> String {
    issue::sign_jwt(&kajastus(), cred)
}

fn request(trusted: Vec<TrustedIssuer>, lists: Vec<CachedStatusList>) -> VerifyRequest {
    VerifyRequest {
        bytes: String::new(),
        now: NOW.into(),
        trusted,
        status_lists: lists,
    }
}

fn inspect_with(bytes: &[u8], mut req: VerifyRequest) -> Inspection {
    req.bytes = STANDARD.encode(bytes);
    inspect(&req).expect("reads")
}

/// Inspects `bytes` and asserts the report's level and its codes, in order.
fn check(bytes: &[u8], req: VerifyRequest, level: Level, codes: &[&str]) -> Inspection {
    let got = inspect_with(bytes, req);
    let got_codes: Vec<&str> = got.report.checks.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(got_codes, codes, "{:#?}", got.report);
    assert_eq!(got.report.level, level, "{:#?}", got.report);
    got
}

fn arg<'a>(i: &'a Inspection, code: &str, name: &str) -> &'a str {
    let c = i.report.checks.iter().find(|c| c.code == code).expect(code);
    c.args
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .expect(name)
}

const ALL_VALID: [&str; 6] = [
    "structure-valid",
    "proof-valid",
    "issuer-known",
    "validity-valid",
    "status-none",
    "recipient-hashed",
];

#[test]
fn a_jwt_from_a_trusted_issuer_is_valid_and_summarised() {
    let token = jwt_of(&credential(None));
    let got = check(
        token.as_bytes(),
        request(vec![trusted(&kajastus())], vec![]),
        Level::Valid,
        &ALL_VALID,
    );
    assert_eq!(got.format, Format::VcJwt);
    assert_eq!(got.id, talkoo_badges::read::wallet_id(&token));
    assert_eq!(arg(&got, "issuer-known", "name"), "Kajastus ry");
    assert_eq!(arg(&got, "issuer-known", "name-sv"), "Kajastus rf");
    assert_eq!(arg(&got, "issuer-known", "region"), "lappi");
    let s = &got.summary;
    assert_eq!(s.name.get("fi").map(String::as_str), Some("Ensiapu"));
    assert_eq!(
        s.criteria.get("fi").map(String::as_str),
        Some("Ensiapukurssi käyty.")
    );
    assert_eq!(
        s.image.as_deref(),
        Some("https://feed.example/first-aid.png")
    );
    assert_eq!(s.issuer_name.as_deref(), Some("Kajastus ry"));
    assert_eq!(s.recipient_name.as_deref(), Some("Aino Virtanen"));
    assert_eq!(s.skills[0].framework.as_deref(), Some("ESCO"));
    assert_eq!(s.valid_from.as_deref(), Some("2026-06-01T12:00:00Z"));
    assert_eq!(
        s.achievement_id.as_deref(),
        Some("https://feed.example/achievements/first-aid")
    );
    // The email address stays hashed: it appears nowhere in the answer.
    assert!(!serde_json::to_string(&got)
        .unwrap()
        .contains("aino@example.org"));
}

#[test]
fn an_unknown_issuer_is_a_warning_not_a_forgery() {
    let token = jwt_of(&credential(None));
    let mut codes = ALL_VALID;
    codes[2] = "issuer-unknown";
    let got = check(
        token.as_bytes(),
        request(vec![], vec![]),
        Level::Warning,
        &codes,
    );
    assert_eq!(arg(&got, "issuer-unknown", "name"), "Kajastus ry");
}

#[test]
fn a_known_issuer_name_with_another_key_is_not_valid() {
    // The credential names Kajastus's did:key as issuer but another key signs.
    let mallory = Issuer::from_seed([9; 32], "Mallory");
    let token = issue::sign_jwt(&mallory, &credential(None));
    let mut codes = ALL_VALID;
    codes[2] = "issuer-key-mismatch";
    check(
        token.as_bytes(),
        request(vec![trusted(&kajastus())], vec![]),
        Level::Invalid,
        &codes,
    );
    // And an https issuer that the feed lists with Kajastus's key, signed by Mallory's did:key.
    let mut cred = credential(None);
    cred["issuer"]["id"] = "https://kajastus.example/issuer".into();
    let mut t = trusted(&kajastus());
    t.id = "https://kajastus.example/issuer".into();
    let token = issue::sign_jwt(&mallory, &cred);
    check(
        token.as_bytes(),
        request(vec![t.clone()], vec![]),
        Level::Invalid,
        &codes,
    );
    // Signed by Kajastus's key under its https id: known.
    let token = issue::sign_jwt(&kajastus(), &cred);
    check(
        token.as_bytes(),
        request(vec![t], vec![]),
        Level::Valid,
        &ALL_VALID,
    );
}

#[test]
fn dates_outside_validity_are_not_valid_with_the_date() {
    let mut expired = credential(None);
    expired["validUntil"] = "2026-12-01T00:00:00Z".into();
    let mut codes = ALL_VALID.to_vec();
    codes[3] = "validity-expired";
    let got = check(
        jwt_of(&expired).as_bytes(),
        request(vec![trusted(&kajastus())], vec![]),
        Level::Invalid,
        &codes,
    );
    assert_eq!(
        arg(&got, "validity-expired", "date"),
        "2026-12-01T00:00:00Z"
    );
    let mut early = credential(None);
    early["validFrom"] = "2027-01-01T00:00:00Z".into();
    codes[3] = "validity-not-yet-valid";
    check(
        jwt_of(&early).as_bytes(),
        request(vec![trusted(&kajastus())], vec![]),
        Level::Invalid,
        &codes,
    );
    let mut bad = credential(None);
    bad["validFrom"] = "1.1.2026".into();
    codes[3] = "validity-bad-date";
    check(
        jwt_of(&bad).as_bytes(),
        request(vec![trusted(&kajastus())], vec![]),
        Level::Invalid,
        &codes,
    );
}

fn bitstring_list(revoked: Option<usize>) -> CachedStatusList {
    let mut list = status::new_bitstring_list(LIST, &kajastus().did(), "2026-01-01T00:00:00Z");
    if let Some(index) = revoked {
        let entry = status::Entry::Bitstring {
            url: LIST.into(),
            index,
            purpose: "revocation".into(),
        };
        status::revoke(&mut list, &entry, None).unwrap();
    }
    CachedStatusList {
        url: LIST.into(),
        fetched_at: "2026-12-02T08:00:00Z".into(),
        body: issue::sign_status_list(&kajastus(), &list, "2026-01-01T00:00:00Z").unwrap(),
    }
}

#[test]
fn status_lists_are_looked_up_in_the_cache() {
    let spec = StatusSpec::Bitstring {
        url: LIST.into(),
        index: 42,
    };
    let token = jwt_of(&credential(Some(spec)));
    let t = || vec![trusted(&kajastus())];
    let mut codes = ALL_VALID.to_vec();

    codes[4] = "status-not-checked";
    let got = check(
        token.as_bytes(),
        request(t(), vec![]),
        Level::Warning,
        &codes,
    );
    assert_eq!(got.status_urls, [LIST]);
    assert_eq!(got.report.status_checked_at, None);

    codes[4] = "status-valid";
    let got = check(
        token.as_bytes(),
        request(t(), vec![bitstring_list(Some(41))]),
        Level::Valid,
        &codes,
    );
    assert_eq!(
        got.report.status_checked_at.as_deref(),
        Some("2026-12-02T08:00:00Z")
    );

    codes[4] = "status-revoked";
    let got = check(
        token.as_bytes(),
        request(t(), vec![bitstring_list(Some(42))]),
        Level::Invalid,
        &codes,
    );
    assert_eq!(
        arg(&got, "status-revoked", "fetched"),
        "2026-12-02T08:00:00Z"
    );

    // A list issued by someone else is not trusted to say either way.
    let mut foreign = bitstring_list(None);
    foreign.body = foreign.body.replace(&kajastus().did(), "did:key:z6MkOther");
    codes[4] = "status-list-issuer-mismatch";
    check(
        token.as_bytes(),
        request(t(), vec![foreign]),
        Level::Warning,
        &codes,
    );

    let rl = "https://feed.example/revocations";
    let token = jwt_of(&credential(Some(StatusSpec::RevocationList {
        url: rl.into(),
    })));
    let mut list = status::new_revocation_list(rl, &kajastus().did());
    let entry = status::Entry::RevocationList { url: rl.into() };
    status::revoke(
        &mut list,
        &entry,
        Some("urn:uuid:00000000-0000-4000-8000-000000000001"),
    )
    .unwrap();
    let cached = CachedStatusList {
        url: rl.into(),
        fetched_at: "2026-12-01T00:00:00Z".into(),
        body: issue::sign_status_list(&kajastus(), &list, "2026-12-01T00:00:00Z").unwrap(),
    };
    codes[4] = "status-revoked";
    check(
        token.as_bytes(),
        request(t(), vec![cached]),
        Level::Invalid,
        &codes,
    );
}

#[test]
fn structure_problems_are_all_reported() {
    let mut cred = credential(None);
    cred["@context"] = json!(["https://www.w3.org/ns/credentials/v2"]);
    cred["type"] = json!(["VerifiableCredential"]);
    cred["credentialSubject"]
        .as_object_mut()
        .unwrap()
        .remove("achievement");
    cred.as_object_mut().unwrap().remove("validFrom");
    let got = inspect_with(
        jwt_of(&cred).as_bytes(),
        request(vec![trusted(&kajastus())], vec![]),
    );
    let codes: Vec<&str> = got
        .report
        .checks
        .iter()
        .take(4)
        .map(|c| c.code.as_str())
        .collect();
    assert_eq!(
        codes,
        [
            "structure-missing-context",
            "structure-missing-type",
            "structure-missing-achievement",
            "structure-missing-valid-from"
        ]
    );
    assert_eq!(got.report.level, Level::Invalid);
}

#[test]
fn json_without_a_proof_is_not_valid() {
    let text = credential(None).to_string();
    let got = check(
        text.as_bytes(),
        request(vec![trusted(&kajastus())], vec![]),
        Level::Invalid,
        &[
            "structure-valid",
            "no-proof",
            "issuer-not-checked",
            "validity-valid",
            "status-none",
            "recipient-hashed",
        ],
    );
    assert_eq!(got.format, Format::Ob3Json);
}

#[test]
fn recipients_without_identity_are_a_warning() {
    let mut cred = credential(None);
    cred["credentialSubject"]
        .as_object_mut()
        .unwrap()
        .remove("identifier");
    let mut codes = ALL_VALID;
    codes[5] = "recipient-none";
    check(
        jwt_of(&cred).as_bytes(),
        request(vec![trusted(&kajastus())], vec![]),
        Level::Warning,
        &codes,
    );
    cred["credentialSubject"]["id"] = "did:example:aino".into();
    codes[5] = "recipient-id";
    check(
        jwt_of(&cred).as_bytes(),
        request(vec![trusted(&kajastus())], vec![]),
        Level::Valid,
        &codes,
    );
}

#[test]
fn altered_or_unsigned_jwts_are_not_valid() {
    let token = jwt_of(&credential(None));
    let (input, sig) = token.rsplit_once('.').unwrap();
    let (header, payload) = input.split_once('.').unwrap();
    let mut cred = credential(None);
    cred["credentialSubject"]["achievement"]["name"] = "Johtaja".into();
    let other = jwt_of(&cred);
    let other_payload = other.split('.').nth(1).unwrap();
    let moved = format!("{header}.{other_payload}.{sig}");
    let mut codes = ALL_VALID;
    codes[1] = "proof-signature-mismatch";
    codes[2] = "issuer-not-checked";
    check(
        moved.as_bytes(),
        request(vec![trusted(&kajastus())], vec![]),
        Level::Invalid,
        &codes,
    );
    let none = format!("{}.{payload}.", base64_url(r#"{"alg":"none"}"#));
    codes[1] = "proof-algorithm-refused";
    check(
        none.as_bytes(),
        request(vec![trusted(&kajastus())], vec![]),
        Level::Invalid,
        &codes,
    );
    let _ = payload;
}

fn base64_url(text: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
}

#[test]
fn baked_images_verify_like_the_jwt_inside() {
    let token = jwt_of(&credential(None));
    let png = bake::bake_png(include_bytes!("fixtures/ob30/simple-json.png"), &token).unwrap();
    let got = check(
        &png,
        request(vec![trusted(&kajastus())], vec![]),
        Level::Valid,
        &ALL_VALID,
    );
    assert_eq!(got.format, Format::BakedPng);
    assert_eq!(got.id, talkoo_badges::read::wallet_id(&token));
    let svg = bake::bake_svg(
        r#"<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>"#,
        &token,
    )
    .unwrap();
    let got = check(
        svg.as_bytes(),
        request(vec![trusted(&kajastus())], vec![]),
        Level::Valid,
        &ALL_VALID,
    );
    assert_eq!(got.format, Format::BakedSvg);
}

#[test]
fn ob2_hosted_assertions_can_be_checked_when_online() {
    let assertion = json!({
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": "https://badges.example/assertions/1",
        "recipient": {"type": "email", "hashed": true, "identity": "sha256$abc", "salt": "x"},
        "badge": {"type": "BadgeClass", "id": "https://badges.example/b", "name": "Talkoolainen", "issuer": {"id": "https://badges.example/i", "name": "Kylä ry"}},
        "verification": {"type": "hosted"},
        "issuedOn": "2020-01-01T00:00:00Z"
    });
    let got = check(
        assertion.to_string().as_bytes(),
        request(vec![], vec![]),
        Level::Warning,
        &[
            "structure-valid",
            "proof-hosted",
            "issuer-not-checked",
            "validity-valid",
            "status-none",
            "recipient-hashed",
        ],
    );
    assert_eq!(got.format, Format::Ob2Json);
    assert_eq!(
        got.summary.name.get("und").map(String::as_str),
        Some("Talkoolainen")
    );
    assert_eq!(got.summary.issuer_name.as_deref(), Some("Kylä ry"));
}

#[test]
fn an_embedded_eddsa_rdfc_2022_proof_verifies() {
    let issuer = kajastus();
    let signed = issue::sign_data_integrity(&issuer, &credential(None), NOW).unwrap();
    let text = signed.to_string();
    check(
        text.as_bytes(),
        request(vec![trusted(&issuer)], vec![]),
        Level::Valid,
        &ALL_VALID,
    );
    let tampered = text.replace("Ensiapu", "Johtaja");
    let mut codes = ALL_VALID;
    codes[1] = "proof-signature-mismatch";
    codes[2] = "issuer-not-checked";
    check(
        tampered.as_bytes(),
        request(vec![trusted(&issuer)], vec![]),
        Level::Invalid,
        &codes,
    );
    // The did:key in the proof is decoded offline: no trusted list needed.
    let mut codes = ALL_VALID;
    codes[2] = "issuer-unknown";
    check(
        text.as_bytes(),
        request(vec![], vec![]),
        Level::Warning,
        &codes,
    );
    let _ = keys::did_key(&issuer.did()).unwrap();
}

#[test]
fn ob2_signed_assertions_verify_with_their_key() {
    use ed25519_dalek::Signer;
    let issuer = kajastus();
    let assertion = json!({
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": "urn:uuid:ob2-1",
        "recipient": {"type": "email", "hashed": true, "identity": "sha256$abc"},
        "badge": {"type": "BadgeClass", "id": "https://badges.example/b", "name": "Talkoolainen", "issuer": issuer.did()},
        "verification": {"type": "SignedBadge", "creator": issuer.method()},
        "issuedOn": "2020-01-01T00:00:00Z"
    });
    let header = json!({"alg": "EdDSA", "kid": issuer.method()});
    let input = format!(
        "{}.{}",
        base64_url(&header.to_string()),
        base64_url(&assertion.to_string())
    );
    let sig = issuer.key.sign(input.as_bytes());
    let token = format!(
        "{input}.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sig.to_bytes())
    );
    let got = check(
        token.as_bytes(),
        request(vec![trusted(&issuer)], vec![]),
        Level::Valid,
        &[
            "structure-valid",
            "proof-valid",
            "issuer-known",
            "validity-valid",
            "status-none",
            "recipient-hashed",
        ],
    );
    assert_eq!(got.format, Format::Ob2Jws);
    let mut revoked = assertion.clone();
    revoked["revoked"] = true.into();
    let input = format!(
        "{}.{}",
        base64_url(&header.to_string()),
        base64_url(&revoked.to_string())
    );
    let sig = issuer.key.sign(input.as_bytes());
    let token = format!(
        "{input}.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sig.to_bytes())
    );
    let got = inspect_with(token.as_bytes(), request(vec![trusted(&issuer)], vec![]));
    assert_eq!(got.report.level, Level::Invalid);
    assert!(got.report.checks.iter().any(|c| c.code == "status-revoked"));
}
