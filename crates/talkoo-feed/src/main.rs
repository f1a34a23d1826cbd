//! The `talkoo-feed` command: validate, build and synthesise catalogue feeds, with progress and plain-words errors.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use talkoo_core::time::Date;
use talkoo_feed::build::build;
use talkoo_feed::source::read_source;
use talkoo_feed::synth::synth;
use talkoo_feed::validate::{validate, Location};

const USAGE: &str = "usage:
  talkoo-feed validate DIR_OR_URL          check a feed; prints every problem, exits 1 if any
  talkoo-feed build SRC OUT                build a feed from its editable source
  talkoo-feed synth --services N --seed S [--change PERCENT] OUT
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
        Some("build") if args.len() == 3 => read_source(&PathBuf::from(&args[1]))
            .and_then(|src| build(&src, &PathBuf::from(&args[2]), &now(), &mut progress)),
        Some("synth") => parse_synth(&args[1..]).map_or_else(
            || Err(talkoo_feed::ToolError::Source(USAGE.to_owned())),
            |(n, seed, change, out)| {
                build(
                    &synth(n, seed, change),
                    &out,
                    "2026-11-20T00:00:00Z",
                    &mut progress,
                )
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
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
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

fn parse_synth(args: &[String]) -> Option<(usize, u64, f64, PathBuf)> {
    let (mut services, mut seed, mut change, mut out) = (None, None, 0.0, None);
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--services" => services = it.next()?.parse().ok(),
            "--seed" => seed = it.next()?.parse().ok(),
            "--change" => change = it.next()?.parse().ok()?,
            other if !other.starts_with("--") => out = Some(PathBuf::from(other)),
            _ => return None,
        }
    }
    Some((services?, seed?, change, out?))
}
