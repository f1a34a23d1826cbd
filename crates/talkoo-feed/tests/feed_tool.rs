//! Builds a small valid feed, then breaks it in one way per case and checks that validation names each problem.

use std::fs;
use std::path::{Path, PathBuf};

use talkoo_feed::build::build;
use talkoo_feed::source::{read_source, FeedSource};
use talkoo_feed::validate::{validate, Location};
use talkoo_feed::{schemas, sha256_hex};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/source-small")
}

/// A built copy of the small feed in a folder of its own.
struct Built(PathBuf);

impl Drop for Built {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn built(name: &str) -> Built {
    built_with(name, |_| {})
}

/// [`built`] from the fixture's source changed by `edit`, so that the
/// result is a whole feed as the tool writes it, hashes and names included.
fn built_with(name: &str, edit: impl FnOnce(&mut FeedSource)) -> Built {
    let dir = std::env::temp_dir().join(format!("talkoo-feed-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    let mut src = read_source(&fixture()).expect("read fixture");
    edit(&mut src);
    build(&src, &dir, "2026-11-20T00:00:00Z", &mut |_| {}).expect("build fixture");
    Built(dir)
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(dir.join("manifest.json")).expect("manifest")).expect("json")
}

fn file_of(dir: &Path, kind: &str) -> (usize, String) {
    let m = manifest(dir);
    let files = m["regions"][0]["files"].as_array().expect("files");
    let index = files
        .iter()
        .position(|f| f["kind"] == kind)
        .expect("kind present");
    (
        index,
        files[index]["path"].as_str().expect("path").to_owned(),
    )
}

/// Rewrites a data file and fixes its hash and size in the manifest, so
/// that the content check, not the hash check, has to find the problem.
fn edit_data(dir: &Path, kind: &str, edit: impl FnOnce(&mut serde_json::Value)) {
    let (index, path) = file_of(dir, kind);
    let mut data: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join(&path)).expect("read")).expect("json");
    edit(&mut data);
    let bytes = serde_json::to_vec(&data).expect("serialise");
    fs::write(dir.join(&path), &bytes).expect("write");
    edit_manifest(dir, |m| {
        m["regions"][0]["files"][index]["sha256"] = sha256_hex(&bytes).into();
        m["regions"][0]["files"][index]["bytes"] = bytes.len().into();
    });
}

fn edit_manifest(dir: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let mut m = manifest(dir);
    edit(&mut m);
    fs::write(
        dir.join("manifest.json"),
        serde_json::to_vec_pretty(&m).expect("serialise"),
    )
    .expect("write");
}

