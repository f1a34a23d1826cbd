//! Build step run by Trunk after staging (`post_build` hook): splits the shell's wasm so that the pages few visits open load only when they open (issue 13).
//!
//! Trunk cannot split a wasm. This step takes the shell's wasm as cargo
//! linked it (with its relocations, kept by the root crate's `build.rs`),
//! and has `wasm_split_cli_support` (the splitter of Leptos's own build
//! tool) move every function that only a `#[wasm_split]` function reaches
//! into a module of its own (`src/lazy_pages.rs`). It then does what Trunk
//! did for the unsplit wasm, for each part: wasm-bindgen for the main one,
//! wasm-opt for all with the options index.html gives the other modules,
//! and writes them over Trunk's staged files, with the loader script the
//! splitter writes. The shell's loader in index.html (Trunk.toml's
//! `pattern_script`) names them without integrity hashes, so nothing there
//! is written again. The split-off module and
//! the loader are named after Trunk's hashed name of the shell, so a new
//! build never meets an old module in a cache, and the service worker
//! precaches them like every other file.

use std::fs;
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// wasm-opt's options for every part: those index.html gives Trunk for the
/// other modules (`data-wasm-opt="z"`, `data-wasm-opt-params`). Trunk runs
/// none on the shell (`data-wasm-opt="0"`), since this step replaces it.
const WASM_OPT: &[&str] = &["-Oz", "--low-memory-unused"];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, input, out] = args.as_slice() {
        if flag == "--split-only" {
            return match split_only(Path::new(input), Path::new(out)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("talkoo-split: {e}");
                    ExitCode::FAILURE
                }
            };
        }
    }
    let dir = args
        .first()
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("TRUNK_STAGING_DIR").map(PathBuf::from));
    let Some(dir) = dir else {
        eprintln!("usage: talkoo-split DIR (or run as a Trunk post_build hook, which sets TRUNK_STAGING_DIR),");
        eprintln!("       talkoo-split --split-only LINKED.wasm OUT (the parts only, as main.wasm and the split-off modules)");
        return ExitCode::from(2);
    };
    let release = std::env::var("TRUNK_PROFILE").map_or(true, |p| p == "release");
    match run(&dir, release) {
        Ok(summary) => {
            println!("talkoo-split: {summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("talkoo-split: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Splits `input` into `out` and stops: scripts/wasm-features.mjs reads
/// the shell's part (`main.wasm`) by feature from it.
fn split_only(input: &Path, out: &Path) -> Result<(), String> {
    let bytes = fs::read(input).map_err(|e| format!("cannot read {}: {e}", input.display()))?;
    let main = out.join("main.wasm");
    wasm_split_cli_support::transform({
        let mut opts = wasm_split_cli_support::Options::new(&bytes);
        opts.output_dir = out;
        opts.main_out_path = &main;
        opts
    })
    .map(drop)
    .map_err(|e| format!("cannot split {}: {e:#}", input.display()))
}

fn run(dir: &Path, release: bool) -> Result<String, String> {
    let stem = shell_stem(&list(dir)?)?;
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| PathBuf::from("target"), PathBuf::from);
    let input = linked(&target.join("wasm32-unknown-unknown"), &stem)?;

    let work = std::env::temp_dir().join(format!("talkoo-split-{}", std::process::id()));
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    let result = split(dir, &work, &stem, &input, release);
    let _ = fs::remove_dir_all(&work);
    result
}

/// Splits `input` in `work` and writes the parts over the staged shell in `dir`.
fn split(
    dir: &Path,
    work: &Path,
    stem: &str,
    input: &[u8],
    release: bool,
) -> Result<String, String> {
    let link_name = format!("./{stem}-split.js");
    let main_module = format!("./{stem}.js");
    let main_wasm = work.join("main.wasm");
    let split = wasm_split_cli_support::transform({
        let mut opts = wasm_split_cli_support::Options::new(input);
        opts.output_dir = work;
        opts.main_out_path = &main_wasm;
        opts.link_name = &link_name;
        opts.main_module = &main_module;
        opts
    })
    .map_err(|e| format!("cannot split the shell's wasm: {e:#}"))?;

    // What Trunk ran on the unsplit wasm, and what the splitter needs:
    // the exports the parts link through, under their own names.
    let bound = work.join("bound");
    run_tool(
        "wasm-bindgen",
        &[
            "--target=web".as_ref(),
            format!("--out-dir={}", bound.display()).as_ref(),
            format!("--out-name={stem}").as_ref(),
            "--no-typescript".as_ref(),
            "--keep-lld-exports".as_ref(),
            "--no-demangle".as_ref(),
            main_wasm.as_os_str(),
        ],
    )?;
    optimise(
        &bound.join(format!("{stem}_bg.wasm")),
        &dir.join(format!("{stem}_bg.wasm")),
        release,
    )?;
    copy(
        &bound.join(format!("{stem}.js")),
        &dir.join(format!("{stem}.js")),
    )?;

    let mut loader = fs::read_to_string(work.join(&link_name))
        .map_err(|e| format!("the splitter wrote no loader: {e}"))?;
    let mut parts = Vec::new();
    for path in &split.split_modules {
        let old = path
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| format!("odd module name {}", path.display()))?;
        let new = part_name(stem, old);
        loader = rename_in_loader(&loader, old, &new)?;
        optimise(path, &dir.join(&new), release)?;
        parts.push(new);
    }
    fs::write(dir.join(&link_name), &loader)
        .map_err(|e| format!("cannot write the loader: {e}"))?;

    Ok(format!("{stem}: split off {}", parts.join(", ")))
}

/// The wasm cargo linked for the shell Trunk staged as `stem`: the
/// `talkoo.wasm` of one of the profiles whose SeaHash is `stem`'s (a
/// release is built with `--release`, the sub-path build of `make test`
/// with `--cargo-profile release` but not as a release).
fn linked(profiles: &Path, stem: &str) -> Result<Vec<u8>, String> {
    let entries =
        fs::read_dir(profiles).map_err(|e| format!("cannot list {}: {e}", profiles.display()))?;
    for entry in entries.filter_map(Result::ok) {
        if let Ok(bytes) = fs::read(entry.path().join("talkoo.wasm")) {
            // As Trunk hashes it: a SeaHasher fed the file.
            let mut hasher = seahash::SeaHasher::new();
            hasher.write(&bytes);
            if stem == format!("talkoo-{:x}", hasher.finish()) {
                return Ok(bytes);
            }
        }
    }
    Err(format!(
        "no talkoo.wasm under {} is the one Trunk staged as {stem}",
        profiles.display()
    ))
}

fn list(dir: &Path) -> Result<Vec<String>, String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    Ok(entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect())
}

