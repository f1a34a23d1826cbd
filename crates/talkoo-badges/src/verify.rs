//! The Open Badges 3.0 verification steps in order (structure, proof, issuer, validity, status, recipient), each giving checks with stable codes, and the summary the wallet shows.
//!
//! Every check has a kebab-case code; the UI shows it as the Fluent message
//! `badge-check-<code>` with the check's arguments. Codes never change
//! meaning; a new finding gets a new code.
//!
//! A cached status list decides a badge's status only when it is the
//! issuer's own (same issuer id), signed (an embedded Data Integrity proof
//! or a VC-JWT, checked like a badge's, keys found the same way: did:key
//! offline, otherwise the trusted issuers' keys) with a key of the badge's
//! issuer (the badge's own signing key, the issuer's did:key or a trusted
//! issuer's published key), and within its validity dates. Any other list
//! is a warning that revocation was not checked: as a wallet must not
//! believe a forged list that says "revoked", it must not believe one that
//! says "not revoked" either.
//!
//! | code | level | step | meaning (arguments) |
//! | --- | --- | --- | --- |
//! | `structure-valid` | valid | structure | all required fields are there |
//! | `structure-missing-context` | not valid | structure | `@context` lacks the VC or OB context (`context`) |
//! | `structure-missing-type` | not valid | structure | `type` lacks a required type (`type`) |
//! | `structure-missing-issuer` | not valid | structure | no issuer id |
//! | `structure-missing-subject` | not valid | structure | no `credentialSubject` (OB 2.0: `recipient`) |
//! | `structure-missing-achievement` | not valid | structure | no achievement (OB 2.0: `badge`) |
//! | `structure-missing-valid-from` | not valid | structure | no `validFrom`/`issuanceDate` (OB 2.0: `issuedOn`) |
//! | `proof-valid` | valid | proof | the signature matches (`method`, `suite`) |
//! | `no-proof` | not valid | proof | neither a JWT nor an embedded proof |
//! | `proof-signature-mismatch` | not valid | proof | the signature does not match: altered or forged |
//! | `proof-algorithm-refused` | not valid | proof | a JWT with `none`, `HS256` or another refused algorithm (`alg`) |
//! | `proof-key-unusable` | not valid | proof | the named key is malformed, cannot be resolved by anyone (no scheme, unknown DID method) or does not fit the algorithm (`key`) |
//! | `proof-key-not-found` | warning | proof | the key is published online only and no trusted issuer has it (`key`) |
//! | `proof-claims-mismatch` | not valid | proof | a JWT claim disagrees with the credential (`claim`, `value`) |
//! | `proof-unsupported` | not valid | proof | a proof type this verifier cannot check (`detail`) |
//! | `proof-invalid` | not valid | proof | the embedded proof failed for another reason (`detail`) |
//! | `proof-hosted` | warning | proof | an OB 2.0 hosted assertion: can be checked when online (`url`) |
//! | `issuer-known` | valid | issuer | issuer id and key belong to a trusted issuer (`issuer`, `name`, `name-<lang>`, `region`) |
//! | `issuer-unknown` | warning | issuer | the signature is valid but the issuer is not known in the user's regions (`issuer`, `name`) |
//! | `issuer-key-mismatch` | not valid | issuer | the key is not the issuer's: not its did:key, or not among a trusted issuer's keys (`issuer`) |
//! | `issuer-not-checked` | warning | issuer | no verified key, so who issued it is not known (`issuer`) |
//! | `validity-valid` | valid | validity | valid now (`from`, `until`) |
//! | `validity-not-yet-valid` | not valid | validity | valid only from a later date (`date`) |
//! | `validity-expired` | not valid | validity | expired (`date`) |
//! | `validity-bad-date` | not valid | validity | a date is not an RFC 3339 date-time (`field`) |
//! | `status-none` | valid | status | the credential has no status list: it cannot be revoked |
//! | `status-valid` | valid | status | not revoked in the list fetched at `fetched` (`url`, `fetched`) |
//! | `status-revoked` | not valid | status | revoked in the list fetched at `fetched` (`url`, `fetched`) |
//! | `status-suspended` | not valid | status | suspended (or another set purpose) in the list fetched at `fetched` (`url`, `fetched`, `purpose`) |
//! | `status-not-checked` | warning | status | the list has not been fetched yet (`url`) |
//! | `status-unsupported` | warning | status | a status method this verifier does not know (`detail`) |
//! | `status-list-malformed` | warning | status | the cached list could not be read (`url`, `detail`) |
//! | `status-list-issuer-mismatch` | warning | status | the cached list was issued by someone else (`url`, `issuer`) |
//! | `status-list-unsigned` | warning | status | the cached list carries no signature, so it was not used: revocation not checked (`url`) |
//! | `status-list-unverified` | warning | status | the list's signature does not match or cannot be checked, so it was not used: revocation not checked (`url`, `detail`) |
//! | `status-list-key-not-found` | warning | status | the list's key is published online only and no trusted issuer has it: revocation not checked (`url`, `key`) |
//! | `status-list-key-mismatch` | warning | status | the list is signed, but not by a key of the badge's issuer: revocation not checked (`url`) |
//! | `status-list-expired` | warning | status | the list's `validUntil` has passed: revocation not checked (`url`, `date`) |
//! | `status-list-not-yet-valid` | warning | status | the list is valid only from a later date: revocation not checked (`url`, `date`) |
//! | `recipient-id` | valid | recipient | the subject is identified by an id such as a DID (`id`) |
//! | `recipient-identity` | valid | recipient | identified by a plain identity (`type`, `identity`) |
//! | `recipient-hashed` | valid | recipient | identified by a salted hash of an identity, which stays hashed (`type`) |
//! | `recipient-none` | warning | recipient | the credential does not say whom it was issued to |

