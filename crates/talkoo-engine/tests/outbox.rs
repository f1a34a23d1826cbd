//! The outbox against the memory store and scripted inboxes: each inbox on its own, conflicts, repeats, Retry-After, stalls and insecure addresses (issue 9), and awarded badges delivered with the status poll (issue 11).
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::cell::RefCell;
use std::rc::Rc;

use pollster::block_on;
use serde_json::json;
use support::{entry, serve_inbox, store, FakeClock, Inbox, Net, Reply, NOW};
use talkoo_core::hours::outbox::{Delivery, Membership, Record};
use talkoo_core::hours::uuid_v4;
use talkoo_engine::hours::REQUEST_DEADLINE_MS;
use talkoo_engine::outbox::{self, AwardDelivery, AwardFault, InboxProblem, RunReport};
use talkoo_engine::{Clock, FetchError};
use talkoo_store::{Change, FaultyStore, MemoryStore, Store};

const A: &str = "https://a.test/";
const B: &str = "https://b.test/";

fn waiting(n: u8, org: &str) -> Record {
    Record {
        entry: entry(n, org, 60),
        delivery: Delivery::new(true, NOW),
    }
}

fn sent(n: u8, org: &str) -> Record {
    Record {
        entry: entry(n, org, 60),
        delivery: Delivery::Sent { at_ms: NOW },
    }
}

fn member(org: &str, endpoint: &str, token: &str) -> Membership {
    Membership {
        organisation_id: org.to_owned(),
        organisation_name: format!("Yhdistys {org}"),
        endpoint: endpoint.to_owned(),
        token: token.to_owned(),
        joined: "2026-12-01T09:00:00.000Z".to_owned(),
        refused: false,
        wait_until_ms: None,
    }
}

/// A store with `records` and `memberships`.
fn seeded(records: &[Record], memberships: &[Membership]) -> MemoryStore {
    let store = store();
    block_on(store.put_hour_records(records)).expect("records");
    for m in memberships {
        block_on(store.put_membership(m)).expect("membership");
    }
    store
}

fn run<S: Store>(store: &S, net: &Net, clock: &FakeClock, forced: bool) -> RunReport {
    block_on(outbox::run(store, net, clock, forced, &mut |_| {})).expect("run")
}

fn state<S: Store>(store: &S, n: u8) -> Delivery {
    block_on(store.hour_records())
        .expect("records")
        .into_iter()
        .find(|r| r.entry.id == uuid_v4([n; 16]))
        .expect("entry")
        .delivery
}

fn problem(report: &RunReport, org: &str) -> Option<InboxProblem> {
    report
        .inboxes
        .iter()
        .find(|l| l.organisation_id == org)
        .expect("a line per inbox")
        .problem
        .clone()
}

#[test]
fn a_refused_code_at_one_inbox_does_not_stop_another() {
    let store = seeded(
        &[waiting(1, "a"), waiting(2, "b"), waiting(3, "a")],
        &[member("a", A, "OLD-CODE"), member("b", B, "GOOD")],
    );
    let (net, clock) = (Net::new(), FakeClock::at(NOW));
    let a = Inbox::with_token("NEW-CODE");
    let b = Inbox::with_token("GOOD");
    serve_inbox(&net, A, &a);
    serve_inbox(&net, B, &b);
    let report = run(&store, &net, &clock, true);
    assert_eq!(problem(&report, "a"), Some(InboxProblem::Unauthorized));
    assert_eq!(problem(&report, "b"), None);
    assert!(matches!(state(&store, 2), Delivery::Sent { .. }));
    assert!(matches!(state(&store, 1), Delivery::Waiting { .. }));
    assert!(matches!(state(&store, 3), Delivery::Waiting { .. }));
    assert_eq!(
        net.count("a.test/v1/entries"),
        1,
        "a refused inbox is asked once per run"
    );
    let memberships = block_on(store.memberships()).expect("memberships");
    assert!(
        memberships
            .iter()
            .find(|m| m.organisation_id == "a")
            .expect("a")
            .refused
    );
    // Sending to a refused inbox stops until a new code is entered.
    net.clear_log();
    let report = run(&store, &net, &clock, true);
    assert_eq!(net.count("a.test"), 0);
    assert_eq!(report.inboxes.len(), 1, "only b is still joined");
}

