//! The feed's competence badges as the wallet uses them: its issuers as the verifier's trusted issuers, and an achievement's texts in place of a credential's.
//!
//! A credential names its achievement by the Open Badges `Achievement.id`,
//! which the feed's record carries as `ob_id`; when the user's regions know
//! it, the wallet shows the feed's name, description, criteria, image and
//! skills, by language, instead of the credential's single-language copy.

use crate::model::{pick, Achievement, Issuer, LangText};
use crate::wallet::{BadgeSummary, Skill, TrustedIssuer, TrustedKey};

/// An issuer of the feed as the verifier trusts it, named by its
/// organisation's name (the issuer's own id when the organisation is
/// unknown).
pub fn trusted_issuer(
    region: &str,
    issuer: &Issuer,
    organisation: Option<&LangText>,
) -> TrustedIssuer {
    let name = organisation.cloned().unwrap_or_else(|| {
        [("und".to_owned(), issuer.issuer_id.clone())]
            .into_iter()
            .collect()
    });
    TrustedIssuer {
        id: issuer.issuer_id.clone(),
        name,
        region: region.to_owned(),
        keys: issuer
            .keys
            .iter()
            .map(|k| TrustedKey {
                id: k.id.clone(),
                jwk: k.jwk.clone(),
            })
            .collect(),
    }
}

/// The achievement a credential names, by its Open Badges id.
pub fn by_ob_id<'a>(
    achievements: impl IntoIterator<Item = &'a Achievement>,
    ob_id: &str,
) -> Option<&'a Achievement> {
    achievements.into_iter().find(|a| a.ob_id == ob_id)
}

/// The achievement's skills as the wallet lists them, each name in the
/// language `ui_lang` falls back to.
pub fn skills(achievement: &Achievement, ui_lang: &str) -> Vec<Skill> {
    achievement
        .alignments
        .iter()
        .map(|a| Skill {
            name: pick(&a.target_name, ui_lang)
                .map(|(_, name)| name.to_owned())
                .unwrap_or_default(),
            url: a.target_url.clone(),
            framework: a.target_framework.clone(),
        })
        .collect()
}

