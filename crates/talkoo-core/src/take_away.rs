//! A kiosk's "Take this page with you": the public address of the page on the screen, the contacts a visitor may want on their phone, and (with the `kiosk-qr` feature, which only the badges module enables) the QR codes that carry them to a phone's camera.
//!
//! A kiosk shows phone numbers and e-mail addresses as text, since a link
//! would open an app on the shared device. A visitor takes them, and the
//! page itself, with their own phone instead: the kiosk draws each as a QR
//! code the phone's camera opens. Nothing of the visit leaves the kiosk
//! except what the visitor's own camera reads off the screen.

use crate::model::safe_link;

/// The address at which a phone opens the page a kiosk shows: the app's
/// base address (`https://example.org/talkoo/`) and the app's route with
/// its query (`/services/x?q=y`), as the shell's router has it.
pub fn public_address(base: &str, route: &str) -> String {
    let base = base.trim_end_matches('/');
    let route = route.trim_start_matches('/');
    format!("{base}/{route}")
}

/// What kind of contact a link is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactKind {
    /// A `tel:` link: the phone offers to call the number.
    Phone,
    /// A `mailto:` link: the phone offers to write to the address.
    Email,
}

/// A contact found on a kiosk's page, as the shell marked it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    /// Whether it is a phone number or an e-mail address.
    pub kind: ContactKind,
    /// The link the QR code carries (`tel:+358401230001`).
    pub href: String,
    /// The number or address as the page writes it.
    pub text: String,
}

/// The contacts of a page worth a QR code, from the `(link, text)` pairs
/// the shell marked on it, in the page's order: only `tel:` and `mailto:`
/// links that [`safe_link`] accepts, each link once (a page may name the
/// same number twice), and none without text to show beside its code.
pub fn contacts(found: impl IntoIterator<Item = (String, String)>) -> Vec<Contact> {
    let mut kept: Vec<Contact> = Vec::new();
    for (href, text) in found {
        let Some(href) = safe_link(&href) else {
            continue;
        };
        let lower = href.to_ascii_lowercase();
        let kind = if lower.starts_with("tel:") {
            ContactKind::Phone
        } else if lower.starts_with("mailto:") {
            ContactKind::Email
        } else {
            continue;
        };
        let text = text.trim().to_owned();
        if text.is_empty() || kept.iter().any(|c| c.href == href) {
            continue;
        }
        kept.push(Contact { kind, href, text });
    }
    kept
}

/// `text` as an SVG QR code, dark modules on white with the standard
/// quiet zone of four modules, one unit a module so the page sizes it
/// (drawn as `talkoo_badges::qr::svg` draws a badge). The medium
/// error-correction level reads more surely off a screen than the badge
/// code's low one, and an address is short enough for it. `None` only for
/// text longer than any QR code holds.
#[cfg(any(test, feature = "kiosk-qr"))]
pub fn qr_svg(text: &str) -> Option<String> {
    let code =
        qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .module_dimensions(1, 1)
        .quiet_zone(true)
        .build();
    // The XML declaration means nothing inside an HTML page, where the
    // code is drawn.
    Some(match svg.find("<svg") {
        Some(at) => svg[at..].to_owned(),
        None => svg,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_address_joins_base_and_route_with_one_slash() {
        for base in ["https://example.org/talkoo/", "https://example.org/talkoo"] {
            assert_eq!(
                public_address(base, "/services/s-1?q=ensiapu"),
                "https://example.org/talkoo/services/s-1?q=ensiapu"
            );
            assert_eq!(public_address(base, "/"), "https://example.org/talkoo/");
            assert_eq!(public_address(base, ""), "https://example.org/talkoo/");
        }
        assert_eq!(
            public_address("http://127.0.0.1:8080/", "events/e-1"),
            "http://127.0.0.1:8080/events/e-1"
        );
    }

    #[test]
    fn only_phone_numbers_and_email_addresses_are_kept_once_each() {
        let found = [
            ("tel:+358401230001", "+358 40 123 0001"),
            ("mailto:info@example.fi", " info@example.fi "),
            ("tel:+358401230001", "+358 40 123 0001"),
            ("https://example.fi", "example.fi"),
            ("javascript:alert(1)", "click"),
            ("TEL:+358 40 555", "040 555"),
            ("mailto:nobody@example.fi", "  "),
        ]
        .map(|(h, t)| (h.to_owned(), t.to_owned()));
        let kept = contacts(found);
        let shown: Vec<(ContactKind, &str, &str)> = kept
            .iter()
            .map(|c| (c.kind, c.href.as_str(), c.text.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                (ContactKind::Phone, "tel:+358401230001", "+358 40 123 0001"),
                (
                    ContactKind::Email,
                    "mailto:info@example.fi",
                    "info@example.fi"
                ),
                (ContactKind::Phone, "tel:+35840555", "040 555"),
            ]
        );
    }

    /// Draws an SVG of [`qr_svg`] as a grey bitmap, `scale` pixels a
    /// module, reading only its rectangles, as a camera would see it.
    fn rasterise(svg: &str, scale: usize) -> (usize, Vec<u8>) {
        let view_box = svg.split("viewBox=\"0 0 ").nth(1).unwrap();
        let side: usize = view_box.split(' ').next().unwrap().parse().unwrap();
        let px = side * scale;
        let mut grey = vec![255u8; px * px];
        let path = svg
            .split(" d=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        // The renderer writes `M{x} {y}h{w}v{h}H{x}V{y}` for each dark run.
        for rect in path.split('M').filter(|r| !r.is_empty()) {
            let numbers: Vec<usize> = rect
                .split(|c: char| !c.is_ascii_digit())
                .filter(|n| !n.is_empty())
                .map(|n| n.parse().unwrap())
                .collect();
            let (x, y, w, h) = (numbers[0], numbers[1], numbers[2], numbers[3]);
            for row in y * scale..(y + h) * scale {
                for col in x * scale..(x + w) * scale {
                    grey[row * px + col] = 0;
                }
            }
        }
        (px, grey)
    }

    #[test]
    fn a_drawn_code_reads_back_as_its_text_with_a_quiet_zone() {
        for text in [
            "https://example.org/talkoo/services/svc-kn-kajaani-ystavatoiminta?q=yst%C3%A4v%C3%A4",
            "tel:+358401230001",
            "mailto:info@example.fi",
        ] {
            let svg = qr_svg(text).unwrap();
            assert!(svg.starts_with("<svg"), "{svg}");
            assert!(svg.contains("fill=\"#fff\"") && svg.contains("fill=\"#000\""));
            let (px, grey) = rasterise(&svg, 4);
            // The quiet zone: four white modules all round.
            for i in 0..px {
                for edge in [i, (px - 1) * px + i, i * px, i * px + px - 1] {
                    assert_eq!(grey[edge], 255, "{text}: the border is white");
                }
            }
            let mut image =
                rqrr::PreparedImage::prepare_from_greyscale(px, px, |x, y| grey[y * px + x]);
            let grids = image.detect_grids();
            assert_eq!(grids.len(), 1, "{text}");
            let (_, read) = grids[0].decode().unwrap();
            assert_eq!(read, text);
        }
    }

    #[test]
    fn text_too_long_for_any_code_has_none() {
        assert_eq!(qr_svg(&"x".repeat(4000)), None);
    }
}
