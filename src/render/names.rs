//! Output file names from a minijinja pattern (default
//! `{{anno}}_{{documento}}`), checked to stay inside the output folder.

use crate::diag::Diagnostic;
use crate::model::Plan;

/// The file name of one document, extension included.
pub fn file_name(pattern: &str, plan: &Plan, document: &str, ext: &str) -> Result<String, Diagnostic> {
    let env = minijinja::Environment::new();
    let stem =
        std::path::Path::new(&plan.file).file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
    let ctx = minijinja::context! { anno => plan.ente.year, documento => document, ente => plan.ente.name.as_str(), file => stem };
    let name = env.render_str(pattern, ctx).map_err(|e| {
        Diagnostic::error(format!("schema dei nomi dei file non valido «{pattern}»: {e}"))
            .hint("ad es. «{{anno}}_{{documento}}» oppure «{{file}}_{{documento}}»")
    })?;
    let name = name.trim().to_string();
    if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
        return Err(Diagnostic::error(format!(
            "lo schema dei nomi produce «{name}», che non è un nome di file valido"
        ))
        .hint("il nome non può essere vuoto, iniziare con un punto o contenere barre"));
    }
    Ok(format!("{name}.{ext}"))
}
