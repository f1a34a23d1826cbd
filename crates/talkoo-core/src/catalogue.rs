//! The catalogue in memory: records loaded from storage, the search index over services, and the filters a URL carries.
//!
//! The app rebuilds one `Catalogue` after each sync and answers every search
//! and filter from it, so a query touches no storage and works offline.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use crate::collate::sort_order;
use crate::feed::Kind;
use crate::model::{
    pick, Achievement, Event, Issuer, Organisation, Place, Service, ServiceKind, ServiceRole,
    TargetGroup,
};
use crate::search::{Field, SearchIndex};
use crate::snapshot::RegionSnapshot;
use crate::wallet::{PublishedBadges, TrustedIssuer};
use crate::Lang;

/// Everything the app shows, from the subscribed regions.
#[derive(Debug, Default)]
pub struct Catalogue {
    /// Services, region after region, each region's in the order of the
    /// names a Finnish reader sees (`collate`; equal names in the order
    /// storage holds them). They are kept as lists, filters and search need
    /// them (`snapshot::slim`): a card's page reads the whole record from
    /// storage, at [`Catalogue::service_record`].
    pub services: Vec<Service>,
    /// Organisations by id.
    pub organisations: BTreeMap<String, Organisation>,
    /// Each region's places, events, achievements and issuers as it
    /// published them: one JSON array per kind, in that order, read into
    /// the fields below when a page first asks for them. Only a card's
    /// page, the events' and places' pages, the kiosk and the badge pages
    /// show them, all loaded when needed, so the first-load shell carries
    /// none of their readers and a start reads none of them.
    published: Vec<(String, [String; 4])>,
    /// Places by id.
    places: OnceLock<BTreeMap<String, Place>>,
    /// Events, by start time.
    events: OnceLock<Vec<Event>>,
    /// Competence badges by id.
    achievements: OnceLock<BTreeMap<String, Achievement>>,
    /// Issuers by id, with the region whose feed names each.
    issuers: OnceLock<BTreeMap<String, (String, Issuer)>>,
    /// Each region's part of `services`, with its search index.
    regions: Vec<RegionPart>,
    /// The services in the order of the names shown in Finnish (when more
    /// than one region is shown; one region's services are in that order
    /// already), in Swedish and in English, as indexes into `services`:
    /// one region's come with its snapshot, several regions' are made
    /// when that language first lists them.
    orders: [OnceLock<Vec<u32>>; 3],
    /// Records that could not be read (damaged storage); shown as a count.
    pub unreadable: usize,
}

/// One region's services in a catalogue.
#[derive(Debug)]
struct RegionPart {
    id: String,
    version: String,
    /// Position of the region's first service in `Catalogue::services`.
    start: u32,
    /// Each service's partition, in the region's order.
    partitions: Vec<String>,
    /// The region's search index: a region handed over before its index
    /// (`RegionSnapshot::indexed`) finds nothing until it is set
    /// ([`Catalogue::set_index`]).
    index: OnceLock<SearchIndex>,
}

/// What a kiosk's attract screen shows, in the order it shows it.
#[derive(Debug, Default)]
pub struct Attract<'a> {
    /// Upcoming events at places in the kiosk's area, soonest first.
    pub events: Vec<&'a Event>,
    /// Pop-up activities in the area, in the catalogue's order.
    pub pop_ups: Vec<&'a Service>,
    /// Ongoing volunteer tasks in the area, in the catalogue's order.
    pub ongoing: Vec<&'a Service>,
}

/// What the user searches and filters for; every field maps to a URL
/// parameter so a link reproduces the view.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    /// Free text (`q`).
    pub text: String,
    /// Municipality code (`m`).
    pub municipality: Option<String>,
    /// Target group (`group`).
    pub target_group: Option<TargetGroup>,
    /// Ongoing or pop-up (`kind`).
    pub kind: Option<ServiceKind>,
    /// Volunteer task or service (`role`).
    pub role: Option<ServiceRole>,
    /// Language the activity is offered in (`lang`).
    pub language: Option<String>,
    /// Organisation id (`org`).
    pub organisation: Option<String>,
}

fn kind_code(kind: ServiceKind) -> &'static str {
    match kind {
        ServiceKind::Ongoing => "ongoing",
        ServiceKind::Popup => "popup",
    }
}

fn role_code(role: ServiceRole) -> &'static str {
    match role {
        ServiceRole::VolunteerTask => "volunteer_task",
        ServiceRole::Service => "service",
    }
}

