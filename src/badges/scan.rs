//! `QrScanner`: reads a QR code with the phone's camera, for "Add a badge" and "Check a badge", and hands its text on as if it had been pasted.
//!
//! The rear camera is asked for with `getUserMedia` and shown in a video
//! preview with a button that stops it. Frames are read with the browser's
//! `BarcodeDetector` where there is one (Chrome on Android, Safari);
//! elsewhere (desktop Linux and Firefox among them) a grey copy of the
//! frame goes to the verifier worker, whose `rqrr` decoder reads it, so no
//! decoder is part of the app. One frame is read at a time, a few a
//! second. The camera's tracks are stopped when a code is read, when the
//! scan is cancelled and when the page is left (the loop also stops once
//! its video element is no longer in the document).

use gloo_timers::future::TimeoutFuture;
use js_sys::{Array, Function, Object, Promise, Reflect};
use leptos::html;
use leptos::prelude::*;
use talkoo_core::verifier_protocol::Frame;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::to_base64;
use super::verifier::use_verifier;
use crate::i18n::use_i18n;

/// The longest side a frame is scaled to before it is posted to the
/// worker: enough pixels for a dense code that fills half the view, few
/// enough that a frame is decoded in a fraction of a second.
const FRAME_SIDE: f64 = 720.0;

/// How long to wait between two frames, in milliseconds.
const FRAME_PAUSE: u32 = 200;

/// A "Scan a QR code" button that opens the camera; `on_text` gets the
/// text of the first code read.
#[component]
pub fn QrScanner(#[prop(into)] on_text: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let verifier = use_verifier();
    let scanning = RwSignal::new(false);
    let problem = RwSignal::new(None::<&'static str>);
    let video = NodeRef::<html::Video>::new();
    let stream = StoredValue::new_local(None::<web_sys::MediaStream>);
    // Each scan has a number; a loop whose number is no longer the current
    // one has been cancelled and stops.
    let run = StoredValue::new(0u32);

    let stop = move || {
        run.try_update_value(|r| *r = r.wrapping_add(1));
        if let Some(Some(s)) = stream.try_update_value(Option::take) {
            stop_tracks(&s);
        }
        // The preview's own stream too, so no path leaves the camera on.
        if let Some(Some(v)) = video.try_get_untracked() {
            let element: &web_sys::HtmlMediaElement = &v;
            if let Some(s) = element.src_object() {
                stop_tracks(&s);
            }
            element.set_src_object(None);
        }
        let _ = scanning.try_set(false);
    };
    on_cleanup(stop);

    let start = move |_| {
        problem.set(None);
        scanning.set(true);
        let this = run.get_value().wrapping_add(1);
        run.set_value(this);
        leptos::task::spawn_local(async move {
            let s = match open_camera().await {
                Ok(s) => s,
                Err(key) => {
                    let _ = problem.try_set(Some(key));
                    let _ = scanning.try_set(false);
                    return;
                }
            };
            let (Some(current), Some(v)) = (run.try_get_value(), video.get_untracked()) else {
                stop_tracks(&s);
                return;
            };
            if current != this {
                stop_tracks(&s);
                return;
            }
            stream.set_value(Some(s.clone()));
            let element: &web_sys::HtmlMediaElement = &v;
            element.set_src_object(Some(&s));
            if let Ok(p) = element.play() {
                let _ = JsFuture::from(p).await;
            }
            let detector = barcode_detector();
            let canvas: Option<web_sys::HtmlCanvasElement> = document()
                .create_element("canvas")
                .ok()
                .and_then(|c| c.dyn_into().ok());
            loop {
                TimeoutFuture::new(FRAME_PAUSE).await;
                if run.try_get_value() != Some(this) || !v.is_connected() {
                    stop_tracks(&s);
                    return;
                }
                let text = match (&detector, &canvas) {
                    (Some(d), _) => detect(d, &v).await,
                    (None, Some(c)) => match grey_frame(&v, c) {
                        Some(frame) => verifier.scan(frame).await.ok().flatten(),
                        None => None,
                    },
                    (None, None) => None,
                };
                if run.try_get_value() != Some(this) {
                    stop_tracks(&s);
                    return;
                }
                if let Some(text) = text {
                    stop_tracks(&s);
                    stop();
                    on_text.run(text);
                    return;
                }
            }
        });
    };

    view! {
        <div class="qr-scanner" data-testid="qr-scanner">
            <button type="button" on:click=start hidden=move || scanning.get() data-testid="scan-start">
                {i18n.t("scan-start")}
            </button>
            <div class="qr-scanner-view" hidden=move || !scanning.get()>
                <video
                    node_ref=video
                    class="qr-video"
                    autoplay=true
                    muted=true
                    playsinline=true
                    aria-label=move || i18n.t_now("scan-video")
                    data-testid="scan-video"
                ></video>
                <p role="status" class="hint">{move || scanning.get().then(|| i18n.t_now("scan-looking"))}</p>
                <button type="button" on:click=move |_| stop() data-testid="scan-cancel">
                    {i18n.t("scan-cancel")}
                </button>
            </div>
            <p role="alert" class="error" data-testid="scan-error">{move || problem.get().map(|k| i18n.t_now(k))}</p>
        </div>
    }
}

/// Asks for the rear camera; the error is the message id that says why
/// there is none.
async fn open_camera() -> Result<web_sys::MediaStream, &'static str> {
    let navigator = window().navigator();
    // `mediaDevices` is missing without a secure context or a camera API.
    let devices = Reflect::get(&navigator, &JsValue::from_str("mediaDevices"))
        .ok()
        .filter(|d| !d.is_undefined() && !d.is_null())
        .ok_or("scan-no-camera")?
        .unchecked_into::<web_sys::MediaDevices>();
    let facing = Object::new();
    let _ = Reflect::set(
        &facing,
        &JsValue::from_str("ideal"),
        &JsValue::from_str("environment"),
    );
    let video = Object::new();
    let _ = Reflect::set(&video, &JsValue::from_str("facingMode"), &facing);
    let constraints = web_sys::MediaStreamConstraints::new();
    constraints.set_video(&video);
    constraints.set_audio(&JsValue::FALSE);
    let promise = devices
        .get_user_media_with_constraints(&constraints)
        .map_err(|_| "scan-failed")?;
    match JsFuture::from(promise).await {
        Ok(stream) => Ok(stream.unchecked_into()),
        Err(e) => {
            let name = Reflect::get(&e, &JsValue::from_str("name"))
                .ok()
                .and_then(|n| n.as_string())
                .unwrap_or_default();
            Err(match name.as_str() {
                "NotAllowedError" | "SecurityError" => "scan-denied",
                "NotFoundError" | "OverconstrainedError" | "NotReadableError" => "scan-no-camera",
                _ => "scan-failed",
            })
        }
    }
}

