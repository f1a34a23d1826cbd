//! "Take this page with you": the kiosk bar's button and the dialog it opens, with QR codes of the page's public address and of the phone numbers and e-mail addresses on the page, so a visitor carries them off with their own phone's camera.
//!
//! A kiosk shows contacts as text (a link would open an app on the shared
//! device); the shell marks each with `data-kiosk-contact`
//! (`pages/common.rs`' `ContactLink`), which this dialog reads when it
//! opens and again whenever the page behind changes while it is open: a
//! card's contacts are drawn a moment after its heading, from storage.
//! The codes are drawn by `talkoo_core::take_away::qr_svg`. Nothing of the
//! visit is kept: the idle reset reloads the page, which closes the dialog
//! with everything else.

use leptos::prelude::*;
use talkoo_core::i18n::Arg;
use talkoo_core::kiosk::Screen;
use talkoo_core::take_away::{contacts, public_address, qr_svg, Contact, ContactKind};
use wasm_bindgen::JsCast;

use super::use_kiosk;
use crate::badges::module::use_badge_route;
use crate::i18n::use_i18n;

/// The `(link, text)` of every contact the shell marked on the page.
fn marked_contacts() -> Vec<Contact> {
    let Ok(found) = document().query_selector_all("[data-kiosk-contact]") else {
        return Vec::new();
    };
    let pairs = (0..found.length())
        .filter_map(|i| found.item(i)?.dyn_into::<web_sys::Element>().ok())
        .filter_map(|el| {
            let href = el.get_attribute("data-kiosk-contact")?;
            Some((href, el.text_content().unwrap_or_default()))
        });
    contacts(pairs)
}

/// The page's contacts followed while the dialog is shown.
struct Watch {
    observer: web_sys::MutationObserver,
    _changed: wasm_bindgen::closure::Closure<dyn FnMut()>,
}

impl Watch {
    /// Starts following the page's marked contacts into `found`, which
    /// changes only when they do (the dialog's own drawing changes the
    /// page too).
    fn start(found: RwSignal<Vec<Contact>>) -> Option<Watch> {
        let changed = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
            let now = marked_contacts();
            if found.with_untracked(|shown| *shown != now) {
                found.set(now);
            }
        });
        let observer = web_sys::MutationObserver::new(changed.as_ref().unchecked_ref()).ok()?;
        let options = web_sys::MutationObserverInit::new();
        options.set_child_list(true);
        options.set_subtree(true);
        let body: web_sys::Node = document().body()?.into();
        observer.observe_with_options(&body, &options).ok()?;
        Some(Watch {
            observer,
            _changed: changed,
        })
    }

    fn stop(self) {
        self.observer.disconnect();
    }
}

/// One code with its caption: a heading-like label and the text the code
/// carries, so a visitor without a camera can still note it down.
#[component]
fn Code(
    text: String,
    label: String,
    caption: String,
    shown: String,
    testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    match qr_svg(&text) {
        Some(svg) => view! {
            <figure class="take-code" data-testid=testid>
                <div class="take-qr" role="img" aria-label=label data-testid="take-qr" inner_html=svg></div>
                <figcaption>
                    <span class="take-label">{caption}</span>
                    <span class="take-text" data-testid="take-text">{shown}</span>
                </figcaption>
            </figure>
        }
        .into_any(),
        None => view! {
            <div class="take-code" data-testid=testid>
                <p>{move || i18n.t_now("kiosk-take-too-long")}</p>
                <p>
                    <span class="take-label">{caption}</span>
                    <span class="take-text" data-testid="take-text">{shown}</span>
                </p>
            </div>
        }
        .into_any(),
    }
}

