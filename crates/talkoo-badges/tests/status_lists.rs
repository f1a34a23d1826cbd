//! A status list is believed only when it is signed by the badge's issuer and in force: each case is a cached list, made with the issuing code and then changed the way a forger or a careless publisher would, and the status check and report level it must give.
//!
//! A list that fails must never turn a badge "revoked", nor let it pass as
//! "not revoked": the badge's status is then unknown, a warning.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::{json, Value};
use talkoo_badges::issue::{self, Award, Issuer, StatusSpec};
use talkoo_badges::{inspect, jwt, status};
use talkoo_core::lang_map::LangMap;
use talkoo_core::wallet::{CachedStatusList, Level, TrustedIssuer, TrustedKey, VerifyRequest};

const NOW: &str = "2026-12-03T10:00:00Z";
const SIGNED_AT: &str = "2026-11-01T00:00:00Z";
const BITSTRING: &str = "https://feed.example/status/1";
const REVOCATIONS: &str = "https://feed.example/revocations";
const CREDENTIAL_ID: &str = "urn:uuid:00000000-0000-4000-8000-000000000001";
/// The badge's bit in the bitstring list.
const INDEX: usize = 42;

fn kajastus() -> Issuer {
    Issuer::from_seed([1; 32], "Kajastus ry")
}

fn stranger() -> Issuer {
    Issuer::from_seed([9; 32], "Joku muu")
}

fn trusted(issuer: &Issuer) -> TrustedIssuer {
    TrustedIssuer {
        id: issuer.did(),
        name: LangMap::new(),
        region: "kainuu".into(),
        keys: vec![TrustedKey {
            id: issuer.method(),
            jwk: issuer.public_jwk(),
        }],
    }
}

/// Kajastus's badge (a VC-JWT) pointing into the list of `kind`.
fn badge(kind: Kind) -> String {
    let achievement = json!({
        "id": "https://feed.example/achievements/first-aid",
        "type": ["Achievement"],
        "name": "Ensiapu",
        "description": "Osaa antaa ensiapua.",
        "criteria": {"narrative": "Ensiapukurssi käyty."}
    });
    let status = match kind {
        Kind::Bitstring => StatusSpec::Bitstring {
            url: BITSTRING.into(),
            index: INDEX,
        },
        Kind::Revocations => StatusSpec::RevocationList {
            url: REVOCATIONS.into(),
        },
    };
    let unsigned = issue::credential(
        &kajastus(),
        &Award {
            achievement: &achievement,
            credential_id: CREDENTIAL_ID,
            recipient_name: Some("Aino Virtanen"),
            recipient_email: None,
            salt: "pepper",
            now: "2026-06-01T12:00:00Z",
            status: Some(status),
        },
    )
    .unwrap();
    issue::sign_jwt(&kajastus(), &unsigned)
}

#[derive(Clone, Copy, Debug)]
enum Kind {
    Bitstring,
    Revocations,
}

/// An unsigned list of `kind` by `issuer`, with the badge revoked or not.
fn list(kind: Kind, issuer: &str, revoked: bool) -> Value {
    match kind {
        Kind::Bitstring => {
            let mut list = status::new_bitstring_list(BITSTRING, issuer, SIGNED_AT);
            if revoked {
                let entry = status::Entry::Bitstring {
                    url: BITSTRING.into(),
                    index: INDEX,
                    purpose: "revocation".into(),
                };
                status::revoke(&mut list, &entry, None).unwrap();
            }
            list
        }
        Kind::Revocations => {
            let mut list = status::new_revocation_list(REVOCATIONS, issuer);
            if revoked {
                let entry = status::Entry::RevocationList {
                    url: REVOCATIONS.into(),
                };
                status::revoke(&mut list, &entry, Some(CREDENTIAL_ID)).unwrap();
            }
            list
        }
    }
}

fn signed(by: &Issuer, list: &Value) -> String {
    issue::sign_status_list(by, list, SIGNED_AT).unwrap()
}

