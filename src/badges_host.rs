//! The badges module's place in the shell: the first hours or badge page, a kiosk, setting a kiosk up, or a volunteer who has joined an hours inbox loads the module (a wasm of its own, `src/badges/module.rs`) and lends it an element, the address, the language, the feed's badge records and the catalogue's organisations.
//!
//! The module is loaded once per session by `badges-loader.js`, which sets
//! `window.talkooBadges` to a promise of the module's exports; a failure
//! (offline before the service worker has cached the module) is shown with
//! a button that tries again. Only this file knows the exports' names.

use std::sync::{Arc, Mutex};

use futures_channel::oneshot;
use gloo_events::EventListener;
use leptos::prelude::*;
use talkoo_core::catalogue::Catalogue;
use talkoo_core::Lang;
use talkoo_store::Store;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::catalogue::use_catalogue;
use crate::i18n::use_i18n;
use crate::pages::common::{app_route, localized};
use crate::router::{use_location, use_navigate};
use crate::storage::use_store;

/// The module's loader, beside index.html; relative, so it follows the
/// document's base address under a sub-path too.
const LOADER: &str = "badges-loader.js";

/// Where loading the module is for this page's session.
enum Load {
    Idle,
    /// Others who asked while it loads wait for the first one's answer.
    Loading(Vec<oneshot::Sender<()>>),
    /// The module's exports, started.
    Ready(JsValue),
}

thread_local! {
    static MODULE: std::cell::RefCell<Load> = const { std::cell::RefCell::new(Load::Idle) };
}

/// The started module's exports; loads and starts it on the first call.
/// `None` when it could not be loaded; the next call tries again.
async fn module(lang: Lang) -> Option<JsValue> {
    enum Next {
        Have(JsValue),
        Wait(oneshot::Receiver<()>),
        Load,
    }
    let next = MODULE.with(|m| {
        let mut m = m.borrow_mut();
        match &mut *m {
            Load::Ready(exports) => Next::Have(exports.clone()),
            Load::Loading(waiting) => {
                let (tx, rx) = oneshot::channel();
                waiting.push(tx);
                Next::Wait(rx)
            }
            Load::Idle => {
                *m = Load::Loading(Vec::new());
                Next::Load
            }
        }
    });
    match next {
        Next::Have(exports) => Some(exports),
        Next::Wait(rx) => {
            let _ = rx.await;
            ready_module()
        }
        Next::Load => {
            let exports = load(lang).await;
            let state = match &exports {
                Some(exports) => Load::Ready(exports.clone()),
                None => Load::Idle,
            };
            let before = MODULE.with(|m| std::mem::replace(&mut *m.borrow_mut(), state));
            if let Load::Loading(waiting) = before {
                for tx in waiting {
                    let _ = tx.send(());
                }
            }
            exports
        }
    }
}

fn ready_module() -> Option<JsValue> {
    MODULE.with(|m| match &*m.borrow() {
        Load::Ready(exports) => Some(exports.clone()),
        _ => None,
    })
}

/// Adds the loader's `<script>`, waits for the module's exports and starts
/// the module in `lang`.
async fn load(lang: Lang) -> Option<JsValue> {
    let script = document().create_element("script").ok()?;
    script.set_attribute("src", LOADER).ok()?;
    let (tx, rx) = oneshot::channel::<bool>();
    let tx = std::rc::Rc::new(std::cell::RefCell::new(Some(tx)));
    let answer = |ok: bool| {
        let tx = tx.clone();
        move |_: &web_sys::Event| {
            if let Some(tx) = tx.borrow_mut().take() {
                let _ = tx.send(ok);
            }
        }
    };
    let _loaded = EventListener::once(&script, "load", answer(true));
    let _failed = EventListener::once(&script, "error", answer(false));
    document().head()?.append_child(&script).ok()?;
    let ran = rx.await.unwrap_or(false);
    script.remove();
    if !ran {
        return None;
    }
    let promise = js_sys::Reflect::get(&window(), &JsValue::from_str("talkooBadges")).ok()?;
    let exports = JsFuture::from(promise.dyn_into::<js_sys::Promise>().ok()?)
        .await
        .ok()?;
    call_async(&exports, "start", &[JsValue::from_str(lang.tag())]).await?;
    Some(exports)
}

