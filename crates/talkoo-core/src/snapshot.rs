//! A region's catalogue as one compact value, so that a start reads one value per region instead of parsing every record and building the search index again.
//!
//! A snapshot holds what lists, filters and search use: the services
//! without their long texts (the card's page reads the whole record from
//! storage), the region's other records, the services' order by their
//! Finnish names and the built search index. It is stamped with the format
//! below and with the region's version; a snapshot of another format or
//! version is ignored and built again from the records, so it is only ever
//! a faster way to the same catalogue.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::catalogue::{name_order, service_texts, RawRecord};
use crate::collate::permute;
use crate::feed::Kind;
use crate::lang_map::LangMap;
use crate::model::{
    Achievement, Event, Issuer, LangText, Organisation, Place, Service, ServiceKind, ServiceRole,
    TargetGroup,
};
use crate::search::{IndexBuilder, IndexParts, SearchIndex};
use crate::Lang;

/// What a snapshot's bytes mean; raised whenever what is kept or how it is
/// written changes, so that older snapshots are built again. Format 2 added
/// the Swedish and English name orders.
pub const FORMAT: u32 = 2;

/// Why stored bytes could not be read as a snapshot; the records are then
/// read instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotError {
    /// Written by another version of Talkoo, in another format.
    #[error("the saved catalogue summary is of format {found}, this version reads {FORMAT}")]
    Format {
        /// The format the bytes announce.
        found: u32,
    },
    /// Cut short or altered.
    #[error("the saved catalogue summary is damaged: {0}")]
    Damaged(String),
}

/// One region as the catalogue needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionSnapshot {
    /// The region's id.
    pub region: String,
    /// The region's version the snapshot was made of.
    pub version: String,
    /// The services, in the order of their Finnish names, without the long
    /// texts that only their own page shows ([`slim`]).
    pub services: Vec<Service>,
    /// Each service's partition, for reading its whole record.
    pub partitions: Vec<String>,
    /// The region's organisations. Its places, events, competence badges
    /// and badge issuers stay JSON text (`texts`): only the pages that show
    /// them read them ([`crate::catalogue::Catalogue::places`] …), so the
    /// first-load shell carries none of their readers.
    pub organisations: Vec<Organisation>,
    /// Records that could not be read.
    pub unreadable: usize,
    /// The services' search index, by position in `services`.
    pub index: SearchIndex,
    /// The services in the order of their names as shown in Swedish and
    /// in English, as positions in `services` (Finnish is `services`' own
    /// order): made with the snapshot, off the page, so that a list in
    /// either language does not sort tens of thousands of names on the
    /// page when it is first shown.
    pub orders: [Vec<u32>; 2],
    /// The other kinds' records (organisations, places, events,
    /// achievements, issuers) each as one JSON array of the records as
    /// published, by id: what `encode` writes, so that the model is never
    /// written again (its writers would go into the first-load shell).
    pub(crate) texts: [String; 5],
}

/// The kinds kept as published JSON, in the order of `RegionSnapshot::texts`.
const OTHER_KINDS: [Kind; 5] = [
    Kind::Organisations,
    Kind::Places,
    Kind::Events,
    Kind::Achievements,
    Kind::Issuers,
];

/// A service as lists, filters and search keep it: the description, cost,
/// requirements, schedule, contact and keywords are dropped (they are
/// searched through the index, and shown only on the card's own page,
/// which reads the whole record). At 50,000 cards this is most of the
/// catalogue's memory.
pub fn slim(mut service: Service) -> Service {
    drop_long_texts(&mut service);
    service
}

/// What [`slim`] does, in place.
fn drop_long_texts(service: &mut Service) {
    service.description = LangMap::new();
    service.cost = LangMap::new();
    service.requirements = LangMap::new();
    service.schedule = None;
    service.contact = None;
    service.keywords = LangMap::new();
}

