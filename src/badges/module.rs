//! The hours and badge pages and kiosk mode's screens as a wasm module of their own: the shell (`src/badges_host.rs`) loads it on the first hours or badge page, on a kiosk, to set a kiosk up, or at start for a volunteer who has joined an hours inbox (whose outbox runs here), and lends it an element to draw in, the address, the language, the feed's badge records, a way to read the catalogue's organisations, and word that the catalogue changed.
//!
//! Why a second wasm: the wallet's pages, hooks and record types would
//! otherwise be downloaded by every phone at first load (about 36 KB
//! brotli, against issue 11's budget of 10 KB). Trunk cannot split one
//! wasm, so this module is the same crate built with the `badges-module`
//! feature (`src/bin/talkoo-badges.rs` exports the functions below). It has
//! its own Leptos runtime and reactive graph and shares nothing with the
//! shell but the DOM element it draws in and the strings passed here.
//! Kiosk mode (`src/kiosk/`) lives here for the same reason: its screens,
//! the PIN hash and the set-up link's parsing cost phones that are never a
//! kiosk some 30 KB brotli, and a kiosk has the module precached anyway.
//!
//! The shell owns the address bar. A link on these pages is a plain `<a>`,
//! which the shell's router catches like any other link; navigating from
//! code asks the shell ([`use_app_navigate`]); and every change of address
//! the shell makes comes back through [`route`]. The store is opened here
//! too (a second IndexedDB connection to the same database), so the wallet
//! is read and written here only.

use std::any::Any;
use std::cell::RefCell;

use leptos::prelude::*;
use leptos::reactive::computed::ScopedFuture;
use talkoo_core::wallet::{AwardToKeep, BadgeFeed, PublishedBadges};
use talkoo_core::Lang;
use talkoo_store::idb::IdbStore;
use wasm_bindgen::JsValue;

use crate::hours::{provide_hours, use_hours};
use crate::i18n::{provide_i18n, use_i18n};
use crate::kiosk::{KioskFrame, KioskSection, KioskSetupPage};
use crate::pages::{
    BadgeCheckPage, BadgePage, BadgesPage, EditEntryPage, HoursPage, JoinPage, NewEntryPage,
    NotFoundPage,
};
use crate::storage::provide_store;

/// The module's state for the page's session: the root of its reactive
/// graph (which holds the store, language, wallet and feed contexts) and
/// the views it has drawn into the shell's elements.
struct Module {
    owner: Owner,
    lang: RwSignal<Lang>,
    route: RwSignal<String>,
    feed: RwSignal<BadgeFeed>,
    kiosk_feed: crate::kiosk::FeedContext,
    directory: DirectoryContext,
    /// Each drawn view's handle, by the number `mount` answered; dropping
    /// a handle removes its view.
    mounts: Vec<(u32, Box<dyn Any>)>,
    next: u32,
}

thread_local! {
    static MODULE: RefCell<Option<Module>> = const { RefCell::new(None) };
}

/// The address the badge pages show, as the shell's router has it: the
/// app's route (without the base path) and the query.
#[derive(Debug, Clone, Copy)]
struct RouteContext {
    url: RwSignal<String>,
}

/// The catalogue's badge records, as the shell last passed them.
#[derive(Debug, Clone, Copy)]
struct FeedContext {
    feed: RwSignal<BadgeFeed>,
}

/// The shell's navigation, for the view drawn into one element.
#[derive(Debug, Clone, Copy)]
struct NavigateContext {
    navigate: StoredValue<js_sys::Function, LocalStorage>,
}

/// The shell's catalogue as the hours pages need it, asked for through
/// the function the shell lent ([`set_directory`]); `generation` is bumped
/// when the catalogue or the function changes, so that what was read is
/// read again.
#[derive(Debug, Clone, Copy)]
struct DirectoryContext {
    lookup: StoredValue<Option<js_sys::Function>, LocalStorage>,
    generation: RwSignal<u32>,
}

