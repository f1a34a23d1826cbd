//! The entry form: log or edit a stretch of volunteering on one screen, saved the moment it is submitted.

mod combobox;

use leptos::prelude::*;
use talkoo_core::hours::outbox::{self, Destination};
use talkoo_core::hours::pick::{self, Choice};
use talkoo_core::hours::{self, Category, Draft, Field, Problem, ServiceRef, Warning};
use talkoo_core::i18n::{Arg, Lang};
use talkoo_core::time::Date;
use talkoo_core::{collate, datefmt};

use combobox::Combobox;

use super::Page;
use crate::badges::module::{use_app_go, use_badge_route, use_directory, Go};
use crate::browser::today;
use crate::hours::{use_hours, HoursError};
use crate::i18n::use_i18n;
use crate::pwa::app_href;

/// `/hours/new?id=…`: a new entry. Its id is made when the form opens and
/// kept in the URL, so a double tap, a resubmit or a reload of the form
/// saves the same entry again instead of a second one.
#[component]
pub fn NewEntryPage() -> impl IntoView {
    let route = use_badge_route();
    // The module hears of a new address before it swaps this page out, so
    // another page's address keeps the id this page had: without that, the
    // address the form goes to after saving made it give a new id and go
    // back to the form (issue 13).
    let id = Memo::new(move |before: Option<&Option<String>>| {
        if route.path.with(|p| p.trim_end_matches('/') != "/hours/new") {
            return before.cloned().flatten();
        }
        route.query_value("id").filter(|id| hours::is_uuid(id))
    });
    view! {
        <Page title_key="hours-new-title">
            {move || match id.get() {
                Some(id) => view! { <EntryForm id=id editing=false /> }.into_any(),
                None => view! { <GiveId /> }.into_any(),
            }}
        </Page>
    }
}

/// Puts a new entry id into the address of a form opened without one
/// (also when the router reuses the page for `/hours/new` again). Replacing
/// the URL is how the id survives a reload: an instruction to the router,
/// not state kept in two places.
#[component]
fn GiveId() -> impl IntoView {
    let hours_state = use_hours();
    let go = use_app_go();
    go(
        &format!(
            "{}?id={}",
            app_href("/hours/new"),
            hours_state.new_entry_id()
        ),
        Go::ReplaceInPlace,
    );
}

/// `/hours/edit/:id`: edits an entry that has not been sent yet.
#[component]
pub fn EditEntryPage() -> impl IntoView {
    let route = use_badge_route();
    // Another page's address keeps the id, as on the new entry's form.
    let id = Memo::new(move |before: Option<&String>| {
        route.path.with(|p| match p.strip_prefix("/hours/edit/") {
            Some(id) => id.trim_end_matches('/').to_owned(),
            None => before.cloned().unwrap_or_default(),
        })
    });
    view! {
        <Page title_key="hours-edit-title">
            {move || view! { <EntryForm id=id.get() editing=true /> }}
        </Page>
    }
}

/// Reads what the form starts with (the stored entry, or the last choices
/// for a new one), then shows the form with it.
#[component]
fn EntryForm(id: String, editing: bool) -> impl IntoView {
    let i18n = use_i18n();
    let hours_state = use_hours();
    let load_id = id.clone();
    // Read once in the language shown when the form opens; a date typed in
    // one language still reads after a switch, since reading takes them all.
    let lang = i18n.lang.get_untracked();
    let initial = LocalResource::new(move || {
        let id = load_id.clone();
        async move { hours_state.initial_draft(&id, lang).await }
    });
    view! {
        {move || match initial.get() {
            None => view! { <p class="hint" aria-busy="true">{i18n.t("hours-loading")}</p> }.into_any(),
            Some(Err(e)) => view! { <p class="error" role="alert">{i18n.t_now(e.message_key())}</p> }.into_any(),
            Some(Ok((_, None))) if editing => view! {
                <p class="error" role="alert">{i18n.t_now(HoursError::Missing.message_key())}</p>
                <p><a href=app_href("/hours")>{i18n.t("hours-back")}</a></p>
            }.into_any(),
            Some(Ok((_, Some(record)))) if !record.delivery.editable() => view! {
                <p class="empty" data-testid="read-only">{i18n.t("hours-read-only")}</p>
                <p><a href=app_href("/hours")>{i18n.t("hours-back")}</a></p>
            }.into_any(),
            Some(Ok((draft, record))) => view! {
                <EntryFields id=id.clone() editing=editing || record.is_some() initial=draft />
            }.into_any(),
        }}
    }
}

/// The `id`s of a field's message, for `aria-describedby`.
fn message_id(field: Field) -> &'static str {
    match field {
        Field::Form => "entry-form-error",
        Field::Date => "entry-date-error",
        Field::Times => "entry-times-error",
        Field::Duration => "entry-duration-error",
        Field::Organisation => "entry-org-error",
        Field::Category => "entry-category-error",
        Field::Note => "entry-note-error",
    }
}