/// How a snapshot is written, in postcard: the services as the fields
/// [`slim`] keeps, the other records as the JSON they were published in (a
/// format without field names cannot read back the model's skipped
/// optional fields), and the index as arrays of numbers. [`Head`], the
/// services as [`SlimRow`]s and [`Decoding`]'s parts read what this
/// writes, field for field: postcard writes a struct's fields one after
/// the other, and a list as its length followed by its items.
#[derive(Serialize)]
struct StoredOut<'a> {
    region: &'a str,
    version: &'a str,
    unreadable: u32,
    services: Vec<SlimService<'a>>,
    partitions: &'a [String],
    organisations: &'a str,
    places: &'a str,
    events: &'a str,
    achievements: &'a str,
    issuers: &'a str,
    index: IndexParts,
    orders: &'a [Vec<u32>; 2],
}

/// What a snapshot holds before its services, as [`StoredOut`] writes it.
/// A snapshot is read back a part at a time — this, the services one at a
/// time, then each of the fields after them ([`Decoding`]) — so that a
/// page can stop between the parts.
#[derive(Deserialize)]
struct Head {
    region: String,
    version: String,
    unreadable: u32,
}

/// Whether `order` holds each of `0..count` exactly once.
fn is_permutation(order: &[u32], count: usize) -> bool {
    let mut seen = vec![false; count];
    order.len() == count
        && order.iter().all(|&i| {
            seen.get_mut(i as usize)
                .is_some_and(|s| !std::mem::replace(s, true))
        })
}

fn damaged(e: impl std::fmt::Display) -> SnapshotError {
    SnapshotError::Damaged(e.to_string())
}

/// Builds a region's snapshot one record at a time, so storage can hand
/// records over as it reads them and the services' JSON, most of a large
/// region, is never held whole (the other kinds' JSON is kept: the
/// snapshot stores it).
#[derive(Debug)]
pub struct SnapshotBuilder {
    snapshot: RegionSnapshot,
    /// The JSON of each record of the other kinds, with its kind and id.
    published: Vec<(Kind, String, String)>,
    /// The services' search index, documents numbered in the order the
    /// services came.
    index: IndexBuilder,
    /// How many of `snapshot.services` (the first ones) are in `index`
    /// already, and kept [`slim`]; the others are whole until `finish`.
    indexed: usize,
    /// Every organisation, by id, once [`SnapshotBuilder::services_follow`]
    /// said that no other will come.
    organisations: Option<BTreeMap<String, Organisation>>,
    /// Whether the index is left to [`LateIndex`]
    /// ([`SnapshotBuilder::index_later`]).
    index_later: bool,
}

/// A [`SnapshotBuilder`] to which only services are added, each indexed as
/// it comes and kept without its long texts: at 50,000 cards, holding every
/// service whole until `finish` took over 100 MB more of the sync worker's
/// memory.
#[derive(Debug)]
pub struct ServicesBuilder(SnapshotBuilder);

impl ServicesBuilder {
    /// Parses one service record of `partition` into the snapshot; one that
    /// cannot be read is counted, not fatal.
    pub fn add(&mut self, partition: &str, json: &str) {
        self.0.add_service(partition, json);
    }

    /// Adds a service of `partition` already parsed: a sync has parsed
    /// its data file whole to validate it, and at 50,000 cards parsing
    /// every service again from its JSON took 1.7 s.
    pub fn add_parsed(&mut self, partition: &str, service: Service) {
        self.0.push_service(partition, service);
    }

    /// The snapshot ([`SnapshotBuilder::finish`]).
    pub fn finish(self) -> RegionSnapshot {
        self.0.finish()
    }
}

impl SnapshotBuilder {
    /// Leaves the search index out: each service is kept without its long
    /// texts as it comes, and the snapshot is finished without an index
    /// ([`RegionSnapshot::indexed`]), which [`LateIndex`] builds afterwards
    /// from the services' records read again. The sync worker hands such a
    /// snapshot to the page first, so a region's list is on screen while
    /// its index is built: at 10,000 cards, indexing the services as they
    /// came was a fifth of the time from the tap to the first results
    /// (issue 13).
    pub fn index_later(mut self) -> Self {
        self.index_later = true;
        self
    }

