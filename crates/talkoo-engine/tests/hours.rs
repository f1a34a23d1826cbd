//! The volunteer's hours actions against the memory store: double taps never make two entries, conflicts settle once, joining queues once (issue 9, bug 1), and restoring a backup twice never doubles an entry or a badge (issue 11).
#![cfg(not(target_arch = "wasm32"))]

mod support;

use pollster::block_on;
use support::{entry, serve_inbox, store, FakeClock, Inbox, Net, NOW};
use talkoo_core::hours::backup;
use talkoo_core::hours::outbox::{Delivery, Membership, Record};
use talkoo_core::hours::{uuid_v4, Category, Draft, Entry, Problem};
use talkoo_core::time::Date;
use talkoo_core::wallet::{Level, Report, WalletBadge};
use talkoo_core::Lang;
use talkoo_engine::hours::{self, HoursError, Resolution, Restored, SaveContext};
use talkoo_store::{FaultyStore, Store};

const INBOX: &str = "https://a.test/";

fn today() -> Date {
    Date::parse("2026-12-02").expect("date")
}

fn draft(duration: &str) -> Draft {
    Draft {
        date: "2026-12-01".to_owned(),
        duration: duration.to_owned(),
        organisation_id: Some("org-a".to_owned()),
        organisation_name: "Yhdistys A".to_owned(),
        category: Some(Category::Transport),
        ..Draft::default()
    }
}

fn member() -> Membership {
    Membership {
        organisation_id: "org-a".to_owned(),
        organisation_name: "Yhdistys A".to_owned(),
        endpoint: INBOX.to_owned(),
        token: "T".to_owned(),
        joined: "2026-12-01T09:00:00.000Z".to_owned(),
        refused: false,
        wait_until_ms: None,
    }
}

fn save<S: Store>(
    store: &S,
    clock: &FakeClock,
    id: &str,
    duration: &str,
    editing: bool,
) -> Result<Record, HoursError> {
    let memberships = block_on(store.memberships()).expect("memberships");
    block_on(hours::save_entry(
        store,
        clock,
        &draft(duration),
        SaveContext {
            id,
            editing,
            today: today(),
            others_minutes: 0,
            memberships: &memberships,
        },
    ))
}

fn all<S: Store>(store: &S) -> Vec<Record> {
    block_on(store.hour_records()).expect("records")
}

/// Issue 9, bug 1: a double tap on Save stored two entries. The id comes
/// from the form, so both saves land on one entry.
#[test]
fn saving_the_same_form_twice_makes_one_entry() {
    let (store, clock) = (store(), FakeClock::at(NOW));
    let id = hours::new_id(&clock);
    let first = save(&store, &clock, &id, "2", false).expect("first");
    let second = save(&store, &clock, &id, "2", false).expect("second");
    assert_eq!(first, second);
    assert_eq!(all(&store).len(), 1);
    assert_eq!(all(&store)[0].entry.created, "2026-12-03T15:41:56.000Z");
}

#[test]
fn a_second_save_with_other_content_updates_the_same_entry_and_keeps_its_creation_time() {
    let (store, clock) = (store(), FakeClock::at(NOW));
    let id = hours::new_id(&clock);
    let first = save(&store, &clock, &id, "2", false).expect("first");
    clock.advance(60_000);
    let second = save(&store, &clock, &id, "2,5", false).expect("second");
    assert_eq!(all(&store).len(), 1);
    assert_eq!(second.entry.minutes, 150);
    assert_eq!(second.entry.created, first.entry.created);
    assert_ne!(second.entry.modified, first.entry.modified);
}

#[test]
fn a_repeat_of_a_save_that_was_already_sent_changes_nothing_but_an_edit_is_refused() {
    let (store, clock) = (store(), FakeClock::at(NOW));
    block_on(store.put_membership(&member())).expect("join");
    let id = hours::new_id(&clock);
    let saved = save(&store, &clock, &id, "2", false).expect("first");
    assert!(
        matches!(saved.delivery, Delivery::Waiting { .. }),
        "joined: waiting"
    );
    let net = Net::new();
    serve_inbox(&net, INBOX, &Inbox::with_token("T"));
    block_on(talkoo_engine::outbox::run(
        &store,
        &net,
        &clock,
        true,
        &mut |_| {},
    ))
    .expect("send");
    let again = save(&store, &clock, &id, "2", false).expect("a repeat is fine");
    assert!(
        matches!(again.delivery, Delivery::Sent { .. }),
        "still sent: {again:?}"
    );
    assert_eq!(
        save(&store, &clock, &id, "3", false),
        Err(HoursError::NotEditable)
    );
    assert_eq!(all(&store).len(), 1);
}

