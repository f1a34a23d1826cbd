//! The outbox run: sends every due entry to its organisation's inbox and asks each inbox what became of the sent ones, each inbox on its own.
//!
//! An entry changes state only inside one store transaction that checks it
//! still holds what was sent. One inbox that is down, slow, refuses the
//! code, asks the app to wait, or has an address that is not secure is
//! reported on its own line and never stops the others.
//!
//! The status answer also carries the badges a coordinator awarded to the
//! volunteer (`awards`, docs/hours-protocol.md). The run only reads them
//! into its report, each checked for shape; storing them in the wallet is
//! the caller's, and an award that cannot be read is reported beside the
//! others without touching the hours.

use talkoo_core::endpoint::check_endpoint;
use talkoo_core::hours::outbox::{
    after_attempt, after_status, is_due, outcome_of, remote_status, retry_after_ms, Delivery,
    Membership, Outcome, Record,
};
use talkoo_store::{Change, Store, StoreError};

use crate::hours::{bearer, membership_for, REQUEST_DEADLINE_MS};
use crate::platform::{self, Body, Clock, Fetch, FetchError, Request};

/// `v1/status` takes at most this many ids at once.
pub const STATUS_BATCH: usize = 500;

/// What kept one inbox from being reached in a run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InboxProblem {
    /// No answer: offline, refused, dropped, or past the deadline.
    #[error("the inbox could not be reached ({0})")]
    Unreachable(FetchError),
    /// The inbox answered with an error status.
    #[error("the inbox answered HTTP {0}")]
    Http(u16),
    /// The inbox no longer knows the join code (revoked).
    #[error("the inbox no longer accepts the join code")]
    Unauthorized,
    /// The inbox asked the app to wait (429 or 503 with `Retry-After`).
    #[error("the inbox asked to wait until {until_ms}")]
    Busy {
        /// When the app may try again, ms since the epoch.
        until_ms: i64,
    },
    /// The address would send the code unencrypted; nothing is sent there.
    #[error("the inbox's address is not secure ({0})")]
    Insecure(String),
    /// The inbox answered something the app cannot read.
    #[error("the inbox's answer could not be read")]
    BadAnswer,
}

impl InboxProblem {
    /// The i18n key of the plain-words explanation.
    pub fn message_key(&self) -> &'static str {
        match self {
            InboxProblem::Unreachable(FetchError::TimedOut(_)) => "inbox-problem-timeout",
            InboxProblem::Unreachable(_) => "inbox-problem-unreachable",
            InboxProblem::Http(_) => "inbox-problem-http",
            InboxProblem::Unauthorized => "inbox-problem-unauthorized",
            InboxProblem::Busy { .. } => "inbox-problem-busy",
            InboxProblem::Insecure(_) => "inbox-problem-insecure",
            InboxProblem::BadAnswer => "inbox-problem-bad-answer",
        }
    }
}

/// How one inbox fared in a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxReport {
    /// The organisation's feed id.
    pub organisation_id: String,
    /// Its name, as the inbox gave it.
    pub organisation_name: String,
    /// Entries the inbox took (2xx) in this run.
    pub sent: usize,
    /// What went wrong, if anything.
    pub problem: Option<InboxProblem>,
}

/// A badge an inbox delivered with its status answer. The inbox sends
/// every award of the code at every poll, so the same award arrives again
/// and again: the caller keeps it once, by `organisation_id` and `id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwardDelivery {
    /// The organisation of the inbox that delivered it.
    pub organisation_id: String,
    /// The award's id at that inbox.
    pub id: String,
    /// The Open Badges id of the achievement, as the inbox names it.
    pub achievement: Option<String>,
    /// The credential as a VC-JWT (not verified here: the wallet does).
    pub jwt: String,
    /// The credential with an embedded Data Integrity proof, when the
    /// inbox made one.
    pub credential: Option<serde_json::Value>,
}

/// Why an award in a status answer could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AwardFault {
    /// `awards` is there but is not a list.
    #[error("the awards are not a list")]
    NotAList,
    /// An item of the list is not an object.
    #[error("an award is not an object")]
    NotAnObject,
    /// An award has no `id` text.
    #[error("an award has no id")]
    NoId,
    /// An award's `jwt` is missing or is not a compact JWS.
    #[error("an award has no VC-JWT")]
    NoJwt,
    /// An award's `credential` is there but is not an object.
    #[error("an award's credential is not an object")]
    BadCredential,
}

