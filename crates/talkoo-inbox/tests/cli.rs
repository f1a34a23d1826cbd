//! The coordinator's commands through the real binary, and the CSV they export read back as a spreadsheet would.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};

use support::{entry, TempDir, ORG, ORG_NAME};
use talkoo_core::hours::format_hours;
use talkoo_inbox::export::{write_csv, HEADER};
use talkoo_inbox::store::{Received, Selection, Status};
use talkoo_inbox::Inbox;

fn run(dir: &TempDir, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_talkoo-inbox"))
        .arg("--db")
        .arg(dir.db())
        .args(args)
        .output()
        .expect("run the binary")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("utf-8")
}

/// (arguments, exit code, stdout, the start of stderr)
fn check(dir: &TempDir, args: &[&str], code: i32, stdout: &str, stderr: &str) -> Output {
    let output = run(dir, args);
    let (out, err) = (text(&output.stdout), text(&output.stderr));
    assert_eq!(output.status.code(), Some(code), "{args:?}: {err}");
    if !stdout.is_empty() {
        assert_eq!(out, stdout, "{args:?}");
    }
    assert!(err.starts_with(stderr), "{args:?}: {err}");
    output
}

fn is_code(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 3
        && groups
            .iter()
            .all(|g| g.len() == 4 && g.bytes().all(|b| talkoo_inbox::code::ALPHABET.contains(&b)))
}

#[test]
fn a_coordinator_registers_issues_and_revokes() {
    let dir = TempDir::new("cli");
    check(&dir, &["org", "add", ORG, ORG_NAME], 0, "", "organisation");
    let issued = check(
        &dir,
        &["code", "issue", ORG, "--label", "Aino Virtanen"],
        0,
        "",
        "",
    );
    let code = text(&issued.stdout);
    assert!(
        code.ends_with('\n') && code.lines().count() == 1,
        "{code:?}"
    );
    let code = code.trim().to_owned();
    assert!(is_code(&code), "{code}");
    let second = text(&run(&dir, &["code", "issue", ORG]).stdout)
        .trim()
        .to_owned();
    assert_ne!(code, second);

    // The listing shows each code's public id, never the code: the inbox
    // keeps only its hash.
    let listed = text(&check(&dir, &["code", "list", ORG], 0, "", "").stdout);
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(lines[0], "id\tlabel\tissued\trevoked");
    let fields: Vec<&str> = lines[1].split('\t').collect();
    let (id, second_id) = (fields[0], lines[2].split('\t').next().expect("id"));
    assert!(talkoo_inbox::code::as_id(id).is_some(), "{listed}");
    assert_ne!(id, second_id);
    assert_eq!(fields[1], "Aino Virtanen");
    assert!(fields[2].starts_with("20"), "{listed}");
    assert_eq!(fields[3], "", "not revoked: {listed}");
    assert_eq!(lines.len(), 3);
    assert!(
        !listed.contains(&code) && !listed.contains(&second),
        "{listed}"
    );
    // The id was told to the coordinator when the code was issued.
    assert!(text(&issued.stderr).contains(id), "{:?}", issued.stderr);

    // Typed the way a volunteer reads it out: lower case, no hyphens.
    let typed = code.replace('-', "").to_ascii_lowercase();
    check(
        &dir,
        &["code", "revoke", &typed],
        0,
        "",
        &format!("{code} is revoked (code {id})"),
    );
    // The second code is revoked by its id, as the listing shows it.
    check(
        &dir,
        &["code", "revoke", &second_id.to_uppercase()],
        0,
        "",
        &format!("code {second_id} is revoked"),
    );
    let listed = text(&run(&dir, &["code", "list", ORG]).stdout);
    for row in listed.lines().skip(1) {
        let revoked = row.rsplit('\t').next().expect("field");
        assert!(
            revoked.starts_with("20") && revoked.ends_with('Z'),
            "{listed}"
        );
    }
    let inbox = Inbox::open(&dir.db()).expect("open");
    for code in [&code, &second] {
        assert!(inbox.member(code).expect("db").is_none());
    }
}

#[test]
fn mistakes_get_plain_words_and_a_failing_exit_code() {
    let dir = TempDir::new("cli-errors");
    check(&dir, &["org", "add", ORG, ORG_NAME], 0, "", "");
    for (args, code, stderr) in [
        (
            &["code", "issue", "nobody"][..],
            1,
            "talkoo-inbox: there is no organisation \"nobody\"",
        ),
        (
            &["code", "revoke", "AAAA-BBBB-CCCC"],
            1,
            "talkoo-inbox: there is no join code AAAA-BBBB-CCCC",
        ),
        (
            &["code", "revoke", "0badc0de"],
            1,
            "talkoo-inbox: there is no join code 0badc0de",
        ),
        (
            &["reject", ORG, "x", "--reason", " "],
            2,
            "talkoo-inbox: a rejection needs a reason",
        ),
        (
            &["accept", ORG, "no-such-id"],
            1,
            "talkoo-inbox: organisation \"kainuu-setlementti\" has no entry no-such-id",
        ),
        (
            &["export", ORG, "--to", "31.12.2026"],
            2,
            "talkoo-inbox: \"31.12.2026\" is not a date",
        ),
        (
            &["serve", "--addr", "nowhere"],
            1,
            "talkoo-inbox: cannot listen on nowhere",
        ),
        (&["launch"], 2, "talkoo-inbox: unknown command \"launch\""),
        (&[], 2, "talkoo-inbox: no command given"),
    ] {
        let output = check(&dir, args, code, "", stderr);
        assert!(output.stdout.is_empty(), "{args:?}");
    }
    let help = check(&dir, &["--help"], 0, "", "");
    assert!(text(&help.stdout).contains("code issue ORG_ID [--label TEXT]"));
}

