//! The messages between the page and the verifier worker, defined once so both sides read and write the same JSON.
//!
//! The verifier (`talkoo-verifier`, which links `talkoo-badges`) runs in a
//! Web Worker of its own so that its size never reaches the first-load
//! shell; the app cannot depend on it, so the shapes it exchanges with the
//! app live here. Every message is one JSON string: strings cross
//! `postMessage` without a serialiser on either side.
//!
//! - page to worker: `{"id": 1, "request": VerifyRequest}` to verify;
//!   `{"id": 2, "qr": "<base64 of the badge as kept>"}` to draw it as a QR
//!   code; `{"id": 3, "scan": Frame}` to look for a QR code in a camera
//!   frame; `{"id": 4, "bake": Bake}` to make an image to share;
//! - worker to page: `{"id": 0, "ready": true}` once it listens (a message
//!   posted before that would be lost), then `{"id": 1, "ok": Inspection}`,
//!   `{"id": 2, "text": "<svg…>"}` (the QR code, the scanned text, or the
//!   baked image in base64 with its `mime`) or `{"id": 1, "error":
//!   "not-a-badge"}` per request.

use serde::{Deserialize, Serialize};

use crate::wallet::{Inspection, VerifyRequest};

/// The error code for a message the worker could not read as a request; a
/// fault of the page, never of the badge.
pub const BAD_REQUEST: &str = "bad-request";

/// The error code when a badge does not fit the largest QR code.
pub const QR_DOES_NOT_FIT: &str = "qr-does-not-fit";

/// The error code when a camera frame holds no QR code that can be read.
pub const NO_CODE: &str = "no-code";

/// One request from the page: exactly one of its tasks is set.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToVerifier {
    /// Chosen by the page to match the answer to its request.
    pub id: u32,
    /// What to verify.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<VerifyRequest>,
    /// A badge's bytes as kept, in base64, to draw as a QR code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qr: Option<String>,
    /// A camera frame to read a QR code from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scan: Option<Frame>,
    /// A badge to bake into an image for sharing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bake: Option<Bake>,
}

/// A camera frame in grey: `width * height` bytes, row by row, in base64.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Frame {
    /// Pixels a row.
    pub width: u32,
    /// Rows.
    pub height: u32,
    /// The grey bytes in base64 (0 is black).
    pub grey: String,
}

/// A badge to bake into an image that other apps can read back.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bake {
    /// The badge's bytes as kept, in base64.
    pub badge: String,
    /// The achievement's image (PNG or SVG) in base64, when the page could
    /// fetch it; otherwise the worker draws a simple SVG badge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// The achievement's name, for the drawn badge.
    pub name: String,
    /// The issuer's name, for the drawn badge.
    pub issuer: String,
}

/// Where the image a shared badge is baked into comes from, decided from
/// the achievement's image as the badge page has it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BakeImage<'a> {
    /// A `data:` URI of a PNG or an SVG: its base64, there even offline.
    Inline(&'a str),
    /// An `http:` or `https:` address, which the page fetches when online.
    Fetch(&'a str),
    /// Nothing that bakes: the worker draws a badge.
    Drawn,
}

/// The largest image the page fetches to bake a badge into, in bytes; a
/// larger one gets the drawn badge rather than a slow share on a cheap
/// phone.
pub const MAX_FETCHED_IMAGE: usize = 2 * 1024 * 1024;

/// Where to find the image to bake a badge into, given the achievement's
/// image (`image.id` of a credential, or the feed's `data:` URI).
pub fn bake_image(image: Option<&str>) -> BakeImage<'_> {
    let Some(image) = image.map(str::trim) else {
        return BakeImage::Drawn;
    };
    if let Some(base64) = image
        .strip_prefix("data:image/png;base64,")
        .or_else(|| image.strip_prefix("data:image/svg+xml;base64,"))
    {
        BakeImage::Inline(base64)
    } else if crate::feed::is_web_address(image) {
        BakeImage::Fetch(image)
    } else {
        BakeImage::Drawn
    }
}