/// An award an inbox sent that could not be read; the rest of the answer
/// was used as usual.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwardProblem {
    /// The organisation of the inbox that sent it.
    pub organisation_id: String,
    /// The award's id, when it had one.
    pub id: Option<String>,
    /// What was wrong.
    pub fault: AwardFault,
}

/// What one run did, inbox by inbox.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RunReport {
    /// The device was offline: nothing was tried.
    pub offline: bool,
    /// One line per joined inbox that is not refused, in organisation order.
    pub inboxes: Vec<InboxReport>,
    /// The awards the inboxes delivered in this run, each once, by inbox
    /// and then in the inbox's order.
    pub awards: Vec<AwardDelivery>,
    /// The awards that could not be read.
    pub award_problems: Vec<AwardProblem>,
}

impl RunReport {
    /// The line of an inbox that may still be asked in this run: one that
    /// failed once is left alone until the next run, since its other
    /// requests would only fail the same way.
    fn open_line(&mut self, organisation_id: &str) -> Option<&mut InboxReport> {
        self.inboxes
            .iter_mut()
            .find(|l| l.organisation_id == organisation_id && l.problem.is_none())
    }
}

/// Posts one entry; returns how it ended and, when the inbox should not be
/// tried again in this run, why.
async fn post_entry<N: Fetch, C: Clock>(
    net: &N,
    clock: &C,
    membership: &Membership,
    record: &Record,
) -> (Outcome, Option<InboxProblem>) {
    let body = serde_json::to_string(&record.entry).unwrap_or_default();
    let request = Request::post_json(format!("{}v1/entries", membership.endpoint), body)
        .header("Authorization", bearer(&membership.token))
        .header("Idempotency-Key", record.entry.id.clone());
    let response = match platform::send(net, clock, request, REQUEST_DEADLINE_MS).await {
        Ok(response) => response,
        Err(e) => {
            let outcome = Outcome::Failed(e.to_string());
            return (outcome, Some(InboxProblem::Unreachable(e)));
        }
    };
    let status = response.status;
    let retry_after = response.header("Retry-After").map(str::to_owned);
    let text = String::from_utf8_lossy(&response.body.into_bytes()).into_owned();
    let outcome = outcome_of(status, &text, retry_after.as_deref());
    let problem = match &outcome {
        Outcome::Stored(_) | Outcome::Conflict(_) | Outcome::Refused(_) => None,
        Outcome::Unauthorized => Some(InboxProblem::Unauthorized),
        Outcome::Busy { retry_after_ms, .. } => Some(InboxProblem::Busy {
            until_ms: clock.now_ms() + retry_after_ms,
        }),
        Outcome::Failed(_) => Some(InboxProblem::Http(status)),
    };
    (outcome, problem)
}

/// Runs the outbox once: sends every due entry (`forced` ignores the
/// backoff, for moments when sending is likely to work) and, when forced,
/// asks each inbox about the sent ones. `on_change` sees every entry whose
/// state changed, as it is stored. A store that cannot be read is an
/// error, not an empty run.
pub async fn run<S: Store, N: Fetch, C: Clock>(
    store: &S,
    net: &N,
    clock: &C,
    forced: bool,
    on_change: &mut dyn FnMut(&Record),
) -> Result<RunReport, StoreError> {
    if !net.online() {
        return Ok(RunReport {
            offline: true,
            ..RunReport::default()
        });
    }
    let records = store.hour_records().await?;
    let mut memberships = store.memberships().await?;
    memberships.retain(|m| !m.refused);
    let mut report = RunReport {
        offline: false,
        inboxes: memberships
            .iter()
            .map(|m| InboxReport {
                organisation_id: m.organisation_id.clone(),
                organisation_name: m.organisation_name.clone(),
                sent: 0,
                problem: match (check_endpoint(&m.endpoint), m.waiting_at(clock.now_ms())) {
                    (Err(e), _) => Some(InboxProblem::Insecure(e.to_string())),
                    (Ok(()), Some(until_ms)) => Some(InboxProblem::Busy { until_ms }),
                    (Ok(()), None) => None,
                },
            })
            .collect(),
        ..RunReport::default()
    };
    send_due(
        store,
        net,
        clock,
        forced,
        &records,
        &memberships,
        &mut report,
        on_change,
    )
    .await?;
    if forced {
        let records = store.hour_records().await?;
        poll_status(
            store,
            net,
            clock,
            &records,
            &memberships,
            &mut report,
            on_change,
        )
        .await?;
    }
    Ok(report)
}

