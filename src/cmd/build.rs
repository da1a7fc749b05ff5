//! `piao build`: every document each workbook supports, written into the
//! output folder all together or not at all. A folder of workbooks is built
//! on all cores, a few at a time, and published in order.

use super::{Outcome, print};
use crate::cli::BuildArgs;
use piao::pipeline::{self, Built, Failure, Options};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, mpsc};

/// The options of a build from the command line's output options.
pub fn options(a: &crate::cli::OutputArgs) -> Options {
    Options { layouts: a.layouts.clone(), names: a.nomi.clone(), shown_as: None }
}

/// The exit code of a failed build.
pub fn outcome(f: Failure) -> Outcome {
    match f {
        Failure::InputErrors => Outcome::InputErrors,
        Failure::Settings => Outcome::Usage,
        Failure::Render => Outcome::Failure,
    }
}

/// Runs the build over every workbook; the exit code is the worst outcome.
///
/// A folder is built on all cores, a few workbooks at a time, and each
/// workbook is published (its files written together, its messages
/// printed) as soon as it and every workbook before it are built, so the
/// output and the messages keep the folder's order. At most
/// [`window`] workbooks are in memory at once, and typst's caches are
/// trimmed after each one: the memory of a run does not grow with the
/// number of workbooks.
pub fn run(args: &BuildArgs) -> Outcome {
    let workbooks = match pipeline::expand_inputs(&args.inputs) {
        Ok(w) => w,
        Err(d) => return super::fail(d, args.output.breve, Outcome::Failure),
    };
    let opts = options(&args.output);
    let progress = workbooks.len() > 1 && std::io::stderr().is_terminal();
    let total = workbooks.len();
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, total.max(1));
    let ahead = window(workers);
    // The next workbook a worker may take, and how many are published; a
    // worker waits while it would run more than `ahead` past the publisher.
    let next = AtomicUsize::new(0);
    let published = Mutex::new(0usize);
    let advanced = Condvar::new();
    let done = AtomicUsize::new(0);
    let mut worst = Outcome::Done;
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::channel::<(usize, Built)>();
        for _ in 0..workers {
            let tx = tx.clone();
            let (next, published, advanced, done, opts, workbooks) =
                (&next, &published, &advanced, &done, &opts, &workbooks);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(path) = workbooks.get(i) else { break };
                    {
                        let mut p = published.lock().unwrap_or_else(|e| e.into_inner());
                        while i >= *p + ahead {
                            p = advanced.wait(p).unwrap_or_else(|e| e.into_inner());
                        }
                    }
                    let b = build_one(path, opts);
                    if progress {
                        let n = done.fetch_add(1, Ordering::SeqCst) + 1;
                        crate::esayln!("[{n}/{total}] {}", path.display());
                    }
                    if tx.send((i, b)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut ready = std::collections::BTreeMap::new();
        let mut taken = Vec::new();
        let mut cursor = 0;
        for (i, b) in rx {
            ready.insert(i, b);
            while let Some(b) = ready.remove(&cursor) {
                let path = &workbooks[cursor];
                let (result, diags, _) = pipeline::publish(b, &args.output.out, path, &mut taken);
                print(&diags, args.output.breve);
                match result {
                    Ok(files) => files.iter().for_each(|f| {
                        if f.changed {
                            crate::sayln!("scritto {}", f.path.display())
                        } else {
                            crate::sayln!("invariato {}", f.path.display())
                        }
                    }),
                    Err(f) => worst = worst.worst(outcome(f)),
                }
                cursor += 1;
                if total > 1 {
                    piao::render::trim_memory();
                }
                *published.lock().unwrap_or_else(|e| e.into_inner()) = cursor;
                advanced.notify_all();
            }
        }
    });
    worst
}

/// How many workbooks past the last published one may be built or held
/// in memory: enough to keep every worker busy while one waits to be
/// published behind a slower one, few enough that memory stays flat.
fn window(workers: usize) -> usize {
    workers + 1
}

/// One workbook built; a panic (a bug, never a user's file) becomes an
/// internal error of that workbook instead of stopping the others.
fn build_one(path: &std::path::Path, opts: &Options) -> Built {
    let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| pipeline::build_workbook(path, opts, None)));
    built.unwrap_or_else(|_| {
        let mut diags = piao::diag::Diagnostics::new();
        diags.push(
            piao::diag::Diagnostic::error("errore interno durante la costruzione dei documenti")
                .in_file(&path.display().to_string()),
        );
        Built { files: Err(Failure::Render), diags, snapshot: pipeline::Snapshot::default() }
    })
}
