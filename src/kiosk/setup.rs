//! Setting a kiosk up: the page a set-up link opens (`/kiosk/setup?…`), which says in plain words what the link sets up or what is wrong with it, and the form in Settings that makes such a link; both drawn by the badges module in an element the shell lends.
//!
//! The places and municipalities are read from the store (`feed.rs`), the
//! address comes from the shell's route ([`use_badge_route`]).

use leptos::prelude::*;
use talkoo_core::i18n::Arg;
use talkoo_core::kiosk::{Draft, KioskFeed, KioskSettings, Problem, SALT_LEN};
use talkoo_core::Lang;

use super::use_kiosk_feed;
use crate::badges::module::use_badge_route;
use crate::i18n::use_i18n;
use crate::pages::Page;
use crate::pwa::base_href;
use crate::storage::use_store;

/// A municipality's name as the shell's feed has it, or its code.
fn municipality_name(feed: Signal<KioskFeed>, code: &str) -> String {
    feed.with(|f| {
        f.municipalities
            .iter()
            .find(|(known, _)| known == code)
            .map_or_else(|| code.to_owned(), |(_, name)| name.clone())
    })
}

/// The problems of a link or form, each in the user's words.
#[component]
fn Problems(problems: Vec<Problem>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="error" data-testid="kiosk-problems">
            {problems
                .into_iter()
                .map(|p| view! { <li>{i18n.t(p.key())}</li> })
                .collect_view()}
        </ul>
    }
}

/// What settings set up, in plain words: the place, the municipalities,
/// the languages and the times.
#[component]
fn Summary(settings: KioskSettings) -> impl IntoView {
    let i18n = use_i18n();
    let feed = use_kiosk_feed();
    let place = settings.place.clone();
    let place_text = move || {
        place.as_ref().map(|id| {
            feed.with(|f| {
                f.places
                    .iter()
                    .find(|(known, _)| known == id)
                    .map(|(_, name)| name.clone())
            })
            .unwrap_or_else(|| i18n.t_args("kiosk-place-unknown", &[("id", Arg::Str(id))]))
        })
    };
    let municipalities = settings.municipalities.clone();
    let municipality_text = move || {
        municipalities
            .iter()
            .map(|code| municipality_name(feed, code))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let langs = settings
        .langs
        .iter()
        .map(|l| l.native_name())
        .collect::<Vec<_>>()
        .join(", ");
    let (idle, warning) = (settings.idle_s, settings.warning_s);
    let has_municipalities = !settings.municipalities.is_empty();
    let public = settings.public.clone();
    view! {
        <dl class="facts" data-testid="kiosk-summary">
            {move || place_text().map(|text| view! {
                <dt>{i18n.t("kiosk-place")}</dt>
                <dd>{text}</dd>
            })}
            {has_municipalities.then(|| view! {
                <dt>{i18n.t("kiosk-municipalities")}</dt>
                <dd>{municipality_text}</dd>
            })}
            <dt>{i18n.t("kiosk-languages")}</dt>
            <dd>{langs}</dd>
            <dt>{i18n.t("kiosk-idle")}</dt>
            <dd>{move || i18n.t_args("kiosk-seconds", &[("seconds", Arg::Num(idle.into()))])}</dd>
            <dt>{i18n.t("kiosk-warning")}</dt>
            <dd>{move || i18n.t_args("kiosk-seconds", &[("seconds", Arg::Num(warning.into()))])}</dd>
            {public.map(|public| view! {
                <dt>{i18n.t("kiosk-public-shown")}</dt>
                <dd>{public}</dd>
            })}
        </dl>
    }
}

/// The button that stores the settings and reloads into kiosk mode, with
/// the failure in plain words.
#[component]
fn EnterButton(settings: KioskSettings) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let failed = RwSignal::new(None::<String>);
    let entering = RwSignal::new(false);
    let settings = StoredValue::new(settings);
    view! {
        <button
            type="button"
            class="primary"
            disabled=move || entering.get()
            on:click=move |_| {
                entering.set(true);
                let settings = settings.get_value();
                leptos::task::spawn_local(async move {
                    if let Err(reason) = super::enter(store, settings).await {
                        failed.set(Some(reason));
                        entering.set(false);
                    }
                });
            }
        >
            {i18n.t("kiosk-enter")}
        </button>
        {move || failed.get().map(|reason| view! {
            <p role="alert" class="error">{i18n.t_args("kiosk-save-failed", &[("reason", Arg::Str(&reason))])}</p>
        })}
    }
}