#[test]
fn an_edit_of_an_entry_deleted_meanwhile_is_not_created_anew() {
    let (store, clock) = (store(), FakeClock::at(NOW));
    let id = hours::new_id(&clock);
    save(&store, &clock, &id, "2", false).expect("saved");
    block_on(hours::delete_entry(&store, &id)).expect("deleted");
    assert_eq!(
        save(&store, &clock, &id, "3", true),
        Err(HoursError::Missing)
    );
    assert!(all(&store).is_empty());
    // Deleting twice is fine.
    block_on(hours::delete_entry(&store, &id)).expect("deleted again");
}

#[test]
fn an_invalid_form_saves_nothing() {
    let (store, clock) = (store(), FakeClock::at(NOW));
    let id = hours::new_id(&clock);
    let result = save(&store, &clock, &id, "0", false);
    assert!(matches!(result, Err(HoursError::Invalid(problems)) if !problems.is_empty()));
    assert!(all(&store).is_empty());
}

fn conflict(n: u8) -> (Record, Entry) {
    let theirs = entry(n, "org-a", 180);
    (
        Record {
            entry: entry(n, "org-a", 150),
            delivery: Delivery::Conflict {
                theirs: Box::new(theirs.clone()),
            },
        },
        theirs,
    )
}

/// Issue 9, bug 1: two taps on "Keep both" made three entries.
#[test]
fn keep_both_tapped_twice_makes_two_entries() {
    let (store, clock) = (store(), FakeClock::at(NOW));
    let (record, _) = conflict(1);
    block_on(store.put_hour_records(std::slice::from_ref(&record))).expect("put");
    let id = record.entry.id.clone();
    let written = block_on(hours::resolve_conflict(
        &store,
        &clock,
        &id,
        Resolution::KeepBoth,
    ))
    .expect("first");
    assert_eq!(written.len(), 2);
    let again = block_on(hours::resolve_conflict(
        &store,
        &clock,
        &id,
        Resolution::KeepBoth,
    ))
    .expect("second");
    assert!(again.is_empty(), "no conflict left to settle");
    let stored = all(&store);
    assert_eq!(stored.len(), 2);
    let minutes: Vec<u32> = stored.iter().map(|r| r.entry.minutes).collect();
    assert!(
        minutes.contains(&180) && minutes.contains(&150),
        "{minutes:?}"
    );
}

#[test]
fn keep_theirs_tapped_twice_keeps_one_entry_with_their_content() {
    let (store, clock) = (store(), FakeClock::at(NOW));
    let (record, theirs) = conflict(1);
    block_on(store.put_hour_records(std::slice::from_ref(&record))).expect("put");
    let id = record.entry.id.clone();
    block_on(hours::resolve_conflict(
        &store,
        &clock,
        &id,
        Resolution::KeepTheirs,
    ))
    .expect("first");
    block_on(hours::resolve_conflict(
        &store,
        &clock,
        &id,
        Resolution::KeepBoth,
    ))
    .expect("second");
    let stored = all(&store);
    assert_eq!(stored.len(), 1, "the second tap found no conflict");
    assert_eq!(stored[0].entry.minutes, theirs.minutes);
    assert!(matches!(stored[0].delivery, Delivery::Sent { .. }));
    assert_eq!(
        block_on(hours::resolve_conflict(
            &store,
            &clock,
            &uuid_v4([9; 16]),
            Resolution::KeepTheirs
        )),
        Err(HoursError::Missing)
    );
}

fn local(n: u8, org: &str) -> Record {
    let (mut record, _) = conflict(n);
    record.entry.organisation.id = Some(org.to_owned());
    record.delivery = Delivery::Local;
    record
}

/// Issue 9, bug 1: joining decides on the stored entries in the
/// transaction that writes them; joining twice queues nothing twice and
/// never touches a sent entry.
#[test]
fn joining_twice_queues_each_entry_once_and_leaves_sent_ones_alone() {
    let (store, clock, net) = (store(), FakeClock::at(NOW), Net::new());
    let sent = Record {
        delivery: Delivery::Sent { at_ms: 1 },
        ..local(2, "org-a")
    };
    block_on(store.put_hour_records(&[local(1, "org-a"), sent.clone(), local(3, "org-b")]))
        .expect("put");
    serve_inbox(&net, INBOX, &Inbox::with_token("K7QM"));
    let joined =
        block_on(hours::join(&store, &net, &clock, "org-a", INBOX, " K7QM ")).expect("join");
    assert_eq!(joined.membership.token, "K7QM");
    assert_eq!(joined.membership.organisation_name, "Yhdistys A");
    assert_eq!(joined.queued.len(), 1);
    assert_eq!(joined.queued[0].entry.id, uuid_v4([1; 16]));
    let again = block_on(hours::join(&store, &net, &clock, "org-a", INBOX, "K7QM")).expect("again");
    assert!(again.queued.is_empty(), "already queued");
    let stored = all(&store);
    assert_eq!(stored.len(), 3);
    assert!(stored.contains(&sent), "a sent entry is untouched");
    assert!(stored
        .iter()
        .any(|r| r.entry.organisation.id.as_deref() == Some("org-b")
            && r.delivery == Delivery::Local));
    assert_eq!(block_on(store.memberships()).expect("memberships").len(), 1);
}

