//! `talkoo-feed validate`: reads a feed from a folder or URL and reports every problem, with file and JSON path.

use std::fs;
use std::path::PathBuf;

use talkoo_core::feed::{self, DataFile, DeltaFile, FeedError, Manifest, Problem};

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
                        + data.events.len();
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
