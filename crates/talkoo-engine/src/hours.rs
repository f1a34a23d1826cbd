//! The volunteer's actions on hours: save, delete, settle a conflict, join and leave an inbox, restore a backup; each decided and written in one store transaction.
//!
//! Every action is idempotent where a double tap could repeat it: an entry's
//! id is made when its form opens, so a second save of the same form updates
//! the same entry; a conflict is settled only while the stored entry is
//! still in conflict; joining queues only entries still kept on the device.

use talkoo_core::endpoint::check_endpoint;
use talkoo_core::hours::backup::{self, Backup};
use talkoo_core::hours::outbox::{self, on_join, Delivery, Membership, Record};
use talkoo_core::hours::{self, Category, Draft, Entry, OrgRef};
use talkoo_core::i18n::Lang;
use talkoo_core::time::{rfc3339_utc, Date};
use talkoo_core::wallet::BadgeMerge;
use talkoo_store::{Change, Store, StoreError};

use crate::platform::{self, Body, Clock, Fetch, FetchError, Request};

/// A request to an inbox is given up after this long and retried later.
pub const REQUEST_DEADLINE_MS: u64 = 20_000;

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
    /// The inbox's address would send the code unencrypted.
    #[error("the inbox's address is not secure ({0})")]
    Insecure(String),
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
            HoursError::Insecure(_) => "hours-error-insecure",
            HoursError::Network(_) => "hours-error-network",
        }
    }
}

impl From<FetchError> for HoursError {
    fn from(e: FetchError) -> Self {
        match e {
            FetchError::Offline => HoursError::Offline,
            other => HoursError::Network(other.to_string()),
        }
    }
}

/// A new entry id (a version 4 UUID) from the clock's random bytes.
pub fn new_id<C: Clock>(clock: &C) -> String {
    hours::uuid_v4(clock.random_bytes())
}

/// The membership that sends an entry, if the volunteer joined its
/// organisation and the inbox has not refused the code.
pub fn membership_for<'a>(memberships: &'a [Membership], entry: &Entry) -> Option<&'a Membership> {
    let id = entry.organisation.id.as_deref()?;
    memberships
        .iter()
        .find(|m| m.organisation_id == id && !m.refused)
}

/// What the form knows besides the draft when it saves.
#[derive(Debug, Clone, Copy)]
pub struct SaveContext<'a> {
    /// The entry's id, made when the form opened.
    pub id: &'a str,
    /// Whether the form edits an entry that exists (so a vanished one is an
    /// error rather than created anew).
    pub editing: bool,
    /// Today on the device's calendar.
    pub today: Date,
    /// Minutes of the volunteer's other entries that day (for the 24 h rule).
    pub others_minutes: u32,
    /// The inboxes joined.
    pub memberships: &'a [Membership],
}

/// Saves the form under its id: creates the entry the first time and
/// updates it after that, so a double tap or a repeated submit never makes
/// a second entry. A save of unchanged content changes nothing (not even
/// the delivery state: an entry sent meanwhile stays sent), and an edit of
/// an entry that was sent meanwhile is refused.
pub async fn save_entry<S: Store, C: Clock>(
    store: &S,
    clock: &C,
    draft: &Draft,
    at: SaveContext<'_>,
) -> Result<Record, HoursError> {
    let now = clock.now_ms();
    let mut entry = hours::entry_from_draft(
        draft,
        at.today,
        at.others_minutes,
        at.id.to_owned(),
        None,
        &rfc3339_utc(now),
    )
    .map_err(HoursError::Invalid)?;
    let joined = membership_for(at.memberships, &entry).is_some();
    let mut refused = None;
    let stored = store
        .update_hour_record(at.id, |current| match current {
            None if at.editing => {
                refused = Some(HoursError::Missing);
                Change::Keep
            }
            None => Change::Put(Box::new(Record {
                delivery: Delivery::new(joined, now),
                entry,
            })),
            // The same content again (a double tap, a resubmit after a
            // slow save): nothing to do, whatever happened to it since.
            Some(current) if current.entry.content_key() == entry.content_key() => Change::Keep,
            Some(current) if !current.delivery.editable() => {
                refused = Some(HoursError::NotEditable);
                Change::Keep
            }
            Some(current) => {
                entry.created = current.entry.created;
                Change::Put(Box::new(Record {
                    delivery: outbox::after_edit(&current.delivery, joined, now),
                    entry,
                }))
            }
        })
        .await?;
    if let Some(error) = refused {
        return Err(error);
    }
    stored.ok_or(HoursError::Missing)
}

