//! The browser platform for the app's modules, from `talkoo-web`, which the sync worker shares.

pub use talkoo_web::*;
