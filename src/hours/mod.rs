//! Volunteer hours for components: the entries and memberships in memory, and the outbox loop that sends them when it can.
//!
//! The rules live in `talkoo_core::hours` and the orchestration in
//! `talkoo_engine` (tested natively); this module keeps the signals the
//! pages read and decides when the outbox runs: at start, on the `online`
//! event, when the page becomes visible, on a timer for due retries, and
//! after every change the volunteer makes.

mod actions;

use std::rc::Rc;
use std::time::Duration;

use gloo_timers::callback::Interval;
use leptos::ev;
use leptos::prelude::*;
use talkoo_core::hours::outbox::{is_due, Membership, Record};
use talkoo_engine::outbox::{self, RunReport};
use talkoo_engine::Rerun;
use talkoo_store::idb::IdbStore;
use talkoo_store::{Store, StoreError};

pub use talkoo_engine::hours::{HoursError, Resolution};

use crate::browser::{now_ms, Browser};
use crate::storage::use_store;

/// The timer's period: due retries are picked up within this time.
const OUTBOX_INTERVAL: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, Copy)]
struct HoursContext {
    records: RwSignal<Vec<Record>>,
    memberships: RwSignal<Vec<Membership>>,
    loaded: RwSignal<bool>,
    sending: RwSignal<bool>,
    /// Finished outbox runs, so a test or a screen reader status can tell
    /// that a run it asked for is over.
    runs: RwSignal<u32>,
    /// How each inbox fared in the last run that was online.
    report: RwSignal<RunReport>,
    /// The last storage failure, shown until a later read succeeds.
    error: RwSignal<Option<StoreError>>,
    rerun: StoredValue<Rerun, LocalStorage>,
}

/// Entries, memberships and the outbox for components.
#[derive(Debug, Clone, Copy)]
pub struct UseHoursReturn {
    /// Every entry with its state, newest date first.
    pub records: Signal<Vec<Record>>,
    /// The inboxes joined.
    pub memberships: Signal<Vec<Membership>>,
    /// Whether the entries have been read from storage.
    pub loaded: Signal<bool>,
    /// Whether the outbox is sending right now.
    pub sending: Signal<bool>,
    /// How many outbox runs have finished since the app started.
    pub runs: Signal<u32>,
    /// How each inbox fared in the last run.
    pub report: Signal<RunReport>,
    /// Why hours could not be read or sent, if storage failed.
    pub error: Signal<Option<StoreError>>,
    /// Sends every waiting entry now, ignoring the backoff.
    pub send_now: Callback<()>,
    ctx: HoursContext,
    store: crate::storage::UseStoreReturn,
}

fn sort_newest_first(records: &mut [Record]) {
    records.sort_by(|a, b| {
        (
            b.entry.date.as_str(),
            b.entry.start.as_deref(),
            b.entry.created.as_str(),
        )
            .cmp(&(
                a.entry.date.as_str(),
                a.entry.start.as_deref(),
                a.entry.created.as_str(),
            ))
    });
}

impl HoursContext {
    /// Reads the entries and memberships again (another tab may have
    /// changed them); a failure is shown, and the list on screen stays.
    async fn reload(self, store: &IdbStore) {
        let read = async {
            let mut records = store.hour_records().await?;
            let memberships = store.memberships().await?;
            sort_newest_first(&mut records);
            Ok::<_, StoreError>((records, memberships))
        };
        match read.await {
            Ok((records, memberships)) => {
                self.records.set(records);
                self.memberships.set(memberships);
                self.error.set(None);
            }
            Err(e) => {
                leptos::logging::warn!("cannot read hours: {e}");
                self.error.set(Some(e));
            }
        }
        self.loaded.set(true);
    }

    /// Puts changed records into the list the pages show.
    fn show(self, changed: &[Record]) {
        if changed.is_empty() {
            return;
        }
        self.records.update(|list| {
            for record in changed {
                match list.iter_mut().find(|r| r.entry.id == record.entry.id) {
                    Some(slot) => *slot = record.clone(),
                    None => list.push(record.clone()),
                }
            }
            sort_newest_first(list);
        });
    }

