//! The catalogue model: organisations, services ("product cards"), places, events, and the achievements and issuers of competence badges, as the feed carries them.
//!
//! Field names and meanings follow Suomi.fi PTV, Open Referral HSDS 3.0 and
//! Linked Events where they overlap; `docs/feed.md` maps each field. Text is
//! a map from language tag to text, because a record may exist in one
//! language only. Unknown fields are ignored when reading, so an older app
//! reads a newer feed of the same major version.

use serde::{Deserialize, Serialize};

pub use crate::lang_map::LangMap;

/// Text by language tag (`fi`, `sv`, `en`, `se`, …).
pub type LangText = LangMap<String>;

/// An association or other organisation that offers services.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Organisation {
    /// Stable id, unique in the feed.
    pub id: String,
    /// Name by language.
    pub name: LangText,
    /// Finnish business id (Y-tunnus), `1234567-8`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_id: Option<String>,
    /// Home municipality, Statistics Finland code (`240`).
    pub municipality: String,
    /// What the organisation does.
    #[serde(default, skip_serializing_if = "LangMap::is_empty")]
    pub description: LangText,
    /// Web site (`https:` or `http:`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web: Option<String>,
    /// Contact e-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Contact phone, in international form where possible (`+358 …`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Logo image URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
    /// Base URL of the organisation's hours inbox (docs/hours-protocol.md),
    /// ending with `/`, when volunteers can send their hours online.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours_endpoint: Option<String>,
    /// Last change, RFC 3339.
    pub modified: String,
}

/// Who an activity is meant for; PTV target groups and the networks' own
/// groupings, as a closed list so filters work across associations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TargetGroup {
    /// Children and families with children.
    ChildrenFamilies,
    /// Young people.
    YoungPeople,
    /// Older people.
    OlderPeople,
    /// Immigrants.
    Immigrants,
    /// Mental-health rehabilitees.
    MentalHealth,
    /// Family and other carers.
    Carers,
    /// People with disabilities.
    Disabilities,
    /// Everyone.
    Everyone,
}

impl TargetGroup {
    /// Every target group, in the order filters show them.
    pub const ALL: [TargetGroup; 8] = [
        TargetGroup::Everyone,
        TargetGroup::ChildrenFamilies,
        TargetGroup::YoungPeople,
        TargetGroup::OlderPeople,
        TargetGroup::Immigrants,
        TargetGroup::MentalHealth,
        TargetGroup::Carers,
        TargetGroup::Disabilities,
    ];

    /// The value used in the feed and in URLs.
    pub fn code(self) -> &'static str {
        match self {
            TargetGroup::ChildrenFamilies => "children_families",
            TargetGroup::YoungPeople => "young_people",
            TargetGroup::OlderPeople => "older_people",
            TargetGroup::Immigrants => "immigrants",
            TargetGroup::MentalHealth => "mental_health",
            TargetGroup::Carers => "carers",
            TargetGroup::Disabilities => "disabilities",
            TargetGroup::Everyone => "everyone",
        }
    }

    /// Parses [`TargetGroup::code`].
    pub fn from_code(code: &str) -> Option<TargetGroup> {
        TargetGroup::ALL.into_iter().find(|g| g.code() == code)
    }
}

/// Whether an activity runs on and on, or once or for a short time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ServiceKind {
    /// Regular, continuing activity.
    Ongoing,
    /// Short-term, "pop-up" activity.
    Popup,
}

/// Whether the card asks for volunteers or offers something to residents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ServiceRole {
    /// A task for volunteers ("tule mukaan").
    VolunteerTask,
    /// A service for residents ("tule autetuksi").
    Service,
}

/// A day of the week, as iCalendar and HSDS `byday` abbreviate them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    /// Monday.
    Mo,
    /// Tuesday.
    Tu,
    /// Wednesday.
    We,
    /// Thursday.
    Th,
    /// Friday.
    Fr,
    /// Saturday.
    Sa,
    /// Sunday.
    Su,
}

/// Weekly opening or meeting hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WeeklyHours {
    /// The days these hours apply to.
    pub days: Vec<Weekday>,
    /// Start, local time `HH:MM`.
    pub opens: String,
    /// End, local time `HH:MM`.
    pub closes: String,
}

/// Hours on one date, for pop-up activities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DateHours {
    /// The date, `YYYY-MM-DD`.
    pub date: String,
    /// Start, local time `HH:MM`.
    pub opens: String,
    /// End, local time `HH:MM`.
    pub closes: String,
}

