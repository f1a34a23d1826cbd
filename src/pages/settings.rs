//! Settings: language, regions, information from a file, backup, what the device stores and whether it is kept, installing the app, the app's version, and updates.

use gloo_timers::callback::Interval;
use leptos::prelude::*;
use talkoo_core::i18n::Arg;
use talkoo_core::storage_status::format_bytes;
use talkoo_core::update::UpdateState;
use talkoo_core::Lang;
use talkoo_store::Store;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use std::collections::BTreeSet;

use super::common::{SyncBar, Text};
use super::install::InstallSection;
use super::Page;
use crate::badges_host::use_backup;
use crate::catalogue::{use_catalogue, use_import};
use crate::files::{can_share_files, read_file, save_array, save_file};
use crate::i18n::use_i18n;
use crate::kiosk_host::KioskSettingsSection;
use crate::pwa::use_service_worker;
use crate::storage::{build_id, storage_status, use_store};

/// The settings page.
#[component]
pub fn SettingsPage() -> impl IntoView {
    view! {
        <Page title_key="settings-title">
            <LanguageSection />
            <RegionsSection />
            <BundleSection />
            <BackupSection />
            <StorageSection />
            <InstallSection />
            <KioskSettingsSection />
            <AppSection />
        </Page>
    }
}

#[component]
fn LanguageSection() -> impl IntoView {
    let i18n = use_i18n();
    // The select shows the language in use: a choice whose messages could
    // not be read goes back to it (the alert below says why). Set on the
    // element itself: a `prop:value` binding cost the shell 1.3 KB.
    Effect::new(move |_| {
        if i18n.failed().is_some() {
            if let Some(select) = document().get_element_by_id("language-select") {
                let tag = JsValue::from_str(i18n.lang.get_untracked().tag());
                let _ = js_sys::Reflect::set(&select, &JsValue::from_str("value"), &tag);
            }
        }
    });
    view! {
        <section aria-labelledby="settings-language">
            <h2 id="settings-language">{i18n.t("settings-language-heading")}</h2>
            <label for="language-select">{i18n.t("settings-language-label")}</label>
            <select
                id="language-select"
                aria-describedby="language-hint"
                on:change=move |ev| {
                    if let Some(lang) = Lang::from_tag(&event_target_value(&ev)) {
                        i18n.set_lang.run(lang);
                    }
                }
            >
                {Lang::ALL
                    .into_iter()
                    .map(|lang| {
                        view! {
                            <option value=lang.tag() lang=lang.tag() selected=move || i18n.lang.get() == lang>
                                {lang.native_name()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <p id="language-hint" class="hint">{i18n.t("settings-language-hint")}</p>
            {move || i18n.failed().map(|lang| view! {
                <p role="alert" class="error" data-testid="language-failed">
                    {i18n.t_args("settings-language-failed", &[("language", Arg::Str(lang.native_name()))])}
                </p>
            })}
        </section>
    }
}

/// Which regions this device keeps; saving a change downloads the added
/// regions and deletes the dropped ones (never personal data).
#[component]
fn RegionsSection() -> impl IntoView {
    let i18n = use_i18n();
    let cat = use_catalogue();
    // The boxes show the saved choice until the user ticks one: `edits`
    // holds only a choice not yet saved, so nothing copies one signal into
    // another.
    let edits = RwSignal::new(None::<BTreeSet<String>>);
    let chosen = move || {
        edits
            .get()
            .unwrap_or_else(|| cat.subscribed.get().unwrap_or_default())
    };
    let changed = move || cat.subscribed.get().unwrap_or_default() != chosen();
    view! {
        <section aria-labelledby="settings-regions">
            <h2 id="settings-regions">{i18n.t("settings-regions-heading")}</h2>
            {move || match cat.manifest.get() {
                None => view! { <p>{i18n.t("region-picker-offline")}</p> }.into_any(),
                Some(manifest) => view! {
                    <form on:submit=move |ev| {
                        ev.prevent_default();
                        cat.subscribe.run(untrack(chosen));
                        edits.set(None);
                    }>
                        <fieldset>
                            <legend>{i18n.t("region-picker-legend")}</legend>
                            {manifest.regions.iter().map(|region| {
                                let id = region.id.clone();
                                let checked_id = id.clone();
                                view! {
                                    <label class="choice">
                                        <input
                                            type="checkbox"
                                            value=id.clone()
                                            prop:checked=move || chosen().contains(&checked_id)
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                let mut next = untrack(chosen);
                                                if on { next.insert(id.clone()); } else { next.remove(&id); }
                                                edits.set(Some(next));
                                            }
                                        />
                                        <Text text=region.name.clone() />
                                    </label>
                                }
                            }).collect_view()}
                        </fieldset>
                        <div class="actions">
                            <button type="submit" class="primary" disabled=move || !changed()>{i18n.t("settings-regions-save")}</button>
                        </div>
                    </form>
                }.into_any(),
            }}
            <SyncBar />
        </section>
    }
}

/// Moving personal data to a new device: one file with every entry,
/// setting and membership, and restoring such a file without duplicates.
/// Information from a file: a `.talkoo` bundle picked or dropped here is
/// checked against the publisher's key and applied as a sync would (by
/// the on-demand module, `src/import.rs`), for places without a network.
#[component]
fn BundleSection() -> impl IntoView {
    let i18n = use_i18n();
    let import = use_import();
    let status = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let chosen = RwSignal::new(None::<String>);
    let dragging = RwSignal::new(false);
    // Imports finished, so a test or a screen reader status can tell that
    // the import it started is over.
    let finished = RwSignal::new(0u32);
    let take = move |file: web_sys::File| {
        // A second file (a double tap, another drop) waits for the first.
        if busy.get_untracked() {
            return;
        }
        chosen.set(Some(file.name()));
        status.set(None);
        error.set(None);
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = match JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => import.import(js_sys::Uint8Array::new(&buffer)).await,
                Err(e) => Err(crate::browser::js_text(&e)),
            };
            busy.set(false);
            match result {
                Ok(line) => status.set(Some(line)),
                Err(e) => error.set(Some(e)),
            }
            finished.update(|n| *n += 1);
        });
    };
    // A bundle shared to Talkoo from another app (Web Share Target): the
    // service worker kept it and opened Settings with `shared=1`.
    let query = crate::router::use_query_map();
    if query.with_untracked(|q| q.get_str("shared").is_some()) {
        leptos::task::spawn_local(async move {
            if let Some(bytes) = crate::files::take_shared("settings/shared-bundle").await {
                let file = web_sys::File::new_with_u8_array_sequence(
                    &js_sys::Array::of1(&bytes),
                    "shared.talkoo",
                );
                if let Ok(file) = file {
                    take(file);
                }
            }
        });
    }
    let picked = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            take(file);
        }
        input.set_value("");
    };
    // Dropping a file anywhere on the section imports it; the browser
    // would otherwise open the file in place of the app.
    let dropped = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(file) = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0))
        {
            take(file);
        }
    };
    let over = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(true);
    };
    view! {
        <section
            aria-labelledby="settings-bundle"
            class="drop-zone"
            class:dragging=dragging
            data-testid="bundle-drop"
            data-imports=move || finished.get().to_string()
            on:dragover=over
            on:dragleave=move |_| dragging.set(false)
            on:drop=dropped
        >
            <h2 id="settings-bundle">{i18n.t("settings-bundle-heading")}</h2>
            <p>{i18n.t("settings-bundle-intro")}</p>
            <FilePicker
                id="bundle"
                label_key="settings-bundle-label"
                accept=".talkoo,application/gzip"
                chosen=chosen
                on_change=picked
            />
            <p class="hint" id="bundle-hint">{i18n.t("settings-bundle-drop")}</p>
            <p role="status" data-testid="bundle-status">
                {move || if busy.get() { Some(i18n.t_now("settings-bundle-importing")) } else { status.get() }}
            </p>
            <p class="error" role="alert" data-testid="bundle-error">{move || error.get()}</p>
            <PassOn />
        </section>
    }
}

