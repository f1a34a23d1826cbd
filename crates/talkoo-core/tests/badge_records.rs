//! The feed's badge records (format 1.1): a valid organisations file with an achievement and its issuer, then one break per case, each expected to be named with its JSON path.

use std::path::Path;

use talkoo_core::feed::{
    parse, validate_badges, validate_data_file, validate_manifest, validate_references, DataFile,
    FileRef, Kind, Manifest, Municipality, Problem, Publisher, Region,
};

fn fixture(name: &str) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/badges")
        .join(name);
    serde_json::from_slice(&std::fs::read(path).expect("fixture")).expect("json")
}

fn file_ref(kind: Kind, records: u32) -> FileRef {
    FileRef {
        path: format!("kainuu/{}-205-0123456789abcdef.json", kind.name()),
        kind,
        partition: "205".into(),
        sha256: format!("0123456789abcdef{}", "0".repeat(48)),
        bytes: 1,
        records,
    }
}

fn region(files: Vec<FileRef>) -> Region {
    Region {
        id: "kainuu".into(),
        name: [("fi".to_owned(), "Kainuu".to_owned())]
            .into_iter()
            .collect(),
        municipalities: vec![Municipality {
            code: "205".into(),
            name: [("fi".to_owned(), "Kajaani".to_owned())]
                .into_iter()
                .collect(),
        }],
        version: "v1".into(),
        files,
        deltas: Vec::new(),
    }
}

/// Every problem of the fixture's two files after `edit` changed the
/// organisations file, checked one file at a time and across both.
fn problems_after(edit: impl FnOnce(&mut serde_json::Value)) -> Vec<Problem> {
    let mut orgs = fixture("organisations-205.json");
    edit(&mut orgs);
    let orgs: DataFile =
        parse("organisations", &serde_json::to_vec(&orgs).expect("json")).expect("parse");
    let services: DataFile = parse(
        "services",
        &serde_json::to_vec(&fixture("services-205.json")).expect("json"),
    )
    .expect("parse");
    let refs = [
        file_ref(Kind::Organisations, 1),
        file_ref(Kind::Services, 1),
    ];
    let region = region(refs.to_vec());
    let mut found = validate_data_file("organisations", &orgs, &refs[0], &region);
    found.extend(validate_badges("organisations", &orgs));
    found.extend(validate_data_file("services", &services, &refs[1], &region));
    found.extend(validate_badges("services", &services));
    found.extend(validate_references(&[
        ("organisations", &orgs),
        ("services", &services),
    ]));
    found
}

/// Expects a problem at `path` whose message contains `message`.
fn check(edit: impl FnOnce(&mut serde_json::Value), path: &str, message: &str) {
    let found = problems_after(edit);
    assert!(
        found
            .iter()
            .any(|p| p.path == path && p.message.contains(message)),
        "expected {path}: {message}, got {found:#?}"
    );
}

#[test]
fn the_fixture_is_valid_and_read_with_its_badges() {
    let found = problems_after(|_| {});
    assert!(found.is_empty(), "{found:#?}");
    let orgs: DataFile = parse(
        "organisations",
        &serde_json::to_vec(&fixture("organisations-205.json")).expect("json"),
    )
    .expect("an unknown field is ignored");
    let a = &orgs.achievements[0];
    assert_eq!(a.hours, Some(20));
    assert_eq!(a.services, ["svc-ystavatoiminta"]);
    assert_eq!(a.alignments.len(), 2);
    assert_eq!(a.alignments[0].target_url, None);
    assert_eq!(
        a.alignments[1].target_url.as_deref(),
        Some("http://data.europa.eu/esco/skill/15d76317-c71a-4fa2-aadc-2ecc34e627b7")
    );
    assert_eq!(orgs.issuers.len(), 2);
    assert_eq!(orgs.issuers[1].keys[0].jwk["kty"], "RSA");
}

