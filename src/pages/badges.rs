//! The volunteer's competence badges: the wallet's list, adding a badge from a file, pasted text, an address or a scanned QR code, and a badge's page with every check in plain words, its QR code and its shares.

use leptos::prelude::*;
use talkoo_core::achievement;
use talkoo_core::datefmt::feed_date;
use talkoo_core::i18n::{self, Arg};
use talkoo_core::wallet::{BadgeSummary, Format, Level, Report, Source, WalletBadge};

use super::common::{FilePicker, Text};
use super::{NamedPage, Page};
use crate::badges::module::{use_app_navigate, use_badge_feed, use_badge_route};
use crate::badges::scan::QrScanner;
use crate::badges::share::{BadgeQr, ShareImage};
use crate::badges::{from_base64, take_shared, use_wallet, WalletError};
use crate::browser::online;
use crate::files::{can_share_files, read_bytes, save_bytes};
use crate::i18n::{use_i18n, UseI18nReturn};
use crate::pwa::app_href;

/// `/badges`.
#[component]
pub fn BadgesPage() -> impl IntoView {
    let i18n = use_i18n();
    let wallet = use_wallet();
    let list = move || {
        let badges = wallet.badges.get();
        if wallet.loaded.get() && badges.is_empty() {
            return view! { <p class="empty" data-testid="empty-state">{i18n.t("badges-empty")}</p> }
                .into_any();
        }
        view! {
            <ul class="badge-list" aria-label=i18n.t("badges-list-label")>
                {badges.into_iter().map(|b| view! { <BadgeItem badge=b /> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <Page title_key="badges-title">
            <p>{i18n.t("badges-intro")}</p>
            {move || wallet.error.get().map(|_| view! {
                <p role="alert" class="error">{i18n.t("badges-error-storage")}</p>
            })}
            {list}
            <AddBadge />
            <p><a href=app_href("/badges/check")>{i18n.t("badges-check-link")}</a></p>
        </Page>
    }
}

/// The achievement's name in the best language.
fn name_of(summary: &BadgeSummary) -> talkoo_core::model::LangText {
    summary.name.clone()
}

/// What to show of a badge: when the user's regions know its achievement,
/// the feed's texts in every language, its image and skills; who issued
/// it, to whom and when always come from the credential.
pub fn with_feed(summary: &BadgeSummary) -> BadgeSummary {
    let lang = use_i18n().lang.get_untracked();
    use_badge_feed().with_untracked(|feed| {
        summary
            .achievement_id
            .as_deref()
            .and_then(|id| achievement::by_ob_id(&feed.achievements, id))
            .map_or_else(
                || summary.clone(),
                |a| achievement::shown(summary, a, lang.tag()),
            )
    })
}

#[component]
fn BadgeItem(mut badge: WalletBadge) -> impl IntoView {
    let i18n = use_i18n();
    badge.summary = with_feed(&badge.summary);
    let href = app_href(&format!("/badges/{}", badge.id));
    let report = badge.report.clone();
    let name = name_of(&badge.summary);
    let issuer = issuer_line(i18n, &badge.summary, badge.report.as_ref());
    view! {
        <li class="badge-item">
            <BadgeImage summary=badge.summary.clone() />
            <div>
                <a href=href><Text text=name /></a>
                <p class="hint">{issuer}</p>
                {report.map(|r| view! { <LevelTag report=r /> })}
            </div>
        </li>
    }
}

/// An image the page may show: the CSP allows images from the app and
/// `data:` URIs only, so an image elsewhere is left out rather than broken.
#[component]
fn BadgeImage(summary: BadgeSummary) -> impl IntoView {
    summary
        .image
        .filter(|src| src.starts_with("data:image/"))
        .map(|src| view! { <img class="badge-image" src=src alt="" width="64" height="64" /> })
}

/// A check's argument, such as the issuer's name in the UI's language
/// (`name-fi`) or as the credential gives it (`name`).
fn arg<'a>(report: Option<&'a Report>, code: &str, key: &str) -> Option<&'a str> {
    report?
        .checks
        .iter()
        .find(|c| c.code == code)?
        .args
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// "Issued by X" with the name the user's regions know the issuer by, or
/// the name the credential gives with "not known in your regions".
fn issuer_line(i18n: UseI18nReturn, summary: &BadgeSummary, report: Option<&Report>) -> String {
    let lang = format!("name-{}", i18n.lang.get().tag());
    let known = arg(report, "issuer-known", &lang).or_else(|| arg(report, "issuer-known", "name"));
    match known {
        Some(name) => i18n.t_args("badges-issued-by", &[("issuer", Arg::Str(name))]),
        None => {
            let name = summary.issuer_name.as_deref().unwrap_or(&summary.issuer_id);
            i18n.t_args("badges-issued-by-unknown", &[("issuer", Arg::Str(name))])
        }
    }
}

/// A check's arguments for its message: dates written in the UI's
/// language, the issuer's name in it where the feed gives one.
fn message_args(
    check: &talkoo_core::wallet::Check,
    lang: talkoo_core::Lang,
) -> Vec<(String, String)> {
    let localized = format!("name-{}", lang.tag());
    let mut args: Vec<(String, String)> = check
        .args
        .iter()
        .map(|(k, v)| {
            let v = match k.as_str() {
                "date" | "from" | "until" | "fetched" => feed_date(v, lang),
                _ => v.clone(),
            };
            (k.clone(), v)
        })
        .collect();
    let name = args
        .iter()
        .find(|(k, _)| *k == localized)
        .or_else(|| args.iter().find(|(k, _)| k == "name"))
        .or_else(|| args.iter().find(|(k, _)| k == "issuer"))
        .map(|(_, v)| v.clone());
    args.push(("name".to_owned(), name.unwrap_or_default()));
    args.push(("code".to_owned(), check.code.clone()));
    args
}

/// The overall result with an icon and words, never colour alone.
#[component]
pub fn LevelTag(report: Report) -> impl IntoView {
    let i18n = use_i18n();
    let (icon, _, class) = level_parts(report.level);
    let key = match report.level {
        Level::Valid => "badge-level-valid",
        Level::Warning => "badge-level-warning",
        Level::Invalid => "badge-level-invalid",
    };
    let checked_at = report.checked_at.clone();
    let checked = move || {
        i18n.t_args(
            "badges-checked-on",
            &[(
                "date",
                Arg::Str(&feed_date(&report.checked_at, i18n.lang.get())),
            )],
        )
    };
    view! {
        <p class=format!("badge-level {class}") data-testid="badge-level" data-checked-at=checked_at>
            <span class="level-icon" aria-hidden="true">{icon}</span>
            " "
            <strong>{i18n.t(key)}</strong>
            " · "
            <span>{checked}</span>
        </p>
    }
}

/// The icon, word and class of a level: a shape and a word as well as a
/// colour, so it is never told by colour alone.
pub fn level_parts(level: Level) -> (&'static str, &'static str, &'static str) {
    match level {
        Level::Valid => ("✓", "badge-check-level-valid", "level level-valid"),
        Level::Warning => ("!", "badge-check-level-warning", "level level-warning"),
        Level::Invalid => ("✗", "badge-check-level-invalid", "level level-invalid"),
    }
}

/// The message for a verifier code, `badge-check-<code>` with its
/// arguments (dates written in the UI's language), or a general one naming
/// the code when this version of the app has no message for it.
pub fn check_text(i18n: UseI18nReturn, check: &talkoo_core::wallet::Check) -> String {
    let lang = i18n.lang.get();
    let id = format!("badge-check-{}", check.code);
    let id = if i18n::has(lang, &id) {
        id
    } else {
        "badge-check-unknown".to_owned()
    };
    let args = message_args(check, lang);
    let args: Vec<(&str, Arg)> = args
        .iter()
        .map(|(k, v)| (k.as_str(), Arg::Str(v)))
        .collect();
    i18n.t_args(&id, &args)
}

/// Every check of a report as a list: an icon, the level in a word, and
/// the finding in plain words.
#[component]
pub fn ReportView(report: Report) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="checks" data-testid="badge-checks">
            {report.checks.into_iter().map(|check| {
                let (icon, key, class) = level_parts(check.level);
                let code = check.code.clone();
                view! {
                    <li class=class data-code=code>
                        <span class="level-icon" aria-hidden="true">{icon}</span>
                        " "
                        <strong>{i18n.t(key)}</strong>
                        ": "
                        {move || check_text(i18n, &check)}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// What the badge says: description, criteria, skills, evidence, dates.
#[component]
pub fn BadgeDetails(summary: BadgeSummary, report: Option<Report>) -> impl IntoView {
    let i18n = use_i18n();
    let date = move |d: &Option<String>| d.as_ref().map(|d| feed_date(d, i18n.lang.get()));
    let issuer = issuer_line(i18n, &summary, report.as_ref());
    let row = |key: &'static str, value: Option<AnyView>| {
        value.map(|v| view! { <dt>{i18n.t(key)}</dt><dd>{v}</dd> })
    };
    let text = |t: &talkoo_core::model::LangText| {
        (!t.is_empty()).then(|| view! { <Text text=t.clone() /> }.into_any())
    };
    let skills = (!summary.skills.is_empty()).then(|| {
        view! {
            <ul>
                {summary.skills.iter().map(|s| match s.link() {
                    // A skill with a web address, such as an ESCO concept,
                    // links to the framework's page about it.
                    Some(url) => view! { <li><a href=url.to_owned()>{s.name.clone()}</a></li> }.into_any(),
                    None => view! { <li>{s.name.clone()}</li> }.into_any(),
                }).collect_view()}
            </ul>
        }
        .into_any()
    });
    let evidence = (!summary.evidence.is_empty()).then(|| {
        view! {
            <ul>
                {summary.evidence.iter().map(|e| {
                    let words = e.narrative.clone().or_else(|| e.name.clone()).unwrap_or_default();
                    view! { <li>{words}</li> }
                }).collect_view()}
            </ul>
        }
        .into_any()
    });
    view! {
        <dl class="badge-details">
            {row("badges-issuer", Some(issuer.into_any()))}
            {row("badges-recipient", summary.recipient_name.clone().map(|n| n.into_any()))}
            {row("badges-description", text(&summary.description))}
            {row("badges-criteria", text(&summary.criteria))}
            {row("badges-skills", skills)}
            {row("badges-evidence", evidence)}
            {row("badges-valid-from", date(&summary.valid_from).map(|d| d.into_any()))}
            {row("badges-valid-until", date(&summary.valid_until).map(|d| d.into_any()))}
        </dl>
    }
}

/// Adding a badge: a file (PNG, SVG, JSON or JWT), pasted text, or an
/// address when online. The new badge's page opens when it is kept.
#[component]
fn AddBadge() -> impl IntoView {
    let i18n = use_i18n();
    let wallet = use_wallet();
    let offline = RwSignal::new(false);
    let navigate = use_app_navigate();
    let pasted = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    let add = Action::new_local(move |input: &(Vec<u8>, Source)| {
        let (bytes, source) = input.clone();
        async move { wallet.add(bytes, source).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(id)) = add.value().get() {
            navigate(&app_href(&format!("/badges/{id}")));
        }
    });
    // A badge shared from another app: the service worker redirected here
    // with `shared=1` after keeping the file; take it once and add it.
    if use_badge_route().has_query("shared") {
        leptos::task::spawn_local(async move {
            if let Some(bytes) = take_shared().await {
                add.dispatch_local((bytes, Source::Share));
            }
        });
    }
    let fetch = Action::new_local(move |url: &String| {
        let url = url.clone();
        async move {
            let response = gloo_net::http::Request::get(&url).send().await.ok()?;
            response.ok().then_some(())?;
            response.binary().await.ok()
        }
    });
    let busy = move || add.pending().get() || fetch.pending().get();
    Effect::new(move |_| {
        if let Some(Some(bytes)) = fetch.value().get() {
            add.dispatch_local((bytes, Source::Url));
        }
    });
    let error = move || {
        let message = match (add.value().get(), fetch.value().get()) {
            _ if offline.get() => Some(i18n.t_now("badges-add-url-offline")),
            (Some(Err(e)), _) => Some(i18n.t_now(WalletError::message_key(&e))),
            (_, Some(None)) => Some(i18n.t_now("badges-error-fetch")),
            _ => None,
        };
        message
            .map(|m| view! { <p role="alert" class="error" data-testid="badge-add-error">{m}</p> })
    };
    view! {
        <section aria-labelledby="badge-add-heading" class="badge-add">
            <h2 id="badge-add-heading">{i18n.t("badges-add-heading")}</h2>
            <p class="hint" id="badge-add-hint">{i18n.t("badges-add-hint")}</p>
            <FilePicker
                id="badge-file"
                label_key="badges-add-file"
                accept=".png,.svg,.json,.jwt,.txt,image/png,image/svg+xml,application/json,text/plain"
                hint_id="badge-add-hint"
                disabled=Signal::derive(busy)
                on_file=Callback::new(move |file| {
                    leptos::task::spawn_local(async move {
                        if let Ok(bytes) = read_bytes(file).await {
                            add.dispatch_local((bytes, Source::File));
                        }
                    });
                })
            />
            <form on:submit=move |ev| {
                ev.prevent_default();
                let text = pasted.get_untracked();
                if !text.trim().is_empty() {
                    add.dispatch_local((text.trim().as_bytes().to_vec(), Source::Paste));
                }
            }>
                <label for="badge-paste">{i18n.t("badges-add-paste")}</label>
                <textarea id="badge-paste" rows="3" spellcheck="false"
                    prop:value=move || pasted.get()
                    on:input=move |ev| pasted.set(event_target_value(&ev))></textarea>
                <button type="submit" disabled=busy>{i18n.t("badges-add-paste-button")}</button>
            </form>
            <form on:submit=move |ev| {
                ev.prevent_default();
                let url = address.get_untracked();
                offline.set(!online());
                if !url.trim().is_empty() && online() {
                    fetch.dispatch_local(url.trim().to_owned());
                }
            }>
                <label for="badge-url">{i18n.t("badges-add-url")}</label>
                <input id="badge-url" type="url" inputmode="url" aria-describedby="badge-url-hint"
                    prop:value=move || address.get()
                    on:input=move |ev| address.set(event_target_value(&ev)) />
                <p class="hint" id="badge-url-hint">{i18n.t("badges-add-url-hint")}</p>
                <button type="submit" disabled=busy>{i18n.t("badges-add-url-button")}</button>
            </form>
            <QrScanner on_text=move |text: String| {
                // A scanned address is fetched as a typed one would be; any
                // other text (a TB1: payload, JSON, a JWT) is added as read.
                if text.starts_with("https://") {
                    address.set(text.clone());
                    offline.set(!online());
                    if online() {
                        fetch.dispatch_local(text);
                    }
                } else {
                    add.dispatch_local((text.into_bytes(), Source::Qr));
                }
            } />
            <p role="status" class="hint">{move || busy().then(|| i18n.t_now("badges-checking"))}</p>
            {error}
        </section>
    }
}

/// `/badges/:id`.
#[component]
pub fn BadgePage() -> impl IntoView {
    let i18n = use_i18n();
    let wallet = use_wallet();
    let route = use_badge_route();
    let badge = Memo::new(move |_| {
        let id = route.id().unwrap_or_default();
        wallet
            .badges
            .with(|list| list.iter().find(|b| b.id == id).cloned())
    });
    move || match badge.get() {
        Some(b) => view! { <BadgeView badge=b /> }.into_any(),
        None if wallet.loaded.get() => view! {
            <Page title_key="badges-not-found">
                <p><a href=app_href("/badges")>{i18n.t("badges-back")}</a></p>
            </Page>
        }
        .into_any(),
        None => ().into_any(),
    }
}

#[component]
fn BadgeView(mut badge: WalletBadge) -> impl IntoView {
    let i18n = use_i18n();
    badge.summary = with_feed(&badge.summary);
    let wallet = use_wallet();
    let navigate = use_app_navigate();
    let name = name_of(&badge.summary);
    let title = {
        let name = name.clone();
        Signal::derive(move || super::common::localized(&name, i18n.lang.get()).0)
    };
    let title_lang = {
        let name = name.clone();
        Signal::derive(move || super::common::localized(&name, i18n.lang.get()).1)
    };
    let id = badge.id.clone();
    let recheck = Action::new_local(move |_: &()| {
        let id = id.clone();
        async move { wallet.recheck(&id).await }
    });
    let id = badge.id.clone();
    let confirm = RwSignal::new(false);
    let remove = Action::new_local(move |_: &()| {
        let id = id.clone();
        async move { wallet.remove(&id).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = remove.value().get() {
            navigate(&app_href("/badges"));
        }
    });
    let (file_name, mime) = file_of(&badge);
    let original = badge.original.clone();
    let share = can_share_files();
    let save = move |_| {
        let bytes = from_base64(&original);
        let (file_name, mime) = (file_name.clone(), mime);
        leptos::task::spawn_local(async move {
            let _ = save_bytes(&file_name, mime, &bytes, share).await;
        });
    };
    let error = move || {
        [recheck.value().get(), remove.value().get()]
            .into_iter()
            .flatten()
            .find_map(Result::err)
            .map(|e| view! { <p role="alert" class="error">{i18n.t_now(e.message_key())}</p> })
    };
    let report = badge.report.clone();
    let lang = i18n.lang.get_untracked();
    let issuer = arg(
        report.as_ref(),
        "issuer-known",
        &format!("name-{}", lang.tag()),
    )
    .or_else(|| arg(report.as_ref(), "issuer-known", "name"))
    .or(badge.summary.issuer_name.as_deref())
    .unwrap_or(&badge.summary.issuer_id)
    .to_owned();
    let short = badge.id.get(..8).unwrap_or(&badge.id).to_owned();
    view! {
        <NamedPage title=title title_lang=title_lang>
            <p><a href=app_href("/badges")>{i18n.t("badges-back")}</a></p>
            <BadgeImage summary=badge.summary.clone() />
            {report.clone().map(|r| view! {
                <section aria-labelledby="badge-checks-heading">
                    <h2 id="badge-checks-heading">{i18n.t("badge-checks-heading")}</h2>
                    <LevelTag report=r.clone() />
                    <ReportView report=r />
                </section>
            })}
            <BadgeDetails summary=badge.summary.clone() report=report />
            <div class="badge-show">
                <BadgeQr badge=badge.original.clone() name=title />
            </div>
            <div class="actions">
                <button type="button" on:click=move |_| { recheck.dispatch_local(()); } disabled=move || recheck.pending().get()>
                    {i18n.t("badges-recheck")}
                </button>
                <button type="button" on:click=save data-testid="badge-share-original">
                    {if share { i18n.t_now("badges-share") } else { i18n.t_now("badges-download") }}
                </button>
                <ShareImage
                    badge=badge.original.clone()
                    image=badge.summary.image.clone()
                    name=super::common::localized(&name, lang).0
                    issuer=issuer
                    stem=format!("badge-{short}-image")
                    share=share
                />
                {move || if confirm.get() {
                    view! {
                        <button type="button" class="danger" on:click=move |_| { remove.dispatch_local(()); }>
                            {i18n.t("badges-remove-confirm")}
                        </button>
                    }.into_any()
                } else {
                    view! {
                        <button type="button" on:click=move |_| confirm.set(true)>{i18n.t("badges-remove")}</button>
                    }.into_any()
                }}
            </div>
            <p role="status" class="hint">{move || recheck.pending().get().then(|| i18n.t_now("badges-checking"))}</p>
            {error}
        </NamedPage>
    }
}

/// The file name and type to share a badge under, as it was received.
fn file_of(badge: &WalletBadge) -> (String, &'static str) {
    let short = badge.id.get(..8).unwrap_or(&badge.id);
    let (ext, mime) = match badge.format {
        Format::BakedPng => ("png", "image/png"),
        Format::BakedSvg => ("svg", "image/svg+xml"),
        Format::VcJwt | Format::Ob2Jws => ("jwt", "text/plain"),
        Format::Ob3Json | Format::Ob2Json => ("json", "application/json"),
    };
    (format!("badge-{short}.{ext}"), mime)
}
