//! Safe outputs: every file of a run is first written beside its final name
//! as a temporary file, and renamed into place only when all were written.
//! A run that cannot replace one of its files (a PDF open in Acrobat, an xlsx
//! open in Excel on Windows, a folder where a file should go) puts back every
//! file it had already replaced, so the output folder never mixes old and new
//! documents.
//!
//! The steps, in order:
//! 1. lock the output folder, so that two runs into the same folder take
//!    turns instead of interleaving their renames;
//! 2. check every target: a file whose bytes are already those of the new
//!    document is left untouched (its date stays); anything that is not a
//!    regular file stops the run before anything is written;
//! 3. write each new document to a temporary name created exclusively
//!    (`create_new`: an existing name, or a link planted under it, is never
//!    opened) and sync it to disk;
//! 4. for each target, move the old file aside, then the new one in; on any
//!    failure undo the moves done so far, newest first;
//! 5. remove the old files and sync the folder.

use crate::diag::Diagnostic;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// One output file of a run, after [`write_all`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// Where it is.
    pub path: PathBuf,
    /// False when the file already held exactly these bytes and was left
    /// untouched (`watch` rewrites only what changed).
    pub changed: bool,
}

/// Writes all `(file name, bytes)` pairs into `dir`, all or nothing: either
/// every file holds its new bytes, or every file is as it was before.
pub fn write_all(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<Vec<Written>, Diagnostic> {
    fs::create_dir_all(dir).map_err(|e| {
        Diagnostic::error(format!("impossibile creare la cartella di destinazione: {e}"))
            .in_file(&dir.display().to_string())
    })?;
    let _lock = lock(dir);
    let mut pending = Vec::new();
    let mut result = Vec::new();
    for (name, bytes) in files {
        let target = dir.join(name);
        let changed = check_target(&target, bytes)?;
        if changed {
            pending.push((target.clone(), bytes.as_slice()));
        }
        result.push(Written { path: target, changed });
    }
    let mut temps: Vec<(PathBuf, PathBuf)> = Vec::new();
    for (target, bytes) in &pending {
        match write_temp(dir, target, bytes) {
            Ok(temp) => temps.push((temp, target.clone())),
            Err(d) => {
                temps.iter().for_each(|(t, _)| remove(t));
                return Err(d);
            }
        }
    }
    commit(dir, &temps, &mut |from, to| fs::rename(from, to))?;
    sync_dir(dir);
    Ok(result)
}

/// Whether `target` must be written: false when it already holds `bytes`.
/// A target that is a folder or another special file is an error.
fn check_target(target: &Path, bytes: &[u8]) -> Result<bool, Diagnostic> {
    let meta = match fs::symlink_metadata(target) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(true),
        Err(e) => return Err(cannot_replace(target, &e)),
    };
    if meta.is_dir() {
        return Err(Diagnostic::error(format!(
            "al posto del file «{}» c'è una cartella: nessun documento è stato sostituito",
            file_name(target)
        ))
        .in_file(&target.display().to_string())
        .hint("spostare o rinominare la cartella, oppure scegliere un'altra cartella con --out, e rieseguire"));
    }
    if meta.file_type().is_symlink() {
        // The link itself is replaced, never what it points to.
        return Ok(true);
    }
    if !meta.is_file() {
        return Err(Diagnostic::error(format!(
            "«{}» non è un file ordinario e non può essere sostituito: nessun documento è stato sostituito",
            file_name(target)
        ))
        .in_file(&target.display().to_string())
        .hint("rimuoverlo o scegliere un'altra cartella con --out, e rieseguire"));
    }
    if meta.len() == bytes.len() as u64 && fs::read(target).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    // Windows refuses to replace a file another program holds open; opening
    // it for writing (without truncating) finds that out before anything is
    // replaced. On Unix replacing never depends on the file's own rights.
    #[cfg(windows)]
    if let Err(e) = OpenOptions::new().write(true).open(target) {
        return Err(cannot_replace(target, &e));
    }
    Ok(true)
}

/// The sequence number of the next temporary or set-aside name.
static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A name beside `target` that no file has: `.<name>.<pid>-<n>.<suffix>`.
fn unique_name(target: &Path, suffix: &str) -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let dir = target.parent().unwrap_or(Path::new("."));
    dir.join(format!(".{}.{}-{n}.{suffix}", file_name(target), std::process::id()))
}

