//! "Check a badge" (`/badges/check`): a coordinator checks a badge someone else shows them, offline, and nothing of it is kept on the device.
//!
//! The badge arrives as a picked or dropped file, as pasted text or as a
//! QR code read with the camera (whose text is checked as if pasted, and an
//! `https:` address in it is fetched when online); the
//! wallet's checker (`use_checker`) has the verifier worker read and check
//! it with the regions' trusted issuers and the cached status lists. The result is a heading with an
//! icon and a word for the overall level, what the badge says, and every
//! check with its level and plain-words message.

use leptos::html;
use leptos::prelude::*;
use talkoo_core::wallet::{Check, CheckKind, Inspection, Level};

use super::badges::{check_text, level_parts, with_feed, BadgeDetails, ReportView};
use super::common::localized;
use super::Page;
use crate::badges::scan::QrScanner;
use crate::badges::verifier::VerifierError;
use crate::badges::{to_base64, use_checker, WalletError};
use crate::browser::online;
use crate::files::read_bytes;
use crate::i18n::{use_i18n, UseI18nReturn};

/// What the picker accepts: baked images, JSON, JWTs and plain text.
const ACCEPT: &str =
    ".png,.svg,.json,.jwt,.txt,image/png,image/svg+xml,application/json,text/plain";

/// `/badges/check`.
#[component]
pub fn BadgeCheckPage() -> impl IntoView {
    let i18n = use_i18n();
    let checker = use_checker();
    // The picked or dropped file, kept only until it is checked; picking a
    // file empties the text box and typing empties the file.
    let file = RwSignal::new_local(None::<web_sys::File>);
    let chosen = RwSignal::new(None::<String>);
    let pasted = RwSignal::new(String::new());
    let checking = RwSignal::new(false);
    let problem = RwSignal::new(None::<&'static str>);
    let result = RwSignal::new_local(None::<Result<Inspection, VerifierError>>);
    let heading = NodeRef::<html::H2>::new();
    let input = NodeRef::<html::Input>::new();
    let dragging = RwSignal::new(false);

    let choose = move |picked: Option<web_sys::File>| {
        chosen.set(picked.as_ref().map(web_sys::File::name));
        if picked.is_some() {
            pasted.set(String::new());
        }
        file.set(picked);
        problem.set(None);
    };
    let on_pick = move |ev: leptos::ev::Event| {
        let target: web_sys::HtmlInputElement = event_target(&ev);
        choose(target.files().and_then(|f| f.get(0)));
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        let dropped = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0));
        if dropped.is_some() {
            // The hidden input still holds an earlier pick; emptied, it
            // cannot be mistaken for the dropped file.
            if let Some(input) = input.get() {
                input.set_value("");
            }
            choose(dropped);
        }
    };
    let on_drag_over = move |ev: leptos::ev::DragEvent| {
        // Without this the browser opens the dropped file itself.
        ev.prevent_default();
        dragging.set(true);
    };

    let run = move || {
        if checking.get_untracked() {
            return;
        }
        let picked = file.get_untracked();
        let text = pasted.get_untracked().trim().to_owned();
        if picked.is_none() && text.is_empty() {
            problem.set(Some("badge-check-nothing"));
            return;
        }
        problem.set(None);
        checking.set(true);
        result.set(None);
        leptos::task::spawn_local(async move {
            let bytes = match picked {
                Some(f) => read_bytes(f).await.ok(),
                // A scanned or pasted address is fetched when online;
                // offline the verifier says it can be read only online.
                None if text.starts_with("https://") && online() => fetch(&text).await,
                None => Some(text.into_bytes()),
            };
            // The same check as the wallet's, with the status lists cached
            // on this device and nothing fetched or kept.
            let answer = match bytes {
                Some(bytes) => checker
                    .check(to_base64(&bytes), false)
                    .await
                    .map_err(|e| match e {
                        WalletError::Verifier(e) => e,
                        WalletError::Store(_) => VerifierError::Failed,
                    }),
                None => Err(VerifierError::NotABadge {
                    code: "unreadable-file".into(),
                }),
            };
            result.set(Some(answer));
            checking.set(false);
        });
    };
    let check = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        run();
    };
    // A code read with the camera is checked as its text would be if
    // pasted, and shown in the text box so the coordinator sees what it was.
    let scanned = move |text: String| {
        if let Some(input) = input.get_untracked() {
            input.set_value("");
        }
        file.set(None);
        chosen.set(None);
        pasted.set(text);
        run();
    };

    // The result's heading takes focus when it appears, so a screen reader
    // reads it and keyboard users continue from there.
    Effect::new(move |_| {
        if result.with(Option::is_some) {
            request_animation_frame(move || {
                if let Some(h) = heading.get_untracked() {
                    let _ = h.focus();
                }
            });
        }
    });

    view! {
        <Page title_key="badge-check-title">
            <p>{i18n.t("badge-check-intro")}</p>
            <p class="hint" data-testid="badge-check-not-stored">{i18n.t("badge-check-not-stored")}</p>
            <form class="badge-check" on:submit=check novalidate>
                <div
                    class="drop-zone"
                    class:dragging=move || dragging.get()
                    role="group"
                    aria-labelledby="badge-drop-label"
                    data-testid="drop-zone"
                    on:dragover=on_drag_over
                    on:dragleave=move |_| dragging.set(false)
                    on:drop=on_drop
                >
                    <p id="badge-drop-label" class="label">{i18n.t("badge-check-drop")}</p>
                    // The browser's own file button speaks the browser's
                    // language, so the input is hidden from sight and a
                    // label in the app's language opens it.
                    <div class="file-picker">
                        <input
                            id="badge-file"
                            class="visually-hidden"
                            type="file"
                            accept=ACCEPT
                            node_ref=input
                            aria-describedby="badge-file-chosen badge-file-hint"
                            on:change=on_pick
                        />
                        <label for="badge-file" class="button-link">{i18n.t("file-choose")}</label>
                        <span id="badge-file-chosen" data-testid="badge-file-chosen">
                            {move || chosen.get().unwrap_or_else(|| i18n.t_now("file-none-chosen"))}
                        </span>
                    </div>
                    <p class="hint" id="badge-file-hint">{i18n.t("badge-check-file-hint")}</p>
                </div>
                <QrScanner on_text=scanned />
                <div class="field">
                    <label for="badge-text">{i18n.t("badge-check-paste")}</label>
                    <textarea
                        id="badge-text"
                        rows="4"
                        spellcheck="false"
                        autocomplete="off"
                        prop:value=move || pasted.get()
                        on:input=move |ev| {
                            pasted.set(event_target_value(&ev));
                            if file.get_untracked().is_some() {
                                if let Some(input) = input.get() {
                                    input.set_value("");
                                }
                                file.set(None);
                                chosen.set(None);
                            }
                        }
                    ></textarea>
                </div>
                <div class="actions">
                    <button type="submit" class="big" data-testid="badge-check-submit" disabled=move || checking.get()>
                        {move || i18n.t_now(if checking.get() { "badge-check-checking" } else { "badge-check-submit" })}
                    </button>
                </div>
                <p class="error" role="alert">{move || problem.get().map(|k| i18n.t_now(k))}</p>
            </form>
            <p role="status" class="visually-hidden">
                {move || checking.get().then(|| i18n.t_now("badge-check-checking"))}
            </p>
            {move || result.get().map(|answer| view! { <CheckResult answer heading i18n /> })}
        </Page>
    }
}