    /// Every record but the services has been added: the services follow,
    /// and each is indexed as it comes, since the organisations whose names
    /// it is found by are all known.
    pub fn services_follow(mut self) -> ServicesBuilder {
        let organisations = self
            .published
            .iter()
            .filter(|(kind, _, _)| *kind == Kind::Organisations)
            .filter_map(|(_, _, json)| serde_json::from_str::<Organisation>(json).ok())
            .map(|o| (o.id.clone(), o))
            .collect();
        self.organisations = Some(organisations);
        ServicesBuilder(self)
    }

    /// Parses a service, indexing it at once when the organisations are
    /// known.
    fn add_service(&mut self, partition: &str, json: &str) {
        let Ok(service) = serde_json::from_str::<Service>(json) else {
            self.snapshot.unreadable += 1;
            return;
        };
        self.push_service(partition, service);
    }

    /// Adds a parsed service, indexing it at once when the organisations
    /// are known.
    fn push_service(&mut self, partition: &str, service: Service) {
        let service = match &self.organisations {
            _ if self.index_later => slim(service),
            Some(organisations) if self.indexed == self.snapshot.services.len() => {
                let organisation = organisations.get(service.organisation.as_str());
                self.index.add(service_texts(&service, organisation));
                self.indexed += 1;
                slim(service)
            }
            _ => service,
        };
        self.snapshot.services.push(service);
        self.snapshot.partitions.push(partition.to_owned());
    }

    /// Parses one record into the snapshot; one that cannot be read is
    /// counted, not fatal.
    pub fn add(&mut self, record: RawRecord<'_>) {
        let json = record.json;
        // The other kinds are read to check them and to learn their ids;
        // `finish` reads them again from one array per kind, as a start
        // reads the stored snapshot.
        fn id<T: serde::de::DeserializeOwned>(json: &str, id: fn(T) -> String) -> Option<String> {
            serde_json::from_str(json).ok().map(id)
        }
        let id = match record.kind {
            Kind::Services => {
                self.add_service(record.partition, json);
                return;
            }
            Kind::Organisations => id(json, |o: Organisation| o.id),
            Kind::Places => id(json, |p: Place| p.id),
            Kind::Events => id(json, |e: Event| e.id),
            Kind::Achievements => id(json, |a: Achievement| a.id),
            Kind::Issuers => id(json, |i: Issuer| i.id),
        };
        match id {
            Some(id) => self.published.push((record.kind, id, json.to_owned())),
            None => self.snapshot.unreadable += 1,
        }
    }