/// Issue 10: "Other" was preselected on the first entry and skewed every
/// report. A first form has no kind of work; saving without one is refused
/// with its own problem; after a save the form starts with the choices used
/// last, and dates come in the app's language.
#[test]
fn a_first_form_has_no_category_and_later_forms_remember_the_last_choices() {
    let (store, clock) = (store(), FakeClock::at(NOW));
    let id = hours::new_id(&clock);
    let (first, existing) =
        block_on(hours::initial_draft(&store, &id, today(), Lang::Fi)).expect("first");
    assert_eq!(existing, None);
    assert_eq!(first.category, None, "nothing chosen for the volunteer");
    assert_eq!(first.date, "2.12.2026");
    assert_eq!(first.organisation_name, "");

    let mut typed = first.clone();
    typed.duration = "2".to_owned();
    typed.organisation_name = "Paltamon kyläyhdistys".to_owned();
    let at = SaveContext {
        id: &id,
        editing: false,
        today: today(),
        others_minutes: 0,
        memberships: &[],
    };
    assert_eq!(
        block_on(hours::save_entry(&store, &clock, &typed, at)),
        Err(HoursError::Invalid(vec![Problem::NoCategory]))
    );
    typed.category = Some(Category::Events);
    let saved = block_on(hours::save_entry(&store, &clock, &typed, at)).expect("saved");
    assert_eq!(saved.entry.date, "2026-12-02", "stored as ISO");
    block_on(hours::remember_choices(&store, &saved.entry)).expect("remembered");

    let (next, _) = block_on(hours::initial_draft(
        &store,
        &hours::new_id(&clock),
        today(),
        Lang::En,
    ))
    .expect("next");
    assert_eq!(next.category, Some(Category::Events));
    assert_eq!(next.organisation_name, "Paltamon kyläyhdistys");
    assert_eq!(next.organisation_id, None);
    assert_eq!(next.date, "2\u{a0}Dec\u{a0}2026");
    assert_eq!(next.duration, "");

    // The saved entry's own form shows what was saved, in the app's language.
    let (again, existing) =
        block_on(hours::initial_draft(&store, &id, today(), Lang::Sv)).expect("again");
    assert_eq!(existing.map(|r| r.entry), Some(saved.entry));
    assert_eq!(again.date, "2.12.2026");
    assert_eq!(again.duration, "2");
}

#[test]
fn joining_is_refused_for_a_wrong_code_another_organisation_offline_or_an_insecure_address() {
    let (store, clock, net) = (store(), FakeClock::at(NOW), Net::new());
    serve_inbox(&net, INBOX, &Inbox::with_token("K7QM"));
    let join = |org: &str, endpoint: &str, code: &str| {
        block_on(hours::join(&store, &net, &clock, org, endpoint, code))
    };
    assert_eq!(join("org-a", INBOX, "WRONG"), Err(HoursError::UnknownCode));
    assert_eq!(
        join("org-b", INBOX, "K7QM"),
        Err(HoursError::WrongOrganisation("Yhdistys A".to_owned()))
    );
    let before = net.urls().len();
    assert!(matches!(
        join("org-a", "http://inbox.example.fi/", "K7QM"),
        Err(HoursError::Insecure(_))
    ));
    assert_eq!(
        net.urls().len(),
        before,
        "the code was not sent over plain HTTP"
    );
    net.set_offline(true);
    assert_eq!(join("org-a", INBOX, "K7QM"), Err(HoursError::Offline));
    assert_eq!(block_on(store.memberships()), Ok(Vec::new()));
}

#[test]
fn a_storage_failure_while_saving_is_an_error_not_a_lost_entry() {
    let (store, clock) = (FaultyStore::new(store()), FakeClock::at(NOW));
    store.fail("update_hour_record");
    let id = hours::new_id(&clock);
    let result = save(&store, &clock, &id, "2", false);
    assert!(matches!(result, Err(HoursError::Store(_))));
    assert_eq!(
        result.expect_err("error").message_key(),
        "hours-error-store"
    );
}

/// The core's committed backup made before the wallet existed.
const BACKUP_V1: &str = include_str!("../../talkoo-core/tests/fixtures/hours/backup-v1.json");
/// The core's committed backup with one entry and two badges.
const BACKUP_V1_BADGES: &str =
    include_str!("../../talkoo-core/tests/fixtures/hours/backup-v1-badges.json");

