//! `piao build`: every document each workbook supports, written into the
//! output folder all together or not at all. A folder of workbooks is built
//! on all cores.

use super::{Outcome, load, print};
use crate::cli::BuildArgs;
use crate::diag::{Diagnostic, Diagnostics};
use crate::fmt;
use crate::model::Level;
use crate::render::{self, ExportContext, Layouts, names, output};
use crate::score;
use rayon::prelude::*;
use rust_decimal::Decimal;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

const EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "ods"];

/// The workbooks named on the command line; a folder means every workbook in
/// it (Excel's `~$` lock files and hidden files skipped), in name order.
pub fn expand_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, Diagnostic> {
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let entries = std::fs::read_dir(input).map_err(|e| {
                Diagnostic::error(format!("cartella non leggibile: {e}")).in_file(&input.display().to_string())
            })?;
            let mut found: Vec<PathBuf> =
                entries.flatten().map(|e| e.path()).filter(|p| p.is_file() && is_workbook(p)).collect();
            found.sort();
            if found.is_empty() {
                return Err(Diagnostic::error(
                    "la cartella non contiene cartelle di lavoro (.xlsx, .xlsm, .xls, .ods)",
                )
                .in_file(&input.display().to_string()));
            }
            out.extend(found);
        } else {
            out.push(input.clone());
        }
    }
    Ok(out)
}

/// A workbook file by its extension, not a lock file (`~$x.xlsx`,
/// `.~lock.x.ods#`) nor a hidden file.
pub fn is_workbook(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    !name.starts_with("~$")
        && !name.starts_with('.')
        && p.extension().and_then(|x| x.to_str()).is_some_and(|x| EXTENSIONS.contains(&x.to_lowercase().as_str()))
}

/// The options of one build, shared by `build` and `watch`.
pub struct Options {
    /// Output folder.
    pub out: PathBuf,
    /// User layouts folder (else `layouts/` beside the workbook, if any).
    pub layouts: Option<PathBuf>,
    /// File name pattern.
    pub names: String,
}

impl From<&crate::cli::OutputArgs> for Options {
    fn from(a: &crate::cli::OutputArgs) -> Self {
        Options { out: a.out.clone(), layouts: a.layouts.clone(), names: a.nomi.clone() }
    }
}

/// The figures a rebuild compares with the previous one: the entity, its
/// areas, strategic objectives and units, by label.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    /// (label, score) in document order.
    pub figures: Vec<(String, Option<Decimal>)>,
}

impl Snapshot {
    /// Lines such as «Economico-finanziaria: 94,4% → 96,1%» for every figure
    /// whose printed value changed.
    pub fn changes_since(&self, before: &Snapshot) -> Vec<String> {
        let show = |s: Option<Decimal>| s.map_or("n.v.".to_string(), |s| fmt::percent(s, 1));
        self.figures
            .iter()
            .filter_map(|(label, now)| {
                let old = before.figures.iter().find(|(l, _)| l == label).map(|(_, s)| *s);
                match old {
                    None => Some(format!("{label}: nuovo, {}", show(*now))),
                    Some(old) if show(old) != show(*now) => Some(format!("{label}: {} → {}", show(old), show(*now))),
                    Some(_) => None,
                }
            })
            .collect()
    }
}

/// One workbook's documents, rendered but not yet written.
pub struct Prepared {
    /// `(file name, bytes)` of every document, or the outcome that stopped
    /// the build.
    pub files: Result<Vec<(String, Vec<u8>)>, Outcome>,
    /// Every diagnostic of the run.
    pub diags: Diagnostics,
    /// The computed figures (empty when the plan had errors).
    pub snapshot: Snapshot,
}

