//! The coordinator's commands: parsed from the arguments into a [`Command`], then run against the database.
//!
//! Parsing is separate from running so the wording of every usage error can
//! be tested without a process, and so `main` only maps results to exit
//! codes. Output meant for scripts (a new code, the CSV) is the only thing
//! on stdout; confirmations go to stderr.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use talkoo_core::time::Date;

use crate::api::Fault;
use crate::limit::{Limits, SystemClock};
use crate::store::{self, Inbox, Selection};
use crate::{award, code, export, key, server, InboxError};

/// The text of `--help`.
pub const USAGE: &str = "\
talkoo-inbox: the reference hours inbox for Talkoo (docs/hours-protocol.md)

usage: talkoo-inbox [--db PATH] [--key-file PATH] COMMAND

  --db PATH                         the inbox database (default inbox.sqlite; created when missing)
  --key-file PATH                   the key the join codes are hashed with (default: the database's
                                    name plus .key, made on first use); keep it apart from copies
                                    of the database, and back it up

commands:
  org add ID NAME                   register an organisation by its feed id (again to rename it)
  code issue ORG_ID [--label TEXT]  make a join code for a volunteer; prints only the code, which
                                    is shown this once (the inbox keeps only its hash)
  code revoke (ID | CODE)           stop a code from sending (its entries stay)
  code list ORG_ID                  the organisation's codes: id, label, issued, revoked
  accept ORG_ID (--all | ID...)     accept entries (--all: every entry still waiting)
  reject ORG_ID ID --reason TEXT    reject an entry; the volunteer sees the reason
  export ORG_ID [--from YYYY-MM-DD] [--to YYYY-MM-DD]
                                    the entries as CSV on stdout
  award --member (ID | CODE) --achievement ID --feed PATH --key ISSUER_KEY
        --recipient-name TEXT [--recipient-email ADDRESS] [--lang fi|sv|en] [--now TIME]
                                    award a badge to the volunteer holding a join code: signs it
                                    with the issuer key (a private Ed25519 JWK file, never printed)
                                    and keeps it until their app fetches it at its next status poll;
                                    prints the award's id. --feed is a feed source directory or a
                                    JSON file with the achievement; --achievement its feed id or
                                    Open Badges id; the email goes into the badge only hashed;
                                    --lang picks the texts (default fi); --now is RFC 3339
                                    (default: now)
  serve [--addr HOST:PORT] [--fault MODE] [--request-deadline-ms MS]
        [--per-token-per-minute N] [--per-address-per-minute N] [--trust-proxy]
                                    answer the app (default 127.0.0.1:8091; port 0 picks one);
                                    prints `listening on http://ADDR/` once it accepts connections.
                                    A request must arrive within 30000 ms of its first byte; a code
                                    may make 120 requests a minute and an address 600 (0: no limit).
                                    --trust-proxy: count the address a reverse proxy put last in
                                    X-Forwarded-For (use it only behind one)
  help, --help                      this text

