//! Rate limits over real connections: per join code and per address, answered 429 with Retry-After, on a clock the test moves.

mod support;

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use support::{entry, Answer, Fixture};
use talkoo_inbox::limit::{Limits, ManualClock};
use talkoo_inbox::Config;

/// A server with these limits on a clock that moves only when told.
fn fixture(
    name: &str,
    per_token: u32,
    per_address: u32,
    trust_proxy: bool,
) -> (Fixture, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new());
    let config = Config {
        limits: Limits {
            per_token,
            per_address,
        },
        trust_proxy,
        clock: clock.clone(),
        ..Config::default()
    };
    (Fixture::with_config(name, &config), clock)
}

/// (answer, expected status, expected Retry-After seconds when limited)
fn check(answer: &Answer, status: u16, retry_after: Option<u64>) {
    assert_eq!(answer.status, status, "{}", answer.body);
    assert_eq!(answer.header("Access-Control-Allow-Origin"), Some("*"));
    assert_eq!(
        answer.header("Access-Control-Expose-Headers"),
        Some("Retry-After"),
        "the app may read Retry-After"
    );
    assert_eq!(
        answer
            .header("Retry-After")
            .map(|v| v.parse::<u64>().expect("seconds")),
        retry_after,
        "{}",
        answer.body
    );
    if let Some(seconds) = retry_after {
        let body = answer.json();
        assert_eq!(body["error"], "rate-limited", "{}", answer.body);
        assert_eq!(body["retry_after"], json!(seconds), "{}", answer.body);
        assert!(body["message"].as_str().is_some_and(|m| m.len() > 10));
    }
}

#[test]
fn a_code_over_its_limit_waits_and_others_do_not() {
    let (f, clock) = fixture("per-token", 3, 100, false);
    for _ in 0..3 {
        check(&f.get("/v1/me", Some(&f.code)), 200, None);
    }
    // The 4th request in the minute, whichever way the code is typed.
    check(
        &f.get("/v1/me", Some(&f.code.to_ascii_lowercase())),
        429,
        Some(60),
    );
    // Another volunteer behind the same address is not held back.
    check(&f.get("/v1/me", Some(&f.other_code)), 200, None);
    clock.advance(Duration::from_millis(30_500));
    // The wait shrinks with time, rounded up to whole seconds.
    check(&f.get("/v1/me", Some(&f.code)), 429, Some(30));
    clock.advance(Duration::from_millis(29_500));
    // The window is over: the code has its whole allowance again.
    for _ in 0..3 {
        check(&f.get("/v1/me", Some(&f.code)), 200, None);
    }
    check(&f.get("/v1/me", Some(&f.code)), 429, Some(60));
}

#[test]
fn an_entry_over_the_limit_is_not_stored_and_can_be_sent_later() {
    let (f, clock) = fixture("per-token-entries", 1, 100, false);
    let (a, b) = (entry(1), entry(2));
    check(&f.post_entry(&a), 201, None);
    let limited = f.post_entry(&b);
    check(&limited, 429, Some(60));
    assert_eq!(f.stored(), 1);
    clock.advance(Duration::from_secs(60));
    check(&f.post_entry(&b), 201, None);
    assert_eq!(f.stored(), 2);
}

#[test]
fn an_address_over_its_limit_waits_whatever_the_code() {
    let (f, clock) = fixture("per-address", 100, 4, false);
    // Unknown codes and unknown paths count too, so guessing codes is slow.
    check(&f.get("/v1/me", Some(&f.code)), 200, None);
    check(&f.get("/v1/me", Some("AAAA-BBBB-CCCC")), 401, None);
    check(&f.get("/nowhere", None), 404, None);
    check(&f.get("/v1/me", Some(&f.other_code)), 200, None);
    check(&f.get("/v1/me", Some(&f.other_code)), 429, Some(60));
    let guess = f.get("/v1/me", Some("AAAA-BBBB-CCCD"));
    check(&guess, 429, Some(60));
    assert!(guess.json()["message"]
        .as_str()
        .is_some_and(|m| m.contains("address")));
    // Preflights and health checks are not limited.
    check(&f.get("/v1/health", None), 200, None);
    let preflight = f.send("OPTIONS /v1/entries HTTP/1.1", &[], "");
    check(&preflight, 204, None);
    clock.advance(Duration::from_secs(60));
    check(&f.get("/v1/me", Some(&f.code)), 200, None);
}

#[test]
fn behind_a_trusted_proxy_the_address_it_adds_is_counted() {
    let forwarded = |f: &Fixture, value: &str| {
        let auth = format!("Bearer {}", f.code);
        f.send(
            "GET /v1/me HTTP/1.1",
            &[("Authorization", &auth), ("X-Forwarded-For", value)],
            "",
        )
    };
    let (f, _clock) = fixture("proxy", 100, 1, true);
    check(&forwarded(&f, "203.0.113.9, 198.51.100.1"), 200, None);
    check(&forwarded(&f, "198.51.100.2"), 200, None);
    // What the client wrote before the proxy's address is not believed.
    check(&forwarded(&f, "192.0.2.77, 198.51.100.1"), 429, Some(60));
    // Without --trust-proxy the header is anyone's to write, and ignored.
    let (f, _clock) = fixture("no-proxy", 100, 1, false);
    check(&forwarded(&f, "198.51.100.1"), 200, None);
    check(&forwarded(&f, "198.51.100.2"), 429, Some(60));
}

#[test]
fn a_limit_of_zero_is_no_limit() {
    let (f, _clock) = fixture("unlimited", 0, 0, false);
    for _ in 0..20 {
        check(&f.get("/v1/me", Some(&f.code)), 200, None);
    }
}