use serde_json::Value;
use talkoo_core::lang_map::LangMap;
use talkoo_core::wallet::{
    BadgeSummary, CachedStatusList, Check, CheckKind, Evidence, Level, Report, Skill, TrustedIssuer,
};

use crate::dates;
use crate::di::{self, DiError};
use crate::jwt::VerifyError;
use crate::keys::{self, KeyError, KeySource, PublicKey};
use crate::read::{contexts, types, Credential};
use crate::status::{self, Entry};

/// The VC data model contexts, v1 and v2.
const VC_CONTEXTS: [&str; 2] = [
    "https://www.w3.org/2018/credentials/v1",
    "https://www.w3.org/ns/credentials/v2",
];

/// Everything the checks need besides the credential.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// Now, RFC 3339.
    pub now: &'a str,
    /// The user's trusted issuers.
    pub trusted: &'a [TrustedIssuer],
    /// Status lists fetched earlier.
    pub status_lists: &'a [CachedStatusList],
}

/// All checks and the status lists the credential refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The report.
    pub report: Report,
    /// Status list addresses, to fetch when online.
    pub status_urls: Vec<String>,
}

fn check(kind: CheckKind, level: Level, code: &str, args: &[(&str, &str)]) -> Check {
    Check {
        kind,
        level,
        code: code.to_owned(),
        args: args
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    }
}

fn text<'a>(v: &'a Value, name: &str) -> Option<&'a str> {
    v.get(name).and_then(Value::as_str)
}

/// The issuer's id: `issuer` as a string or its `id` (OB 2.0: `badge.issuer`
/// when embedded, as a string or object).
pub fn issuer_id(cred: &Credential) -> Option<String> {
    let node = if cred.ob2 {
        cred.body.get("badge").and_then(|b| b.get("issuer"))
    } else {
        cred.body.get("issuer")
    }?;
    match node {
        Value::String(s) => Some(s.clone()),
        other => text(other, "id").map(str::to_owned),
    }
}

/// Runs every check on a credential that has been read.
pub fn verify(cred: &Credential, ctx: Context<'_>) -> Outcome {
    let mut checks = structure(cred);
    let issuer = issuer_id(cred);
    let signer = proof(cred, issuer.as_deref(), ctx.trusted, &mut checks);
    checks.push(issuer_check(
        cred,
        issuer.as_deref(),
        signer.as_ref(),
        ctx.trusted,
    ));
    checks.extend(validity(cred, ctx.now));
    let (status_checks, status_urls, fetched) =
        status_check(cred, issuer.as_deref(), signer.as_ref(), &ctx);
    checks.extend(status_checks);
    checks.push(recipient(cred));
    Outcome {
        report: Report::new(checks, ctx.now.to_owned(), fetched),
        status_urls,
    }
}