fn problems(dir: &Path) -> Vec<String> {
    validate(&Location::Dir(dir.to_owned()), &mut |_| {})
        .problems
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// Breaks the built feed with `breaker` and expects a problem containing
/// every part of `expected` (file, JSON path, words of the message).
fn check(name: &str, breaker: impl FnOnce(&Path), expected: &[&str]) {
    let feed = built(name);
    breaker(&feed.0);
    let found = problems(&feed.0);
    assert!(
        found
            .iter()
            .any(|p| expected.iter().all(|part| p.contains(part))),
        "{name}: expected a problem with {expected:?}, got {found:#?}"
    );
}

#[test]
fn the_fixture_builds_into_a_valid_feed() {
    let feed = built("valid");
    let report = validate(&Location::Dir(feed.0.clone()), &mut |_| {});
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    assert_eq!(report.records, 6);
}

#[test]
fn rebuilding_unchanged_input_changes_nothing() {
    let feed = built("rebuild");
    let before = fs::read(feed.0.join("manifest.json")).expect("manifest");
    let src = read_source(&fixture()).expect("read");
    let report = build(&src, &feed.0, "2030-01-01T00:00:00Z", &mut |_| {}).expect("rebuild");
    assert_eq!(
        fs::read(feed.0.join("manifest.json")).expect("manifest"),
        before,
        "generated time kept"
    );
    assert!(report.iter().all(|r| !r.changed));
}

#[test]
fn broken_feeds_are_rejected_with_the_expected_message() {
    check(
        "truncated",
        |d| {
            let (_, path) = file_of(d, "services");
            let bytes = fs::read(d.join(&path)).expect("read");
            fs::write(d.join(&path), &bytes[..bytes.len() / 2]).expect("write");
        },
        &["services-205", "incomplete or changed", "bytes"],
    );
    check(
        "wrong-hash",
        |d| {
            let (_, path) = file_of(d, "places");
            let mut bytes = fs::read(d.join(&path)).expect("read");
            let last = bytes.len() - 2;
            bytes[last] = b' ';
            fs::write(d.join(&path), &bytes).expect("write");
        },
        &["places-205", "SHA-256"],
    );
    check(
        "missing-file",
        |d| {
            let (_, path) = file_of(d, "events");
            fs::remove_file(d.join(path)).expect("remove");
        },
        &["events-205", "cannot read"],
    );
    check(
        "not-json",
        |d| fs::write(d.join("manifest.json"), "<html>502 Bad Gateway</html>").expect("write"),
        &["manifest.json", "not valid JSON"],
    );
    check(
        "future-major",
        |d| edit_manifest(d, |m| m["schema_version"] = "2.0".into()),
        &["manifest.json", "feed format 2.0", "update the app"],
    );
    check(
        "data-file-future-major",
        |d| edit_data(d, "services", |v| v["schema_version"] = "3.1".into()),
        &["services-205", "feed format 3.1"],
    );
    check(
        "wrong-shape",
        |d| {
            edit_data(d, "services", |v| {
                v["services"][0]["kind"] = "weekly".into()
            })
        },
        &["services-205", "does not follow the feed format", "weekly"],
    );
    check(
        "unknown-organisation",
        |d| {
            edit_data(d, "services", |v| {
                v["services"][0]["organisation"] = "org-nobody".into()
            })
        },
        &["$.services[0].organisation", "org-nobody", "does not exist"],
    );
    check(
        "unknown-place",
        |d| {
            edit_data(d, "events", |v| {
                v["events"][0]["place"] = "place-nowhere".into()
            })
        },
        &["$.events[0].place", "place-nowhere"],
    );
    check(
        "municipality-outside-region",
        |d| {
            edit_data(d, "services", |v| {
                v["services"][0]["municipalities"][0] = "091".into()
            })
        },
        &[
            "$.services[0].municipalities[0]",
            "091 is not in this region",
        ],
    );
    check(
        "bad-municipality-code",
        |d| {
            edit_data(d, "organisations", |v| {
                v["organisations"][0]["municipality"] = "Kajaani".into()
            })
        },
        &["$.organisations[0].municipality", "three-digit"],
    );
    check(
        "bad-business-id",
        |d| {
            edit_data(d, "organisations", |v| {
                v["organisations"][0]["business_id"] = "1234567-2".into()
            })
        },
        &["$.organisations[0].business_id", "Y-tunnus"],
    );
    check(
        "bad-language",
        |d| {
            edit_data(d, "services", |v| {
                v["services"][0]["name"]["Finnish"] = "Ystävät".into()
            })
        },
        &["$.services[0].name.Finnish", "language tag"],
    );
    check(
        "summer-offset-in-winter",
        |d| {
            edit_data(d, "events", |v| {
                v["events"][0]["start"] = "2026-12-05T10:00:00+03:00".into()
            })
        },
        &["$.events[0].start", "Europe/Helsinki"],
    );
    check(
        "end-before-start",
        |d| {
            edit_data(d, "events", |v| {
                v["events"][0]["end"] = "2026-12-05T09:00:00+02:00".into()
            })
        },
        &["$.events[0].end", "not after the start"],
    );
    check(
        "bad-date",
        |d| {
            edit_data(d, "services", |v| {
                v["services"][0]["modified"] = "2026-02-30T10:00:00Z".into()
            })
        },
        &["$.services[0].modified", "RFC 3339"],
    );
    check(
        "closing-before-opening",
        |d| {
            edit_data(d, "services", |v| {
                v["services"][0]["schedule"]["weekly"][0]["closes"] = "09:00".into()
            })
        },
        &[
            "$.services[0].schedule.weekly[0]",
            "closes (09:00) before it opens (10:00)",
        ],
    );
    check(
        "javascript-link",
        |d| {
            edit_data(d, "organisations", |v| {
                v["organisations"][0]["web"] = "javascript:alert(1)".into()
            })
        },
        &["$.organisations[0].web", "https://"],
    );
    check(
        "hours-endpoint-without-slash",
        |d| {
            edit_data(d, "organisations", |v| {
                v["organisations"][0]["hours_endpoint"] = "https://inbox.example.fi/v1".into()
            })
        },
        &["$.organisations[0].hours_endpoint", "must end with `/`"],
    );
    check(
        "hours-endpoint-plain-http",
        |d| {
            edit_data(d, "organisations", |v| {
                v["organisations"][0]["hours_endpoint"] = "http://inbox.example.fi/".into()
            })
        },
        &[
            "$.organisations[0].hours_endpoint",
            "http://inbox.example.fi/",
            "plain `http:`",
            "unencrypted",
        ],
    );
    check(
        "hours-endpoint-credentials",
        |d| {
            edit_data(d, "organisations", |v| {
                v["organisations"][0]["hours_endpoint"] =
                    "https://aino:secret@inbox.example.fi/".into()
            })
        },
        &["$.organisations[0].hours_endpoint", "user name or password"],
    );
    check(
        "duplicate-id",
        |d| {
            edit_data(d, "services", |v| {
                let first = v["services"][0].clone();
                v["services"].as_array_mut().expect("array").push(first);
            })
        },
        &["$.services[1].id", "also used"],
    );
    check(
        "record-count",
        |d| {
            edit_manifest(d, |m| {
                let files = m["regions"][0]["files"].as_array_mut().expect("files");
                let services = files
                    .iter_mut()
                    .find(|f| f["kind"] == "services")
                    .expect("services");
                services["records"] = 9.into();
            })
        },
        &["services-205", "manifest says 9"],
    );
    check(
        "path-escapes",
        |d| {
            edit_manifest(d, |m| {
                m["regions"][0]["files"][0]["path"] = "../secret.json".into()
            })
        },
        &["$.regions[0].files[0].path", "relative path"],
    );
}

/// An inbox run on the device itself may use plain HTTP, as the demo
/// feed's does; the join token then never leaves the device.
#[test]
fn an_inbox_on_this_device_may_use_plain_http() {
    for (name, endpoint) in [
        ("hours-endpoint-ipv4-loopback", "http://127.0.0.1:8091/"),
        ("hours-endpoint-localhost", "http://localhost:8091/"),
        ("hours-endpoint-ipv6-loopback", "http://[::1]:8091/"),
    ] {
        let feed = built_with(name, |src| {
            src.regions[0].organisations[0].hours_endpoint = Some(endpoint.to_owned());
        });
        let found = problems(&feed.0);
        assert!(found.is_empty(), "{endpoint}: {found:#?}");
    }
}

#[test]
fn every_problem_is_reported_not_only_the_first() {
    let feed = built("many");
    edit_data(&feed.0, "services", |v| {
        v["services"][0]["organisation"] = "org-x".into();
        v["services"][0]["municipalities"][0] = "999".into();
        v["services"][0]["languages"] = serde_json::json!([]);
    });
    let found = problems(&feed.0);
    assert!(found.len() >= 3, "{found:#?}");
}

#[test]
fn the_committed_schemas_are_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/schema");
    for (name, text) in schemas() {
        let committed = fs::read_to_string(dir.join(name)).unwrap_or_default();
        assert!(committed == text, "docs/schema/{name} is out of date: run `cargo run -p talkoo-feed -- schema docs/schema`");
    }
}

