//! The browser side of volunteer hours: entries in memory for the pages, saving and editing them, joining inboxes, and the outbox that sends them when it can.
//!
//! Every rule comes from `talkoo_core::hours`; this module talks to the store,
//! the network and the browser's clock and random numbers. The outbox runs at
//! start, on the `online` event, when the page becomes visible, on a timer
//! and on demand, and changes an entry's state only inside one store
//! transaction that checks the entry still holds what was sent.

use std::rc::Rc;

use js_sys::{Reflect, Uint8Array};
use leptos::ev;
use leptos::prelude::*;
use talkoo_core::hours::outbox::{
    self, after_attempt, after_status, is_due, on_join, outcome_of, remote_status, Delivery,
    Membership, Outcome, Record,
};
use talkoo_core::hours::{self, Entry};
use talkoo_core::time::Date;
use talkoo_store::idb::IdbStore;
use talkoo_store::{Change, Store, StoreError};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, RequestCache, RequestInit, Response};

use crate::storage::use_store;

/// The timer's period: due retries are picked up within this time.
const OUTBOX_INTERVAL: std::time::Duration = std::time::Duration::from_secs(30);

/// A request to an inbox is given up after this long and retried later.
const REQUEST_TIMEOUT_MS: i32 = 20_000;

/// `v1/status` takes at most this many ids at once.
const STATUS_BATCH: usize = 500;

/// Setting keys of the entry form's remembered choices.
pub mod keys {
    /// The last organisation, as `OrgRef` JSON.
    pub const LAST_ORGANISATION: &str = "hours.last_organisation";
    /// The last category's wire name.
    pub const LAST_CATEGORY: &str = "hours.last_category";
}

/// Why an hours action failed, in words the page can show.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HoursError {
    /// The device's storage failed or is missing.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The entry was sent (or accepted) meanwhile and can no longer change.
    #[error("the entry was already sent and can no longer be changed")]
    NotEditable,
    /// The entry is not on this device (deleted in another tab).
    #[error("the entry is no longer on this device")]
    Missing,
    /// The form has problems; they are shown next to the fields.
    #[error("the form has problems")]
    Invalid(Vec<hours::Problem>),
    /// Joining needs a connection.
    #[error("joining needs a network connection")]
    Offline,
    /// The inbox did not know the code.
    #[error("the inbox did not recognise the code")]
    UnknownCode,
    /// The code belongs to a different organisation.
    #[error("the code belongs to another organisation ({0})")]
    WrongOrganisation(String),
    /// The inbox could not be reached or answered nonsense.
    #[error("the inbox could not be reached ({0})")]
    Network(String),
}