/// The bytes at an address, if it answers with success.
async fn fetch(url: &str) -> Option<Vec<u8>> {
    let response = gloo_net::http::Request::get(url).send().await.ok()?;
    response.ok().then_some(())?;
    response.binary().await.ok()
}

/// The result: its heading (which takes focus), then the badge and its
/// checks, or why it could not be checked.
#[component]
fn CheckResult(
    answer: Result<Inspection, VerifierError>,
    heading: NodeRef<html::H2>,
    i18n: UseI18nReturn,
) -> impl IntoView {
    let lang = i18n.lang.get_untracked();
    let (level, title) = match &answer {
        Ok(inspection) => {
            let key = match inspection.report.level {
                Level::Valid => "badge-level-valid",
                Level::Warning => "badge-level-warning",
                Level::Invalid => "badge-level-invalid",
            };
            (Some(inspection.report.level), key)
        }
        Err(_) => (None, "badge-check-not-checked"),
    };
    let body = match answer {
        Err(error) => {
            let text = match &error {
                VerifierError::NotABadge { code } => check_text(
                    i18n,
                    &Check {
                        kind: CheckKind::Structure,
                        level: Level::Invalid,
                        code: code.clone(),
                        args: Vec::new(),
                    },
                ),
                other => i18n.t_now(other.message_key()),
            };
            view! { <p data-testid="badge-check-error">{text}</p> }.into_any()
        }
        Ok(inspection) => {
            let summary = with_feed(&inspection.summary);
            let (name, name_lang) = localized(&summary.name, lang);
            let report = inspection.report;
            view! {
                <p class="badge-name" lang=name_lang data-testid="badge-name">{name}</p>
                <BadgeDetails summary report=Some(report.clone()) />
                <h3>{i18n.t_now("badge-checks-heading")}</h3>
                <ReportView report />
            }
            .into_any()
        }
    };
    view! {
        <section class="check-result" aria-labelledby="badge-result" data-testid="badge-result">
            <h2 id="badge-result" tabindex="-1" node_ref=heading class=level_parts(level.unwrap_or(Level::Invalid)).2>
                <span class="level-icon" aria-hidden="true">{level_parts(level.unwrap_or(Level::Invalid)).0}</span>
                " "
                {i18n.t_now(title)}
            </h2>
            {body}
        </section>
    }
}
