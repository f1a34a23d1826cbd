//! Draws the pages kept out of the first-load shell (a card's page, settings, events, places, organisations) from a wasm module of their own, loaded once the catalogue is on screen or when one of them opens, so that the first screen does not wait for them (issue 13).
//!
//! `talkoo-split` cuts every function only the split function reaches into that
//! module after the build. The service worker precaches it with the rest of
//! the app, and the page loads it when idle as soon as a catalogue is on
//! screen (`warm_when_shown`), so a tap on a search result does not wait
//! for it; only a page opened before that (a shared card's address on a
//! first visit) waits for its download, and says so.

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::pages::{
    EventPage, EventsPage, OrganisationsPage, PlacePage, PlacesPage, ServicePage, SettingsPage,
};

/// A page drawn by the split-off module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LazyPage {
    /// The associations' directory.
    Organisations,
    /// The places.
    Places,
    /// One place.
    Place,
    /// The events.
    Events,
    /// One event.
    Event,
    /// Settings.
    Settings,
    /// A card's page.
    Card,
    /// Nothing: loads the module, so that the next page opens at once.
    Warm,
}

/// The module could not be loaded: offline before the app was ever
/// installed, or a download cut short.
#[derive(Debug)]
pub struct NotLoaded;

impl From<leptos::wasm_split::SplitLoaderError> for NotLoaded {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        NotLoaded
    }
}

/// Draws one of the module's pages. Only the talkoo binary's split
/// function (`src/main.rs`) calls it, so that it and the pages are cut out
/// of the shell. The split function is in the binary, not here, because
/// the splitter's marker is an export, which every binary linking this
/// library would otherwise keep, with these pages: the badges module too.
pub fn draw_page(page: LazyPage) -> AnyView {
    match page {
        LazyPage::Organisations => view! { <OrganisationsPage /> }.into_any(),
        LazyPage::Places => view! { <PlacesPage /> }.into_any(),
        LazyPage::Place => view! { <PlacePage /> }.into_any(),
        LazyPage::Events => view! { <EventsPage /> }.into_any(),
        LazyPage::Event => view! { <EventPage /> }.into_any(),
        LazyPage::Settings => view! { <SettingsPage /> }.into_any(),
        LazyPage::Card => view! { <ServicePage /> }.into_any(),
        LazyPage::Warm => ().into_any(),
    }
}

/// The binary's split function, which loads the module the first time and
/// then draws the page ([`draw_page`]).
pub type PageLoader =
    fn(LazyPage) -> Pin<Box<dyn Future<Output = Result<AnyView, NotLoaded>> + Send>>;

/// The loader, in the context of the whole app ([`crate::mount`]).
#[derive(Clone, Copy)]
pub struct Pages(pub PageLoader);

/// Loads the module when the page is next idle after a catalogue with
/// cards is first on screen, so that the first tap on a search result
/// draws the card at once. Not at start: on a first visit the region's
/// first download comes first, and the service worker's precaching of
/// the whole app shares the link with it already. A failed load is left
/// for the page that needs the module to report and retry.
pub fn warm_when_shown(catalogue: Signal<std::sync::Arc<talkoo_core::catalogue::Catalogue>>) {
    let Pages(load) = expect_context::<Pages>();
    let asked = StoredValue::new(false);
    Effect::new(move |_| {
        if asked.get_value() || catalogue.with(|c| c.services.is_empty()) {
            return;
        }
        asked.set_value(true);
        leptos::task::spawn_local(async move {
            crate::sync_worker::idle().await;
            let _ = load(LazyPage::Warm).await;
        });
    });
}

/// `page`, once its module is there. While it downloads the page says it
/// is opening; if the download fails it says why and offers to try again.
/// Once the module is loaded the page is drawn at once, without a word
/// about opening (a screen reader would otherwise hear it at every visit).
#[component]
pub fn Lazily(page: LazyPage) -> impl IntoView {
    let i18n = use_i18n();
    let Pages(load) = expect_context::<Pages>();
    let attempt = RwSignal::new(0u32);
    let loading = RwSignal::new(false);
    let drawn = move || {
        attempt.track();
        Suspend::new(async move {
            let mut drawing = load(page);
            // One poll: ready at once when the module is already loaded.
            let once = std::future::poll_fn(|cx| Poll::Ready(drawing.as_mut().poll(cx))).await;
            let drawn = match once {
                Poll::Ready(drawn) => drawn,
                Poll::Pending => {
                    loading.set(true);
                    let drawn = drawing.await;
                    // The page may have been left meanwhile.
                    let _ = loading.try_set(false);
                    // Drawn by the next frame, after the navigation's
                    // scroll to the address's fragment found nothing.
                    request_animation_frame(crate::router::scroll_to_fragment);
                    drawn
                }
            };
            match drawn {
                Ok(view) => view,
                Err(NotLoaded) => view! {
                    <div role="alert" class="error">
                        <p>{i18n.t("page-load-failed")}</p>
                        <button type="button" on:click=move |_| attempt.update(|n| *n += 1)>
                            {i18n.t("wallet-load-retry")}
                        </button>
                    </div>
                }
                .into_any(),
            }
        })
    };
    view! {
        <Show when=move || loading.get()>
            <p role="status" class="hint">{i18n.t("page-loading")}</p>
        </Show>
        {drawn}
    }
}
