//! Starting `piao` the way an office user does on Windows, without typing a
//! command: double-clicking the exe (no arguments) or dropping workbooks on
//! it (bare paths, on any system). A dropped workbook is built into a folder
//! `documenti piao` beside it; on Windows that folder is then opened, and a
//! console window that Explorer opened for piao alone waits for Enter when
//! something went wrong, so that the messages can be read.

use super::Outcome;
use crate::cli::Cli;
use clap::{CommandFactory, Parser};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The folder, beside a dropped workbook, that receives its documents.
pub const FOLDER: &str = "documenti piao";

/// What the arguments ask for, before clap parses them.
#[derive(Debug, PartialEq, Eq)]
pub enum Launch {
    /// No arguments at all: a double-click on the exe.
    NoArguments,
    /// Only paths of workbooks or folders: files dropped on the exe.
    Dropped(Vec<PathBuf>),
    /// A subcommand, an option or anything else: clap's business.
    Command,
}

/// Sorts the arguments (without the program name). Paths are only taken as
/// dropped when no argument is a subcommand or an option, and each one exists
/// or has a workbook's extension: a mistyped subcommand (`piao bulid`) still
/// gets clap's message and suggestion.
pub fn classify(args: &[OsString]) -> Launch {
    let Some(first) = args.first() else {
        return Launch::NoArguments;
    };
    let cli = Cli::command();
    let is_subcommand = first.to_str().is_some_and(|f| cli.find_subcommand(f).is_some());
    let is_option = |a: &OsString| a.to_string_lossy().starts_with('-');
    let is_path = |a: &OsString| {
        let p = Path::new(a);
        p.exists() || piao::pipeline::is_workbook(p)
    };
    if is_subcommand || args.iter().any(is_option) || !args.iter().all(is_path) {
        return Launch::Command;
    }
    Launch::Dropped(args.iter().map(PathBuf::from).collect())
}

/// Double-click: `piao` with no arguments runs `piao serve --apri`: the web
/// page on this computer (loopback only), opened in the default browser.
pub fn double_click() -> Outcome {
    super::serve::run(&crate::cli::ServeArgs { apri: true, ..Default::default() })
}

/// Builds each dropped workbook (or folder of workbooks) into `documenti
/// piao` beside it, as `piao build --out <cartella>/documenti piao <file>`
/// would; on Windows opens each folder that received documents.
pub fn dropped(paths: &[PathBuf]) -> Outcome {
    let mut outcome = Outcome::Done;
    for (out, inputs) in by_folder(paths) {
        let mut args: Vec<OsString> = vec!["piao".into(), "build".into(), "--out".into(), out.clone().into()];
        args.extend(inputs.into_iter().map(OsString::from));
        let done = match Cli::try_parse_from(args) {
            Ok(Cli { command: crate::cli::Command::Build(build), .. }) => super::build::run(&build),
            _ => Outcome::Failure,
        };
        if done == Outcome::Done {
            crate::sayln!("documenti nella cartella {}", out.display());
            open_folder(&out);
        }
        outcome = outcome.worst(done);
    }
    outcome
}

/// Groups the dropped paths by the folder that receives their documents, in
/// the order they were dropped: a workbook's documents go beside it, a
/// folder's inside it. Paths are made absolute (without `\\?\`) so that the
/// messages say where the documents are.
fn by_folder(paths: &[PathBuf]) -> Vec<(PathBuf, Vec<PathBuf>)> {
    let mut groups: Vec<(PathBuf, Vec<PathBuf>)> = Vec::new();
    for path in paths {
        let path = dunce::canonicalize(path).unwrap_or_else(|_| path.clone());
        let home = if path.is_dir() {
            path.clone()
        } else {
            path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf()
        };
        let out = home.join(FOLDER);
        match groups.iter_mut().find(|(o, _)| *o == out) {
            Some((_, inputs)) => inputs.push(path),
            None => groups.push((out, vec![path])),
        }
    }
    groups
}