    /// Orders the services by their Finnish names (equal names by
    /// partition and id, as storage keeps them, whatever order the records
    /// came in), builds their search index and drops their long texts.
    pub fn finish(self) -> RegionSnapshot {
        let SnapshotBuilder {
            mut snapshot,
            mut published,
            mut index,
            indexed,
            organisations: _,
            index_later,
        } = self;
        // Every kind by id, whatever order the records came in, so that the
        // same records always make the same snapshot.
        published.sort_unstable_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        for (index, kind) in OTHER_KINDS.into_iter().enumerate() {
            let mut text = String::from("[");
            let mut ranges = Vec::new();
            for (_, _, json) in published.iter().filter(|(k, _, _)| *k == kind) {
                if !ranges.is_empty() {
                    text.push(',');
                }
                ranges.push(text.len()..text.len() + json.len());
                text.push_str(json);
            }
            text.push(']');
            snapshot.texts[index] = text;
            if kind == Kind::Organisations {
                // Each record was read alone above, so it reads again here.
                let _ = snapshot.read_organisations(&ranges);
            }
        }
        drop(published);
        // The services not indexed as they came are indexed now, in the
        // order they came, so each is numbered by its place in `services`.
        if !index_later {
            let organisations: BTreeMap<&str, &Organisation> = snapshot
                .organisations
                .iter()
                .map(|o| (o.id.as_str(), o))
                .collect();
            for service in &mut snapshot.services[indexed..] {
                let organisation = organisations.get(service.organisation.as_str()).copied();
                index.add(service_texts(service, organisation));
                drop_long_texts(service);
            }
        }
        let mut by_key: Vec<usize> = (0..snapshot.services.len()).collect();
        by_key.sort_by(|&a, &b| {
            (&snapshot.partitions[a], &snapshot.services[a].id)
                .cmp(&(&snapshot.partitions[b], &snapshot.services[b].id))
        });
        permute(&mut snapshot.services, by_key.clone());
        permute(&mut snapshot.partitions, by_key.clone());
        let order = name_order(&snapshot.services, Lang::Fi);
        permute(&mut snapshot.services, order.clone());
        permute(&mut snapshot.partitions, order.clone());
        // The i-th service now is the one that came `by_key[order[i]]`-th.
        let came: Vec<usize> = order.into_iter().map(|i| by_key[i]).collect();
        drop(by_key);
        // A region without services has its empty index at once: the
        // index left for later would otherwise be the empty value, which
        // does not read back as an index.
        if !index_later || came.is_empty() {
            snapshot.index = index.build_in_order(&came);
        }
        snapshot.orders = [Lang::Sv, Lang::En].map(|lang| {
            name_order(&snapshot.services, lang)
                .into_iter()
                .map(|i| i as u32)
                .collect()
        });
        snapshot
    }
}

/// The search index of a snapshot finished without it
/// ([`SnapshotBuilder::index_later`]), built from the services' whole
/// records read again, in any order: each is numbered by its place in the
/// snapshot, found by its partition and id.
#[derive(Debug)]
pub struct LateIndex<'a> {
    /// Each service's place in the snapshot, by partition and id.
    at: FxHashMap<(&'a str, &'a str), u32>,
    /// The snapshot's organisations by id, whose names find their services.
    organisations: FxHashMap<&'a str, &'a Organisation>,
    /// For each place in the snapshot, the number `index` gave its service
    /// (`usize::MAX` while it has not come).
    came: Vec<usize>,
    index: IndexBuilder,
}

impl<'a> LateIndex<'a> {
    /// A late index of `snapshot`'s services.
    pub fn new(snapshot: &'a RegionSnapshot) -> Self {
        let at = snapshot
            .partitions
            .iter()
            .zip(&snapshot.services)
            .zip(0u32..)
            .map(|((partition, service), at)| ((partition.as_str(), service.id.as_str()), at))
            .collect();
        let organisations = snapshot
            .organisations
            .iter()
            .map(|o| (o.id.as_str(), o))
            .collect();
        LateIndex {
            at,
            organisations,
            came: vec![usize::MAX; snapshot.services.len()],
            index: IndexBuilder::new(),
        }
    }

    /// Indexes the whole record of a service of `partition`; answers
    /// whether the snapshot holds it and it had not come before (one that
    /// does not, or came before, is left out).
    pub fn add(&mut self, partition: &str, service: &Service) -> bool {
        let Some(&at) = self.at.get(&(partition, service.id.as_str())) else {
            return false;
        };
        let slot = &mut self.came[at as usize];
        if *slot != usize::MAX {
            return false;
        }
        let organisation = self
            .organisations
            .get(service.organisation.as_str())
            .copied();
        *slot = self.index.add(service_texts(service, organisation)) as usize;
        true
    }

    /// The index, if every service of the snapshot came; `None` if one
    /// did not (the snapshot then stays without its index).
    pub fn finish(self) -> Option<SearchIndex> {
        if self.came.contains(&usize::MAX) {
            return None;
        }
        Some(self.index.build_in_order(&self.came))
    }
}

