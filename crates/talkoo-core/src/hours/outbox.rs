//! The outbox: where each entry is on its way to the association, and the rules that move it on, with time and jitter passed in.
//!
//! Modelled on ODK Collect's rule that a record is never lost: sending never
//! deletes or changes an entry, an entry is marked sent only after a 2xx
//! answer, and anything else (an error, a dropped connection, a tab killed
//! mid-send) leaves it waiting to be tried again with the same id.

use serde::{Deserialize, Serialize};

use super::Entry;

/// The first retry waits this long; each further one doubles it.
pub const FIRST_RETRY_MS: i64 = 30_000;

/// Retries never wait longer than this (plus jitter).
pub const MAX_RETRY_MS: i64 = 60 * 60 * 1000;

/// Where an entry is on its way to the organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "kebab-case", try_from = "StoredDelivery")]
pub enum Delivery {
    /// Saved on this device only: the organisation takes no hours online,
    /// or the volunteer has not joined it.
    Local,
    /// Waiting to be sent, or to be tried again after a failure.
    Waiting {
        /// Failed attempts so far.
        attempts: u32,
        /// Not to be tried by the timer before this time (ms since epoch).
        next_attempt_ms: i64,
        /// The last failure in plain words, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        last_error: Option<String>,
    },
    /// The inbox answered 2xx: it has this exact entry.
    Sent {
        /// When the answer came (ms since epoch).
        at_ms: i64,
    },
    /// The coordinator accepted the hours; the entry is read-only for good.
    Accepted {
        /// When the device learnt it (ms since epoch).
        at_ms: i64,
    },
    /// The inbox holds a different entry under the same id.
    Conflict {
        /// The entry as the inbox has it.
        theirs: Box<Entry>,
    },
    /// The inbox or the coordinator refused the entry.
    Rejected {
        /// The reason given, shown to the volunteer.
        reason: String,
    },
}

/// A stored [`Delivery`] read as one flat object. serde reads an
/// internally tagged enum by buffering the object first, which made this
/// the largest deserialiser in the first-load shell (about 19 KB before
/// optimisation with the buffered `Entry`); the flat reading is a third of
/// that and accepts exactly the same objects.
#[derive(Deserialize)]
struct StoredDelivery {
    state: String,
    attempts: Option<u32>,
    next_attempt_ms: Option<i64>,
    #[serde(default)]
    last_error: Option<String>,
    at_ms: Option<i64>,
    theirs: Option<Box<Entry>>,
    reason: Option<String>,
}

impl TryFrom<StoredDelivery> for Delivery {
    type Error = String;

    fn try_from(d: StoredDelivery) -> Result<Self, Self::Error> {
        let state = d.state;
        let missing = |field: &str| format!("missing field `{field}` of state `{state}`");
        Ok(match state.as_str() {
            "local" => Delivery::Local,
            "waiting" => Delivery::Waiting {
                attempts: d.attempts.ok_or_else(|| missing("attempts"))?,
                next_attempt_ms: d
                    .next_attempt_ms
                    .ok_or_else(|| missing("next_attempt_ms"))?,
                last_error: d.last_error,
            },
            "sent" => Delivery::Sent {
                at_ms: d.at_ms.ok_or_else(|| missing("at_ms"))?,
            },
            "accepted" => Delivery::Accepted {
                at_ms: d.at_ms.ok_or_else(|| missing("at_ms"))?,
            },
            "conflict" => Delivery::Conflict {
                theirs: d.theirs.ok_or_else(|| missing("theirs"))?,
            },
            "rejected" => Delivery::Rejected {
                reason: d.reason.ok_or_else(|| missing("reason"))?,
            },
            _ => return Err(format!("unknown delivery state `{state}`")),
        })
    }
}

impl Delivery {
    /// A new entry's state: waiting to be sent at once if the volunteer has
    /// joined the organisation's inbox, otherwise kept on the device.
    pub fn new(joined: bool, now_ms: i64) -> Delivery {
        if joined {
            Delivery::Waiting {
                attempts: 0,
                next_attempt_ms: now_ms,
                last_error: None,
            }
        } else {
            Delivery::Local
        }
    }

