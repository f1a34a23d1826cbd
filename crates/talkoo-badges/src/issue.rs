//! Issuing: issuer keys, an OB 3.0 AchievementCredential for a recipient, its embedded `eddsa-rdfc-2022` proof and its VC-JWT, shared by the issuing tool and the hours inbox.
//!
//! Randomness (key seeds, salts, credential ids) and time are passed in, so
//! the same code runs in tests with fixed values.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::SigningKey;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::di::{self, DiError};
use crate::keys;
use crate::{dates, jwt};

/// The contexts of an OB 3.0 credential made here.
pub const CONTEXTS: [&str; 2] = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
];

/// Why a credential could not be issued.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IssueError {
    /// The key file is not an Ed25519 private JWK.
    #[error("the key is not an Ed25519 private JWK: {0}")]
    Key(&'static str),
    /// The achievement is not one.
    #[error("the achievement is not usable: {0}")]
    Achievement(&'static str),
    /// `now` is not an RFC 3339 date-time.
    #[error("{0} is not an RFC 3339 date-time")]
    Date(String),
    /// The Data Integrity proof could not be made.
    #[error(transparent)]
    Proof(#[from] DiError),
}

/// An issuer: its signing key and name.
#[derive(Debug)]
pub struct Issuer {
    /// The Ed25519 key.
    pub key: SigningKey,
    /// The organisation's name.
    pub name: String,
}

impl Issuer {
    /// An issuer from 32 random bytes.
    pub fn from_seed(seed: [u8; 32], name: &str) -> Self {
        Self {
            key: SigningKey::from_bytes(&seed),
            name: name.to_owned(),
        }
    }

    /// Its id: the did:key of its key.
    pub fn did(&self) -> String {
        keys::to_did_key(&self.key.verifying_key())
    }

    /// The verification method its proofs name.
    pub fn method(&self) -> String {
        keys::did_key_method(&self.key.verifying_key())
    }

    /// The public JWK, with the verification method as `kid`.
    pub fn public_jwk(&self) -> Value {
        let mut jwk = keys::ed25519_jwk(&self.key.verifying_key());
        jwk["kid"] = self.method().into();
        jwk
    }

    /// The key file's content: the private JWK (with `d`) and the name.
    /// Secret: written with mode 0600, never printed.
    pub fn private_jwk(&self) -> Value {
        let mut jwk = self.public_jwk();
        jwk["d"] = URL_SAFE_NO_PAD.encode(self.key.to_bytes()).into();
        jwk["name"] = self.name.clone().into();
        jwk
    }

    /// An issuer from its key file's content; the public `x`, if present,
    /// must match `d`, so a damaged file is noticed before signing.
    pub fn from_private_jwk(jwk: &Value) -> Result<Self, IssueError> {
        // The demo feed's key files wrap the JWK with the organisation and
        // issuer ids (`{"jwk": …}`); both forms are one key.
        let jwk = jwk.get("jwk").filter(|j| j.is_object()).unwrap_or(jwk);
        if jwk.get("kty").and_then(Value::as_str) != Some("OKP")
            || jwk.get("crv").and_then(Value::as_str) != Some("Ed25519")
        {
            return Err(IssueError::Key("kty must be OKP and crv Ed25519"));
        }
        let d = jwk
            .get("d")
            .and_then(Value::as_str)
            .ok_or(IssueError::Key("no d"))?;
        let seed: [u8; 32] = URL_SAFE_NO_PAD
            .decode(d)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or(IssueError::Key("d is not 32 bytes of base64url"))?;
        let name = jwk.get("name").and_then(Value::as_str).unwrap_or("");
        let issuer = Self::from_seed(seed, name);
        if let Some(x) = jwk.get("x") {
            if x != &keys::ed25519_jwk(&issuer.key.verifying_key())["x"] {
                return Err(IssueError::Key("x does not match d"));
            }
        }
        Ok(issuer)
    }

    /// The issuer's OB 3.0 Profile.
    pub fn profile(&self) -> Value {
        json!({"id": self.did(), "type": ["Profile"], "name": self.name})
    }
}

/// The salted hash OB 3.0 identity objects carry: `sha256$` and the hex
/// SHA-256 of the identity followed by the salt.
pub fn identity_hash(identity: &str, salt: &str) -> String {
    let digest = Sha256::digest(format!("{identity}{salt}").as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256${hex}")
}

/// A status entry to put into a credential.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatusSpec {
    /// The credential's bit in a Bitstring Status List credential.
    Bitstring {
        /// The list credential's address.
        url: String,
        /// The bit.
        index: usize,
    },
    /// A 1EdTech Revocation List at this address.
    RevocationList {
        /// The list's address.
        url: String,
    },
}

/// What is awarded to whom.
#[derive(Clone, Debug)]
pub struct Award<'a> {
    /// The OB 3.0 Achievement (see [`achievement_from_feed`]).
    pub achievement: &'a Value,
    /// The credential's id, such as `urn:uuid:…` from random bytes.
    pub credential_id: &'a str,
    /// The recipient's name, shown on the badge.
    pub recipient_name: Option<&'a str>,
    /// The recipient's email address, stored only hashed with `salt`.
    pub recipient_email: Option<&'a str>,
    /// The salt for the email hash.
    pub salt: &'a str,
    /// When it is issued (RFC 3339).
    pub now: &'a str,
    /// A status list entry, so that it can be revoked.
    pub status: Option<StatusSpec>,
}

/// A `urn:uuid:` (version 4) from 16 random bytes.
pub fn urn_uuid(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let h: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// A feed 1.1 achievement record in the shape `achievement_from_feed`
/// reads: the Open Badges id (`ob_id`) as `id`, and `alignments` as
/// skills. An image given as a path inside the feed is left out, since a
/// credential's image must be an absolute address; an address is kept.
/// A record already in that shape, or an OB 3.0 Achievement, is unchanged.
fn feed_shape(record: &Value) -> Value {
    let Some(ob_id) = record.get("ob_id").and_then(Value::as_str) else {
        return record.clone();
    };
    let mut shaped = json!({
        "id": ob_id,
        "name": record.get("name").cloned().unwrap_or(Value::Null),
    });
    for field in ["description", "criteria"] {
        if let Some(text) = record.get(field) {
            shaped[field] = text.clone();
        }
    }
    if let Some(image) = record.get("image").and_then(Value::as_str) {
        if image.contains("://") || image.starts_with("data:") {
            shaped["image"] = image.into();
        }
    }
    if let Some(alignments) = record.get("alignments").and_then(Value::as_array) {
        let skills: Vec<Value> = alignments
            .iter()
            .map(|a| {
                let mut skill = Map::new();
                for (from, to) in [
                    ("target_name", "name"),
                    ("target_url", "url"),
                    ("target_framework", "framework"),
                ] {
                    if let Some(value) = a.get(from).filter(|v| !v.is_null()) {
                        skill.insert(to.to_owned(), value.clone());
                    }
                }
                Value::Object(skill)
            })
            .collect();
        shaped["skills"] = skills.into();
    }
    shaped
}

/// The unsigned AchievementCredential of an award.
pub fn credential(issuer: &Issuer, award: &Award<'_>) -> Result<Value, IssueError> {
    let now = dates::parse(award.now).ok_or_else(|| IssueError::Date(award.now.to_owned()))?;
    let mut identifiers = Vec::new();
    if let Some(email) = award.recipient_email {
        // Open Badges hashes the address lower-cased as Unicode has it,
        // Greek's word-final sigma included, which talkoo_core::case
        // leaves out; this tool is no part of the app's wasm.
        #[allow(clippy::disallowed_methods)]
        let email = email.trim().to_lowercase();
        identifiers.push(json!({
            "type": "IdentityObject",
            "identityType": "emailAddress",
            "hashed": true,
            "identityHash": identity_hash(&email, award.salt),
            "salt": award.salt,
        }));
    }
    if let Some(name) = award.recipient_name {
        identifiers.push(json!({
            "type": "IdentityObject",
            "identityType": "name",
            "hashed": false,
            "identityHash": name,
        }));
    }
    let mut subject = json!({
        "type": ["AchievementSubject"],
        "achievement": award.achievement,
    });
    if !identifiers.is_empty() {
        subject["identifier"] = Value::Array(identifiers);
    }
    let name = award
        .achievement
        .get("name")
        .cloned()
        .unwrap_or(Value::Null);
    let mut cred = json!({
        "@context": CONTEXTS,
        "id": award.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": name,
        "issuer": issuer.profile(),
        "validFrom": dates::format(now),
        "credentialSubject": subject,
    });
    match &award.status {
        Some(StatusSpec::Bitstring { url, index }) => {
            cred["credentialStatus"] = json!({
                "id": format!("{url}#{index}"),
                "type": "BitstringStatusListEntry",
                "statusPurpose": "revocation",
                "statusListIndex": index.to_string(),
                "statusListCredential": url,
            });
        }
        Some(StatusSpec::RevocationList { url }) => {
            cred["credentialStatus"] = json!({"id": url, "type": "1EdTechRevocationList"});
        }
        None => {}
    }
    Ok(cred)
}

/// The credential with an embedded `eddsa-rdfc-2022` proof.
pub fn sign_data_integrity(
    issuer: &Issuer,
    credential: &Value,
    now: &str,
) -> Result<Value, IssueError> {
    Ok(di::sign_eddsa_rdfc_2022(
        credential,
        &issuer.key,
        &issuer.method(),
        now,
    )?)
}

/// The credential as an EdDSA VC-JWT.
pub fn sign_jwt(issuer: &Issuer, credential: &Value) -> String {
    let mut unsigned = credential.clone();
    if let Some(map) = unsigned.as_object_mut() {
        map.remove("proof");
    }
    jwt::sign_eddsa(&unsigned, &issuer.key, &issuer.method())
}

/// A status list signed by its issuer, as the text to publish: a list with
/// an `@context` (Bitstring Status List, StatusList2021) with an embedded
/// `eddsa-rdfc-2022` proof, pretty JSON; a 1EdTech Revocation List, which
/// is plain JSON that JSON-LD cannot sign, as an EdDSA VC-JWT. Any proof
/// the list carries is replaced, so a list changed by a revocation can be
/// signed again.
pub fn sign_status_list(issuer: &Issuer, list: &Value, now: &str) -> Result<String, IssueError> {
    let mut unsigned = list.clone();
    if let Some(map) = unsigned.as_object_mut() {
        map.remove("proof");
    }
    if unsigned.get("@context").is_some() {
        let signed = sign_data_integrity(issuer, &unsigned, now)?;
        Ok(serde_json::to_string_pretty(&signed).unwrap_or_default())
    } else {
        Ok(sign_jwt(issuer, &unsigned))
    }
}

/// An OB 3.0 Achievement from an achievement of the feed, or the same
/// object when it already is one. A feed achievement's texts are by
/// language (`{"fi": …, "sv": …}`); the credential carries `lang`'s text
/// (or the first language's) with `inLanguage`, since OB 3.0 fields are
/// plain strings. Skills become alignments.
pub fn achievement_from_feed(feed: &Value, lang: &str) -> Result<Value, IssueError> {
    let shaped = feed_shape(feed);
    let feed = &shaped;
    let obj = feed
        .as_object()
        .ok_or(IssueError::Achievement("not a JSON object"))?;
    let id = obj
        .get("id")
        .and_then(Value::as_str)
        .ok_or(IssueError::Achievement("no id"))?;
    let is_ob3 = crate::read::types(feed).contains(&"Achievement");
    if is_ob3 {
        return Ok(feed.clone());
    }
    let mut chosen: Option<String> = None;
    let mut pick = |v: Option<&Value>| -> Option<String> {
        match v? {
            Value::String(s) => Some(s.clone()),
            Value::Object(m) => {
                let (l, s) = m.get_key_value(lang).or_else(|| m.iter().next())?;
                chosen.get_or_insert_with(|| l.clone());
                s.as_str().map(str::to_owned)
            }
            _ => None,
        }
    };
    let name = pick(obj.get("name")).ok_or(IssueError::Achievement("no name"))?;
    let description = pick(obj.get("description")).unwrap_or_default();
    let criteria = pick(obj.get("criteria")).unwrap_or_default();
    let mut out = Map::new();
    out.insert("id".into(), id.into());
    out.insert("type".into(), json!(["Achievement"]));
    out.insert("name".into(), name.into());
    out.insert("description".into(), description.into());
    out.insert("criteria".into(), json!({"narrative": criteria}));
    if let Some(image) = obj.get("image").and_then(Value::as_str) {
        out.insert("image".into(), json!({"id": image, "type": "Image"}));
    }
    let skills = obj
        .get("skills")
        .or_else(|| obj.get("alignment"))
        .and_then(Value::as_array);
    if let Some(skills) = skills {
        let alignment: Vec<Value> = skills
            .iter()
            .filter_map(|s| {
                let name = pick(s.get("name").or_else(|| s.get("targetName")))?;
                let url = s.get("url").or_else(|| s.get("targetUrl"))?.as_str()?;
                let mut a = json!({"type": ["Alignment"], "targetName": name, "targetUrl": url});
                if let Some(f) = s.get("framework").or_else(|| s.get("targetFramework")) {
                    a["targetFramework"] = f.clone();
                }
                Some(a)
            })
            .collect();
        if !alignment.is_empty() {
            out.insert("alignment".into(), alignment.into());
        }
    }
    if let Some(l) = chosen {
        out.insert("inLanguage".into(), l.into());
    }
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_files_round_trip_and_damage_is_noticed() {
        let issuer = Issuer::from_seed([5; 32], "Kajastus");
        let back = Issuer::from_private_jwk(&issuer.private_jwk()).unwrap();
        assert_eq!(back.key.to_bytes(), issuer.key.to_bytes());
        assert_eq!(back.name, "Kajastus");
        assert!(issuer.public_jwk().get("d").is_none());
        let mut bad = issuer.private_jwk();
        bad["x"] = Issuer::from_seed([6; 32], "").public_jwk()["x"].clone();
        assert_eq!(
            Issuer::from_private_jwk(&bad).unwrap_err(),
            IssueError::Key("x does not match d")
        );
        assert!(Issuer::from_private_jwk(&issuer.public_jwk()).is_err());
    }

    #[test]
    fn identity_hashes_follow_ob3() {
        // sha256("a@example.org" + "salt"), as `printf` and `sha256sum` give.
        assert_eq!(
            identity_hash("a@example.org", "salt"),
            format!("sha256${}", crate::read::wallet_id("a@example.orgsalt"))
        );
        assert_eq!(
            urn_uuid([0xff; 16]),
            "urn:uuid:ffffffff-ffff-4fff-bfff-ffffffffffff"
        );
    }

    #[test]
    fn feed_achievements_become_ob3_achievements() {
        let feed = json!({
            "id": "https://feed.example/achievements/first-aid",
            "name": {"fi": "Ensiapu", "sv": "Första hjälpen"},
            "description": {"fi": "Osaa antaa ensiapua."},
            "criteria": {"fi": "Kurssi käyty."},
            "image": "https://feed.example/first-aid.png",
            "skills": [{"name": {"fi": "ensiapu"}, "url": "http://data.europa.eu/esco/skill/x", "framework": "ESCO"}]
        });
        let a = achievement_from_feed(&feed, "sv").unwrap();
        assert_eq!(a["name"], "Första hjälpen");
        assert_eq!(a["inLanguage"], "sv");
        assert_eq!(a["alignment"][0]["targetFramework"], "ESCO");
        let fi = achievement_from_feed(&feed, "fi").unwrap();
        assert_eq!(fi["description"], "Osaa antaa ensiapua.");
        assert_eq!(achievement_from_feed(&a, "fi").unwrap(), a);
        assert!(achievement_from_feed(&json!({"name": "x"}), "fi").is_err());
    }
}
