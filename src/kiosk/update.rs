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
use web_sys::{
    ServiceWorker, ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState,
};

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

/// Calls `waiting` once for a worker that waits now, and once for every
/// new version that finishes installing later (found by the shell's
/// update checks). A first install, with no worker controlling the page
/// yet, is no update.
pub fn watch(waiting: impl Fn() + Clone + 'static) {
    leptos::task::spawn_local(async move {
        let Some(registration) = registration().await else {
            return;
        };
        let controlled = || container().is_some_and(|c| c.controller().is_some());
        if registration.waiting().is_some() && controlled() {
            waiting();
        }
        let found = registration.clone();
        gloo_events::EventListener::new(&registration, "updatefound", move |_| {
            let Some(worker) = found.installing() else {
                return;
            };
            let installed = worker.clone();
            let waiting = waiting.clone();
            gloo_events::EventListener::new(&worker, "statechange", move |_| {
                if installed.state() == ServiceWorkerState::Installed && controlled() {
                    waiting();
                }
            })
            .forget();
        })
        .forget();
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
