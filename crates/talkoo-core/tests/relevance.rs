//! Issue 13: the catalogue search finds what a person means, checked on the demo feed's real cards with the queries people type (tests/fixtures/search/relevance.json, also the bench's query list).
//!
//! Each query lists the cards a person looking for it expects first: they
//! must be the first results, in any order among themselves, and every
//! listed card must be found. Run with `RELEVANCE_PRINT=1` to see each
//! query's first results when writing new expectations.

use std::collections::BTreeSet;

use serde::Deserialize;
use talkoo_core::catalogue::{Catalogue, Query, RawRecord};
use talkoo_core::feed::Kind;
use talkoo_core::Lang;

/// One query and the cards expected first.
#[derive(Debug, Deserialize)]
struct Case {
    /// What is typed in the search box.
    q: String,
    /// What the query tries (a language, a typing error, …), for the reader.
    why: String,
    /// The ids of the cards expected first, in any order.
    first: Vec<String>,
}

fn demo_catalogue() -> Catalogue {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../feed-src");
    let mut records: Vec<(Kind, String, String)> = Vec::new();
    for region in ["kainuu", "meri-lappi", "varsinais-suomi"] {
        for kind in [Kind::Organisations, Kind::Services] {
            let path = format!("{root}/{region}/{}.json", kind.name());
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
            let values: Vec<serde_json::Value> = serde_json::from_str(&text).expect("a list");
            records.extend(
                values
                    .iter()
                    .map(|v| (kind, region.to_owned(), v.to_string())),
            );
        }
    }
    Catalogue::from_records(records.iter().map(|(kind, region, json)| RawRecord {
        kind: *kind,
        region,
        partition: "all",
        json,
    }))
}

fn cases() -> Vec<Case> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/search/relevance.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).expect("the fixture")).expect("cases")
}

#[test]
fn queries_find_the_cards_a_person_expects_first() {
    let catalogue = demo_catalogue();
    assert!(catalogue.services.len() > 150, "the demo feed is read");
    let print = std::env::var_os("RELEVANCE_PRINT").is_some();
    let cases = cases();
    assert!(cases.len() >= 40, "at least 40 queries");
    let mut failures = Vec::new();
    for case in &cases {
        let query = Query {
            text: case.q.clone(),
            ..Query::default()
        };
        let found: Vec<&str> = catalogue
            .search(&query, Lang::Fi)
            .iter()
            .map(|s| s.id.as_str())
            .collect();
        if print {
            println!("{:?} ({}): {} found", case.q, case.why, found.len());
            for id in found.iter().take(6) {
                let name = catalogue
                    .service(id)
                    .and_then(|s| s.name.get("fi"))
                    .cloned();
                println!("    {id} {}", name.unwrap_or_default());
            }
        }
        let first: BTreeSet<&str> = found.iter().take(case.first.len()).copied().collect();
        let expected: BTreeSet<&str> = case.first.iter().map(String::as_str).collect();
        if first != expected {
            failures.push(format!(
                "{:?} ({}): expected first {expected:?}, got {:?}",
                case.q,
                case.why,
                &found[..found.len().min(case.first.len() + 2)]
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
