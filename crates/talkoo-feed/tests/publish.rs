//! The publisher's side of signed feeds and bundles: key files, signing on build, validation of the signature, and bundles that the app's reader takes back unchanged.

use std::fs;
use std::path::{Path, PathBuf};

use talkoo_bundle::{read_bundle, verify_files, verify_manifest_signature, PublicKey};
use talkoo_core::feed::Manifest;
use talkoo_feed::build::build;
use talkoo_feed::publish::{bundle, keygen, read_key, sign};
use talkoo_feed::source::read_source;
use talkoo_feed::validate::{validate, Location};

/// A folder of its own, removed afterwards.
struct Temp(PathBuf);

impl Drop for Temp {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// A new folder for each call, even for the same name: the tests run in
/// parallel, and two cases that shared a folder would delete each other's.
fn temp(name: &str) -> Temp {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir =
        std::env::temp_dir().join(format!("talkoo-publish-{name}-{}-{n}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("temp dir");
    Temp(dir)
}

/// The small fixture feed built into `dir/feed`, announcing the key
/// `announced` and signed with key file `dir/publisher.key`.
fn signed_feed(dir: &Path, seed: u8, announced: Option<String>) -> (PathBuf, String) {
    let id = keygen(&dir.join("publisher.key"), [seed; 32]).expect("keygen");
    let mut src =
        read_source(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/source-small"))
            .expect("fixture");
    src.signing_keys = vec![announced.unwrap_or_else(|| id.clone())];
    let feed = dir.join("feed");
    build(&src, &feed, "2026-11-20T00:00:00Z", &mut |_| {}).expect("build");
    (feed, id)
}

fn problems(dir: &Path) -> Vec<String> {
    validate(&Location::Dir(dir.to_owned()), &mut |_| {})
        .problems
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn a_key_file_is_private_to_its_owner_and_never_overwritten() {
    let dir = temp("keygen");
    let path = dir.0.join("publisher.key");
    let id = keygen(&path, [9; 32]).expect("keygen");
    assert_eq!(read_key(&path).expect("read").public().id(), id);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    let before = fs::read(&path).expect("read");
    assert!(keygen(&path, [10; 32]).is_err());
    assert_eq!(fs::read(&path).expect("read"), before);
}

fn check_signed(name: &str, breaker: impl FnOnce(&Path, &Path), expected: &[&str]) {
    let dir = temp(name);
    let (feed, _) = signed_feed(&dir.0, 1, None);
    sign(
        &feed,
        &[read_key(&dir.0.join("publisher.key")).expect("key")],
    )
    .expect("sign");
    breaker(&dir.0, &feed);
    let found = problems(&feed);
    if expected.is_empty() {
        assert!(found.is_empty(), "{name}: {found:#?}");
    } else {
        assert!(
            found
                .iter()
                .any(|p| expected.iter().all(|part| p.contains(part))),
            "{name}: expected a problem with {expected:?}, got {found:#?}"
        );
    }
}

#[test]
fn a_feed_that_announces_keys_must_be_signed_by_one_of_them() {
    check_signed("signed", |_, _| {}, &[]);
    check_signed(
        "unsigned",
        |_, feed| fs::remove_file(feed.join("manifest.json.sig")).expect("remove"),
        &["manifest.json.sig", "not signed"],
    );
    check_signed(
        "changed",
        |_, feed| {
            let path = feed.join("manifest.json");
            let text = fs::read_to_string(&path).expect("read");
            fs::write(
                &path,
                text.replace("2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z"),
            )
            .expect("write");
        },
        &["manifest.json.sig", "does not match"],
    );
    check_signed(
        "other-key",
        |dir, feed| {
            keygen(&dir.join("other.key"), [2; 32]).expect("keygen");
            let manifest = fs::read(feed.join("manifest.json")).expect("read");
            let other = read_key(&dir.join("other.key")).expect("key");
            fs::write(
                feed.join("manifest.json.sig"),
                talkoo_bundle::sign_manifest(&manifest, &[&other]),
            )
            .expect("write");
        },
        &["manifest.json.sig", "does not trust"],
    );
    check_signed(
        "bad-key-id",
        |_, feed| {
            let path = feed.join("manifest.json");
            let text = fs::read_to_string(&path).expect("read");
            let id = talkoo_bundle::keygen([1; 32]).public().id();
            fs::write(&path, text.replace(&id, "not-a-key")).expect("write");
        },
        &[
            "manifest.json",
            "$.signing_keys[0]",
            "not an Ed25519 key id",
        ],
    );
}

#[test]
fn signing_with_a_key_the_manifest_does_not_announce_is_refused() {
    let dir = temp("unannounced");
    let other = talkoo_bundle::keygen([5; 32]).public().id();
    let (feed, _) = signed_feed(&dir.0, 1, Some(other));
    let key = read_key(&dir.0.join("publisher.key")).expect("key");
    let err = sign(&feed, &[key]).expect_err("refused");
    assert!(err.to_string().contains("signing_keys"), "{err}");
    assert!(!feed.join("manifest.json.sig").exists());
}

#[test]
fn a_bundle_of_one_region_reads_back_signed_and_unchanged() {
    let dir = temp("bundle");
    let (feed, id) = signed_feed(&dir.0, 1, None);
    sign(
        &feed,
        &[read_key(&dir.0.join("publisher.key")).expect("key")],
    )
    .expect("sign");
    let out = dir.0.join("small.talkoo");
    let manifest: Manifest =
        serde_json::from_slice(&fs::read(feed.join("manifest.json")).expect("read")).expect("json");
    let region = &manifest.regions[0];
    let report = bundle(&feed, std::slice::from_ref(&region.id), &out).expect("bundle");
    assert_eq!(report.files, region.files.len());
    assert!(report.signed);
    let bytes = fs::read(&out).expect("read bundle");
    assert_eq!(report.bundle_bytes, bytes.len() as u64);
    let read = read_bundle(&bytes).expect("read_bundle");
    assert_eq!(
        read.manifest_bytes,
        fs::read(feed.join("manifest.json")).expect("read")
    );
    assert_eq!(read.complete_regions(), vec![region.id.as_str()]);
    for file in &region.files {
        assert_eq!(
            read.files[&file.path],
            fs::read(feed.join(&file.path)).expect("read")
        );
    }
    assert_eq!(verify_files(&read), vec![]);
    let pinned = [PublicKey::parse(&id).expect("key")];
    assert_eq!(
        verify_manifest_signature(&read.manifest_bytes, read.signature.as_deref(), &pinned),
        Ok(id)
    );
}

/// Breaks a signed copy of the fixture feed with `breaker`, asks for a
/// bundle of `regions` and expects an error containing `expected`, with
/// no bundle file left behind.
fn check_bundle_refused(
    name: &str,
    breaker: impl FnOnce(&Path, &Manifest),
    regions: &[&str],
    expected: &str,
) {
    let dir = temp(name);
    let (feed, _) = signed_feed(&dir.0, 1, None);
    sign(
        &feed,
        &[read_key(&dir.0.join("publisher.key")).expect("key")],
    )
    .expect("sign");
    let manifest: Manifest =
        serde_json::from_slice(&fs::read(feed.join("manifest.json")).expect("read")).expect("json");
    breaker(&feed, &manifest);
    let out = dir.0.join("x.talkoo");
    let regions: Vec<String> = regions.iter().map(|r| (*r).to_owned()).collect();
    let err = bundle(&feed, &regions, &out).expect_err(name);
    assert!(
        err.to_string().contains(expected),
        "{name}: expected {expected:?} in {err}"
    );
    assert!(!out.exists(), "{name}: a bundle was written");
}

#[test]
fn a_bundle_is_not_written_from_a_damaged_or_unsigned_feed_or_for_an_unknown_region() {
    let region = "kainuu";
    check_bundle_refused(
        "unknown-region",
        |_, _| {},
        &[region, "nowhere"],
        "no region \"nowhere\" in the feed (it has [\"kainuu\"])",
    );
    check_bundle_refused("no-region", |_, _| {}, &[], "name at least one --region");
    check_bundle_refused(
        "damaged-file",
        |feed, manifest| {
            let path = feed.join(&manifest.regions[0].files[0].path);
            let mut bytes = fs::read(&path).expect("read");
            bytes[1] ^= 1;
            fs::write(&path, bytes).expect("write");
        },
        &[region],
        "is damaged or changed",
    );
    check_bundle_refused(
        "missing-file",
        |feed, manifest| {
            fs::remove_file(feed.join(&manifest.regions[0].files[0].path)).expect("remove")
        },
        &[region],
        &manifest_path_of_first_file(),
    );
    check_bundle_refused(
        "unsigned",
        |feed, _| fs::remove_file(feed.join("manifest.json.sig")).expect("remove"),
        &[region],
        "the feed is not signed: run `talkoo-feed sign` first",
    );
    check_bundle_refused(
        "rebuilt-not-signed",
        |feed, _| {
            let path = feed.join("manifest.json");
            let text = fs::read_to_string(&path).expect("read");
            fs::write(&path, text.replace("\"demo\": true", "\"demo\": false")).expect("write");
        },
        &[region],
        "does not match its contents",
    );
}

/// The first data file's path in the fixture feed, which the error for a
/// missing file names.
fn manifest_path_of_first_file() -> String {
    let dir = temp("first-file");
    let (feed, _) = signed_feed(&dir.0, 1, None);
    let manifest: Manifest =
        serde_json::from_slice(&fs::read(feed.join("manifest.json")).expect("read")).expect("json");
    manifest.regions[0].files[0].path.clone()
}

#[test]
fn a_region_named_twice_is_bundled_once() {
    let dir = temp("twice");
    let (feed, _) = signed_feed(&dir.0, 1, None);
    sign(
        &feed,
        &[read_key(&dir.0.join("publisher.key")).expect("key")],
    )
    .expect("sign");
    let out = dir.0.join("x.talkoo");
    let once = bundle(&feed, &["kainuu".to_owned()], &out).expect("once");
    let bytes = fs::read(&out).expect("read");
    let twice = bundle(&feed, &["kainuu".to_owned(), "kainuu".to_owned()], &out).expect("twice");
    assert_eq!(once, twice);
    assert_eq!(fs::read(&out).expect("read"), bytes);
}

/// The demo feed is signed by the committed demo key, which its manifest
/// announces.
#[test]
fn the_demo_feed_is_signed_by_the_demo_key() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let key = read_key(&root.join("feed-src/demo-publisher/demo-publisher.key")).expect("key");
    let manifest = fs::read(root.join("public/feed/manifest.json")).expect("manifest");
    let sig = fs::read(root.join("public/feed/manifest.json.sig")).expect("signature");
    assert_eq!(
        verify_manifest_signature(&manifest, Some(&sig), &[key.public()]),
        Ok(key.public().id())
    );
    assert_eq!(
        sig,
        talkoo_bundle::sign_manifest(&manifest, &[&key]).into_bytes()
    );
}

/// A bundle of each demo region holds exactly that region's data files
/// (no deltas, no other region's files) and the demo feed's signature, and
/// reads back verified against the demo key.
#[test]
fn each_demo_region_bundles_its_data_files_only() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let feed = root.join("public/feed");
    let key = read_key(&root.join("feed-src/demo-publisher/demo-publisher.key")).expect("key");
    let manifest: Manifest =
        serde_json::from_slice(&fs::read(feed.join("manifest.json")).expect("read")).expect("json");
    assert!(
        manifest.regions.iter().any(|r| !r.deltas.is_empty()),
        "the demo feed has no deltas to leave out"
    );
    let dir = temp("demo-bundles");
    for region in &manifest.regions {
        let out = dir.0.join(format!("{}.talkoo", region.id));
        let report = bundle(&feed, std::slice::from_ref(&region.id), &out).expect("bundle");
        let read = read_bundle(&fs::read(&out).expect("read")).expect("read_bundle");
        let names: Vec<&String> = read.files.keys().collect();
        let mut expected: Vec<&String> = region.files.iter().map(|f| &f.path).collect();
        expected.sort();
        assert_eq!(names, expected, "{}", region.id);
        assert_eq!(report.files, expected.len());
        assert_eq!(read.complete_regions(), vec![region.id.as_str()]);
        assert_eq!(verify_files(&read), vec![]);
        assert_eq!(
            verify_manifest_signature(
                &read.manifest_bytes,
                read.signature.as_deref(),
                &[key.public()]
            ),
            Ok(key.public().id())
        );
    }
}

/// Runs the `talkoo-feed` binary and returns its exit code, stdout and
/// stderr.
fn run(args: &[&std::ffi::OsStr]) -> (Option<i32>, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_talkoo-feed"))
        .args(args)
        .output()
        .expect("run talkoo-feed");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The private key goes into the key file only: `keygen` prints the public
/// id, and neither it nor `sign`, `build --key` or `bundle` print the
/// private key, also when they fail.
#[test]
fn the_commands_never_print_the_private_key() {
    let dir = temp("cli");
    let key = dir.0.join("publisher.key");
    let (code, stdout, stderr) = run(&["keygen".as_ref(), "-o".as_ref(), key.as_os_str()]);
    assert_eq!(code, Some(0), "{stderr}");
    let file: serde_json::Value =
        serde_json::from_slice(&fs::read(&key).expect("key file")).expect("json");
    let private = file["private_key"]
        .as_str()
        .expect("private_key")
        .to_owned();
    let id = read_key(&key).expect("key").public().id();
    assert_eq!(stdout, format!("{id}\n"));
    let mut printed = stdout + &stderr;
    let again = run(&["keygen".as_ref(), "-o".as_ref(), key.as_os_str()]);
    assert_eq!(again.0, Some(1), "keygen over an existing key: {again:?}");
    printed += &(again.1 + &again.2);

    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/source-small");
    let feed = dir.0.join("feed");
    let out = dir.0.join("x.talkoo");
    let runs: [(&[&std::ffi::OsStr], i32); 5] = [
        (
            &[
                "build".as_ref(),
                src.as_os_str(),
                feed.as_os_str(),
                "--key".as_ref(),
                key.as_os_str(),
            ],
            0,
        ),
        (
            &[
                "sign".as_ref(),
                feed.as_os_str(),
                "--key".as_ref(),
                key.as_os_str(),
            ],
            0,
        ),
        (
            &[
                "bundle".as_ref(),
                feed.as_os_str(),
                "--region".as_ref(),
                "kainuu".as_ref(),
                "-o".as_ref(),
                out.as_os_str(),
            ],
            0,
        ),
        (
            &[
                "bundle".as_ref(),
                feed.as_os_str(),
                "--region".as_ref(),
                "nowhere".as_ref(),
                "-o".as_ref(),
                out.as_os_str(),
            ],
            1,
        ),
        (
            &[
                "sign".as_ref(),
                feed.as_os_str(),
                "--key".as_ref(),
                feed.as_os_str(),
            ],
            1,
        ),
    ];
    for (args, expected) in runs {
        let (code, stdout, stderr) = run(args);
        assert_eq!(code, Some(expected), "{args:?}: {stdout}{stderr}");
        printed += &(stdout + &stderr);
    }
    assert!(feed.join("manifest.json.sig").is_file());
    assert!(printed.contains("no region \"nowhere\""), "{printed}");
    assert!(!printed.contains(&private), "the private key was printed");
}
