//! Issue 13: a region's snapshot is a faster way to the same catalogue: read back, it lists, filters and finds exactly what the records do, and damaged or older bytes are refused without a panic.

use talkoo_core::catalogue::{Catalogue, Query, RawRecord};
use talkoo_core::feed::Kind;
use talkoo_core::model::Service;
use talkoo_core::search::SearchIndex;
use talkoo_core::snapshot::{
    index_parts, Decoding, LateIndex, RegionSnapshot, SnapshotError, FORMAT,
};
use talkoo_core::Lang;

const REGIONS: [&str; 3] = ["kainuu", "meri-lappi", "varsinais-suomi"];

/// Every record of a demo region, as (kind, partition, JSON); each
/// service's partition is its first municipality, as the feed tool files it.
fn demo_records(region: &str) -> Vec<(Kind, String, String)> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../feed-src");
    let mut records = Vec::new();
    for kind in Kind::ALL {
        let path = format!("{root}/{region}/{}.json", kind.name());
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let values: Vec<serde_json::Value> = serde_json::from_str(&text).expect("a list");
        records.extend(values.iter().map(|v| {
            let partition = v["municipalities"][0].as_str().unwrap_or("all").to_owned();
            (kind, partition, v.to_string())
        }));
    }
    assert!(records.len() > 10, "{region} has records");
    records
}

fn raw<'a>(region: &'a str, records: &'a [(Kind, String, String)]) -> Vec<RawRecord<'a>> {
    records
        .iter()
        .map(|(kind, partition, json)| RawRecord {
            kind: *kind,
            region,
            partition,
            json,
        })
        .collect()
}

fn snapshot(region: &str, records: &[(Kind, String, String)]) -> RegionSnapshot {
    RegionSnapshot::build(region, "v1", raw(region, records))
}

/// What a person sees of a catalogue: every query's results in every
/// language, the filters' choices, events and badges.
fn seen(catalogue: &Catalogue) -> Vec<String> {
    let mut seen = Vec::new();
    let queries = [
        "",
        "ystävä",
        "ystava",
        "kerho",
        "kahvila",
        "vän",
        "ikäihmisille",
        "ystvä",
        "kela",
        "läxhjälp",
        "musik kör",
        "x",
    ];
    for lang in [Lang::Fi, Lang::Sv, Lang::En] {
        for q in queries {
            let query = Query {
                text: q.to_owned(),
                ..Query::default()
            };
            let ids: Vec<&str> = catalogue
                .search(&query, lang)
                .iter()
                .map(|s| s.id.as_str())
                .collect();
            seen.push(format!("{lang:?} {q:?}: {ids:?}"));
        }
    }
    seen.push(format!("{:?}", catalogue.municipalities()));
    seen.push(format!("{:?}", catalogue.languages()));
    seen.push(format!("{:?}", catalogue.organisations));
    seen.push(format!("{:?}", catalogue.places()));
    seen.push(format!("{:?}", catalogue.events()));
    seen.push(format!("{:?}", catalogue.achievements()));
    seen.push(format!("{:?}", catalogue.issuers()));
    seen
}

#[test]
fn a_snapshot_read_back_shows_what_the_records_show() {
    let records: Vec<_> = REGIONS.iter().map(|r| demo_records(r)).collect();
    let from_records = Catalogue::from_records(
        REGIONS
            .iter()
            .zip(&records)
            .flat_map(|(region, records)| raw(region, records)),
    );
    let from_bytes = Catalogue::from_regions(
        REGIONS
            .iter()
            .zip(&records)
            .map(|(region, records)| {
                let bytes = snapshot(region, records).encode();
                RegionSnapshot::decode(&bytes).expect("reads back")
            })
            .collect(),
    );
    assert_eq!(seen(&from_bytes), seen(&from_records));
    assert_eq!(from_bytes.services, from_records.services);
    let versions: Vec<(&str, &str)> = from_bytes.region_versions().collect();
    assert_eq!(
        versions,
        [
            ("kainuu", "v1"),
            ("meri-lappi", "v1"),
            ("varsinais-suomi", "v1")
        ]
    );
}

