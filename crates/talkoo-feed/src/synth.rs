//! `talkoo-feed synth`: deterministic large feeds in Finnish and Swedish for benchmarks and tests.
//!
//! The same seed always gives the same bytes. `change_percent` edits that
//! share of the services (again deterministically), to measure deltas.

use talkoo_core::feed::{Municipality, Publisher};
use talkoo_core::model::{
    Address, Contact, Coordinates, Event, LangMap, LangText, Organisation, Place, Schedule,
    Service, ServiceKind, ServiceRole, TargetGroup, Weekday, WeeklyHours,
};

use crate::source::{FeedSource, RegionSource};

/// A small deterministic generator (64-bit LCG), so no random crate is
/// needed and the output never depends on a library's version.
#[derive(Debug)]
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const MUNICIPALITIES: [(&str, &str, &str); 8] = [
    ("105", "Hyrynsalmi", "Hyrynsalmi"),
    ("205", "Kajaani", "Kajana"),
    ("290", "Kuhmo", "Kuhmo"),
    ("578", "Paltamo", "Paltamo"),
    ("620", "Puolanka", "Puolanka"),
    ("697", "Ristijärvi", "Ristijärvi"),
    ("765", "Sotkamo", "Sotkamo"),
    ("777", "Suomussalmi", "Suomussalmi"),
];

const FI_WORDS: [&str; 48] = [
    "ystävätoiminta",
    "vertaistuki",
    "perhekerho",
    "kielikahvila",
    "omaishoitaja",
    "ikäihmiset",
    "nuoret",
    "lapset",
    "päiväkoti",
    "terveyskeskus",
    "kirjasto",
    "kylätalo",
    "liikunta",
    "ulkoilu",
    "retki",
    "ruokailu",
    "ruoka-apu",
    "kuljetusapu",
    "asiointiapu",
    "digituki",
    "läksyapu",
    "kädentaidot",
    "musiikki",
    "laulu",
    "kuoro",
    "teatteri",
    "kokkikerho",
    "luontopolku",
    "metsäretki",
    "marjastus",
    "talkoot",
    "siivous",
    "kierrätys",
    "vaatelahjoitus",
    "keskusteluryhmä",
    "mielenterveys",
    "kuntoutus",
    "vapaaehtoinen",
    "yhdistys",
    "tapahtuma",
    "joulumyyjäiset",
    "kesäleiri",
    "uimahalli",
    "kuntosali",
    "lukupiiri",
    "shakki",
    "puutyö",
    "kansalaisopisto",
];
const SV_WORDS: [&str; 32] = [
    "vänverksamhet",
    "kamratstöd",
    "familjeklubb",
    "språkcafé",
    "närståendevårdare",
    "äldre",
    "unga",
    "barn",
    "daghem",
    "hälsocentral",
    "bibliotek",
    "byagård",
    "motion",
    "friluftsliv",
    "utflykt",
    "måltid",
    "mathjälp",
    "skjuthjälp",
    "digistöd",
    "läxhjälp",
    "hantverk",
    "musik",
    "sång",
    "kör",
    "teater",
    "matlagning",
    "naturstig",
    "talko",
    "återvinning",
    "samtalsgrupp",
    "frivillig",
    "förening",
];
const FI_FILLER: [&str; 20] = [
    "ja",
    "sekä",
    "kanssa",
    "joka",
    "viikko",
    "kerran",
    "yhdessä",
    "kaikille",
    "maksuton",
    "ilman",
    "ennakko",
    "ilmoittautumista",
    "tervetuloa",
    "mukaan",
    "tutustumaan",
    "toimintaan",
    "paikalla",
    "ohjaaja",
    "kahvi",
    "tarjolla",
];
const SV_FILLER: [&str; 16] = [
    "och",
    "med",
    "som",
    "varje",
    "vecka",
    "tillsammans",
    "för",
    "alla",
    "avgiftsfri",
    "utan",
    "anmälan",
    "välkommen",
    "med",
    "i",
    "verksamheten",
    "kaffe",
];

