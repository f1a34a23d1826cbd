//! What kiosk mode draws in the element the shell lends it: the attract screen, the bar within a standing person's reach, the idle warning, and the exit corner with its PIN dialog.

use leptos::prelude::*;
use talkoo_core::datefmt;
use talkoo_core::i18n::Arg;
use talkoo_core::kiosk::{AttractItem, PinStatus, Screen};
use talkoo_core::nav::Section;
use talkoo_core::time::{Date, DateTime};
use talkoo_engine::sync::meta;
use talkoo_store::Store;
use wasm_bindgen::JsValue;

use super::take_away::TakeAway;
use super::{use_kiosk, use_kiosk_feed};
use crate::browser::today;
use crate::i18n::use_i18n;
use crate::pwa::app_href;
use crate::storage::use_store;

/// How often the data's age is read again from the store.
const AGE_READ_MS: u64 = 60_000;

/// Items the attract screen shows at once, and how long each group stays.
const ATTRACT_PAGE_SIZE: usize = 3;
const ATTRACT_PAGE_MS: u64 = 10_000;

/// Everything a kiosk draws besides the shell's pages: the attract screen
/// while nobody uses the kiosk (the shell hides its pages then), otherwise
/// the bar at the bottom; the idle warning, the exit corner and the PIN
/// dialog over either.
#[component]
pub fn KioskFrame() -> impl IntoView {
    let kiosk = use_kiosk();
    let attract = move || kiosk.screen.get() == Some(Screen::Attract);
    view! {
        <Show when=attract fallback=|| view! { <KioskBar /> }>
            <AttractScreen />
        </Show>
        <KioskDialogs />
    }
}

/// The attract screen: what is on at the kiosk's place, in large type, and
/// "Touch to start" in every offered language. Any touch or key starts a
/// visit (the idle controller listens on the whole window); the button is
/// there so the way in is also a control a screen reader names.
#[component]
fn AttractScreen() -> impl IntoView {
    let i18n = use_i18n();
    let kiosk = use_kiosk();
    let feed = use_kiosk_feed();
    let langs = kiosk.settings().map(|s| s.langs).unwrap_or_default();
    // What is on (`Catalogue::attract`) is read in every language at
    // once (`feed.rs`), so a visitor's change of language shows at once.
    let attract = Memo::new(move |_| feed.with(|f| f.attract.clone().unwrap_or_default()));
    let place_name = move || attract.with(|a| a.place.clone());
    let items = Memo::new(move |_| attract.with(|a| (a.upcoming.clone(), a.ongoing.clone())));
    // The groups turn every ten seconds, derived from the kiosk's one timer.
    let turn = move || (kiosk.now.get() / ATTRACT_PAGE_MS) as usize;
    let shown = move |list: Vec<AttractItem>| {
        let pages = list.len().div_ceil(ATTRACT_PAGE_SIZE).max(1);
        let page = turn() % pages;
        list.into_iter()
            .skip(page * ATTRACT_PAGE_SIZE)
            .take(ATTRACT_PAGE_SIZE)
            .map(|item| {
                view! {
                    <li>
                        <span class="attract-name" lang=item.name_lang>{item.name}</span>
                        {item.when.map(|when| view! { <span class="attract-when">{when}</span> })}
                    </li>
                }
            })
            .collect_view()
    };
    Effect::new(move |_| {
        document().set_title(&i18n.t_now("app-name"));
    });
    view! {
        <main id="main" class="attract" data-testid="attract">
            <h1>
                {move || match place_name() {
                    Some((name, lang)) => view! { <span lang=lang>{name}</span> }.into_any(),
                    None => view! { <span>{i18n.t_now("app-name")}</span> }.into_any(),
                }}
            </h1>
            <section aria-labelledby="attract-upcoming">
                <h2 id="attract-upcoming">{i18n.t("kiosk-attract-upcoming")}</h2>
                <Show
                    when=move || !items.with(|i| i.0.is_empty())
                    fallback=move || view! { <p>{i18n.t("kiosk-attract-nothing")}</p> }
                >
                    <ul class="attract-list">{move || shown(items.get().0)}</ul>
                </Show>
            </section>
            <Show when=move || !items.with(|i| i.1.is_empty())>
                <section aria-labelledby="attract-ongoing">
                    <h2 id="attract-ongoing">{i18n.t("kiosk-attract-ongoing")}</h2>
                    <ul class="attract-list">{move || shown(items.get().1)}</ul>
                </section>
            </Show>
            <button type="button" class="attract-start" data-testid="attract-start">
                {langs
                    .iter()
                    .map(|lang| {
                        view! {
                            <span lang=lang.tag()>{talkoo_core::t(*lang, "kiosk-touch-to-start")}</span>
                        }
                    })
                    .collect_view()}
            </button>
            <DataAge />
        </main>
    }
}