/// Starts the module once: opens the store and sets up the contexts every
/// hours and badge page reads, which starts the outbox. Later calls do
/// nothing.
pub async fn start(lang: &str) {
    if MODULE.with(|m| m.borrow().is_some()) {
        return;
    }
    console_error_panic_hook::set_once();
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let store = IdbStore::open_default().await;
    // Another call may have finished while the store opened.
    if MODULE.with(|m| m.borrow().is_some()) {
        return;
    }
    let owner = Owner::new();
    let initial = Lang::from_tag(lang).unwrap_or(Lang::Fi);
    let (lang, route, feed, kiosk_feed, directory) = owner.with(|| {
        provide_store(store);
        let lang = provide_i18n(initial, true);
        let route = RwSignal::new(String::from("/badges"));
        let feed = RwSignal::new(BadgeFeed::default());
        let directory = DirectoryContext {
            lookup: StoredValue::new_local(None),
            generation: RwSignal::new(0),
        };
        provide_context(RouteContext { url: route });
        provide_context(FeedContext { feed });
        provide_context(directory);
        super::provide_wallet();
        let kiosk_feed = crate::kiosk::provide_kiosk_feed();
        // The outbox runs for as long as the module is loaded: the shell
        // loads it at start when the volunteer has joined an inbox.
        provide_hours();
        deliver_awards();
        (lang, route, feed, kiosk_feed, directory)
    });
    MODULE.with(|m| {
        *m.borrow_mut() = Some(Module {
            owner,
            lang,
            route,
            feed,
            kiosk_feed,
            directory,
            mounts: Vec::new(),
            next: 0,
        });
    });
}

/// Draws `view` into `element`, navigating through the shell's
/// `navigate(url, how)`: `badges` or `hours`, the badge or hours page of
/// the current route; `kiosk-setup`, the page a kiosk set-up link opens;
/// `kiosk-section`, Settings' kiosk set-up form. Answers a number for [`unmount`], or 0
/// when the module has not started.
pub fn mount(element: web_sys::HtmlElement, navigate: js_sys::Function, view: &str) -> u32 {
    let Some(owner) = MODULE.with(|m| m.borrow().as_ref().map(|m| m.owner.clone())) else {
        return 0;
    };
    let which = match view {
        "kiosk-setup" => ModuleView::KioskSetup,
        "kiosk-section" => ModuleView::KioskSection,
        "hours" => ModuleView::Hours,
        _ => ModuleView::Badges,
    };
    let handle = owner.with(|| {
        // The wallet may have changed while no badge page was shown (a
        // backup restored in Settings), so a new page reads it again.
        if which == ModuleView::Badges {
            super::reread_wallet();
        }
        let navigate = StoredValue::new_local(navigate);
        mount_to(element, move || {
            provide_context(NavigateContext { navigate });
            match which {
                ModuleView::Badges => view! { <BadgeRoutes /> }.into_any(),
                ModuleView::KioskSetup => view! { <KioskSetupPage /> }.into_any(),
                ModuleView::KioskSection => view! { <KioskSection /> }.into_any(),
                ModuleView::Hours => view! { <HoursRoutes /> }.into_any(),
            }
        })
    });
    keep(Box::new(handle))
}

/// Starts kiosk mode on a kiosk and draws its frame (the attract screen,
/// the bar, the idle warning, the exit corner and PIN dialog) into
/// `element`. `settings` is the stored settings' JSON; `tell(kind, value)`
/// is how the module tells the shell of the attract screen and a
/// visitor's language (see `crate::kiosk`). Answers a number for
/// [`unmount`], or 0 when the module has not started.
pub fn mount_kiosk(element: web_sys::HtmlElement, settings: &str, tell: js_sys::Function) -> u32 {
    let Some(owner) = MODULE.with(|m| m.borrow().as_ref().map(|m| m.owner.clone())) else {
        return 0;
    };
    let settings = settings.to_owned();
    let handle = owner.with(|| {
        mount_to(element, move || {
            crate::kiosk::provide_kiosk(&settings, tell);
            view! { <KioskFrame /> }
        })
    });
    keep(Box::new(handle))
}

/// Keeps a drawn view's handle; answers its number.
fn keep(handle: Box<dyn Any>) -> u32 {
    MODULE.with(|m| {
        let mut m = m.borrow_mut();
        let Some(module) = m.as_mut() else {
            return 0;
        };
        module.next += 1;
        let id = module.next;
        module.mounts.push((id, handle));
        id
    })
}

/// Removes the view `mount` drew and answered `id` for.
pub fn unmount(id: u32) {
    let handle = MODULE.with(|m| {
        let mut m = m.borrow_mut();
        let module = m.as_mut()?;
        let at = module.mounts.iter().position(|(i, _)| *i == id)?;
        Some(module.mounts.remove(at))
    });
    // Dropped outside the borrow: removing a view runs its cleanups.
    drop(handle);
}

/// The shell's new address: the app's route and its query (`/badges/x?y`).
pub fn route(url: String) {
    with_module(|m| m.route.set(url));
}

