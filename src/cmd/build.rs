//! `piao build`: every document each workbook supports, written into the
//! output folder all together or not at all. A folder of workbooks is built
//! on all cores.

use super::{Outcome, print};
use crate::cli::BuildArgs;
use piao::pipeline::{self, Built, Failure, Options};
use rayon::prelude::*;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};

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

/// Runs the build over every workbook (rendered in parallel, written in
/// order); the exit code is the worst outcome.
pub fn run(args: &BuildArgs) -> Outcome {
    let workbooks = match pipeline::expand_inputs(&args.inputs) {
        Ok(w) => w,
        Err(d) => return super::fail(d, args.output.breve, Outcome::Failure),
    };
    let opts = options(&args.output);
    let progress = workbooks.len() > 1 && std::io::stderr().is_terminal();
    let total = workbooks.len();
    let done = AtomicUsize::new(0);
    let built: Vec<Built> = workbooks
        .par_iter()
        .map(|path| {
            let b = pipeline::build_workbook(path, &opts, None);
            if progress {
                let n = done.fetch_add(1, Ordering::SeqCst) + 1;
                crate::esayln!("[{n}/{total}] {}", path.display());
            }
            b
        })
        .collect();
    let mut worst = Outcome::Done;
    let mut taken = Vec::new();
    for (path, b) in workbooks.iter().zip(built) {
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
    }
    worst
}
