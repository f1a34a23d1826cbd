//! The verifier worker's message handling: a request in, an answer out, both JSON strings (see `talkoo_core::verifier_protocol`).
//!
//! Kept apart from the worker's event loop (`main.rs`) so it is tested
//! natively; the worker only moves strings between `postMessage` and
//! [`answer`].

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::Deserialize;
use talkoo_badges::qr::PayloadError;
use talkoo_badges::{bake, qr, read, ReadError};
use talkoo_core::verifier_protocol::{
    Bake, Frame, FromVerifier, ToVerifier, BAD_REQUEST, NO_CODE, QR_DOES_NOT_FIT,
};

/// The stable code of a read error, which the page translates as
/// `badge-check-<code>`. Every variant needs its own code, so a new one
/// fails to compile here until it has one.
pub fn code(error: &ReadError) -> &'static str {
    match error {
        ReadError::NotABadge => "not-a-badge",
        ReadError::Png(_) => "png-damaged",
        ReadError::Svg(_) => "svg-malformed",
        ReadError::NotBaked => "not-baked",
        ReadError::Jwt(_) => "jwt-malformed",
        ReadError::NotACredential => "not-a-credential",
        ReadError::HostedOnly(_) => "hosted-only",
        ReadError::Payload(PayloadError::Damaged) => "qr-damaged",
        ReadError::Payload(PayloadError::TooLarge) => "qr-oversized",
    }
}

/// Answers one message from the page: its request verified, or the error's
/// code. A message that is not a request is answered with [`BAD_REQUEST`]
/// under its id if it has one (id 0 otherwise), so the page is never left
/// waiting by a request it sent.
pub fn answer(message: &str) -> String {
    let reply = match serde_json::from_str::<ToVerifier>(message) {
        Ok(ToVerifier {
            id,
            request: Some(request),
            ..
        }) => FromVerifier::answer(
            id,
            talkoo_badges::inspect(&request).map_err(|e| code(&e).to_owned()),
        ),
        Ok(ToVerifier {
            id,
            qr: Some(badge),
            ..
        }) => FromVerifier::text(id, qr_svg(&badge).map(|svg| (svg, None))),
        Ok(ToVerifier {
            id,
            scan: Some(frame),
            ..
        }) => FromVerifier::text(id, scan(&frame).map(|text| (text, None))),
        Ok(ToVerifier {
            id,
            bake: Some(bake),
            ..
        }) => FromVerifier::text(
            id,
            share_image(&bake).map(|(bytes, mime)| (bytes, Some(mime.to_owned()))),
        ),
        Ok(ToVerifier { id, .. }) => FromVerifier::answer(id, Err(BAD_REQUEST.to_owned())),
        Err(_) => FromVerifier::answer(id_of(message), Err(BAD_REQUEST.to_owned())),
    };
    reply.to_json()
}

/// Reads the badge in base64 `bytes` as kept (any packaging).
fn credential(bytes: &str) -> Result<read::Credential, String> {
    let bytes = STANDARD
        .decode(bytes.trim())
        .map_err(|_| code(&ReadError::NotABadge).to_owned())?;
    read::read(&bytes).map_err(|e| code(&e).to_owned())
}

/// The badge as an SVG QR code of its Talkoo payload (see
/// `talkoo_badges::qr`), or [`QR_DOES_NOT_FIT`].
fn qr_svg(badge: &str) -> Result<String, String> {
    let credential = credential(badge)?;
    qr::svg(&credential.signed).map_err(|_| QR_DOES_NOT_FIT.to_owned())
}

/// The text of the QR code in a camera frame, or [`NO_CODE`].
fn scan(frame: &Frame) -> Result<String, String> {
    let grey = STANDARD
        .decode(&frame.grey)
        .map_err(|_| BAD_REQUEST.to_owned())?;
    qr::scan_grey(frame.width as usize, frame.height as usize, &grey)
        .ok_or_else(|| NO_CODE.to_owned())
}

/// The badge baked into an image to share, in base64, with its type.
fn share_image(request: &Bake) -> Result<(String, &'static str), String> {
    let credential = credential(&request.badge)?;
    let image = request
        .image
        .as_deref()
        .and_then(|i| STANDARD.decode(i.trim()).ok());
    let (bytes, mime) = bake::share_image(
        &credential.signed,
        image.as_deref(),
        &request.name,
        &request.issuer,
    );
    Ok((STANDARD.encode(bytes), mime))
}