/// Calls the export `name` of the module.
fn call(exports: &JsValue, name: &str, args: &[JsValue]) -> Option<JsValue> {
    let function: js_sys::Function = js_sys::Reflect::get(exports, &JsValue::from_str(name))
        .ok()?
        .dyn_into()
        .ok()?;
    let args: js_sys::Array = args.iter().collect();
    function.apply(&JsValue::NULL, &args).ok()
}

/// Calls an async export and waits for its promise.
async fn call_async(exports: &JsValue, name: &str, args: &[JsValue]) -> Option<JsValue> {
    let promise = call(exports, name, args)?
        .dyn_into::<js_sys::Promise>()
        .ok()?;
    JsFuture::from(promise).await.ok()
}

/// Calls an export when the module is ready; before that there is nothing
/// to tell it (it is given the current state when it starts drawing).
fn tell(name: &str, arg: JsValue) {
    if let Some(exports) = ready_module() {
        call(&exports, name, &[arg]);
    }
}

/// The shell's side of the module: whether it has been loaded this
/// session, and the state it is kept told of.
#[derive(Debug, Clone, Copy)]
struct ModuleContext {
    loaded: RwSignal<bool>,
    feed: Memo<String>,
    lang: Signal<Lang>,
    /// How the module reads the catalogue's organisations and services
    /// (`set_directory`); it lives as long as the page.
    lookup: StoredValue<Closure<dyn Fn(String, String) -> String>, LocalStorage>,
}

/// An organisation as the hours pages read it (`module::Organisation`).
#[derive(serde::Serialize)]
struct Organisation<'a> {
    id: &'a str,
    name: String,
    inbox: Option<&'a str>,
}

/// The module's `lookup(kind, arg)`: the organisations (`organisations`)
/// or one organisation's services (`services`, its id) as JSON, named in
/// `lang`. The module keeps no catalogue of its own: the hours form needs
/// a few names from it, and a second copy at 50,000 cards would cost
/// tens of megabytes.
fn directory(cat: &Catalogue, kind: &str, arg: &str, lang: Lang) -> String {
    let answer = match kind {
        "organisations" => serde_json::to_string(
            &cat.organisations
                .values()
                .map(|o| Organisation {
                    id: &o.id,
                    name: localized(&o.name, lang).0,
                    inbox: o.hours_endpoint.as_deref(),
                })
                .collect::<Vec<_>>(),
        ),
        "services" => serde_json::to_string(
            &cat.services_of(arg)
                .into_iter()
                .map(|s| (&s.id, localized(&s.name, lang).0))
                .collect::<Vec<_>>(),
        ),
        _ => Ok(String::from("[]")),
    };
    answer.unwrap_or_default()
}

/// Sets up the module's side of the shell: once the module is loaded it
/// is told every change of language and of the catalogue's badge records;
/// and a volunteer who has joined an hours inbox has it loaded at start
/// and when the device comes online, so that the outbox sends waiting
/// entries and hears of awards without the hours page open
/// ([`keep_outbox_running`]).
pub fn provide_badges_module() {
    let cat = use_catalogue();
    let i18n = use_i18n();
    let loaded = RwSignal::new(false);
    // Written only once the module is loaded: most sessions never open a
    // badge page.
    let feed = Memo::new(move |_| {
        if !loaded.get() {
            return String::new();
        }
        cat.catalogue
            .with(|c| serde_json::to_string(&c.published_badges()).unwrap_or_default())
    });
    Effect::new(move |_| {
        let feed = feed.get();
        if loaded.get() {
            tell("set_feed", JsValue::from_str(&feed));
        }
    });
    Effect::new(move |_| {
        let lang = i18n.lang.get();
        if loaded.get() {
            tell("set_lang", JsValue::from_str(lang.tag()));
        }
    });
    // Kiosk screens read the catalogue's texts from the store themselves;
    // they only need to hear that it changed (after the first run, which
    // is the catalogue they read anyway).
    Effect::new(move |first: Option<()>| {
        cat.catalogue.track();
        if first.is_some() && loaded.get_untracked() {
            tell("catalogue_changed", JsValue::UNDEFINED);
        }
    });
    let lang = i18n.lang;
    let lookup =
        Closure::<dyn Fn(String, String) -> String>::new(move |kind: String, arg: String| {
            let lang = lang.try_get_untracked().unwrap_or(Lang::Fi);
            cat.catalogue
                .try_with_untracked(|c| directory(c, &kind, &arg, lang))
                .unwrap_or_default()
        });
    let ctx = ModuleContext {
        loaded,
        feed,
        lang,
        lookup: StoredValue::new_local(lookup),
    };
    provide_context(ctx);
    keep_outbox_running(ctx);
}

