//! `piao build`: every document each workbook supports, written into the
//! output folder all together or not at all.

use super::{Outcome, load, print};
use crate::cli::BuildArgs;
use crate::diag::{Diagnostic, Diagnostics};
use crate::render::{self, ExportContext, Layouts, names, output};
use crate::score;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "ods"];

/// The workbooks named on the command line; a folder means every workbook in
/// it (Excel's `~$` lock files and hidden files skipped), in name order.
pub fn expand_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, Diagnostic> {
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let entries = std::fs::read_dir(input).map_err(|e| Diagnostic::error(format!("cartella non leggibile: {e}")).in_file(&input.display().to_string()))?;
            let mut found: Vec<PathBuf> = entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().and_then(|x| x.to_str()).is_some_and(|x| EXTENSIONS.contains(&x.to_lowercase().as_str())))
                .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| !n.starts_with("~$") && !n.starts_with('.')))
                .collect();
            found.sort();
            if found.is_empty() {
                return Err(Diagnostic::error("la cartella non contiene cartelle di lavoro (.xlsx, .xlsm, .xls, .ods)").in_file(&input.display().to_string()));
            }
            out.extend(found);
        } else {
            out.push(input.clone());
        }
    }
    Ok(out)
}

/// Runs the build over every workbook; the exit code is the worst outcome.
pub fn run(args: &BuildArgs) -> Outcome {
    let workbooks = match expand_inputs(&args.inputs) {
        Ok(w) => w,
        Err(d) => {
            let mut ds = Diagnostics::new();
            ds.push(d);
            print(&ds, args.breve);
            return Outcome::Failure;
        }
    };
    let mut outcome = Outcome::Done;
    let mut written_names = BTreeSet::new();
    for path in workbooks {
        let (result, diags) = build_one(&path, args, &mut written_names);
        print(&diags, args.breve);
        match result {
            Ok(files) => {
                for f in files {
                    println!("scritto {}", f.display());
                }
            }
            Err(o) => outcome = outcome.worst(o),
        }
    }
    outcome
}

fn build_one(path: &Path, args: &BuildArgs, written_names: &mut BTreeSet<String>) -> (Result<Vec<PathBuf>, Outcome>, Diagnostics) {
    let (plan, mut diags) = load(path);
    let Some(plan) = plan else {
        diags.push(Diagnostic::error("nessun documento prodotto: correggere gli errori indicati e rieseguire").in_file(&path.display().to_string()));
        return (Err(Outcome::InputErrors), diags);
    };
    let results = score::score(&plan, &mut diags);
    diags.in_file(&plan.file);
    let layouts_dir = args.layouts.clone().or_else(|| path.parent().map(|p| p.join("layouts")).filter(|p| p.is_dir()));
    let layouts = match Layouts::load(layouts_dir.as_deref()) {
        Ok(l) => Arc::new(l),
        Err(d) => {
            diags.push(d);
            return (Err(Outcome::Failure), diags);
        }
    };
    let ctx = ExportContext { plan: &plan, results: &results, diags: &diags, layouts };
    let documents = match render::render_all(&ctx) {
        Ok(d) => d,
        Err(d) => {
            diags.push(d);
            return (Err(Outcome::Failure), diags);
        }
    };
    let mut files = Vec::new();
    for doc in documents {
        match names::file_name(&args.nomi, &plan, doc.key, doc.ext) {
            Ok(name) if written_names.contains(&name) => {
                diags.push(
                    Diagnostic::error(format!("il file «{name}» è già stato prodotto da un'altra cartella di lavoro in questa esecuzione"))
                        .hint("usare ad es. --nomi \"{{file}}_{{documento}}\""),
                );
                return (Err(Outcome::Usage), diags);
            }
            Ok(name) => files.push((name, doc.bytes)),
            Err(d) => {
                diags.push(d);
                return (Err(Outcome::Usage), diags);
            }
        }
    }
    match output::write_all(&args.out, &files) {
        Ok(paths) => {
            written_names.extend(files.into_iter().map(|(n, _)| n));
            (Ok(paths), diags)
        }
        Err(d) => {
            diags.push(d);
            (Err(Outcome::Failure), diags)
        }
    }
}
