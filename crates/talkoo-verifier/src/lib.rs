//! The verifier worker's message handling: a request in, an answer out, both JSON strings (see `talkoo_core::verifier_protocol`).
//!
//! Kept apart from the worker's event loop (`main.rs`) so it is tested
//! natively; the worker only moves strings between `postMessage` and
//! [`answer`].

use serde::Deserialize;
use talkoo_badges::ReadError;
use talkoo_core::verifier_protocol::{FromVerifier, ToVerifier, BAD_REQUEST};

/// The stable code of a read error, which the page translates as
/// `badge-check-<code>`. Every variant needs its own code, so a new one
/// fails to compile here until it has one.
pub fn code(error: &ReadError) -> &'static str {
    match error {
        ReadError::NotABadge => "not-a-badge",
        ReadError::Png(_) => "png-damaged",
        ReadError::Svg(_) => "svg-malformed",
        ReadError::NotBaked => "not-baked",
        ReadError::Jwt(_) => "jwt-malformed",
        ReadError::NotACredential => "not-a-credential",
        ReadError::HostedOnly(_) => "hosted-only",
    }
}

/// Answers one message from the page: its request verified, or the error's
/// code. A message that is not a request is answered with [`BAD_REQUEST`]
/// under its id if it has one (id 0 otherwise), so the page is never left
/// waiting by a request it sent.
pub fn answer(message: &str) -> String {
    let reply = match serde_json::from_str::<ToVerifier>(message) {
        Ok(request) => FromVerifier::answer(
            request.id,
            talkoo_badges::inspect(&request.request).map_err(|e| code(&e).to_owned()),
        ),
        Err(_) => FromVerifier::answer(id_of(message), Err(BAD_REQUEST.to_owned())),
    };
    reply.to_json()
}

/// The `id` of a message whose request could not be read.
fn id_of(message: &str) -> u32 {
    #[derive(Deserialize)]
    struct Id {
        id: u32,
    }
    serde_json::from_str::<Id>(message).map_or(0, |m| m.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(message: &str, expected: serde_json::Value) {
        let reply: serde_json::Value = serde_json::from_str(&answer(message)).unwrap();
        assert_eq!(reply, expected, "{message}");
    }

    #[test]
    fn each_message_is_answered_under_its_id() {
        let request = |bytes: &str| {
            serde_json::json!({
                "id": 3,
                "request": {
                    "bytes": bytes,
                    "now": "2026-12-03T08:00:00Z",
                    "trusted": [],
                    "status_lists": [],
                },
            })
            .to_string()
        };
        // "hello" in base64: text that is no credential.
        check(
            &request("aGVsbG8="),
            serde_json::json!({ "id": 3, "error": "not-a-badge" }),
        );
        check(
            r#"{"id": 4, "request": {"bytes": 1}}"#,
            serde_json::json!({ "id": 4, "error": "bad-request" }),
        );
        check(
            "not json",
            serde_json::json!({ "id": 0, "error": "bad-request" }),
        );
    }

    /// Every code the verifier can answer with: the checks tabled in
    /// `talkoo_badges::verify`'s documentation and the read errors.
    fn every_code() -> Vec<String> {
        let table = include_str!("../../talkoo-badges/src/verify.rs");
        let mut codes: Vec<String> = table
            .lines()
            .filter_map(|line| line.strip_prefix("//! | `")?.split_once('`'))
            .map(|(code, _)| code.to_owned())
            .collect();
        let png = talkoo_badges::read::read(b"\x89PNG\r\n\x1a\nbroken").expect_err("a damaged PNG");
        for error in [
            ReadError::NotABadge,
            png,
            ReadError::NotBaked,
            ReadError::NotACredential,
            ReadError::HostedOnly("https://example.org/a".into()),
        ] {
            codes.push(code(&error).to_owned());
        }
        codes.extend(["svg-malformed", "jwt-malformed"].map(str::to_owned));
        codes
    }

    #[test]
    fn every_code_has_a_message_in_every_language() {
        let codes = every_code();
        assert!(codes.len() > 40, "the table was read: {codes:?}");
        for lang in talkoo_core::Lang::ALL {
            for code in &codes {
                let key = format!("badge-check-{code}");
                assert!(
                    talkoo_core::i18n::has(lang, &key),
                    "{key} is missing in {lang:?}"
                );
            }
        }
    }
}