fn structure(cred: &Credential) -> Vec<Check> {
    use CheckKind::Structure as S;
    let body = &cred.body;
    let missing = |code: &str, args: &[(&str, &str)]| check(S, Level::Invalid, code, args);
    let mut out = Vec::new();
    let ctxs = contexts(body);
    let tys = types(body);
    if cred.ob2 {
        if !ctxs
            .iter()
            .any(|c| c.starts_with("https://w3id.org/openbadges/v2"))
        {
            out.push(missing(
                "structure-missing-context",
                &[("context", "https://w3id.org/openbadges/v2")],
            ));
        }
        if !tys.contains(&"Assertion") {
            out.push(missing("structure-missing-type", &[("type", "Assertion")]));
        }
        if body.get("recipient").is_none() {
            out.push(missing("structure-missing-subject", &[]));
        }
        if body.get("badge").is_none() {
            out.push(missing("structure-missing-achievement", &[]));
        }
        if text(body, "issuedOn").is_none() {
            out.push(missing("structure-missing-valid-from", &[]));
        }
    } else {
        if !ctxs.iter().any(|c| VC_CONTEXTS.contains(c)) {
            out.push(missing(
                "structure-missing-context",
                &[("context", VC_CONTEXTS[1])],
            ));
        }
        if !ctxs.iter().any(|c| is_ob3_context(c)) {
            out.push(missing(
                "structure-missing-context",
                &[(
                    "context",
                    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
                )],
            ));
        }
        if !tys.contains(&"VerifiableCredential") {
            out.push(missing(
                "structure-missing-type",
                &[("type", "VerifiableCredential")],
            ));
        }
        if !tys
            .iter()
            .any(|t| matches!(*t, "OpenBadgeCredential" | "AchievementCredential"))
        {
            out.push(missing(
                "structure-missing-type",
                &[("type", "OpenBadgeCredential")],
            ));
        }
        if issuer_id(cred).is_none() {
            out.push(missing("structure-missing-issuer", &[]));
        }
        match body.get("credentialSubject") {
            Some(subject) if subject.is_object() => {
                if !subject.get("achievement").is_some_and(Value::is_object) {
                    out.push(missing("structure-missing-achievement", &[]));
                }
            }
            _ => out.push(missing("structure-missing-subject", &[])),
        }
        if text(body, "validFrom")
            .or(text(body, "issuanceDate"))
            .is_none()
        {
            out.push(missing("structure-missing-valid-from", &[]));
        }
    }
    if out.is_empty() {
        out.push(check(S, Level::Valid, "structure-valid", &[]));
    }
    out
}

/// The OB 3.0 contexts: the versioned 3.0.x files and the unversioned and
/// older addresses issuers have used.
fn is_ob3_context(c: &str) -> bool {
    c.starts_with("https://purl.imsglobal.org/spec/ob/v3p0/context")
        || c == "https://imsglobal.github.io/openbadges-specification/context.json"
}

/// The proof check; returns the verified key and where it came from.
fn proof(
    cred: &Credential,
    issuer: Option<&str>,
    trusted: &[TrustedIssuer],
    checks: &mut Vec<Check>,
) -> Option<(PublicKey, KeySource)> {
    use CheckKind::Proof as P;
    if let Some(jwt) = &cred.jwt {
        return match jwt.verify(issuer, trusted) {
            Ok(found) => {
                let mismatches = jwt.claim_mismatches(&cred.body);
                if mismatches.is_empty() {
                    let method = jwt.kid().unwrap_or("jwk").to_owned();
                    let suite = format!("VC-JWT {}", jwt.alg());
                    checks.push(check(
                        P,
                        Level::Valid,
                        "proof-valid",
                        &[("method", &method), ("suite", &suite)],
                    ));
                    Some(found)
                } else {
                    for m in mismatches {
                        checks.push(check(
                            P,
                            Level::Invalid,
                            "proof-claims-mismatch",
                            &[("claim", m.claim), ("value", &m.value)],
                        ));
                    }
                    None
                }
            }
            Err(e) => {
                checks.push(jwt_error(&e));
                None
            }
        };
    }
    if cred.ob2 {
        let verification = cred.body.get("verification");
        let kind = verification
            .and_then(|v| text(v, "type"))
            .unwrap_or("hosted");
        if kind.eq_ignore_ascii_case("hosted") || kind.eq_ignore_ascii_case("HostedBadge") {
            let url = text(&cred.body, "id").unwrap_or("");
            checks.push(check(P, Level::Warning, "proof-hosted", &[("url", url)]));
        } else {
            // A signed OB 2.0 assertion shown as JSON has lost its JWS.
            checks.push(check(P, Level::Invalid, "no-proof", &[]));
        }
        return None;
    }
    let Some(proof) = cred.body.get("proof") else {
        checks.push(check(P, Level::Invalid, "no-proof", &[]));
        return None;
    };
    let first = match proof {
        Value::Array(a) => a.first().unwrap_or(&Value::Null),
        one => one,
    };
    let method = text(first, "verificationMethod").unwrap_or("").to_owned();
    // The key is looked up before the proof is checked, so that a key that
    // is only online reads as such whatever the proof module reports.
    let found = match keys::lookup(&method, issuer, trusted) {
        Ok(found) => found,
        Err(e) => {
            checks.push(key_error(&e));
            return None;
        }
    };
    let resolve = |vm: &str| match keys::lookup(vm, issuer, trusted) {
        Ok((PublicKey::Ed25519(k), _)) => Some(k),
        _ => None,
    };
    match di::verify(&cred.body, &resolve) {
        Ok(info) => {
            let suite = format!("{:?}", info.suite);
            checks.push(check(
                P,
                Level::Valid,
                "proof-valid",
                &[("method", &info.verification_method), ("suite", &suite)],
            ));
            Some(found)
        }
        Err(DiError::NoProof) => {
            checks.push(check(P, Level::Invalid, "no-proof", &[]));
            None
        }
        Err(e) => {
            // A signature that does not match is the forgery or alteration
            // the user must be told of in those words; the other errors are
            // a proof this verifier cannot use, named in `detail`.
            let code = match e {
                DiError::Unsupported(_) => "proof-unsupported",
                DiError::BadSignature => "proof-signature-mismatch",
                _ => "proof-invalid",
            };
            checks.push(check(
                P,
                Level::Invalid,
                code,
                &[("detail", &e.to_string())],
            ));
            None
        }
    }
}

