//! The typst layouts: embedded in the binary, each replaceable by a file of
//! the same name in a user's folder (`layouts/` beside the workbook, or
//! `--layouts DIR`).

use crate::diag::Diagnostic;
use std::collections::BTreeMap;
use std::path::Path;

/// The layouts shipped with piao, by file name.
pub const EMBEDDED: &[(&str, &str)] = &[
    ("stile.typ", include_str!("../../layouts/stile.typ")),
    ("allegato.typ", include_str!("../../layouts/allegato.typ")),
    ("schede.typ", include_str!("../../layouts/schede.typ")),
    ("relazione.typ", include_str!("../../layouts/relazione.typ")),
    ("commenti.jinja", include_str!("../../layouts/commenti.jinja")),
];

/// The layouts in force for a run, by file name.
#[derive(Debug, Clone)]
pub struct Layouts {
    files: BTreeMap<String, String>,
    /// Which files came from the user's folder (for error messages).
    pub overridden: Vec<String>,
    /// The user's folder, if any.
    pub dir: Option<std::path::PathBuf>,
    /// Files of the user's folder that were not used (links), as warnings.
    pub warnings: Vec<Diagnostic>,
}

impl Layouts {
    /// The embedded layouts, with every `.typ`/`.jinja` file of `dir` (if
    /// given and present) replacing the embedded one of the same name.
    pub fn load(dir: Option<&Path>) -> Result<Layouts, Diagnostic> {
        let mut files: BTreeMap<String, String> =
            EMBEDDED.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
        let mut overridden = Vec::new();
        let mut warnings = Vec::new();
        if let Some(dir) = dir.filter(|d| d.is_dir()) {
            let entries = std::fs::read_dir(dir).map_err(|e| {
                Diagnostic::error(format!("cartella dei modelli non leggibile: {e}"))
                    .in_file(&dir.display().to_string())
            })?;
            let mut names = Vec::new();
            for entry in entries.flatten() {
                let path = entry.path();
                let name = entry.file_name().to_string_lossy().to_string();
                let is_layout = name.ends_with(".typ") || name.ends_with(".jinja");
                // Links are not followed: a layout may not reach outside its folder.
                let is_file = entry.file_type().map(|t| t.is_file()).unwrap_or(false);
                if is_layout && !is_file {
                    warnings.push(
                        Diagnostic::warning(
                            "il modello è un collegamento o non è un file: ignorato, si usa quello incorporato",
                        )
                        .in_file(&path.display().to_string())
                        .hint("copiare il file nella cartella dei modelli invece di collegarlo"),
                    );
                }
                if is_layout && is_file {
                    let text = std::fs::read_to_string(&path).map_err(|e| {
                        Diagnostic::error(format!("modello non leggibile: {e}")).in_file(&path.display().to_string())
                    })?;
                    names.push(name.clone());
                    files.insert(name, text);
                }
            }
            names.sort();
            overridden = names;
        }
        Ok(Layouts { files, overridden, dir: dir.map(Path::to_path_buf), warnings })
    }

    /// A hash of every layout file's name and text.
    pub fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.files.hash(&mut h);
        h.finish()
    }

    /// The text of a layout file.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.files.get(name).map(String::as_str)
    }
}
