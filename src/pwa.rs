//! The installable-app side of the browser: service worker registration and updates, installing the app, and the online state.

use gloo_events::{EventListener, EventListenerOptions};
use gloo_timers::callback::Interval;
use js_sys::Reflect;
use leptos::ev;
use leptos::prelude::*;
use talkoo_core::install::{is_ios, InstallFacts, InstallWay};
use talkoo_core::update::{Action, UpdateEvent, UpdateState, CHECK_INTERVAL_MS};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState};

/// The document's base URL (from `<base href>`), ending in `/`: where the
/// app, its assets and `sw.js` live, also when served from a sub-path.
pub fn base_href() -> String {
    let base = document()
        .base_uri()
        .ok()
        .flatten()
        .unwrap_or_else(|| "/".to_owned());
    match base.rfind('/') {
        Some(i) => base[..=i].to_owned(),
        None => format!("{base}/"),
    }
}

/// The path part of [`base_href`] without its final `/`: the router's base.
pub fn base_path() -> String {
    let href = base_href();
    let path = web_sys::Url::new(&href)
        .map(|u| u.pathname())
        .unwrap_or_else(|_| "/".to_owned());
    path.trim_end_matches('/').to_owned()
}

/// An app route as a link target, with the app's base path, so every
/// internal link keeps working when the app is served from a sub-path.
pub fn app_href(route: &str) -> String {
    format!("{}{route}", base_path())
}

/// Whether the browser reports a network connection.
#[derive(Debug, Clone, Copy)]
pub struct UseOnlineReturn {
    /// `true` while `navigator.onLine` is true.
    pub online: Signal<bool>,
}

/// Follows the `online` and `offline` events.
pub fn use_online() -> UseOnlineReturn {
    let online = RwSignal::new(window().navigator().on_line());
    // The listeners live as long as the page: this hook is used once, in the
    // header, which is never unmounted.
    let _ = window_event_listener(ev::online, move |_| online.set(true));
    let _ = window_event_listener(ev::offline, move |_| online.set(false));
    UseOnlineReturn {
        online: online.into(),
    }
}

/// The update flow for components.
#[derive(Debug, Clone, Copy)]
pub struct UseServiceWorkerReturn {
    /// Where the update flow stands.
    pub state: Signal<UpdateState>,
    /// When the last check finished, in ms since the epoch.
    pub last_checked: Signal<Option<f64>>,
    /// How many checks have finished, so a test or a status can tell that
    /// the check it started is over.
    pub checks: Signal<u32>,
    /// Whether this browser runs the service worker: `None` while it is
    /// being registered, `Some(false)` where there is none (some private
    /// windows and managed browsers), so the app works online only.
    pub available: Signal<Option<bool>>,
    /// Asks the server for a new version now.
    pub check: Callback<()>,
    /// Hands over to the waiting version and reloads.
    pub accept: Callback<()>,
    /// Hides the prompt; Settings keeps offering the update.
    pub postpone: Callback<()>,
}

#[derive(Debug, Clone, Copy)]
struct ServiceWorkerContext {
    state: RwSignal<UpdateState>,
    last_checked: RwSignal<Option<f64>>,
    checks: RwSignal<u32>,
    available: RwSignal<Option<bool>>,
    registration: StoredValue<Option<ServiceWorkerRegistration>, LocalStorage>,
}

impl ServiceWorkerContext {
    /// Feeds one event to the pure state machine and carries out its action.
    fn dispatch(self, event: UpdateEvent) {
        let (next, action) = self.state.get_untracked().step(event);
        self.state.set(next);
        match action {
            Action::None => {}
            Action::ActivateWaiting => {
                let waiting = self
                    .registration
                    .with_value(|r| r.as_ref().and_then(|r| r.waiting()));
                if let Some(worker) = waiting {
                    let message = js_sys::Object::new();
                    let _ = Reflect::set(&message, &"type".into(), &"SKIP_WAITING".into());
                    let _ = worker.post_message(&message);
                }
            }
            Action::Reload => {
                let _ = window().location().reload();
            }
        }
    }