/// A departure from the weekly hours (holidays, summer breaks).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ScheduleException {
    /// First date, `YYYY-MM-DD`.
    pub from: String,
    /// Last date, inclusive; the same as `from` when missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// Closed on these dates.
    #[serde(default)]
    pub closed: bool,
    /// Different start time on these dates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opens: Option<String>,
    /// Different end time on these dates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closes: Option<String>,
    /// Why, by language.
    #[serde(default, skip_serializing_if = "LangMap::is_empty")]
    pub note: LangText,
}

/// When something happens (PTV `serviceHours`, HSDS `schedule`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Schedule {
    /// Regular weekly hours.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weekly: Vec<WeeklyHours>,
    /// Single dates (pop-up activities).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dates: Vec<DateHours>,
    /// Exceptions to the weekly hours.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<ScheduleException>,
    /// First date the schedule applies, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<String>,
    /// Last date the schedule applies, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
    /// Free text, such as "by appointment", by language.
    #[serde(default, skip_serializing_if = "LangMap::is_empty")]
    pub note: LangText,
}

/// Whom to contact about a service.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Contact {
    /// A person or role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// E-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Web page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web: Option<String>,
}

/// A product card: one form of an association's volunteer activity or
/// low-threshold service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Service {
    /// Stable id, unique in the feed.
    pub id: String,
    /// The organisation offering it.
    pub organisation: String,
    /// Name by language.
    pub name: LangText,
    /// One or two sentences by language.
    pub summary: LangText,
    /// Longer description by language.
    #[serde(default, skip_serializing_if = "LangMap::is_empty")]
    pub description: LangText,
    /// Municipalities served (Statistics Finland codes).
    pub municipalities: Vec<String>,
    /// Who it is for.
    pub target_groups: Vec<TargetGroup>,
    /// Ongoing or pop-up.
    pub kind: ServiceKind,
    /// Volunteer task or service for residents.
    pub role: ServiceRole,
    /// Languages the activity itself is offered in.
    pub languages: Vec<String>,
    /// Free of charge.
    #[serde(default)]
    pub free: bool,
    /// What it costs, when not free, by language.
    #[serde(default, skip_serializing_if = "LangMap::is_empty")]
    pub cost: LangText,
    /// What is asked of a volunteer or participant, by language.
    #[serde(default, skip_serializing_if = "LangMap::is_empty")]
    pub requirements: LangText,
    /// When it happens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Schedule>,
    /// Whom to contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    /// Places where it happens (place ids).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub places: Vec<String>,
    /// Search words by language.
    #[serde(default, skip_serializing_if = "LangMap::is_empty")]
    pub keywords: LangMap<Vec<String>>,
    /// Last change, RFC 3339.
    pub modified: String,
}

/// A postal address.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Address {
    /// Street and number by language.
    pub street: LangText,
    /// Postal code, five digits.
    pub postal_code: String,
    /// Post office by language.
    pub post_office: LangText,
}

/// WGS84 coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Coordinates {
    /// Latitude, degrees north.
    pub lat: f64,
    /// Longitude, degrees east.
    pub lon: f64,
}

/// A meeting place or shared premises.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Place {
    /// Stable id, unique in the feed.
    pub id: String,
    /// Name by language.
    pub name: LangText,
    /// What the place is, by language.
    #[serde(default, skip_serializing_if = "LangMap::is_empty")]
    pub description: LangText,
    /// Street address.
    pub address: Address,
    /// Municipality, Statistics Finland code.
    pub municipality: String,
    /// Where on the map.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordinates: Option<Coordinates>,
    /// Opening hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opening_hours: Option<Schedule>,
    /// Accessibility notes by language.
    #[serde(default, skip_serializing_if = "LangMap::is_empty")]
    pub accessibility: LangText,
    /// Who may book the premises and how, by language.
    #[serde(default, skip_serializing_if = "LangMap::is_empty")]
    pub booking: LangText,
    /// The organisation that runs the place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// Last change, RFC 3339.
    pub modified: String,
}

/// How to sign up for an event.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Enrolment {
    /// Enrolment is needed.
    #[serde(default)]
    pub required: bool,
    /// Enrolment opens, RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opens: Option<String>,
    /// Enrolment closes, RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closes: Option<String>,
    /// Where to enrol (web, `mailto:` or `tel:`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Instructions by language.
    #[serde(default, skip_serializing_if = "LangMap::is_empty")]
    pub note: LangText,
}

