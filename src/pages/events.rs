//! Events by date, upcoming first and past ones hidden, each with an "add to calendar" file.

use leptos::prelude::*;
use leptos_router::components::A;
use talkoo_core::ics::event_ics;
use talkoo_core::time::DateTime;

use super::common::{language_name, localized, Text};
use super::Page;
use crate::browser::now_rfc3339;
use crate::catalogue::use_catalogue;
use crate::i18n::use_i18n;
use crate::pwa::app_href;

/// `5.12.2026 10.00–14.00` from the local times the feed writes.
fn when(start: &str, end: &str) -> String {
    let (Some(s), Some(e)) = (DateTime::parse(start), DateTime::parse(end)) else {
        return format!("{start} – {end}");
    };
    let hm = |t: &DateTime| format!("{:02}.{:02}", t.seconds / 3600, t.seconds % 3600 / 60);
    let day = |t: &DateTime| format!("{}.{}.{}", t.date.day, t.date.month, t.date.year);
    if s.date == e.date {
        format!("{} {}–{}", day(&s), hm(&s), hm(&e))
    } else {
        format!("{} {} – {} {}", day(&s), hm(&s), day(&e), hm(&e))
    }
}

/// `/events`.
#[component]
pub fn EventsPage() -> impl IntoView {
    let i18n = use_i18n();
    let cat = use_catalogue();
    let upcoming = move || {
        let now = (js_sys::Date::now() / 1000.0) as i64;
        cat.catalogue
            .get()
            .upcoming_events(now)
            .into_iter()
            .cloned()
            .collect::<Vec<_>>()
    };
    view! {
        <Page title_key="events-title">
            <Show when=move || !upcoming().is_empty() fallback=move || view! { <p class="empty" data-testid="empty-state">{i18n.t("events-empty")}</p> }>
                <ul class="plain directory" data-testid="events">
                    {move || {
                        let lang = i18n.lang.get();
                        let c = cat.catalogue.get();
                        upcoming()
                            .into_iter()
                            .map(|e| {
                                let place = e.place.as_ref().and_then(|id| c.places.get(id)).cloned();
                                let ics = event_ics(&e, place.as_ref(), lang.tag(), &now_rfc3339()).map(|text| {
                                    format!("data:text/calendar;charset=utf-8,{}", String::from(js_sys::encode_uri_component(&text)))
                                });
                                let organiser = c.organisations.get(&e.organiser).map(|o| localized(&o.name, lang));
                                let languages = e.languages.iter().map(|l| language_name(i18n, l)).collect::<Vec<_>>().join(", ");
                                let file = format!("{}.ics", e.id);
                                view! {
                                    <li class="event">
                                        <h2><Text text=e.name.clone() /></h2>
                                        <p class="when"><strong>{when(&e.start, &e.end)}</strong></p>
                                        {place.map(|p| view! { <p><A href=app_href(&format!("/places/{}", p.id))><Text text=p.name.clone() /></A></p> })}
                                        <p><Text text=e.description.clone() /></p>
                                        <p class="meta">
                                            {organiser.map(|(n, l)| view! { <span lang=l>{n}</span> })}
                                            " · " {languages}
                                            {e.capacity.map(|n| format!(" · {} {n}", i18n.t_now("event-capacity")))}
                                        </p>
                                        {e.enrolment.clone().filter(|en| en.required).map(|en| view! {
                                            <p class="hint">{i18n.t("event-enrolment")} " " <Text text=en.note.clone() /></p>
                                        })}
                                        {ics.map(|href| view! { <p><a href=href download=file>{i18n.t("event-add-to-calendar")}</a></p> })}
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </Show>
        </Page>
    }
}
