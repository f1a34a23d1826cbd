//! The `talkoo-feed` command: validate, build, sign, bundle and synthesise catalogue feeds, with progress and plain-words errors.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use talkoo_core::time::Date;
use talkoo_feed::build::{build, BuiltRegion};
use talkoo_feed::publish;
use talkoo_feed::source::read_source;
use talkoo_feed::synth::synth;
use talkoo_feed::validate::{validate, Location};
use talkoo_feed::ToolError;

const USAGE: &str = "usage:
  talkoo-feed validate DIR_OR_URL          check a feed; prints every problem, exits 1 if any
  talkoo-feed build SRC OUT [--key FILE]...
                                           build a feed from its editable source, signed
                                           with each key given
  talkoo-feed keygen -o FILE               write a new publisher key (mode 0600), print its id
  talkoo-feed sign FEED --key FILE...      sign FEED/manifest.json into manifest.json.sig
  talkoo-feed bundle FEED --region ID... -o FILE
                                           write a .talkoo bundle of the regions' files
  talkoo-feed synth --services N --seed S [--change PERCENT] [--key FILE]... OUT
                                           build a deterministic synthetic feed
  talkoo-feed schema OUT                   write the JSON Schemas of the format";

fn now() -> String {
    if let Ok(fixed) = std::env::var("SOURCE_DATE_EPOCH") {
        if let Ok(secs) = fixed.parse::<i64>() {
            return rfc3339(secs);
        }
    }
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    rfc3339(secs)
}

fn rfc3339(secs: i64) -> String {
    let date = Date::from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        date.year,
        date.month,
        date.day,
        s / 3600,
        s % 3600 / 60,
        s % 60
    )
}

fn progress(line: String) {
    eprintln!("{line}");
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let started = Instant::now();
    let result = match args.first().map(String::as_str) {
        Some("validate") if args.len() == 2 => {
            let report = validate(&Location::parse(&args[1]), &mut progress);
            for problem in &report.problems {
                println!("{problem}");
            }
            println!(
                "{} problems in {} files ({} bytes, {} records), {:.1} s",
                report.problems.len(),
                report.files,
                report.bytes,
                report.records,
                started.elapsed().as_secs_f64()
            );
            return if report.problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            };
        }
        Some("build") => build_command(&args[1..]),
        Some("keygen") => return keygen_command(&args[1..]),
        Some("sign") => return sign_command(&args[1..]),
        Some("bundle") => return bundle_command(&args[1..]),
        Some("synth") => parse_synth(&args[1..]).map_or_else(
            || Err(ToolError::Source(USAGE.to_owned())),
            |(n, seed, change, out, key_files)| {
                // Signed with the keys given, which the feed announces, so
                // that an app built with their ids (the demo build pins the
                // demo key) accepts it.
                let keys = key_files
                    .iter()
                    .map(|k| publish::read_key(k))
                    .collect::<Result<Vec<_>, _>>()?;
                let mut src = synth(n, seed, change);
                src.signing_keys = keys.iter().map(|k| k.public().id()).collect();
                let built = build(&src, &out, "2026-11-20T00:00:00Z", &mut progress)?;
                if !keys.is_empty() {
                    publish::sign(&out, &keys)?;
                }
                Ok(built)
            },
        ),
        Some("schema") if args.len() == 2 => {
            let dir = PathBuf::from(&args[1]);
            let written = std::fs::create_dir_all(&dir).and_then(|()| {
                talkoo_feed::schemas()
                    .iter()
                    .try_for_each(|(name, text)| std::fs::write(dir.join(name), text))
            });
            return match written {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("talkoo-feed: cannot write schemas: {e}");
                    ExitCode::FAILURE
                }
            };
        }
        _ => return usage(),
    };
    match result {
        Ok(regions) => {
            for r in regions {
                println!(
                    "{}: version {}{}, {} files, {} bytes, {} deltas",
                    r.id,
                    r.version,
                    if r.changed {
                        " (changed)"
                    } else {
                        " (unchanged)"
                    },
                    r.files,
                    r.bytes,
                    r.deltas
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("talkoo-feed: {e}");
            ExitCode::FAILURE
        }
    }
}

/// What `synth` was asked for: cards, seed, percent changed, the output
/// folder and the key files to sign with.
type SynthArgs = (usize, u64, f64, PathBuf, Vec<PathBuf>);

fn parse_synth(args: &[String]) -> Option<SynthArgs> {
    let (mut services, mut seed, mut change, mut out) = (None, None, 0.0, None);
    let mut keys = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--services" => services = it.next()?.parse().ok(),
            "--seed" => seed = it.next()?.parse().ok(),
            "--change" => change = it.next()?.parse().ok()?,
            "--key" => keys.push(PathBuf::from(it.next()?)),
            other if !other.starts_with("--") => out = Some(PathBuf::from(other)),
            _ => return None,
        }
    }
    Some((services?, seed?, change, out?, keys))
}

