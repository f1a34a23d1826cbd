//! TEMPORARY stand-in for the verifier hook (helper K writes the real one); replaced at merge.

use leptos::prelude::*;
use talkoo_core::catalogue::Catalogue;
use talkoo_core::wallet::{Inspection, TrustedIssuer, VerifyRequest};

#[derive(Debug, Clone, thiserror::Error)]
pub enum VerifierError {
    #[error("not a badge")]
    NotABadge,
}

impl VerifierError {
    pub fn message_key(&self) -> &'static str {
        "badge-check-not-a-badge"
    }
}

#[derive(Debug, Clone, Copy)]
pub struct UseVerifierReturn;

pub fn use_verifier() -> UseVerifierReturn {
    UseVerifierReturn
}

impl UseVerifierReturn {
    pub async fn inspect(self, _r: VerifyRequest) -> Result<Inspection, VerifierError> {
        Err(VerifierError::NotABadge)
    }
}

pub fn trusted_issuers(_c: &Catalogue) -> Vec<TrustedIssuer> {
    let _ = use_context::<()>();
    Vec::new()
}

use talkoo_core::wallet::{CachedStatusList, WalletBadge};
use talkoo_store::idb::IdbStore;
use talkoo_store::StoreError;

#[allow(missing_docs)]
pub trait TempWallet {
    async fn badges(&self) -> Result<Vec<WalletBadge>, StoreError>;
    async fn put_badge(&self, b: &WalletBadge) -> Result<(), StoreError>;
    async fn delete_badge(&self, id: &str) -> Result<(), StoreError>;
    async fn status_lists(&self) -> Result<Vec<CachedStatusList>, StoreError>;
    async fn put_status_list(&self, l: &CachedStatusList) -> Result<(), StoreError>;
}
impl TempWallet for IdbStore {
    async fn badges(&self) -> Result<Vec<WalletBadge>, StoreError> {
        Ok(Vec::new())
    }
    async fn put_badge(&self, _b: &WalletBadge) -> Result<(), StoreError> {
        Ok(())
    }
    async fn delete_badge(&self, _id: &str) -> Result<(), StoreError> {
        Ok(())
    }
    async fn status_lists(&self) -> Result<Vec<CachedStatusList>, StoreError> {
        Ok(Vec::new())
    }
    async fn put_status_list(&self, _l: &CachedStatusList) -> Result<(), StoreError> {
        Ok(())
    }
}
