//! The issuing tool through the real binary: key files, issued and baked credentials checked with the wallet's own `inspect`, revocation, and that the private key is never printed.

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::Value;
use talkoo_badges::inspect;
use talkoo_core::lang_map::LangMap;
use talkoo_core::wallet::{
    CachedStatusList, Format, Inspection, Level, TrustedIssuer, TrustedKey, VerifyRequest,
};

const NOW: &str = "2026-12-03T09:00:00Z";

/// A folder of its own under the system's temporary folder, removed when
/// dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("talkoo-issuer-{name}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn path(&self, name: &str) -> String {
        self.0.join(name).to_string_lossy().into_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_talkoo-issuer"))
        .args(args)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).unwrap()
}

/// Runs and asserts the exit code; returns stdout.
fn check(args: &[&str], code: i32, secret: Option<&str>) -> String {
    let out = run(args);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
    if let Some(secret) = secret {
        assert!(
            !stdout.contains(secret) && !stderr.contains(secret),
            "{args:?} printed the private key"
        );
    }
    stdout
}

/// Makes a key; returns the private `d` and the trusted issuer a feed
/// would publish from what keygen printed.
fn keygen(dir: &TempDir) -> (String, TrustedIssuer) {
    let key = dir.path("key.json");
    let stdout = check(&["keygen", "--name", "Kajastus ry", "-o", &key], 0, None);
    let file: Value = serde_json::from_str(&std::fs::read_to_string(&key).unwrap()).unwrap();
    let d = file["d"].as_str().unwrap().to_owned();
    assert!(!stdout.contains(&d), "keygen printed the private key");
    let mut lines = stdout.lines();
    let did = lines.next().unwrap().to_owned();
    let jwk: Value = serde_json::from_str(lines.next().unwrap()).unwrap();
    assert!(did.starts_with("did:key:z6Mk"), "{did}");
    assert!(jwk.get("d").is_none());
    let mut name = LangMap::new();
    name.insert("fi".into(), "Kajastus ry".into());
    let trusted = TrustedIssuer {
        id: did,
        name,
        region: "lappi".into(),
        keys: vec![TrustedKey {
            id: jwk["kid"].as_str().unwrap().into(),
            jwk,
        }],
    };
    (d, trusted)
}

fn achievement(dir: &TempDir) -> String {
    let path = dir.path("achievement.json");
    std::fs::write(
        &path,
        r#"{"id": "https://feed.example/achievements/first-aid",
            "name": {"fi": "Ensiapu", "sv": "Första hjälpen"},
            "description": {"fi": "Osaa antaa ensiapua."},
            "criteria": {"fi": "Ensiapukurssi käyty."}}"#,
    )
    .unwrap();
    path
}

fn inspect_file(path: &str, trusted: &TrustedIssuer, lists: Vec<CachedStatusList>) -> Inspection {
    inspect(&VerifyRequest {
        bytes: STANDARD.encode(std::fs::read(path).unwrap()),
        now: NOW.into(),
        trusted: vec![trusted.clone()],
        status_lists: lists,
    })
    .unwrap()
}

#[test]
fn keygen_writes_a_private_file_and_never_overwrites_it() {
    let dir = TempDir::new("keygen");
    let (d, _) = keygen(&dir);
    let key = dir.path("key.json");
    let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let before = std::fs::read(&key).unwrap();
    check(&["keygen", "--name", "Other", "-o", &key], 1, Some(&d));
    assert_eq!(std::fs::read(&key).unwrap(), before);
    check(&["keygen", "--name", "x"], 2, None);
    check(&["keygen", "--bogus", "x"], 2, None);
}

