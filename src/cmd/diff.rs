//! `piao diff`: what changed between two versions of a plan.

use super::{Outcome, load, print};
use crate::cli::DiffArgs;
use piao::diag::Diagnostic;
use piao::diff;
use piao::render::output;

/// Prints the report; with `--out` also writes it as xlsx.
pub fn run(args: &DiffArgs) -> Outcome {
    let (old, old_diags) = load(&args.old);
    let (new, new_diags) = load(&args.new);
    print(&old_diags, args.breve);
    print(&new_diags, args.breve);
    let (Some(old), Some(new)) = (old, new) else {
        return Outcome::InputErrors;
    };
    let report = diff::compare(&old, &new);
    super::say(format_args!("{}", diff::render_text(&report, &old.file, &new.file)));
    if let Some(out) = &args.out {
        let bytes = match diff::render_xlsx(&report, &old.file, &new.file) {
            Ok(b) => b,
            Err(e) => {
                return super::fail(
                    Diagnostic::error(format!("impossibile scrivere il confronto: {e}")),
                    args.breve,
                    Outcome::Failure,
                );
            }
        };
        let dir = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
        let name = out.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "confronto.xlsx".into());
        match output::write_all(dir, &[(name, bytes)]) {
            Ok(paths) => paths.iter().for_each(|p| crate::sayln!("scritto {}", p.path.display())),
            Err(d) => return super::fail(d, args.breve, Outcome::Failure),
        }
    }
    Outcome::Done
}
