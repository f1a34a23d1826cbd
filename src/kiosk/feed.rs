//! The catalogue's texts the kiosk screens show (the attract screen's events and tasks, the set-up form's places and municipalities), read by the module from IndexedDB itself so that the first-load shell carries no kiosk code.
//!
//! The module has no catalogue in memory: it reads the chosen regions and
//! the stored manifest, builds the texts in every UI language at once, and
//! lets the catalogue go. A visitor's change of language then costs
//! nothing, and a kiosk does not keep a second copy of the catalogue. The
//! shell says when its catalogue changed (`catalogue_changed`, after a
//! sync), and the texts are read again.

use leptos::prelude::*;
use talkoo_core::catalogue::Catalogue;
use talkoo_core::feed::{self, ManifestView};
use talkoo_core::kiosk::{AttractFeed, AttractItem, KioskFeed};
use talkoo_core::model::LangText;
use talkoo_core::time::DateTime;
use talkoo_core::{datefmt, Lang};
use talkoo_engine::catalogue;
use talkoo_engine::sync::meta;
use talkoo_store::idb::IdbStore;
use talkoo_store::Store;

use crate::browser::{now_ms, today};
use crate::i18n::use_i18n;
use crate::pages::common::{localized, municipality_name_in};
use crate::storage::use_store;

/// The meeting place and municipalities a kiosk shows.
pub type Area = (Option<String>, Vec<String>);

/// The texts in every language, once read.
type Feeds = Vec<(Lang, KioskFeed)>;

/// The kiosk screens' texts for the module's session.
#[derive(Clone, Copy)]
pub struct FeedContext {
    /// Bumped when the shell's catalogue changed.
    generation: RwSignal<u32>,
    /// Whether any screen asked for the texts: badge pages never do, and
    /// then nothing is read.
    wanted: RwSignal<bool>,
    /// What a kiosk's attract screen is about; `None` elsewhere.
    area: RwSignal<Option<Area>>,
    feeds: LocalResource<Option<Feeds>>,
}

impl std::fmt::Debug for FeedContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FeedContext").finish_non_exhaustive()
    }
}

impl FeedContext {
    /// The shell's catalogue changed: read the texts again if shown.
    pub fn catalogue_changed(self) {
        self.generation.update(|g| *g = g.wrapping_add(1));
    }

    /// Sets what the attract screen is about (a kiosk's settings).
    pub fn set_area(self, area: Area) {
        self.area.set(Some(area));
    }
}

/// Sets up the kiosk screens' texts at the module's root, once per session.
pub fn provide_kiosk_feed() -> FeedContext {
    let generation = RwSignal::new(0u32);
    let wanted = RwSignal::new(false);
    let area = RwSignal::new(None::<Area>);
    let store = use_store();
    let feeds = LocalResource::new(move || {
        generation.track();
        let wanted = wanted.get();
        let area = area.get();
        let store = store.get();
        async move {
            match (wanted, store) {
                (true, Some(store)) => Some(read(&store, area.as_ref()).await),
                _ => None,
            }
        }
    });
    let ctx = FeedContext {
        generation,
        wanted,
        area,
        feeds,
    };
    provide_context(ctx);
    ctx
}

/// The kiosk screens' texts in the UI language; empty until read.
pub fn use_kiosk_feed() -> Signal<KioskFeed> {
    let ctx = expect_context::<FeedContext>();
    if !ctx.wanted.get_untracked() {
        ctx.wanted.set(true);
    }
    let lang = use_i18n().lang;
    Signal::derive(move || {
        let lang = lang.get();
        ctx.feeds
            .get()
            .flatten()
            .and_then(|feeds| feeds.into_iter().find(|(l, _)| *l == lang))
            .map(|(_, feed)| feed)
            .unwrap_or_default()
    })
}

/// Reads the chosen regions and builds their texts in every language. A
/// region that cannot be read is left out, as the shell leaves it out of
/// its catalogue.
async fn read(store: &IdbStore, area: Option<&Area>) -> Feeds {
    let regions = catalogue::subscription(store)
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    let manifest = match store.get_meta(meta::MANIFEST).await {
        Ok(Some(text)) => feed::parse_text::<ManifestView>("manifest.json", &text).ok(),
        _ => None,
    };
    let loaded = catalogue::load(store, &regions).await;
    for (region, e) in &loaded.errors {
        leptos::logging::warn!("kiosk: cannot read region {region}: {e}");
    }
    let cat = loaded.catalogue;
    Lang::ALL
        .iter()
        .map(|&lang| (lang, build(&cat, manifest.as_ref(), lang, area)))
        .collect()
}

/// The texts in `lang`: on a kiosk what its attract screen shows,
/// elsewhere the places and municipalities the set-up form names.
fn build(
    cat: &Catalogue,
    manifest: Option<&ManifestView>,
    lang: Lang,
    area: Option<&Area>,
) -> KioskFeed {
    if let Some((place, codes)) = area {
        return KioskFeed {
            attract: Some(attract(cat, lang, place.as_deref(), codes)),
            ..KioskFeed::default()
        };
    }
    let places: Vec<(String, String)> = cat
        .places()
        .values()
        .map(|p| (p.id.clone(), localized(&p.name, lang).0))
        .collect();
    let names: Vec<&str> = places.iter().map(|p| p.1.as_str()).collect();
    KioskFeed {
        places: talkoo_core::collate::sort_order(&names, lang)
            .into_iter()
            .map(|i| places[i].clone())
            .collect(),
        municipalities: cat
            .municipalities()
            .into_iter()
            .map(|code| (code.to_owned(), municipality_name_in(manifest, code, lang)))
            .collect(),
        attract: None,
    }
}

/// What is on at the kiosk's place now (`Catalogue::attract`), in `lang`.
fn attract(
    cat: &Catalogue,
    lang: Lang,
    place: Option<&str>,
    municipalities: &[String],
) -> AttractFeed {
    let found = cat.attract(place, municipalities, now_ms() / 1000);
    let item = |name: &LangText, when: Option<String>| {
        let (name, name_lang) = localized(name, lang);
        AttractItem {
            name,
            name_lang,
            when,
        }
    };
    let mut upcoming: Vec<AttractItem> = found
        .events
        .iter()
        .map(|e| {
            let when = match (DateTime::parse(&e.start), DateTime::parse(&e.end)) {
                (Some(start), Some(end)) => Some(datefmt::span(start, end, lang, today())),
                _ => None,
            };
            item(&e.name, when)
        })
        .collect();
    upcoming.extend(found.pop_ups.iter().map(|s| item(&s.name, None)));
    AttractFeed {
        place: place
            .and_then(|id| cat.places().get(id))
            .map(|p| localized(&p.name, lang)),
        upcoming,
        ongoing: found.ongoing.iter().map(|s| item(&s.name, None)).collect(),
    }
}
