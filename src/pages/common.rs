//! Small pieces the catalogue pages share: feed text in the best language and a note when it is not the UI's, municipality and language names, sync status, demo notice, and the way back to a list as it was.

use std::collections::BTreeMap;

use leptos::prelude::*;
use talkoo_core::catalogue::{shown_count, SHOWN_PARAM};
use talkoo_core::i18n::Arg;
use talkoo_core::model::{pick, LangText};
use talkoo_core::Lang;

use crate::catalogue::use_catalogue;
use crate::i18n::{use_i18n, UseI18nReturn};
use crate::pwa::{app_href, base_path};
use crate::router::{query_string, use_location, use_navigate, use_query_map, NavigateOptions};

/// Feed text in the best language for the UI, and the language tag to put
/// in `lang` when it is not the UI's own.
pub fn localized(text: &LangText, lang: Lang) -> (String, Option<String>) {
    match pick(text, lang.tag()) {
        Some((tag, value)) => (
            value.to_owned(),
            (tag != lang.tag()).then(|| tag.to_owned()),
        ),
        None => (String::new(), None),
    }
}

/// Feed text as plain text (never HTML), marked with its language.
#[component]
pub fn Text(#[prop(into)] text: Signal<LangText>) -> impl IntoView {
    let i18n = use_i18n();
    let parts = move || localized(&text.get(), i18n.lang.get());
    view! { <span lang=move || parts().1>{move || parts().0}</span> }
}

/// Says that feed text is shown in another language than the UI's ("på
/// finska"), given the tag `localized` returned; nothing when the text is
/// in the UI's language.
#[component]
pub fn ShownIn(#[prop(into)] tag: Signal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        tag.get().map(|tag| {
            let note = i18n.t_args("shown-in-language", &[("lang", Arg::Str(&tag))]);
            view! { <span class="tag lang-note" data-testid="shown-in">{note}</span> }
        })
    }
}

/// The list pages whose search and filters a [`BackLink`] brings back.
const LISTS: [&str; 3] = ["/", "/places", "/events"];