/// Setting keys of the entry form's remembered choices.
pub mod keys {
    /// The last organisation, as `OrgRef` JSON.
    pub const LAST_ORGANISATION: &str = "hours.last_organisation";
    /// The last category's wire name.
    pub const LAST_CATEGORY: &str = "hours.last_category";
}

/// Remembers the organisation and kind of work of a saved entry, so the
/// next form starts with them (most volunteers log the same work again).
pub async fn remember_choices<S: Store>(store: &S, entry: &Entry) -> Result<(), StoreError> {
    let org = serde_json::to_string(&entry.organisation).unwrap_or_default();
    store.put_setting(keys::LAST_ORGANISATION, &org).await?;
    store
        .put_setting(keys::LAST_CATEGORY, entry.category.name())
        .await
}

/// The form's first state: the stored entry `id` when there is one (an
/// edit, or a new entry's form reloaded after its first save), otherwise
/// an empty form for `today` with the organisation and kind of work used
/// last. No kind of work is chosen on a first entry (issue 10). Dates and
/// times are written in `lang`. Also returns the stored entry, which says
/// whether it can still be changed.
pub async fn initial_draft<S: Store>(
    store: &S,
    id: &str,
    today: Date,
    lang: Lang,
) -> Result<(Draft, Option<Record>), HoursError> {
    // A read through the one-entry update, which keeps it as it is.
    let existing = store.update_hour_record(id, |_| Change::Keep).await?;
    if let Some(record) = existing {
        return Ok((hours::draft_from_entry(&record.entry, lang), Some(record)));
    }
    let mut draft = Draft::blank(today, lang);
    if let Some(org) = store
        .get_setting(keys::LAST_ORGANISATION)
        .await?
        .and_then(|t| serde_json::from_str::<OrgRef>(&t).ok())
    {
        draft.organisation_id = org.id;
        draft.organisation_name = org.name;
    }
    draft.category = store
        .get_setting(keys::LAST_CATEGORY)
        .await?
        .and_then(|t| Category::from_name(&t));
    Ok((draft, None))
}