/// Trunk's hashed name of the shell (`talkoo-<hash>`), from its script
/// among the staged files. Trunk writes the 64-bit hash in hex without
/// leading zeros (`{hash:x}`), so one build in sixteen has 15 digits or
/// fewer: such a build failed here when this asked for 16.
fn shell_stem(files: &[String]) -> Result<String, String> {
    let stems: Vec<&str> = files
        .iter()
        .filter_map(|f| f.strip_suffix(".js"))
        .filter(|s| {
            s.strip_prefix("talkoo-").is_some_and(|h| {
                (1..=16).contains(&h.len()) && h.bytes().all(|b| b.is_ascii_hexdigit())
            })
        })
        .collect();
    match stems.as_slice() {
        [stem] => Ok((*stem).to_owned()),
        _ => Err(format!(
            "expected one talkoo-<hash>.js among the staged files, found {stems:?}"
        )),
    }
}

/// The served name of a split-off module the splitter named `old`
/// (`split_pages.wasm`): the shell's hashed name and the module's.
fn part_name(stem: &str, old: &str) -> String {
    let part = old.strip_prefix("split_").unwrap_or(old);
    format!("{stem}-{part}")
}

/// The loader fetching `new` where the splitter wrote `old`; an error if
/// it does not name `old` exactly once, which would load a stale module
/// or none.
fn rename_in_loader(loader: &str, old: &str, new: &str) -> Result<String, String> {
    let quoted = format!("\"./{old}\"");
    match loader.matches(&quoted).count() {
        1 => Ok(loader.replace(&quoted, &format!("\"./{new}\""))),
        n => Err(format!("the loader names {old} {n} times, not once")),
    }
}

/// wasm-opt `from` into `to` for a release, or copies it.
fn optimise(from: &Path, to: &Path, release: bool) -> Result<(), String> {
    if !release {
        return copy(from, to);
    }
    let mut args: Vec<&std::ffi::OsStr> = WASM_OPT.iter().map(|a| a.as_ref()).collect();
    args.extend([from.as_os_str(), "-o".as_ref(), to.as_os_str()]);
    run_tool("wasm-opt", &args)
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    fs::copy(from, to)
        .map(drop)
        .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
}

fn run_tool(tool: &str, args: &[&std::ffi::OsStr]) -> Result<(), String> {
    let out = Command::new(tool)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run {tool}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{tool} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shell_is_found_by_trunks_hashed_name() {
        let check = |files: &[&str], expected: Result<&str, ()>| {
            let files: Vec<String> = files.iter().map(|f| (*f).to_owned()).collect();
            assert_eq!(
                shell_stem(&files).as_deref().map_err(drop),
                expected,
                "{files:?}"
            );
        };
        check(
            &[
                "index.html",
                "talkoo-0123456789abcdef.js",
                "talkoo-0123456789abcdef_bg.wasm",
                "talkoo-sync.js",
            ],
            Ok("talkoo-0123456789abcdef"),
        );
        // Trunk drops the hash's leading zeros, one build in sixteen; this
        // build was refused when 16 digits were asked for.
        check(
            &[
                "talkoo-a73593ceb204c42.js",
                "talkoo-a73593ceb204c42_bg.wasm",
            ],
            Ok("talkoo-a73593ceb204c42"),
        );
        // The loader written by an earlier run is not a second shell.
        check(
            &[
                "talkoo-0123456789abcdef.js",
                "talkoo-0123456789abcdef-split.js",
            ],
            Ok("talkoo-0123456789abcdef"),
        );
        check(&["talkoo-sync.js", "talkoo-badges.js"], Err(()));
        check(
            &["talkoo-0123456789abcdef.js", "talkoo-fedcba9876543210.js"],
            Err(()),
        );
    }

    #[test]
    fn split_modules_are_named_after_the_shell() {
        assert_eq!(
            part_name("talkoo-0123456789abcdef", "split_pages.wasm"),
            "talkoo-0123456789abcdef-pages.wasm"
        );
        let loader = "const src = fetch(new URL(\"./split_pages.wasm\", import.meta.url));";
        assert_eq!(
            rename_in_loader(loader, "split_pages.wasm", "talkoo-0-pages.wasm").as_deref(),
            Ok("const src = fetch(new URL(\"./talkoo-0-pages.wasm\", import.meta.url));")
        );
        assert!(rename_in_loader(loader, "split_other.wasm", "x.wasm").is_err());
        assert!(
            rename_in_loader(&format!("{loader}{loader}"), "split_pages.wasm", "x.wasm").is_err()
        );
    }
}
