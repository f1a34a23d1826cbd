//! Kiosk mode's screens in the badges module: the idle controller that drives `talkoo_core::kiosk::Kiosk` from input and one timer and carries out its effects, and (in `shell.rs` and `setup.rs`) what a kiosk draws and the set-up screens.
//!
//! Only a kiosk, or a coordinator setting one up, needs any of this, so it
//! is compiled into the badges module (feature `badges-module`) and never
//! into the first-load shell. The shell (`src/kiosk_host.rs`) knows at
//! start-up that the device is a kiosk, refuses personal routes, keeps the
//! history from growing, and lends this module an element; the module has
//! no router and reads what the screens show from the store itself
//! (`feed.rs`), and it tells the shell, through one function, when the
//! attract screen comes and goes and which language a visitor chose.
//!
//! The rules (when the warning shows, when a visit is cleared, the PIN's
//! lock) are the core's; this module only feeds it events with the time of
//! a monotonic clock (`performance.now()`) and does what it returns.
//!
//! A kiosk session starts from a page load only: entering kiosk mode stores
//! the settings and reloads, and so do the idle reset and the exit. A reload
//! through `location.replace` is the one way that is sure to leave nothing
//! of a visit behind: the DOM, every signal (the shell's and the module's),
//! the scroll position and any open dialog go with the old page, and the
//! address is the attract screen's.

mod feed;
mod setup;
mod shell;
mod take_away;
mod update;

use leptos::prelude::*;
use talkoo_core::kiosk::{Effect as KioskEffect, Event, Kiosk, KioskSettings, PinStatus, Screen};
use talkoo_core::Lang;
use talkoo_store::{keys, Store};
use wasm_bindgen::{JsCast, JsValue};

pub use feed::{provide_kiosk_feed, FeedContext};
pub use setup::{KioskSection, KioskSetupPage};

use feed::use_kiosk_feed;
pub use shell::KioskFrame;

use crate::pwa::{app_href, base_href};
use crate::storage::{use_store, UseStoreReturn};

/// How long a press in the exit corner must last before the PIN is asked.
const LONG_PRESS_MS: u64 = 2_000;

/// How often an idle kiosk reads what is on again.
const ATTRACT_REFRESH_MS: u32 = 15 * 60 * 1000;

/// How the module tells the shell what only the shell can act on: the
/// shell's function `tell(message)`, called with `screen:attract` or
/// `screen:browsing` when the attract screen comes or goes (the shell
/// hides its pages behind it), `lang:<tag>` when a visitor picks a
/// language (the shell's language is the page's, and is not saved on a
/// kiosk).
#[derive(Debug, Clone, Copy)]
struct ShellContext {
    tell: StoredValue<js_sys::Function, LocalStorage>,
}

impl ShellContext {
    fn tell(self, kind: &str, value: &str) {
        self.tell.with_value(|f| {
            let message = JsValue::from_str(&format!("{kind}:{value}"));
            let _ = f.call1(&JsValue::NULL, &message);
        });
    }
}

/// The time of the monotonic clock in milliseconds, as the core expects it.
fn now_ms() -> u64 {
    window()
        .performance()
        .map(|p| p.now().max(0.0) as u64)
        .unwrap_or_default()
}

/// Replaces the page with the app's start address, which clears every
/// trace of a visit (see the module's documentation).
fn reload_at_start() {
    let _ = window().location().replace(&app_href("/"));
}

#[derive(Debug, Clone, Copy)]
struct KioskContext {
    settings: StoredValue<Option<KioskSettings>>,
    /// The state machine; `None` when the device is not a kiosk.
    machine: RwSignal<Option<Kiosk>>,
    /// The time of the last event, so countdowns are derived from it.
    now: RwSignal<u64>,
    /// When a press in the exit corner began, while it lasts.
    press_started: RwSignal<Option<u64>>,
    large_text: RwSignal<bool>,
    contrast: RwSignal<bool>,
    /// Why leaving kiosk mode failed, in plain words.
    exit_error: RwSignal<Option<String>>,
    store: UseStoreReturn,
    shell: ShellContext,
}

impl KioskContext {
    /// Feeds the machine one event and carries out what it returns.
    fn step(self, event: Event) {
        // Countdowns are derived from the time of the last event the
        // machine saw, so a lock shows its full minute from the third PIN.
        match event {
            Event::Input { at }
            | Event::Tick { at }
            | Event::ExitAsked { at }
            | Event::ExitCancelled { at }
            | Event::Pin { at, .. } => self.now.set(at),
            Event::UpdateWaiting => {}
        }
        let effects = self
            .machine
            .try_update(|machine| machine.as_mut().map(|m| m.step(event)))
            .flatten()
            .unwrap_or_default();
        // An update applied at a reset reloads at the start address once
        // the new version controls the page, which is the reset too.
        let updating = effects.contains(&KioskEffect::ApplyUpdate);
        for effect in effects {
            match effect {
                KioskEffect::ResetVisitor if updating => {}
                KioskEffect::ResetVisitor => reload_at_start(),
                KioskEffect::Exit => self.exit(),
                KioskEffect::ApplyUpdate => update::apply(reload_at_start),
            }
        }
    }