fault modes (for the app's tests; they affect only POST v1/entries of a new entry):
  none, error-500, drop-before, drop-after, delay-after=MS
";

/// What the command line asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Print the usage.
    Help,
    /// `org add ID NAME`.
    OrgAdd {
        /// The feed id.
        id: String,
        /// The name.
        name: String,
    },
    /// `code issue ORG_ID [--label TEXT]`.
    CodeIssue {
        /// The organisation.
        org: String,
        /// The label.
        label: Option<String>,
    },
    /// `code revoke (ID | CODE)`.
    CodeRevoke {
        /// The code's id, or the code as typed.
        code: String,
    },
    /// `code list ORG_ID`.
    CodeList {
        /// The organisation.
        org: String,
    },
    /// `accept ORG_ID (--all | ID…)`; no ids means every waiting entry.
    Accept {
        /// The organisation.
        org: String,
        /// The ids, empty for `--all`.
        ids: Vec<String>,
    },
    /// `reject ORG_ID ID --reason TEXT`.
    Reject {
        /// The organisation.
        org: String,
        /// The entry.
        id: String,
        /// Why.
        reason: String,
    },
    /// `export ORG_ID [--from] [--to]`.
    Export {
        /// The organisation.
        org: String,
        /// First day included.
        from: Option<Date>,
        /// Last day included.
        to: Option<Date>,
    },
    /// `award --member --achievement --feed --key --recipient-name
    /// [--recipient-email] [--lang] [--now]`.
    Award {
        /// The join code's id, or the code as typed.
        member: String,
        /// The achievement's feed id or Open Badges id.
        achievement: String,
        /// A feed source directory or an achievement JSON file.
        feed: PathBuf,
        /// The issuer's private key file.
        key: PathBuf,
        /// The recipient's name.
        recipient_name: String,
        /// The recipient's email address.
        recipient_email: Option<String>,
        /// The language of the texts.
        lang: String,
        /// When it is awarded, RFC 3339; `None` is now.
        now: Option<String>,
    },
    /// `serve [--addr] [--fault] [--request-deadline-ms] [--per-token-per-minute]
    /// [--per-address-per-minute] [--trust-proxy]`.
    Serve {
        /// Where to listen.
        addr: String,
        /// The fault to play.
        fault: Fault,
        /// How long a request may take to arrive.
        request_deadline: Duration,
        /// The rate limits.
        limits: Limits,
        /// Whether to count the address in `X-Forwarded-For`.
        trust_proxy: bool,
    },
}

/// A parsed command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    /// The database file.
    pub db: PathBuf,
    /// The key file, when not the default beside the database.
    pub key_file: Option<PathBuf>,
    /// The command.
    pub command: Command,
}

/// The arguments after a command's words: positionals and `--name value`
/// options (or `--name` flags), in any order.
struct Args {
    positional: Vec<String>,
    options: Vec<(String, Option<String>)>,
}

impl Args {
    fn split(
        words: &[String],
        command: &str,
        valued: &[&str],
        flags: &[&str],
    ) -> Result<Args, InboxError> {
        let mut args = Args {
            positional: Vec::new(),
            options: Vec::new(),
        };
        let mut words = words.iter();
        while let Some(word) = words.next() {
            let Some(name) = word.strip_prefix("--") else {
                args.positional.push(word.clone());
                continue;
            };
            if valued.contains(&name) {
                let value = words
                    .next()
                    .ok_or_else(|| usage(format!("`{command}` needs a value after --{name}")))?;
                args.options.push((name.to_owned(), Some(value.clone())));
            } else if flags.contains(&name) {
                args.options.push((name.to_owned(), None));
            } else {
                return Err(usage(format!("`{command}` has no option {word}")));
            }
        }
        Ok(args)
    }

    fn value(&self, name: &str) -> Option<String> {
        self.options
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.clone())
    }

    fn flag(&self, name: &str) -> bool {
        self.options.iter().any(|(n, _)| n == name)
    }

    /// Exactly `names.len()` positionals, named in the error when not.
    fn exactly(&self, command: &str, names: &[&str]) -> Result<Vec<String>, InboxError> {
        if self.positional.len() == names.len() {
            Ok(self.positional.clone())
        } else {
            Err(usage(format!(
                "`{command}` takes {}",
                if names.is_empty() {
                    "no arguments".to_owned()
                } else {
                    names.join(" ")
                }
            )))
        }
    }
}

fn usage(message: String) -> InboxError {
    InboxError::Usage(message)
}

/// A whole number option; `at_least` is the smallest allowed.
fn number(args: &Args, name: &str, default: u64, at_least: u64) -> Result<u64, InboxError> {
    let Some(text) = args.value(name) else {
        return Ok(default);
    };
    match text.trim().parse::<u64>() {
        Ok(n) if n >= at_least => Ok(n),
        _ => Err(usage(format!(
            "--{name} takes a whole number of at least {at_least}, not {text:?}"
        ))),
    }
}

/// A per-minute limit option.
fn limit(args: &Args, name: &str, default: u32) -> Result<u32, InboxError> {
    let n = number(args, name, u64::from(default), 0)?;
    u32::try_from(n).map_err(|_| usage(format!("--{name} is too large")))
}

fn date(text: Option<String>) -> Result<Option<Date>, InboxError> {
    text.map(|t| Date::parse(t.trim()).ok_or(InboxError::BadDate(t)))
        .transpose()
}