    fn check(self) {
        let Some(registration) = self.registration.get_value() else {
            return;
        };
        self.dispatch(UpdateEvent::CheckStarted);
        let Ok(promise) = registration.update() else {
            self.dispatch(UpdateEvent::CheckFailed);
            return;
        };
        leptos::task::spawn_local(async move {
            let result = JsFuture::from(promise).await;
            self.last_checked.set(Some(js_sys::Date::now()));
            match result {
                Err(_) => self.dispatch(UpdateEvent::CheckFailed),
                // An installing worker reports through `statechange`.
                Ok(_) if registration.installing().is_some() => {}
                Ok(_) if registration.waiting().is_some() && has_controller() => {
                    self.dispatch(UpdateEvent::WorkerWaiting)
                }
                Ok(_) => self.dispatch(UpdateEvent::NoUpdate),
            }
            self.checks.update(|n| *n += 1);
        });
    }
}

/// The service worker container, where the browser has one. Firefox's
/// private windows and some managed browsers have none, or an `undefined`
/// in its place, so the value is checked rather than assumed.
fn container() -> Option<ServiceWorkerContainer> {
    let navigator = window().navigator();
    Reflect::get(&navigator, &JsValue::from_str("serviceWorker"))
        .ok()?
        .dyn_into::<ServiceWorkerContainer>()
        .ok()
}

/// Whether a service worker controls this page (its files are then
/// served from the cache).
pub fn has_controller() -> bool {
    container().is_some_and(|c| c.controller().is_some())
}

/// Registers the service worker, follows its updates and checks for new
/// versions on a timer, so a kiosk left open for days is updated too.
pub fn provide_service_worker() {
    // The browser hands over its install prompt once, early and to whoever
    // listens, so the listener starts with the app.
    provide_install();
    let ctx = ServiceWorkerContext {
        state: RwSignal::new(UpdateState::Idle),
        last_checked: RwSignal::new(None),
        checks: RwSignal::new(0),
        available: RwSignal::new(None),
        registration: StoredValue::new_local(None),
    };
    provide_context(ctx);
    let Some(container) = container() else {
        leptos::logging::log!("this browser has no service worker: the app works online only");
        ctx.available.set(Some(false));
        return;
    };

    // Listens as long as the page lives.
    EventListener::new(&container, "controllerchange", move |_| {
        ctx.dispatch(UpdateEvent::ControllerChanged)
    })
    .forget();

    let base = base_href();
    let options = web_sys::RegistrationOptions::new();
    options.set_scope(&base);
    let promise = container.register_with_options(&format!("{base}sw.js"), &options);
    leptos::task::spawn_local(async move {
        // A browser that blocks service workers may resolve with nothing
        // instead of a registration (issue 9: "Cannot read properties of
        // undefined (reading 'waiting')").
        let registration = match JsFuture::from(promise)
            .await
            .map(|value| value.dyn_into::<ServiceWorkerRegistration>())
        {
            Ok(Ok(registration)) => registration,
            Ok(Err(value)) => {
                leptos::logging::log!("service worker registration gave {value:?}: online only");
                ctx.available.set(Some(false));
                return;
            }
            Err(e) => {
                leptos::logging::warn!("service worker not registered: {e:?}");
                ctx.available.set(Some(false));
                return;
            }
        };
        ctx.available.set(Some(true));
        ctx.registration.set_value(Some(registration.clone()));
        if registration.waiting().is_some() && has_controller() {
            ctx.dispatch(UpdateEvent::WorkerWaiting);
        }
        watch_installs(ctx, &registration);
        // The timer lives as long as the page.
        Interval::new(CHECK_INTERVAL_MS, move || ctx.check()).forget();
    });
}

/// Reports a newly installed worker as waiting, but only when another one
/// already controls the page: the very first install is not an update.
/// Only the newest installing worker is watched: its listener replaces
/// (and so removes) the one on the worker before it.
fn watch_installs(ctx: ServiceWorkerContext, registration: &ServiceWorkerRegistration) {
    let reg = registration.clone();
    let watching = StoredValue::new_local(None::<EventListener>);
    EventListener::new(registration, "updatefound", move |_| {
        let Some(installing) = reg.installing() else {
            return;
        };
        let worker = installing.clone();
        let listener =
            EventListener::new(&installing, "statechange", move |_| match worker.state() {
                ServiceWorkerState::Installed if has_controller() => {
                    ctx.dispatch(UpdateEvent::WorkerWaiting)
                }
                ServiceWorkerState::Redundant
                    if ctx.state.get_untracked() == UpdateState::Checking =>
                {
                    ctx.dispatch(UpdateEvent::CheckFailed)
                }
                _ => {}
            });
        watching.set_value(Some(listener));
    })
    .forget();
}

