//! Badges awarded through the inbox (issue 11): the `award` command signs and stores them, the status poll delivers them to the code's app, refusals are plain and store nothing, the issuer key is never printed, and schema 2 files gain the awards table in one transaction.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rusqlite::Connection;
use serde_json::{json, Value};
use support::{entry, Fixture, TempDir, ORG, ORG_NAME};
use talkoo_badges::issue::Issuer;
use talkoo_core::wallet::{Level, TrustedIssuer, TrustedKey, VerifyRequest};
use talkoo_inbox::store::{Award, SCHEMA_VERSION};
use talkoo_inbox::{Fault, Inbox, InboxError};

const NOW: &str = "2026-12-01T10:00:00Z";
const ACHIEVEMENT: &str = "ach-ks-kahvila";
const OB_ID: &str = "https://example.fi/setlementti/osaamismerkit/kahvila";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/achievements.json")
}

fn issuer() -> Issuer {
    Issuer::from_seed([7; 32], ORG_NAME)
}

/// The issuer's private key written as the issuing tool writes it.
fn key_file(dir: &TempDir) -> PathBuf {
    let path = dir.0.join("issuer.json");
    std::fs::write(&path, issuer().private_jwk().to_string()).expect("key file");
    path
}

/// The secret part of the issuer key, which no output may hold.
fn secret() -> String {
    issuer().private_jwk()["d"].as_str().expect("d").to_owned()
}

fn run(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_talkoo-inbox"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run the binary")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("utf-8")
}

/// The public id of the fixture's code for [`ORG`].
fn code_id(f: &Fixture) -> String {
    f.inbox().holder(&f.code).expect("holder").code_id
}

/// `award` for the fixture's code with these options on top of working
/// ones (an option given again replaces the working one).
fn award(f: &Fixture, key: &Path, extra: &[&str]) -> Output {
    let id = code_id(f);
    let feed = fixtures();
    let mut args = vec![
        "award",
        "--member",
        &id,
        "--achievement",
        ACHIEVEMENT,
        "--feed",
        feed.to_str().expect("path"),
        "--key",
        key.to_str().expect("path"),
        "--recipient-name",
        "Aino Virtanen",
        "--now",
        NOW,
    ];
    args.extend_from_slice(extra);
    run(&f.dir.db(), &args)
}