/// The `id` of a message whose request could not be read.
fn id_of(message: &str) -> u32 {
    #[derive(Deserialize)]
    struct Id {
        id: u32,
    }
    serde_json::from_str::<Id>(message).map_or(0, |m| m.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(message: &str, expected: serde_json::Value) {
        let reply: serde_json::Value = serde_json::from_str(&answer(message)).unwrap();
        assert_eq!(reply, expected, "{message}");
    }

    #[test]
    fn each_message_is_answered_under_its_id() {
        let request = |bytes: &str| {
            serde_json::json!({
                "id": 3,
                "request": {
                    "bytes": bytes,
                    "now": "2026-12-03T08:00:00Z",
                    "trusted": [],
                    "status_lists": [],
                },
            })
            .to_string()
        };
        // "hello" in base64: text that is no credential.
        check(
            &request("aGVsbG8="),
            serde_json::json!({ "id": 3, "error": "not-a-badge" }),
        );
        check(
            r#"{"id": 4, "request": {"bytes": 1}}"#,
            serde_json::json!({ "id": 4, "error": "bad-request" }),
        );
        check(
            "not json",
            serde_json::json!({ "id": 0, "error": "bad-request" }),
        );
    }

    const OB3: &str = r#"{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential","OpenBadgeCredential"],"credentialSubject":{}}"#;

    /// The answer to a task message, as JSON.
    fn reply(task: serde_json::Value) -> serde_json::Value {
        serde_json::from_str(&answer(&task.to_string())).unwrap()
    }

    #[test]
    fn a_badge_is_drawn_as_a_code_read_from_a_frame_and_baked() {
        let badge = STANDARD.encode(OB3);
        let svg = reply(serde_json::json!({ "id": 5, "qr": badge }));
        assert!(svg["text"].as_str().unwrap().contains("<svg"), "{svg}");
        check(
            &serde_json::json!({ "id": 6, "qr": STANDARD.encode("hello") }).to_string(),
            serde_json::json!({ "id": 6, "error": "not-a-badge" }),
        );

        // The code as a camera would see it: 3 pixels a module, dark is 0.
        let code = qr::code(&qr::encode(OB3)).unwrap();
        let modules = code.width();
        let dark: Vec<bool> = code
            .to_colors()
            .iter()
            .map(|c| c.select(true, false))
            .collect();
        let side = (modules + 8) * 3;
        let grey: Vec<u8> = (0..side * side)
            .map(|i| {
                let (x, y) = (
                    (i % side / 3).wrapping_sub(4),
                    (i / side / 3).wrapping_sub(4),
                );
                if x < modules && y < modules && dark[y * modules + x] {
                    0
                } else {
                    255
                }
            })
            .collect();
        let frame = |grey: &[u8]| serde_json::json!({ "id": 7, "scan": { "width": side, "height": side, "grey": STANDARD.encode(grey) } });
        check(
            &frame(&grey).to_string(),
            serde_json::json!({ "id": 7, "text": qr::encode(OB3) }),
        );
        check(
            &frame(&vec![255; side * side]).to_string(),
            serde_json::json!({ "id": 7, "error": "no-code" }),
        );

        let baked = reply(
            serde_json::json!({ "id": 8, "bake": { "badge": badge, "name": "Ensiapu", "issuer": "Kylä" } }),
        );
        assert_eq!(baked["mime"], "image/svg+xml", "{baked}");
        let image = STANDARD.decode(baked["text"].as_str().unwrap()).unwrap();
        assert_eq!(read::read(&image).unwrap().signed, OB3);
        // A credential that even compressed fills more than a version 40
        // code: 12 KB of text that does not compress.
        let mut state = 0x2545_f491_u32;
        let noise: String = (0..12_000)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                char::from(b'a' + (state % 26) as u8)
            })
            .collect();
        let large = OB3.replace(
            "\"credentialSubject\":{}",
            &format!("\"credentialSubject\":{{\"name\":\"{noise}\"}}"),
        );
        check(
            &serde_json::json!({ "id": 10, "qr": STANDARD.encode(&large) }).to_string(),
            serde_json::json!({ "id": 10, "error": "qr-does-not-fit" }),
        );
        check(
            r#"{"id": 9}"#,
            serde_json::json!({ "id": 9, "error": "bad-request" }),
        );
    }

    /// Every code the verifier can answer with: the checks tabled in
    /// `talkoo_badges::verify`'s documentation and the read errors.
    fn every_code() -> Vec<String> {
        let table = include_str!("../../talkoo-badges/src/verify.rs");
        let mut codes: Vec<String> = table
            .lines()
            .filter_map(|line| line.strip_prefix("//! | `")?.split_once('`'))
            .map(|(code, _)| code.to_owned())
            .collect();
        let png = read::read(b"\x89PNG\r\n\x1a\nbroken").expect_err("a damaged PNG");
        for error in [
            ReadError::NotABadge,
            png,
            ReadError::NotBaked,
            ReadError::NotACredential,
            ReadError::HostedOnly("https://example.org/a".into()),
            ReadError::Payload(PayloadError::Damaged),
            ReadError::Payload(PayloadError::TooLarge),
        ] {
            codes.push(code(&error).to_owned());
        }
        codes.extend(["svg-malformed", "jwt-malformed"].map(str::to_owned));
        codes
    }

    #[test]
    fn every_code_has_a_message_in_every_language() {
        let codes = every_code();
        assert!(codes.len() > 40, "the table was read: {codes:?}");
        for lang in talkoo_core::Lang::ALL {
            for code in &codes {
                let key = format!("badge-check-{code}");
                assert!(
                    talkoo_core::i18n::has(lang, &key),
                    "{key} is missing in {lang:?}"
                );
            }
        }
    }
}
