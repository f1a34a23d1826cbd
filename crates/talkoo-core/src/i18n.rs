//! The one i18n layer: Fluent message catalogues for Finnish, Swedish and English, and language negotiation.
//!
//! Fluent was chosen over leptos_i18n because the catalogues stay plain `.ftl`
//! files that translators can edit without touching Rust, plural and number
//! rules for fi/sv/en come from CLDR, and the catalogues can be checked by an
//! ordinary native test rather than a proc macro tied to one Leptos version.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

/// A language the user interface is translated into.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Lang {
    /// Finnish, the default.
    Fi,
    /// Swedish, the second national language.
    Sv,
    /// English.
    En,
}

impl Lang {
    /// Every UI language, in the order they are offered to the user.
    pub const ALL: [Lang; 3] = [Lang::Fi, Lang::Sv, Lang::En];

    /// The BCP 47 tag used in `<html lang>` and in storage.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Fi => "fi",
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }

    /// The language's name in itself, so a user who cannot read the current
    /// language still finds their own.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Fi => "Suomi",
            Lang::Sv => "Svenska",
            Lang::En => "English",
        }
    }

    /// Parses a stored or browser language tag; region subtags are ignored.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.trim().to_ascii_lowercase();
        match primary.as_str() {
            "fi" => Some(Lang::Fi),
            "sv" => Some(Lang::Sv),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Picks the first supported language from the browser's preference list,
    /// falling back to Finnish.
    pub fn negotiate<S: AsRef<str>>(preferred: &[S]) -> Lang {
        preferred
            .iter()
            .find_map(|tag| Lang::from_tag(tag.as_ref()))
            .unwrap_or(Lang::Fi)
    }

    /// The app's catalogue: built in, or given at run time ([`give`]);
    /// `None` until then.
    fn source(self) -> Option<&'static str> {
        match self {
            Lang::Fi => Some(include_str!("../locales/fi.ftl")),
            Lang::Sv if ALL_BUILT_IN => Some(include_str!("../locales/sv.ftl")),
            Lang::En if ALL_BUILT_IN => Some(include_str!("../locales/en.ftl")),
            _ => GIVEN[self.index()].get().copied(),
        }
    }

    fn index(self) -> usize {
        Lang::ALL.iter().position(|l| *l == self).unwrap_or(0)
    }

    /// The badges module's catalogue (the badge pages, kiosk mode's
    /// screens and the My hours pages, with the texts of the hours rules and
    /// the outbox they show), which only the module (feature
    /// `badge-messages`) builds into its bundles, so the first-load shell
    /// does not carry it.
    fn badge_source(self) -> &'static str {
        match self {
            Lang::Fi => include_str!("../locales/badges/fi.ftl"),
            Lang::Sv => include_str!("../locales/badges/sv.ftl"),
            Lang::En => include_str!("../locales/badges/en.ftl"),
        }
    }

    /// Every catalogue of the language, for the tests: ids must be unique
    /// across them and complete in every language.
    fn sources(self) -> Vec<&'static str> {
        self.source()
            .into_iter()
            .chain([self.badge_source()])
            .collect()
    }
}

/// Whether Swedish and English are built in. The first-load shell (the app
/// crate's browser build, feature `lazy-messages`) carries Finnish only
/// and is given the chosen language's catalogue at run time ([`give`]): a
/// device uses one language, and the other two were 7.6 KiB brotli of
/// every first visit (issue 13). The badges module (`badge-messages`), the
/// workers and every native build carry all three.
pub const ALL_BUILT_IN: bool = !cfg!(feature = "lazy-messages") || cfg!(feature = "badge-messages");