/// The service-worker hook.
pub fn use_service_worker() -> UseServiceWorkerReturn {
    let ctx = expect_context::<ServiceWorkerContext>();
    UseServiceWorkerReturn {
        state: ctx.state.into(),
        last_checked: ctx.last_checked.into(),
        checks: ctx.checks.into(),
        available: ctx.available.into(),
        check: Callback::new(move |()| ctx.check()),
        accept: Callback::new(move |()| ctx.dispatch(UpdateEvent::UserAccepted)),
        postpone: Callback::new(move |()| ctx.dispatch(UpdateEvent::UserPostponed)),
    }
}

/// Installing the app: the browser's kept prompt, and whether the app is
/// already installed.
#[derive(Debug, Clone, Copy)]
struct InstallContext {
    /// The `beforeinstallprompt` event, kept to call its `prompt()` when the
    /// volunteer asks; it works once.
    prompt: StoredValue<Option<web_sys::Event>, LocalStorage>,
    can_prompt: RwSignal<bool>,
    installed: RwSignal<bool>,
    ios: bool,
}

/// Whether the page runs as an installed app: a standalone window, or the
/// home-screen app on iPhone (`navigator.standalone`).
fn running_installed() -> bool {
    let media = window()
        .match_media("(display-mode: standalone)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches());
    let home_screen = Reflect::get(&window().navigator(), &JsValue::from_str("standalone"))
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    media || home_screen
}

fn provide_install() {
    let navigator = window().navigator();
    let ctx = InstallContext {
        prompt: StoredValue::new_local(None),
        can_prompt: RwSignal::new(false),
        installed: RwSignal::new(running_installed()),
        ios: is_ios(
            &navigator.user_agent().unwrap_or_default(),
            u32::try_from(navigator.max_touch_points()).unwrap_or(0),
        ),
    };
    provide_context(ctx);
    // Both listeners live as long as the page.
    // gloo's listeners are passive by default, and a passive listener's
    // `preventDefault()` is ignored.
    let options = EventListenerOptions::enable_prevent_default();
    EventListener::new_with_options(&window(), "beforeinstallprompt", options, move |event| {
        // Without this the browser may show its own bar at a moment we did
        // not choose; the app offers installing when it makes sense.
        event.prevent_default();
        ctx.prompt.set_value(Some(event.clone()));
        ctx.can_prompt.set(true);
    })
    .forget();
    EventListener::new(&window(), "appinstalled", move |_| {
        ctx.prompt.set_value(None);
        ctx.can_prompt.set(false);
        ctx.installed.set(true);
    })
    .forget();
}

/// The install hook's parts.
#[derive(Debug, Clone, Copy)]
pub struct UseInstallReturn {
    /// How this browser installs the app, if it can and should.
    pub way: Signal<Option<InstallWay>>,
    /// Already installed on this device.
    pub installed: Signal<bool>,
    /// Shows the browser's install prompt (it can be used once).
    pub install: Callback<()>,
}

/// The install hook.
pub fn use_install() -> UseInstallReturn {
    let ctx = expect_context::<InstallContext>();
    let way = Signal::derive(move || {
        InstallFacts {
            installed: ctx.installed.get(),
            // No shared-screen (kiosk) mode exists yet; when one does, it
            // goes here and the offer disappears there.
            shared_screen: false,
            can_prompt: ctx.can_prompt.get(),
            ios: ctx.ios,
        }
        .way()
    });
    let install = Callback::new(move |()| {
        let Some(event) = ctx.prompt.get_value() else {
            return;
        };
        ctx.prompt.set_value(None);
        ctx.can_prompt.set(false);
        let prompt = Reflect::get(&event, &JsValue::from_str("prompt"))
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        if let Some(prompt) = prompt {
            if let Err(e) = prompt.call0(&event) {
                leptos::logging::warn!("the install prompt failed: {e:?}");
            }
        }
    });
    UseInstallReturn {
        way,
        installed: ctx.installed.into(),
        install,
    }
}
