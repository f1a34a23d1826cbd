//! A small map from language tag to value, for the many per-language texts of a catalogue record.
//!
//! A `BTreeMap<String, String>` allocates a whole node (about 540 bytes)
//! even for one or two languages, and a service has a dozen such maps: at
//! 50,000 cards that alone was over 150 MB of the app's memory. A sorted
//! vector holds the same one to four entries in a few dozen bytes, reads
//! them as fast, and serialises as the same JSON object.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Values by language tag (`fi`, `sv`, `en`, `se`, …), ordered by tag, as a
/// `BTreeMap` would be, so serialised output is unchanged.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct LangMap<V>(Vec<(String, V)>);

impl<V> Default for LangMap<V> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<V: fmt::Debug> fmt::Debug for LangMap<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<V> LangMap<V> {
    /// An empty map.
    pub const fn new() -> Self {
        Self(Vec::new())
    }

    fn position(&self, lang: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(lang))
    }

    /// The value for `lang`.
    pub fn get(&self, lang: &str) -> Option<&V> {
        self.position(lang).ok().map(|i| &self.0[i].1)
    }

    /// The stored tag and the value for `lang`.
    pub fn get_key_value(&self, lang: &str) -> Option<(&String, &V)> {
        self.position(lang).ok().map(|i| {
            let (k, v) = &self.0[i];
            (k, v)
        })
    }

    /// Sets the value for `lang` and returns the one it replaced.
    pub fn insert(&mut self, lang: String, value: V) -> Option<V> {
        match self.position(&lang) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (lang, value));
                None
            }
        }
    }

    /// No languages.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Tags and values, by tag.
    pub fn iter(
        &self,
    ) -> impl DoubleEndedIterator<Item = (&String, &V)> + ExactSizeIterator + Clone {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// The tags, in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &String> + ExactSizeIterator + Clone {
        self.0.iter().map(|(k, _)| k)
    }

    /// The values, by tag.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator + Clone {
        self.0.iter().map(|(_, v)| v)
    }
}

impl<V> FromIterator<(String, V)> for LangMap<V> {
    fn from_iter<I: IntoIterator<Item = (String, V)>>(iter: I) -> Self {
        let mut map = Self::new();
        for (k, v) in iter {
            map.insert(k, v);
        }
        map.0.shrink_to_fit();
        map
    }
}

impl<V, const N: usize> From<[(String, V); N]> for LangMap<V> {
    fn from(entries: [(String, V); N]) -> Self {
        entries.into_iter().collect()
    }
}

impl<'a, V> IntoIterator for &'a LangMap<V> {
    type Item = (&'a String, &'a V);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, V)>,
        fn(&'a (String, V)) -> (&'a String, &'a V),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl<V: Serialize> Serialize for LangMap<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for LangMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for MapVisitor<V> {
            type Value = LangMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object from language tag to value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                // Exactly sized, and a repeated tag keeps the last value, as
                // a BTreeMap did.
                let mut map = LangMap(Vec::with_capacity(access.size_hint().unwrap_or(0).min(8)));
                while let Some((k, v)) = access.next_entry::<String, V>()? {
                    map.insert(k, v);
                }
                map.0.shrink_to_fit();
                Ok(map)
            }
        }
        deserializer.deserialize_map(MapVisitor(PhantomData))
    }
}

#[cfg(feature = "schema")]
impl<V: schemars::JsonSchema> schemars::JsonSchema for LangMap<V> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        <std::collections::BTreeMap<String, V> as schemars::JsonSchema>::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <std::collections::BTreeMap<String, V> as schemars::JsonSchema>::json_schema(generator)
    }

    fn inline_schema() -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// Reads `json` as a LangMap and as a BTreeMap; both must agree, and
    /// writing the LangMap back must give what the BTreeMap writes.
    fn check(json: &str, expected: &[(&str, &str)]) {
        let ours: LangMap<String> = serde_json::from_str(json).expect("reads");
        let theirs: BTreeMap<String, String> = serde_json::from_str(json).expect("reads");
        let got: Vec<(&str, &str)> = ours.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(got, expected, "{json}");
        assert_eq!(
            serde_json::to_string(&ours).unwrap(),
            serde_json::to_string(&theirs).unwrap(),
            "{json}"
        );
        for (k, v) in expected {
            assert_eq!(ours.get(k).map(String::as_str), Some(*v));
        }
        assert_eq!(ours.get("xx"), None);
    }

    #[test]
    fn reads_and_writes_as_an_ordered_object() {
        check("{}", &[]);
        check(r#"{"fi":"Kerho"}"#, &[("fi", "Kerho")]);
        check(
            r#"{"sv":"Klubb","fi":"Kerho","en":"Club"}"#,
            &[("en", "Club"), ("fi", "Kerho"), ("sv", "Klubb")],
        );
        // A repeated tag keeps the last value, as a BTreeMap does.
        check(r#"{"fi":"Vanha","fi":"Uusi"}"#, &[("fi", "Uusi")]);
    }

    #[test]
    fn refuses_what_is_not_an_object() {
        for json in [r#"["fi"]"#, r#""fi""#, r#"{"fi":1}"#] {
            assert!(
                serde_json::from_str::<LangMap<String>>(json).is_err(),
                "{json}"
            );
        }
    }

    #[test]
    fn insert_replaces_and_keeps_order() {
        let mut map = LangMap::new();
        assert_eq!(map.insert("sv".to_owned(), 1), None);
        assert_eq!(map.insert("fi".to_owned(), 2), None);
        assert_eq!(map.insert("sv".to_owned(), 3), Some(1));
        assert_eq!(map.keys().collect::<Vec<_>>(), ["fi", "sv"]);
        assert_eq!(map.values().copied().collect::<Vec<_>>(), [2, 3]);
        assert_eq!(map.get("sv"), Some(&3));
        assert_eq!(map.get("xx"), None);
    }
}