/// The bar's "Take this page with you" and its dialog (a native modal
/// `<dialog>`: the page behind is inert, Escape closes it). The dialog is
/// open while the visitor wants it and the kiosk is browsing: the idle
/// warning closes it (a modal dialog would cover the warning) and
/// Continue brings it back as it was.
#[component]
pub fn TakeAway() -> impl IntoView {
    let i18n = use_i18n();
    let kiosk = use_kiosk();
    let route = use_badge_route();
    let wanted = RwSignal::new(false);
    let found = RwSignal::new(Vec::<Contact>::new());
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let button = NodeRef::<leptos::html::Button>::new();
    let browsing = move || kiosk.screen.get() == Some(Screen::Browsing);
    let shown = Memo::new(move |_| wanted.get() && browsing());
    let base = kiosk.public_base();
    let address = Memo::new(move |_| {
        let path = route.path.get();
        let query = route.query.get();
        let route = if query.is_empty() {
            path
        } else {
            format!("{path}?{query}")
        };
        public_address(&base, &route)
    });
    // Talking to the outside world: a native dialog is opened and closed
    // by calling it.
    Effect::new(move |_| {
        let Some(dialog) = dialog.get() else {
            return;
        };
        if shown.get() {
            if !dialog.open() {
                let _ = dialog.show_modal();
            }
        } else if dialog.open() {
            dialog.close();
        }
    });
    // Closed by Escape or the button while browsing, the dialog is done
    // with, and focus goes back to the button that opened it; closed by
    // the idle warning, it waits to come back.
    let on_close = move |_| {
        if kiosk.screen.get_untracked() == Some(Screen::Browsing) {
            wanted.set(false);
            if let Some(button) = button.get_untracked() {
                let _ = button.focus();
            }
        }
    };
    let open = move |_| {
        found.set(marked_contacts());
        wanted.set(true);
    };
    // Talking to the outside world: while the dialog is shown, a
    // MutationObserver reads the page's contacts again whenever the page
    // changes, so a visitor who taps the moment a card opens gets its
    // contacts as soon as the card shows them (before, the dialog kept
    // what the page showed at the tap: often the address alone).
    let watching = StoredValue::new_local(None::<Watch>);
    Effect::new(move |_| {
        if shown.get() {
            if watching.with_value(Option::is_none) {
                watching.set_value(Watch::start(found));
            }
        } else if let Some(watch) = watching.try_update_value(Option::take).flatten() {
            watch.stop();
        }
    });
    let codes = move || {
        if !shown.get() {
            return None;
        }
        let page = view! {
            <Code
                text=address.get()
                label=i18n.t_now("kiosk-take-page-qr")
                caption=i18n.t_now("kiosk-take-page")
                shown=address.get()
                testid="take-page"
            />
        };
        let contacts = found
            .get()
            .into_iter()
            .map(|c| {
                let (caption, label) = match c.kind {
                    ContactKind::Phone => (
                        "kiosk-take-phone",
                        i18n.t_args("kiosk-take-phone-qr", &[("number", Arg::Str(&c.text))]),
                    ),
                    ContactKind::Email => (
                        "kiosk-take-email",
                        i18n.t_args("kiosk-take-email-qr", &[("address", Arg::Str(&c.text))]),
                    ),
                };
                view! {
                    <Code
                        text=c.href
                        label=label
                        caption=i18n.t_now(caption)
                        shown=c.text
                        testid="take-contact"
                    />
                }
            })
            .collect_view();
        Some(view! { {page} {contacts} })
    };
    view! {
        <button
            type="button"
            class="take-away-open"
            aria-haspopup="dialog"
            node_ref=button
            on:click=open
        >
            {i18n.t("kiosk-take-open")}
        </button>
        <dialog
            class="kiosk-dialog take-away"
            aria-labelledby="take-title"
            data-testid="take-away"
            node_ref=dialog
            on:close=on_close
        >
            <h2 id="take-title">{i18n.t("kiosk-take-open")}</h2>
            <p>{i18n.t("kiosk-take-intro")}</p>
            <div class="take-codes">{codes}</div>
            <button
                type="button"
                class="primary big"
                autofocus
                on:click=move |_| wanted.set(false)
            >
                {i18n.t("kiosk-take-close")}
            </button>
        </dialog>
    }
}
