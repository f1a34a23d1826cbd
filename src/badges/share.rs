//! A badge's page shows it as a QR code another phone can scan, and shares it as an image with the badge baked in; both are made by the verifier worker.
//!
//! The QR code holds the Talkoo `TB1:` payload (see docs/feed.md and
//! `talkoo_badges::qr`), drawn by the worker as SVG and shown as an image
//! with a text alternative that says what it is. A badge too large for a
//! code says so and points to the file and image shares. The shared image
//! is the achievement's own image with the credential baked in: the feed's
//! (a `data:` URI, so it is there offline), or one at an `http(s):` address
//! that a credential names, fetched when online. When there is none, or the
//! fetch fails, or the image is neither PNG nor SVG, it is a simple drawn
//! badge, with no error for the user: the drawn badge carries the same
//! credential.

use leptos::prelude::*;
use talkoo_core::i18n::Arg;
use talkoo_core::verifier_protocol::{
    bake_image, fetched_image_bakes, Bake, BakeImage, MAX_FETCHED_IMAGE, QR_DOES_NOT_FIT,
};

use super::to_base64;
use super::verifier::{use_verifier, VerifierError};
use crate::files::save_bytes;
use crate::i18n::use_i18n;

/// "Show as QR code" and, once pressed, the code. `badge` is the badge's
/// bytes as kept, in base64; `name` what the code is of, for its text
/// alternative.
#[component]
pub fn BadgeQr(badge: String, #[prop(into)] name: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let verifier = use_verifier();
    let shown = RwSignal::new(false);
    let make = Action::new_local(move |badge: &String| verifier.qr_svg(badge.clone()));
    let toggle = move |_| {
        let show = !shown.get_untracked();
        shown.set(show);
        if show && make.value().with_untracked(Option::is_none) && !make.pending().get_untracked() {
            make.dispatch_local(badge.clone());
        }
    };
    let code = move || {
        if !shown.get() {
            return None;
        }
        let view = match make.value().get() {
            None => view! { <p role="status" class="hint">{i18n.t_now("badges-qr-making")}</p> }
                .into_any(),
            Some(Ok(svg)) => {
                let alt = i18n.t_args("badges-qr-alt", &[("name", Arg::Str(&name.get()))]);
                view! {
                    <figure class="badge-qr">
                        <img
                            src=format!("data:image/svg+xml;base64,{}", to_base64(svg.as_bytes()))
                            alt=alt
                            data-testid="badge-qr"
                        />
                        <figcaption class="hint">{i18n.t_now("badges-qr-hint")}</figcaption>
                    </figure>
                }
                .into_any()
            }
            Some(Err(VerifierError::NotABadge { code })) if code == QR_DOES_NOT_FIT => view! {
                <p role="alert" class="error" data-testid="badge-qr-too-large">{i18n.t_now("badges-qr-too-large")}</p>
            }
            .into_any(),
            Some(Err(e)) => view! { <p role="alert" class="error">{i18n.t_now(e.message_key())}</p> }
                .into_any(),
        };
        Some(view)
    };
    view! {
        <button
            type="button"
            aria-expanded=move || shown.get().to_string()
            aria-controls="badge-qr-area"
            on:click=toggle
            data-testid="badge-qr-toggle"
        >
            {move || i18n.t_now(if shown.get() { "badges-qr-hide" } else { "badges-qr-show" })}
        </button>
        <div id="badge-qr-area" class="badge-qr-area">{code}</div>
    }
}

/// "Share as image" (or "Download as image" where the browser cannot share
/// files): the worker bakes the badge into its achievement's image or a
/// drawn one, which goes out through the share sheet or as a download.
#[component]
pub fn ShareImage(
    /// The badge's bytes as kept, in base64.
    badge: String,
    /// The achievement's image: the feed's `data:` URI, or the address a
    /// credential gives.
    image: Option<String>,
    /// The achievement's name and the issuer's, for a drawn badge.
    name: String,
    issuer: String,
    /// The file name without its extension.
    stem: String,
    /// Whether the browser can share files.
    share: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let verifier = use_verifier();
    let failed = RwSignal::new(false);
    let (inline, address) = match bake_image(image.as_deref()) {
        BakeImage::Inline(base64) => (Some(base64.to_owned()), None),
        BakeImage::Fetch(url) => (None, Some(url.to_owned())),
        BakeImage::Drawn => (None, None),
    };
    let request = Bake {
        badge,
        image: inline,
        name,
        issuer,
    };
    let make = Action::new_local(move |_: &()| {
        let mut request = request.clone();
        let address = address.clone();
        let stem = stem.clone();
        async move {
            if let Some(url) = address {
                request.image = fetch_image(&url).await;
            }
            let (base64, mime) = verifier.bake(request).await?;
            let bytes = super::from_base64(&base64);
            let ext = if mime == "image/png" { "png" } else { "svg" };
            save_bytes(&format!("{stem}.{ext}"), &mime, &bytes, share)
                .await
                .map_err(|_| VerifierError::Failed)
        }
    });
    Effect::new(move |_| {
        if let Some(result) = make.value().get() {
            failed.set(result.is_err());
        }
    });
    view! {
        <button
            type="button"
            on:click=move |_| { make.dispatch_local(()); }
            disabled=move || make.pending().get()
            data-testid="badge-share-image"
        >
            {i18n.t_now(if share { "badges-share-image" } else { "badges-download-image" })}
        </button>
        {move || failed.get().then(|| view! {
            <p role="alert" class="error">{i18n.t_now("badges-share-image-failed")}</p>
        })}
    }
}

/// How long the page waits for an image to bake into, in milliseconds; the
/// drawn badge is shared after that. Short, because the share sheet opens
/// only within a few seconds of the button press (Chromium allows five).
const FETCH_LIMIT_MS: u32 = 4_000;

/// The image at `url` in base64, when it is one the worker bakes (see
/// `fetched_image_bakes`). Offline, on any failure of the request (the
/// server refuses it, or does not allow other sites to read it), after
/// [`FETCH_LIMIT_MS`] or for any other image, there is none and the
/// worker draws a badge.
async fn fetch_image(url: &str) -> Option<String> {
    if !crate::browser::online() {
        return None;
    }
    let controller = web_sys::AbortController::new().ok()?;
    let signal = controller.signal();
    // Dropped when this function returns, which cancels the deadline.
    let _deadline = gloo_timers::callback::Timeout::new(FETCH_LIMIT_MS, move || controller.abort());
    let response = gloo_net::http::Request::get(url)
        .abort_signal(Some(&signal))
        .send()
        .await
        .ok()?;
    let headers = response.headers();
    let declared = headers
        .get("content-length")
        .and_then(|n| n.trim().parse::<usize>().ok());
    if !response.ok() || declared.is_some_and(|n| n > MAX_FETCHED_IMAGE) {
        return None;
    }
    let bytes = response.binary().await.ok()?;
    fetched_image_bakes(headers.get("content-type").as_deref(), &bytes).then(|| to_base64(&bytes))
}
