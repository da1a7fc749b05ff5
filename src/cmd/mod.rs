//! One file per subcommand; each returns an [`Outcome`] that `main` turns
//! into the exit code.

pub mod build;
pub mod check;
pub mod diff;
pub mod launch;
pub mod layouts;
pub mod serve;
pub mod template;
pub mod watch;

use piao::diag::{Diagnostics, render};

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Done (warnings allowed).
    Done,
    /// The input has errors.
    InputErrors,
    /// Wrong usage.
    Usage,
    /// I/O or internal failure.
    Failure,
}

impl Outcome {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Outcome::Done => 0,
            Outcome::InputErrors => 1,
            Outcome::Usage => 2,
            Outcome::Failure => 3,
        }
    }

    /// The worse of two outcomes (for batches).
    pub fn worst(self, other: Outcome) -> Outcome {
        if other.code() > self.code() { other } else { self }
    }
}

pub use piao::pipeline::load;

/// Prints one diagnostic that ends a command, and returns `outcome`.
pub fn fail(d: piao::diag::Diagnostic, short: bool, outcome: Outcome) -> Outcome {
    let mut ds = Diagnostics::new();
    ds.push(d);
    print(&ds, short);
    outcome
}

/// Prints diagnostics to standard error. A closed standard error is not a
/// failure: the run goes on and its exit code tells the outcome.
pub fn print(diags: &Diagnostics, short: bool) {
    use std::io::Write;
    let _ = std::io::stderr().lock().write_all(render(diags, short).as_bytes());
}

/// Writes to standard output like `print!`, except that a closed pipe
/// (`piao diff a b | head`) ends nothing: Rust's `print!` would panic, here
/// the rest of the output is dropped and the command ends normally.
pub fn say(args: std::fmt::Arguments) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_fmt(args).and_then(|_| out.flush());
}

/// Writes to standard error like `eprint!`, without panicking when it is
/// closed.
pub fn say_err(args: std::fmt::Arguments) {
    use std::io::Write;
    let _ = std::io::stderr().lock().write_fmt(args);
}

/// `eprintln!` through [`say_err`].
#[macro_export]
macro_rules! esayln {
    ($($arg:tt)*) => {
        $crate::cmd::say_err(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `println!` for command output, through [`say`]: a closed pipe is a
/// normal end.
#[macro_export]
macro_rules! sayln {
    ($($arg:tt)*) => {
        $crate::cmd::say(format_args!("{}\n", format_args!($($arg)*)))
    };
}