    /// Whether the volunteer may still edit or delete the entry: until the
    /// inbox has it. A sent entry is the organisation's to accept.
    pub fn editable(&self) -> bool {
        !matches!(self, Delivery::Sent { .. } | Delivery::Accepted { .. })
    }

    /// The i18n key of the state shown in the entry list.
    pub fn key(&self) -> &'static str {
        match self {
            Delivery::Local => "hours-state-local",
            Delivery::Waiting { .. } => "hours-state-waiting",
            Delivery::Sent { .. } => "hours-state-sent",
            Delivery::Accepted { .. } => "hours-state-accepted",
            Delivery::Conflict { .. } => "hours-state-conflict",
            Delivery::Rejected { .. } => "hours-state-rejected",
        }
    }

    /// The state's wire name (`waiting`), for CSV, tests and `data-state`.
    pub fn name(&self) -> &'static str {
        match self {
            Delivery::Local => "local",
            Delivery::Waiting { .. } => "waiting",
            Delivery::Sent { .. } => "sent",
            Delivery::Accepted { .. } => "accepted",
            Delivery::Conflict { .. } => "conflict",
            Delivery::Rejected { .. } => "rejected",
        }
    }

    /// How far along the entry is, for choosing between two copies of the
    /// same entry (a backup and the device): a copy the inbox has seen wins.
    pub fn progress(&self) -> u8 {
        match self {
            Delivery::Local | Delivery::Waiting { .. } => 0,
            Delivery::Conflict { .. } | Delivery::Rejected { .. } => 1,
            Delivery::Sent { .. } => 2,
            Delivery::Accepted { .. } => 3,
        }
    }
}

/// An entry with its delivery state: what the device stores per entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// The entry itself.
    pub entry: Entry,
    /// Where it is on its way.
    pub delivery: Delivery,
}

/// The volunteer's link to one organisation's hours inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    /// The organisation's feed id.
    pub organisation_id: String,
    /// Its name, as the inbox gave it when joining.
    pub organisation_name: String,
    /// The inbox's base URL, from the feed.
    pub endpoint: String,
    /// The join code from the coordinator, sent as a bearer token.
    pub token: String,
    /// When the volunteer joined, RFC 3339.
    pub joined: String,
    /// Set when the inbox refused the token (revoked): sending stops until
    /// the volunteer enters a new code.
    #[serde(default)]
    pub refused: bool,
    /// The inbox asked the app (429 or 503 with `Retry-After`) to send
    /// nothing before this time, ms since the epoch; even a forced run
    /// (the button, coming online) respects it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_until_ms: Option<i64>,
}

impl Membership {
    /// Whether the inbox asked to be left alone at `now_ms`.
    pub fn waiting_at(&self, now_ms: i64) -> Option<i64> {
        self.wait_until_ms.filter(|until| *until > now_ms)
    }
}

/// What the inbox says about an entry it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Remote {
    /// Received, not yet looked at by the coordinator.
    Received,
    /// Accepted by the coordinator.
    Accepted,
    /// Rejected by the coordinator, with the reason.
    Rejected(String),
}

/// How one attempt to send an entry ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A 2xx answer: the inbox has this exact entry.
    Stored(Remote),
    /// 409: the inbox has different content under this id.
    Conflict(Box<Entry>),
    /// The inbox refuses the entry itself (400, 413, 415, 422); sending it
    /// again unchanged cannot help.
    Refused(String),
    /// 401: the join code is unknown or revoked.
    Unauthorized,
    /// 429 or 503 with a time to wait: the inbox asks the app to come back
    /// no sooner than `retry_after_ms` from now.
    Busy {
        /// The inbox's words, for the entry's last error.
        message: String,
        /// How long the inbox asked the app to wait.
        retry_after_ms: i64,
    },
    /// No answer, a dropped connection, 5xx or 429: try again later.
    Failed(String),
}

/// The JSON body of the inbox's answers that the app reads.
#[derive(Debug, Deserialize)]
struct Answer {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    theirs: Option<Box<Entry>>,
    #[serde(default)]
    retry_after: Option<f64>,
}

/// How long a `Retry-After` header asks to wait, in milliseconds: its
/// delay-seconds form, capped at [`MAX_RETRY_MS`]. The HTTP-date form is
/// not read (a phone's clock may be wrong); the backoff applies instead.
pub fn retry_after_ms(header: Option<&str>) -> Option<i64> {
    let seconds: u32 = header?.trim().parse().ok()?;
    Some((i64::from(seconds) * 1000).min(MAX_RETRY_MS))
}

