//! The app's side of the badge wallet: the verifier worker and the hooks badge pages use.

pub mod verifier;
