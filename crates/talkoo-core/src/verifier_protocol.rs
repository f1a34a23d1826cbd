//! The messages between the page and the verifier worker, defined once so both sides read and write the same JSON.
//!
//! The verifier (`talkoo-verifier`, which links `talkoo-badges`) runs in a
//! Web Worker of its own so that its size never reaches the first-load
//! shell; the app cannot depend on it, so the shapes it exchanges with the
//! app live here. Every message is one JSON string: strings cross
//! `postMessage` without a serialiser on either side.
//!
//! - page to worker: `{"id": 1, "request": VerifyRequest}`;
//! - worker to page: `{"ready": true}` once it listens (a message posted
//!   before that would be lost), then `{"id": 1, "ok": Inspection}` or
//!   `{"id": 1, "error": "not-a-badge"}` per request.

use serde::{Deserialize, Serialize};

use crate::wallet::{Inspection, VerifyRequest};

/// The error code for a message the worker could not read as a request; a
/// fault of the page, never of the badge.
pub const BAD_REQUEST: &str = "bad-request";

/// One request from the page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToVerifier {
    /// Chosen by the page to match the answer to its request.
    pub id: u32,
    /// What to verify.
    pub request: VerifyRequest,
}

/// One message from the worker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FromVerifier {
    /// The answer to the request with this id.
    Answer {
        /// The request's id.
        id: u32,
        /// What the verifier found.
        #[serde(flatten)]
        outcome: Outcome,
    },
    /// The worker has started and listens for requests.
    Ready {
        /// Always `true`; present so the message is not an empty object.
        ready: bool,
    },
}

/// The result of one request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The bytes were read as a credential and checked.
    Ok(Box<Inspection>),
    /// The bytes could not be read as a credential, or the request was not
    /// understood: a stable code such as `not-a-badge` or [`BAD_REQUEST`].
    Error(String),
}

impl FromVerifier {
    /// The worker's first message.
    pub fn ready() -> Self {
        FromVerifier::Ready { ready: true }
    }

    /// The message as the JSON string that is posted.
    pub fn to_json(&self) -> String {
        // Serialising these plain structs cannot fail: every map key is a
        // string and no value is a float that JSON cannot hold.
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wallet::{BadgeSummary, Format, Report};

    fn inspection() -> Inspection {
        Inspection {
            id: "ab".into(),
            format: Format::VcJwt,
            summary: BadgeSummary {
                issuer_id: "did:example:1".into(),
                ..BadgeSummary::default()
            },
            report: Report::new(Vec::new(), "2026-12-03T08:00:00Z".into(), None),
            status_urls: Vec::new(),
        }
    }

    fn check(message: FromVerifier, expected: serde_json::Value) {
        let json = message.to_json();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value, expected, "{json}");
        let back: FromVerifier = serde_json::from_str(&json).unwrap();
        assert_eq!(back, message);
    }

    #[test]
    fn messages_from_the_worker_have_the_documented_shape() {
        check(FromVerifier::ready(), serde_json::json!({ "ready": true }));
        check(
            FromVerifier::Answer {
                id: 7,
                outcome: Outcome::Error("not-a-badge".into()),
            },
            serde_json::json!({ "id": 7, "error": "not-a-badge" }),
        );
        let ok = serde_json::to_value(inspection()).unwrap();
        check(
            FromVerifier::Answer {
                id: 8,
                outcome: Outcome::Ok(Box::new(inspection())),
            },
            serde_json::json!({ "id": 8, "ok": ok }),
        );
    }
}