#[test]
fn an_issued_jwt_and_its_baked_images_verify_in_the_wallet() {
    let dir = TempDir::new("issue");
    let (d, trusted) = keygen(&dir);
    let (key, jwt) = (dir.path("key.json"), dir.path("out.jwt"));
    let achievement = achievement(&dir);
    let id = check(
        &[
            "issue",
            "--key",
            &key,
            "--achievement",
            &achievement,
            "--lang",
            "sv",
            "--recipient-name",
            "Aino Virtanen",
            "--recipient-email",
            "aino@example.org",
            "--now",
            "2026-12-01T12:00:00Z",
            "--jwt",
            &jwt,
        ],
        0,
        Some(&d),
    );
    assert!(id.starts_with("urn:uuid:"), "{id}");
    let got = inspect_file(&jwt, &trusted, vec![]);
    assert_eq!(got.report.level, Level::Valid, "{:#?}", got.report);
    assert_eq!(got.format, Format::VcJwt);
    assert_eq!(
        got.summary.name.get("sv").map(String::as_str),
        Some("Första hjälpen")
    );
    assert_eq!(got.summary.credential_id.as_deref(), Some(id.trim()));
    let token = std::fs::read_to_string(&jwt).unwrap();
    assert!(!token.contains("aino@example.org"));

    let png = dir.path("badge.png");
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../talkoo-badges/tests/fixtures/ob30/simple-json.png"
        ),
        &png,
    )
    .unwrap();
    let baked = dir.path("baked.png");
    check(
        &["bake", "--credential", &jwt, "--image", &png, "-o", &baked],
        0,
        Some(&d),
    );
    let got = inspect_file(&baked, &trusted, vec![]);
    assert_eq!(
        (got.format, got.report.level),
        (Format::BakedPng, Level::Valid),
        "{:#?}",
        got.report
    );

    let svg = dir.path("badge.svg");
    std::fs::write(
        &svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle r="5"/></svg>"#,
    )
    .unwrap();
    let baked_svg = dir.path("baked.svg");
    check(
        &[
            "bake",
            "--credential",
            &jwt,
            "--image",
            &svg,
            "-o",
            &baked_svg,
        ],
        0,
        None,
    );
    let got = inspect_file(&baked_svg, &trusted, vec![]);
    assert_eq!(
        (got.format, got.report.level),
        (Format::BakedSvg, Level::Valid),
        "{:#?}",
        got.report
    );

    // A tampered copy of the baked PNG is not valid. The payload is changed
    // where it names the recipient, to a name of the same length, so it is
    // still a readable credential and only the signature can tell: flipping
    // a character at random could make it unreadable JSON instead, which
    // depends on the random ids in the token.
    let mut bytes = std::fs::read(&baked).unwrap();
    let parts: Vec<&str> = token.trim().split('.').collect();
    let payload = String::from_utf8(URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    assert!(payload.contains("Aino Virtanen"));
    let forged = URL_SAFE_NO_PAD.encode(payload.replace("Aino Virtanen", "Eino Virtanen"));
    assert_eq!(forged.len(), parts[1].len());
    let at = bytes
        .windows(parts[1].len())
        .position(|w| w == parts[1].as_bytes())
        .unwrap();
    bytes[at..at + forged.len()].copy_from_slice(forged.as_bytes());
    // Keep the chunk's CRC right, so it is the signature that catches it.
    let tampered = dir.path("tampered.png");
    std::fs::write(&tampered, fix_crcs(&bytes)).unwrap();
    let got = inspect_file(&tampered, &trusted, vec![]);
    assert_eq!(got.report.level, Level::Invalid, "{:#?}", got.report);
    assert!(got
        .report
        .checks
        .iter()
        .any(|c| c.code == "proof-signature-mismatch"));
}

/// Recomputes every chunk's CRC, as a forger would.
fn fix_crcs(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes[..8].to_vec();
    let mut at = 8;
    while at + 8 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        let kind: [u8; 4] = bytes[at + 4..at + 8].try_into().unwrap();
        let data = &bytes[at + 8..at + 8 + len];
        out.extend(talkoo_badges::png::encode_chunk(&kind, data));
        at += len + 12;
    }
    out
}

