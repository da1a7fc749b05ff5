//! The `piao` binary: parses the arguments, dispatches to one subcommand and
//! turns its outcome into the exit code (0 done, 1 input errors, 2 usage,
//! 3 I/O or internal failure).

use clap::Parser;
use piao::cli::{Cli, Command};
use piao::cmd;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            if e.use_stderr() {
                cmd::say_err(format_args!(
                    "errore: comando non valido; vedere «piao --help» o «piao <comando> --help». Dettaglio:\n"
                ));
            }
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let outcome = match cli.command {
        Command::Build(args) => cmd::build::run(&args),
        Command::Check(args) => cmd::check::run(&args),
        Command::Template(args) => cmd::template::run(&args),
        Command::Diff(args) => cmd::diff::run(&args),
        Command::Watch(args) => cmd::watch::run(&args),
    };
    ExitCode::from(outcome.code())
}