impl RegionSnapshot {
    /// A builder for `region` at `version`.
    pub fn builder(region: &str, version: &str) -> SnapshotBuilder {
        SnapshotBuilder {
            published: Vec::new(),
            index: IndexBuilder::new(),
            indexed: 0,
            organisations: None,
            index_later: false,
            snapshot: RegionSnapshot::empty(region, version),
        }
    }

    /// Whether the snapshot has its search index: one finished without it
    /// ([`SnapshotBuilder::index_later`]) finds nothing until [`LateIndex`]
    /// has built it. A snapshot without services has nothing to index.
    pub fn indexed(&self) -> bool {
        self.index.len() == self.services.len()
    }

    /// A snapshot of `region` at `version` without a record: what a
    /// region chosen but not stored yet shows.
    pub fn empty(region: &str, version: &str) -> RegionSnapshot {
        RegionSnapshot {
            region: region.to_owned(),
            version: version.to_owned(),
            services: Vec::new(),
            partitions: Vec::new(),
            organisations: Vec::new(),
            unreadable: 0,
            index: SearchIndex::default(),
            texts: Default::default(),
            orders: Default::default(),
        }
    }

    /// Parses a region's records, orders its services and builds their
    /// search index ([`SnapshotBuilder`]).
    pub fn build<'a>(
        region: &str,
        version: &str,
        records: impl IntoIterator<Item = RawRecord<'a>>,
    ) -> RegionSnapshot {
        let mut builder = RegionSnapshot::builder(region, version);
        for record in records {
            builder.add(record);
        }
        builder.finish()
    }

    /// The snapshot as bytes to store.
    pub fn encode(&self) -> Vec<u8> {
        let [organisations, places, events, achievements, issuers] = &self.texts;
        let stored = StoredOut {
            region: &self.region,
            version: &self.version,
            unreadable: u32::try_from(self.unreadable).unwrap_or(u32::MAX),
            services: self.services.iter().map(SlimService::of).collect(),
            partitions: &self.partitions,
            organisations,
            places,
            events,
            achievements,
            issuers,
            index: self.index.to_parts(),
            orders: &self.orders,
        };
        // One vector of exactly the right size, measured by a first pass: at
        // 50,000 cards a snapshot is tens of megabytes, and a vector grown
        // by doubling, or from an estimate a little short, needed up to
        // twice that at the sync worker's peak. Writing into a vector
        // cannot fail, and every part is plain data.
        let size = postcard::experimental::serialized_size(&FORMAT).unwrap_or_default()
            + postcard::experimental::serialized_size(&stored).unwrap_or_default();
        let bytes = postcard::serialize_with_flavor(&FORMAT, Copied(Vec::with_capacity(size)))
            .unwrap_or_default();
        postcard::serialize_with_flavor(&stored, Copied(bytes)).unwrap_or_default()
    }

    /// The snapshot's search index alone, stamped with the format, the
    /// region and its version: what the sync worker hands over once it
    /// has built the index of a region it handed over without it
    /// ([`SnapshotBuilder::index_later`]), so the page adds the index to
    /// the region it shows instead of reading the region again, which at
    /// 50,000 cards held two copies of its cards in the page's memory.
    /// It starts as a snapshot does (format, then [`Head`]), so the page
    /// reads it with the same code.
    pub fn encode_index(&self) -> Vec<u8> {
        let head = (FORMAT, &self.region, &self.version, 0u32);
        let bytes = postcard::serialize_with_flavor(&head, Copied(Vec::new())).unwrap_or_default();
        postcard::serialize_with_flavor(&self.index.to_parts(), Copied(bytes)).unwrap_or_default()
    }

    /// Reads the organisations at `ranges` of their JSON text, after
    /// those read before.
    fn read_organisations(
        &mut self,
        ranges: &[std::ops::Range<usize>],
    ) -> Result<(), SnapshotError> {
        let text = &self.texts[0];
        self.organisations.reserve(ranges.len());
        for range in ranges {
            let json = text.get(range.clone()).unwrap_or_default();
            self.organisations
                .push(serde_json::from_str(json).map_err(damaged)?);
        }
        Ok(())
    }

    /// A snapshot back from its bytes, all at once ([`Decoding`] reads it
    /// a part at a time).
    pub fn decode(bytes: &[u8]) -> Result<RegionSnapshot, SnapshotError> {
        Decoding::new(bytes)?.finish()
    }
}