impl HoursError {
    /// The i18n key of the plain-words explanation.
    pub fn message_key(&self) -> &'static str {
        match self {
            HoursError::Store(_) => "hours-error-store",
            HoursError::NotEditable => "hours-error-not-editable",
            HoursError::Missing => "hours-error-missing",
            HoursError::Invalid(_) => "hours-error-invalid",
            HoursError::Offline => "hours-error-offline",
            HoursError::UnknownCode => "hours-error-unknown-code",
            HoursError::WrongOrganisation(_) => "hours-error-wrong-organisation",
            HoursError::Network(_) => "hours-error-network",
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct HoursContext {
    records: RwSignal<Vec<Record>>,
    memberships: RwSignal<Vec<Membership>>,
    loaded: RwSignal<bool>,
    sending: RwSignal<bool>,
    /// Finished outbox runs, so a test or a screen reader status can tell
    /// that a run it asked for is over.
    runs: RwSignal<u32>,
    /// Set when a run was asked for while one was going: it runs again.
    again: StoredValue<Option<bool>>,
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
    /// Sends every waiting entry now, ignoring the backoff.
    pub send_now: Callback<()>,
    ctx: HoursContext,
    store: crate::storage::UseStoreReturn,
}

/// Milliseconds since the epoch.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// The device's current time as RFC 3339 (UTC).
pub fn now_rfc3339() -> String {
    js_sys::Date::new_0()
        .to_iso_string()
        .as_string()
        .unwrap_or_default()
}

/// Today's date on the device's clock and time zone.
pub fn today() -> Date {
    let d = js_sys::Date::new_0();
    Date {
        year: d.get_full_year() as i32,
        month: d.get_month() + 1,
        day: d.get_date(),
    }
}

/// A new entry id from the browser's cryptographic random numbers.
pub fn new_id() -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok())
        .unwrap_or(false);
    if !filled {
        // Only very old browsers lack getRandomValues; Math.random still
        // makes a collision between one volunteer's entries unthinkable.
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    hours::uuid_v4(bytes)
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
    async fn reload(self, store: &IdbStore) {
        match store.hour_records().await {
            Ok(mut records) => {
                sort_newest_first(&mut records);
                self.records.set(records);
            }
            Err(e) => leptos::logging::warn!("cannot read hours: {e}"),
        }
        match store.memberships().await {
            Ok(memberships) => self.memberships.set(memberships),
            Err(e) => leptos::logging::warn!("cannot read memberships: {e}"),
        }
        self.loaded.set(true);
    }

    /// Puts one changed record into the list the pages show.
    fn show(self, record: Record) {
        self.records.update(|list| {
            match list.iter_mut().find(|r| r.entry.id == record.entry.id) {
                Some(slot) => *slot = record,
                None => list.push(record),
            }
            sort_newest_first(list);
        });
    }

    /// Runs the outbox once (and once more if asked again meanwhile). A
    /// timer run does nothing unless an entry is due, so an idle app makes
    /// no requests; a forced run (start, `online`, visible, a save, the
    /// button) also asks the inboxes about sent entries and re-reads the
    /// entries, which another tab may have changed.
    fn run_outbox(self, store: Rc<IdbStore>, forced: bool) {
        if self.sending.get_untracked() {
            self.again
                .update_value(|a| *a = Some(a.unwrap_or(false) || forced));
            return;
        }
        let now = now_ms();
        let due = self
            .records
            .with_untracked(|records| records.iter().any(|r| is_due(&r.delivery, now, false)));
        if !forced && !due {
            return;
        }
        self.sending.set(true);
        leptos::task::spawn_local(async move {
            let mut forced = forced;
            let mut any_forced = forced;
            loop {
                send_due(self, &store, forced).await;
                if forced {
                    poll_status(self, &store).await;
                }
                match self.again.try_update_value(Option::take).flatten() {
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

fn header_pairs(membership: &Membership, id: Option<&str>) -> Vec<(&'static str, String)> {
    let mut headers = vec![
        (
            "Authorization",
            format!("Bearer {}", membership.token.trim()),
        ),
        ("Content-Type", "application/json".to_owned()),
    ];
    if let Some(id) = id {
        headers.push(("Idempotency-Key", id.to_owned()));
    }
    headers
}

fn js_text(value: &JsValue) -> String {
    value
        .as_string()
        .or_else(|| {
            Reflect::get(value, &JsValue::from_str("message"))
                .ok()
                .and_then(|m| m.as_string())
        })
        .unwrap_or_else(|| "network error".to_owned())
}

/// One request to an inbox: the status and body text, or why there was no
/// answer (offline, refused, timed out, connection dropped).
async fn request(
    method: &str,
    url: &str,
    headers: &[(&str, String)],
    body: Option<&str>,
) -> Result<(u16, String), String> {
    let init = RequestInit::new();
    init.set_method(method);
    init.set_cache(RequestCache::NoStore);
    let h = Headers::new().map_err(|e| js_text(&e))?;
    for (name, value) in headers {
        h.set(name, value).map_err(|e| js_text(&e))?;
    }
    init.set_headers(&h);
    if let Some(body) = body {
        init.set_body(&JsValue::from_str(body));
    }
    let controller = AbortController::new().map_err(|e| js_text(&e))?;
    init.set_signal(Some(&controller.signal()));
    let window = web_sys::window().ok_or("no window")?;
    let abort = controller.clone();
    let timer = Closure::once(move || abort.abort());
    let timer_id = window
        .set_timeout_with_callback_and_timeout_and_arguments_0(
            timer.as_ref().unchecked_ref(),
            REQUEST_TIMEOUT_MS,
        )
        .ok();
    let result = async {
        let response: Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
            .await
            .map_err(|e| js_text(&e))?
            .dyn_into()
            .map_err(|e| js_text(&e))?;
        let text = JsFuture::from(response.text().map_err(|e| js_text(&e))?)
            .await
            .map_err(|e| js_text(&e))?
            .as_string()
            .unwrap_or_default();
        Ok((response.status(), text))
    }
    .await;
    if let Some(id) = timer_id {
        window.clear_timeout_with_handle(id);
    }
    drop(timer);
    result
}

use wasm_bindgen::closure::Closure;

/// Posts one entry and classifies the answer.
async fn post_entry(membership: &Membership, entry: &Entry) -> Outcome {
    let body = serde_json::to_string(entry).unwrap_or_default();
    let url = format!("{}v1/entries", membership.endpoint);
    match request(
        "POST",
        &url,
        &header_pairs(membership, Some(&entry.id)),
        Some(&body),
    )
    .await
    {
        Ok((status, text)) => outcome_of(status, &text),
        Err(e) => Outcome::Failed(e),
    }
}

fn membership_for<'a>(memberships: &'a [Membership], entry: &Entry) -> Option<&'a Membership> {
    let id = entry.organisation.id.as_deref()?;
    memberships
        .iter()
        .find(|m| m.organisation_id == id && !m.refused)
}

/// Sends every due entry whose organisation the volunteer joined, one at a
/// time; stops at the first network failure, since the rest would fail too.
async fn send_due(ctx: HoursContext, store: &IdbStore, forced: bool) {
    if !window().navigator().on_line() {
        return;
    }
    let (Ok(records), Ok(memberships)) = (store.hour_records().await, store.memberships().await)
    else {
        return;
    };
    let now = now_ms();
    for record in records.iter().filter(|r| is_due(&r.delivery, now, forced)) {
        let Some(membership) = membership_for(&memberships, &record.entry) else {
            continue;
        };
        let outcome = post_entry(membership, &record.entry).await;
        let stop = matches!(outcome, Outcome::Failed(_));
        if outcome == Outcome::Unauthorized {
            let refused = Membership {
                refused: true,
                ..membership.clone()
            };
            if store.put_membership(&refused).await.is_ok() {
                ctx.memberships.update(|list| {
                    if let Some(m) = list
                        .iter_mut()
                        .find(|m| m.organisation_id == refused.organisation_id)
                    {
                        m.refused = true;
                    }
                });
            }
        }
        let sent_key = record.entry.content_key();
        let jitter = js_sys::Math::random();
        let at = now_ms();
        let stored = store
            .update_hour_record(&record.entry.id, |current| match current {
                // Only the exact content that was sent may be marked as
                // sent: an edit made meanwhile stays waiting and is sent
                // next (where the inbox will call it a conflict).
                Some(current)
                    if current.entry.content_key() == sent_key
                        && matches!(current.delivery, Delivery::Waiting { .. }) =>
                {
                    let delivery = after_attempt(&current.delivery, outcome, at, jitter);
                    Change::Put(Box::new(Record {
                        delivery,
                        ..current
                    }))
                }
                _ => Change::Keep,
            })
            .await;
        if let Ok(Some(record)) = stored {
            ctx.show(record);
        }
        if stop {
            break;
        }
    }
}

#[derive(serde::Deserialize)]
struct StatusAnswer {
    entries: Vec<StatusItem>,
}

#[derive(serde::Deserialize)]
struct StatusItem {
    id: String,
    status: String,
    #[serde(default)]
    reason: Option<String>,
}

/// Asks each joined inbox what became of the sent entries (accepted or
/// rejected by the coordinator).
async fn poll_status(ctx: HoursContext, store: &IdbStore) {
    if !window().navigator().on_line() {
        return;
    }
    let (Ok(records), Ok(memberships)) = (store.hour_records().await, store.memberships().await)
    else {
        return;
    };
    for membership in memberships.iter().filter(|m| !m.refused) {
        let sent: Vec<&str> = records
            .iter()
            .filter(|r| matches!(r.delivery, Delivery::Sent { .. }))
            .filter(|r| r.entry.organisation.id.as_deref() == Some(&membership.organisation_id))
            .map(|r| r.entry.id.as_str())
            .collect();
        for batch in sent.chunks(STATUS_BATCH) {
            let body = serde_json::json!({ "ids": batch }).to_string();
            let url = format!("{}v1/status", membership.endpoint);
            let Ok((200, text)) =
                request("POST", &url, &header_pairs(membership, None), Some(&body)).await
            else {
                return;
            };
            let Ok(answer) = serde_json::from_str::<StatusAnswer>(&text) else {
                return;
            };
            for item in answer.entries {
                let remote = remote_status(Some(&item.status), item.reason);
                let at = now_ms();
                let stored = store
                    .update_hour_record(&item.id, |current| {
                        let next = current
                            .as_ref()
                            .and_then(|c| after_status(&c.delivery, remote, at));
                        match (current, next) {
                            (Some(current), Some(delivery)) => Change::Put(Box::new(Record {
                                delivery,
                                ..current
                            })),
                            _ => Change::Keep,
                        }
                    })
                    .await;
                if let Ok(Some(record)) = stored {
                    ctx.show(record);
                }
            }
        }
    }
}

/// Reads the entries and memberships, then runs the outbox at start, when
/// the device comes online, when the page becomes visible, on a timer, and
/// after every save.
pub fn provide_hours() {
    let ctx = HoursContext {
        records: RwSignal::new(Vec::new()),
        memberships: RwSignal::new(Vec::new()),
        loaded: RwSignal::new(false),
        sending: RwSignal::new(false),
        runs: RwSignal::new(0),
        again: StoredValue::new(None),
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
    set_interval(
        move || ctx.run_outbox(store.clone(), false),
        OUTBOX_INTERVAL,
    );
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
        send_now,
        ctx,
        store,
    }
}

/// How the volunteer settles a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// Take the inbox's version.
    KeepTheirs,
    /// Keep the inbox's version and send mine as a new entry.
    KeepBoth,
}

#[derive(serde::Deserialize)]
struct MeAnswer {
    organisation: MeOrganisation,
}

#[derive(serde::Deserialize)]
struct MeOrganisation {
    id: String,
    name: String,
}

/// The actions on entries and memberships. They are methods of the hook's
/// return value, which carries the context and store, because they run in
/// tasks after the component that started them may be gone.
impl UseHoursReturn {
    fn store_or_error(self) -> Result<Rc<IdbStore>, HoursError> {
        self.store
            .get()
            .ok_or_else(|| HoursError::Store(StoreError::Unavailable("no storage".into())))
    }

    /// Saves a new entry (`editing` = `None`) or an edit, the moment the form is
    /// submitted, then lets the outbox try to send it. An edit of an entry that
    /// was sent meanwhile is refused.
    pub async fn save_entry(
        self,
        draft: hours::Draft,
        editing: Option<String>,
    ) -> Result<Record, HoursError> {
        let ctx = self.ctx;
        let store = self.store_or_error()?;
        let id = editing.clone().unwrap_or_else(new_id);
        let others = ctx.records.with_untracked(|records| {
            hours::report::minutes_on(records.iter().map(|r| &r.entry), &draft.date, Some(&id))
        });
        let created = editing.as_ref().and_then(|id| {
            ctx.records.with_untracked(|records| {
                records
                    .iter()
                    .find(|r| &r.entry.id == id)
                    .map(|r| r.entry.created.clone())
            })
        });
        let entry =
            hours::entry_from_draft(&draft, today(), others, id.clone(), created, &now_rfc3339())
                .map_err(HoursError::Invalid)?;
        let joined = ctx
            .memberships
            .with_untracked(|m| membership_for(m, &entry).is_some());
        let now = now_ms();
        let mut refused = false;
        let is_edit = editing.is_some();
        let stored = store
            .update_hour_record(&id, |current| match current {
                None if is_edit => {
                    refused = true;
                    Change::Keep
                }
                None => Change::Put(Box::new(Record {
                    entry: entry.clone(),
                    delivery: Delivery::new(joined, now),
                })),
                Some(current) if !current.delivery.editable() => {
                    refused = true;
                    Change::Keep
                }
                Some(current) => Change::Put(Box::new(Record {
                    delivery: outbox::after_edit(&current.delivery, joined, now),
                    entry: entry.clone(),
                })),
            })
            .await?;
        let record = match stored {
            Some(record) if !refused => record,
            Some(_) => return Err(HoursError::NotEditable),
            None => return Err(HoursError::Missing),
        };
        ctx.show(record.clone());
        let org = serde_json::to_string(&entry.organisation).unwrap_or_default();
        // The remembered choices are a convenience; failing to save them must
        // not fail the entry, which is already stored.
        let _ = store.put_setting(keys::LAST_ORGANISATION, &org).await;
        let _ = store
            .put_setting(keys::LAST_CATEGORY, entry.category.name())
            .await;
        ctx.run_outbox(store, true);
        Ok(record)
    }

    /// The organisation and category used last, for a new entry's form.
    pub async fn last_choices(self) -> (Option<hours::OrgRef>, Option<hours::Category>) {
        let Ok(store) = self.store_or_error() else {
            return (None, None);
        };
        let org = store
            .get_setting(keys::LAST_ORGANISATION)
            .await
            .ok()
            .flatten()
            .and_then(|t| serde_json::from_str(&t).ok());
        let category = store
            .get_setting(keys::LAST_CATEGORY)
            .await
            .ok()
            .flatten()
            .and_then(|t| hours::Category::from_name(&t));
        (org, category)
    }

    /// Deletes an entry that has not been sent.
    pub async fn delete_entry(self, id: String) -> Result<(), HoursError> {
        let ctx = self.ctx;
        let store = self.store_or_error()?;
        let mut refused = false;
        store
            .update_hour_record(&id, |current| match current {
                Some(c) if !c.delivery.editable() => {
                    refused = true;
                    Change::Keep
                }
                _ => Change::Delete,
            })
            .await?;
        if refused {
            return Err(HoursError::NotEditable);
        }
        ctx.records.update(|list| list.retain(|r| r.entry.id != id));
        Ok(())
    }

    /// Settles a conflict as the volunteer chose.
    pub async fn resolve_conflict(self, id: String, how: Resolution) -> Result<(), HoursError> {
        let ctx = self.ctx;
        let store = self.store_or_error()?;
        let record = ctx
            .records
            .with_untracked(|list| list.iter().find(|r| r.entry.id == id).cloned())
            .ok_or(HoursError::Missing)?;
        let now = now_ms();
        let records = match how {
            Resolution::KeepTheirs => outbox::keep_theirs(&record, now).map(|r| vec![r]),
            Resolution::KeepBoth => {
                outbox::keep_both(&record, new_id(), now).map(|(a, b)| vec![a, b])
            }
        }
        .ok_or(HoursError::NotEditable)?;
        store.put_hour_records(&records).await?;
        for record in records {
            ctx.show(record);
        }
        ctx.run_outbox(store, true);
        Ok(())
    }

    /// Joins an organisation's inbox with the coordinator's code: checks the
    /// code with the inbox, keeps it, and queues the entries kept on the device
    /// for that organisation so far.
    pub async fn join(
        self,
        organisation_id: String,
        endpoint: String,
        code: String,
    ) -> Result<Membership, HoursError> {
        let ctx = self.ctx;
        let store = self.store_or_error()?;
        if !window().navigator().on_line() {
            return Err(HoursError::Offline);
        }
        let token = code.trim().to_owned();
        let probe = Membership {
            organisation_id: organisation_id.clone(),
            organisation_name: String::new(),
            endpoint: endpoint.clone(),
            token: token.clone(),
            joined: now_rfc3339(),
            refused: false,
        };
        let url = format!("{endpoint}v1/me");
        let (status, text) = request("GET", &url, &header_pairs(&probe, None), None)
            .await
            .map_err(HoursError::Network)?;
        let me: MeAnswer = match status {
            200 => serde_json::from_str(&text).map_err(|e| HoursError::Network(e.to_string()))?,
            401 | 403 => return Err(HoursError::UnknownCode),
            other => return Err(HoursError::Network(format!("HTTP {other}"))),
        };
        if me.organisation.id != organisation_id {
            return Err(HoursError::WrongOrganisation(me.organisation.name));
        }
        let membership = Membership {
            organisation_name: me.organisation.name,
            ..probe
        };
        store.put_membership(&membership).await?;
        let now = now_ms();
        let queued: Vec<Record> = store
            .hour_records()
            .await?
            .into_iter()
            .filter_map(|r| {
                on_join(&r, &organisation_id, now).map(|delivery| Record { delivery, ..r })
            })
            .collect();
        store.put_hour_records(&queued).await?;
        ctx.reload(&store).await;
        ctx.run_outbox(store, true);
        Ok(membership)
    }

    /// Leaves an organisation's inbox; entries stay on the device.
    pub async fn leave(self, organisation_id: String) -> Result<(), HoursError> {
        let ctx = self.ctx;
        let store = self.store_or_error()?;
        store.delete_membership(&organisation_id).await?;
        ctx.memberships
            .update(|list| list.retain(|m| m.organisation_id != organisation_id));
        Ok(())
    }

    /// Writes restored entries, settings and memberships in as few
    /// transactions as the store allows, then shows them.
    pub async fn restore(
        self,
        records: Vec<Record>,
        settings: Vec<(String, String)>,
        memberships: Vec<Membership>,
    ) -> Result<(), HoursError> {
        let ctx = self.ctx;
        let store = self.store_or_error()?;
        store.put_hour_records(&records).await?;
        for (key, value) in &settings {
            store.put_setting(key, value).await?;
        }
        for membership in &memberships {
            store.put_membership(membership).await?;
        }
        ctx.reload(&store).await;
        ctx.run_outbox(store, true);
        Ok(())
    }
}

/// Saves `bytes` as a file: through the share sheet where the browser can
/// share files (phones), otherwise as a download.
pub async fn save_file(name: &str, mime: &str, text: &str, share: bool) -> Result<(), String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::FilePropertyBag::new();
    options.set_type(mime);
    let file = web_sys::File::new_with_str_sequence_and_options(&parts, name, &options)
        .map_err(|e| js_text(&e))?;
    if share && can_share_file(&file) {
        let data = js_sys::Object::new();
        let files = js_sys::Array::of1(&file);
        let _ = Reflect::set(&data, &JsValue::from_str("files"), &files);
        let _ = Reflect::set(&data, &JsValue::from_str("title"), &JsValue::from_str(name));
        let navigator = window().navigator();
        let share_fn = Reflect::get(&navigator, &JsValue::from_str("share"))
            .map_err(|e| js_text(&e))?
            .dyn_into::<js_sys::Function>()
            .map_err(|e| js_text(&e))?;
        let promise = share_fn
            .call1(&navigator, &data)
            .map_err(|e| js_text(&e))?
            .dyn_into::<js_sys::Promise>()
            .map_err(|e| js_text(&e))?;
        // A dismissed share sheet is the volunteer's choice, not an error.
        let _ = JsFuture::from(promise).await;
        return Ok(());
    }
    let url = web_sys::Url::create_object_url_with_blob(&file).map_err(|e| js_text(&e))?;
    let a: web_sys::HtmlAnchorElement = document()
        .create_element("a")
        .map_err(|e| js_text(&e))?
        .unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Whether the browser offers to share this file (Web Share API level 2).
pub fn can_share_file(file: &web_sys::File) -> bool {
    let navigator = window().navigator();
    let Ok(can) = Reflect::get(&navigator, &JsValue::from_str("canShare")) else {
        return false;
    };
    let Ok(can) = can.dyn_into::<js_sys::Function>() else {
        return false;
    };
    let data = js_sys::Object::new();
    let _ = Reflect::set(
        &data,
        &JsValue::from_str("files"),
        &js_sys::Array::of1(file),
    );
    can.call1(&navigator, &data)
        .map(|v| v.as_bool() == Some(true))
        .unwrap_or(false)
}

/// Whether this browser can share files at all (to label the button).
pub fn can_share_files() -> bool {
    let parts = js_sys::Array::of1(&JsValue::from_str(""));
    web_sys::File::new_with_str_sequence(&parts, "probe.txt")
        .map(|f| can_share_file(&f))
        .unwrap_or(false)
}

/// Reads a file the volunteer picked as text.
pub async fn read_file(file: web_sys::File) -> Result<String, String> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| js_text(&e))?;
    let bytes = Uint8Array::new(&buffer).to_vec();
    String::from_utf8(bytes).map_err(|e| e.to_string())
}
