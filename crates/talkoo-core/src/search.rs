//! Offline full-text search over the catalogue's service cards, fast enough to answer every keystroke in WebAssembly on a cheap phone.
//!
//! Every distinct folded token is stored once, in sorted order; a query
//! term is looked up in that vocabulary through an index of byte pairs, and
//! each token containing the term adds its postings (document and field) to
//! a per-document score. Matching inside words, not only at their start, is
//! what makes Finnish and Swedish compounds such as "terveyskeskus" or
//! "vänverksamhet" findable. A term also finds the other inflected forms of
//! its word (through the Snowball stemmers of Finnish and Swedish: the stem
//! is looked up as the term is) and, from five letters on, words with one
//! letter missing, added, changed or two letters swapped (variants of the
//! term and of its stems, looked up as prefixes in the sorted vocabulary),
//! ranked below every match as typed.

use std::ops::Range;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// Which field of a card a text belongs to; earlier variants rank higher.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// The card's name.
    Name,
    /// A keyword, or another short label such as the organisation's name.
    Keyword,
    /// Summary and description.
    Text,
}

/// How a term matched a token, from worst to best (the column of `LEVELS`).
type Kind = usize;
/// The token is within one typing error of a word starting with the term.
const TYPO: Kind = 0;
/// The term is somewhere inside the token, not where a compound's part is.
const INSIDE: Kind = 1;
/// The token starts with the term or with its stem, or the term is the
/// last part of a compound, perhaps inflected ("kahvila" in
/// "perhekahvilassa"): as good a match as the term's start.
const PREFIX: Kind = 2;
/// The token is the term.
const WHOLE: Kind = 3;

/// A term's score in a document, by the field (row; the posting's low bits)
/// and the kind of its best match. A whole word or a word's start in any
/// field outranks a match inside a longer word in every field, so "Kela"
/// puts the card about Kela before one for "eläkeläiset"; within a kind a
/// name beats a keyword beats a text; and every typing error ranks below
/// every match as typed. Levels stay below 16: the precomputed pairs keep
/// two of them in a byte.
const LEVELS: [[u8; 4]; 4] = [[3, 6, 11, 12], [2, 5, 9, 10], [1, 4, 7, 8], [1, 4, 7, 8]];

/// A match inside a token counts as a compound's last part when at most
/// this many bytes follow it, enough for a case ending such as "-ille",
/// "-ssa" or Swedish "-erna", too few for another word.
const ENDING: usize = 4;

/// Typing errors are forgiven from this many letters on; in shorter words
/// one changed letter makes a different common word too often.
const TYPO_FROM: usize = 5;

/// A term's variants with a doubled letter made single or two letters
/// swapped are also looked up where a compound's part ends, from this many
/// letters on; a shorter
/// variant ends too many unrelated words ("sami" in "jaksamista").
const TYPO_INSIDE_FROM: usize = 6;

/// A stem shorter than this would match too many unrelated words.
const STEM_FROM: usize = 4;

/// Marks a gap too large for a `u16`; the value itself follows in two halves.
const ESCAPE: u16 = u16::MAX;

/// Builds an index; call `add` once per document, which numbers them 0, 1, 2, ... as they
/// come: `build` keeps that order, `build_in_order` puts them in another.
#[derive(Debug, Default)]
pub struct IndexBuilder {
    /// Token ids by token. Every word of every card is looked up here: with
    /// the standard library's SipHash, indexing a 10,000-card region's
    /// services took 155 ms natively, with rustc's hasher 136-140 ms.
    ids: FxHashMap<String, u32>,
    /// Distinct tokens, concatenated, and where each one starts.
    dictionary: String,
    starts: Vec<u32>,
    /// Every document's distinct tokens as `token << 2 | field`, document
    /// after document; appending here and inverting once in `build` is much
    /// faster than growing one list per token, which misses the cache.
    forward: Vec<u32>,
    /// End of each document in `forward`.
    doc_ends: Vec<u32>,
    /// For each token, the last document it was found in (its number
    /// plus one, 0 for none) and where its entry for that document is in
    /// `forward`: a token found again keeps its best field there, so no
    /// document's entries need sorting to drop their repeats.
    seen: Vec<(u32, u32)>,
    /// The text being indexed, folded; kept between texts so that each
    /// does not allocate its own.
    folded: String,
}

impl IndexBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the next document; `texts` are (field, text) pairs in any language. Returns its doc index.
    pub fn add<'a>(&mut self, texts: impl IntoIterator<Item = (Field, &'a str)>) -> u32 {
        let doc = self.doc_ends.len() as u32;
        // The field takes the two low bits of a posting.
        assert!(
            doc < 1 << 30,
            "the search index holds at most 2^30 documents"
        );
        let stamp = doc + 1;
        let mut folded = std::mem::take(&mut self.folded);
        for (field, text) in texts {
            folded.clear();
            fold_into(text, &mut folded);
            index_tokens(&folded, |token| {
                let id = self.token_id(token);
                let entry = id << 2 | field as u32;
                let seen = &mut self.seen[id as usize];
                // A document scores by its best occurrence of a token, so
                // a repeated token keeps only its best field, the lowest.
                if seen.0 == stamp {
                    let kept = &mut self.forward[seen.1 as usize];
                    *kept = (*kept).min(entry);
                } else {
                    *seen = (stamp, self.forward.len() as u32);
                    self.forward.push(entry);
                }
            });
        }
        self.folded = folded;
        self.doc_ends.push(self.forward.len() as u32);
        doc
    }

    fn token_id(&mut self, token: &str) -> u32 {
        if let Some(&id) = self.ids.get(token) {
            return id;
        }
        let id = self.starts.len() as u32;
        self.ids.insert(token.to_owned(), id);
        self.starts.push(self.dictionary.len() as u32);
        self.dictionary.push_str(token);
        self.seen.push((0, 0));
        id
    }

    /// Freezes the index into compact buffers.
    pub fn build(self) -> SearchIndex {
        let order: Vec<usize> = (0..self.doc_ends.len()).collect();
        self.build_in_order(&order)
    }

    /// Freezes the index with its documents in `order`: document `i` of
    /// the index is the one `add` numbered `order[i]`. So documents can be
    /// added as they come, and their texts dropped, before their order is
    /// known.
    ///
    /// # Panics
    ///
    /// If `order` does not hold as many numbers as documents were added,
    /// or holds one that was not added; it must hold each exactly once.
    pub fn build_in_order(self, order: &[usize]) -> SearchIndex {
        assert_eq!(
            order.len(),
            self.doc_ends.len(),
            "the order must list every document"
        );
        let tokens = self.starts.len();
        // The vocabulary is renumbered in sorted order, so that the tokens
        // starting with a prefix are a range found by binary search.
        let old = |id: u32| {
            let start = self.starts[id as usize] as usize;
            let end = self
                .starts
                .get(id as usize + 1)
                .map_or(self.dictionary.len(), |&e| e as usize);
            &self.dictionary.as_bytes()[start..end]
        };
        let mut sorted: Vec<u32> = (0..tokens as u32).collect();
        sorted.sort_unstable_by(|&a, &b| old(a).cmp(old(b)));
        let mut rank = vec![0u32; tokens];
        let mut dictionary = String::with_capacity(self.dictionary.len());
        let mut starts = Vec::with_capacity(tokens + 1);
        for (new, &id) in (0u32..).zip(&sorted) {
            rank[id as usize] = new;
            starts.push(dictionary.len() as u32);
            let (start, len) = (self.starts[id as usize] as usize, old(id).len());
            dictionary.push_str(&self.dictionary[start..start + len]);
        }
        starts.push(dictionary.len() as u32);
        drop(sorted);
        let mut forward = self.forward;
        for entry in &mut forward {
            *entry = rank[(*entry >> 2) as usize] << 2 | *entry & 3;
        }
        drop(rank);
        let (forward, doc_ends) = (&forward, &self.doc_ends);
        let postings = pack(tokens, || {
            (0u32..).zip(order).flat_map(|(doc, &added)| {
                let begin = added.checked_sub(1).map_or(0, |before| doc_ends[before]);
                let entries = &forward[begin as usize..doc_ends[added] as usize];
                entries
                    .iter()
                    .map(move |&e| ((e >> 2) as usize, doc << 2 | e & 3))
            })
        });
        let bigrams = pack(1 << 16, || {
            (0u32..).zip(starts.windows(2)).flat_map(|(id, range)| {
                let token = &dictionary.as_bytes()[range[0] as usize..range[1] as usize];
                let mut pairs: Vec<usize> = token.windows(2).map(pair).collect();
                pairs.sort_unstable();
                pairs.dedup();
                pairs.into_iter().map(move |p| (p, id))
            })
        });
        let mut index = SearchIndex {
            docs: doc_ends.len() as u32,
            dictionary,
            starts,
            postings,
            bigrams,
            ..SearchIndex::default()
        };
        // A two-letter term is inside a large part of the vocabulary, and
        // scoring all those tokens' postings would take several milliseconds
        // per keystroke; for the pairs where it would, the levels are kept.
        let costly = |p: &u16| {
            let tokens = index.bigrams.list(usize::from(*p));
            p.to_be_bytes().is_ascii()
                && tokens
                    .map(|t| index.postings.list_len(t as usize))
                    .sum::<u32>()
                    > 4 * index.docs
        };
        let pairs: Vec<u16> = (0..=u16::MAX).filter(costly).collect();
        let mut best = vec![0u8; index.len()];
        let mut levels = Vec::with_capacity(pairs.len() * index.len().div_ceil(2));
        for pair in &pairs {
            index.score_term(
                std::str::from_utf8(&pair.to_be_bytes()).unwrap_or_default(),
                &mut best,
            );
            levels.extend(
                best.chunks(2)
                    .map(|two| two[0] | two.get(1).map_or(0, |high| high << 4)),
            );
            best.fill(0);
        }
        (index.pairs, index.pair_levels) = (pairs, levels);
        index
    }
}

