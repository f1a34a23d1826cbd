//! Kiosk mode's place in the first-load shell: knowing at start-up that this device is a kiosk, preparing the page, refusing personal routes, and what the kiosk screens of the badges module are lent and told.
//!
//! Everything a kiosk draws, its idle controller, the exit PIN's hash and
//! the set-up link's parsing live in the badges module (`src/kiosk/`), so
//! phones that are never a kiosk do not download them. The shell keeps
//! only what must work before the module arrives or outside its element:
//! the start in the kiosk's language, the stylesheet, the history guard,
//! and the refusal of personal routes. The module reads what its screens
//! show from the store itself.

use leptos::prelude::*;
use talkoo_core::kiosk::home_lang_of_json;
use talkoo_core::Lang;
use talkoo_store::{keys, Store};
use wasm_bindgen::{JsCast, JsValue};

use crate::badges_host::{Hosted, ModuleHost};
use crate::i18n::use_i18n;
use crate::pages::Page;
use crate::pwa::{app_href, base_href};

/// What the shell reads of a kiosk's settings at start-up: the stored JSON
/// as it is, for the module, and the language every visit starts in.
#[derive(Debug, Clone)]
pub struct KioskStart {
    /// The stored settings' JSON, passed to the module unread.
    pub json: String,
    /// The language every visit starts in.
    pub home: Lang,
}

/// The kiosk's settings when this device is a kiosk: read from the store
/// before the first paint, so a kiosk opens straight into kiosk mode, in
/// its first language. Settings that name no language leave an ordinary
/// app; the full check (`KioskSettings::from_json`) is the module's, which
/// leaves kiosk mode when it fails.
pub async fn read_start(store: &impl Store) -> Option<KioskStart> {
    let json = match store.get_setting(keys::KIOSK).await {
        Ok(text) => text?,
        Err(e) => {
            leptos::logging::warn!("could not read the kiosk settings: {e}");
            return None;
        }
    };
    Some(KioskStart {
        home: home_lang_of_json(&json)?,
        json,
    })
}

/// Prepares the page for kiosk mode before the app is mounted: the kiosk
/// stylesheet (a file of its own, so phones never load it), the `kiosk`
/// class on `<html>` and the history guard. The address is left as it is:
/// a personal address typed in is refused by its route, and every reset
/// returns to the start anyway.
pub fn prepare_page() {
    let document = document();
    if let Some(root) = document.document_element() {
        let _ = root.class_list().add_1("kiosk");
    }
    if let (Some(head), Ok(link)) = (document.head(), document.create_element("link")) {
        let _ = link.set_attribute("rel", "stylesheet");
        let _ = link.set_attribute("href", &format!("{}kiosk.css", base_href()));
        let _ = head.append_child(&link);
    }
    guard_history();
}

/// Makes every navigation of this page replace the current history entry
/// instead of adding one, whichever code asks (the router's links, the
/// search box writing its query into the address): `history.pushState` is
/// shadowed by `replaceState` on this page's `history` object. The history
/// therefore never grows during a kiosk session, and there is nothing for
/// "Back" to return to.
fn guard_history() {
    let Ok(history) = window().history() else {
        return;
    };
    let replace = js_sys::Reflect::get(&history, &JsValue::from_str("replaceState"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let Some(replace) = replace {
        let bound = replace.bind0(&history);
        let _ = js_sys::Reflect::set(&history, &JsValue::from_str("pushState"), &bound);
    }
}

/// The shell's side of kiosk mode, for the components.
#[derive(Debug, Clone, Copy)]
pub struct KioskHost {
    start: StoredValue<Option<KioskStart>>,
    /// Whether the module's attract screen shows, so the shell's pages
    /// hide; true until the module says otherwise, so a kiosk never shows
    /// its pages before its attract screen.
    attract: RwSignal<bool>,
}

/// Sets up the shell's side of kiosk mode at the root of the app.
pub fn provide_kiosk_host(start: Option<KioskStart>) {
    provide_context(KioskHost {
        start: StoredValue::new(start),
        attract: RwSignal::new(true),
    });
}

/// The shell's side of kiosk mode.
pub fn use_kiosk_host() -> KioskHost {
    expect_context::<KioskHost>()
}

/// Whether this device runs as a kiosk.
pub fn is_kiosk() -> bool {
    use_kiosk_host().start.with_value(Option::is_some)
}

/// The kiosk's settings as read at start-up, when this device is one.
pub fn kiosk_start() -> Option<KioskStart> {
    use_kiosk_host().start.get_value()
}

/// Whether the kiosk's attract screen shows (always false on a phone).
pub fn attract_showing() -> Signal<bool> {
    let host = use_kiosk_host();
    Signal::derive(move || host.start.with_value(Option::is_some) && host.attract.get())
}

/// What the module's kiosk frame tells the shell (`tell("kind:value")`):
/// whether the attract screen shows (`screen:attract`, `screen:browsing`),
/// and a visitor's language (`lang:sv`), which is the page's and is not
/// saved on a kiosk.
pub fn tell_shell() -> impl Fn(String) + 'static {
    let host = use_kiosk_host();
    let i18n = use_i18n();
    move |message: String| match message.split_once(':') {
        Some(("screen", screen)) => host.attract.set(screen == "attract"),
        Some(("lang", tag)) => {
            if let Some(lang) = Lang::from_tag(tag) {
                i18n.set_lang.run(lang);
            }
        }
        _ => {}
    }
}

/// What a kiosk shows at a personal address (hours, badges, settings, the
/// set-up link): a plain refusal with the way back to browsing. The route
/// itself refuses, so typing the address gets no further than the menu.
#[component]
pub fn KioskRefused() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Page title_key="kiosk-refused-title">
            <p data-testid="kiosk-refused">{i18n.t("kiosk-refused-body")}</p>
            <p><a href=app_href("/")>{i18n.t("not-found-home")}</a></p>
        </Page>
    }
}

/// `/kiosk/setup?…`: the module draws what the link sets up, or its
/// problems.
#[component]
pub fn KioskSetupHost() -> impl IntoView {
    view! { <ModuleHost what=Hosted::KioskSetup /> }
}

/// Settings → "Use this device as a kiosk": the heading and introduction,
/// and the module's set-up form. Where the service worker has the module
/// cached the form is drawn at once (Settings starts the module anyway, for
/// backups); otherwise a button downloads it, so a phone that only looks at
/// its settings downloads nothing more.
#[component]
pub fn KioskSettingsSection() -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(crate::pwa::has_controller());
    view! {
        <section aria-labelledby="settings-kiosk">
            <h2 id="settings-kiosk">{i18n.t("kiosk-settings-heading")}</h2>
            <p>{i18n.t("kiosk-settings-intro")}</p>
            <Show
                when=move || open.get()
                fallback=move || view! {
                    <button type="button" on:click=move |_| open.set(true)>
                        {i18n.t("kiosk-settings-open")}
                    </button>
                }
            >
                <ModuleHost what=Hosted::KioskSection />
            </Show>
        </section>
    }
}
