//! The volunteer's competence badges: for now it says plainly that no badge is on this device yet (the badges issue fills it in), and leads to checking someone else's badge.

use leptos::prelude::*;
use leptos_router::components::A;

use super::Page;
use crate::i18n::use_i18n;
use crate::pwa::app_href;

/// `/badges`.
#[component]
pub fn BadgesPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Page title_key="badges-title">
            <p class="empty" data-testid="empty-state">{i18n.t("badges-empty")}</p>
            <p><A href=app_href("/badges/check")>{i18n.t("badge-check-link")}</A></p>
        </Page>
    }
}