/// A signed list (DI JSON) whose bit was flipped after signing.
fn flipped_after_signing(kind: Kind) -> String {
    let body = signed(&kajastus(), &list(kind, &kajastus().did(), false));
    let mut doc: Value = serde_json::from_str(&body).unwrap();
    doc["credentialSubject"]["encodedList"] =
        list(kind, &kajastus().did(), true)["credentialSubject"]["encodedList"].clone();
    doc.to_string()
}

/// A VC-JWT list whose payload was replaced after signing.
fn jwt_payload_replaced(kind: Kind) -> String {
    let body = signed(&kajastus(), &list(kind, &kajastus().did(), false));
    let forged = issue::sign_jwt(&stranger(), &list(kind, &kajastus().did(), true));
    let parts: Vec<&str> = body.split('.').collect();
    let forged_payload = forged.split('.').nth(1).unwrap();
    format!("{}.{forged_payload}.{}", parts[0], parts[2])
}

/// The list as an unsecured JWT (`alg: none`).
fn jwt_alg_none(list: &Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(json!({"alg": "none"}).to_string());
    let payload = URL_SAFE_NO_PAD.encode(json!({"vc": list}).to_string());
    format!("{header}.{payload}.")
}

/// The bitstring list with the badge revoked, valid from `from` (and until
/// `until`), signed by Kajastus.
fn with_dates(kind: Kind, from: &str, until: Option<&str>) -> String {
    let mut l = list(kind, &kajastus().did(), true);
    l["validFrom"] = from.into();
    if let Some(until) = until {
        l["validUntil"] = until.into();
    }
    signed(&kajastus(), &l)
}

/// Verifies the badge of `kind` with the one cached list `body` and
/// asserts its status check and the report's level.
fn check(
    name: &str,
    kind: Kind,
    body: String,
    trusted: Vec<TrustedIssuer>,
    code: &str,
    level: Level,
) {
    let url = match kind {
        Kind::Bitstring => BITSTRING,
        Kind::Revocations => REVOCATIONS,
    };
    let got = inspect(&VerifyRequest {
        bytes: STANDARD.encode(badge(kind)),
        now: NOW.into(),
        trusted,
        status_lists: vec![CachedStatusList {
            url: url.into(),
            fetched_at: "2026-12-02T08:00:00Z".into(),
            body,
        }],
    })
    .unwrap();
    let status: Vec<&str> = got
        .report
        .checks
        .iter()
        .filter(|c| c.code.starts_with("status"))
        .map(|c| c.code.as_str())
        .collect();
    assert_eq!(status, [code], "{name}: {:#?}", got.report);
    assert_eq!(got.report.level, level, "{name}: {:#?}", got.report);
    // Only a list that was used dates the report's status.
    let used = matches!(code, "status-valid" | "status-revoked");
    assert_eq!(
        got.report.status_checked_at.is_some(),
        used,
        "{name}: {:#?}",
        got.report
    );
}

/// A case: its name, the badge's kind of list, the cached list, the
/// trusted issuers, and the status code and report level it must give.
type Case = (
    &'static str,
    Kind,
    String,
    Vec<TrustedIssuer>,
    &'static str,
    Level,
);

