//! `piao layouts DIR`: writes the embedded layouts and `commenti.jinja` into
//! a folder, as the starting point for an office's own. Never overwrites:
//! a file already there is left as it is and named.

use super::{Outcome, print};
use crate::cli::LayoutsArgs;
use piao::diag::{Diagnostic, Diagnostics};
use piao::render::EMBEDDED_LAYOUTS;
use std::io::Write;

/// Writes every embedded layout that is not already in the folder.
pub fn run(args: &LayoutsArgs) -> Outcome {
    let dir = &args.dir;
    if let Err(e) = std::fs::create_dir_all(dir) {
        return super::fail(
            Diagnostic::error(format!("impossibile creare la cartella: {e}")).in_file(&dir.display().to_string()),
            false,
            Outcome::Failure,
        );
    }
    let mut diags = Diagnostics::new();
    let mut written = 0;
    for (name, text) in EMBEDDED_LAYOUTS {
        let path = dir.join(name);
        let shown = path.display().to_string();
        // `create_new`: an existing file (an office's own layout) is never replaced.
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut f) => match f.write_all(text.as_bytes()).and_then(|_| f.sync_all()) {
                Ok(()) => {
                    written += 1;
                    crate::sayln!("scritto {shown}");
                }
                Err(e) => diags.push(Diagnostic::error(format!("scrittura non riuscita: {e}")).in_file(&shown)),
            },
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => diags.push(
                Diagnostic::warning("il file esiste già: lasciato com'è")
                    .in_file(&shown)
                    .hint("per ripartire dal modello incorporato spostare o rinominare il file e rieseguire"),
            ),
            Err(e) => diags.push(Diagnostic::error(format!("scrittura non riuscita: {e}")).in_file(&shown)),
        }
    }
    print(&diags, false);
    crate::sayln!(
        "{written} modelli scritti in {}: modificarli e usarli con --layouts {} (vedere docs/modelli.md)",
        dir.display(),
        dir.display()
    );
    if diags.has_errors() { Outcome::Failure } else { Outcome::Done }
}
