//! The `talkoo-issuer` command for coordinators: makes an issuer key, issues and signs Open Badges 3.0 credentials, bakes them into images and revokes them in a status list published with the feed.
//!
//! The issuing itself is `talkoo_badges::issue`, shared with the hours
//! inbox; this file reads arguments and files and supplies randomness.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::Value;
use talkoo_badges::issue::{self, Award, Issuer, StatusSpec};
use talkoo_badges::{bake, read, status};

const HELP: &str = "talkoo-issuer: issue Open Badges 3.0 credentials

  keygen --name <issuer name> -o <key.json>
      Makes an Ed25519 issuer key; the private key is written to the file
      (mode 0600, never overwritten), the did:key and public JWK printed.
  issue --key <key.json> --achievement <file.json | id> [--feed-dir <dir>] [--lang fi]
        [--recipient-name <name>] [--recipient-email <email>] [--salt <salt>]
        --now <RFC 3339> [-o <out.json>] [--jwt <out.jwt>]
        [--status-list <url> --index <n> | --revocation-list <url>]
      Issues an AchievementCredential: -o with an eddsa-rdfc-2022 proof,
      --jwt as a VC-JWT (at least one).
  bake --credential <out.json | out.jwt> --image <badge.png | badge.svg> -o <baked>
  revoke --key <key.json> --list <status.json> --credential <out.json | out.jwt>
         --now <RFC 3339>
      Marks the credential revoked in its status list file, making the
      file if it does not exist, and signs the list with the issuer's key
      (a Bitstring Status List with an eddsa-rdfc-2022 proof, a 1EdTech
      Revocation List as a VC-JWT): wallets do not believe unsigned lists.
";

