//! `talkoo-feed validate`: reads a feed from a folder or URL and reports every problem, with file and JSON path.

use std::fs;
use std::path::PathBuf;

use base64::Engine as _;
use talkoo_core::feed::{self, DataFile, DeltaFile, FeedError, Manifest, Problem};
use talkoo_core::model::Issuer;

use crate::sha256_hex;

/// Where a feed is read from.
#[derive(Debug, Clone)]
pub enum Location {
    /// A folder on disk.
    Dir(PathBuf),
    /// A base URL (ending in `/`).
    Url(String),
}

impl Location {
    /// A folder, or a URL when it starts with `http://` or `https://`.
    pub fn parse(text: &str) -> Location {
        if text.starts_with("http://") || text.starts_with("https://") {
            let base = text.strip_suffix("manifest.json").unwrap_or(text);
            let base = if base.ends_with('/') {
                base.to_owned()
            } else {
                format!("{base}/")
            };
            Location::Url(base)
        } else {
            Location::Dir(PathBuf::from(text))
        }
    }

    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        match self {
            Location::Dir(dir) => fs::read(dir.join(path)).map_err(|e| format!("cannot read: {e}")),
            Location::Url(base) => {
                let url = format!("{base}{path}");
                let mut response = ureq::get(&url)
                    .call()
                    .map_err(|e| format!("cannot fetch {url}: {e}"))?;
                response
                    .body_mut()
                    .with_config()
                    .limit(512 * 1024 * 1024)
                    .read_to_vec()
                    .map_err(|e| format!("cannot read {url}: {e}"))
            }
        }
    }
}

/// What validation found.
#[derive(Debug, Default)]
pub struct Report {
    /// Every problem, sorted by file and path.
    pub problems: Vec<Problem>,
    /// Files read.
    pub files: usize,
    /// Bytes read.
    pub bytes: u64,
    /// Records checked.
    pub records: usize,
}

fn whole_file(file: &str, message: String) -> Problem {
    Problem {
        file: file.to_owned(),
        path: "$".to_owned(),
        message,
    }
}

fn from_error(file: &str, error: &FeedError) -> Vec<Problem> {
    match error {
        FeedError::Invalid { problems } => problems.clone(),
        other => vec![whole_file(file, other.to_string())],
    }
}

/// A feed that announces its signing keys must be signed by one of them
/// (docs/feed.md, "Signed feeds"): otherwise every client that pinned
/// those keys refuses it.
fn check_signature(location: &Location, bytes: &[u8], manifest: &Manifest, report: &mut Report) {
    if manifest.signing_keys.is_empty() {
        return;
    }
    let mut keys = Vec::new();
    for (k, id) in manifest.signing_keys.iter().enumerate() {
        match talkoo_bundle::PublicKey::parse(id) {
            Ok(key) => keys.push(key),
            Err(e) => report.problems.push(Problem {
                file: "manifest.json".to_owned(),
                path: format!("$.signing_keys[{k}]"),
                message: e.to_string(),
            }),
        }
    }
    let signature = location.read(talkoo_bundle::SIGNATURE_FILE).ok();
    if let Err(e) = talkoo_bundle::verify_manifest_signature(bytes, signature.as_deref(), &keys) {
        report.problems.push(whole_file(
            talkoo_bundle::SIGNATURE_FILE,
            format!(
                "{e}; the manifest announces signing keys, so it must be signed by one of them"
            ),
        ));
    }
}

