//! Safe outputs: every file of a run is first written beside its final name
//! as a temporary file, and renamed into place only when all were written.
//! A failed run removes its temporary files and leaves the previous outputs
//! untouched.

use crate::diag::Diagnostic;
use std::fs;
use std::path::{Path, PathBuf};

/// Writes all `(file name, bytes)` pairs into `dir`, all or nothing.
pub fn write_all(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<Vec<PathBuf>, Diagnostic> {
    fs::create_dir_all(dir).map_err(|e| io_error(dir, &e))?;
    let mut temps: Vec<(PathBuf, PathBuf)> = Vec::new();
    for (name, bytes) in files {
        let final_path = dir.join(name);
        let temp = dir.join(format!(".{name}.tmp"));
        if let Err(e) = fs::write(&temp, bytes) {
            let _ = fs::remove_file(&temp);
            cleanup(&temps);
            return Err(io_error(&temp, &e));
        }
        temps.push((temp, final_path));
    }
    let mut written = Vec::new();
    for (temp, final_path) in &temps {
        if let Err(e) = fs::rename(temp, final_path) {
            cleanup(&temps);
            return Err(io_error(final_path, &e));
        }
        written.push(final_path.clone());
    }
    Ok(written)
}

fn cleanup(temps: &[(PathBuf, PathBuf)]) {
    for (t, _) in temps {
        let _ = fs::remove_file(t);
    }
}

fn io_error(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(format!("impossibile scrivere: {e}")).in_file(&path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_every_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = vec![("a.txt".to_string(), b"uno".to_vec()), ("b.txt".to_string(), b"due".to_vec())];
        let written = write_all(dir.path(), &files).expect("written");
        assert_eq!(written.len(), 2);
        assert_eq!(fs::read(dir.path().join("b.txt")).expect("read"), b"due");
        let names: Vec<String> = fs::read_dir(dir.path())
            .expect("list")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
    }

    #[test]
    fn a_failed_write_keeps_the_previous_outputs() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join("a.txt"), b"vecchio").expect("seed");
        // A directory where a temporary file should go makes the second write fail.
        fs::create_dir(dir.path().join(".b.txt.tmp")).expect("blocker");
        let files = vec![("a.txt".to_string(), b"nuovo".to_vec()), ("b.txt".to_string(), b"due".to_vec())];
        assert!(write_all(dir.path(), &files).is_err());
        assert_eq!(fs::read(dir.path().join("a.txt")).expect("read"), b"vecchio");
        assert!(!dir.path().join(".a.txt.tmp").exists());
    }
}
