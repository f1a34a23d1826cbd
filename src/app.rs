//! The application shell: start-up (storage, language), the layout every page shares, and the routes.

use leptos::prelude::*;
use talkoo_core::nav::{personal, Route, Section};
use talkoo_core::Lang;
use talkoo_store::idb::IdbStore;
use talkoo_store::{keys, Store};
use wasm_bindgen::JsCast;

use crate::badges_host::{provide_badges_module, BadgesHost, Hosted, HoursHost, ModuleHost};
use crate::catalogue::{provide_catalogue, use_catalogue};
use crate::i18n::{provide_i18n, use_i18n};
use crate::kiosk_host::{
    attract_showing, is_kiosk, provide_kiosk_host, KioskRefused, KioskSetupHost, KioskStart,
};
use crate::lazy_pages::{warm_when_shown, Lazily, LazyPage, PageLoader, Pages};
use crate::pages::common::{app_route, provide_list_queries};
use crate::pages::InstallOffer;
use crate::pages::{CataloguePage, NotFoundPage};
use crate::pwa::{app_href, provide_service_worker, use_online, use_service_worker};
use crate::router::{provide_router, use_location, use_route};
use crate::storage::{provide_store, request_persistence, use_store};

/// Opens storage and reads the saved language and the kiosk settings before
/// the first paint, so the app never flashes in the wrong language and a
/// kiosk opens straight into kiosk mode, then mounts the app. `pages`
/// draws the pages kept out of the shell (`src/lazy_pages.rs`).
pub fn mount(pages: PageLoader) {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(async move {
        let store = IdbStore::open_default().await;
        let (saved, kiosk) = match &store {
            Ok(store) => (
                store.get_setting(keys::LANGUAGE).await.ok().flatten(),
                crate::kiosk_host::read_start(store).await,
            ),
            Err(_) => (None, None),
        };
        let lang = match &kiosk {
            // A kiosk starts every visit in its first offered language.
            Some(kiosk) => kiosk.home,
            None => saved
                .as_deref()
                .and_then(Lang::from_tag)
                .unwrap_or_else(|| Lang::negotiate(&browser_languages())),
        };
        // Finnish is built in; another language's messages are read first,
        // and a device that cannot read them (offline before the service
        // worker has them) starts in Finnish.
        let lang = if crate::i18n::load_messages(lang).await {
            lang
        } else {
            Lang::Fi
        };
        if kiosk.is_some() {
            crate::kiosk_host::prepare_page();
        }
        // Kept current at every start, so the next one paints its first
        // screen right (and a device set up before the mirror existed
        // catches up).
        crate::i18n::remember_for_boot(crate::i18n::BOOT_LANG, saved.as_deref());
        crate::i18n::remember_for_boot(crate::i18n::BOOT_KIOSK, kiosk.is_some().then_some("1"));
        request_persistence();
        // The static header that index.html shows while the wasm downloads
        // goes in the same task as the app arrives, so nothing flashes.
        if let Some(boot) = document().get_element_by_id("boot") {
            boot.remove();
        }
        mount_to_body(move || {
            provide_context(Pages(pages));
            view! { <App store=store lang=lang kiosk=kiosk /> }
        });
    });
}

fn browser_languages() -> Vec<String> {
    window()
        .navigator()
        .languages()
        .iter()
        .filter_map(|value| value.as_string())
        .collect()
}

#[component]
fn App(
    store: Result<IdbStore, talkoo_store::StoreError>,
    lang: Lang,
    kiosk: Option<KioskStart>,
) -> impl IntoView {
    provide_store(store);
    if kiosk.is_some() {
        // A kiosk whose storage gave way to a newer Talkoo in another tab
        // starts again at once, as at a visitor's reset: nobody is asked.
        let store = use_store();
        Effect::new(move |_| {
            if store.given_way() {
                let _ = window().location().replace(&app_href("/"));
            }
        });
    }
    provide_i18n(lang, kiosk.is_none());
    provide_kiosk_host(kiosk);
    provide_service_worker();
    provide_catalogue();
    warm_when_shown(use_catalogue().catalogue);
    provide_badges_module();
    provide_router();

    view! { <Layout /> }
}

