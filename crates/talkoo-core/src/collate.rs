//! Alphabetical order as a reader of the UI language expects it, so lists sort by the name shown and not by its bytes or its Finnish form.
//!
//! A full Unicode Collation Algorithm implementation (ICU4X collator with
//! its data) would add hundreds of kilobytes to the wasm for three
//! languages whose rules fit in a table. This module implements the
//! primary level of the CLDR collations of the UI languages for the letters
//! our feeds use (Latin with Finnish, Swedish and Sámi letters), and breaks
//! ties by the text itself, so the order is total and stable.
//!
//! What CLDR says (common/collation/fi.xml and sv.xml, "standard"; root for
//! English):
//! - Finnish and Swedish both put å, ä, ö after z, in that order
//!   (`&[before 1]ǀ<å<ä<ö`), with æ as a variant of ä and ø of ö; both sort
//!   ü as a variant of y. Swedish also counts ű as y, ę as ä and œ, ő, ô as
//!   ö; Finnish does not. The old rule that v and w are the same letter is
//!   only in Finnish "traditional" (and Swedish before 2006): in the
//!   standard order they are different letters in both.
//! - English (root) sorts å and ä as a and ö and ø as o, differing only at
//!   a lower level, so "Ärendehjälp" goes among the A's in English and
//!   after "Z" in Finnish and Swedish.
//!
//! So Finnish and Swedish agree on å, ä and ö; the visible difference of
//! issue 10 was that the Swedish list was sorted by the Finnish names.
//!
//! Punctuation and spaces sort before digits and digits before letters
//! (CLDR's default "non-ignorable" order); every run of them counts as one
//! space, so "Pappa–barn-klubb" and "Pappa barn klubb" differ only in the
//! tie-break.

use std::cmp::Ordering;

use crate::search::{ascii_len, push_folded};
use crate::Lang;

/// Stand-ins for å, ä and ö in a key: just above every ASCII letter and
/// below every letter `fold` leaves as it is (Greek, Cyrillic, …), as in
/// CLDR, where Latin comes first. They are C1 control characters, which
/// never stay in a key (controls are dropped).
const A_RING: char = '\u{80}';
const A_DIAERESIS: char = '\u{81}';
const O_DIAERESIS: char = '\u{82}';

/// The primary sort key of `text` in `lang`: compare two keys with `cmp`.
/// Equal keys mean the texts differ only in case, accents that do not make
/// a separate letter in `lang`, or punctuation; [`compare`] breaks such
/// ties.
pub fn collation_key(text: &str, lang: Lang) -> String {
    let mut key = String::with_capacity(text.len());
    let mut gap = false;
    let mut rest = text;
    while !rest.is_empty() {
        // Most names are mostly ASCII, whose letters need no decoding, no
        // case table and no Nordic rule: the sync of a 10,000-card region
        // spent half of building its snapshot's three name orders here. The
        // last ASCII character before another goes the slow way with it,
        // since "a" and a combining ring make "å".
        let ascii = ascii_len(rest.as_bytes());
        let fast = if ascii == rest.len() {
            ascii
        } else {
            ascii.saturating_sub(1)
        };
        for b in rest[..fast].bytes() {
            if b.is_ascii_alphanumeric() {
                push_gap(&mut key, &mut gap);
                key.push(char::from(b.to_ascii_lowercase()));
            } else if !b.is_ascii_control() {
                gap = !key.is_empty();
            }
        }
        rest = &rest[fast..];
        // Up to the next ASCII character after the first: an ASCII
        // character never joins the one before it.
        let slow = rest
            .char_indices()
            .skip(1)
            .find(|(_, c)| c.is_ascii())
            .map_or(rest.len(), |(at, _)| at);
        push_key_of(&rest[..slow], lang, &mut key, &mut gap);
        rest = &rest[slow..];
    }
    key
}

/// Appends the key of `text` character by character ([`collation_key`]),
/// with `gap` set when a run of spaces or punctuation waits for the next
/// letter.
fn push_key_of(text: &str, lang: Lang, key: &mut String, gap: &mut bool) {
    let nordic = matches!(lang, Lang::Fi | Lang::Sv);
    let swedish = lang == Lang::Sv;
    let mut chars = text.chars().flat_map(crate::case::lower).peekable();
    while let Some(c) = chars.next() {
        // Decomposed text (a + U+0308) is the same letter as composed text.
        let composed = match (c, chars.peek()) {
            ('a', Some('\u{30a}')) => Some('å'),
            ('a', Some('\u{308}')) => Some('ä'),
            ('o', Some('\u{308}')) => Some('ö'),
            ('u', Some('\u{308}')) => Some('ü'),
            _ => None,
        };
        let c = match composed {
            Some(letter) => {
                chars.next();
                letter
            }
            None => c,
        };
        let nordic_letter = match c {
            'å' => Some(A_RING),
            'ä' | 'æ' => Some(A_DIAERESIS),
            'ö' | 'ø' => Some(O_DIAERESIS),
            'ę' if swedish => Some(A_DIAERESIS),
            'œ' | 'ő' | 'ô' if swedish => Some(O_DIAERESIS),
            'ü' => Some('y'),
            'ű' if swedish => Some('y'),
            _ => None,
        }
        .filter(|_| nordic);
        if let Some(letter) = nordic_letter {
            push_gap(key, gap);
            key.push(letter);
            continue;
        }
        if c.is_alphanumeric() {
            push_gap(key, gap);
            // Search's folding removes the accents that are not separate
            // letters here (é, č, đ, ŋ …), and spells œ and ß out as root does.
            push_folded(c, key);
        } else if !c.is_control() && !is_combining(c) {
            *gap = !key.is_empty();
        }
    }
}