/// The catalogues given at run time, by [`Lang::ALL`]'s order.
static GIVEN: [OnceLock<&'static str>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];

/// Gives the app's catalogue of `lang`, read at run time, to a build that
/// does not carry it. Kept for the rest of the page's life; a second text
/// for the same language is ignored, as is one for a built-in language.
pub fn give(lang: Lang, text: String) {
    if !has_catalogue(lang) {
        let _ = GIVEN[lang.index()].set(Box::leak(text.into_boxed_str()));
    }
}

/// Whether the app's catalogue of `lang` is at hand: built in or given.
/// Until it is, messages of `lang` are read in Finnish.
pub fn has_catalogue(lang: Lang) -> bool {
    lang.source().is_some()
}

type Bundle = FluentBundle<FluentResource>;

fn build_bundle(lang: Lang) -> Bundle {
    let id: LanguageIdentifier = lang
        .tag()
        .parse()
        .unwrap_or_else(|_| LanguageIdentifier::default());
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Isolation marks (U+2068/U+2069) would end up in labels, titles and
    // test expectations; every placeable here is a number or a plain word.
    bundle.set_use_isolating(false);
    // The core's own tests format the module's messages too (the limits
    // written into kiosk mode's problems, for one).
    #[cfg(any(test, feature = "badge-messages"))]
    let sources = lang.sources();
    #[cfg(not(any(test, feature = "badge-messages")))]
    let sources: Vec<&str> = lang.source().into_iter().collect();
    for source in sources {
        let resource = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(res, _)| res);
        // Duplicate ids are reported by the catalogue test; at run time the first wins.
        let _ = bundle.add_resource(resource);
    }
    bundle
}

fn bundle(lang: Lang) -> &'static Bundle {
    static BUNDLES: [OnceLock<Bundle>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    // A language not given yet reads Finnish, without keeping Finnish as
    // its bundle.
    let lang = if has_catalogue(lang) { lang } else { Lang::Fi };
    BUNDLES[lang.index()].get_or_init(|| build_bundle(lang))
}

/// Whether the catalogue has a message for `key` (for ids made from data,
/// such as a verifier's check codes, which may be newer than the app).
pub fn has(lang: Lang, key: &str) -> bool {
    bundle(lang).has_message(key)
}

/// Translates a message with no arguments. A missing key shows the key
/// itself, which the catalogue tests make sure never ships.
pub fn t(lang: Lang, key: &str) -> String {
    format(lang, key, None)
}

/// Translates a message with named arguments (numbers and strings).
pub fn t_args(lang: Lang, key: &str, args: &[(&str, Arg<'_>)]) -> String {
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        let value = match value {
            Arg::Num(n) => FluentValue::from(*n),
            Arg::Str(s) => FluentValue::from(*s),
        };
        fluent_args.set(*name, value);
    }
    format(lang, key, Some(&fluent_args))
}

/// A value passed into a message.
#[derive(Debug, Clone, Copy)]
pub enum Arg<'a> {
    /// A number, which selects plural forms.
    Num(f64),
    /// A word or name inserted as is.
    Str(&'a str),
}

fn format(lang: Lang, key: &str, args: Option<&FluentArgs<'_>>) -> String {
    let bundle = bundle(lang);
    let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
        return key.to_owned();
    };
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, args, &mut errors)
        .into_owned()
}

/// The message ids of one language's catalogue, and the syntax errors found
/// while parsing it; used by the completeness tests.
/// The badge pages' catalogue is included whether or not this build shows
/// it, so the tests cover it everywhere.
pub fn catalogue_report(lang: Lang) -> (BTreeSet<String>, Vec<String>) {
    let mut ids = BTreeSet::new();
    let mut problems = Vec::new();
    for source in lang.sources() {
        let resource = match FluentResource::try_new(source.to_owned()) {
            Ok(res) => res,
            Err((res, errors)) => {
                problems.extend(errors.iter().map(|e| format!("{e:?}")));
                res
            }
        };
        for entry in resource.entries() {
            if let fluent_syntax::ast::Entry::Message(message) = entry {
                if !ids.insert(message.id.name.to_owned()) {
                    problems.push(format!("duplicate message id `{}`", message.id.name));
                }
            }
        }
    }
    (ids, problems)
}