/// The kiosk's controls at the bottom of the screen, where a standing
/// person's hand reaches: the browsing sections, the offered languages
/// (always visible), and larger text and high contrast for this visit.
#[component]
fn KioskBar() -> impl IntoView {
    let i18n = use_i18n();
    let kiosk = use_kiosk();
    let langs = kiosk.settings().map(|s| s.langs).unwrap_or_default();
    let link = move |section: Section| {
        view! {
            <li>
                <a href=app_href(section.route())>{i18n.t(section.label_key())}</a>
            </li>
        }
    };
    view! {
        <div class="kiosk-bar" data-testid="kiosk-bar">
            <TakeAway />
            <nav aria-label=i18n.t("nav-label")>
                <ul>
                    {[Section::Catalogue, Section::Events, Section::Places, Section::Organisations]
                        .into_iter()
                        .map(link)
                        .collect_view()}
                </ul>
            </nav>
            <div class="kiosk-choices" role="group" aria-label=i18n.t("kiosk-choices-label")>
                {(langs.len() > 1)
                    .then(|| {
                        langs
                            .iter()
                            .map(|&lang| {
                                view! {
                                    <button
                                        type="button"
                                        lang=lang.tag()
                                        aria-pressed=move || (i18n.lang.get() == lang).to_string()
                                        on:click=move |_| kiosk.pick_lang(lang)
                                    >
                                        {lang.native_name()}
                                    </button>
                                }
                            })
                            .collect_view()
                    })}
                <button
                    type="button"
                    aria-pressed=move || kiosk.large_text.get().to_string()
                    on:click=move |_| kiosk.large_text.update(|on| *on = !*on)
                >
                    {i18n.t("kiosk-larger-text")}
                </button>
                <button
                    type="button"
                    aria-pressed=move || kiosk.contrast.get().to_string()
                    on:click=move |_| kiosk.contrast.update(|on| *on = !*on)
                >
                    {i18n.t("kiosk-high-contrast")}
                </button>
            </div>
            <DataAge />
        </div>
    }
}

/// A moment in milliseconds since the epoch, in the device's time zone.
fn local_time(ms: f64) -> DateTime {
    let d = js_sys::Date::new(&JsValue::from_f64(ms));
    DateTime {
        date: Date {
            year: d.get_full_year() as i32,
            month: d.get_month() + 1,
            day: d.get_date(),
        },
        seconds: d.get_hours() * 3600 + d.get_minutes() * 60 + d.get_seconds(),
        offset_minutes: -(d.get_timezone_offset() as i32),
    }
}

/// How old the kiosk's data is: when the shell's last sync succeeded
/// (`talkoo_engine::sync::meta::LAST_SUCCESS`, which the shell's sync
/// writes whether or not anything changed), in a corner, so whoever reads
/// an event's time knows how fresh it is. Read from the store when shown
/// and every minute after (a sync that found nothing new tells the module
/// nothing); nothing is shown before the first sync.
#[component]
fn DataAge() -> impl IntoView {
    let i18n = use_i18n();
    let kiosk = use_kiosk();
    let store = use_store();
    let minute = Memo::new(move |_| kiosk.now.get() / AGE_READ_MS);
    let synced = LocalResource::new(move || {
        minute.track();
        let store = store.get();
        async move {
            let text = store?.get_meta(meta::LAST_SUCCESS).await.ok()??;
            text.parse::<f64>().ok()
        }
    });
    move || {
        synced.get().flatten().map(|ms| {
            let when = datefmt::moment(local_time(ms), i18n.lang.get(), today());
            view! {
                <p class="kiosk-age" data-testid="kiosk-age">
                    {i18n.t_args("kiosk-updated", &[("when", Arg::Str(&when))])}
                </p>
            }
        })
    }
}

/// The idle warning, the exit corner and the PIN dialog, drawn over the
/// pages while someone browses.
#[component]
fn KioskDialogs() -> impl IntoView {
    let kiosk = use_kiosk();
    view! {
        <ExitCorner />
        {move || match kiosk.screen.get() {
            Some(Screen::Warning { .. }) => view! { <IdleWarning /> }.into_any(),
            Some(Screen::ExitPin) => view! { <PinDialog /> }.into_any(),
            _ => ().into_any(),
        }}
    }
}

