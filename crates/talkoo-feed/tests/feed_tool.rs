//! Builds a small valid feed, then breaks it in one way per case and checks that validation names each problem.

use std::fs;
use std::path::{Path, PathBuf};

use talkoo_feed::build::build;
use talkoo_feed::source::{image_problem, read_source, FeedSource};
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
    // Two organisations, two services, a place, an event, an achievement
    // and its issuer.
    assert_eq!(report.records, 8);
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

/// A well-formed Ed25519 public key (the bytes 0 to 31) that no issuer of
/// the fixture has.
const OTHER_KEY_X: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";

#[test]
fn broken_badge_records_are_rejected_with_the_expected_message() {
    let orgs =
        |edit: fn(&mut serde_json::Value)| move |d: &Path| edit_data(d, "organisations", edit);
    check(
        "did-key-other-key",
        orgs(|v| v["issuers"][0]["keys"][0]["jwk"]["x"] = OTHER_KEY_X.into()),
        &[
            "organisations-205",
            "$.issuers[0].keys[0].jwk.x",
            "not the key the did:key encodes",
        ],
    );
    check(
        "did-key-wrong-method",
        orgs(|v| {
            let did = v["issuers"][0]["issuer_id"]
                .as_str()
                .expect("did")
                .to_owned();
            v["issuers"][0]["keys"][0]["id"] = format!("{did}#key-1").into();
        }),
        &["$.issuers[0].keys[0].id", "verification method"],
    );
    check(
        "did-key-not-ed25519",
        orgs(|v| {
            v["issuers"][0]["issuer_id"] = "did:key:z6MkhaXgBZDvotDkL".into();
            v["issuers"][0]["keys"][0]["id"] = "did:key:z6MkhaXgBZDvotDkL#z6MkhaXgBZDvotDkL".into();
        }),
        &["$.issuers[0].issuer_id", "not a did:key of an Ed25519 key"],
    );
    check(
        "issuer-id-http",
        orgs(|v| v["issuers"][0]["issuer_id"] = "http://example.fi/issuer".into()),
        &["$.issuers[0].issuer_id", "did:key", "https:"],
    );
    check(
        "private-key-published",
        orgs(|v| v["issuers"][0]["keys"][0]["jwk"]["d"] = OTHER_KEY_X.into()),
        &["$.issuers[0].keys[0].jwk.d", "private key material"],
    );
    check(
        "achievement-unknown-service",
        orgs(|v| v["achievements"][0]["services"][0] = "svc-x".into()),
        &[
            "$.achievements[0].services[0]",
            "service `svc-x` does not exist",
        ],
    );
    check(
        "achievement-unknown-organisation",
        orgs(|v| v["achievements"][0]["organisation"] = "org-x".into()),
        &[
            "$.achievements[0].organisation",
            "organisation `org-x` does not exist",
        ],
    );
    check(
        "achievement-unknown-issuer",
        orgs(|v| v["achievements"][0]["issuer"] = "iss-x".into()),
        &["$.achievements[0].issuer", "issuer `iss-x` does not exist"],
    );
    check(
        "achievement-issuer-of-another-organisation",
        orgs(|v| v["issuers"][0]["organisation"] = "org-kuhmon-kylat".into()),
        &[
            "$.achievements[0].issuer",
            "belongs to organisation `org-kuhmon-kylat`",
        ],
    );
    check(
        "achievement-duplicate-id",
        orgs(|v| {
            let copy = v["achievements"][0].clone();
            v["achievements"].as_array_mut().expect("array").push(copy);
        }),
        &["$.achievements[1].id", "`ach-ystava` is also used in"],
    );
    check(
        "achievement-duplicate-ob-id",
        orgs(|v| {
            let mut copy = v["achievements"][0].clone();
            copy["id"] = "ach-toinen".into();
            v["achievements"].as_array_mut().expect("array").push(copy);
        }),
        &[
            "$.achievements[1].ob_id",
            "also the ob_id of achievement `ach-ystava`",
        ],
    );
    check(
        "achievement-ob-id-relative",
        orgs(|v| v["achievements"][0]["ob_id"] = "osaamismerkit/ystava".into()),
        &["$.achievements[0].ob_id", "not an absolute URI"],
    );
    check(
        "achievement-without-finnish-name",
        orgs(|v| v["achievements"][0]["name"] = serde_json::json!({"sv": "Vänkurs"})),
        &["$.achievements[0].name", "Finnish (fi) name"],
    );
    check(
        "achievement-image-link",
        orgs(|v| v["achievements"][0]["image"] = "https://example.fi/merkki.png".into()),
        &["$.achievements[0].image", "data:image/svg+xml;base64,"],
    );
    check(
        "achievement-in-a-services-file",
        |d| {
            let mut moved = serde_json::Value::Null;
            edit_data(d, "organisations", |v| {
                moved = v["achievements"].take();
                v.as_object_mut().expect("object").remove("achievements");
            });
            edit_data(d, "services", |v| v["achievements"] = moved);
        },
        &[
            "services-205",
            "$.achievements",
            "travel in organisations files",
        ],
    );
    check(
        "achievement-kind-in-manifest",
        |d| {
            edit_manifest(d, |m| {
                m["regions"][0]["files"][0]["kind"] = "achievements".into()
            })
        },
        &["manifest.json", ".kind", "no files of their own"],
    );
}