/// Reads an inbox status word and reason (from an answer or `v1/status`).
pub fn remote_status(status: Option<&str>, reason: Option<String>) -> Remote {
    match status {
        Some("accepted") => Remote::Accepted,
        Some("rejected") => Remote::Rejected(reason.unwrap_or_default()),
        _ => Remote::Received,
    }
}

/// Classifies the inbox's answer to `POST v1/entries`. `retry_after` is the
/// answer's `Retry-After` header; the body's `retry_after` field (seconds)
/// stands in when a browser hides the header.
pub fn outcome_of(http_status: u16, body: &str, retry_after: Option<&str>) -> Outcome {
    let answer: Option<Answer> = serde_json::from_str(body).ok();
    let message = || {
        answer
            .as_ref()
            .and_then(|a| a.message.clone())
            .unwrap_or_else(|| format!("HTTP {http_status}"))
    };
    match http_status {
        200..=299 => {
            let (status, reason) = answer
                .as_ref()
                .map(|a| (a.status.as_deref(), a.reason.clone()))
                .unwrap_or((None, None));
            Outcome::Stored(remote_status(status, reason))
        }
        401 | 403 => Outcome::Unauthorized,
        409 => match answer.as_ref().and_then(|a| a.theirs.clone()) {
            Some(theirs) => Outcome::Conflict(theirs),
            // A 409 without the stored entry cannot be resolved by the
            // volunteer; keep trying, the inbox may recover.
            None => Outcome::Failed(message()),
        },
        400 | 413 | 415 | 422 => Outcome::Refused(message()),
        429 | 503 => {
            let from_body = answer
                .as_ref()
                .and_then(|a| a.retry_after)
                .filter(|s| s.is_finite() && *s >= 0.0)
                .map(|s| ((s * 1000.0) as i64).min(MAX_RETRY_MS));
            match retry_after_ms(retry_after).or(from_body) {
                Some(retry_after_ms) => Outcome::Busy {
                    message: message(),
                    retry_after_ms,
                },
                None => Outcome::Failed(message()),
            }
        }
        _ => Outcome::Failed(message()),
    }
}

/// How long to wait before retry number `attempts` (1 = the first retry):
/// doubling from [`FIRST_RETRY_MS`] up to [`MAX_RETRY_MS`], with half of it
/// randomised by `jitter` in `0.0..1.0` so that phones coming back online
/// together do not all knock at once.
pub fn retry_delay_ms(attempts: u32, jitter: f64) -> i64 {
    let doublings = attempts.saturating_sub(1).min(20);
    let full = FIRST_RETRY_MS
        .saturating_mul(1 << doublings)
        .min(MAX_RETRY_MS);
    let jitter = jitter.clamp(0.0, 1.0);
    full / 2 + (full as f64 / 2.0 * jitter) as i64
}

/// Whether an entry should be sent now. `forced` is for the moments when a
/// send is likely to work (start, `online`, page visible, the button): they
/// do not wait for the backoff.
pub fn is_due(delivery: &Delivery, now_ms: i64, forced: bool) -> bool {
    match delivery {
        Delivery::Waiting {
            next_attempt_ms, ..
        } => forced || *next_attempt_ms <= now_ms,
        _ => false,
    }
}

/// The state after one attempt to send a waiting entry.
pub fn after_attempt(delivery: &Delivery, outcome: Outcome, now_ms: i64, jitter: f64) -> Delivery {
    let attempts = match delivery {
        Delivery::Waiting { attempts, .. } => *attempts,
        other => return other.clone(),
    };
    match outcome {
        Outcome::Stored(Remote::Received) => Delivery::Sent { at_ms: now_ms },
        Outcome::Stored(Remote::Accepted) => Delivery::Accepted { at_ms: now_ms },
        Outcome::Stored(Remote::Rejected(reason)) | Outcome::Refused(reason) => {
            Delivery::Rejected { reason }
        }
        Outcome::Conflict(theirs) => Delivery::Conflict { theirs },
        Outcome::Unauthorized => Delivery::Waiting {
            attempts: attempts + 1,
            next_attempt_ms: now_ms + retry_delay_ms(attempts + 1, jitter),
            last_error: Some("unauthorized".to_owned()),
        },
        Outcome::Busy {
            message,
            retry_after_ms,
        } => Delivery::Waiting {
            attempts: attempts + 1,
            next_attempt_ms: now_ms + retry_delay_ms(attempts + 1, jitter).max(retry_after_ms),
            last_error: Some(message),
        },
        Outcome::Failed(error) => Delivery::Waiting {
            attempts: attempts + 1,
            next_attempt_ms: now_ms + retry_delay_ms(attempts + 1, jitter),
            last_error: Some(error),
        },
    }
}