/// Issue 9, bug 4: one inbox's failure stopped status polling of all the
/// others.
#[test]
fn one_unreachable_inbox_does_not_stop_status_polls_of_the_others() {
    let store = seeded(
        &[sent(1, "a"), sent(2, "b")],
        &[member("a", A, "T"), member("b", B, "T")],
    );
    let (net, clock) = (Net::new(), FakeClock::at(NOW));
    net.script(A, vec![Reply::Fail("connection refused".into())]);
    let b = Inbox::with_token("T");
    b.borrow_mut()
        .stored
        .insert(uuid_v4([2; 16]), (entry(2, "b", 60), "accepted".to_owned()));
    serve_inbox(&net, B, &b);
    let report = run(&store, &net, &clock, true);
    assert_eq!(
        problem(&report, "a"),
        Some(InboxProblem::Unreachable(FetchError::Failed(
            "connection refused".into()
        )))
    );
    assert_eq!(problem(&report, "b"), None);
    assert!(
        matches!(state(&store, 2), Delivery::Accepted { .. }),
        "b was still asked"
    );
    assert!(matches!(state(&store, 1), Delivery::Sent { .. }));
}

#[test]
fn an_inbox_that_answers_nonsense_to_a_status_poll_is_reported() {
    let store = seeded(&[sent(1, "a")], &[member("a", A, "T")]);
    let (net, clock) = (Net::new(), FakeClock::at(NOW));
    net.script(A, vec![Reply::json(200, "<html>")]);
    assert_eq!(
        problem(&run(&store, &net, &clock, true), "a"),
        Some(InboxProblem::BadAnswer)
    );
    net.script(A, vec![Reply::json(502, "")]);
    assert_eq!(
        problem(&run(&store, &net, &clock, true), "a"),
        Some(InboxProblem::Http(502))
    );
}

#[test]
fn a_conflict_keeps_the_inbox_version_for_the_volunteer_to_settle() {
    let theirs = entry(1, "a", 180);
    let store = seeded(&[waiting(1, "a")], &[member("a", A, "T")]);
    let (net, clock) = (Net::new(), FakeClock::at(NOW));
    let a = Inbox::with_token("T");
    a.borrow_mut()
        .stored
        .insert(theirs.id.clone(), (theirs.clone(), "received".to_owned()));
    serve_inbox(&net, A, &a);
    let report = run(&store, &net, &clock, true);
    assert_eq!(
        problem(&report, "a"),
        None,
        "a conflict is about the entry, not the inbox"
    );
    assert_eq!(
        state(&store, 1),
        Delivery::Conflict {
            theirs: Box::new(theirs)
        }
    );
}

/// A repeat after a lost answer is harmless: the inbox stores the id once.
#[test]
fn the_same_id_sent_twice_after_a_lost_answer_is_stored_once() {
    let store = seeded(&[waiting(1, "a")], &[member("a", A, "T")]);
    let (net, clock) = (Net::new(), FakeClock::at(NOW));
    let a = Inbox::with_token("T");
    // The inbox stores the entry, then the connection drops before the answer.
    let inbox = a.clone();
    let mut first = true;
    net.route(A, move |request| {
        let reply = inbox.borrow_mut().answer(A, request);
        if std::mem::take(&mut first) {
            Reply::Fail("connection reset".into())
        } else {
            reply
        }
    });
    let report = run(&store, &net, &clock, true);
    assert!(matches!(
        problem(&report, "a"),
        Some(InboxProblem::Unreachable(_))
    ));
    assert!(matches!(
        state(&store, 1),
        Delivery::Waiting { attempts: 1, .. }
    ));
    assert_eq!(
        a.borrow().stored.len(),
        1,
        "stored, but the app was not told"
    );
    let report = run(&store, &net, &clock, true);
    assert_eq!(problem(&report, "a"), None);
    assert!(matches!(state(&store, 1), Delivery::Sent { .. }));
    assert_eq!(a.borrow().posts, 2);
    assert_eq!(a.borrow().stored.len(), 1, "the repeat stored nothing new");
    let sent = net
        .log
        .borrow()
        .iter()
        .filter(|r| r.url.ends_with("v1/entries"))
        .map(|r| {
            r.headers
                .iter()
                .find(|(n, _)| *n == "Idempotency-Key")
                .map(|(_, v)| v.clone())
        })
        .collect::<Vec<_>>();
    assert_eq!(
        sent,
        vec![Some(uuid_v4([1; 16])); 2],
        "the same id both times"
    );
}