/// A 1.0 client knows four kinds and reads them strictly: the manifest
/// and the deltas of a 1.1 feed must name no other, even when an
/// achievement or issuer is removed.
#[test]
fn a_client_of_format_1_0_reads_the_badge_feed() {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[allow(dead_code)]
    enum Kind10 {
        Organisations,
        Services,
        Places,
        Events,
    }
    #[derive(serde::Deserialize)]
    struct Ref10 {
        #[allow(dead_code)]
        kind: Kind10,
    }
    #[derive(serde::Deserialize)]
    struct Delta10 {
        #[serde(default)]
        deletes: Vec<Ref10>,
    }
    let feed = built("format-1-0");
    let mut src = read_source(&fixture()).expect("read");
    src.regions[0].achievements.clear();
    src.regions[0].issuers.clear();
    build(&src, &feed.0, "2026-11-21T00:00:00Z", &mut |_| {}).expect("rebuild");
    let m = manifest(&feed.0);
    let region = &m["regions"][0];
    for file in region["files"].as_array().expect("files") {
        serde_json::from_value::<Ref10>(file.clone()).expect("a kind 1.0 knows");
    }
    let delta_path = region["deltas"][0]["path"].as_str().expect("a delta");
    let text = fs::read_to_string(feed.0.join(delta_path)).expect("delta");
    let delta10: Delta10 = serde_json::from_str(&text).expect("deletes of kinds 1.0 knows");
    assert!(
        delta10.deletes.is_empty(),
        "only an achievement and an issuer were removed"
    );
    let delta: serde_json::Value = serde_json::from_str(&text).expect("json");
    let removed: Vec<&str> = delta["badge_deletes"]
        .as_array()
        .expect("badge_deletes")
        .iter()
        .map(|d| d["id"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(removed, ["ach-ystava", "iss-kajaanin-ystavat"]);
}

#[test]
fn badge_images_are_checked_before_they_go_into_the_feed() {
    let check = |name: &str, bytes: &[u8], expected: Option<&str>| {
        let found = image_problem(name, bytes);
        match expected {
            None => assert_eq!(found, None, "{name}"),
            Some(part) => assert!(
                found.as_deref().is_some_and(|f| f.contains(part)),
                "{name}: expected {part:?}, got {found:?}"
            ),
        }
    };
    let svg = |body: &str| format!("<svg xmlns=\"http://www.w3.org/2000/svg\">{body}</svg>");
    check("a.svg", svg("<circle r=\"3\"/>").as_bytes(), None);
    check("a.png", b"\x89PNG\r\n\x1a\n rest", None);
    check("a.png", b"GIF89a", Some("not a PNG"));
    check("a.gif", b"GIF89a", Some(".svg or .png"));
    check("a.svg", b"<html></html>", Some("no <svg>"));
    check(
        "a.svg",
        svg("<script>alert(1)</script>").as_bytes(),
        Some("<script"),
    );
    check(
        "a.svg",
        svg("<a href=\"javascript:alert(1)\">x</a>").as_bytes(),
        Some("javascript:"),
    );
    check(
        "a.svg",
        svg("<image href=\"https://example.fi/x.png\"/>").as_bytes(),
        Some("outside references"),
    );
    check(
        "a.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"></svg>".as_bytes(),
        Some("event handler `onload`"),
    );
    check("a.svg", svg("<text>only once</text>").as_bytes(), None);
    check(
        "a.svg",
        svg(&"<g/>".repeat(3000)).as_bytes(),
        Some("at most 8192"),
    );
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
/// to, and valid; `make feed` rebuilds and signs it. Since the demo
/// manifest announces its signing key, `validate` also fails when the
/// manifest was rebuilt but not signed again.
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
    assert!(
        report.problems.is_empty(),
        "{:#?}\nrun `make feed`",
        report.problems
    );
    assert!(
        report.records >= 260,
        "the demo feed has only {} records",
        report.records
    );
}

/// The demo feed as published aligns every achievement it can to a real
/// ESCO skill (docs/feed.md names where each URI was found): each ESCO
/// alignment has a concept URI and ESCO's English label, and only the two
/// basic courses, whose one skill ESCO has no concept for, have none.
#[test]
fn the_demo_achievements_carry_esco_uris() {
    let published = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../public/feed");
    let manifest = manifest(&published);
    let mut without = Vec::new();
    let mut uris = std::collections::BTreeSet::new();
    for region in manifest["regions"].as_array().expect("regions") {
        for file in region["files"].as_array().expect("files") {
            let path = published.join(file["path"].as_str().expect("path"));
            let data: serde_json::Value =
                serde_json::from_slice(&fs::read(&path).expect("data file")).expect("json");
            for a in data["achievements"].as_array().into_iter().flatten() {
                let mut esco = 0;
                for al in a["alignments"].as_array().into_iter().flatten() {
                    if al["target_framework"] != "ESCO" {
                        assert!(al.get("target_url").is_none(), "{al}");
                        continue;
                    }
                    let url = al["target_url"]
                        .as_str()
                        .expect("an ESCO alignment has a URI");
                    let uuid = url
                        .strip_prefix("http://data.europa.eu/esco/skill/")
                        .unwrap_or_default();
                    let shaped = uuid.len() == 36
                        && uuid.split('-').map(str::len).eq([8, 4, 4, 4, 12])
                        && uuid.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
                    assert!(shaped, "{url} is not an ESCO skill URI");
                    assert!(al["target_name"]["en"].is_string(), "{al}");
                    uris.insert(url.to_owned());
                    esco += 1;
                }
                if esco == 0 {
                    without.push(a["id"].as_str().expect("id").to_owned());
                }
            }
        }
    }
    without.sort();
    assert_eq!(without, ["ach-ml-peruskurssi", "ach-vs-peruskurssi"]);
    assert_eq!(uris.len(), 13, "{uris:#?}");
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