impl ModuleContext {
    /// The started module, told the current language and badge records
    /// before anything else is asked of it.
    async fn ready(self) -> Option<JsValue> {
        let exports = module(self.lang.try_get_untracked()?).await?;
        if !self.loaded.try_get_untracked()? {
            self.loaded.try_set(true);
            let lookup = self.lookup.try_with_value(|c| c.as_ref().clone())?;
            call(&exports, "set_directory", &[lookup]);
        }
        let lang = self.lang.try_get_untracked()?;
        call(&exports, "set_lang", &[JsValue::from_str(lang.tag())]);
        let feed = self.feed.try_get_untracked()?;
        call(&exports, "set_feed", &[JsValue::from_str(&feed)]);
        Some(exports)
    }
}

/// Backup export and restore for Settings, done by the module (it knows
/// the wallet's records; `src/badges/backup.rs`).
#[derive(Debug, Clone, Copy)]
pub struct UseBackupReturn {
    ctx: ModuleContext,
    i18n: crate::i18n::UseI18nReturn,
}

/// What an import says when the module that reads files could not load.
const IMPORT_LOAD_FAILED: &str = "settings-bundle-load-failed";

/// A backup file the module wrote, to be saved by the shell.
#[derive(Debug, Clone)]
pub struct BackupFile {
    /// The file's name.
    pub name: String,
    /// Its JSON.
    pub text: String,
    /// The line that says what it holds.
    pub done: String,
}

/// A `.talkoo` bundle the module wrote, to be saved or shared by the
/// shell.
#[derive(Debug, Clone)]
pub struct BundleFile {
    /// The file's name.
    pub name: String,
    /// The file.
    pub bytes: js_sys::Uint8Array,
    /// The line that says what it holds.
    pub done: String,
}

/// The backup hook: see [`UseBackupReturn`].
pub fn use_backup() -> UseBackupReturn {
    UseBackupReturn {
        ctx: expect_context::<ModuleContext>(),
        i18n: use_i18n(),
    }
}

impl UseBackupReturn {
    /// Starts the module in the background when the service worker has it
    /// cached, so that the first tap shares at once (a share sheet needs
    /// the tap's user activation, which a download could outlast); without
    /// a service worker nothing is downloaded before a tap.
    pub fn prepare(self) {
        // `navigator.serviceWorker` may be missing (nosw.test.mjs).
        if crate::pwa::has_controller() {
            leptos::task::spawn_local(async move {
                self.ctx.ready().await;
            });
        }
    }

    /// Writes a backup of everything personal on the device.
    pub async fn write(self) -> Result<BackupFile, String> {
        let answer = self.call("write_backup", &[]).await?;
        let field = |key: &str| {
            js_sys::Reflect::get(&answer, &JsValue::from_str(key))
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default()
        };
        Ok(BackupFile {
            name: field("name"),
            text: field("text"),
            done: field("done"),
        })
    }

    /// Restores a backup file's text; answers the line that says what
    /// changed.
    pub async fn restore(self, text: &str) -> Result<String, String> {
        let answer = self
            .call("restore_backup", &[JsValue::from_str(text)])
            .await?;
        Ok(answer.as_string().unwrap_or_default())
    }

    /// Imports a `.talkoo` bundle's bytes in the module (`src/import.rs`);
    /// answers the line that says what is now in use. Only through
    /// `crate::catalogue::use_import`, which holds syncs back meanwhile.
    pub async fn import_bundle(self, bytes: js_sys::Uint8Array) -> Result<String, String> {
        let answer = self
            .call_or(IMPORT_LOAD_FAILED, "import_bundle", &[bytes.into()])
            .await?;
        Ok(answer.as_string().unwrap_or_default())
    }

    /// Writes a `.talkoo` bundle of the stored catalogue in the module
    /// (`src/import.rs`). Only through `crate::catalogue::use_import`,
    /// which holds syncs back meanwhile.
    pub async fn export_bundle(self) -> Result<BundleFile, String> {
        let answer = self
            .call_or(IMPORT_LOAD_FAILED, "export_bundle", &[])
            .await?;
        let field = |key: &str| js_sys::Reflect::get(&answer, &JsValue::from_str(key)).ok();
        let text = |key: &str| field(key).and_then(|v| v.as_string()).unwrap_or_default();
        Ok(BundleFile {
            name: text("name"),
            bytes: field("bytes")
                .and_then(|v| v.dyn_into::<js_sys::Uint8Array>().ok())
                .unwrap_or_default(),
            done: text("done"),
        })
    }