/// The shell's language (a tag such as `fi`).
pub fn set_lang(tag: &str) {
    if let Some(lang) = Lang::from_tag(tag) {
        with_module(|m| m.lang.set(lang));
    }
}

/// The catalogue's badge records as JSON ([`PublishedBadges`]), read here;
/// text that does not parse leaves the last records in place.
pub fn set_feed(json: &str) {
    match serde_json::from_str::<PublishedBadges>(json) {
        Ok(published) => with_module(|m| m.feed.set(published.read())),
        Err(e) => leptos::logging::warn!("badge records from the shell: {e}"),
    }
}

/// The shell's catalogue changed (a sync): the kiosk screens read their
/// texts again, if any is shown, and so do the hours pages.
pub fn catalogue_changed() {
    with_module(|m| {
        m.kiosk_feed.catalogue_changed();
        m.directory.generation.update(|g| *g = g.wrapping_add(1));
    });
}

/// The shell's `lookup(kind, arg)`, which answers the catalogue's
/// organisations (`organisations`) or one organisation's services
/// (`services`, its id) as JSON in the shell's language; see
/// [`use_directory`].
pub fn set_directory(lookup: js_sys::Function) {
    with_module(|m| {
        m.directory.lookup.set_value(Some(lookup));
        m.directory.generation.update(|g| *g = g.wrapping_add(1));
    });
}

/// Writes a backup file of everything personal; answers an object with
/// the file's `name`, its `text` and the `done` message, or rejects with
/// the reason in the user's words. See [`super::backup`].
pub async fn write_backup() -> Result<JsValue, JsValue> {
    let owner = started()?;
    let file = owner
        .with(|| ScopedFuture::new_untracked(super::backup::write_backup()))
        .await
        .map_err(|e| JsValue::from_str(&e))?;
    let answer = js_sys::Object::new();
    for (key, value) in [
        ("name", file.name),
        ("text", file.text),
        ("done", file.done),
    ] {
        js_sys::Reflect::set(&answer, &JsValue::from_str(key), &JsValue::from_str(&value))?;
    }
    Ok(answer.into())
}

/// Restores a backup file's text; answers the line that says what
/// changed, or rejects with the reason in the user's words.
pub async fn restore_backup(text: String) -> Result<String, JsValue> {
    let owner = started()?;
    owner
        .with(|| {
            let hours = use_hours();
            ScopedFuture::new_untracked(async move {
                let line = super::backup::restore_backup(&text).await?;
                // The restored entries are shown, and sent if they wait.
                hours.show_restored().await;
                Ok(line)
            })
        })
        .await
        .map_err(|e: String| JsValue::from_str(&e))
}

/// Imports a `.talkoo` bundle's bytes (see [`crate::import`]); answers
/// the line that says what is now in use, or rejects with the reason in
/// the user's words. The shell holds its syncs back meanwhile.
pub async fn import_bundle(bytes: Vec<u8>) -> Result<String, JsValue> {
    let owner = started()?;
    let lang = MODULE
        .with(|m| m.borrow().as_ref().map(|m| m.lang.get_untracked()))
        .unwrap_or(Lang::Fi);
    owner
        .with(|| ScopedFuture::new_untracked(crate::import::import_bundle(bytes, lang)))
        .await
        .map_err(|e| JsValue::from_str(&e))
}

/// Writes a `.talkoo` bundle of the stored catalogue (see
/// [`crate::import::export_bundle`]); answers an object with the file's
/// `name`, its `bytes` and the `done` line, or rejects with the reason in
/// the user's words. The shell holds its syncs back meanwhile.
pub async fn export_bundle() -> Result<JsValue, JsValue> {
    let owner = started()?;
    let lang = MODULE
        .with(|m| m.borrow().as_ref().map(|m| m.lang.get_untracked()))
        .unwrap_or(Lang::Fi);
    let file = owner
        .with(|| ScopedFuture::new_untracked(crate::import::export_bundle(lang)))
        .await
        .map_err(|e| JsValue::from_str(&e))?;
    let answer = js_sys::Object::new();
    js_sys::Reflect::set(&answer, &"name".into(), &JsValue::from_str(&file.name))?;
    js_sys::Reflect::set(
        &answer,
        &"bytes".into(),
        &js_sys::Uint8Array::from(&file.bytes[..]),
    )?;
    js_sys::Reflect::set(&answer, &"done".into(), &JsValue::from_str(&file.done))?;
    Ok(answer.into())
}

