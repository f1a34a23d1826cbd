//! The app's pages, one per route, and the frame they share.

// The badge and hours pages are built into the badges module only
// (src/badges/module.rs).
#[cfg(feature = "badges-module")]
mod badge_check;
#[cfg(feature = "badges-module")]
mod badges;
mod catalogue;
pub(crate) mod common;
mod events;
#[cfg(feature = "badges-module")]
mod hours;
#[cfg(feature = "badges-module")]
mod hours_form;
mod install;
mod not_found;
mod organisations;
mod places;
mod service;
mod settings;

use leptos::prelude::*;

use crate::i18n::use_i18n;

#[cfg(feature = "badges-module")]
pub use badge_check::BadgeCheckPage;
#[cfg(feature = "badges-module")]
pub use badges::{BadgePage, BadgesPage};
pub use catalogue::CataloguePage;
pub use events::{EventPage, EventsPage};
#[cfg(feature = "badges-module")]
pub use hours::{HoursPage, JoinPage};
#[cfg(feature = "badges-module")]
pub use hours_form::{EditEntryPage, NewEntryPage};
pub use install::InstallOffer;
pub use not_found::NotFoundPage;
pub use organisations::OrganisationsPage;
pub use places::{PlacePage, PlacesPage};
pub use service::ServicePage;
pub use settings::SettingsPage;

/// The frame of every page: one `<h1>`, and a document title that names the
/// page so that tabs, history and screen readers tell pages apart.
#[component]
pub(crate) fn Page(title_key: &'static str, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| {
        document().set_title(&format!(
            "{} – {}",
            i18n.t_now(title_key),
            i18n.t_now("app-name")
        ));
    });
    view! {
        <article class="page" aria-labelledby="page-title">
            <h1 id="page-title">{i18n.t(title_key)}</h1>
            {children()}
        </article>
    }
}

/// The frame of a page named by its record (an event, a place): the
/// record's name is the `<h1>` and the document title, marked with its
/// language when that is not the UI's.
#[component]
fn NamedPage(
    #[prop(into)] title: Signal<String>,
    #[prop(into)] title_lang: Signal<Option<String>>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| {
        document().set_title(&format!("{} – {}", title.get(), i18n.t_now("app-name")));
    });
    view! {
        <article class="page" aria-labelledby="page-title">
            <h1 id="page-title" lang=move || title_lang.get()>{move || title.get()}</h1>
            {children()}
        </article>
    }
}