impl Query {
    /// Reads a query from URL parameters; unknown or malformed values are
    /// ignored, so an old or edited link still opens.
    pub fn from_params<'a>(params: impl IntoIterator<Item = (&'a str, &'a str)>) -> Query {
        let mut query = Query::default();
        for (key, value) in params {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match key {
                "q" => query.text = value.to_owned(),
                "m" if value.len() == 3 && value.bytes().all(|b| b.is_ascii_digit()) => {
                    query.municipality = Some(value.to_owned())
                }
                "group" => query.target_group = TargetGroup::from_code(value),
                "kind" => {
                    query.kind = [ServiceKind::Ongoing, ServiceKind::Popup]
                        .into_iter()
                        .find(|k| kind_code(*k) == value)
                }
                "role" => {
                    query.role = [ServiceRole::VolunteerTask, ServiceRole::Service]
                        .into_iter()
                        .find(|r| role_code(*r) == value)
                }
                "lang" if crate::feed::is_language_tag(value) => {
                    query.language = Some(value.to_owned())
                }
                "org" => query.organisation = Some(value.to_owned()),
                _ => {}
            }
        }
        query
    }

    /// The query as URL parameters, in a fixed order, empty ones left out.
    pub fn to_params(&self) -> Vec<(&'static str, String)> {
        let mut params = Vec::new();
        if !self.text.trim().is_empty() {
            params.push(("q", self.text.clone()));
        }
        if let Some(m) = &self.municipality {
            params.push(("m", m.clone()));
        }
        if let Some(g) = self.target_group {
            params.push(("group", g.code().to_owned()));
        }
        if let Some(k) = self.kind {
            params.push(("kind", kind_code(k).to_owned()));
        }
        if let Some(r) = self.role {
            params.push(("role", role_code(r).to_owned()));
        }
        if let Some(l) = &self.language {
            params.push(("lang", l.clone()));
        }
        if let Some(o) = &self.organisation {
            params.push(("org", o.clone()));
        }
        params
    }

    /// Whether nothing is asked for (all cards are shown).
    pub fn is_empty(&self) -> bool {
        self.to_params().is_empty()
    }

    /// How many filters are set, the text not counted: the number on the
    /// folded filter control ("Filter (2)").
    pub fn active_filters(&self) -> usize {
        [
            self.municipality.is_some(),
            self.target_group.is_some(),
            self.kind.is_some(),
            self.role.is_some(),
            self.language.is_some(),
            self.organisation.is_some(),
        ]
        .into_iter()
        .filter(|set| *set)
        .count()
    }

    fn accepts(&self, service: &Service) -> bool {
        self.municipality
            .as_ref()
            .is_none_or(|m| service.municipalities.contains(m))
            && self.target_group.is_none_or(|g| {
                service.target_groups.contains(&g)
                    || service.target_groups.contains(&TargetGroup::Everyone)
            })
            && self.kind.is_none_or(|k| service.kind == k)
            && self.role.is_none_or(|r| service.role == r)
            && self
                .language
                .as_ref()
                .is_none_or(|l| service.languages.contains(l))
            && self
                .organisation
                .as_ref()
                .is_none_or(|o| service.organisation == *o)
    }
}

/// A record as storage returns it: its kind, its region and its JSON.
#[derive(Debug, Clone, Copy)]
pub struct RawRecord<'a> {
    /// The record's kind.
    pub kind: Kind,
    /// The region it came from.
    pub region: &'a str,
    /// Its partition (a municipality code, or `all`).
    pub partition: &'a str,
    /// Its JSON.
    pub json: &'a str,
}

/// The records in a JSON array of them as a region published them; one
/// that does not read is damage, and is left out (a snapshot keeps only
/// records that were read when it was built).
pub(crate) fn published_records<T: serde::de::DeserializeOwned>(
    text: &str,
) -> impl Iterator<Item = T> + '_ {
    serde_json::from_str::<Vec<&serde_json::value::RawValue>>(text)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|json| serde_json::from_str::<T>(json.get()).ok())
}

/// Achievements by id from each region's published JSON array of them, a
/// later region's record of an id winning.
pub(crate) fn achievements_by_id<'a>(
    texts: impl Iterator<Item = &'a str>,
) -> BTreeMap<String, Achievement> {
    texts
        .flat_map(published_records::<Achievement>)
        .map(|a| (a.id.clone(), a))
        .collect()
}

/// Issuers by id, each with its region, from each region's id and
/// published JSON array of them, a later region's record of an id winning.
pub(crate) fn issuers_by_id<'a>(
    texts: impl Iterator<Item = (&'a str, &'a str)>,
) -> BTreeMap<String, (String, Issuer)> {
    texts
        .flat_map(|(region, text)| {
            published_records::<Issuer>(text).map(move |i| (i.id.clone(), (region.to_owned(), i)))
        })
        .collect()
}

/// The issuers as the badge verifier trusts them, each named by its
/// organisation's name from `name` (by organisation id).
pub(crate) fn trusted<'a>(
    issuers: &BTreeMap<String, (String, Issuer)>,
    name: impl Fn(&str) -> Option<&'a crate::model::LangText>,
) -> Vec<TrustedIssuer> {
    issuers
        .values()
        .map(|(region, issuer)| {
            crate::achievement::trusted_issuer(region, issuer, name(&issuer.organisation))
        })
        .collect()
}

/// The order of `services` by the names a reader of `lang` sees (`pick`).
pub(crate) fn name_order(services: &[Service], lang: Lang) -> Vec<usize> {
    let names: Vec<&str> = services
        .iter()
        .map(|s| pick(&s.name, lang.tag()).map_or("", |(_, name)| name))
        .collect();
    sort_order(&names, lang)
}

/// What the search index holds of a service: its names, keywords and
/// organisation's names, summary and description.
pub(crate) fn service_texts<'a>(
    service: &'a Service,
    organisation: Option<&'a Organisation>,
) -> impl Iterator<Item = (Field, &'a str)> {
    service
        .name
        .values()
        .map(|t| (Field::Name, t.as_str()))
        .chain(
            service
                .keywords
                .values()
                .flatten()
                .map(|k| (Field::Keyword, k.as_str())),
        )
        .chain(
            organisation
                .into_iter()
                .flat_map(|o| o.name.values())
                .map(|t| (Field::Keyword, t.as_str())),
        )
        .chain(service.summary.values().map(|t| (Field::Text, t.as_str())))
        .chain(
            service
                .description
                .values()
                .map(|t| (Field::Text, t.as_str())),
        )
}