    /// Runs the outbox, and once more for every request that arrives while
    /// it runs. A timer run does nothing unless an entry is due, so an idle
    /// app makes no requests; a forced run (start, `online`, visible, a
    /// change, the button) also asks the inboxes about sent entries and
    /// re-reads the entries afterwards.
    fn run_outbox(self, store: Rc<IdbStore>, forced: bool) {
        if !forced {
            let now = now_ms();
            let due = self
                .records
                .with_untracked(|records| records.iter().any(|r| is_due(&r.delivery, now, false)));
            if !due {
                return;
            }
        }
        if !self.rerun.with_value(|r| r.request(forced)) {
            return;
        }
        self.sending.set(true);
        leptos::task::spawn_local(async move {
            let mut forced = forced;
            let mut any_forced = forced;
            loop {
                // Each entry is shown as it changes, so a volunteer watching
                // a slow send sees it move one entry at a time.
                let result = outbox::run(&*store, &Browser, &Browser, forced, &mut |r| {
                    self.show(std::slice::from_ref(r));
                })
                .await;
                match result {
                    Ok(report) => {
                        if !report.offline {
                            self.report.set(report);
                        }
                    }
                    Err(e) => {
                        leptos::logging::warn!(
                            "the outbox could not read the device's storage: {e}"
                        );
                        self.error.set(Some(e));
                    }
                }
                match self.rerun.with_value(Rerun::finish) {
                    Some(f) => {
                        forced = f;
                        any_forced |= f;
                    }
                    None => break,
                }
            }
            if any_forced {
                self.reload(&store).await;
            }
            self.sending.set(false);
            self.runs.update(|n| *n += 1);
        });
    }
}

/// Reads the entries and memberships, then runs the outbox at start, when
/// the device comes online, when the page becomes visible, on a timer, and
/// after every change.
pub fn provide_hours() {
    let ctx = HoursContext {
        records: RwSignal::new(Vec::new()),
        memberships: RwSignal::new(Vec::new()),
        loaded: RwSignal::new(false),
        sending: RwSignal::new(false),
        runs: RwSignal::new(0),
        report: RwSignal::new(RunReport::default()),
        error: RwSignal::new(None),
        rerun: StoredValue::new_local(Rerun::new()),
    };
    provide_context(ctx);
    let Some(store) = use_store().get() else {
        ctx.loaded.set(true);
        return;
    };
    let start = store.clone();
    leptos::task::spawn_local(async move {
        ctx.reload(&start).await;
        ctx.run_outbox(start, true);
    });
    let online = store.clone();
    let _ = window_event_listener(ev::online, move |_| ctx.run_outbox(online.clone(), true));
    let visible = store.clone();
    let _ = window_event_listener(ev::visibilitychange, move |_| {
        if document().visibility_state() == web_sys::VisibilityState::Visible {
            ctx.run_outbox(visible.clone(), true);
        }
    });
    // The timer lives as long as the page.
    Interval::new(OUTBOX_INTERVAL.as_millis() as u32, move || {
        ctx.run_outbox(store.clone(), false);
    })
    .forget();
}

/// The hours hook.
pub fn use_hours() -> UseHoursReturn {
    let ctx = expect_context::<HoursContext>();
    let store = use_store();
    let send_now = Callback::new(move |()| {
        if let Some(store) = store.get() {
            ctx.run_outbox(store, true);
        }
    });
    UseHoursReturn {
        records: ctx.records.into(),
        memberships: ctx.memberships.into(),
        loaded: ctx.loaded.into(),
        sending: ctx.sending.into(),
        runs: ctx.runs.into(),
        report: ctx.report.into(),
        error: ctx.error.into(),
        send_now,
        ctx,
        store,
    }
}
