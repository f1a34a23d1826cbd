//! The hours protocol v1 (docs/hours-protocol.md): what each request is answered, decided from its head and body.
//!
//! Checks run from the cheapest to the dearest — route, token, media type,
//! size, shape, content — so a body is read only from a known volunteer and
//! only when the headers already passed. Every answer is JSON and carries
//! `Access-Control-Allow-Origin: *`: the app runs on another origin and
//! authenticates with a bearer token, never a cookie, so any origin may read
//! the answers. The rate limits (see `limit`) are checked first per client
//! address and then, once the code is known, per code.

use std::net::IpAddr;
use std::str::FromStr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde::Deserialize;
use serde_json::{json, Map, Value};
use talkoo_core::hours::Entry;

use crate::http::{Body, BodyError, Head};
use crate::limit::{retry_after_seconds, Clock, Over, RateLimiter};
use crate::server::Config;
use crate::store::{Award, Decision, Inbox, Member, Submission};
use crate::InboxError;

/// The largest entry body accepted; an entry with the longest note is about 9 KiB.
pub const ENTRY_LIMIT: usize = 16 * 1024;

/// The most ids one status request may ask about.
pub const STATUS_MAX_IDS: usize = 500;

/// The largest status body accepted: 500 UUIDs in JSON take about 20 KB.
pub const STATUS_LIMIT: usize = 64 * 1024;

/// A failure the server plays on purpose, for the app's end-to-end tests of
/// what happens when sending goes wrong. Faults touch only a
/// `POST v1/entries` that would store a new entry: every other answer,
/// repeats included, stays normal, so a test can see the app recover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fault {
    /// Behave.
    #[default]
    None,
    /// Answer 500 without storing.
    Error500,
    /// Close the connection without an answer, without storing.
    DropBefore,
    /// Store, then close the connection without an answer.
    DropAfter,
    /// Store, then wait this long before answering.
    DelayAfter(Duration),
}

impl FromStr for Fault {
    type Err = InboxError;

    fn from_str(text: &str) -> Result<Fault, InboxError> {
        let fault = match text {
            "none" => Fault::None,
            "error-500" => Fault::Error500,
            "drop-before" => Fault::DropBefore,
            "drop-after" => Fault::DropAfter,
            _ => match text.strip_prefix("delay-after=").map(str::parse) {
                Some(Ok(ms)) => Fault::DelayAfter(Duration::from_millis(ms)),
                _ => {
                    return Err(InboxError::Usage(format!(
                        "unknown fault mode {text:?}; use none, error-500, drop-before, drop-after or delay-after=MS"
                    )))
                }
            },
        };
        Ok(fault)
    }
}

/// An HTTP answer: status, headers (besides Content-Length) and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The status code.
    pub status: u16,
    /// Header names and values.
    pub headers: Vec<(&'static str, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl Answer {
    /// A JSON answer with the headers every answer carries.
    pub fn json(status: u16, value: &Value) -> Answer {
        let mut headers = common_headers();
        headers.push(("Content-Type", "application/json; charset=utf-8".to_owned()));
        Answer {
            status,
            headers,
            body: value.to_string().into_bytes(),
        }
    }

    /// A refusal: `{"error": code, "message": message}` plus `extra` fields.
    pub fn refusal(status: u16, code: &str, message: &str, extra: Map<String, Value>) -> Answer {
        let mut body = Map::new();
        body.insert("error".to_owned(), code.into());
        body.insert("message".to_owned(), message.into());
        body.extend(extra);
        Answer::json(status, &Value::Object(body))
    }

    /// A refusal without extra fields.
    pub fn error(status: u16, code: &str, message: &str) -> Answer {
        Answer::refusal(status, code, message, Map::new())
    }

    /// The answer to a CORS preflight: which methods and headers the app may use.
    pub fn preflight() -> Answer {
        let mut headers = common_headers();
        headers.extend([
            (
                "Access-Control-Allow-Methods",
                "GET, POST, OPTIONS".to_owned(),
            ),
            (
                "Access-Control-Allow-Headers",
                "Authorization, Content-Type, Idempotency-Key".to_owned(),
            ),
            ("Access-Control-Max-Age", "86400".to_owned()),
        ]);
        Answer {
            status: 204,
            headers,
            body: Vec::new(),
        }
    }

    /// The answer to a request over a rate limit: `429` with the wait in
    /// whole seconds, both as `Retry-After` and in the body for clients
    /// that find reading a header awkward.
    pub fn rate_limited(over: Over) -> Answer {
        let seconds = retry_after_seconds(over.wait());
        let whose = match over {
            Over::Token(_) => "this join code",
            Over::Address(_) => "this address",
        };
        let mut extra = Map::new();
        extra.insert("retry_after".to_owned(), seconds.into());
        Answer::refusal(
            429,
            "rate-limited",
            &format!("too many requests from {whose}; try again in {seconds} s"),
            extra,
        )
        .with_header("Retry-After", &seconds.to_string())
    }

    /// The answer to a request that did not arrive whole within its
    /// deadline (see `server`).
    pub fn timed_out() -> Answer {
        Answer::error(
            408,
            "timeout",
            "the request did not arrive in time; send it again",
        )
    }

    fn with_header(mut self, name: &'static str, value: &str) -> Answer {
        self.headers.push((name, value.to_owned()));
        self
    }
}

