//! The pure core of Talkoo: rules and text that run and are tested natively, with no browser, UI or storage dependency.
//!
//! Everything here takes time, randomness and input as arguments so that the
//! same logic runs in the browser and in `cargo test` on the host.

pub mod achievement;
pub mod case;
pub mod catalogue;
pub mod collate;
pub mod datefmt;
pub mod endpoint;
pub mod export;
pub mod feed;
pub mod hours;
pub mod html;
pub mod i18n;
pub mod ics;
pub mod import;
pub mod install;
pub mod kiosk;
pub mod lang_map;
pub mod model;
pub mod nav;
pub mod pinning;
pub mod search;
pub mod snapshot;
pub mod storage_status;
pub mod sync;
pub mod take_away;
pub mod time;
pub mod tree;
pub mod update;
pub mod verifier_protocol;
pub mod wallet;

pub use i18n::{t, t_args, Lang};