/// Reads, scores and renders one workbook in memory; nothing is written.
/// `cache` lets a watch reuse documents whose inputs did not change.
pub fn prepare(path: &Path, opts: &Options, cache: Option<&render::DocCache>) -> Prepared {
    let (plan, mut diags) = load(path);
    let fail = |diags, outcome| Prepared { files: Err(outcome), diags, snapshot: Snapshot::default() };
    let Some(plan) = plan else {
        diags.push(
            Diagnostic::error("nessun documento prodotto: correggere gli errori indicati e rieseguire")
                .in_file(&path.display().to_string()),
        );
        return fail(diags, Outcome::InputErrors);
    };
    let results = score::score(&plan, &mut diags);
    diags.in_file(&plan.file);
    let mut snapshot = Snapshot { figures: vec![("Ente".to_string(), results.entity.score)] };
    snapshot.figures.extend(plan.areas.iter().zip(&results.areas).map(|(a, r)| (a.name.clone(), r.score)));
    snapshot.figures.extend(
        plan.objectives
            .iter()
            .filter(|o| o.level == Level::Strategico)
            .filter_map(|o| results.objective(&o.code).map(|r| (format!("{} – {}", o.code, o.title), r.score))),
    );
    snapshot.figures.extend(plan.units.iter().zip(&results.units).map(|(u, r)| (u.name.clone(), r.score)));
    // Everything the user supplies besides the workbook is checked before
    // any layout runs: the names, the logo, the layouts, the comments.
    let planned = render::planned_documents(&plan);
    let names = match names::file_names(&opts.names, &plan, &planned) {
        Ok(n) => n,
        Err(d) => {
            diags.push(d);
            return fail(diags, Outcome::Usage);
        }
    };
    diags.extend(names.warnings.iter().cloned());
    if let Err(d) = render::read_logo(&plan) {
        diags.push(d);
        return fail(diags, Outcome::InputErrors);
    }
    let layouts_dir = opts.layouts.clone().or_else(|| path.parent().map(|p| p.join("layouts")).filter(|p| p.is_dir()));
    let layouts = match Layouts::load(layouts_dir.as_deref()) {
        Ok(l) => {
            diags.extend(l.warnings.iter().cloned());
            Arc::new(l)
        }
        Err(d) => {
            diags.push(d);
            return fail(diags, Outcome::Failure);
        }
    };
    let ctx = ExportContext { plan: &plan, results: &results, diags: &diags, layouts, cache };
    let documents = render::check_templates(&ctx).and_then(|_| render::render_all(&ctx));
    let documents = match documents {
        Ok(d) => d,
        Err(d) => {
            diags.push(d);
            return fail(diags, Outcome::Failure);
        }
    };
    let mut files = Vec::new();
    for doc in documents {
        match planned.iter().position(|(key, ext)| *key == doc.key && *ext == doc.ext) {
            Some(i) => files.push((names.names[i].clone(), doc.bytes)),
            None => {
                diags.push(Diagnostic::error(format!("errore interno: documento «{}» non previsto", doc.key)));
                return fail(diags, Outcome::Failure);
            }
        }
    }
    Prepared { files: Ok(files), diags, snapshot }
}

/// Writes prepared documents all at once; `taken` holds the names other
/// workbooks of the same run already wrote.
pub fn write(
    prepared: Prepared,
    opts: &Options,
    path: &Path,
    taken: &mut Vec<String>,
) -> (Result<Vec<output::Written>, Outcome>, Diagnostics, Snapshot) {
    let Prepared { files, mut diags, snapshot } = prepared;
    let files = match files {
        Ok(f) => f,
        Err(o) => return (Err(o), diags, snapshot),
    };
    // Compared as Windows does: ignoring case.
    if let Some((name, _)) = files.iter().find(|(n, _)| taken.iter().any(|t| t.to_lowercase() == n.to_lowercase())) {
        diags.push(
            Diagnostic::error(format!(
                "il file «{name}» è prodotto anche da un'altra cartella di lavoro di questa esecuzione"
            ))
            .in_file(&path.display().to_string())
            .hint("usare ad es. --nomi \"{{file}}_{{documento}}\""),
        );
        return (Err(Outcome::Usage), diags, snapshot);
    }
    match output::write_all(&opts.out, &files) {
        Ok(paths) => {
            taken.extend(files.into_iter().map(|(n, _)| n));
            (Ok(paths), diags, snapshot)
        }
        Err(d) => {
            diags.push(d);
            (Err(Outcome::Failure), diags, snapshot)
        }
    }
}

/// Runs the build over every workbook (rendered in parallel, written in
/// order); the exit code is the worst outcome.
pub fn run(args: &BuildArgs) -> Outcome {
    let workbooks = match expand_inputs(&args.inputs) {
        Ok(w) => w,
        Err(d) => return super::fail(d, args.output.breve, Outcome::Failure),
    };
    let opts = Options::from(&args.output);
    let progress = workbooks.len() > 1 && std::io::stderr().is_terminal();
    let total = workbooks.len();
    let done = AtomicUsize::new(0);
    let prepared: Vec<Prepared> = workbooks
        .par_iter()
        .map(|path| {
            let p = prepare(path, &opts, None);
            if progress {
                let n = done.fetch_add(1, Ordering::SeqCst) + 1;
                crate::esayln!("[{n}/{total}] {}", path.display());
            }
            p
        })
        .collect();
    let mut outcome = Outcome::Done;
    let mut taken = Vec::new();
    for (path, p) in workbooks.iter().zip(prepared) {
        let (result, diags, _) = write(p, &opts, path, &mut taken);
        print(&diags, args.output.breve);
        match result {
            Ok(files) => files.iter().for_each(|f| {
                if f.changed {
                    crate::sayln!("scritto {}", f.path.display())
                } else {
                    crate::sayln!("invariato {}", f.path.display())
                }
            }),
            Err(o) => outcome = outcome.worst(o),
        }
    }
    outcome
}