/// Whether an image fetched for baking is one the worker bakes: a PNG or an
/// SVG both by the response's media type and by its bytes, and not over
/// [`MAX_FETCHED_IMAGE`]. Anything else (a JPEG, an error page served as
/// an image, a PNG that says it is text) falls back to the drawn badge.
pub fn fetched_image_bakes(content_type: Option<&str>, bytes: &[u8]) -> bool {
    const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];
    let media = content_type
        .and_then(|t| t.split(';').next())
        .map(|t| t.trim().to_ascii_lowercase());
    let svg_text = || {
        std::str::from_utf8(bytes).is_ok_and(|text| {
            let text = text.trim_start_matches('\u{feff}').trim_start();
            text.starts_with('<') && text.contains("<svg")
        })
    };
    let bakes = match media.as_deref() {
        Some("image/png") => bytes.starts_with(&PNG_SIGNATURE),
        Some("image/svg+xml") => svg_text(),
        _ => false,
    };
    bakes && bytes.len() <= MAX_FETCHED_IMAGE
}

/// One message from the worker: the ready signal, or an answer with
/// either `ok` or `error`.
///
/// A plain struct rather than an enum: serde's untagged and flattened
/// enums buffer the whole message generically, which cost the first-load
/// shell about 20 KB of brotli-compressed wasm for nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FromVerifier {
    /// The request's id; 0 in the ready message.
    #[serde(default)]
    pub id: u32,
    /// `true` only in the worker's first message.
    #[serde(default, skip_serializing_if = "is_false")]
    pub ready: bool,
    /// The bytes were read as a credential and checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ok: Option<Box<Inspection>>,
    /// The bytes could not be read as a credential, or the request was not
    /// understood: a stable code such as `not-a-badge` or [`BAD_REQUEST`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The answer to a task other than verifying: the QR code's SVG, the
    /// scanned text, or the baked image in base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The media type of a baked image (`image/png` or `image/svg+xml`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl FromVerifier {
    /// The worker's first message.
    pub fn ready() -> Self {
        FromVerifier {
            ready: true,
            ..FromVerifier::default()
        }
    }

    /// The answer to request `id`.
    pub fn answer(id: u32, outcome: Result<Inspection, String>) -> Self {
        let (ok, error) = match outcome {
            Ok(inspection) => (Some(Box::new(inspection)), None),
            Err(code) => (None, Some(code)),
        };
        FromVerifier {
            id,
            ok,
            error,
            ..FromVerifier::default()
        }
    }

    /// The answer to task `id` that is text (or an error's code), with the
    /// media type of a baked image.
    pub fn text(id: u32, outcome: Result<(String, Option<String>), String>) -> Self {
        let (text, mime, error) = match outcome {
            Ok((text, mime)) => (Some(text), mime, None),
            Err(code) => (None, None, Some(code)),
        };
        FromVerifier {
            id,
            text,
            mime,
            error,
            ..FromVerifier::default()
        }
    }

    /// What an answer says; `None` for the ready message or a message that
    /// carries neither a result nor an error.
    pub fn outcome(self) -> Option<Result<Inspection, String>> {
        match (self.ok, self.error) {
            (Some(inspection), _) => Some(Ok(*inspection)),
            (None, Some(code)) => Some(Err(code)),
            (None, None) => None,
        }
    }

    /// The message as the JSON string that is posted.
    pub fn to_json(&self) -> String {
        // Serialising these plain structs cannot fail: every map key is a
        // string and no value is a float that JSON cannot hold.
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wallet::{BadgeSummary, Format, Report};

    fn inspection() -> Inspection {
        Inspection {
            id: "ab".into(),
            format: Format::VcJwt,
            summary: BadgeSummary {
                issuer_id: "did:example:1".into(),
                ..BadgeSummary::default()
            },
            report: Report::new(Vec::new(), "2026-12-03T08:00:00Z".into(), None),
            status_urls: Vec::new(),
        }
    }

    fn check(
        message: FromVerifier,
        expected: serde_json::Value,
        outcome: Option<Result<Inspection, String>>,
    ) {
        let json = message.to_json();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value, expected, "{json}");
        let back: FromVerifier = serde_json::from_str(&json).unwrap();
        assert_eq!(back, message);
        assert_eq!(back.outcome(), outcome, "{json}");
    }

    #[test]
    fn the_image_to_bake_into_is_inline_fetched_or_drawn() {
        let check = |image: Option<&str>, expected: BakeImage<'_>| {
            assert_eq!(bake_image(image), expected, "{image:?}");
        };
        check(
            Some("data:image/png;base64,iVBORw0KGgo="),
            BakeImage::Inline("iVBORw0KGgo="),
        );
        check(
            Some("data:image/svg+xml;base64,PHN2Zy8+"),
            BakeImage::Inline("PHN2Zy8+"),
        );
        check(
            Some("https://example.fi/merkit/ensiapu.png"),
            BakeImage::Fetch("https://example.fi/merkit/ensiapu.png"),
        );
        check(
            Some(" http://127.0.0.1:8080/badge.svg "),
            BakeImage::Fetch("http://127.0.0.1:8080/badge.svg"),
        );
        check(Some("data:image/jpeg;base64,/9j/4AAQ"), BakeImage::Drawn);
        check(Some("ftp://example.fi/badge.png"), BakeImage::Drawn);
        check(Some("javascript:alert(1)"), BakeImage::Drawn);
        check(Some("badge.png"), BakeImage::Drawn);
        check(None, BakeImage::Drawn);
    }

    #[test]
    fn a_fetched_image_bakes_only_when_it_is_a_png_or_an_svg() {
        let png = [
            0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n', 0, 0, 0, 13,
        ];
        let svg = b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
        let check = |content_type: Option<&str>, bytes: &[u8], expected: bool| {
            assert_eq!(
                fetched_image_bakes(content_type, bytes),
                expected,
                "{content_type:?} {:?}",
                String::from_utf8_lossy(&bytes[..bytes.len().min(20)])
            );
        };
        check(Some("image/png"), &png, true);
        check(Some("IMAGE/PNG; charset=binary"), &png, true);
        check(Some("image/svg+xml"), svg, true);
        check(
            Some("image/svg+xml; charset=utf-8"),
            "\u{feff}<svg/>".as_bytes(),
            true,
        );
        // The type and the bytes must agree, and the type must be given.
        check(Some("image/png"), svg, false);
        check(Some("image/svg+xml"), &png, false);
        check(Some("text/html"), b"<html><svg/></html>", false);
        check(Some("image/svg+xml"), b"<html>not found</html>", false);
        check(Some("image/jpeg"), &[0xff, 0xd8, 0xff, 0xe0], false);
        check(Some("image/webp"), b"RIFF....WEBP", false);
        check(None, &png, false);
        check(Some("image/png"), &[], false);
        let mut large = png.to_vec();
        large.resize(MAX_FETCHED_IMAGE, 0);
        check(Some("image/png"), &large, true);
        large.push(0);
        check(Some("image/png"), &large, false);
    }

    #[test]
    fn messages_from_the_worker_have_the_documented_shape() {
        check(
            FromVerifier::ready(),
            serde_json::json!({ "id": 0, "ready": true }),
            None,
        );
        check(
            FromVerifier::answer(7, Err("not-a-badge".into())),
            serde_json::json!({ "id": 7, "error": "not-a-badge" }),
            Some(Err("not-a-badge".into())),
        );
        let ok = serde_json::to_value(inspection()).unwrap();
        check(
            FromVerifier::text(9, Ok(("<svg/>".into(), None))),
            serde_json::json!({ "id": 9, "text": "<svg/>" }),
            None,
        );
        check(
            FromVerifier::text(10, Err(QR_DOES_NOT_FIT.into())),
            serde_json::json!({ "id": 10, "error": "qr-does-not-fit" }),
            Some(Err("qr-does-not-fit".into())),
        );
        check(
            FromVerifier::answer(8, Ok(inspection())),
            serde_json::json!({ "id": 8, "ok": ok }),
            Some(Ok(inspection())),
        );
    }
}