#[test]
fn serve_prints_one_line_with_the_real_port() {
    let dir = TempDir::new("cli-serve");
    let mut child = Command::new(env!("CARGO_BIN_EXE_talkoo-inbox"))
        .arg("--db")
        .arg(dir.db())
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("read");
    let addr = line
        .strip_prefix("listening on http://")
        .and_then(|rest| rest.strip_suffix("/\n"))
        .unwrap_or_else(|| panic!("{line:?}"))
        .to_owned();
    assert!(!addr.ends_with(":0"), "{addr}");
    let bytes = support::exchange(
        addr.parse().expect("address"),
        "GET /v1/health HTTP/1.1\r\nConnection: close\r\n\r\n",
    );
    child.kill().expect("kill");
    let _ = child.wait();
    let answer = support::Answer::parse(&bytes.expect("exchange"));
    assert_eq!(answer.status, 200);
}

/// Splits CSV text into rows of fields, as RFC 4180 reads it.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut field) = (Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

#[test]
fn csv_fields_survive_commas_quotes_and_line_breaks() {
    // (note, minutes) — the note comes back as written, the hours as
    // format_hours writes them.
    for (note, minutes) in [
        ("plain", 60),
        ("kahvit, pullat ja bingo", 90),
        ("\"Mummon kammari\" -ilta", 20),
        ("rivi yksi\nrivi kaksi", 45),
        ("  reunoilla välilyönnit ", 135),
        ("", 1),
    ] {
        let mut e = entry(60);
        e.note = note.to_owned();
        e.start = None;
        e.end = None;
        e.minutes = minutes;
        let row = Received {
            entry: e.clone(),
            code_id: "3f9a01b2".to_owned(),
            label: None,
            status: Status::Rejected,
            reason: Some("Väärä päivä, korjaa \"pvm\"".to_owned()),
            received: "2026-11-20T08:00:00Z".to_owned(),
        };
        let mut out = Vec::new();
        write_csv(&mut out, &[row]).expect("write");
        let rows = parse_csv(&text(&out));
        assert_eq!(rows.len(), 2, "{note:?}");
        assert_eq!(rows[0], HEADER);
        let field =
            |name: &str| rows[1][HEADER.iter().position(|h| *h == name).expect("column")].clone();
        assert_eq!(field("note"), note);
        assert_eq!(field("hours"), format_hours(minutes));
        let hours: f64 = field("hours").parse().expect("a number with a dot");
        assert!((hours * 60.0 - f64::from(minutes)).abs() <= 0.3, "{note:?}");
        assert_eq!(field("reason"), "Väärä päivä, korjaa \"pvm\"");
        // Without a label, the code's public id tells volunteers apart.
        assert_eq!(field("volunteer"), "3f9a01b2");
        assert_eq!(field("start"), "");
    }
}

#[test]
fn export_writes_the_organisations_entries_within_the_dates() {
    let dir = TempDir::new("cli-export");
    let code = {
        let mut inbox = Inbox::open(&dir.db()).expect("open");
        inbox.add_organisation(ORG, ORG_NAME).expect("org");
        let code = inbox
            .issue_code(ORG, Some("Aino, Kajaani"))
            .expect("code")
            .code;
        let member = inbox.member(&code).expect("db").expect("member");
        for (seed, date) in [
            (70, "2026-10-31"),
            (71, "2026-11-01"),
            (72, "2026-11-30"),
            (73, "2026-12-01"),
        ] {
            let mut e = entry(seed);
            e.date = date.to_owned();
            inbox.submit(&member, &e, true).expect("store");
        }
        inbox.accept(ORG, Selection::AllWaiting).expect("accept");
        code
    };
    let output = check(
        &dir,
        &["export", ORG, "--from", "2026-11-01", "--to", "2026-11-30"],
        0,
        "",
        "",
    );
    let rows = parse_csv(&text(&output.stdout));
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(rows[0], HEADER);
    let e = entry(71);
    assert_eq!(
        rows[1][..10],
        [
            e.id.as_str(),
            "2026-11-01",
            "09:00",
            "11:30",
            "2.5",
            "peer-support",
            "Olohuonekahvila",
            "Kahvit ja bingo.",
            "Aino, Kajaani",
            "accepted"
        ]
    );
    assert_eq!(rows[2][1], "2026-11-30");
    assert!(!code.is_empty());
    let everything = parse_csv(&text(&run(&dir, &["export", ORG]).stdout));
    assert_eq!(everything.len(), 5);
}