/// The started module's reactive root.
fn started() -> Result<Owner, JsValue> {
    MODULE
        .with(|m| m.borrow().as_ref().map(|m| m.owner.clone()))
        .ok_or_else(|| JsValue::from_str("the badges module has not started"))
}

fn with_module(f: impl FnOnce(&Module)) {
    MODULE.with(|m| {
        if let Some(module) = m.borrow().as_ref() {
            f(module);
        }
    });
}

/// Where the badge pages are, for the components: the route's path, its
/// query, and a badge's id on its page.
#[derive(Debug, Clone, Copy)]
pub struct UseBadgeRouteReturn {
    /// The path, such as `/badges/check`.
    pub path: Memo<String>,
    /// The query without `?`, such as `shared=1`.
    pub query: Memo<String>,
}

impl UseBadgeRouteReturn {
    /// The badge id of `/badges/<id>`, if this is a badge's page.
    pub fn id(self) -> Option<String> {
        self.path.with(|p| match p.strip_prefix("/badges/") {
            Some("check") | Some("") | None => None,
            Some(id) => Some(id.to_owned()),
        })
    }

    /// The value of `name` in the query, decoded; tracked.
    pub fn query_value(self, name: &str) -> Option<String> {
        self.query.with(|q| {
            q.split('&').find_map(|pair| {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                (key == name).then(|| {
                    let value = value.replace('+', " ");
                    js_sys::decode_uri_component(&value)
                        .map(String::from)
                        .unwrap_or(value)
                })
            })
        })
    }

    /// Whether the query has `name` (as `name` or `name=…`).
    pub fn has_query(self, name: &str) -> bool {
        self.query.with_untracked(|q| {
            q.split('&')
                .any(|pair| pair.split('=').next() == Some(name))
        })
    }
}

/// The route hook.
pub fn use_badge_route() -> UseBadgeRouteReturn {
    let RouteContext { url } = expect_context::<RouteContext>();
    let path = Memo::new(move |_| url.with(|u| u.split('?').next().unwrap_or_default().to_owned()));
    let query = Memo::new(move |_| {
        url.with(|u| {
            u.split_once('?')
                .map(|(_, q)| q.to_owned())
                .unwrap_or_default()
        })
    });
    UseBadgeRouteReturn { path, query }
}

/// The catalogue's badge records.
pub fn use_badge_feed() -> Signal<BadgeFeed> {
    expect_context::<FeedContext>().feed.into()
}

/// How [`use_app_go`] changes the address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Go {
    /// A new history entry, scrolled to the top: a link's way.
    Push,
    /// Replaces the current entry, scrolled to the top.
    Replace,
    /// Replaces the current entry where the page is scrolled (a choice
    /// kept in the address, such as a report's period).
    ReplaceInPlace,
}

/// Navigates to an app address (`app_href`) through the shell's router, so
/// the shell's address, menu and history stay right.
pub fn use_app_navigate() -> impl Fn(&str) + Copy + 'static {
    let go = use_app_go();
    move |url: &str| go(url, Go::Push)
}

/// [`use_app_navigate`], saying how the address changes.
pub fn use_app_go() -> impl Fn(&str, Go) + Copy + 'static {
    let NavigateContext { navigate } = expect_context::<NavigateContext>();
    move |url: &str, how: Go| {
        let how = match how {
            Go::Push => JsValue::UNDEFINED,
            Go::Replace => JsValue::from_str("replace"),
            Go::ReplaceInPlace => JsValue::from_str("replace-in-place"),
        };
        navigate.with_value(|f| {
            let _ = f.call2(&JsValue::NULL, &JsValue::from_str(url), &how);
        });
    }
}

/// An organisation for the hours pages, named in the UI language.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Organisation {
    /// Its id in the catalogue.
    pub id: String,
    /// Its name in the UI language, or the nearest one it has.
    pub name: String,
    /// Its hours inbox, if it takes hours through Talkoo.
    pub inbox: Option<String>,
}

/// The catalogue's organisations and services, from the shell (which
/// holds the catalogue in memory; the module keeps no copy of it).
#[derive(Debug, Clone, Copy)]
pub struct UseDirectoryReturn {
    /// Every organisation, in the shell's order; read again when the
    /// catalogue or the language changes.
    pub organisations: Memo<Vec<Organisation>>,
    ctx: DirectoryContext,
}

