//! The front page: the first-run region choice, then search and filters over the catalogue, all kept in the URL.
//!
//! On a phone the search box and the first results fit on the first
//! screen (issue 10): the intro and the sync bar are one line each, and the
//! filters fold into one "Filter (2)" button that counts the active ones.

use std::collections::BTreeSet;
use std::sync::Arc;

use leptos::prelude::*;
use talkoo_core::catalogue::{shown_count, Catalogue, Query, SHOWN_PARAM};
use talkoo_core::i18n::Arg;
use talkoo_core::model::{Service, ServiceKind, ServiceRole, TargetGroup};
use talkoo_core::{collate, html, Lang};

use super::common::{
    language_name, localized, municipality_name, DemoNotice, ShownIn, SyncBar, Text,
};
use super::Page;
use crate::browser::yield_now;
use crate::catalogue::use_catalogue;
use crate::i18n::{use_i18n, UseI18nReturn};
use crate::pwa::app_href;
use crate::router::{query_string, use_navigate, use_query_map, NavigateOptions};

/// How many results are drawn at first; more on request, so a broad search
/// over tens of thousands of cards stays fast on a cheap phone.
const PAGE_SIZE: usize = 50;

/// The most pages a `shown` address may ask for at once.
const MAX_PAGES: usize = 20;

/// How many results are drawn with the page, before it is painted (see
/// `SearchView`): more than a kiosk's screen shows, at some 8rem each.
const DRAWN_AT_ONCE: usize = 12;

/// Waits until the browser has painted what the page holds now. A frame's
/// callbacks run before its paint, so a task queued in one runs after.
async fn after_paint() {
    let (painted, paint) = futures_channel::oneshot::channel();
    request_animation_frame(move || {
        let _ = painted.send(());
    });
    let _ = paint.await;
    yield_now().await;
}

/// The front page. Nothing below the intro is drawn until the stored
/// catalogue has been read, and on the first run the region picker comes
/// first, with the demo notice inside it; the sync bar below it, which
/// offers no "Update now" until a region is chosen, shows only until the
/// list of regions is there (it says why it is not, or that it is being
/// fetched). So nothing on the page moves as the app finds out what it has
/// (issue 13: the notice and the list arriving above the bar shifted the
/// first screen by a third of its height).
#[component]
pub fn CataloguePage() -> impl IntoView {
    let i18n = use_i18n();
    let cat = use_catalogue();
    let loaded = Memo::new(move |_| cat.status.with(|s| s.loaded));
    let chosen = Memo::new(move |_| cat.subscribed.with(Option::is_some));
    // Not a first run when what was chosen could not be read: the picker
    // would pretend nothing was (the error is in the sync bar).
    let unreadable = Memo::new(move |_| cat.status.with(|s| s.store_error.is_some()));
    let first_run = Memo::new(move |_| loaded.get() && !chosen.get() && !unreadable.get());
    let listed = Memo::new(move |_| cat.manifest.with(Option::is_some));
    view! {
        <Page title_key="catalogue-title">
            // Whole, as index.html paints it, until there are results to
            // make room for.
            <p class="intro" class:first-run=move || !loaded.get() || first_run.get()>{i18n.t("catalogue-intro")}</p>
            // Only after an update that changed how regions are stored: the
            // first screen waits for seconds, and says why.
            <Show when=move || cat.status.with(|s| s.rebuilding)>
                <p role="status" data-testid="catalogue-rebuilding">{i18n.t("catalogue-rebuilding")}</p>
            </Show>
            <Show when=move || loaded.get() && !first_run.get()>
                <DemoNotice />
            </Show>
            <Show when=move || first_run.get()>
                <RegionPicker />
            </Show>
            <Show when=move || loaded.get() && !(first_run.get() && listed.get())>
                <SyncBar />
            </Show>
            <Show when=move || loaded.get() && chosen.get()>
                <SearchView />
            </Show>
        </Page>
    }
}

