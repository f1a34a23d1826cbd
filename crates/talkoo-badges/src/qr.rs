//! Badges as QR codes: the Talkoo QR payload (`TB1:` + base45 of the raw-deflated credential), drawing it as an SVG code and reading it back from a camera frame.
//!
//! A signed Open Badges 3.0 credential is usually 2–5 KB of JSON, more than
//! a phone's camera reads comfortably from a QR code. The payload shrinks
//! it without changing it:
//!
//! ```text
//! TB1:<base45( raw-deflate( credential text ) )>
//! ```
//!
//! - `TB1:` names the payload and its version (Talkoo badge, 1).
//! - The credential text is the signed form exactly as received: the JSON
//!   with its embedded proof, or the VC-JWT, never re-serialised, so the
//!   reader finds the same wallet id and the proof still verifies.
//! - Raw deflate (RFC 1951, no zlib or gzip header) at the best level.
//! - Base45 (RFC 9285) uses only characters of the QR alphanumeric mode,
//!   so the whole text, prefix included, is encoded in that mode (5.5 bits
//!   a character instead of 8).
//!
//! Reading inflates at most [`MAX_INFLATED`] bytes, so a small payload that
//! inflates to gigabytes (a "deflate bomb") is refused, not expanded. The
//! code is drawn at the low error-correction level, the most data a code
//! holds; a credential that does not fit a version 40 code is refused with
//! [`QrError::TooLarge`] and the app offers the file instead.

use std::io::{Read, Write};

use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use flate2::Compression;
use qrcode::{EcLevel, QrCode};

/// The start of every Talkoo QR payload.
pub const PREFIX: &str = "TB1:";

/// The most bytes a payload may inflate to: ten times the largest
/// credential seen, and small enough that a bomb costs nothing.
pub const MAX_INFLATED: u64 = 256 * 1024;

/// Why a QR payload could not be read.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum PayloadError {
    /// The text after the prefix is not base45, or does not inflate.
    #[error("the QR code's badge is damaged")]
    Damaged,
    /// It inflates to more than [`MAX_INFLATED`] bytes.
    #[error("the QR code's badge is larger than any badge")]
    TooLarge,
}

/// Why a credential could not be drawn as a QR code.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum QrError {
    /// Even compressed it does not fit the largest QR code.
    #[error("the badge is too large for a QR code")]
    TooLarge,
}

/// Whether `text` is a Talkoo QR payload (and not, say, JSON).
pub fn is_payload(text: &str) -> bool {
    text.starts_with(PREFIX)
}

/// The payload for a credential's signed text.
pub fn encode(credential: &str) -> String {
    let mut deflater = DeflateEncoder::new(Vec::new(), Compression::best());
    // Writing into a Vec cannot fail.
    let _ = deflater.write_all(credential.as_bytes());
    let deflated = deflater.finish().unwrap_or_default();
    format!("{PREFIX}{}", base45::encode(deflated))
}

/// The credential text in a payload (with the prefix). Surrounding white
/// space is ignored, as pasted text often has some.
pub fn decode(payload: &str) -> Result<String, PayloadError> {
    let body = payload
        .trim()
        .strip_prefix(PREFIX)
        .ok_or(PayloadError::Damaged)?;
    let deflated = base45::decode(body.trim()).map_err(|_| PayloadError::Damaged)?;
    let mut inflated = Vec::new();
    // One byte past the cap tells a bomb from a credential of exactly the
    // cap's size.
    DeflateDecoder::new(deflated.as_slice())
        .take(MAX_INFLATED + 1)
        .read_to_end(&mut inflated)
        .map_err(|_| PayloadError::Damaged)?;
    if inflated.len() as u64 > MAX_INFLATED {
        return Err(PayloadError::TooLarge);
    }
    String::from_utf8(inflated).map_err(|_| PayloadError::Damaged)
}

/// The QR code of a payload at the low error-correction level.
pub fn code(payload: &str) -> Result<QrCode, QrError> {
    QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::L)
        .map_err(|_| QrError::TooLarge)
}

/// The credential as an SVG QR code: black modules on white with the
/// standard four-module quiet zone, one unit a module, so the page scales
/// it to the screen's width.
pub fn svg(credential: &str) -> Result<String, QrError> {
    let code = code(&encode(credential))?;
    Ok(code
        .render::<qrcode::render::svg::Color>()
        .module_dimensions(1, 1)
        .quiet_zone(true)
        .build())
}