/// A snapshot read back a part at a time: [`Decoding::step`] reads a
/// number of services or of the other records, or one part of what follows
/// the services, so a page can decode a region of tens of thousands of
/// cards in slices and let the browser draw and answer taps between them.
/// The region and version are known from the start, so a snapshot of the
/// wrong version is set aside before its bulk is read.
#[derive(Debug)]
pub struct Decoding<'a> {
    /// What is still to be read.
    rest: &'a [u8],
    /// What has been read so far.
    snapshot: RegionSnapshot,
    /// Services still to be read.
    left: usize,
    /// The part the next step reads.
    part: Part,
    /// Whether a snapshot without its index is read
    /// ([`Decoding::index_may_follow`]).
    index_may_follow: bool,
}

/// The parts of a snapshot after its services, in the order [`Decoding`]
/// reads them; [`StoredOut`] writes them in this order too, except that
/// the organisations, held as JSON text, are read last.
#[derive(Debug)]
enum Part {
    Services,
    Partitions,
    Texts,
    Index,
    /// The index's arrays, read by the step before, to be put together
    /// and checked. At 50,000 cards, in wasm in Chromium, reading the
    /// arrays took 12 to 21 ms and putting them together 40 ms: as one
    /// step, over 50 ms.
    IndexCheck(IndexParts),
    Orders,
    /// The organisations: where each one's JSON is in their text (found by
    /// the first step), and how many have been read. The other kinds stay
    /// text until a page asks for them.
    Organisations {
        items: Option<Vec<std::ops::Range<usize>>>,
        read: usize,
    },
    Done,
}

impl<'a> Decoding<'a> {
    /// Starts reading `bytes`: checks the format and reads the region, its
    /// version and the number of services.
    pub fn new(bytes: &'a [u8]) -> Result<Self, SnapshotError> {
        let (format, rest) = postcard::take_from_bytes::<u32>(bytes).map_err(damaged)?;
        if format != FORMAT {
            return Err(SnapshotError::Format { found: format });
        }
        let (head, rest) = postcard::take_from_bytes::<Head>(rest).map_err(damaged)?;
        let (left, rest) = postcard::take_from_bytes::<usize>(rest).map_err(damaged)?;
        let mut snapshot = RegionSnapshot::builder(&head.region, &head.version).snapshot;
        snapshot.unreadable = head.unreadable as usize;
        // Every service takes several bytes, so a count beyond the bytes
        // left is damage, and reserving it could exhaust the memory.
        if left > rest.len() {
            return Err(damaged("it lists more cards than it holds"));
        }
        snapshot.services.reserve_exact(left);
        Ok(Decoding {
            rest,
            snapshot,
            left,
            part: if left == 0 {
                Part::Partitions
            } else {
                Part::Services
            },
            index_may_follow: false,
        })
    }

    /// Reads a snapshot finished without its search index
    /// ([`SnapshotBuilder::index_later`]) too, as one the sync worker hands
    /// over before its index: a stored snapshot always has one, and one
    /// without is damage.
    pub fn index_may_follow(mut self) -> Self {
        self.index_may_follow = true;
        self
    }

    /// The region the snapshot is of.
    pub fn region(&self) -> &str {
        &self.snapshot.region
    }

    /// The region's version the snapshot was made of.
    pub fn version(&self) -> &str {
        &self.snapshot.version
    }

