//! The UI side of i18n: the current language as a signal, remembered in storage and mirrored to `<html lang>`.

use leptos::prelude::*;
use talkoo_core::i18n::{self, Arg};
use talkoo_core::Lang;
use talkoo_store::{keys, Store};

use crate::storage::use_store;

#[derive(Debug, Clone, Copy)]
struct I18nContext {
    lang: RwSignal<Lang>,
    /// The language chosen last, whose messages may still be on their way:
    /// a choice made meanwhile wins over it.
    chosen: StoredValue<Lang>,
    /// Whether a chosen language is saved: a kiosk keeps none of a
    /// visitor's choices, and returns to its first language at a reset.
    persist: bool,
    /// Whether the messages of the language chosen last could not be read.
    failed: RwSignal<bool>,
}

/// What components need to translate: the language and ways to read messages.
#[derive(Debug, Clone, Copy)]
pub struct UseI18nReturn {
    /// The current UI language.
    pub lang: Signal<Lang>,
    /// Chooses a language, saves it and updates `<html lang>`.
    pub set_lang: Callback<Lang>,
    failed: RwSignal<bool>,
    chosen: StoredValue<Lang>,
}

impl UseI18nReturn {
    /// The language chosen last, if its messages could not be read
    /// (offline before the service worker has them): the app stays in
    /// [`Self::lang`], and the next choice clears this. Tracked.
    pub fn failed(self) -> Option<Lang> {
        self.failed.get().then(|| self.chosen.get_value())
    }

    /// A reactive message, for use directly in `view!`.
    pub fn t(self, key: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
        move || i18n::t(self.lang.get(), key)
    }

    /// The message now, tracking the language when read inside a closure.
    pub fn t_now(self, key: &str) -> String {
        i18n::t(self.lang.get(), key)
    }

    /// A message with arguments, tracking the language.
    pub fn t_args(self, key: &str, args: &[(&str, Arg<'_>)]) -> String {
        i18n::t_args(self.lang.get(), key, args)
    }
}

/// Sets up the language at the root of the app; the signal is returned for
/// the badges module, whose language the shell sets. With `persist` off
/// (a kiosk) a chosen language lasts only for the page.
pub fn provide_i18n(initial: Lang, persist: bool) -> RwSignal<Lang> {
    let lang = RwSignal::new(initial);
    // Talking to the outside world: the document's language follows the
    // signal so screen readers pronounce the text correctly.
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", lang.get().tag());
        }
    });
    provide_context(I18nContext {
        lang,
        chosen: StoredValue::new(initial),
        persist,
        failed: RwSignal::new(false),
    });
    lang
}

/// Makes sure the messages of `lang` are at hand: the first-load shell
/// carries only the Finnish ones (`talkoo_core::i18n::ALL_BUILT_IN`) and
/// reads the others from `sv.ftl` or `en.ftl` beside index.html, which
/// the service worker keeps offline like the rest of the app, and which
/// index.html's boot script has already asked for on a device in that
/// language. False when they cannot be read (offline before the service
/// worker has them).
pub async fn load_messages(lang: Lang) -> bool {
    if i18n::has_catalogue(lang) {
        return true;
    }
    let url = format!("{}{}.ftl", crate::pwa::base_href(), lang.tag());
    let Ok(response) = gloo_net::http::Request::get(&url).send().await else {
        return false;
    };
    if !response.ok() {
        return false;
    }
    let Ok(text) = response.text().await else {
        return false;
    };
    i18n::give(lang, text);
    i18n::has_catalogue(lang)
}

/// The i18n hook.
pub fn use_i18n() -> UseI18nReturn {
    let I18nContext {
        lang,
        chosen,
        persist,
        failed,
    } = expect_context::<I18nContext>();
    let store = use_store();
    let set_lang = Callback::new(move |next: Lang| {
        chosen.set_value(next);
        failed.set(false);
        let store = store.get();
        leptos::task::spawn_local(async move {
            if !load_messages(next).await {
                leptos::logging::warn!("the {} messages could not be read", next.tag());
                if chosen.get_value() == next {
                    failed.set(true);
                }
                return;
            }
            if chosen.get_value() != next {
                return;
            }
            // The choice is saved before the screen shows it, so a language
            // on screen survives a reload at once: saved after, the save
            // could still wait for another transaction when the page was
            // left, and was lost (issue 13, found in a clean-clone run).
            if persist {
                remember_for_boot(BOOT_LANG, Some(next.tag()));
                if let Some(store) = store {
                    if let Err(e) = store.put_setting(keys::LANGUAGE, next.tag()).await {
                        leptos::logging::warn!("could not save the language: {e}");
                    }
                }
                if chosen.get_value() != next {
                    return;
                }
            }
            lang.set(next);
        });
    });
    UseI18nReturn {
        lang: lang.into(),
        set_lang,
        failed,
        chosen,
    }
}

/// The localStorage key of the saved language, for index.html's boot script.
pub(crate) const BOOT_LANG: &str = "talkoo.lang";
/// The localStorage key that is set on a kiosk, for the same script.
pub(crate) const BOOT_KIOSK: &str = "talkoo.kiosk";

/// Mirrors what index.html's boot script needs into localStorage: it shows
/// the front page's title in the app's language before the wasm arrives,
/// and IndexedDB, where the settings are, cannot be read before the first
/// paint. `None` removes the key. A browser that refuses storage only loses
/// the early title, so failures are ignored.
pub(crate) fn remember_for_boot(key: &str, value: Option<&str>) {
    let Ok(Some(storage)) = window().local_storage() else {
        return;
    };
    let _ = match value {
        Some(value) => storage.set_item(key, value),
        None => storage.remove_item(key),
    };
}
