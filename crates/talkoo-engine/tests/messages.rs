//! Every error the engine can report has its plain-words sentence in every language.
#![cfg(not(target_arch = "wasm32"))]

use talkoo_core::feed::FeedError;
use talkoo_core::i18n::catalogue_report;
use talkoo_core::pinning::Refusal;
use talkoo_core::Lang;
use talkoo_engine::hours::HoursError;
use talkoo_engine::import::ImportError;
use talkoo_engine::outbox::InboxProblem;
use talkoo_engine::sync::SyncError;
use talkoo_engine::FetchError;
use talkoo_store::StoreError;

#[test]
fn every_error_has_a_message_in_every_language() {
    let store = || StoreError::Backend("x".into());
    let timed_out = talkoo_engine::worker::SyncFailure::start_timed_out();
    let keys = [
        SyncError::Network(FetchError::Offline).message_key(),
        SyncError::Network(FetchError::TimedOut(1)).message_key(),
        SyncError::Http {
            file: "f".into(),
            status: 500,
        }
        .message_key(),
        SyncError::Feed(FeedError::UnsupportedVersion {
            file: "f".into(),
            found: "9.0".into(),
        })
        .message_key(),
        SyncError::Feed(FeedError::Json {
            file: "f".into(),
            message: "m".into(),
        })
        .message_key(),
        SyncError::Store(store()).message_key(),
        SyncError::Signature(Refusal::Unsigned).message_key(),
        SyncError::Signature(Refusal::UnknownKey).message_key(),
        SyncError::Signature(Refusal::BadSignature("k".into())).message_key(),
        SyncError::Signature(Refusal::Malformed("m".into())).message_key(),
        SyncError::CannotVerify(FetchError::Failed("NotSupportedError".into())).message_key(),
        SyncError::Signature(Refusal::NothingPinned).message_key(),
        talkoo_engine::worker::SyncFailure::WORKER,
        timed_out.message_key(),
        ImportError::Refused(talkoo_core::import::Refusal::NoCompleteRegion).message_key(),
        ImportError::Refused(talkoo_core::import::Refusal::Older).message_key(),
        ImportError::Sync(SyncError::Signature(Refusal::NothingPinned)).message_key(),
        ImportError::Sync(SyncError::Signature(Refusal::Unsigned)).message_key(),
        ImportError::Sync(SyncError::CannotVerify(FetchError::Offline)).message_key(),
        ImportError::Sync(SyncError::Feed(FeedError::UnsupportedVersion {
            file: "f".into(),
            found: "9.0".into(),
        }))
        .message_key(),
        ImportError::Sync(SyncError::Feed(FeedError::Json {
            file: "f".into(),
            message: "m".into(),
        }))
        .message_key(),
        ImportError::Sync(SyncError::Store(store())).message_key(),
        HoursError::Store(store()).message_key(),
        HoursError::NotEditable.message_key(),
        HoursError::Missing.message_key(),
        HoursError::Invalid(Vec::new()).message_key(),
        HoursError::Offline.message_key(),
        HoursError::UnknownCode.message_key(),
        HoursError::WrongOrganisation("o".into()).message_key(),
        HoursError::Insecure("i".into()).message_key(),
        HoursError::Network("n".into()).message_key(),
        InboxProblem::Unreachable(FetchError::Offline).message_key(),
        InboxProblem::Unreachable(FetchError::TimedOut(1)).message_key(),
        InboxProblem::Http(500).message_key(),
        InboxProblem::Unauthorized.message_key(),
        InboxProblem::Busy { until_ms: 0 }.message_key(),
        InboxProblem::Insecure("i".into()).message_key(),
        InboxProblem::BadAnswer.message_key(),
    ];
    for lang in Lang::ALL {
        let (ids, _) = catalogue_report(lang);
        for key in keys {
            assert!(ids.contains(key), "{}: {key}", lang.tag());
        }
    }
}