    /// Reads the next part: up to `items` more services, or the services'
    /// partitions, the other records' text, the index, the name orders,
    /// where the organisations are in their text, or up to `items` of them;
    /// answers whether everything has been read.
    pub fn step(&mut self, items: usize) -> Result<bool, SnapshotError> {
        let items = items.max(1);
        let count = self.snapshot.services.len() + self.left;
        self.part = match std::mem::replace(&mut self.part, Part::Done) {
            Part::Services => {
                for _ in 0..items.min(self.left) {
                    let row = self.take::<SlimRow>()?;
                    self.snapshot.services.push(row.service());
                    self.left -= 1;
                }
                if self.left == 0 {
                    Part::Partitions
                } else {
                    Part::Services
                }
            }
            Part::Partitions => {
                self.snapshot.partitions = self.take()?;
                if self.snapshot.partitions.len() != count {
                    return Err(damaged("its parts list different numbers of cards"));
                }
                Part::Texts
            }
            Part::Texts => {
                for text in &mut self.snapshot.texts {
                    let (read, rest) =
                        postcard::take_from_bytes::<String>(self.rest).map_err(damaged)?;
                    *text = read;
                    self.rest = rest;
                }
                Part::Index
            }
            Part::Index => Part::IndexCheck(self.take()?),
            Part::IndexCheck(parts) if self.index_may_follow && parts.is_unbuilt() => Part::Orders,
            Part::IndexCheck(parts) => {
                self.snapshot.index = SearchIndex::from_parts(parts)
                    .ok_or_else(|| damaged("its search index does not fit together"))?;
                if self.snapshot.index.len() != count {
                    return Err(damaged("its parts list different numbers of cards"));
                }
                Part::Orders
            }
            Part::Orders => {
                let orders: [Vec<u32>; 2] = self.take()?;
                // A list follows an order without checking it, so each
                // order must name every card once.
                if !orders.iter().all(|o| is_permutation(o, count)) {
                    return Err(damaged("its name orders do not list every card once"));
                }
                self.snapshot.orders = orders;
                self.rest = &[];
                Part::Organisations {
                    items: None,
                    read: 0,
                }
            }
            Part::Organisations { items: None, .. } => {
                // Only where each record starts and ends: the records
                // themselves are read a slice at a time by the next steps.
                let text = &self.snapshot.texts[0];
                let raw: Vec<&serde_json::value::RawValue> =
                    serde_json::from_str(text).map_err(damaged)?;
                let ranges = raw
                    .iter()
                    .map(|r| {
                        let start = r.get().as_ptr() as usize - text.as_ptr() as usize;
                        start..start + r.get().len()
                    })
                    .collect::<Vec<_>>();
                if ranges.is_empty() {
                    Part::Done
                } else {
                    Part::Organisations {
                        items: Some(ranges),
                        read: 0,
                    }
                }
            }
            Part::Organisations {
                items: Some(ranges),
                read,
            } => {
                let end = ranges.len().min(read + items);
                self.snapshot.read_organisations(&ranges[read..end])?;
                if end < ranges.len() {
                    Part::Organisations {
                        items: Some(ranges),
                        read: end,
                    }
                } else {
                    Part::Done
                }
            }
            Part::Done => Part::Done,
        };
        Ok(matches!(self.part, Part::Done))
    }

    /// Reads one value from what is left.
    fn take<T: serde::de::DeserializeOwned>(&mut self) -> Result<T, SnapshotError> {
        let (value, rest) = postcard::take_from_bytes::<T>(self.rest).map_err(damaged)?;
        self.rest = rest;
        Ok(value)
    }

    /// Reads whatever is left and gives the snapshot.
    pub fn finish(mut self) -> Result<RegionSnapshot, SnapshotError> {
        while !self.step(usize::MAX)? {}
        Ok(self.snapshot)
    }
}

