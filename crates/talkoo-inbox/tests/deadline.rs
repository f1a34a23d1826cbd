//! The overall deadline of a request: a client that trickles its request is cut off when it passes, however often it sends a byte, while whole requests are served.

mod support;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

use support::{entry, raw_request, Answer, Fixture};
use talkoo_inbox::Config;

/// The deadline the tests' servers use: short, so the tests are quick, and
/// far below the 15 s a connection may stay silent, so a cut-off within a
/// few seconds can only be the deadline's doing.
const DEADLINE: Duration = Duration::from_millis(400);

fn fixture(name: &str) -> Fixture {
    let config = Config {
        request_deadline: DEADLINE,
        ..Config::default()
    };
    Fixture::with_config(name, &config)
}

/// Sends `start` at once, then `trickle` a byte every 20 ms (a pace that
/// never lets the connection go quiet), and reads until the server closes
/// the connection. Returns what the server sent and how long after the
/// first byte the connection closed.
fn trickle(f: &Fixture, start: &str, trickle: &str) -> (Vec<u8>, Duration) {
    let mut stream = TcpStream::connect(f.addr()).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let mut writer = stream.try_clone().expect("clone");
    let started = Instant::now();
    writer.write_all(start.as_bytes()).expect("start");
    let bytes = trickle.as_bytes().to_vec();
    let sender = std::thread::spawn(move || {
        for byte in bytes {
            // Time is what is tested here: a byte every 20 ms keeps the
            // connection from ever going quiet, so only the overall
            // deadline can end it.
            std::thread::sleep(Duration::from_millis(20));
            // The server closing its end ends the trickle.
            if writer.write_all(&[byte]).is_err() {
                return;
            }
        }
    });
    let mut answer = Vec::new();
    let read = stream.read_to_end(&mut answer);
    let elapsed = started.elapsed();
    assert!(read.is_ok(), "the connection was never closed: {read:?}");
    // Closing this end makes the sender's next write fail, ending it.
    let _ = stream.shutdown(Shutdown::Both);
    let _ = sender.join();
    (answer, elapsed)
}

/// (what the client sends whole, what it trickles): cut off with a 408
/// at the deadline.
fn check_cut_off(f: &Fixture, start: &str, trickled: &str) {
    let (bytes, elapsed) = trickle(f, start, trickled);
    assert!(
        elapsed >= DEADLINE,
        "closed before the deadline: {elapsed:?}"
    );
    assert!(
        elapsed < Duration::from_secs(5),
        "closed {elapsed:?} after the first byte, long after the deadline"
    );
    let answer = Answer::parse(&bytes);
    assert_eq!(answer.status, 408, "{}", answer.body);
    assert_eq!(answer.error(), "timeout");
    assert_eq!(answer.header("Connection"), Some("close"));
}

#[test]
fn a_trickled_head_is_cut_off_at_the_deadline() {
    let f = fixture("trickled-head");
    // Sixty bytes at 20 ms each would take 1.2 s, three deadlines.
    check_cut_off(
        &f,
        "GET /v1/health HTTP/1.1\r\n",
        &"X-Slow: 1\r\n".repeat(6),
    );
}

#[test]
fn a_trickled_body_is_cut_off_at_the_deadline() {
    let f = fixture("trickled-body");
    let e = entry(1);
    let body = serde_json::to_string(&e).expect("json");
    let auth = format!("Bearer {}", f.code);
    let head = raw_request(
        "POST /v1/entries HTTP/1.1",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
            ("Idempotency-Key", &e.id),
        ],
        &body,
        false,
    );
    let (head, body) = head.split_at(head.len() - body.len());
    check_cut_off(&f, head, body);
    assert_eq!(f.stored(), 0);
}

#[test]
fn others_are_served_while_a_client_trickles() {
    let f = fixture("trickle-others");
    std::thread::scope(|scope| {
        let slow =
            scope.spawn(|| trickle(&f, "GET /v1/health HTTP/1.1\r\n", &"X: 1\r\n".repeat(20)));
        for _ in 0..3 {
            assert_eq!(f.get("/v1/me", Some(&f.code)).status, 200);
        }
        let (bytes, _) = slow.join().expect("trickler");
        assert_eq!(Answer::parse(&bytes).status, 408);
    });
}

/// Reads one answer from a connection that stays open: its head, then as
/// many body bytes as its Content-Length says.
fn read_answer(stream: &mut TcpStream) -> Answer {
    let mut bytes = Vec::new();
    let mut byte = [0u8];
    while !bytes.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).expect("answer head");
        bytes.push(byte[0]);
    }
    let head = String::from_utf8(bytes.clone()).expect("text");
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .map_or(0, |v| v.trim().parse::<usize>().expect("length"));
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).expect("answer body");
    bytes.extend(body);
    Answer::parse(&bytes)
}

/// The deadline is per request: a browser's connection that lives far
/// longer, quiet between requests, is served for as long as it is used.
#[test]
fn the_deadline_starts_with_each_request_not_the_connection() {
    let f = fixture("keep-alive-deadline");
    let mut stream = TcpStream::connect(f.addr()).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    let started = Instant::now();
    let auth = format!("Bearer {}", f.code);
    for _ in 0..3 {
        let raw = raw_request(
            "GET /v1/me HTTP/1.1",
            &[("Authorization", &auth)],
            "",
            false,
        );
        stream.write_all(raw.as_bytes()).expect("request");
        let answer = read_answer(&mut stream);
        assert_eq!(answer.status, 200, "{}", answer.body);
        // Time is what is tested here: the connection stays quiet for
        // longer than a request may take, and must still be served after.
        std::thread::sleep(DEADLINE + Duration::from_millis(100));
    }
    assert!(started.elapsed() > DEADLINE * 3);
}