fn key_error(e: &KeyError) -> Check {
    use CheckKind::Proof as P;
    match e {
        KeyError::NotFound(key) => check(P, Level::Warning, "proof-key-not-found", &[("key", key)]),
        KeyError::BadDidKey(key) | KeyError::BadJwk(key) | KeyError::Unresolvable(key) => {
            check(P, Level::Invalid, "proof-key-unusable", &[("key", key)])
        }
    }
}

fn jwt_error(e: &VerifyError) -> Check {
    use CheckKind::Proof as P;
    match e {
        VerifyError::Algorithm(alg) => check(
            P,
            Level::Invalid,
            "proof-algorithm-refused",
            &[("alg", alg)],
        ),
        VerifyError::NoKey => check(P, Level::Warning, "proof-key-not-found", &[("key", "")]),
        VerifyError::Key(k) => key_error(k),
        VerifyError::KeyMismatch(alg) => {
            check(P, Level::Invalid, "proof-key-unusable", &[("key", alg)])
        }
        VerifyError::Signature => check(P, Level::Invalid, "proof-signature-mismatch", &[]),
    }
}

fn issuer_check(
    cred: &Credential,
    issuer: Option<&str>,
    signer: Option<&(PublicKey, KeySource)>,
    trusted: &[TrustedIssuer],
) -> Check {
    use CheckKind::Issuer as I;
    let id = issuer.unwrap_or("");
    let Some((key, source)) = signer else {
        return check(I, Level::Warning, "issuer-not-checked", &[("issuer", id)]);
    };
    // A did:key issuer is its own key: a signature by any other key is not
    // the issuer's, whatever else is said.
    if let Some(did) = issuer.filter(|i| i.starts_with("did:key:")) {
        if keys::did_key(did).map(PublicKey::Ed25519).as_ref() != Ok(key) {
            return check(I, Level::Invalid, "issuer-key-mismatch", &[("issuer", id)]);
        }
    }
    let holder = match source {
        KeySource::Trusted(i) => Some(*i),
        _ => keys::trusted_holder(key, trusted),
    };
    let named = trusted.iter().position(|t| Some(t.id.as_str()) == issuer);
    match (named, holder) {
        (Some(n), Some(h)) if n == h || trusted[h].id == trusted[n].id => {
            let t = &trusted[n];
            let mut c = check(
                I,
                Level::Valid,
                "issuer-known",
                &[("issuer", id), ("region", &t.region)],
            );
            let default = ["fi", "sv", "en"]
                .iter()
                .find_map(|l| t.name.get(l))
                .or_else(|| t.name.values().next())
                .cloned()
                .unwrap_or_default();
            c.args.push(("name".into(), default));
            for (lang, name) in t.name.iter() {
                c.args.push((format!("name-{lang}"), name.clone()));
            }
            c
        }
        // A trusted issuer's id with a key it has not published is someone
        // else using its name.
        (Some(_), _) => check(I, Level::Invalid, "issuer-key-mismatch", &[("issuer", id)]),
        (None, _) => {
            let name = issuer_name(cred).unwrap_or_default();
            check(
                I,
                Level::Warning,
                "issuer-unknown",
                &[("issuer", id), ("name", &name)],
            )
        }
    }
}