/// The layout every page shares. A kiosk has no update prompt, install
/// offer or menu of personal sections, hides the pages while the badges
/// module's attract screen shows, and lends the module an element for the
/// attract screen or the bar at the bottom, the idle warning, the exit
/// corner and the PIN dialog. Personal addresses (hours, badges, Check a
/// badge too, settings, the set-up link) are refused there by the address
/// itself, typed or linked, not only left out of the menu: Check a badge
/// would load a visitor's own credential on a shared screen, which a
/// phone does better.
#[component]
fn Layout() -> impl IntoView {
    let i18n = use_i18n();
    provide_list_queries();
    let kiosk = is_kiosk();
    let attract = attract_showing();
    let location = use_location();
    let refused = Memo::new(move |_| kiosk && location.pathname.with(|p| personal(app_route(p))));
    view! {
        <Show when=move || !attract.get()>
            <a class="skip-link" href="#main" on:click=skip_to_content>{i18n.t("skip-to-content")}</a>
            <header class="app-header">
                <a href=app_href("/") class="brand">
                    <img src="icons/icon.svg" alt="" width="32" height="32" />
                    <span>{i18n.t("app-name")}</span>
                </a>
                <OnlineIndicator />
            </header>
            {(!kiosk).then(|| view! {
                <UpdatePrompt />
                <InstallOffer />
                <AppNav />
            })}
            <main id="main" tabindex="-1">
                <Show when=move || !refused.get() fallback=KioskRefused>
                    <AppRoutes />
                </Show>
            </main>
        </Show>
        {kiosk.then(|| view! { <ModuleHost what=Hosted::Kiosk /> })}
    }
}

/// Every route (`Route::of` says which address draws which page); a
/// kiosk refuses the personal ones before they are drawn (see
/// [`Layout`]). A card's page is drawn again for another card, so nothing
/// of the last one's state stays; the hours and badge pages stay for
/// every address under them, as the module follows the address itself.
#[component]
fn AppRoutes() -> impl IntoView {
    let route = use_route();
    move || match route.get() {
        Route::Catalogue => view! { <CataloguePage /> }.into_any(),
        // The pages the first screen does not show come from a module of
        // their own (src/lazy_pages.rs), loaded once results are shown.
        Route::Service(_) => view! { <Lazily page=LazyPage::Card /> }.into_any(),
        Route::Organisations => view! { <Lazily page=LazyPage::Organisations /> }.into_any(),
        Route::Places => view! { <Lazily page=LazyPage::Places /> }.into_any(),
        Route::Place(_) => view! { <Lazily page=LazyPage::Place /> }.into_any(),
        Route::Events => view! { <Lazily page=LazyPage::Events /> }.into_any(),
        Route::Event(_) => view! { <Lazily page=LazyPage::Event /> }.into_any(),
        // The badges module draws these pages (src/badges_host.rs), and
        // the page a kiosk set-up link opens.
        Route::Hours => view! { <HoursHost /> }.into_any(),
        Route::Badges => view! { <BadgesHost /> }.into_any(),
        Route::Settings => view! { <Lazily page=LazyPage::Settings /> }.into_any(),
        Route::KioskSetup => view! { <KioskSetupHost /> }.into_any(),
        Route::NotFound => view! { <NotFoundPage /> }.into_any(),
    }
}

/// The main navigation. A wide screen shows every section in one row under
/// the header; a narrow one a bar at the bottom, as installed apps have it:
/// the three most used sections and "More", a disclosure button whose list
/// holds the rest (Escape closes it and returns focus to the button). The
/// current section is marked with `aria-current="page"` on every page, a
/// card's, a place's and an event's included (`Section::of`); when it is
/// behind "More", the button is marked too. A tap beside the open list
/// (on a dimmed backdrop) closes it as well.
#[component]
fn AppNav() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let current = Memo::new(move |_| location.pathname.with(|p| Section::of(app_route(p))));
    // The menu is open for the address it was opened at, so following one
    // of its links (or any other navigation) closes it without an effect.
    let opened_at = RwSignal::new(None::<String>);
    let here = move || location.pathname.get() + "?" + &location.search.get();
    let open = Memo::new(move |_| opened_at.get().is_some_and(|at| at == here()));
    let more_button = NodeRef::<leptos::html::Button>::new();
    let close = move || {
        opened_at.set(None);
        if let Some(button) = more_button.get_untracked() {
            let _ = button.focus();
        }
    };
    let link = move |section: Section| {
        view! {
            <li>
                <a
                    href=app_href(section.route())
                    aria-current=move || (current.get() == Some(section)).then_some("page")
                >
                    {(!section.in_more()).then(|| view! { <NavIcon section=Some(section) /> })}
                    <span class="label">{i18n.t(section.label_key())}</span>
                </a>
            </li>
        }
    };
    view! {
        <nav
            class="app-nav"
            aria-label=i18n.t("nav-label")
            data-testid="app-nav"
            on:keydown=move |ev| {
                if ev.key() == "Escape" && open.get_untracked() {
                    ev.prevent_default();
                    close();
                }
            }
        >
            <Show when=move || open.get()>
                <div class="nav-backdrop" aria-hidden="true" on:click=move |_| opened_at.set(None)></div>
            </Show>
            <ul class="nav-bar">
                {Section::BAR.into_iter().map(link).collect_view()}
                <li class="nav-more-item">
                    <button
                        type="button"
                        class="nav-more"
                        class:current=move || current.get().is_some_and(Section::in_more)
                        aria-expanded=move || open.get().to_string()
                        aria-controls="nav-more-list"
                        node_ref=more_button
                        on:click=move |_| {
                            if open.get_untracked() {
                                opened_at.set(None);
                            } else {
                                opened_at.set(Some(here()));
                            }
                        }
                    >
                        <NavIcon section=None />
                        <span class="label">{i18n.t("nav-more")}</span>
                    </button>
                </li>
            </ul>
            <ul id="nav-more-list" class="nav-more-list" class:open=move || open.get()>
                {Section::MORE.into_iter().map(link).collect_view()}
            </ul>
        </nav>
    }
}