#[test]
fn an_edit_made_while_the_entry_was_being_sent_stays_waiting() {
    let store = seeded(&[waiting(1, "a")], &[member("a", A, "T")]);
    let (net, clock) = (Net::new(), FakeClock::at(NOW));
    let a = Inbox::with_token("T");
    let (inbox, editor) = (a.clone(), store.clone());
    net.route(A, move |request| {
        let reply = inbox.borrow_mut().answer(A, request);
        // The volunteer saves an edit while the request is on its way.
        block_on(editor.update_hour_record(&uuid_v4([1; 16]), |current| {
            let mut record = current.expect("entry");
            record.entry.minutes = 90;
            Change::Put(Box::new(record))
        }))
        .expect("edit");
        reply
    });
    run(&store, &net, &clock, false);
    let records = block_on(store.hour_records()).expect("records");
    assert_eq!(records[0].entry.minutes, 90);
    assert!(
        matches!(records[0].delivery, Delivery::Waiting { .. }),
        "not marked sent: {:?}",
        records[0].delivery
    );
}

#[test]
fn retry_after_is_honoured_and_the_inbox_is_left_alone_until_then() {
    let store = seeded(&[waiting(1, "a"), waiting(2, "a")], &[member("a", A, "T")]);
    let (net, clock) = (Net::new(), FakeClock::at(NOW));
    net.script(
        A,
        vec![Reply::Answer(
            429,
            vec![("Retry-After".into(), "600".into())],
            br#"{"error":"rate-limited","message":"too many requests","retry_after":600}"#.to_vec(),
        )],
    );
    let report = run(&store, &net, &clock, true);
    assert_eq!(
        problem(&report, "a"),
        Some(InboxProblem::Busy {
            until_ms: NOW + 600_000
        })
    );
    assert_eq!(
        net.count("v1/entries"),
        1,
        "the second entry is not tried in the same run"
    );
    assert!(
        matches!(state(&store, 1), Delivery::Waiting { next_attempt_ms, .. } if next_attempt_ms >= NOW + 600_000)
    );
    // A timer run before the time sends nothing.
    net.clear_log();
    clock.advance(598_000);
    run(&store, &net, &clock, false);
    let asked_again = net
        .log
        .borrow()
        .iter()
        .any(|r| r.headers.iter().any(|(_, v)| *v == uuid_v4([1; 16])));
    assert!(!asked_again, "entry 1 waits for Retry-After");
    assert_eq!(
        net.count("a.test"),
        0,
        "not even the other entry: the inbox asked to wait"
    );
    // Even a forced run (the button, coming online) leaves the inbox alone
    // until then, status polls included.
    let report = run(&store, &net, &clock, true);
    assert_eq!(
        problem(&report, "a"),
        Some(InboxProblem::Busy {
            until_ms: NOW + 600_000
        })
    );
    assert_eq!(net.count("a.test"), 0);
    clock.advance(2_000);
    serve_inbox(&net, A, &Inbox::with_token("T"));
    let report = run(&store, &net, &clock, true);
    assert_eq!(problem(&report, "a"), None);
    assert!(matches!(state(&store, 1), Delivery::Sent { .. }));
    assert!(matches!(state(&store, 2), Delivery::Sent { .. }));
}