impl Catalogue {
    /// Builds the catalogue from stored records of any regions (each
    /// region's version unknown): what tests and the search benchmark use.
    pub fn from_records<'a>(records: impl IntoIterator<Item = RawRecord<'a>>) -> Catalogue {
        let mut by_region: BTreeMap<&str, Vec<RawRecord<'a>>> = BTreeMap::new();
        for record in records {
            by_region.entry(record.region).or_default().push(record);
        }
        Catalogue::from_regions(
            by_region
                .into_iter()
                .map(|(region, records)| RegionSnapshot::build(region, "", records))
                .collect(),
        )
    }

    /// Puts regions' snapshots together, in the order given.
    pub fn from_regions(regions: Vec<RegionSnapshot>) -> Catalogue {
        let mut catalogue = Catalogue::default();
        let alone = regions.len() == 1;
        for region in regions {
            let indexed = region.indexed();
            let RegionSnapshot {
                region: id,
                version,
                services,
                partitions,
                organisations,
                unreadable,
                index,
                orders: [sv, en],
                texts: [_, places, events, achievements, issuers],
            } = region;
            // One region's orders are the catalogue's; several regions'
            // are made when a language first lists them.
            if alone {
                let _ = catalogue.orders[1].set(sv);
                let _ = catalogue.orders[2].set(en);
            }
            catalogue.regions.push(RegionPart {
                start: catalogue.services.len() as u32,
                id: id.clone(),
                version,
                partitions,
                index: if indexed {
                    OnceLock::from(index)
                } else {
                    OnceLock::new()
                },
            });
            if catalogue.services.is_empty() {
                // The first region's services are taken as they are, not
                // copied: tens of megabytes at 50,000 cards.
                catalogue.services = services;
            } else {
                catalogue.services.extend(services);
            }
            catalogue
                .organisations
                .extend(organisations.into_iter().map(|o| (o.id.clone(), o)));
            catalogue
                .published
                .push((id, [places, events, achievements, issuers]));
            catalogue.unreadable += unreadable;
        }
        catalogue.services.shrink_to_fit();
        catalogue
    }

    /// The records of `published` kind `kind` (0 places, 1 events, 2
    /// achievements, 3 issuers), region after region, each with its
    /// region. The snapshot kept only records that were read when it was
    /// built, so one that does not read now is damage, and is left out.
    fn read_published<T: serde::de::DeserializeOwned>(
        &self,
        kind: usize,
    ) -> impl Iterator<Item = (&str, T)> {
        self.published.iter().flat_map(move |(region, texts)| {
            published_records(&texts[kind]).map(move |record| (region.as_str(), record))
        })
    }

    /// Places by id (a later region's record of the same id wins).
    pub fn places(&self) -> &BTreeMap<String, Place> {
        self.places.get_or_init(|| {
            self.read_published::<Place>(0)
                .map(|(_, p)| (p.id.clone(), p))
                .collect()
        })
    }

    /// Events, by start time (then by id).
    pub fn events(&self) -> &[Event] {
        self.events.get_or_init(|| {
            let mut events: Vec<Event> = self.read_published(1).map(|(_, e)| e).collect();
            events.sort_by_cached_key(|e| {
                let at = crate::time::DateTime::parse(&e.start)
                    .map(|t| t.unix())
                    .unwrap_or(i64::MAX);
                (at, e.id.clone())
            });
            events
        })
    }

    /// Competence badges by id: few, so all are kept once read.
    pub fn achievements(&self) -> &BTreeMap<String, Achievement> {
        self.achievements.get_or_init(|| {
            achievements_by_id(self.published.iter().map(|(_, texts)| texts[2].as_str()))
        })
    }

    /// Issuers by id, with the region whose feed names each.
    pub fn issuers(&self) -> &BTreeMap<String, (String, Issuer)> {
        self.issuers.get_or_init(|| {
            issuers_by_id(
                self.published
                    .iter()
                    .map(|(region, texts)| (region.as_str(), texts[3].as_str())),
            )
        })
    }

    /// The achievements and issuers as the regions published them, with
    /// the names of the organisations the issuers belong to: what the
    /// shell hands to the badges module, which reads them itself, so that
    /// the shell carries no reader of them.
    pub fn published_badges(&self) -> PublishedBadges {
        /// Of an issuer, only whose it is.
        #[derive(serde::Deserialize)]
        struct Owner {
            organisation: String,
        }
        let names = self
            .read_published::<Owner>(3)
            .filter_map(|(_, owner)| {
                let organisation = self.organisations.get(&owner.organisation)?;
                Some((owner.organisation, organisation.name.clone()))
            })
            .collect();
        PublishedBadges {
            regions: self
                .published
                .iter()
                .map(|(region, [_, _, achievements, issuers])| {
                    (region.clone(), achievements.clone(), issuers.clone())
                })
                .collect(),
            names,
        }
    }

    /// Lets go of up to `n` records (services, their partitions, events,
    /// organisations, the places, badges and issuers read, each kind's
    /// map as one, and each region's published texts as one), answering
    /// whether any
    /// are left. Dropping a catalogue of 50,000 cards frees about a
    /// million allocations, a tenth of a second on a phone, so a page that
    /// replaces its catalogue drops the old one a slice at a time. What is
    /// left of a catalogue shed in part is only fit to be dropped.
    pub fn shed(&mut self, n: usize) -> bool {
        fn from_vec<T>(list: &mut Vec<T>, left: &mut usize) {
            let taken = (*left).min(list.len());
            list.truncate(list.len() - taken);
            *left -= taken;
        }
        fn from_map<K: Ord, V>(map: &mut BTreeMap<K, V>, left: &mut usize) {
            while *left > 0 && map.pop_last().is_some() {
                *left -= 1;
            }
        }
        let mut left = n;
        from_vec(&mut self.services, &mut left);
        for part in &mut self.regions {
            from_vec(&mut part.partitions, &mut left);
        }
        if let Some(events) = self.events.get_mut() {
            from_vec(events, &mut left);
        }
        from_map(&mut self.organisations, &mut left);
        // The places, badges and issuers a page has read go whole, each
        // map counted as one: a region has hundreds of them, not tens of
        // thousands, and taking a map apart one entry at a time would
        // bring its rebalancing code into the shell for each kind.
        fn whole<T>(lazy: &mut OnceLock<T>, left: &mut usize) {
            if *left > 0 && lazy.take().is_some() {
                *left -= 1;
            }
        }
        whole(&mut self.places, &mut left);
        whole(&mut self.achievements, &mut left);
        whole(&mut self.issuers, &mut left);
        from_vec(&mut self.published, &mut left);
        if left == 0 {
            return true;
        }
        // Only a few large allocations remain: the indexes and the orders.
        *self = Catalogue::default();
        false
    }

    /// The regions shown, each with the version its data is of.
    pub fn region_versions(&self) -> impl Iterator<Item = (&str, &str)> {
        self.regions
            .iter()
            .map(|r| (r.id.as_str(), r.version.as_str()))
    }

    /// Whether every region's search index is built: until then a search
    /// finds nothing in the regions without it, and the page says that
    /// search is being prepared rather than that nothing was found.
    pub fn searchable(&self) -> bool {
        self.regions.iter().all(|r| r.index.get().is_some())
    }

    /// Gives `region`, shown at `version` without its search index, the
    /// `index` the sync worker built afterwards; answers whether it was
    /// taken (not for another version, an index of another number of
    /// cards, or a region that has its index already).
    pub fn set_index(&self, region: &str, version: &str, index: SearchIndex) -> bool {
        self.regions
            .iter()
            .find(|r| r.id == region && r.version == version)
            .is_some_and(|r| index.len() == r.partitions.len() && r.index.set(index).is_ok())
    }

    /// Where a service's whole record is stored: its region and partition.
    pub fn service_record(&self, id: &str) -> Option<(&str, &str)> {
        let at = self.services.iter().position(|s| s.id == id)? as u32;
        let part = self.regions.iter().take_while(|r| r.start <= at).last()?;
        let partition = part.partitions.get((at - part.start) as usize)?;
        Some((part.id.as_str(), partition.as_str()))
    }

    /// The services in the alphabetical order of their names as shown in
    /// `lang`, as indexes into `services`; `None` for Finnish in one
    /// region, which is `services`' own order.
    fn order(&self, lang: Lang) -> Option<&[u32]> {
        let slot = match lang {
            Lang::Fi if self.regions.len() <= 1 => return None,
            Lang::Fi => &self.orders[0],
            Lang::Sv => &self.orders[1],
            Lang::En => &self.orders[2],
        };
        // Stable: cards with the same name keep the Finnish order.
        Some(slot.get_or_init(|| {
            name_order(&self.services, lang)
                .into_iter()
                .map(|i| i as u32)
                .collect()
        }))
    }

    /// The services matching the query: best search matches first, and
    /// among equal matches (or all of them, when there is no text) by the
    /// name shown in `lang`, in that language's alphabetical order.
    pub fn search(&self, query: &Query, lang: Lang) -> Vec<&Service> {
        self.search_positions(query, lang)
            .into_iter()
            .map(|i| &self.services[i as usize])
            .collect()
    }

    /// [`Catalogue::search`] as positions in `services`: what a list keeps
    /// between keystrokes, since cloning 50,000 ids, comparing them with
    /// the last list and finding each shown card by its id again took a
    /// broad query a quarter of a second in a large region.
    pub fn search_positions(&self, query: &Query, lang: Lang) -> Vec<u32> {
        let accepted = |&i: &u32| {
            self.services
                .get(i as usize)
                .is_some_and(|s| query.accepts(s))
        };
        let order = self.order(lang);
        if query.text.trim().is_empty() {
            return match order {
                Some(order) => order.iter().copied().filter(accepted).collect(),
                None => (0..self.services.len() as u32).filter(accepted).collect(),
            };
        }
        let hits: Vec<u32> = match self.regions.as_slice() {
            [one] => one.index.get().map_or_else(Vec::new, |index| {
                index
                    .search_in_order(&query.text, order)
                    .into_iter()
                    .map(|hit| hit.doc)
                    .collect()
            }),
            parts => self.search_regions(parts, &query.text, order),
        };
        hits.into_iter().filter(accepted).collect()
    }

    /// Searches every region's index: best scores first (a score does not
    /// depend on the other documents, so the regions' scores compare), and
    /// equal scores in `order`.
    fn search_regions(&self, parts: &[RegionPart], text: &str, order: Option<&[u32]>) -> Vec<u32> {
        let mut scores = vec![0u32; self.services.len()];
        let mut best = 0;
        for part in parts {
            let Some(index) = part.index.get() else {
                continue;
            };
            for hit in index.search(text) {
                if let Some(score) = scores.get_mut((part.start + hit.doc) as usize) {
                    *score = hit.score;
                    best = best.max(hit.score);
                }
            }
        }
        let mut by_score: Vec<Vec<u32>> = vec![Vec::new(); best as usize + 1];
        let mut add = |doc: u32| {
            let score = scores[doc as usize];
            if score > 0 {
                by_score[score as usize].push(doc);
            }
        };
        match order {
            Some(order) => order.iter().copied().for_each(&mut add),
            None => (0..self.services.len() as u32).for_each(&mut add),
        }
        by_score.into_iter().rev().flatten().collect()
    }

    /// A service by id.
    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }

    /// An event by id, also one that has ended, so a saved link still
    /// opens its page.
    pub fn event(&self, id: &str) -> Option<&Event> {
        self.events().iter().find(|e| e.id == id)
    }

    /// The municipalities that some service serves, for the filter list.
    pub fn municipalities(&self) -> BTreeSet<&str> {
        crate::tree::set_of(
            self.services
                .iter()
                .flat_map(|s| s.municipalities.iter().map(String::as_str)),
        )
    }

    /// The languages some service is offered in.
    pub fn languages(&self) -> BTreeSet<&str> {
        // A few languages over tens of thousands of cards: a short list is
        // searched for each card's languages instead of a tree, which took
        // the page 28 ms at 50,000 cards (now 8).
        let mut seen: Vec<&str> = Vec::new();
        for language in self.services.iter().flat_map(|s| &s.languages) {
            if !seen.contains(&language.as_str()) {
                seen.push(language);
            }
        }
        crate::tree::set_of(seen)
    }

    /// Services of one organisation.
    pub fn services_of(&self, organisation: &str) -> Vec<&Service> {
        self.services
            .iter()
            .filter(|s| s.organisation == organisation)
            .collect()
    }

    /// The achievements a service's task can earn, by the name shown in
    /// `lang`, in that language's alphabetical order.
    pub fn achievements_for(&self, service: &str, lang: Lang) -> Vec<&Achievement> {
        let found: Vec<&Achievement> = self
            .achievements()
            .values()
            .filter(|a| a.services.iter().any(|s| s == service))
            .collect();
        let names: Vec<&str> = found
            .iter()
            .map(|a| pick(&a.name, lang.tag()).map_or("", |(_, name)| name))
            .collect();
        sort_order(&names, lang)
            .into_iter()
            .map(|i| found[i])
            .collect()
    }

    /// The issuers of the subscribed regions as the badge verifier trusts
    /// them.
    pub fn trusted_issuers(&self) -> Vec<TrustedIssuer> {
        trusted(self.issuers(), |id| {
            self.organisations.get(id).map(|o| &o.name)
        })
    }

    /// Events that have not ended at `now` (Unix seconds), soonest first.
    pub fn upcoming_events(&self, now: i64) -> Vec<&Event> {
        self.events()
            .iter()
            .filter(|e| crate::time::DateTime::parse(&e.end).is_some_and(|end| end.unix() >= now))
            .collect()
    }

    /// What a kiosk's attract screen shows for its place and municipalities
    /// at `now` (Unix seconds): upcoming events held there and pop-up
    /// activities there first, then ongoing volunteer tasks. The place's
    /// own municipality counts as chosen, so a kiosk set up with a place
    /// alone shows its whole municipality.
    pub fn attract(&self, place: Option<&str>, municipalities: &[String], now: i64) -> Attract<'_> {
        let mut area: BTreeSet<&str> = municipalities.iter().map(String::as_str).collect();
        let places = self.places();
        if let Some(place) = place.and_then(|id| places.get(id)) {
            area.insert(&place.municipality);
        }
        let here = |codes: &[String]| codes.iter().any(|code| area.contains(code.as_str()));
        let events = self
            .upcoming_events(now)
            .into_iter()
            .filter(|event| {
                event.place.as_deref().is_some_and(|id| {
                    Some(id) == place
                        || places
                            .get(id)
                            .is_some_and(|p| area.contains(p.municipality.as_str()))
                })
            })
            .collect();
        let services = |kind: ServiceKind, volunteer_only: bool| {
            self.services
                .iter()
                .filter(|s| s.kind == kind && here(&s.municipalities))
                .filter(|s| !volunteer_only || s.role == ServiceRole::VolunteerTask)
                .collect()
        };
        Attract {
            events,
            pop_ups: services(ServiceKind::Popup, false),
            ongoing: services(ServiceKind::Ongoing, true),
        }
    }

    /// Number of services, organisations, places and events (reading the
    /// places and events, if no page has).
    pub fn len(&self) -> usize {
        self.services.len() + self.organisations.len() + self.places().len() + self.events().len()
    }

    /// Whether nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The URL parameter that keeps how many results "Show more" has drawn, so