/// The state after polling `v1/status`: only a sent entry learns that it
/// was accepted or rejected; `None` when nothing changes.
pub fn after_status(delivery: &Delivery, remote: Remote, now_ms: i64) -> Option<Delivery> {
    match (delivery, remote) {
        (Delivery::Sent { .. }, Remote::Accepted) => Some(Delivery::Accepted { at_ms: now_ms }),
        (Delivery::Sent { .. }, Remote::Rejected(reason)) => Some(Delivery::Rejected { reason }),
        _ => None,
    }
}

/// The state after the volunteer edits an entry: an edit is a new claim to
/// send (if the organisation takes hours online), with a fresh backoff.
pub fn after_edit(delivery: &Delivery, joined: bool, now_ms: i64) -> Delivery {
    match delivery {
        Delivery::Sent { .. } | Delivery::Accepted { .. } => delivery.clone(),
        _ => Delivery::new(joined, now_ms),
    }
}

/// The entries to queue when the volunteer joins an organisation's inbox:
/// those kept on the device for it until now.
pub fn on_join(record: &Record, organisation_id: &str, now_ms: i64) -> Option<Delivery> {
    let for_it = record.entry.organisation.id.as_deref() == Some(organisation_id);
    (for_it && record.delivery == Delivery::Local).then(|| Delivery::new(true, now_ms))
}

/// Resolves a conflict by taking the inbox's version: the device now holds
/// what the inbox holds, which counts as sent.
pub fn keep_theirs(record: &Record, now_ms: i64) -> Option<Record> {
    match &record.delivery {
        Delivery::Conflict { theirs } => Some(Record {
            entry: Entry {
                id: record.entry.id.clone(),
                ..(**theirs).clone()
            },
            delivery: Delivery::Sent { at_ms: now_ms },
        }),
        _ => None,
    }
}

/// Resolves a conflict by keeping both: the inbox's version stays under the
/// old id (sent), and the volunteer's version is sent again under `new_id`.
pub fn keep_both(record: &Record, new_id: String, now_ms: i64) -> Option<(Record, Record)> {
    let theirs = keep_theirs(record, now_ms)?;
    let mine = Record {
        entry: Entry {
            id: new_id,
            ..record.entry.clone()
        },
        delivery: Delivery::new(true, now_ms),
    };
    Some((theirs, mine))
}

/// Where an entry's hours go, told on the form as the volunteer picks the
/// association and on every entry in the list (issue 10: the page promised
/// that hours reach the association when nothing was sent before joining).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Destination {
    /// The volunteer joined the organisation's inbox: sent when online.
    Inbox,
    /// The volunteer joined, but the inbox no longer accepts the code:
    /// nothing is sent until they join again with a new one.
    CodeRefused,
    /// The organisation takes hours through Talkoo, but the volunteer has
    /// not joined it: kept on the device until they do.
    Joinable,
    /// The organisation takes no hours through Talkoo, or the name was
    /// typed and is not in the catalogue: kept on the device only.
    DeviceOnly,
}

impl Destination {
    /// The i18n key of the line that says where the hours go (with the
    /// organisation's name as `$name`).
    pub fn key(self) -> &'static str {
        match self {
            Destination::Inbox => "hours-dest-inbox",
            Destination::CodeRefused => "hours-dest-code-refused",
            Destination::Joinable => "hours-dest-joinable",
            Destination::DeviceOnly => "hours-dest-device-only",
        }
    }

    /// The destination's wire name (`device-only`), for `data-destination`.
    pub fn name(self) -> &'static str {
        match self {
            Destination::Inbox => "inbox",
            Destination::CodeRefused => "code-refused",
            Destination::Joinable => "joinable",
            Destination::DeviceOnly => "device-only",
        }
    }

    /// Whether joining (with a code) would change where the hours go, so
    /// the line offers it.
    pub fn offers_join(self) -> bool {
        matches!(self, Destination::CodeRefused | Destination::Joinable)
    }
}

