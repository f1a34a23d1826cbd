//! Markup written as text, for the one place a page sets thousands of elements at once: a filter of 5,000 organisations drawn an element at a time from the wasm held the page for 75 ms, and the browser's parser draws the same options in about half that.

use std::fmt::Write;

/// A `<select>`'s options: first `any`, whose value is empty, then each
/// `(value, label)` in order; the option whose value is `chosen` is
/// selected (`any` when none is).
pub fn select_options(any: &str, options: &[(String, String)], chosen: &str) -> String {
    let mut out = String::with_capacity(64 + options.len() * 48);
    let mut option = |value: &str, label: &str| {
        let selected = if value == chosen { " selected" } else { "" };
        // Writing into a String cannot fail.
        let _ = write!(
            out,
            "<option value=\"{}\"{selected}>{}</option>",
            html_escape::encode_double_quoted_attribute(value),
            html_escape::encode_text(label)
        );
    };
    option("", any);
    for (value, label) in options {
        option(value, label);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_list_any_first_and_select_the_chosen_value() {
        let options = vec![
            ("org-a".to_owned(), "A & B's".to_owned()),
            ("org-\"b\"".to_owned(), "<B>".to_owned()),
        ];
        let check = |chosen: &str, expected: &str| {
            assert_eq!(
                select_options("Kaikki", &options, chosen),
                expected,
                "{chosen}"
            );
        };
        check(
            "",
            "<option value=\"\" selected>Kaikki</option>\
             <option value=\"org-a\">A &amp; B's</option>\
             <option value=\"org-&quot;b&quot;\">&lt;B&gt;</option>",
        );
        check(
            "org-\"b\"",
            "<option value=\"\">Kaikki</option>\
             <option value=\"org-a\">A &amp; B's</option>\
             <option value=\"org-&quot;b&quot;\" selected>&lt;B&gt;</option>",
        );
        // A choice that is not among the options leaves none selected but
        // `any`'s place first, where the browser shows it.
        check(
            "org-gone",
            "<option value=\"\">Kaikki</option>\
             <option value=\"org-a\">A &amp; B's</option>\
             <option value=\"org-&quot;b&quot;\">&lt;B&gt;</option>",
        );
    }
}