fn stop_tracks(stream: &web_sys::MediaStream) {
    for track in stream.get_tracks().iter() {
        track.unchecked_into::<web_sys::MediaStreamTrack>().stop();
    }
}

/// The browser's QR detector, where it has `BarcodeDetector` (not in the
/// `web_sys` bindings without unstable APIs, hence `Reflect`).
fn barcode_detector() -> Option<JsValue> {
    let constructor = Reflect::get(&window(), &JsValue::from_str("BarcodeDetector"))
        .ok()?
        .dyn_into::<Function>()
        .ok()?;
    let options = Object::new();
    let _ = Reflect::set(
        &options,
        &JsValue::from_str("formats"),
        &Array::of1(&JsValue::from_str("qr_code")),
    );
    Reflect::construct(&constructor, &Array::of1(&options)).ok()
}

/// The text of the first code `detector` sees in the video's frame.
async fn detect(detector: &JsValue, video: &web_sys::HtmlVideoElement) -> Option<String> {
    let detect = Reflect::get(detector, &JsValue::from_str("detect"))
        .ok()?
        .dyn_into::<Function>()
        .ok()?;
    let promise = detect
        .call1(detector, video)
        .ok()?
        .dyn_into::<Promise>()
        .ok()?;
    let codes = JsFuture::from(promise)
        .await
        .ok()?
        .dyn_into::<Array>()
        .ok()?;
    codes.iter().find_map(|c| {
        Reflect::get(&c, &JsValue::from_str("rawValue"))
            .ok()?
            .as_string()
    })
}

/// The video's current frame in grey, scaled to at most [`FRAME_SIDE`].
fn grey_frame(
    video: &web_sys::HtmlVideoElement,
    canvas: &web_sys::HtmlCanvasElement,
) -> Option<Frame> {
    let (w, h) = (video.video_width(), video.video_height());
    if w == 0 || h == 0 {
        return None;
    }
    let scale = (FRAME_SIDE / f64::from(w.max(h))).min(1.0);
    let (cw, ch) = (
        (f64::from(w) * scale).round().max(1.0),
        (f64::from(h) * scale).round().max(1.0),
    );
    canvas.set_width(cw as u32);
    canvas.set_height(ch as u32);
    let context = canvas
        .get_context("2d")
        .ok()??
        .dyn_into::<web_sys::CanvasRenderingContext2d>()
        .ok()?;
    context
        .draw_image_with_html_video_element_and_dw_and_dh(video, 0.0, 0.0, cw, ch)
        .ok()?;
    let rgba = context.get_image_data(0.0, 0.0, cw, ch).ok()?.data();
    // ITU-R BT.601 luma in integers.
    let grey: Vec<u8> = rgba
        .chunks_exact(4)
        .map(|p| ((u32::from(p[0]) * 77 + u32::from(p[1]) * 150 + u32::from(p[2]) * 29) >> 8) as u8)
        .collect();
    Some(Frame {
        width: cw as u32,
        height: ch as u32,
        grey: to_base64(&grey),
    })
}