fn poll(f: &Fixture, code: &str) -> Value {
    let answer = f.post("/v1/status", code, None, r#"{"ids": []}"#);
    assert_eq!(answer.status, 200);
    answer.json()
}

fn trusted() -> TrustedIssuer {
    let issuer = issuer();
    TrustedIssuer {
        id: issuer.did(),
        name: [("fi".to_owned(), ORG_NAME.to_owned())]
            .into_iter()
            .collect(),
        region: "kainuu".to_owned(),
        keys: vec![TrustedKey {
            id: issuer.method(),
            jwk: issuer.public_jwk(),
        }],
    }
}

/// The checks the wallet's verifier runs on a delivered VC-JWT.
fn verified(jwt: &str) -> (Level, Vec<String>) {
    let inspection = talkoo_badges::inspect(&VerifyRequest {
        bytes: STANDARD.encode(jwt),
        now: "2026-12-03T00:00:00Z".to_owned(),
        trusted: vec![trusted()],
        status_lists: Vec::new(),
    })
    .expect("reads as a credential");
    let codes = inspection
        .report
        .checks
        .iter()
        .map(|c| c.code.clone())
        .collect();
    (inspection.report.level, codes)
}

#[test]
fn an_award_reaches_the_volunteers_app_at_every_status_poll() {
    let f = Fixture::new("award", Fault::None);
    let key = key_file(&f.dir);
    let output = award(
        &f,
        &key,
        &["--recipient-email", "aino@example.org", "--lang", "sv"],
    );
    let (out, err) = (text(&output.stdout), text(&output.stderr));
    assert_eq!(output.status.code(), Some(0), "{err}");
    let id = out.trim_end().to_owned();
    assert_eq!(out, format!("{id}\n"), "only the award's id on stdout");
    assert_eq!(id.len(), 36, "a UUID: {id}");
    assert!(err.contains(&format!("awarded {OB_ID} to code ")), "{err}");

    let stored = f.inbox().awards(&code_id(&f)).expect("awards");
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].id, id);
    assert_eq!(stored[0].achievement, OB_ID);
    assert_eq!(stored[0].created, NOW);

    let answer = poll(&f, &f.code);
    let awards = answer["awards"].as_array().expect("awards");
    assert_eq!(awards.len(), 1, "{answer}");
    assert_eq!(awards[0]["id"], id.as_str());
    assert_eq!(awards[0]["achievement"], OB_ID);
    // The Data Integrity form goes out exactly when the inbox could make
    // it, and the coordinator is told when it could not.
    assert_eq!(
        awards[0].get("credential").is_some(),
        stored[0].credential.is_some()
    );
    assert_eq!(
        err.starts_with("note: the badge carries its VC-JWT only"),
        stored[0].credential.is_none(),
        "{err}"
    );
    if let Some(credential) = &stored[0].credential {
        let credential: Value = serde_json::from_str(credential).expect("json");
        assert_eq!(awards[0]["credential"], credential);
        assert_eq!(credential["proof"]["cryptosuite"], "eddsa-rdfc-2022");
    }
    let jwt = awards[0]["jwt"].as_str().expect("a VC-JWT");
    let (level, checks) = verified(jwt);
    assert_eq!(level, Level::Valid, "{checks:?}");
    assert!(checks.contains(&"proof-valid".to_owned()), "{checks:?}");
    assert!(
        checks.contains(&"recipient-hashed".to_owned()),
        "{checks:?}"
    );
    assert!(
        !jwt.contains("aino@example.org"),
        "the email is only hashed (and the payload is base64, so look inside too)"
    );
    let payload = jwt.split('.').nth(1).expect("payload");
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("base64url");
    let payload: Value = serde_json::from_slice(&payload).expect("json");
    let subject = &payload["vc"]["credentialSubject"];
    let subject = if subject.is_null() {
        &payload["credentialSubject"]
    } else {
        subject
    };
    assert_eq!(subject["achievement"]["name"], "Värd i vardagsrumskaféet");
    assert!(!payload.to_string().contains("aino@example.org"));

    // Every poll brings the same awards until the app has them, and the
    // app keeps each id once.
    assert_eq!(poll(&f, &f.code)["awards"], answer["awards"]);
    assert_eq!(poll(&f, &f.other_code)["awards"], json!([]));

    // The code itself names the volunteer as well as its id does, and a
    // feed source directory is searched for the achievement.
    let feed = f.dir.0.join("feed-src/kainuu");
    std::fs::create_dir_all(&feed).expect("feed dir");
    std::fs::copy(fixtures(), feed.join("achievements.json")).expect("copy");
    let typed = f.code.to_ascii_lowercase().replace('-', " ");
    // The demo feed's issuer files hold the key under `jwk`, without a name.
    let mut jwk = issuer().private_jwk();
    jwk.as_object_mut().expect("object").remove("name");
    let wrapped = f.dir.0.join("wrapped.key.json");
    let file = json!({"organisation": ORG, "issuer_id": issuer().did(), "jwk": jwk});
    std::fs::write(&wrapped, file.to_string()).expect("write");
    let output = award(
        &f,
        &wrapped,
        &[
            "--member",
            &typed,
            "--feed",
            f.dir.0.join("feed-src").to_str().expect("path"),
            "--achievement",
            OB_ID,
            "--now",
            "2026-12-02T10:00:00Z",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let second = text(&output.stdout).trim_end().to_owned();
    let ids: Vec<Value> = poll(&f, &f.code)["awards"]
        .as_array()
        .expect("awards")
        .iter()
        .map(|a| a["id"].clone())
        .collect();
    assert_eq!(ids, vec![json!(id), json!(second)], "oldest first");
    let answer = poll(&f, &f.code);
    let (level, checks) = verified(answer["awards"][1]["jwt"].as_str().expect("jwt"));
    assert_eq!(level, Level::Valid, "{checks:?}");
}

/// (what to change, the start of the message after `talkoo-inbox: `)
#[test]
fn mistakes_are_refused_in_plain_words_and_store_nothing() {
    let f = Fixture::new("award-refused", Fault::None);
    let good = key_file(&f.dir);
    let write = |name: &str, content: &str| {
        let path = f.dir.0.join(name);
        std::fs::write(&path, content).expect("write");
        path
    };
    let not_json = write("not-json.json", "this is not a key");
    let public = write("public.json", &issuer().public_jwk().to_string());
    let rsa = write("rsa.json", r#"{"kty": "RSA", "n": "AQAB", "e": "AQAB"}"#);
    let missing = f.dir.0.join("missing.json");
    let revoked = {
        let mut inbox = f.inbox();
        let issued = inbox.issue_code(ORG, Some("Eino")).expect("code");
        inbox.revoke_code(&issued.id).expect("revoke");
        issued.id
    };
    let check = |key: &Path, extra: &[&str], message: &str| {
        let output = award(&f, key, extra);
        let err = text(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{extra:?}: {err}");
        assert!(
            err.starts_with(&format!("talkoo-inbox: {message}")),
            "{extra:?}: {err}"
        );
        assert!(output.stdout.is_empty(), "{extra:?}");
        assert_eq!(f.inbox().awards(&code_id(&f)).expect("awards"), Vec::new());
    };
    let key_error = |path: &Path, why: &str| {
        format!("cannot use the issuer key file {}: {why}", path.display())
    };
    check(
        &not_json,
        &[],
        &key_error(
            &not_json,
            "it is not JSON (a private key as a JWK is expected)",
        ),
    );
    check(
        &public,
        &[],
        &key_error(&public, "the key is not an Ed25519 private JWK: no d"),
    );
    check(
        &rsa,
        &[],
        &key_error(
            &rsa,
            "the key is not an Ed25519 private JWK: kty must be OKP and crv Ed25519",
        ),
    );
    check(&missing, &[], &key_error(&missing, "No such file"));
    check(
        &good,
        &["--member", "0000ffff"],
        "there is no join code 0000ffff",
    );
    check(
        &good,
        &["--member", "ZZZZ-ZZZZ-ZZZZ"],
        "there is no join code ZZZZ-ZZZZ-ZZZZ",
    );
    check(
        &good,
        &["--member", &revoked],
        &format!("join code {revoked} is revoked"),
    );
    check(
        &good,
        &["--achievement", "ach-nope"],
        &format!(
            "there is no achievement ach-nope in {} (2 achievements in 1 files)",
            fixtures().display()
        ),
    );
    check(
        &good,
        &["--achievement", "ach-spr-ensiapu"],
        "achievement ach-spr-ensiapu is awarded by organisation \"kainuu-spr\", but the join code belongs to \"kainuu-setlementti\"",
    );
    check(
        &good,
        &["--now", "yesterday"],
        "cannot issue the badge: yesterday is not an RFC 3339 date-time",
    );
}

#[test]
fn the_issuer_key_is_never_printed() {
    let f = Fixture::new("award-secret", Fault::None);
    let secret = secret();
    let good = key_file(&f.dir);
    // A damaged file still holding the secret: cut short, or with a public
    // part that is another key's.
    let cut = f.dir.0.join("cut.json");
    let whole = issuer().private_jwk().to_string();
    std::fs::write(&cut, &whole[..whole.len() - 3]).expect("write");
    let mismatched = f.dir.0.join("mismatched.json");
    let mut jwk = issuer().private_jwk();
    jwk["x"] = Issuer::from_seed([8; 32], "").public_jwk()["x"].clone();
    std::fs::write(&mismatched, jwk.to_string()).expect("write");
    for (key, extra, code) in [
        (&good, &[][..], 0),
        (&good, &["--member", "0000ffff"][..], 1),
        (&cut, &[][..], 1),
        (&mismatched, &[][..], 1),
    ] {
        let output = award(&f, key, extra);
        assert_eq!(output.status.code(), Some(code), "{key:?} {extra:?}");
        for stream in [&output.stdout, &output.stderr] {
            assert!(
                !text(stream).contains(&secret),
                "{key:?} {extra:?} printed the key: {}",
                text(stream)
            );
        }
    }
    let answer = poll(&f, &f.code).to_string();
    assert!(answer.contains("\"jwt\""), "the good key awarded: {answer}");
    assert!(!answer.contains(&secret));
}

/// A schema 2 file as the previous build left it: a new file's tables
/// without the awards, and version 2.
fn write_schema_2(db: &Path) -> String {
    let code = {
        let mut inbox = Inbox::open(db).expect("new");
        inbox.add_organisation(ORG, ORG_NAME).expect("org");
        let issued = inbox.issue_code(ORG, Some("Aino")).expect("code");
        let member = inbox.member(&issued.code).expect("member").expect("live");
        inbox.submit(&member, &entry(1), true).expect("entry");
        issued.code
    };
    let conn = Connection::open(db).expect("open");
    conn.execute_batch("DROP TABLE awards; PRAGMA user_version = 2;")
        .expect("back to schema 2");
    code
}

fn schema(db: &Path) -> Vec<(String, String, Option<String>)> {
    let conn = Connection::open(db).expect("open");
    let mut statement = conn
        .prepare("SELECT type, name, sql FROM sqlite_master ORDER BY name")
        .expect("prepare");
    let rows = statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .expect("query");
    rows.collect::<Result<_, _>>().expect("rows")
}

fn user_version(db: &Path) -> i64 {
    Connection::open(db)
        .expect("open")
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .expect("version")
}

#[test]
fn a_schema_2_file_gains_the_awards_and_keeps_its_codes_and_entries() {
    assert_eq!(SCHEMA_VERSION, 3);
    let dir = TempDir::new("migrate-2");
    let code = write_schema_2(&dir.db());
    assert_eq!(user_version(&dir.db()), 2);
    let mut inbox = Inbox::open(&dir.db()).expect("migrated");
    assert_eq!(user_version(&dir.db()), 3);
    let member = inbox
        .member(&code)
        .expect("member")
        .expect("the code works");
    assert_eq!(inbox.entry_count(ORG).expect("count"), 1);
    assert_eq!(inbox.awards(&member.code_id).expect("awards"), Vec::new());
    let award = Award {
        id: "00000000-0000-4000-8000-000000000001".to_owned(),
        organisation_id: ORG.to_owned(),
        code_id: member.code_id.clone(),
        achievement: OB_ID.to_owned(),
        jwt: "a.b.c".to_owned(),
        credential: None,
        created: NOW.to_owned(),
    };
    inbox.add_award(&award).expect("stored");
    assert_eq!(inbox.awards(&member.code_id).expect("awards"), vec![award]);
    drop(inbox);
    let fresh = TempDir::new("migrate-2-fresh");
    drop(Inbox::open(&fresh.db()).expect("new"));
    assert_eq!(schema(&dir.db()), schema(&fresh.db()));
}

#[test]
fn a_migration_to_3_that_fails_leaves_the_schema_2_file_as_it_was() {
    let dir = TempDir::new("migrate-2-fails");
    let code = write_schema_2(&dir.db());
    // A table in the way makes the migration's CREATE TABLE fail midway.
    Connection::open(dir.db())
        .expect("open")
        .execute_batch("CREATE TABLE awards (in_the_way TEXT);")
        .expect("in the way");
    let before = schema(&dir.db());
    match Inbox::open(&dir.db()) {
        Err(InboxError::Database(_)) => {}
        other => panic!("expected the migration to fail, got {other:?}"),
    }
    assert_eq!(user_version(&dir.db()), 2);
    assert_eq!(schema(&dir.db()), before);
    Connection::open(dir.db())
        .expect("open")
        .execute_batch("DROP TABLE awards;")
        .expect("out of the way");
    let inbox = Inbox::open(&dir.db()).expect("migrated now");
    assert!(inbox.member(&code).expect("member").is_some());
}