    /// The plain words for an import whose module could not be loaded.
    pub fn import_load_failed(self) -> String {
        self.i18n.t_now(IMPORT_LOAD_FAILED)
    }

    /// Calls an async export whose rejection is a message for the user.
    async fn call(self, name: &str, args: &[JsValue]) -> Result<JsValue, String> {
        self.call_or("backup-load-failed", name, args).await
    }

    /// [`Self::call`], with `failed` the message for a module that could
    /// not be loaded.
    async fn call_or(
        self,
        failed: &'static str,
        name: &str,
        args: &[JsValue],
    ) -> Result<JsValue, String> {
        let failed = || self.i18n.t_now(failed);
        let exports = self.ctx.ready().await.ok_or_else(failed)?;
        let promise = call(&exports, name, args)
            .and_then(|p| p.dyn_into::<js_sys::Promise>().ok())
            .ok_or_else(failed)?;
        JsFuture::from(promise)
            .await
            .map_err(|e| e.as_string().unwrap_or_else(failed))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Loading,
    Shown,
    Failed,
}

/// What the module drew for this page, and whether the page is gone.
#[derive(Debug, Default)]
struct Drawn {
    id: Option<u32>,
    gone: bool,
}

/// What a [`ModuleHost`] has the module draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hosted {
    /// The badge page of the current route.
    Badges,
    /// The page a kiosk set-up link opens.
    KioskSetup,
    /// Settings' kiosk set-up form.
    KioskSection,
    /// A kiosk's frame: attract screen, bar, idle warning, exit.
    Kiosk,
    /// The hours page of the current route.
    Hours,
}

impl Hosted {
    /// The view's name for the module's `mount`.
    fn name(self) -> &'static str {
        match self {
            Hosted::Badges => "badges",
            Hosted::KioskSetup => "kiosk-setup",
            Hosted::KioskSection => "kiosk-section",
            Hosted::Hours => "hours",
            // Drawn by `mount_kiosk`, not `mount`.
            Hosted::Kiosk => "kiosk",
        }
    }
}

/// `/badges` and every page under it: the module draws them here.
#[component]
pub fn BadgesHost() -> impl IntoView {
    view! { <ModuleHost what=Hosted::Badges /> }
}

/// `/hours` and every page under it: the module draws them here.
#[component]
pub fn HoursHost() -> impl IntoView {
    view! { <ModuleHost what=Hosted::Hours /> }
}

