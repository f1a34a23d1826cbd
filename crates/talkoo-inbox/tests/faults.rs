//! The fault modes the app's end-to-end tests rely on: each must fail exactly the way it says, and store exactly what it says.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::{entry, exchange, raw_request, Answer, Fixture, TempDir, ORG, ORG_NAME};
use talkoo_inbox::{Fault, Inbox};

/// The bytes of a POST of `e` with `code`; `close` asks for the connection
/// to end after it, as a plain client would; without it the connection is
/// kept alive, as a browser's is.
fn post_bytes(code: &str, e: &talkoo_core::hours::Entry, close: bool) -> String {
    let body = serde_json::to_string(e).expect("json");
    let auth = format!("Bearer {code}");
    let headers = [
        ("Authorization", auth.as_str()),
        ("Content-Type", "application/json"),
        ("Idempotency-Key", e.id.as_str()),
    ];
    raw_request("POST /v1/entries HTTP/1.1", &headers, &body, close)
}

/// (fault, keep the connection alive?, entries stored after one attempt)
fn check_hangup(fault: Fault, keep_alive: bool, stored: i64) {
    let f = Fixture::new("hangup", fault);
    let e = entry(50);
    let started = Instant::now();
    let bytes = exchange(f.addr(), &post_bytes(&f.code, &e, !keep_alive)).expect("exchange");
    assert!(
        bytes.is_empty(),
        "{fault:?}: the client got an answer: {}",
        String::from_utf8_lossy(&bytes)
    );
    // The connection was closed, not left to time out.
    assert!(started.elapsed() < Duration::from_secs(3), "{fault:?}");
    assert_eq!(f.stored(), stored, "{fault:?}");
    // The retry: a stored entry is a harmless repeat; one never stored fails again.
    let retry = exchange(f.addr(), &post_bytes(&f.code, &e, true)).expect("exchange");
    if stored == 1 {
        let answer = Answer::parse(&retry);
        assert_eq!(answer.status, 200, "{fault:?}: {}", answer.body);
        assert_eq!(answer.json()["status"], "received");
    } else {
        assert!(retry.is_empty(), "{fault:?}");
    }
    assert_eq!(f.stored(), stored, "{fault:?}");
}

#[test]
fn dropped_connections_end_without_an_answer() {
    for keep_alive in [false, true] {
        check_hangup(Fault::DropBefore, keep_alive, 0);
        check_hangup(Fault::DropAfter, keep_alive, 1);
    }
}

#[test]
fn error_500_stores_nothing() {
    let f = Fixture::new("error-500", Fault::Error500);
    let e = entry(51);
    for _ in 0..2 {
        let answer = f.post_entry(&e);
        assert_eq!(answer.status, 500);
        assert_eq!(answer.error(), "unavailable");
        assert_eq!(answer.header("Access-Control-Allow-Origin"), Some("*"));
    }
    assert_eq!(f.stored(), 0);
    // Only storing fails: the rest of the protocol answers as usual.
    assert_eq!(f.get("/v1/me", Some(&f.code)).status, 200);
    let mut broken = entry(52);
    broken.date = "yesterday".to_owned();
    assert_eq!(f.post_entry(&broken).status, 422);
}

#[test]
fn delay_after_stores_before_it_answers() {
    let f = Fixture::new("delay", Fault::DelayAfter(Duration::from_millis(300)));
    let e = entry(53);
    let started = Instant::now();
    let answer = f.post_entry(&e);
    assert_eq!(answer.status, 201);
    assert!(started.elapsed() >= Duration::from_millis(300));
    // The repeat is not delayed: it stores nothing new.
    let started = Instant::now();
    assert_eq!(f.post_entry(&e).status, 200);
    assert!(started.elapsed() < Duration::from_millis(300));
}

/// The end-to-end tests' use of delay-after: the process is killed while it
/// waits, the client sees the connection die, and the entry is stored whole.
#[test]
fn a_killed_server_keeps_the_entry_it_stored() {
    let dir = TempDir::new("killed");
    let code = {
        let mut inbox = Inbox::open(&dir.db()).expect("open");
        inbox.add_organisation(ORG, ORG_NAME).expect("org");
        inbox.issue_code(ORG, None).expect("code").code
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_talkoo-inbox"))
        .args(["--db", dir.db().to_str().expect("utf-8 path")])
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--fault",
            "delay-after=10000",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the binary");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("read the address");
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .and_then(|rest| rest.strip_suffix('/'))
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    let e = entry(54);
    let mut stream = TcpStream::connect(&addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    stream
        .write_all(post_bytes(&code, &e, false).as_bytes())
        .expect("send");
    let inbox = Inbox::open(&dir.db()).expect("open");
    let deadline = Instant::now() + Duration::from_secs(5);
    while inbox.entry_count(ORG).expect("count") == 0 {
        assert!(Instant::now() < deadline, "the entry was never stored");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().expect("kill");
    let _ = child.wait();
    let bytes = support::read_to_close(&mut stream).expect("read");
    assert!(bytes.is_empty(), "{}", String::from_utf8_lossy(&bytes));
    let rows = inbox.entries(ORG, None, None).expect("entries");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].entry, e);
}