#[test]
fn revoking_marks_the_credential_in_the_published_list() {
    let dir = TempDir::new("revoke");
    let (d, trusted) = keygen(&dir);
    let (key, achievement) = (dir.path("key.json"), achievement(&dir));
    let other_key = dir.path("other.key.json");
    check(&["keygen", "--name", "Joku muu", "-o", &other_key], 0, None);
    for (kind, extra) in [
        (
            "bitstring",
            vec![
                "--status-list",
                "https://feed.example/status/1",
                "--index",
                "7",
            ],
        ),
        (
            "revocation-list",
            vec!["--revocation-list", "https://feed.example/revocations"],
        ),
    ] {
        let jwt = dir.path(&format!("{kind}.jwt"));
        let list = dir.path(&format!("{kind}-status.json"));
        let mut args = vec![
            "issue",
            "--key",
            &key,
            "--achievement",
            &achievement,
            "--recipient-email",
            "b@example.org",
            "--now",
            "2026-12-01T12:00:00Z",
            "--jwt",
            &jwt,
        ];
        args.extend(extra.iter().copied());
        check(&args, 0, Some(&d));
        let url = extra[1];
        let got = inspect_file(&jwt, &trusted, vec![]);
        assert_eq!(got.status_urls, [url]);
        assert_eq!(got.report.level, Level::Warning, "{kind}");

        // Another key cannot revoke the badge: the list would not be the
        // issuer's, and wallets would not believe it.
        let revoke = |key: &str, code: i32| {
            check(
                &[
                    "revoke",
                    "--key",
                    key,
                    "--list",
                    &list,
                    "--credential",
                    &jwt,
                    "--now",
                    NOW,
                ],
                code,
                Some(&d),
            )
        };
        revoke(&other_key, 2);
        assert!(!std::path::Path::new(&list).exists(), "{kind}");
        assert_eq!(revoke(&key, 0), "revoked\n");
        let published = std::fs::read_to_string(&list).unwrap();
        assert_eq!(revoke(&key, 0), "already revoked\n");
        assert_eq!(std::fs::read_to_string(&list).unwrap(), published, "{kind}");
        // A list an older version wrote unsigned is signed on the next run.
        let unsigned = talkoo_badges::status::unsigned_list(&published).unwrap();
        std::fs::write(&list, unsigned.to_string()).unwrap();
        let cached = |body: String| CachedStatusList {
            url: url.into(),
            fetched_at: NOW.into(),
            body,
        };
        let got = inspect_file(&jwt, &trusted, vec![cached(unsigned.to_string())]);
        assert!(
            got.report
                .checks
                .iter()
                .any(|c| c.code == "status-list-unsigned"),
            "{kind}: {:#?}",
            got.report
        );
        assert_eq!(revoke(&key, 0), "already revoked\n");
        let got = inspect_file(
            &jwt,
            &trusted,
            vec![cached(std::fs::read_to_string(&list).unwrap())],
        );
        assert_eq!(
            got.report.level,
            Level::Invalid,
            "{kind}: {:#?}",
            got.report
        );
        assert!(
            got.report.checks.iter().any(|c| c.code == "status-revoked"),
            "{kind}"
        );
    }
}

#[test]
fn usage_mistakes_exit_with_2() {
    let dir = TempDir::new("usage");
    let (_, _) = keygen(&dir);
    let key = dir.path("key.json");
    for args in [
        vec![],
        vec!["frobnicate"],
        vec![
            "issue",
            "--key",
            &key,
            "--achievement",
            "missing-id",
            "--now",
            NOW,
            "--jwt",
            "x",
        ],
        vec![
            "issue",
            "--key",
            &key,
            "--achievement",
            "a.json",
            "--now",
            NOW,
        ],
        vec!["issue", "--status-list", "https://x"],
    ] {
        let out = run(&args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn an_issued_credential_with_a_data_integrity_proof_verifies() {
    let dir = TempDir::new("di");
    let (d, trusted) = keygen(&dir);
    let (key, out) = (dir.path("key.json"), dir.path("out.json"));
    let achievement = achievement(&dir);
    check(
        &[
            "issue",
            "--key",
            &key,
            "--achievement",
            &achievement,
            "--recipient-email",
            "c@example.org",
            "--now",
            "2026-12-01T12:00:00Z",
            "-o",
            &out,
        ],
        0,
        Some(&d),
    );
    let got = inspect_file(&out, &trusted, vec![]);
    assert_eq!(
        (got.format, got.report.level),
        (Format::Ob3Json, Level::Valid),
        "{:#?}",
        got.report
    );
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(json["proof"]["cryptosuite"], "eddsa-rdfc-2022");
    let baked = dir.path("baked.svg");
    let svg = dir.path("badge.svg");
    std::fs::write(&svg, r#"<svg xmlns="http://www.w3.org/2000/svg"/>"#).unwrap();
    check(
        &["bake", "--credential", &out, "--image", &svg, "-o", &baked],
        0,
        None,
    );
    assert_eq!(
        inspect_file(&baked, &trusted, vec![]).report.level,
        Level::Valid
    );
}
