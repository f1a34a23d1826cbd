//! A product card: everything the card says, with contact links, places, schedule, languages and the competence badges its task can earn.

use leptos::prelude::*;
use talkoo_core::datefmt;
use talkoo_core::feed::Kind;
use talkoo_core::model::{phone_link, safe_link, Schedule, Service, ServiceKind, ServiceRole};
use talkoo_store::Store;

use super::common::{
    language_name, localized, municipality_name, BackLink, ContactLink, Missing, ShownIn, Text,
};
use super::Page;
use crate::browser::today;
use crate::catalogue::use_catalogue;
use crate::i18n::{use_i18n, UseI18nReturn};
use crate::pwa::app_href;
use crate::router::use_route_id;
use crate::storage::use_store;
use talkoo_core::i18n::Arg;

/// `/services/:id`.
#[component]
pub fn ServicePage() -> impl IntoView {
    let i18n = use_i18n();
    let cat = use_catalogue();
    let store = use_store();
    let route_id = use_route_id();
    // The card as the list keeps it, and where its whole record is stored.
    let listed = Memo::new(move |_| {
        let id = route_id.get().unwrap_or_default();
        cat.catalogue.with(|c| {
            let home = c
                .service_record(&id)
                .map(|(region, partition)| (region.to_owned(), partition.to_owned()));
            c.service(&id).cloned().map(|card| (card, home))
        })
    });
    // The list keeps cards without their long texts (description,
    // schedule, contact, …); the page reads the whole record from storage,
    // which takes milliseconds, and shows what the list knows if it cannot.
    let service = LocalResource::new(move || {
        let listed = listed.get();
        let store = store.get();
        async move {
            let (card, home) = listed?;
            let whole = match (store, home) {
                (Some(store), Some((region, partition))) => store
                    .record(&region, Kind::Services, &partition, &card.id)
                    .await
                    .ok()
                    .flatten()
                    .and_then(|json| serde_json::from_str::<Service>(&json).ok())
                    .filter(|whole| whole.id == card.id),
                _ => None,
            };
            Some(whole.unwrap_or(card))
        }
    });
    move || match service.get() {
        // Reading the record: nothing yet, rather than a card that grows.
        None => ().into_any(),
        Some(Some(s)) => view! { <ServiceCard service=s /> }.into_any(),
        Some(None) => view! {
            <Missing section_key="catalogue-title">
                <Page title_key="service-not-found">
                    <p>{i18n.t("service-not-found-body")}</p>
                    <p><a href=app_href("/")>{i18n.t("not-found-home")}</a></p>
                </Page>
            </Missing>
        }
        .into_any(),
    }
}

/// The schedule's lines, with dates and times written by `datefmt` as on
/// the event pages.
fn schedule_lines(i18n: UseI18nReturn, schedule: &Schedule) -> Vec<String> {
    let lang = i18n.lang.get();
    let today = today();
    let mut lines = Vec::new();
    for w in &schedule.weekly {
        let days = w
            .days
            .iter()
            .map(|d| i18n.t_now(&format!("day-{}", format!("{d:?}").to_ascii_lowercase())))
            .collect::<Vec<_>>()
            .join(", ");
        lines.push(format!(
            "{days} {}",
            datefmt::feed_hours(&w.opens, &w.closes, lang)
        ));
    }
    for d in &schedule.dates {
        lines.push(datefmt::feed_day_hours(
            &d.date, &d.opens, &d.closes, lang, today,
        ));
    }
    for e in &schedule.exceptions {
        let when = datefmt::feed_days(&e.from, e.until.as_deref(), lang, today);
        let what = if e.closed {
            i18n.t_now("schedule-closed")
        } else {
            datefmt::feed_hours(
                e.opens.as_deref().unwrap_or_default(),
                e.closes.as_deref().unwrap_or_default(),
                lang,
            )
        };
        let note = localized(&e.note, lang).0;
        lines.push(format!("{when}: {what} {note}").trim().to_owned());
    }
    if let (Some(from), Some(until)) = (&schedule.valid_from, &schedule.valid_until) {
        lines.push(datefmt::feed_date_range(from, until, lang));
    }
    let note = localized(&schedule.note, lang).0;
    if !note.is_empty() {
        lines.push(note);
    }
    lines
}