/// The `id` of a category's radio button.
fn category_id(c: Category) -> String {
    format!("entry-category-{}", c.name())
}

/// Where the hours of the organisation `id` go, for the form and the list:
/// `has_inbox` comes from the catalogue, the memberships from the device.
pub fn destination_of(
    organisation_id: Option<&str>,
    memberships: &[outbox::Membership],
    inbox_ids: &[String],
) -> Destination {
    let has_inbox = organisation_id.is_some_and(|id| inbox_ids.iter().any(|i| i == id));
    outbox::destination(organisation_id, memberships, has_inbox)
}

/// The ids of the catalogue's organisations that take hours through Talkoo.
pub fn use_inbox_ids() -> Memo<Vec<String>> {
    let directory = use_directory();
    Memo::new(move |_| {
        directory.organisations.with(|list| {
            list.iter()
                .filter(|o| o.inbox.is_some())
                .map(|o| o.id.clone())
                .collect()
        })
    })
}

#[component]
fn EntryFields(id: String, editing: bool, initial: Draft) -> impl IntoView {
    let i18n = use_i18n();
    let directory = use_directory();
    let hours_state = use_hours();
    let go = use_app_go();
    let draft = RwSignal::new(initial);
    let problems = RwSignal::new(Vec::<Problem>::new());
    let confirmed_long_day = RwSignal::new(false);
    let save_id = id.clone();
    // Saving is an action: its `pending` disables the button, and a second
    // tap while it runs does nothing. The store makes a repeat harmless too.
    let save = Action::new_local(move |d: &Draft| {
        let (d, id) = (d.clone(), save_id.clone());
        async move {
            let saved = hours_state.save_entry(d, id, editing).await;
            if let Ok(record) = &saved {
                go(
                    &format!("{}?saved={}", app_href("/hours"), record.entry.id),
                    Go::Replace,
                );
            }
            saved
        }
    });
    let error = move || save.value().get().and_then(Result::err);

    // The catalogue's organisations by name, for the list and to recognise
    // a typed name as one of them.
    let organisations = Memo::new(move |_| {
        let lang = i18n.lang.get();
        let mut list: Vec<Choice> = directory.organisations.with(|list| {
            list.iter()
                .map(|o| (o.id.clone(), o.name.clone()))
                .collect()
        });
        // The same order as every other list of names in the app: the UI
        // language's collation (å, ä, ö after z in Finnish and Swedish).
        collate::sort_by_name(&mut list, lang, |(_, name)| name);
        list
    });
    let inbox_ids = use_inbox_ids();
    let services = Memo::new(move |_| {
        // The shell answers in the UI language: a change of it asks again.
        i18n.lang.track();
        let Some(org) = draft.with(|d| d.organisation_id.clone()) else {
            return Vec::new();
        };
        directory
            .services_of(&org)
            .into_iter()
            .map(|(id, name)| ServiceRef { id, name })
            .collect::<Vec<_>>()
    });
    let live = Memo::new(move |_| {
        let d = draft.get();
        let day = d.day(today()).map(|d| d.to_string()).unwrap_or_default();
        let others = hours_state.records.with(|records| {
            hours::report::minutes_on(records.iter().map(|r| &r.entry), &day, Some(&id))
        });
        hours::validate(&d, today(), others)
    });
    // Where this entry's hours will go, told as the volunteer picks the
    // association (issue 10).
    let destination = Memo::new(move |_| {
        let org = draft.with(|d| d.organisation_id.clone());
        hours_state
            .memberships
            .with(|m| inbox_ids.with(|ids| destination_of(org.as_deref(), m, ids)))
    });
    let long_day = move || {
        live.get()
            .warnings
            .iter()
            .map(|w| match w {
                Warning::LongDay(total) => *total,
            })
            .next()
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if save.pending().get_untracked() {
            return;
        }
        let checked = live.get_untracked();
        problems.set(checked.problems.clone());
        if !checked.problems.is_empty() {
            focus_first_problem(&checked.problems);
            return;
        }
        if long_day().is_some() && !confirmed_long_day.get_untracked() {
            confirmed_long_day.set(true);
            return;
        }
        save.dispatch_local(draft.get_untracked());
    };
    let shown = move |field: Field| {
        problems
            .get()
            .into_iter()
            .filter(move |p| p.field() == field)
            .map(|p| p.key())
            .collect::<Vec<_>>()
    };
    let message = move |field: Field| {
        view! {
            <p class="error" id=message_id(field) hidden=move || shown(field).is_empty()>
                {move || shown(field).into_iter().map(|k| i18n.t_now(k)).collect::<Vec<_>>().join(" ")}
            </p>
        }
    };
    let invalid = move |field: Field| move || (!shown(field).is_empty()).then_some("true");
    let described = move |field: Field, hint: &'static str| {
        move || {
            if shown(field).is_empty() {
                hint.to_owned()
            } else {
                format!("{} {hint}", message_id(field)).trim().to_owned()
            }
        }
    };
    let set_day =
        move |day: Date| draft.update(|d| d.date = datefmt::date(day, i18n.lang.get_untracked()));
    // Phones show their number pad with a decimal separator for these, in
    // Finnish and Swedish a comma, which the reading accepts; English dates
    // have a month name, so they get the full keyboard.
    let date_inputmode = move || match i18n.lang.get() {
        Lang::En => "text",
        Lang::Fi | Lang::Sv => "decimal",
    };
    let time_input = move |field_id: &'static str,
                           label: &'static str,
                           get: fn(&Draft) -> String,
                           set: fn(&mut Draft, String)| {
        view! {
            <div class="field">
                <label for=field_id>{i18n.t(label)}</label>
                <input
                    id=field_id
                    type="text"
                    inputmode="decimal"
                    autocomplete="off"
                    prop:value=move || draft.with(get)
                    on:input=move |ev| draft.update(|d| set(d, event_target_value(&ev)))
                    aria-invalid=invalid(Field::Times)
                    aria-describedby=described(Field::Times, "entry-times-hint")
                />
            </div>
        }
    };

    view! {
        <form class="entry-form" novalidate=true on:submit=submit aria-busy=move || save.pending().get().then_some("true")>
            <p class="error" role="alert" id="entry-form-error">
                {move || error().map(|e| i18n.t_now(e.message_key()))}
                {move || (!problems.get().is_empty()).then(|| i18n.t_now("hours-form-has-problems"))}
            </p>
            <div class="field">
                <label for="entry-date">{i18n.t("hours-field-date")}</label>
                <p class="hint" id="entry-date-hint">{i18n.t("hours-field-date-hint")}</p>
                <div class="date-row">
                    <input
                        id="entry-date"
                        type="text"
                        inputmode=date_inputmode
                        autocomplete="off"
                        required=true
                        prop:value=move || draft.with(|d| d.date.clone())
                        on:input=move |ev| draft.update(|d| d.date = event_target_value(&ev))
                        aria-invalid=invalid(Field::Date)
                        aria-describedby=described(Field::Date, "entry-date-hint")
                    />
                    <button type="button" on:click=move |_| set_day(today())>{i18n.t("hours-date-today")}</button>
                    <button type="button" on:click=move |_| set_day(Date::from_days(today().days_since_epoch() - 1))>
                        {i18n.t("hours-date-yesterday")}
                    </button>
                </div>
                {message(Field::Date)}
            </div>
            <fieldset class="times">
                <legend>{i18n.t("hours-field-time-legend")}</legend>
                <p class="hint" id="entry-times-hint">{i18n.t("hours-field-time-hint")}</p>
                <div class="row">
                    {time_input("entry-start", "hours-field-start", |d| d.start.clone(), |d, v| d.start = v)}
                    {time_input("entry-end", "hours-field-end", |d| d.end.clone(), |d, v| d.end = v)}
                    <div class="field">
                        <label for="entry-duration">{i18n.t("hours-field-duration")}</label>
                        <input
                            id="entry-duration"
                            type="text"
                            inputmode="decimal"
                            autocomplete="off"
                            prop:value=move || draft.with(|d| d.duration.clone())
                            on:input=move |ev| draft.update(|d| d.duration = event_target_value(&ev))
                            disabled=move || draft.with(|d| !d.start.is_empty() || !d.end.is_empty())
                            aria-invalid=invalid(Field::Duration)
                            aria-describedby=described(Field::Duration, "entry-times-hint")
                        />
                    </div>
                </div>
                {message(Field::Times)}
                {message(Field::Duration)}
                <p class="hint" role="status">
                    {move || live.get().minutes.map(|m| i18n.t_args("hours-duration-is", &[("hours", Arg::Str(&hours::format_hours_in(m, i18n.lang.get())))]))}
                </p>
            </fieldset>
            <div class="field">
                <label for="entry-org">{i18n.t("hours-field-organisation")}</label>
                <Combobox
                    id="entry-org"
                    choices=organisations
                    value=Signal::derive(move || draft.with(|d| d.organisation_name.clone()))
                    on_type=Callback::new(move |name: String| {
                        let id = organisations.with_untracked(|list| pick::recognise(list, &name).map(str::to_owned));
                        draft.update(|d| {
                            if d.organisation_id != id {
                                d.service = None;
                            }
                            d.organisation_id = id;
                            d.organisation_name = name;
                        });
                    })
                    on_pick=Callback::new(move |(id, name): Choice| {
                        draft.update(|d| {
                            if d.organisation_id.as_deref() != Some(id.as_str()) {
                                d.service = None;
                            }
                            d.organisation_id = Some(id);
                            d.organisation_name = name;
                        });
                    })
                    list_key="hours-org-list"
                    button_key="hours-org-show-list"
                    more_key="hours-org-more"
                    invalid=Signal::derive(invalid(Field::Organisation))
                    described_by=Signal::derive(described(Field::Organisation, "entry-org-hint entry-org-destination"))
                />
                <p class="hint" id="entry-org-hint">{i18n.t("hours-field-organisation-hint")}</p>
                {message(Field::Organisation)}
                <p class="destination" id="entry-org-destination" data-testid="entry-destination" data-destination=move || destination.get().name()>
                    {move || {
                        let name = draft.with(|d| d.organisation_name.trim().to_owned());
                        (!name.is_empty()).then(|| {
                            let dest = destination.get();
                            let mut text = i18n.t_args(dest.key(), &[("name", Arg::Str(&name))]);
                            if dest.offers_join() {
                                text.push(' ');
                                text.push_str(&i18n.t_now("hours-dest-join-later"));
                            }
                            text
                        })
                    }}
                </p>
            </div>
            <Show when=move || !services.get().is_empty()>
                <div class="field">
                    <label for="entry-activity">{i18n.t("hours-field-activity")}</label>
                    <select
                        id="entry-activity"
                        on:change=move |ev| {
                            let id = event_target_value(&ev);
                            let picked = services.with_untracked(|s| s.iter().find(|s| s.id == id).cloned());
                            draft.update(|d| d.service = picked);
                        }
                    >
                        <option value="" selected=move || draft.with(|d| d.service.is_none())>{i18n.t("hours-field-activity-none")}</option>
                        {move || services.get().into_iter().map(|s| {
                            let id = s.id.clone();
                            view! { <option value=s.id selected=move || draft.with(|d| d.service.as_ref().map(|x| &x.id) == Some(&id))>{s.name}</option> }
                        }).collect_view()}
                    </select>
                </div>
            </Show>
            <fieldset class="categories">
                <legend>{i18n.t("hours-field-category")}</legend>
                {Category::ALL.into_iter().map(|c| view! {
                    <label class="choice">
                        <input
                            type="radio"
                            id=category_id(c)
                            name="category"
                            value=c.name()
                            prop:checked=move || draft.with(|d| d.category == Some(c))
                            on:change=move |_| draft.update(|d| d.category = Some(c))
                            aria-describedby=described(Field::Category, "")
                        />
                        {move || i18n.t_now(&format!("hours-category-{}", c.name()))}
                    </label>
                }).collect_view()}
                {message(Field::Category)}
            </fieldset>
            <div class="field">
                <label for="entry-note">{i18n.t("hours-field-note")}</label>
                <textarea
                    id="entry-note"
                    rows="3"
                    prop:value=move || draft.with(|d| d.note.clone())
                    on:input=move |ev| draft.update(|d| d.note = event_target_value(&ev))
                    aria-invalid=invalid(Field::Note)
                    aria-describedby=described(Field::Note, "")
                ></textarea>
                {message(Field::Note)}
            </div>
            <Show when=move || long_day().is_some()>
                <p class="warning" role="status" data-testid="long-day-warning">
                    {move || i18n.t_args("hours-warning-long-day", &[("hours", Arg::Str(&hours::format_hours_in(long_day().unwrap_or(0), i18n.lang.get())))])}
                </p>
            </Show>
            <div class="actions">
                <button type="submit" class="primary big" disabled=move || save.pending().get()>
                    {move || i18n.t_now(if long_day().is_some() && confirmed_long_day.get() { "hours-save-anyway" } else { "hours-save" })}
                </button>
                <a href=app_href("/hours") class="button-link">{i18n.t("hours-cancel")}</a>
            </div>
        </form>
    }
}

/// Moves focus to the first field with a problem, as screen reader users
/// expect after a refused submit.
fn focus_first_problem(problems: &[Problem]) {
    use wasm_bindgen::JsCast;
    let id = match problems.first().map(|p| p.field()) {
        Some(Field::Date) => "entry-date".to_owned(),
        Some(Field::Times) => "entry-start".to_owned(),
        Some(Field::Duration) => "entry-duration".to_owned(),
        Some(Field::Organisation) => "entry-org".to_owned(),
        Some(Field::Category) => category_id(Category::ALL[0]),
        Some(Field::Note) => "entry-note".to_owned(),
        _ => return,
    };
    if let Some(el) = document().get_element_by_id(&id) {
        let _ = el.unchecked_into::<web_sys::HtmlElement>().focus();
    }
}
