//! The hours protocol v1 over real connections: every answer the app relies on, from a server started in-process.

mod support;

use std::io::Write;
use std::net::TcpStream;
use std::time::Duration;

use serde_json::json;
use support::{entry, exchange, raw_request, Answer, Fixture, ORG, ORG_NAME, OTHER_ORG};
use talkoo_inbox::store::Selection;
use talkoo_inbox::Fault;

fn fixture(name: &str) -> Fixture {
    Fixture::new(name, Fault::None)
}

/// (answer, expected status, expected error code or "" for success)
fn check(answer: &Answer, status: u16, error: &str) {
    assert_eq!(answer.status, status, "{}", answer.body);
    assert_eq!(
        answer.header("Content-Type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(answer.header("Access-Control-Allow-Origin"), Some("*"));
    // Retry-After is readable by the app on every answer, not only on 429s.
    assert_eq!(
        answer.header("Access-Control-Expose-Headers"),
        Some("Retry-After")
    );
    if !error.is_empty() {
        assert_eq!(answer.error(), error, "{}", answer.body);
        let message = answer.json()["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(
            message.len() > 10,
            "a refusal says why in words: {}",
            answer.body
        );
    }
}

#[test]
fn health_needs_no_token() {
    let f = fixture("health");
    let answer = f.get("/v1/health", None);
    check(&answer, 200, "");
    assert_eq!(answer.json(), json!({"ok": true}));
}

#[test]
fn me_names_the_organisation_of_a_live_code() {
    let f = fixture("me");
    let expected = json!({"organisation": {"id": ORG, "name": ORG_NAME}, "label": "Aino"});
    let lower = f.code.to_ascii_lowercase();
    let spaced = f.code.replace('-', " ");
    let bare = f.code.replace('-', "");
    for token in [f.code.as_str(), &lower, &spaced, &bare] {
        let answer = f.get("/v1/me", Some(token));
        check(&answer, 200, "");
        assert_eq!(answer.json(), expected, "{token}");
    }
    let other = f.get("/v1/me", Some(&f.other_code));
    assert_eq!(other.json()["label"], json!(null));
    for token in [Some("ABCD-EFGH-JKMN"), None] {
        check(&f.get("/v1/me", token), 401, "unknown-token");
    }
    f.inbox().revoke_code(&lower).expect("revoke");
    check(&f.get("/v1/me", Some(&f.code)), 401, "unknown-token");
}

#[test]
fn an_entry_is_stored_once_however_often_it_is_sent() {
    let f = fixture("once");
    let e = entry(1);
    let first = f.post_entry(&e);
    check(&first, 201, "");
    assert_eq!(first.json(), json!({"id": e.id, "status": "received"}));
    // A restored backup carries other timestamps; that is the same entry.
    let mut again = e.clone();
    again.modified = "2026-11-21T08:00:00+02:00".to_owned();
    for _ in 0..2 {
        let repeat = f.post_entry(&again);
        check(&repeat, 200, "");
        assert_eq!(
            repeat.json(),
            json!({"id": e.id, "status": "received", "reason": null})
        );
    }
    assert_eq!(f.stored(), 1);
}

#[test]
fn a_different_entry_under_a_stored_id_is_a_conflict() {
    let f = fixture("conflict");
    let e = entry(2);
    check(&f.post_entry(&e), 201, "");
    let mut changed = e.clone();
    changed.minutes = 120;
    changed.end = Some("11:00".to_owned());
    let answer = f.post_entry(&changed);
    check(&answer, 409, "conflict");
    assert_eq!(answer.json()["theirs"], json!(e));
    let rows = f.inbox().entries(ORG, None, None).expect("entries");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].entry, e, "nothing changed");
}