/// An element the module draws `what` in, with the route kept current;
/// while the module loads a line says so, and a failed load offers to try
/// again.
#[component]
pub fn ModuleHost(what: Hosted) -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let navigate = use_navigate();
    let ctx = expect_context::<ModuleContext>();
    let element = NodeRef::<leptos::html::Div>::new();
    let status = RwSignal::new(Status::Loading);
    let attempt = RwSignal::new(0u32);
    let drawn = Arc::new(Mutex::new(Drawn::default()));
    let url = Memo::new(move |_| {
        let route = app_route(&location.pathname.get()).to_owned();
        let search = location.search.get();
        if search.is_empty() {
            route
        } else {
            format!("{route}?{search}")
        }
    });
    // The module navigates through the shell's router, which owns the
    // address bar, saying whether the address replaces the current one
    // (`replace`, or `replace-in-place` to keep the scroll position); the
    // closure lives as long as this page.
    let go = StoredValue::new_local(Closure::<dyn Fn(String, JsValue)>::new(
        move |url: String, how: JsValue| {
            let how = how.as_string();
            navigate(
                &url,
                crate::router::NavigateOptions {
                    replace: how.is_some(),
                    scroll: how.as_deref() != Some("replace-in-place"),
                },
            );
        },
    ));
    // A kiosk's frame tells the shell of its attract screen and a
    // visitor's language; the closure lives as long as the frame.
    let tell_shell = StoredValue::new_local(
        (what == Hosted::Kiosk)
            .then(|| Closure::<dyn Fn(String)>::new(crate::kiosk_host::tell_shell())),
    );
    // Read here, in the component: the task below has no reactive owner.
    let settings = crate::kiosk_host::kiosk_start()
        .map(|k| k.json)
        .unwrap_or_default();

    // Talking to the module, which is outside Leptos's reach: load it, give
    // it the address and the element, and remove its view when this page
    // goes.
    {
        let drawn = drawn.clone();
        Effect::new(move |_| {
            attempt.track();
            let Some(el) = element.get() else {
                return;
            };
            status.set(Status::Loading);
            let drawn = drawn.clone();
            let settings = settings.clone();
            leptos::task::spawn_local(async move {
                let Some(exports) = ctx.ready().await else {
                    let _ = status.try_set(Status::Failed);
                    return;
                };
                let Some(url) = url.try_get_untracked() else {
                    return;
                };
                call(&exports, "route", &[JsValue::from_str(&url)]);
                let id = if what == Hosted::Kiosk {
                    let Some(tell) = tell_shell
                        .try_with_value(|c| c.as_ref().map(|c| c.as_ref().clone()))
                        .flatten()
                    else {
                        return;
                    };
                    call(
                        &exports,
                        "mount_kiosk",
                        &[el.into(), JsValue::from_str(&settings), tell],
                    )
                } else {
                    let Some(navigate) = go.try_with_value(|c| c.as_ref().clone()) else {
                        return;
                    };
                    call(
                        &exports,
                        "mount",
                        &[el.into(), navigate, JsValue::from_str(what.name())],
                    )
                };
                let id = id.and_then(|id| id.as_f64()).map(|id| id as u32);
                let mut drawn = drawn.lock().unwrap_or_else(|e| e.into_inner());
                if drawn.gone {
                    if let Some(id) = id {
                        call(&exports, "unmount", &[JsValue::from(id)]);
                    }
                } else {
                    drawn.id = id;
                    let _ = status.try_set(Status::Shown);
                }
            });
        });
    }
    Effect::new(move |_| {
        let url = url.get();
        if status.get() == Status::Shown {
            tell("route", JsValue::from_str(&url));
        }
    });
    on_cleanup(move || {
        let mut drawn = drawn.lock().unwrap_or_else(|e| e.into_inner());
        drawn.gone = true;
        if let Some(id) = drawn.id.take() {
            tell("unmount", JsValue::from(id));
        }
    });

    // The badge pages say they are opening; a kiosk's screens come from the
    // service worker's cache at once, so only a failure is worth a word.
    let (loading, failed) = match what {
        Hosted::Badges => (Some("wallet-loading"), "wallet-load-failed"),
        Hosted::Hours => (Some("hours-module-loading"), "hours-load-failed"),
        _ => (None, "kiosk-load-failed"),
    };
    view! {
        <div class=if what == Hosted::Kiosk { "kiosk-host" } else { "badges-host" }>
            {loading.map(|key| view! {
                <Show when=move || status.get() == Status::Loading>
                    <p role="status" class="hint">{i18n.t(key)}</p>
                </Show>
            })}
            <Show when=move || status.get() == Status::Failed>
                <div role="alert" class="error">
                    <p>{i18n.t(failed)}</p>
                    <button type="button" on:click=move |_| attempt.update(|n| *n += 1)>
                        {i18n.t("wallet-load-retry")}
                    </button>
                </div>
            </Show>
            <div node_ref=element></div>
        </div>
    }
}

/// Loads the module when a volunteer who has joined an hours inbox starts
/// the app online, or when the device comes online or the app is shown
/// again: its outbox (`src/hours/`) then sends the waiting entries and
/// asks the inboxes about the sent ones and their awards, and keeps doing
/// so on its own. Phones that never joined an inbox never load it for
/// this; a kiosk never does.
fn keep_outbox_running(ctx: ModuleContext) {
    if crate::kiosk_host::is_kiosk() {
        return;
    }
    let store = use_store();
    let check = move || {
        if ctx.loaded.get_untracked() || !window().navigator().on_line() {
            return;
        }
        let Some(store) = store.get() else {
            return;
        };
        leptos::task::spawn_local(async move {
            let joined = store.sends_hours().await.unwrap_or(false);
            if joined {
                ctx.ready().await;
            }
        });
    };
    check();
    // Both live as long as the page.
    EventListener::new(&window(), "online", move |_| check()).forget();
    EventListener::new(&document(), "visibilitychange", move |_| {
        if document().visibility_state() == web_sys::VisibilityState::Visible {
            check();
        }
    })
    .forget();
}