/// Where enrolment stands at a moment, so the page says "opens on …",
/// "by …" or "closed" instead of leaving the volunteer to compare dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnrolmentPhase {
    /// Enrolment has not opened yet.
    NotOpen,
    /// Enrolment is open (or the feed gives no dates).
    Open,
    /// The deadline has passed.
    Closed,
}

impl Enrolment {
    /// The phase at `now` (Unix seconds). A date the feed writes wrongly
    /// counts as absent: the page then still shows how to enrol.
    pub fn phase(&self, now: i64) -> EnrolmentPhase {
        let at = |t: &Option<String>| {
            t.as_deref()
                .and_then(crate::time::DateTime::parse)
                .map(|t| t.unix())
        };
        match (at(&self.opens), at(&self.closes)) {
            (Some(opens), _) if now < opens => EnrolmentPhase::NotOpen,
            (_, Some(closes)) if now > closes => EnrolmentPhase::Closed,
            _ => EnrolmentPhase::Open,
        }
    }

    /// How to enrol, from the feed's link: a web page, an e-mail address or
    /// a phone number, each with the safe link to render.
    pub fn way(&self) -> Option<EnrolmentWay> {
        EnrolmentWay::from_link(self.url.as_deref()?)
    }
}

/// How to enrol, read from a feed link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnrolmentWay {
    /// A web page: the link.
    Web(String),
    /// An e-mail address: the `mailto:` link and the address to show.
    Email {
        /// The `mailto:` link.
        link: String,
        /// The address as written.
        address: String,
    },
    /// A phone number: the `tel:` link and the number to show.
    Phone {
        /// The `tel:` link, without spaces.
        link: String,
        /// The number as written.
        number: String,
    },
}

impl EnrolmentWay {
    /// Reads a feed link; `None` for anything [`safe_link`] refuses.
    pub fn from_link(url: &str) -> Option<EnrolmentWay> {
        let link = safe_link(url)?;
        let url = url.trim();
        let after_scheme = || url.split_once(':').map(|(_, rest)| rest.to_owned());
        let lower = link.to_ascii_lowercase();
        if lower.starts_with("mailto:") {
            let address = after_scheme()?;
            let address = address.split('?').next().unwrap_or_default().to_owned();
            (!address.is_empty()).then_some(EnrolmentWay::Email { link, address })
        } else if lower.starts_with("tel:") {
            let number = after_scheme()?.trim().to_owned();
            (!number.is_empty()).then_some(EnrolmentWay::Phone { link, number })
        } else {
            Some(EnrolmentWay::Web(link))
        }
    }
}

/// An event (Linked Events / schema.org `Event`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Event {
    /// Stable id, unique in the feed.
    pub id: String,
    /// Name by language.
    pub name: LangText,
    /// Description by language.
    #[serde(default, skip_serializing_if = "LangMap::is_empty")]
    pub description: LangText,
    /// Start, RFC 3339 with the Europe/Helsinki offset (`+02:00` or `+03:00`).
    pub start: String,
    /// End, RFC 3339 with the Europe/Helsinki offset.
    pub end: String,
    /// Where (place id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// The organising organisation.
    pub organiser: String,
    /// A related product card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// Who it is for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audience: Vec<TargetGroup>,
    /// Languages of the event.
    pub languages: Vec<String>,
    /// Free of charge.
    #[serde(default)]
    pub free: bool,
    /// Price, when not free, by language.
    #[serde(default, skip_serializing_if = "LangMap::is_empty")]
    pub price: LangText,
    /// Signing up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enrolment: Option<Enrolment>,
    /// Largest number of participants.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<u32>,
    /// Last change, RFC 3339.
    pub modified: String,
}

/// A skill or competence an achievement aligns to, such as an ESCO skill
/// (Open Badges 3.0 `Alignment`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Alignment {
    /// The skill's name by language (`targetName`).
    pub target_name: LangText,
    /// The skill's address in its framework, an absolute URI such as an
    /// ESCO concept URI (`targetUrl`); left out when no URI is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_url: Option<String>,
    /// The framework's name, such as `ESCO` (`targetFramework`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_framework: Option<String>,
}