#[test]
fn broken_achievements_are_named_with_their_path() {
    let a = "$.achievements[0]";
    check(
        |v| v["achievements"][0]["ob_id"] = "ystava".into(),
        &format!("{a}.ob_id"),
        "not an absolute URI",
    );
    check(
        |v| v["achievements"][0]["ob_id"] = "https://example.fi/a b".into(),
        &format!("{a}.ob_id"),
        "not an absolute URI",
    );
    check(
        |v| v["achievements"][0]["name"] = serde_json::json!({"sv": "Vänkurs"}),
        &format!("{a}.name"),
        "Finnish (fi) name",
    );
    check(
        |v| v["achievements"][0]["criteria"] = serde_json::json!({}),
        &format!("{a}.criteria"),
        "at least one language",
    );
    check(
        |v| v["achievements"][0]["id"] = "Ystävä merkki".into(),
        &format!("{a}.id"),
        "1–100 characters",
    );
    check(
        |v| v["achievements"][0]["image"] = "data:image/gif;base64,R0lGODlh".into(),
        &format!("{a}.image"),
        "must be a data:image/svg+xml;base64,",
    );
    check(
        |v| v["achievements"][0]["image"] = "data:image/png;base64,not base64!".into(),
        &format!("{a}.image"),
        "not valid base64",
    );
    check(
        |v| {
            v["achievements"][0]["image"] =
                format!("data:image/png;base64,{}", "AAAA".repeat(3000)).into()
        },
        &format!("{a}.image"),
        "at most 8192",
    );
    for url in [
        "esco/skill/1",
        "urn:esco:skill:1",
        "javascript:alert(1)",
        "data:text/html,<b>x</b>",
        "https://",
        "https://data.europa.eu/esco/skill/a b",
    ] {
        check(
            |v| v["achievements"][0]["alignments"][1]["target_url"] = url.into(),
            &format!("{a}.alignments[1].target_url"),
            "must be an http: or https: address",
        );
    }
    check(
        |v| v["achievements"][0]["alignments"][1]["target_name"] = serde_json::json!({}),
        &format!("{a}.alignments[1].target_name"),
        "at least one language",
    );
    check(
        |v| v["achievements"][0]["hours"] = 0.into(),
        &format!("{a}.hours"),
        "more than zero",
    );
    check(
        |v| v["achievements"][0]["services"][0] = "svc-x".into(),
        &format!("{a}.services[0]"),
        "service `svc-x` does not exist",
    );
    check(
        |v| v["achievements"][0]["issuer"] = "iss-x".into(),
        &format!("{a}.issuer"),
        "issuer `iss-x` does not exist",
    );
    check(
        |v| v["achievements"][0]["modified"] = "eilen".into(),
        &format!("{a}.modified"),
        "RFC 3339",
    );
}

#[test]
fn broken_issuers_are_named_with_their_path() {
    let i = "$.issuers[0]";
    check(
        |v| v["issuers"][0]["issuer_id"] = "did:web:example.fi".into(),
        &format!("{i}.issuer_id"),
        "did:key (did:key:z…) or an https: address",
    );
    check(
        |v| v["issuers"][0]["keys"] = serde_json::json!([]),
        &format!("{i}.keys"),
        "at least one public key",
    );
    check(
        |v| {
            let first = v["issuers"][0]["keys"][0].clone();
            v["issuers"][0]["keys"]
                .as_array_mut()
                .expect("array")
                .push(first);
        },
        &format!("{i}.keys[1].id"),
        "listed twice",
    );
    check(
        |v| v["issuers"][0]["keys"][0]["id"] = "https://example.fi/keys/1".into(),
        &format!("{i}.keys[0].id"),
        "a did:key issuer's key id must be",
    );
    check(
        |v| v["issuers"][0]["keys"][0]["jwk"]["kty"] = "EC".into(),
        &format!("{i}.keys[0].jwk.kty"),
        "Ed25519 key",
    );
    check(
        |v| v["issuers"][0]["keys"][0]["jwk"]["x"] = "c2hvcnQ".into(),
        &format!("{i}.keys[0].jwk.x"),
        "43 characters",
    );
    check(
        |v| v["issuers"][1]["keys"][0]["jwk"]["p"] = "c2VjcmV0".into(),
        "$.issuers[1].keys[0].jwk.p",
        "private key material",
    );
    check(
        |v| v["issuers"][1]["keys"][0]["jwk"]["e"] = serde_json::Value::Null,
        "$.issuers[1].keys[0].jwk.e",
        "base64url",
    );
    check(
        |v| v["issuers"][0]["keys"][0]["jwk"] = "ttK7sUlV".into(),
        &format!("{i}.keys[0].jwk"),
        "JSON object",
    );
    check(
        |v| v["issuers"][1]["status_list"] = "http://example.fi/status".into(),
        "$.issuers[1].status_list",
        "https://",
    );
    check(
        |v| v["issuers"][0]["organisation"] = "org-x".into(),
        &format!("{i}.organisation"),
        "organisation `org-x` does not exist",
    );
    check(
        |v| {
            let mut other = v["issuers"][0].clone();
            other["id"] = "iss-toinen".into();
            v["issuers"].as_array_mut().expect("array").push(other);
        },
        "$.issuers[2].issuer_id",
        "also the issuer_id of issuer `iss-kajaanin-ystavat`",
    );
}

#[test]
fn every_problem_of_a_badge_record_is_reported() {
    let found = problems_after(|v| {
        v["achievements"][0]["ob_id"] = "ystava".into();
        v["achievements"][0]["hours"] = 0.into();
        v["issuers"][0]["keys"][0]["jwk"]["d"] = "c2VjcmV0".into();
    });
    assert_eq!(found.len(), 3, "{found:#?}");
}

#[test]
fn a_manifest_lists_no_file_of_a_kind_that_travels_inside_another() {
    let manifest = Manifest {
        schema_version: "1.1".into(),
        generated: "2026-11-20T00:00:00Z".into(),
        publisher: Publisher {
            name: [("fi".to_owned(), "Talkoo".to_owned())]
                .into_iter()
                .collect(),
            url: None,
            email: None,
        },
        demo: true,
        signing_keys: Vec::new(),
        regions: vec![region(vec![
            file_ref(Kind::Organisations, 1),
            file_ref(Kind::Achievements, 1),
        ])],
    };
    let found = validate_manifest("manifest.json", &manifest);
    assert!(
        found.iter().any(|p| p.path == "$.regions[0].files[1].kind"
            && p.message.contains("travel in organisations files")),
        "{found:#?}"
    );
}