/// The query string each list page had when it was last on screen.
#[derive(Debug, Clone, Copy)]
struct ListQueries(RwSignal<BTreeMap<&'static str, String>>);

/// A path as the routes see it: without the app's base (a sub-path when
/// the app is served from one), `/` for the front page.
pub fn app_route(path: &str) -> &str {
    let route = path.strip_prefix(base_path().as_str()).unwrap_or(path);
    if route.is_empty() {
        "/"
    } else {
        route
    }
}

/// Remembers the search and filters of each list page as the address
/// changes, for [`BackLink`]. Called once, inside the router.
pub fn provide_list_queries() {
    let queries = RwSignal::new(BTreeMap::new());
    let location = use_location();
    // The browser's history is the outside world: what a list showed
    // before the user opened a card cannot be derived from the card's
    // address, so it is recorded as the address changes.
    Effect::new(move |_| {
        let path = location.pathname.get();
        let search = location.search.get();
        if let Some(list) = LISTS.into_iter().find(|list| *list == app_route(&path)) {
            queries.update(|q| {
                q.insert(list, search);
            });
        }
    });
    provide_context(ListQueries(queries));
}

/// A link back to a list page with the search and filters it had when the
/// user left it, for the top of a card, a place or an event page.
///
/// `to` is the list's route: `"/"` (search, "Back to the results"),
/// `"/places"` or `"/events"`; the label follows from it. Usage:
/// `<BackLink to="/events" />`. A page opened directly (a shared link, a
/// reload) gets the list without filters.
#[component]
pub fn BackLink(to: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let queries = use_context::<ListQueries>();
    let label = match to {
        "/places" => "back-to-places",
        "/events" => "back-to-events",
        _ => "back-to-catalogue",
    };
    let href = move || {
        let query = queries
            .and_then(|q| q.0.with(|m| m.get(to).cloned()))
            .unwrap_or_default();
        if query.is_empty() {
            app_href(to)
        } else {
            format!("{}?{query}", app_href(to))
        }
    };
    view! {
        <p class="back">
            <a href=href data-testid="back-link"><span aria-hidden="true">"←"</span>{i18n.t(label)}</a>
        </p>
    }
}

/// How many entries of a long list (events, places, associations) are
/// drawn at first, and how many more each "Show more" draws: a region of
/// thousands would otherwise hold a phone for seconds.
const LIST_PAGE: usize = 50;

/// The most pages a `shown` address may ask for at once.
const LIST_MAX_PAGES: usize = 20;

/// A long list drawn a page at a time ([`use_shown`]).
#[derive(Clone, Copy, Debug)]
pub struct UseShownReturn {
    /// How many entries to draw.
    pub shown: Memo<usize>,
    /// Draws a page more.
    pub more: Callback<()>,
}

/// How many entries of the list at `path` are drawn: the number lives in
/// the address (`shown`, as on the front page), so a way back from an
/// entry's page, or a reload, shows as many as before.
pub fn use_shown(path: &'static str) -> UseShownReturn {
    let params = use_query_map();
    let shown = Memo::new(move |_| {
        params.with(|p| shown_count(p.get_str(SHOWN_PARAM), LIST_PAGE, LIST_MAX_PAGES))
    });
    let navigate = use_navigate();
    let more = Callback::new(move |()| {
        let more = (shown.get_untracked() + LIST_PAGE).to_string();
        navigate(
            &format!("{}{}", app_href(path), query_string([(SHOWN_PARAM, more)])),
            NavigateOptions {
                replace: true,
                scroll: false,
            },
        );
    });
    UseShownReturn { shown, more }
}

/// "Show more (N left)" under a list drawn a page at a time; hidden, not
/// left out, when all are drawn, so that no view of its own is built.
#[component]
pub fn ShowMore(
    /// How many entries the list has.
    #[prop(into)]
    total: Signal<usize>,
    /// How many are drawn, when that may be more than the list's `shown`.
    #[prop(optional, into)]
    drawn: Option<Signal<usize>>,
    /// The list's [`use_shown`].
    list: UseShownReturn,
) -> impl IntoView {
    let i18n = use_i18n();
    let drawn = drawn.unwrap_or_else(|| list.shown.into());
    let left = move || total.get().saturating_sub(drawn.get());
    view! {
        <button type="button" class="more" hidden=move || left() == 0 on:click=move |_| list.more.run(())>
            {move || i18n.t_args("results-more", &[("count", Arg::Num(left() as f64))])}
        </button>
    }
}

/// A municipality's name from the manifest, or its code.
pub fn municipality_name(code: &str, lang: Lang) -> String {
    let manifest = use_catalogue().manifest.get_untracked();
    municipality_name_in(manifest.as_deref(), code, lang)
}

/// A municipality's name from `manifest`, or its code: for code that has
/// the manifest in hand rather than the catalogue's context (the kiosk
/// screens in the badges module).
pub fn municipality_name_in(
    manifest: Option<&talkoo_core::feed::ManifestView>,
    code: &str,
    lang: Lang,
) -> String {
    manifest
        .into_iter()
        .flat_map(|m| &m.regions)
        .flat_map(|r| &r.municipalities)
        .find(|mu| mu.code == code)
        .map(|mu| localized(&mu.name, lang).0)
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| code.to_owned())
}

/// A language's name in the UI language, or its tag when unknown.
pub fn language_name(i18n: UseI18nReturn, tag: &str) -> String {
    let key = format!("language-{tag}");
    let name = i18n.t_now(&key);
    if name == key {
        tag.to_owned()
    } else {
        name
    }
}

