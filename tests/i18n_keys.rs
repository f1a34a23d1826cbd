//! Fails when the UI uses a message key that is missing from any language's catalogue.
//!
//! The catalogue test in talkoo-core checks that fi, sv and en have the same
//! keys; this one checks the other half, that every key the app's source
//! asks for exists.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use talkoo_core::i18n::{badge_catalogue_ids, catalogue_report};
use talkoo_core::Lang;

/// A message key is lower-case words joined by hyphens.
fn is_key_shaped(s: &str) -> bool {
    s.contains('-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The string literals between `open` (just after an opening parenthesis)
/// and its matching closing parenthesis.
fn literals_in_call(source: &str, open: usize) -> Vec<String> {
    let mut depth = 1;
    let mut literals = Vec::new();
    let mut chars = source[open..].char_indices();
    while let Some((_, c)) = chars.next() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            '"' => {
                let mut literal = String::new();
                for (_, c) in chars.by_ref() {
                    if c == '"' {
                        break;
                    }
                    literal.push(c);
                }
                literals.push(literal);
            }
            _ => {}
        }
    }
    literals
}

/// Every key-shaped literal passed to `t`, `t_now`, `t_args` or to a
/// component prop named `*_key`.
fn used_keys(source: &str) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    for call in ["t(", "t_now(", "t_args("] {
        for (at, _) in source.match_indices(call) {
            let preceded_by_ident = source[..at]
                .chars()
                .last()
                .is_some_and(|c| c.is_alphanumeric() || c == '_');
            if !preceded_by_ident {
                keys.extend(literals_in_call(source, at + call.len()));
            }
        }
    }
    for (at, _) in source.match_indices("_key=") {
        let rest = &source[at + "_key=".len()..];
        let rest = rest.strip_prefix("Some(").unwrap_or(rest);
        if let Some(literal) = rest.strip_prefix('"').and_then(|r| r.split('"').next()) {
            keys.insert(literal.to_owned());
        }
    }
    keys.retain(|k| is_key_shaped(k));
    keys
}

/// The keys `source` uses that some language lacks, as "lang: key".
fn missing_keys(source: &str) -> Vec<String> {
    let used = used_keys(source);
    let mut missing = Vec::new();
    for lang in Lang::ALL {
        let (ids, _) = catalogue_report(lang);
        missing.extend(
            used.difference(&ids)
                .map(|k| format!("{}: {k}", lang.tag())),
        );
    }
    missing
}

fn rust_sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push((
                path.display().to_string(),
                fs::read_to_string(&path).expect("read file"),
            ));
        }
    }
}

#[test]
fn scanner_finds_keys_in_calls_conditionals_and_props() {
    let fixture = include_str!("fixtures/i18n/broken_view.rs.txt");
    let expected: BTreeSet<String> = [
        "nav-settings",
        "status-online",
        "status-gone-fishing",
        "settings-nonexistent-title",
        "settings-storage-usage",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    assert_eq!(used_keys(fixture), expected);
    let missing = missing_keys(fixture);
    assert_eq!(
        missing.len(),
        6,
        "two missing keys in three languages: {missing:?}"
    );
    assert!(missing.contains(&"sv: status-gone-fishing".to_owned()));
}

#[test]
fn every_key_the_app_uses_exists_in_every_language() {
    let mut sources = Vec::new();
    rust_sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut sources,
    );
    let mut problems = Vec::new();
    let mut total = 0;
    for (path, source) in &sources {
        total += used_keys(source).len();
        problems.extend(
            missing_keys(source)
                .into_iter()
                .map(|m| format!("{path}: {m}")),
        );
    }
    assert!(
        total > 30,
        "the scanner found only {total} keys; is it still reading the views?"
    );
    assert!(
        problems.is_empty(),
        "missing translations:\n{}",
        problems.join("\n")
    );
}

/// Sources built only into the badges module (feature `badges-module`),
/// which alone has the badge catalogue's messages (kiosk mode's screens,
/// the bundle import and the My hours pages included).
fn in_badges_module(path: &str) -> bool {
    [
        "src/badges/",
        "src/kiosk/",
        "src/hours/",
        "src/import.rs",
        "src/pages/badges.rs",
        "src/pages/badge_check.rs",
        "src/pages/hours.rs",
        "src/pages/hours_form",
        "src/bin/talkoo-badges.rs",
    ]
    .iter()
    .any(|module| path.contains(module))
}

#[test]
fn the_shell_uses_no_key_of_the_badge_catalogue() {
    let mut sources = Vec::new();
    rust_sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut sources,
    );
    let badge_keys = badge_catalogue_ids(Lang::En);
    assert!(
        badge_keys.contains("backup-done"),
        "read the badge catalogue"
    );
    let mut problems = Vec::new();
    for (path, source) in sources.iter().filter(|(path, _)| !in_badges_module(path)) {
        problems.extend(
            used_keys(source)
                .intersection(&badge_keys)
                .map(|k| format!("{path}: {k}")),
        );
    }
    assert!(
        problems.is_empty(),
        "the shell shows these keys raw, since its bundles lack the badge catalogue:\n{}",
        problems.join("\n")
    );
}