/// The message ids of one language's badge catalogue, which only the
/// badges module shows; the key test checks that the shell uses none.
pub fn badge_catalogue_ids(lang: Lang) -> BTreeSet<String> {
    FluentResource::try_new(lang.badge_source().to_owned())
        .unwrap_or_else(|(res, _)| res)
        .entries()
        .filter_map(|entry| match entry {
            fluent_syntax::ast::Entry::Message(message) => Some(message.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_negotiate(preferred: &[&str], expected: Lang) {
        assert_eq!(
            Lang::negotiate(preferred),
            expected,
            "preferred {preferred:?}"
        );
    }

    #[test]
    fn negotiation_picks_first_supported_language() {
        check_negotiate(&[], Lang::Fi);
        check_negotiate(&["de-DE", "sv-FI", "en"], Lang::Sv);
        check_negotiate(&["en-GB"], Lang::En);
        check_negotiate(&["FI"], Lang::Fi);
        check_negotiate(&["se", "smn"], Lang::Fi);
        check_negotiate(&["sv_SE"], Lang::Sv);
    }

    #[test]
    fn tags_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
    }

    #[test]
    fn every_language_has_every_message_and_no_errors() {
        let (reference, problems) = catalogue_report(Lang::Fi);
        assert!(problems.is_empty(), "fi: {problems:?}");
        assert!(reference.len() > 20, "the Finnish catalogue looks empty");
        for lang in Lang::ALL {
            let (ids, problems) = catalogue_report(lang);
            assert!(problems.is_empty(), "{}: {problems:?}", lang.tag());
            let missing: Vec<_> = reference.difference(&ids).collect();
            let extra: Vec<_> = ids.difference(&reference).collect();
            assert!(missing.is_empty(), "{} lacks {missing:?}", lang.tag());
            assert!(
                extra.is_empty(),
                "{} has keys Finnish lacks: {extra:?}",
                lang.tag()
            );
        }
    }

    #[test]
    fn plurals_follow_each_language() {
        let check = |lang, n: f64, expected: &str| {
            assert_eq!(
                t_args(
                    lang,
                    "update-checked-minutes-ago",
                    &[("minutes", Arg::Num(n))]
                ),
                expected
            );
        };
        check(Lang::En, 1.0, "Checked 1 minute ago");
        check(Lang::En, 5.0, "Checked 5 minutes ago");
        check(Lang::Fi, 1.0, "Tarkistettu 1 minuutti sitten");
        check(Lang::Fi, 5.0, "Tarkistettu 5 minuuttia sitten");
        check(Lang::Sv, 1.0, "Kontrollerat för 1 minut sedan");
        check(Lang::Sv, 5.0, "Kontrollerat för 5 minuter sedan");
        // Issue 10: "Tiedot 1 tunnin takaa" had no singular.
        let check = |lang, key: &str, n: f64, expected: &str| {
            assert_eq!(t_args(lang, key, &[("n", Arg::Num(n))]), expected);
        };
        check(
            Lang::Fi,
            "sync-age-hours",
            1.0,
            "Tiedot päivitetty 1 tunti sitten.",
        );
        check(
            Lang::Fi,
            "sync-age-hours",
            3.0,
            "Tiedot päivitetty 3 tuntia sitten.",
        );
        check(
            Lang::Fi,
            "sync-age-days",
            1.0,
            "Tiedot päivitetty 1 päivä sitten.",
        );
        check(
            Lang::Fi,
            "sync-age-days",
            4.0,
            "Tiedot päivitetty 4 päivää sitten.",
        );
        check(
            Lang::Sv,
            "sync-age-hours",
            1.0,
            "Uppgifterna uppdaterades för 1 timme sedan.",
        );
        check(
            Lang::En,
            "sync-age-days",
            2.0,
            "Information updated 2 days ago.",
        );
        check(Lang::Fi, "event-capacity", 35.0, "Osallistujia enintään 35");
        check(Lang::Sv, "event-capacity", 35.0, "Högst 35 deltagare");
    }

    #[test]
    fn catalogue_controls_say_counts_and_languages() {
        // Issue 10: the folded filter control, "Show more" and the note on a
        // card shown in another language than the UI.
        let check = |lang, key: &str, arg: (&str, Arg<'_>), expected: &str| {
            assert_eq!(t_args(lang, key, &[arg]), expected, "{key} {arg:?}");
        };
        check(
            Lang::Fi,
            "filters-toggle",
            ("count", Arg::Num(0.0)),
            "Suodata",
        );
        check(
            Lang::Fi,
            "filters-toggle",
            ("count", Arg::Num(2.0)),
            "Suodata (2)",
        );
        check(
            Lang::Sv,
            "filters-toggle",
            ("count", Arg::Num(2.0)),
            "Filtrera (2)",
        );
        check(
            Lang::En,
            "filters-toggle",
            ("count", Arg::Num(1.0)),
            "Filter (1)",
        );
        check(
            Lang::Fi,
            "results-more",
            ("count", Arg::Num(120.0)),
            "Näytä lisää (120 jäljellä)",
        );
        check(
            Lang::Sv,
            "results-more",
            ("count", Arg::Num(3.0)),
            "Visa fler (3 kvar)",
        );
        check(
            Lang::En,
            "results-more",
            ("count", Arg::Num(1.0)),
            "Show more (1 left)",
        );
        check(
            Lang::Sv,
            "shown-in-language",
            ("lang", Arg::Str("fi")),
            "på finska",
        );
        check(
            Lang::Fi,
            "shown-in-language",
            ("lang", Arg::Str("sv")),
            "ruotsiksi",
        );
        check(
            Lang::En,
            "shown-in-language",
            ("lang", Arg::Str("se")),
            "in Northern Sámi",
        );
        check(
            Lang::Fi,
            "shown-in-language",
            ("lang", Arg::Str("ru")),
            "muulla kielellä",
        );
    }

    #[test]
    fn keys_built_at_run_time_exist() {
        // The UI builds these keys from codes, so the source scan cannot see them.
        let (ids, _) = catalogue_report(Lang::Fi);
        let groups = crate::model::TargetGroup::ALL
            .iter()
            .map(|g| format!("group-{}", g.code()));
        let days = ["mo", "tu", "we", "th", "fr", "sa", "su"]
            .iter()
            .map(|d| format!("day-{d}"));
        let sections = crate::nav::Section::BAR
            .into_iter()
            .chain(crate::nav::Section::MORE)
            .map(|s| s.label_key().to_owned());
        for key in groups.chain(days).chain(sections) {
            assert!(ids.contains(&key), "{key} is missing");
        }
    }

    #[test]
    fn units_stay_with_their_numbers() {
        // A number and its unit symbol are joined by a no-break space
        // (docs/language.md), so "45 %" or "3 h" never breaks over two lines.
        const UNITS: [&str; 6] = ["%", "h", "min", "kt", "kB", "km"];
        for lang in Lang::ALL {
            for line in lang.sources().iter().flat_map(|s| s.lines()) {
                for (i, _) in line.match_indices("} ") {
                    let rest = &line[i + 2..];
                    let word = rest
                        .split(|c: char| c.is_whitespace() || ".,;:)".contains(c))
                        .next()
                        .unwrap_or_default();
                    assert!(
                        !UNITS.contains(&word),
                        "{}: a plain space before `{word}` in {line:?}",
                        lang.tag()
                    );
                }
                // Thousands are grouped with a no-break space too ("2 000"),
                // so a plain space between a digit and three more is wrong.
                let chars: Vec<char> = line.chars().chain([' ']).collect();
                for w in chars.windows(6) {
                    let digits = |cs: &[char]| cs.iter().all(char::is_ascii_digit);
                    assert!(
                        !(digits(&w[..1])
                            && w[1] == ' '
                            && digits(&w[2..5])
                            && !w[5].is_ascii_digit()),
                        "{}: a plain space groups thousands in {line:?}",
                        lang.tag()
                    );
                }
            }
        }
    }

    #[test]
    fn missing_key_shows_the_key() {
        assert_eq!(t(Lang::Sv, "no-such-key"), "no-such-key");
    }
}
