//! `piao template`: writes the blank workbook (or a filled example).

use super::Outcome;
use crate::cli::TemplateArgs;
use chrono::Datelike;
use piao::diag::Diagnostic;
use piao::render::output;

/// Writes the template where asked, never over an existing file.
pub fn run(args: &TemplateArgs) -> Outcome {
    let fail = |d: Diagnostic| super::fail(d, false, Outcome::Failure);
    if args.file.exists() {
        return fail(
            Diagnostic::error("il file esiste già: non viene sovrascritto")
                .in_file(&args.file.display().to_string())
                .hint("indicare un nome nuovo"),
        );
    }
    let year = args.anno.unwrap_or_else(|| chrono::Local::now().year() + 1);
    let bytes = match piao::template::write(year, args.esempio) {
        Ok(b) => b,
        Err(e) => return fail(Diagnostic::error(format!("impossibile preparare il modello: {e}"))),
    };
    let dir = args.file.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let Some(name) = args.file.file_name().map(|n| n.to_string_lossy().to_string()) else {
        return fail(Diagnostic::error("nome di file non valido"));
    };
    match output::write_all(dir, &[(name, bytes)]) {
        Ok(_) => {
            crate::sayln!(
                "scritto {} (anno {year}{})",
                args.file.display(),
                if args.esempio { ", con un esempio" } else { "" }
            );
            Outcome::Done
        }
        Err(d) => fail(d),
    }
}
