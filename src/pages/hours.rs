//! "My hours": totals and milestones, the entries with where each one is on its way, export, and the associations' inboxes.

use leptos::prelude::*;
use talkoo_core::hours::outbox::{self, Delivery, Record};
use talkoo_core::hours::report::{self, Period, YearMonth};
use talkoo_core::hours::{export, format_hours_in, hours_number, Entry};
use talkoo_core::i18n::{Arg, Lang};
use talkoo_core::time::{parse_hhmm, Date};
use talkoo_core::{collate, datefmt};

use super::hours_form::{destination_of, use_inbox_ids};
use super::Page;
use crate::badges::module::{use_app_go, use_badge_route, use_directory, Go};
use crate::browser::{now_rfc3339, today};
use crate::files::{can_share_files, save_file};
use crate::hours::{use_hours, HoursError, Resolution};
use crate::i18n::use_i18n;
use crate::pwa::app_href;

/// Entries drawn at first; the rest on request, so that thousands of
/// entries do not slow the page down.
const PAGE_SIZE: usize = 50;

/// The report periods offered, as they appear in the URL.
const PERIODS: [&str; 4] = ["12m", "month", "year", "all"];

fn period_of(param: &str) -> Option<Period> {
    let today = today();
    match param {
        "month" => Some(Period::month_of(today)),
        "year" => Some(Period::year_of(today)),
        "all" => None,
        _ => Some(Period::last_12_months(today)),
    }
}

/// A stored `YYYY-MM-DD` as the app's language writes it: `19.11.2026`,
/// or `19 Nov 2026` in English (issue 10: the browser's language decided).
fn show_date(lang: Lang, iso: &str) -> String {
    Date::parse(iso).map_or_else(|| iso.to_owned(), |d| datefmt::date(d, lang))
}

/// A stored `HH:MM` as the app's language writes it: `14.30` or `14:30`.
fn show_time(lang: Lang, hhmm: &str) -> String {
    parse_hhmm(hhmm).map_or_else(|| hhmm.to_owned(), |m| datefmt::time(m, lang))
}

/// `/hours`.
#[component]
pub fn HoursPage() -> impl IntoView {
    let i18n = use_i18n();
    let hours = use_hours();
    let route = use_badge_route();
    let saved = move || route.query_value("saved");
    view! {
        <Page title_key="hours-title">
            <p class="intro">{i18n.t("hours-intro")}</p>
            <div class="actions">
                <a href=app_href("/hours/new") class="button-link primary big">{i18n.t("hours-add")}</a>
            </div>
            <p role="status" class="saved" data-testid="saved-status">
                {move || saved().map(|_| i18n.t_now("hours-saved"))}
            </p>
            <Show
                when=move || !hours.records.with(Vec::is_empty)
                fallback=move || view! {
                    <p class="empty" data-testid="empty-state">
                        {move || i18n.t_now(if hours.loaded.get() { "hours-empty" } else { "hours-loading" })}
                    </p>
                }
            >
                <Outbox />
                <Summary />
                <Entries />
                <Export />
            </Show>
            <Inboxes />
        </Page>
    }
}

/// How many entries wait, and a button to send them now.
#[component]
fn Outbox() -> impl IntoView {
    let i18n = use_i18n();
    let hours = use_hours();
    let count = move |name: &'static str| {
        hours
            .records
            .with(|r| r.iter().filter(|r| r.delivery.name() == name).count())
    };
    view! {
        <section class="outbox" aria-labelledby="outbox-heading" data-testid="outbox" data-runs=move || hours.runs.get().to_string()>
            <h2 id="outbox-heading">{i18n.t("hours-outbox-heading")}</h2>
            <p data-testid="outbox-summary">
                {move || i18n.t_args("hours-outbox-summary", &[
                    ("waiting", Arg::Num(count("waiting") as f64)),
                    ("sent", Arg::Num((count("sent") + count("accepted")) as f64)),
                    ("local", Arg::Num(count("local") as f64)),
                ])}
            </p>
            <ul class="plain inbox-problems">
                {move || hours.report.get().inboxes.into_iter().filter_map(|line| {
                    let problem = line.problem?;
                    let detail = problem.to_string();
                    Some(view! {
                        <li class="error" data-testid="inbox-problem" data-org=line.organisation_id>
                            {i18n.t_args(problem.message_key(), &[("name", Arg::Str(&line.organisation_name))])}
                            <span class="detail" lang="en">{detail}</span>
                        </li>
                    })
                }).collect_view()}
            </ul>
            {move || hours.error.get().map(|e| {
                let detail = e.to_string();
                view! {
                    <p class="error" role="alert" data-testid="hours-store-error">
                        {i18n.t_now("hours-error-read")}
                        <span class="detail" lang="en">{detail}</span>
                    </p>
                }
            })}
            <Show when=move || !hours.memberships.with(Vec::is_empty)>
                <button type="button" on:click=move |_| hours.send_now.run(()) disabled=move || hours.sending.get()>
                    {move || i18n.t_now(if hours.sending.get() { "hours-sending" } else { "hours-send-now" })}
                </button>
            </Show>
        </section>
    }
}