/// What the wallet shows of a credential whose achievement the feed
/// knows: the feed's texts, image and skills replace the credential's,
/// which stay where the feed has none; who issued it, to whom and when
/// always come from the credential.
pub fn shown(summary: &BadgeSummary, achievement: &Achievement, ui_lang: &str) -> BadgeSummary {
    let or_credential = |feed: &LangText, own: &LangText| {
        if feed.is_empty() {
            own.clone()
        } else {
            feed.clone()
        }
    };
    BadgeSummary {
        achievement_id: Some(achievement.ob_id.clone()),
        name: or_credential(&achievement.name, &summary.name),
        description: or_credential(&achievement.description, &summary.description),
        criteria: or_credential(&achievement.criteria, &summary.criteria),
        image: achievement.image.clone().or_else(|| summary.image.clone()),
        skills: if achievement.alignments.is_empty() {
            summary.skills.clone()
        } else {
            skills(achievement, ui_lang)
        },
        ..summary.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Organisation;

    fn achievement(json: serde_json::Value) -> Achievement {
        let mut base = serde_json::json!({
            "id": "ach-ystava", "ob_id": "https://example.fi/ob/ystava", "organisation": "org-a",
            "issuer": "iss-a", "name": {"fi": "Ystävätoiminta", "sv": "Vänverksamhet"},
            "description": {"fi": "Kuvaus"}, "criteria": {"fi": "Kurssi käyty"},
            "modified": "2026-11-01T10:00:00Z"
        });
        for (k, v) in json.as_object().expect("object") {
            base[k] = v.clone();
        }
        serde_json::from_value(base).expect("achievement")
    }

    fn summary() -> BadgeSummary {
        BadgeSummary {
            achievement_id: Some("https://example.fi/ob/ystava".into()),
            name: [("und".to_owned(), "Friend".to_owned())]
                .into_iter()
                .collect(),
            criteria: [("und".to_owned(), "Took the course".to_owned())]
                .into_iter()
                .collect(),
            image: Some("https://example.fi/own.png".into()),
            issuer_id: "did:key:z6Mk".into(),
            recipient_name: Some("Aino".into()),
            skills: vec![Skill {
                name: "own skill".into(),
                ..Skill::default()
            }],
            ..BadgeSummary::default()
        }
    }

    /// Each case: the feed's achievement, and what the shown summary has
    /// for (name in Swedish, criteria first value, image, skill names).
    #[test]
    fn the_feed_achievement_replaces_the_credential_texts_where_it_has_them() {
        let check = |a: Achievement, expected: (&str, &str, Option<&str>, Vec<&str>)| {
            let shown = shown(&summary(), &a, "sv");
            let name = pick(&shown.name, "sv").map(|(_, n)| n).unwrap_or_default();
            let criteria = shown.criteria.values().next().map(String::as_str);
            let skills: Vec<&str> = shown.skills.iter().map(|s| s.name.as_str()).collect();
            assert_eq!(
                (
                    name,
                    criteria.unwrap_or_default(),
                    shown.image.as_deref(),
                    skills
                ),
                expected,
                "{a:?}"
            );
            assert_eq!(shown.recipient_name.as_deref(), Some("Aino"));
            assert_eq!(shown.issuer_id, "did:key:z6Mk");
        };
        check(
            achievement(serde_json::json!({})),
            (
                "Vänverksamhet",
                "Kurssi käyty",
                Some("https://example.fi/own.png"),
                vec!["own skill"],
            ),
        );
        check(
            achievement(serde_json::json!({
                "image": "data:image/png;base64,AAAA",
                "alignments": [{"target_name": {"fi": "Ensiapu", "sv": "Första hjälpen"},
                                "target_framework": "ESCO"}]
            })),
            (
                "Vänverksamhet",
                "Kurssi käyty",
                Some("data:image/png;base64,AAAA"),
                vec!["Första hjälpen"],
            ),
        );
        check(
            achievement(serde_json::json!({"criteria": {}})),
            (
                "Vänverksamhet",
                "Took the course",
                Some("https://example.fi/own.png"),
                vec!["own skill"],
            ),
        );
    }

    #[test]
    fn issuers_become_trusted_issuers_named_by_their_organisation() {
        let issuer: Issuer = serde_json::from_value(serde_json::json!({
            "id": "iss-a", "organisation": "org-a", "issuer_id": "did:key:z6MkA",
            "keys": [{"id": "did:key:z6MkA#z6MkA", "jwk": {"kty": "OKP", "crv": "Ed25519", "x": "abc"}}],
            "modified": "2026-11-01T10:00:00Z"
        }))
        .expect("issuer");
        let org: Organisation = serde_json::from_value(serde_json::json!({
            "id": "org-a", "name": {"fi": "Kajastus ry", "sv": "Kajastus rf"},
            "municipality": "205", "modified": "2026-11-01T10:00:00Z"
        }))
        .expect("organisation");
        let check = |org: Option<&Organisation>, expected_name: &str| {
            let trusted = trusted_issuer("kainuu", &issuer, org.map(|o| &o.name));
            assert_eq!(trusted.id, "did:key:z6MkA");
            assert_eq!(trusted.region, "kainuu");
            assert_eq!(trusted.keys.len(), 1);
            assert_eq!(trusted.keys[0].id, "did:key:z6MkA#z6MkA");
            assert_eq!(trusted.keys[0].jwk["crv"], "Ed25519");
            assert_eq!(
                pick(&trusted.name, "fi").map(|(_, n)| n),
                Some(expected_name)
            );
        };
        check(Some(&org), "Kajastus ry");
        check(None, "did:key:z6MkA");
    }

    #[test]
    fn a_credential_finds_its_achievement_by_ob_id() {
        let list = [
            achievement(serde_json::json!({})),
            achievement(serde_json::json!({"id": "ach-b", "ob_id": "urn:uuid:b"})),
        ];
        let check = |ob_id: &str, expected: Option<&str>| {
            assert_eq!(
                by_ob_id(&list, ob_id).map(|a| a.id.as_str()),
                expected,
                "{ob_id}"
            )
        };
        check("urn:uuid:b", Some("ach-b"));
        check("https://example.fi/ob/ystava", Some("ach-ystava"));
        check("https://example.fi/ob/other", None);
    }
}