#[test]
fn malformed_requests_are_refused_with_400() {
    let f = fixture("malformed");
    let e = entry(3);
    let body = serde_json::to_string(&e).expect("json");
    let other_id = entry(4).id;
    // (body, Idempotency-Key)
    for (body, key) in [
        ("{not json", Some(e.id.as_str())),
        (r#"{"id": "x"}"#, Some("x")),
        (r#"[1, 2]"#, Some(e.id.as_str())),
        (&body, None),
        (&body, Some("")),
        (&body, Some(other_id.as_str())),
    ] {
        check(&f.post("/v1/entries", &f.code, key, body), 400, "malformed");
    }
    assert_eq!(f.stored(), 0);
}

#[test]
fn unknown_fields_are_ignored() {
    let f = fixture("unknown-fields");
    let e = entry(5);
    let mut value = json!(e);
    value["sent_from"] = json!("talkoo 2.0");
    let answer = f.post("/v1/entries", &f.code, Some(&e.id), &value.to_string());
    check(&answer, 201, "");
}

#[test]
fn bodies_over_16_kib_are_refused_with_413() {
    let f = fixture("too-large");
    let mut e = entry(6);
    e.note = "x".repeat(17 * 1024);
    check(&f.post_entry(&e), 413, "too-large");
    // A declared length no body could have is refused from the header
    // alone, and the server lives on.
    let raw = format!(
        "POST /v1/entries HTTP/1.1\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\n\
         Idempotency-Key: {}\r\nContent-Length: 999999999999999\r\n\r\n{{",
        f.code, e.id
    );
    let answer = Answer::parse(&exchange(f.addr(), &raw).expect("exchange"));
    check(&answer, 413, "too-large");
    check(&f.get("/v1/health", None), 200, "");
    assert_eq!(f.stored(), 0);
}

#[test]
fn bodies_that_are_not_json_are_refused_with_415() {
    let f = fixture("media-type");
    let e = entry(7);
    let body = serde_json::to_string(&e).expect("json");
    let auth = format!("Bearer {}", f.code);
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        let mut headers = vec![("Authorization", auth.as_str()), ("Idempotency-Key", &e.id)];
        if let Some(content_type) = content_type {
            headers.push(("Content-Type", content_type));
        }
        let answer = f.send("POST /v1/entries HTTP/1.1", &headers, &body);
        check(&answer, 415, "unsupported-media-type");
    }
    let headers = [
        ("Authorization", auth.as_str()),
        ("Idempotency-Key", e.id.as_str()),
        ("Content-Type", "Application/JSON; charset=UTF-8"),
    ];
    check(
        &f.send("POST /v1/entries HTTP/1.1", &headers, &body),
        201,
        "",
    );
}

/// A change that makes a valid entry break a rule.
type Breaker = fn(&mut talkoo_core::hours::Entry);

#[test]
fn entries_that_break_the_rules_are_refused_with_their_problems() {
    let f = fixture("invalid");
    // (what to break, the problems named)
    let cases: [(Breaker, &[&str]); 4] = [
        (|e| e.date = "2026-02-30".to_owned(), &["bad-date"]),
        (|e| e.minutes = 10, &["times-disagree"]),
        (
            |e| {
                e.start = None;
                e.end = None;
                e.minutes = 0;
            },
            &["not-positive"],
        ),
        (
            |e| {
                e.organisation.name = " ".to_owned();
                e.note = "x".repeat(2001);
                e.end = None;
            },
            &["half-times", "no-organisation", "note-too-long"],
        ),
    ];
    for (seed, (breaker, problems)) in (10..).zip(cases) {
        let mut e = entry(seed);
        breaker(&mut e);
        let answer = f.post_entry(&e);
        check(&answer, 422, "invalid");
        assert_eq!(
            answer.json()["problems"],
            json!(problems),
            "{}",
            answer.body
        );
    }
    assert_eq!(f.stored(), 0);
}

#[test]
fn an_entry_for_another_organisation_is_refused() {
    let f = fixture("wrong-org");
    let mut e = entry(20);
    e.organisation.id = Some(OTHER_ORG.to_owned());
    check(&f.post_entry(&e), 422, "wrong-organisation");
    // An organisation typed by hand has no id; the code decides where it goes.
    e.organisation.id = None;
    e.organisation.name = "Naapuriapu".to_owned();
    check(&f.post_entry(&e), 201, "");
    assert_eq!(f.stored(), 1);
}

#[test]
fn ids_are_per_organisation() {
    let f = fixture("per-org");
    let mut e = entry(21);
    check(&f.post_entry(&e), 201, "");
    e.organisation.id = Some(OTHER_ORG.to_owned());
    let body = serde_json::to_string(&e).expect("json");
    let answer = f.post("/v1/entries", &f.other_code, Some(&e.id), &body);
    check(&answer, 201, "");
}

#[test]
fn a_corrected_rejected_entry_replaces_the_rejected_one() {
    let f = fixture("resubmit");
    let e = entry(40);
    check(&f.post_entry(&e), 201, "");
    f.inbox()
        .reject(ORG, &e.id, "Väärä päivä.")
        .expect("reject");
    let mut fixed = e.clone();
    fixed.date = "2026-11-18".to_owned();
    check(&f.post_entry(&fixed), 201, "");
    let rows = f.inbox().entries(ORG, None, None).expect("entries");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].entry, fixed);
    let body = json!({"ids": [e.id]}).to_string();
    let answer = f.post("/v1/status", &f.code, None, &body);
    assert_eq!(
        answer.json(),
        json!({"entries": [{"id": e.id, "status": "received", "reason": null}], "awards": []})
    );
    // Only a rejected entry can be replaced: the next change is a conflict.
    let mut again = fixed.clone();
    again.minutes += 15;
    again.end = None;
    again.start = None;
    check(&f.post_entry(&again), 409, "conflict");
}