/// A small line icon for the bottom bar (hidden from screen readers, and
/// on wide screens, where the row has words only); `None` is "More".
#[component]
fn NavIcon(section: Option<Section>) -> impl IntoView {
    let path = match section {
        Some(Section::Catalogue) => {
            "M10.5 4a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13zM15.3 15.3 20 20"
        }
        Some(Section::Events) => "M4 6h16v14H4zM4 10h16M8 3v5M16 3v5",
        Some(Section::Hours) => "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM12 7v5l3 3",
        _ => "M5 12h.01M12 12h.01M19 12h.01",
    };
    view! {
        <svg class="nav-icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
            <path d=path />
        </svg>
    }
}

/// Moves focus to the main content. A plain `#main` link would resolve
/// against `<base href>` and leave the current page, so focus is moved here.
fn skip_to_content(ev: leptos::ev::MouseEvent) {
    ev.prevent_default();
    if let Some(main) = document().get_element_by_id("main") {
        let _ = main.unchecked_into::<web_sys::HtmlElement>().focus();
    }
}

/// Moves focus to the main content without scrolling, from a control whose
/// press takes it off the page, so that the next Tab goes on from the
/// content rather than from the top of the page. (A plain `focus()`
/// scrolled the page by 20 px.)
pub(crate) fn focus_main_in_place() {
    // Called through reflection, as `idle()` is: web-sys's `FocusOptions`
    // made the first-load shell 600 B larger (brotli).
    let Some(main) = document().get_element_by_id("main") else {
        return;
    };
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"preventScroll".into(), &true.into());
    if let Ok(focus) = js_sys::Reflect::get(&main, &"focus".into()) {
        let _ = focus
            .unchecked_into::<js_sys::Function>()
            .call1(&main, &options);
    }
}

/// Says in words, not only colour, whether the device is online.
#[component]
fn OnlineIndicator() -> impl IntoView {
    let i18n = use_i18n();
    let online = use_online().online;
    view! {
        <p
            class="net-status"
            class:offline=move || !online.get()
            role="status"
            data-testid="online-status"
            data-online=move || online.get().to_string()
            title=move || if online.get() { String::new() } else { i18n.t_now("status-offline-hint") }
        >
            <span class="dot" aria-hidden="true"></span>
            {move || i18n.t_now(if online.get() { "status-online" } else { "status-offline" })}
        </p>
    }
}

/// The "new version available" prompt. The page is reloaded only when the
/// user presses the button; "later" hides it and Settings keeps the offer.
/// When a newer Talkoo in another tab or window has taken over storage,
/// the page can only be reloaded, and says so instead.
#[component]
fn UpdatePrompt() -> impl IntoView {
    let i18n = use_i18n();
    let sw = use_service_worker();
    let store = use_store();
    // A kiosk applies updates at its idle reset (`src/kiosk/update.rs`):
    // a visitor is not asked.
    let kiosk = is_kiosk();
    view! {
        <div class="update-region" role="status">
            <Show when=move || store.given_way()>
                <div class="update-prompt" data-testid="storage-given-way">
                    <p>{i18n.t("storage-given-way")}</p>
                    <button
                        type="button"
                        class="primary"
                        on:click=move |_| {
                            let _ = window().location().reload();
                        }
                    >
                        {i18n.t("update-reload")}
                    </button>
                </div>
            </Show>
            <Show when=move || !kiosk && !store.given_way() && sw.state.get().shows_prompt()>
                <div class="update-prompt" data-testid="update-prompt">
                    <p>{i18n.t("update-available")}</p>
                    <button
                        type="button"
                        class="primary"
                        on:click=move |_| sw.accept.run(())
                        disabled=move || sw.state.get() == talkoo_core::update::UpdateState::Applying
                    >
                        {move || {
                            i18n.t_now(if sw.state.get() == talkoo_core::update::UpdateState::Applying {
                                "update-applying"
                            } else {
                                "update-reload"
                            })
                        }}
                    </button>
                    <button type="button" on:click=move |_| sw.postpone.run(())>
                        {i18n.t("update-later")}
                    </button>
                </div>
            </Show>
        </div>
    }
}
