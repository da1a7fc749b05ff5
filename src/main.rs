//! The `piao` binary: parses the arguments, dispatches to one subcommand and
//! turns its outcome into the exit code (0 done, 1 input errors, 2 usage,
//! 3 I/O or internal failure). Without a subcommand it does what a
//! double-click or a drag-and-drop on the exe asks (src/cmd/launch.rs).

use clap::Parser;
use piao::cli::{Cli, Command};
use piao::cmd::{Outcome, launch};
use piao::{cmd, usage};
use std::ffi::OsString;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let outcome = match launch::classify(&args) {
        launch::Launch::Dropped(paths) => launch::dropped(&paths),
        launch::Launch::NoArguments => launch::double_click().unwrap_or_else(parse_and_run),
        launch::Launch::Command => parse_and_run(),
    };
    launch::pause_if_alone(outcome);
    ExitCode::from(outcome.code())
}

/// A command line with a subcommand (or help, version, a usage error).
fn parse_and_run() -> Outcome {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to standard output with code 0; usage
            // errors to standard error, in Italian, with code 2.
            if e.use_stderr() {
                cmd::say_err(format_args!("{}", usage::error_message(&e)));
                return Outcome::Usage;
            }
            cmd::say(format_args!("{}", usage::translate(&e.render().to_string())));
            return Outcome::Done;
        }
    };
    match cli.command {
        Command::Build(args) => cmd::build::run(&args),
        Command::Check(args) => cmd::check::run(&args),
        Command::Template(args) => cmd::template::run(&args),
        Command::Diff(args) => cmd::diff::run(&args),
        Command::Watch(args) => cmd::watch::run(&args),
    }
}