#[test]
fn services_are_kept_without_their_long_texts_and_their_records_are_found() {
    let records = demo_records("kainuu");
    let full: Vec<Service> = records
        .iter()
        .filter(|(kind, _, _)| *kind == Kind::Services)
        .map(|(_, _, json)| serde_json::from_str(json).expect("a service"))
        .collect();
    assert!(full.iter().any(|s| !s.description.is_empty()));
    let catalogue = Catalogue::from_regions(vec![snapshot("kainuu", &records)]);
    assert_eq!(catalogue.services.len(), full.len());
    for service in &catalogue.services {
        assert!(service.description.is_empty() && service.keywords.is_empty());
        assert!(service.schedule.is_none() && service.contact.is_none());
        let whole = full.iter().find(|s| s.id == service.id).expect("listed");
        assert_eq!(*service, talkoo_core::snapshot::slim(whole.clone()));
        let partition = whole.municipalities.first().map_or("all", String::as_str);
        assert_eq!(
            catalogue.service_record(&service.id),
            Some(("kainuu", partition))
        );
    }
    assert_eq!(catalogue.service_record("no-such-card"), None);
    // A word that only a description has still finds its card.
    let shown = |s: &Service| {
        let mut text: Vec<&str> = s
            .name
            .values()
            .chain(s.summary.values())
            .map(String::as_str)
            .collect();
        text.extend(s.keywords.values().flatten().map(String::as_str));
        talkoo_core::case::lowercase(&text.join(" "))
    };
    let (card, word) = full
        .iter()
        .find_map(|s| {
            let shown = shown(s);
            let words = s.description.values().flat_map(|d| d.split_whitespace());
            words
                .map(|w| talkoo_core::case::lowercase(w.trim_matches(|c: char| !c.is_alphabetic())))
                .find(|w| w.chars().count() >= 8 && !shown.contains(w.as_str()))
                .map(|w| (s.id.clone(), w))
        })
        .expect("a description with a word of its own");
    let query = Query {
        text: word.clone(),
        ..Query::default()
    };
    let found = catalogue.search(&query, Lang::Fi);
    assert!(found.iter().any(|s| s.id == card), "{word} finds {card}");
}

#[test]
fn another_format_is_refused() {
    let records = demo_records("kainuu");
    let mut bytes = snapshot("kainuu", &records).encode();
    assert_eq!(bytes[0] as u32, FORMAT, "the format comes first");
    bytes[0] += 1;
    assert_eq!(
        RegionSnapshot::decode(&bytes).err(),
        Some(SnapshotError::Format { found: FORMAT + 1 })
    );
}

#[test]
fn damaged_bytes_are_refused_or_read_without_a_panic() {
    let records = demo_records("meri-lappi");
    let bytes = snapshot("meri-lappi", &records).encode();
    let check = |damaged: &[u8]| {
        // Whatever the bytes say, reading them and searching what was read
        // must not panic: a start would otherwise stop there for good.
        if let Ok(read) = RegionSnapshot::decode(damaged) {
            let catalogue = Catalogue::from_regions(vec![read]);
            for q in ["ystävä", "kerho", "vän", "ab", "kahvvila"] {
                let query = Query {
                    text: q.to_owned(),
                    ..Query::default()
                };
                catalogue.search(&query, Lang::Sv);
            }
        }
    };
    // Cut short anywhere, the bytes are refused.
    for end in (0..bytes.len()).step_by(bytes.len() / 200 + 1) {
        assert!(
            RegionSnapshot::decode(&bytes[..end]).is_err(),
            "cut at {end}"
        );
    }
    // One byte changed, at spread-out places and throughout the start.
    let places = (0..bytes.len().min(400)).chain((0..bytes.len()).step_by(bytes.len() / 200 + 1));
    for at in places {
        for change in [0x01, 0xff] {
            let mut damaged = bytes.clone();
            damaged[at] ^= change;
            check(&damaged);
        }
    }
}

#[test]
fn the_same_records_in_any_order_make_the_same_bytes() {
    let records = demo_records("varsinais-suomi");
    let mut reversed = records.clone();
    reversed.reverse();
    let forward = snapshot("varsinais-suomi", &records).encode();
    assert_eq!(snapshot("varsinais-suomi", &reversed).encode(), forward);
}

