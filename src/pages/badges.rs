//! The volunteer's competence badges: for now it says plainly that no badge is on this device yet (the badges issue fills it in).

use leptos::prelude::*;

use super::Page;
use crate::i18n::use_i18n;

/// `/badges`.
#[component]
pub fn BadgesPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Page title_key="badges-title">
            <p class="empty" data-testid="empty-state">{i18n.t("badges-empty")}</p>
        </Page>
    }
}
