//! The app's catalogue search, compiled alone to wasm for `make bench`, so that its time per query can be measured in the same page as a JavaScript search library's over the same records.
//!
//! It goes through `Catalogue::from_records` and `Catalogue::search`, the
//! very code the app runs; only the UI around it is left out. It is never
//! part of the app's build.

use talkoo_core::catalogue::{Catalogue, Query, RawRecord};
use talkoo_core::feed::Kind;
use wasm_bindgen::prelude::*;

/// A catalogue built from feed records.
#[wasm_bindgen]
#[derive(Debug)]
pub struct SearchBench {
    catalogue: Catalogue,
}

#[wasm_bindgen]
impl SearchBench {
    /// Builds the catalogue and its index from records given as parallel
    /// lists: each record's kind (`services`, `organisations`, …) and JSON.
    #[wasm_bindgen(constructor)]
    pub fn new(kinds: Vec<String>, records: Vec<String>) -> SearchBench {
        let catalogue =
            Catalogue::from_records(kinds.iter().zip(&records).filter_map(|(kind, json)| {
                let kind = Kind::ALL.into_iter().find(|k| k.name() == kind)?;
                Some(RawRecord {
                    kind,
                    region: "bench",
                    partition: "all",
                    json,
                })
            }));
        // The catalogue is built with its search index, as one figure.
        SearchBench { catalogue }
    }

    /// The ids of the first `limit` cards a typed query finds, best first,
    /// as the app's search box would list them; the bench asks MiniSearch
    /// for the same, so both sides do the same work.
    pub fn search(&self, text: &str, limit: usize) -> Vec<String> {
        let query = Query {
            text: text.to_owned(),
            ..Query::default()
        };
        let found = self.catalogue.search(&query, talkoo_core::Lang::Fi);
        found.iter().take(limit).map(|s| s.id.clone()).collect()
    }

    /// The number of cards a typed query finds.
    pub fn count(&self, text: &str) -> usize {
        let query = Query {
            text: text.to_owned(),
            ..Query::default()
        };
        self.catalogue.search(&query, talkoo_core::Lang::Fi).len()
    }

    /// How many service cards the catalogue holds.
    pub fn cards(&self) -> usize {
        self.catalogue.services.len()
    }
}
