//! Shared by the integration tests: an inbox in a folder of its own, a server on a free port, and an HTTP client small enough to trust.
//!
//! The client is written over `TcpStream` rather than taken from a crate so
//! that a test sees exactly the bytes the server sent, or that it sent none
//! (the fault modes' closed connections).

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::Value;
use talkoo_core::hours::{uuid_v4, Category, Entry, OrgRef, ServiceRef};
use talkoo_inbox::{Config, Fault, Inbox, Running};

/// The organisation every fixture registers.
pub const ORG: &str = "kainuu-setlementti";
/// Its name.
pub const ORG_NAME: &str = "Kajaanin Setlementti";
/// A second organisation, for entries sent to the wrong one.
pub const OTHER_ORG: &str = "kainuu-spr";

/// A folder under the system's temporary folder, removed when dropped;
/// tests run in parallel, so each gets its own.
#[derive(Debug)]
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!(
            "talkoo-inbox-test-{name}-{}-{n}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("make the test folder");
        TempDir(dir)
    }

    pub fn db(&self) -> PathBuf {
        self.0.join("inbox.sqlite")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A database with two organisations and a code for each, and a server.
#[derive(Debug)]
pub struct Fixture {
    /// The code for [`ORG`], labelled "Aino", as the coordinator printed it.
    pub code: String,
    /// A code for [`OTHER_ORG`], without a label.
    pub other_code: String,
    // The server is stopped before the folder is removed.
    server: Running,
    pub dir: TempDir,
}

impl Fixture {
    pub fn new(name: &str, fault: Fault) -> Fixture {
        Fixture::with_config(name, &Config::with_fault(fault))
    }

    /// A fixture whose server runs with `config` (limits, deadline, clock).
    pub fn with_config(name: &str, config: &Config) -> Fixture {
        let dir = TempDir::new(name);
        let (code, other_code) = {
            let mut inbox = Inbox::open(&dir.db()).expect("open");
            inbox.add_organisation(ORG, ORG_NAME).expect("org");
            inbox
                .add_organisation(OTHER_ORG, "SPR Kainuu")
                .expect("org");
            let code = inbox.issue_code(ORG, Some("Aino")).expect("code");
            let other = inbox.issue_code(OTHER_ORG, None).expect("code");
            (
                talkoo_inbox::code::display(&code.code),
                talkoo_inbox::code::display(&other.code),
            )
        };
        let inbox = Inbox::open(&dir.db()).expect("open");
        let server = talkoo_inbox::start(inbox, "127.0.0.1:0", config).expect("start");
        Fixture {
            code,
            other_code,
            server,
            dir,
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// A second connection to the database, as the coordinator's commands have.
    pub fn inbox(&self) -> Inbox {
        Inbox::open(&self.dir.db()).expect("open")
    }

    pub fn stored(&self) -> i64 {
        self.inbox().entry_count(ORG).expect("count")
    }

    /// Sends a request (head lines without the request's final blank line)
    /// and a body, asking the server to close afterwards.
    pub fn send(&self, request_line: &str, headers: &[(&str, &str)], body: &str) -> Answer {
        let raw = raw_request(request_line, headers, body, true);
        let bytes = exchange(self.addr(), &raw).expect("exchange");
        Answer::parse(&bytes)
    }

    pub fn get(&self, path: &str, token: Option<&str>) -> Answer {
        let auth = token.map(|t| format!("Bearer {t}"));
        let mut headers = Vec::new();
        if let Some(auth) = &auth {
            headers.push(("Authorization", auth.as_str()));
        }
        self.send(&format!("GET {path} HTTP/1.1"), &headers, "")
    }

    /// Posts an entry with this fixture's code and the entry's id as key.
    pub fn post_entry(&self, entry: &Entry) -> Answer {
        let body = serde_json::to_string(entry).expect("json");
        self.post("/v1/entries", &self.code, Some(&entry.id), &body)
    }

    pub fn post(&self, path: &str, token: &str, key: Option<&str>, body: &str) -> Answer {
        let auth = format!("Bearer {token}");
        let mut headers = vec![
            ("Authorization", auth.as_str()),
            ("Content-Type", "application/json"),
        ];
        if let Some(key) = key {
            headers.push(("Idempotency-Key", key));
        }
        self.send(&format!("POST {path} HTTP/1.1"), &headers, body)
    }
}

/// The bytes of a request; `close` adds `Connection: close`.
pub fn raw_request(
    request_line: &str,
    headers: &[(&str, &str)],
    body: &str,
    close: bool,
) -> String {
    let mut raw = format!("{request_line}\r\nHost: inbox.test\r\n");
    for (name, value) in headers {
        raw.push_str(&format!("{name}: {value}\r\n"));
    }
    if !body.is_empty() {
        raw.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    if close {
        raw.push_str("Connection: close\r\n");
    }
    raw.push_str("\r\n");
    raw.push_str(body);
    raw
}

/// Writes a request and reads until the server closes the connection.
/// A connection reset after no bytes counts as no bytes: either way the
/// client got no answer.
pub fn exchange(addr: SocketAddr, raw: &str) -> std::io::Result<Vec<u8>> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    stream.write_all(raw.as_bytes())?;
    read_to_close(&mut stream)
}

pub fn read_to_close(stream: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    match stream.read_to_end(&mut bytes) {
        Ok(_) => Ok(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset && bytes.is_empty() => Ok(bytes),
        Err(e) => Err(e),
    }
}

/// An answer as the client saw it.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    /// Parses one answer from the start of `bytes` (its body by
    /// Content-Length, or to the end); panics on anything else, as a test
    /// should.
    pub fn parse(bytes: &[u8]) -> Answer {
        Answer::parse_one(bytes).0
    }

    /// One answer and the bytes after it.
    pub fn parse_one(bytes: &[u8]) -> (Answer, &[u8]) {
        let text_end = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no answer head in {:?}", String::from_utf8_lossy(bytes)));
        let head = std::str::from_utf8(&bytes[..text_end]).expect("head is text");
        let mut lines = head.split("\r\n");
        let status_line = lines.next().expect("status line");
        let status = status_line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
        let headers: Vec<(String, String)> = lines
            .map(|l| {
                let (n, v) = l.split_once(':').expect("header");
                (n.trim().to_owned(), v.trim().to_owned())
            })
            .collect();
        let rest = &bytes[text_end + 4..];
        let length = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .map(|(_, v)| v.parse::<usize>().expect("length"))
            .unwrap_or(rest.len());
        let body = String::from_utf8(rest[..length].to_vec()).expect("body is text");
        (
            Answer {
                status,
                headers,
                body,
            },
            &rest[length..],
        )
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("answer {} is not JSON ({e}): {}", self.status, self.body))
    }

    /// The `error` code of a refusal.
    pub fn error(&self) -> String {
        self.json()["error"].as_str().unwrap_or_default().to_owned()
    }
}

/// A valid entry for [`ORG`], its id made from `seed`.
pub fn entry(seed: u8) -> Entry {
    Entry {
        id: uuid_v4([seed; 16]),
        date: "2026-11-19".to_owned(),
        start: Some("09:00".to_owned()),
        end: Some("11:30".to_owned()),
        minutes: 150,
        organisation: OrgRef {
            id: Some(ORG.to_owned()),
            name: ORG_NAME.to_owned(),
        },
        service: Some(ServiceRef {
            id: "kahvila".to_owned(),
            name: "Olohuonekahvila".to_owned(),
        }),
        category: Category::PeerSupport,
        note: "Kahvit ja bingo.".to_owned(),
        created: "2026-11-19T12:00:00+02:00".to_owned(),
        modified: "2026-11-19T12:00:00+02:00".to_owned(),
    }
}
