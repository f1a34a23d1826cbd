//! The sections still waiting for their data (badges) and the not-found page.
//!
//! Each says plainly what it will hold and that nothing is on this device
//! yet; the badges issue fills it in.

use leptos::prelude::*;
use leptos_router::components::A;

use super::Page;
use crate::i18n::use_i18n;
use crate::pwa::app_href;

/// A section whose data has not reached this device yet.
#[component]
fn EmptySection(
    title_key: &'static str,
    intro_key: Option<&'static str>,
    empty_key: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Page title_key=title_key>
            {intro_key.map(|key| view! { <p class="intro">{i18n.t(key)}</p> })}
            <p class="empty" data-testid="empty-state">{i18n.t(empty_key)}</p>
        </Page>
    }
}

/// The volunteer's competence badges.
#[component]
pub fn BadgesPage() -> impl IntoView {
    view! { <EmptySection title_key="badges-title" intro_key=None empty_key="badges-empty" /> }
}

/// Any address the app does not know.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Page title_key="not-found-title">
            <p>{i18n.t("not-found-body")}</p>
            <p><A href=app_href("/")>{i18n.t("not-found-home")}</A></p>
        </Page>
    }
}
