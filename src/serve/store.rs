//! Where `serve` keeps versions: one folder per upload under
//! `<dati>/versioni/<id>`, named by a generated id (the uploaded file's name
//! is only data in `meta.json`). A version is built in a hidden staging
//! folder and renamed into place when complete, so an interrupted build
//! never leaves a half-written version. Nothing here deletes a version.

use super::pipeline::{Built, Comparison};
use piao::diag::Diagnostic;
use piao::render::output;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// Everything the pages know about one version, stored as its `meta.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Meta {
    /// The generated id (also the folder's name).
    pub id: String,
    /// The uploaded file's name, as the user's computer gave it (data only).
    pub name: String,
    /// When it was loaded (local time, `25/11/2026 10:30`).
    pub loaded: String,
    /// `caricamento` (uploaded from the page) or `locale` (the watched file).
    pub source: String,
    /// The workbook's extension (`xlsx`, `xlsm`, `xls`, `ods`).
    pub ext: String,
    /// The plan the version belongs to (see [`plan_key`]).
    pub plan: String,
    /// The build's outcome.
    pub built: Built,
    /// The previous version of the same plan with documents, if any.
    pub previous: Option<String>,
    /// Figures whose printed value changed since `previous`.
    pub figure_changes: Vec<String>,
    /// The comparison with `previous`.
    pub comparison: Option<Comparison>,
}

impl Meta {
    /// True when the build produced the documents.
    pub fn ok(&self) -> bool {
        !self.built.documents.is_empty()
    }

    /// How the plan is named on the pages.
    pub fn title(&self) -> String {
        match (&self.built.entity, self.built.year) {
            (Some(e), Some(y)) => format!("{e} – {y}"),
            _ => format!("File «{}»", self.name),
        }
    }
}

/// The key that groups the versions of one plan: entity and year when the
/// plan could be read; otherwise the plan of the latest version loaded from a
/// file of the same name (a correction in progress), else the file name.
pub fn plan_key(built: &Built, name: &str, history: &[Meta]) -> String {
    match (&built.entity, built.year) {
        (Some(e), Some(y)) => format!("piano:{y}:{e}"),
        _ => history
            .iter()
            .rev()
            .find(|m| m.name == name)
            .map(|m| m.plan.clone())
            .unwrap_or_else(|| format!("file:{name}")),
    }
}

/// The versions folder and the approvals.
pub struct Store {
    root: PathBuf,
    counter: AtomicU64,
    approvals: Mutex<()>,
}

/// The extensions a workbook may have.
pub const EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "ods"];

impl Store {
    /// Opens (creating it if needed) the data folder.
    pub fn open(root: &Path) -> Result<Store, Diagnostic> {
        let versions = root.join("versioni");
        std::fs::create_dir_all(&versions).map_err(|e| {
            Diagnostic::error(format!("impossibile creare la cartella dei dati: {e}"))
                .in_file(&root.display().to_string())
        })?;
        Ok(Store { root: root.to_path_buf(), counter: AtomicU64::new(0), approvals: Mutex::new(()) })
    }

    /// A new id: the UTC time (sortable, also across a change of daylight
    /// saving time), a counter and a random part.
    pub fn fresh_id(&self) -> String {
        let n = self.counter.fetch_add(1, Ordering::SeqCst);
        let mut r = [0u8; 3];
        let _ = getrandom::fill(&mut r);
        format!(
            "{}-{:04}-{:02x}{:02x}{:02x}",
            chrono::Utc::now().format("%Y%m%d-%H%M%S%3f"),
            n % 10_000,
            r[0],
            r[1],
            r[2]
        )
    }

    /// The folder of a committed version (`id` must be valid).
    pub fn dir(&self, id: &str) -> PathBuf {
        self.root.join("versioni").join(id)
    }

    /// The hidden folder a version is built in.
    pub fn staging(&self, id: &str) -> PathBuf {
        self.root.join("versioni").join(format!(".{id}.tmp"))
    }

    /// Where the workbook of a version lies inside `dir`, alone in its
    /// folder (a logo named in it can only be the workbook itself).
    pub fn workbook_in(dir: &Path, ext: &str) -> PathBuf {
        dir.join("lavoro").join(format!("cartella.{ext}"))
    }

    /// The documents folder inside a version folder.
    pub fn documents_in(dir: &Path) -> PathBuf {
        dir.join("documenti")
    }

    /// Writes the meta of a staged version and renames it into place.
    pub fn commit(&self, meta: &Meta) -> Result<(), Diagnostic> {
        let staging = self.staging(&meta.id);
        let bytes = serde_json::to_vec_pretty(meta).map_err(|e| Diagnostic::error(e.to_string()))?;
        output::write_all(&staging, &[("meta.json".to_string(), bytes)])?;
        std::fs::rename(&staging, self.dir(&meta.id))
            .map_err(|e| Diagnostic::error(format!("impossibile registrare la versione: {e}")))
    }

    /// One version, if `id` is a valid id of a committed version.
    pub fn get(&self, id: &str) -> Option<Meta> {
        if !valid_id(id) {
            return None;
        }
        let bytes = std::fs::read(self.dir(id).join("meta.json")).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Every committed version, oldest first.
    pub fn list(&self) -> Vec<Meta> {
        let mut ids: Vec<String> = std::fs::read_dir(self.root.join("versioni"))
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .filter(|n| valid_id(n))
            .collect();
        ids.sort();
        ids.iter().filter_map(|id| self.get(id)).collect()
    }

    /// The approved version of each plan.
    pub fn approvals(&self) -> BTreeMap<String, String> {
        std::fs::read(self.root.join("approvate.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    /// Marks `meta` as the approved version of its plan.
    pub fn approve(&self, meta: &Meta) -> Result<(), Diagnostic> {
        let _guard = self.approvals.lock().unwrap_or_else(|e| e.into_inner());
        let mut all = self.approvals();
        all.insert(meta.plan.clone(), meta.id.clone());
        let bytes = serde_json::to_vec_pretty(&all).map_err(|e| Diagnostic::error(e.to_string()))?;
        output::write_all(&self.root, &[("approvate.json".to_string(), bytes)]).map(|_| ())
    }
}

/// An id as [`Store::fresh_id`] makes them: digits, letters and dashes only,
/// so that it can never name anything outside the versions folder.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_valid_and_unique_and_hostile_ids_are_not() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(dir.path()).expect("store");
        let a = store.fresh_id();
        let b = store.fresh_id();
        assert!(valid_id(&a) && valid_id(&b) && a != b && a < b, "{a} {b}");
        for bad in ["", "..", "../x", "a/b", ".x.tmp", "a\\b", "a b"] {
            assert!(!valid_id(bad), "{bad}");
            assert!(store.get(bad).is_none());
        }
    }
}
