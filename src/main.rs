//! The `piao` binary: parses the arguments, dispatches to one subcommand and
//! turns its outcome into the exit code (0 done, 1 input errors, 2 usage,
//! 3 I/O or internal failure). Without a subcommand it does what a
//! double-click or a drag-and-drop on the exe asks (src/cmd/launch.rs).

// As in the library: `Diagnostic` is the house error type and travels only
// on the cold path of a failed step; boxing it would obscure every signature.
#![allow(clippy::result_large_err)]

mod cli;
mod cmd;
mod serve;
mod usage;

use clap::Parser;
use cli::{Cli, Command};
use cmd::{Outcome, launch};
use std::ffi::OsString;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let outcome = match launch::classify(&args) {
        launch::Launch::Dropped(paths) => launch::dropped(&paths),
        launch::Launch::NoArguments => launch::double_click(),
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
        Command::Layouts(args) => cmd::layouts::run(&args),
        Command::Serve(args) => cmd::serve::run(&args),
    }
}