fn common_headers() -> Vec<(&'static str, String)> {
    vec![
        ("Access-Control-Allow-Origin", "*".to_owned()),
        // Answers are about one volunteer's entries at one moment.
        ("Cache-Control", "no-store".to_owned()),
        ("X-Content-Type-Options", "nosniff".to_owned()),
        // Browsers let a page on another origin read only a few headers
        // unless told; the app needs Retry-After to know how long to wait.
        ("Access-Control-Expose-Headers", "Retry-After".to_owned()),
    ]
}

/// A database failure is the inbox's fault, not the client's: the details go
/// to the operator's log, the client learns to try again later.
impl From<InboxError> for Answer {
    fn from(error: InboxError) -> Answer {
        eprintln!("talkoo-inbox: {error}");
        Answer::error(
            500,
            "internal",
            "the inbox could not use its database; try again later",
        )
    }
}

/// What to do with a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// Send this answer.
    Answer(Answer),
    /// Close the connection without answering (fault modes only).
    Hangup,
}

/// The protocol over one inbox database.
#[derive(Debug)]
pub struct Api {
    inbox: Mutex<Inbox>,
    fault: Fault,
    limiter: Mutex<RateLimiter>,
    clock: Arc<dyn Clock>,
    trust_proxy: bool,
}

#[derive(Deserialize)]
struct StatusRequest {
    ids: Vec<String>,
}

impl Api {
    /// Whether every answer should close its connection. In a fault mode
    /// it must: a browser silently resends a request when a connection it
    /// reused closes without an answer (Chromium does so even for POST),
    /// which would hide the very fault under test. Fresh connections make
    /// a hang-up final, as a lost mobile connection is.
    pub fn closes_connections(&self) -> bool {
        !matches!(self.fault, Fault::None)
    }

    /// The protocol over `inbox`, with the fault mode, limits and clock of
    /// `config`.
    pub fn new(inbox: Inbox, config: &Config) -> Api {
        Api {
            inbox: Mutex::new(inbox),
            fault: config.fault,
            limiter: Mutex::new(RateLimiter::new(config.limits)),
            clock: config.clock.clone(),
            trust_proxy: config.trust_proxy,
        }
    }

    /// Answers one request that came from `peer`. Preflights and
    /// `v1/health` are not limited: browsers send preflights on their own
    /// and cache them for a day, and monitoring should see the inbox as it
    /// is, not its limits.
    pub fn handle(&self, peer: IpAddr, head: &Head, body: &mut Body<'_>) -> Reply {
        if head.method == "OPTIONS" {
            return Reply::Answer(Answer::preflight());
        }
        if head.path() != "/v1/health" {
            let client = self.client(peer, head);
            let counted = lock(&self.limiter).address(client, self.clock.now());
            if let Err(over) = counted {
                return Reply::Answer(Answer::rate_limited(over));
            }
        }
        let (allowed, result) = match head.path() {
            "/v1/health" => ("GET", self.only("GET", head, |_| health())),
            "/v1/me" => ("GET", self.only("GET", head, |h| self.me(h))),
            "/v1/entries" => ("POST", self.only("POST", head, |h| self.entries(h, body))),
            "/v1/status" => ("POST", self.only("POST", head, |h| self.status(h, body))),
            _ => {
                let answer = Answer::error(404, "not-found", "there is nothing at this path");
                return Reply::Answer(answer);
            }
        };
        match result {
            Ok(reply) => reply,
            Err(answer) if answer.status == 405 => {
                Reply::Answer(answer.with_header("Allow", &format!("{allowed}, OPTIONS")))
            }
            Err(answer) => Reply::Answer(answer),
        }
    }