/// Writes the one space that stands for a run of spaces and punctuation.
fn push_gap(key: &mut String, gap: &mut bool) {
    if std::mem::take(gap) {
        key.push(' ');
    }
}

/// Combining marks left over (other than the ones read above as part of å,
/// ä, ö and ü) are accents, ignored at the primary level.
fn is_combining(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36f}')
}

/// Compares two texts as [`collation_key`] orders them, the texts
/// themselves breaking ties so that the order is total.
pub fn compare(a: &str, b: &str, lang: Lang) -> Ordering {
    collation_key(a, lang)
        .cmp(&collation_key(b, lang))
        .then_with(|| a.cmp(b))
}

/// The order that sorts `names` as [`compare`] does in `lang`: the i-th
/// entry is the index in `names` of the i-th name. Equal texts keep their
/// order, so sorting again by another name is a stable second pass.
///
/// Every list of the app sorts through this one routine, with each key
/// made once (a key allocates, and 50,000 cards take some 800,000
/// comparisons): each instance of the standard library's sort adds
/// kilobytes to the wasm.
pub fn sort_order(names: &[&str], lang: Lang) -> Vec<usize> {
    let mut keys: Vec<(String, usize)> = names
        .iter()
        .enumerate()
        .map(|(i, name)| (collation_key(name, lang), i))
        .collect();
    keys.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| names[a.1].cmp(names[b.1]))
            .then(a.1.cmp(&b.1))
    });
    keys.into_iter().map(|(_, i)| i).collect()
}

/// Sorts `items` by the name `name` gives for each, as [`sort_order`].
pub fn sort_by_name<T>(items: &mut [T], lang: Lang, name: impl Fn(&T) -> &str) {
    let names: Vec<&str> = items.iter().map(name).collect();
    let order = sort_order(&names, lang);
    permute(items, order);
}