/// A competence badge an organisation awards (Open Badges 3.0
/// `Achievement`); issued credentials name it by [`Achievement::ob_id`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Achievement {
    /// Stable id, unique in the feed.
    pub id: String,
    /// The Open Badges `Achievement.id`, an absolute URI, which issued
    /// credentials carry in `credentialSubject.achievement.id`; the wallet
    /// matches a credential to this record by it.
    pub ob_id: String,
    /// The awarding organisation.
    pub organisation: String,
    /// The issuer record (see [`Issuer`]) that signs its credentials.
    pub issuer: String,
    /// Name by language; Finnish is required.
    pub name: LangText,
    /// What the badge stands for, by language.
    pub description: LangText,
    /// What earns it, by language (`criteria.narrative`).
    pub criteria: LangText,
    /// The badge image as a `data:image/svg+xml;base64,` or
    /// `data:image/png;base64,` URI of at most 8 KiB, so it shows offline
    /// with the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Skills and competences it aligns to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alignments: Vec<Alignment>,
    /// The services (card ids) whose tasks lead to it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<String>,
    /// Volunteering hours it requires, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<u32>,
    /// Last change, RFC 3339.
    pub modified: String,
}

/// One public key of an issuer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct IssuerKey {
    /// The id credentials name it by: the Data Integrity proof's
    /// `verificationMethod` and the VC-JWT header's `kid`
    /// (`did:key:z…#z…` for a did:key issuer).
    pub id: String,
    /// The public key as a JWK: `{"kty": "OKP", "crv": "Ed25519", "x": …}`,
    /// or `{"kty": "RSA", "n": …, "e": …}`; never private parts.
    #[cfg_attr(
        feature = "schema",
        schemars(with = "serde_json::Map<String, serde_json::Value>")
    )]
    pub jwk: serde_json::Value,
}

/// An awarding organisation's issuer identity: the Open Badges `Profile`
/// that signs its credentials, and the keys the wallet trusts for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Issuer {
    /// Stable id, unique in the feed.
    pub id: String,
    /// The organisation the identity belongs to.
    pub organisation: String,
    /// The issuer id credentials carry (`issuer.id`, JWT `iss`): a
    /// `did:key:` DID or an `https:` address.
    pub issuer_id: String,
    /// Its public keys.
    pub keys: Vec<IssuerKey>,
    /// Where its status or revocation list is published, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_list: Option<String>,
    /// Last change, RFC 3339.
    pub modified: String,
}

/// A withdrawn record: clients delete the record with this id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Tombstone {
    /// The id of the withdrawn record.
    pub id: String,
    /// When it was withdrawn, RFC 3339.
    pub withdrawn: String,
}

/// Picks the text to show: the UI language, then Finnish, Swedish,
/// English, then any. Returns the language tag too, so the page can mark
/// text in another language with `lang`.
pub fn pick<'a>(text: &'a LangText, ui_lang: &str) -> Option<(&'a str, &'a str)> {
    [ui_lang, "fi", "sv", "en"]
        .iter()
        .find_map(|tag| text.get_key_value(tag))
        .or_else(|| text.iter().next())
        .map(|(tag, value)| (tag.as_str(), value.as_str()))
}

/// A link from the feed as the app may render it: only `https:`, `http:`,
/// `tel:` and `mailto:`, never `javascript:` or anything else. Phone numbers
/// become `tel:` links without spaces.
pub fn safe_link(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:")
    {
        (!url.contains(char::is_whitespace)).then(|| url.to_owned())
    } else {
        lower
            .strip_prefix("tel:")
            .map(|number| format!("tel:{}", number.replace([' ', '-', '(', ')'], "")))
    }
}