/// The text of the first QR code found in a grey camera frame (`grey` is
/// `width * height` bytes, row by row, 0 black), if any can be read.
pub fn scan_grey(width: usize, height: usize, grey: &[u8]) -> Option<String> {
    if width == 0 || height == 0 || grey.len() < width * height {
        return None;
    }
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| grey[y * width + x]);
    image
        .detect_grids()
        .iter()
        .find_map(|grid| grid.decode().ok().map(|(_, text)| text))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A QR code drawn as a grey bitmap, `scale` pixels a module with a
    /// four-module white border, as a camera would see a screen.
    pub(crate) fn grey_bitmap(code: &QrCode, scale: usize) -> (usize, Vec<u8>) {
        let modules = code.width();
        let side = (modules + 8) * scale;
        let colors = code.to_colors();
        let mut grey = vec![255u8; side * side];
        for y in 0..side {
            for x in 0..side {
                let (mx, my) = ((x / scale).wrapping_sub(4), (y / scale).wrapping_sub(4));
                if mx < modules && my < modules && colors[my * modules + mx] == qrcode::Color::Dark
                {
                    grey[y * side + x] = 0;
                }
            }
        }
        (side, grey)
    }

    fn check(payload: &str, expected: Result<&str, PayloadError>) {
        assert_eq!(decode(payload).as_deref(), expected.as_deref(), "{payload}");
    }

    #[test]
    fn payloads_round_trip_and_damage_is_refused() {
        let text = r#"{"type":["VerifiableCredential"],"name":"Ensiapu – första hjälpen"}"#;
        let payload = encode(text);
        assert!(payload.starts_with("TB1:"), "{payload}");
        let alphanumeric = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
        assert!(
            payload.chars().all(|c| alphanumeric.contains(c)),
            "{payload}"
        );
        check(&payload, Ok(text));
        check(&format!("  {payload}\n"), Ok(text));
        check(
            &payload.replacen("TB1:", "TB2:", 1),
            Err(PayloadError::Damaged),
        );
        // Lowercase is outside base45's alphabet.
        check(&payload.to_ascii_lowercase(), Err(PayloadError::Damaged));
        check("TB1:", Err(PayloadError::Damaged));
        // Valid base45 whose bytes are not a deflate stream.
        check(
            &format!("{PREFIX}{}", base45::encode([0xff; 12])),
            Err(PayloadError::Damaged),
        );
        // A truncated payload (a code read partly) does not inflate whole.
        let long = "credential ".repeat(200);
        let cut = encode(&long);
        check(&cut[..cut.len() - 6], Err(PayloadError::Damaged));
    }

    #[test]
    fn a_deflate_bomb_is_refused() {
        let at_cap = "a".repeat(MAX_INFLATED as usize);
        check(&encode(&at_cap), Ok(at_cap.as_str()));
        let bomb = encode(&"a".repeat(64 * 1024 * 1024));
        assert!(bomb.len() < 200_000, "a bomb is small: {}", bomb.len());
        check(&bomb, Err(PayloadError::TooLarge));
    }

    #[test]
    fn a_drawn_code_is_read_back_from_a_grey_frame() {
        let text = r#"{"type":["VerifiableCredential"],"proof":{"proofValue":"z3xyz"}}"#;
        let payload = encode(text);
        let code = code(&payload).unwrap();
        let (side, grey) = grey_bitmap(&code, 4);
        assert_eq!(
            scan_grey(side, side, &grey).as_deref(),
            Some(payload.as_str())
        );
        assert_eq!(scan_grey(side, side, &vec![255; side * side]), None);
        assert_eq!(scan_grey(side, side, &grey[..10]), None);
        let svg = svg(text).unwrap();
        assert!(svg.contains("<svg") && svg.contains("viewBox"), "{svg}");
    }

    #[test]
    fn a_credential_too_large_for_any_code_is_refused() {
        // Bytes that do not compress: 12 KB of pseudo-random text.
        let mut state = 0x2545_f491_u32;
        let noise: String = (0..12_000)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                char::from(b'!' + (state % 90) as u8)
            })
            .collect();
        assert_eq!(svg(&noise), Err(QrError::TooLarge));
    }
}