/// Passing the catalogue on to another phone: a bundle of the stored
/// regions through the share sheet or as a download, and the choice to
/// keep the files whole so that every region can always be passed on.
#[component]
fn PassOn() -> impl IntoView {
    let i18n = use_i18n();
    let import = use_import();
    let catalogue = use_catalogue();
    let store = use_store();
    let share = can_share_files();
    let status = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // Files written, so a test can tell that the one it asked for is done.
    let written = RwSignal::new(0u32);
    let keep_whole = LocalResource::new(move || async move {
        match store.get() {
            Some(store) => talkoo_engine::sync::keeps_whole(&*store)
                .await
                .unwrap_or(false),
            None => false,
        }
    });
    let set_keep_whole = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        let Some(store) = store.get() else { return };
        leptos::task::spawn_local(async move {
            let saved = store
                .put_setting(
                    talkoo_store::keys::KEEP_WHOLE,
                    if on { "true" } else { "false" },
                )
                .await;
            if let Err(e) = saved {
                leptos::logging::warn!("cannot save the setting: {e}");
                error.set(Some(i18n.t_now("settings-keep-whole-failed")));
                return;
            }
            keep_whole.refetch();
            // The files missing now are fetched at once where possible.
            if on {
                catalogue.sync_now.run(());
            }
        });
    };
    let pass_on = move |_| {
        // A double tap writes one file.
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        status.set(None);
        error.set(None);
        leptos::task::spawn_local(async move {
            let result = match import.export().await {
                Ok(file) => save_array(&file.name, "application/gzip", &file.bytes, share)
                    .await
                    .map(|()| file.done),
                Err(e) => Err(e),
            };
            busy.set(false);
            match result {
                Ok(done) => status.set(Some(done)),
                Err(e) => error.set(Some(e)),
            }
            written.update(|n| *n += 1);
        });
    };
    view! {
        <h3 id="settings-pass-on">{i18n.t("settings-pass-on-heading")}</h3>
        <p>{i18n.t("settings-pass-on-intro")}</p>
        <div class="actions">
            <button
                type="button"
                data-testid="pass-on"
                data-written=move || written.get().to_string()
                aria-describedby="pass-on-status pass-on-error"
                disabled=move || busy.get()
                on:click=pass_on
            >
                {i18n.t(if share { "settings-pass-on-share" } else { "settings-pass-on-download" })}
            </button>
        </div>
        <label class="choice">
            <input
                type="checkbox"
                data-testid="keep-whole"
                aria-describedby="keep-whole-hint"
                prop:checked=move || keep_whole.get().unwrap_or(false)
                on:change=set_keep_whole
            />
            {i18n.t("settings-keep-whole")}
        </label>
        <p class="hint" id="keep-whole-hint">{i18n.t("settings-keep-whole-hint")}</p>
        <p role="status" id="pass-on-status" data-testid="pass-on-status">
            {move || if busy.get() { Some(i18n.t_now("settings-pass-on-writing")) } else { status.get() }}
        </p>
        <p class="error" role="alert" id="pass-on-error" data-testid="pass-on-error">{move || error.get()}</p>
    }
}