/// Puts `items` in `order` (the i-th becomes the one at `order[i]`) in
/// place, by following each cycle of the permutation: a list of 50,000
/// cards is never held twice.
pub fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    debug_assert_eq!(items.len(), order.len());
    const DONE: usize = usize::MAX;
    for start in 0..order.len() {
        let mut at = start;
        while order[at] != DONE {
            let from = order[at];
            order[at] = DONE;
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 13: ASCII takes a shorter way to the same key as every other
    /// character, also next to combining marks, capitals and letters that
    /// lower-case to two characters.
    #[test]
    fn ascii_makes_the_same_key_as_the_character_by_character_way() {
        let texts = [
            "",
            "Kotiapu ikäihmisille",
            "Pappa–barn-klubb",
            "  Perhe -- kerho 2026!",
            "A\u{30a}bo",
            "Ta\u{308}hti",
            "o\u{308}",
            "U\u{308}ber",
            "İstanbul",
            "Sámi giella ja ŋ",
            "Œuvre ß",
            "Bar\u{300}",
            "tab\tcontrol\u{1}end",
            "éa\u{308}",
        ];
        for lang in [Lang::Fi, Lang::Sv, Lang::En] {
            for text in texts {
                let (mut key, mut gap) = (String::new(), false);
                push_key_of(text, lang, &mut key, &mut gap);
                assert_eq!(collation_key(text, lang), key, "{text:?} in {lang:?}");
            }
        }
    }

    /// Sorts `input` with [`compare`] and expects `expected`.
    fn check(lang: Lang, input: &[&str], expected: &[&str]) {
        let mut sorted = input.to_vec();
        sorted.sort_by(|a, b| compare(a, b, lang));
        assert_eq!(sorted, expected, "{lang:?}");
    }

    #[test]
    fn finnish_and_swedish_put_a_ring_a_and_o_diaeresis_after_z() {
        // Issue 10: "Ärendehjälp…" came first in the Swedish list.
        let names = [
            "Öppna ungdomskvällar",
            "Ärendehjälp och ledsagare",
            "Åbo frivilligcentral",
            "Zumba för seniorer",
            "Avlösare",
            "Vänverksamhet",
        ];
        let nordic = [
            "Avlösare",
            "Vänverksamhet",
            "Zumba för seniorer",
            "Åbo frivilligcentral",
            "Ärendehjälp och ledsagare",
            "Öppna ungdomskvällar",
        ];
        check(Lang::Sv, &names, &nordic);
        check(Lang::Fi, &names, &nordic);
        // English sorts them as a and o.
        check(
            Lang::En,
            &names,
            &[
                "Åbo frivilligcentral",
                "Ärendehjälp och ledsagare",
                "Avlösare",
                "Öppna ungdomskvällar",
                "Vänverksamhet",
                "Zumba för seniorer",
            ],
        );
    }

    #[test]
    fn letters_inside_words_follow_the_same_order() {
        check(
            Lang::Fi,
            &["Pöytä", "Paavo", "Päivä", "Pz", "Påhl"],
            &["Paavo", "Pz", "Påhl", "Päivä", "Pöytä"],
        );
        check(
            Lang::En,
            &["Pöytä", "Paavo", "Päivä", "Pz"],
            &["Paavo", "Päivä", "Pöytä", "Pz"],
        );
    }

    #[test]
    fn variants_sort_with_their_base_letter() {
        // æ with ä and ø with ö in both; ü with y; v and w are different
        // letters in the standard order of both languages.
        check(
            Lang::Sv,
            &[
                "Ørsted", "Æble", "Ögon", "Ägg", "Über", "Yxa", "Wilma", "Vera", "Xylofon",
            ],
            &[
                "Vera", "Wilma", "Xylofon", "Über", "Yxa", "Æble", "Ägg", "Ögon", "Ørsted",
            ],
        );
        // œ is a variant of ö in Swedish only; in Finnish it is "oe".
        check(Lang::Sv, &["Œuvre", "Oz", "Öl"], &["Oz", "Öl", "Œuvre"]);
        check(Lang::Fi, &["Œuvre", "Oz", "Öl"], &["Œuvre", "Oz", "Öl"]);
        // Accents that make no separate letter are ignored: é is e, č is c,
        // and Sámi đ and ŋ sort as d and n.
        check(
            Lang::Fi,
            &[
                "Ođđa searvi",
                "Café",
                "Cafe au lait",
                "Čoahkkin",
                "Cz",
                "Odd",
            ],
            &[
                "Café",
                "Cafe au lait",
                "Čoahkkin",
                "Cz",
                "Odd",
                "Ođđa searvi",
            ],
        );
    }

    #[test]
    fn lists_sort_by_their_names_and_a_second_pass_is_stable() {
        let check = |input: &[(&str, &str)], expected: &[(&str, &str)]| {
            let mut items = input.to_vec();
            // By name, then by municipality: the names stay in order
            // within each municipality.
            sort_by_name(&mut items, Lang::Sv, |(_, name)| name);
            sort_by_name(&mut items, Lang::Sv, |(municipality, _)| municipality);
            assert_eq!(items, expected);
        };
        check(
            &[
                ("Åbo", "Ängen"),
                ("Vasa", "Öppet hus"),
                ("Åbo", "Biblioteket"),
                ("Vasa", "Allaktivitetshuset"),
                ("Åbo", "Zoo"),
            ],
            &[
                ("Vasa", "Allaktivitetshuset"),
                ("Vasa", "Öppet hus"),
                ("Åbo", "Biblioteket"),
                ("Åbo", "Zoo"),
                ("Åbo", "Ängen"),
            ],
        );
        check(&[], &[]);
    }

    #[test]
    fn permute_follows_every_cycle() {
        let check = |order: &[usize]| {
            let mut items: Vec<usize> = (0..order.len()).map(|i| i * 10).collect();
            permute(&mut items, order.to_vec());
            let expected: Vec<usize> = order.iter().map(|i| i * 10).collect();
            assert_eq!(items, expected, "{order:?}");
        };
        check(&[]);
        check(&[0]);
        check(&[1, 0]);
        check(&[2, 0, 1]);
        check(&[1, 2, 0, 4, 3, 5]);
        check(&[5, 4, 3, 2, 1, 0]);
        check(&[3, 0, 4, 1, 5, 2]);
    }

    #[test]
    fn case_punctuation_and_decomposed_letters() {
        let key = |text: &str, lang: Lang| collation_key(text, lang);
        assert_eq!(key("ÄITI", Lang::Fi), key("äiti", Lang::Fi));
        assert_eq!(key("a\u{308}iti", Lang::Fi), key("äiti", Lang::Fi));
        assert_eq!(key("A\u{30a}bo", Lang::Sv), key("Åbo", Lang::Sv));
        assert_eq!(key("Pappa–barn-klubb", Lang::Sv), "pappa barn klubb");
        assert_eq!(key("  S:t Karins ", Lang::Sv), "s t karins");
        // A word that is a prefix of another comes first; digits before letters.
        check(
            Lang::Fi,
            &["Kerhotilat", "Kerho 2", "Kerho", "Kerho A", "kerho"],
            &["Kerho", "kerho", "Kerho 2", "Kerho A", "Kerhotilat"],
        );
        // Greek and Cyrillic come after every Latin letter, å ä ö included.
        check(
            Lang::Fi,
            &["Юрий", "Öljy", "Zeta"],
            &["Zeta", "Öljy", "Юрий"],
        );
        assert_eq!(key("", Lang::Sv), "");
    }
}