/// Parses the arguments after the program name.
pub fn parse(args: &[String]) -> Result<Invocation, InboxError> {
    let mut db = PathBuf::from("inbox.sqlite");
    let mut key_file = None;
    let mut rest = args;
    loop {
        match rest {
            [flag, path, tail @ ..] if flag == "--db" => {
                db = PathBuf::from(path);
                rest = tail;
            }
            [flag, path, tail @ ..] if flag == "--key-file" => {
                key_file = Some(PathBuf::from(path));
                rest = tail;
            }
            [flag] if flag == "--db" || flag == "--key-file" => {
                return Err(usage(format!("{flag} needs a file name")))
            }
            _ => break,
        }
    }
    let command = match rest {
        [] => return Err(usage("no command given".to_owned())),
        [help, ..] if matches!(help.as_str(), "help" | "--help" | "-h") => Command::Help,
        [group, verb, tail @ ..] if group == "org" && verb == "add" => {
            let a = Args::split(tail, "org add", &[], &[])?.exactly("org add", &["ID", "NAME"])?;
            Command::OrgAdd {
                id: a[0].clone(),
                name: a[1].clone(),
            }
        }
        [group, verb, tail @ ..] if group == "code" && verb == "issue" => {
            let args = Args::split(tail, "code issue", &["label"], &[])?;
            let a = args.exactly("code issue", &["ORG_ID"])?;
            Command::CodeIssue {
                org: a[0].clone(),
                label: args.value("label"),
            }
        }
        [group, verb, tail @ ..] if group == "code" && verb == "revoke" => {
            let a = Args::split(tail, "code revoke", &[], &[])?
                .exactly("code revoke", &["ID_OR_CODE"])?;
            Command::CodeRevoke { code: a[0].clone() }
        }
        [group, verb, tail @ ..] if group == "code" && verb == "list" => {
            let a = Args::split(tail, "code list", &[], &[])?.exactly("code list", &["ORG_ID"])?;
            Command::CodeList { org: a[0].clone() }
        }
        [verb, tail @ ..] if verb == "accept" => {
            let args = Args::split(tail, "accept", &[], &["all"])?;
            let Some((org, ids)) = args.positional.split_first() else {
                return Err(usage(
                    "`accept` takes ORG_ID and --all or entry ids".to_owned(),
                ));
            };
            if args.flag("all") != ids.is_empty() {
                return Err(usage(
                    "`accept` takes either --all or entry ids, not both or neither".to_owned(),
                ));
            }
            Command::Accept {
                org: org.clone(),
                ids: ids.to_vec(),
            }
        }
        [verb, tail @ ..] if verb == "reject" => {
            let args = Args::split(tail, "reject", &["reason"], &[])?;
            let a = args.exactly("reject", &["ORG_ID", "ID"])?;
            let reason = args
                .value("reason")
                .ok_or_else(|| usage("`reject` needs --reason TEXT".to_owned()))?;
            Command::Reject {
                org: a[0].clone(),
                id: a[1].clone(),
                reason,
            }
        }
        [verb, tail @ ..] if verb == "export" => {
            let args = Args::split(tail, "export", &["from", "to"], &[])?;
            let a = args.exactly("export", &["ORG_ID"])?;
            Command::Export {
                org: a[0].clone(),
                from: date(args.value("from"))?,
                to: date(args.value("to"))?,
            }
        }
        [verb, tail @ ..] if verb == "award" => {
            let args = Args::split(
                tail,
                "award",
                &[
                    "member",
                    "achievement",
                    "feed",
                    "key",
                    "recipient-name",
                    "recipient-email",
                    "lang",
                    "now",
                ],
                &[],
            )?;
            args.exactly("award", &[])?;
            let required = |name: &str, what: &str| {
                args.value(name)
                    .filter(|v| !v.trim().is_empty())
                    .ok_or_else(|| usage(format!("`award` needs --{name} {what}")))
            };
            Command::Award {
                member: required("member", "(the join code's id, or the code)")?,
                achievement: required("achievement", "ID")?,
                feed: PathBuf::from(required("feed", "PATH")?),
                key: PathBuf::from(required("key", "ISSUER_KEY")?),
                recipient_name: required("recipient-name", "TEXT")?,
                recipient_email: args.value("recipient-email"),
                lang: args.value("lang").unwrap_or_else(|| "fi".to_owned()),
                now: args.value("now"),
            }
        }
        [verb, tail @ ..] if verb == "serve" => {
            let args = Args::split(
                tail,
                "serve",
                &[
                    "addr",
                    "fault",
                    "request-deadline-ms",
                    "per-token-per-minute",
                    "per-address-per-minute",
                ],
                &["trust-proxy"],
            )?;
            args.exactly("serve", &[])?;
            let defaults = Limits::default();
            let deadline_ms = server::REQUEST_DEADLINE.as_millis() as u64;
            Command::Serve {
                addr: args
                    .value("addr")
                    .unwrap_or_else(|| "127.0.0.1:8091".to_owned()),
                fault: args.value("fault").as_deref().unwrap_or("none").parse()?,
                request_deadline: Duration::from_millis(number(
                    &args,
                    "request-deadline-ms",
                    deadline_ms,
                    1,
                )?),
                limits: Limits {
                    per_token: limit(&args, "per-token-per-minute", defaults.per_token)?,
                    per_address: limit(&args, "per-address-per-minute", defaults.per_address)?,
                },
                trust_proxy: args.flag("trust-proxy"),
            }
        }
        [word, ..] => return Err(usage(format!("unknown command {word:?}"))),
    };
    Ok(Invocation {
        db,
        key_file,
        command,
    })
}

