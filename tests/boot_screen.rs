//! Fails when the front page's title and intro that index.html paints before the wasm arrives differ from the app's messages.
//!
//! The boot screen cannot ask the i18n catalogue (it is plain HTML, shown
//! before any code of ours runs), so its texts are written out in each
//! language, and this test keeps them equal to `catalogue-title` and
//! `catalogue-intro` (issue 13). A text that drifted would change as the
//! app takes over, and the title would no longer be the one it draws.

use talkoo_core::i18n::t;
use talkoo_core::Lang;

const INDEX: &str = include_str!("../index.html");

/// The decoded text between `open`'s end and the next `close` after
/// `from`, with the position after it.
fn text_after(html: &str, from: usize, open: &str, close: &str) -> Option<(String, usize)> {
    let start = from + html[from..].find(open)? + open.len();
    let end = start + html[start..].find(close)?;
    Some((
        html_escape::decode_html_entities(&html[start..end]).into_owned(),
        end,
    ))
}

/// The boot screen's (title, intro) in `lang`, if index.html has them.
fn boot_texts(lang: Lang) -> Option<(String, String)> {
    let article = format!("<article class=\"page boot-page\" lang=\"{}\">", lang.tag());
    let at = INDEX.find(&article)?;
    let (title, after) = text_after(INDEX, at, "<h1>", "</h1>")?;
    let (intro, _) = text_after(INDEX, after, "<p class=\"intro first-run\">", "</p>")?;
    Some((title, intro))
}

#[test]
fn the_boot_screen_says_what_the_front_page_says_in_every_language() {
    for lang in Lang::ALL {
        let expected = (t(lang, "catalogue-title"), t(lang, "catalogue-intro"));
        assert_eq!(
            boot_texts(lang).as_ref(),
            Some(&expected),
            "index.html's boot screen in {} must be exactly this title and intro",
            lang.tag()
        );
    }
}

#[test]
fn the_boot_screen_has_one_version_per_language_and_no_other() {
    assert_eq!(
        INDEX.matches("class=\"page boot-page\"").count(),
        Lang::ALL.len()
    );
}