/// The warning before a reset (WCAG 2.2.1): a countdown of at least 20
/// seconds and a large "Continue". It takes focus when it opens; any touch
/// or key anywhere continues the visit, so the button is the obvious way
/// rather than the only one.
#[component]
fn IdleWarning() -> impl IntoView {
    let i18n = use_i18n();
    let kiosk = use_kiosk();
    let button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = button.get() {
            let _ = button.focus();
        }
    });
    view! {
        <div class="kiosk-backdrop">
            <div
                role="alertdialog"
                aria-modal="true"
                aria-labelledby="idle-title"
                aria-describedby="idle-countdown"
                class="kiosk-dialog"
                data-testid="idle-warning"
            >
                <h2 id="idle-title">{i18n.t("kiosk-idle-title")}</h2>
                <p id="idle-countdown" data-testid="idle-countdown">
                    {move || {
                        let left = kiosk.seconds_left.get().unwrap_or_default();
                        i18n.t_args("kiosk-idle-countdown", &[("seconds", Arg::Num(left.into()))])
                    }}
                </p>
                <button type="button" class="primary big" node_ref=button>
                    {i18n.t("kiosk-idle-continue")}
                </button>
            </div>
        </div>
    }
}

/// The corner a coordinator presses for about two seconds to leave kiosk
/// mode. It is not a control visitors are meant to find, so it is hidden
/// from assistive technology; the PIN it leads to is the real lock.
#[component]
fn ExitCorner() -> impl IntoView {
    let kiosk = use_kiosk();
    view! {
        <div
            class="kiosk-corner"
            aria-hidden="true"
            data-testid="kiosk-exit-corner"
            on:pointerdown=move |_| kiosk.press_start()
            on:pointerup=move |_| kiosk.press_end()
            on:pointercancel=move |_| kiosk.press_end()
            on:pointerleave=move |_| kiosk.press_end()
            on:contextmenu=move |ev| ev.prevent_default()
        ></div>
    }
}

/// Asks for the exit PIN; the core counts wrong PINs and locks the exit
/// for a minute after the third.
#[component]
fn PinDialog() -> impl IntoView {
    let i18n = use_i18n();
    let kiosk = use_kiosk();
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = input.get() {
            let _ = input.focus();
        }
    });
    let status = move || match kiosk.pin_status.get() {
        Some(PinStatus::Locked { seconds_left }) => Some(i18n.t_args(
            "kiosk-pin-locked",
            &[("seconds", Arg::Num(seconds_left.into()))],
        )),
        Some(PinStatus::Open { tries_left }) if tries_left < talkoo_core::kiosk::MAX_WRONG_PINS => {
            Some(i18n.t_args("kiosk-pin-wrong", &[("tries", Arg::Num(tries_left.into()))]))
        }
        _ => None,
    };
    let locked = move || matches!(kiosk.pin_status.get(), Some(PinStatus::Locked { .. }));
    view! {
        <div class="kiosk-backdrop">
            <div
                role="dialog"
                aria-modal="true"
                aria-labelledby="pin-title"
                class="kiosk-dialog"
                data-testid="pin-dialog"
                on:keydown=move |ev| {
                    if ev.key() == "Escape" {
                        kiosk.cancel_exit();
                    }
                }
            >
                <h2 id="pin-title">{i18n.t("kiosk-pin-title")}</h2>
                <form on:submit=move |ev| {
                    ev.prevent_default();
                    if let Some(field) = input.get_untracked() {
                        kiosk.try_pin(&field.value());
                        field.set_value("");
                    }
                }>
                    <label for="kiosk-pin">{i18n.t("kiosk-pin-label")}</label>
                    <input
                        id="kiosk-pin"
                        type="password"
                        inputmode="numeric"
                        autocomplete="off"
                        aria-describedby="pin-status"
                        node_ref=input
                    />
                    <p id="pin-status" role="status" data-testid="pin-status">{status}</p>
                    {move || kiosk.exit_error.get().map(|reason| view! {
                        <p role="alert">{i18n.t_args("kiosk-exit-failed", &[("reason", Arg::Str(&reason))])}</p>
                    })}
                    <div class="actions">
                        <button type="submit" class="primary" disabled=locked>{i18n.t("kiosk-pin-submit")}</button>
                        <button type="button" on:click=move |_| kiosk.cancel_exit()>{i18n.t("kiosk-pin-cancel")}</button>
                    </div>
                </form>
            </div>
        </div>
    }
}