/// a way back to the list (or a reload) shows as many as before.
pub const SHOWN_PARAM: &str = "shown";

/// How many results to draw from the `shown` parameter: whole pages of
/// `page` results, at least one, and at most `max_pages` so that an edited
/// address cannot make a cheap phone draw tens of thousands of cards.
pub fn shown_count(param: Option<&str>, page: usize, max_pages: usize) -> usize {
    let asked = param
        .and_then(|p| p.trim().parse::<usize>().ok())
        .unwrap_or(0);
    asked.div_ceil(page.max(1)).clamp(1, max_pages.max(1)) * page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_round_trips_through_url_parameters() {
        let check = |params: &[(&str, &str)], expected: &[(&str, &str)]| {
            let query = Query::from_params(params.iter().copied());
            let back: Vec<(&str, String)> = query.to_params();
            let back: Vec<(&str, &str)> = back.iter().map(|(k, v)| (*k, v.as_str())).collect();
            assert_eq!(back, expected, "{params:?}");
        };
        check(
            &[("q", "ystävä"), ("m", "205"), ("group", "older_people")],
            &[("q", "ystävä"), ("m", "205"), ("group", "older_people")],
        );
        check(
            &[
                ("kind", "popup"),
                ("role", "volunteer_task"),
                ("lang", "sv"),
                ("org", "org-a"),
            ],
            &[
                ("kind", "popup"),
                ("role", "volunteer_task"),
                ("lang", "sv"),
                ("org", "org-a"),
            ],
        );
        // Malformed or unknown values are dropped, not errors.
        check(
            &[
                ("m", "Kajaani"),
                ("group", "aliens"),
                ("kind", "weekly"),
                ("lang", "Finnish"),
                ("x", "1"),
                ("q", "  "),
            ],
            &[],
        );
    }

    #[test]
    fn events_are_found_by_id_and_listed_while_not_over() {
        let event = |id: &str, start: &str, end: &str| {
            serde_json::json!({
                "id": id, "name": {"fi": id}, "start": start, "end": end, "organiser": "org-a",
                "languages": ["fi"], "modified": "2026-11-01T10:00:00Z"
            })
            .to_string()
        };
        let records = [
            event(
                "later",
                "2026-12-12T10:00:00+02:00",
                "2026-12-12T16:00:00+02:00",
            ),
            event(
                "past",
                "2026-11-01T10:00:00+02:00",
                "2026-11-01T12:00:00+02:00",
            ),
            event(
                "soon",
                "2026-12-05T10:00:00+02:00",
                "2026-12-05T14:00:00+02:00",
            ),
        ];
        let catalogue = Catalogue::from_records(records.iter().map(|json| RawRecord {
            kind: Kind::Events,
            region: "r",
            partition: "all",
            json,
        }));
        // 2026-12-02T00:00:00Z.
        let now = 1_796_169_600;
        let ids = |events: Vec<&Event>| events.iter().map(|e| e.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(catalogue.upcoming_events(now)), ["soon", "later"]);
        let check = |id: &str, found: bool| {
            assert_eq!(catalogue.event(id).is_some(), found, "{id}");
        };
        check("soon", true);
        check("past", true);
        check("nothing", false);
    }

    #[test]
    fn attract_shows_the_areas_events_and_pop_ups_then_ongoing_tasks() {
        let place = |id: &str, municipality: &str| {
            serde_json::json!({
                "id": id, "name": {"fi": id}, "municipality": municipality,
                "address": {"street": {"fi": "Tie 1"}, "postal_code": "88900", "post_office": {"fi": "Kuhmo"}},
                "modified": "2026-11-01T10:00:00Z"
            })
            .to_string()
        };
        let event = |id: &str, place: &str, end: &str| {
            serde_json::json!({
                "id": id, "name": {"fi": id}, "start": end.replace("T12", "T10"), "end": end,
                "place": place, "organiser": "org-a", "languages": ["fi"],
                "modified": "2026-11-01T10:00:00Z"
            })
            .to_string()
        };
        let services = [
            service(
                "pop-here",
                "A",
                "205",
                "everyone",
                "popup",
                "service",
                &["fi"],
            ),
            service(
                "pop-away",
                "B",
                "290",
                "everyone",
                "popup",
                "service",
                &["fi"],
            ),
            service(
                "task-here",
                "C",
                "205",
                "everyone",
                "ongoing",
                "volunteer_task",
                &["fi"],
            ),
            service(
                "svc-here",
                "D",
                "205",
                "everyone",
                "ongoing",
                "service",
                &["fi"],
            ),
        ];
        let places = [place("hall", "205"), place("far", "290")];
        let events = [
            event("at-hall", "hall", "2026-12-24T12:00:00+02:00"),
            event("at-far", "far", "2026-12-28T12:00:00+02:00"),
            event("over", "hall", "2026-11-02T12:00:00+02:00"),
        ];
        let records = services
            .iter()
            .map(|json| (Kind::Services, json))
            .chain(places.iter().map(|json| (Kind::Places, json)))
            .chain(events.iter().map(|json| (Kind::Events, json)));
        let catalogue = Catalogue::from_records(records.map(|(kind, json)| RawRecord {
            kind,
            region: "r",
            partition: "all",
            json,
        }));
        // 2026-12-02T00:00:00Z.
        let now = 1_796_169_600;
        fn ids(attract: Attract<'_>) -> Vec<Vec<String>> {
            vec![
                attract.events.iter().map(|e| e.id.clone()).collect(),
                attract.pop_ups.iter().map(|s| s.id.clone()).collect(),
                attract.ongoing.iter().map(|s| s.id.clone()).collect(),
            ]
        }
        let expected = vec![vec!["at-hall"], vec!["pop-here"], vec!["task-here"]];
        // A place alone stands for its municipality.
        assert_eq!(ids(catalogue.attract(Some("hall"), &[], now)), expected);
        assert_eq!(
            ids(catalogue.attract(None, &["205".to_owned()], now)),
            expected
        );
        let both = ids(catalogue.attract(Some("hall"), &["290".to_owned()], now));
        assert_eq!(both[0], ["at-hall", "at-far"]);
        assert_eq!(both[1], ["pop-here", "pop-away"]);
        // A place the regions do not know shows nothing rather than everything.
        assert!(ids(catalogue.attract(Some("nowhere"), &[], now))
            .iter()
            .all(Vec::is_empty));
    }

    fn service(
        id: &str,
        name: &str,
        municipality: &str,
        group: &str,
        kind: &str,
        role: &str,
        langs: &[&str],
    ) -> String {
        serde_json::json!({
            "id": id, "organisation": "org-a", "name": {"fi": name}, "summary": {"fi": format!("{name} kuvaus")},
            "municipalities": [municipality], "target_groups": [group], "kind": kind, "role": role,
            "languages": langs, "modified": "2026-11-01T10:00:00Z"
        })
        .to_string()
    }

    fn catalogue() -> Catalogue {
        let records = [
            service(
                "s1",
                "Ystävätoiminta",
                "205",
                "older_people",
                "ongoing",
                "volunteer_task",
                &["fi"],
            ),
            service(
                "s2",
                "Perhekerho",
                "290",
                "children_families",
                "ongoing",
                "service",
                &["fi", "sv"],
            ),
            service(
                "s3",
                "Kielikahvila",
                "205",
                "everyone",
                "popup",
                "service",
                &["fi", "en"],
            ),
            "{not json".to_owned(),
        ];
        let org = r#"{"id":"org-a","name":{"fi":"Kajaanin Ystävät ry"},"municipality":"205","modified":"2026-11-01T10:00:00Z"}"#;
        let mut raw: Vec<RawRecord<'_>> = records
            .iter()
            .map(|json| RawRecord {
                kind: Kind::Services,
                region: "kainuu",
                partition: "all",
                json,
            })
            .collect();
        raw.push(RawRecord {
            kind: Kind::Organisations,
            region: "kainuu",
            partition: "all",
            json: org,
        });
        Catalogue::from_records(raw)
    }

    fn check(query: Query, expected: &[&str]) {
        let c = catalogue();
        let ids: Vec<&str> = c
            .search(&query, Lang::Fi)
            .iter()
            .map(|s| s.id.as_str())
            .collect();
        assert_eq!(ids, expected, "{query:?}");
    }

    #[test]
    fn filters_and_search_combine() {
        check(Query::default(), &["s3", "s2", "s1"]);
        check(
            Query {
                municipality: Some("205".into()),
                ..Query::default()
            },
            &["s3", "s1"],
        );
        // "Everyone" activities are shown for every target group.
        check(
            Query {
                target_group: Some(TargetGroup::OlderPeople),
                ..Query::default()
            },
            &["s3", "s1"],
        );
        check(
            Query {
                kind: Some(ServiceKind::Popup),
                ..Query::default()
            },
            &["s3"],
        );
        check(
            Query {
                role: Some(ServiceRole::Service),
                language: Some("sv".into()),
                ..Query::default()
            },
            &["s2"],
        );
        check(
            Query {
                text: "kerho".into(),
                ..Query::default()
            },
            &["s2"],
        );
        check(
            Query {
                text: "kahvila".into(),
                municipality: Some("205".into()),
                ..Query::default()
            },
            &["s3"],
        );
        check(
            Query {
                text: "kahvila".into(),
                municipality: Some("290".into()),
                ..Query::default()
            },
            &[],
        );
        // The organisation's name is searchable too.
        // The name match ranks first; the rest keep the stable order.
        check(
            Query {
                text: "kajaanin ystävät".into(),
                ..Query::default()
            },
            &["s1", "s3", "s2"],
        );
    }

    #[test]
    fn lists_sort_by_the_name_shown_in_the_ui_language() {
        // Issue 10: the Swedish list was sorted by the Finnish names, so
        // "Ärendehjälp" (Finnish "Asiointiapu") came first.
        let cards = [
            (
                "a",
                serde_json::json!({"fi": "Asiointiapu", "sv": "Ärendehjälp", "en": "Errand help"}),
            ),
            (
                "b",
                serde_json::json!({"fi": "Nuorisoilta", "sv": "Öppna ungdomskvällar"}),
            ),
            ("c", serde_json::json!({"fi": "Zumba"})),
            (
                "d",
                serde_json::json!({"fi": "Ystävätoiminta", "sv": "Vänverksamhet", "en": "Befriending"}),
            ),
        ];
        let records: Vec<String> = cards
            .iter()
            .map(|(id, name)| {
                serde_json::json!({
                    "id": id, "organisation": "org-a", "name": name, "summary": {"fi": "kuvaus"},
                    "municipalities": ["205"], "target_groups": ["everyone"], "kind": "ongoing",
                    "role": "service", "languages": ["fi"], "modified": "2026-11-01T10:00:00Z"
                })
                .to_string()
            })
            .collect();
        let c = Catalogue::from_records(records.iter().map(|json| RawRecord {
            kind: Kind::Services,
            region: "kainuu",
            partition: "all",
            json,
        }));
        let check = |text: &str, lang: Lang, expected: &[&str]| {
            let query = Query {
                text: text.into(),
                ..Query::default()
            };
            let ids: Vec<&str> = c
                .search(&query, lang)
                .iter()
                .map(|s| s.id.as_str())
                .collect();
            assert_eq!(ids, expected, "{text:?} in {lang:?}");
        };
        check("", Lang::Fi, &["a", "b", "d", "c"]);
        // Swedish names where there are any, å ä ö after z; "Zumba" has
        // only its Finnish name.
        check("", Lang::Sv, &["d", "c", "a", "b"]);
        // English falls back to Finnish for b and c.
        check("", Lang::En, &["d", "a", "b", "c"]);
        // Equal matches follow the same order; a better match still leads.
        check("kuvaus", Lang::Sv, &["d", "c", "a", "b"]);
        check("kuvaus", Lang::En, &["d", "a", "b", "c"]);
        check("zumba", Lang::Sv, &["c"]);
    }

    #[test]
    fn the_filter_count_leaves_out_the_text() {
        let check = |params: &[(&str, &str)], expected: usize| {
            let query = Query::from_params(params.iter().copied());
            assert_eq!(query.active_filters(), expected, "{params:?}");
        };
        check(&[], 0);
        check(&[("q", "kerho")], 0);
        check(&[("q", "kerho"), ("m", "205"), ("group", "carers")], 2);
        check(
            &[
                ("m", "205"),
                ("group", "carers"),
                ("kind", "popup"),
                ("role", "service"),
                ("lang", "sv"),
                ("org", "org-a"),
            ],
            6,
        );
        // A value the URL cannot mean is not counted.
        check(&[("m", "Kajaani"), ("kind", "weekly")], 0);
    }

    #[test]
    fn damaged_records_are_counted_not_fatal() {
        let c = catalogue();
        assert_eq!(c.unreadable, 1);
        assert_eq!(c.services.len(), 3);
        assert_eq!(
            c.municipalities().into_iter().collect::<Vec<_>>(),
            ["205", "290"]
        );
    }

    #[test]
    fn shown_counts_are_whole_pages_within_limits() {
        let check = |param: Option<&str>, expected: usize| {
            assert_eq!(shown_count(param, 50, 20), expected, "{param:?}");
        };
        check(None, 50);
        check(Some(""), 50);
        check(Some("lots"), 50);
        check(Some("-100"), 50);
        check(Some("0"), 50);
        check(Some("50"), 50);
        check(Some("100"), 100);
        check(Some(" 150 "), 150);
        check(Some("120"), 150);
        check(Some("1000"), 1000);
        check(Some("99999999"), 1000);
    }

    fn achievement(id: &str, fi: &str, sv: &str, services: &[&str]) -> String {
        serde_json::json!({
            "id": id, "ob_id": format!("urn:uuid:{id}"), "organisation": "org-a", "issuer": "iss-a",
            "name": {"fi": fi, "sv": sv}, "description": {"fi": "d"}, "criteria": {"fi": "c"},
            "services": services, "modified": "2026-11-01T10:00:00Z"
        })
        .to_string()
    }

    /// A card lists the achievements that name it, in the reader's
    /// alphabetical order of the names they see; the issuers become the
    /// verifier's trusted issuers named by their organisation.
    #[test]
    fn a_card_finds_the_badges_it_leads_to_and_issuers_are_trusted() {
        let org = r#"{"id":"org-a","name":{"fi":"Kajaanin Ystävät ry"},"municipality":"205","modified":"2026-11-01T10:00:00Z"}"#;
        let issuer = r#"{"id":"iss-a","organisation":"org-a","issuer_id":"https://example.fi/i",
            "keys":[{"id":"https://example.fi/i#1","jwk":{"kty":"OKP","crv":"Ed25519","x":"x"}}],"modified":"2026-11-01T10:00:00Z"}"#;
        let badges = [
            achievement("a1", "Ystäväkurssi", "Vänkurs", &["s1"]),
            achievement("a2", "Ensiapu", "Första hjälpen", &["s1", "s2"]),
            achievement("a3", "Asiakaspalvelu", "Kundservice", &["s2"]),
        ];
        let mut raw: Vec<RawRecord<'_>> = badges
            .iter()
            .map(|json| RawRecord {
                kind: Kind::Achievements,
                region: "kainuu",
                partition: "all",
                json,
            })
            .collect();
        raw.push(RawRecord {
            kind: Kind::Organisations,
            region: "kainuu",
            partition: "all",
            json: org,
        });
        raw.push(RawRecord {
            kind: Kind::Issuers,
            region: "kainuu",
            partition: "all",
            json: issuer,
        });
        let c = Catalogue::from_records(raw);
        let check = |service: &str, lang: Lang, expected: &[&str]| {
            let ids: Vec<&str> = c
                .achievements_for(service, lang)
                .iter()
                .map(|a| a.id.as_str())
                .collect();
            assert_eq!(ids, expected, "{service} in {lang:?}");
        };
        check("s1", Lang::Fi, &["a2", "a1"]);
        check("s1", Lang::Sv, &["a2", "a1"]);
        check("s2", Lang::Fi, &["a3", "a2"]);
        check("s2", Lang::Sv, &["a2", "a3"]);
        check("s3", Lang::Fi, &[]);
        let trusted = c.trusted_issuers();
        assert_eq!(trusted.len(), 1);
        assert_eq!(
            (trusted[0].id.as_str(), trusted[0].region.as_str()),
            ("https://example.fi/i", "kainuu")
        );
        assert_eq!(
            trusted[0].name.get("fi").map(String::as_str),
            Some("Kajaanin Ystävät ry")
        );
    }

    /// Issue 13: the shell hands the badge records to the badges module as
    /// published, and the module reads them into what the catalogue itself
    /// reads: the same achievements (a later region's record of an id
    /// winning) and trusted issuers, named by their organisation or, when
    /// it is unknown, by their own id.
    #[test]
    fn badge_records_handed_as_published_read_as_the_catalogue_reads_them() {
        let issuer = |id: &str, org: &str| {
            format!(
                r#"{{"id":"{id}","organisation":"{org}","issuer_id":"https://example.fi/{id}",
                "keys":[{{"id":"https://example.fi/{id}#1","jwk":{{"kty":"OKP","crv":"Ed25519","x":"x"}}}}],
                "modified":"2026-11-01T10:00:00Z"}}"#
            )
        };
        let org = r#"{"id":"org-a","name":{"fi":"Kajaanin Ystävät ry","sv":"Kajana vänner rf"},"municipality":"205","modified":"2026-11-01T10:00:00Z"}"#;
        let records = [
            ("kainuu", Kind::Organisations, org.to_owned()),
            ("kainuu", Kind::Issuers, issuer("iss-a", "org-a")),
            ("lappi", Kind::Issuers, issuer("iss-b", "org-unknown")),
            (
                "kainuu",
                Kind::Achievements,
                achievement("a1", "Ystäväkurssi", "Vänkurs", &["s1"]),
            ),
            (
                "lappi",
                Kind::Achievements,
                achievement("a1", "Uusi nimi", "Nytt namn", &["s1"]),
            ),
            (
                "lappi",
                Kind::Achievements,
                achievement("a2", "Ensiapu", "Första hjälpen", &["s2"]),
            ),
        ];
        let c = Catalogue::from_records(records.iter().map(|(region, kind, json)| RawRecord {
            kind: *kind,
            region,
            partition: "all",
            json,
        }));
        let handed = serde_json::to_string(&c.published_badges()).expect("written");
        let read = serde_json::from_str::<PublishedBadges>(&handed)
            .expect("read back")
            .read();
        let expected = crate::wallet::BadgeFeed {
            achievements: c.achievements().values().cloned().collect(),
            trusted: c.trusted_issuers(),
        };
        assert_eq!(read, expected);
        let names: Vec<_> = read
            .achievements
            .iter()
            .map(|a| (a.id.as_str(), a.name.get("fi").map(String::as_str)))
            .collect();
        assert_eq!(names, [("a1", Some("Uusi nimi")), ("a2", Some("Ensiapu"))]);
        let trusted: Vec<_> = read
            .trusted
            .iter()
            .map(|t| {
                (
                    t.region.as_str(),
                    t.name.get("sv").or(t.name.get("und")).map(String::as_str),
                )
            })
            .collect();
        assert_eq!(
            trusted,
            [
                ("kainuu", Some("Kajana vänner rf")),
                ("lappi", Some("https://example.fi/iss-b"))
            ]
        );
    }
}
