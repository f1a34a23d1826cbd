//! "Install Talkoo": the one-time offer after the first region download, and the Settings section that always explains installing.

use leptos::prelude::*;
use talkoo_core::install::InstallWay;
use talkoo_store::{keys, Store};

use crate::catalogue::use_catalogue;
use crate::i18n::use_i18n;
use crate::pwa::use_install;
use crate::storage::use_store;

/// What to do for the way this browser installs: the browser's own prompt
/// behind a button, or the Add to Home Screen steps on iPhone and iPad.
#[component]
fn InstallSteps(way: InstallWay) -> impl IntoView {
    let i18n = use_i18n();
    let install = use_install();
    match way {
        InstallWay::Prompt => view! {
            <button type="button" class="primary" data-testid="install" on:click=move |_| install.install.run(())>
                {i18n.t("install-button")}
            </button>
        }
        .into_any(),
        InstallWay::HomeScreen => view! { <p data-testid="install-ios">{i18n.t("install-ios-steps")}</p> }.into_any(),
    }
}

/// Shown once on this device, after the first region has been downloaded
/// (when the app has something to keep offline). Showing it is remembered
/// at once, so it never returns, even if it is ignored; Settings keeps the
/// explanation.
#[component]
pub fn InstallOffer() -> impl IntoView {
    let i18n = use_i18n();
    let install = use_install();
    let cat = use_catalogue();
    let store = use_store();
    // Read once: the answer at start decides for this visit.
    let offered_before = LocalResource::new(move || {
        let store = store.get();
        async move {
            match store {
                Some(store) => store
                    .get_setting(keys::INSTALL_OFFERED)
                    .await
                    .map(|v| v.is_some()),
                // Without storage the offer could not be remembered, and
                // would return on every start: so it is not made.
                None => Ok(true),
            }
        }
    });
    let dismissed = RwSignal::new(false);
    let offer = Memo::new(move |_| {
        let before = offered_before.get()?.unwrap_or(true);
        let downloaded =
            cat.status.with(|s| s.last_success.is_some()) && cat.subscribed.with(Option::is_some);
        let way = install.way.get()?;
        (!dismissed.get() && downloaded && !before).then_some(way)
    });
    // Remembering that the offer was made is the outside world.
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) || offer.get().is_none() {
            return done.unwrap_or(false);
        }
        if let Some(store) = store.get() {
            leptos::task::spawn_local(async move {
                if let Err(e) = store.put_setting(keys::INSTALL_OFFERED, "1").await {
                    leptos::logging::warn!("could not remember the install offer: {e}");
                }
            });
        }
        true
    });
    // `data-decided` tells a test (or anyone) that the stored answer has
    // been read, so that no offer then means none is coming.
    let decided = move || offered_before.get().is_some().to_string();
    view! {
        <div class="install-offer-region" data-testid="install-offer-region" data-decided=decided>
        {move || offer.get().map(|way| view! {
            <aside class="install-offer" aria-labelledby="install-offer-title" data-testid="install-offer">
                <h2 id="install-offer-title">{i18n.t("install-title")}</h2>
                <p>{i18n.t("install-why")}</p>
                <div class="actions">
                    <InstallSteps way=way />
                    <button type="button" data-testid="install-later" on:click=move |_| dismissed.set(true)>{i18n.t("install-later")}</button>
                </div>
            </aside>
        })}
        </div>
    }
}

/// Settings: installing explained, whatever the browser allows.
#[component]
pub fn InstallSection() -> impl IntoView {
    let i18n = use_i18n();
    let install = use_install();
    view! {
        <section aria-labelledby="settings-install" data-testid="settings-install">
            <h2 id="settings-install">{i18n.t("settings-install-heading")}</h2>
            {move || {
                if install.installed.get() {
                    return view! { <p>{i18n.t("settings-install-installed")}</p> }.into_any();
                }
                match install.way.get() {
                    Some(way) => view! {
                        <p>{i18n.t("install-why")}</p>
                        <div class="actions"><InstallSteps way=way /></div>
                    }
                    .into_any(),
                    None => view! { <p>{i18n.t("settings-install-unavailable")}</p> }.into_any(),
                }
            }}
        </section>
    }
}
