//! The volunteer's actions on hours as methods of the hours hook: each is decided and written by `talkoo_engine::hours` in one store transaction, then shown and handed to the outbox.

use std::rc::Rc;

use leptos::prelude::*;

use talkoo_core::hours::outbox::{Membership, Record};
use talkoo_core::hours::{self, Draft};
use talkoo_core::i18n::Lang;
use talkoo_engine::hours::{self as engine, HoursError, Joined, Resolution, SaveContext};
use talkoo_store::idb::IdbStore;
use talkoo_store::StoreError;

use super::UseHoursReturn;
use crate::browser::{today, Browser};

/// The actions carry the context and the store, because they run in tasks
/// after the component that started them may be gone.
impl UseHoursReturn {
    fn store_or_error(self) -> Result<Rc<IdbStore>, HoursError> {
        self.store
            .get()
            .ok_or_else(|| HoursError::Store(StoreError::Unavailable("no storage".into())))
    }

    /// A new entry's id, made when its form opens so that every save of
    /// that form, double taps and reloads included, lands on one entry.
    pub fn new_entry_id(self) -> String {
        engine::new_id(&Browser)
    }

    /// Saves the form under `id`: the first save creates the entry, a
    /// later one updates it (`editing` says the entry must exist already).
    /// Then the outbox tries to send it.
    pub async fn save_entry(
        self,
        draft: Draft,
        id: String,
        editing: bool,
    ) -> Result<Record, HoursError> {
        let ctx = self.ctx;
        let store = self.store_or_error()?;
        let day = draft
            .day(today())
            .map(|d| d.to_string())
            .unwrap_or_default();
        let others = ctx.records.with_untracked(|records| {
            hours::report::minutes_on(records.iter().map(|r| &r.entry), &day, Some(&id))
        });
        let memberships = ctx.memberships.get_untracked();
        let record = engine::save_entry(
            &*store,
            &Browser,
            &draft,
            SaveContext {
                id: &id,
                editing,
                today: today(),
                others_minutes: others,
                memberships: &memberships,
            },
        )
        .await?;
        ctx.show(std::slice::from_ref(&record));
        // The remembered choices are a convenience; failing to save them must
        // not fail the entry, which is already stored.
        let _ = engine::remember_choices(&*store, &record.entry).await;
        ctx.run_outbox(store, true);
        Ok(record)
    }

    /// The form's first state (see [`engine::initial_draft`]), with dates
    /// and times written in `lang`.
    pub async fn initial_draft(
        self,
        id: &str,
        lang: Lang,
    ) -> Result<(Draft, Option<Record>), HoursError> {
        let store = self.store_or_error()?;
        engine::initial_draft(&*store, id, today(), lang).await
    }

    /// Deletes an entry that has not been sent.
    pub async fn delete_entry(self, id: String) -> Result<(), HoursError> {
        let store = self.store_or_error()?;
        engine::delete_entry(&*store, &id).await?;
        self.ctx
            .records
            .update(|list| list.retain(|r| r.entry.id != id));
        Ok(())
    }

    /// Settles a conflict as the volunteer chose; a second tap finds it
    /// settled and changes nothing.
    pub async fn resolve_conflict(self, id: String, how: Resolution) -> Result<(), HoursError> {
        let store = self.store_or_error()?;
        let written = engine::resolve_conflict(&*store, &Browser, &id, how).await?;
        self.ctx.show(&written);
        if !written.is_empty() {
            self.ctx.run_outbox(store, true);
        }
        Ok(())
    }

    /// Joins an organisation's inbox with the coordinator's code and queues
    /// the entries kept on the device for it so far.
    pub async fn join(
        self,
        organisation_id: String,
        endpoint: String,
        code: String,
    ) -> Result<Membership, HoursError> {
        let ctx = self.ctx;
        let store = self.store_or_error()?;
        let Joined { membership, queued } = engine::join(
            &*store,
            &Browser,
            &Browser,
            &organisation_id,
            &endpoint,
            &code,
        )
        .await?;
        ctx.memberships.update(|list| {
            list.retain(|m| m.organisation_id != membership.organisation_id);
            list.push(membership.clone());
        });
        ctx.show(&queued);
        ctx.run_outbox(store, true);
        Ok(membership)
    }

    /// Leaves an organisation's inbox; entries stay on the device.
    pub async fn leave(self, organisation_id: String) -> Result<(), HoursError> {
        let store = self.store_or_error()?;
        engine::leave(&*store, &organisation_id).await?;
        self.ctx
            .memberships
            .update(|list| list.retain(|m| m.organisation_id != organisation_id));
        Ok(())
    }

    /// Shows what a restored backup wrote (the badges module restores it,
    /// `src/badges/backup.rs`): reads the entries and memberships again and
    /// sends what is due.
    pub async fn show_restored(self) {
        let Ok(store) = self.store_or_error() else {
            return;
        };
        self.ctx.reload(&store).await;
        self.ctx.run_outbox(store, true);
    }
}