#[test]
fn a_status_poll_told_to_wait_is_remembered() {
    let store = seeded(&[sent(1, "a")], &[member("a", A, "T")]);
    let (net, clock) = (Net::new(), FakeClock::at(NOW));
    net.script(
        A,
        vec![Reply::Answer(
            503,
            vec![("Retry-After".into(), "120".into())],
            Vec::new(),
        )],
    );
    let report = run(&store, &net, &clock, true);
    assert_eq!(
        problem(&report, "a"),
        Some(InboxProblem::Busy {
            until_ms: NOW + 120_000
        })
    );
    net.clear_log();
    run(&store, &net, &clock, true);
    assert!(
        net.urls().is_empty(),
        "asked again too soon: {:?}",
        net.urls()
    );
}

#[test]
fn a_stalled_inbox_is_given_up_at_the_deadline() {
    let store = seeded(
        &[waiting(1, "a"), waiting(2, "b")],
        &[member("a", A, "T"), member("b", B, "T")],
    );
    let (net, clock) = (Net::new(), FakeClock::at(NOW));
    net.script(A, vec![Reply::Stall]);
    serve_inbox(&net, B, &Inbox::with_token("T"));
    let report = run(&store, &net, &clock, true);
    assert_eq!(
        problem(&report, "a"),
        Some(InboxProblem::Unreachable(FetchError::TimedOut(
            REQUEST_DEADLINE_MS
        )))
    );
    assert_eq!(problem(&report, "b"), None);
    assert!(matches!(
        state(&store, 1),
        Delivery::Waiting { attempts: 1, .. }
    ));
    assert!(
        matches!(state(&store, 2), Delivery::Sent { .. }),
        "b is not held up by a"
    );
    assert!(clock.now_ms() >= NOW + REQUEST_DEADLINE_MS as i64);
}

/// Issue 9, bug 7: the code never leaves the device over plain HTTP to
/// another machine, even when a membership (joined under an older feed)
/// says so.
#[test]
fn nothing_is_sent_to_an_insecure_address() {
    let store = seeded(
        &[waiting(1, "a"), waiting(2, "b")],
        &[
            member("a", "http://inbox.example.fi/", "T"),
            member("b", "http://127.0.0.1:8091/", "T"),
        ],
    );
    let (net, clock) = (Net::new(), FakeClock::at(NOW));
    serve_inbox(&net, "http://127.0.0.1:8091/", &Inbox::with_token("T"));
    net.route("http://inbox.example.fi/", |_| {
        panic!("the token went over plain HTTP")
    });
    let report = run(&store, &net, &clock, true);
    assert!(matches!(
        problem(&report, "a"),
        Some(InboxProblem::Insecure(_))
    ));
    assert_eq!(
        problem(&report, "b"),
        None,
        "an inbox on this device may use http"
    );
    assert!(matches!(
        state(&store, 1),
        Delivery::Waiting { attempts: 0, .. }
    ));
    assert!(matches!(state(&store, 2), Delivery::Sent { .. }));
    assert_eq!(net.count("inbox.example.fi"), 0);
}

#[test]
fn offline_nothing_is_tried() {
    let store = seeded(&[waiting(1, "a")], &[member("a", A, "T")]);
    let (net, clock) = (Net::new(), FakeClock::at(NOW));
    net.set_offline(true);
    let report = run(&store, &net, &clock, true);
    assert!(report.offline);
    assert!(net.urls().is_empty());
}

#[test]
fn a_timer_run_sends_only_what_is_due() {
    let mut later = waiting(2, "a");
    later.delivery = Delivery::Waiting {
        attempts: 3,
        next_attempt_ms: NOW + 60_000,
        last_error: None,
    };
    let store = seeded(&[waiting(1, "a"), later], &[member("a", A, "T")]);
    let (net, clock) = (Net::new(), FakeClock::at(NOW));
    let a = Inbox::with_token("T");
    serve_inbox(&net, A, &a);
    run(&store, &net, &clock, false);
    assert_eq!(a.borrow().posts, 1);
    assert_eq!(net.count("v1/status"), 0, "a timer run does not poll");
    run(&store, &net, &clock, true);
    assert_eq!(a.borrow().posts, 2, "a forced run ignores the backoff");
}