/// Where hours for the organisation `organisation_id` go: to its inbox if
/// the volunteer joined it (whether or not the catalogue still lists the
/// inbox, since the membership keeps the address), otherwise nowhere, with
/// joining offered when the catalogue says it has an inbox (`has_inbox`).
/// A typed name without an id is never sent.
pub fn destination(
    organisation_id: Option<&str>,
    memberships: &[Membership],
    has_inbox: bool,
) -> Destination {
    let Some(id) = organisation_id.filter(|id| !id.is_empty()) else {
        return Destination::DeviceOnly;
    };
    match memberships.iter().find(|m| m.organisation_id == id) {
        Some(m) if m.refused => Destination::CodeRefused,
        Some(_) => Destination::Inbox,
        None if has_inbox => Destination::Joinable,
        None => Destination::DeviceOnly,
    }
}

/// What the entry list says about one entry: the i18n key of its line and
/// whether the line offers joining.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StateLine {
    /// The message key; a destination's key takes the organisation's name.
    pub key: &'static str,
    /// Whether a link to join the organisation's inbox follows.
    pub offers_join: bool,
}

/// The line for an entry in the list. An entry that has not reached an
/// inbox says where it is going, since "waiting" would promise a sending
/// that will not happen without a membership; one that has reached an
/// inbox says how far it got.
pub fn state_line(delivery: &Delivery, destination: Destination) -> StateLine {
    let key = match (delivery, destination) {
        // Joining queues the entries kept on the device, so this pair only
        // lasts a moment; it is still true that the entry is on the device.
        (Delivery::Local, Destination::Inbox) => delivery.key(),
        (Delivery::Local | Delivery::Waiting { .. }, _) => destination.key(),
        _ => delivery.key(),
    };
    StateLine {
        key,
        offers_join: key == destination.key() && destination.offers_join(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hours::{uuid_v4, Category, OrgRef};

    fn entry(minutes: u32) -> Entry {
        Entry {
            id: uuid_v4([3; 16]),
            date: "2026-11-19".to_owned(),
            start: None,
            end: None,
            minutes,
            organisation: OrgRef {
                id: Some("kainuu-org-1".to_owned()),
                name: "Kajaanin Setlementti".to_owned(),
            },
            service: None,
            category: Category::Transport,
            note: String::new(),
            created: "2026-11-19T10:00:00Z".to_owned(),
            modified: "2026-11-19T10:00:00Z".to_owned(),
        }
    }

    fn waiting(attempts: u32) -> Delivery {
        Delivery::Waiting {
            attempts,
            next_attempt_ms: 0,
            last_error: None,
        }
    }

    fn member(id: &str, refused: bool) -> Membership {
        Membership {
            organisation_id: id.to_owned(),
            organisation_name: id.to_owned(),
            endpoint: "https://inbox.test/".to_owned(),
            token: "T".to_owned(),
            joined: "2026-11-19T10:00:00Z".to_owned(),
            refused,
            wait_until_ms: None,
        }
    }

    #[test]
    fn the_destination_depends_on_joining_and_the_organisations_inbox() {
        use Destination::*;
        let memberships = [member("joined", false), member("revoked", true)];
        let check = |id: Option<&str>, has_inbox: bool, expected: Destination| {
            assert_eq!(
                destination(id, &memberships, has_inbox),
                expected,
                "{id:?} {has_inbox}"
            );
        };
        check(Some("joined"), true, Inbox);
        // The membership keeps the inbox's address even if the catalogue
        // no longer lists it.
        check(Some("joined"), false, Inbox);
        check(Some("revoked"), true, CodeRefused);
        check(Some("other"), true, Joinable);
        check(Some("other"), false, DeviceOnly);
        check(None, true, DeviceOnly);
        check(Some(""), true, DeviceOnly);
    }

    #[test]
    fn the_list_says_where_unsent_entries_go_and_how_far_sent_ones_got() {
        use Destination::*;
        let check = |delivery: Delivery, dest: Destination, key: &str, offers_join: bool| {
            let line = state_line(&delivery, dest);
            assert_eq!(
                (line.key, line.offers_join),
                (key, offers_join),
                "{delivery:?} {dest:?}"
            );
        };
        check(Delivery::Local, DeviceOnly, "hours-dest-device-only", false);
        check(Delivery::Local, Joinable, "hours-dest-joinable", true);
        check(
            Delivery::Local,
            CodeRefused,
            "hours-dest-code-refused",
            true,
        );
        check(Delivery::Local, Inbox, "hours-state-local", false);
        check(waiting(2), Inbox, "hours-dest-inbox", false);
        check(waiting(0), CodeRefused, "hours-dest-code-refused", true);
        check(waiting(0), DeviceOnly, "hours-dest-device-only", false);
        check(
            Delivery::Sent { at_ms: 1 },
            Inbox,
            "hours-state-sent",
            false,
        );
        check(
            Delivery::Sent { at_ms: 1 },
            DeviceOnly,
            "hours-state-sent",
            false,
        );
        check(
            Delivery::Accepted { at_ms: 1 },
            Joinable,
            "hours-state-accepted",
            false,
        );
        check(
            Delivery::Rejected {
                reason: String::new(),
            },
            CodeRefused,
            "hours-state-rejected",
            false,
        );
    }

    #[test]
    fn answers_are_classified() {
        let theirs = serde_json::to_string(&entry(60)).expect("json");
        let cases = [
            (
                201,
                r#"{"id":"x","status":"received"}"#.to_owned(),
                Outcome::Stored(Remote::Received),
            ),
            (
                200,
                r#"{"status":"accepted"}"#.to_owned(),
                Outcome::Stored(Remote::Accepted),
            ),
            (
                200,
                r#"{"status":"rejected","reason":"Väärä päivä"}"#.to_owned(),
                Outcome::Stored(Remote::Rejected("Väärä päivä".to_owned())),
            ),
            (204, String::new(), Outcome::Stored(Remote::Received)),
            (
                409,
                format!(r#"{{"error":"conflict","theirs":{theirs}}}"#),
                Outcome::Conflict(Box::new(entry(60))),
            ),
            (409, "{}".to_owned(), Outcome::Failed("HTTP 409".to_owned())),
            (401, String::new(), Outcome::Unauthorized),
            (
                422,
                r#"{"error":"invalid","message":"the date is not a real date"}"#.to_owned(),
                Outcome::Refused("the date is not a real date".to_owned()),
            ),
            (413, String::new(), Outcome::Refused("HTTP 413".to_owned())),
            (
                500,
                "<html>".to_owned(),
                Outcome::Failed("HTTP 500".to_owned()),
            ),
            (429, String::new(), Outcome::Failed("HTTP 429".to_owned())),
            (
                429,
                r#"{"error":"rate-limited","message":"slow down","retry_after":90}"#.to_owned(),
                Outcome::Busy {
                    message: "slow down".to_owned(),
                    retry_after_ms: 90_000,
                },
            ),
        ];
        for (status, body, expected) in cases {
            assert_eq!(outcome_of(status, &body, None), expected, "{status} {body}");
        }
    }

    /// Issue 9: a 429's Retry-After is honoured; the header wins over the
    /// body, and a date or nonsense falls back to the plain backoff.
    #[test]
    fn retry_after_is_honoured() {
        let check = |status: u16, header: Option<&str>, body: &str, expected: Outcome| {
            assert_eq!(
                outcome_of(status, body, header),
                expected,
                "{header:?} {body}"
            );
        };
        let busy = |ms| Outcome::Busy {
            message: "HTTP 429".to_owned(),
            retry_after_ms: ms,
        };
        check(429, Some("120"), "", busy(120_000));
        check(429, Some(" 7 "), r#"{"retry_after":90}"#, busy(7_000));
        check(
            429,
            Some("Wed, 21 Oct 2026 07:28:00 GMT"),
            "",
            Outcome::Failed("HTTP 429".to_owned()),
        );
        check(429, Some("-5"), "", Outcome::Failed("HTTP 429".to_owned()));
        check(429, Some("999999"), "", busy(MAX_RETRY_MS));
        check(
            503,
            Some("30"),
            "",
            Outcome::Busy {
                message: "HTTP 503".to_owned(),
                retry_after_ms: 30_000,
            },
        );
        let waited = after_attempt(&waiting(0), busy(600_000), 1_000, 0.0);
        assert_eq!(
            waited,
            Delivery::Waiting {
                attempts: 1,
                next_attempt_ms: 601_000,
                last_error: Some("HTTP 429".to_owned())
            }
        );
        assert!(!is_due(&waited, 600_999, false));
        // A short Retry-After never makes the retry sooner than the backoff.
        let short = after_attempt(&waiting(3), busy(1_000), 0, 0.0);
        assert!(
            matches!(short, Delivery::Waiting { next_attempt_ms, .. } if next_attempt_ms == retry_delay_ms(4, 0.0))
        );
    }

    #[test]
    fn retries_back_off_exponentially_with_jitter() {
        let check = |attempts, jitter, expected| {
            assert_eq!(
                retry_delay_ms(attempts, jitter),
                expected,
                "{attempts} {jitter}"
            );
        };
        check(1, 0.0, 15_000);
        check(1, 1.0, 30_000);
        check(2, 0.0, 30_000);
        check(3, 0.5, 90_000);
        check(8, 0.0, MAX_RETRY_MS / 2);
        check(100, 1.0, MAX_RETRY_MS);
    }

    #[test]
    fn an_entry_is_sent_only_after_a_2xx_answer() {
        let failed = after_attempt(
            &waiting(0),
            Outcome::Failed("offline".to_owned()),
            1_000,
            0.0,
        );
        assert_eq!(
            failed,
            Delivery::Waiting {
                attempts: 1,
                next_attempt_ms: 16_000,
                last_error: Some("offline".to_owned())
            }
        );
        assert!(!is_due(&failed, 15_999, false));
        assert!(is_due(&failed, 16_000, false));
        assert!(is_due(&failed, 0, true));
        let sent = after_attempt(&failed, Outcome::Stored(Remote::Received), 20_000, 0.0);
        assert_eq!(sent, Delivery::Sent { at_ms: 20_000 });
        assert!(!is_due(&sent, i64::MAX, true));
        assert!(!sent.editable());
        // A late answer for an entry that is no longer waiting changes nothing.
        assert_eq!(after_attempt(&sent, Outcome::Unauthorized, 1, 0.0), sent);
    }

    #[test]
    fn refusals_and_conflicts_stop_the_retries() {
        let rejected = after_attempt(
            &waiting(2),
            Outcome::Refused("too large".to_owned()),
            0,
            0.0,
        );
        assert_eq!(
            rejected,
            Delivery::Rejected {
                reason: "too large".to_owned()
            }
        );
        assert!(rejected.editable());
        let conflict = after_attempt(&waiting(0), Outcome::Conflict(Box::new(entry(90))), 0, 0.0);
        assert!(matches!(conflict, Delivery::Conflict { .. }));
        assert!(!is_due(&conflict, i64::MAX, true));
        let unauthorized = after_attempt(&waiting(0), Outcome::Unauthorized, 0, 0.0);
        assert!(is_due(&unauthorized, 0, true));
    }

    #[test]
    fn status_polls_move_only_sent_entries() {
        let sent = Delivery::Sent { at_ms: 1 };
        assert_eq!(
            after_status(&sent, Remote::Accepted, 5),
            Some(Delivery::Accepted { at_ms: 5 })
        );
        assert_eq!(after_status(&sent, Remote::Received, 5), None);
        assert_eq!(after_status(&waiting(0), Remote::Accepted, 5), None);
        assert_eq!(
            remote_status(Some("rejected"), None),
            Remote::Rejected(String::new())
        );
    }

    #[test]
    fn edits_and_joins_queue_entries() {
        assert_eq!(
            after_edit(&Delivery::Local, true, 9),
            Delivery::new(true, 9)
        );
        assert_eq!(after_edit(&waiting(4), false, 9), Delivery::Local);
        let sent = Delivery::Sent { at_ms: 1 };
        assert_eq!(after_edit(&sent, true, 9), sent);
        let record = Record {
            entry: entry(60),
            delivery: Delivery::Local,
        };
        assert_eq!(
            on_join(&record, "kainuu-org-1", 7),
            Some(Delivery::new(true, 7))
        );
        assert_eq!(on_join(&record, "kainuu-org-2", 7), None);
    }

    #[test]
    fn conflicts_resolve_to_theirs_or_both() {
        let mine = Record {
            entry: entry(60),
            delivery: Delivery::Conflict {
                theirs: Box::new(entry(90)),
            },
        };
        let kept = keep_theirs(&mine, 3).expect("conflict");
        assert_eq!(kept.entry.minutes, 90);
        assert_eq!(kept.entry.id, mine.entry.id);
        assert_eq!(kept.delivery, Delivery::Sent { at_ms: 3 });
        let (theirs, again) = keep_both(&mine, uuid_v4([4; 16]), 3).expect("conflict");
        assert_eq!(theirs, kept);
        assert_eq!(again.entry.minutes, 60);
        assert_ne!(again.entry.id, mine.entry.id);
        assert!(is_due(&again.delivery, 3, false));
        assert_eq!(
            keep_theirs(
                &Record {
                    delivery: Delivery::Local,
                    ..mine
                },
                3
            ),
            None
        );
    }

    /// Reads `json` as a stored delivery: the state it gives, or the
    /// error's start.
    fn check_stored(json: &str, expected: Result<Delivery, &str>) {
        let got = serde_json::from_str::<Delivery>(json).map_err(|e| e.to_string());
        match (&got, &expected) {
            (Ok(got), Ok(expected)) => assert_eq!(got, expected, "{json}"),
            (Err(got), Err(expected)) => assert!(got.starts_with(expected), "{json}: {got}"),
            _ => panic!("{json}: got {got:?}, expected {expected:?}"),
        }
    }

    #[test]
    fn stored_deliveries_read_as_before_and_every_state_round_trips() {
        let conflict = format!(
            r#"{{"state":"conflict","theirs":{}}}"#,
            serde_json::to_string(&entry(90)).expect("json")
        );
        let cases: Vec<(&str, Result<Delivery, &str>)> = vec![
            (r#"{"state":"local"}"#, Ok(Delivery::Local)),
            (
                r#"{"state":"waiting","attempts":2,"next_attempt_ms":5,"last_error":"down"}"#,
                Ok(Delivery::Waiting {
                    attempts: 2,
                    next_attempt_ms: 5,
                    last_error: Some("down".into()),
                }),
            ),
            (
                r#"{"state":"waiting","attempts":0,"next_attempt_ms":7}"#,
                Ok(Delivery::Waiting {
                    attempts: 0,
                    next_attempt_ms: 7,
                    last_error: None,
                }),
            ),
            (
                r#"{"state":"sent","at_ms":9}"#,
                Ok(Delivery::Sent { at_ms: 9 }),
            ),
            (
                r#"{"at_ms":10,"state":"accepted","later":true}"#,
                Ok(Delivery::Accepted { at_ms: 10 }),
            ),
            (
                &conflict,
                Ok(Delivery::Conflict {
                    theirs: Box::new(entry(90)),
                }),
            ),
            (
                r#"{"state":"rejected","reason":"no"}"#,
                Ok(Delivery::Rejected {
                    reason: "no".into(),
                }),
            ),
            (
                r#"{"state":"sent"}"#,
                Err("missing field `at_ms` of state `sent`"),
            ),
            (
                r#"{"state":"waiting","attempts":1}"#,
                Err("missing field `next_attempt_ms`"),
            ),
            (r#"{"state":"lost"}"#, Err("unknown delivery state `lost`")),
            (r#"{"at_ms":1}"#, Err("missing field `state`")),
        ];
        for (json, expected) in cases {
            if let Ok(delivery) = &expected {
                let again = serde_json::to_string(delivery).expect("json");
                check_stored(&again, Ok(delivery.clone()));
            }
            check_stored(json, expected);
        }
    }

    #[test]
    fn records_round_trip_through_json() {
        let record = Record {
            entry: entry(60),
            delivery: Delivery::Conflict {
                theirs: Box::new(entry(90)),
            },
        };
        let json = serde_json::to_string(&record).expect("json");
        assert!(json.contains(r#""state":"conflict""#));
        assert_eq!(
            serde_json::from_str::<Record>(&json).expect("parse"),
            record
        );
    }
}
