//! Choosing the association in the entry form: which of the catalogue's organisations the typed text lists, and when a typed name is one of them.
//!
//! The form's association field is a combobox that lists the catalogue's
//! organisations and still takes any name (issue 10). Matching ignores case
//! and diacritics the way the catalogue search does ([`fold`]), so
//! "apuvaki" finds "Kajaanin Apuväki ry", and every typed word must occur
//! somewhere in the name, so "kaj ry" narrows as a volunteer expects.

use crate::search::fold;

/// An organisation the form can offer: its feed id and its name in the
/// app's language.
pub type Choice = (String, String);

/// The choices whose names contain every word of `typed`, those whose name
/// starts with the first typed word first, otherwise in the given order.
/// Empty text lists every choice.
pub fn matching<'a>(choices: &'a [Choice], typed: &str) -> Vec<&'a Choice> {
    let typed = fold(typed.trim());
    let words: Vec<&str> = typed.split_whitespace().collect();
    let mut starts = Vec::new();
    let mut contains = Vec::new();
    for choice in choices {
        let name = fold(&choice.1);
        if !words.iter().all(|w| name.contains(w)) {
            continue;
        }
        if words.first().is_some_and(|w| name.starts_with(w)) {
            starts.push(choice);
        } else {
            contains.push(choice);
        }
    }
    starts.extend(contains);
    starts
}

/// The id of the one choice whose name is `typed`, ignoring case,
/// diacritics and spacing; `None` for a name not in the catalogue or one
/// that several organisations share (the list tells those apart).
pub fn recognise<'a>(choices: &'a [Choice], typed: &str) -> Option<&'a str> {
    let key = |text: &str| fold(text).split_whitespace().collect::<Vec<_>>().join(" ");
    let typed = key(typed);
    if typed.is_empty() {
        return None;
    }
    let mut found = choices.iter().filter(|(_, name)| key(name) == typed);
    match (found.next(), found.next()) {
        (Some((id, _)), None) => Some(id),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choices() -> Vec<Choice> {
        [
            ("a", "Kainuun Vapaaehtoisvälitys Kajastus ry"),
            ("b", "Kajaanin Apuväki ry"),
            ("c", "Sotkamon Latu-Veikot ry"),
            ("d", "Kuhmon Kotiseutuyhdistys Runokylä ry"),
            ("e", "Kyläyhdistys"),
            ("f", "Kyläyhdistys"),
        ]
        .map(|(id, name)| (id.to_owned(), name.to_owned()))
        .to_vec()
    }

    #[test]
    fn typing_filters_without_case_or_diacritics_and_puts_prefixes_first() {
        let all = choices();
        let check = |typed: &str, expected: &[&str]| {
            let ids: Vec<&str> = matching(&all, typed).iter().map(|c| c.0.as_str()).collect();
            assert_eq!(ids, expected, "{typed:?}");
        };
        check("", &["a", "b", "c", "d", "e", "f"]);
        check("kaj", &["b", "a"]);
        check("KAJASTUS", &["a"]);
        check("apuvaki", &["b"]);
        check("kylä", &["e", "f", "d"]);
        check("kaj ry", &["b", "a"]);
        check("latu veikot", &["c"]);
        check("  sotkamon ", &["c"]);
        check("Paltamon kyläyhdistys", &[]);
    }

    #[test]
    fn a_typed_name_is_recognised_only_when_exactly_one_choice_has_it() {
        let all = choices();
        let check = |typed: &str, expected: Option<&str>| {
            assert_eq!(recognise(&all, typed), expected, "{typed:?}");
        };
        check("Kajaanin Apuväki ry", Some("b"));
        check("kajaanin  apuvaki RY ", Some("b"));
        check("Kajaanin Apuväki", None);
        check("Kyläyhdistys", None);
        check("", None);
        check("   ", None);
    }
}
