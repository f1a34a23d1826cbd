//! Events: the upcoming ones by date, and one event's page with everything needed to go (when, where, who organises, how to enrol) and its calendar file.

use leptos::prelude::*;
use talkoo_core::datefmt;
use talkoo_core::i18n::Arg;
use talkoo_core::ics::event_ics;
use talkoo_core::model::{EnrolmentPhase, EnrolmentWay, Event};
use talkoo_core::time::DateTime;
use talkoo_core::Lang;

use super::common::{
    language_name, localized, use_shown, BackLink, ContactLink, Missing, ShowMore, Text,
};
use super::{NamedPage, Page};
use crate::browser::{now_ms, now_rfc3339, today};
use crate::catalogue::use_catalogue;
use crate::i18n::{use_i18n, UseI18nReturn};
use crate::pwa::app_href;
use crate::router::use_route_id;

/// When the event is, as the UI language writes it (`ti 5.12. klo
/// 10.00–14.00`); the feed's own text if it cannot be read.
fn when(e: &Event, lang: Lang) -> String {
    match (DateTime::parse(&e.start), DateTime::parse(&e.end)) {
        (Some(start), Some(end)) => datefmt::span(start, end, lang, today()),
        _ => format!("{} – {}", e.start, e.end),
    }
}

/// A feed moment (an enrolment date) with its weekday.
fn moment(text: &str, lang: Lang) -> Option<String> {
    DateTime::parse(text).map(|t| datefmt::moment(t, lang, today()))
}

/// "Osallistujia enintään 35".
fn capacity(i18n: UseI18nReturn, e: &Event) -> Option<String> {
    e.capacity
        .map(|n| i18n.t_args("event-capacity", &[("n", Arg::Num(f64::from(n)))]))
}

/// The link to an event's page.
fn event_href(id: &str) -> String {
    app_href(&format!("/events/{id}"))
}