#[component]
fn ServiceCard(service: Service) -> impl IntoView {
    let i18n = use_i18n();
    let cat = use_catalogue();
    let s = StoredValue::new(service);
    let name = Signal::derive(move || s.with_value(|s| s.name.clone()));
    Effect::new(move |_| {
        let (title, _) = localized(&name.get(), i18n.lang.get());
        document().set_title(&format!("{title} – {}", i18n.t_now("app-name")));
    });
    let organisation = move || {
        let c = cat.catalogue.get();
        s.with_value(|s| c.organisations.get(&s.organisation).cloned())
    };
    let text = move |f: fn(&Service) -> &talkoo_core::model::LangText| {
        Signal::derive(move || s.with_value(|s| f(s).clone()))
    };
    // "på finska" when the card's name or summary is not in the UI language.
    let shown_in = Signal::derive(move || {
        let lang = i18n.lang.get();
        s.with_value(|s| {
            localized(&s.name, lang)
                .1
                .or_else(|| localized(&s.summary, lang).1)
        })
    });
    view! {
        <article class="page card" aria-labelledby="page-title">
            <BackLink to="/" />
            <h1 id="page-title"><Text text=name /></h1>
            <p class="lead"><Text text=text(|s| &s.summary) /></p>
            <p class="tags">
                <span class="tag">{move || i18n.t_now(s.with_value(|s| match s.role {
                    ServiceRole::VolunteerTask => "role-volunteer_task",
                    ServiceRole::Service => "role-service",
                }))}</span>
                " "
                <span class="tag">{move || i18n.t_now(s.with_value(|s| match s.kind {
                    ServiceKind::Ongoing => "kind-ongoing",
                    ServiceKind::Popup => "kind-popup",
                }))}</span>
                " "
                <ShownIn tag=shown_in />
            </p>
            <div class="description" data-testid="service-description"><Text text=text(|s| &s.description) /></div>
            <dl class="facts">
                <dt>{i18n.t("service-organisation")}</dt>
                <dd>
                    {move || organisation().map(|o| {
                        let id = o.id.clone();
                        view! { <a href=app_href(&format!("/organisations#{id}"))><Text text=o.name.clone() /></a> }
                    })}
                </dd>
                <dt>{i18n.t("service-municipalities")}</dt>
                <dd>{move || { let lang = i18n.lang.get(); s.with_value(|s| s.municipalities.iter().map(|m| municipality_name(m, lang)).collect::<Vec<_>>().join(", ")) }}</dd>
                <dt>{i18n.t("service-groups")}</dt>
                <dd>{move || s.with_value(|s| s.target_groups.iter().map(|g| i18n.t_now(&format!("group-{}", g.code()))).collect::<Vec<_>>().join(", "))}</dd>
                <dt>{i18n.t("service-languages")}</dt>
                <dd>{move || s.with_value(|s| s.languages.iter().map(|l| language_name(i18n, l)).collect::<Vec<_>>().join(", "))}</dd>
                <dt>{i18n.t("service-cost")}</dt>
                <dd>{move || if s.with_value(|s| s.free) { i18n.t_now("service-free") } else { s.with_value(|s| localized(&s.cost, i18n.lang.get()).0) }}</dd>
                {move || s.with_value(|s| (!s.requirements.is_empty()).then(|| {
                    let req = s.requirements.clone();
                    view! { <dt>{i18n.t("service-requirements")}</dt><dd><Text text=req /></dd> }
                }))}
                {move || s.with_value(|s| s.schedule.clone()).map(|schedule| view! {
                    <dt>{i18n.t("service-schedule")}</dt>
                    <dd><ul class="plain">{schedule_lines(i18n, &schedule).into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul></dd>
                })}
                {move || s.with_value(|s| s.contact.clone()).map(|c| view! {
                    <dt>{i18n.t("service-contact")}</dt>
                    <dd>
                        <ul class="plain">
                            {c.name.map(|n| view! { <li>{n}</li> })}
                            {c.phone.and_then(|p| phone_link(&p).map(|href| view! { <li><ContactLink href=href text=p /></li> }))}
                            {c.email.and_then(|e| safe_link(&format!("mailto:{e}")).map(|href| view! { <li><ContactLink href=href text=e /></li> }))}
                            {c.web.and_then(|w| safe_link(&w).map(|href| view! { <li><a href=href rel="noopener noreferrer">{w}</a></li> }))}
                        </ul>
                    </dd>
                })}
                <dt>{i18n.t("service-modified")}</dt>
                <dd>{move || s.with_value(|s| datefmt::feed_date(&s.modified, i18n.lang.get()))}</dd>
            </dl>
            <BadgesOf service=s />
            <PlacesOf service=s />
        </article>
    }
}

/// The competence badges the feed says this task can earn, each with its
/// image and the hours it requires.
#[component]
fn BadgesOf(service: StoredValue<Service>) -> impl IntoView {
    let i18n = use_i18n();
    let cat = use_catalogue();
    let badges = move || {
        let c = cat.catalogue.get();
        let lang = i18n.lang.get();
        service.with_value(|s| {
            c.achievements_for(&s.id, lang)
                .into_iter()
                .map(|a| {
                    // The app does not run the feed's badge checks (they
                    // stay out of the shell), so only an inline image is
                    // drawn, never an address that would be fetched.
                    let image = a.image.clone().filter(|i| i.starts_with("data:image/"));
                    (a.name.clone(), image, a.hours)
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <Show when=move || !badges().is_empty()>
            <section aria-labelledby="badges-title" data-testid="service-badges">
                <h2 id="badges-title">{i18n.t("service-badges")}</h2>
                <ul class="plain badges">
                    {move || badges()
                        .into_iter()
                        .map(|(name, image, hours)| view! {
                            <li>
                                {image.map(|src| view! { <img src=src alt="" width="40" height="40" /> })}
                                <span><Text text=name /></span>
                                {hours.map(|h| view! {
                                    <span class="hint">
                                        {move || i18n.t_args("service-badge-hours", &[("hours", Arg::Num(f64::from(h)))])}
                                    </span>
                                })}
                            </li>
                        })
                        .collect_view()}
                </ul>
            </section>
        </Show>
    }
}

#[component]
fn PlacesOf(service: StoredValue<Service>) -> impl IntoView {
    let i18n = use_i18n();
    let cat = use_catalogue();
    let places = move || {
        let c = cat.catalogue.get();
        service.with_value(|s| {
            s.places
                .iter()
                .filter_map(|id| c.places().get(id).cloned())
                .collect::<Vec<_>>()
        })
    };
    view! {
        <Show when=move || !places().is_empty()>
            <section aria-labelledby="places-title">
                <h2 id="places-title">{i18n.t("service-places")}</h2>
                <ul class="plain places">
                    {move || {
                        let lang = i18n.lang.get();
                        places()
                            .into_iter()
                            .map(|p| {
                                let (street, _) = localized(&p.address.street, lang);
                                let (office, _) = localized(&p.address.post_office, lang);
                                let map = p.coordinates.map(|c| {
                                    format!("https://www.openstreetmap.org/?mlat={:.5}&mlon={:.5}#map=16/{:.5}/{:.5}", c.lat, c.lon, c.lat, c.lon)
                                });
                                let access = p.accessibility.clone();
                                view! {
                                    <li>
                                        <h3><Text text=p.name.clone() /></h3>
                                        <p>{format!("{street}, {} {office}", p.address.postal_code)}</p>
                                        {map.map(|href| view! { <p><a href=href rel="noopener noreferrer">{i18n.t("open-in-map")}</a></p> })}
                                        {(!access.is_empty()).then(|| view! { <p class="hint"><Text text=access /></p> })}
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </section>
        </Show>
    }
}