fn validity(cred: &Credential, now: &str) -> Vec<Check> {
    use CheckKind::Validity as V;
    let body = &cred.body;
    let (from_field, until_field) = if cred.ob2 {
        ("issuedOn", "expires")
    } else if body.get("validFrom").is_some() {
        ("validFrom", "validUntil")
    } else {
        ("issuanceDate", "expirationDate")
    };
    let mut out = Vec::new();
    let mut parse = |field: &str| -> Option<(i64, String)> {
        let value = text(body, field)?;
        match dates::parse(value) {
            Some(t) => Some((t, value.to_owned())),
            None => {
                out.push(check(
                    V,
                    Level::Invalid,
                    "validity-bad-date",
                    &[("field", field)],
                ));
                None
            }
        }
    };
    let from = parse(from_field);
    let until = parse(until_field);
    let Some(now_s) = dates::parse(now) else {
        out.push(check(
            V,
            Level::Invalid,
            "validity-bad-date",
            &[("field", "now")],
        ));
        return out;
    };
    if let Some((t, date)) = &from {
        if now_s < *t {
            out.push(check(
                V,
                Level::Invalid,
                "validity-not-yet-valid",
                &[("date", date)],
            ));
        }
    }
    if let Some((t, date)) = &until {
        if now_s >= *t {
            out.push(check(
                V,
                Level::Invalid,
                "validity-expired",
                &[("date", date)],
            ));
        }
    }
    if out.is_empty() {
        let f = from.map(|(_, d)| d).unwrap_or_default();
        let u = until.map(|(_, d)| d).unwrap_or_default();
        out.push(check(
            V,
            Level::Valid,
            "validity-valid",
            &[("from", &f), ("until", &u)],
        ));
    }
    out
}

fn status_check(
    cred: &Credential,
    issuer: Option<&str>,
    signer: Option<&(PublicKey, KeySource)>,
    ctx: &Context<'_>,
) -> (Vec<Check>, Vec<String>, Option<String>) {
    let lists = ctx.status_lists;
    use CheckKind::Status as St;
    let mut out = Vec::new();
    let mut urls = Vec::new();
    let mut fetched: Option<String> = None;
    if cred.ob2 && cred.body.get("revoked").and_then(Value::as_bool) == Some(true) {
        let url = text(&cred.body, "id").unwrap_or("");
        out.push(check(
            St,
            Level::Invalid,
            "status-revoked",
            &[("url", url), ("fetched", "")],
        ));
        return (out, urls, None);
    }
    let entries = status::entries(&cred.body);
    if entries.is_empty() {
        out.push(check(St, Level::Valid, "status-none", &[]));
        return (out, urls, None);
    }
    let cred_id = text(&cred.body, "id");
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                out.push(check(
                    St,
                    Level::Warning,
                    "status-unsupported",
                    &[("detail", &e.to_string())],
                ));
                continue;
            }
        };
        let url = entry.url().to_owned();
        if !urls.contains(&url) {
            urls.push(url.clone());
        }
        let Some(list) = lists.iter().find(|l| l.url == url) else {
            out.push(check(
                St,
                Level::Warning,
                "status-not-checked",
                &[("url", &url)],
            ));
            continue;
        };
        if let (Some(list_issuer), Some(issuer)) = (status::list_issuer(&list.body), issuer) {
            if list_issuer != issuer {
                out.push(check(
                    St,
                    Level::Warning,
                    "status-list-issuer-mismatch",
                    &[("url", &url), ("issuer", &list_issuer)],
                ));
                continue;
            }
        }
        // A list is believed only when it is the issuer's own, signed and
        // in force; otherwise the badge's status is simply not known.
        if let Err(warning) = list_trust(&list.body, &url, issuer, signer, ctx) {
            out.push(warning);
            continue;
        }
        // The oldest list used is the one the report dates itself by.
        if fetched
            .as_deref()
            .is_none_or(|f| dates::parse(&list.fetched_at) < dates::parse(f))
        {
            fetched = Some(list.fetched_at.clone());
        }
        let args = [("url", url.as_str()), ("fetched", list.fetched_at.as_str())];
        match status::is_set(&entry, cred_id, &list.body) {
            Ok(false) => out.push(check(St, Level::Valid, "status-valid", &args)),
            Ok(true) => match &entry {
                Entry::Bitstring { purpose, .. } if purpose != "revocation" => {
                    let mut c = check(St, Level::Invalid, "status-suspended", &args);
                    c.args.push(("purpose".into(), purpose.clone()));
                    out.push(c);
                }
                _ => out.push(check(St, Level::Invalid, "status-revoked", &args)),
            },
            Err(e) => out.push(check(
                St,
                Level::Warning,
                "status-list-malformed",
                &[("url", &url), ("detail", &e.to_string())],
            )),
        }
    }
    (out, urls, fetched)
}