    /// Removes the settings and reloads as the ordinary app.
    fn exit(self) {
        let store = self.store.get();
        let exit_error = self.exit_error;
        leptos::task::spawn_local(async move {
            let removed = match store {
                Some(store) => store.delete_setting(keys::KIOSK).await,
                None => Ok(()),
            };
            match removed {
                Ok(()) => reload_at_start(),
                Err(e) => exit_error.set(Some(e.to_string())),
            }
        });
    }
}

/// Starts kiosk mode in the module, for the view drawn into the shell's
/// element: the state machine, its listeners and its one timer. `tell` is
/// the shell's function (see [`ShellContext`]). Settings this version
/// cannot read are removed and the page reloads as the ordinary app, where
/// Settings offers the set-up again; the shell only checked that they name
/// a language.
pub fn provide_kiosk(settings_json: &str, tell: js_sys::Function) {
    let settings = KioskSettings::from_json(settings_json);
    let start = now_ms();
    let ctx = KioskContext {
        machine: RwSignal::new(settings.as_ref().map(|s| Kiosk::new(s, start))),
        settings: StoredValue::new(settings),
        now: RwSignal::new(start),
        press_started: RwSignal::new(None),
        large_text: RwSignal::new(false),
        contrast: RwSignal::new(false),
        exit_error: RwSignal::new(None),
        store: use_store(),
        shell: ShellContext {
            tell: StoredValue::new_local(tell),
        },
    };
    provide_context(ctx);
    if ctx.machine.get_untracked().is_none() {
        leptos::logging::warn!("unreadable kiosk settings: leaving kiosk mode");
        ctx.exit();
        return;
    }
    // What the attract screen shows is read from the store for the
    // settings' place and municipalities, and read again every quarter of
    // an hour, so an untouched kiosk does not keep showing events that
    // have ended.
    let feed = expect_context::<FeedContext>();
    ctx.settings.with_value(|s| {
        if let Some(s) = s {
            feed.set_area((s.place.clone(), s.municipalities.clone()));
        }
    });
    // Like the one timer below, it lasts as long as the page: a kiosk
    // session ends only with a reload.
    gloo_timers::callback::Interval::new(ATTRACT_REFRESH_MS, move || {
        feed.catalogue_changed();
    })
    .forget();
    // A new version of the app waits for the next reset (or is applied at
    // once on the attract screen): nobody is there to accept a prompt.
    update::watch(move || ctx.step(Event::UpdateWaiting));
    // The shell hides its pages while the attract screen shows.
    Effect::new(move |_| {
        let attract = ctx.machine.with(|m| m.as_ref().map(Kiosk::screen)) == Some(Screen::Attract);
        ctx.shell
            .tell("screen", if attract { "attract" } else { "browsing" });
    });
    // Any touch, key, wheel or scroll anywhere is input; listening on the
    // window in the capture phase sees it before any control handles it
    // (and sees scrolls, which do not bubble). A touch counts when it ends:
    // were the warning or the attract screen removed when it began, the
    // click that follows would land on whatever lay beneath them.
    let input = move |_: &web_sys::Event| ctx.step(Event::Input { at: now_ms() });
    let capture = gloo_events::EventListenerOptions::run_in_capture_phase();
    for name in ["pointerup", "keydown", "wheel", "scroll"] {
        gloo_events::EventListener::new_with_options(&window(), name, capture, input).forget();
    }
    // The one timer: every second the machine is told the time, which
    // shows the warning, counts it down, resets, and turns a long press in
    // the exit corner into the PIN dialog.
    gloo_timers::callback::Interval::new(1_000, move || {
        let at = now_ms();
        if let Some(started) = ctx.press_started.get_untracked() {
            if at.saturating_sub(started) >= LONG_PRESS_MS {
                ctx.press_started.set(None);
                ctx.step(Event::ExitAsked { at });
            }
        }
        ctx.step(Event::Tick { at });
    })
    .forget();
    keep_screen_on();
    // Talking to the outside world: the visitor's text size and contrast
    // are classes on `<html>`, which the kiosk stylesheet reads.
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let classes = root.class_list();
            let _ = classes.toggle_with_force("kiosk-large", ctx.large_text.get());
            let _ = classes.toggle_with_force("kiosk-contrast", ctx.contrast.get());
        }
    });
}

