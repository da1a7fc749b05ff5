//! The `piao` binary: parses the arguments, dispatches to one subcommand and
//! turns its outcome into the exit code (0 done, 1 input errors, 2 usage,
//! 3 I/O or internal failure).

// As in the library: `Diagnostic` is the house error type and travels only
// on the cold path of a failed step; boxing it would obscure every signature.
#![allow(clippy::result_large_err)]

mod cli;
mod cmd;
mod serve;
mod usage;

use clap::Parser;
use cli::{Cli, Command};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to standard output with code 0; usage
            // errors to standard error, in Italian, with code 2.
            if e.use_stderr() {
                cmd::say_err(format_args!("{}", usage::error_message(&e)));
                return ExitCode::from(2);
            }
            cmd::say(format_args!("{}", usage::translate(&e.render().to_string())));
            return ExitCode::SUCCESS;
        }
    };
    let outcome = match cli.command {
        Command::Build(args) => cmd::build::run(&args),
        Command::Check(args) => cmd::check::run(&args),
        Command::Template(args) => cmd::template::run(&args),
        Command::Diff(args) => cmd::diff::run(&args),
        Command::Watch(args) => cmd::watch::run(&args),
        Command::Layouts(args) => cmd::layouts::run(&args),
        Command::Serve(args) => cmd::serve::run(&args),
    };
    ExitCode::from(outcome.code())
}
