//! The badge wallet for components: the badges kept on this device, and adding, checking again and removing them through the verifier worker.
//!
//! The verifier (a separate wasm in a worker, `verifier`) reads and checks
//! a credential; this module keeps what it answered beside the original
//! bytes in the store, so the list and a badge's page are drawn without it.
//! Status lists are fetched here, where the network is, and passed to the
//! verifier, which has neither network nor storage.

pub mod backup;
pub mod module;
pub mod scan;
pub mod share;
pub mod verifier;

use leptos::prelude::*;
use talkoo_core::wallet::{
    AwardToKeep, BadgeFeed, CachedStatusList, Source, VerifyRequest, WalletBadge,
};
use talkoo_store::{Store, StoreError};
use thiserror::Error;

use crate::browser::{now_rfc3339, online};
use crate::storage::use_store;
use verifier::{use_verifier, VerifierError};

/// Why a badge could not be added or checked, in the user's words.
#[derive(Debug, Clone, Error)]
pub enum WalletError {
    /// The verifier could not read it or could not run.
    #[error(transparent)]
    Verifier(#[from] VerifierError),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl WalletError {
    /// The Fluent message id that says this to the user.
    pub fn message_key(&self) -> &'static str {
        match self {
            Self::Verifier(e) => e.message_key(),
            Self::Store(_) => "badges-error-storage",
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct WalletContext {
    badges: RwSignal<Vec<WalletBadge>>,
    loaded: RwSignal<bool>,
    /// Set when the first read starts, so the components of one page that
    /// all ask for the wallet read it once.
    requested: StoredValue<bool>,
    error: RwSignal<Option<StoreError>>,
}

/// The wallet for components.
#[derive(Debug, Clone, Copy)]
pub struct UseWalletReturn {
    /// The badges on this device, newest first.
    pub badges: Signal<Vec<WalletBadge>>,
    /// Whether they have been read from storage.
    pub loaded: Signal<bool>,
    /// Why they could not be read, if storage failed.
    pub error: Signal<Option<StoreError>>,
    ctx: WalletContext,
    checker: Checker,
}

/// What a verification needs from the app, taken when a component sets up
/// (contexts cannot be read after an `await`).
#[derive(Debug, Clone, Copy)]
pub struct Checker {
    verifier: verifier::UseVerifierReturn,
    feed: Signal<BadgeFeed>,
    store: crate::storage::UseStoreReturn,
}

/// The checker hook, for pages that verify without keeping (Check a badge).
pub fn use_checker() -> Checker {
    Checker {
        verifier: use_verifier(),
        feed: module::use_badge_feed(),
        store: use_store(),
    }
}

/// Makes the wallet available; its badges are read when a page first asks.
pub fn provide_wallet() {
    provide_context(WalletContext {
        badges: RwSignal::new(Vec::new()),
        loaded: RwSignal::new(false),
        requested: StoredValue::new(false),
        error: RwSignal::new(None),
    });
}

/// Makes the next [`use_wallet`] read the badges from storage again,
/// keeping those already on the list that storage does not have.
pub fn reread_wallet() {
    if let Some(ctx) = use_context::<WalletContext>() {
        ctx.requested.set_value(false);
    }
}

/// The wallet hook; the first call reads the badges from storage.
pub fn use_wallet() -> UseWalletReturn {
    let ctx = expect_context::<WalletContext>();
    let checker = use_checker();
    if !ctx.requested.get_value() {
        ctx.requested.set_value(true);
        if let Some(store) = checker.store.get() {
            leptos::task::spawn_local(async move {
                match store.badges().await {
                    Ok(mut list) => {
                        // A badge kept while the read was under way (an
                        // award, say) stays on the list.
                        ctx.badges.update(|kept| {
                            kept.retain(|b| list.iter().all(|s| s.id != b.id));
                            list.append(kept);
                            newest_first(&mut list);
                            *kept = list;
                        });
                    }
                    Err(e) => ctx.error.set(Some(e)),
                }
                ctx.loaded.set(true);
            });
        }
    }
    UseWalletReturn {
        badges: ctx.badges.into(),
        loaded: ctx.loaded.into(),
        error: ctx.error.into(),
        ctx,
        checker,
    }
}

fn newest_first(list: &mut [WalletBadge]) {
    list.sort_by(|a, b| b.added_at.cmp(&a.added_at));
}

/// Bytes as standard base64 through the browser's own `btoa`, which takes
/// one character per byte; this keeps a base64 crate out of the shell.
pub fn to_base64(bytes: &[u8]) -> String {
    let binary: String = bytes.iter().map(|&b| char::from(b)).collect();
    window().btoa(&binary).unwrap_or_default()
}

/// Standard base64 back to bytes through the browser's `atob`.
pub fn from_base64(text: &str) -> Vec<u8> {
    window()
        .atob(text)
        .map(|s| s.chars().map(|c| c as u8).collect())
        .unwrap_or_default()
}

impl UseWalletReturn {
    /// The badge with this id, if it is in the wallet.
    pub fn get(self, id: &str) -> Option<WalletBadge> {
        self.badges
            .with(|list| list.iter().find(|b| b.id == id).cloned())
    }

    /// Reads, verifies and keeps a badge; answers its id. The same badge
    /// added again replaces its report and keeps its first date.
    pub async fn add(self, bytes: Vec<u8>, source: Source) -> Result<String, WalletError> {
        let original = to_base64(&bytes);
        let inspection = self.checker.check(original.clone(), true).await?;
        // The store keeps the first `added_at` of a badge added again.
        let badge = WalletBadge {
            id: inspection.id,
            added_at: now_rfc3339(),
            format: inspection.format,
            source,
            original,
            summary: inspection.summary,
            report: Some(inspection.report),
        };
        self.keep(badge).await
    }

    /// Verifies a kept badge again, fetching its status lists first when
    /// online; offline, the cached lists and the date they were fetched are
    /// what the new report says.
    pub async fn recheck(self, id: &str) -> Result<(), WalletError> {
        let Some(mut badge) = self.get(id) else {
            return Ok(());
        };
        let inspection = self.checker.check(badge.original.clone(), true).await?;
        badge.summary = inspection.summary;
        badge.report = Some(inspection.report);
        self.keep(badge).await.map(|_| ())
    }

    /// Removes a badge from this device.
    pub async fn remove(self, id: &str) -> Result<(), WalletError> {
        if let Some(store) = self.checker.store.get() {
            store.delete_badge(id).await?;
        }
        self.ctx.badges.update(|list| list.retain(|b| b.id != id));
        Ok(())
    }

    async fn keep(self, badge: WalletBadge) -> Result<String, WalletError> {
        let badge = match self.checker.store.get() {
            Some(store) => store.add_badge(&badge).await?.unwrap_or(badge),
            None => badge,
        };
        let id = badge.id.clone();
        self.ctx.badges.update(|list| {
            list.retain(|b| b.id != badge.id);
            list.push(badge);
            newest_first(list);
        });
        Ok(id)
    }
}

impl Checker {
    /// Verifies base64 bytes with the trusted issuers of the regions on this
    /// device and the cached status lists, fetching the lists the credential
    /// names first when `refresh` and online. It keeps no badge, so it also
    /// serves the "Check a badge" page.
    pub async fn check(
        self,
        bytes: String,
        refresh: bool,
    ) -> Result<talkoo_core::wallet::Inspection, WalletError> {
        let verifier = self.verifier;
        let trusted = self.feed.with_untracked(|f| f.trusted.clone());
        let store = self.store.get();
        let cached = match &store {
            Some(store) => store.status_lists().await.unwrap_or_default(),
            None => Vec::new(),
        };
        let request = |status_lists: Vec<CachedStatusList>| VerifyRequest {
            bytes: bytes.clone(),
            now: now_rfc3339(),
            trusted: trusted.clone(),
            status_lists,
        };
        let first = verifier.inspect(request(cached.clone())).await?;
        if !refresh || !online() || first.status_urls.is_empty() {
            return Ok(first);
        }
        let mut lists = cached;
        let mut fetched = false;
        for url in &first.status_urls {
            if let Some(list) = fetch_status_list(url).await {
                if let Some(store) = &store {
                    // A list that cannot be cached is still used for this check.
                    let _ = store.put_status_list(&list).await;
                }
                lists.retain(|l| l.url != list.url);
                lists.push(list);
                fetched = true;
            }
        }
        if !fetched {
            return Ok(first);
        }
        Ok(verifier.inspect(request(lists)).await?)
    }
}

/// Fetches a status list; a failure leaves the cached copy in use, and the
/// report says when that was fetched.
async fn fetch_status_list(url: &str) -> Option<CachedStatusList> {
    let response = gloo_net::http::Request::get(url).send().await.ok()?;
    if !response.ok() {
        return None;
    }
    Some(CachedStatusList {
        url: url.to_owned(),
        fetched_at: now_rfc3339(),
        body: response.text().await.ok()?,
    })
}

/// Takes the badge another app shared to Talkoo (Web Share Target), which
/// the service worker kept in its `talkoo-share` cache; once taken it is
/// gone, so a reload does not add it again.
pub async fn take_shared() -> Option<Vec<u8>> {
    crate::files::take_shared("badges/shared")
        .await
        .map(|bytes| bytes.to_vec())
}

/// Takes badges awarded through the hours inboxes into the wallet. Every
/// status answer carries every award of the volunteer's code (the inbox
/// keeps no state per phone), so each `organisation/id` is verified and
/// kept once and remembered in the settings; one that the verifier could
/// not start for is tried again after the next poll.
pub async fn receive_awards(wallet: UseWalletReturn, awards: Vec<AwardToKeep>) {
    let Some(store) = wallet.checker.store.get() else {
        return;
    };
    let mut seen: Vec<String> = store
        .get_setting(talkoo_store::keys::AWARDS_RECEIVED)
        .await
        .ok()
        .flatten()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default();
    let before = seen.len();
    for award in awards {
        if seen.contains(&award.key) {
            continue;
        }
        match wallet.add(award.jwt.into_bytes(), Source::Inbox).await {
            Ok(_) | Err(WalletError::Verifier(VerifierError::NotABadge { .. })) => {
                seen.push(award.key)
            }
            Err(e) => leptos::logging::warn!("an awarded badge waits: {e}"),
        }
    }
    if seen.len() > before {
        if let Ok(text) = serde_json::to_string(&seen) {
            let _ = store
                .put_setting(talkoo_store::keys::AWARDS_RECEIVED, &text)
                .await;
        }
    }
}

/// The wallet's handle without reading the badges yet (the list is read
/// when a badge page first asks).
pub(crate) fn use_wallet_lazily() -> UseWalletReturn {
    let ctx = expect_context::<WalletContext>();
    UseWalletReturn {
        badges: ctx.badges.into(),
        loaded: ctx.loaded.into(),
        error: ctx.error.into(),
        ctx,
        checker: use_checker(),
    }
}