/// "Data from 3 days ago", a progress bar while syncing, the error in
/// plain words when the last sync failed, and the "Update now" button once
/// a region is chosen (before that there is nothing to update: the region
/// picker has its own "Try again"), or when the chosen regions could not be
/// read (trying again may read them). On a phone it is one line, the button
/// saying only "Update".
#[component]
pub fn SyncBar() -> impl IntoView {
    let i18n = use_i18n();
    let cat = use_catalogue();
    let status = cat.status;
    let age = move || {
        let s = status.get();
        // Before a region is chosen only the list of regions has been
        // fetched; "updated just now" would claim data the device lacks.
        let chosen = cat.subscribed.with(Option::is_some);
        let Some(at) = s.last_success.filter(|_| chosen) else {
            // A first sync lists a region before it has built its search
            // index, and the region is on the device by then.
            let indexing = cat
                .catalogue
                .with(|c| !c.searchable() && c.region_versions().any(|(_, v)| !v.is_empty()));
            return i18n.t_now(if indexing {
                "sync-indexing"
            } else {
                "sync-never"
            });
        };
        let minutes = ((js_sys::Date::now() - at) / 60_000.0).max(0.0).floor();
        let (key, n) = if minutes < 1.0 {
            ("sync-age-now", 0.0)
        } else if minutes < 60.0 {
            ("sync-age-minutes", minutes)
        } else if minutes < 48.0 * 60.0 {
            ("sync-age-hours", (minutes / 60.0).floor())
        } else {
            ("sync-age-days", (minutes / 1440.0).floor())
        };
        i18n.t_args(key, &[("n", Arg::Num(n))])
    };
    view! {
        <section class="sync-bar" aria-label=i18n.t("sync-heading") data-testid="sync-bar" data-syncs=move || status.get().finished.to_string()>
            <p class="sync-age" data-testid="sync-age">{age}</p>
            {move || {
                status.get().progress.filter(|p| p.total > 0).map(|p| {
                    let label = i18n.t_args(
                        "sync-progress",
                        &[("done", Arg::Num((p.done / 1024) as f64)), ("total", Arg::Num((p.total / 1024) as f64))],
                    );
                    view! {
                        <label class="progress">
                            {label}
                            <progress max=p.total.to_string() value=p.done.to_string()></progress>
                        </label>
                    }
                })
            }}
            {move || {
                status.get().error.map(|e| {
                    let detail = e.to_string();
                    // Before a region is chosen nothing was downloaded
                    // that could still be in use.
                    let old = cat
                        .subscribed
                        .with(Option::is_some)
                        .then(|| format!(" {}", i18n.t_now("sync-error-old-data")));
                    view! {
                        <p class="error" role="alert" data-testid="sync-error">
                            {i18n.t_now(e.message_key())} {old}
                            <span class="detail" lang="en">{detail}</span>
                        </p>
                    }
                })
            }}
            {move || {
                status.get().store_error.map(|e| {
                    let detail = e.to_string();
                    view! {
                        <p class="error" role="alert" data-testid="store-error">
                            {i18n.t_now("store-error-read")}
                            <span class="detail" lang="en">{detail}</span>
                        </p>
                    }
                })
            }}
            <Show when=move || cat.subscribed.with(Option::is_some) || status.with(|s| s.store_error.is_some())>
                <button
                    type="button"
                    data-testid="sync-now"
                    on:click=move |_| cat.sync_now.run(())
                    disabled=move || status.get().running
                >
                    {move || {
                        if status.get().running {
                            view! { <span>{i18n.t_now("sync-running")}</span> }.into_any()
                        } else {
                            // Only one of the two is displayed (CSS), so the
                            // button's name is the label one sees.
                            view! {
                                <span class="wide-only">{i18n.t_now("sync-now")}</span>
                                <span class="narrow-only">{i18n.t_now("sync-now-short")}</span>
                            }
                                .into_any()
                        }
                    }}
                </button>
            </Show>
        </section>
    }
}

/// Says plainly that the data is made up, when the feed says so.
#[component]
pub fn DemoNotice() -> impl IntoView {
    let i18n = use_i18n();
    let cat = use_catalogue();
    view! {
        <Show when=move || cat.manifest.get().is_some_and(|m| m.demo)>
            <p class="demo-notice" data-testid="demo-notice">{i18n.t("demo-notice")}</p>
        </Show>
    }
}