/// Lists of ascending numbers, stored as `u16` gaps one list after another.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Packed {
    starts: Vec<u32>,
    gaps: Vec<u16>,
}

impl Packed {
    #[inline]
    fn list(&self, i: usize) -> Gaps<'_> {
        let range = self.starts[i] as usize..self.starts[i + 1] as usize;
        Gaps {
            rest: &self.gaps[range],
            value: 0,
        }
    }

    fn list_len(&self, i: usize) -> u32 {
        self.starts[i + 1] - self.starts[i]
    }
}

/// Packs `(list, value)` pairs, ascending in value within each list, into `lists`
/// lists; `pairs` is called twice, to size the lists and then to fill them.
fn pack<I: Iterator<Item = (usize, u32)>>(lists: usize, pairs: impl Fn() -> I) -> Packed {
    let mut last = vec![0u32; lists];
    let mut starts = vec![0u32; lists + 1];
    for (list, value) in pairs() {
        starts[list + 1] += if value - last[list] < u32::from(ESCAPE) {
            1
        } else {
            3
        };
        last[list] = value;
    }
    for i in 0..lists {
        starts[i + 1] += starts[i];
    }
    let mut gaps = vec![0u16; starts[lists] as usize];
    let mut next = starts.clone();
    last.fill(0);
    for (list, value) in pairs() {
        let at = next[list] as usize;
        let gap = value - last[list];
        if gap < u32::from(ESCAPE) {
            gaps[at] = gap as u16;
            next[list] += 1;
        } else {
            gaps[at..at + 3].copy_from_slice(&[ESCAPE, (value >> 16) as u16, value as u16]);
            next[list] += 3;
        }
        last[list] = value;
    }
    Packed { starts, gaps }
}

/// Decodes one packed list.
#[derive(Debug)]
struct Gaps<'a> {
    rest: &'a [u16],
    value: u32,
}

impl Iterator for Gaps<'_> {
    type Item = u32;

    // Decoding is the innermost loop of a search; size-optimised builds
    // (the app's release profile) would otherwise call it once per posting.
    #[inline(always)]
    fn next(&mut self) -> Option<u32> {
        match *self.rest {
            [ESCAPE, high, low, ref rest @ ..] => {
                self.value = u32::from(high) << 16 | u32::from(low);
                self.rest = rest;
            }
            [gap, ref rest @ ..] => {
                self.value += u32::from(gap);
                self.rest = rest;
            }
            [] => return None,
        }
        Some(self.value)
    }
}

/// The index of a pair of bytes in `SearchIndex::bigrams`.
fn pair(bytes: &[u8]) -> usize {
    usize::from(bytes[0]) << 8 | usize::from(bytes[1])
}

/// A built index, immutable and cheap to query.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SearchIndex {
    docs: u32,
    /// Distinct tokens, concatenated.
    dictionary: String,
    /// Start of each token in `dictionary`, plus its length at the end.
    starts: Vec<u32>,
    /// For each token, `doc << 2 | field` of the documents containing it.
    postings: Packed,
    /// For each pair of bytes, the tokens containing it.
    bigrams: Packed,
    /// The two-letter terms whose levels are precomputed, ascending.
    pairs: Vec<u16>,
    /// Their levels (see `score_term`), two documents a byte, pair after pair.
    pair_levels: Vec<u8>,
}

/// A matching document and its score (higher is better).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// The document's index, as `IndexBuilder::add` returned it.
    pub doc: u32,
    /// Sum over the query's terms of each term's best match.
    pub score: u32,
}

impl SearchIndex {
    /// All documents matching every term of `query`, best first.
    ///
    /// A term matches a token that contains it, that starts with its stem,
    /// or that is within one typing error of a word starting with it; each
    /// document counts its best match (`LEVELS`). Equal scores keep
    /// document order.
    pub fn search(&self, query: &str) -> Vec<Hit> {
        self.search_in_order(query, None)
    }

    /// As [`SearchIndex::search`], but documents with equal scores come in
    /// the order of `order` (every document once, such as the cards sorted
    /// by their names in the UI language) instead of document order.
    pub fn search_in_order(&self, query: &str, order: Option<&[u32]>) -> Vec<Hit> {
        let folded = fold(query);
        // One letter would match nearly everything and is never what a user
        // means by itself, so such terms are dropped.
        let terms: Vec<&str> = tokens(&folded)
            .into_iter()
            .filter(|t| t.chars().nth(1).is_some())
            .collect();
        if terms.is_empty() || self.is_empty() {
            return Vec::new();
        }
        // Dense per-document arrays: clearing them costs less than the
        // bookkeeping of a sparse map when a short term matches most cards.
        let mut total = vec![0u32; self.len()];
        let mut best = vec![0u8; self.len()];
        for (round, term) in terms.iter().enumerate() {
            self.score_term(term, &mut best);
            // Every match scores at least 1, so a zero total marks a document
            // that missed an earlier term.
            let mut any = false;
            for (total, best) in total.iter_mut().zip(&mut best) {
                *total = if *best > 0 && (round == 0 || *total > 0) {
                    *total + u32::from(*best)
                } else {
                    0
                };
                any |= *total > 0;
                *best = 0;
            }
            if !any {
                return Vec::new();
            }
        }
        // A counting sort by score; visiting documents in `order` keeps ties
        // in that order, and scores are small.
        let top = total.iter().copied().max().unwrap_or(0) as usize;
        let mut next = vec![0usize; top + 1];
        for &score in total.iter().filter(|&&s| s > 0) {
            next[score as usize] += 1;
        }
        let mut placed = 0;
        for slot in next.iter_mut().rev() {
            (*slot, placed) = (placed, placed + *slot);
        }
        let mut hits = vec![Hit { doc: 0, score: 0 }; placed];
        let mut place = |doc: u32, score: u32| {
            if score > 0 {
                hits[next[score as usize]] = Hit { doc, score };
                next[score as usize] += 1;
            }
        };
        debug_assert!(
            order.is_none_or(|o| o.len() == self.len()),
            "order lists every document"
        );
        match order {
            Some(order) => order
                .iter()
                .for_each(|&doc| place(doc, total[doc as usize])),
            None => (0u32..)
                .zip(&total)
                .for_each(|(doc, &score)| place(doc, score)),
        }
        hits
    }