#[allow(clippy::too_many_arguments)]
async fn send_due<S: Store, N: Fetch, C: Clock>(
    store: &S,
    net: &N,
    clock: &C,
    forced: bool,
    records: &[Record],
    memberships: &[Membership],
    report: &mut RunReport,
    on_change: &mut dyn FnMut(&Record),
) -> Result<(), StoreError> {
    let now = clock.now_ms();
    for record in records.iter().filter(|r| is_due(&r.delivery, now, forced)) {
        let Some(membership) = membership_for(memberships, &record.entry) else {
            continue;
        };
        let Some(line) = report.open_line(&membership.organisation_id) else {
            continue;
        };
        let (outcome, problem) = post_entry(net, clock, membership, record).await;
        if matches!(outcome, Outcome::Stored(_)) {
            line.sent += 1;
        }
        match problem {
            Some(InboxProblem::Unauthorized) => {
                let refused = Membership {
                    refused: true,
                    ..membership.clone()
                };
                store.put_membership(&refused).await?;
            }
            Some(InboxProblem::Busy { until_ms }) => hold(store, membership, until_ms).await?,
            _ => {}
        }
        line.problem = problem;
        let sent_key = record.entry.content_key();
        let jitter = clock.random_unit();
        let at = clock.now_ms();
        // Only the exact content that was sent may be marked as sent: an
        // edit made meanwhile stays waiting and is sent next (where the
        // inbox will call it a conflict).
        move_on(store, &record.entry.id, on_change, |current| {
            let sent = current.entry.content_key() == sent_key
                && matches!(current.delivery, Delivery::Waiting { .. });
            sent.then(|| after_attempt(&current.delivery, outcome, at, jitter))
        })
        .await?;
    }
    Ok(())
}

/// Moves entry `id` to the delivery state `next` decides on the stored
/// entry, in the transaction that read it, and reports the entry as stored
/// when it changed; a missing entry, or `None`, changes nothing.
async fn move_on<S: Store>(
    store: &S,
    id: &str,
    on_change: &mut dyn FnMut(&Record),
    next: impl FnOnce(&Record) -> Option<Delivery>,
) -> Result<(), StoreError> {
    let mut changed = false;
    let stored = store
        .update_hour_record(id, |current| {
            let Some(current) = current else {
                return Change::Keep;
            };
            match next(&current) {
                Some(delivery) => {
                    changed = true;
                    Change::Put(Box::new(Record {
                        delivery,
                        ..current
                    }))
                }
                None => Change::Keep,
            }
        })
        .await?;
    if let Some(record) = stored.filter(|_| changed) {
        on_change(&record);
    }
    Ok(())
}

/// Remembers that an inbox asked to be left alone until `until_ms`, so
/// that no run, however it was started, asks it sooner.
async fn hold<S: Store>(
    store: &S,
    membership: &Membership,
    until_ms: i64,
) -> Result<(), StoreError> {
    let waiting = Membership {
        wait_until_ms: Some(until_ms),
        ..membership.clone()
    };
    store.put_membership(&waiting).await
}

#[derive(serde::Deserialize)]
struct StatusAnswer {
    entries: Vec<StatusItem>,
    /// Read as any JSON so that awards the app cannot read are reported
    /// on their own and never make the hours' answer unreadable; an inbox
    /// from before awards leaves the field out.
    #[serde(default)]
    awards: serde_json::Value,
}

#[derive(serde::Deserialize)]
struct StatusItem {
    id: String,
    status: String,
    #[serde(default)]
    reason: Option<String>,
}