/// The bundled demo feed must be exactly what the committed sources build
/// to, and valid; `make feed` rebuilds it.
#[test]
fn the_bundled_demo_feed_is_built_from_the_committed_sources() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let published = root.join("public/feed");
    let copy = std::env::temp_dir().join(format!("talkoo-demo-feed-{}", std::process::id()));
    let _ = fs::remove_dir_all(&copy);
    copy_dir(&published, &copy);
    let src = read_source(&root.join("feed-src")).expect("read feed-src");
    let report = build(&src, &copy, "2099-01-01T00:00:00Z", &mut |_| {}).expect("build");
    let changed: Vec<&str> = report
        .iter()
        .filter(|r| r.changed)
        .map(|r| r.id.as_str())
        .collect();
    let manifest_same =
        fs::read(copy.join("manifest.json")).ok() == fs::read(published.join("manifest.json")).ok();
    let _ = fs::remove_dir_all(&copy);
    assert!(
        changed.is_empty() && manifest_same,
        "public/feed is out of date for {changed:?}: run `make feed`"
    );
    let report = validate(&Location::Dir(published), &mut |_| {});
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    assert!(
        report.records >= 260,
        "the demo feed has only {} records",
        report.records
    );
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read dir").filter_map(Result::ok) {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).expect("copy");
        }
    }
}