/// Whether a cached status list can be believed: signed (an embedded Data
/// Integrity proof or a VC-JWT, checked with the keys a badge's proof is
/// checked with), by a key of the badge's issuer, and valid now. `Err` is
/// the warning that says why not; a list that cannot be read at all is
/// left to `status::is_set` to report as malformed.
fn list_trust(
    body: &str,
    url: &str,
    issuer: Option<&str>,
    signer: Option<&(PublicKey, KeySource)>,
    ctx: &Context<'_>,
) -> Result<(), Check> {
    use CheckKind::Status as St;
    let Ok((list, jwt)) = status::read_list(body) else {
        return Ok(());
    };
    let warn = |code: &str, args: &[(&str, &str)]| {
        let mut all = vec![("url", url)];
        all.extend_from_slice(args);
        check(St, Level::Warning, code, &all)
    };
    // The list's own issuer narrows bare key fragments; it equals the
    // badge's issuer here, or names none and the badge's is used.
    let named = status::list_issuer(body);
    let list_issuer = named.as_deref().or(issuer);
    let key = if let Some(jwt) = &jwt {
        let key = jwt.verify(list_issuer, ctx.trusted).map_err(|e| match e {
            VerifyError::Algorithm(alg) if alg.eq_ignore_ascii_case("none") => {
                warn("status-list-unsigned", &[])
            }
            VerifyError::NoKey => warn("status-list-key-not-found", &[("key", "")]),
            VerifyError::Key(KeyError::NotFound(key)) => {
                warn("status-list-key-not-found", &[("key", &key)])
            }
            other => warn("status-list-unverified", &[("detail", &other.to_string())]),
        })?;
        if let Some(m) = jwt.claim_mismatches(&list).first() {
            let detail = format!("{} {}", m.claim, m.value);
            return Err(warn("status-list-unverified", &[("detail", &detail)]));
        }
        key.0
    } else {
        let first = match list.get("proof") {
            None | Some(Value::Null) => return Err(warn("status-list-unsigned", &[])),
            Some(Value::Array(a)) if a.is_empty() => return Err(warn("status-list-unsigned", &[])),
            Some(Value::Array(a)) => &a[0],
            Some(one) => one,
        };
        let method = text(first, "verificationMethod").unwrap_or("");
        let key = match keys::lookup(method, list_issuer, ctx.trusted) {
            Ok((key, _)) => key,
            Err(KeyError::NotFound(key)) => {
                return Err(warn("status-list-key-not-found", &[("key", &key)]))
            }
            Err(e) => {
                return Err(warn(
                    "status-list-unverified",
                    &[("detail", &e.to_string())],
                ))
            }
        };
        let resolve = |vm: &str| match keys::lookup(vm, list_issuer, ctx.trusted) {
            Ok((PublicKey::Ed25519(k), _)) => Some(k),
            _ => None,
        };
        di::verify(&list, &resolve)
            .map_err(|e| warn("status-list-unverified", &[("detail", &e.to_string())]))?;
        key
    };
    if !issuer_holds(&key, issuer, signer, ctx.trusted) {
        return Err(warn("status-list-key-mismatch", &[]));
    }
    list_dates(&list, ctx.now).map_err(|(code, name, value)| warn(code, &[(name, &value)]))
}

/// Whether `key` is the badge issuer's: the key that signed the badge
/// itself, the issuer's own did:key (or did:jwk), or one of the keys a
/// trusted issuer of that id has published. A list signed by anyone else
/// could say anything about the badge.
fn issuer_holds(
    key: &PublicKey,
    issuer: Option<&str>,
    signer: Option<&(PublicKey, KeySource)>,
    trusted: &[TrustedIssuer],
) -> bool {
    if signer.is_some_and(|(k, _)| k == key) {
        return true;
    }
    let Some(issuer) = issuer else {
        return false;
    };
    if issuer.starts_with("did:key:") || issuer.starts_with("did:jwk:") {
        return keys::lookup(issuer, None, &[]).is_ok_and(|(k, _)| &k == key);
    }
    trusted.iter().any(|t| {
        t.id == issuer
            && t.keys
                .iter()
                .any(|k| keys::from_jwk(&k.jwk).is_ok_and(|candidate| &candidate == key))
    })
}

