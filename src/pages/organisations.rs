//! The association directory: every organisation of the subscribed regions with its product cards.

use leptos::prelude::*;
use talkoo_core::collate::sort_by_name;
use talkoo_core::model::{phone_link, safe_link};

use super::common::{localized, municipality_name, ContactLink, Text};
use super::Page;
use crate::catalogue::use_catalogue;
use crate::i18n::use_i18n;
use crate::pwa::app_href;

/// `/organisations`.
#[component]
pub fn OrganisationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let cat = use_catalogue();
    let organisations = move || {
        let lang = i18n.lang.get();
        let c = cat.catalogue.get();
        // By the name shown, in the UI language's alphabetical order.
        let mut list: Vec<_> = c
            .organisations
            .values()
            .map(|o| (o.clone(), localized(&o.name, lang).0))
            .collect();
        sort_by_name(&mut list, lang, |(_, name)| name);
        list.into_iter().map(|(o, _)| o).collect::<Vec<_>>()
    };
    view! {
        <Page title_key="organisations-title">
            <Show when=move || !organisations().is_empty() fallback=move || view! { <p class="empty" data-testid="empty-state">{i18n.t("organisations-empty")}</p> }>
                <ul class="plain directory" data-testid="organisations">
                    {move || {
                        let lang = i18n.lang.get();
                        let c = cat.catalogue.get();
                        organisations()
                            .into_iter()
                            .map(|o| {
                                let mut cards: Vec<_> = c
                                    .services_of(&o.id)
                                    .into_iter()
                                    .map(|s| (s.id.clone(), localized(&s.name, lang)))
                                    .collect();
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
            </Show>
        </Page>
    }
}