/// A search index encoded by [`RegionSnapshot::encode_index`]: its
/// region, the region's version and the index's arrays, which
/// `SearchIndex::from_parts` puts together (at 50,000 cards reading the
/// arrays and putting them together are each a task of tens of
/// milliseconds, which a page runs apart).
pub fn index_parts(bytes: &[u8]) -> Result<(String, String, IndexParts), SnapshotError> {
    let (format, rest) = postcard::take_from_bytes::<u32>(bytes).map_err(damaged)?;
    if format != FORMAT {
        return Err(SnapshotError::Format { found: format });
    }
    let (head, rest) = postcard::take_from_bytes::<Head>(rest).map_err(damaged)?;
    let (parts, _) = postcard::take_from_bytes::<IndexParts>(rest).map_err(damaged)?;
    Ok((head.region, head.version, parts))
}

/// Postcard's output into a vector, each part copied in whole. Postcard's
/// own writer into a vector (`to_extend`) goes through `Extend`, which the
/// size-optimised wasm ran a byte at a time: over half of what encoding a
/// 10,000-card snapshot took in the sync worker's profiles (issue 13).
/// Postcard's `AllocVec` copies the same way but always starts empty, and
/// a 50,000-card snapshot (42 MB) grown by doubling would be copied again
/// at each step, the old and the new buffer both held while it is.
struct Copied(Vec<u8>);

impl postcard::ser_flavors::Flavor for Copied {
    type Output = Vec<u8>;

    fn try_push(&mut self, byte: u8) -> postcard::Result<()> {
        self.0.push(byte);
        Ok(())
    }

    fn try_extend(&mut self, bytes: &[u8]) -> postcard::Result<()> {
        self.0.extend_from_slice(bytes);
        Ok(())
    }

    fn finalize(self) -> postcard::Result<Vec<u8>> {
        Ok(self.0)
    }
}

/// What a snapshot writes of a service: the fields [`slim`] keeps, in the
/// order [`SlimRow`] reads them. Writing only these keeps the writers of
/// the rest of the model (schedules, contacts, …) out of the first-load
/// shell.
#[derive(Serialize)]
struct SlimService<'a> {
    id: &'a str,
    organisation: &'a str,
    name: &'a LangText,
    summary: &'a LangText,
    municipalities: &'a [String],
    target_groups: &'a [TargetGroup],
    kind: ServiceKind,
    role: ServiceRole,
    languages: &'a [String],
    free: bool,
    places: &'a [String],
    modified: &'a str,
}

/// A service as a snapshot holds it; see [`SlimService`].
#[derive(Deserialize)]
struct SlimRow {
    id: String,
    organisation: String,
    name: LangText,
    summary: LangText,
    municipalities: Vec<String>,
    target_groups: Vec<TargetGroup>,
    kind: ServiceKind,
    role: ServiceRole,
    languages: Vec<String>,
    free: bool,
    places: Vec<String>,
    modified: String,
}

impl SlimRow {
    /// The service as [`slim`] leaves it.
    fn service(self) -> Service {
        Service {
            id: self.id,
            organisation: self.organisation,
            name: self.name,
            summary: self.summary,
            description: LangMap::new(),
            municipalities: self.municipalities,
            target_groups: self.target_groups,
            kind: self.kind,
            role: self.role,
            languages: self.languages,
            free: self.free,
            cost: LangMap::new(),
            requirements: LangMap::new(),
            schedule: None,
            contact: None,
            places: self.places,
            keywords: LangMap::new(),
            modified: self.modified,
        }
    }
}

impl<'a> SlimService<'a> {
    fn of(s: &'a Service) -> Self {
        SlimService {
            id: &s.id,
            organisation: &s.organisation,
            name: &s.name,
            summary: &s.summary,
            municipalities: &s.municipalities,
            target_groups: &s.target_groups,
            kind: s.kind,
            role: s.role,
            languages: &s.languages,
            free: s.free,
            places: &s.places,
            modified: &s.modified,
        }
    }
}
