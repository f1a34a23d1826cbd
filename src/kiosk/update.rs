//! App updates on a kiosk: nobody is there to accept the update prompt, so a waiting service worker is reported to the kiosk's state machine, which has it activated at the next idle reset (the one exception to ARCHITECTURE's rule that the page reloads only after the user accepted an update).
//!
//! The shell checks for new versions on its timer as on any device
//! (`src/pwa.rs`); this file only watches the registration for a worker
//! that has finished installing, and, when the machine says
//! `ApplyUpdate`, activates it and reloads at the start address once it
//! controls the page. The reload is the idle reset itself, so nothing of
//! the visit survives it either way.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorker, ServiceWorkerContainer, ServiceWorkerRegistration};

/// How long an activated update may take to control the page before the
/// reset happens without it (a worker that fails to activate must not
/// keep a kiosk from clearing a visit).
const ACTIVATE_DEADLINE_MS: u32 = 10_000;

/// The service worker container, where the browser has one.
fn container() -> Option<ServiceWorkerContainer> {
    let navigator = leptos::prelude::window().navigator();
    js_sys::Reflect::get(&navigator, &JsValue::from_str("serviceWorker"))
        .ok()?
        .dyn_into::<ServiceWorkerContainer>()
        .ok()
}

/// The app's registration, once the service worker is ready.
async fn registration() -> Option<ServiceWorkerRegistration> {
    let ready = container()?.ready().ok()?;
    JsFuture::from(ready).await.ok()?.dyn_into().ok()
}

/// How often the registration is looked at for a waiting worker.
const WATCH_EVERY_MS: u32 = 5_000;

/// Calls `waiting` once a new version of the app waits (found by the
/// shell's update checks, or waiting since before this page loaded). A
/// first install, with no worker controlling the page yet, is no update.
///
/// The registration's `waiting` is read on a timer rather than followed
/// through `updatefound` and each new worker's `statechange`: one read of
/// an attribute every few seconds costs nothing, needs no listener per
/// worker, and also sees a version that another tab's check installed.
pub fn watch(waiting: impl Fn() + 'static) {
    leptos::task::spawn_local(async move {
        let Some(registration) = registration().await else {
            return;
        };
        let controlled = || container().is_some_and(|c| c.controller().is_some());
        let check = move || registration.waiting().is_some() && controlled();
        if check() {
            waiting();
            return;
        }
        // Lasts until the first report: the machine keeps the update for
        // the next reset, and that reset reloads the page.
        let timer = std::rc::Rc::new(std::cell::RefCell::new(None));
        let kept = timer.clone();
        *timer.borrow_mut() = Some(gloo_timers::callback::Interval::new(
            WATCH_EVERY_MS,
            move || {
                if check() {
                    waiting();
                    kept.borrow_mut().take();
                }
            },
        ));
    });
}

/// Activates the waiting worker and calls `reload` once it controls the
/// page, or at the deadline, or at once when no worker waits.
pub fn apply(reload: impl Fn() + Clone + 'static) {
    leptos::task::spawn_local(async move {
        let waiting: Option<ServiceWorker> = match registration().await {
            Some(registration) => registration.waiting(),
            None => None,
        };
        let (Some(worker), Some(container)) = (waiting, container()) else {
            reload();
            return;
        };
        let on_change = reload.clone();
        gloo_events::EventListener::once(&container, "controllerchange", move |_| on_change())
            .forget();
        gloo_timers::callback::Timeout::new(ACTIVATE_DEADLINE_MS, reload).forget();
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"type".into(), &"SKIP_WAITING".into());
        let _ = worker.post_message(&message);
    });
}