/// First run: which regions to keep on this device, and optionally the
/// home municipality, which becomes the default filter. `on_page` is the
/// picker on a card's, event's or place's page reached by a link: the page
/// stays, so it asks no municipality (the front page's filter).
#[component]
pub(crate) fn RegionPicker(#[prop(optional)] on_page: bool) -> impl IntoView {
    let i18n = use_i18n();
    let cat = use_catalogue();
    let chosen = RwSignal::new(BTreeSet::<String>::new());
    let municipality = RwSignal::new(String::new());
    let navigate = use_navigate();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let regions = chosen.get_untracked();
        if regions.is_empty() {
            return;
        }
        // The picker, and the button pressed with it, give way to the
        // catalogue or the page.
        crate::app::focus_main_in_place();
        cat.subscribe.run(regions);
        let m = municipality.get_untracked();
        if !m.is_empty() {
            navigate(
                &format!("{}{}", app_href("/"), query_string([("m", m)])),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    };
    view! {
        <section aria-labelledby="picker-title" class="picker">
            <h2 id="picker-title">{i18n.t("region-picker-title")}</h2>
            {move || match cat.manifest.get() {
                None => {
                    let running = cat.status.get().running;
                    let key = if running { "region-picker-loading" } else { "region-picker-offline" };
                    view! {
                        <p data-testid="region-picker-waiting">{i18n.t_now(key)}</p>
                        {(!running).then(|| view! {
                            <p>
                                <button type="button" on:click=move |_| cat.sync_now.run(())>
                                    {i18n.t("region-picker-retry")}
                                </button>
                            </p>
                        })}
                    }
                        .into_any()
                }
                Some(manifest) => {
                    let regions = manifest.regions.clone();
                    let municipalities = manifest.regions.clone();
                    view! {
                        <DemoNotice />
                        <form on:submit=save.clone()>
                            <fieldset>
                                <legend>{i18n.t("region-picker-legend")}</legend>
                                {regions
                                    .into_iter()
                                    .map(|region| {
                                        let id = region.id.clone();
                                        let toggle_id = id.clone();
                                        view! {
                                            <label class="choice">
                                                <input
                                                    type="checkbox"
                                                    name="region"
                                                    value=id.clone()
                                                    on:change=move |ev| {
                                                        let on = event_target_checked(&ev);
                                                        chosen.update(|c| {
                                                            if on {
                                                                c.insert(toggle_id.clone());
                                                            } else {
                                                                c.remove(&toggle_id);
                                                            }
                                                        });
                                                    }
                                                />
                                                <Text text=region.name.clone() />
                                            </label>
                                        }
                                    })
                                    .collect_view()}
                            </fieldset>
                            {(!on_page).then(|| view! {
                            <label for="home-municipality">{i18n.t("region-picker-municipality")}</label>
                            <select
                                id="home-municipality"
                                on:change=move |ev| municipality.set(event_target_value(&ev))
                            >
                                <option value="">{i18n.t("filter-any")}</option>
                                {move || {
                                    let lang = i18n.lang.get();
                                    municipalities
                                        .iter()
                                        .filter(|r| chosen.get().contains(&r.id))
                                        .flat_map(|r| r.municipalities.clone())
                                        .map(|m| view! { <option value=m.code.clone()>{localized(&m.name, lang).0}</option> })
                                        .collect_view()
                                }}
                            </select>
                            })}
                            // Sticky on a phone, so the button is on the first
                            // screen however many regions there are; when it
                            // is disabled, the text beside it says why.
                            <div class="actions sticky-actions">
                                <button
                                    type="submit"
                                    class="primary"
                                    disabled=move || chosen.get().is_empty()
                                    aria-describedby=move || chosen.get().is_empty().then_some("save-why")
                                >
                                    {i18n.t("region-picker-save")}
                                </button>
                                <Show when=move || chosen.get().is_empty()>
                                    <p id="save-why" class="hint" data-testid="save-why">{i18n.t("region-picker-save-why")}</p>
                                </Show>
                            </div>
                        </form>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

/// One filter `<select>` bound to a URL parameter.
#[component]
fn Filter(
    id: &'static str,
    label_key: &'static str,
    param: &'static str,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    #[prop(into)] current: Signal<String>,
    set: Callback<(&'static str, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    // A long list's options are drawn when the select is first used: a
    // focus, or a press, which comes before the browser opens its list.
    // Chrome measures every option of a select whenever its options
    // change, which for a region's 5,000 organisations held the page for
    // 124 ms after each sync; until then it holds "All" and the choice.
    let used = RwSignal::new(false);
    let use_it = move || {
        if !used.get_untracked() {
            used.set(true);
        }
    };
    view! {
        <div class="filter">
            <label for=id>{i18n.t(label_key)}</label>
            // The options are written as markup for the browser to parse
            // (`html::select_options`): a region's 5,000 organisations drawn
            // an element at a time from the wasm held the page for 75 ms, as
            // markup for about half that. Options drawn anew (another
            // language) mark the choice; a choice made later sets the
            // select's value.
            <select
                id=id
                inner_html=move || {
                    let any = i18n.t_now("filter-any");
                    let all = used.get() || options.with(Vec::len) <= FEW_OPTIONS;
                    // Until then the options drawn depend on the choice.
                    let chosen = if all { current.get_untracked() } else { current.get() };
                    options.with(|o| {
                        if all {
                            html::select_options(&any, o, &chosen)
                        } else {
                            let kept: Vec<_> = o.iter().filter(|(value, _)| *value == chosen).cloned().collect();
                            html::select_options(&any, &kept, &chosen)
                        }
                    })
                }
                prop:value=move || {
                    let chosen = current.get();
                    let offered = options.with(|o| o.iter().any(|(value, _)| *value == chosen));
                    if offered { chosen } else { String::new() }
                }
                on:focus=move |_| use_it()
                on:pointerdown=move |_| use_it()
                on:change=move |ev| set.run((param, event_target_value(&ev)))
            ></select>
        </div>
    }
}

/// Options a filter draws before it is first used; see `Filter`.
const FEW_OPTIONS: usize = 200;

/// Search box, filters, result count and results.
#[component]
fn SearchView() -> impl IntoView {
    let i18n = use_i18n();
    let cat = use_catalogue();
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|p| Query::from_params(p.iter())));
    let navigate = use_navigate();
    let go = move |next: Query| {
        navigate(
            &format!("{}{}", app_href("/"), query_string(next.to_params())),
            NavigateOptions {
                replace: true,
                scroll: false,
            },
        );
    };
    let go_text = go.clone();
    let set_param = Callback::new(move |(param, value): (&'static str, String)| {
        let mut pairs: Vec<(&str, String)> = query
            .get_untracked()
            .to_params()
            .into_iter()
            .filter(|(k, _)| *k != param)
            .collect();
        pairs.push((param, value));
        go(Query::from_params(
            pairs.iter().map(|(k, v)| (*k, v.as_str())),
        ));
    });
    // How many are drawn lives in the address beside the search, so a way
    // back from a card shows as many as before; a new search or filter
    // leaves it out of the address and starts from one page again.
    let shown = Memo::new(move |_| {
        params.with(|p| shown_count(p.get_str(SHOWN_PARAM), PAGE_SIZE, MAX_PAGES))
    });
    let navigate_more = use_navigate();
    let show_more = Callback::new(move |()| {
        let pairs = query
            .get_untracked()
            .to_params()
            .into_iter()
            .chain([(SHOWN_PARAM, (shown.get_untracked() + PAGE_SIZE).to_string())]);
        navigate_more(
            &format!("{}{}", app_href("/"), query_string(pairs)),
            NavigateOptions {
                replace: true,
                scroll: false,
            },
        );
    });
    // Positions in the catalogue's services, not ids: see
    // `Catalogue::search_positions`.
    let results = Memo::new(move |_| {
        let c = cat.catalogue.get();
        let q = query.get();
        Arc::new(c.search_positions(&q, i18n.lang.get()))
    });
    // The first results are drawn at once and the rest once the browser
    // has painted those: each result is a dozen elements to build, a
    // quarter of a millisecond here and more on a cheap phone, and the
    // results below the first screen made a first sync's results and each
    // keystroke's wait for them (issue 13). `painted` holds the results
    // last painted. It starts as those the page opens with, which are
    // drawn whole, so a way back from a card finds its place in a list as
    // long as the one it left.
    let painted = RwSignal::new(results.get_untracked());
    Effect::new(move |_| {
        let now = results.get();
        if painted.with_untracked(|p| *p != now) {
            leptos::task::spawn_local(async move {
                after_paint().await;
                painted.set(now);
            });
        }
    });
    let at_once = Memo::new(move |_| shown.get().min(DRAWN_AT_ONCE));
    let rest = Memo::new(move |_| {
        let ready = painted.with(|p| results.with(|r| p == r));
        if ready {
            shown.get()
        } else {
            DRAWN_AT_ONCE
        }
    });
    let draw = move |from: usize, to: Memo<usize>| {
        let c = cat.catalogue.get();
        let lang = i18n.lang.get();
        let to = to.get();
        results.with(|positions| {
            positions
                .iter()
                .take(to)
                .skip(from)
                .filter_map(|&i| c.services.get(i as usize))
                .map(|s| result_item(&c, s, lang, i18n))
                .collect_view()
        })
    };

    let municipality_options = Signal::derive(move || {
        let lang = i18n.lang.get();
        let subscribed = cat.subscribed.get().unwrap_or_default();
        cat.manifest
            .get()
            .map(|m| {
                m.regions
                    .iter()
                    .filter(|r| subscribed.contains(&r.id))
                    .flat_map(|r| r.municipalities.iter())
                    .map(|mu| (mu.code.clone(), localized(&mu.name, lang).0))
                    .collect()
            })
            .unwrap_or_default()
    });
    let group_options = Signal::derive(move || {
        TargetGroup::ALL
            .iter()
            .map(|g| {
                (
                    g.code().to_owned(),
                    i18n.t_now(&format!("group-{}", g.code())),
                )
            })
            .collect()
    });
    let kind_options = Signal::derive(move || {
        vec![
            ("ongoing".to_owned(), i18n.t_now("kind-ongoing")),
            ("popup".to_owned(), i18n.t_now("kind-popup")),
        ]
    });
    let role_options = Signal::derive(move || {
        vec![
            (
                "volunteer_task".to_owned(),
                i18n.t_now("role-volunteer_task"),
            ),
            ("service".to_owned(), i18n.t_now("role-service")),
        ]
    });
    let language_options = Memo::new(move |_| {
        cat.catalogue
            .get()
            .languages()
            .into_iter()
            .map(|tag| (tag.to_owned(), language_name(i18n, tag)))
            .collect::<Vec<_>>()
    });
    // Sorted and drawn in tasks of their own, after the results: a
    // region's 5,000 organisations (16 ms to sort their names, then the
    // options) would otherwise add half a tenth of a second to the task
    // that shows a new catalogue. Until then the options shown are the
    // previous ones.
    let organisations = LocalResource::new(move || {
        let lang = i18n.lang.get();
        let c = cat.catalogue.get();
        async move {
            yield_now().await;
            let mut list: Vec<(String, String)> = c
                .organisations
                .values()
                .map(|o| (o.id.clone(), localized(&o.name, lang).0))
                .collect();
            collate::sort_by_name(&mut list, lang, |(_, name)| name);
            yield_now().await;
            list
        }
    });
    let organisation_options = Memo::new(move |_| organisations.get().unwrap_or_default());
    // A memo, not a derived signal: a keystroke in the search box changes
    // the query but not a filter's choice, and must not make a filter look
    // through its thousands of options again.
    let current = move |param: &'static str| {
        Memo::new(move |_| {
            query.with(|q| {
                q.to_params()
                    .into_iter()
                    .find(|(k, _)| *k == param)
                    .map(|(_, v)| v)
                    .unwrap_or_default()
            })
        })
    };

    // None of the chosen regions is on the device yet (the first download
    // is under way, or failed): "No results" would read as a search that
    // found nothing, so the status says the results come with the download.
    let awaiting = Memo::new(move |_| {
        cat.catalogue
            .with(|c| c.region_versions().all(|(_, version)| version.is_empty()))
    });
    // A region's first download shows its list before its search index is
    // built: a search typed meanwhile has found nothing yet, which is not
    // "No results".
    let preparing = Memo::new(move |_| {
        !query.with(|q| q.text.trim().is_empty()) && !cat.catalogue.with(|c| c.searchable())
    });

    // Folded on a phone (CSS shows the filters on wide screens whatever
    // this says); the button counts the filters that are set.
    let filters_open = RwSignal::new(false);
    let active_filters = Memo::new(move |_| query.with(Query::active_filters));

    view! {
        <form role="search" class="search" on:submit=|ev| ev.prevent_default()>
            <label for="search-text">{i18n.t("search-label")}</label>
            <div class="search-row">
                <input
                    id="search-text"
                    type="search"
                    autocomplete="off"
                    prop:value=move || query.get().text
                    on:input=move |ev| {
                        let mut next = query.get_untracked();
                        next.text = event_target_value(&ev);
                        go_text(next);
                    }
                />
                <button
                    type="button"
                    class="filters-toggle"
                    class:active=move || { active_filters.get() > 0 }
                    aria-expanded=move || filters_open.get().to_string()
                    aria-controls="filters"
                    data-testid="filters-toggle"
                    on:click=move |_| filters_open.update(|open| *open = !*open)
                >
                    {move || i18n.t_args("filters-toggle", &[("count", Arg::Num(active_filters.get() as f64))])}
                </button>
            </div>
            <fieldset id="filters" class="filters" class:open=move || filters_open.get()>
                <legend>{i18n.t("filters-heading")}</legend>
                <Filter id="filter-municipality" label_key="filter-municipality" param="m" options=municipality_options current=current("m") set=set_param />
                <Filter id="filter-group" label_key="filter-group" param="group" options=group_options current=current("group") set=set_param />
                <Filter id="filter-kind" label_key="filter-kind" param="kind" options=kind_options current=current("kind") set=set_param />
                <Filter id="filter-role" label_key="filter-role" param="role" options=role_options current=current("role") set=set_param />
                <Filter id="filter-language" label_key="filter-language" param="lang" options=language_options current=current("lang") set=set_param />
                <Filter id="filter-organisation" label_key="filter-organisation" param="org" options=organisation_options current=current("org") set=set_param />
            </fieldset>
        </form>
        <p class="result-count" role="status" data-testid="result-count">
            {move || {
                if awaiting.get() {
                    i18n.t_now("results-awaiting")
                } else if preparing.get() {
                    i18n.t_now("results-indexing")
                } else {
                    i18n.t_args("results-count", &[("count", Arg::Num(results.get().len() as f64))])
                }
            }}
        </p>
        <Show when=move || !query.get().is_empty()>
            <p><a href=app_href("/")>{i18n.t("filters-clear")}</a></p>
        </Show>
        <ul class="results" data-testid="results">
            {move || draw(0, at_once)}
            {move || draw(DRAWN_AT_ONCE, rest)}
        </ul>
        <Show when=move || { results.get().len() > shown.get() }>
            <button
                type="button"
                class="more"
                on:click=move |_| show_more.run(())
            >
                {move || {
                    let left = results.get().len().saturating_sub(shown.get());
                    i18n.t_args("results-more", &[("count", Arg::Num(left as f64))])
                }}
            </button>
        </Show>
    }
}

/// One result in the list: the card's name as a link to its page, its
/// association and places, summary, role and kind, and the language it is
/// shown in when that is not the reader's.
fn result_item(c: &Catalogue, s: &Service, lang: Lang, i18n: UseI18nReturn) -> impl IntoView {
    let (name, name_lang) = localized(&s.name, lang);
    let (summary, summary_lang) = localized(&s.summary, lang);
    let shown_in = name_lang.clone().or_else(|| summary_lang.clone());
    let org = c
        .organisations
        .get(&s.organisation)
        .map(|o| localized(&o.name, lang));
    let places = s
        .municipalities
        .iter()
        .map(|m| municipality_name(m, lang))
        .collect::<Vec<_>>()
        .join(", ");
    let kind = i18n.t_now(match s.kind {
        ServiceKind::Ongoing => "kind-ongoing",
        ServiceKind::Popup => "kind-popup",
    });
    let role = i18n.t_now(match s.role {
        ServiceRole::VolunteerTask => "role-volunteer_task",
        ServiceRole::Service => "role-service",
    });
    view! {
        <li class="result">
            <h2 lang=name_lang>
                <a href=app_href(&format!("/services/{}", s.id))>{name}</a>
            </h2>
            <p class="meta">
                {org.map(|(n, l)| view! { <span lang=l>{n}</span> })}
                " · " {places}
            </p>
            <p lang=summary_lang>{summary}</p>
            <p class="tags">
                <span class="tag">{role}</span> " " <span class="tag">{kind}</span> " "
                <ShownIn tag=shown_in />
            </p>
        </li>
    }
}