/// Whether `text` has the shape of a compact JWS: three base64url parts,
/// the first two not empty. Whether it is a valid credential is the
/// wallet's to check.
fn is_compact_jws(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() == 3
        && !parts[0].is_empty()
        && !parts[1].is_empty()
        && parts.iter().all(|p| {
            p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// One award of a status answer, or why it cannot be read.
fn read_award(
    organisation_id: &str,
    item: &serde_json::Value,
) -> Result<AwardDelivery, AwardProblem> {
    let problem = |id: Option<&str>, fault| AwardProblem {
        organisation_id: organisation_id.to_owned(),
        id: id.map(str::to_owned),
        fault,
    };
    let Some(award) = item.as_object() else {
        return Err(problem(None, AwardFault::NotAnObject));
    };
    let Some(id) = award
        .get("id")
        .and_then(serde_json::Value::as_str)
        .filter(|id| !id.trim().is_empty())
    else {
        return Err(problem(None, AwardFault::NoId));
    };
    let Some(jwt) = award
        .get("jwt")
        .and_then(serde_json::Value::as_str)
        .filter(|jwt| is_compact_jws(jwt))
    else {
        return Err(problem(Some(id), AwardFault::NoJwt));
    };
    let credential = match award.get("credential") {
        None | Some(serde_json::Value::Null) => None,
        Some(c) if c.is_object() => Some(c.clone()),
        Some(_) => return Err(problem(Some(id), AwardFault::BadCredential)),
    };
    Ok(AwardDelivery {
        organisation_id: organisation_id.to_owned(),
        id: id.to_owned(),
        achievement: award
            .get("achievement")
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned),
        jwt: jwt.to_owned(),
        credential,
    })
}

/// Adds the awards of one status answer to the report: each award once
/// (every batch of a poll carries them all), the unreadable ones as
/// problems.
fn take_awards(
    taken: &mut (Vec<AwardDelivery>, Vec<AwardProblem>),
    organisation_id: &str,
    awards: &serde_json::Value,
) {
    let (delivered, problems) = taken;
    let items = match awards {
        serde_json::Value::Null => return,
        serde_json::Value::Array(items) => items,
        _ => {
            let problem = AwardProblem {
                organisation_id: organisation_id.to_owned(),
                id: None,
                fault: AwardFault::NotAList,
            };
            if !problems.contains(&problem) {
                problems.push(problem);
            }
            return;
        }
    };
    for item in items {
        match read_award(organisation_id, item) {
            Ok(award) => {
                let known = delivered
                    .iter()
                    .any(|a| a.organisation_id == award.organisation_id && a.id == award.id);
                if !known {
                    delivered.push(award);
                }
            }
            Err(problem) => {
                if !problems.contains(&problem) {
                    problems.push(problem);
                }
            }
        }
    }
}

/// Asks each inbox that had no problem in this run what became of the
/// entries sent to it (accepted or rejected by the coordinator), and takes
/// the awards its answers carry. An inbox is asked once even with nothing
/// sent, since the answer is also how awards arrive.
async fn poll_status<S: Store, N: Fetch, C: Clock>(
    store: &S,
    net: &N,
    clock: &C,
    records: &[Record],
    memberships: &[Membership],
    report: &mut RunReport,
    on_change: &mut dyn FnMut(&Record),
) -> Result<(), StoreError> {
    // Gathered apart from the report, whose inbox line is borrowed while
    // an inbox is asked.
    let mut taken = (Vec::new(), Vec::new());
    for membership in memberships {
        let Some(line) = report.open_line(&membership.organisation_id) else {
            continue;
        };
        let sent: Vec<&str> = records
            .iter()
            .filter(|r| matches!(r.delivery, Delivery::Sent { .. }))
            .filter(|r| r.entry.organisation.id.as_deref() == Some(&membership.organisation_id))
            .map(|r| r.entry.id.as_str())
            .collect();
        let batches: Vec<&[&str]> = if sent.is_empty() {
            vec![&[]]
        } else {
            sent.chunks(STATUS_BATCH).collect()
        };
        for batch in batches {
            let body = serde_json::json!({ "ids": batch }).to_string();
            let request = Request::post_json(format!("{}v1/status", membership.endpoint), body)
                .header("Authorization", bearer(&membership.token));
            let answer = match platform::send(net, clock, request, REQUEST_DEADLINE_MS).await {
                Ok(response) if response.status == 200 => {
                    serde_json::from_slice::<StatusAnswer>(&response.body.into_bytes()).ok()
                }
                Ok(response) => {
                    let wait = retry_after_ms(response.header("Retry-After"))
                        .filter(|_| matches!(response.status, 429 | 503));
                    line.problem = Some(match (response.status, wait) {
                        (401 | 403, _) => InboxProblem::Unauthorized,
                        (_, Some(ms)) => {
                            let until_ms = clock.now_ms() + ms;
                            hold(store, membership, until_ms).await?;
                            InboxProblem::Busy { until_ms }
                        }
                        (status, None) => InboxProblem::Http(status),
                    });
                    break;
                }
                Err(e) => {
                    line.problem = Some(InboxProblem::Unreachable(e));
                    break;
                }
            };
            let Some(answer) = answer else {
                line.problem = Some(InboxProblem::BadAnswer);
                break;
            };
            take_awards(&mut taken, &membership.organisation_id, &answer.awards);
            for item in answer.entries {
                let remote = remote_status(Some(&item.status), item.reason);
                let at = clock.now_ms();
                move_on(store, &item.id, on_change, |current| {
                    after_status(&current.delivery, remote, at)
                })
                .await?;
            }
        }
    }
    (report.awards, report.award_problems) = taken;
    Ok(())
}