/// Totals for the chosen period, the month chart with its table, and the
/// milestones.
#[component]
fn Summary() -> impl IntoView {
    let i18n = use_i18n();
    let hours = use_hours();
    let route = use_badge_route();
    let go = use_app_go();
    let period_param = Memo::new(move |_| {
        route
            .query_value("period")
            .filter(|p| PERIODS.contains(&p.as_str()))
            .unwrap_or_else(|| "12m".to_owned())
    });
    let entries = Memo::new(move |_| {
        hours
            .records
            .with(|r| r.iter().map(|r| r.entry.clone()).collect::<Vec<Entry>>())
    });
    let summary =
        Memo::new(move |_| report::summary(&entries.get(), period_of(&period_param.get())));
    let all_minutes = Memo::new(move |_| report::summary(&entries.get(), None).total_minutes);
    let h = move |m: u32| format_hours_in(m, i18n.lang.get());
    view! {
        <section aria-labelledby="summary-heading">
            <h2 id="summary-heading">{i18n.t("hours-summary-heading")}</h2>
            <label for="period-select">{i18n.t("hours-period-label")}</label>
            <select
                id="period-select"
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    go(&format!("{}?period={value}", app_href("/hours")), Go::ReplaceInPlace);
                }
            >
                {PERIODS.into_iter().map(|p| view! {
                    <option value=p selected=move || period_param.get() == p>{move || i18n.t_now(&format!("hours-period-{p}"))}</option>
                }).collect_view()}
            </select>
            <p class="total" data-testid="period-total">
                {move || {
                    let s = summary.get();
                    i18n.t_args("hours-total", &[
                        ("hours", Arg::Str(&h(s.total_minutes))),
                        ("n", Arg::Num(hours_number(s.total_minutes))),
                        ("count", Arg::Num(s.count as f64)),
                    ])
                }}
            </p>
            <MonthChart by_month=Signal::derive(move || summary.get().by_month) />
            <div class="tables">
                <table data-testid="by-organisation">
                    <caption>{i18n.t("hours-by-organisation")}</caption>
                    <thead><tr><th scope="col">{i18n.t("hours-col-organisation")}</th><th scope="col" class="num">{i18n.t("hours-col-hours")}</th></tr></thead>
                    <tbody>
                        {move || summary.get().by_organisation.into_iter().map(|(name, m)| view! {
                            <tr><td>{name}</td><td class="num">{h(m)}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <table data-testid="by-category">
                    <caption>{i18n.t("hours-by-category")}</caption>
                    <thead><tr><th scope="col">{i18n.t("hours-col-category")}</th><th scope="col" class="num">{i18n.t("hours-col-hours")}</th></tr></thead>
                    <tbody>
                        {move || summary.get().by_category.into_iter().map(|(c, m)| view! {
                            <tr><td>{i18n.t_now(&format!("hours-category-{}", c.name()))}</td><td class="num">{h(m)}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <h3>{i18n.t("hours-milestones")}</h3>
            <ul class="plain milestones" data-testid="milestones">
                {move || report::milestones(all_minutes.get()).into_iter().map(|m| {
                    let label = i18n.t_args(
                        if m.reached { "hours-milestone-reached" } else { "hours-milestone-progress" },
                        &[("hours", Arg::Num(f64::from(m.hours))), ("percent", Arg::Num(f64::from(m.percent)))],
                    );
                    let id = format!("milestone-{}", m.hours);
                    view! {
                        <li class:reached=m.reached>
                            <span id=id.clone()>{label}</span>
                            <progress max="100" value=m.percent.to_string() aria-labelledby=id></progress>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// Hours per month as SVG bars, with the same figures in a table for screen
/// readers and for anyone who prefers numbers.
#[component]
fn MonthChart(#[prop(into)] by_month: Signal<Vec<(YearMonth, u32)>>) -> impl IntoView {
    let i18n = use_i18n();
    const BAR: f64 = 28.0;
    const GAP: f64 = 8.0;
    const HEIGHT: f64 = 120.0;
    let label = |ym: &YearMonth| format!("{}/{}", ym.month, ym.year % 100);
    view! {
        <figure class="chart">
            <figcaption id="chart-caption">{i18n.t("hours-chart-caption")}</figcaption>
            {move || {
                let months = by_month.get();
                let top = report::axis_max_hours(months.iter().map(|(_, m)| *m).max().unwrap_or(0));
                let width = (months.len() as f64 * (BAR + GAP)).max(BAR + GAP);
                let scale = HEIGHT / (f64::from(top) * 60.0);
                let bars = months.iter().enumerate().map(|(i, (ym, m))| {
                    let height = f64::from(*m) * scale;
                    let x = i as f64 * (BAR + GAP) + GAP / 2.0;
                    view! {
                        <g>
                            <rect x=x y=HEIGHT - height + 14.0 width=BAR height=height class="bar"></rect>
                            <text x=x + BAR / 2.0 y=HEIGHT + 30.0 text-anchor="middle" class="axis">{label(ym)}</text>
                        </g>
                    }
                }).collect_view();
                let summary = i18n.t_args("hours-chart-summary", &[("top", Arg::Num(f64::from(top)))]);
                view! {
                    <svg
                        viewBox=format!("0 0 {width} {}", HEIGHT + 36.0)
                        role="img"
                        aria-labelledby="chart-caption chart-desc"
                        preserveAspectRatio="xMinYMin meet"
                        width=width
                    >
                        <desc id="chart-desc">{summary}</desc>
                        <line x1="0" x2=width y1=HEIGHT + 14.0 y2=HEIGHT + 14.0 class="baseline"></line>
                        <text x="2" y="10" class="axis">{format!("{top}\u{a0}h")}</text>
                        {bars}
                    </svg>
                }
            }}
            <details>
                <summary>{i18n.t("hours-chart-table")}</summary>
                <table data-testid="by-month">
                    <caption>{i18n.t("hours-chart-caption")}</caption>
                    <thead><tr><th scope="col">{i18n.t("hours-col-month")}</th><th scope="col" class="num">{i18n.t("hours-col-hours")}</th></tr></thead>
                    <tbody>
                        {move || by_month.get().into_iter().map(|(ym, m)| view! {
                            <tr><td>{label(&ym)}</td><td class="num">{format_hours_in(m, i18n.lang.get())}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        </figure>
    }
}

/// The entries, newest first, each with its state and what can be done.
#[component]
fn Entries() -> impl IntoView {
    let i18n = use_i18n();
    let hours = use_hours();
    let shown = RwSignal::new(PAGE_SIZE);
    let total = move || hours.records.with(Vec::len);
    let inbox_ids = use_inbox_ids();
    view! {
        <section aria-labelledby="entries-heading">
            <h2 id="entries-heading">{i18n.t("hours-entries-heading")}</h2>
            <ul class="plain entries" data-testid="entries">
                <For
                    each=move || hours.records.get().into_iter().take(shown.get())
                    key=|r| (r.entry.id.clone(), r.entry.modified.clone(), format!("{:?}", r.delivery))
                    children=move |record| view! { <EntryItem record=record inbox_ids=inbox_ids /> }
                />
            </ul>
            <Show when=move || { total() > shown.get() }>
                <button type="button" on:click=move |_| shown.update(|n| *n += PAGE_SIZE)>
                    {move || i18n.t_args("hours-show-more", &[("n", Arg::Num((total() - shown.get()) as f64))])}
                </button>
            </Show>
        </section>
    }
}

/// One entry: when, how long, for whom, and where its hours go (issue 10:
/// an entry kept on the device says so, and offers joining where the
/// organisation takes hours through Talkoo).
#[component]
fn EntryItem(record: Record, inbox_ids: Memo<Vec<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let hours = use_hours();
    let lang = move || i18n.lang.get();
    let error = RwSignal::new(None::<HoursError>);
    let confirming = RwSignal::new(false);
    let entry = record.entry.clone();
    let id = entry.id.clone();
    let state = record.delivery.name();
    let times = entry.start.clone().zip(entry.end.clone());
    let time = move || {
        times
            .as_ref()
            .map(|(s, e)| format!(" {}–{}", show_time(lang(), s), show_time(lang(), e)))
    };
    let org_id = entry.organisation.id.clone();
    let org_name = entry.organisation.name.clone();
    let delivery = record.delivery.clone();
    let line = Memo::new(move |_| {
        let dest = hours
            .memberships
            .with(|m| inbox_ids.with(|ids| destination_of(org_id.as_deref(), m, ids)));
        (dest, outbox::state_line(&delivery, dest))
    });
    let join_org = entry.organisation.id.clone().unwrap_or_default();
    let detail = match &record.delivery {
        Delivery::Rejected { reason } if !reason.is_empty() => Some(reason.clone()),
        Delivery::Waiting {
            last_error: Some(e),
            ..
        } => Some(e.clone()),
        _ => None,
    };
    let theirs = match &record.delivery {
        Delivery::Conflict { theirs } => Some((**theirs).clone()),
        _ => None,
    };
    let editable = record.delivery.editable();
    let edit_href = app_href(&format!("/hours/edit/{id}"));
    let delete_id = id.clone();
    let delete = move |_| {
        if !confirming.get_untracked() {
            confirming.set(true);
            return;
        }
        let id = delete_id.clone();
        leptos::task::spawn_local(async move {
            if let Err(e) = hours.delete_entry(id).await {
                error.set(Some(e));
            }
        });
    };
    let resolve_id = id.clone();
    // One settlement at a time; the store also settles a conflict only once.
    let resolve = Action::new_local(move |how: &Resolution| {
        let (id, how) = (resolve_id.clone(), *how);
        async move {
            if let Err(e) = hours.resolve_conflict(id, how).await {
                error.set(Some(e));
            }
        }
    });
    let settling = resolve.pending();
    let minutes = entry.minutes;
    let date = entry.date.clone();
    let heading_id = format!("entry-{id}");
    let labelled_by = heading_id.clone();
    view! {
        <li class="entry" data-testid="entry" data-id=id.clone() data-state=state aria-labelledby=labelled_by>
            <h3 id=heading_id>
                {move || show_date(lang(), &date)}
                {time}
                " · "
                {move || format_hours_in(minutes, lang())} "\u{a0}h"
            </h3>
            <p>
                <strong>{entry.organisation.name.clone()}</strong>
                {entry.service.as_ref().map(|s| format!(" – {}", s.name))}
                " · "
                {move || i18n.t_now(&format!("hours-category-{}", entry.category.name()))}
            </p>
            {(!entry.note.is_empty()).then(|| view! { <p class="note">{entry.note.clone()}</p> })}
            <p class=format!("state state-{state}") data-testid="entry-state" data-destination=move || line.get().0.name()>
                {move || i18n.t_args(line.get().1.key, &[("name", Arg::Str(&org_name))])}
                {detail.clone().map(|d| view! { <span class="detail">{d}</span> })}
            </p>
            <Show when=move || line.get().1.offers_join>
                <p>
                    <a href=app_href(&format!("/hours/join?org={}", String::from(js_sys::encode_uri_component(&join_org))))>{i18n.t("hours-dest-join")}</a>
                </p>
            </Show>
            {theirs.map(|theirs| view! {
                <div class="conflict" data-testid="conflict">
                    <p>{move || i18n.t_args("hours-conflict-explain", &[
                        ("hours", Arg::Str(&format_hours_in(theirs.minutes, lang()))),
                        ("date", Arg::Str(&show_date(lang(), &theirs.date))),
                    ])}</p>
                    <div class="actions">
                        <button type="button" disabled=move || settling.get() on:click=move |_| { if !settling.get_untracked() { resolve.dispatch(Resolution::KeepTheirs); } }>{i18n.t("hours-conflict-keep-theirs")}</button>
                        <button type="button" disabled=move || settling.get() on:click=move |_| { if !settling.get_untracked() { resolve.dispatch(Resolution::KeepBoth); } }>{i18n.t("hours-conflict-keep-both")}</button>
                    </div>
                </div>
            })}
            {editable.then(|| view! {
                <div class="actions">
                    <a href=edit_href class="button-link">{i18n.t("hours-edit")}</a>
                    <button type="button" class:danger=move || confirming.get() on:click=delete>
                        {move || i18n.t_now(if confirming.get() { "hours-delete-confirm" } else { "hours-delete" })}
                    </button>
                </div>
            })}
            <p class="error" role="alert">{move || error.get().map(|e| i18n.t_now(e.message_key()))}</p>
        </li>
    }
}

/// CSV and JSON of every entry, shared on phones and downloaded elsewhere.
#[component]
fn Export() -> impl IntoView {
    let i18n = use_i18n();
    let hours = use_hours();
    let share = can_share_files();
    let error = RwSignal::new(None::<String>);
    let run = move |kind: &'static str| {
        let records = hours.records.get_untracked();
        leptos::task::spawn_local(async move {
            let name = export::file_name(kind, today());
            let (text, mime) = match kind {
                "csv" => (export::to_csv(&records), "text/csv"),
                _ => (
                    export::to_json(&records, &now_rfc3339()),
                    "application/json",
                ),
            };
            if let Err(e) = save_file(&name, mime, &text, share).await {
                error.set(Some(e));
            }
        });
    };
    view! {
        <section aria-labelledby="export-heading">
            <h2 id="export-heading">{i18n.t("hours-export-heading")}</h2>
            <p class="hint">{i18n.t("hours-export-hint")}</p>
            <div class="actions">
                <button type="button" data-testid="export-csv" on:click=move |_| run("csv")>
                    {i18n.t(if share { "hours-share-csv" } else { "hours-download-csv" })}
                </button>
                <button type="button" data-testid="export-json" on:click=move |_| run("json")>
                    {i18n.t(if share { "hours-share-json" } else { "hours-download-json" })}
                </button>
            </div>
            <p class="error" role="alert">{move || error.get()}</p>
        </section>
    }
}

/// The organisations whose inbox the volunteer joined, and joining one.
#[component]
fn Inboxes() -> impl IntoView {
    let i18n = use_i18n();
    let hours = use_hours();
    let error = RwSignal::new(None::<HoursError>);
    view! {
        <section aria-labelledby="inboxes-heading">
            <h2 id="inboxes-heading">{i18n.t("hours-inboxes-heading")}</h2>
            <p class="hint">{i18n.t("hours-inboxes-intro")}</p>
            <ul class="plain directory" data-testid="memberships">
                {move || hours.memberships.get().into_iter().map(|m| {
                    let org = m.organisation_id.clone();
                    view! {
                        <li>
                            <strong>{m.organisation_name.clone()}</strong>
                            " – "
                            {move || i18n.t_now(if m.refused { "hours-inbox-refused" } else { "hours-inbox-joined" })}
                            <button type="button" class="inline" on:click=move |_| {
                                let org = org.clone();
                                leptos::task::spawn_local(async move {
                                    if let Err(e) = hours.leave(org).await { error.set(Some(e)); }
                                });
                            }>{i18n.t("hours-inbox-leave")}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p class="error" role="alert">{move || error.get().map(|e| i18n.t_now(e.message_key()))}</p>
            <JoinForm organisation=None code=None />
        </section>
    }
}

/// `/hours/join?org=…&code=…`: the link in a coordinator's QR code.
#[component]
pub fn JoinPage() -> impl IntoView {
    let route = use_badge_route();
    let org = untrack(|| route.query_value("org"));
    let code = untrack(|| route.query_value("code"));
    view! {
        <Page title_key="hours-join-title">
            <JoinForm organisation=org code=code />
        </Page>
    }
}

/// Pick an organisation that takes hours online and type the code.
#[component]
fn JoinForm(organisation: Option<String>, code: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let directory = use_directory();
    let hours = use_hours();
    let chosen = RwSignal::new(organisation.unwrap_or_default());
    let code = RwSignal::new(code.unwrap_or_default());
    let error = RwSignal::new(None::<HoursError>);
    let joined = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let with_inbox = Memo::new(move |_| {
        let lang = i18n.lang.get();
        let mut list: Vec<(String, String, String)> = directory.organisations.with(|list| {
            list.iter()
                .filter_map(|o| o.inbox.clone().map(|e| (o.id.clone(), o.name.clone(), e)))
                .collect()
        });
        collate::sort_by_name(&mut list, lang, |(_, name, _)| name);
        list
    });
    // What the volunteer still has to give before Join can be pressed; the
    // button said nothing about why it was disabled (issue 10).
    let missing = move || {
        let no_org = chosen
            .with(|c| c.is_empty() || with_inbox.with(|l| !l.iter().any(|(id, _, _)| id == c)));
        let no_code = code.with(|c| c.trim().is_empty());
        match (no_org, no_code) {
            (true, true) => Some("hours-join-missing-both"),
            (true, false) => Some("hours-join-missing-organisation"),
            (false, true) => Some("hours-join-missing-code"),
            (false, false) => None,
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() || missing().is_some() {
            return;
        }
        let org = chosen.get_untracked();
        let Some(endpoint) = with_inbox.with_untracked(|l| {
            l.iter()
                .find(|(id, _, _)| *id == org)
                .map(|(_, _, e)| e.clone())
        }) else {
            return;
        };
        let typed = code.get_untracked();
        busy.set(true);
        error.set(None);
        joined.set(None);
        leptos::task::spawn_local(async move {
            match hours.join(org, endpoint, typed).await {
                Ok(m) => {
                    joined.set(Some(m.organisation_name));
                    code.set(String::new());
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <Show
            when=move || !with_inbox.with(Vec::is_empty)
            fallback=move || view! { <p class="hint" data-testid="no-inboxes">{i18n.t("hours-join-none")}</p> }
        >
            <form class="join" on:submit=submit>
                <h3>{i18n.t("hours-join-heading")}</h3>
                <div class="field">
                    <label for="join-org">{i18n.t("hours-join-organisation")}</label>
                    <select id="join-org" on:change=move |ev| chosen.set(event_target_value(&ev))>
                        <option value="" selected=move || chosen.get().is_empty()>{i18n.t("hours-join-choose")}</option>
                        {move || with_inbox.get().into_iter().map(|(id, name, _)| {
                            let selected_id = id.clone();
                            view! { <option value=id selected=move || chosen.get() == selected_id>{name}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="join-code">{i18n.t("hours-join-code")}</label>
                    <input
                        id="join-code"
                        type="text"
                        autocomplete="off"
                        autocapitalize="characters"
                        spellcheck="false"
                        aria-describedby="join-code-hint"
                        prop:value=move || code.get()
                        on:input=move |ev| code.set(event_target_value(&ev))
                    />
                    <p class="hint" id="join-code-hint">{i18n.t("hours-join-code-hint")}</p>
                </div>
                <div class="actions">
                    <button
                        type="submit"
                        class="primary"
                        disabled=move || busy.get() || missing().is_some()
                        aria-describedby=move || missing().map(|_| "join-missing")
                    >
                        {i18n.t("hours-join-submit")}
                    </button>
                </div>
                <p class="hint" id="join-missing" data-testid="join-missing" hidden=move || missing().is_none()>
                    {move || missing().map(|key| i18n.t_now(key))}
                </p>
                <p role="status" data-testid="join-status">
                    {move || joined.get().map(|name| i18n.t_args("hours-join-done", &[("name", Arg::Str(&name))]))}
                </p>
                <p class="error" role="alert">{move || error.get().map(|e| i18n.t_now(e.message_key()))}</p>
            </form>
        </Show>
    }
}