/// Opens a folder in Explorer (Windows only; elsewhere the message printed
/// says where the documents are). Explorer's own exit code means nothing, so
/// it is not awaited.
fn open_folder(folder: &Path) {
    if cfg!(windows) {
        let _ = std::process::Command::new("explorer").arg(folder).spawn();
    }
}

/// Keeps a console window that Explorer opened for piao alone (double-click,
/// drag-and-drop) open after a failed run until Enter is pressed: otherwise
/// it closes with the messages unread. A console shared with a shell, and
/// every other system, end at once.
pub fn pause_if_alone(outcome: Outcome) {
    if must_pause(outcome, console_processes()) {
        crate::esayln!("\nPremere Invio per chiudere questa finestra.");
        let _ = std::io::stdin().read_line(&mut String::new());
    }
}

/// Whether to wait: the run went wrong and the console's only process is
/// piao itself (`None`: not a Windows console).
fn must_pause(outcome: Outcome, console_processes: Option<u32>) -> bool {
    outcome != Outcome::Done && console_processes == Some(1)
}

/// How many processes share this console (Windows), `None` elsewhere or
/// without a console.
#[cfg(windows)]
fn console_processes() -> Option<u32> {
    let mut ids = [0u32; 4];
    // SAFETY: the buffer and its length agree; the call only writes into it.
    let n = unsafe { windows_sys::Win32::System::Console::GetConsoleProcessList(ids.as_mut_ptr(), ids.len() as u32) };
    (n > 0).then_some(n)
}

/// How many processes share this console (Windows), `None` elsewhere or
/// without a console.
#[cfg(not(windows))]
fn console_processes() -> Option<u32> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<OsString> {
        a.iter().map(OsString::from).collect()
    }

    #[test]
    fn no_arguments_is_a_double_click() {
        assert_eq!(classify(&[]), Launch::NoArguments);
    }

    #[test]
    fn subcommands_and_options_go_to_clap() {
        assert_eq!(classify(&args(&["build", "piano.xlsx"])), Launch::Command);
        assert_eq!(classify(&args(&["--help"])), Launch::Command);
        assert_eq!(classify(&args(&["piano.xlsx", "--out", "x"])), Launch::Command);
        // A mistyped subcommand keeps clap's suggestion.
        assert_eq!(classify(&args(&["bulid"])), Launch::Command);
    }

    #[test]
    fn workbook_paths_are_dropped_even_when_missing() {
        // A missing workbook gets the build's Italian «file not found».
        assert_eq!(
            classify(&args(&["C:\\Piani\\piano 2026.xlsx", "altro.ODS"])),
            Launch::Dropped(vec![PathBuf::from("C:\\Piani\\piano 2026.xlsx"), PathBuf::from("altro.ODS")])
        );
    }

    #[test]
    fn an_existing_folder_is_dropped() {
        let dir = std::env::temp_dir();
        assert_eq!(classify(&[dir.clone().into()]), Launch::Dropped(vec![dir]));
    }

    #[test]
    fn documents_go_beside_the_workbook_grouped_by_folder() {
        let groups = by_folder(&[
            PathBuf::from("/nessuna/a.xlsx"),
            PathBuf::from("/altra/b.xlsx"),
            PathBuf::from("/nessuna/c.xlsx"),
        ]);
        assert_eq!(
            groups,
            vec![
                (
                    PathBuf::from("/nessuna/documenti piao"),
                    vec![PathBuf::from("/nessuna/a.xlsx"), PathBuf::from("/nessuna/c.xlsx")]
                ),
                (PathBuf::from("/altra/documenti piao"), vec![PathBuf::from("/altra/b.xlsx")]),
            ]
        );
        assert_eq!(by_folder(&[PathBuf::from("piano.xlsx")])[0].0, PathBuf::from("./documenti piao"));
    }

    #[test]
    fn only_a_failed_run_in_a_console_of_its_own_waits() {
        assert!(must_pause(Outcome::InputErrors, Some(1)));
        assert!(must_pause(Outcome::Usage, Some(1)));
        assert!(!must_pause(Outcome::Done, Some(1)));
        assert!(!must_pause(Outcome::InputErrors, Some(2)));
        assert!(!must_pause(Outcome::InputErrors, None));
    }
}