#[test]
fn status_reports_the_coordinators_decisions() {
    let f = fixture("status");
    let (a, b, c) = (entry(30), entry(31), entry(32));
    for e in [&a, &b, &c] {
        check(&f.post_entry(e), 201, "");
    }
    let mut inbox = f.inbox();
    inbox
        .accept(ORG, Selection::Ids(std::slice::from_ref(&a.id)))
        .expect("accept");
    inbox
        .reject(ORG, &b.id, "Sama vuoro on jo kirjattu.")
        .expect("reject");
    let unknown = entry(33).id;
    let body = json!({"ids": [a.id, b.id, c.id, unknown, a.id]}).to_string();
    let answer = f.post("/v1/status", &f.code, None, &body);
    check(&answer, 200, "");
    assert_eq!(
        answer.json(),
        json!({"entries": [
            {"id": a.id, "status": "accepted", "reason": null},
            {"id": b.id, "status": "rejected", "reason": "Sama vuoro on jo kirjattu."},
            {"id": c.id, "status": "received", "reason": null},
        ], "awards": []})
    );
    // Another organisation's code sees none of them.
    let answer = f.post("/v1/status", &f.other_code, None, &body);
    assert_eq!(answer.json(), json!({"entries": [], "awards": []}));
    // A repeat of a decided entry tells the decision.
    let repeat = f.post_entry(&b);
    check(&repeat, 200, "");
    assert_eq!(repeat.json()["status"], "rejected");
    // Accepted hours are final; a rejection can be turned into acceptance.
    let refused = inbox.reject(ORG, &a.id, "Myöhässä.");
    assert!(
        matches!(refused, Err(talkoo_inbox::InboxError::AlreadyAccepted(_))),
        "{refused:?}"
    );
    assert_eq!(inbox.accept(ORG, Selection::AllWaiting).expect("accept"), 1);
    assert_eq!(
        inbox
            .accept(ORG, Selection::Ids(std::slice::from_ref(&b.id)))
            .expect("accept"),
        1
    );
    let answer = f.post("/v1/status", &f.code, None, &body);
    let statuses: Vec<_> = answer.json()["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| (e["status"].clone(), e["reason"].clone()))
        .collect();
    assert_eq!(statuses, vec![(json!("accepted"), json!(null)); 3]);
}

#[test]
fn status_requests_are_checked() {
    let f = fixture("status-checks");
    let many: Vec<String> = (0..501u32)
        .map(|n| talkoo_core::hours::uuid_v4([n as u8; 16]))
        .collect();
    let most = &many[..500];
    // (body, status, error)
    for (body, status, error) in [
        (json!({"ids": many}).to_string(), 413, "too-large"),
        (json!({"ids": most}).to_string(), 200, ""),
        (json!({"ids": "a"}).to_string(), 400, "malformed"),
        ("{".to_owned(), 400, "malformed"),
    ] {
        check(&f.post("/v1/status", &f.code, None, &body), status, error);
    }
    check(
        &f.post("/v1/status", "nope", None, "{\"ids\": []}"),
        401,
        "unknown-token",
    );
}

#[test]
fn cors_headers_are_on_every_answer() {
    let f = fixture("cors");
    for path in ["/v1/entries", "/v1/status", "/v1/me", "/anything"] {
        let answer = f.send(
            &format!("OPTIONS {path} HTTP/1.1"),
            &[
                ("Origin", "https://talkoo.example"),
                ("Access-Control-Request-Method", "POST"),
            ],
            "",
        );
        assert_eq!(answer.status, 204, "{path}");
        assert!(answer.body.is_empty());
        for (name, value) in [
            ("Access-Control-Allow-Origin", "*"),
            ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
            (
                "Access-Control-Allow-Headers",
                "Authorization, Content-Type, Idempotency-Key",
            ),
            ("Access-Control-Max-Age", "86400"),
            ("Access-Control-Expose-Headers", "Retry-After"),
        ] {
            assert_eq!(answer.header(name), Some(value), "{path} {name}");
        }
    }
    // An error answer is readable by the app too.
    let refused = f.get("/v1/me", Some("nope"));
    check(&refused, 401, "unknown-token");
}

#[test]
fn unknown_paths_and_methods() {
    let f = fixture("routes");
    check(&f.get("/v2/health", None), 404, "not-found");
    check(&f.get("/", None), 404, "not-found");
    let answer = f.get("/v1/entries", Some(&f.code));
    check(&answer, 405, "method-not-allowed");
    assert_eq!(answer.header("Allow"), Some("POST, OPTIONS"));
    let answer = f.send("DELETE /v1/health HTTP/1.1", &[], "");
    check(&answer, 405, "method-not-allowed");
    assert_eq!(answer.header("Allow"), Some("GET, OPTIONS"));
    check(&f.get("/v1/health?now=1", None), 200, "");
}

#[test]
fn a_connection_carries_several_requests() {
    let f = fixture("keep-alive");
    let mut stream = TcpStream::connect(f.addr()).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    let e = entry(40);
    let body = serde_json::to_string(&e).expect("json");
    let auth = format!("Bearer {}", f.code);
    let headers = [
        ("Authorization", auth.as_str()),
        ("Content-Type", "application/json"),
        ("Idempotency-Key", e.id.as_str()),
    ];
    // Two requests written at once, as a pipelining client would.
    let mut raw = raw_request("POST /v1/entries HTTP/1.1", &headers, &body, false);
    raw.push_str(&raw_request("GET /v1/health HTTP/1.1", &[], "", true));
    stream.write_all(raw.as_bytes()).expect("write");
    let bytes = support::read_to_close(&mut stream).expect("read");
    let (first, rest) = Answer::parse_one(&bytes);
    check(&first, 201, "");
    let (second, rest) = Answer::parse_one(rest);
    check(&second, 200, "");
    assert!(rest.is_empty());
}

/// curl and other tools ask before sending a body over 1 KiB.
#[test]
fn a_client_waiting_to_continue_is_told_to() {
    let f = fixture("continue");
    let e = entry(41);
    let body = serde_json::to_string(&e).expect("json");
    let auth = format!("Bearer {}", f.code);
    let headers = [
        ("Authorization", auth.as_str()),
        ("Content-Type", "application/json"),
        ("Idempotency-Key", e.id.as_str()),
        ("Expect", "100-continue"),
    ];
    let raw = raw_request("POST /v1/entries HTTP/1.1", &headers, "", true);
    let raw = raw.replace(
        "\r\n\r\n",
        &format!("\r\nContent-Length: {}\r\n\r\n", body.len()),
    );
    let mut stream = TcpStream::connect(f.addr()).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    stream.write_all(raw.as_bytes()).expect("head");
    let mut interim = [0u8; 25];
    std::io::Read::read_exact(&mut stream, &mut interim).expect("100 Continue");
    assert_eq!(&interim, b"HTTP/1.1 100 Continue\r\n\r\n");
    stream.write_all(body.as_bytes()).expect("body");
    let answer = Answer::parse(&support::read_to_close(&mut stream).expect("read"));
    check(&answer, 201, "");
}

#[test]
fn garbage_is_answered_and_the_server_lives_on() {
    let f = fixture("garbage");
    for raw in [
        "HELLO\r\n\r\n",
        "GET / HTTP/3\r\n\r\n",
        "POST /v1/entries HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    ] {
        let bytes = exchange(f.addr(), raw).expect("exchange");
        let answer = Answer::parse(&bytes);
        assert!(
            matches!(answer.status, 400 | 411),
            "{raw:?}: {}",
            answer.status
        );
    }
    check(&f.get("/v1/health", None), 200, "");
}