/// Whether a status list is valid at `now` by its own dates (`validFrom`
/// and `validUntil`, or the VC 1.1 `issuanceDate` and `expirationDate`):
/// `Err` is the code, the argument's name and its value. A date that does
/// not parse makes the list malformed, since nothing then says when it
/// holds.
fn list_dates(list: &Value, now: &str) -> Result<(), (&'static str, &'static str, String)> {
    // A `now` that is not a date is already reported by the validity step,
    // which makes the whole report not valid.
    let Some(now) = dates::parse(now) else {
        return Ok(());
    };
    let (from_field, until_field) =
        if list.get("validFrom").is_some() || list.get("validUntil").is_some() {
            ("validFrom", "validUntil")
        } else {
            ("issuanceDate", "expirationDate")
        };
    let parse = |field: &'static str| match text(list, field) {
        None => Ok(None),
        Some(value) => dates::parse(value)
            .map(|t| Some((t, value.to_owned())))
            .ok_or((
                "status-list-malformed",
                "detail",
                format!("{field} is not a date"),
            )),
    };
    if let Some((t, date)) = parse(from_field)? {
        if now < t {
            return Err(("status-list-not-yet-valid", "date", date));
        }
    }
    if let Some((t, date)) = parse(until_field)? {
        if now >= t {
            return Err(("status-list-expired", "date", date));
        }
    }
    Ok(())
}

fn recipient(cred: &Credential) -> Check {
    use CheckKind::Recipient as R;
    if cred.ob2 {
        let Some(r) = cred.body.get("recipient") else {
            return check(R, Level::Warning, "recipient-none", &[]);
        };
        let kind = text(r, "type").unwrap_or("email");
        let identity = text(r, "identity").unwrap_or("");
        return if r.get("hashed").and_then(Value::as_bool) == Some(true) {
            check(R, Level::Valid, "recipient-hashed", &[("type", kind)])
        } else if identity.is_empty() {
            check(R, Level::Warning, "recipient-none", &[])
        } else {
            check(
                R,
                Level::Valid,
                "recipient-identity",
                &[("type", kind), ("identity", identity)],
            )
        };
    }
    let Some(subject) = cred.body.get("credentialSubject") else {
        return check(R, Level::Warning, "recipient-none", &[]);
    };
    if let Some(id) = text(subject, "id") {
        return check(R, Level::Valid, "recipient-id", &[("id", id)]);
    }
    let identities: Vec<&Value> = match subject.get("identifier") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => Vec::new(),
    };
    // A hashed identity (email, phone…) is what ties a badge to a person;
    // a plain name alone is only shown.
    let kind_of = |i: &Value| text(i, "identityType").unwrap_or("").to_owned();
    if let Some(hashed) = identities
        .iter()
        .find(|i| i.get("hashed").and_then(Value::as_bool) == Some(true))
    {
        return check(
            R,
            Level::Valid,
            "recipient-hashed",
            &[("type", &kind_of(hashed))],
        );
    }
    if let Some(plain) = identities
        .iter()
        .find(|i| text(i, "identityHash").is_some())
    {
        let identity = text(plain, "identityHash").unwrap_or("");
        return check(
            R,
            Level::Valid,
            "recipient-identity",
            &[("type", &kind_of(plain)), ("identity", identity)],
        );
    }
    check(R, Level::Warning, "recipient-none", &[])
}

/// The issuer's name as the credential gives it.
fn issuer_name(cred: &Credential) -> Option<String> {
    let node = if cred.ob2 {
        cred.body.get("badge")?.get("issuer")?
    } else {
        cred.body.get("issuer")?
    };
    let lang = language(&cred.body);
    let names = lang_strings(node.get("name")?, &lang);
    let first = names.values().next().cloned();
    first
}

/// The credential's language: the achievement's or credential's
/// `inLanguage`, or a `@language` in its context; `und` if none.
fn language(body: &Value) -> String {
    let achievement = body
        .get("credentialSubject")
        .and_then(|s| s.get("achievement"));
    let declared = achievement
        .and_then(|a| text(a, "inLanguage"))
        .or_else(|| text(body, "inLanguage"))
        .or_else(|| match body.get("@context") {
            Some(Value::Array(a)) => a.iter().find_map(|c| text(c, "@language")),
            Some(c) => text(c, "@language"),
            None => None,
        });
    declared.unwrap_or("und").to_owned()
}