/// Issue 9, bug 6: a run that could not read the store is an error the
/// screen shows, not a quiet run that sent nothing.
#[test]
fn a_store_that_cannot_be_read_fails_the_run() {
    let store = FaultyStore::new(seeded(&[waiting(1, "a")], &[member("a", A, "T")]));
    let (net, clock) = (Net::new(), FakeClock::at(NOW));
    store.fail("hour_records");
    let mut seen = Vec::new();
    let result = block_on(outbox::run(&store, &net, &clock, true, &mut |r| {
        seen.push(r.clone())
    }));
    assert!(result.is_err());
    assert!(net.urls().is_empty());
    store.heal();
    store.fail("memberships");
    assert!(block_on(outbox::run(&store, &net, &clock, true, &mut |_| {})).is_err());
}

#[test]
fn each_changed_entry_is_reported_once_as_stored() {
    let store = seeded(&[waiting(1, "a"), waiting(2, "a")], &[member("a", A, "T")]);
    let (net, clock) = (Net::new(), FakeClock::at(NOW));
    serve_inbox(&net, A, &Inbox::with_token("T"));
    let seen = Rc::new(RefCell::new(Vec::new()));
    let mut record = |r: &Record| seen.borrow_mut().push(r.clone());
    let report = block_on(outbox::run(&store, &net, &clock, true, &mut record)).expect("run");
    assert_eq!(report.inboxes[0].sent, 2);
    let stored = block_on(store.hour_records()).expect("records");
    assert_eq!(*seen.borrow(), stored);
}

/// A compact JWS of the right shape; the outbox does not verify it.
const JWT: &str = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJhIn0.c2ln";

fn delivered(org: &str, id: &str, credential: Option<serde_json::Value>) -> AwardDelivery {
    AwardDelivery {
        organisation_id: org.to_owned(),
        id: id.to_owned(),
        achievement: Some("https://example.fi/ob/kahvila".to_owned()),
        jwt: JWT.to_owned(),
        credential,
    }
}

fn award_json(id: &str) -> serde_json::Value {
    json!({"id": id, "achievement": "https://example.fi/ob/kahvila", "jwt": JWT})
}

/// Issue 11: a badge awarded at the inbox reaches the app with the status
/// poll of a forced run, even when no hours wait for a decision, and at
/// every such poll until the app keeps it; only the holder's code gets it.
#[test]
fn awards_arrive_with_every_status_poll_even_with_nothing_sent() {
    let store = seeded(&[], &[member("a", A, "T"), member("b", B, "U")]);
    let (net, clock) = (Net::new(), FakeClock::at(NOW));
    let a = Inbox::with_token("T");
    a.borrow_mut().tokens.push("SOMEONE-ELSE".to_owned());
    let with_proof = json!({"id": "urn:uuid:2", "proof": {"type": "DataIntegrityProof"}});
    let mut second = award_json("2");
    second["credential"] = with_proof.clone();
    a.borrow_mut().awards = vec![
        ("T".to_owned(), award_json("1")),
        ("SOMEONE-ELSE".to_owned(), award_json("3")),
        ("T".to_owned(), second),
    ];
    serve_inbox(&net, A, &a);
    serve_inbox(&net, B, &Inbox::with_token("U"));
    let expected = vec![
        delivered("a", "1", None),
        delivered("a", "2", Some(with_proof)),
    ];
    let report = run(&store, &net, &clock, true);
    assert_eq!(report.awards, expected);
    assert_eq!(report.award_problems, Vec::new());
    assert_eq!(net.count("a.test/v1/status"), 1, "asked once with no ids");
    assert_eq!(net.count("b.test/v1/status"), 1);
    let report = run(&store, &net, &clock, true);
    assert_eq!(report.awards, expected, "again until the app keeps them");
    net.clear_log();
    let report = run(&store, &net, &clock, false);
    assert_eq!(report.awards, Vec::new(), "a timer run does not poll");
    assert_eq!(net.count("v1/status"), 0);
}