    /// Raises each document's level in `best` to the best match of `term`
    /// (`LEVELS`).
    fn score_term(&self, term: &str, best: &mut [u8]) {
        if let [a, b] = *term.as_bytes() {
            if let Ok(i) = self.pairs.binary_search(&u16::from_be_bytes([a, b])) {
                let stride = self.len().div_ceil(2);
                let levels = &self.pair_levels[i * stride..(i + 1) * stride];
                for (two, level) in best.chunks_mut(2).zip(levels) {
                    two[0] = two[0].max(level & 15);
                    if let Some(high) = two.get_mut(1) {
                        *high = (*high).max(level >> 4);
                    }
                }
                return;
            }
        }
        // A token's postings are read once per term: a typing error's
        // variants often find tokens the term or another variant found
        // already, at a level no lower than an error's.
        let mut seen = vec![0u64; self.all().end.div_ceil(64) as usize];
        let mut raise = |token: u32, kind: Kind| {
            let (word, bit) = ((token / 64) as usize, 1u64 << (token % 64));
            if kind == TYPO && seen[word] & bit != 0 {
                return;
            }
            seen[word] |= bit;
            for entry in self.postings.list(token as usize) {
                let slot = &mut best[(entry >> 2) as usize];
                *slot = (*slot).max(LEVELS[(entry & 3) as usize][kind]);
            }
        };
        // A stem matches as the term itself would, so "kerhoissa" finds
        // "kerho" as a whole word and "perhekerho" as a compound's part, and
        // a typing error in an inflected word still finds the word's other
        // forms ("omaishoitjien" finds "omaishoitajalle").
        let as_typed: Vec<String> = std::iter::once(term.to_owned())
            .chain(stems(term))
            .collect();
        for stem in &as_typed {
            for (token, kind) in self.matching_tokens(stem.as_bytes()) {
                raise(token, kind);
            }
        }
        for stem in &as_typed {
            self.typo_ranges(stem, |range| range.for_each(|token| raise(token, TYPO)));
            // These are found as a compound's last part too: "kahvvila"
            // finds "kielikahvila".
            for variant in dropped_or_swapped(stem) {
                for (token, kind) in self.matching_tokens(variant.as_bytes()) {
                    if kind >= PREFIX {
                        raise(token, TYPO);
                    }
                }
            }
        }
    }

    /// The tokens containing `term`, each with its match kind.
    fn matching_tokens(&self, term: &[u8]) -> Vec<(u32, Kind)> {
        // Every token containing the term contains each of its byte pairs, so
        // the rarest pair gives the fewest candidates to check.
        let Some(candidates) = term
            .windows(2)
            .map(pair)
            .min_by_key(|&p| self.bigrams.list_len(p))
        else {
            return Vec::new();
        };
        self.bigrams
            .list(candidates)
            .filter_map(|id| {
                let token = self.token(id);
                let kind = if token.starts_with(term) {
                    if token.len() == term.len() {
                        WHOLE
                    } else {
                        PREFIX
                    }
                } else {
                    // The last occurrence is the one nearest the end.
                    let at = token.windows(term.len()).rposition(|w| w == term)?;
                    if token.len() - at - term.len() <= ENDING {
                        PREFIX
                    } else {
                        INSIDE
                    }
                };
                Some((id, kind))
            })
            .collect()
    }

    /// Calls `found` with ranges of tokens that start with a variant of
    /// `term` one typing error away: a letter left out, one too many (such
    /// as a doubled one), one changed, or two neighbours swapped. Terms
    /// shorter than `TYPO_FROM` letters have none.
    ///
    /// Only variants that some token starts with are tried: at each place
    /// of the error, the letters that follow the term's unchanged start in
    /// the sorted vocabulary are the only ones worth inserting or
    /// substituting, and once no token starts with the term's first letters,
    /// an error further on cannot make a match.
    fn typo_ranges(&self, term: &str, mut found: impl FnMut(Range<u32>)) {
        let chars: Vec<(usize, char)> = term.char_indices().collect();
        if chars.len() < TYPO_FROM {
            return;
        }
        let mut variant = String::with_capacity(term.len() + 8);
        let mut try_variant = |parts: [&str; 3], within: Range<u32>| {
            variant.clear();
            parts.iter().for_each(|part| variant.push_str(part));
            let range = self.prefixed(variant.as_bytes(), within);
            if !range.is_empty() {
                found(range);
            }
        };
        let mut buffer = [0u8; 8];
        for (j, &(at, letter)) in chars.iter().enumerate() {
            let (head, rest) = (&term[..at], &term[at + letter.len_utf8()..]);
            let within = self.prefixed(head.as_bytes(), self.all());
            if within.is_empty() {
                break;
            }
            try_variant([head, "", rest], within.clone());
            if let Some(&(_, next)) = chars.get(j + 1) {
                if next != letter {
                    let n = next.encode_utf8(&mut buffer).len();
                    let m = letter.encode_utf8(&mut buffer[n..]).len();
                    let swapped = std::str::from_utf8(&buffer[..n + m]).unwrap_or_default();
                    try_variant([head, swapped, &rest[n..]], within.clone());
                }
            }
            // Each letter that follows `head` somewhere in the vocabulary, once.
            let mut at_token = within.start;
            let mut start = String::with_capacity(head.len() + 4);
            while at_token < within.end {
                let token = self.token_str(at_token);
                let Some(other) = token[head.len()..].chars().next() else {
                    at_token += 1;
                    continue;
                };
                start.clear();
                start.push_str(head);
                start.push(other);
                let same = self.prefixed(start.as_bytes(), at_token..within.end);
                try_variant([&start, "", &term[at..]], same.clone());
                if other != letter {
                    try_variant([&start, "", rest], same.clone());
                }
                at_token = same.end.max(at_token + 1);
            }
        }
    }

    /// The tokens in `within` that start with `prefix`.
    fn prefixed(&self, prefix: &[u8], within: Range<u32>) -> Range<u32> {
        let first = |ahead: &dyn Fn(&[u8]) -> bool| {
            let (mut low, mut high) = (within.start, within.end);
            while low < high {
                let middle = low + (high - low) / 2;
                if ahead(self.token(middle)) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            low
        };
        let start = first(&|token| token < prefix);
        let end = first(&|token| token < prefix || token.starts_with(prefix));
        start..end
    }

    /// Every token.
    fn all(&self) -> Range<u32> {
        0..self.starts.len().saturating_sub(1) as u32
    }

    /// A token's bytes.
    #[inline]
    fn token(&self, id: u32) -> &[u8] {
        self.token_str(id).as_bytes()
    }

    /// A token's text.
    #[inline]
    fn token_str(&self, id: u32) -> &str {
        &self.dictionary[self.starts[id as usize] as usize..self.starts[id as usize + 1] as usize]
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.docs as usize
    }

    /// Whether the index holds no documents.
    pub fn is_empty(&self) -> bool {
        self.docs == 0
    }

    /// Bytes used by the index's own buffers, for the memory benchmark (approximate is fine).
    pub fn heap_bytes(&self) -> usize {
        let packed = |p: &Packed| 4 * p.starts.capacity() + 2 * p.gaps.capacity();
        self.dictionary.capacity()
            + 4 * self.starts.capacity()
            + packed(&self.postings)
            + packed(&self.bigrams)
            + 2 * self.pairs.capacity()
            + self.pair_levels.capacity()
    }
}

/// A built index as plain arrays, for a region's snapshot
/// (`crate::snapshot`): numbers little-endian, so a start copies them back
/// instead of building the index again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexParts {
    docs: u32,
    dictionary: String,
    #[serde(with = "serde_bytes_compat")]
    starts: Vec<u8>,
    #[serde(with = "serde_bytes_compat")]
    posting_starts: Vec<u8>,
    #[serde(with = "serde_bytes_compat")]
    posting_gaps: Vec<u8>,
    #[serde(with = "serde_bytes_compat")]
    bigram_starts: Vec<u8>,
    #[serde(with = "serde_bytes_compat")]
    bigram_gaps: Vec<u8>,
    #[serde(with = "serde_bytes_compat")]
    pairs: Vec<u8>,
    #[serde(with = "serde_bytes_compat")]
    pair_levels: Vec<u8>,
}