/// Texts by language from a value that may be a plain string (filed under
/// `lang`), a JSON-LD value object or list of them, or a language map.
fn lang_strings(v: &Value, lang: &str) -> LangMap<String> {
    let mut out = LangMap::new();
    let mut add = |v: &Value| match v {
        Value::String(s) => {
            out.insert(lang.to_owned(), s.clone());
        }
        Value::Object(o) if o.contains_key("@value") => {
            if let Some(s) = o.get("@value").and_then(Value::as_str) {
                let l = o.get("@language").and_then(Value::as_str).unwrap_or(lang);
                out.insert(l.to_owned(), s.to_owned());
            }
        }
        Value::Object(o) => {
            for (l, s) in o {
                if let (Some(s), true) = (s.as_str(), is_lang_tag(l)) {
                    out.insert(l.clone(), s.to_owned());
                }
            }
        }
        _ => {}
    };
    match v {
        Value::Array(a) => a.iter().for_each(&mut add),
        one => add(one),
    }
    out
}

fn is_lang_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag.len() <= 35
        && tag
            .split('-')
            .all(|p| !p.is_empty() && p.len() <= 8 && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// What the wallet shows of a credential.
pub fn summary(cred: &Credential) -> BadgeSummary {
    let body = &cred.body;
    let lang = language(body);
    let achievement = if cred.ob2 {
        body.get("badge")
    } else {
        body.get("credentialSubject")
            .and_then(|s| s.get("achievement"))
    }
    .filter(|a| a.is_object());
    let field = |name: &str| -> LangMap<String> {
        achievement
            .and_then(|a| a.get(name))
            .map(|v| lang_strings(v, &lang))
            .unwrap_or_default()
    };
    let criteria = achievement
        .and_then(|a| a.get("criteria"))
        .map(|c| match c.get("narrative") {
            Some(n) => lang_strings(n, &lang),
            None => LangMap::new(),
        })
        .unwrap_or_default();
    let image = achievement.and_then(|a| match a.get("image")? {
        Value::String(s) => Some(s.clone()),
        other => text(other, "id").map(str::to_owned),
    });
    let skills = achievement
        .and_then(|a| a.get("alignment"))
        .map(as_list)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|al| {
            let name = text(al, "targetName")?.to_owned();
            Some(Skill {
                name,
                url: text(al, "targetUrl").map(str::to_owned),
                framework: text(al, "targetFramework").map(str::to_owned),
            })
        })
        .collect();
    let evidence = body
        .get("evidence")
        .map(as_list)
        .unwrap_or_default()
        .into_iter()
        .map(|e| match e {
            Value::String(s) => Evidence {
                url: Some(s.clone()),
                ..Evidence::default()
            },
            e => Evidence {
                name: text(e, "name").map(str::to_owned),
                url: text(e, "id").map(str::to_owned),
                narrative: text(e, "narrative").map(str::to_owned),
            },
        })
        .collect();
    let (from, until) = if cred.ob2 {
        (text(body, "issuedOn"), text(body, "expires"))
    } else {
        (
            text(body, "validFrom").or_else(|| text(body, "issuanceDate")),
            text(body, "validUntil").or_else(|| text(body, "expirationDate")),
        )
    };
    BadgeSummary {
        credential_id: text(body, "id").map(str::to_owned),
        achievement_id: achievement.and_then(|a| text(a, "id")).map(str::to_owned),
        name: field("name"),
        description: field("description"),
        criteria,
        image,
        issuer_id: issuer_id(cred).unwrap_or_default(),
        issuer_name: issuer_name(cred),
        recipient_name: recipient_name(body),
        skills,
        evidence,
        valid_from: from.map(str::to_owned),
        valid_until: until.map(str::to_owned),
    }
}

fn as_list(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(a) => a.iter().collect(),
        Value::Null => Vec::new(),
        one => vec![one],
    }
}

/// The recipient's name: the subject's `name`, or an unhashed `name`
/// identity.
fn recipient_name(body: &Value) -> Option<String> {
    let subject = body.get("credentialSubject")?;
    if let Some(name) = text(subject, "name") {
        return Some(name.to_owned());
    }
    as_list(subject.get("identifier")?)
        .into_iter()
        .find(|i| {
            text(i, "identityType") == Some("name")
                && i.get("hashed").and_then(Value::as_bool) != Some(true)
        })
        .and_then(|i| text(i, "identityHash"))
        .map(str::to_owned)
}