/// `build SRC OUT [--key FILE]...`: builds, then signs with the keys.
fn build_command(args: &[String]) -> Result<Vec<BuiltRegion>, ToolError> {
    let f = match Flags::parse(args) {
        Some(f) if f.positional.len() == 2 && f.regions.is_empty() && f.out.is_none() => f,
        _ => return Err(ToolError::Source(USAGE.to_owned())),
    };
    let out = PathBuf::from(&f.positional[1]);
    let keys = f.signing_keys()?;
    let src = read_source(&PathBuf::from(&f.positional[0]))?;
    // The keys are checked before anything is written, so that a wrong key
    // leaves the feed as it was.
    publish::check_announced(&src.signing_keys, &keys)?;
    let built = build(&src, &out, &now(), &mut progress)?;
    if !keys.is_empty() {
        publish::sign(&out, &keys)?;
    } else if !src.signing_keys.is_empty() {
        eprintln!(
            "the manifest announces signing keys but no --key was given: \
             run `talkoo-feed sign {} --key FILE` before publishing",
            out.display()
        );
    }
    Ok(built)
}

/// `keygen -o FILE`: prints the new key's public id, never the key.
fn keygen_command(args: &[String]) -> ExitCode {
    match Flags::parse(args) {
        Some(Flags {
            out: Some(out),
            positional,
            keys,
            regions,
        }) if positional.is_empty() && keys.is_empty() && regions.is_empty() => {
            finish(new_key(&out).map(|id| println!("{id}")))
        }
        _ => usage(),
    }
}

/// `sign FEED --key FILE...`.
fn sign_command(args: &[String]) -> ExitCode {
    match Flags::parse(args) {
        Some(f) if f.positional.len() == 1 && !f.keys.is_empty() && f.out.is_none() => finish(
            f.signing_keys()
                .and_then(|keys| publish::sign(&PathBuf::from(&f.positional[0]), &keys)),
        ),
        _ => usage(),
    }
}

/// `bundle FEED --region ID... -o FILE`: prints the bundle's sizes.
fn bundle_command(args: &[String]) -> ExitCode {
    match Flags::parse(args) {
        Some(Flags {
            out: Some(out),
            positional,
            keys,
            regions,
        }) if positional.len() == 1 && keys.is_empty() => finish(
            publish::bundle(&PathBuf::from(&positional[0]), &regions, &out).map(|r| {
                println!(
                    "{}: {} files, {} bytes, {} bytes compressed, {}",
                    out.display(),
                    r.files,
                    r.raw_bytes,
                    r.bundle_bytes,
                    if r.signed { "signed" } else { "NOT signed" }
                );
            }),
        ),
        _ => usage(),
    }
}

fn usage() -> ExitCode {
    eprintln!("{USAGE}");
    ExitCode::from(2)
}

fn finish(result: Result<(), ToolError>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("talkoo-feed: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A new key from the operating system's randomness. The private key is
/// written to the file only, never printed.
fn new_key(out: &std::path::Path) -> Result<String, ToolError> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| ToolError::Io(format!("no randomness: {e}")))?;
    publish::keygen(out, seed)
}

/// The options of `build`, `keygen`, `sign` and `bundle`.
struct Flags {
    positional: Vec<String>,
    keys: Vec<PathBuf>,
    regions: Vec<String>,
    out: Option<PathBuf>,
}

impl Flags {
    fn parse(args: &[String]) -> Option<Flags> {
        let mut flags = Flags {
            positional: Vec::new(),
            keys: Vec::new(),
            regions: Vec::new(),
            out: None,
        };
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            match arg.as_str() {
                "--key" => flags.keys.push(PathBuf::from(it.next()?)),
                "--region" => flags.regions.push(it.next()?.clone()),
                "-o" | "--out" if flags.out.is_none() => {
                    flags.out = Some(PathBuf::from(it.next()?))
                }
                other if !other.starts_with('-') => flags.positional.push(other.to_owned()),
                _ => return None,
            }
        }
        Some(flags)
    }

    fn signing_keys(&self) -> Result<Vec<talkoo_bundle::SigningKey>, ToolError> {
        self.keys.iter().map(|k| publish::read_key(k)).collect()
    }
}
