//! The association directory: every organisation of the subscribed regions with its product cards.

use std::collections::BTreeMap;

use leptos::prelude::*;
use talkoo_core::collate::sort_by_name;
use talkoo_core::model::{phone_link, safe_link, Organisation};

use super::common::{localized, municipality_name, use_shown, ContactLink, ShowMore, Text};
use super::Page;
use crate::catalogue::use_catalogue;
use crate::i18n::use_i18n;
use crate::pwa::app_href;

/// A card as an association lists it: its id, and its name with the
/// language that name is in.
type Card = (String, (String, Option<String>));

/// The id the address's fragment names, if any.
fn fragment() -> Option<String> {
    let hash = window().location().hash().ok()?;
    let id = hash.strip_prefix('#').filter(|id| !id.is_empty())?;
    js_sys::decode_uri_component(id).ok()?.as_string()
}

/// `/organisations`.
#[component]
pub fn OrganisationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let cat = use_catalogue();
    let list = use_shown("/organisations");
    let count = move || cat.catalogue.with(|c| c.organisations.len());
    // The associations' ids in the order drawn: by the name shown, in the
    // UI language's alphabetical order.
    let order = Memo::new(move |_| {
        let lang = i18n.lang.get();
        cat.catalogue.with(|c| {
            let mut all: Vec<(&str, String)> = c
                .organisations
                .values()
                .map(|o| (o.id.as_str(), localized(&o.name, lang).0))
                .collect();
            sort_by_name(&mut all, lang, |(_, name)| name);
            all.into_iter()
                .map(|(id, _)| id.to_owned())
                .collect::<Vec<_>>()
        })
    });
    // How many are drawn: as many as the address says, or down to the
    // association its fragment names (`#id`, where a card links), however
    // far down the list that is; "Show more" counts from there.
    let drawn = Memo::new(move |_| {
        let wanted = fragment()
            .and_then(|id| order.with(|ids| ids.iter().position(|x| *x == id)))
            .map_or(0, |at| at + 1);
        list.shown.get().max(wanted)
    });
    view! {
        <Page title_key="organisations-title">
            <Show when=move || { count() > 0 } fallback=move || view! { <p class="empty" data-testid="empty-state">{i18n.t("organisations-empty")}</p> }>
                <ul class="plain directory" data-testid="organisations">
                    {move || {
                        let lang = i18n.lang.get();
                        let c = cat.catalogue.get();
                        // Only those drawn are copied.
                        let drawn = drawn.get();
                        let shown: Vec<Organisation> = order.with(|ids| {
                            ids.iter().take(drawn).filter_map(|id| c.organisations.get(id).cloned()).collect()
                        });
                        // The cards of the associations shown, in one pass
                        // over the services: asking each association's
                        // apart took 9 s at 50,000 cards.
                        let mut cards_of: BTreeMap<&str, Vec<Card>> =
                            shown.iter().map(|o| (o.id.as_str(), Vec::new())).collect();
                        for s in &c.services {
                            if let Some(cards) = cards_of.get_mut(s.organisation.as_str()) {
                                cards.push((s.id.clone(), localized(&s.name, lang)));
                            }
                        }
                        shown
                            .iter()
                            .map(|o| {
                                let mut cards = cards_of.remove(o.id.as_str()).unwrap_or_default();
                                sort_by_name(&mut cards, lang, |(_, (name, _))| name);
                                let cards = cards
                                    .into_iter()
                                    .map(|(id, (name, l))| {
                                        view! { <li><a href=app_href(&format!("/services/{id}"))><span lang=l>{name}</span></a></li> }
                                    })
                                    .collect_view();
                                let home = municipality_name(&o.municipality, lang);
                                view! {
                                    <li id=o.id.clone() class="organisation">
                                        <h2><Text text=o.name.clone() /></h2>
                                        <p class="meta">{home}</p>
                                        <p><Text text=o.description.clone() /></p>
                                        <p class="links">
                                            {o.web.as_deref().and_then(safe_link).map(|h| { let text = h.clone(); view! { <a href=h rel="noopener noreferrer">{text}</a> } })}
                                            " "
                                            {o.email.clone().and_then(|e| safe_link(&format!("mailto:{e}")).map(|h| view! { <ContactLink href=h text=e /> }))}
                                            " "
                                            {o.phone.clone().and_then(|p| phone_link(&p).map(|h| view! { <ContactLink href=h text=p /> }))}
                                        </p>
                                        <ul class="cards">{cards}</ul>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
                <ShowMore total=Signal::derive(count) drawn=drawn list=list />
            </Show>
        </Page>
    }
}