/// `/kiosk/setup?…`: what the link will set up, or every problem it has.
/// A device that is already a kiosk refuses it, so a visitor cannot change
/// a kiosk with a link of their own.
#[component]
pub fn KioskSetupPage() -> impl IntoView {
    let i18n = use_i18n();
    let route = use_badge_route();
    let read = Memo::new(move |_| KioskSettings::from_setup_query(&route.query.get()));
    view! {
        <Page title_key="kiosk-setup-title">
            {move || match read.get() {
                Ok(settings) => view! {
                    <p>{i18n.t("kiosk-setup-intro")}</p>
                    <Summary settings=settings.clone() />
                    <p class="hint">{i18n.t("kiosk-setup-exit-hint")}</p>
                    <EnterButton settings=settings />
                }
                .into_any(),
                Err(problems) => view! {
                    <p role="alert">{i18n.t("kiosk-setup-problems")}</p>
                    <Problems problems=problems />
                }
                .into_any(),
            }}
        </Page>
    }
}

fn random_salt() -> [u8; SALT_LEN] {
    let mut salt = [0u8; SALT_LEN];
    let filled = window()
        .crypto()
        .is_ok_and(|c| c.get_random_values_with_u8_array(&mut salt).is_ok());
    if !filled {
        // A salt need not be secret, only differ between kiosks; where
        // getRandomValues is missing, Math.random still does that.
        for b in &mut salt {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    salt
}

/// The form's outcome: the settings and their link, or what is wrong.
#[derive(Debug, Clone, PartialEq)]
enum Made {
    Link(KioskSettings),
    Problems(Vec<Problem>),
    PinsDiffer,
}

/// Settings → "Use this device as a kiosk" (the shell draws the section's
/// heading and introduction): the place, municipalities, languages, idle
/// time and exit PIN; the set-up link to copy or print, and the button
/// that makes this device the kiosk.
#[component]
pub fn KioskSection() -> impl IntoView {
    let i18n = use_i18n();
    let feed = use_kiosk_feed();
    let place = RwSignal::new(String::new());
    let municipalities = RwSignal::new(Vec::<String>::new());
    let langs = RwSignal::new(Lang::ALL.to_vec());
    let idle = RwSignal::new(talkoo_core::kiosk::DEFAULT_IDLE_S.to_string());
    let pin = RwSignal::new(String::new());
    let pin_again = RwSignal::new(String::new());
    let public = RwSignal::new(String::new());
    let made = RwSignal::new(None::<Made>);
    // The places come already in the language's order.
    let places = Memo::new(move |_| feed.with(|f| f.places.clone()));
    let all_municipalities = Memo::new(move |_| feed.with(|f| f.municipalities.clone()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pin.get_untracked() != pin_again.get_untracked() {
            made.set(Some(Made::PinsDiffer));
            return;
        }
        let draft = Draft {
            place: Some(place.get_untracked()).filter(|p| !p.is_empty()),
            municipalities: municipalities.get_untracked(),
            langs: langs.get_untracked(),
            // A number that does not parse is out of range, as the core says.
            idle_s: idle.get_untracked().trim().parse().unwrap_or(0),
            warning_s: talkoo_core::kiosk::DEFAULT_WARNING_S,
            pin: pin.get_untracked(),
            public: Some(public.get_untracked()),
        };
        made.set(Some(match draft.build(random_salt()) {
            Ok(settings) => Made::Link(settings),
            Err(problems) => Made::Problems(problems),
        }));
    };
    view! {
        <form on:submit=submit>
            <label for="kiosk-place">{i18n.t("kiosk-place")}</label>
            <select id="kiosk-place" on:change=move |ev| place.set(event_target_value(&ev))>
                <option value="">{i18n.t("kiosk-place-none")}</option>
                {move || places.get().into_iter().map(|(id, name)| {
                    let selected = place.get_untracked() == id;
                    view! { <option value=id selected=selected>{name}</option> }
                }).collect_view()}
            </select>
            <fieldset>
                <legend>{i18n.t("kiosk-municipalities")}</legend>
                {move || {
                    all_municipalities.get().into_iter().map(|(code, name)| {
                        let checked_code = code.clone();
                        view! {
                            <label class="choice">
                                <input
                                    type="checkbox"
                                    prop:checked=move || municipalities.with(|m| m.contains(&checked_code))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        municipalities.update(|m| {
                                            m.retain(|c| c != &code);
                                            if on { m.push(code.clone()); }
                                        });
                                    }
                                />
                                {name}
                            </label>
                        }
                    }).collect_view()
                }}
            </fieldset>
            <fieldset>
                <legend>{i18n.t("kiosk-languages")}</legend>
                <p class="hint">{i18n.t("kiosk-languages-hint")}</p>
                {Lang::ALL.into_iter().map(|lang| view! {
                    <label class="choice">
                        <input
                            type="checkbox"
                            prop:checked=move || langs.with(|l| l.contains(&lang))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                langs.update(|l| {
                                    l.retain(|x| *x != lang);
                                    if on { l.push(lang); }
                                    // The order is always fi, sv, en, so the
                                    // first ticked is the home language.
                                    l.sort_by_key(|x| Lang::ALL.iter().position(|y| y == x));
                                });
                            }
                        />
                        <span lang=lang.tag()>{lang.native_name()}</span>
                    </label>
                }).collect_view()}
            </fieldset>
            <label for="kiosk-idle">{i18n.t("kiosk-idle")}</label>
            <input
                id="kiosk-idle"
                type="text"
                inputmode="numeric"
                aria-describedby="kiosk-idle-hint"
                prop:value=move || idle.get()
                on:input=move |ev| idle.set(event_target_value(&ev))
            />
            <p id="kiosk-idle-hint" class="hint">{i18n.t("kiosk-idle-hint")}</p>
            <label for="kiosk-public">{i18n.t("kiosk-public")}</label>
            // Text, not `url`: the browser's own check would speak the
            // browser's language; the core's answers in the app's.
            <input
                id="kiosk-public"
                type="text"
                inputmode="url"
                autocomplete="off"
                autocapitalize="off"
                spellcheck="false"
                aria-describedby="kiosk-public-hint"
                prop:value=move || public.get()
                on:input=move |ev| public.set(event_target_value(&ev))
            />
            <p id="kiosk-public-hint" class="hint">{i18n.t("kiosk-public-hint")}</p>
            <label for="kiosk-pin-new">{i18n.t("kiosk-pin-new")}</label>
            <input
                id="kiosk-pin-new"
                type="password"
                inputmode="numeric"
                autocomplete="new-password"
                prop:value=move || pin.get()
                on:input=move |ev| pin.set(event_target_value(&ev))
            />
            <label for="kiosk-pin-again">{i18n.t("kiosk-pin-again")}</label>
            <input
                id="kiosk-pin-again"
                type="password"
                inputmode="numeric"
                autocomplete="new-password"
                prop:value=move || pin_again.get()
                on:input=move |ev| pin_again.set(event_target_value(&ev))
            />
            <div class="actions">
                <button type="submit">{i18n.t("kiosk-make-link")}</button>
            </div>
        </form>
        {move || made.get().map(|made| match made {
            Made::PinsDiffer => view! { <p role="alert" class="error">{i18n.t("kiosk-pins-differ")}</p> }.into_any(),
            Made::Problems(problems) => view! {
                <div role="alert"><Problems problems=problems /></div>
            }.into_any(),
            Made::Link(settings) => {
                let link = settings.setup_link(&base_href());
                view! {
                    <label for="kiosk-link">{i18n.t("kiosk-link")}</label>
                    <textarea id="kiosk-link" readonly rows="4" data-testid="kiosk-link" aria-describedby="kiosk-link-hint">{link}</textarea>
                    <p id="kiosk-link-hint" class="hint">{i18n.t("kiosk-link-hint")}</p>
                    <Summary settings=settings.clone() />
                    <EnterButton settings=settings />
                }.into_any()
            }
        })}
    }
}