/// A file picker in the app's language: the browser's own file button
/// speaks the browser's ("Choose File / No file chosen"), so the input is
/// hidden from sight and a label in the app's language opens it. The
/// elements' ids start with `id`; the hint below it must be `{id}-hint`.
#[component]
fn FilePicker(
    id: &'static str,
    label_key: &'static str,
    accept: &'static str,
    chosen: RwSignal<Option<String>>,
    on_change: impl FnMut(leptos::ev::Event) + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="label" id=format!("{id}-label")>{i18n.t(label_key)}</p>
        <div class="file-picker">
            <input
                id=format!("{id}-file")
                class="visually-hidden"
                type="file"
                accept=accept
                aria-labelledby=format!("{id}-label {id}-choose")
                aria-describedby=format!("{id}-chosen {id}-hint")
                on:change=on_change
            />
            <label for=format!("{id}-file") id=format!("{id}-choose") class="button-link">{i18n.t("file-choose")}</label>
            <span id=format!("{id}-chosen") data-testid=format!("{id}-chosen")>
                {move || chosen.get().unwrap_or_else(|| i18n.t_now("file-none-chosen"))}
            </span>
        </div>
    }
}

#[component]
fn BackupSection() -> impl IntoView {
    let i18n = use_i18n();
    let backup = use_backup();
    let share = can_share_files();
    let status = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    // The name of the file last picked; the input itself is emptied after
    // reading so the same file can be picked again.
    let chosen = RwSignal::new(None::<String>);
    backup.prepare();
    let back_up = move |_| {
        status.set(None);
        error.set(None);
        leptos::task::spawn_local(async move {
            let file = match backup.write().await {
                Ok(file) => file,
                Err(e) => return error.set(Some(e)),
            };
            match save_file(&file.name, "application/json", &file.text, share).await {
                Ok(()) => status.set(Some(file.done)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let restore_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        chosen.set(Some(file.name()));
        status.set(None);
        error.set(None);
        leptos::task::spawn_local(async move {
            let text = match read_file(file).await {
                Ok(text) => text,
                Err(e) => return error.set(Some(e)),
            };
            match backup.restore(&text).await {
                Ok(line) => {
                    // The module shows the restored entries itself.
                    status.set(Some(line));
                }
                Err(e) => error.set(Some(e)),
            }
        });
        input.set_value("");
    };
    view! {
        <section aria-labelledby="settings-backup">
            <h2 id="settings-backup">{i18n.t("backup-heading")}</h2>
            <p>{i18n.t("backup-intro")}</p>
            <div class="actions">
                <button type="button" data-testid="backup" on:click=back_up>
                    {i18n.t(if share { "backup-share" } else { "backup-download" })}
                </button>
            </div>
            <FilePicker
                id="restore"
                label_key="backup-restore-label"
                accept=".json,application/json"
                chosen=chosen
                on_change=restore_file
            />
            <p class="hint" id="restore-hint">{i18n.t("backup-restore-hint")}</p>
            <p role="status" data-testid="backup-status">{move || status.get()}</p>
            <p class="error" role="alert">{move || error.get()}</p>
        </section>
    }
}

#[component]
fn StorageSection() -> impl IntoView {
    let i18n = use_i18n();
    let store_error = use_store().error();
    let status = LocalResource::new(storage_status);
    let persisted = move || {
        let key = match status.get().and_then(|s| s.persisted) {
            Some(true) => "settings-storage-persisted-yes",
            Some(false) => "settings-storage-persisted-no",
            None => "settings-storage-persisted-unknown",
        };
        i18n.t_now(key)
    };
    let usage = move || {
        let lang = i18n.lang.get();
        match status.get() {
            Some(s) => match (s.usage, s.quota, s.percent_used()) {
                (Some(used), Some(quota), Some(percent)) => i18n.t_args(
                    "settings-storage-usage",
                    &[
                        ("used", Arg::Str(&format_bytes(used, lang))),
                        ("quota", Arg::Str(&format_bytes(quota, lang))),
                        ("percent", Arg::Num(f64::from(percent))),
                    ],
                ),
                _ => i18n.t_now("settings-storage-usage-unknown"),
            },
            None => String::new(),
        }
    };
    view! {
        <section aria-labelledby="settings-storage">
            <h2 id="settings-storage">{i18n.t("settings-storage-heading")}</h2>
            {store_error.map(|e| {
                let reason = e.to_string();
                view! {
                    <p class="error" role="alert" data-testid="storage-error">
                        {move || i18n.t_args("settings-storage-error", &[("reason", Arg::Str(&reason))])}
                    </p>
                }
            })}
            <p>{i18n.t("settings-storage-persist-explain")}</p>
            <dl class="facts">
                <dt>{i18n.t("settings-storage-persist-label")}</dt>
                <dd data-testid="storage-persisted">{persisted}</dd>
                <dt>{i18n.t("settings-storage-usage-label")}</dt>
                <dd data-testid="storage-usage">{usage}</dd>
            </dl>
        </section>
    }
}

#[component]
fn AppSection() -> impl IntoView {
    let i18n = use_i18n();
    let sw = use_service_worker();
    let build = LocalResource::new(build_id);
    let build_text = move || match build.get() {
        Some(Some(id)) => id,
        Some(None) => i18n.t_now("settings-app-build-unknown"),
        None => String::new(),
    };
    // A clock for "checked N minutes ago", stopped with the page.
    let now = RwSignal::new(js_sys::Date::now());
    let tick = StoredValue::new_local(Some(Interval::new(30_000, move || {
        now.set(js_sys::Date::now())
    })));
    on_cleanup(move || tick.update_value(|t| drop(t.take())));
    let checked_ago = move || {
        let last = sw.last_checked.get()?;
        let minutes = ((now.get() - last).max(0.0) / 60_000.0).floor();
        Some(i18n.t_args(
            "update-checked-minutes-ago",
            &[("minutes", Arg::Num(minutes))],
        ))
    };
    let status_text = move || i18n.t_now(sw.state.get().message_key());
    view! {
        <section aria-labelledby="settings-app">
            <h2 id="settings-app">{i18n.t("settings-app-heading")}</h2>
            <dl class="facts">
                <dt>{i18n.t("settings-app-version")}</dt>
                <dd data-testid="app-version">{env!("CARGO_PKG_VERSION")}</dd>
                <dt>{i18n.t("settings-app-build")}</dt>
                <dd data-testid="build-id">{build_text}</dd>
            </dl>
            <Show when=move || sw.available.get() == Some(false)>
                <p class="warning" data-testid="offline-unavailable">{i18n.t("settings-offline-unavailable")}</p>
            </Show>
            <p role="status" data-testid="update-status" data-checks=move || sw.checks.get().to_string()>{status_text}</p>
            <p class="hint">{checked_ago}</p>
            <Show when=move || sw.available.get() != Some(false)>
            <div class="actions">
                <button
                    type="button"
                    data-testid="check-update"
                    on:click=move |_| sw.check.run(())
                    disabled=move || sw.state.get() == UpdateState::Checking
                >
                    {i18n.t("settings-update-check")}
                </button>
                <Show when=move || sw.state.get().can_apply()>
                    <button type="button" class="primary" on:click=move |_| sw.accept.run(())>
                        {i18n.t("settings-update-apply")}
                    </button>
                </Show>
            </div>
            </Show>
        </section>
    }
}
