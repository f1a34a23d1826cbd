//! Badges as QR codes, end to end in Rust: every credential fixture and a freshly issued one survive the `TB1:` payload, and those that fit a code are drawn, read back from a grey frame and verify as they did.

use serde_json::json;
use talkoo_badges::issue::{self, Award, Issuer};
use talkoo_badges::qr::{self, QrError};
use talkoo_badges::{inspect_bytes, read};
use talkoo_core::wallet::VerifyRequest;

fn request() -> VerifyRequest {
    VerifyRequest {
        bytes: String::new(),
        now: "2026-12-03T10:00:00Z".into(),
        trusted: vec![],
        status_lists: vec![],
    }
}

/// Every file under tests/fixtures that reads as a credential, by path.
fn fixtures() -> Vec<(String, Vec<u8>)> {
    fn walk(dir: &std::path::Path, out: &mut Vec<(String, Vec<u8>)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
        entries.sort_by_key(|e| e.path());
        for entry in entries {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                if read::read(&bytes).is_ok() {
                    out.push((path.display().to_string(), bytes));
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
        &mut out,
    );
    out
}

/// A credential as the issuing tool makes it, with an embedded proof.
fn issued() -> String {
    let issuer = Issuer::from_seed([7; 32], "Kylätalkoot ry");
    let achievement = json!({"id": "https://feed.example/a/1", "type": ["Achievement"], "name": "Ensiapu – första hjälpen", "criteria": {"narrative": "Kurssi suoritettu."}});
    let credential = issue::credential(
        &issuer,
        &Award {
            achievement: &achievement,
            credential_id: "urn:uuid:00000000-0000-4000-8000-000000000007",
            recipient_name: Some("Aino Virtanen"),
            recipient_email: None,
            salt: "s",
            now: "2026-01-01T00:00:00Z",
            status: None,
        },
    )
    .unwrap();
    issue::sign_data_integrity(&issuer, &credential, "2026-01-01T00:00:00Z")
        .unwrap()
        .to_string()
}

/// A QR code drawn as a grey frame, two pixels a module with a white
/// four-module border.
fn frame(payload: &str) -> (usize, Vec<u8>) {
    let code = qr::code(payload).unwrap();
    let modules = code.width();
    let colors = code.to_colors();
    let scale = 2;
    let side = (modules + 8) * scale;
    let mut grey = vec![255u8; side * side];
    for y in 0..side {
        for x in 0..side {
            let (mx, my) = ((x / scale).wrapping_sub(4), (y / scale).wrapping_sub(4));
            if mx < modules && my < modules && colors[my * modules + mx] == qrcode::Color::Dark {
                grey[y * side + x] = 0;
            }
        }
    }
    (side, grey)
}

/// Reads `signed` back through the payload (as pasted) and, when it fits a
/// code, through a drawn and scanned code; both give the same credential
/// and the same verification. Returns whether it fit.
fn check(name: &str, signed: &str) -> bool {
    let original = read::read(signed.as_bytes()).unwrap_or_else(|e| panic!("{name}: {e}"));
    let payload = qr::encode(signed);
    let pasted = read::read(payload.as_bytes()).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(pasted, original, "{name}");
    let report = |bytes: &[u8]| inspect_bytes(bytes, &request()).unwrap().report.checks;
    assert_eq!(
        report(payload.as_bytes()),
        report(signed.as_bytes()),
        "{name}"
    );
    match qr::svg(signed) {
        Ok(_) => {
            let (side, grey) = frame(&payload);
            let scanned = qr::scan_grey(side, side, &grey).unwrap_or_else(|| panic!("{name}"));
            assert_eq!(scanned, payload, "{name}");
            true
        }
        Err(QrError::TooLarge) => false,
    }
}

#[test]
fn every_credential_fixture_survives_the_payload() {
    let fixtures = fixtures();
    assert!(
        fixtures.len() > 20,
        "fixtures were found: {}",
        fixtures.len()
    );
    let mut fit = 0;
    for (name, bytes) in &fixtures {
        let signed = read::read(bytes).unwrap().signed;
        if check(name, &signed) {
            fit += 1;
        }
    }
    // Most real credentials fit; the 1EdTech "complete" examples with every
    // optional field need not.
    assert!(fit * 2 > fixtures.len(), "{fit} of {} fit", fixtures.len());
}

#[test]
fn an_issued_credential_fits_a_code_and_verifies_after_scanning() {
    let signed = issued();
    assert!(check("issued", &signed), "an issued badge fits a QR code");
    let payload = qr::encode(&signed);
    let (side, grey) = frame(&payload);
    let scanned = qr::scan_grey(side, side, &grey).unwrap();
    let inspection = inspect_bytes(scanned.as_bytes(), &request()).unwrap();
    assert!(
        inspection
            .report
            .checks
            .iter()
            .any(|c| c.code == "proof-valid"),
        "{:?}",
        inspection.report.checks
    );
}
