//! The `talkoo-inbox` command: parses the arguments, runs the command, and turns the outcome into an exit code.

use std::process::ExitCode;

use talkoo_inbox::{cli, InboxError};

fn main() -> ExitCode {
    let args: Result<Vec<String>, _> = std::env::args_os()
        .skip(1)
        .map(|a| a.into_string())
        .collect();
    let Ok(args) = args else {
        eprintln!("talkoo-inbox: the arguments must be text (UTF-8)");
        return ExitCode::from(2);
    };
    let invocation = match cli::parse(&args) {
        Ok(invocation) => invocation,
        Err(error) => {
            eprintln!("talkoo-inbox: {error}\nrun `talkoo-inbox --help` for the commands");
            return ExitCode::from(2);
        }
    };
    let stdout = std::io::stdout();
    match cli::run(invocation, &mut stdout.lock()) {
        Ok(()) => ExitCode::SUCCESS,
        // A usage mistake found only when running (an empty reason, say)
        // gets the same exit code as one found while parsing.
        Err(error @ InboxError::Usage(_)) => {
            eprintln!("talkoo-inbox: {error}");
            ExitCode::from(2)
        }
        Err(error) => {
            eprintln!("talkoo-inbox: {error}");
            ExitCode::FAILURE
        }
    }
}