impl UseDirectoryReturn {
    /// The services of organisation `id` as `(id, name)`; tracked, like
    /// [`Self::organisations`].
    pub fn services_of(self, id: &str) -> Vec<(String, String)> {
        self.ctx.ask("services", id).unwrap_or_default()
    }
}

impl DirectoryContext {
    /// Asks the shell's lookup; `None` before the shell lent one or when
    /// its answer does not parse. Tracks the catalogue's generation.
    fn ask<T: serde::de::DeserializeOwned>(self, kind: &str, arg: &str) -> Option<T> {
        self.generation.track();
        let answer = self.lookup.with_value(|f| {
            f.as_ref()?
                .call2(
                    &JsValue::NULL,
                    &JsValue::from_str(kind),
                    &JsValue::from_str(arg),
                )
                .ok()?
                .as_string()
        })?;
        serde_json::from_str(&answer)
            .map_err(|e| leptos::logging::warn!("the catalogue from the shell: {e}"))
            .ok()
    }
}

/// The directory hook; the shell answers in its language, which is the
/// module's (`set_lang`), so a change of language reads it again.
pub fn use_directory() -> UseDirectoryReturn {
    let ctx = expect_context::<DirectoryContext>();
    let lang = use_i18n().lang;
    let organisations = Memo::new(move |_| {
        lang.track();
        ctx.ask::<Vec<Organisation>>("organisations", "")
            .unwrap_or_default()
    });
    UseDirectoryReturn { organisations, ctx }
}

/// Hands the badges that the hours inboxes award to the wallet, which
/// verifies and keeps each once. Every status answer carries every award
/// of the code; [`super::receive_awards`] leaves out the ones already kept.
fn deliver_awards() {
    let hours = use_hours();
    let wallet = super::use_wallet_lazily();
    let busy = StoredValue::new(false);
    Effect::new(move |_| {
        let awards: Vec<AwardToKeep> = hours.report.with(|r| {
            r.awards
                .iter()
                .map(|a| AwardToKeep {
                    key: format!("{}/{}", a.organisation_id, a.id),
                    jwt: a.jwt.clone(),
                })
                .collect()
        });
        if awards.is_empty() || busy.get_value() {
            return;
        }
        busy.set_value(true);
        leptos::task::spawn_local(async move {
            super::receive_awards(wallet, awards).await;
            let _ = busy.try_set_value(false);
        });
    });
}

/// What the shell asked `mount` to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ModuleView {
    Badges,
    KioskSetup,
    KioskSection,
    Hours,
}

/// Which hours page a route shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HoursView {
    List,
    New,
    Join,
    Edit,
    Other,
}

/// The hours pages by route (`/hours`, `/hours/new`, `/hours/join`,
/// `/hours/edit/<id>`); a change of query redraws only what depends on it.
#[component]
fn HoursRoutes() -> impl IntoView {
    let route = use_badge_route();
    let which = Memo::new(move |_| {
        route.path.with(|p| match p.trim_end_matches('/') {
            "/hours" => HoursView::List,
            "/hours/new" => HoursView::New,
            "/hours/join" => HoursView::Join,
            p if p.starts_with("/hours/edit/") => HoursView::Edit,
            _ => HoursView::Other,
        })
    });
    move || match which.get() {
        HoursView::List => view! { <HoursPage /> }.into_any(),
        HoursView::New => view! { <NewEntryPage /> }.into_any(),
        HoursView::Join => view! { <JoinPage /> }.into_any(),
        HoursView::Edit => view! { <EditEntryPage /> }.into_any(),
        HoursView::Other => view! { <NotFoundPage /> }.into_any(),
    }
}

/// Which badge page a route shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BadgeView {
    List,
    Check,
    Badge,
    Other,
}

/// The badge pages by route; a change of query or of badge redraws only
/// what depends on it.
#[component]
fn BadgeRoutes() -> impl IntoView {
    let route = use_badge_route();
    let which = Memo::new(move |_| {
        route.path.with(|p| match p.trim_end_matches('/') {
            "/badges" => BadgeView::List,
            "/badges/check" => BadgeView::Check,
            p if p.starts_with("/badges/") => BadgeView::Badge,
            _ => BadgeView::Other,
        })
    });
    move || match which.get() {
        BadgeView::List => view! { <BadgesPage /> }.into_any(),
        BadgeView::Check => view! { <BadgeCheckPage /> }.into_any(),
        BadgeView::Badge => view! { <BadgePage /> }.into_any(),
        BadgeView::Other => ().into_any(),
    }
}