/// Reads and checks everything the manifest lists.
pub fn validate(location: &Location, progress: &mut dyn FnMut(String)) -> Report {
    let mut report = Report::default();
    let manifest_bytes = match location.read("manifest.json") {
        Ok(b) => b,
        Err(e) => {
            report.problems.push(whole_file("manifest.json", e));
            return report;
        }
    };
    report.files += 1;
    report.bytes += manifest_bytes.len() as u64;
    let manifest: Manifest = match feed::parse("manifest.json", &manifest_bytes) {
        Ok(m) => m,
        Err(e) => {
            report.problems.extend(from_error("manifest.json", &e));
            return report;
        }
    };
    report
        .problems
        .extend(feed::validate_manifest("manifest.json", &manifest));
    check_signature(location, &manifest_bytes, &manifest, &mut report);
    for region in &manifest.regions {
        let mut datas = Vec::new();
        for (i, file_ref) in region.files.iter().enumerate() {
            progress(format!(
                "{}: file {}/{} {}",
                region.id,
                i + 1,
                region.files.len(),
                file_ref.path
            ));
            let Some(bytes) = read_verified(
                location,
                &file_ref.path,
                &file_ref.sha256,
                file_ref.bytes,
                &mut report,
            ) else {
                continue;
            };
            match feed::parse::<DataFile>(&file_ref.path, &bytes) {
                Ok(data) => {
                    report.records += data.organisations.len()
                        + data.services.len()
                        + data.places.len()
                        + data.events.len()
                        + data.achievements.len()
                        + data.issuers.len();
                    report
                        .problems
                        .extend(feed::validate_badges(&file_ref.path, &data));
                    for (i, issuer) in data.issuers.iter().enumerate() {
                        report.problems.extend(did_key_problems(
                            &file_ref.path,
                            &format!("$.issuers[{i}]"),
                            issuer,
                        ));
                    }
                    report.problems.extend(feed::validate_data_file(
                        &file_ref.path,
                        &data,
                        file_ref,
                        region,
                    ));
                    datas.push((file_ref.path.clone(), data));
                }
                Err(e) => report.problems.extend(from_error(&file_ref.path, &e)),
            }
        }
        let pairs: Vec<(&str, &DataFile)> = datas.iter().map(|(p, d)| (p.as_str(), d)).collect();
        report.problems.extend(feed::validate_references(&pairs));
        for delta_ref in &region.deltas {
            let Some(bytes) = read_verified(
                location,
                &delta_ref.path,
                &delta_ref.sha256,
                delta_ref.bytes,
                &mut report,
            ) else {
                continue;
            };
            match feed::parse::<DeltaFile>(&delta_ref.path, &bytes) {
                Ok(delta) => {
                    let problem = |message: String| Problem {
                        file: delta_ref.path.clone(),
                        path: "$".into(),
                        message,
                    };
                    if delta.region != region.id {
                        report.problems.push(problem(format!(
                            "is for region `{}`, listed under `{}`",
                            delta.region, region.id
                        )));
                    }
                    if delta.from != delta_ref.from || delta.to != region.version {
                        report.problems.push(problem(format!(
                            "goes from {} to {}, the manifest needs {} to {}",
                            delta.from, delta.to, delta_ref.from, region.version
                        )));
                    }
                }
                Err(e) => report.problems.extend(from_error(&delta_ref.path, &e)),
            }
        }
    }
    report.problems.sort();
    report
}

/// The multicodec prefix of an Ed25519 public key in a did:key.
const ED25519_PUB: [u8; 2] = [0xed, 0x01];

/// Checks a did:key issuer against its keys: the DID must encode an
/// Ed25519 key, each key id must be the DID's own verification method
/// (`did:key:z…#z…`), and each key's JWK must hold the very key the DID
/// encodes; a feed that says otherwise would make every badge of that
/// issuer fail, or trust a key the issuer does not have. The core checks
/// the shapes; this decodes them, which needs base58 and base64 the app's
/// shell does without.
pub fn did_key_problems(file: &str, path: &str, issuer: &Issuer) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut fail = |at: String, message: String| {
        problems.push(Problem {
            file: file.to_owned(),
            path: at,
            message,
        });
    };
    let Some(multibase) = issuer.issuer_id.strip_prefix("did:key:") else {
        return problems;
    };
    let public = multibase
        .strip_prefix('z')
        .and_then(|b58| bs58::decode(b58).into_vec().ok())
        .and_then(|bytes| {
            let key = bytes.strip_prefix(&ED25519_PUB)?;
            (key.len() == 32).then(|| key.to_vec())
        });
    let Some(public) = public else {
        fail(
            format!("{path}.issuer_id"),
            format!(
                "`{}` is not a did:key of an Ed25519 key (z, then base58btc of 0xed 0x01 and 32 bytes)",
                issuer.issuer_id
            ),
        );
        return problems;
    };
    for (k, key) in issuer.keys.iter().enumerate() {
        let expected_id = format!("{}#{multibase}", issuer.issuer_id);
        if key.id != expected_id {
            fail(
                format!("{path}.keys[{k}].id"),
                format!("must be the did:key's verification method `{expected_id}`"),
            );
        }
        let x = key.jwk.get("x").and_then(serde_json::Value::as_str);
        let decoded = x.and_then(|x| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(x)
                .ok()
        });
        if decoded.as_deref() != Some(public.as_slice()) {
            fail(
                format!("{path}.keys[{k}].jwk.x"),
                "is not the key the did:key encodes".to_owned(),
            );
        }
    }
    problems
}

fn read_verified(
    location: &Location,
    path: &str,
    sha: &str,
    size: u64,
    report: &mut Report,
) -> Option<Vec<u8>> {
    let bytes = match location.read(path) {
        Ok(b) => b,
        Err(e) => {
            report.problems.push(whole_file(path, e));
            return None;
        }
    };
    report.files += 1;
    report.bytes += bytes.len() as u64;
    if let Err(e) = feed::verify(path, &bytes, &sha256_hex(&bytes), sha, size) {
        report.problems.push(whole_file(path, e.to_string()));
        return None;
    }
    Some(bytes)
}