/// Issue 13: the sync worker adds a region's other records first and then
/// its services, each indexed as it comes and kept without its long texts,
/// to save memory. In any order of each, that must make the snapshot that
/// records in any order make.
#[test]
fn services_indexed_as_they_come_make_the_same_snapshot() {
    for region in REGIONS {
        let records = demo_records(region);
        let expected = snapshot(region, &records).encode();
        let (services, others): (Vec<_>, Vec<_>) = records
            .iter()
            .partition(|(kind, _, _)| *kind == Kind::Services);
        let mut reversed = services.clone();
        reversed.reverse();
        for services in [services, reversed] {
            let mut builder = RegionSnapshot::builder(region, "v1");
            for record in raw(
                region,
                &others.iter().rev().cloned().cloned().collect::<Vec<_>>(),
            ) {
                builder.add(record);
            }
            let mut builder = builder.services_follow();
            for (_, partition, json) in &services {
                builder.add(partition, json);
            }
            assert_eq!(builder.finish().encode(), expected, "{region}");
        }
    }
}

/// Issue 13: the sync worker hands a region over before its search index
/// is built, and builds the index afterwards from the services' records
/// read again. Until then the region lists and filters as it will, finds
/// nothing, and reads back only where an index may follow; with the index
/// built late, in any order of the records, it is the snapshot built at once.
#[test]
fn a_snapshot_indexed_later_becomes_the_snapshot_indexed_at_once() {
    for region in REGIONS {
        let records = demo_records(region);
        let expected = snapshot(region, &records);
        let (services, others): (Vec<_>, Vec<_>) = records
            .iter()
            .partition(|(kind, _, _)| *kind == Kind::Services);
        let mut builder = RegionSnapshot::builder(region, "v1").index_later();
        for record in raw(region, &others.iter().cloned().cloned().collect::<Vec<_>>()) {
            builder.add(record);
        }
        let mut builder = builder.services_follow();
        for (_, partition, json) in &services {
            builder.add(partition, json);
        }
        let mut unindexed = builder.finish();
        assert!(!unindexed.indexed(), "{region}");
        assert_eq!(unindexed.services, expected.services, "{region}");
        assert_eq!(unindexed.orders, expected.orders, "{region}");

        let bytes = unindexed.encode();
        assert!(
            matches!(
                RegionSnapshot::decode(&bytes),
                Err(SnapshotError::Damaged(_))
            ),
            "{region}: a stored snapshot without its index is damage"
        );
        let handed = Decoding::new(&bytes)
            .expect("starts")
            .index_may_follow()
            .finish()
            .expect("reads back where an index may follow");
        let catalogue = Catalogue::from_regions(vec![handed]);
        assert!(!catalogue.searchable(), "{region}");
        let all = Query::default();
        assert_eq!(
            catalogue.search(&all, Lang::Fi).len(),
            expected.services.len()
        );
        let text = Query {
            text: "ystävä".into(),
            ..Query::default()
        };
        assert!(catalogue.search(&text, Lang::Fi).is_empty(), "{region}");

        let whole: Vec<(String, Service)> = services
            .iter()
            .rev()
            .map(|(_, partition, json)| {
                (
                    partition.clone(),
                    serde_json::from_str(json).expect("a service"),
                )
            })
            .collect();
        let mut late = LateIndex::new(&unindexed);
        for (partition, service) in &whole {
            assert!(late.add(partition, service), "{region}: {}", service.id);
        }
        // Came before, or not in the snapshot: left out.
        let (partition, service) = &whole[0];
        assert!(!late.add(partition, service), "{region}");
        assert!(!late.add("elsewhere", service), "{region}");
        unindexed.index = late.finish().expect("every service came");
        assert!(unindexed.indexed(), "{region}");
        assert_eq!(unindexed.encode(), expected.encode(), "{region}");

        // The index alone, handed over, completes the catalogue shown.
        let (of, version, parts) = index_parts(&unindexed.encode_index()).expect("reads back");
        assert_eq!((of.as_str(), version.as_str()), (region, "v1"));
        let index = SearchIndex::from_parts(parts).expect("fits together");
        assert!(
            !catalogue.set_index(region, "v2", index.clone()),
            "another version"
        );
        assert!(catalogue.set_index(region, "v1", index.clone()), "{region}");
        assert!(!catalogue.set_index(region, "v1", index), "set once");
        assert!(catalogue.searchable(), "{region}");
        assert_eq!(
            seen(&catalogue),
            seen(&Catalogue::from_regions(vec![expected])),
            "{region}"
        );
    }
}