fn restore<S: Store>(store: &S, text: &str) -> Result<Restored, HoursError> {
    let backup = backup::parse_backup(text).expect("a committed backup");
    block_on(hours::restore(store, &backup))
}

fn restored(entries: (usize, usize, usize), badges: (usize, usize, usize)) -> Restored {
    Restored {
        added: entries.0,
        updated: entries.1,
        same: entries.2,
        badges_added: badges.0,
        badges_updated: badges.1,
        badges_same: badges.2,
    }
}

#[test]
fn restoring_the_same_backup_twice_leaves_one_copy_of_each_badge() {
    let store = store();
    assert_eq!(
        restore(&store, BACKUP_V1_BADGES),
        Ok(restored((1, 0, 0), (2, 0, 0)))
    );
    let first = block_on(store.badges()).expect("badges");
    assert_eq!(first.len(), 2);
    assert_eq!(
        restore(&store, BACKUP_V1_BADGES),
        Ok(restored((0, 0, 1), (0, 0, 2)))
    );
    assert_eq!(block_on(store.badges()), Ok(first));
    assert_eq!(all(&store).len(), 1);
}

/// The fixture's first badge as the device holds it: added on
/// `added_at`, last checked at `checked_at`, with `level`.
fn on_device(added_at: &str, checked_at: &str, level: Level) -> WalletBadge {
    let backup = backup::parse_backup(BACKUP_V1_BADGES).expect("fixture");
    let mut badge = backup.badges[0].clone();
    badge.added_at = added_at.to_owned();
    badge.report = Some(Report::new(Vec::new(), checked_at.to_owned(), None));
    if let Some(report) = badge.report.as_mut() {
        report.level = level;
    }
    badge
}

/// Restores the badges fixture onto a device holding `device` and expects
/// the stored copy of that badge to be `expected` and the badge counts.
fn check_badge_restore(device: WalletBadge, expected: WalletBadge, counts: (usize, usize, usize)) {
    let store = store();
    block_on(store.add_badge(&device)).expect("the device's badge");
    let got = restore(&store, BACKUP_V1_BADGES).expect("restore");
    assert_eq!(
        (got.badges_added, got.badges_updated, got.badges_same),
        counts,
        "added, updated, same"
    );
    assert_eq!(block_on(store.badge(&device.id)), Ok(Some(expected)));
    assert_eq!(block_on(store.badges()).expect("badges").len(), 2);
}

#[test]
fn a_badge_in_both_keeps_the_copy_with_the_newer_report() {
    let backup = backup::parse_backup(BACKUP_V1_BADGES).expect("fixture");
    let theirs = backup.badges[0].clone();
    // The device checked it after the backup was made (and found it
    // revoked): the device's report stays, and the backup's earlier
    // added time is kept.
    let revoked = on_device(
        "2026-11-25T10:00:00.000Z",
        "2026-11-25T10:00:00.000Z",
        Level::Invalid,
    );
    let mut expected = revoked.clone();
    expected.added_at = theirs.added_at.clone();
    check_badge_restore(revoked, expected, (1, 1, 0));
    // The device's report is older than the backup's: the backup's copy
    // wins, with the device's earlier added time.
    let older = on_device(
        "2026-11-01T10:00:00.000Z",
        "2026-11-01T10:00:00.000Z",
        Level::Warning,
    );
    let mut expected = theirs.clone();
    expected.added_at = older.added_at.clone();
    check_badge_restore(older, expected, (1, 1, 0));
    // The very same copy: nothing changes.
    check_badge_restore(theirs.clone(), theirs, (1, 0, 1));
}

#[test]
fn a_backup_made_before_the_wallet_restores_and_leaves_the_wallet_alone() {
    let store = store();
    let badge = on_device(
        "2026-11-25T10:00:00.000Z",
        "2026-11-25T10:00:00.000Z",
        Level::Valid,
    );
    block_on(store.add_badge(&badge)).expect("a badge");
    assert_eq!(
        restore(&store, BACKUP_V1),
        Ok(restored((6, 0, 0), (0, 0, 0)))
    );
    assert_eq!(block_on(store.badges()), Ok(vec![badge]));
    assert_eq!(all(&store).len(), 6);
}

#[test]
fn a_storage_failure_while_restoring_badges_is_an_error() {
    let store = FaultyStore::new(store());
    store.fail("add_badges");
    let result = restore(&store, BACKUP_V1_BADGES);
    assert!(matches!(result, Err(HoursError::Store(_))), "{result:?}");
    assert_eq!(block_on(store.inner().badges()), Ok(Vec::new()));
}