/// A `tel:` link for a phone number as written in the feed.
pub fn phone_link(phone: &str) -> Option<String> {
    safe_link(&format!("tel:{phone}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_safe_links_are_rendered() {
        let check = |url: &str, expected: Option<&str>| {
            assert_eq!(safe_link(url).as_deref(), expected, "{url}")
        };
        check("https://example.fi/a", Some("https://example.fi/a"));
        check("HTTP://example.fi", Some("HTTP://example.fi"));
        check("mailto:a@example.fi", Some("mailto:a@example.fi"));
        check("tel:+358 40 123 0001", Some("tel:+358401230001"));
        check("javascript:alert(1)", None);
        check(" JavaScript:alert(1)", None);
        check("data:text/html,x", None);
        check("ftp://example.fi", None);
        check("https://exa mple.fi", None);
        assert_eq!(
            phone_link("+358 (40) 123-0001").as_deref(),
            Some("tel:+358401230001")
        );
    }

    #[test]
    fn enrolment_links_read_as_web_email_or_phone() {
        let check = |url: &str, expected: Option<EnrolmentWay>| {
            assert_eq!(EnrolmentWay::from_link(url), expected, "{url}")
        };
        check(
            "https://example.fi/ilmo",
            Some(EnrolmentWay::Web("https://example.fi/ilmo".into())),
        );
        check(
            "mailto:koulutus@example.fi?subject=Kurssi",
            Some(EnrolmentWay::Email {
                link: "mailto:koulutus@example.fi?subject=Kurssi".into(),
                address: "koulutus@example.fi".into(),
            }),
        );
        check(
            "tel:+358 40 123 0001",
            Some(EnrolmentWay::Phone {
                link: "tel:+358401230001".into(),
                number: "+358 40 123 0001".into(),
            }),
        );
        check("mailto:", None);
        check("javascript:alert(1)", None);
    }

    #[test]
    fn enrolment_phase_follows_its_dates() {
        let enrolment = |opens: Option<&str>, closes: Option<&str>| Enrolment {
            required: true,
            opens: opens.map(str::to_owned),
            closes: closes.map(str::to_owned),
            ..Enrolment::default()
        };
        // 2026-12-01T07:00:00Z is 09:00 in Helsinki.
        let opens = Some("2026-12-01T09:00:00+02:00");
        let closes = Some("2027-02-02T23:59:00+02:00");
        let at_open = 1_796_108_400;
        let check = |e: &Enrolment, now: i64, expected: EnrolmentPhase| {
            assert_eq!(e.phase(now), expected, "{e:?} at {now}")
        };
        check(
            &enrolment(opens, closes),
            at_open - 1,
            EnrolmentPhase::NotOpen,
        );
        check(&enrolment(opens, closes), at_open, EnrolmentPhase::Open);
        check(&enrolment(None, closes), at_open, EnrolmentPhase::Open);
        check(&enrolment(None, None), i64::MAX, EnrolmentPhase::Open);
        check(
            &enrolment(opens, closes),
            at_open + 90 * 86_400,
            EnrolmentPhase::Closed,
        );
        check(
            &enrolment(Some("ensi viikolla"), None),
            0,
            EnrolmentPhase::Open,
        );
    }

    fn text(pairs: &[(&str, &str)]) -> LangText {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn check_pick(available: &[(&str, &str)], ui: &str, expected: Option<(&str, &str)>) {
        assert_eq!(
            pick(&text(available), ui),
            expected,
            "{available:?} in {ui}"
        );
    }

    #[test]
    fn language_fallback() {
        check_pick(
            &[("fi", "Kerho"), ("sv", "Klubb")],
            "sv",
            Some(("sv", "Klubb")),
        );
        check_pick(
            &[("fi", "Kerho"), ("sv", "Klubb")],
            "en",
            Some(("fi", "Kerho")),
        );
        check_pick(
            &[("sv", "Klubb"), ("en", "Club")],
            "fi",
            Some(("sv", "Klubb")),
        );
        check_pick(&[("en", "Club")], "sv", Some(("en", "Club")));
        check_pick(&[("se", "Searvi")], "fi", Some(("se", "Searvi")));
        check_pick(&[], "fi", None);
    }

    #[test]
    fn unknown_fields_are_ignored_and_defaults_apply() {
        let json = r#"{"id":"s1","organisation":"o1","name":{"fi":"Kerho"},"summary":{"fi":"Kerho kaikille"},
            "municipalities":["205"],"target_groups":["everyone"],"kind":"popup","role":"volunteer_task",
            "languages":["fi"],"modified":"2026-11-01T10:00:00Z","future_field":{"x":1}}"#;
        let service: Service = serde_json::from_str(json).expect("parse");
        assert_eq!(service.kind, ServiceKind::Popup);
        assert!(!service.free);
        assert!(service.places.is_empty());
    }

    #[test]
    fn target_group_codes_round_trip() {
        for group in TargetGroup::ALL {
            assert_eq!(TargetGroup::from_code(group.code()), Some(group));
            let json = serde_json::to_string(&group).expect("serialise");
            assert_eq!(json, format!("\"{}\"", group.code()));
        }
    }
}