/// Issue 13: a late index that has not had every service gives none, and
/// the snapshot stays without one (it is then not stored, and the next
/// start builds it again from the records).
#[test]
fn a_late_index_missing_a_service_gives_none() {
    let records = demo_records("kainuu");
    let mut builder = RegionSnapshot::builder("kainuu", "v1").index_later();
    for record in raw("kainuu", &records) {
        builder.add(record);
    }
    let unindexed = builder.finish();
    let mut late = LateIndex::new(&unindexed);
    let services: Vec<(String, Service)> = records
        .iter()
        .filter(|(kind, _, _)| *kind == Kind::Services)
        .skip(1)
        .map(|(_, partition, json)| {
            (
                partition.clone(),
                serde_json::from_str(json).expect("a service"),
            )
        })
        .collect();
    for (partition, service) in &services {
        late.add(partition, service);
    }
    assert!(late.finish().is_none());
    // A region without services needs no index to come.
    let empty = RegionSnapshot::builder("kainuu", "v1")
        .index_later()
        .finish();
    assert!(empty.indexed());
    assert!(RegionSnapshot::decode(&empty.encode()).is_ok());
}

/// Issue 13: a snapshot is written into a vector of exactly its size. An
/// estimate a little short doubled the vector, which at 50,000 cards took
/// the sync worker's memory from 227 to 348 MiB.
#[test]
fn a_snapshot_is_written_into_a_vector_of_its_exact_size() {
    for region in REGIONS {
        let bytes = snapshot(region, &demo_records(region)).encode();
        assert_eq!(bytes.capacity(), bytes.len(), "{region}");
    }
}

/// Issue 13: a page reads a large region's snapshot in slices, so reading
/// it never holds the main thread for long. Every slice size must give
/// exactly the snapshot read at once.
#[test]
fn a_snapshot_read_in_slices_is_the_snapshot_read_at_once() {
    let records = demo_records("varsinais-suomi");
    let bytes = snapshot("varsinais-suomi", &records).encode();
    let cards = RegionSnapshot::decode(&bytes)
        .expect("reads back")
        .services
        .len();
    assert!(cards > 3, "enough cards to slice");
    check_slices(
        &bytes,
        &[0, 1, 2, 3, cards - 1, cards, cards + 1, usize::MAX],
    );
    // A region with no records of any kind takes a step for each part.
    check_slices(
        &RegionSnapshot::build("varsinais-suomi", "v1", []).encode(),
        &[0, 1, 5],
    );
}

/// Reads `bytes` in slices of each size, checking the steps taken and
/// that the snapshot is the one read at once.
fn check_slices(bytes: &[u8], sizes: &[usize]) {
    let whole = RegionSnapshot::decode(bytes).expect("reads back");
    for &slice in sizes {
        let mut decoding = Decoding::new(bytes).expect("starts");
        assert_eq!(
            (decoding.region(), decoding.version()),
            ("varsinais-suomi", "v1")
        );
        let mut steps = 1;
        while !decoding.step(slice).expect("a step") {
            steps += 1;
        }
        // The services in slices (at least one a step); the partitions,
        // the other records' text, the index's arrays, the index put
        // together and the name orders; then where the organisations are,
        // and the organisations in slices. The other kinds stay text.
        let slices = |n: usize| n.div_ceil(slice.max(1));
        let expected = slices(whole.services.len()) + 5 + 1 + slices(whole.organisations.len());
        assert_eq!(steps, expected, "slice {slice}");
        assert_eq!(decoding.finish().expect("finished"), whole, "slice {slice}");
    }
}