#[test]
fn a_signed_list_decides_and_any_other_list_is_a_warning() {
    use Kind::{Bitstring as B, Revocations as R};
    use Level::{Invalid, Valid, Warning};
    let k = kajastus();
    let kd = k.did();
    let t = || vec![trusted(&kajastus())];
    #[rustfmt::skip]
    let cases: Vec<Case> = vec![
        // Signed by the issuer: the bit or the id decides.
        ("bitstring, signed, not revoked", B, signed(&k, &list(B, &kd, false)), t(), "status-valid", Valid),
        ("bitstring, signed, revoked", B, signed(&k, &list(B, &kd, true)), t(), "status-revoked", Invalid),
        ("bitstring as a VC-JWT, revoked", B, issue::sign_jwt(&k, &list(B, &kd, true)), t(), "status-revoked", Invalid),
        ("revocation list (VC-JWT), not revoked", R, signed(&k, &list(R, &kd, false)), t(), "status-valid", Valid),
        ("revocation list (VC-JWT), revoked", R, signed(&k, &list(R, &kd, true)), t(), "status-revoked", Invalid),
        // A did:key issuer is its own key: no trusted issuer needed.
        ("bitstring, signed, issuer not trusted", B, signed(&k, &list(B, &kd, true)), vec![], "status-revoked", Invalid),
        // Tampered after signing.
        ("bitstring, bit set after signing", B, flipped_after_signing(B), t(), "status-list-unverified", Warning),
        ("revocation list, payload replaced", R, jwt_payload_replaced(R), t(), "status-list-unverified", Warning),
        // Not signed at all, whatever it says.
        ("bitstring, unsigned, revoked", B, list(B, &kd, true).to_string(), t(), "status-list-unsigned", Warning),
        ("bitstring, unsigned, not revoked", B, list(B, &kd, false).to_string(), t(), "status-list-unsigned", Warning),
        ("revocation list, unsigned, revoked", R, list(R, &kd, true).to_string(), t(), "status-list-unsigned", Warning),
        ("revocation list, alg none", R, jwt_alg_none(&list(R, &kd, true)), t(), "status-list-unsigned", Warning),
        // Signed, naming the badge's issuer, but with someone else's key.
        ("bitstring, signed by another key", B, signed(&stranger(), &list(B, &kd, true)), t(), "status-list-key-mismatch", Warning),
        ("revocation list, signed by another key", R, signed(&stranger(), &list(R, &kd, true)), t(), "status-list-key-mismatch", Warning),
        // Another issuer's own list: as before, not used.
        ("bitstring of another issuer", B, signed(&stranger(), &list(B, &stranger().did(), true)), t(), "status-list-issuer-mismatch", Warning),
        ("revocation list of another issuer", R, signed(&stranger(), &list(R, &stranger().did(), true)), t(), "status-list-issuer-mismatch", Warning),
        // Out of its dates.
        ("bitstring, expired", B, with_dates(B, SIGNED_AT, Some("2026-12-01T00:00:00Z")), t(), "status-list-expired", Warning),
        ("bitstring, valid until later", B, with_dates(B, SIGNED_AT, Some("2027-01-01T00:00:00Z")), t(), "status-revoked", Invalid),
        ("bitstring, not yet valid", B, with_dates(B, "2026-12-24T00:00:00Z", None), t(), "status-list-not-yet-valid", Warning),
        ("bitstring, validUntil not a date", B, with_dates(B, SIGNED_AT, Some("soon")), t(), "status-list-malformed", Warning),
    ];
    for (name, kind, body, trusted, code, level) in cases {
        check(name, kind, body, trusted, code, level);
    }
}

#[test]
fn a_list_key_published_online_only_is_not_found() {
    // The list names a key under an https address that no trusted issuer
    // lists: it cannot be checked offline.
    let mut l = list(Kind::Bitstring, &kajastus().did(), true);
    let body = signed(&kajastus(), &l);
    let mut doc: Value = serde_json::from_str(&body).unwrap();
    doc["proof"]["verificationMethod"] = "https://feed.example/keys#1".into();
    check(
        "online key",
        Kind::Bitstring,
        doc.to_string(),
        vec![trusted(&kajastus())],
        "status-list-key-not-found",
        Level::Warning,
    );
    // A JWT list naming no key at all falls back to the did:key issuer.
    l.as_object_mut().unwrap().remove("validFrom");
    let token = issue::sign_jwt(&kajastus(), &l);
    let header = URL_SAFE_NO_PAD.encode(json!({"alg": "EdDSA"}).to_string());
    let rest = token.split_once('.').unwrap().1;
    let headerless = format!("{header}.{rest}");
    assert!(jwt::looks_like(&headerless));
    // Its signature covered the old header, so it no longer matches.
    check(
        "header replaced",
        Kind::Bitstring,
        headerless,
        vec![trusted(&kajastus())],
        "status-list-unverified",
        Level::Warning,
    );
}