/// Asks the browser to keep the screen on while the kiosk is shown (the
/// Screen Wake Lock API), so a kiosk's screen does not go dark between
/// visitors. The browser drops the lock whenever the page is hidden, so it
/// is asked again each time the page becomes visible. Browsers without
/// the API, and refusals (a battery saver), are passed over in silence:
/// the screen's own power settings then decide, as before. The API is
/// reached through `Reflect` because web_sys's binding is unstable.
fn keep_screen_on() {
    fn request() {
        let navigator = window().navigator();
        let lock = js_sys::Reflect::get(&navigator, &JsValue::from_str("wakeLock"))
            .ok()
            .filter(|lock| lock.is_object());
        let Some(lock) = lock else {
            return;
        };
        let asked = js_sys::Reflect::get(&lock, &JsValue::from_str("request"))
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
            .and_then(|request| request.call1(&lock, &JsValue::from_str("screen")).ok())
            .and_then(|answer| answer.dyn_into::<js_sys::Promise>().ok());
        if let Some(asked) = asked {
            leptos::task::spawn_local(async move {
                if let Err(e) = wasm_bindgen_futures::JsFuture::from(asked).await {
                    leptos::logging::log!(
                        "kiosk: the screen may dim: {}",
                        crate::browser::js_text(&e)
                    );
                }
            });
        }
    }
    request();
    // Like the kiosk's timer, it lasts as long as the page.
    gloo_events::EventListener::new(&document(), "visibilitychange", |_| {
        if document().visibility_state() == web_sys::VisibilityState::Visible {
            request();
        }
    })
    .forget();
}

/// What kiosk mode offers components.
#[derive(Debug, Clone, Copy)]
pub struct UseKioskReturn {
    ctx: KioskContext,
    /// The time of the last input or tick (monotonic milliseconds).
    pub now: Signal<u64>,
    /// What the kiosk shows; `None` when it is not a kiosk.
    pub screen: Signal<Option<Screen>>,
    /// The warning's countdown in whole seconds, while it shows.
    pub seconds_left: Signal<Option<u32>>,
    /// Where the exit PIN stands.
    pub pin_status: Signal<Option<PinStatus>>,
    /// The visitor's larger-text choice, cleared at the reset.
    pub large_text: RwSignal<bool>,
    /// The visitor's high-contrast choice, cleared at the reset.
    pub contrast: RwSignal<bool>,
    /// Why leaving kiosk mode failed, in plain words.
    pub exit_error: Signal<Option<String>>,
}

impl UseKioskReturn {
    /// The kiosk's settings, when this device is one.
    pub fn settings(self) -> Option<KioskSettings> {
        self.ctx.settings.get_value()
    }

    /// The address a visitor's phone opens the app at: the settings'
    /// public address, or else the app's own, where the kiosk loaded it
    /// from.
    pub fn public_base(self) -> String {
        self.ctx
            .settings
            .with_value(|s| s.as_ref().and_then(|s| s.public.clone()))
            .unwrap_or_else(base_href)
    }

    /// A press in the exit corner began.
    pub fn press_start(self) {
        self.ctx.press_started.set(Some(now_ms()));
    }

    /// The press in the exit corner ended before it was long enough.
    pub fn press_end(self) {
        self.ctx.press_started.set(None);
    }

    /// The PIN dialog was closed without a PIN.
    pub fn cancel_exit(self) {
        self.ctx.step(Event::ExitCancelled { at: now_ms() });
    }

    /// A visitor picked a language; the shell sets it for the page and
    /// tells the module back.
    pub fn pick_lang(self, lang: Lang) {
        self.ctx.shell.tell("lang", lang.tag());
    }

    /// A PIN was typed; the hash decides, the machine counts and locks.
    pub fn try_pin(self, typed: &str) {
        let correct = self
            .ctx
            .settings
            .with_value(|s| s.as_ref().is_some_and(|s| s.pin.verify(typed)));
        self.ctx.step(Event::Pin {
            at: now_ms(),
            correct,
        });
    }
}

/// Stores settings and reloads into kiosk mode; a failure is returned in
/// plain words for the page to show.
pub async fn enter(store: UseStoreReturn, settings: KioskSettings) -> Result<(), String> {
    let store = match (store.get(), store.error()) {
        (Some(store), _) => store,
        (None, error) => return Err(error.map(|e| e.to_string()).unwrap_or_default()),
    };
    store
        .put_setting(keys::KIOSK, &settings.to_json())
        .await
        .map_err(|e| e.to_string())?;
    reload_at_start();
    Ok(())
}

/// The kiosk hook.
pub fn use_kiosk() -> UseKioskReturn {
    let ctx = expect_context::<KioskContext>();
    let screen = Memo::new(move |_| ctx.machine.with(|m| m.as_ref().map(Kiosk::screen)));
    let seconds_left = Memo::new(move |_| {
        let now = ctx.now.get();
        ctx.machine
            .with(|m| m.as_ref().and_then(|m| m.seconds_left(now)))
    });
    let pin_status = Memo::new(move |_| {
        let now = ctx.now.get();
        ctx.machine.with(|m| m.as_ref().map(|m| m.pin_status(now)))
    });
    UseKioskReturn {
        ctx,
        now: ctx.now.into(),
        screen: screen.into(),
        seconds_left: seconds_left.into(),
        pin_status: pin_status.into(),
        large_text: ctx.large_text,
        contrast: ctx.contrast,
        exit_error: ctx.exit_error.into(),
    }
}