/// Writes `bytes` to a new temporary file beside `target` and syncs it. The
/// file is created exclusively: an existing file or link of that name is
/// never opened, and another name is tried.
fn write_temp(dir: &Path, target: &Path, bytes: &[u8]) -> Result<PathBuf, Diagnostic> {
    let mut last_error = None;
    for _ in 0..100 {
        let temp = unique_name(target, "tmp");
        let mut file = match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                last_error = Some(e);
                continue;
            }
            Err(e) => return Err(cannot_write(dir, &e)),
        };
        if let Err(e) = file.write_all(bytes).and_then(|_| file.sync_all()) {
            drop(file);
            remove(&temp);
            return Err(cannot_write(dir, &e));
        }
        return Ok(temp);
    }
    let e = last_error.unwrap_or_else(|| io::Error::other("nomi temporanei esauriti"));
    Err(cannot_write(dir, &e))
}

/// Moves every temporary file onto its target, keeping the old target aside
/// until all moves succeeded; on a failure, undoes what was done (newest
/// first) and removes the temporary files. `rename` is `fs::rename`, or a
/// failing stand-in in tests.
fn commit(
    dir: &Path,
    temps: &[(PathBuf, PathBuf)],
    rename: &mut dyn FnMut(&Path, &Path) -> io::Result<()>,
) -> Result<(), Diagnostic> {
    // (target, the old file moved aside, if there was one)
    let mut done: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
    let mut failure = None;
    let mut lost = Vec::new();
    for (temp, target) in temps {
        let backup = match fs::symlink_metadata(target) {
            Ok(_) => {
                let mut b = unique_name(target, "old");
                while fs::symlink_metadata(&b).is_ok() {
                    b = unique_name(target, "old");
                }
                if let Err(e) = rename(target, &b) {
                    failure = Some(cannot_replace(target, &e));
                    break;
                }
                Some(b)
            }
            Err(_) => None,
        };
        if let Err(e) = rename(temp, target) {
            if let Some(b) = &backup
                && rename(b, target).is_err()
            {
                lost.push(format!("«{}» (il precedente è in «{}»)", file_name(target), file_name(b)));
            }
            failure = Some(cannot_replace(target, &e));
            break;
        }
        done.push((target.clone(), backup));
    }
    let Some(mut failure) = failure else {
        for (_, backup) in &done {
            if let Some(b) = backup {
                remove(b);
            }
        }
        return Ok(());
    };
    temps.iter().for_each(|(t, _)| remove(t));
    for (target, backup) in done.iter().rev() {
        let undone = match backup {
            Some(b) => rename(b, target),
            None => fs::remove_file(target),
        };
        if undone.is_err() {
            lost.push(match backup {
                Some(b) => format!("«{}» (il precedente è in «{}»)", file_name(target), file_name(b)),
                None => format!("«{}»", file_name(target)),
            });
        }
    }
    if !lost.is_empty() {
        failure.message.push_str(&format!(
            "; attenzione: non è stato possibile ripristinare {} nella cartella {}",
            lost.join(", "),
            dir.display()
        ));
    }
    Err(failure)
}

/// An exclusive lock on the output folder, held until dropped. On Unix the
/// folder itself is locked; elsewhere a hidden `.piao.lock` file inside it.
/// Best effort: where the file system has no locks (some network shares) the
/// run goes on unlocked rather than failing.
fn lock(dir: &Path) -> Option<File> {
    #[cfg(unix)]
    let file = File::open(dir);
    #[cfg(not(unix))]
    let file = {
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        // A name starting with a dot is not hidden on Windows: the attribute
        // keeps the lock out of the folder the office sees in Explorer.
        #[cfg(windows)]
        std::os::windows::fs::OpenOptionsExt::attributes(&mut options, FILE_ATTRIBUTE_HIDDEN);
        options.open(dir.join(".piao.lock"))
    };
    let file = file.ok()?;
    file.lock().ok()?;
    Some(file)
}

/// Windows' hidden attribute (`FILE_ATTRIBUTE_HIDDEN` in the Win32 API).
#[cfg(windows)]
const FILE_ATTRIBUTE_HIDDEN: u32 = 0x2;

fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

fn remove(path: &Path) {
    let _ = fs::remove_file(path);
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| path.display().to_string())
}

fn cannot_write(dir: &Path, e: &io::Error) -> Diagnostic {
    Diagnostic::error(format!("impossibile scrivere nella cartella di destinazione: {e}"))
        .in_file(&dir.display().to_string())
        .hint("controllare che la cartella esista, sia scrivibile e che il disco non sia pieno; i documenti precedenti sono rimasti com'erano")
}

fn cannot_replace(target: &Path, e: &io::Error) -> Diagnostic {
    Diagnostic::error(format!(
        "impossibile sostituire il file «{}» ({e}): chiudere il file «{}» se è aperto in un altro programma (Acrobat, Excel…) e rieseguire",
        target.display(),
        file_name(target)
    ))
    .in_file(&target.display().to_string())
    .hint("nessun documento è stato sostituito: quelli precedenti sono rimasti com'erano")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> =
            fs::read_dir(dir).expect("list").flatten().map(|e| e.file_name().to_string_lossy().to_string()).collect();
        names.sort();
        names
    }

    fn files(pairs: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
        pairs.iter().map(|(n, b)| (n.to_string(), b.as_bytes().to_vec())).collect()
    }

    #[test]
    fn writes_every_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().expect("temp dir");
        let written = write_all(dir.path(), &files(&[("a.txt", "uno"), ("b.txt", "due")])).expect("written");
        assert_eq!(written.len(), 2);
        assert!(written.iter().all(|w| w.changed));
        assert_eq!(fs::read(dir.path().join("b.txt")).expect("read"), b"due");
        assert_eq!(listing(dir.path()), ["a.txt", "b.txt"]);
    }

    #[test]
    fn unchanged_files_are_not_rewritten() {
        let dir = tempfile::tempdir().expect("temp dir");
        write_all(dir.path(), &files(&[("a.txt", "uno"), ("b.txt", "due")])).expect("first");
        let before = fs::metadata(dir.path().join("a.txt")).expect("meta");
        let written = write_all(dir.path(), &files(&[("a.txt", "uno"), ("b.txt", "tre")])).expect("second");
        assert_eq!(written.iter().map(|w| w.changed).collect::<Vec<_>>(), [false, true]);
        let after = fs::metadata(dir.path().join("a.txt")).expect("meta");
        assert_eq!(before.modified().expect("mtime"), after.modified().expect("mtime"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            assert_eq!(before.ino(), after.ino());
        }
        assert_eq!(fs::read(dir.path().join("b.txt")).expect("read"), b"tre");
    }

    #[test]
    fn a_folder_in_place_of_the_last_file_stops_the_run_before_anything_changes() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join("a.txt"), b"vecchio").expect("seed");
        fs::create_dir(dir.path().join("b.txt")).expect("blocker");
        fs::write(dir.path().join("b.txt").join("dentro"), b"x").expect("blocker content");
        let err = write_all(dir.path(), &files(&[("a.txt", "nuovo"), ("b.txt", "due")])).expect_err("fails");
        assert!(err.message.contains("c'è una cartella"), "{}", err.message);
        assert_eq!(fs::read(dir.path().join("a.txt")).expect("read"), b"vecchio");
        assert_eq!(listing(dir.path()), ["a.txt", "b.txt"]);
    }

    #[test]
    fn a_planted_link_under_a_temporary_name_is_never_followed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let elsewhere = tempfile::tempdir().expect("other dir");
        let victim = elsewhere.path().join("vittima.txt");
        fs::write(&victim, b"intatto").expect("victim");
        // Links under the old fixed temporary name and under the next
        // names this process would pick.
        #[cfg(unix)]
        {
            let next = COUNTER.load(Ordering::Relaxed);
            for n in next..next + 20 {
                let name = format!(".a.txt.{}-{}.tmp", std::process::id(), n);
                std::os::unix::fs::symlink(&victim, dir.path().join(name)).expect("link");
            }
            std::os::unix::fs::symlink(&victim, dir.path().join(".a.txt.tmp")).expect("link");
        }
        write_all(dir.path(), &files(&[("a.txt", "nuovo")])).expect("written beside the links");
        assert_eq!(fs::read(&victim).expect("victim"), b"intatto");
        assert_eq!(fs::read(dir.path().join("a.txt")).expect("read"), b"nuovo");
    }

    #[test]
    fn a_failed_rename_puts_back_every_file_already_replaced() {
        let dir = tempfile::tempdir().expect("temp dir");
        for (n, b) in [("a.txt", "vecchio a"), ("b.txt", "vecchio b"), ("c.txt", "vecchio c")] {
            fs::write(dir.path().join(n), b).expect("seed");
        }
        let mut temps = Vec::new();
        for (n, b) in [("a.txt", "nuovo a"), ("b.txt", "nuovo b"), ("c.txt", "nuovo c"), ("d.txt", "nuovo d")] {
            let target = dir.path().join(n);
            temps.push((write_temp(dir.path(), &target, b.as_bytes()).expect("temp"), target));
        }
        // The rename of the last new file into place fails, as a file held
        // open by another program does on Windows.
        let mut calls = 0;
        let mut rename = |from: &Path, to: &Path| {
            calls += 1;
            if to.ends_with("d.txt") {
                return Err(io::Error::new(io::ErrorKind::PermissionDenied, "in uso"));
            }
            fs::rename(from, to)
        };
        let err = commit(dir.path(), &temps, &mut rename).expect_err("fails");
        assert!(err.message.contains("chiudere il file «d.txt»"), "{}", err.message);
        assert!(calls > 6, "three files were replaced before the failure");
        for (n, b) in [("a.txt", "vecchio a"), ("b.txt", "vecchio b"), ("c.txt", "vecchio c")] {
            assert_eq!(fs::read_to_string(dir.path().join(n)).expect("read"), b);
        }
        assert_eq!(listing(dir.path()), ["a.txt", "b.txt", "c.txt"]);
    }

    #[test]
    fn a_target_that_cannot_be_moved_aside_leaves_everything_as_it_was() {
        let dir = tempfile::tempdir().expect("temp dir");
        for (n, b) in [("a.txt", "vecchio a"), ("b.txt", "vecchio b")] {
            fs::write(dir.path().join(n), b).expect("seed");
        }
        let mut temps = Vec::new();
        for (n, b) in [("a.txt", "nuovo a"), ("b.txt", "nuovo b")] {
            let target = dir.path().join(n);
            temps.push((write_temp(dir.path(), &target, b.as_bytes()).expect("temp"), target));
        }
        let mut rename = |from: &Path, to: &Path| {
            if from.ends_with("b.txt") {
                return Err(io::Error::new(io::ErrorKind::PermissionDenied, "aperto in Excel"));
            }
            fs::rename(from, to)
        };
        let err = commit(dir.path(), &temps, &mut rename).expect_err("fails");
        assert!(err.message.contains("b.txt"), "{}", err.message);
        assert_eq!(fs::read_to_string(dir.path().join("a.txt")).expect("read"), "vecchio a");
        assert_eq!(fs::read_to_string(dir.path().join("b.txt")).expect("read"), "vecchio b");
        assert_eq!(listing(dir.path()), ["a.txt", "b.txt"]);
    }

    #[test]
    fn an_old_file_that_cannot_be_put_back_is_named_with_where_it_is() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join("a.txt"), b"vecchio a").expect("seed");
        let target = dir.path().join("a.txt");
        let temps = vec![(write_temp(dir.path(), &target, b"nuovo a").expect("temp"), target.clone())];
        // Moving the old file aside works; moving anything onto a.txt fails.
        let mut rename = |from: &Path, to: &Path| {
            if to.ends_with("a.txt") {
                return Err(io::Error::new(io::ErrorKind::PermissionDenied, "bloccato"));
            }
            fs::rename(from, to)
        };
        let err = commit(dir.path(), &temps, &mut rename).expect_err("fails");
        assert!(
            err.message.contains("non è stato possibile ripristinare «a.txt» (il precedente è in «.a.txt."),
            "{}",
            err.message
        );
        let kept: Vec<String> = listing(dir.path()).into_iter().filter(|n| n.ends_with(".old")).collect();
        assert_eq!(kept.len(), 1, "{:?}", listing(dir.path()));
        assert_eq!(fs::read(dir.path().join(&kept[0])).expect("read"), b"vecchio a");
    }
}