/// Deletes an entry that has not been sent; deleting one that is already
/// gone is not an error.
pub async fn delete_entry<S: Store>(store: &S, id: &str) -> Result<(), HoursError> {
    let mut refused = false;
    store
        .update_hour_record(id, |current| match current {
            Some(c) if !c.delivery.editable() => {
                refused = true;
                Change::Keep
            }
            Some(_) => Change::Delete,
            None => Change::Keep,
        })
        .await?;
    if refused {
        Err(HoursError::NotEditable)
    } else {
        Ok(())
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

/// Settles a conflict as the volunteer chose, deciding on the stored entry
/// in the transaction that writes the result: a second tap finds no
/// conflict any more and changes nothing. Returns the entries written.
pub async fn resolve_conflict<S: Store, C: Clock>(
    store: &S,
    clock: &C,
    id: &str,
    how: Resolution,
) -> Result<Vec<Record>, HoursError> {
    let now = clock.now_ms();
    let twin = new_id(clock);
    let mut written = Vec::new();
    let mut missing = false;
    store
        .update_hour_record(id, |current| {
            let Some(current) = current else {
                missing = true;
                return Change::Keep;
            };
            match how {
                Resolution::KeepTheirs => match outbox::keep_theirs(&current, now) {
                    Some(theirs) => {
                        written.push(theirs.clone());
                        Change::Put(Box::new(theirs))
                    }
                    None => Change::Keep,
                },
                Resolution::KeepBoth => match outbox::keep_both(&current, twin, now) {
                    Some((theirs, mine)) => {
                        written.push(theirs.clone());
                        written.push(mine.clone());
                        Change::PutWith(Box::new(theirs), vec![mine])
                    }
                    None => Change::Keep,
                },
            }
        })
        .await?;
    if missing {
        return Err(HoursError::Missing);
    }
    Ok(written)
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

/// The `Authorization` header of a membership's requests.
pub fn bearer(token: &str) -> String {
    format!("Bearer {}", token.trim())
}

/// A joined inbox and the entries queued for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Joined {
    /// The membership as stored.
    pub membership: Membership,
    /// The entries kept on the device until now, queued to be sent.
    pub queued: Vec<Record>,
}

/// Joins an organisation's inbox with the coordinator's code: refuses an
/// address that would send the code unencrypted, checks the code with the
/// inbox, then stores the membership and queues the entries kept on the
/// device for that organisation, in one transaction.
pub async fn join<S: Store, N: Fetch, C: Clock>(
    store: &S,
    net: &N,
    clock: &C,
    organisation_id: &str,
    endpoint: &str,
    code: &str,
) -> Result<Joined, HoursError> {
    check_endpoint(endpoint).map_err(|e| HoursError::Insecure(e.to_string()))?;
    if !net.online() {
        return Err(HoursError::Offline);
    }
    let token = code.trim().to_owned();
    let request = Request::get(format!("{endpoint}v1/me")).header("Authorization", bearer(&token));
    let response = platform::send(net, clock, request, REQUEST_DEADLINE_MS).await?;
    let me: MeAnswer = match response.status {
        200 => {
            let body = response.body.into_bytes();
            serde_json::from_slice(&body).map_err(|e| HoursError::Network(e.to_string()))?
        }
        401 | 403 => return Err(HoursError::UnknownCode),
        other => return Err(HoursError::Network(format!("HTTP {other}"))),
    };
    if me.organisation.id != organisation_id {
        return Err(HoursError::WrongOrganisation(me.organisation.name));
    }
    let membership = Membership {
        organisation_id: organisation_id.to_owned(),
        organisation_name: me.organisation.name,
        endpoint: endpoint.to_owned(),
        token,
        joined: rfc3339_utc(clock.now_ms()),
        refused: false,
        wait_until_ms: None,
    };
    let now = clock.now_ms();
    let queued = store
        .join_inbox(&membership, |r| {
            on_join(r, organisation_id, now).map(|delivery| Record {
                delivery,
                ..r.clone()
            })
        })
        .await?;
    Ok(Joined { membership, queued })
}

/// Leaves an organisation's inbox; its entries stay on the device.
pub async fn leave<S: Store>(store: &S, organisation_id: &str) -> Result<(), HoursError> {
    Ok(store.delete_membership(organisation_id).await?)
}

/// What restoring a backup did, for the line Settings shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Restored {
    /// Entries the device did not have.
    pub added: usize,
    /// Entries whose backup copy got further and replaced the device's.
    pub updated: usize,
    /// Entries already on the device (identical, or the device's copy won).
    pub same: usize,
    /// Badges new to the wallet.
    pub badges_added: usize,
    /// Badges whose backup copy had the newer report.
    pub badges_updated: usize,
    /// Badges already in the wallet as they are.
    pub badges_same: usize,
}

/// Restores a parsed backup: entries merged with the device's by entry id
/// (`backup::merge`), settings and memberships the device lacks, and the
/// badges merged into the wallet by badge id in the store's own
/// transaction (`Store::add_badges`), so restoring the same file twice
/// adds nothing the second time. A file made before the wallet existed
/// has no badges and restores the rest.
pub async fn restore<S: Store>(store: &S, backup: &Backup) -> Result<Restored, HoursError> {
    let merge = backup::merge(&store.hour_records().await?, &backup.entries);
    let settings = backup::merge_settings(&store.settings().await?, &backup.settings);
    let memberships = backup::merge_memberships(&store.memberships().await?, &backup.memberships);
    let mut write = merge.add.clone();
    write.extend(merge.replace.iter().cloned());
    store.put_hour_records(&write).await?;
    for (key, value) in &settings {
        store.put_setting(key, value).await?;
    }
    for membership in &memberships {
        store.put_membership(membership).await?;
    }
    let badges = if backup.badges.is_empty() {
        BadgeMerge::default()
    } else {
        store.add_badges(&backup.badges).await?
    };
    Ok(Restored {
        added: merge.add.len(),
        updated: merge.replace.len(),
        same: merge.unchanged + merge.kept,
        badges_added: badges.added,
        badges_updated: badges.updated,
        badges_same: badges.unchanged,
    })
}