#[test]
fn a_damaged_snapshot_is_refused_at_the_step_that_reads_the_damage() {
    let records = demo_records("kainuu");
    let bytes = snapshot("kainuu", &records).encode();
    // Cut in the services, and cut in the index at the end.
    for cut in [bytes.len() / 3, bytes.len() - 3] {
        let mut decoding = Decoding::new(&bytes[..cut]).expect("the start is whole");
        let result = loop {
            match decoding.step(5) {
                Ok(true) => break Ok(()),
                Ok(false) => {}
                Err(e) => break Err(e),
            }
        };
        assert!(
            matches!(result, Err(SnapshotError::Damaged(_))),
            "cut at {cut}: {result:?}"
        );
    }
    // A count of cards beyond the bytes is refused before anything is reserved.
    let mut huge = bytes[..1].to_vec();
    huge.extend_from_slice(&[7, b'k', b'a', b'i', b'n', b'u', b'u', 2, b'v', b'1', 0]);
    huge.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0x0f]);
    assert!(matches!(
        Decoding::new(&huge).err(),
        Some(SnapshotError::Damaged(_))
    ));
}

/// Issue 13: one region's lists in Swedish and English follow the orders
/// its snapshot brings (made off the page), which must be the orders a
/// catalogue of several regions makes itself when a language first lists.
#[test]
fn a_snapshots_name_orders_are_the_ones_the_catalogue_would_make() {
    for region in REGIONS {
        let records = demo_records(region);
        let bytes = snapshot(region, &records).encode();
        let alone = Catalogue::from_regions(vec![RegionSnapshot::decode(&bytes).expect("reads")]);
        let with_an_empty_region = Catalogue::from_regions(vec![
            RegionSnapshot::decode(&bytes).expect("reads"),
            RegionSnapshot::build("empty", "v1", []),
        ]);
        for lang in [Lang::Fi, Lang::Sv, Lang::En] {
            let ids = |c: &Catalogue| -> Vec<String> {
                c.search(&Query::default(), lang)
                    .iter()
                    .map(|s| s.id.clone())
                    .collect()
            };
            assert_eq!(
                ids(&alone),
                ids(&with_an_empty_region),
                "{region} in {lang:?}"
            );
        }
    }
}

#[test]
fn a_name_order_that_does_not_list_every_card_once_is_damage() {
    let records = demo_records("kainuu");
    let mut built = snapshot("kainuu", &records);
    let cards = built.services.len() as u32;
    for broken in [
        vec![0; cards as usize],
        (0..cards - 1).collect(),
        (1..=cards).collect(),
    ] {
        built.orders[1] = broken.clone();
        assert!(
            matches!(
                RegionSnapshot::decode(&built.encode()),
                Err(SnapshotError::Damaged(_))
            ),
            "{broken:?}"
        );
    }
}

/// Issue 13: a page drops a replaced catalogue a slice at a time, so that
/// freeing 50,000 cards never holds it for long. Shedding lets go of every
/// record, at most the number asked for in a step, whether or not a page
/// has read the places, events and badge records (each region's published
/// texts count as one, and so does each map of places, badges or issuers
/// read).
#[test]
fn a_catalogue_is_shed_a_slice_at_a_time_until_nothing_is_left() {
    for read in [false, true] {
        let fresh = || {
            let catalogue = Catalogue::from_regions(
                REGIONS
                    .iter()
                    .map(|region| snapshot(region, &demo_records(region)))
                    .collect(),
            );
            let read = if read {
                assert!([
                    catalogue.places().len(),
                    catalogue.achievements().len(),
                    catalogue.issuers().len()
                ]
                .iter()
                .all(|&n| n > 0));
                catalogue.events().len() + 3
            } else {
                0
            };
            (catalogue, read)
        };
        let (whole, parsed) = fresh();
        assert_eq!(parsed > 3, read);
        let records = whole.services.len() * 2 + whole.organisations.len() + REGIONS.len() + parsed;
        for slice in [1, 7, records - 1, records, usize::MAX] {
            let (mut catalogue, _) = fresh();
            let mut steps = 1;
            while catalogue.shed(slice) {
                steps += 1;
            }
            assert_eq!(steps, records / slice + 1, "slice {slice}, read {read}");
            assert_eq!(catalogue.services.len(), 0, "slice {slice}");
            assert_eq!(catalogue.region_versions().count(), 0, "slice {slice}");
            assert!(
                catalogue.events().is_empty()
                    && catalogue.places().is_empty()
                    && catalogue.organisations.is_empty(),
                "slice {slice}"
            );
        }
    }
}
