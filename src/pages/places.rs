//! Meeting places and shared premises: the list, and one place with its address, hours, accessibility and booking.

use leptos::prelude::*;
use talkoo_core::collate::sort_by_name;
use talkoo_core::datefmt;
use talkoo_core::model::Place;

use super::common::{localized, municipality_name, use_shown, BackLink, Missing, ShowMore, Text};
use super::Page;
use crate::catalogue::use_catalogue;
use crate::i18n::use_i18n;
use crate::pwa::app_href;
use crate::router::use_route_id;

/// An OpenStreetMap link for the place, when it has coordinates.
fn map_link(place: &Place) -> Option<String> {
    place.coordinates.map(|c| {
        format!(
            "https://www.openstreetmap.org/?mlat={:.5}&mlon={:.5}#map=16/{:.5}/{:.5}",
            c.lat, c.lon, c.lat, c.lon
        )
    })
}

/// `/places`.
#[component]
pub fn PlacesPage() -> impl IntoView {
    let i18n = use_i18n();
    let cat = use_catalogue();
    let list = use_shown("/places");
    let count = move || cat.catalogue.with(|c| c.places().len());
    view! {
        <Page title_key="places-title">
            <Show when=move || { count() > 0 } fallback=move || view! { <p class="empty" data-testid="empty-state">{i18n.t("places-empty")}</p> }>
                <ul class="plain directory" data-testid="places">
                    {move || {
                        let lang = i18n.lang.get();
                        let c = cat.catalogue.get();
                        let mut all: Vec<(&Place, String, String)> = c
                            .places()
                            .values()
                            .map(|p| (p, municipality_name(&p.municipality, lang), localized(&p.name, lang).0))
                            .collect();
                        // By municipality, then name, both as shown and in
                        // the UI language's alphabetical order (Åbo after
                        // Vasa in Swedish): by name first, then a stable
                        // pass by municipality. Only those drawn are copied.
                        sort_by_name(&mut all, lang, |(_, _, name)| name);
                        sort_by_name(&mut all, lang, |(_, municipality, _)| municipality);
                        all.into_iter()
                            .take(list.shown.get())
                            .map(|(p, _, _)| p.clone())
                            .map(|p| {
                                let (street, _) = localized(&p.address.street, lang);
                                view! {
                                    <li>
                                        <h2><a href=app_href(&format!("/places/{}", p.id))><Text text=p.name.clone() /></a></h2>
                                        <p class="meta">{format!("{street}, {}", municipality_name(&p.municipality, lang))}</p>
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

/// `/places/:id`.
#[component]
pub fn PlacePage() -> impl IntoView {
    let i18n = use_i18n();
    let cat = use_catalogue();
    let route_id = use_route_id();
    let place = Memo::new(move |_| {
        let id = route_id.get().unwrap_or_default();
        cat.catalogue.get().places().get(&id).cloned()
    });
    move || match place.get() {
        None => view! {
            <Missing section_key="places-title">
                <Page title_key="place-not-found">
                    <p><a href=app_href("/places")>{i18n.t("places-title")}</a></p>
                </Page>
            </Missing>
        }
        .into_any(),
        Some(p) => {
            let lang = i18n.lang.get_untracked();
            let (street, _) = localized(&p.address.street, lang);
            let (office, _) = localized(&p.address.post_office, lang);
            let (name, name_lang) = localized(&p.name, lang);
            document().set_title(&format!("{name} – {}", i18n.t_now("app-name")));
            let hours = p.opening_hours.clone().map(|h| {
                h.weekly
                    .iter()
                    .map(|w| {
                        let days = w
                            .days
                            .iter()
                            .map(|d| {
                                i18n.t_now(&format!(
                                    "day-{}",
                                    format!("{d:?}").to_ascii_lowercase()
                                ))
                            })
                            .collect::<Vec<_>>();
                        format!(
                            "{} {}",
                            days.join(", "),
                            datefmt::feed_hours(&w.opens, &w.closes, lang)
                        )
                    })
                    .collect::<Vec<_>>()
            });
            let services = {
                let c = cat.catalogue.get_untracked();
                c.services
                    .iter()
                    .filter(|s| s.places.contains(&p.id))
                    .map(|s| (s.id.clone(), localized(&s.name, lang)))
                    .collect::<Vec<_>>()
            };
            let mut services = services;
            sort_by_name(&mut services, lang, |(_, (name, _))| name);
            view! {
                <article class="page" aria-labelledby="page-title">
                    <BackLink to="/places" />
                    <h1 id="page-title" lang=name_lang>{name}</h1>
                    <p><Text text=p.description.clone() /></p>
                    <dl class="facts">
                        <dt>{i18n.t("place-address")}</dt>
                        <dd>{format!("{street}, {} {office}", p.address.postal_code)}</dd>
                        {map_link(&p).map(|href| view! { <dt>{i18n.t("place-map")}</dt><dd><a href=href rel="noopener noreferrer">{i18n.t("open-in-map")}</a></dd> })}
                        {hours.filter(|h| !h.is_empty()).map(|h| view! { <dt>{i18n.t("place-hours")}</dt><dd><ul class="plain">{h.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul></dd> })}
                        {(!p.accessibility.is_empty()).then(|| view! { <dt>{i18n.t("place-accessibility")}</dt><dd><Text text=p.accessibility.clone() /></dd> })}
                        {(!p.booking.is_empty()).then(|| view! { <dt>{i18n.t("place-booking")}</dt><dd><Text text=p.booking.clone() /></dd> })}
                    </dl>
                    {(!services.is_empty()).then(|| view! {
                        <h2>{i18n.t("place-activities")}</h2>
                        <ul>{services.into_iter().map(|(id, (n, l))| view! { <li><a href=app_href(&format!("/services/{id}"))><span lang=l>{n}</span></a></li> }).collect_view()}</ul>
                    })}
                </article>
            }
            .into_any()
        }
    }
}
