//! The page for any address the app does not know, with a way home.

use leptos::prelude::*;

use super::Page;
use crate::i18n::use_i18n;
use crate::pwa::app_href;

/// Any address the app does not know. The link is a plain `<a>`, which the
/// shell's router catches, so the badges module can draw this page too
/// (under `/hours`).
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Page title_key="not-found-title">
            <p>{i18n.t("not-found-body")}</p>
            <p><a href=app_href("/")>{i18n.t("not-found-home")}</a></p>
        </Page>
    }
}