#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error("{0}")]
    Usage(String),
    #[error("{0}: {1}")]
    File(PathBuf, std::io::Error),
    #[error("{0}: not JSON ({1})")]
    Json(PathBuf, serde_json::Error),
    #[error(transparent)]
    Issue(#[from] issue::IssueError),
    #[error(transparent)]
    Bake(#[from] bake::BakeError),
    #[error(transparent)]
    Read(#[from] read::ReadError),
    #[error(transparent)]
    Status(#[from] status::StatusError),
    #[error("no randomness from the operating system: {0}")]
    Random(getrandom::Error),
}

fn main() -> ExitCode {
    let args: Result<Vec<String>, _> = std::env::args_os()
        .skip(1)
        .map(|a| a.into_string())
        .collect();
    let Ok(args) = args else {
        eprintln!("talkoo-issuer: the arguments must be text (UTF-8)");
        return ExitCode::from(2);
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e @ CliError::Usage(_)) => {
            eprintln!("talkoo-issuer: {e}\nrun `talkoo-issuer --help` for the commands");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("talkoo-issuer: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Options as `--name value` pairs after the command.
struct Options(Vec<(String, String)>);

impl Options {
    fn parse(args: &[String], known: &[&str]) -> Result<Self, CliError> {
        let mut out = Vec::new();
        let mut it = args.iter();
        while let Some(flag) = it.next() {
            if !known.contains(&flag.as_str()) {
                return Err(CliError::Usage(format!("unknown option {flag}")));
            }
            let value = it
                .next()
                .ok_or_else(|| CliError::Usage(format!("{flag} needs a value")))?;
            out.push((flag.clone(), value.clone()));
        }
        Ok(Self(out))
    }

    fn get(&self, flag: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(f, _)| f == flag)
            .map(|(_, v)| v.as_str())
    }

    fn need(&self, flag: &str) -> Result<&str, CliError> {
        self.get(flag)
            .ok_or_else(|| CliError::Usage(format!("{flag} is required")))
    }
}

fn run(args: &[String]) -> Result<(), CliError> {
    let (command, rest) = args
        .split_first()
        .ok_or_else(|| CliError::Usage("no command".into()))?;
    match command.as_str() {
        "--help" | "-h" | "help" => {
            print!("{HELP}");
            Ok(())
        }
        "keygen" => keygen(&Options::parse(rest, &["--name", "-o"])?),
        "issue" => issue_cmd(&Options::parse(
            rest,
            &[
                "--key",
                "--achievement",
                "--feed-dir",
                "--lang",
                "--recipient-name",
                "--recipient-email",
                "--salt",
                "--now",
                "-o",
                "--jwt",
                "--status-list",
                "--index",
                "--revocation-list",
            ],
        )?),
        "bake" => bake_cmd(&Options::parse(rest, &["--credential", "--image", "-o"])?),
        "revoke" => revoke(&Options::parse(
            rest,
            &["--key", "--list", "--credential", "--now"],
        )?),
        other => Err(CliError::Usage(format!("unknown command {other}"))),
    }
}

fn random<const N: usize>() -> Result<[u8; N], CliError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(CliError::Random)?;
    Ok(bytes)
}

fn read_file(path: &Path) -> Result<Vec<u8>, CliError> {
    fs::read(path).map_err(|e| CliError::File(path.to_owned(), e))
}

fn read_json(path: &Path) -> Result<Value, CliError> {
    serde_json::from_slice(&read_file(path)?).map_err(|e| CliError::Json(path.to_owned(), e))
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    fs::write(path, bytes).map_err(|e| CliError::File(path.to_owned(), e))
}

fn keygen(o: &Options) -> Result<(), CliError> {
    let name = o.need("--name")?;
    let path = PathBuf::from(o.need("-o")?);
    let issuer = Issuer::from_seed(random()?, name);
    // Created exclusively with mode 0600 from the start, so the secret is
    // never readable by others, not even for a moment, and an existing key
    // is never overwritten.
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
        .map_err(|e| CliError::File(path.clone(), e))?;
    let text = serde_json::to_string_pretty(&issuer.private_jwk()).unwrap_or_default();
    file.write_all(text.as_bytes())
        .and_then(|()| file.write_all(b"\n"))
        .map_err(|e| CliError::File(path.clone(), e))?;
    println!("{}", issuer.did());
    println!("{}", issuer.public_jwk());
    Ok(())
}

/// The achievement: a JSON file, or an id looked up in the feed folder's
/// JSON files (an object with `achievements`, a list, or one achievement).
fn achievement(o: &Options) -> Result<Value, CliError> {
    let given = o.need("--achievement")?;
    let path = Path::new(given);
    if path.is_file() {
        return read_json(path);
    }
    let dir = o.get("--feed-dir").ok_or_else(|| {
        CliError::Usage(format!(
            "{given} is not a file; give --feed-dir to look it up"
        ))
    })?;
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| CliError::File(dir.into(), e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    entries.sort();
    for file in entries {
        let Ok(json) = read_json(&file) else { continue };
        let list = match json.get("achievements") {
            Some(Value::Array(a)) => a.clone(),
            _ => match json {
                Value::Array(a) => a,
                one => vec![one],
            },
        };
        if let Some(found) = list
            .into_iter()
            .find(|a| a.get("id").and_then(Value::as_str) == Some(given))
        {
            return Ok(found);
        }
    }
    Err(CliError::Usage(format!("no achievement {given} in {dir}")))
}

fn issue_cmd(o: &Options) -> Result<(), CliError> {
    let issuer = Issuer::from_private_jwk(&read_json(Path::new(o.need("--key")?))?)?;
    let achievement =
        issue::achievement_from_feed(&achievement(o)?, o.get("--lang").unwrap_or("fi"))?;
    let now = o.need("--now")?;
    let (out, jwt) = (o.get("-o"), o.get("--jwt"));
    if out.is_none() && jwt.is_none() {
        return Err(CliError::Usage("give -o, --jwt or both".into()));
    }
    let status = match (
        o.get("--status-list"),
        o.get("--index"),
        o.get("--revocation-list"),
    ) {
        (Some(url), Some(index), None) => Some(StatusSpec::Bitstring {
            url: url.into(),
            index: index
                .parse()
                .ok()
                .filter(|i| *i < status::MIN_BITS)
                .ok_or_else(|| {
                    CliError::Usage(format!("--index must be below {}", status::MIN_BITS))
                })?,
        }),
        (None, None, Some(url)) => Some(StatusSpec::RevocationList { url: url.into() }),
        (None, None, None) => None,
        _ => {
            return Err(CliError::Usage(
                "--status-list needs --index, and not with --revocation-list".into(),
            ))
        }
    };
    let salt = match o.get("--salt") {
        Some(s) => s.to_owned(),
        None => random::<16>()?.iter().map(|b| format!("{b:02x}")).collect(),
    };
    let id = issue::urn_uuid(random()?);
    let credential = issue::credential(
        &issuer,
        &Award {
            achievement: &achievement,
            credential_id: &id,
            recipient_name: o.get("--recipient-name"),
            recipient_email: o.get("--recipient-email"),
            salt: &salt,
            now,
            status,
        },
    )?;
    // The JWT is written first: it does not depend on the Data Integrity
    // suite, so a failure there still leaves the JWT complete.
    if let Some(path) = jwt {
        write_file(
            Path::new(path),
            issue::sign_jwt(&issuer, &credential).as_bytes(),
        )?;
    }
    if let Some(path) = out {
        let signed = issue::sign_data_integrity(&issuer, &credential, now)?;
        let text = serde_json::to_string_pretty(&signed).unwrap_or_default();
        write_file(Path::new(path), text.as_bytes())?;
    }
    println!("{id}");
    Ok(())
}

fn bake_cmd(o: &Options) -> Result<(), CliError> {
    let credential = read_file(Path::new(o.need("--credential")?))?;
    // The credential is read first, so that only a credential is baked,
    // and baked exactly as it was signed.
    let parsed = read::read(&credential)?;
    let image_path = o.need("--image")?;
    let image = read_file(Path::new(image_path))?;
    let baked = if image.starts_with(&talkoo_badges::png::SIGNATURE) {
        bake::bake_png(&image, &parsed.signed)?
    } else {
        let text = String::from_utf8(image)
            .map_err(|_| CliError::Usage(format!("{image_path} is neither PNG nor SVG")))?;
        bake::bake_svg(&text, &parsed.signed)?.into_bytes()
    };
    write_file(Path::new(o.need("-o")?), &baked)
}

fn revoke(o: &Options) -> Result<(), CliError> {
    let signer = Issuer::from_private_jwk(&read_json(Path::new(o.need("--key")?))?)?;
    let list_path = PathBuf::from(o.need("--list")?);
    let credential = read::read(&read_file(Path::new(o.need("--credential")?))?)?;
    let now = o.need("--now")?;
    let entry = status::entries(&credential.body)
        .into_iter()
        .find_map(Result::ok)
        .ok_or_else(|| CliError::Usage("the credential has no status list entry".into()))?;
    let issuer = talkoo_badges::verify::issuer_id(&credential).unwrap_or_default();
    // Wallets believe a list only when the badge's issuer signed it, so a
    // list signed with another key would silently revoke nothing.
    if issuer != signer.did() {
        return Err(CliError::Usage(format!(
            "the key is not the credential's issuer's ({issuer})"
        )));
    }
    let (mut list, was_signed) = if list_path.exists() {
        let text = String::from_utf8(read_file(&list_path)?).map_err(|_| {
            CliError::Usage(format!("{} is not a status list", list_path.display()))
        })?;
        let signed = status::read_list(&text)
            .map(|(l, jwt)| jwt.is_some() || l.get("proof").is_some())
            .unwrap_or(false);
        (status::unsigned_list(&text)?, signed)
    } else {
        let list = match &entry {
            status::Entry::Bitstring { url, .. } => status::new_bitstring_list(url, &issuer, now),
            status::Entry::RevocationList { url } => status::new_revocation_list(url, &issuer),
        };
        (list, false)
    };
    let id = credential.body.get("id").and_then(Value::as_str);
    let changed = status::revoke(&mut list, &entry, id)?;
    // An unchanged list that is already signed is left as published; one
    // written by an older version of this tool, unsigned, is signed now.
    if changed || !was_signed {
        let text = issue::sign_status_list(&signer, &list, now)?;
        write_file(&list_path, text.as_bytes())?;
    }
    println!(
        "{}",
        if changed {
            "revoked"
        } else {
            "already revoked"
        }
    );
    Ok(())
}
