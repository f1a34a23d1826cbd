//! Small pieces the catalogue pages share: feed text in the best language, municipality and language names, sync status, demo notice.

use leptos::prelude::*;
use talkoo_core::i18n::Arg;
use talkoo_core::model::{pick, LangText};
use talkoo_core::Lang;

use crate::catalogue::use_catalogue;
use crate::i18n::{use_i18n, UseI18nReturn};

/// Feed text in the best language for the UI, and the language tag to put
/// in `lang` when it is not the UI's own.
pub fn localized(text: &LangText, lang: Lang) -> (String, Option<String>) {
    match pick(text, lang.tag()) {
        Some((tag, value)) => (
            value.to_owned(),
            (tag != lang.tag()).then(|| tag.to_owned()),
        ),
        None => (String::new(), None),
    }
}

/// Feed text as plain text (never HTML), marked with its language.
#[component]
pub fn Text(#[prop(into)] text: Signal<LangText>) -> impl IntoView {
    let i18n = use_i18n();
    let parts = move || localized(&text.get(), i18n.lang.get());
    view! { <span lang=move || parts().1>{move || parts().0}</span> }
}

/// A municipality's name from the manifest, or its code.
pub fn municipality_name(code: &str, lang: Lang) -> String {
    let manifest = use_catalogue().manifest.get_untracked();
    manifest
        .as_ref()
        .and_then(|m| {
            m.regions
                .iter()
                .flat_map(|r| &r.municipalities)
                .find(|mu| mu.code == code)
        })
        .map(|mu| localized(&mu.name, lang).0)
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| code.to_owned())
}

/// A language's name in the UI language, or its tag when unknown.
pub fn language_name(i18n: UseI18nReturn, tag: &str) -> String {
    let key = format!("language-{tag}");
    let name = i18n.t_now(&key);
    if name == key {
        tag.to_owned()
    } else {
        name
    }
}

/// "Data from 3 days ago", a progress bar while syncing, the error in
/// plain words when the last sync failed, and the "Sync now" button.
#[component]
pub fn SyncBar() -> impl IntoView {
    let i18n = use_i18n();
    let cat = use_catalogue();
    let status = cat.status;
    let age = move || {
        let s = status.get();
        // Before a region is chosen only the list of regions has been
        // fetched; "updated just now" would claim data the device lacks.
        let chosen = cat.subscribed.with(Option::is_some);
        let Some(at) = s.last_success.filter(|_| chosen) else {
            return i18n.t_now("sync-never");
        };
        let minutes = ((js_sys::Date::now() - at) / 60_000.0).max(0.0).floor();
        let (key, n) = if minutes < 1.0 {
            ("sync-age-now", 0.0)
        } else if minutes < 60.0 {
            ("sync-age-minutes", minutes)
        } else if minutes < 48.0 * 60.0 {
            ("sync-age-hours", (minutes / 60.0).floor())
        } else {
            ("sync-age-days", (minutes / 1440.0).floor())
        };
        i18n.t_args(key, &[("n", Arg::Num(n))])
    };
    view! {
        <section class="sync-bar" aria-label=i18n.t("sync-heading") data-testid="sync-bar" data-syncs=move || status.get().finished.to_string()>
            <p data-testid="sync-age">{age}</p>
            {move || {
                status.get().progress.filter(|p| p.total > 0).map(|p| {
                    let label = i18n.t_args(
                        "sync-progress",
                        &[("done", Arg::Num((p.done / 1024) as f64)), ("total", Arg::Num((p.total / 1024) as f64))],
                    );
                    view! {
                        <label class="progress">
                            {label}
                            <progress max=p.total.to_string() value=p.done.to_string()></progress>
                        </label>
                    }
                })
            }}
            {move || {
                status.get().error.map(|e| {
                    let detail = e.to_string();
                    view! {
                        <p class="error" role="alert" data-testid="sync-error">
                            {i18n.t_now(e.message_key())} " " {i18n.t_now("sync-error-old-data")}
                            <span class="detail" lang="en">{detail}</span>
                        </p>
                    }
                })
            }}
            {move || {
                status.get().store_error.map(|e| {
                    let detail = e.to_string();
                    view! {
                        <p class="error" role="alert" data-testid="store-error">
                            {i18n.t_now("store-error-read")}
                            <span class="detail" lang="en">{detail}</span>
                        </p>
                    }
                })
            }}
            <button
                type="button"
                data-testid="sync-now"
                on:click=move |_| cat.sync_now.run(())
                disabled=move || status.get().running
            >
                {move || i18n.t_now(if status.get().running { "sync-running" } else { "sync-now" })}
            </button>
        </section>
    }
}

/// Says plainly that the data is made up, when the feed says so.
#[component]
pub fn DemoNotice() -> impl IntoView {
    let i18n = use_i18n();
    let cat = use_catalogue();
    view! {
        <Show when=move || cat.manifest.get().is_some_and(|m| m.demo)>
            <p class="demo-notice" data-testid="demo-notice">{i18n.t("demo-notice")}</p>
        </Show>
    }
}