    fn only(
        &self,
        method: &str,
        head: &Head,
        handler: impl FnOnce(&Head) -> Result<Reply, Answer>,
    ) -> Result<Reply, Answer> {
        if head.method != method {
            return Err(Answer::error(
                405,
                "method-not-allowed",
                &format!("use {method} here"),
            ));
        }
        handler(head)
    }

    fn inbox(&self) -> MutexGuard<'_, Inbox> {
        // A panic while the lock was held rolled its transaction back, so
        // the inbox is still consistent and can go on being used.
        lock(&self.inbox)
    }

    /// The address a request is counted under: the peer's, or behind a
    /// trusted reverse proxy (whose own address every request has), the
    /// last one in `X-Forwarded-For`, which is the one the proxy added.
    /// Earlier ones are the client's to write and are not believed.
    fn client(&self, peer: IpAddr, head: &Head) -> IpAddr {
        if !self.trust_proxy {
            return peer;
        }
        head.header("x-forwarded-for")
            .and_then(|list| list.rsplit(',').next())
            .map(|last| last.trim().trim_start_matches('[').trim_end_matches(']'))
            .and_then(|last| last.parse().ok())
            .unwrap_or(peer)
    }

    /// The holder of the request's bearer token.
    fn member(&self, head: &Head) -> Result<Member, Answer> {
        let Some(token) = head.header("authorization").and_then(bearer) else {
            return Err(Answer::error(
                401,
                "unknown-token",
                "no join code was sent; send it as Authorization: Bearer <code>",
            ));
        };
        let member = self.inbox().member(token)?.ok_or_else(|| {
            Answer::error(
                401,
                "unknown-token",
                "this join code is unknown or was revoked; ask the coordinator for a new one",
            )
        })?;
        let counted = lock(&self.limiter).token(&member.code_id, self.clock.now());
        counted.map_err(Answer::rate_limited)?;
        Ok(member)
    }

    fn me(&self, head: &Head) -> Result<Reply, Answer> {
        let member = self.member(head)?;
        Ok(Reply::Answer(Answer::json(
            200,
            &json!({
                "organisation": {"id": member.organisation_id, "name": member.organisation_name},
                "label": member.label,
            }),
        )))
    }

    fn entries(&self, head: &Head, body: &mut Body<'_>) -> Result<Reply, Answer> {
        let member = self.member(head)?;
        require_json(head)?;
        let bytes = read_body(body, ENTRY_LIMIT, "an entry may be at most 16 KiB")?;
        let entry: Entry = serde_json::from_slice(&bytes).map_err(|e| {
            Answer::error(
                400,
                "malformed",
                &format!("the body is not an hours entry: {e}"),
            )
        })?;
        let key = head.header("idempotency-key").unwrap_or_default();
        if key.is_empty() {
            return Err(Answer::error(
                400,
                "malformed",
                "the Idempotency-Key header is missing; send the entry's id in it",
            ));
        }
        if key != entry.id {
            return Err(Answer::error(
                400,
                "malformed",
                &format!(
                    "the Idempotency-Key {key:?} is not the entry's id {:?}",
                    entry.id
                ),
            ));
        }
        let problems = entry.problems();
        if !problems.is_empty() {
            let mut extra = Map::new();
            extra.insert("problems".to_owned(), json!(problems));
            return Err(Answer::refusal(
                422,
                "invalid",
                "the entry breaks the rules for hours; see problems",
                extra,
            ));
        }
        if let Some(org) = &entry.organisation.id {
            if *org != member.organisation_id {
                return Err(Answer::error(
                    422,
                    "wrong-organisation",
                    &format!(
                        "this join code is for {} ({}), but the entry is for organisation {org:?}",
                        member.organisation_name, member.organisation_id
                    ),
                ));
            }
        }
        let store_new = !matches!(self.fault, Fault::Error500 | Fault::DropBefore);
        let submission = self.inbox().submit(&member, &entry, store_new)?;
        let answer = match submission {
            Submission::New => match self.fault {
                Fault::Error500 => Answer::error(
                    500,
                    "unavailable",
                    "the inbox is failing on purpose (fault mode error-500)",
                ),
                Fault::DropBefore | Fault::DropAfter => return Ok(Reply::Hangup),
                Fault::DelayAfter(delay) => {
                    // The database lock was released with the guard above,
                    // so other requests go on while this one waits.
                    std::thread::sleep(delay);
                    Answer::json(201, &json!({"id": entry.id, "status": "received"}))
                }
                Fault::None => Answer::json(201, &json!({"id": entry.id, "status": "received"})),
            },
            Submission::Repeat(decision) => Answer::json(200, &decision_json(&decision)),
            Submission::Conflict(theirs) => {
                let mut extra = Map::new();
                extra.insert("theirs".to_owned(), json!(theirs));
                Answer::refusal(
                    409,
                    "conflict",
                    "a different entry with this id is already in the inbox; nothing was changed",
                    extra,
                )
            }
        };
        Ok(Reply::Answer(answer))
    }

    fn status(&self, head: &Head, body: &mut Body<'_>) -> Result<Reply, Answer> {
        let member = self.member(head)?;
        require_json(head)?;
        let bytes = read_body(body, STATUS_LIMIT, "a status request may be at most 64 KiB")?;
        let request: StatusRequest = serde_json::from_slice(&bytes).map_err(|e| {
            Answer::error(
                400,
                "malformed",
                &format!("the body must be {{\"ids\": [\"<entry id>\", …]}}: {e}"),
            )
        })?;
        if request.ids.len() > STATUS_MAX_IDS {
            return Err(Answer::error(
                413,
                "too-large",
                &format!("ask about at most {STATUS_MAX_IDS} ids at a time"),
            ));
        }
        let (decisions, awards) = {
            let inbox = self.inbox();
            let decisions = inbox.decisions(&member.organisation_id, &request.ids)?;
            (decisions, inbox.awards(&member.code_id)?)
        };
        let entries: Vec<Value> = decisions.iter().map(decision_json).collect();
        // Every award of the code comes with every poll: the app keeps each
        // id once, so a lost answer or a restored phone loses no badge.
        let awards: Vec<Value> = awards.iter().map(award_json).collect();
        Ok(Reply::Answer(Answer::json(
            200,
            &json!({ "entries": entries, "awards": awards }),
        )))
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

fn health() -> Result<Reply, Answer> {
    Ok(Reply::Answer(Answer::json(200, &json!({"ok": true}))))
}

/// An award as the status answer carries it; `credential` (the credential
/// with its embedded proof) only when the award has one.
fn award_json(award: &Award) -> Value {
    let mut value = json!({
        "id": award.id,
        "achievement": award.achievement,
        "jwt": award.jwt,
    });
    // The inbox wrote the text from a JSON value, so it reads back as one.
    if let Some(credential) = award
        .credential
        .as_deref()
        .and_then(|text| serde_json::from_str::<Value>(text).ok())
    {
        value["credential"] = credential;
    }
    value
}

fn decision_json(decision: &Decision) -> Value {
    json!({
        "id": decision.id,
        "status": decision.status.name(),
        "reason": decision.reason,
    })
}

/// The token of an `Authorization: Bearer <token>` header; the scheme is
/// case-insensitive (RFC 9110).
fn bearer(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

fn require_json(head: &Head) -> Result<(), Answer> {
    let media = head
        .header("content-type")
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim();
    if media.eq_ignore_ascii_case("application/json") {
        Ok(())
    } else {
        Err(Answer::error(
            415,
            "unsupported-media-type",
            "send the body as Content-Type: application/json",
        ))
    }
}

fn read_body(body: &mut Body<'_>, limit: usize, too_large: &str) -> Result<Vec<u8>, Answer> {
    body.read(limit).map_err(|e| match e {
        BodyError::TooLarge => Answer::error(413, "too-large", too_large),
        BodyError::Incomplete => {
            Answer::error(400, "malformed", "the body ended before its Content-Length")
        }
        BodyError::TimedOut => Answer::timed_out(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_modes_are_parsed() {
        for (text, expected) in [
            ("none", Some(Fault::None)),
            ("error-500", Some(Fault::Error500)),
            ("drop-before", Some(Fault::DropBefore)),
            ("drop-after", Some(Fault::DropAfter)),
            (
                "delay-after=250",
                Some(Fault::DelayAfter(Duration::from_millis(250))),
            ),
            ("delay-after=", None),
            ("delay-after=soon", None),
            ("drop", None),
        ] {
            assert_eq!(text.parse::<Fault>().ok(), expected, "{text}");
        }
    }

    #[test]
    fn bearer_tokens_are_read_from_the_header() {
        for (header, expected) in [
            ("Bearer K7QM-4XPD-92HT", Some("K7QM-4XPD-92HT")),
            ("bearer  k7qm 4xpd 92ht ", Some("k7qm 4xpd 92ht")),
            ("Basic dXNlcjpwYXNz", None),
            ("Bearer ", None),
            ("K7QM-4XPD-92HT", None),
        ] {
            assert_eq!(bearer(header), expected, "{header:?}");
        }
    }
}