/// `/events`.
#[component]
pub fn EventsPage() -> impl IntoView {
    let i18n = use_i18n();
    let cat = use_catalogue();
    let list = use_shown("/events");
    // A closure, not a memo, though the page asks it more than once: a
    // memo's code would go into the first-load shell with the function
    // table, and counting 5,000 events is quick.
    let count = move || {
        cat.catalogue
            .with(|c| c.upcoming_events(now_ms() / 1000).len())
    };
    view! {
        <Page title_key="events-title">
            <Show when=move || { count() > 0 } fallback=move || view! { <p class="empty" data-testid="empty-state">{i18n.t("events-empty")}</p> }>
                <ul class="plain directory" data-testid="events">
                    {move || {
                        let lang = i18n.lang.get();
                        let c = cat.catalogue.get();
                        c.upcoming_events(now_ms() / 1000)
                            .into_iter()
                            .take(list.shown.get())
                            .map(|e| {
                                let place = e.place.as_ref().and_then(|id| c.places().get(id)).cloned();
                                let organiser = c.organisations.get(&e.organiser).map(|o| localized(&o.name, lang));
                                let languages = e.languages.iter().map(|l| language_name(i18n, l)).collect::<Vec<_>>().join(", ");
                                let mut meta = vec![languages];
                                meta.extend(capacity(i18n, e));
                                let (name, href, start, when) = (e.name.clone(), event_href(&e.id), e.start.clone(), when(e, lang));
                                view! {
                                    <li class="event" data-testid="event">
                                        <h2><a href=href><Text text=name /></a></h2>
                                        <p class="when" data-testid="event-when"><strong><time datetime=start>{when}</time></strong></p>
                                        {place.map(|p| view! { <p><a href=app_href(&format!("/places/{}", p.id))><Text text=p.name.clone() /></a></p> })}
                                        <p><Text text=e.description.clone() /></p>
                                        <p class="meta">
                                            {organiser.map(|(n, l)| view! { <span lang=l>{n}</span> " · " })}
                                            {meta.join(" · ")}
                                        </p>
                                        {e.enrolment.as_ref().filter(|en| en.required).map(|en| {
                                            let closes = en.closes.as_deref().and_then(|t| moment(t, lang));
                                            view! {
                                                <p class="hint">
                                                    {i18n.t("event-enrolment")}
                                                    {closes.map(|when| format!(" {}", i18n.t_args("event-enrolment-closes", &[("when", Arg::Str(&when))])))}
                                                </p>
                                            }
                                        })}
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
                <ShowMore total=Signal::derive(count) list=list />
            </Show>
        </Page>
    }
}

/// `/events/:id`: works offline and from a saved link, since it reads the
/// catalogue kept on the device.
#[component]
pub fn EventPage() -> impl IntoView {
    let i18n = use_i18n();
    let cat = use_catalogue();
    let route_id = use_route_id();
    let event = Memo::new(move |_| {
        let id = route_id.get().unwrap_or_default();
        cat.catalogue.get().event(&id).cloned()
    });
    move || match event.get() {
        Some(e) => view! { <EventDetails event=e /> }.into_any(),
        // Until the stored catalogue has been read, or on a phone that has
        // chosen no region yet, "not found" would be a false alarm.
        None => view! {
            <Missing section_key="events-title">
                <Page title_key="event-not-found">
                    <p data-testid="event-not-found">{i18n.t("event-not-found-body")}</p>
                    <p><a href=app_href("/events")>{i18n.t("event-all")}</a></p>
                </Page>
            </Missing>
        }
        .into_any(),
    }
}

#[component]
fn EventDetails(event: Event) -> impl IntoView {
    let i18n = use_i18n();
    let cat = use_catalogue();
    let e = StoredValue::new(event);
    let title = Signal::derive(move || e.with_value(|e| localized(&e.name, i18n.lang.get())));
    let c = cat.catalogue.get_untracked();
    let (place, organiser) = e.with_value(|e| {
        (
            e.place.as_ref().and_then(|id| c.places().get(id)).cloned(),
            c.organisations.get(&e.organiser).cloned(),
        )
    });
    let place = StoredValue::new(place);
    let over =
        e.with_value(|e| DateTime::parse(&e.end).is_some_and(|end| end.unix() < now_ms() / 1000));
    let ics_href = move || {
        let lang = i18n.lang.get();
        e.with_value(|e| place.with_value(|p| event_ics(e, p.as_ref(), lang.tag(), &now_rfc3339())))
            .map(|text| {
                format!(
                    "data:text/calendar;charset=utf-8,{}",
                    String::from(js_sys::encode_uri_component(&text))
                )
            })
    };
    let facts = move || {
        let lang = i18n.lang.get();
        e.with_value(|e| {
            let languages = e.languages.iter().map(|l| language_name(i18n, l)).collect::<Vec<_>>().join(", ");
            let audience = e.audience.iter().map(|g| i18n.t_now(&format!("group-{}", g.code()))).collect::<Vec<_>>().join(", ");
            let price = if e.free { Some(i18n.t_now("event-free")) } else { Some(localized(&e.price, lang).0).filter(|p| !p.is_empty()) };
            let organiser = organiser.as_ref().map(|o| localized(&o.name, lang));
            view! {
                <dl class="facts">
                    <dt>{i18n.t("event-when")}</dt>
                    <dd data-testid="event-when"><time datetime=e.start.clone()>{when(e, lang)}</time></dd>
                    {place.with_value(|p| p.clone()).map(|p| {
                        let (street, _) = localized(&p.address.street, lang);
                        let (office, _) = localized(&p.address.post_office, lang);
                        view! {
                            <dt>{i18n.t("event-place")}</dt>
                            <dd>
                                <a href=app_href(&format!("/places/{}", p.id))><Text text=p.name.clone() /></a>
                                <br />
                                {format!("{street}, {} {office}", p.address.postal_code)}
                            </dd>
                        }
                    })}
                    {organiser.map(|(name, l)| view! { <dt>{i18n.t("event-organiser")}</dt><dd lang=l>{name}</dd> })}
                    {(!languages.is_empty()).then(|| view! { <dt>{i18n.t("event-languages")}</dt><dd>{languages}</dd> })}
                    {(!audience.is_empty()).then(|| view! { <dt>{i18n.t("event-audience")}</dt><dd>{audience}</dd> })}
                    {price.map(|p| view! { <dt>{i18n.t("event-price")}</dt><dd>{p}</dd> })}
                </dl>
            }
        })
    };
    view! {
        <NamedPage title=Signal::derive(move || title.get().0) title_lang=Signal::derive(move || title.get().1)>
            <BackLink to="/events" />
            {over.then(|| view! { <p class="warning">{i18n.t("event-past")}</p> })}
            {facts}
            <p class="event-description"><Text text=e.with_value(|e| e.description.clone()) /></p>
            <Enrolment event=e.get_value() />
            {move || ics_href().map(|href| view! {
                <p><a class="button-link" href=href download=e.with_value(|e| format!("{}.ics", e.id)) data-testid="add-to-calendar">{i18n.t_now("event-add-to-calendar")}</a></p>
            })}
        </NamedPage>
    }
}

/// Whether and how to enrol, by when, and how many fit. An event without
/// required enrolment may still give a note and a contact (ordering a ride,
/// for one), shown as further information rather than as enrolling.
#[component]
fn Enrolment(event: Event) -> impl IntoView {
    let i18n = use_i18n();
    let enrolment = event.enrolment.clone().unwrap_or_default();
    let required = enrolment.required;
    let phase = required.then(|| enrolment.phase(now_ms() / 1000));
    let participants = event.capacity;
    let way = enrolment
        .way()
        .filter(|_| phase != Some(EnrolmentPhase::Closed));
    let note = enrolment.note.clone();
    let en = StoredValue::new(enrolment);
    let dates = move || {
        let lang = i18n.lang.get();
        let line = match phase? {
            EnrolmentPhase::NotOpen => en
                .with_value(|en| en.opens.clone())
                .and_then(|t| moment(&t, lang))
                .map(|when| i18n.t_args("event-enrolment-opens", &[("when", Arg::Str(&when))])),
            EnrolmentPhase::Open => en
                .with_value(|en| en.closes.clone())
                .and_then(|t| moment(&t, lang))
                .map(|when| i18n.t_args("event-enrolment-closes", &[("when", Arg::Str(&when))])),
            EnrolmentPhase::Closed => Some(i18n.t_now("event-enrolment-closed")),
        };
        line.map(|l| view! { <p data-testid="enrolment-dates">{l}</p> })
    };
    let (web, email, phone) = if required {
        ("event-enrol-web", "event-enrol-email", "event-enrol-phone")
    } else {
        (
            "event-more-info",
            "event-more-info-email",
            "event-more-info-phone",
        )
    };
    let how = way.map(|way| match way {
        EnrolmentWay::Web(link) => view! {
            <p><a class="button-link primary" href=link rel="noopener noreferrer" data-testid="enrol-link">{i18n.t(web)}</a></p>
        }
        .into_any(),
        EnrolmentWay::Email { link, address } => view! {
            <p>{i18n.t(email)} " " <ContactLink href=link text=address testid="enrol-link" /></p>
        }
        .into_any(),
        EnrolmentWay::Phone { link, number } => view! {
            <p>{i18n.t(phone)} " " <ContactLink href=link text=number testid="enrol-link" /></p>
        }
        .into_any(),
    });
    view! {
        <section aria-labelledby="event-enrolment" data-testid="enrolment">
            <h2 id="event-enrolment">{i18n.t("event-enrolment-heading")}</h2>
            <p data-testid="enrolment-required">{i18n.t(if required { "event-enrolment" } else { "event-enrolment-none" })}</p>
            {dates}
            {how}
            {(!note.is_empty()).then(|| view! { <p><Text text=note /></p> })}
            {participants.map(|n| view! {
                <p data-testid="event-capacity">{move || i18n.t_args("event-capacity", &[("n", Arg::Num(f64::from(n)))])}</p>
            })}
        </section>
    }
}
