//! Measures how long `inspect` takes for one VC-JWT (EdDSA, made here, and RS256, a 1EdTech fixture), for the closing note's figures: `cargo run --release --example timing -p talkoo-badges`.

use std::time::Instant;

use serde_json::json;
use talkoo_badges::issue::{self, Award, Issuer};
use talkoo_badges::{inspect_bytes, svg};
use talkoo_core::wallet::VerifyRequest;

fn main() {
    let issuer = Issuer::from_seed([1; 32], "Kajastus ry");
    let achievement = json!({"id": "https://feed.example/a/1", "type": ["Achievement"], "name": "Ensiapu", "criteria": {"narrative": "x"}});
    let credential = issue::credential(
        &issuer,
        &Award {
            achievement: &achievement,
            credential_id: "urn:uuid:00000000-0000-4000-8000-000000000001",
            recipient_name: Some("Aino"),
            recipient_email: Some("aino@example.org"),
            salt: "s",
            now: "2026-01-01T00:00:00Z",
            status: None,
        },
    )
    .expect("credential");
    let eddsa = issue::sign_jwt(&issuer, &credential);
    let fixture = include_str!("../tests/fixtures/ob30/simple-jwt.svg");
    let rs256 = svg::baked(fixture).expect("svg").expect("baked").text;
    let request = VerifyRequest {
        bytes: String::new(),
        now: "2026-12-03T10:00:00Z".into(),
        trusted: vec![],
        status_lists: vec![],
    };
    for (name, token) in [("EdDSA", &eddsa), ("RS256", &rs256)] {
        let rounds = 200u32;
        let start = Instant::now();
        for _ in 0..rounds {
            let got = inspect_bytes(token.as_bytes(), &request).expect("reads");
            assert!(got.report.checks.iter().any(|c| c.code == "proof-valid"));
        }
        let each = start.elapsed() / rounds;
        println!(
            "inspect one VC-JWT ({name}): {:.3} ms",
            each.as_secs_f64() * 1000.0
        );
    }
}