/// A file input in the app's language. The browser's own file button
/// speaks the browser's language ("Choose File / No file chosen"), so the
/// input is hidden from sight, stays focusable, and a label in the app's
/// language opens it; the chosen file's name is shown beside it. The input
/// is emptied after each pick so that the same file can be picked again.
/// Only the badges module uses it.
#[cfg(feature = "badges-module")]
#[component]
pub fn FilePicker(
    id: &'static str,
    label_key: &'static str,
    accept: &'static str,
    hint_id: &'static str,
    #[prop(into)] disabled: Signal<bool>,
    on_file: Callback<web_sys::File>,
) -> impl IntoView {
    let i18n = use_i18n();
    let chosen = RwSignal::new(None::<String>);
    let (label_id, choose_id, chosen_id) = (
        format!("{id}-label"),
        format!("{id}-choose"),
        format!("{id}-chosen"),
    );
    view! {
        <p class="label" id=label_id.clone()>{i18n.t(label_key)}</p>
        <div class="file-picker">
            <input
                id=id
                class="visually-hidden"
                type="file"
                accept=accept
                disabled=disabled
                aria-labelledby=format!("{label_id} {choose_id}")
                aria-describedby=format!("{chosen_id} {hint_id}")
                on:change=move |ev| {
                    let input: web_sys::HtmlInputElement = event_target(&ev);
                    if let Some(file) = input.files().and_then(|f| f.get(0)) {
                        chosen.set(Some(file.name()));
                        on_file.run(file);
                    }
                    input.set_value("");
                }
            />
            <label for=id id=choose_id class="button-link">{i18n.t("file-choose")}</label>
            <span id=chosen_id>{move || chosen.get().unwrap_or_else(|| i18n.t_now("file-none-chosen"))}</span>
        </div>
    }
}

/// A phone number or e-mail address: a link that opens the phone or mail
/// app, except on a kiosk, where such a link would open an app on a shared
/// device, so the address is shown as text to note down (an `<a>` without
/// `href` is no link: not focusable, no link role). There the link goes in
/// `data-kiosk-contact` instead, where the kiosk's "Take this page with
/// you" (the badges module) finds it and shows it as a QR code.
#[component]
pub fn ContactLink(
    href: String,
    text: String,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView {
    let (href, contact) = if crate::kiosk_host::is_kiosk() {
        (None, Some(href))
    } else {
        (Some(href), None)
    };
    let kiosk = contact.is_some();
    view! {
        <a href=href data-kiosk-contact=contact class:contact-text=kiosk data-testid=testid>{text}</a>
    }
}

/// What a card's, an event's or a place's page shows while the stored
/// catalogue lacks its record. A link from elsewhere (a kiosk's QR code,
/// a message) often reaches a phone that has chosen no region yet: the
/// page then offers the region picker in place, and shows the record once
/// the chosen region is downloaded. While the stored catalogue is being
/// read or a sync runs, it says so rather than "not found"; otherwise it
/// is `children`, the page's own "not found".
#[component]
pub fn Missing(
    /// The section's title, shown while reading.
    section_key: &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    let i18n = use_i18n();
    let cat = use_catalogue();
    let state = Memo::new(move |_| {
        let chosen = cat.subscribed.with(Option::is_some);
        cat.status.with(|s| {
            if !s.loaded || (s.running && chosen) {
                0
            } else if !chosen && s.store_error.is_none() {
                1
            } else {
                2
            }
        })
    });
    move || match state.get() {
        0 => view! {
            <super::Page title_key=section_key>
                <p role="status" data-testid="record-loading">{i18n.t("event-loading")}</p>
            </super::Page>
        }
        .into_any(),
        1 => view! {
            <super::Page title_key="record-choose-region-title">
                <p>{i18n.t("record-choose-region")}</p>
                <super::catalogue::RegionPicker on_page=true />
                // As on the front page: only until the list of regions is
                // there, so the list does not push the bar down.
                <Show when=move || cat.manifest.with(Option::is_none)>
                    <SyncBar />
                </Show>
            </super::Page>
        }
        .into_any(),
        _ => children().into_any(),
    }
}
