//! The page for any address the app does not know, with a way home.

use leptos::prelude::*;
use leptos_router::components::A;

use super::Page;
use crate::i18n::use_i18n;
use crate::pwa::app_href;

/// Any address the app does not know.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Page title_key="not-found-title">
            <p>{i18n.t("not-found-body")}</p>
            <p><A href=app_href("/")>{i18n.t("not-found-home")}</A></p>
        </Page>
    }
}