/// Runs a command, writing what scripts read to `out` and notes to stderr.
/// `serve` returns only when the server stops.
pub fn run(invocation: Invocation, out: &mut dyn Write) -> Result<(), InboxError> {
    if invocation.command == Command::Help {
        out.write_all(USAGE.as_bytes())?;
        return Ok(());
    }
    let key_file = invocation
        .key_file
        .clone()
        .unwrap_or_else(|| key::default_path(&invocation.db));
    let mut inbox = Inbox::open_with_key(&invocation.db, &key_file)?;
    match invocation.command {
        Command::Help => {}
        Command::Serve {
            addr,
            fault,
            request_deadline,
            limits,
            trust_proxy,
        } => {
            if inbox.organisation_count()? == 0 {
                eprintln!(
                    "talkoo-inbox: no organisation is registered yet, so every code is refused; add one with `org add`"
                );
            }
            let config = server::Config {
                fault,
                request_deadline,
                limits,
                trust_proxy,
                clock: Arc::new(SystemClock),
            };
            let running = server::start(inbox, &addr, &config)?;
            writeln!(out, "listening on http://{}/", running.addr())?;
            out.flush()?;
            running.wait();
        }
        Command::OrgAdd { id, name } => {
            inbox.add_organisation(&id, &name)?;
            eprintln!("organisation {} is {}", id.trim(), name.trim());
        }
        Command::CodeIssue { org, label } => {
            let issued = inbox.issue_code(&org, label.as_deref())?;
            writeln!(out, "{}", code::display(&issued.code))?;
            eprintln!(
                "issued code {} for {}; it is shown only now (the inbox keeps only its hash), so give it to the volunteer",
                issued.id,
                org.trim()
            );
        }
        Command::CodeRevoke { code } => {
            let id = inbox.revoke_code(&code)?;
            if code::as_id(&code).is_some() {
                eprintln!("code {id} is revoked");
            } else {
                eprintln!(
                    "{} is revoked (code {id})",
                    code::display(&code::normalise(&code))
                );
            }
        }
        Command::CodeList { org } => {
            writeln!(out, "id\tlabel\tissued\trevoked")?;
            for info in inbox.codes(&org)? {
                let label = info
                    .label
                    .unwrap_or_default()
                    .replace(['\t', '\n', '\r'], " ");
                writeln!(
                    out,
                    "{}\t{label}\t{}\t{}",
                    info.id,
                    info.issued,
                    info.revoked.unwrap_or_default()
                )?;
            }
        }
        Command::Accept { org, ids } => {
            let selection = if ids.is_empty() {
                Selection::AllWaiting
            } else {
                Selection::Ids(&ids)
            };
            let changed = inbox.accept(&org, selection)?;
            eprintln!(
                "accepted {changed} {}",
                if changed == 1 { "entry" } else { "entries" }
            );
        }
        Command::Reject { org, id, reason } => {
            inbox.reject(&org, &id, &reason)?;
            eprintln!("rejected {id}");
        }
        Command::Export { org, from, to } => {
            let rows = inbox.entries(&org, from, to)?;
            export::write_csv(out, &rows)?;
        }
        Command::Award {
            member,
            achievement,
            feed,
            key,
            recipient_name,
            recipient_email,
            lang,
            now,
        } => {
            let member = inbox.holder(&member)?;
            let issuer = award::load_issuer(&key, &member.organisation_name)?;
            let found =
                award::load_achievement(&feed, &achievement, &member.organisation_id, &lang)?;
            let now = now.unwrap_or_else(store::now);
            let request = award::Request {
                member: &member,
                achievement: &achievement,
                lang: &lang,
                recipient_name: Some(&recipient_name),
                recipient_email: recipient_email.as_deref(),
                now: &now,
            };
            let (id_bytes, salt_bytes) = award::random()?;
            let made = award::make(&issuer, &found, &request, id_bytes, salt_bytes)?;
            inbox.add_award(&made.award)?;
            writeln!(out, "{}", made.award.id)?;
            // The reason stays out of the note: it may quote the whole
            // credential, which is no help on a terminal.
            if made.without_proof.is_some() {
                eprintln!(
                    "note: the badge carries its VC-JWT only, without an embedded Data Integrity proof, which this build cannot make"
                );
            }
            eprintln!(
                "awarded {} to code {} of {}; their app receives it at its next status poll",
                made.award.achievement, member.code_id, member.organisation_id
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_owned).collect()
    }

    /// (command line, the command it means)
    fn check(line: &str, expected: Command) {
        let parsed = parse(&words(line)).unwrap_or_else(|e| panic!("{line}: {e}"));
        assert_eq!(parsed.command, expected, "{line}");
    }

    /// (command line, the start of the usage error)
    fn check_refused(line: &str, message: &str) {
        match parse(&words(line)) {
            Err(e) => assert!(e.to_string().starts_with(message), "{line}: {e}"),
            Ok(parsed) => panic!("{line} was taken as {parsed:?}"),
        }
    }

    #[test]
    fn commands_are_parsed() {
        check(
            "org add kajaani-1 Setlementti",
            Command::OrgAdd {
                id: "kajaani-1".to_owned(),
                name: "Setlementti".to_owned(),
            },
        );
        check(
            "--db x.sqlite code issue kajaani-1 --label Aino",
            Command::CodeIssue {
                org: "kajaani-1".to_owned(),
                label: Some("Aino".to_owned()),
            },
        );
        check(
            "code issue kajaani-1",
            Command::CodeIssue {
                org: "kajaani-1".to_owned(),
                label: None,
            },
        );
        check(
            "accept k --all",
            Command::Accept {
                org: "k".to_owned(),
                ids: Vec::new(),
            },
        );
        check(
            "accept k a b",
            Command::Accept {
                org: "k".to_owned(),
                ids: words("a b"),
            },
        );
        check(
            "reject k a --reason duplicate",
            Command::Reject {
                org: "k".to_owned(),
                id: "a".to_owned(),
                reason: "duplicate".to_owned(),
            },
        );
        check(
            "export k --from 2026-01-01",
            Command::Export {
                org: "k".to_owned(),
                from: Date::parse("2026-01-01"),
                to: None,
            },
        );
        check(
            "serve",
            Command::Serve {
                addr: "127.0.0.1:8091".to_owned(),
                fault: Fault::None,
                request_deadline: Duration::from_secs(30),
                limits: Limits {
                    per_token: 120,
                    per_address: 600,
                },
                trust_proxy: false,
            },
        );
        check(
            "serve --fault drop-after --addr 127.0.0.1:0",
            Command::Serve {
                addr: "127.0.0.1:0".to_owned(),
                fault: Fault::DropAfter,
                request_deadline: Duration::from_secs(30),
                limits: Limits::default(),
                trust_proxy: false,
            },
        );
        check(
            "serve --request-deadline-ms 250 --per-token-per-minute 3 --per-address-per-minute 0 --trust-proxy",
            Command::Serve {
                addr: "127.0.0.1:8091".to_owned(),
                fault: Fault::None,
                request_deadline: Duration::from_millis(250),
                limits: Limits {
                    per_token: 3,
                    per_address: 0,
                },
                trust_proxy: true,
            },
        );
        check(
            "code revoke 3f9a01b2",
            Command::CodeRevoke {
                code: "3f9a01b2".to_owned(),
            },
        );
        check(
            "award --member 3f9a01b2 --achievement ach-1 --feed feed-src --key k.json --recipient-name Aino --now 2026-12-01T10:00:00Z",
            Command::Award {
                member: "3f9a01b2".to_owned(),
                achievement: "ach-1".to_owned(),
                feed: PathBuf::from("feed-src"),
                key: PathBuf::from("k.json"),
                recipient_name: "Aino".to_owned(),
                recipient_email: None,
                lang: "fi".to_owned(),
                now: Some("2026-12-01T10:00:00Z".to_owned()),
            },
        );
        check(
            "award --lang sv --recipient-email a@example.org --member K7QM-4XPD-92HT --achievement a --feed a.json --key k --recipient-name Aino",
            Command::Award {
                member: "K7QM-4XPD-92HT".to_owned(),
                achievement: "a".to_owned(),
                feed: PathBuf::from("a.json"),
                key: PathBuf::from("k"),
                recipient_name: "Aino".to_owned(),
                recipient_email: Some("a@example.org".to_owned()),
                lang: "sv".to_owned(),
                now: None,
            },
        );
        check("--help", Command::Help);
        let parsed = parse(&words("--db /tmp/i.sqlite serve")).expect("parses");
        assert_eq!(parsed.db, PathBuf::from("/tmp/i.sqlite"));
        assert_eq!(parsed.key_file, None);
        let parsed = parse(&words("serve")).expect("parses");
        assert_eq!(parsed.db, PathBuf::from("inbox.sqlite"));
        let parsed =
            parse(&words("--key-file /k/inbox.key --db i.sqlite code list k")).expect("parses");
        assert_eq!(parsed.db, PathBuf::from("i.sqlite"));
        assert_eq!(parsed.key_file, Some(PathBuf::from("/k/inbox.key")));
    }

    #[test]
    fn mistakes_are_explained() {
        check_refused("", "no command given");
        check_refused("org add k", "`org add` takes ID NAME");
        check_refused(
            "code issue k --label",
            "`code issue` needs a value after --label",
        );
        check_refused(
            "code issue k --colour red",
            "`code issue` has no option --colour",
        );
        check_refused("accept k", "`accept` takes either --all or entry ids");
        check_refused(
            "accept k --all a",
            "`accept` takes either --all or entry ids",
        );
        check_refused("reject k a", "`reject` needs --reason TEXT");
        check_refused("export k --from 1.1.2026", "\"1.1.2026\" is not a date");
        check_refused(
            "serve --fault sometimes",
            "unknown fault mode \"sometimes\"",
        );
        check_refused("serve now", "`serve` takes no arguments");
        check_refused(
            "serve --request-deadline-ms 0",
            "--request-deadline-ms takes a whole number of at least 1, not \"0\"",
        );
        check_refused(
            "serve --per-token-per-minute lots",
            "--per-token-per-minute takes a whole number of at least 0",
        );
        check_refused(
            "serve --per-address-per-minute 99999999999",
            "--per-address-per-minute is too large",
        );
        check_refused("--key-file", "--key-file needs a file name");
        check_refused(
            "award --achievement a --feed f --key k --recipient-name A",
            "`award` needs --member",
        );
        check_refused(
            "award --member m --achievement a --feed f --recipient-name A",
            "`award` needs --key ISSUER_KEY",
        );
        check_refused(
            "award --member m --achievement a --feed f --key k",
            "`award` needs --recipient-name TEXT",
        );
        check_refused("award extra", "`award` takes no arguments");
        check_refused("frobnicate", "unknown command \"frobnicate\"");
    }
}