fn sentence(rng: &mut Lcg, topic: &[&str], filler: &[&str], words: usize) -> String {
    let mut out: Vec<&str> = Vec::with_capacity(words);
    for i in 0..words {
        out.push(if i % 3 == 0 {
            *rng.pick(topic)
        } else {
            *rng.pick(filler)
        });
    }
    let mut text = out.join(" ");
    if let Some(first) = text.get(..1) {
        text = first.to_uppercase() + &text[1..];
    }
    text.push('.');
    text
}

fn text(fi: String, sv: String) -> LangText {
    LangText::from([("fi".to_owned(), fi), ("sv".to_owned(), sv)])
}

/// Generates a one-region feed with `services` cards (plus a tenth as many
/// organisations and events and a twentieth as many places).
pub fn synth(services: usize, seed: u64, change_percent: f64) -> FeedSource {
    let mut rng = Lcg(seed ^ 0x005e_ed7a_1c00);
    let codes: Vec<&str> = MUNICIPALITIES.iter().map(|m| m.0).collect();
    let orgs = (services / 10).max(1);
    let places_n = (services / 20).max(1);
    let events_n = (services / 10).max(1);
    let modified = "2026-11-01T10:00:00Z".to_owned();
    let organisations: Vec<Organisation> = (0..orgs)
        .map(|i| {
            let town = *rng.pick(&MUNICIPALITIES);
            Organisation {
                id: format!("org-{i:05}"),
                name: text(
                    format!("{} {} ry", town.1, rng.pick(&FI_WORDS)),
                    format!("{} {} rf", town.2, rng.pick(&SV_WORDS)),
                ),
                business_id: None,
                municipality: town.0.to_owned(),
                description: text(
                    sentence(&mut rng, &FI_WORDS, &FI_FILLER, 30),
                    sentence(&mut rng, &SV_WORDS, &SV_FILLER, 30),
                ),
                web: Some(format!("https://example.fi/org/{i}")),
                email: Some(format!("info{i}@example.fi")),
                phone: None,
                logo: None,
                hours_endpoint: None,
                modified: modified.clone(),
            }
        })
        .collect();
    let places: Vec<Place> = (0..places_n)
        .map(|i| {
            let town = *rng.pick(&MUNICIPALITIES);
            Place {
                id: format!("place-{i:05}"),
                name: text(
                    format!("{} {}", town.1, rng.pick(&FI_WORDS)),
                    format!("{} {}", town.2, rng.pick(&SV_WORDS)),
                ),
                description: LangText::new(),
                address: Address {
                    street: text(
                        format!("Kirkkokatu {}", i % 90 + 1),
                        format!("Kyrkogatan {}", i % 90 + 1),
                    ),
                    postal_code: "87100".to_owned(),
                    post_office: text(town.1.to_owned(), town.2.to_owned()),
                },
                municipality: town.0.to_owned(),
                coordinates: Some(Coordinates {
                    lat: 64.0 + (i % 100) as f64 / 100.0,
                    lon: 27.0 + (i % 50) as f64 / 50.0,
                }),
                opening_hours: None,
                accessibility: text(
                    "Esteetön sisäänkäynti.".to_owned(),
                    "Tillgänglig ingång.".to_owned(),
                ),
                booking: LangText::new(),
                organisation: None,
                modified: modified.clone(),
            }
        })
        .collect();
    let changed = ((services as f64) * change_percent / 100.0).round() as usize;
    // Every `change_every`-th card is edited, `changed` cards in all.
    let change_every = services.checked_div(changed).unwrap_or(usize::MAX).max(1);
    let services_list: Vec<Service> = (0..services)
        .map(|i| {
            let org = &organisations[rng.below(organisations.len())];
            let topic = *rng.pick(&FI_WORDS);
            let edited = i % change_every == 0 && changed > 0 && i / change_every < changed;
            let mut summary_fi = sentence(&mut rng, &FI_WORDS, &FI_FILLER, 20);
            if edited {
                summary_fi.push_str(" Päivitetty.");
            }
            Service {
                id: format!("svc-{i:06}"),
                organisation: org.id.clone(),
                name: text(
                    format!("{} {}", topic, rng.pick(&FI_WORDS)),
                    format!("{} {}", rng.pick(&SV_WORDS), rng.pick(&SV_WORDS)),
                ),
                summary: text(summary_fi, sentence(&mut rng, &SV_WORDS, &SV_FILLER, 20)),
                description: text(
                    sentence(&mut rng, &FI_WORDS, &FI_FILLER, 70),
                    sentence(&mut rng, &SV_WORDS, &SV_FILLER, 60),
                ),
                municipalities: vec![org.municipality.clone(), (*rng.pick(&codes)).to_owned()],
                target_groups: vec![*rng.pick(&TargetGroup::ALL)],
                kind: if rng.below(3) == 0 {
                    ServiceKind::Popup
                } else {
                    ServiceKind::Ongoing
                },
                role: if rng.below(2) == 0 {
                    ServiceRole::VolunteerTask
                } else {
                    ServiceRole::Service
                },
                languages: vec!["fi".to_owned(), "sv".to_owned()],
                free: true,
                cost: LangText::new(),
                requirements: LangText::new(),
                schedule: Some(Schedule {
                    weekly: vec![WeeklyHours {
                        days: vec![*rng.pick(&[Weekday::Mo, Weekday::We, Weekday::Fr])],
                        opens: "10:00".into(),
                        closes: "12:00".into(),
                    }],
                    ..Schedule::default()
                }),
                contact: Some(Contact {
                    email: Some(format!("info{}@example.fi", i % 1000)),
                    ..Contact::default()
                }),
                places: vec![places[rng.below(places.len())].id.clone()],
                keywords: LangMap::from([
                    (
                        "fi".to_owned(),
                        vec![topic.to_owned(), (*rng.pick(&FI_WORDS)).to_owned()],
                    ),
                    ("sv".to_owned(), vec![(*rng.pick(&SV_WORDS)).to_owned()]),
                ]),
                modified: if edited {
                    "2026-11-20T10:00:00Z".to_owned()
                } else {
                    modified.clone()
                },
            }
        })
        .collect();
    let events: Vec<Event> = (0..events_n)
        .map(|i| {
            let day = i % 28 + 1;
            Event {
                id: format!("event-{i:05}"),
                name: text(
                    format!("{} {}", rng.pick(&FI_WORDS), rng.pick(&FI_WORDS)),
                    format!("{} {}", rng.pick(&SV_WORDS), rng.pick(&SV_WORDS)),
                ),
                description: text(
                    sentence(&mut rng, &FI_WORDS, &FI_FILLER, 30),
                    sentence(&mut rng, &SV_WORDS, &SV_FILLER, 30),
                ),
                // Far ahead, so that a synthetic region's events stay
                // upcoming for the tests that list them.
                start: format!("2099-02-{day:02}T17:00:00+02:00"),
                end: format!("2099-02-{day:02}T19:00:00+02:00"),
                place: Some(places[rng.below(places.len())].id.clone()),
                organiser: organisations[rng.below(organisations.len())].id.clone(),
                service: None,
                audience: vec![TargetGroup::Everyone],
                languages: vec!["fi".to_owned()],
                free: true,
                price: LangText::new(),
                enrolment: None,
                capacity: None,
                modified: modified.clone(),
            }
        })
        .collect();
    FeedSource {
        publisher: Publisher {
            name: text("Talkoo-synteettinen".into(), "Talkoo-syntetisk".into()),
            url: None,
            email: None,
        },
        demo: true,
        signing_keys: Vec::new(),
        regions: vec![RegionSource {
            id: "synth".to_owned(),
            name: text("Synteettinen Kainuu".into(), "Syntetiska Kajanaland".into()),
            municipalities: MUNICIPALITIES
                .iter()
                .map(|(code, fi, sv)| Municipality {
                    code: (*code).to_owned(),
                    name: text((*fi).to_owned(), (*sv).to_owned()),
                })
                .collect(),
            organisations,
            services: services_list,
            places,
            events,
            withdrawn: Vec::new(),
            achievements: Vec::new(),
            issuers: Vec::new(),
        }],
    }
}