impl IndexParts {
    /// Whether these are the arrays of no index at all (the empty value's,
    /// a snapshot's before its index is built): a built index, even of no
    /// documents, has its tokens' starts.
    pub fn is_unbuilt(&self) -> bool {
        self.starts.is_empty()
    }
}

/// Byte vectors written as one byte string, not as a sequence of numbers:
/// a snapshot's index is megabytes, and a sequence costs a call per byte.
mod serde_bytes_compat {
    use serde::de::{Deserializer, Error, Visitor};
    use serde::Serializer;
    use std::fmt;

    pub fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(bytes)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        struct Bytes;
        impl<'de> Visitor<'de> for Bytes {
            type Value = Vec<u8>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a byte string")
            }
            fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
                Ok(v.to_vec())
            }
            fn visit_byte_buf<E: Error>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
                Ok(v)
            }
        }
        deserializer.deserialize_byte_buf(Bytes)
    }
}

fn le_u32(values: &[u32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

fn le_u16(values: &[u16]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

fn from_le_u32(bytes: &[u8]) -> Option<Vec<u32>> {
    let chunks = bytes.chunks_exact(4);
    chunks.remainder().is_empty().then(|| {
        chunks
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect()
    })
}

fn from_le_u16(bytes: &[u8]) -> Option<Vec<u16>> {
    let chunks = bytes.chunks_exact(2);
    chunks
        .remainder()
        .is_empty()
        .then(|| chunks.map(|c| u16::from_le_bytes([c[0], c[1]])).collect())
}

/// Whether `packed` holds `lists` lists, each within its buffer, whose
/// values are all below `limit`: what a search indexes with them.
fn packed_within(packed: &Packed, lists: usize, limit: u32) -> bool {
    let starts = &packed.starts;
    starts.len() == lists + 1
        && starts.first() == Some(&0)
        && starts.windows(2).all(|w| w[0] <= w[1])
        && starts
            .last()
            .is_some_and(|&end| end as usize == packed.gaps.len())
        && (0..lists).all(|i| packed.list(i).all(|value| value < limit))
}

impl SearchIndex {
    /// The index as plain arrays, for a snapshot.
    pub fn to_parts(&self) -> IndexParts {
        IndexParts {
            docs: self.docs,
            dictionary: self.dictionary.clone(),
            starts: le_u32(&self.starts),
            posting_starts: le_u32(&self.postings.starts),
            posting_gaps: le_u16(&self.postings.gaps),
            bigram_starts: le_u32(&self.bigrams.starts),
            bigram_gaps: le_u16(&self.bigrams.gaps),
            pairs: le_u16(&self.pairs),
            pair_levels: self.pair_levels.clone(),
        }
    }

    /// The index back from its arrays; `None` when they do not make an
    /// index that every search can read without going out of bounds (a
    /// damaged snapshot is then built again from the records).
    pub fn from_parts(parts: IndexParts) -> Option<SearchIndex> {
        let index = SearchIndex {
            docs: parts.docs,
            starts: from_le_u32(&parts.starts)?,
            postings: Packed {
                starts: from_le_u32(&parts.posting_starts)?,
                gaps: from_le_u16(&parts.posting_gaps)?,
            },
            bigrams: Packed {
                starts: from_le_u32(&parts.bigram_starts)?,
                gaps: from_le_u16(&parts.bigram_gaps)?,
            },
            pairs: from_le_u16(&parts.pairs)?,
            pair_levels: parts.pair_levels,
            dictionary: parts.dictionary,
        };
        let tokens = index.starts.len().checked_sub(1)?;
        let dictionary_ok = index.starts.first() == Some(&0)
            && index.starts.windows(2).all(|w| w[0] <= w[1])
            && index
                .starts
                .last()
                .is_some_and(|&end| end as usize == index.dictionary.len())
            && index
                .starts
                .iter()
                .all(|&s| index.dictionary.is_char_boundary(s as usize));
        let pairs_ok = index.pairs.windows(2).all(|w| w[0] < w[1])
            && index.pair_levels.len() == index.pairs.len() * index.len().div_ceil(2);
        let docs_limit = index.docs.checked_mul(4)?;
        let lists_ok = packed_within(&index.postings, tokens, docs_limit)
            && packed_within(&index.bigrams, 1 << 16, u32::try_from(tokens).ok()?);
        (dictionary_ok && pairs_ok && lists_ok).then_some(index)
    }
}

/// A term with a doubled letter made single, and with each two
/// neighbouring letters swapped, without repeats: what was meant if a letter
/// was doubled or two were swapped, the errors worth looking for at a
/// compound's last part too (every variant is one more lookup). None for
/// terms shorter than `TYPO_INSIDE_FROM` letters.
fn dropped_or_swapped(term: &str) -> Vec<String> {
    let chars: Vec<char> = term.chars().collect();
    if chars.len() < TYPO_INSIDE_FROM {
        return Vec::new();
    }
    let mut variants = Vec::with_capacity(2 * chars.len());
    for i in 0..chars.len() {
        if i > 0 && chars[i - 1] == chars[i] {
            let mut single = chars.clone();
            single.remove(i);
            variants.push(single.into_iter().collect::<String>());
        }
        if i + 1 < chars.len() && chars[i] != chars[i + 1] {
            let mut swapped = chars.clone();
            swapped.swap(i, i + 1);
            variants.push(swapped.into_iter().collect());
        }
    }
    variants.sort_unstable();
    variants.dedup();
    variants
}

/// The stems of a folded term that are worth looking up as well: its
/// Finnish and Swedish Snowball stems, where shorter than the term but not
/// shorter than `STEM_FROM` letters, without one that another starts (the
/// shorter finds every token the longer would, if sometimes as a lesser
/// kind of match). "ikaihmisille" gives "ikaihmis", which also starts
/// "ikaihmiset"; "foreningarna" gives "forening".
///
/// The stemmers are meant for text with its diacritics; they are given
/// folded text, as the index holds, and still remove the endings, since
/// their suffix lists have both the "a" and the "ä" forms.
pub fn stems(term: &str) -> Vec<String> {
    // Each stemmer is created with a constant, not in a loop over the two,
    // so the compiler can see which algorithms are used and leave the other
    // sixteen of the crate out of the wasm.
    let finnish = Stemmer::create(Algorithm::Finnish);
    let swedish = Stemmer::create(Algorithm::Swedish);
    let mut stems: Vec<String> = [finnish.stem(term), swedish.stem(term)]
        .into_iter()
        .map(std::borrow::Cow::into_owned)
        .filter(|stem| stem.len() < term.len() && stem.chars().nth(STEM_FROM - 1).is_some())
        .collect();
    // The shorter first, as a stable sort by length would put them; a
    // sort's code would be compiled into the first-load shell for this
    // alone (`crate::tree`).
    if let [first, second] = stems.as_mut_slice() {
        if second.len() < first.len() {
            std::mem::swap(first, second);
        }
    }
    if let [short, long] = stems.as_slice() {
        if long.starts_with(short.as_str()) {
            stems.pop();
        }
    }
    stems
}

/// Lower-cases and removes diacritics as described; public because filters and highlighting use it too.
///
/// Covers Finnish, Swedish, the Sámi languages of Finland and common
/// loanwords, so that a query typed on a keyboard without these letters
/// still matches. Punctuation and spacing are kept.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// Appends `text` to `out` as [`fold`] makes it.
fn fold_into(text: &str, out: &mut String) {
    let mut rest = text;
    while !rest.is_empty() {
        // Copying a run of ASCII and lowering it in place is several times
        // faster than going character by character, and most text is ASCII.
        let ascii = ascii_len(rest.as_bytes());
        let start = out.len();
        out.push_str(&rest[..ascii]);
        out[start..].make_ascii_lowercase();
        let mut chars = rest[ascii..].chars();
        match chars.next() {
            // Latin-1's letters ("ä", "ö", "å" in every Finnish and Swedish
            // text) lower-case by one step, without the search through
            // every script's cases.
            Some(c @ '\u{c0}'..='\u{ff}') => {
                let lower = match c {
                    '\u{c0}'..='\u{de}' if c != '\u{d7}' => {
                        char::from_u32(u32::from(c) + 0x20).unwrap_or(c)
                    }
                    _ => c,
                };
                push_folded(lower, out);
            }
            Some(c) => crate::case::lower(c).for_each(|c| push_folded(c, out)),
            None => {}
        }
        rest = chars.as_str();
    }
}

/// How many bytes `bytes` starts with that are ASCII, found eight at a
/// time: folding is one of the two passes indexing makes over every text
/// ([`scan`] is the other), a large part of a sync worker's time. Also
/// where a collation key's ASCII run ends (`collate`).
pub(crate) fn ascii_len(bytes: &[u8]) -> usize {
    let words = bytes.chunks_exact(8);
    let mut len = 0;
    for word in words {
        let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
        if word & 0x8080_8080_8080_8080 != 0 {
            break;
        }
        len += 8;
    }
    len + bytes[len..].iter().take_while(|b| b.is_ascii()).count()
}

/// Appends a lower-case character without its diacritics (also the
/// collation key's letters, `collate`).
pub(crate) fn push_folded(c: char, out: &mut String) {
    let base = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'ǟ' | 'ǡ' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'đ' | 'ď' | 'ð' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ǧ' | 'ǥ' | 'ğ' => 'g',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' => 'i',
        'ǩ' => 'k',
        'ł' => 'l',
        'ñ' | 'ń' | 'ň' | 'ŋ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ř' => 'r',
        'ś' | 'ş' | 'š' => 's',
        'ť' | 'ŧ' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' | 'ʒ' | 'ǯ' => 'z',
        'æ' => return out.push_str("ae"),
        'œ' => return out.push_str("oe"),
        'ß' => return out.push_str("ss"),
        // Combining marks (text in decomposed form) and the Skolt Sámi
        // softness mark are not typed by someone searching.
        '\u{300}'..='\u{36f}' | 'ʹ' => return,
        other => other,
    };
    out.push(base);
}

/// Splits folded text into tokens as the index does (public for tests and highlighting).
///
/// The index also adds the joined form of hyphenated words ("vertaistuki"
/// for "vertais-tuki"), which is not a slice of the text and so not listed here.
pub fn tokens(folded: &str) -> Vec<&str> {
    let mut tokens = Vec::new();
    scan(folded, |token, _| tokens.push(token));
    tokens
}

/// Calls `emit` with each token (run of letters and digits) and whether a
/// single hyphen joins it to the next token. Only non-ASCII characters are
/// decoded, since tokenising is a large part of building an index: an
/// ASCII letter or digit, most of any text, takes one test.
fn scan<'a>(folded: &'a str, mut emit: impl FnMut(&'a str, bool)) {
    let bytes = folded.as_bytes();
    // The character at `i`, a boundary, and where the next one starts.
    let char_at = |i: usize| match bytes.get(i) {
        Some(&b) if b.is_ascii() => Some((char::from(b), i + 1)),
        _ => folded
            .get(i..)
            .and_then(|rest| rest.chars().next())
            .map(|c| (c, i + c.len_utf8())),
    };
    let (mut start, mut i) = (0, 0);
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let Some((c, next)) = char_at(i) else {
            break;
        };
        if !b.is_ascii() && c.is_alphanumeric() {
            i = next;
            continue;
        }
        if start < i {
            let joins = matches!(c, '-' | '\u{2010}' | '\u{2011}')
                && char_at(next).is_some_and(|(c, _)| c.is_alphanumeric());
            emit(&folded[start..i], joins);
        }
        start = next;
        i = next;
    }
    if start < folded.len() {
        emit(&folded[start..], false);
    }
}

/// Calls `emit` with every token of `tokens(folded)` and, for each
/// hyphenated word, its parts joined, because the same word is written both
/// ways: "ruokaapu" should find "ruoka-apu", and "vertaistuki" "vertais-tuki".
fn index_tokens(folded: &str, mut emit: impl FnMut(&str)) {
    let mut joined = String::new();
    let mut parts = 0;
    scan(folded, |token, joins| {
        emit(token);
        if joins || parts > 0 {
            joined.push_str(token);
            parts += 1;
        }
        if !joins {
            if parts > 1 {
                emit(&joined);
            }
            joined.clear();
            parts = 0;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    use Field::{Keyword as K, Name as N, Text as T};

    /// Realistic cards in Finnish, Swedish and Northern Sámi; a card's index is its position.
    const CARDS: &[&[(Field, &str)]] = &[
        /* 0 */
        &[
            (N, "Kotiapu ikäihmisille"),
            (K, "kotiapu"),
            (T, "Apua kauppareissuihin ja asiointiin. Yhteistyössä ystävätoiminnan kanssa; lievittää yksinäisyyttä."),
        ],
        /* 1 */
        &[
            (N, "Ystävätoiminta – ikäihmisten ystäväpalvelu"),
            (K, "ystävä"),
            (K, "yksinäisyys"),
            (T, "Vapaaehtoinen tulee kylään ja lähtee kanssasi kävelylle."),
        ],
        /* 2 */
        &[
            (N, "Perhekerho Kajaanissa"),
            (K, "lapsiperheet"),
            (K, "päiväkoti-ikäiset"),
            (T, "Avoin kerho vauvoille ja taaperoille sekä heidän vanhemmilleen Kajaanin keskustassa."),
        ],
        /* 3 */
        &[(N, "Keskustelukerho miehille"), (K, "miehet"), (T, "Miesten kerho kokoontuu kirjastolla joka toinen tiistai.")],
        /* 4 */
        &[
            (N, "Vertaistukiryhmä omaishoitajille"),
            (K, "vertais-tuki"),
            (K, "omaishoito"),
            (T, "Keskustelua ja jaksamista yhdessä muiden omaishoitajien kanssa."),
        ],
        /* 5 */
        &[
            (N, "Terveyskeskuksen kirjastokuljetus"),
            (K, "kirjasto"),
            (K, "terveyskeskus"),
            (T, "Vapaaehtoiset tuovat kirjat terveyskeskuksen vuodeosastolle."),
        ],
        /* 6 */
        &[
            (N, "Läksyapu nuorille Turussa"),
            (N, "Läxhjälp för unga i Åbo"),
            (K, "läksyt"),
            (K, "läxor"),
            (T, "Frivilliga studenter hjälper med läxorna på stadsbiblioteket."),
        ],
        /* 7 */
        &[
            (N, "Vänverksamhet för äldre"),
            (K, "vänskap"),
            (K, "ensamhet"),
            (T, "En frivillig vän besöker dig hemma varje vecka i Vasa."),
        ],
        /* 8 */
        &[
            (N, "Kielikahvila maahanmuuttajille"),
            (N, "Språkcafé för invandrare"),
            (K, "suomen kieli"),
            (T, "Harjoittele suomea rennosti kahvikupin ääressä."),
        ],
        /* 9 */
        &[
            (N, "Sámegiel giellagáffe"),
            (N, "Saamen kielen kielikahvila"),
            (K, "sámegiella"),
            (K, "Ohcejohka"),
            (T, "Boađe ságastallat sámegillii Ohcejoga girjerádjosii."),
        ],
        /* 10 */
        &[(N, "Meän Talo: Ruokailu"), (K, "ruoka"), (K, "yhteisö"), (T, "Yhteinen lounas torstaisin Meän Talon keittiössä.")],
        /* 11 */
        &[(N, "Nuorten pop-up -tapahtuma"), (K, "nuoret"), (T, "Kesäinen pop-up-tapahtuma Oulun torilla.")],
        /* 12 */
        &[
            (N, "Päiväkotien satutuokiot"),
            (K, "lukeminen"),
            (T, "Vapaaehtoiset lukijat käyvät päiväkodeissa lukemassa satuja."),
        ],
        /* 13 */
        &[(N, "Ođđa searvi nuoraide"), (K, "Sápmi"), (K, "nuorat"), (T, "Ođđa searvi Anáris ja Ohcejogas.")],
        /* 14 */
        &[
            (N, "Seniorträffar på Åland"),
            (N, "Ahvenanmaan senioritapaamiset"),
            (K, "pensionärer"),
            (T, "Kaffe och sällskap mot ensamhet varje tisdag i Mariehamn."),
        ],
        /* 15 */
        &[(N, "Ruoka-apu"), (N, "Matbank"), (K, "ruokakassi"), (T, "Jaamme ruokakasseja keskiviikkoisin.")],
        /* 16 */
        &[(N, "Máŋggagielat čoahkkin"), (K, "čoahkkin"), (T, "Čoahkkin Anáris juohke mánu.")],
        /* 17 */
        &[(N, "Kerhotilat vuokralle"), (K, "tilat"), (T, "Yhdistykset voivat varata kerhotilan iltaisin.")],
    ];

    fn fixture() -> SearchIndex {
        let mut builder = IndexBuilder::new();
        for (i, card) in CARDS.iter().enumerate() {
            assert_eq!(
                builder.add(card.iter().copied()) as usize,
                i,
                "doc indexes are sequential"
            );
        }
        builder.build()
    }

    /// Latin-1's letters take a shortcut to lower case; it must agree
    /// with `case::lower`, which every other letter goes through.
    #[test]
    fn latin1_letters_fold_as_the_case_table_says() {
        for c in '\u{c0}'..='\u{ff}' {
            let mut expected = String::new();
            crate::case::lower(c).for_each(|c| push_folded(c, &mut expected));
            assert_eq!(fold(&c.to_string()), expected, "{c:?}");
        }
    }

    #[test]
    fn fold_lowercases_and_removes_diacritics() {
        let check = |input: &str, expected: &str| assert_eq!(fold(input), expected, "{input:?}");
        check("Päiväkoti", "paivakoti");
        check("ÅLAND Åbo", "aland abo");
        check("Ođđa ĐĐ", "odda dd");
        check("máŋga ŊŦƷŠČŽÁ", "manga ntzscza");
        check("ŧ ʒ ǯ š č ž á", "t z z s c z a");
        check(
            "Æble, Søren, Œuvre, Straße",
            "aeble, soren, oeuvre, strasse",
        );
        check("Café Über Võru", "cafe uber voru");
        check("a\u{308}iti", "aiti");
        check("Meän Talo: Ruokailu", "mean talo: ruokailu");
        check("", "");
    }

    #[test]
    fn tokens_split_on_everything_but_letters_and_digits() {
        let check =
            |input: &str, expected: &[&str]| assert_eq!(tokens(input), expected, "{input:?}");
        check("vertais-tuki", &["vertais", "tuki"]);
        check("mean talo: ruokailu", &["mean", "talo", "ruokailu"]);
        check("  -- 24/7 ", &["24", "7"]);
        check("", &[]);
        let check_indexed = |input: &str, expected: &[&str]| {
            let mut out = Vec::new();
            index_tokens(input, |t| out.push(t.to_owned()));
            assert_eq!(out, expected, "{input:?}");
        };
        check_indexed("vertais-tuki", &["vertais", "tuki", "vertaistuki"]);
        check_indexed(
            "nuorten pop-up -tapahtuma",
            &["nuorten", "pop", "up", "popup", "tapahtuma"],
        );
        check_indexed("ystävä – palvelu", &["ystävä", "palvelu"]);
        check_indexed("ruoka\u{2010}apu", &["ruoka", "apu", "ruokaapu"]);
        check_indexed("a- b c--d", &["a", "b", "c", "d"]);
    }

    /// Issue 13: tokenising and folding find ASCII a word or a byte at a
    /// time, and must split and fold as going character by character does,
    /// with non-ASCII letters, dashes and hyphens at every position.
    #[test]
    fn the_fast_ways_through_ascii_split_and_fold_as_the_slow_ones() {
        // Each token, whether a hyphen joins it to the next, one character
        // at a time.
        fn by_chars(folded: &str) -> Vec<(String, bool)> {
            let chars: Vec<(usize, char)> = folded.char_indices().collect();
            let mut out = Vec::new();
            let mut start = 0;
            for (k, &(i, c)) in chars.iter().enumerate() {
                if c.is_alphanumeric() {
                    continue;
                }
                if start < i {
                    let joins = matches!(c, '-' | '\u{2010}' | '\u{2011}')
                        && chars.get(k + 1).is_some_and(|(_, n)| n.is_alphanumeric());
                    out.push((folded[start..i].to_owned(), joins));
                }
                start = i + c.len_utf8();
            }
            if start < folded.len() {
                out.push((folded[start..].to_owned(), false));
            }
            out
        }
        let texts = [
            "",
            "-",
            "a",
            "ä",
            "vertais-tuki",
            "ruoka\u{2010}apu ja -ä",
            "ikäihmisille, näkövammaisille; föreningarna!",
            "abcdefgh-ijklmnop\u{e4}qrstuvwxyz0123456789-\u{f6}",
            "  -- 24/7 pop-up -tapahtuma äö-åx",
            "Ὀδυσσεύς – Sámi giella ŋ",
        ];
        for text in texts {
            let folded = fold(text);
            let mut fast = Vec::new();
            scan(&folded, |token, joins| fast.push((token.to_owned(), joins)));
            assert_eq!(fast, by_chars(&folded), "{text:?}");
            let slow: String =
                text.chars()
                    .flat_map(crate::case::lower)
                    .fold(String::new(), |mut out, c| {
                        push_folded(c, &mut out);
                        out
                    });
            assert_eq!(folded, slow, "{text:?}");
            let bytes = text.as_bytes();
            for from in 0..bytes.len() {
                let expected = bytes[from..].iter().take_while(|b| b.is_ascii()).count();
                assert_eq!(ascii_len(&bytes[from..]), expected, "{text:?} from {from}");
            }
        }
    }

    #[test]
    fn queries_find_the_expected_cards_in_order() {
        let index = fixture();
        let check = |query: &str, expected: &[u32]| {
            let docs: Vec<u32> = index.search(query).iter().map(|h| h.doc).collect();
            assert_eq!(docs, expected, "query {query:?}");
        };
        // Finnish: compounds by prefix and inside the word; a name beats a text.
        check("ystävä", &[1, 0]);
        check("paivakoti", &[12, 2]);
        check("keskus", &[3, 5, 2, 4]);
        check("terveyskeskus", &[5]);
        // The last part of a compound is as good as the start of a word.
        check("kerho", &[2, 3, 17]);
        check("kerho kajaani", &[2]);
        check("KAJAANI", &[2]);
        check("vertaistuki", &[4]);
        check("vertais-tuki", &[4]);
        check("tuki", &[4]);
        check("popup", &[11]);
        check("ruokaapu", &[15]);
        check("ruoka", &[15, 10]);
        check("kahvila", &[8, 9]);
        check("kirjasto", &[5, 3]);
        // A keyword beats a text, even of an earlier card.
        check("yksinäisyy", &[1, 0]);
        // Swedish.
        check("vän", &[7, 2, 8]);
        check("aldre", &[7]);
        check("abo", &[6]);
        check("Åbo", &[6]);
        check("läxhjälp unga", &[6]);
        check("språkcafé", &[8]);
        check("aland", &[14]);
        check("ensamhet", &[7, 14]);
        // Northern Sámi.
        check("samegiella", &[9]);
        check("sapmi", &[13]);
        check("Sápmi", &[13]);
        check("giellagaffe", &[9]);
        check("odda", &[13]);
        check("Ođđa", &[13]);
        check("manggagielat", &[16]);
        check("máŋgga", &[16]);
        check("coahkkin", &[16]);
        check("ohcejog", &[9, 13]);
        // Nothing to search for, or nothing found.
        check("", &[]);
        check("   ", &[]);
        check("x", &[]);
        check("ä", &[]);
        check("a b", &[]);
        check("qwerty", &[]);
        check("kerho qwerty", &[]);
        // A one-letter term next to a real one is ignored.
        check("kerho a", &[2, 3, 17]);
    }

    #[test]
    fn scores_rank_fields_before_match_kinds() {
        let index = fixture();
        let check = |query: &str, expected: &[(u32, u32)]| {
            let hits: Vec<(u32, u32)> = index
                .search(query)
                .iter()
                .map(|h| (h.doc, h.score))
                .collect();
            assert_eq!(hits, expected, "query {query:?}");
        };
        // Name: whole word 12, prefix or a compound's last part 11, inside
        // 6, one typing error 3; keyword 10/9/5/2; text 8/7/4/1.
        check("aldre", &[(7, 12)]);
        check("keskus", &[(3, 11), (5, 9), (2, 7), (4, 7)]);
        check("kerho", &[(2, 11), (3, 11), (17, 11)]);
        check("ensamhet", &[(7, 10), (14, 8)]);
        check("yksinäisyy", &[(1, 9), (0, 7)]);
        check("kerho kajaani", &[(2, 22)]);
        // Inside a word: "van" in "invandrare" ranks below a text's word start.
        check("vän", &[(7, 11), (2, 7), (8, 6)]);
        // Inflected forms through the stem, as good as a word's start.
        check("kerhoissa", &[(2, 11), (3, 11), (17, 11)]);
        check("kirjastolla", &[(5, 11), (3, 8)]);
        // Typing errors, below every match as typed.
        check("ystvä", &[(1, 3), (0, 1)]);
        check("perhekerrho", &[(2, 3)]);
        // A letter too many or two swapped, in a compound's last part.
        check("kahvvila", &[(8, 3), (9, 3)]);
        check("kahvliaan", &[(8, 3), (9, 3)]);
        // Not from five letters: "sami" ends "jaksamista" (card 4).
        check("sapmi", &[(13, 10)]);
        check("kirjsato", &[(5, 3), (3, 1)]);
        check("omaishoitjille", &[(4, 3)]);
        check("keskus kirjsato", &[(3, 12), (5, 12)]);
        assert!(IndexBuilder::new().build().search("kerho").is_empty());
    }

    #[test]
    fn equal_scores_follow_the_given_order() {
        // Issue 10: ties come in the order of the names shown, not in the
        // order the cards were indexed.
        let index = fixture();
        let reversed: Vec<u32> = (0..index.len() as u32).rev().collect();
        let check = |query: &str, order: Option<&[u32]>, expected: &[(u32, u32)]| {
            let hits: Vec<(u32, u32)> = index
                .search_in_order(query, order)
                .iter()
                .map(|h| (h.doc, h.score))
                .collect();
            assert_eq!(hits, expected, "query {query:?}, order {order:?}");
        };
        check("keskus", None, &[(3, 11), (5, 9), (2, 7), (4, 7)]);
        check(
            "keskus",
            Some(&reversed),
            &[(3, 11), (5, 9), (4, 7), (2, 7)],
        );
        check("kerho", Some(&reversed), &[(17, 11), (3, 11), (2, 11)]);
        check("ensamhet", Some(&reversed), &[(7, 10), (14, 8)]);
    }

    /// A tiny deterministic generator, so that tests need no `rand`.
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) as usize % n
        }
    }

    /// Real stems, so that generated words have the letter pairs and triples
    /// of real card text (which decide how many tokens a short term matches).
    const FINNISH: &str = "ystävä toiminta vapaaehtoinen kerho perhe lapsi nuori vanhus ikäihminen terveys \
        keskus kirjasto kirja kuljetus apu tuki vertais ryhmä omaishoitaja koulu läksy kieli kahvila ruoka lounas \
        talo koti päivä ilta viikko kuukausi kurssi osaaminen merkki yhdistys järjestö kunta kylä kaupunki \
        tapahtuma retki liikunta kävely musiikki kuoro taide käsityö puutarha luonto metsä sauna seurakunta \
        palvelu asiointi kauppa neuvonta ohjaus kokemus mielenterveys päihde kriisi puhelin verkko tietokone \
        opetus tukihenkilö harrastus peli tanssi kunto muisti sydän vauva äiti isä maahanmuuttaja suomi \
        keskustelu ilo yhteisö naapuri työ opiskelija eläkeläinen esteettömyys tila kokous ja tai on sekä myös \
        joka kanssa voi tule mukaan";
    const SWEDISH: &str = "vän verksamhet frivillig äldre barn familj ung hjälp läxa stöd grupp samtal språk \
        café mat lunch hus hem dag kväll vecka kurs förening kommun by stad evenemang utflykt motion promenad \
        musik kör konst hantverk trädgård natur skog bastu församling tjänst rådgivning handledning erfarenhet \
        hälsa telefon dator spel dans minne invandrare gemenskap granne arbete pensionär och eller är med för";
    const FINNISH_ENDINGS: &[&str] = &[
        "", "", "", "n", "t", "ssa", "sta", "lle", "lla", "ksi", "a", "ien", "ille", "nsa",
    ];
    const SWEDISH_ENDINGS: &[&str] = &["", "", "", "en", "et", "er", "ar", "na", "erna", "s"];

    /// `n` cards of Finnish and Swedish words drawn from a vocabulary of
    /// `size` inflected words and compounds; `words` sets how many words go in
    /// each name, keyword list, summary and description.
    fn synthetic(n: usize, size: usize, words: [usize; 4]) -> Vec<Vec<(Field, String)>> {
        let mut rng = Lcg(7);
        let vocabulary = |rng: &mut Lcg, stems: &str, endings: &[&str]| -> Vec<String> {
            let stems: Vec<&str> = stems.split_whitespace().collect();
            (0..size)
                .map(|_| {
                    let mut word = stems[rng.below(stems.len())].to_owned();
                    // Compounds, some of them written with a hyphen.
                    if rng.below(3) == 0 {
                        word.push_str(if rng.below(5) == 0 { "-" } else { "" });
                        word.push_str(stems[rng.below(stems.len())]);
                    }
                    word + endings[rng.below(endings.len())]
                })
                .collect()
        };
        let languages = [
            vocabulary(&mut rng, FINNISH, FINNISH_ENDINGS),
            vocabulary(&mut rng, SWEDISH, SWEDISH_ENDINGS),
        ];
        // Word ranks follow Zipf's law (exponent 0.9, by inverting its
        // distribution function), as in natural text.
        let exponent = 1.0 - 0.9;
        let top = (size as f64 + 1.0).powf(exponent) - 1.0;
        let text = |rng: &mut Lcg, language: &[String], count: usize| {
            let words: Vec<&str> = (0..count)
                .map(|_| {
                    let u = rng.below(1 << 24) as f64 / f64::from(1 << 24);
                    let rank = (top * u + 1.0).powf(1.0 / exponent) as usize - 1;
                    language[rank.min(size - 1)].as_str()
                })
                .collect();
            words.join(" ")
        };
        (0..n)
            .map(|_| {
                let mut card = Vec::new();
                for language in &languages {
                    card.push((N, text(&mut rng, language, words[0])));
                    card.extend((0..words[1]).map(|_| (K, text(&mut rng, language, 1))));
                    card.push((T, text(&mut rng, language, words[2])));
                    card.push((T, text(&mut rng, language, words[3])));
                }
                card
            })
            .collect()
    }

    fn build(cards: &[Vec<(Field, String)>]) -> SearchIndex {
        let mut builder = IndexBuilder::new();
        for card in cards {
            builder.add(card.iter().map(|(f, t)| (*f, t.as_str())));
        }
        builder.build()
    }

    /// Whether `a` becomes `b` by exactly one typing error: a letter left
    /// out, added or changed, or two neighbours swapped.
    fn one_error<T: PartialEq>(a: &[T], b: &[T]) -> bool {
        let common = a.iter().zip(b).take_while(|(x, y)| x == y).count();
        let (a, b) = (&a[common..], &b[common..]);
        match (a, b) {
            ([], []) => false,
            ([_, a_rest @ ..], [_, b_rest @ ..]) if a_rest == b_rest => true,
            ([x, y, a_rest @ ..], [p, q, b_rest @ ..]) if x == q && y == p && a_rest == b_rest => {
                true
            }
            ([_, a_rest @ ..], b) if a_rest == b => true,
            (a, [_, b_rest @ ..]) if a == b_rest => true,
            _ => false,
        }
    }

    /// The kind of the best match of `term` (whose stems are `stems`) in
    /// `token`, the slow way.
    fn naive_kind(term: &str, stems: &[String], variants: &[String], token: &str) -> Option<Kind> {
        let exact = |term: &str| {
            if token == term {
                Some(WHOLE)
            } else if token.starts_with(term) {
                Some(PREFIX)
            } else {
                let at = token.rfind(term)?;
                Some(if token.len() - at - term.len() <= ENDING {
                    PREFIX
                } else {
                    INSIDE
                })
            }
        };
        let as_typed = || std::iter::once(term).chain(stems.iter().map(String::as_str));
        if let Some(kind) = as_typed().filter_map(exact).max() {
            return Some(kind);
        }
        fn typo<T: PartialEq>(term: &[T], token: &[T]) -> bool {
            term.len() >= TYPO_FROM
                && (term.len() - 1..=term.len() + 1)
                    .any(|n| n <= token.len() && one_error(term, &token[..n]))
        }
        let found = |term: &str| {
            if term.is_ascii() && token.is_ascii() {
                typo(term.as_bytes(), token.as_bytes())
            } else {
                let chars = |text: &str| text.chars().collect::<Vec<char>>();
                typo(&chars(term), &chars(token))
            }
        };
        let part = variants.iter().any(|v| exact(v) >= Some(PREFIX));
        (part || as_typed().any(found)).then_some(TYPO)
    }

    /// The same ranking computed the slow way, by scanning every card's tokens.
    fn naive(cards: &[Vec<(Field, Vec<String>)>], query: &str) -> Vec<Hit> {
        let folded = fold(query);
        let terms: Vec<(&str, Vec<String>, Vec<String>)> = tokens(&folded)
            .into_iter()
            .filter(|t| t.chars().count() >= 2)
            .map(|t| {
                let stems = stems(t);
                let variants = std::iter::once(t)
                    .chain(stems.iter().map(String::as_str))
                    .flat_map(dropped_or_swapped)
                    .collect();
                (t, stems, variants)
            })
            .collect();
        let mut hits: Vec<Hit> = (0u32..)
            .zip(cards)
            .filter_map(|(doc, card)| {
                let best = |(term, stems, variants): &(&str, Vec<String>, Vec<String>)| {
                    let scores = card
                        .iter()
                        .flat_map(|(field, tokens)| tokens.iter().map(move |t| (*field, t)));
                    scores
                        .filter_map(|(f, t)| {
                            Some(LEVELS[f as usize][naive_kind(term, stems, variants, t)?])
                        })
                        .max()
                };
                let scores: Option<Vec<u8>> = terms.iter().map(best).collect();
                let score = scores
                    .filter(|s| !s.is_empty())?
                    .iter()
                    .map(|&s| u32::from(s))
                    .sum();
                Some(Hit { doc, score })
            })
            .collect();
        hits.sort_by(|a, b| b.score.cmp(&a.score).then(a.doc.cmp(&b.doc)));
        hits
    }

    /// A large synthetic index with one planted card, its cards' tokens for
    /// the naive scan, and the planted card's number. Built once for the
    /// tests that share it, which the test harness runs side by side: the
    /// naive scan is slow unoptimised, and one test took 38 s of `make test`.
    struct Large {
        index: SearchIndex,
        tokenised: Vec<Vec<(Field, Vec<String>)>>,
        planted: usize,
    }

    fn large() -> &'static Large {
        static LARGE: std::sync::LazyLock<Large> = std::sync::LazyLock::new(|| {
            let mut cards = synthetic(20_000, 20_000, [3, 2, 5, 10]);
            let planted = 13_579;
            cards[planted] = vec![
                (N, "Zebrakerho Ylläksellä".to_owned()),
                (T, "Ystävällinen zebra-ryhmä.".to_owned()),
            ];
            let index = build(&cards);
            let tokenised = cards
                .iter()
                .map(|card| {
                    let tokens_of = |text: &str| {
                        let mut out = Vec::new();
                        index_tokens(&fold(text), |t| out.push(t.to_owned()));
                        out
                    };
                    card.iter().map(|(f, text)| (*f, tokens_of(text))).collect()
                })
                .collect();
            Large {
                index,
                tokenised,
                planted,
            }
        });
        &LARGE
    }

    fn agrees_with_a_naive_scan(queries: &[&str]) {
        let Large {
            index, tokenised, ..
        } = large();
        for query in queries {
            let expected = naive(tokenised, query);
            assert_eq!(index.search(query), expected, "query {query:?}");
        }
    }

    #[test]
    fn a_large_synthetic_index_agrees_with_a_naive_scan() {
        let Large { index, planted, .. } = large();
        let planted = *planted;
        assert_eq!(index.len(), 20_000);
        let hit = |doc: usize, score: u32| Hit {
            doc: doc as u32,
            score,
        };
        assert_eq!(index.search("zebrakerho"), [hit(planted, 12)]);
        assert_eq!(index.search("ZEBRA ylläks"), [hit(planted, 22)]);
        assert_eq!(index.search("zebraryhmä"), [hit(planted, 8)]);

        // Two-letter terms as common as these take the precomputed path.
        assert!(
            index.pairs.contains(&u16::from_be_bytes(*b"ta")),
            "\"ta\" is precomputed"
        );
        agrees_with_a_naive_scan(&[
            "ta",
            "ke ta",
            "kerho",
            "KERHO Ruoka",
            "ystävä",
            "vän",
            "vänverk",
            "ål",
            "apuryhmä",
            "zebra",
            "kes kus",
            "dđa",
            "qq",
        ]);
    }

    #[test]
    fn a_large_synthetic_index_agrees_with_a_naive_scan_on_inflections_and_typing_errors() {
        agrees_with_a_naive_scan(&[
            "kerhoissa",
            "ystävälle",
            "vänverksamheten",
            "ystvä",
            "kerrho",
            "vertaitsuki",
            "kirjastoo",
            "zebbrakerho ylläks",
        ]);
    }

    /// Run with `cargo test -p talkoo-core --release -- --ignored --nocapture search`.
    #[test]
    #[ignore = "benchmark; prints timings"]
    fn search_benchmark_50k_cards() {
        use std::time::{Duration, Instant};
        let cards = synthetic(50_000, 200_000, [5, 3, 25, 80]);
        let started = Instant::now();
        let index = build(&cards);
        let build_time = started.elapsed();
        let tokens = index.starts.len() - 1;
        let postings: usize = (0..tokens).map(|t| index.postings.list(t).count()).sum();
        println!(
            "search: {} cards, {tokens} tokens, {postings} postings, {} precomputed pairs; \
             build {build_time:?}, heap {:.1} MB",
            index.len(),
            index.pairs.len(),
            index.heap_bytes() as f64 / 1e6
        );
        // Typing as it happens: two and three letters, then whole words and
        // compounds, in Finnish and Swedish, a few multi-word queries, and
        // inflected forms and typing errors.
        let queries: Vec<String> = "ys yst ystä ystävä ystävätoiminta ke ker kerho kes keskus ter terveys \
            terveyskeskus vä vän vänverk verksamhet äl äldre he hem hjälp sá sámi ruo ruoka ka kah kahvila \
            nu nuo nuori ki kir kirjasto pe per perhe perhekerho kerho+ruoka ys+kah ta+ma vertaistuki \
            päiväkoti qwerty maahanmuuttajille tuki ys+ker+ruo vän+hjälp kurs \
            ystvä kerrho vertaistukii kirjsato terveyskeskusta kerhoissa ystävälle vänverksamheten \
            omaishoitajille kahvilaan ikäihmisille föreningarna keskusteluu"
            .split_whitespace()
            .map(|q| q.replace('+', " "))
            .collect();
        // One pass to warm the caches, then each query's median of five runs,
        // so that other processes on the machine disturb the numbers less.
        queries.iter().for_each(|q| drop(index.search(q)));
        let mut times: Vec<(Duration, &str, usize)> = queries
            .iter()
            .map(|query| {
                let mut runs: Vec<(Duration, usize)> = (0..5)
                    .map(|_| {
                        let started = Instant::now();
                        let hits = index.search(query).len();
                        (started.elapsed(), hits)
                    })
                    .collect();
                runs.sort();
                (runs[2].0, query.as_str(), runs[2].1)
            })
            .collect();
        times.sort();
        let at = |percent: usize| times[(times.len() - 1) * percent / 100].0;
        println!(
            "search: {} queries, p50 {:?}, p95 {:?}, max {:?}",
            times.len(),
            at(50),
            at(95),
            at(100)
        );
        for (time, query, hits) in times.iter().rev().take(5) {
            println!("search: slowest {query:?}: {time:?}, {hits} hits");
        }
    }
}