/// (the `awards` of a status answer, or `None` for an answer without the
/// field, as an inbox from before awards gives; the awards read; the
/// problems reported, by id)
fn check_awards(
    awards: Option<serde_json::Value>,
    expected: &[&str],
    problems: &[(Option<&str>, AwardFault)],
) {
    let store = seeded(&[sent(1, "a")], &[member("a", A, "T")]);
    let (net, clock) = (Net::new(), FakeClock::at(NOW));
    let mut answer =
        json!({"entries": [{"id": uuid_v4([1; 16]), "status": "accepted", "reason": null}]});
    if let Some(awards) = &awards {
        answer["awards"] = awards.clone();
    }
    net.script(A, vec![Reply::json(200, &answer.to_string())]);
    let report = run(&store, &net, &clock, true);
    let ids: Vec<&str> = report.awards.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, expected, "{awards:?}");
    let got: Vec<(Option<&str>, AwardFault)> = report
        .award_problems
        .iter()
        .map(|p| (p.id.as_deref(), p.fault))
        .collect();
    assert_eq!(got, problems, "{awards:?}");
    assert!(report
        .award_problems
        .iter()
        .all(|p| p.organisation_id == "a"));
    // Whatever the awards were, the hours were read and settled.
    assert_eq!(problem(&report, "a"), None, "{awards:?}");
    assert!(
        matches!(state(&store, 1), Delivery::Accepted { .. }),
        "{awards:?}"
    );
}

#[test]
fn awards_that_cannot_be_read_are_reported_and_the_hours_still_settle() {
    check_awards(None, &[], &[]);
    check_awards(Some(json!([])), &[], &[]);
    check_awards(Some(json!(null)), &[], &[]);
    check_awards(Some(json!("soon")), &[], &[(None, AwardFault::NotAList)]);
    check_awards(
        Some(json!({"id": "1"})),
        &[],
        &[(None, AwardFault::NotAList)],
    );
    check_awards(
        Some(json!([award_json("1"), 7, award_json("2")])),
        &["1", "2"],
        &[(None, AwardFault::NotAnObject)],
    );
    check_awards(
        Some(json!([{"jwt": JWT}, {"id": "", "jwt": JWT}, {"id": 5, "jwt": JWT}])),
        &[],
        &[(None, AwardFault::NoId)],
    );
    check_awards(
        Some(json!([
            {"id": "1"},
            {"id": "2", "jwt": 5},
            {"id": "3", "jwt": "not a token"},
            {"id": "4", "jwt": "a.b"},
            {"id": "5", "jwt": ".b.c"},
            {"id": "6", "jwt": "a.b+/.c"},
            // An empty signature has the shape; the wallet's verifier
            // refuses it as unsigned.
            {"id": "7", "jwt": "a.b."},
        ])),
        &["7"],
        &[
            (Some("1"), AwardFault::NoJwt),
            (Some("2"), AwardFault::NoJwt),
            (Some("3"), AwardFault::NoJwt),
            (Some("4"), AwardFault::NoJwt),
            (Some("5"), AwardFault::NoJwt),
            (Some("6"), AwardFault::NoJwt),
        ],
    );
    check_awards(
        Some(json!([
            {"id": "1", "jwt": JWT, "credential": "{}"},
            {"id": "2", "jwt": JWT, "credential": null},
            {"id": "3", "jwt": JWT, "credential": {"proof": {}}},
        ])),
        &["2", "3"],
        &[(Some("1"), AwardFault::BadCredential)],
    );
    // An award listed twice is one award.
    check_awards(Some(json!([award_json("1"), award_json("1")])), &["1"], &[]);
    // The achievement is optional: the wallet reads it from the credential.
    check_awards(Some(json!([{"id": "1", "jwt": JWT}])), &["1"], &[]);
}
