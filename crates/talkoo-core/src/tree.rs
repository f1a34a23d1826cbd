//! Builds ordered sets and maps one insert at a time, so that the first-load shell carries no stable sort.
//!
//! `collect()` into a `BTreeSet` or a `BTreeMap` first sorts everything it
//! is given with the standard library's stable sort, whose code is compiled
//! again for every element type: 3 to 4 KB of wasm each. The shell's stable
//! sorts (the chosen regions, a region's files, the filters'
//! municipalities and languages, with a search's stems and the pinned keys
//! sorted elsewhere) were 4.4 KB brotli of every first visit (issue 13).
//! Inserting uses the tree's own code, which the shell has anyway. The sets
//! built this way are small (regions, a region's files) or have few
//! distinct values among many repeats (every card's municipalities), where
//! inserting is also quicker than sorting all the repeats before dropping
//! them.

use std::collections::{BTreeMap, BTreeSet};

/// The set of `items`, as `collect()` would make it.
pub fn set_of<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    for item in items {
        set.insert(item);
    }
    set
}

/// The map of `pairs`, as `collect()` would make it: a key given twice
/// keeps its last value.
pub fn map_of<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    for (key, value) in pairs {
        map.insert(key, value);
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(items: &[(&str, u32)]) {
        let keys = items.iter().map(|(k, _)| *k);
        assert_eq!(
            set_of(keys.clone()),
            keys.collect::<BTreeSet<_>>(),
            "{items:?}"
        );
        assert_eq!(
            map_of(items.iter().copied()),
            items.iter().copied().collect::<BTreeMap<_, _>>(),
            "{items:?}"
        );
    }

    #[test]
    fn the_same_as_collect() {
        check(&[]);
        check(&[("kainuu", 1)]);
        check(&[("lappi", 1), ("kainuu", 2), ("lappi", 3), ("", 4)]);
        check(&[("205", 1), ("205", 2), ("205", 3)]);
        check(&[("ö", 1), ("a", 2), ("ä", 3), ("A", 4), ("z", 5)]);
    }
}
