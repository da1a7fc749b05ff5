//! `piao watch`: rebuilds whenever the workbook or a layout changes. The
//! process keeps typst's caches between rebuilds (old entries are evicted so
//! memory stays flat), so a correction re-lays out only what it changed;
//! each rebuild prints which results moved.
//!
//! A rebuild runs only when the content of the workbook or of a layout
//! differs from the last build's (a hash of the bytes): file events also come
//! from reading the workbook, from the editor's lock files and from piao's own
//! writes, and none of those may start another build. Only the files whose
//! bytes changed are rewritten (see [`piao::render::output`]).

use super::{Outcome, print};
use crate::cli::WatchArgs;
use notify_debouncer_mini::notify::RecursiveMode;
use notify_debouncer_mini::{DebounceEventResult, new_debouncer};
use piao::diag::Diagnostic;
use piao::pipeline::{Options, Snapshot, build_workbook, is_workbook, publish};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Cache entries unused for this many rebuilds are dropped.
const CACHE_AGE: usize = 10;

/// Builds once, then again after every relevant change, until interrupted
/// (or after `--ricostruzioni N` rebuilds).
pub fn run(args: &WatchArgs) -> Outcome {
    let fail = |d: Diagnostic| super::fail(d, args.output.breve, Outcome::Failure);
    if !args.input.is_file() || !is_workbook(&args.input) {
        return fail(
            Diagnostic::error("da sorvegliare serve un file .xlsx, .xlsm, .xls o .ods")
                .in_file(&args.input.display().to_string()),
        );
    }
    let workbook = dunce::canonicalize(&args.input).unwrap_or_else(|_| args.input.clone());
    let dir = workbook.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
    let layouts = args.output.layouts.clone().or_else(|| Some(dir.join("layouts")).filter(|p| p.is_dir()));
    let opts = Options { layouts: layouts.clone(), ..super::build::options(&args.output) };

    let cache = piao::render::DocCache::default();
    let mut built = inputs_hash(&workbook, layouts.as_deref());
    let mut last = rebuild(&args.input, &opts, &args.output.out, args.output.breve, None, &cache);
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = match new_debouncer(Duration::from_millis(300), tx) {
        Ok(d) => d,
        Err(e) => return fail(Diagnostic::error(format!("impossibile sorvegliare i file: {e}"))),
    };
    // The folder, not the file: editors save by writing a temporary file and
    // renaming it over the workbook.
    if let Err(e) = debouncer.watcher().watch(&dir, RecursiveMode::NonRecursive) {
        return fail(
            Diagnostic::error(format!("impossibile sorvegliare la cartella: {e}")).in_file(&dir.display().to_string()),
        );
    }
    if let Some(l) = &layouts
        && let Err(e) = debouncer.watcher().watch(l, RecursiveMode::NonRecursive)
    {
        return fail(
            Diagnostic::error(format!("impossibile sorvegliare i modelli: {e}")).in_file(&l.display().to_string()),
        );
    }
    crate::sayln!("in attesa di modifiche a {} (Ctrl+C per terminare)", args.input.display());
    let mut rebuilds = 0;
    for event in rx {
        let relevant = match event {
            Ok(events) => events.iter().any(|e| is_relevant(&e.path, &workbook, layouts.as_deref())),
            Err(e) => {
                crate::esayln!("avviso: sorveglianza dei file: {e}");
                false
            }
        };
        if !relevant {
            continue;
        }
        // An unreadable workbook is in the middle of a save: its end sends
        // another event.
        let Some(now) = inputs_hash(&workbook, layouts.as_deref()) else { continue };
        if built == Some(now) {
            continue;
        }
        built = Some(now);
        last = rebuild(&args.input, &opts, &args.output.out, args.output.breve, Some(&last), &cache);
        typst::comemo::evict(CACHE_AGE);
        rebuilds += 1;
        if args.ricostruzioni.is_some_and(|n| rebuilds >= n) {
            break;
        }
    }
    Outcome::Done
}

/// A hash of the workbook's bytes and of every layout file's name and bytes;
/// `None` while the workbook cannot be read.
fn inputs_hash(workbook: &Path, layouts: Option<&Path>) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    std::fs::read(workbook).ok()?.hash(&mut h);
    if let Some(dir) = layouts {
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| n.ends_with(".typ") || n.ends_with(".jinja"))
            .map(|n| {
                let bytes = std::fs::read(dir.join(&n)).unwrap_or_default();
                (n, bytes)
            })
            .collect();
        files.sort();
        files.hash(&mut h);
    }
    Some(h.finish())
}

/// The workbook itself (compared by name: a rename may change the inode), or
/// a layout file; never a lock file.
fn is_relevant(path: &Path, workbook: &Path, layouts: Option<&Path>) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.starts_with("~$") || name.starts_with(".~lock") || name.starts_with('.') {
        return false;
    }
    let same_file = path.file_name() == workbook.file_name()
        && path.parent().and_then(|p| dunce::canonicalize(p).ok()) == workbook.parent().map(Path::to_path_buf);
    let layout = layouts
        .is_some_and(|l| path.parent().and_then(|p| dunce::canonicalize(p).ok()) == dunce::canonicalize(l).ok())
        && (name.ends_with(".typ") || name.ends_with(".jinja"));
    same_file || layout
}

/// One build; prints its diagnostics, the files written, what changed since
/// `before` and how long it took. Returns the new figures (the old ones
/// when the build failed, so the next comparison is with the last good one).
fn rebuild(
    input: &Path,
    opts: &Options,
    out: &Path,
    short: bool,
    before: Option<&Snapshot>,
    cache: &piao::render::DocCache,
) -> Snapshot {
    let start = Instant::now();
    let built = build_workbook(input, opts, Some(cache));
    let (result, diags, snapshot) = publish(built, out, input, &mut Vec::new());
    print(&diags, short);
    let elapsed = start.elapsed().as_secs_f64();
    match result {
        Ok(files) => {
            if let Some(before) = before {
                let changes = snapshot.changes_since(before);
                if changes.is_empty() {
                    crate::sayln!("nessun risultato cambiato");
                }
                for c in changes {
                    crate::sayln!("{c}");
                }
            }
            let changed: Vec<_> = files.iter().filter(|f| f.changed).collect();
            for f in &changed {
                crate::sayln!("scritto {}", f.path.display());
            }
            crate::sayln!(
                "ricostruiti {} file in {} s ({} invariati)",
                changed.len(),
                piao::fmt::number(rust_decimal::Decimal::from_f64_retain(elapsed).unwrap_or_default(), 2),
                files.len() - changed.len()
            );
            snapshot
        }
        Err(_) => {
            crate::sayln!("documenti precedenti lasciati intatti");
            before.cloned().unwrap_or_default()
        }
    }
}
